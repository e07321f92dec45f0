"""Templates are data: hostile templates, built by editing the default templates/report.docx,
run no code, do bounded work, and never leave a report with parts silently dropped.

Each case renders the real 2022 content through ``render_docx`` (what ``report`` does) and, for a
few, through the report command; the refusal names the template, the part and, where it can,
the paragraph, in Chinese.
"""

from __future__ import annotations

import io
import resource
import time
import zipfile
from pathlib import Path

import pytest

from pipeline.build import check, render_docx
from pipeline.problems import Severity

from . import hostile
from .conftest import ROOT, real_text

TEMPLATE = ROOT / "templates" / "report.docx"
HEADER_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
FOOTER_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    root = tmp_path_factory.mktemp("content")
    result = check(hostile.put(root, real_text()), "c.yaml")
    assert result.ok, result.problems
    return result


def template_with(edits: dict[str, list[tuple[str, str]]], extra: dict[str, bytes] | None = None) -> bytes:
    """The default template with, in each named part, each ``old`` replaced once by ``new``."""
    out = io.BytesIO()
    with zipfile.ZipFile(TEMPLATE) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for entry in src.namelist():
            data = src.read(entry)
            for old, new in edits.get(entry, []):
                assert old.encode() in data, (entry, old)
                data = data.replace(old.encode(), new.encode(), 1)
            dst.writestr(entry, data)
        for name, data in (extra or {}).items():
            dst.writestr(name, data)
    return out.getvalue()


def with_header(text: str) -> bytes:
    """The default template whose even-page footer is turned into a header holding ``text``."""
    return template_with(
        {
            "word/document.xml": [('<w:footerReference w:type="even" r:id="rId2"/>', '<w:headerReference w:type="even" r:id="rId2"/>')],
            "word/_rels/document.xml.rels": [(f'Id="rId2" Type="{REL}footer"', f'Id="rId2" Type="{REL}header"')],
            "[Content_Types].xml": [(f'PartName="/word/footer2.xml" ContentType="{FOOTER_TYPE}"', f'PartName="/word/footer2.xml" ContentType="{HEADER_TYPE}"')],
            "word/footer2.xml": [("<w:ftr ", "<w:hdr "), ("</w:ftr>", "</w:hdr>"), ('<w:t xml:space="preserve">— </w:t>', f'<w:t xml:space="preserve">{text}— </w:t>')],
        }
    )


def refusal(checked, data: bytes) -> str:
    """The one error of rendering with this template (named t.docx)."""
    out, problems = render_docx(checked, Path("t.docx"), template_data=data)
    assert out is None, "the template was not refused"
    assert len(problems) == 1 and problems[0].severity is Severity.error, problems
    line = str(problems[0])
    assert line.startswith("t.docx: "), line
    assert "Traceback" not in line and "Error" not in line, line  # Chinese, no Python names
    return line


EXPLOITS = [
    "{{ cycler.__init__.__globals__.os.popen('touch PWNED').read() }}",
    "{{ joiner.__init__.__globals__.__builtins__.open('PWNED', 'w') }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ h1.__globals__ }}",
    "{{ self.__init__.__globals__ }}",
    "{{ (title|attr('__class__')).__mro__ }}",
    "{{ '{0.__class__}'.format(title) }}",
]


@pytest.mark.parametrize("exploit", EXPLOITS)
def test_code_in_the_body_runs_nothing_and_is_refused_where_it_stands(checked, exploit, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    line = refusal(checked, template_with({"word/document.xml": [("{{ title }}", exploit)]}))
    assert "模板不允许" in line and "正文第 1 段" in line, line
    assert not (tmp_path / "PWNED").exists()


def test_code_in_a_footer_is_refused_naming_the_footer(checked, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    exploit = EXPLOITS[0]
    line = refusal(checked, template_with({"word/footer1.xml": [('<w:t xml:space="preserve">— </w:t>', f'<w:t xml:space="preserve">{exploit}— </w:t>')]}))
    assert "模板不允许访问“__init__”" in line and "页脚第 1 段" in line, line
    assert not (tmp_path / "PWNED").exists()


def test_code_in_a_header_is_refused_naming_the_header(checked, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert render_docx(checked, Path("t.docx"), template_data=with_header("{{ title }}"))[0] is not None  # the header renders
    line = refusal(checked, with_header(EXPLOITS[0]))
    assert "模板不允许" in line and "页眉第 1 段" in line, line
    assert not (tmp_path / "PWNED").exists()


def test_code_in_the_document_properties_is_refused_naming_the_property(checked, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    line = refusal(checked, template_with({"docProps/core.xml": [("<dc:title>部门整体支出绩效自评报告</dc:title>", f"<dc:title>{EXPLOITS[0]}</dc:title>")]}))
    assert "模板不允许" in line and "文档属性“title”" in line, line
    assert not (tmp_path / "PWNED").exists()


def test_builtins_are_not_there(checked, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    line = refusal(checked, template_with({"word/document.xml": [("{{ title }}", "{{ __builtins__.open('PWNED', 'w') }}")]}))
    assert "不存在的变量“__builtins__”" in line, line
    assert not (tmp_path / "PWNED").exists()


WORK = [
    ("{% for i in range(10**9) %}x{% endfor %}", "数值参数"),
    ("{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}", "循环或调用超过"),
    ("{% for i in title %}{% for j in range(99999) %}{% for k in range(99999) %}{% endfor %}{% endfor %}{% endfor %}", "循环或调用超过"),
    ("{{ 'x' * 10**9 }}", "过大"),
    ("{{ [1] * 10**9 }}", "过大"),
    ("{{ 10**(10**10) }}", "乘方"),
    ("{% set n = 10**100 %}{{ n * n * n * n }}", "整数"),
    ("{{ title|center(10**9) }}", "不存在的过滤器“center”"),
    ("{{ title|batch(10**9)|list }}", "数值参数"),
    ("{{ '\t'.expandtabs(10**9) }}", "不允许访问“expandtabs”"),
    ("{% set s = title * 100000 %}{{ ([s] * 4000000)|join }}", "过大"),
    ("{% set s = title * 100000 %}{{ [s] * 1000 }}", "过大"),
    ("{% set s = title * 100000 %}{% set x %}{% for i in range(1999999) %}{{ s }}{% endfor %}{% endset %}{{ x|length }}", "过大"),
    ("{% set s = title * 100000 %}{% macro f(n) %}{{ s }}{{ f(n) }}{% endmacro %}{{ f(1) }}", "模板"),
    ("{% set s = title * 100000 %}" + "".join("{% set a" + str(i) + " = s[::-1] %}" for i in range(40)) + "{{ a0|length }}", "合计超过"),
    ("".join("{% set a" + str(i) + " = range(240000)|list %}" for i in range(40)) + "{{ a0|length }}", "合计超过"),
    ("".join("{% set a" + str(i) + " = (title * 7000)|list %}" for i in range(40)) + "{{ a0|length }}", "合计超过"),
    ("{{ (range(3999999)|list)|length }}", "过大"),
    ("{% set s = title * 100000 %}{{ s.replace('', s) }}", "替换结果"),
    ("{% set s = title * 100000 %}{{ '%s%s' % (s, s) }}{{ '%s' % ([s] * 100) }}", "过大"),
    ("{{ title.ljust(10**9) }}", "数值参数"),
    ("{{ '%999999999s' % title }}", "格式宽度"),
    ("{{ lipsum(n=10**9) }}", "不存在的变量“lipsum”"),
    ("{% set s = title %}" + "{% set s = s ~ s %}" * 40 + "{{ s }}", "过大"),
    ("{% set s = title %}" + "{% set s = s + s %}" * 40 + "{{ s }}", "过大"),
    ("{% set s = title %}" + "{% set s = [s, s]|join %}" * 40 + "{{ s }}", "过大"),
    ("{% macro f(n) %}{{ f(n) }}{{ f(n) }}{% endmacro %}{{ f(1) }}", "调用自身"),
    ("{% for i in range(90000) %}{{ title }}{{ title }}{{ title }}{% endfor %}" * 20, "超过"),
]


@pytest.mark.parametrize("tag,words", WORK, ids=range(len(WORK)))
def test_unbounded_work_is_stopped_quickly_and_named(checked, tag, words):
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    line = refusal(checked, template_with({"word/document.xml": [("{{ title }}", tag)]}))
    assert time.monotonic() - started < 20, line
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 400_000, "more than 400 MB more memory"  # KiB
    assert words in line and "正文" in line, line


@pytest.mark.parametrize("tag", ["{% include 'x.xml' %}", "{% import 'x' as x %}", "{% extends 'base' %}", "{% from 'x' import y %}"])
def test_a_template_cannot_pull_in_other_files(checked, tag):
    line = refusal(checked, template_with({"word/document.xml": [("{{ title }}", tag)]}))
    assert "不能引用其他模板" in line, line


def test_an_if_straddling_a_table_is_refused_not_recovered(checked):
    # {% if %} in the paragraph before the form's budget table, {% endif %} inside its first cell: when false,
    # the table's start goes and its end stays. lxml's recover mode would keep a report without it.
    data = template_with({"word/document.xml": [("预算执行情况", "预算执行情况{% if problems and not problems %}"), ("{{ form.budget_columns[0] }}", "{% endif %}{{ form.budget_columns[0] }}")]})
    line = refusal(checked, data)
    assert "模板结构有误" in line and "正文" in line, line


def test_raw_xml_through_safe_is_refused_when_it_breaks_the_document(checked):
    # |safe is allowed (a template is the document's XML anyway: whatever it can insert it could
    # contain), but what it inserts must leave well-formed XML.
    data = template_with({"word/document.xml": [("{{ title }}", "{{ '\\x3c/w:t\\x3e\\x3c/w:r\\x3e\\x3c/w:p\\x3e\\x3c/w:body\\x3e'|safe }}")]})
    line = refusal(checked, data)
    assert "模板结构有误" in line and "|safe" in line, line


def test_malformed_xml_in_a_footer_is_refused(checked):
    data = template_with({"word/footer1.xml": [('<w:t xml:space="preserve">— </w:t>', "<w:t xml:space=\"preserve\">{{ '\\x3c/w:p\\x3e'|safe }}— </w:t>")]})
    line = refusal(checked, data)
    assert "模板结构有误" in line and "页脚" in line, line


def test_well_formed_safe_markup_still_renders(checked):
    data = template_with({"word/document.xml": [("{{ title }}", "{{ title }}{{ '\\x3c/w:t\\x3e\\x3cw:t\\x3e（续）'|safe }}")]})
    out, problems = render_docx(checked, Path("t.docx"), template_data=data)
    assert out is not None, problems


def test_an_oversized_xml_part_is_refused_before_rendering(checked):
    from pipeline.output import render

    padding = "<!--" + "x" * (render.MAX_XML_PART + 10) + "-->"
    data = template_with({"word/document.xml": [("<w:body>", "<w:body>" + padding)]})
    assert len(data) < 1_000_000  # small on disk, large unpacked
    line = refusal(checked, data)
    assert "模板过大" in line and "word/document.xml" in line, line


def test_a_zip_bomb_is_refused_by_its_declared_and_its_real_size(checked):
    big = template_with({}, {"word/media/bomb.bin": b"\0" * (80 * 1024 * 1024)})
    assert len(big) < 1_000_000
    line = refusal(checked, big)
    assert "模板过大" in line, line
    # The same member declaring a small size in the zip's directory: refused all the same, at
    # once, without unpacking 80 MB.
    name = "word/media/bomb.bin"
    with zipfile.ZipFile(io.BytesIO(big)) as z:
        local = z.getinfo(name).header_offset
    central = big.rindex(b"PK\x01\x02", 0, big.rindex(name.encode()))
    lied = bytearray(big)
    lied[central + 24 : central + 28] = (1000).to_bytes(4, "little")  # uncompressed size, directory
    lied[local + 22 : local + 26] = (1000).to_bytes(4, "little")  # and local header
    started = time.monotonic()
    out, problems = render_docx(checked, Path("t.docx"), template_data=bytes(lied))
    assert out is None and len(problems) == 1, problems
    assert time.monotonic() - started < 10


def test_the_default_template_still_renders_in_the_sandbox(checked):
    out, problems = render_docx(checked)
    assert out is not None and problems == [], problems


def test_a_refused_template_leaves_the_earlier_report_and_runs_nothing_through_the_command(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    first = hostile.report(tmp_path, real_text())
    assert first.code == 0, first.text
    before = first.docx.read_bytes()
    (tmp_path / "evil.docx").write_bytes(template_with({"word/document.xml": [("{{ title }}", EXPLOITS[0])]}))
    run = hostile.report(tmp_path, None, "--template", "evil.docx")
    assert run.code == 1, run.text
    assert "Traceback" not in run.text and "内部错误" not in run.text, run.text
    assert "evil.docx: 模板不允许访问“__init__”" in run.err, run.err
    assert run.docx.read_bytes() == before
    assert not (tmp_path / "PWNED").exists()


def test_a_large_part_that_is_not_a_picture_is_held_to_the_xml_limit(checked):
    from pipeline.output import render

    line = refusal(checked, template_with({}, {"customXml/item1.dat": b"<a>" + b"x" * render.MAX_XML_PART + b"</a>"}))
    assert "模板过大" in line and "customXml/item1.dat" in line, line
    out, problems = render_docx(checked, Path("t.docx"), template_data=template_with({}, {"word/media/image1.png": b"\x89PNG" + b"\0" * (render.MAX_XML_PART + 10)}))
    assert out is not None, problems  # a picture may be larger than an XML part


# Issue 24: single steps that are large (a filter walking millions of numbers, inside a loop) ran
# for minutes, the clock being read every 1024 steps and never inside a filter. Each must stop
# within the 30 s limit (35 s allowed here for a loaded machine) with a Chinese message.
EXPENSIVE = {
    "a filter over a multi-million range in a loop": "{% for i in range(100000) %}{{ range(3999999)|select('eq', -1)|list|length }}{% endfor %}",
    "a chain of lazy filters consumed at once": "{% for i in range(100000) %}{{ range(3999999)" + "|map('abs')" * 50 + "|select('eq', -1)|list|length }}{% endfor %}",
    "unique and sum over a range": "{% for i in range(100000) %}{{ range(3999999)|unique|map('abs')|sum }}{% endfor %}",
    # few steps, each walking a quarter-million-item list: only the clock stops it, at 30 s
    "a loop whose every step filters a large list": "{% set xs = range(240000)|list %}{% for i in range(100000) %}{{ xs|select('eq', -1)|list|length }}{% endfor %}",
}


@pytest.mark.parametrize("tag", list(EXPENSIVE.values()), ids=list(EXPENSIVE))
def test_a_template_of_expensive_single_steps_stops_within_35_s(checked, tag):
    import signal

    def overdue(*_):
        raise AssertionError("the template was still running after 40 s")

    previous = signal.signal(signal.SIGALRM, overdue)
    signal.setitimer(signal.ITIMER_REAL, 40)
    started = time.monotonic()
    try:
        line = refusal(checked, template_with({"word/document.xml": [("{{ title }}", tag)]}))
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert time.monotonic() - started < 35, line
    assert "已停止" in line and "正文" in line, line


@pytest.mark.parametrize("depth", [300, 3000])
def test_a_filter_chain_too_deep_to_compile_is_refused_in_chinese(checked, depth):
    # Jinja's compiler took 25 s for 300 filters in one chain, then Python refused the code it made
    started = time.monotonic()
    line = refusal(checked, template_with({"word/document.xml": [("{{ title }}", "{{ title" + "|trim" * depth + " }}")]}))
    assert time.monotonic() - started < 10, line
    assert "嵌套过深" in line and "正文" in line, line
