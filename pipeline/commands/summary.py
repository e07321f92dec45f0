"""District summary: every department's result of one year in one table and one picture.

    perfreport summary --year 2022      (make summary YEAR=2022)

The figures come from the recipe itself (``build.check`` → model, ``score.Scores``), run for
every department at once by ``batch.build_all`` (all cores, all or nothing), so the summary cannot
differ from the reports and forms. Then ``summary_sheet`` writes 汇总.xlsx and ``summary_doc``
汇总.docx (with ``summary_chart``'s picture); both are made in memory first and written only when
both exist, each atomically, so an error leaves the previous summary as it was.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from .. import build
from ..errors import EXIT_CONTENT, EXIT_OK, EXIT_USAGE, shown
from ..content.score import GRADES, ZERO, Scores, half_up
from ..output.compose import num, percent
from ..paths import SUMMARY


XLSX_NAME, DOCX_NAME = f"{SUMMARY}.xlsx", f"{SUMMARY}.docx"
# Printed (make pdf): the summary document as 汇总.pdf, the workbook as 汇总表.pdf.
PDF_NAMES = {DOCX_NAME: f"{SUMMARY}.pdf", XLSX_NAME: f"{SUMMARY}表.pdf"}
LOWEST = 3  # lowest-scoring indicators named per department

# How a score was obtained, as reviewers ask it.
BY_RULE, JUDGED, OVERRIDDEN = "规则", "评定", "人工改分"
GRADE_NAMES = tuple(name for _, name in GRADES)  # 优 良 中 差
GRADE_RANGES = {"优": "90分及以上", "良": "80（含）至90分", "中": "60（含）至80分", "差": "60分以下"}


@dataclass(frozen=True)
class Line:
    """One row of a department's Table 1, as the summary lists it."""

    department: str
    level1: str | None
    level2: str | None
    name: str
    weight: Decimal
    score: Decimal  # rounded, as Table 1 prints it
    rate: Decimal  # 得分率 = unrounded score ÷ weight, as Table 1 prints it
    how: str  # BY_RULE, JUDGED or OVERRIDDEN
    rule: str  # the rule's own wording (score.Scored.rule)
    reason: str | None  # an override's reason or a judgement's basis
    rule_score: Decimal | None  # what the rule gives, where a score was set by hand

    @property
    def full(self) -> bool:
        return self.rate >= 1


@dataclass(frozen=True)
class Department:
    key: str  # the content directory
    name: str
    short_name: str
    supervisor: str | None
    budget: Decimal  # 全年（调整）预算数
    executed: Decimal
    execution_rate: Decimal
    execution_score: Decimal
    total: Decimal
    grade: str
    lines: tuple[Line, ...]  # 预算执行率 first, then the indicators in report order
    warnings: int
    date: dt.date

    @property
    def lowest(self) -> tuple[Line, ...]:
        """Up to LOWEST rows that lost points, the lowest 得分率 first (more points lost first on ties)."""
        lost = [line for line in self.lines if not line.full]
        lost.sort(key=lambda line: (line.rate, -(line.weight - line.score)))
        return tuple(lost[:LOWEST])

    @property
    def overridden(self) -> tuple[Line, ...]:
        return tuple(line for line in self.lines if line.how == OVERRIDDEN)

    @property
    def judged(self) -> tuple[Line, ...]:
        return tuple(line for line in self.lines if line.how == JUDGED)


@dataclass(frozen=True)
class District:
    year: int
    region: str  # the common 区/县 of the department names, or ""
    departments: tuple[Department, ...]  # by total, highest first

    @property
    def title(self) -> str:
        return f"{self.region}{self.year}年度部门整体支出绩效自评汇总情况"

    @property
    def budget(self) -> Decimal:
        return sum((d.budget for d in self.departments), ZERO)

    @property
    def executed(self) -> Decimal:
        return sum((d.executed for d in self.departments), ZERO)

    @property
    def execution_rate(self) -> Decimal:
        """Budget-weighted: Σ executed ÷ Σ budget (not the mean of the departments' rates)."""
        return self.executed / self.budget

    @property
    def mean_total(self) -> Decimal:
        return half_up(sum((d.total for d in self.departments), ZERO) / len(self.departments))

    @property
    def mean_execution_score(self) -> Decimal:
        return half_up(sum((d.execution_score for d in self.departments), ZERO) / len(self.departments))

    @property
    def grades(self) -> dict[str, int]:
        counts = dict.fromkeys(GRADE_NAMES, 0)
        for d in self.departments:
            counts[d.grade] += 1
        return counts

    @property
    def date(self) -> dt.date:
        """The latest date any department's content gives: the summary cannot be older."""
        return max(d.date for d in self.departments)

    def below(self, edge: int, above: int | None = None) -> tuple[Department, ...]:
        """Departments whose printed total is below ``edge`` (and at least ``above``), lowest first."""
        out = [d for d in self.departments if d.total < edge and (above is None or d.total >= above)]
        return tuple(sorted(out, key=lambda d: (d.total, d.key)))


# ---------------------------------------------------------------- from the recipe's values


def _value(enum_or_text) -> str:
    return str(getattr(enum_or_text, "value", enum_or_text))


def how(ind) -> str:
    """规则, 评定 (the evaluators chose a coefficient: a judgement, or a qualitative band) or 人工改分."""
    if ind.override is not None:
        return OVERRIDDEN
    if ind.judgement is not None or _value(ind.kind) in ("qualitative", "定性"):
        return JUDGED
    return BY_RULE


def _reason(ind) -> str | None:
    if ind.override is not None:
        return ind.override.reason
    if ind.judgement is not None:
        return ind.judgement.basis
    return None


def _rule_score(ind) -> Decimal | None:
    """What the rule would give an overridden indicator (None: no rule applies)."""
    if ind.override is None:
        return None
    from ..content.score import by_rule

    raw, _, findings = by_rule(ind)
    return None if raw is None or findings else half_up(raw)


def department(key: str, report, scores: Scores, warnings: int) -> Department:
    name = report.department.name
    execution = scores.execution
    lines = [Line(name, None, None, execution.name, execution.weight, execution.score, execution.rate, BY_RULE, execution.rule, None, None)]
    for ind, row in zip(report.indicators, scores.indicators):
        lines.append(
            Line(
                name,
                getattr(ind, "level1", None),
                getattr(ind, "level2", None),
                row.name,
                row.weight,
                row.score,
                row.rate,
                how(ind),
                row.rule,
                _reason(ind),
                _rule_score(ind),
            )
        )
    return Department(
        key=key,
        name=name,
        short_name=report.department.short_name,
        supervisor=getattr(report.department, "supervisor", None),
        budget=report.budget.adjusted,
        executed=report.budget.executed,
        execution_rate=scores.execution_rate,
        execution_score=execution.score,
        total=half_up(scores.total),
        grade=scores.grade,
        lines=tuple(lines),
        warnings=warnings,
        date=build.report_date(report),
    )


REGION_ENDS = "区县市旗州盟"


def region(names: list[str]) -> str:
    """The district the departments share, from their names: 重庆市璧山区… → 重庆市璧山区; "" if none."""
    prefix = os.path.commonprefix(names)
    cut = max(prefix.rfind(ch) for ch in REGION_ENDS)
    return prefix[: cut + 1] if cut >= 0 else ""


def district(year: int, departments: list[Department], area: str | None = None) -> District:
    """``area``: the name the summary goes under (重庆市璧山区); by default the names' common 区/县."""
    ordered = sorted(departments, key=lambda d: (-d.total, d.key))
    return District(year, region([d.name for d in ordered]) if area is None else area, tuple(ordered))


def rank(departments: tuple[Department, ...]) -> list[int]:
    """Competition ranking by total: equal totals share a place (1, 2, 2, 4)."""
    out: list[int] = []
    for i, d in enumerate(departments):
        out.append(out[-1] if i and d.total == departments[i - 1].total else i + 1)
    return out


def lowest_text(d: Department) -> str:
    """得分最低的指标 as printed: 预算执行率（42.42%）；… — or 均得满分."""
    lowest = d.lowest
    if not lowest:
        return "均得满分"
    return "；".join(f"{line.name}（{num(line.score)}/{num(line.weight)}分，{percent(line.rate)}）" for line in lowest)


# ---------------------------------------------------------------- the command


def gather(files: list[Path], template: Path, progress=None, area: str | None = None):
    """Every department checked in parallel: (District, []) or (None, every located error)."""
    from .. import batch
    from ..problems import Severity

    result = batch.build_all(files, [shown(p) for p in files], template, kinds=("figures",), template_data=b"", progress=progress)
    errors = result.errors
    if errors:
        return None, errors
    departments = []
    for outcome in result.outcomes:
        c = outcome.checked
        warnings = sum(p.severity is Severity.warning for p in c.problems)
        departments.append(department(outcome.path.parent.name, c.report, c.scores, warnings))
    return district(result.outcomes[0].checked.report.year, departments, area), []


def same_names(summary: District) -> list[str]:
    """A warning for each 全称 that two content folders share (a department imported twice, a
    folder copied and not renamed): the summary would list it twice."""
    folders: dict[str, list[str]] = {}
    for d in summary.departments:
        folders.setdefault(d.name, []).append(d.key)
    return [
        f"警告：{len(keys)} 个内容文件夹的部门全称都是“{name}”（{'、'.join(sorted(keys))}），汇总中将出现 {len(keys)} 行：请核对是否重复"
        for name, keys in folders.items()
        if len(keys) > 1
    ]


def printed(files: dict[Path, bytes]) -> dict[str, bytes]:
    """The summary's files as PDFs (PDF_NAMES), in one LibreOffice call with the report's fonts
    and fixes (pdf.to_pdf); raises SetupError when LibreOffice fails."""
    import os
    import tempfile

    from ..errors import SetupError
    from ..output.pdf import SCRATCH_PREFIX, to_pdf

    with tempfile.TemporaryDirectory(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-summary-") as scratch:
        sources = []
        for target, data in files.items():
            source = Path(scratch) / PDF_NAMES[target.name].replace(".pdf", target.suffix)
            source.write_bytes(data)
            sources.append(source)
        done, problems = to_pdf(sources, Path(scratch) / "pdf")
        if problems:
            raise SetupError("\n".join(p.message for p in problems))
        return {pdf.name: pdf.read_bytes() for pdf in done}


def run(args) -> int:
    """make summary YEAR=…: 汇总.xlsx and 汇总.docx of every department of the year, or nothing;
    with ``--pdf`` also 汇总.pdf and 汇总表.pdf."""
    from .. import batch
    from ..output.savefile import write_all
    from .summary_chart import ChartError, chart_png
    from .summary_doc import document
    from .summary_sheet import workbook

    from ..paths import content_files

    files = content_files(Path(args.content), args.year)
    if not files:
        print(f"没有找到 {args.year} 年度的内容文件（{args.content}/<部门>/{args.year}.yaml）。", file=sys.stderr)
        return EXIT_USAGE
    template = Path(args.template)
    if not template.is_file():
        print(f"{args.template}: 找不到模板文件", file=sys.stderr)
        return EXIT_USAGE
    from ..content import district as settings_file

    settings, errors = settings_file.read(Path(args.content))  # content/district.yaml, optional
    if errors:
        for p in errors:
            print(p, file=sys.stderr)
        print("content/district.yaml 有错误，未生成汇总（原有汇总文件保持不变）。", file=sys.stderr)
        return EXIT_CONTENT
    area = getattr(args, "region", None) or (settings.region if settings else None)
    with batch.TerminalProgress(sys.stderr) as progress:
        summary, errors = gather(files, template, progress, area)
    if errors:
        for p in errors:
            print(p, file=sys.stderr)
        print("有错误，未生成汇总（原有汇总文件保持不变）。", file=sys.stderr)
        return EXIT_CONTENT
    try:
        picture = chart_png(summary)
    except ChartError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_USAGE
    sheet = workbook(summary)
    # 落款: the bureau and date of content/district.yaml; without it the region and the latest
    # date of the departments' content (never a name nobody typed).
    signature = (settings.bureau, settings.date or summary.date) if settings else None
    doc, problems = document(summary, picture, template, signature=signature)
    if doc is None:
        for p in problems:
            print(p, file=sys.stderr)
        print("模板有错误，未生成汇总（原有汇总文件保持不变）。", file=sys.stderr)
        return EXIT_CONTENT
    for line in same_names(summary):
        print(line, file=sys.stderr)
    out = Path(args.out) / str(args.year)
    targets = {out / XLSX_NAME: sheet, out / DOCX_NAME: doc}
    if getattr(args, "pdf", False):  # the workbook as Calc prints it, its lines broken (summary_sheet)
        to_print = {out / XLSX_NAME: workbook(summary, printing=True), out / DOCX_NAME: doc}
        targets.update({out / name: data for name, data in printed(to_print).items()})
    write_all(targets)  # all or none
    for target in targets:
        print(f"已生成 {shown(target)}")
    g = summary.grades
    print(
        f"{len(summary.departments)} 个部门：" + "，".join(f"{k} {g[k]} 个" for k in GRADE_NAMES)
        + f"；预算执行率（按金额加权）{percent(summary.execution_rate)}。"
    )
    return EXIT_OK
