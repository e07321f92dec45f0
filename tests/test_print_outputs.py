"""What `make pdf` hands a reviewer, read back from the PDFs (pdftotext per page, word boxes):
the reports, the 自评表 .xlsx and 汇总 printed through LibreOffice, as a 财政局 reviewer checks them.

One module-scoped build: the reference and the three example departments (one LibreOffice call
for their reports and forms), and the summary with its PDFs (one more).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from pipeline.output import fonts

from .conftest import ROOT, real_text, run_cli, soffice

pytestmark = pytest.mark.skipif(
    soffice() is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) 或 pdftotext 未安装：apt-get install libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils",
)

YEAR = "2022"
DEPTS = ("bishan-kjj", "commerce", "media-centre", "qingshan-town")
CLOSING = "）)]」』】〕》〉’”，,。.、；;：:！!？?"
LABELS = ("预算执行情况", "年度绩效目标", "绩效指标", "偏差原因分析及改进措施")
BLOCK_HEADS = ("年初预算数（万元）", "支出类别", "年初绩效目标", "指标名称", "一级指标")


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> Path:
    """build/2022 after `make pdf` (pdf, then summary --pdf) with a district.yaml."""
    root = tmp_path_factory.mktemp("print")
    content = root / "content"
    for dept in DEPTS[1:]:
        (content / dept).mkdir(parents=True)
        shutil.copy(ROOT / "examples" / dept / f"{YEAR}.yaml", content / dept / f"{YEAR}.yaml")
    (content / "bishan-kjj").mkdir()
    (content / "bishan-kjj" / f"{YEAR}.yaml").write_text(real_text(), encoding="utf-8")
    (content / "district.yaml").write_text("bureau: 重庆市某区财政局\nregion: 重庆市某区\ndate: 2023-04-10\n", encoding="utf-8")
    common = ("--year", YEAR, "--content", str(content), "--out", str(root / "build"))
    for command in (("pdf",), ("summary", "--pdf")):
        result = run_cli(*command, *common, cwd=root)
        assert result.returncode == 0, result.stderr
    return root / "build" / YEAR


def words(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Per page, every word: (xMin, yMin, xMax, yMax, text), in points from the top left."""
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True).stdout
    tree = etree.fromstring(xml, etree.HTMLParser(encoding="utf-8"))
    return [
        [(float(w.get("xmin")), float(w.get("ymin")), float(w.get("xmax")), float(w.get("ymax")), w.text or "") for w in page.iter("word")]
        for page in tree.iter("page")
    ]


def page_sizes(pdf: Path) -> list[tuple[float, float]]:
    info = subprocess.run(["pdfinfo", "-l", "999", str(pdf)], capture_output=True, text=True, check=True).stdout
    return [(float(m.group(1)), float(m.group(2))) for m in re.finditer(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info)]


def page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return ["".join(page.split()) for page in text.split("\f")][: len(page_sizes(pdf))]


NUMBER = re.compile(r"—\d+—")


def number_box(page: list, size: tuple[float, float]) -> tuple[float, float, float, float]:
    """The page number "— N —", outside the text block: below it on a portrait page (35 mm
    margin), in the left margin of a landscape one (37 mm)."""
    width, height = size
    mm = 72 / 25.4
    if width < height:
        found = [w for w in page if w[1] > height - 35 * mm]
    else:
        found = [w for w in page if w[2] < 37 * mm]
    assert found and "".join(w[4] for w in found).strip("—").isdigit(), found
    return min(w[0] for w in found), min(w[1] for w in found), max(w[2] for w in found), max(w[3] for w in found)


# ---------------------------------------------------------------- the reports


@pytest.mark.parametrize("dept", DEPTS)
def test_the_page_holding_the_signature_holds_body_text(printed, dept):
    """GB/T 9704 7.3.5: the 落款 never stands on a page without body text (the township's fell on
    a page of its own: its body ended three lines above the bottom)."""
    texts = page_texts(printed / f"{dept}.pdf")
    attachment = next(i for i, t in enumerate(texts) if NUMBER.sub("", t).startswith("附件") and "附件：" not in t)
    page = texts[attachment - 1]
    note = re.search(r"附件：.*?自评表", page)
    assert note, page
    rest = NUMBER.sub("", page[: note.start()])
    assert len(rest) >= 10, f"{dept}: 落款所在页没有正文：{page}"


@pytest.mark.parametrize("dept", DEPTS)
def test_landscape_page_numbers_sit_where_the_portrait_ones_do(printed, dept):
    """GB/T 9704 ch. 8: turned with the table's head to the left edge of the portrait sheet, a
    landscape page shows its number at the portrait pages' place (odd right, even left)."""
    pdf = printed / f"{dept}.pdf"
    sizes, pages = page_sizes(pdf), words(pdf)
    portrait = {n % 2: number_box(pages[n - 1], sizes[n - 1]) for n in (1, 2)}
    landscape = [n for n, (w, h) in enumerate(sizes, start=1) if w > h]
    assert landscape
    for n in landscape:
        x0, y0, x1, y1 = number_box(pages[n - 1], sizes[n - 1])
        width = sizes[n - 1][0]
        left, top, right, bottom = y0, width - x1, y1, width - x0  # in the portrait sheet's frame
        p_left, p_top, p_right, p_bottom = portrait[n % 2]
        # the same line; odd pages end where odd pages end, even ones begin where even ones begin
        edge = (right, p_right) if n % 2 else (left, p_left)
        assert abs(top - p_top) <= 1 and abs(bottom - p_bottom) <= 1 and abs(edge[0] - edge[1]) <= 1, (n, (left, top, right, bottom), portrait[n % 2])


def test_the_santong_sentence_gives_every_amount_in_wanyuan(printed):
    text = page_texts(printed / "commerce.pdf")
    joined = "".join(text)
    assert "支出总额4.00万元" in joined and "年初预算支出4.00万元，与年初预算持平" in joined, joined


@pytest.mark.parametrize("name, cell", [("qingshan-town.pdf", "预算执行率"), ("qingshan-town.pdf", "定量"), ("汇总.pdf", "90分及以上")])
def test_table_text_clears_its_rules(printed, tmp_path, name, cell):
    """Table text keeps clear of the rule below it (it stood on it: no cell margin): Table 1 of a
    report, the attachment's form, the summary's grade table."""
    from PIL import Image

    pdf = printed / name
    pages = words(pdf)
    n, word = next((i, w) for i, page in enumerate(pages, start=1) for w in page if w[4] == cell)
    dpi = 300
    scale = dpi / 72
    top, bottom = word[1] - 4, word[3] + 12
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), "-f", str(n), "-l", str(n), "-x", str(int(word[0] * scale)), "-y", str(int(top * scale)),
         "-W", str(int((word[2] - word[0]) * scale)), "-H", str(int((bottom - top) * scale)), str(pdf), str(tmp_path / "cell")],
        check=True,
    )
    image = Image.open(next(tmp_path.glob("cell*.png"))).convert("L")
    width, height = image.size
    dark = [sum(image.getpixel((x, y)) < 128 for x in range(width)) for y in range(height)]
    rules = [y for y, d in enumerate(dark) if d > 0.9 * width]
    below = min(y for y in rules if y > (word[1] - top) * scale)
    ink = max(y for y in range(below) if 0 < dark[y] <= 0.9 * width)
    gap_pt = (below - ink - 1) / scale
    assert gap_pt >= 1.5, f"字底距表格线 {gap_pt:.2f} pt"


# ---------------------------------------------------------------- the workbooks through Calc


def line_starts(page: list) -> list[str]:
    """The words that begin a line of their cell: nothing on the same baseline just before them."""
    out = []
    for x0, y0, x1, y1, text in page:
        h = y1 - y0
        if not any(abs(w[1] - y0) < h / 3 and w[2] <= x0 + 0.1 and x0 - w[2] < h / 4 for w in page):
            out.append(text)
    return out


def sheets(printed: Path) -> list[Path]:
    return [printed / f"{dept}-自评表.pdf" for dept in DEPTS] + [printed / "汇总表.pdf"]


def test_workbooks_print_with_page_numbers_and_no_line_starting_with_a_closing_mark(printed):
    for pdf in sheets(printed):
        texts = page_texts(pdf)
        for n, text in enumerate(texts, start=1):
            assert f"第{n}页，共{len(texts)}页" in text, (pdf.name, n)
        for n, page in enumerate(words(pdf), start=1):
            bad = [t for t in line_starts(page) if t[0] in CLOSING]
            assert bad == [], f"{pdf.name} 第 {n} 页以标点开头的行：{bad}"


def test_no_block_label_or_block_heading_is_the_last_line_of_a_page(printed):
    for dept in DEPTS:
        pdf = printed / f"{dept}-自评表.pdf"
        for n, (page, (_, height)) in enumerate(zip(words(pdf), page_sizes(pdf)), start=1):
            body = [w for w in page if w[1] < height - 0.75 * 72]  # the footer's page number aside
            last = max(w[1] for w in body)
            line = "".join(w[4] for w in sorted(body, key=lambda w: w[0]) if abs(w[1] - last) < 4)
            assert line not in LABELS and not line.startswith(BLOCK_HEADS), f"{pdf.name} 第 {n} 页末行：{line}"


# ---------------------------------------------------------------- 汇总 and fonts


def test_the_summary_is_signed_under_body_text(printed):
    texts = page_texts(printed / "汇总.pdf")
    last = texts[-1]
    assert last.endswith(("重庆市某区财政局2023年4月10日", "重庆市某区财政局2023年4月10日—" + str(len(texts)) + "—")) or NUMBER.sub("", last).endswith("重庆市某区财政局2023年4月10日"), last
    assert len(NUMBER.sub("", last).replace("重庆市某区财政局2023年4月10日", "")) >= 10, last


def pdf_fonts(pdf: Path) -> set[str]:
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    return {line.split()[0].split("+", 1)[-1] for line in out.splitlines()[2:] if line.strip()}


@pytest.mark.skipif(bool(fonts.missing()), reason="Fandol 字体未取得（运行 make fonts）：公文字体的替代字体不全")
def test_every_printed_output_embeds_only_the_gongwen_fonts_stand_ins(printed):
    allowed = {"FandolFang-Regular", "FandolHei-Regular", "FandolKai-Regular", "FandolSong-Regular", "FandolSong-Bold"}
    pdfs = sorted(printed.glob("*.pdf"))
    assert {p.name for p in pdfs} >= {"汇总.pdf", "汇总表.pdf", *(f"{d}.pdf" for d in DEPTS), *(f"{d}-自评表.pdf" for d in DEPTS)}
    for pdf in pdfs:
        assert pdf_fonts(pdf) <= allowed, (pdf.name, pdf_fonts(pdf) - allowed)


def _form_texts(printed: Path, dept: str) -> set[str]:
    """The 指标名称, 一级/二级指标 and column headings of a department's attachment."""
    import docx

    from pipeline.output import form

    texts = set(form.COLUMNS + form.LEVEL_COLUMNS + form.BUDGET_COLUMNS + form.PART_COLUMNS + form.GOAL_COLUMNS)
    for table in docx.Document(str(printed / f"{dept}.docx")).tables:
        head = [c.text for c in table.rows[0].cells]
        if "指标名称" in head and "计量单位" in head:
            for row in table.rows[1:]:
                texts.update(c.text for c, h in zip(row.cells, head) if h in ("指标名称", "一级指标", "二级指标"))
    return {t for t in texts if len(t) > 1}


@pytest.mark.parametrize("dept", DEPTS)
def test_no_line_of_the_attachment_holds_a_single_character_of_a_name_or_heading(printed, dept):
    """The attachment's columns are sized so that 指标名称, 一级/二级指标 and the headings never
    leave one character on a line of its own (社会消费品零售总额增长 / 长, 满意度指 / 标)."""
    pdf = printed / f"{dept}.pdf"
    names = _form_texts(printed, dept)
    orphans = []
    for n, (page, (width, height)) in enumerate(zip(words(pdf), page_sizes(pdf)), start=1):
        if width < height:
            continue
        for x0, y0, x1, y1, text in page:
            if len(text) != 1:
                continue
            # the line just above in the same cell (line boxes touch; rows have a margin between)
            above = [w for w in page if -3 < y0 - w[3] < 2 and w[0] < x1 and x0 < w[2]]
            if any(w[4] + text in names for w in above):
                orphans.append((n, above[0][4] + "/" + text))
    assert orphans == [], f"{dept}：只有一个字的行 {orphans}"


def test_line_breaks_chosen_for_calc_follow_the_rules():
    """The breaks written into the copy Calc prints: each line fits, none starts with a closing
    mark or ends with an opening one, a bracket stays whole near a line's end."""
    from pipeline.output.sheet import broken

    assert broken("全年（调整）预算数（万元）", 10.5, 94.5) == "全年（调整）\n预算数（万元）"
    assert broken("全年执行数（万元）", 10.5, 90) == "全年执行数\n（万元）"
    text = "完成乡村道路硬化12公里，人居环境整治覆盖全部村，防返贫监测户全部落实帮扶。"
    lines = broken(text, 10.5, 120).split("\n")
    assert "".join(lines) == text and len(lines) > 1
    assert not [line for line in lines[1:] if line[0] in CLOSING] and not [line for line in lines if line[-1] in "（(“"]
    assert broken("短文字", 10.5, 120) == "短文字"


FIGURE = re.compile(r"[≥≤=]?-?\d+(?:\.\d+)?%?")


@pytest.mark.parametrize("dept", DEPTS)
def test_the_report_and_the_printed_xlsx_show_each_figure_the_same_way(printed, dept):
    """Every figure of the report's attachment (typed ones as typed: 10.5, 13.2, 6.20; derived ones
    as the report prints them) is printed the same way by the .xlsx through Calc."""
    import docx

    document = docx.Document(str(printed / f"{dept}.docx"))
    start = next(i for i, t in enumerate(document.tables) if t.rows[0].cells[0].text == "主管部门")
    figures = {c.text for t in document.tables[start:] for row in t.rows for c in row.cells if FIGURE.fullmatch(c.text)}
    assert figures
    sheet_words = {w[4] for page in words(printed / f"{dept}-自评表.pdf") for w in page}
    assert sorted(figures - sheet_words) == [], f"{dept}：报告附件与自评表 .xlsx 印法不同的数字"
