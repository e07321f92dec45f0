"""审核意见.xlsx: one row per finding (department, rule, severity, the finding, the figures
involved, the content file and line), a sheet of counts per department, and the list of rules.

Text stays text and the bytes are the same for the same content (``sheet.reproducible``); the
sheets print A4 landscape, one page wide, the header repeated on every page.
"""

from __future__ import annotations

import datetime as dt
import math

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side
from openpyxl.utils import get_column_letter

from ...output.sheet import CELL_PADDING_PT, LINE_FACTOR, POINTS_PER_WIDTH, reproducible, set_page
from .findings import SEVERITY_ORDER, Audited
from .rules import RULES

FONT, HEAD_FONT = "仿宋_GB2312", "黑体"
SIZE = 10.5
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(horizontal="left", vertical="center", wrap_text=True)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)

FINDING_COLUMNS = (("序号", 6), ("部门", 24), ("规则", 7), ("规则名称", 18), ("类别", 8), ("审核意见", 60),
                   ("涉及数字", 28), ("内容文件", 28), ("行", 6))
COUNT_COLUMNS = (("部门", 30), *((s.value, 9) for s in SEVERITY_ORDER), ("合计", 8), ("与上年比较", 40))
RULE_COLUMNS = (("规则", 7), ("类别", 8), ("方面", 12), ("规则名称", 22), ("说明", 70))
SHEETS = ("审核意见", "各部门", "审核规则")


def _styles(wb) -> None:
    """Named styles, set with one assignment a cell (thousands of findings: fast)."""
    for name, font, align in (("head", Font(name=HEAD_FONT, size=SIZE), CENTER), ("text", Font(name=FONT, size=SIZE), WRAP),
                              ("count", Font(name=FONT, size=SIZE), CENTER)):
        style = NamedStyle(name=name, font=font, alignment=align, border=BOX)
        wb.add_named_style(style)


def _lines(text: str, width: float) -> int:
    """Printed lines of ``text`` in a column ``width`` units wide: a CJK character one em, a Latin
    letter or digit 0.6 (as ``output.sheet`` measures; counted here in C, thousands of rows)."""
    room = max(width * POINTS_PER_WIDTH - CELL_PADDING_PT, SIZE)
    return sum(max(1, math.ceil(SIZE * (len(part) - 0.4 * len(part.encode("ascii", "ignore"))) / room)) for part in text.split("\n"))


def _height(values: list, widths: list[float]) -> float:
    """The row's height for its wrapped text (Excel and WPS do not grow rows on opening)."""
    lines = max(_lines(str(v), w) for v, w in zip(values, widths) if v is not None)
    return round(lines * SIZE * LINE_FACTOR + CELL_PADDING_PT, 1)


def _table(ws, columns, rows: list[list]) -> None:
    widths = [width for _, width in columns]
    for i, (head, width) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
        ws.cell(row=1, column=i, value=head).style = "head"
    ws.row_dimensions[1].height = _height([head for head, _ in columns], widths)
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            ws.cell(row=r, column=c, value=value).style = "count" if isinstance(value, int) else "text"
        ws.row_dimensions[r].height = _height(values, widths)
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    set_page(ws, 1)


def workbook(audited: list[Audited], year: int, when: dt.date, author: str = "") -> bytes:
    wb = Workbook()
    _styles(wb)
    findings = [f for a in audited for f in a.findings]
    ws = wb.active
    ws.title = SHEETS[0]
    _table(ws, FINDING_COLUMNS, [
        [i, f.department, f.rule.id, f.rule.title, f.severity.value, f.message + "。", f.figures_text, f.file, f.line or None]
        for i, f in enumerate(findings, start=1)
    ])
    rows = []
    for a in audited:
        compared = a.previous or a.previous_note or "无上一年度文件"
        rows.append([a.department, *(a.count(s) for s in SEVERITY_ORDER), len(a.findings), compared])
    _table(wb.create_sheet(SHEETS[1]), COUNT_COLUMNS, rows)
    _table(wb.create_sheet(SHEETS[2]), RULE_COLUMNS, [[r.id, r.severity.value, r.group, r.title, r.description] for r, _ in RULES])
    return reproducible(wb, author or "审核", f"{year}年度部门整体支出绩效自评审核意见", when)
