"""argparse in Chinese: usage, help and every error message it can print.

argparse words its messages through ``gettext``; while one of our parsers parses or formats,
its two lookup functions are swapped for a table of the messages it uses (no translation files,
nothing installed). Usage errors exit 2, as argparse's do, with the usage line and a pointer to
``-h``.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import re
import sys
import unicodedata

MESSAGES = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项“%(value)s”（可选：%(choices)s）",
    "invalid %(type)s value: %(value)r": "无效的值“%(value)s”",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多需要一个值",
    "expected at least one argument": "至少需要一个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 有歧义，可能是：%(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "须给出以下参数之一：%s",
    "ignored explicit argument %r": "多余的值 %r",
    "unexpected option string: %s": "意外的选项：%s",
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "未知的命令“%(parser_name)s”（可用：%(choices)s）",
}
PLURALS = {
    "expected %s argument": "需要 %s 个值",
    "expected %s arguments": "需要 %s 个值",
}


def _gettext(message: str) -> str:
    return MESSAGES.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return PLURALS.get(singular if n == 1 else plural, singular if n == 1 else plural)


@contextlib.contextmanager
def chinese():
    """argparse's messages in Chinese for the duration (restored afterwards, even on exit)."""
    saved = argparse._, argparse.ngettext
    argparse._, argparse.ngettext = _gettext, _ngettext
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved


def width(text: str) -> int:
    """Columns on a terminal: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _aligned(text: str) -> str:
    """argparse pads by characters; pad the help column by display width instead."""
    row = re.compile(r"^(  +\S(?:.*?\S)?)( {2,})(\S.*)$")
    lines = text.split("\n")
    rows = [(i, m) for i, line in enumerate(lines) if (m := row.match(line))]
    column = max((width(m.group(1)) + 2 for _, m in rows), default=0)
    for i, m in rows:
        lines[i] = m.group(1) + " " * (column - width(m.group(1))) + m.group(3)
    return "\n".join(lines)


class Formatter(argparse.HelpFormatter):
    """Wider help columns: Chinese help texts are long."""

    def __init__(self, prog, **kw):
        kw.setdefault("max_help_position", 30)
        kw.setdefault("width", 100)
        super().__init__(prog, **kw)


class ChineseParser(argparse.ArgumentParser):
    """An ``ArgumentParser`` that speaks Chinese; subparsers made from it are ChineseParsers too."""

    def __init__(self, *args, **kw):
        kw.setdefault("formatter_class", Formatter)
        with chinese():  # the -h help text is worded when the parser is made
            super().__init__(*args, **kw)

    def add_subparsers(self, **kw):
        kw.setdefault("parser_class", ChineseParser)
        with chinese():
            return super().add_subparsers(**kw)

    def parse_args(self, args=None, namespace=None):
        with chinese():
            return super().parse_args(args, namespace)

    def format_usage(self) -> str:
        with chinese():
            return super().format_usage()

    def format_help(self) -> str:
        with chinese():
            text = super().format_help()
        # Section headings end in a full-width colon; the subcommands' group does not repeat its name.
        text = re.sub(r"^(\S[^\n]*):$", r"\1：", text, flags=re.M)
        text = re.sub(r"^(命令：\n) +命令\n", r"\1", text, flags=re.M)
        return _aligned(text)

    def error(self, message: str):
        """Usage line, the message (a near miss of a command named), where to read more; exit 2."""
        choice = re.search(r"无效的选项“(.*?)”（可选：(.*)）", message, re.S)
        if choice:
            names = re.findall(r"'([^']*)'", choice.group(2))
            near = difflib.get_close_matches(choice.group(1), names, n=1, cutoff=0.5)
            listed = "，".join(f"“{n}”" for n in names) if any("、" in n for n in names) else "、".join(names)
            hint = f"，是否应为“{near[0]}”？" if near else ""
            prefix = "" if message.startswith("参数 命令：") else message[: choice.start()]
            message = prefix + ("未知的命令" if not prefix else "无效的选项") + f"“{choice.group(1)}”（可选：{listed}）{hint}"
        with chinese():
            self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：错误：{message}\n运行“{self.prog} -h”查看说明。\n")
