"""A Word report read as blocks in body order: paragraphs (text, style, bold) and tables (rows of
cell texts). .doc, .wps, .odt and .rtf are converted to .docx through LibreOffice first; a
spreadsheet (.xlsx; .xls, .et, .ods converted to .xlsx) is read by sheetread, one table per sheet.

Only reading happens here; what the blocks mean is sections.py's and parse.py's job.
"""

from __future__ import annotations

import io
import os
import subprocess
import tempfile
import zipfile
from pathlib import Path

from ...content.readfile import read_limited
from ...output.pdf import INSTALL_HINT, soffice
from . import sheetread
from .types import ILLEGAL, Block

MAX_FILE_BYTES = 50 * 1024 * 1024  # a report with photos is a few MB
MAX_XML_BYTES = 100 * 1024 * 1024  # unpacked document.xml: a zip bomb stops here
MAX_BLOCKS = 20000
MAX_GRID_COLUMNS = 60  # a table's grid as formread reads it: wider is no 自评表
CONVERT_TIMEOUT = 120  # seconds for LibreOffice to convert one file
CONVERTED = {".doc", ".wps", ".odt", ".rtf", ".wpt", ".dot", ".docm"}
SHEETS = {".xlsx", ".xlsm"}
SHEETS_CONVERTED = {".xls": ".xls", ".et": ".xls", ".ods": ".ods", ".ett": ".xls"}  # WPS 表格 .et is BIFF8 inside


class ReadError(Exception):
    """A file that cannot be read as a report; the message is for the user (中文).
    ``environment`` marks what the machine lacks (LibreOffice), not what the file is."""

    def __init__(self, message: str, environment: bool = False):
        super().__init__(message)
        self.environment = environment


def read(path: Path) -> list[Block]:
    """The blocks of the report at ``path``; raises ReadError with a Chinese message."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in CONVERTED | SHEETS | set(SHEETS_CONVERTED) and suffix != ".docx":
        raise ReadError(f"不支持的文件类型“{path.suffix}”：请提供 Word 文件（.docx、.doc、.wps、.odt）或表格文件（.xlsx、.xls、.et）")
    # Read once, at most the limit + 1 byte, refusing FIFOs and devices (never trust the stated size).
    data, refused = read_limited(path, MAX_FILE_BYTES)
    if data is None:
        raise ReadError(refused)
    if len(data) > MAX_FILE_BYTES:
        raise ReadError(f"文件过大，超过 {MAX_FILE_BYTES // 1024 // 1024} MB 的上限")
    if suffix in SHEETS or suffix in SHEETS_CONVERTED:
        if suffix in SHEETS_CONVERTED:
            data = convert(path, data, to="xlsx", as_suffix=SHEETS_CONVERTED[suffix])
        try:
            return sheetread.blocks(data)
        except sheetread.SheetError as exc:
            raise ReadError(str(exc)) from None
    return blocks(convert(path, data) if suffix in CONVERTED else data)


def convert(path: Path, data: bytes, timeout: float = CONVERT_TIMEOUT, to: str = "docx", as_suffix: str | None = None) -> bytes:
    """.doc/.wps/.odt → .docx (or .xls/.et/.ods → .xlsx) bytes through LibreOffice, with a private
    profile and a time limit."""
    exe = soffice()
    if exe is None:
        raise ReadError(f"{path.suffix} 文件须先经 LibreOffice 转换为 .{to}。{INSTALL_HINT}", environment=True)
    with tempfile.TemporaryDirectory(prefix="perfreport-import-") as scratch:
        work = Path(scratch)
        source = work / ("source" + (as_suffix or path.suffix.lower()))  # a plain name: no option-like file names
        source.write_bytes(data)
        out = work / "out"
        try:
            result = subprocess.run(
                [exe, "--headless", "--norestore", f"-env:UserInstallation={(work / 'profile').as_uri()}",
                 "--convert-to", to, "--outdir", str(out), str(source)],
                capture_output=True, text=True, timeout=timeout, env={**os.environ, "HOME": str(work)},
            )
        except subprocess.TimeoutExpired:
            raise ReadError(f"LibreOffice 转换超时（{timeout:.0f} 秒）", environment=True) from None
        target = out / f"source.{to}"
        if not target.is_file():
            detail = (result.stderr or result.stdout).strip().splitlines()[-1:] or [f"退出码 {result.returncode}"]
            raise ReadError(f"LibreOffice 未能把文件转换为 .{to}：{detail[0]}")
        return target.read_bytes()


def blocks(data: bytes) -> list[Block]:
    import docx
    from docx.oxml.ns import qn

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            info = z.getinfo("word/document.xml")
            if info.file_size > MAX_XML_BYTES:
                raise ReadError("文件正文解压后过大，不像一份报告")
        document = docx.Document(io.BytesIO(data))
    except ReadError:
        raise
    except Exception:
        raise ReadError("无法读取为 Word 文档（.docx）：文件已损坏，或不是 Word 文件") from None
    styles = {s.style_id: s for s in document.styles}
    out: list[Block] = []
    counts = {"p": 0, "table": 0}

    def add(block: Block) -> None:
        if len(out) >= MAX_BLOCKS:
            raise ReadError(f"段落和表格超过 {MAX_BLOCKS} 个，不像一份报告")
        counts[block.kind] += 1
        block.number = counts[block.kind]
        out.append(block)

    def walk(parent) -> None:
        for child in parent.iterchildren():
            if child.tag == qn("w:p"):
                text = _text(child, qn)
                if text.strip():
                    style = _style_name(child, qn, styles)
                    add(Block("p", 0, text.strip(), style, _bold(child, qn, styles)))
            elif child.tag == qn("w:tbl"):
                rows, grid = [], []
                above: dict[int, str] = {}  # grid column → the text of the cell last seen there
                for tr in child.iterchildren(qn("w:tr")):
                    cells, wide, column = [], [], 0
                    for tc in tr.iterchildren(qn("w:tc")):
                        text = " ".join(_text(p, qn).strip() for p in tc.iter(qn("w:p")) if _text(p, qn).strip())
                        if _continues(tc, qn):  # a vertically merged cell shows the text of the one it joins
                            text = above.get(column, "")
                        above[column] = text
                        cells.append(text)
                        span = _span(tc, qn)
                        wide += [text] * min(span, max(0, MAX_GRID_COLUMNS - len(wide)))  # a form is a few dozen wide
                        column += span
                    rows.append(cells)  # empty rows too: row numbers stay the source's
                    grid.append(wide)
                add(Block("table", 0, rows=rows, grid=grid))
            elif child.tag == qn("w:sdt"):  # content controls hold ordinary paragraphs
                for content in child.iterchildren(qn("w:sdtContent")):
                    walk(content)

    walk(document.element.body)
    return out


def _continues(tc, qn) -> bool:
    """A cell that continues a vertical merge (w:vMerge without val="restart")."""
    pr = tc.find(qn("w:tcPr"))
    merge = pr.find(qn("w:vMerge")) if pr is not None else None
    return merge is not None and merge.get(qn("w:val"), "continue") == "continue"


def _span(tc, qn) -> int:
    pr = tc.find(qn("w:tcPr"))
    span = pr.find(qn("w:gridSpan")) if pr is not None else None
    try:
        return max(1, min(int(span.get(qn("w:val"))), 64)) if span is not None else 1
    except (TypeError, ValueError):
        return 1


def _text(element, qn) -> str:
    parts = []
    for node in element.iter(qn("w:t"), qn("w:tab")):
        parts.append(node.text or "" if node.tag == qn("w:t") else " ")
    return "".join(parts).translate(ILLEGAL)


def _style_name(p, qn, styles) -> str:
    ppr = p.find(qn("w:pPr"))
    ps = ppr.find(qn("w:pStyle")) if ppr is not None else None
    if ps is None:
        return ""
    style = styles.get(ps.get(qn("w:val")))
    return (style.name or "") if style is not None else ps.get(qn("w:val")) or ""


def _on(element, qn) -> bool:
    return element is not None and element.get(qn("w:val"), "true") not in ("0", "false", "off")


def _bold(p, qn, styles) -> bool:
    """True when every run with text is bold (directly, or through the paragraph's style)."""
    ppr = p.find(qn("w:pPr"))
    ps = ppr.find(qn("w:pStyle")) if ppr is not None else None
    style_bold = False
    if ps is not None and ps.get(qn("w:val")) in styles:
        font = styles[ps.get(qn("w:val"))].font if hasattr(styles[ps.get(qn("w:val"))], "font") else None
        style_bold = bool(font is not None and font.bold)
    runs = [r for r in p.iter(qn("w:r")) if "".join(t.text or "" for t in r.iter(qn("w:t"))).strip()]
    if not runs:
        return False
    for r in runs:
        rpr = r.find(qn("w:rPr"))
        b = rpr.find(qn("w:b")) if rpr is not None else None
        if not (_on(b, qn) if b is not None else style_bold):
            return False
    return True
