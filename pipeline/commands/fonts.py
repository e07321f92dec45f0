"""perfreport fonts (make fonts): the open Fandol fonts for PDFs, into the project's .fonts/
(fetching and finding them is output/fonts.py's; what is said is here)."""

from __future__ import annotations

import subprocess
import sys
import tarfile

from ..output.fonts import fetch, missing, substitutions
from . import Command


def run(args) -> int:
    """`make fonts`: 0 the fonts are there, 2 they could not be fetched."""
    if missing():
        try:
            written = fetch()
        except (RuntimeError, OSError, subprocess.SubprocessError, tarfile.TarError) as exc:
            print(f"未能获取 Fandol 字体：{exc}", file=sys.stderr)
            return 2
        print(f"已取得 {len(written)} 个字体文件，放在 .fonts/（仅本项目使用）：{'、'.join(p.name for p in written)}")
    else:
        print("Fandol 字体已就绪（.fonts/）。")
    for line in substitutions():
        print(line, file=sys.stderr)
    return 0


COMMAND = Command(
    "fonts", "取得 PDF 用的开源字体（Fandol）到 .fonts/",
    "用系统的软件包管理器下载 texlive-lang-chinese（apt-get download，不安装），只取出 Fandol 仿宋、宋体、黑体、楷体字体文件放到本项目的 .fonts/ 文件夹；make pdf 用它们代替公文字体。",
    lambda p: None, run, order=50,
)
