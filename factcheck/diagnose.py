"""Why a figure fails: try the plausible readings that would make an inconsistent claim true.

Each candidate says what it assumes and what that requires; candidates are ranked by how little they
assume (another reference period before a misprint, a misprint of one digit before a different total)
and then by how little the figures must move. Nothing here changes a verdict: the reader sees the
failing arithmetic and the candidates, never a silently "fixed" number.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from .bindings import Period, Reference, parse_bindings
from .precision import Interval, decimals_of, figure_interval, format_number

KIND_ZH = {
    "period": "另一个参考时期",
    "swap": "前后两期颠倒",
    "base": "另一种基数(增长率与比值)",
    "enumeration": "列举不完整",
    "misprint": "数字误植(一位之差)",
    "total": "另一个总量或地域",
}
COST = {"period": 1, "swap": 2, "base": 2, "enumeration": 2, "misprint": 3, "total": 3}
MAX_CANDIDATES = 8


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
    return sorted(good, key=lambda t: (abs(float(t) - float(text)), t))


def diagnose(judge, claim: pd.Series, judgement) -> list[dict]:
    """Candidate explanations for an inconsistent claim, best first."""
    if claim["check"] == "stated":
        return _misprint_of_stated(judge, claim)
    if claim["check"] != "formula":
        return []
    refs = parse_bindings(claim["bindings"])
    found: list[dict] = []
    found += _periods(judge, claim, refs)
    found += _swaps(judge, claim, refs)
    found += _base(judge, claim, refs)
    found += _enumeration(judge, claim, refs)
    found += _misprints(judge, claim, refs)
    found += _totals(judge, claim, refs)
    found.sort(key=lambda d: (COST[d["kind"]], d["distance"]))
    for i, d in enumerate(found[:MAX_CANDIDATES], start=1):
        d["rank"] = i
        d["kind_zh"] = KIND_ZH[d["kind"]]
    return found[:MAX_CANDIDATES]


def _passes(judge, claim: pd.Series, refs: list[Reference], target: Interval | None = None,
            periods: dict[str, Period] | None = None):
    best, _ = judge.assess(claim, refs, target=target, periods_override=periods)
    return best if best.verdict in ("reproduced", "consistent") else None


def _candidate(kind: str, assumes: str, requires: str, result, distance: float) -> dict:
    return {"kind": kind, "assumes": assumes, "requires": requires, "result": result.text,
            "verdict": result.verdict, "distance": distance}


def _periods(judge, claim, refs):
    out = []
    primary = {r.name: r.periods[0] for r in refs if r.kind == "input"}
    for ref in refs:
        if ref.kind != "input":
            continue
        listed = {p.year for p in ref.periods}
        base = ref.periods[0].year
        for year in (base - 1, base + 1, base - 2, base + 2):
            if year in listed:
                continue
            periods = dict(primary)
            periods[ref.name] = Period(year)
            if judge.lookup(ref.target, ref.geography, year).empty:
                continue
            result = _passes(judge, claim, refs, periods=periods)
            if result:
                out.append(_candidate("period", f"{ref.name}({judge.name_zh(ref.target)})取{year}年而非{base}年",
                                      f"本文所说的数实指{year}年", result, abs(year - base)))
    return out


def _swaps(judge, claim, refs):
    """Prior and current swapped: the article's figure is really the other period's."""
    out = []
    names = [r for r in refs if r.kind in ("claim", "input")]
    primary = {r.name: r.periods[0] for r in refs if r.kind == "input"}
    for a, b in ((a, b) for i, a in enumerate(names) for b in names[i + 1:]):
        if _indicator(judge, a) != _indicator(judge, b):
            continue
        swapped = [replace(r, name=b.name) if r is a else replace(r, name=a.name) if r is b else r for r in refs]
        result = _passes(judge, claim, swapped)
        if not result:
            continue
        what_a = judge._describe_ref(a, primary.get(a.name))
        what_b = judge._describe_ref(b, primary.get(b.name))
        requires = f"{what_a}与{what_b}对调"
        if result.implied is not None:
            unit = judge.unit(_indicator(judge, a))
            requires = f"本文的数其实是{what_b};{what_a}则应为{result.implied.describe(2)}{unit}"
        out.append(_candidate("swap", f"{a.name}与{b.name}互换(本期数与上期数颠倒)", requires, result, 0.5))
    return out


def _indicator(judge, ref: Reference) -> str:
    return judge.claims.loc[ref.target, "indicator"] if ref.kind == "claim" else ref.target


def _base(judge, claim, refs):
    if claim["unit"] != "%":
        return []
    out = []
    for delta, words in ((-100.0, "“增长到”误作“增长了”"), (100.0, "“增长了”误作“增长到”")):
        value = float(claim["value"]) + delta
        if value <= 0:
            continue
        target = figure_interval(value, int(claim["decimals"]), claim["qualifier"])
        result = _passes(judge, claim, refs, target=target)
        if result:
            out.append(_candidate("base", f"{words}:实为{format_number(value, 2)}%",
                                  "本文混淆了增长率与两期之比", result, abs(delta) / 100))
    return out


def _enumeration(judge, claim, refs):
    out = []
    for ref in refs:
        if ref.kind != "items":
            continue
        listed = len(ref.items())
        gap = float(claim["value"]) - listed
        if gap:
            out.append({"kind": "enumeration",
                        "assumes": f"文中只列出{listed}项,比所说的{format_number(float(claim['value']), 0)}项"
                                   f"{'少' if gap > 0 else '多'}{format_number(abs(gap), 0)}项",
                        "requires": "原计划确有漏列或多列的项目(需查原文件核对)",
                        "result": f"列举:{'、'.join(ref.items())}", "verdict": "consistent",
                        "distance": abs(gap)})
    return out


def _misprints(judge, claim, refs):
    """One keystroke in the claim's own figure or in a figure of the same article that it uses."""
    out = []
    targets: list[tuple[str, str, pd.Series | None]] = [("claim", _printed(claim), None)]
    for ref in refs:
        if ref.kind == "claim" and judge.claims.loc[ref.target, "source_id"] == claim["source_id"]:
            targets.append((ref.name, _printed(judge.claims.loc[ref.target]), judge.claims.loc[ref.target]))
    for name, text, row in targets:
        hits = []
        for edit in printed_edits(text):
            value = float(edit)
            if name == "claim":
                ind = judge.ds.indicators.loc[claim["indicator"]]
                if value > ind["maximum"]:
                    continue
                target = figure_interval(value, decimals_of(edit), claim["qualifier"], upper=ind["maximum"],
                                         whole=bool(ind["whole"]))
                result = _passes(judge, claim, refs, target=target)
            else:
                if bool(judge.ds.indicators.loc[row["indicator"], "whole"]) and value != int(value):
                    continue
                swapped = [Reference(r.name, "constant", constant=value) if r.name == name else r for r in refs]
                result = _passes(judge, claim, swapped)
            if result:
                hits.append((edit, result))
        if hits and len(hits) <= 12:
            what = "本文此数" if name == "claim" else f"{name}(本文:{row['figure']})"
            values = "、".join(h[0] for h in hits[:6]) + ("等" if len(hits) > 6 else "")
            distance = min(abs(float(h[0]) - float(text)) / max(abs(float(text)), 1e-9) for h in hits)
            out.append(_candidate("misprint", f"{what}“{text}”误植,原应为{values}",
                                  f"{len(hits)}个一位之差的数字能使等式成立", hits[0][1], distance))
    return out


def _totals(judge, claim, refs):
    out = []
    primary = {r.name: r.periods[0] for r in refs if r.kind == "input"}
    figs = judge.figures
    for ref in refs:
        if ref.kind != "input":
            continue
        period = primary[ref.name].year
        others = figs[(figs["indicator"] == ref.target) & (figs["geography"] != ref.geography)
                      & (figs["period"] == period)]["geography"].unique()
        for geo in others:
            moved = [replace(r, geography=geo) if r is ref else r for r in refs]
            result = _passes(judge, claim, moved)
            if result:
                out.append(_candidate("total", f"{ref.name}取{geo}而非{ref.geography}",
                                      f"所比的总量是{geo}的{judge.name_zh(ref.target)}", result, 1.0))
    return out


def _misprint_of_stated(judge, claim):
    return []


def _printed(row: pd.Series) -> str:
    decimals = int(row["decimals"])
    return f"{float(row['value']):.{decimals}f}"
