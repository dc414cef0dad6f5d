"""Rounding-aware intervals: what a printed figure can mean, and whether a recomputation matches it.

A figure printed as ``5.71`` stands for any true value in [5.705, 5.715); ``超80`` for any value above 80.
Qualifiers are the symbols of ``claims.csv``: ``=`` (达/为), ``>`` (超/突破/余), ``≥`` (以上),
``<``, ``≤`` and ``≈`` (预计/约, within :data:`APPROX_TOLERANCE`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

QUALIFIERS = ("=", ">", "≥", "<", "≤", "≈")
APPROX_TOLERANCE = 0.05
"""Relative half-width of an ``≈`` figure (预计, 约): an estimate may miss by 5 %."""


@dataclass(frozen=True)
class Interval:
    """A set of real numbers between ``lo`` and ``hi``; either end may be open or infinite."""

    lo: float
    hi: float
    lo_open: bool = False
    hi_open: bool = False

    def __post_init__(self) -> None:
        if self.lo > self.hi:
            raise ValueError(f"empty interval: {self.lo} > {self.hi}")

    @classmethod
    def point(cls, x: float) -> Interval:
        return cls(x, x)

    def contains(self, x: float) -> bool:
        above = x > self.lo if self.lo_open else x >= self.lo
        below = x < self.hi if self.hi_open else x <= self.hi
        return above and below

    def intersects(self, other: Interval) -> bool:
        if self.lo != other.lo:
            lo, lo_open = (self.lo, self.lo_open) if self.lo > other.lo else (other.lo, other.lo_open)
        else:
            lo, lo_open = self.lo, self.lo_open or other.lo_open
        if self.hi != other.hi:
            hi, hi_open = (self.hi, self.hi_open) if self.hi < other.hi else (other.hi, other.hi_open)
        else:
            hi, hi_open = self.hi, self.hi_open or other.hi_open
        return lo < hi or (lo == hi and not lo_open and not hi_open)

    def within(self, other: Interval) -> bool:
        """True when every number of ``self`` lies in ``other``."""
        lo_ok = self.lo > other.lo or (self.lo == other.lo and (self.lo_open or not other.lo_open))
        hi_ok = self.hi < other.hi or (self.hi == other.hi and (self.hi_open or not other.hi_open))
        return lo_ok and hi_ok

    @property
    def bounded(self) -> bool:
        return not (math.isinf(self.lo) or math.isinf(self.hi))

    def whole_numbers(self, limit: int = 50) -> list[int]:
        """The integers in the interval (at most ``limit`` of them, the smallest first)."""
        if math.isinf(self.lo):
            return []
        first = math.floor(self.lo) if self.contains(math.floor(self.lo)) else math.floor(self.lo) + 1
        found: list[int] = []
        n = first
        while len(found) < limit and (n < self.hi or (n == self.hi and not self.hi_open)):
            if self.contains(n):
                found.append(n)
            n += 1
        return found


def round_half_up(x: float, decimals: int) -> float:
    """Round as statistical offices print: 0.5 rounds away from zero (``round`` would give 0.12 for 0.125)."""
    quantum = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(x)).quantize(quantum, rounding=ROUND_HALF_UP))


def half_unit(decimals: int) -> float:
    return 0.5 * 10.0 ** (-decimals)


def figure_interval(
    value: float,
    decimals: int,
    qualifier: str = "=",
    *,
    lower: float = -math.inf,
    upper: float = math.inf,
    whole: bool = False,
) -> Interval:
    """The true values that a printed figure admits, within the indicator's natural bounds.

    A count (``whole``) printed without a qualifier is exact: 28 patents are 28, not 27.5 to 28.5.
    """
    h = half_unit(decimals)
    if whole and qualifier in ("=", ">", "≥", "<", "≤") and value == int(value):
        # counts and ranks move in steps of one: 超50 means at least 51, 不超过50 at most 50
        lo, hi = {"=": (value, value), ">": (value + 1, upper), "≥": (value, upper),
                  "<": (lower, value - 1), "≤": (lower, value)}[qualifier]
        lo, hi = max(lo, lower), min(hi, upper)
        if lo > hi:
            raise ValueError(f"{qualifier}{value} lies outside the indicator's bounds [{lower}, {upper}]")
        return Interval(lo, hi)
    if qualifier == "=":
        # round half away from zero: 1.005 prints as 1.01 and -1.005 as -1.01 (ends computed exactly)
        lo, hi = _exact(value, -h), _exact(value, h)
        if value > 0:
            iv = Interval(lo, hi, False, True)
        elif value < 0:
            iv = Interval(lo, hi, True, False)
        else:
            iv = Interval(lo, hi, True, True)
    elif qualifier == ">":
        iv = Interval(value, upper, True, False)
    elif qualifier == "≥":
        iv = Interval(_exact(value, -h), upper, False, False)
    elif qualifier == "<":
        iv = Interval(lower, value, False, True)
    elif qualifier == "≤":
        iv = Interval(lower, _exact(value, h), False, True)
    elif qualifier == "≈":
        spread = max(abs(value) * APPROX_TOLERANCE, h)
        iv = Interval(value - spread, value + spread)
    else:
        raise ValueError(f"unknown qualifier {qualifier!r}; use one of {' '.join(QUALIFIERS)}")
    lo, lo_open = (lower, False) if iv.lo < lower else (iv.lo, iv.lo_open)
    hi, hi_open = (upper, False) if iv.hi > upper else (iv.hi, iv.hi_open)
    if lo > hi:
        raise ValueError(f"{qualifier}{value} lies outside the indicator's bounds [{lower}, {upper}]")
    return Interval(lo, hi, lo_open, hi_open)


def _exact(value: float, offset: float) -> float:
    """``value + offset`` without binary noise: 1.01 - 0.005 is 1.005, not 1.0050000000000001."""
    return float(Decimal(repr(value)) + Decimal(repr(offset)))


def matches_printed(recomputed: float, value: float, decimals: int, qualifier: str = "=") -> bool:
    """Does an exact recomputation agree with the printed figure at its printed precision?"""
    if qualifier == "=":
        return round_half_up(recomputed, decimals) == round_half_up(value, decimals)
    return figure_interval(value, decimals, qualifier).contains(recomputed)


def format_number(x: float, digits: int = 2) -> str:
    """Print a number with at most ``digits`` decimals and no trailing zeros (``2.50`` → ``2.5``)."""
    if math.isinf(x) or math.isnan(x):
        return str(x)
    text = f"{round_half_up(x, digits):.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text
