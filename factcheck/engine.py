"""Judge every claim: recompute it from its inputs at the precision printed, and say what it implies.

Verdicts (see the README):

``reproduced``    recomputed from at least one independently sourced input, equal at the precision printed;
``consistent``    agrees with the article's other figures (a whole-number base exists, a sum adds up, …)
                  or, for a stand-in period or an estimate, within tolerance, but not independently recomputed;
``inconsistent``  the recomputation, or what the figure implies, contradicts the claim, another figure
                  or a source;
``unverifiable``  a needed input is not published; the explanation names it and the value the claim implies;
``stated``        a base figure with nothing to recompute (corroborated where another source repeats it);
``target``        a plan target, compared with the actual figures where there are any.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .bindings import PROXY_TOLERANCE, Period, Reference, parse_bindings
from .data import Dataset
from .formula import FormulaError, bound, drop_symbols, evaluate, parse_formula, show, solve_for
from .precision import Interval, figure_interval, format_number, matches_printed

VERDICTS = ("reproduced", "consistent", "inconsistent", "unverifiable", "stated", "target")
VERDICT_ZH = {
    "reproduced": "复现一致",
    "consistent": "内部一致",
    "inconsistent": "不一致",
    "unverifiable": "无法核实",
    "stated": "陈述",
    "target": "目标",
}
_RANK = {"reproduced": 0, "consistent": 1, "unverifiable": 2, "inconsistent": 3}


@dataclass
class Figure:
    """A resolved binding: a number, what it may really be, and where it comes from."""

    name: str
    value: float
    interval: Interval
    label: str
    source_id: str = ""
    independent: bool = False
    period: Period | None = None
    exact: bool = True  # False for an estimate (≈) or a bound (>, ≥): such a figure can't reproduce exactly
    whole: bool = False


@dataclass
class Reading:
    """One way to read a claim: which period each input stands for, and what comes out."""

    label: str
    status: str  # match, mismatch, implied, missing
    verdict: str
    recomputed: float | None = None
    recomputed_interval: Interval | None = None
    shown: str = ""
    text: str = ""
    implied: Interval | None = None
    missing: list[str] = field(default_factory=list)
    primary: bool = False


@dataclass
class Judgement:
    claim_id: str
    year: int
    chapter: str
    quote: str
    figure: str
    claimed: str
    recomputed: str
    verdict: str
    explanation: str
    formula: str = ""
    readings: list[Reading] = field(default_factory=list)
    diagnoses: list[dict] = field(default_factory=list)

    def row(self) -> dict:
        return {
            "claim_id": self.claim_id,
            "quote": self.quote,
            "claimed": self.claimed,
            "recomputed": self.recomputed,
            "verdict": self.verdict,
            "explanation": self.explanation,
        }


class Judge:
    """Judges the claims of a :class:`Dataset`."""

    def __init__(self, ds: Dataset) -> None:
        self.ds = ds
        self.figures = ds.all_inputs()
        self.claims = ds.claims.set_index("claim_id", drop=False)

    # ---- figures -------------------------------------------------------------------------------
    def unit(self, indicator: str) -> str:
        return str(self.ds.indicators.loc[indicator, "unit"])

    def name_zh(self, indicator: str) -> str:
        return str(self.ds.indicators.loc[indicator, "name_zh"])

    def claimed_interval(self, row: pd.Series) -> Interval:
        ind = self.ds.indicators.loc[row["indicator"]]
        return figure_interval(
            float(row["value"]), int(row["decimals"]), row["qualifier"],
            lower=ind["minimum"], upper=ind["maximum"], whole=bool(ind["whole"]),
        )

    def claimed_text(self, row: pd.Series) -> str:
        q = "" if row["qualifier"] == "=" else row["qualifier"]
        return f"{q}{format_number(float(row['value']), max(int(row['decimals']), 0))}{row['unit']}"

    def lookup(self, indicator: str, geography: str, period: int, exclude_claim: str = "",
               own_source: str = "") -> pd.DataFrame:
        """Rows for one figure, independent sources first, excluding the claim being judged."""
        f = self.figures
        rows = f[(f["indicator"] == indicator) & (f["geography"] == geography) & (f["period"] == period)]
        if exclude_claim:
            rows = rows[rows["note"] != f"claim {exclude_claim}"]
        return rows.assign(_own=rows["source_id"] == own_source).sort_values("_own", kind="stable")

    def _figure_from_row(self, name: str, r: pd.Series, own_source: str) -> Figure:
        iv = self.claimed_interval(r)
        src = self.ds.sources.loc[r["source_id"]]
        label = (f"{self.claimed_text(r)}({r['geography']}{r['period']}年{self.name_zh(r['indicator'])},"
                 f"{src['publisher']})")
        return Figure(name, float(r["value"]), iv, label, r["source_id"], r["source_id"] != own_source,
                      Period(int(r["period"])), exact=r["qualifier"] == "=",
                      whole=bool(self.ds.indicators.loc[r["indicator"], "whole"]))

    def resolve(self, ref: Reference, claim: pd.Series, period: Period | None) -> Figure | None:
        own = claim["source_id"]
        if ref.kind == "constant":
            v = float(ref.constant)
            return Figure(ref.name, v, Interval.point(v), format_number(v, 4), exact=True, whole=v == int(v))
        if ref.kind == "items":
            n = len(ref.items())
            return Figure(ref.name, n, Interval.point(n), f"{n}(文中列举:{'、'.join(ref.items())})",
                          own, False, whole=True)
        if ref.kind == "claim":
            r = self.claims.loc[ref.target]
            fig = self._figure_from_row(ref.name, r, own)
            fig.label = f"{self.claimed_text(r)}(本文:{r['figure']})" if r["source_id"] == own else fig.label
            return fig
        assert period is not None
        rows = self.lookup(ref.target, ref.geography, period.year, claim["claim_id"], own)
        if rows.empty:
            return None
        fig = self._figure_from_row(ref.name, rows.iloc[0], own)
        fig.period = period
        if period.proxy:
            fig.exact = False
        return fig

    # ---- claims --------------------------------------------------------------------------------
    def judge(self, claim: pd.Series) -> Judgement:
        check = claim["check"]
        if check == "stated":
            j = self._stated(claim)
        elif check == "target":
            j = self._target(claim)
        else:
            j = self._formula(claim)
        if j.verdict == "inconsistent":
            from .diagnose import diagnose

            j.diagnoses = diagnose(self, claim, j)
        return j

    def judge_year(self, year: int) -> list[Judgement]:
        return [self.judge(c) for _, c in self.ds.claims_for(year).iterrows()]

    def _base(self, claim: pd.Series, verdict: str, explanation: str, recomputed: str = "",
              formula: str = "", readings: list[Reading] | None = None) -> Judgement:
        return Judgement(
            claim_id=claim["claim_id"], year=int(claim["year"]), chapter=claim["chapter"],
            quote=claim["quote"], figure=claim["figure"], claimed=self.claimed_text(claim),
            recomputed=recomputed, verdict=verdict, explanation=explanation, formula=formula,
            readings=readings or [],
        )

    def _stated(self, claim: pd.Series) -> Judgement:
        own_iv = self.claimed_interval(claim)
        rows = self.lookup(claim["indicator"], claim["geography"], int(claim["period"]), claim["claim_id"],
                           claim["source_id"])
        agree, disagree = [], []
        for _, r in rows.iterrows():
            other = self.claimed_interval(r)
            who = ("本文另一处" if r["source_id"] == claim["source_id"]
                   else self.ds.sources.loc[r["source_id"], "publisher"])
            text = f"{who}:{self.claimed_text(r)}"
            (agree if own_iv.intersects(other) else disagree).append(text)
        if disagree:
            return self._base(claim, "inconsistent",
                              f"与其他来源矛盾:{';'.join(disagree)}(本文:{self.claimed_text(claim)})。",
                              recomputed=";".join(disagree))
        if agree:
            return self._base(claim, "stated", f"基础数据,无可重算;{';'.join(agree)},与之相符。",
                              recomputed=";".join(agree))
        return self._base(claim, "stated", "基础数据,无可重算,也未找到其他来源重复发布此数。")

    def _target(self, claim: pd.Series) -> Judgement:
        goal = self.claimed_interval(claim)
        parts, latest = [], ""
        for ref in parse_bindings(claim["bindings"]):
            if ref.kind != "input":
                continue
            for period in ref.periods:
                rows = self.lookup(ref.target, ref.geography, period.year, claim["claim_id"])
                if rows.empty:
                    parts.append(f"{period.year}年实际值未公布")
                    continue
                r = rows.iloc[0]
                actual = self.claimed_interval(r)
                if actual.within(goal):
                    status = "已达到"
                elif not actual.intersects(goal):
                    status = "未达到"
                else:
                    status = "无法判断是否达到"
                src = self.ds.sources.loc[r["source_id"], "publisher"]
                text = f"{period.year}年实际{self.claimed_text(r)}({src}),{status}"
                parts.append(text)
                latest = latest or f"{period.year}年:{self.claimed_text(r)}"
        goal_text = f"目标{self.claimed_text(claim)}({int(claim['period'])}年)"
        return self._base(claim, "target", f"{goal_text};" + ";".join(parts) + "。", recomputed=latest)

    # ---- formulas ------------------------------------------------------------------------------
    def readings_of(self, refs: list[Reference]) -> list[tuple[str, dict[str, Period], bool]]:
        """The primary reading, then one alternative per other listed period of each input."""
        primary = {r.name: r.periods[0] for r in refs if r.kind == "input"}
        out = [("按所指时期", primary, True)]
        for r in refs:
            if r.kind != "input":
                continue
            for p in r.periods[1:]:
                alt = dict(primary)
                alt[r.name] = p
                kind = "替代" if p.proxy else "按"
                out.append((f"{r.name} {kind}{p.year}年", alt, False))
        return out

    def evaluate_reading(self, claim: pd.Series, expr, refs: list[Reference], periods: dict[str, Period],
                         label: str, primary: bool, target: Interval | None = None) -> Reading:
        target = target or self.claimed_interval(claim)
        figs: dict[str, Figure] = {}
        missing: list[Reference] = []
        skipped: list[str] = []
        for ref in refs:
            fig = self.resolve(ref, claim, periods.get(ref.name))
            if fig is None:
                if ref.optional:
                    skipped.append(ref.name)
                    continue
                missing.append(ref)
            else:
                figs[ref.name] = fig
        try:
            expr = drop_symbols(expr, skipped)
        except FormulaError:
            names = [self._describe_ref(r, periods.get(r.name)) for r in refs if r.name in skipped]
            return Reading(label, "missing", "unverifiable", missing=names, primary=primary,
                           text=f"所需数据均未公布:{'、'.join(names)}")
        gaps = ""
        if skipped:
            gaps = ";未公布、未计入:" + "、".join(
                self._describe_ref(r, periods.get(r.name)) for r in refs if r.name in skipped)
        decimals = int(claim["decimals"])
        if missing:
            names = [self._describe_ref(m, periods.get(m.name)) for m in missing]
            if claim["formula"].strip() in {m.name for m in missing}:
                return Reading(label, "missing", "unverifiable", missing=names, primary=primary,
                               text=f"核实需要{names[0]},未公布;本文的数字即是这一未公布的结果")
            if len(missing) > 1:
                return Reading(label, "missing", "unverifiable", missing=names, primary=primary,
                               text=f"缺少多项输入:{'、'.join(names)}")
            m = missing[0]
            implied = solve_for(expr, m.name, target, {k: f.interval for k, f in figs.items()})
            whole = m.kind == "input" and bool(self.ds.indicators.loc[m.target, "whole"])
            unit = self.unit(m.target) if m.kind == "input" else ""
            if implied is None:
                return Reading(label, "missing", "unverifiable", missing=names, primary=primary,
                               text=f"{names[0]}未公布")
            if whole:
                known = {k: f.interval for k, f in figs.items()}
                wholes = [n for n in implied.whole_numbers(limit=50)
                          if bound(expr, {**known, m.name: Interval.point(n)}).intersects(target)][:6]
                if wholes:
                    shown = "、".join(map(str, wholes[:5])) + ("…" if len(wholes) > 5 else "")
                    return Reading(label, "implied", "consistent", implied=implied, missing=names, primary=primary,
                                   text=f"{names[0]}未公布;本文数字意味着它在{implied.describe(2)}之间"
                                        f"(含端点方括号,不含圆括号),存在整数解({shown}{unit}),与本文数字相容")
                where = implied.describe(3)
                where = f"约为{where}" if "," not in where else f"在{where}之间"
                return Reading(label, "implied", "inconsistent", implied=implied, missing=names, primary=primary,
                               text=f"{names[0]}未公布;本文数字意味着它{where},没有整数能满足,而它是计数,必须为整数")
            return Reading(label, "implied", "unverifiable", implied=implied, missing=names, primary=primary,
                           text=f"{names[0]}未公布;本文数字意味着它约为{implied.describe(2)}{unit}")
        point = evaluate(expr, {k: f.value for k, f in figs.items()})
        iv = bound(expr, {k: f.interval for k, f in figs.items()})
        shown = show(claim["formula"], {k: format_number(f.value, 4) for k, f in figs.items()})
        all_exact = all(f.exact for f in figs.values())
        independent = any(f.independent for f in figs.values()) and not skipped
        proxy = any(f.period is not None and f.period.proxy for f in figs.values())
        point_text = format_number(point, max(decimals, 2) + 1)
        equation = shown if shown == point_text else f"{shown} = {point_text}"
        basis = ";".join(f"{k}={f.label}" for k, f in figs.items())
        if proxy:
            widened = Interval(target.lo - abs(target.lo) * PROXY_TOLERANCE, target.hi + abs(target.hi) * PROXY_TOLERANCE)
            ok = widened.contains(point)
            return Reading(label, "match" if ok else "mismatch", "consistent" if ok else "inconsistent",
                           recomputed=point, recomputed_interval=iv, shown=shown, primary=primary,
                           text=f"以相邻时期数据替代:{equation},"
                                f"{'在' if ok else '超出'}±{PROXY_TOLERANCE:.0%}容差{'之内' if ok else ''}({basis})")
        exact = all_exact and matches_printed(point, float(claim["value"]), decimals, claim["qualifier"])
        loose = iv.intersects(target)
        if exact:
            verdict = "reproduced" if independent else "consistent"
            text = f"{equation},按所印精度与本文一致({basis}{gaps})"
        elif loose:
            verdict = "reproduced" if independent and all_exact else "consistent"
            text = (f"{equation};计入输入数据的舍入{'或估计' if not all_exact else ''}范围"
                    f"{iv.describe(decimals + 1)}后与本文相容({basis})")
        else:
            verdict = "inconsistent"
            spread = "" if iv.lo == iv.hi else f",即使计入舍入范围{iv.describe(decimals + 1)}"
            text = f"{equation}{spread},与本文{self.claimed_text(claim)}不符({basis})"
        return Reading(label, "match" if verdict != "inconsistent" else "mismatch", verdict, recomputed=point,
                       recomputed_interval=iv, shown=shown, text=text, primary=primary)

    def _describe_ref(self, ref: Reference, period: Period | None) -> str:
        if ref.kind == "input":
            year = f"{period.year}年" if period else ""
            return f"{ref.geography}{year}{self.name_zh(ref.target)}"
        if ref.kind == "claim":
            c = self.claims.loc[ref.target]
            return f"{c['geography']}{int(c['period'])}年{self.name_zh(c['indicator'])}({c['figure']}{c['unit']})"
        return ref.text

    def assess(self, claim: pd.Series, refs: list[Reference], target: Interval | None = None,
               periods_override: dict[str, Period] | None = None) -> tuple[Reading, list[Reading]]:
        """Evaluate every reading of a formula claim; return the one that decides, and all of them."""
        expr = parse_formula(claim["formula"], [r.name for r in refs])
        plan = self.readings_of(refs)
        if periods_override is not None:
            plan = [("另一时期", periods_override, True)]
        readings = [self.evaluate_reading(claim, expr, refs, periods, label, primary, target)
                    for label, periods, primary in plan]
        primary = readings[0]
        best = min(readings, key=lambda r: (_RANK[r.verdict], not r.primary))
        # an exact period that is missing is judged by its stand-ins when all of them contradict the claim
        if primary.status == "implied" and primary.verdict == "unverifiable":
            proxies = [r for r in readings[1:] if "替代" in r.label]
            if proxies and all(r.verdict == "inconsistent" for r in proxies):
                best = proxies[0]
        return best, readings

    def _formula(self, claim: pd.Series) -> Judgement:
        refs = parse_bindings(claim["bindings"])
        best, readings = self.assess(claim, refs)
        primary = readings[0]
        explanation = primary.text
        if best is not primary:
            explanation = f"按所指时期:{primary.text}。另一种读法({best.label}):{best.text}"
        others = [r for r in readings[1:] if r is not best]
        if others:
            explanation += "。其他读法:" + ";".join(f"{r.label}:{VERDICT_ZH[r.verdict]}" for r in others)
        recomputed = ""
        if best.recomputed is not None:
            recomputed = format_number(best.recomputed, int(claim["decimals"]) + 1)
        elif best.implied is not None:
            recomputed = f"隐含{best.missing[0] if best.missing else ''} {best.implied.describe(2)}"
        return self._base(claim, best.verdict, explanation + "。", recomputed=recomputed,
                          formula=claim["formula"], readings=readings)


def judge_year(ds: Dataset, year: int) -> list[Judgement]:
    ds.require_year(year)
    return Judge(ds).judge_year(year)


def verdict_table(judgements: list[Judgement]) -> pd.DataFrame:
    """The columns of ``_build/verdicts/YEAR.csv``."""
    cols = ["claim_id", "quote", "claimed", "recomputed", "verdict", "explanation"]
    return pd.DataFrame([j.row() for j in judgements], columns=cols)
