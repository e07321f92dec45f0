"""The recipe: content file → load → validate → score → compose → render → build/<year>/<dept>.docx.

Each function returns values and problems; nothing here prints.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from . import compose
from .load import load, load_bytes
from .model import Report
from .problems import Problem, Severity
from .score import Scores, score
from .validate import place, validate

DEFAULT_TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "report.docx"


@dataclass
class Checked:
    path: Path
    report: Report | None = None
    scores: Scores | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.scores is not None and not any(p.severity is Severity.error for p in self.problems)


def content_files(content: Path, year: int, dept: str | None = None) -> list[Path]:
    """content/<dept>/<year>.yaml, sorted by department. A link to nothing is listed too (glob
    would skip it): it is a content file that cannot be read, refused by name, not ignored."""
    if not dept:
        return sorted(p for p in content.glob(f"*/{year}.yaml")) + sorted(
            p / f"{year}.yaml" for p in content.glob("*/") if os.path.islink(p / f"{year}.yaml") and not (p / f"{year}.yaml").exists()
        )
    return sorted(p for p in content.glob(f"{dept}/{year}.yaml")) or [p for p in [content / dept / f"{year}.yaml"] if os.path.islink(p)]


def check_file(path: Path, shown: str | None = None) -> Checked:
    """Load, validate and score one file; every problem located in it."""
    tree, problems = load(path)
    return _checked(path, shown or str(path), tree, problems)


def check_bytes(data: bytes, path: Path, shown: str) -> Checked:
    """The same for content that is not on disk (a file at a git revision)."""
    tree, problems = load_bytes(data, shown)
    return _checked(path, shown, tree, problems)


def _checked(path: Path, name: str, tree, problems: list[Problem]) -> Checked:
    if tree is None:
        return Checked(path, problems=_renamed(problems, name))
    report, problems = validate(tree, name)
    if report is None or any(p.severity is Severity.error for p in problems):
        return Checked(path, report, problems=problems)
    scores, findings = score(report)
    return Checked(path, report, scores, problems + place(findings, tree, name))


def _renamed(problems: list[Problem], name: str) -> list[Problem]:
    return [Problem(name, p.line, p.col, p.message, p.severity) for p in problems]


def report_date(report: Report):
    """The document's date: the day the evaluation's analysis ended (the last date the content gives)."""
    return report.evaluation.analysis.end


def build_docx(
    checked: Checked, template: Path = DEFAULT_TEMPLATE, level3: str = "、", *, template_data: bytes | None = None
) -> tuple[bytes | None, list[Problem]]:
    from . import render  # docxtpl is imported only by the commands that render (not by check)

    report, scores = checked.report, checked.scores
    context = compose.context(report, scores, level3)
    return render.render(
        context,
        template,
        author=report.department.name,
        title=compose.title(report),
        when=report_date(report),
        template_data=template_data,
    )


def output_path(build: Path, year: int, path: Path) -> Path:
    return build / str(year) / f"{path.parent.name}.docx"
