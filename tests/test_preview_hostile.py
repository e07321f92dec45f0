"""Issue 24, item 1 and the preview's smaller items: the preview reads through the same path as
every command (regular files only, bounded, no lock held across a read), so a content file
swapped for a FIFO or a device answers at once and holds up no other page; its refusals are
Chinese. The server binds 127.0.0.1 only, every wait is bounded, and it is stopped by the test."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from .conftest import ROOT, real_text
from .test_preview import Server, copy_content


@pytest.fixture
def two(tmp_path):
    copy_content(tmp_path, dept="good")
    copy_content(tmp_path, dept="bad")
    s = Server(tmp_path)
    yield s, tmp_path / "content" / "bad" / "2022.yaml"
    if s.proc.poll() is None:
        s.proc.kill()
        s.proc.communicate()


def timed(server, path: str) -> tuple[float, int, str]:
    started = time.monotonic()
    status, _, body = server.get(path)
    return time.monotonic() - started, status, body


@pytest.mark.parametrize("swap,says", [
    (os.mkfifo, "管道"),
    (lambda p: os.symlink("/dev/zero", p), "设备文件"),
    (lambda p: os.symlink("/dev/urandom", p), "设备文件"),
])
def test_a_content_file_swapped_for_a_fifo_or_a_device_holds_up_no_page(two, swap, says):
    server, bad = two
    assert server.get("/d/good")[0] == 200 and server.get("/d/bad")[0] == 200  # both built once
    bad.unlink()
    swap(bad)
    answers = {}
    asking = threading.Thread(target=lambda: answers.update(bad=timed(server, "/d/bad")), daemon=True)
    asking.start()
    time.sleep(0.3)  # the page of the swapped file is asked for first
    for path in ("/d/good", "/"):
        seconds, status, body = timed(server, path)
        assert status == 200 and seconds < 1, (path, seconds)
    asking.join(10)
    assert "bad" in answers, "the page of the swapped file never answered"
    seconds, status, body = answers["bad"]
    assert status == 200 and seconds < 1 and says in body, (seconds, body[-500:])
    code, out = server.stop()
    assert code == 0 and "Traceback" not in out, out


def test_a_foreign_host_header_gets_a_chinese_page(two):
    server, _ = two
    status, headers, body = server.get("/", headers={"Host": "attacker.example"})
    assert status == 400 and headers["content-type"].startswith("text/html")
    assert "Invalid host header" not in body and "本机" in body, body


@pytest.mark.parametrize("host", ["not a host", "999.1.1.1", "é..x"])
def test_a_bad_host_is_named_not_the_port(tmp_path, host):
    copy_content(tmp_path)
    result = subprocess.run([sys.executable, "-m", "pipeline", "preview", "--year", "2022", "--root", str(tmp_path),
                             "--port", "0", "--host", host], cwd=ROOT, capture_output=True, text=True, timeout=30,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 2, result.stdout + result.stderr
    assert "HOST=" in result.stderr and "端口已被占用" not in result.stderr and "Traceback" not in result.stderr, result.stderr


def test_a_template_that_is_a_fifo_is_named_as_one_not_as_missing(tmp_path):
    copy_content(tmp_path)
    os.mkfifo(tmp_path / "t.docx")
    result = subprocess.run([sys.executable, "-m", "pipeline", "preview", "--year", "2022", "--root", str(tmp_path),
                             "--port", "0", "--template", "t.docx"], cwd=ROOT, capture_output=True, text=True, timeout=30,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 2 and "管道" in result.stderr and "找不到" not in result.stderr, result.stderr


def test_a_project_template_that_is_a_fifo_is_named_by_report(tmp_path):
    # templates/report.docx of the project is used when present; a FIFO there was skipped silently
    root = tmp_path / "project"
    (root / "templates").mkdir(parents=True)
    (root / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    copy_content(root)
    os.mkfifo(root / "templates" / "report.docx")
    result = subprocess.run([sys.executable, "-m", "pipeline", "report", "--year", "2022"], cwd=root, capture_output=True,
                            text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 2 and "管道" in result.stderr, result.stdout + result.stderr
    assert not (root / "build").exists()
