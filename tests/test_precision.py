"""Rounding-aware intervals of factcheck.precision."""

from __future__ import annotations

import math

import pytest

from factcheck.precision import (
    APPROX_TOLERANCE,
    Interval,
    figure_interval,
    format_number,
    half_unit,
    matches_printed,
    round_half_up,
)

INF = math.inf


def ends(iv: Interval) -> tuple:
    return (iv.lo, iv.hi, iv.lo_open, iv.hi_open)


# ---- figure_interval, one qualifier at a time ----------------------------------------------------


def test_equals_covers_half_a_printed_unit_either_side():
    iv = figure_interval(5.71, 2, "=")
    assert iv.lo == pytest.approx(5.705)
    assert iv.hi == pytest.approx(5.715)
    assert (iv.lo_open, iv.hi_open) == (False, True)
    assert iv.contains(5.7101) and iv.contains(5.7149)
    assert not iv.contains(5.7151) and not iv.contains(5.7049)


def test_equals_with_zero_decimals_covers_half_a_unit():
    iv = figure_interval(660, 0, "=")
    assert (iv.lo, iv.hi) == (659.5, 660.5)
    assert iv.contains(659.5) and not iv.contains(660.5)


def test_whole_count_printed_plainly_is_exact():
    iv = figure_interval(28, 0, "=", whole=True)
    assert ends(iv) == (28, 28, False, False)
    assert iv.contains(28)
    assert not iv.contains(27.9) and not iv.contains(28.1)


def test_whole_count_with_qualifier_is_not_made_exact():
    # 超120个 (more than 120) is a bound even for a count
    iv = figure_interval(120, 0, ">", whole=True)
    assert iv.contains(121) and iv.contains(10_000)
    assert not iv.contains(120)


def test_greater_than_excludes_the_figure_and_is_open_ended():
    iv = figure_interval(80, 0, ">")
    assert ends(iv) == (80, INF, True, False)
    assert not iv.contains(80)
    assert iv.contains(80.0001) and iv.contains(1e9)


def test_greater_than_stops_at_the_indicator_maximum():
    iv = figure_interval(90, 0, ">", upper=100)
    assert ends(iv) == (90, 100, True, False)
    assert iv.contains(100) and not iv.contains(100.1)


def test_at_least_includes_what_prints_as_the_figure():
    iv = figure_interval(10, 0, "≥")
    assert ends(iv) == (9.5, INF, False, False)
    assert iv.contains(10) and iv.contains(9.5) and iv.contains(1e6)
    assert not iv.contains(9.49)


def test_less_than_excludes_the_figure_and_reaches_the_minimum():
    iv = figure_interval(50, 0, "<", lower=1)
    assert ends(iv) == (1, 50, False, True)
    assert iv.contains(1) and iv.contains(49.99)
    assert not iv.contains(50) and not iv.contains(0.5)


def test_less_than_without_minimum_is_open_ended_below():
    iv = figure_interval(50, 0, "<")
    assert iv.lo == -INF and iv.contains(-1e9)


def test_at_most_includes_what_prints_as_the_figure():
    iv = figure_interval(50, 0, "≤")
    assert ends(iv) == (-INF, 50.5, False, True)
    assert iv.contains(50) and iv.contains(50.49)
    assert not iv.contains(50.5)


def test_approximately_allows_five_percent():
    iv = figure_interval(14, 0, "≈")
    assert APPROX_TOLERANCE == 0.05
    assert iv.lo == pytest.approx(13.3) and iv.hi == pytest.approx(14.7)
    assert (iv.lo_open, iv.hi_open) == (False, False)
    assert iv.contains(13.31) and iv.contains(14.69)
    assert not iv.contains(13.29) and not iv.contains(14.71)


def test_approximately_is_never_narrower_than_the_printed_precision():
    # 5 % of 2 is 0.1, less than the half unit 0.5 of a figure printed without decimals
    iv = figure_interval(2, 0, "≈")
    assert iv.lo == pytest.approx(1.5) and iv.hi == pytest.approx(2.5)


def test_interval_is_clipped_to_indicator_bounds():
    share = figure_interval(99.9, 0, "≈", lower=0, upper=100)
    assert share.hi == 100 and not share.hi_open
    small = figure_interval(0.2, 0, "≈", lower=0, upper=100)
    assert small.lo == 0 and not small.lo_open


def test_figure_outside_indicator_bounds_is_refused():
    with pytest.raises(ValueError, match="outside the indicator's bounds"):
        figure_interval(120, 0, "=", lower=0, upper=100)


def test_unknown_qualifier_is_refused():
    with pytest.raises(ValueError, match="unknown qualifier"):
        figure_interval(5, 0, "~")


def test_negative_half_unit_belongs_to_the_figure_it_rounds_to():
    # round_half_up sends -96.875 away from zero, to -96.88; so the printed -96.87 cannot mean -96.875.
    assert round_half_up(-96.875, 2) == -96.88
    assert figure_interval(-96.88, 2).contains(-96.875)
    assert not figure_interval(-96.87, 2).contains(-96.875)


@pytest.mark.parametrize("x, printed", [(1.005, 1.01), (0.075, 0.08)])
def test_positive_half_unit_belongs_to_the_figure_it_rounds_to(x, printed):
    # every exactly-half value belongs to one printed figure only: the one round_half_up prints.
    # (figure_interval builds its ends by float arithmetic: 1.01 - 0.005 is 1.0050000000000001, so 1.005
    # falls out of its own figure; 0.07 + 0.005 is 0.07500000000000001, so 0.075 falls into 0.07's.)
    assert round_half_up(x, 2) == printed
    assert figure_interval(printed, 2).contains(x)
    assert not figure_interval(round(printed - 0.01, 2), 2).contains(x)


# ---- rounding and printing -------------------------------------------------------------------------


def test_round_half_up_rounds_half_away_from_zero():
    assert round_half_up(0.125, 2) == 0.13
    assert round(0.125, 2) == 0.12  # what Python's banker's rounding would print instead
    assert round_half_up(2.5, 0) == 3
    assert round_half_up(-2.5, 0) == -3
    assert round_half_up(1.005, 2) == 1.01  # the float 1.005 is below 1.005, but it is printed 1.005
    assert round_half_up(5.389, 2) == 5.39
    assert round_half_up(5.3849, 2) == 5.38


def test_half_unit():
    assert half_unit(0) == 0.5
    assert half_unit(2) == pytest.approx(0.005)


def test_matches_printed_at_printed_precision():
    assert matches_printed(5.389, 5.39, 2)
    assert matches_printed(5.3850, 5.39, 2)
    assert not matches_printed(5.3849, 5.39, 2)
    assert not matches_printed(5.395, 5.39, 2)
    assert matches_printed(0.125, 0.13, 2)
    assert matches_printed(1.652, 1.65, 2)
    assert not matches_printed(1.373, 15.53, 2)


def test_matches_printed_honours_qualifiers():
    assert matches_printed(62, 53, 0, ">")
    assert not matches_printed(53, 53, 0, ">")
    assert not matches_printed(50, 53, 0, ">")
    assert matches_printed(9.5, 10, 0, "≥")
    assert not matches_printed(9.4, 10, 0, "≥")
    assert matches_printed(14.6, 14, 0, "≈")
    assert not matches_printed(15, 14, 0, "≈")
    assert matches_printed(49, 50, 0, "<")
    assert not matches_printed(50, 50, 0, "<")


def test_format_number_drops_trailing_zeros():
    assert format_number(2.50) == "2.5"
    assert format_number(3.0) == "3"
    assert format_number(5.3894, 2) == "5.39"
    assert format_number(0.125, 2) == "0.13"
    assert format_number(math.inf) == "inf"


# ---- Interval ------------------------------------------------------------------------------------


def test_interval_refuses_lo_above_hi():
    with pytest.raises(ValueError, match="empty interval"):
        Interval(2, 1)


def test_point_interval_contains_only_its_point():
    p = Interval.point(3)
    assert p.contains(3) and not p.contains(3.0000001)
    assert p.whole_numbers() == [3]


@pytest.mark.parametrize(
    "a, b, expected",
    [
        (Interval(0, 1), Interval(1, 2), True),  # closed ends touch
        (Interval(0, 1, hi_open=True), Interval(1, 2), False),  # [0,1) and [1,2]
        (Interval(0, 1), Interval(1, 2, lo_open=True), False),  # [0,1] and (1,2]
        (Interval(0, 1, hi_open=True), Interval(0.5, 2), True),
        (Interval(0, 1), Interval(2, 3), False),
        (Interval(0, 1, lo_open=True), Interval(0, 1), True),  # same ends, one open: still overlap
        (Interval(1, 1), Interval(1, 1), True),
        (Interval(1, 1, lo_open=True), Interval(0, 2), False),  # (1,1] is empty
        (Interval(-INF, INF), Interval(5, 5), True),
        (Interval(80, INF, lo_open=True), Interval(79.5, 80.5, hi_open=True), True),
        (Interval(80, INF, lo_open=True), Interval(79.5, 80), False),
    ],
)
def test_intersects_edge_cases(a, b, expected):
    assert a.intersects(b) is expected
    assert b.intersects(a) is expected


@pytest.mark.parametrize(
    "inner, outer, expected",
    [
        (Interval(1, 2), Interval(0, 3), True),
        (Interval(0, 3), Interval(1, 2), False),
        (Interval(1, 2), Interval(1, 2), True),
        (Interval(1, 2), Interval(1, 2, hi_open=True), False),  # 2 is not in [1,2)
        (Interval(1, 2, hi_open=True), Interval(1, 2), True),
        (Interval(1, 2, lo_open=True, hi_open=True), Interval(1, 2), True),
        (Interval(1, 2), Interval(1, 2, lo_open=True), False),
        (Interval(700, INF, lo_open=True), Interval(680, INF, lo_open=True), True),
        (Interval(660, 660), Interval(680, INF, lo_open=True), False),
        (Interval(5, INF), Interval(0, 100), False),
    ],
)
def test_within_edge_cases(inner, outer, expected):
    assert inner.within(outer) is expected


@pytest.mark.parametrize(
    "iv, expected",
    [
        (Interval(2.5, 5.5), [3, 4, 5]),
        (Interval(3, 5, hi_open=True), [3, 4]),
        (Interval(3, 5, lo_open=True), [4, 5]),
        (Interval(3, 5, lo_open=True, hi_open=True), [4]),
        (Interval(3.2, 3.8), []),
        (Interval(11.87, 11.89), []),  # what 28 with +135.71 % implies: no whole base
        (Interval(3049.77, 3050.04), [3050]),
        (Interval(-2.5, -0.5), [-2, -1]),
        (Interval(-INF, 5), []),
    ],
)
def test_whole_numbers(iv, expected):
    assert iv.whole_numbers() == expected


def test_whole_numbers_respects_limit_and_open_ended_intervals():
    assert Interval(0, 100).whole_numbers(limit=6) == [0, 1, 2, 3, 4, 5]
    assert Interval(1, INF).whole_numbers(limit=3) == [1, 2, 3]
    assert Interval(0.5, INF, lo_open=True).whole_numbers(limit=2) == [1, 2]
