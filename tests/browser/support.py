"""What the browser tests share: where the built book is, the allow-lists, one page's visit record."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HTML = Path(os.environ.get("FACTCHECK_HTML", REPO / "_build" / "html")).resolve()
ARTIFACTS = HTML.parent
SCREENSHOTS = ARTIFACTS / "screenshots"
WEIGHTS = ARTIFACTS / "weights.json"
AXE_JS = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
SKIPPED_PAGES = {"genindex.html", "search.html"}  # genindex is empty; search has its own test
BUDGET_BYTES = 2_000_000  # per page, everything transferred

#: Console errors that are the theme's noise, not the book's: (message regex, source URL regex, why).
ALLOWED_CONSOLE_ERRORS = [
    (r"^Failed to load resource: the server responded with a status of 404", r"/favicon\.ico$",
     "a browser may ask for /favicon.ico; the book has no favicon (logo and favicon unset in _config.yml)"),
]
#: axe violations of impact serious/critical that are tolerated: (rule id, target selector regex, why).
#: Empty: what axe found in the theme's markup is fixed in factcheck.runner.postprocess_html.
AXE_ALLOWED: list[tuple[str, str, str]] = []
AXE_FAILING_IMPACTS = {"serious", "critical"}

DRAWN_TIMER_JS = """
window.__chartsDrawnAt = [];
new MutationObserver(function (records) {
  records.forEach(function (r) {
    if (r.attributeName === 'data-drawn') { window.__chartsDrawnAt.push(performance.now()); }
  });
}).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-drawn']});
"""


def book_pages() -> list[str]:
    """Every page of the built book, as a path relative to ``_build/html``."""
    if not HTML.is_dir():
        return []
    pages = []
    for p in sorted(HTML.rglob("*.html")):
        rel = p.relative_to(HTML).as_posix()
        if rel.startswith("_") or rel in SKIPPED_PAGES:
            continue
        pages.append(rel)
    return pages


def chapter_pages() -> list[str]:
    """The book's own pages (not the top-level redirect)."""
    return [p for p in book_pages() if p.startswith("book/")]


@dataclass
class Visit:
    rel: str
    status: int = 0
    title: str = ""
    errors: list[str] = field(default_factory=list)
    allowed: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    figures: int = 0
    drawn: int = 0
    labels: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    svg_links: list[str] = field(default_factory=list)
    requests: int = 0
    bytes: int = 0
    ms_charts: float | None = None
    ms_load: float = 0.0
    chart_timeout: bool = False
    violations: list[dict] = field(default_factory=list)
    screenshot: str = ""


VISITED: dict[str, Visit] = {}


def allowed_console(text: str, url: str) -> bool:
    return any(re.search(m, text) and re.search(u, url or "") for m, u, _ in ALLOWED_CONSOLE_ERRORS)


def axe_fails(violation: dict) -> list[str]:
    """The targets of a violation that fail the test (serious/critical, not allow-listed)."""
    if violation["impact"] not in AXE_FAILING_IMPACTS:
        return []
    bad = []
    for target in violation["targets"]:
        if not any(violation["id"] == rule and re.search(sel, target) for rule, sel, _ in AXE_ALLOWED):
            bad.append(target)
    return bad


def screenshot_name(rel: str) -> str:
    return rel.removesuffix(".html").replace("/", "__") + ".png"


def write_weights() -> None:
    rows = [{"page": v.rel, "bytes": v.bytes, "requests": v.requests, "charts": v.figures,
             "ms_charts_drawn": v.ms_charts, "ms_load": v.ms_load} for v in sorted(VISITED.values(), key=lambda v: v.rel)]
    if rows:
        WEIGHTS.parent.mkdir(parents=True, exist_ok=True)
        WEIGHTS.write_text(json.dumps({"budget_bytes": BUDGET_BYTES, "pages": rows}, ensure_ascii=False, indent=1) + "\n",
                           encoding="utf-8")
