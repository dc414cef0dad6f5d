"""The sentences readers see come from templates; each template is tested on every case it meets."""

from __future__ import annotations

import math

import pytest

from factcheck import wording
from factcheck.vocabulary import BY_CODE, TARGET_STATUS


@pytest.mark.parametrize("args, text", [
    ((2.54, 2.66), "在2.54到2.66之间"),
    ((2.541, 2.542, False, False, 2, "%"), "约为2.54%"),
    ((299.05, None, True), "超过299.05"),
    ((299.05, math.inf, False), "不少于299.05"),
    ((None, 3, False, True), "不到3"),
    ((-math.inf, 3), "不超过3"),
    ((None, None), "可以是任何数"),
    ((5754, 5755, False, False, 0, "件"), "在5754件到5755件之间"),
])
def test_a_range_reads_as_words_never_as_brackets(args, text):
    assert wording.span(*args) == text
    assert wording.clean(text) is None


@pytest.mark.parametrize("items, last, text", [
    (["甲"], "和", "甲"), (["甲", "乙"], "和", "甲和乙"), (["甲", "乙", "丙"], "和", "甲、乙和丙"),
    (["3049", "3050"], "或", "3049或3050"), ([], "和", ""), (["甲", "", "乙"], "和", "甲和乙"),
])
def test_lists_join_as_chinese_does(items, last, text):
    assert wording.listing(items, last) == text


@pytest.mark.parametrize("value, decimals, qualifier, unit, text", [
    (15.7, 1, ">", "亿元", "超过15.7亿元"), (282, 0, "≈", "亿元", "约282亿元"), (10, 0, "≥", "家", "不少于10家"),
    (50, 0, "≤", "位", "前50名以内"), (50, 0, ">", "位", "50名以外"), (53, 0, "=", "位", "第53位"), (660, 0, "=", "家", "660家"), (5.2, 1, "=", "%", "5.2%"), (2.50, 2, "=", "倍", "2.5倍"),
])
def test_a_quantity_reads_with_its_qualifier_as_a_word(value, decimals, qualifier, unit, text):
    assert wording.qty(value, decimals, qualifier, unit) == text


def test_labels_are_the_plain_words_with_a_target_status():
    assert wording.label({"verdict": "inconsistent"}) == "数字有误"
    for status, words in TARGET_STATUS.items():
        assert wording.label({"verdict": "target", "target": {"status": status}}) == f"规划目标·{words}"
    assert wording.label({"verdict": None, "kind": "ordinal"}) == "序数"
    assert [v.label for v in BY_CODE.values()] == ["数字有误", "独立数据相符", "相符但非独立", "文内自洽", "无法核实", "只是陈述",
                                                  "规划目标"]


@pytest.mark.parametrize("text", ["cur与prev互换", "pop 替代2023年", "gdp 按2021年", "hv(本文:52)", "(299.05, ∞]",
                                  "在66之间(含端点方括号,不含圆括号)", "1. 1. 列举不完整", "见2022-pct-growth", "[3.2, 3.3]",
                                  "值为None", "重算为nan", "(a(b))", "Min(3, 4)"])
def test_clean_catches_what_readers_should_never_see(text):
    assert wording.clean(text) is not None


@pytest.mark.parametrize("text", ["重算为5.389，与文章的5.39%一致。", "按文章所指年份：(28 ÷ 11 - 1) × 100 = 154.545，不符。",
                                  "江海区2022年地区生产总值（GDP）为302.1亿元。", "重算为(33 ÷ 14 - 1) × 100 = 135.714。"])
def test_clean_lets_plain_sentences_and_arithmetic_through(text):
    assert wording.clean(text, arithmetic=True) is None


def test_every_candidate_kind_has_a_sentence():
    j = {"value": 10, "decimals": 0}
    cases = [
        {"kind": "period", "what": "江海区地区生产总值", "year": 2021, "instead_of": 2022, "equation": "16.28 ÷ 285.1 × 100 = 5.71"},
        {"kind": "swap", "first": "江门高新区2021年PCT国际专利申请量", "second": "江门高新区2022年PCT国际专利申请量",
         "implied": {"wholes": [66], "unit": "件"}, "equation": ""},
        {"kind": "base", "reading": "to", "value": "135.71", "equation": "(33 ÷ 14 - 1) × 100 = 135.714"},
        {"kind": "enumeration", "listed": 9, "claimed": "10", "items": list("甲乙丙丁戊己庚辛壬"), "equation": ""},
        {"kind": "misprint", "own": True, "printed": "52", "what": "", "candidates": ["542", "552"], "count": 2,
         "equation": "552 ÷ 36.47 = 15.14"},
        {"kind": "total", "what": "有效发明专利", "geography": "江门市区", "instead_of": "江门市", "equation": "1251 ÷ 5755 × 100 = 21.74"},
    ]
    for d in cases:
        text = wording.diagnosis(d, j)
        assert text and wording.clean(text, arithmetic=True) is None, text


@pytest.mark.parametrize("text, safe", [("=HYPERLINK(1)", "'=HYPERLINK(1)"), ("+1", "'+1"), ("-2", "'-2"),
                                        ("@x", "'@x"), ("正常", "正常"), ("", "")])
def test_download_cells_never_run_as_excel_formulas(text, safe):
    from factcheck.downloads import cell

    assert cell(text) == safe
