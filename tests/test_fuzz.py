"""Fuzzing the whole report command with mutations of the real 2022 content.

Each case ends in a valid report (.docx written, python-docx opens it) or in located Chinese
errors with exit 1 and nothing written — never a traceback, never a partial file. Cases run
through ``cli.main`` in this process (fast); a handful run through the real command.
``FUZZ_EXAMPLES`` sets the number of cases (``make fuzz`` runs thousands).

Unlike the light mutation test in test_cli.py (text edits, checking only), mutations here are
structural too — keys deleted, values retyped or stringified, characters injected into text,
sections reordered — and every case goes on to render and write.
"""

from __future__ import annotations

import copy
import io
import os
import subprocess
import tempfile
import zipfile
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from pipeline.content.load import load_text

from . import hostile
from .conftest import real_text

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "200"))

REAL_TREE, _ = load_text(real_text(), "real")

# What report writers paste and mistype, as characters and as whole values.
HOSTILE_CHARS = "&<>\"'{}%#:-*!|>?@`,[]\\\t\n\u00a0\u200b\u200d\ufeff\u3000\u2028\x07\x85\ufffd\ue000𠀀👍１２．，％"
SNIPPETS = [": ", "- ", "&a ", "*a", "!!str ", "%", "\t", "{", "[", "'", '"', " #", "\r\n", "\ufeff", "0o17", "1e3", "2023-02-30", "{actual}", "{{", "|", ">", "~", "\u200b", "１２０９．５６"]
VALUES = ["", "[]", "{}", True, False, None, -1, 0, Decimal("1e400"), Decimal("-0.001"), 10**20, "1,209.56", "１２", "42.42%", "2022", "2023-02-28", "quantitative", ">=", "{actual}", "A&B <c>", "x" * 500]


def paths(node, at=()):
    """Every key and item path in the tree."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield at + (key,)
            yield from paths(value, at + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield at + (i,)
            yield from paths(value, at + (i,))


def parent(tree, path):
    node = tree
    for seg in path[:-1]:
        node = node[seg]
    return node


@st.composite
def structural(draw, tree):
    """One change to the tree: delete, retype, stringify, inject, reorder, duplicate or empty."""
    all_paths = list(paths(tree))
    path = draw(st.sampled_from(all_paths))
    holder, key = parent(tree, path), path[-1]
    value = holder[key]
    how = draw(st.sampled_from(["delete", "retype", "stringify", "inject", "reorder", "duplicate", "empty"]))
    if how == "delete":
        del holder[key]
    elif how == "retype":
        holder[key] = draw(st.sampled_from(VALUES))
    elif how == "stringify":
        holder[key] = str(value) if not isinstance(value, (dict, list)) else draw(st.sampled_from(["", "x"]))
    elif how == "inject" and isinstance(value, str):
        at = draw(st.integers(0, len(value)))
        holder[key] = value[:at] + draw(st.text(alphabet=HOSTILE_CHARS, min_size=1, max_size=3)) + value[at:]
    elif how == "reorder" and isinstance(value, dict) and len(value) > 1:
        order = draw(st.permutations(list(value)))
        items = [(k, value[k]) for k in order]
        value.clear()
        value.update(items)
    elif how == "reorder" and isinstance(value, list) and len(value) > 1:
        value[:] = draw(st.permutations(value))
    elif how == "duplicate" and isinstance(value, list) and value:
        value.append(copy.deepcopy(value[draw(st.integers(0, len(value) - 1))]))
    elif how == "empty" and isinstance(value, (dict, list)):
        value.clear()
    else:
        holder[key] = draw(st.sampled_from(VALUES))


def dump(tree) -> str:
    yaml = YAML(typ="rt")
    yaml.representer.add_representer(Decimal, lambda r, d: r.represent_scalar("tag:yaml.org,2002:float", str(d)))
    yaml.width = 4096
    out = io.StringIO()
    yaml.dump(tree, out)
    return out.getvalue()


@st.composite
def textual(draw, data: bytes) -> bytes:
    """One change to the file's bytes or lines."""
    how = draw(st.sampled_from(["truncate", "snippet", "delete_line", "duplicate_line", "indent", "dedent", "crlf", "bom", "bytes"]))
    if how == "truncate":
        return data[: draw(st.integers(0, len(data)))]
    if how == "bytes":
        at = draw(st.integers(0, len(data)))
        return data[:at] + draw(st.binary(min_size=1, max_size=4)) + data[at:]
    if how == "crlf":
        return data.replace(b"\n", b"\r\n")
    if how == "bom":
        return b"\xef\xbb\xbf" + data
    text = data.decode("utf-8", "surrogateescape")
    if how == "snippet":
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(SNIPPETS)) + text[at:]
    else:
        lines = text.splitlines(keepends=True)
        if not lines:
            return data
        i = draw(st.integers(0, len(lines) - 1))
        if how == "delete_line":
            del lines[i]
        elif how == "duplicate_line":
            lines.insert(i, lines[i])
        elif how == "indent":
            lines[i] = "  " + lines[i]
        else:
            lines[i] = lines[i][2:] if lines[i].startswith("  ") else lines[i]
        text = "".join(lines)
    return text.encode("utf-8", "surrogateescape")


@st.composite
def mutated(draw) -> bytes:
    tree = copy.deepcopy(REAL_TREE)
    for _ in range(draw(st.integers(0, 3))):
        draw(structural(tree))
    data = dump(tree).encode("utf-8")
    for _ in range(draw(st.integers(0 if data else 1, 2))):
        data = draw(textual(data))
    return data


def assert_result_or_located_errors(root: Path, code: int, out: str, err: str, data: bytes) -> None:
    text = out + err
    assert code in (0, 1), (code, text)
    assert "Traceback" not in text and "内部错误" not in text, text
    folder = root / "build" / "2022"
    if code == 0:
        target = folder / f"{hostile.DEPT}.docx"
        with zipfile.ZipFile(target) as z:
            assert z.testzip() is None
        hostile.opens(target)
        assert [p.name for p in folder.iterdir()] == [target.name]
        return
    lines = [line for line in err.splitlines() if not line.startswith("有错误，未生成任何报告")]
    assert lines, text
    n_lines = data.count(b"\n") + data.count(b"\r") + 2
    for line in lines:
        m = hostile.LOCATED.match(line)
        assert m, line
        assert m["path"].endswith(f"content/{hostile.DEPT}/2022.yaml"), line
        assert 1 <= int(m["line"]) <= n_lines and int(m["col"]) >= 1, line
    assert not folder.exists() or list(folder.iterdir()) == []  # nothing written, not even in part


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated())
def test_any_mutation_builds_a_report_or_is_refused_with_located_errors(data):
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        run = hostile.report(root, data)
        assert_result_or_located_errors(root, run.code, run.out, run.err, data)


# A handful through the real command: the same promise at the process's edge.
REAL_PROCESS_CASES = [
    real_text().encode().replace(b"  executed: 1209.56", b'  executed: "1,209.56"'),
    real_text().encode()[:5000],
    real_text().encode().replace("区科技局".encode(), "区科\u200b技局".encode()),
    real_text().encode().replace(b"    end: 2023-03-28", b"    end: 2023-02-30"),
    real_text().encode().replace(b"year: 2022", b"year: 2022\nyear: 2023"),
    real_text().replace("\n", "\r\n").encode("utf-8-sig"),
]


def test_a_handful_through_the_real_command(tmp_path):
    for i, data in enumerate(REAL_PROCESS_CASES):
        root = tmp_path / str(i)
        hostile.put(root, data)
        result = subprocess.run(hostile.command(root), capture_output=True, text=True, env=hostile.env(), timeout=120)
        assert_result_or_located_errors(root, result.returncode, result.stdout, result.stderr, data)
    assert (tmp_path / "5" / "build" / "2022" / f"{hostile.DEPT}.docx").is_file()  # CRLF + BOM builds


# ---------------------------------------------------------------- any text: printed exactly, or refused

TRICKY = ["{_{", "}_}", "{_%", "%_}", "{{", "}}", "{%", "%}", "{#", "#}", "]]>", "&amp;", "&#123;", "<w:br/>", "\n", " #", ": ", "'", '"', "\\"]
texts = st.lists(
    st.one_of(st.characters(exclude_categories=("Cs",)), st.characters(max_codepoint=0x7F), st.sampled_from(TRICKY)),
    min_size=1,
    max_size=12,
).map("".join)


@settings(max_examples=max(40, EXAMPLES // 5), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_any_text_is_printed_exactly_or_refused_where_it_stands(text):
    import json

    from pipeline.build import check, render_docx
    from pipeline.problems import Severity

    content = real_text().replace("  - 科技服务水平有待提高。", "  - " + json.dumps(text, ensure_ascii=False), 1)
    with tempfile.TemporaryDirectory() as scratch:
        checked = check(hostile.put(Path(scratch), content), "f.yaml")
        errors = [p for p in checked.problems if p.severity is Severity.error]
        if errors:
            for p in errors:
                assert hostile.LOCATED.match(str(p)) and p.line >= 1, p
            return
        data, problems = render_docx(checked)
        assert data is not None, problems
        target = Path(scratch) / "r.docx"
        target.write_bytes(data)
        paragraphs = [p.text for p in hostile.opens(target).paragraphs]
    assert f"1、{text}" in paragraphs, text


# ---------------------------------------------------------------- templates as inputs
#
# A template is input too (issue 11.1): the default template with Jinja tags, hostile code and
# raw XML spliced into the text of its body, footer or document properties. Each case ends in a
# report or in one Chinese line naming the template — never code run, a hang, a traceback, or a
# report with parts silently dropped.

TEMPLATE = hostile.ROOT / "templates" / "report.docx"
TEMPLATE_SNIPPETS = [
    "{{ title }}", "{{ titel }}", "{{", "}}", "{%", "%}", "{% if %}", "{% if problems %}", "{% endif %}",
    "{% for x in problems %}", "{% endfor %}", "{%p if problems %}", "{%tr endfor %}", "{#", "#}",
    "{{ cycler.__init__.__globals__.os.popen('touch PWNED') }}", "{{ ''.__class__.__mro__ }}",
    "{{ joiner.__init__.__globals__.__builtins__.open('PWNED', 'w') }}", "{{ self.__dict__ }}",
    "{% for i in range(10**9) %}{% endfor %}", "{{ 'x' * 10**9 }}", "{{ title|center(10**8) }}",
    "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}",
    "{{ '\\x3c/w:t\\x3e\\x3c/w:p\\x3e'|safe }}", "{{ '\\x3c/w:body\\x3e'|safe }}", "{{ '\\x3cw:t\\x3ex\\x3c/w:t\\x3e'|safe }}",
    "{{ 1/0 }}", "{{ title|upcase }}", "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", "{% set n = namespace(x=1) %}",
    "{{ lipsum(9) }}", "{{ range(5)|list }}", "{{ title ~ title }}", "{{ '%s' % title }}", "&amp;", "{{ title.format(1) }}",
]
TEMPLATE_PARTS = ["word/document.xml", "word/footer1.xml", "docProps/core.xml"]


@st.composite
def mutated_template(draw) -> bytes:
    import re as _re

    with zipfile.ZipFile(TEMPLATE) as src:
        parts = {name: src.read(name) for name in src.namelist()}
    for _ in range(draw(st.integers(1, 3))):
        part = draw(st.sampled_from(TEMPLATE_PARTS))
        xml = parts[part].decode("utf-8")
        spots = [m.end() for m in _re.finditer(r"<w:t(?: [^>]*)?>|<dc:title>|<dc:subject>", xml)]
        at = draw(st.sampled_from(spots))
        snippet = draw(st.sampled_from(TEMPLATE_SNIPPETS)).replace("&", "&amp;").replace("&amp;amp;", "&amp;")
        parts[part] = (xml[:at] + snippet + xml[at:]).encode("utf-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in parts.items():
            dst.writestr(name, data)
    return out.getvalue()


@settings(max_examples=max(20, EXAMPLES // 10), deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated_template())
def test_any_template_mutation_builds_a_report_or_is_refused_naming_the_template(data):
    import time

    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        (root / "t.docx").write_bytes(data)
        hostile.put(root, real_text())
        cwd = os.getcwd()
        os.chdir(root)
        try:
            started = time.monotonic()
            run = hostile.report(root, None, "--template", "t.docx")
            elapsed = time.monotonic() - started
        finally:
            os.chdir(cwd)
        assert not (root / "PWNED").exists(), "the template ran code"
        assert elapsed < 60, elapsed
        text = run.out + run.err
        assert run.code in (0, 1), (run.code, text)
        assert "Traceback" not in text and "内部错误" not in text, text
        if run.code == 0:
            hostile.opens(run.docx)
            return
        lines = [line for line in run.err.splitlines() if not line.startswith("有错误")]
        assert len(lines) == 1 and lines[0].startswith("t.docx: "), lines
        assert any("\u4e00" <= ch <= "\u9fff" for ch in lines[0]), lines
        assert not run.docx.exists()


# ---------------------------------------------------------------- command-line arguments as inputs

ARG_TRICKS = ["..", "/", "\\", "$(", "`", ";", "'", '"', "\n", "~", "*", "2022", "d", "-", " ", "．", "２０２２", "build", "content"]


def _cli(*args: str) -> tuple[int, str]:
    import contextlib

    from pipeline import cli

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(args))
    return code, out.getvalue() + err.getvalue()


def _tree(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if "build" not in p.relative_to(root).parts)


def test_any_command_line_argument_is_used_or_refused_never_a_defect(tmp_path_factory):
    """--year, --dept and --template from anyone: each run exits 0, 1 or 2 with Chinese words,
    never a defect, and writes nothing outside the build folder it was given."""
    root = tmp_path_factory.mktemp("args")
    hostile.put(root, real_text())
    before = _tree(root)
    text = st.lists(st.one_of(st.sampled_from(ARG_TRICKS), st.text(max_size=3)), max_size=5).map("".join)

    @settings(max_examples=max(60, EXAMPLES // 10), deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.sampled_from(["check", "report", "form"]), st.sampled_from(["--year", "--dept", "--template"]), text)
    def run(command, option, value):
        if value.startswith("-") or "\x00" in value:
            return  # an option's name, or a byte no command line can carry
        if command == "check" and option == "--template":
            return
        args = [command, "--content", str(root / "content"), option, value]
        if command != "check":
            args += ["--out", str(root / "build")]
        code, said = _cli(*args)
        assert code in (0, 1, 2), (code, said)
        assert "内部错误" not in said and "Traceback" not in said
        assert _tree(root) == before, (command, option, value)

    run()


# ---------------------------------------------------------------- the preview while files are swapped (issue 24)

SWAPS = {
    "fifo": lambda p, other: os.mkfifo(p),
    "link to /dev/zero": lambda p, other: os.symlink("/dev/zero", p),
    "link to /dev/urandom": lambda p, other: os.symlink("/dev/urandom", p),
    "link to /dev/null": lambda p, other: os.symlink("/dev/null", p),
    "link out of the project": lambda p, other: os.symlink(other["secret"], p),
    "dangling link": lambda p, other: os.symlink(p.parent / "nowhere.yaml", p),
    "link loop": lambda p, other: os.symlink(p, p),
    "folder": lambda p, other: p.mkdir(),
    "link to another department": lambda p, other: os.symlink(other["good"], p),
    "too large": lambda p, other: p.write_bytes(b"# x\n" * 600_000),
    "real content": lambda p, other: p.write_text(real_text(), encoding="utf-8"),
}


def _clear(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        path.rmdir()
    elif os.path.lexists(path):
        path.unlink()


def test_the_preview_answers_while_content_files_are_swapped_for_links_fifos_and_devices(tmp_path):
    """``make fuzz FUZZ_MODE=preview``: a running preview whose content files are swapped, again
    and again, for FIFOs, devices, links out of the project and back; every page answers within
    2 s, names what it refuses, and never shows the secret or a defect."""
    import random
    import time as clock

    from .test_preview import Server, copy_content

    project = tmp_path / "project"
    good = copy_content(project, dept="good")
    files = [copy_content(project, dept=f"d{i}") for i in range(3)]
    secret = tmp_path / "secret.yaml"
    secret.write_text("password: hunter2-do-not-show\n", encoding="utf-8")
    other = {"secret": secret, "good": good}
    rng = random.Random(24)
    server = Server(project)
    try:
        for step in range(max(20, EXAMPLES // 25)):
            path = rng.choice(files)
            kind = rng.choice(list(SWAPS))
            _clear(path)
            SWAPS[kind](path, other)
            for page in rng.sample(["/", "/d/good", "/d/d0", "/d/d1", "/d/d2"], 2):
                started = clock.monotonic()
                status, _, body = server.get(page)
                seconds = clock.monotonic() - started
                assert status in (200, 404) and seconds < 2, (step, kind, page, status, seconds)
                assert "hunter2" not in body and "内部错误" not in body and "Traceback" not in body, (step, kind, page)
        code, out = server.stop()
        assert code == 0 and "Traceback" not in out, out
    finally:
        if server.proc.poll() is None:
            server.proc.kill()
            server.proc.communicate()
