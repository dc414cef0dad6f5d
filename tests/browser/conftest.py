"""The built book in a real browser: Debian's Chromium, driven by Playwright, on 127.0.0.1 only.

Which book: ``FACTCHECK_BOOK=_build/html`` (``make browser``) tests the repository's own build; without it
the tests use the reference build the slow tests share (:func:`buildcopies.reference_build`, one build per
run, also across pytest-xdist workers). Tests marked ``browser`` are deselected unless ``-m`` asks for
them, so ``make unit`` needs no built book and no browser; the unmarked tests here are unit tests.

Every page of the book (but genindex, search and ``_static``) is visited once per run, by whichever worker
gets there first (:func:`buildcopies.once`; the others read the record), two pages at a time:

* at a desktop's width (1280 px), in a fresh context (nothing cached): the HTTP status, console errors
  and uncaught page errors (:data:`support.ALLOWED_CONSOLE_ERRORS` is the whole allow-list), every
  request (one that does not go to the 127.0.0.1 server is refused and recorded), every chart (drawn,
  its title, source, text alternative, axes with their tick labels' positions, download links), the
  bytes transferred and when the last chart was drawn, the JSON-LD parsed by the browser, axe-core's
  violations, a full-page screenshot in ``_build/screenshots/``, and the prose a reader sees;
* then resized to a phone's width (390 px; the media queries apply, the charts redraw for the width):
  what sticks out of the viewport, whether every verdict badge is whole, what the fact-check table has
  become, a screenshot in ``_build/screenshots/phone/``;
* then in the theme's dark scheme: a screenshot at each width (``_build/screenshots/dark/``,
  ``_build/screenshots/dark/phone/``) and axe-core's colour-contrast check.

At the end the weights go to ``_build/weights.json`` (next to the book tested) and a table, the
screenshots and the axe results are printed.
"""

from __future__ import annotations

import json
import re
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from factcheck.publish import browser as chromium

from .support import (
    ALLOWED_CONSOLE_ERRORS,
    AXE_ALLOWED,
    AXE_JS,
    DARK_JS,
    DESKTOP,
    DRAWN_TIMER_JS,
    FACTS_JS,
    PHONE,
    PHONE_JS,
    PROSE_JS,
    Visit,
    allowed_console,
    axe_violations,
    book_from_env,
    page_factory,
    pages_in,
    screenshot_name,
    screenshots_dir,
    write_weights,
)

VISITS = "browser-visits"
SETTLE_JS = "() => new Promise(r => setTimeout(() => requestAnimationFrame(() => requestAnimationFrame(r)), 150))"
"""Wait for a resize to be laid out and the charts redrawn for the width."""
THREADS = 2  # pages visited at once (this machine has two cores)


def pytest_collection_modifyitems(config, items):
    markexpr = config.getoption("markexpr") or ""
    if re.search(r"(?<!not )\bbrowser\b", markexpr):
        return
    # Not asked for: leave them out (they need the built book and Chromium; `make browser` runs them).
    browser = [item for item in items if item.get_closest_marker("browser")]
    if browser:
        config.hook.pytest_deselected(items=browser)
        items[:] = [item for item in items if not item.get_closest_marker("browser")]


@pytest.fixture(scope="session")
def book(tmp_path_factory) -> Path:
    """The built book under test: ``FACTCHECK_BOOK``, else the shared reference build's ``_build/html``."""
    html = book_from_env()
    if html is None:
        from buildcopies import reference_build

        html = reference_build(tmp_path_factory) / "_build" / "html"
    if not (html / "index.html").is_file():
        pytest.fail(f"no built book at {html}: run `make book` first (or unset FACTCHECK_BOOK)")
    return html


@pytest.fixture(scope="session")
def book_root(book) -> Path:
    """The repository the book was built from (its data, its judged files)."""
    return book.parent.parent


@pytest.fixture(scope="session")
def judged(book):
    """``judged(year)`` → the judged file the book was built from, as a dict."""
    def read(year: int) -> dict:
        path = book.parent / "judged" / f"{year}.json"
        if not path.is_file():
            pytest.fail(f"no judged file {path} next to the book")
        return json.loads(path.read_text(encoding="utf-8"))

    return read


@pytest.fixture(scope="session")
def latest_full(book) -> int:
    """The edition the landing page presents: the latest whose judged file checks a whole article."""
    docs = [json.loads(p.read_text(encoding="utf-8")) for p in (book.parent / "judged").glob("[0-9][0-9][0-9][0-9].json")]
    full = [d["year"] for d in docs if d.get("full")]
    if not full:
        pytest.fail(f"no judged file next to {book} checks a whole article")
    return max(full)


@pytest.fixture(scope="session")
def site(book):
    with chromium.serve(book) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    why = chromium.chromium_missing() or chromium.chinese_font_missing()  # without CJK fonts: boxes in screenshots
    if why:
        pytest.fail(why)
    with chromium.launch() as b:
        yield b


@pytest.fixture(scope="session")
def new_page(site, browser):
    """``new_page(viewport=DESKTOP, phone=False)`` → (context, page, refused, errors), see :func:`page_factory`."""
    return page_factory(browser, site)


def _shot_path(book: Path, path: Path) -> str:
    root = book.parent.parent
    return str(path.relative_to(root)) if root in path.parents else str(path)


def _look(rel: str, book: Path, site: str, new_page, shots: Path) -> Visit:
    v = Visit(rel)
    context, page, refused, errors = new_page(DESKTOP)
    try:
        finished = []
        page.on("requestfinished", lambda r: finished.append(r))
        page.add_init_script(DRAWN_TIMER_JS)
        response = page.goto(site + rel, wait_until="load")
        v.status = response.status if response else 0
        try:
            chromium.wait_for_charts(page, timeout_ms=20_000)
        except Exception:  # noqa: BLE001 - the chart test reports it
            v.chart_timeout = True
        page.evaluate("() => document.fonts.ready.then(() => true)")
        v.title = page.title()
        facts = page.evaluate(FACTS_JS)
        v.charts = facts["charts"]
        v.drawn = sum(1 for c in v.charts if c["drawn"])
        v.ms_load = round(facts["load"], 1)
        v.ms_charts = round(max(facts["drawnAt"]), 1) if v.charts and facts["drawnAt"] else None
        v.has_nav, v.has_footer, v.jsonld = facts["hasNav"], facts["hasFooter"], facts["jsonld"]
        v.sentences = facts["sentences"]
        path = shots / screenshot_name(rel)
        page.screenshot(path=str(path), full_page=True)
        v.screenshot = _shot_path(book, path)
        page.add_script_tag(path=str(AXE_JS))
        v.violations = axe_violations(page.evaluate("axe.run(document, {resultTypes: ['violations']})"))
        v.prose = page.evaluate(PROSE_JS)
        # What the page fetched (axe.min.js is the test's own, not the page's).
        own = [r for r in finished if not r.url.endswith("/axe.min.js")]
        v.requests = len(own)
        for request in own:
            sizes = request.sizes()
            v.bytes += sizes["responseBodySize"] + sizes["responseHeadersSize"]
        # The same page at a phone's width: the media queries apply and the charts redraw for the width
        # (vega's container width follows window resizes).
        page.set_viewport_size(PHONE)
        page.evaluate(SETTLE_JS)
        v.phone = page.evaluate(PHONE_JS, PHONE["width"])
        path = shots / "phone" / screenshot_name(rel)
        page.screenshot(path=str(path), full_page=True)
        v.phone_screenshot = _shot_path(book, path)
        # The dark scheme, at both widths: what a reader sees, and whether every text keeps its contrast.
        page.evaluate(DARK_JS)
        path = shots / "dark" / "phone" / screenshot_name(rel)
        page.screenshot(path=str(path), full_page=True)
        v.dark_phone_screenshot = _shot_path(book, path)
        page.set_viewport_size(DESKTOP)
        page.evaluate(SETTLE_JS)
        path = shots / "dark" / screenshot_name(rel)
        page.screenshot(path=str(path), full_page=True)
        v.dark_screenshot = _shot_path(book, path)
        v.dark_violations = axe_violations(page.evaluate(
            "axe.run(document, {runOnly: ['color-contrast'], resultTypes: ['violations']})"))
    finally:
        context.close()
    for text, url in dict.fromkeys(errors):
        (v.allowed if allowed_console(text, url) else v.errors).append(f"{text} [{url}]" if url else text)
    v.refused = sorted(set(refused))
    return v


@pytest.fixture(scope="session")
def visits(book, tmp_path_factory, request) -> dict[str, Visit]:
    """Every page's :class:`Visit`, made once per run (whichever worker comes first) and shared."""
    from buildcopies import once

    def make(folder: Path) -> None:
        if not AXE_JS.is_file():
            raise RuntimeError(f"{AXE_JS} missing: run `make npm-deps` (npm ci in tests/browser)")
        why = chromium.chromium_missing() or chromium.chinese_font_missing()
        if why:
            raise RuntimeError(why)
        site = request.getfixturevalue("site")
        shots = screenshots_dir(book)
        for sub in ("phone", "dark/phone"):
            (shots / sub).mkdir(parents=True, exist_ok=True)  # overwritten page by page
        folder.mkdir(parents=True, exist_ok=True)
        pages = pages_in(book)
        start = time.perf_counter()

        def share(part: list[str]) -> dict[str, dict]:
            # One Chromium per thread (Playwright's sync API is per thread): two pages at once on two cores.
            done = {}
            with chromium.launch() as b:
                new = page_factory(b, site)
                for rel in part:
                    try:
                        v = _look(rel, book, site, new, shots)
                    except Exception as exc:  # noqa: BLE001 - the page's tests fail with it
                        v = Visit(rel, crashed=f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")
                    done[rel] = v.to_json()
            return done

        with ThreadPoolExecutor(max_workers=THREADS) as pool:
            parts = list(pool.map(share, [pages[i::THREADS] for i in range(THREADS)]))
        out = {rel: part[rel] for rel in pages for part in parts if rel in part}
        (folder / "visits.json").write_text(json.dumps({"book": str(book), "seconds": time.perf_counter() - start,
                                                        "pages": out}, ensure_ascii=False), encoding="utf-8")
        write_weights(book.parent / "weights.json", [Visit.from_json(x) for x in out.values()])

    folder = once(tmp_path_factory, VISITS, make)
    doc = json.loads((folder / "visits.json").read_text(encoding="utf-8"))
    return {rel: Visit.from_json(x) for rel, x in doc["pages"].items()}


@pytest.fixture(scope="session")
def visit(visits):
    """``visit(rel)`` → the page's :class:`Visit` (fails when the page is missing or its visit crashed)."""
    def get(rel: str) -> Visit:
        if rel not in visits:
            pytest.fail(f"{rel} is not in the built book (pages: {', '.join(sorted(visits))})")
        v = visits[rel]
        if v.crashed:
            pytest.fail(f"{rel}: the visit failed: {v.crashed}")
        return v

    return get


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    factory = getattr(config, "_tmp_path_factory", None)
    if factory is None or getattr(config, "workerinput", None) is not None:
        return
    try:
        path = factory.getbasetemp() / VISITS / "visits.json"
    except OSError:
        return
    if not path.is_file():
        return
    doc = json.loads(path.read_text(encoding="utf-8"))
    visits = sorted((Visit.from_json(x) for x in doc["pages"].values()), key=lambda v: v.rel)
    tr = terminalreporter
    tr.section(f"page weights ({Path(doc['book']).parent / 'weights.json'}; visits took {doc['seconds']:.0f} s)")
    tr.write_line(f"{'page':<42} {'bytes':>10} {'req':>4} {'charts':>6} {'ms drawn':>9} {'ms load':>8}")
    for v in visits:
        drawn = f"{v.ms_charts:.0f}" if v.ms_charts is not None else "-"
        tr.write_line(f"{v.rel:<42} {v.bytes:>10,} {v.requests:>4} {len(v.charts):>6} {drawn:>9} {v.ms_load:>8.0f}")
    tr.section("screenshots (desktop, phone; dark: desktop, phone)")
    for v in visits:
        if v.screenshot:
            tr.write_line(f"{v.screenshot}  {v.phone_screenshot}  {v.dark_screenshot}  {v.dark_phone_screenshot}")
    tr.section("axe-core violations by impact (dark: colour contrast)")
    for v in visits:
        counts: dict[str, int] = {}
        for x in v.violations + [{**x, "impact": f"dark {x['impact']}"} for x in v.dark_violations]:
            counts[x["impact"]] = counts.get(x["impact"], 0) + len(x["targets"])
        shown = ", ".join(f"{k} {n} ({', '.join(sorted({x['id'] for x in v.violations if x['impact'] == k}))})"
                          for k, n in sorted(counts.items())) or "none"
        tr.write_line(f"{v.rel:<42} {shown}")
    if AXE_ALLOWED or ALLOWED_CONSOLE_ERRORS:
        tr.write_line("allow-lists: " + "; ".join(f"console {m!r} from {u!r}: {why}" for m, u, why in ALLOWED_CONSOLE_ERRORS)
                      + "".join(f"; axe {r} on {s!r}: {why}" for r, s, why in AXE_ALLOWED))
