"""The bureau's review (审核): findings for every department, computed from the content.

    perfreport audit --year 2022 [--dept …]      (make audit YEAR=2022 [DEPT=…])

The flow, one module a step:

    gather   every department through the recipe's check (load → validate → score), on every
             core, with its previous year's file where one exists and is valid
    rules    pure functions over those models → ``Hit`` (what, where in the content, figures);
             findings never change a score
    gather   each hit placed at its file's line → ``Finding`` (department, rule, severity
             需说明/建议/提示, figures, file, line)
    sheet    build/<year>/审核意见.xlsx: one row per finding, counts per department, the rules
    letter   build/<year>/<dept>-审核意见.docx: the bureau's letter to each department with
             findings, official format, 落款 from content/district.yaml when it exists
    command  the CLI's ``run``: all outputs written at once or none

``findings`` holds the data types every other module imports (the summary's finding-count column
and the preview read them too); nothing here imports the summary or the preview.
"""

from __future__ import annotations

from .. import Command, options


def arguments(p) -> None:
    options.content_args(p)
    p.add_argument("--template", default=None, metavar="模板", help="Word 模板（默认：templates/report.docx，取其样式和页面）")
    options.output_args(p)


def run(args) -> int:
    from . import command  # the recipe, the rules and the writers: imported only when the audit runs

    folder = options.content(args)
    args.year, args.content, args.out, args.template = options.year_of(args, folder), str(folder), str(options.out(args)), str(options.template(args))
    return command.run(args)


COMMAND = Command(
    "audit", "审核：各部门的审核意见 build/<年度>/审核意见.xlsx 及审核意见函",
    "按审核规则（得分与事实、人工评分、指标值、文字、资金）逐部门审核内容，与上一年度文件比较，生成审核意见表（Excel，每条意见一行，含文件和行号）"
    "和各部门的审核意见函（Word，公文格式）；审核意见不改变任何得分。--dept 只审核一个部门并逐条列出。",
    arguments, run, order=75,
)
