"""Unit tests of what the browser suite relies on; no browser, no built book (they run in `make unit`)."""

from __future__ import annotations

import json
import os
import re
import zipfile
from pathlib import Path

import pytest

from factcheck import claimreview, export
from factcheck.edition import Edition
from factcheck.engine import VERDICT_ZH, VERDICTS
from factcheck.runner import postprocess_html

REPO = Path(__file__).resolve().parents[2]


def test_data_zip_is_deterministic(tmp_path):
    a = export.data_zip(REPO / "data", tmp_path / "a.zip")
    copy = tmp_path / "copy"  # the same files with other timestamps (another checkout): the same bytes
    for p in (REPO / "data").rglob("*"):
        if p.is_file():
            target = copy / p.relative_to(REPO / "data")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(p.read_bytes())
            os.utime(target, (1_000_000_000, 1_000_000_000))
    b = export.data_zip(copy, tmp_path / "b.zip")
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as zf:
        infos = zf.infolist()
        assert [i.filename for i in infos] == sorted(i.filename for i in infos)
        assert {i.date_time for i in infos} == {export.ZIP_DATE}
        assert f"{export.ZIP_ROOT}/datapackage.json" in zf.namelist()


def test_data_zip_needs_a_data_package(tmp_path):
    from factcheck.errors import InputError

    with pytest.raises(InputError, match="datapackage.json"):
        export.data_zip(tmp_path, tmp_path / "x.zip")


def _page(body: str) -> str:
    return f"<html><head></head><body>{body}</body></html>"


def test_chart_svgs_are_written_and_linked(tmp_path):
    from factcheck.charts import _renderer

    spec = {"data": {"values": [{"a": "甲", "b": 1}, {"a": "乙", "b": 2}]}, "mark": "bar",
            "encoding": {"x": {"field": "a", "type": "nominal"}, "y": {"field": "b", "type": "quantitative"}},
            "usermeta": {"alt": "甲1,乙2"}}
    markup = _renderer(spec)["text/html"]
    page = tmp_path / "book" / "editions" / "2022" / "04_ip.html"
    page.parent.mkdir(parents=True)
    page.write_text(_page(markup + markup), encoding="utf-8")
    svgs = export.chart_svgs(tmp_path, cache=tmp_path / "cache")
    assert len(svgs) == 1 and svgs[0].parent == tmp_path / "_static" / "charts"
    assert svgs[0].read_text(encoding="utf-8").startswith("<svg")
    text = page.read_text(encoding="utf-8")
    links = re.findall(r'<p class="chart-download"><a href="([^"]+)" download="([^"]+)"', text)
    assert links == [(f"../../../_static/charts/{svgs[0].name}", "2022-04_ip-1.svg"),
                     (f"../../../_static/charts/{svgs[0].name}", "2022-04_ip-2.svg")]
    export.chart_svgs(tmp_path, cache=tmp_path / "cache")  # a second pass adds nothing
    assert page.read_text(encoding="utf-8") == text


def test_postprocess_fixes_the_theme_markup(tmp_path):
    theme = (
        '<script defer src="../_static/scripts/fontawesome.js?digest=1"></script>\n'
        '<script src="../_static/vega-bundle.js?v=1"></script>\n'
        '<link rel="stylesheet" type="text/css" href="../_static/sphinx-design.min.css?v=1" />\n'
        '<script data-sd-tabs-storage-prefix="sphinx-design-tab-id-" src="../_static/design-tabs.js?v=1"></script>\n'
        '<button class="btn search-button-field search-button__button pst-js-only" title="搜索" aria-label="搜索" '
        'data-bs-placement="bottom">\n'
        '<button class="btn btn-sm nav-link pst-navbar-icon theme-switch-button pst-js-only" aria-label="Color mode" '
        'data-bs-title="Color mode"  data-bs-placement="bottom" data-bs-toggle="tooltip">\n'
        '  <i class="theme-switch fa-solid fa-sun                fa-lg" data-mode="light" title="亮色"></i>\n'
        '<button class="btn btn-sm pst-navbar-icon search-button search-button__button pst-js-only" title="搜索" '
        'aria-label="搜索">'
    )
    (tmp_path / "a.html").write_text(_page(theme), encoding="utf-8")
    (tmp_path / "b.html").write_text(_page(theme + '<figure class="factcheck-chart" data-chart="chart-1">'),
                                     encoding="utf-8")
    postprocess_html(tmp_path)
    a = (tmp_path / "a.html").read_text(encoding="utf-8")
    b = (tmp_path / "b.html").read_text(encoding="utf-8")
    assert "fontawesome.js" not in a and "vega-bundle.js" not in a and "sphinx-design" not in a
    assert "vega-bundle.js" in b  # a page with a chart keeps it
    assert 'search-button-field search-button__button pst-js-only" title="搜索" data-bs-placement' in a
    assert 'search-button search-button__button pst-js-only" title="搜索" aria-label="搜索"' in a  # icon-only keeps it
    assert 'aria-label="颜色模式"' in a and 'title="亮色"' not in a and '<i aria-hidden="true" class="theme-switch' in a


@pytest.fixture(scope="module")
def edition_2022():
    return Edition.open(REPO / "data", 2022)


def test_claim_reviews_one_per_claim(edition_2022):
    doc = json.loads(re.search(r">(.*)</script>", claimreview.jsonld_html(edition_2022), re.S).group(1))
    reviews = [n for n in doc["@graph"] if n["@type"] == "ClaimReview"]
    assert len(reviews) == len(edition_2022.judgements)
    ids = {n["@id"] for n in doc["@graph"] if "@id" in n}
    for r, j in zip(reviews, edition_2022.judgements, strict=True):
        assert r["url"] == f"#claim-{j.claim_id}" and r["claimReviewed"] == j.quote
        assert r["reviewRating"]["alternateName"] == VERDICT_ZH[j.verdict]
        assert r["itemReviewed"]["appearance"]["@id"] in ids and r["author"]["@id"] in ids
        assert r["itemReviewed"]["author"]["name"]


def test_every_verdict_has_a_rating():
    assert set(claimreview.RATING) == set(VERDICTS)
    assert all(claimreview.WORST <= v <= claimreview.BEST for v in claimreview.RATING.values())


def test_json_ld_cannot_close_its_script(edition_2022, monkeypatch):
    monkeypatch.setattr(claimreview, "claim_reviews", lambda e: [{"claimReviewed": "</script><b>"}])
    html = claimreview.jsonld_html(edition_2022)
    assert html.count("</script>") == 1
