"""Every text from data reaches the page as text: a book built from data full of markup runs no script
and grows no element from it, and still quotes the data verbatim.

A copy of the repository (:func:`buildcopies.copy_repo`) gets payloads in its data: a source's publisher and
title (HTML entities: markup there is refused), origin, notes and artefacts, a web address that passes the schema but is no http(s) link, a new
claim (featured, so on the landing page) whose quote is appended to the article's stored text, its
indicator's name and description, a register entry and its note, the mentions' reasons, the search
records and a correction; and in ``book/chapters.yml`` a chapter's title and introduction. The copy is built once
per run (:func:`buildcopies.once`, shared by xdist workers; no PDF), served, and every page is opened in
Chromium. ``javascript:`` addresses are refused by the schema in one line (tested apart).
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from factcheck.publish import browser as chromium

from .support import allowed_console, page_factory, pages_in

pytestmark = pytest.mark.slow

IMG = "<img src=x onerror=alert(1)>"
SVG = "<svg onload=alert(2)>"
SCRIPT = "<script>alert(3)</script>"
COMMENT = "<!--<script>"
CLOSE = "</script><script>alert(5)</script>"
JS_URL = "javascript:alert(4)"
ENTITY = "&lt;b&gt;&amp;\"'"  # a publisher or title holds no < or > (refused); their entities must stay text
ALL = (IMG, SVG, SCRIPT, COMMENT, CLOSE, JS_URL)
ARTICLE = "jmrb-2023"
QUOTE = f"据称{IMG}新落户企业42家{SVG}{CLOSE}{COMMENT}"
REGISTER = f"第9届{SCRIPT}论坛"
INDICATOR_NAME = f"新落户企业{SVG}"
CHAPTER_TITLE = "创新主体--“甲”·乙"  # plain text: markup in a chapter title is refused (see below)
SEARCH_TERM = "新落户企业"
THEME_HANDLERS = {"window.print()", "toggleFullScreen()"}  # the theme's own onclick buttons


def _rows(path: Path) -> tuple[list[str], list[dict]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def _write(path: Path, header: list[str], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
        w.writeheader()
        w.writerows([{k: r.get(k, "") for k in header} for r in rows])


def poison(root: Path) -> None:
    """Put the payloads into the data (and the chapter texts) of the repository copy at ``root``."""
    data = root / "data"
    header, sources = _rows(data / "sources.csv")
    for s in sources:
        if s["source_id"] == ARTICLE:
            s["publisher"] += ENTITY
            s["origin"] += COMMENT
            s["title"] += ENTITY
            s["covers"] += SCRIPT
            s["note"] += f"{COMMENT}{JS_URL}"
            s["artefacts"] += CLOSE
            text_file = s["text_file"]
        elif s["url"] and not s["copy_url"]:
            s["url"] = "https://example.org/?q=<script>alert(6)</script>"  # passes ^https?://\S+, is no link
            s["copy_url"] = 'https://example.org/"onmouseover="alert(7)'
            s["copy_kind"] = "repost"
    _write(data / "sources.csv", header, sources)

    article = data / text_file
    before = article.read_text(encoding="utf-8")
    article.write_text(before + ("" if before.endswith("\n") else "\n") + QUOTE + "\n" + REGISTER + "\n", encoding="utf-8")

    header, indicators = _rows(data / "indicators.csv")
    indicators.append({"indicator": "hostile_count", "name_zh": INDICATOR_NAME, "unit": "家", "whole": "true",
                       "minimum": "0", "chapter": "enterprises", "headline": "false", "description": IMG})
    _write(data / "indicators.csv", header, indicators)

    header, claims = _rows(data / "claims.csv")
    claims.append({"claim_id": "2022-hostile", "year": "2022", "source_id": ARTICLE, "chapter": "enterprises",
                   "kind": "statistic", "quote": QUOTE, "figure": "42", "value": "42", "qualifier": "=", "unit": "家",
                   "indicator": "hostile_count", "geography": "江门高新区", "period": "2022", "check": "stated",
                   "featured": "true", "note": SCRIPT + CLOSE})
    claims.append({"claim_id": "2022-hostile-forum", "year": "2022", "source_id": ARTICLE, "chapter": "enterprises",
                   "kind": "ordinal", "quote": REGISTER, "figure": "第9", "note": f"{IMG}{JS_URL}"})
    _write(data / "claims.csv", header, claims)

    # another paper gives the same figure: the claim is judged (a ClaimReview is published only for those)
    header, inputs = _rows(data / "inputs.csv")
    inputs.append({"indicator": "hostile_count", "geography": "江门高新区", "period": "2022", "value": "42",
                   "qualifier": "=", "unit": "家", "source_id": "ycwb-2022", "quote": f"新落户企业42家{IMG}",
                   "note": SCRIPT})
    _write(data / "inputs.csv", header, inputs)

    from factcheck.load import load
    from factcheck.register import unaccounted

    header, mentions = _rows(data / "mentions.csv")
    new = [m for m in unaccounted(load(data), ARTICLE)]
    assert new and all(m.offset >= len(before) for m in new), f"the article was not fully registered before: {new}"
    mentions += [{"source_id": ARTICLE, "offset": str(m.offset), "mention": m.text, "reason": f"标记中的数字{SCRIPT}"}
                 for m in new]
    _write(data / "mentions.csv", header, mentions)

    header, searches = _rows(data / "searches.csv")
    assert searches, "data/searches.csv has no search record to put markup in"
    for s in searches:
        s["searched"] += f"{IMG}{JS_URL}"
        s["note"] += SVG
    _write(data / "searches.csv", header, searches)

    from factcheck.engine import Judge
    from factcheck.validate import validate
    from factcheck.vocabulary import CODES

    now = Judge(validate(data)).verdict_of("2022-hostile")  # the card's correction ends at the verdict it has
    header, _ = _rows(data / "corrections.csv")  # the project's own rows: their verdicts are not this data's
    corrections = [{"date": "2026-11-26", "edition": "2022", "claim_id": "2022-hostile",
                    "before": next(c for c in CODES if c != now), "before_label": f"算得通{SVG}", "after": now,
                    "what": SCRIPT + IMG, "why": CLOSE + COMMENT, "base": "0" * 40}]
    _write(data / "corrections.csv", header, corrections)

    chapters = root / "book" / "chapters.yml"
    text = chapters.read_text(encoding="utf-8")
    assert "title: 创新主体\n" in text, "book/chapters.yml changed: update the hostile test"
    text = text.replace("title: 创新主体\n", f"title: {json.dumps(CHAPTER_TITLE, ensure_ascii=False)}\n", 1)
    text = text.replace("intro: >-\n      本版江门高新区的国家高新技术企业",
                        f"intro: >-\n      {json.dumps(SVG)[1:-1]}本版江门高新区的国家高新技术企业", 1)
    chapters.write_text(text, encoding="utf-8")


def make_hostile(folder: Path) -> None:
    from buildcopies import copy_repo, run_cli

    copy_repo(folder)
    poison(folder)
    result = run_cli(folder, "build", "--year", "2022", env={"FACTCHECK_PDF": "off", "PYTHONHASHSEED": "3"})
    if result.returncode != 0:
        raise AssertionError(f"the book with markup in its data did not build ({result.returncode}):\n"
                             f"{result.stderr[-3000:]}")


FACTS_JS = """() => {
  const where = node => {
    const el = node.nodeType === 1 ? node : node.parentElement;
    return el && el.closest('#jb-print-docs-body') ? 'print header' : 'page';
  };
  const found = [];
  const note = (what, node, detail) => found.push({what, where: where(node), detail: String(detail).slice(0, 160)});
  document.querySelectorAll('*').forEach(el => {
    for (const a of el.attributes) {
      if (/^on/i.test(a.name) && !THEME.includes(a.value)) { note('inline handler', el, el.tagName + ' ' + a.name + '=' + a.value); }
    }
  });
  document.querySelectorAll('img').forEach(i => {
    if (['x', 'y'].includes(i.getAttribute('src'))) { note('img from data', i, i.outerHTML); }
  });
  document.querySelectorAll('svg[onload]').forEach(e => note('svg onload', e, e.outerHTML));
  [...document.scripts].filter(s => !s.type && /^\\s*alert\\(/.test(s.textContent)).forEach(s => note('script from data', s, s.outerHTML));
  const w = document.createTreeWalker(document, NodeFilter.SHOW_COMMENT);
  while (w.nextNode()) { if (/<script|alert\\(/i.test(w.currentNode.data)) { note('comment from data', w.currentNode, w.currentNode.data); } }
  document.querySelectorAll('a[href]').forEach(a => {
    const h = a.getAttribute('href');
    if (/^\\s*javascript:/i.test(h) || /alert\\(/.test(h)) { note('link from data', a, h); }
  });
  const jsonld = [...document.querySelectorAll('script[type="application/ld+json"]')].map(s => {
    try { return {ok: true, doc: JSON.parse(s.textContent)}; } catch (e) { return {ok: false, error: String(e)}; }
  });
  const main = document.querySelector('article.bd-article');
  const nav = document.querySelector('nav.bd-docs-nav');
  return {
    found: found,
    jsonld: jsonld,
    text: main ? main.textContent : '',
    navText: nav ? nav.textContent : '',
    h1: (document.querySelector('article.bd-article h1') || {textContent: ''}).textContent,
    nav: !!document.querySelector('nav.bd-docs-nav a[href]'),
    footer: !!document.querySelector('.bd-footer-content'),
  };
}""".replace("THEME", json.dumps(sorted(THEME_HANDLERS)))


@pytest.fixture(scope="module")
def hostile_book(tmp_path_factory) -> Path:
    from buildcopies import once

    return once(tmp_path_factory, "hostile-build", make_hostile) / "_build" / "html"


@pytest.fixture(scope="module")
def hostile_pages(hostile_book, browser) -> dict[str, dict]:
    """Every page of the hostile book (and its search page), opened in Chromium: what the DOM holds."""
    out = {}
    with chromium.serve(hostile_book) as base:
        new = page_factory(browser, base)
        for rel in [*pages_in(hostile_book), f"search.html?q={SEARCH_TERM}"]:
            context, page, refused, errors = new()
            dialogs: list[str] = []
            page.on("dialog", lambda d, dialogs=dialogs: (dialogs.append(d.message), d.dismiss()))
            try:
                page.goto(base + rel, wait_until="load")
                try:
                    chromium.wait_for_charts(page, timeout_ms=20_000)
                except Exception:  # noqa: BLE001 - reported below
                    errors.append(("charts not drawn within 20 s", ""))
                if rel.startswith("search.html"):
                    page.wait_for_function("() => { const s = document.querySelector('#search-results .search-summary');"
                                           " return s && s.textContent.trim() !== ''; }", timeout=15_000)
                page.wait_for_timeout(200)  # a late onerror/onload would have fired by now
                facts = page.evaluate(FACTS_JS)
            finally:
                context.close()
            facts["dialogs"] = dialogs
            facts["errors"] = [f"{t} [{u}]" for t, u in errors if not allowed_console(t, u)]
            facts["refused"] = refused
            out[rel] = facts
    return out


def _findings(hostile_pages, print_header: bool) -> list[str]:
    """What markup from data did (``print_header``: through the theme's print header, else elsewhere)."""
    out = []
    for rel, f in hostile_pages.items():
        for x in f["found"]:
            if (x["where"] == "print header") == print_header:
                out.append(f"{rel}: {x['what']} ({x['where']}): {x['detail']}")
        dialogs = [d for d in f["dialogs"] if (d == "8") == print_header]
        errors = [e for e in f["errors"] if e.endswith("/y]") == print_header]
        for what, items in (("dialogs", dialogs), ("console errors", errors)):
            if items:
                out.append(f"{rel}: {what}: {items}")
        if f["refused"] and not print_header:
            out.append(f"{rel}: requests off 127.0.0.1: {f['refused']}")
    return out


def test_payloads_run_nothing_and_add_no_element(hostile_pages):
    problems = _findings(hostile_pages, print_header=False)
    assert not problems, "markup from data became markup:\n" + "\n".join(problems)


def test_page_title_stays_text_in_the_print_header(hostile_pages):
    problems = _findings(hostile_pages, print_header=True)
    assert not problems, "a page title became markup:\n" + "\n".join(problems)


def test_pages_keep_navigation_and_footer(hostile_pages):
    broken = [rel for rel, f in hostile_pages.items() if rel.startswith("book/") and not (f["nav"] and f["footer"])]
    assert not broken, f"pages that lost their navigation or footer: {broken}"


def test_data_is_shown_verbatim(hostile_pages):
    def text(rel: str) -> str:
        assert rel in hostile_pages, f"{rel} not built"
        return hostile_pages[rel]["text"]

    assert f"“{QUOTE}”" in text("book/editions/2022/02_enterprises.html"), "the claim's quote is not shown verbatim"
    assert INDICATOR_NAME in text("book/editions/2022/02_enterprises.html"), "the indicator's name is not shown verbatim"
    assert f"“{REGISTER}”" in text("book/editions/2022/08_factcheck.html"), "the register entry is not shown verbatim"
    assert f"“{QUOTE}”" in text("book/index.html"), "the featured quote is not shown verbatim on the landing page"
    assert CHAPTER_TITLE in hostile_pages["book/index.html"]["navText"], "the chapter title is not in the navigation"
    assert f"江门日报{ENTITY}" in text("book/editions/2022/02_enterprises.html"), "the publisher is not shown verbatim"
    assert SCRIPT + IMG in text("book/about.html"), "the correction is not shown verbatim"
    assert CLOSE + COMMENT in text("book/editions/2022/02_enterprises.html"), "the card's correction is not verbatim"
    assert f"结论原为“算得通{SVG}”" in text("book/editions/2022/02_enterprises.html"), "the label readers saw, verbatim"


def test_chapter_heading_is_the_title_verbatim(hostile_pages):
    h1 = hostile_pages["book/editions/2022/02_enterprises.html"]["h1"]
    assert h1.startswith(CHAPTER_TITLE), f"the heading reads {h1!r}"


def test_claim_review_parses_and_quotes_the_payloads(hostile_pages):
    f = hostile_pages["book/editions/2022/08_factcheck.html"]
    assert len(f["jsonld"]) == 1 and f["jsonld"][0]["ok"], f"the JSON-LD does not parse: {f['jsonld']}"
    graph = f["jsonld"][0]["doc"]["@graph"]
    review = next(n for n in graph if n.get("identifier") == "2022-hostile")
    assert review["claimReviewed"] == QUOTE
    assert review["itemReviewed"]["author"]["name"] == f"江门日报{ENTITY}"
    article = next(n for n in graph if n.get("@id", "").endswith(f"#source-{ARTICLE}"))
    assert article["headline"].endswith(ENTITY)


def test_downloads_quote_the_payloads(hostile_book):
    table = (hostile_book / "_downloads" / "verdicts-2022.csv").read_text(encoding="utf-8-sig")
    rows = {r["claim_id"]: r for r in csv.DictReader(table.splitlines())}
    assert rows["2022-hostile"]["原文"] == QUOTE
    assert ENTITY in rows["2022-hostile"]["来源"]


def test_markup_in_a_chapter_title_is_refused_in_one_line(tmp_path):
    """A chapter title is plain text: one with markup stops the build before anything is executed."""
    from buildcopies import copy_repo, run_cli

    root = copy_repo(tmp_path / "repo")
    chapters = root / "book" / "chapters.yml"
    text = chapters.read_text(encoding="utf-8")
    chapters.write_text(text.replace("title: 创新主体\n", "title: \"创新主体<img src=y onerror=alert(8)>\"\n", 1),
                        encoding="utf-8")
    result = run_cli(root, "validate", "--data", "data")
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: book/chapters.yml: chapter 2: a title or id may not"), lines


def test_javascript_url_is_refused_in_one_line(tmp_path):
    """A ``javascript:`` address does not get as far as a page: the schema refuses it, naming the cell."""
    from buildcopies import REPO, run_cli

    data = shutil.copytree(REPO / "data", tmp_path / "data")
    header, sources = _rows(data / "sources.csv")
    row = next(i for i, s in enumerate(sources) if s["source_id"] == ARTICLE)
    sources[row]["url"] = JS_URL
    _write(data / "sources.csv", header, sources)
    result = run_cli(REPO, "validate", "--data", str(data), timeout=120)
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode == 2, f"exit {result.returncode}: {result.stderr[-1000:]}"
    assert len(errors) == 1 and errors[0].startswith("error: "), f"not one line: {result.stderr[-1000:]}"
    assert "sources.csv" in errors[0] and "url" in errors[0] and f"row {row + 2}" in errors[0], errors[0]
