"""Candidate explanations of inconsistent claims (factcheck.diagnose), one hand-made case per kind."""

from __future__ import annotations

import pytest

from factcheck.diagnose import COST, MAX_CANDIDATES, printed_edits

GROWTH = "(cur / prev - 1) * 100"


def kinds(j) -> list[str]:
    return [d["kind"] for d in j["diagnoses"]]


def rd_claims(intensity, periods="2022"):
    return [
        {"claim_id": "2022-rd", "indicator": "rd_expenditure", "value": "16.28", "quote": "研发经费支出达16.28亿元"},
        {"claim_id": "2022-intensity", "indicator": "rd_intensity", "value": intensity,
         "quote": f"占GDP比例达{intensity}%", "formula": "rd / gdp * 100",
         "bindings": f"rd=claim:2022-rd; gdp=gdp@江海区@{periods}"},
    ]


def gdp(value, period=2022, geography="江海区"):
    return {"indicator": "gdp", "geography": geography, "period": period, "value": value}


def growth_claims(count, growth):
    quote = f"增长{growth}%,达{count}件"
    return [
        {"claim_id": "2022-pct", "indicator": "patents", "value": count, "quote": quote},
        {"claim_id": "2022-growth", "indicator": "patents_growth", "value": growth, "quote": quote,
         "formula": GROWTH, "bindings": "cur=claim:2022-pct; prev=patents@江门高新区@2021"},
    ]


@pytest.fixture
def judged(make_package, judge, tmp_path):
    """``judged(claim_id, claims=..., inputs=...)``: build a package, judge one claim."""

    def _judged(claim_id, **kw):
        return judge(make_package(tmp_path, **kw), claim_id)

    return _judged


# ---- one case per kind --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def period_case(make_package, judge, tmp_path_factory):
    """The claim names 2022 only; a 2021 GDP is on file and gives 16.28 / 285.1 = 5.71 %."""
    root = make_package(tmp_path_factory.mktemp("period"), claims=rd_claims("5.71"),
                        inputs=[gdp("302.1"), gdp("285.1", 2021)])
    return judge(root, "2022-intensity")


def test_period_candidate_when_another_year_fits(period_case):
    j = period_case
    assert j["verdict"] == "inconsistent"
    assert "period" in kinds(j)
    d = next(d for d in j["diagnoses"] if d["kind"] == "period")
    assert d["year"] == 2021 and d["distance"] == 1
    assert "取2021年而不是2022年" in j["candidates"][j["diagnoses"].index(d)]


def test_no_period_candidate_when_the_other_year_also_fails(judged):
    j = judged("2022-intensity", claims=rd_claims("5.71"), inputs=[gdp("302.1"), gdp("250", 2021)])
    assert j["verdict"] == "inconsistent"
    assert "period" not in kinds(j)


def test_swap_candidate_for_growth_read_backwards(judged):
    # 28 after +135.71 % has no whole base, but 66 after 28 is +135.71 %: the two periods are swapped
    j = judged("2022-growth", claims=growth_claims("28", "135.71"))
    assert j["verdict"] == "inconsistent"
    assert "swap" in kinds(j)
    d = next(d for d in j["diagnoses"] if d["kind"] == "swap")
    assert 66 in d["implied"]["wholes"]
    assert "66件" in j["candidates"][j["diagnoses"].index(d)]


def test_base_candidate_for_growth_confused_with_ratio(judged):
    # 33 over 14 is +135.71 %, i.e. 235.71 % of the base: 增长到 written as 增长了
    j = judged("2022-growth", claims=growth_claims("33", "235.71"),
               inputs=[{"indicator": "patents", "period": 2021, "value": "14"}])
    assert j["verdict"] == "inconsistent"
    assert "base" in kinds(j)
    d = next(d for d in j["diagnoses"] if d["kind"] == "base")
    assert d["value"] == "135.71" and "实为135.71%" in j["candidates"][j["diagnoses"].index(d)]


def test_enumeration_candidate_for_short_list(judged):
    items = "甲、乙、丙、丁、戊、己、庚、辛、壬"
    j = judged("2022-areas", claims=[
        {"claim_id": "2022-areas", "indicator": "areas", "value": "10", "quote": f"涵盖{items}共10个领域",
         "formula": "n", "bindings": f"n=items:{items}"}])
    assert j["verdict"] == "inconsistent"
    assert "enumeration" in kinds(j)
    d = next(d for d in j["diagnoses"] if d["kind"] == "enumeration")
    text = j["candidates"][j["diagnoses"].index(d)]
    assert "只列出9项" in text and "少1项" in text


def test_misprint_candidate_for_swapped_digits(judged):
    # 16.28 / 302.1 = 5.389: the printed 5.93 is one keystroke (two digits swapped) from 5.39
    j = judged("2022-intensity", claims=rd_claims("5.93"), inputs=[gdp("302.1")])
    assert j["verdict"] == "inconsistent"
    assert "misprint" in kinds(j)
    d = next(d for d in j["diagnoses"] if d["kind"] == "misprint")
    assert "5.39" in d["candidates"] and "“5.93”是误植" in j["candidates"][j["diagnoses"].index(d)]


def test_total_candidate_for_another_geography(judged):
    quote = "有效发明专利1251件,占全市总量的21.74%"
    j = judged("2022-share", claims=[
        {"claim_id": "2022-valid", "indicator": "patents", "value": "1251", "quote": quote},
        {"claim_id": "2022-share", "indicator": "share", "value": "21.74", "quote": quote,
         "formula": "zone / city * 100", "bindings": "zone=claim:2022-valid; city=patents@江门市@2022"},
    ], inputs=[{"indicator": "patents", "geography": "江门市", "value": "10000"},
               {"indicator": "patents", "geography": "江门市区", "value": "5755"}])
    assert j["verdict"] == "inconsistent"
    assert "total" in kinds(j)
    d = next(d for d in j["diagnoses"] if d["kind"] == "total")
    assert d["geography"] == "江门市区"


# ---- shape and order of the candidates ------------------------------------------------------------------


def test_candidates_are_ranked_by_cost_and_do_not_change_the_verdict(period_case):
    # both a period candidate (cost 1) and misprint candidates (cost 3) exist here
    j = period_case
    assert j["verdict"] == "inconsistent"
    assert 1 <= len(j["diagnoses"]) <= MAX_CANDIDATES
    assert [d["rank"] for d in j["diagnoses"]] == list(range(1, len(j["diagnoses"]) + 1))
    costs = [COST[d["kind"]] for d in j["diagnoses"]]
    assert costs == sorted(costs)
    assert j["diagnoses"][0]["kind"] == "period"
    assert len(j["candidates"]) == len(j["diagnoses"])
    for d in j["diagnoses"]:
        assert {"kind", "distance", "rank"} <= set(d)


def test_claims_that_pass_get_no_diagnoses(judged):
    j = judged("2022-intensity", claims=rd_claims("5.39"), inputs=[gdp("302.1")])
    assert j["verdict"] == "consistent"
    assert j["diagnoses"] == []


# ---- printed_edits --------------------------------------------------------------------------------------


def test_printed_edits_of_a_decimal():
    edits = printed_edits("5.71")
    assert "5.17" in edits  # two digits swapped
    assert "5.7" in edits and "5.1" in edits  # a digit dropped
    assert "5.72" in edits and "6.71" in edits  # a digit changed
    assert "5.713" in edits and "15.71" in edits  # a digit added
    assert "57.1" in edits  # the decimal point moved
    assert "571" in edits  # the decimal point dropped
    assert "5.71" not in edits


def test_printed_edits_are_valid_positive_numbers_sorted_by_distance():
    edits = printed_edits("135.71")
    assert all(float(e) > 0 for e in edits)
    assert all(not e.startswith(".") and not e.endswith(".") and e.count(".") <= 1 for e in edits)
    assert not any(len(e) > 1 and e[0] == "0" and e[1] != "." for e in edits)
    distances = [abs(float(e) - 135.71) for e in edits]
    assert distances == sorted(distances)
    assert float(edits[0]) != 135.71
    assert len(edits) == len(set(edits))


def test_printed_edits_of_a_whole_number():
    edits = printed_edits("10")
    assert "1" in edits and "100" in edits and "1.0" in edits and "11" in edits
    assert "0" not in edits  # not positive
    assert "01" not in edits  # leading zero
    assert "10" not in edits


def test_printed_edits_of_a_single_digit():
    edits = printed_edits("9")
    assert "8" in edits and "19" in edits and "90" in edits
    assert "" not in edits and "0" not in edits


# ---- which printed figure is wrong ------------------------------------------------------------------------


def per_10k_pair(later: bool = True, later_count: str = "590", later_rate: str = "15.5"):
    """52 high-value patents at 15.53 per 10,000 residents, with a population of 36.47万: 52 ÷ 36.47 = 1.43.
    ``later``: another paper prints next year's figures of both (590 at 15.5)."""
    quote = "高价值发明专利拥有量为52件,每万人口15.53件"
    claims = [
        {"claim_id": "2022-hv", "indicator": "patents", "value": "52", "quote": quote},
        {"claim_id": "2022-per10k", "indicator": "per10k", "value": "15.53", "quote": quote,
         "formula": "hv / pop", "bindings": "hv=claim:2022-hv; pop=population@江海区@2022"}]
    inputs = [{"indicator": "population", "geography": "江海区", "value": "36.47"}]
    if later:
        inputs += [{"indicator": "patents", "period": 2023, "value": later_count, "source_id": "other"},
                   {"indicator": "per10k", "period": 2023, "value": later_rate, "source_id": "other"}]
    return dict(claims=claims, inputs=inputs)


def test_the_figure_out_of_line_with_its_series_is_named_and_carries_the_error(make_package, judge, tmp_path):
    root = make_package(tmp_path, **per_10k_pair())
    wrong, checked = judge(root, "2022-hv"), judge(root, "2022-per10k")
    assert wrong["verdict"] == "inconsistent" and wrong["culprit"]["confidence"] == "likely"
    assert wrong["culprit"]["claim_id"] == "2022-hv"
    assert wrong["why"].startswith("52件与文章的") and "很可能错的是52件" in wrong["why"]
    assert "590件" in wrong["why"] and "不到它的十分之一" in wrong["why"] and "相差不到1%" in wrong["why"]
    assert any("3.35万人" in s for s in wrong["steps"])
    assert checked["verdict"] == "unverifiable" and "很可能错的是52件" in checked["why"]
    assert [s["claim_id"] for s in checked["culprit"]["suspects"]] == ["2022-hv", "2022-per10k"]


def test_without_a_series_the_diagnosis_cannot_tell(make_package, judge, tmp_path):
    root = make_package(tmp_path, **per_10k_pair(later=False))
    checked, other = judge(root, "2022-per10k"), judge(root, "2022-hv")
    assert checked["verdict"] == "inconsistent" and checked["culprit"]["confidence"] == "unknown"
    assert "至少有一个有误，无法判断错的是15.53件/万人还是52件" in checked["why"]
    assert other["verdict"] == "stated"


def test_when_both_figures_fit_their_series_the_diagnosis_cannot_tell(make_package, judge, tmp_path):
    root = make_package(tmp_path, **per_10k_pair(later_count="55", later_rate="15.4"))
    checked = judge(root, "2022-per10k")
    assert checked["verdict"] == "inconsistent" and checked["culprit"]["confidence"] == "unknown"


def test_one_figure_out_of_line_and_the_other_without_a_series_is_only_possible(make_package, judge, tmp_path):
    pair = per_10k_pair()
    pair["inputs"] = pair["inputs"][:2]  # next year's count only
    checked = judge(make_package(tmp_path, **pair), "2022-per10k")
    assert checked["culprit"]["confidence"] == "possible" and checked["culprit"]["claim_id"] == "2022-hv"
    assert checked["verdict"] == "inconsistent" and "可能错的是52件" in checked["why"]
