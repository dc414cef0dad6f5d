"""Property-based tests (hypothesis) of rounding, back-solving and qualifier boundaries.

Every test is derandomized, so a run is reproducible: the same examples are tried each time.
Back-solving is checked against a brute force in exact rational arithmetic (``fractions``), so the
reference itself has no floating-point fuzz.
"""

from __future__ import annotations

import math
from fractions import Fraction

from hypothesis import Phase, assume, given, settings
from hypothesis import strategies as st

from factcheck.formula import parse_formula
from factcheck.precision import APPROX_TOLERANCE, Interval, figure_interval, half_unit, matches_printed, round_half_up

SETTINGS = settings(derandomize=True, max_examples=150, deadline=None, database=None)
GROWTH = parse_formula("(cur / prev - 1) * 100", ["cur", "prev"])


def exact_round(x: Fraction, decimals: int = 2) -> Fraction:
    """Round half away from zero, exactly (what round_half_up does to a decimal string)."""
    scale = 10**decimals
    n = abs(x) * scale
    r = math.floor(n + Fraction(1, 2))
    return Fraction(r if x >= 0 else -r, scale)


def printed_growth(cur: int, prev: int) -> Fraction:
    return exact_round(Fraction(100 * (cur - prev), prev))


def whole_bases(cur: int, growth: Fraction) -> list[int]:
    """Every whole previous count whose growth to ``cur`` is printed as ``growth`` (brute force)."""
    g = float(growth)
    lo = math.floor(cur / (1 + (g + 0.01) / 100)) - 2
    hi = math.ceil(cur / (1 + (g - 0.01) / 100)) + 2
    return [b for b in range(max(1, lo), hi + 1) if printed_growth(cur, b) == growth]


def implied_bases(cur: int, growth: Fraction) -> Interval | None:
    target = figure_interval(float(growth), 2, "=", lower=-100)
    return GROWTH.solve("prev", target, {"cur": Interval.point(cur)})


# ---- (a) a printed value reproduces itself ------------------------------------------------------------


@SETTINGS
@given(x=st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), d=st.integers(0, 4))
def test_a_printed_value_reproduces_itself(x, d):
    y = round_half_up(x, d)
    assert matches_printed(y, y, d)
    assert matches_printed(x, y, d)  # x is what was printed as y
    assert round_half_up(y, d) == y  # printing is idempotent
    assert figure_interval(y, d).contains(y)


@SETTINGS
@given(x=st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), d=st.integers(0, 4))
def test_a_value_does_not_match_the_neighbouring_printed_figures(x, d):
    y = round_half_up(x, d)
    step = 10.0**-d
    assert not matches_printed(x, round_half_up(y + step, d), d)
    assert not matches_printed(x, round_half_up(y - step, d), d)


# ---- (b) back-solving a growth rate for a whole base ---------------------------------------------------


@SETTINGS
@given(prev=st.integers(1, 5000), cur=st.integers(1, 20000))
def test_growth_back_solve_contains_the_true_base(prev, cur):
    growth = printed_growth(cur, prev)
    assume(growth > -100)
    iv = implied_bases(cur, growth)
    assert iv is not None
    assert iv.contains(prev), f"{cur} from {prev} is {float(growth)} %, yet {iv} excludes {prev}"


@SETTINGS
@given(prev=st.integers(1, 2000), cur=st.integers(1, 2000), offset=st.integers(-3, 3))
def test_whole_bases_of_implied_interval_equal_brute_force(prev, cur, offset):
    # a printed rate near a real one: sometimes whole bases exist, sometimes none does
    growth = printed_growth(cur, prev) + Fraction(offset, 100)
    assume(growth >= -90)
    iv = implied_bases(cur, growth)
    assert iv is not None
    assert iv.whole_numbers(limit=10_000) == whole_bases(cur, growth)


@SETTINGS
@given(cur=st.integers(1, 300), hundredths=st.integers(-5000, 50000))
def test_no_whole_base_is_reported_when_none_exists(cur, hundredths):
    growth = Fraction(hundredths, 100)
    assume(not whole_bases(cur, growth))
    iv = implied_bases(cur, growth)
    assert iv is not None
    assert iv.whole_numbers() == []


@settings(SETTINGS, phases=[Phase.explicit, Phase.generate])  # no shrinking: the message names the case
@given(k=st.integers(1, 156), j=st.integers(0, 31), sign=st.sampled_from([1, -1]))
def test_growth_on_a_rounding_boundary_admits_its_base_for_one_printed_figure_only(k, j, sign):
    # prev = 32k and cur = prev ± (2j+1)k make the growth exactly ±3.125 × (2j+1) %: a third decimal 5,
    # printed (half away from zero) as one figure only. The base must be implied by that figure and
    # by no neighbouring figure. Random examples rarely land on such boundaries, hence this strategy.
    prev = 32 * k
    cur = prev + sign * (2 * j + 1) * k
    assume(cur > 0)
    exact = Fraction(100 * (cur - prev), prev)
    assert exact.denominator == 8  # ends in …25 or …75 thousandths
    growth = printed_growth(cur, prev)
    assert prev in whole_bases(cur, growth)
    assert implied_bases(cur, growth).contains(prev)
    for neighbour in (growth - Fraction(1, 100), growth + Fraction(1, 100)):
        assert prev not in whole_bases(cur, neighbour)
        assert prev not in implied_bases(cur, neighbour).whole_numbers(limit=10_000), (
            f"{cur} from {prev} is exactly {float(exact)} %, printed {float(growth)} %, "
            f"yet the printed {float(neighbour)} % is said to allow the base {prev}")


def test_brute_force_reference_itself():
    # the reference used above: 28 after +135.71 % has no whole base, 3404 after +11.61 % has 3050
    assert whole_bases(28, Fraction("135.71")) == []
    assert whole_bases(3404, Fraction("11.61")) == [3050]
    assert printed_growth(33, 32) == Fraction("3.13")  # 3.125 rounds half up


# ---- (c) qualifier boundaries --------------------------------------------------------------------------

printed = st.tuples(st.integers(1, 10_000_000), st.integers(0, 3)).map(lambda t: (t[0] / 10 ** t[1], t[1]))


@SETTINGS
@given(printed)
def test_more_than_excludes_its_boundary(vd):
    v, d = vd
    iv = figure_interval(v, d, ">")
    assert not iv.contains(v)
    assert iv.contains(v + 10.0 ** -(d + 1))
    assert iv.contains(v * 2)
    assert not matches_printed(v, v, d, ">")


@SETTINGS
@given(printed)
def test_at_least_includes_its_boundary(vd):
    v, d = vd
    iv = figure_interval(v, d, "≥")
    assert iv.contains(v)
    assert iv.contains(v * 2)
    assert not iv.contains(v - 2 * half_unit(d))
    assert matches_printed(v, v, d, "≥")


@SETTINGS
@given(printed)
def test_less_than_and_at_most_mirror_them(vd):
    v, d = vd
    assert not figure_interval(v, d, "<").contains(v)
    assert figure_interval(v, d, "<").contains(v - 10.0 ** -(d + 1))
    assert figure_interval(v, d, "≤").contains(v)
    assert not figure_interval(v, d, "≤").contains(v + 2 * half_unit(d))


@SETTINGS
@given(printed)
def test_approximately_is_within_five_percent(vd):
    v, d = vd
    iv = figure_interval(v, d, "≈")
    spread = max(v * APPROX_TOLERANCE, half_unit(d))
    assert iv.contains(v)
    assert iv.contains(v + 0.99 * spread) and iv.contains(v - 0.99 * spread)
    assert not iv.contains(v + 1.01 * spread) and not iv.contains(v - 1.01 * spread)
    if v * APPROX_TOLERANCE >= half_unit(d):
        assert iv.contains(v * 1.049) and iv.contains(v * 0.951)
        assert not iv.contains(v * 1.051) and not iv.contains(v * 0.949)
