"""The theme speaks Chinese: no English (or Traditional Chinese) interface string of pydata-sphinx-theme or
sphinx-book-theme is left on any built page, in its visible text or in the labels a screen reader or a
tooltip shows (``language: zh_CN`` translates most; factcheck.publish.pages.THEME_WORDS the rest)."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from factcheck.publish.pages import THEME_WORDS

from .support import expected_pages

pytestmark = pytest.mark.browser
PAGES = [*expected_pages(), "search.html"]
UI_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt", "data-bs-title")
# What the themes print in English when a translation is missing: each was seen in a build before the fix.
ENGLISH_UI = ("Search this book", "Toggle primary sidebar", "Toggle secondary sidebar", "Link to this heading",
              "Copyright", "Click to show", "Click to hide", "Color mode", "Main", "Page", "列印")
# Latin words a Chinese reader meets as they are: key names, file types, the licence, the zone's indicators.
ALLOWED_WORDS = {"Ctrl", "PDF", "CSV", "SVG", "ZIP", "Excel", "Issues", "CC", "BY", "GDP", "PCT", "R", "D"}


def _chrome(soup: BeautifulSoup) -> list:
    """The theme's parts of a page: everything but the article body (which quotes sources in any language)."""
    for article in soup.select("article.bd-article, #search-results"):
        article.decompose()
    for hidden in soup.select("script, style, noscript"):
        hidden.decompose()
    return [soup]


@pytest.mark.parametrize("rel", PAGES)
def test_theme_interface_is_chinese(book, rel):
    soup = BeautifulSoup((book / rel).read_text(encoding="utf-8"), "html.parser")
    labels = [str(el.get(a)) for el in soup.find_all(True) for a in UI_ATTRIBUTES if el.get(a)]
    english = [s for s in labels if any(re.search(rf"\b{re.escape(w)}\b", s) for w in ENGLISH_UI)]
    text = " ".join(part.get_text(" ") for part in _chrome(soup))
    words = sorted(set(re.findall(r"[A-Za-z]{2,}", text)) - ALLOWED_WORDS)
    english += [f"text: {w}" for w in words] + [f"text: {w}" for w in ENGLISH_UI if w in text]
    assert not english, f"{rel}: the theme's interface still shows English: {english[:10]}"


def test_every_replacement_is_chinese():
    """What replaces the themes' English is itself Chinese (a test of the table, not of a page)."""
    for english, chinese in THEME_WORDS:
        assert re.search(r"[\u4e00-\u9fff]", chinese) and chinese != english, (english, chinese)
