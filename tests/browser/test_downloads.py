"""What the built book offers for download: the printable PDF (linked from the home page) and the data
package zip (linked from 方法与数据), both inside _build/html and both fetched from the local server."""

from __future__ import annotations

import json
import re
import urllib.request
import zipfile
import zlib
from urllib.parse import urljoin

import pytest

from factcheck import export

from .support import HTML, REPO

pytestmark = pytest.mark.browser


def _links(rel: str) -> list[str]:
    text = (HTML / rel).read_text(encoding="utf-8")
    return re.findall(r'<a [^>]*href="([^"#]+)"', text)


def _fetch(site: str, rel: str, href: str) -> tuple[int, str, bytes]:
    url = urljoin(site + rel, href)
    assert url.startswith(site), f"{href} on {rel} leaves the book"
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.status, r.headers.get("Content-Type", ""), r.read()


def test_pdf_is_linked_from_the_home_page_and_prints_the_book(site):
    hrefs = [h for h in _links("book/index.html") if h.endswith(".pdf")]
    assert hrefs, "book/index.html links no PDF"
    status, ctype, body = _fetch(site, "book/index.html", hrefs[0])
    assert status == 200 and ctype == "application/pdf"
    assert body.startswith(b"%PDF-") and body.rstrip().endswith(b"%%EOF")
    assert len(re.findall(rb"/Type\s*/Page\b", body)) >= 30, "the PDF has too few pages for the whole book"
    # Chinese text is text: the fonts' ToUnicode maps carry the book's characters.
    mapped = _unicode_in_text(body)
    missing = [c for c in "江门高新区新闻数字核查" if ord(c) not in mapped]
    assert not missing, f"the PDF's fonts do not map {missing}: Chinese text missing (fonts-noto-cjk?)"


def _unicode_in_text(pdf: bytes) -> set[int]:
    """Every code point the PDF maps its glyphs to: ToUnicode CMaps (bfchar, bfrange) and, for glyphs a
    font shares between characters, the ``/ActualText`` of content streams (Skia writes both)."""
    points: set[int] = set()
    for m in re.finditer(rb"stream\r?\n", pdf):
        try:
            data = zlib.decompressobj().decompress(pdf[m.end(): m.end() + 2_000_000])
        except zlib.error:
            continue
        for text in re.findall(rb"/ActualText\s*<FEFF([0-9A-Fa-f]+)>", data):
            points.update(_utf16(text))
        if b"begincmap" not in data:
            continue
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
            for dst in re.findall(rb"<[0-9A-Fa-f]+>\s*<([0-9A-Fa-f]+)>", block):
                points.update(_utf16(dst))
        for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
            for lo, hi, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                start = int(dst, 16)
                points.update(range(start, start + int(hi, 16) - int(lo, 16) + 1))
            for arr in re.findall(rb"<[0-9A-Fa-f]+>\s*<[0-9A-Fa-f]+>\s*\[(.*?)\]", block, re.S):
                for dst in re.findall(rb"<([0-9A-Fa-f]+)>", arr):
                    points.update(_utf16(dst))
    return points


def _utf16(hexdigits: bytes) -> set[int]:
    try:
        return {ord(c) for c in bytes.fromhex(hexdigits.decode()).decode("utf-16-be")}
    except (ValueError, UnicodeDecodeError):
        return set()


def test_data_package_zip_is_linked_from_methods_and_deterministic(site, tmp_path):
    hrefs = [h for h in _links("book/methods.html") if h.endswith(".zip")]
    assert hrefs, "book/methods.html links no zip"
    status, _, body = _fetch(site, "book/methods.html", hrefs[0])
    assert status == 200
    path = tmp_path / "served.zip"
    path.write_bytes(body)
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        assert all(i.date_time == export.ZIP_DATE for i in zf.infolist()), "zip entries carry build timestamps"
        package = json.loads(zf.read(f"{export.ZIP_ROOT}/datapackage.json"))
    wanted = {f"{export.ZIP_ROOT}/{r['path']}" for r in package["resources"]}
    assert wanted <= set(names), f"missing from the zip: {wanted - set(names)}"
    assert any(n.startswith(f"{export.ZIP_ROOT}/articles/") for n in names)
    data_dir = export.built_data_dir(REPO / "book") or REPO / "data"
    again = export.data_zip(data_dir, tmp_path / "again.zip")
    assert again.read_bytes() == body, "the same data should zip to the same bytes"


def test_every_local_link_of_every_page_resolves():
    from .support import book_pages

    missing = []
    for rel in book_pages():
        for href in _links(rel):
            if re.match(r"^[a-z]+:", href):
                continue
            target = (HTML / rel).parent / href.split("?")[0]
            if not target.resolve().exists():
                missing.append(f"{rel}: {href}")
    assert not missing, "dead local links:\n" + "\n".join(missing)
