"""How figures, numerals and dates are printed, and the form's name: the wording that both the
placeholders' values (content) and composition (output) use, so it sits in content/ and output/
imports it from here, never the other way round. It imports only the rounding rule, so every
module of content/ may use it (``report`` below is a ``model.Report``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from .rounding import half_up

DIGITS = "零一二三四五六七八九"


# ---------------------------------------------------------------- numbers and dates


# Two kinds of number reach the page, printed by two rules:
# - a figure someone typed prints as written (``written``): the loader reads "6.20" as
#   Decimal("6.20"), which keeps its trailing zero, and "13.2" stays 13.2 (the seed's 13.2万);
# - a sum of typed money (the 三公 total and its change against the budget) is exact and prints
#   like its addends, through ``written``: 2.40 + 1.60 prints 4.00 beside a budget typed 4.00;
# - a figure the program derives (rate, score, total) prints rounded half up
#   to two decimals, both written, unless it is whole (``num``): 108.20%, 42.42%, 4.24, but 100% and
#   15 as the seed prints them. So a derived figure never drops a zero it computed.


def num(value: Decimal) -> str:
    """A derived figure: 四舍五入 to two decimals, both printed (108.20, 4.50); whole numbers plain (100)."""
    rounded = half_up(Decimal(value))
    text = format(rounded.to_integral_value() if rounded == rounded.to_integral_value() else rounded, "f")
    return "0" if text == "-0" else text


def written(value: Decimal | int | str) -> str:
    """A typed figure, exactly as the content writes it (6.20 stays 6.20); a word as it stands.
    Zeros typed past the second decimal (2931.880, which validation accepts as 2931.88) are not
    printed: the report never shows a figure with more than two decimals."""
    if isinstance(value, str):
        return value
    value = Decimal(value)
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2 and value == value.quantize(Decimal("0.01")):
        value = value.quantize(Decimal("0.01"))
    text = format(value, "f")
    return "0" if text.lstrip("-").strip("0.") == "" and text.startswith("-") else text


def percent(ratio: Decimal) -> str:
    return num(ratio * 100) + "%"


# ---------------------------------------------------------------- numerals and dates


def chinese(n: int) -> str:
    """一, 十一, 九十九, 一百零一, 一千零一十, 十万: section numbers and ordinals, any count."""
    if n < 10:
        return DIGITS[n]
    if n < 20:
        return "十" + (DIGITS[n - 10] if n > 10 else "")
    for size, unit in ((10**8, "亿"), (10**4, "万")):
        if n >= size:
            high, low = divmod(n, size)
            return chinese(high) + unit + ("零" if 0 < low < size // 10 else "") + (_chinese_full(low) if low else "")
    return _chinese_full(n)


def _chinese_full(n: int) -> str:
    """1 … 9999 with every unit written (一十 after a higher unit: 一百一十)."""
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, n = divmod(n, value)
        if digit:
            out += ("零" if zero else "") + DIGITS[digit] + unit
            zero = False
        elif out:
            zero = True
    return out


def count_word(n: int) -> str:
    """A count before a measure word: 两个阶段, not 二个阶段."""
    return "两" if n == 2 else chinese(n)


def date(d: dt.date, *, year: bool = True) -> str:
    return (f"{d.year}年" if year else "") + f"{d.month}月{d.day}日"


def period(start: dt.date, end: dt.date) -> str:
    """2023年2月28日至3月18日: the year is written again only when it changes."""
    return f"{date(start)}至{date(end, year=end.year != start.year)}"


# ---------------------------------------------------------------- the form's name


def form_name(report) -> str:
    """The self-evaluation form's name, as its own title prints it."""
    return f"{report.department.name}{report.year}年度部门整体支出绩效自评表"


FORM_TITLE_CHARS_PER_LINE = 28  # 二号 (22 pt) characters on the landscape 225 mm line, kept short


def char_width(text: str) -> float:
    """A text's width in Chinese characters: a Latin letter or digit is half of one."""
    return sum(0.5 if ch.isascii() else 1 for ch in text)


def balanced_lines(whole: str, cuts: list[int], per_line: float) -> list[str]:
    """A title broken into balanced lines (GB/T 9704): at one of ``cuts`` (phrase boundaries,
    never mid-word), the one that makes the longer line shortest. A title that fits stays whole."""
    cuts = [c for c in cuts if 0 < c < len(whole)]
    if char_width(whole) <= per_line or not cuts:
        return [whole]
    best = min(cuts, key=lambda cut: max(char_width(whole[:cut]), char_width(whole[cut:])))
    return [whole[:best], whole[best:]]


def form_title_lines(report) -> list[str]:
    """The form's own title on its landscape page, broken after the department or the year: a
    long name no longer leaves "表" alone on the second line."""
    dept = report.department.name
    return balanced_lines(form_name(report), [len(dept), len(dept) + len(f"{report.year}年度")], FORM_TITLE_CHARS_PER_LINE)


def form_title(report) -> str:
    """The form's name as prose cites it, in 书名号."""
    return f"《{form_name(report)}》"
