"""YAML text → a tree that remembers where every key and value stood.

Refuses, before building anything: oversized files, text that is not UTF-8, XML-illegal control
characters, anchors and aliases (a "billion laughs" file loads fast and explodes when walked),
tags, duplicate keys and syntax errors. Numbers with a fraction are read as ``Decimal`` from their
text, never through a binary float.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, CollectionStartEvent, NodeEvent, ScalarEvent

from .problems import Problem

MAX_BYTES = 5 * 1024 * 1024  # real reports are ~20 KB; 1 MB of prose still fits
ILLEGAL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


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


def load_text(text: str, path: str) -> tuple[object, list[Problem]]:
    """Parse YAML text; return (tree, problems). The tree is None when there are problems."""
    problems = [
        Problem(path, *_position(text, m.start()), f"含有不可用于 Word 文档的控制字符 {_char_name(m.group())}，请删除")
        for m in ILLEGAL_CHARS.finditer(text)
    ]
    if problems:
        return None, problems

    yaml = _yaml()
    try:
        for event in yaml.parse(io.StringIO(text)):
            mark = event.start_mark
            where = (path, mark.line + 1, mark.column + 1)
            if isinstance(event, AliasEvent):
                problems.append(Problem(*where, f"不允许使用别名（*{event.anchor}），请直接写出内容"))
            elif isinstance(event, NodeEvent) and event.anchor is not None:
                problems.append(Problem(*where, f"不允许使用锚点（&{event.anchor}），请直接写出内容"))
            if isinstance(event, (CollectionStartEvent, ScalarEvent)):
                tag = event.tag
                if tag is not None:
                    problems.append(Problem(*where, f"不允许使用标签（{str(tag).replace('tag:yaml.org,2002:', '!!')}），请删除"))
    except MarkedYAMLError as exc:
        return None, [_syntax_problem(exc, path)]
    except YAMLError as exc:  # pragma: no cover - ruamel raises marked errors for syntax
        return None, [Problem(path, 1, 1, f"YAML 格式错误：{exc}")]
    if problems:
        return None, problems

    try:
        tree = _yaml().load(text)
    except MarkedYAMLError as exc:
        return None, [_syntax_problem(exc, path)]
    except YAMLError as exc:  # pragma: no cover
        return None, [Problem(path, 1, 1, f"YAML 格式错误：{exc}")]
    if tree is None:
        return None, [Problem(path, 1, 1, "文件为空")]
    return tree, []


def load(path: Path) -> tuple[object, list[Problem]]:
    """Read and parse one content file."""
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None, [Problem(name, 1, 1, f"文件过大（{size} 字节），上限为 {MAX_BYTES} 字节")]
        data = path.read_bytes()
    except OSError as exc:
        return None, [Problem(name, 1, 1, f"无法读取文件：{exc.strerror or exc}")]
    return load_bytes(data, name)


def load_bytes(data: bytes, name: str) -> tuple[object, list[Problem]]:
    """Parse a content file's bytes (from disk or from a git revision)."""
    if len(data) > MAX_BYTES:
        return None, [Problem(name, 1, 1, f"文件过大（{len(data)} 字节），上限为 {MAX_BYTES} 字节")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        prefix = data[: exc.start].decode("utf-8", "replace")
        line, col = _position(prefix, len(prefix))
        return None, [Problem(name, line, col, "文件不是 UTF-8 编码，请另存为 UTF-8")]
    return load_text(text, name)


def _syntax_problem(exc: MarkedYAMLError, path: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
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
    "found character '\\t' that cannot start any token": "不能用 Tab 缩进，请用空格",
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
