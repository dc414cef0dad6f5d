"""The book's navigation, written from what is published: ``_toc.yml``.

The latest edition that checks a whole article comes first, then the other full editions, newest
first, then the editions checked from excerpts; each edition is one entry whose chapters fold under it
(a collapsible part of the sidebar). The cross-year chapter, the methods and the about page follow.
A new year's edition appears without any change to this file by hand.
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
    metas = [(y, *_meta(layout, y)) for y in years]
    return sorted(metas, key=lambda m: (not m[1], -m[0]))


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def text(layout: Layout) -> str:
    lines = [HEADER, "format: jb-book\n", "root: book/index\n", "parts:\n", "  - caption: 各年版本\n", "    chapters:\n"]
    titles = {c.page: c.title for c in chapters.chapters()}
    for year, _full, label in order(layout, published_years(layout)):
        folder = layout.editions / str(year)
        lines.append(f"      - file: book/editions/{year}/00_overview\n        title: {_quote(label)}\n        sections:\n")
        for nb in sorted(folder.glob("[0-9][0-9]_*.ipynb")):
            if nb.stem == "00_overview":
                continue
            title = titles.get(nb.stem, chapters.FACTCHECK_TITLE if nb.stem.endswith("_factcheck") else nb.stem)
            lines.append(f"          - file: book/editions/{year}/{nb.stem}\n            title: {_quote(title)}\n")
    lines += ["  - caption: 跨年比较与方法\n", "    chapters:\n"]
    lines += [f"      - file: {page}\n" for page in PAGES_AFTER if (layout.root / f"{page}.md").is_file()
              or (layout.root / f"{page}.ipynb").is_file()]
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
    ranked = order(layout, years)
    return ranked[0][0] if ranked else max(years)
