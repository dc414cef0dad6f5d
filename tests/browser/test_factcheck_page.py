"""The fact-check page of the latest full edition as a reader uses it: errors first, a linked row stands
out, the filters narrow the table."""

from __future__ import annotations

import pytest

from factcheck.vocabulary import CODES

from .support import screenshots_dir

pytestmark = pytest.mark.browser
TARGET = "2022-pct-growth"  # a featured figure that the landing page and the overview link to


@pytest.fixture(scope="module")
def factcheck_page(book, latest_full, new_page, site):
    year = latest_full
    pages = sorted((book / "book" / "editions" / str(year)).glob("*_factcheck.html"))
    assert len(pages) == 1, f"the {year} edition has no single fact-check page: {pages}"
    rel = pages[0].relative_to(book).as_posix()
    context, page, refused, errors = new_page()
    page.goto(f"{site}{rel}#claim-{TARGET}", wait_until="load")
    yield year, rel, page
    context.close()


def test_errors_first_then_the_vocabulary_order(factcheck_page, judged):
    year, rel, page = factcheck_page
    verdicts = page.eval_on_selector_all("table.claims tbody tr", "rows => rows.map(r => r.dataset.verdict)")
    assert len(verdicts) == judged(year)["counts"]["total"], f"{rel}: {len(verdicts)} rows"
    ranks = [CODES.index(v) for v in verdicts]
    assert ranks == sorted(ranks), f"{rel}: rows not in the order {CODES}: {verdicts}"
    n = judged(year)["counts"]["inconsistent"]
    assert verdicts[:n] == ["inconsistent"] * n, f"{rel}: the {n} inconsistent figures are not listed first"


def test_linked_row_is_highlighted(book, factcheck_page):
    year, rel, page = factcheck_page
    target_id = f"claim-{TARGET}"
    styles = page.evaluate("""id => {
      const pick = el => { const cs = getComputedStyle(el);
        return {outline: cs.outlineStyle + ' ' + cs.outlineWidth + ' ' + cs.outlineColor, background: cs.backgroundColor}; };
      const target = document.getElementById(id);
      const other = [...document.querySelectorAll('table.claims tbody tr')].find(r => r.id !== id);
      const t = document.querySelector(':target');
      const r = target ? target.getBoundingClientRect() : null;
      return {exists: !!target, isTarget: !!t && t === target, tag: target ? target.tagName : '',
              target: target ? pick(target) : null, other: other ? pick(other) : null,
              inView: !!r && r.top >= 0 && r.top < window.innerHeight};
    }""", target_id)
    assert styles["exists"] and styles["tag"] == "TR", f"{rel}: no table row #{target_id}"
    assert styles["isTarget"], f"{rel}#{target_id}: the row is not the :target"
    assert styles["inView"], f"{rel}#{target_id}: the row is not scrolled into view"
    assert styles["target"] != styles["other"], (
        f"{rel}#{target_id}: the linked row looks like every other row ({styles['target']}): :target has no style")
    assert not styles["target"]["outline"].startswith("none"), f"{rel}#{target_id}: no outline on the linked row"
    screenshots_dir(book).mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(screenshots_dir(book) / "factcheck-target.png"))


def test_verdict_filter_narrows_the_table(factcheck_page, judged):
    year, rel, page = factcheck_page
    counts = judged(year)["counts"]
    form = page.locator("form.claim-filter")
    assert form.count() == 1, f"{rel}: no filter form"
    for code in ("inconsistent", ""):
        form.locator("select[name=verdict]").select_option(code)
        shown = page.eval_on_selector_all("table.claims tbody tr", "rows => rows.filter(r => !r.hidden).length")
        wanted = counts[code] if code else counts["total"]
        assert shown == wanted, f"{rel}: verdict filter {code or '全部'} shows {shown} rows, expected {wanted}"
        assert f"{wanted} / {counts['total']}" in form.locator("output").inner_text()
