"""The 2022 edition on the project's real data package (data/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from factcheck.data import load
from factcheck.engine import VERDICTS, judge_year

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
STORED_ARTICLE = DATA / "articles" / "jmrb-2023-hightech-zone.txt"
SHARED_ARTICLE = REPO.parent / "shared" / "article" / "000_3800832b8f9bafde.txt"


@pytest.fixture(scope="module")
def dataset():
    return load(DATA)


@pytest.fixture(scope="module")
def verdicts_2022(dataset):
    return {j.claim_id: j for j in judge_year(dataset, 2022)}


def test_2022_is_an_edition(dataset):
    assert 2022 in dataset.years


def test_every_2022_claim_is_judged_with_a_known_verdict(dataset, verdicts_2022):
    ids = list(dataset.claims_for(2022)["claim_id"])
    assert sorted(verdicts_2022) == sorted(ids)
    unknown = {cid: j.verdict for cid, j in verdicts_2022.items() if j.verdict not in VERDICTS}
    assert not unknown
    assert all(j.explanation for j in verdicts_2022.values())


@pytest.mark.parametrize("claim_id", ["2022-pct-growth", "2022-hv-per10k", "2022-plan-areas"])
def test_known_errors_are_inconsistent_with_a_diagnosis(verdicts_2022, claim_id):
    j = verdicts_2022[claim_id]
    assert j.verdict == "inconsistent", j.explanation
    assert len(j.diagnoses) >= 1


def test_plan_areas_diagnosis_is_the_short_enumeration(verdicts_2022):
    assert "enumeration" in [d["kind"] for d in verdicts_2022["2022-plan-areas"].diagnoses]


def test_hv_multiple_is_reproduced(verdicts_2022):
    j = verdicts_2022["2022-hv-multiple"]
    assert j.verdict == "reproduced", j.explanation
    assert "9.4" in j.explanation  # the national 2022 figure, from an independent source


def test_patents_growth_is_consistent(verdicts_2022):
    j = verdicts_2022["2022-patents-growth"]
    assert j.verdict == "consistent", j.explanation
    assert "3050" in j.explanation


def quotes_2022(dataset):
    return sorted(set(dataset.claims_for(2022)["quote"]))


def test_every_2022_quote_is_in_the_stored_article(dataset):
    text = STORED_ARTICLE.read_text(encoding="utf-8")
    missing = [q for q in quotes_2022(dataset) if q not in text]
    assert not missing


@pytest.mark.skipif(not SHARED_ARTICLE.is_file(), reason=f"{SHARED_ARTICLE} is not present")
def test_every_2022_quote_is_in_the_shared_original_article(dataset):
    text = SHARED_ARTICLE.read_text(encoding="utf-8")
    missing = [q for q in quotes_2022(dataset) if q not in text]
    assert not missing
