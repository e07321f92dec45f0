"""Text written into a generated YAML file (new-dept, import, new-year): one place that keeps it
from changing the file's shape.

YAML (as ruamel reads it) ends a line not only at ``\\n`` but at ``\\r``, U+0085, U+2028 and U+2029;
a department name holding one of them, written into the header comment, would start a new line
there (a key, or a syntax error). Controls, noncharacters and line separators are also refused
anywhere in a content file by ``load``, so a generated file holding one could not even be read.

    refusal(text)  why a value the user typed cannot go into a content file (None: it can)
    line(text)     text for a comment: one line, nothing ``load`` refuses
    scalar(text)   a double-quoted YAML scalar that reads back as exactly ``text``
"""

from __future__ import annotations

import json
import re

from .load import ILLEGAL_CHARS

# What ends a line for YAML, and every other control: C0 (tab aside), DEL, C1, U+2028, U+2029.
BREAKS = re.compile("[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_NAMES = {"\n": "换行", "\r": "回车", "\x85": "U+0085（下一行）", "\u2028": "U+2028（行分隔符）", "\u2029": "U+2029（段分隔符）"}


def refusal(text: str) -> str | None:
    """Why ``text`` (typed on the command line) cannot be written: a line break of any kind, a
    tab or another control, a noncharacter. None when it can."""
    m = BREAKS.search(text) or ILLEGAL_CHARS.search(text) or re.search("[\t\ud800-\udfff]", text)
    if m is None:
        return None
    ch = m.group()
    if "\ud800" <= ch <= "\udfff":  # a byte of the command line that is not UTF-8
        return "含有无法识别的字节（不是 UTF-8 编码的文字），请重新输入"
    name = _NAMES.get(ch) or ("制表符" if ch == "\t" else f"U+{ord(ch):04X}")
    return f"含有{name}，写进内容文件会多出一行或使文件无法读取，请删除"


def line(text: str) -> str:
    """``text`` as one comment line: every break or run of spaces one space, refused characters gone."""
    text = re.sub("[\ud800-\udfff]", "", ILLEGAL_CHARS.sub("", BREAKS.sub(" ", text)))
    return " ".join(text.split())


def scalar(text: str) -> str:
    """A double-quoted scalar; line separators escaped (JSON leaves them raw, YAML would break there)."""
    quoted = json.dumps(text, ensure_ascii=False)
    return quoted.replace("\x85", "\\N").replace("\u2028", "\\L").replace("\u2029", "\\P")
