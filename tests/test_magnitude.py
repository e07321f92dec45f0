"""Issue 20 item 4: mistakes of magnitude warned at their line (check --strict fails on them), and a
value typed inside quotes refused with the quote named."""

from __future__ import annotations

import pytest

from .conftest import edit, real_text, run_cli, where


def check(tmp_path, text: str, *extra: str, previous: str | None = None):
    folder = tmp_path / "content" / "bishan-kjj"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "2022.yaml").write_text(text, encoding="utf-8")
    if previous is not None:
        (folder / "2021.yaml").write_text(previous, encoding="utf-8")
    return run_cli("check", "--year", "2022", "--content", str(tmp_path / "content"), *extra, cwd=tmp_path)


def warnings_at(result, text: str, needle: str) -> list[str]:
    at = f"content/bishan-kjj/2022.yaml:{where(text, needle)}: 警告："
    return [line[len(at):] for line in result.stdout.splitlines() if line.startswith(at)]


def test_executed_typed_in_yuan_is_named_and_strict_fails(tmp_path):
    """12095600 against a budget in 万元: a rate of 424229.88 % that would raise the total to 100."""
    text = edit(real_text(), "  executed: 1209.56\n", "  executed: 12095600\n")
    result = check(tmp_path, text)
    assert result.returncode == 0  # warnings: the content may be right; the writer decides
    said = warnings_at(result, text, "12095600")
    assert any(s.startswith("预算执行率为 424229.88%，超过 300%") for s in said), result.stdout
    assert any(s.startswith("budget.executed 为 12095600 万元（1209.56 亿元），数额异常：是否误按“元”填写？") for s in said)
    assert check(tmp_path, text, "--strict").returncode == 1


def test_every_budget_figure_in_yuan_is_named_at_its_line(tmp_path):
    text = real_text()
    for old, new in (("2931.88", "29318800"), ("2851.19", "28511900"), ("1209.56", "12095600")):
        text = edit(text, f": {old}\n", f": {new}\n")
    result = check(tmp_path, text)
    for figure in ("29318800", "28511900", "12095600"):
        assert any("数额异常" in s for s in warnings_at(result, text, figure)), (figure, result.stdout)
    assert not any("超过 300%" in line for line in result.stdout.splitlines())  # the rate itself is right


def test_a_figure_far_from_last_years_is_named(tmp_path):
    """Last year's file of the same department is read: 12095600 is 10000× 1209.56; 1.21 is less than a hundredth."""
    text = edit(real_text(), "  executed: 1209.56\n", "  executed: 12095600\n")
    previous = edit(real_text(), "year: 2022\n", "year: 2021\n")
    said = warnings_at(check(tmp_path, text, previous=previous), text, "12095600")
    assert "budget.executed 为 12095600 万元，是上一年度（1209.56 万元）的 10000 倍：是否误按“元”填写？本表金额单位为万元" in said
    small = edit(real_text(), "  adjusted: 2851.19\n", "  adjusted: 2.85\n")
    said = warnings_at(check(tmp_path, small, previous=previous), small, "2.85\n")
    assert any(s.startswith("budget.adjusted 为 2.85 万元，只有上一年度（2851.19 万元）的 1000.42 分之一") for s in said), said
    assert not warnings_at(check(tmp_path, real_text(), previous=previous), real_text(), "1209.56")


def test_a_parts_rate_above_1000_percent_is_named(tmp_path):
    text = edit(real_text(), "  execution_weight: 10\n", "  execution_weight: 10\n  parts:\n"
                "    - name: 基本支出\n      initial: 1000.00\n      executed: 12000\n"
                "    - name: 项目支出\n      initial: 1931.88\n      executed: 1000\n")
    text = edit(text, "  executed: 1209.56\n", "  executed: 13000\n")
    result = check(tmp_path, text)
    assert any(s.startswith("“基本支出”执行率为 1200%，超过 1000%") for s in warnings_at(result, text, "12000\n")), result.stdout


def test_santong_above_the_whole_budget_is_named(tmp_path):
    text = edit(real_text(), "      amount: 4.85\n", "      amount: 48500\n")
    text = edit(text, "  change_reason: 国内公务接待减少\n", "  change_reason: 国内公务接待增加\n")
    result = check(tmp_path, text)
    assert any("“三公”经费支出合计 48501.13 万元，大于部门全部预算 2851.19 万元" in line for line in result.stdout.splitlines()), result.stdout


@pytest.mark.parametrize("typed,quote", [("“区科技局”", "“"), ("'\"区科技局\"'", '"'), ("‘区科技局’", "‘")])
def test_a_value_typed_inside_quotes_is_refused_with_the_quote_named(tmp_path, typed, quote):
    text = edit(real_text(), "  short_name: 区科技局\n", f"  short_name: {typed}\n")
    result = check(tmp_path, text)
    assert result.returncode == 1
    line = f"content/bishan-kjj/2022.yaml:{where(text, typed)}: department.short_name 的值两端带有引号 {quote}…"
    assert any(out.startswith(line) for out in result.stdout.splitlines()), result.stdout


def test_quotes_inside_a_text_are_the_texts_own(tmp_path):
    text = edit(real_text(), "  change_reason: 国内公务接待减少\n", "  change_reason: “三公”经费中国内公务接待减少\n")
    assert "引号" not in check(tmp_path, text).stdout


def test_a_part_far_from_last_years_part_of_the_same_name_is_named(tmp_path):
    parts = ("  parts:\n    - name: 基本支出\n      initial: 1000\n      executed: {basic}\n"
             "    - name: 项目支出\n      initial: 1931.88\n      executed: {project}\n")
    text = edit(real_text(), "  execution_weight: 10\n", "  execution_weight: 10\n" + parts.format(basic="600.5", project="609.06"))
    previous = edit(real_text(), "year: 2022\n", "year: 2021\n")
    previous = edit(previous, "  execution_weight: 10\n", "  execution_weight: 10\n" + parts.format(basic="60100", project="609.06"))
    said = warnings_at(check(tmp_path, text, previous=previous), text, "600.5\n")
    assert said == ["budget.parts[1].executed 为 600.5 万元，只有上一年度（60100 万元）的 100.08 分之一：是否误按“元”填写？本表金额单位为万元"], said
