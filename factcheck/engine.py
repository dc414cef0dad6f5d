"""Judge every statistic of an article: recompute it at the precision printed, and say what it rests on.

Verdicts (codes; the words readers see are in :mod:`factcheck.vocabulary`):

``reproduced``    an independent source gives the same figure, or the figure is recomputed from inputs
                  that all come from sources independent of the article, equal at the precision printed;
``consistent``    agrees with outside data, but not every input is independent of the article (its own
                  figures, a source of the same origin, a stand-in period, an estimate, or another reading
                  of the period: the judgement says which);
``internal``      only the article's own arithmetic holds: every input is the article's (53 − 50 = 3; its
                  own list counted; a whole number implied by its own figures);
``inconsistent``  the recomputation, or a number the figure implies, contradicts the article itself or a
                  source;
``unverifiable``  an input was not found, part of a series is missing, the figure agrees only with another
                  claim that is itself wrong or unverifiable, or the check could not have failed;
``stated``        a base figure with nothing to recompute, and no other source giving the same figure;
``target``        a plan target, judged at its due year (met, missed, not yet due, no date).

A check that could not have failed is not support: a check that held is tried again with the other
figures the article might plausibly have printed (:func:`factcheck.slips.alternatives`); when none of
them would have been judged inconsistent, the verdict is ``unverifiable`` and says so (``vacuous``).

A verdict is no stronger than its weakest input. Names, ordinals, awards and dates (``kind`` other than
``statistic``) are kept in the register with no verdict. The article never corroborates itself: a figure
printed twice is one claim (the repeat is a mention of it), and a source counts as independent only when
both its publisher and the body its figures come from (``origin``) differ from the article's.

The results are structured (:class:`Judgement`); :mod:`factcheck.wording` writes the sentences.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .bindings import PROXY_TOLERANCE, Period, Reference, parse_bindings
from .formula import Formula, FormulaError, parse_formula
from .load import Claim, Dataset, Figure
from .numbers import decimals_of, token_offsets
from .precision import Interval, figure_interval, format_number, matches_printed
from .slips import alternatives
from .vocabulary import LOW_TIER, SUPPORT

STRENGTH = {"reproduced": 4, "consistent": 3, "internal": 2, "unverifiable": 1, "inconsistent": 0}
"""For a reading: how much it supports the figure (the best reading decides)."""
BLAMEABLE = ("stated", "unverifiable")
"""A figure a diagnosis may name as the wrong one of a pair: nothing of its own supports it."""
WEAK = ("inconsistent", "unverifiable")
"""A recomputation that agrees only with a claim of these verdicts is itself unverifiable."""


@dataclass
class Used:
    """A figure a recomputation used: what it is, where it comes from, how much it can be trusted."""

    name: str  # the binding's name (shown only in the details)
    what: str  # 江海区2022年地区生产总值
    value: float
    decimals: int
    qualifier: str
    unit: str
    kind: str  # input, claim, items, constant
    source_id: str = ""
    period: int | None = None
    stand_in: bool = False  # a nearby period standing in (±PROXY_TOLERANCE)
    stands_for: str = ""  # for a stand-in: the figure it stands for (江海区2022年常住人口)
    independent: bool = False
    claim_id: str = ""
    claim_verdict: str = ""
    items: list[str] = field(default_factory=list)
    interval: Interval | None = None
    whole: bool = False
    period_note: str = ""  # what the period means (which evaluation, 年末, a doubtful year)
    derived: str = ""  # for a figure the source does not print but implies: how it was worked out

    @property
    def exact(self) -> bool:
        return self.qualifier == "=" and not self.stand_in


@dataclass
class Reading:
    """One way to read a claim: which period each input stands for, and what comes out."""

    status: str  # match, mismatch, implied, missing
    verdict: str
    primary: bool
    changes: list[dict] = field(default_factory=list)  # for another reading: [{what, year, stand_in}]
    equation: str = ""  # 16.28 ÷ 302.1 × 100 = 5.389
    recomputed: float | None = None
    spread: Interval | None = None  # the recomputation over the inputs' rounding
    implied: Interval | None = None  # the missing input's values the figure allows
    implied_what: str = ""
    implied_unit: str = ""
    wholes: list[int] = field(default_factory=list)
    loose: bool = False  # the implied range is a unit or more wide: any printed figure would fit
    missing: list[str] = field(default_factory=list)
    missing_refs: list[dict] = field(default_factory=list)  # [{indicator, geography, period}] of what is missing
    bare: bool = False  # the figure is itself the missing input (全市第一 needs every district's figure)
    left_out: list[str] = field(default_factory=list)  # optional inputs not found (a partial series)
    used: list[Used] = field(default_factory=list)
    tolerance: float | None = None  # a stand-in period's tolerance, when one was used
    weak: list[dict] = field(default_factory=list)  # [{claim_id, verdict, figure}] it rests on


@dataclass
class Judgement:
    claim_id: str
    year: int
    chapter: str
    kind: str
    source_id: str
    quote: str
    figure: str
    figure_offset: int
    claimed: str  # the figure with qualifier and unit, as data: >15.7亿元
    value: float | None
    decimals: int
    qualifier: str
    unit: str
    indicator: str = ""
    indicator_name: str = ""
    geography: str = ""
    period: int | None = None
    verdict: str | None = None
    check: str = ""
    formula: str = ""
    condition: dict | None = None  # {"year": 2021}: agrees only if the figure describes that year
    readings: list[Reading] = field(default_factory=list)
    decisive: int = 0
    corroboration: list[dict] = field(default_factory=list)
    target: dict | None = None
    searched: list[dict] = field(default_factory=list)
    low_tier: list[str] = field(default_factory=list)
    diagnoses: list[dict] = field(default_factory=list)
    culprit: dict | None = None  # which printed figure of a failing pair is most likely wrong (diagnose)
    vacuous: dict | None = None  # {"tried": [...]}: the check held, but no other printed figure would have failed
    repeats: list[str] = field(default_factory=list)  # the article's other quotes of this figure
    featured: bool = False  # shown on the landing page

    @property
    def reading(self) -> Reading | None:
        return self.readings[self.decisive] if self.readings else None


def claimed_text(value: float, decimals: int, qualifier: str, unit: str) -> str:
    q = "" if qualifier == "=" else qualifier
    return f"{q}{format_number(value, max(decimals, 0))}{unit}"


class Judge:
    """Judges the statistics of a validated :class:`Dataset`, each once, inputs before the claims using them."""

    def __init__(self, ds: Dataset, blame: dict[str, dict] | None = None) -> None:
        """``blame``: for a failing check (its claim id), the diagnosis naming another printed figure as the
        one most likely wrong (:func:`factcheck.diagnose.culprit`): the error is that figure's, and the
        check's own figure cannot be judged by it."""
        self.ds = ds
        self.blame = dict(blame or {})
        self._blamed = {b["claim_id"]: checked for checked, b in self.blame.items()}
        self._done: dict[str, Judgement] = {}
        self._judging: set[str] = set()
        self._formulas: dict[str, tuple[list[Reference], Formula | None]] = {}

    # ---- whole editions ------------------------------------------------------------------------
    def judge_year(self, year: int) -> list[Judgement]:
        self.ds.require_year(year)
        return [self.judge(c.claim_id) for c in self.ds.claims_for(year)]

    def verdict_of(self, claim_id: str) -> str | None:
        return self.judge(claim_id).verdict

    def judge(self, claim_id: str) -> Judgement:
        """The judgement of one claim, made once (candidate explanations: :mod:`factcheck.diagnose`)."""
        return self._done.get(claim_id) or self._judge(claim_id)

    def _judge(self, claim_id: str) -> Judgement:
        self._judging.add(claim_id)
        try:
            return self._judge_claim(claim_id)
        finally:
            self._judging.discard(claim_id)

    def _judge_claim(self, claim_id: str) -> Judgement:
        claim = self.ds.claims[claim_id]
        for ref in self.refs(claim):  # the claims it uses first: their verdicts bound this one's
            if ref.kind == "claim" and ref.target not in self._done:
                self.judge(ref.target)
        j = self._base(claim)
        if claim.statistic:
            if claim.check == "stated":
                self._stated(claim, j)
            elif claim.check == "target":
                self._target(claim, j)
            else:
                self._formula(claim, j)
            self._apply_blame(j)
        self._done[claim_id] = j
        return j

    def _apply_blame(self, j: Judgement) -> None:
        """Move an error onto the figure a diagnosis names as the likely wrong one (see ``blame``)."""
        if j.claim_id in self.blame and j.verdict == "inconsistent":
            b = self.blame[j.claim_id]
            j.verdict = "unverifiable"
            j.culprit = {k: v for k, v in b.items() if k != "diagnoses"}
            j.diagnoses = b.get("diagnoses", [])
        if j.claim_id in self._blamed and j.verdict in BLAMEABLE:
            b = self.blame[self._blamed[j.claim_id]]
            j.verdict = "inconsistent"
            j.culprit = {k: v for k, v in b.items() if k != "diagnoses"}
            j.diagnoses = [d for d in b.get("diagnoses", []) if d.get("claim_id") == j.claim_id]

    # ---- figures -------------------------------------------------------------------------------
    def refs(self, claim: Claim) -> list[Reference]:
        return self._parsed(claim)[0]

    def formula(self, claim: Claim) -> Formula:
        formula = self._parsed(claim)[1]
        if formula is None:
            raise FormulaError(f"claim {claim.claim_id} has no formula")
        return formula

    def _parsed(self, claim: Claim) -> tuple[list[Reference], Formula | None]:
        if claim.claim_id not in self._formulas:
            refs = parse_bindings(claim.bindings)
            formula = parse_formula(claim.formula, [r.name for r in refs]) if claim.formula else None
            self._formulas[claim.claim_id] = (refs, formula)
        return self._formulas[claim.claim_id]

    def interval(self, value: float, decimals: int, qualifier: str, indicator: str) -> Interval:
        ind = self.ds.indicators[indicator]
        return figure_interval(value, decimals, qualifier, lower=ind.minimum, upper=ind.maximum, whole=ind.whole)

    def claim_interval(self, claim: Claim) -> Interval:
        return self.interval(float(claim.value or 0), claim.decimals, claim.qualifier, claim.indicator)

    def independent(self, article_source: str, source_id: str) -> bool:
        """Is ``source_id`` independent of the article: another publisher, and figures of another origin?"""
        a, b = self.ds.sources[article_source], self.ds.sources.get(source_id)
        return b is not None and b.publisher != a.publisher and b.origin != a.origin

    def describe(self, indicator: str, geography: str, period: int | None) -> str:
        year = f"{period}年" if period else ""
        return f"{geography}{year}{self.ds.indicators[indicator].name_zh}"

    def describe_ref(self, ref: Reference, period: Period | None) -> str:
        if ref.kind == "input":
            return self.describe(ref.target, ref.geography, period.year if period else None)
        if ref.kind == "claim":
            c = self.ds.claims[ref.target]
            return self.describe(c.indicator, c.geography, c.period)
        if ref.kind == "items":
            return "文中列举的项数"
        return format_number(float(ref.constant or 0), 4)

    def pick(self, figures: list[Figure], article_source: str) -> Figure:
        """Of several sources for one figure: an independent one first, then the best tier."""
        def key(f: Figure) -> tuple:
            tier = self.ds.sources[f.source_id].tier
            return (not self.independent(article_source, f.source_id), tier)

        return sorted(figures, key=key)[0]

    def resolve(self, ref: Reference, claim: Claim, period: Period | None) -> Used | None:
        if ref.kind == "constant":
            v = float(ref.constant or 0)
            return Used(ref.name, format_number(v, 4), v, 4, "=", "", "constant", interval=Interval.point(v),
                        whole=v == int(v))
        if ref.kind == "items":
            items = ref.items()
            return Used(ref.name, "文中列举的项数", float(len(items)), 0, "=", "项", "items", source_id=claim.source_id,
                        items=items, interval=Interval.point(len(items)), whole=True)
        if ref.kind == "claim":
            c = self.ds.claims[ref.target]
            done = self._done.get(c.claim_id)
            return Used(ref.name, self.describe(c.indicator, c.geography, c.period), float(c.value or 0), c.decimals,
                        c.qualifier, c.unit, "claim", source_id=c.source_id, period=c.period,
                        independent=self.independent(claim.source_id, c.source_id), claim_id=c.claim_id,
                        claim_verdict=(done.verdict or "") if done else "", interval=self.claim_interval(c),
                        whole=self.ds.indicators[c.indicator].whole)
        assert period is not None
        found = [f for f in self.ds.figures_at(ref.target, ref.geography, period.year) if f.claim_id != claim.claim_id]
        if not found:
            return None
        f = self.pick(found, claim.source_id)
        return Used(ref.name, self.describe(ref.target, ref.geography, period.year), f.value, f.decimals,
                    f.qualifier, f.unit, "input", source_id=f.source_id, period=period.year, stand_in=period.proxy,
                    independent=self.independent(claim.source_id, f.source_id), claim_id=f.claim_id,
                    claim_verdict=self._verdict_of_figure(f.claim_id),
                    interval=self.interval(f.value, f.decimals, f.qualifier, f.indicator),
                    whole=self.ds.indicators[f.indicator].whole, period_note=f.period_note,
                    derived=f.note if f.derived else "")

    def _verdict_of_figure(self, claim_id: str) -> str:
        """The verdict of the article claim a figure comes from ('' for an outside input, or while that claim
        is itself being judged: figures can refer to each other through their indicators)."""
        if not claim_id or claim_id in self._judging:
            return ""
        return self.verdict_of(claim_id) or ""

    def _searched(self, ref: Reference, period: Period) -> dict | None:
        """What was searched for an input not found (``searches.csv``); None for anything but an input."""
        if ref.kind != "input":
            return None
        s = self.ds.search_for(ref.target, ref.geography, period.year)
        entry = {"what": self.describe(ref.target, ref.geography, period.year)}
        if s is not None:
            entry.update(result=s.result, searched=s.searched, date=s.date, source_id=s.source_id, note=s.note)
        else:
            entry.update(result="nothing", searched="", date="", source_id="", note="")
        return entry

    # ---- claims --------------------------------------------------------------------------------
    def _base(self, claim: Claim) -> Judgement:
        value = claim.value
        repeats = self.ds.repeats_of(claim.claim_id)
        text = self.ds.articles[claim.source_id]
        from .mentions import context

        return Judgement(
            claim_id=claim.claim_id, year=claim.year, chapter=claim.chapter, kind=claim.kind,
            source_id=claim.source_id, quote=claim.quote, figure=claim.figure,
            figure_offset=token_offsets(claim.figure, claim.quote)[0],
            claimed=claimed_text(value, claim.decimals, claim.qualifier, claim.unit) if value is not None else "",
            value=value, decimals=claim.decimals, qualifier=claim.qualifier, unit=claim.unit,
            indicator=claim.indicator, geography=claim.geography, period=claim.period,
            indicator_name=self.ds.indicators[claim.indicator].name_zh if claim.indicator else "", check=claim.check, formula=claim.formula,
            repeats=[context(text, m.offset, len(m.mention)) for m in repeats], featured=claim.featured,
        )

    def _stated(self, claim: Claim, j: Judgement) -> None:
        own = self.claim_interval(claim)
        others = [f for f in self.ds.figures_at(claim.indicator, claim.geography, int(claim.period or claim.year))
                  if f.claim_id != claim.claim_id and f.source_id != claim.source_id]
        for f in others:
            src = self.ds.sources[f.source_id]
            theirs = self.interval(f.value, f.decimals, f.qualifier, f.indicator)
            j.corroboration.append({
                "source_id": f.source_id, "publisher": src.publisher, "tier": src.tier,
                "text": claimed_text(f.value, f.decimals, f.qualifier, f.unit), "period_note": f.period_note,
                "agrees": own.intersects(theirs), "same": own == theirs,  # the same figure, or only no contradiction
                "independent": self.independent(claim.source_id, f.source_id),
            })
        same = [c for c in j.corroboration if c["same"]]
        if any(not c["agrees"] for c in j.corroboration):
            j.verdict = "inconsistent"
        elif any(c["independent"] for c in same):
            j.verdict = "reproduced"  # another, independent source gives the same figure
        elif same:
            j.verdict = "consistent"  # the same figure, but from a source of the article's own origin
        else:
            j.verdict = "stated"  # nothing to recompute, and nobody else gives the figure (or only a bound)
        j.low_tier = sorted({c["source_id"] for c in j.corroboration if c["tier"] >= LOW_TIER})

    def _target(self, claim: Claim, j: Judgement) -> None:
        goal = self.claim_interval(claim)
        latest_edition = max(self.ds.years)
        actuals = []
        for ref in self.refs(claim):
            for period in ref.periods:
                used = self.resolve(ref, claim, period)
                if used is None:
                    continue
                actual = used.interval
                status = ("met" if actual.within(goal) else "missed" if not actual.intersects(goal) else "unclear")
                actuals.append({"period": period.year, "value": used.value, "decimals": used.decimals,
                                "qualifier": used.qualifier, "unit": used.unit, "source_id": used.source_id,
                                "text": claimed_text(used.value, used.decimals, used.qualifier, used.unit),
                                "status": status, "claim_id": used.claim_id})
        actuals.sort(key=lambda a: a["period"])
        due = claim.due
        at_due = [a for a in actuals if a["period"] == due]
        if due is None:
            status = "no_date"
        elif at_due:
            status = at_due[0]["status"]
        else:
            status = "not_due" if due > latest_edition else "not_found"
        if status == "not_found":
            j.searched = [e for ref in self.refs(claim) if (e := self._searched(ref, Period(due)))]
        j.verdict = "target"
        j.target = {"due": due, "status": status, "actuals": actuals}
        j.low_tier = sorted({a["source_id"] for a in actuals if self.ds.sources[a["source_id"]].tier >= LOW_TIER})

    def _formula(self, claim: Claim, j: Judgement) -> None:
        refs = self.refs(claim)
        plan = self.plan(refs)
        readings = self.readings(claim, refs)
        best = self.decide(readings)
        j.readings, j.decisive = readings, best
        chosen = readings[best]
        verdict = chosen.verdict
        if best != 0 and verdict in ("reproduced", "consistent") and not _stand_in_only(chosen):
            # agrees only under another reading of the period: never better than consistent, and says which
            verdict = "consistent"
            j.condition = {"year": chosen.changes[0]["year"], "what": chosen.changes[0]["what"]}
        if verdict in SUPPORT:
            tried = self.could_not_fail(claim, refs, plan[best][0])
            if tried:
                verdict, j.vacuous = "unverifiable", {"tried": tried}
        j.verdict = verdict
        for ref in refs:  # every input not found in its primary period: what was searched
            if ref.kind == "input" and self.resolve(ref, claim, ref.periods[0]) is None:
                j.searched.append(self._searched(ref, ref.periods[0]))
        j.low_tier = sorted({u.source_id for u in chosen.used
                             if u.source_id and self.ds.sources[u.source_id].tier >= LOW_TIER})

    def could_not_fail(self, claim: Claim, refs: list[Reference], periods: dict[str, Period]) -> list[str]:
        """The other printed figures tried when none of them would have been judged inconsistent by the
        same reading (the check could not have failed); an empty list when one would have."""
        ind = self.ds.indicators[claim.indicator]
        formula = self.formula(claim)
        tried = []
        for text in alternatives(float(claim.value or 0), claim.decimals, lower=ind.minimum, upper=ind.maximum,
                                 whole=ind.whole):
            target = figure_interval(float(text), decimals_of(text), claim.qualifier, lower=ind.minimum,
                                     upper=ind.maximum, whole=ind.whole)
            alternative = self.evaluate(claim, formula, refs, periods, [], True, target, (float(text), decimals_of(text)))
            if alternative.verdict == "inconsistent":
                return []
            tried.append(text)
        return tried

    # ---- readings ------------------------------------------------------------------------------
    def plan(self, refs: list[Reference]) -> list[tuple[dict[str, Period], list[dict], bool]]:
        """The primary reading, then one alternative per other listed period of each input."""
        primary = {r.name: r.periods[0] for r in refs if r.kind == "input"}
        out: list[tuple[dict[str, Period], list[dict], bool]] = [(primary, [], True)]
        for r in refs:
            if r.kind != "input":
                continue
            for p in r.periods[1:]:
                alt = dict(primary)
                alt[r.name] = p
                out.append((alt, [{"what": self.ds.indicators[r.target].name_zh, "geography": r.geography,
                                   "year": p.year, "stand_in": p.proxy, "instead_of": r.periods[0].year}], False))
        return out

    def readings(self, claim: Claim, refs: list[Reference], *, target: Interval | None = None,
                 periods: dict[str, Period] | None = None) -> list[Reading]:
        formula = self.formula(claim)
        plan = self.plan(refs) if periods is None else [(periods, [], True)]
        return [self.evaluate(claim, formula, refs, p, changes, primary, target) for p, changes, primary in plan]

    def decide(self, readings: list[Reading]) -> int:
        """The reading that decides: the strongest, the primary one on a tie. A missing period judged by its
        stand-ins when every stand-in contradicts the figure: the one from the most reliable source."""
        best = max(range(len(readings)), key=lambda i: (STRENGTH[readings[i].verdict], readings[i].primary))
        primary = readings[0]
        if primary.status in ("implied", "missing") and primary.verdict == "unverifiable":
            proxies = [i for i, r in enumerate(readings[1:], start=1) if _stand_in_only(r)]
            if proxies and all(readings[i].verdict == "inconsistent" for i in proxies):
                best = min(proxies, key=lambda i: max((self.ds.sources[u.source_id].tier for u in readings[i].used
                                                        if u.stand_in and u.source_id), default=9))
        return best

    def evaluate(self, claim: Claim, formula: Formula, refs: list[Reference], periods: dict[str, Period],
                 changes: list[dict], primary: bool, target: Interval | None = None,
                 printed: tuple[float, int] | None = None) -> Reading:
        """One reading of ``claim`` (``target`` and ``printed``: another figure than the article's, as
        (value, decimals), to ask what the same check says of it; no equation is written for it)."""
        target = target or self.claim_interval(claim)
        printed_value, printed_decimals = printed or (float(claim.value or 0), claim.decimals)
        used: dict[str, Used] = {}
        missing: list[Reference] = []
        left_out: list[Reference] = []
        for ref in refs:
            u = self.resolve(ref, claim, periods.get(ref.name))
            if u is None:
                (left_out if ref.optional else missing).append(ref)
            else:
                if u.stand_in:
                    u.stands_for = self.describe(ref.target, ref.geography, ref.periods[0].year)
                used[ref.name] = u
        r = Reading("missing", "unverifiable", primary, changes=changes, used=list(used.values()),
                    left_out=[self.describe_ref(x, periods.get(x.name)) for x in left_out])
        try:
            formula = formula.without([x.name for x in left_out])
        except FormulaError:
            r.missing = r.left_out
            r.left_out = []
            return r
        if missing:
            r.missing = [self.describe_ref(m, periods.get(m.name)) for m in missing]
            r.missing_refs = [{"indicator": m.target, "geography": m.geography,
                               "period": periods[m.name].year if m.name in periods else None}
                              for m in missing if m.kind == "input"]
            if len(missing) > 1:
                return r
            m = missing[0]
            if claim.formula.strip() == m.name:
                r.bare = True
                return r
            implied = formula.solve(m.name, target, {k: u.interval for k, u in used.items()})
            if implied is None:
                return r
            r.status, r.implied, r.implied_what = "implied", implied, r.missing[0]
            r.implied_unit = self.ds.indicators[m.target].unit if m.kind == "input" else ""
            whole = m.kind == "input" and self.ds.indicators[m.target].whole
            if whole:
                known = {k: u.interval for k, u in used.items()}
                r.wholes = [n for n in implied.whole_numbers(limit=50)
                            if formula.bound({**known, m.name: Interval.point(n)}).intersects(target)][:6]
                # a whole number can be missed only when the range is narrower than one: a wider one always
                # holds one, and the check could not have failed
                r.loose = not implied.bounded or implied.hi - implied.lo >= 1
                r.verdict = ("inconsistent" if not r.wholes else "unverifiable" if r.loose
                             else self._agreement(claim, list(used.values())))
            else:
                r.verdict = "unverifiable"
            return self._weaken(r)
        values = {k: u.value for k, u in used.items()}
        point = formula.value(values)
        spread = formula.bound({k: u.interval for k, u in used.items()})
        if printed is None:  # the article's own figure: the equation a reader sees (not for a slip tried)
            shown = formula.show({k: format_number(u.value, 4) for k, u in used.items()})
            point_text = format_number(point, max(claim.decimals, 2) + 1) if math.isfinite(point) else "无意义（除以零）"
            r.equation = shown if shown == point_text else f"{shown} = {point_text}"
        r.recomputed, r.spread = (point if math.isfinite(point) else None), spread
        stand_in = any(u.stand_in for u in used.values())
        if stand_in:
            widened = Interval(target.lo - abs(target.lo) * PROXY_TOLERANCE,
                               target.hi + abs(target.hi) * PROXY_TOLERANCE)
            ok = math.isfinite(point) and widened.contains(point)
            r.tolerance = PROXY_TOLERANCE
            r.status, r.verdict = ("match", "consistent") if ok else ("mismatch", "inconsistent")
        else:
            exact = all(u.exact for u in used.values()) and math.isfinite(point) and matches_printed(
                point, printed_value, printed_decimals, claim.qualifier)
            independent = all(u.independent for u in used.values())
            if exact or spread.intersects(target):
                strict = exact or all(u.exact for u in used.values())
                r.status = "match"
                r.verdict = ("reproduced" if independent and strict else self._agreement(claim, list(used.values())))
            else:
                r.status, r.verdict = "mismatch", "inconsistent"
        if r.left_out and r.verdict != "inconsistent":
            r.verdict = "unverifiable"  # a series with gaps: what was found agrees, but it is not all
        return self._weaken(r)

    @staticmethod
    def _agreement(claim: Claim, used: list[Used]) -> str:
        """An agreement that is not fully independent: with outside data (``consistent``), or only among the
        article's own figures, lists and constants (``internal``)."""
        outside = [u for u in used if u.kind in ("input", "claim") and u.source_id != claim.source_id]
        return "consistent" if outside else "internal"

    @staticmethod
    def _weaken(r: Reading) -> Reading:
        """An agreement with a claim that is itself wrong or unverifiable proves nothing."""
        r.weak = [{"claim_id": u.claim_id, "verdict": u.claim_verdict, "what": u.what,
                   "text": claimed_text(u.value, u.decimals, u.qualifier, u.unit)}
                  for u in r.used if u.claim_id and u.claim_verdict in WEAK]
        if r.weak and r.verdict in SUPPORT:
            r.verdict = "unverifiable"
        return r


def _stand_in_only(r: Reading) -> bool:
    return bool(r.changes) and all(c["stand_in"] for c in r.changes)


def judge_year(ds: Dataset, year: int) -> list[Judgement]:
    return Judge(ds).judge_year(year)
