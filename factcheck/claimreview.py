"""Machine-readable verdicts: one schema.org ``ClaimReview`` per checked figure, as JSON-LD.

The fact-check page of each edition embeds :func:`jsonld_html`: a ``<script type="application/ld+json">``
holding one ``@graph`` with the reviewer (this book), each checked article once, and one ClaimReview per
claim. Each review

* quotes the claim verbatim (``claimReviewed``) and points at its row of the table (``url`` ``#claim-<id>``);
* names who made the claim: ``itemReviewed`` is a ``Claim`` whose ``author`` is the publisher of the
  article the figure comes from, with the article's ``datePublished`` and, as ``appearance``, a reference
  (``@id``) to the article's node (headline, publisher, date, address when known);
* rates it: ``reviewRating.alternateName`` is the verdict's Chinese label, ``ratingValue`` follows
  :data:`RATING` on a 1–5 scale (``bestRating`` 5, ``worstRating`` 1).

The output depends only on the data package, so notebooks that embed it stay deterministic.
"""

from __future__ import annotations

import json
import math

from .edition import Edition
from .engine import VERDICT_ZH, Judgement

REVIEWER = "江门高新区数字核查项目"
"""Who reviews: the book's author (``_config.yml``)."""
REVIEWER_ID = "#reviewer"

RATING = {
    "reproduced": 5,  # recomputed from independent inputs, equal at the printed precision
    "consistent": 4,  # agrees with the article's other figures, not independently recomputed
    "stated": 3,  # a base figure: nothing to recompute, neither supported nor contradicted
    "target": 3,  # a plan target: compared with actuals, not true or false
    "unverifiable": 3,  # a needed input is unpublished: neither supported nor contradicted
    "inconsistent": 1,  # contradicted by the recomputation, another figure or a source
}
"""How strongly checking supports the figure, 1 (contradicted) to 5 (independently reproduced).

2 is unused: the book has no "partly contradicted" verdict. Read ``alternateName`` for the verdict itself.
"""
BEST, WORST = 5, 1


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _source_id(source_id: str) -> str:
    return f"#source-{source_id}"


def _article(edition: Edition, source_id: str) -> dict:
    """The article a claim appeared in, as a node the reviews point to (``appearance``)."""
    source = edition.ds.sources.loc[source_id]
    node = {"@type": "CreativeWork", "@id": _source_id(source_id), "headline": _text(source["title"]),
            "publisher": {"@type": "Organization", "name": _text(source["publisher"])}}
    if _text(source.get("published")):
        node["datePublished"] = _text(source["published"])
    if _text(source.get("url")):
        node["url"] = _text(source["url"])
    return node


def claim_review(edition: Edition, j: Judgement) -> dict:
    """The ClaimReview of one judged claim (``author`` and ``appearance`` point to nodes of the graph)."""
    source_id = edition.ds.claims.set_index("claim_id").loc[j.claim_id, "source_id"]
    source = edition.ds.sources.loc[source_id]
    claim = {"@type": "Claim", "author": {"@type": "Organization", "name": _text(source["publisher"])},
             "appearance": {"@id": _source_id(source_id)}}
    if _text(source.get("published")):
        claim["datePublished"] = _text(source["published"])
    return {
        "@type": "ClaimReview",
        "url": f"#claim-{j.claim_id}",
        "identifier": j.claim_id,
        "claimReviewed": j.quote,
        "author": {"@id": REVIEWER_ID},
        "inLanguage": "zh-CN",
        "itemReviewed": claim,
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": RATING[j.verdict],
            "bestRating": BEST,
            "worstRating": WORST,
            "alternateName": VERDICT_ZH[j.verdict],
            "ratingExplanation": j.explanation,
        },
    }


def claim_reviews(edition: Edition) -> list[dict]:
    """One ClaimReview per claim of the edition, in the order of the fact-check table."""
    return [claim_review(edition, j) for j in edition.judgements]


def graph(edition: Edition) -> dict:
    """The JSON-LD document: the reviewer, each article once, then one ClaimReview per claim."""
    claims = edition.ds.claims.set_index("claim_id")
    sources = list(dict.fromkeys(claims.loc[j.claim_id, "source_id"] for j in edition.judgements))
    return {
        "@context": "https://schema.org",
        "@graph": [{"@type": "Organization", "@id": REVIEWER_ID, "name": REVIEWER},
                   *(_article(edition, s) for s in sources),
                   *claim_reviews(edition)],
    }


def jsonld_html(edition: Edition) -> str:
    """The graph as one JSON-LD script element (``</`` escaped so no text can close the element)."""
    payload = json.dumps(graph(edition), ensure_ascii=False, separators=(",", ":"))
    payload = payload.replace("</", "<\\/")
    return f'<script type="application/ld+json" id="claimreview-{edition.year}">{payload}</script>'


def jsonld(edition: Edition):
    """For a notebook cell: ``display(claimreview.jsonld(edition))`` (renders nothing visible)."""
    from IPython.display import HTML

    return HTML(jsonld_html(edition))

