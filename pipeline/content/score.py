"""Scoring: pure functions from the validated model to every figure the report derives.

Rules (README, 计分规则): Decimal throughout, 四舍五入 (ROUND_HALF_UP); each score
rounded to two decimals and the total is the sum of the rounded scores; 得分率 (the coefficient)
= unrounded score ÷ weight; the grade is read from the printed total. No I/O, no formatting,
no findings: what scoring needs of the content is checked beforehand by ``rules.py`` (called by
validation), so these functions are only given content that can be scored.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .rounding import half_up
from .model import Achievement, Budget, BudgetPart, Direction, FormContent, FormIndicator, Kind

ZERO, ONE = Decimal(0), Decimal(1)

# 定性指标的系数区间（含端点）：达成 80–100 %，部分达成 60–80 %，未达成 0–60 %。
BANDS = {
    Achievement.achieved: (Decimal("0.8"), ONE),
    Achievement.partly: (Decimal("0.6"), Decimal("0.8")),
    Achievement.not_achieved: (ZERO, Decimal("0.6")),
}
BAND_NAMES = {Achievement.achieved: "达成", Achievement.partly: "部分达成", Achievement.not_achieved: "未达成"}

# Lower edges included: a total printed as 90.00 is 优.
GRADES = ((Decimal(90), "优"), (Decimal(80), "良"), (Decimal(60), "中"), (ZERO, "差"))


def grade(total: Decimal) -> str:
    printed = half_up(total)
    for edge, name in GRADES:
        if printed >= edge:
            return name
    return GRADES[-1][1]


@dataclass(frozen=True)
class Scored:
    """One line of Table 1."""

    name: str
    weight: Decimal
    raw: Decimal  # before rounding
    rule: str  # how it was scored, for reviewers
    method: str = "rule"  # rule | judgement | override | qualitative: how the report words the score
    by_rule: Decimal | None = None  # for an override: what the rule would have given (None: no rule)

    @property
    def score(self) -> Decimal:
        return half_up(self.raw)

    @property
    def rate(self) -> Decimal:
        """得分率 = score ÷ weight, from the unrounded score (the seed: 4.2423 ÷ 10 → 42.42 %)."""
        return self.raw / self.weight

    @property
    def full(self) -> bool:
        return self.raw >= self.weight


@dataclass(frozen=True)
class Scores:
    execution_rate: Decimal
    execution: Scored | None  # None: the form has no execution-rate item (weight 0 or absent)
    indicators: tuple[Scored, ...]
    santong_total: Decimal | None
    santong_change: Decimal | None  # total − budget: negative = 减少
    parts: tuple[Scored, ...] = ()  # budget parts scored on their own (a weight given), in order

    @property
    def rows(self) -> tuple[Scored, ...]:
        """Table 1: the execution rate (when scored), the scored budget parts, the indicators."""
        return ((self.execution,) if self.execution is not None else ()) + self.parts + self.indicators

    @property
    def total(self) -> Decimal:
        return sum((row.score for row in self.rows), ZERO)

    @property
    def grade(self) -> str:
        return grade(self.total)


    @property
    def over_executed(self) -> bool:
        """Executed more than the (adjusted) budget: the rate is printed as computed, the score capped."""
        return self.execution_rate > ONE


def clamp(raw: Decimal, weight: Decimal) -> Decimal:
    return min(max(raw, ZERO), weight)


def execution_base(budget: Budget | BudgetPart) -> Decimal:
    """What the execution rate divides by: the adjusted budget when typed, else the initial one."""
    return budget.adjusted if budget.adjusted is not None else budget.initial


def part_rate(part: BudgetPart) -> Decimal | None:
    base = execution_base(part)
    return part.executed / base if base else None


def target_of(ind: FormIndicator) -> Decimal | None:
    """The target the rule compares with: the adjusted one when typed, else the initial one."""
    return ind.target_adjusted if ind.target_adjusted is not None else ind.target_initial


def by_rule(ind: FormIndicator) -> tuple[Decimal | None, str]:
    """The score the indicator's rule gives and the rule's name; None when no rule gives one (a
    "=" target missed: the evaluators' override decides). For an indicator ``rules`` passed."""
    w = ind.weight
    target = target_of(ind)
    if ind.kind is Kind.qualitative:
        q = ind.qualitative
        return w * q.coefficient, f"定性（{BAND_NAMES[q.achievement]}）"
    if ind.judgement is not None:
        return w * ind.judgement.coefficient, "评价组评定"
    actual = ind.actual
    if ind.direction is Direction.at_least:
        if actual >= target:
            return w, "越高越好（达标）"
        if target <= 0:
            return ZERO, "越高越好（未达标，指标值不大于 0，不按比例）"
        return clamp(w * actual / target, w), "越高越好（完成值÷指标值）"
    if ind.direction is Direction.at_most:
        if actual <= target:
            return w, "越低越好（达标）"
        if target <= 0:
            return ZERO, "越低越好（未达标，指标值为 0，全有或全无）"
        return clamp(w * target / actual, w), "越低越好（指标值÷完成值）"
    if actual == target:
        return w, "等于指标值（达标）"
    return None, "等于指标值（未达标，评价组评定）"


def score_indicator(ind: FormIndicator) -> Scored:
    """One line of Table 1: the rule's score, or the override's with what the rule gives."""
    raw, rule = by_rule(ind)
    if ind.override is not None:
        return Scored(ind.name, ind.weight, ind.override.score, "人工评定", "override", half_up(raw) if raw is not None else None)
    method = "judgement" if ind.judgement is not None else ("qualitative" if ind.kind is Kind.qualitative else "rule")
    return Scored(ind.name, ind.weight, raw, rule, method)


def execution_rule(budget: Budget) -> str:
    return "执行数÷调整预算数" if budget.adjusted is not None else "执行数÷年初预算数"


def score(report: FormContent) -> Scores:
    """All derived figures of content ``rules.scoring_findings`` found no error in."""
    b = report.budget
    rate = b.executed / execution_base(b)
    rule = execution_rule(b)
    weight = b.execution_weight
    execution = Scored("预算执行率", weight, clamp(weight * rate, weight), rule) if weight else None
    parts = tuple(
        Scored(f"{p.name}执行率", p.weight, clamp(p.weight * part_rate(p), p.weight), rule) for p in b.parts if p.weight
    )
    rows = tuple(score_indicator(ind) for ind in report.indicators)
    santong_total = santong_change = None
    santong = getattr(report, "santong", None)  # a report's part; a form-only file has none
    if santong is not None:
        santong_total = sum((item.amount for item in santong.items), ZERO)
        santong_change = santong_total - santong.budget
    return Scores(rate, execution, rows, santong_total, santong_change, parts)
