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
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.properties import PageSetupProperties

from ..content.wording import date as chinese_date
from ..content.wording import num
from .form import BUDGET_COLUMNS, COLUMNS, DEVIATION_COLUMNS, GOAL_COLUMNS, LEVEL_COLUMNS, PART_COLUMNS, PART_SCORE_COLUMNS, Form, header_rows, totals
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


TYPED = "@typed"  # a figure someone typed: formatted with its own decimals (9.5 stays 9.5), see tidy_formats


def _typed(value, prefix: str = "") -> str | None:
    """The number format that shows a typed figure as written: its own decimals (at most two,
    as validation allows), zeros kept (6.20), with the quoted ``prefix`` (≥) before it."""
    if not isinstance(value, Decimal):
        return None
    exponent = value.as_tuple().exponent
    places = min(-exponent, 2) if isinstance(exponent, int) and exponent < 0 else 0
    return prefix + ("0." + "0" * places if places else "0")


class _Writer:
    def __init__(self, ws):
        self.ws, self.row = ws, 1
        self.labels: list[int] = []  # the rows of the block labels (预算执行情况 …)

    def cells(self, values, formats=None, bold=False, groups=None):
        """One table row. ``groups``: for each value, the (first, last) columns it spans (merged),
        so a block of six figures can stand across the indicator table's ten columns."""
        groups = groups or [(col, col) for col in range(1, len(values) + 1)]
        for i, (value, (first, last)) in enumerate(zip(values, groups)):
            for col in range(first, last + 1):
                cell = self.ws.cell(row=self.row, column=col)
                cell.border, cell.alignment = BOX, CENTER
                cell.font = Font(name=FONT, size=10.5, bold=bold)
            cell = self.ws.cell(row=self.row, column=first, value=value)
            if formats and formats[i]:
                cell.number_format = formats[i]
            if last > first:
                self.ws.merge_cells(start_row=self.row, start_column=first, end_row=self.row, end_column=last)
        self.row += 1

    def label(self, text):
        self.ws.cell(row=self.row, column=1, value=text).font = Font(name="黑体", size=12)
        self.labels.append(self.row)
        self.row += 1


def groups(ws, weights) -> list[tuple[int, int]]:
    """The sheet's columns split into ``len(weights)`` runs whose printed widths follow
    ``weights`` as closely as whole columns allow: a block of the form (6 budget figures, 3 goals)
    spans the whole width of the indicator table instead of squeezing into its first columns."""
    columns = ws.max_column
    widths = [ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(1, columns + 1)]
    edges = [sum(widths[:c]) for c in range(columns + 1)]  # edges[c]: the right edge of column c
    total, out, start = edges[-1], [], 1
    for k in range(1, len(weights)):
        target = total * sum(weights[:k]) / sum(weights)
        left = len(weights) - k  # runs still to place need a column each
        cut = min(range(start, columns - left + 1), key=lambda c: abs(edges[c] - target))
        out.append((start, cut))
        start = cut + 1
    out.append((start, columns))
    return out


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


def tidy_formats(ws, typed: set = frozenset()) -> None:
    """Every numeric cell: integers as integers, rates as the report prints them; the cells at
    ``typed`` (row, column) keep the format that shows the figure as typed."""
    for row in ws.iter_rows():
        for cell in row:
            if (cell.row, cell.column) in typed:
                continue
            if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                cell.number_format = _shown_format(cell.value, cell.number_format)


POINTS_PER_WIDTH = 7 * 0.75  # one unit of column width is one Calibri 11 digit: 7 px
CELL_PADDING_PT = 8  # 4 pt each side: with the 公文 fonts, text no longer touches the borders
LINE_FACTOR = 1.35  # line height ÷ font size for the CJK fonts


def _text_width(text: str, size: float) -> float:
    """Printed width in points: a CJK character is one em, a Latin letter or digit about 0.6."""
    return sum(size * (0.6 if ch.isascii() else 1.0) for ch in text)


def _lines(text: str, size: float, width_pt: float) -> int:
    room = max(width_pt - CELL_PADDING_PT, size)
    return sum(max(1, math.ceil(_text_width(part, size) / room)) for part in text.split("\n"))


# Characters that never begin a line (closing marks, pauses, stops) and never end one (opening
# marks), as the 公文 typesetting rules (and Word) keep them.
NO_START = "）)]」』】〕》〉’”，,。.、；;：:！!？?%…"
NO_END = "（([「『【〔《〈‘“"
OPENER_REACH = 3  # characters: a bracket opened this close to a line's end starts the next line


def _cell_width(ws, cell, widths, span) -> float:
    width, _ = span.get((cell.row, cell.column), (widths.get(cell.column_letter, 8.43 * POINTS_PER_WIDTH), 1))
    return width


def _widths_and_spans(ws):
    widths = {letter: (dim.width or 8.43) * POINTS_PER_WIDTH for letter, dim in ws.column_dimensions.items()}
    span = {}
    for merged in ws.merged_cells.ranges:
        cols = range(merged.min_col, merged.max_col + 1)
        width = sum(widths.get(get_column_letter(c), 8.43 * POINTS_PER_WIDTH) for c in cols)
        span[(merged.min_row, merged.min_col)] = (width, merged.max_row - merged.min_row + 1)
    return widths, span


def broken(text: str, size: float, width_pt: float) -> str:
    """``text`` with its line breaks chosen here: each line fits ``width_pt`` (less the padding),
    and no line starts with a closing mark or ends with an opening one. LibreOffice Calc breaks a
    Chinese cell wherever the width ends (a line of "）" or "。" alone); Excel and WPS keep the
    breaks written. Text that fits on one line is returned as it is."""
    room = max(width_pt - CELL_PADDING_PT, size * 2)
    out = []
    for part in text.split("\n"):
        if _text_width(part, size) <= room:
            out.append(part)
            continue
        lines, line = [], ""
        for ch in part:
            if line and _text_width(line + ch, size) > room:
                carry = ""  # the last characters of this line, moved down with ``ch``
                while line and ((carry or ch)[0] in NO_START or line[-1] in NO_END):
                    carry, line = line[-1] + carry, line[:-1]
                if not line:  # nothing left to move: keep the line as it is
                    line, carry = carry, ""
                # a bracket opened near the end of the line goes down whole: 预算数 / （万元）;
                # one closed near the end ends the line: 全年（调整） / 预算数（万元）
                opener = max(line.rfind(o) for o in "（(")
                closer = max(line.rfind(c) for c in "）)")
                if opener > 0 and len(line) - opener <= OPENER_REACH:
                    line, carry = line[:opener], line[opener:] + carry
                elif 0 < closer < len(line) - 1 and len(line) - 1 - closer <= OPENER_REACH and closer > opener and line[closer + 1] not in NO_START:
                    line, carry = line[: closer + 1], line[closer + 1 :] + carry
                lines.append(line)
                line = carry
            line += ch
        lines.append(line)
        out.append("\n".join(lines))
    return "\n".join(out)


def break_lines(ws) -> dict:
    """Every text cell that wraps gets its line breaks chosen by ``broken``; returns the texts as
    they were, by cell (``unbreak`` puts them back)."""
    widths, span = _widths_and_spans(ws)
    before = {}
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.alignment is not None and cell.alignment.wrap_text:
                text = broken(cell.value, float(cell.font.sz or 11), _cell_width(ws, cell, widths, span))
                if text != cell.value:
                    before[cell.coordinate] = cell.value
                    cell.value = text
    return before


def unbreak(ws, before: dict) -> None:
    for coordinate, text in before.items():
        ws[coordinate].value = text


def fit_row_heights(ws) -> None:
    """Row heights that show every wrapped line. Excel and WPS do not grow a row on opening a
    file (nor ever for merged cells), so each row gets the height its tallest cell needs,
    from the text's length and the width of its column or merged columns."""
    widths, span = _widths_and_spans(ws)
    for row in ws.iter_rows():
        need = 0.0
        for cell in row:
            if cell.value is None:
                continue
            size = float(cell.font.sz or 11)
            width, rows = span.get((cell.row, cell.column), (widths.get(cell.column_letter, 8.43 * POINTS_PER_WIDTH), 1))
            # a number prints in its format (at most two decimals, or a percent), not as repr
            text = cell.value if isinstance(cell.value, str) else f"{cell.value:.2f}%"
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
    # 第 N 页，共 M 页 between the footer and the bottom margin (as 汇总.xlsx), in the body's font.
    ws.page_margins.bottom = 0.75
    ws.page_margins.footer = 0.3
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.font = f"{FONT},Regular"
    ws.oddFooter.center.size = 10.5
    if header_row:
        ws.print_title_rows = f"{header_row}:{header_row}"
    ws.print_area = f"A1:{get_column_letter(ws.max_column)}{ws.max_row}"


A4_LANDSCAPE_PT = (11.69 * 72, 8.27 * 72)
DEFAULT_ROW_PT = 15
KEEP_ROWS = 3  # a block label stays on a page with its header and first row
SAFETY = 0.95  # of the page's height: LibreOffice rounds the scale and the row heights


def keep_labels(ws, labels: list[int], repeated: int | None) -> None:
    """Page breaks so that no block label (预算执行情况, 绩效指标 …) is the last line of a page:
    the pages are laid out here as Calc and Excel lay them out (row heights as stored, the sheet
    scaled to one page wide, the repeated header row on the pages after its own), and a label
    whose next rows would not fit moves to the next page with them."""
    width_pt = sum((ws.column_dimensions[get_column_letter(c)].width or 8.43) * POINTS_PER_WIDTH for c in range(1, ws.max_column + 1))
    m = ws.page_margins
    printable_w = A4_LANDSCAPE_PT[0] - (m.left + m.right) * 72
    printable_h = (A4_LANDSCAPE_PT[1] - (m.top + m.bottom) * 72) * SAFETY
    scale = min(1.0, printable_w / width_pt)
    room = printable_h / scale
    height = lambda r: ws.row_dimensions[r].height or DEFAULT_ROW_PT  # noqa: E731
    used, breaks = 0.0, []
    for r in range(1, ws.max_row + 1):
        if r in labels:
            block = sum(height(x) for x in range(r, min(r + KEEP_ROWS, ws.max_row + 1)))
            if used + block > room and used > 0:
                breaks.append(r - 1)
                used = height(repeated) if repeated and repeated < r else 0.0
        if used + height(r) > room:
            used = height(repeated) if repeated and repeated < r else 0.0
        used += height(r)
    for after in breaks:
        ws.row_breaks.append(Break(id=after))


def header_row(ws, columns: tuple[str, ...], before: int | None = None) -> int | None:
    """The (last, above ``before``) row holding a table's column headings, wherever they start."""
    found = None
    for row in ws.iter_rows(max_row=(before - 1) if before else ws.max_row):
        values = [c.value for c in row]
        if any(values[i : i + len(columns)] == list(columns) for i in range(len(values))):
            found = row[0].row
    return found


def filing_line(ws, row: int, department: str, when: dt.date | None) -> None:
    """填报单位, 填报日期 and 单位：万元 on the (empty) line under the title, across all columns."""
    columns = ws.max_column
    font = Font(name=FONT, size=10.5)
    parts = ((1, columns - 5, f"填报单位：{department}", "left"), (columns - 4, columns - 2, f"填报日期：{chinese_date(when) if when else ''}", "left"),
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


def _typed_cells(ws, row: int, values, formats, columns=None) -> set:
    """Give each typed Decimal in ``values`` (written at ``row``, in ``columns``: the first column
    of each value's cell, by default 1, 2, …) the format that shows it as typed, keeping a quoted
    prefix of ``formats``; returns their (row, column)."""
    out = set()
    columns = columns or range(1, len(values) + 1)
    for col, value, fmt in zip(columns, values, formats):
        shown = _typed(value, fmt[: fmt.rindex('"') + 1] if fmt and fmt.startswith('"') else "")
        if shown is not None:
            ws.cell(row=row, column=col).number_format = shown
            out.add((row, col))
    return out


def workbook(f: Form, when: dt.date | None, stamp: dt.date | None = None, printing: bool = False) -> bytes:
    """``when``: the 填报日期 printed (None: left blank, the content gives none); ``stamp``: the
    file's properties' date (defaults to ``when``). Row heights are those of the lines as printed;
    ``printing``: the copy LibreOffice Calc prints (make pdf), whose wrapped texts keep the line
    breaks chosen here (``broken``), while the .xlsx itself keeps every text whole (a heading is
    全年执行数（万元）, whatever the width of its column)."""
    stamp = stamp or when
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
    # The blocks above the indicators span the table's whole width (merged cells), so their
    # headings and texts are not squeezed into the narrow indicator columns.
    typed: set = set()
    unit = groups(ws, (1, 2, 1, 1))
    for i, head in enumerate(header_rows(f)):
        values = [v or None for v in head]
        if i == 0:
            values[3] = _number(f.total)
        w.cells(values, [None, None, None, SCORE] if i == 0 else None, groups=unit)
    w.row += 1
    w.label("预算执行情况")
    six = groups(ws, (1,) * len(BUDGET_COLUMNS))
    w.cells(list(BUDGET_COLUMNS), bold=True, groups=six)
    w.cells(
        [_number(f.initial), _number(f.adjusted), _number(f.executed), float(f.execution_rate), _number(f.execution_weight), _number(f.execution_score)],
        [MONEY, MONEY, MONEY, PERCENT, SCORE, SCORE], groups=six,
    )
    typed |= _typed_cells(ws, w.row - 1, [f.initial, f.adjusted, f.executed, None, f.execution_weight, None], [None] * 6, [c for c, _ in six])
    if f.parts:
        scored = f.parts_scored
        heads = PART_COLUMNS + (PART_SCORE_COLUMNS if scored else ())
        parts = groups(ws, (1,) * len(heads))
        w.cells(list(heads), bold=True, groups=parts)
        for p in f.parts:
            w.cells(
                [p.name, _number(p.initial), _number(p.adjusted), _number(p.executed), None if p.rate is None else float(p.rate)]
                + ([_number(p.weight), _number(p.score)] if scored else []),
                [None, MONEY, MONEY, MONEY, PERCENT] + ([SCORE, SCORE] if scored else []), groups=parts,
            )
            typed |= _typed_cells(ws, w.row - 1, [None, p.initial, p.adjusted, p.executed, None, p.weight if scored else None], [None] * 6, [c for c, _ in parts])
    w.row += 1
    w.label("年度绩效目标")
    three = groups(ws, (1,) * len(GOAL_COLUMNS))
    w.cells(list(GOAL_COLUMNS), bold=True, groups=three)
    w.cells(list(f.goals), groups=three)
    w.row += 1
    w.label("绩效指标")
    # With 一级/二级指标, two leading columns whose equal neighbours are merged (as the forms print them).
    lead = list(LEVEL_COLUMNS) if levels else []
    w.cells(lead + list(COLUMNS), bold=True)
    first = w.row
    for r in f.rows:
        core = None if r.core is None else ("是" if r.core else "否")
        formats = [None] * len(lead) + [None, None, None, _target_format(r.sign), _target_format(r.sign), "General", PERCENT, SCORE, SCORE, None]
        w.cells(
            ([r.level1, r.level2] if levels else [])
            + [r.name, r.unit, r.kind, _number(r.target_initial), _number(r.target_adjusted), _number(r.actual), float(r.coefficient), _number(r.weight), _number(r.score), core],
            formats,
        )
        typed |= _typed_cells(ws, w.row - 1, [None] * len(lead) + [None, None, None, r.target_initial, r.target_adjusted, r.actual, None, r.weight], formats)
        if r.note:  # a score not given by the rule: said on its cell (Excel/WPS show the mark)
            ws.cell(row=w.row - 1, column=len(lead) + COLUMNS.index("指标得分") + 1).comment = Comment(r.note, "评价组")
    if levels:
        keys = [(r.level1,) for r in f.rows], [(r.level1, r.level2) for r in f.rows]
        for col, column_keys in enumerate(keys, start=1):
            _merge_runs(ws, first, col, column_keys)
    w.row = total_rows(ws, w.row, totals(f))
    filing_line(ws, 2, f.department, when)
    tidy_formats(ws, typed)
    repeated = header_row(ws, COLUMNS)
    before = break_lines(ws)
    fit_row_heights(ws)
    if not printing:
        unbreak(ws, before)
    set_page(ws, repeated)
    keep_labels(ws, w.labels, repeated)
    if f.deviations:
        deviation_sheet(wb.create_sheet("偏差原因分析"), f, printing)
    return reproducible(wb, f.department, f.title, stamp)


DEVIATION_WIDTHS = (26, 52, 52)


def deviation_sheet(ws, f: Form, printing: bool = False) -> None:
    """偏差原因分析及改进措施 on a sheet of its own: on the form's sheet, the indicator header that
    repeats on every printed page would stand over it, and its text would wrap in narrow columns."""
    for i, width in enumerate(DEVIATION_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    w = _Writer(ws)
    w.label("偏差原因分析及改进措施")
    w.cells(list(DEVIATION_COLUMNS), bold=True)
    for d in f.deviations:
        w.cells(list(d))
    repeated = header_row(ws, DEVIATION_COLUMNS)
    before = break_lines(ws)
    fit_row_heights(ws)
    if not printing:
        unbreak(ws, before)
    set_page(ws, repeated)


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
