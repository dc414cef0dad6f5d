"""Chinese search: Sphinx indexes the book with jieba and a dictionary of the book's terms
(``html_search_options`` in ``_config.yml``), so the built search page finds 高价值发明专利, and any printed
figure or rank as a reader types it (book/_static/factcheck.js): 53 and 第53位 (the zone's rank, which the
ranking chapter discusses), 15.53 and 135.71 (the high-value patents per 10,000 people and the PCT growth of
the IP chapter and the fact-check page)."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest

from .support import AXE_JS, allowed_console, axe_fails, check, screenshots_dir

pytestmark = pytest.mark.browser
TERM = "高价值发明专利"
FIGURES = ("53", "第53位", "15.53", "135.71")
IP = {"book/editions/2022/04_ip.html", "book/editions/2022/08_factcheck.html"}
RANKING = {"book/editions/2022/01_ranking.html", "book/editions/2022/08_factcheck.html"}
WANTED = {TERM: {"book/editions/2022/04_ip.html"}, "53": RANKING, "第53位": RANKING, "15.53": IP, "135.71": IP}


def _index(book) -> dict:
    text = (book / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("(") + 1: text.rindex(")")])


@pytest.fixture(scope="module")
def searched(book, site, new_page):
    """Each term typed into the search page: (hits, summary, console errors, refused, axe violations)."""
    out = {}
    for n, term in enumerate(WANTED):
        context, page, refused, errors = new_page()
        try:
            page.goto(site + "search.html?q=" + quote(term), wait_until="load")
            page.wait_for_function("() => { const s = document.querySelector('#search-results .search-summary');"
                                   " return s && s.textContent.trim() !== ''; }", timeout=15_000)
            hits = page.eval_on_selector_all("#search-results ul.search li a", "els => els.map(e => e.getAttribute('href'))")
            summary = page.locator("#search-results").inner_text()
            screenshots_dir(book).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(screenshots_dir(book) / f"search-{n + 1}.png"))
            violations = []
            if n == 0:
                page.add_script_tag(path=str(AXE_JS))
                result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
                violations = [{"id": v["id"], "impact": v["impact"], "help": v["help"],
                               "targets": [" ".join(map(str, x["target"])) for x in v["nodes"]]} for v in result["violations"]]
        finally:
            context.close()
        out[term] = (hits, summary, errors, refused, violations)
    return out


def test_the_index_knows_the_whole_term(book):
    index = _index(book)
    assert TERM in index["terms"], f"{TERM} is not a search term: is jieba installed and book/search-dict.txt read?"
    docs = index["terms"][TERM]
    docs = [docs] if isinstance(docs, int) else docs
    assert "book/editions/2022/04_ip" in [index["docnames"][d] for d in docs]


@pytest.mark.parametrize("term", [TERM, *FIGURES])
def test_search_page_finds(searched, term):
    hits, summary, *_ = searched[term]
    found = {h.split("?")[0].split("#")[0] for h in hits}
    assert found >= WANTED[term], (f"searching {term!r} lists {sorted(found)[:8]}, not all of {sorted(WANTED[term])}"
                                   f"\n{summary[:300]}")


def test_search_page_stays_local_and_clean(searched):
    for term, (_, _, errors, refused, _) in searched.items():
        assert not refused, f"the search page ({term}) asked for addresses off 127.0.0.1: {refused}"
        bad = [f"{text} [{url}]" for text, url in errors if not allowed_console(text, url)]
        assert not bad, f"console errors on the search page ({term}):\n" + "\n".join(bad)
    problems = [f"{x['id']} ({x['impact']}): {x['help']} at {t}" for x in searched[TERM][4] for t in axe_fails(x)]
    check("axe", "search.html", problems, "axe-core on the search page")
