"""perfreport text FILE: a .docx as Markdown text, for git's textconv (make git-setup)."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import EXIT_OK, UsageError, shown
from . import Command


def arguments(p) -> None:
    p.add_argument("file", metavar="文件", help=".docx 文件")


def run(args) -> int:
    """For git's textconv: a .docx as Markdown text."""
    from ..output.text import markdown

    from ..content.readfile import MAX_TEMPLATE_BYTES, read_limited

    source = Path(args.file)
    data, why = read_limited(source, MAX_TEMPLATE_BYTES)  # the one reading path: a FIFO or a device refused at once
    if data is None:
        raise UsageError(f"{shown(source)}: {'找不到文件' if not source.is_symlink() and not source.exists() else why}")
    try:
        text = markdown(data)
    except RuntimeError as exc:  # pandoc refuses it: not a .docx (or a damaged one)
        detail = str(exc).strip().splitlines()[-1] if str(exc).strip() else ""
        raise UsageError(f"{shown(source)}: 不是可读取的 .docx 文件（pandoc：{detail}）") from None
    sys.stdout.write(text)
    return EXIT_OK


COMMAND = Command(
    "text", "把 .docx 转成文本（供 git diff 使用）",
    "把 .docx 转成 Markdown 文本，供 git diff 显示报告的文字变化（make git-setup）。",
    arguments, run, order=140,
)
