"""Hostile input, part 1: what report writers paste and type. Whatever arrives is printed exactly
as written, or refused with its line and column and what to do — never dropped or changed
silently. (Decisions per case: README, 可靠性保证.)"""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.build import check
from pipeline.content.load import load_text
from pipeline.problems import Severity

from . import hostile
from .conftest import edit, real_text, soffice, where


def errors_of(path) -> list[str]:
    return [str(p) for p in check(path, "f.yaml").problems if p.severity is Severity.error]


def quoted(text: str) -> str:
    """``text`` as a YAML single-quoted scalar."""
    return "'" + text.replace("'", "''") + "'"


# ---------------------------------------------------------------- printed literally, by every reader

SPECIALS = "A&B <c> \"d\" 'e' {{ f }} {% g %} {#h#} &amp; ]]> {_{ i }_} {_% j %_}"
DEPT_NAME = f"璧山{SPECIALS}局"
INDICATOR = f"新增{SPECIALS}数量"
PROSE = f"分析{SPECIALS}本年度新增科技型企业"
# Accepted as pasted (decision: printed faithfully): non-breaking space inside text, mixed full-
# and half-width punctuation, full-width digits in prose, rare CJK (Extension B), emoji (with a
# zero-width joiner between emoji), a line break written with |-.
FAITHFUL = "甲\u00a0乙（1）(2)，,；;：:１２３𠀀𪚥👍👨\u200d👩\u200d👧"


def hostile_content() -> str:
    text = real_text()
    text = edit(text, "  name: 重庆市璧山区科学技术局", f"  name: {quoted(DEPT_NAME)}")
    text = edit(text, "  - name: 新增科技型企业数量", f"  - name: {quoted(INDICATOR)}")
    text = edit(text, "    analysis: 增强科技服务水平，加大科技型企业投入，本年度新增科技型企业{actual}家。", f"    analysis: {quoted(PROSE + '{actual}家。')}")
    text = edit(text, "  - 科技服务水平有待提高。", f"  - {quoted(FAITHFUL)}")
    text = edit(text, "  - 制定项目绩效管理制度明确项目绩效目标编制及审批流程，规范绩效指标设置。", "  - |-\n    第一行\n    第二行")
    return text


@pytest.fixture(scope="module")
def hostile_docx(tmp_path_factory):
    root = tmp_path_factory.mktemp("specials")
    run = hostile.report(root, hostile_content())
    assert run.code == 0, run.text
    return run.docx


def test_python_docx_reads_special_characters_literally_everywhere(hostile_docx):
    document = hostile.opens(hostile_docx)
    title = f"{DEPT_NAME}2022年度部门整体支出绩效自评报告"
    assert document.core_properties.title == title
    assert document.core_properties.author == DEPT_NAME
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0].replace("\n", "") == title  # the title may be broken over lines
    assert f"{DEPT_NAME}是区政府工作部门，为正处级。" in paragraphs
    assert f"2{'、'}{INDICATOR}分析" in paragraphs
    assert f"{PROSE}171家。根据评价标准，该指标得100%权重分。" in paragraphs
    rows = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert [INDICATOR, "15", "15", "100%"] in rows


def test_pasted_characters_are_printed_as_written(hostile_docx):
    from docx.oxml.ns import qn

    document = hostile.opens(hostile_docx)
    paragraphs = [p.text for p in document.paragraphs]
    assert f"1、{FAITHFUL}" in paragraphs
    lines = [p for p in document.element.body.iter(qn("w:p")) if "第一行" in "".join(t.text or "" for t in p.iter(qn("w:t")))]
    assert len(lines) == 1 and lines[0].find(".//" + qn("w:br")) is not None  # |- keeps the line break


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) 未安装：apt-get install libreoffice-writer-nogui poppler-utils fonts-noto-cjk")
def test_libreoffice_prints_special_characters_literally(hostile_docx, tmp_path):
    pages = hostile.pdf_pages([hostile_docx], tmp_path)[hostile_docx]
    text = hostile.flat("".join(pages))
    assert text.startswith(hostile.flat(f"{DEPT_NAME}2022年度部门整体支出绩效自评报告"))
    assert text.count(hostile.flat(SPECIALS)) >= 8  # title, sentences naming the department, Table 1, heading, prose
    # Table 1 (read with -layout): the long name wraps in its cell beside the row's figures.
    row = text[text.index("42.42%") + len("42.42%") : text.index("新增高新技术企业数量")]
    assert "1515100%" in row and row.replace("1515100%", "") == hostile.flat(INDICATOR)
    assert hostile.flat(f"{PROSE}171家") in text
    assert hostile.flat("甲\u00a0乙（1）(2)，,；;：:１２３") in text
    if shutil.which("pdfinfo"):
        out = subprocess.run(["pdfinfo", "-enc", "UTF-8", str(tmp_path / "d.pdf")], capture_output=True, text=True).stdout
        info = dict((k, v.strip()) for k, _, v in (line.partition(":") for line in out.splitlines()))
        assert info["Title"] == f"{DEPT_NAME}2022年度部门整体支出绩效自评报告" and info["Author"] == DEPT_NAME


# ---------------------------------------------------------------- pasted characters: refused where they stand

# (what, old, new, needle the message points at, words in the message)
REFUSED = [
    ("zero-width space in a name", "  short_name: 区科技局", "  short_name: 区科\u200b技局", "\u200b", "看不见的字符 U+200B"),
    ("BOM inside text", "  short_name: 区科技局", "  short_name: 区科\ufeff技局", "\ufeff", "看不见的字符 U+FEFF"),
    ("zero-width joiner outside emoji", "  short_name: 区科技局", "  short_name: 区科\u200d技局", "\u200d", "U+200D"),
    ("right-to-left override", "  short_name: 区科技局", "  short_name: 区科\u202e技局", "\u202e", "U+202E"),
    ("soft hyphen", "  short_name: 区科技局", "  short_name: 区科\u00ad技局", "\u00ad", "U+00AD"),
    ("zero-width space in a reference", "    document: self-evaluation-notice", "    document: self-evaluation\u200b-notice", "\u200b", "U+200B"),
    ("zero-width space as an escape", "  short_name: 区科技局", '  short_name: "区科\\u200b技局"', "\\u200b", "U+200B"),  # at the escape (issue 11.3)
    ("tab inside quoted text", "  short_name: 区科技局", "  short_name: '区科\t技局'", "\t", "Tab 字符"),
    ("tab as an escape", "  short_name: 区科技局", '  short_name: "区科\\t技局"', "\\t", "Tab 字符"),  # at the escape (issue 11.3)
    ("tab inside plain text", "  short_name: 区科技局", "  short_name: 区科\t技局", "\t", "Tab 字符"),
    ("escaped bell", "  short_name: 区科技局", '  short_name: "区科\\a技局"', "\\a", "控制字符 U+0007"),
    ("escaped form feed (a page break in Word)", "  short_name: 区科技局", '  short_name: "区科\\f技局"', "\\f", "控制字符 U+000C"),
    ("escaped NUL", "  short_name: 区科技局", '  short_name: "区科\\0技局"', "\\0", "控制字符 U+0000"),
    ("C1 control NEL (a line break in YAML 1.1)", "  short_name: 区科技局", "  short_name: 区科\u0085技局", "\u0085", "控制字符 U+0085"),
    ("DEL", "  short_name: 区科技局", "  short_name: 区科\x7f技局", "\x7f", "控制字符 U+007F"),
    ("line separator", "  short_name: 区科技局", "  short_name: 区科\u2028技局", "\u2028", "U+2028"),
    ("replacement character (text already lost)", "  short_name: 区科技局", "  short_name: 区科\ufffd技局", "\ufffd", "U+FFFD"),
    ("private-use character (Word symbol font)", "  short_name: 区科技局", "  short_name: 区科\uf0b7技局", "\uf0b7", "私用区字符 U+F0B7"),
    ("leading ideographic spaces (a Word indent)", "  - 科技服务水平有待提高。", "  - \u3000\u3000科技服务水平有待提高。", "\u3000", "文字开头有空白（全角空格 U+3000）"),
    ("trailing non-breaking space", "  short_name: 区科技局", "  short_name: 区科技局\u00a0", "\u00a0", "文字末尾有空白（不换行空格 U+00A0）"),
    ("leading space in quotes", "  short_name: 区科技局", "  short_name: ' 区科技局'", " 区科技局", "文字开头有空白（空格）"),
    ("block scalar keeps a final newline", "  - 科技服务水平有待提高。", "  - |\n    科技服务水平有待提高。", "|\n", "请把“|”改为“|-”"),
    ("Chinese text folded over two lines", "  - 科技服务水平有待提高。", "  - 科技服务水平\n    有待提高。", "科技服务水平\n", "文字写成了多行"),
    ("folded block scalar", "  - 科技服务水平有待提高。", "  - >-\n    科技服务水平\n    有待提高。", ">-", "文字写成了多行"),
    ("' #' turns the rest of a line into a comment", "  - 科技服务水平有待提高。", "  - 科技服务水平 #有待提高。", "#有待", "当作注释，不会印出"),
    ("mistyped placeholder: full-width braces", "本年度新增科技型企业{actual}家", "本年度新增科技型企业｛actual｝家", "增强科技服务水平", "“｛actual｝”应写作“{actual}”"),
    ("mistyped placeholder: spaces inside", "本年度新增科技型企业{actual}家", "本年度新增科技型企业{ actual }家", "增强科技服务水平", "“{ actual }”应写作“{actual}”"),
    ("placeholder where none is filled in", "  - 科技服务水平有待提高。", "  - 科技服务水平有待提高，见{form}。", "科技服务水平有待提高，见", "此处不可用的占位符 {form}（此处可用：无）"),
]


@pytest.mark.parametrize("what,old,new,needle,words", REFUSED, ids=[c[0] for c in REFUSED])
def test_pasted_characters_are_refused_where_they_stand(write_content, what, old, new, needle, words):
    text = edit(real_text(), old, new)
    expected = f"f.yaml:{where(text, needle)}: "
    messages = errors_of(write_content(text))
    assert any(m.startswith(expected) and words in m for m in messages), (expected, words, messages)


def test_crlf_bom_and_old_mac_line_ends_give_the_same_report(tmp_path):
    text = real_text()
    variants = {
        "lf": text.encode(),
        "crlf": text.replace("\n", "\r\n").encode(),
        "cr": text.replace("\n", "\r").encode(),
        "bom-crlf": b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode(),
    }
    built = {}
    for name, data in variants.items():
        run = hostile.report(tmp_path / name, data)
        assert run.code == 0, (name, run.text)
        built[name] = run.docx.read_bytes()
    assert len(set(built.values())) == 1


def test_crlf_keeps_lines_and_columns(write_content):
    text = edit(real_text(), "  executed: 1209.56", "  executed: -1")
    messages = errors_of(write_content(text.replace("\n", "\r\n").encode()))
    assert any(m.startswith(f"f.yaml:{where(text, '-1')}: ") for m in messages), messages


def test_every_invisible_format_character_is_refused():
    """Unicode's format characters (category Cf) are invisible; each is refused, except the
    joiner between emoji and the selectors that shape emoji and rare CJK glyphs."""
    import sys
    import unicodedata

    allowed = {"\u200d"} | {chr(c) for c in range(0xE0100, 0xE01F0)}
    scripts = {chr(c) for c in (0x600, 0x601, 0x602, 0x603, 0x604, 0x605, 0x6DD, 0x70F, 0x890, 0x891, 0x8E2, 0x180E, 0x110BD, 0x110CD)}
    scripts |= {chr(c) for c in range(0x13430, 0x13456)} | {chr(c) for c in range(0x1BCA0, 0x1BCA4)} | {chr(c) for c in range(0x1D173, 0x1D17B)}
    missed = []
    for code in range(sys.maxunicode + 1):
        ch = chr(code)
        if unicodedata.category(ch) != "Cf" or ch in allowed or ch in scripts:
            continue
        tree, problems = load_text(f"a: 甲{ch}乙\n", "f.yaml")
        if not problems:
            missed.append(f"U+{code:04X}")
    assert missed == []


# ---------------------------------------------------------------- numbers written as text

MONEY = "  executed: 1209.56"

# (what, the value as typed, words in the message) — each refused at the value, never misread
NUMBERS_REFUSED = [
    ("thousands separator", "1,209.56", "不要用逗号、空格等分隔千位"),
    ("thousands separator, quoted", "'1,209.56'", "不要用逗号、空格等分隔千位"),
    ("European style", "1 209,56", "不要用逗号、空格等分隔千位"),
    ("percent sign", "42.42%", "不要带百分号"),
    ("full-width digits", "１２０９.５６", "含全角或非拉丁数字"),
    ("full-width digits and point", "１２０９．５６", "含全角或非拉丁数字"),
    ("full-width digits, quoted", "'１２０９.５６'", "含全角或非拉丁数字"),
    ("Arabic-Indic digits", "'١٢٠٩'", "含全角或非拉丁数字"),
    ("quoted number", "'1209.56'", "数字不要加引号"),
    ("quoted with spaces", "' 1209.56 '", "文字开头有空白", " 1209.56"),
    ("quoted underscore", "'1_209.56'", "不要用逗号、空格等分隔千位"),
    ("quoted exponent", "'1.20956e3'", "数字不要加引号"),
    ("unit", "1209.56万元", "只写数字，不要带单位或文字"),
    ("Chinese numerals", "一千二百零九", "请用阿拉伯数字"),
    ("underscore", "1_209.56", "数字中不要用“_”分隔：“1_209.56”请写作 1209.56"),
    ("exponent", "1.20956e3", "不要用科学计数法（“1.20956e3”）：请写作 1209.56"),
    ("huge exponent", "1e400", "不要用科学计数法"),
    ("octal (YAML 1.2)", "0o17", "八进制写法"),
    ("hexadecimal", "0x4B9", "十六进制写法"),
    ("binary", "0b1", "二进制写法"),
    ("leading zero (octal in YAML 1.1)", "012", "数字不要以 0 开头"),
    ("sexagesimal in YAML 1.1", "1:20", "只写数字，不要带单位或文字"),
    ("more digits than a spreadsheet keeps", "1209.5600000000001", "超过 15 位"),
    ("infinity", ".inf", "应为数字"),
    ("not a number", ".nan", "应为数字"),
    ("boolean", "true", "应为数字"),
]


def at_value(text: str, prefix: str, needle: str) -> str:
    """'line:col' of ``needle`` after ``prefix`` on the line that starts with ``prefix``."""
    start = text.index("\n" + prefix) + 1
    return where(text[: start + len(prefix)] + text[start + len(prefix) :], needle, 1 + text[: start + len(prefix)].count(needle))


@pytest.mark.parametrize("what,typed,words,needle", [c if len(c) == 4 else (*c, c[1]) for c in NUMBERS_REFUSED], ids=[c[0] for c in NUMBERS_REFUSED])
def test_a_number_that_could_be_misread_is_refused_at_its_place(write_content, what, typed, words, needle):
    text = edit(real_text(), MONEY, f"  executed: {typed}")
    messages = errors_of(write_content(text))
    expected = f"f.yaml:{at_value(text, '  executed: ', needle)}: "
    assert any(m.startswith(expected) and words in m for m in messages), (expected, words, messages)


@pytest.mark.parametrize("typed,value", [("1209.56", "1209.56"), ("1209.560", "1209.56"), ("+1209.56", "1209.56"), (".5", "0.5"), ("0.50", "0.5"), ("1209", "1209"), ("0", "0")])
def test_plain_numbers_are_read_exactly(write_content, typed, value):
    text = edit(real_text(), "  carryover_end: 0", f"  carryover_end: {typed}")
    checked = check(write_content(text), "f.yaml")
    assert checked.report is not None, checked.problems
    assert checked.report.budget.carryover_end == Decimal(value)
    assert isinstance(checked.report.budget.carryover_end, Decimal)


def test_a_count_written_as_text_is_refused(write_content):
    text = edit(real_text(), "  administrative: 9", "  administrative: '９'")
    messages = errors_of(write_content(text))
    assert f"f.yaml:{where(text, chr(39) + '９')}: staffing.administrative（行政编制（名））：应为数字（含全角或非拉丁数字、符号，请改用半角：0–9 . - ）（当前为“９”）" in messages


@settings(max_examples=150, deadline=None)
@given(st.decimals(min_value=0, max_value=Decimal("9999999999999.99"), places=2, allow_nan=False, allow_infinity=False))
def test_any_plain_amount_is_read_exactly_and_any_quoted_one_refused(amount):
    typed = format(amount, "f")
    tree, problems = load_text(f"a: {typed}\n", "f.yaml")
    assert problems == [] and tree["a"] == amount and str(tree["a"]) == typed.lstrip("+")
    from pipeline.content.model import Budget

    fields = {"initial": 1, "carryover_start": 0, "adjusted": 1, "executed": 1, "carryover_end": 0, "execution_weight": 10}
    assert Budget.model_validate({**fields, "executed": tree["a"]}).executed == amount
    with pytest.raises(Exception) as refused:
        Budget.model_validate({**fields, "executed": typed})
    assert "number_as_text" in str(refused.value)


# ---------------------------------------------------------------- dates, YAML 1.1 and other surprises

DATE = "    end: 2023-03-28"


@pytest.mark.parametrize(
    "typed,words",
    [
        ("2023-02-30", "日期“2023-02-30”无效：2023 年 2 月没有 30 日"),
        ("2023-13-01", "月份应为 1–12"),
        ("0", "应为日期，如 2023-03-18（不能写成数字）"),
        ("1680307200", "应为日期，如 2023-03-18（不能写成数字）"),
        ("20230328", "应为日期，如 2023-03-18（不能写成数字）"),
        ("2023-3-28", "应为日期"),
        ("2023年3月28日", "应为日期"),
    ],
)
def test_a_date_that_could_be_misread_is_refused_at_its_place(write_content, typed, words):
    text = edit(real_text(), DATE, f"    end: {typed}")
    messages = errors_of(write_content(text))
    expected = f"f.yaml:{at_value(text, '    end: ', typed)}: "
    assert any(m.startswith(expected) and words in m for m in messages), (expected, words, messages)


def test_a_quoted_iso_date_is_read_exactly(write_content):
    import datetime as dt

    checked = check(write_content(edit(real_text(), DATE, "    end: '2023-03-28'")), "f.yaml")
    assert checked.ok and checked.report.evaluation.analysis.end == dt.date(2023, 3, 28)


def test_yaml_1_1_directive_is_refused(write_content):
    text = "%YAML 1.1\n---\n" + real_text()
    messages = errors_of(write_content(text))
    assert messages[0].startswith("f.yaml:1:1: 只支持 YAML 1.2"), messages


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "y", "n", "1:20"])
def test_yaml_1_1_words_stay_text(write_content, word):
    """YAML 1.1 reads yes/no/on/off as true/false; here (1.2) they are the words written."""
    text = edit(real_text(), "  short_name: 区科技局", f"  short_name: {word}")
    checked = check(write_content(text), "f.yaml")
    assert checked.ok, checked.problems
    assert checked.report.department.short_name == word


@pytest.mark.parametrize(
    "line,words",
    [
        ("direction: >=", "如“>=”“>”是文字本身，请加引号"),
        ("unit: %", "文字不能以“%”“@”“`”开头"),
        ("unit: @家", "文字不能以“%”“@”“`”开头"),
        ("unit: *家", "如“*”是文字的一部分，请给整段文字加引号"),
        ("unit: &家 个", "如“&”是文字的一部分，请给整段文字加引号"),
        ("unit: - 家", "此处不能出现“- ”"),
        ("unit: ,家", "文字以“,”“]”“}”等符号开头"),
    ],
)
def test_yaml_syntax_traps_are_explained(write_content, line, words):
    text = edit(real_text(), "    unit: 次\n    kind: 定量\n    actual: 1\n    judgement:\n      coefficient: 1\n      basis: 评价标准\n    analysis: 为鼓励", f"    {line}\n    kind: 定量\n    actual: 1\n    judgement:\n      coefficient: 1\n      basis: 评价标准\n    analysis: 为鼓励")
    messages = errors_of(write_content(text))
    assert any(m.startswith(f"f.yaml:{where(text, line).split(':')[0]}:") and words in m for m in messages), messages


def test_deep_nesting_is_refused_not_a_crash(write_content):
    text = real_text() + "extra: " + "[" * 5000 + "]" * 5000 + "\n"
    messages = errors_of(write_content(text))
    line = text.count("\n")  # the last line; the root mapping is the first level
    assert messages == [f"f.yaml:{line}:{len('extra: ') + 20}: 嵌套层数超过 20 层（括号或缩进有误？）"]


def test_keys_that_are_not_text_are_located(write_content):
    text = edit(real_text(), "year: 2022\n", "year: 2022\n1: x\n")
    assert f"f.yaml:{where(text, '1: x')}: 文件内容：键“1”不是文字，键应为英文名称，如 year" in errors_of(write_content(text))


def test_a_hundred_phases_are_counted_in_chinese(tmp_path):
    phase = "    - name: 评价准备阶段\n      text: 自评工作组梳理和研读了国家层面、市级层面、区级层面与本次评价部门整体有关的政策文件，获得评价资料。\n"
    text = edit(real_text(), "  phases:\n", "  phases:\n" + phase * 118)  # 2 + 118
    run = hostile.report(tmp_path, text)
    assert run.code == 0, run.text
    paragraphs = [p.text for p in hostile.opens(run.docx).paragraphs]
    assert "本次绩效评价工作分为一百二十个阶段：" in paragraphs
    assert any(p.startswith("第一百零一个阶段为评价准备阶段，") for p in paragraphs)
    assert any(p.startswith("第一百二十个阶段为实施评价阶段，") for p in paragraphs)


def test_rare_characters_print_but_check_warns_about_fonts(write_content):
    text = edit(real_text(), "  - 科技服务水平有待提高。", f"  - {quoted(FAITHFUL)}")
    checked = check(write_content(text), "f.yaml")
    assert checked.ok
    warnings = [str(p) for p in checked.problems if p.severity is Severity.warning and "扩展区汉字或表情符号" in p.message]
    assert warnings == [f"f.yaml:{where(text, quoted(FAITHFUL))}: 警告：含有扩展区汉字或表情符号“𠀀”（U+20000），公文常用字体中没有，打印或转 PDF 时可能显示为方框：请确认所用电脑有相应字体，或改用常用字"]
