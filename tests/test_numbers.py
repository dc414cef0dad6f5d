"""Numbers as the data files write them and as articles print them (factcheck.numbers)."""

from __future__ import annotations

import pytest

from factcheck.numbers import (
    MAX_DIGITS,
    NumberError,
    decimals_of,
    figure_value,
    parse_decimal,
    same_number,
    token_offsets,
)


@pytest.mark.parametrize("text, value", [("16.28", 16.28), ("660", 660), ("-3.5", -3.5), ("0", 0), ("0.125", 0.125)])
def test_plain_decimals_parse(text, value):
    assert parse_decimal(text) == value


@pytest.mark.parametrize("text, why", [
    ("1_000", "not a number"), ("１２", "not a number"), ("١٢", "not a number"), (" 12", "spaces"), ("12 ", "spaces"),
    ("1e3", "not a number"), ("nan", "not a number"), ("inf", "not a number"), ("1,000", "not a number"),
    ("+5", "not a number"), ("012", "not a number"), ("", "not a number"), ("5.", "not a number"),
    ("9" * 400, "digits; at most"), ("1" + "0" * MAX_DIGITS, "digits; at most"),
])
def test_anything_else_is_refused_with_the_reason(text, why):
    with pytest.raises(NumberError, match=why):
        parse_decimal(text)


def test_decimals_count_printed_digits():
    assert [decimals_of(t) for t in ("5.71", "660", "66.6667")] == [2, 0, 4]


@pytest.mark.parametrize("figure, unit, value", [
    ("16.28", "亿元", 16.28), ("5.71", "%", 5.71), ("135.71%", "%", 135.71), ("三十", "年", 30), ("第二年", "年", 2),
    ("一年多", "年", 1), ("千亿", "亿元", 1000), ("三分之二", "%", 200 / 3), ("首位", "位", 1), ("之首", "位", 1),
    ("第一", "位", 1), ("三名", "名", 3), ("六大", "个", 6), ("十届", "届", 10), ("二十", "届", 20), ("两", "个", 2),
    ("一百二十", "个", 120),
])
def test_a_figure_states_its_number_in_the_claims_unit(figure, unit, value):
    assert figure_value(figure, unit) == pytest.approx(value)


@pytest.mark.parametrize("figure", ["十四五", "1+3+2", "亿元", "史上最好", "两中心一基地", "十四"])
def test_names_and_words_state_no_number(figure):
    assert figure_value(figure, "个") in (None, 14.0) if figure == "十四" else figure_value(figure, "个") is None


def test_same_number_at_the_cells_decimals():
    assert same_number(200 / 3 * 1, 0.6667 * 100, 2)
    assert same_number(66.66666, 66.6667, 4)
    assert not same_number(66.66666, 66.67, 4)
    assert not same_number(660, 661, 0)


@pytest.mark.parametrize("figure, quote, offsets", [
    ("1", "研发经费16.28亿元", []), ("28", "研发经费16.28亿元", []), ("16.28", "研发经费16.28亿元", [4]),
    ("十", "二十大", []), ("二十", "二十大", [0]), ("28", "增长135.71%,达28件", [11]), ("2", "2家和12家", [0]),
    ("3", "3.5和3", [4]), ("53", "第53位", [1]), ("十届", "十届四次全会", [0]),
])
def test_a_figure_is_found_only_as_a_whole_token(figure, quote, offsets):
    assert token_offsets(figure, quote) == offsets
