"""perfreport report, review, pdf, form (make report, review, pdf, form): the recipe for the
departments asked for (``batch.run``: every department on every core, then every output written
at once, all or nothing), each command asking for other kinds of output."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import EXIT_OK, ContentError, SetupError, shown
from . import Command
from . import options


def build_files(args, kinds: tuple[str, ...]) -> list[Path]:
    """The recipe for the departments asked for; every output written, or ContentError."""
    from .. import batch

    template = options.template(args)
    year, files = options.files_of(args)
    job = batch.Job(files, [shown(p) for p in files], year, options.out(args), kinds, template, getattr(args, "level3", "、"))
    label = "正在生成自评表" if kinds == ("form",) else "正在生成报告"
    with batch.TerminalProgress(sys.stderr, label=label) as progress:
        result = batch.run(job, progress)
    if result.errors:
        noun = "自评表" if kinds == ("form",) else "报告"
        raise ContentError(f"有错误，未生成任何{noun}（原有文件保持不变）。", result.errors)
    skipped = [o for o in result.outcomes if o.skipped]
    if skipped and len(skipped) == len(result.outcomes):  # asked only for form-only files: refused, each part located
        raise ContentError("只有自评表的内容文件不能生成报告（可用 make form 生成自评表）；未生成任何报告。", [p for o in skipped for p in o.skipped])
    for o in skipped:  # others were made: say which were not, and what they lack
        print(f"{o.label}：只有自评表，未生成报告（可用 make form 生成自评表；生成报告还须补写 {len(o.skipped)} 部分正文，make report DEPT={o.dept} 逐项列出）", file=sys.stderr)
    for target in result.written:
        print(f"已生成 {shown(target)}")
    for outcome in result.outcomes:  # scores set by hand: one line each, every time
        for note in outcome.notes:
            print(f"{outcome.label}：{note}")
    return result.written


def run_report(args) -> int:
    build_files(args, ("report",))
    return EXIT_OK


def run_review(args) -> int:
    build_files(args, ("report", "review"))
    return EXIT_OK


def run_pdf(args) -> int:
    from ..output.pdf import INSTALL_HINT, soffice

    if soffice() is None:
        raise SetupError(INSTALL_HINT)
    from ..output.fonts import substitutions

    for line in substitutions():  # a 公文 font with no open stand-in: say which and what is used
        print(line, file=sys.stderr)
    build_files(args, ("report", "form", "pdf"))
    return EXIT_OK


def run_form(args) -> int:
    build_files(args, ("form",))
    return EXIT_OK


def form_args(p) -> None:
    options.content_args(p)
    options.output_args(p)


COMMANDS = [
    Command("report", "生成 Word 报告 build/<年度>/<部门>.docx", "校验、评分并生成公文格式的 Word 报告；有任何错误则不生成，原有报告保持不变。", options.writing_args, run_report, order=20),
    Command("review", "生成报告及 Markdown 审阅稿 build/<年度>/<部门>.md", "生成 Word 报告，并用 pandoc 转成 Markdown（每段一行，表1为表格），便于审阅和比较。", options.writing_args, run_review, order=30),
    Command("pdf", "生成报告和自评表的 PDF build/<年度>/<部门>.pdf、<部门>-自评表.pdf（需要 LibreOffice）", "生成 Word 报告和自评表（.xlsx），再用 LibreOffice 一次转换为 PDF，字体用项目的 fontconfig（公文字体的开源替代）。汇总的 PDF 由 summary --pdf 生成（make pdf 两者都做）。", options.writing_args, run_pdf, order=40),
    Command("form", "生成自评表 build/<年度>/<部门>-自评表.xlsx 和 .docx", "由同一份内容生成自评表：Excel（数字为数值格式）和 Word（A4 横向），与报告附件一致；只有自评表的内容文件也可生成。", form_args, run_form, order=60),
]
