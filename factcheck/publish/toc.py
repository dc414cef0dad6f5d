"""The book's navigation, written from what is published: ``_toc.yml``.

The editions come newest first (whether they check a whole article or excerpts, as the landing page lists
them); each edition is one entry, titled by its article and the year its figures describe, whose chapters
fold under it (a collapsible part of the sidebar). The cross-year chapter, the methods and the about page
follow. A new year's edition appears without any change to this file by hand.
"""

from __future__ import annotations

import json
import os
import re

from .. import chapters
from ..edition import edition_title
from .layout import Layout

HEADER = "# Written by the build (factcheck/publish/toc.py) from the published editions; edit book/chapters.yml, not this.\n"
PAGES_AFTER = ("book/cross_year", "book/methods", "book/about")


def published_years(layout: Layout) -> list[int]:
    if not layout.editions.is_dir():
        return []
    return sorted(int(p.name) for p in layout.editions.iterdir()
                  if re.fullmatch(r"\d{4}", p.name) and (p / "00_overview.ipynb").is_file())


def _meta(layout: Layout, year: int) -> tuple[bool, str]:
    """Whether the edition checks whole articles, and its title: the article and the year its figures
    describe (from its judged file; :func:`factcheck.edition.edition_title`)."""
    path = layout.judged / f"{year}.json"
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False, f"{year}年数据"
    return bool(doc.get("full")), edition_title(doc)


def order(layout: Layout, years: list[int]) -> list[tuple[int, bool, str]]:
    """The editions newest first: (year, whether it checks whole articles, title)."""
    return [(y, *_meta(layout, y)) for y in sorted(years, reverse=True)]


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _pages(layout: Layout, year: int) -> list[tuple[str, str]]:
    """An edition's pages after its overview, in order: (file, title)."""
    titles = {c.page: c.title for c in chapters.chapters()}
    return [(f"book/editions/{year}/{nb.stem}",
             titles.get(nb.stem, chapters.FACTCHECK_TITLE if nb.stem.endswith("_factcheck") else nb.stem))
            for nb in sorted((layout.editions / str(year)).glob("[0-9][0-9]_*.ipynb")) if nb.stem != "00_overview"]


def edition_root(year: int) -> str:
    return f"book/editions/{year}/00_overview"


def text(layout: Layout) -> str:
    lines = [HEADER, "format: jb-book\n", "root: book/index\n", "parts:\n", "  - caption: 各年版本\n", "    chapters:\n"]
    for year, _full, label in order(layout, published_years(layout)):
        lines.append(f"      - file: {edition_root(year)}\n        title: {_quote(label)}\n        sections:\n")
        lines += [f"          - file: {page}\n            title: {_quote(title)}\n" for page, title in _pages(layout, year)]
    lines += ["  - caption: 跨年比较与方法\n", "    chapters:\n"]
    lines += [f"      - file: {page}\n" for page in PAGES_AFTER if (layout.root / f"{page}.md").is_file()
              or (layout.root / f"{page}.ipynb").is_file()]
    return "".join(lines)


def edition_text(layout: Layout, year: int) -> str:
    """A toc of one edition alone, its overview first: what its PDF prints (:mod:`.export`)."""
    lines = ["format: jb-book\n", f"root: {edition_root(year)}\n", "chapters:\n"]
    lines += [f"  - file: {page}\n    title: {_quote(title)}\n" for page, title in _pages(layout, year)]
    return "".join(lines)


def write(layout: Layout) -> bool:
    """Write ``_toc.yml`` when it changed; return whether it did."""
    content = text(layout)
    if layout.toc.is_file() and layout.toc.read_text(encoding="utf-8") == content:
        return False
    tmp = layout.toc.with_name("._toc.yml.tmp")
    tmp.write_text(content, encoding="utf-8")
    os.replace(tmp, layout.toc)
    return True


def latest_full(layout: Layout, years: list[int]) -> int:
    """The edition the landing page presents: the latest that checks a whole article (else the latest)."""
    full = [y for y, is_full, _ in order(layout, years) if is_full]
    return full[0] if full else max(years)
