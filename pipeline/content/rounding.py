"""The one rounding rule, used by scoring and by printing alike: Decimal, 四舍五入 (ROUND_HALF_UP),
to the cent unless told otherwise. A leaf: it imports nothing of the program."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def half_up(value: Decimal, exp: Decimal = CENT) -> Decimal:
    return value.quantize(exp, rounding=ROUND_HALF_UP)
