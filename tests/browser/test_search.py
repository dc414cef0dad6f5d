"""Chinese search: Sphinx indexes the book with jieba and a dictionary of the book's terms
(``html_search_options`` in ``_config.yml``), so the built search page finds 高价值发明专利 and a figure
such as 135.71 (the PCT growth the IP chapter and the fact-check page discuss)."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest

from .support import AXE_JS, allowed_console, axe_fails, screenshots_dir

pytestmark = pytest.mark.browser
SEARCHES = [
    ("高价值发明专利", {"book/editions/2022/04_ip.html"}),
    ("135.71", {"book/editions/2022/04_ip.html", "book/editions/2022/08_factcheck.html"}),
]


def _index(book) -> dict:
    text = (book / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("(") + 1: text.rindex(")")])


def test_the_index_knows_the_whole_term(book):
    index = _index(book)
    term = SEARCHES[0][0]
    assert term in index["terms"], f"{term} is not a search term: is jieba installed and book/search-dict.txt read?"
    docs = index["terms"][term]
    docs = [docs] if isinstance(docs, int) else docs
    assert "book/editions/2022/04_ip" in [index["docnames"][d] for d in docs]


@pytest.mark.parametrize(("term", "wanted"), SEARCHES)
def test_search_page_finds(book, site, new_page, term, wanted):
    context, page, refused, errors = new_page()
    try:
        page.goto(site + "search.html?q=" + quote(term), wait_until="load")
        page.locator("#search-results ul.search li a").first.wait_for(timeout=15_000)
        page.wait_for_function("() => !document.querySelector('#search-progress') || "
                               "document.querySelector('#search-progress').textContent.trim() !== ''",
                               timeout=15_000)
        hits = page.eval_on_selector_all("#search-results ul.search li a", "els => els.map(e => e.getAttribute('href'))")
        summary = page.locator("#search-results").inner_text()
        screenshots_dir(book).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(screenshots_dir(book) / f"search-{term}.png"), full_page=True)
        page.add_script_tag(path=str(AXE_JS))
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    finally:
        context.close()
    found = {h.split("?")[0].split("#")[0] for h in hits}
    assert found & wanted, f"searching {term!r} lists none of {sorted(wanted)}: {hits}\n{summary[:500]}"
    assert not refused, f"the search page asked for addresses off 127.0.0.1: {refused}"
    bad = [f"{text} [{url}]" for text, url in errors if not allowed_console(text, url)]
    assert not bad, "console errors on the search page:\n" + "\n".join(bad)
    violations = [{"id": v["id"], "impact": v["impact"], "targets": [" ".join(map(str, n["target"])) for n in v["nodes"]]}
                  for v in result["violations"]]
    failing = [(v["id"], v["impact"], t) for v in violations if (t := axe_fails(v))]
    assert not failing, f"axe-core on the search page: {failing}"
