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
