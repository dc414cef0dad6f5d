"""What the built book offers for download, fetched from the local server as a reader's browser would:
the verdict tables (Excel opens them), the data package zip, each edition's printable PDF (page numbers,
every figure's card once); and every local link and anchor of every page resolves."""

from __future__ import annotations

import csv
import io
import json
import re
import urllib.request
import zipfile
from collections import Counter
from functools import cache
from urllib.parse import unquote, urljoin, urlparse

import pytest
from bs4 import BeautifulSoup

from factcheck.downloads import COLUMNS
from factcheck.publish import export

from .support import bug_params, check, expected_pages, pdf_pages_text, plain

pytestmark = pytest.mark.browser
BOM = b"\xef\xbb\xbf"


def _links(book, rel: str) -> list[str]:
    soup = BeautifulSoup((book / rel).read_text(encoding="utf-8"), "html.parser")
    return [a["href"] for a in soup.find_all("a", href=True)]


@cache
def _fetch(url: str) -> tuple[int, str, bytes]:
    with urllib.request.urlopen(url, timeout=20) as r:
        return r.status, r.headers.get("Content-Type", ""), r.read()


def _get(site: str, rel: str, href: str) -> tuple[int, str, bytes]:
    url = urljoin(site + rel, href)
    assert url.startswith(site), f"{href} on {rel} leaves the book"
    return _fetch(url)


def _judged_years(book) -> list[int]:
    return sorted(int(p.stem) for p in (book.parent / "judged").glob("[0-9][0-9][0-9][0-9].json"))


# ---- verdict tables ---------------------------------------------------------------------------------
def test_verdict_tables_open_in_excel(book, site, judged):
    years = _judged_years(book)
    assert len(years) >= 3, f"judged editions: {years}"
    linked = {h for rel in expected_pages() if rel.endswith("_factcheck.html") for h in _links(book, rel)}
    for year in years:
        name = f"verdicts-{year}.csv"
        assert any(h.endswith(f"_downloads/{name}") for h in linked), f"no fact-check page links {name}"
        status, _, body = _get(site, "", f"_downloads/{name}")
        assert status == 200
        assert body.startswith(BOM), f"{name}: no UTF-8 byte-order mark: Excel on Windows shows garbage"
        rows = list(csv.reader(io.StringIO(body[len(BOM):].decode("utf-8"), newline="")))
        assert rows[0] == COLUMNS, f"{name}: header {rows[0]}"
        assert all(re.search(r"[\u4e00-\u9fff]", c) for c in rows[0] if c not in ("claim_id", "verdict")), rows[0]
        claims = judged(year)["claims"]
        assert len(rows) - 1 == len(claims), f"{name}: {len(rows) - 1} rows for {len(claims)} statistics"
        assert [r[0] for r in rows[1:]] == [j["claim_id"] for j in claims]
        verdict = rows[0].index("verdict")
        assert Counter(r[verdict] for r in rows[1:]) == Counter(j["verdict"] for j in claims)


# ---- the data package --------------------------------------------------------------------------------
def test_data_zip_holds_data_verdicts_and_readme(book, book_root, site):
    hrefs = [h for rel in ("book/index.html", "book/methods.html") for h in _links(book, rel) if h.endswith(".zip")]
    assert hrefs, "neither the landing page nor 方法与数据 links the data zip"
    status, _, body = _get(site, "book/index.html", hrefs[0])
    assert status == 200
    with zipfile.ZipFile(io.BytesIO(body)) as zf:
        infos = zf.infolist()
        names = [i.filename for i in infos]
        root = export.ZIP_ROOT
        assert f"{root}/README.txt" in names, f"no README.txt in the zip: {names[:5]}"
        package = json.loads(zf.read(f"{root}/data/datapackage.json"))
        readme = zf.read(f"{root}/README.txt").decode("utf-8")
    wanted = {f"{root}/data/{r['path']}" for r in package["resources"]}
    assert wanted <= set(names), f"missing from the zip: {sorted(wanted - set(names))}"
    articles = sorted(p.relative_to(book_root / "data").as_posix() for p in (book_root / "data" / "articles").glob("*.txt"))
    assert {f"{root}/data/{a}" for a in articles} <= set(names), "the articles are not all in the zip"
    verdicts = {f"{root}/verdicts/verdicts-{y}.csv" for y in _judged_years(book)}
    assert verdicts <= set(names), f"missing verdict tables: {sorted(verdicts - set(names))}"
    undated = [i.filename for i in infos if i.date_time[:3] == (1980, 1, 1)]
    assert not undated, f"zip entries dated 1980-01-01 (no real date): {undated[:5]}"
    assert "verdicts/" in readme and "data/" in readme
    rights = readme[readme.index("许可"):]
    assert "CC BY 4.0" in rights and "articles/" in rights and "版权属于" in rights and "不在 CC BY 许可之内" in rights, (
        f"the README does not keep the article texts out of the CC BY licence: {rights[:300]}")


# ---- the PDFs ----------------------------------------------------------------------------------------
PAGE_NUMBER = re.compile(r"第(\d+)页[，,]共(\d+)页")  # as plain() reads it: NFKC makes ， a ,


def _pdf_links(book) -> dict[int, str]:
    """Each edition's PDF as the landing page links it: year → href."""
    found = {}
    for href in _links(book, "book/index.html"):
        m = re.search(r"jiangmen-factcheck-(\d{4})\.pdf$", href)
        if m:
            found[int(m.group(1))] = href
    return found


def test_each_edition_has_its_pdf_linked_from_the_landing_page_and_its_fact_check_page(book, site):
    links = _pdf_links(book)
    assert sorted(links) == _judged_years(book), f"the landing page links the PDFs of {sorted(links)}"
    for year, href in links.items():
        status, ctype, body = _get(site, "book/index.html", href)
        assert status == 200 and ctype == "application/pdf" and body.startswith(b"%PDF-"), (year, status, ctype)
        pages = [plain(t) for t in pdf_pages_text(body)]
        assert pages and plain(f"{year}年数据") in pages[0], f"{year}: the PDF does not open with its edition's title"
        page = next(rel for rel in expected_pages() if rel.startswith(f"book/editions/{year}/") and
                    rel.endswith("_factcheck.html"))
        assert any(h.endswith(f"_downloads/jiangmen-factcheck-{year}.pdf") for h in _links(book, page)), page


@pytest.fixture(scope="module")
def pdf(book, site, latest_full):
    """The PDF of the edition the landing page presents, as its link there offers it."""
    href = _pdf_links(book).get(latest_full)
    assert href, f"book/index.html links no PDF of the {latest_full} edition"
    status, ctype, body = _get(site, "book/index.html", href)
    assert status == 200 and ctype == "application/pdf", (status, ctype)
    assert body.startswith(b"%PDF-") and body.rstrip().endswith(b"%%EOF")
    return body, [plain(t) for t in pdf_pages_text(body)]


def test_pdf_prints_the_edition_in_chinese(pdf):
    body, pages = pdf
    assert len(pages) >= 30, f"the PDF has {len(pages)} pages: too few for the whole edition"
    assert len(re.findall(rb"/Type\s*/Page\b", body)) == len(pages)
    text = "".join(pages)
    assert "\ufffd" not in text, "glyphs without a Unicode mapping in the PDF"
    assert plain("江门高新区新闻数字核查") in text, "the book's name is not text in the PDF (fonts-noto-cjk?)"


def test_pdf_pages_are_numbered(pdf):
    _, pages = pdf
    wrong = []
    for n, text in enumerate(pages, start=1):
        m = PAGE_NUMBER.search(text)
        if not m or (int(m.group(1)), int(m.group(2))) != (n, len(pages)):
            wrong.append(f"page {n}: {m.group(0) if m else 'no 第…页，共…页'}")
    assert not wrong, "page numbers missing or wrong:\n" + "\n".join(wrong[:10])


def test_pdf_prints_each_figure_once(judged, latest_full, pdf):
    """Each figure's card of the edition, once: the quote in “” as many times as cards, register entries and
    repeats quote it (the screen-only table of the fact-check page is not printed a second time)."""
    _, pages = pdf
    text = "".join(PAGE_NUMBER.sub("", p) for p in pages)
    doc = judged(latest_full)
    expected: Counter[str] = Counter()
    expected.update(j["quote"] for j in doc["claims"])
    expected.update(r["quote"] for r in doc["register"])
    expected.update(r for j in doc["claims"] for r in j.get("repeats", []))
    wrong = []
    for j in doc["claims"]:
        n = text.count(plain(f"“{j['quote']}”"))
        if n != expected[j["quote"]]:
            wrong.append(f"{j['claim_id']}: {n} times, expected {expected[j['quote']]}: “{j['quote']}”")
    assert not wrong, "quotes printed too often or not at all:\n" + "\n".join(wrong)


def test_pdf_prints_the_list_of_errors(latest_full, judged, pdf):
    """The overview's list of errors prints each figure with why (not as an empty heading): every error of the
    edition, as its figure followed by its why."""
    _, pages = pdf
    text = "".join(PAGE_NUMBER.sub("", p) for p in pages)
    wrong = []
    for j in judged(latest_full)["claims"]:
        wanted = 1 if j["verdict"] == "inconsistent" else 0
        if not wanted:
            continue
        n = len(re.findall(re.escape(plain(j["figure"])) + r"[^“”]{0,4}" + re.escape(plain(j["why"])[:30]), text))
        if n < wanted:
            wrong.append(f"{j['claim_id']}: its figure and why printed {n} times, expected {wanted}")
    assert not wrong, "sections printed empty:\n" + "\n".join(wrong)


def _pgm(data: bytes) -> tuple[int, int, bytes]:
    """A binary PGM (P5, 8 bit) as width, height and its pixels."""
    fields, pos = [], 0
    while len(fields) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos)
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    assert fields[0] == b"P5" and int(fields[3]) < 256, fields
    return int(fields[1]), int(fields[2]), data[pos + 1:]


def test_pdf_has_no_half_blank_page(pdf, tmp_path):
    """Every page but the last is printed at least half way down (a card or a chart kept whole no longer
    leaves half a page blank); the pages are drawn with poppler's pdftoppm and their ink measured."""
    import shutil
    import subprocess

    if not shutil.which("pdftoppm"):
        pytest.fail("pdftoppm not found: install Debian's poppler-utils (make system-deps)")
    body, pages = pdf
    (tmp_path / "book.pdf").write_bytes(body)
    subprocess.run(["pdftoppm", "-gray", "-r", "24", str(tmp_path / "book.pdf"), str(tmp_path / "p")], check=True)
    shots = sorted(tmp_path.glob("p-*.pgm"))
    assert len(shots) == len(pages)
    margin = export.PAGE_MARGIN_MM
    sparse = []
    for n, shot in enumerate(shots[:-1], start=1):
        width, height, pixels = _pgm(shot.read_bytes())
        top, bottom = round(height * margin["top"] / 297), round(height * (297 - margin["bottom"]) / 297)
        inked = [y for y in range(top, bottom) if min(pixels[y * width:(y + 1) * width]) < 160]
        filled = ((inked[-1] - top) / (bottom - top)) if inked else 0.0
        if filled < 0.5:
            sparse.append(f"page {n}: printed {filled:.0%} of the way down")
    assert not sparse, "half-blank pages:\n" + "\n".join(sparse)


# ---- links -----------------------------------------------------------------------------------------
def link_problems(book) -> list[str]:
    """Every link to a file of the book that leads nowhere, and every #anchor without its element."""
    ids: dict[str, set[str]] = {}

    def ids_of(path) -> set[str]:
        key = str(path)
        if key not in ids:
            soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
            ids[key] = {el["id"] for el in soup.find_all(id=True)} | {a["name"] for a in soup.find_all("a", attrs={"name": True})}
        return ids[key]

    missing = []
    for rel in expected_pages():
        for href in _links(book, rel):
            parts = urlparse(href)
            if parts.scheme or parts.netloc or href.startswith(("mailto:", "javascript:")):
                continue
            target = (book / rel).parent / unquote(parts.path) if parts.path else book / rel
            if not target.resolve().exists():
                missing.append(f"{rel}: {href} (no such file)")
            elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in ids_of(target.resolve()):
                missing.append(f"{rel}: {href} (no element #{parts.fragment})")
    return missing


def test_every_local_link_and_anchor_resolves(book):
    check("links", "", link_problems(book), "dead local links")


@pytest.mark.parametrize("bug", bug_params("links"))
def test_known_link_bug_is_fixed(book, bug):
    left = [p for p in link_problems(book) if bug.matches("", p)]
    assert not left, f"{len(left)} dead links, e.g.:\n" + "\n".join(left[:5])

def test_book_publishes_no_sources_and_no_machine_paths(book, book_root):
    """The notebooks' sources are not published (``_sources``), and no page, script or table names the
    folder the book was built in."""
    assert not (book / "_sources").exists(), "_build/html/_sources publishes the page sources (html_copy_source)"
    needle = str(book_root.resolve()).encode()
    leaks = [p.relative_to(book).as_posix() for p in book.rglob("*")
             if p.is_file() and p.suffix in (".html", ".js", ".csv", ".json", ".txt", ".svg") and needle in p.read_bytes()]
    assert not leaks, f"files naming the build folder {needle.decode()}: {leaks[:10]}"
