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

import math

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from .compose import date as chinese_date
from .compose import num
from .form import BUDGET_COLUMNS, COLUMNS, DEVIATION_COLUMNS, GOAL_COLUMNS, LEVEL_COLUMNS, PART_COLUMNS, Form, totals
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


# ---------------------------------------------------------------- print layout (generic over rows)


def _shown_format(value: float, fmt: str) -> str:
    """The format that prints ``value`` as the report does (compose.num / percent): at most two
    decimals, trailing zeros dropped — 15, 13.2, 2931.88, 100%, 42.42% — keeping any quoted
    prefix such as "≥". Excel's "0.##" would print "15." instead."""
    prefix = fmt[: fmt.rindex('"') + 1] if fmt.startswith('"') else ""
    is_percent = fmt.endswith("%")
    text = num(Decimal(repr(value)) * (100 if is_percent else 1))
    places = len(text.split(".")[1]) if "." in text else 0
    return prefix + ("0." + "0" * places if places else "0") + ("%" if is_percent else "")


def tidy_formats(ws) -> None:
    """Every numeric cell: integers as integers, rates as the report prints them."""
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                cell.number_format = _shown_format(cell.value, cell.number_format)


POINTS_PER_WIDTH = 7 * 0.75  # one unit of column width is one Calibri 11 digit: 7 px
CELL_PADDING_PT = 4
LINE_FACTOR = 1.35  # line height ÷ font size for the CJK fonts


def _text_width(text: str, size: float) -> float:
    """Printed width in points: a CJK character is one em, a Latin letter or digit about 0.6."""
    return sum(size * (0.6 if ch.isascii() else 1.0) for ch in text)


def _lines(text: str, size: float, width_pt: float) -> int:
    room = max(width_pt - CELL_PADDING_PT, size)
    return sum(max(1, math.ceil(_text_width(part, size) / room)) for part in text.split("\n"))


def fit_row_heights(ws) -> None:
    """Row heights that show every wrapped line. Excel and WPS do not grow a row on opening a
    file (nor ever for merged cells), so each row gets the height its tallest cell needs,
    from the text's length and the width of its column or merged columns."""
    widths = {}
    for letter, dim in ws.column_dimensions.items():
        widths[letter] = (dim.width or 8.43) * POINTS_PER_WIDTH
    span = {}
    for merged in ws.merged_cells.ranges:
        cols = range(merged.min_col, merged.max_col + 1)
        width = sum(widths.get(get_column_letter(c), 8.43 * POINTS_PER_WIDTH) for c in cols)
        span[(merged.min_row, merged.min_col)] = (width, merged.max_row - merged.min_row + 1)
    for row in ws.iter_rows():
        need = 0.0
        for cell in row:
            if cell.value is None:
                continue
            size = float(cell.font.sz or 11)
            width, rows = span.get((cell.row, cell.column), (widths.get(cell.column_letter, 8.43 * POINTS_PER_WIDTH), 1))
            text = cell.value if isinstance(cell.value, str) else str(cell.value)
            need = max(need, _lines(text, size, width) * size * LINE_FACTOR / rows + CELL_PADDING_PT)
        if need:
            ws.row_dimensions[row[0].row].height = round(need, 1)


def set_page(ws, header_row: int | None) -> None:
    """A4 landscape, one page wide (as many long as it takes), centred, the header row of the
    indicator table repeated at the top of every printed page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    if header_row:
        ws.print_title_rows = f"{header_row}:{header_row}"
    ws.print_area = f"A1:{get_column_letter(ws.max_column)}{ws.max_row}"


def header_row(ws, columns: tuple[str, ...], before: int | None = None) -> int | None:
    """The (last, above ``before``) row holding a table's column headings, wherever they start."""
    found = None
    for row in ws.iter_rows(max_row=(before - 1) if before else ws.max_row):
        values = [c.value for c in row]
        if any(values[i : i + len(columns)] == list(columns) for i in range(len(values))):
            found = row[0].row
    return found


def filing_line(ws, row: int, department: str, when: dt.date) -> None:
    """填报单位, 填报日期 and 单位：万元 on the (empty) line under the title, across all columns."""
    columns = ws.max_column
    font = Font(name=FONT, size=10.5)
    parts = ((1, columns - 5, f"填报单位：{department}", "left"), (columns - 4, columns - 2, f"填报日期：{chinese_date(when)}", "left"),
             (columns - 1, columns, "单位：万元", "right"))
    for first, last, text, align in parts:
        ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
        cell = ws.cell(row=row, column=first, value=text)
        cell.font, cell.alignment = font, Alignment(horizontal=align, vertical="center", wrap_text=True)


SUMMED = ("指标权重", "指标得分")


def total_rows(ws, row: int, totals) -> int:
    """Under the indicator table that ends just above ``row``: one row per ``(label, weight,
    score)`` of ``form.totals`` (绩效指标小计, then 自评总分 with the execution rate), the label
    across the columns before 指标权重, as the report's attachment prints them. Returns the next row."""
    top = header_row(ws, SUMMED, before=row)
    if top is None:
        return row
    heads = [c.value for c in ws[top]]
    weight_col = heads.index(SUMMED[0]) + 1
    for label, weight, score in totals:
        for col in range(1, ws.max_column + 1):
            cell = ws.cell(row=row, column=col)
            cell.border, cell.alignment = BOX, CENTER
            cell.font = Font(name=FONT, size=10.5, bold=True)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=weight_col - 1)
        ws.cell(row=row, column=1, value=label)
        ws.cell(row=row, column=weight_col, value=_number(weight)).number_format = SCORE
        ws.cell(row=row, column=heads.index(SUMMED[1]) + 1, value=_number(score)).number_format = SCORE
        row += 1
    return row


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
    w.row = total_rows(ws, w.row, totals(f))
    filing_line(ws, 2, f.department, when)
    tidy_formats(ws)
    fit_row_heights(ws)
    set_page(ws, header_row(ws, COLUMNS))
    if f.deviations:
        deviation_sheet(wb.create_sheet("偏差原因分析"), f)
    return reproducible(wb, f.department, f.title, when)


DEVIATION_WIDTHS = (26, 52, 52)


def deviation_sheet(ws, f: Form) -> None:
    """偏差原因分析及改进措施 on a sheet of its own: on the form's sheet, the indicator header that
    repeats on every printed page would stand over it, and its text would wrap in narrow columns."""
    for i, width in enumerate(DEVIATION_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    w = _Writer(ws)
    w.label("偏差原因分析及改进措施")
    w.cells(list(DEVIATION_COLUMNS), bold=True)
    for d in f.deviations:
        w.cells(list(d))
    fit_row_heights(ws)
    set_page(ws, header_row(ws, DEVIATION_COLUMNS))


def reproducible(wb: Workbook, author: str, title: str, when: dt.date) -> bytes:
    """The workbook's bytes, the same for the same content: properties dated from the content.
    Every text cell stays text: a name that starts with "=" is never saved as a formula."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
    stamp = dt.datetime(when.year, when.month, when.day)
    wb.properties.creator = wb.properties.lastModifiedBy = author
    wb.properties.title = title
    wb.properties.created = wb.properties.modified = stamp
    buf = io.BytesIO()
    wb.save(buf)
    # openpyxl stamps "modified" with the clock when saving: put the content's date back.
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as z:
        core = z.read(CORE).decode("utf-8")
    core = re.sub(r"(<dcterms:modified[^>]*>)[^<]*", lambda m: m.group(1) + stamp.strftime("%Y-%m-%dT%H:%M:%SZ"), core)
    return normalized_zip(buf.getvalue(), {CORE: core.encode("utf-8")})
