"""factcheck.mentions: every numeric mention of an article, with its offset, kind and value."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from factcheck.cli import main
from factcheck.mentions import KINDS, Mention, context, scan
from factcheck.numbers import parse_chinese_number

ARTICLES = Path(__file__).resolve().parent.parent / "data" / "articles"
JMRB = ARTICLES / "jmrb-2023-hightech-zone.txt"
ALL_ARTICLES = [JMRB, ARTICLES / "nfrb-2024-jianghai-excerpts.txt", ARTICLES / "jianghai-work-report-2022-excerpts.txt"]


def found(text: str) -> list[tuple[str, str]]:
    """(text, kind) of every mention, in order."""
    return [(m.text, m.kind) for m in scan(text)]


def only(text: str) -> Mention:
    mentions = scan(text)
    assert len(mentions) == 1, mentions
    return mentions[0]


# ---- Arabic numbers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "mention", "value"),
    [
        ("拥有660家高企", "660", 660),
        ("支出达16.28亿元", "16.28", 16.28),
        ("占GDP比例达5.71%", "5.71%", 5.71),
        ("PCT国际专利申请量大幅增长135.71%", "135.71%", 135.71),
        ("建成面积超80万平方米", "80", 80),
        ("每万人口15.53件", "15.53", 15.53),
    ],
)
def test_arabic_numbers_integers_decimals_percentages(text, mention, value):
    m = only(text)
    assert (m.text, m.kind, m.value) == (mention, "number", value)


def test_a_chinese_multiplier_after_an_arabic_number_is_its_unit_not_a_mention():
    assert found("产值突破400亿元,面积80万平方米") == [("400", "number"), ("80", "number")]


def test_full_width_digits_are_found_and_reported_as_printed():
    m = only("增长１２．５％")
    assert (m.text, m.kind, m.value) == ("１２．５％", "number", 12.5)
    assert only("企业６６０家").value == 660


# ---- ranges, dates, compounds ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "mention"),
    [("计划期为2022—2024年", "2022—2024年"), ("2022-2024", "2022-2024"), ("每年3至5个", "3至5"),
     ("2022年至2024年", "2022年至2024年"), ("增长3%-5%", "3%-5%"), ("三至五年", "三至五")],
)
def test_a_range_is_one_mention(text, mention):
    m = only(text)
    assert (m.text, m.kind, m.value) == (mention, "range", None)


@pytest.mark.parametrize(
    ("text", "mention"),
    [("2022年7月1日,新的办法正式实施", "2022年7月1日"), ("2013年7月,从中山大学毕业后", "2013年7月"),
     ("2021年底,江门高新区", "2021年底"), ("于2022年被认定", "2022年"), ("2022年度广东省", "2022年度"),
     ("2024-02-18《江门江海》", "2024-02-18"), ("2月18日", "2月18日"), ("二〇二二年", "二〇二二年")],
)
def test_a_date_is_one_mention(text, mention):
    m = only(text)
    assert (m.text, m.kind, m.value) == (mention, "date", None)


def test_a_year_followed_by_many_is_a_date_not_an_approximation():
    assert found("2022年多家企业") == [("2022年", "date")]


@pytest.mark.parametrize("compound", ["1+3+2", "1+6"])
def test_compounds_are_one_mention(compound):
    m = only(f"以“{compound}”战略性新兴产业集群建设为抓手")
    assert (m.text, m.kind, m.value) == (compound, "compound", None)


def test_a_plus_misread_as_4_is_just_the_number_4():
    assert found("构建“北深港总部”“4”“江门基地”的飞地孵化器新模式") == [("4", "number")]


# ---- approximations --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "mention", "value"),
    [("经过一年多的实践", "一年多", 1), ("累计孵化项目120余个", "120余", 120), ("创业者10余名", "10余", 10),
     ("10多个", "10多", 10), ("二十多年", "二十多", 20), ("一个多月", "一个多月", 1), ("十几家", "十几", 10),
     ("近百家", "近百", 100), ("上千人", "上千", 1000), ("数十家", "数十", None), ("几十家", "几十", None),
     ("1.5万余人", "1.5万余", 15000)],
)
def test_approximations(text, mention, value):
    m = only(text)
    assert (m.text, m.kind, m.value) == (mention, "approx", value)


@pytest.mark.parametrize(("text", "mention"), [("国家高企超680家", "680"), ("近10年", "10"), ("约5%", "5%")])
def test_qualifiers_before_a_number_are_not_part_of_the_mention(text, mention):
    assert only(text).text == mention


# ---- Chinese numerals ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("三十而立", [("三十", 30)]),
        ("是实施“十四五”规划承上启下的关键之年", [("十四五", None)]),
        ("深入学习贯彻党的二十大精神", [("二十", 20)]),
        ("江海区委十届四次全会", [("十", 10), ("四", 4)]),
        ("紧紧围绕市委“六大工程”", [("六", 6)]),
        ("三大战略性新兴产业", [("三", 3)]),
        ("千亿级的产业", [("千亿", 1e11)]),
        ("目标仅差三名", [("三", 3)]),
        ("两中心一基地", [("两", 2), ("一", 1)]),
        ("成功引进超亿元项目", [("亿", 1e8)]),
        ("“五维一体”安全应急产业格局", [("五", 5)]),
        ("二十分钟", [("二十", 20)]),
        ("三十一个", [("三十一", 31)]),
    ],
)
def test_chinese_numerals(text, expected):
    mentions = scan(text)
    assert [(m.text, m.value) for m in mentions] == expected
    assert {m.kind for m in mentions} == {"chinese"}


@pytest.mark.parametrize(("text", "value"), [("三分之二", 2 / 3), ("百分之五十", 0.5), ("三分之一", 1 / 3)])
def test_fractions(text, value):
    m = only(f"占全市{text}")
    assert (m.text, m.kind) == (text, "fraction")
    assert m.value == pytest.approx(value)


@pytest.mark.parametrize(
    ("text", "mention", "value"),
    [("在全市排名第一", "第一", 1), ("行动计划的第二年", "第二", 2), ("排名上升至第53位", "第53", 53),
     ("第十四届", "第十四", 14), ("第一批", "第一", 1)],
)
def test_ordinals(text, mention, value):
    m = only(text)
    assert (m.text, m.kind, m.value) == (mention, "ordinal", value)


@pytest.mark.parametrize(("text", "mention"), [("是我市首个国家级众创空间", "首个"), ("入选全国首批试点", "首批"),
                                               ("首季度地区生产总值", "首季度"), ("全国首家", "首家"),
                                               ("高居全市首位", "首位"), ("首届创新大赛", "首届")])
def test_first_before_a_classifier_is_an_ordinal(text, mention):
    m = only(text)
    assert (m.text, m.kind, m.value) == (mention, "ordinal", 1)


@pytest.mark.parametrize("text", ["首先要推进", "打造首选地", "首都北京", "首次举办", "首席科学家", "首要任务"])
def test_first_in_other_words_is_no_number(text):
    assert scan(text) == []


@pytest.mark.parametrize(
    "word",
    ["一流", "统一", "进一步", "一体", "一体化", "一批", "一系列", "一些", "一直", "一起", "一道", "一方面", "唯一",
     "万物", "千方百计", "一步一个脚印", "三位一体", "一站式", "一揽子", "一线", "一手", "同一", "第一时间", "万众",
     "一举", "之一", "一路", "一个个", "新一代", "不拘一格", "十分", "零部件", "百姓", "两侧"],
)
def test_numeral_characters_inside_ordinary_words_are_not_numbers(word):
    assert scan(f"我们{word}推进") == []


@pytest.mark.parametrize(
    "text",
    ["明确了当前和今后一个时期的主攻方向", "释放出一个重要信号", "一场“国字号”应急主题峰会", "30年磨一剑",
     "如何实现这一目标?", "再下一城获国赛优秀奖"],
)
def test_idioms_and_the_indefinite_article_are_not_numbers(text):
    assert all(m.kind == "number" for m in scan(text))


def test_enumeration_markers_are_not_reported():
    assert scan("一是加强平台建设;二是推进招商,三是优化服务。其一是") == []


def test_a_duration_with_one_is_still_a_number():
    assert found("一个月内") == [("一", "chinese")]


# ---- parse_chinese_number, context -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [("三", 3), ("十", 10), ("二十", 20), ("一百二十", 120), ("两", 2), ("一百零五", 105), ("三万五千", 35000),
     ("千亿", 1e11), ("一亿两千万", 1.2e8), ("二〇二二", 2022), ("三分之二", 2 / 3), ("百分之五十", 0.5),
     ("1.5万", 15000), ("16.28亿", 1.628e9), ("１．５万", 15000)],
)
def test_parse_chinese_number(text, value):
    assert parse_chinese_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["十四五", "", "abc", "三分之零零x"])
def test_parse_chinese_number_gives_none_for_what_is_no_single_number(text):
    assert parse_chinese_number(text) is None


def test_context_is_the_clause_around_a_mention():
    text = "一、总体情况\n全社会研发经费支出达16.28亿元,占GDP比例达5.71%;在全市排名第一。"
    for m in scan(text):
        assert m.text in context(text, m.offset, len(m.text))
    assert context(text, text.index("16.28"), 5) == "全社会研发经费支出达16.28亿元"
    assert context(text, text.index("5.71%"), 5) == "占GDP比例达5.71%"
    assert context(text, text.index("第一"), 2) == "在全市排名第一"
    with pytest.raises(ValueError):
        context(text, len(text), 1)


# ---- the real articles -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", ALL_ARTICLES, ids=lambda p: p.stem)
def test_offsets_round_trip_and_mentions_are_sorted_and_disjoint(path):
    text = path.read_text(encoding="utf-8")
    mentions = scan(text)
    assert mentions
    for m in mentions:
        assert text[m.offset : m.offset + len(m.text)] == m.text
        assert m.kind in KINDS
        assert m.value is None or math.isfinite(m.value)
    for a, b in zip(mentions, mentions[1:], strict=False):
        assert a.offset + len(a.text) <= b.offset
    assert scan(text) == mentions  # deterministic


@pytest.mark.parametrize(
    ("mention", "kind", "value"),
    [("第53", "ordinal", 53), ("16.28", "number", 16.28), ("5.71%", "number", 5.71),
     ("135.71%", "number", 135.71), ("三分之二", "fraction", 2 / 3), ("一年多", "approx", 1),
     ("1+3+2", "compound", None), ("120余", "approx", 120), ("2022年7月1日", "date", None),
     ("十四五", "chinese", None), ("1+6", "compound", None), ("2021年底", "date", None), ("千亿", "chinese", 1e11),
     ("三十", "chinese", 30), ("10余", "approx", 10), ("4", "number", 4)],
)
def test_known_mentions_of_the_jmrb_article(mention, kind, value):
    hits = [m for m in scan(JMRB.read_text(encoding="utf-8")) if m.text == mention]
    assert hits, f"{mention} not found"
    assert {m.kind for m in hits} == {kind}
    assert hits[0].value == pytest.approx(value)


def test_no_word_is_reported_from_the_jmrb_article():
    text = JMRB.read_text(encoding="utf-8")
    reported = {(m.offset, m.offset + len(m.text)) for m in scan(text)}
    for word in ["一流", "进一步", "一步一个脚印", "一个时期", "之一", "一批", "一路", "一场", "新一代", "一揽子",
                 "不拘一格", "一个个", "两侧", "磨一剑"]:
        start = text.index(word)
        assert not any(s < start + len(word) and start < e for s, e in reported), word
    assert all(m.text != "万" for m in scan(text))  # 每万人口, 80万平方米


def test_the_jmrb_article_has_every_registered_arabic_figure():
    mentions = [m.text.rstrip("%") for m in scan(JMRB.read_text(encoding="utf-8"))]
    for figure in ["660", "268", "591", "14", "3404", "11.61", "1251", "21.74", "28", "52", "15.53", "1.65", "555",
                   "223", "43", "400", "72", "41", "169", "2.6", "25", "16", "9", "1000", "502", "35"]:
        assert figure in mentions, figure


# ---- python -m factcheck mentions -------------------------------------------------------------------


DATA = Path(__file__).resolve().parent.parent / "data"


def test_the_command_lists_every_mention_and_what_accounts_for_it(capsys):
    assert main(["mentions", "--data", str(DATA), "--source", "jmrb-2023"]) == 0
    out = capsys.readouterr()
    lines = out.out.splitlines()
    assert len(lines) == len(scan(JMRB.read_text(encoding="utf-8")))
    source, offset, kind, text, status, quote = next(line.split("\t") for line in lines if "\t16.28\t" in line)
    assert (source, kind, text, status) == ("jmrb-2023", "number", "16.28", "2022-rd-spend")
    assert quote == "全社会研发经费支出达16.28亿元"
    assert "0 mention(s) not accounted for" in out.err


def test_the_command_refuses_an_unknown_source_in_one_line(capsys):
    assert main(["mentions", "--data", str(DATA), "--source", "nope"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: parameter 'source': 'nope' is not a source") and len(err.splitlines()) == 1
