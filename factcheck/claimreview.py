"""Machine-readable verdicts: one schema.org ``ClaimReview`` per judged statistic, as JSON-LD.

The fact-check page of each edition embeds :func:`jsonld`: a ``<script type="application/ld+json">``
holding one ``@graph`` with the reviewer (this book), each checked article once, and one ClaimReview per
judged statistic: only the verdicts :data:`factcheck.vocabulary.REVIEWED` lists (a base figure with
nothing to recompute, or a plan, is not rated; names, ordinals, awards and dates are not reviewed). Each
review quotes the claim verbatim, points at its row by an absolute address (the book's address from
``_config.yml``'s ``html.baseurl``, else :data:`PUBLISHED_AT`, made the published address when the book is
built), is dated by the day its figures were
taken, names who made the claim (the article's publisher, with the article as its ``appearance``) and
rates it: ``alternateName`` is the card's label, ``ratingValue`` the verdict's rating in
:mod:`factcheck.vocabulary` (1 contradicted … 5 confirmed by independent data).

The JSON is escaped for a ``<script>`` element (:func:`factcheck.present.json_for_script`): no text
from data can close it or open a comment.
"""

from __future__ import annotations

import functools
from pathlib import Path

from . import chapters
from .edition import Edition
from .present import Html, json_for_script, safe_url
from .vocabulary import BEST, BY_CODE, REVIEWED, WORST

REVIEWER = "江门高新区数字核查项目"
CONFIG = Path(__file__).resolve().parent.parent / "_config.yml"
PUBLISHED_AT = "https://jiangmen-factcheck.invalid/"
"""Stands for the book's address when ``_config.yml`` gives no ``html.baseurl``: a reserved name that never
resolves, which the publishing step (:mod:`factcheck.publish.sphinxext`) replaces in the built pages by the
address the book is published at (its repository's GitHub Pages address), or by a link relative to the page."""


@functools.cache
def base_url(config: Path = CONFIG) -> str:
    """The book's address, ending in ``/``: ``html.baseurl`` of ``_config.yml``, else :data:`PUBLISHED_AT`."""
    import yaml

    from .load import note_read

    url = ""
    if config.is_file():
        note_read(config)
        doc = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
        url = str(((doc.get("html") or {}) if isinstance(doc, dict) else {}).get("baseurl") or "")
    url = safe_url(url) or PUBLISHED_AT
    return url if url.endswith("/") else url + "/"


def page_url(edition: Edition) -> str:
    """The absolute address of an edition's fact-check page."""
    return f"{base_url()}book/editions/{edition.year}/{chapters.factcheck_page()}.html"


def review_url(edition: Edition, claim_id: str) -> str:
    """The absolute address of a claim's row on its edition's fact-check page."""
    return f"{page_url(edition)}#claim-{claim_id}"


def reviewer_id() -> str:
    return f"{base_url()}#reviewer"


def reviewed(edition: Edition) -> list[dict]:
    """The judged statistics a ClaimReview is published for (not base figures or plans)."""
    return [j for j in edition.claims if j["verdict"] in REVIEWED]


def checked_on(edition: Edition, j: dict) -> str:
    """The day the claim's figures were last taken (the latest access date of the sources it cites)."""
    return max((edition.sources[s]["accessed"] for s in j["sources"] if edition.sources[s]["accessed"]), default="")


def _article(edition: Edition, source_id: str) -> dict:
    s = edition.sources[source_id]
    node = {"@type": "CreativeWork", "@id": f"{page_url(edition)}#source-{source_id}", "headline": s["title"],
            "publisher": {"@type": "Organization", "name": s["publisher"]}}
    if s["published"]:
        node["datePublished"] = s["published"]
    url = safe_url(s["url"]) or safe_url(s["copy_url"])
    if url:
        node["url"] = url
    return node


def claim_review(edition: Edition, j: dict) -> dict:
    s = edition.sources[j["source_id"]]
    claim = {"@type": "Claim", "author": {"@type": "Organization", "name": s["publisher"]},
             "appearance": {"@id": f"{page_url(edition)}#source-{j['source_id']}"}}
    if s["published"]:
        claim["datePublished"] = s["published"]
    review = {
        "@type": "ClaimReview",
        "url": review_url(edition, j["claim_id"]),
        "identifier": j["claim_id"],
        "claimReviewed": j["quote"],
        "author": {"@id": reviewer_id()},
        "inLanguage": "zh-CN",
        "itemReviewed": claim,
        "reviewRating": {"@type": "Rating", "ratingValue": BY_CODE[j["verdict"]].rating, "bestRating": BEST,
                         "worstRating": WORST, "alternateName": j["label"], "ratingExplanation": j["why"]},
    }
    if checked_on(edition, j):
        review["datePublished"] = checked_on(edition, j)
    return review


def graph(edition: Edition) -> dict:
    return {
        "@context": "https://schema.org",
        "@graph": [{"@type": "Organization", "@id": reviewer_id(), "name": REVIEWER, "url": base_url()},
                   *(_article(edition, s) for s in edition.doc["articles"]),
                   *(claim_review(edition, j) for j in reviewed(edition))],
    }


def jsonld(edition: Edition) -> Html:
    """For a notebook cell: ``display(claimreview.jsonld(edition))`` (renders nothing visible)."""
    return Html(f'<script type="application/ld+json" id="claimreview-{edition.year}">'
                f"{json_for_script(graph(edition))}</script>")
