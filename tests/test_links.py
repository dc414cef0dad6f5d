"""Every internal link and anchor of the built book resolves, and nothing is loaded from a CDN.

All ``_build/html/**/*.html`` pages of the session's reference build are parsed (except the themes'
Jinja macro files that Sphinx copies into ``_static/`` verbatim: they are templates, not pages). For every ``href``
and ``src`` that is relative: the target file exists, and a ``#fragment`` names an ``id`` (or an
``<a name>``) in the target page. External links (``https://…`` in the text, e.g. a source's address)
are not followed, but nothing the page *loads* (scripts, stylesheets, images, fonts, frames) may be
external, and no link may point to a CDN.

The navigation is the toc the build writes: every page it names is built, every built page of an
edition is in it, and the downloads the export step adds (verdict tables, data zip, PDF, each chart's
SVG and CSV) are linked from the pages.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from buildcopies import reference_build

pytestmark = pytest.mark.slow

LOADED = {"script": "src", "img": "src", "iframe": "src", "source": "src", "video": "src", "audio": "src",
          "embed": "src", "link": "href"}
CDN = re.compile(r"cdn|unpkg\.com|jsdelivr|googleapis|gstatic|cloudflare|bootstrapcdn|mathjax\.org|"
                 r"thebe|binder|require\.js", re.I)


@cache
def parse(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@cache
def anchors(path: Path) -> frozenset[str]:
    soup = parse(path)
    ids = {tag["id"] for tag in soup.find_all(id=True)}
    ids |= {tag["name"] for tag in soup.find_all("a", attrs={"name": True})}
    return frozenset(ids)


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    return reference_build(tmp_path_factory)


@pytest.fixture(scope="module")
def html(root) -> Path:
    return root / "_build" / "html"


def pages(html: Path) -> list[Path]:
    return sorted(p for p in html.rglob("*.html") if p.relative_to(html).parts[0] != "_static")


def references(html: Path):
    for page in pages(html):
        for tag in parse(page).find_all(True):
            for attr in ("href", "src"):
                value = tag.get(attr)
                if value is not None:
                    yield page, tag, attr, value.strip()


def test_internal_links_and_anchors_resolve(html):
    assert len(pages(html)) > 10
    broken = []
    checked = 0
    for page, tag, attr, value in references(html):
        parts = urlsplit(value)
        if parts.scheme or value.startswith("//"):
            continue  # external or data:/mailto:/javascript:, see the next test
        target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
        if target.is_dir():
            target = target / "index.html"
        checked += 1
        if not target.is_file():
            broken.append(f"{page.relative_to(html)}: <{tag.name} {attr}='{value}'>: no file {target}")
            continue
        fragment = unquote(parts.fragment)
        if fragment and target.suffix == ".html" and fragment not in anchors(target):
            broken.append(f"{page.relative_to(html)}: <{tag.name} {attr}='{value}'>: no id '{fragment}' "
                          f"in {target.relative_to(html)}")
    assert checked > 100
    assert not broken, f"{len(broken)} broken link(s):\n" + "\n".join(broken[:30])


def test_nothing_is_loaded_from_outside_and_no_cdn(html):
    problems = []
    for page, tag, attr, value in references(html):
        parts = urlsplit(value)
        external = parts.scheme in ("http", "https") or value.startswith("//")
        if external and LOADED.get(tag.name) == attr:
            problems.append(f"{page.relative_to(html)}: loads <{tag.name} {attr}='{value}'>")
        elif external and CDN.search(parts.netloc):
            problems.append(f"{page.relative_to(html)}: links to a CDN: {value}")
    for page in pages(html):
        for style in re.findall(r"url\(\s*['\"]?(https?:)?//[^)]*\)", page.read_text(encoding="utf-8")):
            problems.append(f"{page.relative_to(html)}: CSS url() to outside: {style}")
    for css in html.rglob("*.css"):
        text = css.read_text(encoding="utf-8", errors="replace")
        for match in re.finditer(r"(@import\s+url\(|url\()\s*['\"]?(https?:)?//", text):
            problems.append(f"{css.relative_to(html)}: loads from outside: {text[match.start():match.end() + 60]}")
    assert not problems, "\n".join(problems[:30])


def test_toc_and_built_pages_agree(root, html):
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    named = []

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                named.append(entry["file"])
            walk(entry.get("sections"))
            walk(entry.get("chapters"))

    named.append(toc["root"])
    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    missing = [f for f in named if not (html / f"{f}.html").is_file()]
    assert not missing, f"pages in _toc.yml that were not built: {missing}"
    built = sorted(str(p.relative_to(html).with_suffix("")) for p in (html / "book" / "editions").rglob("*.html"))
    assert built and sorted(set(built) - set(named)) == [], "built edition pages missing from the toc"
    sources = sorted(str(p.relative_to(root).with_suffix("")) for p in (root / "book" / "editions").rglob("*.ipynb"))
    assert sorted(f for f in named if f.startswith("book/editions/")) == sources


def test_downloads_are_linked(html):
    linked = set()
    for page, _tag, attr, value in references(html):
        parts = urlsplit(value)
        if attr == "href" and not parts.scheme and parts.path:
            linked.add((page.parent / unquote(parts.path)).resolve())
    downloads = sorted((html / "_downloads").glob("*"))
    years = sorted(p.name for p in (html / "book" / "editions").iterdir() if p.is_dir())
    assert {p.name for p in downloads} >= {"jiangmen-factcheck-data.zip", *(f"jiangmen-factcheck-{y}.pdf" for y in years)}
    assert any(p.name.startswith("verdicts-") for p in downloads)
    charts = sorted((html / "_static" / "charts").glob("*"))
    assert charts, "no chart files"
    unlinked = [str(p.relative_to(html)) for p in [*downloads, *charts] if p.resolve() not in linked]
    assert not unlinked, f"files offered by the book that no page links to: {unlinked}"
