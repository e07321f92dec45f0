"""The content model: what a department's yearly report says, as typed data.

Only facts people state live here. Every figure the report derives (execution rate, 三公 total
and its change, scores, 得分率, total, grade) is computed by ``score`` and never typed.
Money is in 万元 and, like every rate, a ``Decimal`` read from the YAML text.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from decimal import Decimal
from enum import Enum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

# The placeholders prose may use ({actual}, {period}, {form}) are defined in placeholders.py.
from .placeholders import PROSE_HELP


# Enum values that users type are Chinese domain words. The English spellings of the first
# version, mapped here once (importers and summaries read this to translate old data).
RENAMED_VALUES: dict[str, dict[str, str]] = {
    "kind": {"quantitative": "定量", "qualitative": "定性"},
    "achievement": {"achieved": "达成", "partly": "部分达成", "not_achieved": "未达成"},
}

# Sentence punctuation around text the composer continues (see compose.phrase / compose.sentence).
STOPS = "。．.！!？?"  # a full stop the composer would double
PAUSES = "，,；;：:、"  # a pause the composer would follow with its own punctuation
CLOSERS = "”’）)】」』》"  # may follow a full stop: …完成。” is a finished sentence

# The indicator hierarchy the self-evaluation forms print (domain.md §5–6). Other names are
# allowed (a warning asks to confirm them): department-wide forms use their own headings.
LEVELS: dict[str, tuple[str, ...]] = {
    "产出指标": ("数量指标", "质量指标", "时效指标", "成本指标"),
    "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
    "满意度指标": ("服务对象满意度指标",),
    "履职效能": (),
    "管理效率": (),
}


def _figure(annotation) -> str | None:
    """"number" for Decimal and int fields, "date" for dates (optional or not), else None."""
    union = typing.get_origin(annotation) in (typing.Union, types.UnionType)
    if union and any(a is str or typing.get_args(a)[:1] == (str,) for a in typing.get_args(annotation)):
        return None  # a number or a word (qualitative values): the model's own validator decides
    for arg in typing.get_args(annotation) if union else (annotation,):
        if typing.get_origin(arg) is Annotated:
            arg = typing.get_args(arg)[0]  # Count | None: the int inside
        if arg is Decimal or arg is int:
            return "number"
        if arg is dt.date:
            return "date"
    return None


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @field_validator("*", mode="before")
    @classmethod
    def _figures_are_not_guessed(cls, value, info: ValidationInfo):
        """YAML hands over numbers as numbers and dates as dates. pydantic's lax mode would read the
        text "１２０９.５６", " 12 " or "1_000" as a number and the number 0 as 1970-01-01; here
        text in a number field and a number in a date field are refused instead (validate words the
        message), so nothing is read other than as written."""
        kind = _figure(cls.model_fields[info.field_name].annotation)
        if kind == "number" and isinstance(value, str):
            raise PydanticCustomError("number_as_text", "a number written as text")
        if kind == "date" and isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            raise PydanticCustomError("date_as_number", "a number where a date belongs")
        return value


Money = Annotated[Decimal, Field(ge=0, allow_inf_nan=False)]
Count = Annotated[int, Field(strict=True, ge=0)]  # strict: true/false or "3" are not counts
Text = Annotated[str, Field(min_length=1)]
Figure = Decimal | Text  # a number, or a word for a 定性 indicator (高、好、合格、满意)


class PolicyDocument(Strict):
    id: Text = Field(title="引用标识", description="在其他段落中引用本文件时使用的简短标识，如 notice。")
    title: Text = Field(title="文件名称", description="不含书名号，如 重庆市财政局关于加快推进预算绩效管理工作的通知。")
    number: Text = Field(title="文号", description="如 渝财绩〔2022〕1号（六角括号〔〕）。")


class FormDepartment(Strict):
    """The department as the 自评表 names it."""

    name: Text = Field(title="部门全称", description="如 重庆市璧山区科学技术局。")
    short_name: Text | None = Field(default=None, title="部门简称", description="如 区科技局，用于编制情况等句子；只有自评表的文件可不填。")
    supervisor: Text | None = Field(
        default=None,
        title="主管部门",
        description="自评表表头的主管部门，如 重庆市璧山区委宣传部；本部门即主管部门的照写部门全称；未载明的不填或留空，表中留空。",
    )


class Department(FormDepartment):
    short_name: Text = Field(title="部门简称", description="如 区科技局，用于编制情况等句子。")
    rank: Text = Field(
        title="部门职级",
        description="“部门全称是”之后的文字，如 区政府工作部门，为正处级（结尾句号可写可不写）。",
    )


class InternalUnit(Strict):
    name: Text = Field(title="内设机构名称", description="如 办公室。")
    duties: Text = Field(title="职责", description="该机构的职责描述，以句号结尾。")


class Post(Strict):
    title: Text = Field(title="职务", description="如 局长、副局长。")
    count: Count = Field(title="职数（名）", description="该职务的领导职数。")


class InstitutionalStaff(Strict):
    name: Text = Field(title="人员类别", description="如 机关后勤服务人员。")
    count: Count = Field(title="事业编制（名）", description="该类人员的事业编制数。")


class Staffing(Strict):
    administrative: Count | None = Field(default=None, title="行政编制（名）", description="机关核定行政编制数；事业单位等没有行政编制的不填，报告中不出现该句。")
    posts: list[Post] = Field(default_factory=list, title="领导职数", description="按报告顺序列出，如 局长1名、副局长2名；没有的不填。")
    section_leaders: Count | None = Field(default=None, title="科级领导职数（名）", description="科级领导职数；与领导职数合计不能超过行政编制；没有的不填。")
    institutional: list[InstitutionalStaff] = Field(
        default_factory=list, title="事业编制", description="如 机关后勤服务人员事业编制1名。"
    )


Weight = Annotated[Decimal, Field(ge=0, le=100, allow_inf_nan=False)]


class Budget(Strict):
    initial: Money = Field(title="年初预算数（万元）", description="单位万元，最多两位小数，如 2931.88。")
    carryover_start: Money | None = Field(default=None, title="年初结转和结余（万元）", description="无结转结余填 0；未载明的不填，报告不提及。")
    adjusted: Annotated[Decimal, Field(gt=0, allow_inf_nan=False)] | None = Field(
        default=None,
        title="全年（调整）预算数（万元）",
        description="单位万元；执行率 = 全年执行数 ÷ 本数，由程序计算；未载明的不填，执行率按年初预算数计算，报告和自评表中留空。",
    )
    adjusted_note: str | None = Field(
        default=None,
        title="调整预算说明",
        description="印在全年（调整）预算数后的括号内，不含括号，如 年末零结转资金不作为预算调整。",
    )
    executed: Money = Field(title="全年执行数（万元）", description="单位万元；可以大于全年（调整）预算数（超额执行），执行率如实计算，得分以权重为上限。")
    carryover_end: Money | None = Field(default=None, title="年末结转和结余（万元）", description="无结转结余填 0；未载明的不填，报告不提及。")
    execution_weight: Weight | None = Field(
        default=None,
        title="预算执行率权重（分）",
        description="通常为 10；与预算构成和各指标权重合计应为 100；自评表没有预算执行率得分项的填 0 或不填。",
    )
    deviation: Deviation | None = Field(
        default=None,
        title="执行率偏差原因",
        description="执行率不等于 100%（未达到或超过）时必填，如 财政资金紧张，支付困难（句中自动加“因”）。",
    )
    parts: list[BudgetPart] = Field(
        default_factory=list,
        title="预算构成",
        description="按基本支出、项目支出等分列；各项之和须等于总数，各项执行率由程序计算；不分列的不填。",
    )


class BudgetPart(Strict):
    name: Text = Field(title="支出类别", description="如 基本支出、项目支出、其他支出。")
    initial: Money = Field(title="年初预算数（万元）", description="该类别的年初预算数。")
    adjusted: Money | None = Field(default=None, title="全年（调整）预算数（万元）", description="有调整时填写；不填则按年初预算数计算执行率。")
    executed: Money = Field(title="全年执行数（万元）", description="该类别的全年执行数。")
    weight: Weight | None = Field(
        default=None,
        title="权重（分）",
        description="自评表为该类别单独计分时填写（如 基本支出 10、项目支出 10），得分按执行率 × 权重计算，以权重为上限；不单独计分的不填。",
    )


class SantongItem(Strict):
    name: Text = Field(title="项目", description="如 公务车运行维护费、国内公务接待。")
    amount: Money = Field(title="支出（万元）", description="该项“三公”经费支出，单位万元。")


class Vehicles(Strict):
    funding: Text = Field(title="资金来源", description="如 非财政拨款资金。")
    purchased: Count = Field(title="购置公务用车（辆）", description="本年购置数。")
    disposed: Count = Field(title="处置公务用车（辆）", description="本年处置数。")
    held: Count = Field(title="保有量（辆）", description="年末保有量。")


class Overseas(Strict):
    groups: Count = Field(title="因公出国（境）团组数（个）", description="无则填 0。")
    people: Count = Field(title="因公出国（境）人数（人次）", description="无则填 0；不少于团组数。")


class Santong(Strict):
    items: list[SantongItem] = Field(title="“三公”经费支出明细", description="总额由各项相加得出，无需填写。")
    budget: Money = Field(title="年初预算（万元）", description="“三公”经费年初预算；增减额及方向由程序计算。")
    change_reason: str | None = Field(
        default=None, title="与预算差异的主要原因", description="印在“主要原因是”之后，如 国内公务接待减少。"
    )
    vehicles: Vehicles | None = Field(default=None, title="公务用车", description="公务用车购置、处置、保有情况；无则不填。")
    overseas: Overseas | None = Field(default=None, title="因公出国（境）", description="因公出国（境）团组数及人数；不填则报告不提及。")


class Phase(Strict):
    name: Text | None = Field(default=None, title="阶段名称", description="如 评价准备阶段；有多个阶段时必填，只有一个阶段且填了起止日期时不印，可不填。")
    start: dt.date | None = Field(default=None, title="开始日期", description="格式 2023-02-28；须不晚于结束日期。")
    end: dt.date | None = Field(default=None, title="结束日期", description="格式 2023-03-18；须不早于开始日期。")
    text: Text = Field(title="阶段工作描述", description=PROSE_HELP)


class Preparation(Strict):
    document: Text = Field(title="依据文件", description="policy_documents 中某个文件的 id。")
    text: Text = Field(title="前期准备描述", description="“文件要求，”之后的文字。")


class Analysis(Strict):
    start: dt.date = Field(title="开始日期", description="格式 2023-02-28；须不晚于结束日期。")
    end: dt.date = Field(title="结束日期", description="格式 2023-03-18；须不早于开始日期。")
    text: Text = Field(title="分析评价描述", description=PROSE_HELP)


class Evaluation(Strict):
    preparation: Preparation = Field(title="前期准备", description="依据文件及前期准备工作的描述。")
    phases: list[Phase] = Field(min_length=1, title="组织实施的阶段", description="按时间顺序列出各阶段，阶段数和“第一个阶段为……”由程序生成；只有一个阶段时印作“本次绩效评价工作于……开展。”。")
    analysis: Analysis = Field(title="分析评价", description="分析评价的起止日期及描述。")


class Kind(str, Enum):
    quantitative = "定量"
    qualitative = "定性"


class Direction(str, Enum):
    at_least = ">="
    at_most = "<="
    equal = "="


# A 定量 target as forms print it: an optional sign, a plain number, an optional unit ("≥6次",
# "≤10个工作日", "≥98%", "=100%"). Full-width signs are what input methods type.
SIGNS = {"≥": ">=", ">=": ">=", "＞＝": ">=", "≤": "<=", "<=": "<=", "＜＝": "<=", "=": "=", "＝": "="}
SIGN_WORDS = {">=": "≥", "<=": "≤", "=": "="}
_SIGNED = re.compile(r"(≥|>=|＞＝|≤|<=|＜＝|=|＝)?\s*(-?\d+(?:\.\d+)?)\s*([^\s\d.=<>≥≤＝＞＜-][^\d=<>≥≤＝＞＜]*)?")


def signed_target(value) -> tuple[str, Decimal, str] | None:
    """("≥" as ">=", 6, "次") for "≥6次"; ("", 6, "") for "6"; None when the text is no such target."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    m = _SIGNED.fullmatch(value.strip())
    if m is None or (m.group(1) is None and m.group(3) is None):
        return None  # a bare number typed as text stays refused: numbers are typed as numbers
    return SIGNS.get(m.group(1) or "", ""), Decimal(m.group(2)), (m.group(3) or "").strip()


class Achievement(str, Enum):
    achieved = "达成"
    partly = "部分达成"
    not_achieved = "未达成"


Coefficient = Annotated[Decimal, Field(ge=0, le=1, allow_inf_nan=False)]


class Judgement(Strict):
    coefficient: Coefficient = Field(
        title="得分系数", description="0 到 1 之间，如 1 表示得满分；无指标值时由评价组评定。"
    )
    basis: Text = Field(
        title="评定依据",
        description="印在“根据……，该指标得…权重分”中，如 评价标准、现场核查和问卷调查结果；检查时逐条列出。",
    )


class Qualitative(Strict):
    achievement: Achievement = Field(
        title="达成情况",
        description="达成（系数 0.8–1）、部分达成（0.6–0.8）或 未达成（0–0.6）。",
    )
    coefficient: Coefficient = Field(title="得分系数", description="须落在达成情况对应的区间内。")


class Override(Strict):
    score: Annotated[Decimal, Field(ge=0, allow_inf_nan=False)] = Field(title="人工评定得分", description="评价组给定的得分，不按规则计算时使用，须写明理由；不能超过权重。")
    reason: Text = Field(title="人工评定理由", description="与规则计算结果不同的理由，必填，印在报告中。")


class Deviation(Strict):
    model_config = ConfigDict(title="偏差原因及改进措施")

    reason: Text = Field(title="偏差原因", description="印在“偏差原因：”之后；结尾句号可写可不写。")
    measure: str | None = Field(default=None, title="改进措施", description="针对偏差的改进措施（可不填）；结尾句号可写可不写。")


class FormIndicator(Strict):
    """One indicator row of the 自评表 (no analysis: that belongs to the report)."""

    name: Text = Field(title="指标名称", description="如 新增科技型企业数量；同一报告内不能重复。")
    weight: Annotated[Decimal, Field(gt=0, le=100, allow_inf_nan=False)] = Field(title="指标权重（分）", description="预算执行率权重、预算构成权重与各指标权重合计应为 100。")
    level1: Text | None = Field(default=None, title="一级指标", description="如 产出指标、效益指标、满意度指标；填写后自评表按一级、二级指标分组合并单元格。")
    level2: Text | None = Field(default=None, title="二级指标", description="如 数量指标、质量指标、时效指标、成本指标、社会效益指标、服务对象满意度指标；须同时填写一级指标。")
    unit: Text | None = Field(default=None, title="计量单位", description="如 家、次、名、个、%；定性指标可不填。")
    kind: Kind = Field(title="指标性质", description="定量 或 定性。")
    direction: Direction | None = Field(
        default=None, title="指标方向", description="定量指标有指标值时必填：>= 越高越好，<= 越低越好，= 等于。"
    )
    target_initial: Figure | None = Field(
        default=None,
        title="年初指标值",
        description="年初设定的目标值（报告未载明则不填）；定量指标可照表写方向和单位，如 \"≥6次\"、\"≤10个工作日\"（须与 direction、unit 一致，未填的由此得出）；定性指标可写文字，如 高、好、合格。",
    )
    target_adjusted: Figure | None = Field(default=None, title="调整指标值", description="无调整则不填；定量指标可写方向和单位，如 \"≥6次\"；定性指标可写文字。")
    actual: Figure | None = Field(default=None, title="全年完成值", description="全年实际完成的数值，单位见计量单位；定性指标可写文字，如 高、满意。")
    core: bool | None = Field(default=None, title="是否核心指标", description="报告未载明则不填。")
    judgement: Judgement | None = Field(
        default=None, title="评价组评定", description="不知道指标值时，记录评定的得分系数及依据。"
    )
    qualitative: Qualitative | None = Field(default=None, title="定性评定", description="定性指标必填。")
    override: Override | None = Field(default=None, title="人工评定得分", description="评价组给定的得分，不按规则计算时使用，须写明理由；不能超过权重。")
    deviation: Deviation | None = Field(default=None, title="偏差原因及改进措施", description="未得满分时必填；得满分时填写的也印在报告和自评表中。")

    @model_validator(mode="before")
    @classmethod
    def _sign_and_unit_from_target(cls, data):
        """A 定量 target typed as the form prints it ("≥6次") gives the direction and the unit
        when those keys are not typed (the field validator below checks them when they are)."""
        if not isinstance(data, dict) or data.get("kind") != Kind.quantitative.value:
            return data
        for key in ("target_initial", "target_adjusted"):
            signed = signed_target(data.get(key))
            if signed is None:
                continue
            sign, _, unit = signed
            if sign and data.get("direction") is None:
                data = {**data, "direction": sign}
            if unit and data.get("unit") is None:
                data = {**data, "unit": unit}
        return data

    @field_validator("target_initial", "target_adjusted", "actual", mode="before")
    @classmethod
    def _words_only_when_qualitative(cls, value, info: ValidationInfo):
        """A word (高、好、合格) is a value only for a 定性 indicator; elsewhere text is not read
        as a number (see Strict), except a target typed with its sign and unit ("≥6次"), which
        must agree with the direction and unit."""
        if isinstance(value, bool):
            raise PydanticCustomError("decimal_type", "a number or a word")
        if isinstance(value, str) and info.data.get("kind") is not Kind.qualitative:
            signed = signed_target(value) if info.field_name != "actual" else None
            if signed is None:
                raise PydanticCustomError("number_as_text", "a number written as text")
            sign, number, unit = signed
            direction, typed_unit = info.data.get("direction"), info.data.get("unit")
            if sign and direction is not None and direction.value != sign:
                raise PydanticCustomError("sign_disagrees", "sign {sign} disagrees with direction {direction}", {"sign": SIGN_WORDS[sign], "direction": direction.value})
            if unit and typed_unit is not None and typed_unit != unit:
                raise PydanticCustomError("unit_disagrees", "unit {unit} disagrees with {typed}", {"unit": unit, "typed": typed_unit})
            return number
        return value


class Indicator(FormIndicator):
    analysis: Text = Field(title="分析", description="得分分析段落（不含“根据评价标准……”一句）。" + PROSE_HELP)


class Goals(Strict):
    initial: str | None = Field(default=None, title="年初绩效目标", description="自评表“年初绩效目标”栏；报告未载明则不填，表中留空。")
    adjusted: str | None = Field(default=None, title="全年（调整）绩效目标", description="自评表“全年（调整）绩效目标”栏；未调整或未载明则不填。")
    achieved: str | None = Field(default=None, title="全年目标实际完成情况", description="自评表“全年目标实际完成情况”栏；未载明则不填。")


class FormInfo(Strict):
    contact: str | None = Field(default=None, title="联系人", description="自评表表头的联系人；未载明则不填，表中留空。")
    phone: str | None = Field(default=None, title="电话", description="联系人电话；未载明则不填，表中留空。")
    leader: Text | None = Field(default=None, title="单位负责人", description="自评表表头的单位负责人（与联系人不同）；表中没有或未载明的不填。")
    finance_office: Text | None = Field(default=None, title="财政处室", description="自评表表头的财政处室，如 行政政法科；表中没有或未载明的不填。")
    implementing_unit: Text | None = Field(default=None, title="实施单位", description="自评表表头的实施单位；表中没有或未载明的不填。")
    goals: Goals = Field(default_factory=Goals, title="年度绩效目标", description="自评表中的年度总体目标及完成情况。")


class Signature(Strict):
    show: Annotated[bool, Field(strict=True)] = Field(default=True, title="是否印落款", description="false 时不印发文机关署名和成文日期（附件说明照印）。")
    name: Text | None = Field(default=None, title="署名", description="发文机关署名；不填则用部门全称。")
    date: dt.date | None = Field(default=None, title="成文日期", description="格式 2023-03-28，印为 2023年3月28日；不填则用分析评价的结束日期。")


class FormContent(Strict):
    """What a 自评表 holds: a file with only these keys is a form-only file (recognised by the
    absence of every narrative part; no marker key). ``make form`` builds its 自评表 (.xlsx and
    .docx); ``make report`` needs the narrative parts of ``Report`` as well."""

    year: Annotated[int, Field(strict=True, ge=2000, le=2100)] = Field(title="年度", description="报告所评价的年度，如 2022；须与文件名（2022.yaml）一致。")
    department: FormDepartment = Field(title="部门", description="部门名称（及简称、主管部门）。")
    budget: Budget = Field(title="财政资金整体支出", description="预算、执行及结转结余（万元）。")
    indicators: list[FormIndicator] = Field(min_length=1, title="绩效指标", description="自评表中预算执行率之后的各项指标，按表中顺序。")
    form: FormInfo = Field(
        default_factory=FormInfo,
        title="自评表补充信息",
        description="只印在自评表中的信息（联系人、电话、单位负责人、财政处室、实施单位、年度目标）；未载明的不填，表中留空。",
    )


class Report(FormContent):
    """The whole report: the form's content and the narrative."""

    department: Department = Field(title="部门", description="部门名称、简称和职级。")
    policy_documents: list[PolicyDocument] = Field(min_length=1, title="依据的文件", description="引言中列出的文件，按报告顺序。")
    internal_units: list[InternalUnit] = Field(min_length=1, title="内设机构", description="按报告顺序列出，编号自动生成。")
    staffing: Staffing | None = Field(default=None, title="编制", description="行政编制、领导职数及事业编制；各项均可不填，不填的不出现在报告中。")
    functions: list[Text] = Field(min_length=1, title="职能职责", description="每条一项，编号自动生成。")
    santong: Santong | None = Field(default=None, title="“三公”经费", description="“三公”经费支出明细、预算、公务用车及因公出国（境）；无则不填。")
    evaluation: Evaluation = Field(title="绩效评价工作开展情况", description="前期准备、组织实施、分析评价。")
    experience: list[Text] = Field(default_factory=list, title="主要经验及做法", description="每条一项，编号自动生成。")
    indicators: list[Indicator] = Field(min_length=1, title="绩效指标", description="表1中预算执行率之后的各项指标，按报告顺序。")
    problems: list[Text] = Field(default_factory=list, title="需重点关注的问题", description="每条一项，编号自动生成；无则整章不出现。")
    suggestions: list[Text] = Field(default_factory=list, title="有关建议", description="每条一项，编号自动生成；无则整章不出现。")
    signature: Signature = Field(
        default_factory=Signature,
        title="落款",
        description="正文（附件说明）之后右对齐的发文机关署名和成文日期（GB/T 9704 7.3.5）；默认部门全称和分析评价结束日期。",
    )


Budget.model_rebuild()

# The parts only a report has: a file without any of them is a form-only file.
NARRATIVE = tuple(k for k in Report.model_fields if k not in FormContent.model_fields)

# Optional keys that may be typed and left blank (``supervisor:``): an unknown cell of the form,
# printed empty. Any other blank is an error (a required one to fill, an optional one to fill or delete).
MAY_BE_BLANK = {
    ("department", "supervisor"),
    ("form", "leader"),
    ("form", "finance_office"),
    ("form", "implementing_unit"),
}
