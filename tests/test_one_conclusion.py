"""One conclusion per figure: every count, row, card, sentence, CSV cell and ClaimReview rating the pages and
downloads state is the judgement its card shows. Each output is parsed back and compared with the claims'
judgements (on the real data, every edition), so a template that says more, or other, than the judgements
fails here. And every published sentence is Chinese as an editor writes it: full-width , ; : ( ) next to
Chinese, no engine phrases, no ids outside 展开.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from factcheck import chapters, claimreview, present
from factcheck.downloads import csv_text
from factcheck.edition import Book, Edition
from factcheck.vocabulary import BY_CODE, CODES, REVIEWED, SUPPORT, TARGET_COUNTED, counted
from factcheck.wording import clean
from factcheck.words import HALF_WIDTH_IN_ARITHMETIC

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def editions(repo_judged) -> dict[int, Edition]:
    return {year: Edition.read(repo_judged, year) for year in Book.read(repo_judged).years}


@pytest.fixture(scope="module")
def book(repo_judged) -> Book:
    return Book.read(repo_judged)


YEARS = [2021, 2022, 2023]


def _soup(html: object) -> BeautifulSoup:
    return BeautifulSoup(str(html), "html.parser")


def _verdicts(claims: list[dict]) -> Counter:
    return Counter(j["verdict"] for j in claims)


def _count_sentence(claims: list[dict]) -> str:
    """The counts as the judgements give them, in the vocabulary's words (not read from the file's counts)."""
    got = _verdicts(claims)
    return "，".join(counted(c, got[c]) for c in CODES if got[c])


# ---- rows, cards, badges -------------------------------------------------------------------------------
@pytest.mark.parametrize("year", YEARS)
def test_table_rows_and_badges_are_the_judgements(editions, year):
    e = editions[year]
    by_id = {j["claim_id"]: j for j in e.claims}
    rows = _soup(present.table(e, e.claims)).select("tbody tr")
    assert len(rows) == len(e.claims)
    for tr in rows:
        j = by_id[tr["id"].removeprefix("claim-")]
        badge = tr.select_one(".verdict")
        assert tr["data-verdict"] == badge["data-verdict"] == j["verdict"]
        assert badge.get_text() == j["label"] and badge.get_text().startswith(BY_CODE[j["verdict"]].label)


@pytest.mark.parametrize("year", YEARS)
def test_cards_show_the_judgement(editions, year):
    e = editions[year]
    by_id = {j["claim_id"]: j for j in e.claims}
    for chapter in e.published_chapters():
        for card in _soup(present.cards(e, e.in_chapter(chapter))).select("article.claim-card"):
            j = by_id[card["id"].removeprefix("claim-")]
            assert card["data-verdict"] == j["verdict"] and card.select_one(".verdict").get_text() == j["label"]
            assert card.select_one(".claim-why").get_text() == j["why"]
            assert BY_CODE[j["verdict"]].colour in card["style"]


# ---- counts and sentences ------------------------------------------------------------------------------
@pytest.mark.parametrize("year", YEARS)
def test_every_count_sentence_is_the_judgements(editions, year):
    e = editions[year]
    assert present.summary(e).endswith(f"核查{len(e.claims)}个统计数字：{_count_sentence(e.claims)}。</p>")
    for chapter in e.published_chapters():
        mine = e.in_chapter(chapter)
        assert f"核查{len(mine)}个统计数字：{_count_sentence(mine)}。" in present.summary(e, chapter)
        assert _count_sentence(mine) in str(present.chapter_links(e))
    assert f"共{len(e.claims)}个统计数字：{_count_sentence(e.claims)}。" in str(present.overview_lead(e))


@pytest.mark.parametrize("year", YEARS)
def test_the_findings_state_what_the_cards_show(editions, year):
    """The landing page's findings: the counts, the errors (each linking its card's row), what holds by
    verdict (each linking its card), the targets by status; nothing a card does not say."""
    e = editions[year]
    soup = _soup(present.findings(e))
    text = soup.get_text()
    assert f"列出{len(e.claims)}个统计数字" in text and f"本书逐一追溯、重算：{_count_sentence(e.claims)}。" in text
    bad = [j["claim_id"] for j in e.claims if j["verdict"] == "inconsistent"]
    linked = [a["href"].rsplit("#claim-", 1)[1] for a in soup.select("ul.errors a")]
    assert linked == bad
    if bad:
        assert f"有误的{len(bad)}个数字" in text
    else:
        assert "本版没有发现有误的数字" in text
    for li in soup.select("ul.holds > li"):
        code = li.select_one(".verdict")["data-verdict"]
        assert code in SUPPORT
        cards = [a["href"].rsplit("#claim-", 1)[1] for a in li.select("a")]
        assert cards == [j["claim_id"] for j in e.claims if j["verdict"] == code]
        assert counted(code, len(cards)) in li.get_text()
    shown = {li.select_one(".verdict")["data-verdict"] for li in soup.select("ul.holds > li")}
    assert shown == {j["verdict"] for j in e.claims if j["verdict"] in SUPPORT}
    statuses = Counter(j["target"]["status"] for j in e.claims if j["verdict"] == "target")
    for status, n in statuses.items():
        assert TARGET_COUNTED[status].format(n=n) in text
    unverifiable = sum(1 for j in e.claims if j["verdict"] == "unverifiable")
    if unverifiable:
        said = re.search(r"无法核实的(\d+)个数字：(.+?)。", text)
        assert said and int(said.group(1)) == unverifiable
        assert sum(int(n) for n in re.findall(r"(\d+)个", said.group(2))) == unverifiable


def test_an_error_whose_culprit_is_named_is_listed_under_that_figure(editions):
    e = editions[2022]
    soup = _soup(present.errors_list(e))
    items = {li.a["href"].rsplit("#claim-", 1)[1]: li for li in soup.select("li")}
    assert "2022-hv-patents" in items and "2022-hv-per10k" not in items
    assert items["2022-hv-patents"].mark.get_text() == "52"
    assert items["2022-hv-patents"].select_one(".error-figure").get_text() == "很可能有误：52件"
    assert items["2022-pct-growth"].select_one(".error-figure").get_text() == "135.71%和28件不能同时成立，无法判断哪一个有误"


# ---- downloads and ClaimReview -------------------------------------------------------------------------
@pytest.mark.parametrize("year", YEARS)
def test_the_verdict_table_cells_are_the_judgements(editions, year):
    e = editions[year]
    rows = list(csv.DictReader(io.StringIO(csv_text(e).removeprefix("\ufeff"))))
    assert [r["claim_id"] for r in rows] == [j["claim_id"] for j in e.claims]
    for r, j in zip(rows, e.claims, strict=True):
        assert (r["verdict"], r["结论"], r["理由"]) == (j["verdict"], j["label"], j["why"])


@pytest.mark.parametrize("year", YEARS)
def test_claim_reviews_rate_only_judged_figures_with_their_cards_words(editions, year):
    e = editions[year]
    doc = claimreview.graph(e)
    reviews = [n for n in doc["@graph"] if n["@type"] == "ClaimReview"]
    by_id = {j["claim_id"]: j for j in e.claims}
    assert [r["identifier"] for r in reviews] == [j["claim_id"] for j in e.claims if j["verdict"] in REVIEWED]
    assert not any(by_id[r["identifier"]]["verdict"] in ("stated", "target") for r in reviews)
    for r in reviews:
        j = by_id[r["identifier"]]
        assert r["reviewRating"]["alternateName"] == j["label"]
        assert r["reviewRating"]["ratingValue"] == BY_CODE[j["verdict"]].rating
        assert r["reviewRating"]["ratingExplanation"] == j["why"]
        assert r["url"].startswith(("https://", "http://")) and r["url"].endswith(
            f"/book/editions/{year}/{chapters.factcheck_page()}.html#claim-{j['claim_id']}")
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["datePublished"])
    ids = [n["@id"] for n in doc["@graph"] if "@id" in n]
    assert all(i.startswith(("https://", "http://")) for i in ids)


def test_the_book_address_comes_from_the_config(tmp_path):
    config = tmp_path / "_config.yml"
    config.write_text("html:\n  baseurl: https://factcheck.example.cn/book\n", encoding="utf-8")
    assert claimreview.base_url.__wrapped__(config) == "https://factcheck.example.cn/book/"
    config.write_text("html:\n  baseurl: ''\n", encoding="utf-8")
    assert claimreview.base_url.__wrapped__(config) == claimreview.PUBLISHED_AT
    config.write_text("html:\n  baseurl: javascript:alert(1)\n", encoding="utf-8")
    assert claimreview.base_url.__wrapped__(config) == claimreview.PUBLISHED_AT


# ---- Chinese as an editor writes it -----------------------------------------------------------------------
def _quotes(editions: list[Edition]) -> list[str]:
    """The articles' own words and titles, printed as the sources printed them (never typeset); the pages that
    list every edition quote the others' too."""
    out = []
    for e in editions:
        out += [j["quote"] for j in e.claims] + [r["quote"] for r in e.register()]
        out += [r for j in e.claims for r in j.get("repeats", [])]
        out += [f"《{s['title']}》" for s in e.sources.values()]
    return sorted(set(out), key=len, reverse=True)


def _prose(editions: list[Edition], html: object) -> list[str]:
    soup = _soup(html)
    for el in soup.select("script, style, code, blockquote, .search-terms"):
        el.decompose()
    for el in soup.select("mark"):
        el.unwrap()
    text = _soup(str(soup)).get_text("\n")
    for q in _quotes(editions):
        text = text.replace(q, "")
    return [line.strip() for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize("year", YEARS)
def test_every_generated_sentence_has_full_width_punctuation_and_no_engine_phrase(editions, book, year):
    e = editions[year]
    outputs = [present.findings(e), present.featured(e), present.overview_lead(e), present.errors_list(e),
               present.summary(e), present.chapter_links(e), present.legend(), present.register(e),
               present.table(e, e.claims), present.filters(e), present.downloads(e, "../"), present.book_downloads(book),
               present.searches(book), present.checked_when(book), present.editions_list(book), present.inquiries(book),
               present.corrections(book)]
    outputs += [present.cards(e, e.in_chapter(c)) for c in e.published_chapters()]
    outputs += [present.intro(e, c) for c in e.published_chapters()]
    problems = []
    for html in outputs:
        soup = _soup(html)
        for details in soup.select("details.claim-details"):  # ids may stand only in 展开
            details.decompose()
        for line in _prose(list(editions.values()), soup):
            if HALF_WIDTH_IN_ARITHMETIC.search(line) or re.search(r"\d{4}-[a-z][a-z0-9-]+", line):
                problems.append(line)
    for j in e.claims:
        for text in (j["label"], j["why"]):
            if clean(text):
                problems.append(clean(text))
        for text in j["steps"] + j["candidates"]:
            if clean(text, arithmetic=True):
                problems.append(clean(text, arithmetic=True))
    assert not problems, "\n".join(problems[:10])


@pytest.mark.parametrize("text", ["48个只是陈述", "算式:9,不符", "那个数字本身数字有误", "见编号 2022-pct-growth",
                                  "重算为1.37,不符。", "江海区(GDP)为302.1亿元", "7个相符但非独立"])
def test_engine_phrases_and_half_width_punctuation_are_refused(text):
    assert clean(text) is not None


def test_the_notebook_templates_and_methods_page_are_typeset():
    import json

    from factcheck.words import HALF_WIDTH_NEXT_TO_CHINESE

    found = []
    for nb in ["index", "overview", "factcheck", "chapter", "cross_year"]:
        for cell in json.loads((REPO / "notebooks" / f"{nb}.ipynb").read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "markdown":
                found += [f"{nb}: {m.group(0)}" for m in HALF_WIDTH_NEXT_TO_CHINESE.finditer("".join(cell["source"]))]
    methods = re.sub(r"`[^`]*`", "", (REPO / "book" / "methods.md").read_text(encoding="utf-8"))
    found += [f"methods: {m.group(0)}" for m in HALF_WIDTH_NEXT_TO_CHINESE.finditer(methods)]
    assert not found, found


@pytest.mark.parametrize("year", YEARS)
def test_both_figures_of_an_error_nobody_can_pin_say_so(editions, year):
    """When a check fails and no diagnosis says which printed figure is wrong (135.71% and 28件), the other
    figure's card says the two cannot both stand: no card of the pair reads as if nothing were wrong."""
    e = editions[year]
    by_id = {j["claim_id"]: j for j in e.claims}
    pairs = 0
    for j in e.claims:
        if j["verdict"] != "inconsistent" or "无法判断错的是" not in j["why"]:
            continue
        assert "至少有一个有误" in j["why"], j["why"]
        for u in j["readings"][j.get("decisive", 0)]["used"]:
            other = by_id.get(u.get("claim_id") or "")
            if other is None or other["claim_id"] == j["claim_id"] or u["source_id"] != j["source_id"]:
                continue
            pairs += 1
            assert f"{j['claimed']}不能同时成立" in other["why"] and "至少有一个有误" in other["why"], other["why"]
    if year == 2022:
        assert pairs, "the 2022 edition has 135.71% and 28件"


@pytest.mark.parametrize("year", YEARS)
def test_each_card_says_whose_figure_it_is_and_the_year_it_describes(editions, year):
    """An article about two parks prints 该园区…88家: the card's head names the place and the year."""
    e = editions[year]
    for j in e.claims:
        head = _soup(present.card(e, j)).select_one(".claim-what").get_text()
        assert present.typeset(j["geography"]) in head and (f"{j['period']}年" in head if j.get("period") else True), (j["claim_id"], head)
