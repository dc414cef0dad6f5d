"""The fact-check page of every edition embeds its verdicts as schema.org ClaimReview JSON-LD, which a
browser parses and which quotes the data as written."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from factcheck import claimreview
from factcheck.vocabulary import BEST, BY_CODE, REVIEWED, WORST

from .support import expected_pages

pytestmark = pytest.mark.browser
PAGES = [p for p in expected_pages() if p.endswith("_factcheck.html")]


def test_every_edition_has_a_fact_check_page():
    assert len(PAGES) >= 2, PAGES


@pytest.mark.parametrize("rel", PAGES)
def test_browser_parses_the_json_ld(visit, rel):
    v = visit(rel)
    assert len(v.jsonld) == 1, f"{rel}: {len(v.jsonld)} JSON-LD scripts"
    assert v.jsonld[0]["ok"], f"{rel}: JSON.parse fails: {v.jsonld[0]['error']}: {v.jsonld[0]['text']}"
    assert json.loads(v.jsonld[0]["text"])["@context"] == "https://schema.org"


@pytest.mark.parametrize("rel", PAGES)
def test_one_claim_review_per_claim(book, book_root, judged, rel):
    soup = BeautifulSoup((book / rel).read_text(encoding="utf-8"), "html.parser")
    scripts = soup.find_all("script", type="application/ld+json")
    assert len(scripts) == 1, f"{rel}: {len(scripts)} JSON-LD scripts"
    doc = json.loads(scripts[0].string)
    assert doc["@context"] == "https://schema.org"
    nodes = {n["@id"]: n for n in doc["@graph"] if "@id" in n}
    reviews = [n for n in doc["@graph"] if n["@type"] == "ClaimReview"]
    rows = {r["id"].removeprefix("claim-"): r["data-verdict"] for r in soup.select("table.claims tr[id^=claim-]")}
    judged_rows = {c: v for c, v in rows.items() if v in REVIEWED}
    assert len(reviews) == len(judged_rows) > 0, f"{rel}: {len(reviews)} reviews for {len(judged_rows)} judged claims"
    # the published address, or (no address known, as in a local build) the way from the page to the book's root
    prefix = "../" * (len(rel.split("/")) - 1) if claimreview.base_url() == claimreview.PUBLISHED_AT \
        else claimreview.base_url()
    assert {r["url"] for r in reviews} == {prefix + rel + f"#claim-{c}" for c in judged_rows}
    assert claimreview.PUBLISHED_AT not in scripts[0].string and "example.org" not in scripts[0].string
    assert all(r["datePublished"] for r in reviews), f"{rel}: a review without datePublished"
    year = int(rel.split("/")[2])
    assert len(rows) == judged(year)["counts"]["total"]

    claims = pd.read_csv(book_root / "data" / "claims.csv", dtype=str, keep_default_na=False).set_index("claim_id")
    sources = pd.read_csv(book_root / "data" / "sources.csv", dtype=str, keep_default_na=False).set_index("source_id")
    for r in reviews:
        cid = r["identifier"]
        claim, source = claims.loc[cid], sources.loc[claims.loc[cid, "source_id"]]
        assert r["claimReviewed"] == claim["quote"]
        item = r["itemReviewed"]
        assert item["@type"] == "Claim"
        assert item["author"]["name"] == source["publisher"]
        if source["published"]:
            assert item["datePublished"] == source["published"]
        article = nodes[item["appearance"]["@id"]]
        assert article["headline"] == source["title"]
        assert nodes[r["author"]["@id"]]["@type"] == "Organization"
        rating = r["reviewRating"]
        verdict = rows[cid]
        assert rating["alternateName"].startswith(BY_CODE[verdict].label)
        assert rating["ratingValue"] == BY_CODE[verdict].rating
        assert rating["worstRating"] == WORST and rating["bestRating"] == BEST
