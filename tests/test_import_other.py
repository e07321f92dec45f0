"""`make import` on material shaped like other units' (tests/import_inputs.py builds it): a 自评表 in
one Word table, the same form in Excel, a report in another district's words with the form
attached, two more narratives, a .doc and an .xls. Each draft is compared with what a person reads
off the input (written out by hand in import_inputs.py), not with what the import happens to give.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from pipeline import build
from pipeline.commands.importing.command import import_report

from . import import_inputs as given
from .conftest import ROOT, soffice


def do_import(source: Path, tmp_path: Path, dept: str = "tl"):
    code, out, err = import_report(source, dept, 2022, tmp_path / "content")
    return code, "\n".join(out), "\n".join(err), tmp_path / "content" / dept / "2022.yaml"


def draft_of(path: Path) -> dict:
    from ruamel.yaml import YAML

    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def placed(out: str) -> tuple[int, int]:
    m = re.search(r"段落：共 (\d+) 段，放入内容项 (\d+) 段", out)
    return int(m.group(2)), int(m.group(1))


def same(a, b) -> bool:
    """Numbers equal as numbers (96 and 96.0), anything else as it is (True, 高)."""
    number = (int, float, Decimal)
    if isinstance(a, number) and isinstance(b, number) and not isinstance(a, bool) and not isinstance(b, bool):
        return Decimal(str(a)) == Decimal(str(b))
    return a == b and type(a) is type(b)


def assert_indicators(draft_indicators: list[dict], expected: list[dict]) -> None:
    assert [i["name"] for i in draft_indicators] == [e["name"] for e in expected]
    for got, want in zip(draft_indicators, expected):
        for key, value in want.items():
            if key == "coefficient":
                assert same(got["qualitative"]["coefficient"], value), (got["name"], got.get("qualitative"))
                continue
            assert key in got and same(got[key], value), (got["name"], key, got.get(key), value)
        assert "direction" in got or got["kind"] == "定性", got["name"]


def mismatches(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith("计算不符")]


# ---------------------------------------------------------------- the form alone, in Word


def test_a_word_form_in_one_table_becomes_a_form_only_draft_with_every_field(tmp_path):
    code, out, err, target = do_import(given.word_form(tmp_path / "自评表.docx"), tmp_path)
    assert code == 0, err
    draft = draft_of(target)
    # A form-only file: what the form holds and no narrative key, not even blank ones.
    assert set(draft) == {"year", "department", "budget", "indicators", "form"}
    assert draft["department"] == {"name": given.UNIT, "supervisor": given.SUPERVISOR}
    assert draft["form"]["contact"] == "李明" and draft["form"]["phone"] == "023-45678901"
    assert draft["form"]["leader"] == "王强" and draft["form"]["finance_office"] == "行政政法科"
    assert draft["form"]["goals"] == {"initial": given.GOALS[0], "achieved": given.GOALS[2]}
    budget = draft["budget"]
    assert [budget[k] for k in ("initial", "adjusted", "executed", "execution_weight")] == [1172.55, 1268.30, 1203.72, 10]
    assert budget["deviation"] == {"reason": "部分项目资金年末未支付", "measure": "加快项目实施和资金支付进度"}
    assert [(p["name"], p["initial"], p["adjusted"], p["executed"]) for p in budget["parts"]] == [
        ("基本支出", 985.19, 1010.50, 1003.20), ("项目支出", 187.36, 257.80, 200.52)]
    assert_indicators(draft["indicators"], given.EXPECTED_INDICATORS)
    assert all("analysis" not in i for i in draft["indicators"])
    for name, (reason, measure) in given.REASONS.items():
        if name != "预算执行率":
            ind = next(i for i in draft["indicators"] if i["name"] == name)
            assert ind["deviation"] == {"reason": reason, "measure": measure}
    # Building it reproduces the form's figures: the only differences are the two wrong claims.
    assert mismatches(out) == [
        f"计算不符：表1第1行：自评总分原文为 {given.CLAIMED_TOTAL}，按导入的内容计算为 {given.COMPUTED_TOTAL}。",
        f"计算不符：表1第32行：合计得分原文为 {given.CLAIMED_TOTAL}，按导入的内容计算为 {given.COMPUTED_TOTAL}。",
        "计算不符：表1第31行（政府采购执行率）：指标得分原文为 4，按导入的内容计算为 2.91。",
        "计算不符：表1第31行（政府采购执行率）：得分系数原文为 100%，按导入的内容计算为 72.74%。",
    ]
    assert f"检查通过：总分 {given.COMPUTED_TOTAL} 分" in out
    # Counts true: both paragraphs placed (the title names the unit; the unit line is the budget's),
    # the table read as a form, and no cell left over.
    assert placed(out) == (2, 2)
    assert "表格：共 1 个，读作自评表：表1。" in out
    assert "（未能放入任何项）" not in target.read_text(encoding="utf-8")


def test_cells_a_form_reader_does_not_understand_are_kept_and_counted(tmp_path):
    import docx

    source = given.word_form(tmp_path / "自评表.docx")
    document = docx.Document(str(source))
    row = document.tables[0].add_row()
    row.cells[0].text = "审核人：赵六"
    row.cells[5].text = "数据截至12月31日"
    document.save(str(source))
    code, out, err, target = do_import(source, tmp_path)
    assert code == 0, err
    assert "其中 2 个单元格未能放入任何项" in out
    text = target.read_text(encoding="utf-8")
    assert "审核人：赵六 | 数据截至12月31日" in text


def test_a_table_that_is_no_form_is_listed_with_its_first_cells(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("附表")
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells + table.rows[1].cells, ("序号", "项目名称", "金额", "1", "道路维修", "30")):
        cell.text = text
    document.save(str(tmp_path / "x.docx"))
    code, out, err, target = do_import(tmp_path / "x.docx", tmp_path)
    assert code == 0, err
    assert "未能识别的表格（整表作为注释保留）：表1（“序号”“项目名称”“金额”“1”…）" in out
    assert "序号 | 项目名称 | 金额" in target.read_text(encoding="utf-8")


# ---------------------------------------------------------------- the form in Excel


def test_an_excel_form_with_other_labels_and_percent_formats(tmp_path):
    code, out, err, target = do_import(given.excel_form(tmp_path / "自评表.xlsx"), tmp_path)
    assert code == 0, err
    draft = draft_of(target)
    assert set(draft) == {"year", "department", "budget", "indicators", "form"}
    assert draft["department"] == {"name": given.UNIT, "supervisor": given.SUPERVISOR}
    assert draft["form"] == {"contact": "李明", "phone": "023-45678901", "goals": {"initial": given.GOALS[0], "achieved": given.GOALS[2]}}
    budget = draft["budget"]
    assert "execution_weight" not in budget  # the form scores the parts instead
    assert [budget[k] for k in ("initial", "adjusted", "executed")] == [1172.55, 1268.3, 1203.72]
    assert [(p["name"], p["initial"], p["adjusted"], p["executed"], p["weight"]) for p in budget["parts"]] == [
        ("基本支出", 985.19, 1010.5, 1003.2, 5), ("项目支出", 187.36, 257.8, 200.52, 5)]
    assert_indicators(draft["indicators"], given.EXPECTED_INDICATORS)
    assert [i["level1"] for i in draft["indicators"][:2]] == ["产出指标", "产出指标"]
    assert draft["indicators"][12]["level2"] == "社会效益指标"
    assert mismatches(out) == [
        f"计算不符：工作表“自评表”第2行：自评总分原文为 {given.EXCEL_CLAIMED_TOTAL}，按导入的内容计算为 {given.EXCEL_COMPUTED_TOTAL}。",
        "计算不符：工作表“自评表”第31行（政府采购执行率）：指标得分原文为 4，按导入的内容计算为 2.91。",
        "计算不符：工作表“自评表”第31行（政府采购执行率）：得分系数原文为 100%，按导入的内容计算为 72.74%。",
    ]
    # The parts' rates (stored 0.9928 in a 0.00% cell) and scores agree with the computed ones.
    assert f"检查通过：总分 {given.EXCEL_COMPUTED_TOTAL} 分" in out
    assert "其中 1 个单元格未能放入任何项" in out  # the 填表说明 line, kept
    assert "填表说明：得分率=得分÷分值。" in target.read_text(encoding="utf-8")


def test_a_percent_cell_shows_as_the_sheet_shows_it():
    from pipeline.commands.importing.sheetread import shown

    assert shown(1203.72 / 1268.30, "0.00%") == "94.91%"
    assert shown(0.96, "0%") == "96%"
    assert shown(2851.19, "General") == "2851.19"
    assert shown(0.1 + 0.2, "General") == "0.30000000000000004"  # no format: every digit Excel keeps


# ---------------------------------------------------------------- narratives in their own words


def test_a_report_in_other_words_with_the_form_attached(tmp_path):
    source = given.narrative(tmp_path / "报告.docx", given.NARRATIVE_A, form=True)
    code, out, err, target = do_import(source, tmp_path)
    assert code == 0, err
    got, total = placed(out)
    assert (got, total) == (33, 33)
    assert "表格：共 1 个，读作自评表：表1。" in out
    draft = draft_of(target)
    assert draft["department"]["supervisor"] == given.SUPERVISOR
    assert [u["name"] for u in draft["internal_units"]] == ["办公室", "新闻采编部", "广播电视部", "新媒体部", "技术保障部"]
    assert draft["staffing"]["institutional"][0]["count"] == 48
    assert draft["functions"] == ["负责全区新闻宣传和舆论引导工作。", "负责区级广播电视节目的制作和播出。", "负责融媒体平台建设和运营管理。"]
    assert [draft["budget"][k] for k in ("initial", "adjusted", "executed")] == [1172.55, 1268.30, 1203.72]
    assert draft["santong"]["items"] == [{"name": "公务接待费", "amount": 1.2}, {"name": "公务用车运行维护费", "amount": 5}]
    assert draft["santong"]["budget"] == 8.5
    assert draft["policy_documents"][0]["number"] == "铜财绩〔2023〕3号"
    assert draft["evaluation"]["preparation"]["document"] == "doc1"
    assert (str(draft["evaluation"]["analysis"]["start"]), str(draft["evaluation"]["analysis"]["end"])) == ("2023-02-10", "2023-03-10")
    assert draft["experience"] == ["新闻宣传影响力持续提升，全年推出重大主题宣传专题12个。", "安全播出保障有力，全年实现安全播出零事故。"]
    assert draft["problems"] == ["部分项目资金支付进度较慢。", "新媒体平台内容更新频率有待提高。"]
    assert draft["suggestions"] == ["加快项目实施和资金支付进度。", "完善新媒体内容生产机制。"]
    # The 19 indicators come from the form; the five stated in sentences give their analysis.
    assert_indicators(draft["indicators"], given.EXPECTED_INDICATORS)
    analysis = {i["name"]: i.get("analysis") for i in draft["indicators"]}
    assert analysis["直播活动场次"] == "年初目标≥30场，全年完成{actual}场。"  # the score is computed, not copied
    assert analysis["电视新闻播出时长"] is None


@pytest.mark.parametrize("paragraphs, expected_total", [(given.NARRATIVE_B, 31), (given.NARRATIVE_C, 30), (given.NARRATIVE_D, 33)])
def test_narratives_in_other_words_place_at_least_80_percent(tmp_path, paragraphs, expected_total):
    code, out, err, target = do_import(given.narrative(tmp_path / "报告.docx", paragraphs), tmp_path)
    assert code == 0, err
    got, total = placed(out)
    assert total == expected_total and got >= 0.8 * total, out
    text = target.read_text(encoding="utf-8")
    left = len(re.findall(r"原文第\d+段（未能放入任何项）", text))
    assert got + left == total  # none dropped: every paragraph placed or kept as a comment


def test_narrative_b_read_sentence_by_sentence(tmp_path):
    code, out, err, target = do_import(given.narrative(tmp_path / "b.docx", given.NARRATIVE_B), tmp_path, "dz")
    draft = draft_of(target)
    assert draft["department"]["name"] == "重庆市大足区统计局" and draft["department"]["short_name"] == "区统计局"
    assert len(draft["internal_units"]) == 6 and draft["internal_units"][5]["name"] == "社会科技统计科"
    assert draft["staffing"] == {"administrative": 22, "posts": [{"title": "局长", "count": 1}, {"title": "副局长", "count": 2}]}
    assert [draft["budget"][k] for k in ("initial", "adjusted", "executed")] == [652.30, 701.45, 680.12]
    assert draft["santong"]["change_reason"] == "严格执行公务接待标准"
    assert draft["policy_documents"][0]["number"] == "大足财发〔2023〕12号"
    assert str(draft["signature"]["date"]) == "2023-03-25"
    assert draft["suggestions"] == ["充实基层统计人员。", "推进统计信息化建设。"]  # 七、改进措施
    checks = {i["name"]: i for i in draft["indicators"]}
    # 统计执法检查次数: ≥20次, 18 done, 得9分 — weight 10 is the one the rule needs (10 × 18 ÷ 20 = 9).
    assert (checks["统计执法检查次数"]["direction"], checks["统计执法检查次数"]["target_initial"], checks["统计执法检查次数"]["actual"]) == (">=", 20, 18)
    assert checks["统计执法检查次数"]["weight"] == 10
    assert checks["统计报表差错率"]["direction"] == "<=" and checks["统计报表差错率"]["unit"] == "%"
    assert "按原文第18段的得分 9 分和评分规则推算为 10 分" in target.read_text(encoding="utf-8")


def test_an_indicator_sentence_is_scored_by_rule():
    """The issue's example: 年初目标≥98%，全年完成96%，得9.8分 — a weight of 10 gives 9.8 by rule."""
    from pipeline.commands.importing import shapes
    from pipeline.commands.importing.figures import inferred_weight

    said = shapes.indicator("（3）资金拨付及时率：年初目标≥98%，全年完成96%，得9.8分。")
    assert (said["name"], said["direction"], said["target"], said["actual"], said["unit"], said["score"]) == (
        "资金拨付及时率", ">=", Decimal("98"), Decimal("96"), "%", "9.8")
    assert said["analysis"] == "年初目标≥98%，全年完成{actual}%。"
    assert inferred_weight(said) == 10
    # A claimed score no weight gives back by the rule: no weight is made up.
    assert inferred_weight(shapes.indicator("资金拨付及时率：年初目标≥98%，全年完成96%，得9.3分。")) is None


# ---------------------------------------------------------------- converted through LibreOffice


def _convert(source: Path, to: str, outdir: Path) -> Path:
    exe = soffice()
    outdir.mkdir()
    subprocess.run([exe, "--headless", "--norestore", f"-env:UserInstallation={(outdir / 'p').as_uri()}",
                    "--convert-to", to, "--outdir", str(outdir), str(source)], check=True, capture_output=True, timeout=180)
    return outdir / (source.stem + "." + to)


@pytest.mark.skipif(soffice() is None, reason="LibreOffice（soffice）未安装：.doc/.xls 须经它转换")
def test_a_doc_and_an_xls_read_as_their_docx_and_xlsx(tmp_path):
    docx_file = given.narrative(tmp_path / "b.docx", given.NARRATIVE_B)
    doc = _convert(docx_file, "doc", tmp_path / "doc")
    code, out, err, target = do_import(doc, tmp_path, "from-doc")
    assert code == 0, err
    code2, out2, err2, target2 = do_import(docx_file, tmp_path, "from-docx")
    assert draft_of(target) == draft_of(target2)
    assert placed(out) == placed(out2)
    xlsx_file = given.excel_form(tmp_path / "form.xlsx")
    xls = _convert(xlsx_file, "xls", tmp_path / "xls")
    et = shutil.copy(xls, tmp_path / "form.et")  # WPS 表格 saves .et in the same binary format
    for source, dept in ((xls, "from-xls"), (Path(et), "from-et")):
        code, out, err, target = do_import(source, tmp_path, dept)
        assert code == 0, err
        assert_indicators(draft_of(target)["indicators"], given.EXPECTED_INDICATORS)
        assert f"检查通过：总分 {given.EXCEL_COMPUTED_TOTAL} 分" in out


def test_the_form_only_draft_builds_and_scores(tmp_path):
    """The draft of the Word form is a valid form-only file: check passes and the scores are the
    rule's (the total worked by hand in import_inputs.py)."""
    code, out, err, target = do_import(given.word_form(tmp_path / "f.docx"), tmp_path)
    checked = build.check(target)
    assert checked.ok, [str(p) for p in checked.problems]
    assert str(checked.scores.total) == given.COMPUTED_TOTAL
    assert [str(s.score) for s in checked.scores.indicators][:3] == ["5.00", "5.00", "4.75"]


# ---------------------------------------------------------------- hostile spreadsheets


def test_a_broken_or_bloated_spreadsheet_is_refused_in_chinese(tmp_path):
    import zipfile

    broken = tmp_path / "坏.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    code, out, err, target = do_import(broken, tmp_path)
    assert code == 1 and "无法读取为 Excel 表格" in err and not target.exists()
    bomb = tmp_path / "大.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", " " * (11 * 1024 * 1024))  # 11 MB unpacked, 11 KB packed
    code, out, err, target = do_import(bomb, tmp_path)
    assert code == 1 and "解压后过大" in err and not target.exists()


def test_a_sheet_declaring_a_million_rows_is_read_in_bounded_time(tmp_path):
    import time

    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    for r in range(1, 2001):  # a sheet full of labels: every row looks like a heading
        for c in range(1, 31):
            ws.cell(row=r, column=c, value=("指标名称", "计量单位", "指标性质", "得分", "年初预算数", "联系人")[c % 6])
    ws.cell(row=1_000_000, column=1, value="末行")
    book.save(str(tmp_path / "大表.xlsx"))
    started = time.monotonic()
    code, out, err, target = do_import(tmp_path / "大表.xlsx", tmp_path)
    assert time.monotonic() - started < 30, "bounded: at most MAX_ROWS rows are read"
    assert code in (0, 1) and "Traceback" not in err


def test_this_tools_own_form_xlsx_imports_back_to_the_reference_figures(tmp_path):
    """Last year's 自评表.xlsx as `make form` wrote it (two sheets: the form, then 偏差原因分析)."""
    from .conftest import CONTENT

    checked = build.check(CONTENT)
    result = subprocess.run([sys.executable, "-m", "pipeline", "form", "--year", "2022", "--dept", "bishan-kjj", "--out", str(tmp_path / "out")],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    code, out, err, target = do_import(tmp_path / "out" / "2022" / "bishan-kjj-自评表.xlsx", tmp_path, "k")
    assert code == 0, err
    assert mismatches(out) == [] and "检查通过：总分 94.24 分" in out
    draft = draft_of(target)
    report = checked.report
    assert [(i["name"], i["weight"], i.get("unit"), i.get("actual")) for i in draft["indicators"]] == [
        (i.name, int(i.weight), i.unit, int(i.actual)) for i in report.indicators]
    assert [draft["budget"][k] for k in ("initial", "adjusted", "executed", "execution_weight")] == [
        float(report.budget.initial), float(report.budget.adjusted), float(report.budget.executed), int(report.budget.execution_weight)]
    assert draft["budget"]["deviation"]["reason"] == report.budget.deviation.reason


def test_formulas_never_calculated_are_named_not_read_as_blank_silently(tmp_path):
    """A form filled by a program (not Excel) holds formulas without results: openpyxl reads them
    as empty, so the summary says how many and what to do."""
    import openpyxl

    source = given.excel_form(tmp_path / "f.xlsx")
    book = openpyxl.load_workbook(source)
    book.active["H6"] = "=F6/E6"  # the 执行率 of the total row, as a formula
    book.save(source)
    code, out, err, target = do_import(source, tmp_path)
    assert code == 0, err
    assert "提示：工作表“自评表”：有 1 个公式单元格没有保存计算结果" in out


def test_a_form_split_over_three_word_tables(tmp_path):
    """Header, budget and indicators as three tables, the header starting with 单位名称."""
    import docx

    document = docx.Document()
    document.add_paragraph(given.TITLE)

    def table(rows):
        t = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
        for r, cells in enumerate(rows):
            for c, text in enumerate(cells):
                t.cell(r, c).text = text
        document.add_paragraph("")

    table([["单位名称", given.UNIT, "主管部门", given.SUPERVISOR], ["联系人", "李明", "联系电话", "023-45678901"]])
    table([["年初预算数（万元）", "全年预算数（万元）", "全年执行数（万元）", "执行率", "权重", "得分"],
           [given.BUDGET["initial"], given.BUDGET["adjusted"], given.BUDGET["executed"], "94.91%", "10", "9.49"]])
    table([["指标名称", "计量单位", "指标性质", "年初指标值", "调整指标值", "全年完成值", "得分系数", "指标权重", "指标得分", "是否核心指标"]]
          + [list(row) for row in given.INDICATORS])
    document.save(str(tmp_path / "f.docx"))
    code, out, err, target = do_import(tmp_path / "f.docx", tmp_path)
    assert code == 0, err
    draft = draft_of(target)
    assert draft["department"] == {"name": given.UNIT, "supervisor": given.SUPERVISOR}
    assert draft["form"]["contact"] == "李明" and draft["form"]["phone"] == "023-45678901"
    assert [draft["budget"][k] for k in ("initial", "adjusted", "executed", "execution_weight")] == [1172.55, 1268.30, 1203.72, 10]
    assert_indicators(draft["indicators"], given.EXPECTED_INDICATORS)
    assert "未能识别的表格" not in out and "（未能放入任何项）" not in target.read_text(encoding="utf-8")


def test_a_sign_and_unit_kept_in_a_number_format_are_read():
    """A target stored as the number 120 shown through the format "≥"General (as this tool's own
    .xlsx writes it), or 6 through 0"次": the sign and unit are the form's, read as shown."""
    from pipeline.commands.importing.sheetread import shown

    assert shown(120, '"≥"General') == "≥120"
    assert shown(6, '0"次"') == "6次"
    assert shown(98, '"≥"0"%"') == "≥98%"  # a quoted % is text, not a percent format
    assert shown(0.98, '"≥"0%') == "≥98%"


def test_narrative_d_read_sentence_by_sentence(tmp_path):
    code, out, err, target = do_import(given.narrative(tmp_path / "d.docx", given.NARRATIVE_D), tmp_path, "jj")
    draft = draft_of(target)
    assert len(draft["internal_units"]) == 10 and draft["internal_units"][9]["name"] == "招生办"  # 内设科室10个，分别是：
    assert draft["staffing"]["administrative"] == 30  # 机关行政编制30名，实有28人。
    assert draft["functions"] == ["贯彻执行国家教育方针政策。", "统筹规划全区教育事业发展。", "负责全区教育经费管理。"]
    budget = draft["budget"]
    assert [budget[k] for k in ("initial", "adjusted", "executed")] == [45680.25, 48900.60, 47321.88]  # two paragraphs
    assert [(p["name"], p["initial"]) for p in budget["parts"]] == [("基本支出", 32560.10), ("项目支出", 13120.15)]
    assert draft["santong"]["items"][1] == {"name": "公务用车运行维护费", "amount": 17}
    assert [i["name"] for i in draft["indicators"]] == ["义务教育巩固率", "学前教育毛入园率", "校舍维修改造面积", "家长满意度"]
    assert [i["level1"] for i in draft["indicators"]] == ["产出指标"] * 3 + ["效益指标"]
    assert draft["indicators"][2]["unit"] == "万平方米" and draft["indicators"][2]["weight"] == 10  # 10 × 4.5 ÷ 5 = 9
    assert draft["problems"] == ["部分项目预算编制不够精准，执行中调整较多。"]  # typed without a number
    assert draft["suggestions"] == ["提高预算编制精准度。", "加强项目执行监控。"]  # 一是…、二是…


@pytest.mark.parametrize("paragraphs, form", [(given.NARRATIVE_A, True), (given.NARRATIVE_B, False), (given.NARRATIVE_D, False)])
def test_counts_are_of_paragraphs_each_placed_once_or_kept(tmp_path, paragraphs, form):
    """The summary's counts are true: every paragraph is placed once, or kept, never both."""
    from pipeline.commands.importing.parse import parse
    from pipeline.commands.importing.wordread import read

    imported = parse(read(given.narrative(tmp_path / "n.docx", paragraphs, form=form)), 2022, "n.docx")
    placed = [p.number for p in imported.placed]
    kept = [p.number for p in imported.left]
    assert len(placed) == len(set(placed)) and not set(placed) & set(kept)
    assert sorted(placed + kept) == list(range(1, imported.total + 1))


def test_a_hidden_sheet_is_named_not_read(tmp_path):
    import openpyxl

    source = given.excel_form(tmp_path / "f.xlsx")
    book = openpyxl.load_workbook(source)
    scratch = book.create_sheet("草稿")
    scratch["A1"] = "自评总分"
    scratch["B1"] = 100
    scratch.sheet_state = "hidden"
    book.save(source)
    code, out, err, target = do_import(source, tmp_path)
    assert code == 0, err
    assert "隐藏的工作表未读取：“草稿”" in out
    assert f"自评总分原文为 {given.EXCEL_CLAIMED_TOTAL}" in out  # the visible form's, not the scratch's 100


def test_pathological_paragraphs_in_other_words_do_not_slow_the_import(tmp_path):
    """Long runs that make a careless pattern backtrack (each under the 20,000-character limit
    above which a paragraph is not parsed), under headings whose paragraphs are read by shape."""
    import time

    n = 19000
    stray = [("p", "下设" + "1" * n), ("p", "内设" + "一" * n), ("p", "内设科室1个，分别是" + "一" * n),
             ("p", "指标：年初目标≥" + "1" * n), ("p", "根据《a》（b）要求，" + "于" * n), ("p", "其中，" + "基本支出1万元，" * (n // 8))]
    paragraphs = given.NARRATIVE_D[:6] + stray + given.NARRATIVE_D[6:17] + stray + given.NARRATIVE_D[17:]
    started = time.monotonic()
    code, out, err, target = do_import(given.narrative(tmp_path / "n.docx", paragraphs), tmp_path)
    assert code == 0, err
    assert time.monotonic() - started < 15
    assert placed(out)[1] == 33 + 2 * len(stray)


@pytest.mark.parametrize("suffix", ["docx", "xlsx"])
def test_the_form_only_examples_own_forms_import_back_to_its_content(tmp_path, suffix):
    """examples/culture-tourism (a form-only unit): `make form` writes its 自评表 as .docx and .xlsx;
    each imports back to the example's own content (its typed targets "≥120场" as direction, number
    and unit), and check gives the example's total."""
    from ruamel.yaml import YAML

    result = subprocess.run([sys.executable, "-m", "pipeline", "form", "--year", "2022", "--content", str(ROOT / "examples"),
                             "--dept", "culture-tourism", "--out", str(tmp_path / "out")], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    code, out, err, target = do_import(tmp_path / "out" / "2022" / f"culture-tourism-自评表.{suffix}", tmp_path, "ct")
    assert code == 0, err
    source = YAML(typ="safe").load((ROOT / "examples" / "culture-tourism" / "2022.yaml").read_text(encoding="utf-8"))
    draft = draft_of(target)
    assert {k: draft[k] for k in ("department", "budget", "form")} == {k: source[k] for k in ("department", "budget", "form")}
    signs = {"≥": ">=", "≤": "<=", "=": "="}
    for got, typed in zip(draft["indicators"], source["indicators"], strict=True):
        want = dict(typed)
        m = re.fullmatch(r"(≥|≤|=)(\d+(?:\.\d+)?)(.*)", str(want.get("target_initial", "")))
        if want["kind"] == "定量" and m:
            want["direction"], want["unit"] = want.get("direction") or signs[m.group(1)], want.get("unit") or m.group(3)
            want["target_initial"] = Decimal(m.group(2))
        assert {k: same(got.get(k), v) for k, v in want.items()} == dict.fromkeys(want, True), (got, want)
        assert set(got) == set(want), (got["name"], set(got) ^ set(want))
    total = re.search(r"检查通过：总分 ([\d.]+) 分", out).group(1)
    assert total == str(build.check(ROOT / "examples" / "culture-tourism" / "2022.yaml").scores.total)
