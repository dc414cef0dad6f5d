"""The numbers a quote prints, so that an input's value can be held to its own words.

A one-digit typo in ``inputs.csv`` (孵化载体7家 typed as 8) would otherwise publish a false 数字有误. The
validation requires every input's value to be one of the numbers its quote prints, read as an analyst
would read them:

* Arabic numbers (full-width too), with thousands separators (``10,000``) and a Chinese multiplier after
  them (``16.28亿元`` is 16.28 亿 and 1,628,000,000; ``1.5万`` is 15,000);
* Chinese numerals (``六大`` is 6, ``一百二十`` is 120) and fractions (``三分之二`` is 2/3, or 66.67 as a %);
* both ends of a range (``2.29-2.44``);
* a value in 万人 or 亿元 against a count of 人 or 元 (``364694人`` is 36.4694万人).

The comparison is exact: no rounding makes 36.47 out of 36.4694 (only a fraction, which has no exact decimal
form, is rounded to the value's decimals).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from .mentions import scan
from .numbers import parse_chinese_number

MULTIPLIERS = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}
UNIT_SCALE = {"亿元": Decimal(10) ** 8, "万人": Decimal(10) ** 4, "万平方米": Decimal(10) ** 4}
"""Units that carry a multiplier: a quote may print the plain count (元, 人, 平方米) instead."""
_THOUSANDS = re.compile(r"(?<=[0-9]),(?=[0-9]{3}(?![0-9]))")
_RANGE_SEP = re.compile(r"[—–\-~～至到]")


def _decimal(value: float) -> Decimal | None:
    try:
        return Decimal(repr(float(value)))
    except (InvalidOperation, ValueError, OverflowError):
        return None


def printed_numbers(quote: str) -> list[Decimal]:
    """Every number ``quote`` prints, each as printed and, when a multiplier follows it, multiplied out."""
    return [n for n, _ in _numbers(quote)]


def _numbers(quote: str) -> list[tuple[Decimal, bool]]:
    """The numbers with whether each is exact (a fraction such as 三分之二 has no exact decimal form)."""
    text = _THOUSANDS.sub("", unicodedata.normalize("NFKC", quote))
    out: list[tuple[Decimal, bool]] = []
    for m in scan(text):
        if m.kind == "range":
            values = [parse_chinese_number(part.strip().rstrip("%‰年")) for part in _RANGE_SEP.split(m.text)]
        elif m.kind == "date":
            values = []
        else:
            values = [m.value]
        following = re.match(r"[十百千万亿]+", text[m.offset + len(m.text):])
        multiplier = 1
        for ch in following.group() if following and m.text[-1:].isdigit() else "":
            multiplier *= MULTIPLIERS[ch]
        exact = m.kind != "fraction"
        for value in values:
            d = _decimal(value) if value is not None else None
            if d is None:
                continue
            out.append((d, exact))
            if multiplier != 1:
                out.append((d * multiplier, exact))
    return out


def quote_prints(quote: str, value: float, unit: str, decimals: int | None = None) -> bool:
    """Does ``quote`` print ``value`` (in ``unit``): the same number, multiplied out, or as a share? A fraction
    (三分之二) is compared at the value's ``decimals`` (66.6667 at 4), every other number exactly."""
    v = _decimal(value)
    if v is None:
        return False
    places = decimals if decimals is not None else max(0, -v.normalize().as_tuple().exponent)
    wanted = {v, v * UNIT_SCALE.get(unit, 1)}
    for n, exact in _numbers(quote):
        for c in ({n, n * 100} if unit == "%" else {n}):
            if not exact:
                c = c.quantize(Decimal(1).scaleb(-places))
            if any(_equal(c, w) for w in wanted):
                return True
    return False


def _equal(a: Decimal, b: Decimal) -> bool:
    return abs(a - b) <= abs(b) * Decimal("1e-9") + Decimal("1e-12")
