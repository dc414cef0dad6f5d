"""Every number in an article is accounted for: a claim's figure, a repeat of a claim, or left out with a reason.

:func:`accounting` lines up the mentions :func:`factcheck.mentions.scan` finds in a stored article with
the claims (where each claim's figure stands, every time its quote occurs) and with ``mentions.csv``
(repeats and numbers left out, by offset). The validation refuses an article with a mention that is none
of these; ``python -m factcheck mentions`` prints the whole list, which is how a new article is registered.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from .load import Dataset
from .mentions import Mention, context, scan
from .numbers import token_offsets


@dataclass(frozen=True)
class Entry:
    mention: Mention
    claim_id: str  # the claim whose figure it is, or which it repeats
    reason: str  # why it is left out
    text: str  # the article

    @property
    def accounted(self) -> bool:
        return bool(self.claim_id or self.reason)

    @property
    def context(self) -> str:
        return context(self.text, self.mention.offset, len(self.mention.text))


def claim_spans(ds: Dataset, source_id: str) -> list[tuple[int, int, str]]:
    """Where each claim's figure stands in the article: (start, end, claim id), every occurrence of its quote."""
    text = ds.articles[source_id]
    out = []
    for c in ds.claims.values():
        if c.source_id != source_id:
            continue
        offsets = token_offsets(c.figure, c.quote)
        if not offsets:
            continue
        start = text.find(c.quote)
        while start >= 0:
            out.append((start + offsets[0], start + offsets[0] + len(c.figure), c.claim_id))
            start = text.find(c.quote, start + 1)
    return out


def accounting(ds: Dataset, source_id: str) -> list[Entry]:
    """Each mention of the article and what accounts for it (in linear-logarithmic time: spans sorted)."""
    text = ds.articles[source_id]
    spans = sorted(claim_spans(ds, source_id))
    starts = [s[0] for s in spans]
    longest = max((stop - start for start, stop, _ in spans), default=0)
    registered = {m.offset: m for m in ds.mentions if m.source_id == source_id}
    out = []
    for m in scan(text):
        end = m.offset + len(m.text)
        first = bisect.bisect_left(starts, m.offset - longest)
        last = bisect.bisect_left(starts, end)
        claims = [cid for start, stop, cid in spans[first:last] if start < end and m.offset < stop]
        row = registered.get(m.offset)
        claim_id = claims[0] if claims else (row.claim_id if row else "")
        reason = "" if claims else (row.reason if row else "")
        out.append(Entry(m, claim_id, reason, text))
    return out


def unaccounted(ds: Dataset, source_id: str) -> list[Mention]:
    return [e.mention for e in accounting(ds, source_id) if not e.accounted]
