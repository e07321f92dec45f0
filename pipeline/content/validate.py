"""The loaded tree → a typed ``Report``, and every rule that spans fields, with YAML locations.

All problems are collected and returned at once; nothing is raised to the caller.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import types
import typing
from decimal import Decimal
from enum import Enum

from pydantic import BaseModel, ValidationError

from pathlib import PurePath

from .model import LEVELS, MAY_BE_BLANK, NARRATIVE, PAUSES, RENAMED_VALUES, FormContent, Kind, Report
from .placeholders import NAMES as PLACEHOLDER_NAMES
from ..paths import DEPT, SUMMARY
from .placeholders import NEAR_PLACEHOLDER, PLACEHOLDER, values
from ..problems import Finding, Problem, Severity

Loc = tuple  # a path into the tree: keys and list indexes

# ---------------------------------------------------------------- locations


def locate(tree, loc: Loc, *, key: bool = False) -> tuple[int, int]:
    """1-based line and column of the value at ``loc`` (or of its key, with ``key=True``).

    Walks as far as the tree goes; a missing tail points at the deepest existing parent.
    """
    node, where = tree, (0, 0)
    for i, seg in enumerate(loc):
        last = i == len(loc) - 1
        lc = getattr(node, "lc", None)
        if isinstance(node, dict) and seg in node and lc is not None:
            line, col = lc.key(seg) if (key and last) else lc.value(seg)
            where = (line, col)
            node = node[seg]
        elif isinstance(node, list) and isinstance(seg, int) and 0 <= seg < len(node) and lc is not None:
            where = lc.item(seg)
            node = node[seg]
        elif isinstance(seg, str) and not isinstance(node, (dict, list)):
            continue  # a segment the data does not have (e.g. a union branch): skip it
        else:
            break
    return where[0] + 1, where[1] + 1


def dotted(loc: Loc) -> str:
    out = ""
    for seg in loc:
        out += f"[{seg + 1}]" if isinstance(seg, int) else (f".{seg}" if out else str(seg))
    return out


# ---------------------------------------------------------------- model errors


def _unwrap(annotation):
    """The model class inside list[...], X | None, Annotated[...]; or None."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (list, typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found = _unwrap(arg)
            if found is not None:
                return found
        return None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _model_at(loc: Loc, root: type[BaseModel] = Report) -> type[BaseModel] | None:
    model: type[BaseModel] | None = root
    for seg in loc:
        if isinstance(seg, int):
            continue
        if model is None or seg not in model.model_fields:
            return None
        model = _unwrap(model.model_fields[seg].annotation)
    return model


def _field_title(loc: Loc) -> str:
    parent = _model_at(loc[:-1]) if loc else None
    if parent is not None and isinstance(loc[-1], str) and loc[-1] in parent.model_fields:
        return parent.model_fields[loc[-1]].title or ""
    return ""


_TYPE_MESSAGES = {
    "string_type": "应为文字（纯数字、日期、true/false 作文字时请加引号）",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "decimal_type": "应为数字",
    "decimal_parsing": "应为数字（不要带千分位逗号、单位或百分号）",
    "finite_number": "应为有限的数字",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "date_type": "应为日期，如 2023-03-18",
    "date_parsing": "应为日期，如 2023-03-18",
    "date_from_datetime_parsing": "应为日期，如 2023-03-18",
    "date_from_datetime_inexact": "应为日期（不含时间），如 2023-03-18",
    "list_type": "应为列表（每项以“- ”开头）",
    "model_type": "应为键值对（每行“键: 值”）",
    "model_attributes_type": "应为键值对（每行“键: 值”）",
    "dict_type": "应为键值对（每行“键: 值”）",
    "too_short": "不能为空",
    "string_too_short": "不能为空",
    "decimal_max_places": "小数位数过多",
}


def _describe(error: dict) -> str:
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "missing":
        return "缺少必填项"
    if kind == "greater_than_equal":
        bound = ctx.get("ge")
        return "不能为负数" if str(bound) in ("0", "0.0") else f"不能小于 {bound}"
    if kind == "greater_than":
        bound = ctx.get("gt")
        return "必须大于 0" if str(bound) in ("0", "0.0") else f"必须大于 {bound}"
    if kind == "less_than_equal":
        return f"不能大于 {ctx.get('le')}"
    if kind == "less_than":
        return f"必须小于 {ctx.get('lt')}"
    if kind == "enum":
        allowed = "、".join(re.findall(r"'([^']*)'", str(ctx.get("expected", "")))) or str(ctx.get("expected", ""))
        given = str(error.get("input", ""))
        renamed = next((m[given] for m in RENAMED_VALUES.values() if given in m), None)
        return f"应为以下之一：{allowed}" + (f"（“{given}”现写作“{renamed}”）" if renamed else "")
    if kind == "literal_error":
        return f"应为以下之一：{ctx.get('expected', '')}"
    if kind == "number_as_text":
        hint = number_hint(str(error.get("input", "")))
        loc = error.get("loc") or ()
        if not hint and "indicators" in loc and loc[-1] in ("target_initial", "target_adjusted", "actual"):
            hint = "（定量指标只写数字；以文字评定的指标（高、好、合格）请写 kind: 定性 并填写 qualitative）"
        return "应为数字" + hint
    if kind == "sign_disagrees":
        return f"指标值的方向“{ctx.get('sign')}”与 direction“{ctx.get('direction')}”不符：请改正其一（填了带方向的指标值，direction 可不填）"
    if kind == "unit_disagrees":
        return f"指标值的单位“{ctx.get('unit')}”与 unit“{ctx.get('typed')}”不符：请改正其一（填了带单位的指标值，unit 可不填）"
    if kind == "date_as_number":
        return "应为日期，如 2023-03-18（不能写成数字）"
    if kind == "invalid_key":
        return "键应为英文名称，如 year"
    if kind in _TYPE_MESSAGES:
        given = error.get("input")
        wide = re.match(r"[A-Za-z_][A-Za-z0-9_-]*(?=[ \u3000]*：)", given) if isinstance(given, str) else None
        if wide and kind in ("model_type", "model_attributes_type", "dict_type"):  # "reason：…" typed with an input method
            return f"{_TYPE_MESSAGES[kind]}：键“{wide.group(0)}”后是全角冒号“：”，请改为半角冒号加空格，如 {wide.group(0)}: …"
        return _TYPE_MESSAGES[kind]
    return f"取值无效（{error.get('msg', kind)}）"


_WIDE_DIGITS = re.compile(r"[０-９．，％－＋]|[^\x00-\x7f](?<=\d)")
_CHINESE_NUMERALS = re.compile("[零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟]")


def number_hint(text: str) -> str:
    """Why a value typed as text is not read as a number: said, never guessed."""
    plain = text.strip()
    if _WIDE_DIGITS.search(plain):
        return "（含全角或非拉丁数字、符号，请改用半角：0–9 . - ）"
    if "%" in plain:
        return "（不要带百分号，如 42.42% 写作 42.42）"
    if re.search(r"\d[,_ \u00a0\u3000']\d", plain):
        return "（不要用逗号、空格等分隔千位，如 1209.56）"
    if re.fullmatch(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?", plain):
        return "（数字不要加引号，也不要带空格）"
    if re.search(r"\d", plain):
        return "（只写数字，不要带单位或文字）"
    if _CHINESE_NUMERALS.search(plain):
        return "（请用阿拉伯数字，如 2931.88）"
    return ""


def _shown(value) -> str:
    if isinstance(value, (dict, list)):
        return ""
    # One message, one line: line breaks and tabs in the value are shown, not performed.
    text = str(value).replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")
    if len(text) > 30:
        text = text[:30] + "…"
    return f"（当前为“{text}”）"


def blanks(tree, loc: Loc = ()) -> list[Loc]:
    """Where the file has a key or item with no value (``key:`` or ``~``): left to fill."""
    if isinstance(tree, dict):
        pairs = tree.items()
    elif isinstance(tree, list):
        pairs = enumerate(tree)
    else:
        return []
    out = []
    for key, value in pairs:
        if value is None and loc + (key,) in MAY_BE_BLANK:
            continue  # an unknown cell of the form, typed as such: printed empty
        out += [loc + (key,)] if value is None else blanks(value, loc + (key,))
    return out


# ---------------------------------------------------------------- form-only files


def form_only(tree) -> bool:
    """A file without any narrative part (model.NARRATIVE, a department's rank, an indicator's
    analysis) holds only a 自评表: it is checked as ``FormContent``. No marker key is needed."""
    if not isinstance(tree, dict) or any(key in tree for key in NARRATIVE):
        return False
    department, indicators = tree.get("department"), tree.get("indicators")
    if isinstance(department, dict) and "rank" in department:
        return False
    return not (isinstance(indicators, list) and any(isinstance(i, dict) and "analysis" in i for i in indicators))


def narrative_missing(tree, path: str) -> list[Problem]:
    """What a report needs beyond a form-only file's content: one located problem per missing
    narrative part (the analyses of all indicators are one part), not one per blank."""
    from .model import Department, Indicator

    out: list[Problem] = []
    tail = "：生成报告还须填写此部分（只有自评表的文件可用 make form 生成自评表）"
    if not isinstance(tree, dict):
        return out
    for key in NARRATIVE:
        field = Report.model_fields[key]
        if field.is_required() and key not in tree:
            out.append(Problem(path, 1, 1, f"{key}（{field.title}）{tail}"))
    department = tree.get("department")
    if isinstance(department, dict):
        keys = [k for k, f in Department.model_fields.items() if f.is_required() and k not in department]
        if keys:
            names = "、".join(f"{k}（{Department.model_fields[k].title}）" for k in keys)
            out.append(Problem(path, *locate(tree, ("department",), key=True), f"department：{names}{tail}"))
    indicators = tree.get("indicators")
    if isinstance(indicators, list):
        lacking = sum(1 for i in indicators if isinstance(i, dict) and "analysis" not in i)
        if lacking:
            title = Indicator.model_fields["analysis"].title
            out.append(Problem(path, *locate(tree, ("indicators",), key=True), f"indicators：{lacking} 项指标的 analysis（{title}）{tail}"))
    return out


def root_of(tree) -> type[FormContent]:
    return FormContent if form_only(tree) else Report


def _blank_message(loc: Loc, root) -> str:
    title = _field_title(loc)
    what = f"{dotted(loc)}" + (f"（{title}）" if title else "")
    if _optional(loc, root):
        return what + "：未填写（不适用的可选项请删除该键）"
    return what + "：未填写（必填项，请填写）"


def model_problems(tree, path: str, root: type[FormContent] = Report) -> tuple[FormContent | None, list[Problem]]:
    empty = blanks(tree)
    problems = [Problem(path, *locate(tree, loc, key=True), _blank_message(loc, root)) for loc in empty]
    try:
        report = root.model_validate(tree)
        return (None, problems) if problems else (report, [])
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            loc = tuple(error["loc"])
            kind = error["type"]
            if any(loc[: len(blank)] == blank for blank in empty):
                continue  # already reported as 未填写
            if kind == "extra_forbidden":
                line, col = locate(tree, loc, key=True)
                model = _model_at(loc[:-1], root)
                known = list(model.model_fields) if model else []
                near = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
                hint = f"，是否应为“{near[0]}”？" if near else f"；此处可用的键：{'、'.join(known)}"
                problems.append(Problem(path, line, col, f"{dotted(loc)}：未知的键“{loc[-1]}”{hint}"))
                continue
            if kind == "invalid_key":
                line, col = locate(tree, loc, key=True)
                where = dotted(loc[:-1]) or "文件内容"
                problems.append(Problem(path, line, col, f"{where}：键“{loc[-1]}”不是文字，键应为英文名称，如 year"))
                continue
            if kind == "missing":
                line, col = locate(tree, loc[:-1], key=True) if len(loc) > 1 else (1, 1)
                title = _field_title(loc)
                problems.append(
                    Problem(path, line, col, f"{dotted(loc)}：缺少必填项“{loc[-1]}”" + (f"（{title}）" if title else ""))
                )
                continue
            line, col = locate(tree, loc)
            title = _field_title(loc)
            label = (dotted(loc) or "文件内容") + (f"（{title}）" if title else "")
            shown = "" if kind.startswith(("model", "dict", "list")) else _shown(error.get("input"))
            problems.append(Problem(path, line, col, f"{label}：{_describe(error)}{shown}"))
        return None, _dedupe(problems)


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen, out = set(), []
    for p in problems:
        if (p.line, p.col, p.message) not in seen:
            seen.add((p.line, p.col, p.message))
            out.append(p)
    return out


# ---------------------------------------------------------------- cross-field rules



def rules(report: FormContent) -> list[Finding]:
    """Rules that span fields, as findings on content paths."""
    found: list[Finding] = []
    narrative = report if isinstance(report, Report) else None  # a form-only file has no narrative

    def err(loc: Loc, message: str, key: bool = False) -> None:
        found.append(Finding(loc, message, at_key=key))

    # Weights: budget execution + budget parts scored on their own + indicators = 100.
    b = report.budget
    execution = b.execution_weight or Decimal(0)
    parts = sum((p.weight for p in b.parts if p.weight), Decimal(0))
    total = execution + parts + sum((i.weight for i in report.indicators), Decimal(0))
    if total != 100:
        terms = ([f"预算执行率 {_plain(execution)}"] if b.execution_weight else []) + ([f"预算构成 {_plain(parts)}"] if parts else [])
        err(
            ("indicators",),
            f"权重合计应为 100，现为 {_plain(total)}（" + " + ".join(terms + [f"各指标 {_plain(total - execution - parts)}"]) + "）",
            True,
        )

    # Parts that exceed their totals. The executed amount may exceed the budget (over-execution
    # is a fact: the rate is printed as computed and the score capped at the weight).
    if b.adjusted_note and b.adjusted is None:
        err(("budget", "adjusted_note"), "调整预算说明印在全年（调整）预算数之后：没有填写 adjusted 时不会印出，请填写 adjusted 或删去 adjusted_note")
    if None not in (b.carryover_end, b.adjusted, b.carryover_start) and b.carryover_end > b.adjusted + b.carryover_start:
        err(("budget", "carryover_end"), "年末结转和结余大于全年（调整）预算数与年初结转结余之和")
    if b.parts:
        sums = [
            ("initial", "年初预算数", sum((p.initial for p in b.parts), Decimal(0)), b.initial),
            ("executed", "全年执行数", sum((p.executed for p in b.parts), Decimal(0)), b.executed),
        ]
        if b.adjusted is not None:
            sums.insert(1, ("adjusted", "全年（调整）预算数", sum((p.adjusted if p.adjusted is not None else p.initial for p in b.parts), Decimal(0)), b.adjusted))
        for key, title, total, stated in sums:
            if total != stated:
                terms = " + ".join(_plain(getattr(p, key) if getattr(p, key) is not None else p.initial) for p in b.parts)
                err(("budget", "parts"), f"预算构成各项的{title}之和 {terms} = {_plain(total)}，与 budget.{key} {_plain(stated)} 不符", True)
    seen: set[str] = set()
    for i, ind in enumerate(report.indicators):
        if ind.name in seen:
            err(("indicators", i, "name"), f"指标名称“{ind.name}”重复")
        seen.add(ind.name)
        found.extend(_indicator_rules(ind, ("indicators", i)))
    found.extend(_hierarchy(report))
    if narrative is not None:
        found.extend(_narrative_rules(narrative))
    found.extend(_punctuation(report))

    # Placeholders: only the names that the place provides. Every text is checked, since a
    # placeholder where none is filled in, or one mistyped, would print as it stands.
    def check_text(loc: Loc, text: str, allowed: set[str]) -> None:
        if "{" not in text and "｛" not in text:
            return
        offer = "、".join("{" + a + "}" for a in sorted(allowed)) or "无"
        for name in PLACEHOLDER.findall(text):
            if name not in allowed:
                err(loc, f"未知或此处不可用的占位符 {{{name}}}（此处可用：{offer}）")
        for m in NEAR_PLACEHOLDER.finditer(text):
            if m.group(1) in PLACEHOLDER_NAMES and m.group() != "{" + m.group(1) + "}":
                err(loc, f"占位符写法有误：“{m.group()}”应写作“{{{m.group(1)}}}”（半角花括号，中间不留空格）")

    prose = values(narrative, worded=False) if narrative is not None else {}  # which placeholders each text may use (placeholders.py)
    for loc, text in texts(report):
        check_text(loc, text, set(prose.get(loc, ())))
        rare = BEYOND_BMP.search(text)
        if rare:  # printed as written; the reader's fonts decide whether it shows
            found.append(Finding(loc, f"含有扩展区汉字或表情符号“{rare.group()}”（U+{ord(rare.group()):X}），公文常用字体中没有，打印或转 PDF 时可能显示为方框：请确认所用电脑有相应字体，或改用常用字", Severity.warning))

    # Cells of the self-evaluation form that the content leaves blank: listed, never invented.
    def warn(loc: Loc, message: str, key: bool = False) -> None:
        found.append(Finding(loc, message, Severity.warning, at_key=key))

    info = report.form
    header = [("联系人", info.contact), ("电话", info.phone), ("年初绩效目标", info.goals.initial), ("全年目标实际完成情况", info.goals.achieved)]
    blank = [title for title, value in header if not value]
    if blank:
        warn(("form",), f"自评表中将留空：{'、'.join(blank)}（如有，请在 form 中填写）", True)
    for i, ind in enumerate(report.indicators):
        cells = [("年初指标值", ind.target_initial), ("全年完成值", ind.actual), ("是否核心指标", ind.core)]
        blank = [title for title, value in cells if value is None]
        if blank:
            warn(("indicators", i, "name"), f"自评表中指标“{ind.name}”的{'、'.join(blank)}将留空", True)

    return found


def _narrative_rules(report: Report) -> list[Finding]:
    """The rules on the parts only a report has: staffing, 三公, dates, documents."""
    found: list[Finding] = []

    def err(loc: Loc, message: str, key: bool = False) -> None:
        found.append(Finding(loc, message, at_key=key))

    s = report.staffing
    if s is not None and s.administrative is not None:
        leaders = sum(p.count for p in s.posts) + (s.section_leaders or 0)
        if leaders > s.administrative:
            err(("staffing", "administrative"), f"领导职数合计 {leaders} 名，超过行政编制 {s.administrative} 名")
    if report.santong is not None and report.santong.overseas is not None:
        o = report.santong.overseas
        if o.groups > o.people:
            err(("santong", "overseas", "people"), f"因公出国（境）人数 {o.people} 少于团组数 {o.groups}")
        if o.groups == 0 and o.people > 0:
            err(("santong", "overseas", "groups"), "有出国（境）人数但团组数为 0")

    # Dates: each range in order, phases in sequence, all after the year closes.
    ev = report.evaluation
    unnamed = [i for i, p in enumerate(ev.phases) if p.name is None]
    if len(ev.phases) > 1:
        for i in unnamed:
            err(("evaluation", "phases", i), "有多个阶段时，每个阶段须填写 name（阶段名称），报告印作“第…个阶段为……”", True)
    elif unnamed and (ev.phases[0].start is None or ev.phases[0].end is None):
        err(("evaluation", "phases", 0), "只有一个阶段时，须填写起止日期 start、end（印作“本次绩效评价工作于……开展”）或阶段名称 name", True)
    year_end = dt.date(report.year, 12, 31)
    previous_end: tuple[dt.date, Loc] | None = None
    ranges: list[tuple[Loc, dt.date | None, dt.date | None]] = [
        (("evaluation", "phases", i), p.start, p.end) for i, p in enumerate(ev.phases)
    ] + [(("evaluation", "analysis"), ev.analysis.start, ev.analysis.end)]
    for loc, start, end in ranges:
        if (start is None) != (end is None):
            missing = "end" if end is None else "start"
            err(loc + (("start",) if start else ("end",)), f"只填了{'开始' if start else '结束'}日期，请同时填写 {missing}")
            continue
        if start is None:
            continue
        if start > end:
            err(loc + ("end",), f"结束日期 {end} 早于开始日期 {start}")
        if start <= year_end:
            err(loc + ("start",), f"评价工作应在 {report.year} 年度结束之后开展，开始日期为 {start}")
        if previous_end is not None and start < previous_end[0]:
            err(loc + ("start",), f"开始日期 {start} 早于上一阶段的结束日期 {previous_end[0]}")
        previous_end = (end, loc)

    # References and uniqueness.
    ids = [d.id for d in report.policy_documents]
    seen: set[str] = set()  # a set, not ids[:i]: thousands of entries stay linear
    for i, doc_id in enumerate(ids):
        if doc_id in seen:
            err(("policy_documents", i, "id"), f"文件标识“{doc_id}”重复")
        seen.add(doc_id)
    if ev.preparation.document not in ids:
        err(
            ("evaluation", "preparation", "document"),
            f"找不到标识为“{ev.preparation.document}”的依据文件（可用：{'、'.join(ids)}）",
        )

    # A document carried from last year whose title names another year's work.
    for i, d in enumerate(report.policy_documents):
        for named in re.findall(r"(\d{4})年度", d.title):
            if int(named) != report.year:
                found.append(Finding(("policy_documents", i, "title"), f"文件名称中的“{named}年度”与报告年度 {report.year} 不符：是否沿用了上一年度的文件？请核对", Severity.warning))
    return found


def _indicator_rules(ind, loc: Loc) -> list[Finding]:
    out = []
    if ind.kind is Kind.quantitative and ind.unit is None:
        out.append(Finding(loc + ("name",), f"定量指标“{ind.name}”须填写计量单位 unit", at_key=True))
    if ind.kind is Kind.qualitative:
        numbers = [k for k in ("target_initial", "target_adjusted", "actual") if isinstance(getattr(ind, k), Decimal)]
        if numbers or ind.direction is not None:
            keys = "、".join(numbers + (["direction"] if ind.direction is not None else []))
            out.append(Finding(loc + ("kind",), f"定性指标“{ind.name}”按达成情况（qualitative）计分，{keys} 只印在自评表中，不参与计分", Severity.warning))
    if ind.level2 is not None and ind.level1 is None:
        out.append(Finding(loc + ("level2",), "填写了二级指标，须同时填写一级指标 level1", at_key=True))
    return out


def _hierarchy(report: FormContent) -> list[Finding]:
    """Names outside the standard set, a hierarchy on some rows only, a group split in two."""
    out: list[Finding] = []
    inds = report.indicators
    levelled = [i for i, ind in enumerate(inds) if ind.level1 is not None]
    if not levelled:
        return out
    for i, ind in enumerate(inds):
        loc = ("indicators", i)
        if ind.level1 is None:
            out.append(Finding(loc + ("name",), f"其他指标填写了一级指标，指标“{ind.name}”未填写 level1，自评表中该行的一级、二级指标将留空", Severity.warning, at_key=True))
            continue
        if ind.level1 not in LEVELS:
            out.append(Finding(loc + ("level1",), f"一级指标“{ind.level1}”不在常用名称中（{'、'.join(LEVELS)}），请确认", Severity.warning))
        elif ind.level2 is not None and LEVELS[ind.level1] and ind.level2 not in LEVELS[ind.level1]:
            out.append(Finding(loc + ("level2",), f"二级指标“{ind.level2}”不在“{ind.level1}”的常用名称中（{'、'.join(LEVELS[ind.level1])}），请确认", Severity.warning))
    seen: set = set()
    previous = None
    for i, ind in enumerate(inds):
        key = (ind.level1, ind.level2)
        if ind.level1 is not None and key != previous and key in seen:
            out.append(Finding(("indicators", i, "level1"), f"指标“{ind.name}”与前面同属“{'／'.join(k for k in key if k)}”的指标不相邻，自评表中将分两处合并：请把同组指标排在一起", Severity.warning))
        seen.add(key)
        previous = key
    return out


# Texts the composer continues after (it adds "。", "，" or a closing bracket): a full stop at
# their end is dropped by compose; a pause (，；：、) would print as "，，" or "，。", so it is refused.
FRAGMENTS = (
    ("department", "rank"),
    ("budget", "adjusted_note"),
    ("budget", "deviation", "reason"),
    ("budget", "deviation", "measure"),
    ("santong", "change_reason"),
)


def _fragments(report: FormContent):
    for loc in FRAGMENTS:
        value = report
        for seg in loc:
            value = getattr(value, seg, None) if value is not None else None
        if isinstance(value, str):
            yield loc, value
    if isinstance(report, Report):
        for i, u in enumerate(report.internal_units):
            yield ("internal_units", i, "name"), u.name
        for i, p in enumerate(report.evaluation.phases):
            if p.name is not None:
                yield ("evaluation", "phases", i, "name"), p.name
    for i, ind in enumerate(report.indicators):
        if isinstance(report, Report):
            yield ("indicators", i, "analysis"), ind.analysis  # followed by 偏差原因/根据评价标准…
        for part, key in (("deviation", "reason"), ("deviation", "measure"), ("override", "reason"), ("judgement", "basis")):
            value = getattr(getattr(ind, part), key, None) if getattr(ind, part) is not None else None
            if isinstance(value, str):
                yield ("indicators", i, part, key), value


def _punctuation(report: FormContent) -> list[Finding]:
    out = []
    for loc, text in _fragments(report):
        end = text.rstrip()[-1:]
        if end and end in PAUSES:
            out.append(Finding(loc, f"结尾的“{end}”之后报告还会接上标点，将印成“{end}，”或“{end}。”：请删去结尾的“{end}”"))
    return out


BEYOND_BMP = re.compile("[\U00010000-\U0010ffff]")


def texts(model: BaseModel, loc: Loc = ()):
    """(path, text) of every text the content gives, in order."""
    for name in type(model).model_fields:
        yield from _texts_of(getattr(model, name), loc + (name,))


def _texts_of(value, loc: Loc):
    if isinstance(value, str) and not isinstance(value, Enum):
        yield loc, value
    elif isinstance(value, BaseModel):
        yield from texts(value, loc)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _texts_of(item, loc + (i,))


def place(findings: list[Finding], tree, path: str) -> list[Problem]:
    """Findings on content paths → problems with the file's line and column."""
    return [Problem(path, *locate(tree, f.loc, key=f.at_key), f.message, f.severity) for f in findings]


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


# ---------------------------------------------------------------- figures and placeholders as written
#
# The report prints every figure with at most two decimals (四舍五入). A figure typed with more
# would print other than written, so it is refused at its line rather than rounded silently:
# the writer decides the rounding (1209.565 万元 is 12,095,650 元 — which cent was meant?).
# Coefficients print as percentages with two decimals, so they may have four.

FIGURE_PLACES = 2
PLACES_BY_FIELD = {"coefficient": 4}


def figures_as_written(report: BaseModel) -> list[Finding]:
    found = []
    for loc, value in _decimals(report):
        places = PLACES_BY_FIELD.get(loc[-1], FIGURE_PLACES)
        exponent = value.normalize().as_tuple().exponent
        if isinstance(exponent, int) and -exponent > places:
            title = _field_title(loc)
            label = dotted(loc) + (f"（{title}）" if title else "")
            what = "得分系数印作百分数，最多四位小数" if places == 4 else "报告中印两位小数"
            found.append(Finding(loc, f"{label}：“{_plain(value)}”有 {-exponent} 位小数，{what}，不会照写印出：请核对后写为最多 {places} 位小数"))
    return found


def _decimals(value, loc: Loc = ()):
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _decimals(getattr(value, name), loc + (name,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _decimals(item, loc + (i,))
    elif isinstance(value, Decimal):
        yield loc, value


# {actual:.2f}, {actual!r}, {actual}}, {{actual}: a placeholder with a format, a conversion or
# unbalanced braces prints as typed, so it is refused. Balanced doubled braces are plain text.
PLACEHOLDER_LIKE = re.compile(r"([{｛]+)\s*([A-Za-z_][A-Za-z0-9_]*)\s*([:!][^{}｛｝\n]*)?([}｝]+)")


def placeholder_near_misses(report: BaseModel) -> list[Finding]:
    found = []
    for loc, text in texts(report):
        if "{" not in text and "｛" not in text:
            continue
        for m in PLACEHOLDER_LIKE.finditer(text):
            opening, name, extra, closing = m.groups()
            if name not in PLACEHOLDER_NAMES or (extra is None and len(opening) == len(closing)):
                continue  # {actual}, { actual } (named by rules), {{actual}}: not these
            if extra is not None and len(opening) == len(closing) == 2:
                continue  # {{actual:.2f}}: plain text
            why = "占位符中不能写格式或转换（如“:.2f”“!r”），数字按报告的格式自动印出" if extra else "花括号不成对"
            found.append(Finding(loc, f"占位符写法有误：“{m.group()}”{why}，应写作“{{{name}}}”"))
    return found


def validate(tree, path: str, previous=None) -> tuple[FormContent | None, list[Problem]]:
    """Typed model and every located problem, in one pass; the model is None when its shape is wrong.

    The rules that span fields run even when some values are wrong or missing (a misspelt key,
    even a required one, and a weight total that is not 100 are reported together): they run on
    the content without the unknown keys and the optional values that were refused, with a
    stand-in for each required value that is missing or refused, and say nothing about the parts
    those were in (nor, for a figure, about the totals it enters). Scoring's own checks run here
    too, so that scoring, later, cannot fail."""
    root = root_of(tree)
    report, problems = model_problems(tree, path, root)
    if report is not None:
        return report, place(_file_name(report, path) + all_rules(report, previous), tree, path)
    partial, dropped, standins = _without_refused(tree, root)
    if partial is None:
        return None, problems
    refused = dropped + list(standins)
    # The parts a refused value was in say nothing; a text's stand-in ("…") misleads no rule on
    # its siblings (dates, figures), so only the text itself is quiet.
    quiet = [loc if isinstance(standins.get(loc), str) or len(loc) == 1 else loc[:-1] for loc in refused]
    # A money figure that is not known enters sums (the budget parts' totals, 三公): findings on
    # its ancestors say nothing either, and no figure is compared for its magnitude; the weights'
    # total (on "indicators") is quiet whichever weight is unknown.
    figures = [loc for loc in refused if loc[:1] in (("budget",), ("santong",)) and _is_figure(loc, root)]
    totals = {loc[:k] for loc in figures for k in range(len(loc))}
    weights = (("budget", "execution_weight"), ("budget", "parts"))  # besides each indicator's weight
    if any(loc[-1:] == ("weight",) or any(w[: len(loc)] == loc for w in weights) for loc in refused):
        totals.add(("indicators",))  # the weights' total
    money_known = not any(loc[:1] in (("budget",), ("santong",)) for loc in refused)
    found = all_rules(partial, previous if money_known else None, magnitudes_known=money_known)
    found = [f for f in found if not any(f.loc[: len(q)] == q for q in quiet) and f.loc not in totals]
    return None, problems + place(found, tree, path)


def _is_figure(loc: Loc, root) -> bool:
    parent = _model_at(loc[:-1], root) if loc and isinstance(loc[-1], str) else None
    field = parent.model_fields.get(loc[-1]) if parent is not None else None
    return field is not None and _stand_in_of(field.annotation, 0) in (Decimal(1), 1)


def _file_name(report: FormContent, path: str) -> list[Finding]:
    """content/<dept>/<year>.yaml: the year inside must be the year of the file's name, and the
    folder must not take the name of the district summary's files."""
    found = []
    stem = PurePath(path).stem
    if re.fullmatch(r"\d{4}", stem) and int(stem) != report.year:
        found.append(Finding(("year",), f"年度 {report.year} 与文件名 {PurePath(path).name} 不符：报告将按 {report.year} 年度撰写，却放在 {stem} 年度；请改正 year 或文件名"))
    folder = PurePath(path).parent.name
    if folder and not (DEPT.fullmatch(folder) and ".." not in folder):
        found.append(Finding(("department",), f"部门文件夹名“{folder}”不能用作输出文件名：只能含字母、数字、- _ .（不含空格和路径分隔符），如 bishan-kjj；请给文件夹改名", at_key=True))
    if folder == SUMMARY:
        found.append(Finding(("department",), f"部门文件夹名“{SUMMARY}”与全区汇总的文件（build/<年度>/{SUMMARY}.docx）重名，报告会覆盖汇总：请给该部门的文件夹另起名字", at_key=True))
    return found


def _without_refused(tree, root: type[FormContent] = Report, rounds: int = 4) -> tuple[FormContent | None, list[Loc], dict]:
    """The model of ``tree`` without its unknown keys and refused optional values, with a
    stand-in for each required value missing or refused; where those were, and the stand-ins.
    (None, …) when even that does not give a model (the file is not a mapping, the year is wrong)."""
    dropped: list[Loc] = []
    standins: dict[Loc, object] = {}

    def refuse(loc: Loc) -> bool:
        if _optional(loc, root):
            dropped.append(loc)
            return True
        if loc == ("year",) or not loc:
            return False  # every date rule and the stale-notice rule read the year: nothing sound to check
        value = _stand_in_at(loc, root)
        if value is _NONE:
            return False
        standins[loc] = value
        return True

    if not isinstance(tree, dict):
        return None, dropped, standins
    if not all(refuse(loc) for loc in blanks(tree)):
        return None, dropped, standins
    for _ in range(rounds):
        data = _known_only(_pruned(tree, dropped), root)
        for loc, value in standins.items():
            data = _with(data, loc, value)
        try:
            return root.model_validate(data), dropped, standins
        except ValidationError as exc:
            more = []
            for error in exc.errors(include_url=False):
                loc = tuple(error["loc"])
                if error["type"] == "extra_forbidden":
                    continue  # _known_only leaves these out
                keys = [i for i in range(len(loc), 0, -1) if isinstance(loc[i - 1], str) and _optional(loc[:i], root)]
                fields = [i for i in range(len(loc), 0, -1) if _is_field(loc[:i], root)]
                if keys:
                    more.append(loc[: keys[0]])
                elif fields:
                    more.append(("stand-in", loc[: fields[0]]))
                else:
                    return None, dropped, standins
            if not more:
                return None, dropped, standins
            for item in more:
                if item[0] == "stand-in":
                    if item[1] in standins or not refuse(item[1]):
                        return None, dropped, standins
                elif item not in dropped:
                    dropped.append(item)
    return None, dropped, standins


_NONE = object()


def _is_field(loc: Loc, root) -> bool:
    parent = _model_at(loc[:-1], root) if loc and isinstance(loc[-1], str) else None
    return parent is not None and loc[-1] in parent.model_fields


def _stand_in_at(loc: Loc, root):
    parent = _model_at(loc[:-1], root)
    if parent is None or loc[-1] not in parent.model_fields:
        return _NONE
    return _stand_in_of(parent.model_fields[loc[-1]].annotation, 0)


def _stand_in_of(annotation, depth: int):
    """A valid value of ``annotation`` that says nothing: only rules' input, never printed
    (every finding about it or the part it is in is left out)."""
    if depth > 8:
        return _NONE
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _stand_in_of(typing.get_args(annotation)[0], depth)
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            if arg is not type(None):
                value = _stand_in_of(arg, depth)
                if value is not _NONE:
                    return value
        return _NONE
    if origin is list:
        item = _stand_in_of(typing.get_args(annotation)[0], depth + 1)
        return _NONE if item is _NONE else [item]
    if annotation is str:
        return "…"
    if annotation is bool:
        return False
    if annotation is int:
        return 1
    if annotation is Decimal:
        return Decimal(1)
    if annotation is dt.date:
        return dt.date(2100, 1, 1)
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return next(iter(annotation)).value
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        out = {}
        for name, field in annotation.model_fields.items():
            if field.is_required():
                value = _stand_in_of(field.annotation, depth + 1)
                if value is _NONE:
                    return _NONE
                out[name] = value
        return out
    return _NONE


def _with(node, loc: Loc, value):
    """A copy of ``node`` (dicts and lists along ``loc`` only) with ``value`` at ``loc``."""
    if not loc:
        return value
    head, rest = loc[0], loc[1:]
    if isinstance(node, dict):
        out = dict(node)
        out[head] = _with(node.get(head), rest, value) if rest else value
        return out
    if isinstance(node, list) and isinstance(head, int) and 0 <= head < len(node):
        out = list(node)
        out[head] = _with(node[head], rest, value)
        return out
    return node


def _optional(loc: Loc, root: type[BaseModel] = Report) -> bool:
    """Whether the key at ``loc`` may be left out (its field has a default)."""
    parent = _model_at(loc[:-1], root) if loc and isinstance(loc[-1], str) else None
    if parent is None or loc[-1] not in parent.model_fields:
        return isinstance(loc[-1], str) if loc else False  # an unknown key: always left out
    return not parent.model_fields[loc[-1]].is_required()


def _pruned(node, drop: list[Loc], at: Loc = ()):
    """A copy of the tree's dicts and lists without the keys at ``drop``."""
    if not any(d[: len(at)] == at for d in drop):
        return node
    if isinstance(node, dict):
        return {k: _pruned(v, drop, at + (k,)) for k, v in node.items() if at + (k,) not in drop}
    if isinstance(node, list):
        return [_pruned(v, drop, at + (i,)) for i, v in enumerate(node)]
    return node


def all_rules(report: FormContent, previous=None, magnitudes_known: bool = True) -> list[Finding]:
    """The cross-field rules and scoring's checks (an indicator that cannot be scored, a
    shortfall without its reason), as findings; ``previous``: last year's tree, when there is one.
    ``magnitudes_known`` false: a figure is a stand-in, so no figure is compared with another."""
    from .rules import scoring_findings  # scoring's checks are called here and nowhere else

    return (
        rules(report) + figures_as_written(report) + placeholder_near_misses(report) + quoted_values(report)
        + (magnitudes(report) + against_last_year(report, previous) if magnitudes_known else [])
        + scoring_findings(report)
    )


# ---------------------------------------------------------------- mistakes of magnitude
#
# A figure typed in 元 where 万元 belong (12095600 for 1209.56) is a valid number: it passes every
# rule, prints "12095600万元" and an execution rate of 424229.88 % — and raises the score to the
# weight. These warnings name it at its line; ``check --strict`` fails on them.

MAX_RATE = Decimal(3)  # an execution rate above 300 %
MAX_PART_RATE = Decimal(10)  # a budget part's rate above 1000 %
MAX_MONEY = Decimal(1_000_000)  # 万元: 100 亿元 is more than any department's budget
JUMP = Decimal(100)  # more than 100× (or less than 1/100 of) last year's figure
BUDGET_FIGURES = ("initial", "carryover_start", "adjusted", "executed", "carryover_end")
IN_YUAN = "是否误按“元”填写？本表金额单位为万元"


def _about(value: Decimal) -> str:
    """A computed figure for a message, at most two decimals (never an error on extreme values)."""
    text = format(value, ".2f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def magnitudes(report: FormContent) -> list[Finding]:
    from .score import execution_base, part_rate

    found: list[Finding] = []

    def warn(loc: Loc, message: str) -> None:
        found.append(Finding(loc, message, Severity.warning))

    b = report.budget
    money = [(("budget", key), getattr(b, key)) for key in BUDGET_FIGURES]
    money += [(("budget", "parts", i, key), getattr(p, key)) for i, p in enumerate(b.parts) for key in ("initial", "adjusted", "executed")]
    for loc, value in money:
        if value is not None and value >= MAX_MONEY:
            warn(loc, f"{dotted(loc)} 为 {_plain(value)} 万元（{_about(value / 10000)} 亿元），数额异常：{IN_YUAN}")
    base = execution_base(b)
    if base and b.executed / base > MAX_RATE:
        warn(("budget", "executed"), f"预算执行率为 {_about(b.executed / base * 100)}%，超过 {_plain(MAX_RATE * 100)}%：请核对全年执行数与预算数的单位是否一致（{IN_YUAN}）")
    for i, p in enumerate(b.parts):
        rate = part_rate(p)
        if rate is not None and rate > MAX_PART_RATE:
            warn(("budget", "parts", i, "executed"), f"“{p.name}”执行率为 {_about(rate * 100)}%，超过 {_plain(MAX_PART_RATE * 100)}%：请核对其执行数与预算数的单位是否一致")
    santong = getattr(report, "santong", None)
    if santong is not None and base:
        total = sum((item.amount for item in santong.items), Decimal(0))
        if total > base:
            warn(("santong", "items"), f"“三公”经费支出合计 {_plain(total)} 万元，大于部门全部预算 {_plain(base)} 万元：{IN_YUAN}")
        if santong.budget > base:
            warn(("santong", "budget"), f"“三公”经费年初预算 {_plain(santong.budget)} 万元，大于部门全部预算 {_plain(base)} 万元：{IN_YUAN}")
    return found


def against_last_year(report: FormContent, previous) -> list[Finding]:
    """Each budget figure (and each budget part's, by name) against the same figure in last year's
    file (the loaded tree): more than 100 times or less than a hundredth of it is named. Figures
    either year left out, or 0, are not compared."""
    if not isinstance(previous, dict) or not isinstance(previous.get("budget"), dict):
        return []
    last = previous["budget"]
    pairs = [(("budget", key), getattr(report.budget, key), last.get(key)) for key in BUDGET_FIGURES]
    last_parts = {p.get("name"): p for p in last.get("parts") or [] if isinstance(p, dict)}
    for i, part in enumerate(report.budget.parts):
        before = last_parts.get(part.name, {})
        pairs += [(("budget", "parts", i, key), getattr(part, key), before.get(key)) for key in ("initial", "adjusted", "executed")]
    found = []
    for loc, now, then in pairs:
        if isinstance(then, int) and not isinstance(then, bool):
            then = Decimal(then)
        if now is None or not isinstance(then, Decimal) or not now or not then or not then.is_finite():
            continue
        if now > then * JUMP or now * JUMP < then:
            ratio = _about(now / then if now > then else then / now)
            say = f"是上一年度（{_plain(then)} 万元）的 {ratio} 倍" if now > then else f"只有上一年度（{_plain(then)} 万元）的 {ratio} 分之一"
            found.append(Finding(loc, f"{dotted(loc)} 为 {_plain(now)} 万元，{say}：{IN_YUAN}", Severity.warning))
    return found


# A value typed with the quotes around it (short_name: “区科技局”) prints the quotes; a quote
# inside a text (“三公”经费) is the text's own.
QUOTES = {"“": "”", "‘": "’", '"': '"', "'": "'", "「": "」", "『": "』"}


def quoted_values(report: FormContent) -> list[Finding]:
    found = []
    for loc, text in texts(report):
        value = text.strip()
        close = QUOTES.get(value[:1])
        if close and len(value) >= 2 and value.endswith(close) and close not in value[1:-1] and value[:1] not in value[1:-1]:
            found.append(Finding(loc, f"{dotted(loc)} 的值两端带有引号 {value[0]}…{close}，会连同引号印出：请删去两端的引号 {value[0]} 和 {close}（YAML 中的文字不必加引号）"))
    return found


def _known_only(node, model):
    """The tree without the keys ``model`` does not know, at every depth; ``node`` itself when it
    has none."""
    if model is None:
        return node
    if isinstance(node, list):
        items = [_known_only(item, model) for item in node]
        return node if all(a is b for a, b in zip(items, node)) else items
    if not isinstance(node, dict):
        return node
    out, changed = {}, False
    for key, value in node.items():
        if key not in model.model_fields:
            changed = True
            continue
        inner = _known_only(value, _unwrap(model.model_fields[key].annotation))
        changed |= inner is not value
        out[key] = inner
    return out if changed else node


__all__ = ["validate", "place", "locate"]
