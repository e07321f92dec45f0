"""Context → .docx bytes through docxtpl, with autoescape and strict undefined.

The saved bytes are reproducible: fixed core properties from the content, fixed zip layout.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import zipfile
from pathlib import Path

import jinja2
from jinja2.exceptions import SecurityError
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from lxml import etree
from markupsafe import Markup, escape

from ..problems import Problem
from ..content.readfile import MAX_TEMPLATE_BYTES, read_limited
from .sandbox import Refused, Sandbox
from .savefile import document_bytes, property_text


def literal(value):
    """Every printed value, escaped for XML with its braces as character references.

    After rendering, docxtpl turns ``{_{`` ``}_}`` ``{_%`` ``%_}`` in the whole output back into
    ``{{ }} {% %}`` (its own escape for literal tags in templates), so a text holding them would
    print changed; written as ``&#123;`` and ``&#125;`` they reach the document as typed.
    """
    if isinstance(value, str) and not isinstance(value, Markup):
        return Markup(str(escape(value)).replace("{", "&#123;").replace("}", "&#125;"))
    return value


MEMO_LIMIT = 32  # distinct sources kept (body, headers, footers, core properties of a few templates)


def _memo(store: dict, key: str, make):
    """``make(key)``, computed once per key per process; the store is emptied when full."""
    value = store.get(key)
    if value is None:
        if len(store) >= MEMO_LIMIT:
            store.clear()
        value = store[key] = make(key)
    return value


class _CompiledOnce(Sandbox):
    """The Jinja environment for every render, compiling each distinct template source once per
    process. A sandbox (``sandbox.Sandbox``): a template is data, it runs no code and its work is
    bounded. Autoescape on: docxtpl re-parses its output, so an unescaped & or < would silently
    drop text. StrictUndefined: a misspelt variable fails instead of printing nothing.
    ``literal``: braces survive docxtpl's post-processing.

    docxtpl hands the whole document XML to ``from_string`` at every render; compiling it is most
    of a render's time (about 25 of 40 ms for the default template), yet the source depends only
    on the template, never on the context. A compiled template renders any number of times.
    """

    def __init__(self):
        super().__init__(finalize=literal)
        self._compiled: dict[str, jinja2.Template] = {}

    def from_string(self, source, globals=None, template_class=None):
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        return _memo(self._compiled, source, super().from_string)


_shared: _CompiledOnce | None = None


def _environment() -> jinja2.Environment:
    global _shared
    if _shared is None:
        _shared = _CompiledOnce()
    return _shared


class _Template(DocxTemplate):
    """docxtpl 0.20, minus work that gives the same result every time (same output bytes).

    ``patch_xml`` (regular expressions that tidy the tags in the template's XML) depends only on
    the template: done once per template per process. ``resolve_listing`` turns \\n \\t \\a \\f in
    the filled text into Word breaks; when the filled XML holds none of them it returns its input
    unchanged, so it is skipped. Together they were about a third of a render.
    """

    _patched: dict[str, str] = {}

    def patch_xml(self, src_xml):
        return _memo(self._patched, src_xml, super().patch_xml)

    def resolve_listing(self, xml):
        if "\n" in xml or "\t" in xml or "\a" in xml or "\f" in xml:
            return super().resolve_listing(xml)
        return xml

    # docxtpl re-reads the filled body with lxml's recover mode, which silently drops whatever
    # does not parse (a table cut in half by an {% if %}); headers, footers and footnotes it
    # stores unparsed. Here every filled part is parsed strictly: malformed is refused.
    def fix_tables(self, xml):
        _strict(xml, self.docx._part)
        return super().fix_tables(xml)

    def render_xml_part(self, src_xml, part, context, jinja_env=None):
        xml = super().render_xml_part(src_xml, part, context, jinja_env)
        if part is not self.docx._part:
            _strict(xml, part)
        return xml

    def render_properties(self, context, jinja_env=None):
        """docxtpl's, with the property being filled remembered for the problem's location."""
        props = self.docx.core_properties
        for name in ("author", "comments", "identifier", "language", "subject", "title"):
            initial = getattr(props, name)
            self.current_rendering_part = _Property(name, initial)
            setattr(props, name, jinja_env.from_string(initial).render(context))


class _Property:
    """Stands for the core property (docProps/core.xml) being filled, where a part would."""

    partname = "/docProps/core.xml"

    def __init__(self, name: str, value: str):
        self.name, self.value = name, value


class _Malformed(Exception):
    def __init__(self, part, detail: str):
        super().__init__(detail)
        self.part, self.detail = part, detail


_STRICT = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def _strict(xml: str, part) -> None:
    """Parse ``xml`` without recovery; a failure names the text near where it broke."""
    try:
        etree.fromstring(xml.encode("utf-8") if isinstance(xml, str) else xml, _STRICT)
    except etree.XMLSyntaxError as exc:
        line, col = exc.position if exc.position else (0, 0)
        lines = xml.splitlines() if isinstance(xml, str) else []
        before = "\n".join(lines[: line - 1] + [lines[line - 1][: col]]) if 0 < line <= len(lines) else ""
        near = re.sub(r"<[^>]*>", "", before[-2000:]).strip()[-30:]
        raise _Malformed(part, near) from exc


# ---------------------------------------------------------------- the template file, before rendering

MAX_XML_PART = 4 * 1024 * 1024  # one XML part uncompressed; the default body is 27 KB
MAX_UNPACKED = 64 * 1024 * 1024  # all parts uncompressed (pictures included)
MAX_MEMBERS = 1000
_BINARY_PARTS = {"png", "jpg", "jpeg", "jfif", "gif", "bmp", "tif", "tiff", "emf", "wmf", "wdp", "ico", "bin", "odttf", "ttf", "otf", "svg"}
_checked: dict[bytes, Problem | None] = {}  # by the template's hash: a batch checks its template once


def _template_bytes(template: Path, data: bytes | None) -> tuple[bytes | None, Problem | None]:
    """The template's bytes, read at most to the limit (a FIFO or /dev/zero ends there)."""
    if data is None:
        data, why = read_limited(template, MAX_TEMPLATE_BYTES)
        if data is None:
            return None, Problem(str(template), 0, 0, f"无法读取模板：{why}")
    if len(data) > MAX_TEMPLATE_BYTES:
        return None, Problem(str(template), 0, 0, f"模板文件过大（超过 {MAX_TEMPLATE_BYTES // 1024 // 1024} MB）")
    return data, None


def _unpacked_problem(template: Path, data: bytes) -> Problem | None:
    """A template whose parts are too many or too large (a zip bomb, an XML part of 100 MB) is
    refused before anything reads it: the sizes the zip declares, then the bytes it yields."""

    def refuse(why: str) -> Problem:
        return Problem(str(template), 0, 0, f"模板过大，未处理：{why}")

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            members = z.infolist()
            if len(members) > MAX_MEMBERS:
                return refuse(f"含有 {len(members)} 个部件，上限为 {MAX_MEMBERS}")
            total = 0
            for info in members:
                binary = info.filename.rsplit(".", 1)[-1].lower() in _BINARY_PARTS
                limit = MAX_UNPACKED if binary else MAX_XML_PART  # anything else may be parsed as XML
                if info.file_size > limit:
                    return refuse(f"部件 {info.filename} 解压后 {info.file_size:,} 字节，上限为 {limit:,} 字节")
                try:
                    with z.open(info) as fh:  # never trust the declared size: read at most the limit + 1
                        size = 0
                        while chunk := fh.read(min(1 << 20, limit + 1 - size)):
                            size += len(chunk)
                            if size > limit:
                                return refuse(f"部件 {info.filename} 解压后超过 {limit:,} 字节")
                except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError) as exc:
                    return Problem(str(template), 0, 0, f"不是有效的 Word 模板：文件损坏，部件 {info.filename} 无法解压（{_zip_why(exc)}）")
                total += size
                if total > MAX_UNPACKED:
                    return refuse(f"解压后合计超过 {MAX_UNPACKED:,} 字节")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, ValueError, OSError, RuntimeError):
        return None  # not a readable zip: named by the .docx reader below
    return None


def render(
    context: dict, template: Path, *, author: str, title: str, when: dt.date, template_data: bytes | None = None
) -> tuple[bytes | None, list[Problem]]:
    """The filled document's bytes, or the template's problems with its file name.

    ``template_data``: the template's bytes, read once by the caller for a whole batch (problems
    still name ``template``).
    """
    template_data, unreadable = _template_bytes(template, template_data)
    if unreadable is not None:
        return None, [unreadable]
    key = hashlib.sha256(template_data).digest()
    if key not in _checked:
        if len(_checked) >= MEMO_LIMIT:
            _checked.clear()
        _checked[key] = _unpacked_problem(template, template_data)
    too_big = _checked[key]
    too_big = too_big if too_big is None else Problem(str(template), too_big.line, too_big.col, too_big.message)
    if too_big is not None:
        return None, [too_big]
    try:
        doc = _Template(io.BytesIO(template_data))
        doc.init_docx()
    except Exception as exc:  # the user's file as python-docx reads it: any failure means "not a .docx"
        return None, [_not_a_docx(template, template_data, exc)]
    env = _environment()
    env.budget.reset()
    try:
        doc.render(context, env)
    except _Malformed as exc:
        near = f"，出错处附近：“{exc.detail}”" if exc.detail else ""
        return None, [Problem(str(template), 0, 0, f"模板结构有误：填入内容后{_part_label(exc.part)}不是有效的 Word 文档（标签是否跨越了表格或段落，或用 |safe 插入了 XML？{near}）")]
    except Exception as exc:
        # The template's own code failed (a misspelt variable, a broken tag, {{ 1/0 }}, something
        # the sandbox refuses), or its tags left XML that does not parse: the template's problem,
        # named in its terms. Anything else is a bug of ours and goes on to the CLI edge.
        lineno = _raised_in_template(exc)
        # SyntaxError: the Python that Jinja made of a tag does not compile (hundreds of filters in one chain)
        if lineno is None and not isinstance(exc, (jinja2.TemplateError, etree.XMLSyntaxError, RecursionError, SyntaxError)):
            raise
        if isinstance(exc, etree.XMLSyntaxError):
            return None, [Problem(str(template), 0, 0, f"模板结构有误：填入内容后不是有效的 Word 文档（标签是否跨越了表格或段落？{exc}）")]
        return None, [_template_problem(exc, template, template_data, doc.current_rendering_part, lineno)]
    stamp = dt.datetime(when.year, when.month, when.day, tzinfo=dt.timezone.utc)
    props = doc.docx.core_properties
    props.title = property_text(title)
    props.author = props.last_modified_by = property_text(author)
    props.created = stamp
    props.modified = stamp
    props.last_printed = stamp
    props.revision = 1
    props.comments = ""
    props.keywords = ""
    props.subject = ""
    props.category = ""
    return document_bytes(doc), []


def _zip_why(exc: Exception) -> str:
    text = str(exc)
    if "CRC" in text or "Bad CRC" in text:
        return "校验和不符，文件已损坏或被改动"
    return "压缩数据有误"


# ---------------------------------------------------------------- a template's problems, in its terms
#
# A user's template fails in Jinja's terms (an XML line number in a string docxtpl assembled, an
# English message). The writer needs the template's name, the tag or variable, and where it
# stands in the document; these functions find them.

_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}")
_OLE = b"\xd0\xcf\x11\xe0"  # .doc, .xls and encrypted Office files


def _not_a_docx(template: Path, data: bytes | None, exc: Exception) -> Problem:
    head = data[:4] if data is not None else _head(template)
    if head == _OLE:
        why = "这是旧版 .doc（或加密的）文件，请在 Word 中另存为 .docx"
    elif not head.startswith(b"PK"):
        why = "文件不是 .docx 格式（.docx 是 zip 压缩包）"
    else:
        why = f"文件损坏或不是 Word 文档（{exc}）"
    return Problem(str(template), 0, 0, f"不是有效的 Word 模板：{why}")


def _head(template: Path) -> bytes:
    try:
        with open(template, "rb") as fh:
            return fh.read(4)
    except OSError:
        return b""


def _raised_in_template(exc: BaseException) -> int | None:
    """The line of docxtpl's assembled source where the template's own code raised, or None."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return exc.lineno
    lines = [tb.tb_lineno for tb in _tracebacks(exc) if tb.tb_frame.f_code.co_filename == "<template>"]
    return lines[-1] if lines else None


def _tracebacks(exc: BaseException):
    tb = exc.__traceback__
    while tb is not None:
        yield tb
        tb = tb.tb_next


def _template_problem(exc: Exception, template: Path, data: bytes | None, part, lineno: int | None) -> Problem:
    message = str(getattr(exc, "message", None) or exc)
    if isinstance(exc, jinja2.UndefinedError):
        m = re.search(r"has no attribute '([^']+)'", message) or re.search(r"'([^']+)' is undefined", message)
        name = m.group(1) if m else message
        where, tag = _where(template, data, part, lineno, name)
        dotted = re.search(r"[A-Za-z_][\w.]*\." + re.escape(name) + r"\b", tag or "") if "attribute" in message else None
        text = f"模板引用了不存在的变量“{dotted.group() if dotted else name}”"
    elif isinstance(exc, jinja2.TemplateSyntaxError) or (isinstance(exc, jinja2.TemplateRuntimeError) and "No filter named" in message):
        # An unknown filter inside a block Jinja may skip ({%p if santong %}…) is found only when
        # the block runs: the same mistake, said the same way.
        named = re.search(r"'(\w+)'", message)
        at_end = "Unexpected end of template" in message  # Jinja names the end, not the open block
        where, _ = ("", None) if at_end else _where(template, data, part, lineno, named.group(1) if named else None)
        text = f"模板语法错误：{_syntax(message)}"
    elif isinstance(exc, (jinja2.TemplateNotFound, TypeError)) and ("loader" in message or isinstance(exc, jinja2.TemplateNotFound)):
        where, _ = _where(template, data, part, lineno, None)
        text = "模板不能引用其他模板（include、import、extends），请把内容直接写在模板中"
    elif isinstance(exc, RecursionError):
        where, _ = _where(template, data, part, lineno, None)
        text = "模板中的宏（macro）调用自身层数过多，已停止"
    elif isinstance(exc, SyntaxError):
        where, _ = _where(template, data, part, None, None)
        text = "模板中的表达式嵌套过深（如几百个过滤器连用），无法处理，请简化"
    elif isinstance(exc, Refused):
        where, _ = _where(template, data, part, lineno, None)
        text = message
    elif isinstance(exc, SecurityError):
        named = re.search(r"attribute '([^']+)'", message)
        where, _ = _where(template, data, part, lineno, named.group(1) if named else None)
        what = f"访问“{named.group(1)}”" if named else "调用函数"
        text = f"模板不允许{what}：模板只能填写内容，不能运行程序"
    else:
        where, _ = _where(template, data, part, lineno, None)
        said = next((say for kind, say in _RUNTIME if isinstance(exc, kind)), None)
        text = f"模板中的计算出错：{said}" if said else f"模板出错：{type(exc).__name__}：{message}"
    if not where and part is not None and isinstance(exc, SecurityError):
        where = f"（{_part_label(part)}）"
    return Problem(str(template), 0, 0, text + where)


# What a template's own expression did wrong, said in Chinese (a template is written by an office,
# not a programmer); an error not listed keeps Python's name and message.
_RUNTIME = [
    (ZeroDivisionError, "除数为零"),
    (OverflowError, "数值过大"),
    (TypeError, "数据类型不符（如文字与数字相加、对数字取下标、调用不能调用的值）"),
    (ValueError, "取值无效（如把文字转换成数字）"),
    (KeyError, "取不到该项"),
    (IndexError, "下标超出范围"),
]


def _part_label(part, named: bool = True) -> str:
    """正文, 页眉 (word/header1.xml), 文档属性“title”… for a part being filled."""
    if isinstance(part, _Property):
        return f"文档属性“{part.name}”"
    name = str(getattr(part, "partname", ""))
    kind = getattr(part, "content_type", None) or name  # a part is what its content type says
    for key, label in (("document.main", "正文"), ("header", "页眉"), ("footer", "页脚"), ("footnotes", "脚注")):
        if key in kind or (key == "document.main" and name.endswith("/document.xml")):
            return label if key == "document.main" or not named else f"{label}（{name.lstrip('/')}）"
    return name.lstrip("/") or "模板"


_JINJA_SYNTAX = [
    (r"Encountered unknown tag '(\w+)'\.(?:.*looking for the following tags: (.*?)\.)?", lambda m: f"未知的标签“{m.group(1)}”" + (f"（此处应为{_names(m.group(2))}）" if m.group(2) else "")),
    (r"Unexpected end of template.*innermost block that needs to be closed is '(\w+)'", lambda m: f"“{m.group(1)}”块没有结束标签“end{m.group(1)}”"),
    (r"Unexpected end of template", lambda m: "模板结束时仍有未闭合的标签"),
    (r"Expected an expression", lambda m: "标签中缺少表达式或条件"),
    (r"expected token 'end of print statement'", lambda m: "“{{ … }}”没有闭合，或其中有多余的内容"),
    (r"expected token 'end of statement block'", lambda m: "“{% … %}”没有闭合，或其中有多余的内容"),
    (r"No filter named '(\w+)'", lambda m: f"不存在的过滤器“{m.group(1)}”"),
    (r"unexpected '(.+?)'", lambda m: f"多余的“{m.group(1)}”"),
]


def _names(listed: str) -> str:
    return "或".join(f"“{name}”" for name in re.findall(r"'(\w+)'", listed))


def _syntax(message: str) -> str:
    for pattern, say in _JINJA_SYNTAX:
        m = re.search(pattern, message, re.S)
        if m:
            return say(m)
    return f"无法解析（{message}）"


def _where(template: Path, data: bytes | None, part, lineno: int | None, name: str | None) -> tuple[str, str | None]:
    """'（标签“…”，正文第 N 段“…”）' for the failing line, and the tag as the template has it."""
    if lineno is None or part is None:
        return "", None
    if isinstance(part, _Property):
        tags = _TAG.findall(part.value)
        chosen = next((t for t in tags if name and re.search(rf"\b{re.escape(name)}\b", t)), tags[-1] if tags else None)
        return f"（{_part_label(part)}“{_short(part.value)}”）", chosen
    try:
        doc = DocxTemplate(io.BytesIO(data) if data is not None else str(template))
        doc.init_docx()
        partname = str(part.partname)
        if partname == str(doc.docx.part.partname):
            source, paragraphs, label = doc.get_xml(), list(doc.docx.element.body.iter(qn("w:p"))), "正文"
        else:
            source_part = next(p for p in doc.docx.part.package.iter_parts() if str(p.partname) == partname)
            source = doc.get_part_xml(source_part)
            paragraphs = list(parse_xml(source_part.blob).iter(qn("w:p")))
            label = _part_label(part, named=False)
        lines = re.sub(r"<w:p([ >])", r"\n<w:p\1", doc.patch_xml(source)).splitlines()
        failing = re.sub(r"<[^>]+>", "", lines[lineno - 1]) if 0 < lineno <= len(lines) else ""
    except Exception:  # finding the place is a courtesy; the message stands without it
        return "", None
    tags = _TAG.findall(failing)
    chosen = next((t for t in tags if name and re.search(rf"\b{re.escape(name)}\b", t)), tags[-1] if tags else None)
    if chosen is None:
        return (f"（出错处：“{_short(failing)}”）" if failing.strip() else ""), None
    for number, p in enumerate(paragraphs, start=1):
        text = "".join(t.text or "" for t in p.iter(qn("w:t")))
        for original in _TAG.findall(text):
            if _norm(original) == _norm(chosen):
                around = f"“{_short(text)}”" if text.strip() != original else ""
                return f"（标签“{original}”，{label}第 {number} 段{around}）", original
    return f"（标签“{chosen}”）", chosen


def _norm(tag: str) -> str:
    return re.sub(r"\s", "", re.sub(r"^\{%(p|tr|tc|r)\s", "{% ", tag))


def _short(text: str, limit: int = 40) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[:limit] + "…"
