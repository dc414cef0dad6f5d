"""Why a figure fails: try the plausible readings that would make an inconsistent claim true.

Each candidate says what it assumes; candidates are ranked by how little they assume (another reference
period before a misprint, a misprint of one digit before a different total) and then by how little the
figures must move. Nothing here changes a verdict: the reader sees the failing arithmetic and the
candidates, never a silently "fixed" number. Candidates are data (:mod:`factcheck.wording` writes them).

The search is bounded: at most :data:`factcheck.slips.MAX_EDITS` one-keystroke variants of a figure are tried, each with
one recomputation per reading.
"""

from __future__ import annotations

from dataclasses import replace

from .bindings import Period, Reference
from .engine import Judge, Judgement, Reading
from .load import Claim
from .numbers import decimals_of
from .precision import Interval, figure_interval, format_number
from .slips import printed_edits
from .vocabulary import SUPPORT

COST = {"period": 1, "swap": 2, "base": 2, "enumeration": 2, "misprint": 3, "total": 3}
KINDS = tuple(COST)
MAX_CANDIDATES = 8
MAX_HITS = 12
"""A misprint explains nothing when more than this many one-keystroke variants would fit."""


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
    return best if best.verdict in SUPPORT else None


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


# ---- which printed figure is wrong ------------------------------------------------------------------
SERIES_FITS = 1.5
"""A printed figure within this factor a year of the same indicator's nearest figure elsewhere fits it."""
SERIES_OFF = 3.0
"""Beyond this factor a year it is out of line: a level does not move threefold in a year."""
SCORE = {"off": 2, "near": 1, "fits": -1, None: 0}


def culprit(judge: Judge, claim: Claim, j: Judgement, diagnoses: list[dict]) -> dict | None:
    """Of the article's printed figures a failing check rests on, which is most likely the wrong one, how
    sure (``likely``, ``possible``, ``unknown``), and why.

    Each suspect (the checked figure, and every figure of the same article the check uses) is weighed
    against the same indicator and place in other editions and outside series (the nearest period, from
    another source): a figure out of line with its series by :data:`SERIES_OFF` or more a year is
    suspect, one within :data:`SERIES_FITS` fits. A one-keystroke misprint of a suspect that makes the
    check hold *and* fits its series counts for it too. ``likely`` needs the first suspect out of line and
    the next one fitting; ``possible`` only that the first stands out. The outside inputs are weighed the
    other way: what the printed figures imply for them (52 ÷ 15.53 gives 3.35万 residents) against what
    the source says. Levels only: a growth rate (an indicator that may be negative) has no series to
    weigh. None when the check rests on fewer than two printed figures."""
    r = j.reading
    if claim.check != "formula" or r is None or r.status not in ("mismatch", "implied"):
        return None
    rows = [claim] + [judge.ds.claims[u.claim_id] for u in r.used
                      if u.claim_id and u.source_id == claim.source_id and u.claim_id != claim.claim_id]
    if len(rows) < 2:
        return None
    suspects = [_suspect(judge, claim, row, diagnoses) for row in rows]
    ranked = sorted(suspects, key=lambda s: -s["score"])
    top, second = ranked[0], ranked[1]
    if top["score"] >= SCORE["off"] and second["score"] <= SCORE["fits"]:
        confidence = "likely"
    elif top["score"] >= SCORE["near"] and top["score"] > second["score"]:
        confidence = "possible"
    else:
        confidence = "unknown"
    return {"claim_id": top["claim_id"] if confidence != "unknown" else "", "checked": claim.claim_id,
            "confidence": confidence, "suspects": ranked, "implied": _implied_inputs(judge, claim, r),
            "equation": r.equation}


def _suspect(judge: Judge, claim: Claim, row: Claim, diagnoses: list[dict]) -> dict:
    series = _nearest(judge, row, claim.source_id)
    fit = None
    if series:
        per_year = series["ratio"] ** (1 / max(1, abs(series["period"] - int(row.period or row.year))))
        fit = "fits" if per_year <= SERIES_FITS else "off" if per_year >= SERIES_OFF else "near"
    fixes = []
    if series and fit != "fits":
        limit = SERIES_FITS ** max(1, abs(series["period"] - int(row.period or row.year)))
        for d in diagnoses:
            if d["kind"] == "misprint" and d.get("claim_id") == row.claim_id:
                fixes += [t for t in d["candidates"] if _ratio(float(t), series["value"]) <= limit]
        fixes = sorted(set(fixes), key=lambda t: (abs(float(t) - series["value"]), t))[:3]
    return {"claim_id": row.claim_id, "figure": row.figure, "value": row.value, "decimals": row.decimals,
            "qualifier": row.qualifier, "unit": row.unit, "what": judge.describe(row.indicator, row.geography, row.period),
            "series": series, "fit": fit, "fixes": fixes, "score": SCORE[fit] + (1 if fixes else 0)}


def _ratio(a: float, b: float) -> float:
    return max(a / b, b / a)


def _nearest(judge: Judge, row: Claim, article: str) -> dict | None:
    """The same indicator and place at the nearest other period, from a source other than the article."""
    if judge.ds.indicators[row.indicator].minimum < 0 or not row.value or row.value <= 0:
        return None
    period = int(row.period or row.year)
    found = [f for f in judge.ds.figures_of(row.indicator)
             if f.geography == row.geography and f.period != period and f.source_id != article
             and f.qualifier in ("=", "≈") and f.value > 0]
    if not found:
        return None
    f = min(found, key=lambda f: (abs(f.period - period), judge.ds.sources[f.source_id].tier, f.period))
    return {"value": f.value, "decimals": f.decimals, "qualifier": f.qualifier, "unit": f.unit, "period": f.period,
            "source_id": f.source_id, "publisher": judge.ds.sources[f.source_id].publisher,
            "edition": judge.ds.claims[f.claim_id].year if f.claim_id else None,
            "ratio": _ratio(float(row.value), f.value)}


def _implied_inputs(judge: Judge, claim: Claim, r: Reading) -> list[dict]:
    """What the printed figures imply for each outside input of the check, when it is far from the source's."""
    formula = judge.formula(claim)
    names = {u.name: u for u in r.used}
    out = []
    for u in r.used:
        if u.kind != "input" or u.claim_id or not u.value:
            continue
        known = {k: v.interval for k, v in names.items() if k != u.name and v.interval is not None}
        implied = formula.solve(u.name, judge.claim_interval(claim), known)
        if implied is None or not implied.bounded:
            continue
        mid = (implied.lo + implied.hi) / 2
        if mid > 0 and _ratio(mid, u.value) >= SERIES_OFF:
            out.append({"what": u.stands_for or u.what, "value": mid, "unit": u.unit, "used": u.value,
                        "used_decimals": u.decimals, "used_what": u.what, "publisher": judge.ds.sources[u.source_id].publisher})
    return out
