"""Issue 11, item 10: the largest content file the size limit admits builds within 60 s and 1 GB.

The costliest shapes per byte, each filled to the limit: the most indicators a valid file can
have (weights of 0.01 summing to 90: 9,000), padded with prose; and one-line list items (a
paragraph each). Each runs as the real command in its own process, whose peak memory is read
from the kernel's accounting of children.
"""

from __future__ import annotations

import re
import resource
import subprocess
import sys
import time

import pytest

from pipeline.content.load import MAX_BYTES

from . import hostile
from .conftest import real_text

SECONDS, MEGABYTES = 60, 1024


def most_indicators() -> str:
    text = real_text()
    head, tail = text[: text.index("indicators:\n")], text[text.index("problems:\n") :]
    kind = re.search(r"\n    kind: (\S+)\n", text).group(1)  # as the real file spells a quantitative indicator

    def block(i: int, pad: str) -> str:
        return f"  - {{name: 指标{i}, weight: 0.01, unit: 家, kind: {kind}, judgement: {{coefficient: 1, basis: 依据}}, analysis: 完成了。{pad}}}\n"

    n = 9000
    skeleton = sum(len(block(i, "").encode()) for i in range(n)) + len(head.encode()) + len(tail.encode()) + 20
    pad = "强" * max(0, (MAX_BYTES - skeleton) // n // 3 - 1)
    return head + "indicators:\n" + "".join(block(i, pad) for i in range(n)) + "\n" + tail


def most_paragraphs() -> str:
    text = real_text()
    head = text[: text.index("problems:\n")]
    n = (MAX_BYTES - len(head.encode()) - 40) // len("  - 问题0。\n".encode())
    return head + "problems:\n" + "".join(f"  - 问题{i % 10}。\n" for i in range(n)) + "suggestions:\n  - 建议。\n"


@pytest.mark.parametrize("make", [most_indicators, most_paragraphs], ids=["9000 indicators", "one-line items"])
def test_the_largest_admitted_file_builds_within_60_s_and_1_gb(tmp_path, make):
    text = make()
    size = len(text.encode())
    assert MAX_BYTES * 0.95 < size <= MAX_BYTES, size
    hostile.put(tmp_path, text)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.monotonic()
    result = subprocess.run(hostile.command(tmp_path), capture_output=True, text=True, env=hostile.env(), timeout=SECONDS * 3)
    elapsed = time.monotonic() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB, the largest child so far
    assert result.returncode == 0, result.stdout + result.stderr
    assert elapsed < SECONDS, f"{elapsed:.1f} s for {size} bytes"
    assert max(peak, before) < MEGABYTES * 1024, f"{peak // 1024} MB for {size} bytes"
    assert (tmp_path / "build" / "2022" / f"{hostile.DEPT}.docx").is_file()


def test_one_byte_beyond_the_limit_is_refused_at_once(tmp_path):
    text = most_paragraphs()
    text += "#" * (MAX_BYTES + 1 - len(text.encode())) + "\n"
    started = time.monotonic()
    run = hostile.report(tmp_path, text)
    assert time.monotonic() - started < 5
    hostile.assert_refused(run, "文件过大")


def test_the_limit_stays_well_above_real_reports():
    assert 1024 * 1024 <= MAX_BYTES <= 2 * 1024 * 1024  # real reports are under 100 KB
    assert sys.getrecursionlimit() >= 1000
