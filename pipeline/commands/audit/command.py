"""``perfreport audit``: gather, then write 审核意见.xlsx and the letters, all or nothing."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from ... import paths
from ...errors import EXIT_CONTENT, EXIT_OK, EXIT_USAGE, shown
from .findings import Audited

SHEET_NAME = "审核意见.xlsx"
LETTER_SUFFIX = "-审核意见.docx"
FIXED_DATE = dt.date(2000, 1, 1)  # the files' own date when no content gives one (same bytes every run)


def letter_path(out: Path, year: int, dept: str) -> Path:
    return Path(out) / f"{int(year):04d}" / f"{paths.dept(dept)}{LETTER_SUFFIX}"


def letter_date(settings, audited: list[Audited]) -> dt.date | None:
    """The letters' date: the district settings' date, else the latest date the reports give
    (a letter cannot be older than what it reviews); None when no file gives one (form-only)."""
    if settings is not None and settings.date:
        return settings.date
    dates = [a.date for a in audited if a.date is not None]
    return max(dates) if dates else None


def run(args) -> int:
    from ...content import district as district_settings
    from ...output.savefile import contained, write_all
    from .gather import gather, in_parallel

    content = Path(args.content)
    files = paths.content_files(content, args.year, args.dept or None)
    if not files:
        where = f"{args.content}/{args.dept or '<部门>'}/{args.year}.yaml"
        print(f"没有找到 {args.year} 年度的内容文件（{where}）。", file=sys.stderr)
        return EXIT_USAGE
    from ...build import read_template

    template = Path(args.template)
    template_data = read_template(template)  # a missing template is said before any work
    settings, problems = district_settings.read(content)
    audited = gather(files, [shown(p) for p in files])
    errors = problems + [p for a in audited for p in a.errors]
    if errors:
        for p in errors:
            print(p, file=sys.stderr)
        print("有错误，未生成审核意见（原有文件保持不变）：请先改正，make check 可逐项列出。", file=sys.stderr)
        return EXIT_CONTENT
    when = letter_date(settings, audited)
    bureau = settings.bureau if settings is not None else None
    out = Path(args.out)
    targets: dict[Path, bytes] = {}
    # The sheet and the letters, made on every core (the sheet first: it is the longest task);
    # their libraries imported here once, so that forked workers inherit them.
    import docx  # noqa: F401
    import openpyxl  # noqa: F401

    tasks = [] if args.dept else [(out / f"{int(args.year):04d}" / SHEET_NAME, "sheet", (audited, args.year, when or FIXED_DATE, bureau or ""))]
    tasks += [(letter_path(out, args.year, a.dept), "letter", (a, template, bureau, when, "、", template_data)) for a in audited if a.findings]
    for (target, _, _), (data, problems) in zip(tasks, in_parallel(_make, [(kind, inputs) for _, kind, inputs in tasks])):
        if data is None:
            for p in problems:
                print(p, file=sys.stderr)
            print("模板有错误，未生成审核意见（原有文件保持不变）。", file=sys.stderr)
            return EXIT_CONTENT
        targets[target] = data
    stale = [letter_path(out, args.year, a.dept) for a in audited if not a.findings]
    contained(stale, out)  # nothing removed, as nothing written, through a link out of build/
    write_all(targets, inside=out)
    for path in stale:  # a department without findings now: last run's letter would mislead
        path.unlink(missing_ok=True)
    report(audited, targets, bool(args.dept))
    return EXIT_OK


def _make(chunk: list[tuple[str, tuple]]) -> list[tuple[bytes | None, list]]:
    """A worker's share of the outputs: ("sheet", workbook's inputs) or ("letter", document's)."""
    from .letter import document
    from .sheet import workbook

    return [(workbook(*inputs), []) if kind == "sheet" else document(*inputs) for kind, inputs in chunk]


def report(audited: list[Audited], written, each: bool) -> None:
    """What the terminal shows: each department's counts (and, for one department, each finding)."""
    for a in audited:
        if a.previous_note:
            print(f"警告：{a.previous_note}", file=sys.stderr)
        compared = "，已与上一年度比较" if a.previous else ""
        print(f"{a.department}：{a.counts_text}{compared}")
        if each:
            for f in a.findings:
                figures = f"（{f.figures_text}）" if f.figures else ""
                print(f"  {f.where}: [{f.severity.value}] {f.rule.id} {f.message}{figures}")
    for target in written:
        print(f"已生成 {shown(target)}")
    total = sum(len(a.findings) for a in audited)
    print(f"{len(audited)} 个部门，审核意见 {total} 条；审核意见不改变任何得分。")
