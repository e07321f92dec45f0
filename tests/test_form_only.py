"""Issue 20 item 1: a file that holds only a 自评表 (examples/culture-tourism, 19 indicators).

It passes check as such, builds its .xlsx and a standalone landscape .docx form, and make report
refuses it with one located line per missing narrative part. Its total is worked by hand below.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import docx
import openpyxl
import pytest

from pipeline import build

from .conftest import ROOT, run_cli, sheet_rows, where

EXAMPLE = ROOT / "examples" / "culture-tourism" / "2022.yaml"
TEXT = EXAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("form-only")
    (root / "content" / "culture-tourism").mkdir(parents=True)
    (root / "content" / "culture-tourism" / "2022.yaml").write_text(TEXT, encoding="utf-8")
    result = run_cli("form", "--year", "2022", "--content", str(root / "content"), "--out", str(root / "build"), cwd=root)
    assert result.returncode == 0, result.stderr
    return root, root / "build" / "2022"


def test_the_example_is_a_form_only_file_with_19_mixed_indicators():
    checked = build.check(EXAMPLE, "f.yaml")
    assert checked.form_only and checked.ok
    kinds = [ind.kind.value for ind in checked.report.indicators]
    assert len(kinds) == 19 and kinds.count("定性") == 4 and kinds.count("定量") == 15
    assert not hasattr(checked.report, "evaluation")  # the narrative is not even in the model


def test_check_passes_with_no_error_and_says_once_that_it_is_a_form_only_file(tmp_path):
    (tmp_path / "c" / "u").mkdir(parents=True)
    (tmp_path / "c" / "u" / "2022.yaml").write_text(TEXT, encoding="utf-8")
    result = run_cli("check", "--year", "2022", "--content", str(tmp_path / "c"), cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    assert "0 个错误" in result.stdout
    assert result.stdout.count("只有自评表的内容文件") == 1
    assert result.stdout.splitlines()[0].startswith("c/u/2022.yaml：只有自评表的内容文件")


def test_a_signed_target_is_read_as_direction_number_and_unit():
    report = build.check(EXAMPLE, "f.yaml").report
    by_name = {ind.name: ind for ind in report.indicators}
    times = by_name["游客投诉办结时限"]  # target_initial: "≤10个工作日"
    assert (times.direction.value, times.target_initial, times.unit) == ("<=", Decimal(10), "个工作日")
    share = by_name["项目资金支付及时率"]  # "≥90%"
    assert (share.direction.value, share.target_initial, share.unit) == (">=", Decimal(90), "%")


def test_the_total_is_the_hand_worked_sum_of_the_parts_and_the_indicators():
    """No execution-rate item; 基本支出 and 项目支出 scored 10 each on their own rates.
    基本支出 611.40 ÷ 620.00 × 10 = 9.8613 → 9.86; 项目支出 817.20 ÷ 880.00 × 10 = 9.2864 → 9.29.
    Indicators (80 in all) lose: 巡查 4 × 45 ÷ 48 = 3.75; A级景区 4 × 0.75 = 3.00;
    游客 5 × 476.5 ÷ 500 = 4.765 → 4.77: 80 − 0.25 − 1 − 0.23 = 78.52. Total 9.86 + 9.29 + 78.52 = 97.67."""
    scores = build.check(EXAMPLE, "f.yaml").scores
    assert scores.execution is None
    assert [(r.name, r.weight, r.score) for r in scores.parts] == [
        ("基本支出执行率", 10, Decimal("9.86")), ("项目支出执行率", 10, Decimal("9.29"))]
    lost = {r.name: r.score for r in scores.indicators if not r.full}
    assert lost == {"文物保护单位巡查次数": Decimal("3.75"), "A级景区服务质量": Decimal("3.00"), "接待游客人次": Decimal("4.77")}
    assert sum(r.score for r in scores.indicators) == Decimal("78.52")
    assert scores.total == Decimal("97.67") and scores.grade == "优"


def _rows(path: Path) -> list[list]:
    return sheet_rows(path)  # a cell merged across (the form's upper blocks) counts once


def test_the_xlsx_holds_the_19_rows_the_scored_parts_and_leaves_unknowns_empty(built):
    _, out = built
    rows = _rows(out / "culture-tourism-自评表.xlsx")
    head = {r[0]: r for r in rows if r[0] in ("主管部门", "联系人", "单位负责人")}
    assert head["主管部门"][:4] == ["主管部门", None, "自评总分", 97.67]  # typed blank: an empty cell
    assert head["单位负责人"][:4] == ["单位负责人", "张伟", "财政处室", "文化科"]
    budget = rows[[r[0] for r in rows].index("年初预算数（万元）") + 1]
    assert budget[:6] == [1500, None, 1428.6, 0.9524, None, None]  # no adjusted budget, no execution item
    parts = {r[0]: r[:7] for r in rows if r[0] in ("基本支出", "项目支出")}
    assert parts["基本支出"][5:] == [10, 9.86] and parts["项目支出"][5:] == [10, 9.29]
    header = next(i for i, r in enumerate(rows) if "指标名称" in r)
    names = [r[2] for r in rows[header + 1:] if r[2] and not str(r[0]).startswith(("合计", "绩效指标小计", "自评总分"))]
    assert len(names) == 19
    # under them: the indicators' own sums, then the 自评总分 with the scored parts (10 + 10)
    subtotal = next(r for r in rows if str(r[0]).startswith("绩效指标小计"))
    total = next(r for r in rows if str(r[0]).startswith("自评总分（"))
    assert subtotal[1:3] == [80, 78.52] and total[1:3] == [100, 97.67]


def test_a_typed_figure_shows_as_typed_in_the_xlsx(built):
    """9.5 stays 9.5 (it printed 9.50), 1500.00 keeps its zeros, ≥ stays before the target."""
    _, out = built
    ws = openpyxl.load_workbook(out / "culture-tourism-自评表.xlsx").active
    cells = {c.value: c.number_format for row in ws.iter_rows() for c in row if isinstance(c.value, (int, float))}
    assert cells[9.5] == "0.0"
    assert all(c.comment is None for row in ws.iter_rows() for c in row)  # every score by rule: no note
    assert cells[1500] == "0.00"
    row = next(r for r in ws.iter_rows() if r[2].value == "游客投诉办结时限")
    assert row[5].number_format == '"≤"0' and row[5].value == 10


def test_the_standalone_docx_form_is_landscape_and_is_the_attachments_table_alone(built):
    _, out = built
    document = docx.Document(str(out / "culture-tourism-自评表.docx"))
    section = document.sections[-1]
    assert len(document.sections) == 1 and section.page_width > section.page_height
    texts = [p.text for p in document.paragraphs if p.text]
    # 34 characters do not fit the landscape line: balanced lines after the name, never "表" alone
    assert texts[0].split("\n") == ["重庆市某区文化和旅游发展委员会", "2022年度部门整体支出绩效自评表"]
    assert "附件" not in texts and not any("自评报告" in t for t in texts)
    indicators = next(t for t in document.tables if t.rows[0].cells[2].text == "指标名称")
    assert len(indicators.rows) == 1 + 19 + 2  # the heading, the indicators, 小计 and 自评总分
    labels = [indicators.rows[i].cells[0].text for i in (-2, -1)]
    assert labels == ["绩效指标小计（不含基本支出、项目支出）", "自评总分（含基本支出、项目支出）"]
    assert [indicators.rows[-1].cells[-3].text, indicators.rows[-1].cells[-2].text] == ["100", "97.67"]
    head = document.tables[0]
    assert [c.text for c in head.rows[0].cells] == ["主管部门", "", "自评总分", "97.67"]


def test_make_report_lists_each_missing_narrative_part_at_its_place(tmp_path):
    (tmp_path / "c" / "u").mkdir(parents=True)
    (tmp_path / "c" / "u" / "2022.yaml").write_text(TEXT, encoding="utf-8")
    result = run_cli("report", "--year", "2022", "--content", str(tmp_path / "c"), "--out", str(tmp_path / "b"), cwd=tmp_path)
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if "生成报告还须填写此部分" in line]
    assert [line.split(": ")[1].split("（")[0].split("：")[0] for line in lines] == [
        "policy_documents", "internal_units", "functions", "evaluation", "department", "indicators"]
    assert lines[4].startswith(f"c/u/2022.yaml:{where(TEXT, 'department:')}: department：short_name（部门简称）、rank（部门职级）")
    assert lines[5].startswith(f"c/u/2022.yaml:{where(TEXT, 'indicators:')}: indicators：19 项指标的 analysis（分析）")
    assert not (tmp_path / "b").exists() or not any((tmp_path / "b").rglob("*.docx"))


def test_among_other_departments_the_form_only_one_is_skipped_and_said(tmp_path):
    for dept, text in (("u", TEXT), ("bishan-kjj", (ROOT / "content" / "bishan-kjj" / "2022.yaml").read_text(encoding="utf-8"))):
        (tmp_path / "c" / dept).mkdir(parents=True)
        (tmp_path / "c" / dept / "2022.yaml").write_text(text, encoding="utf-8")
    result = run_cli("report", "--year", "2022", "--content", str(tmp_path / "c"), "--out", str(tmp_path / "b"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "b" / "2022" / "bishan-kjj.docx").exists() and not (tmp_path / "b" / "2022" / "u.docx").exists()
    assert "重庆市某区文化和旅游发展委员会：只有自评表，未生成报告" in result.stderr


def test_adding_one_narrative_part_makes_it_a_report_file_missing_the_rest(tmp_path):
    """Recognised by the absence of every narrative part: one part present, the others are required."""
    text = TEXT.replace("indicators:\n", "functions:\n  - 负责全区文化和旅游工作。\n\nindicators:\n", 1)
    (tmp_path / "c" / "u").mkdir(parents=True)
    (tmp_path / "c" / "u" / "2022.yaml").write_text(text, encoding="utf-8")
    checked = build.check(tmp_path / "c" / "u" / "2022.yaml", "f.yaml")
    assert not checked.form_only and not checked.ok
    messages = " ".join(p.message for p in checked.problems)
    assert "缺少必填项“policy_documents”" in messages and "缺少必填项“analysis”" in messages


def test_importing_a_standalone_form_gives_a_form_only_draft(built, tmp_path):
    """A Word document holding only the 自评表: the draft has no narrative keys and no blank
    carry-overs or adjusted budget (unknown, not 0); its indicators are the form's 19 rows."""
    from ruamel.yaml import YAML

    _, out = built
    result = run_cli("import", str(out / "culture-tourism-自评表.docx"), "--dept", "u", "--year", "2022",
                     "--content", str(tmp_path / "c"), cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    tree = YAML(typ="safe").load((tmp_path / "c" / "u" / "2022.yaml").read_text(encoding="utf-8"))
    assert set(tree) == {"year", "department", "budget", "indicators", "form"}
    assert not {"carryover_start", "adjusted", "carryover_end"} & set(tree["budget"])
    assert len(tree["indicators"]) == 19 and not any("analysis" in ind for ind in tree["indicators"])
    assert "没有找到分析段落" not in result.stdout + result.stderr
    assert "只有自评表的内容文件" in run_cli("check", "--year", "2022", "--content", str(tmp_path / "c"), cwd=tmp_path).stdout


def test_preview_shows_the_standalone_form_and_diff_compares_it(tmp_path):
    from lxml import html as lxml_html

    from pipeline.commands import diff, preview
    from pipeline.output.text import paragraphs

    path = tmp_path / "content" / "u" / "2022.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(TEXT, encoding="utf-8")
    fragment = preview.Preview(tmp_path, tmp_path / "content", 2022, build.DEFAULT_TEMPLATE).report_fragment("u", path)
    tree = lxml_html.fragment_fromstring(fragment, create_parent="div")
    assert tree.xpath("//section[contains(@class,'landscape')]//table") and "97.67" in tree.text_content()
    before, _ = diff.build_version(TEXT.encode("utf-8"), "a", build.DEFAULT_TEMPLATE)
    after, _ = diff.build_version(TEXT.replace("    actual: 126\n", "    actual: 118\n    deviation:\n      reason: 场地维修\n").encode("utf-8"), "b", build.DEFAULT_TEMPLATE)
    change = diff.compare(before, after, "u")
    assert ("公共文化活动场次 全年完成值", "126场", "118场") in change.figures
    assert ("总分", "97.67", "97.59") in change.figures  # 5 × 118 ÷ 120 = 4.92: 97.67 − 0.08
    data, _ = build.form_docx(build.check(path))
    assert paragraphs(data)[0] == "重庆市某区文化和旅游发展委员会2022年度部门整体支出绩效自评表"


def test_the_form_only_xlsx_states_no_date_nobody_typed(built):
    """A report's form is dated by its analysis's end; a form-only file gives no date: 填报日期 is blank."""
    _, out = built
    rows = _rows(out / "culture-tourism-自评表.xlsx")
    filing = [cell for cell in rows[1] if cell]
    assert filing == ["填报单位：重庆市某区文化和旅游发展委员会", "填报日期：", "单位：万元"]


def test_new_year_of_a_form_only_file_stays_form_only_with_the_years_figures_blank(tmp_path):
    from ruamel.yaml import YAML

    (tmp_path / "c" / "u").mkdir(parents=True)
    (tmp_path / "c" / "u" / "2022.yaml").write_text(TEXT, encoding="utf-8")
    made = run_cli("new-year", "--from", "2022", "--to", "2023", "--content", str(tmp_path / "c"), cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    tree = YAML(typ="safe").load((tmp_path / "c" / "u" / "2023.yaml").read_text(encoding="utf-8"))
    assert set(tree) == {"year", "department", "budget", "indicators", "form"}
    assert [(p["name"], p["initial"], p["executed"], p["weight"]) for p in tree["budget"]["parts"]] == [
        ("基本支出", None, None, 10), ("项目支出", None, None, 10)]  # the parts' figures are the year's too
    checked = run_cli("check", "--year", "2023", "--content", str(tmp_path / "c"), cwd=tmp_path)
    assert "只有自评表的内容文件" in checked.stdout and "parts[1].initial" in checked.stdout
