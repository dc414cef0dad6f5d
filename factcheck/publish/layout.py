"""Where a build reads and writes, relative to the repository whose ``factcheck`` package is running."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
CROSS_YEAR = "cross_year"
INDEX = "index"
ABOUT = "about"


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
