"""Every department through the recipe's check (``build.check``: load → validate → score), its
previous year's file too where one exists, then the rules; each hit placed at its file's line.

Departments run on every core (a process pool as ``batch`` uses; a worker returns only the
findings, small values). A department whose file has errors is not audited: its errors are
returned, as ``check`` would list them. A previous year's file with errors is not compared (the
rules that need it say nothing) and the department's ``previous_note`` says so.
"""

from __future__ import annotations

from pathlib import Path

from ... import build
from ...content.validate import locate
from ...problems import errors as errors_of
from .findings import Audited, Finding, Hit
from .rules import Facts, run_rules

MAX_CHUNK = 4


def place(hits: list[Hit], checked: build.Checked, dept: str, shown: str) -> list[Finding]:
    name = checked.report.department.name
    out = []
    for hit in hits:
        line = locate(checked.tree, hit.loc, key=hit.at_key)[0] if checked.tree is not None and hit.loc else 0
        section = hit.loc[0] if hit.loc and isinstance(hit.loc[0], str) else None
        out.append(Finding(dept, name, hit.rule, hit.message, hit.figures, shown, line, section))
    return out


def audit_checked(checked: build.Checked, dept: str, shown: str, previous: build.Checked | None = None) -> list[Finding]:
    """The findings of one department already checked (preview uses this with its own check)."""
    before = previous.report if previous is not None and previous.ok else None
    return place(run_rules(Facts(checked.report, checked.scores, before)), checked, dept, shown)


def audit_file(path: Path, shown: str) -> Audited:
    """One department: its findings, or the errors of its file."""
    path = Path(path)
    checked, previous = build.check_with_previous(path, shown)  # each file read once
    dept = path.parent.name
    name = checked.report.department.name if checked.report is not None else dept
    result = Audited(dept, name, shown, checked.report.year if checked.report is not None else None)
    if not checked.ok:
        result.errors = errors_of(checked.problems)
        return result
    result.date = build.report_date(checked.report)  # None for a form-only file
    if previous is not None:
        before_shown = str(Path(shown).with_name(Path(previous.path).name))
        if previous.ok:
            result.previous = before_shown
        else:
            result.previous_note = f"{before_shown} 有错误，未与上一年度比较（运行 make check YEAR={Path(previous.path).stem} 查看）"
    result.findings = audit_checked(checked, dept, shown, previous)
    return result


def _audit_chunk(items: list[tuple[Path, str]]) -> list[Audited]:
    return [audit_file(path, shown) for path, shown in items]


def in_parallel(fn, items: list, workers: int | None = None) -> list:
    """``fn`` over chunks of ``items`` on every core (one process when few or one core), results
    in ``items``' order; ``fn`` takes a chunk (a list) and returns a list."""
    from ... import batch

    total = len(items)
    workers = batch.workers_for(total) if workers is None else max(1, workers)
    if workers == 1:
        return fn(items) if items else []
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    size = max(1, min(MAX_CHUNK, total // (workers * 8)))
    chunks = [items[i : i + size] for i in range(0, total, size)]
    with ProcessPoolExecutor(max_workers=min(workers, len(chunks)), mp_context=multiprocessing.get_context()) as pool:
        return [result for done in pool.map(fn, chunks) for result in done]


def gather(files: list[Path], shown: list[str], workers: int | None = None) -> list[Audited]:
    """Every department audited, in file order."""
    return in_parallel(_audit_chunk, list(zip(files, shown)), workers)
