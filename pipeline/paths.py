"""Where things are: the project root, the content files of a year, and every output path.

Output paths are decided here and nowhere else: ``<out>/<year>/<dept><suffix>``. The year is four
digits and the department id one folder name, so no argument can lead a write outside ``<out>``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from .errors import SetupError, UsageError, shown

PACKAGE_ROOT = Path(__file__).resolve().parent.parent

# What each command writes for a department, by kind (the suffix follows the department id).
SUFFIXES = {"report": ".docx", "review": ".md", "pdf": ".pdf", "form": "-自评表.xlsx", "form_docx": "-自评表.docx", "form-pdf": "-自评表.pdf"}

YEAR = re.compile(r"[1-9][0-9]{3}")  # "0000" would be the year 0, written as 0.yaml
# A department id is one folder name under content/: letters (any script), digits, - _ and dots
# inside; never a path separator, never "." or "..".
DEPT = re.compile(r"[^\W_][\w.-]{0,63}")
# build/<year>/汇总.xlsx and 汇总.docx are the district summary's: no department may take the name.
SUMMARY = "汇总"


def project_root(start: Path | None = None) -> Path:
    """The project folder (the one holding content/ beside pyproject.toml, or beside .git), found
    from ``start`` (the current folder) upwards, so commands work from any folder inside it; the
    current folder itself when it is inside no project."""
    here = (start or Path.cwd()).resolve()
    for marker in ("pyproject.toml", ".git"):
        for folder in (here, *here.parents):
            if (folder / marker).exists() and (folder / "content").is_dir():
                return folder
    return here


def lexical_root(path: Path) -> Path | None:
    """The project holding ``path`` as written (absolute, links not followed): the nearest folder
    above it with content/ beside pyproject.toml or .git; None outside any project."""
    here = Path(os.path.abspath(path))
    for folder in here.parents:
        if ((folder / "pyproject.toml").exists() or (folder / ".git").exists()) and (folder / "content").is_dir():
            return folder
    return None


def real(path: Path) -> Path:
    """``path`` with every link on the way followed (the part that does not exist yet kept as
    written): where a read or a write really lands."""
    return Path(os.path.realpath(path))


def within(path: Path, folder: Path) -> bool:
    """Whether ``path`` (already real) is ``folder`` (already real) or inside it."""
    return path == folder or folder in path.parents


def area(folder: Path) -> Path:
    """Where the tool may read or write under ``folder`` (content/, build/, …): the folder's real
    place, which must stay inside the project holding it (a content/ or build/ that is a link out
    of the project is refused: ``SetupError``). A folder outside any project (named by the user
    with --content or --out) is its own area."""
    root = lexical_root(folder / "x")
    where = real(folder)
    if root is not None and not within(where, real(root)):
        raise SetupError(f"{shown(folder)}: 是指向项目之外（{where}）的链接，拒绝在其中读写")
    return where


def year(text: str) -> int:
    """``--year``: four digits."""
    text = str(text).strip()
    if not YEAR.fullmatch(text):
        raise UsageError(f"年度应为四位数字（不以 0 开头），如 2022（当前为“{_clip(text)}”）")
    return int(text)


def dept(text: str) -> str:
    """``--dept``: a department id, the name of one folder under content/."""
    if not DEPT.fullmatch(text) or ".." in text:
        raise UsageError(f"部门应为 content/ 下的一个文件夹名，如 bishan-kjj（只含字母、数字、- _ .，不含路径分隔符；当前为“{_clip(text)}”）")
    if text == SUMMARY:
        raise UsageError(f"“{SUMMARY}”是全区汇总文件的名字，不能用作部门名")
    return text


def _clip(text: str) -> str:
    text = text.replace("\n", "\\n").replace("\r", "\\r")
    return text if len(text) <= 40 else text[:40] + "…"


def years(content: Path) -> list[int]:
    """Every year that has at least one content file, ascending."""
    found = {int(p.stem) for p in content.glob("*/*.yaml") if YEAR.fullmatch(p.stem)}
    return sorted(found)


def latest_year(content: Path) -> int | None:
    found = years(content)
    return found[-1] if found else None


def content_files(content: Path, year: int, dept: str | None = None) -> list[Path]:
    """content/<dept>/<year>.yaml, sorted by department. A link to nothing is listed too (glob
    skips it): it is a content file that cannot be read, refused by name, not ignored."""
    pattern = f"{dept}/{year}.yaml" if dept else f"*/{year}.yaml"
    found = set(content.glob(pattern))
    folders = [content / dept] if dept else content.glob("*/")
    found.update(p / f"{year}.yaml" for p in folders if os.path.islink(p / f"{year}.yaml"))
    return sorted(found)


DRAFT = "draft"  # content/<dept>/<year>.draft.yaml: a file still being written, skipped by every command


def drafts(content: Path, year: int, dept: str | None = None) -> list[Path]:
    """content/<dept>/<year>.draft.yaml: departments whose file is marked as a draft (by its name),
    sorted; the commands skip them with a note and do not count them as errors."""
    return sorted(Path(content).glob(f"{dept or '*'}/{year}.{DRAFT}.yaml"))


def draft_note(draft: Path, year: int) -> str:
    from .errors import shown

    return f"跳过草稿 {shown(draft)}（文件名标为草稿；写完后改名为 {year}.yaml）"


def previous_file(path: Path) -> Path | None:
    """content/<dept>/<year − 1>.yaml beside a year's file, when it exists (the audit compares them)."""
    stem = Path(path).stem
    if not YEAR.fullmatch(stem):
        return None
    before = Path(path).with_name(f"{int(stem) - 1}.yaml")
    return before if before.is_file() else None


def output(out: Path, year: int, dept_id: str, kind: str) -> Path:
    """The one place an output's path is made: ``<out>/<year>/<dept><suffix>``."""
    return Path(out) / f"{int(year):04d}" / f"{dept(dept_id)}{SUFFIXES[kind]}"
