"""make import: a department's own material (a Word report, a 自评表 in Word or Excel) → a draft
content file.

The flow inside, one way only: ``wordread`` reads a Word file (.doc/.wps/.odt converted by
LibreOffice) and ``sheetread`` a spreadsheet (.xls/.et converted) into ``types.Block``s —
paragraphs and tables — in body order → ``sections`` cuts them into the report's parts by their
headings (the synonyms in ``headings``) → ``parse`` reads each part's sentences (the reference's
wording, and other units' in ``shapes``) and ``figures`` its tables: a 自评表 found by its labels
in ``formread``, Table 1, the indicators → all into a ``types.Draft`` whose keys are spelt by
``keys`` → ``command`` writes the draft YAML (a form-only file when no narrative was read), every
paragraph and cell not placed kept as a comment beside its likely key, checks and scores it, and
reports each printed figure that differs from the computed one. Every module imports ``types``
(and ``keys``); nothing but this file imports ``command``. The command's arguments are here; the
readers load when an import runs.
"""

from __future__ import annotations

from .. import Command, options


def arguments(p) -> None:
    # The department and year are checked by ``command.usage_problem`` (before anything is read).
    p.add_argument("file", metavar="文件", help="报告或自评表文件（.docx、.xlsx；.doc、.wps、.odt、.xls、.et 经 LibreOffice 转换）")
    p.add_argument("--dept", required=True, metavar="部门", help="部门标识（content/ 下的文件夹名，如 bishan-kjj）")
    p.add_argument("--year", required=True, metavar="年度", help="报告的年度，如 2022")
    p.add_argument("--content", default=None, metavar="文件夹", help="内容文件夹（默认：项目根目录下的 content）")


def run(args) -> int:
    from . import command  # the readers and the recipe: imported only when an import runs

    args.content = options.content(args)
    return command.run(args)


COMMAND = Command(
    "import", "把上一年度的 Word 报告或自评表导入为内容文件草稿",
    "读取 Word/WPS 报告或自评表（.docx、.xlsx；.doc、.wps、.odt、.xls、.et 经 LibreOffice 转换），写出 content/<部门>/<年度>.yaml 草稿"
    "（只有自评表时为只含自评表内容的文件）：未能放入的段落和单元格作为注释保留，原文的得分等与计算结果不符处逐条列出。不覆盖已有文件。",
    arguments, run, order=110,
)
