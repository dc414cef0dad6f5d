"""Every page of the built book in Chromium: it loads, logs no errors, draws its charts, fetches nothing
from off this machine, passes axe-core, stays under the weight budget and leaves a screenshot."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from .support import BUDGET_BYTES, HTML, axe_fails, book_pages, chapter_pages

pytestmark = pytest.mark.browser
PAGES = book_pages()


def test_book_is_built():
    assert (HTML / "index.html").is_file(), f"no built book at {HTML}: run `make book`"
    assert len(chapter_pages()) >= 10, f"expected the book's pages under {HTML}/book, found {chapter_pages()}"


@pytest.mark.parametrize("rel", PAGES)
def test_page_loads_without_errors(visit, rel):
    v = visit(rel)
    assert v.status == 200, f"{rel}: HTTP {v.status}"
    assert v.title, f"{rel}: no <title>"
    assert not v.errors, f"{rel}: console/page errors (not on the allow-list):\n" + "\n".join(v.errors)


@pytest.mark.parametrize("rel", PAGES)
def test_no_request_leaves_localhost(visit, rel):
    v = visit(rel)
    assert not v.refused, f"{rel} asked for addresses off 127.0.0.1:\n" + "\n".join(v.refused)


@pytest.mark.parametrize("rel", PAGES)
def test_every_chart_is_drawn(visit, rel):
    v = visit(rel)
    assert not v.chart_timeout, f"{rel}: charts still undrawn after 20 s ({v.drawn} of {v.figures})"
    assert v.drawn == v.figures, f"{rel}: {v.figures} charts, {v.drawn} drawn with an <svg>"


@pytest.mark.parametrize("rel", PAGES)
def test_chart_alternatives_state_numbers(visit, rel):
    v = visit(rel)
    for label, caption in zip(v.labels, v.captions, strict=True):
        assert label.strip(), f"{rel}: a chart without a text alternative"
        assert re.search(r"\d", label), f"{rel}: the text alternative states no number: {label!r}"
        assert caption.strip() == label.strip(), f"{rel}: the visible caption differs from aria-label"


@pytest.mark.parametrize("rel", PAGES)
def test_every_chart_offers_its_svg(visit, rel):
    v = visit(rel)
    assert len(v.svg_links) == v.figures
    for href in v.svg_links:
        assert href, f"{rel}: a chart without an SVG download link"
        path = HTML / unquote(urlparse(href).path).lstrip("/")
        assert path.is_file(), f"{rel}: {href} is not in the built book"
        head = path.read_text(encoding="utf-8")[:300]
        assert head.startswith("<svg") and "http://www.w3.org/2000/svg" in head, f"{path} is not an SVG"


@pytest.mark.parametrize("rel", PAGES)
def test_axe_finds_no_serious_or_critical_violation(visit, rel):
    v = visit(rel)
    failing = {x["id"]: (x["impact"], x["help"], bad) for x in v.violations if (bad := axe_fails(x))}
    assert not failing, f"{rel}: axe-core violations:\n" + "\n".join(
        f"  {rule} ({impact}): {help_} at {targets}" for rule, (impact, help_, targets) in failing.items())


@pytest.mark.parametrize("rel", PAGES)
def test_page_weight_within_budget(visit, rel):
    v = visit(rel)
    assert v.requests > 0
    assert v.bytes < BUDGET_BYTES, f"{rel}: {v.bytes:,} bytes transferred, budget {BUDGET_BYTES:,}"


@pytest.mark.parametrize("rel", PAGES)
def test_full_page_screenshot(visit, rel):
    v = visit(rel)
    shot = Path(v.screenshot) if Path(v.screenshot).is_absolute() else HTML.parent.parent / v.screenshot
    assert shot.is_file() and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"{rel}: no screenshot at {shot}"
