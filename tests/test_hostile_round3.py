"""Issue 24, item 5: the smaller cases of the third hostile round, each as a user meets it."""

from __future__ import annotations

import os
import re
import subprocess
import unicodedata

import pytest

from pipeline.content.load import load_text

from . import hostile
from .conftest import ROOT, edit, real_text, run_cli, where

NAME = "  name: 重庆市璧山区科学技术局\n"


def errors_of(text: str) -> list[str]:
    tree, problems = load_text(text, "c.yaml")
    return [f"{p.line}:{p.col}: {p.message}" for p in problems]


@pytest.mark.parametrize("ch", ["\u180e", "\ufe0f", "\ufe0e", "\U000e0100", "\u180b", "\u2061", "\u0600", "\U0001d173"])
def test_an_invisible_character_after_a_chinese_one_is_refused_where_it_stands(ch):
    text = edit(real_text(), NAME, f"  name: 重庆市璧山区科学技术局{ch}\n")
    found = errors_of(text)
    at = where(text, ch)
    assert len(found) == 1 and found[0].startswith(at + ":") and f"U+{ord(ch):04X}" in found[0], (at, found)
    assert "看不见" in found[0]


@pytest.mark.parametrize("emoji", ["❤️", "1️⃣", "👨‍👩‍👧", "☺️"])
def test_a_variation_selector_after_an_emoji_is_kept(emoji):
    text = edit(real_text(), "    duties: 负责机关日常运转", f"    duties: 负责机关日常运转{emoji}")
    assert errors_of(text) == []


def test_the_list_of_format_characters_is_unicodes_whole_list():
    from pipeline.content.load import FORMAT_CHARS

    listed = set()
    for part in re.findall(r".-.|.", FORMAT_CHARS, flags=re.S):
        listed.update(range(ord(part[0]), ord(part[-1]) + 1))
    wanted = {c for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf"} - {0x200D}  # the emoji joiner: its own rule
    assert listed == wanted


@pytest.mark.parametrize("line", [8, 12, 13, 14, 22])
def test_a_bom_in_the_middle_of_a_file_is_named_on_its_own_line(line):
    lines = real_text().split("\n")
    lines[line - 1] = "\ufeff" + lines[line - 1]
    found = errors_of("\n".join(lines))
    assert found and all(f.startswith(f"{line}:1: ") for f in found), found
    assert "U+FEFF" in found[0], found


def test_year_0000_is_refused_by_import_and_new_year(tmp_path):
    hostile.put(tmp_path, real_text(), dept="a")
    source = tmp_path / "x.docx"
    source.write_bytes(b"PK")
    imported = run_cli("import", str(source), "--dept", "b", "--year", "0000", "--content", str(tmp_path / "content"), cwd=tmp_path)
    assert imported.returncode == 2 and "0000" in imported.stderr and "四位数字" in imported.stderr, imported.stderr
    made = run_cli("new-year", "--from", "2022", "--to", "0000", "--content", str(tmp_path / "content"), cwd=tmp_path)
    assert made.returncode == 2 and "四位数字" in made.stderr, made.stderr
    assert sorted(p.name for p in (tmp_path / "content").rglob("*.yaml")) == ["2022.yaml"]


@pytest.mark.skipif(subprocess.run(["which", "make"], capture_output=True).returncode != 0, reason="make 未安装")
@pytest.mark.parametrize("assignment", ["YEAR:=2022", "YEAR::=2022", "DEPT:=x"])
def test_make_refuses_a_variable_make_would_expand_itself(assignment, tmp_path):
    result = subprocess.run(["make", "--no-print-directory", "-n", "report", assignment], cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "MAKEFLAGS": ""}, timeout=60)
    assert result.returncode != 0 and "变量请写作" in result.stderr, result.stdout + result.stderr
