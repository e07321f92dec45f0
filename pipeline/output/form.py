"""The self-evaluation form (自评表), Chongqing's department-wide layout, from the same model and
scores as the report, so the two cannot drift apart. Values stay numbers here; the report's
attachment formats them (compose) and the spreadsheet keeps them numeric (xlsx)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..content.model import Direction, FormContent, Kind
from ..content.rounding import half_up
from ..content.score import Scored, Scores, part_rate  # part_rate: one part's 执行率, scored there too
from ..content.wording import form_name, num

KIND_NAMES = {Kind.quantitative: "定量", Kind.qualitative: "定性"}
DIRECTION_SIGNS = {Direction.at_least: "≥", Direction.at_most: "≤", Direction.equal: "="}

# The indicator columns of the form, in order.
COLUMNS = ("指标名称", "计量单位", "指标性质", "年初指标值", "调整指标值", "全年完成值", "得分系数", "指标权重", "指标得分", "是否核心指标")
LEVEL_COLUMNS = ("一级指标", "二级指标")  # printed before COLUMNS when the content gives a hierarchy
PART_COLUMNS = ("支出类别", "年初预算数（万元）", "全年（调整）预算数（万元）", "全年执行数（万元）", "执行率")
PART_SCORE_COLUMNS = ("权重", "得分")  # after PART_COLUMNS when the form scores the parts
BUDGET_COLUMNS = ("年初预算数（万元）", "全年（调整）预算数（万元）", "全年执行数（万元）", "执行率", "执行率权重", "执行率得分")
GOAL_COLUMNS = ("年初绩效目标", "全年（调整）绩效目标", "全年目标实际完成情况")
DEVIATION_COLUMNS = ("指标名称", "偏差原因", "改进措施")


@dataclass(frozen=True)
class Part:
    """One budget part (基本支出, 项目支出…) with its own rate."""

    name: str
    initial: Decimal
    adjusted: Decimal | None
    executed: Decimal
    rate: Decimal | None  # executed ÷ (adjusted or initial); None when that budget is 0
    weight: Decimal | None = None  # scored on its own (the form's 基本支出 10 分…)
    score: Decimal | None = None  # rounded, as Table 1 prints it


@dataclass(frozen=True)
class IndicatorRow:
    """One indicator's line of the form, values as numbers."""

    name: str
    unit: str | None
    kind: str
    sign: str  # ≥ ≤ = or "" when no direction is recorded
    target_initial: Decimal | str | None  # a word (高、合格) for a 定性 indicator
    target_adjusted: Decimal | str | None
    actual: Decimal | str | None
    coefficient: Decimal  # 得分系数 = score ÷ weight, unrounded
    weight: Decimal
    score: Decimal  # rounded, as Table 1 prints it
    core: bool | None
    level1: str | None = None  # 一级指标
    level2: str | None = None  # 二级指标
    note: str | None = None  # a score set by hand or by judgement: how, and why (None: by rule)


def hand_set(row: Scored, ind) -> str | None:
    """How a score not given by the rule was set, and why, in a line; None for a rule score."""
    if row.method == "override" and ind.override is not None:
        by = f"规则计分为 {row.by_rule}" if row.by_rule is not None else "无规则计分"
        return f"人工评定得分 {row.score}（{by}），理由：{ind.override.reason}"
    if row.method == "judgement" and ind.judgement is not None:
        return f"评价组评定（得分系数 {ind.judgement.coefficient}），依据：{ind.judgement.basis}"
    return None


@dataclass(frozen=True)
class Form:
    title: str
    department: str
    supervisor: str | None  # 主管部门 as typed; None: left blank
    total: Decimal
    contact: str | None
    phone: str | None
    initial: Decimal
    adjusted: Decimal | None  # None: not known, the cell stays empty (the rate divides by initial)
    executed: Decimal
    execution_rate: Decimal
    execution_weight: Decimal | None  # None: the form has no execution-rate item
    execution_score: Decimal | None
    parts: tuple[Part, ...]
    goals: tuple[str | None, str | None, str | None]
    rows: tuple[IndicatorRow, ...]
    deviations: tuple[tuple[str, str, str], ...]  # name, reason, measure ("" when none)
    leader: str | None = None  # 单位负责人
    finance_office: str | None = None  # 财政处室
    implementing_unit: str | None = None  # 实施单位

    @property
    def parts_scored(self) -> bool:
        return any(p.weight for p in self.parts)

    @property
    def hand_set(self) -> tuple[tuple[str, str], ...]:
        """(indicator, how and why) for every score set by hand or by judgement."""
        return tuple((r.name, r.note) for r in self.rows if r.note)


def form(report: FormContent, scores: Scores) -> Form:
    b, info = report.budget, report.form
    scored = iter(scores.parts)  # the parts with a weight, in order
    deviations = []
    if scores.execution_rate != 1 and b.deviation is not None:
        deviations.append(("预算执行率", b.deviation.reason, b.deviation.measure or ""))
    rows = []
    for ind, row in zip(report.indicators, scores.indicators):
        rows.append(
            IndicatorRow(
                name=ind.name,
                unit=ind.unit,
                kind=KIND_NAMES[ind.kind],
                sign=DIRECTION_SIGNS.get(ind.direction, ""),
                target_initial=ind.target_initial,
                target_adjusted=ind.target_adjusted,
                actual=ind.actual,
                coefficient=row.rate,
                weight=ind.weight,
                score=row.score,
                core=ind.core,
                level1=ind.level1,
                level2=ind.level2,
                note=hand_set(row, ind),
            )
        )
        if ind.deviation is not None:
            deviations.append((ind.name, ind.deviation.reason, ind.deviation.measure or ""))
    return Form(
        title=form_name(report),
        department=report.department.name,
        supervisor=report.department.supervisor,
        total=half_up(scores.total),
        contact=info.contact,
        phone=info.phone,
        initial=b.initial,
        adjusted=b.adjusted,
        executed=b.executed,
        execution_rate=scores.execution_rate,
        execution_weight=b.execution_weight,  # as typed: 0, or None when absent
        execution_score=scores.execution.score if scores.execution is not None else None,
        parts=tuple(
            Part(p.name, p.initial, p.adjusted, p.executed, part_rate(p), p.weight or None, next(scored).score if p.weight else None)
            for p in b.parts
        ),
        goals=(info.goals.initial, info.goals.adjusted, info.goals.achieved),
        rows=tuple(rows),
        deviations=tuple(deviations),
        leader=info.leader,
        finance_office=info.finance_office,
        implementing_unit=info.implementing_unit,
    )


SUBTOTAL, TOTAL = "绩效指标小计", "自评总分"  # how the sum rows under the indicators begin


def totals(f: Form) -> list[tuple[str, Decimal, Decimal]]:
    """The rows under the indicators, in the attachment and the .xlsx alike: the indicators' own
    sums (weights 90, scores 90), then the 自评总分 with what else is scored — the execution rate,
    scored budget parts — named in both labels (100, 94.24), so a sum beside the total can never
    be read as the total. A form that scores nothing else has the 自评总分 row alone."""
    weight = sum((r.weight for r in f.rows), Decimal(0))
    score = sum((r.score for r in f.rows), Decimal(0))
    others = [("预算执行率", f.execution_weight)] if f.execution_weight else []
    others += [(p.name, p.weight) for p in f.parts if p.weight]
    if not others:
        return [(TOTAL, weight, f.total)]
    names = "、".join(name for name, _ in others)
    return [(f"{SUBTOTAL}（不含{names}）", weight, score), (f"{TOTAL}（含{names}）", weight + sum(w for _, w in others), f.total)]


def header_rows(f: Form) -> list[list[str]]:
    """The form's head, four cells a row (label, value, label, value): 主管部门 and 自评总分, then
    联系人 and 电话, then whichever of 单位负责人, 财政处室, 实施单位 the content gives."""
    rows = [["主管部门", f.supervisor or "", "自评总分", num(f.total)], ["联系人", f.contact or "", "电话", f.phone or ""]]
    extra = [(label, value) for label, value in (("单位负责人", f.leader), ("财政处室", f.finance_office), ("实施单位", f.implementing_unit)) if value]
    for i in range(0, len(extra), 2):
        pair = extra[i : i + 2] + [("", "")] * (2 - len(extra[i : i + 2]))
        rows.append([pair[0][0], pair[0][1], pair[1][0], pair[1][1]])
    return rows
