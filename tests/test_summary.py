"""District summary (make summary): 汇总.xlsx and 汇总.docx of every department of a year.

The departments are the reference (content/bishan-kjj), every example department that exists
(examples/*/2022.yaml), and, up to four, variants of the reference written here (another name,
another execution, lost points, a hand-set score). Every figure is checked against what the
department's own report and form print, read back from the built files.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import docx
import openpyxl
import pytest
from ruamel.yaml import YAML

from pipeline.output.compose import num, percent

from .conftest import ROOT, real_text, run_cli, sheet_rows, soffice

YEAR = "2022"
AT_LEAST = 4


# ---------------------------------------------------------------- the departments


def _yaml() -> YAML:
    yaml = YAML()  # round trip: keys, order and comments as written
    yaml.width = 4096
    return yaml


def variant(key: str, name: str, short: str, executed: str | None = None, lose: dict[int, str] | None = None, override: tuple[int, str] | None = None) -> tuple[str, str]:
    """The reference with another name and figures: (directory, YAML text)."""
    yaml = _yaml()
    data = yaml.load(real_text())
    data["department"]["name"], data["department"]["short_name"] = name, short
    budget = data["budget"]
    if executed is not None:
        budget["executed"] = Decimal(executed)
        if Decimal(executed) >= Decimal(str(budget["adjusted"])):
            budget.pop("deviation", None)
    for index, coefficient in (lose or {}).items():
        ind = data["indicators"][index]
        ind["judgement"]["coefficient"] = Decimal(coefficient)
        ind["deviation"] = {"reason": "部分工作因故推迟"}
    if override is not None:
        index, score = override
        ind = data["indicators"][index]
        ind["override"] = {"score": Decimal(score), "reason": "评价组复核后酌情扣分"}
        ind["deviation"] = {"reason": "部分企业申报材料不全"}
    yaml.representer.add_representer(
        Decimal, lambda r, v: r.represent_scalar("tag:yaml.org,2002:" + ("int" if v == v.to_integral_value() else "float"), format(v, "f"))
    )
    buf = io.StringIO()
    yaml.dump(data, buf)
    return key, buf.getvalue()


# Ordered: the first ones are used when the examples leave room.
VARIANTS = [
    lambda: variant("test-override", "重庆市璧山区测试改分局", "测试改分局", override=(0, "12")),
    lambda: variant("test-poor", "重庆市璧山区测试低分局", "测试低分局", executed="500", lose={i: "0.5" for i in range(7)}),
    lambda: variant("test-middle", "重庆市璧山区测试中等局", "测试中等局", executed="2851.19", lose={i: "0.6" for i in range(5)}),
]


def department_set(root: Path, extra: list[tuple[str, str]] = ()) -> list[str]:
    """Write the departments into root/content; return their directories."""
    content = root / "content"
    written = []

    def put(key: str, text: str) -> None:
        path = content / key / f"{YEAR}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(key)

    put("bishan-kjj", real_text())
    for example in sorted((ROOT / "examples").glob(f"*/{YEAR}.yaml")):
        put(example.parent.name, example.read_text(encoding="utf-8"))
    for make in VARIANTS:
        if len(written) >= AT_LEAST:
            break
        put(*make())
    for key, text in extra:
        put(key, text)
    return written


def needs_chinese_font() -> None:
    """The chart needs a CJK font (CI installs fonts-noto-cjk); without one, say so and skip."""
    from pipeline.commands.summary.chart import ChartError, cjk_font

    try:
        cjk_font()
    except ChartError as exc:
        pytest.skip(f"没有中文字体，无法画汇总图：{exc}")


def cli(command: str, root: Path, *extra: str):
    return run_cli(command, "--year", YEAR, "--content", str(root / "content"), "--out", str(root / "build"), *extra, cwd=root)


@pytest.fixture(scope="module")
def district(tmp_path_factory):
    """The set built three ways: the summary, every report, every form."""
    needs_chinese_font()
    root = tmp_path_factory.mktemp("summary")
    keys = department_set(root)
    for command in ("summary", "report", "form"):
        result = cli(command, root)
        assert result.returncode == 0, result.stderr
    return root, keys


@pytest.fixture(scope="module")
def review_set(tmp_path_factory):
    """Always a hand-set score, a department below 60 and one between 60 and 80."""
    needs_chinese_font()
    root = tmp_path_factory.mktemp("summary-review")
    content = root / "content"
    for key, text in [("bishan-kjj", real_text())] + [make() for make in VARIANTS]:
        (content / key).mkdir(parents=True)
        (content / key / f"{YEAR}.yaml").write_text(text, encoding="utf-8")
    result = cli("summary", root)
    assert result.returncode == 0, result.stderr
    return root


# ---------------------------------------------------------------- reading back


def sheet(path: Path, name: str) -> list[dict]:
    """The rows under the header row (row 2) as dicts, up to the first empty row."""
    ws = openpyxl.load_workbook(path)[name]
    rows = list(ws.iter_rows(values_only=True))
    header = [h.replace("\n", "") for h in rows[1]]  # heads break onto two lines where they are long
    out = []
    for row in rows[2:]:
        if all(v is None for v in row):
            break
        out.append(dict(zip(header, row)))
    return out


def departments(path: Path) -> tuple[list[dict], dict]:
    rows = sheet(path, "汇总")
    total = next(i for i, r in enumerate(rows) if r["部门"] == "合计/平均")
    return rows[:total], rows[total]


def report_figures(path: Path) -> dict:
    """What a department's report prints: name, total, grade and Table 1."""
    document = docx.Document(str(path))
    text = "\n".join(p.text for p in document.paragraphs)
    found = re.search(r"根据《(.+?)\d{4}年度部门整体支出绩效自评表》中的指标体系分析情况，.+?自评总得分([\d.]+)分，等级为“(.)”", text)
    assert found, "the report's conclusion sentence"
    table1 = next(t for t in document.tables if [c.text for c in t.rows[0].cells] == ["指标名称", "权重", "得分", "得分率"])
    rows = [[c.text for c in r.cells] for r in table1.rows[1:]]
    return {"name": found.group(1), "total": found.group(2), "grade": found.group(3), "table1": rows}


def form_figures(path: Path) -> dict:
    """The form's budget block (.xlsx): adjusted, executed, rate, execution score; and its total."""
    rows = sheet_rows(path)
    header = next(i for i, r in enumerate(rows) if r[0] == "年初预算数（万元）")
    budget = dict(zip(rows[header], rows[header + 1]))
    total = next(r[3] for r in rows if r[0] == "主管部门")
    return {
        "name": rows[1][0].removeprefix("填报单位："),
        "initial": budget["年初预算数（万元）"],
        "adjusted": budget["全年（调整）预算数（万元）"],
        "executed": budget["全年执行数（万元）"],
        "rate": budget["执行率"],
        "score": budget["执行率得分"],
        "total": total,
    }


def as_decimal(value) -> Decimal:
    return Decimal(str(value))


# ---------------------------------------------------------------- the workbook


def test_one_row_per_department_sorted_by_total_with_a_weighted_total_row(district):
    root, keys = district
    rows, total = departments(root / "build" / YEAR / "汇总.xlsx")
    assert len(keys) >= AT_LEAST
    assert len(rows) == len(keys)
    totals = [as_decimal(r["总分"]) for r in rows]
    assert totals == sorted(totals, reverse=True)
    assert [r["名次"] for r in rows][0] == 1
    budget = sum(as_decimal(r["全年（调整）预算数（万元）"]) for r in rows)
    executed = sum(as_decimal(r["全年执行数（万元）"]) for r in rows)
    assert as_decimal(total["全年（调整）预算数（万元）"]) == budget
    assert as_decimal(total["全年执行数（万元）"]) == executed
    # Budget-weighted, not the mean of the rates.
    assert abs(as_decimal(total["预算执行率"]) - executed / budget) < Decimal("1e-12")
    mean = sum(totals) / len(totals)
    assert abs(as_decimal(total["总分"]) - mean) <= Decimal("0.005")
    for name in ("人工改分（项）", "评定（项）", "检查警告（条）"):
        assert total[name] == sum(r[name] for r in rows)


def test_numbers_are_numbers_with_formats_and_the_sheets_print_landscape_one_page_wide(district):
    root, _ = district
    wb = openpyxl.load_workbook(root / "build" / YEAR / "汇总.xlsx")
    ws = wb["汇总"]
    header = [c.value.replace("\n", "") for c in ws[2]]
    row = ws[3]
    for name, fmt in (("全年执行数（万元）", "#,##0.00"), ("预算执行率", "0.00%"), ("总分", "0.00")):
        cell = row[header.index(name)]
        assert isinstance(cell.value, (int, float)), name
        assert cell.number_format == fmt
    for name in ("汇总", "指标得分"):
        ws = wb[name]
        assert ws.page_setup.orientation == "landscape"
        assert int(ws.page_setup.paperSize) == 9  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        assert ws.print_title_rows == "$2:$2"


def test_the_page_footer_has_room_for_its_line(district):
    # "第 1 页，共 3 页" sits between the footer margin and the bottom margin: LibreOffice clips it
    # to that band (with 0.6 and 0.5 inch only its top half printed). A 10-pt line needs ~0.25 inch.
    root, _ = district
    wb = openpyxl.load_workbook(root / "build" / YEAR / "汇总.xlsx")
    for name in ("汇总", "指标得分"):
        ws = wb[name]
        assert ws.oddFooter.center.text, name
        assert ws.page_margins.bottom - ws.page_margins.footer >= 0.3, (name, ws.page_margins.bottom, ws.page_margins.footer)


def test_figures_equal_each_departments_report_and_form(district):
    root, keys = district
    out = root / "build" / YEAR
    rows, _ = departments(out / "汇总.xlsx")
    by_name = {r["部门"]: r for r in rows}
    indicators = sheet(out / "汇总.xlsx", "指标得分")
    for key in keys:
        form = form_figures(out / f"{key}-自评表.xlsx")
        if not (out / f"{key}.docx").exists():  # a form-only file (examples/culture-tourism): no report, its form
            row = by_name[form["name"]]
            assert as_decimal(row["总分"]) == as_decimal(form["total"])
            # the summary's budget is what the rate divides by: the initial one when no adjusted is typed
            assert form["adjusted"] is None and as_decimal(row["全年（调整）预算数（万元）"]) == as_decimal(form["initial"])
            assert row["预算执行率"] == form["rate"] and row["执行率得分"] is form["score"] is None
            sheet_row = next(r for r in openpyxl.load_workbook(out / "汇总.xlsx").active.iter_rows() if r[1].value == form["name"] or form["name"] in [c.value for c in r])
            budget_cell = next(c for c in sheet_row if c.value == row["全年（调整）预算数（万元）"])
            assert budget_cell.comment.text == "未填全年（调整）预算数，此处为年初预算数"
            said = "\n".join(p.text for p in docx.Document(str(out / "汇总.docx")).paragraphs)
            assert f"（{form['name']}未填全年（调整）预算数，按年初预算数计）" in said
            continue
        report = report_figures(out / f"{key}.docx")
        row = by_name[report["name"]]
        assert num(as_decimal(row["总分"])) == report["total"]
        assert row["等级"] == report["grade"]
        assert as_decimal(row["全年（调整）预算数（万元）"]) == as_decimal(form["adjusted"])
        assert as_decimal(row["全年执行数（万元）"]) == as_decimal(form["executed"])
        assert row["预算执行率"] == form["rate"]
        assert as_decimal(row["执行率得分"]) == as_decimal(form["score"])
        assert as_decimal(row["总分"]) == as_decimal(form["total"])
        # Sheet 2 holds Table 1 of every department, row for row.
        mine = [r for r in indicators if r["部门"] == report["name"]]
        printed = [[r["指标名称"], num(as_decimal(r["权重"])), num(as_decimal(r["得分"])), percent(as_decimal(r["得分率"]))] for r in mine]
        assert printed == report["table1"]
        assert sum(as_decimal(r["得分"]) for r in mine) == as_decimal(row["总分"])
        # The lowest indicators are the rows of Table 1 with the lowest 得分率.
        lost = sorted((r for r in mine if as_decimal(r["得分率"]) < 1), key=lambda r: as_decimal(r["得分率"]))
        if lost:
            assert row["得分最低的指标"].startswith(f"{lost[0]['指标名称']}（")
        else:
            assert row["得分最低的指标"] == "均得满分"
        assert row["人工改分（项）"] == sum(r["计分方式"] == "人工改分" for r in mine)
        assert row["评定（项）"] == sum(r["计分方式"] == "评定" for r in mine)


def test_the_workbook_has_a_native_chart_of_totals_and_execution_rates(district):
    root, _ = district
    with zipfile.ZipFile(root / "build" / YEAR / "汇总.xlsx") as z:
        chart = z.read("xl/charts/chart1.xml").decode("utf-8")
    assert "<barChart>" in chart and "<lineChart>" in chart  # totals as bars, execution rates as a line
    assert "'汇总'!$B$3" in chart or "汇总!$B$3" in chart  # categories: the departments of sheet 1


# ---------------------------------------------------------------- the document


def test_the_document_counts_grades_and_embeds_the_chart(district):
    root, _ = district
    out = root / "build" / YEAR
    rows, _ = departments(out / "汇总.xlsx")
    document = docx.Document(str(out / "汇总.docx"))
    text = "\n".join(p.text for p in document.paragraphs)
    counts = {g: sum(r["等级"] == g for r in rows) for g in "优良中差"}
    assert "按等级分：" + "，".join(f"“{g}”{counts[g]}个" for g in "优良中差") + "。" in text
    grade_table = next(t for t in document.tables if t.rows[0].cells[0].text == "等级")
    assert {r.cells[0].text: int(r.cells[2].text) for r in grade_table.rows[1:5]} == counts
    budget = sum(as_decimal(r["全年（调整）预算数（万元）"]) for r in rows)
    executed = sum(as_decimal(r["全年执行数（万元）"]) for r in rows)
    assert f"预算执行率{percent(executed / budget)}（按金额加权" in text
    with zipfile.ZipFile(out / "汇总.docx") as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
    assert media and media[0].endswith(".png")
    assert document.inline_shapes[0].width > 0
    # The report's page: A4 portrait, GB/T 9704 margins, title in the template's Title style.
    section = document.sections[-1]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28
    assert document.paragraphs[0].style.name == "Title"


def test_the_document_names_low_departments_and_lists_hand_set_scores(review_set):
    out = review_set / "build" / YEAR
    rows, _ = departments(out / "汇总.xlsx")
    text = "\n".join(p.text for p in docx.Document(str(out / "汇总.docx")).paragraphs)
    low = text[text.index("总分低于60分的部门") : text.index("总分60分至80分的部门")]
    middle = text[text.index("总分60分至80分的部门") : text.index("人工改分情况")]
    for r in rows:
        total = as_decimal(r["总分"])
        named = f"{r['部门']}：总分{num(total)}分"
        assert (named in low) == (total < 60), r["部门"]
        assert (named in middle) == (60 <= total < 80), r["部门"]
        if total < 80:
            assert r["得分最低的指标"] in low + middle
    hand_set = [r for r in sheet(out / "汇总.xlsx", "指标得分") if r["计分方式"] == "人工改分"]
    assert hand_set, "the review set has a hand-set score"
    for r in hand_set:
        assert f"{r['部门']}“{r['指标名称']}”：人工给定{num(as_decimal(r['得分']))}分" in text
    assert "评价组复核后酌情扣分" in text
    # 测试低分局 executed 500 of 2851.19: named among the low execution rates.
    assert f"重庆市璧山区测试低分局（{percent(Decimal('500') / Decimal('2851.19'))}）" in text


# ---------------------------------------------------------------- all or nothing, reproducible


def test_a_blank_new_department_is_listed_as_unfinished_and_the_summary_is_written(tmp_path):
    """The district's IT person after make new-dept: the summary covers the complete departments,
    lists the blank one under 未完成 (sheet and table) with its error count, and exits 1."""
    needs_chinese_font()
    import docx

    (tmp_path / "content" / "bishan-kjj").mkdir(parents=True)
    (tmp_path / "content" / "bishan-kjj" / f"{YEAR}.yaml").write_text(real_text(), encoding="utf-8")
    made = run_cli("new-dept", "--dept", "new-one", "--name", "重庆市璧山区新设局", "--year", YEAR, "--content", str(tmp_path / "content"), cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    draft = tmp_path / "content" / "draft-one" / f"{YEAR}.draft.yaml"  # marked as a draft by its name: skipped
    draft.parent.mkdir()
    draft.write_text("department: [unfinished", encoding="utf-8")
    check = run_cli("check", "--year", YEAR, "--content", str(tmp_path / "content"), cwd=tmp_path)
    n_errors = sum(1 for line in check.stdout.splitlines() if re.match(r"content/new-one/\d+\.yaml:\d+:\d+: (?!警告)", line))
    assert check.returncode == 1 and n_errors > 10, check.stdout

    result = cli("summary", tmp_path)
    assert result.returncode == 1, result.stderr
    assert "跳过草稿 content/draft-one/2022.draft.yaml" in result.stdout and "draft-one" not in result.stderr
    out = tmp_path / "build" / YEAR
    assert sorted(p.name for p in out.iterdir()) == ["汇总.docx", "汇总.xlsx"]
    rows, total = departments(out / "汇总.xlsx")
    assert [r["部门"] for r in rows] == ["重庆市璧山区科学技术局"]
    unfinished = [r for r in sheet(out / "汇总.xlsx", "未完成") if not r["部门"].startswith("注：")]
    assert [(r["部门"], r["内容文件夹"], r["错误（条）"]) for r in unfinished] == [("重庆市璧山区新设局", "new-one", n_errors)]
    assert re.match(r"content/new-one/2022\.yaml:\d+:\d+: ", unfinished[0]["第一个错误（文件:行:列: 说明）"])
    document = docx.Document(str(out / "汇总.docx"))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "现将重庆市璧山区1个部门（单位）" in text and "另有1个部门（单位）的自评内容尚未完成" in text
    assert "未完成自评的部门" in text
    cells = [c.text for c in document.tables[-1].rows[1].cells]
    assert cells[:2] == ["重庆市璧山区新设局", str(n_errors)] and cells[2].startswith("content/new-one/2022.yaml:")
    last = result.stderr.strip().splitlines()
    assert "重庆市璧山区新设局（content/new-one/2022.yaml）" in last[-2] and f"{n_errors} 个错误" in last[-2]
    assert last[-1].startswith("已生成汇总（1 个部门）；1 个部门未完成")


def test_with_all_or_nothing_a_department_with_an_error_stops_the_whole_summary_with_located_messages(tmp_path):
    broken = real_text().replace("  executed: 1209.56", "  executed: 一千二百")
    assert broken != real_text()
    department_set(tmp_path, extra=[("zz-broken", broken)])
    out = tmp_path / "build" / YEAR
    out.mkdir(parents=True)
    (out / "汇总.xlsx").write_bytes(b"earlier summary")
    result = cli("summary", tmp_path, "--all-or-nothing")
    assert result.returncode == 1
    line = broken.splitlines().index("  executed: 一千二百") + 1
    assert re.search(rf"content/zz-broken/{YEAR}\.yaml:{line}:\d+: ", result.stderr), result.stderr
    assert "未生成汇总" in result.stderr
    assert (out / "汇总.xlsx").read_bytes() == b"earlier summary"
    assert not (out / "汇总.docx").exists()
    assert [p.name for p in out.iterdir()] == ["汇总.xlsx"]  # no temp file left either


def test_the_same_content_gives_the_same_bytes(district, tmp_path):
    root, _ = district
    shutil.copytree(root / "content", tmp_path / "content")
    result = cli("summary", tmp_path)
    assert result.returncode == 0, result.stderr
    for name in ("汇总.xlsx", "汇总.docx"):
        assert (tmp_path / "build" / YEAR / name).read_bytes() == (root / "build" / YEAR / name).read_bytes(), name


def test_without_a_chinese_font_nothing_is_written_and_the_message_says_what_is_missing(tmp_path, monkeypatch, capsys):
    from pipeline.commands.summary import chart as summary_chart, command as summary

    department_set(tmp_path)
    monkeypatch.setattr(summary_chart.subprocess, "run", lambda *a, **k: subprocess.CompletedProcess(a, 0, stdout="", stderr=""))
    args = type("Args", (), {"year": int(YEAR), "content": str(tmp_path / "content"), "out": str(tmp_path / "build"),
                             "template": str(ROOT / "templates" / "report.docx")})()
    assert summary.run(args) == 2
    err = capsys.readouterr().err
    assert "没有找到中文字体" in err and "Noto Sans CJK SC" in err and "fonts-noto-cjk" in err
    assert not (tmp_path / "build").exists()


# ---------------------------------------------------------------- small rules


def test_region_and_ranking():
    from pipeline.commands.summary.figures import rank, region

    assert region(["重庆市璧山区科学技术局", "重庆市璧山区大路街道办事处"]) == "重庆市璧山区"
    assert region(["重庆市璧山区科学技术局"]) == "重庆市璧山区"
    assert region(["重庆市璧山区科学技术局", "贵州省某县某镇人民政府"]) == ""
    Dept = type("D", (), {})
    deps = []
    for total in ("95", "90", "90", "70"):
        d = Dept()
        d.total = Decimal(total)
        deps.append(d)
    assert rank(tuple(deps)) == [1, 2, 2, 4]


# ---------------------------------------------------------------- what a reader sees


def to_pdf(path: Path, tmp_path: Path) -> tuple[str, int, int] | None:
    """(text, width pt, height pt) of the PDF LibreOffice makes of ``path``; None if it made none."""
    pdf_dir = tmp_path / path.name.replace(".", "-")  # 汇总.docx and 汇总.xlsx would both be 汇总.pdf
    subprocess.run(
        [soffice(), f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to", "pdf",
         "--outdir", str(pdf_dir), str(path)],
        capture_output=True, timeout=240,
    )
    pdf = pdf_dir / (path.stem + ".pdf")
    if not pdf.exists():
        return None
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    return text, round(float(size.group(1))), round(float(size.group(2)))


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) 未安装：跳过汇总说明的 PDF 检查")
def test_libreoffice_prints_the_summary_document_on_a4_portrait(district, tmp_path):
    root, _ = district
    printed = to_pdf(root / "build" / YEAR / "汇总.docx", tmp_path)
    assert printed is not None, "LibreOffice did not convert 汇总.docx"
    text, width, height = printed
    assert (width, height) == (595, 842)  # A4 portrait
    for heading in ("一、总体情况", "二、预算执行情况", "三、需关注的部门", "四、人工改分情况"):
        assert heading in text
    assert re.search(r"图\s*1：自评等级分布及各部门预算执行率", text)


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) 未安装：跳过汇总表的 PDF 检查")
def test_libreoffice_prints_the_workbook_landscape_one_page_wide(district, tmp_path):
    root, _ = district
    out = root / "build" / YEAR
    printed = to_pdf(out / "汇总.xlsx", tmp_path)
    if printed is None:
        pytest.skip("LibreOffice Calc 未安装（Debian：libreoffice-calc-nogui）：跳过汇总表的 PDF 检查")
    text, width, height = printed
    assert (width, height) == (842, 595)  # A4 landscape
    rows, _ = departments(out / "汇总.xlsx")
    first_page = text.split("\f")[0]
    for r in rows:  # one page wide: every department and its total on the first page
        assert r["部门"] in first_page and num(as_decimal(r["总分"])) in first_page
    assert "合计/平均" in first_page


def test_names_print_as_written_never_as_a_formula_or_markup(tmp_path):
    """Hostile names: a spreadsheet formula, XML markup, matplotlib's $…$ math (an unknown command)."""
    needs_chinese_font()
    name = '=HYPERLINK("http://example.com","点我")&<b>$x^2$局'
    department_set(tmp_path, extra=[variant("zz-odd", name, r"$\undefined$局")])
    result = cli("summary", tmp_path)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "build" / YEAR
    ws = openpyxl.load_workbook(out / "汇总.xlsx")["汇总"]
    cells = [c for row in ws.iter_rows() for c in row if c.value == name]
    assert cells and all(c.data_type == "s" for c in cells)
    text = "\n".join(p.text for p in docx.Document(str(out / "汇总.docx")).paragraphs)
    assert name in text


def test_the_region_in_the_title_can_be_given(district, tmp_path):
    root, _ = district
    shutil.copytree(root / "content", tmp_path / "content")
    result = cli("summary", tmp_path, "--region", "重庆市某某县")
    assert result.returncode == 0, result.stderr
    out = tmp_path / "build" / YEAR
    title = docx.Document(str(out / "汇总.docx")).paragraphs[0].text
    assert title.replace("\n", "") == f"重庆市某某县{YEAR}年度部门整体支出绩效自评汇总情况"
    assert openpyxl.load_workbook(out / "汇总.xlsx")["汇总"]["A1"].value == f"重庆市某某县{YEAR}年度部门整体支出绩效自评汇总情况表"


def _ending(path: Path) -> list[tuple[str, str]]:
    """The summary's last two paragraphs: (text, style)."""
    return [(p.text, p.style.name) for p in docx.Document(str(path)).paragraphs[-2:]]


def test_the_summary_is_signed_by_the_bureau_of_district_yaml(district, tmp_path):
    root, _ = district
    # Without content/district.yaml: the region the summary goes under, the latest content date.
    assert _ending(root / "build" / YEAR / "汇总.docx") == [("重庆市", "Signature"), ("2023年3月28日", "Signature")]
    shutil.copytree(root / "content", tmp_path / "content")
    (tmp_path / "content" / "district.yaml").write_text("bureau: 重庆市璧山区财政局\nregion: 重庆市璧山区\ndate: 2023-04-10\n", encoding="utf-8")
    result = cli("summary", tmp_path)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "build" / YEAR / "汇总.docx"
    paragraphs = docx.Document(str(out)).paragraphs
    assert paragraphs[0].text.replace("\n", "") == f"重庆市璧山区{YEAR}年度部门整体支出绩效自评汇总情况"
    assert _ending(out) == [("重庆市璧山区财政局", "Signature"), ("2023年4月10日", "Signature")]
    # GB/T 9704 7.3.5.2: the name two characters from the right, the date starting two characters
    # right of the name's first character (9 characters; the date is 6.5 wide), a blank line above.
    name, when = (p.paragraph_format for p in paragraphs[-2:])
    assert (name.right_indent.twips, when.right_indent.twips) == (2 * 315, round(Decimal("2.5") * 315))
    assert name.space_before.twips == 579 and name.keep_with_next and paragraphs[-3].paragraph_format.keep_with_next


def test_a_mistyped_district_yaml_stops_the_summary_where_it_is_wrong(district, tmp_path):
    root, _ = district
    shutil.copytree(root / "content", tmp_path / "content")
    (tmp_path / "content" / "district.yaml").write_text("bureau: 重庆市璧山区财政局\nregoin: 重庆市璧山区\n", encoding="utf-8")
    result = cli("summary", tmp_path)
    assert result.returncode == 1
    assert "district.yaml:2:1: 未知的键“regoin”" in result.stderr, result.stderr
    assert not (tmp_path / "build" / YEAR / "汇总.docx").exists()


def test_no_department_may_take_the_summarys_name(tmp_path):
    """content/汇总/ would write build/<year>/汇总.docx over the summary: refused where it is named."""
    text = real_text()
    folder = tmp_path / "content" / "汇总"
    folder.mkdir(parents=True)
    (folder / "2022.yaml").write_text(text, encoding="utf-8")
    result = run_cli("check", "--year", YEAR, cwd=tmp_path)
    line = text[: text.index("\ndepartment:") + 1].count("\n") + 1
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"content/汇总/2022.yaml:{line}:1: 部门文件夹名“汇总”与全区汇总的文件" in result.stdout, result.stdout
    refused = run_cli("report", "--year", "2022", "--dept", "汇总", cwd=tmp_path)
    assert refused.returncode == 2 and "“汇总”是全区汇总文件的名字" in refused.stderr, refused.stderr
    assert not (tmp_path / "build").exists()


def test_two_folders_with_the_same_department_name_are_warned(tmp_path):
    """A department imported twice (or a folder copied and not renamed) would be listed twice."""
    for folder in ("bishan-kjj", "imported"):
        (tmp_path / "content" / folder).mkdir(parents=True)
        (tmp_path / "content" / folder / "2022.yaml").write_text(real_text(), encoding="utf-8")
    needs_chinese_font()
    result = cli("summary", tmp_path)
    assert result.returncode == 0, result.stderr
    assert "2 个内容文件夹的部门全称都是“重庆市璧山区科学技术局”（bishan-kjj、imported）" in result.stderr
