"""Many departments at once: the same bytes as one at a time, all or nothing, quiet in logs."""

from __future__ import annotations

import io
from pathlib import Path

from pipeline import batch
from pipeline.build import DEFAULT_TEMPLATE

from .conftest import edit, real_text, run_cli

NAME = "  name: 重庆市璧山区科学技术局"


def department(n: int) -> str:
    """The real content as another department, with its own figure."""
    text = edit(real_text(), NAME, f"  name: 重庆市璧山区第{n}局")
    return edit(text, "  executed: 1209.56", f"  executed: {1209 + n}.56")


def write(root: Path, texts: dict[str, str]) -> list[Path]:
    paths = []
    for dept, text in texts.items():
        path = root / "content" / dept / "2022.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def report(root: Path, *extra: str):
    return run_cli("report", "--year", "2022", "--content", str(root / "content"), "--out", str(root / "build"), *extra, cwd=root)


def test_parallel_batch_gives_the_bytes_of_single_department_builds(tmp_path):
    paths = write(tmp_path, {f"d{n}": department(n) for n in range(3)})
    result = batch.build_all(paths, [str(p) for p in paths], DEFAULT_TEMPLATE, workers=2)
    assert not result.errors
    for path, outcome in zip(paths, result.outcomes):
        assert outcome.path == path and outcome.data
        single = report(tmp_path, "--dept", path.parent.name)
        assert single.returncode == 0, single.stderr
        assert (tmp_path / "build" / "2022" / f"{path.parent.name}.docx").read_bytes() == outcome.data, path


def changed_departments(tmp_path):
    """Four departments built once; then d0 changed validly, d1 and d3 broken."""
    texts = {f"d{n}": department(n) for n in range(4)}  # a pool's worth on Linux (fork)
    write(tmp_path, texts)
    first = report(tmp_path)
    assert first.returncode == 0, first.stderr
    out = tmp_path / "build" / "2022"
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert len(before) == len(texts)

    changed = dict(texts)
    changed["d0"] = edit(texts["d0"], "  executed: 1209.56", "  executed: 1.5")  # valid, would change d0.docx
    changed["d1"] = edit(texts["d1"], "  executed: 1210.56", "  executed: -1")
    changed["d3"] = edit(texts["d3"], "  administrative: 9", "  administrative: 2")
    return write(tmp_path, changed), out, before


def test_all_or_nothing_writes_nothing_when_one_department_is_bad_and_lists_every_problem(tmp_path):
    paths, out, before = changed_departments(tmp_path)
    pooled = batch.build_all(paths, [str(p) for p in paths], DEFAULT_TEMPLATE, workers=2, all_or_nothing=True)
    assert {p.path for p in pooled.errors} == {str(paths[1]), str(paths[3])}
    assert all(o.data is None for o in pooled.outcomes)

    again = report(tmp_path, "--all-or-nothing")
    assert again.returncode == 1
    assert "content/d1/2022.yaml:" in again.stderr and "不能为负数" in again.stderr
    assert "content/d3/2022.yaml:" in again.stderr and "超过行政编制" in again.stderr
    assert "未生成任何报告" in again.stderr and "已生成" not in again.stdout
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # nothing new, no temp files


def test_a_bad_department_blocks_no_other_and_keeps_its_own_earlier_report(tmp_path):
    paths, out, before = changed_departments(tmp_path)
    pooled = batch.build_all(paths, [str(p) for p in paths], DEFAULT_TEMPLATE, workers=2)
    assert {p.path for p in pooled.errors} == {str(paths[1]), str(paths[3])}
    assert [o.data is not None for o in pooled.outcomes] == [True, False, True, False]

    again = report(tmp_path)
    assert again.returncode == 1, again.stderr
    assert "content/d1/2022.yaml:" in again.stderr and "不能为负数" in again.stderr
    assert "content/d3/2022.yaml:" in again.stderr and "超过行政编制" in again.stderr
    now = {p.name: p.read_bytes() for p in out.iterdir()}  # no temp files either
    assert sorted(now) == sorted(before)
    assert now["d0.docx"] != before["d0.docx"] and now["d2.docx"] == before["d2.docx"]  # d0's change is in
    assert now["d1.docx"] == before["d1.docx"] and now["d3.docx"] == before["d3.docx"]  # the bad ones keep theirs
    assert "已生成" in again.stdout and "d0.docx" in again.stdout and "d1.docx" not in again.stdout
    # At the end: each bad department by name, its error count and its first error, located.
    tail = again.stderr.splitlines()[-4:]
    assert tail[0].startswith("2 个部门有错误"), tail
    assert tail[1].strip().startswith("重庆市璧山区第1局（content/d1/2022.yaml）：1 个错误，第一个：content/d1/2022.yaml:"), tail
    assert "不能为负数" in tail[1], tail
    assert tail[2].strip().startswith("重庆市璧山区第3局（content/d3/2022.yaml）：") and "content/d3/2022.yaml:" in tail[2], tail
    assert tail[3].startswith("已生成 2 个部门的报告；2 个部门有错误"), tail  # the last line a user sees


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_only_on_a_terminal_outside_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    log = io.StringIO()
    progress = batch.TerminalProgress(log, after=0)
    progress(1, 2, "重庆市璧山区第1局", 0)
    progress.close()
    assert log.getvalue() == ""

    tty = FakeTerminal()
    progress = batch.TerminalProgress(tty, after=0)
    progress(1, 2, "重庆市璧山区第1局", 3)
    assert "1/2" in tty.getvalue() and "重庆市璧山区第1局" in tty.getvalue() and "3 个错误" in tty.getvalue()

    monkeypatch.setenv("CI", "true")
    quiet = FakeTerminal()
    progress = batch.TerminalProgress(quiet, after=0)
    progress(1, 2, "重庆市璧山区第1局", 0)
    assert quiet.getvalue() == ""


def test_a_short_batch_prints_no_progress_even_on_a_terminal(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    tty = FakeTerminal()
    progress = batch.TerminalProgress(tty, after=2.0, clock=iter([0.0, 0.5, 1.0]).__next__)
    progress(1, 2, "a", 0)
    progress(2, 2, "b", 0)
    progress.close()
    assert tty.getvalue() == ""
