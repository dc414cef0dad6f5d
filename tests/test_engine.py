"""Verdicts of factcheck.engine on hand-made packages whose right answers are known.

Each test builds a tiny package with the ``make_package`` fixture (see conftest.py) and judges it.
"""

from __future__ import annotations

import pytest

from factcheck.data import load
from factcheck.engine import VERDICT_ZH, VERDICTS, Judge, judge_year, verdict_table
from factcheck.errors import InputError

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
    """A count and its growth rate printed in one sentence; the previous count is not published."""
    quote = f"PCT国际专利申请量大幅增长{growth}%,达{count}件"
    return [
        {"claim_id": cid, "indicator": "patents", "value": count, "quote": quote},
        {"claim_id": f"{cid}-growth", "indicator": "patents_growth", "value": growth, "quote": quote,
         "formula": GROWTH, "bindings": f"cur=claim:{cid}; prev=patents@江门高新区@2021"},
    ]


# ---- the fixture itself -----------------------------------------------------------------------------


def test_default_package_loads(make_package, tmp_path):
    root = make_package(tmp_path, claims=[rd_spend()])
    ds = load(root)
    assert list(ds.claims["claim_id"]) == ["2022-rd"]
    assert ds.years == [2022]
    assert "art" in ds.articles and "16.28" in ds.articles["art"]
    assert {"patents", "gdp", "rank"} <= set(ds.indicators.index)


def test_fixture_builds_independent_packages(make_package, tmp_path):
    a = make_package(tmp_path, claims=[rd_spend("1")])
    b = make_package(tmp_path, claims=[rd_spend("2")])
    assert a != b
    assert float(load(a).claims["value"].iloc[0]) == 1
    assert float(load(b).claims["value"].iloc[0]) == 2


def test_fixture_rejects_unknown_columns(make_package, tmp_path):
    with pytest.raises(ValueError, match="not in the header"):
        make_package(tmp_path, claims=[{**rd_spend(), "vaule": "3"}])


def test_fixture_article_override_is_used_verbatim(make_package, tmp_path):
    root = make_package(tmp_path, claims=[rd_spend()], article="另一篇文章,没有这个数字。")
    with pytest.raises(InputError, match="quote is not found verbatim"):
        load(root)


def test_fixture_bad_input_options(make_package, tmp_path):
    # defaults=False and fill=False write only what is given; raw= overwrites a file verbatim
    root = make_package(tmp_path, indicators=[{"indicator": "x", "name_zh": "x", "unit": "件", "whole": "true",
                                               "chapter": "", "headline": "false"}],
                        defaults=False, fill=False, raw={"inputs.csv": "indicator\n"})
    assert (root / "inputs.csv").read_text(encoding="utf-8") == "indicator\n"
    assert (root / "indicators.csv").read_text(encoding="utf-8").splitlines()[1].startswith("x,x,件,true,,,,false")
    assert (root / "sources.csv").read_text(encoding="utf-8").count("\n") == 1  # header only


def test_fixture_datapackage_hook_edits_the_schema(make_package, tmp_path):
    def drop_percent(package):
        for res in package["resources"]:
            for f in res["schema"]["fields"]:
                enum = f.get("constraints", {}).get("enum")
                if f["name"] == "unit" and enum:
                    enum.remove("%")

    root = make_package(tmp_path, claims=[rd_spend()], datapackage=drop_percent)
    with pytest.raises(InputError, match="indicators.csv.*column 'unit'"):
        load(root)


def test_fixture_writes_text_of_further_sources(make_package, tmp_path):
    second = {"source_id": "art2", "publisher": "第二家报纸", "title": "t", "covers": "c", "accessed": "2026-11-25",
              "text_file": "articles/art2.txt"}
    root = make_package(tmp_path, sources=[second],
                        claims=[rd_spend(), {**rd_spend("3"), "claim_id": "2022-rd-2", "source_id": "art2",
                                             "geography": "江海区"}])
    ds = load(root)
    assert "3亿元" in ds.articles["art2"]


# ---- reproduced --------------------------------------------------------------------------------------


def test_ratio_with_independent_input_is_reproduced(make_package, judge, tmp_path):
    root = make_package(tmp_path, claims=[rd_spend(), rd_intensity("5.39")], inputs=[gdp("302.1")])
    j = judge(root, "2022-intensity")
    assert j.verdict == "reproduced"
    assert "16.28 ÷ 302.1 × 100" in j.explanation
    assert "统计局" in j.explanation  # the independent source is named
    assert j.recomputed == "5.389"
    assert j.diagnoses == []


def test_ratio_within_input_rounding_is_reproduced(make_package, judge, tmp_path):
    # 16.28 / 302.1 = 5.38894…, printed 5.386 it misses the point but not the inputs' rounding range
    root = make_package(tmp_path, claims=[rd_spend(), rd_intensity("5.386")], inputs=[gdp("302.1")])
    j = judge(root, "2022-intensity")
    assert j.verdict == "reproduced"
    assert "舍入范围" in j.explanation


def test_bare_rank_with_published_input_is_reproduced(make_package, judge, tmp_path):
    root = make_package(
        tmp_path,
        claims=[{"claim_id": "2022-rank", "indicator": "rank", "value": "1", "figure": "第一",
                 "quote": "在全市排名第一", "formula": "r", "bindings": "r=rank@研发投入强度@2022"}],
        inputs=[{"indicator": "rank", "geography": "研发投入强度", "value": "1"}],
    )
    assert judge(root, "2022-rank").verdict == "reproduced"


# ---- consistent --------------------------------------------------------------------------------------


def test_growth_with_whole_implied_base_is_consistent(make_package, judge, tmp_path):
    root = make_package(tmp_path, claims=count_and_growth("3404", "11.61", "2022-patents"))
    j = judge(root, "2022-patents-growth")
    assert j.verdict == "consistent"
    assert "3050" in j.explanation  # the whole base it implies
    assert "未公布" in j.explanation


def test_enumeration_matching_its_count_is_consistent(make_package, judge, tmp_path):
    root = make_package(tmp_path, claims=[
        {"claim_id": "2022-three", "indicator": "areas", "value": "3", "figure": "三大",
         "quote": "高端装备制造、前沿新材料、新一代电子信息三大战略性新兴产业",
         "formula": "n", "bindings": "n=items:高端装备制造、前沿新材料、新一代电子信息"}])
    j = judge(root, "2022-three")
    assert j.verdict == "consistent"
    assert "文中列举" in j.explanation


def test_internal_arithmetic_of_article_figures_is_consistent_not_reproduced(make_package, judge, tmp_path):
    quote = "新增博士20人、硕士57人,共77人"
    root = make_package(tmp_path, claims=[
        {"claim_id": "2022-a", "indicator": "enterprises", "geography": "博士", "value": "20", "quote": quote},
        {"claim_id": "2022-b", "indicator": "enterprises", "geography": "硕士", "value": "57", "quote": quote},
        {"claim_id": "2022-total", "indicator": "enterprises", "geography": "合计", "value": "77", "quote": quote,
         "formula": "a + b", "bindings": "a=claim:2022-a; b=claim:2022-b"},
    ])
    j = judge(root, "2022-total")
    assert j.verdict == "consistent"
    assert "20 + 57 = 77" in j.explanation


def test_constants_only_arithmetic_is_consistent(make_package, judge, tmp_path):
    years = {"indicator": "years_since_founding", "name_zh": "建区年数", "unit": "年", "whole": "true",
             "minimum": "0"}
    root = make_package(tmp_path, indicators=[years], claims=[
        {"claim_id": "2022-founded", "indicator": "event_year", "value": "1992", "period": 1992,
         "quote": "1992年,高新区应运而生"},
        {"claim_id": "2022-thirty", "indicator": "years_since_founding", "value": "30",
         "quote": "30年磨一剑", "formula": "now - founded", "bindings": "now=2022; founded=claim:2022-founded"},
        {"claim_id": "2022-thirty-one", "indicator": "years_since_founding", "geography": "另算", "value": "31",
         "quote": "31年", "formula": "now - founded", "bindings": "now=2022; founded=claim:2022-founded"},
    ])
    assert judge(root, "2022-thirty").verdict == "consistent"
    assert judge(root, "2022-thirty-one", diagnose=False).verdict == "inconsistent"


# ---- inconsistent ------------------------------------------------------------------------------------


def test_growth_implying_non_whole_base_is_inconsistent(make_package, judge, tmp_path):
    root = make_package(tmp_path, claims=count_and_growth("28", "135.71"))
    j = judge(root, "2022-pct-growth")
    assert j.verdict == "inconsistent"
    assert "没有整数" in j.explanation
    assert "11.879" in j.explanation
    assert j.diagnoses  # an inconsistent claim always gets a look for why


def test_ratio_missing_at_printed_precision_is_inconsistent(make_package, judge, tmp_path):
    # 5.389 with inputs' rounding [5.386, 5.391] can not be printed 5.38
    root = make_package(tmp_path, claims=[rd_spend(), rd_intensity("5.38")], inputs=[gdp("302.1")])
    j = judge(root, "2022-intensity", diagnose=False)
    assert j.verdict == "inconsistent"
    assert "不符" in j.explanation and "5.38%" in j.explanation


def test_enumeration_of_nine_claimed_as_ten_is_inconsistent(make_package, judge, tmp_path):
    items = "甲、乙、丙、丁、戊、己、庚、辛、壬"
    root = make_package(tmp_path, claims=[
        {"claim_id": "2022-areas", "indicator": "areas", "value": "10",
         "quote": f"涵盖{items}共10个领域", "formula": "n", "bindings": f"n=items:{items}"}])
    j = judge(root, "2022-areas", diagnose=False)
    assert j.verdict == "inconsistent"
    assert j.recomputed == "9"


def test_stated_figure_contradicted_by_another_source_is_inconsistent(make_package, judge, tmp_path):
    root = make_package(
        tmp_path,
        claims=[{"claim_id": "2022-hte", "indicator": "enterprises", "value": "660", "quote": "高企存量达660家"}],
        inputs=[{"indicator": "enterprises", "value": "650", "source_id": "other"}],
    )
    j = judge(root, "2022-hte")
    assert j.verdict == "inconsistent"
    assert "另一家报纸" in j.explanation and "650" in j.explanation


def test_internal_sum_that_does_not_add_up_is_inconsistent(make_package, judge, tmp_path):
    quote = "新增博士20人、硕士57人,共78人"
    root = make_package(tmp_path, claims=[
        {"claim_id": "2022-a", "indicator": "enterprises", "geography": "博士", "value": "20", "quote": quote},
        {"claim_id": "2022-b", "indicator": "enterprises", "geography": "硕士", "value": "57", "quote": quote},
        {"claim_id": "2022-total", "indicator": "enterprises", "geography": "合计", "value": "78", "quote": quote,
         "formula": "a + b", "bindings": "a=claim:2022-a; b=claim:2022-b"},
    ])
    assert judge(root, "2022-total", diagnose=False).verdict == "inconsistent"


# ---- unverifiable ------------------------------------------------------------------------------------


def test_missing_continuous_input_is_unverifiable_and_names_implied_value(make_package, judge, tmp_path):
    root = make_package(tmp_path, claims=[
        {"claim_id": "2022-zone", "indicator": "rd_intensity", "value": "5.71", "quote": "强度5.71%"},
        {"claim_id": "2022-multiple", "indicator": "multiple", "value": "2.2", "quote": "是全市平均水平的2.2倍",
         "formula": "zone / city", "bindings": "zone=claim:2022-zone; city=rd_intensity@江门市@2022"},
    ])
    j = judge(root, "2022-multiple")
    assert j.verdict == "unverifiable"
    assert "江门市2022年研发投入强度未公布" in j.explanation
    assert "2.54, 2.66" in j.explanation  # 5.71 / 2.2, with the rounding of both (ends may be open)
    assert j.readings[0].implied is not None


def test_two_missing_inputs_are_unverifiable(make_package, judge, tmp_path):
    root = make_package(tmp_path, claims=[
        {"claim_id": "2022-m", "indicator": "multiple", "value": "2.2", "quote": "是全市平均水平的2.2倍",
         "formula": "zone / city", "bindings": "zone=rd_intensity@江门高新区@2022; city=rd_intensity@江门市@2022"},
    ])
    j = judge(root, "2022-m")
    assert j.verdict == "unverifiable"
    assert "缺少多项输入" in j.explanation


def test_bare_rank_claim_with_missing_input_is_unverifiable(make_package, judge, tmp_path):
    root = make_package(tmp_path, claims=[
        {"claim_id": "2022-rank", "indicator": "rank", "value": "1", "figure": "第一",
         "quote": "在全市排名第一", "formula": "r", "bindings": "r=rank@研发投入强度@2022"}])
    j = judge(root, "2022-rank")
    assert j.verdict == "unverifiable"
    assert "本文的数字即是这一未公布的结果" in j.explanation


# ---- stated ------------------------------------------------------------------------------------------


def test_stated_without_corroboration(make_package, judge, tmp_path):
    root = make_package(tmp_path, claims=[rd_spend()])
    j = judge(root, "2022-rd")
    assert j.verdict == "stated"
    assert "未找到其他来源" in j.explanation
    assert j.recomputed == ""


def test_stated_corroborated_by_another_source(make_package, judge, tmp_path):
    root = make_package(
        tmp_path,
        claims=[{"claim_id": "2022-hte", "indicator": "enterprises", "value": "660", "quote": "高企存量达660家"}],
        inputs=[{"indicator": "enterprises", "value": "660", "source_id": "other"}],
    )
    j = judge(root, "2022-hte")
    assert j.verdict == "stated"
    assert "另一家报纸:660家" in j.explanation and "与之相符" in j.explanation


def test_stated_corroborated_by_the_same_article(make_package, judge, tmp_path):
    root = make_package(tmp_path, claims=[
        {"claim_id": "2022-hte", "indicator": "enterprises", "value": "660", "quote": "高企660家"},
        {"claim_id": "2022-hte-2", "indicator": "enterprises", "value": "660", "quote": "高企存量达660家"},
    ])
    j = judge(root, "2022-hte")
    assert j.verdict == "stated"
    assert "本文另一处" in j.explanation


def test_stated_bound_agrees_with_a_looser_bound(make_package, judge, tmp_path):
    # 超80万平方米 in the article, 超50万平方米 elsewhere: both can be true
    root = make_package(
        tmp_path,
        claims=[{"claim_id": "2022-area", "indicator": "gdp", "value": "80", "qualifier": ">", "quote": "超80亿元"}],
        inputs=[{"indicator": "gdp", "value": "50", "qualifier": ">", "source_id": "other"}],
    )
    assert judge(root, "2022-area").verdict == "stated"


def test_stated_exact_figure_contradicts_an_upper_bound(make_package, judge, tmp_path):
    root = make_package(
        tmp_path,
        claims=[{"claim_id": "2022-area", "indicator": "gdp", "value": "80", "quote": "达80亿元"}],
        inputs=[{"indicator": "gdp", "value": "50", "qualifier": "<", "source_id": "other"}],
    )
    assert judge(root, "2022-area").verdict == "inconsistent"


# ---- target ------------------------------------------------------------------------------------------


def target(goal, qualifier, indicator="enterprises", periods="2023|2022", year=2023, geography="江门高新区"):
    return {"claim_id": "2022-target", "indicator": indicator, "period": year, "value": goal, "qualifier": qualifier,
            "check": "target", "quote": f"力争达{goal}", "geography": geography,
            "bindings": f"actual={indicator}@{geography}@{periods}"}


def test_target_met_and_not_met(make_package, judge, tmp_path):
    root = make_package(
        tmp_path,
        claims=[target("680", ">")],
        inputs=[{"indicator": "enterprises", "period": 2023, "value": "700", "qualifier": ">"},
                {"indicator": "enterprises", "period": 2022, "value": "660"}],
    )
    j = judge(root, "2022-target")
    assert j.verdict == "target"
    assert "2023年实际>700家(统计局),已达到" in j.explanation
    assert "2022年实际660家(统计局),未达到" in j.explanation
    assert j.recomputed == "2023年:>700家"


def test_target_not_met(make_package, judge, tmp_path):
    root = make_package(tmp_path, claims=[target("100", "≥", periods="2023")],
                        inputs=[{"indicator": "enterprises", "period": 2023, "value": "90"}])
    j = judge(root, "2022-target")
    assert j.verdict == "target"
    assert "未达到" in j.explanation and "已达到" not in j.explanation


def test_target_exactly_met_at_the_boundary(make_package, judge, tmp_path):
    root = make_package(tmp_path, claims=[target("78", "≥", periods="2023")],
                        inputs=[{"indicator": "enterprises", "period": 2023, "value": "78"}])
    assert "已达到" in judge(root, "2022-target").explanation


def test_target_without_actual_figures(make_package, judge, tmp_path):
    root = make_package(tmp_path, claims=[target("1000", "≥", indicator="gdp", periods="2022", year=2024)])
    j = judge(root, "2022-target")
    assert j.verdict == "target"
    assert "2022年实际值未公布" in j.explanation
    assert j.recomputed == ""


def test_rank_above_fifty_does_not_meet_a_top_fifty_target(make_package, judge, tmp_path):
    # ranks are whole: 名次>50 means 51 or worse, which can not meet the target 名次≤50
    root = make_package(
        tmp_path,
        claims=[target("50", "≤", indicator="rank", periods="2024", year=2024)],
        inputs=[{"indicator": "rank", "period": 2024, "value": "50", "qualifier": ">"}],
    )
    j = judge(root, "2022-target")
    assert "未达到" in j.explanation
    assert "无法判断" not in j.explanation


# ---- qualifiers ----------------------------------------------------------------------------------------


def test_lower_bound_input_makes_ratio_consistent_never_reproduced(make_package, judge, tmp_path):
    # 超15.7亿元 / 302.1 = 5.197…: prints as 5.2, yet the input is only a bound
    root = make_package(tmp_path, claims=[rd_spend("15.7", qualifier=">"), rd_intensity("5.2")],
                        inputs=[gdp("302.1")])
    j = judge(root, "2022-intensity")
    assert j.verdict == "consistent"


def test_lower_bound_input_can_still_contradict(make_package, judge, tmp_path):
    # more than 15.7 over 302.1 is more than 5.19 %: it can not be 4 %
    root = make_package(tmp_path, claims=[rd_spend("15.7", qualifier=">"), rd_intensity("4.0")],
                        inputs=[gdp("302.1")])
    assert judge(root, "2022-intensity", diagnose=False).verdict == "inconsistent"


def test_estimate_input_makes_ratio_consistent_never_reproduced(make_package, judge, tmp_path):
    root = make_package(tmp_path, claims=[rd_spend(), rd_intensity("5.39")], inputs=[gdp("302.1", qualifier="≈")])
    assert judge(root, "2022-intensity").verdict == "consistent"


def test_claim_with_more_than_qualifier(make_package, judge, tmp_path):
    # 超亿元项目43个,总投资223亿元: the average must exceed 1亿元
    quote = "引进超亿元项目43个,总投资额达223亿元"
    root = make_package(tmp_path, claims=[
        {"claim_id": "2022-n", "indicator": "enterprises", "value": "43", "quote": quote},
        {"claim_id": "2022-total", "indicator": "gdp", "value": "223", "quote": quote},
        {"claim_id": "2022-avg", "indicator": "gdp", "geography": "平均", "value": "1", "qualifier": ">",
         "figure": "亿元", "quote": quote, "formula": "total / n", "bindings": "total=claim:2022-total; n=claim:2022-n"},
        {"claim_id": "2022-avg-big", "indicator": "gdp", "geography": "平均2", "value": "6", "qualifier": ">",
         "figure": "6", "quote": "平均超6亿元", "formula": "total / n",
         "bindings": "total=claim:2022-total; n=claim:2022-n"},
    ])
    assert judge(root, "2022-avg").verdict == "consistent"
    assert judge(root, "2022-avg-big", diagnose=False).verdict == "inconsistent"  # 223 / 43 = 5.19


# ---- reference-period readings -------------------------------------------------------------------------


def test_alternative_period_that_agrees_decides_and_both_are_explained(make_package, judge, tmp_path):
    root = make_package(
        tmp_path,
        claims=[rd_spend(), rd_intensity("5.71", bindings="rd=claim:2022-rd; gdp=gdp@江海区@2022|2021")],
        inputs=[gdp("302.1"), gdp("285.1", period=2021)],
    )
    j = judge(root, "2022-intensity")
    assert j.verdict == "reproduced"  # 16.28 / 285.1 = 5.7103
    assert [r.verdict for r in j.readings] == ["inconsistent", "reproduced"]
    assert j.readings[0].primary and not j.readings[1].primary
    assert "按所指时期" in j.explanation and "5.389" in j.explanation  # the failing primary reading
    assert "另一种读法(gdp 按2021年)" in j.explanation and "285.1" in j.explanation
    assert j.recomputed == "5.71"


def test_primary_period_that_agrees_keeps_its_verdict(make_package, judge, tmp_path):
    root = make_package(
        tmp_path,
        claims=[rd_spend(), rd_intensity("5.39", bindings="rd=claim:2022-rd; gdp=gdp@江海区@2022|2021")],
        inputs=[gdp("302.1"), gdp("285.1", period=2021)],
    )
    j = judge(root, "2022-intensity")
    assert j.verdict == "reproduced"
    assert j.explanation.startswith("16.28 ÷ 302.1")
    assert "其他读法:gdp 按2021年:不一致" in j.explanation


def test_all_periods_failing_is_inconsistent(make_package, judge, tmp_path):
    root = make_package(
        tmp_path,
        claims=[rd_spend(), rd_intensity("6.5", bindings="rd=claim:2022-rd; gdp=gdp@江海区@2022|2021")],
        inputs=[gdp("302.1"), gdp("285.1", period=2021)],
    )
    assert judge(root, "2022-intensity", diagnose=False).verdict == "inconsistent"


# ---- proxy periods -------------------------------------------------------------------------------------


def per_10k(pop_2023):
    """520 patents, 15.53 per 10 000 people; the 2022 population is unpublished, 2023 stands in."""
    quote = "高价值发明专利拥有量为520件,每万人口15.53件"
    return dict(
        claims=[{"claim_id": "2022-hv", "indicator": "patents", "value": "520", "quote": quote},
                {"claim_id": "2022-per10k", "indicator": "per10k", "value": "15.53", "quote": quote,
                 "formula": "hv / pop", "bindings": "hv=claim:2022-hv; pop=population@江海区@2022|~2023"}],
        inputs=[{"indicator": "population", "geography": "江海区", "period": 2023, "value": pop_2023}],
    )


@pytest.mark.parametrize("pop, recomputed", [("32.2", 16.149), ("34.5", 15.072)])  # about +4 %, -3 %
def test_proxy_period_within_tolerance_is_consistent(make_package, judge, tmp_path, pop, recomputed):
    j = judge(make_package(tmp_path, **per_10k(pop)), "2022-per10k")
    assert j.verdict == "consistent"
    assert "以相邻时期数据替代" in j.explanation and "之内" in j.explanation
    assert float(j.recomputed) == pytest.approx(recomputed, abs=0.001)


@pytest.mark.parametrize("pop", ["31.6", "35.6"])  # about +6 %, -6 %
def test_proxy_period_outside_tolerance_is_inconsistent(make_package, judge, tmp_path, pop):
    j = judge(make_package(tmp_path, **per_10k(pop)), "2022-per10k", diagnose=False)
    assert j.verdict == "inconsistent"
    assert "超出±5%容差" in j.explanation


def test_proxy_period_never_reproduces_even_when_exact(make_package, judge, tmp_path):
    # 520 / 33.48 = 15.532 rounds to the printed 15.53, but 2023 only stands in for 2022
    j = judge(make_package(tmp_path, **per_10k("33.48")), "2022-per10k")
    assert j.verdict == "consistent"


# ---- optional inputs -----------------------------------------------------------------------------------


def best_rank(inputs):
    bindings = "; ".join(f"r{y}=rank@江门高新区@{y}?" for y in (2019, 2020, 2021))
    return dict(
        claims=[{"claim_id": "2022-best", "indicator": "rank", "value": "53", "qualifier": ">", "figure": "史上最好",
                 "quote": "排名第53位,是史上最好排名", "formula": "Min(r2019, r2020, r2021)", "bindings": bindings}],
        inputs=[{"indicator": "rank", "period": y, "value": v} for y, v in inputs.items()],
    )


def test_optional_inputs_all_published_reproduce(make_package, judge, tmp_path):
    j = judge(make_package(tmp_path, **best_rank({2019: "64", 2020: "62", 2021: "60"})), "2022-best")
    assert j.verdict == "reproduced"
    assert "Min(64, 62, 60) = 60" in j.explanation


def test_unpublished_optional_input_is_left_out_and_named(make_package, judge, tmp_path):
    j = judge(make_package(tmp_path, **best_rank({2019: "64", 2021: "60"})), "2022-best")
    assert j.verdict == "consistent"  # not every earlier year could be checked
    assert "未公布、未计入:江门高新区2020年综合排名" in j.explanation


def test_optional_input_that_contradicts_is_inconsistent(make_package, judge, tmp_path):
    j = judge(make_package(tmp_path, **best_rank({2019: "64", 2020: "50"})), "2022-best", diagnose=False)
    assert j.verdict == "inconsistent"


def test_all_optional_inputs_unpublished_is_unverifiable(make_package, judge, tmp_path):
    # no earlier rank is published at all: the claim can't be checked, but the judge must not crash
    j = judge(make_package(tmp_path, **best_rank({})), "2022-best")
    assert j.verdict == "unverifiable"


# ---- whole editions ------------------------------------------------------------------------------------


def test_judge_year_covers_every_claim_of_the_year_only(make_package, tmp_path):
    root = make_package(tmp_path, claims=[
        rd_spend(), rd_intensity("5.39"),
        {"claim_id": "2023-rd", "year": 2023, "indicator": "rd_expenditure", "value": "15.7", "quote": "超15.7亿元"},
    ], inputs=[gdp("302.1")])
    ds = load(root)
    judgements = judge_year(ds, 2022)
    assert [j.claim_id for j in judgements] == ["2022-rd", "2022-intensity"]
    assert all(j.verdict in VERDICTS for j in judgements)
    table = verdict_table(judgements)
    assert list(table.columns) == ["claim_id", "quote", "claimed", "recomputed", "verdict", "explanation"]
    assert list(table["verdict"]) == ["stated", "reproduced"]


def test_judge_year_refuses_a_year_without_claims(make_package, tmp_path):
    ds = load(make_package(tmp_path, claims=[rd_spend()]))
    with pytest.raises(InputError, match="no claims for year 2021"):
        judge_year(ds, 2021)


def test_verdict_vocabulary_has_chinese_labels():
    assert set(VERDICT_ZH) == set(VERDICTS)
    assert len(VERDICTS) == 6


def test_claimed_text_shows_qualifier_and_unit(make_package, tmp_path):
    ds = load(make_package(tmp_path, claims=[rd_spend("15.7", qualifier=">")]))
    j = Judge(ds)
    assert j.claimed_text(j.claims.loc["2022-rd"]) == ">15.7亿元"
