"""A built .docx read back as HTML: its body in pages (one per Word section), paragraph styles as
CSS classes whose look (size, font family, indent, alignment, line height) comes from the
document's own styles, tables with their merged cells. Every text escaped; a font name or style id
from a template never reaches the page as it is.

The page shows the text the .docx holds, whatever wrote it (``compose``, a user's template), so the
preview and the printed report cannot drift apart.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from markupsafe import escape

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
P, TBL, TR, TC, T, BR, CR, TAB = (_W + x for x in ("p", "tbl", "tr", "tc", "t", "br", "cr", "tab"))
SAFE_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


@dataclass(frozen=True)
class Block:
    html: str
    heading: str | None = None  # the text of a heading, title or attachment label (a part begins)


@dataclass(frozen=True)
class Page:
    style: str  # CSS for the page box: its width and margins, from the section's w:pgSz/w:pgMar
    landscape: bool
    blocks: list[Block]


@dataclass(frozen=True)
class View:
    pages: list[Page]
    css: str  # the template's paragraph styles as CSS


def _val(element, path: str, attr: str = "val") -> str | None:
    found = element.find(path) if path else element
    return None if found is None else found.get(_W + attr)


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def docx_view(data: bytes) -> View:
    """The document's body as HTML blocks in pages (one per Word section), with its styles as CSS."""
    import docx

    document = docx.Document(io.BytesIO(data))
    styles = document.styles.element
    default = next((s.get(_W + "styleId") for s in styles.iterchildren(_W + "style")
                    if s.get(_W + "type") == "paragraph" and s.get(_W + "default") in ("1", "true")), "Normal")
    sheet = _Sheet(default, _outline_levels(styles), _resolved(styles))
    pages, blocks, final = [], [], None
    for child in document.element.body.iterchildren():
        if child.tag == P:
            blocks.append(_paragraph(child, sheet))
            sect = child.find(f"{_W}pPr/{_W}sectPr")
            if sect is not None:
                pages.append(_page(sect, blocks))
                blocks = []
        elif child.tag == TBL:
            blocks.append(Block(_table(child, sheet)))
        elif child.tag == _W + "sectPr":
            final = child
    pages.append(_page(final, blocks))
    return View([p for p in pages if p.blocks], _styles_css(sheet.props))


def _page(sect, blocks: list[Block]) -> Page:
    size = sect.find(_W + "pgSz") if sect is not None else None
    margin = sect.find(_W + "pgMar") if sect is not None else None
    width = _int(_val(size, "", "w")) if size is not None else None
    height = _int(_val(size, "", "h")) if size is not None else None
    width = width if width and 1440 <= width <= 50000 else 11906  # A4
    landscape = bool(height and width > height)
    pad = []
    for side in ("top", "right", "bottom", "left"):
        twips = _int(_val(margin, "", side)) if margin is not None else None
        pad.append(f"{abs(twips) / 20 if twips is not None and abs(twips) < 20000 else 72:g}pt")
    return Page(f"width:{width / 20:g}pt;padding:{' '.join(pad)}", landscape, blocks)


def _style_of(p, default: str) -> str:
    sid = _val(p, f"{_W}pPr/{_W}pStyle") or default
    return sid if SAFE_ID.match(sid) else default


@dataclass(frozen=True)
class _Sheet:
    default: str  # the style of a paragraph that names none
    outline: dict[str, int]  # style id → outline level (0 = 一、), as Word's navigation pane reads it
    props: dict[str, dict]  # style id → its look, resolved through w:basedOn (see _style_props)


def _outline_levels(styles) -> dict[str, int]:
    """Each paragraph style's outline level, through its w:basedOn chain."""
    by_id = {s.get(_W + "styleId"): s for s in styles.iterchildren(_W + "style") if s.get(_W + "type") == "paragraph"}
    levels = {}
    for sid in by_id:
        current, hops = by_id[sid], 0
        while current is not None and hops < 16:
            level = _int(_val(current, f"{_W}pPr/{_W}outlineLvl"))
            if level is not None:
                if 0 <= level <= 3:
                    levels[sid] = level
                break
            current, hops = by_id.get(_val(current, _W + "basedOn")), hops + 1
    return levels


HEADING_STYLES = {"Heading1": 0, "Heading2": 1, "Heading3": 2, "Heading4": 3}  # when a template gives no levels
PART_STYLES = {"Title", "AttachmentLabel"}


def _inline(p) -> str:
    out = []
    for el in p.iter(T, BR, CR, TAB):
        if el.tag == T:
            out.append(str(escape(el.text or "")))
        elif el.tag == TAB:
            out.append('<span class="tab"></span>')
        elif el.get(_W + "type") != "page":
            out.append("<br>")
    return "".join(out)


def _text(p) -> str:
    return "".join(t.text or "" for t in p.iter(T))


def _paragraph(p, sheet: _Sheet) -> Block:
    sid = _style_of(p, sheet.default)
    level = _int(_val(p, f"{_W}pPr/{_W}outlineLvl"))
    if level is None:
        level = sheet.outline.get(sid, HEADING_STYLES.get(sid))
    tag = f"h{level + 1}" if level is not None and 0 <= level <= 3 else "p"
    body = _inline(p)
    heading = _text(p) if (tag != "p" or sid in PART_STYLES) else None
    # The paragraph's own indent, spacing and alignment (the 落款's right indent, the blank line
    # above it) override its style's, attribute by attribute, as in Word.
    own = _paragraph_props(p.find(_W + "pPr"))
    style = f' style="{_css(_merged(sheet.props.get(sid, {}), own))}"' if own else ""
    return Block(f'<{tag} class="s-{sid}"{style}>{body or "<br>"}</{tag}>', heading)


def _table(tbl, sheet: _Sheet) -> str:
    """w:tbl as <table>: merged cells (w:gridSpan, w:vMerge) as colspan/rowspan, widths from w:tcW."""
    grid = []  # per row: [(column, span, vmerge, tc)]
    for tr in tbl.iterchildren(TR):
        row, col = [], 0
        for tc in tr.iterchildren(TC):
            span = max(1, min(_int(_val(tc, f"{_W}tcPr/{_W}gridSpan")) or 1, 64))
            vm = tc.find(f"{_W}tcPr/{_W}vMerge")
            merge = None if vm is None else ("restart" if vm.get(_W + "val") == "restart" else "continue")
            row.append((col, span, merge, tc))
            col += span
        grid.append((tr, row))
    out = ['<table class="docx">']
    for r, (tr, row) in enumerate(grid):
        header = tr.find(f"{_W}trPr/{_W}tblHeader") is not None
        out.append("<tr>")
        for col, span, merge, tc in row:
            if merge == "continue":
                continue
            rowspan = 1
            if merge == "restart":
                for _, below in grid[r + 1:]:
                    if any(c == col and m == "continue" for c, _, m, _ in below):
                        rowspan += 1
                    else:
                        break
            attrs = (f' colspan="{span}"' if span > 1 else "") + (f' rowspan="{rowspan}"' if rowspan > 1 else "")
            width = _int(_val(tc, f"{_W}tcPr/{_W}tcW", "w"))
            if width and _val(tc, f"{_W}tcPr/{_W}tcW", "type") in (None, "dxa") and width < 50000:
                attrs += f' style="width:{width / 20:g}pt"'
            cell = "th" if header else "td"
            inner = "".join(_paragraph(p, sheet).html for p in tc.iterchildren(P))
            out.append(f"<{cell}{attrs}>{inner}</{cell}>")
        out.append("</tr>")
    out.append("</table>")
    return "".join(out)


# The template's fonts as web font stacks (by keyword: a font name from a template is never
# written into the page as it is).
FONT_STACKS = [
    (("黑体", "hei", "simhei"), "'SimHei','黑体','Heiti SC','STHeiti','Noto Sans CJK SC','Source Han Sans SC',sans-serif"),
    (("楷", "kai"), "'KaiTi','楷体_GB2312','楷体','STKaiti','AR PL UKai CN','AR PL UKai',serif"),
    (("仿宋", "fang"), "'FangSong','仿宋_GB2312','仿宋','STFangsong','Noto Serif CJK SC','Source Han Serif SC',serif"),
    (("小标宋", "宋", "song"), "'FZXiaoBiaoSong-B05S','方正小标宋简体','SimSun','宋体','STSong','Noto Serif CJK SC',serif"),
]


def _font_stack(name: str | None) -> str | None:
    if not name:
        return None
    low = name.lower()
    return next((stack for keys, stack in FONT_STACKS if any(k in low for k in keys)), None)


def _paragraph_props(ppr) -> dict:
    """Alignment, indent and spacing of a w:pPr (a style's or a paragraph's own)."""
    props: dict[str, str] = {}
    if ppr is not None:
        for name, el in (("jc", ppr.find(_W + "jc")),):
            if el is not None and el.get(_W + "val"):
                props[name] = el.get(_W + "val")
        for tag in ("ind", "spacing"):
            el = ppr.find(_W + tag)
            if el is not None:
                for attr, value in el.attrib.items():
                    props[f"{tag}.{attr.removeprefix(_W)}"] = value
    return props


# The first line's indent is one signed property written four ways: a more specific level that
# sets any of them replaces what a style below set in the others (a style's w:hanging is not
# undone by w:firstLine="0" inherited from Normal, nor the reverse).
_FIRST_LINE = ("ind.firstLine", "ind.hanging", "ind.firstLineChars", "ind.hangingChars")


def _merged(base: dict, over: dict) -> dict:
    out = dict(base)
    if any(k in over for k in _FIRST_LINE):
        for k in _FIRST_LINE:
            out.pop(k, None)
    out.update(over)
    return out


def _style_props(style) -> dict:
    props = _paragraph_props(style.find(_W + "pPr"))
    rpr = style.find(_W + "rPr")
    if rpr is not None:
        for tag, key in (("sz", "sz"), ("spacing", "letter")):
            value = _val(rpr, _W + tag)
            if value is not None:
                props[key] = value
        b = rpr.find(_W + "b")
        if b is not None:
            props["b"] = "0" if b.get(_W + "val") in ("0", "false", "off") else "1"
        fonts = rpr.find(_W + "rFonts")
        if fonts is not None and fonts.get(_W + "eastAsia"):
            props["font"] = fonts.get(_W + "eastAsia")
    return props


def _resolved(styles) -> dict[str, dict]:
    """Each paragraph style's look, resolved through its w:basedOn chain."""
    by_id = {s.get(_W + "styleId"): s for s in styles.iterchildren(_W + "style") if s.get(_W + "type") == "paragraph"}
    out = {}
    for sid, style in by_id.items():
        if not sid or not SAFE_ID.match(sid):
            continue
        chain, seen, current = [], set(), style
        while current is not None and id(current) not in seen and len(chain) < 16:
            seen.add(id(current))
            chain.append(current)
            current = by_id.get(_val(current, _W + "basedOn"))
        props: dict[str, str] = {}
        for s in reversed(chain):
            props = _merged(props, _style_props(s))
        out[sid] = props
    return out


def _styles_css(resolved: dict[str, dict]) -> str:
    """One rule per paragraph style."""
    return "\n".join(f".doc .s-{sid}{{{_css(props)}}}" for sid, props in resolved.items())


ALIGN = {"both": "justify", "distribute": "justify", "center": "center", "right": "right", "end": "right", "left": "left", "start": "left"}


def _indents(props: dict) -> list[str]:
    """The indents as Word reads w:ind: a value in characters (*Chars) other than 0 wins over the
    same indent in twips, and 0 means "use the twips" (how Word cancels an inherited 2-character
    first line: w:firstLineChars="0" beside a w:hanging); w:hanging wins over w:firstLine."""
    number = lambda key, limit: (lambda v: v if v is not None and abs(v) <= limit else None)(_int(props.get(key)))  # noqa: E731
    out = []
    chars_hanging, chars_first = number("ind.hangingChars", 10000), number("ind.firstLineChars", 10000)
    hanging, first = number("ind.hanging", 20000), number("ind.firstLine", 20000)
    if chars_hanging:
        out.append(f"text-indent:{-chars_hanging / 100:g}em")
    elif chars_first:
        out.append(f"text-indent:{chars_first / 100:g}em")
    elif hanging is not None:
        out.append(f"text-indent:{-hanging / 20:g}pt")
    elif first is not None:
        out.append(f"text-indent:{first / 20:g}pt")
    for side in ("left", "right"):
        chars = number(f"ind.{side}Chars", 10000)
        twips = number(f"ind.{side}", 20000)
        if twips is None:
            twips = number(f"ind.{'start' if side == 'left' else 'end'}", 20000)
        if chars:
            out.append(f"margin-{side}:{chars / 100:g}em")
        elif twips is not None:
            out.append(f"margin-{side}:{twips / 20:g}pt")
    return out


def _css(props: dict) -> str:
    out = []
    size = _int(props.get("sz"))
    if size and 2 <= size <= 400:
        out.append(f"font-size:{size / 2:g}pt")
    stack = _font_stack(props.get("font"))
    if stack:
        out.append(f"font-family:{stack}")
    out.append(f"font-weight:{'bold' if props.get('b') == '1' else 'normal'}")
    if props.get("jc") in ALIGN:
        out.append(f"text-align:{ALIGN[props['jc']]}")
    out += _indents(props)
    line, rule = _int(props.get("spacing.line")), props.get("spacing.lineRule", "auto")
    if line and 0 < line <= 20000:
        out.append(f"line-height:{line / 20:g}pt" if rule in ("exact", "atLeast") else f"line-height:{1.3 * line / 240:.3g}")
    for side, key in (("top", "spacing.before"), ("bottom", "spacing.after")):
        value = _int(props.get(key))
        if value is not None and 0 <= value <= 20000:
            out.append(f"margin-{side}:{value / 20:g}pt")
    letter = _int(props.get("letter"))
    if letter is not None and abs(letter) <= 200:
        out.append(f"letter-spacing:{letter / 20:g}pt")
    return ";".join(out)
