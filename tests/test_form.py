"""The self-evaluation form: the report's attachment and the .xlsx, from the same figures as Table 1."""

from __future__ import annotations

import subprocess

import docx
import openpyxl
import pytest

from pipeline.output import form
from pipeline.output.compose import num, percent

from .conftest import ROOT, edit, real_text, run_cli, sheet_rows, soffice

MM = 72 / 25.4


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("form")
    content = tmp / "content" / "bishan-kjj" / "2022.yaml"
    content.parent.mkdir(parents=True)
    content.write_text(real_text(), encoding="utf-8")
    for command in ("report", "form"):
        result = run_cli(command, "--year", "2022", "--content", str(tmp / "content"), "--out", str(tmp / "build"), cwd=tmp)
        assert result.returncode == 0, result.stderr
    return tmp / "build" / "2022"


def _table(document, first_header: list[str]):
    for table in document.tables:
        if [c.text for c in table.rows[0].cells][: len(first_header)] == first_header:
            return [[c.text for c in row.cells] for row in table.rows]
    raise AssertionError(f"no table starting with {first_header}")


def _sheet_rows(path):
    return sheet_rows(path)


def _after(rows, header0: str):
    """Rows following the header row whose first cell is header0 (up to a blank or a totals row)."""
    start = next(i for i, r in enumerate(rows) if r and r[0] == header0)
    out = []
    for r in rows[start + 1 :]:
        if r[0] is None or str(r[0]).startswith((form.SUBTOTAL, form.TOTAL)):
            break
        out.append(r)
    return out


def test_attachment_and_xlsx_show_the_figures_of_table_1(built):
    document = docx.Document(str(built / "bishan-kjj.docx"))
    table1 = _table(document, ["指标名称", "权重", "得分", "得分率"])[1:]
    *form_rows, subtotal_row, total_row = _table(document, ["指标名称", "计量单位"])[1:]
    budget = _table(document, ["年初预算数（万元）"])
    header = _table(document, ["主管部门"])
    rows = _sheet_rows(built / "bishan-kjj-自评表.xlsx")
    sheet_indicators = _after(rows, "指标名称")
    sheet_budget = _after(rows, "年初预算数（万元）")[0]
    sheet_total = next(r for r in rows if r[0] == "主管部门")[3]

    # Budget execution: Table 1's first row, the attachment's budget block, the sheet's.
    name, weight, score, rate = table1[0]
    assert name == "预算执行率"
    assert budget[1][3:] == [rate, weight, score]
    assert [percent_of(sheet_budget[3]), num_of(sheet_budget[4]), num_of(sheet_budget[5])] == [rate, weight, score]
    # Each indicator: weight, score and 得分率 / 得分系数 agree in all three.
    assert [r[0] for r in table1[1:]] == [r[0] for r in form_rows] == [r[0] for r in sheet_indicators]
    for (n, weight, score, rate), cells, sheet in zip(table1[1:], form_rows, sheet_indicators):
        assert (cells[6], cells[7], cells[8]) == (rate, weight, score), n
        assert (percent_of(sheet[6]), num_of(sheet[7]), num_of(sheet[8])) == (rate, weight, score), n
    # The total.
    total = num(sum((num_dec(r[2]) for r in table1), num_dec("0")))
    assert header[0][3] == total == num_of(sheet_total) == "94.24"
    # Under the indicators, the attachment and the sheet print the same two labelled rows: the
    # indicators' own sums, then the 自评总分 (with the execution rate), equal to the header's.
    sheet_totals = [r for r in rows if str(r[0]).startswith((form.SUBTOTAL, form.TOTAL))]
    for printed, sheet in zip((subtotal_row, total_row), sheet_totals, strict=True):
        assert (printed[0], printed[-3], printed[-2]) == (sheet[0], num_of(sheet[1]), num_of(sheet[2]))  # the label spans the columns before them
    assert (total_row[0], total_row[-3], total_row[-2]) == ("自评总分（含预算执行率）", "100", "94.24")
    assert (subtotal_row[0], subtotal_row[-3], subtotal_row[-2]) == ("绩效指标小计（不含预算执行率）", "90", "90")


def num_dec(text: str):
    from decimal import Decimal

    return Decimal(text)


def num_of(value) -> str:
    from decimal import Decimal

    return num(Decimal(str(value)))


def percent_of(value) -> str:
    from decimal import Decimal

    return percent(Decimal(str(value)))


def test_sheet_figures_are_numbers_with_formats(built):
    ws = openpyxl.load_workbook(built / "bishan-kjj-自评表.xlsx").active
    cells = {c.value: c for row in ws.iter_rows() for c in row if c.value is not None}
    rate = next(c for row in ws.iter_rows() for c in row if isinstance(c.value, float) and 0.42 < c.value < 0.43)
    assert rate.number_format == "0.00%"
    money = next(c for row in ws.iter_rows() for c in row if c.value == 2931.88)
    assert money.number_format == "0.00"
    assert "2931.88" not in cells  # never text


def test_unstated_cells_stay_blank_and_are_listed(built):
    rows = _sheet_rows(built / "bishan-kjj-自评表.xlsx")
    contact = next(r for r in rows if r[0] == "联系人")
    assert contact[1] is None and contact[3] is None
    indicators = _after(rows, "指标名称")
    assert all(r[3] is None and r[9] is None for r in indicators)  # 年初指标值, 是否核心指标 unknown
    result = run_cli("check", "--year", "2022")
    assert "警告：自评表中将留空：联系人、电话、年初绩效目标、全年目标实际完成情况" in result.stdout
    assert "警告：自评表中指标“企业满意度”的年初指标值、是否核心指标将留空" in result.stdout


def test_stated_cells_are_printed(tmp_path, write_content):
    text = real_text() + "\nform:\n  contact: 张三\n  phone: 023-41412345\n  goals:\n    initial: 年度目标\n    achieved: 已完成\n"
    text = edit(text, "    actual: 98\n", "    direction: '>='\n    target_initial: 95\n    core: true\n    actual: 98\n")
    text = edit(text, "    actual: 98\n    judgement:\n      coefficient: 1\n      basis: 评价标准\n", "    actual: 98\n")
    write_content(text)
    result = run_cli("form", "--year", "2022", "--content", str(tmp_path / "content"), "--out", str(tmp_path / "build"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = _sheet_rows(tmp_path / "build" / "2022" / "bishan-kjj-自评表.xlsx")
    assert next(r for r in rows if r[0] == "联系人")[:4] == ["联系人", "张三", "电话", "023-41412345"]
    last = _after(rows, "指标名称")[-1]
    assert last[0] == "企业满意度" and last[3] == 95 and last[9] == "是"
    checked = run_cli("check", "--year", "2022", "--content", str(tmp_path / "content"), cwd=tmp_path)
    assert "联系人" not in checked.stdout and "“企业满意度”的" not in checked.stdout


def test_xlsx_bytes_are_reproducible(tmp_path, built):
    result = run_cli("form", "--year", "2022", "--out", str(tmp_path), cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "2022" / "bishan-kjj-自评表.xlsx").read_bytes() == (built / "bishan-kjj-自评表.xlsx").read_bytes()


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) 未安装：apt-get install libreoffice-writer-nogui poppler-utils fonts-noto-cjk")
def test_attachment_renders_on_landscape_pages_within_the_margins(built, tmp_path):
    from pipeline.output.pdf import to_pdf

    done, problems = to_pdf([built / "bishan-kjj.docx"], tmp_path)
    assert problems == [] and done
    pdf = done[0]
    info = subprocess.run(["pdfinfo", "-l", "99", str(pdf)], check=True, capture_output=True, text=True).stdout
    sizes = [tuple(float(x) for x in line.split("size:")[1].split("pts")[0].split(" x ")) for line in info.splitlines() if line.startswith("Page") and "size:" in line]
    pages = len(sizes)
    texts = [subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"], check=True, capture_output=True, text=True).stdout for n in range(1, pages + 1)]
    first = next(i for i, t in enumerate(texts) if t.lstrip().startswith("附件"))
    assert all(w < h for w, h in sizes[:first]), "the report is portrait"
    assert all(w > h for w, h in sizes[first:]), "the attachment is landscape"
    assert "重庆市璧山区科学技术局2022年度部门整体支出绩效自评表" in "".join(texts[first].split())
    # Every word of the attachment sits inside the landscape margins (left 37 mm, right 35 mm),
    # but for the page number, turned into the left margin (test_print_outputs checks its place).
    bbox = subprocess.run(["pdftotext", "-bbox", "-f", str(first + 1), "-l", str(pages), str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    import re

    words = re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', bbox)
    xs = [(float(a), float(b)) for a, b, text in words if not re.fullmatch(r"—|\d+", text)]
    width = sizes[first][0]
    assert xs and min(a for a, _ in xs) >= 37 * MM - 1 and max(b for _, b in xs) <= width - 35 * MM + 1


def test_text_that_looks_like_a_formula_stays_text(tmp_path, write_content):
    """A contact or goal typed as "=HYPERLINK(…)" or "=1+1" must print as typed: Excel and WPS
    would run a formula (and could fetch an address) when the form is opened."""
    import zipfile

    text = real_text() + '\nform:\n  contact: "=1+1"\n  goals:\n    initial: "=HYPERLINK(\\"http://example.invalid\\",\\"点此\\")"\n    achieved: 已完成\n'
    write_content(text)
    result = run_cli("form", "--year", "2022", "--content", str(tmp_path / "content"), "--out", str(tmp_path / "build"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    path = tmp_path / "build" / "2022" / "bishan-kjj-自评表.xlsx"
    with zipfile.ZipFile(path) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet and "<f " not in sheet
    rows = _sheet_rows(path)
    assert next(r for r in rows if r[0] == "联系人")[1] == "=1+1"
    assert any(c == '=HYPERLINK("http://example.invalid","点此")' for r in rows for c in r)


def test_deviations_print_on_their_own_sheet_under_their_own_header(built):
    """On the form's sheet the indicator header repeats on every printed page, so a 偏差 table
    there would print under 指标名称/计量单位… headings; it has a sheet of its own, in wide columns."""
    wb = openpyxl.load_workbook(built / "bishan-kjj-自评表.xlsx")
    form_sheet, deviations = wb["自评表"], wb["偏差原因分析"]
    assert not any("偏差原因" == c for row in form_sheet.iter_rows(values_only=True) for c in row)
    rows = [list(r) for r in deviations.iter_rows(values_only=True)]
    header = next(i for i, r in enumerate(rows) if r[:3] == ["指标名称", "偏差原因", "改进措施"])
    assert rows[header + 1][:2] == ["预算执行率", "财政资金紧张，支付困难"]
    assert deviations.print_title_rows.replace("$", "") == f"{header + 1}:{header + 1}"
    assert deviations.page_setup.orientation == "landscape" and deviations.column_dimensions["B"].width >= 40
