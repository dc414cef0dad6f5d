"""The other figures an article might plausibly have printed instead of the one it did.

Two uses: a check that held is tried again with each of them (:meth:`factcheck.engine.Judge.could_not_fail`:
when none of them would have failed, the check could not have failed, so it is no support), and a failing
check is explained by a one-keystroke misprint (:mod:`factcheck.diagnose`).
"""

from __future__ import annotations

import math

MAX_EDITS = 400
"""One-keystroke variants of one printed figure tried at most (a six-digit figure has about 250)."""
NEIGHBOURS = 3
"""The figure ± one to this many units of its last printed digit."""


def printed_edits(text: str) -> list[str]:
    """Every number one keystroke away from ``text``: a digit dropped, added, changed or two swapped,
    or the decimal point moved by one place; nearest first."""
    text = text.strip()
    digits = "0123456789"
    out: set[str] = set()
    for i in range(len(text)):
        out.add(text[:i] + text[i + 1:])
        for d in digits:
            out.add(text[:i] + d + text[i + 1:])
    for i in range(len(text) + 1):
        for d in digits:
            out.add(text[:i] + d + text[i:])
    for i in range(len(text) - 1):
        out.add(text[:i] + text[i + 1] + text[i] + text[i + 2:])
    plain = text.replace(".", "")
    point = text.index(".") if "." in text else len(text)
    for shift in (-1, 1):
        p = point + shift
        if 0 < p < len(plain) + 1:
            out.add(plain[:p] + ("." + plain[p:] if p < len(plain) else ""))
    good = []
    for t in out:
        if not t or t == text or t.startswith(".") or t.endswith(".") or t.count(".") > 1:
            continue
        if len(t) > 1 and t[0] == "0" and t[1] != ".":
            continue
        try:
            if float(t) > 0 and float(t) != float(text):
                good.append(t)
        except ValueError:
            continue
    return sorted(good, key=lambda t: (abs(float(t) - float(text)), t))[:MAX_EDITS]


def alternatives(value: float, decimals: int, *, lower: float = -math.inf, upper: float = math.inf,
                 whole: bool = False) -> list[str]:
    """The figures printed instead of ``value`` by a plausible slip, as printed texts, nearest first: the
    figure ± 1 … :data:`NEIGHBOURS` units of its last digit, then every one-keystroke misprint; only
    figures the indicator allows (within its bounds, whole for a count)."""
    decimals = max(decimals, 0)
    step = 10.0 ** -decimals
    text = f"{value:.{decimals}f}"
    near = [f"{value + sign * k * step:.{decimals}f}" for k in range(1, NEIGHBOURS + 1) for sign in (-1, 1)]
    out: list[str] = []
    for t in [*near, *printed_edits(text)]:
        v = float(t)
        if t in out or t == text or not lower <= v <= upper or (whole and v != int(v)):
            continue
        out.append(t)
    return out
