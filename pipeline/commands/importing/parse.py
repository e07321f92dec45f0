"""The report's sections → content keys, sentence by sentence.

The wording read here is the wording output/compose.py writes (and the reference report's), with the
common variants a hand-typed report uses. Figures the tool derives are never stored: each one
the source prints becomes a ``Check`` that command.py compares with the computed figure.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Callable

from .figures import Figures, _n
from .keys import KEY
from . import shapes
from .headings import section_of
from .sections import (
    CN, DOC, HOME, ITEM, MAX_PARAGRAPH, NUM, PERIOD, PERIOD_DOTS, closing, dec, figure_text, heading, sections, where, written_date,
)
from .formread import TITLE as FORM_TITLE
from .formread import place_of
from .types import Block, Check, Draft, Imported, Para

K = KEY


# ---------------------------------------------------------------- the parser


class Parser(Figures):
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
        self.exec_deviation: dict = {}
        self.later: list[tuple[str, Block]] = []  # unplaced, with the section they were in
        self.supervisor: str | None = None  # the form's 主管部门
        self.form_parts: list[list[str]] = []  # the form's 支出类别 rows
        self.note_line: Block | None = None  # 附件说明
        self.signed: tuple[Block, Block] | None = None  # 落款: name, date
        self.forms_read: list[str] = []  # where each whole 自评表 was read (表2, 工作表“Sheet1”)
        self.cells_left = 0  # cells of those forms neither label nor value read (kept as comments)
        self.tables_unread: list[str] = []  # tables not understood: where, and their first cells
        self.supervisor_read = False  # the 主管部门 came from a form's label (blank or not)
        self.head_title = ""  # the heading of the section being read
        self.said: dict[str, dict] = {}  # indicators stated in a sentence (shapes.indicator), by name
        self.level1: str | None = None  # the group heading (（一）产出指标) above the paragraphs being read

    # -- bookkeeping
    def place(self, block: Block, path: tuple, figures: bool = False) -> None:
        self.placed.append(Para(block.number, block.text, tuple(path), figures))

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
        note, name, when = closing(kept)
        if note is not None:
            self.note_line = note
            self.place(note, ("form",))
        if name is not None:
            self.signed = (name, when)
            self.place(name, ("signature",))
            self.place(when, ("signature",))
        kept = [b for b in kept if all(b is not x for x in (note, name, when))]
        for name, head, body in sections(kept):
            if head is not None and head.kind == "p":
                if name == "other":
                    self.leave(head, previous)
                else:
                    self.place(head, HOME.get(name, ("year",)))
            self.head_title = head.text if head is not None and head.kind == "p" else ""
            handler = getattr(self, f"do_{name}", None)
            home = previous if name == "other" else name
            if handler is None:  # a part the import does not know: its paragraphs by their shape
                for b in self.tables_first(body, home):
                    if not self.by_shape(b):
                        self.leave(b, home)
            else:
                handler(body)
            if name not in ("other", "container"):
                previous = name
        self.assemble()
        total = sum(1 for b in self.blocks if b.kind == "p")
        tables = sum(1 for b in self.blocks if b.kind == "table")
        return Imported(self.d, self.placed, self.left, self.checks, self.notes, total, tables=tables, forms=self.forms_read,
                        cells_left=self.cells_left, tables_unread=self.tables_unread, form_only=self.form_only())

    def form_only(self) -> bool:
        """Only a 自评表 was read: no part of a narrative (the draft is then a form-only file)."""
        narrative = (self.docs, self.units, self.functions, self.staffing, self.santong, self.prep, self.phases,
                     self.analysis, self.analyses, self.said, self.rank, *self.lists.values())
        return bool(self.forms_read or self.form_rows) and not any(narrative)

    def tables_first(self, body: list[Block], section: str) -> list[Block]:
        """Tables anywhere: Table 1 and the form's tables are read; other tables are comments."""
        rest = []
        for b in body:
            if b.kind == "table" and b.note:
                self.notes.append(f"{table_place(b)}：{b.note}")
            if b.kind == "table":
                if not self.do_table(b):
                    self.d.note(HOME.get(section, ("year",)), f"原文表格{b.number}：" + " ／ ".join(" | ".join(r) for r in b.rows))
                    firsts = [c.strip() for r in b.rows for c in r if c.strip()][:4]
                    self.tables_unread.append(f"{table_place(b)}（" + "".join(f"“{c[:12]}”" for c in firsts) + "…）")
            else:
                rest.append(b)
        return rest

    # -- front matter: title and the introduction's documents
    def do_front(self, body: list[Block]) -> None:
        for b in self.tables_first(body, "front"):
            m = re.match(r"^(.+?)\s*(\d{4})\s*年度?\s*部门整体支出绩效(?:自评|评价)报告$", b.text)
            docs = DOC.findall(b.text)
            form_title = FORM_TITLE.match(re.sub(r"\s+", "", b.text))
            if form_title and not m:
                self.dept_name = self.dept_name or form_title.group(1).strip() or None
                self.place(b, ("department", "name"))
            elif m:
                self.dept_name = self.dept_name or m.group(1).strip()
                if int(m.group(2)) != self.year:
                    self.notes.append(f"原文标题的年度为 {m.group(2)}，草稿按指定的 {self.year} 年度写入")
                self.place(b, ("department", "name"))
            elif b.text.strip() in FORM_PARTS and self.forms_read:
                self.place(b, ("form",))  # the standalone form's part titles (预算执行情况, 绩效指标…)
            elif re.fullmatch(r"[（(]?\s*(?:金额)?单位\s*[:：]\s*万元\s*[)）]?", b.text.strip()):
                self.place(b, ("budget",))  # the form's unit line: its figures are in 万元
            elif docs and not self.docs:
                for title, number in docs:
                    self.docs.append({K["id"]: f"doc{len(self.docs) + 1}", K["title"]: title.strip(), K["number"]: number.strip()})
                self.place(b, ("policy_documents",))
            else:
                self.leave(b, "front")

    def do_container(self, body: list[Block]) -> None:
        """Paragraphs right under a heading that may hold others (二、部门预算及支出情况, 五、主要成效):
        placed by their sentence's shape."""
        for b in self.tables_first(body, "container"):
            if not self.by_shape(b):
                self.leave(b, "container")

    def by_shape(self, b: Block) -> bool:
        """The paragraph placed by what it says, whatever heading it stands under; False if no shape fits."""
        text = b.text
        if "年初预算" in text and K["initial"] not in self.budget and "三公" not in text[:12] and self.read_budget(b):
            self.place(b, ("budget",), figures=True)
            return True
        if self.budget and "三公" not in text and re.search(r"全年预算|调整预算|执行", text) and (
                K["executed"] not in self.budget or K["adjusted"] not in self.budget) and self.read_budget(b, more=True):
            self.place(b, ("budget",), figures=True)  # the execution in a paragraph of its own
            return True
        if "三公" in text and self.santong is None and self.read_santong(b):
            self.place(b, ("santong",), figures=True)
            return True
        if self.units_or_staffing(b):
            return True
        if (not self.prep or self.prep.get(K["document"]) is None) and self.read_evaluation(b):
            return True
        if self.parts_alone(b):
            return True
        if self.read_indicator(b):
            return True
        m = ITEM.match(figure_text(text))
        if m and text[m.end():].strip() and re.search(r"成效|经验|做法", self.head_title):
            self.lists["experience"].append(text[m.end():].strip())
            self.place(b, ("experience", len(self.lists["experience"]) - 1))
            return True
        if not self.prep and re.search(r"评价|自评", self.head_title):
            self.prep = {K["document"]: None, K["text"]: text}  # the work's preparation, in the unit's words
            self.place(b, ("evaluation", "preparation"))
            return True
        return False

    def parts_in(self, b: Block, f: str, got: dict) -> list[dict]:
        """…45680.25万元，其中：基本支出32560.10万元，项目支出13120.15万元。 — the parts of the total
        just read, in the same sentence."""
        m = re.search(r"其中[:：,，]?\s*([^。]{1,400})", f)
        if not m:
            return []
        pieces = re.findall(r"([^\d,，;；:：。]{2,12}?)\s*(?:为)?\s*" + NUM + r"\s*万元?", m.group(1))
        if len(pieces) < 2:
            return []
        total = sum(dec(n) for _, n in pieces)
        which = next((k for k in ("initial", "adjusted", "executed") if got.get(K[k]) == total), None)
        if which is None:
            return []
        if which != "initial":
            self.d.note(("budget", "parts"), f"提示：原文第{b.number}段各支出类别的数额合计等于{ {'adjusted': '全年（调整）预算数', 'executed': '全年执行数'}[which] }，其余数额原文未载明，请补填。")
        return [{K["name"]: name.strip(), K["initial"]: None} | {K[which]: dec(n)} for name, n in pieces]

    def parts_alone(self, b: Block) -> bool:
        """其中基本支出1250.30万元，项目支出2100.58万元。 after the budget sentence: the parts of
        whichever total they add up to (initial, adjusted or executed)."""
        f = figure_text(b.text).strip()
        if not f.startswith("其中") or self.budget.get(K["parts"]) or not self.budget:
            return False
        pieces = re.findall(r"([^\d,，;；:：。]{2,12}?)\s*(?:为)?\s*" + NUM + r"\s*万元?", f.removeprefix("其中").lstrip(",，:："))
        if len(pieces) < 2:
            return False
        total = sum(dec(n) for _, n in pieces)
        which = next((k for k in ("executed", "adjusted", "initial") if self.budget.get(K[k]) == total), None)
        if which is None:
            return False
        self.budget[K["parts"]] = [{K["name"]: name.strip(), K["initial"]: None} | {K[which]: dec(n)} for name, n in pieces]
        if which != "initial":
            said = {"executed": "全年执行数", "adjusted": "全年（调整）预算数"}[which]
            missing = "、".join(x for k, x in (("initial", "年初预算数（initial）"), ("executed", "全年执行数（executed）")) if k != which)
            self.d.note(("budget", "parts"), f"提示：原文第{b.number}段各支出类别的数额合计等于{said}，其余数额原文未载明，请补填{missing}。")
        self.place(b, ("budget", "parts"), figures=True)
        return True

    def read_evaluation(self, b: Block) -> bool:
        """根据《…》（…号）要求，……于2023年2月10日至3月10日开展……: the document, the preparation's
        words and the evaluation's period, from one paragraph."""
        said = shapes.evaluation(b.text)
        if said is None:
            return False
        title, number, rest, start, end = said
        if self.prep:  # the preparation was told before: this paragraph gives its document and the period
            self.prep[K["document"]] = self.doc_id(title, number)
            if start is not None and not self.analysis:
                text, start, end = self.period_text(rest)
                self.analysis = {K["start"]: start, K["end"]: end, K["text"]: text}
            self.place(b, ("evaluation", "analysis"))
            return True
        self.prep = {K["document"]: self.doc_id(title, number), K["text"]: rest}
        if start is not None and not self.analysis:
            self.analysis = {K["start"]: start, K["end"]: end, K["text"]: None}
            self.d.note(("evaluation", "analysis"), f"提示：评价的起止日期取自原文第{b.number}段；分析评价的描述（text）原文没有单独一段，请补写。")
        self.place(b, ("evaluation", "preparation"))
        return True

    def read_indicator(self, b: Block) -> bool:
        """1.新闻稿件播发数量：年初目标≥3000篇，全年完成3250篇，得5分。 — kept by name; figures.py
        makes it an indicator (or the analysis of the form's row of that name)."""
        said = shapes.indicator(b.text)
        if said is None or said["name"] in self.said:
            return False
        said["block"] = b
        said["level1"] = self.level1
        self.said[said["name"]] = said
        return True

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
            if not self.by_shape(b):
                self.leave(b, "units")

    def units_or_staffing(self, b: Block) -> bool:
        text = b.text
        said = shapes.units_sentence(text)
        if said is not None and not self.units:
            owner, names, count = said
            if owner and not self.dept_name and len(owner) > 4:
                self.dept_name = owner
            self.units = [{K["name"]: n, K["duties"]: None} for n in names]
            if count is not None and count != len(names):
                self.notes.append(f"第{b.number}段写“{count}个”，列出的名称为 {len(names)} 个，请核对 internal_units")
            self.d.note(("internal_units",), f"提示：原文第{b.number}段只列出内设机构的名称，各机构的职责（duties）请补写。")
            self.place(b, ("internal_units",))
            return True
        if re.search(r"设(?:有)?(?:下列|以下|如下)?(?:内设机构|科室|处室)[^。]{0,40}[:：]$", text):
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
            self.staffing = {K["administrative"]: int(m.group(2)), K["posts"]: posts}
            if leaders is not None:  # none printed: the content had none
                self.staffing[K["section_leaders"]] = leaders
            self.place(b, ("staffing",), figures=True)
            return True
        m = re.match(r"^([^，,。；;：:]{1,30}?)设\s*([^。：:]{1,400}?)。?$", f)
        if m and not self.staffing:
            # No 行政编制 (compose then writes only the posts): 区科技局设局长1名，副局长2名。
            parts = [part.strip() for part in re.split(r"[，,、；;]", m.group(2)) if part.strip()]
            counted = [re.match(r"^(.+?)\s*(\d+)\s*名$", part) for part in parts]
            if parts and all(counted):
                self.short_name = text[: len(m.group(1))].strip().removesuffix("机关")
                posts = [{K["title"]: c.group(1).strip(), K["count"]: int(c.group(2))} for c in counted if "科级" not in c.group(1)]
                leaders = next((int(c.group(2)) for c in counted if "科级" in c.group(1)), None)
                self.staffing = {K["posts"]: posts} | ({K["section_leaders"]: leaders} if leaders is not None else {})
                self.place(b, ("staffing",), figures=True)
                return True
        said = shapes.staffing_loose(text)
        if said is not None and not self.staffing:
            administrative, institutional, rest = said
            if administrative is not None:
                self.staffing[K["administrative"]] = administrative
                self.staffing[K["posts"]] = []
            if institutional is not None:
                self.staffing[K["institutional"]] = [{K["name"]: None, K["count"]: institutional}]
                self.d.note(("staffing",), "提示：事业编制的人员类别（institutional 的 name，如 机关后勤服务人员）原文未载明，请补填。")
            if rest:
                self.d.note(("staffing",), f"原文第{b.number}段另有（内容文件没有对应的项）：{rest}")
            self.place(b, ("staffing",), figures=True)
            return True
        said = shapes.institutional(text)
        if said is not None and said[2] and not self.staffing.get(K["institutional"]):
            who, count, rest = said
            self.staffing.setdefault(K["institutional"], []).append({K["name"]: who or None, K["count"]: count})
            self.d.note(("staffing",), f"原文第{b.number}段另有（内容文件没有对应的项）：{rest}")
            self.place(b, ("staffing", "institutional"), figures=True)
            return True
        m = re.match(r"^(.+?)事业编制\s*(\d+)\s*名。?$", f)
        if m:
            self.staffing.setdefault(K["institutional"], []).append({K["name"]: text[: len(m.group(1))].strip(), K["count"]: int(m.group(2))})
            self.place(b, ("staffing", "institutional"), figures=True)
            return True
        return False

    # -- 职能职责
    def do_functions(self, body: list[Block]) -> None:
        for b in self.tables_first(body, "functions"):
            m = ITEM.match(figure_text(b.text))
            if m and b.text[m.end():].strip():
                self.functions.append(b.text[m.end():].strip())
                self.place(b, ("functions", len(self.functions) - 1))
            elif not self.units_or_staffing(b) and not self.functions_in_one(b):
                self.leave(b, "functions")

    def functions_in_one(self, b: Block) -> bool:
        """主要职能：负责……；负责……。 — one paragraph, the duties split at its semicolons."""
        text = re.sub(r"^[^：:。]{0,12}(?:职能|职责)(?:是|为|有)?[：:]", "", b.text.strip())
        pieces = [p.strip() for p in re.split(r"[；;]", text) if p.strip()]
        if len(pieces) < 2 and not re.match(r"^(负责|承担|贯彻|组织|拟订|制定)", text):
            return False
        start = len(self.functions)
        for piece in pieces:
            self.functions.append(piece if piece.endswith("。") else piece + "。")
        self.place(b, ("functions", start))
        return True

    # -- 财政资金整体支出
    def do_budget(self, body: list[Block]) -> None:
        for b in self.tables_first(body, "budget"):
            if not self.by_shape(b):
                self.leave(b, "budget")

    def read_budget(self, b: Block, more: bool = False) -> bool:
        """The budget sentence; with ``more``, a later one adding what the first did not say."""
        f = figure_text(b.text)
        got = {}
        m = re.search(r"年初预算(?:数|金额|安排|资金)?\s*(?:为|是|共|:)?\s*" + NUM + r"\s*万", f)
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
        m = re.search(r"(?:全年)?(?:执行数|实际支出|支出数|执行金额|决算数|全年支出|实际执行|执行)\s*(?:为|是|了)?\s*" + NUM + r"\s*万", f)
        if m:
            got[K["executed"]] = dec(m.group(1))
        parts = self.read_parts(b, f) or self.read_loose_parts(b, f, got) or self.parts_in(b, f, got)
        if parts:
            got[K["parts"]] = parts
        m = re.search(r"(?:预算)?执行率\s*(?:为|是)?\s*" + NUM + r"\s*%", f.split("其中")[0])
        if m and got:
            self.check(where(b), "预算执行率", m.group(1) + "%", ("budget",), lambda r, s: _pct_rate(s))
        if more:
            got = {k: v for k, v in got.items() if self.budget.get(k) is None}
        self.budget.update(got)
        return bool(got)

    def read_parts(self, b: Block, f: str) -> list[dict]:
        """其中，基本支出年初预算数…万元，全年（调整）预算数…万元，全年执行数…万元，执行率…%；项目支出…。
        The rates are the tool's: compared, not stored."""
        m = re.search(r"。\s*其中[,:]\s*([^。]{1,2000})。", f)
        parts = []
        for piece in re.split(r"[;；]", m.group(1)) if m else []:
            pm = re.match(r"^\s*([^,\d]{1,20}?)\s*年初预算(?:数)?\s*(?:为)?\s*" + NUM + r"\s*万元?", piece)
            em = re.search(r"(?:全年)?执行数\s*(?:为)?\s*" + NUM + r"\s*万", piece)
            if not (pm and em):
                return []  # not a list of parts as the tool writes it
            am = re.search(r"调整\)?\s*预算数\s*(?:为)?\s*" + NUM + r"\s*万", piece)
            part = {K["name"]: pm.group(1).strip(), K["initial"]: dec(pm.group(2)),
                    K["adjusted"]: dec(am.group(1)) if am else None, K["executed"]: dec(em.group(1))}
            if part[K["adjusted"]] is None:
                del part[K["adjusted"]]
            parts.append(part)
            rm = re.search(r"执行率\s*(?:为)?\s*" + NUM + r"\s*%", piece)
            if rm:
                i, name = len(parts) - 1, part[K["name"]]
                self.check(where(b), f"{name}执行率", rm.group(1) + "%", ("budget", "parts"),
                           lambda r, s, i=i: _pct_part(r.budget.parts[i]) if i < len(r.budget.parts) else None)
        return parts

    def read_loose_parts(self, b: Block, f: str, got: dict) -> list[dict]:
        """其中，基本支出1010.50万元，执行1003.20万元；…: each part's budget is the initial one or the
        adjusted one, whichever total the parts add up to (neither: a comment asks)."""
        loose = shapes.loose_parts(f)
        if not loose:
            return []
        total = sum(p[1] for p in loose)
        which = "adjusted" if got.get(K["adjusted"]) == total else "initial" if got.get(K["initial"]) == total else None
        parts = []
        for i, (name, budget, executed, rate) in enumerate(loose):
            part = {K["name"]: name, K["initial"]: budget if which == "initial" else None}
            if which == "adjusted":
                part[K["adjusted"]] = budget
            part[K["executed"]] = executed
            parts.append(part)
            if rate:
                self.check(where(b), f"{name}执行率", rate, ("budget", "parts"),
                           lambda r, s, i=i: _pct_part(r.budget.parts[i]) if i < len(r.budget.parts) else None)
        if which != "initial":
            what = "全年（调整）预算数" if which == "adjusted" else "年初预算数或全年（调整）预算数"
            self.d.note(("budget", "parts"), f"提示：原文第{b.number}段各支出类别的预算数合计等于{what}，各类别的年初预算数（initial）原文未载明，请补填。")
        return parts

    def parts_from_form(self) -> list[dict]:
        parts = []
        for row in self.form_parts:
            cells = (row + [""] * 5)[:5]
            initial, adjusted, executed = dec(cells[1]), dec(cells[2]), dec(cells[3])
            if initial is None or executed is None:
                return []
            part = {K["name"]: cells[0].strip(), K["initial"]: initial, K["executed"]: executed}
            if adjusted is not None:
                part = {K["name"]: cells[0].strip(), K["initial"]: initial, K["adjusted"]: adjusted, K["executed"]: executed}
            parts.append(part)
        return parts

    # -- 三公
    def do_santong(self, body: list[Block]) -> None:
        for b in self.tables_first(body, "santong"):
            if self.santong is None and "三公" in b.text and self.read_santong(b):
                self.place(b, ("santong",), figures=True)
            else:
                self.leave(b, "santong")

    def read_santong(self, b: Block) -> bool:
        f, s = figure_text(b.text), {}
        place = where(b)
        m = re.search(r"其中[:：]?([^。]{1,1000})。", f)
        items = []
        if m:
            for part in re.split(r"[、，,；;]", m.group(1)):
                im = re.match(r"^\s*(.+?)(?:支出)?\s*(?:为)?\s*" + NUM + r"\s*万元?\s*$", part)
                if im:
                    items.append({K["name"]: im.group(1).strip(), K["amount"]: dec(im.group(2))})
        s[K["items"]] = items
        m = re.search(r"三公.{0,3}经费(?:支出)?(?:总额|合计|共计|总计)\s*(?:为)?\s*" + NUM + r"\s*万", f) or re.search(
            r"[,，]\s*(?:实际)?支出(?:总额|合计)?\s*(?:为)?\s*" + NUM + r"\s*万", f.split("其中")[0])
        if m and items:
            self.check(place, "“三公”经费支出总额", m.group(1) + "万元", ("santong", "items"),
                       lambda r, sc: _n(sc.santong_total) + "万元")
        elif m:
            self.d.note(("santong", "items"), f"提示：原文第{b.number}段只写了“三公”经费支出合计 {m.group(1)} 万元，没有分项：请按项目填写 items（合计由程序计算）。")
        m = re.search(r"(?:年初)?预算(?:支出|数)?\s*(?:为)?\s*" + NUM + r"\s*万", f)
        s[K["santong_budget"]] = dec(m.group(1)) if m else None
        m = re.search(r"(?:比|较)(?:年初)?预算(减少|增加|节约|超支|下降|增长)\s*" + NUM + r"\s*万", f)
        if m:
            sign = "减少" if m.group(1) in ("减少", "节约", "下降") else "增加"
            self.check(place, "“三公”经费比年初预算", sign + m.group(2) + "万元", ("santong", "santong_budget"),
                       lambda r, sc: "持平" if sc.santong_change == 0 else ("减少" if sc.santong_change < 0 else "增加") + _n(abs(sc.santong_change)) + "万元")
        m = re.search(r"主要原因(?:是|为)[:：]?([^。；;]{1,300})[。；;]", b.text)
        if m:
            s[K["change_reason"]] = m.group(1).strip()
        pm, dm, hm = (re.search(p + r"\s*(\d+)\s*[辆台]", f) for p in (r"购置(?:公务用?车)?", r"处置(?:公务用?车)?", r"保有(?:量|公务用?车)?\s*(?:为)?"))
        if pm or dm or hm:
            fm = re.search(r"使用([^，,。]{1,40}?)购置", b.text)
            s[K["vehicles"]] = {K["funding"]: fm.group(1).strip() if fm else None, K["purchased"]: int(pm.group(1)) if pm else 0,
                                K["disposed"]: int(dm.group(1)) if dm else 0, K["held"]: int(hm.group(1)) if hm else None}
        if re.search(r"无因公出国", f):
            s[K["overseas"]] = {K["groups"]: 0, K["people"]: 0}
        else:
            om = re.search(r"因公出国\s*\(境\)\s*团组(?:数)?\s*(\d+)\s*个\s*[、，,]?\s*(\d+)\s*人", f)
            if om:  # not mentioned: the content had none (the report prints nothing then)
                s[K["overseas"]] = {K["groups"]: int(om.group(1)), K["people"]: int(om.group(2))}
        if items or s[K["santong_budget"]] is not None:
            self.santong = s
            return True
        return False

    # -- 前期准备, 组织实施, 分析评价
    def do_preparation(self, body: list[Block]) -> None:
        for b in self.tables_first(body, "preparation"):
            m = re.match(r"^(?:根据|按照|依据)《([^》]+)》\s*[（(]([^（）()]+)[）)]\s*(?:等)?文件(?:要求|精神)?[，,：:]?(.+)$", b.text)
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
            m = re.match(rf"^第\s*([{CN}\d]+)\s*个?阶段(?:为|是|[:：])\s*([^，,：:。]+)[，,：:。]\s*(.+)$", b.text)
            if m:
                phase = {K["name"]: m.group(2).strip()}
                text, start, end = self.period_text(m.group(3).strip())
                if start:
                    phase[K["start"]], phase[K["end"]] = start, end
                phase[K["text"]] = text
                self.phases.append(phase)
                self.place(b, ("evaluation", "phases", len(self.phases) - 1))
            elif (one := re.match(r"^本次(?:绩效)?评价工作(?:于(.+?)开展|为([^，,。]+))[。，,]\s*(.*)$", b.text)) and not self.phases:
                # one phase (compose: "本次绩效评价工作于……开展。" or "…为<阶段名称>。")
                phase = {K["name"]: one.group(2).strip()} if one.group(2) else {}
                if one.group(1):
                    _, start, end = self.period_text(one.group(1))
                    if start:
                        phase[K["start"]], phase[K["end"]] = start, end
                phase[K["text"]] = self.period_text(one.group(3).strip())[0]
                self.phases.append(phase)
                self.place(b, ("evaluation", "phases", 0))
            elif re.search(r"分为.{1,3}个阶段", b.text) and b.text.rstrip().endswith((":", "：")):
                self.place(b, ("evaluation", "phases"))
            else:
                self.leave(b, "phases")

    def period_text(self, text: str) -> tuple[str, dt.date | None, dt.date | None]:
        """Dates to {period}, the form's title to {form}, as compose.fill writes them back."""
        f = figure_text(text)
        start = end = None
        m = PERIOD.search(f) or PERIOD_DOTS.search(f)
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
            m = ITEM.match(figure_text(b.text)) or re.match(rf"^\s*[{CN}]是\s*[，,：:]?\s*", b.text)
            if m and b.text[m.end():].strip():
                self.lists[name].append(b.text[m.end():].strip())
                self.place(b, (name, len(self.lists[name]) - 1))
            elif b.text.strip().endswith(("。", ".", "；", ";")) and len(b.text) <= 600:
                self.lists[name].append(b.text.strip())  # an item typed without a number
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
            elif self.group_heading(b):
                pass
            elif "总得分" in b.text or "等级" in b.text:
                self.read_conclusion(b)
            elif re.match(r"^表\s*\d+\s*[:：]", figure_text(b.text)) or re.fullmatch(r"表\s*\d+.{0,20}", b.text):
                self.place(b, ("indicators",))
            elif not self.read_indicator(b):
                self.leave(b, "conclusion")

    def group_heading(self, b: Block) -> bool:
        """（一）产出指标 over the indicator paragraphs that follow: their 一级指标."""
        m = re.match(r"^[（(]?\s*[一二三四五六七八九十\d]{1,3}\s*[)）、.．]?\s*((?:产出|效益|满意度|效果|履职效能|管理效率|成本)指标)(?:完成情况|实现情况|情况)?\s*[。.]?$", figure_text(b.text).strip())
        if not m:
            found = heading(b)
            if found and section_of(found[1]) == "conclusion":
                self.place(b, ("indicators",))  # （三）自评结论
                return True
            return False
        self.level1 = m.group(1)
        self.place(b, ("indicators",))
        return True

    def read_conclusion(self, b: Block) -> None:
        f, place = figure_text(b.text), where(b)
        m = re.search(r"(?:总得分|自评得分|综合得分|总分)\s*(?:为|是)?\s*" + NUM + r"\s*分", f)
        if m:
            self.check(place, "自评总得分", m.group(1) + "分", ("indicators",), lambda r, s: _n(s.total) + "分")
        g = re.search(r"等级(?:为|是)?\s*[“\"]?\s*(优|良|中|差)", f)
        if g:
            self.check(place, "等级", g.group(1), ("indicators",), lambda r, s: s.grade)
        self.place(b, ("indicators",))

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
        short_name = self.short_name
        if short_name is None and self.dept_name and self.staffing.get(K["administrative"]) is None:
            # Printed only in the 行政编制 sentence: a report without one never names it.
            short_name = self.dept_name
            self.d.note(("department", "short_name"), "提示：原文未出现部门简称（只在行政编制一句中使用），暂填部门全称，请改为简称。")
        tree[K["department"]] = {K["name"]: self.dept_name, K["short_name"]: short_name, K["rank"]: self.rank}
        if self.supervisor is not None and (self.supervisor or self.supervisor_read):
            # As the form prints it, the department's own name included (an absent key leaves the
            # cell empty); a label with an empty cell: typed blank.
            tree[K["department"]][K["supervisor"]] = self.supervisor or None
        tree[K["policy_documents"]] = self.docs or None
        tree[K["internal_units"]] = self.units or None
        staffing = dict(self.staffing) or {K["administrative"]: None, K["posts"]: [], K["section_leaders"]: None}
        tree[K["staffing"]] = staffing
        tree[K["functions"]] = self.functions or None
        budget = {k: self.budget.get(K[k]) for k in ("initial", "carryover_start", "adjusted")}
        if self.budget.get(K["adjusted_note"]):
            budget[K["adjusted_note"]] = self.budget[K["adjusted_note"]]
        budget |= {K[k]: self.budget.get(K[k]) for k in ("executed", "carryover_end")}
        if self.budget.get(K["execution_weight"]) is not None:
            budget[K["execution_weight"]] = self.budget[K["execution_weight"]]
        else:  # absent means "no execution-rate item": a fact the source did not state either way
            self.d.note(("budget",), "提示：原文未载明预算执行率的权重（分值）：自评表有预算执行率得分项的，请填写 execution_weight。")
        if self.exec_deviation:
            budget[K["deviation"]] = self.exec_deviation
        parts = self.budget.get(K["parts"]) or self.parts_from_form()
        if parts:
            budget[K["parts"]] = parts
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
        signature = self.signature()
        if signature:
            tree[K["signature"]] = signature
        if self.form_only():
            self.only_the_form(tree)
        # Unplaced paragraphs: beside the key of the section they stood in.
        for section, b in sorted(self.later, key=lambda item: item[1].number):
            path = HOME.get(section, ("year",))
            self.left.append(Para(b.number, b.text, path))
            self.d.note(path, f"原文第{b.number}段（未能放入任何项）：{b.text}")


    def only_the_form(self, tree: dict) -> None:
        """A form-only file: what a 自评表 holds and nothing of a narrative (not even blank keys)."""
        keep = (K["year"], K["department"], K["budget"], K["indicators"], K["form"])
        for key in [k for k in tree if k not in keep]:
            del tree[key]
        department = tree[K["department"]]
        department.pop(K["rank"], None)
        if department.get(K["short_name"]) in (None, self.dept_name):
            department.pop(K["short_name"], None)
            self.d.comments.pop((K["department"], K["short_name"]), None)
        for ind in tree.get(K["indicators"]) or []:
            ind.pop(K["analysis"], None)
        budget = tree[K["budget"]]
        for key in (K["carryover_start"], K["carryover_end"], K["adjusted"], K["execution_weight"]):
            if budget.get(key) is None:
                budget.pop(key, None)  # not in the form: unknown, and said nowhere

    def signature(self) -> dict:
        """The 落款 as the content states it: only what differs from the defaults (the department's
        name, the analysis's end date); a 附件说明 with no 落款 after it: the report printed none."""
        if self.signed is None:
            return {K["show"]: False} if self.note_line is not None else {}
        name, when = self.signed
        out = {}
        if name.text.strip() != self.dept_name:
            out[K["name"]] = name.text.strip()
        date = written_date(when.text)
        if date != (self.analysis or {}).get(K["end"]):
            out[K["date"]] = date
        return out


def _pct_rate(scores) -> str:
    from ...content.wording import percent

    return percent(scores.execution_rate)


def _pct_part(part) -> str | None:
    from ...output.compose import part_rate, percent

    rate = part_rate(part)
    return None if rate is None else percent(rate)


FORM_PARTS = ("预算执行情况", "年度绩效目标", "绩效指标", "偏差原因分析及改进措施")


def table_place(b: Block) -> str:
    return place_of(b, 1).removesuffix("第1行")


def parse(blocks: list[Block], year: int, source_name: str) -> Imported:
    return Parser(blocks, year, source_name).run()
