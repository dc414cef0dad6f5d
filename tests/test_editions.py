"""Editions come from data: a new year needs data only, editions stand alone, and a chapter is published only
while it has something to check.

* A year that exists only in a temporary data folder outside the repository (an article, its source,
  its claims with every column of the schema, and a ``mentions.csv`` row with a reason for each of its
  numbers that is not a claim, written by hand or drafted) is judged, and builds into the book without a
  change to the code, the templates or ``book/``: its pages (the overview, one per chapter with a
  statistic, the fact-check page) are executed, published in the toc (first: it is the newest edition) and
  built, its verdict table and its PDF are offered for download; with drafted rows, each page says first
  that it is a draft and how many rows await review, and the landing page lists it first, as a draft.
* Editions stand alone: adding one rewrites no other edition's judged file, executes only its own pages and
  the pages that list every edition (the landing page, the cross-year chapter, the about page), leaves the
  other editions' published pages byte for byte as they were, and prints only its own PDF (the others come
  from the cache, unchanged).
* A chapter whose statistics all move elsewhere is no longer published: its page leaves the edition and
  the toc (on the real data, with fake executions; ``test_incremental.py`` shows the same on a small package).
* An unknown year is refused at once, listing the years available.
"""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest
from buildcopies import YEAR, copy_tree, fake_build, reference_build, run_cli, snapshot

from factcheck import chapters
from factcheck.errors import InputError

NEW_YEAR = 2025
ARTICLE = "示例日报2026年报道:江门高新区2025年国家高新技术企业超750家,专利授权量3500件,同比增长10.00%。\n"


def append(path: Path, row: dict) -> None:
    """One row, by column name; a name that is not a column of the file is a mistake of the test."""
    with path.open(encoding="utf-8") as f:
        header = next(csv.reader(f))
    unknown = sorted(set(row) - set(header))
    assert not unknown, f"{path.name} has no column(s) {unknown}"
    with path.open("a", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerow([row.get(h, "") for h in header])


def add_year_2025(data: Path, *, draft_the_rest: bool = False) -> None:
    """What an analyst adds for a new year: the article, its source, its claims, its other numbers (or, with
    ``draft_the_rest``, the rows ``python -m factcheck draft --write`` proposes for them, not yet reviewed)."""
    (data / "articles" / "example-2026.txt").write_text(ARTICLE, encoding="utf-8")
    append(data / "sources.csv", {
        "source_id": "example-2026", "publisher": "示例日报", "origin": "示例日报", "title": "测试用报道",
        "published": "2026-02-01", "url": "https://example.org/2026", "tier": "1", "covers": "2025年测试数据",
        "accessed": "2026-02-02", "text_file": "articles/example-2026.txt", "text_scope": "full"})
    base = {"year": "2025", "source_id": "example-2026", "kind": "statistic", "geography": "江门高新区",
            "period": "2025"}
    append(data / "claims.csv", {**base, "claim_id": "2025-hte", "chapter": "enterprises",
                                 "quote": "国家高新技术企业超750家", "figure": "750", "value": "750",
                                 "qualifier": ">", "unit": "家", "indicator": "high_tech_enterprises",
                                 "check": "stated"})
    append(data / "claims.csv", {**base, "claim_id": "2025-granted", "chapter": "ip",
                                 "quote": "专利授权量3500件", "figure": "3500", "value": "3500", "qualifier": "=",
                                 "unit": "件", "indicator": "patents_granted", "check": "stated"})
    append(data / "claims.csv", {**base, "claim_id": "2025-granted-growth", "chapter": "ip",
                                 "quote": "专利授权量3500件,同比增长10.00%", "figure": "10.00", "value": "10.00",
                                 "qualifier": "=", "unit": "%", "indicator": "patents_granted_growth",
                                 "check": "formula", "formula": "(cur / prev - 1) * 100",
                                 "bindings": "cur=claim:2025-granted; prev=patents_granted@江门高新区@2024"})
    if draft_the_rest:
        from factcheck.cli import main

        assert main(["draft", "--data", str(data), "--source", "example-2026", "--write"]) == 0
        return
    # the article's other numbers: the years (its offsets count characters of the text)
    for mention, reason in (("2026年", "报道发表的年份"), ("2025年", "数字所指的年份")):
        append(data / "mentions.csv", {"source_id": "example-2026", "offset": str(ARTICLE.index(mention)),
                                       "mention": mention, "reason": reason})


def pages_of(repo: Path) -> tuple[dict[str, str], str]:
    """The page names of the chapters (by id) and of the fact-check page, from ``repo``'s chapters.yml."""
    listed = chapters.chapters(repo / "book" / "chapters.yml")
    return {c.id: c.page for c in listed}, f"{len(listed) + 1:02d}_factcheck"


NEW_CHAPTERS = ["enterprises", "ip"]  # the chapters of the claims above: the only ones published for 2025
VERDICTS = {"2025-hte": "stated", "2025-granted": "stated", "2025-granted-growth": "inconsistent"}


@pytest.fixture(scope="module")
def new_data(tmp_path_factory) -> Path:
    """The repository's data with the year 2025 added, in a folder outside any repository."""
    data = tmp_path_factory.mktemp("edition") / "my-data"
    shutil.copytree(Path(__file__).resolve().parent.parent / "data", data)
    add_year_2025(data)
    return data


def test_verdicts_for_a_year_that_only_exists_in_a_temporary_folder(new_data: Path, tmp_path: Path) -> None:
    from factcheck.edition import Edition
    from factcheck.judged import stage as judge

    assert NEW_YEAR in judge(new_data, tmp_path, NEW_YEAR)
    edition = Edition.read(tmp_path, NEW_YEAR)
    # 3500 / 1.1000 = 3181.8: no whole base gives 10.00 % (3181 gives 10.03 %, 3182 gives 9.99 %)
    assert {j["claim_id"]: j["verdict"] for j in edition.claims} == VERDICTS
    assert edition.published_chapters() == NEW_CHAPTERS
    assert edition.doc["full"]


def test_unknown_year_fails_at_once_listing_the_years(tmp_path: Path) -> None:
    from factcheck.load import load
    from factcheck.publish import runner

    data = Path(__file__).resolve().parent.parent / "data"
    years = ", ".join(map(str, load(data).years))
    shutil.copyfile(data.parent / "_config.yml", tmp_path / "_config.yml")
    with pytest.raises(InputError) as err:
        runner.build(1999, data, layout=runner.Layout(tmp_path), book=False)
    assert err.value.parameter == "year"
    assert f"no claims for year 1999; years available: {years}" in str(err.value)
    assert not (tmp_path / "book" / "editions" / "1999").exists()


def test_adding_an_edition_rewrites_no_other_editions_judged_file(new_data: Path, tmp_path: Path) -> None:
    """Each judged file holds what its edition shows: its own article's figures, and the outside figures of the
    indicators it uses up to the year it describes (a target's up to its due year), never another article's."""
    from factcheck.judged import stage as judge

    before, after = tmp_path / "before", tmp_path / "after"
    judge(Path(__file__).resolve().parent.parent / "data", before)
    judge(new_data, after)
    for old in sorted(before.glob("[0-9][0-9][0-9][0-9].json")):
        assert (after / old.name).read_bytes() == old.read_bytes(), f"adding {NEW_YEAR} rewrote {old.name}"
    assert (after / "book.json").read_bytes() != (before / "book.json").read_bytes()
    from factcheck.edition import Book, Edition

    for year in Book.read(after).years:
        e = Edition.read(after, year)
        own = {j["claim_id"] for j in e.claims}
        article = [f for f in e.doc["figures"] if f["claim_id"]]
        assert {f["claim_id"] for f in article} <= own, f"{year}: another edition's article figure"
        due = {j["indicator"]: j["target"]["due"] for j in e.claims if j.get("target") and j["target"]["due"]}
        late = [f for f in e.doc["figures"] if not f["claim_id"] and f["period"] > max(
            year, due.get(f["indicator"], year), *(due.get(i, year) for i in ("evaluation_rank", "zones_evaluated")
                                                   if f["indicator"] in ("evaluation_rank", "zones_evaluated")))]
        assert not late, f"{year}: outside figures after the year it describes: {late[:3]}"
    assert Book.read(after).years == [*Book.read(before).years, NEW_YEAR]


def _hashes(root: Path, *patterns: str) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for pattern in patterns for p in sorted(root.glob(pattern))}


@pytest.mark.slow
def test_book_builds_for_a_new_year_without_code_changes(tmp_path_factory, tmp_path) -> None:
    repo = copy_tree(reference_build(tmp_path_factory), tmp_path / "repo")
    data = tmp_path / "my-data"  # outside the repository
    shutil.copytree(snapshot(tmp_path_factory) / "data", data)
    add_year_2025(data, draft_the_rest=True)  # the two years of the article: drafted rows await review
    years = sorted(p.stem for p in (repo / "_build" / "judged").glob("[0-9][0-9][0-9][0-9].json"))
    others = _hashes(repo, "book/editions/[0-9][0-9][0-9][0-9]/*.ipynb", "_build/judged/[0-9][0-9][0-9][0-9].json",
                     "_build/html/_downloads/*.pdf")
    # The copy sits at another path than the build it was made from: the judged stage runs again (to the same files).
    result = run_cli(repo, "build", "--year", str(NEW_YEAR), "--data", str(data))
    assert result.returncode == 0, result.stderr[-3000:]

    names, factcheck = pages_of(repo)
    pages = ["00_overview", *(names[c] for c in NEW_CHAPTERS), factcheck]
    edition = repo / "book" / "editions" / str(NEW_YEAR)
    assert sorted(p.stem for p in edition.glob("*.ipynb")) == sorted(pages)
    # only the new edition's pages ran, and the pages that list every edition
    executed = sorted(re.findall(r"\[factcheck\] execute (\S+):", result.stderr))
    assert executed == sorted([*(f"book/editions/{NEW_YEAR}/{p}.ipynb" for p in pages), "book/index.ipynb",
                               "book/cross_year.ipynb", "book/about.ipynb"]), executed
    # the other editions' pages, judged files and PDFs are byte for byte what they were
    now = _hashes(repo, "book/editions/[0-9][0-9][0-9][0-9]/*.ipynb", "_build/judged/[0-9][0-9][0-9][0-9].json",
                  "_build/html/_downloads/*.pdf")
    changed = sorted(name for name in others if now.get(name) != others[name])
    assert not changed, f"adding {NEW_YEAR} changed {changed}"
    pdf = repo / "_build" / "html" / "_downloads" / f"jiangmen-factcheck-{NEW_YEAR}.pdf"
    assert pdf.is_file() and pdf.read_bytes().startswith(b"%PDF-")
    toc = (repo / "_toc.yml").read_text(encoding="utf-8")
    for name in pages:
        assert f"book/editions/{NEW_YEAR}/{name}\n" in toc, f"{name} is not in the toc"
    first = toc.index("book/editions/")
    assert toc.startswith(f"book/editions/{NEW_YEAR}/", first), "the latest full edition does not come first"
    assert f"book/editions/{YEAR}/00_overview" in toc  # the other editions stay

    html = repo / "_build" / "html" / "book" / "editions" / str(NEW_YEAR)
    assert sorted(p.stem for p in html.glob("*.html")) == sorted(pages)
    text = (html / f"{factcheck}.html").read_text(encoding="utf-8")
    assert "2025-granted-growth" in text and "数字有误" in text
    assert f"jiangmen-factcheck-{NEW_YEAR}.pdf" in text
    ip = (html / f"{names['ip']}.html").read_text(encoding="utf-8")
    # the chapter's introduction names figures the 2025 data do not have: their sentence is left out
    assert "每万人口的拥有量等于拥有量除以常住人口" in ip and "本版江门高新区高价值发明专利拥有量" not in ip
    assert "为未找到" not in ip
    for name in pages:  # each page says first that the edition is a draft, and how many rows await review
        page = (html / f"{name}.html").read_text(encoding="utf-8")
        outputs = page[page.index("<main"):].split('class="cell_output')
        assert 'class="draft-notice"' in outputs[1], f"{name}: the first output is not the draft notice"
        assert "本版有2行登记由程序拟定" in page, name
    reviewed = (repo / "_build" / "html" / "book" / "editions" / YEAR / "00_overview.html").read_text(encoding="utf-8")
    assert "draft-notice" not in reviewed
    assert (repo / "_build" / "html" / "_downloads" / f"verdicts-{NEW_YEAR}.csv").is_file()
    index = (repo / "_build" / "html" / "book" / "index.html").read_text(encoding="utf-8")
    assert f"editions/{NEW_YEAR}/" in index  # the landing page presents the latest full edition
    listed = re.findall(r'<li class="edition-item"><a href="editions/(\d{4})/00_overview.html">', index)
    assert listed == [str(y) for y in sorted([NEW_YEAR, *map(int, years)], reverse=True)], listed
    first = index[index.index('<li class="edition-item">'):]
    first = first[:first.index("</li>")]
    assert "示例日报" in first and "2026年2月1日刊出" in first and "核查全文" in first and "草稿：2行" in first, first


@pytest.mark.slow
def test_chapter_without_statistics_leaves_the_edition_and_the_toc(tmp_path_factory, tmp_path) -> None:
    repo = copy_tree(reference_build(tmp_path_factory), tmp_path / "repo")
    html = repo / "_build" / "html"
    names, _ = pages_of(repo)
    published = [c for c in names if (repo / "book" / "editions" / YEAR / f"{names[c]}.ipynb").is_file()]
    assert len(published) >= 2
    gone, other = published[-1], published[0]
    page = f"book/editions/{YEAR}/{names[gone]}"
    assert (html / f"{page}.html").is_file() and f"{page}\n" in (repo / "_toc.yml").read_text(encoding="utf-8")

    # every claim of the chapter moves to another chapter: the chapter has nothing left to check
    path = repo / "data" / "claims.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    moved = 0
    for row in rows[1:]:
        if row[header.index("year")] == YEAR and row[header.index("chapter")] == gone:
            row[header.index("chapter")] = other
            moved += 1
    assert moved
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)

    report = fake_build(repo)
    assert "error" not in report, report
    assert f"{page}.ipynb" not in report["executed"]
    assert f"book/editions/{YEAR}/{names[other]}.ipynb" in report["executed"]
    assert report["book_built"]  # (a fake book: jupyter-book builds only what the toc names)
    assert not (repo / f"{page}.ipynb").exists(), "the page of a chapter with nothing to check is still published"
    toc = (repo / "_toc.yml").read_text(encoding="utf-8")
    assert f"{page}\n" not in toc
    assert f"book/editions/{YEAR}/{names[other]}\n" in toc
