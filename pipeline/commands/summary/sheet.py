"""汇总.xlsx: one row per department (sorted by total, with a 合计/平均 row), every indicator of
every department, and a native chart of totals and execution rates.

Figures are numbers with number formats, so a reviewer can recompute them; the sheets print on
A4 landscape, one page wide, the header repeated on every page. Same figures, same bytes: the
workbook's dates are the content's, the zip is normalised like the reports'.
"""

from __future__ import annotations

import math
from decimal import Decimal

from openpyxl.comments import Comment
from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from ...output.sheet import break_lines, reproducible
from .figures import District, counts_text, lowest_text, rank

MONEY, SCORE, PERCENT, COUNT = "#,##0.00", "0.00", "0.00%", "0"
FONT, HEAD_FONT, TITLE_FONT = "仿宋_GB2312", "黑体", "方正小标宋简体"
SIZE = 10.5
LINE_PT = 14  # the height of one line of 10.5 pt text
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center")
BODY, BOLD, HEAD = Font(name=FONT, size=SIZE), Font(name=FONT, size=SIZE, bold=True), Font(name=HEAD_FONT, size=SIZE)

RATE_COLOUR = "C62828"
FIT_CHART_CM = 50  # charts up to this width print shrunk onto one page
HEADER_ROW = 2  # row 1: the title; row 2: the column heads (repeated on every printed page)


def _number(value: Decimal | None):
    """None (a department without an execution-rate item) stays an empty cell."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _width(text: str) -> float:
    """Excel column units: a CJK character is about two digits wide."""
    return sum(1.0 if ch.isascii() else 1.8 for ch in text)


class Table:
    """A titled table on a sheet: columns (head, width, format, alignment), rows of values."""

    def __init__(self, ws, title: str, columns: list[tuple[str, float, str | None, Alignment]]):
        self.ws, self.columns, self.row = ws, columns, HEADER_ROW + 1
        for i, (_, width, _, _) in enumerate(columns, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
        cell = ws.cell(row=1, column=1, value=title)
        cell.font, cell.alignment = Font(name=TITLE_FONT, size=16), Alignment(horizontal="center", vertical="center")
        ws.row_dimensions[1].height = 30
        self._write(HEADER_ROW, [head for head, *_ in columns], head=True)
        ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)
        ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
        _printable(ws)

    def _write(self, row: int, values: list, head: bool = False, bold: bool = False) -> None:
        lines = 1
        font = HEAD if head else (BOLD if bold else BODY)
        for col, (value, (_, width, fmt, align)) in enumerate(zip(values, self.columns), start=1):
            cell = self.ws.cell(row=row, column=col, value=value)
            cell.border = BOX
            cell.font = font
            cell.alignment = CENTER if head else align
            if fmt and not head:
                cell.number_format = fmt
            if isinstance(value, str):  # (stays text even when it starts with "=": sheet.reproducible)
                # Wrapped text: set the row's height, since not every reader computes it.
                lines = max(lines, sum(max(1, math.ceil(_width(part) / max(width - 1, 1))) for part in value.split("\n")))
        self.ws.row_dimensions[row].height = lines * LINE_PT + 4

    def add(self, values: list, bold: bool = False) -> None:
        self._write(self.row, values, bold=bold)
        self.row += 1

    def note(self, text: str) -> None:
        """A note under the table, across its width (so it does not widen the printed page)."""
        self.ws.merge_cells(start_row=self.row, start_column=1, end_row=self.row, end_column=len(self.columns))
        cell = self.ws.cell(row=self.row, column=1, value=text)
        cell.font, cell.alignment = Font(name=FONT, size=SIZE - 1.5), Alignment(horizontal="left", vertical="top", wrap_text=True)
        width = sum(w for _, w, _, _ in self.columns)
        self.ws.row_dimensions[self.row].height = math.ceil(_width(text) / width) * (LINE_PT - 2) + 4
        self.row += 1


def _printable(ws) -> None:
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as needed
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = 0.6
    # The page number prints between the footer margin and the bottom margin; LibreOffice clips it
    # to that band, so it gets Excel's usual 0.3 in from the edge and 0.45 in of room.
    ws.page_margins.bottom = 0.75
    ws.page_margins.footer = 0.3
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.font = f"{FONT},Regular"  # else Calc prints it in its own default face


def departments_sheet(ws, summary: District) -> int:
    """Sheet 1; returns the last department row (for the chart)."""
    supervisors = any(d.supervisor for d in summary.departments)
    # Narrow columns, heads wrapping onto two lines: the sheet prints one page wide at a legible size.
    columns = [("名次", 5, COUNT, CENTER), ("部门", 26, None, LEFT)]
    if supervisors:
        columns.append(("主管部门", 18, None, LEFT))
    columns += [
        ("全年（调整）\n预算数（万元）", 13, MONEY, RIGHT),
        ("全年执行数\n（万元）", 13, MONEY, RIGHT),
        ("预算执行率", 10, PERCENT, RIGHT),
        ("执行率得分", 9, SCORE, RIGHT),
        ("总分", 8, SCORE, RIGHT),
        ("等级", 5, None, CENTER),
        ("得分最低的指标", 40, None, LEFT),
        ("人工改分\n（项）", 9, COUNT, CENTER),
        ("评定\n（项）", 8, COUNT, CENTER),
        ("检查警告\n（条）", 9, COUNT, CENTER),
        ("审核意见\n（条）", 16, None, LEFT),
    ]
    table = Table(ws, f"{summary.title}表", columns)
    for place, d in zip(rank(summary.departments), summary.departments):
        values = [place, d.name] + ([d.supervisor or ""] if supervisors else [])
        values += [
            _number(d.budget), _number(d.executed), float(d.execution_rate), _number(d.execution_score),
            _number(d.total), d.grade, lowest_text(d), len(d.overridden), len(d.judged), d.warnings, d.audit_text,
        ]
        table.add(values)
        if not d.adjusted_known:  # the initial budget stands in that column: said on the cell
            column = 3 + (1 if supervisors else 0)  # after 名次, 部门 (and 主管部门)
            table.ws.cell(row=table.row - 1, column=column).comment = Comment("未填全年（调整）预算数，此处为年初预算数", "汇总")
    last = table.row - 1
    deps = summary.departments
    totals = ["", "合计/平均"] + ([""] if supervisors else [])
    totals += [
        _number(summary.budget), _number(summary.executed), float(summary.execution_rate), _number(summary.mean_execution_score),
        _number(summary.mean_total), "", "", sum(len(d.overridden) for d in deps), sum(len(d.judged) for d in deps),
        sum(d.warnings for d in deps), counts_text(tuple(map(sum, zip(*(d.audit for d in deps))))),
    ]
    table.add(totals, bold=True)
    table.note(
        "注：合计行的预算执行率按金额加权（Σ全年执行数 ÷ Σ全年（调整）预算数）；执行率得分、总分为各部门的算术平均；"
        "“评定”为无指标值由评价组评定系数或定性指标，“人工改分”为评价组不按规则给定的得分（须逐项复核，明细见“指标得分”表）；"
        "“审核意见”为按审核规则得出的意见条数（make audit 生成逐条明细），不改变得分。"
    )
    ws.print_area = f"A1:{get_column_letter(len(columns))}{table.row - 1}"
    return last


def indicators_sheet(ws, summary: District) -> None:
    lines = [line for d in summary.departments for line in d.lines]
    level1 = any(line.level1 for line in lines)
    level2 = any(line.level2 for line in lines)
    columns = [("部门", 28, None, LEFT)]
    if level1:
        columns.append(("一级指标", 12, None, CENTER))
    if level2:
        columns.append(("二级指标", 14, None, CENTER))
    columns += [
        ("指标名称", 28, None, LEFT),
        ("权重", 7, SCORE, RIGHT),
        ("得分", 7, SCORE, RIGHT),
        ("得分率", 9, PERCENT, RIGHT),
        ("计分方式", 9, None, CENTER),
        ("说明", 50, None, LEFT),
    ]
    table = Table(ws, f"{summary.title}：各部门指标得分", columns)
    for line in lines:
        values = [line.department] + ([line.level1 or ""] if level1 else []) + ([line.level2 or ""] if level2 else [])
        note = line.rule + (f"；{line.reason}" if line.reason else "")
        values += [line.name, _number(line.weight), _number(line.score), float(line.rate), line.how, note]
        table.add(values)


def _font_props(size: int, bold: bool = False):
    from openpyxl.drawing.text import CharacterProperties, Font as TextFont

    face = TextFont(typeface=FONT)
    return CharacterProperties(latin=face, ea=face, cs=face, sz=size, b=bold)


def _chart_text(size: int = 1000):
    """Text properties naming the 公文 font for Latin and East Asian text alike (a chart names
    none by default, and Calc then draws it in whatever CJK face fontconfig offers first)."""
    from openpyxl.chart.text import RichText
    from openpyxl.drawing.text import Paragraph, ParagraphProperties

    props = _font_props(size)
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=props), endParaRPr=props)])


def _chart_title(text: str, size: int = 1400):
    from openpyxl.chart.text import RichText, Text
    from openpyxl.chart.title import Title
    from openpyxl.drawing.text import Paragraph, ParagraphProperties, RegularTextRun

    props = _font_props(size)
    run = RegularTextRun(rPr=props, t=text)
    return Title(tx=Text(rich=RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=props), r=[run])])), overlay=False)


def _chart_fonts(chart, axes) -> None:
    """Every text of the chart (title, axis titles and labels, legend) in the body's font."""
    chart.title = _chart_title(_title_text(chart.title), 1400)
    for axis in axes:
        if axis.title is not None:
            axis.title = _chart_title(_title_text(axis.title), 1000)
        axis.txPr = _chart_text(900)
    chart.legend.txPr = _chart_text(900)


def _title_text(title) -> str:
    return "".join(run.t for p in title.tx.rich.p for run in (p.r or []))


def chart_sheet(ws, summary: District, source, last: int) -> None:
    """Totals (bars, left axis) and execution rates (line, right axis) by department, in ranking order."""
    n = len(summary.departments)
    supervisors = any(d.supervisor for d in summary.departments)
    first_figure = 4 if supervisors else 3  # column of the budget
    names = Reference(source, min_col=2, min_row=HEADER_ROW + 1, max_row=last)
    rate_col, total_col = first_figure + 2, first_figure + 4

    bars = BarChart()
    bars.type = "col"
    bars.title = "各部门总分与预算执行率"
    bars.add_data(Reference(source, min_col=total_col, min_row=HEADER_ROW, max_row=last), titles_from_data=True)
    bars.set_categories(names)
    bars.y_axis.title = "总分"
    bars.y_axis.scaling.min, bars.y_axis.scaling.max = 0, 100
    bars.y_axis.number_format = "0"
    bars.y_axis.delete = False
    bars.x_axis.delete = False

    line = LineChart()
    line.add_data(Reference(source, min_col=rate_col, min_row=HEADER_ROW, max_row=last), titles_from_data=True)
    rates = line.series[0]
    rates.smooth = False  # departments are categories: a rate is a point, not a curve between them
    rates.graphicalProperties.line.noFill = True
    rates.marker.symbol, rates.marker.size = "diamond", 9
    rates.marker.graphicalProperties = GraphicalProperties(solidFill=RATE_COLOUR)
    rates.marker.graphicalProperties.line.solidFill = RATE_COLOUR
    line.y_axis.scaling.min = 0
    line.y_axis.axId = 200
    line.y_axis.title = "预算执行率"
    line.y_axis.number_format = "0%"
    line.y_axis.crosses = "max"
    line.y_axis.delete = False
    bars += line

    _chart_fonts(bars, (bars.x_axis, bars.y_axis, line.y_axis))
    bars.legend.position = "b"
    bars.width = max(24.0, 1.1 * n)  # cm: every department's name stays legible on screen
    bars.height = 13.0
    ws.add_chart(bars, "A1")
    _printable(ws)
    if bars.width > FIT_CHART_CM:
        # Shrunk onto one page, a wide chart would be unreadable: print it at its size, across pages.
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=False)


def incomplete_sheet(ws, summary: District) -> None:
    """未完成: the departments whose content has errors, not counted in the other sheets."""
    columns = [("部门", 28, None, LEFT), ("内容文件夹", 16, None, LEFT), ("错误（条）", 9, COUNT, CENTER), ("第一个错误（文件:行:列: 说明）", 70, None, LEFT)]
    table = Table(ws, f"{summary.region}{summary.year}年度未完成自评的部门", columns)
    for d in summary.incomplete:
        table.add([d.name, d.key, d.errors, str(d.first)])
    table.note("注：这些部门的内容文件有错误，未计入汇总的统计；全部错误用 make check DEPT=<内容文件夹> 列出。")


def workbook(summary: District, printing: bool = False) -> bytes:
    """The summary workbook; ``printing``: the copy LibreOffice prints (make pdf), its wrapped
    texts broken into lines here (sheet.break_lines), the .xlsx itself keeping them whole."""
    wb = Workbook()
    first = wb.active
    first.title = "汇总"
    last = departments_sheet(first, summary)
    indicators_sheet(wb.create_sheet("指标得分"), summary)
    chart_sheet(wb.create_sheet("图表"), summary, first, last)
    if summary.incomplete:
        incomplete_sheet(wb.create_sheet("未完成"), summary)
    if printing:
        for ws in wb.worksheets:
            break_lines(ws)

    return reproducible(wb, summary.region or "汇总", summary.title, summary.date)
