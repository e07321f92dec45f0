"""The recipe: content file → load → validate → score → compose → render (→ write, batch.py).

    make(path, …)   one department, steps 1–5, in memory: what ``Outcome`` it gives
    batch.run(job)  a whole command: ``make`` for every department on every core, then step 6,
                    every output written at once or none (savefile.write_all)

``check`` stops after step 3 (the ``check`` command, ``diff`` with ``check_bytes``), and every
command that writes files (report, review, pdf, form) goes through ``batch.run``. Each step only reads
what the step before it returned: validation finds every problem (scoring's too), so scoring
cannot fail, and composition words what scoring computed. Nothing here prints.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from .output import compose
from . import paths
from .errors import SetupError, shown
from .content.load import load, load_bytes
from .content.model import Report
from .problems import Problem, errors
from .content.score import Scores, score
from .content.validate import validate

DEFAULT_TEMPLATE = paths.PACKAGE_ROOT / "templates" / "report.docx"
KINDS = tuple(paths.SUFFIXES)  # report (.docx), review (.md), pdf (.pdf), form (自评表 .xlsx)


@dataclass
class Checked:
    """Steps 1–3 of one content file: the model and its scores, or the problems that stop them."""

    path: Path
    report: Report | None = None
    scores: Scores | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.scores is not None and not errors(self.problems)


@dataclass
class Outcome:
    """One department after steps 1–5: its outputs' bytes by kind, or the errors that prevent them."""

    path: Path
    label: str  # the department's name when known, else its folder
    outputs: dict[str, bytes] = field(default_factory=dict)
    errors: list[Problem] = field(default_factory=list)
    checked: Checked | None = None  # kind "figures" (summary): the model and scores themselves
    printing: dict[str, bytes] = field(default_factory=dict)  # what LibreOffice prints, not written

    @property
    def dept(self) -> str:
        return self.path.parent.name

    @property
    def data(self) -> bytes | None:
        """The report (.docx), when one was made."""
        return self.outputs.get("report")


# ---------------------------------------------------------------- steps 1–3: check


def check(path: Path, shown: str | None = None) -> Checked:
    """Load, validate and score one file; every problem located in it."""
    tree, problems = load(path)  # 1. load
    return _checked(path, shown or str(path), tree, problems)



def check_bytes(data: bytes, path: Path, shown: str) -> Checked:
    """The same for content that is not on disk (a file at a git revision)."""
    tree, problems = load_bytes(data, shown)
    return _checked(path, shown, tree, problems)


def _checked(path: Path, name: str, tree, problems: list[Problem]) -> Checked:
    if tree is None:
        return Checked(path, problems=[Problem(name, p.line, p.col, p.message, p.severity) for p in problems])
    report, problems = validate(tree, name)  # 2. validate: every problem, scoring's included
    if report is None or errors(problems):
        return Checked(path, report, problems=problems)
    scores, findings = score(report)  # 3. score: cannot fail once validation passed
    if scores is None:
        raise AssertionError(f"评分发现了校验未发现的错误：{[f.message for f in findings]}")
    return Checked(path, report, scores, problems)


def report_date(report: Report) -> dt.date:
    """The document's date: the day the evaluation's analysis ended (the last date the content gives)."""
    return report.evaluation.analysis.end


# ---------------------------------------------------------------- steps 4–5: compose and render


def render_docx(
    checked: Checked, template: Path = DEFAULT_TEMPLATE, level3: str = "、", *, template_data: bytes | None = None
) -> tuple[bytes | None, list[Problem]]:
    """The report's bytes (steps 4 and 5), or the template's problems."""
    from .output import render  # docxtpl is imported only by the commands that render (not by check)

    report, scores = checked.report, checked.scores
    context = compose.context(report, scores, level3)  # 4. compose
    return render.render(  # 5. render
        context,
        template,
        author=report.department.name,
        title=compose.title(report),
        when=report_date(report),
        template_data=template_data,
    )



def form_xlsx(checked: Checked, printing: bool = False) -> bytes:
    """The self-evaluation form (自评表) as a spreadsheet, from the same model and scores;
    ``printing``: the copy LibreOffice prints (its lines broken as they print, sheet.workbook)."""
    from .output.form import form
    from .output.sheet import workbook

    return workbook(form(checked.report, checked.scores), report_date(checked.report), printing)


def make(
    path: Path,
    shown: str,
    kinds: tuple[str, ...],
    template: Path = DEFAULT_TEMPLATE,
    template_data: bytes | None = None,
    level3: str = "、",
    render: bool = True,
) -> Outcome:
    """One department, steps 1–5: every output of ``kinds`` in memory, or the errors that stop it.

    With ``render`` false (another department already failed: nothing will be written), only
    steps 1–3 run, so that every problem is still listed."""
    checked = check(path, shown)
    label = checked.report.department.name if checked.report is not None else path.parent.name
    if not checked.ok:
        return Outcome(path, label, errors=errors(checked.problems))
    if not render:
        return Outcome(path, label)
    if "figures" in kinds:  # the summary: every department's model and scores, nothing rendered
        return Outcome(path, label, checked=checked)
    outputs: dict[str, bytes] = {}
    if {"report", "review", "pdf"} & set(kinds):
        data, problems = render_docx(checked, template, level3, template_data=template_data)
        if data is None:
            return Outcome(path, label, errors=problems or [Problem(str(template), 1, 1, "模板未能生成报告")])
        outputs["report"] = data
        if "review" in kinds:
            try:
                from .output.text import markdown

                outputs["review"] = markdown(data).encode("utf-8")
            except (OSError, RuntimeError) as exc:  # pandoc missing or failing: the machine's, not the content's
                raise SetupError(f"{shown}: pandoc 未能把报告转为 Markdown：{str(exc).strip()}") from None
    printing = {}
    if "form" in kinds:
        outputs["form"] = form_xlsx(checked)
        if "pdf" in kinds:
            printing["form"] = form_xlsx(checked, printing=True)
    return Outcome(path, label, outputs, printing=printing)


def read_template(template: Path) -> bytes:
    """The template's bytes, read at most to its limit: a FIFO, a device or a folder is refused at
    once (never waited on, never read without end); a larger file is refused when rendered."""
    from .content.readfile import MAX_TEMPLATE_BYTES, read_limited

    if not os.path.lexists(template):
        raise SetupError(f"{shown(template)}: 找不到模板文件")
    data, why = read_limited(Path(template), MAX_TEMPLATE_BYTES)
    if data is None:
        raise SetupError(f"{shown(template)}: 无法读取模板：{why}")
    return data
