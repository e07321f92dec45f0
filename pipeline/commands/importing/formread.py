"""A 自评表 found in a table (a Word table or a spreadsheet's sheet) by its labels, not by fixed
cell positions.

The table is read on its grid (a merged cell's text in every cell it covers, across or down), so
a label can stand in any merged cell and a value is simply the next different text to its right,
or the cell under a column heading. Recognised, in any order and with blank rows between:

- label and value pairs: 单位名称, 主管部门, 财政处室, 实施单位, 自评总分, 自评等级, 联系人, 电话,
  单位负责人 (``FIELDS``);
- the budget block: a heading row with two or more of 年初预算数, 全年（调整）预算数, 全年执行数,
  执行率, then one value row for the total and one per part (基本支出, 项目支出…), each with its
  分值/权重 and 得分 when the form scores it (``BUDGET``);
- the year's goals: 年初绩效目标, 全年（调整）绩效目标, 全年目标实际完成情况 (``GOALS``), the
  values under them or to their right;
- the indicators: a heading row (one or two rows deep) with 指标名称 (or 三级指标) and two or more
  of the columns in ``INDICATOR``; each following row with a name is an indicator, until a row
  that closes the table (合计, 总分, 填表说明…). A row named 预算执行率 is the budget's.

Labels are matched without spaces, brackets' width, a trailing colon or a unit in brackets:
"得分系数(%)", "指标权重（分）", "全年执行数（万元）" are 得分系数, 指标权重, 全年执行数. Values are
kept as the cells show them; figures.py reads the numbers. Every cell with text that is neither a
label nor a value read is returned in ``left`` with its row, so the import can keep it.
"""

from __future__ import annotations

import re

from .types import Block, FormRead

# ---------------------------------------------------------------- the label tables
FIELDS = {
    "unit": ("单位名称", "部门名称", "预算单位", "预算部门", "单位(盖章)", "填报单位"),
    "supervisor": ("主管部门", "主管单位", "主管部门名称"),
    "implementer": ("实施单位", "项目实施单位"),
    "finance_office": ("财政处室", "财政科室", "财政股室", "财政业务科室", "主管科室"),
    "total": ("自评总分", "总分", "自评得分", "综合得分", "总得分", "部门自评得分"),
    "grade": ("自评等级", "评价等级", "等级"),
    "contact": ("联系人", "填表人", "经办人"),
    "phone": ("电话", "联系电话", "联系方式", "电话号码"),
    "leader": ("单位负责人", "负责人", "部门负责人", "单位主要负责人", "单位负责人签字"),
}
BUDGET = {
    "initial": ("年初预算数", "年初预算", "年初预算金额", "年初预算资金", "预算数"),
    "adjusted": ("全年(调整)预算数", "全年预算数", "调整预算数", "调整后预算数", "全年调整预算数", "全年(调整)预算",
                 "全年调整后预算数", "调整后预算"),
    "executed": ("全年执行数", "执行数", "实际投入资金额", "实际支出数", "全年实际支出", "决算数", "实际执行数",
                 "全年实际投入资金额", "全年支出数", "实际支出"),
    "rate": ("执行率", "预算执行率", "资金执行率", "执行率(%)"),
    "weight": ("执行率权重", "分值", "权重", "执行率分值", "权重(分)"),
    "score": ("执行率得分", "得分"),
}
GOALS = {
    "initial": ("年初绩效目标", "年初目标", "年初设定目标"),
    "adjusted": ("全年(调整)绩效目标", "调整后绩效目标", "全年绩效目标", "调整绩效目标"),
    "achieved": ("全年目标实际完成情况", "实际完成情况", "全年实际完成情况", "目标完成情况", "年度目标完成情况", "全年目标完成情况"),
}
INDICATOR = {
    "level1": ("一级指标",),
    "level2": ("二级指标",),
    "name": ("指标名称", "三级指标", "绩效指标名称", "指标内容"),
    "unit": ("计量单位", "单位"),
    "kind": ("指标性质", "性质", "指标类型", "定量/定性", "定性/定量", "定量或定性"),
    "initial": ("年初指标值", "年初目标值", "指标值", "目标值", "年度指标值", "年初值", "年度目标值", "预期指标值"),
    "adjusted": ("调整指标值", "调整后指标值", "全年(调整)指标值", "调整值", "调整后目标值", "全年调整指标值"),
    "actual": ("全年完成值", "实际完成值", "完成值", "全年实际值", "实际值", "全年实际完成值", "实际完成情况"),
    "coefficient": ("得分系数", "得分率", "系数", "完成系数"),
    "weight": ("指标权重", "分值", "权重"),
    "score": ("指标得分", "得分", "自评得分"),
    "core": ("是否核心指标", "核心指标", "是否核心"),
    "reason": ("偏差原因", "偏差原因分析", "未完成原因", "偏差原因分析及改进措施"),
    "measure": ("改进措施",),
}
BLOCK_TITLES = r"(年度|部门整体支出|部门)?绩效指标(完成情况)?|指标完成情况|(部门)?(预算|资金)执行情况|偏差原因分析(及改进措施)?|(当年|年度)绩效目标"
MAX_ROWS, MAX_COLUMNS = 2000, 60
CLOSING = re.compile(r"^(合计|总计|总分|小计|绩效指标小计|自评总分|填表说明|说明|备注|注[:：]|填表人|审核人)")  # 绩效指标小计, 自评总分: this tool's own sum rows
TITLE = re.compile(r"^(.{0,60}?)\s*(\d{4})\s*年度?\s*(?:部门整体支出)?绩效(?:自评|评价)表")


def label(text: str) -> str:
    """A cell's text as a label: no spaces, ASCII brackets, no trailing colon, no unit in brackets."""
    t = re.sub(r"\s+", "", text).replace("（", "(").replace("）", ")").rstrip(":：")
    t = re.sub(r"\((?:万元|元|%|％|分|单位:万元|个|项)\)$", "", t)
    return t.removeprefix("其中:").removeprefix("其中")


def _index(table: dict) -> dict[str, str]:
    return {label(v): key for key, variants in table.items() for v in variants}


FIELD_OF, BUDGET_OF, GOAL_OF, INDICATOR_OF = (_index(t) for t in (FIELDS, BUDGET, GOALS, INDICATOR))


def place_of(block: Block, row: int) -> str:
    """Where a row is, as the user finds it: 表2第5行, or 工作表“Sheet1”第5行."""
    return f"工作表“{block.source}”第{row}行" if block.source else f"表{block.number}第{row}行"


# ---------------------------------------------------------------- reading


def read_form(block: Block, partial: bool = False) -> FormRead | None:
    """The 自评表 in ``block``, or None when the table is not one (no indicator heading row; with
    ``partial``, nor a budget block, goals or two of the header's labels)."""
    grid = (block.grid or block.rows)[:MAX_ROWS]  # a form has a few dozen rows; the rest stays unread
    width = min(max((len(r) for r in grid), default=0), MAX_COLUMNS)
    grid = [list(r[:width]) + [""] * (width - len(r)) for r in grid]
    head = _indicator_head(grid)
    if head is None and partial:
        head = (len(grid), {}, 0)  # no indicators: the blocks above them only
    if head is None:
        return None
    used: set[tuple[int, int]] = set()
    form = FormRead(where=place_of(block, 1).removesuffix("第1行"))

    def take(r: int, c: int) -> str:
        """The cell's text, marking it and the same text merged beside it as read."""
        text = grid[r][c]
        for cc in range(c, width):
            if grid[r][cc] != text:
                break
            used.add((r, cc))
        for cc in range(c - 1, -1, -1):
            if grid[r][cc] != text:
                break
            used.add((r, cc))
        return text.strip()

    start, columns, depth = head
    # Title rows: the department's name and the year.
    for r in range(start):
        for c, text in enumerate(grid[r]):
            m = TITLE.match(re.sub(r"\s+", "", text))
            if m and form.title is None:
                form.title = take(r, c)
                form.year = int(m.group(2))
                form.titled = m.group(1).strip() or None
            elif re.fullmatch(r"[(（]?单位[:：]\s*万元[)）]?|附件\s*\d*|填报日期[:：]?|" + BLOCK_TITLES, label(text)):
                take(r, c)  # titles, and a 填报日期 left blank
    _budget(grid, start, take, form, used)
    _goals(grid, start, take, form, used)
    if columns:
        _indicators(grid, start, columns, depth, take, form, used, block)
    _fields(grid, range(0, len(grid)), take, form, used)
    if not columns:
        fields = [k for k in FIELDS if getattr(form, k) is not None]
        if not (form.budget or form.parts or form.goals or len(fields) >= 2):
            return None
    beyond = len(block.grid or block.rows) - len(grid)
    if beyond > 0:
        form.left.append((MAX_ROWS + 1, [f"（表格超过 {MAX_ROWS} 行，其后 {beyond} 行未读取，请核对原文）"]))
    for r, row in enumerate(grid):
        read_here = {row[c] for c in range(len(row)) if (r, c) in used}  # a merged cell read once is read
        texts = []
        for c, text in enumerate(row):
            if text.strip() and (r, c) not in used and text not in read_here and text.strip() not in texts:
                texts.append(text.strip())
        if texts:
            form.left.append((r + 1, texts))
    return form


def _indicator_head(grid: list[list[str]]):
    """(row, {key: column}, rows deep) of the indicators' heading row; None when there is none."""
    for r, row in enumerate(grid):
        keys = {}
        for c, text in enumerate(row):
            key = INDICATOR_OF.get(label(text))
            if key and key not in keys:
                keys[key] = c
        if "name" not in keys or len(keys) < 3:
            continue
        depth = 1
        if r + 1 < len(grid):  # a second heading row under merged group headings (指标值 → 年初 | 调整)
            below = grid[r + 1]
            sub = {c: INDICATOR_OF.get(label(t)) for c, t in enumerate(below) if t.strip() and t != row[c]}
            if sub and all(sub.values()):
                for c, key in sub.items():
                    for k in [k for k, cc in keys.items() if cc == c]:
                        del keys[k]
                    keys[key] = c
                depth = 2
        # A group heading merged over two columns names only the first: the second is the adjustment.
        if "initial" in keys and "adjusted" not in keys:
            c = keys["initial"]
            if c + 1 < len(row) and row[c + 1] == row[c] and c + 1 not in keys.values():
                keys["adjusted"] = c + 1
        return r, keys, depth
    return None


def _budget(grid, stop, take, form: FormRead, used) -> None:
    """Each budget block above the indicators: a heading row, then its value rows (the total, the
    parts); a form may give the total and the parts in two blocks, each with its own heading."""
    r = 0
    while r < stop:
        keys = {}
        for c, text in enumerate(grid[r]):
            key = BUDGET_OF.get(label(text))
            if key and key not in keys and not (key == "initial" and label(text) == "预算数" and "adjusted" in keys):
                keys[key] = c
        if len([k for k in keys if k in ("initial", "adjusted", "executed", "rate")]) < 2:
            r += 1
            continue
        for c in keys.values():
            take(r, c)
        first = min(keys.values())
        rr = r + 1
        while rr < stop:
            values = {k: grid[rr][c].strip() for k, c in keys.items()}
            if not any(re.search(r"\d", v) for v in values.values()):
                if any(grid[rr]):
                    break  # the next block's heading
                rr += 1
                continue
            name = ""
            for c in range(first):
                text = grid[rr][c].strip()
                if text and text != grid[r][c].strip() and not re.search(r"预算执行情况|资金情况", text):
                    name = text
            for k, c in keys.items():
                if values[k]:
                    take(rr, c)
            if name:
                take(rr, grid[rr].index(name) if name in grid[rr] else 0)
            part = label(name)
            values = {k: v for k, v in values.items() if v}
            if (not part or re.search(r"合计|总计|总额|部门预算|资金总额|年度资金|财政资金|全部", part)) and not form.budget:
                form.budget = values
                form.budget_row = rr + 1
            else:
                form.parts.append({"name": re.sub(r"^其中[:：]?", "", name).strip()} | values | {"row": str(rr + 1)})
            rr += 1
        # A row heading the block (部门预算执行情况（万元）) and the heading cells above values.
        for row in range(r, rr):
            for c in range(first):
                if re.search(r"预算执行情况|资金情况|支出类别", grid[row][c]):
                    take(row, c)
        r = rr


def _goals(grid, stop, take, form: FormRead, used) -> None:
    for r in range(stop):
        keys = {}
        for c, text in enumerate(grid[r]):
            key = GOAL_OF.get(label(text))
            if key and key not in keys:
                keys[key] = c
        if not keys:
            continue
        for c in keys.values():
            take(r, c)
        if len(keys) >= 2 and r + 1 < stop:  # headings in a row, the goals under them
            for k, c in keys.items():
                text = grid[r + 1][c].strip()
                if text and GOAL_OF.get(label(text)) is None:
                    form.goals[k] = take(r + 1, c)
        else:  # a label with its goal to the right
            for k, c in keys.items():
                value = _right_of(grid[r], c)
                if value is not None:
                    form.goals[k] = take(r, value)
        for rr in range(max(0, r - 1), min(r + 2, stop)):
            for c, text in enumerate(grid[rr]):
                if re.fullmatch(r"(当年|年度|总体)?绩效目标(完成情况)?|年度总体目标", label(text)):
                    take(rr, c)


def _fields(grid, rows, take, form: FormRead, used) -> None:
    for r in rows:
        for c, text in enumerate(grid[r]):
            if (r, c) in used:
                continue
            key = FIELD_OF.get(label(text))
            if key is None:
                m = re.match(r"^([^:：]{2,8})[:：]\s*(\S.*)$", text.strip())  # 联系人：张三 in one cell
                key = FIELD_OF.get(label(m.group(1))) if m else None
                if key and getattr(form, key) is None:
                    take(r, c)
                    setattr(form, key, m.group(2).strip())
                continue
            if getattr(form, key) is not None:  # read already (the total in a 合计 row): the same figure again
                value = _right_of(grid[r], c)
                if value is not None and grid[r][value].strip() == getattr(form, key):
                    take(r, c)
                    take(r, value)
                continue
            take(r, c)
            value = _right_of(grid[r], c)
            if value is not None and FIELD_OF.get(label(grid[r][value])) is None and (r, value) not in used:
                setattr(form, key, take(r, value))
                form.rows[key] = r + 1
            else:
                setattr(form, key, "")  # the label is there, its cell empty: a blank, not an unknown


def _right_of(row: list[str], c: int) -> int | None:
    """The column of the next text to the right of a (possibly merged) label cell."""
    cc = c
    while cc < len(row) and row[cc] == row[c]:
        cc += 1
    while cc < len(row) and not row[cc].strip():
        cc += 1
    return cc if cc < len(row) else None


def _indicators(grid, start, columns, depth, take, form: FormRead, used, block: Block) -> None:
    for c in columns.values():
        for r in range(start, start + depth):
            take(r, c)
    for r in range(start, start + depth):  # group headings over the columns (指标值, 绩效指标)
        for c, text in enumerate(grid[r]):
            if text.strip() and (r, c) not in used and len(label(text)) <= 8 and "指标" in text:
                take(r, c)
    name_col = columns["name"]
    if "reason" in columns and not {"unit", "kind", "weight", "score", "actual"} & set(columns):
        _deviations(grid, start, columns, take, form)  # only the reasons: a 偏差原因分析 table of its own
        return
    for r in range(start + depth, len(grid)):
        row = grid[r]
        if not any(t.strip() for t in row):
            continue
        first = next((t.strip() for t in row if t.strip()), "")
        if CLOSING.match(label(first)) or (INDICATOR_OF.get(label(row[name_col])) == "name"):
            if CLOSING.match(label(first)) and re.match(r"^(合计|总计|总分)", label(first)) and "score" in columns:
                take(r, row.index(first))
                if "weight" in columns and row[columns["weight"]].strip():
                    take(r, columns["weight"])  # the weights' sum: validation checks it
                if row[columns["score"]].strip():  # the sum of the rows above (with 预算执行率 when listed)
                    form.sum_row = {"score": take(r, columns["score"]), "row": r + 1}
            if INDICATOR_OF.get(label(row[name_col])) == "name":
                break  # a second table of indicators (偏差原因分析) is read as deviations below
            continue
        name = row[name_col].strip()
        if not name:
            continue
        entry = {"name": take(r, name_col), "row": str(r + 1)}
        for key, c in columns.items():
            if key == "name" or c >= len(row):
                continue
            text = row[c].strip()
            if key in ("level1", "level2") and text == name:
                continue
            if text:
                entry[key] = take(r, c)
        form.indicators.append(entry)
    # A separate 偏差原因分析 table below (指标名称 | 偏差原因 | 改进措施): the reasons by name.
    for r in range(start + depth, len(grid)):
        keys = {INDICATOR_OF.get(label(t)): c for c, t in enumerate(grid[r]) if INDICATOR_OF.get(label(t))}
        if "name" in keys and "reason" in keys:
            _deviations(grid, r, keys, take, form)
            break


def _deviations(grid, r, keys, take, form: FormRead) -> None:
    """指标名称 | 偏差原因 | 改进措施 from row ``r`` down: each reason to its indicator (by name)."""
    for c in keys.values():
        take(r, c)
    by_name = {entry["name"]: entry for entry in form.indicators}
    for rr in range(r + 1, len(grid)):
        name = grid[rr][keys["name"]].strip()
        reasons = {k: grid[rr][keys[k]].strip() for k in ("reason", "measure") if k in keys and grid[rr][keys[k]].strip()}
        if not name or not reasons:
            continue
        take(rr, keys["name"])
        reasons = {k: take(rr, keys[k]) for k in reasons}
        if name == "预算执行率":
            form.budget_deviation = reasons
        elif name in by_name:
            by_name[name].update(reasons)
        else:  # a form split over two sheets: the indicator was read from the other one
            entry = {"name": name, "row": str(rr + 1)} | reasons
            form.indicators.append(entry)
            by_name[name] = entry
