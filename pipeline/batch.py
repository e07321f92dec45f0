"""A whole command: the recipe (``build.make``) for many departments on every core, the bytes kept
in memory, then ``run`` writes them (step 6): the outputs of every department without errors at
once, all or nothing, so a department with errors blocks no other (``Job.all_or_nothing``: one
error and nothing is written). build.py never imports this module.

Each department is checked and rendered by the same function (``build.make``) whether it runs here
or in a worker process, so a batch gives the same bytes as building the department alone. Worker
processes pay their imports once (an initializer; with ``fork`` they inherit the parent's) and
get the template's bytes once, read by the parent, so every report of a batch uses the same
template even if the file changes meanwhile. Work goes out in chunks; results come back in any
order and are put back in file order. Only with ``all_or_nothing`` do the workers stop rendering
once one department has an error (nothing will be written); they still check the rest, so every
problem is listed.

Nothing here prints: progress goes to a callback; ``TerminalProgress`` is one the CLI hands its
stderr.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import build, paths
from .build import DEFAULT_TEMPLATE, Outcome
from .errors import SetupError, setup_error, shown
from .problems import Problem

# Fewer departments than this are built in this process: a pool's start-up would cost more than
# it saves. A forked worker starts in milliseconds with the parent's imports; a spawned one
# (Windows, macOS) imports everything again, about half a second.
MIN_PARALLEL_FORK, MIN_PARALLEL_SPAWN = 2, 12
MAX_CHUNK = 4  # departments a worker takes at a time: small, so no core idles long at the end


@dataclass
class Batch:
    outcomes: list[Outcome]

    @property
    def errors(self) -> list[Problem]:
        """Every error in file order, each printed once (a template error is everyone's)."""
        seen, out = set(), []
        for o in self.outcomes:
            for p in o.errors:
                if p not in seen:
                    seen.add(p)
                    out.append(p)
        return out


Progress = Callable[[int, int, str, int], None]  # done, total, last department, errors so far


def build_one(
    path: Path, shown: str, template: Path, template_data: bytes | None, level3: str, render: bool = True, kinds: tuple[str, ...] = ("report",)
) -> Outcome:
    """One department through the recipe (``build.make``), here or in a worker."""
    return build.make(path, shown, kinds, template, template_data, level3, render)


# ---------------------------------------------------------------- worker processes

_job: dict = {}


def _start_worker(template: Path, template_data: bytes, level3: str, kinds: tuple[str, ...], failed, all_or_nothing: bool) -> None:
    from .output import render  # noqa: F401 - docxtpl, imported once per worker (inherited under fork)

    _job.update(template=template, template_data=template_data, level3=level3, kinds=kinds, failed=failed, all_or_nothing=all_or_nothing)


def _run_chunk(items: list[tuple[int, Path, str]]) -> list[tuple[int, Outcome]]:
    out = []
    for index, path, shown in items:
        failed = _job["failed"]
        outcome = build_one(path, shown, _job["template"], _job["template_data"], _job["level3"], not failed.is_set(), _job["kinds"])
        if outcome.errors and _job["all_or_nothing"]:
            failed.set()
        out.append((index, outcome))
    return out


def workers_for(count: int) -> int:
    """Processes worth starting for ``count`` departments: 1 (no pool) when few or one core."""
    if count < MIN_PARALLEL_FORK:
        return 1  # one department: no pool, and not even its imports
    import multiprocessing

    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    forked = multiprocessing.get_all_start_methods()[0] == "fork"  # [0]: the platform's default
    return 1 if count < (MIN_PARALLEL_FORK if forked else MIN_PARALLEL_SPAWN) or cores < 2 else min(cores, count)


def build_all(
    files: list[Path],
    shown: list[str],
    template: Path,
    level3: str = "、",
    *,
    kinds: tuple[str, ...] = ("report",),
    template_data: bytes | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
    all_or_nothing: bool = False,
) -> Batch:
    """Every department checked and, if none has an error, made into ``kinds``; nothing is
    written here (``run`` writes). The template is read once, here unless given."""
    if template_data is None:
        template_data = build.read_template(template)
    total = len(files)
    workers = workers_for(total) if workers is None else max(1, workers)
    outcomes: list[Outcome | None] = [None] * total
    finished = errors = 0

    def done(index: int, outcome: Outcome) -> None:
        nonlocal finished, errors
        outcomes[index] = outcome
        finished += 1
        errors += len(outcome.errors)
        if progress is not None:
            progress(finished, total, outcome.label, errors)

    if workers == 1:
        for i, (path, name) in enumerate(zip(files, shown)):
            done(i, build_one(path, name, template, template_data, level3, errors == 0 or not all_or_nothing, kinds))
    else:
        import multiprocessing
        from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

        items = [(i, path, name) for i, (path, name) in enumerate(zip(files, shown))]
        size = max(1, min(MAX_CHUNK, total // (workers * 8)))
        chunks = [items[i : i + size] for i in range(0, total, size)]
        context = multiprocessing.get_context()
        failed = context.Event()
        pool = ProcessPoolExecutor(
            max_workers=min(workers, len(chunks)),
            mp_context=context,
            initializer=_start_worker,
            initargs=(template, template_data, level3, kinds, failed, all_or_nothing),
        )
        try:
            pending = {pool.submit(_run_chunk, chunk) for chunk in chunks}
            while pending:
                ready, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in ready:
                    for index, outcome in future.result():
                        done(index, outcome)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    if errors and all_or_nothing:
        # Rendering stopped once an error was known: nothing of this batch is to be written.
        for o in outcomes:
            o.outputs, o.checked = {}, None
    return Batch(outcomes)


# ---------------------------------------------------------------- the whole command, step 6: write


@dataclass(frozen=True)
class Job:
    """What a command asks for: which departments, which outputs, where."""

    files: list[Path]
    shown: list[str]  # each file as the user sees it in messages
    year: int
    out: Path
    kinds: tuple[str, ...] = ("report",)
    template: Path = DEFAULT_TEMPLATE
    level3: str = "、"
    all_or_nothing: bool = False  # one department's error stops every department's outputs


@dataclass
class Result:
    outcomes: list[Outcome]
    errors: list[Problem]
    written: list[Path]

    unconverted: list[tuple[Outcome, str]] = field(default_factory=list)  # LibreOffice made no PDF: why

    @property
    def failed(self) -> list[Outcome]:
        """The departments with errors (nothing of theirs written), in file order."""
        return [o for o in self.outcomes if o.errors]


def run(job: Job, progress=None, pdf_progress=None) -> Result:
    """Every department of ``job`` made (steps 1–5, on every core); then the outputs of every
    department without errors written at once (step 6): all of them or none, the old files
    staying. A department with errors has nothing written and keeps its earlier outputs; with
    ``job.all_or_nothing`` one error means nothing is written for anyone.

    A department whose PDF LibreOffice does not make has nothing written either (``unconverted``);
    raises ``SetupError`` when the machine is in the way for everyone (missing template, build/ not
    writable, a full disk, LibreOffice making no PDF at all), naming the path and the cause."""
    renders = bool({"report", "review", "pdf"} & set(job.kinds))
    template_data = build.read_template(job.template) if renders else b""
    made = build_all(
        job.files, job.shown, job.template, job.level3, kinds=job.kinds, template_data=template_data, progress=progress,
        all_or_nothing=job.all_or_nothing,
    )
    passed = [o for o in made.outcomes if not o.errors]
    if not passed or (made.errors and job.all_or_nothing):
        return Result(made.outcomes, made.errors, [])
    unconverted: list[tuple[Outcome, str]] = []
    reports = [o for o in passed if "report" in o.outputs]  # not a form-only file's (skipped)
    if "pdf" in job.kinds and reports:
        pdfs, why = _pdfs(reports, job, pdf_progress)
        unconverted = [(o, why[o.dept]) for o in reports if o.dept in why]
        if job.all_or_nothing and unconverted:
            raise SetupError("\n".join(f"{o.dept}：{message}" for o, message in unconverted))
        passed = [o for o in passed if o.dept not in why]  # each department's files: all or none
        for o in passed:
            o.outputs.update(pdfs.get(o.dept, {}))  # its report's PDF and, when made, its 自评表's
    outputs = {paths.output(job.out, job.year, o.dept, kind): data for o in passed for kind, data in o.outputs.items()}
    from .output.savefile import write_all

    write_all(outputs, inside=job.out)  # 6. write: all or nothing, nothing outside out/ whatever links lie on the way
    return Result(made.outcomes, made.errors, list(outputs), unconverted)


def _pdfs(outcomes: list[Outcome], job: Job, progress=None) -> tuple[dict[str, dict[str, bytes]], dict[str, str]]:
    """Every report (and, when made, every 自评表 .xlsx: the copy made for print) to PDF in one
    LibreOffice call, in a scratch folder, nothing written: the PDFs' bytes by department and kind
    ("pdf", "form-pdf"), and why LibreOffice made none for a department (``SetupError`` when it
    made none at all)."""
    import tempfile

    from .output.pdf import SCRATCH_PREFIX, to_pdf

    try:  # named like pdf's own scratch folders: a killed run's is removed by the next (pdf.clean_stale)
        scratch_dir = tempfile.TemporaryDirectory(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-docx-")
    except OSError as exc:
        raise setup_error(exc, tempfile.gettempdir(), "无法创建临时文件夹") from None
    with scratch_dir as scratch:
        sources, owner = [], {}
        for o in outcomes:  # a form-only file has no report
            for kind, pdf_kind in (("report", "pdf"), ("form", "form-pdf")):
                data = o.printing.get(kind, o.outputs.get(kind))
                if data is None:
                    continue
                source = Path(scratch) / f"{o.dept}{paths.SUFFIXES[kind]}"
                try:
                    source.write_bytes(data)
                except OSError as exc:
                    raise setup_error(exc, source, "无法写入临时文件") from None
                sources.append(source)
                owner[source.stem] = (o.dept, pdf_kind)
        done, problems = to_pdf(sources, Path(scratch) / "pdf", progress=progress)
        if problems and not done:
            raise SetupError("\n".join(p.message if p.line <= 0 else f"{Path(p.path).stem}：{p.message}" for p in problems))
        pdfs: dict[str, dict[str, bytes]] = {}
        for pdf in done:
            dept, kind = owner[pdf.stem]
            pdfs.setdefault(dept, {})[kind] = pdf.read_bytes()
        why: dict[str, str] = {}
        for p in problems:
            why.setdefault(owner[Path(p.path).stem][0], p.message)
        return pdfs, why


# ---------------------------------------------------------------- progress on a terminal


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _columns(text: str) -> int:
    """Terminal columns: a CJK (wide) character takes two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


class TerminalProgress:
    """``done/total``, the department just finished and the errors so far, on one line that
    rewrites itself — only on a terminal (not in logs or CI) and only once a batch has run for
    ``after`` seconds, so short builds print nothing extra."""

    def __init__(self, stream=None, after: float = 2.0, clock: Callable[[], float] = time.monotonic, label: str = "正在生成报告"):
        self.stream = stream if stream is not None else sys.stderr
        self.label = label  # what the line says is being made
        self.clock = clock
        self.start = clock()
        self.after = after
        self.last = None
        self.shown = False
        self.width = 0  # columns of the line shown
        isatty = getattr(self.stream, "isatty", None)
        self.enabled = bool(isatty and isatty()) and not in_ci()

    def __call__(self, done: int, total: int, current: str, errors: int) -> None:
        if not self.enabled:
            return
        now = self.clock()
        if now - self.start < self.after:
            return
        if self.last is not None and now - self.last < 0.1 and done < total:
            return  # at most ten updates a second
        self.last = now
        note = f"，已发现 {errors} 个错误" if errors else ""
        current = current if len(current) <= 16 else current[:15] + "…"  # one line even in 80 columns
        self._write(f"{self.label} {done}/{total}：{current}{note}")

    def say(self, text: str) -> None:
        """Progress that is not counted (one long step): the label and ``text`` on the same line,
        under the same rules (a terminal only, after ``after`` seconds)."""
        if self.enabled and self.clock() - self.start >= self.after:
            self._write(f"{self.label}{text}")

    def _write(self, line: str) -> None:
        """Over the line shown before, padded with spaces where it was longer: no terminal escape
        codes, so Windows' console shows the same as any other terminal."""
        width = _columns(line)
        self.stream.write("\r" + line + " " * max(0, self.width - width))
        self.stream.flush()
        self.shown, self.width = True, width

    def close(self) -> None:
        """Clear the line, so that what follows starts clean."""
        if self.shown:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
            self.shown, self.width = False, 0

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()
