"""Every refusal of the content stage names the exact line and column, on files that differ from
the real 2022 content by one edit."""

from __future__ import annotations

import pytest

from pipeline.build import check
from pipeline.content.load import MAX_BYTES
from pipeline.problems import Severity

from .conftest import edit, real_text, where


def errors_of(path) -> list[str]:
    return [str(p) for p in check(path, "f.yaml").problems if p.severity is Severity.error]


def test_real_content_has_no_errors(write_content):
    assert errors_of(write_content(real_text())) == []


# (what, old, new, needle in the edited text that the message must point at, occurrence, words in the message)
ONE_EDIT_CASES = [
    ("syntax", "  short_name: 区科技局", "  short_name: [区科技局", ": 区政府工作部门", 1, "YAML 格式错误：方括号“[”未闭合（始于第 8 行第 15 列）"),
    ("misspelt key", "  executed: 1209.56", "  execuetd: 1209.56", "execuetd", 1, "未知的键“execuetd”，是否应为“executed”？"),
    ("unknown key", "  short_name: 区科技局", "  short_name: 区科技局\n  mayor: 张三", "mayor", 1, "未知的键“mayor”"),
    ("wrong type: text for a number", "  initial: 2931.88", "  initial: 二千九百", "二千九百", 1, "budget.initial（年初预算数（万元））：应为数字"),
    ("wrong type: number with thousands separator", "  executed: 1209.56", "  executed: 1,209.56", "1,209.56", 1, "应为数字"),
    ("wrong type: list for text", "  rank: 区政府工作部门，为正处级", "  rank:\n    - 区政府工作部门", "- 区政府工作部门", 1, "department.rank（部门职级）：应为文字"),
    ("wrong type: date", "      start: 2023-02-28", "      start: 2月28日", "2月28日", 1, "应为日期"),
    ("missing field", "  executed: 1209.56\n", "", "budget:", 1, "缺少必填项“executed”"),
    ("negative money", "  executed: 1209.56", "  executed: -1209.56", "-1209.56", 1, "budget.executed（全年执行数（万元））：不能为负数"),
    ("negative 三公 item", "      amount: 4.85", "      amount: -4.85", "-4.85", 1, "不能为负数"),
    ("weights not 100", "    weight: 15\n    unit: 家\n    kind: 定量\n    actual: 171", "    weight: 16\n    unit: 家\n    kind: 定量\n    actual: 171", "indicators:", 1, "权重合计应为 100，现为 101"),
    ("duplicate key", "  initial: 2931.88\n", "  initial: 2931.88\n  initial: 2931.88\n", "initial", 2, "重复的键“initial”"),
    ("anchor", "  adjusted: 2851.19", "  adjusted: &a 2851.19", "&a", 1, "不允许使用锚点"),
    ("alias", "  carryover_end: 0", "  carryover_end: *zero", "*zero", 1, "不允许使用别名"),
    ("tag", "  initial: 2931.88", "  initial: !!str 2931.88", "!!str", 1, "不允许使用标签（!!str）"),
    ("control character", "为正处级", "为正\x07处级", "\x07", 1, "控制字符 U+0007"),
    ("date range out of order", "    end: 2023-03-28", "    end: 2023-03-08", "2023-03-08", 1, "结束日期 2023-03-08 早于开始日期 2023-03-18"),
    ("phases out of order", "    start: 2023-03-18\n    end: 2023-03-28", "    start: 2023-03-10\n    end: 2023-03-28", "2023-03-10", 1, "早于上一阶段的结束日期"),
    ("evaluation before the year closed", "      start: 2023-02-28", "      start: 2022-02-28", "2022-02-28", 1, "年度结束之后"),
    ("over-execution without a reason", "  executed: 1209.56\n  carryover_end: 0\n  execution_weight: 10\n  deviation:\n    reason: 财政资金紧张，支付困难\n", "  executed: 3209.56\n  carryover_end: 0\n  execution_weight: 10\n", "3209.56", 1, "预算执行率为 112.57%，超过 100%，须在 budget.deviation.reason 中写明偏差原因"),
    ("part exceeds total: leader posts", "  administrative: 9", "  administrative: 5", "5\n  posts", 1, "领导职数合计 6 名，超过行政编制 5 名"),
    ("unknown placeholder", "本年度新增科技型企业{actual}家", "本年度新增科技型企业{actul}家", "增强科技服务水平", 1, "未知或此处不可用的占位符 {actul}"),
    ("unknown policy document", "    document: self-evaluation-notice", "    document: notice", "notice\n    text:", 1, "找不到标识为“notice”的依据文件"),
    ("enum: the old English spelling", "    kind: 定量\n    actual: 59", "    kind: quantitative\n    actual: 59", "quantitative", 1, "indicators[2].kind（指标性质）：应为以下之一：定量、定性（“quantitative”现写作“定量”）"),
    ("enum: achievement", "    kind: 定量\n    actual: 59\n    judgement:\n      coefficient: 1\n      basis: 评价标准\n", "    kind: 定性\n    qualitative:\n      achievement: achieved\n      coefficient: 1\n", "achieved", 1, "应为以下之一：达成、部分达成、未达成（“achieved”现写作“达成”）"),
    ("empty text", "  - title: 局长", "  - title: ''", "''", 1, "不能为空"),
    ("coefficient out of range", "      coefficient: 1\n      basis: 评价标准\n    analysis: 职工", "      coefficient: 1.5\n      basis: 评价标准\n    analysis: 职工", "1.5", 1, "不能大于 1"),
]


@pytest.mark.parametrize("what,old,new,needle,occurrence,words", ONE_EDIT_CASES, ids=[c[0] for c in ONE_EDIT_CASES])
def test_one_edit_is_refused_at_its_place(write_content, what, old, new, needle, occurrence, words):
    text = edit(real_text(), old, new)
    messages = errors_of(write_content(text))
    expected = f"f.yaml:{where(text, needle, occurrence)}: "
    assert any(m.startswith(expected) and words in m for m in messages), (expected, words, messages)


def test_all_problems_are_reported_at_once(write_content):
    text = edit(real_text(), "  executed: 1209.56", "  execuetd: 1209.56")
    text = edit(text, "  initial: 2931.88", "  initial: -1")
    text = edit(text, "  administrative: 9", "  administrative: 九")
    messages = errors_of(write_content(text))
    assert len(messages) >= 3, messages


def test_oversized_file_is_refused(write_content):
    text = real_text() + "#" * (MAX_BYTES + 1) + "\n"
    assert errors_of(write_content(text)) == [f"f.yaml:1:1: 文件过大（{len(text.encode())} 字节），上限为 {MAX_BYTES} 字节"]


def test_not_utf8_is_refused_at_the_byte(write_content):
    text = real_text()
    data = text.encode("utf-8").replace("区科技局".encode(), "区科技局".encode("gbk"))
    messages = errors_of(write_content(data))
    assert messages == [f"f.yaml:{where(text, '区科技局')}: 文件不是 UTF-8 编码，请另存为 UTF-8"]


def test_bom_is_accepted(write_content):
    assert errors_of(write_content(b"\xef\xbb\xbf" + real_text().encode())) == []


def test_root_must_be_a_mapping(write_content):
    assert errors_of(write_content("- 1\n- 2\n")) == ["f.yaml:1:1: 文件内容：应为键值对（每行“键: 值”）"]


def test_a_boolean_is_not_a_count(write_content):
    text = edit(real_text(), "  administrative: 9", "  administrative: true")
    assert f"f.yaml:{where(text, 'true')}: staffing.administrative（行政编制（名））：应为整数（当前为“True”）" in errors_of(write_content(text))


def test_empty_file(write_content):
    assert errors_of(write_content("")) == ["f.yaml:1:1: 文件为空"]


def test_money_is_exact_decimal(write_content):
    checked = check(write_content(real_text()))
    from decimal import Decimal

    assert checked.report.budget.executed == Decimal("1209.56")
    assert isinstance(checked.report.budget.executed, Decimal)


def test_a_message_stays_on_one_line_when_the_value_has_line_breaks(write_content):
    text = edit(real_text(), "year: 2022", 'year: ":\\n:"')
    messages = errors_of(write_content(text))
    assert messages == [f"f.yaml:{where(text, chr(34))}: year（年度）：应为数字（当前为“:\\n:”）"]


def _same_tree(a, b, path=()):
    """Same values, same types and the same line/column for every key, value and item."""
    assert type(a) is type(b), (path, type(a), type(b))
    if isinstance(a, dict):
        assert list(a) == list(b), path
        assert (a.lc.line, a.lc.col) == (b.lc.line, b.lc.col), path
        for k in a:
            assert (a.lc.key(k), a.lc.value(k)) == (b.lc.key(k), b.lc.value(k)), (path, k)
            _same_tree(a[k], b[k], path + (k,))
    elif isinstance(a, list):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            assert a.lc.item(i) == b.lc.item(i), (path, i)
            _same_tree(x, y, path + (i,))
    else:
        assert a == b, (path, a, b)


@pytest.mark.parametrize(
    "old,new",
    [
        ("", ""),
        ("  - 科技服务水平有待提高。", "  - |-\n    科技服务水平\n    有待提高。"),
        ("  - 科技服务水平有待提高。", "  - '科技服务水平有待提高。'"),
        ("    reason: 财政资金紧张，支付困难", '    reason: "财政资金紧张，支付困难"'),
        ("  initial: 2931.88", "  initial: 2931.880"),
        ("    end: 2023-03-28", "    end: '2023-03-28'"),
    ],
)
def test_libyaml_loader_builds_the_round_trip_tree(old, new):
    from pipeline.content import load

    if load.CParser is None:
        pytest.skip("ruamel.yaml.clib 未安装：只用纯 Python 解析器")
    text = edit(real_text(), old, new) if old else real_text()
    fast, problems = load._load_fast(text, "f.yaml")
    assert problems == []
    _same_tree(fast, load._yaml().load(text))
