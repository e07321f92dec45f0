"""Issue 13: the content model for other departments, and the mistakes real users make.

Every refusal is asserted at its exact line and column; every accepted case by building the
report and reading the printed sentence back with python-docx. The reference content is edited
one change at a time; the figures come from domain.md §6 (a township's 1172.55 → 1268.72 万元).
"""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from pipeline import build
from pipeline.build import render_docx
from pipeline.problems import Severity

from .conftest import docx_lines, edit, real_text, where


def check(tmp_path: Path, text: str, year: int = 2022):
    path = tmp_path / "content" / "bishan-kjj" / f"{year}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return build.check(path, f"content/bishan-kjj/{year}.yaml")


def messages(checked, severity=Severity.error) -> list[str]:
    return [str(p) for p in checked.problems if p.severity is severity]


def built(tmp_path: Path, text: str) -> list[str]:
    """The report's paragraphs (table cells one per line), built from ``text``."""
    checked = check(tmp_path, text)
    assert checked.ok, messages(checked)
    data, problems = render_docx(checked)
    assert data is not None, problems
    out = tmp_path / "out.docx"
    out.write_bytes(data)
    return docx_lines(out)


def form_table(tmp_path: Path, text: str, *first: str) -> list[list[str]]:
    """The attachment's table whose first row starts with ``first``."""
    checked = check(tmp_path, text)
    data, _ = render_docx(checked)
    out = tmp_path / "form.docx"
    out.write_bytes(data)
    for table in docx.Document(str(out)).tables:
        if [c.text for c in table.rows[0].cells][: len(first)] == list(first):
            return [[c.text for c in row.cells] for row in table.rows]
    raise AssertionError(f"no table starting with {first}")


# ---------------------------------------------------------------- over-execution (item 1)

TOWNSHIP_BUDGET = """  initial: 1172.55
  carryover_start: 0
  adjusted: 1172.55
  executed: 1268.72
  carryover_end: 0
  execution_weight: 10
  deviation:
    reason: 项目经费增加
"""


def _over_executed() -> str:
    text = real_text()
    start = text.index("  initial: 2931.88")
    end = text.index("santong:")
    return text[:start] + TOWNSHIP_BUDGET + "\n" + text[end:]


def test_over_execution_prints_the_computed_rate_the_reason_and_the_cap(tmp_path):
    lines = built(tmp_path, _over_executed())
    # 1268.72 ÷ 1172.55 = 1.08202… → 108.20 % (two decimals written); 10 × 1.082 capped at 10.
    assert (
        "年初预算数为1172.55万元，全年调整数为1172.55万元，预算执行数为1268.72万元，因项目经费增加，"
        "预算执行率为108.20%。根据评价标准，执行率超过100%的按100%计分，该指标得100%权重分。"
    ) in lines
    row = lines.index("预算执行率")
    assert lines[row : row + 4] == ["预算执行率", "10", "10", "100%"]
    # Every indicator is full in the reference: 10 + 90 = 100.
    assert any("自评总得分100分" in line for line in lines)


def test_over_execution_reason_is_in_the_form(tmp_path):
    rows = form_table(tmp_path, _over_executed(), "指标名称", "偏差原因")
    deviations = [r for r in rows if r[0] == "预算执行率"]
    assert deviations == [["预算执行率", "项目经费增加", ""]]


# ---------------------------------------------------------------- year and file name (item 6)


def test_year_must_match_the_file_name(tmp_path):
    checked = check(tmp_path, real_text(), year=2023)
    at = where(real_text(), "2022\n\ndepartment")
    assert messages(checked)[0] == (
        f"content/bishan-kjj/2023.yaml:{at}: 年度 2022 与文件名 2023.yaml 不符："
        "报告将按 2022 年度撰写，却放在 2023 年度；请改正 year 或文件名"
    )


# ---------------------------------------------------------------- punctuation (item 6)


def test_a_habitual_full_stop_is_not_doubled(tmp_path):
    text = edit(real_text(), "  rank: 区政府工作部门，为正处级", "  rank: 区政府工作部门，为正处级。")
    text = edit(text, "    reason: 财政资金紧张，支付困难", "    reason: 财政资金紧张，支付困难。")
    text = edit(text, "  change_reason: 国内公务接待减少", "  change_reason: 国内公务接待减少。")
    lines = built(tmp_path, text)
    assert "重庆市璧山区科学技术局是区政府工作部门，为正处级。" in lines
    assert any("，因财政资金紧张，支付困难，预算执行率为42.42%。" in line for line in lines)
    assert any("主要原因是国内公务接待减少。本年" in line for line in lines)
    assert not any("。。" in line or "。，" in line for line in lines)


def test_a_missing_full_stop_does_not_run_sentences_together(tmp_path):
    text = edit(real_text(), "本年度新增科技型企业{actual}家。", "本年度新增科技型企业{actual}家")
    lines = built(tmp_path, text)
    assert "增强科技服务水平，加大科技型企业投入，本年度新增科技型企业171家。根据评价标准，该指标得100%权重分。" in lines


def test_a_trailing_pause_is_refused_at_its_place(tmp_path):
    text = edit(real_text(), "  rank: 区政府工作部门，为正处级", "  rank: 区政府工作部门，为正处级，")
    assert messages(check(tmp_path, text)) == [
        f"content/bishan-kjj/2022.yaml:{where(text, '区政府工作部门，为正处级，')}: "
        "结尾的“，”之后报告还会接上标点，将印成“，，”或“，。”：请删去结尾的“，”"
    ]


# ---------------------------------------------------------------- decimals as written (item 6)


def test_typed_decimals_print_as_written(tmp_path):
    text = edit(real_text(), "  budget: 13.2\n", "  budget: 13.20\n")
    text = edit(text, "      amount: 1.13", "      amount: 1.10")
    lines = built(tmp_path, text)
    # 4.85 + 1.10 = 5.95; 5.95 − 13.20 = −7.25 (derived: two decimals).
    assert any(
        "支出总额5.95万元，其中：公务车运行维护费4.85万元、国内公务接待1.10万元。年初预算支出13.20万元，比年初预算减少7.25万元" in line
        for line in lines
    )


# ---------------------------------------------------------------- optional parts (item 5)


def test_public_institution_staffing_prints_no_zero_sentence(tmp_path):
    text = edit(
        real_text(),
        "  administrative: 9\n  posts:\n    - title: 局长\n      count: 1\n    - title: 副局长\n      count: 2\n  section_leaders: 3\n",
        "",
    )
    lines = built(tmp_path, text)
    assert "机关后勤服务人员事业编制1名。" in lines
    assert not any("行政编制" in line or "0名" in line for line in lines)


def test_staffing_may_be_left_out_entirely(tmp_path):
    start = real_text().index("staffing:")
    end = real_text().index("functions:")
    text = real_text()[:start] + real_text()[end:]
    lines = built(tmp_path, text)
    last_unit = next(i for i, line in enumerate(lines) if line.startswith("（3）规划发展科。"))
    assert lines[last_unit + 1] == "3、职能职责"  # the next heading follows the units directly
    assert not any("行政编制" in line or "事业编制" in line for line in lines)


def test_santong_without_vehicles_and_overseas_has_no_empty_sentence(tmp_path):
    text = edit(
        real_text(),
        "  vehicles:\n    funding: 非财政拨款资金\n    purchased: 1\n    disposed: 1\n    held: 2\n  overseas:\n    groups: 0\n    people: 0\n",
        "",
    )
    lines = built(tmp_path, text)
    santong = next(line for line in lines if line.startswith("2022年“三公”经费"))
    assert santong.endswith("比年初预算减少7.22万元，主要原因是国内公务接待减少。")
    assert "本年" not in santong


def test_supervisor_is_printed_in_the_form_header(tmp_path):
    text = edit(real_text(), "  supervisor: 重庆市璧山区科学技术局\n", "  supervisor: 重庆市璧山区人民政府\n")
    header = form_table(tmp_path, text, "主管部门")
    assert header[0][:2] == ["主管部门", "重庆市璧山区人民政府"]


def test_the_reference_types_its_own_name_as_supervisor(tmp_path):
    header = form_table(tmp_path, real_text(), "主管部门")
    assert header[0][:2] == ["主管部门", "重庆市璧山区科学技术局"]


@pytest.mark.parametrize("typed", ["", "  supervisor:\n"], ids=["omitted", "blank"])
def test_without_supervisor_the_cell_stays_empty_never_the_department(tmp_path, typed):
    """Nobody typed a 主管部门: the cell is empty (it used to print the department's own name)."""
    text = edit(real_text(), "  supervisor: 重庆市璧山区科学技术局\n", typed)
    header = form_table(tmp_path, text, "主管部门")
    assert header[0][:2] == ["主管部门", ""]


# ---------------------------------------------------------------- how a score was obtained (item 5)

JUDGED = "    actual: 171\n    judgement:\n      coefficient: 1\n      basis: 评价标准\n"


def test_override_prints_its_reason_and_the_rule_score(tmp_path):
    # 15 × 150 ÷ 171 would be full (171 ≥ 150): the rule gives 15, the evaluators set 13.5.
    text = edit(
        real_text(), JUDGED,
        "    direction: '>='\n    target_initial: 150\n    actual: 171\n    override:\n      score: 13.5\n      reason: 部分企业材料不全，评价组酌情扣分\n"
        "    deviation:\n      reason: 部分企业申报材料不全\n",
    )
    lines = built(tmp_path, text)
    assert (
        "增强科技服务水平，加大科技型企业投入，本年度新增科技型企业171家。偏差原因：部分企业申报材料不全。"
        "经评价组评定，该指标得13.50分（按评分规则计算为15分），理由是部分企业材料不全，评价组酌情扣分。"
    ) in lines


def test_judgement_names_its_basis(tmp_path):
    text = edit(real_text(), JUDGED, "    actual: 171\n    judgement:\n      coefficient: 1\n      basis: 现场核查及企业名录比对\n")
    lines = built(tmp_path, text)
    assert "增强科技服务水平，加大科技型企业投入，本年度新增科技型企业171家。根据现场核查及企业名录比对，该指标得100%权重分。" in lines


def test_rule_score_says_the_rule(tmp_path):
    text = edit(real_text(), JUDGED, "    direction: '>='\n    target_initial: 150\n    actual: 171\n")
    lines = built(tmp_path, text)
    assert "增强科技服务水平，加大科技型企业投入，本年度新增科技型企业171家。根据评价标准，完成值达到指标值，该指标得100%权重分。" in lines


def test_a_reason_on_a_full_score_row_is_printed(tmp_path):
    text = edit(real_text(), JUDGED, JUDGED + "    deviation:\n      reason: 完成值远超预期，系当年集中认定所致\n")
    lines = built(tmp_path, text)
    assert (
        "增强科技服务水平，加大科技型企业投入，本年度新增科技型企业171家。偏差原因：完成值远超预期，系当年集中认定所致。"
        "根据评价标准，该指标得100%权重分。"
    ) in lines


# ---------------------------------------------------------------- new year (item 6)


def test_new_year_blanks_the_years_own_values_and_flags_the_carried_notice(tmp_path):
    from pipeline.commands.newyear import start_year

    text = edit(real_text(), JUDGED, "    direction: '>='\n    target_initial: 150\n    actual: 171\n")
    text += "\nform:\n  goals:\n    initial: 新增科技型企业150家\n    achieved: 新增科技型企业171家\n"
    source = tmp_path / "content" / "bishan-kjj" / "2022.yaml"
    source.parent.mkdir(parents=True)
    source.write_text(text, encoding="utf-8")
    target = source.with_name("2023.yaml")
    assert start_year(source, target, 2023) == []
    new = target.read_text(encoding="utf-8")
    assert "150" not in new and "171" not in new and "新增科技型企业150家" not in new
    checked = build.check(target, "content/bishan-kjj/2023.yaml")
    found = [str(p) for p in checked.problems]
    for needle in ("target_initial:\n", "initial:\n    achieved", "achieved:\n"):
        at = where(new, needle)
        assert any(m.startswith(f"content/bishan-kjj/2023.yaml:{at}: ") and "未填写" in m for m in found), (needle, found)
    # Once the file is complete (here: last year's, its year changed), the carried 2022 notice
    # is named with its line.
    filled = edit(real_text(), "year: 2022", "year: 2023")
    doc_at = where(filled, "重庆市璧山区财政局关于开展2022年度预算绩效自评工作的通知")
    target.write_text(filled, encoding="utf-8")
    warnings = [str(p) for p in build.check(target, "content/bishan-kjj/2023.yaml").problems if p.severity is Severity.warning]
    assert (
        f"content/bishan-kjj/2023.yaml:{doc_at}: 警告：文件名称中的“2022年度”与报告年度 2023 不符：是否沿用了上一年度的文件？请核对"
    ) in warnings


# ---------------------------------------------------------------- schema hover texts (issue 12 item 6)


def test_schema_hover_texts_are_chinese_and_enums_are_the_words_users_type():
    import json
    import re

    from pipeline.content.schema import schema

    generated = schema()
    titles = [d["title"] for d in generated["definitions"].values()]
    assert all(not re.search("[A-Za-z]{3,}", t) for t in titles), titles
    assert generated["definitions"]["Kind"]["enum"] == ["定量", "定性"]
    assert generated["definitions"]["Achievement"]["enum"] == ["达成", "部分达成", "未达成"]
    # draft-07 ignores keys beside $ref: each described reference is wrapped so its title shows.
    text = json.dumps(generated, ensure_ascii=False)
    assert not re.search(r'"\$ref": "[^"]*", "(title|description)"', text)


def test_an_analysis_ending_in_a_comma_is_refused_at_its_place(tmp_path):
    text = edit(real_text(), "本年度新增科技型企业{actual}家。", "本年度新增科技型企业{actual}家，")
    assert messages(check(tmp_path, text)) == [
        f"content/bishan-kjj/2022.yaml:{where(text, '增强科技服务水平')}: "
        "结尾的“，”之后报告还会接上标点，将印成“，，”或“，。”：请删去结尾的“，”"
    ]


def test_a_reason_for_an_exact_100_percent_is_named_not_silently_dropped(tmp_path):
    text = edit(real_text(), "  executed: 1209.56", "  executed: 2851.19")
    warnings = messages(check(tmp_path, text), Severity.warning)
    assert f"content/bishan-kjj/2022.yaml:{where(text, 'deviation:')}: 警告：预算执行率恰为 100%，没有偏差：budget.deviation 不会印出，可删除" in warnings


def test_santong_total_prints_like_the_amounts_it_adds(tmp_path):
    # 2.40 + 1.60: the total is 4.00, as its addends and the budget beside it are typed (not "4"),
    # and every amount of the sentence carries 万元.
    text = edit(real_text(), "  budget: 13.2\n", "  budget: 4.00\n")
    text = edit(text, "      amount: 4.85", "      amount: 2.40")
    text = edit(text, "      amount: 1.13", "      amount: 1.60")
    lines = built(tmp_path, text)
    assert any("支出总额4.00万元，其中：公务车运行维护费2.40万元、国内公务接待1.60万元。年初预算支出4.00万元，与年初预算持平。" in line for line in lines), [
        line for line in lines if "三公" in line
    ]
