"""The judged stage: validate once, judge every edition once, write one file per edition and one for the book.

``python -m factcheck judge`` (run by ``make book``, ``make verify`` and before nbval) writes
``_build/judged/<year>.json`` for every edition, everything the pages of that edition show, computed here
and nowhere else, and nothing they don't (so adding or changing one edition rewrites no other's file):

* the judged statistics, each with its readings, inputs, sources, candidate explanations and the
  sentences of :mod:`factcheck.wording` (``label``, ``why``, ``steps``) and its corrections (the rows of
  ``corrections.csv`` naming it: the latest must give the verdict it has now);
* the register: the names, ordinals, awards and dates of the article, kept with their kind, not judged;
* the counts by verdict, in all and by chapter (statistics only), and how many rows of the register are
  drafts that await review (``drafts``, see :mod:`factcheck.draft`);
* the figures its charts and introductions draw (:func:`edition_figures`): its own article's statistics,
  and the outside figures of the indicators it uses for the periods up to the year it describes;
* the indicators, the searches that found nothing and the sources it uses, and its own corrections.

``_build/judged/book.json`` (:func:`book`) holds what the pages that list every edition show: each edition
with its article, date, state and counts; every search that found nothing; every correction, newest first;
every figure (the cross-year charts), with the indicators and sources they cite.

The files are JSON with sorted keys and one value per line, so a change of verdict shows as a small diff;
each is written only when its content changes, so the notebooks reading it are re-executed only then.
:class:`factcheck.edition.Edition` and :class:`factcheck.edition.Book` are how the pages read them back.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import math
import os
import sys
import time
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from pathlib import Path

from . import chapters, wording
from .diagnose import culprit, diagnose
from .edition import FORMAT, book_path, edition_title, path_for
from .engine import BLAMEABLE, Judge, Judgement
from .errors import InputError, where
from .load import Correction, Dataset, Figure
from .precision import Interval
from .schema import DRAFT
from .vocabulary import CODES, KINDS, NO_VERDICT, label

FIGURE_FIELDS = ("indicator", "geography", "period", "value", "decimals", "qualifier", "unit", "source_id",
                 "period_note", "claim_id")
"""What the charts need of a figure: a note or a quote changed elsewhere does not re-execute any page."""


# ---- writing ------------------------------------------------------------------------------------
def _plain(value: object) -> object:
    """Dataclasses and intervals as JSON: infinite ends become null."""
    if isinstance(value, Interval):
        return {"lo": None if math.isinf(value.lo) else value.lo, "hi": None if math.isinf(value.hi) else value.hi,
                "lo_open": value.lo_open, "hi_open": value.hi_open}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _source(ds: Dataset, source_id: str) -> dict:
    s = ds.sources[source_id]
    return {"publisher": s.publisher, "origin": s.origin, "title": s.title, "published": s.published, "url": s.url,
            "copy_url": s.copy_url, "copy_kind": s.copy_kind, "tier": s.tier, "accessed": s.accessed,
            "artefacts": s.artefacts, "text_scope": s.text_scope, "short_title": s.short_title,
            "placement": s.placement, "asked": s.asked}


def _cited(j: dict) -> set[str]:
    ids = {j["source_id"]}
    for r in j.get("readings", []):
        ids |= {u["source_id"] for u in r["used"] if u["source_id"]}
    ids |= {c["source_id"] for c in j.get("corroboration", [])}
    ids |= {a["source_id"] for a in (j.get("target") or {}).get("actuals", [])}
    ids |= {s["source_id"] for s in j.get("searched", []) if s.get("source_id")}
    return ids


def counts(claims: Iterable[dict]) -> dict[str, int]:
    out = dict.fromkeys(CODES, 0)
    n = 0
    for j in claims:
        out[j["verdict"]] += 1
        n += 1
    out["total"] = n
    return out


def explain(judge: Judge, j: Judgement) -> None:
    """The candidate explanations of an error, and which of its printed figures is most likely wrong."""
    if j.verdict == "inconsistent" and not j.diagnoses and not j.culprit:
        claim = judge.ds.claims[j.claim_id]
        j.diagnoses = diagnose(judge, claim)
        j.culprit = culprit(judge, claim, j, j.diagnoses)


def judge_all(ds: Dataset) -> Judge:
    """Judge every edition. Where a diagnosis finds that another printed figure of a failing check is very
    likely the wrong one (and nothing of its own supports that figure), judge again with the error moved
    onto that figure: every count, list and dependent verdict then follows the figure the card names."""
    first = Judge(ds)
    blame = {}
    for year in ds.years:
        for j in first.judge_year(year):
            explain(first, j)
            c = j.culprit
            if (c and c["confidence"] == "likely" and c["claim_id"] != j.claim_id
                    and first.verdict_of(c["claim_id"]) in BLAMEABLE):
                blame[j.claim_id] = {**c, "diagnoses": j.diagnoses}
    return Judge(ds, blame=blame) if blame else first


def _describes(judge: Judge, claim_id: str, period: int | None) -> int | None:
    """The period a claim's figure describes as judged: the year its deciding reading needed (5.71% agrees
    only as a 2021 figure), else the period the article gives. The charts draw it there."""
    condition = judge.judge(claim_id).condition
    return condition["year"] if condition else period


def drafts(ds: Dataset, year: int) -> int:
    """How many rows of an edition await review (``review`` = draft): its claims, its articles' mentions and
    the indicators its claims use."""
    claims = ds.claims_for(year)
    articles = {c.source_id for c in claims}
    used = {c.indicator for c in claims}
    return (sum(c.review == DRAFT for c in claims)
            + sum(m.review == DRAFT for m in ds.mentions if m.source_id in articles)
            + sum(i.review == DRAFT for i in ds.indicators.values() if i.indicator in used))


def correction(c: Correction) -> dict:
    """A corrections row as the pages show it: the verdicts' labels with their codes. The label before is the one
    readers saw (the row keeps it: the words of the scale may have changed since), the label after today's."""
    return {**_plain(c), "after_label": label(c.after) if c.after else NO_VERDICT}


def _corrections_of(ds: Dataset, j: dict) -> list[dict]:
    """The corrections of a judged claim, oldest first; the latest must name the verdict it has now."""
    rows = sorted((c for c in ds.corrections if c.claim_id == j["claim_id"]), key=lambda c: (c.date, c.row))
    if rows and rows[-1].after != j["verdict"]:
        last = rows[-1]
        raise InputError(f"the latest correction of '{last.claim_id}' says its verdict is now '{last.after}', but it "
                         f"is judged '{j['verdict']}': add a row for the later change (python -m factcheck diff REV "
                         "drafts it)", file=where(ds.root / "corrections.csv"), row=last.row, column="after")
    return [correction(c) for c in rows]


def _figure(judge: Judge, f: Figure, verdicts: dict[str, str]) -> dict:
    """A figure as the charts need it: the verdict of the claim it comes from, the period it describes."""
    return {**{k: v for k, v in _plain(f).items() if k in FIGURE_FIELDS},
            "verdict": verdicts.get(f.claim_id, "") if f.claim_id else "",
            "describes": _describes(judge, f.claim_id, f.period) if f.claim_id in verdicts else f.period}


def horizons(judge: Judge, year: int, published: Iterable[str]) -> dict[str, int]:
    """The indicators an edition uses, each with the last period its outside figures are drawn for.

    Used: the indicators of its statistics and of the inputs their checks bind, those its published chapters
    chart, and those their introductions name. Up to: the year the edition describes (what was known of the
    world its article speaks of, so that a later edition's figures never reach it); a target's indicator up
    to the target's due year (its chart follows the target there); and the ranks chart's two indicators
    (the zone's place and the size of the pool, :data:`chapters.CHART_INDICATORS`) as far as either goes.
    """
    until: dict[str, int] = {}

    def reach(indicator: str, period: int) -> None:
        until[indicator] = max(until.get(indicator, period), period)

    for c in judge.ds.claims_for(year):
        if not c.statistic:
            continue
        reach(c.indicator, max(year, c.due or year))
        for ref in judge.refs(c):
            if ref.kind == "input":
                reach(ref.target, year)
    for chapter_id in published:
        chapter = chapters.get(chapter_id)
        for chart in chapter.charts:
            for indicator in chapters.CHART_INDICATORS if chart.kind == "ranks" else (chart.indicator,):
                if indicator:
                    reach(indicator, year)
        for indicator, _ in chapter.figures_named(year):
            reach(indicator, year)
    pair = [until[i] for i in chapters.CHART_INDICATORS if i in until]
    for indicator in chapters.CHART_INDICATORS:
        if indicator in until:
            until[indicator] = max(pair)
    return until


def edition_figures(judge: Judge, year: int, until: dict[str, int]) -> list[dict]:
    """The figures an edition's charts and introductions draw: the outside figures of the indicators it uses up
    to their :func:`horizons`, then its own article's statistics. Another edition's article is not among them
    (its figures are judged, and drawn, in its own edition and side by side on the cross-year page)."""
    ds = judge.ds
    own = {c.claim_id for c in ds.claims_for(year)}
    verdicts = {c: judge.verdict_of(c) for c in own if ds.claims[c].statistic}
    return [_figure(judge, f, verdicts) for f in ds.figures()
            if (f.claim_id in own if f.claim_id else f.indicator in until and f.period <= until[f.indicator])]


def unresolved_pairs(stats: list[dict]) -> dict[str, list[dict]]:
    """The article's own figures that a failing check used where no diagnosis says which figure is wrong
    (135.71% and 28件): claim id → the checks they fail with. Their cards say so, so that no card of the pair
    reads as if nothing were wrong with it."""
    out: dict[str, list[dict]] = {}
    for j in stats:
        c = j.get("culprit")
        if j["verdict"] != "inconsistent" or (c and c.get("confidence") != "unknown") or not j.get("readings"):
            continue
        reading = j["readings"][j.get("decisive", 0)]
        for u in reading["used"]:
            if u.get("claim_id") and u["claim_id"] != j["claim_id"] and u["source_id"] == j["source_id"]:
                out.setdefault(u["claim_id"], []).append(
                    {"claim_id": j["claim_id"], "what": f"{j['geography']}{j['period']}年{j['indicator_name']}",
                     "text": j["claimed"]})
    return out


def edition(ds: Dataset, judge: Judge, year: int) -> dict:
    """The judged file of one edition, as a dict (``judge``: from :func:`judge_all`)."""
    judgements: list[Judgement] = judge.judge_year(year)
    for j in judgements:
        explain(judge, j)
    stats = [_plain(j) for j in judgements if j.verdict]
    register = [{"claim_id": j.claim_id, "kind": j.kind, "kind_label": KINDS[j.kind], "chapter": j.chapter,
                 "quote": j.quote, "figure": j.figure, "figure_offset": j.figure_offset,
                 "note": ds.claims[j.claim_id].note} for j in judgements if not j.verdict]
    by_chapter = {c: counts(j for j in stats if j["chapter"] == c) for c in chapters.ids()}
    until = horizons(judge, year, [c for c, n in by_chapter.items() if n["total"]])
    figures = edition_figures(judge, year, until)
    searches = [s for s in ds.searches if s.indicator in until and s.period <= until[s.indicator]]
    cited = set()
    for j in stats:
        cited |= _cited(j)
    cited |= {f["source_id"] for f in figures} | {s.source_id for s in searches if s.source_id}
    articles = sorted({c.source_id for c in ds.claims_for(year)})
    sources = {sid: _source(ds, sid) for sid in sorted(cited | set(articles))}
    for claim_id, conflicts in unresolved_pairs(stats).items():
        next(j for j in stats if j["claim_id"] == claim_id)["conflicts"] = conflicts
    for j in stats:
        j["label"] = wording.label(j)
        j["why"] = wording.why(j, sources)
        j["steps"] = wording.steps(j, sources)
        j["candidates"] = wording.candidates(j)
        j["sources"] = sorted(_cited(j), key=lambda s: (s != j["source_id"], sources[s]["tier"], s))
        j["corrections"] = _corrections_of(ds, j)
    used = set(until) | {j["indicator"] for j in stats} | {f["indicator"] for f in figures}
    return {
        "format": FORMAT,
        "year": year,
        "articles": articles,
        "full": all(ds.sources[a].text_scope == "full" for a in articles),
        "drafts": drafts(ds, year),
        "counts": counts(stats),
        "chapters": by_chapter,
        "claims": stats,
        "register": register,
        "figures": figures,
        "indicators": _indicators(ds, used),
        "searches": [_plain(s) for s in searches],
        "corrections": [correction(c) for c in _newest_first(c for c in ds.corrections if c.edition == year)],
        "sources": sources,
    }


def _indicators(ds: Dataset, used: Iterable[str]) -> dict[str, dict]:
    return {i: {"name_zh": ind.name_zh, "unit": ind.unit, "whole": ind.whole, "chapter": ind.chapter,
                "headline": ind.headline} for i in sorted(set(used)) if (ind := ds.indicators.get(i))}


def _newest_first(rows: Iterable[Correction]) -> list[Correction]:
    return sorted(rows, key=lambda c: (c.date, c.row), reverse=True)


def book(ds: Dataset, judge: Judge, docs: dict[int, dict]) -> dict:
    """The book's judged file: what the pages that list every edition show (``docs``: the editions' files)."""
    verdicts = {c.claim_id: judge.verdict_of(c.claim_id) for c in ds.claims.values() if c.statistic}
    figures = [_figure(judge, f, verdicts) for f in ds.figures()]
    editions = [{"year": y, "title": edition_title(d), "articles": d["articles"], "full": d["full"],
                 "drafts": d["drafts"], "counts": d["counts"]} for y, d in sorted(docs.items())]
    sources: dict[str, dict] = {}
    for d in docs.values():
        sources.update(d["sources"])
    sources.update({sid: _source(ds, sid) for sid in {f["source_id"] for f in figures}
                    | {s.source_id for s in ds.searches if s.source_id}})
    return {
        "format": FORMAT,
        "editions": editions,
        "figures": figures,
        "indicators": _indicators(ds, {f["indicator"] for f in figures} | {s.indicator for s in ds.searches}),
        "searches": [_plain(s) for s in ds.searches],
        "corrections": [correction(c) for c in _newest_first(ds.corrections)],
        "sources": dict(sorted(sources.items())),
    }


def text(doc: dict) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def _write(target: Path, content: str) -> bool:
    """Write ``content`` to ``target`` unless it is there already; return whether it was written."""
    if target.is_file() and target.read_text(encoding="utf-8") == content:
        return False
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_text(content, encoding="utf-8")
    os.replace(tmp, target)
    return True


class Written(dict[int, bool]):
    """Which editions' files changed (year → changed), and whether the book's did (None: not written)."""

    book: bool | None = None


def write_all(ds: Dataset, out_dir: str | Path, years: Iterable[int] | None = None) -> Written:
    """Judge ``years`` (default: every edition, and then the book) and write their files; return which changed."""
    judge = judge_all(ds)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if years is None:  # every edition: a file of a year the data no longer have is not kept
        for old in out.glob("[0-9][0-9][0-9][0-9].json"):
            if int(old.stem) not in ds.years:
                old.unlink()
    changed, docs = Written(), {}
    for year in sorted(years or ds.years):
        start = time.perf_counter()
        docs[year] = doc = edition(ds, judge, year)
        print(f"[factcheck] judged {year}: {doc['counts']['total']} statistics, {len(doc['register'])} other numbers "
              f"({time.perf_counter() - start:.1f} s)", file=sys.stderr, flush=True)
        changed[year] = _write(path_for(out, year), text(doc))
    if years is None:
        changed.book = _write(book_path(out), text(book(ds, judge, docs)))
    return changed


def stage(data: Path, out: Path, year: int | None = None,
          lock: Callable[[], AbstractContextManager] = contextlib.nullcontext) -> Written:
    """The judged stage: validate ``data`` once, then write the judged files (every edition and the book, or
    ``year``'s alone) while holding ``lock()`` (the build's lock, when the files are the ones a build reads)."""
    from .validate import validate

    ds = validate(data)
    if year is not None:
        ds.require_year(year)
    with lock():
        return write_all(ds, out, [year] if year is not None else None)
