"""Table 1, the attached self-evaluation form and the indicators' analyses → the indicators.

Names and weights come from Table 1 (or the form), units, kinds, targets, actuals and core flags
from the form when attached, actuals from the analysis sentences otherwise. Scores, 得分率 and
the total printed in the source become Checks, compared with the computed figures later.
"""

from __future__ import annotations

import difflib
import re
from decimal import ROUND_HALF_UP, Decimal

from .keys import ENUM, KEY
from .sections import NUM, OVERRIDE_SENTENCE, SCORE_SENTENCE, UNITS, dec, figure_text, where
from .formread import read_form
from .types import Block, FormRead, Para

K = KEY
# Rows under a form's indicators that sum them (a hand-typed 合计, our 绩效指标小计 and 自评总分):
# derived figures, never indicators.
SUM_ROW = re.compile(r"(合\s*计|小\s*计|总\s*计|绩效指标小计|自评总分)")
# A hand-made 自评表's column headings → the tool's (form.COLUMNS): the common three-level form
# names the indicator 三级指标 and its weight 分值.
FORM_HEADINGS = {
    "三级指标": "指标名称", "分值": "指标权重", "权重": "指标权重", "得分": "指标得分", "指标值": "年初指标值",
    "年度指标值": "年初指标值", "全年实际值": "全年完成值", "实际完成值": "全年完成值", "完成值": "全年完成值",
}


class Figures:
    """Mixed into parse.Parser: reads its tables and builds its indicators."""

    def do_table(self, b: Block) -> bool:
        """Table 1 (指标名称, 权重, 得分, 得分率) or one of the form's tables; False for others."""
        if not b.rows:
            return True
        form = read_form(b)
        if form is not None and (b.source or form.budget or form.parts or form.goals or form.total is not None or form.supervisor is not None):
            self.read_whole_form(b, form)  # a whole 自评表 in one table (or one sheet)
            return True
        if form is None:  # part of a form split over several tables: its header, budget, parts, goals
            form = read_form(b, partial=True)
            if form is not None:
                self.read_whole_form(b, form)
                return True
        return self.known_table(b)  # Table 1, an indicator table, a 偏差原因分析 table

    def known_table(self, b: Block) -> bool:
        """Table 1 or one of this tool's own form tables (as its report's attachment prints them)."""
        for skip, row in enumerate(b.rows[:3]):  # a title row may stand above the header
            head = [re.sub(r"\s+", "", c) for c in row]
            if any(w in c for c in head for w in ("权重", "分值", "计量单位", "偏差原因", "年初绩效目标", "年初预算数")) or head[:1] == ["主管部门"]:
                break
        else:
            return False
        first = skip + 2  # the source's row number of the first row under the header
        if skip:
            b = Block(b.kind, b.number, rows=b.rows[skip:])

        def col(*words):
            return next((i for i, c in enumerate(head) if any(w in c for w in words)), None)

        if (col("计量单位", "指标性质", "一级指标") is not None) and col("指标名称", "三级指标") is not None:
            self.read_form_rows(b, [FORM_HEADINGS.get(c, c) for c in head], first)
            return True
        name, weight, rate = col("指标名称", "指标"), col("权重", "分值"), col("得分率", "系数")
        score = next((i for i, c in enumerate(head) if "得分" in c and "得分率" not in c), None)
        if name is not None and weight is not None:
            for r, row in enumerate(b.rows[1:], start=first):
                cell = lambda i: row[i].strip() if i is not None and i < len(row) else ""  # noqa: E731
                if not cell(name):
                    continue
                self.table1.append({"name": cell(name), "weight": dec(cell(weight)), "score": cell(score), "rate": cell(rate),
                                    "place": f"表{b.number}第{r}行（{cell(name)}）"})
            return True
        if head and head[0] == "主管部门":
            for row in b.rows:
                for label, value in zip(row[::2], row[1::2]):
                    if label.strip() == "主管部门" and value.strip():
                        self.supervisor = value.strip()
                    elif label.strip() == "联系人" and value.strip():
                        self.form_info[K["contact"]] = value.strip()
                    elif label.strip() == "电话" and value.strip():
                        self.form_info[K["phone"]] = value.strip()
                    elif label.strip() == "自评总分" and value.strip():
                        self.check(f"表{b.number}（自评表）", "自评总分", value.strip(), ("indicators",), lambda r, s: _n(s.total))
            return True
        if head[:1] == ["支出类别"]:
            self.form_parts = [row for row in b.rows[1:] if row and row[0].strip()]
            return True
        if "年初预算数（万元）" in head and len(b.rows) > 1:
            row = b.rows[1]
            for i, key in enumerate(("initial", "adjusted", "executed")):  # the form alone: its figures
                if self.budget.get(K[key]) is None and i < len(row) and money(row[i]) is not None:
                    self.budget[K[key]] = money(row[i])
            if len(row) >= 6:
                self.check(f"表{b.number}（自评表）", "执行率", row[3], ("budget",), lambda r, s: _pct(s.execution_rate))
                self.check(f"表{b.number}（自评表）", "执行率得分", row[5], ("budget",), lambda r, s: _n(s.execution.score))
                if self.budget.get(K["execution_weight"]) is None and dec(row[4]) is not None:
                    self.budget[K["execution_weight"]] = dec(row[4])
            return True
        if "年初绩效目标" in head:
            if len(b.rows) > 1:
                goals = {k: v.strip() for k, v in zip((K["initial"], K["adjusted"], K["achieved"]), b.rows[1]) if v.strip()}
                if goals:
                    self.form_info[K["goals"]] = goals
            return True
        if "偏差原因" in head and col("指标名称") is not None:
            for row in b.rows[1:]:
                if len(row) >= 2 and row[0].strip():
                    dev = {K["reason"]: row[1].strip()} | ({K["measure"]: row[2].strip()} if len(row) > 2 and row[2].strip() else {})
                    if row[0].strip() == "预算执行率":
                        self.exec_deviation = dev
                    else:
                        self.form_rows.setdefault(row[0].strip(), {})["deviation"] = dev
            return True
        return False

    def read_whole_form(self, b: Block, form: FormRead) -> None:
        """A 自评表 read by formread: its values into the draft, its claimed figures as Checks,
        every cell it did not understand kept as a comment beside form:."""
        where_ = form.where
        self.forms_read.append(where_)
        name = form.unit or form.titled
        if name and not self.dept_name:
            self.dept_name = name
        if form.year is not None and form.year != self.year:
            self.notes.append(f"{where_}的标题年度为 {form.year}，草稿按指定的 {self.year} 年度写入")
        if form.supervisor is not None and self.supervisor is None:
            self.supervisor = form.supervisor
            self.supervisor_read = True  # kept as read: the department's own name, or a blank cell
        for key in ("contact", "phone", "leader", "finance_office"):
            value = getattr(form, key)
            if value:
                self.form_info.setdefault(K[key], value)
        if form.implementer:
            self.form_info.setdefault(K["implementing_unit"], form.implementer)
        if form.goals:
            self.form_info.setdefault(K["goals"], {K[k]: v for k, v in form.goals.items()})
        if form.total:
            self.check(f"{where_}第{form.rows.get('total', 1)}行", "自评总分", form.total, ("indicators",), lambda r, s: _n(s.total))
        if form.grade:
            self.check(f"{where_}第{form.rows.get('grade', 1)}行", "自评等级", form.grade, ("indicators",), lambda r, s: s.grade)
        at = f"{where_}第{form.budget_row}行"
        for key in ("initial", "adjusted", "executed"):
            if form.budget.get(key) and self.budget.get(K[key]) is None:
                self.budget[K[key]] = money(form.budget[key])
        if form.budget.get("weight") and self.budget.get(K["execution_weight"]) is None:
            self.budget[K["execution_weight"]] = dec(form.budget["weight"])
        if form.budget.get("rate"):
            self.check(at, "执行率", percent_text(form.budget["rate"]), ("budget",), lambda r, s: _pct(s.execution_rate))
        if form.budget.get("score"):
            self.check(at, "执行率得分", form.budget["score"], ("budget",),
                       lambda r, s: None if s.execution is None else _n(s.execution.score))
        if form.budget_deviation:
            self.exec_deviation = {K[k]: v for k, v in form.budget_deviation.items()}
        parts = []
        for i, part in enumerate(form.parts):
            at_part = f"{where_}第{part['row']}行（{part['name']}）"
            entry = {K["name"]: part["name"]}
            for key in ("initial", "adjusted", "executed", "weight"):
                if part.get(key):
                    entry[K[key]] = money(part[key]) if key != "weight" else dec(part[key])
            parts.append(entry)
            if part.get("rate"):
                self.check(at_part, "执行率", percent_text(part["rate"]), ("budget", "parts"),
                           lambda r, s, i=i: _pct_part(r, i))
            if part.get("score"):
                self.check(at_part, "得分", part["score"], ("budget", "parts"), lambda r, s, n=part["name"]: _part_score(s, n))
        if parts and not self.budget.get(K["parts"]):
            self.budget[K["parts"]] = parts
        listed = [row["name"] for row in form.indicators if row.get("weight") or row.get("score")]
        if form.sum_row:
            self.check(f"{where_}第{form.sum_row['row']}行", "合计得分", form.sum_row["score"], ("indicators",),
                       lambda r, s, names=listed: _sum_of(s, names))
        for row in form.indicators:
            at_row = f"{where_}第{row['row']}行（{row['name']}）"
            if row["name"] == "预算执行率" and row.get("reason"):
                self.exec_deviation = {K[k]: row[k] for k in ("reason", "measure") if row.get(k)}
            if row["name"] == "预算执行率":
                if row.get("weight") and self.budget.get(K["execution_weight"]) is None:
                    self.budget[K["execution_weight"]] = dec(row["weight"])
                if row.get("score"):
                    self.check(at_row, "执行率得分", row["score"], ("budget",),
                               lambda r, s: None if s.execution is None else _n(s.execution.score))
                continue
            entry = self.form_rows.setdefault(row["name"], {})
            entry.update({k: v for k, v in row.items() if k not in ("name", "row", "reason", "measure")})
            if "weight" in row or "score" in row or "coefficient" in row:  # a row of the indicator table
                entry["coefficient"] = percent_text(row.get("coefficient", ""))
                entry["place"] = at_row
            if row.get("reason"):
                entry["deviation"] = {K["reason"]: row["reason"]} | ({K["measure"]: row["measure"]} if row.get("measure") else {})
        for number, texts in form.left:
            self.d.note(("form",), f"原文{where_}第{number}行（未能放入任何项）：" + " | ".join(texts))
            self.cells_left += len(texts)

    def read_form_rows(self, b: Block, head: list[str], first: int) -> None:
        idx = {c: i for i, c in enumerate(head)}
        for r, row in enumerate(b.rows[1:], start=first):
            get = lambda c: row[idx[c]].strip() if c in idx and idx[c] < len(row) else ""  # noqa: E731
            name = get("指标名称")
            if not name or name == "预算执行率":  # 预算执行率 is the budget's, not an indicator
                continue
            if SUM_ROW.match(name) or (row and SUM_ROW.match(row[0].strip())):  # 合计, 绩效指标小计, 自评总分…:
                continue  # sums under the indicators (the label spans the first columns), computed
            entry = self.form_rows.setdefault(name, {})
            entry.update(unit=get("计量单位"), kind=get("指标性质"), initial=get("年初指标值"), adjusted=get("调整指标值"),
                         actual=get("全年完成值"), coefficient=get("得分系数"), weight=get("指标权重"), score=get("指标得分"),
                         core=get("是否核心指标"), level1=get("一级指标"), level2=get("二级指标"),
                         place=f"表{b.number}（自评表）第{r}行（{name}）")

    def indicators(self) -> list[dict]:
        names = [row["name"] for row in self.table1 if row["name"] != "预算执行率"]
        names += [n for n in self.form_rows if n not in names and "weight" in self.form_rows[n]]
        by_name = {}
        for heading_name, head, body in self.analyses:
            target = heading_name if heading_name in names or heading_name == "预算执行率" else (
                difflib.get_close_matches(heading_name, names + ["预算执行率"], n=1, cutoff=0.75) or [heading_name])[0]
            if target == "预算执行率":
                self.read_execution(head, body)
                continue
            if target not in names:
                names.append(target)
            by_name[target] = (head, body)
        for stated in list(self.said):  # indicators stated in a sentence: the form's row of that name, or their own
            target = stated if stated in names else (difflib.get_close_matches(stated, names, n=1, cutoff=0.75) or [stated])[0]
            if target != stated:
                self.said[target] = self.said.pop(stated)
            if target not in names:
                names.append(target)
        for row in self.table1:
            if row["name"] == "预算执行率":
                if row["weight"] is not None and self.budget.get(K["execution_weight"]) is None:
                    self.budget[K["execution_weight"]] = row["weight"]
                self.check(row["place"], "得分", row["score"], ("budget",), lambda r, s: _n(s.execution.score))
                self.check(row["place"], "得分率", row["rate"], ("budget",), lambda r, s: _pct(s.execution.rate))
        out = []
        for i, name in enumerate(names):
            out.append(self.indicator(i, name, by_name.get(name)))
        return out

    def read_execution(self, head: Block, body: list[Block]) -> None:
        """预算执行率分析: the budget figures again (compared), the reason and measure, the rate."""
        for b in body:
            f, place = figure_text(b.text), where(b)
            rate, sentence = re.search(r"预算执行率\s*(?:为|是)?\s*" + NUM + r"\s*%", f), SCORE_SENTENCE.search(f)
            if rate is None and sentence is None:
                self.leave(b, "budget")
                continue
            for label, key in (("年初预算数", "initial"), ("全年调整数", "adjusted"), ("预算执行数", "executed")):
                m = re.search(label + r"\s*(?:为)?\s*" + NUM + r"\s*万", f)
                if m and self.budget.get(K[key]) is None:
                    self.budget[K[key]] = dec(m.group(1))
                elif m:
                    self.check(place, label, m.group(1) + "万元", ("budget",), lambda r, s, key=key: _n(getattr(r.budget, key)) + "万元")
            m = re.search(r"[，,]\s*因([^。]{1,200}?)[，,]\s*(?:导致)?预算执行率", b.text)
            if m and not self.exec_deviation:
                self.exec_deviation = {K["reason"]: m.group(1).strip()}
            mm = re.search(r"改进措施[:：]([^。]{1,500})。", b.text)
            if mm and self.exec_deviation and K["measure"] not in self.exec_deviation:
                self.exec_deviation[K["measure"]] = mm.group(1).strip()
            if rate:
                self.check(place, "预算执行率", rate.group(1) + "%", ("budget",), lambda r, s: _pct(s.execution_rate))
            if sentence:
                self.check(place, "预算执行率得分率", sentence.group(3) + "%", ("budget",), lambda r, s: _pct(s.execution.rate))
            self.place(b, ("budget",), figures=True)

    def indicator(self, i: int, name: str, analysis: tuple[Block, list[Block]] | None) -> dict:
        path = ("indicators", i)
        t1 = next((row for row in self.table1 if row["name"] == name), None)
        fr = self.form_rows.get(name, {})
        stated = self.said.get(name)
        if stated is not None and not fr:
            fr = _stated_row(stated)
        ind = {K["name"]: name}
        weight = t1["weight"] if t1 and t1["weight"] is not None else dec(fr.get("weight", ""))
        if weight is None and stated is not None:
            weight = inferred_weight(stated)
            block = stated["block"]
            note = (f"提示：权重原文未载明，按原文第{block.number}段的得分 {stated['score']} 分和评分规则推算为 {_n(weight)} 分，请核对。"
                    if weight is not None else f"提示：权重原文未载明（原文第{block.number}段只写了得分 {stated['score']} 分），请填写 weight。")
            self.d.note(path, note)
        ind[K["weight"]] = weight
        unit = fr.get("unit") or None
        kind = ENUM["定性"] if "定性" in fr.get("kind", "") else ENUM["定量"]
        actual = None
        if fr.get("actual"):
            typed = typed_figure(fr["actual"])
            actual = typed[1] if typed and not typed[0] else None
            if typed and typed[2] and unit is None and kind == ENUM["定量"]:
                unit = typed[2]
        text, rate, deviation = None, None, fr.get("deviation")
        said, override = None, None  # how the score sentence says the score was obtained
        if analysis is not None:
            head, body = analysis
            paras = list(body)
            if paras:
                first = paras.pop(0)
                f = figure_text(first.text)
                m, o = SCORE_SENTENCE.search(f), OVERRIDE_SENTENCE.search(f)
                text = first.text
                if m:
                    rate = m.group(3)
                    self.check(where(first), "得分率", rate + "%", path, _rate_of(name))
                    said = score_basis(first.text[m.start(1):m.end(1)], m.group(2))
                    text = text[: m.start()] + text[m.end():]
                elif o:
                    override = {K["score"]: dec(o.group(1)), K["reason"]: first.text[o.start(2):o.end(2)].strip()}
                    self.check(where(first), "得分", o.group(1) + "分", path, _score_of(name))
                    text = text[: o.start()] + text[o.end():]
                dm = re.search(r"偏差原因[:：]([^。]{1,500})。(?:改进措施[:：]([^。]{1,500})。)?", text)
                if dm:
                    deviation = deviation or ({K["reason"]: dm.group(1).strip()} | ({K["measure"]: dm.group(2).strip()} if dm.group(2) else {}))
                    text = text[: dm.start()] + text[dm.end():]
                text, actual, unit = self.actual_in(text.strip(), actual, unit, name, first.number, path)
                self.place(first, path)
            for b in paras:
                self.left.append(Para(b.number, b.text, path))
                self.d.note(path, f"原文第{b.number}段（未能放入任何项）：{b.text}")
        if stated is not None:
            block = stated["block"]
            if text is None:
                text = stated["analysis"]
                self.place(block, path)
            else:
                self.left.append(Para(block.number, block.text, path))
                self.d.note(path, f"原文第{block.number}段（未能放入任何项）：{block.text}")
            if stated["actual"] is not None and actual is not None and stated["actual"] != actual:
                self.d.note(path, f"提示：原文第{block.number}段的全年完成值 {_n(stated['actual'])} 与自评表的 {_n(actual)} 不同，请核对。")
            self.check(where(block), "得分", stated["score"] + "分", path, _score_of(name))
        if said and said[0] == "qualitative" and not fr.get("kind"):
            kind = ENUM["定性"]  # 评定为“达成”: a 定性 indicator even without the form
        for level in ("level1", "level2"):
            if fr.get(level):
                ind[K[level]] = fr[level]
        qualitative = kind == ENUM["定性"]
        if qualitative and actual is None and fr.get("actual"):
            actual = fr["actual"]  # a word: 高、合格、满意
            if text and text.count(actual) == 1:
                text = text.replace(actual, "{actual}")
        if unit is not None or not qualitative:
            ind[K["unit"]] = unit  # a 定性 indicator without one has none; a 定量 one: check asks
        ind[K["kind"]] = kind
        typed = {src: typed_figure(fr.get(src, "")) for src in ("initial", "adjusted")}
        sign = next((t[0] for t in typed.values() if t and t[0]), None)
        if unit is None and not qualitative:
            unit = next((t[2] for t in typed.values() if t and t[2]), None)

        def target(src):
            cell = fr.get(src, "").strip()
            if typed[src] is not None and not qualitative:
                return typed[src][1]
            return cell if qualitative and cell else None

        targets = {k: target(src) for k, src in (("target_initial", "initial"), ("target_adjusted", "adjusted"))}
        if any(v is not None for v in targets.values()):
            if sign:
                ind[K["direction"]] = ENUM[sign]
            for k, v in targets.items():
                if v is not None:
                    ind[K[k]] = v
        if actual is not None:
            ind[K["actual"]] = actual
        core = CORE.get(re.sub(r"\s+", "", fr.get("core", "")))
        if core is not None:
            ind[K["core"]] = core
        coefficient = self.coefficient(rate, fr, t1, weight)
        if override is not None and coefficient is None and weight:
            by_rule = re.search(r"按评分规则计算为\s*" + NUM + r"\s*分", figure_text(first.text))
            coefficient = dec(by_rule.group(1)) / weight if by_rule else None
        if kind == ENUM["定性"]:
            c = coefficient
            band = None if c is None else ("达成" if c >= Decimal("0.8") else "部分达成" if c >= Decimal("0.6") else "未达成")
            if said and said[0] == "qualitative" and said[1] in ENUM:
                band = said[1]
            ind[K["qualitative"]] = {K["achievement"]: ENUM.get(band) if band else None, K["coefficient"]: c}
        elif all(v is None for v in targets.values()) and coefficient is not None:
            # No target: the evaluators' judgement, on the basis the score sentence names.
            basis = said[1] if said and said[0] == "judgement" else "评价标准"
            ind[K["judgement"]] = {K["coefficient"]: coefficient, K["basis"]: basis}
            if not (said and said[0] == "judgement"):
                how = "表1的得分÷权重" if rate is None and not fr.get("coefficient") else "原文的得分率"
                self.d.note(path, f"提示：原文未载明指标值，得分系数按{how}记为评价组评定，依据写作“评价标准”，请核对。")
        if override is not None:
            ind[K["override"]] = override
        if deviation:
            ind[K["deviation"]] = deviation
        ind[K["analysis"]] = text
        if t1:
            self.check(t1["place"], "得分", t1["score"], path, _score_of(name))
            self.check(t1["place"], "得分率", t1["rate"], path, _rate_of(name))
        if fr.get("place"):
            self.check(fr["place"], "指标得分", fr.get("score", ""), path, _score_of(name))
            self.check(fr["place"], "得分系数", fr.get("coefficient", ""), path, _rate_of(name))
        if analysis is None and stated is None and not self.form_only():
            self.notes.append(f"指标“{name}”没有找到分析段落，请在草稿中补写 analysis")
        return ind

    def coefficient(self, rate: str | None, fr: dict, t1: dict | None, weight) -> Decimal | None:
        """The evaluation group's coefficient where no target is given: the analysis's 该指标得X%权重分,
        else the form's 得分系数, else Table 1's score ÷ weight."""
        for printed in (rate, (fr.get("coefficient") or "").rstrip("%％") or None):
            if printed and dec(printed) is not None:
                return dec(printed) / 100
        if t1 and dec(t1["score"] or "") is not None and weight:
            return dec(t1["score"]) / weight
        return None

    def actual_in(self, text: str, actual, unit, name: str, number: int, path: tuple):
        """The full-year actual written in the analysis (number + unit) becomes {actual}."""
        f = figure_text(text)
        units = "|".join(re.escape(u) for u in ([unit] if unit else UNITS))
        found = [m for m in re.finditer(NUM + r"\s*(" + units + r")", f) if not f[m.end():m.end() + 1] in ("年", "月")]
        if actual is not None:
            hits = [m for m in found if dec(m.group(1)) == actual]
            if len(hits) == 1:
                m = hits[0]
                return text[: m.start(1)] + "{actual}" + text[m.end(1):], actual, unit or m.group(2)
            return text, actual, unit
        values = {(dec(m.group(1)), m.group(2)) for m in found}
        if len(values) == 1:
            m = found[0]
            return text[: m.start(1)] + "{actual}" + text[m.end(1):], dec(m.group(1)), unit or m.group(2)
        if len(values) > 1:
            shown = "、".join(m.group(0) for m in found)
            note = f"指标“{name}”（第{number}段）写有多个数字（{shown}），未判定全年完成值，请填写 actual"
            self.notes.append(note)
            self.d.note(path, f"提示：{note}。")
            units_found = {u for _, u in values}
            if unit is None and len(units_found) == 1:
                unit = units_found.pop()
        return text, None, unit


CORE = {"是": True, "√": True, "✓": True, "★": True, "Y": True, "核心": True, "否": False, "×": False, "N": False}
SIGN = {"≥": "≥", ">=": "≥", "＞＝": "≥", ">": "≥", "＞": "≥", "≤": "≤", "<=": "≤", "＜＝": "≤", "<": "≤", "＜": "≤", "=": "=", "＝": "="}
TYPED = re.compile(r"^(≥|>=|＞＝|≤|<=|＜＝|=|＝|>|<|＞|＜)?\s*(-?\d+(?:\.\d+)?)\s*([^\d\s.,;，；][^\d;；,，]{0,9})?$")


def _stated_row(stated: dict) -> dict:
    """An indicator stated in a sentence, as a form's row would give it (strings, as typed)."""
    sign = {">=": "≥", "<=": "≤", "=": "="}.get(stated["direction"] or "", "")
    row = {"kind": "定量", "unit": stated["unit"] or "", "initial": sign + format(stated["target"], "f"),
           "actual": format(stated["actual"], "f")}
    if stated["weight"] is not None:
        row["weight"] = format(stated["weight"], "f")
    if stated.get("level1"):
        row["level1"] = stated["level1"]
    return row


def inferred_weight(stated: dict) -> Decimal | None:
    """The weight the scoring rule needs to give the stated score: the score itself when the target
    was met; else the nearest half point that gives the stated score back by the rule; else None."""
    from ...content.rounding import half_up

    score, target, actual, direction = dec(stated["score"]), stated["target"], stated["actual"], stated["direction"]
    if score is None or target is None or actual is None:
        return None
    met = actual == target if direction == "=" else actual <= target if direction == "<=" else actual >= target
    if met:
        return score
    if direction == "=" or not target or not actual:
        return None
    ratio = target / actual if direction == "<=" else actual / target
    weight = (score / ratio * 2).quantize(Decimal(1), ROUND_HALF_UP) / 2
    return weight if weight > 0 and half_up(weight * ratio) == half_up(score) else None


def typed_figure(text: str) -> tuple[str, Decimal, str] | None:
    """("≥", 30, "次") for a cell "≥30次"; ("", 96, "%") for "96%"; None for a word or a blank."""
    t = re.sub(r"\s+", "", figure_text(text or "")).replace(",", "")
    m = TYPED.match(t)
    if not m:
        return None
    return SIGN.get(m.group(1) or "", ""), Decimal(m.group(2)), (m.group(3) or "").replace("％", "%")


def money(text: str) -> Decimal | None:
    """A budget cell: 2851.19, 2,851.19, 2851.19万元."""
    return dec(re.sub(r"\s+", "", text or "").removesuffix("万元"))


def percent_text(text: str) -> str:
    """A rate as a percentage: 76% stays; 0.76 (a ratio) becomes 76%; 76 becomes 76%."""
    t = figure_text(text or "").strip()
    if not t or t.endswith("%"):
        return t
    value = dec(t)
    if value is None:
        return t
    if value <= 1 and "." in t:
        value *= 100
    return format(value.normalize(), "f") + "%"


def _pct_part(report, i: int) -> str | None:
    from ...output.compose import part_rate

    parts = report.budget.parts
    rate = part_rate(parts[i]) if i < len(parts) else None
    return None if rate is None else _pct(rate)


def _sum_of(scores, names: list[str]) -> str | None:
    """The 合计 row: the sum of the computed scores of the rows the table lists."""
    rows = {row.name: row for row in scores.indicators} | ({"预算执行率": scores.execution} if scores.execution else {})
    if any(name not in rows for name in names):
        return None
    return _n(sum((rows[name].score for name in names), Decimal(0)))


def _part_score(scores, name: str) -> str | None:
    row = next((p for p in scores.parts if p.name == f"{name}执行率"), None)
    return None if row is None else _n(row.score)


def score_basis(said: str, achievement: str | None) -> tuple[str, str | None]:
    """What the score sentence's 根据…… says: ("qualitative", 达成情况), ("rule", None) for
    评价标准 followed by how the rule reached the score, or ("judgement", the basis as written)."""
    from ...output.compose import RULE_WORDS

    if achievement:
        return "qualitative", achievement.strip()
    said = said.strip()
    head, _, how = re.sub(r"[,，]\s*", "，", said).partition("，")
    if head == "评价标准" and how in RULE_WORDS.values():
        return "rule", None
    return "judgement", said


def _n(value) -> str:
    from ...content.wording import num

    return num(value)


def _pct(value) -> str:
    from ...content.wording import percent

    return percent(value)


def _row(report, scores, name):
    for ind, row in zip(report.indicators, scores.indicators):
        if ind.name == name:
            return row
    return None


def _score_of(name: str):
    return lambda r, s: (lambda row: None if row is None else _n(row.score))(_row(r, s, name))


def _rate_of(name: str):
    return lambda r, s: (lambda row: None if row is None else _pct(row.rate))(_row(r, s, name))
