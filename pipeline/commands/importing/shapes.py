"""Sentence shapes other units write, beside the reference's wording (parse.py reads that one):
each function takes a paragraph's text and returns what it states, or None when the paragraph is
not of that shape. Nothing here decides where a value goes; parse.py and figures.py do.

- 内设机构 in one sentence: 下设办公室、新闻采编部……等5个科室。
- the budget's parts written loosely: 其中，基本支出1010.50万元，执行1003.20万元；项目支出……
- the evaluation in one paragraph: 根据/按照《…》（…号）要求，……于2023年2月10日至3月10日开展……
- an indicator with target, actual and score: 1.新闻稿件播发数量：年初目标≥3000篇，全年完成3250篇，得5分。
- 事业编制 with more after it: 我中心核定事业编制48名，实有在职人员45人。
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from .sections import CN, ITEM, NUM, PERIOD, PERIOD_DOTS, cn_number, dec, figure_text

SIGNS = "≥≤=＝><＞＜"
SIGN_OF = {"≥": ">=", ">": ">=", "＞": ">=", "≤": "<=", "<": "<=", "＜": "<=", "=": "=", "＝": "=", "不低于": ">=", "不少于": ">=",
           "不高于": "<=", "不超过": "<=", "达到": ">=", "大于等于": ">=", "小于等于": "<="}
UNIT = r"(%|[^\d\s，,。；;：:、（）()%]{1,6}?)?"

UNITS_COUNTED = re.compile(  # 内设科室10个，分别是：办公室、人事科……
    rf"^(.{{0,40}}?)(?:内设|下设|设有)(?:内设)?(?:机构|科室|股室|处室|职能科室)\s*([\d{CN}]{{1,4}})\s*个\s*[，,]?\s*(?:分别)?(?:是|为|包括|有)\s*[:：]?\s*(.{{1,600}}?)[。.]?$"
)
UNITS_SENTENCE = re.compile(
    rf"^(.{{0,40}}?)(?:下设|内设|设有|共设|设)(?:机构|科室)?[:：]?\s*(.{{1,600}}?)\s*等?\s*([\d{CN}]{{1,4}})\s*个\s*(?:内设机构|科室|股室|处室|部门|机构|职能科室|内设科室)"
)
EVALUATION = re.compile(r"^(?:根据|按照|依据)《([^》]+)》\s*[（(]([^（）()]+)[）)]\s*(?:等)?(?:文件)?(?:的)?(?:要求|精神|规定)?\s*[，,：:]?\s*(.+)$")
INDICATOR = re.compile(
    r"^([^：:，,。]{2,40}?)\s*[：:]\s*"
    r"(?:年初|年度|全年)?(?:目标值?|指标值|计划)\s*(?:为)?\s*(" + "|".join(SIGN_OF) + r")?\s*" + NUM + r"\s*" + UNIT + r"\s*[，,；;]\s*"
    r"(?:全年|实际|年末)?(?:实际)?(?:完成值?|完成了|达到|实际值|完成情况|实现)\s*(?:为)?\s*" + NUM + r"\s*" + UNIT + r"\s*[，,；;]\s*"
    r"(?:(?:权重|分值)\s*" + NUM + r"\s*分\s*[，,；;]\s*)?"
    r"(?:自评)?得(?:分)?\s*(?:为)?\s*" + NUM + r"\s*分\s*[。.；;]?\s*$"
)
INSTITUTIONAL = re.compile(r"^([^\d，,；;。：:]{0,30}?)(?:核定|有)?事业编制\s*(\d+)\s*(?:名|人)\s*[，,；;。]?\s*(.*)$")


def units_sentence(text: str) -> tuple[str, list[str], int | None] | None:
    """(owner, unit names, the count written) of 下设办公室、……等5个科室."""
    f = figure_text(text)
    m = UNITS_SENTENCE.match(f)
    if m:
        owner, listed, count = m.group(1), m.group(2), m.group(3)
    else:
        m = UNITS_COUNTED.match(f)
        if not m:
            return None
        owner, count, listed = m.group(1), m.group(2), m.group(3)
    names = [n.strip() for n in re.split(r"[、，,；;]|和|及", listed) if n.strip()]
    if not names or any(len(n) > 20 for n in names):
        return None
    owner = owner.strip().removeprefix("我").strip()
    return owner, names, cn_number(count)


def loose_parts(f: str) -> list[tuple[str, Decimal, Decimal, str | None]] | None:
    """其中，基本支出1010.50万元，执行1003.20万元（，执行率99.28%）；项目支出… → (name, budget,
    executed, rate printed) per part; None when the sentence is not such a list."""
    m = re.search(r"其中[,:：]?\s*([^。]{1,2000})。", f)
    if not m:
        return None
    parts = []
    for piece in re.split(r"[;；]", m.group(1)):
        pm = re.match(r"^\s*([^,\d]{2,12}?)(?:预算|预算数)?\s*(?:为)?\s*" + NUM + r"\s*万元?\s*[,，]\s*(?:实际)?(?:执行|支出)(?:数)?\s*(?:为)?\s*" + NUM + r"\s*万元?", piece)
        if not pm:
            return None
        rate = re.search(r"执行率\s*(?:为)?\s*" + NUM + r"\s*%", piece)
        parts.append((pm.group(1).strip(), dec(pm.group(2)), dec(pm.group(3)), rate.group(1) + "%" if rate else None))
    return parts or None


def evaluation(text: str):
    """(document title, number, the rest of the paragraph, start, end) of 根据《…》（…）要求，……于
    2023年2月10日至3月10日开展……; start and end None when no period is written."""
    m = EVALUATION.match(text.strip())
    if not m or not re.search(r"评价|自评|绩效", m.group(3)):
        return None
    start = end = None
    f = figure_text(m.group(3))
    p = PERIOD.search(f) or PERIOD_DOTS.search(f)
    if p:
        y1, m1, d1, y2, m2, d2 = p.groups()
        try:
            start, end = dt.date(int(y1), int(m1), int(d1)), dt.date(int(y2 or y1), int(m2), int(d2))
        except ValueError:
            start = end = None
    return m.group(1).strip(), m.group(2).strip(), m.group(3).strip(), start, end


def indicator(text: str) -> dict | None:
    """name, direction, target, actual, unit, weight (when written), score printed and the
    paragraph's words without the score (the analysis, actual as {actual}) of
    1.新闻稿件播发数量：年初目标≥3000篇，全年完成3250篇，得5分。"""
    f = figure_text(text)
    item = ITEM.match(f)
    body = f[item.end():] if item else f
    offset = len(f) - len(body)
    m = INDICATOR.match(body)
    if not m:
        return None
    sign, target, unit1, actual, unit2, weight, score = m.group(2), m.group(3), m.group(4), m.group(5), m.group(6), m.group(7), m.group(8)
    unit = (unit1 or unit2 or "").strip() or None
    if unit1 and unit2 and unit1.strip() != unit2.strip():
        return None  # two units: not one indicator's target and actual
    o = offset  # figure_text keeps the length: spans in f are spans in text
    words_end = o + (m.end(6) if m.group(6) else m.end(5))
    analysis = (text[o + m.end(1): o + m.start(5)] + "{actual}" + text[o + m.end(5): words_end]).lstrip("：: ") + "。"
    return {
        "name": m.group(1).strip(),
        "direction": SIGN_OF.get(sign or "", None),
        "target": dec(target),
        "actual": dec(actual),
        "unit": unit,
        "weight": dec(weight) if weight else None,
        "score": score,
        "analysis": analysis,
    }


def institutional(text: str) -> tuple[str, int, str] | None:
    """(who, count, what follows) of 我中心核定事业编制48名，实有在职人员45人。"""
    m = INSTITUTIONAL.match(figure_text(text).strip())
    if not m:
        return None
    who = text.strip()[: len(m.group(1))].strip().removeprefix("我").strip()
    return who, int(m.group(2)), text.strip()[m.start(3):].strip()


def staffing_loose(text: str) -> tuple[int | None, int | None, str] | None:
    """(行政编制, 事业编制, the other clauses) of 核定行政编制18名，实有人数17人；事业编制45名。 — a
    paragraph that starts with 核定 or 编制 (no subject: the reference's shape has one)."""
    f = figure_text(text).strip()
    if not re.match(r"^(?:机关|单位|本单位|我局|我委)?(?:核定)?(?:行政|事业)?编制|^(?:机关|单位)?核定", f):
        return None
    admin = re.search(r"行政编制\s*(\d+)\s*(?:名|人)", f)
    inst = re.search(r"事业编制\s*(\d+)\s*(?:名|人)", f)
    if not admin and not inst:
        return None
    rest = [c.strip() for c in re.split(r"[，,；;。]", text) if c.strip() and "编制" not in c]
    return (int(admin.group(1)) if admin else None, int(inst.group(1)) if inst else None, "，".join(rest))
