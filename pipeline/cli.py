"""命令行：python -m pipeline <命令>（或 perfreport <命令>）。The only place that prints.

Commands (``COMMANDS`` below, in this order):

    check     校验内容并计算得分（不写文件）
    report    生成 Word 报告 build/<年度>/<部门>.docx
    review    生成报告及其 Markdown 审阅稿 build/<年度>/<部门>.md
    pdf       生成报告和自评表的 PDF build/<年度>/<部门>.pdf、<部门>-自评表.pdf（需要 LibreOffice）
    fonts     取得 PDF 用的开源字体（Fandol）到 .fonts/
    form      生成自评表 build/<年度>/<部门>-自评表.xlsx
    summary   生成全部部门的汇总 build/<年度>/汇总.xlsx 和 汇总.docx
    diff      比较两个 git 版本的内容对报告的影响（不写文件）
    new-year  由上一年度内容生成新年度的内容文件
    new-dept  为新部门生成内容文件（全部键齐全，待填写处留空）
    import    把上一年度的 Word 报告导入为内容文件草稿
    preview   在浏览器中预览报告，保存内容文件后自动更新
    schema    由模型生成 JSON Schema（供编辑器提示）
    text      把 .docx 转成文本（供 git diff 使用）

Every command that writes files goes through the recipe ``build.run`` (load → validate → score →
compose → render → write, all or nothing). Exit codes: 0 done, 1 content errors, 2 usage or
environment (``errors.UsageError``, ``errors.SetupError``), 3 a defect of the program (内部错误).

To add a command: write ``run(args) -> int`` (in your own module, imported lazily) and a function
that adds its arguments, then add one ``Command`` line to ``COMMANDS``.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import paths
from .cliparser import ChineseParser
from .errors import EXIT_CONTENT, EXIT_DEFECT, EXIT_OK, EXIT_USAGE, ContentError, SetupError, UsageError, UserError, cause, shown
from .problems import errors, warnings



# ---------------------------------------------------------------- arguments shared by commands


def _year(text: str) -> int | None:
    """--year: four digits; empty (make's default) means the latest year under content/."""
    if not text.strip():
        return None
    try:
        return paths.year(text)
    except UsageError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _dept(text: str) -> str | None:
    if not text.strip():
        return None
    try:
        return paths.dept(text)
    except UsageError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _root() -> Path:
    return paths.project_root()


def content_args(p, *, required_year: bool = False) -> None:
    p.add_argument("--year", type=_year, metavar="年度", help="年度，四位数字，如 2022（默认：content/ 下最新的年度）")
    p.add_argument("--dept", type=_dept, metavar="部门", help="只处理一个部门（content/ 下的文件夹名，如 bishan-kjj），默认全部")
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


def _content(args) -> Path:
    return Path(args.content) if args.content else _root() / "content"


def _out(args) -> Path:
    return Path(args.out) if getattr(args, "out", None) else _root() / "build"


def _template(args) -> Path:
    if getattr(args, "template", None):
        return Path(args.template)
    local = _root() / "templates" / "report.docx"
    from .build import DEFAULT_TEMPLATE

    return local if local.is_file() else DEFAULT_TEMPLATE


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
    content = _content(args)
    year = year_of(args, content)
    files = paths.content_files(content, year, args.dept)
    if not files:
        where = f"{shown(content)}/{args.dept or '<部门>'}/{year}.yaml"
        raise UsageError(f"没有找到 {year} 年度的内容文件（{where}）。")
    return year, files


def print_problems(problems, stream=None) -> None:
    for p in problems:
        print(p, file=stream or sys.stdout)


# ---------------------------------------------------------------- check


def _summary(checked) -> str:
    """One line per report: department, total, grade (or why there is none)."""
    from .output.compose import num

    where = shown(checked.path)
    if checked.ok:
        r, s = checked.report, checked.scores
        return f"{r.department.name} {r.year}年度：总分 {num(s.total)} 分，等级“{s.grade}”（{where}）"
    n = len(errors(checked.problems))
    if checked.report is None:
        return f"{where}：有 {n} 个错误，未计算总分"
    return f"{checked.report.department.name}：有 {n} 个错误，未计算总分（{where}）"


def check_args(p) -> None:
    p.add_argument("files", nargs="*", metavar="文件", help="要检查的内容文件（不给则检查该年度全部部门）")
    content_args(p)
    p.add_argument("--strict", action="store_true", help="警告也按错误处理（退出码 1）")


def run_check(args) -> int:
    from . import build
    from .content import district

    files = [Path(f) for f in args.files] if args.files else files_of(args)[1]
    # content/district.yaml (optional, no department): checked with the year, or when named
    settings = [f.parent for f in files if f.name == district.FILE] if args.files else [_content(args)]
    files = [f for f in files if f.name != district.FILE]
    settings_problems = [p for folder in settings for p in district.read(folder)[1]]
    print_problems(settings_problems)
    results = [build.check(path, shown(path)) for path in files]
    for checked in results:
        print_problems(sorted(checked.problems, key=lambda p: (p.path, p.line, p.col)))
    n_errors = sum(len(errors(c.problems)) for c in results) + len(settings_problems)
    n_warnings = sum(len(warnings(c.problems)) for c in results)
    if args.strict and n_warnings and not n_errors:
        print("--strict：警告按错误处理。")
    print(f"检查了 {len(files)} 个文件：{n_errors} 个错误，{n_warnings} 个警告。")
    for checked in results:
        print(_summary(checked))
    return EXIT_CONTENT if n_errors or (args.strict and n_warnings) else EXIT_OK


# ---------------------------------------------------------------- report, review, pdf, form: the recipe


def build_files(args, kinds: tuple[str, ...]) -> list[Path]:
    """The recipe for the departments asked for; every output written, or ContentError."""
    from . import batch, build

    template = _template(args)
    year, files = files_of(args)
    job = build.Job(files, [shown(p) for p in files], year, _out(args), kinds, template, getattr(args, "level3", "、"))
    label = "正在生成自评表" if kinds == ("form",) else "正在生成报告"
    with batch.TerminalProgress(sys.stderr, label=label) as progress:
        result = build.run(job, progress)
    if result.errors:
        noun = "自评表" if kinds == ("form",) else "报告"
        raise ContentError(f"有错误，未生成任何{noun}（原有文件保持不变）。", result.errors)
    for target in result.written:
        print(f"已生成 {shown(target)}")
    return result.written


def run_report(args) -> int:
    build_files(args, ("report",))
    return EXIT_OK


def run_review(args) -> int:
    build_files(args, ("report", "review"))
    return EXIT_OK


def run_pdf(args) -> int:
    from .output.pdf import INSTALL_HINT, soffice

    if soffice() is None:
        raise SetupError(INSTALL_HINT)
    from .output.fonts import substitutions

    for line in substitutions():  # a 公文 font with no open stand-in: say which and what is used
        print(line, file=sys.stderr)
    build_files(args, ("report", "form", "pdf"))
    return EXIT_OK


def run_fonts(args) -> int:
    from .output.fonts import run

    return run(args)


def run_form(args) -> int:
    build_files(args, ("form",))
    return EXIT_OK


# ---------------------------------------------------------------- diff, new-year, text, schema


def diff_args(p) -> None:
    content_args(p)
    p.add_argument("--from", dest="rev_from", required=True, metavar="版本", help="原版本（提交号、分支、标签、HEAD~1 等）")
    p.add_argument("--to", dest="rev_to", default=None, metavar="版本", help="新版本（默认：当前工作区）")
    p.add_argument("--template", default=None, metavar="模板", help="Word 模板（默认：templates/report.docx）")


def run_diff(args) -> int:
    from .commands.diff import DiffError, diff, lines, repo_root

    content = _content(args)
    year = year_of(args, content)
    try:
        root = repo_root(Path.cwd())
        changes, problems = diff(root, content, year, args.rev_from, args.rev_to or None, _template(args))
    except DiffError as exc:
        raise UsageError(str(exc)) from None
    print_problems(problems, sys.stderr)
    for line in lines(changes, args.rev_from, args.rev_to or None):
        print(line)
    return EXIT_CONTENT if problems else EXIT_OK


def new_year_args(p) -> None:
    p.add_argument("--from", dest="source_year", type=_year, required=True, metavar="年度", help="上一年度，如 2022")
    p.add_argument("--to", dest="target_year", type=_year, required=True, metavar="年度", help="新年度，如 2023")
    p.add_argument("--dept", type=_dept, metavar="部门", help="只处理一个部门，默认全部")
    p.add_argument("--content", default=None, metavar="文件夹", help="内容文件夹（默认：项目根目录下的 content）")


def run_new_year(args) -> int:
    from .commands.newyear import start_year

    if args.source_year is None or args.target_year is None:
        raise UsageError("请指定上一年度和新年度，如 --from 2022 --to 2023")
    if args.source_year == args.target_year:
        raise UsageError(f"上一年度和新年度都是 {args.source_year}：新年度应为另一年，如 --from {args.source_year} --to {args.source_year + 1}")
    content = _content(args)
    sources = paths.content_files(content, args.source_year, args.dept)
    if not sources:
        raise UsageError(f"没有找到 {args.source_year} 年度的内容文件（{shown(content)}/{args.dept or '<部门>'}/{args.source_year}.yaml）。")
    failed = False
    for source in sources:
        target = source.with_name(f"{args.target_year}.yaml")
        problems = start_year(source, target, args.target_year, shown(target))
        print_problems(problems, sys.stderr)
        if problems:
            failed = True
        else:
            print(f"已生成 {shown(target)}：请填写其中留空的项，make check YEAR={args.target_year} 会逐项列出。")
    return EXIT_CONTENT if failed else EXIT_OK


def new_dept_args(p) -> None:
    # The id is checked by newdept (stricter than --dept elsewhere: a new id is lower-case ASCII).
    p.add_argument("--dept", required=True, metavar="部门", help="部门标识（content/ 下的文件夹名），小写英文、数字和连字符，如 bishan-kjj")
    p.add_argument("--name", required=True, metavar="全称", help="部门全称，如 重庆市璧山区科学技术局")
    p.add_argument("--year", type=_year, metavar="年度", help="年度，四位数字（默认：content/ 下最新的年度）")
    p.add_argument("--content", default=None, metavar="文件夹", help="内容文件夹（默认：项目根目录下的 content）")


def run_new_dept(args) -> int:
    from .commands.newdept import run

    if not args.dept:
        raise UsageError("请指定部门标识，如 make new-dept DEPT=bishan-kjj NAME=重庆市璧山区科学技术局")
    args.content = _content(args)
    return run(args)


def import_args(p) -> None:
    # The department and year are checked by the importer (before anything is read).
    p.add_argument("file", metavar="文件", help="报告文件（.docx、.doc、.wps 或 .odt）")
    p.add_argument("--dept", required=True, metavar="部门", help="部门标识（content/ 下的文件夹名，如 bishan-kjj）")
    p.add_argument("--year", required=True, metavar="年度", help="报告的年度，如 2022")
    p.add_argument("--content", default=None, metavar="文件夹", help="内容文件夹（默认：项目根目录下的 content）")


def run_import(args) -> int:
    from .commands.importer import run

    args.content = _content(args)
    return run(args)


def preview_args(p) -> None:
    content_args(p)
    p.add_argument("--root", default=None, metavar="文件夹", help="项目文件夹（默认：当前文件夹所在的项目根目录）")
    p.add_argument("--template", default=None, metavar="模板", help="Word 模板（默认：templates/report.docx）")
    p.add_argument("--host", default=None, metavar="地址", help="监听地址（默认 127.0.0.1，只允许本机访问）")
    p.add_argument("--port", type=_port, default=8000, metavar="端口", help="端口（默认 8000；0 表示任选一个空闲端口）")


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"端口应为 0 至 65535 的整数（当前为“{text}”）")
    return int(text)


def run_preview(args) -> int:
    from .commands.preview import run

    args.root = args.root or str(_root())
    args.content = args.content or "content"  # relative to the root, as the page names it
    args.year = year_of(args, Path(args.root) / args.content)
    return run(args)


def text_args(p) -> None:
    p.add_argument("file", metavar="文件", help=".docx 文件")


def run_text(args) -> int:
    """For git's textconv: a .docx as Markdown text."""
    from .output.text import markdown

    source = Path(args.file)
    if not source.is_file():
        raise UsageError(f"{shown(source)}: 找不到文件")
    try:
        text = markdown(source)
    except RuntimeError as exc:  # pandoc refuses it: not a .docx (or a damaged one)
        detail = str(exc).strip().splitlines()[-1] if str(exc).strip() else ""
        raise UsageError(f"{shown(source)}: 不是可读取的 .docx 文件（pandoc：{detail}）") from None
    sys.stdout.write(text)
    return EXIT_OK


def schema_args(p) -> None:
    p.add_argument("--out", default=None, metavar="文件", help="输出文件（默认：schema/report.schema.json）")
    p.add_argument("--check", action="store_true", help="只检查已提交的 schema 是否过期")


def run_schema(args) -> int:
    from .output.savefile import write_atomically
    from .content.schema import schema_text

    text = schema_text()
    target = Path(args.out) if args.out else _root() / "schema" / "report.schema.json"
    if args.check:
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            print(f"{shown(target)} 已过期：请运行 make schema 并提交。")
            return EXIT_CONTENT
        print(f"{shown(target)} 与模型一致。")
        return EXIT_OK
    write_atomically(text.encode("utf-8"), target)
    print(f"已生成 {shown(target)}")
    return EXIT_OK


# ---------------------------------------------------------------- summary


def summary_args(p) -> None:
    p.add_argument("--year", type=_year, metavar="年度", help="年度，四位数字，如 2022（默认：content/ 下最新的年度）")
    p.add_argument("--content", default=None, metavar="文件夹", help="内容文件夹（默认：项目根目录下的 content）")
    p.add_argument("--template", default=None, metavar="模板", help="Word 模板（默认：templates/report.docx，取其样式和页面）")
    output_args(p)
    p.add_argument("--region", default=None, metavar="地区", help="汇总的地区名称，印在标题中，如 重庆市璧山区（默认取 content/district.yaml 的 region，再取各部门全称共同的开头）")
    p.add_argument("--pdf", action="store_true", help="同时用 LibreOffice 生成 汇总.pdf（汇总说明）和 汇总表.pdf（汇总表），字体与报告相同（make pdf 使用）")


def run_summary(args) -> int:
    from .commands import summary

    if getattr(args, "pdf", False):
        from .output.pdf import INSTALL_HINT, soffice

        if soffice() is None:
            raise SetupError(INSTALL_HINT)

    content = _content(args)
    args.year, args.content, args.out, args.template = year_of(args, content), str(content), str(_out(args)), str(_template(args))
    return summary.run(args)


# ---------------------------------------------------------------- the table of commands


@dataclass(frozen=True)
class Command:
    name: str
    help: str  # one line, for the list of commands
    description: str  # the command's own -h
    arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


COMMANDS = [
    Command("check", "校验内容并计算得分（不写文件）", "校验某年度全部内容文件（或列出的文件），列出所有错误和警告（文件:行:列），并给出总分和等级。", check_args, run_check),
    Command("report", "生成 Word 报告 build/<年度>/<部门>.docx", "校验、评分并生成公文格式的 Word 报告；有任何错误则不生成，原有报告保持不变。", writing_args, run_report),
    Command("review", "生成报告及 Markdown 审阅稿 build/<年度>/<部门>.md", "生成 Word 报告，并用 pandoc 转成 Markdown（每段一行，表1为表格），便于审阅和比较。", writing_args, run_review),
    Command("pdf", "生成报告和自评表的 PDF build/<年度>/<部门>.pdf、<部门>-自评表.pdf（需要 LibreOffice）", "生成 Word 报告和自评表（.xlsx），再用 LibreOffice 一次转换为 PDF，字体用项目的 fontconfig（公文字体的开源替代）。汇总的 PDF 由 summary --pdf 生成（make pdf 两者都做）。", writing_args, run_pdf),
    Command("fonts", "取得 PDF 用的开源字体（Fandol）到 .fonts/", "用系统的软件包管理器下载 texlive-lang-chinese（apt-get download，不安装），只取出 Fandol 仿宋、宋体、黑体、楷体字体文件放到本项目的 .fonts/ 文件夹；make pdf 用它们代替公文字体。", lambda p: None, run_fonts),
    Command("form", "生成自评表 build/<年度>/<部门>-自评表.xlsx", "由同一份内容生成自评表（Excel），数字为数值格式，与报告附件一致。", lambda p: (content_args(p), output_args(p)), run_form),
    Command("summary", "生成全部部门的汇总 build/<年度>/汇总.xlsx 和 汇总.docx", "汇总某年度全部部门的总分、等级、预算执行率、得分最低的指标和人工改分，生成汇总表（Excel，含图表）和公文格式的汇总说明（Word，含图）；任何部门有错误则一个文件也不写。", summary_args, run_summary),
    Command("diff", "比较两个 git 版本的内容对报告的影响（不写文件）", "在内存中分别生成两个版本的报告（不改动工作区和 build/），列出数字、得分、等级和段落的变化。", diff_args, run_diff),
    Command("new-year", "由上一年度内容生成新年度的内容文件", "复制稳定部分（部门、内设机构、编制、职能、指标及权重和指标值），清空当年数字和文字；不覆盖已有文件。", new_year_args, run_new_year),
    Command("new-dept", "为新部门生成内容文件（全部键齐全，待填写处留空）", "生成 content/<部门>/<年度>.yaml：只填年度和部门全称，其余留空，make check 会逐项列出待填写处；不沿用其他部门的内容，不覆盖已有文件。", new_dept_args, run_new_dept),
    Command("import", "把上一年度的 Word 报告导入为内容文件草稿", "读取 Word/WPS 报告（.docx；.doc、.wps、.odt 经 LibreOffice 转换），写出 content/<部门>/<年度>.yaml 草稿：未能放入的段落作为注释保留，原文的得分等与计算结果不符处逐条列出。不覆盖已有文件。", import_args, run_import),
    Command("preview", "在浏览器中预览报告，保存内容文件后自动更新", "启动本机预览服务器：页面显示报告及其问题，内容文件或模板保存后自动更新；只读，默认只允许本机访问。按 Ctrl-C 停止。", preview_args, run_preview),
    Command("schema", "由模型生成 JSON Schema（供编辑器提示）", "由内容模型生成 schema/report.schema.json，编辑器据此补全和检查内容文件。", schema_args, run_schema),
    Command("text", "把 .docx 转成文本（供 git diff 使用）", "把 .docx 转成 Markdown 文本，供 git diff 显示报告的文字变化（make git-setup）。", text_args, run_text),
]


def parser() -> ChineseParser:
    top = ChineseParser(
        prog="perfreport",
        description="部门整体支出绩效自评报告：校验内容、计算得分、生成公文格式的 Word 报告、自评表和 PDF。",
        epilog="退出码：0 完成，1 内容有错误，2 用法或环境问题，3 程序缺陷。各命令的说明：perfreport <命令> -h",
    )
    sub = top.add_subparsers(dest="command", required=True, metavar="命令", title="命令")
    for command in COMMANDS:
        p = sub.add_parser(command.name, help=command.help, description=command.description)
        command.arguments(p)
        p.set_defaults(func=command.run)
    return top


def main(argv: list[str] | None = None) -> int:
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:  # -h (0) or a usage error (2), already printed: a code, as for every command
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    try:
        return args.func(args)
    except ContentError as exc:
        print_problems(exc.problems, sys.stderr)
        print(str(exc), file=sys.stderr)
        return exc.exit_code
    except UserError as exc:
        print(str(exc), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into head/less that closed early
        sys.stderr = open(os.devnull, "w")
        return EXIT_OK
    except OSError as exc:  # the machine, not the program: a path and its cause
        where = shown(exc.filename) if exc.filename is not None else "文件系统"
        print(f"{where}: {cause(exc)}", file=sys.stderr)
        if os.environ.get("PERFREPORT_DEBUG"):
            raise
        return EXIT_USAGE
    except ModuleNotFoundError as exc:
        if (exc.name or "").partition(".")[0] == __package__:  # a module of this program: a defect
            print(f"内部错误（{type(exc).__name__}：{exc}）。这是程序的缺陷，请把此信息和内容文件报告给维护者。", file=sys.stderr)
            return EXIT_DEFECT
        # a dependency missing: the command was run with a Python other than the project's .venv
        print(f"缺少依赖的软件包“{exc.name}”：请用项目的 Python 运行（.venv/bin/python -m pipeline …，或先 "
              "source .venv/bin/activate）；还没有 .venv 时先运行一次 make report（自动创建 .venv 并安装依赖）。", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # the edge: never a traceback in front of a user
        print(f"内部错误（{type(exc).__name__}：{exc}）。这是程序的缺陷，请把此信息和内容文件报告给维护者。", file=sys.stderr)
        if os.environ.get("PERFREPORT_DEBUG"):
            raise
        return EXIT_DEFECT


if __name__ == "__main__":
    sys.exit(main())
