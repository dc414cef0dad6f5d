"""Every page of the built book in Chromium: it loads, logs no errors, fetches nothing from off this
machine, passes axe-core, stays under the weight budget, leaves screenshots, keeps its navigation and
footer, shows no program notation in its prose, and fits a phone's screen."""

from __future__ import annotations

from pathlib import Path

import pytest

from .support import (
    BUDGET_BYTES,
    PHONE,
    axe_fails,
    bug_params,
    check,
    expected_pages,
    pages_in,
    prose_problems,
    sentence_problems,
)

pytestmark = pytest.mark.browser
PAGES = expected_pages()


def test_book_has_the_pages_the_tests_visit(book):
    built = pages_in(book)
    assert len([p for p in built if p.startswith("book/")]) >= 10, f"too few pages under {book}/book: {built}"
    assert set(built) == set(PAGES), (f"the tests visit {sorted(set(PAGES) - set(built))} which the book lacks, "
                                      f"and miss {sorted(set(built) - set(PAGES))}")


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


@pytest.mark.parametrize("rel", [p for p in PAGES if p.startswith("book/")])
def test_page_keeps_navigation_and_footer(visit, rel):
    v = visit(rel)
    assert v.has_nav, f"{rel}: no navigation links in the sidebar"
    assert v.has_footer, f"{rel}: no footer"


def axe_problems(violations: list[dict]) -> list[str]:
    return [f"{x['id']} ({x['impact']}): {x['help']} at {t}" for x in violations for t in axe_fails(x)]


@pytest.mark.parametrize("rel", PAGES)
def test_axe_finds_no_serious_or_critical_violation(visit, rel):
    check("axe", rel, axe_problems(visit(rel).violations), "axe-core violations (serious or critical)")


@pytest.mark.parametrize("rel", PAGES)
def test_dark_scheme_keeps_contrast(visit, rel):
    """In the theme's dark scheme (its colour-mode button) every text of the page passes axe's contrast check:
    no white card under light text, no white figure on a white card."""
    check("axe", rel, axe_problems(visit(rel).dark_violations), "axe-core colour contrast in the dark scheme")


@pytest.mark.parametrize("bug", bug_params("axe"))
def test_known_axe_bug_is_fixed(visits, bug):
    left = [f"{rel}: {p}" for rel, v in sorted(visits.items()) for p in axe_problems(v.violations) if bug.matches(rel, p)]
    assert not left, f"{len(left)} times, e.g.:\n" + "\n".join(left[:5])


@pytest.mark.parametrize("rel", PAGES)
def test_page_weight_within_budget(visit, rel):
    v = visit(rel)
    assert v.requests > 0
    assert v.bytes < BUDGET_BYTES, f"{rel}: {v.bytes:,} bytes transferred, budget {BUDGET_BYTES:,}"


@pytest.mark.parametrize("rel", PAGES)
def test_screenshots(book, visit, rel):
    v = visit(rel)
    for shot in (v.screenshot, v.phone_screenshot, v.dark_screenshot, v.dark_phone_screenshot):
        path = Path(shot) if Path(shot).is_absolute() else book.parent.parent / shot
        assert path.is_file() and path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"{rel}: no screenshot at {path}"


@pytest.mark.parametrize("rel", [p for p in PAGES if p.startswith("book/")])
def test_prose_shows_no_program_notation(visit, rel):
    """What a reader sees (not what 展开 opens, not code) has no binding names, claim ids, interval brackets
    or missing-value words."""
    v = visit(rel)
    assert v.prose.strip(), f"{rel}: no visible text in the main content"
    check("prose", rel, prose_problems(v.prose), "program notation in the visible prose")


@pytest.mark.parametrize("bug", bug_params("prose"))
def test_known_prose_bug_is_fixed(visits, bug):
    left = [f"{rel}: {p}" for rel, v in sorted(visits.items()) for p in prose_problems(v.prose) if bug.matches(rel, p)]
    assert not left, f"{len(left)} times, e.g.:\n" + "\n".join(left[:5])


@pytest.mark.parametrize("rel", [p for p in PAGES if p.startswith("book/")])
def test_generated_sentences_are_plain(visit, rel):
    """Each verdict's why and each chart's title, subtitle and text alternative pass wording.clean."""
    problems = sentence_problems(visit(rel).sentences)
    assert not problems, f"{rel}: sentences wording.clean refuses:\n" + "\n".join(problems)


@pytest.mark.parametrize("rel", [p for p in PAGES if p.startswith("book/")])
def test_page_fits_a_phone(visit, rel):
    """At 390 px nothing is wider than the screen: no sideways scrolling, no table or chart cut off."""
    v = visit(rel)
    p = v.phone
    assert p["scrollWidth"] <= PHONE["width"], (
        f"{rel}: the page scrolls sideways at {PHONE['width']} px (scrollWidth {p['scrollWidth']}); wider than the "
        f"screen: {p['wide'][:8]}")
    assert not p["wide"], f"{rel}: wider than the {PHONE['width']} px screen: {p['wide'][:8]}"


@pytest.mark.parametrize("rel", [p for p in PAGES if p.startswith("book/")])
def test_verdict_badges_whole_on_a_phone(visit, rel):
    v = visit(rel)
    assert not v.phone["badges"], f"{rel}: verdict badges cut off at {PHONE['width']} px:\n" + "\n".join(
        f"  {b['badge']} in {b['where']}: {'; '.join(b['problems'])}" for b in v.phone["badges"][:10])


def overlap_problems(phone: dict) -> list[str]:
    return [f"{o['chart']}: tick labels {o['labels'][0]!r} and {o['labels'][1]!r} overlap ({o['axis']})"
            for o in phone.get("overlaps", [])]


@pytest.mark.parametrize("rel", [p for p in PAGES if p.startswith("book/")])
def test_chart_axis_labels_readable_on_a_phone(visit, rel):
    """At 390 px no two tick labels of a chart's axis are drawn over each other."""
    check("phone-overlap", rel, overlap_problems(visit(rel).phone), f"axis labels overlapping at {PHONE['width']} px")


@pytest.mark.parametrize("bug", bug_params("phone-overlap"))
def test_known_phone_overlap_bug_is_fixed(visits, bug):
    left = [f"{rel}: {p}" for rel, v in sorted(visits.items()) for p in overlap_problems(v.phone) if bug.matches(rel, p)]
    assert not left, "\n".join(left[:10])


@pytest.mark.parametrize("rel", [p for p in PAGES if p.endswith("_factcheck.html")])
def test_fact_check_table_becomes_cards_on_a_phone(visit, rel):
    v = visit(rel)
    assert v.phone["tableRows"] > 0, f"{rel}: no rows in table.claims"
    assert v.phone["rowDisplays"] == ["block"], (
        f"{rel}: below 700 px each row should be a card (display: block), found {v.phone['rowDisplays']}")
