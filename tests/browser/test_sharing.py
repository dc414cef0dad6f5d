"""A shared link shows what the page says: every page (the landing page and each edition's first) has a
description and Open Graph tags (title, description, image), read by the browser from the built page; the
image is the book's own PNG, absolute when the book's address is known (factcheck.publish.sphinxext)."""

from __future__ import annotations

import re
import struct

import pytest

from factcheck.edition import edition_title
from factcheck.publish.sphinxext import SHARE_IMAGE_SIZE

from .support import expected_pages

pytestmark = pytest.mark.browser
PAGES = expected_pages()
SHARED = ["book/index.html", *sorted(p for p in PAGES if p.endswith("/00_overview.html"))]
META_JS = """() => {
  const get = (attr, key) => { const m = document.querySelector(`meta[${attr}="${key}"]`); return m ? m.content : null; };
  return {description: get('name', 'description'), title: get('property', 'og:title'),
          ogDescription: get('property', 'og:description'), image: get('property', 'og:image'),
          url: get('property', 'og:url'), canonical: document.querySelector('link[rel=canonical]')?.href || null};
}"""


@pytest.fixture(scope="module")
def metas(site, new_page):
    out = {}
    context, page, _, _ = new_page()
    try:
        for rel in SHARED:
            page.goto(site + rel, wait_until="domcontentloaded")
            out[rel] = page.evaluate(META_JS)
    finally:
        context.close()
    return out


@pytest.mark.parametrize("rel", SHARED)
def test_shared_link_has_title_description_and_image(metas, book, rel):
    m = metas[rel]
    assert m["title"] and m["description"] and m["ogDescription"] and m["image"], f"{rel}: tags missing: {m}"
    assert m["description"] == m["ogDescription"]
    assert 20 <= len(m["description"]) <= 160, f"{rel}: description of {len(m['description'])} characters"
    assert re.search(r"[\u4e00-\u9fff]", m["description"]), f"{rel}: the description is not Chinese"
    assert not re.search(r"<|&[a-z]+;|下载|CSV", m["description"]), f"{rel}: markup or links in the description"
    if m["url"]:  # the book's address is known: everything absolute under it
        base = m["url"][: m["url"].index("book/")] if "book/" in m["url"] else m["url"]
        assert m["image"].startswith(base) and m["canonical"] == m["url"], m
        image = book / m["image"][len(base):]
    else:
        assert not re.match(r"https?://", m["image"]), f"{rel}: og:image {m['image']} names a site the book is not on"
        image = (book / rel).parent / m["image"]
    data = image.resolve().read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{rel}: og:image {m['image']} is not a PNG of the book"
    assert struct.unpack(">II", data[16:24]) == SHARE_IMAGE_SIZE
    assert image.resolve().is_relative_to(book.resolve()), f"{rel}: og:image outside the book"


def test_edition_titles_name_the_article_and_the_data_year(metas, judged):
    for rel in SHARED[1:]:
        year = int(rel.split("/")[2])
        assert metas[rel]["title"].startswith(edition_title(judged(year))), (rel, metas[rel]["title"])
        assert f"（{year}年数据" in metas[rel]["title"]


def test_descriptions_say_what_each_page_finds(metas, judged, latest_full):
    counts = judged(latest_full)["counts"]
    said = metas["book/index.html"]["description"] + metas[f"book/editions/{latest_full}/00_overview.html"]["description"]
    assert f"{counts['total']}个统计数字" in said, said
