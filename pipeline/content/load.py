"""YAML text → a tree that remembers where every key and value stood.

Refuses, before building anything: oversized files, text that is not UTF-8, XML-illegal control
characters, anchors and aliases (a "billion laughs" file loads fast and explodes when walked),
tags, duplicate keys and syntax errors. Numbers with a fraction are read as ``Decimal`` from their
text, never through a binary float.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, DocumentStartEvent, MappingStartEvent, NodeEvent, ScalarEvent
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode
from ruamel.yaml.tag import Tag

from ..problems import Problem
from .readfile import read_in_project

MAX_BYTES = 2 * 1024 * 1024  # real reports are under 100 KB; 1 MB of prose still fits. At 5 MB a file of 340,000 one-line items took 52 s and 500 MB to build, a 36,000-indicator file 180 s and 2 GB
# Refused anywhere in the file, comments included: XML-illegal and invisible control characters
# (C0, DEL, C1 — U+0085 would be read as a line break), noncharacters, and the Unicode line and
# paragraph separators (editors show a line break, YAML keeps the character).
# Noncharacters: U+FDD0–U+FDEF and the last two code points of every plane (U+FFFE, U+1FFFE, …).
NONCHARACTERS = "\ufdd0-\ufdef" + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17))
ILLEGAL_CHARS = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029{NONCHARACTERS}]")


class DecimalConstructor(RoundTripConstructor):
    """Round-trip constructor that reads YAML floats as exact decimals."""

    def construct_decimal(self, node):
        text = node.value.replace("_", "")
        try:
            value = Decimal(text)
        except InvalidOperation:
            # .inf / .nan: keep the text so validation names it as "not a number".
            return text
        return value


DecimalConstructor.add_constructor("tag:yaml.org,2002:float", DecimalConstructor.construct_decimal)


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Constructor = DecimalConstructor
    yaml.allow_duplicate_keys = False
    return yaml


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, col


def _char_name(ch: str) -> str:
    return f"U+{ord(ch):04X}"


def _noncharacter(ch: str) -> bool:
    return 0xFDD0 <= ord(ch) <= 0xFDEF or (ord(ch) & 0xFFFE) == 0xFFFE


def _illegal(ch: str) -> str:
    if _noncharacter(ch):
        return f"含有非字符 {_char_name(ch)}（Unicode 规定不用于文字，多由转码错误产生），Word 文档中不能使用，请删除"
    if ch in "\u2028\u2029":
        return f"含有 Unicode 行/段分隔符 {_char_name(ch)}（多来自网页或 Word 粘贴），编辑器显示为换行、文件中却不是：请删除或改为普通换行"
    return f"含有不可用于 Word 文档的控制字符 {_char_name(ch)}，请删除"


_BOM = "含有看不见的字符 U+FEFF（BOM，多因把两个文件拼在一起或从 Word 粘贴），YAML 会读错其后的几行，请删除（可在编辑器中搜索 U+FEFF）"


def _refusals(event, path: str) -> list[Problem]:
    """Anchors, aliases and tags are refused, each where it stands."""
    found = []
    if isinstance(event, AliasEvent):
        found.append(Problem(path, event.start_mark.line + 1, event.start_mark.column + 1, f"不允许使用别名（*{event.anchor}），请直接写出内容；如“*”是文字的一部分，请给整段文字加引号"))
    elif isinstance(event, NodeEvent) and event.anchor is not None:
        found.append(Problem(path, event.start_mark.line + 1, event.start_mark.column + 1, f"不允许使用锚点（&{event.anchor}），请直接写出内容；如“&”是文字的一部分，请给整段文字加引号"))
    if isinstance(event, (CollectionStartEvent, ScalarEvent)) and event.tag is not None:
        tag = str(event.tag).replace("tag:yaml.org,2002:", "!!")
        found.append(Problem(path, event.start_mark.line + 1, event.start_mark.column + 1, f"不允许使用标签（{tag}），请删除"))
    return found


# ---------------------------------------------------------------- what paste and typing bring in
#
# Each scalar (key or value) is checked as the parser delivers it, so every refusal points at the
# character in the file. The choices (README, 可靠性保证) are: refuse what is invisible, what would
# print differently from what the writer sees, and number spellings that tools read differently;
# print everything else exactly as written.

MAX_DEPTH = 20  # the content is at most 5 levels deep; deeper nesting only costs recursion
MAX_DIGITS = 15  # what a spreadsheet keeps; a longer number was already rounded or mistyped
NUMBER = re.compile(r"[-+]?(0|[1-9][0-9]*)(\.[0-9]*)?|[-+]?\.[0-9]+")
DATE = re.compile(r"(\d{4})-(\d\d?)-(\d\d?)(?:(?:[Tt]|[ \t]+)(\d\d?):(\d\d):(\d\d))?")
CJK_OR_WIDE = re.compile("[^\x00-\x7f]")
_COMMENT_AFTER = re.compile(r"[ \t]+(#)")

# Invisible: every format character (Unicode category Cf, as of Unicode 14; a test keeps the list
# whole) except U+200D, the emoji joiner (below); the Hangul fillers; the Mongolian variation
# selectors. Variation selectors U+FE00–U+FE0F, U+E0100–U+E01EF are allowed only after an emoji
# or a keycap base (❤️, 1️⃣), where they choose its look; after a Chinese character they only hide.
FORMAT_CHARS = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b\u200c\u200e\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U00013438"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
)
INVISIBLE = FORMAT_CHARS + "\u115f\u1160\u3164\uffa0\u180b-\u180d\u180f"
_SELECTOR = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef]")
_SELECTS = re.compile("[0-9#*\u00a9\u00ae\u203c\u2049\u2122\u2139\u2194-\u21aa\u231a-\u23ff\u24c2\u25aa-\u27bf"
                      "\u2934\u2935\u2b05-\u2b55\u3030\u303d\u3297\u3299\U0001f000-\U0001faff]")

# Characters refused inside text, with what to tell the writer. Order matters: first match wins.
_BAD_IN_TEXT = [
    (re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]"), "含有控制字符 {code}（多由双引号中的转义如“\\a”“\\f”产生），Word 中印不出来，请删除"),
    (re.compile(f"[{NONCHARACTERS}]"), "含有非字符 {code}（多由双引号中的转义如“\\uFFFE”产生），Word 文档中不能使用，请删除"),
    (re.compile("\t"), "含有 Tab 字符（多来自表格粘贴），印出来是一段长短不定的空白：请改为空格或删除"),
    (re.compile("\ufffd"), "含有替换字符“\ufffd”（U+FFFD）：粘贴或转码时已有文字丢失，请从原文重新复制这段文字"),
    (
        re.compile(f"[{INVISIBLE}]"),
        "含有看不见的字符 {code}（零宽空格、BOM、方向控制符等，多来自网页、微信或 Word 粘贴）：它让名称和引用对不上，请删除（可在编辑器中搜索 {code}）",
    ),
    (re.compile("[\ue000-\uf8ff\U000f0000-\U0010ffff]"), "含有私用区字符 {code}（多来自 Word 的符号字体），在其他电脑上显示为方框，请改用普通字符"),
]
# U+200D (zero-width joiner) is allowed only where it joins emoji (👨‍👩‍👧); elsewhere it is invisible.
_ZWJ = "\u200d"
_ANY_BAD = re.compile("|".join(p.pattern for p, _ in _BAD_IN_TEXT) + "|" + _ZWJ + "|" + _SELECTOR.pattern)
_EMOJI = re.compile("[\u2600-\u27bf\ufe0f\U0001f000-\U0001faff]")


class _Checks:
    """Per-event checks that need the text and some state (nesting depth)."""

    def __init__(self, text: str, path: str, resolver):
        self.text, self.path, self.resolver = text, path, resolver
        self.depth = 0
        self.too_deep = False
        # Per open collection: the number of nodes seen in it, negative for a sequence (in a
        # mapping an even count means the next node is a key); its last key; its own place.
        self.counts: list[int] = []
        self.last_keys: list[object] = []
        self.segments: list[object] = []

    def _is_key(self) -> bool:
        """Whether the node now starting is a mapping key (and count it)."""
        if not self.counts:
            return False
        n = self.counts[-1]
        if n < 0:
            self.counts[-1] = n - 1
            return False
        self.counts[-1] = n + 1
        return n % 2 == 0

    def _segment(self) -> object:
        """The place of the node now starting in its parent: its key, or its item number."""
        if not self.counts:
            return None
        n = self.counts[-1]
        return -n - 2 if n < 0 else self.last_keys[-1]

    def _where(self) -> str:
        """The dotted path of the innermost open collection, as validation names places."""
        out = ""
        for seg in self.segments[1:]:
            out += f"[{seg + 1}]" if isinstance(seg, int) else (f".{seg}" if out else str(seg))
        return out or "文件内容"

    def __call__(self, event) -> list[Problem]:
        if isinstance(event, DocumentStartEvent):
            return self._directives(event)
        if isinstance(event, CollectionStartEvent):
            key = self._is_key()
            self.segments.append(self._segment())
            self.counts.append(0 if isinstance(event, MappingStartEvent) else -1)
            self.last_keys.append(None)
            self.depth += 1
            if self.depth > MAX_DEPTH and not self.too_deep:
                self.too_deep = True
                return [self._at(event.start_mark.index, f"嵌套层数超过 {MAX_DEPTH} 层（括号或缩进有误？）")]
            if key:
                kind = "键值对" if isinstance(event, MappingStartEvent) else "列表"
                return [self._at(event.start_mark.index, f"{self._where_parent()}：键是{kind}，不是文字，键应为英文名称，如 year（以“? ”开头的行表示复杂键，请删除“? ”）")]
            return []
        if isinstance(event, CollectionEndEvent):
            self.depth -= 1
            if self.counts:
                self.counts.pop()
                self.last_keys.pop()
                self.segments.pop()
            return []
        if isinstance(event, ScalarEvent):
            if event.style == "":
                event.style = None  # libyaml says "" where ruamel says None: a plain scalar
            if event.style is None and event.value == "<<":
                self._is_key()
                return [self._at(event.start_mark.index, "不允许使用合并键“<<”，请把要合并的内容直接写出；如“<<”是文字，请加引号")]
            if self._is_key():
                self.last_keys[-1] = event.value
                found = self._key(event)
                if found:
                    return found
            return self._scalar(event)
        if isinstance(event, AliasEvent):
            self._is_key()
        return []

    _KEY_KINDS = {"int": "整数", "float": "数字", "bool": "真假值（true/false）", "null": "空值", "timestamp": "日期"}

    def _key(self, event) -> list[Problem]:
        """A key that YAML reads as something other than text (1.5, ~, 2023-01-01, true)."""
        if event.style is not None:
            return []  # quoted or block: text
        tag = _tag_name(self.resolver.resolve(ScalarNode, event.value, event.implicit)).rsplit(":", 1)[-1]
        if tag == "str":
            return []
        shown = f"键“{event.value}”" if event.value else f"空的键（YAML 读作{self._KEY_KINDS.get(tag, '空值')}）"
        return [self._at(event.start_mark.index, f"{self._where()}：{shown}不是文字，键应为英文名称，如 year")]

    def _where_parent(self) -> str:
        """The dotted path of the mapping holding a collection that has just been opened."""
        saved = self.segments.pop()
        try:
            return self._where()
        finally:
            self.segments.append(saved)

    def _at(self, index: int, message: str) -> Problem:
        return Problem(self.path, *_position(self.text, index), message)

    def _directives(self, event) -> list[Problem]:
        found = []
        version = getattr(event, "version", None)
        if version is not None and tuple(version) != (1, 2):
            v = ".".join(str(x) for x in version)
            found.append(self._at(self._directive("%YAML", event), f"只支持 YAML 1.2，请删除“%YAML {v}”一行（按 1.1 读，1:20 会成为 80、012 会成为 10、yes 会成为 true）"))
        if getattr(event, "tags", None):
            found.append(self._at(self._directive("%TAG", event), "不允许使用 %TAG 指令，请删除"))
        return found

    def _directive(self, name: str, event) -> int:
        i = self.text.rfind(name, 0, event.start_mark.index + 1)
        return i if i >= 0 else event.start_mark.index

    def _scalar(self, event) -> list[Problem]:
        value, start, end = event.value, event.start_mark.index, event.end_mark.index
        if event.style == ">":
            value = value.replace("\a", " ")  # ruamel marks where a folded scalar folds with BEL

        def literal(ch: str, last: bool = False) -> int:
            """Index in the file of ``ch`` as written inside this scalar, or of the escape that
            wrote it ("\uFFFE" in double quotes); else the scalar's start."""
            i = self.text.rfind(ch, start, end) if last else self.text.find(ch, start, end)
            if i < 0 and event.style == '"':
                i = _escape_index(self.text, start, end, ch, last)
            return i if i >= 0 else start

        if _ANY_BAD.search(value) is not None:  # rare: one search for the usual case
            found = self._characters(value, literal)
            if found:
                return found
        if value[:1].isspace() or value[-1:].isspace():
            return self._ends(event, value, start, literal)
        if (event.start_mark.line != event.end_mark.line or event.style == ">") and CJK_OR_WIDE.search(value):
            lines = [line for line in self.text[start:end].split("\n")[1:] if line.strip()]
            if event.style in (None, "'", '"') or (event.style == ">" and len(lines) > 1):
                return [self._at(start, "文字写成了多行：YAML 会把换行变成空格，中文中间会多出空格。请把这段文字写在同一行内（确需换行时用“|-”）")]
        if event.style is None:
            # A comment on the same line, read from the text (the C parser keeps no comments).
            after = _COMMENT_AFTER.match(self.text, end)
            if after is not None and CJK_OR_WIDE.search(value):
                return [self._at(after.start(1), "“#”前有空格，“#”及其后的文字被当作注释，不会印出：如是正文，请给整段文字加引号；如是注释，请移到单独一行")]
            if value and value[0] in "0123456789+-.":
                return self._number_or_date(event, value, start)
        return []

    def _characters(self, value: str, literal) -> list[Problem]:
        found = []
        for pattern, message in _BAD_IN_TEXT:
            m = pattern.search(value)
            if m is not None:
                found.append(self._at(literal(m.group()), message.format(code=_char_name(m.group()))))
        for m in re.finditer(_ZWJ, value):
            if not _EMOJI.match(value[m.start() - 1] if m.start() else ""):
                found.append(self._at(literal(_ZWJ), f"含有看不见的字符 {_char_name(_ZWJ)}（零宽连接符），请删除（可在编辑器中搜索 {_char_name(_ZWJ)}）"))
                break
        for m in _SELECTOR.finditer(value):
            if not _SELECTS.match(value[m.start() - 1] if m.start() else ""):
                code = _char_name(m.group())
                found.append(self._at(literal(m.group()), f"含有看不见的字符 {code}（变体选择符，只用于表情符号之后），请删除（可在编辑器中搜索 {code}）"))
                break
        return found

    def _ends(self, event, value: str, start: int, literal) -> list[Problem]:
        found = []
        if value[:1].isspace():
            ch = value[0]
            where = literal(ch) if event.style != "|" else start
            found.append(self._at(where, f"文字开头有空白（{_space_name(ch)}）：正文段落由模板自动首行缩进，请删除"))
        if value[-1:].isspace():
            ch = value[-1]
            if ch == "\n" and event.style in ("|", ">"):
                found.append(self._at(start, f"多行文字末尾会多出一个换行：请把“{event.style}”改为“{event.style}-”"))
            else:
                found.append(self._at(literal(ch, last=True), f"文字末尾有空白（{_space_name(ch)}），请删除"))
        return found

    def _number_or_date(self, event, value: str, start: int) -> list[Problem]:
        tag = _tag_name(self.resolver.resolve(ScalarNode, value, event.implicit))
        if tag.endswith(":timestamp"):
            return self._date(value, start)
        if not tag.endswith((":int", ":float")) or value.lower().lstrip("+-") in (".inf", ".nan"):
            return []
        if re.match(r"[-+]?0[oxbOXB]", value):
            base = {"o": "八进制", "x": "十六进制", "b": "二进制"}[value.lstrip("+-")[1].lower()]
            return [self._at(start, f"“{value}”是{base}写法：请写成普通的十进制数字；如是文字请加引号")]
        if "_" in value:
            return [self._at(start, f"数字中不要用“_”分隔：“{value}”请写作 {value.replace('_', '')}")]
        if "e" in value.lower():
            plain = Decimal(value)
            hint = f"请写作 {format(plain, 'f')}" if abs(plain.adjusted()) <= MAX_DIGITS else "请写成普通数字"
            return [self._at(start, f"不要用科学计数法（“{value}”）：{hint}")]
        if not NUMBER.fullmatch(value):  # a leading zero: 012 is 12 here but 10 in YAML 1.1 tools
            plain = ("-" if value.startswith("-") else "") + (value.lstrip("+-").lstrip("0") or "0")
            return [self._at(start, f"数字不要以 0 开头（“{value}”有的软件读作八进制）：请写作 {plain}；如是编号等文字请加引号")]
        digits = value.lstrip("+-").replace(".", "").lstrip("0")
        if len(digits) > MAX_DIGITS:
            return [self._at(start, f"数字有 {len(digits)} 位有效数字，超过 {MAX_DIGITS} 位（表格软件只保留 15 位，可能已失真或多打了数字），请核对")]
        return []

    def _date(self, value: str, start: int) -> list[Problem]:
        m = DATE.fullmatch(value)
        if m is None:
            return []
        year, month, day = (int(x) for x in m.group(1, 2, 3))
        try:
            dt.date(year, month, day)
        except ValueError:
            if not 1 <= month <= 12:
                why = f"月份应为 1–12，现为 {month}"
            elif year == 0:
                why = "年份不能为 0"
            else:
                why = f"{year} 年 {month} 月没有 {day} 日"
            return [self._at(start, f"日期“{value}”无效：{why}")]
        if m.group(4) is not None:
            hour, minute, second = (int(x) for x in m.group(4, 5, 6))
            if hour > 23 or minute > 59 or second > 59:
                return [self._at(start, f"日期“{value}”中的时间无效")]
        return []


_NAMED_ESCAPES = {"\0": "0", "\a": "a", "\b": "b", "\t": "t", "\n": "n", "\v": "v", "\f": "f", "\r": "r", "\x1b": "e", "\x85": "N", "\xa0": "_", "\u2028": "L", "\u2029": "P"}


def _escape_index(text: str, start: int, end: int, ch: str, last: bool = False) -> int:
    """Where, in a double-quoted scalar text[start:end], an escape writes ``ch``; -1 if none."""
    code = ord(ch)
    forms = [rf"\\x{code:02x}"] if code < 0x100 else []
    forms += [rf"\\u{code:04x}"] if code < 0x10000 else []
    forms += [rf"\\U{code:08x}"]
    if ch in _NAMED_ESCAPES:
        forms.append(re.escape("\\" + _NAMED_ESCAPES[ch]) + "(?![0-9A-Fa-f])" if ch == "\0" else re.escape("\\" + _NAMED_ESCAPES[ch]))
    pattern = re.compile(r"(?<!\\)(?:\\\\)*(" + "|".join(forms) + ")", re.I if code >= 0x80 or ch not in _NAMED_ESCAPES else 0)
    found = [m.start(1) for m in pattern.finditer(text, start, end)]
    return (found[-1] if last else found[0]) if found else -1


def _space_name(ch: str) -> str:
    names = {" ": "空格", "\u3000": "全角空格 U+3000", "\u00a0": "不换行空格 U+00A0", "\n": "换行", "\t": "Tab"}
    return names.get(ch, f"空白字符 {_char_name(ch)}")


def _load_once(text: str, path: str) -> tuple[object, list[Problem]] | None:
    """Load while checking every event the composer takes: one parse instead of two (parsing is
    most of the cost of loading). Aliases are only shared while composing, never walked, so a
    "billion laughs" file stays small here and is refused after. None when loading fails; the
    caller then names the failure the two-pass way.
    """
    refused: list[Problem] = []
    yaml = _yaml()
    checks = _Checks(text, path, _yaml().resolver)

    class RefusingParser(yaml.Parser):
        def get_event(self):
            event = super().get_event()
            refused.extend(_refusals(event, path))
            refused.extend(checks(event))
            if checks.too_deep:
                raise RecursionError("too deep")  # stop before composing recurses; named below
            return event

    yaml.Parser = RefusingParser
    try:
        tree = yaml.load(text)
    except Exception:  # any failure is named by the careful path
        return None
    return tree, refused


_MAYBE_TYPED = frozenset("0123456789+-.~<=tTfFnNyYoO")  # first letters of YAML's typed plain scalars
_STR_TAG = "tag:yaml.org,2002:str"


def _tag_name(tag) -> str:
    """A resolved tag's URI; a handle-less Tag's suffix is the URI, no decoding needed."""
    suffix = getattr(tag, "suffix", None)
    return suffix if suffix is not None and getattr(tag, "handle", None) is None else str(tag)

_TAGS = {f"tag:yaml.org,2002:{t}": Tag(suffix=f"tag:yaml.org,2002:{t}") for t in ("str", "map", "seq", "int", "float", "bool", "null", "timestamp")}
for _tag in _TAGS.values():
    _tag.trval  # noqa: B018 - computed once, cached on the shared object

try:  # libyaml through ruamel.yaml.clib: the same events and nodes, about five times faster
    from _ruamel_yaml import CParser
    from ruamel.yaml.events import StreamEndEvent
    from ruamel.yaml.resolver import VersionedResolver

    class _CLoader(CParser, DecimalConstructor, VersionedResolver):
        """libyaml's parser and composer with our constructor: CommentedMaps whose positions
        come from the node marks, exactly as the round-trip loader gives them (without comments,
        which only ``new-year`` needs, and it uses the round-trip loader)."""

        comment_handling = None
        processing_version = (1, 2)

        def __init__(self, stream):
            CParser.__init__(self, stream)
            self._parser = self._composer = self
            DecimalConstructor.__init__(self, loader=self)
            VersionedResolver.__init__(self, loadumper=self)
            self.allow_duplicate_keys = False

        def resolve(self, kind, value, implicit):
            # Most values are prose: a plain scalar that cannot start a number, boolean, null or
            # date is text, without trying each of the resolver's patterns in Python. Tags are
            # shared objects whose text is worked out once (ruamel decodes each new one anew).
            if kind is ScalarNode and implicit[0] and value and value[0] not in _MAYBE_TYPED:
                return _TAGS[_STR_TAG]
            tag = super().resolve(kind, value, implicit)
            return _TAGS.get(_tag_name(tag), tag)

        def tree(self):
            """The document as the round-trip loader builds it (CommentedMap/CommentedSeq with
            the same line/column of every key, value and item), without its generic machinery."""
            node = self.get_single_node()
            return None if node is None else self._build(node)

        def _build(self, node):
            mark = node.start_mark
            if isinstance(node, MappingNode):
                out = CommentedMap()
                out._yaml_set_line_col(mark.line, mark.column)
                for key_node, value_node in node.value:
                    key = self._build(key_node)
                    if key in out:
                        raise _DuplicateKey(key, key_node.start_mark)
                    out[key] = self._build(value_node)
                    km, vm = key_node.start_mark, value_node.start_mark
                    out._yaml_set_kv_line_col(key, [km.line, km.column, vm.line, vm.column])
                return out
            if isinstance(node, SequenceNode):
                out = CommentedSeq()
                out._yaml_set_line_col(mark.line, mark.column)
                for i, item in enumerate(node.value):
                    out.append(self._build(item))
                    out._yaml_set_idx_line_col(i, [item.start_mark.line, item.start_mark.column])
                return out
            if node.ctag is _TAGS[_STR_TAG] and node.style not in ("|", ">"):
                return node.value
            return self.construct_object(node, deep=True)

except ImportError:  # pragma: no cover - the pure-Python path below does the same, slower
    CParser = None


class _DuplicateKey(Exception):
    def __init__(self, key, mark):
        super().__init__(key)
        self.key, self.mark = key, mark


def _load_fast(text: str, path: str) -> tuple[object, list[Problem]]:
    """Check every event, then compose, both in C (libyaml). The tree, or the problems, each
    located; a failure is named in the careful path's words when it fails the same way."""
    refused: list[Problem] = []
    checks = _Checks(text, path, _yaml().resolver)
    try:
        parser = CParser(io.StringIO(text))
        try:
            while True:
                event = parser.get_event()
                refused += _refusals(event, path)
                refused += checks(event)
                if checks.too_deep or isinstance(event, StreamEndEvent):
                    break
        finally:
            parser.dispose()
        if refused:
            return None, refused
        loader = _CLoader(io.StringIO(text))
        try:
            return loader.tree(), []
        finally:
            loader.dispose()
    except Exception as exc:  # noqa: BLE001 - every failure is named, with its place
        return None, _failure(exc, text, path)


def _failure(exc: Exception, text: str, path: str) -> list[Problem]:
    """libyaml refused the file: the same refusal in ruamel's words (the messages the writer
    knows), else libyaml's own, located. The tree never comes from another parser."""
    _, named = _careful(text, path)
    if named:
        return named
    if isinstance(exc, _DuplicateKey):
        m = exc.mark
        return [Problem(path, m.line + 1, m.column + 1, f"重复的键“{exc.key}”：同一层级中每个键只能出现一次")]
    if isinstance(exc, MarkedYAMLError):
        return [_syntax_problem(exc, path, text)]
    return [Problem(path, 1, 1, "YAML 格式错误：无法解析（请检查缩进、引号和括号）")]


_DIRECTIVE = re.compile(r"%(\S*)[ \t]*([^#\n]*?)[ \t]*(?:#.*)?$")


def _directive_problems(text: str, path: str) -> list[Problem]:
    """Directive lines (``%…`` before the content): only ``%YAML 1.2`` is read, every other one
    is refused where it stands, before any parser sees it (parsers disagree on them)."""
    found = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.startswith("%"):
            if line.strip() and not line.lstrip().startswith("#"):
                break
            continue
        m = _DIRECTIVE.match(line)
        name, value = (m.group(1), m.group(2)) if m else (line[1:], "")
        if name == "YAML" and value == "1.2":
            continue
        if name == "YAML":
            message = f"只支持 YAML 1.2，请删除“%YAML {value}”一行（按 1.1 读，1:20 会成为 80、012 会成为 10、yes 会成为 true）"
        elif name == "TAG":
            message = "不允许使用 %TAG 指令，请删除"
        else:
            message = f"未知的指令“%{name}”，请删除这一行（如是文字，请给整段文字加引号）"
        found.append(Problem(path, number, 1, message))
    return found


def load_text(text: str, path: str, *, comments: bool = False) -> tuple[object, list[Problem]]:
    """Parse YAML text; return (tree, problems). The tree is None when there are problems.
    ``comments=True`` keeps the file's comments in the tree (for rewriting it: ``new-year``).

    One reading: with libyaml installed (ruamel.yaml.clib, a dependency) every file is accepted
    or refused by libyaml under the checks below; ruamel's pure-Python parser only words the
    refusal and, for ``new-year``, re-reads an accepted file to keep its comments.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # Windows and old Mac line ends are line ends
    problems = [Problem(path, *_position(text, m.start()), _illegal(m.group())) for m in ILLEGAL_CHARS.finditer(text)]
    # A BOM past the start (two files pasted together) is where YAML stumbles lines later: named where it stands
    problems += [Problem(path, *_position(text, m.start()), _BOM) for m in re.finditer("\ufeff", text) if m.start() > 0]
    if problems:
        return None, problems
    problems = _directive_problems(text, path)
    if problems:
        return None, problems

    if CParser is not None:
        tree, problems = _load_fast(text, path)
        if problems:
            return None, problems
        if comments and tree is not None:
            tree, problems = _careful(text, path)
            if problems:
                return None, problems
    else:  # pragma: no cover - without libyaml, ruamel alone reads every file
        once = _load_once(text, path)
        tree, problems = once if once is not None else _careful(text, path)
        if problems:
            return None, problems
    if tree is None:
        return None, [Problem(path, 1, 1, "文件为空")]
    return tree, []


def _careful(text: str, path: str) -> tuple[object, list[Problem]]:
    """ruamel's round-trip reading: the events first, then the tree, so that refused constructs
    and syntax errors are named exactly as they are found."""
    problems: list[Problem] = []
    yaml = _yaml()
    checks = _Checks(text, path, _yaml().resolver)
    try:
        for event in yaml.parse(io.StringIO(text)):
            problems += _refusals(event, path)
            problems += checks(event)
            if checks.too_deep:
                break  # ruamel's scanner slows down with each open bracket: stop at the limit
    except MarkedYAMLError as exc:
        return None, [_syntax_problem(exc, path, text)]
    except (YAMLError, AssertionError, ValueError):  # ruamel asserts on some inputs
        return None, [Problem(path, 1, 1, "YAML 格式错误：无法解析（请检查缩进、引号和括号）")]
    if problems:
        return None, problems
    try:
        tree = _yaml().load(text)
    except MarkedYAMLError as exc:
        return None, [_syntax_problem(exc, path, text)]
    except (YAMLError, AssertionError, ValueError):
        return None, [Problem(path, 1, 1, "YAML 格式错误：无法解析（请检查缩进、引号和括号）")]
    return tree, []


def load(path: Path, *, comments: bool = False) -> tuple[object, list[Problem]]:
    """Read and parse one content file."""
    name = str(path)
    data, why = read_in_project(path, MAX_BYTES)  # a FIFO, /dev/zero, a folder, a link out: refused at once
    if data is None:
        return None, [Problem(name, 1, 1, f"无法读取内容文件：{why}")]
    if len(data) > MAX_BYTES:
        try:
            size = max(path.stat().st_size, len(data))  # a regular file: its size as the system reports it
        except OSError:
            size = len(data)
        return None, [Problem(name, 1, 1, f"文件过大（{size} 字节），上限为 {MAX_BYTES} 字节")]
    return load_bytes(data, name, comments=comments)


def load_bytes(data: bytes, name: str, *, comments: bool = False) -> tuple[object, list[Problem]]:
    """Parse a content file's bytes (from disk or from a git revision)."""
    if len(data) > MAX_BYTES:
        return None, [Problem(name, 1, 1, f"文件过大（{len(data)} 字节），上限为 {MAX_BYTES} 字节")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        prefix = data[: exc.start].decode("utf-8", "replace")
        line, col = _position(prefix, len(prefix))
        return None, [Problem(name, line, col, "文件不是 UTF-8 编码，请另存为 UTF-8")]
    return load_text(text, name, comments=comments)


# "initial：2931.88" (an input method's full-width colon after an English key) is one word to YAML;
# the parser then complains a line or two later. Looked for on the lines up to the error.
_FULL_WIDTH_COLON = re.compile(r"^[ ]*(?:-[ ]+)?([A-Za-z_][A-Za-z0-9_-]*)[ \u3000]*：")


def _full_width_colon(text: str, path: str, line: int) -> Problem | None:
    lines = text.split("\n")
    for number in range(min(line, len(lines)), max(0, line - 4), -1):
        m = _FULL_WIDTH_COLON.match(lines[number - 1])
        if m:
            return Problem(path, number, m.end(), f"键“{m.group(1)}”后是全角冒号“：”：YAML 的键后须用半角冒号加空格，如 {m.group(1)}: …")
    return None


def _syntax_problem(exc: MarkedYAMLError, path: str, text: str | None = None) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    if text is not None and (found := _full_width_colon(text, path, line)) is not None:
        return found
    problem = exc.problem or ""
    if "duplicate key" in problem:
        key = re.search(r'duplicate key "(.*?)"', problem)
        return Problem(path, line, col, f"重复的键“{key.group(1) if key else ''}”：同一层级中每个键只能出现一次")
    text = _translate(problem, exc.context)
    start = exc.context_mark
    if start is not None and (start.line, start.column) != (line - 1, col - 1):
        text += f"（始于第 {start.line + 1} 行第 {start.column + 1} 列）"
    return Problem(path, line, col, f"YAML 格式错误：{text}")


_SYNTAX = {
    "while parsing a flow sequence": "方括号“[”未闭合",
    "while parsing a flow mapping": "花括号“{”未闭合（文字以“{”开头时请加引号）",
    "while scanning a quoted scalar": "引号未闭合",
    "mapping values are not allowed here": "此处不能出现“:”（冒号后需空格，或把含冒号的文字加引号）",
    "could not find expected ':'": "缺少“:”",
    "found character '\\t' that cannot start any token": "此处有 Tab 字符：YAML 不能用 Tab 缩进或分隔，文字中也不能有 Tab，请改为空格",
    "while scanning a block scalar": "“|”“>”开头表示多行文字；如“>=”“>”是文字本身，请加引号，如 direction: \">=\"",
    "that cannot start any token": "文字不能以“%”“@”“`”开头，请给整段文字加引号，如 unit: '%'",
    "sequence entries are not allowed here": "此处不能出现“- ”（缩进不对？文字以“- ”开头时请加引号）",
    "while scanning an alias": "文字不能以“*”开头，请给整段文字加引号",
    "while scanning an anchor": "文字不能以“&”开头，请给整段文字加引号",
    "expected escape sequence": "双引号中的“\\”转义写法有误：“\\”本身请写作“\\\\”，或改用单引号",
    "expected the node content": "此处缺少内容，或文字以“,”“]”“}”等符号开头（请给文字加引号）",
    "expected <block end>, but found": "缩进不一致",
    "found undefined alias": "不允许使用别名",
    "expected a single document": "只允许一个 YAML 文档",
    "found unexpected end of stream": "文件意外结束（引号或括号未闭合？）",
    "found unknown escape character": "未知的转义字符",
}


def _translate(problem: str, context: str | None) -> str:
    for english, chinese in _SYNTAX.items():
        if english in (context or "") or english in problem:
            return chinese
    detail = "；".join(x for x in (context, problem) if x)
    return f"无法解析（{detail}）"
