"""Issue 22, item 5: make bench survives edits to the reference content; make reprot suggests report."""

from __future__ import annotations

import importlib.util
import subprocess
from decimal import Decimal

import pytest

from pipeline.content.load import load_text

from .conftest import ROOT, edit, real_text


def bench():
    spec = importlib.util.spec_from_file_location("bench", ROOT / "scripts" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("executed", ["  executed: 1209.56", "  executed: 1300  # 决算数，2023-03 核对", "  executed: 1209.560"])
def test_bench_sets_the_executed_amount_through_the_yaml_tree_whatever_the_line_says(executed):
    # It replaced the literal line "  executed: 1209.56": after any edit to the reference, the
    # preview bench failed with an AssertionError traceback.
    text = edit(real_text(), "  executed: 1209.56", executed)
    changed = bench().with_executed(text, "2000.25")
    tree, problems = load_text(changed, "c.yaml")
    assert tree is not None and not problems, problems
    assert tree["budget"]["executed"] == Decimal("2000.25")
    assert tree["budget"]["adjusted"] == Decimal("2851.19")
    assert ("# 决算数" in changed) == ("# 决算数" in text)  # comments stay
    assert len(changed.splitlines()) == len(text.splitlines())


@pytest.mark.skipif(subprocess.run(["which", "make"], capture_output=True).returncode != 0, reason="make 未安装")
def test_a_misspelt_make_target_suggests_the_nearest_command():
    wrong = subprocess.run(["make", "--no-print-directory", "reprot"], cwd=ROOT, capture_output=True, text=True)
    assert wrong.returncode != 0
    assert "没有“reprot”这个命令。是否应为 make report？运行 make help 查看可用的命令。" in wrong.stderr
    far = subprocess.run(["make", "--no-print-directory", "xyzzy"], cwd=ROOT, capture_output=True, text=True)
    assert "没有“xyzzy”这个命令。运行 make help 查看可用的命令。" in far.stderr and "是否应为" not in far.stderr
