"""perfreport check (make check): every problem of the year's content files (or of the files
named), located as file:line:col, then one line per report: department, total, grade."""

from __future__ import annotations

from pathlib import Path

from ..errors import EXIT_CONTENT, EXIT_OK, shown
from ..problems import errors, warnings
from . import Command
from . import options


def _summary(checked) -> str:
    """One line per report: department, total, grade (or why there is none)."""
    from ..content.wording import num

    where = shown(checked.path)
    if checked.ok:
        r, s = checked.report, checked.scores
        return f"{r.department.name} {r.year}年度：总分 {num(s.total)} 分，等级“{s.grade}”（{where}）"
    n = len(errors(checked.problems))
    if checked.report is None:
        return f"{where}：有 {n} 个错误，未计算总分"
    return f"{checked.report.department.name}：有 {n} 个错误，未计算总分（{where}）"


def _brief(checked) -> str:
    """check --brief: one line per department with its counts, total and grade."""
    from ..content.wording import num

    where = shown(checked.path)
    counts = f"{len(errors(checked.problems))} 个错误，{len(warnings(checked.problems))} 个警告"
    if checked.ok:
        r, s = checked.report, checked.scores
        return f"{r.department.name}：{counts}，总分 {num(s.total)} 分，等级“{s.grade}”（{where}）"
    name = checked.report.department.name if checked.report is not None else checked.typed_name or checked.path.parent.name
    return f"{name}：{counts}，未计算总分（{where}）"


def arguments(p) -> None:
    p.add_argument("files", nargs="*", metavar="文件", help="要检查的内容文件（不给则检查该年度全部部门）")
    options.content_args(p)
    p.add_argument("--strict", action="store_true", help="警告也按错误处理（退出码 1）")
    p.add_argument("--brief", action="store_true", help="简要：只列错误（不列警告），每个部门一行：错误数、警告数、总分、等级")


def run(args) -> int:
    from .. import build
    from ..content import district

    files = [Path(f) for f in args.files] if args.files else options.files_of(args)[1]
    # content/district.yaml (optional, no department): checked with the year, or when named
    settings = [f.parent for f in files if f.name == district.FILE] if args.files else [options.content(args)]
    files = [f for f in files if f.name != district.FILE]
    settings_problems = [p for folder in settings for p in district.read(folder)[1]]
    options.print_problems(settings_problems)
    results = [build.check(path, shown(path)) for path in files]
    n_errors = sum(len(errors(c.problems)) for c in results) + len(settings_problems)
    n_warnings = sum(len(warnings(c.problems)) for c in results)
    failing = n_errors or (args.strict and n_warnings)
    if args.brief:
        for checked in results:
            options.print_problems(sorted(errors(checked.problems), key=lambda p: (p.path, p.line, p.col)))
        for checked in results:
            print(_brief(checked))
        return EXIT_CONTENT if failing else EXIT_OK
    for checked in results:
        if checked.form_only:  # said once, above the file's problems
            print(f"{shown(checked.path)}：只有自评表的内容文件（没有报告正文）：可生成自评表（make form），生成报告还须补写正文。")
        options.print_problems(sorted(checked.problems, key=lambda p: (p.path, p.line, p.col)))
    if args.strict and n_warnings and not n_errors:
        print("--strict：警告按错误处理。")
    print(f"检查了 {len(files)} 个文件：{n_errors} 个错误，{n_warnings} 个警告。")
    for checked in results:
        print(_summary(checked))
    return EXIT_CONTENT if failing else EXIT_OK


COMMAND = Command(
    "check", "校验内容并计算得分（不写文件）",
    "校验某年度全部内容文件（或列出的文件），列出所有错误和警告（文件:行:列），并给出总分和等级。",
    arguments, run, order=10,
)
