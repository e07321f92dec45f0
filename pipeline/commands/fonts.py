"""perfreport fonts (make fonts): the open Fandol fonts for PDFs, into the project's .fonts/
(the work is output/fonts.py's)."""

from __future__ import annotations

from . import Command


def run(args) -> int:
    from ..output.fonts import run

    return run(args)


COMMAND = Command(
    "fonts", "取得 PDF 用的开源字体（Fandol）到 .fonts/",
    "用系统的软件包管理器下载 texlive-lang-chinese（apt-get download，不安装），只取出 Fandol 仿宋、宋体、黑体、楷体字体文件放到本项目的 .fonts/ 文件夹；make pdf 用它们代替公文字体。",
    lambda p: None, run, order=50,
)
