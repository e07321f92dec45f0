"""Arguments several commands share, and what they resolve to: --year, --dept, --content, --out,
--template, --level3; the year asked for (or the latest one), the content files, the problems
printed one a line. Values from make arrive empty when not given: empty means the default."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .. import paths
from ..errors import UsageError, shown


def year(text: str) -> int | None:
    """--year: four digits; empty (make's default) means the latest year under content/."""
    if not text.strip():
        return None
    try:
        return paths.year(text)
    except UsageError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def dept(text: str) -> str | None:
    if not text.strip():
        return None
    try:
        return paths.dept(text)
    except UsageError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def root() -> Path:
    return paths.project_root()


def content_args(p) -> None:
    p.add_argument("--year", type=year, metavar="年度", help="年度，四位数字，如 2022（默认：content/ 下最新的年度）")
    p.add_argument("--dept", type=dept, metavar="部门", help="只处理一个部门（content/ 下的文件夹名，如 bishan-kjj），默认全部")
    p.add_argument("--content", default=None, metavar="文件夹", help="内容文件夹（默认：项目根目录下的 content）")


def output_args(p) -> None:
    p.add_argument("--out", default=None, metavar="文件夹", help="输出文件夹（默认：项目根目录下的 build）")


def template_args(p) -> None:
    p.add_argument("--template", default=None, metavar="模板", help="Word 模板（默认：templates/report.docx）")
    p.add_argument("--level3", choices=["、", "."], default="、", help="三级标题编号后的符号：“1、”（默认）或 GB/T 9704 的“1.”")


def writing_args(p) -> None:
    content_args(p)
    template_args(p)
    output_args(p)


def content(args) -> Path:
    return Path(args.content) if args.content else root() / "content"


def out(args) -> Path:
    return Path(args.out) if getattr(args, "out", None) else root() / "build"


def template(args) -> Path:
    if getattr(args, "template", None):
        return Path(args.template)
    local = root() / "templates" / "report.docx"
    from ..build import DEFAULT_TEMPLATE

    return local if os.path.lexists(local) else DEFAULT_TEMPLATE  # a FIFO or a device there is named as such, not skipped


def year_of(args, content: Path) -> int:
    """The year asked for, or the latest one under content/ (said on stderr)."""
    if args.year is not None:
        return args.year
    latest = paths.latest_year(content)
    if latest is None:
        raise UsageError(f"{shown(content)} 下没有任何年度的内容文件（<部门>/<年度>.yaml）")
    print(f"年度：{latest}（未指定年度，取 {shown(content)} 下最新的年度）")
    return latest


def files_of(args) -> tuple[int, list[Path]]:
    where_content = content(args)
    asked = year_of(args, where_content)
    files = paths.content_files(where_content, asked, args.dept)
    if not files:
        where = f"{shown(where_content)}/{args.dept or '<部门>'}/{asked}.yaml"
        raise UsageError(f"没有找到 {asked} 年度的内容文件（{where}）。")
    return asked, files


def print_problems(problems, stream=None) -> None:
    for p in problems:
        print(p, file=stream or sys.stdout)
