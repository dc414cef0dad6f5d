"""The built book states one conclusion per figure: every card, table row, count sentence, error line,
verdict-table cell and page of the book is parsed back and compared with the judged file it was built
from; and every page's Chinese prose has full-width , ; : ( ) (the article's own words and titles, code and
arithmetic aside). Parsed from the built HTML (BeautifulSoup): what the server sends is what a reader gets.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter

import pytest
from bs4 import BeautifulSoup

from factcheck.vocabulary import CODES, SUPPORT, counted
from factcheck.words import HALF_WIDTH_IN_ARITHMETIC

from .support import expected_pages

pytestmark = pytest.mark.browser
EDITION_PAGES = [p for p in expected_pages() if p.startswith("book/editions/")]
PAGES = [p for p in expected_pages() if p.startswith("book/")]


def _soup(book, rel: str) -> BeautifulSoup:
    return BeautifulSoup((book / rel).read_text(encoding="utf-8"), "html.parser")


def _claims(judged, year: int) -> dict[str, dict]:
    return {j["claim_id"]: j for j in judged(year)["claims"]}


def _counts(claims) -> str:
    got = Counter(j["verdict"] for j in claims)
    return "，".join(counted(c, got[c]) for c in CODES if got[c])


@pytest.mark.parametrize("rel", EDITION_PAGES)
def test_every_card_and_row_shows_its_judgement(book, judged, rel):
    year = int(rel.split("/")[2])
    claims = _claims(judged, year)
    soup = _soup(book, rel)
    seen = 0
    for el in soup.select("article.claim-card, table.claims tr[id^=claim-]"):
        j = claims[el["id"].removeprefix("claim-")]
        badge = el.select_one(".verdict")
        assert el["data-verdict"] == badge["data-verdict"] == j["verdict"], f"{rel}: {el['id']}"
        assert badge.get_text() == j["label"], f"{rel}: {el['id']} shows {badge.get_text()}, judged {j['label']}"
        why = el.select_one(".claim-why")
        if why is not None:
            assert why.get_text() == j["why"], f"{rel}: {el['id']}"
        seen += 1
    text = re.sub(r"\s+", "", soup.select_one("article.bd-article").get_text())
    for said in re.findall(r"核查(\d+)个统计数字：(.+?)。", text):
        assert said[1] in {_counts(claims.values())} | {
            _counts([j for j in claims.values() if j["chapter"] == c]) for c in {j["chapter"] for j in claims.values()}}, (
            f"{rel}: the page says {said}, which no set of judgements of {year} gives")
    if "_factcheck" in rel:
        assert seen == len(claims)


def test_the_landing_page_states_what_the_cards_show(book, judged, latest_full):
    soup = _soup(book, "book/index.html")
    claims = _claims(judged, latest_full)
    text = re.sub(r"\s+", "", soup.select_one("article.bd-article").get_text())
    assert f"本书逐一追溯、重算：{_counts(claims.values())}。" in text
    errors = [a["href"].rsplit("#claim-", 1)[1] for a in soup.select("ul.errors a")]
    assert errors == [c for c, j in claims.items() if j["verdict"] == "inconsistent"]
    for li in soup.select("ul.holds > li"):
        code = li.select_one(".verdict")["data-verdict"]
        linked = [a["href"].rsplit("#claim-", 1)[1] for a in li.select("a")]
        assert code in SUPPORT and linked == [c for c, j in claims.items() if j["verdict"] == code]
    for li in soup.select(".featured-claim"):
        cid = li.select_one("a")["href"].rsplit("#claim-", 1)[1]
        assert li.select_one(".verdict").get_text() == claims[cid]["label"]


def test_the_verdict_tables_say_what_the_cards_say(book, judged):
    for path in sorted((book / "_downloads").glob("verdicts-*.csv")):
        year = int(path.stem.split("-")[1])
        claims = _claims(judged, year)
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
        assert [r["claim_id"] for r in rows] == list(claims)
        for r in rows:
            j = claims[r["claim_id"]]
            assert (r["verdict"], r["结论"], r["理由"]) == (j["verdict"], j["label"], j["why"]), r["claim_id"]


def _verbatim(judged, years) -> list[str]:
    """The words printed as their source printed them: quotes of the articles, titles of sources."""
    out = set()
    for y in years:
        doc = judged(y)
        out |= {j["quote"] for j in doc["claims"]} | {r["quote"] for r in doc["register"]}
        out |= {r for j in doc["claims"] for r in j.get("repeats", [])}
        out |= {f"《{s['title']}》" for s in doc["sources"].values()}
    return sorted(out, key=len, reverse=True)


@pytest.mark.parametrize("rel", PAGES)
def test_chinese_prose_has_full_width_punctuation(book, judged, rel):
    years = sorted(int(p.stem) for p in (book.parent / "judged").glob("[0-9][0-9][0-9][0-9].json"))
    soup = _soup(book, rel)
    article = soup.select_one("article.bd-article")
    for el in article.select("script, style, code, pre, blockquote, svg, .search-terms, details.claim-details summary"):
        el.decompose()
    for el in article.select("mark"):
        el.unwrap()
    text = BeautifulSoup(str(article), "html.parser").get_text("\n")
    for q in _verbatim(judged, years):
        text = text.replace(q, "")
    bad = [line.strip() for line in text.splitlines() if HALF_WIDTH_IN_ARITHMETIC.search(line)]
    assert not bad, f"{rel}: half-width punctuation next to Chinese:\n" + "\n".join(bad[:8])
