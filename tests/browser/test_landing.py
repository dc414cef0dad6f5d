"""The landing page as a reader uses it: every edition listed newest first (its article, date and state), the
findings of the latest full edition in plain lines, links to the figures readers ask about, the navigation
(the newest edition first, each edition folding its chapters), 下一页."""

from __future__ import annotations

import csv
import re
from collections import Counter
from urllib.parse import urljoin, urlparse

import pytest

from factcheck.edition import edition_title, when
from factcheck.vocabulary import CODES, counted

from .support import PHONE, pages_in

pytestmark = pytest.mark.browser
LANDING = "book/index.html"


def _featured(book_root, year: int) -> list[str]:
    with (book_root / "data" / "claims.csv").open(encoding="utf-8-sig", newline="") as fh:
        return [r["claim_id"] for r in csv.DictReader(fh)
                if r["year"] == str(year) and r.get("featured", "").strip().lower() in ("true", "1", "yes")]


@pytest.fixture(scope="module")
def landing(new_page, site):
    context, page, refused, errors = new_page()
    page.goto(site + LANDING, wait_until="load")
    yield page
    context.close()


def test_findings_state_the_counts_of_the_latest_full_edition(latest_full, judged, landing):
    year = latest_full
    counts = judged(year)["counts"]
    shown = landing.evaluate("""() => {
      const h2 = [...document.querySelectorAll('article.bd-article h2')].find(h => h.textContent.includes('核查发现'));
      return h2 ? h2.parentElement.innerText : '';
    }""")
    assert shown, "no section 核查发现 on the landing page"
    text = re.sub(r"\s+", "", shown)
    assert f"列出{counts['total']}个统计数字" in text, f"the findings do not say {counts['total']} figures: {text[:300]}"
    said = re.search(r"重算[：:](.+?)。", text)
    assert said, f"the findings do not list the verdicts: {text[:300]}"
    verdicts = Counter(j["verdict"] for j in judged(year)["claims"])
    wanted = [counted(c, verdicts[c]) for c in CODES if verdicts[c]]
    assert said.group(1).split("，") == wanted, (
        f"the findings say {said.group(1)!r}; the judgements of {year} are {', '.join(wanted)}")
    bad = [line for line in shown.splitlines() if len(line) > 400]
    assert not bad, f"the findings are not plain short lines: {bad[:1]}"


def test_featured_figures_link_to_their_cards(latest_full, book_root, landing, new_page):
    year = latest_full
    wanted = _featured(book_root, year)
    assert wanted, f"claims.csv marks no featured figure for {year}"
    links = landing.eval_on_selector_all(".featured a[href]", "els => els.map(a => a.href)")
    by_id = {urlparse(h).fragment.removeprefix("claim-"): h for h in links}
    assert sorted(by_id) == sorted(wanted), f"the landing page links {sorted(by_id)}, claims.csv features {wanted}"
    context, page, refused, _ = new_page()
    try:
        for cid, href in by_id.items():
            page.goto(href, wait_until="load")
            found = page.evaluate("""id => {
              const el = document.getElementById(id);
              if (!el) { return null; }
              const r = el.getBoundingClientRect();
              const target = document.querySelector(':target');
              return {cls: el.className, target: target ? target.id : '', top: r.top, height: window.innerHeight};
            }""", f"claim-{cid}")
            assert found, f"{href}: no element with id claim-{cid} on the target page"
            assert "claim-card" in found["cls"], f"{href}: #claim-{cid} is not a claim card ({found['cls']})"
            assert found["target"] == f"claim-{cid}", f"{href}: the card is not the :target"
            assert 0 <= found["top"] < found["height"], f"{href}: the card is not scrolled into view"
    finally:
        context.close()
    assert not refused, refused


def _years(book) -> list[int]:
    """The editions of the book, newest first."""
    return sorted((int(p.stem) for p in (book.parent / "judged").glob("[0-9][0-9][0-9][0-9].json")), reverse=True)


def test_every_edition_is_listed_newest_first_with_its_article_date_and_state(book, judged, landing):
    items = landing.eval_on_selector_all("ul.editions > li", """els => els.map(li => ({
      href: li.querySelector('a').getAttribute('href'), text: li.innerText}))""")
    assert [i["href"] for i in items] == [f"editions/{y}/00_overview.html" for y in _years(book)], items
    for item, year in zip(items, _years(book), strict=True):
        doc = judged(year)
        text = re.sub(r"\s+", "", item["text"])
        for sid in doc["articles"]:
            s = doc["sources"][sid]
            assert re.sub(r"\s+", "", s["short_title"] or s["publisher"]) in text, f"{year}: the article is not named: {text}"
            assert when(s["published"]) in text, f"{year}: no date {when(s['published'])}: {text}"
        assert ("核查全文" if doc["full"] else "只取得片段") in text, f"{year}: the state is not said: {text}"
        assert ("草稿" in text) == bool(doc["drafts"]), f"{year}: the draft state is wrong: {text}"
        assert f"{doc['counts']['total']}个统计数字" in text, text


def test_navigation_starts_with_the_newest_edition(book, landing):
    entries = landing.eval_on_selector_all(
        "nav.bd-docs-nav ul.bd-sidenav:not(.bd-sidenav__home-link) > li.toctree-l1 > a",
        "els => els.map(a => a.getAttribute('href'))")
    assert entries, "no entries in the left navigation"
    editions = [e for e in entries if e.startswith("editions/")]
    assert editions == [f"editions/{y}/00_overview.html" for y in _years(book)], f"the editions are listed {editions}"
    assert entries[0] == editions[0], f"the first entry after the home page is {entries[0]}, not the newest edition"


def test_editions_fold_their_chapters(book, landing):
    editions = sorted({p.split("/")[2] for p in pages_in(book) if p.startswith("book/editions/")})
    assert editions
    for year in editions:
        item = landing.locator(f"nav.bd-docs-nav li.toctree-l1:has(> a[href='editions/{year}/00_overview.html'])")
        assert item.count() == 1, f"the {year} edition is not one entry of the navigation"
        sections = item.locator("details > ul > li > a")
        hrefs = sorted(sections.evaluate_all("els => els.map(a => a.getAttribute('href'))"))
        pages = sorted(f"editions/{year}/{p.rsplit('/', 1)[1]}" for p in pages_in(book)
                       if p.startswith(f"book/editions/{year}/") and not p.endswith("00_overview.html"))
        assert hrefs == pages, f"the {year} edition folds {hrefs}, its pages are {pages}"
        details = item.locator("details").first
        assert not details.evaluate("d => d.open"), f"the {year} edition is unfolded on the landing page"
        assert not sections.first.is_visible()
        item.locator("details > summary .toctree-toggle").first.click()
        assert details.evaluate("d => d.open") and sections.first.is_visible(), f"the {year} edition does not unfold"
        item.locator("details > summary .toctree-toggle").first.click()
        assert not details.evaluate("d => d.open"), f"the {year} edition does not fold again"


def test_next_page_is_the_newest_editions_overview(book, judged, site, new_page):
    year = _years(book)[0]
    context, page, _, _ = new_page()
    try:
        page.goto(site + LANDING, wait_until="load")
        link = page.locator("a.right-next")
        assert link.count() == 1 and "下一页" in link.inner_text(), "no 下一页 on the landing page"
        link.click()
        page.wait_for_load_state("load")
        assert page.url == urljoin(site, f"book/editions/{year}/00_overview.html"), f"下一页 went to {page.url}"
        assert edition_title(judged(year)) in page.locator("h1").first.inner_text()
    finally:
        context.close()


@pytest.mark.parametrize("rel", [LANDING, "book/editions/2022/04_ip.html"])
def test_the_menu_buttons_open_the_contents_on_a_phone_and_fold_them_on_a_wide_screen(site, new_page, rel):
    """The visible ☰ of the page header opens the book's contents on a phone (the editions can be reached
    from there), its twin the page's contents; on a wide screen ☰ folds the sidebar away."""
    context, page, _, _ = new_page(PHONE, phone=True)
    try:
        page.goto(site + rel, wait_until="load")
        page.locator(".primary-toggle:visible").first.tap()
        page.wait_for_function("() => document.querySelector('#pst-primary-sidebar-modal').open", timeout=5000)
        box = page.evaluate("""() => { const a = [...document.querySelectorAll('#pst-primary-sidebar-modal a')]
          .find(a => a.href.endsWith('editions/2022/00_overview.html')); return a && a.getBoundingClientRect().toJSON(); }""")
        assert box and 0 <= box["x"] < PHONE["width"] and box["width"] > 0, f"{rel}: the contents did not open: {box}"
        page.keyboard.press("Escape")
        page.locator(".secondary-toggle:visible").first.tap()
        page.wait_for_function("() => document.querySelector('#pst-secondary-sidebar-modal').open", timeout=5000)
    finally:
        context.close()
    context, page, _, _ = new_page()
    try:
        page.goto(site + rel, wait_until="load")
        page.locator(".primary-toggle:visible").first.click()
        page.wait_for_function(
            "() => document.querySelector('#pst-primary-sidebar').classList.contains('pst-sidebar-hidden')", timeout=5000)
    finally:
        context.close()
