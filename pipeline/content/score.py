"""Scoring: pure functions from the validated model to every figure the report derives.

Rules (README, 计分规则): Decimal throughout, 四舍五入 (ROUND_HALF_UP); each score
rounded to two decimals and the total is the sum of the rounded scores; 得分率 (the coefficient)
= unrounded score ÷ weight; the grade is read from the printed total. No I/O, no formatting.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .rounding import half_up
from .model import Achievement, Budget, BudgetPart, Direction, FormContent, FormIndicator, Kind
from ..problems import Finding, Severity

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


def by_rule(ind: FormIndicator) -> tuple[Decimal | None, str, list[Finding]]:
    """The score the indicator's rule gives, the rule's name, and what stops the rule."""
    w = ind.weight
    target = ind.target_adjusted if ind.target_adjusted is not None else ind.target_initial
    if ind.kind is Kind.qualitative:
        q = ind.qualitative
        if q is None:
            return None, "", [Finding(("name",), "定性指标须填写 qualitative（达成情况及得分系数）", at_key=True)]
        low, high = BANDS[q.achievement]
        if not low <= q.coefficient <= high:
            return None, "", [
                Finding(
                    ("qualitative", "coefficient"),
                    f"“{BAND_NAMES[q.achievement]}”的得分系数应在 {low} 至 {high} 之间，现为 {q.coefficient}",
                )
            ]
        return w * q.coefficient, f"定性（{BAND_NAMES[q.achievement]}）", []
    if ind.qualitative is not None:
        return None, "", [Finding(("qualitative",), "定量指标不填 qualitative", at_key=True)]
    if ind.judgement is not None:
        if target is not None:
            return None, "", [
                Finding(("judgement",), "已有指标值，应按规则计分；如需人工调整得分，请改用 override 并写明理由", at_key=True)
            ]
        return w * ind.judgement.coefficient, "评价组评定", []
    if target is None:
        return None, "", [
            Finding(("name",), "缺少指标值（target_initial）及方向（direction），或评价组评定（judgement），无法计分", at_key=True)
        ]
    missing = [k for k, v in (("direction", ind.direction), ("actual", ind.actual)) if v is None]
    if missing:
        return None, "", [Finding(("name",), f"按指标值计分还须填写：{'、'.join(missing)}", at_key=True)]
    actual = ind.actual
    if ind.direction is Direction.at_least:
        if actual >= target:
            return w, "越高越好（达标）", []
        if target <= 0:
            return ZERO, "越高越好（未达标，指标值不大于 0，不按比例）", []
        return clamp(w * actual / target, w), "越高越好（完成值÷指标值）", []
    if ind.direction is Direction.at_most:
        if actual <= target:
            return w, "越低越好（达标）", []
        if target <= 0:
            return ZERO, "越低越好（未达标，指标值为 0，全有或全无）", []
        return clamp(w * target / actual, w), "越低越好（指标值÷完成值）", []
    if actual == target:
        return w, "等于指标值（达标）", []
    if ind.override is None:
        return None, "", [
            Finding(("actual",), f"方向为“=”且完成值 {actual} 不等于指标值 {target}：得分由评价组评定，请填写 override（得分及理由）")
        ]
    return None, "等于指标值（未达标，评价组评定）", []


def score_indicator(ind: FormIndicator) -> tuple[Scored | None, list[Finding]]:
    raw, rule, findings = by_rule(ind)
    if findings:
        return None, findings
    if ind.override is not None:
        o = ind.override
        if o.score > ind.weight:
            return None, [Finding(("override", "score"), f"人工评定得分 {o.score} 超过权重 {ind.weight}")]
        if raw is None or half_up(o.score) != half_up(raw):
            by = f"规则计分为 {half_up(raw)}" if raw is not None else "无规则计分"
            findings.append(
                Finding(("override", "score"), f"指标“{ind.name}”人工评定得分 {o.score}（{by}），理由：{o.reason}", Severity.warning)
            )
        return Scored(ind.name, ind.weight, o.score, "人工评定", "override", half_up(raw) if raw is not None else None), findings
    if ind.judgement is not None:
        findings.append(
            Finding(
                ("judgement",),
                f"指标“{ind.name}”无指标值，按评价组评定计分（系数 {ind.judgement.coefficient}，依据：{ind.judgement.basis}）",
                Severity.warning,
                at_key=True,
            )
        )
    method = "judgement" if ind.judgement is not None else ("qualitative" if ind.kind is Kind.qualitative else "rule")
    return Scored(ind.name, ind.weight, raw, rule, method), findings


def score(report: FormContent) -> tuple[Scores | None, list[Finding]]:
    """All derived figures, or None with the findings that prevent them."""
    findings: list[Finding] = []
    b = report.budget
    base = execution_base(b)
    if not base:
        findings.append(Finding(("budget", "initial"), "年初预算数为 0 且未填写全年（调整）预算数 adjusted，无法计算预算执行率"))
        return None, findings
    rate = b.executed / base
    rule = "执行数÷调整预算数" if b.adjusted is not None else "执行数÷年初预算数"
    weight = b.execution_weight
    execution = Scored("预算执行率", weight, clamp(weight * rate, weight), rule) if weight else None
    parts: list[Scored] = []
    for i, p in enumerate(b.parts):
        if not p.weight:
            continue
        part = part_rate(p)
        if part is None:
            findings.append(Finding(("budget", "parts", i, "initial"), f"“{p.name}”单独计分，但其预算数为 0，无法计算执行率"))
            continue
        parts.append(Scored(f"{p.name}执行率", p.weight, clamp(p.weight * part, p.weight), rule))
    if rate != ONE and b.deviation is None:
        which = "超过" if rate > ONE else "未达"
        findings.append(
            Finding(("budget", "executed"), f"预算执行率为 {half_up(rate * 100)}%，{which} 100%，须在 budget.deviation.reason 中写明偏差原因")
        )
    if rate == ONE and b.deviation is not None:
        findings.append(
            Finding(("budget", "deviation"), "预算执行率恰为 100%，没有偏差：budget.deviation 不会印出，可删除", Severity.warning, at_key=True)
        )

    rows: list[Scored] = []
    for i, ind in enumerate(report.indicators):
        scored, found = score_indicator(ind)
        findings += [Finding(("indicators", i) + f.loc, f.message, f.severity, f.at_key) for f in found]
        if scored is None:
            continue
        rows.append(scored)
        if not scored.full and ind.deviation is None:
            findings.append(
                Finding(("indicators", i, "name"), f"指标“{ind.name}”未得满分，须填写 deviation.reason（偏差原因）", at_key=True)
            )

    santong_total = santong_change = None
    santong = getattr(report, "santong", None)  # a report's part; a form-only file has none
    if santong is not None:
        santong_total = sum((item.amount for item in santong.items), ZERO)
        santong_change = santong_total - santong.budget
        if santong_change != 0 and not santong.change_reason:
            findings.append(Finding(("santong", "budget"), "“三公”经费支出与年初预算不同，须填写 change_reason（主要原因）"))

    if any(f.severity is Severity.error for f in findings):
        return None, findings
    return Scores(rate, execution, tuple(rows), santong_total, santong_change, tuple(parts)), findings
