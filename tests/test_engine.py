"""Verdicts of factcheck.engine on hand-made packages whose right answers are known.

Each test builds a tiny package with the ``make_package`` fixture (see conftest.py) and judges it as the
judged stage does: ``judge(root, claim_id)`` is the claim as the judged file holds it. The rules of the
evidence (only statistics are judged, the article never corroborates itself, a verdict is no stronger
than its weakest input, targets are judged at their due date, not found is not unpublished) each have a
test that fails without them.
"""

from __future__ import annotations

import pytest

from factcheck.engine import Judge, judge_year
from factcheck.errors import InputError
from factcheck.vocabulary import CODES

GROWTH = "(cur / prev - 1) * 100"


def rd_spend(value="16.28", **kw):
    """An article's R&D spending (亿元), the numerator of the ratio claims below."""
    return {"claim_id": "2022-rd", "indicator": "rd_expenditure", "value": value,
            "quote": f"全社会研发经费支出达{value}亿元", **kw}


def rd_intensity(value, bindings="rd=claim:2022-rd; gdp=gdp@江海区@2022", **kw):
    return {"claim_id": "2022-intensity", "indicator": "rd_intensity", "value": value,
            "quote": f"占GDP比例达{value}%", "formula": "rd / gdp * 100", "bindings": bindings, **kw}


def gdp(value, period=2022, **kw):
    return {"indicator": "gdp", "geography": "江海区", "period": period, "value": value, **kw}


def count_and_growth(count, growth, cid="2022-pct"):
    """A count and its growth rate printed in one sentence; the previous count is not found."""
    quote = f"PCT国际专利申请量大幅增长{growth}%,达{count}件"
    return [
        {"claim_id": cid, "indicator": "patents", "value": count, "quote": quote},
        {"claim_id": f"{cid}-growth", "indicator": "patents_growth", "value": growth, "quote": quote,
         "formula": GROWTH, "bindings": f"cur=claim:{cid}; prev=patents@江门高新区@2021"},
    ]


# ---- reproduced needs every input independent ----------------------------------------------------------


def test_ratio_of_independent_inputs_is_reproduced(make_package, judge, tmp_path):
    root = make_package(tmp_path, claims=[
        {"claim_id": "2022-i", "indicator": "rd_intensity", "value": "5.39", "quote": "占GDP比例达5.39%",
         "formula": "rd / gdp * 100", "bindings": "rd=rd_expenditure@江门高新区@2022; gdp=gdp@江海区@2022"}],
        inputs=[gdp("302.1"), {"indicator": "rd_expenditure", "value": "16.28", "source_id": "other"}])
    j = judge(root, "2022-i")
    assert j["verdict"] == "reproduced" and j["label"] == "独立数据相符"
    assert j["vacuous"] is None  # 5.38 or 5.40 would have been judged wrong: the check could have failed
    assert "16.28 ÷ 302.1 × 100 = 5.389" in " ".join(j["steps"])
    assert "统计局" in " ".join(j["steps"]) and "另一家报纸" in " ".join(j["steps"])


def test_ratio_using_the_articles_own_figure_is_only_consistent(make_package, judge, tmp_path):
    root = make_package(tmp_path, claims=[rd_spend(), rd_intensity("5.39")], inputs=[gdp("302.1")])
    j = judge(root, "2022-intensity")
    assert j["verdict"] == "consistent" and j["label"] == "相符但非独立"
    assert "文章自己的" in j["why"] and "不是独立来源" in j["why"]


def test_a_source_of_the_same_origin_is_not_independent(make_package, judge, tmp_path):
    zone_report = {"source_id": "zone", "publisher": "区政府", "origin": "测试区", "title": "工作报告", "tier": "1",
                   "covers": "c", "accessed": "2026-11-25"}
    root = make_package(tmp_path, sources=[zone_report], claims=[
        {"claim_id": "2022-i", "indicator": "rd_intensity", "value": "5.39", "quote": "占GDP比例达5.39%",
         "formula": "rd / gdp * 100", "bindings": "rd=rd_expenditure@江门高新区@2022; gdp=gdp@江海区@2022"}],
        inputs=[gdp("302.1"), {"indicator": "rd_expenditure", "value": "16.28", "source_id": "zone"}])
    assert judge(root, "2022-i")["verdict"] == "consistent"  # the zone's own figures check the zone's article


def test_within_input_rounding_is_consistent_with_the_rounding_stated(make_package, judge, tmp_path):
    root = make_package(tmp_path, claims=[rd_spend(), rd_intensity("5.386")], inputs=[gdp("302.1")])
    j = judge(root, "2022-intensity")
    assert j["verdict"] == "consistent"
    assert "计入输入数字的舍入" in " ".join(j["steps"])


# ---- only statistics are judged --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["name", "ordinal", "award", "date"])
def test_names_ordinals_awards_and_dates_get_no_verdict_and_no_count(make_package, judge, tmp_path, kind):
    root = make_package(tmp_path, claims=[rd_spend(), {"claim_id": "2022-fyp", "kind": kind, "figure": "十四五",
                                                        "quote": "实施“十四五”规划"}])
    j = judge(root, "2022-fyp")
    assert j.get("verdict") is None and j["kind"] == kind
    from factcheck.engine import Judge as J
    from factcheck.judged import edition
    from factcheck.validate import validate

    ds = validate(root)
    doc = edition(ds, J(ds), 2022)
    assert doc["counts"]["total"] == 1 and [r["claim_id"] for r in doc["register"]] == ["2022-fyp"]


def test_a_name_with_a_value_or_formula_is_refused(make_package, load_package, tmp_path):
    root = make_package(tmp_path, claims=[{"claim_id": "2022-x", "kind": "name", "figure": "1+3+2", "value": "6",
                                           "quote": "以“1+3+2”为抓手"}])
    with pytest.raises(InputError, match="column 'value'.*kept in the register"):
        load_package(root)


def test_arithmetic_on_constants_only_is_refused(make_package, load_package, tmp_path):
    root = make_package(tmp_path, claims=[{"claim_id": "2022-x", "indicator": "areas", "value": "6", "figure": "6",
                                           "quote": "共6个", "formula": "a + b + c", "bindings": "a=1; b=3; c=2"}])
    with pytest.raises(InputError, match="every binding is a constant"):
        load_package(root)


# ---- the article never corroborates itself ----------------------------------------------------------------


def test_a_figure_printed_twice_is_one_claim(make_package, load_package, tmp_path):
    root = make_package(tmp_path, claims=[
        {"claim_id": "2022-hte", "indicator": "enterprises", "value": "660", "quote": "高企660家"},
        {"claim_id": "2022-hte-2", "indicator": "enterprises", "value": "660", "quote": "高企存量达660家"}])
    with pytest.raises(InputError, match="same figure of the same article.*mentions.csv"):
        load_package(root)


def test_a_repeat_is_a_quote_of_the_claim_not_evidence(make_package, judge, tmp_path):
    article = "高企660家。\n后文:高企存量达660家。\n"
    root = make_package(tmp_path, article=article, register=False,
                        claims=[{"claim_id": "2022-hte", "indicator": "enterprises", "value": "660", "quote": "高企660家"}],
                        mentions=[{"source_id": "art", "offset": article.index("达660") + 1, "mention": "660",
                                   "claim_id": "2022-hte"}])
    j = judge(root, "2022-hte")
    assert j["verdict"] == "stated" and j["corroboration"] == []
    assert j["repeats"] == ["后文:高企存量达660家"]
    assert "本文另一处" not in j["why"] and "未找到其他来源" in j["why"]


def test_corroboration_says_whether_it_is_independent(make_package, judge, tmp_path):
    same_outlet = {"source_id": "later", "publisher": "测试日报", "origin": "测试区", "title": "后续报道", "tier": "1",
                   "covers": "c", "accessed": "2026-11-25"}
    root = make_package(tmp_path, sources=[same_outlet],
                        claims=[{"claim_id": "2022-hte", "indicator": "enterprises", "value": "660",
                                 "quote": "高企存量达660家"}],
                        inputs=[{"indicator": "enterprises", "value": "660", "source_id": "later"}])
    j = judge(root, "2022-hte")
    assert j["verdict"] == "consistent" and "不算独立佐证" in j["why"]  # the same figure, of the same origin
    root = make_package(tmp_path, claims=[{"claim_id": "2022-hte", "indicator": "enterprises", "value": "660",
                                           "quote": "高企存量达660家"}],
                        inputs=[{"indicator": "enterprises", "value": "660", "source_id": "other"}])
    j = judge(root, "2022-hte")
    assert j["verdict"] == "reproduced" and "与文章无关的另一家报纸给出相同的数字" in j["why"]


def test_stated_figure_contradicted_by_another_source_is_inconsistent(make_package, judge, tmp_path):
    root = make_package(tmp_path, claims=[{"claim_id": "2022-hte", "indicator": "enterprises", "value": "660",
                                           "quote": "高企存量达660家"}],
                        inputs=[{"indicator": "enterprises", "value": "650", "source_id": "other"}])
    j = judge(root, "2022-hte")
    assert j["verdict"] == "inconsistent" and "另一家报纸给出的650家" in j["why"]


def test_bounds_that_can_both_hold_agree(make_package, judge, tmp_path):
    root = make_package(tmp_path, claims=[{"claim_id": "2022-a", "indicator": "gdp", "value": "80", "qualifier": ">",
                                           "quote": "超80亿元"}],
                        inputs=[{"indicator": "gdp", "value": "50", "qualifier": ">", "source_id": "other"}])
    assert judge(root, "2022-a")["verdict"] == "stated"


# ---- a verdict is no stronger than its weakest input -------------------------------------------------------


def test_agreeing_with_a_wrong_claim_is_unverifiable_and_says_so(make_package, judge, tmp_path):
    quote = "增长135.71%,达28件,是全国的3倍"
    root = make_package(tmp_path, claims=[
        *count_and_growth("28", "135.71"),
        {"claim_id": "2022-m", "indicator": "multiple", "value": "3", "quote": quote, "formula": "g / n",
         "bindings": "g=claim:2022-pct-growth; n=patents_growth@全国@2022"}],
        inputs=[{"indicator": "patents_growth", "geography": "全国", "value": "45.24"}])
    j = judge(root, "2022-m")
    assert j["verdict"] == "unverifiable"
    assert "135.71%本身有误" in j["why"] and "无法据此核实" in j["why"]
    assert j["readings"][0]["weak"][0]["claim_id"] == "2022-pct-growth"


def best_rank(inputs):
    bindings = "; ".join(f"r{y}=rank@江门高新区@{y}?" for y in (2019, 2020, 2021))
    return dict(
        claims=[{"claim_id": "2022-best", "indicator": "rank", "value": "53", "qualifier": ">", "figure": "53",
                 "quote": "排名第53位,是史上最好排名", "formula": "Min(r2019, r2020, r2021)", "bindings": bindings}],
        inputs=[{"indicator": "rank", "period": y, "value": v} for y, v in inputs.items()],
    )


def test_a_complete_series_reproduces(make_package, judge, tmp_path):
    j = judge(make_package(tmp_path, **best_rank({2019: "64", 2020: "62", 2021: "60"})), "2022-best")
    assert j["verdict"] == "reproduced"
    assert "最小值（64，62，60） = 60" in " ".join(j["steps"])


def test_a_series_with_gaps_is_unverifiable_not_consistent(make_package, judge, tmp_path):
    j = judge(make_package(tmp_path, **best_rank({2019: "64", 2021: "60"})), "2022-best")
    assert j["verdict"] == "unverifiable"
    assert "江门高新区2020年综合排名未找到" in j["why"] and "无法完整核实" in j["why"]


def test_a_series_with_gaps_that_already_contradicts_is_inconsistent(make_package, judge, tmp_path):
    assert judge(make_package(tmp_path, **best_rank({2019: "64", 2020: "50"})), "2022-best")["verdict"] == "inconsistent"


def test_an_empty_series_is_unverifiable(make_package, judge, tmp_path):
    assert judge(make_package(tmp_path, **best_rank({})), "2022-best")["verdict"] == "unverifiable"


def per_10k(pop_2023):
    quote = "高价值发明专利拥有量为520件,每万人口15.53件"
    return dict(
        claims=[{"claim_id": "2022-hv", "indicator": "patents", "value": "520", "quote": quote},
                {"claim_id": "2022-per10k", "indicator": "per10k", "value": "15.53", "quote": quote,
                 "formula": "hv / pop", "bindings": "hv=claim:2022-hv; pop=population@江海区@2022|~2023"}],
        inputs=[{"indicator": "population", "geography": "江海区", "period": 2023, "value": pop_2023}],
    )


@pytest.mark.parametrize("pop", ["32.2", "34.5", "33.48"])
def test_a_stand_in_within_tolerance_is_consistent_and_the_sentence_says_the_tolerance(make_package, judge,
                                                                                       tmp_path, pop):
    j = judge(make_package(tmp_path, **per_10k(pop)), "2022-per10k")
    assert j["verdict"] == "consistent"
    assert "用相邻年份（2023年）的数字代替" in j["why"] and "±5%" in j["why"]


@pytest.mark.parametrize("pop", ["31.6", "35.6"])
def test_a_stand_in_outside_tolerance_is_inconsistent(make_package, judge, tmp_path, pop):
    j = judge(make_package(tmp_path, **per_10k(pop)), "2022-per10k")
    assert j["verdict"] == "inconsistent" and "超出代替所允许的±5%误差" in j["why"]


def test_agreeing_only_under_another_period_says_so(make_package, judge, tmp_path):
    root = make_package(tmp_path, claims=[rd_spend(), rd_intensity("5.71", bindings="rd=claim:2022-rd; gdp=gdp@江海区@2022|2021")],
                        inputs=[gdp("302.1"), gdp("285.1", period=2021)])
    j = judge(root, "2022-intensity")
    assert j["verdict"] == "consistent" and j["condition"]["year"] == 2021
    assert j["why"].startswith("只有当它指2021年（地区生产总值用2021年的数字）时才算得通")
    assert "5.389" in j["why"] and "不符" in j["why"]


def test_an_estimate_input_is_named_as_such(make_package, judge, tmp_path):
    root = make_package(tmp_path, claims=[rd_spend(), rd_intensity("5.39")], inputs=[gdp("302.1", qualifier="≈")])
    j = judge(root, "2022-intensity")
    assert j["verdict"] == "consistent" and "估计数" in j["why"]


# ---- implied values: not found, and what the figure implies ------------------------------------------------


def test_a_growth_with_a_whole_implied_base_is_only_the_articles_own_arithmetic(make_package, judge, tmp_path):
    j = judge(make_package(tmp_path, claims=count_and_growth("3404", "11.61", "2022-patents")), "2022-patents-growth")
    assert j["verdict"] == "internal" and j["label"] == "文内自洽"
    assert "3050件" in j["why"] and "未找到" in j["why"] and "未公布" not in j["why"]


def test_a_growth_implying_no_whole_base_is_inconsistent(make_package, judge, tmp_path):
    j = judge(make_package(tmp_path, claims=count_and_growth("28", "135.71")), "2022-pct-growth")
    assert j["verdict"] == "inconsistent" and j["label"] == "数字有误"
    assert "11.879" in j["why"] and "不是整数" in j["why"]
    assert j["candidates"]


def test_a_missing_continuous_input_is_unverifiable_with_the_implied_range(make_package, judge, tmp_path):
    root = make_package(tmp_path, claims=[
        {"claim_id": "2022-zone", "indicator": "rd_intensity", "value": "5.71", "quote": "强度5.71%"},
        {"claim_id": "2022-m", "indicator": "multiple", "value": "2.2", "quote": "是全市平均水平的2.2倍",
         "formula": "zone / city", "bindings": "zone=claim:2022-zone; city=rd_intensity@江门市@2022"}])
    j = judge(root, "2022-m")
    assert j["verdict"] == "unverifiable"
    assert "江门市2022年研发投入强度未找到" in j["why"] and "在2.54%到2.66%之间" in j["why"]


def test_what_was_searched_is_said_and_unpublished_needs_a_source(make_package, judge, tmp_path):
    claims = [{"claim_id": "2022-zone", "indicator": "rd_intensity", "value": "5.71", "quote": "强度5.71%"},
              {"claim_id": "2022-m", "indicator": "multiple", "value": "2.2", "quote": "是全市平均水平的2.2倍",
               "formula": "zone / city", "bindings": "zone=claim:2022-zone; city=rd_intensity@江门市@2022"}]
    root = make_package(tmp_path, claims=claims)
    (root / "searches.csv").write_text(
        "indicator,geography,period,result,searched,date,source_id,note\n"
        "rd_intensity,江门市,2022,nothing,广东省科技经费投入统计公报;江门市统计公报,2026-11-26,,\n", encoding="utf-8")
    steps = " ".join(judge(root, "2022-m")["steps"])
    assert "江门市2022年研发投入强度未找到" in steps and "查过：广东省科技经费投入统计公报" in steps
    (root / "searches.csv").write_text(
        "indicator,geography,period,result,searched,date,source_id,note\n"
        "rd_intensity,江门市,2022,unpublished,统计局答复,2026-11-26,,\n", encoding="utf-8")
    with pytest.raises(InputError, match="needs the source that says so"):
        judge(root, "2022-m")


def test_a_bare_rank_with_nothing_found_is_unverifiable(make_package, judge, tmp_path):
    root = make_package(tmp_path, claims=[{"claim_id": "2022-rank", "indicator": "rank", "value": "1", "figure": "第一",
                                           "quote": "在全市排名第一", "formula": "r", "bindings": "r=rank@研发投入强度@2022"}])
    j = judge(root, "2022-rank")
    assert j["verdict"] == "unverifiable" and "文章给出的正是这个数字，无从核对" in j["why"]


def test_two_missing_inputs_are_unverifiable(make_package, judge, tmp_path):
    root = make_package(tmp_path, claims=[
        {"claim_id": "2022-m", "indicator": "multiple", "value": "2.2", "quote": "是全市平均水平的2.2倍",
         "formula": "zone / city", "bindings": "zone=rd_intensity@江门高新区@2022; city=rd_intensity@江门市@2022"}])
    j = judge(root, "2022-m")
    assert j["verdict"] == "unverifiable" and "都未找到" in j["why"]


# ---- inconsistent ------------------------------------------------------------------------------------------


def test_a_ratio_missing_at_printed_precision_is_inconsistent(make_package, judge, tmp_path):
    root = make_package(tmp_path, claims=[rd_spend(), rd_intensity("5.38")], inputs=[gdp("302.1")])
    j = judge(root, "2022-intensity")
    assert j["verdict"] == "inconsistent" and "与文章的5.38%不符" in j["why"]


def test_an_enumeration_of_nine_claimed_as_ten_is_inconsistent(make_package, judge, tmp_path):
    items = "甲、乙、丙、丁、戊、己、庚、辛、壬"
    root = make_package(tmp_path, claims=[{"claim_id": "2022-areas", "indicator": "areas", "value": "10",
                                           "quote": f"涵盖{items}共10个领域", "formula": "n", "bindings": f"n=items:{items}"}])
    j = judge(root, "2022-areas")
    assert j["verdict"] == "inconsistent" and "文中只列出9项，与所说的10个对不上" in j["why"]


def test_an_internal_sum_that_does_not_add_up_is_inconsistent(make_package, judge, tmp_path):
    quote = "新增博士20人、硕士57人,共78人"
    root = make_package(tmp_path, claims=[
        {"claim_id": "2022-a", "indicator": "enterprises", "geography": "博士", "value": "20", "quote": quote},
        {"claim_id": "2022-b", "indicator": "enterprises", "geography": "硕士", "value": "57", "quote": quote},
        {"claim_id": "2022-t", "indicator": "enterprises", "geography": "合计", "value": "78", "quote": quote,
         "formula": "a + b", "bindings": "a=claim:2022-a; b=claim:2022-b"}])
    assert judge(root, "2022-t")["verdict"] == "inconsistent"


def test_an_inconsistent_verdict_names_the_artefacts_of_the_stored_copy(make_package, judge, tmp_path):
    root = make_package(tmp_path, sources=[{"source_id": "art", "artefacts": "“+”读成“4”"}],
                        claims=[rd_spend(), rd_intensity("5.38")], inputs=[gdp("302.1")])
    assert "转录瑕疵（“+”读成“4”）" in " ".join(judge(root, "2022-intensity")["steps"])


def test_a_low_tier_source_is_named_as_such(make_package, judge, tmp_path):
    mirror = {"source_id": "mirror", "publisher": "某统计局", "origin": "统计局2", "title": "公报", "tier": "3",
              "copy_url": "https://example.org/copy", "copy_kind": "mirror", "covers": "c", "accessed": "2026-11-25"}
    root = make_package(tmp_path, sources=[mirror], claims=[rd_spend(), rd_intensity("5.39")],
                        inputs=[gdp("302.1", source_id="mirror")])
    assert "从镜像读到的，可靠性较低" in " ".join(judge(root, "2022-intensity")["steps"])


# ---- targets at their due date -------------------------------------------------------------------------------


def target(goal, qualifier, due="2023", indicator="enterprises", periods="2023|2022"):
    return {"claim_id": "2022-target", "indicator": indicator, "value": goal, "qualifier": qualifier, "due": due,
            "check": "target", "quote": f"力争达{goal}", "bindings": f"actual={indicator}@江门高新区@{periods}"}


def test_a_target_is_met_only_against_its_due_year(make_package, judge, tmp_path):
    root = make_package(tmp_path, claims=[target("680", ">"), {"claim_id": "2023-x", "year": 2023,
                                                                "indicator": "gdp", "value": "1", "quote": "1亿元"}],
                        inputs=[{"indicator": "enterprises", "period": 2023, "value": "700", "qualifier": ">"},
                                {"indicator": "enterprises", "period": 2022, "value": "660"}])
    j = judge(root, "2022-target")
    assert j["target"]["status"] == "met" and j["label"] == "规划目标·已达成"
    assert "2023年实际超过700家" in j["why"]


def test_a_target_missed_at_its_due_year(make_package, judge, tmp_path):
    root = make_package(tmp_path, claims=[target("100", "≥", periods="2023"), {"claim_id": "2023-x", "year": 2023,
                                                                             "indicator": "gdp", "value": "1", "quote": "1亿元"}],
                        inputs=[{"indicator": "enterprises", "period": 2023, "value": "90"}])
    assert judge(root, "2022-target")["target"]["status"] == "missed"


def test_a_target_not_yet_due_is_not_judged_against_an_earlier_actual(make_package, judge, tmp_path):
    root = make_package(tmp_path, claims=[target("100", "≥", due="2024", periods="2024|2022")],
                        inputs=[{"indicator": "enterprises", "period": 2022, "value": "150"}])
    j = judge(root, "2022-target")
    assert j["target"]["status"] == "not_due" and "尚未到期" in j["why"] and "已达成" not in j["why"]


def test_a_target_without_a_date_is_no_date(make_package, judge, tmp_path):
    root = make_package(tmp_path, claims=[target("1000", "≥", due="", indicator="gdp", periods="2022")])
    j = judge(root, "2022-target")
    assert j["target"]["status"] == "no_date" and "没有给出期限" in j["why"]


def test_a_target_whose_due_year_actual_is_not_found(make_package, judge, tmp_path):
    root = make_package(tmp_path, claims=[target("10", "≥", due="2022", periods="2022")])
    j = judge(root, "2022-target")
    assert j["target"]["status"] == "not_found" and "未找到" in j["why"]


def test_a_rank_beyond_fifty_misses_a_top_fifty_target(make_package, judge, tmp_path):
    root = make_package(tmp_path, claims=[target("50", "≤", due="2022", indicator="rank", periods="2022")],
                        inputs=[{"indicator": "rank", "period": 2022, "value": "50", "qualifier": ">"}])
    assert judge(root, "2022-target")["target"]["status"] == "missed"


# ---- qualifiers and whole editions ---------------------------------------------------------------------------


def test_a_lower_bound_input_can_still_contradict(make_package, judge, tmp_path):
    root = make_package(tmp_path, claims=[rd_spend("15.7", qualifier=">"), rd_intensity("4.0")], inputs=[gdp("302.1")])
    assert judge(root, "2022-intensity")["verdict"] == "inconsistent"


def test_an_average_above_the_category_threshold(make_package, judge, tmp_path):
    quote = "引进项目43个,总投资额达223亿元,平均超6亿元"
    root = make_package(tmp_path, claims=[
        {"claim_id": "2022-n", "indicator": "enterprises", "value": "43", "quote": quote},
        {"claim_id": "2022-total", "indicator": "gdp", "value": "223", "quote": quote},
        {"claim_id": "2022-avg", "indicator": "gdp", "geography": "平均", "value": "6", "qualifier": ">",
         "figure": "6", "quote": quote, "formula": "total / n", "bindings": "total=claim:2022-total; n=claim:2022-n"}])
    assert judge(root, "2022-avg")["verdict"] == "inconsistent"  # 223 / 43 = 5.19


def test_judge_year_covers_every_claim_of_the_year_only(make_package, load_package, tmp_path):
    root = make_package(tmp_path, claims=[rd_spend(), rd_intensity("5.39"), {
        "claim_id": "2023-rd", "year": 2023, "indicator": "rd_expenditure", "value": "15.7", "quote": "超15.7亿元"}],
        inputs=[gdp("302.1")])
    judgements = judge_year(load_package(root), 2022)
    assert [j.claim_id for j in judgements] == ["2022-rd", "2022-intensity"]
    assert all(j.verdict in CODES for j in judgements)


def test_judge_year_refuses_a_year_without_claims(make_package, load_package, tmp_path):
    with pytest.raises(InputError, match="no claims for year 2021"):
        Judge(load_package(make_package(tmp_path, claims=[rd_spend()]))).judge_year(2021)


def test_judging_is_linear_in_the_number_of_claims(make_package, load_package, tmp_path, monkeypatch):
    """Look-ups, not filters: four times the claims, four times the figures examined (no timing asserted)."""
    from factcheck.load import Dataset

    def examined(n: int) -> int:
        claims = [{"claim_id": f"2022-c{i}", "indicator": "enterprises", "geography": f"地{i}", "value": str(i + 1),
                   "quote": f"第{i}处有{i + 1}家"} for i in range(n)]
        ds = load_package(make_package(tmp_path, claims=claims))
        seen = [0]
        look = Dataset.figures_at

        def counted(self, *key):
            found = look(self, *key)
            seen[0] += 1 + len(found)
            return found

        monkeypatch.setattr(Dataset, "figures_at", counted)
        Judge(ds).judge_year(2022)
        monkeypatch.setattr(Dataset, "figures_at", look)
        return seen[0]

    small, large = examined(300), examined(1200)
    assert small >= 300 and large <= small * 4


def test_an_implied_range_a_unit_wide_checks_nothing(make_package, judge, tmp_path):
    """10 people, 90 % or more of the city: the city has 10 or 11; any such share fits, so it is unverifiable."""
    quote = "10名高层次人才落户,占全市90%以上"
    root = make_package(tmp_path, claims=[
        {"claim_id": "2022-t", "indicator": "enterprises", "value": "10", "quote": quote},
        {"claim_id": "2022-s", "indicator": "share", "value": "90", "qualifier": "≥", "quote": quote,
         "formula": "zone / city * 100", "bindings": "zone=claim:2022-t; city=enterprises@江门市@2022"}])
    j = judge(root, "2022-s")
    assert j["verdict"] == "unverifiable" and "总能容下整数" in j["why"]


def test_a_compatible_bound_is_not_called_the_same_figure(make_package, judge, tmp_path):
    root = make_package(tmp_path, claims=[{"claim_id": "2022-a", "indicator": "gdp", "value": "80", "qualifier": ">",
                                           "quote": "超80亿元"}],
                        inputs=[{"indicator": "gdp", "value": "50", "qualifier": ">", "source_id": "other"}])
    why = judge(root, "2022-a")["why"]
    assert "给出的是超过50亿元，与文章不矛盾" in why and "相同" not in why


def test_a_formula_with_too_many_inputs_is_refused(make_package, load_package, tmp_path):
    names = [f"r{i}" for i in range(13)]
    root = make_package(tmp_path, claims=[{"claim_id": "2022-best", "indicator": "rank", "value": "53", "qualifier": ">",
                                           "quote": "第53位", "formula": f"Min({', '.join(names)})",
                                           "bindings": "; ".join(f"{n}=rank@江门高新区@{2000 + i}?" for i, n in
                                                                 enumerate(names))}])
    with pytest.raises(InputError, match="at most 12 inputs"):
        load_package(root)


# ---- the scale says what was checked ---------------------------------------------------------------------------
# One known verdict for every verdict of the scale: independent data, outside data not independent, only the
# article's own arithmetic, missing input (naming it), a check that could not have failed, nothing to
# recompute, a target at its due date, an error.

ZONE = {"source_id": "zone", "publisher": "晚报", "origin": "测试区", "title": "区里提供的数字", "tier": "2",
        "covers": "c", "accessed": "2026-11-25"}
"""Another newspaper printing the zone's own figures: another publisher, the article's origin."""


def incubators(total: bool):
    quote = "目前拥有4家国家级和3家省级孵化载体"
    return dict(
        sources=[ZONE],
        claims=[{"claim_id": "2022-nat", "indicator": "enterprises", "geography": "国家级", "value": "4", "quote": quote},
                {"claim_id": "2022-prov", "indicator": "enterprises", "geography": "省级", "value": "3", "quote": quote,
                 "formula": "total - nat", "bindings": "total=enterprises@合计@2022; nat=claim:2022-nat"}],
        inputs=[{"indicator": "enterprises", "geography": "合计", "value": "7", "source_id": "zone"}] if total else [],
    )


def test_agreeing_with_outside_data_that_is_not_independent(make_package, judge, tmp_path):
    j = judge(make_package(tmp_path, **incubators(total=True)), "2022-prov")
    assert j["verdict"] == "consistent" and j["label"] == "相符但非独立" and not j["vacuous"]
    assert "晚报" in j["why"] and "不是独立来源的数据" in j["why"]


def test_a_sum_restated_from_the_articles_own_figures_could_not_have_failed(make_package, judge, tmp_path):
    """Without the outside total, 3 provincial next to 4 national implies a total of 7; so would 2 or 4."""
    j = judge(make_package(tmp_path, **incubators(total=False)), "2022-prov")
    assert j["verdict"] == "unverifiable" and j["label"] == "无法核实"
    assert j["vacuous"]["tried"][:2] == ["2", "4"]
    assert "合计2022年高新技术企业未找到" in j["why"] and "印成2家或4家，也一样算得通" in j["why"] and "不可能不通过" in j["why"]
    assert any("同样的核对没有一个会判为不符" in s for s in j["steps"])


def test_only_the_articles_own_arithmetic(make_package, judge, tmp_path):
    """53 − 50 = 3, every figure the article's: it could have failed (2 or 4 would not fit), but it is no
    outside evidence."""
    quote = "排名第53位,距离50强仅差3名"
    root = make_package(tmp_path, claims=[
        {"claim_id": "2022-rank", "indicator": "rank", "value": "53", "quote": quote},
        {"claim_id": "2022-gap", "indicator": "areas", "value": "3", "quote": quote, "formula": "rank - goal",
         "bindings": "rank=claim:2022-rank; goal=50"}])
    j = judge(root, "2022-gap")
    assert j["verdict"] == "internal" and j["label"] == "文内自洽" and not j["vacuous"]
    assert "文章自己的" in j["why"] and "没有外部数据可比" in j["why"]


def test_counting_the_articles_own_list_is_internal(make_package, judge, tmp_path):
    items = "甲、乙、丙"
    root = make_package(tmp_path, claims=[{"claim_id": "2022-three", "indicator": "areas", "value": "3",
                                           "quote": f"{items}三大产业", "figure": "三", "formula": "n",
                                           "bindings": f"n=items:{items}"}])
    j = judge(root, "2022-three")
    assert j["verdict"] == "internal" and "文中列举的正好是3项（甲、乙和丙）" in j["why"]
    assert j["steps"][0] == "数一数文中的列举：3项，与文章一致。"


def test_every_verdict_of_the_scale_has_a_known_case():
    """The cases above and before cover the scale; a new verdict needs a case here too."""
    covered = {"reproduced", "consistent", "internal", "unverifiable", "stated", "target", "inconsistent"}
    assert set(CODES) == covered
