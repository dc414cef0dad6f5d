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
        assert re.fullmatch(r"来源[::]\s*\S.*", c["source"]), f"{where}: no source under the chart: {c['source']!r}"
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
