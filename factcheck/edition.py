"""A judged file, read back: everything a page of an edition shows (see :mod:`factcheck.judged`).

This is what the pages import, and all they read besides ``book/chapters.yml``: it imports nothing of the
engine, so a change to how claims are judged re-executes a page only when its judged file changes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from . import chapters
from .errors import InputError, where
from .load import note_read
from .words import qty

FORMAT = 1
"""The layout of a judged file; a reader refuses another."""


def path_for(out_dir: str | Path, year: int) -> Path:
    return Path(out_dir) / f"{year}.json"


def when(published: str) -> str:
    """A publication date as prose: ``2023`` → 2023年, ``2024-02`` → 2024年2月, ``2024-02-18`` → 2024年2月18日."""
    parts = [int(p) for p in published.split("-") if p.isdigit()] if published else []
    return "".join(f"{n}{unit}" for n, unit in zip(parts, ("年", "月", "日"), strict=False))


def edition_title(doc: dict) -> str:
    """How the book names an edition: the article it checks and the year its figures describe, e.g.
    江门日报2023年初报道（2022年数据）; 南方日报2024年2月18日报道（2023年数据，片段）."""
    names = []
    for sid in doc.get("articles", []):
        s = doc["sources"][sid]
        names.append(s.get("short_title") or f"{s['publisher']}{when(s['published'])}")
    scope = "" if doc.get("full") else "，片段"
    return f"{'、'.join(names)}（{doc['year']}年数据{scope}）"


@dataclass
class Edition:
    """A judged file, read back: what a notebook of the edition shows."""

    doc: dict
    path: Path

    @classmethod
    def read(cls, judged_dir: str | Path, year: int) -> Edition:
        path = path_for(judged_dir, year)
        if not path.is_file():
            raise InputError(f"no judged file for {year}; run python -m factcheck judge first", file=where(path))
        note_read(path)
        doc = json.loads(path.read_text(encoding="utf-8"))
        if doc.get("format") != FORMAT:
            raise InputError(f"was written by another version (format {doc.get('format')}); judge again",
                             file=where(path))
        return cls(doc, path)

    @property
    def year(self) -> int:
        return int(self.doc["year"])

    @property
    def title(self) -> str:
        return edition_title(self.doc)

    @property
    def claims(self) -> list[dict]:
        return self.doc["claims"]

    @property
    def sources(self) -> dict[str, dict]:
        return self.doc["sources"]

    @property
    def counts(self) -> dict[str, int]:
        return self.doc["counts"]

    @property
    def drafts(self) -> int:
        """Rows of the edition's register proposed by the draft command and not yet reviewed."""
        return self.doc["drafts"]

    def in_chapter(self, chapter: str) -> list[dict]:
        return [j for j in self.claims if j["chapter"] == chapter]

    def register(self, chapter: str | None = None) -> list[dict]:
        return [r for r in self.doc["register"] if chapter is None or r["chapter"] == chapter]

    def chapter_counts(self, chapter: str) -> dict[str, int]:
        return self.doc["chapters"][chapter]

    def published_chapters(self) -> list[str]:
        """The chapters with at least one statistic to check: only these are published."""
        return [c for c in chapters.ids() if self.doc["chapters"][c]["total"]]

    def claim(self, claim_id: str) -> dict:
        for j in self.claims:
            if j["claim_id"] == claim_id:
                return j
        raise KeyError(claim_id)

    def figures(self, indicator: str, geography: str | None = None, period: int | None = None) -> list[dict]:
        return [f for f in self.doc["figures"] if f["indicator"] == indicator
                and (geography is None or f["geography"] == geography) and (period is None or f["period"] == period)]

    def figure_text(self, indicator: str, geography: str, period: int | None = None) -> str:
        """A figure as prose shows it (``超过700家``), or 未找到."""
        found = self.figures(indicator, geography, period or self.year)
        if not found:
            return "未找到"
        f = found[0]
        return qty(f["value"], f["decimals"], f["qualifier"], f["unit"])

    def indicator(self, indicator: str) -> dict:
        return self.doc["indicators"][indicator]
