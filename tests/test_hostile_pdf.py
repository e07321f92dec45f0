"""Issue 11, item 11: ``pdf``'s private LibreOffice profile does not outlive a killed run: the next
run removes the scratch folders of runs that are gone. A stand-in ``soffice`` (a shell script on
PATH) plays LibreOffice, so this runs without it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.output import pdf

from . import hostile
from .conftest import real_text


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_clean_stale_removes_only_the_folders_of_runs_that_are_gone(tmp_path):
    dead = tmp_path / f"{pdf.SCRATCH_PREFIX}{dead_pid()}-abc"
    alive = tmp_path / f"{pdf.SCRATCH_PREFIX}{os.getppid()}-abc"
    mine = tmp_path / f"{pdf.SCRATCH_PREFIX}{os.getpid()}-abc"
    old = tmp_path / f"{pdf.SCRATCH_PREFIX}{os.getppid()}-old"
    other = tmp_path / "perfreport-other-1"
    target = tmp_path / "kept"
    for d in (dead, alive, mine, old, other, target):
        (d / "profile").mkdir(parents=True)
    os.utime(old, (time.time() - 2 * pdf.STALE_AFTER,) * 2)
    link = tmp_path / f"{pdf.SCRATCH_PREFIX}{dead_pid()}-link"
    link.symlink_to(target)
    removed = pdf.clean_stale(tmp_path)
    assert sorted(removed) == sorted([dead, old])
    assert not dead.exists() and not old.exists()
    assert alive.is_dir() and mine.is_dir() and other.is_dir() and target.is_dir() and link.is_symlink()


def test_on_windows_the_cleaner_asks_whether_a_run_is_alive_without_os_kill(tmp_path, monkeypatch):
    """Issue 22, item 4: on Windows os.kill(pid, 0) is TerminateProcess — asking would end the
    other run — and os.getuid does not exist. There the cleaner asks Windows (OpenProcess)."""
    dead = tmp_path / f"{pdf.SCRATCH_PREFIX}{dead_pid()}-abc"
    alive = tmp_path / f"{pdf.SCRATCH_PREFIX}{os.getppid()}-abc"
    for d in (dead, alive):
        (d / "profile").mkdir(parents=True)
    asked = []
    monkeypatch.setattr(pdf.sys, "platform", "win32")
    monkeypatch.setattr(pdf.os, "kill", lambda *a: pytest.fail(f"os.kill{a} on Windows would end that process"))
    monkeypatch.delattr(pdf.os, "getuid")
    monkeypatch.setattr(pdf, "_alive_windows", lambda pid: asked.append(pid) or pid == os.getppid())
    removed = pdf.clean_stale(tmp_path)
    assert removed == [dead] and alive.is_dir() and not dead.exists()
    assert sorted(asked) == sorted([int(dead.name.split("-")[2]), os.getppid()])


def fake_soffice(bin_dir: Path, body: str) -> None:
    bin_dir.mkdir(exist_ok=True)
    script = bin_dir / "soffice"
    script.write_text("#!/bin/sh\n" + body + "\n")
    script.chmod(0o755)


def pdf_command(root: Path) -> list[str]:
    return [sys.executable, "-m", "pipeline", "pdf", "--year", "2022", "--content", str(root / "content"), "--out", str(root / "build")]


def test_a_killed_pdf_run_leaves_no_profile_after_the_next_run(tmp_path):
    hostile.put(tmp_path, real_text())
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    bin_dir = tmp_path / "bin"
    env = {**hostile.env(), "TMPDIR": str(scratch), "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}

    fake_soffice(bin_dir, "sleep 120")  # LibreOffice busy converting when the run is killed
    run = subprocess.Popen(pdf_command(tmp_path), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while not list(scratch.glob(f"{pdf.SCRATCH_PREFIX}{run.pid}-*")) and time.monotonic() < deadline:
            time.sleep(0.1)
        left = list(scratch.glob(f"{pdf.SCRATCH_PREFIX}{run.pid}-*"))
        assert left, "the run made no scratch folder"
    finally:
        os.killpg(run.pid, signal.SIGKILL)  # the run and its soffice, as a closed terminal would
        run.wait()
    assert all(p.exists() for p in left)  # a killed run cannot clean up after itself

    fake_soffice(bin_dir, "exit 0")  # the next run: LibreOffice converts nothing, quickly
    after = subprocess.run(pdf_command(tmp_path), env=env, capture_output=True, text=True, timeout=120)
    assert "Traceback" not in after.stderr and "内部错误" not in after.stderr, after.stderr
    assert not any(p.exists() for p in left), "the killed run's profile is still there"
    assert list(scratch.glob(f"{pdf.SCRATCH_PREFIX}*")) == []  # and the next run removed its own
