"""What the browser tests share: which book, which pages, the allow-lists, one page's visit record, and the
checks of what a reader sees (program names in prose, the PDF's text).

Which book: ``FACTCHECK_BOOK`` (a path to a built ``_build/html``, relative to the repository or the
working directory; ``make browser`` sets ``FACTCHECK_BOOK=_build/html``), else the reference build of
:mod:`buildcopies` that the slow tests share (``conftest.book``). The pages to test are known before the
book is: the files of ``FACTCHECK_BOOK`` when it is set, else those the repository's ``_toc.yml`` names.

Product bugs the checks find are listed in :data:`BUGS` (file, what, suggested fix): where only a known bug
shows, a page's test is an expected failure, and each bug has its own strict expected failure that turns
into a failure once the bug is fixed, so its entry is then removed.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
import zlib
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
AXE_JS = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
SKIPPED_PAGES = {"genindex.html", "search.html"}  # genindex is empty; search has its own test
BUDGET_BYTES = 2_000_000  # per page, everything transferred
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
FEATURED_FALLBACK = ("2022-rd-multiple", "2022-hv-per10k", "2022-pct-growth")

#: Console errors that are the theme's noise, not the book's: (message regex, source URL regex, why).
ALLOWED_CONSOLE_ERRORS = [
    (r"^Failed to load resource: the server responded with a status of 404", r"/favicon\.ico$",
     "a browser may ask for /favicon.ico; the book has no favicon (logo and favicon unset in _config.yml)"),
]
#: axe violations of impact serious/critical that are tolerated: (rule id, target selector regex, why).
#: Empty: what axe found in the theme's markup is fixed in factcheck.publish.pages.
AXE_ALLOWED: list[tuple[str, str, str]] = []
AXE_FAILING_IMPACTS = {"serious", "critical"}


# ---- product bugs the tests know of -----------------------------------------------------------------
@dataclass(frozen=True)
class Bug:
    """A product bug a check finds, reported to the lead. Where it shows (``kind`` of check, page regex,
    problem regex), the page's test is an expected failure (:func:`check`); its own test
    (:func:`bug_params`, strict) fails once it is fixed, so the entry is removed."""

    key: str
    kind: str
    problem: str
    reason: str
    page: str = ".*"

    def matches(self, rel: str, problem: str) -> bool:
        return bool(re.search(self.page, rel) and re.search(self.problem, problem))


BUGS: list[Bug] = []


def known_bugs(kind: str, rel: str, problems: list[str]) -> tuple[list[str], list[Bug]]:
    """The problems no known bug explains, and the known bugs that explain the others."""
    new, known = [], []
    for p in problems:
        bugs = [b for b in BUGS if b.kind == kind and b.matches(rel, p)]
        if bugs:
            known += [b for b in bugs if b not in known]
        else:
            new.append(p)
    return new, known


def check(kind: str, rel: str, problems: list[str], what: str) -> None:
    """Fail on a problem no known bug explains; an expected failure when only known bugs show."""
    import pytest

    new, known = known_bugs(kind, rel, problems)
    assert not new, f"{rel}: {what}:\n" + "\n".join(new[:30])
    if known:
        pytest.xfail("known product bug: " + "; ".join(b.key for b in known))


def bug_params(kind: str) -> list:
    """One strict expected failure per known bug of ``kind``, for its own test."""
    import pytest

    return [pytest.param(b, marks=pytest.mark.xfail(strict=True, reason=b.reason), id=b.key)
            for b in BUGS if b.kind == kind]


# ---- which book, which pages ----------------------------------------------------------------------
def book_from_env() -> Path | None:
    """The built book ``FACTCHECK_BOOK`` names (relative to the working directory or the repository)."""
    value = os.environ.get("FACTCHECK_BOOK", "").strip()
    if not value:
        return None
    path = Path(value)
    if not path.is_absolute():
        here = Path.cwd() / path
        path = here if here.exists() else REPO / path
    return path.resolve()


def pages_in(html: Path) -> list[str]:
    """Every page of a built book, relative to its ``_build/html`` (not ``_static``, genindex or search)."""
    pages = []
    for p in sorted(html.rglob("*.html")):
        rel = p.relative_to(html).as_posix()
        if rel.startswith("_") or rel in SKIPPED_PAGES:
            continue
        pages.append(rel)
    return pages


def pages_of_toc(toc: Path = REPO / "_toc.yml") -> list[str]:
    """The pages a book built from ``toc`` has: the redirect, the root and every file of the toc."""
    import yaml

    if not toc.is_file():
        return []
    doc = yaml.safe_load(toc.read_text(encoding="utf-8"))
    files = [doc["root"]]

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("file"), str):
                files.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(doc.get("parts") or doc.get("chapters") or [])
    return sorted({"index.html", *(f"{f}.html" for f in files)})


@cache
def expected_pages() -> tuple[str, ...]:
    """The pages the tests are parametrized with (known at collection, before any book is built)."""
    html = book_from_env()
    if html is not None and html.is_dir():
        return tuple(pages_in(html))
    return tuple(pages_of_toc())


# ---- one page's visit ------------------------------------------------------------------------------
@dataclass
class Visit:
    """What a reader's browser met on one page (desktop and phone widths); JSON-serialisable, so one
    visit serves every pytest-xdist worker."""

    rel: str
    status: int = 0
    title: str = ""
    crashed: str = ""
    errors: list[str] = field(default_factory=list)
    allowed: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    charts: list[dict] = field(default_factory=list)
    drawn: int = 0
    chart_timeout: bool = False
    requests: int = 0
    bytes: int = 0
    ms_charts: float | None = None
    ms_load: float = 0.0
    violations: list[dict] = field(default_factory=list)
    dark_violations: list[dict] = field(default_factory=list)  # axe's colour contrast in the dark scheme
    screenshot: str = ""
    phone_screenshot: str = ""
    dark_screenshot: str = ""
    dark_phone_screenshot: str = ""
    has_nav: bool = False
    has_footer: bool = False
    jsonld: list[dict] = field(default_factory=list)  # {"ok": bool, "error": str, "text": str}
    prose: str = ""
    sentences: list[str] = field(default_factory=list)
    phone: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Visit:
        return cls(**data)


def page_factory(browser, site: str):
    """``make(viewport=DESKTOP, phone=False)`` → (context, page, refused, errors): a fresh context of
    ``browser``, network guarded, errors noted. Close the context when done."""
    def make(viewport: dict | None = None, phone: bool = False):
        context = browser.new_context(locale="zh-CN", viewport=viewport or DESKTOP, service_workers="block",
                                      is_mobile=phone, has_touch=phone)
        page = context.new_page()
        refused: list[str] = []
        errors: list[tuple[str, str]] = []
        from factcheck.publish.browser import guard_network

        guard_network(page, site, refused)
        page.on("console", lambda m: errors.append((m.text, m.location.get("url", ""))) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append((f"uncaught: {e}", "")))
        return context, page, refused, errors

    return make


def allowed_console(text: str, url: str) -> bool:
    return any(re.search(m, text) and re.search(u, url or "") for m, u, _ in ALLOWED_CONSOLE_ERRORS)


def axe_fails(violation: dict) -> list[str]:
    """The targets of a violation that fail the test (serious/critical, not allow-listed)."""
    if violation["impact"] not in AXE_FAILING_IMPACTS:
        return []
    return [t for t in violation["targets"]
            if not any(violation["id"] == rule and re.search(sel, t) for rule, sel, _ in AXE_ALLOWED)]


def screenshots_dir(book: Path) -> Path:
    """Where the screenshots of a book go: ``_build/screenshots`` next to its ``_build/html``."""
    return book.parent / "screenshots"


DARK_JS = """() => { document.documentElement.dataset.mode = "dark"; document.documentElement.dataset.theme = "dark"; }"""
"""The theme's dark scheme, switched on as its colour-mode button does (pydata-sphinx-theme: data-theme)."""


def axe_violations(result: dict) -> list[dict]:
    return [{"id": x["id"], "impact": x["impact"], "help": x["help"],
             "targets": [" ".join(map(str, n["target"])) for n in x["nodes"]]} for x in result["violations"]]


def screenshot_name(rel: str) -> str:
    return rel.removesuffix(".html").replace("/", "__") + ".png"


def write_weights(path: Path, visits: list[Visit]) -> None:
    rows = [{"page": v.rel, "bytes": v.bytes, "requests": v.requests, "charts": len(v.charts),
             "ms_charts_drawn": v.ms_charts, "ms_load": v.ms_load} for v in sorted(visits, key=lambda v: v.rel)]
    if rows:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"budget_bytes": BUDGET_BYTES, "pages": rows}, ensure_ascii=False, indent=1) + "\n",
                        encoding="utf-8")


# ---- what the browser collects ---------------------------------------------------------------------
DRAWN_TIMER_JS = """
window.__chartsDrawnAt = [];
new MutationObserver(function (records) {
  records.forEach(function (r) {
    if (r.attributeName === 'data-drawn') { window.__chartsDrawnAt.push(performance.now()); }
  });
}).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-drawn']});
"""

#: Everything a desktop visit records, in one evaluation (after the charts are drawn).
FACTS_JS = """() => {
  const figs = [...document.querySelectorAll('figure.factcheck-chart')];
  const nav = performance.getEntriesByType('navigation')[0];
  const text = el => el ? el.textContent.replace(/\\s+/g, ' ').trim() : '';
  const charts = figs.map(f => {
    const vis = f.querySelector('.factcheck-vis');
    const svg = vis ? vis.querySelector('svg') : null;
    const axes = svg ? [...svg.querySelectorAll('g.role-axis')].map(ax => ({
      aria: ax.getAttribute('aria-label') || '',
      title: [...ax.querySelectorAll('.role-axis-title text')].map(t => t.textContent).join(''),
      labels: [...ax.querySelectorAll('.role-axis-label text')].map(t => {
        const r = t.getBoundingClientRect();
        return {text: t.textContent, x: r.x + r.width / 2, y: r.y + r.height / 2};
      }),
    })) : [];
    const links = [...f.querySelectorAll('.chart-download a')].map(a => ({href: a.href, text: text(a),
      download: a.getAttribute('download') || ''}));
    return {
      id: f.getAttribute('data-chart') || '',
      title: text(f.querySelector('.chart-title')),
      subtitle: text(f.querySelector('.chart-subtitle')),
      source: text(f.querySelector('.chart-source')),
      alt: text(f.querySelector('.chart-alt')),
      label: vis ? (vis.getAttribute('aria-label') || '') : '',
      role: vis ? (vis.getAttribute('role') || '') : '',
      drawn: !!(vis && vis.getAttribute('data-drawn') === '1' && svg),
      axes: axes,
      links: links,
    };
  });
  const jsonld = [...document.querySelectorAll('script[type="application/ld+json"]')].map(s => {
    try { JSON.parse(s.textContent); return {ok: true, error: '', text: s.textContent}; }
    catch (e) { return {ok: false, error: String(e), text: s.textContent.slice(0, 300)}; }
  });
  return {
    charts: charts,
    drawnAt: window.__chartsDrawnAt || [],
    load: nav ? nav.loadEventEnd : 0,
    hasNav: !!document.querySelector('nav.bd-docs-nav a[href]'),
    hasFooter: !!document.querySelector('footer.bd-footer-content, .bd-footer-content'),
    sentences: [...document.querySelectorAll('.claim-why, .featured-claim > p, .chart-title, .chart-subtitle, .chart-alt')]
      .map(text).filter(t => t),
    jsonld: jsonld,
  };
}"""

#: The prose a reader sees in the main content: what is rendered, without the opened-on-request parts
#: (``<details>`` bodies), code and scripts. Hides them for the measurement only (after screenshot and axe).
PROSE_JS = """() => {
  const style = document.createElement('style');
  style.textContent = 'details > :not(summary), pre, code, kbd, samp, script, style { display: none !important; }';
  document.head.appendChild(style);
  document.querySelectorAll('details[open]').forEach(d => { d.open = false; });
  const main = document.querySelector('article.bd-article') || document.querySelector('main') || document.body;
  const out = main.innerText;
  style.remove();
  return out;
}"""

#: At a phone's width: does anything stick out, is every verdict badge whole, what is the table now.
PHONE_JS = """(width) => {
  const doc = document.documentElement;
  const describe = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const shown = el => el.checkVisibility ? el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})
                                         : !!(el.offsetWidth || el.offsetHeight);
  const wide = [];
  document.querySelectorAll('table, figure, .factcheck-vis svg, img, pre, .claim-card, blockquote, form.claim-filter')
    .forEach(el => {
      if (!shown(el)) { return; }
      const r = el.getBoundingClientRect();
      if (r.width < 1) { return; }
      if (r.left < -1 || r.right > width + 1) {
        wide.push({el: describe(el), left: Math.round(r.left), right: Math.round(r.right), width: Math.round(r.width)});
      }
    });
  const badges = [];
  document.querySelectorAll('article.bd-article .verdict').forEach(b => {
    if (!shown(b)) { return; }
    const r = b.getBoundingClientRect();
    const problems = [];
    if (r.left < -0.5 || r.right > width + 0.5) { problems.push(`outside the viewport (${Math.round(r.left)}..${Math.round(r.right)})`); }
    if (b.scrollWidth > b.clientWidth + 1) { problems.push(`text wider than the badge (${b.scrollWidth} > ${b.clientWidth})`); }
    for (let a = b.parentElement; a && a !== document.body; a = a.parentElement) {
      const cs = getComputedStyle(a);
      if (cs.overflowX !== 'visible' || cs.overflowY !== 'visible') {
        const ar = a.getBoundingClientRect();
        if (r.left < ar.left - 0.5 || r.right > ar.right + 0.5 || r.top < ar.top - 0.5 || r.bottom > ar.bottom + 0.5) {
          problems.push('clipped by ' + describe(a));
        }
      }
    }
    if (problems.length) { badges.push({badge: b.textContent.trim(), where: describe(b.closest('[id]') || b), problems}); }
  });
  const overlaps = [];
  document.querySelectorAll('figure.factcheck-chart').forEach(f => {
    f.querySelectorAll('svg g.role-axis').forEach(ax => {
      const labels = [...ax.querySelectorAll('.role-axis-label text')]
        .filter(t => getComputedStyle(t).opacity !== '0' && t.getAttribute('opacity') !== '0' && t.textContent.trim())
        .map(t => ({text: t.textContent, r: t.getBoundingClientRect()}));
      for (let i = 0; i < labels.length; i++) {
        for (let j = i + 1; j < labels.length; j++) {
          const a = labels[i].r, b = labels[j].r;
          if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) {
            overlaps.push({chart: f.getAttribute('data-chart'), axis: (ax.getAttribute('aria-label') || '').slice(0, 60),
                           labels: [labels[i].text, labels[j].text]});
          }
        }
      }
    });
  });
  const rows = [...document.querySelectorAll('table.claims tbody tr')];
  return {
    overlaps: overlaps,
    scrollWidth: doc.scrollWidth,
    clientWidth: doc.clientWidth,
    wide: wide,
    badges: badges,
    badgeCount: document.querySelectorAll('article.bd-article .verdict').length,
    tableRows: rows.length,
    rowDisplays: [...new Set(rows.map(r => getComputedStyle(r).display))],
  };
}"""


# ---- program names in prose --------------------------------------------------------------------------
#: What must not reach a reader's eyes, with a name for the report. The binding names are those the
#: formulas of data/claims.csv use (lower case: the prose writes GDP, PCT in capitals).
PROSE_RULES: list[tuple[str, re.Pattern]] = [
    ("binding or program name", re.compile(r"(?<![A-Za-z])(?:cur|prev|gdp|pop|hv|rd|zone|city|actual|now|total|"
                                           r"r20\d\d|[a-z]+_[a-z_]+)(?![A-Za-z])")),
    ("claim id", re.compile(r"(?<![A-Za-z0-9])20\d\d-[a-z][a-z0-9-]*[a-z0-9]")),
    ("interval bracket", re.compile(r"[\[(（]\s*-?\d[\d.]*\s*[,,]|[,,]\s*-?\d[\d.]*\s*[\])）]|[\[(]\s*-?∞|∞")),
    ("missing-value word", re.compile(r"(?<![A-Za-z])(?:None|nan|NaN|inf|Infinity|undefined|null|True|False)(?![A-Za-z])")),
]


def prose_problems(text: str) -> list[str]:
    """Each line of ``text`` that shows program notation (:data:`PROSE_RULES`), with why; empty: fit for
    readers. (Page prose may name schema.org or a PDF; the generated sentences get the stricter
    :func:`sentence_problems`.)"""
    found = []
    for line in (raw.strip() for raw in text.splitlines()):
        for name, rule in PROSE_RULES:
            m = rule.search(line) if line else None
            if m:
                found.append(f"{name} {m.group(0)!r} in: {line[:200]}")
                break
    return found


def sentence_problems(texts: list[str]) -> list[str]:
    """The generated sentences (a verdict's why, a chart's title and text alternative) that
    :func:`factcheck.wording.clean` refuses: the check the unit tests run on every sentence, here on what
    the page shows."""
    from factcheck.wording import clean

    return [why[:300] for text in dict.fromkeys(texts) if (why := clean(text))]


# ---- the PDF's text (no PDF library in the environment: the few operators Skia writes) ---------------
_OBJ = re.compile(rb"(\d+) 0 obj\s*(.*?)endobj", re.S)
_FONT_FILE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


def _objects(pdf: bytes) -> dict[int, tuple[bytes, bytes | None]]:
    out: dict[int, tuple[bytes, bytes | None]] = {}
    for m in _OBJ.finditer(pdf):
        body = m.group(2)
        head, stream = body, None
        s = re.search(rb"stream\r?\n", body)
        end = body.rstrip().rfind(b"endstream")
        if s and end > s.end() - 1:
            head, raw = body[: s.start()], body[s.end(): end]
            try:
                stream = zlib.decompress(raw) if b"/FlateDecode" in head else raw
            except zlib.error:
                stream = None
        out[int(m.group(1))] = (head, stream)
    return out


def _cmap(data: bytes) -> tuple[dict[bytes, str], int]:
    mapping: dict[bytes, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapping[bytes.fromhex(src.decode())] = bytes.fromhex(dst.decode()).decode("utf-16-be", "replace")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            n, a, b, d = len(lo) // 2, int(lo, 16), int(hi, 16), int(dst, 16)
            for i in range(b - a + 1):
                mapping[(a + i).to_bytes(n, "big")] = chr(d + i)
    space = re.search(rb"begincodespacerange\s*<([0-9A-Fa-f]+)>", data)
    return mapping, (len(space.group(1)) // 2 if space else 1)


def pdf_pages_text(pdf: bytes) -> list[str]:
    """The text of each page, in drawing order (runs separated by line breaks), through the fonts'
    ToUnicode maps: enough for Chromium's (Skia's) PDFs, which use no object streams."""
    objs = _objects(pdf)
    fonts: dict[int, tuple[dict[bytes, str], int]] = {}

    def font(num: int) -> tuple[dict[bytes, str], int]:
        if num not in fonts:
            head = objs.get(num, (b"", None))[0]
            ref = re.search(rb"/ToUnicode\s+(\d+) 0 R", head)
            data = objs.get(int(ref.group(1)), (b"", None))[1] if ref else None
            fonts[num] = _cmap(data) if data else ({}, 1)
        return fonts[num]

    def names(head: bytes, prefix: bytes) -> dict[bytes, int]:
        return {k: int(v) for k, v in re.findall(rb"/(" + prefix + rb"\d+)\s+(\d+) 0 R", head)}

    ops = re.compile(rb"/(F\d+)\s+[-\d.]+\s+Tf|\[((?:[^\]\\]|\\.)*)\]\s*TJ|<([0-9A-Fa-f]*)>\s*Tj|/(X\d+)\s+Do|\bET\b")
    pages = []
    for _, (head, _) in sorted(objs.items()):
        if not re.search(rb"/Type\s*/Page\b", head):
            continue
        out: list[str] = []

        def run(stream: bytes, fmap: dict[bytes, int], xmap: dict[bytes, int], depth: int = 0,
                out: list[str] = out) -> None:
            current: tuple[dict[bytes, str], int] = ({}, 1)
            for m in ops.finditer(stream):
                if m.group(1):
                    current = font(fmap[m.group(1)]) if m.group(1) in fmap else ({}, 1)
                elif m.group(2) is not None or m.group(3) is not None:
                    hexes = re.findall(rb"<([0-9A-Fa-f]*)>", m.group(2)) if m.group(2) is not None else [m.group(3)]
                    mapping, width = current
                    for h in hexes:
                        b = bytes.fromhex(h.decode())
                        out.append("".join(mapping.get(b[i:i + width], "\ufffd") for i in range(0, len(b), width)))
                elif m.group(4):
                    x = xmap.get(m.group(4))
                    if x in objs and objs[x][1] is not None and depth < 8:
                        xhead = objs[x][0]
                        run(objs[x][1], {**fmap, **names(xhead, b"F")}, {**xmap, **names(xhead, b"X")}, depth + 1, out)
                else:
                    out.append("\n")

        contents = re.search(rb"/Contents\s+(\d+) 0 R", head)
        if contents and objs.get(int(contents.group(1)), (b"", None))[1] is not None:
            run(objs[int(contents.group(1))][1], names(head, b"F"), names(head, b"X"))
        pages.append("".join(out))
    return pages


@cache
def _radicals() -> dict[int, str]:
    """Skia maps a glyph back to the first code point the font gives it, which for many Chinese characters
    is a CJK radical (⻔ for 门, ⾼ for 高): back to the unified ideograph, from the font's own cmap."""
    from fontTools.ttLib import TTCollection

    table: dict[int, str] = {}
    if not _FONT_FILE.is_file():
        return table
    for font in TTCollection(str(_FONT_FILE), lazy=True).fonts:
        if "Noto Sans CJK SC" not in str(font["name"].getDebugName(1)):
            continue
        by_glyph: dict[str, list[int]] = {}
        for cp, glyph in font.getBestCmap().items():
            by_glyph.setdefault(glyph, []).append(cp)
        for cps in by_glyph.values():
            unified = [c for c in cps if 0x4E00 <= c <= 0x9FFF]
            for c in cps:
                if unified and 0x2E80 <= c < 0x3000:
                    table[c] = chr(unified[0])
        break
    return table


def plain(text: str) -> str:
    """Text as compared with the PDF's: radicals to ideographs, NFKC (full-width punctuation), no spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text.translate(_radicals())))
