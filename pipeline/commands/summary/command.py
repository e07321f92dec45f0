"""perfreport summary --year 2022 (make summary YEAR=2022): 汇总.xlsx and 汇总.docx, or nothing.

The figures come from the recipe itself, run for every department at once by ``batch.build_all``
(all cores). A department whose content has errors is not counted: it is listed as 未完成 (its
error count and first error) on a sheet and in a table of its own, and the command exits 1 after
writing; ``--all-or-nothing`` writes nothing instead. Then ``sheet`` writes 汇总.xlsx and ``doc`` 汇总.docx (with
``chart``'s picture); both are made in memory first and written only when both exist, each
atomically, so an error leaves the previous summary as it was.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ... import build
from ...errors import EXIT_CONTENT, EXIT_OK, EXIT_USAGE, SetupError, shown
from ...content.wording import percent
from ...paths import SUMMARY
from .figures import GRADE_NAMES, District, Incomplete, audit_counts, department, district

XLSX_NAME, DOCX_NAME = f"{SUMMARY}.xlsx", f"{SUMMARY}.docx"
# Printed (make pdf): the summary document as 汇总.pdf, the workbook as 汇总表.pdf.
PDF_NAMES = {DOCX_NAME: f"{SUMMARY}.pdf", XLSX_NAME: f"{SUMMARY}表.pdf"}


# ---------------------------------------------------------------- the command


def gather(files: list[Path], template: Path, progress=None, area: str | None = None, all_or_nothing: bool = False):
    """Every department checked in parallel: (District, every located error). The district holds
    the departments without errors, the others as ``incomplete``; it is None when no department
    is complete (or, with ``all_or_nothing``, when any has an error)."""
    from ... import batch
    from ...problems import Severity, first

    result = batch.build_all(
        files, [shown(p) for p in files], template, kinds=("figures", "previous"), template_data=b"", progress=progress,
        all_or_nothing=all_or_nothing,
    )
    errors = result.errors
    complete = [o for o in result.outcomes if not o.errors]
    if not complete or (errors and all_or_nothing):
        return None, errors
    departments = []
    for outcome in complete:
        c = outcome.checked
        warnings = sum(p.severity is Severity.warning for p in c.problems)
        before = outcome.previous.report if outcome.previous is not None else None
        departments.append(department(outcome.path.parent.name, c.report, c.scores, warnings, audit_counts(c.report, c.scores, before)))
    incomplete = [Incomplete(o.dept, o.label, len(o.errors), first(o.errors)) for o in result.outcomes if o.errors]
    return district(complete[0].checked.report.year, departments, area, incomplete), errors


def same_names(summary: District) -> list[str]:
    """A warning for each 全称 that two content folders share (a department imported twice, a
    folder copied and not renamed): the summary would list it twice."""
    folders: dict[str, list[str]] = {}
    for d in summary.departments:
        folders.setdefault(d.name, []).append(d.key)
    return [
        f"警告：{len(keys)} 个内容文件夹的部门全称都是“{name}”（{'、'.join(sorted(keys))}），汇总中将出现 {len(keys)} 行：请核对是否重复"
        for name, keys in folders.items()
        if len(keys) > 1
    ]


def printed(files: dict[Path, bytes]) -> dict[str, bytes]:
    """The summary's files as PDFs (PDF_NAMES), in one LibreOffice call with the report's fonts
    and fixes (pdf.to_pdf); raises SetupError when LibreOffice fails."""
    import os
    import tempfile

    from ...errors import SetupError
    from ...output.pdf import SCRATCH_PREFIX, to_pdf

    with tempfile.TemporaryDirectory(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-summary-") as scratch:
        sources = []
        for target, data in files.items():
            source = Path(scratch) / PDF_NAMES[target.name].replace(".pdf", target.suffix)
            source.write_bytes(data)
            sources.append(source)
        done, problems = to_pdf(sources, Path(scratch) / "pdf")
        if problems:
            raise SetupError("\n".join(p.message for p in problems))
        return {pdf.name: pdf.read_bytes() for pdf in done}


def run(args) -> int:
    """make summary YEAR=…: 汇总.xlsx and 汇总.docx of every department of the year, or nothing;
    with ``--pdf`` also 汇总.pdf and 汇总表.pdf."""
    from ... import batch
    from ...output.savefile import write_all
    from .chart import ChartError, chart_png
    from .doc import document
    from .sheet import workbook

    from ...paths import content_files, draft_note, drafts

    files = content_files(Path(args.content), args.year)
    for draft in drafts(Path(args.content), args.year):
        print(draft_note(draft, args.year))
    if not files:
        print(f"没有找到 {args.year} 年度的内容文件（{args.content}/<部门>/{args.year}.yaml）。", file=sys.stderr)
        return EXIT_USAGE
    template = Path(args.template)
    try:
        build.read_template(template)  # a FIFO or a device is named as such, not as "missing"
    except SetupError as exc:
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    from ...content import district as settings_file

    settings, settings_errors = settings_file.read(Path(args.content))  # content/district.yaml, optional
    if settings_errors:
        for p in settings_errors:
            print(p, file=sys.stderr)
        print("content/district.yaml 有错误，未生成汇总（原有汇总文件保持不变）。", file=sys.stderr)
        return EXIT_CONTENT
    area = getattr(args, "region", None) or (settings.region if settings else None)
    strict = getattr(args, "all_or_nothing", False)
    with batch.TerminalProgress(sys.stderr, label="正在汇总") as progress:
        summary, errors = gather(files, template, progress, area, strict)
    for p in errors:
        print(p, file=sys.stderr)
    if summary is None:
        why = "有错误" if strict else "没有一个部门的内容完整"
        print(f"{why}，未生成汇总（原有汇总文件保持不变）。", file=sys.stderr)
        return EXIT_CONTENT
    try:
        picture = chart_png(summary)
    except ChartError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_USAGE
    sheet = workbook(summary)
    # 落款: the bureau and date of content/district.yaml; without it the region and the latest
    # date of the departments' content (never a name nobody typed).
    signature = (settings.bureau, settings.date or summary.date) if settings else None
    doc, problems = document(summary, picture, template, signature=signature)
    if doc is None:
        for p in problems:
            print(p, file=sys.stderr)
        print("模板有错误，未生成汇总（原有汇总文件保持不变）。", file=sys.stderr)
        return EXIT_CONTENT
    for line in same_names(summary):
        print(line, file=sys.stderr)
    out = Path(args.out) / str(args.year)
    targets = {out / XLSX_NAME: sheet, out / DOCX_NAME: doc}
    if getattr(args, "pdf", False):  # the workbook as Calc prints it, its lines broken (sheet.py)
        to_print = {out / XLSX_NAME: workbook(summary, printing=True), out / DOCX_NAME: doc}
        targets.update({out / name: data for name, data in printed(to_print).items()})
    write_all(targets, inside=Path(args.out))  # all or none, inside build/
    for target in targets:
        print(f"已生成 {shown(target)}")
    g = summary.grades
    print(
        f"{len(summary.departments)} 个部门：" + "，".join(f"{k} {g[k]} 个" for k in GRADE_NAMES)
        + f"；预算执行率（按金额加权）{percent(summary.execution_rate)}。"
    )
    if not summary.incomplete:
        return EXIT_OK
    sys.stdout.flush()
    print(f"{len(summary.incomplete)} 个部门有错误，在汇总中列为“未完成”，未计入统计：", file=sys.stderr)
    for d in summary.incomplete:
        print(f"  {d.name}（{shown(d.first.path)}）：{d.errors} 个错误，第一个：{d.first}", file=sys.stderr)
    print(f"已生成汇总（{len(summary.departments)} 个部门）；{len(summary.incomplete)} 个部门未完成（全部错误见上）。", file=sys.stderr)
    return EXIT_CONTENT
