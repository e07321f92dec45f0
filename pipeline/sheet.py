"""The self-evaluation form as a spreadsheet (.xlsx), for offices that file it that way.

Figures are numbers with number formats, not text, so a reviewer can recompute them in Excel/WPS.
Same data as the report's attachment (``form.form``); reproducible bytes like the .docx.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from .form import BUDGET_COLUMNS, COLUMNS, DEVIATION_COLUMNS, GOAL_COLUMNS, LEVEL_COLUMNS, PART_COLUMNS, Form
from .savefile import normalized_zip

CORE = "docProps/core.xml"
MONEY = "0.00"
SCORE = "0.##"
PERCENT = "0.00%"
FONT = "仿宋_GB2312"
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
WIDTHS = (26, 9, 9, 12, 12, 12, 11, 10, 10, 12)
LEVEL_WIDTHS = (12, 16)  # 一级指标, 二级指标 (before WIDTHS when the content gives a hierarchy)


def _number(value: Decimal | str | None):
    """Decimal → int or float for the cell; a word (定性: 高、合格) stays text; None stays empty."""
    if value is None or isinstance(value, str):
        return value
    return int(value) if value == value.to_integral_value() else float(value)


def _target_format(sign: str) -> str:
    return f'"{sign}"General' if sign else "General"


class _Writer:
    def __init__(self, ws):
        self.ws, self.row = ws, 1

    def cells(self, values, formats=None, bold=False):
        for col, value in enumerate(values, start=1):
            cell = self.ws.cell(row=self.row, column=col, value=value)
            cell.border, cell.alignment = BOX, CENTER
            cell.font = Font(name=FONT, size=10.5, bold=bold)
            if formats and formats[col - 1]:
                cell.number_format = formats[col - 1]
        self.row += 1

    def label(self, text):
        self.ws.cell(row=self.row, column=1, value=text).font = Font(name="黑体", size=12)
        self.row += 1


def _merge_runs(ws, first_row: int, col: int, keys: list[tuple]) -> None:
    """Merge each run of equal, non-blank keys in one column into one cell."""
    start = 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start]:
            if i - start > 1 and keys[start][-1]:
                ws.merge_cells(start_row=first_row + start, start_column=col, end_row=first_row + i - 1, end_column=col)
            start = i


def workbook(f: Form, when: dt.date) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "自评表"
    levels = any(r.level1 for r in f.rows)
    widths = (LEVEL_WIDTHS if levels else ()) + WIDTHS
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(widths))
    title = ws.cell(row=1, column=1, value=f.title)
    title.font, title.alignment = Font(name="方正小标宋简体", size=16), Alignment(horizontal="center")
    w = _Writer(ws)
    w.row = 3
    w.cells(["主管部门", f.department, "自评总分", _number(f.total)], [None, None, None, SCORE])
    w.cells(["联系人", f.contact, "电话", f.phone])
    w.row += 1
    w.label("预算执行情况")
    w.cells(list(BUDGET_COLUMNS), bold=True)
    w.cells(
        [_number(f.initial), _number(f.adjusted), _number(f.executed), float(f.execution_rate), _number(f.execution_weight), _number(f.execution_score)],
        [MONEY, MONEY, MONEY, PERCENT, SCORE, SCORE],
    )
    if f.parts:
        w.cells(list(PART_COLUMNS), bold=True)
        for p in f.parts:
            w.cells(
                [p.name, _number(p.initial), _number(p.adjusted), _number(p.executed), None if p.rate is None else float(p.rate)],
                [None, MONEY, MONEY, MONEY, PERCENT],
            )
    w.row += 1
    w.label("年度绩效目标")
    w.cells(list(GOAL_COLUMNS), bold=True)
    w.cells(list(f.goals))
    w.row += 1
    w.label("绩效指标")
    # With 一级/二级指标, two leading columns whose equal neighbours are merged (as the forms print them).
    lead = list(LEVEL_COLUMNS) if levels else []
    w.cells(lead + list(COLUMNS), bold=True)
    first = w.row
    for r in f.rows:
        core = None if r.core is None else ("是" if r.core else "否")
        w.cells(
            ([r.level1, r.level2] if levels else [])
            + [r.name, r.unit, r.kind, _number(r.target_initial), _number(r.target_adjusted), _number(r.actual), float(r.coefficient), _number(r.weight), _number(r.score), core],
            [None] * len(lead) + [None, None, None, _target_format(r.sign), _target_format(r.sign), "General", PERCENT, SCORE, SCORE, None],
        )
    if levels:
        keys = [(r.level1,) for r in f.rows], [(r.level1, r.level2) for r in f.rows]
        for col, column_keys in enumerate(keys, start=1):
            _merge_runs(ws, first, col, column_keys)
    if f.deviations:
        w.row += 1
        w.label("偏差原因分析及改进措施")
        w.cells(list(DEVIATION_COLUMNS), bold=True)
        for d in f.deviations:
            w.cells(list(d))
    stamp = dt.datetime(when.year, when.month, when.day)
    wb.properties.creator = f.department
    wb.properties.lastModifiedBy = f.department
    wb.properties.title = f.title
    wb.properties.created = stamp
    wb.properties.modified = stamp
    buf = io.BytesIO()
    wb.save(buf)
    # openpyxl stamps "modified" with the clock when saving: put the content's date back.
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as z:
        core = z.read(CORE).decode("utf-8")
    core = re.sub(r"(<dcterms:modified[^>]*>)[^<]*", lambda m: m.group(1) + stamp.strftime("%Y-%m-%dT%H:%M:%SZ"), core)
    return normalized_zip(buf.getvalue(), {CORE: core.encode("utf-8")})
