"""The judged files, read back: everything a page shows (see :mod:`factcheck.judged`).

:class:`Edition` reads an edition's file (``<year>.json``: what the pages of that edition show), :class:`Book`
the book's (``book.json``: what the pages that list every edition show: the landing page, the cross-year
chapter, the about page). This is what the pages import, and all they read besides ``book/chapters.yml``:
it imports nothing of the engine, so a change to how claims are judged re-executes a page only when a
judged file it reads changes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from . import chapters
from .errors import InputError, where
from .load import note_read
from .words import qty

FORMAT = 2
"""The layout of a judged file; a reader refuses another."""


BOOK_FILE = "book.json"


def path_for(out_dir: str | Path, year: int) -> Path:
    return Path(out_dir) / f"{year}.json"


def book_path(out_dir: str | Path) -> Path:
    return Path(out_dir) / BOOK_FILE


def _read(path: Path, missing: str) -> dict:
    if not path.is_file():
        raise InputError(f"{missing}; run python -m factcheck judge first", file=where(path))
    note_read(path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    if doc.get("format") != FORMAT:
        raise InputError(f"was written by another version (format {doc.get('format')}); judge again",
                         file=where(path))
    return doc


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
class Judged:
    """What an edition's file and the book's have alike: figures to draw, with their indicators and sources."""

    doc: dict
    path: Path

    @property
    def claims(self) -> list[dict]:
        """The judged statistics (the book's file has none: its pages read them from the editions)."""
        return self.doc.get("claims", [])

    @property
    def sources(self) -> dict[str, dict]:
        return self.doc["sources"]

    def figures(self, indicator: str, geography: str | None = None, period: int | None = None) -> list[dict]:
        return [f for f in self.doc["figures"] if f["indicator"] == indicator
                and (geography is None or f["geography"] == geography) and (period is None or f["period"] == period)]

    def indicator(self, indicator: str) -> dict:
        return self.doc["indicators"][indicator]


@dataclass
class Edition(Judged):
    """An edition's judged file, read back: what a notebook of the edition shows."""

    @classmethod
    def read(cls, judged_dir: str | Path, year: int) -> Edition:
        path = path_for(judged_dir, year)
        return cls(_read(path, f"no judged file for {year}"), path)

    @property
    def year(self) -> int:
        return int(self.doc["year"])

    @property
    def title(self) -> str:
        return edition_title(self.doc)

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

    def figure_text(self, indicator: str, geography: str) -> str:
        """The edition's figure of ``indicator`` at ``geography`` as prose shows it (``超过700家``); there must be one."""
        f = self.figures(indicator, geography, self.year)[0]
        return qty(f["value"], f["decimals"], f["qualifier"], f["unit"])


@dataclass
class Book(Judged):
    """The book's judged file, read back: every edition (its article, date, state and counts), every search
    that found nothing, every correction, and every figure the cross-year charts draw."""

    @classmethod
    def read(cls, judged_dir: str | Path) -> Book:
        path = book_path(judged_dir)
        return cls(_read(path, "no judged file for the book"), path)

    @property
    def editions(self) -> list[dict]:
        """Every edition, newest first: ``year``, ``title``, ``articles`` (source ids), ``full``, ``drafts``,
        ``counts``."""
        return sorted(self.doc["editions"], key=lambda e: -e["year"])

    @property
    def years(self) -> list[int]:
        return sorted(e["year"] for e in self.doc["editions"])

    @property
    def searches(self) -> list[dict]:
        return self.doc["searches"]

    @property
    def corrections(self) -> list[dict]:
        """Every change to a published verdict, newest first."""
        return self.doc["corrections"]
