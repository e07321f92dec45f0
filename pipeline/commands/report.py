"""perfreport report, review, pdf, form (make report, review, pdf, form): the recipe for the
departments asked for (``batch.run``: every department on every core, then the outputs of every
department without errors written at once), each command asking for other kinds of output. The
departments with errors are listed at the end (name, error count, first error) and the command
exits 1; with --all-or-nothing one error means nothing is written."""

from __future__ import annotations

import sys

from ..errors import EXIT_CONTENT, EXIT_OK, EXIT_SETUP, ContentError, SetupError, shown
from ..problems import first
from . import Command
from . import options


def print_failed(failed, noun: str) -> None:
    """The departments with errors, at the end: name, file, error count, first error located."""
    print(f"{len(failed)} 个部门有错误，未生成{noun}（其原有文件保持不变）：", file=sys.stderr)
    for o in failed:
        print(f"  {o.label}（{shown(o.path)}）：{len(o.errors)} 个错误，第一个：{first(o.errors)}", file=sys.stderr)


def build_files(args, kinds: tuple[str, ...]) -> int:
    """The recipe for the departments asked for: the outputs of each department without errors
    written; those with errors listed at the end (exit 1). With --all-or-nothing: every output
    written, or ContentError and none."""
    from .. import batch

    template = options.template(args)
    year, files = options.files_of(args)
    strict = getattr(args, "all_or_nothing", False)
    job = batch.Job(files, [shown(p) for p in files], year, options.out(args), kinds, template, getattr(args, "level3", "、"), strict)
    noun = "自评表" if kinds == ("form",) else "报告"
    with batch.TerminalProgress(sys.stderr, label=f"正在生成{noun}") as progress, \
            batch.TerminalProgress(sys.stderr, label="LibreOffice 正在转换 PDF", after=0) as pdf_progress:
        result = batch.run(job, progress, pdf_progress)
    if result.errors and strict:
        raise ContentError(f"有错误，未生成任何{noun}（原有文件保持不变）。", result.errors)
    options.print_problems(result.errors, sys.stderr)
    skipped = [o for o in result.outcomes if o.skipped]
    if skipped and len(skipped) == len(result.outcomes):  # asked only for form-only files: refused, each part located
        raise ContentError("只有自评表的内容文件不能生成报告（可用 make form 生成自评表）；未生成任何报告。", [p for o in skipped for p in o.skipped])
    for o in skipped:  # others were made: say which were not, and what they lack
        print(f"{o.label}：只有自评表，未生成报告（可用 make form 生成自评表；生成报告还须补写 {len(o.skipped)} 部分正文，make report DEPT={o.dept} 逐项列出）", file=sys.stderr)
    for target in result.written:
        print(f"已生成 {shown(target)}")
    for outcome in result.outcomes:  # scores set by hand: one line each, every time
        if not outcome.errors:
            for note in outcome.notes:
                print(f"{outcome.label}：{note}")
    sys.stdout.flush()
    if result.unconverted:  # the machine's, not the content's: said last, exit 2
        if result.failed and len(files) > 1:
            print_failed(result.failed, noun)
        print(f"LibreOffice 未能把 {len(result.unconverted)} 个部门的报告转换为 PDF，这些部门的文件未写入（原有文件保持不变）：", file=sys.stderr)
        for o, why in result.unconverted:
            print(f"  {o.label}（{shown(o.path)}）：{why}", file=sys.stderr)
        return EXIT_SETUP
    if not result.failed:
        return EXIT_OK
    if len(files) > 1:
        print_failed(result.failed, noun)
    done = len(files) - len(result.failed) - len(skipped)
    if not done:
        print(f"有错误，未生成任何{noun}（原有文件保持不变）。", file=sys.stderr)
    else:
        print(f"已生成 {done} 个部门的{noun}；{len(result.failed)} 个部门有错误，未生成（全部错误见上，或 make check DEPT=<部门>）。", file=sys.stderr)
    return EXIT_CONTENT


def run_report(args) -> int:
    return build_files(args, ("report",))


def run_review(args) -> int:
    return build_files(args, ("report", "review"))


def run_pdf(args) -> int:
    from ..output.pdf import INSTALL_HINT, soffice

    if soffice() is None:
        raise SetupError(INSTALL_HINT)
    from ..output.fonts import substitutions

    for line in substitutions():  # a 公文 font with no open stand-in: say which and what is used
        print(line, file=sys.stderr)
    return build_files(args, ("report", "form", "pdf"))


def run_form(args) -> int:
    return build_files(args, ("form",))


def form_args(p) -> None:
    options.content_args(p)
    options.output_args(p)
    options.all_or_nothing_args(p)


COMMANDS = [
    Command("report", "生成 Word 报告 build/<年度>/<部门>.docx", "校验、评分并生成公文格式的 Word 报告。各部门互不影响：有错误的部门不生成（原有报告保持不变），最后列出这些部门并以退出码 1 结束；--all-or-nothing 时任何错误都使全部不生成。文件名为 <年度>.draft.yaml 的草稿跳过。", options.writing_args, run_report, order=20),
    Command("review", "生成报告及 Markdown 审阅稿 build/<年度>/<部门>.md", "生成 Word 报告，并用 pandoc 转成 Markdown（每段一行，表1为表格），便于审阅和比较。", options.writing_args, run_review, order=30),
    Command("pdf", "生成报告和自评表的 PDF build/<年度>/<部门>.pdf、<部门>-自评表.pdf（需要 LibreOffice）", "生成 Word 报告和自评表（.xlsx），再用 LibreOffice 一次转换为 PDF，字体用项目的 fontconfig（公文字体的开源替代）。汇总的 PDF 由 summary --pdf 生成（make pdf 两者都做）。", options.writing_args, run_pdf, order=40),
    Command("form", "生成自评表 build/<年度>/<部门>-自评表.xlsx 和 .docx", "由同一份内容生成自评表：Excel（数字为数值格式）和 Word（A4 横向），与报告附件一致；只有自评表的内容文件也可生成。", form_args, run_form, order=60),
]
