"""The summary's figures: its data types (``Line``, ``Department``, ``District``) and how they are
derived from each department's model and scores — the recipe's own values (``build.check`` →
model, ``score.Scores``), so the summary cannot differ from the reports and forms. The writers
(sheet, doc, chart) import this module; it imports none of them.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from decimal import Decimal

from ... import build
from ...content.rounding import half_up
from ...content.score import GRADES, ZERO, Scores, execution_base
from ...content.wording import num, percent
from ..audit.findings import SEVERITY_ORDER, counts_text


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
    budget: Decimal  # what the execution rate divides by: 全年（调整）预算数, or 年初预算数 when no adjusted one is typed
    executed: Decimal
    execution_rate: Decimal
    execution_score: Decimal | None  # None: the department's form has no execution-rate item
    total: Decimal
    grade: str
    lines: tuple[Line, ...]  # 预算执行率 first, then the indicators in report order
    warnings: int
    date: dt.date
    adjusted_known: bool = True  # False: no adjusted budget typed, ``budget`` is the initial one
    audit: tuple[int, ...] = ()  # the audit's findings by severity (audit.findings.SEVERITY_ORDER)

    @property
    def audit_text(self) -> str:
        """需说明 1，建议 10，提示 9 — or 无."""
        return counts_text(self.audit)

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
    def mean_execution_score(self) -> Decimal | None:
        """The mean over the departments whose form scores the execution rate (None: none does)."""
        scored = [d.execution_score for d in self.departments if d.execution_score is not None]
        return half_up(sum(scored, ZERO) / len(scored)) if scored else None

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
    from ...content.score import by_rule

    raw, _ = by_rule(ind)
    return None if raw is None else half_up(raw)


def audit_counts(report, scores: Scores, previous=None) -> tuple[int, ...]:
    """How many findings the audit's rules give the department, by severity."""
    from ..audit.rules import Facts, run_rules

    hits = run_rules(Facts(report, scores, previous))
    return tuple(sum(h.rule.severity is s for h in hits) for s in SEVERITY_ORDER)


def department(key: str, report, scores: Scores, warnings: int, audit: tuple[int, ...] = ()) -> Department:
    name = report.department.name
    execution = scores.execution
    lines = [
        Line(name, None, None, row.name, row.weight, row.score, row.rate, BY_RULE, row.rule, None, None)
        for row in ((execution,) if execution is not None else ()) + scores.parts
    ]
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
        short_name=report.department.short_name or name,
        supervisor=getattr(report.department, "supervisor", None),
        budget=execution_base(report.budget),
        executed=report.budget.executed,
        execution_rate=scores.execution_rate,
        execution_score=execution.score if execution is not None else None,
        total=half_up(scores.total),
        grade=scores.grade,
        lines=tuple(lines),
        warnings=warnings,
        date=build.stamp_date(report),
        adjusted_known=report.budget.adjusted is not None,
        audit=audit,
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
