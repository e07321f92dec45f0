""".docx → .pdf through LibreOffice headless: all files in two soffice calls, a private profile.

Two soffice instances sharing a profile directory fail, so each conversion gets its own temporary
profile; starting LibreOffice costs about a second, converting each further file much less. The
first call makes flat ODF (to turn off the Chinese/Latin autospace the .docx importer ignores),
the second the PDF; both run with the project's fontconfig (``fonts``).
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

from . import fonts
from ..problems import Problem
from .savefile import write_atomically

INSTALL_HINT = "未找到 LibreOffice（soffice）。Debian/Ubuntu：sudo apt-get install libreoffice-writer-nogui；Windows/macOS：安装 LibreOffice 并把 soffice 加入 PATH。"


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


# ---------------------------------------------------------------- the private profile, even after a kill
#
# The profile lives in a temporary folder named with the pid of the run that made it. A run
# killed outright (SIGKILL, a closed terminal) cannot remove its folder, so every run first removes
# the folders of runs that are no longer alive (or that are older than any conversion can last).

SCRATCH_PREFIX = "perfreport-lo-"
STALE_AFTER = 24 * 3600  # seconds; a conversion times out after 600
_SCRATCH = re.compile(re.escape(SCRATCH_PREFIX) + r"(\d+)-")


def _alive(pid: int) -> bool:
    if sys.platform == "win32":  # os.kill(pid, 0) would end the process there (TerminateProcess)
        return _alive_windows(pid)
    try:
        os.kill(pid, 0)  # POSIX: signal 0 only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True


def _alive_windows(pid: int) -> bool:
    """Whether a process runs, asked of Windows without touching it (OpenProcess, exit code)."""
    import ctypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return ctypes.get_last_error() == 5  # ERROR_ACCESS_DENIED: another user's, alive
    try:
        code = ctypes.c_ulong()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == 259  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


def _mine(info: os.stat_result) -> bool:
    """Our own folder: the same user where the system has user ids (Windows' temp folder is per user)."""
    getuid = getattr(os, "getuid", None)
    return getuid is None or info.st_uid == getuid()


def clean_stale(root: Path | None = None) -> list[Path]:
    """Remove our scratch folders left by runs that are gone; the folders removed."""
    root = Path(root or tempfile.gettempdir())
    removed = []
    try:
        entries = list(root.glob(SCRATCH_PREFIX + "*"))
    except OSError:
        return removed
    for entry in entries:
        m = _SCRATCH.match(entry.name)
        if m is None or int(m.group(1)) == os.getpid():
            continue
        try:
            info = entry.lstat()
        except OSError:
            continue
        if not stat.S_ISDIR(info.st_mode) or not _mine(info):
            continue  # a link, a file, or another user's: not ours to remove
        if not _alive(int(m.group(1))) or time.time() - info.st_mtime > STALE_AFTER:
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed


AUTOSPACE = re.compile(rb'style:text-autospace="[^"]*"')


Progress = Callable[[int, int, str, int], None]  # done, total, the department just converted, errors


def run_watched(command: list[str], timeout: float, env: dict, watch: Callable[[], None] | None = None) -> subprocess.CompletedProcess:
    """``subprocess.run`` capturing text output, calling ``watch`` every few tenths of a second
    while LibreOffice works (to tell which files it has converted so far)."""
    deadline = time.monotonic() + timeout
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, errors="replace", env=env) as proc:
        while True:
            try:
                out, err = proc.communicate(timeout=0.25)
                break
            except subprocess.TimeoutExpired:
                if watch is not None:
                    watch()
                if time.monotonic() > deadline:
                    proc.kill()
                    proc.communicate()
                    raise subprocess.TimeoutExpired(command, timeout) from None
    if watch is not None:
        watch()
    return subprocess.CompletedProcess(command, proc.returncode, out, err)


def _watcher(folder: Path, sources: list[Path], suffix: str, progress: Progress | None, phase: str) -> Callable[[], None] | None:
    """Reports each source whose converted file has appeared in ``folder``, in the order seen."""
    if progress is None:
        return None
    seen: list[str] = []

    def watch() -> None:
        for source in sources:
            if source.stem not in seen and (folder / (source.stem + suffix)).is_file():
                seen.append(source.stem)
                progress(len(seen), len(sources), f"{phase}{source.stem}", 0)

    return watch


def _without_autospace(exe: str, docx_files: list[Path], work: Path, profile: str, timeout: float, progress: Progress | None = None) -> list[Path]:
    """The files as flat ODF with LibreOffice's automatic Chinese/Latin spacing turned off.

    The template turns it off for Word (w:autoSpaceDE/DN = 0), but LibreOffice's .docx importer
    ignores those settings, so every number came out with a quarter-em gap each side ("编制 9 名",
    spaces in the PDF's text). One extra LibreOffice call converts every file to .fodt, whose
    default paragraph style is patched; a file that did not convert is passed on as it was, so
    the PDF step reports it.
    """
    flat = work / "flat"
    documents = [p for p in docx_files if p.suffix.lower() == ".docx"]
    if not documents:
        return list(docx_files)
    watch = _watcher(flat, documents, ".fodt", progress, "准备 ")
    run_watched(
        [exe, "--headless", "--norestore", f"-env:UserInstallation={profile}", "--convert-to", "fodt", "--outdir", str(flat)]
        + [str(p) for p in documents],
        timeout,
        {**fonts.environment(), "HOME": str(work)},
        watch,
    )
    out = []
    for source in docx_files:
        if source.suffix.lower() != ".docx":
            out.append(source)  # a workbook: Calc prints it as it is
            continue
        fodt = flat / (source.stem + ".fodt")
        if fodt.is_file():
            fodt.write_bytes(AUTOSPACE.sub(b'style:text-autospace="none"', fodt.read_bytes()))
        out.append(fodt if fodt.is_file() else source)
    return out


def to_pdf(docx_files: list[Path], outdir: Path, timeout: float = 600, progress: Progress | None = None) -> tuple[list[Path], list[Problem]]:
    """Convert every file (.docx, and .xlsx through Calc) in one LibreOffice call; each PDF
    replaces its target atomically. Names must differ in their stems. ``progress`` hears of each
    file as LibreOffice finishes it (both passes)."""
    exe = soffice()
    if exe is None:
        return [], [Problem(str(docx_files[0]) if docx_files else "soffice", 1, 1, INSTALL_HINT)]
    outdir.mkdir(parents=True, exist_ok=True)
    clean_stale()
    with tempfile.TemporaryDirectory(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-") as scratch:
        work = Path(scratch)
        profile = (work / "profile").as_uri()
        converted = work / "out"
        try:
            sources = _without_autospace(exe, docx_files, work, profile, timeout, progress)
            result = run_watched(
                [exe, "--headless", "--norestore", f"-env:UserInstallation={profile}", "--convert-to", "pdf", "--outdir", str(converted)]
                + [str(p) for p in sources],
                timeout,
                {**fonts.environment(), "HOME": str(work)},
                _watcher(converted, sources, ".pdf", progress, ""),
            )
        except subprocess.TimeoutExpired:
            return [], [Problem(str(docx_files[0]), 1, 1, f"LibreOffice 转换超时（{timeout:.0f} 秒）")]
        done, problems = [], []
        for source in docx_files:
            pdf = converted / (source.stem + ".pdf")
            if not pdf.is_file():
                detail = (result.stderr or result.stdout).strip().splitlines()[-1:] or [f"退出码 {result.returncode}"]
                problems.append(Problem(str(source), 1, 1, f"LibreOffice 未能转换为 PDF：{detail[0]}"))
                continue
            target = outdir / pdf.name
            write_atomically(pdf.read_bytes(), target, inside=outdir)
            done.append(target)
    return done, problems
