"""Print fidelity: what `make pdf` gives a reviewer — the 公文 fonts' open stand-ins, every
character of the report, no gaps around numbers, 落款 and 附件说明, a real outline."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from collections import Counter

import docx
import pytest
from docx.oxml.ns import qn

from pipeline.output import compose, fonts
from pipeline.build import check

from .conftest import CONTENT, docx_lines, real_text, run_cli, sheet_rows, soffice

NEEDS_SOFFICE = pytest.mark.skipif(
    soffice() is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) 或 pdftotext 未安装：apt-get install libreoffice-writer-nogui poppler-utils fonts-noto-cjk",
)
PAGE_NUMBER = re.compile(r"—\s*\d+\s*—")


def flat(text: str) -> str:
    return "".join(text.split())


def real_built(tmp_path_factory, command: str) -> tuple[Path, Path]:
    """The real content run through ``command`` in a fresh folder: (its root, build/2022)."""
    if soffice() is None:
        pytest.skip("LibreOffice (soffice) 未安装")
    root = tmp_path_factory.mktemp(command)
    content = root / "content" / "bishan-kjj" / "2022.yaml"
    content.parent.mkdir(parents=True)
    content.write_text(real_text(), encoding="utf-8")
    result = run_cli(command, "--year", "2022", "--content", str(root / "content"), "--out", str(root / "build"), cwd=root)
    assert result.returncode == 0, result.stderr
    return root, root / "build" / "2022"


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """The real report through `pdf`: (docx path, pdf path)."""
    _, built = real_built(tmp_path_factory, "pdf")
    return built / "bishan-kjj.docx", built / "bishan-kjj.pdf"


def pdftotext(pdf, *args: str) -> str:
    return subprocess.run(["pdftotext", *args, str(pdf), "-"], check=True, capture_output=True, text=True).stdout


@NEEDS_SOFFICE
def test_pdf_contains_every_character_of_the_report_in_order(printed):
    source, pdf = printed
    lines = docx_lines(source)
    attachment = lines.index("附件")
    pages = pdftotext(pdf, "-layout").split("\f")
    # The body: each paragraph (and Table 1's cells) whole and in order, page numbers aside.
    first_form_page = next(i for i, p in enumerate(pages) if flat(p).startswith("附件"))
    body_pages = pages[:first_form_page]
    text = flat(PAGE_NUMBER.sub("", "".join(body_pages)))
    at, lost = 0, []
    for line in lines[:attachment]:
        found = text.find(flat(line), at)
        if found < 0:
            lost.append(line)
        else:
            at = found + len(flat(line))
    assert lost == [], f"PDF 中缺字或次序不对的段落：{lost[:3]}"
    # The attachment's cells wrap inside their columns: every character is there.
    form_text = Counter(flat(PAGE_NUMBER.sub("", "".join(pages[len(body_pages):]))))
    wanted = Counter(flat("".join(lines[attachment:])))
    assert wanted - form_text == Counter()


@NEEDS_SOFFICE
def test_no_space_is_printed_around_numbers(printed):
    text = pdftotext(printed[1])
    assert "区科技局机关核定行政编制9名；设局长1名，副局长2名，" in text
    assert "编制 9" not in text


def pdf_fonts(pdf) -> set[str]:
    result = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    return {line.split()[0].split("+", 1)[-1] for line in result.splitlines()[2:] if line.strip()}


@NEEDS_SOFFICE
def test_pdf_uses_open_cjk_fonts_one_per_role(printed):
    names = pdf_fonts(printed[1])
    assert not [n for n in names if "DejaVu" in n], names
    # title (小标宋), body (仿宋), 一、 headings (黑体), （一） headings (楷体), page numbers (宋体)
    # are set in at least four different faces.
    assert len(names) >= 4, names


@NEEDS_SOFFICE
@pytest.mark.skipif(bool(fonts.missing()), reason="Fandol 字体未取得（运行 make fonts）：LibreOffice 从 Noto CJK 字体集中只取日文字形")
def test_pdf_has_no_japanese_glyph_shapes(printed):
    names = pdf_fonts(printed[1])
    assert not [n for n in names if re.search(r"CJK(jp|kr|tc|hk)|JP|KR", n)], names
    assert {"FandolFang-Regular", "FandolHei-Regular", "FandolKai-Regular", "FandolSong-Bold"} <= names, names


def test_fontconfig_names_every_font_the_template_uses():
    prefs = fonts.preferences()
    for name in fonts.TEMPLATE_FONTS + ("仿宋", "楷体", "SimSun", "SimHei", "FangSong", "KaiTi"):
        assert prefs.get(name), name
        assert prefs[name][0].startswith("Fandol")


@pytest.mark.skipif(shutil.which("fc-match") is None, reason="fc-match (fontconfig) 未安装")
def test_a_missing_first_choice_is_named_with_its_stand_in(tmp_path, monkeypatch):
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        '<alias binding="strong"><family>仿宋_GB2312</family><prefer><family>NoSuchFont Fang</family></prefer></alias>'
        "</fontconfig>",
        encoding="utf-8",
    )
    monkeypatch.setattr(fonts, "CONF", conf)
    lines = fonts.substitutions(("仿宋_GB2312",))
    assert len(lines) == 1 and "仿宋_GB2312" in lines[0] and "NoSuchFont Fang" in lines[0] and "make fonts" in lines[0]


# ---------------------------------------------------------------- 落款 and 附件说明


@pytest.fixture
def real():
    return check(CONTENT)


def test_signature_defaults_to_the_department_and_the_end_of_analysis(real):
    s = compose.signature(real.report)
    assert (s.name, s.date) == ("重庆市璧山区科学技术局", "2023年3月28日")
    # GB/T 9704 7.3.5.2: name two characters from the right; the date starts two characters to
    # the right of the name's first character (11 characters; the date is 6.5 wide).
    assert s.name_indent == 2
    assert s.name_indent + 11 - 2 == s.date_indent + compose.Decimal("6.5")


def test_a_date_longer_than_the_name_moves_the_name(real):
    report = real.report.model_copy(update={"signature": real.report.signature.model_copy(update={"name": "科技局"})})
    s = compose.signature(report)
    assert s.date_indent == 2  # the date two characters from the right
    assert s.name_indent + 3 - 2 == s.date_indent + compose.Decimal("6.5")


def test_content_names_the_signing_body_and_date_or_turns_it_off(tmp_path):
    from .test_render import build

    text = real_text() + "signature:\n  name: 重庆市璧山区科学技术局办公室\n  date: 2023-04-01\n"
    result, path = build(tmp_path / "named", text)
    assert result.returncode == 0, result.stderr
    lines = docx_lines(path)
    assert lines[lines.index("附件") - 2 : lines.index("附件")] == ["重庆市璧山区科学技术局办公室", "2023年4月1日"]
    result, path = build(tmp_path / "off", real_text() + "signature:\n  show: false\n")
    assert result.returncode == 0, result.stderr
    lines = docx_lines(path)
    assert lines[lines.index("附件") - 1] == "附件：重庆市璧山区科学技术局2022年度部门整体支出绩效自评表"
    result, _ = build(tmp_path / "bad", real_text() + "signature:\n  show: 'no'\n")
    assert result.returncode == 1 and "signature" in result.stderr


def test_signature_paragraphs_are_right_aligned_with_their_indents(tmp_path):
    from .test_render import build

    result, path = build(tmp_path)
    assert result.returncode == 0, result.stderr
    paragraphs = docx.Document(str(path)).paragraphs
    texts = [p.text for p in paragraphs]
    note = paragraphs[texts.index("附件：重庆市璧山区科学技术局2022年度部门整体支出绩效自评表")]
    name, date = paragraphs[texts.index("重庆市璧山区科学技术局")], paragraphs[texts.index("2023年3月28日")]
    assert note.style.name == "Attachment Note" and name.style.name == date.style.name == "Signature"
    assert name.style.paragraph_format.alignment == 2  # right
    twips = [int(p._p.pPr.find(qn("w:ind")).get(qn("w:right"))) for p in (name, date)]
    char = 315  # one condensed 三号 character: 16 pt - 0.25 pt
    assert twips == [2 * char, round(compose.Decimal("4.5") * char)]


# ---------------------------------------------------------------- outline


NUMBERED = re.compile(r"^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+、)")


def test_every_numbered_heading_is_an_outline_level_kept_with_the_next(tmp_path):
    from .test_render import build

    result, path = build(tmp_path)
    assert result.returncode == 0, result.stderr
    document = docx.Document(str(path))
    body = []
    for p in document.paragraphs:
        if p.text == "附件":
            break
        body.append(p)
    headings = [p for p in body if NUMBERED.match(p.text) and not p.text.endswith("。")]
    assert len(headings) == 17 + 10  # the reference's outline and section 三's ten analyses
    for p in headings:
        style = p.style
        assert style.name.startswith("Heading"), p.text
        ppr = style.element.pPr
        assert ppr.find(qn("w:outlineLvl")) is not None and ppr.find(qn("w:keepNext")) is not None, p.text
    assert "10、企业满意度分析" in [p.text for p in headings]


# ---------------------------------------------------------------- the printable .xlsx


@pytest.fixture(scope="module")
def sheet_files(tmp_path_factory):
    """The real form as .xlsx, and LibreOffice Calc's PDF of it."""
    root, built = real_built(tmp_path_factory, "form")
    xlsx = built / "bishan-kjj-自评表.xlsx"
    return xlsx, calc(xlsx, "pdf", root / "pdf")


def calc(source, kind: str, outdir):
    """LibreOffice Calc converts ``source`` to ``kind`` in ``outdir`` (private profile, project fonts)."""
    subprocess.run(
        [soffice(), "--headless", f"-env:UserInstallation={(outdir / 'profile').as_uri()}", "--convert-to", kind, "--outdir", str(outdir), str(source)],
        check=True, capture_output=True, timeout=300, env={**fonts.environment(), "HOME": str(outdir)},
    )
    return outdir / (source.stem + "." + kind)


def subsequence(needle: str, haystack: str) -> bool:
    rest = iter(haystack)
    return all(ch in rest for ch in needle)


@NEEDS_SOFFICE
def test_xlsx_prints_one_page_wide_landscape_with_every_cell_and_repeated_headers(sheet_files):
    import openpyxl

    xlsx, pdf = sheet_files
    info = subprocess.run(["pdfinfo", "-l", "99", str(pdf)], check=True, capture_output=True, text=True).stdout
    sizes = [tuple(float(x) for x in line.split("size:")[1].split("pts")[0].split(" x ")) for line in info.splitlines() if line.startswith("Page") and "size:" in line]
    assert sizes and all(w > h for w, h in sizes), "A4 landscape"
    pages = [flat(p) for p in pdftotext(pdf).split("\f") if p.strip()]
    ws = openpyxl.load_workbook(xlsx).active
    names = [r[0] for r in ws.iter_rows(values_only=True) if r[1] in ("家", "次", "名", "个", "%")]
    assert names
    for page in pages:
        if any(n in page for n in names):  # one page wide: the rows' pages carry every column's heading
            assert "指标名称" in page and "是否核心指标" in page
    text = "".join(pages)
    cells = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert [c for c in cells if not subsequence(flat(c), text)] == []
    for shown in ("填报单位：重庆市璧山区科学技术局", "填报日期：2023年3月28日", "单位：万元", "绩效指标小计（不含预算执行率）", "自评总分（含预算执行率）", "42.42%", "2931.88", "94.24"):
        assert shown in text, shown


@NEEDS_SOFFICE
def test_xlsx_row_heights_hold_what_libreoffice_lays_out(sheet_files, tmp_path):
    """Excel and WPS keep a row's stored height; each must be at least the height LibreOffice
    finds optimal for its wrapped text (measured: the sheet with every row marked "optimal")."""
    import openpyxl

    xlsx, _ = sheet_files
    ours = {r: d.height for r, d in openpyxl.load_workbook(xlsx).active.row_dimensions.items() if d.height}
    flat_sheet = calc(xlsx, "fods", tmp_path / "a")
    text = flat_sheet.read_text(encoding="utf-8")
    text = text.replace('style:use-optimal-row-height="false"', 'style:use-optimal-row-height="true"')
    text = re.sub(r'(<style:table-row-properties[^>]*?)style:row-height="[^"]*"', r"\1", text)
    flat_sheet.write_text(text, encoding="utf-8")
    measured = calc(flat_sheet, "fods", tmp_path / "b").read_text(encoding="utf-8")
    heights = {
        m.group(1): float(re.search(r'style:row-height="([\d.]+)in"', m.group(0)).group(1)) * 72
        for m in re.finditer(r'<style:style style:name="(ro\d+)".*?</style:style>', measured, re.S)
    }
    rows = []
    for m in re.finditer(r'<table:table-row table:style-name="(ro\d+)"(?: table:number-rows-repeated="(\d+)")?', measured):
        rows += [heights[m.group(1)]] * int(m.group(2) or 1)
    short = {r: (h, rows[r - 1]) for r, h in ours.items() if h < rows[r - 1] - 0.5}
    assert short == {}, f"行高不足（本行高, LibreOffice 所需）：{short}"
    assert len(ours) >= 20


def test_xlsx_formats_print_figures_as_the_report_does(tmp_path, write_content):
    import openpyxl

    write_content(real_text())
    result = run_cli("form", "--year", "2022", "--content", str(tmp_path / "content"), "--out", str(tmp_path / "build"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    ws = openpyxl.load_workbook(tmp_path / "build" / "2022" / "bishan-kjj-自评表.xlsx").active
    formats = {}
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c.value, (int, float)):
                formats.setdefault(c.number_format, set()).add(c.value)
    assert "0.##" not in formats and "General" not in formats  # "15." in Excel and WPS
    assert 15 in formats["0"] and 171 in formats["0"]
    assert 1.0 in formats["0%"]  # 得分系数 100%, as the report prints it
    assert {2931.88, 1209.56} <= formats["0.00"]
    # Under the indicators, labelled so neither is read as the other: their own sums (90 of 90),
    # then the 自评总分 with the execution rate (4.24 of 10): 94.24 of 100, the header's figure.
    totals = {r[0]: (r[7], r[8]) for r in ws.iter_rows(values_only=True) if r[0] and str(r[0]).startswith(("绩效指标小计", "自评总分（"))}
    assert totals == {"绩效指标小计（不含预算执行率）": (90, 90), "自评总分（含预算执行率）": (100, 94.24)}
    assert [r[3] for r in sheet_rows(tmp_path / "build" / "2022" / "bishan-kjj-自评表.xlsx") if r[0] == "主管部门"] == [94.24]
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_title_rows


def test_attachment_rows_keep_with_their_neighbours_and_the_title_sits_on_line_3(tmp_path):
    from .test_render import build

    result, path = build(tmp_path)
    assert result.returncode == 0, result.stderr
    document = docx.Document(str(path))
    indicators = next(t for t in document.tables if [c.text for c in t.rows[0].cells][:2] == ["指标名称", "计量单位"])
    keeps = [r.cells[0].paragraphs[0]._p.pPr.find(qn("w:keepNext")) is not None for r in indicators.rows]
    assert keeps == [True] * (len(indicators.rows) - 1) + [False]  # the last row goes with the one before
    assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in indicators.rows)
    # GB/T 9704: "附件" on the first line, the title on the third: one blank line of the grid between.
    label = next(p for p in document.paragraphs if p.text == "附件")
    spacing = label.style.element.pPr.find(qn("w:spacing"))
    assert spacing.get(qn("w:after")) == spacing.get(qn("w:line")) == "579"


def test_next_year_drops_last_years_signature_date_and_keeps_the_name():
    from pipeline.commands.newyear import next_year

    tree = {"year": 2022, "signature": {"name": "某局办公室", "date": "2023-03-28"}}
    next_year(tree, 2023)
    assert tree["signature"] == {"name": "某局办公室"}
