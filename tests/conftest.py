"""Shared helpers: the real 2022 content, edited one change at a time."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content" / "bishan-kjj" / "2022.yaml"
# The reference report's text (the published 2022 report of 璧山区科学技术局), kept in the
# repository so that a bare clone tests itself.
SEED = ROOT / "tests" / "fixtures" / "reference-2022.txt"


def real_text() -> str:
    return CONTENT.read_text(encoding="utf-8")


def where(text: str, needle: str, occurrence: int = 1) -> str:
    """'line:col' (1-based) of the first character of ``needle`` in ``text``."""
    index = -1
    for _ in range(occurrence):
        index = text.index(needle, index + 1)
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return f"{line}:{col}"


def edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"edit target must be unique: {old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


@pytest.fixture
def write_content(tmp_path):
    """Write content text as <tmp>/content/bishan-kjj/2022.yaml and return its path."""

    def _write(text: str | bytes, year: int = 2022, dept: str = "bishan-kjj") -> Path:
        path = tmp_path / "content" / dept / f"{year}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    return _write


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_lines(path: Path) -> list[str]:
    """The body's paragraphs in order, each table cell as its own line (as the seed flattens them)."""
    from pipeline.output.text import paragraphs

    return paragraphs(path)


def seed_lines() -> list[str]:
    """The reference report's paragraphs: bookmark markers dropped, blank lines dropped."""
    import re

    text = SEED.read_text(encoding="utf-8")
    text = re.sub(r"\[bookmark: [^\]]*\]", "", text)
    return [line.strip() for line in text.splitlines() if line.strip()]


def sheet_rows(path: Path, sheet: str | None = None) -> list[list]:
    """A workbook's rows as values, as a reader sees them: a cell merged across columns counts
    once (the 自评表's upper blocks span the indicator table's width); a cell merged down keeps
    its blank places, so every row keeps its columns."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    ws = book[sheet] if sheet else book.active
    covered = {(r, c) for m in ws.merged_cells.ranges for r in range(m.min_row, m.max_row + 1) for c in range(m.min_col + 1, m.max_col + 1)}
    return [[cell.value for cell in row if (cell.row, cell.column) not in covered] for row in ws.iter_rows()]
