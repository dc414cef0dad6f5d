"""Unit tests of what the browser suite relies on; no browser, no built book (they run in `make unit`)."""

from __future__ import annotations

import json
import os
import re
import zipfile
from pathlib import Path

import pytest

from factcheck import claimreview
from factcheck.errors import InputError
from factcheck.publish import export
from factcheck.publish.pages import postprocess_html
from factcheck.vocabulary import BY_CODE, CODES

from .support import _FONT_FILE, pages_of_toc, pdf_pages_text, plain, prose_problems, sentence_problems

REPO = Path(__file__).resolve().parents[2]


# ---- the checks of what a reader sees ------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "按文章所指年份:cur / prev - 1 = 1.3571,不符。",
    "gdp 按2021年",
    "pop 替代为2023年的数字",
    "见编号 2022-pct-growth 的说明",
    "它在[3.2, 3.3)之间",
    "隐含的上年数为(299.05, 300]",
    "可以是(-∞, 5)",
    "重算为None",
    "重算为nan",
    "结论:unverifiable_missing",
])
def test_prose_check_finds_program_notation(text):
    assert prose_problems(text), f"not flagged: {text}"


@pytest.mark.parametrize("text", [
    "江门日报《江门高新区全国综合评价排名上升至第53位》(2023)列出80个统计数字。",
    "江门高新区2021年PCT国际专利申请量未找到;按文章的数字它约为11.879件,不是整数。",
    "研发投入强度占GDP的比例在2.54%到2.66%之间。",
    "全书PDF:可打印,含全部图表与中文字体,带页码。",
    "每一版“逐条核查”页以 schema.org ClaimReview(JSON-LD)嵌入每个统计数字的结论。",
])
def test_prose_check_passes_plain_chinese(text):
    assert not prose_problems(text), prose_problems(text)


def test_sentence_check_is_wordings_clean():
    assert sentence_problems(["重算为1.37，不符。", "重算为1.37，不符。"]) == []
    assert len(sentence_problems(["rd / gdp = 5.39", "(一手来源(统计部门))", "重算为1.37,不符。"])) == 3


def test_pages_of_the_toc(tmp_path):
    toc = tmp_path / "_toc.yml"
    toc.write_text("format: jb-book\nroot: book/index\nparts:\n  - caption: x\n    chapters:\n"
                   "      - file: book/editions/2022/00_overview\n        sections:\n"
                   "          - file: book/editions/2022/03_rd\n      - file: book/methods\n", encoding="utf-8")
    assert pages_of_toc(toc) == ["book/editions/2022/00_overview.html", "book/editions/2022/03_rd.html",
                                 "book/index.html", "book/methods.html", "index.html"]


def _tiny_pdf() -> bytes:
    """One page whose font maps codes 01, 02 to 第, 页 and 03 to a radical, as Skia writes them."""
    cmap = (b"/CIDInit /ProcSet findresource begin\nbegincmap\n1 begincodespacerange\n<00> <FF>\n"
            b"endcodespacerange\n3 beginbfchar\n<01> <7B2C>\n<02> <2EDA>\n<03> <0031>\nendbfchar\nendcmap\n")
    content = b"BT\n/F1 8 Tf\n<0103> Tj\n[<02>] TJ\nET\n"
    objs = [
        b"<</Type /Page\n/Resources <</Font <</F1 2 0 R>>>>\n/Contents 4 0 R>>",
        b"<</Type /Font\n/Subtype /Type3\n/ToUnicode 3 0 R>>",
        b"<</Length %d>> stream\n" % len(cmap) + cmap + b"endstream",
        b"<</Length %d>> stream\n" % len(content) + content + b"endstream",
    ]
    return b"%PDF-1.4\n" + b"".join(b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n" for i, o in enumerate(objs)) + b"%%EOF\n"


def test_pdf_text_through_the_fonts_unicode_maps():
    assert pdf_pages_text(_tiny_pdf()) == ["第1\u2eda\n"]


@pytest.mark.skipif(not _FONT_FILE.is_file(), reason="fonts-noto-cjk not installed")
def test_pdf_radicals_read_as_ideographs():
    assert plain("第 1 \u2eda,共 2 \u2eda") == "第1页,共2页"
    assert plain("江\u2ed4\u2fbc新区") == "江门高新区"


# ---- the exports ---------------------------------------------------------------------------------
def _copy_data(dst: Path, mtime: int) -> Path:
    for p in (REPO / "data").rglob("*"):
        if p.is_file():
            target = dst / p.relative_to(REPO / "data")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(p.read_bytes())
            os.utime(target, (mtime, mtime))
    return dst


def test_data_zip_is_deterministic_and_dated(tmp_path):
    verdicts = tmp_path / "verdicts-2022.csv"
    verdicts.write_bytes("\ufeffclaim_id\r\n".encode())
    a = export.data_zip(_copy_data(tmp_path / "a", 1_000_000_000), [verdicts], tmp_path / "a.zip")
    b = export.data_zip(_copy_data(tmp_path / "b", 1_500_000_000), [verdicts], tmp_path / "b.zip")
    assert a.read_bytes() == b.read_bytes(), "the same data (other file times) should zip to the same bytes"
    with zipfile.ZipFile(a) as zf:
        names = zf.namelist()
        assert names[0] == f"{export.ZIP_ROOT}/README.txt"
        assert f"{export.ZIP_ROOT}/data/datapackage.json" in names
        assert f"{export.ZIP_ROOT}/verdicts/verdicts-2022.csv" in names
        assert all(i.date_time[:3] != (1980, 1, 1) for i in zf.infolist()), "outside git: dated by the sources"


def test_data_zip_needs_a_data_package(tmp_path):
    from factcheck.errors import InputError

    with pytest.raises(InputError, match="datapackage.json"):
        export.data_zip(tmp_path, [], tmp_path / "x.zip")


def _page(body: str) -> str:
    return f"<html><head></head><body>{body}</body></html>"


def test_chart_files_are_written_and_linked(tmp_path):
    from factcheck.charts import _renderer

    spec = {"data": {"values": [{"a": "甲", "b": 1}, {"a": "乙", "b": 2}]}, "mark": "bar",
            "encoding": {"x": {"field": "a", "type": "nominal"}, "y": {"field": "b", "type": "quantitative"}},
            "usermeta": {"alt": "甲1,乙2", "title": "乙比甲多", "source": "测试", "data": [{"a": "甲", "b": 1}]}}
    markup = _renderer(spec)["text/html"]
    page = tmp_path / "book" / "editions" / "2022" / "04_ip.html"
    page.parent.mkdir(parents=True)
    page.write_text(_page(markup + markup), encoding="utf-8")
    files = export.chart_files(tmp_path, cache=tmp_path / "cache")
    assert len(files) == 1 and files[0].parent == tmp_path / "_static" / "charts"
    svg = files[0].read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "乙比甲多" in svg and "来源" in svg and "@font-face" in svg
    assert files[0].with_suffix(".csv").read_bytes().startswith(b"\xef\xbb\xbf")
    text = page.read_text(encoding="utf-8")
    links = re.findall(r'<a href="([^"]+)" download="([^"]+)"', text)
    base = f"../../../_static/charts/{files[0].stem}"
    assert links == [(f"{base}.csv", "2022-04_ip-1.csv"), (f"{base}.svg", "2022-04_ip-1.svg"),
                     (f"{base}.csv", "2022-04_ip-2.csv"), (f"{base}.svg", "2022-04_ip-2.svg")]
    export.chart_files(tmp_path, cache=tmp_path / "cache")  # a second pass adds nothing
    assert page.read_text(encoding="utf-8") == text


@pytest.mark.parametrize(("value", "seconds"), [(None, 120.0), ("", 120.0), ("30", 30.0), (" 0.5 ", 0.5)])
def test_pdf_timeout_from_the_environment(monkeypatch, value, seconds):
    if value is None:
        monkeypatch.delenv("FACTCHECK_PDF_TIMEOUT", raising=False)
    else:
        monkeypatch.setenv("FACTCHECK_PDF_TIMEOUT", value)
    assert export.pdf_timeout() == seconds


@pytest.mark.parametrize("value", ["abc", "0", "-5", "nan", "inf", "1e9", "٨"])
def test_a_bad_pdf_timeout_is_one_line(monkeypatch, value):
    monkeypatch.setenv("FACTCHECK_PDF_TIMEOUT", value)
    with pytest.raises(InputError, match=r"^parameter 'FACTCHECK_PDF_TIMEOUT': .* is not a number of seconds"):
        export.pdf_timeout()


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
    assert 'aria-label="颜色模式"' in a and 'title="亮色"' not in a and '<i aria-hidden="true" class="theme-switch' in a


# ---- ClaimReview ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def edition_2022(tmp_path_factory):
    from factcheck.edition import Edition, path_for
    from factcheck.judged import edition, judge_all
    from factcheck.validate import validate

    ds = validate(REPO / "data")
    doc = edition(ds, judge_all(ds), 2022)
    return Edition(doc, path_for(tmp_path_factory.mktemp("judged"), 2022))


def _graph(html: str) -> dict:
    return json.loads(re.search(r">(.*)</script>", html, re.S).group(1))


def test_claim_reviews_one_per_judged_statistic(edition_2022):
    from factcheck.vocabulary import REVIEWED

    doc = _graph(str(claimreview.jsonld(edition_2022)))
    reviews = [n for n in doc["@graph"] if n["@type"] == "ClaimReview"]
    judged = [j for j in edition_2022.claims if j["verdict"] in REVIEWED]
    assert len(reviews) == len(judged) < len(edition_2022.claims)
    ids = {n["@id"] for n in doc["@graph"] if "@id" in n}
    for r, j in zip(reviews, judged, strict=True):
        assert r["url"] == claimreview.review_url(edition_2022, j["claim_id"]) and r["claimReviewed"] == j["quote"]
        assert r["reviewRating"]["alternateName"] == j["label"]
        assert r["reviewRating"]["ratingValue"] == BY_CODE[j["verdict"]].rating
        assert r["itemReviewed"]["appearance"]["@id"] in ids and r["author"]["@id"] in ids
        assert r["itemReviewed"]["author"]["name"]


def test_every_judged_verdict_has_a_rating_and_base_figures_and_plans_none():
    from factcheck.vocabulary import BEST, REVIEWED, WORST

    assert all(WORST <= BY_CODE[c].rating <= BEST for c in REVIEWED)
    assert set(CODES) - set(REVIEWED) == {"stated", "target"}


def test_json_ld_cannot_close_its_script(edition_2022, monkeypatch):
    payload = "</script><script>alert(5)</script><!--<script>\u2028"
    monkeypatch.setattr(claimreview, "graph", lambda e: {"claimReviewed": payload})
    html = str(claimreview.jsonld(edition_2022))
    assert html.count("</script>") == 1 and "<!--" not in html and "<script>" not in html.split(">", 1)[1]
    assert _graph(html)["claimReviewed"] == payload
