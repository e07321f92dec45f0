"""Helpers for the hostile-input suites: the report command run in-process (the function the CLI
runs, fast) or as a real process, and LibreOffice's reading of the result, page by page."""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from pipeline import cli

from .conftest import ROOT, soffice

DEPT = "d"
LOCATED = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<message>.*[\u4e00-\u9fff].*)$")


@dataclass
class Run:
    code: int
    out: str
    err: str
    docx: Path

    @property
    def text(self) -> str:
        return self.out + self.err


def put(root: Path, content: str | bytes, year: int = 2022, dept: str = DEPT) -> Path:
    path = root / "content" / dept / f"{year}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def report(root: Path, content: str | bytes | None = None, *extra: str) -> Run:
    """`perfreport report` on <root>/content, in this process, through ``cli.main``."""
    if content is not None:
        put(root, content)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["report", "--year", "2022", "--content", str(root / "content"), "--out", str(root / "build"), *extra])
    return Run(code, out.getvalue(), err.getvalue(), root / "build" / "2022" / f"{DEPT}.docx")


def command(root: Path) -> list[str]:
    import sys

    return [sys.executable, "-m", "pipeline", "report", "--year", "2022", "--content", str(root / "content"), "--out", str(root / "build")]


def env() -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def assert_refused(run: Run, *words: str) -> list[str]:
    """Exit 1, no traceback, every error line located and in Chinese, the words among them."""
    assert run.code == 1, (run.code, run.text)
    assert "Traceback" not in run.text and "内部错误" not in run.text, run.text
    lines = [line for line in run.err.splitlines() if not line.startswith("有错误，未生成任何报告")]
    assert lines, run.text
    for line in lines:
        assert LOCATED.match(line), line
    for word in words:
        assert any(word in line for line in lines), (word, lines)
    return lines


def opens(path: Path):
    import docx

    return docx.Document(str(path))


def all_text(path: Path) -> str:
    """Every w:t of the body, headers and footers, and the core properties, as python-docx reads them."""
    from docx.oxml.ns import qn

    document = opens(path)
    parts = [document.element.body] + [s.footer._element for s in document.sections] + [s.header._element for s in document.sections]
    text = "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for part in parts for p in part.iter(qn("w:p")))
    props = document.core_properties
    return text + "\n" + props.title + "\n" + props.author


def pdf_pages(docx_files: list[Path], outdir: Path) -> dict[Path, list[str]]:
    """Each file converted by one LibreOffice call (fonts pinned, own profile); its PDF's text per page."""
    assert shutil.which("pdftotext"), "pdftotext (poppler-utils) is needed beside LibreOffice"
    outdir.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [soffice(), "--headless", "--norestore", f"-env:UserInstallation={(outdir / 'profile').as_uri()}", "--convert-to", "pdf", "--outdir", str(outdir)]
        + [str(p) for p in docx_files],
        check=True,
        capture_output=True,
        timeout=300,
        env={**os.environ, "FONTCONFIG_FILE": str(ROOT / "tests" / "fonts.conf"), "HOME": str(outdir)},
    )
    pages = {}
    for source in docx_files:
        pdf = outdir / (source.stem + ".pdf")
        text = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
        pages[source] = text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")
    return pages


def flat(text: str) -> str:
    return "".join(text.split())
