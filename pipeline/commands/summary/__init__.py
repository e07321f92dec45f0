"""make summary: every department's result of one year in 汇总.xlsx and 汇总.docx.

The flow inside, one way only: ``command`` runs the recipe for every department at once
(``batch.build_all``, kind "figures": the model and scores, nothing rendered) and hands each
department's model and scores to ``figures``, which holds the summary's data types (``Line``,
``Department``, ``District``) and derives them; the writers read those types and nothing else:
``sheet`` writes 汇总.xlsx, ``chart`` draws the picture, ``doc`` writes 汇总.docx with it.
``command`` writes both files or neither. The writers import ``figures``; ``figures`` imports no
writer and not ``command``. The command's arguments are here; its work is imported when it runs.
"""

from __future__ import annotations

from .. import Command, options


def arguments(p) -> None:
    p.add_argument("--year", type=options.year, metavar="年度", help="年度，四位数字，如 2022（默认：content/ 下最新的年度）")
    p.add_argument("--content", default=None, metavar="文件夹", help="内容文件夹（默认：项目根目录下的 content）")
    p.add_argument("--template", default=None, metavar="模板", help="Word 模板（默认：templates/report.docx，取其样式和页面）")
    options.output_args(p)
    p.add_argument("--region", default=None, metavar="地区", help="汇总的地区名称，印在标题中，如 重庆市璧山区（默认取 content/district.yaml 的 region，再取各部门全称共同的开头）")
    p.add_argument("--pdf", action="store_true", help="同时用 LibreOffice 生成 汇总.pdf（汇总说明）和 汇总表.pdf（汇总表），字体与报告相同（make pdf 使用）")
    options.all_or_nothing_args(p)


def run(args) -> int:
    from . import command  # the recipe and the writers: imported only when the summary is made

    if getattr(args, "pdf", False):
        from ...errors import SetupError
        from ...output.pdf import INSTALL_HINT, soffice

        if soffice() is None:
            raise SetupError(INSTALL_HINT)

    folder = options.content(args)
    args.year, args.content, args.out, args.template = options.year_of(args, folder), str(folder), str(options.out(args)), str(options.template(args))
    return command.run(args)


COMMAND = Command(
    "summary", "生成全部部门的汇总 build/<年度>/汇总.xlsx 和 汇总.docx",
    "汇总某年度全部部门的总分、等级、预算执行率、得分最低的指标和人工改分，生成汇总表（Excel，含图表）和公文格式的汇总说明（Word，含图）；有错误的部门列为“未完成”（汇总照常生成，退出码 1）；--all-or-nothing 时任何部门有错误则一个文件也不写。",
    arguments, run, order=70,
)
