"""The Word report's blocks → content keys: sections by typed heading numbers, facts by sentences.

The wording read here is the wording compose.py writes (and the reference report's), with the
common variants a hand-typed report uses. Figures the tool derives are never stored: each one
the source prints becomes a ``Check`` that importer.py compares with the computed figure.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Callable

from .wordread import Block

# ---------------------------------------------------------------- the ONE mapping table
# Every key name and enum spelling the import writes. When the content model renames a key or an
# enum value (e.g. kind: 定量|定性), change it here only.
KEY = {
    # top level
    "year": "year", "department": "department", "policy_documents": "policy_documents",
    "internal_units": "internal_units", "staffing": "staffing", "functions": "functions",
    "budget": "budget", "santong": "santong", "evaluation": "evaluation", "experience": "experience",
    "indicators": "indicators", "problems": "problems", "suggestions": "suggestions", "form": "form",
    # department, documents, units, staffing
    "name": "name", "short_name": "short_name", "rank": "rank", "id": "id", "title": "title",
    "number": "number", "duties": "duties", "administrative": "administrative", "posts": "posts",
    "count": "count", "section_leaders": "section_leaders", "institutional": "institutional",
    # budget and 三公
    "initial": "initial", "carryover_start": "carryover_start", "adjusted": "adjusted",
    "adjusted_note": "adjusted_note", "executed": "executed", "carryover_end": "carryover_end",
    "execution_weight": "execution_weight", "deviation": "deviation", "reason": "reason",
    "measure": "measure", "items": "items", "amount": "amount", "santong_budget": "budget",
    "change_reason": "change_reason", "vehicles": "vehicles", "funding": "funding",
    "purchased": "purchased", "disposed": "disposed", "held": "held", "overseas": "overseas",
    "groups": "groups", "people": "people",
    # evaluation
    "preparation": "preparation", "document": "document", "text": "text", "phases": "phases",
    "analysis": "analysis", "start": "start", "end": "end",
    # indicators
    "weight": "weight", "unit": "unit", "kind": "kind", "direction": "direction",
    "target_initial": "target_initial", "target_adjusted": "target_adjusted", "actual": "actual",
    "core": "core", "judgement": "judgement", "coefficient": "coefficient", "basis": "basis",
    "qualitative": "qualitative", "achievement": "achievement",
    # the form's extra information
    "contact": "contact", "phone": "phone", "goals": "goals", "achieved": "achieved",
}
ENUM = {
    "定量": "quantitative", "定性": "qualitative",  # kind
    "达成": "achieved", "部分达成": "partly", "未达成": "not_achieved",  # qualitative.achievement
    "≥": ">=", "≤": "<=", "=": "=",  # direction, from the form's sign
}
K = KEY

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
PERIOD = re.compile(DATE + r"\s*(?:至|到|—|－|-|～|~)\s*(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日?")
SCORE_SENTENCE = re.compile(r"根据评价标准[，,]?\s*该指标得(?:分率为)?\s*" + NUM + r"\s*[%％](?:的)?权重分[。.]?")
DOC = re.compile(r"《([^《》]+)》\s*[（(]([^（）()]+)[）)]")

# Headings that hold other headings; then the sections whose text the import reads, by keyword.
CONTAINERS = ("基本情况", "预算及支出", "主要成效", "评价工作开展", "工作开展情况")
SECTIONS = (
    ("rank", ("职级",)),
    ("units", ("内设机构", "机构设置", "编制")),
    ("functions", ("职能", "职责")),
    ("santong", ("三公",)),
    ("budget", ("财政资金", "整体支出", "预算执行", "资金支出", "收支")),
    ("preparation", ("前期准备",)),
    ("phases", ("组织实施",)),
    ("analysis", ("分析评价",)),
    ("experience", ("经验", "做法")),
    ("conclusion", ("结论", "评价情况", "得分情况")),
    ("problems", ("问题",)),
    ("suggestions", ("建议",)),
)
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


def dec(text: str) -> Decimal | None:
    try:
        return Decimal(figure_text(text).replace(",", "").strip())
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


# ---------------------------------------------------------------- the draft being built


@dataclass
class Para:
    number: int
    text: str
    path: tuple


@dataclass
class Check:
    """A derived figure the source prints: compared with ``compute(report, scores)`` later."""

    place: str
    what: str
    printed: str
    path: tuple
    compute: Callable


@dataclass
class Draft:
    tree: dict = field(default_factory=dict)
    comments: dict = field(default_factory=dict)

    def note(self, path: tuple, line: str) -> None:
        self.comments.setdefault(tuple(path), []).append(line)


@dataclass
class Imported:
    draft: Draft
    placed: list[Para]
    left: list[Para]
    checks: list[Check]
    notes: list[str]
    total: int


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
            if block.heading_level:
                return level, title
            return None
    if block.heading_level and len(text) <= 40:
        return block.heading_level, block.text.strip()
    if block.bold and len(text) <= 30 and not text.endswith(END) and section_of(text):
        return 2, text  # a bold unnumbered heading
    return None


def section_of(title: str) -> str | None:
    core = re.sub(r"\s+", "", title)
    if any(word in core for word in CONTAINERS) and not any(w in core for w in ("内设机构", "职级", "三公")):
        return "container"
    for name, words in SECTIONS:
        if any(word in core for word in words):
            return name
    return None


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
                # A deeper heading set off as one (bold or styled) inside a section: a part the
                # import does not know; its paragraphs are kept as comments.
                out.append(("other", block, []))
                level = lvl
                continue
        out[-1][2].append(block)
    return out


# ---------------------------------------------------------------- the parser


class Parser:
    def __init__(self, blocks: list[Block], year: int, source_name: str):
        self.blocks = blocks
        self.year = year
        self.source = source_name
        self.d = Draft()
        self.placed: list[Para] = []
        self.left: list[Para] = []
        self.checks: list[Check] = []
        self.notes: list[str] = []
        self.dept_name: str | None = None
        self.short_name: str | None = None
        self.rank: str | None = None
        self.docs: list[dict] = []
        self.units: list[dict] = []
        self.staffing: dict = {}
        self.functions: list[str] = []
        self.budget: dict = {}
        self.santong: dict | None = None
        self.prep: dict = {}
        self.phases: list[dict] = []
        self.analysis: dict = {}
        self.lists: dict[str, list[str]] = {"experience": [], "problems": [], "suggestions": []}
        self.table1: list[dict] = []  # name, weight, row place, score, rate
        self.form_rows: dict[str, dict] = {}
        self.analyses: list[tuple[str, Block, list[Block]]] = []
        self.form_info: dict = {}
        self.exec_analysis: tuple[Block, list[Block]] | None = None
        self.exec_deviation: dict = {}
        self.later: list[tuple[str, Block]] = []  # unplaced, with the section they were in

    # -- bookkeeping
    def place(self, block: Block, path: tuple) -> None:
        self.placed.append(Para(block.number, block.text, tuple(path)))

    def leave(self, block: Block, section: str) -> None:
        self.later.append((section, block))

    def check(self, place: str, what: str, printed: str, path: tuple, compute: Callable) -> None:
        self.checks.append(Check(place, what, printed, tuple(path), compute))

    # -- the whole document
    def run(self) -> Imported:
        previous = "front"
        long = [b for b in self.blocks if b.kind == "p" and len(b.text) > MAX_PARAGRAPH]
        for b in long:
            self.leave(b, "front")
            self.notes.append(f"第{b.number}段超过 {MAX_PARAGRAPH} 字，未解析，整段作为注释保留")
        kept = [b for b in self.blocks if not (b.kind == "p" and len(b.text) > MAX_PARAGRAPH)]
        for name, head, body in sections(kept):
            if head is not None and head.kind == "p":
                if name == "other":
                    self.leave(head, previous)
                else:
                    self.place(head, HOME.get(name, ("year",)))
            handler = getattr(self, f"do_{name}", None)
            home = previous if name == "other" else name
            if handler is None:
                for b in body:
                    self.leave(b, home)
            else:
                handler(body)
            if name not in ("other", "container"):
                previous = name
        self.assemble()
        total = sum(1 for b in self.blocks if b.kind == "p")
        return Imported(self.d, self.placed, self.left, self.checks, self.notes, total)

    def tables_first(self, body: list[Block], section: str) -> list[Block]:
        """Tables anywhere: Table 1 and the form's tables are read; other tables are comments."""
        rest = []
        for b in body:
            if b.kind == "table":
                if not self.do_table(b):
                    self.d.note(HOME.get(section, ("year",)), f"原文表格{b.number}：" + " ／ ".join(" | ".join(r) for r in b.rows))
            else:
                rest.append(b)
        return rest

    # -- front matter: title and the introduction's documents
    def do_front(self, body: list[Block]) -> None:
        for b in self.tables_first(body, "front"):
            m = re.match(r"^(.+?)\s*(\d{4})\s*年度?\s*部门整体支出绩效(?:自评|评价)报告$", b.text)
            docs = DOC.findall(b.text)
            if m:
                self.dept_name = self.dept_name or m.group(1).strip()
                if int(m.group(2)) != self.year:
                    self.notes.append(f"原文标题的年度为 {m.group(2)}，草稿按指定的 {self.year} 年度写入")
                self.place(b, ("department", "name"))
            elif docs and not self.docs:
                for title, number in docs:
                    self.docs.append({K["id"]: f"doc{len(self.docs) + 1}", K["title"]: title.strip(), K["number"]: number.strip()})
                self.place(b, ("policy_documents",))
            else:
                self.leave(b, "front")

    def do_container(self, body: list[Block]) -> None:
        for b in self.tables_first(body, "container"):
            self.leave(b, "container")

    # -- 部门职级
    def do_rank(self, body: list[Block]) -> None:
        for b in self.tables_first(body, "rank"):
            m = re.match(r"^(.+?)(?:是|为|系)(.+)$", b.text)
            if m and self.rank is None:
                self.dept_name = self.dept_name or m.group(1).strip()
                if m.group(1).strip() != self.dept_name:
                    self.notes.append(f"第{b.number}段的部门名称“{m.group(1).strip()}”与标题中的“{self.dept_name}”不同")
                self.rank = m.group(2).strip().removesuffix("。")
                self.place(b, ("department", "rank"))
            elif not self.units_or_staffing(b):
                self.leave(b, "rank")

    # -- 内设机构及编制
    def do_units(self, body: list[Block]) -> None:
        for b in self.tables_first(body, "units"):
            if not self.units_or_staffing(b):
                self.leave(b, "units")

    def units_or_staffing(self, b: Block) -> bool:
        text = b.text
        if re.search(r"设(?:有)?(?:下列|以下|如下)?(?:内设机构|科室|处室)[^。]*[:：]$", text):
            name = text.split("设")[0].strip()
            if name and not self.dept_name:
                self.dept_name = name
            self.place(b, ("internal_units",))
            return True
        m = re.match(r"^[（(]\s*\d+\s*[)）]\s*([^。：:，,]{1,30})[。：:]\s*(.+)$", text) or re.match(
            r"^\d+\s*[、.．]\s*([^。：:，,]{1,30})[。：:]\s*(.+)$", text)
        if m and "编制" not in m.group(1):
            self.units.append({K["name"]: m.group(1).strip(), K["duties"]: m.group(2).strip()})
            self.place(b, ("internal_units", len(self.units) - 1))
            return True
        f = figure_text(text)
        m = re.match(r"^(.+?)(?:机关)?核定(?:行政编制|编制)\s*(\d+)\s*名[；;，,。]?\s*(?:设|其中)?[:：]?(.*)$", f)
        if m and not self.staffing:
            self.short_name = text[: m.start(1) + len(m.group(1))].strip().removesuffix("机关")
            posts, leaders, extra = [], None, []
            for part in re.split(r"[，,、；;]", m.group(3).rstrip("。.")):
                pm = re.match(r"^\s*(.+?)\s*(\d+)\s*名\s*$", part)
                if pm and "科级" in pm.group(1):
                    leaders = int(pm.group(2))
                elif pm:
                    posts.append({K["title"]: pm.group(1).strip(), K["count"]: int(pm.group(2))})
                elif part.strip():
                    extra.append(part.strip())
            self.staffing = {K["administrative"]: int(m.group(2)), K["posts"]: posts, K["section_leaders"]: leaders}
            self.place(b, ("staffing",))
            return True
        m = re.match(r"^(.+?)事业编制\s*(\d+)\s*名。?$", f)
        if m:
            self.staffing.setdefault(K["institutional"], []).append({K["name"]: text[: len(m.group(1))].strip(), K["count"]: int(m.group(2))})
            self.place(b, ("staffing", K["institutional"]))
            return True
        return False

    # -- 职能职责
    def do_functions(self, body: list[Block]) -> None:
        for b in self.tables_first(body, "functions"):
            m = ITEM.match(figure_text(b.text))
            if m and b.text[m.end():].strip():
                self.functions.append(b.text[m.end():].strip())
                self.place(b, ("functions", len(self.functions) - 1))
            elif not self.units_or_staffing(b):
                self.leave(b, "functions")

    # -- 财政资金整体支出
    def do_budget(self, body: list[Block]) -> None:
        for b in self.tables_first(body, "budget"):
            if "年初预算" in b.text and not self.budget.get(K["initial"]) and self.read_budget(b):
                self.place(b, ("budget",))
            elif "三公" in b.text and self.santong is None:
                self.do_santong([b])
            else:
                self.leave(b, "budget")

    def read_budget(self, b: Block) -> bool:
        f = figure_text(b.text)
        got = {}
        m = re.search(r"年初预算(?:数|金额)?\s*(?:为|是|共|:)?\s*" + NUM + r"\s*万", f)
        if m:
            got[K["initial"]] = dec(m.group(1))
        for when, key in (("年初", "carryover_start"), ("年末", "carryover_end")):
            if re.search(when + r"(?:无|没有)结转(?:和|及|、)?结余", f):
                got[K[key]] = Decimal(0)
            else:
                m = re.search(when + r"结转(?:和|及|、)?结余(?:资金)?\s*(?:为)?\s*" + NUM + r"\s*万", f)
                if m:
                    got[K[key]] = dec(m.group(1))
        m = re.search(r"(?:全年\s*\(?\s*调整\s*\)?|调整后?|全年)预算(?:数|金额)?\s*(?:为|是)?\s*" + NUM + r"\s*万元?(?:\(([^()]+)\))?", f)
        if m:
            got[K["adjusted"]] = dec(m.group(1))
            if m.group(2):
                got[K["adjusted_note"]] = b.text[m.start(2):m.end(2)].strip()
        m = re.search(r"(?:全年)?(?:执行数|实际支出|支出数|执行金额|决算数)\s*(?:为|是)?\s*" + NUM + r"\s*万", f)
        if m:
            got[K["executed"]] = dec(m.group(1))
        self.budget.update(got)
        return bool(got)

    # -- 三公
    def do_santong(self, body: list[Block]) -> None:
        for b in self.tables_first(body, "santong"):
            if self.santong is None and "三公" in b.text and self.read_santong(b):
                self.place(b, ("santong",))
            else:
                self.leave(b, "santong")

    def read_santong(self, b: Block) -> bool:
        f, s = figure_text(b.text), {}
        where = f"第{b.number}段"
        m = re.search(r"其中[:：]?(.+?)。", f)
        items = []
        if m:
            for part in re.split(r"[、，,；;]", m.group(1)):
                im = re.match(r"^\s*(.+?)(?:支出)?\s*(?:为)?\s*" + NUM + r"\s*万元?\s*$", part)
                if im:
                    items.append({K["name"]: im.group(1).strip(), K["amount"]: dec(im.group(2))})
        s[K["items"]] = items
        m = re.search(r"三公.{0,3}经费(?:支出)?(?:总额|合计|共计|总计)\s*(?:为)?\s*" + NUM + r"\s*万", f)
        if m:
            self.check(where, "“三公”经费支出总额", m.group(1) + "万元", ("santong", K["items"]),
                       lambda r, sc: _n(sc.santong_total) + "万元")
        m = re.search(r"年初预算(?:支出|数)?\s*(?:为)?\s*" + NUM + r"\s*万", f)
        s[K["santong_budget"]] = dec(m.group(1)) if m else None
        m = re.search(r"比年初预算(减少|增加|节约|超支|下降|增长)\s*" + NUM + r"\s*万", f)
        if m:
            sign = "减少" if m.group(1) in ("减少", "节约", "下降") else "增加"
            self.check(where, "“三公”经费比年初预算", sign + m.group(2) + "万元", ("santong", K["santong_budget"]),
                       lambda r, sc: "持平" if sc.santong_change == 0 else ("减少" if sc.santong_change < 0 else "增加") + _n(abs(sc.santong_change)) + "万元")
        m = re.search(r"主要原因(?:是|为)[:：]?(.+?)[。；;]", b.text)
        if m:
            s[K["change_reason"]] = m.group(1).strip()
        pm, dm, hm = (re.search(p + r"\s*(\d+)\s*[辆台]", f) for p in (r"购置(?:公务用?车)?", r"处置(?:公务用?车)?", r"保有量?\s*(?:为)?"))
        if pm or dm or hm:
            fm = re.search(r"使用(.+?)购置", b.text)
            s[K["vehicles"]] = {K["funding"]: fm.group(1).strip() if fm else None, K["purchased"]: int(pm.group(1)) if pm else 0,
                                K["disposed"]: int(dm.group(1)) if dm else 0, K["held"]: int(hm.group(1)) if hm else None}
        if re.search(r"无因公出国", f):
            s[K["overseas"]] = {K["groups"]: 0, K["people"]: 0}
        else:
            om = re.search(r"因公出国\s*\(境\)\s*团组(?:数)?\s*(\d+)\s*个\s*[、，,]?\s*(\d+)\s*人", f)
            s[K["overseas"]] = {K["groups"]: int(om.group(1)), K["people"]: int(om.group(2))} if om else {K["groups"]: None, K["people"]: None}
        self.santong = s
        return bool(items or s[K["santong_budget"]] is not None)

    # -- 前期准备, 组织实施, 分析评价
    def do_preparation(self, body: list[Block]) -> None:
        for b in self.tables_first(body, "preparation"):
            m = re.match(r"^根据《([^》]+)》\s*[（(]([^（）()]+)[）)]\s*(?:等)?文件(?:要求|精神)?[，,：:]?(.+)$", b.text)
            if m and not self.prep:
                self.prep = {K["document"]: self.doc_id(m.group(1).strip(), m.group(2).strip()), K["text"]: m.group(3).strip()}
                self.place(b, ("evaluation", "preparation"))
            elif not self.prep:
                self.prep = {K["document"]: None, K["text"]: b.text}
                self.place(b, ("evaluation", "preparation"))
            else:
                self.leave(b, "preparation")

    def doc_id(self, title: str, number: str) -> str:
        for doc in self.docs:
            if doc[K["title"]] == title:
                return doc[K["id"]]
        self.docs.append({K["id"]: f"doc{len(self.docs) + 1}", K["title"]: title, K["number"]: number})
        return self.docs[-1][K["id"]]

    def do_phases(self, body: list[Block]) -> None:
        for b in self.tables_first(body, "phases"):
            m = re.match(rf"^第\s*([{CN}\d]+)\s*个?阶段(?:为|是|[:：])\s*([^，,：:。]+)[，,：:]\s*(.+)$", b.text)
            if m:
                phase = {K["name"]: m.group(2).strip()}
                text, start, end = self.period_text(m.group(3).strip())
                if start:
                    phase[K["start"]], phase[K["end"]] = start, end
                phase[K["text"]] = text
                self.phases.append(phase)
                self.place(b, ("evaluation", "phases", len(self.phases) - 1))
            elif re.search(r"分为.{1,3}个阶段", b.text) and b.text.rstrip().endswith((":", "：")):
                self.place(b, ("evaluation", "phases"))
            else:
                self.leave(b, "phases")

    def period_text(self, text: str) -> tuple[str, dt.date | None, dt.date | None]:
        """Dates to {period}, the form's title to {form}, as compose.fill writes them back."""
        f = figure_text(text)
        start = end = None
        m = PERIOD.search(f)
        if m:
            y1, m1, d1, y2, m2, d2 = m.groups()
            try:
                start = dt.date(int(y1), int(m1), int(d1))
                end = dt.date(int(y2 or y1), int(m2), int(d2))
                text = text[: m.start()] + "{period}" + text[m.end():]
            except ValueError:
                start = end = None
        if self.dept_name:
            text = text.replace(f"《{self.dept_name}{self.year}年度部门整体支出绩效自评表》", "{form}")
        return text, start, end

    def do_analysis(self, body: list[Block]) -> None:
        for b in self.tables_first(body, "analysis"):
            if not self.analysis:
                text, start, end = self.period_text(b.text)
                self.analysis = {K["start"]: start, K["end"]: end, K["text"]: text}
                self.place(b, ("evaluation", "analysis"))
            else:
                self.leave(b, "analysis")

    # -- numbered lists
    def do_list(self, name: str, body: list[Block]) -> None:
        for b in self.tables_first(body, name):
            m = ITEM.match(figure_text(b.text))
            if m and b.text[m.end():].strip():
                self.lists[name].append(b.text[m.end():].strip())
                self.place(b, (name, len(self.lists[name]) - 1))
            else:
                self.leave(b, name)

    def do_experience(self, body):
        self.do_list("experience", body)

    def do_problems(self, body):
        self.do_list("problems", body)

    def do_suggestions(self, body):
        self.do_list("suggestions", body)

    # -- 绩效评价情况及结论: conclusion, Table 1, the analyses
    def do_conclusion(self, body: list[Block]) -> None:
        current: tuple[str, Block, list[Block]] | None = None
        for b in self.tables_first(body, "conclusion"):
            m = re.match(r"^(?:\d{1,3}\s*[、.．]|[（(]\s*\d{1,3}\s*[)）])\s*(.+?)(?:情况)?分析\s*$", figure_text(b.text))
            if m:
                current = (b.text[m.start(1):m.end(1)].strip(), b, [])
                self.analyses.append(current)
                self.place(b, ("indicators",))
            elif current is not None:
                current[2].append(b)
            elif "总得分" in b.text or "等级" in b.text:
                self.read_conclusion(b)
            elif re.match(r"^表\s*\d+\s*[:：]", figure_text(b.text)) or re.fullmatch(r"表\s*\d+.{0,20}", b.text):
                self.place(b, ("indicators",))
            else:
                self.leave(b, "conclusion")

    def read_conclusion(self, b: Block) -> None:
        f, where = figure_text(b.text), f"第{b.number}段"
        m = re.search(r"总得分\s*(?:为)?\s*" + NUM + r"\s*分", f)
        if m:
            self.check(where, "自评总得分", m.group(1) + "分", ("indicators",), lambda r, s: _n(s.total) + "分")
        g = re.search(r"等级(?:为|是)?\s*[“\"]?\s*(优|良|中|差)", f)
        if g:
            self.check(where, "等级", g.group(1), ("indicators",), lambda r, s: s.grade)
        self.place(b, ("indicators",))

    def do_table(self, b: Block) -> bool:
        """Table 1 (指标名称, 权重, 得分, 得分率) or one of the form's tables; False for others."""
        if not b.rows:
            return True
        head = [re.sub(r"\s+", "", c) for c in b.rows[0]]

        def col(*words):
            return next((i for i, c in enumerate(head) if any(w in c for w in words)), None)

        if col("计量单位", "指标性质") is not None and col("指标名称") is not None:
            self.read_form_rows(b, head)
            return True
        name, weight, score, rate = col("指标名称", "指标"), col("权重", "分值"), col("得分") if "得分" in head else col("得分"), col("得分率", "系数")
        if name is not None and weight is not None:
            score = next((i for i, c in enumerate(head) if c in ("得分", "指标得分", "实际得分")), score)
            for r, row in enumerate(b.rows[1:], start=2):
                cell = lambda i: row[i].strip() if i is not None and i < len(row) else ""  # noqa: E731
                if not cell(name):
                    continue
                self.table1.append({"name": cell(name), "weight": dec(cell(weight)), "score": cell(score), "rate": cell(rate),
                                    "place": f"表{b.number}第{r}行（{cell(name)}）"})
            return True
        if head and head[0] == "主管部门":
            for row in b.rows:
                for label, value in zip(row[::2], row[1::2]):
                    if label.strip() == "联系人" and value.strip():
                        self.form_info[K["contact"]] = value.strip()
                    elif label.strip() == "电话" and value.strip():
                        self.form_info[K["phone"]] = value.strip()
                    elif label.strip() == "自评总分" and value.strip():
                        self.check(f"表{b.number}（自评表）", "自评总分", value.strip(), ("indicators",), lambda r, s: _n(s.total))
            return True
        if "年初预算数（万元）" in head and len(b.rows) > 1:
            row = b.rows[1]
            if len(row) >= 6:
                self.check(f"表{b.number}（自评表）", "执行率", row[3], ("budget",), lambda r, s: _pct(s.execution_rate))
                self.check(f"表{b.number}（自评表）", "执行率得分", row[5], ("budget",), lambda r, s: _n(s.execution.score))
                if self.budget.get(K["execution_weight"]) is None and dec(row[4]) is not None:
                    self.budget[K["execution_weight"]] = dec(row[4])
            return True
        if "年初绩效目标" in head:
            if len(b.rows) > 1:
                goals = {k: v.strip() for k, v in zip((K["initial"], K["adjusted"], K["achieved"]), b.rows[1]) if v.strip()}
                if goals:
                    self.form_info[K["goals"]] = goals
            return True
        if "偏差原因" in head and col("指标名称") is not None:
            for row in b.rows[1:]:
                if len(row) >= 2 and row[0].strip():
                    dev = {K["reason"]: row[1].strip()} | ({K["measure"]: row[2].strip()} if len(row) > 2 and row[2].strip() else {})
                    if row[0].strip() == "预算执行率":
                        self.exec_deviation = dev
                    else:
                        self.form_rows.setdefault(row[0].strip(), {})["deviation"] = dev
            return True
        return False

    def read_form_rows(self, b: Block, head: list[str]) -> None:
        idx = {c: i for i, c in enumerate(head)}
        for r, row in enumerate(b.rows[1:], start=2):
            get = lambda c: row[idx[c]].strip() if c in idx and idx[c] < len(row) else ""  # noqa: E731
            name = get("指标名称")
            if not name:
                continue
            entry = self.form_rows.setdefault(name, {})
            entry.update(unit=get("计量单位"), kind=get("指标性质"), initial=get("年初指标值"), adjusted=get("调整指标值"),
                         actual=get("全年完成值"), coefficient=get("得分系数"), weight=get("指标权重"), score=get("指标得分"),
                         core=get("是否核心指标"), place=f"表{b.number}（自评表）第{r}行（{name}）")

    # -- 附件
    def do_attachment(self, body: list[Block]) -> None:
        for b in self.tables_first(body, "attachment"):
            if "自评表" in b.text or b.text.strip() in ("预算执行情况", "年度绩效目标", "绩效指标", "偏差原因分析及改进措施"):
                self.place(b, ("form",))
            else:
                self.leave(b, "attachment")

    # ------------------------------------------------------------ assembling the draft
    def assemble(self) -> None:
        indicators = self.indicators()
        self.d.tree = tree = {}
        tree[K["year"]] = self.year
        tree[K["department"]] = {K["name"]: self.dept_name, K["short_name"]: self.short_name, K["rank"]: self.rank}
        tree[K["policy_documents"]] = self.docs or None
        tree[K["internal_units"]] = self.units or None
        staffing = dict(self.staffing) or {K["administrative"]: None, K["posts"]: [], K["section_leaders"]: None}
        tree[K["staffing"]] = staffing
        tree[K["functions"]] = self.functions or None
        budget = {k: self.budget.get(K[k]) for k in ("initial", "carryover_start", "adjusted")}
        if self.budget.get(K["adjusted_note"]):
            budget[K["adjusted_note"]] = self.budget[K["adjusted_note"]]
        budget |= {K[k]: self.budget.get(K[k]) for k in ("executed", "carryover_end", "execution_weight")}
        if self.exec_deviation:
            budget[K["deviation"]] = self.exec_deviation
        tree[K["budget"]] = budget
        if self.santong is not None:
            tree[K["santong"]] = self.santong
        tree[K["evaluation"]] = {
            K["preparation"]: self.prep or {K["document"]: None, K["text"]: None},
            K["phases"]: self.phases or None,
            K["analysis"]: self.analysis or {K["start"]: None, K["end"]: None, K["text"]: None},
        }
        if self.lists["experience"]:
            tree[K["experience"]] = self.lists["experience"]
        tree[K["indicators"]] = indicators or None
        for name in ("problems", "suggestions"):
            if self.lists[name]:
                tree[K[name]] = self.lists[name]
        if self.form_info:
            tree[K["form"]] = self.form_info
        # Unplaced paragraphs: beside the key of the section they stood in.
        for section, b in self.later:
            path = HOME.get(section, ("year",))
            self.left.append(Para(b.number, b.text, path))
            self.d.note(path, f"原文第{b.number}段（未能放入任何项）：{b.text}")

    def indicators(self) -> list[dict]:
        names = [row["name"] for row in self.table1 if row["name"] != "预算执行率"]
        names += [n for n in self.form_rows if n not in names and "weight" in self.form_rows[n]]
        by_name = {}
        for heading_name, head, body in self.analyses:
            target = heading_name if heading_name in names or heading_name == "预算执行率" else (
                difflib.get_close_matches(heading_name, names + ["预算执行率"], n=1, cutoff=0.75) or [heading_name])[0]
            if target == "预算执行率":
                self.read_execution(head, body)
                continue
            if target not in names:
                names.append(target)
            by_name[target] = (head, body)
        for row in self.table1:
            if row["name"] == "预算执行率":
                if row["weight"] is not None and self.budget.get(K["execution_weight"]) is None:
                    self.budget[K["execution_weight"]] = row["weight"]
                self.check(row["place"], "得分", row["score"], ("budget",), lambda r, s: _n(s.execution.score))
                self.check(row["place"], "得分率", row["rate"], ("budget",), lambda r, s: _pct(s.execution.rate))
        out = []
        for i, name in enumerate(names):
            out.append(self.indicator(i, name, by_name.get(name)))
        return out

    def read_execution(self, head: Block, body: list[Block]) -> None:
        for b in body:
            f, where = figure_text(b.text), f"第{b.number}段"
            if "执行率" not in f:
                self.leave(b, "budget")
                continue
            for label, key in (("年初预算数", "initial"), ("全年调整数", "adjusted"), ("预算执行数", "executed")):
                m = re.search(label + r"\s*(?:为)?\s*" + NUM + r"\s*万", f)
                if m and self.budget.get(K[key]) is None:
                    self.budget[K[key]] = dec(m.group(1))
                elif m:
                    self.check(where, label, m.group(1) + "万元", ("budget",), lambda r, s, key=key: _n(getattr(r.budget, key)) + "万元")
            m = re.search(r"[，,]\s*因(.+?)[，,]\s*(?:导致)?预算执行率", b.text)
            if m and not self.exec_deviation:
                self.exec_deviation = {K["reason"]: m.group(1).strip()}
            mm = re.search(r"改进措施[:：](.+?)。", b.text)
            if mm and self.exec_deviation and K["measure"] not in self.exec_deviation:
                self.exec_deviation[K["measure"]] = mm.group(1).strip()
            m = re.search(r"预算执行率\s*(?:为|是)?\s*" + NUM + r"\s*%", f)
            if m:
                self.check(where, "预算执行率", m.group(1) + "%", ("budget",), lambda r, s: _pct(s.execution_rate))
            m = SCORE_SENTENCE.search(f)
            if m:
                self.check(where, "预算执行率得分率", m.group(1) + "%", ("budget",), lambda r, s: _pct(s.execution.rate))
            self.place(b, ("budget",))

    def indicator(self, i: int, name: str, analysis: tuple[Block, list[Block]] | None) -> dict:
        path = ("indicators", i)
        t1 = next((row for row in self.table1 if row["name"] == name), None)
        fr = self.form_rows.get(name, {})
        ind = {K["name"]: name}
        weight = t1["weight"] if t1 and t1["weight"] is not None else dec(fr.get("weight", ""))
        ind[K["weight"]] = weight
        unit = fr.get("unit") or None
        kind = ENUM.get(fr.get("kind", ""), ENUM["定量"])
        actual = dec(fr["actual"]) if fr.get("actual") else None
        text, rate, deviation = None, None, fr.get("deviation")
        if analysis is not None:
            head, body = analysis
            paras = list(body)
            if paras:
                first = paras.pop(0)
                f = figure_text(first.text)
                m = SCORE_SENTENCE.search(f)
                text = first.text
                if m:
                    rate = m.group(1)
                    self.check(f"第{first.number}段", "得分率", rate + "%", path, _rate_of(name))
                    text = text[: m.start()] + text[m.end():]
                dm = re.search(r"偏差原因[:：](.+?)。(?:改进措施[:：](.+?)。)?", text)
                if dm:
                    deviation = deviation or ({K["reason"]: dm.group(1).strip()} | ({K["measure"]: dm.group(2).strip()} if dm.group(2) else {}))
                    text = text[: dm.start()] + text[dm.end():]
                text, actual, unit = self.actual_in(text.strip(), actual, unit, name, first.number, path)
                self.place(first, path)
            for b in paras:
                self.left.append(Para(b.number, b.text, path))
                self.d.note(path, f"原文第{b.number}段（未能放入任何项）：{b.text}")
        ind[K["unit"]] = unit
        ind[K["kind"]] = kind
        sign = next((s for s in ENUM if s in ("≥", "≤", "=") and (fr.get("initial", "") + fr.get("adjusted", "")).startswith(s)), None)
        targets = {k: dec(fr.get(src, "").lstrip("≥≤=><")) for k, src in (("target_initial", "initial"), ("target_adjusted", "adjusted"))}
        if any(v is not None for v in targets.values()):
            if sign:
                ind[K["direction"]] = ENUM[sign]
            for k, v in targets.items():
                if v is not None:
                    ind[K[k]] = v
        if actual is not None:
            ind[K["actual"]] = actual
        if fr.get("core") in ("是", "否"):
            ind[K["core"]] = fr["core"] == "是"
        coefficient = self.coefficient(rate, fr, t1, weight)
        if kind == ENUM["定性"]:
            c = coefficient
            band = None if c is None else ("达成" if c >= Decimal("0.8") else "部分达成" if c >= Decimal("0.6") else "未达成")
            ind[K["qualitative"]] = {K["achievement"]: ENUM.get(band) if band else None, K["coefficient"]: c}
        elif all(v is None for v in targets.values()) and coefficient is not None:
            basis = "满分" if coefficient == 1 else f"{_n(coefficient * 100)}%权重分"
            ind[K["judgement"]] = {K["coefficient"]: coefficient, K["basis"]: f"原报告按评价标准评定得{basis}，未载明指标值"}
        if deviation:
            ind[K["deviation"]] = deviation
        ind[K["analysis"]] = text
        if t1:
            self.check(t1["place"], "得分", t1["score"], path, _score_of(name))
            self.check(t1["place"], "得分率", t1["rate"], path, _rate_of(name))
        if fr.get("place"):
            self.check(fr["place"], "指标得分", fr.get("score", ""), path, _score_of(name))
            self.check(fr["place"], "得分系数", fr.get("coefficient", ""), path, _rate_of(name))
        if analysis is None:
            self.notes.append(f"指标“{name}”没有找到分析段落，请在草稿中补写 analysis")
        return ind

    def coefficient(self, rate: str | None, fr: dict, t1: dict | None, weight) -> Decimal | None:
        """The evaluation group's coefficient where no target is given: the analysis's 该指标得X%权重分,
        else the form's 得分系数, else Table 1's score ÷ weight."""
        for printed in (rate, (fr.get("coefficient") or "").rstrip("%％") or None):
            if printed and dec(printed) is not None:
                return dec(printed) / 100
        if t1 and dec(t1["score"] or "") is not None and weight:
            return dec(t1["score"]) / weight
        return None

    def actual_in(self, text: str, actual, unit, name: str, number: int, path: tuple):
        """The full-year actual written in the analysis (number + unit) becomes {actual}."""
        f = figure_text(text)
        units = "|".join(re.escape(u) for u in ([unit] if unit else UNITS))
        found = [m for m in re.finditer(NUM + r"\s*(" + units + r")", f) if not f[m.end():m.end() + 1] in ("年", "月")]
        if actual is not None:
            hits = [m for m in found if dec(m.group(1)) == actual]
            if len(hits) == 1:
                m = hits[0]
                return text[: m.start(1)] + "{actual}" + text[m.end(1):], actual, unit or m.group(2)
            return text, actual, unit
        values = {(dec(m.group(1)), m.group(2)) for m in found}
        if len(values) == 1:
            m = found[0]
            return text[: m.start(1)] + "{actual}" + text[m.end(1):], dec(m.group(1)), unit or m.group(2)
        if len(values) > 1:
            shown = "、".join(m.group(0) for m in found)
            note = f"指标“{name}”（第{number}段）写有多个数字（{shown}），未判定全年完成值，请填写 actual"
            self.notes.append(note)
            self.d.note(path, f"提示：{note}。")
            units_found = {u for _, u in values}
            if unit is None and len(units_found) == 1:
                unit = units_found.pop()
        return text, None, unit


def _n(value) -> str:
    from .compose import num

    return num(value)


def _pct(value) -> str:
    from .compose import percent

    return percent(value)


def _row(report, scores, name):
    for ind, row in zip(report.indicators, scores.indicators):
        if ind.name == name:
            return row
    return None


def _score_of(name: str):
    return lambda r, s: (lambda row: None if row is None else _n(row.score))(_row(r, s, name))


def _rate_of(name: str):
    return lambda r, s: (lambda row: None if row is None else _pct(row.rate))(_row(r, s, name))


def parse(blocks: list[Block], year: int, source_name: str) -> Imported:
    return Parser(blocks, year, source_name).run()
