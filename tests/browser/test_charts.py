"""Every chart as a reader meets it: drawn, titled with its point, sourced, with a text alternative; ranks
on a reversed axis (1 at the top); counts with whole-number ticks; its data (CSV) and picture (SVG) one
click away, the picture carrying its title, source and font."""

from __future__ import annotations

import csv
import io
import re
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from functools import cache

import pytest

from .support import bug_params, check, expected_pages

pytestmark = pytest.mark.browser
PAGES = expected_pages()
BOM = b"\xef\xbb\xbf"


@cache
def _fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""


def _count_units(book_root) -> set[str]:
    """Axis titles that mean a count: the units of whole-number indicators (not shared with a measure), and
    the verdict charts' 数字个数."""
    with (book_root / "data" / "indicators.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    whole = {r["unit"] for r in rows if r["whole"].strip().lower() == "true"}
    measure = {r["unit"] for r in rows if r["whole"].strip().lower() != "true"}
    return (whole - measure) | {"数字个数"}


@pytest.mark.parametrize("rel", PAGES)
def test_every_chart_is_drawn(visit, rel):
    v = visit(rel)
    assert not v.chart_timeout, f"{rel}: charts still undrawn after 20 s ({v.drawn} of {len(v.charts)})"
    assert v.drawn == len(v.charts), f"{rel}: {len(v.charts)} charts, {v.drawn} drawn with an <svg>"


@pytest.mark.parametrize("rel", PAGES)
def test_chart_has_title_source_and_text_alternative(visit, rel):
    for c in visit(rel).charts:
        where = f"{rel} {c['id']}"
        assert c["title"], f"{where}: no .chart-title"
        assert re.fullmatch(r"来源[:：]\s*\S.*", c["source"]), f"{where}: no source under the chart: {c['source']!r}"
        assert c["role"] == "img" and c["label"].strip(), f"{where}: the drawn chart has no text alternative"
        assert re.search(r"\d", c["label"]), f"{where}: the text alternative states no number: {c['label']!r}"
        assert c["title"] in c["label"], f"{where}: the text alternative does not state the title's point"
        assert c["alt"] == re.sub(r"\s+", " ", c["label"]).strip(), f"{where}: the printed alternative differs from aria-label"


@pytest.mark.parametrize("rel", PAGES)
def test_rank_axes_put_first_place_on_top(visit, rel):
    for c in visit(rel).charts:
        for axis in c["axes"]:
            if "名次" not in axis["title"] or not axis["aria"].startswith("Y"):
                continue
            at = {label["text"]: label["y"] for label in axis["labels"]}
            assert "1" in at and "100" in at, f"{rel} {c['id']}: rank axis without ticks 1 and 100: {sorted(at)}"
            assert at["1"] < at["100"], (f"{rel} {c['id']}: rank 1 is drawn below rank 100 (y {at['1']:.0f} vs "
                                         f"{at['100']:.0f}): the rank axis must be reversed")


def count_axis_problems(charts: list[dict], counts: set[str]) -> list[str]:
    problems = []
    for c in charts:
        for axis in c["axes"]:
            if axis["title"] not in counts:
                continue
            texts = [label["text"] for label in axis["labels"]]
            bad = [t for t in texts if not re.fullmatch(r"-?\d{1,3}(,\d{3})*|-?\d+", t)]
            if bad:
                problems.append(f"{c['id']}: a count axis ({axis['title']}) labels {bad}: counts are whole")
            if len(set(texts)) != len(texts):
                problems.append(f"{c['id']}: a count axis ({axis['title']}) repeats tick labels {texts}")
    return problems


@pytest.mark.parametrize("rel", PAGES)
def test_count_axes_have_whole_ticks(book_root, visit, rel):
    check("count-axis", rel, count_axis_problems(visit(rel).charts, _count_units(book_root)), "count axes")


@pytest.mark.parametrize("bug", bug_params("count-axis"))
def test_known_count_axis_bug_is_fixed(book_root, visits, bug):
    counts = _count_units(book_root)
    left = [f"{rel}: {p}" for rel, v in sorted(visits.items()) for p in count_axis_problems(v.charts, counts)
            if bug.matches(rel, p)]
    assert not left, "\n".join(left)


@pytest.mark.parametrize("rel", [p for p in PAGES if p.startswith("book/")])
def test_chart_downloads(visit, rel):
    """Under every chart: its data as CSV (UTF-8 with BOM, for Excel) and the chart as SVG (with its title,
    its source and the glyphs it uses)."""
    for c in visit(rel).charts:
        where = f"{rel} {c['id']}"
        hrefs = {link["href"].rsplit(".", 1)[-1]: link["href"] for link in c["links"]}
        assert set(hrefs) == {"csv", "svg"}, f"{where}: download links {c['links']}"
        status, body = _fetch(hrefs["csv"])
        assert status == 200, f"{where}: {hrefs['csv']} → HTTP {status}"
        assert body.startswith(BOM), f"{where}: the CSV has no UTF-8 byte-order mark (Excel shows garbage)"
        rows = list(csv.reader(io.StringIO(body[3:].decode("utf-8"))))
        assert len(rows) >= 2 and all(rows[0]), f"{where}: the CSV holds no data: {rows[:2]}"
        status, body = _fetch(hrefs["svg"])
        assert status == 200, f"{where}: {hrefs['svg']} → HTTP {status}"
        svg = ET.fromstring(body)
        assert svg.tag.endswith("svg"), f"{where}: not an SVG"
        texts = [t for t in svg.itertext()]
        assert any(c["title"] == t.strip() for t in texts) or c["title"] in "".join(texts), \
            f"{where}: the SVG does not carry the chart's title {c['title']!r}"
        assert any("来源" in t for t in texts), f"{where}: the SVG names no source (来源)"
        assert b"@font-face" in body, f"{where}: the SVG embeds no font: Chinese draws as boxes without Noto"


# ---- on a phone -------------------------------------------------------------------------------------
#: Each chart as a browser draws it, opened at one width (not resized from another): the box of its
#: drawing, of its SVG, of each legend and each legend entry, and every text with its box and the size it is
#: drawn at (its font size times the SVG's scale).
PHONE_CHARTS_JS = """() => [...document.querySelectorAll('figure.factcheck-chart')].map(f => {
  const vis = f.querySelector('.factcheck-vis');
  const svg = vis ? vis.querySelector('svg') : null;
  const box = el => { const r = el.getBoundingClientRect(); return {l: r.left, r: r.right, t: r.top, b: r.bottom}; };
  const hidden = t => getComputedStyle(t).opacity === '0' || t.getAttribute('opacity') === '0' ||
    !!t.closest('[opacity="0"]') || !t.textContent.trim();
  return {
    id: f.getAttribute('data-chart') || '',
    title: (f.querySelector('.chart-title') || {}).textContent || '',
    vis: vis ? box(vis) : null,
    svg: svg ? box(svg) : null,
    legends: svg ? [...svg.querySelectorAll('g.role-legend')].map(g => ({box: box(g),
      entries: [...g.querySelectorAll('.role-legend-label text')].map(t => ({text: t.textContent, box: box(t)}))})) : [],
    texts: svg ? [...svg.querySelectorAll('text')].filter(t => !hidden(t)).map(t => {
      const m = t.getScreenCTM();
      return {text: t.textContent, box: box(t), px: parseFloat(getComputedStyle(t).fontSize) * (m ? Math.hypot(m.a, m.b) : 1)};
    }) : [],
  };
})"""


@pytest.fixture(scope="session")
def drawn_charts(visits, tmp_path_factory, request) -> dict[str, dict[str, list[dict]]]:
    """Every page with a chart, opened at a phone's and at a desktop's width, each in a fresh context (not
    resized): ``{"390": {page: charts}, "1280": {...}}``, each chart as :data:`PHONE_CHARTS_JS` records it."""
    import json

    from buildcopies import once

    from factcheck.publish import browser as chromium

    from .support import DESKTOP, PHONE, page_factory

    pages = sorted(rel for rel, v in visits.items() if v.charts)

    def make(folder):
        site = request.getfixturevalue("site")

        def draw(viewport: dict) -> dict[str, list[dict]]:
            # One Chromium per thread (Playwright's sync API is per thread): the two widths at once, on two cores.
            seen: dict[str, list[dict]] = {}
            with chromium.launch() as b:
                new = page_factory(b, site)
                for rel in pages:
                    context, page, _, _ = new(viewport, phone=viewport is PHONE)
                    try:
                        page.goto(site + rel, wait_until="load")
                        chromium.wait_for_charts(page, timeout_ms=20_000)
                        page.evaluate("() => document.fonts.ready.then(() => true)")
                        # a chart drawn before the page's columns settled draws again (100 ms after the change)
                        page.wait_for_timeout(400)
                        seen[rel] = page.evaluate(PHONE_CHARTS_JS)
                    finally:
                        context.close()
            return seen

        with ThreadPoolExecutor(max_workers=2) as pool:
            phone, desktop = pool.map(draw, (PHONE, DESKTOP))
        out = {str(PHONE["width"]): phone, str(DESKTOP["width"]): desktop}
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "charts.json").write_text(json.dumps(out, ensure_ascii=False), encoding="utf-8")

    folder = once(tmp_path_factory, "drawn-charts", make)
    return json.loads((folder / "charts.json").read_text(encoding="utf-8"))


def _inside(inner: dict, outer: dict, slack: float = 0.5) -> bool:
    return (inner["l"] >= outer["l"] - slack and inner["r"] <= outer["r"] + slack
            and inner["t"] >= outer["t"] - slack and inner["b"] <= outer["b"] + slack)


def _overlap(a: dict, b: dict) -> bool:
    """Two text boxes overlap: a font's box is taller than its ink (CJK fonts add a fifth above and below), so
    each is narrowed by that much vertically and a pixel horizontally before they are compared."""
    ia, ib = (a["b"] - a["t"]) * 0.2, (b["b"] - b["t"]) * 0.2
    return (a["l"] < b["r"] - 1 and b["l"] < a["r"] - 1
            and a["t"] + ia < b["b"] - ib and b["t"] + ib < a["b"] - ia)


def phone_problems(charts: list[dict], width: int = 390) -> list[str]:
    """What a phone reader would miss: a legend or an entry cut off, text under 11 px, labels over each other."""
    from factcheck.charts import MIN_FONT

    screen = {"l": 0, "r": width, "t": -1e9, "b": 1e9}
    problems = []
    for c in charts:
        where = f"{c['title'][:40]} ({c['id']})"
        if c["vis"] is None or c["svg"] is None:
            problems.append(f"{where}: not drawn")
            continue
        if c["svg"]["r"] - c["svg"]["l"] > c["vis"]["r"] - c["vis"]["l"] + 1:
            problems.append(f"{where}: the drawing is wider than the page")
        for legend in c["legends"]:
            if not _inside(legend["box"], c["vis"]) or not _inside(legend["box"], screen):
                problems.append(f"{where}: a legend sticks out of the chart ({legend['box']})")
            for entry in legend["entries"]:
                if not _inside(entry["box"], c["vis"]) or not _inside(entry["box"], screen):
                    problems.append(f"{where}: the legend entry {entry['text']!r} is cut off")
        for t in c["texts"]:
            if t["px"] < MIN_FONT - 0.05:
                problems.append(f"{where}: {t['text']!r} is drawn at {t['px']:.1f} px (under {MIN_FONT})")
            if not _inside(t["box"], screen):
                problems.append(f"{where}: {t['text']!r} is outside the screen")
        texts = c["texts"]
        for i, a in enumerate(texts):
            for b in texts[i + 1:]:
                if _overlap(a["box"], b["box"]):
                    problems.append(f"{where}: {a['text']!r} and {b['text']!r} overlap")
    return problems


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("rel", PAGES)
def test_charts_as_drawn(drawn_charts, rel, width):
    """At 390 px and at 1280 px: whole legends, no text under 11 px (a chart drawn wider than the page is
    scaled down, its text with it), no label over another (checked on the drawn SVG)."""
    charts = drawn_charts[str(width)].get(rel)
    if not charts:
        return  # no chart on the page
    problems = phone_problems(charts, width)
    assert not problems, f"{rel} at {width} px:\n" + "\n".join(problems[:30])


def test_phone_checks_can_fail():
    """The checks find what the issue found: a clipped legend entry, 8 px text, two labels on each other."""
    vis = {"l": 24, "r": 366, "t": 0, "b": 300}
    chart = {"id": "x", "title": "t", "vis": vis, "svg": vis,
             "legends": [{"box": {"l": 24, "r": 420, "t": 250, "b": 270},
                          "entries": [{"text": "规划目标", "box": {"l": 380, "r": 420, "t": 250, "b": 270}}]}],
             "texts": [{"text": "5.389", "px": 8.2, "box": {"l": 100, "r": 130, "t": 10, "b": 27}},
                       {"text": "15.53", "px": 11, "box": {"l": 110, "r": 140, "t": 12, "b": 29}}]}
    found = "\n".join(phone_problems([chart]))
    assert "legend sticks out" in found and "'规划目标' is cut off" in found
    assert "8.2 px" in found and "overlap" in found
