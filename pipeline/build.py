"""The recipe: content file → load → validate → score → compose → render (→ write, batch.py).

    make(path, …)   one department, steps 1–5, in memory: what ``Outcome`` it gives
    batch.run(job)  a whole command: ``make`` for every department on every core, then step 6,
                    the outputs of every department without errors written at once or none
                    (savefile.write_all)

``check`` stops after step 3 (the ``check`` command, ``diff`` with ``check_bytes``), and every
command that writes files (report, review, pdf, form) goes through ``batch.run``. Each step only reads
what the step before it returned: validation finds every problem (scoring's too), so scoring
cannot fail, and composition words what scoring computed. Nothing here prints.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from .output import compose
from . import paths
from .errors import SetupError, shown
from .content.load import load, load_bytes
from .content.model import FormContent, Report
from .problems import Problem, errors
from .content.score import Scores, score
from .content.validate import form_only, narrative_missing, validate

DEFAULT_TEMPLATE = paths.PACKAGE_ROOT / "templates" / "report.docx"
FORM_TEMPLATE = paths.PACKAGE_ROOT / "templates" / "form.docx"  # the standalone 自评表 (the attachment alone)
KINDS = tuple(paths.SUFFIXES)  # report (.docx), review (.md), pdf (.pdf), form (自评表 .xlsx), form_docx (自评表 .docx)
NARRATIVE_KINDS = {"report", "review", "pdf"}  # what a form-only file cannot make


@dataclass
class Checked:
    """Steps 1–3 of one content file: the model and its scores, or the problems that stop them."""

    path: Path
    report: FormContent | None = None  # a Report, or only a form's content (a form-only file)
    scores: Scores | None = None
    problems: list[Problem] = field(default_factory=list)
    form_only: bool = False  # the file holds no narrative: a 自评表 only
    narrative: list[Problem] = field(default_factory=list)  # form-only: what a report still needs
    tree: object = field(default=None, repr=False, compare=False)  # the loaded YAML: where each value stands
    typed_name: str | None = None  # department.name as typed, even when the file has errors

    @property
    def ok(self) -> bool:
        return self.scores is not None and not errors(self.problems)

    @property
    def hand_set(self) -> list[str]:
        """One line per score set by hand (override), with its reason: make report / make form print
        them (judged scores are marked in the .xlsx and listed by check and the summary)."""
        if self.report is None or self.scores is None:
            return []
        from .output.form import hand_set

        pairs = zip(self.report.indicators, self.scores.indicators)
        return [f"指标“{row.name}”：{hand_set(row, ind)}" for ind, row in pairs if row.method == "override"]


@dataclass
class Outcome:
    """One department after steps 1–5: its outputs' bytes by kind, or the errors that prevent them."""

    path: Path
    label: str  # the department's name when known, else its folder
    outputs: dict[str, bytes] = field(default_factory=dict)
    errors: list[Problem] = field(default_factory=list)
    checked: Checked | None = None  # kind "figures" (summary): the model and scores themselves
    notes: list[str] = field(default_factory=list)  # scores set by hand or by judgement, one line each
    skipped: list[Problem] = field(default_factory=list)  # a form-only file asked for a report: what it lacks
    previous: Checked | None = None  # kinds "figures" + "previous": last year's file, when it exists and is valid
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
    """Load, validate and score one file; every problem located in it. Last year's file of the
    same department, when there is one, is read too: a figure far from last year's is named."""
    tree, problems = load(path)  # 1. load
    return _checked(path, shown or str(path), tree, problems, previous_tree(path, tree))


def previous_tree(path: Path, tree):
    """content/<dept>/<year − 1>.yaml as loaded, or None (absent, unreadable, not a year's file)."""
    year = tree.get("year") if isinstance(tree, dict) else None
    if not isinstance(year, int) or isinstance(year, bool) or Path(path).stem != str(year):
        return None
    before = Path(path).with_name(f"{year - 1}.yaml")
    if not before.is_file():
        return None
    previous, problems = load(before)
    return previous if not errors(problems) else None



def check_with_previous(path: Path, shown: str) -> tuple[Checked, Checked | None]:
    """``check``, and last year's file of the department checked too (None when there is none),
    each file read once; last year's own check is not compared with the year before it."""
    tree, problems = load(path)
    before_tree = previous_tree(path, tree)
    checked = _checked(path, shown, tree, problems, before_tree)
    before = paths.previous_file(path)
    if before is None:
        return checked, None
    before_shown = str(Path(shown).with_name(before.name))
    if before_tree is None:  # unreadable, or a year typed other than its name: checked on its own
        return checked, check(before, before_shown)
    return checked, _checked(before, before_shown, before_tree, [])


def check_bytes(data: bytes, path: Path, shown: str) -> Checked:
    """The same for content that is not on disk (a file at a git revision)."""
    tree, problems = load_bytes(data, shown)
    return _checked(path, shown, tree, problems)


def _checked(path: Path, name: str, tree, problems: list[Problem], previous=None) -> Checked:
    if tree is None:
        return Checked(path, problems=[Problem(name, p.line, p.col, p.message, p.severity) for p in problems])
    report, problems = validate(tree, name, previous)  # 2. validate: every problem, scoring's included
    only = form_only(tree)
    narrative = narrative_missing(tree, name) if only else []
    if report is None or errors(problems):
        return Checked(path, report, problems=problems, form_only=only, narrative=narrative, tree=tree, typed_name=_typed_name(tree))
    scores = score(report)  # 3. score: cannot fail once validation (rules.py included) passed
    return Checked(path, report, scores, problems, only, narrative, tree)


def _typed_name(tree) -> str | None:
    """The department's 全称 as the file gives it, to name a department whose file has errors."""
    department = tree.get("department") if isinstance(tree, dict) else None
    name = department.get("name") if isinstance(department, dict) else None
    return (name.strip()[:60] or None) if isinstance(name, str) else None


def report_date(report: FormContent) -> dt.date | None:
    """The document's date: the day the evaluation's analysis ended (the last date the content
    gives); None for a form-only file, which gives no date."""
    return report.evaluation.analysis.end if isinstance(report, Report) else None


def stamp_date(report: FormContent) -> dt.date:
    """The date in a file's properties (never printed): the report's date, or for a form-only
    file the first day after its year, so that the bytes are the same for the same content."""
    return report_date(report) or dt.date(report.year + 1, 1, 1)


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

    return workbook(form(checked.report, checked.scores), report_date(checked.report), stamp_date(checked.report), printing)


def form_docx(checked: Checked) -> tuple[bytes | None, list[Problem]]:
    """The self-evaluation form as a standalone .docx: the report's attachment alone (landscape,
    the same table, templates/form.docx), for a form-only file as for any other."""
    from .output import render

    report = checked.report
    return render.render(
        compose.form_context(report, checked.scores),
        FORM_TEMPLATE,
        author=report.department.name,
        title=compose.form_title(report).strip("《》"),
        when=stamp_date(report),
    )


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
    checked, last = check_with_previous(path, shown) if "previous" in kinds else (check(path, shown), None)
    label = checked.report.department.name if checked.report is not None else checked.typed_name or path.parent.name
    wants_report = bool(NARRATIVE_KINDS & set(kinds))
    if not checked.ok:
        return Outcome(path, label, errors=errors(checked.problems) + (checked.narrative if wants_report else []))
    if wants_report and checked.form_only:  # a 自评表 only: what a report needs, one line per part
        return Outcome(path, label, skipped=checked.narrative)
    if not render:
        return Outcome(path, label)
    if "figures" in kinds:  # the summary: every department's model and scores, nothing rendered
        previous = replace(last, tree=None) if last is not None and last.ok else None
        # (trees are not sent between processes)
        return Outcome(path, label, checked=replace(checked, tree=None), previous=previous)
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
        data, problems = form_docx(checked)
        if data is None:
            return Outcome(path, label, errors=problems or [Problem(str(FORM_TEMPLATE), 1, 1, "模板未能生成自评表")])
        outputs["form_docx"] = data
    return Outcome(path, label, outputs, notes=checked.hand_set, printing=printing)


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
