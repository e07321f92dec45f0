"""Foundations: one recipe, errors as the user sees them, all-or-nothing writes, a command line
that speaks Chinese and is not a shell, make's table of commands."""

from __future__ import annotations

import contextlib
import errno
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import build, cli
from pipeline.commands import registered
from pipeline.output import savefile
from pipeline.content.validate import validate

from . import hostile
from .conftest import ROOT, edit, real_text, run_cli

ENGLISH = re.compile(r"\b(usage|options|positional|arguments?|error|show this help|required|invalid|choose)\b", re.I)


def in_process(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(args))
    return code, out.getvalue(), err.getvalue()


def department(n: int) -> str:
    text = edit(real_text(), "  name: 重庆市璧山区科学技术局", f"  name: 重庆市璧山区第{n}局")
    return edit(text, "  executed: 1209.56", f"  executed: {1209 + n}.56")


def three_built(tmp_path: Path) -> dict[str, bytes]:
    """Three departments built once; their reports' bytes by file name."""
    for n in range(3):
        hostile.put(tmp_path, department(n), dept=f"d{n}")
    code, _, err = in_process("report", "--content", str(tmp_path / "content"), "--out", str(tmp_path / "build"))
    assert code == 0, err
    return {p.name: p.read_bytes() for p in (tmp_path / "build" / "2022").iterdir()}


def changed(tmp_path: Path) -> None:
    """Every department's content changed (valid): a new build would replace every report."""
    for n in range(3):
        hostile.put(tmp_path, edit(department(n), "  carryover_end: 0", "  carryover_end: 1"), dept=f"d{n}")


def listing(tmp_path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (tmp_path / "build" / "2022").iterdir()}


# ---------------------------------------------------------------- one pass of validation


def test_a_misspelt_key_and_a_wrong_weight_total_are_reported_in_one_run(write_content):
    text = edit(real_text(), "  execution_weight: 10", "  execution_weight: 11")
    text = edit(text, "  executed: 1209.56", "  executd: 1209.56\n  executed: 1209.56")
    messages = [p.message for p in build.check(write_content(text), "f.yaml").problems]
    assert any("未知的键“executd”" in m for m in messages), messages
    assert any("权重合计应为 100，现为 101" in m for m in messages), messages


def test_a_refused_optional_value_does_not_hide_the_weight_total_nor_invent_errors(write_content):
    text = edit(real_text(), "  execution_weight: 10", "  execution_weight: 11")
    text = edit(text, "    actual: 171\n", "    actual: 一百七十一\n")  # refused; its analysis uses {actual}
    problems = build.check(write_content(text), "f.yaml").problems
    messages = [p.message for p in problems]
    assert any("全年完成值" in m and "应为数字" in m for m in messages), messages
    assert any("权重合计应为 100，现为 101" in m for m in messages), messages
    # The indicator whose value was refused says nothing more: no "{actual} 不可用", no "无法计分".
    assert not any("{actual}" in m or "无法计分" in m or "按指标值计分还须填写" in m for m in messages), messages


def test_validation_finds_what_scoring_would_refuse(write_content):
    """Scoring adds no errors: a shortfall without its reason is found by validation alone."""
    from pipeline.content.load import load

    text = edit(real_text(), "  executed: 1209.56", "  executed: 1000")  # execution below 100 %, and…
    text = text.replace("  deviation:\n    reason: 财政资金紧张，支付困难\n", "", 1)  # …its reason gone
    tree, problems = load(write_content(text))
    assert tree is not None and not problems
    _, found = validate(tree, "f.yaml")
    assert any("须在 budget.deviation.reason 中写明偏差原因" in p.message for p in found), [str(p) for p in found]


def test_placeholders_are_defined_once_for_validation_and_composition():
    from pipeline.output import compose
    from pipeline.content import model, placeholders

    assert model.PROSE_HELP == placeholders.PROSE_HELP
    assert compose.fill is placeholders.fill
    for name in placeholders.NAMES:
        assert "{" + name + "}" in placeholders.PROSE_HELP


# ---------------------------------------------------------------- the command line in Chinese


@pytest.mark.parametrize("command", [None] + [c.name for c in registered()])
def test_every_help_is_chinese(command):
    parser = cli.parser()
    text = parser.format_help() if command is None else parser._subparsers._group_actions[0].choices[command].format_help()
    assert text.startswith("用法："), text
    assert not ENGLISH.search(text.replace("--", " ")), text
    usage = text.split("\n\n")[0]
    assert not re.search(r"\b[A-Z_]{3,}\b", usage), usage  # metavars are Chinese too
    assert "显示本帮助并退出" in text


def test_usage_errors_are_chinese_and_exit_2():
    for args, words in [
        (["reprot"], ["未知的命令“reprot”", "是否应为“report”"]),
        (["report", "--year"], ["参数 --year：需要一个值"]),
        (["diff"], ["缺少必需的参数：--from"]),
        (["check", "--bogus"], ["无法识别的参数：--bogus"]),
        (["report", "--level3", "x"], ["无效的选项“x”"]),
    ]:
        result = run_cli(*args)
        assert result.returncode == 2, (args, result.stderr)
        assert result.stderr.startswith("用法："), result.stderr
        for word in words:
            assert word in result.stderr, (args, result.stderr)
        assert not ENGLISH.search(result.stderr.replace("--", " ")), result.stderr


def test_every_command_has_its_makefile_line_and_its_readme_row():
    """A command is its own module plus these two: the make target that runs it, and that target's
    row in the README's table (README, 代码结构)."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in registered():
        rule = re.search(rf"^([a-z][a-z-]*):[^\n]*\n(?:\t[^\n]*\n)*?\t[^\n]*(?:\$\(RUN\)|-m pipeline) {re.escape(command.name)}\b", makefile, re.M)
        assert rule, f"Makefile 中没有运行 {command.name} 的命令"
        assert re.search(rf"^\| `make {re.escape(rule.group(1))}[ `]", readme, re.M), f"README 的命令表中没有 make {rule.group(1)}（{command.name}）"


# ---------------------------------------------------------------- the command line is not a shell


@pytest.mark.parametrize(
    "option,value",
    [
        ("--year", "2022 $(touch pwned)"),
        ("--year", "2022; touch pwned"),
        ("--year", "../2022"),
        ("--year", "20222"),
        ("--dept", "x; touch pwned"),
        ("--dept", "../x"),
        ("--dept", "a/b"),
        ("--dept", ".."),
        ("--dept", "/etc"),
    ],
)
def test_year_and_dept_are_validated_and_nothing_runs(tmp_path, option, value):
    hostile.put(tmp_path, real_text())
    args = ["report", "--content", str(tmp_path / "content"), "--out", str(tmp_path / "build"), option, value]
    result = run_cli(*args, cwd=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "年度应为四位数字" in result.stderr or "部门应为 content/ 下的一个文件夹名" in result.stderr, result.stderr
    assert not (tmp_path / "build").exists() and not (tmp_path / "pwned").exists()


def test_a_year_folder_linked_outside_build_is_refused(tmp_path):
    hostile.put(tmp_path, real_text())
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "2022").symlink_to(elsewhere)
    code, _, err = in_process("report", "--content", str(tmp_path / "content"), "--out", str(tmp_path / "build"))
    assert code == 2 and "拒绝写入" in err, err
    assert list(elsewhere.iterdir()) == []


# ---------------------------------------------------------------- defaults: the latest year, any folder


def test_without_a_year_the_latest_is_built_and_said(tmp_path):
    hostile.put(tmp_path, real_text(), year=2022)
    hostile.put(tmp_path, edit(real_text(), "year: 2022", "year: 2023").replace("2023-", "2024-").replace("2022-", "2023-"), year=2023)
    code, out, err = in_process("check", "--content", str(tmp_path / "content"))
    assert "年度：2023（未指定年度" in out, out + err
    assert "2023.yaml" in out and "2022.yaml" not in out


def test_commands_work_from_a_folder_inside_the_project():
    result = run_cli("check", "--year", "2022", cwd=ROOT / "content" / "bishan-kjj")
    assert result.returncode == 0, result.stderr
    assert "总分 94.24 分" in result.stdout


# ---------------------------------------------------------------- the environment is not a defect


def test_a_file_where_the_build_folder_must_be(tmp_path):
    hostile.put(tmp_path, real_text())
    (tmp_path / "build").write_text("not a folder")
    code, _, err = in_process("report", "--year", "2022", "--content", str(tmp_path / "content"), "--out", str(tmp_path / "build"))
    assert code == 2, err
    assert "build" in err and ("无法创建文件夹" in err or "占着文件夹的位置" in err), err
    assert "内部错误" not in err


def test_a_folder_where_the_report_goes(tmp_path):
    hostile.put(tmp_path, real_text())
    (tmp_path / "build" / "2022" / "d.docx").mkdir(parents=True)
    code, _, err = in_process("report", "--year", "2022", "--content", str(tmp_path / "content"), "--out", str(tmp_path / "build"))
    assert code == 2, err
    assert "d.docx" in err and "该位置是一个文件夹" in err and "内部错误" not in err, err


def test_an_unwritable_build_folder(tmp_path, monkeypatch):
    hostile.put(tmp_path, real_text())
    build_dir = tmp_path / "build"
    real_open = os.open

    def refuse(path, flags, *rest, **kw):
        if str(path).startswith(str(build_dir)) and flags & os.O_CREAT:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *rest, **kw)

    monkeypatch.setattr(os, "open", refuse)  # as root, chmod would not stop the write
    code, _, err = in_process("report", "--year", "2022", "--content", str(tmp_path / "content"), "--out", str(build_dir))
    assert code == 2, err
    assert "build/2022" in err and "没有权限" in err and "内部错误" not in err, err


def test_a_full_disk_at_the_last_report_leaves_every_earlier_one_untouched(tmp_path, monkeypatch):
    before = three_built(tmp_path)
    changed(tmp_path)
    real_write, out = os.write, str(tmp_path / "build")

    def full(fd, data):
        target = os.readlink(f"/proc/self/fd/{fd}") if os.path.exists(f"/proc/self/fd/{fd}") else ""
        if target.startswith(out) and ".d2.docx." in target:  # the last department's temporary file
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", full)
    code, stdout, err = in_process("report", "--year", "2022", "--content", str(tmp_path / "content"), "--out", out)
    assert code == 2, err
    assert "磁盘空间不足" in err and "d2.docx" in err and "已生成" not in stdout, err
    assert listing(tmp_path) == before  # every report as it was, no temporary file left


def test_a_failed_last_rename_puts_back_every_earlier_report(tmp_path, monkeypatch):
    before = three_built(tmp_path)
    changed(tmp_path)
    real_replace = os.replace

    def fail_last(src, dst):
        if str(dst).endswith("d2.docx"):
            raise OSError(errno.EIO, "Input/output error", str(dst))
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", fail_last)
    code, _, err = in_process("report", "--year", "2022", "--content", str(tmp_path / "content"), "--out", str(tmp_path / "build"))
    assert code == 2 and "磁盘读写出错" in err, err
    assert listing(tmp_path) == before


def test_write_all_writes_every_file_or_none(tmp_path, monkeypatch):
    targets = {tmp_path / "a" / f"{n}.bin": bytes([n]) * 10 for n in range(3)}
    savefile.write_all(targets, inside=tmp_path)
    assert {p: p.read_bytes() for p in targets} == targets
    calls = []
    real_write = os.write

    def third_fails(fd, data):
        calls.append(fd)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", third_fails)
    from pipeline.errors import SetupError

    with pytest.raises(SetupError, match="磁盘空间不足"):
        savefile.write_all({p: b"new" for p in targets}, inside=tmp_path)
    monkeypatch.undo()
    assert {p: p.read_bytes() for p in targets} == targets
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["0.bin", "1.bin", "2.bin"]


def test_form_review_and_report_share_the_all_or_nothing_batch(tmp_path):
    hostile.put(tmp_path, real_text(), dept="good")
    hostile.put(tmp_path, edit(real_text(), "  executed: 1209.56", "  executed: -1"), dept="bad")
    for command in ("form", "review", "report"):
        code, out, err = in_process(command, "--year", "2022", "--content", str(tmp_path / "content"), "--out", str(tmp_path / "build"))
        assert code == 1 and "content/bad/2022.yaml" in err.replace(os.sep, "/") and "不能为负数" in err, (command, err)
        assert not (tmp_path / "build").exists(), command


def test_text_of_a_missing_or_broken_docx_is_a_usage_error(tmp_path):
    (tmp_path / "broken.docx").write_text("not a zip")
    for name, words in (("nosuch.docx", "找不到文件"), ("broken.docx", "不是可读取的 .docx 文件")):
        code, _, err = in_process("text", str(tmp_path / name))
        assert code == 2 and words in err and "内部错误" not in err, err


def test_a_defect_is_the_only_internal_error(tmp_path, monkeypatch):
    hostile.put(tmp_path, real_text())
    monkeypatch.setattr(build.compose, "context", lambda *a, **k: 1 / 0)
    code, _, err = in_process("report", "--year", "2022", "--content", str(tmp_path / "content"), "--out", str(tmp_path / "build"))
    assert code == 3 and "内部错误" in err


def test_a_python_without_the_dependencies_is_told_to_use_the_venv(tmp_path):
    # README's `python -m pipeline report …` run with the system Python (no .venv) used to say
    # "内部错误（ModuleNotFoundError …）。这是程序的缺陷": it is the environment, exit 2, with the way out.
    hostile.put(tmp_path, real_text())
    result = subprocess.run([sys.executable, "-S", "-m", "pipeline", "report", "--year", "2022",
                             "--content", str(tmp_path / "content"), "--out", str(tmp_path / "build")],
                            cwd=ROOT, capture_output=True, text=True, env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
    if result.returncode == 0:
        pytest.skip("此 Python 不用 site-packages 也能导入全部依赖")
    assert result.returncode == 2, result.stderr
    assert "内部错误" not in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert "缺少" in result.stderr and ".venv/bin/python -m pipeline" in result.stderr and "make" in result.stderr, result.stderr
    assert not (tmp_path / "build").exists()


# ---------------------------------------------------------------- make


def make(*args: str, cwd: Path = ROOT, **env) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "--no-print-directory", *args], cwd=cwd, capture_output=True, text=True, env={**os.environ, **env})


@pytest.mark.skipif(subprocess.run(["which", "make"], capture_output=True).returncode != 0, reason="make 未安装")
def test_make_prints_the_chinese_table_and_points_misspelt_targets_to_it(tmp_path):
    plain = make()
    assert plain.returncode == 0 and plain.stdout == make("help").stdout
    for command in ("report", "check", "review", "pdf", "form", "diff", "new-year", "test"):
        assert re.search(rf"^  make {re.escape(command)} +\S*[\u4e00-\u9fff]", plain.stdout, re.M), command
    wrong = make("reprot")
    assert wrong.returncode != 0 and "没有“reprot”这个命令。运行 make help 查看可用的命令。" in wrong.stderr
    assert "No rule to make target" not in wrong.stderr


@pytest.mark.skipif(subprocess.run(["which", "make"], capture_output=True).returncode != 0, reason="make 未安装")
def test_make_variables_are_data_not_shell(tmp_path):
    stamp = tmp_path / "stamp"
    stamp.touch()
    bin_dir = str(Path(sys.executable).parent)
    for var, value in [
        ("DEPT", f"x; touch {tmp_path}/pwned"),
        ("YEAR", f"2022 $(shell touch {tmp_path}/pwned)"),
        ("YEAR", f"2022`touch {tmp_path}/pwned`"),
        ("DEPT", f"$$(touch {tmp_path}/pwned)"),
        ("TEMPLATE", f"\"; touch {tmp_path}/pwned; \""),
    ]:
        result = make("report" if var == "TEMPLATE" else "check", f"{var}={value}", f"STAMP={stamp}", f"BIN={bin_dir}", PYTHONPATH=str(ROOT))
        assert not (tmp_path / "pwned").exists(), (var, value, result.stderr)
        assert result.returncode != 0, result.stderr
        assert any(word in result.stderr for word in ("年度应为四位数字", "部门应为", "找不到模板文件")), result.stderr




def test_a_department_folder_that_cannot_name_a_file_is_located_and_nothing_is_written(tmp_path):
    """content/a b/ (a space) used to pass check and then stop every department's report with an
    unlocated message; now check and report both name the file and the key, and write nothing."""
    text = real_text()
    for folder in ("a b", "ok"):
        (tmp_path / "content" / folder).mkdir(parents=True)
        (tmp_path / "content" / folder / "2022.yaml").write_text(text, encoding="utf-8")
    line = text[: text.index("\ndepartment:") + 1].count("\n") + 1
    content = ("--year", "2022", "--content", str(tmp_path / "content"))
    for args in (("check", *content), ("report", *content, "--out", str(tmp_path / "build"))):
        code, out, err = in_process(*args)
        assert code == 1, out + err
        assert f"a b/2022.yaml:{line}:1: 部门文件夹名“a b”不能用作输出文件名" in out + err
    assert not (tmp_path / "build").exists()


def test_new_year_into_the_same_year_says_so(tmp_path):
    (tmp_path / "content" / "d").mkdir(parents=True)
    (tmp_path / "content" / "d" / "2022.yaml").write_text(real_text(), encoding="utf-8")
    code, out, err = in_process("new-year", "--from", "2022", "--to", "2022", "--content", str(tmp_path / "content"))
    assert code == 2 and "上一年度和新年度都是 2022" in err, out + err


def test_write_new_never_overwrites_and_a_full_disk_leaves_nothing(tmp_path, monkeypatch):
    from pipeline.errors import SetupError

    target = tmp_path / "content" / "a" / "2022.yaml"
    assert savefile.write_new(b"first", target, inside=tmp_path / "content")
    assert not savefile.write_new(b"second", target, inside=tmp_path / "content")
    assert target.read_bytes() == b"first"

    def full(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    other = tmp_path / "content" / "b" / "2022.yaml"
    with pytest.raises(SetupError, match="磁盘空间不足"):
        savefile.write_new(b"x" * 100, other, inside=tmp_path / "content")
    monkeypatch.undo()
    assert list(other.parent.iterdir()) == []  # neither the file nor a temporary one
