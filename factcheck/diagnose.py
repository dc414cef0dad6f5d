"""Why a figure fails: try the plausible readings that would make an inconsistent claim true.

Each candidate says what it assumes; candidates are ranked by how little they assume (another reference
period before a misprint, a misprint of one digit before a different total) and then by how little the
figures must move. Nothing here changes a verdict: the reader sees the failing arithmetic and the
candidates, never a silently "fixed" number. Candidates are data (:mod:`factcheck.wording` writes them).

The search is bounded: at most :data:`MAX_EDITS` one-keystroke variants of a figure are tried, each with
one recomputation per reading.
"""

from __future__ import annotations

from dataclasses import replace

from .bindings import Period, Reference
from .engine import Judge, Reading
from .load import Claim
from .numbers import decimals_of
from .precision import Interval, figure_interval, format_number

COST = {"period": 1, "swap": 2, "base": 2, "enumeration": 2, "misprint": 3, "total": 3}
KINDS = tuple(COST)
MAX_CANDIDATES = 8
MAX_EDITS = 400
"""Variants of one printed figure tried at most (a six-digit figure has about 250)."""
MAX_HITS = 12
"""A misprint explains nothing when more than this many one-keystroke variants would fit."""


def printed_edits(text: str) -> list[str]:
    """Every number one keystroke away from ``text``: a digit dropped, added, changed or two swapped,
    or the decimal point moved by one place."""
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


def diagnose(judge: Judge, claim: Claim) -> list[dict]:
    """Candidate explanations for an inconsistent formula claim, best first."""
    if claim.check != "formula":
        return []
    refs = judge.refs(claim)
    found: list[dict] = []
    for search in (_periods, _swaps, _base, _enumeration, _misprints, _totals):
        found += search(judge, claim, refs)
    found.sort(key=lambda d: (COST[d["kind"]], d["distance"]))
    for i, d in enumerate(found[:MAX_CANDIDATES], start=1):
        d["rank"] = i
    return found[:MAX_CANDIDATES]


def _passes(judge: Judge, claim: Claim, refs: list[Reference], target: Interval | None = None,
            periods: dict[str, Period] | None = None) -> Reading | None:
    readings = judge.readings(claim, refs, target=target, periods=periods)
    best = readings[judge.decide(readings)]
    return best if best.verdict in ("reproduced", "consistent") else None


def _candidate(kind: str, result: Reading, distance: float, **facts) -> dict:
    return {"kind": kind, "distance": distance, "equation": result.equation,
            "implied": _implied(result), **facts}


def _implied(r: Reading) -> dict | None:
    if r.implied is None:
        return None
    return {"what": r.implied_what, "unit": r.implied_unit, "wholes": r.wholes,
            "lo": r.implied.lo, "hi": r.implied.hi}


def _periods(judge: Judge, claim: Claim, refs: list[Reference]) -> list[dict]:
    out = []
    primary = {r.name: r.periods[0] for r in refs if r.kind == "input"}
    for ref in refs:
        if ref.kind != "input":
            continue
        listed = {p.year for p in ref.periods}
        base = ref.periods[0].year
        for year in (base - 1, base + 1, base - 2, base + 2):
            if year in listed or not judge.ds.figures_at(ref.target, ref.geography, year):
                continue
            result = _passes(judge, claim, refs, periods={**primary, ref.name: Period(year)})
            if result:
                out.append(_candidate("period", result, abs(year - base), what=judge.describe(
                    ref.target, ref.geography, None), year=year, instead_of=base))
    return out


def _swaps(judge: Judge, claim: Claim, refs: list[Reference]) -> list[dict]:
    """Prior and current swapped: the article's figure is really the other period's."""
    out = []
    names = [r for r in refs if r.kind in ("claim", "input")]
    primary = {r.name: r.periods[0] for r in refs if r.kind == "input"}
    for a, b in ((a, b) for i, a in enumerate(names) for b in names[i + 1:]):
        if _indicator(judge, a) != _indicator(judge, b):
            continue
        swapped = [replace(r, name=b.name) if r is a else replace(r, name=a.name) if r is b else r for r in refs]
        result = _passes(judge, claim, swapped)
        if result:
            out.append(_candidate("swap", result, 0.5, first=judge.describe_ref(a, primary.get(a.name)),
                                  second=judge.describe_ref(b, primary.get(b.name)),
                                  unit=judge.ds.indicators[_indicator(judge, a)].unit))
    return out


def _indicator(judge: Judge, ref: Reference) -> str:
    return judge.ds.claims[ref.target].indicator if ref.kind == "claim" else ref.target


def _base(judge: Judge, claim: Claim, refs: list[Reference]) -> list[dict]:
    if claim.unit != "%":
        return []
    out = []
    for delta, reading in ((-100.0, "to"), (100.0, "by")):
        value = float(claim.value or 0) + delta
        if value <= 0:
            continue
        result = _passes(judge, claim, refs, target=figure_interval(value, claim.decimals, claim.qualifier))
        if result:
            out.append(_candidate("base", result, abs(delta) / 100, reading=reading, value=format_number(value, 2)))
    return out


def _enumeration(judge: Judge, claim: Claim, refs: list[Reference]) -> list[dict]:
    out = []
    for ref in refs:
        if ref.kind != "items":
            continue
        listed = len(ref.items())
        gap = float(claim.value or 0) - listed
        if gap:
            out.append({"kind": "enumeration", "distance": abs(gap), "listed": listed, "items": ref.items(),
                        "claimed": format_number(float(claim.value or 0), 0), "equation": "", "implied": None})
    return out


def _misprints(judge: Judge, claim: Claim, refs: list[Reference]) -> list[dict]:
    """One keystroke in the claim's own figure or in a figure of the same article that it uses."""
    out = []
    targets: list[tuple[str, Claim]] = [("", claim)]
    for ref in refs:
        if ref.kind == "claim" and judge.ds.claims[ref.target].source_id == claim.source_id:
            targets.append((ref.name, judge.ds.claims[ref.target]))
    for name, row in targets:
        text = f"{float(row.value or 0):.{row.decimals}f}"
        ind = judge.ds.indicators[row.indicator]
        hits = []
        for edit in printed_edits(text):
            value = float(edit)
            if value > ind.maximum or (ind.whole and value != int(value)):
                continue
            if not name:
                target = figure_interval(value, decimals_of(edit), claim.qualifier, upper=ind.maximum, whole=ind.whole)
                result = _passes(judge, claim, refs, target=target)
            else:
                swapped = [Reference(r.name, "constant", constant=value) if r.name == name else r for r in refs]
                result = _passes(judge, claim, swapped)
            if result:
                hits.append((edit, result))
        if hits and len(hits) <= MAX_HITS:
            distance = min(abs(float(h[0]) - float(text)) / max(abs(float(text)), 1e-9) for h in hits)
            out.append(_candidate("misprint", hits[0][1], distance, own=not name, printed=text,
                                  what="" if not name else judge.describe(row.indicator, row.geography, row.period),
                                  claim_id=row.claim_id, candidates=[h[0] for h in hits], count=len(hits)))
    return out


def _totals(judge: Judge, claim: Claim, refs: list[Reference]) -> list[dict]:
    out = []
    primary = {r.name: r.periods[0] for r in refs if r.kind == "input"}
    for ref in refs:
        if ref.kind != "input":
            continue
        period = primary[ref.name].year
        others = sorted({f.geography for f in judge.ds.figures_of(ref.target)
                         if f.geography != ref.geography and f.period == period})
        for geo in others:
            moved = [replace(r, geography=geo) if r is ref else r for r in refs]
            result = _passes(judge, claim, moved)
            if result:
                out.append(_candidate("total", result, 1.0, what=judge.ds.indicators[ref.target].name_zh,
                                      geography=geo, instead_of=ref.geography))
    return out
