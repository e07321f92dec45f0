"""A built report read back as text: its paragraphs (for diffs) and Markdown (for review).

Markdown comes from pandoc, the binary bundled with pypandoc-binary, pinned so that review text
does not change with whatever pandoc a machine has.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

PANDOC_ARGS = ["--wrap=none", "-s"]  # -s keeps the title paragraph; --wrap=none: one paragraph a line


def paragraphs(source: Path | bytes, cells: bool = True) -> list[str]:
    """Body paragraphs in order, each table cell as its own line (none with ``cells`` false);
    blank ones dropped."""
    import docx
    from docx.oxml.ns import qn

    document = docx.Document(io.BytesIO(source) if isinstance(source, bytes) else str(source))
    lines = []
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            lines.append(_text(child, qn))
        elif child.tag == qn("w:tbl") and cells:
            lines += [_text(p, qn) for cell in child.iter(qn("w:tc")) for p in cell.iter(qn("w:p"))]
    return [line.strip() for line in lines if line.strip()]


@dataclass(frozen=True)
class Cell:
    """One table cell, named as a reader finds it: “表1 第3行（新增科技型企业数量）得分”."""

    table: str  # 表1, or the heading the table sits under (“预算执行情况”表)
    row: int  # 1-based, the header row included, as the table is read
    row_name: str  # the row's first cell ("" in the first column itself, or without a header row)
    column: str  # the column's head, or the label cell to the left, or 第N列
    text: str

    @property
    def key(self) -> tuple[str, str, str]:
        """The same cell in another version: by row name where there is one (rows may move)."""
        return self.table, self.row_name or f"第{self.row}行", self.column

    @property
    def label(self) -> str:
        row = f"第{self.row}行" + (f"（{self.row_name}）" if self.row_name else " ")
        return f"{self.table} {row}{self.column}"


TABLE_NUMBER = re.compile(r"^(?:附件\s*)?表\s*(\d+)")


def cells(source: Path | bytes) -> list[Cell]:
    """Every non-empty table cell of the body, labelled by table, row and column."""
    import docx
    from docx.oxml.ns import qn

    document = docx.Document(io.BytesIO(source) if isinstance(source, bytes) else str(source))
    out: list[Cell] = []
    heading, seen = "", {}
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            heading = _text(child, qn).strip() or heading
            continue
        if child.tag != qn("w:tbl"):
            continue
        number = TABLE_NUMBER.match(heading)
        name = f"表{number.group(1)}" if number else (f"“{heading[:40]}”" + ("" if heading.endswith("表") else "表") if heading else "表")
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:
            name += f"（其{seen[name]}）"
        rows = [[(_span(tc, qn), _text(tc, qn).strip()) for tc in tr.findall(qn("w:tc"))] for tr in child.findall(qn("w:tr"))]
        grid = [_by_column(row) for row in rows]
        head = grid[0] if grid else {}
        has_head = len(rows) > 1 and all(text and not any(ch.isdigit() for ch in text) for _, text in rows[0])
        for r, row in enumerate(grid, start=1):
            columns = sorted(row)
            for i, col in enumerate(columns):
                text = row[col]
                if not text:
                    continue
                if has_head and r > 1:
                    column = head.get(col, "") or f"第{i + 1}列"
                    first = row[columns[0]] if i else ""
                    row_name = first if first and not any(ch.isdigit() for ch in first) else ""
                else:  # no head row: a form of label–value pairs (主管部门 | … | 自评总分 | …)
                    left = row[columns[i - 1]] if i % 2 else ""
                    column = left if left and not any(ch.isdigit() for ch in left) else f"第{i + 1}列"
                    row_name = ""
                out.append(Cell(name, r, row_name, column, text))
        heading = ""
    return out


def _span(tc, qn) -> int:
    pr = tc.find(qn("w:tcPr"))
    span = pr.find(qn("w:gridSpan")) if pr is not None else None
    try:
        return max(1, int(span.get(qn("w:val")))) if span is not None else 1
    except (TypeError, ValueError):
        return 1


def _by_column(row: list[tuple[int, str]]) -> dict[int, str]:
    """{grid column where the cell starts: its text}."""
    out, col = {}, 0
    for span, text in row:
        out[col] = text
        col += span
    return out


def _text(element, qn) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


def pandoc_path() -> str:
    import pypandoc

    bundled = Path(pypandoc.__file__).parent / "files" / ("pandoc.exe" if os.name == "nt" else "pandoc")
    return str(bundled) if bundled.is_file() else pypandoc.get_pandoc_path()


def markdown(source: Path | bytes) -> str:
    """The report as GitHub-flavoured Markdown: headings keep their numbers, Table 1 a table."""
    import pypandoc

    os.environ["PYPANDOC_PANDOC"] = pandoc_path()
    if isinstance(source, bytes):
        with tempfile.TemporaryDirectory() as scratch:
            path = Path(scratch) / "report.docx"
            path.write_bytes(source)
            return pypandoc.convert_file(str(path), "gfm", format="docx", extra_args=PANDOC_ARGS)
    return pypandoc.convert_file(str(source), "gfm", format="docx", extra_args=PANDOC_ARGS)
