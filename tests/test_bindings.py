"""The bindings mini-language of factcheck.bindings."""

from __future__ import annotations

import pytest

from factcheck.bindings import PROXY_TOLERANCE, Period, Reference, parse_bindings


def only(text: str) -> Reference:
    refs = parse_bindings(text)
    assert len(refs) == 1
    return refs[0]


def test_claim_reference():
    ref = only("rd=claim:2022-rd-spend")
    assert (ref.name, ref.kind, ref.target, ref.optional) == ("rd", "claim", "2022-rd-spend", False)
    assert ref.periods == ()


def test_input_reference_with_alternative_period():
    ref = only("gdp=gdp@江海区@2022|2021")
    assert ref.kind == "input"
    assert (ref.target, ref.geography) == ("gdp", "江海区")
    assert ref.periods == (Period(2022), Period(2021))
    assert ref.periods[0].year == 2022  # the first period is the one the claim refers to
    assert not any(p.proxy for p in ref.periods)
    assert not ref.optional


def test_proxy_periods_are_marked():
    ref = only("pop=population@江海区@2022|~2023|~2020")
    assert ref.periods == (Period(2022), Period(2023, proxy=True), Period(2020, proxy=True))
    assert [str(p) for p in ref.periods] == ["2022", "~2023", "~2020"]
    assert PROXY_TOLERANCE == 0.05


def test_items_reference_counts_enumerated_parts():
    ref = only("n=items:高端装备制造、前沿新材料、新一代电子信息")
    assert ref.kind == "items"
    assert ref.target == "高端装备制造、前沿新材料、新一代电子信息"
    assert ref.items() == ["高端装备制造", "前沿新材料", "新一代电子信息"]


def test_items_accept_commas_and_skip_empty_parts():
    ref = only("n=items:区, 街，村、、")
    assert ref.items() == ["区", "街", "村"]


@pytest.mark.parametrize("text, value", [("goal=50", 50.0), ("now=2022", 2022.0), ("k=-1.5", -1.5), ("x=0.25", 0.25)])
def test_constants(text, value):
    ref = only(text)
    assert ref.kind == "constant"
    assert ref.constant == value


@pytest.mark.parametrize(
    "text, kind",
    [("r2015=evaluation_rank@江门高新区@2015?", "input"), ("z=claim:2022-x?", "claim"),
     ("r=rank@江门高新区@2015 ?", "input")],
)
def test_optional_mark(text, kind):
    ref = only(text)
    assert ref.kind == kind
    assert ref.optional
    assert not ref.target.endswith("?")
    assert not any(str(p).endswith("?") for p in ref.periods)


def test_several_bindings_keep_their_order_and_ignore_blanks():
    refs = parse_bindings(" cur = claim:2022-pct ;; prev=pct_applications@江门高新区@2021; ")
    assert [r.name for r in refs] == ["cur", "prev"]
    assert [r.kind for r in refs] == ["claim", "input"]
    assert refs[1].periods == (Period(2021),)


@pytest.mark.parametrize("text", ["", None, " ; "])
def test_empty_bindings(text):
    assert parse_bindings(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "rd=claim:2022-rd",
        "gdp=gdp@江海区@2022|2021",
        "pop=population@江海区@2022|~2023",
        "r=evaluation_rank@江门高新区@2015?",
        "z=claim:2022-x?",
        "n=items:甲、乙、丙",
        "goal=50",
    ],
)
def test_reference_text_round_trips(text):
    ref = only(text)
    assert only(f"{ref.name}={ref.text}") == ref


@pytest.mark.parametrize(
    "text, message",
    [
        ("rd claim:2022-rd", "has no '='"),
        ("1x=5", "not a valid symbol"),
        ("a-b=5", "not a valid symbol"),
        ("=5", "not a valid symbol"),
        ("a=5; a=6", "appears twice"),
        ("g=gdp@江海区", "not indicator@geography@period"),
        ("g=gdp@江海区@2022@x", "not indicator@geography@period"),
        ("g=gdp@@2022", "not indicator@geography@period"),
        ("g=@江海区@2022", "not indicator@geography@period"),
        ("g=gdp@江海区@22", "period '22' is not a four-digit year"),
        ("g=gdp@江海区@2022|abcd", "period 'abcd'"),
        ("g=gdp@江海区@2022|", "is not a four-digit year"),
        ("g=gdp@江海区@2022~", "is not a four-digit year"),
        ("n=items:", "items: needs the enumerated text"),
        ("n=items:   ", "items: needs the enumerated text"),
        ("x=hello", "neither claim:ID"),
        ("x=", "neither claim:ID"),
    ],
)
def test_malformed_bindings_are_refused_with_the_offending_part(text, message):
    with pytest.raises(ValueError, match=message.replace("|", r"\|")):
        parse_bindings(text)


def test_error_names_the_binding():
    with pytest.raises(ValueError, match="binding 'g'"):
        parse_bindings("ok=5; g=gdp@江海区@20222")
