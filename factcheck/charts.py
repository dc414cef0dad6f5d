"""One look for every chart, Chinese labels, a source note under each, and rendering with no network.

Charts render through the ``factcheck`` Altair renderer: it emits a ``<figure>`` holding a ``<div>``
with a deterministic id, a ``vegaEmbed`` call and a text alternative. ``vegaEmbed`` comes from
``book/_static/vega-bundle.js``, written from vl-convert's bundle (:func:`write_vega_bundle`), which
Jupyter Book serves with the book, so no page loads anything from a CDN.
"""

from __future__ import annotations

import hashlib
import html
import json
from pathlib import Path

import altair as alt

FONT = "'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif"
VEGA_LITE_VERSION = "6.4"
BUNDLE_NAME = "vega-bundle.js"
VERDICT_COLORS = {
    "reproduced": "#1b7837",
    "consistent": "#7fbf7b",
    "stated": "#bababa",
    "target": "#6baed6",
    "unverifiable": "#f1a340",
    "inconsistent": "#b2182b",
}
PALETTE = ["#2b6cb0", "#dd6b20", "#718096", "#38a169", "#805ad5", "#d53f8c"]


@alt.theme.register("factcheck", enable=True)
def _theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "font": FONT,
            "view": {"stroke": None, "continuousWidth": 560, "continuousHeight": 280},
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "titleFontWeight": "normal", "gridColor": "#e2e8f0"},
            "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom"},
            "title": {"fontSize": 11, "fontWeight": "normal", "color": "#4a5568", "anchor": "start"},
            "range": {"category": PALETTE},
            "bar": {"color": PALETTE[0]},
            "line": {"color": PALETTE[0], "strokeWidth": 2},
            "point": {"color": PALETTE[0], "filled": True, "size": 60},
        }
    }


def finish(chart: alt.TopLevelMixin, *, source: str, alt_text: str) -> alt.TopLevelMixin:
    """Put the source note under the chart and keep the text alternative with the spec."""
    return chart.properties(
        title=alt.TitleParams(text=f"来源:{source}", orient="bottom", anchor="start", fontSize=11),
        usermeta={"alt": alt_text, "source": source},
    )


def _renderer(spec: dict, **_: object) -> dict:
    spec = {k: v for k, v in spec.items() if k != "$schema"}  # an address nobody needs to fetch
    meta = spec.get("usermeta", {})
    text = str(meta.get("alt", "图表"))
    payload = json.dumps(spec, ensure_ascii=False, sort_keys=True)
    chart_id = "chart-" + hashlib.sha1(payload.encode("utf-8")).hexdigest()[:12]
    markup = (
        f'<figure class="factcheck-chart" data-chart="{chart_id}">'
        f'<div id="{chart_id}" class="factcheck-vis" role="img" aria-label="{html.escape(text)}"></div>'
        f'<figcaption class="chart-alt">{html.escape(text)}</figcaption>'
        # The script draws into its own figure's div (not by id), so a chart shown twice on one page
        # (e.g. the single-page print edition) is drawn twice.
        # vega-embed names the div "Vega visualization" (role graphics-document): give it back its text
        # alternative once drawn.
        "<script>(function(){var el=document.currentScript.parentNode.querySelector('.factcheck-vis');"
        "var label=el.getAttribute('aria-label');"
        "var spec=" + payload.replace("</", "<\\/") + ";"
        "function draw(){if(!window.vegaEmbed){return setTimeout(draw,50);}"
        "window.vegaEmbed(el,spec,{actions:false,renderer:'svg'})"
        ".then(function(){el.setAttribute('role','img');el.setAttribute('aria-label',label);"
        "el.removeAttribute('aria-roledescription');el.setAttribute('data-drawn','1');})"
        ".catch(function(e){console.error('chart error',e);});}"
        "draw();})();</script></figure>"
    )
    return {"text/html": markup, "text/plain": f"[图表] {text}"}


alt.renderers.register("factcheck", _renderer)
alt.renderers.enable("factcheck")


def write_vega_bundle(static_dir: str | Path) -> Path:
    """Write vega, vega-lite and vega-embed as one local script (skipped when already current)."""
    import vl_convert

    path = Path(static_dir) / BUNDLE_NAME
    stamp = f"/* vl-convert {vl_convert.__version__}, vega-lite {VEGA_LITE_VERSION} */\n"
    if path.is_file() and path.read_text(encoding="utf-8")[: len(stamp)] == stamp:
        return path
    bundle = vl_convert.javascript_bundle(vl_version=VEGA_LITE_VERSION)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(stamp + "(function(){\n" + bundle + "\n})();\n", encoding="utf-8")
    tmp.replace(path)
    return path


def to_svg(chart: alt.TopLevelMixin | dict) -> str:
    """A static SVG of a chart or of its Vega-Lite spec, drawn by vl-convert with no browser."""
    import vl_convert

    spec = chart if isinstance(chart, dict) else chart.to_dict()
    return vl_convert.vegalite_to_svg(spec, vl_version=VEGA_LITE_VERSION)


def save_svg(chart: alt.TopLevelMixin | dict, path: str | Path) -> Path:
    """A static SVG of the chart (for download and print), drawn by vl-convert with no browser."""
    path = Path(path)
    path.write_text(to_svg(chart), encoding="utf-8")
    return path


def verdict_scale() -> alt.Scale:
    return alt.Scale(domain=list(VERDICT_COLORS), range=list(VERDICT_COLORS.values()))
