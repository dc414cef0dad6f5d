"""Sources readers can follow, and who answers for the book, read from the built pages against the judged
files they were made from:

* originals are linked; a tier 3–4 copy (a mirror, wiki or machine page) is named by its host, as text,
  with a warning, and is never a link, on any page;
* each edition's overview says where and when its article appeared, what was not found, the text the book
  checks and its transcription artefacts; the navigation names each edition by its article and data year;
* every figure found wrong says what would settle it and whether the publisher was asked (``asked`` in
  sources.csv; empty: 尚未询问);
* every page links the one repository of ``_config.yml`` for reporting an error, and states the rights of
  the article texts.
"""

from __future__ import annotations

from functools import cache
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from factcheck import chapters
from factcheck.edition import edition_title, when
from factcheck.publish.sphinxext import is_placeholder, issues_url, repository_of
from factcheck.vocabulary import LOW_TIER
from factcheck.words import typeset

from .support import expected_pages

pytestmark = pytest.mark.browser
PAGES = [p for p in expected_pages() if p.startswith("book/")]


@cache
def _soup(path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _years(book) -> list[int]:
    return sorted(int(p.stem) for p in (book.parent / "judged").glob("[0-9][0-9][0-9][0-9].json"))


def _doubtful_host(s: dict) -> str | None:
    """The host of the page a tier 3–4 source was read from (its copy, else its own address)."""
    if s["tier"] < LOW_TIER:
        return None
    return urlsplit(s["copy_url"] or s["url"]).hostname if (s["copy_url"] or s["url"]) else None


def _card(book, year: int, j: dict):
    page = book / "book" / "editions" / str(year) / f"{chapters.get(j['chapter']).page}.html"
    card = _soup(page).find("article", id=f"claim-{j['claim_id']}")
    assert card is not None, f"no card for {j['claim_id']} on {page.name}"
    return card


def test_doubtful_copies_are_never_links(book, judged):
    hosts = {_doubtful_host(s) for y in _years(book) for s in judged(y)["sources"].values()} - {None}
    assert hosts, "the judged files cite no tier 3–4 copy: nothing to check"
    linked = [f"{rel}: {a['href']}" for rel in PAGES for a in _soup(book / rel).find_all("a", href=True)
              if urlsplit(a["href"]).hostname in hosts]
    assert not linked, "links to mirrors, wikis or machine pages:\n" + "\n".join(linked[:10])


def test_each_card_links_originals_and_names_doubtful_copies(book, judged):
    problems = []
    for year in _years(book):
        doc = judged(year)
        for j in doc["claims"]:
            items = _card(book, year, j).select("ul.claim-sources > li")
            assert len(items) == len(j["sources"]), f"{j['claim_id']}: {len(items)} sources shown of {j['sources']}"
            for li, sid in zip(items, j["sources"], strict=True):
                s, first = doc["sources"][sid], li.find("a", href=True)
                host = _doubtful_host(s)
                if host:
                    warning = li.select_one(".copy-warning")
                    if s["copy_url"] or s["url"]:
                        if not (warning and host in warning.get_text()):
                            problems.append(f"{j['claim_id']}: {sid} read at {host} without its host and a warning")
                    elif not warning:
                        problems.append(f"{j['claim_id']}: {sid} (tier {s['tier']}, no address) without a warning")
                if s["url"] and (s["tier"] < LOW_TIER or s["copy_url"]):
                    if not first or first["href"] != s["url"]:
                        problems.append(f"{j['claim_id']}: {sid}'s original {s['url']} is not its first link")
    assert not problems, "\n".join(problems[:15])


def test_each_edition_says_where_and_when_its_article_appeared(book, judged):
    for year in _years(book):
        doc = judged(year)
        card = _soup(book / "book" / "editions" / str(year) / "00_overview.html").select_one(".article-card")
        assert card is not None, f"the {year} overview has no card for its article"
        text = card.get_text()
        for sid in doc["articles"]:
            s = doc["sources"][sid]
            assert s["publisher"] in text and s["title"] in text, f"{year}: the article is not named: {text[:200]}"
            assert when(s["published"]) + "刊出" in text, f"{year}: no date of publication in {text[:300]}"
            assert (s["placement"] in text) if s["placement"] else "版面" in text, f"{year}: placement: {text[:300]}"
            if s["artefacts"]:
                assert typeset(s["artefacts"]) in text, f"{year}: the transcription artefacts are not given"
            assert "网址未记录" not in text


def test_navigation_names_each_edition_by_article_and_data_year(book, judged):
    nav = _soup(book / "book" / "index.html").select("nav.bd-docs-nav li.toctree-l1 > a")
    labels = {a["href"]: a.get_text(strip=True) for a in nav}
    for year in _years(book):
        title = edition_title(judged(year))
        assert labels.get(f"editions/{year}/00_overview.html") == title, (year, labels)
        assert f"{year}年数据" in title and "年版" not in title


def test_every_error_says_what_would_settle_it_and_whether_asked(book, judged):
    checked = 0
    for year in _years(book):
        doc = judged(year)
        for j in doc["claims"]:
            if j["verdict"] != "inconsistent":
                continue
            s = doc["sources"][j["source_id"]]
            settle = _card(book, year, j).select_one(".claim-settle")
            assert settle is not None, f"{j['claim_id']}: no 怎样能定案 on its card"
            text = settle.get_text()
            assert "怎样能定案" in text and j["figure"] in text, f"{j['claim_id']}: {text}"
            assert (s["asked"] or "尚未询问") in text, f"{j['claim_id']}: whether {s['publisher']} was asked: {text}"
            checked += 1
    assert checked, "no figure found wrong in any edition: nothing to check"


def test_every_page_links_the_repository_to_report_errors(book, book_root):
    """The footer and the about page link the repository's Issues; while its address is still the placeholder (a
    local build: the publishing workflow names the real one), they say so and link nothing."""
    repository = repository_of(book_root)
    about = _soup(book / "book" / "about.html").select_one("article.bd-article")
    if is_placeholder(repository):
        assert not [rel for rel in PAGES if "example.org" in (book / rel).read_text(encoding="utf-8")]
        missing = [rel for rel in PAGES
                   if "仓库地址尚未设置" not in " ".join(f.get_text() for f in _soup(book / rel).select("footer"))]
        assert not missing, f"pages whose footer does not say the address is not set: {missing[:5]}"
        assert "仓库地址尚未设置" in about.get_text()
    else:
        issues = issues_url(repository)
        missing = [rel for rel in PAGES if not _soup(book / rel).select_one(f'footer a[href="{issues}"]')]
        assert not missing, f"pages whose footer does not link {issues}: {missing[:5]}"
        assert about.select_one(f'a[href="{issues}"]'), "the about page does not link the repository's Issues"
    text = about.get_text()
    assert "谁做的" in text and "版权属于原刊发者" in text and "CC BY 4.0" in text
