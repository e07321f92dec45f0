"""The example departments (examples/<dept>/2022.yaml): each checks clean, builds a report and a
form that read naturally for that kind of unit, and its totals are pinned here.

Expected figures are worked out by hand from the rules (domain.md §2–3) and the source figures
(domain.md §6), never by running the code: each test says how.
"""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn

from pipeline.build import check, render_docx
from pipeline.output.form import form
from pipeline.output.sheet import workbook

from .conftest import ROOT, docx_lines, edit, where

EXAMPLES = ROOT / "examples"


def example_text(dept: str) -> str:
    return (EXAMPLES / dept / "2022.yaml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """dept → (checked, report lines, python-docx Document)."""
    out = {}
    tmp = tmp_path_factory.mktemp("examples")
    for dept in ("qingshan-town", "media-centre", "commerce"):
        checked = check(EXAMPLES / dept / "2022.yaml", f"examples/{dept}/2022.yaml")
        assert checked.ok and checked.problems == [], [str(p) for p in checked.problems]
        data, problems = render_docx(checked)
        assert data is not None, problems
        path = tmp / f"{dept}.docx"
        path.write_bytes(data)
        out[dept] = (checked, docx_lines(path), docx.Document(str(path)))
    return out


def table(document, *first: str) -> list[list[str]]:
    for t in document.tables:
        if [c.text for c in t.rows[0].cells][: len(first)] == list(first):
            return [[c.text for c in row.cells] for row in t.rows]
    raise AssertionError(first)


def check_text(tmp_path: Path, text: str, dept: str = "x"):
    path = tmp_path / dept / "2022.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return [str(p) for p in check(path, "f.yaml").problems]


# ---------------------------------------------------------------- the township


def test_township_total_and_over_execution(reports):
    checked, lines, document = reports["qingshan-town"]
    # Execution: 1268.72 ÷ 1172.55 = 108.20 %, capped: 10. Indicators: 20 + 20 + 20 + 10 full, and
    # 民生项目按期完成率 92 of 95 → 20 × 92 ÷ 95 = 19.368… → 19.37. Total 10 + 70 + 19.37 + 10 = 99.37.
    assert checked.scores.total == D("99.37") and checked.scores.grade == "优"
    assert any("自评总得分99.37分，等级为“优”" in line for line in lines)
    assert (
        "年初预算数为1172.55万元，全年调整数为1172.55万元，预算执行数为1268.72万元，因年中追加乡村振兴项目经费，"
        "执行数超过年初预算，预算执行率为108.20%。改进措施：加强预算编制的前瞻性，年中追加资金及时办理预算调整。"
        "根据评价标准，执行率超过100%的按100%计分，该指标得100%权重分。"
    ) in lines


def test_township_budget_parts_in_the_report_and_the_form(reports):
    _, lines, document = reports["qingshan-town"]
    # 985.19 + 187.36 = 1172.55 (domain.md §6); 1056.33 ÷ 985.19 = 107.22 %, 212.39 ÷ 187.36 = 113.36 %.
    assert any(
        line.endswith(
            "年末无结转和结余资金。其中，基本支出年初预算数985.19万元，全年执行数1056.33万元，执行率107.22%；"
            "项目支出年初预算数187.36万元，全年执行数212.39万元，执行率113.36%。"
        )
        for line in lines
    )
    assert table(document, "支出类别")[1:] == [
        ["基本支出", "985.19", "", "1056.33", "107.22%"],
        ["项目支出", "187.36", "", "212.39", "113.36%"],
    ]
    assert table(document, "主管部门")[0][:2] == ["主管部门", "重庆市某区人民政府"]


def test_parts_that_do_not_add_up_are_refused_at_parts(tmp_path):
    text = edit(example_text("qingshan-town"), "      initial: 187.36", "      initial: 187.63")
    messages = check_text(tmp_path, text)
    assert f"f.yaml:{where(text, 'parts:')}: 预算构成各项的年初预算数之和 985.19 + 187.63 = 1172.82，与 budget.initial 1172.55 不符" in messages


# ---------------------------------------------------------------- the media centre


def test_media_centre_total_words_and_staffing(reports):
    checked, lines, document = reports["media-centre"]
    # Execution 1580.63 ÷ 1602.80 = 0.98616… → 10 × 0.98616 = 9.86. Indicators: 20 + 20 + 15 + 10 full
    # by rule or 达成 1; 及时性 达成 0.95 × 15 = 14.25; 群众满意度 达成 0.9 × 10 = 9.
    # Total 9.86 + 20 + 20 + 14.25 + 15 + 10 + 9 = 98.11.
    assert checked.scores.total == D("98.11")
    assert any("自评总得分98.11分" in line for line in lines)
    assert "区融媒体中心事业编制42名。" in lines
    assert not any("行政编制" in line or "0名" in line for line in lines)
    assert "全年未发生导向错误，多篇作品获市级新闻奖，报道质量高。根据评价标准，该指标评定为“达成”，得100%权重分。" in lines
    # No 主要经验及做法: 二、主要成效 has only （一）, and 三 follows.
    assert "（二）主要经验及做法" not in lines
    # No vehicles, no overseas: the 三公 paragraph ends with its reason.
    assert any(line.endswith("主要原因是严格执行公务接待标准，接待批次减少。") for line in lines)


def test_media_centre_form_prints_words_and_its_supervisor(reports):
    _, _, document = reports["media-centre"]
    rows = table(document, "一级指标")
    quality = next(r for r in rows if r[2] == "新闻报道质量")
    assert quality[3:8] == ["", "定性", "高", "", "高"]
    satisfaction = next(r for r in rows if r[2] == "群众满意度")
    assert satisfaction[5:11] == ["满意", "", "基本满意", "90%", "10", "9"]
    assert table(document, "主管部门")[0][:2] == ["主管部门", "中共重庆市某区委宣传部"]


def test_words_clear_the_blank_cell_warning_and_numbers_do_not_score_a_qualitative_row(tmp_path):
    text = example_text("media-centre")
    assert check_text(tmp_path, text) == []  # words given: no 将留空 warning
    numeric = edit(text, "    target_initial: 高\n    actual: 高\n", "    target_initial: 90\n    actual: 10\n")
    messages = check_text(tmp_path, numeric)
    at = where(numeric, "定性\n    target_initial: 90")
    assert messages == [
        f"f.yaml:{at}: 警告：定性指标“新闻报道质量”按达成情况（qualitative）计分，target_initial、actual 只印在自评表中，不参与计分"
    ]
    checked = check(tmp_path / "x" / "2022.yaml")
    assert checked.scores.total == D("98.11")  # 10 of a target of 90 changes nothing


def test_a_word_in_a_quantitative_indicator_is_refused_at_the_word(tmp_path):
    text = edit(example_text("media-centre"), "    target_initial: 3000", "    target_initial: 三千篇")
    assert f"f.yaml:{where(text, '三千篇')}: indicators[1].target_initial（年初指标值）：应为数字（请用阿拉伯数字，如 2931.88）（当前为“三千篇”）" in check_text(tmp_path, text)


def test_quantitative_indicator_needs_a_unit(tmp_path):
    text = edit(example_text("media-centre"), "    unit: 篇\n", "")
    assert f"f.yaml:{where(text, 'name: 新闻稿件发布数量')}: 定量指标“新闻稿件发布数量”须填写计量单位 unit" in check_text(tmp_path, text)


# ---------------------------------------------------------------- the commerce committee


def test_commerce_total_and_hierarchy(reports):
    checked, lines, document = reports["commerce"]
    # Execution 2951.55 ÷ 1304.23 = 226.31 % (domain.md §6), capped at 10. Indicators 13 + 12 + 5 + 25
    # + 10 full; 外贸进出口总额 27.65 of 30 → 25 × 27.65 ÷ 30 = 23.041… → 23.04. Total 98.04.
    assert checked.scores.total == D("98.04")
    assert any("预算执行数为2951.55万元，因项目经费增加，预算执行率为226.31%。" in line for line in lines)
    rows = table(document, "一级指标", "二级指标")
    *rows, subtotal, total = rows  # 绩效指标小计 and 自评总分 end the table
    assert (subtotal[0], subtotal[-3:-1], total[0], total[-3:-1]) == ("绩效指标小计（不含预算执行率）", ["90", "88.04"], "自评总分（含预算执行率）", ["100", "98.04"])
    assert [r[:3] for r in rows[1:]] == [
        ["产出指标", "数量指标", "新增限上商贸企业"],
        ["产出指标", "数量指标", "招商引资项目签约数"],
        ["产出指标", "时效指标", "专项资金拨付及时率"],
        ["效益指标", "经济效益指标", "社会消费品零售总额增长"],
        ["效益指标", "经济效益指标", "外贸进出口总额"],
        ["满意度指标", "服务对象满意度指标", "服务企业满意度"],
    ]


def test_commerce_form_merges_the_hierarchy_cells(reports):
    _, _, document = reports["commerce"]
    t = next(t for t in document.tables if t.rows[0].cells[0].text == "一级指标")
    states = []
    for tr in t._tbl.tr_lst[1:]:
        tcs = tr.tc_lst[:2]
        states.append(tuple((tc.tcPr.find(qn("w:vMerge")).get(qn("w:val")) or "continue") if tc.tcPr.find(qn("w:vMerge")) is not None else "" for tc in tcs))
    # 产出 × 3 (数量 × 2, 时效), 效益 × 2 (经济 × 2), 满意度 alone; then 小计 and 总分, unmerged.
    assert states == [
        ("restart", "restart"), ("continue", "continue"), ("continue", ""),
        ("restart", "restart"), ("continue", "continue"), ("", ""), ("", ""), ("", ""),
    ]


def test_commerce_xlsx_merges_the_same_groups(reports):
    checked, _, _ = reports["commerce"]
    import io

    ws = openpyxl.load_workbook(io.BytesIO(workbook(form(checked.report, checked.scores), checked.report.evaluation.analysis.end))).active
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "一级指标")
    merged = sorted(str(m) for m in ws.merged_cells.ranges if m.min_row > header)
    first = header + 1
    # the groups; then the labels of 绩效指标小计 and 自评总分 across the columns before 指标权重
    totals = [f"A{first + 6}:I{first + 6}", f"A{first + 7}:I{first + 7}"]
    assert merged == sorted([f"A{first}:A{first + 2}", f"B{first}:B{first + 1}", f"A{first + 3}:A{first + 4}", f"B{first + 3}:B{first + 4}"] + totals)


def test_hierarchy_names_outside_the_standard_set_are_warned(tmp_path):
    text = edit(example_text("commerce"), "    level2: 时效指标", "    level2: 时间指标")
    messages = check_text(tmp_path, text)
    assert f"f.yaml:{where(text, '时间指标')}: 警告：二级指标“时间指标”不在“产出指标”的常用名称中（数量指标、质量指标、时效指标、成本指标），请确认" in messages


def test_level2_without_level1_is_refused(tmp_path):
    text = edit(example_text("commerce"), "    level1: 满意度指标\n", "")
    messages = check_text(tmp_path, text)
    assert f"f.yaml:{where(text, 'level2: 服务对象满意度指标')}: 填写了二级指标，须同时填写一级指标 level1" in messages


def test_a_hierarchy_group_split_in_two_is_warned(tmp_path):
    # Move 新增限上商贸企业 (产出/数量) after 社会消费品零售总额增长 (效益): 产出/数量 appears twice.
    text = example_text("commerce")
    block_start = text.index("  - name: 新增限上商贸企业")
    block_end = text.index("  - name: 招商引资项目签约数")
    block = text[block_start:block_end]
    text = text[:block_start] + text[block_end:]
    anchor = text.index("  - name: 外贸进出口总额")
    text = text[:anchor] + block + text[anchor:]
    messages = check_text(tmp_path, text)
    at = where(text, "产出指标\n    level2: 数量指标\n    weight: 13")
    assert f"f.yaml:{at}: 警告：指标“新增限上商贸企业”与前面同属“产出指标／数量指标”的指标不相邻，自评表中将分两处合并：请把同组指标排在一起" in messages


def test_a_hierarchy_on_some_rows_only_is_warned(tmp_path):
    text = edit(example_text("commerce"), "    level1: 满意度指标\n    level2: 服务对象满意度指标\n", "")
    messages = check_text(tmp_path, text)
    assert f"f.yaml:{where(text, 'name: 服务企业满意度')}: 警告：其他指标填写了一级指标，指标“服务企业满意度”未填写 level1，自评表中该行的一级、二级指标将留空" in messages


def test_media_centre_xlsx_keeps_words_as_text(reports):
    import io

    checked, _, _ = reports["media-centre"]
    ws = openpyxl.load_workbook(io.BytesIO(workbook(form(checked.report, checked.scores), checked.report.evaluation.analysis.end))).active
    row = next(r for r in ws.iter_rows(values_only=True) if r[2] == "群众满意度")
    # 一级, 二级, 名称, 单位 (blank), 性质, 年初, 调整, 完成, 系数 0.9, 权重 10, 得分 9
    assert row[:11] == ("满意度指标", "服务对象满意度指标", "群众满意度", None, "定性", "满意", None, "基本满意", 0.9, 10, 9)
