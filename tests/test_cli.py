"""The command line: all problems at once, exit codes, a summary per report, never a traceback."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.build import check

from .conftest import edit, real_text, run_cli, where

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_check_passes_on_the_real_content_with_a_summary():
    result = run_cli("check", "--year", "2022")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "重庆市璧山区科学技术局 2022年度：总分 94.24 分，等级“优”（content/bishan-kjj/2022.yaml）" in result.stdout
    assert result.stdout.splitlines()[-2:] == [
        "检查了 1 个文件：0 个错误，19 个警告。",  # 9 judged indicators, 10 blank cells of the form
        "重庆市璧山区科学技术局 2022年度：总分 94.24 分，等级“优”（content/bishan-kjj/2022.yaml）",
    ]


def test_strict_turns_warnings_into_failure():
    result = run_cli("check", "--year", "2022", "--strict")
    assert result.returncode == 1
    assert "--strict" in result.stdout


def test_errors_exit_1_with_located_chinese_messages(tmp_path):
    text = edit(real_text(), "  executed: 1209.56", "  executed: -5")
    target = tmp_path / "content" / "x" / "2022.yaml"
    target.parent.mkdir(parents=True)
    target.write_text(text, encoding="utf-8")
    result = run_cli("check", "--year", "2022", "--content", str(tmp_path / "content"), cwd=tmp_path)
    assert result.returncode == 1
    assert f"content/x/2022.yaml:{where(text, '-5')}: budget.executed（全年执行数（万元））：不能为负数" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout.splitlines()[-1] == "content/x/2022.yaml：有 1 个错误，未计算总分"


def test_unknown_year_is_a_usage_error():
    result = run_cli("check", "--year", "1999")
    assert result.returncode == 2 and "没有找到 1999 年度的内容文件" in result.stderr


BROKEN = [
    b"\xff\xfe\x00garbage",
    b"year: [\n",
    b"{{{{",
    b"year: 2022\nbudget: 5\nindicators: {}\n",
    b"- - - -\n",
    b"year: 2022\n" + b"a: " * 100 + b"\n",
    b'"unterminated',
    b"year: !!python/object:os.system echo\n",
]


def test_broken_files_never_print_a_traceback(tmp_path):
    for i, data in enumerate(BROKEN):
        root = tmp_path / str(i)
        path = root / "content" / "d" / "2022.yaml"
        path.parent.mkdir(parents=True)
        path.write_bytes(data)
        result = run_cli("check", "--year", "2022", "--content", str(root / "content"), cwd=root)
        assert result.returncode == 1, (data, result.stdout, result.stderr)
        assert "Traceback" not in result.stdout + result.stderr
        assert re.search(r"content/d/2022\.yaml:\d+:\d+: .*[\u4e00-\u9fff]", result.stdout), (data, result.stdout)


@st.composite
def mutations(draw):
    text = real_text()
    lines = text.splitlines(keepends=True)
    how = draw(st.sampled_from(["truncate", "insert", "delete_line", "swap_lines", "retype"]))
    if how == "truncate":
        return text[: draw(st.integers(0, len(text)))]
    if how == "insert":
        at = draw(st.integers(0, len(text)))
        return text[:at] + draw(st.text(min_size=1, max_size=5)) + text[at:]
    if how == "delete_line":
        del lines[draw(st.integers(0, len(lines) - 1))]
        return "".join(lines)
    if how == "swap_lines":
        a, b = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
        lines[a], lines[b] = lines[b], lines[a]
        return "".join(lines)
    value = draw(st.sampled_from(["''", "[]", "{}", "true", "-1", "1e400", ".nan", "'1,209.56'", "２０２２", "null", "~"]))
    i = draw(st.integers(0, len(lines) - 1))
    if ": " in lines[i]:
        key = lines[i].split(": ", 1)[0]
        lines[i] = f"{key}: {value}\n"
    return "".join(lines)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutations())
def test_any_mutation_ends_in_a_result_or_located_problems(write_content, text):
    checked = check(write_content(text), "f.yaml")
    if checked.ok:
        return
    assert checked.problems
    n_lines = text.count("\n") + 2
    for p in checked.problems:
        assert 1 <= p.line <= n_lines and p.col >= 1, p
        assert CJK.search(p.message), p
