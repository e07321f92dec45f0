"""Scoring's checks: what the content must give for every figure to be computed, and what a
computed figure requires next to it (a shortfall's reason, a hand-set score's warning), as
findings on content paths. Validation calls ``scoring_findings`` once, with every other rule;
``score.py`` then computes from content these found no error in, and never fails.
"""

from __future__ import annotations

from .model import Direction, FormContent, FormIndicator, Kind
from .rounding import half_up
from .score import BAND_NAMES, BANDS, ONE, ZERO, by_rule, execution_base, part_rate, score_indicator, target_of
from ..problems import Finding, Severity


def rule_problem(ind: FormIndicator) -> Finding | None:
    """What stops the indicator's rule from giving a score (None: nothing)."""
    target = target_of(ind)
    if ind.kind is Kind.qualitative:
        q = ind.qualitative
        if q is None:
            return Finding(("name",), "定性指标须填写 qualitative（达成情况及得分系数）", at_key=True)
        low, high = BANDS[q.achievement]
        if not low <= q.coefficient <= high:
            return Finding(
                ("qualitative", "coefficient"),
                f"“{BAND_NAMES[q.achievement]}”的得分系数应在 {low} 至 {high} 之间，现为 {q.coefficient}",
            )
        return None
    if ind.qualitative is not None:
        return Finding(("qualitative",), "定量指标不填 qualitative", at_key=True)
    if ind.judgement is not None:
        if target is not None:
            return Finding(("judgement",), "已有指标值，应按规则计分；如需人工调整得分，请改用 override 并写明理由", at_key=True)
        return None
    if target is None:
        return Finding(("name",), "缺少指标值（target_initial）及方向（direction），或评价组评定（judgement），无法计分", at_key=True)
    missing = [k for k, v in (("direction", ind.direction), ("actual", ind.actual)) if v is None]
    if missing:
        return Finding(("name",), f"按指标值计分还须填写：{'、'.join(missing)}", at_key=True)
    if ind.direction is Direction.equal and ind.actual != target and ind.override is None:
        return Finding(("actual",), f"方向为“=”且完成值 {ind.actual} 不等于指标值 {target}：得分由评价组评定，请填写 override（得分及理由）")
    return None


def indicator_findings(ind: FormIndicator) -> list[Finding]:
    """One indicator's scoring findings, on paths inside the indicator: an error where it cannot be
    scored, a warning where its score was set by hand or by the evaluators' judgement."""
    problem = rule_problem(ind)
    if problem is not None:
        return [problem]
    if ind.override is not None:
        o = ind.override
        if o.score > ind.weight:
            return [Finding(("override", "score"), f"人工评定得分 {o.score} 超过权重 {ind.weight}")]
        raw, _ = by_rule(ind)
        if raw is None or half_up(o.score) != half_up(raw):
            by = f"规则计分为 {half_up(raw)}" if raw is not None else "无规则计分"
            return [Finding(("override", "score"), f"指标“{ind.name}”人工评定得分 {o.score}（{by}），理由：{o.reason}", Severity.warning)]
        return []
    if ind.judgement is not None:
        return [
            Finding(
                ("judgement",),
                f"指标“{ind.name}”无指标值，按评价组评定计分（系数 {ind.judgement.coefficient}，依据：{ind.judgement.basis}）",
                Severity.warning,
                at_key=True,
            )
        ]
    return []


def scoring_findings(report: FormContent) -> list[Finding]:
    """Every finding of scoring's checks: when none is an error, ``score.score`` cannot fail."""
    findings: list[Finding] = []
    b = report.budget
    base = execution_base(b)
    if not base:
        return [Finding(("budget", "initial"), "年初预算数为 0 且未填写全年（调整）预算数 adjusted，无法计算预算执行率")]
    rate = b.executed / base
    for i, p in enumerate(b.parts):
        if p.weight and part_rate(p) is None:
            findings.append(Finding(("budget", "parts", i, "initial"), f"“{p.name}”单独计分，但其预算数为 0，无法计算执行率"))
    if rate != ONE and b.deviation is None:
        which = "超过" if rate > ONE else "未达"
        findings.append(
            Finding(("budget", "executed"), f"预算执行率为 {half_up(rate * 100)}%，{which} 100%，须在 budget.deviation.reason 中写明偏差原因")
        )
    if rate == ONE and b.deviation is not None:
        findings.append(
            Finding(("budget", "deviation"), "预算执行率恰为 100%，没有偏差：budget.deviation 不会印出，可删除", Severity.warning, at_key=True)
        )
    for i, ind in enumerate(report.indicators):
        found = indicator_findings(ind)
        findings += [Finding(("indicators", i) + f.loc, f.message, f.severity, f.at_key) for f in found]
        if any(f.severity is Severity.error for f in found):
            continue
        if not score_indicator(ind).full and ind.deviation is None:
            findings.append(Finding(("indicators", i, "name"), f"指标“{ind.name}”未得满分，须填写 deviation.reason（偏差原因）", at_key=True))
    santong = getattr(report, "santong", None)  # a report's part; a form-only file has none
    if santong is not None:
        change = sum((item.amount for item in santong.items), ZERO) - santong.budget
        if change != 0 and not santong.change_reason:
            findings.append(Finding(("santong", "budget"), "“三公”经费支出与年初预算不同，须填写 change_reason（主要原因）"))
    return findings
