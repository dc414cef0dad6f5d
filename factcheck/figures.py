"""The book's charts, from a judged file. Each states its point in its title.

Conventions (Our World in Data): ranks on a reversed axis (1 at the top) as dots and lines, never bars;
targets drawn at their due year; colour only where it means something (a place, a verdict); stacks in
the legend's order; whole-number ticks for counts; no chart of a number against itself; years with no
figure left as gaps and said so. Every chart carries its data for the CSV download.
"""

from __future__ import annotations

import altair as alt

from . import chapters
from .charts import ZONE, count_axis, finish, place_scale, verdict_scale
from .edition import Edition
from .precision import format_number
from .vocabulary import BY_CODE, CODES, TARGET_STATUS
from .words import listing, qty

WIDTH = "container"


def _publishers(edition: Edition, ids) -> str:
    return "、".join(dict.fromkeys(edition.sources[s]["publisher"] for s in ids if s in edition.sources)) or "无"


def _articles(edition: Edition) -> str:
    return _publishers(edition, edition.doc["articles"])


# ---- verdicts -------------------------------------------------------------------------------------
def verdict_counts(edition: Edition) -> alt.TopLevelMixin:
    """How many figures of each verdict, by chapter; stacks and legend in the vocabulary's order."""
    titles = {c.id: c.title for c in chapters.chapters()}
    present = [c for c in CODES if edition.counts.get(c)]
    rows = []
    for chapter in edition.published_chapters():
        counts = edition.chapter_counts(chapter)
        rows += [{"章节": titles[chapter], "结论": BY_CODE[c].label, "数字个数": counts[c], "顺序": CODES.index(c)}
                 for c in present if counts[c]]
    total, bad = edition.counts["total"], edition.counts["inconsistent"]
    chart = alt.Chart(alt.Data(values=rows)).mark_bar().encode(
        y=alt.Y("章节:N", sort=[titles[c] for c in edition.published_chapters()], title=None),
        x=alt.X("数字个数:Q", axis=count_axis("数字个数", max(
            (edition.chapter_counts(c)["total"] for c in edition.published_chapters()), default=1)), stack="zero"),
        color=alt.Color("结论:N", scale=verdict_scale(present), title=None, sort=[BY_CODE[c].label for c in present]),
        order=alt.Order("顺序:Q"),
        tooltip=["章节:N", "结论:N", "数字个数:Q"],
    ).properties(width=WIDTH, height=alt.Step(28))
    title = (f"{edition.year}年版的{total}个统计数字中,{bad}个有误" if bad
             else f"{edition.year}年版的{total}个统计数字中,没有发现有误的")
    text = ";".join(f"{r['章节']}{r['结论']}{r['数字个数']}个" for r in rows)
    return finish(chart, title=title, subtitle="按章节和结论计数", source=f"本书核查;原文:{_articles(edition)}",
                  alt_text=f"{title}。{text}。", data=[{k: v for k, v in r.items() if k != "顺序"} for r in rows])


# ---- ranks ----------------------------------------------------------------------------------------
def ranks(edition: Edition, chapter: str = "ranking") -> alt.TopLevelMixin | None:
    found = edition.figures("evaluation_rank", ZONE)
    if not found:
        return None
    pools = {f["period"]: f for f in edition.figures("zones_evaluated", "全国")}
    goals = [j for j in edition.claims if j["verdict"] == "target" and j["indicator"] == "evaluation_rank"]
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
            gaps.append({"评价年度": str(y), "说明": f"名次未找到,{zones}"})
            continue
        exact = f["qualifier"] == "="
        place = f"第{int(f['value'])}位" if exact else f"{int(f['value'])}名以外"
        doubt = any(w in (f["period_note"] or "") for w in ("推断", "存疑", "未写明"))
        rows.append({"评价年度": str(y), "名次": int(f["value"]), "说明": f"{place},{zones}", "标注": place + ("*" if doubt else ""),
                     "名次类型": "名次" if exact else "只知在此名次之外", "来源": edition.sources[f["source_id"]]["publisher"],
                     "所指年度": f["period_note"] or ""})
    x = alt.X("评价年度:O", scale=alt.Scale(domain=[str(y) for y in years]), axis=alt.Axis(labelAngle=0, labelOverlap="parity"), title="评价年度")
    top = max(100, max(r["名次"] for r in rows) + 10)
    y = alt.Y("名次:Q", scale=alt.Scale(reverse=True, domain=[1, top], nice=False),
              axis=alt.Axis(title="名次(越靠上越好)", tickMinStep=1, format="d", values=[1, 25, 50, 75, 100]))
    exact_rows = [r for r in rows if r["名次类型"] == "名次"]
    layers = [
        alt.Chart(alt.Data(values=[{"名次": 50, "标注": "“50强”"}])).mark_rule(strokeDash=[4, 4], color="#718096").encode(y=y),
        alt.Chart(alt.Data(values=exact_rows)).mark_line(color="#c05621").encode(x=x, y=y),
        alt.Chart(alt.Data(values=rows)).mark_point(filled=True, size=80, color="#c05621").encode(
            x=x, y=y, shape=alt.Shape("名次类型:N", title=None, scale=alt.Scale(
                domain=["名次", "只知在此名次之外"], range=["circle", "triangle-down"])),
            tooltip=["评价年度:N", "说明:N", "所指年度:N", "来源:N"]),
        alt.Chart(alt.Data(values=rows)).mark_text(dy=-14, fontSize=11, color="#2d3748").encode(x=x, y=y, text="标注:N"),
    ]
    if gaps:
        layers.append(alt.Chart(alt.Data(values=gaps)).mark_text(fontSize=10, color="#718096", baseline="bottom").encode(
            x=x, y=alt.value(250), text=alt.value("未找到"), tooltip=["评价年度:N", "说明:N"]))
    chart = alt.layer(*layers).properties(width=WIDTH, height=260)
    first, last = exact_rows[0], exact_rows[-1]
    title = f"江门高新区的名次从{first['评价年度']}年度的{first['标注']}升至{last['评价年度']}年度的{last['标注']}"
    if first["名次"] <= last["名次"]:
        title = f"江门高新区的名次:{first['评价年度']}年度{first['标注']},{last['评价年度']}年度{last['标注']}"
    bounds = [r for r in rows if r["名次类型"] != "名次" and int(r["评价年度"]) > int(last["评价年度"])]
    if bounds:
        title += f";{bounds[-1]['评价年度']}年度在{bounds[-1]['标注']}"
    subtitle = "国家高新区综合评价名次,越靠上越好;虚线为“50强”;标“未找到”的年度没有找到名次" + (
        ";标*的名次,其评价年度是推断的" if any(r["标注"].endswith("*") for r in rows) else "")
    text = ";".join(f"{r['评价年度']}年度{r['说明']}" for r in rows) + (
        ";" + "、".join(g["评价年度"] for g in gaps) + "年度名次未找到" if gaps else "")
    sources = _publishers(edition, [f["source_id"] for f in found])
    return finish(chart, title=title, subtitle=subtitle, source=sources, alt_text=f"{title}。{text}。",
                  data=[{"评价年度": r["评价年度"], "名次": r["名次"], "说明": r["说明"], "所指年度": r["所指年度"],
                         "来源": r["来源"]} for r in rows])


# ---- targets --------------------------------------------------------------------------------------
def targets(edition: Edition, chapter: str) -> alt.TopLevelMixin | None:
    """Each target of the chapter at its due year, with the actual figures found (the zone's colour)."""
    goals = [j for j in edition.in_chapter(chapter) if j["verdict"] == "target" and j["indicator"] != "evaluation_rank"]
    if not goals:
        return None
    panels, data, statuses = [], [], []
    for j in goals:
        t = j["target"]
        name = edition.indicator(j["indicator"])["name_zh"]
        unit = j["unit"]
        status = TARGET_STATUS[t["status"]]
        statuses.append(status)
        actual = [{"年份": str(a["period"]), "数值": a["value"], "系列": "实际值",
                   "说明": f"{a['period']}年实际{qty(a['value'], a['decimals'], a['qualifier'], a['unit'])}"}
                  for a in t["actuals"]]
        due = t["due"]
        goal_year = str(due) if due else "未定期限"
        goal = [{"年份": goal_year, "数值": j["value"], "说明": f"目标{qty(j['value'], j['decimals'], j['qualifier'], unit)}"
                 + (f"({due}年)" if due else "(文章没有给出期限)"), "系列": "目标"}]
        years = sorted({r["年份"] for r in actual if r["年份"].isdigit()} | ({str(due)} if due else set()))
        if due is None:
            years.append("未定期限")
        x = alt.X("年份:O", scale=alt.Scale(domain=years), axis=alt.Axis(labelAngle=0, labelOverlap="parity"), title=None)
        whole = edition.indicator(j["indicator"])["whole"]
        top = max([r["数值"] for r in actual + goal], default=1)
        y = alt.Y("数值:Q", title=unit, axis=count_axis(unit, top) if whole else alt.Axis(title=unit),
                  scale=alt.Scale(zero=True))
        layers = [
            alt.Chart(alt.Data(values=goal)).mark_point(shape="diamond", filled=False, size=140, strokeWidth=2,
                                                        color="#2b6cb0").encode(x=x, y=y, tooltip=["说明:N"]),
            alt.Chart(alt.Data(values=goal)).mark_text(dy=-14, fontSize=11, color="#2b6cb0").encode(
                x=x, y=y, text=alt.value("目标")),
        ]
        if actual:  # an empty layer would be an unlabelled mark for screen readers
            layers[:0] = [alt.Chart(alt.Data(values=actual)).mark_line(color="#c05621").encode(x=x, y=y),
                          alt.Chart(alt.Data(values=actual)).mark_point(filled=True, size=70, color="#c05621").encode(
                              x=x, y=y, tooltip=["说明:N"])]
        layer = alt.layer(*layers).properties(width=WIDTH, height=110,
                                              title=alt.TitleParams(f"{name}:{status}", fontSize=13))
        panels.append(layer)
        data += [{"目标": name, **{k: v for k, v in r.items()}} for r in goal + actual]
    counted = {s: statuses.count(s) for s in dict.fromkeys(statuses)}
    title = f"本章{len(goals)}个规划目标:" + "、".join(f"{n}个{s}" for s, n in counted.items())
    chart = alt.vconcat(*panels, spacing=18)
    sources = _publishers(edition, [a["source_id"] for j in goals for a in j["target"]["actuals"]])
    text = ";".join(f"{r['目标']}{r['说明']}" for r in data)
    return finish(chart, title=title, subtitle="菱形是目标,放在到期年份;圆点是各年找到的实际值",
                  source=f"目标:{_articles(edition)};实际值:{sources}", alt_text=f"{title}。{text}。", data=data)


# ---- recomputations -------------------------------------------------------------------------------
def readings(edition: Edition, chapter: str) -> alt.TopLevelMixin | None:
    """Each figure the article prints beside what public data give for it, one panel a figure.

    Only recomputations that use at least one outside figure: a figure checked against the article's own
    numbers alone is not drawn against itself.
    """
    panels, data, mismatches, n = [], [], 0, 0
    for j in edition.in_chapter(chapter):
        rows = []
        for r in j.get("readings") or []:
            if r.get("recomputed") is None or not any(u["kind"] == "input" for u in r["used"]):
                continue
            label = "按文章所指年份" if r["primary"] else listing(
                [f"按{c['year']}年" + ("代替" if c["stand_in"] else "") for c in r["changes"]])
            result = "相符" if r["status"] == "match" else "不符"
            rows.append({"读法": label, "数值": round(r["recomputed"], 4), "结果": result,
                         "说明": f"{label}重算为{format_number(r['recomputed'], 3)},{result}"})
        if not rows:
            continue
        n += 1
        mismatches += any(r["结果"] == "不符" and r["读法"] == "按文章所指年份" for r in rows)
        name = edition.indicator(j["indicator"])["name_zh"]
        article = [{"读法": "文章", "数值": j["value"], "结果": "文章的数字", "说明": f"文章:{j['figure']}{j['unit']}"}]
        all_rows = article + rows
        y = alt.Y("读法:N", sort=[r["读法"] for r in all_rows], title=None)
        x = alt.X("数值:Q", title=j["unit"], scale=alt.Scale(zero=False))
        colour = alt.Color("结果:N", title=None, scale=alt.Scale(domain=["文章的数字", "相符", "不符"],
                                                              range=["#4a5568", BY_CODE["consistent"].colour,
                                                                     BY_CODE["inconsistent"].colour]))
        panel = alt.layer(
            alt.Chart(alt.Data(values=all_rows)).mark_point(filled=True, size=90).encode(
                x=x, y=y, color=colour, tooltip=["说明:N"]),
            alt.Chart(alt.Data(values=all_rows)).mark_text(align="left", dx=8, fontSize=11).encode(
                x=x, y=y, text=alt.Text("数值:Q", format=".3~f")),
        ).properties(width=WIDTH, height=alt.Step(26), title=alt.TitleParams(f"{name}(文章:{j['figure']}{j['unit']})",
                                                                           fontSize=13))
        panels.append(panel)
        data += [{"数字": f"{name}(文章:{j['figure']}{j['unit']})", **r} for r in all_rows]
    if not panels:
        return None
    title = (f"按公开数据重算的{n}个数字中,{mismatches}个按文章所指的年份算不符" if mismatches
             else f"按公开数据重算的{n}个数字,按文章所指的年份算没有不符的")
    chart = alt.vconcat(*panels, spacing=16)
    sources = _publishers(edition, sorted({u["source_id"] for j in edition.in_chapter(chapter)
                                           for r in (j.get("readings") or []) for u in r["used"] if u["source_id"]}))
    text = ";".join(f"{r['数字']}:{r['说明']}" for r in data)
    return finish(chart, title=title, subtitle="灰点是文章的数字,彩色点是按不同年份的公开数据重算的结果",
                  source=sources, alt_text=f"{title}。{text}。", data=data)


# ---- one figure over the years ---------------------------------------------------------------------
def series(edition: Edition, indicator: str, places: list[str]) -> alt.TopLevelMixin | None:
    found = [f for f in edition.figures(indicator) if f["geography"] in places]
    if not found:
        return None
    meta = edition.indicator(indicator)
    rows = []
    for f in sorted(found, key=lambda f: (f["geography"], f["period"])):
        if any(r["地域"] == f["geography"] and r["年份"] == str(f["period"]) for r in rows):
            continue
        flagged = "(与文中其他数字矛盾)" if f["verdict"] == "inconsistent" else ""
        origin = "文章" if f["claim_id"] else "外部来源"
        rows.append({"年份": str(f["period"]), "地域": f["geography"], "数值": f["value"],
                     "说明": qty(f["value"], f["decimals"], f["qualifier"], f["unit"]) + flagged, "出处": origin,
                     "来源": edition.sources[f["source_id"]]["publisher"]})
    years = [str(y) for y in range(min(int(r["年份"]) for r in rows), max(int(r["年份"]) for r in rows) + 1)]
    present_places = [p for p in places if any(r["地域"] == p for r in rows)]
    x = alt.X("年份:O", scale=alt.Scale(domain=years), axis=alt.Axis(labelAngle=0, labelOverlap="parity"), title=None)
    top = max(r["数值"] for r in rows)
    y = alt.Y("数值:Q", title=meta["unit"],
              axis=count_axis(meta["unit"], top) if meta["whole"] else alt.Axis(title=meta["unit"]))
    colour = alt.Color("地域:N", scale=place_scale(present_places), title=None)
    chart = alt.layer(
        alt.Chart(alt.Data(values=rows)).mark_line().encode(x=x, y=y, color=colour),
        alt.Chart(alt.Data(values=rows)).mark_point(size=70).encode(
            x=x, y=y, color=colour, shape=alt.Shape("出处:N", title=None, scale=alt.Scale(
                domain=["文章", "外部来源"], range=["circle", "square"])), tooltip=["年份:N", "地域:N", "说明:N", "来源:N"]),
        alt.Chart(alt.Data(values=rows)).mark_text(dy=-12, fontSize=11).encode(x=x, y=y, text="说明:N", color=colour),
    ).properties(width=WIDTH, height=240)
    latest = max(int(r["年份"]) for r in rows)
    at_latest = [r for r in rows if r["年份"] == str(latest)]
    title = f"{meta['name_zh']}:{latest}年" + ",".join(f"{r['地域']}{r['说明']}" for r in at_latest)
    missing = [p for p in places if p not in present_places]
    subtitle = "圆点是文章给出的数字,方块是外部来源;线在没有数字的年份断开" + (
        f";{listing(missing)}没有找到数字" if missing else "")
    text = ";".join(f"{r['地域']}{r['年份']}年{r['说明']}" for r in rows)
    return finish(chart, title=title, subtitle=subtitle, source=_publishers(edition, [f["source_id"] for f in found]),
                  alt_text=f"{title}。{text}。", data=[{k: v for k, v in r.items()} for r in rows])


def chapter_charts(edition: Edition, chapter: str) -> list[alt.TopLevelMixin]:
    """The charts book/chapters.yml asks for, those with something to draw."""
    out = []
    for spec in chapters.get(chapter).charts:
        if spec.kind == "ranks":
            chart = ranks(edition, chapter)
        elif spec.kind == "targets":
            chart = targets(edition, chapter)
        elif spec.kind == "readings":
            chart = readings(edition, chapter)
        else:
            chart = series(edition, spec.indicator, list(spec.places))
        if chart is not None:
            out.append(chart)
    return out


# ---- across editions --------------------------------------------------------------------------------
def editions(editions: list[Edition]) -> alt.TopLevelMixin:
    present = [c for c in CODES if any(e.counts.get(c) for e in editions)]
    rows = [{"版本": f"{e.year}年版", "结论": BY_CODE[c].label, "数字个数": e.counts[c], "顺序": CODES.index(c)}
            for e in editions for c in present if e.counts[c]]
    chart = alt.Chart(alt.Data(values=rows)).mark_bar().encode(
        y=alt.Y("版本:N", title=None, sort=[f"{e.year}年版" for e in editions]),
        x=alt.X("数字个数:Q", axis=count_axis("数字个数", max(e.counts["total"] for e in editions)), stack="zero"),
        color=alt.Color("结论:N", scale=verdict_scale(present), title=None, sort=[BY_CODE[c].label for c in present]),
        order=alt.Order("顺序:Q"), tooltip=["版本:N", "结论:N", "数字个数:Q"],
    ).properties(width=WIDTH, height=alt.Step(30))
    title = "各年版本核查的数字:" + ",".join(f"{e.year}年版{e.counts['total']}个" for e in editions)
    text = ";".join(f"{r['版本']}{r['结论']}{r['数字个数']}个" for r in rows)
    sources = "、".join(dict.fromkeys(e.sources[a]["publisher"] for e in editions for a in e.doc["articles"]))
    return finish(chart, title=title, subtitle="按结论计数(只计统计数字)", source=f"本书核查;原文:{sources}",
                  alt_text=f"{title}。{text}。", data=[{k: v for k, v in r.items() if k != "顺序"} for r in rows])
