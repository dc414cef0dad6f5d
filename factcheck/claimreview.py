"""Machine-readable verdicts: one schema.org ``ClaimReview`` per checked statistic, as JSON-LD.

The fact-check page of each edition embeds :func:`jsonld`: a ``<script type="application/ld+json">``
holding one ``@graph`` with the reviewer (this book), each checked article once, and one ClaimReview per
statistic (names, ordinals, awards and dates are not reviewed). Each review quotes the claim verbatim,
points at its row (``#claim-<id>``), names who made it (the article's publisher, with the article as its
``appearance``) and rates it: ``alternateName`` is the plain verdict, ``ratingValue`` the verdict's
rating in :mod:`factcheck.vocabulary` (1 contradicted … 5 independently reproduced).

The JSON is escaped for a ``<script>`` element (:func:`factcheck.present.json_for_script`): no text
from data can close it or open a comment.
"""

from __future__ import annotations

from .edition import Edition
from .present import Html, json_for_script, safe_url
from .vocabulary import BEST, BY_CODE, WORST

REVIEWER = "江门高新区数字核查项目"
REVIEWER_ID = "#reviewer"


def _article(edition: Edition, source_id: str) -> dict:
    s = edition.sources[source_id]
    node = {"@type": "CreativeWork", "@id": f"#source-{source_id}", "headline": s["title"],
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
             "appearance": {"@id": f"#source-{j['source_id']}"}}
    if s["published"]:
        claim["datePublished"] = s["published"]
    return {
        "@type": "ClaimReview",
        "url": f"#claim-{j['claim_id']}",
        "identifier": j["claim_id"],
        "claimReviewed": j["quote"],
        "author": {"@id": REVIEWER_ID},
        "inLanguage": "zh-CN",
        "itemReviewed": claim,
        "reviewRating": {"@type": "Rating", "ratingValue": BY_CODE[j["verdict"]].rating, "bestRating": BEST,
                         "worstRating": WORST, "alternateName": j["label"], "ratingExplanation": j["why"]},
    }


def graph(edition: Edition) -> dict:
    return {
        "@context": "https://schema.org",
        "@graph": [{"@type": "Organization", "@id": REVIEWER_ID, "name": REVIEWER},
                   *(_article(edition, s) for s in edition.doc["articles"]),
                   *(claim_review(edition, j) for j in edition.claims)],
    }


def jsonld(edition: Edition) -> Html:
    """For a notebook cell: ``display(claimreview.jsonld(edition))`` (renders nothing visible)."""
    return Html(f'<script type="application/ld+json" id="claimreview-{edition.year}">'
                f"{json_for_script(graph(edition))}</script>")
