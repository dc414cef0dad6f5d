"""How well ``python -m factcheck draft`` guesses: draft an article from its text alone and compare the
drafted register with the hand register, row by row.

:func:`redraft` copies a data folder, removes the article's claims and mentions (and the corrections of
those claims; with ``strict``, also every indicator that only those claims used), drafts the article with
``--write`` and validates the result, which must pass. :func:`agreement` then takes every row of the hand
register of that article (``claims.csv`` and ``mentions.csv``) and looks at what the draft did with the
same number:

* ``kind``: a claim's kind (statistic, name, ordinal, award, date) against the kind of the drafted claim
  that accounts for its figure; a ``mentions.csv`` row against the draft's: a repeat must be accounted
  for by a drafted claim of the same kind, a number left out must be left out;
* ``unit`` and ``qualifier``: the statistics of the hand register;
* ``chapter``: the claims of the hand register.

A hand claim whose figure is no number the scanner finds (之首, 最多), or that the draft does not account
for, counts as a disagreement in every field. ``python tests/draft_agreement.py`` prints the figures.
"""

from __future__ import annotations

import csv
import io
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from factcheck.draft import draft, write
from factcheck.load import Dataset, load
from factcheck.register import accounting, claim_spans
from factcheck.validate import validate

DATA = Path(__file__).resolve().parent.parent / "data"
SOURCE = "jmrb-2023"  # the 2022 edition's article (data/sources.csv)
FIELDS = ("kind", "unit", "qualifier", "chapter")


def _filter(path: Path, keep) -> None:
    text = path.read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(rows[0])
    writer.writerows(r for r in rows[1:] if keep(dict(zip(rows[0], r, strict=True))))
    path.write_text(out.getvalue(), encoding="utf-8")


def redraft(data: Path, source_id: str, folder: Path, *, strict: bool = False) -> tuple[Dataset, float]:
    """A copy of ``data`` in ``folder`` whose article ``source_id`` is registered by the draft alone;
    returns the validated copy and the seconds the drafting took."""
    shutil.copytree(data, folder)
    hand = load(data)
    removed = {c.claim_id for c in hand.claims.values() if c.source_id == source_id}
    _filter(folder / "claims.csv", lambda r: r["source_id"] != source_id)
    _filter(folder / "mentions.csv", lambda r: r["source_id"] != source_id)
    _filter(folder / "corrections.csv", lambda r: r["claim_id"] not in removed)
    if strict:
        used = {c.indicator for c in hand.claims.values() if c.claim_id not in removed}
        used |= {f.indicator for f in hand.inputs} | {s.indicator for s in hand.searches}
        _filter(folder / "indicators.csv", lambda r: r["indicator"] in used)
    ds = load(folder)
    started = time.perf_counter()
    drafted = draft(ds, source_id)
    seconds = time.perf_counter() - started
    write(drafted, folder)
    return validate(folder), seconds


@dataclass
class Agreement:
    agree: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    total: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    misses: list[str] = field(default_factory=list)

    def share(self, name: str) -> float:
        return self.agree[name] / self.total[name] if self.total[name] else 1.0

    def count(self, name: str, ok: bool, what: str) -> None:
        self.total[name] += 1
        self.agree[name] += ok
        if not ok:
            self.misses.append(f"{name}: {what}")

    def table(self) -> str:
        return "\n".join(f"{name:9} {self.agree[name]:3}/{self.total[name]:3} = {self.share(name):.1%}"
                         for name in FIELDS)


def agreement(hand: Dataset, drafted: Dataset, source_id: str) -> Agreement:
    """Compare the drafted register of ``source_id`` with the hand register (see the module docstring)."""
    entries = {e.mention.offset: e for e in accounting(drafted, source_id)}
    spans = claim_spans(drafted, source_id)

    def drafted_at(start: int, end: int) -> str:
        """The drafted claim that accounts for the number at start:end ('' when none)."""
        for offset, e in entries.items():
            if offset < end and start < offset + len(e.mention.text):
                return e.claim_id
        return next((cid for s, e, cid in spans if s < end and start < e), "")  # 之首, 最多: no scanned number

    a = Agreement()
    first = {}
    for start, end, cid in sorted(claim_spans(hand, source_id)):
        first.setdefault(cid, (start, end))
    for c in hand.claims.values():
        if c.source_id != source_id:
            continue
        d = drafted.claims.get(drafted_at(*first[c.claim_id])) if c.claim_id in first else None
        what = f"{c.claim_id} “{c.figure}”"
        a.count("kind", d is not None and d.kind == c.kind, f"{what} {c.kind} → {d.kind if d else 'nothing'}")
        a.count("chapter", d is not None and d.chapter == c.chapter,
                f"{what} {c.chapter} → {d.chapter if d else 'nothing'}")
        if c.statistic:
            a.count("unit", d is not None and d.unit == c.unit, f"{what} {c.unit} → {d.unit if d else 'nothing'}")
            a.count("qualifier", d is not None and d.qualifier == c.qualifier,
                    f"{what} {c.qualifier} → {d.qualifier if d else 'nothing'}")
    for m in hand.mentions:
        if m.source_id != source_id:
            continue
        e = entries.get(m.offset)
        what = f"{m.offset} “{m.mention}”"
        if m.reason:
            a.count("kind", e is not None and bool(e.reason), f"{what} left out → {e.claim_id if e else 'nothing'}")
        else:
            d = drafted.claims.get(e.claim_id) if e and e.claim_id else None
            kind = hand.claims[m.claim_id].kind
            a.count("kind", d is not None and d.kind == kind,
                    f"{what} repeat of a {kind} → {d.kind if d else (e.reason if e else 'nothing')}")
    return a


def main() -> int:
    import tempfile

    hand = load(DATA)
    for strict in (False, True):
        with tempfile.TemporaryDirectory() as tmp:
            drafted, seconds = redraft(DATA, SOURCE, Path(tmp) / "data", strict=strict)
            a = agreement(hand, drafted, SOURCE)
        title = "claims and mentions removed" + (", and the indicators only they used" if strict else "")
        print(f"== {SOURCE}: {title} (drafted in {seconds:.2f} s)\n{a.table()}")
        for miss in a.misses:
            print("   ", miss)
    return 0


if __name__ == "__main__":
    sys.exit(main())
