"""<dept>-审核意见.docx: the bureau's short letter to one department, in the official format.

    关于<部门全称><年度>年度部门整体支出绩效自评报告的审核意见      (title, 2号小标宋)
    <部门全称>：                                                    (主送机关)
    经对你单位……逐项审核，共有审核意见N条……现将审核意见反馈如下。
    一、需说明的事项   1、…  2、…                                  (by severity, then by rule)
    二、建议 / 三、提示
    请对……作出书面说明……
                                        <财政局>                   (落款: only with content/district.yaml)
                                        2023年3月31日

Built on the report template (``output.blankdoc``), reproducible bytes (dates from the content).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from pathlib import Path

from ...output.blankdoc import blank, style
from ...content.wording import date
from ...content.wording import char_width
from ...output.compose import Numbering, place_signature
from ...output.savefile import document_bytes
from ...problems import Problem
from .findings import SEVERITY_ORDER, Audited, Finding, Severity

TITLE_CHARS_PER_LINE = 20  # 2号 characters on the 156 mm text width
CHAR_TWIPS = 315  # one body character's advance on the default template's 28-character line
LINE_TWIPS = 579  # one line of its 22-line grid (for the blank line above the 落款)
FIXED_STAMP = dt.datetime(2000, 1, 1)  # the file's date when no content gives one (same bytes every run)
HEADINGS = {Severity.explain: "需说明的事项", Severity.advise: "建议", Severity.note: "提示"}
CLOSING = {
    Severity.explain: "请对上述需说明的事项逐条作出书面说明",
    Severity.advise: "建议事项请在今后的绩效目标设置和自评工作中改进",
    Severity.note: "提示事项供核对参考",
}


def title(a: Audited) -> str:
    return f"关于{a.department}{a.year}年度部门整体支出绩效自评报告的审核意见"


def title_lines(a: Audited) -> list[str]:
    """Balanced lines of at most TITLE_CHARS_PER_LINE, broken after the department's name, the
    year or the report's name where that fits; else evenly."""
    whole = title(a)
    n = math.ceil(char_width(whole) / TITLE_CHARS_PER_LINE)
    if n <= 1:
        return [whole]
    head = f"关于{a.department}"
    cuts = sorted({len(head), len(head) + len(f"{a.year}年度"), len(whole) - len("的审核意见")})
    best = None
    for chosen in itertools.combinations(cuts, n - 1):
        lines = [whole[i:j] for i, j in zip((0,) + chosen, chosen + (len(whole),))]
        widest = max(char_width(line) for line in lines)
        if widest <= TITLE_CHARS_PER_LINE and (best is None or widest < best[0]):
            best = (widest, lines)
    if best is not None:
        return best[1]
    size = math.ceil(len(whole) / n)
    return [whole[i : i + size] for i in range(0, len(whole), size)]


def opening(a: Audited) -> str:
    counts = "、".join(f"{s.value}{a.count(s)}条" for s in SEVERITY_ORDER if a.count(s))
    return (f"经对你单位{a.year}年度部门整体支出绩效自评报告及自评表的内容逐项审核，共有审核意见{len(a.findings)}条"
            f"（{counts}）。审核意见不改变自评得分，供你单位核实、说明和改进。现将审核意见反馈如下。")


def items(findings: list[Finding], sep: str) -> list[str]:
    """One numbered paragraph per rule: its finding, or the rule's description and its findings."""
    by_rule: dict[str, list[Finding]] = {}
    for f in findings:
        by_rule.setdefault(f.rule.id, []).append(f)
    out = []
    for i, group in enumerate(by_rule.values(), start=1):
        if len(group) == 1:
            text = group[0].message
        else:
            text = f"{group[0].rule.description}（{len(group)}处）：" + "；".join(f.message for f in group)
        out.append(f"{i}{sep}{text}。")
    return out


def closing(a: Audited) -> str:
    parts = [CLOSING[s] for s in SEVERITY_ORDER if a.count(s)]
    return "；".join(parts) + "。"


def document(a: Audited, template: Path, bureau: str | None, when: dt.date | None, level3: str = "、",
             template_data: bytes | None = None) -> tuple[bytes | None, list[Problem]]:
    """The letter's bytes, or the template's problems. ``bureau``: the 落款's sender (None: no
    落款); ``when``: its date (None: not known, the 落款 is the sender's name alone)."""
    from docx.shared import Pt, Twips

    doc, problems = blank(template, template_data)
    if doc is None:
        return None, problems
    numbering = Numbering(level3)
    ids = {}  # style name → id, looked up once (python-docx's lookup by name is slow)
    for name in ("Title", "Heading 1", "Signature"):
        found = style(doc, name)
        if found is not None:
            ids[name] = found.style_id

    def para(text: str, name: str | None = None):
        paragraph = doc.add_paragraph(text)
        if name in ids:
            paragraph._p.style = ids[name]
        return paragraph

    heading = para("", "Title")
    lines = title_lines(a)
    for i, line in enumerate(lines):
        run = heading.add_run(line)
        if i < len(lines) - 1:
            run.add_break()
    to = para(f"{a.department}：")
    to.paragraph_format.first_line_indent = Pt(0)
    para(opening(a))
    for severity in SEVERITY_ORDER:
        mine = [f for f in a.findings if f.severity is severity]
        if not mine:
            continue
        para(f"{numbering.h1()}{HEADINGS[severity]}", "Heading 1")
        for text in items(mine, level3):
            para(text)
    para(closing(a))
    if bureau:
        sig = place_signature(bureau, date(when) if when is not None else "")
        lines = [(sig.name, sig.name_indent), (sig.date, sig.date_indent)] if when is not None else [(bureau, 2)]
        for i, (text, indent) in enumerate(lines):
            p = para(text, "Signature")
            fmt = p.paragraph_format
            fmt.first_line_indent = Pt(0)
            fmt.right_indent = Twips(int(indent * CHAR_TWIPS))
            if i == 0:
                fmt.keep_with_next = True
                fmt.space_before = Twips(LINE_TWIPS)
    stamp = dt.datetime(when.year, when.month, when.day) if when is not None else FIXED_STAMP
    cp = doc.core_properties
    cp.title = title(a)
    cp.author = cp.last_modified_by = bureau or ""
    cp.subject = cp.keywords = cp.comments = cp.category = ""
    cp.revision = 1
    cp.created = cp.modified = stamp
    return document_bytes(doc), []

