"""The review rules (审核规则): each a small pure function over the validated model (and the
previous year's, when its file exists) that returns what it found as ``Hit`` values.

Findings are for the reviewer: no rule changes a score. A figure the content does not give is
unknown, never a zero: a rule that needs it says nothing. ``RULES`` lists every rule in the
order of the issue's items (1 得分与事实, 2 人工评分, 3 指标值, 4 文字, 5 资金); README's 审核
section describes each with an example finding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable

from ...content.rounding import half_up
from ...content.rules import rule_problem
from ...content.score import Scores, by_rule
from ...content.wording import num, percent, written
from .findings import Hit, Rule, Severity

ONE, ZERO = Decimal(1), Decimal(0)
LOW_EXECUTION = Decimal("0.8")  # 1.1: every indicator full while less than this was executed
JUDGED_SHARE = Decimal(1) / 3  # 2.3: more than this share of the weight judged rather than computed
HEAVY_WEIGHT = Decimal(30)  # 3.4: one indicator weighing more than this
MIN_SENTENCE = 12  # 4.2: shorter sentences (套话) are not counted as copied


@dataclass(frozen=True)
class Facts:
    """What the rules read: this year's model and scores, and last year's model if any."""

    report: object  # content.model.Report
    scores: Scores
    previous: object | None = None  # last year's Report, when its file exists and is valid


def _get(obj, name: str):
    """An attribute the model may not have (a form-only file, an older or newer model): None."""
    return getattr(obj, name, None) if obj is not None else None


def _number(value) -> Decimal | None:
    return value if isinstance(value, Decimal) and not isinstance(value, bool) else None


def target(ind) -> Decimal | None:
    """The numeric target (the adjusted one when typed), or None (unknown, or a word)."""
    adjusted = _number(_get(ind, "target_adjusted"))
    return adjusted if adjusted is not None else _number(_get(ind, "target_initial"))


def _target_key(ind) -> str:
    return "target_adjusted" if _number(_get(ind, "target_adjusted")) is not None else "target_initial"


def _value(enum_or_text) -> str:
    return str(getattr(enum_or_text, "value", enum_or_text))


def _rows(facts: Facts) -> list[tuple[int, object, object]]:
    """(index, indicator, its scored row) for every indicator that was scored, matched by name."""
    scored = {row.name: row for row in (facts.scores.indicators if facts.scores is not None else ())}
    return [(i, ind, scored[ind.name]) for i, ind in enumerate(facts.report.indicators or ()) if ind.name in scored]


def _rate(facts: Facts) -> Decimal | None:
    return _get(facts.scores, "execution_rate")


RuleFn = Callable[[Facts], list[Hit]]
RULES: list[tuple[Rule, RuleFn]] = []


def rule(id: str, group: str, title: str, severity: Severity, description: str):
    meta = Rule(id, group, title, severity, description)

    def register(fn: RuleFn) -> RuleFn:
        fn.rule = meta
        RULES.append((meta, fn))
        return fn

    return register


# ---------------------------------------------------------------- 1. scores that do not fit the facts

G1, G2, G3, G4, G5 = "得分与事实", "人工评分", "指标值", "文字", "资金"


@rule("1.1", G1, "执行率低而指标全满分", Severity.explain, "预算执行率低于 80%，而全部绩效指标均得满分")
def full_marks_low_execution(facts: Facts) -> list[Hit]:
    rate, rows = _rate(facts), _rows(facts)
    if rate is None or rate >= LOW_EXECUTION or not rows or not all(row.full for _, _, row in rows):
        return []
    return [Hit(full_marks_low_execution.rule,
                f"预算执行率为{percent(rate)}，低于{percent(LOW_EXECUTION)}，而{len(rows)}项绩效指标均得满分，得分与预算执行情况不相符",
                ("budget", "executed"), (("预算执行率", percent(rate)), ("满分指标", f"{len(rows)}/{len(rows)}")))]


MONEY_WORDS = ("执行率", "执行进度", "预算完成", "支出", "支付", "采购", "资金到位", "资金使用", "拨付")
RATE_WORDS = ("执行率", "完成率", "到位率", "支付率", "支出率", "拨付率")  # rates whose natural ceiling is 100 %
BUDGET_NAME = re.compile(r"预算.*(执行|完成|支出)|资金.*(执行|支出)")


def allowed_score(ind, weight: Decimal, dept_rate: Decimal | None) -> tuple[Decimal, str] | None:
    """The most an indicator about budget execution, procurement or spending can score by its own
    typed figures: its rule (target and actual); a rate in % against the natural 100 %; the
    department's execution rate for an indicator about the budget itself. None: no figure limits it."""
    actual, goal = _number(_get(ind, "actual")), target(ind)
    direction = _value(_get(ind, "direction")) if _get(ind, "direction") is not None else None
    if actual is not None and goal is not None and direction in (">=", "<="):
        plain = ind.model_copy(update={"override": None, "judgement": None})
        raw = by_rule(plain)[0] if rule_problem(plain) is None else None  # what the rule gives, where it applies
        if raw is not None:
            unit = _get(ind, "unit") or ""
            return raw, f"完成值{written(actual)}{unit}、指标值{written(goal)}{unit}"
    rate_toward_100 = any(word in ind.name for word in RATE_WORDS)
    if actual is not None and goal is None and _get(ind, "unit") == "%" and rate_toward_100 and 0 <= actual < 100:
        return weight * actual / 100, f"完成值{written(actual)}%"
    if actual is None and dept_rate is not None and dept_rate < ONE and BUDGET_NAME.search(ind.name):
        return weight * dept_rate, f"部门预算执行率{percent(dept_rate)}"
    return None


@rule("1.2", G1, "得分高于数字所允许", Severity.explain, "预算执行、政府采购、支出类指标的得分高于其完成值与指标值（或部门执行率）所允许的得分")
def score_above_figures(facts: Facts) -> list[Hit]:
    hits = []
    for i, ind, row in _rows(facts):
        if not any(word in ind.name for word in MONEY_WORDS):
            continue
        found = allowed_score(ind, row.weight, _rate(facts))
        if found is None:
            continue
        allowed, basis = found
        if row.score > half_up(allowed):
            hits.append(Hit(score_above_figures.rule,
                            f"指标“{ind.name}”得{num(row.score)}分（权重{num(row.weight)}分），按{basis}应得{num(allowed)}分",
                            ("indicators", i), (("得分", num(row.score)), ("按数字应得", num(allowed)), ("权重", num(row.weight)))))
    return hits


@rule("1.3", G1, "定性指标全部达成且系数为1", Severity.advise, "两项以上定性指标全部评为“达成”且得分系数均为 1")
def qualitative_all_full(facts: Facts) -> list[Hit]:
    rows = [(i, ind) for i, ind in enumerate(facts.report.indicators or ()) if _value(ind.kind) == "定性" and ind.qualitative is not None]
    if len(rows) < 2 or not all(_value(ind.qualitative.achievement) == "达成" and ind.qualitative.coefficient == ONE for _, ind in rows):
        return []
    return [Hit(qualitative_all_full.rule, f"{len(rows)}项定性指标均评为“达成”、得分系数均为1，请说明评定依据",
                ("indicators", rows[0][0], "qualitative"), (("定性指标", str(len(rows))), ("系数为1", str(len(rows)))))]


# ---------------------------------------------------------------- 2. scores set by people


@rule("2.1", G2, "人工改分", Severity.explain, "得分由评价组人工给定，列出理由及按规则计算的得分")
def overrides(facts: Facts) -> list[Hit]:
    hits = []
    for i, ind, row in _rows(facts):
        o = _get(ind, "override")
        if o is None:
            continue
        rule_score = row.by_rule if row.method == "override" else None
        by = f"按规则为{num(rule_score)}分" if rule_score is not None else "无规则计分"
        figures = (("人工得分", num(o.score)), ("规则得分", num(rule_score) if rule_score is not None else "无"), ("权重", num(row.weight)))
        hits.append(Hit(overrides.rule, f"指标“{ind.name}”由评价组人工给定{num(o.score)}分（{by}），理由：{o.reason}",
                        ("indicators", i, "override"), figures))
    return hits


@rule("2.2", G2, "评价组评定系数", Severity.note, "无指标值的指标由评价组评定得分系数，列出评定依据")
def judgements(facts: Facts) -> list[Hit]:
    hits = []
    for i, ind, row in _rows(facts):
        j = _get(ind, "judgement")
        if j is None or _get(ind, "override") is not None:
            continue
        hits.append(Hit(judgements.rule, f"指标“{ind.name}”得分系数{percent(j.coefficient)}由评价组评定，依据：{j.basis}",
                        ("indicators", i, "judgement"), (("系数", percent(j.coefficient)), ("得分", num(row.score)))))
    return hits


def judged(ind) -> bool:
    """Scored by people rather than computed: a judgement, an override, or a 定性 coefficient."""
    return _get(ind, "judgement") is not None or _get(ind, "override") is not None or _value(ind.kind) == "定性"


@rule("2.3", G2, "评定的权重过多", Severity.advise, "评定或人工给定得分的指标权重超过总分值的三分之一")
def judged_weight(facts: Facts) -> list[Hit]:
    rows = _rows(facts)
    total = sum((row.weight for row in facts.scores.rows), ZERO)  # execution rate, scored parts, indicators
    weight = sum((row.weight for _, ind, row in rows if judged(ind)), ZERO)
    if not total or weight <= total * JUDGED_SHARE:
        return []
    share = weight / total
    return [Hit(judged_weight.rule, f"评定或人工给定得分的指标权重合计{num(weight)}分，占总分值{num(total)}分的{percent(share)}，超过三分之一",
                ("indicators",), (("评定权重", num(weight)), ("总分值", num(total)), ("占比", percent(share))), at_key=True)]


# ---------------------------------------------------------------- 3. targets


@rule("3.1", G3, "未设指标值", Severity.advise, "绩效指标未填写指标值（年初或调整后）")
def no_target(facts: Facts) -> list[Hit]:
    return [Hit(no_target.rule, f"指标“{ind.name}”未设置指标值", ("indicators", i), (("指标", ind.name),))
            for i, ind in enumerate(facts.report.indicators or ())
            if _get(ind, "target_initial") is None and _get(ind, "target_adjusted") is None]


@rule("3.2", G3, "指标值低于上年完成值", Severity.explain, "指标值低于上一年度同名指标的完成值（越低越好的指标：高于），目标设置偏低")
def target_below_last_actual(facts: Facts) -> list[Hit]:
    if facts.previous is None:
        return []
    last = {ind.name: _number(_get(ind, "actual")) for ind in facts.previous.indicators or ()}
    hits = []
    for i, ind in enumerate(facts.report.indicators or ()):
        goal, before = target(ind), last.get(ind.name)
        direction = _value(_get(ind, "direction")) if _get(ind, "direction") is not None else None
        if goal is None or before is None:
            continue
        easier = goal < before if direction == ">=" else goal > before if direction == "<=" else False
        if easier:
            unit = _get(ind, "unit") or ""
            side = "低于" if direction == ">=" else "高于"
            hits.append(Hit(target_below_last_actual.rule,
                            f"指标“{ind.name}”指标值{written(goal)}{unit}{side}上一年度完成值{written(before)}{unit}，目标设置偏低",
                            ("indicators", i, _target_key(ind)), (("指标值", written(goal)), ("上年完成值", written(before)))))
    return hits


@rule("3.3", G3, "指标值与完成值处处相等", Severity.explain, "两项以上定量指标的指标值与完成值全部相等")
def target_equals_actual(facts: Facts) -> list[Hit]:
    pairs = [(i, ind) for i, ind in enumerate(facts.report.indicators or ())
             if target(ind) is not None and _number(_get(ind, "actual")) is not None]
    if len(pairs) < 2 or any(target(ind) != ind.actual for _, ind in pairs):
        return []
    return [Hit(target_equals_actual.rule, f"{len(pairs)}项有指标值的定量指标，完成值与指标值全部相等，请说明指标值是否在年初设定",
                ("indicators", pairs[0][0]), (("相等的指标", f"{len(pairs)}/{len(pairs)}"),))]


@rule("3.4", G3, "权重过于集中", Severity.advise, "单项指标权重超过 30 分")
def weight_concentrated(facts: Facts) -> list[Hit]:
    return [Hit(weight_concentrated.rule, f"指标“{ind.name}”权重{num(ind.weight)}分，超过{num(HEAVY_WEIGHT)}分，权重过于集中",
                ("indicators", i, "weight"), (("权重", num(ind.weight)),))
            for i, ind in enumerate(facts.report.indicators or ()) if ind.weight > HEAVY_WEIGHT]


@rule("3.5", G3, "权重全部相等", Severity.note, "三项以上指标权重全部相等，未体现指标的重要程度")
def weights_equal(facts: Facts) -> list[Hit]:
    inds = list(facts.report.indicators or ())
    if len(inds) < 3 or len({ind.weight for ind in inds}) != 1:
        return []
    return [Hit(weights_equal.rule, f"{len(inds)}项指标权重均为{num(inds[0].weight)}分，未体现指标的重要程度",
                ("indicators",), (("指标数", str(len(inds))), ("权重", num(inds[0].weight))), at_key=True)]


# ---------------------------------------------------------------- 4. text

EMPTY_MEANING = {"无", "暂无", "没有", "无无", "略", "同上", "见上", "不适用", "无偏差", "无明显偏差", "无原因", "无措施", "暂无措施",
                 "/", "／", "\\", "-", "—", "——", "－", "…", "……", "...", "na", "n/a", "none", "null"}
TRIM = " \t\u3000。．.，,；;：:！!？?"


def empty_in_meaning(text) -> bool:
    return isinstance(text, str) and text.strip(TRIM).lower() in EMPTY_MEANING


def explanations(report) -> list[tuple[tuple, str, str]]:
    """(loc, what it is, text) of every 偏差原因 and 改进措施 the content gives."""
    out = []
    budget = _get(report, "budget")
    dev = _get(budget, "deviation")
    if dev is not None:
        out += [(("budget", "deviation", key), label, _get(dev, key)) for key, label in (("reason", "预算执行偏差原因"), ("measure", "预算执行改进措施"))]
    for i, ind in enumerate(report.indicators or ()):
        dev = _get(ind, "deviation")
        if dev is not None:
            out += [(("indicators", i, "deviation", key), f"指标“{ind.name}”的{label}", _get(dev, key)) for key, label in (("reason", "偏差原因"), ("measure", "改进措施"))]
    reason = _get(_get(report, "santong"), "change_reason")
    out.append((("santong", "change_reason"), "“三公”经费增减原因", reason))
    return [(loc, label, text) for loc, label, text in out if isinstance(text, str)]


@rule("4.1", G4, "原因或措施没有内容", Severity.explain, "偏差原因、改进措施（或“三公”增减原因）只写了“无”“暂无”“/”等，没有实际内容")
def empty_text(facts: Facts) -> list[Hit]:
    return [Hit(empty_text.rule, f"{label}写作“{text.strip()}”，没有说明实际内容", loc, (("原文", text.strip()),))
            for loc, label, text in explanations(facts.report) if empty_in_meaning(text)]


SENTENCE_END = re.compile(r"(?<=[。！？；!?;])")


def sentences(text: str) -> list[str]:
    """The sentences of a text long enough to count (short ones are set phrases)."""
    out = []
    for part in SENTENCE_END.split(text):
        part = part.strip().rstrip("。！？；!?;").strip()
        if len(part) >= MIN_SENTENCE:
            out.append(part)
    return out


def year_texts(report) -> list[tuple[tuple, str, str]]:
    """(loc, what it is, text as printed) of the texts that speak of the year itself: indicator
    analyses (placeholders filled, so a sentence with this year's figure is not last year's),
    偏差原因 and 改进措施, 主要经验, 问题 and 建议."""
    from ...content.placeholders import fill, values

    filled = values(report) if _get(report, "evaluation") is not None else {}  # a form-only file has no prose
    out = [(loc, label, text) for loc, label, text in explanations(report)]
    for i, ind in enumerate(report.indicators or ()):
        text = _get(ind, "analysis")
        if isinstance(text, str):
            out.append((("indicators", i, "analysis"), f"指标“{ind.name}”的分析", fill(text, filled.get(("indicators", i, "analysis"), {}))))
    for key, label in (("experience", "主要经验及做法"), ("problems", "需重点关注的问题"), ("suggestions", "有关建议")):
        for i, text in enumerate(_get(report, key) or ()):
            out.append(((key, i), f"{label}第{i + 1}条", text))
    return out


@rule("4.2", G4, "与上年文字相同", Severity.advise, "分析、原因、措施、经验、问题或建议中有与上一年度文件相同的句子（照抄）")
def copied_text(facts: Facts) -> list[Hit]:
    if facts.previous is None:
        return []
    before = {s for _, _, text in year_texts(facts.previous) for s in sentences(text)}
    hits = []
    for loc, label, text in year_texts(facts.report):
        mine = sentences(text)
        same = [s for s in mine if s in before]
        if same:
            quoted = same[0] if len(same[0]) <= 40 else same[0][:40] + "…"
            hits.append(Hit(copied_text.rule, f"{label}与上一年度文件相同：“{quoted}”", loc, (("相同句子", f"{len(same)}/{len(mine)}"),)))
    return hits


# Two-character words too common in problems and suggestions to tie one to the other.
COMMON_PAIRS = {"提高", "加强", "进一", "一步", "有待", "工作", "问题", "建议", "推动", "推进", "强化", "加大", "力度", "完善", "提升",
                "存在", "不够", "不足", "需要", "部分", "相关", "管理", "进行", "开展", "落实", "确保", "水平", "能力", "方面", "建设"}
HAN = re.compile(r"[\u4e00-\u9fff]+")


def pairs(text: str) -> set[str]:
    """The text's two-character sequences (Chinese has no spaces to split words at)."""
    return {run[k : k + 2] for run in HAN.findall(text) for k in range(len(run) - 1)} - COMMON_PAIRS


@rule("4.3", G4, "问题没有对应建议", Severity.advise, "“需重点关注的问题”中的一条在“有关建议”中找不到对应的建议")
def problem_without_suggestion(facts: Facts) -> list[Hit]:
    problems = list(_get(facts.report, "problems") or ())
    suggestions = [pairs(text) for text in _get(facts.report, "suggestions") or ()]
    hits = []
    for i, problem in enumerate(problems):
        words = pairs(problem)
        if not any(words & s for s in suggestions):
            problem = problem.rstrip("。；;")
            quoted = problem if len(problem) <= 40 else problem[:40] + "…"
            hits.append(Hit(problem_without_suggestion.rule, f"问题“{quoted}”在有关建议中没有对应的建议",
                            ("problems", i), (("问题", str(len(problems))), ("建议", str(len(suggestions))))))
    return hits


# ---------------------------------------------------------------- 5. money

INCREASE_WORDS = ("增加", "追加", "新增", "增支", "调增", "超", "结转", "结余", "上年", "补助", "专项", "应急", "提前", "动用", "上级", "转移支付", "拨入", "增长", "扩大")


@rule("5.1", G5, "超预算执行未说明", Severity.explain, "执行率超过 100%，而偏差原因没有说明支出增加的来由（追加、结转、新增项目等）")
def over_execution(facts: Facts) -> list[Hit]:
    rate = _rate(facts)
    if rate is None or rate <= ONE:
        return []
    dev = _get(_get(facts.report, "budget"), "deviation")
    reason = _get(dev, "reason")
    if isinstance(reason, str) and not empty_in_meaning(reason) and any(w in reason for w in INCREASE_WORDS):
        return []
    said = f"偏差原因“{reason}”未说明支出增加的来由" if isinstance(reason, str) else "未写明偏差原因"
    budget = facts.report.budget
    adjusted = _number(_get(budget, "adjusted"))
    base, label = (adjusted, "全年（调整）预算数") if adjusted is not None else (budget.initial, "年初预算数")
    return [Hit(over_execution.rule, f"全年执行数{written(budget.executed)}万元，超过{label}{written(base)}万元（执行率{percent(rate)}），{said}",
                ("budget", "deviation", "reason") if isinstance(reason, str) else ("budget", "executed"),
                (("执行率", percent(rate)), ("执行数", written(budget.executed)), ("预算数", written(base))))]


RISE_WORDS = ("增加", "增长", "上升", "上涨", "增多", "新增", "提高", "多")


def santong_total(report) -> Decimal | None:
    santong = _get(report, "santong")
    items = _get(santong, "items")
    if not items or any(_number(_get(item, "amount")) is None for item in items):
        return None
    return sum((item.amount for item in items), ZERO)


@rule("5.2", G5, "“三公”经费比上年增加未说明", Severity.explain, "“三公”经费支出比上一年度增加，而未说明增加的原因")
def santong_up(facts: Facts) -> list[Hit]:
    if facts.previous is None:
        return []
    now, before = santong_total(facts.report), santong_total(facts.previous)
    if now is None or before is None or now <= before:
        return []
    reason = _get(facts.report.santong, "change_reason")
    if isinstance(reason, str) and not empty_in_meaning(reason) and any(w in reason for w in RISE_WORDS):
        return []
    said = f"所写原因“{reason}”未说明增加的原因" if isinstance(reason, str) else "未说明原因"
    return [Hit(santong_up.rule, f"“三公”经费支出{num(now)}万元，比上一年度{num(before)}万元增加{num(now - before)}万元，{said}",
                ("santong", "change_reason") if isinstance(reason, str) else ("santong", "items"),
                (("本年", num(now)), ("上年", num(before)), ("增加", num(now - before))))]


def _part_budget(part) -> Decimal | None:
    adjusted = _number(_get(part, "adjusted"))
    return adjusted if adjusted is not None else _number(_get(part, "initial"))


@rule("5.3", G5, "偏差原因未提及主要构成", Severity.advise, "预算分列构成时，执行偏差原因没有提到造成偏差最多的那一部分支出")
def parts_not_explaining(facts: Facts) -> list[Hit]:
    budget = _get(facts.report, "budget")
    parts = list(_get(budget, "parts") or ())
    rate = _rate(facts)
    if not parts or rate is None or rate == ONE:
        return []
    gaps = []
    for i, part in enumerate(parts):
        planned, executed = _part_budget(part), _number(_get(part, "executed"))
        if planned is None or executed is None:
            return []  # a part's figures unknown: its share of the deviation is unknown too
        gaps.append((executed - planned, i, part))
    over = rate > ONE
    same_side = [g for g in gaps if (g[0] > 0 if over else g[0] < 0)]
    if not same_side:
        return []
    gap, i, part = max(same_side, key=lambda g: abs(g[0]))
    reason = _get(_get(budget, "deviation"), "reason")
    core = part.name[:-2] if part.name.endswith("支出") and len(part.name) > 2 else part.name
    if isinstance(reason, str) and (part.name in reason or core in reason):
        return []
    total_gap = sum((g[0] for g in same_side), ZERO)
    share = gap / total_gap
    said = f"偏差原因“{reason}”未提及{part.name}" if isinstance(reason, str) else "未写明偏差原因"
    verb = "超支" if over else "未执行"
    return [Hit(parts_not_explaining.rule, f"{part.name}{verb}{num(abs(gap))}万元，占全部{verb}额的{percent(share)}，{said}",
                ("budget", "parts", i), ((f"{part.name}{verb}", num(abs(gap))), ("占比", percent(share))))]


def run_rules(facts: Facts) -> list[Hit]:
    """Every rule over one department, in the order of ``RULES``."""
    return [hit for _, fn in RULES for hit in fn(facts)]
