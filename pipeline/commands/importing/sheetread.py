"""A spreadsheet (.xlsx; .xls, .et and .ods arrive here converted by LibreOffice) read as tables: one
``Block`` per sheet that holds text, cells as the sheet shows them.

Shown, not stored: a number in a percent format is its percentage ("76%" for 0.76), other numbers
without binary noise (2851.19, not 2851.1900000000001), dates as 2023年3月28日; a formula shows
the value Excel last computed (none when the file was never opened in Excel: the cell is empty,
which the form reader reports like any blank). Merged cells: ``grid`` repeats the text over every
cell the merge covers, ``rows`` shows it once per row (as a Word table does).

Only reading happens here; what the tables mean is formread.py's job.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import sys
import zipfile
from decimal import ROUND_HALF_UP, Decimal

from .types import ILLEGAL, Block

MAX_SHEET_XML = 10 * 1024 * 1024  # one sheet unpacked; a form's is a few hundred KB
MAX_PART_XML = 40 * 1024 * 1024  # any other part (styles, shared strings) unpacked
MAX_ROWS = 2000  # a form has a few dozen rows; trailing formatting can declare a million
MAX_COLUMNS = 60


class SheetError(Exception):
    """A file that cannot be read as a spreadsheet; the message is for the user (中文)."""


def _openpyxl():
    """openpyxl, loaded without numpy when nothing has loaded either yet: openpyxl imports numpy
    only to accept numpy numbers in cells it writes, reading never needs it, and numpy alone
    doubles the import's start-up (about 0.1 s of CPU)."""
    if "openpyxl" in sys.modules or "numpy" in sys.modules:
        import openpyxl

        return openpyxl
    sys.modules["numpy"] = None  # "import numpy" fails while openpyxl loads
    try:
        import openpyxl
    finally:
        del sys.modules["numpy"]
    return openpyxl


def blocks(data: bytes) -> list[Block]:
    openpyxl = _openpyxl()

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            for info in z.infolist():
                limit = MAX_SHEET_XML if info.filename.startswith("xl/worksheets/") else MAX_PART_XML
                if info.file_size > limit:
                    raise SheetError("表格文件解压后过大，不像一张自评表")
            unsaved = _formulas_without_results(z)
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except SheetError:
        raise
    except Exception:
        raise SheetError("无法读取为 Excel 表格（.xlsx）：文件已损坏，或不是表格文件") from None
    out, hidden = [], []
    for sheet in book.worksheets:
        if getattr(sheet, "sheet_state", "visible") != "visible":
            hidden.append(sheet.title)  # a clerk's scratch, not the form: named, not read
            continue
        grid, rows = _sheet(sheet)
        if any(c for row in grid for c in row):
            out.append(Block("table", len(out) + 1, rows=rows, grid=grid, source=sheet.title))
    notes = []
    if unsaved:
        notes.append(f"有 {unsaved} 个公式单元格没有保存计算结果（文件未在 Excel/WPS 中打开保存过），读作空白："
                     "请在 Excel/WPS 中打开并保存后重新导入，或在草稿中补填")
    if hidden:
        notes.append("隐藏的工作表未读取：" + "、".join(f"“{name}”" for name in hidden))
    if notes and out:
        out[0].note = "；".join(notes)
    return out


FORMULA_WITHOUT_VALUE = re.compile(rb"<f(?:\s[^>]*)?(?:/>|>[^<]*</f>)\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>")


def _formulas_without_results(z: zipfile.ZipFile) -> int:
    """Cells holding a formula but no saved value (<f>…</f> with no <v>): a file written by a
    program that never calculated it. openpyxl reads them as empty."""
    count = 0
    for info in z.infolist():
        if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
            count += len(FORMULA_WITHOUT_VALUE.findall(z.read(info)))
    return count


def _sheet(sheet) -> tuple[list[list[str]], list[list[str]]]:
    height = min(sheet.max_row or 0, MAX_ROWS)
    width = min(sheet.max_column or 0, MAX_COLUMNS)
    grid = [["" for _ in range(width)] for _ in range(height)]
    for r, row in enumerate(sheet.iter_rows(min_row=1, max_row=height, max_col=width)):
        for c, cell in enumerate(row):
            grid[r][c] = shown(cell.value, getattr(cell, "number_format", "") or "")
    covered = set()  # (row, column) of a merge's cells other than its first: shown once in ``rows``
    for merged in sheet.merged_cells.ranges:
        r0, c0 = merged.min_row - 1, merged.min_col - 1
        if r0 >= height or c0 >= width:
            continue
        text = grid[r0][c0]
        for r in range(r0, min(merged.max_row, height)):
            for c in range(c0, min(merged.max_col, width)):
                grid[r][c] = text
                if c > c0:
                    covered.add((r, c))
    # Trailing blank rows and columns are formatting, not content.
    while grid and not any(grid[-1]):
        grid.pop()
    last = max((max((i for i, c in enumerate(row) if c), default=-1) for row in grid), default=-1)
    grid = [row[: last + 1] for row in grid]
    rows = [[c for j, c in enumerate(row) if (i, j) not in covered] for i, row in enumerate(grid)]
    return grid, rows


def shown(value, number_format: str) -> str:
    """A cell's value as the sheet shows it (see the module's docstring)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float, Decimal)):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if not number.is_finite():
            return ""
        unquoted = re.sub(r'"[^"]*"|\\.', "", number_format.split(";")[0])
        percent = "%" in unquoted  # a "%" in quotes is text, not a percent format
        places = _places(unquoted)
        if percent:
            number *= 100
        if places is not None:  # as the sheet shows it: 0.949081 in 0.00% is 94.91%
            number = number.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
        before, after = _affixes(number_format)
        return before + _plain(number) + ("%" if percent else "") + after
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, dt.time):
        return value.isoformat()
    return " ".join(str(value).translate(ILLEGAL).split())


def _places(number_format: str) -> int | None:
    """Decimal places a number format shows (0.00% → 2, #,##0 → 0); None for General/text."""
    first = number_format.split(";")[0]
    m = re.search(r"[0#](?:\.([0#]+))?\s*%?\s*(?:[\"\\]|$|[_)\]])", first)
    if not m or first.lower() == "general":
        return None
    return min(len(m.group(1) or ""), 10)


def _affixes(number_format: str) -> tuple[str, str]:
    """The literal text a number format shows before and after the number: '"≥"General' → ("≥", ""),
    '0"次"' → ("", "次") — a target typed as a number with its sign and unit in the format."""
    first = number_format.split(";")[0]
    at = re.search(r'General|[0#?]', re.sub(r'"[^"]*"', lambda m: "\x00" * len(m.group()), first))
    if not at:
        return "", ""
    literal = lambda part: "".join(re.findall(r'"([^"]*)"', part)) + "".join(re.findall(r"\\(.)", part))  # noqa: E731
    return literal(first[: at.start()]), literal(first[at.end():].lstrip("0#?.,%"))


def _plain(number: Decimal) -> str:
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
