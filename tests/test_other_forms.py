"""Issue 20 items 2, 3, 5, 6: unknown is not zero, other forms' schemes, wording that follows the
content, and every problem in one pass. Reports are built and read back with python-docx; the
.xlsx with openpyxl; totals are worked by hand in the docstrings."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import docx
import openpyxl
import pytest

from pipeline import build
from pipeline.output import compose
from pipeline.problems import errors

from .conftest import ROOT, docx_lines, edit, real_text, run_cli, sheet_rows, where

UNKNOWN_BUDGET = ("  carryover_start: 0\n", "  adjusted: 2851.19\n", "  adjusted_note: 年末零结转资金不作为预算调整\n", "  carryover_end: 0\n")


def put(tmp_path: Path, text: str, dept: str = "bishan-kjj", year: int = 2022) -> Path:
    path = tmp_path / "content" / dept / f"{year}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def checked_of(tmp_path: Path, text: str):
    return build.check(put(tmp_path, text), "f.yaml")


def report_lines(tmp_path: Path, text: str) -> list[str]:
    checked = checked_of(tmp_path, text)
    assert checked.ok, [str(p) for p in errors(checked.problems)]
    data, problems = build.render_docx(checked)
    assert data is not None, problems
    out = tmp_path / "r.docx"
    out.write_bytes(data)
    return docx_lines(out)


def unknown_budget_text() -> str:
    text = real_text()
    for line in UNKNOWN_BUDGET:
        text = edit(text, line, "")
    return text


# ---------------------------------------------------------------- 2. unknown is not zero


def test_omitted_carryovers_and_adjusted_are_not_stated(tmp_path):
    lines = report_lines(tmp_path, unknown_budget_text())
    budget = next(line for line in lines if line.startswith("2022年财政资金年初预算数为"))
    assert budget == "2022年财政资金年初预算数为2931.88万元，全年执行数1209.56万元。"
    execution = next(line for line in lines if line.startswith("年初预算数为"))
    assert execution.startswith("年初预算数为2931.88万元，预算执行数为1209.56万元，因财政资金紧张，支付困难，预算执行率为41.26%（按年初预算数计算）。")
    assert not any("结转" in line or "调整数" in line or "全年（调整）预算数为" in line for line in lines)


def test_the_rate_uses_the_initial_budget_when_no_adjusted_one_is_typed(tmp_path):
    """1209.56 ÷ 2931.88 = 41.256 % (41.26 %); × 10 = 4.1256 → 4.13; the total 94.24 − 4.24 + 4.13 = 94.13."""
    scores = checked_of(tmp_path, unknown_budget_text()).scores
    assert compose.percent(scores.execution_rate) == "41.26%"
    assert scores.execution.score == Decimal("4.13") and scores.total == Decimal("94.13")


NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _typed_numbers(node) -> set[str]:
    import datetime as dt

    out: set[str] = set()
    if isinstance(node, dict):
        for value in node.values():
            out |= _typed_numbers(value)
    elif isinstance(node, list):
        for value in node:
            out |= _typed_numbers(value)
    elif isinstance(node, (Decimal, int)) and not isinstance(node, bool):
        out.add(compose.written(Decimal(node)))
    elif isinstance(node, dt.date):
        out |= {str(node.year), str(node.month), str(node.day)}
    elif isinstance(node, str):
        out |= set(NUMBER.findall(node))  # figures inside typed text (文号, 2022年度…)
    return out


def test_every_figure_printed_traces_to_a_typed_value_or_a_computation(tmp_path):
    """A minimal file (no carry-overs, no adjusted budget, no 三公, no staffing, no experience):
    sentence by sentence, each number in the report is typed or computed, and no sentence states
    a carry-over, an adjustment or a 三公 figure nobody typed."""
    from pipeline.content.load import load

    text = unknown_budget_text()
    start, end = text.index("staffing:\n"), text.index("functions:\n")
    text = text[:start] + text[end:]
    start, end = text.index("santong:\n"), text.index("evaluation:\n")
    text = text[:start] + text[end:]
    start, end = text.index("experience:\n"), text.index("# 得分系数")
    text = text[:start] + text[end:]
    lines = report_lines(tmp_path, text)
    checked = checked_of(tmp_path, text)
    tree, _ = load(tmp_path / "content" / "bishan-kjj" / "2022.yaml")
    s = checked.scores
    computed = {compose.num(r.score) for r in s.rows} | {compose.percent(r.rate)[:-1] for r in s.rows}
    computed |= {compose.num(s.total), compose.percent(s.execution_rate)[:-1]}
    numbering = {str(n) for n in range(1, 20)}  # 1、 2、… of headings and lists, 表 1
    allowed = _typed_numbers(tree) | computed | numbering
    report = lines[: lines.index("附件")]
    untraced = {(line, n) for line in report for n in NUMBER.findall(line) if n not in allowed}
    assert untraced == set()
    said = "".join(report)
    assert "结转" not in said and "调整数" not in said and "三公" not in said and "行政编制" not in said


def test_an_empty_or_omitted_supervisor_leaves_the_xlsx_cell_empty_as_the_docx(tmp_path):
    text = edit(real_text(), "  supervisor: 重庆市璧山区科学技术局\n", "  supervisor:\n")
    checked = checked_of(tmp_path, text)
    assert checked.ok
    view = compose.form_view(checked.report, checked.scores)
    assert view.header[0][:2] == ["主管部门", ""]
    ws = openpyxl.load_workbook(_xlsx(tmp_path, checked)).active
    assert [c.value for c in ws[3]][:2] == ["主管部门", None]


def _xlsx(tmp_path: Path, checked) -> Path:
    out = tmp_path / "f.xlsx"
    out.write_bytes(build.form_xlsx(checked))
    return out


def test_the_xlsx_supervisor_equals_the_docx_supervisor(tmp_path):
    """The .xlsx printed the department's own name whatever the content said."""
    path = ROOT / "examples" / "media-centre" / "2022.yaml"
    checked = build.check(path, "m.yaml")
    data, _ = build.render_docx(checked)
    (tmp_path / "m.docx").write_bytes(data)
    in_docx = next(t for t in docx.Document(str(tmp_path / "m.docx")).tables if t.rows[0].cells[0].text == "主管部门")
    row = next(r for r in sheet_rows(_xlsx(tmp_path, checked)) if r[0] == "主管部门")
    assert row[1] == in_docx.rows[0].cells[1].text == "中共重庆市某区委宣传部"


# ---------------------------------------------------------------- 3. other forms


def test_an_execution_item_of_weight_0_or_absent_leaves_the_indicators_100(tmp_path):
    """The reference without its execution item, 职工满意度 raised from 5 to 15: every indicator
    is full (by judgement), so the total is 100 and Table 1 has no 预算执行率 row; the form's
    执行率权重 shows the 0 typed (empty when absent) and 执行率得分 is empty."""
    base = edit(real_text(), "  - name: 职工满意度\n    weight: 5\n", "  - name: 职工满意度\n    weight: 15\n")
    for typed, shown in (("  execution_weight: 0\n", "0"), ("", "")):
        text = edit(base, "  execution_weight: 10\n", typed)
        checked = checked_of(tmp_path, text)
        assert checked.ok, [str(p) for p in errors(checked.problems)]
        assert checked.scores.execution is None and checked.scores.total == 100
        assert "预算执行率" not in [r.name for r in checked.scores.rows]
        view = compose.form_view(checked.report, checked.scores)
        assert view.budget[3:] == ["42.42%", shown, ""]
        lines = report_lines(tmp_path, text)
        assert "预算执行率" not in lines[lines.index("表 1：指标得分情况"):lines.index("1、预算执行率分析")]


def test_budget_parts_scored_on_their_own_are_in_table_1_with_hand_worked_scores(tmp_path):
    """The execution item's 10 goes to the parts, 5 each, each scored on its own rate:
    基本支出 600.50 ÷ 950 × 5 = 3.1605 → 3.16; 项目支出 609.06 ÷ 1901.19 × 5 = 1.6018 → 1.60;
    the indicators' 90 are full: the total is 90 + 3.16 + 1.60 = 94.76."""
    text = edit(real_text(), "  execution_weight: 10\n", "  parts:\n"
                "    - name: 基本支出\n      initial: 1000.00\n      adjusted: 950\n      executed: 600.50\n      weight: 5\n"
                "    - name: 项目支出\n      initial: 1931.88\n      adjusted: 1901.19\n      executed: 609.06\n      weight: 5\n")
    checked = checked_of(tmp_path, text)
    assert checked.ok, [str(p) for p in errors(checked.problems)]
    parts = checked.scores.parts
    assert [(r.name, r.score) for r in parts] == [("基本支出执行率", Decimal("3.16")), ("项目支出执行率", Decimal("1.60"))]
    assert checked.scores.total == Decimal("94.76")  # 90 + 3.16 + 1.60
    lines = report_lines(tmp_path, text)
    table = lines[lines.index("表 1：指标得分情况") + 1:]
    assert table[4:12] == ["基本支出执行率", "5", "3.16", "63.21%", "项目支出执行率", "5", "1.60", "32.04%"]
    analysis = lines[lines.index("1、预算执行率分析") + 1]
    assert analysis.endswith("预算执行率为42.42%。基本支出执行率为63.21%，得3.16分（权重5分）。项目支出执行率为32.04%，得1.60分（权重5分）。")
    view = compose.form_view(checked.report, checked.scores)
    assert view.parts_columns[-2:] == ["权重", "得分"] and view.parts[0][-2:] == ["5", "3.16"]


def test_the_forms_head_prints_leader_finance_office_and_implementing_unit(tmp_path):
    text = real_text() + "\nform:\n  leader: 王局长\n  finance_office: 行政政法科\n  implementing_unit: 区科技局机关\n"
    checked = checked_of(tmp_path, text)
    view = compose.form_view(checked.report, checked.scores)
    assert view.header[2:] == [["单位负责人", "王局长", "财政处室", "行政政法科"], ["实施单位", "区科技局机关", "", ""]]
    rows = sheet_rows(_xlsx(tmp_path, checked))  # a cell merged across counts once
    assert ("实施单位", "区科技局机关", None, None) in [tuple(r[:4]) for r in rows]


FORM_ONLY = (ROOT / "examples" / "culture-tourism" / "2022.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize("target,words", [("≥90个", "单位“个”与 unit“%”不符"), ("≤90%", "方向“≤”与 direction“>=”不符")])
def test_a_signed_target_that_disagrees_is_refused_at_the_target(tmp_path, target, words):
    text = edit(FORM_ONLY, '    target_initial: "≥90%"\n    actual: 92.5\n',
                f"    unit: '%'\n    direction: '>='\n    target_initial: \"{target}\"\n    actual: 92.5\n")
    found = [str(p) for p in errors(checked_of(tmp_path, text).problems)]
    assert any(m.startswith(f"f.yaml:{where(text, chr(34) + target)}: indicators[10].target_initial") and words in m for m in found), found


def test_a_signed_target_that_agrees_is_read(tmp_path):
    text = edit(FORM_ONLY, '    target_initial: "≥90%"\n    actual: 92.5\n', "    unit: '%'\n    direction: '>='\n    target_initial: \"≥ 90 %\"\n    actual: 92.5\n")
    checked = checked_of(tmp_path, text)
    assert checked.ok and checked.report.indicators[9].target_initial == 90


# ---------------------------------------------------------------- 5. wording follows the content


def test_one_phase_reads_as_one_without_first_phase(tmp_path):
    lines = report_lines(tmp_path, (ROOT / "examples" / "media-centre" / "2022.yaml").read_text(encoding="utf-8"))
    assert "本次绩效评价工作于2023年3月1日至3月15日开展。自评工作小组对照绩效目标核实完成情况，填写《重庆市某区融媒体中心2022年度部门整体支出绩效自评表》并撰写自评报告。" in lines
    assert not any("一个阶段" in line or "第一个阶段" in line for line in lines)


def test_the_staffing_heading_names_only_what_follows(tmp_path):
    text = real_text()
    start, end = text.index("staffing:\n"), text.index("functions:\n")
    lines = report_lines(tmp_path, text[:start] + text[end:])
    assert "2、内设机构" in lines and "2、内设机构及编制" not in lines
    assert "2、内设机构及编制" in report_lines(tmp_path, real_text())


def test_a_hand_set_score_is_said_by_make_report_and_form_and_noted_in_the_xlsx(tmp_path):
    text = edit(real_text(), "    judgement:\n      coefficient: 1\n      basis: 评价标准\n    analysis: 增强科技服务水平",
                "    judgement:\n      coefficient: 1\n      basis: 评价标准\n    override:\n      score: 12\n      reason: 部分企业未完成入库\n"
                "    deviation:\n      reason: 部分企业未完成入库\n    analysis: 增强科技服务水平")
    put(tmp_path, text)
    for command in ("report", "form"):
        result = run_cli(command, "--year", "2022", "--content", str(tmp_path / "content"), "--out", str(tmp_path / "build"), cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        said = [line for line in result.stdout.splitlines() if "人工评定得分" in line]
        assert said == ["重庆市璧山区科学技术局：指标“新增科技型企业数量”：人工评定得分 12.00（规则计分为 15.00），理由：部分企业未完成入库"]
        assert "评价组评定（得分系数" not in result.stdout  # judged scores: marked in the .xlsx, not said each run
    ws = openpyxl.load_workbook(tmp_path / "build" / "2022" / "bishan-kjj-自评表.xlsx").active
    row = next(r for r in ws.iter_rows() if r[0].value == "新增科技型企业数量")
    assert row[8].value == 12 and row[8].comment.text == "人工评定得分 12.00（规则计分为 15.00），理由：部分企业未完成入库"
    judged = next(r for r in ws.iter_rows() if r[0].value == "职工满意度")
    assert judged[8].comment.text == "评价组评定（得分系数 1），依据：评价标准"
    by_rule = [r for r in ws.iter_rows() if r[0].value == "新增高新技术企业数量"]
    assert by_rule and by_rule[0][8].comment is not None  # the reference scores it by judgement too


# ---------------------------------------------------------------- 6. all problems in one pass


def test_a_misspelt_required_key_and_weights_of_101_are_listed_in_one_run(tmp_path):
    text = edit(real_text(), "  execution_weight: 10\n", "  execution_weight: 11\n")
    text = edit(text, "  short_name: 区科技局\n", "  short_nam: 区科技局\n")
    found = [str(p) for p in errors(checked_of(tmp_path, text).problems)]
    assert any("缺少必填项“short_name”" in m for m in found)
    assert any(f"f.yaml:{where(text, 'short_nam:')}: department.short_nam：未知的键" in m for m in found)
    assert any("权重合计应为 100，现为 101（预算执行率 11 + 各指标 90）" in m for m in found), found


def test_a_missing_weight_says_nothing_about_the_weights_total(tmp_path):
    text = edit(real_text(), "  - name: 新增科技型企业数量\n    weight: 15\n", "  - name: 新增科技型企业数量\n    wieght: 15\n")
    found = [str(p) for p in errors(checked_of(tmp_path, text).problems)]
    assert any("缺少必填项“weight”" in m for m in found) and not any("权重合计" in m for m in found)


def test_after_new_year_the_stale_notice_is_named_among_the_blanks(tmp_path):
    put(tmp_path, real_text())
    made = run_cli("new-year", "--from", "2022", "--to", "2023", "--content", str(tmp_path / "content"), cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    result = run_cli("check", "--year", "2023", "--content", str(tmp_path / "content"), cwd=tmp_path)
    assert "：未填写" in result.stdout and "文件名称中的“2022年度”与报告年度 2023 不符" in result.stdout


def test_a_required_blank_is_not_told_to_delete_the_key(tmp_path):
    text = edit(real_text(), "  short_name: 区科技局\n", "  short_name:\n")
    found = [str(p) for p in errors(checked_of(tmp_path, text).problems)]
    assert f"f.yaml:{where(text, 'short_name:')}: department.short_name（部门简称）：未填写（必填项，请填写）" in found
    assert not any("删除该键" in m for m in found)


def test_a_budget_that_is_not_a_mapping_says_nothing_about_the_weights(tmp_path):
    text = edit(real_text(), "budget:\n  initial", "budget: []\nxbudget:\n  initial")
    found = [str(p) for p in errors(checked_of(tmp_path, text).problems)]
    assert any("budget（财政资金整体支出）：应为键值对" in m for m in found) and not any("权重合计" in m for m in found), found


def test_a_note_on_an_adjusted_budget_that_is_not_typed_is_refused(tmp_path):
    text = edit(real_text(), "  adjusted: 2851.19\n", "")
    found = [str(p) for p in errors(checked_of(tmp_path, text).problems)]
    assert f"f.yaml:{where(text, '年末零结转资金')}: 调整预算说明印在全年（调整）预算数之后：没有填写 adjusted 时不会印出，请填写 adjusted 或删去 adjusted_note" in found


def test_a_budget_that_is_not_known_is_not_compared_with_the_santong(tmp_path):
    text = edit(real_text(), "budget:\n  initial", "budget: []\nxbudget:\n  initial")
    result = checked_of(tmp_path, text)
    assert not any("三公" in p.message or "数额异常" in p.message for p in result.problems), [str(p) for p in result.problems]


def test_dates_out_of_order_are_named_beside_a_misspelt_text_in_the_same_part(tmp_path):
    text = edit(real_text(), "    start: 2023-03-18\n    end: 2023-03-28\n    text: '{period}", "    start: 2023-03-28\n    end: 2023-03-18\n    txet: '{period}")
    found = [str(p) for p in errors(checked_of(tmp_path, text).problems)]
    assert any("evaluation.analysis.text：缺少必填项“text”" in m for m in found), found
    assert any("结束日期 2023-03-18 早于开始日期 2023-03-28" in m for m in found), found
