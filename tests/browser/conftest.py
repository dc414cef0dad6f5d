"""The built book in a real browser: Debian's Chromium, driven by Playwright, on 127.0.0.1 only.

Run after the book is built: ``make browser`` (= ``pytest -m browser tests/browser``; ``make test`` does
both). Tests marked ``browser`` are deselected unless asked for with ``-m browser``, so ``make unit`` (plain
``pytest tests``) needs no built book and no browser; the unmarked tests here are unit tests.

Every page of ``_build/html`` (but genindex, search and ``_static``) is visited once, in a fresh browser
context (nothing cached), by :func:`visit`, which records what the tests check:

* the HTTP status, console errors and uncaught page errors (:data:`ALLOWED_CONSOLE_ERRORS` is the whole
  allow-list of theme noise);
* every request the page makes: one that does not go to the 127.0.0.1 server is refused and recorded;
* charts: ``figure.factcheck-chart`` against divs with ``data-drawn="1"`` holding an ``<svg>``, each
  chart's text alternative, and its SVG download link;
* weight: the bytes of every response (headers + body) and the time from navigation start until the
  last chart was drawn (a MutationObserver notes when each ``data-drawn`` appears);
* axe-core's violations (``tests/browser/node_modules``, from package-lock.json, ``make browser-deps``);
* a full-page screenshot in ``_build/screenshots/``.

At the end the weights go to ``_build/weights.json`` and a table, the screenshots and the axe results
are printed.
"""

from __future__ import annotations

import re
import shutil

import pytest

from factcheck import export

from .support import (
    ALLOWED_CONSOLE_ERRORS,
    ARTIFACTS,
    AXE_ALLOWED,
    AXE_JS,
    DRAWN_TIMER_JS,
    HTML,
    SCREENSHOTS,
    VISITED,
    Visit,
    allowed_console,
    screenshot_name,
    write_weights,
)


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
def site():
    if not (HTML / "index.html").is_file():
        pytest.fail(f"no built book at {HTML}: run `make book` first")
    with export.serve(HTML) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    why = export.chromium_missing() or export.chinese_font_missing()  # without CJK fonts: boxes in screenshots
    if why:
        pytest.fail(why)
    with export.launch() as b:
        yield b


@pytest.fixture(scope="session")
def new_page(site, browser):
    """``new_page()`` → (context, page, refused, errors): a fresh context, network guarded, errors noted."""
    def make():
        context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900},
                                      service_workers="block")
        page = context.new_page()
        refused: list[str] = []
        errors: list[tuple[str, str]] = []
        export.guard_network(page, site, refused)
        page.on("console", lambda m: errors.append((m.text, m.location.get("url", ""))) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append((f"uncaught: {e}", "")))
        return context, page, refused, errors

    return make


@pytest.fixture(scope="session")
def visit(site, new_page):
    """``visit(rel)`` → :class:`Visit`, made once per page for the whole session."""
    if not AXE_JS.is_file():
        pytest.fail(f"{AXE_JS} missing: run `make browser-deps` (npm ci in tests/browser)")
    if SCREENSHOTS.exists():
        shutil.rmtree(SCREENSHOTS)
    SCREENSHOTS.mkdir(parents=True)

    crashed: dict[str, Exception] = {}

    def _visit(rel: str) -> Visit:
        if rel in VISITED:
            return VISITED[rel]
        if rel in crashed:  # the page's other tests fail at once, with the same reason
            raise crashed[rel]
        try:
            return _look(rel)
        except Exception as exc:
            crashed[rel] = exc
            raise

    def _look(rel: str) -> Visit:
        v = Visit(rel)
        context, page, refused, errors = new_page()
        finished = []
        page.on("requestfinished", lambda r: finished.append(r))
        page.add_init_script(DRAWN_TIMER_JS)
        response = page.goto(site + rel, wait_until="load")
        v.status = response.status if response else 0
        try:
            export.wait_for_charts(page, timeout_ms=20_000)
        except Exception:  # noqa: BLE001 - the chart test reports it
            v.chart_timeout = True
        try:
            page.wait_for_load_state("networkidle", timeout=5_000)
        except Exception:  # noqa: BLE001 - a page that keeps fetching still gets measured
            pass
        v.title = page.title()
        facts = page.evaluate("""() => {
          const figs = [...document.querySelectorAll('figure.factcheck-chart')];
          const nav = performance.getEntriesByType('navigation')[0];
          return {
            figures: figs.length,
            drawn: document.querySelectorAll('figure.factcheck-chart div[data-drawn="1"] svg').length,
            labels: figs.map(f => (f.querySelector('.factcheck-vis') || {getAttribute: () => ''}).getAttribute('aria-label') || ''),
            captions: figs.map(f => (f.querySelector('figcaption') || {textContent: ''}).textContent),
            links: figs.map(f => { const a = f.querySelector('.chart-download a'); return a ? a.href : ''; }),
            drawnAt: window.__chartsDrawnAt || [],
            load: nav ? nav.loadEventEnd : 0,
          };
        }""")
        v.figures, v.drawn = facts["figures"], facts["drawn"]
        v.labels, v.captions, v.svg_links = facts["labels"], facts["captions"], facts["links"]
        v.ms_load = round(facts["load"], 1)
        v.ms_charts = round(max(facts["drawnAt"]), 1) if v.figures and facts["drawnAt"] else None
        v.requests = len(finished)
        for request in finished:
            sizes = request.sizes()
            v.bytes += sizes["responseBodySize"] + sizes["responseHeadersSize"]
        path = SCREENSHOTS / screenshot_name(rel)
        page.screenshot(path=str(path), full_page=True)
        v.screenshot = str(path.relative_to(ARTIFACTS.parent) if ARTIFACTS.parent in path.parents else path)
        page.add_script_tag(path=str(AXE_JS))
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        v.violations = [{"id": x["id"], "impact": x["impact"], "help": x["help"],
                         "targets": [" ".join(map(str, n["target"])) for n in x["nodes"]]} for x in result["violations"]]
        for text, url in errors:
            (v.allowed if allowed_console(text, url) else v.errors).append(f"{text} [{url}]" if url else text)
        v.refused = sorted(set(refused))
        context.close()
        VISITED[rel] = v
        return v

    yield _visit
    write_weights()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not VISITED:
        return
    tr = terminalreporter
    visits = sorted(VISITED.values(), key=lambda v: v.rel)
    tr.section("page weights (_build/weights.json)")
    tr.write_line(f"{'page':<42} {'bytes':>10} {'req':>4} {'charts':>6} {'ms drawn':>9} {'ms load':>8}")
    for v in visits:
        drawn = f"{v.ms_charts:.0f}" if v.ms_charts is not None else "-"
        tr.write_line(f"{v.rel:<42} {v.bytes:>10,} {v.requests:>4} {v.figures:>6} {drawn:>9} {v.ms_load:>8.0f}")
    tr.section("screenshots")
    for v in visits:
        if v.screenshot:
            tr.write_line(v.screenshot)
    tr.section("axe-core violations by impact")
    for v in visits:
        counts: dict[str, int] = {}
        for x in v.violations:
            counts[x["impact"]] = counts.get(x["impact"], 0) + len(x["targets"])
        shown = ", ".join(f"{k} {n} ({', '.join(sorted({x['id'] for x in v.violations if x['impact'] == k}))})"
                          for k, n in sorted(counts.items())) or "none"
        tr.write_line(f"{v.rel:<42} {shown}")
    if AXE_ALLOWED or ALLOWED_CONSOLE_ERRORS:
        tr.write_line("allow-lists: " + "; ".join(f"console {m!r} from {u!r}: {why}" for m, u, why in ALLOWED_CONSOLE_ERRORS)
                      + "".join(f"; axe {r} on {s!r}: {why}" for r, s, why in AXE_ALLOWED))
