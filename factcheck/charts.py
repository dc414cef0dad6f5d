"""One look for every chart, and rendering with no network, in the manner of Our World in Data.

Each chart is a ``<figure>``: a title that states the point and a subtitle (HTML, so they wrap on a
phone), the chart drawn by ``vegaEmbed`` from ``book/_static/vega-bundle.js`` (written from vl-convert's
bundle by :func:`write_vega_bundle`; no page loads anything from a CDN), the source and a text
alternative under it; the export step adds the chart's data as CSV and an SVG that carries its title
and source. Places have one colour on every page (:data:`PLACE_COLOURS`); verdicts take theirs from
:mod:`factcheck.vocabulary`.

On a phone: no text under :data:`MIN_FONT` px, legends that wrap into :data:`LEGEND_COLUMNS` columns, and
every chart drawn at the width of the page, again whenever that width changes (a wider SVG would be scaled
down, its text with it). Vega-Lite sizes only single and layered views to their container, so for small
multiples (a ``vconcat``) the page measures what the axes add and draws the panels that much narrower.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import altair as alt

from .present import Html, esc, json_for_script
from .vocabulary import BY_CODE, CODES

FONT = "'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif"
VEGA_LITE_VERSION = "6.4"
BUNDLE_NAME = "vega-bundle.js"
ZONE = "江门高新区"
PLACE_COLOURS = {ZONE: "#c05621", "江海区": "#c05621", "江门市": "#2b6cb0", "全国": "#4a5568", "广东省": "#2f855a"}
OTHER_COLOUR = "#a0aec0"
EXPORT_WIDTH = 560
MIN_FONT = 11
"""No text of a chart is smaller (px), on any screen."""
LEGEND_COLUMNS = 3
"""Legend entries per row: six verdict labels do not fit in one row of a 390 px phone."""


@alt.theme.register("factcheck", enable=True)
def _theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "font": FONT,
            "view": {"stroke": None, "continuousWidth": 520, "continuousHeight": 260},
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "titleFontWeight": "normal", "gridColor": "#e2e8f0"},
            "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom", "columns": LEGEND_COLUMNS,
                       "labelLimit": 0, "symbolSize": 80, "rowPadding": 6,
                       "columnPadding": 14},
            "title": {"fontSize": 15, "subtitleFontSize": 12, "anchor": "start", "subtitleColor": "#4a5568"},
            "text": {"fontSize": MIN_FONT},
            "line": {"strokeWidth": 2},
            "point": {"filled": True, "size": 60},
        }
    }


def place_scale(places: list[str]) -> alt.Scale:
    return alt.Scale(domain=places, range=[PLACE_COLOURS.get(p, OTHER_COLOUR) for p in places])


def verdict_scale(codes: list[str] | None = None) -> alt.Scale:
    codes = codes or list(CODES)
    return alt.Scale(domain=[BY_CODE[c].label for c in codes], range=[BY_CODE[c].colour for c in codes])


def count_axis(title: str | None, top: float) -> alt.Axis:
    """Counts have whole-number ticks, at most six of them, from 0 to at least ``top``."""
    steps = [m * 10 ** e for e in range(0, 9) for m in (1, 2, 5)]
    step = next(s for s in steps if top / s <= 5)
    values = list(range(0, int(top) + step + 1, step))
    while len(values) > 2 and values[-2] >= top:
        values.pop()
    return alt.Axis(title=title, values=values, format="d")


HALF_WIDTH = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）"}
_PUNCT = re.compile(r"(?<![0-9A-Za-z])[,;:]|[,;:](?![0-9A-Za-z])|[()]")


def zh(text: str) -> str:
    """Chinese punctuation in a chart's words: ``，；：（）`` for ``,;:()``; a comma or colon between digits or
    Latin letters (``1,000``, ``12:30``) stays as it is."""
    return _PUNCT.sub(lambda m: HALF_WIDTH[m.group(0)], text)


def finish(chart: alt.TopLevelMixin, *, title: str, subtitle: str, source: str, alt_text: str,
           data: list[dict]) -> alt.TopLevelMixin:
    """Attach what the page shows around the chart: title, subtitle, source, text alternative, its data."""
    return chart.properties(usermeta={"title": zh(title), "subtitle": zh(subtitle), "source": zh(source),
                                      "alt": zh(alt_text), "data": data})


_TOKEN = re.compile(r"[0-9A-Za-z.,%/*+-]+|.", re.S)


def wrap(text: str, ems: float) -> list[str]:
    """Lines of at most ``ems`` Chinese characters' width (a Latin letter or digit counts as half of one), never
    breaking a number: a drawn title does not wrap by itself, and one long line would make the SVG as wide."""
    lines, line, used = [], "", 0.0
    for token in _TOKEN.findall(text):
        w = sum(0.55 if ord(ch) < 0x2E80 else 1.0 for ch in token)
        if used + w > ems and line:
            lines.append(line)
            line, used = "", 0.0
        line += token
        used += w
    return [*lines, line] if line or not lines else lines


def export_spec(spec: dict) -> dict:
    """The spec as a standalone SVG draws it: a fixed width, and the title, subtitle and source inside."""
    meta = spec.get("usermeta", {})
    out = {k: v for k, v in spec.items() if k not in ("usermeta", "$schema")}

    def fix(node: object) -> None:
        if isinstance(node, dict):
            if node.get("width") == "container":
                node["width"] = EXPORT_WIDTH
            for value in node.values():
                fix(value)
        elif isinstance(node, list):
            for value in node:
                fix(value)

    fix(out)
    title_size, subtitle_size = 15, 12
    out["title"] = {"text": wrap(meta.get("title", ""), EXPORT_WIDTH / title_size),
                    "subtitle": [*wrap(meta.get("subtitle", ""), EXPORT_WIDTH / subtitle_size),
                                 *wrap(f"来源：{meta.get('source', '')}", EXPORT_WIDTH / subtitle_size)],
                    "anchor": "start", "font": FONT, "subtitleFont": FONT}
    return out


# The page's drawing: vegaEmbed into the figure's own div (not by id: the single-page print edition shows a
# chart twice), then the div gets its text alternative back. Small multiples are drawn at a number of pixels
# (first the div's width, then less what the axes and labels added). Every chart is drawn again when its
# div's width changes (the page's columns settle after the first drawing; a phone turns): a chart drawn for
# a wider div would be scaled down, its text with it. Drawings queue, one at a time.
DRAW_JS = """(function(){var el=document.currentScript.parentNode.querySelector('.factcheck-vis');
var label=el.getAttribute('aria-label');var spec=%s;
var multi=!!(spec.vconcat||spec.hconcat||spec.concat);var view=null,width=-1,pending=null,queue=Promise.resolve();
function sized(w){return JSON.parse(JSON.stringify(spec),function(k,v){return k==='width'&&v==='container'?w:v;});}
function embed(s){if(view){view.finalize();}return window.vegaEmbed(el,s,{actions:false,renderer:'svg'})
.then(function(r){view=r;el.setAttribute('role','img');el.setAttribute('aria-label',label);
el.removeAttribute('aria-roledescription');});}
function fit(w,panel,tries){return embed(sized(panel)).then(function(){var svg=el.querySelector('svg');
var over=svg?svg.width.baseVal.value-w:0;if(over>0&&tries>0){return fit(w,Math.max(60,panel-Math.ceil(over)),tries-1);}});}
function render(){var w=el.clientWidth;width=w;return (multi&&w>60?fit(w,w,5):embed(spec))
.then(function(){el.setAttribute('data-drawn','1');}).catch(function(e){console.error('chart error',e);});}
function draw(){if(!window.vegaEmbed){return setTimeout(draw,50);}queue=queue.then(render);}
if(window.ResizeObserver){new ResizeObserver(function(){if(Math.abs(el.clientWidth-width)<1){return;}
clearTimeout(pending);pending=setTimeout(draw,100);}).observe(el);}
draw();})();"""


def _renderer(spec: dict, **_: object) -> dict:
    spec = {k: v for k, v in spec.items() if k != "$schema"}  # an address nobody needs to fetch
    meta = spec.get("usermeta", {})
    payload = json_for_script(spec)
    chart_id = "chart-" + hashlib.sha1(payload.encode("utf-8")).hexdigest()[:12]
    text = str(meta.get("alt", "图表"))
    markup = Html(
        f'<figure class="factcheck-chart" data-chart="{chart_id}">'
        f'<figcaption class="chart-head"><span class="chart-title">{esc(meta.get("title", ""))}</span>'
        f'<span class="chart-subtitle">{esc(meta.get("subtitle", ""))}</span></figcaption>'
        f'<div class="factcheck-vis" role="img" aria-label="{esc(text)}"></div>'
        f'<p class="chart-source">来源：{esc(meta.get("source", ""))}</p>'
        f'<p class="chart-alt">{esc(text)}</p>'
        f"<script>{DRAW_JS % payload}</script></figure>"
    )
    return {"text/html": str(markup), "text/plain": f"[图表] {meta.get('title', '')}"}


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
