"""The editions on the project's real data package (data/): the known verdicts, and the data's own rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from factcheck import wording
from factcheck.judged import edition, judge_all
from factcheck.register import unaccounted
from factcheck.schema import descriptor
from factcheck.validate import validate
from factcheck.vocabulary import CODES, SUPPORT

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
SHARED_ARTICLE = REPO.parent / "shared" / "article" / "000_3800832b8f9bafde.txt"


@pytest.fixture(scope="module")
def dataset():
    return validate(DATA)


@pytest.fixture(scope="module")
def editions(dataset):
    judge = judge_all(dataset)
    return {year: edition(dataset, judge, year) for year in dataset.years}


@pytest.fixture(scope="module")
def v2022(editions):
    return {j["claim_id"]: j for j in editions[2022]["claims"]}


def test_the_descriptor_is_the_one_the_code_expects():
    assert json.loads((DATA / "datapackage.json").read_text(encoding="utf-8")) == descriptor()


def test_every_statistic_is_judged_with_a_known_verdict(dataset, editions):
    for year, doc in editions.items():
        ids = [c.claim_id for c in dataset.claims_for(year) if c.statistic]
        assert [j["claim_id"] for j in doc["claims"]] == ids
        assert all(j["verdict"] in CODES and j["why"] for j in doc["claims"])


@pytest.mark.parametrize("claim_id", ["2022-pct-growth", "2022-hv-patents", "2022-plan-areas"])
def test_the_known_errors_are_inconsistent_with_candidate_explanations(v2022, claim_id):
    j = v2022[claim_id]
    assert j["verdict"] == "inconsistent", j["why"]
    assert j["candidates"] and j["candidates"][0] != "未找到能让这个数字成立的常见读法。"


def test_the_error_of_52_and_15_53_is_named_as_52(editions, v2022):
    """The 2023 article prints 590 high-value patents at 15.5 per 10,000: 52 is the figure out of line."""
    wrong, checked = v2022["2022-hv-patents"], v2022["2022-hv-per10k"]
    assert wrong["verdict"] == "inconsistent" and wrong["culprit"]["confidence"] == "likely"
    assert wrong["why"].startswith("52件与文章的") and "很可能错的是52件" in wrong["why"]
    assert "590件" in wrong["why"] and "15.5件/万人" in wrong["why"]
    assert any("3.35万人" in s for s in wrong["steps"])
    assert checked["verdict"] == "unverifiable" and "很可能错的是52件" in checked["why"]
    assert editions[2022]["counts"]["inconsistent"] == 3


def test_the_multiple_of_a_figure_it_cannot_judge_is_unverifiable(v2022):
    j = v2022["2022-hv-multiple"]
    assert j["verdict"] == "unverifiable" and "15.53" in j["why"] and "本身无法核实" in j["why"]


def test_the_rd_intensity_agrees_only_as_a_2021_figure(v2022):
    j = v2022["2022-rd-intensity"]
    assert j["verdict"] == "consistent" and j["condition"]["year"] == 2021
    assert "只有当它指2021年" in j["why"] and "才算得通" in j["why"] and "预计数" in j["why"]


def test_the_patents_growth_implies_a_whole_base(v2022):
    j = v2022["2022-patents-growth"]
    assert j["verdict"] == "internal" and "3050件" in j["why"]


def test_no_statistic_is_corroborated_by_its_own_article(editions):
    for doc in editions.values():
        for j in doc["claims"]:
            assert all(c["source_id"] != j["source_id"] for c in j["corroboration"])
            assert "本文另一处" not in j["why"]


def test_names_ordinals_awards_and_dates_are_in_the_register_only(editions):
    register = {r["claim_id"]: r["kind"] for r in editions[2022]["register"]}
    for cid in ("2022-fyp", "2022-party-congress", "2022-committee", "2022-science-base", "2022-thirty-standing",
                "2022-clusters", "2022-founded"):
        assert cid in register
    assert editions[2022]["counts"]["total"] == len(editions[2022]["claims"])


def test_not_found_is_never_written_as_unpublished(editions):
    for doc in editions.values():
        for j in doc["claims"]:
            for text in [j["why"], *j["steps"], *j["candidates"]]:
                assert "未公布" not in text or "说明未公布" in text, text


def test_every_input_not_found_has_a_search_record(editions):
    missing = sorted({(s["what"]) for doc in editions.values() for j in doc["claims"] for s in j["searched"]
                      if not s.get("searched")})
    assert not missing, "record these searches in data/searches.csv: " + "; ".join(missing)


def test_every_sentence_is_fit_for_readers(editions):
    for doc in editions.values():
        for j in doc["claims"]:
            for text in [j["label"], j["why"]]:
                assert wording.clean(text) is None, (j["claim_id"], wording.clean(text))
            for text in [*j["steps"], *j["candidates"]]:
                assert wording.clean(text, arithmetic=True) is None, (j["claim_id"], wording.clean(text))


def test_every_number_of_every_article_is_accounted_for(dataset):
    for source_id in dataset.articles:
        assert unaccounted(dataset, source_id) == []


def test_every_2022_quote_is_in_the_stored_article(dataset):
    text = dataset.articles["jmrb-2023"]
    assert all(c.quote in text for c in dataset.claims_for(2022))


@pytest.mark.skipif(not SHARED_ARTICLE.is_file(), reason=f"{SHARED_ARTICLE} is not present")
def test_the_stored_article_is_the_shared_original(dataset):
    assert dataset.articles["jmrb-2023"] == SHARED_ARTICLE.read_text(encoding="utf-8")


def test_ranking_rows_use_the_evaluation_year(dataset):
    ranks = {f.period: f for f in dataset.inputs if f.indicator == "evaluation_rank"}
    assert all("年度评价" in f.period_note or "评价年度" in f.period_note for f in ranks.values())
    assert ranks[2015].value == 77 and ranks[2014].value == 80  # published in 2016: the 2015 evaluation


def test_the_cross_year_chapter_says_what_the_two_multiples_imply_for_the_city():
    from factcheck import crossyear

    text = crossyear.changes(crossyear.editions(_judged_dir()))
    assert "在2.54%到2.66%之间" in text and "在2.29%到2.44%之间" in text


def _judged_dir():
    import tempfile

    from factcheck.judged import write_all

    out = Path(tempfile.mkdtemp(prefix="judged-"))
    write_all(validate(DATA), out)
    return out


def test_without_the_outside_total_the_provincial_incubators_are_no_support(tmp_path):
    """With the incubator total of 羊城晚报 removed from inputs.csv, 3 provincial next to 4 national only
    restates a sum any whole number would fit: it must not read as support."""
    import shutil

    data = shutil.copytree(DATA, tmp_path / "data")
    rows = (data / "inputs.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [r for r in rows if not r.startswith("incubators_nat_prov,")]
    assert len(kept) == len(rows) - 1
    (data / "inputs.csv").write_text("".join(kept), encoding="utf-8")
    ds = validate(data)
    doc = edition(ds, judge_all(ds), 2022)
    j = next(j for j in doc["claims"] if j["claim_id"] == "2022-prov-incubators")
    assert j["verdict"] not in SUPPORT, j["why"]
    assert j["verdict"] == "unverifiable" and "不可能不通过" in j["why"] and "应为7家，是可能的整数" not in j["why"]


def test_the_new_scale_on_the_2022_edition(v2022):
    """The verdicts a reader sees for the figures the issue named."""
    expect = {"2022-zones": "reproduced", "2022-prov-incubators": "consistent", "2022-rank": "consistent",
              "2022-top50-gap": "internal", "2022-strategic-three": "internal", "2022-recruitment-levels": "internal",
              "2022-talent-share": "unverifiable", "2022-rd-multiple": "unverifiable", "2022-rd-spend": "stated",
              "2022-target-hte": "target", "2022-hv-patents": "inconsistent"}
    assert {cid: v2022[cid]["verdict"] for cid in expect} == expect


METHODS = REPO / "book" / "methods.md"


def test_the_methods_page_gives_each_verdict_a_true_example_from_2022(v2022):
    """Each row of the verdict table names a verdict by its label and quotes a 2022 figure (in bold) whose
    verdict it is: the page cannot drift from the data."""
    import re

    from factcheck.vocabulary import BY_CODE

    by_label = {v.label: v.code for v in BY_CODE.values()}
    text = METHODS.read_text(encoding="utf-8")
    table = text[text.index("## 结论的含义"):text.index("## 九条规则")]
    rows = [r.split("|")[1:-1] for r in table.splitlines() if r.startswith("| ") and not r.startswith("| 结论")]
    assert [r[0].strip() for r in rows] == [v.label for v in BY_CODE.values()]
    for label, _, example in ([c.strip() for c in r] for r in rows):
        quoted = re.search(r"“(.+?)”", example).group(1).replace("‘", "“").replace("’", "”")
        figure = re.search(r"\*\*(.+?)\*\*", quoted).group(1)
        plain = quoted.replace("**", "")
        found = [j for j in v2022.values() if plain in j["quote"] and j["figure"] == figure]
        assert len(found) == 1, f"{label}: no single 2022 figure {figure} quoted “{plain}”"
        assert found[0]["verdict"] == by_label[label], f"{label}: “{plain}” is {found[0]['verdict']}"
