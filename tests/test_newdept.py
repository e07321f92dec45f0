"""`make new-dept`: a new department's file with every key, blank where it must write, listed by check."""

from __future__ import annotations

import types
import typing

from pydantic import BaseModel
from ruamel.yaml import YAML

from pipeline.content.model import MAY_BE_BLANK, Report

from .conftest import real_text, run_cli


def _keys(model: type[BaseModel], prefix: str = "") -> set[str]:
    out = set()
    for name, field in model.model_fields.items():
        out.add(prefix + name)
        for inner in _models(field.annotation):
            out |= _keys(inner, prefix + name + ".")
    return out


def _models(annotation):
    origin = typing.get_origin(annotation)
    if origin in (list, typing.Union, types.UnionType, typing.Annotated):
        for arg in typing.get_args(annotation):
            yield from _models(arg)
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation


def _tree_keys(node, prefix: str = "") -> set[str]:
    out = set()
    if isinstance(node, dict):
        for key, value in node.items():
            out.add(prefix + key)
            out |= _tree_keys(value, prefix + key + ".")
    elif isinstance(node, list):
        for item in node:
            out |= _tree_keys(item, prefix)
    return out


def test_new_dept_writes_every_key_blank_and_check_lists_each(tmp_path):
    made = run_cli("new-dept", "--dept", "rongmei", "--name", "重庆市某区融媒体中心", "--year", "2023", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    path = tmp_path / "content" / "rongmei" / "2023.yaml"
    text = path.read_text(encoding="utf-8")
    tree = YAML(typ="safe").load(text)
    assert tree["year"] == 2023 and tree["department"]["name"] == "重庆市某区融媒体中心"
    assert _tree_keys(tree) == _keys(Report)  # every key of the model, nothing else
    # Nothing of another department: the only values are the year, the name and generic labels
    # (comments may give examples; values are what counts as filled).
    assert sorted(map(str, _values(tree))) == sorted(["2023", "重庆市某区融媒体中心", "基本支出", "项目支出", "公务车运行维护费", "国内公务接待"])
    checked = run_cli("check", "--year", "2023", "--content", "content", cwd=tmp_path)
    assert checked.returncode == 1
    listed = [m for m in checked.stdout.splitlines() if "：未填写" in m]
    # Keys that may stay blank (an unknown cell of the form: 主管部门, 单位负责人…) are not listed.
    may_stay_blank = sum(1 for section, key in MAY_BE_BLANK if tree.get(section, {}).get(key, 0) is None)
    assert may_stay_blank == 4
    assert len(listed) == _blanks(tree) - may_stay_blank and all(m.startswith("content/rongmei/2023.yaml:") for m in listed)
    # Each message points at a line whose key (or list dash) is left empty.
    lines = text.splitlines()
    for m in listed:
        line = lines[int(m.split(":")[1]) - 1].split("#")[0].rstrip()
        assert line.endswith((":", "-")), m


def _values(node) -> list:
    if isinstance(node, dict):
        return [x for v in node.values() for x in _values(v)]
    if isinstance(node, list):
        return [x for v in node for x in _values(v)]
    return [] if node is None else [node]


def _blanks(node) -> int:
    if isinstance(node, dict):
        return sum(_blanks(v) for v in node.values())
    if isinstance(node, list):
        return sum(_blanks(v) for v in node)
    return 1 if node is None else 0


def test_new_dept_never_overwrites(tmp_path):
    target = tmp_path / "content" / "bishan-kjj" / "2022.yaml"
    target.parent.mkdir(parents=True)
    target.write_text(real_text(), encoding="utf-8")
    again = run_cli("new-dept", "--dept", "bishan-kjj", "--name", "某局", "--year", "2022", cwd=tmp_path)
    assert again.returncode == 1 and "文件已存在，不覆盖" in again.stderr
    assert target.read_text(encoding="utf-8") == real_text()


def test_new_dept_year_defaults_to_the_latest_and_ids_are_checked(tmp_path):
    (tmp_path / "content" / "a").mkdir(parents=True)
    (tmp_path / "content" / "a" / "2024.yaml").write_text("year: 2024\n", encoding="utf-8")
    made = run_cli("new-dept", "--dept", "b", "--name", '某"局', cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    written = (tmp_path / "content" / "b" / "2024.yaml").read_text(encoding="utf-8")
    assert YAML(typ="safe").load(written)["department"]["name"] == '某"局'
    bad = run_cli("new-dept", "--dept", "../x", "--name", "某局", cwd=tmp_path)
    assert bad.returncode == 2 and "部门标识“../x”无效" in bad.stderr
    assert not (tmp_path / "x").exists()


# Issue 24, item 4: a NAME holding a character YAML reads as a line break (U+2028, U+0085…) went
# into the header comment raw, and the new file gained a key or could not be read.
SEPARATORS = ["\u2028", "\u2029", "\x85", "\r", "\x0b", "\x0c", "\x1c"]


def test_a_name_with_a_line_separator_is_refused_and_nothing_is_written(tmp_path):
    for ch in SEPARATORS:
        made = run_cli("new-dept", "--dept", "b", "--name", f"某局{ch}year: 1999", "--year", "2022", cwd=tmp_path)
        assert made.returncode == 2, (repr(ch), made.stdout, made.stderr)
        assert "部门全称含有" in made.stderr and "Traceback" not in made.stderr, made.stderr
        assert not (tmp_path / "content" / "b").exists() or not list((tmp_path / "content" / "b").iterdir())


def test_every_text_through_yamltext_keeps_the_file_one_key_per_line():
    from hypothesis import given, settings, strategies as st

    from pipeline.content import yamltext
    from pipeline.content.load import load_text

    @settings(max_examples=300, deadline=None)
    @given(st.text(alphabet=st.sampled_from(list("局a: #\"'\\-{}[]&*!|>%@`\t\n") + SEPARATORS + ["\x00", "\x7f", "\ufffe"]), max_size=30))
    def one_key(text):
        written = f"# {yamltext.line(text)}\nname: {yamltext.scalar('x' + yamltext.line(text))}\n"
        tree, problems = load_text(written, "t.yaml")
        assert problems == [] and list(tree) == ["name"], (text, written, problems)
        assert tree["name"] == "x" + yamltext.line(text)

    one_key()
