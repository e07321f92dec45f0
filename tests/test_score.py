"""Scoring: the rules of the README (计分规则), exact decimals, 四舍五入."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.build import check
from pipeline.output.compose import num, percent
from pipeline.content.model import Indicator
from pipeline.problems import Severity
from pipeline.content.rules import indicator_findings, scoring_findings
from pipeline.content.score import grade, half_up, score, score_indicator
from pipeline.problems import errors

from .conftest import CONTENT, edit, real_text, where


@pytest.fixture(scope="module")
def real():
    checked = check(CONTENT)
    assert checked.ok, checked.problems
    return checked


# ---------------------------------------------------------------- the reference report


def test_reference_figures_are_computed(real):
    s = real.scores
    assert percent(s.execution_rate) == "42.42%"
    assert num(s.execution.score) == "4.24"
    assert percent(s.execution.rate) == "42.42%"
    assert [num(r.score) for r in s.indicators] == [num(r.weight) for r in s.indicators]
    assert len(s.indicators) == 9
    assert num(s.total) == "94.24"
    assert s.grade == "优"
    assert num(s.santong_total) == "5.98"
    assert num(s.santong_change) == "-7.22"


def test_judged_indicators_are_listed_as_warnings_with_their_line(real):
    text = real_text()
    warnings = [str(p) for p in real.problems if p.severity is Severity.warning and "评价组评定" in p.message]
    assert len(warnings) == 9
    first = f"{CONTENT}:{where(text, 'judgement:')}: 警告：指标“新增科技型企业数量”无指标值，按评价组评定计分"
    assert warnings[0].startswith(first), warnings[0]


# ---------------------------------------------------------------- rules


def ind(**kw) -> Indicator:
    base = dict(name="指标", weight=D(10), unit="个", kind="定量", analysis="分析。")
    base.update(kw)
    return Indicator.model_validate(base)


def checked(indicator: Indicator):
    """As validation then scoring see one indicator: (its Scored, or None when scoring's checks
    found an error, and those checks' findings)."""
    findings = indicator_findings(indicator)
    return (None if errors(findings) else score_indicator(indicator)), findings


def raw(indicator: Indicator) -> D:
    scored, findings = checked(indicator)
    assert scored is not None, findings
    return scored.raw


@pytest.mark.parametrize(
    "direction,target,actual,expected",
    [
        (">=", "100", "120", "10"),  # met: full
        (">=", "100", "100", "10"),
        (">=", "100", "72.74", "7.274"),  # missed: weight × actual ÷ target
        (">=", "0", "-3", "0"),  # target 0 missed: nothing, no division
        ("<=", "5", "4", "10"),  # lower is better, met
        ("<=", "5", "8", "6.25"),  # missed: weight × target ÷ actual
        ("<=", "0", "0", "10"),  # zero target met
        ("<=", "0", "2", "0"),  # zero target missed: all-or-nothing
        ("=", "3", "3", "10"),
    ],
)
def test_quantitative_rules(direction, target, actual, expected):
    assert raw(ind(direction=direction, target_initial=D(target), actual=D(actual))) == D(expected)


def test_adjusted_target_wins_over_initial():
    assert raw(ind(direction=">=", target_initial=D(200), target_adjusted=D(100), actual=D(50))) == D(5)


def test_satisfaction_is_higher_is_better():
    assert raw(ind(unit="%", direction=">=", target_initial=D(95), actual=D(98))) == D(10)
    assert raw(ind(unit="%", direction=">=", target_initial=D(95), actual=D("85.5"))) == D(9)


def test_exact_missed_needs_the_evaluators_score():
    scored, findings = checked(ind(direction="=", target_initial=D(3), actual=D(2)))
    assert scored is None and "override" in findings[0].message
    scored, findings = checked(
        ind(direction="=", target_initial=D(3), actual=D(2), override={"score": D(6), "reason": "按进度评定"})
    )
    assert scored.raw == D(6) and findings[0].severity is Severity.warning


@pytest.mark.parametrize(
    "achievement,coefficient,ok",
    [
        ("达成", "0.8", True),
        ("达成", "1", True),
        ("达成", "0.79", False),
        ("部分达成", "0.6", True),
        ("部分达成", "0.81", False),
        ("未达成", "0.59", True),
        ("未达成", "0.61", False),
    ],
)
def test_qualitative_band(achievement, coefficient, ok):
    scored, findings = checked(
        ind(kind="定性", qualitative={"achievement": achievement, "coefficient": D(coefficient)})
    )
    if ok:
        assert scored.raw == D(10) * D(coefficient)
    else:
        assert scored is None and "之间" in findings[0].message


def test_judgement_when_no_target_is_known():
    scored, findings = checked(ind(actual=D(5), judgement={"coefficient": D("0.9"), "basis": "评价组评定"}))
    assert scored.raw == D(9)
    assert findings[0].severity is Severity.warning and "评价组评定" in findings[0].message


def test_judgement_beside_a_target_is_refused():
    _, findings = checked(
        ind(direction=">=", target_initial=D(1), actual=D(1), judgement={"coefficient": D(1), "basis": "x"})
    )
    assert findings[0].severity is Severity.error


def test_no_way_to_score_is_an_error():
    _, findings = checked(ind(actual=D(5)))
    assert findings[0].severity is Severity.error and "无法计分" in findings[0].message


def test_override_equal_to_rule_is_silent_and_different_is_a_warning():
    base = dict(direction=">=", target_initial=D(100), actual=D(50))
    _, findings = checked(ind(**base, override={"score": D(5), "reason": "同规则"}))
    assert findings == []
    scored, findings = checked(ind(**base, override={"score": D(10), "reason": "评价组认定"}))
    assert scored.raw == D(10) and "规则计分为 5.00" in findings[0].message


def test_override_above_weight_is_refused():
    scored, findings = checked(ind(judgement={"coefficient": D(1), "basis": "x"}, override={"score": D(11), "reason": "x"}))
    assert scored is None and "超过权重" in findings[0].message


def test_below_full_without_deviation_reason_is_a_located_error(write_content):
    text = edit(
        real_text(),
        "    actual: 98\n    judgement:\n      coefficient: 1\n",
        "    actual: 98\n    judgement:\n      coefficient: 0.9\n",
    )
    errors = [str(p) for p in check(write_content(text), "f.yaml").problems if p.severity is Severity.error]
    assert errors == [f"f.yaml:{where(text, 'name: 企业满意度')}: 指标“企业满意度”未得满分，须填写 deviation.reason（偏差原因）"]


def test_execution_below_full_without_reason_is_a_located_error(write_content):
    text = edit(real_text(), "  deviation:\n    reason: 财政资金紧张，支付困难\n", "")
    errors = [str(p) for p in check(write_content(text), "f.yaml").problems if p.severity is Severity.error]
    assert errors == [f"f.yaml:{where(text, '1209.56')}: 预算执行率为 42.42%，未达 100%，须在 budget.deviation.reason 中写明偏差原因"]


def test_execution_score_never_exceeds_its_weight(write_content):
    text = edit(real_text(), "  executed: 1209.56", "  executed: 2900")
    text = edit(text, "  carryover_start: 0", "  carryover_start: 100")
    checked = check(write_content(text))
    assert checked.scores.execution.score == D(10)


# ---------------------------------------------------------------- rounding


@pytest.mark.parametrize("value,expected", [("2.675", "2.68"), ("0.125", "0.13"), ("1.005", "1.01"), ("4.2423", "4.24")])
def test_half_up_where_floats_and_round_differ(value, expected):
    assert half_up(D(value)) == D(expected)
    assert num(D(value)) == expected


def test_rounded_scores_use_half_up():
    # 5 × 53.5 ÷ 100 = 2.675: round() and binary floats give 2.67.
    scored, _ = checked(ind(weight=D(5), direction=">=", target_initial=D(100), actual=D("53.5"), deviation={"reason": "x"}))
    assert scored.raw == D("2.675") and scored.score == D("2.68")
    assert round(2.675, 2) == 2.67  # the trap this avoids


@pytest.mark.parametrize(
    "total,expected",
    [("59.99", "差"), ("60", "中"), ("79.99", "中"), ("80", "良"), ("89.99", "良"), ("90", "优"), ("89.995", "优"), ("100", "优"), ("0", "差")],
)
def test_grade_edges(total, expected):
    assert grade(D(total)) == expected


# ---------------------------------------------------------------- properties

decimals = st.decimals(min_value=D(0), max_value=D(10000), places=2, allow_nan=False, allow_infinity=False)


@st.composite
def indicators(draw):
    kind = draw(st.sampled_from(["higher", "lower", "exact", "qualitative", "judged"]))
    weight = draw(st.decimals(min_value=D("0.01"), max_value=D(30), places=2))
    common = dict(name=draw(st.text(min_size=1, max_size=8)), weight=weight, deviation={"reason": "原因"})
    if kind == "qualitative":
        ach = draw(st.sampled_from(["达成", "部分达成", "未达成"]))
        low, high = {"达成": (D("0.8"), D(1)), "部分达成": (D("0.6"), D("0.8")), "未达成": (D(0), D("0.6"))}[ach]
        coef = draw(st.decimals(min_value=low, max_value=high, places=3))
        return ind(kind="定性", qualitative={"achievement": ach, "coefficient": coef}, **common)
    if kind == "judged":
        return ind(judgement={"coefficient": draw(st.decimals(min_value=D(0), max_value=D(1), places=4)), "basis": "b"}, **common)
    direction = {"higher": ">=", "lower": "<=", "exact": "="}[kind]
    target, actual = draw(decimals), draw(decimals)
    extra = {"override": {"score": draw(st.decimals(min_value=D(0), max_value=weight, places=2)), "reason": "r"}} if kind == "exact" else {}
    return ind(direction=direction, target_initial=target, actual=actual, **common, **extra)


@settings(max_examples=300, deadline=None)
@given(indicators())
def test_no_score_above_its_weight_or_below_zero(indicator):
    scored, findings = checked(indicator)
    assert scored is not None, findings
    assert D(0) <= scored.raw <= indicator.weight
    assert D(0) <= scored.score <= indicator.weight


@settings(max_examples=150, deadline=None)
@given(st.lists(indicators(), min_size=1, max_size=12), st.randoms(use_true_random=False))
def test_total_is_the_sum_of_printed_scores_and_order_does_not_matter(real, items, rnd):
    items = [i.model_copy(update={"name": f"指标{n}"}) for n, i in enumerate(items)]
    report = real.report.model_copy(update={"indicators": items})
    findings = scoring_findings(report)
    assert not errors(findings), findings
    scores = score(report)
    printed = [D(num(r.score)) for r in scores.rows]
    assert scores.total == sum(printed)
    assert D(num(scores.total)) == sum(printed)
    shuffled = list(items)
    rnd.shuffle(shuffled)
    again = score(report.model_copy(update={"indicators": shuffled}))
    assert (again.total, again.grade) == (scores.total, scores.grade)
    assert grade(scores.total) == scores.grade
