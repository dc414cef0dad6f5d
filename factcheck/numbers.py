"""Numbers as the data files write them, and as articles print them.

* :func:`parse_decimal`: a cell of a data file, strictly: ASCII digits, an optional minus sign and one
  decimal point; no spaces, no ``_`` or thousands separators, no exponent, no full-width or other
  scripts' digits, at most :data:`MAX_DIGITS` digits. Anything else is refused with the reason.
* :func:`parse_chinese_number`: a number written in Chinese numerals (``三十``, ``一百二十``, ``两``, ``三分之二``).
* :func:`figure_value`: what a printed figure of a claim states, in the claim's unit, so that the
  validation can require the ``value`` column to equal it (``三分之二`` of a ``%`` claim is 66.67, ``千亿``
  of a 亿元 claim is 1000, ``第一`` and ``首位`` are 1).
* :func:`token_offsets`: where a figure occurs in a quote as a whole token (``1`` does not occur in
  ``16.28``).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

MAX_DIGITS = 15
"""A float holds 15 significant digits exactly; no figure of an article has more."""

_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000}
GROUPS = {"万": 10_000, "亿": 100_000_000}
NUMERALS = "".join(DIGITS) + "".join(UNITS) + "".join(GROUPS)

WORDS = {"首位": 1, "之首": 1, "最多": 1, "最高": 1, "首": 1}
"""Words an article uses for a place in a ranking: each means first (1)."""

_SUFFIX = re.compile(r"[^0-9.%" + NUMERALS + r"]+$")


class NumberError(ValueError):
    pass


def parse_decimal(text: str) -> float:
    """A data file's number, strictly (see the module docstring); raises :class:`NumberError`."""
    if not isinstance(text, str):
        raise NumberError(f"{text!r} is not text")
    if text != text.strip():
        raise NumberError(f"'{text}' has spaces around it")
    if not _DECIMAL.fullmatch(text):
        raise NumberError(f"'{text}' is not a number (digits 0-9, an optional minus sign and one decimal point; "
                          "no spaces, separators, exponents or units)")
    if text.startswith("-") and float(text) == 0:
        raise NumberError(f"'{text}' is a negative zero; write 0")
    digits = len(text.replace("-", "").replace(".", "").lstrip("0"))
    if digits > MAX_DIGITS:
        raise NumberError(f"'{text[:20]}…' has {digits} digits; at most {MAX_DIGITS} are allowed")
    return float(text)


def decimals_of(text: str) -> int:
    """Digits after the decimal point as printed: ``'5.71'`` → 2, ``'660'`` → 0."""
    return len(text.split(".", 1)[1]) if "." in text else 0


def _cn_integer(s: str) -> float | None:
    if not s:
        return None
    if all(c in DIGITS for c in s):  # 三, 两, 二〇二二: read digit by digit
        return float("".join(str(DIGITS[c]) for c in s))
    total, section, digit = 0, 0, None
    for c in s:
        if c in DIGITS:
            if digit is not None:  # two digits in a row (十四五): not one number
                return None
            digit = DIGITS[c] or None  # 零 only fills a gap: 一百零五
        elif c in UNITS:
            section += (1 if digit is None else digit) * UNITS[c]
            digit = None
        elif c == "万":
            total += ((section + (digit or 0)) or 1) * 10_000
            section, digit = 0, None
        elif c == "亿":
            total = ((total + section + (digit or 0)) or 1) * 100_000_000
            section, digit = 0, None
        else:
            return None
    return float(total + section + (digit or 0))


_ARABIC = re.compile(r"([0-9０-９]+(?:[.．][0-9０-９]+)?)([十百千万亿]*)")


def parse_chinese_number(text: str) -> float | None:
    """The value of a printed numeral, or None when it is none.

    Chinese numerals (三 → 3, 十 → 10, 一百二十 → 120, 两 → 2, 千亿 → 1e11, 二〇二二 → 2022), fractions as
    ratios (三分之二 → 2/3, 百分之五十 → 0.5) and Arabic numbers with a Chinese multiplier (1.5万 → 15000).
    Names that are no single number (十四五) give None.
    """
    if sum(ch.isdigit() or ch in NUMERALS for ch in text) > MAX_DIGITS:
        return None  # no figure of an article has more digits: a run of a million is no number we read
    if "分之" in text:
        denominator, _, numerator = text.partition("分之")
        d, n = _cn_integer(denominator), _cn_integer(numerator)
        return None if d is None or n is None or d == 0 else n / d
    arabic = _ARABIC.fullmatch(text)
    if arabic:
        multiplier = _cn_integer(arabic.group(2)) if arabic.group(2) else 1
        if multiplier is None:
            return None
        return float(Decimal(unicodedata.normalize("NFKC", arabic.group(1))) * Decimal(multiplier))
    return _cn_integer(text)


def figure_value(figure: str, unit: str) -> float | None:
    """What a printed figure states in ``unit``, or None when it states no number.

    ``16.28`` → 16.28 · ``5.71%`` → 5.71 · ``三十`` → 30 · ``第二年`` → 2 · ``一年多`` → 1 · ``千亿`` (亿元) → 1000
    · ``三分之二`` (%) → 66.666… · ``首位`` → 1.
    """
    text = figure.strip()
    if text in WORDS:
        return float(WORDS[text])
    text = text.removeprefix("第")
    text = _SUFFIX.sub("", text)
    if text.endswith("%"):
        text = text[:-1]
    if not text or text in GROUPS:  # 亿 of 超亿元 alone is a unit, not a number
        return None
    if re.fullmatch(r"[0-9.]+", text):
        try:
            return parse_decimal(text)
        except NumberError:
            return None
    for group, _size in GROUPS.items():  # 千亿 of a 亿元 figure is 1000 (亿元)
        if text.endswith(group) and unit.startswith(group) and len(text) > 1:
            return parse_chinese_number(text[:-1])
    value = parse_chinese_number(text)
    if value is not None and "分之" in text and unit == "%":
        value *= 100
    return value


def same_number(printed: float, value: float, decimals: int) -> bool:
    """Does ``value`` (a cell with ``decimals`` decimals) write down the number the figure prints?"""
    try:
        q = Decimal(1).scaleb(-decimals)
        return Decimal(repr(printed)).quantize(q) == Decimal(repr(value)).quantize(q)
    except InvalidOperation:
        return False


def _digit(ch: str) -> bool:
    return ch.isascii() and ch.isdigit()


def _touches(edge: str, neighbour: str, beyond: str) -> bool:
    """Does ``neighbour`` continue the number whose edge character is ``edge``?"""
    if not neighbour:
        return False
    if _digit(edge):  # 16.28亿: a numeral after Arabic digits is their unit
        return _digit(neighbour) or (neighbour == "." and _digit(beyond))
    if edge in NUMERALS:
        return neighbour in NUMERALS or _digit(neighbour)
    return False


def token_offsets(figure: str, quote: str) -> list[int]:
    """Every offset at which ``figure`` occurs in ``quote`` as a whole token.

    An edge of the figure that is a digit or numeral must not touch another digit or numeral (nor a
    decimal point between digits): ``1`` is not in ``16.28``, ``28`` is not in ``16.28``, ``十`` is not in
    ``二十``; ``16.28`` is in ``16.28亿元``.
    """
    found, start = [], quote.find(figure) if figure else -1
    while start >= 0:
        end = start + len(figure)
        before = quote[start - 1] if start > 0 else ""
        before2 = quote[start - 2] if start > 1 else ""
        after = quote[end] if end < len(quote) else ""
        after2 = quote[end + 1] if end + 1 < len(quote) else ""
        if not _touches(figure[0], before, before2) and not _touches(figure[-1], after, after2):
            found.append(start)
        start = quote.find(figure, start + 1)
    return found
