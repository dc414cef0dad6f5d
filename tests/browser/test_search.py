"""Chinese search: Sphinx indexes the book with jieba and a dictionary of the book's terms
(``html_search_options`` in ``_config.yml``), so the built search page finds 高价值发明专利."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest

from .support import AXE_JS, HTML, SCREENSHOTS, allowed_console, axe_fails

pytestmark = pytest.mark.browser
TERM = "高价值发明专利"
IP_CHAPTER = "book/editions/2022/04_ip"


def _index() -> dict:
    text = (HTML / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("(") + 1: text.rindex(")")])


def test_the_index_knows_the_whole_term():
    index = _index()
    assert TERM in index["terms"], f"{TERM} is not a search term: is jieba installed and book/search-dict.txt read?"
    docs = index["terms"][TERM]
    docs = [docs] if isinstance(docs, int) else docs
    assert IP_CHAPTER in [index["docnames"][d] for d in docs]


def test_search_page_finds_the_ip_chapter(site, new_page):
    context, page, refused, errors = new_page()
    try:
        page.goto(site + "search.html?q=" + quote(TERM), wait_until="load")
        page.locator("#search-results ul.search li a").first.wait_for(timeout=15_000)
        page.wait_for_function("() => !document.querySelector('#search-progress') || "
                               "document.querySelector('#search-progress').textContent.trim() !== ''",
                               timeout=15_000)
        hits = page.eval_on_selector_all("#search-results ul.search li a", "els => els.map(e => e.getAttribute('href'))")
        summary = page.locator("#search-results").inner_text()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "search.png"), full_page=True)
        page.add_script_tag(path=str(AXE_JS))
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    finally:
        context.close()
    assert any(IP_CHAPTER + ".html" in h for h in hits), f"no hit on {IP_CHAPTER}: {hits}\n{summary}"
    assert not refused, f"the search page asked for addresses off 127.0.0.1: {refused}"
    bad = [f"{text} [{url}]" for text, url in errors if not allowed_console(text, url)]
    assert not bad, "console errors on the search page:\n" + "\n".join(bad)
    violations = [{"id": v["id"], "impact": v["impact"], "targets": [" ".join(map(str, n["target"])) for n in v["nodes"]]}
                  for v in result["violations"]]
    failing = [(v["id"], v["impact"], t) for v in violations if (t := axe_fails(v))]
    assert not failing, f"axe-core on the search page: {failing}"
