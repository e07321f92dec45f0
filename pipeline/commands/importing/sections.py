"""How the import finds its way: the patterns, the number helpers, and the report cut into
sections by its typed heading numbers (一、（一）1、（1）).

parse.py reads each section's sentences, figures.py Table 1, the form and the indicators;
command.py writes the draft and compares the derived figures.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from .headings import section_of
from .types import Block

# ---------------------------------------------------------------- patterns

CN = "零〇一二两三四五六七八九十百"
# Possessive, and never starting inside a number: linear time on any run of digits.
NUM = r"(?<![\d.])(\d++(?:,\d{3})*+(?:\.\d++)?+)"
MAX_PARAGRAPH = 20000  # characters; a longer paragraph is kept whole as a comment, not parsed
WIDE = str.maketrans("０１２３４５６７８９．，％：；（）", "0123456789.,%:;()")
H1 = re.compile(rf"^([{CN}]+)\s*[、.．，,]\s*(.+)$")
H2 = re.compile(rf"^[（(]\s*([{CN}]+)\s*[)）]\s*(.+)$")
H3 = re.compile(r"^(\d{1,3})\s*(?:[、，,]|[.．](?!\d))\s*(.+)$")
H4 = re.compile(r"^[（(]\s*(\d{1,3})\s*[)）]\s*(.+)$")
ITEM = re.compile(rf"^\s*(?:\d{{1,3}}\s*(?:[、，,]|[.．](?!\d))|[（(]\s*\d{{1,3}}\s*[)）]|[{CN}]+\s*、|[（(]\s*[{CN}]+\s*[)）])\s*")
END = tuple("。；;，,：:")
UNITS = ("万元", "人次", "平方米", "公里", "千米", "小时", "家", "次", "个", "名", "人", "项", "场", "件", "户", "篇",
         "所", "台", "辆", "元", "亩", "天", "份", "批", "期", "座", "处", "套", "株", "吨", "条", "本", "%")
DATE = r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?"
TO = r"\s*(?:至|到|—|－|-|～|~)\s*"
PERIOD = re.compile(DATE + TO + r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日?")
PERIOD_DOTS = re.compile(r"(\d{4})[./](\d{1,2})[./](\d{1,2})" + TO + r"(?:(\d{4})[./])?(\d{1,2})[./](\d{1,2})(?![\d./])")  # 2023.2.1-2023.2.28
# The score sentence compose.score_sentence writes, in its three forms (and the older wording):
#   根据评价标准，完成值达到指标值，该指标得100%权重分。   (by rule: how the rule reached it)
#   根据{basis}，该指标得100%权重分。                     (the evaluators' judgement, its basis)
#   根据评价标准，该指标评定为“部分达成”，得70%权重分。    (定性)
# Group 1 is what follows 根据 (never another 根据: a sentence's earlier 根据 is not the basis),
# group 2 the 定性 achievement, group 3 the 得分率.
SCORE_SENTENCE = re.compile(
    r"根据((?:(?!根据)[^。]){1,200}?)[，,]\s*该指标(?:评定为\s*[“\"]([^”\"]{1,10})[”\"]\s*[，,]?\s*)?得(?:分率为)?\s*"
    + NUM + r"\s*[%％](?:的)?权重分[。.]?"
)
# The evaluation group's override: 经评价组评定，该指标得4分（按评分规则计算为3.5分），理由是……。
OVERRIDE_SENTENCE = re.compile(
    r"经评价组评定[，,]\s*该指标得\s*" + NUM + r"\s*分(?:[（(]按评分规则计算为\s*\d[\d.]*\s*分[)）])?[，,]\s*理由(?:是|为)([^。]{1,500})[。.]"
)
DOC = re.compile(r"《([^《》]+)》\s*[（(]([^（）()]+)[）)]")

# Where a paragraph of each section that could not be placed is kept as a comment.
HOME = {
    "front": ("policy_documents",), "rank": ("department",), "units": ("internal_units",),
    "functions": ("functions",), "budget": ("budget",), "santong": ("santong",),
    "preparation": ("evaluation", "preparation"), "phases": ("evaluation", "phases"),
    "analysis": ("evaluation", "analysis"), "experience": ("experience",), "conclusion": ("indicators",),
    "problems": ("problems",), "suggestions": ("suggestions",), "attachment": ("form",), "container": ("year",),
}


def figure_text(text: str) -> str:
    """The text with full-width digits and punctuation made ASCII (same length: spans still fit)."""
    return text.translate(WIDE)


def where(block: Block) -> str:
    """A paragraph's place as the user finds it: its number among the non-empty paragraphs (tables
    not counted) and its first words."""
    words = block.text if len(block.text) <= 12 else block.text[:12] + "…"
    return f"第{block.number}段（“{words}”）"


def dec(text: str) -> Decimal | None:
    """A number as typed in a cell or sentence; a trailing 分, 万元 or 万 is allowed."""
    try:
        return Decimal(re.sub(r"\s*(分|万元|万)$", "", figure_text(text).replace(",", "").strip()))
    except (InvalidOperation, AttributeError):
        return None


def cn_number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
    if text == "十":
        return 10
    if "十" in text:
        high, _, low = text.partition("十")
        return (digits.get(high, 1) if high else 1) * 10 + (digits.get(low, 0) if low else 0)
    return digits.get(text)


# ---------------------------------------------------------------- headings and sections


def heading(block: Block) -> tuple[int, str] | None:
    """(level, title) for a paragraph that is a heading: typed numbering and a short title without
    closing punctuation, or a heading style."""
    if block.kind != "p" or "自评报告" in block.text:
        return None
    text = figure_text(block.text).strip()
    for level, pattern in ((2, H2), (4, H4), (1, H1), (3, H3)):
        m = pattern.match(text)
        if m:
            title = block.text.strip()[m.start(2):].strip()
            if len(title) <= 40 and not title.endswith(END) and "。" not in title:
                return level, title
            bare = title.removesuffix("。").removesuffix(".")
            if len(bare) <= 20 and not re.search(r"[。，,；;：:]", bare) and section_of(bare):
                return level, bare  # （一）主要职能。 — numbered, closed with 。 as some offices type it
            if block.heading_level:
                return level, title
            return None
    if block.heading_level and len(text) <= 40:
        return block.heading_level, block.text.strip()
    if block.bold and len(text) <= 30 and not text.endswith(END) and section_of(text):
        return 2, text  # a bold unnumbered heading
    return None


def written_date(text: str):
    """A 成文日期 standing alone: 2023年3月28日 or 二〇二三年三月二十八日; else None."""
    import datetime as dt

    t = re.sub(r"\s+", "", figure_text(text))
    m = re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日", t)
    if m:
        y, mo, d = (int(g) for g in m.groups())
    else:
        m = re.fullmatch(rf"([{CN}]{{4}})年([{CN}]{{1,3}})月([{CN}]{{1,3}})日", t)
        if not m:
            return None
        digits = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0"}
        if any(c not in digits for c in m.group(1)):
            return None
        y, mo, d = int("".join(digits[c] for c in m.group(1))), cn_number(m.group(2)), cn_number(m.group(3))
        if mo is None or d is None:
            return None
    try:
        return dt.date(y, mo, d)
    except ValueError:
        return None


ATTACHMENT_NOTE = re.compile(r"^附\s*件\s*[:：]\s*(\S.{0,200})$")


def closing(blocks: list[Block]) -> tuple[Block | None, Block | None, Block | None]:
    """The body's closing lines (GB/T 9704): 附件说明 (附件：……自评表), then the 落款 — the signing
    body's name and the date, each alone on its line — just before the attachment (or the end).
    Returns (note, name, date); each None when absent."""
    end = next((i for i, b in enumerate(blocks) if is_attachment_mark(b)), len(blocks))
    paras = [i for i in range(end) if blocks[i].kind == "p"]
    note = name = when = None
    if paras and written_date(blocks[paras[-1]].text) is not None and len(paras) >= 2:
        candidate = blocks[paras[-2]]
        text = candidate.text.strip()
        if len(text) <= 40 and not text.endswith(END) and "。" not in text and not ATTACHMENT_NOTE.match(text) and heading(candidate) is None:
            name, when = candidate, blocks[paras[-1]]
            paras = paras[:-2]
    if paras and ATTACHMENT_NOTE.match(blocks[paras[-1]].text.strip()):
        note = blocks[paras[-1]]
    return note, name, when


def is_attachment_mark(block: Block) -> bool:
    return block.kind == "p" and re.fullmatch(r"附\s*件\s*\d*\s*[:：]?", block.text.strip()) is not None


def sections(blocks: list[Block]) -> list[tuple[str, Block | None, list[Block]]]:
    """The report cut into (section, its heading, its blocks) in document order."""
    out: list[tuple[str, Block | None, list[Block]]] = [("front", None, [])]
    level = 0
    for block in blocks:
        name = out[-1][0]
        if is_attachment_mark(block):
            out.append(("attachment", block, []))
            continue
        found = heading(block) if name != "attachment" else None
        if found:
            lvl, title = found
            if name in ("front", "container", "other") or lvl <= level:
                kind = section_of(title)
                if kind is not None or lvl <= level or name == "container":
                    out.append((kind or "other", block, []))
                    level = lvl
                    continue
            elif name != "conclusion" and (block.bold or block.heading_level):
                # A deeper heading set off as one (bold or styled) inside a section: the part its
                # title names (（二）预算执行情况 under 二、部门整体支出情况), else a part the import
                # does not know, whose paragraphs are placed by their shape or kept as comments.
                kind = section_of(title)
                out.append((kind if kind not in (None, "container") else "other", block, []))
                level = lvl
                continue
        out[-1][2].append(block)
    return out
