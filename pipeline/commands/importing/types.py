"""The import's data, imported by every other module of the package: what the readers give (Block),
what the parser builds (Draft, with its comments), what it placed or left (Para), the derived
figures the source printed (Check), and the whole result (Imported).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from .keys import KEY

# Characters YAML or the loader refuses (C0/C1 controls, line separators, non-characters).
ILLEGAL = dict.fromkeys(list(range(0, 9)) + [0x0B, 0x0C] + list(range(0x0E, 0x20)) + list(range(0x7F, 0xA0)) + [0x2028, 0x2029, 0xFFFE, 0xFFFF])


@dataclass
class Block:
    kind: str  # "p" or "table"
    number: int  # paragraphs: 1-based among non-empty paragraphs; tables: 1-based among tables
    text: str = ""
    style: str = ""
    bold: bool = False
    rows: list[list[str]] = field(default_factory=list)  # a merged cell once per row, as the table shows it
    grid: list[list[str]] = field(default_factory=list)  # every grid column, a merged cell's text in each it covers
    source: str = ""  # tables: where they came from when not the body (a spreadsheet's sheet name)
    note: str = ""  # what the reader could not show (formulas without a saved result), for the summary

    @property
    def heading_level(self) -> int | None:
        """1–4 for a paragraph in a heading style (Heading N, 标题 N), else None."""
        name = self.style.replace(" ", "").lower()
        for prefix in ("heading", "标题"):
            if name.startswith(prefix) and name[len(prefix):].isdigit():
                return int(name[len(prefix):])
        return None


@dataclass
class Para:
    number: int
    text: str
    path: tuple
    figures: bool = False  # read for its figures, not stored as written (budget, 三公, 编制 sentences)


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
        """A comment above the key at ``path``, given in KEY's internal names (mapped here)."""
        steps = tuple(KEY.get(step, step) if isinstance(step, str) else step for step in path)
        self.comments.setdefault(steps, []).append(line)


@dataclass
class Imported:
    draft: Draft
    placed: list[Para]
    left: list[Para]
    checks: list[Check]
    notes: list[str]
    total: int  # paragraphs
    tables: int = 0
    forms: list[str] = field(default_factory=list)  # where each 自评表 was read
    cells_left: int = 0  # cells of those forms kept as comments
    tables_unread: list[str] = field(default_factory=list)  # tables not understood, with their first cells
    form_only: bool = False  # the draft holds only what a 自评表 holds


@dataclass
class FormRead:
    """A 自评表 read from one table (formread.py): every value as the cell shows it."""

    where: str  # 表2, or 工作表“Sheet1”
    title: str | None = None
    titled: str | None = None  # the department's name in the title (…2022年度部门整体支出绩效自评表)
    year: int | None = None
    unit: str | None = None  # 单位名称
    supervisor: str | None = None  # "" when the label is there and its cell empty
    implementer: str | None = None
    finance_office: str | None = None
    total: str | None = None
    sum_row: dict = field(default_factory=dict)  # the 合计 row's score and row number
    grade: str | None = None
    contact: str | None = None
    phone: str | None = None
    leader: str | None = None
    rows: dict = field(default_factory=dict)  # field → its row number
    budget: dict = field(default_factory=dict)  # initial, adjusted, executed, rate, weight, score
    budget_row: int | None = None
    budget_deviation: dict = field(default_factory=dict)
    parts: list = field(default_factory=list)  # each: name, row and the budget's keys
    goals: dict = field(default_factory=dict)  # initial, adjusted, achieved
    indicators: list = field(default_factory=list)  # each: name, row and formread.INDICATOR's keys
    left: list = field(default_factory=list)  # (row number, [texts]) of cells neither label nor value read
