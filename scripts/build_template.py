"""Build the default report template ``templates/report.docx`` from code.

    python scripts/build_template.py [OUT]        (default OUT: templates/report.docx)

The template is a build input that people review, so it is generated here rather than edited in
Word: a change to the layout is a change to this file, and ``tests/test_template.py`` fails when the
committed .docx and this script disagree. Running the script twice gives identical bytes.

What it lays down (GB/T 9704-2012 《党政机关公文格式》):

- A4 portrait, margins top 37 / bottom 35 / left 28 / right 26 mm, i.e. a 156 × 225 mm text block;
  22 lines a page (a line grid and exact line spacing) × 28 characters a line (condensed body
  text; see CHAR_SPACING for why not Word's character grid).
- Styles written from scratch (python-docx's stock stylesheet is replaced): every font is named
  explicitly in the ascii, hAnsi, eastAsia and cs slots; there are no theme fonts or theme colours,
  so nothing in Word's theme can override the 公文 fonts.
- Footers: odd pages right-aligned, even pages left-aligned, "— PAGE —" in 4号 宋体, one character
  in from the edge.
- The body: the report outline as docxtpl tags; the names are the context the compose stage
  supplies, each a ready-worded string or list of strings. Section numbers come from the
  callables ``h1()`` … ``h4()`` in the context.

Parts python-docx's default template carries and the report does not need (thumbnail, customXml,
stylesWithEffects, numbering, webSettings, app.xml) are dropped; core properties are fixed and
neutral. The zip itself is normalised by ``pipeline.output.savefile``.
"""

from __future__ import annotations

import copy
import datetime as _dt
import math
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

import docx  # noqa: E402
from docx.opc.constants import RELATIONSHIP_TYPE as RT  # noqa: E402
from docx.oxml import parse_xml  # noqa: E402
from docx.oxml.ns import nsdecls, qn  # noqa: E402
from xml.sax.saxutils import escape, quoteattr  # noqa: E402

from pipeline.output.savefile import document_bytes, write_atomically  # noqa: E402

DEFAULT_OUT = REPO_ROOT / "templates" / "report.docx"
FORM_NAME = "form.docx"  # the standalone 自评表, written beside the report's template

# --- fonts (names exactly as Chinese offices have them installed) ---------------------------------
FANGSONG = "仿宋_GB2312"
XIAOBIAOSONG = "方正小标宋简体"
HEITI = "黑体"
KAITI = "楷体_GB2312"
SONGTI = "宋体"

# --- page geometry (GB/T 9704-2012) ---------------------------------------------------------------
PAGE_W_MM, PAGE_H_MM = 210, 297
MARGIN_TOP_MM, MARGIN_BOTTOM_MM = 37, 35
MARGIN_LEFT_MM, MARGIN_RIGHT_MM = 28, 26
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
BODY_PT = 16  # 三号
TITLE_PT = 22  # 二号
PAGE_NUMBER_PT = 14  # 四号
TABLE_PT = 14  # 四号
HEADER_MM = 15
# GB/T 9704: the dash line of the page number sits 7 mm below the text block. The footer
# distance is measured from the page edge to the bottom of the footer paragraph, so take off
# the height of one 14 pt line (about 6 mm): 35 - 7 - 6 = 22 mm.
FOOTER_MM = 22


def twips(mm: float) -> int:
    """Millimetres to twentieths of a point, rounded to the nearest twip."""
    return round(mm * 1440 / 25.4)


PAGE_W, PAGE_H = twips(PAGE_W_MM), twips(PAGE_H_MM)
MARGIN_TOP, MARGIN_BOTTOM = twips(MARGIN_TOP_MM), twips(MARGIN_BOTTOM_MM)
MARGIN_LEFT, MARGIN_RIGHT = twips(MARGIN_LEFT_MM), twips(MARGIN_RIGHT_MM)
TEXT_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT  # 156 mm
TEXT_H = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM  # 225 mm

# Word fits floor(text height / linePitch) lines on a page: the largest whole-twip pitch that
# still gives 22 lines (579 twips = 28.95 pt, the figure every 公文 template uses).
LINE_PITCH = TEXT_H // LINES_PER_PAGE
# 28 characters a line. Word's own way is a character grid (docGrid type="linesAndChars" with a
# negative charSpace, the pitch 16 pt - 0.2 pt), but LibreOffice (checked with 7.4) lays a
# character grid out in whole cells: a 16 pt character does not fit a 15.8 pt cell, so each one
# takes two cells, lines hold 14 characters and the PDF text comes out letter-spaced
# ("一 、 基 本 情 况"). So the grid is lines only, and the body text is condensed instead: the
# largest whole-twip tightening (w:spacing, 1/20 pt) that makes 28 characters fit the nominal
# 156 mm line. Word and LibreOffice both honour it: 28 × 15.75 pt = 441 pt ≤ 442.2 pt.
_TEXT_W_PT_NOMINAL = (PAGE_W_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM) * 72 / 25.4
CHAR_SPACING = math.floor((_TEXT_W_PT_NOMINAL / CHARS_PER_LINE - BODY_PT) * 20)
CHAR_TWIPS = BODY_PT * 20 + CHAR_SPACING  # one condensed body character's advance

# The attachment (附件: the self-evaluation form) is a landscape section: the same 225 × 156 mm
# text block turned on its side, the binding margin (28 mm) now at the top.
LANDSCAPE_MARGINS_MM = {"top": 28, "bottom": 26, "left": 37, "right": 35}
LANDSCAPE_FOOTER_MM = 12
FORM_PT = 10.5  # 五号: ten columns across the page
FORM_TEXT_W = twips(PAGE_H_MM - LANDSCAPE_MARGINS_MM["left"] - LANDSCAPE_MARGINS_MM["right"])

FIXED_DATE = _dt.datetime(2000, 1, 1, 0, 0, 0)
DOC_TITLE = "部门整体支出绩效自评报告"

# Table 1 columns: 指标名称 | 权重 | 得分 | 得分率, widths roughly 5 : 1.5 : 1.5 : 2.
TABLE_HEADER = ("指标名称", "权重", "得分", "得分率")
TABLE_CELLS = ("{{ r.name }}", "{{ r.weight }}", "{{ r.score }}", "{{ r.rate }}")
_RATIOS = (5, 1.5, 1.5, 2)
TABLE_COLS = [round(TEXT_W * r / sum(_RATIOS)) for r in _RATIOS[:-1]]
TABLE_COLS.append(TEXT_W - sum(TABLE_COLS))


# --- small XML helpers ----------------------------------------------------------------------------


def _fonts(name: str) -> str:
    """A font in every slot, so Latin digits, CJK and ambiguous marks (“ ” —) all use it."""
    n = quoteattr(name)
    return f"<w:rFonts w:ascii={n} w:hAnsi={n} w:eastAsia={n} w:cs={n}/>"


def _size(pt: float) -> str:
    half = int(pt * 2)
    return f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>'


def _indent_first_line(chars: int, pt: float = BODY_PT) -> str:
    """First-line indent in characters, with the absolute equivalent for readers without *Chars."""
    return f'<w:ind w:firstLineChars="{chars * 100}" w:firstLine="{int(chars * pt * 20)}"/>'


_NO_INDENT = '<w:ind w:firstLineChars="0" w:firstLine="0"/>'
_EXACT_LINE = f'<w:spacing w:before="0" w:after="0" w:line="{LINE_PITCH}" w:lineRule="exact"/>'
_BLACK = '<w:color w:val="000000"/>'
_CONDENSED = f'<w:spacing w:val="{CHAR_SPACING}"/>'  # 28 characters a line, see CHAR_SPACING
_NOT_CONDENSED = '<w:spacing w:val="0"/>'


def _style(kind: str, style_id: str, name: str, *, based_on: str | None = None,
           next_style: str | None = None, default: bool = False, ui_priority: int | None = None,
           qformat: bool = False, semi_hidden: bool = False, ppr: str = "", rpr: str = "",
           extra: str = "") -> str:
    attrs = f'w:type="{kind}" w:styleId="{style_id}"'
    if default:
        attrs += ' w:default="1"'
    parts = [f"<w:name w:val={quoteattr(name)}/>"]
    if based_on:
        parts.append(f'<w:basedOn w:val="{based_on}"/>')
    if next_style:
        parts.append(f'<w:next w:val="{next_style}"/>')
    if ui_priority is not None:
        parts.append(f'<w:uiPriority w:val="{ui_priority}"/>')
    if semi_hidden:
        parts.append("<w:semiHidden/><w:unhideWhenUsed/>")
    if qformat:
        parts.append("<w:qFormat/>")
    if ppr:
        parts.append(f"<w:pPr>{ppr}</w:pPr>")
    if rpr:
        parts.append(f"<w:rPr>{rpr}</w:rPr>")
    parts.append(extra)
    return f"<w:style {attrs}>{''.join(parts)}</w:style>"


def _heading(level: int, font: str) -> str:
    # Headings sit on the body grid like the text (same size, indent and line), in black, not bold.
    return _style(
        "paragraph", f"Heading{level}", f"heading {level}", based_on="Normal", next_style="Normal",
        ui_priority=9, qformat=True,
        ppr=f'<w:keepNext/><w:keepLines/><w:outlineLvl w:val="{level - 1}"/>',
        rpr=f'{_fonts(font)}<w:b w:val="0"/><w:bCs w:val="0"/><w:i w:val="0"/><w:iCs w:val="0"/>'
            f"{_BLACK}{_size(BODY_PT)}",
    )


# Cell margins. Without a top and bottom margin the glyphs of a one-line cell stood on its bottom
# rule (the CJK faces put the ideographs low in their line box): about 1 mm above and below.
# The attachment's ten or twelve columns get narrower side margins (1 mm) than Table 1 (1.9 mm).
CELL_MARGIN_V = 57
CELL_MARGIN_SIDE = 108
FORM_CELL_MARGIN_SIDE = 57


def _cell_margins(side: int, vertical: int = CELL_MARGIN_V) -> str:
    return (
        f'<w:tblCellMar><w:top w:w="{vertical}" w:type="dxa"/><w:left w:w="{side}" w:type="dxa"/>'
        f'<w:bottom w:w="{vertical}" w:type="dxa"/><w:right w:w="{side}" w:type="dxa"/></w:tblCellMar>'
    )


def _borders(tag: str, sides: tuple[str, ...]) -> str:
    inner = "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>' for side in sides
    )
    return f"<w:{tag}>{inner}</w:{tag}>"


_TABLE_BORDERS = _borders("tblBorders", ("top", "left", "bottom", "right", "insideH", "insideV"))


def styles_xml() -> str:
    """The whole stylesheet: defaults, the body/heading/title styles, table and footer styles."""
    doc_defaults = (
        "<w:docDefaults>"
        f'<w:rPrDefault><w:rPr>{_fonts(FANGSONG)}{_size(BODY_PT)}'
        '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
        '<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/>'
        "</w:pPr></w:pPrDefault>"
        "</w:docDefaults>"
    )
    styles = [
        _style(
            "paragraph", "Normal", "Normal", default=True, qformat=True,
            # No widow control and no automatic gaps between Chinese and Latin/digits: either would
            # move text off the 22 × 28 grid (and the gaps turn into spaces in PDF text).
            # overflowPunct written out as on (Word's default: a "，" after 28 characters hangs in
            # the margin, the line keeps 28): LibreOffice's importer reads the value inverted and
            # turns hanging off, which it must, because its hanging punctuation on a justified
            # line is not drawn at all (the "、" was missing from the PDF, four times in 2022).
            ppr='<w:widowControl w:val="0"/><w:overflowPunct w:val="1"/><w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>'
                f'{_EXACT_LINE}{_indent_first_line(2)}<w:jc w:val="both"/>',
            rpr=f"{_fonts(FANGSONG)}{_BLACK}{_CONDENSED}{_size(BODY_PT)}",
        ),
        _style("character", "DefaultParagraphFont", "Default Paragraph Font", default=True,
               ui_priority=1, semi_hidden=True),
        _style(
            "table", "TableNormal", "Normal Table", default=True, ui_priority=99, semi_hidden=True,
            extra=f'<w:tblPr><w:tblInd w:w="0" w:type="dxa"/>{_cell_margins(CELL_MARGIN_SIDE)}</w:tblPr>',
        ),
        _style("numbering", "NoList", "No List", default=True, ui_priority=99, semi_hidden=True),
        _style(
            "paragraph", "Title", "Title", based_on="Normal", next_style="Normal",
            ui_priority=10, qformat=True,
            # Exact grid-high lines and one blank line under it, so the body stays on the grid;
            # snapToGrid off so LibreOffice does not give a 22 pt line two grid lines.
            ppr='<w:keepNext/><w:snapToGrid w:val="0"/>'
                f'<w:spacing w:before="0" w:after="{LINE_PITCH}" w:line="{LINE_PITCH}"'
                f' w:lineRule="exact"/>{_NO_INDENT}<w:jc w:val="center"/>',
            rpr=f'{_fonts(XIAOBIAOSONG)}<w:b w:val="0"/><w:bCs w:val="0"/>{_BLACK}'
                f"{_NOT_CONDENSED}{_size(TITLE_PT)}",
        ),
        # 附件说明: one blank line above, two characters in; a second line aligns under the name.
        _style(
            "paragraph", "AttachmentNote", "Attachment Note", based_on="Normal", next_style="Normal",
            ui_priority=36, qformat=True,
            ppr=f'<w:keepNext/><w:keepLines/><w:spacing w:before="{LINE_PITCH}" w:after="0" w:line="{LINE_PITCH}"'
                f' w:lineRule="exact"/><w:ind w:left="{5 * CHAR_TWIPS}" w:hanging="{3 * CHAR_TWIPS}" w:firstLineChars="0"/>',
        ),
        # 落款: right-aligned; each paragraph's right indent is set from the content (compose).
        _style(
            "paragraph", "Signature", "Signature", based_on="Normal", next_style="Normal",
            ui_priority=36, qformat=True, ppr=f'<w:keepLines/>{_NO_INDENT}<w:jc w:val="right"/>',
        ),
        _heading(1, HEITI),
        _heading(2, KAITI),
        _heading(3, FANGSONG),
        _heading(4, FANGSONG),
        _style(
            "paragraph", "Caption", "caption", based_on="Normal", next_style="Normal",
            ui_priority=35, qformat=True,
            ppr=f'<w:keepNext/>{_NO_INDENT}<w:jc w:val="center"/>',
            rpr=f'{_fonts(FANGSONG)}<w:b w:val="0"/><w:bCs w:val="0"/>{_BLACK}{_size(BODY_PT)}',
        ),
        _style(
            "paragraph", "TableText", "Table Text", based_on="Normal", ui_priority=39, qformat=True,
            ppr='<w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="240"'
                f' w:lineRule="auto"/>{_NO_INDENT}<w:jc w:val="center"/>',
            rpr=f"{_fonts(FANGSONG)}{_BLACK}{_NOT_CONDENSED}{_size(TABLE_PT)}",
        ),
        _style(
            "paragraph", "AttachmentLabel", "Attachment Label", based_on="Normal", next_style="Normal",
            ui_priority=36, qformat=True,
            # GB/T 9704 8: "附件" on the first line of the text block, the title on the third.
            ppr=f'<w:keepNext/><w:spacing w:before="0" w:after="{LINE_PITCH}" w:line="{LINE_PITCH}"'
                f' w:lineRule="exact"/>{_NO_INDENT}<w:jc w:val="left"/>',
            rpr=f'{_fonts(HEITI)}<w:b w:val="0"/><w:bCs w:val="0"/>{_BLACK}{_NOT_CONDENSED}{_size(BODY_PT)}',
        ),
        _style(
            "paragraph", "FormLabel", "Form Label", based_on="Normal", next_style="Normal",
            ui_priority=37, qformat=True,
            ppr='<w:keepNext/><w:snapToGrid w:val="0"/><w:spacing w:before="120" w:after="60" w:line="240"'
                f' w:lineRule="auto"/>{_NO_INDENT}<w:jc w:val="left"/>',
            rpr=f'{_fonts(HEITI)}{_BLACK}{_NOT_CONDENSED}{_size(FORM_PT + 1.5)}',
        ),
        # The attachment's cells: Table 1's cell style, in 五号 so ten columns fit.
        _style("paragraph", "FormText", "Form Text", based_on="TableText", ui_priority=39, qformat=True,
               rpr=_size(FORM_PT)),
        _style(
            "table", "TableGrid", "Table Grid", based_on="TableNormal", ui_priority=59,
            extra=f"<w:tblPr>{_TABLE_BORDERS}</w:tblPr>"
                  '<w:tcPr><w:vAlign w:val="center"/></w:tcPr>',
        ),
        _style(
            "paragraph", "Header", "header", based_on="Normal", ui_priority=99, semi_hidden=True,
            ppr='<w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="240"'
                f' w:lineRule="auto"/>{_NO_INDENT}<w:jc w:val="center"/>',
            rpr=f"{_fonts(SONGTI)}{_NOT_CONDENSED}{_size(PAGE_NUMBER_PT)}",
        ),
        _style(
            "paragraph", "Footer", "footer", based_on="Normal", ui_priority=99, semi_hidden=True,
            ppr='<w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="240"'
                f' w:lineRule="auto"/>{_NO_INDENT}',
            rpr=f"{_fonts(SONGTI)}{_NOT_CONDENSED}{_size(PAGE_NUMBER_PT)}",
        ),
    ]
    return doc_defaults + "".join(styles)


def settings_xml() -> str:
    return (
        '<w:zoom w:percent="100"/>'
        f'<w:defaultTabStop w:val="{BODY_PT * 20 * 2}"/>'
        "<w:evenAndOddHeaders/>"
        '<w:characterSpacingControl w:val="compressPunctuation"/>'
        "<w:compat>"
        '<w:compatSetting w:name="compatibilityMode"'
        ' w:uri="http://schemas.microsoft.com/office/word" w:val="15"/>'
        "</w:compat>"
        '<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/>'
        '<w:clrSchemeMapping w:bg1="light1" w:t1="dark1" w:bg2="light2" w:t2="dark2"'
        ' w:accent1="accent1" w:accent2="accent2" w:accent3="accent3" w:accent4="accent4"'
        ' w:accent5="accent5" w:accent6="accent6" w:hyperlink="hyperlink"'
        ' w:followedHyperlink="followedHyperlink"/>'
        '<w:decimalSymbol w:val="."/>'
        '<w:listSeparator w:val=","/>'
    )


# name, altName (the name Windows ships, for substitution), family, pitch
_FONT_TABLE = (
    (FANGSONG, "仿宋", "modern", "fixed"),
    (XIAOBIAOSONG, None, "auto", "variable"),
    (HEITI, "SimHei", "modern", "fixed"),
    (KAITI, "楷体", "modern", "fixed"),
    (SONGTI, "SimSun", "auto", "variable"),
)


def font_table_xml() -> str:
    out = []
    for name, alt, family, pitch in _FONT_TABLE:
        alt_xml = f"<w:altName w:val={quoteattr(alt)}/>" if alt else ""
        out.append(
            f"<w:font w:name={quoteattr(name)}>{alt_xml}<w:charset w:val=\"86\"/>"
            f'<w:family w:val="{family}"/><w:pitch w:val="{pitch}"/></w:font>'
        )
    return "".join(out)


# --- the body -------------------------------------------------------------------------------------

# (style id, text) in document order. Every text is one run, so every docxtpl tag stays in one run.
# Paragraph tags ({%p ... %}) are removed with their paragraph at render; their style is moot.
P = "Normal"
OUTLINE: tuple[tuple[str, str], ...] = (
    ("Title", "{{ title }}"),
    (P, "{{ intro }}"),
    ("Heading1", "{{ h1() }}基本情况"),
    ("Heading2", "{{ h2() }}部门基本情况"),
    ("Heading3", "{{ h3() }}部门职级"),
    (P, "{{ rank }}"),
    ("Heading3", "{{ h3() }}{{ units_heading }}"),
    (P, "{{ units_lead }}"),
    (P, "{%p for u in units %}"),
    (P, "{{ u }}"),
    (P, "{%p endfor %}"),
    (P, "{%p for s in staffing %}"),
    (P, "{{ s }}"),
    (P, "{%p endfor %}"),
    ("Heading3", "{{ h3() }}职能职责"),
    (P, "{%p for f in functions %}"),
    (P, "{{ f }}"),
    (P, "{%p endfor %}"),
    ("Heading2", "{{ h2() }}预算及支出情况"),
    ("Heading3", "{{ h3() }}财政资金整体支出"),
    (P, "{{ budget }}"),
    (P, "{%p if santong %}"),
    ("Heading3", "{{ h3() }}部门“三公”经费支出"),
    (P, "{{ santong }}"),
    (P, "{%p endif %}"),
    ("Heading1", "{{ h1() }}主要成效"),
    ("Heading2", "{{ h2() }}绩效评价工作开展情况"),
    ("Heading3", "{{ h3() }}前期准备"),
    (P, "{{ preparation }}"),
    ("Heading3", "{{ h3() }}组织实施"),
    (P, "{%p if phases_lead %}"),
    (P, "{{ phases_lead }}"),
    (P, "{%p endif %}"),
    (P, "{%p for p in phases %}"),
    (P, "{{ p }}"),
    (P, "{%p endfor %}"),
    ("Heading3", "{{ h3() }}分析评价"),
    (P, "{{ analysis }}"),
    (P, "{%p if experience %}"),
    ("Heading2", "{{ h2() }}主要经验及做法"),
    (P, "{%p for e in experience %}"),
    (P, "{{ e }}"),
    (P, "{%p endfor %}"),
    (P, "{%p endif %}"),
    ("Heading1", "{{ h1() }}绩效评价情况及结论"),
    (P, "{{ conclusion }}"),
    ("Caption", "{{ table_caption }}"),
    ("TABLE", ""),
    (P, "{%p for a in analyses %}"),
    ("Heading3", "{{ a.heading }}"),
    (P, "{%p for p in a.paragraphs %}"),
    ("LAST", ("{{ p }}", "loop.last and a == analyses[-1] and not problems and not suggestions")),
    (P, "{%p endfor %}"),
    (P, "{%p endfor %}"),
    (P, "{%p if problems %}"),
    ("Heading1", "{{ h1() }}需重点关注的问题"),
    (P, "{%p for x in problems %}"),
    ("LAST", ("{{ x }}", "loop.last and not suggestions")),
    (P, "{%p endfor %}"),
    (P, "{%p endif %}"),
    (P, "{%p if suggestions %}"),
    ("Heading1", "{{ h1() }}有关建议"),
    (P, "{%p for x in suggestions %}"),
    ("LAST", ("{{ x }}", "loop.last")),
    (P, "{%p endfor %}"),
    (P, "{%p endif %}"),
    # GB/T 9704 7.3.4-7.3.5: 附件说明, then the signing body and the date right-aligned.
    ("AttachmentNote", "{{ attachment_note }}"),
    (P, "{%p if signature %}"),
    ("SIGNATURE", ("name", True)),
    ("SIGNATURE", ("date", False)),
    (P, "{%p endif %}"),
)


def _cell(width: int, text: str, span: int = 1, style: str = "TableText", merge: str = "") -> str:
    span_xml = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
    run = f"<w:r><w:t xml:space=\"preserve\">{escape(text)}</w:t></w:r>" if text else ""
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{span_xml}{merge}<w:vAlign w:val="center"/>'
        f'</w:tcPr><w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{run}</w:p></w:tc>'
    )


def table_xml() -> str:
    """Table 1: a repeated header row, then one templated row per indicator."""
    header = "".join(_cell(w, t) for w, t in zip(TABLE_COLS, TABLE_HEADER))
    data = "".join(_cell(w, t) for w, t in zip(TABLE_COLS, TABLE_CELLS))
    loop_open = _cell(TEXT_W, "{%tr for r in table %}", span=len(TABLE_COLS))
    loop_close = _cell(TEXT_W, "{%tr endfor %}", span=len(TABLE_COLS))
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in TABLE_COLS)
    return (
        f"<w:tbl {nsdecls('w')}>"
        "<w:tblPr>"
        '<w:tblStyle w:val="TableGrid"/>'
        f'<w:tblW w:w="{TEXT_W}" w:type="dxa"/>'
        '<w:jc w:val="center"/>'
        f"{_TABLE_BORDERS}"
        '<w:tblLayout w:type="fixed"/>'
        f"{_cell_margins(CELL_MARGIN_SIDE)}"
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0"'
        ' w:noHBand="0" w:noVBand="1"/>'
        "</w:tblPr>"
        f"<w:tblGrid>{grid}</w:tblGrid>"
        f'<w:tr><w:trPr><w:cantSplit/><w:tblHeader/><w:jc w:val="center"/></w:trPr>{header}</w:tr>'
        f"<w:tr>{loop_open}</w:tr>"
        f'<w:tr><w:trPr><w:cantSplit/><w:jc w:val="center"/></w:trPr>{data}</w:tr>'
        f"<w:tr>{loop_close}</w:tr>"
        "</w:tbl>"
    )


def _widths(ratios: tuple[float, ...], total: int) -> list[int]:
    cols = [round(total * r / sum(ratios)) for r in ratios[:-1]]
    return cols + [total - sum(cols)]


def _kept_with_next(row_xml: str, condition: str = "") -> str:
    """Each cell paragraph of the row keeps with the next row (Word moves rows together, so no
    row is left alone at a page's top); with ``condition``, only the rows where it holds."""
    keep = f"{{% if {condition} %}}<w:keepNext/>{{% endif %}}" if condition else "<w:keepNext/>"
    return row_xml.replace('<w:pPr><w:pStyle w:val="FormText"/></w:pPr>', f'<w:pPr><w:pStyle w:val="FormText"/>{keep}</w:pPr>')


def _vmerge(expr: str) -> str:
    """A vertical merge decided per row at render time: ``expr`` is "restart", "continue" or ""."""
    return (
        f"{{% if {expr} == 'restart' %}}<w:vMerge w:val=\"restart\"/>"
        f"{{% elif {expr} == 'continue' %}}<w:vMerge/>{{% endif %}}"
    )


def form_table_xml(ratios: tuple[float, ...], header: list[str] | None, loop: str | None, cells: list[str],
                   merged: tuple[str, ...] = (), totals: bool = False) -> str:
    """A table of the attachment: an optional repeated header row, then one row (looped or not).
    ``merged`` holds, for the leading columns, the expression giving each row's merge state.
    ``totals``: under the rows, ``form.totals`` (小计, 自评总分), the label across the columns
    before 指标权重, then the weight and the score (the last column left blank)."""
    cols = _widths(ratios, FORM_TEXT_W)
    row_pr = '<w:trPr><w:cantSplit/><w:jc w:val="center"/></w:trPr>'
    rows = []
    if header:
        rows.append(_kept_with_next(
            '<w:tr><w:trPr><w:cantSplit/><w:tblHeader/><w:jc w:val="center"/></w:trPr>'
            + "".join(_cell(w, t, style="FormText") for w, t in zip(cols, header)) + "</w:tr>"
        ))
    if loop:
        rows.append(f"<w:tr>{_cell(FORM_TEXT_W, '{%tr for ' + loop + ' %}', span=len(cols), style='FormText')}</w:tr>")
    merges = list(merged) + [""] * (len(cols) - len(merged))
    # In a loop, every row but the last keeps with the next: the last row never stands alone.
    data = (
        f"<w:tr>{row_pr}"
        + "".join(_cell(w, t, style="FormText", merge=_vmerge(m) if m else "") for w, t, m in zip(cols, cells, merges))
        + "</w:tr>"
    )
    rows.append(_kept_with_next(data, "" if totals else "not loop.last") if loop else data)
    if loop:
        rows.append(f"<w:tr>{_cell(FORM_TEXT_W, '{%tr endfor %}', span=len(cols), style='FormText')}</w:tr>")
    if totals:
        rows.append(f"<w:tr>{_cell(FORM_TEXT_W, '{%tr for t in form.totals %}', span=len(cols), style='FormText')}</w:tr>")
        label = sum(cols[:-3])
        rows.append(_kept_with_next(
            f"<w:tr>{row_pr}{_cell(label, '{{ t[0] }}', span=len(cols) - 3, style='FormText')}"
            + "".join(_cell(w, t, style="FormText") for w, t in zip(cols[-3:], ("{{ t[1] }}", "{{ t[2] }}", "")))
            + "</w:tr>", "not loop.last"))
        rows.append(f"<w:tr>{_cell(FORM_TEXT_W, '{%tr endfor %}', span=len(cols), style='FormText')}</w:tr>")
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in cols)
    return (
        f"<w:tbl {nsdecls('w')}><w:tblPr>"
        '<w:tblStyle w:val="TableGrid"/>'
        f'<w:tblW w:w="{FORM_TEXT_W}" w:type="dxa"/><w:jc w:val="center"/>{_TABLE_BORDERS}'
        f'<w:tblLayout w:type="fixed"/>{_cell_margins(FORM_CELL_MARGIN_SIDE)}'
        f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
    )


# The indicator table's columns in 五号 characters of text (the name takes what is left). Each
# heading breaks into lines of at least two characters (指标/权重, 是否/核心/指标 …, never a single
# 标 on a line of its own); 一级 holds 满意度指标 (5) on one line, 二级 经济效益指标 (6) and
# 可持续影响指标 (7) on one line and 服务对象满意度指标 as 7 + 2; 得分系数 and 指标得分 hold
# 96.84% and 19.37; 计量单位 个工作日. The indicator name gets every character left over (11
# with 一级/二级, so 社会消费品零售总额增长 prints on one line).
FORM_CHARS = {"计量单位": 4, "指标性质": 2, "年初指标值": 5, "调整指标值": 5, "全年完成值": 5, "得分系数": 4, "指标权重": 2, "指标得分": 4, "是否核心指标": 3}
FORM_CHARS_LEVELS = {"一级指标": 5, "二级指标": 7, **FORM_CHARS, "年初指标值": 3, "调整指标值": 3, "全年完成值": 3}
_FORM_SLACK = 0.15  # characters: glyph advances and rounding never push a full line to the next


def _form_columns(chars: dict[str, int]) -> tuple[float, ...]:
    """Column widths in twips for the indicator table: the fixed columns from ``chars``, the
    指标名称 column (after 一级/二级 when present) whatever remains of the landscape text width."""
    cell = lambda n: (n + _FORM_SLACK) * FORM_PT * 20 + 2 * FORM_CELL_MARGIN_SIDE  # noqa: E731
    fixed = {name: cell(n) for name, n in chars.items()}
    name = FORM_TEXT_W - sum(fixed.values())
    levels = [fixed.pop(k) for k in ("一级指标", "二级指标") if k in fixed]
    return tuple(levels + [name] + list(fixed.values()))


def _indexed(name: str, n: int) -> list[str]:
    return [f"{{{{ {name}[{i}] }}}}" for i in range(n)]


# The attachment, after a section break: (kind, argument) in document order.
ATTACHMENT: tuple[tuple[str, object], ...] = (
    ("AttachmentLabel", "附件"),  # left out of the standalone 自评表 (templates/form.docx)
    ("Title", "{{ form.title_lines }}"),
    ("FORM", ((1, 3, 1, 3), None, "h in form.header", _indexed("h", 4))),
    ("FormLabel", "预算执行情况"),
    ("FORM", ((1,) * 6, _indexed("form.budget_columns", 6), None, _indexed("form.budget", 6))),
    (P, "{%p if form.parts and form.parts_scored %}"),
    ("FORM", ((2, 1, 1, 1, 1, 1, 1), _indexed("form.parts_columns", 7), "p in form.parts", _indexed("p", 7))),
    (P, "{%p elif form.parts %}"),
    ("FORM", ((2, 1, 1, 1, 1), _indexed("form.parts_columns", 5), "p in form.parts", _indexed("p", 5))),
    (P, "{%p endif %}"),
    ("FormLabel", "年度绩效目标"),
    ("FORM", ((1, 1, 1), _indexed("form.goal_columns", 3), None, _indexed("form.goals", 3))),
    ("FormLabel", "绩效指标"),
        # Widths from FORM_CHARS; with 一级/二级指标 (the content gives them): two more columns,
    # groups merged vertically.
    (P, "{%p if form.hierarchy %}"),
    ("FORM", (_form_columns(FORM_CHARS_LEVELS), _indexed("form.columns", 12), "r in form.rows",
              _indexed("r.cells", 12), ("r.merge[0]", "r.merge[1]"), True)),
    (P, "{%p else %}"),
    ("FORM", (_form_columns(FORM_CHARS), _indexed("form.columns", 10), "r in form.rows", _indexed("r.cells", 10), (), True)),
    (P, "{%p endif %}"),
    (P, "{%p if form.deviations %}"),
    ("FormLabel", "偏差原因分析及改进措施"),
    ("FORM", ((1, 2, 2), _indexed("form.deviation_columns", 3), "d in form.deviations", _indexed("d", 3))),
    (P, "{%p endif %}"),
)


def footer_paragraph_xml(odd: bool) -> str:
    """The page number "— N —": odd pages right-aligned and indented from the right, even left.

    Font and size (宋体 14 pt) come from the Footer style. The indent is one character of the
    page-number size, written in both forms (characters and twips) like Word does.
    """
    side = "right" if odd else "left"
    runs = "".join(
        f"<w:r>{inner}</w:r>"
        for inner in (
            '<w:t xml:space="preserve">\u2014 </w:t>',
            '<w:fldChar w:fldCharType="begin"/>',
            '<w:instrText xml:space="preserve"> PAGE </w:instrText>',
            '<w:fldChar w:fldCharType="separate"/>',
            "<w:t>1</w:t>",
            '<w:fldChar w:fldCharType="end"/>',
            '<w:t xml:space="preserve"> \u2014</w:t>',
        )
    )
    return (
        f'<w:p {nsdecls("w")}><w:pPr><w:pStyle w:val="Footer"/>'
        f'<w:ind w:{side}Chars="100" w:{side}="{PAGE_NUMBER_PT * 20}"/><w:jc w:val="{side}"/>'
        f"</w:pPr>{runs}</w:p>"
    )


# --- assembly -------------------------------------------------------------------------------------


def _replace_children(element, inner_xml: str) -> None:
    """Replace all children of ``element`` with the elements of ``inner_xml`` (w: namespace)."""
    for child in list(element):
        element.remove(child)
    wrapper = parse_xml(f"<w:wrapper {nsdecls('w')}>{inner_xml}</w:wrapper>")
    for child in list(wrapper):
        element.append(child)


def _drop_parts(document) -> None:
    """Drop what python-docx's default template carries and a report template does not use."""
    doc_part = document.part
    unused = {RT.CUSTOM_XML, RT.NUMBERING, RT.WEB_SETTINGS,
              "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"}
    for rId, rel in sorted(doc_part.rels.items()):
        if rel.reltype in unused:
            doc_part.drop_rel(rId)
    pkg_rels = doc_part.package.rels
    for rId, rel in sorted(pkg_rels.items()):
        if rel.reltype in (RT.THUMBNAIL, RT.EXTENDED_PROPERTIES):
            del pkg_rels[rId]


def _set_core_properties(document) -> None:
    cp = document.core_properties
    cp.title = DOC_TITLE
    cp.author = ""
    cp.last_modified_by = ""
    cp.comments = ""
    cp.subject = ""
    cp.keywords = ""
    cp.category = ""
    cp.revision = 1
    cp.created = FIXED_DATE
    cp.modified = FIXED_DATE


def _set_page(document) -> None:
    section = document.sections[0]
    sect_pr = section._sectPr
    for attr in list(sect_pr.attrib):  # rsids from python-docx's template
        del sect_pr.attrib[attr]
    pg_sz = sect_pr.find(qn("w:pgSz"))
    pg_sz.attrib.clear()
    pg_sz.set(qn("w:w"), str(PAGE_W))
    pg_sz.set(qn("w:h"), str(PAGE_H))
    pg_mar = sect_pr.find(qn("w:pgMar"))
    pg_mar.attrib.clear()
    for name, value in (("top", MARGIN_TOP), ("right", MARGIN_RIGHT), ("bottom", MARGIN_BOTTOM),
                        ("left", MARGIN_LEFT), ("header", twips(HEADER_MM)),
                        ("footer", twips(FOOTER_MM)), ("gutter", 0)):
        pg_mar.set(qn(f"w:{name}"), str(value))
    cols = sect_pr.find(qn("w:cols"))
    cols.attrib.clear()
    cols.set(qn("w:space"), "425")
    grid = sect_pr.find(qn("w:docGrid"))
    grid.attrib.clear()
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH))

    section.footer.is_linked_to_previous = False
    section.even_page_footer.is_linked_to_previous = False
    for footer, odd in ((section.footer, True), (section.even_page_footer, False)):
        _replace_children(footer._element, footer_paragraph_xml(odd))


def paragraph_xml(style_id: str, text: str) -> str:
    """One paragraph, its text in one run (docxtpl needs each tag inside a single run)."""
    ppr = "" if style_id == "Normal" else f'<w:pPr><w:pStyle w:val="{style_id}"/></w:pPr>'
    run = f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'
    return f'<w:p {nsdecls("w")}>{ppr}{run}</w:p>'


def last_body_xml(text: str, condition: str) -> str:
    """A body paragraph that, when ``condition`` holds (it is the last of the body), goes to the
    next page with the 附件说明 and the 落款 rather than leave them alone (GB/T 9704 7.3.5: the
    落款 never stands on a page without body text). Widow control carries at least its last two
    lines; a paragraph of two or three lines moves whole."""
    keep = f"{{% if {condition} %}}<w:keepNext/><w:widowControl/>{{% endif %}}"
    return f'<w:p {nsdecls("w")}><w:pPr>{keep}</w:pPr><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def signature_xml(part: str, first: bool) -> str:
    """One line of the 落款; its right indent (in characters, from compose) becomes twips here.
    The name keeps with the date and has a blank line above it."""
    indent = f"{{{{ (signature.{part}_indent * {CHAR_TWIPS}) | round | int }}}}"
    extra = f'<w:keepNext/><w:spacing w:before="{LINE_PITCH}"/>' if first else ""
    return (
        f'<w:p {nsdecls("w")}><w:pPr><w:pStyle w:val="Signature"/>{extra}'
        f'<w:ind w:right="{indent}" w:firstLineChars="0" w:firstLine="0"/></w:pPr>'
        f'<w:r><w:t xml:space="preserve">{{{{ signature.{part} }}}}</w:t></w:r></w:p>'
    )


def _write_body(document) -> None:
    sect_pr = document.element.body.find(qn("w:sectPr"))
    for style_id, text in OUTLINE:
        if style_id == "SIGNATURE":
            sect_pr.addprevious(parse_xml(signature_xml(*text)))
            continue
        if style_id == "LAST":
            sect_pr.addprevious(parse_xml(last_body_xml(*text)))
            continue
        xml = table_xml() if style_id == "TABLE" else paragraph_xml(style_id, text)
        sect_pr.addprevious(parse_xml(xml))
    # The report's section ends here (a paragraph carrying a copy of its properties); the
    # attachment is the document's last section, landscape, on a new page.
    brk = parse_xml(f'<w:p {nsdecls("w")}><w:pPr/></w:p>')
    brk.find(qn("w:pPr")).append(copy.deepcopy(sect_pr))
    sect_pr.addprevious(brk)
    for kind, arg in ATTACHMENT:
        xml = form_table_xml(*arg) if kind == "FORM" else paragraph_xml(kind, arg)
        sect_pr.addprevious(parse_xml(xml))
    _set_landscape(sect_pr)


def _set_landscape(sect_pr, inherit_footers: bool = True) -> None:
    """The last section: A4 landscape, its page numbers continuing the report's footers (the
    standalone form, a section of its own, keeps its own)."""
    for ref in sect_pr.findall(qn("w:footerReference")) if inherit_footers else ():  # no reference: inherits the previous
        sect_pr.remove(ref)
    pg_sz = sect_pr.find(qn("w:pgSz"))
    pg_sz.set(qn("w:w"), str(PAGE_H))
    pg_sz.set(qn("w:h"), str(PAGE_W))
    pg_sz.set(qn("w:orient"), "landscape")
    pg_mar = sect_pr.find(qn("w:pgMar"))
    for name, mm in LANDSCAPE_MARGINS_MM.items():
        pg_mar.set(qn(f"w:{name}"), str(twips(mm)))
    pg_mar.set(qn("w:footer"), str(twips(LANDSCAPE_FOOTER_MM)))
    grid = sect_pr.find(qn("w:docGrid"))
    grid.attrib.clear()
    grid.set(qn("w:linePitch"), "312")


EMU_PER_MM = 36000
ROTATED_NUMBER_BOX_MM = 8  # across the rotated line: a 14 pt line (about 6.4 mm) and some room


def rotated_footer_xml(odd: bool, shape_id: int) -> str:
    """A landscape page's number where the portrait pages have it (GB/T 9704 ch. 8).

    The landscape page is bound like the others, turned so that the table's head faces the
    left edge of the portrait sheet (the binding edge of an odd page, the outer edge of an even
    one). The portrait footer paragraph — "— N —", odd right, even left, one character in — is
    set in a text box turned 90° clockwise (``vert``) along the landscape page's left edge: its
    line stands FOOTER_MM from that edge as it stands FOOTER_MM above the portrait page's
    bottom, across the portrait text block's width (28 mm from the top = 28 mm from the left).
    Anchored at the box's bottom side (``anchor="b"``), which turned is the side at the edge.

    The box starts at the page's corner and reaches its place through its insets (bIns, turned
    the left one, FOOTER_MM; lIns, turned the top one, the left margin): LibreOffice 7.4 drops a
    footer shape's offsets on some pages (the first page of a landscape section that is even
    printed its number in the corner), never its insets."""
    x = y = 0
    cx = (FOOTER_MM + ROTATED_NUMBER_BOX_MM) * EMU_PER_MM
    cy = (PAGE_W_MM - MARGIN_RIGHT_MM) * EMU_PER_MM
    left, foot = MARGIN_LEFT_MM * EMU_PER_MM, FOOTER_MM * EMU_PER_MM
    inner = footer_paragraph_xml(odd).replace(f' {nsdecls("w")}', "")
    return (
        f'<w:p {nsdecls("w")} xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"'
        ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
        ' xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<w:pPr><w:pStyle w:val="Footer"/></w:pPr><w:r><w:drawing>'
        '<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="1" behindDoc="0"'
        ' locked="1" layoutInCell="0" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        f'<wp:positionH relativeFrom="page"><wp:posOffset>{x}</wp:posOffset></wp:positionH>'
        f'<wp:positionV relativeFrom="page"><wp:posOffset>{y}</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
        f'<wp:docPr id="{shape_id}" name="页码 {shape_id}"/><wp:cNvGraphicFramePr/>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr>'
        f'<a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr>'
        f"<wps:txbx><w:txbxContent>{inner}</w:txbxContent></wps:txbx>"
        f'<wps:bodyPr rot="0" vert="vert" wrap="square" lIns="{left}" tIns="0" rIns="0" bIns="{foot}" anchor="b" anchorCtr="0">'
        "<a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r></w:p>"
    )


def _set_landscape_footers(document) -> None:
    """The attachment's own footers: its page numbers turned to the portrait pages' place."""
    section = document.sections[-1]
    section.footer.is_linked_to_previous = False
    section.even_page_footer.is_linked_to_previous = False
    for footer, odd, shape_id in ((section.footer, True, 1), (section.even_page_footer, False, 2)):
        _replace_children(footer._element, rotated_footer_xml(odd, shape_id))


def _set_font_table(document) -> None:
    """fontTable.xml is a plain (blob) part in python-docx: replace its bytes."""
    for rel in document.part.rels.values():
        if rel.reltype == RT.FONT_TABLE:
            xml = (
                "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
                f"<w:fonts {nsdecls('w')}>{font_table_xml()}</w:fonts>"
            )
            rel.target_part._blob = xml.encode("utf-8")
            return
    raise LookupError("python-docx 的默认模板里没有 fontTable 部件")


def _page_and_styles():
    """An empty Document with the report's styles, settings, fonts, properties and page: what the
    report template and the standalone 自评表 share."""
    document = docx.Document()
    _drop_parts(document)
    _replace_children(document.styles.element, styles_xml())
    _replace_children(document.settings.element, settings_xml())
    _set_font_table(document)
    _set_core_properties(document)
    _set_page(document)
    return document


def build():
    """The template as a python-docx Document."""
    document = _page_and_styles()
    _write_body(document)
    _set_landscape_footers(document)
    return document


def template_bytes() -> bytes:
    """The template's bytes, reproducible."""
    return document_bytes(build())


def build_form():
    """The standalone 自评表 (a form-only file's .docx, make form): the report's attachment alone,
    without its 附件 label, on A4 landscape pages with the report's styles and page numbers."""
    document = _page_and_styles()
    sect_pr = document.element.body.find(qn("w:sectPr"))
    for kind, arg in ATTACHMENT:
        if kind == "AttachmentLabel":
            continue
        sect_pr.addprevious(parse_xml(form_table_xml(*arg) if kind == "FORM" else paragraph_xml(kind, arg)))
    _set_landscape(sect_pr, inherit_footers=False)
    return document


def form_template_bytes() -> bytes:
    return document_bytes(build_form())


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) > 1:
        print("用法：python scripts/build_template.py [输出文件]", file=sys.stderr)
        return 2
    out = Path(args[0]) if args else DEFAULT_OUT
    write_atomically(template_bytes(), out, inside=out.parent)
    print(f"已生成模板：{out}")
    write_atomically(form_template_bytes(), out.with_name(FORM_NAME), inside=out.parent)
    print(f"已生成模板：{out.with_name(FORM_NAME)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
