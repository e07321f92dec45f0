"""Issue 11, item 6: odd files where a content file or a template belongs are refused at once with
a Chinese message (never a hang on a FIFO, never an endless read of /dev/zero, never an English
error), and ``new-year`` names a broken source's errors instead of crashing."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from . import hostile
from .conftest import ROOT, edit, real_text

ODD = {
    "fifo": lambda p: os.mkfifo(p),
    "link to /dev/zero": lambda p: os.symlink("/dev/zero", p),
    "link to /dev/null": lambda p: os.symlink("/dev/null", p),
    "directory": lambda p: p.mkdir(),
    "dangling link": lambda p: os.symlink(p.parent / "nowhere.yaml", p),
    "link loop": lambda p: os.symlink(p, p),
}
SAYS = {
    "fifo": "管道",
    "link to /dev/zero": "设备文件",
    "link to /dev/null": "设备文件",
    "directory": "文件夹",
    "dangling link": "不存在",
    "link loop": "循环",
}


def run(*args: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=cwd, capture_output=True, text=True, env=hostile.env(), timeout=60)


@pytest.mark.parametrize("kind", list(ODD))
@pytest.mark.parametrize("command", ["check", "report"])
def test_an_odd_content_path_is_refused_at_once(tmp_path, kind, command):
    target = tmp_path / "content" / hostile.DEPT / "2022.yaml"
    target.parent.mkdir(parents=True)
    ODD[kind](target)
    extra = ["--out", str(tmp_path / "build")] if command == "report" else []
    started = time.monotonic()
    result = run(command, "--year", "2022", "--content", str(tmp_path / "content"), *extra, cwd=tmp_path)
    assert time.monotonic() - started < 30
    text = result.stdout + result.stderr
    assert result.returncode == 1, text
    assert "Traceback" not in text and "内部错误" not in text, text
    line = next(line for line in text.splitlines() if "2022.yaml:" in line)
    assert hostile.LOCATED.match(line) and SAYS[kind] in line, line
    assert not (tmp_path / "build" / "2022").exists() or not list((tmp_path / "build" / "2022").iterdir())


@pytest.mark.parametrize("kind", ["fifo", "link to /dev/zero", "directory", "dangling link"])
def test_an_odd_template_path_is_refused_at_once(tmp_path, kind):
    from pathlib import Path

    from pipeline.build import check, render_docx

    checked = check(hostile.put(tmp_path, real_text()), "c.yaml")
    template = tmp_path / "t.docx"
    ODD[kind](template)
    started = time.monotonic()
    data, problems = render_docx(checked, Path(template))
    assert time.monotonic() - started < 10
    assert data is None and len(problems) == 1, problems
    assert "无法读取模板" in problems[0].message and SAYS[kind] in problems[0].message, problems


def test_a_file_that_grows_past_the_limit_is_cut_at_the_limit(tmp_path):
    from pipeline.content.readfile import read_limited

    path = tmp_path / "f"
    path.write_bytes(b"x" * 5000)
    data, why = read_limited(path, 1000)
    assert why is None and len(data) == 1001
    data, why = read_limited(path, 5000)
    assert data == b"x" * 5000


BROKEN_SOURCES = [
    ("year: 2022\nbudget: [1, 2]\nindicators: 5\n", "indicators"),
    ("year: 2022\nindicators:\n  - 1\n  - {judgement: 3}\n", "indicators"),
    ("[a, b]\n", "文件内容"),
    ("x\n", "文件内容"),
    ("year: 2022\nevaluation:\n  phases: {a: 1}\n  preparation: [1]\n", "evaluation"),
]


@pytest.mark.parametrize("text,words", BROKEN_SOURCES)
def test_new_year_names_a_broken_sources_errors_instead_of_crashing(tmp_path, text, words):
    source = hostile.put(tmp_path, text)
    result = run("new-year", "--from", "2022", "--to", "2023", "--content", str(tmp_path / "content"), cwd=tmp_path)
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    assert "Traceback" not in out and "内部错误" not in out, out
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines and all(hostile.LOCATED.match(line) for line in lines), lines
    assert any(words in line for line in lines), lines
    assert not source.with_name("2023.yaml").exists()


def test_new_year_from_a_valid_source_still_works(tmp_path):
    source = hostile.put(tmp_path, real_text())
    result = run("new-year", "--from", "2022", "--to", "2023", "--content", str(tmp_path / "content"), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert source.with_name("2023.yaml").is_file()


def test_new_year_refuses_a_source_with_figure_errors_at_their_line(tmp_path):
    text = edit(real_text(), "  initial: 2931.88", "  initial: 2931.881")
    hostile.put(tmp_path, text)
    result = run("new-year", "--from", "2022", "--to", "2023", "--content", str(tmp_path / "content"), cwd=tmp_path)
    assert result.returncode == 1 and "2931.881" in result.stderr, result.stderr
    assert ROOT.exists()


@pytest.mark.parametrize("kind", ["fifo", "link to /dev/zero", "directory", "dangling link"])
def test_an_odd_template_path_is_refused_at_once_by_the_report_command(tmp_path, kind):
    hostile.put(tmp_path, real_text())
    template = tmp_path / "t.docx"
    ODD[kind](template)
    started = time.monotonic()
    result = run("report", "--year", "2022", "--content", str(tmp_path / "content"), "--out", str(tmp_path / "build"), "--template", str(template), cwd=tmp_path)
    assert time.monotonic() - started < 30
    text = result.stdout + result.stderr
    assert result.returncode in (1, 2), text
    assert "Traceback" not in text and "内部错误" not in text, text
    assert "t.docx" in text and "模板" in text, text  # the command's words (environment errors: issue 11.7)


@pytest.mark.parametrize("kind", ["fifo", "link to /dev/zero", "dangling link"])
def test_diff_refuses_an_odd_working_tree_file_at_once(tmp_path, kind):
    repo = tmp_path / "repo"
    content = repo / "content" / "d" / "2022.yaml"
    content.parent.mkdir(parents=True)
    content.write_text(real_text(), encoding="utf-8")
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "2022"]):
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env=env)
    content.unlink()
    ODD[kind](content)
    started = time.monotonic()
    result = run("diff", "--year", "2022", "--from", "HEAD", cwd=repo)
    assert time.monotonic() - started < 30
    text = result.stdout + result.stderr
    assert result.returncode in (1, 2), text
    assert "Traceback" not in text and "内部错误" not in text, text
    assert "2022.yaml" in text and SAYS[kind] in text, text
