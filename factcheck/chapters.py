"""The chapters of an edition, read from ``book/chapters.yml``: the one place they are named and described.

Each chapter is a page made from one template notebook (``notebooks/chapter.ipynb``) with the parameters
``year`` and ``chapter``; its title, introduction and charts come from here. Every edition also has an
overview (first) and a fact-check page listing every claim (last).

An introduction is a few sentences (each ending in 。！？). ``{year}`` is the edition's year and
``{figure:INDICATOR@PLACE}`` that edition's figure; a sentence naming a figure the edition does not have is
left out (:func:`factcheck.present.intro`), never printed with 未找到 in the figure's place. An edition can
have an introduction of its own: ``intro_by_year: {2023: "…"}`` replaces ``intro`` for that edition alone.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError, where
from .files import read_bytes

FILE = Path(__file__).resolve().parent.parent / "book" / "chapters.yml"
MAX_BYTES = 1_000_000
"""The largest chapters.yml read (a few kilobytes today)."""
ID = re.compile(r"[a-z][a-z0-9_]{0,39}")
"""A chapter id names a file (``03_rd.ipynb``): nothing that could climb out of its folder."""
CHART_KINDS = ("ranks", "targets", "readings", "series")
CHART_INDICATORS = ("evaluation_rank", "zones_evaluated")
"""The indicators the ``ranks`` chart draws, for every place: the zone's place and the size of the pool."""
FACTCHECK_TITLE = "逐条核查"
PLACEHOLDER = re.compile(r"\{(year|figure:([a-z0-9_]+)@([^}]+))\}")
"""What an introduction fills in: ``{year}``, ``{figure:INDICATOR@PLACE}`` (groups 2 and 3)."""


@dataclass(frozen=True)
class Chart:
    kind: str
    indicator: str = ""
    places: tuple[str, ...] = ()


@dataclass(frozen=True)
class Chapter:
    id: str
    number: int
    title: str
    intro: str
    charts: tuple[Chart, ...] = field(default_factory=tuple)
    words: tuple[str, ...] = ()  # words of an article that place a number in this chapter (for the draft)
    intro_by_year: tuple[tuple[int, str], ...] = ()  # an edition's own introduction, replacing ``intro``

    @property
    def page(self) -> str:
        """The file name of the chapter in an edition, without suffix: ``03_rd``."""
        return f"{self.number:02d}_{self.id}"

    def intro_for(self, year: int) -> str:
        """The introduction of the chapter in the edition of ``year``: its own, else the chapter's."""
        return dict(self.intro_by_year).get(year, self.intro)

    def figures_named(self, year: int) -> list[tuple[str, str]]:
        """The figures (indicator, place) the introduction of ``year``'s edition names."""
        return [(m.group(2), m.group(3)) for m in PLACEHOLDER.finditer(self.intro_for(year)) if m.group(2)]


@functools.cache
def chapters(path: Path = FILE) -> tuple[Chapter, ...]:
    import yaml

    from .load import note_read

    w = where(path)
    try:
        doc = yaml.safe_load(read_bytes(path, limit=MAX_BYTES).decode("utf-8"))  # never through a link
        note_read(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot be read: {exc}", file=w) from None
    except yaml.YAMLError as exc:
        raise InputError(f"is not valid YAML: {str(exc).splitlines()[0]}", file=w) from None
    items = doc.get("chapters") if isinstance(doc, dict) else None
    if not isinstance(items, list) or not items:
        raise InputError("needs a list 'chapters'", file=w)
    out = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict) or not all(isinstance(item.get(k), str) and item.get(k) for k in
                                                 ("id", "title", "intro")):
            raise InputError(f"chapter {number} needs the texts id, title and intro", file=w)
        if not ID.fullmatch(item["id"]):
            raise InputError(f"chapter {number}: id {item['id'][:40]!r} must be lower-case letters, digits and _ "
                             "(it names the page's file)", file=w)
        if any(ch in item["title"] + item["id"] for ch in "<>&\"'`\\"):
            raise InputError(f"chapter {number}: a title or id may not contain < > & \" ' ` or \\", file=w)
        charts = []
        for spec in item.get("charts") or []:
            if isinstance(spec, str) and spec in CHART_KINDS and spec != "series":
                charts.append(Chart(spec))
            elif isinstance(spec, dict) and isinstance(spec.get("series"), str) and isinstance(spec.get("places"), list):
                charts.append(Chart("series", spec["series"], tuple(str(p) for p in spec["places"])))
            else:
                raise InputError(f"chapter '{item['id']}': chart {spec!r} is not one of {', '.join(CHART_KINDS)} "
                                 "(series: INDICATOR with places: [...])", file=w)
        words = item.get("words") or []
        if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
            raise InputError(f"chapter '{item['id']}': words must be a list of words", file=w)
        by_year = item.get("intro_by_year") or {}
        if not isinstance(by_year, dict) or not all(
                isinstance(y, int) and not isinstance(y, bool) and 1000 <= y <= 9999 and isinstance(t, str) and t.strip()
                for y, t in by_year.items()):
            raise InputError(f"chapter '{item['id']}': intro_by_year must map four-digit years to texts "
                             "(e.g. 2023: 本版……)", file=w)
        out.append(Chapter(item["id"], number, item["title"], _joined(item["intro"]), tuple(charts), tuple(words),
                           tuple(sorted((y, _joined(t)) for y, t in by_year.items()))))
    ids = [c.id for c in out]
    if len(set(ids)) != len(ids):
        raise InputError("two chapters have the same id", file=w)
    return tuple(out)


def _joined(text: str) -> str:
    """A folded YAML text as one line: Chinese needs no space where the source breaks a line."""
    return "".join(text.split())


def ids() -> list[str]:
    return [c.id for c in chapters()]


def get(chapter_id: str) -> Chapter:
    for c in chapters():
        if c.id == chapter_id:
            return c
    raise InputError(f"'{chapter_id}' is not a chapter of {where(FILE)} ({', '.join(ids())})", parameter="chapter")


def factcheck_page() -> str:
    return f"{len(chapters()) + 1:02d}_factcheck"
