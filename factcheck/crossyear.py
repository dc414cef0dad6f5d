"""The cross-year chapter: every edition's judged file side by side, what changed between them, and the figures
followed across the years (from the book's judged file, which holds them all)."""

from __future__ import annotations

from pathlib import Path

import altair as alt

from .charts import ZONE
from .edition import Book, Edition
from .figures import ranks, series
from .present import Html, esc, paragraph
from .words import qty, span, typeset

SERIES = (("rd_intensity", [ZONE, "江门市", "全国"]), ("high_value_patents_per_10k", [ZONE, "全国"]),
          ("high_tech_enterprises", [ZONE]))
"""The figures followed across editions (one chart each, when any edition has them)."""


def editions(judged_dir: Path) -> list[Edition]:
    """Every edition the book's judged file lists, oldest first."""
    return [Edition.read(judged_dir, y) for y in Book.read(judged_dir).years]


def changes(found: list[Edition]) -> Html:
    """In words: the zone's figures that more than one edition prints, and what their implied values say."""
    lines = []
    by_figure: dict[tuple[str, str], list[tuple[Edition, dict]]] = {}
    for e in found:
        for j in e.claims:
            if j["verdict"] != "target" and j.get("period") == e.year:
                by_figure.setdefault((j["indicator"], j["geography"]), []).append((e, j))
    for (indicator, geography), items in by_figure.items():
        if len({e.year for e, _ in items}) < 2:
            continue
        name = geography + items[0][0].indicator(indicator)["name_zh"]
        said = "；".join(f"{e.year}年版{qty(j['value'], j['decimals'], j['qualifier'], j['unit'])}"
                        f"（{j['label']}）" for e, j in items)
        line = f"{typeset(name)}：{said}。"
        implied = [(e, j, j["readings"][j["decisive"]]) for e, j in items if j.get("readings")
                   and j["readings"][j["decisive"]]["status"] == "implied"]
        if len(implied) >= 2:
            parts = [f"按{e.year}年版，{r['implied_what']}{_range(r)}" for e, j, r in implied]
            line += "这些数字本身意味着：" + "；".join(parts) + "。"
        lines.append(line)
    if not lines:
        return paragraph("各版本没有共同的数字可以比较。")
    return Html("<ul class=\"changes\">" + "".join(f"<li>{esc(line)}</li>" for line in lines) + "</ul>")


def _range(r: dict) -> str:
    i = r["implied"]
    if r.get("wholes"):
        return "应为" + "、".join(str(n) for n in r["wholes"][:5]) + r.get("implied_unit", "")
    return span(i["lo"], i["hi"], i["lo_open"], i["hi_open"], 2, r.get("implied_unit", ""))


def charts(book: Book) -> list[alt.TopLevelMixin]:
    """The zone's ranks and the figures of :data:`SERIES` over every year the book has (every article's figures,
    each with its edition's verdict, and every outside figure)."""
    out = [c for c in [ranks(book)] if c is not None]
    for indicator, places in SERIES:
        chart = series(book, indicator, places)
        if chart is not None:
            out.append(chart)
    return out
