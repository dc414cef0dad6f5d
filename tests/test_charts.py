"""The charts' specs say what the cards say, on the real data and on hand-made judgements.

Every chart of every edition: it has data in every layer; its title's counts are the judgements' counts and
its legend names only the verdicts present; no text under 11 px; Chinese punctuation in its words; no panel
that compares nothing; no recomputation drawn against itself; the printed figure's range drawn, on an axis
that holds it whole; the deciding reading in its card's colour; each figure at the period its judgement
finds it describes; the rank chart with the number of zones ranked. (What the phone shows is checked in a
browser: ``tests/browser/test_charts.py``.)
"""

from __future__ import annotations

import copy
import inspect
import itertools
import re
from pathlib import Path

import pytest

from factcheck import charts, crossyear, figures
from factcheck.edition import Book, Edition, Judged
from factcheck.precision import figure_interval
from factcheck.vocabulary import BY_CODE, CODES, TARGET_STATUS, WEAK_STATE

REPO = Path(__file__).resolve().parent.parent
CJK = r"[\u3400-\u9fff“”《》、。，；：（）]"
HALF_WIDTH_NEXT_TO_CHINESE = re.compile(rf"{CJK}[,;:()]|[,;:()]{CJK}")


@pytest.fixture(scope="module")
def editions(repo_judged) -> list[Edition]:
    return crossyear.editions(repo_judged)


@pytest.fixture(scope="module")
def book(repo_judged) -> Book:
    return Book.read(repo_judged)


@pytest.fixture(scope="module")
def every_chart(editions, book) -> list[tuple[str, Judged | None, dict]]:
    """(where, edition, spec) of every chart the book draws."""
    out = []
    for e in editions:
        out.append((f"{e.year} overview", e, figures.verdict_counts(e).to_dict()))
        for chapter in e.published_chapters():
            out += [(f"{e.year} {chapter}", e, c.to_dict()) for c in figures.chapter_charts(e, chapter)]
    out.append(("cross-year", None, figures.editions(editions).to_dict()))
    out += [("cross-year", book, c.to_dict()) for c in crossyear.charts(book)]
    return out


def views(spec: dict) -> list[dict]:
    """The unit views of a spec (the charts of its layers and panels)."""
    if "layer" in spec or "vconcat" in spec or "hconcat" in spec:
        return [v for part in spec.get("layer", []) + spec.get("vconcat", []) + spec.get("hconcat", [])
                for v in views(part)]
    return [spec]


def panels(spec: dict) -> list[dict]:
    return spec.get("vconcat") or [spec]


def walk(node: object, key: str = ""):
    if isinstance(node, dict):
        for k, v in node.items():
            yield k, v
            yield from walk(v, k)
    elif isinstance(node, list):
        for v in node:
            yield from walk(v, key)


def rows_of(view: dict) -> list[dict]:
    return (view.get("data") or {}).get("values") or []


def marks(spec: dict, kind: str) -> list[dict]:
    return [v for v in views(spec) if (v["mark"]["type"] if isinstance(v["mark"], dict) else v["mark"]) == kind]


def texts(spec: dict) -> list[str]:
    """The words a reader sees: title, subtitle, source, text alternative, panel titles."""
    meta = spec["usermeta"]
    out = [meta["title"], meta["subtitle"], meta["source"], meta["alt"]]
    for p in panels(spec):
        t = p.get("title")
        if isinstance(t, dict):
            out += [t.get("text", ""), t.get("subtitle", "")]
    return [t for t in out if isinstance(t, str)]


def recomputation_charts(edition: Edition, chapter: str) -> list[tuple[dict, dict]]:
    """(judgement, spec) of each recomputation chart of a chapter."""
    out = []
    for j in edition.in_chapter(chapter):
        chart = figures.recomputation(edition, j)
        if chart is not None:
            out.append((j, chart.to_dict()))
    return out


# ---- every chart -------------------------------------------------------------------------------------
def test_every_layer_of_every_chart_has_data(every_chart):
    assert every_chart
    for where, _, spec in every_chart:
        assert spec["usermeta"]["data"], f"{where}: {spec['usermeta']['title']}: no data for the CSV"
        for view in views(spec):
            if "value" in str(view.get("encoding", {}).get("text", "")) and not rows_of(view):
                continue
            assert rows_of(view), f"{where}: {spec['usermeta']['title']}: a layer without data"


def test_no_text_under_eleven_pixels(every_chart):
    sizes = [v for k, v in walk(charts._theme()) if k.endswith(("FontSize", "fontSize"))]
    assert sizes and min(sizes) >= charts.MIN_FONT, f"the theme sets a font under {charts.MIN_FONT} px: {sizes}"
    assert charts._theme()["config"]["text"]["fontSize"] >= charts.MIN_FONT  # text marks without a size of their own
    for where, _, spec in every_chart:
        small = [(k, v) for k, v in walk(spec) if k.lower().endswith("fontsize") and v < charts.MIN_FONT]
        assert not small, f"{where}: {spec['usermeta']['title']}: text under {charts.MIN_FONT} px: {small}"


def test_legends_wrap_on_a_phone():
    legend = charts._theme()["config"]["legend"]
    assert legend["columns"] <= 3 and legend["labelLimit"] == 0  # six labels never in one clipped row


def test_chinese_punctuation_in_chart_words(every_chart):
    for where, _, spec in every_chart:
        for text in texts(spec):
            m = HALF_WIDTH_NEXT_TO_CHINESE.search(text)
            assert not m, f"{where}: half-width punctuation next to Chinese {m.group(0)!r} in {text!r}"


def test_zh_keeps_numbers():
    assert charts.zh("研发(占GDP),按1,000家:12:30;") == "研发（占GDP），按1,000家：12:30；"


def test_no_verdict_code_is_written_into_the_charts():
    """Codes, labels and colours come from the vocabulary: the drawing code names no verdict."""
    for module in (figures, charts):
        source = inspect.getsource(module)
        # a quoted code that is not a field's name (j["target"] is the judgement's target, not the verdict)
        found = [c for c in CODES if re.search(rf"(?<!\[)(?<!get\()[\"']{c}[\"']", source)]
        assert not found, f"{module.__name__} names verdict codes {found}: take them from factcheck.vocabulary"


# ---- the verdict counts --------------------------------------------------------------------------
def legend_labels(spec: dict, channel: str = "color") -> list[str]:
    return [d for v in views(spec) for d in v["encoding"].get(channel, {}).get("scale", {}).get("domain", [])]


def test_verdict_charts_count_what_the_cards_say(editions):
    wrong_labels = [BY_CODE[c].label for c in figures.WRONG]
    for e in editions:
        spec = figures.verdict_counts(e).to_dict()
        cards = [j["verdict"] for j in e.claims]
        present = [BY_CODE[c].label for c in CODES if c in cards]
        assert legend_labels(spec) == present, f"{e.year}: legend {legend_labels(spec)} but cards {present}"
        wrong = sum(cards.count(c) for c in figures.WRONG)
        title = spec["usermeta"]["title"]
        assert f"的{len(cards)}个统计数字中" in title
        if wrong:
            assert f"，{wrong}个{wrong_labels[0]}" in title, title
        else:
            assert "没有发现" in title, title
        drawn = {(r["章节"], r["结论"]): r["数字个数"] for r in spec["usermeta"]["data"]}
        assert sum(drawn.values()) == len(cards)
    spec = figures.editions(editions).to_dict()
    assert legend_labels(spec) == [BY_CODE[c].label for c in CODES if any(c in [j["verdict"] for j in e.claims]
                                                                          for e in editions)]


# ---- recomputations --------------------------------------------------------------------------------
def test_a_recomputation_chart_says_what_its_card_says(editions):
    seen = 0
    for e in editions:
        for chapter in e.published_chapters():
            for j, spec in recomputation_charts(e, chapter):
                seen += 1
                title = spec["usermeta"]["title"]
                where = f"{j['claim_id']}: {title}"
                assert title.endswith(j["label"]), f"{where}: the title does not end with the card's verdict"
                others = [BY_CODE[c].label for c in CODES if BY_CODE[c].label != j["label"]]
                decisive = j["readings"][j["decisive"]]
                own = title
                for w in decisive.get("weak", []):  # 用到的52件本身有误: an input's verdict, named as such
                    own = own.replace(f"本身{WEAK_STATE[w['verdict']]}", "")
                said = [lbl for lbl in others if lbl in own]
                assert not said, f"{where}: the title names other verdicts {said}"
                points = marks(spec, "point")[0]
                main = [r for r in rows_of(points) if r["系列"].startswith("本书结论")]
                assert [r["数值"] for r in main] == [round(decisive["recomputed"], 6)], where
                stroke = points["encoding"]["stroke"]["scale"]
                assert dict(zip(stroke["domain"], stroke["range"], strict=True))[main[0]["系列"]] == BY_CODE[j["verdict"]].colour
                fill = points["encoding"]["fill"]["scale"]
                secondary = dict(zip(fill["domain"], fill["range"], strict=True)).get(figures.OTHERS)
                assert secondary in (None, "white"), f"{where}: other readings are not drawn hollow"
                legend = list(stroke["domain"])
                assert legend == ["文章的数字", f"本书结论：{j['label']}"] + (
                    [figures.OTHERS] if len(rows_of(points)) > 2 else []), f"{where}: legend {legend}"
    assert seen >= 3


def test_the_chart_of_a_wrong_figure_is_red_and_says_so(editions):
    """The 2022 edition: 15.53 per 10,000 is wrong on its card, and its chart says 数字有误 in its colour."""
    e = next(e for e in editions if e.year == 2022)
    for j, spec in recomputation_charts(e, "ip"):
        if j["verdict"] in figures.WRONG:
            assert spec["usermeta"]["title"].endswith(BY_CODE[j["verdict"]].label)
            break
    else:
        pytest.skip("no wrong recomputed figure in the 2022 ip chapter any more")


def test_the_printed_range_is_drawn_on_an_axis_that_holds_it(editions):
    """The band is the printed figure's interval (widened as the deciding reading was); the axis holds it
    whole, so a gap inside it is never wider than the band on screen."""
    seen = 0
    for e in editions:
        for chapter in e.published_chapters():
            for j, spec in recomputation_charts(e, chapter):
                rects = marks(spec, "rect")
                assert len(rects) == 1, f"{j['claim_id']}: no band for the printed figure's range"
                band = rows_of(rects[0])[0]
                iv = figure_interval(j["value"], j["decimals"], j["qualifier"],
                                     whole=e.indicator(j["indicator"])["whole"])
                widen = j["readings"][j["decisive"]].get("tolerance") or 0
                lo, hi = (iv.lo - abs(iv.lo) * widen, iv.hi + abs(iv.hi) * widen) if widen else (iv.lo, iv.hi)
                domain = marks(spec, "point")[0]["encoding"]["x"]["scale"]["domain"]
                assert band["范围下限"] == pytest.approx(max(lo, domain[0]))
                assert band["范围上限"] == pytest.approx(min(hi, domain[1]))
                assert band["范围下限"] <= j["value"] <= band["范围上限"] or not iv.contains(j["value"])  # 超过53: 54 up
                assert domain[0] <= band["范围下限"] and band["范围上限"] <= domain[1], \
                    f"{j['claim_id']}: the axis {domain} cuts the printed range {band}"
                for r in rows_of(marks(spec, "point")[0]):
                    assert domain[0] <= r["数值"] <= domain[1]
                seen += 1
    assert seen


def test_a_gap_inside_the_printed_range_looks_small(editions):
    """5.197 beside 5.2 (printed to one decimal): the axis is at least the band's width (0.1), not 0.003."""
    e = next(e for e in editions if e.year == 2023)
    j = e.claim("2023-rd-intensity")
    spec = figures.recomputation(e, j).to_dict()
    domain = marks(spec, "point")[0]["encoding"]["x"]["scale"]["domain"]
    assert domain[1] - domain[0] >= 0.1
    decisive = j["readings"][j["decisive"]]["recomputed"]
    assert abs(decisive - j["value"]) / (domain[1] - domain[0]) < 0.05


def test_no_figure_is_drawn_against_itself(every_chart, editions):
    for where, _, spec in every_chart:
        for p in marks(spec, "point"):
            x = p["encoding"].get("x", {}).get("field")
            y = p["encoding"].get("y", {}).get("field")
            assert x != y, f"{where}: x and y are the same field {x}"
        if "读法" in str(spec):
            values = {round(r["数值"], 9) for r in rows_of(marks(spec, "point")[0])}
            assert len(values) > 1, f"{where}: {spec['usermeta']['title']}: every point the same number"
    e = next(e for e in editions if e.year == 2022)
    j = e.claim("2022-prov-incubators")
    assert figures.recomputation(e, j) is None, "7 − 4 = 3 beside the printed 3 is one dot, not a chart"


def test_a_number_against_itself_is_not_drawn(editions):
    e = next(e for e in editions if e.year == 2022)
    j = copy.deepcopy(e.claim("2022-rd-intensity"))
    for r in j["readings"]:
        r["recomputed"], r["spread"] = j["value"], {"lo": j["value"], "hi": j["value"]}
    j["decimals"], j["qualifier"] = 0, "="
    j["value"] = 6.0
    for r in j["readings"]:
        r["recomputed"], r["spread"] = 6.0, {"lo": 6.0, "hi": 6.0}
    doc = copy.deepcopy(e.doc)
    doc["indicators"][j["indicator"]] = {**doc["indicators"][j["indicator"]], "whole": True}
    assert figures.recomputation(Edition(doc, e.path), j) is None


def test_the_deciding_reading_decides_the_chart_when_the_primary_disagrees(editions):
    """5.71% agrees only with the 2021 GDP: its chart is the card's 算得通 at 5.773, the 2022 reading grey."""
    e = next(e for e in editions if e.year == 2022)
    j = e.claim("2022-rd-intensity")
    assert j["decisive"] != 0 and j["readings"][0]["verdict"] != j["verdict"]
    spec = figures.recomputation(e, j).to_dict()
    rows = rows_of(marks(spec, "point")[0])
    assert [r["系列"] for r in rows] == ["文章的数字", f"本书结论：{j['label']}", figures.OTHERS]
    assert rows[1]["读法"].startswith(f"按{j['condition']['year']}年")


# ---- panels and periods ----------------------------------------------------------------------------
def test_no_target_panel_compares_nothing(editions):
    for e in editions:
        for chapter in e.published_chapters():
            goals = [j for j in e.in_chapter(chapter) if j.get("target") and j["indicator"] != "evaluation_rank"]
            chart = figures.targets(e, chapter)
            with_actuals = [j for j in goals if j["target"]["actuals"]]
            if not with_actuals:
                assert chart is None, f"{e.year} {chapter}: a targets chart with no actual figure to compare"
                continue
            spec = chart.to_dict()
            assert len(panels(spec)) == len(with_actuals)
            titles = [p["title"]["text"] for p in panels(spec)]
            assert len(set(titles)) == len(titles), f"{e.year} {chapter}: two panels titled alike {titles}"
            statuses = [TARGET_STATUS[j["target"]["status"]] for j in goals]
            title = spec["usermeta"]["title"]
            assert title.startswith(f"本章{len(goals)}个规划目标：")
            for s in set(statuses):
                assert f"{statuses.count(s)}个{s}" in title, title
            for p in panels(spec):
                assert any(r.get("系列") == "实际值" for v in views(p) for r in rows_of(v))


def test_each_figure_is_drawn_at_the_period_it_describes(editions):
    """5.71% (an article of 2023, about 2022) agrees only as a 2021 figure: the series draws it at 2021."""
    e = next(e for e in editions if e.year == 2022)
    j = e.claim("2022-rd-intensity")
    assert j["condition"], "the engine no longer finds 5.71% describes another year"
    spec = figures.series(e, "rd_intensity", [charts.ZONE, "江门市", "全国"]).to_dict()
    zone = {r["年份"]: r for r in spec["usermeta"]["data"] if r["地域"] == charts.ZONE}
    assert zone[str(j["condition"]["year"])]["数值"] == j["value"]
    assert zone[str(j["condition"]["year"])]["所指年份"]
    for f in e.doc["figures"]:
        assert "describes" in f
        if f["claim_id"] == j["claim_id"]:
            assert f["describes"] == j["condition"]["year"]


def test_the_rank_chart_shows_how_many_zones_were_ranked(editions):
    for e in editions:
        chart = figures.ranks(e)
        if chart is None:
            continue
        spec = chart.to_dict()
        pools = {f["period"]: int(f["value"]) for f in e.figures("zones_evaluated", "全国")}
        lines = [v for v in marks(spec, "line") if rows_of(v) and all("参评" in r["说明"] for r in rows_of(v))]
        assert lines, f"{e.year}: no line of the number of zones ranked"
        assert {int(r["评价年度"]): r["名次"] for r in rows_of(lines[0])} == {
            y: n for y, n in pools.items() if str(y) in spec["layer"][0]["encoding"].get("x", {}).get("scale", {}).get(
                "domain", [str(y)])}
        ranked = [r for r in spec["usermeta"]["data"]]
        assert any(r["参评数"] for r in ranked)
        title = spec["usermeta"]["title"]
        assert re.search(r"参评的高新区从(\d{4}年度的)?\d+个(增至|变为)\d+个", title), title
        axis = next(v for v in views(spec) if v["encoding"].get("y", {}).get("axis"))["encoding"]["y"]
        assert axis["scale"]["reverse"] is True and axis["scale"]["domain"][1] >= max(pools.values())
        assert axis["axis"]["format"] == "d"


def test_the_exported_svg_wraps_its_words_without_breaking_a_number(every_chart):
    """The SVG download draws the title, subtitle and source itself: in lines no wider than the chart, and a
    number is never cut in two (1.4 / 26)."""
    lines = charts.wrap("以2020年的常住人口代替重算为1.426件/万人", 8)
    assert len(lines) > 1 and any("1.426" in line for line in lines) and any("2020" in line for line in lines)
    for where, _, spec in every_chart:
        title = charts.export_spec(spec)["title"]
        meta = spec["usermeta"]
        assert "".join(title["text"]) == meta["title"]
        assert "".join(title["subtitle"]) == meta["subtitle"] + f"来源：{meta['source']}"
        for line in title["text"]:
            assert sum(0.55 if ord(ch) < 0x2E80 else 1 for ch in line) <= charts.EXPORT_WIDTH / 15 + 8, where
        numbers = re.findall(r"\d+(?:\.\d+)?", meta["title"])
        assert re.findall(r"\d+(?:\.\d+)?", "\n".join(title["text"])) == numbers, f"{where}: a number was cut"


def test_series_legends_and_labels_name_only_what_is_drawn(every_chart):
    """A legend entry for every kind of point drawn and for nothing else; a label keeps the figure's 超过."""
    seen = 0
    for where, _, spec in every_chart:
        for view in views(spec):
            shape = view["encoding"].get("shape", {})
            if shape.get("field") != "出处":
                continue
            seen += 1
            drawn = list(dict.fromkeys(r["出处"] for r in rows_of(view)))
            assert sorted(shape["scale"]["domain"]) == sorted(drawn), f"{where}: legend {shape['scale']['domain']}"
        for r in spec["usermeta"]["data"] if "出处" in str(spec["usermeta"]["data"][:1]) else []:
            if r["说明"].startswith("超过"):
                label = next(v for v in views(spec) if v["mark"]["type"] == "text")
                assert any(x["标注"].startswith("超过") for x in rows_of(label)), where
    assert seen


def test_segments_break_at_a_missing_year():
    rows = [{"年": "2016", "地": "甲"}, {"年": "2017", "地": "甲"}, {"年": "2019", "地": "甲"}, {"年": "2017", "地": "乙"}]
    runs = {(r["地"], r["年"]): r["段"] for r in figures.segments(rows, "年", "地")}
    assert runs[("甲", "2016")] == runs[("甲", "2017")] != runs[("甲", "2019")]
    assert runs[("乙", "2017")] not in {runs[("甲", "2016")], runs[("甲", "2019")]}


def test_no_line_joins_two_figures_across_a_year_without_one(every_chart):
    """A line is drawn through consecutive years only: where a year has no figure (未找到), it breaks, as the
    charts say."""
    joined = []
    for where, _, spec in every_chart:
        for view in marks(spec, "line"):
            rows = rows_of(view)
            detail = (view.get("encoding") or {}).get("detail", {}).get("field")
            x = (view.get("encoding") or {}).get("x", {}).get("field")
            groups: dict[object, list[int]] = {}
            for r in rows:
                if str(r.get(x, "")).isdigit():
                    key = (r.get(detail) if detail else None, r.get("地域"))
                    groups.setdefault(key, []).append(int(r[x]))
            for key, years in groups.items():
                years.sort()
                if any(b - a > 1 for a, b in itertools.pairwise(years)):
                    joined.append(f"{where}: {key} {years}")
    assert not joined, "lines that join across a missing year:\n" + "\n".join(joined)
