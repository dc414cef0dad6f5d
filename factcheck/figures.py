"""The book's charts. Each returns an Altair chart with its source note and text alternative."""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from .charts import VERDICT_COLORS, finish, verdict_scale
from .data import Dataset
from .edition import CHAPTERS, Edition
from .engine import VERDICT_ZH, Judgement
from .precision import format_number


def _publishers(ds: Dataset, source_ids) -> str:
    names = []
    for s in source_ids:
        p = ds.sources.loc[s, "publisher"]
        if p not in names:
            names.append(p)
    return "、".join(names)


def verdict_counts(edition: Edition) -> alt.Chart:
    rows = [{"章节": CHAPTERS[j.chapter], "结论": VERDICT_ZH[j.verdict], "verdict": j.verdict} for j in edition.judgements]
    df = pd.DataFrame(rows, columns=["章节", "结论", "verdict"])
    order = list(CHAPTERS.values())
    counts = df.groupby(["章节", "结论", "verdict"]).size().reset_index(name="数字个数")
    chart = alt.Chart(counts).mark_bar().encode(
        y=alt.Y("章节:N", sort=order, title=None),
        x=alt.X("数字个数:Q", title="数字个数"),
        color=alt.Color("verdict:N", scale=verdict_scale(), title="结论",
                        legend=alt.Legend(labelExpr=_label_expr(VERDICT_ZH))),
        order=alt.Order("verdict:N"),
        tooltip=["章节", "结论", "数字个数"],
    ).properties(width=520, height=220)
    summary = ",".join(f"{VERDICT_ZH[v]}{n}个" for v, n in edition.counts().items() if v in VERDICT_ZH and n)
    alt_text = f"{edition.year}年版共核查{len(edition.judgements)}个数字:{summary}。"
    return finish(chart, source=f"本书核查结果;原文:{_publishers(edition.ds, edition.articles.index)}", alt_text=alt_text)


def _label_expr(mapping: dict[str, str]) -> str:
    cases = " : ".join(f"datum.label == '{k}' ? '{v}'" for k, v in mapping.items())
    return f"{cases} : datum.label"


def readings(edition: Edition, judgements: list[Judgement]) -> alt.Chart | None:
    """The claimed figure beside every recomputation of it (one panel per claim)."""
    rows = []
    for j in judgements:
        if not j.readings:
            continue
        claim = edition.ds.claims.set_index("claim_id").loc[j.claim_id]
        recomputed = [r for r in j.readings if r.recomputed is not None and math.isfinite(r.recomputed)]
        if not recomputed:
            continue
        label = f"{j.figure}({j.claim_id})"
        rows.append({"数字": label, "读法": "本文", "数值": float(claim["value"]), "verdict": j.verdict})
        for r in recomputed:
            rows.append({"数字": label, "读法": "重算:" + r.label, "数值": r.recomputed, "verdict": r.verdict})
    if not rows:
        return None
    df = pd.DataFrame(rows)
    base = alt.Chart(df).encode(
        y=alt.Y("读法:N", title=None, sort=None),
        x=alt.X("数值:Q", title=None),
        tooltip=["数字", "读法", alt.Tooltip("数值:Q", format=".3~f")],
    )
    bars = base.mark_bar().encode(color=alt.condition("datum['读法'] == '本文'", alt.value("#4a5568"),
                                                      alt.value("#2b6cb0")))
    text = base.mark_text(align="left", dx=3, fontSize=11).encode(text=alt.Text("数值:Q", format=".3~f"))
    chart = alt.layer(bars, text).properties(width=420, height=alt.Step(18)).facet(
        row=alt.Row("数字:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left", labelFontSize=12)),
    ).resolve_scale(x="independent", y="independent")
    parts = []
    for label, grp in df.groupby("数字", sort=False):
        vals = ",".join(f"{r['读法']}{format_number(r['数值'], 3)}" for _, r in grp.iterrows())
        parts.append(f"{label}:{vals}")
    sources = {s for j in judgements for s in [edition.ds.claims.set_index('claim_id').loc[j.claim_id, 'source_id']]}
    return finish(chart, source=f"本书重算;原文:{_publishers(edition.ds, sorted(sources))};输入数据见“数据与来源”",
                  alt_text="本文数字与重算结果:" + ";".join(parts) + "。")


def series(ds: Dataset, indicator: str, geographies: list[str], *, years: range | None = None,
           highlight: int | None = None, reverse: bool = False) -> alt.Chart:
    """One indicator over the years, one line per geography; years with no figure are marked 未公布."""
    f = ds.all_inputs()
    f = f[(f["indicator"] == indicator) & (f["geography"].isin(geographies))].drop_duplicates(["geography", "period"])
    meta = ds.indicators.loc[indicator]
    if years is None:
        lo = int(f["period"].min()) if not f.empty else (highlight or 2022)
        hi = max(int(f["period"].max()) if not f.empty else lo, highlight or lo)
        years = range(lo, hi + 1)
    flagged = _inconsistent_claims(ds, f)
    df = pd.DataFrame({"年份": [str(p) for p in f["period"]], "地域": f["geography"], "数值": f["value"],
                       "说明": [("" if q == "=" else q) + format_number(v, d) + meta["unit"]
                              + ("(经核查不一致)" if note in flagged else "")
                              for q, v, d, note in zip(f["qualifier"], f["value"], f["decimals"], f["note"], strict=True)],
                       "source_id": f["source_id"], "year": [int(p) for p in f["period"]]})
    df = _segments(df, by="地域")
    missing = []
    for geo in geographies:
        have = set(df.loc[df["地域"] == geo, "年份"])
        missing += [{"年份": str(y), "地域": geo, "标注": "未公布"} for y in years if str(y) not in have]
    miss = pd.DataFrame(missing, columns=["年份", "地域", "标注"])
    x = alt.X("年份:O", scale=alt.Scale(domain=[str(y) for y in years]), title=None, axis=alt.Axis(labelAngle=0))
    y = alt.Y("数值:Q", title=f"{meta['name_zh']}({meta['unit']})", scale=alt.Scale(reverse=reverse, zero=not reverse))
    color = alt.Color("地域:N", title=None)
    points = alt.Chart(df).mark_point().encode(x=x, y=y, color=color, tooltip=["年份", "地域", "说明"])
    lines = alt.Chart(df).mark_line(opacity=0.5).encode(x=x, y=y, color=color, detail="segment:N")
    labels = alt.Chart(df).mark_text(dy=-10, fontSize=11).encode(x=x, y=y, text="说明:N", color=color)
    layers = [lines, points, labels]
    if not miss.empty:
        layers.append(alt.Chart(miss).mark_text(baseline="bottom", fontSize=10, color="#a0aec0", angle=0).encode(
            x=x, y=alt.value(280), text="标注:N", tooltip=["年份", "地域", "标注"]))
    if highlight is not None:
        layers.insert(0, alt.Chart(pd.DataFrame({"年份": [str(highlight)]})).mark_rule(
            color="#edf2f7", strokeWidth=24).encode(x=x))
    chart = alt.layer(*layers).properties(width=560, height=280)
    text_parts = []
    for geo in geographies:
        sub = df[df["地域"] == geo].sort_values("年份")
        got = ",".join(f"{r['年份']}年{r['说明']}" for _, r in sub.iterrows()) or "无数据"
        gaps = [m["年份"] for m in missing if m["地域"] == geo]
        text_parts.append(f"{geo}:{got}" + (f";{'、'.join(gaps)}年未公布" if gaps else ""))
    return finish(chart, source=_publishers(ds, df["source_id"].unique()) or "无",
                  alt_text=f"{meta['name_zh']}逐年数值。" + "。".join(text_parts) + "。")


def _inconsistent_claims(ds: Dataset, figures: pd.DataFrame) -> set[str]:
    """Notes (``claim <id>``) of the plotted article figures that this book judges inconsistent."""
    from .engine import Judge

    ids = [n.removeprefix("claim ") for n in figures["note"] if str(n).startswith("claim ")]
    if not ids:
        return set()
    judge = Judge(ds)
    claims = ds.claims.set_index("claim_id", drop=False)
    return {f"claim {i}" for i in ids if judge.judge(claims.loc[i]).verdict == "inconsistent"}


def _segments(df: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """Number runs of consecutive years so that lines break at every gap instead of bridging it."""
    if df.empty:
        return df.assign(segment=[])
    out = []
    for _, grp in (df.groupby(by) if by else [(None, df)]):
        grp = grp.sort_values("year")
        seg = (grp["year"].diff().fillna(1) != 1).cumsum()
        out.append(grp.assign(segment=[f"{k}-{n}" for k, n in zip([_] * len(grp), seg, strict=True)]))
    return pd.concat(out)


def targets(edition: Edition, chapter: str) -> alt.Chart | None:
    """Plan targets beside the actual figures of each year that has one."""
    claims = edition.ds.claims.set_index("claim_id")
    f = edition.ds.all_inputs()
    rows = []
    for j in edition.in_chapter(chapter):
        if j.verdict != "target":
            continue
        c = claims.loc[j.claim_id]
        name = edition.ds.indicators.loc[c["indicator"], "name_zh"]
        label = f"{name}({j.claim_id})"
        rows.append({"指标": label, "系列": f"目标({int(c['period'])}年)", "数值": float(c["value"]),
                     "说明": j.claimed})
        hits = f[(f["indicator"] == c["indicator"]) & (f["geography"] == c["geography"])]
        for _, h in hits.drop_duplicates("period").sort_values("period").iterrows():
            q = "" if h["qualifier"] == "=" else h["qualifier"]
            rows.append({"指标": label, "系列": f"{int(h['period'])}年实际", "数值": float(h["value"]),
                         "说明": f"{q}{format_number(float(h['value']), int(h['decimals']))}{h['unit']}"})
    if not rows:
        return None
    df = pd.DataFrame(rows)
    base = alt.Chart(df).encode(y=alt.Y("系列:N", title=None, sort=None), x=alt.X("数值:Q", title=None),
                                tooltip=["指标", "系列", "说明"])
    bars = base.mark_bar().encode(color=alt.Color("系列:N", title=None, legend=None))
    text = base.mark_text(align="left", dx=3, fontSize=11).encode(text="说明:N")
    chart = alt.layer(bars, text).properties(width=420, height=alt.Step(18)).facet(
        row=alt.Row("指标:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left"))
    ).resolve_scale(x="independent", y="independent")
    alt_text = ";".join(f"{k}:" + ",".join(f"{r['系列']}{r['说明']}" for _, r in g.iterrows())
                        for k, g in df.groupby("指标", sort=False))
    return finish(chart, source=f"{_publishers(edition.ds, edition.articles.index)}及后续年份报道",
                  alt_text="规划目标与实际值:" + alt_text + "。")


def headline_bars(edition: Edition, chapter: str) -> alt.Chart | None:
    """The chapter's headline figures of the year that share the commonest unit."""
    table = edition.headline(chapter)
    table = table[table["value"].notna()]
    if table.empty:
        return None
    unit = table["单位"].mode().iloc[0]
    df = table[table["单位"] == unit]
    chart = alt.Chart(df).mark_bar().encode(
        y=alt.Y("指标:N", sort="-x", title=None), x=alt.X("value:Q", title=unit),
        tooltip=["指标", "地域", "数值", "单位", "来源"],
    ).properties(width=480, height=alt.Step(22))
    text = alt.Chart(df).mark_text(align="left", dx=3, fontSize=11).encode(
        y=alt.Y("指标:N", sort="-x"), x="value:Q", text="数值:N")
    alt_text = ",".join(f"{r['指标']}{r['数值']}{unit}" for _, r in df.iterrows())
    sources = "、".join(dict.fromkeys(df["来源"]))
    return finish(alt.layer(chart, text), source=sources, alt_text=f"{edition.year}年{alt_text}。")


def verdict_color(verdict: str) -> str:
    return VERDICT_COLORS[verdict]


def rank_history(ds: Dataset, *, highlight: int | None = None) -> alt.Chart:
    """The zone's rank in each evaluation with the number of zones evaluated; unpublished ranks marked."""
    f = ds.all_inputs()
    ranks = f[(f["indicator"] == "evaluation_rank") & (f["geography"] == "江门高新区")].drop_duplicates("period")
    pools = f[(f["indicator"] == "zones_evaluated") & (f["geography"] == "全国")].drop_duplicates("period")
    pool = {int(p): int(v) for p, v in zip(pools["period"], pools["value"], strict=True)}
    years = sorted(set(pool) | {int(p) for p in ranks["period"]} | ({highlight} if highlight else set()))
    years = list(range(min(years), max(years) + 1))
    rows, missing = [], []
    got = {int(r["period"]): r for _, r in ranks.iterrows()}
    for y in years:
        zones = f"{pool[y]}个参评" if y in pool else "参评数未公布"
        if y in got:
            r = got[y]
            exact = r["qualifier"] == "="
            place = f"第{int(r['value'])}位" if exact else f"{int(r['value'])}名以外"
            label = f"{int(r['value'])}" + (f"/{pool[y]}" if y in pool else "") if exact else place
            rows.append({"评价年度": str(y), "名次": float(r["value"]), "说明": f"{place}/{zones}",
                         "标注": label, "公布": "名次" if exact else "只知在此名次之外",
                         "source_id": r["source_id"], "year": y})
        else:
            missing.append({"评价年度": str(y), "说明": f"名次未公布/{zones}"})
    df = _segments(pd.DataFrame(rows))
    miss = pd.DataFrame(missing, columns=["评价年度", "说明"])
    x = alt.X("评价年度:O", scale=alt.Scale(domain=[str(y) for y in years]), axis=alt.Axis(labelAngle=0), title=None)
    y = alt.Y("名次:Q", scale=alt.Scale(reverse=True, domain=[1, 100]), title="综合评价名次(越小越好)")
    layers = [
        alt.Chart(pd.DataFrame({"名次": [50]})).mark_rule(strokeDash=[4, 4], color="#a0aec0").encode(y=y),
        alt.Chart(df[df["公布"] == "名次"]).mark_line(opacity=0.5).encode(x=x, y=y, detail="segment:N"),
        alt.Chart(df).mark_point(filled=True, size=70).encode(
            x=x, y=y, tooltip=["评价年度", "说明"],
            shape=alt.Shape("公布:N", title=None, scale=alt.Scale(domain=["名次", "只知在此名次之外"],
                                                                 range=["circle", "triangle-down"]))),
        alt.Chart(df).mark_text(dy=-12, fontSize=11).encode(x=x, y=y, text="标注:N"),
    ]
    if not miss.empty:
        layers.append(alt.Chart(miss).mark_text(fontSize=10, color="#718096").encode(
            x=x, y=alt.value(285), text=alt.value("未公布"), tooltip=["评价年度", "说明"]))
    if highlight is not None:
        layers.insert(0, alt.Chart(pd.DataFrame({"评价年度": [str(highlight)]})).mark_rule(
            color="#edf2f7", strokeWidth=24).encode(x=x))
    chart = alt.layer(*layers).properties(width=560, height=300)
    rows = rows and sorted(rows, key=lambda r: r["year"])
    text = ";".join(f"{r['评价年度']}年度{r['说明']}" for r in rows) + ";" + ";".join(
        f"{m['评价年度']}年度{m['说明']}" for m in missing)
    return finish(chart, source=_publishers(ds, df["source_id"].unique()) + ";参评数见“数据与来源”",
                  alt_text=f"江门高新区国家高新区综合评价名次(虚线为第50名):{text}。")
