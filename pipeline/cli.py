"""命令行：perfreport check | report | schema。The only place that prints."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import build
from .compose import num
from .problems import Severity
from .savefile import write_atomically
from .schema import schema_text

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _shown(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def _files(args) -> list[Path] | None:
    files = build.content_files(Path(args.content), args.year, args.dept)
    if not files:
        where = f"{args.content}/{args.dept or '<部门>'}/{args.year}.yaml"
        print(f"没有找到 {args.year} 年度的内容文件（{where}）。", file=sys.stderr)
        return None
    return files


def _print_problems(checked: build.Checked) -> None:
    for p in sorted(checked.problems, key=lambda p: (p.path, p.line, p.col)):
        print(p)


def _summary(checked: build.Checked) -> str:
    """One line per report: department, total, grade (or why there is none)."""
    where = _shown(checked.path)
    if checked.ok:
        r, s = checked.report, checked.scores
        return f"{r.department.name} {r.year}年度：总分 {num(s.total)} 分，等级“{s.grade}”（{where}）"
    n = sum(p.severity is Severity.error for p in checked.problems)
    if checked.report is None:
        return f"{where}：有 {n} 个错误，未计算总分"
    return f"{checked.report.department.name}：有 {n} 个错误，未计算总分（{where}）"


def cmd_check(args) -> int:
    if args.files:
        files = [Path(f) for f in args.files]
    elif args.year is None:
        print("请指定 --year 年度，或列出要检查的文件。", file=sys.stderr)
        return EXIT_USAGE
    else:
        files = _files(args)
    if files is None:
        return EXIT_USAGE
    results = [build.check_file(path, _shown(path)) for path in files]
    for checked in results:
        _print_problems(checked)
    errors = sum(p.severity is Severity.error for c in results for p in c.problems)
    warnings = sum(p.severity is Severity.warning for c in results for p in c.problems)
    if args.strict and warnings and not errors:
        print("--strict：警告按错误处理。")
    print(f"检查了 {len(files)} 个文件：{errors} 个错误，{warnings} 个警告。")
    for checked in results:
        print(_summary(checked))
    return EXIT_PROBLEMS if errors or (args.strict and warnings) else EXIT_OK


def _report(args) -> tuple[int, list[Path]]:
    """Build and write the year's reports: (exit code, the .docx written)."""
    files = _files(args)
    if files is None:
        return EXIT_USAGE, []
    template = Path(args.template)
    if not template.is_file():
        print(f"{args.template}: 找不到模板文件", file=sys.stderr)
        return EXIT_USAGE, []
    from . import batch  # many departments: on every core (pipeline/batch.py)

    with batch.TerminalProgress(sys.stderr) as progress:
        result = batch.build_all(files, [_shown(path) for path in files], template, args.level3, progress=progress)
    errors = result.errors
    if errors:
        for p in errors:
            print(p, file=sys.stderr)
        print("有错误，未生成任何报告（原有报告保持不变）。", file=sys.stderr)
        return EXIT_PROBLEMS, []
    written = []
    for outcome in result.outcomes:
        target = build.output_path(Path(args.out), args.year, outcome.path)
        write_atomically(outcome.data, target)
        print(f"已生成 {_shown(target)}")
        written.append(target)
    return EXIT_OK, written


def cmd_report(args) -> int:
    return _report(args)[0]


def cmd_review(args) -> int:
    from .text import markdown

    code, built = _report(args)
    if code != EXIT_OK:
        return code
    for docx in built:
        target = docx.with_suffix(".md")
        write_atomically(markdown(docx).encode("utf-8"), target)
        print(f"已生成 {_shown(target)}")
    return EXIT_OK


def cmd_pdf(args) -> int:
    from .pdf import INSTALL_HINT, soffice, to_pdf

    if soffice() is None:
        print(INSTALL_HINT, file=sys.stderr)
        return EXIT_USAGE
    code, built = _report(args)
    if code != EXIT_OK:
        return code
    done, problems = to_pdf(built, built[0].parent)
    for p in problems:
        print(p, file=sys.stderr)
    for target in done:
        print(f"已生成 {_shown(target)}")
    return EXIT_PROBLEMS if problems else EXIT_OK


def cmd_diff(args) -> int:
    from .diff import DiffError, diff, lines, repo_root

    try:
        root = repo_root(Path.cwd())
        changes, problems = diff(root, Path(args.content), args.year, args.rev_from, args.rev_to, Path(args.template))
    except DiffError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_USAGE
    for p in problems:
        print(p, file=sys.stderr)
    for line in lines(changes, args.rev_from, args.rev_to):
        print(line)
    return EXIT_PROBLEMS if problems else EXIT_OK


def cmd_new_year(args) -> int:
    from .newyear import start_year

    sources = build.content_files(Path(args.content), args.source_year, args.dept)
    if not sources:
        print(f"没有找到 {args.source_year} 年度的内容文件（{args.content}/{args.dept or '<部门>'}/{args.source_year}.yaml）。", file=sys.stderr)
        return EXIT_USAGE
    failed = False
    for source in sources:
        target = source.with_name(f"{args.target_year}.yaml")
        problems = start_year(source, target, args.target_year)
        for p in problems:
            print(p, file=sys.stderr)
        if problems:
            failed = True
        else:
            print(f"已生成 {_shown(target)}：请填写其中留空的项，make check YEAR={args.target_year} 会逐项列出。")
    return EXIT_PROBLEMS if failed else EXIT_OK


def cmd_form(args) -> int:
    from .form import form
    from .sheet import workbook

    files = _files(args)
    if files is None:
        return EXIT_USAGE
    checked = [build.check_file(path, _shown(path)) for path in files]
    errors = [p for c in checked for p in c.problems if p.severity is Severity.error]
    for p in errors:
        print(p, file=sys.stderr)
    if errors or not all(c.ok for c in checked):
        print("有错误，未生成任何自评表（原有文件保持不变）。", file=sys.stderr)
        return EXIT_PROBLEMS
    for c in checked:
        target = Path(args.out) / str(args.year) / f"{c.path.parent.name}-自评表.xlsx"
        write_atomically(workbook(form(c.report, c.scores), build.report_date(c.report)), target)
        print(f"已生成 {_shown(target)}")
    return EXIT_OK


def cmd_summary(args) -> int:
    from .summary import run

    return run(args)


def cmd_text(args) -> int:
    """For git's textconv: a .docx as Markdown text."""
    from .text import markdown

    sys.stdout.write(markdown(Path(args.file)))
    return EXIT_OK


def cmd_schema(args) -> int:
    text = schema_text()
    target = Path(args.out)
    if args.check:
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            print(f"{args.out} 已过期：请运行 make schema 并提交。")
            return EXIT_PROBLEMS
        print(f"{args.out} 与模型一致。")
        return EXIT_OK
    write_atomically(text.encode("utf-8"), target)
    print(f"已生成 {args.out}")
    return EXIT_OK


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="perfreport", description="部门整体支出绩效自评报告：校验内容、计算得分、生成公文格式 Word 报告。")
    sub = top.add_subparsers(dest="command", required=True, metavar="命令")

    def year_args(p):
        p.add_argument("--year", type=int, required=True, help="年度，如 2022")
        p.add_argument("--dept", help="只处理一个部门（content/ 下的目录名），默认全部")
        p.add_argument("--content", default="content", help="内容目录（默认 content）")

    p = sub.add_parser("check", help="校验某年度全部内容文件并计算得分", description="校验某年度全部内容文件（或列出的文件），列出所有错误和警告（文件:行:列），并给出总分和等级。")
    p.add_argument("files", nargs="*", help="要检查的内容文件（不给则按 --year 检查全部部门）")
    p.add_argument("--year", type=int, help="年度，如 2022")
    p.add_argument("--dept", help="只处理一个部门（content/ 下的目录名），默认全部")
    p.add_argument("--content", default="content", help="内容目录（默认 content）")
    p.add_argument("--strict", action="store_true", help="警告也按错误处理（退出码 1）")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("report", help="生成 Word 报告 build/<年度>/<部门>.docx", description="校验、评分并生成公文格式的 Word 报告；有任何错误则不生成，原有报告保持不变。")
    year_args(p)
    p.add_argument("--template", default=str(build.DEFAULT_TEMPLATE), help="Word 模板（默认 templates/report.docx）")
    p.add_argument("--out", default="build", help="输出目录（默认 build）")
    p.add_argument("--level3", choices=["、", "."], default="、", help="三级标题编号后的符号：“1、”（默认）或 GB/T 9704 的“1.”")
    p.set_defaults(func=cmd_report)

    def build_args(p):
        year_args(p)
        p.add_argument("--template", default=str(build.DEFAULT_TEMPLATE), help="Word 模板（默认 templates/report.docx）")
        p.add_argument("--out", default="build", help="输出目录（默认 build）")
        p.add_argument("--level3", choices=["、", "."], default="、", help="三级标题编号后的符号")

    p = sub.add_parser("review", help="生成报告的 Markdown 审阅稿 build/<年度>/<部门>.md", description="先生成 Word 报告，再用 pandoc 转成 Markdown（每段一行，表1为表格），便于审阅和比较。")
    build_args(p)
    p.set_defaults(func=cmd_review)

    p = sub.add_parser("pdf", help="生成 PDF build/<年度>/<部门>.pdf（需要 LibreOffice）", description="先生成 Word 报告，再用 LibreOffice 一次转换全部部门的 PDF。")
    build_args(p)
    p.set_defaults(func=cmd_pdf)

    p = sub.add_parser("diff", help="比较两个 git 版本的内容对报告的影响", description="在内存中分别生成两个版本的报告（不改动工作区和 build/），列出数字、得分、等级和段落的变化。")
    year_args(p)
    p.add_argument("--from", dest="rev_from", required=True, help="原版本（提交号、分支、标签、HEAD~1 等）")
    p.add_argument("--to", dest="rev_to", default=None, help="新版本（默认：当前工作区）")
    p.add_argument("--template", default=str(build.DEFAULT_TEMPLATE), help="Word 模板")
    p.set_defaults(func=cmd_diff)

    p = sub.add_parser("new-year", help="由上一年度内容生成新年度的内容文件", description="复制稳定部分（部门、内设机构、编制、职能、指标及权重和指标值），清空当年数字和文字；不覆盖已有文件。")
    p.add_argument("--from", dest="source_year", type=int, required=True, help="上一年度，如 2022")
    p.add_argument("--to", dest="target_year", type=int, required=True, help="新年度，如 2023")
    p.add_argument("--dept", help="只处理一个部门，默认全部")
    p.add_argument("--content", default="content", help="内容目录（默认 content）")
    p.set_defaults(func=cmd_new_year)

    p = sub.add_parser("form", help="生成自评表 build/<年度>/<部门>-自评表.xlsx", description="由同一份内容生成自评表（Excel），数字为数值格式，与报告附件一致。")
    year_args(p)
    p.add_argument("--out", default="build", help="输出目录（默认 build）")
    p.set_defaults(func=cmd_form)

    p = sub.add_parser("summary", help="生成全部部门的汇总 build/<年度>/汇总.xlsx 和 汇总.docx", description="汇总某年度全部部门的总分、等级、预算执行率、得分最低的指标和人工改分，生成汇总表（Excel，含图表）和公文格式的汇总说明（Word，含图）；任何部门有错误则一个文件也不写。")
    p.add_argument("--year", type=int, required=True, help="年度，如 2022")
    p.add_argument("--content", default="content", help="内容目录（默认 content）")
    p.add_argument("--template", default=str(build.DEFAULT_TEMPLATE), help="Word 模板（默认 templates/report.docx，取其样式和页面）")
    p.add_argument("--out", default="build", help="输出目录（默认 build）")
    p.add_argument("--region", help="汇总的地区名称，印在标题中，如 重庆市璧山区（默认取各部门全称共同的开头，到“区”“县”“市”为止）")
    p.set_defaults(func=cmd_summary)

    p = sub.add_parser("text", help="把 .docx 转成文本（供 git diff 使用）")
    p.add_argument("file", help=".docx 文件")
    p.set_defaults(func=cmd_text)

    p = sub.add_parser("schema", help="由模型生成 JSON Schema（供编辑器提示）")
    p.add_argument("--out", default="schema/report.schema.json", help="输出文件")
    p.add_argument("--check", action="store_true", help="只检查已提交的 schema 是否过期")
    p.set_defaults(func=cmd_schema)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into head/less that closed early
        sys.stderr = open(os.devnull, "w")
        return EXIT_OK
    except Exception as exc:  # the edge: never a traceback in front of a user
        print(f"内部错误（{type(exc).__name__}：{exc}）。这是程序的缺陷，请把此信息和内容文件报告给维护者。", file=sys.stderr)
        if os.environ.get("PERFREPORT_DEBUG"):
            raise
        return 3


if __name__ == "__main__":
    sys.exit(main())
