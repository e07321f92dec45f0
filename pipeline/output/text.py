"""A built report read back as text: its paragraphs (for diffs) and Markdown (for review).

Markdown comes from pandoc, the binary bundled with pypandoc-binary, pinned so that review text
does not change with whatever pandoc a machine has.
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

PANDOC_ARGS = ["--wrap=none", "-s"]  # -s keeps the title paragraph; --wrap=none: one paragraph a line


def paragraphs(source: Path | bytes) -> list[str]:
    """Body paragraphs in order, each table cell as its own line; blank ones dropped."""
    import docx
    from docx.oxml.ns import qn

    document = docx.Document(io.BytesIO(source) if isinstance(source, bytes) else str(source))
    lines = []
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            lines.append(_text(child, qn))
        elif child.tag == qn("w:tbl"):
            lines += [_text(p, qn) for cell in child.iter(qn("w:tc")) for p in cell.iter(qn("w:p"))]
    return [line.strip() for line in lines if line.strip()]


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
