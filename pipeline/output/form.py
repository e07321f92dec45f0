"""The self-evaluation form (自评表), Chongqing's department-wide layout, from the same model and
scores as the report, so the two cannot drift apart. Values stay numbers here; the report's
attachment formats them (compose) and the spreadsheet keeps them numeric (xlsx)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..content.model import Direction, Kind, Report
from ..content.rounding import half_up
from ..content.score import Scores
from ..content.wording import form_name

KIND_NAMES = {Kind.quantitative: "定量", Kind.qualitative: "定性"}
DIRECTION_SIGNS = {Direction.at_least: "≥", Direction.at_most: "≤", Direction.equal: "="}

# The indicator columns of the form, in order.
COLUMNS = ("指标名称", "计量单位", "指标性质", "年初指标值", "调整指标值", "全年完成值", "得分系数", "指标权重", "指标得分", "是否核心指标")
LEVEL_COLUMNS = ("一级指标", "二级指标")  # printed before COLUMNS when the content gives a hierarchy
PART_COLUMNS = ("支出类别", "年初预算数（万元）", "全年（调整）预算数（万元）", "全年执行数（万元）", "执行率")
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


@dataclass(frozen=True)
class Form:
    title: str
    department: str
    supervisor: str  # 主管部门: the content's, or the department itself
    total: Decimal
    contact: str | None
    phone: str | None
    initial: Decimal
    adjusted: Decimal
    executed: Decimal
    execution_rate: Decimal
    execution_weight: Decimal
    execution_score: Decimal
    parts: tuple[Part, ...]
    goals: tuple[str | None, str | None, str | None]
    rows: tuple[IndicatorRow, ...]
    deviations: tuple[tuple[str, str, str], ...]  # name, reason, measure ("" when none)


def form(report: Report, scores: Scores) -> Form:
    b, info = report.budget, report.form
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
            )
        )
        if ind.deviation is not None:
            deviations.append((ind.name, ind.deviation.reason, ind.deviation.measure or ""))
    return Form(
        title=form_name(report),
        department=report.department.name,
        supervisor=report.department.supervisor or report.department.name,
        total=half_up(scores.total),
        contact=info.contact,
        phone=info.phone,
        initial=b.initial,
        adjusted=b.adjusted,
        executed=b.executed,
        execution_rate=scores.execution_rate,
        execution_weight=b.execution_weight,
        execution_score=scores.execution.score,
        parts=tuple(Part(p.name, p.initial, p.adjusted, p.executed, part_rate(p)) for p in b.parts),
        goals=(info.goals.initial, info.goals.adjusted, info.goals.achieved),
        rows=tuple(rows),
        deviations=tuple(deviations),
    )


SUBTOTAL = "绩效指标小计（不含预算执行率）"
TOTAL = "自评总分（含预算执行率）"


def totals(f: Form) -> list[tuple[str, Decimal, Decimal]]:
    """The rows under the indicators, in the attachment and the .xlsx alike: the indicators' own
    sums (weights 90, scores 90), then the 自评总分 with the execution rate's weight and score
    (100, 94.24), so a sum beside the total can never be read as the total."""
    weight = sum((r.weight for r in f.rows), Decimal(0))
    score = sum((r.score for r in f.rows), Decimal(0))
    return [(SUBTOTAL, weight, score), (TOTAL, weight + f.execution_weight, f.total)]


def part_rate(part) -> Decimal | None:
    """One budget part's 执行率: executed ÷ (adjusted, or initial when not adjusted); None when that
    budget is 0. The report's sentence (compose) and the form print this same value."""
    budget = part.adjusted if part.adjusted is not None else part.initial
    return part.executed / budget if budget else None
