"""The small words of numbers in Chinese prose: a quantity with its qualifier, a range, a list.

Pages use these to show figures; :mod:`factcheck.wording` uses them to write the verdicts' sentences.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from .precision import format_number

QUALIFIER_WORDS = {"=": "", ">": "超过", "≥": "不少于", "<": "不到", "≤": "不超过", "≈": "约"}


# ---- small pieces -------------------------------------------------------------------------------
def qty(value: float | None, decimals: int, qualifier: str, unit: str) -> str:
    """A figure as prose: ``超过15.7亿元``, ``约282亿元``, ``660家``."""
    if value is None:
        return ""
    shown = format_number(value, max(decimals, 0))
    if unit == "位":  # a place in a ranking
        return {"=": f"第{shown}位", ">": f"{shown}名以外", "≥": f"第{shown}名或以后", "≤": f"前{shown}名以内",
                "<": f"第{shown}名以前"}.get(qualifier, f"约第{shown}位")
    return f"{QUALIFIER_WORDS.get(qualifier, '')}{shown}{unit}"


def number(x: float, digits: int = 2) -> str:
    return format_number(x, digits)


def listing(items: Sequence[str], last: str = "和") -> str:
    """``甲`` · ``甲和乙`` · ``甲、乙和丙`` (``last="或"`` for alternatives)."""
    items = [i for i in items if i]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return "、".join(items[:-1]) + last + items[-1]


def span(lo: float | None, hi: float | None, lo_open: bool = False, hi_open: bool = False, digits: int = 2,
         unit: str = "") -> str:
    """A range in words: ``在2.54到2.66之间`` · ``超过299.05`` · ``不超过3`` · ``约5.2`` (one value)."""
    lo = -math.inf if lo is None else lo
    hi = math.inf if hi is None else hi
    if math.isinf(lo) and math.isinf(hi):
        return "可以是任何数"
    if math.isinf(hi):
        return f"{'超过' if lo_open else '不少于'}{number(lo, digits)}{unit}"
    if math.isinf(lo):
        return f"{'不到' if hi_open else '不超过'}{number(hi, digits)}{unit}"
    a, b = number(lo, digits), number(hi, digits)
    if a == b:
        return f"约为{a}{unit}"
    return f"在{a}{unit}到{b}{unit}之间"


def qty_text(text: str) -> str:
    """A claimed text of a judged file (``>700家``, ``>50位``) in words (``超过700家``, ``50名以外``)."""
    m = re.fullmatch(r"([=>≥<≤≈]?)(-?[0-9.]+)(.*)", text)
    if not m:
        return text
    value = m.group(2)
    return qty(float(value), len(value.split(".")[1]) if "." in value else 0, m.group(1) or "=", m.group(3))


# ---- Chinese punctuation ------------------------------------------------------------------------
FULL_WIDTH = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）"}
_HAN = "\u4e00-\u9fff“”"
HALF_WIDTH_NEXT_TO_CHINESE = re.compile(rf"[{_HAN}][,;:()]|[,;:()][{_HAN}]")
"""What a Chinese editor never prints: a half-width , ; : ( ) touching a Chinese character."""
HALF_WIDTH_IN_ARITHMETIC = re.compile(
    rf"[{_HAN}][,;:]|[,;:][{_HAN}]|[{_HAN}]\((?![\d.(])|\([{_HAN}]|[{_HAN}]\)|(?<![\d)])\)[{_HAN}]")
"""The same where a sentence holds arithmetic (``重算为(33 ÷ 14 - 1) × 100``): a bracket with a number
next to it inside is the formula's own."""


def _chinese(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef" or ch in "“”‘’"


def typeset(text: str) -> str:
    """Our own notes from data, typeset for Chinese prose: a half-width , ; : that touches a Chinese
    character becomes full-width, and so does a pair of brackets either of whose ends touches one
    (``2022年度评价,以2021年`` → ``2022年度评价，以2021年``; ``1,234`` and ``(28 ÷ 11 - 1)`` stay).
    Never for a quote: quotes are printed as the source printed them."""
    chars = list(text)

    def touches(i: int) -> bool:
        return (i > 0 and _chinese(chars[i - 1])) or (i + 1 < len(chars) and _chinese(chars[i + 1]))

    stack: list[int] = []
    pairs: list[tuple[int, int]] = []
    for i, ch in enumerate(chars):
        if ch == "(":
            stack.append(i)
        elif ch == ")" and stack:
            pairs.append((stack.pop(), i))
    for a, b in pairs:
        if touches(a) or touches(b):
            chars[a], chars[b] = "（", "）"
    for i, ch in enumerate(chars):
        if ch in ",;:" and touches(i):
            chars[i] = FULL_WIDTH[ch]
    return "".join(chars)


def share(value: float, of: float) -> str:
    """How ``value`` stands to ``of`` in words: ``不到它的十分之一`` · ``只有它的30%`` · ``是它的11倍`` ·
    ``与它相差不到1%``."""
    if of <= 0 or value <= 0:
        return ""
    r = value / of
    if abs(r - 1) < 0.01:
        return "与它相差不到1%"
    if r < 0.1:
        return "不到它的十分之一"
    if r < 1:
        return f"只有它的{number(r * 100, 0)}%" if r < 0.5 else f"比它少{number((1 - r) * 100, 0)}%"
    return f"是它的{number(r, 1)}倍" if r >= 2 else f"比它多{number((r - 1) * 100, 0)}%"
