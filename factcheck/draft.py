"""Draft the register of a stored article: a proposed row for every number not yet accounted for.

``python -m factcheck draft --source ID [--year Y] [--write]`` reads the article's numbers with
:func:`factcheck.register.accounting` and proposes, for each one that nothing accounts for yet:

* a **claim** (``claims.csv``): its kind, figure, value, unit and qualifier read from the words around it
  (:mod:`factcheck.numberwords`), a quote that holds the figure once, the chapter, and for a statistic an
  indicator of ``indicators.csv`` with the same unit and the closest name, or a new indicator stub
  (``indicators.csv``); the check is ``stated``, or ``target`` when the sentence sets a goal (力争, 争取 …);
* or a **mention** (``mentions.csv``): a repeat of an earlier claim's figure, or a number left out with the
  reason (the year the figures describe, a number inside a name such as 《…》, a transcription artefact
  the source row lists).

Every proposed row has ``review`` = ``draft``: the data validates as drafted, an edition with drafts
builds, and its pages say how many rows await review. Reviewing a row means correcting it and emptying
its ``review`` cell. The rules are general (words, not answers): how well they guess is measured against
the hand register of the 2022 article in ``tests/test_draft.py``.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import chapters
from .errors import InputError
from .load import Dataset, read_rows
from .mentions import Mention, scan
from .numbers import token_offsets
from .numberwords import (
    COUNT_UNITS,
    Reading,
    bigrams,
    clause_bounds,
    dice,
    fold_year,
    name_of,
    name_spans,
    phrase_bounds,
    quoted_spans,
    read_number,
    sentence_bounds,
    spell_out,
)
from .register import accounting, claim_spans
from .schema import BY_NAME, DRAFT

RANK_WORDS = re.compile(r"(?:全市|全省|全国|全区|全县)(之首|最多|最高)")
UNQUOTABLE = "与相邻的数字连写，无法单独引用：请人工登记"
TARGET_WORDS = re.compile("力争|争取|剑指|冲刺|确保|力求|目标是|目标为|计划到")
"""Words that set a goal: a figure after them in its sentence is a target (``check`` target, ``≥`` by default)."""
YEARS = re.compile(r"(?<![0-9])([12][0-9]{3})年")


@dataclass
class Drafted:
    """The rows proposed for one article, as the data files write them (every cell text)."""

    source_id: str
    year: int
    claims: list[dict[str, str]] = field(default_factory=list)
    mentions: list[dict[str, str]] = field(default_factory=list)
    indicators: list[dict[str, str]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.claims) + len(self.mentions) + len(self.indicators)


def default_year(ds: Dataset, source_id: str) -> int:
    """The edition of an article: the year its source row says it covers, else its publication year."""
    s = ds.sources[source_id]
    found = re.search(r"(?<![0-9])(?:19|20)[0-9]{2}(?![0-9])", s.covers) or re.match(r"[0-9]{4}", s.published)
    if not found:
        raise InputError(f"source '{source_id}' names no year in covers or published; give --year", parameter="year")
    return int(found.group())


def _geography(ds: Dataset, source_id: str) -> tuple[str, list[str]]:
    """The place the article is about (its origin without the parenthesis) and every name it goes by."""
    origin = ds.sources[source_id].origin
    names = [n for n in re.split(r"[()()]", origin) if n.strip()]
    main = names[0].strip() if names else origin
    return main, sorted({n.strip() for n in names} | {main}, key=len, reverse=True)


@dataclass
class _Claim:
    """A claim of this article, existing or drafted: what a later mention may repeat."""

    claim_id: str
    kind: str
    figure: str
    unit: str
    value: float | None
    label: str
    chapter: str
    offset: int
    indicator: str = ""
    row: dict[str, str] | None = None  # the drafted row, None for a claim of the data


class _Drafter:
    def __init__(self, ds: Dataset, source_id: str, year: int) -> None:
        self.ds, self.source_id, self.year = ds, source_id, year
        self.text = ds.articles[source_id]
        self.out = Drafted(source_id, year)
        self.geography, self.place_names = _geography(ds, source_id)
        self.names = name_spans(self.text)  # 《titles》 and their recurrences
        self.quoted = quoted_spans(self.text)
        self.artefacts = ds.sources[source_id].artefacts
        self.mentions = scan(self.text)
        self.readings = {m.offset: read_number(self.text, m, self.mentions) for m in self.mentions}
        self.claims: list[_Claim] = []  # this article's claims, in the order they were made
        self.spans: list[tuple[int, int, str]] = []  # where a claim's quote puts its figure
        self.ids = set(ds.claims)
        self.indicator_ids = set(ds.indicators)
        self.taken: dict[tuple[str, str, int], str] = {}  # (indicator, geography, period) of a stated claim
        for c in ds.claims.values():  # one figure of one article is one claim (see validate)
            if c.source_id == source_id and c.statistic and c.check != "target" and c.period is not None:
                self.taken[(c.indicator, c.geography, c.period)] = c.claim_id
        for start, end, cid in claim_spans(ds, source_id):
            c = ds.claims[cid]
            self.spans.append((start, end, cid))
            reading = self.readings.get(start)
            self.claims.append(_Claim(cid, c.kind, c.figure, c.unit, c.value, reading.label if reading else c.quote,
                                      c.chapter, start, c.indicator))

    # ---- the pass over the article ------------------------------------------------------------------
    def run(self) -> Drafted:
        todo = [e.mention for e in accounting(self.ds, self.source_id) if not e.accounted]
        for m in sorted(todo + self._rank_words(), key=lambda m: m.offset):
            if self._covered(m):
                continue
            self._draft(m)
        self._fill_chapters()
        return self.out

    def _rank_words(self) -> list[Mention]:
        """全市最多, 居全市之首: words that place the zone first, which the scanner does not count as numbers."""
        found = []
        for x in RANK_WORDS.finditer(self.text):
            m = Mention(x.start(1), x.group(1), "ordinal", 1.0)
            if not any(o.offset < m.offset + len(m.text) and m.offset < o.offset + len(o.text) for o in self.mentions):
                self.readings[m.offset] = read_number(self.text, m, self.mentions)
                found.append(m)
        return found

    def _covered(self, m: Mention) -> bool:
        end = m.offset + len(m.text)
        return any(start < end and m.offset < stop for start, stop, _ in self.spans)

    def _draft(self, m: Mention) -> None:
        r = self.readings[m.offset]
        reason = self._left_out(m, r)
        if reason:
            self._mention(m, "", reason)
            return
        kind = r.kind
        if kind == "statistic":
            if r.unit == "" or r.value is None:
                kind = "name"  # a number with no unit it counts: the reviewer decides
            else:
                repeat = self._repeat_of(r)
                if repeat:
                    self._mention(m, repeat.claim_id, "")
                    return
                self._statistic(m, r)
                return
        for c in self.claims:  # a name printed again; an ordinal or award printed again of the same thing
            if c.kind == kind and kind != "date" and c.figure == r.figure and (
                    kind == "name" or dice(bigrams(self._strip(c.label)), bigrams(self._strip(r.label))) >= 0.4):
                self._mention(m, c.claim_id, "")
                return
        self._register(m, r, kind)

    # ---- left out -----------------------------------------------------------------------------------
    def _left_out(self, m: Mention, r: Reading) -> str:
        end = m.offset + len(m.text)
        for start, stop, name in self.names:
            if start <= m.offset and end <= stop:
                return f"名称《{name}》中的数字，不是统计数字"
        quoted = f"“{m.text}”"
        if quoted in self.artefacts and self.text[m.offset - 1:end + 1] == quoted:
            part = next(p for p in re.split(r"[;;]", self.artefacts) if quoted in p)
            return f"转录瑕疵：{part.strip()}，不是数字"
        if m.kind == "date" and fold_year(m.text) is not None:
            for start, stop in self.quoted:
                if start <= m.offset and end <= stop and stop - start > len(m.text) + 2:
                    return f"名称{self.text[start:stop]}中的年份"
            if fold_year(m.text) > self.year and TARGET_WORDS.search(self._sentence(m.offset)):
                return "规划目标的到期年份"
            if self._frames_a_figure(m):
                return "数字所指的年份"
        if r.part_of:
            return f"名称“{r.part_of}”中的数字"
        return ""

    def _frames_a_figure(self, m: Mention) -> bool:
        """Is this year the period of figures that follow it in the same sentence (2022年,新增…268家)?"""
        _, stop = sentence_bounds(self.text, m.offset)
        for other in self.mentions:
            if m.offset < other.offset < stop:
                r = self.readings[other.offset]
                inside = any(s <= other.offset < e for s, e, _ in self.names)
                if r.kind == "statistic" and r.unit and not inside:
                    return True
        return False

    # ---- repeats ------------------------------------------------------------------------------------
    def _repeat_of(self, r: Reading) -> _Claim | None:
        """An earlier statistic with the same value and unit said of the same thing: a figure too particular to
        print twice by chance (20 or more, or with decimals), or one whose words say the same (for a place in
        a ranking, the words of its sentence up to it, which say what is ranked)."""
        best, best_score = None, 0.0
        for c in self.claims:
            if c.kind != "statistic" or c.unit != r.unit or c.value is None or r.value is None:
                continue
            if abs(c.value - r.value) > 1e-9 * max(1.0, abs(r.value)):
                continue
            if r.unit == "位":
                score = dice(bigrams(self._strip(self._lead(c.offset))), bigrams(self._strip(self._lead(r.figure_offset))))
                enough = score >= 0.5
            else:
                score = dice(bigrams(self._strip(c.label)), bigrams(self._strip(r.label)))
                enough = score >= 0.3
            if (enough or r.value >= 20 or r.value != int(r.value)) and (best is None or score > best_score):
                best, best_score = c, score
        return best

    def _lead(self, offset: int) -> str:
        """The sentence up to ``offset``."""
        return self.text[sentence_bounds(self.text, offset)[0]:offset]

    # ---- claims -------------------------------------------------------------------------------------
    def _quote(self, figure: str, offset: int) -> str | None:
        """The clause around the figure, narrowed until the figure is a whole token of it once (its phrase,
        else the words up to the next occurrence either side), and widened by the previous clause while the
        same words occur elsewhere in a different clause; None when the figure is no whole token of any
        quote (a numeral written against another number)."""
        text, end = self.text, offset + len(figure)

        def once(a: int, b: int) -> bool:
            return token_offsets(figure, text[a:b]) == [offset - a]

        start, stop = clause_bounds(text, offset, len(figure))
        while start < offset and (not text[start].strip() or text[start] in "●·•—-"):
            start += 1
        while stop > end and not text[stop - 1].strip():
            stop -= 1
        if not once(start, stop):
            lo, hi = phrase_bounds(text, offset, len(figure))
            start, stop = max(lo, start), min(hi, stop)
        if not once(start, stop):
            before = [start + i for i in token_offsets(figure, text[start:offset])]
            after = [end + i for i in token_offsets(figure, text[end:stop])]
            start = before[-1] + len(figure) if before else start
            stop = after[0] if after else stop
        if not once(start, stop):
            return None
        for _ in range(3):
            if self._unambiguous(text[start:stop], start):
                break
            before = clause_bounds(text, max(start - 2, 0), 1)[0]
            if before >= start or not once(before, stop):
                break
            start = before
        return text[start:stop]

    def _unambiguous(self, quote: str, start: int) -> bool:
        """Does every other occurrence of the quote stand for the same statement (the same whole clause)?"""
        def clause(at: int) -> str:
            return self.text[slice(*clause_bounds(self.text, at, len(quote)))].strip(" \u3000●·•—-")

        mine = clause(start)
        at = self.text.find(quote)
        while at >= 0:
            if at != start and clause(at) != mine:
                return False
            at = self.text.find(quote, at + 1)
        return True

    def _new_id(self, stem: str) -> str:
        stem = re.sub(r"[^a-z0-9-]+", "-", stem.lower()).strip("-") or "claim"
        cid, n = f"{self.year}-{stem}", 2
        while cid in self.ids:
            cid, n = f"{self.year}-{stem}-{n}", n + 1
        self.ids.add(cid)
        return cid

    def _row(self, **cells: str) -> dict[str, str]:
        row = dict.fromkeys(BY_NAME["claims"].header, "")
        row.update({"year": str(self.year), "source_id": self.source_id, "review": DRAFT}, **cells)
        return row

    def _statistic(self, m: Mention, r: Reading) -> None:
        quote = self._quote(r.figure, r.figure_offset)
        if quote is None:
            self._mention(m, "", UNQUOTABLE)
            return
        target = self._target(r.figure_offset)
        qualifier = r.qualifier or ("≥" if target else "=")
        indicator, geography, note = self._indicator(r, qualifier, target)
        cid = self._new_id("draft" if indicator.startswith("draft_") else indicator)
        check = "target" if target else "stated"
        due, bindings = "", ""
        if target:
            years = [int(y) for y in YEARS.findall(self._sentence(r.figure_offset)) if int(y) > self.year]
            due = str(max(years)) if years else ""
            periods = "|".join(str(y) for y in sorted({int(due or self.year + 1), self.year}, reverse=True))
            bindings = f"actual={indicator}@{geography}@{periods}"
            note = "规划目标：到期年份和实际值待核对；" + note
        row = self._row(claim_id=cid, chapter="", kind="statistic", quote=quote, figure=r.figure,
                        value=r.value_text, qualifier=qualifier, unit=r.unit, indicator=indicator,
                        geography=geography, period=str(self.year), due=due, check=check, bindings=bindings,
                        note=note.rstrip("；"))
        chapter = self.ds.indicators[indicator].chapter if indicator in self.ds.indicators else ""
        self._add_claim(row, m, r, chapter)
        if not target:
            self.taken[(indicator, geography, self.year)] = cid

    def _register(self, m: Mention, r: Reading, kind: str) -> None:
        quote = self._quote(r.figure, r.figure_offset)
        if quote is None:
            self._mention(m, "", UNQUOTABLE)
            return
        row = self._row(claim_id=self._new_id(f"{kind}-{m.offset}"), kind=kind, quote=quote, figure=r.figure)
        self._add_claim(row, m, r, "")

    def _add_claim(self, row: dict[str, str], m: Mention, r: Reading, chapter: str) -> None:
        """Keep a drafted claim: where its quote puts its figure, and its chapter when its indicator or its own
        clause names one (a place in a ranking takes the chapter of what is ranked, later)."""
        self.out.claims.append(row)
        at = self.text.find(row["quote"])
        offsets = token_offsets(row["figure"], row["quote"])
        while at >= 0 and offsets:
            self.spans.append((at + offsets[0], at + offsets[0] + len(row["figure"]), row["claim_id"]))
            at = self.text.find(row["quote"], at + 1)
        if not chapter and row["unit"] != "位":
            chapter = self._chapter_by_words(r.context)
        row["chapter"] = chapter
        value = float(row["value"]) if row["value"] else None
        self.claims.append(_Claim(row["claim_id"], row["kind"], row["figure"], row["unit"], value, r.label, chapter,
                                  m.offset, row["indicator"], row))

    def _mention(self, m: Mention, claim_id: str, reason: str) -> None:
        self.out.mentions.append({**dict.fromkeys(BY_NAME["mentions"].header, ""), "source_id": self.source_id,
                                  "offset": str(m.offset), "mention": m.text, "claim_id": claim_id, "reason": reason,
                                  "review": DRAFT})

    def _sentence(self, offset: int) -> str:
        return self.text[slice(*sentence_bounds(self.text, offset))]

    def _target(self, offset: int) -> bool:
        """Does the sentence set a goal before this figure (力争, 争取, 剑指 …), outside any name?"""
        start, _ = sentence_bounds(self.text, offset)
        before = list(self.text[start:offset])
        for s, e, _ in self.names:
            for i in range(max(s, start), min(e, offset)):
                before[i - start] = " "
        return bool(TARGET_WORDS.search("".join(before)))

    # ---- indicators -----------------------------------------------------------------------------------
    def _strip(self, label: str) -> str:
        """The words of a label that say what is counted: without the article's place names, abbreviations
        spelt out (高企 → 高新技术企业)."""
        for name in self.place_names:
            label = label.replace(name, "")
        return spell_out(label)

    def _indicator(self, r: Reading, qualifier: str, target: bool) -> tuple[str, str, str]:
        """The indicator of ``indicators.csv`` whose name is closest to the words around the figure, with the
        figure's unit and within its bounds; else a new stub. Returns (indicator, geography, note)."""
        label, context = self._strip(r.label), self._strip(r.context)
        best, best_score = None, 0.0
        for ind in self.ds.indicators.values():
            if ind.unit != r.unit or r.value is None or not ind.minimum <= r.value <= ind.maximum:
                continue
            if ind.whole and qualifier == "=" and r.value != int(r.value):
                continue
            name = bigrams(spell_out(ind.name_zh))
            score = dice(bigrams(label), name) + 0.3 * dice(bigrams(context), name)
            if score > best_score:
                best, best_score = ind, score
        if best is not None and best_score >= 0.35:
            key = (best.indicator, self.geography, self.year)
            if target or key not in self.taken:
                return best.indicator, self.geography, ""
            if best.unit == "位":  # one rank indicator, many things ranked: the geography says which
                return best.indicator, label[:30] or self.geography, "排名的对象待核对；"
        return self._stub(r, qualifier), self.geography, "新指标：名称、单位与定义待核对；"

    def _stub(self, r: Reading, qualifier: str) -> str:
        n = 1
        while f"draft_{self.year}_{n:02d}" in self.indicator_ids:
            n += 1
        indicator = f"draft_{self.year}_{n:02d}"
        self.indicator_ids.add(indicator)
        whole = r.unit in COUNT_UNITS and r.value is not None and r.value == int(r.value)
        share = r.unit == "%" and re.search("占|比重|比例|份额", r.context) and 0 <= (r.value or 0) <= 100
        name = name_of(self._strip(r.label)) or r.context[:20]
        row = dict.fromkeys(BY_NAME["indicators"].header, "")
        row.update(indicator=indicator, name_zh=name[:30], unit=r.unit, whole="true" if whole else "false",
                   minimum="1" if r.unit == "位" and (r.value or 0) >= 1 else ("0" if whole or share else ""),
                   maximum="100" if share else "", chapter="",
                   headline="false", description=f"草稿：据“{r.context[:40]}”拟定；定义待写明（存量或新增、落地或计划……）",
                   review=DRAFT)
        self.out.indicators.append(row)
        return indicator

    # ---- chapters -------------------------------------------------------------------------------------
    def _chapter_by_words(self, text: str) -> str:
        """The chapter whose words (book/chapters.yml) the text uses most, by their length; '' when none."""
        text = self._strip(text)
        scores = {c.id: sum(len(w) for w in c.words if w in text) for c in chapters.chapters()}
        best = max(scores, key=lambda k: scores[k], default="")
        return best if best and scores[best] else ""

    def _fill_chapters(self) -> None:
        """A claim whose indicator and own clause name no chapter takes the chapter of the nearest placed claim
        of its sentence (the one before it first), else its paragraph's words, else the nearest placed claim's.
        A new indicator takes the chapter of its claim."""
        placed = [c for c in self.claims if c.chapter]
        for c in sorted((c for c in self.claims if not c.chapter), key=lambda c: c.offset):
            lo, hi = sentence_bounds(self.text, c.offset)
            same = [p for p in placed if lo <= p.offset < hi]
            earlier = sorted((p for p in same if p.offset < c.offset), key=lambda p: p.offset)
            if earlier and c.unit == "位":  # 各项数据均为全市第一: the chapter of most of what is ranked
                chapters_before = [p.chapter for p in earlier]
                chapter = max(reversed(chapters_before), key=chapters_before.count)
            else:
                chapter = (earlier[-1].chapter if earlier else min(same, key=lambda p: p.offset).chapter if same
                           else "")
            if not chapter:
                start = self.text.rfind("\n", 0, c.offset) + 1
                stop = self.text.find("\n", c.offset)
                chapter = self._chapter_by_words(self.text[start: stop if stop >= 0 else len(self.text)])
            if not chapter and placed:
                chapter = min(placed, key=lambda p: abs(p.offset - c.offset)).chapter
            c.chapter = chapter or chapters.ids()[0]
            placed.append(c)
        for c in self.claims:
            if c.row is not None:
                c.row["chapter"] = c.chapter
        by_indicator = {c.indicator: c.chapter for c in self.claims if c.row is not None and c.indicator}
        for row in self.out.indicators:
            row["chapter"] = by_indicator.get(row["indicator"], "")


def draft(ds: Dataset, source_id: str, year: int | None = None) -> Drafted:
    """Propose a row for every number of the stored article ``source_id`` that nothing accounts for."""
    if source_id not in ds.articles:
        what = "is empty" if not source_id else f"'{source_id}' is not a source with a stored text"
        raise InputError(f"{what}; give one of {', '.join(ds.articles)} (sources.csv, column text_file)",
                         parameter="source")
    return _Drafter(ds, source_id, year if year is not None else default_year(ds, source_id)).run()


# ---- output -------------------------------------------------------------------------------------
def csv_text(table: str, rows: Iterable[dict[str, str]], header: bool = True) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, BY_NAME[table].header, lineterminator="\n")
    if header:
        writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def write(d: Drafted, data: Path) -> list[Path]:
    """Append the drafted rows to the data files (each file replaced whole, atomically); return those written."""
    written = []
    for table, rows in (("indicators", d.indicators), ("claims", d.claims), ("mentions", d.mentions)):
        if not rows:
            continue
        path = data / f"{table}.csv"
        read_rows(data, table)  # the header is the schema's, so the rows line up
        text = path.read_text(encoding="utf-8-sig")
        if text and not text.endswith("\n"):
            text += "\n"
        tmp = path.with_name(f".{path.name}.draft")
        tmp.write_text(text + csv_text(table, rows, header=False), encoding="utf-8")
        os.replace(tmp, path)
        written.append(path)
    return written
