"""Model + scores → the template's context: every sentence that depends on data, worded here.

The template lays the strings out; section numbers come from ``Numbering``, called by the
template in document order, so a part that is absent takes no number and the rest renumber.
Figures, numerals and dates are worded by ``content/wording.py`` (the placeholders' values use
the same functions); the attachment's figures come from ``form.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from . import form
from ..content.model import CLOSERS, PAUSES, STOPS, FormContent, Report
from ..content.placeholders import fill, values
from ..content.wording import balanced_lines, chinese, count_word, date, form_title, form_title_lines, num, percent, period, char_width, written
from ..content.score import Scored, Scores, part_rate

# ---------------------------------------------------------------- sentence punctuation


def phrase(text: str) -> str:
    """Text the composer continues ("因…，", "主要原因是…。"): a habitual full stop at its end is
    dropped so nothing prints "。。" or "。，" (a trailing pause is refused by validation)."""
    text = text.rstrip()
    while text and text[-1] in STOPS:
        text = text[:-1].rstrip()
    return text


def sentence(text: str) -> str:
    """Text the composer follows with another sentence: ends with a full stop, added if missing,
    so two sentences never run together."""
    text = text.rstrip()
    body = text.rstrip(CLOSERS)
    if body and body[-1] in STOPS + "！？…":
        return text
    if text and text[-1] in PAUSES:
        return text[:-1] + "。"
    return text + "。"


# ---------------------------------------------------------------- section numbers


class Numbering:
    """一、 （一） 1、 （1）: the next number at each level, deeper levels restarting."""

    def __init__(self, level3: str = "、"):
        self.level3 = level3
        self.counts = [0, 0, 0, 0]

    def _next(self, level: int) -> int:
        self.counts[level] += 1
        self.counts[level + 1 :] = [0] * (3 - level)
        return self.counts[level]

    def h1(self) -> str:
        return f"{chinese(self._next(0))}、"

    def h2(self) -> str:
        return f"（{chinese(self._next(1))}）"

    def h3(self) -> str:
        return f"{self._next(2)}{self.level3}"

    def h4(self) -> str:
        return f"（{self._next(3)}）"


# ---------------------------------------------------------------- the context


@dataclass(frozen=True)
class ScoreRow:
    """One line of Table 1, worded."""

    name: str
    weight: str
    score: str
    rate: str


@dataclass(frozen=True)
class AnalysisSection:
    """One indicator's analysis in 三、: its numbered heading and paragraphs."""

    heading: str
    paragraphs: list[str]


def title(report: Report) -> str:
    return f"{report.department.name}{report.year}年度部门整体支出绩效自评报告"


TITLE_CHARS_PER_LINE = 20  # 二号 (22 pt) characters on the 156 mm line


def title_lines(report: Report) -> list[str]:
    """The title broken into balanced lines (GB/T 9704): after the department name or the year,
    whichever makes the longer line shortest. A title that fits one line stays whole."""
    dept, year = report.department.name, f"{report.year}年度"
    return balanced_lines(title(report), [len(dept), len(dept) + len(year)], TITLE_CHARS_PER_LINE)


def intro(report: Report) -> str:
    docs = "、".join(f"《{d.title}》（{d.number}）" for d in report.policy_documents)
    return (
        f"为加强财政资金的管理，提高财政资金的使用效益。根据{docs}文件要求，"
        f"形成{report.year}年度部门整体支出绩效自评报告如下："
    )


def staffing(report: Report) -> list[str]:
    """Only what the content states: no 行政编制 (a 事业单位) or no posts leave no "0名" sentence."""
    s = report.staffing
    if s is None:
        return []
    short = report.department.short_name
    posts = [f"{p.title}{p.count}名" for p in s.posts if p.count]
    posts += [f"科级领导职数{s.section_leaders}名"] if s.section_leaders else []
    head = f"{short}机关核定行政编制{s.administrative}名" if s.administrative else ""
    lines = []
    if head:
        lines.append(f"{head}；设{'，'.join(posts)}。" if posts else f"{head}。")
    elif posts:
        lines.append(f"{short}设{'，'.join(posts)}。")
    lines += [f"{i.name}事业编制{i.count}名。" for i in s.institutional if i.count]
    return lines


def carryover(amount: Decimal | None, when: str) -> str:
    """The carry-over as typed; nothing when it is not known (never "无" for an unknown)."""
    if amount is None:
        return ""
    return f"{when}无结转和结余资金" if amount == 0 else f"{when}结转和结余资金{written(amount)}万元"


def parts(report: Report) -> str:
    """其中，基本支出年初预算数…万元，全年执行数…万元，执行率…%；项目支出…。"""
    out = []
    for p in report.budget.parts:
        adjusted = f"，全年（调整）预算数{written(p.adjusted)}万元" if p.adjusted is not None else ""
        rate = part_rate(p)
        out.append(
            f"{p.name}年初预算数{written(p.initial)}万元{adjusted}，全年执行数{written(p.executed)}万元"
            + (f"，执行率{percent(rate)}" if rate is not None else "")
        )
    return ("其中，" + "；".join(out) + "。") if out else ""


def budget(report: Report) -> str:
    """Only the figures typed: an unknown carry-over or adjusted budget leaves its clause out."""
    b = report.budget
    note = f"（{phrase(b.adjusted_note)}）" if b.adjusted_note else ""
    adjusted = f"全年（调整）预算数为{written(b.adjusted)}万元{note}" if b.adjusted is not None else ""
    clauses = [
        f"{report.year}年财政资金年初预算数为{written(b.initial)}万元",
        carryover(b.carryover_start, "年初"),
        adjusted,
        f"全年执行数{written(b.executed)}万元",
        carryover(b.carryover_end, "年末"),
    ]
    return "，".join(c for c in clauses if c) + "。" + parts(report)


def santong(report: Report, scores: Scores) -> str:
    s = report.santong
    if s is None:
        return ""
    items = "、".join(f"{i.name}{written(i.amount)}万元" for i in s.items if i.amount)
    # The total and the change are sums of typed amounts, exact: printed with the places their
    # figures were typed with (2.40 + 1.60 prints 4.00, beside a budget typed 4.00), never as 4.
    out = [f"{report.year}年“三公”经费支出总额{written(scores.santong_total)}万元" + (f"，其中：{items}。" if items else "。")]
    change = scores.santong_change
    reason = f"，主要原因是{phrase(s.change_reason)}" if s.change_reason else ""
    if change == 0:
        out.append(f"年初预算支出{written(s.budget)}万元，与年初预算持平。")
    else:
        direction = "减少" if change < 0 else "增加"
        out.append(f"年初预算支出{written(s.budget)}万元，比年初预算{direction}{written(abs(change))}万元{reason}。")
    facts = []
    if s.vehicles is not None:
        v = s.vehicles
        facts.append(f"使用{v.funding}购置公务用车{v.purchased}辆、处置公务用车{v.disposed}辆、保有量为{v.held}辆")
    o = s.overseas
    if o is not None:
        facts.append("无因公出国（境）团组数及人数" if o.groups == 0 else f"因公出国（境）团组{o.groups}个、{o.people}人次")
    if facts:
        out.append("本年" + "、".join(facts) + "。")
    return "".join(out)


# How a rule reached its score, in words (keys: score.by_rule's rule names).
RULE_WORDS = {
    "越高越好（达标）": "完成值达到指标值",
    "越高越好（完成值÷指标值）": "按完成值占指标值的比例计分",
    "越高越好（未达标，指标值不大于 0，不按比例）": "完成值未达到指标值，不按比例计分",
    "越低越好（达标）": "完成值未超过指标值",
    "越低越好（指标值÷完成值）": "按指标值与完成值之比计分",
    "越低越好（未达标，指标值为 0，全有或全无）": "完成值超过指标值，不按比例计分",
    "等于指标值（达标）": "完成值等于指标值",
}


def score_sentence(row: Scored, ind=None) -> str:
    """The score, saying how it was obtained: by the rule, the evaluators' judgement (on its stated
    basis) or the evaluation group's override with its reason."""
    share = f"{percent(row.rate)}权重分"
    if row.method == "override" and ind is not None and ind.override is not None:
        by = f"（按评分规则计算为{num(row.by_rule)}分）" if row.by_rule is not None else ""
        return f"经评价组评定，该指标得{num(row.score)}分{by}，理由是{phrase(ind.override.reason)}。"
    if row.method == "judgement" and ind is not None and ind.judgement is not None:
        return f"根据{phrase(ind.judgement.basis)}，该指标得{share}。"
    if row.method == "qualitative" and ind is not None and ind.qualitative is not None:
        return f"根据评价标准，该指标评定为“{ind.qualitative.achievement.value}”，得{share}。"
    how = RULE_WORDS.get(row.rule)
    return f"根据评价标准，{how}，该指标得{share}。" if how else f"根据评价标准，该指标得{share}。"


def deviation_sentences(deviation) -> str:
    if deviation is None:
        return ""
    text = f"偏差原因：{phrase(deviation.reason)}。"
    if deviation.measure:
        text += f"改进措施：{phrase(deviation.measure)}。"
    return text


def execution_paragraph(report: Report, scores: Scores) -> str:
    """Under 100 %: the reference's wording. Over 100 %: the rate as computed, its reason, and the
    cap said in words (the score never exceeds the weight)."""
    b = report.budget
    rate = scores.execution_rate
    reason = f"因{phrase(b.deviation.reason)}，" if b.deviation is not None and rate != 1 else ""
    measure = f"改进措施：{phrase(b.deviation.measure)}。" if b.deviation is not None and b.deviation.measure else ""
    if b.adjusted is not None:
        figures = f"年初预算数为{written(b.initial)}万元，全年调整数为{written(b.adjusted)}万元，预算执行数为{written(b.executed)}万元，"
        basis = ""
    else:  # no adjusted budget typed: the rate is measured against the initial one, and says so
        figures = f"年初预算数为{written(b.initial)}万元，预算执行数为{written(b.executed)}万元，"
        basis = "（按年初预算数计算）"
    text = f"{figures}{reason}预算执行率为{percent(rate)}{basis}。{measure}"
    text += _part_scores(report, scores)
    if scores.execution is None:
        return text
    if scores.over_executed:
        return text + f"根据评价标准，执行率超过100%的按100%计分，该指标得{percent(scores.execution.rate)}权重分。"
    return text + score_sentence(scores.execution)


def _part_scores(report: FormContent, scores: Scores) -> str:
    """The budget parts the form scores on their own, each as Table 1 lists it: its rate (as
    computed, over 100 % too) and its score (capped at its weight)."""
    weighted = [p for p in report.budget.parts if p.weight]
    out = []
    for part, row in zip(weighted, scores.parts):
        cap = "，超过100%的按100%计分" if row.raw >= row.weight and part_rate(part) > 1 else ""
        out.append(f"{part.name}执行率为{percent(part_rate(part))}{cap}，得{num(row.score)}分（权重{written(row.weight)}分）。")
    return "".join(out)


def analyses(report: Report, scores: Scores, sep: str, prose: dict | None = None) -> list[AnalysisSection]:
    out = [AnalysisSection(f"1{sep}预算执行率分析", [execution_paragraph(report, scores)])]
    prose = values(report) if prose is None else prose
    for n, (ind, row) in enumerate(zip(report.indicators, scores.indicators), start=2):
        text = sentence(fill(ind.analysis, prose[("indicators", n - 2, "analysis")]))
        # A reason is printed wherever it is given: below full it is required, on a full row the
        # writer chose to state it.
        out.append(AnalysisSection(f"{n}{sep}{ind.name}分析", [text + deviation_sentences(ind.deviation) + score_sentence(row, ind)]))
    return out


def numbered(items: list[str], sep: str) -> list[str]:
    return [f"{i}{sep}{text}" for i, text in enumerate(items, start=1)]


@dataclass(frozen=True)
class FormRow:
    cells: list[str]  # in the order of FormView.columns
    # Per hierarchy column (一级, 二级): "restart" opens a merged group, "continue" joins the one
    # above, "" stands alone. Empty when the form has no hierarchy.
    merge: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class FormView:
    """The attachment: the self-evaluation form, every cell worded for print ("" = left blank)."""

    title: str
    title_lines: str  # the title on the landscape page, broken into balanced lines ("\n")
    header: list[list[str]]  # label, value, label, value
    budget_columns: list[str]
    budget: list[str]
    parts_columns: list[str]
    parts: list[list[str]]  # one row per budget part (基本支出, 项目支出…); empty when not split
    parts_scored: bool  # the parts carry their own 权重 and 得分 (two more columns)
    goal_columns: list[str]
    goals: list[str]
    columns: list[str]
    rows: list[FormRow]
    totals: list[list[str]]  # label, 指标权重, 指标得分: the indicators' subtotal, then the 自评总分
    hierarchy: bool  # rows grouped under 一级/二级指标 (two more columns, merged cells)
    deviation_columns: list[str]
    deviations: list[list[str]]


def _opt(value: Decimal | str | None, sign: str = "") -> str:
    if value is None:
        return ""
    return written(value) if isinstance(value, str) else f"{sign}{written(value)}"


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("是" if value else "否")


def merges(values: list[str | None]) -> list[str]:
    """Vertical merge states for one column: equal neighbours (not blank) form one cell."""
    out = []
    for i, v in enumerate(values):
        same_above = i > 0 and v and values[i - 1] == v
        same_below = i + 1 < len(values) and v and values[i + 1] == v
        out.append("continue" if same_above else ("restart" if same_below else ""))
    return out


def form_view(report: FormContent, scores: Scores) -> FormView:
    f = form.form(report, scores)
    hierarchy = any(r.level1 for r in f.rows)
    # 二级 merges only inside its 一级 group: the key is the pair.
    level1 = [r.level1 for r in f.rows]
    level2 = [f"{r.level1}\0{r.level2}" if r.level2 else None for r in f.rows]
    m1, m2 = merges(level1), merges(level2)
    rows = []
    for i, r in enumerate(f.rows):
        cells = [
            r.name, r.unit or "", r.kind, _opt(r.target_initial, r.sign), _opt(r.target_adjusted, r.sign),
            _opt(r.actual), percent(r.coefficient), written(r.weight), num(r.score), _yes_no(r.core),
        ]
        if hierarchy:
            top = "" if m1[i] == "continue" else (r.level1 or "")
            second = "" if m2[i] == "continue" else (r.level2 or "")
            rows.append(FormRow([top, second] + cells, [m1[i], m2[i]]))
        else:
            rows.append(FormRow(cells))
    return FormView(
        title=f.title,
        title_lines="\n".join(form_title_lines(report)),
        header=form.header_rows(f),
        budget_columns=list(form.BUDGET_COLUMNS),
        budget=[
            written(f.initial), _opt(f.adjusted), written(f.executed), percent(f.execution_rate),
            _opt(f.execution_weight), "" if f.execution_score is None else num(f.execution_score),
        ],
        parts_columns=list(form.PART_COLUMNS + (form.PART_SCORE_COLUMNS if f.parts_scored else ())),
        parts=[
            [p.name, written(p.initial), _opt(p.adjusted), written(p.executed), "" if p.rate is None else percent(p.rate)]
            + ([_opt(p.weight), "" if p.score is None else num(p.score)] if f.parts_scored else [])
            for p in f.parts
        ],
        parts_scored=f.parts_scored,
        goal_columns=list(form.GOAL_COLUMNS),
        goals=[g or "" for g in f.goals],
        columns=list(form.LEVEL_COLUMNS + form.COLUMNS if hierarchy else form.COLUMNS),
        rows=rows,
        totals=[[label, written(weight), num(score)] for label, weight, score in form.totals(f)],
        hierarchy=hierarchy,
        deviation_columns=list(form.DEVIATION_COLUMNS),
        deviations=[list(d) for d in f.deviations],
    )


BODY_CHARS_PER_LINE = 28


@dataclass(frozen=True)
class Signature:
    """落款 (GB/T 9704 7.3.5.2): the name right-indented two characters, the date on the next line
    starting two characters right of the name's first character; a date longer than that moves the
    name right instead. Indents are in body characters (a Latin digit is half of one)."""

    name: str
    date: str
    name_indent: Decimal
    date_indent: Decimal


def signature(report: Report) -> Signature | None:
    s = report.signature
    if not s.show:
        return None
    return place_signature(s.name or report.department.name, date(s.date or report.evaluation.analysis.end))


def place_signature(name: str, when: str) -> Signature:
    """The 落款's two lines and their indents, for any sender (a department, the bureau)."""
    name_w, date_w = Decimal(str(char_width(name))), Decimal(str(char_width(when)))
    date_indent = max(Decimal(2), name_w - date_w)
    name_indent = date_indent + date_w + 2 - name_w
    # A name too long for the line keeps no indent rather than a negative one.
    room = BODY_CHARS_PER_LINE - name_w
    return Signature(name, when, max(Decimal(0), min(name_indent, room)), date_indent)


def attachment_note(report: Report) -> str:
    """附件说明 (GB/T 9704 7.3.4): the attachment's name, without 书名号 or a closing mark."""
    return f"附件：{form_title(report).strip('《》')}"


def context(report: Report, scores: Scores, level3: str = "、") -> dict:
    """Everything the template prints, already worded."""
    numbering = Numbering(level3)
    dept = report.department
    ev = report.evaluation
    form_name = form_title(report)
    prose = values(report)  # what each placeholder prints where (placeholders.py)
    docs = {d.id: d for d in report.policy_documents}
    prep_doc = docs[ev.preparation.document]
    phases = []
    for i, p in enumerate(ev.phases, start=1):
        text = fill(p.text, prose[("evaluation", "phases", i - 1, "text")])
        if len(ev.phases) == 1:  # one phase is not "分为一个阶段：第一个阶段为……"
            when = f"于{period(p.start, p.end)}开展" if p.start is not None and p.end is not None else f"为{phrase(p.name)}"
            phases.append(f"本次绩效评价工作{when}。{text}")
        else:
            phases.append(f"第{chinese(i)}个阶段为{phrase(p.name)}，{text}")
    return {
        "title": "\n".join(title_lines(report)),  # docxtpl prints \n as a line break
        "h1": numbering.h1,
        "h2": numbering.h2,
        "h3": numbering.h3,
        "h4": numbering.h4,
        "intro": intro(report),
        "rank": f"{dept.name}是{phrase(dept.rank)}。",
        "units_heading": "内设机构及编制" if staffing(report) else "内设机构",
        "units_lead": f"{dept.name}设下列内设机构：",
        "units": [f"（{i}）{phrase(u.name)}。{u.duties}" for i, u in enumerate(report.internal_units, start=1)],
        "staffing": staffing(report),
        "functions": [f"（{i}）{f}" for i, f in enumerate(report.functions, start=1)],
        "budget": budget(report),
        "santong": santong(report, scores),
        "preparation": f"根据《{prep_doc.title}》（{prep_doc.number}）文件要求，{ev.preparation.text}",
        "phases_lead": f"本次绩效评价工作分为{count_word(len(ev.phases))}个阶段：" if len(ev.phases) > 1 else "",
        "phases": phases,
        "analysis": fill(ev.analysis.text, prose[("evaluation", "analysis", "text")]),
        "experience": numbered(report.experience, level3),
        "conclusion": (
            f"根据{form_name}中的指标体系分析情况，{dept.name}{report.year}年度部门整体支出绩效自评总得分"
            f"{num(scores.total)}分，等级为“{scores.grade}”。具体得分情况如表1所示。"
        ),
        "table_caption": "表 1：指标得分情况",
        "table": [ScoreRow(r.name, written(r.weight), num(r.score), percent(r.rate)) for r in scores.rows],
        "analyses": analyses(report, scores, level3, prose),
        "problems": numbered(report.problems, level3),
        "suggestions": numbered(report.suggestions, level3),
        "form": form_view(report, scores),
        "attachment_note": attachment_note(report),
        "signature": signature(report),
    }


def form_context(report: FormContent, scores: Scores) -> dict:
    """The standalone 自评表 (.docx, templates/form.docx): the attachment alone, landscape."""
    return {"form": form_view(report, scores)}


def figures(report: FormContent, scores: Scores) -> dict[str, str]:
    """The figures a reviewer checks, labelled and printed as the report prints them."""
    b = report.budget
    out = {"年初预算数": f"{written(b.initial)}万元"}
    if b.adjusted is not None:
        out["全年（调整）预算数"] = f"{written(b.adjusted)}万元"
    out["全年执行数"] = f"{written(b.executed)}万元"
    out["预算执行率"] = percent(scores.execution_rate)
    if scores.execution is not None:
        out["预算执行率得分"] = num(scores.execution.score)
    for row in scores.parts:
        out[f"{row.name}得分"] = num(row.score)
    if getattr(report, "santong", None) is not None:
        change = scores.santong_change
        out["“三公”经费支出总额"] = f"{written(scores.santong_total)}万元"
        out["“三公”经费比年初预算"] = "持平" if change == 0 else f"{'减少' if change < 0 else '增加'}{written(abs(change))}万元"
    for ind, row in zip(report.indicators, scores.indicators):
        if ind.actual is not None:
            out[f"{ind.name} 全年完成值"] = written(ind.actual) + (ind.unit or "")
        out[f"{ind.name} 得分"] = num(row.score)
        out[f"{ind.name} 得分率"] = percent(row.rate)
    out["总分"] = num(scores.total)
    out["等级"] = scores.grade
    return out
