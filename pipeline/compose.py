"""Model + scores → the template's context: every sentence that depends on data, worded here.

The template lays the strings out; section numbers come from ``Numbering``, called by the
template in document order, so a part that is absent takes no number and the rest renumber.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from . import form as selfeval
from .model import PLACEHOLDER, Report
from .score import Scored, Scores, half_up

DIGITS = "零一二三四五六七八九"


# ---------------------------------------------------------------- numbers and dates


def num(value: Decimal) -> str:
    """At most two decimals, 四舍五入, trailing zeros dropped: 2931.88, 13.2, 100."""
    text = format(half_up(Decimal(value)), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def percent(ratio: Decimal) -> str:
    return num(ratio * 100) + "%"


def chinese(n: int) -> str:
    """一, 十一, 九十九, 一百零一, 一千零一十, 十万: section numbers and ordinals, any count."""
    if n < 10:
        return DIGITS[n]
    if n < 20:
        return "十" + (DIGITS[n - 10] if n > 10 else "")
    for size, unit in ((10**8, "亿"), (10**4, "万")):
        if n >= size:
            high, low = divmod(n, size)
            return chinese(high) + unit + ("零" if 0 < low < size // 10 else "") + (_chinese_full(low) if low else "")
    return _chinese_full(n)


def _chinese_full(n: int) -> str:
    """1 … 9999 with every unit written (一十 after a higher unit: 一百一十)."""
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, n = divmod(n, value)
        if digit:
            out += ("零" if zero else "") + DIGITS[digit] + unit
            zero = False
        elif out:
            zero = True
    return out


def count_word(n: int) -> str:
    """A count before a measure word: 两个阶段, not 二个阶段."""
    return "两" if n == 2 else chinese(n)


def date(d: dt.date, *, year: bool = True) -> str:
    return (f"{d.year}年" if year else "") + f"{d.month}月{d.day}日"


def period(start: dt.date, end: dt.date) -> str:
    """2023年2月28日至3月18日: the year is written again only when it changes."""
    return f"{date(start)}至{date(end, year=end.year != start.year)}"


def fill(text: str, values: dict[str, str]) -> str:
    """Replace {name} placeholders (validated beforehand) with their values."""
    return PLACEHOLDER.sub(lambda m: values[m.group(1)], text)


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
class Row:
    name: str
    weight: str
    score: str
    rate: str


@dataclass(frozen=True)
class Analysis:
    heading: str
    paragraphs: list[str]


def title(report: Report) -> str:
    return f"{report.department.name}{report.year}年度部门整体支出绩效自评报告"


TITLE_CHARS_PER_LINE = 20  # 二号 (22 pt) characters on the 156 mm line


def _width(text: str) -> float:
    return sum(0.5 if ch.isascii() else 1 for ch in text)


def title_lines(report: Report) -> list[str]:
    """The title broken into balanced lines (GB/T 9704): at a phrase boundary, never mid-word.

    Candidates are the ends of the department name and of the year; the one that makes the
    longer line shortest wins. A title that fits one line stays whole."""
    whole = title(report)
    if _width(whole) <= TITLE_CHARS_PER_LINE:
        return [whole]
    dept, year = report.department.name, f"{report.year}年度"
    cuts = [len(dept), len(dept) + len(year)]
    best = min(cuts, key=lambda cut: max(_width(whole[:cut]), _width(whole[cut:])))
    return [whole[:best], whole[best:]]


def form_title(report: Report) -> str:
    return f"《{report.department.name}{report.year}年度部门整体支出绩效自评表》"


def intro(report: Report) -> str:
    docs = "、".join(f"《{d.title}》（{d.number}）" for d in report.policy_documents)
    return (
        f"为加强财政资金的管理，提高财政资金的使用效益。根据{docs}文件要求，"
        f"形成{report.year}年度部门整体支出绩效自评报告如下："
    )


def staffing(report: Report) -> list[str]:
    s = report.staffing
    posts = [f"{p.title}{p.count}名" for p in s.posts] + [f"科级领导职数{s.section_leaders}名"]
    lines = [f"{report.department.short_name}机关核定行政编制{s.administrative}名；设{'，'.join(posts)}。"]
    lines += [f"{i.name}事业编制{i.count}名。" for i in s.institutional]
    return lines


def carryover(amount: Decimal, when: str) -> str:
    return f"{when}无结转和结余资金" if amount == 0 else f"{when}结转和结余资金{num(amount)}万元"


def budget(report: Report) -> str:
    b = report.budget
    note = f"（{b.adjusted_note}）" if b.adjusted_note else ""
    return (
        f"{report.year}年财政资金年初预算数为{num(b.initial)}万元，{carryover(b.carryover_start, '年初')}，"
        f"全年（调整）预算数为{num(b.adjusted)}万元{note}，全年执行数{num(b.executed)}万元，"
        f"{carryover(b.carryover_end, '年末')}。"
    )


def santong(report: Report, scores: Scores) -> str:
    s = report.santong
    if s is None:
        return ""
    items = "、".join(f"{i.name}{num(i.amount)}万元" for i in s.items if i.amount)
    parts = [f"{report.year}年“三公”经费支出总额{num(scores.santong_total)}万元" + (f"，其中：{items}。" if items else "。")]
    change = scores.santong_change
    reason = f"，主要原因是{s.change_reason}" if s.change_reason else ""
    if change == 0:
        parts.append(f"年初预算支出{num(s.budget)}万，与年初预算持平。")
    else:
        direction = "减少" if change < 0 else "增加"
        parts.append(f"年初预算支出{num(s.budget)}万，比年初预算{direction}{num(abs(change))}万元{reason}。")
    facts = []
    if s.vehicles is not None:
        v = s.vehicles
        facts.append(f"使用{v.funding}购置公务用车{v.purchased}辆、处置公务用车{v.disposed}辆、保有量为{v.held}辆")
    o = s.overseas
    facts.append("无因公出国（境）团组数及人数" if o.groups == 0 else f"因公出国（境）团组{o.groups}个、{o.people}人次")
    parts.append("本年" + "、".join(facts) + "。")
    return "".join(parts)


def score_sentence(row: Scored) -> str:
    return f"根据评价标准，该指标得{percent(row.rate)}权重分。"


def deviation_sentences(deviation) -> str:
    if deviation is None:
        return ""
    text = f"偏差原因：{deviation.reason}。"
    if deviation.measure:
        text += f"改进措施：{deviation.measure}。"
    return text


def analyses(report: Report, scores: Scores, sep: str) -> list[Analysis]:
    b = report.budget
    reason = f"因{b.deviation.reason}，" if b.deviation is not None and not scores.execution.full else ""
    measure = f"改进措施：{b.deviation.measure}。" if b.deviation is not None and b.deviation.measure else ""
    out = [
        Analysis(
            f"1{sep}预算执行率分析",
            [
                f"年初预算数为{num(b.initial)}万元，全年调整数为{num(b.adjusted)}万元，预算执行数为{num(b.executed)}万元，"
                f"{reason}预算执行率为{percent(scores.execution_rate)}。{measure}{score_sentence(scores.execution)}"
            ],
        )
    ]
    form = form_title(report)
    for n, (ind, row) in enumerate(zip(report.indicators, scores.indicators), start=2):
        values = {"form": form}
        if ind.actual is not None:
            values["actual"] = num(ind.actual)
        text = fill(ind.analysis, values)
        shortfall = deviation_sentences(ind.deviation) if not row.full else ""
        out.append(Analysis(f"{n}{sep}{ind.name}分析", [text + shortfall + score_sentence(row)]))
    return out


def numbered(items: list[str], sep: str) -> list[str]:
    return [f"{i}{sep}{text}" for i, text in enumerate(items, start=1)]


@dataclass(frozen=True)
class FormRow:
    cells: list[str]  # in the order of form.COLUMNS


@dataclass(frozen=True)
class FormView:
    """The attachment: the self-evaluation form, every cell worded for print ("" = left blank)."""

    title: str
    header: list[list[str]]  # label, value, label, value
    budget_columns: list[str]
    budget: list[str]
    goal_columns: list[str]
    goals: list[str]
    columns: list[str]
    rows: list[FormRow]
    deviation_columns: list[str]
    deviations: list[list[str]]


def _opt(value: Decimal | None, sign: str = "") -> str:
    return "" if value is None else f"{sign}{num(value)}"


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("是" if value else "否")


def form_view(report: Report, scores: Scores) -> FormView:
    f = selfeval.form(report, scores)
    return FormView(
        title=f.title,
        header=[["主管部门", f.department, "自评总分", num(f.total)], ["联系人", f.contact or "", "电话", f.phone or ""]],
        budget_columns=list(selfeval.BUDGET_COLUMNS),
        budget=[num(f.initial), num(f.adjusted), num(f.executed), percent(f.execution_rate), num(f.execution_weight), num(f.execution_score)],
        goal_columns=list(selfeval.GOAL_COLUMNS),
        goals=[g or "" for g in f.goals],
        columns=list(selfeval.COLUMNS),
        rows=[
            FormRow([
                r.name, r.unit, r.kind, _opt(r.target_initial, r.sign), _opt(r.target_adjusted, r.sign),
                _opt(r.actual), percent(r.coefficient), num(r.weight), num(r.score), _yes_no(r.core),
            ])
            for r in f.rows
        ],
        deviation_columns=list(selfeval.DEVIATION_COLUMNS),
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
    name = s.name or report.department.name
    when = date(s.date or report.evaluation.analysis.end)
    name_w, date_w = Decimal(str(_width(name))), Decimal(str(_width(when)))
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
    form = form_title(report)
    docs = {d.id: d for d in report.policy_documents}
    prep_doc = docs[ev.preparation.document]
    phases = []
    for i, p in enumerate(ev.phases, start=1):
        values = {"form": form}
        if p.start is not None:
            values["period"] = period(p.start, p.end)
        phases.append(f"第{chinese(i)}个阶段为{p.name}，{fill(p.text, values)}")
    return {
        "title": "\n".join(title_lines(report)),  # docxtpl prints \n as a line break
        "h1": numbering.h1,
        "h2": numbering.h2,
        "h3": numbering.h3,
        "h4": numbering.h4,
        "intro": intro(report),
        "rank": f"{dept.name}是{dept.rank}。",
        "units_lead": f"{dept.name}设下列内设机构：",
        "units": [f"（{i}）{u.name}。{u.duties}" for i, u in enumerate(report.internal_units, start=1)],
        "staffing": staffing(report),
        "functions": [f"（{i}）{f}" for i, f in enumerate(report.functions, start=1)],
        "budget": budget(report),
        "santong": santong(report, scores),
        "preparation": f"根据《{prep_doc.title}》（{prep_doc.number}）文件要求，{ev.preparation.text}",
        "phases_lead": f"本次绩效评价工作分为{count_word(len(ev.phases))}个阶段：",
        "phases": phases,
        "analysis": fill(ev.analysis.text, {"form": form, "period": period(ev.analysis.start, ev.analysis.end)}),
        "experience": numbered(report.experience, level3),
        "conclusion": (
            f"根据{form}中的指标体系分析情况，{dept.name}{report.year}年度部门整体支出绩效自评总得分"
            f"{num(scores.total)}分，等级为“{scores.grade}”。具体得分情况如表1所示。"
        ),
        "table_caption": "表 1：指标得分情况",
        "table": [Row(r.name, num(r.weight), num(r.score), percent(r.rate)) for r in scores.rows],
        "analyses": analyses(report, scores, level3),
        "problems": numbered(report.problems, level3),
        "suggestions": numbered(report.suggestions, level3),
        "form": form_view(report, scores),
        "attachment_note": attachment_note(report),
        "signature": signature(report),
    }


def figures(report: Report, scores: Scores) -> dict[str, str]:
    """The figures a reviewer checks, labelled and printed as the report prints them."""
    b = report.budget
    out = {
        "年初预算数": f"{num(b.initial)}万元",
        "全年（调整）预算数": f"{num(b.adjusted)}万元",
        "全年执行数": f"{num(b.executed)}万元",
        "预算执行率": percent(scores.execution_rate),
        "预算执行率得分": num(scores.execution.score),
    }
    if report.santong is not None:
        change = scores.santong_change
        out["“三公”经费支出总额"] = f"{num(scores.santong_total)}万元"
        out["“三公”经费比年初预算"] = "持平" if change == 0 else f"{'减少' if change < 0 else '增加'}{num(abs(change))}万元"
    for ind, row in zip(report.indicators, scores.indicators):
        if ind.actual is not None:
            out[f"{ind.name} 全年完成值"] = num(ind.actual) + ("%" if ind.unit == "%" else ind.unit)
        out[f"{ind.name} 得分"] = num(row.score)
        out[f"{ind.name} 得分率"] = percent(row.rate)
    out["总分"] = num(scores.total)
    out["等级"] = scores.grade
    return out
