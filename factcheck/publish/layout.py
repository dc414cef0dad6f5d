"""Where a build reads and writes, relative to the repository whose ``factcheck`` package is running."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..files import check_tree

ROOT = Path(__file__).resolve().parent.parent.parent
CROSS_YEAR = "cross_year"
INDEX = "index"
ABOUT = "about"

STATIC = ("factcheck.css", "factcheck.js", "vega-bundle.js", "share.png")
"""The files of ``book/_static`` (Sphinx copies that folder into the site whole): any other file there is
refused before a build, so nothing reaches the site that is not named here."""
BOOK_FILES = ("chapters.yml", "search-dict.txt", "methods.md", f"{INDEX}.ipynb", f"{CROSS_YEAR}.ipynb", f"{ABOUT}.ipynb")
EDITION_PAGE = re.compile(r"editions/[0-9]{4}/[0-9]{2}_[a-z][a-z0-9_]*\.ipynb")
BUILD_OWNED = re.compile(r"editions/\.[0-9]{4}\.(?:staging|previous|failed)|\.[a-z_]+\.(?:staging\.ipynb|ipynb\.previous)"
                         r"|(?:.*/)?\.ipynb_checkpoints")
"""What a running (or killed) build keeps in ``book/`` for itself, and Jupyter's checkpoints: never published
(``_config.yml`` excludes them), not looked into."""


def declared_book_file(rel: str) -> bool:
    """Is ``book/<rel>`` a file the book may hold: a page the build writes, a file it reads, a static asset?"""
    return rel in BOOK_FILES or rel in {f"_static/{name}" for name in STATIC} or bool(EDITION_PAGE.fullmatch(rel))


@dataclass
class Layout:
    """The folders of one repository::

        notebooks/*.ipynb             the templates (index, overview, chapter, factcheck, cross_year)
        book/editions/<year>/*.ipynb  executed notebooks of each edition (published, checked by nbval)
        book/index.ipynb              the landing page, book/cross_year.ipynb the cross-year chapter
        _build/judged/<year>.json     the judged stage (every page reads it)
        _build/html                   the last good book
    """

    root: Path = ROOT

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    @property
    def book(self) -> Path:
        return self.root / "book"

    @property
    def editions(self) -> Path:
        return self.book / "editions"

    @property
    def build(self) -> Path:
        return self.root / "_build"

    @property
    def judged(self) -> Path:
        return self.build / "judged"

    @property
    def html(self) -> Path:
        return self.build / "html"

    @property
    def manifest(self) -> Path:
        return self.build / "manifest.json"

    @property
    def toc(self) -> Path:
        return self.root / "_toc.yml"

    @property
    def package(self) -> Path:
        """The package the kernels import: the repository's own ``factcheck/``."""
        own = self.root / "factcheck"
        return own if own.is_dir() else Path(__file__).resolve().parent.parent

    def template(self, name: str) -> Path:
        return self.notebooks / f"{name}.ipynb"

    def check_book(self) -> None:
        """Refuse a link, a non-regular file or an undeclared file under ``book/``, a Markdown page that asks for
        more than Markdown, and a ``_config.yml`` that would read, run or publish more (one line, the first found)."""
        from .audit import check_config, check_markdown

        check_tree(self.book, declared_book_file, skip=lambda rel: bool(BUILD_OWNED.fullmatch(rel)),
                   how=" (book/ holds the pages the build writes, chapters.yml, methods.md, search-dict.txt and "
                       "the files of _static that factcheck/publish/layout.py names)")
        for page in sorted(self.book.glob("*.md")):
            check_markdown(page)
        check_config(self.root / "_config.yml")
