"""The audit's rules (make audit), each on the reference, the examples and written variants:
every rule fires where it should and stays silent elsewhere (one positive and one negative case
at least per rule), on models built by the real recipe (build.check), never hand-made.
"""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from pipeline import build
from pipeline.commands.audit import rules as R
from pipeline.commands.audit.findings import Severity
from pipeline.commands.audit.rules import RULES, Facts, run_rules

from .conftest import CONTENT, ROOT

EXAMPLES = ROOT / "examples"


def _yaml() -> YAML:
    yaml = YAML()
    yaml.width = 4096
    return yaml


def load(path: Path = CONTENT):
    return _yaml().load(path.read_text(encoding="utf-8"))


def dump(data) -> str:
    yaml = _yaml()
    yaml.representer.add_representer(  # a figure set here is written as typed: 72.74, 15
        Decimal, lambda r, v: r.represent_scalar("tag:yaml.org,2002:" + ("int" if v == v.to_integral_value() else "float"), format(v, "f"))
    )
    buf = io.StringIO()
    yaml.dump(data, buf)
    return buf.getvalue()


@pytest.fixture
def facts(tmp_path):
    """(this year's data, last year's data or None) → Facts from the recipe's own check."""

    def make(data, previous=None, dept: str = "d") -> Facts:
        folder = tmp_path / dept
        folder.mkdir(exist_ok=True)
        year = int(data["year"])
        checked_before = None
        if previous is not None:
            before = folder / f"{year - 1}.yaml"
            before.write_text(dump(previous), encoding="utf-8")
            checked_before = build.check(before)
            assert checked_before.ok, [str(p) for p in checked_before.problems]
        path = folder / f"{year}.yaml"
        path.write_text(dump(data), encoding="utf-8")
        checked = build.check(path)
        assert checked.ok, [str(p) for p in checked.problems if p.severity.value == "错误"]
        return Facts(checked.report, checked.scores, checked_before.report if checked_before else None)

    return make


def fired(fn, facts: Facts) -> list:
    hits = fn(facts)
    assert all(h.rule is fn.rule for h in hits)
    return hits


def as_judged(ind, coefficient="1"):
    """An indicator without figures, its coefficient set by the evaluators."""
    for key in ("target_initial", "target_adjusted", "direction", "override", "qualitative"):
        ind.pop(key, None)
    ind["judgement"] = {"coefficient": Decimal(coefficient), "basis": "评价标准"}


def by_rule(ind, target, actual, direction=">="):
    ind.pop("judgement", None)
    ind["direction"], ind["target_initial"], ind["actual"] = direction, Decimal(str(target)), Decimal(str(actual))


def last_year(data):
    """The same department's previous year: the reference moved back a year."""
    before = load()
    before["year"] = data["year"] - 1
    return before


# ---------------------------------------------------------------- 1. scores that do not fit the facts


def test_1_1_every_indicator_full_while_less_than_80_percent_was_executed(facts):
    hits = fired(R.full_marks_low_execution, facts(load()))  # the reference: 42.42 %, every indicator full
    assert len(hits) == 1 and "42.42%" in hits[0].message and ("满分指标", "9/9") in hits[0].figures

    executed = load()
    executed["budget"]["executed"] = Decimal("2400")  # 84.18 %
    assert fired(R.full_marks_low_execution, facts(executed)) == []

    one_lost = load()
    one_lost["indicators"][0]["judgement"]["coefficient"] = Decimal("0.9")
    one_lost["indicators"][0]["deviation"] = {"reason": "部分企业未完成认定"}
    assert fired(R.full_marks_low_execution, facts(one_lost)) == []


def _procurement(data, **figures):
    ind = data["indicators"][0]
    ind["name"], ind["unit"] = "政府采购执行率", "%"
    ind["analysis"] = "全年政府采购执行率{actual}%。"
    ind.update(figures)
    return data


def test_1_2_a_procurement_rate_scored_above_what_its_figures_give(facts):
    # A real 2021 form: 72.74 % against 100 % shown as full marks (the rule gives 10.91 of 15).
    data = _procurement(load())
    by_rule(data["indicators"][0], 100, "72.74")
    data["indicators"][0]["override"] = {"score": Decimal(15), "reason": "采购计划已全部下达"}
    hits = fired(R.score_above_figures, facts(data))
    assert len(hits) == 1 and "政府采购执行率" in hits[0].message
    assert ("按数字应得", "10.91") in hits[0].figures

    # Scored by its rule: nothing to say.
    plain = _procurement(load())
    by_rule(plain["indicators"][0], 100, "72.74")
    plain["indicators"][0]["deviation"] = {"reason": "部分采购项目延至次年"}
    assert fired(R.score_above_figures, facts(plain)) == []


def test_1_2_a_judged_rate_and_a_budget_indicator_are_held_to_their_figures(facts):
    data = _procurement(load(), actual=Decimal("72.74"))  # no target: judged full, yet 72.74 %
    hits = fired(R.score_above_figures, facts(data))
    assert [("按数字应得", "10.91")] == [f for f in hits[0].figures if f[0] == "按数字应得"]

    budget = load()  # an indicator about the budget itself, judged full while 42.42 % was executed
    budget["indicators"][0]["name"] = "预算完成率"
    budget["indicators"][0].pop("actual")
    budget["indicators"][0]["unit"] = "%"
    budget["indicators"][0]["analysis"] = "预算完成情况良好。"
    hits = fired(R.score_above_figures, facts(budget))
    assert len(hits) == 1 and "部门预算执行率42.42%" in hits[0].message and ("按数字应得", "6.36") in hits[0].figures

    change = _procurement(load(), actual=Decimal("-5"))  # a change rate in %: 100 % is no ceiling
    change["indicators"][0]["name"] = "“三公”经费支出变动率"
    assert fired(R.score_above_figures, facts(change)) == []

    satisfaction = load()  # 企业满意度 98 % judged full: not about money, not this rule
    assert [ind["name"] for ind in satisfaction["indicators"]][-1] == "企业满意度"
    assert fired(R.score_above_figures, facts(satisfaction)) == []


def test_1_3_every_qualitative_rating_at_full(facts):
    media = load(EXAMPLES / "media-centre" / "2022.yaml")
    assert fired(R.qualitative_all_full, facts(media)) == []  # two of its 定性 rows are below 1
    for ind in media["indicators"]:
        if ind.get("qualitative"):
            ind["qualitative"]["coefficient"] = Decimal(1)
    hits = fired(R.qualitative_all_full, facts(media))
    assert len(hits) == 1 and hits[0].loc[0] == "indicators"


# ---------------------------------------------------------------- 2. scores set by people


def test_2_1_an_override_is_listed_with_its_reason_and_the_rule_score(facts):
    assert fired(R.overrides, facts(load())) == []
    data = load()
    by_rule(data["indicators"][0], 150, 171)
    data["indicators"][0]["override"] = {"score": Decimal(12), "reason": "部分企业资料不全"}
    data["indicators"][0]["deviation"] = {"reason": "部分企业资料不全"}
    hits = fired(R.overrides, facts(data))
    assert len(hits) == 1 and "部分企业资料不全" in hits[0].message
    assert ("规则得分", "15") in hits[0].figures and ("人工得分", "12") in hits[0].figures


def test_2_2_each_judgement_is_listed_with_its_basis(facts):
    hits = fired(R.judgements, facts(load()))
    assert len(hits) == 9 and all("依据：评价标准" in h.message for h in hits)
    assert fired(R.judgements, facts(load(EXAMPLES / "commerce" / "2022.yaml"))) == []


def test_2_3_more_than_a_third_of_the_weight_judged(facts):
    hits = fired(R.judged_weight, facts(load()))
    assert len(hits) == 1 and ("评定权重", "90") in hits[0].figures and ("占比", "90%") in hits[0].figures
    assert fired(R.judged_weight, facts(load(EXAMPLES / "commerce" / "2022.yaml"))) == []

    some = load()  # weights 15 15 10 10 | 10 10 10 5 5: the first four by their rule
    for ind in some["indicators"][:4]:
        by_rule(ind, ind["actual"], ind["actual"])
    assert fired(R.judged_weight, facts(some))[0].figures[0] == ("评定权重", "40")  # 40 of 100
    by_rule(some["indicators"][4], some["indicators"][4]["actual"], some["indicators"][4]["actual"])
    assert fired(R.judged_weight, facts(some)) == []  # 30 of 100: not more than a third


# ---------------------------------------------------------------- 3. targets


def test_3_1_an_indicator_without_a_target(facts):
    hits = fired(R.no_target, facts(load()))
    assert len(hits) == 9 and all(h.loc[:1] == ("indicators",) for h in hits)
    assert fired(R.no_target, facts(load(EXAMPLES / "commerce" / "2022.yaml"))) == []


def test_3_2_a_target_below_last_years_actual(facts):
    before = last_year(load())  # 2021: 171 new companies
    data = load()
    data["year"] = 2022
    by_rule(data["indicators"][0], 150, 171)  # 2022's target 150 < 171
    hits = fired(R.target_below_last_actual, facts(data, before))
    assert len(hits) == 1 and "150" in hits[0].message and ("上年完成值", "171") in hits[0].figures
    assert hits[0].loc == ("indicators", 0, "target_initial")

    assert fired(R.target_below_last_actual, facts(data)) == []  # no previous year: nothing compared
    by_rule(data["indicators"][0], 180, 190)
    assert fired(R.target_below_last_actual, facts(data, before)) == []


def test_3_2_lower_is_better_targets_above_last_years_actual(facts):
    before = last_year(load())
    by_rule(before["indicators"][2], 2, 1, "<=")
    data = load()
    by_rule(data["indicators"][2], 3, 1, "<=")
    assert len(fired(R.target_below_last_actual, facts(data, before))) == 1
    by_rule(data["indicators"][2], 1, 1, "<=")
    assert fired(R.target_below_last_actual, facts(data, before)) == []


def test_3_3_targets_equal_to_actuals_on_every_row(facts):
    data = load()
    by_rule(data["indicators"][0], 171, 171)
    by_rule(data["indicators"][1], 59, 59)
    hits = fired(R.target_equals_actual, facts(data))
    assert len(hits) == 1 and ("相等的指标", "2/2") in hits[0].figures
    by_rule(data["indicators"][1], 50, 59)
    assert fired(R.target_equals_actual, facts(data)) == []


def test_3_4_one_indicator_over_30(facts):
    assert fired(R.weight_concentrated, facts(load())) == []
    data = load()
    for i, weight in ((0, 35), (1, 5), (2, 5), (6, 5)):  # 35 + 5 + 5 + 10 + 10 + 10 + 5 + 5 + 5 = 90
        data["indicators"][i]["weight"] = Decimal(weight)
    hits = fired(R.weight_concentrated, facts(data))
    assert len(hits) == 1 and hits[0].loc == ("indicators", 0, "weight")


def test_3_5_every_weight_equal(facts):
    assert fired(R.weights_equal, facts(load())) == []
    data = load()
    for ind in data["indicators"]:
        ind["weight"] = Decimal(10)
    hits = fired(R.weights_equal, facts(data))
    assert len(hits) == 1 and ("权重", "10") in hits[0].figures


# ---------------------------------------------------------------- 4. text


@pytest.mark.parametrize("said", ["无", "暂无。", "/", "无。", "N/A"])
def test_4_1_a_reason_or_measure_empty_in_meaning(facts, said):
    data = load()
    data["budget"]["deviation"]["reason"] = said
    hits = fired(R.empty_text, facts(data))
    assert len(hits) == 1 and hits[0].loc == ("budget", "deviation", "reason")


def test_4_1_real_reasons_and_measures_are_not_empty(facts):
    assert fired(R.empty_text, facts(load())) == []
    town = load(EXAMPLES / "qingshan-town" / "2022.yaml")  # a reason and a measure, both real
    assert fired(R.empty_text, facts(town)) == []
    town["budget"]["deviation"]["measure"] = "暂无"
    assert [h.loc for h in fired(R.empty_text, facts(town))] == [("budget", "deviation", "measure")]


def test_4_2_a_sentence_copied_from_last_years_file(facts):
    before = last_year(load())
    before["indicators"][0]["actual"] = Decimal(150)  # the analysis prints its own year's figure
    data = load()
    hits = fired(R.copied_text, facts(data, before))
    copied = {h.loc for h in hits}
    assert ("experience", 0) in copied and ("suggestions", 1) in copied
    assert ("indicators", 0, "analysis") not in copied  # …新增科技型企业171家 is not …150家
    assert ("indicators", 1, "analysis") in copied  # 59 both years: the same printed sentence
    assert fired(R.copied_text, facts(data)) == []  # no previous year

    rewritten = last_year(load())
    for key in ("experience", "problems", "suggestions"):
        rewritten[key] = [f"二〇二一年度的{key}第{i}条，写的是当年自己的情况。" for i in range(len(rewritten[key]))]
    for i, ind in enumerate(rewritten["indicators"]):
        ind["analysis"] = f"二〇二一年度第{i}项指标的分析，完成{{actual}}。"
    assert [h.message for h in fired(R.copied_text, facts(data, rewritten))] == []


def test_4_3_a_problem_without_a_matching_suggestion(facts):
    assert fired(R.problem_without_suggestion, facts(load())) == []  # each problem has its suggestion
    data = load()
    data["problems"].append("政府采购合同备案不及时。")
    hits = fired(R.problem_without_suggestion, facts(data))
    assert [h.loc for h in hits] == [("problems", 2)]
    data["suggestions"] = []
    assert len(fired(R.problem_without_suggestion, facts(data))) == 3


# ---------------------------------------------------------------- 5. money


def test_5_1_over_execution_without_a_reason_that_explains_it(facts):
    town = load(EXAMPLES / "qingshan-town" / "2022.yaml")  # 108.20 %: 年中追加…
    assert fired(R.over_execution, facts(town)) == []
    town["budget"]["deviation"]["reason"] = "按计划执行"
    hits = fired(R.over_execution, facts(town))
    assert len(hits) == 1 and "108.20%" in hits[0].message
    assert fired(R.over_execution, facts(load())) == []  # under-executed: another question


def _santong(data, *amounts):
    for item, amount in zip(data["santong"]["items"], amounts):
        item["amount"] = Decimal(amount)
    return data


def test_5_2_santong_up_on_last_year_without_a_reason(facts):
    before = _santong(last_year(load()), "3", "1")  # 2021: 4.00; 2022: 5.98
    hits = fired(R.santong_up, facts(load(), before))  # 2022's reason speaks of a decrease only
    assert len(hits) == 1 and ("增加", "1.98") in hits[0].figures

    said = load()
    said["santong"]["change_reason"] = "公务用车运行维护费增加"
    assert fired(R.santong_up, facts(said, before)) == []
    assert fired(R.santong_up, facts(load(), _santong(last_year(load()), "6", "2"))) == []  # down on 8.00


def test_5_2_a_previous_year_without_santong_is_unknown_not_zero(facts):
    before = last_year(load())
    before.pop("santong")
    assert fired(R.santong_up, facts(load(), before)) == []


def test_5_3_the_reason_does_not_name_the_part_that_made_the_deviation(facts):
    town = load(EXAMPLES / "qingshan-town" / "2022.yaml")  # 基本支出 +71.14 of +96.17; reason: 项目经费
    hits = fired(R.parts_not_explaining, facts(town))
    assert len(hits) == 1 and "基本支出" in hits[0].message and ("占比", "73.97%") in hits[0].figures
    town["budget"]["deviation"]["reason"] = "基本支出中人员经费调资增加，年中追加乡村振兴项目经费"
    assert fired(R.parts_not_explaining, facts(town)) == []
    assert fired(R.parts_not_explaining, facts(load())) == []  # no parts: nothing to explain


# ---------------------------------------------------------------- every rule


def test_every_rule_has_an_id_a_severity_and_tests_above():
    source = Path(__file__).read_text(encoding="utf-8")
    for rule, fn in RULES:
        assert rule.severity in Severity and rule.description and rule.title
        assert f"R.{fn.__name__}" in source, f"rule {rule.id} has no test"
    assert len({rule.id for rule, _ in RULES}) == len(RULES)


def test_rules_change_no_score_and_no_model(facts):
    f = facts(load(), last_year(load()))
    before = (f.report.model_dump(), f.scores.total, [r.score for r in f.scores.rows])
    hits = run_rules(f)
    assert hits
    assert (f.report.model_dump(), f.scores.total, [r.score for r in f.scores.rows]) == before


def test_a_form_only_file_is_audited_and_its_unknowns_stay_unknown(facts):
    data = load()
    for key in ("policy_documents", "internal_units", "staffing", "functions", "santong", "evaluation",
                "experience", "problems", "suggestions", "signature"):
        data.pop(key, None)
    data["department"].pop("rank")
    for ind in data["indicators"]:
        ind.pop("analysis")
    data["budget"].pop("adjusted")  # the rate divides by the initial budget: 41.26 %
    data["budget"].pop("adjusted_note")
    f = facts(data)
    assert not hasattr(f.report, "evaluation")
    ids = {h.rule.id for h in run_rules(f)}
    assert "1.1" in ids  # still: every indicator full at 41.26 %
    assert not ids & {"4.2", "4.3", "5.2"}  # no prose, no 三公: nothing said, no zero invented


def test_the_form_only_example_is_audited_without_inventing_figures(facts):
    f = facts(load(EXAMPLES / "culture-tourism" / "2022.yaml"))  # no adjusted budget, parts scored, no prose
    assert f.scores.execution is None and not hasattr(f.report, "problems")
    hits = run_rules(f)
    ids = {h.rule.id for h in hits}
    assert not ids & {"1.1", "4.2", "4.3", "5.1", "5.2"}  # 95.24 % executed; no prose, no 三公, no last year
    assert "5.3" not in ids  # its reason names 项目, the part that made most of the shortfall
    weights = sum(row.weight for row in f.scores.rows)
    assert weights == 100  # parts (10 + 10) and indicators: the judged share is of these
