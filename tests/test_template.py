"""The default template: built by scripts/build_template.py, laid out to GB/T 9704-2012.

The expected figures are the standard's own (millimetres, points, lines and characters) and the
content contract of the compose stage; each check reads the committed .docx, never the script's
constants, so a wrong constant in the script fails here.
"""

from __future__ import annotations

import math
import subprocess
import sys
import zipfile
from pathlib import Path
from types import SimpleNamespace

import docx
import jinja2
import pytest
from docx.text.paragraph import Paragraph
from docxtpl import DocxTemplate
from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "templates" / "report.docx"
BUILD_SCRIPT = ROOT / "scripts" / "build_template.py"

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
NS = {"w": W_NS, "r": R_NS}


def w(name: str) -> str:
    return f"{{{W_NS}}}{name}"


# --- the standard, in its own units ---------------------------------------------------------------
PAGE_MM = (210, 297)
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
TEXT_BLOCK_MM = (156, 225)
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
TOLERANCE_MM = 0.1

FANGSONG, XIAOBIAOSONG, HEITI, KAITI, SONGTI = "仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312", "宋体"


def mm_from_twips(value: str | int) -> float:
    return int(value) / 20 / 72 * 25.4


def pt_from_mm(mm: float) -> float:
    return mm / 25.4 * 72


# --- reading the package --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def package() -> dict[str, bytes]:
    with zipfile.ZipFile(TEMPLATE) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


@pytest.fixture(scope="module")
def document_xml(package):
    return etree.fromstring(package["word/document.xml"])


@pytest.fixture(scope="module")
def styles_xml(package):
    return etree.fromstring(package["word/styles.xml"])


@pytest.fixture(scope="module")
def sections(document_xml):
    found = document_xml.findall(".//w:sectPr", NS)
    assert len(found) == 2, "模板应有两节：报告正文（纵向）和附件自评表（横向）"
    return found


@pytest.fixture(scope="module")
def sect_pr(sections):
    """The report's own section (portrait), ended by a paragraph that carries its properties."""
    return sections[0]


def test_attachment_is_a_landscape_a4_section_continuing_the_page_numbers(sections):
    last = sections[-1]
    pg_sz, pg_mar = last.find("w:pgSz", NS), last.find("w:pgMar", NS)
    assert _attr(pg_sz, "orient") == "landscape"
    assert abs(int(_attr(pg_sz, "w")) - 297 * 1440 / 25.4) <= 1 and abs(int(_attr(pg_sz, "h")) - 210 * 1440 / 25.4) <= 1
    width_mm = (int(_attr(pg_sz, "w")) - int(_attr(pg_mar, "left")) - int(_attr(pg_mar, "right"))) * 25.4 / 1440
    assert abs(width_mm - 225) < 0.2  # the portrait text block turned on its side
    # Its own odd/even footers (the numbers turned to the portrait place); no page number restart.
    assert sorted(_attr(ref, "type") for ref in last.findall("w:footerReference", NS)) == ["default", "even"]
    assert last.find("w:pgNumType", NS) is None or _attr(last.find("w:pgNumType", NS), "start") is None
    assert sections[0].getparent().tag == w("pPr")  # the report's section ends at a paragraph


def test_attachment_starts_with_its_label_and_the_form_title(document_xml):
    texts = ["".join(t.text or "" for t in p.iter(w("t"))) for p in document_xml.iter(w("p"))]
    label = texts.index("附件")
    assert texts[label + 1] == "{{ form.title_lines }}"
    styles = [p.find("w:pPr/w:pStyle", NS) for p in document_xml.iter(w("p"))]
    assert _attr(styles[label], "val") == "AttachmentLabel"


def _attr(element, name: str) -> str | None:
    return None if element is None else element.get(w(name))


class Styles:
    """Style lookup with inheritance: direct → basedOn chain → docDefaults."""

    def __init__(self, root):
        self.root = root
        self.by_id = {s.get(w("styleId")): s for s in root.findall("w:style", NS)}

    def by_name(self, name: str):
        for style in self.by_id.values():
            if style.find("w:name", NS).get(w("val")).lower() == name.lower():
                return style
        raise AssertionError(f"styles.xml 中没有样式 {name!r}")

    def chain(self, style):
        seen = set()
        while style is not None and style.get(w("styleId")) not in seen:
            seen.add(style.get(w("styleId")))
            yield style
            based = style.find("w:basedOn", NS)
            style = self.by_id.get(based.get(w("val"))) if based is not None else None

    def _default(self, kind: str):
        return self.root.find(f"w:docDefaults/w:{kind}Default/w:{kind}", NS)

    def _elements(self, style, kind: str, tag: str, direct):
        """Every w:tag in rPr or pPr (kind), nearest first: `direct`, the style chain, defaults."""
        holders = [direct] if direct is not None else []
        holders += [s.find(f"w:{kind}", NS) for s in self.chain(style)]
        holders.append(self._default(kind))
        for holder in holders:
            el = None if holder is None else holder.find(f"w:{tag}", NS)
            if el is not None:
                yield el

    def find(self, style, kind: str, tag: str, attr: str, direct=None):
        """First value of w:tag/@w:attr in rPr or pPr (kind), looking at `direct` first."""
        for el in self._elements(style, kind, tag, direct):
            if el.get(w(attr)) is not None:
                return el.get(w(attr))
        return None

    def on(self, style, kind: str, tag: str, direct=None) -> bool:
        """An on/off property (w:b, w:keepNext …) after inheritance."""
        for el in self._elements(style, kind, tag, direct):
            return el.get(w("val"), "true") not in ("0", "false", "off")
        return False


@pytest.fixture(scope="module")
def styles(styles_xml) -> Styles:
    return Styles(styles_xml)


# --- (a) the committed file is what the script builds ---------------------------------------------


def test_committed_template_matches_build_script(tmp_path):
    out = tmp_path / "report.docx"
    # Run it the documented way, from another directory, in a fresh interpreter.
    subprocess.run([sys.executable, str(BUILD_SCRIPT), str(out)], cwd=tmp_path, check=True,
                   capture_output=True)
    assert out.read_bytes() == TEMPLATE.read_bytes(), (
        "templates/report.docx 与 scripts/build_template.py 不一致：请运行 make template"
    )
    assert (tmp_path / "form.docx").read_bytes() == (TEMPLATE.parent / "form.docx").read_bytes(), (
        "templates/form.docx 与 scripts/build_template.py 不一致：请运行 make template"
    )


def test_build_is_reproducible(tmp_path):
    first, second = tmp_path / "a.docx", tmp_path / "b.docx"
    for out in (first, second):
        subprocess.run([sys.executable, str(BUILD_SCRIPT), str(out)], check=True,
                       capture_output=True)
    assert first.read_bytes() == second.read_bytes()


# --- (b) page geometry ----------------------------------------------------------------------------


def test_page_is_a4_portrait(sect_pr):
    pg_sz = sect_pr.find("w:pgSz", NS)
    assert abs(mm_from_twips(pg_sz.get(w("w"))) - PAGE_MM[0]) <= TOLERANCE_MM
    assert abs(mm_from_twips(pg_sz.get(w("h"))) - PAGE_MM[1]) <= TOLERANCE_MM
    assert pg_sz.get(w("orient")) in (None, "portrait")


@pytest.mark.parametrize("side", sorted(MARGINS_MM))
def test_margins(sect_pr, side):
    value = sect_pr.find("w:pgMar", NS).get(w(side))
    assert abs(mm_from_twips(value) - MARGINS_MM[side]) <= TOLERANCE_MM, side


def test_margins_leave_the_standard_text_block(sect_pr):
    pg_sz, pg_mar = sect_pr.find("w:pgSz", NS), sect_pr.find("w:pgMar", NS)
    width = int(pg_sz.get(w("w"))) - int(pg_mar.get(w("left"))) - int(pg_mar.get(w("right")))
    height = int(pg_sz.get(w("h"))) - int(pg_mar.get(w("top"))) - int(pg_mar.get(w("bottom")))
    assert int(pg_mar.get(w("gutter"), "0")) == 0
    assert abs(mm_from_twips(width) - TEXT_BLOCK_MM[0]) <= 2 * TOLERANCE_MM
    assert abs(mm_from_twips(height) - TEXT_BLOCK_MM[1]) <= 2 * TOLERANCE_MM


def test_line_grid_gives_22_lines_per_page(sect_pr, styles):
    grid = sect_pr.find("w:docGrid", NS)
    assert grid is not None and grid.get(w("type")) in ("lines", "linesAndChars", "snapToChars")
    pitch_pt = int(grid.get(w("linePitch"))) / 20
    text_h_pt = pt_from_mm(TEXT_BLOCK_MM[1])
    assert math.floor(text_h_pt / pitch_pt) == LINES_PER_PAGE
    # Body lines are one grid line high: exact spacing equal to the pitch, or snapped to it.
    normal = styles.by_name("Normal")
    rule = styles.find(normal, "pPr", "spacing", "lineRule")
    if rule == "exact":
        assert int(styles.find(normal, "pPr", "spacing", "line")) / 20 == pitch_pt
    else:
        assert rule in (None, "auto") and int(styles.find(normal, "pPr", "spacing", "line")) == 240
        assert styles.find(normal, "pPr", "snapToGrid", "val") not in ("0", "false")


def test_28_characters_per_line(sect_pr, styles):
    """28 body characters fit a 156 mm line, 29 do not.

    Word's character grid would do it through docGrid/@charSpace; the template condenses the body
    text instead (LibreOffice lays a Word character grid out in double cells). Either way counts.
    """
    normal = styles.by_name("Normal")
    size_pt = int(styles.find(normal, "rPr", "sz", "val")) / 2
    grid = sect_pr.find("w:docGrid", NS)
    if grid.get(w("type")) in ("linesAndChars", "snapToChars"):
        pitch_pt = size_pt + int(grid.get(w("charSpace"), "0")) / 4096
    else:
        pitch_pt = size_pt + int(styles.find(normal, "rPr", "spacing", "val") or 0) / 20
    assert math.floor(pt_from_mm(TEXT_BLOCK_MM[0]) / pitch_pt) == CHARS_PER_LINE


def test_no_character_grid_for_libreoffice(sect_pr):
    # LibreOffice (7.4) puts each 16 pt character of a Word character grid with a negative
    # charSpace into two cells: 14 characters a line and letter-spaced PDF text.
    assert sect_pr.find("w:docGrid", NS).get(w("type")) == "lines"


# --- styles ---------------------------------------------------------------------------------------


def _assert_font(styles, style, font):
    for slot in ("eastAsia", "ascii", "hAnsi"):
        assert styles.find(style, "rPr", "rFonts", slot) == font, (style.get(w("styleId")), slot)


def _size_pt(styles, style) -> float:
    return int(styles.find(style, "rPr", "sz", "val")) / 2


def test_normal_style(styles):
    normal = styles.by_name("Normal")
    _assert_font(styles, normal, FANGSONG)
    assert _size_pt(styles, normal) == 16
    chars = styles.find(normal, "pPr", "ind", "firstLineChars")
    first_line = styles.find(normal, "pPr", "ind", "firstLine")
    assert chars == "200" or (chars is None and int(first_line) == 32 * 20)
    if first_line is not None:  # the absolute fallback must agree with the character indent
        assert int(first_line) == 2 * 16 * 20
    assert styles.find(normal, "pPr", "jc", "val") in ("both", "distribute")


def test_title_style(styles):
    title = styles.by_name("Title")
    _assert_font(styles, title, XIAOBIAOSONG)
    assert _size_pt(styles, title) == 22
    assert styles.find(title, "pPr", "jc", "val") == "center"
    assert int(styles.find(title, "pPr", "ind", "firstLine") or 0) == 0
    assert int(styles.find(title, "pPr", "ind", "firstLineChars") or 0) == 0
    assert not styles.on(title, "rPr", "b")


@pytest.mark.parametrize(
    ("level", "font"), [(1, HEITI), (2, KAITI), (3, FANGSONG), (4, FANGSONG)]
)
def test_heading_styles(styles, level, font):
    heading = styles.by_name(f"heading {level}")
    _assert_font(styles, heading, font)
    assert _size_pt(styles, heading) == 16
    assert styles.find(heading, "pPr", "outlineLvl", "val") == str(level - 1)
    assert styles.find(heading, "rPr", "color", "val") == "000000"
    assert styles.find(heading, "rPr", "color", "themeColor") is None
    assert not styles.on(heading, "rPr", "b")
    assert not styles.on(heading, "rPr", "i")
    assert styles.find(heading, "pPr", "ind", "firstLineChars") == "200"


def test_caption_style_is_centred_without_indent(styles):
    caption = styles.by_name("caption")
    assert styles.find(caption, "pPr", "jc", "val") == "center"
    assert int(styles.find(caption, "pPr", "ind", "firstLine") or 0) == 0
    assert int(styles.find(caption, "pPr", "ind", "firstLineChars") or 0) == 0
    _assert_font(styles, caption, FANGSONG)


def test_document_language_is_zh_cn(styles_xml):
    lang = styles_xml.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    assert lang is not None and lang.get(w("eastAsia")) == "zh-CN"


THEME_ATTRS = ("asciiTheme", "eastAsiaTheme", "hAnsiTheme", "cstheme", "themeColor")


@pytest.mark.parametrize("part", ["word/styles.xml", "word/document.xml"])
def test_no_theme_fonts_or_colours(package, part):
    root = etree.fromstring(package[part])
    found = [
        (el.tag.split("}")[1], attr)
        for el in root.iter()
        for attr in THEME_ATTRS
        if el.get(w(attr)) is not None
    ]
    assert found == []


def test_every_font_is_named_in_all_slots(package):
    """A font given for East Asian text is also the Latin font, and the other way round."""
    parts = [n for n in package if n in ("word/styles.xml", "word/document.xml")
             or n.startswith(("word/footer", "word/header"))]
    for part in parts:
        for rfonts in etree.fromstring(package[part]).iter(w("rFonts")):
            slots = {s: rfonts.get(w(s)) for s in ("ascii", "hAnsi", "eastAsia")}
            assert len(set(slots.values())) == 1 and None not in slots.values(), (part, slots)


# --- footer (page number) -------------------------------------------------------------------------


def _footer_parts(package, sect_pr) -> dict[str, object]:
    rels = etree.fromstring(package["word/_rels/document.xml.rels"])
    targets = {r.get("Id"): r.get("Target") for r in rels.findall(f"{{{PKG_REL_NS}}}Relationship")}
    out = {}
    for ref in sect_pr.findall("w:footerReference", NS):
        target = targets[ref.get(f"{{{R_NS}}}id")]
        out[ref.get(w("type"))] = etree.fromstring(package[f"word/{target}"])
    return out


def test_even_and_odd_footers_are_on():
    settings = docx.Document(str(TEMPLATE)).settings
    assert settings.odd_and_even_pages_header_footer is True


def test_first_page_has_its_number(sect_pr):
    assert sect_pr.find("w:titlePg", NS) is None


@pytest.mark.parametrize(("kind", "align", "indent_side"), [("default", "right", "right"),
                                                            ("even", "left", "left")])
def test_page_number_footer(package, sect_pr, styles, kind, align, indent_side):
    footers = _footer_parts(package, sect_pr)
    assert kind in footers, f"缺少 {kind} 页脚"
    paragraphs = [p for p in footers[kind].iter(w("p")) if p.findall(".//w:t", NS)]
    assert len(paragraphs) == 1
    p = paragraphs[0]
    ppr = p.find("w:pPr", NS)
    style = styles.by_id.get(_attr(ppr.find("w:pStyle", NS), "val") if ppr is not None else None,
                             styles.by_name("Normal"))
    assert styles.find(style, "pPr", "jc", "val", direct=ppr) == align
    # One character in from the edge: 100 hundredths of a character, or one 4号/3号 em in twips.
    chars = styles.find(style, "pPr", "ind", f"{indent_side}Chars", direct=ppr)
    twips = styles.find(style, "pPr", "ind", indent_side, direct=ppr)
    assert chars == "100" or (chars is None and int(twips) in (14 * 20, 16 * 20))
    # "— " PAGE " —" with em dashes
    instr = "".join(t.text or "" for t in p.iter(w("instrText")))
    simple = [f.get(w("instr")) for f in p.iter(w("fldSimple"))]
    assert "PAGE" in instr.split() or any("PAGE" in (s or "").split() for s in simple)
    runs = [r for r in p.iter(w("r"))]
    texts = [t.text or "" for t in p.iter(w("t"))]
    assert texts[0] == "\u2014 " and texts[-1] == " \u2014"
    assert "\u2014" not in "".join(texts[1:-1])
    for run in runs:
        rpr = run.find("w:rPr", NS)
        for slot in ("eastAsia", "ascii", "hAnsi"):
            assert styles.find(style, "rPr", "rFonts", slot, direct=rpr) == SONGTI
        assert int(styles.find(style, "rPr", "sz", "val", direct=rpr)) == 28


def test_footer_sits_below_the_text_block(sect_pr):
    pg_mar = sect_pr.find("w:pgMar", NS)
    footer_mm = mm_from_twips(pg_mar.get(w("footer")))
    bottom_mm = mm_from_twips(pg_mar.get(w("bottom")))
    # GB/T 9704: the number line about 7 mm below the text block, so the footer (measured from
    # the page edge to its bottom, one 14 pt line high) ends 7 + ~6 mm below the block.
    assert 15 <= footer_mm <= bottom_mm - 7


# --- Table 1 --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def table(document_xml):
    tables = document_xml.findall(".//w:tbl", NS)
    # Table 1, then the attachment's form tables: header, budget, budget parts (with and without
    # their own 权重/得分), goals, indicators grouped under 一级/二级指标, indicators without
    # hierarchy, deviations.
    assert len(tables) == 9
    return tables[0]


def test_table_header_row_repeats(table):
    rows = table.findall("w:tr", NS)
    header = rows[0].find("w:trPr/w:tblHeader", NS)
    assert header is not None and header.get(w("val"), "true") not in ("0", "false")
    cells = ["".join(tc.itertext()) for tc in rows[0].findall("w:tc", NS)]
    assert cells == ["指标名称", "权重", "得分", "得分率"]


def test_table_rows_are_the_docxtpl_loop(table):
    texts = ["".join(t.text or "" for t in row.iter(w("t"))) for row in table.findall("w:tr", NS)]
    assert texts[1:] == [
        "{%tr for r in table %}",
        "{{ r.name }}{{ r.weight }}{{ r.score }}{{ r.rate }}",
        "{%tr endfor %}",
    ]


def test_table_borders_are_single(table, styles):
    tbl_pr = table.find("w:tblPr", NS)
    style = styles.by_id[tbl_pr.find("w:tblStyle", NS).get(w("val"))] \
        if tbl_pr.find("w:tblStyle", NS) is not None else None
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        border = tbl_pr.find(f"w:tblBorders/w:{side}", NS)
        if border is None and style is not None:
            border = style.find(f"w:tblPr/w:tblBorders/w:{side}", NS)
        assert border is not None and border.get(w("val")) == "single", side
        assert int(border.get(w("sz"))) == 4, side  # eighths of a point: 0.5 pt


def test_table_spans_the_text_block(table):
    tbl_w = table.find("w:tblPr/w:tblW", NS)
    if tbl_w.get(w("type")) == "pct":
        assert tbl_w.get(w("w")) in ("5000", "100%")
    else:
        assert tbl_w.get(w("type")) == "dxa"
        assert abs(mm_from_twips(tbl_w.get(w("w"))) - TEXT_BLOCK_MM[0]) <= 2 * TOLERANCE_MM
    cols = [int(c.get(w("w"))) for c in table.findall("w:tblGrid/w:gridCol", NS)]
    share = [c / sum(cols) for c in cols]
    for got, want in zip(share, (0.5, 0.15, 0.15, 0.2)):
        assert abs(got - want) < 0.02, share


def test_table_cells_are_centred(table, styles):
    style = table.find("w:tblPr/w:tblStyle", NS)
    tbl_style = styles.by_id.get(style.get(w("val"))) if style is not None else None
    for tc in table.iter(w("tc")):
        v_align = _attr(tc.find("w:tcPr/w:vAlign", NS), "val")
        if v_align is None and tbl_style is not None:
            v_align = _attr(tbl_style.find("w:tcPr/w:vAlign", NS), "val")
        assert v_align == "center"
        for p in tc.findall("w:p", NS):
            ppr = p.find("w:pPr", NS)
            p_style = styles.by_id[_attr(ppr.find("w:pStyle", NS), "val")]
            assert styles.find(p_style, "pPr", "jc", "val", direct=ppr) == "center"
            assert int(styles.find(p_style, "pPr", "ind", "firstLine", direct=ppr) or 0) == 0
            assert int(styles.find(p_style, "pPr", "ind", "firstLineChars", direct=ppr) or 0) == 0
            for slot in ("eastAsia", "ascii", "hAnsi"):
                assert styles.find(p_style, "rPr", "rFonts", slot) == FANGSONG
            assert int(styles.find(p_style, "rPr", "sz", "val")) in (24, 28)


# --- package hygiene ------------------------------------------------------------------------------


def test_core_properties_are_neutral():
    cp = docx.Document(str(TEMPLATE)).core_properties
    assert cp.title == "部门整体支出绩效自评报告"
    assert cp.author == "" and cp.last_modified_by == ""
    assert cp.revision == 1
    assert cp.created.date().isoformat() == "2000-01-01"
    assert cp.modified.date().isoformat() == "2000-01-01"


def test_no_python_docx_traces(package):
    for name, data in package.items():
        assert b"python-docx" not in data, name
    assert "docProps/thumbnail.jpeg" not in package


# --- the content contract -------------------------------------------------------------------------

CONTEXT_NAMES = {
    "title", "h1", "h2", "h3", "h4", "intro", "rank", "units_heading", "units_lead", "units", "staffing",
    "functions", "budget", "santong", "preparation", "phases_lead", "phases", "analysis",
    "experience", "conclusion", "table_caption", "table", "analyses", "problems", "suggestions",
    "form", "attachment_note", "signature",
}

# (style name, text) of every body paragraph, in order; "TABLE" marks Table 1.
OUTLINE = [
    ("Title", "{{ title }}"),
    ("Normal", "{{ intro }}"),
    ("Heading 1", "{{ h1() }}基本情况"),
    ("Heading 2", "{{ h2() }}部门基本情况"),
    ("Heading 3", "{{ h3() }}部门职级"),
    ("Normal", "{{ rank }}"),
    ("Heading 3", "{{ h3() }}{{ units_heading }}"),
    ("Normal", "{{ units_lead }}"),
    ("Normal", "{%p for u in units %}"), ("Normal", "{{ u }}"), ("Normal", "{%p endfor %}"),
    ("Normal", "{%p for s in staffing %}"), ("Normal", "{{ s }}"), ("Normal", "{%p endfor %}"),
    ("Heading 3", "{{ h3() }}职能职责"),
    ("Normal", "{%p for f in functions %}"), ("Normal", "{{ f }}"), ("Normal", "{%p endfor %}"),
    ("Heading 2", "{{ h2() }}预算及支出情况"),
    ("Heading 3", "{{ h3() }}财政资金整体支出"),
    ("Normal", "{{ budget }}"),
    ("Normal", "{%p if santong %}"),
    ("Heading 3", "{{ h3() }}部门“三公”经费支出"),
    ("Normal", "{{ santong }}"),
    ("Normal", "{%p endif %}"),
    ("Heading 1", "{{ h1() }}主要成效"),
    ("Heading 2", "{{ h2() }}绩效评价工作开展情况"),
    ("Heading 3", "{{ h3() }}前期准备"),
    ("Normal", "{{ preparation }}"),
    ("Heading 3", "{{ h3() }}组织实施"),
    ("Normal", "{%p if phases_lead %}"), ("Normal", "{{ phases_lead }}"), ("Normal", "{%p endif %}"),
    ("Normal", "{%p for p in phases %}"), ("Normal", "{{ p }}"), ("Normal", "{%p endfor %}"),
    ("Heading 3", "{{ h3() }}分析评价"),
    ("Normal", "{{ analysis }}"),
    ("Normal", "{%p if experience %}"),
    ("Heading 2", "{{ h2() }}主要经验及做法"),
    ("Normal", "{%p for e in experience %}"), ("Normal", "{{ e }}"), ("Normal", "{%p endfor %}"),
    ("Normal", "{%p endif %}"),
    ("Heading 1", "{{ h1() }}绩效评价情况及结论"),
    ("Normal", "{{ conclusion }}"),
    ("Caption", "{{ table_caption }}"),
    ("TABLE", ""),
    ("Normal", "{%p for a in analyses %}"),
    ("Heading 3", "{{ a.heading }}"),  # section 三's "1、…分析": in the outline like the others
    ("Normal", "{%p for p in a.paragraphs %}"), ("Normal", "{{ p }}"), ("Normal", "{%p endfor %}"),
    ("Normal", "{%p endfor %}"),
    ("Normal", "{%p if problems %}"),
    ("Heading 1", "{{ h1() }}需重点关注的问题"),
    ("Normal", "{%p for x in problems %}"), ("Normal", "{{ x }}"), ("Normal", "{%p endfor %}"),
    ("Normal", "{%p endif %}"),
    ("Normal", "{%p if suggestions %}"),
    ("Heading 1", "{{ h1() }}有关建议"),
    ("Normal", "{%p for x in suggestions %}"), ("Normal", "{{ x }}"), ("Normal", "{%p endfor %}"),
    ("Normal", "{%p endif %}"),
    ("Attachment Note", "{{ attachment_note }}"),
    ("Normal", "{%p if signature %}"),
    ("Signature", "{{ signature.name }}"),
    ("Signature", "{{ signature.date }}"),
    ("Normal", "{%p endif %}"),
    ("Normal", ""),  # carries the report section's properties: the attachment starts a new one
    ("Attachment Label", "附件"),
    ("Title", "{{ form.title_lines }}"),
    ("TABLE", ""),
    ("Form Label", "预算执行情况"), ("TABLE", ""),
    ("Normal", "{%p if form.parts and form.parts_scored %}"), ("TABLE", ""),
    ("Normal", "{%p elif form.parts %}"), ("TABLE", ""), ("Normal", "{%p endif %}"),
    ("Form Label", "年度绩效目标"), ("TABLE", ""),
    ("Form Label", "绩效指标"),
    ("Normal", "{%p if form.hierarchy %}"), ("TABLE", ""),
    ("Normal", "{%p else %}"), ("TABLE", ""), ("Normal", "{%p endif %}"),
    ("Normal", "{%p if form.deviations %}"),
    ("Form Label", "偏差原因分析及改进措施"), ("TABLE", ""),
    ("Normal", "{%p endif %}"),
]


def test_body_follows_the_outline():
    document = docx.Document(str(TEMPLATE))
    got = []
    for block in document.element.body.iterchildren():
        if block.tag == w("p"):
            paragraph = Paragraph(block, document)
            got.append((paragraph.style.name, paragraph.text))
        elif block.tag == w("tbl"):
            got.append(("TABLE", ""))
    assert got == OUTLINE


def test_every_tag_is_in_one_run(document_xml):
    for p in document_xml.iter(w("p")):
        texts = [t.text or "" for t in p.iter(w("t"))]
        joined = "".join(texts)
        if "{" in joined:
            assert len(texts) == 1, joined


def test_template_asks_for_exactly_the_context_names():
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    found = DocxTemplate(str(TEMPLATE)).get_undeclared_template_variables(jinja_env=env)
    # h4 is supplied for templates that go a level deeper; the default outline stops at level 3.
    assert found == CONTEXT_NAMES - {"h4"}


# --- rendering ------------------------------------------------------------------------------------

_CN = "一二三四五六七八九十"


def _numbering() -> dict[str, object]:
    counts = [0, 0, 0, 0]
    forms = (lambda n: f"{_CN[n - 1]}、", lambda n: f"（{_CN[n - 1]}）",
             lambda n: f"{n}、", lambda n: f"（{n}）")

    def make(level):
        def number():
            counts[level] += 1
            counts[level + 1:] = [0] * (3 - level)
            return forms[level](counts[level])
        return number

    return {f"h{i + 1}": make(i) for i in range(4)}


def _context(**overrides) -> dict[str, object]:
    row = SimpleNamespace
    context = dict(
        title="某局2022年度部门整体支出绩效自评报告",
        intro="开头。",
        rank="为正处级。",
        units_heading="内设机构及编制",
        units_lead="设下列内设机构：",
        units=["（1）办公室。", "（2）技术创新科。"],
        staffing=["核定行政编制9名。"],
        functions=["（1）职能一。"],
        budget="预算 & 执行 <说明>。",
        santong="“三公”经费。",
        preparation="前期准备。",
        phases_lead="分为两个阶段：",
        phases=["第一个阶段。", "第二个阶段。"],
        analysis="分析评价。",
        experience=["1、经验。"],
        conclusion="总得分94.24分。",
        table_caption="表 1：指标得分情况",
        table=[row(name="预算执行率", weight="10", score="4.24", rate="42.42%"),
               row(name="职工满意度", weight="5", score="5", rate="100%")],
        analyses=[row(heading="1、预算执行率分析", paragraphs=["执行率为42.42%。", "第二段。"])],
        problems=["1、问题。"],
        suggestions=["1、建议。"],
        form=row(
            title="某局2022年度部门整体支出绩效自评表", title_lines="某局2022年度部门整体支出绩效自评表",
            header=[["主管部门", "某局", "自评总分", "94.24"], ["联系人", "", "电话", ""]],
            budget_columns=list("ABCDEF"), budget=list("123456"),
            parts_columns=list("ABCDE"), parts=[], parts_scored=False,
            goal_columns=list("ABC"), goals=["", "", ""],
            columns=list("ABCDEFGHIJ"), rows=[row(cells=list("abcdefghij"), merge=[])], hierarchy=False,
            totals=[["绩效指标小计（不含预算执行率）", "90", "90"], ["自评总分（含预算执行率）", "100", "94.24"]],
            deviation_columns=list("ABC"), deviations=[["预算执行率", "资金紧张", ""]],
        ),
        attachment_note="附件：某局2022年度部门整体支出绩效自评表",
        signature=row(name="某局", date="2023年3月28日", name_indent=2, date_indent=2),
    )
    context.update(_numbering())
    context.update(overrides)
    return context


def _render(tmp_path, name, **overrides):
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    template = DocxTemplate(str(TEMPLATE))
    template.render(_context(**overrides), env)
    out = tmp_path / name
    template.save(str(out))
    return docx.Document(str(out))


def _headings(document):
    return [(p.style.name, p.text) for p in document.paragraphs
            if p.style.name.startswith("Heading")]


def test_render_numbers_the_outline(tmp_path):
    document = _render(tmp_path, "full.docx")
    assert _headings(document) == [
        ("Heading 1", "一、基本情况"),
        ("Heading 2", "（一）部门基本情况"),
        ("Heading 3", "1、部门职级"),
        ("Heading 3", "2、内设机构及编制"),
        ("Heading 3", "3、职能职责"),
        ("Heading 2", "（二）预算及支出情况"),
        ("Heading 3", "1、财政资金整体支出"),
        ("Heading 3", "2、部门“三公”经费支出"),
        ("Heading 1", "二、主要成效"),
        ("Heading 2", "（一）绩效评价工作开展情况"),
        ("Heading 3", "1、前期准备"),
        ("Heading 3", "2、组织实施"),
        ("Heading 3", "3、分析评价"),
        ("Heading 2", "（二）主要经验及做法"),
        ("Heading 1", "三、绩效评价情况及结论"),
        ("Heading 3", "1、预算执行率分析"),
        ("Heading 1", "四、需重点关注的问题"),
        ("Heading 1", "五、有关建议"),
    ]
    texts = [p.text for p in document.paragraphs]
    assert "预算 & 执行 <说明>。" in texts  # autoescape: special characters print literally
    assert texts[texts.index("表 1：指标得分情况") + 1:texts.index("1、问题。")] == [
        "1、预算执行率分析", "执行率为42.42%。", "第二段。", "四、需重点关注的问题",
    ]
    assert not any("{" in t or "}" in t for t in texts)
    rows = [[c.text for c in r.cells] for r in document.tables[0].rows]
    assert rows == [["指标名称", "权重", "得分", "得分率"],
                    ["预算执行率", "10", "4.24", "42.42%"],
                    ["职工满意度", "5", "5", "100%"]]


def test_render_drops_empty_sections_without_using_their_numbers(tmp_path):
    document = _render(tmp_path, "short.docx", santong="", experience=[], problems=[])
    headings = _headings(document)
    assert ("Heading 3", "2、部门“三公”经费支出") not in headings
    assert ("Heading 2", "（二）主要经验及做法") not in headings
    assert headings[-3:] == [("Heading 1", "三、绩效评价情况及结论"), ("Heading 3", "1、预算执行率分析"), ("Heading 1", "四、有关建议")]
    # No empty paragraph is left behind, but the one that ends the report's section.
    empty = [p for p in document.paragraphs if p.text == ""]
    assert len(empty) == 1 and empty[0]._p.find("w:pPr/w:sectPr", NS) is not None


def test_render_refuses_a_missing_name(tmp_path):
    context = _context()
    del context["rank"]
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    with pytest.raises(jinja2.UndefinedError):
        DocxTemplate(str(TEMPLATE)).render(context, env)
