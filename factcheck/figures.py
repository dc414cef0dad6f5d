"""The book's charts, from a judged file. Each states its point in its title, and that point is the one the
page's cards state: every count, label and colour comes from the judgements (their words and colours from
:mod:`factcheck.vocabulary`), never from a reading that did not decide a card.

Conventions (Our World in Data): ranks on a reversed axis (1 at the top) as dots and lines, never bars, with
the number of zones ranked; targets drawn at their due year, and only where an actual figure is there to
compare; each figure at the period its judgement finds it describes; a recomputation beside the range the
printed figure stands for (its printed precision), on an axis wide enough to show that range whole, so a
gap inside it never looks large; colour only where it means something (a place, a verdict); stacks in the
legend's order; whole-number ticks for counts; no chart of a number against itself. Every chart carries its
data for the CSV download.
"""

from __future__ import annotations

import math

import altair as alt

from . import chapters
from .charts import ZONE, count_axis, finish, place_scale, verdict_scale, zh
from .edition import Edition, Judged
from .precision import figure_interval, format_number
from .vocabulary import BY_CODE, CODES, TARGET_STATUS, VERDICTS, WEAK_STATE, WORST
from .words import QUALIFIER_WORDS, listing, qty

WIDTH = "container"
ARTICLE_INK = "#4a5568"
OTHER_INK = "#a0aec0"
BAND_FILL = "#e2e8f0"
WRONG = tuple(v.code for v in VERDICTS if v.rating == WORST)
"""The verdicts that call a figure wrong: the vocabulary's lowest rating."""


def _publishers(edition: Judged, ids) -> str:
    return "、".join(dict.fromkeys(edition.sources[s]["publisher"] for s in ids if s in edition.sources)) or "无"


def _articles(edition: Edition) -> str:
    return _publishers(edition, edition.doc["articles"])


def _name(edition: Judged, indicator: str) -> str:
    return zh(edition.indicator(indicator)["name_zh"])


VERDICT_LEGEND_COLUMNS = 2
"""The verdicts' labels run to six characters (相符但非独立): two to a row keep the legend whole on a phone."""


# ---- verdicts -------------------------------------------------------------------------------------
def _wrong_words(counts: dict[str, int]) -> tuple[int, str]:
    return sum(counts.get(c, 0) for c in WRONG), listing([BY_CODE[c].label for c in WRONG], "或")


def verdict_counts(edition: Edition) -> alt.TopLevelMixin:
    """How many figures of each verdict, by chapter; stacks and legend in the vocabulary's order."""
    titles = {c.id: c.title for c in chapters.chapters()}
    present = [c for c in CODES if edition.counts.get(c)]
    rows = []
    for chapter in edition.published_chapters():
        counts = edition.chapter_counts(chapter)
        rows += [{"章节": titles[chapter], "结论": BY_CODE[c].label, "数字个数": counts[c], "顺序": CODES.index(c)}
                 for c in present if counts.get(c)]
    total = edition.counts["total"]
    wrong, words = _wrong_words(edition.counts)
    chart = alt.Chart(alt.Data(values=rows)).mark_bar().encode(
        y=alt.Y("章节:N", sort=[titles[c] for c in edition.published_chapters()], title=None),
        x=alt.X("数字个数:Q", axis=count_axis("数字个数", max(
            (edition.chapter_counts(c)["total"] for c in edition.published_chapters()), default=1)), stack="zero"),
        color=alt.Color("结论:N", scale=verdict_scale(present), title=None, sort=[BY_CODE[c].label for c in present],
                        legend=alt.Legend(columns=VERDICT_LEGEND_COLUMNS)),
        order=alt.Order("顺序:Q"),
        tooltip=["章节:N", "结论:N", "数字个数:Q"],
    ).properties(width=WIDTH, height=alt.Step(28))
    title = (f"{edition.year}年版的{total}个统计数字中，{wrong}个{words}" if wrong
             else f"{edition.year}年版的{total}个统计数字中，没有发现"
                  f"{listing([WEAK_STATE.get(c, BY_CODE[c].label) for c in WRONG], '或')}的数字")
    text = "；".join(f"{r['章节']}{r['结论']}{r['数字个数']}个" for r in rows)
    return finish(chart, title=title, subtitle="按章节和结论计数", source=f"本书核查；原文：{_articles(edition)}",
                  alt_text=f"{title}。{text}。", data=[{k: v for k, v in r.items() if k != "顺序"} for r in rows])


def segments(rows: list[dict], year: str, group: str | None = None) -> list[dict]:
    """``rows`` with a ``段``: rows of consecutive years (of the same ``group``) share one, so that a line drawn
    with ``detail=段`` breaks at a year with no figure instead of joining across it."""
    out, last, run = [], {}, {}
    for r in sorted(rows, key=lambda r: (str(r.get(group, "")) if group else "", int(r[year]))):
        g, y = (str(r.get(group, "")) if group else ""), int(r[year])
        if last.get(g) != y - 1:
            run[g] = f"{g}{y}"
        last[g] = y
        out.append({**r, "段": run[g]})
    return out


# ---- ranks ----------------------------------------------------------------------------------------
RANK_TICKS = (1, 50, 100, 150, 200, 250, 300)


def ranks(edition: Judged, chapter: str = "ranking") -> alt.TopLevelMixin | None:
    """The zone's place in every national evaluation, and how many zones were ranked (the last place)."""
    found = edition.figures("evaluation_rank", ZONE)
    if not found:
        return None
    pools = {}
    for f in sorted(edition.figures("zones_evaluated", "全国"), key=lambda f: (f["period"], bool(f["claim_id"]))):
        pools.setdefault(f["period"], f)
    goals = [j for j in edition.claims if j.get("target") and j["indicator"] == "evaluation_rank"]
    by_year = {}
    for f in sorted(found, key=lambda f: f["period"]):
        by_year.setdefault(f["period"], f)
    due = [j["target"]["due"] for j in goals if j["target"]["due"]]
    years = list(range(min(by_year), max([*by_year, *due]) + 1))
    rows, gaps = [], []
    for y in years:
        pool = pools.get(y)
        zones = f"共{int(pool['value'])}个参评" if pool else "参评数未找到"
        f = by_year.get(y)
        if f is None:
            gaps.append({"评价年度": str(y), "说明": f"名次未找到，{zones}"})
            continue
        exact = f["qualifier"] == "="
        place = f"第{int(f['value'])}位" if exact else f"{int(f['value'])}名以外"
        doubt = any(w in (f["period_note"] or "") for w in ("推断", "存疑", "未写明"))
        rows.append({"评价年度": str(y), "名次": int(f["value"]), "说明": f"{place}，{zones}", "标注": place + ("*" if doubt else ""),
                     "参评数": int(pool["value"]) if pool else None,
                     "名次类型": "名次" if exact else "只知在此名次之外", "来源": edition.sources[f["source_id"]]["publisher"],
                     "所指年度": zh(f["period_note"] or "")})
    exact_rows = [r for r in rows if r["名次类型"] == "名次"]
    if not exact_rows:
        return None
    pool_rows = [{"评价年度": str(y), "名次": int(p["value"]), "说明": f"{y}年度共{int(p['value'])}个国家高新区参评",
                  "来源": edition.sources[p["source_id"]]["publisher"]} for y, p in sorted(pools.items()) if y in years]
    x = alt.X("评价年度:O", scale=alt.Scale(domain=[str(y) for y in years]),
              axis=alt.Axis(labelAngle=0, labelOverlap="parity"), title="评价年度")
    bottom = max([r["名次"] for r in rows] + [r["名次"] for r in pool_rows])
    top = next(t for t in RANK_TICKS[2:] + (math.inf,) if t >= bottom + 10)
    top = top if math.isfinite(top) else bottom + 10
    y = alt.Y("名次:Q", scale=alt.Scale(reverse=True, domain=[1, top], nice=False),
              axis=alt.Axis(title="名次（越靠上越好）", tickMinStep=1, format="d", values=[t for t in RANK_TICKS if t <= top]))
    first, last = exact_rows[0], exact_rows[-1]
    bounds = [r for r in rows if r["名次类型"] != "名次" and int(r["评价年度"]) > int(last["评价年度"])]
    marked = [first, last, *bounds[-1:]]
    labels = [r for r in rows if any(r is m for m in marked)]
    layers = [
        alt.Chart(alt.Data(values=[{"名次": 50}])).mark_rule(strokeDash=[4, 4], color="#718096").encode(y=y),
        alt.Chart(alt.Data(values=segments(exact_rows, "评价年度"))).mark_line(color="#c05621").encode(
            x=x, y=y, detail="段:N"),
        alt.Chart(alt.Data(values=rows)).mark_point(filled=True, size=80, color="#c05621").encode(
            x=x, y=y, shape=alt.Shape("名次类型:N", title=None, scale=alt.Scale(
                domain=["名次", "只知在此名次之外"], range=["circle", "triangle-down"])),
            tooltip=["评价年度:N", "说明:N", "所指年度:N", "来源:N"]),
        alt.Chart(alt.Data(values=labels)).mark_text(dy=-14, fontSize=12, color="#2d3748").encode(x=x, y=y, text="标注:N"),
    ]
    if pool_rows:
        ends = [pool_rows[0], pool_rows[-1]] if len(pool_rows) > 1 else pool_rows
        layers[1:1] = [
            alt.Chart(alt.Data(values=segments(pool_rows, "评价年度"))).mark_line(
                color=OTHER_INK, strokeDash=[2, 3]).encode(x=x, y=y, detail="段:N"),
            alt.Chart(alt.Data(values=pool_rows)).mark_point(filled=True, size=30, color=OTHER_INK).encode(
                x=x, y=y, tooltip=["评价年度:N", "说明:N", "来源:N"]),
            alt.Chart(alt.Data(values=[{**r, "标注": f"{r['名次']}个参评"} for r in ends])).mark_text(
                dy=14, color=ARTICLE_INK).encode(x=x, y=y, text="标注:N"),
        ]
    if gaps:
        layers.append(alt.Chart(alt.Data(values=gaps)).mark_text(color="#718096", baseline="bottom").encode(
            x=x, y=alt.value(16), text=alt.value("未找到"), tooltip=["评价年度:N", "说明:N"]))
    chart = alt.layer(*layers).properties(width=WIDTH, height=260)
    at = {r["评价年度"]: r["名次"] for r in pool_rows}
    start = next((r for r in pool_rows if int(r["评价年度"]) >= int(first["评价年度"])), None)
    since = f"{start['评价年度']}年度的" if start and start["评价年度"] != first["评价年度"] else ""
    pool_then = (f"，参评的高新区从{since}{start['名次']}个{'增至' if at[last['评价年度']] > start['名次'] else '变为'}"
                 f"{at[last['评价年度']]}个" if start and last["评价年度"] in at and start is not pool_rows[-1] else "")
    if first["名次"] > last["名次"]:
        title = f"江门高新区的名次从{first['评价年度']}年度的{first['标注']}升至{last['评价年度']}年度的{last['标注']}"
    else:
        title = f"江门高新区的名次：{first['评价年度']}年度{first['标注']}，{last['评价年度']}年度{last['标注']}"
    title += pool_then
    if bounds:
        b = bounds[-1]
        title += f"；{b['评价年度']}年度在{b['标注']}" + (f"（共{at[b['评价年度']]}个参评）" if b["评价年度"] in at else "")
    subtitle = ("国家高新区综合评价名次，越靠上越好；虚线为“50强”"
                + ("；灰色虚线是参评的高新区总数，也就是最后一名的名次" if pool_rows else "")
                + ("；标“未找到”的年度没有找到名次，线在那里断开" if gaps else "")
                + ("；标*的名次，其评价年度是推断的" if any(r["标注"].endswith("*") for r in rows) else ""))
    text = "；".join(f"{r['评价年度']}年度{r['说明']}" for r in rows) + (
        "；" + "、".join(g["评价年度"] for g in gaps) + "年度名次未找到" if gaps else "")
    sources = _publishers(edition, [f["source_id"] for f in found] + [p["source_id"] for p in pools.values()])
    return finish(chart, title=title, subtitle=subtitle, source=sources, alt_text=f"{title}。{text}。",
                  data=[{"评价年度": r["评价年度"], "名次": r["名次"], "参评数": r["参评数"], "说明": r["说明"],
                         "所指年度": r["所指年度"], "来源": r["来源"]} for r in rows])


# ---- targets --------------------------------------------------------------------------------------
def targets(edition: Edition, chapter: str) -> alt.TopLevelMixin | None:
    """Each target of the chapter at its due year beside the actual figures found (the zone's colour).

    A target with no actual figure at all is not drawn (a panel with one diamond compares nothing); the
    title still counts every target of the chapter, as the cards do, and the subtitle names those left out.
    """
    goals = [j for j in edition.in_chapter(chapter) if j.get("target") and j["indicator"] != "evaluation_rank"]
    if not goals:
        return None
    panels, data, left_out = [], [], []
    names = [_name(edition, j["indicator"]) for j in goals]
    for j, name in zip(goals, names, strict=True):
        t = j["target"]
        unit = j["unit"]
        status = TARGET_STATUS[t["status"]]
        goal_text = qty(j["value"], j["decimals"], j["qualifier"], unit)
        if names.count(name) > 1:  # two targets of one indicator: tell them apart
            name = f"{name}（{zh(j['geography'])}）"
        if not t["actuals"]:
            left_out.append(f"{name}{goal_text}")
            continue
        actual = [{"年份": str(a["period"]), "数值": a["value"], "系列": "实际值",
                   "说明": f"{a['period']}年实际{qty(a['value'], a['decimals'], a['qualifier'], a['unit'])}"}
                  for a in t["actuals"]]
        due = t["due"]
        goal_year = str(due) if due else "未定期限"
        goal = [{"年份": goal_year, "数值": j["value"], "说明": f"目标{goal_text}"
                 + (f"（{due}年）" if due else "（文章没有给出期限）"), "系列": "目标"}]
        years = sorted({r["年份"] for r in actual if r["年份"].isdigit()} | ({str(due)} if due else set()))
        if due is None:
            years.append("未定期限")
        x = alt.X("年份:O", scale=alt.Scale(domain=years), axis=alt.Axis(labelAngle=0, labelOverlap="parity"), title=None)
        whole = edition.indicator(j["indicator"])["whole"]
        top = max([r["数值"] for r in actual + goal], default=1)
        y = alt.Y("数值:Q", title=unit, axis=count_axis(unit, top) if whole else alt.Axis(title=unit),
                  scale=alt.Scale(zero=True))
        layer = alt.layer(
            alt.Chart(alt.Data(values=segments(actual, "年份"))).mark_line(color="#c05621").encode(
                x=x, y=y, detail="段:N"),
            alt.Chart(alt.Data(values=actual)).mark_point(filled=True, size=70, color="#c05621").encode(
                x=x, y=y, tooltip=["说明:N"]),
            alt.Chart(alt.Data(values=goal)).mark_point(shape="diamond", filled=False, size=140, strokeWidth=2,
                                                        color="#2b6cb0").encode(x=x, y=y, tooltip=["说明:N"]),
            alt.Chart(alt.Data(values=goal)).mark_text(dy=-14, color="#2b6cb0").encode(
                x=x, y=y, text=alt.value("目标")),
        ).properties(width=WIDTH, height=110, title=alt.TitleParams(name, subtitle=f"目标{goal_text}，{status}",
                                                                  fontSize=13, subtitleFontSize=12, subtitlePadding=4))
        panels.append(layer)
        data += [{"目标": name, **r} for r in goal + actual]
    statuses = [TARGET_STATUS[j["target"]["status"]] for j in goals]
    counted = {s: statuses.count(s) for s in dict.fromkeys(statuses)}
    title = f"本章{len(goals)}个规划目标：" + "、".join(f"{n}个{s}" for s, n in counted.items())
    if not panels:
        return None
    chart = alt.vconcat(*panels, spacing=18)
    sources = _publishers(edition, [a["source_id"] for j in goals for a in j["target"]["actuals"]])
    subtitle = "菱形是目标，放在到期年份；圆点是各年找到的实际值" + (
        f"；{listing(left_out)}没有找到任何实际值，未画出" if left_out else "")
    text = "；".join(f"{r['目标']}{r['说明']}" for r in data)
    return finish(chart, title=title, subtitle=subtitle, source=f"目标：{_articles(edition)}；实际值：{sources}",
                  alt_text=f"{title}。{text}。", data=data)


# ---- recomputations -------------------------------------------------------------------------------
def reading_words(j: dict, r: dict, short: bool = False) -> str:
    """Which years a reading takes: ``按文章所指的2022年`` · ``按2021年的地区生产总值`` · ``以2020年的常住人口代替``;
    ``short`` (a row label on a phone) leaves out a long name: ``按2021年``."""
    if r["primary"] or not r["changes"]:
        return f"按文章所指的{j['period']}年" if j.get("period") else "按文章所指年份"
    words = []
    for c in r["changes"]:
        what = "" if short and len(c["what"]) > SHORT_NAME else f"的{zh(c['what'])}"
        words.append(f"以{c['year']}年{what}代替" if c["stand_in"] else f"按{c['year']}年{what}")
    return listing(words)


OTHERS = "其他读法（不决定结论）"
SHORT_NAME = 6
"""A changed input's name longer than this is left out of a row label (the title and tooltip give it)."""


def printed_range(j: dict, indicator: dict, reading: dict) -> tuple[float, float] | None:
    """The values the printed figure stands for (its printed precision, 约 ±5 %), widened as the deciding
    reading was (a stand-in year's tolerance); an end may be infinite (超过50: above 50); None when neither is
    finite."""
    try:
        iv = figure_interval(j["value"], j["decimals"], j["qualifier"], whole=indicator["whole"])
    except (ValueError, TypeError):
        return None
    lo, hi = iv.lo, iv.hi
    if reading.get("tolerance"):
        lo, hi = lo - abs(lo) * reading["tolerance"], hi + abs(hi) * reading["tolerance"]
    if not (math.isfinite(lo) or math.isfinite(hi)):
        return None
    return lo, hi


def _drawable(r: dict) -> bool:
    """A recomputation with a value, from at least one outside figure (not the article against itself)."""
    return r.get("recomputed") is not None and any(u["kind"] == "input" for u in r["used"])


def _digits(j: dict) -> int:
    """A recomputation is shown with one decimal more than the printed figure (at least three), as the cards do."""
    return max(j["decimals"], 2) + 1


def _spread_words(low: float | None, high: float | None, digits: int) -> str:
    if low is None and high is None:
        return ""
    if high is None:
        return f"，计入输入数字的舍入后至少{format_number(low, digits)}"
    if low is None:
        return f"，计入输入数字的舍入后至多{format_number(high, digits)}"
    return f"，计入输入数字的舍入后在{format_number(low, digits)}到{format_number(high, digits)}之间"


def _domain(values: list[float]) -> list[float]:
    """An axis over every value drawn (the printed range among them), with a margin; from 0 rather than just
    below it."""
    lo, hi = min(values), max(values)
    pad = (hi - lo) * 0.08 or abs(hi) * 0.1 or 1.0
    return [0.0 if lo >= 0 > lo - pad else lo - pad, hi + pad]


def recomputation(edition: Edition, j: dict) -> alt.TopLevelMixin | None:
    """One figure of the article beside its recomputation from public data: the reading that decides its card
    in the card's colour, the other readings hollow and grey, the printed figure's range as a band, each
    recomputation's range over its inputs' rounding as a line.

    None when the deciding reading has no recomputed value, or when the chart would only draw the printed
    number against itself (every value drawn the same: 7 − 4 = 3 beside 3).
    """
    readings = j.get("readings") or []
    if not readings or not _drawable(readings[j["decisive"]]):
        return None
    decisive = readings[j["decisive"]]
    others = [r for i, r in enumerate(readings) if i != j["decisive"] and _drawable(r)]
    band = printed_range(j, edition.indicator(j["indicator"]), decisive)
    spreads = {id(r): ((r.get("spread") or {}).get("lo"), (r.get("spread") or {}).get("hi")) for r in [decisive, *others]}
    values = [j["value"], *[b for b in band or () if math.isfinite(b)]] + [v for r in [decisive, *others]
                                            for v in (r["recomputed"], *spreads[id(r)]) if v is not None]
    if len({round(v, 9) for v in values}) == 1:
        return None
    domain = _domain(values)
    if band:  # a printed 超过50 stands for everything above 50: the band runs to the axis's end
        band = (max(band[0], domain[0]), min(band[1], domain[1]))
    name, unit, label, digits = _name(edition, j["indicator"]), j["unit"], j["label"], _digits(j)
    claimed = qty(j["value"], j["decimals"], j["qualifier"], unit)
    main_series = f"本书结论：{label}"

    def row(r: dict, series: str) -> dict:
        low, high = spreads[id(r)]
        text = format_number(r["recomputed"], digits)
        return {"读法": reading_words(j, r, short=True), "数值": round(r["recomputed"], 6), "系列": series,
                "下限": low, "上限": high, "标注": text,
                "说明": f"{reading_words(j, r)}重算：{r['equation'] or text}{_spread_words(low, high, digits)}"}

    rows = [row(decisive, main_series)] + [row(r, OTHERS) for r in others]
    article = {"读法": "文章的数字", "数值": j["value"], "系列": "文章的数字",
               "标注": format_number(j["value"], max(j["decimals"], 0)), "说明": f"文章：{claimed}"}
    lines = [{**r, "线起": domain[0] if r["下限"] is None else r["下限"],
              "线止": domain[1] if r["上限"] is None else r["上限"]} for r in rows]
    series_domain = ["文章的数字", main_series] + ([OTHERS] if others else [])
    inks = [ARTICLE_INK, BY_CODE[j["verdict"]].colour, OTHER_INK][:len(series_domain)]
    scale = alt.Scale(domain=domain, nice=False, zero=False)
    axis = alt.Axis(title=unit, tickCount=5)
    x = alt.X("数值:Q", scale=scale, axis=axis)
    y = alt.Y("读法:N", sort=["文章的数字", *[r["读法"] for r in rows]], title=None, axis=alt.Axis(labelLimit=160))
    # stroke and fill share the field, so one legend shows each series as drawn: the other readings hollow
    stroke = alt.Stroke("系列:N", title=None, legend=alt.Legend(columns=1), scale=alt.Scale(domain=series_domain, range=inks))
    fill = alt.Fill("系列:N", title=None, legend=alt.Legend(columns=1),
                    scale=alt.Scale(domain=series_domain, range=[*inks[:2], "white"][:len(series_domain)]))
    layers = []
    if band:
        layers.append(alt.Chart(alt.Data(values=[{"范围下限": band[0], "范围上限": band[1], "说明": "文章的数字按所印位数可能代表的范围"}]))
                      .mark_rect(color=BAND_FILL, opacity=0.9).encode(
                          x=alt.X("范围下限:Q", scale=scale, axis=axis), x2="范围上限:Q", tooltip=["说明:N"]))
    layers += [
        alt.Chart(alt.Data(values=lines)).mark_rule(strokeWidth=2).encode(
            x=alt.X("线起:Q", scale=scale, axis=axis), x2="线止:Q", y=y, stroke=stroke),
        alt.Chart(alt.Data(values=[article, *rows])).mark_point(size=110, filled=True, strokeWidth=2).encode(
            x=x, y=y, stroke=stroke, fill=fill, tooltip=["说明:N"]),
        alt.Chart(alt.Data(values=[article, *rows])).mark_text(dy=-13, color="#2d3748").encode(x=x, y=y, text="标注:N"),
    ]
    chart = alt.layer(*layers).properties(width=WIDTH, height=alt.Step(44))

    title = f"{name}{claimed}：{reading_words(j, decisive)}重算为{format_number(decisive['recomputed'], digits)}{unit}"
    if decisive.get("weak"):
        weak = decisive["weak"][0]
        title += f"，但用到的{weak['text']}本身{WEAK_STATE[weak['verdict']]}，所以{label}"
    else:
        title += f"，{label}"
    subtitle = "实心彩色点是决定本书结论的重算" + ("，空心点是其他读法" if others else "")
    if band:
        widened = decisive.get("tolerance")
        subtitle += (f"；浅色带是文章的数字按所印位数可能代表的范围（{format_number(band[0], digits)}到"
                     f"{format_number(band[1], digits)}"
                     + (f"，用了代替年份的数字，放宽{format_number(widened * 100, 0)}%" if widened else "") + "）")
    subtitle += "；横线是计入输入数字舍入后的范围"
    sources = _publishers(edition, sorted({u["source_id"] for r in [decisive, *others] for u in r["used"] if u["source_id"]}))
    text = "；".join([article["说明"], f"{rows[0]['说明']}，决定本书结论"] + [f"{r['说明']}，不决定结论" for r in rows[1:]])
    figure = f"{name}（文章：{claimed}）"
    data = [{"数字": figure, "结论": label, **{k: v for k, v in r.items() if k != "标注"}} for r in [article, *rows]]
    if band:
        data.append({"数字": figure, "结论": label, "读法": "文章的数字可能代表的范围", "下限": band[0], "上限": band[1]})
    return finish(chart, title=title, subtitle=subtitle, source=sources, alt_text=f"{title}。{text}。", data=data)


def recomputations(edition: Edition, chapter: str) -> list[alt.TopLevelMixin]:
    """A chart for each figure of the chapter recomputed from public data, in the order of the cards."""
    return [c for j in edition.in_chapter(chapter) if (c := recomputation(edition, j)) is not None]


# ---- one figure over the years ---------------------------------------------------------------------
SHAPES = {"文章": "circle", "外部来源": "square"}
SHAPE_WORDS = {"文章": "圆点", "外部来源": "方块"}


def series(edition: Judged, indicator: str, places: list[str]) -> alt.TopLevelMixin | None:
    """One figure over the years, a line per place. An article's figure is drawn at the period its judgement
    finds it describes (marked * when that is not the year the article gives); a figure judged wrong is
    ringed in its verdict's colour."""
    found = [f for f in edition.figures(indicator) if f["geography"] in places]
    if not found:
        return None
    meta = edition.indicator(indicator)
    name = zh(meta["name_zh"])
    rows = []
    for f in sorted(found, key=lambda f: (f["geography"], f.get("describes") or f["period"], not f["claim_id"])):
        year = f.get("describes") or f["period"]
        if year is None or any(r["地域"] == f["geography"] and r["年份"] == str(year) for r in rows):
            continue
        moved = year != f["period"]
        shown = qty(f["value"], f["decimals"], f["qualifier"], f["unit"])
        note = f"文章写作{f['period']}年，本书核查认为它指{year}年" if moved else ""
        verdict = BY_CODE[f["verdict"]] if f.get("verdict") in BY_CODE else None
        rows.append({"年份": str(year), "地域": f["geography"], "数值": f["value"],
                     "标注": QUALIFIER_WORDS.get(f["qualifier"], "") + format_number(f["value"], max(f["decimals"], 0))
                     + ("*" if moved else ""),
                     "说明": shown + (f"（{verdict.label}）" if verdict and verdict.code in WRONG else ""),
                     "所指年份": note, "出处": "文章" if f["claim_id"] else "外部来源",
                     "结论": verdict.label if verdict else "", "来源": edition.sources[f["source_id"]]["publisher"]})
    years = [str(y) for y in range(min(int(r["年份"]) for r in rows), max(int(r["年份"]) for r in rows) + 1)]
    present_places = [p for p in places if any(r["地域"] == p for r in rows)]
    x = alt.X("年份:O", scale=alt.Scale(domain=years), axis=alt.Axis(labelAngle=0, labelOverlap="parity"), title=None)
    top = max(r["数值"] for r in rows)
    y = alt.Y("数值:Q", title=meta["unit"],
              axis=count_axis(meta["unit"], top) if meta["whole"] else alt.Axis(title=meta["unit"]))
    colour = alt.Color("地域:N", scale=place_scale(present_places), title=None)
    flagged = [r for r in rows if r["结论"] and r["结论"] in {BY_CODE[c].label for c in WRONG}]
    origins = [o for o in SHAPES if any(r["出处"] == o for r in rows)]
    layers = [
        alt.Chart(alt.Data(values=segments(rows, "年份", "地域"))).mark_line().encode(
            x=x, y=y, color=colour, detail="段:N"),
        alt.Chart(alt.Data(values=rows)).mark_point(size=70).encode(
            x=x, y=y, color=colour, shape=alt.Shape("出处:N", title=None, scale=alt.Scale(
                domain=origins, range=[SHAPES[o] for o in origins])),
            tooltip=["年份:N", "地域:N", "说明:N", "所指年份:N", "来源:N"]),
        alt.Chart(alt.Data(values=rows)).mark_text(dy=-13).encode(x=x, y=y, text="标注:N", color=colour),
    ]
    for code in WRONG:
        ringed = [r for r in flagged if r["结论"] == BY_CODE[code].label]
        if ringed:
            layers.append(alt.Chart(alt.Data(values=ringed)).mark_point(
                size=260, filled=False, strokeWidth=2, color=BY_CODE[code].colour).encode(x=x, y=y, tooltip=["说明:N"]))
    chart = alt.layer(*layers).properties(width=WIDTH, height=240)
    latest = max(int(r["年份"]) for r in rows)
    at_latest = [r for r in rows if r["年份"] == str(latest)]
    title = f"{name}：{latest}年" + "，".join(f"{r['地域']}{r['说明']}" for r in at_latest)
    missing = [p for p in places if p not in present_places]
    subtitle = ("，".join(f"{SHAPE_WORDS[o]}是{'文章给出的数字' if o == '文章' else '外部来源'}" for o in origins)
                + "；线在没有数字的年份断开"
                + ("；标*的数字画在本书核查认为它所指的年份" if any(r["所指年份"] for r in rows) else "")
                + "".join(f"；带圈的数字本书核查为{BY_CODE[c].label}" for c in WRONG
                          if any(r["结论"] == BY_CODE[c].label for r in flagged))
                + (f"；{listing(missing)}没有找到数字" if missing else ""))
    text = "；".join(f"{r['地域']}{r['年份']}年{r['说明']}" + (f"（{r['所指年份']}）" if r["所指年份"] else "") for r in rows)
    return finish(chart, title=title, subtitle=subtitle, source=_publishers(edition, [f["source_id"] for f in found]),
                  alt_text=f"{title}。{text}。", data=[{k: v for k, v in r.items() if k != "标注"} for r in rows])


def chapter_charts(edition: Edition, chapter: str) -> list[alt.TopLevelMixin]:
    """The charts book/chapters.yml asks for, those with something to draw."""
    out = []
    for spec in chapters.get(chapter).charts:
        if spec.kind == "ranks":
            out.append(ranks(edition, chapter))
        elif spec.kind == "targets":
            out.append(targets(edition, chapter))
        elif spec.kind == "readings":
            out += recomputations(edition, chapter)
        else:
            out.append(series(edition, spec.indicator, list(spec.places)))
    return [c for c in out if c is not None]


# ---- across editions --------------------------------------------------------------------------------
def editions(editions: list[Edition]) -> alt.TopLevelMixin:
    present = [c for c in CODES if any(e.counts.get(c) for e in editions)]
    rows = [{"版本": f"{e.year}年版", "结论": BY_CODE[c].label, "数字个数": e.counts[c], "顺序": CODES.index(c)}
            for e in editions for c in present if e.counts.get(c)]
    chart = alt.Chart(alt.Data(values=rows)).mark_bar().encode(
        y=alt.Y("版本:N", title=None, sort=[f"{e.year}年版" for e in editions]),
        x=alt.X("数字个数:Q", axis=count_axis("数字个数", max(e.counts["total"] for e in editions)), stack="zero"),
        color=alt.Color("结论:N", scale=verdict_scale(present), title=None, sort=[BY_CODE[c].label for c in present],
                        legend=alt.Legend(columns=VERDICT_LEGEND_COLUMNS)),
        order=alt.Order("顺序:Q"), tooltip=["版本:N", "结论:N", "数字个数:Q"],
    ).properties(width=WIDTH, height=alt.Step(30))
    title = "各年版本核查的数字：" + "，".join(f"{e.year}年版{e.counts['total']}个" for e in editions)
    text = "；".join(f"{r['版本']}{r['结论']}{r['数字个数']}个" for r in rows)
    sources = "、".join(dict.fromkeys(e.sources[a]["publisher"] for e in editions for a in e.doc["articles"]))
    return finish(chart, title=title, subtitle="按结论计数（只计统计数字）", source=f"本书核查；原文：{sources}",
                  alt_text=f"{title}。{text}。", data=[{k: v for k, v in r.items() if k != "顺序"} for r in rows])
