"""汇总.docx: a short official-format summary of the year's self-evaluations.

Built with python-docx on the report template itself (its styles, its GB/T 9704 portrait page and
page-number footers; the body is emptied and the attachment's landscape section dropped), so the
summary belongs to the same family as the reports and follows a user's own template too.
Reproducible bytes: fixed core properties (dates from the content) and a normalised zip.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

from ...content.wording import date as chinese_date, num, percent
from ...content.wording import balanced_lines
from ...output.compose import Numbering, place_signature
from ...problems import Problem
from ...output.blankdoc import blank
from ...output.blankdoc import style as template_style
from ...output.savefile import document_bytes, property_text
from .figures import GRADE_NAMES, GRADE_RANGES, OVERRIDDEN, Department, District, lowest_text

TEXT_WIDTH_MM = 156
CHAR_TWIPS = 315  # one condensed 三号 character of the template's body (16 pt − 0.25 pt)
LINE_TWIPS = 579  # one line of its 22-line grid
TITLE_CHARS_PER_LINE = 20
LOW_EXECUTION = 80  # execution rates below this (in %) are named


def title_lines(summary: District) -> list[str]:
    """Balanced lines, broken after the region or the year (as the reports' titles are)."""
    year = f"{summary.year}年度"
    return balanced_lines(summary.title, [len(summary.region), len(summary.region) + len(year)], TITLE_CHARS_PER_LINE)


# ---------------------------------------------------------------- the words


NAMED_MAX = 10  # a sentence names at most this many departments; the workbook lists them all


def names_with(departments, figure) -> str:
    named = "、".join(f"{d.name}（{figure(d)}）" for d in departments[:NAMED_MAX])
    if len(departments) > NAMED_MAX:
        named += f"等（其余{len(departments) - NAMED_MAX}个见汇总表）"
    return named


def overview(s: District) -> str:
    deps = s.departments
    top, bottom = deps[0], deps[-1]
    g = s.grades
    grades = "，".join(f"“{name}”{g[name]}个" for name in GRADE_NAMES)
    text = f"{len(deps)}个部门（单位）自评总分平均{num(s.mean_total)}分"
    if len(deps) > 1:
        text += f"，最高{num(top.total)}分（{top.name}），最低{num(bottom.total)}分（{bottom.name}）"
    return text + f"。按等级分：{grades}。"


def _initial_note(s: District) -> str:
    """Departments that typed no adjusted budget enter the sum with their initial one: said."""
    initial = [d.name for d in s.departments if not d.adjusted_known]
    return f"（{'、'.join(initial)}未填全年（调整）预算数，按年初预算数计）" if initial else ""


def execution(s: District) -> list[str]:
    out = [
        f"各部门全年（调整）预算数合计{num(s.budget)}万元{_initial_note(s)}，全年执行数合计{num(s.executed)}万元，"
        f"预算执行率{percent(s.execution_rate)}（按金额加权：执行数合计 ÷ 预算数合计）。"
    ]
    low = sorted((d for d in s.departments if d.execution_rate * 100 < LOW_EXECUTION), key=lambda d: (d.execution_rate, d.key))
    if low:
        out.append(f"预算执行率低于{LOW_EXECUTION}%的部门{len(low)}个：{names_with(low, lambda d: percent(d.execution_rate))}。")
    else:
        out.append(f"各部门预算执行率均不低于{LOW_EXECUTION}%。")
    over = sorted((d for d in s.departments if d.execution_rate > 1), key=lambda d: (-d.execution_rate, d.key))
    if over:
        out.append(
            f"执行数超过全年（调整）预算数的部门{len(over)}个：{names_with(over, lambda d: percent(d.execution_rate))}，"
            "执行率得分以权重为限，请核实超预算支出的依据。"
        )
    return out


def attention(departments: tuple[Department, ...], sep: str) -> list[str]:
    if not departments:
        return ["无。"]
    return [
        f"{i}{sep}{d.name}：总分{num(d.total)}分，等级“{d.grade}”；得分最低的指标：{lowest_text(d)}。"
        for i, d in enumerate(departments, start=1)
    ]


def overrides(s: District, sep: str) -> list[str]:
    lines = [(d, line) for d in s.departments for line in d.lines if line.how == OVERRIDDEN]
    judged = sum(len(d.judged) for d in s.departments)
    out = []
    if lines:
        out.append(f"以下{len(lines)}项得分由评价组人工给定，未按计分规则计算，请逐项复核：")
        for i, (d, line) in enumerate(lines, start=1):
            rule = "无规则计分" if line.rule_score is None else f"按规则为{num(line.rule_score)}分"
            out.append(
                f"{i}{sep}{d.name}“{line.name}”：人工给定{num(line.score)}分（权重{num(line.weight)}分，{rule}），理由：{line.reason}。"
            )
    else:
        out.append("各部门均无人工改分。")
    if judged:
        out.append(f"另有{judged}项指标的得分系数由评价组评定（无指标值或定性指标），明细见汇总表“指标得分”。")
    return out


# ---------------------------------------------------------------- the document


def _picture_paragraph(paragraph) -> None:
    """Centred, no indent and an automatic line height: an exact line would clip the picture."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml.ns import qn
    from docx.shared import Pt

    fmt = paragraph.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt.first_line_indent = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.keep_with_next = True
    ppr = paragraph._p.get_or_add_pPr()
    snap = ppr.makeelement(qn("w:snapToGrid"), {qn("w:val"): "0"})
    ppr.insert(0, snap)


def _grade_table(document, s: District) -> None:
    g = s.grades
    n = len(s.departments)
    rows = [("等级", "总分", "部门数", "占比")]
    rows += [(name, GRADE_RANGES[name], str(g[name]), percent(Decimal(g[name]) / n)) for name in GRADE_NAMES]
    rows.append(("合计", "", str(n), "100%"))
    _table(document, rows, (28, 64, 30, 34))  # mm, the 156 mm text width


def _incomplete_table(document, s: District) -> None:
    rows = [("部门", "错误（条）", "第一个错误")]
    rows += [(d.name, str(d.errors), str(d.first)) for d in s.incomplete]
    _table(document, rows, (46, 20, 90))


def _table(document, rows, widths) -> None:
    from docx.shared import Mm

    table = document.add_table(rows=len(rows), cols=len(widths))
    grid = template_style(document, "Table Grid")
    if grid is not None:
        table.style = grid
    table.autofit = False
    for column, width in zip(table.columns, widths):
        column.width = Mm(width)
    cell_style = template_style(document, "Table Text")
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.width = Mm(widths[c])
            paragraph = cell.paragraphs[0]
            if cell_style is not None:
                paragraph.style = cell_style
            paragraph.add_run(value)


def _signature(doc, last, name: str, when: dt.date) -> None:
    """落款 (GB/T 9704 7.3.5) under the body: the issuing body and the date right-aligned, a blank
    line above; the last body paragraph goes with them so they never stand alone on a page."""
    from docx.oxml.ns import qn
    from docx.shared import Twips

    placing = place_signature(name, chinese_date(when))
    last.paragraph_format.keep_with_next = True
    last.paragraph_format.widow_control = True
    lines = [(placing.name, placing.name_indent), (placing.date, placing.date_indent)] if name else [(placing.date, Decimal(2))]
    style = template_style(doc, "Signature")
    for i, (text, indent) in enumerate(lines):
        paragraph = doc.add_paragraph(text, style=style)
        fmt = paragraph.paragraph_format
        fmt.right_indent = Twips(round(indent * CHAR_TWIPS))
        fmt.first_line_indent = Twips(0)
        if style is None:
            from docx.enum.text import WD_ALIGN_PARAGRAPH

            fmt.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if i == 0:
            fmt.space_before = Twips(LINE_TWIPS)
            fmt.keep_with_next = len(lines) > 1
        ind = paragraph._p.pPr.find(qn("w:ind"))
        ind.set(qn("w:firstLineChars"), "0")  # cancels the body's 2-character indent (Word reads *Chars first)


def document(s: District, picture: bytes, template: Path, level3: str = "、", signature: tuple[str, dt.date] | None = None) -> tuple[bytes | None, list[Problem]]:
    """``signature``: the 落款's issuing body ("" for none) and date; by default the region and the
    latest date of the departments' content."""
    from docx.shared import Mm

    doc, problems = blank(template)  # the template's styles and portrait page, an empty body
    if doc is None:
        return None, problems
    numbering = Numbering(level3)

    def para(text: str, style: str | None = None):
        return doc.add_paragraph(text, style=template_style(doc, style) if style else None)

    title = para("", "Title")
    for i, line in enumerate(title_lines(s)):
        run = title.add_run(line)
        if i < len(title_lines(s)) - 1:
            run.add_break()
    intro = f"现将{s.region}{len(s.departments)}个部门（单位）{s.year}年度部门整体支出绩效自评结果汇总如下。"
    if s.incomplete:
        intro += f"另有{len(s.incomplete)}个部门（单位）的自评内容尚未完成，未计入本汇总，列于最后。"
    para(intro)

    para(f"{numbering.h1()}总体情况", "Heading 1")
    para(overview(s))
    para("表1：自评等级分布", "Caption")
    _grade_table(doc, s)

    para(f"{numbering.h1()}预算执行情况", "Heading 1")
    for text in execution(s):
        para(text)
    figure = para("")
    _picture_paragraph(figure)
    figure.add_run().add_picture(io.BytesIO(picture), width=Mm(TEXT_WIDTH_MM))
    para("图1：自评等级分布及各部门预算执行率", "Caption")

    para(f"{numbering.h1()}需关注的部门", "Heading 1")
    para(f"{numbering.h2()}总分低于60分的部门", "Heading 2")
    for text in attention(s.below(60), level3):
        para(text)
    para(f"{numbering.h2()}总分60分至80分的部门", "Heading 2")
    for text in attention(s.below(80, above=60), level3):
        para(text)

    para(f"{numbering.h1()}人工改分情况", "Heading 1")
    for text in overrides(s, level3):
        last = para(text)
    name, when = signature if signature is not None else (s.region, s.date)
    _signature(doc, last, name, when)

    if s.incomplete:
        para(f"{numbering.h1()}未完成自评的部门", "Heading 1")
        para(f"以下{len(s.incomplete)}个部门（单位）的自评内容尚有错误，未计入以上统计：")
        para("表2：未完成自评的部门", "Caption")
        _incomplete_table(doc, s)

    when = dt.datetime(s.date.year, s.date.month, s.date.day)
    cp = doc.core_properties
    cp.title = property_text(s.title)
    cp.author = cp.last_modified_by = property_text(s.region or "")
    cp.subject = cp.keywords = cp.comments = cp.category = ""
    cp.revision = 1
    cp.created = cp.modified = when
    return document_bytes(doc), []

