"""Incremental builds: when the judged stage runs, which pages are executed again, when the book is rebuilt.

Most tests lay out a small repository in a temporary folder (the real templates of ``notebooks/``, a copy
of the ``factcheck/`` package whose code the manifest hashes, a small data package from ``make_package``)
and replace the runner's ``execute`` by a fake that writes the page and reports what a real kernel reads:
an edition's page its judged file and ``book/chapters.yml``; the landing page those of the edition it
presents and the book's judged file; the cross-year chapter every judged file; the about page the book's.
So they exercise the judged stage, the planning, the manifest, the staged swap, the toc and the book
decision without starting a kernel. The judged stage and the validation are real.

The tests marked slow work on a copy of the session's real book (:func:`buildcopies.reference_build`),
whose manifest holds what the real kernels read: the no-op build, the pages that read
``book/chapters.yml``, and one real kernel reporting the files it read.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import threading
import time
from pathlib import Path

import nbformat
import papermill
import pytest
from buildcopies import YEAR, copy_tree, fake_build, published, reference_build, tree_hash

from factcheck import chapters
from factcheck.errors import InputError
from factcheck.publish import runner
from factcheck.publish.manifest import Manifest, sha_file

REPO = Path(__file__).resolve().parent.parent
PAGE_MODULES = ("edition", "present", "figures", "charts", "chapters", "words", "vocabulary", "load")
"""Modules a page's kernel imports (what a real kernel reports, see test_a_real_kernel_reports_the_files_it_read)."""

def page(chapter: str) -> str:
    return f"{chapters.get(chapter).page}.ipynb"


def edition_pages(year: int, *chapter_ids: str) -> list[str]:
    """The pages of an edition whose published chapters are ``chapter_ids``, as the build reports them."""
    names = ["00_overview.ipynb", *(page(c) for c in chapter_ids), f"{chapters.factcheck_page()}.ipynb"]
    return [f"book/editions/{year}/{n}" for n in names]


INDEX, CROSS, ABOUT = "book/index.ipynb", "book/cross_year.ipynb", "book/about.ipynb"
# The small package: 2022 checks a figure in the chapters ip and rd (its own article, full text), 2023 one
# in ip (another article, excerpts).
PAGES_2022 = edition_pages(2022, "rd", "ip")
PAGES_2023 = edition_pages(2023, "ip")

CLAIMS = [
    {"claim_id": "2022-a", "indicator": "patents", "value": "120", "quote": "专利120件"},
    {"claim_id": "2022-rd", "indicator": "rd_expenditure", "value": "16.28", "quote": "研发经费16.28亿元"},
    {"claim_id": "2023-a", "year": 2023, "indicator": "patents", "value": "130", "quote": "专利130件",
     "source_id": "art23"},
]
INPUTS = [{"indicator": "gdp", "geography": "江海区", "period": 2022, "value": "302.1"}]
SOURCES = [{"source_id": "art23", "publisher": "测试晚报", "origin": "测试晚报", "title": "另一篇", "published": "2024",
            "url": "", "tier": "1", "covers": "2023", "accessed": "2026-11-25", "text_file": "articles/art23.txt",
            "text_scope": "excerpts", "note": ""}]


class Repo:
    """The small repository: ``build(year, **kw)`` returns the sorted pages executed; ``report``, ``books``."""

    def __init__(self, root: Path, data: Path, make_package) -> None:
        self.root, self.data, self.make_package = root, data, make_package
        self.claims = list(CLAIMS)
        self.layout = runner.Layout(root)
        self.executed: list[str] = []
        self.books: list[str] = []
        self.report: runner.BuildReport | None = None

    def build(self, year: int = 2022, data: Path | None = None, **kw) -> list[str]:
        self.executed.clear()
        self.books.clear()
        self.report = runner.build(year, data or self.data, layout=self.layout, workers=2, **kw)
        assert sorted(self.report.executed) == sorted(self.executed)
        return sorted(self.executed)

    def manifest(self) -> Manifest:
        return Manifest.read(self.layout.manifest)

    @property
    def book_pages(self) -> list[str]:
        """The pages every build executes besides its edition's (the landing page, the cross-year chapter…)."""
        return sorted(t for t in self.manifest().notebooks if Path(t).parent == Path("book"))

    def all(self, year: int = 2022) -> list[str]:
        """Every page a build of ``year`` executes when everything changed."""
        return sorted([*(PAGES_2022 if year == 2022 else PAGES_2023), *self.book_pages])

    def readers(self, year: int | str, built: int = 2022) -> list[str]:
        """The pages of a build of ``built`` that read ``year``'s judged file (``"book"``: the book's), as the
        manifest recorded."""
        name = f"_build/judged/{year}.json"
        return sorted(t for t, rec in self.manifest().notebooks.items()
                      if name in (rec.get("reads") or {}) and t in self.all(built))

    def judged(self, year: int) -> bytes:
        return (self.layout.judged / f"{year}.json").read_bytes()

    def edition(self, year: int = 2022) -> list[str]:
        return sorted(p.name for p in (self.layout.editions / str(year)).glob("*.ipynb"))

    def toc(self) -> str:
        return self.layout.toc.read_text(encoding="utf-8")

    def rewrite_data(self, claims: list[dict]) -> None:
        """Replace the package's tables and texts by those of a package with ``claims`` (same folder)."""
        self.claims = list(claims)
        new = self.make_package(self.root / "scratch", claims=claims, inputs=INPUTS, sources=SOURCES,
                                articles=articles(claims))
        shutil.rmtree(self.data)
        shutil.copytree(new, self.data)
        shutil.rmtree(self.root / "scratch")


def articles(claims: list[dict]) -> dict[str, str]:
    return {"art23": "".join(c["quote"] + "\n" for c in claims if c.get("source_id") == "art23")}


@pytest.fixture
def repo(tmp_path, make_package, monkeypatch) -> Repo:
    root = tmp_path / "repo"
    shutil.copytree(REPO / "notebooks", root / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    shutil.copytree(REPO / "factcheck", root / "factcheck", ignore=shutil.ignore_patterns("__pycache__"))
    (root / "book" / "editions").mkdir(parents=True)
    shutil.copyfile(REPO / "book" / "chapters.yml", root / "book" / "chapters.yml")
    (root / "book" / "methods.md").write_text("# 方法\n", encoding="utf-8")
    shutil.copyfile(REPO / "_config.yml", root / "_config.yml")
    (root / "requirements.txt").write_text("papermill\n", encoding="utf-8")
    data = make_package(root, claims=CLAIMS, inputs=INPUTS, sources=SOURCES, articles=articles(CLAIMS))
    r = Repo(root, data, make_package)
    lock = threading.Lock()

    def fake_execute(job: runner.Job) -> runner.Job:
        job.started = time.perf_counter()
        p = job.parameters
        job.staging.parent.mkdir(parents=True, exist_ok=True)
        judged = (job.staging.parent / p["judged_dir"]).resolve()
        # the page as the build writes it, its cells not run: the template with its parameters injected
        papermill.execute_notebook(str(job.source), str(job.staging), parameters=p, prepare_only=True,
                                   progress_bar=False, kernel_name="python3")
        edition_page = job.staging.parent.name.endswith(".staging")  # it notes the judged file it shows
        runner.tidy(job.staging, year=p.get("year"), title=job.title, edition="版本",
                    judged=sha_file(judged / f"{p['year']}.json") if edition_page else None)
        if job.target.name == "cross_year.ipynb":
            job.reads = sorted(judged.glob("*.json"))
        elif job.target.name == "about.ipynb":
            job.reads = [judged / "book.json"]
        else:
            job.reads = [judged / f"{p['year']}.json", (root / "book" / "chapters.yml").resolve()]
            if job.target.name == "index.ipynb":
                job.reads.append(judged / "book.json")
        # as a real kernel reports them: the modules the pages import (no engine code)
        job.reads += [(root / "factcheck" / f"{m}.py").resolve() for m in PAGE_MODULES]
        with lock:
            r.executed.append(str(job.target.relative_to(root)))
        job.ended = time.perf_counter()
        return job

    def fake_build_book(layout: runner.Layout, data_dir: Path) -> dict:
        layout.html.mkdir(parents=True, exist_ok=True)
        (layout.html / "index.html").write_text("<html></html>", encoding="utf-8")
        r.books.append(str(data_dir))
        return {}

    monkeypatch.setattr(runner, "execute", fake_execute)
    monkeypatch.setattr(runner, "build_book", fake_build_book)
    return r


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def append_row(path: Path, row: dict) -> None:
    with path.open(encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    assert set(row) <= set(header), set(row) - set(header)
    with path.open("a", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerow([row.get(h, "") for h in header])


def requote(repo: Repo, claim_id: str, quote: str) -> None:
    """A longer quote for one claim (and its article): only the judged file of the claim's edition changes
    (the other editions show its figure, not its words)."""
    repo.rewrite_data([{**c, "quote": quote} if c["claim_id"] == claim_id else c for c in repo.claims])


# ---- the first build, and a build with nothing changed -----------------------------------------
def test_first_build_judges_executes_every_page_and_records_what_each_read(repo):
    executed = repo.build()
    assert {INDEX, CROSS} <= set(repo.book_pages)
    assert executed == repo.all() == sorted([*PAGES_2022, *repo.book_pages])
    assert repo.report.judged and repo.books
    assert sorted(p.name for p in repo.layout.judged.glob("*.json")) == ["2022.json", "2023.json", "book.json"]
    # one page per published chapter (those with a statistic), plus the overview and the fact-check page
    assert repo.edition() == sorted(Path(p).name for p in PAGES_2022)
    m = json.loads(repo.layout.manifest.read_text(encoding="utf-8"))
    assert sorted(m["notebooks"]) == executed
    assert sorted(m["notebooks"][PAGES_2022[0]]["reads"]) == ["_build/judged/2022.json", "book/chapters.yml",
                                                              *sorted(f"factcheck/{m}.py" for m in PAGE_MODULES)]
    assert sorted(m["notebooks"][CROSS]["reads"]) == ["_build/judged/2022.json", "_build/judged/2023.json",
                                                      "_build/judged/book.json",
                                                      *sorted(f"factcheck/{m}.py" for m in PAGE_MODULES)]
    assert "_build/judged/book.json" in m["notebooks"][INDEX]["reads"] and "year" not in m["notebooks"][ABOUT]["parameters"]
    assert m["notebooks"][page_of(repo, "ip")]["parameters"]["chapter"] == "ip"
    assert {"claims.csv", "sources.csv", "inputs.csv", "articles/art.txt"} <= set(m["judged"]["files"])
    assert sorted(m["judged"]["outputs"]) == ["2022.json", "2023.json", "book.json"]
    toc = repo.toc()
    for p in PAGES_2022:
        assert p.removesuffix(".ipynb") in toc
    assert "book/editions/2023" not in toc  # not built, so not published


def page_of(repo: Repo, chapter: str, year: int = 2022) -> str:
    return f"book/editions/{year}/{page(chapter)}"


def test_nothing_changed_executes_nothing_skips_the_judged_stage_and_keeps_the_book(repo):
    repo.build()
    before = tree_hash(repo.root / "book", repo.layout.judged, repo.layout.toc, repo.layout.html)
    manifest = repo.layout.manifest.read_bytes()
    assert repo.build() == []
    assert sorted(repo.report.skipped) == repo.all()
    assert not repo.report.judged, "the judged stage ran although no file it read changed"
    assert repo.books == [] and not repo.report.book_built
    assert tree_hash(repo.root / "book", repo.layout.judged, repo.layout.toc, repo.layout.html) == before
    assert repo.layout.manifest.read_bytes() == manifest


# ---- code and templates -------------------------------------------------------------------------
def test_page_code_change_executes_every_page(repo):
    repo.build()
    with (repo.root / "factcheck" / "present.py").open("a", encoding="utf-8") as fh:
        fh.write("\nPAGE_RULE = 2\n")
    assert repo.build() == repo.all()
    assert set(repo.report.reasons.values()) == {"data file factcheck/present.py changed"}
    assert repo.books


def test_a_module_no_page_imports_executes_nothing_but_rebuilds_the_book(repo):
    repo.build()
    (repo.root / "factcheck" / "extra.py").write_text("", encoding="utf-8")
    assert repo.build() == []
    assert repo.report.judged  # the judged stage is keyed on the whole package
    assert repo.books[-1:]  # and the book on its code


def test_engine_wording_change_of_one_claim_executes_only_the_pages_of_its_edition(repo, monkeypatch):
    """The engine words one 2022 claim anew (a change to ``factcheck/wording.py``): the judged stage runs
    again and rewrites 2022's judged file only; the pages reading it run again, and no page of 2023."""
    repo.build(2022)
    assert repo.build(2023) == PAGES_2023
    judged_2023 = repo.judged(2023)
    judged_2022 = repo.judged(2022)
    with (repo.root / "factcheck" / "wording.py").open("a", encoding="utf-8") as fh:
        fh.write("\n# why() words claim 2022-a anew\n")
    from factcheck import wording

    why = wording.why
    monkeypatch.setattr(wording, "why", lambda j, sources: why(j, sources) + ("(修订)" if j["claim_id"] == "2022-a" else ""))

    assert repo.build(2022) == repo.readers(2022)
    assert repo.report.judged
    assert repo.judged(2022) != judged_2022 and "(修订)" in repo.judged(2022).decode("utf-8")
    assert repo.judged(2023) == judged_2023
    assert repo.build(2023) == [], "pages of 2023 ran again although their judged file did not change"


def add_cell(template: Path, text: str) -> None:
    nb = json.loads(template.read_text(encoding="utf-8"))
    nb["cells"].append({"cell_type": "markdown", "id": "added", "metadata": {}, "source": text})
    template.write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")


def test_template_change_executes_only_its_pages(repo):
    repo.build()
    add_cell(repo.root / "notebooks" / "overview.ipynb", "新的一段。")
    assert repo.build() == [PAGES_2022[0]]
    assert repo.report.reasons == {PAGES_2022[0]: "notebook source changed"}
    assert not repo.report.judged
    add_cell(repo.root / "notebooks" / "chapter.ipynb", "新的一段。")
    assert repo.build() == sorted([page_of(repo, "rd"), page_of(repo, "ip")])  # the template of every chapter


def test_another_year_executes_only_its_edition(repo):
    repo.build(2022)
    # the landing page stays on the latest full edition (2022; 2023 checks excerpts); the pages that list every
    # edition read the book's judged file, which already listed 2023
    assert repo.build(2023) == PAGES_2023
    assert repo.build(2022) == []
    assert repo.edition(2023) == sorted(Path(p).name for p in PAGES_2023)
    toc = repo.toc()
    assert "book/editions/2022/00_overview" in toc and "book/editions/2023/00_overview" in toc
    assert toc.index("book/editions/2023/00_overview") < toc.index("book/editions/2022/00_overview"), "newest first"


def test_a_new_edition_executes_the_pages_that_list_every_edition_and_no_other_edition(repo):
    """A 2024 article is added: its judged file is new, the book's changes, the other editions' do not; the pages
    that list every edition run again, no page of another edition does."""
    repo.build(2022)
    before = repo.judged(2022), repo.judged(2023)
    repo.rewrite_data([*CLAIMS, {"claim_id": "2024-a", "year": 2024, "indicator": "patents", "value": "140",
                                 "quote": "专利140件", "source_id": "art23"}])
    executed = repo.build(2022)
    assert executed == sorted([INDEX, CROSS, ABOUT])
    assert repo.report.reasons[ABOUT] == "data file _build/judged/book.json changed"
    assert (repo.layout.judged / "2024.json").is_file()
    assert (repo.judged(2022), repo.judged(2023)) == before


def test_moved_data_folder_is_judged_again_but_executes_nothing(repo):
    repo.build()
    moved = repo.root / "data-elsewhere"
    shutil.copytree(repo.data, moved)
    assert repo.build(data=moved) == []
    assert repo.report.judged  # another folder: judged again, to the same judged files
    assert repo.books == []  # the same data, so the same downloads


# ---- data ---------------------------------------------------------------------------------------
def test_data_change_executes_only_the_pages_that_read_the_changed_judged_file(repo):
    repo.build()
    before = repo.judged(2022)
    requote(repo, "2023-a", "去年专利130件")
    readers = repo.readers(2023)
    assert CROSS in readers and not set(readers) & {*PAGES_2022, INDEX}
    assert repo.build() == readers
    assert set(repo.report.reasons.values()) == {"data file _build/judged/2023.json changed"}
    assert repo.report.judged and repo.judged(2022) == before
    assert repo.books, "the data changed, so the data package offered by the book must be rebuilt"

    requote(repo, "2022-a", "今年专利120件")
    readers = repo.readers(2022)
    assert {*PAGES_2022, INDEX, CROSS} <= set(readers)
    assert repo.build() == readers
    assert set(repo.report.reasons.values()) == {"data file _build/judged/2022.json changed"}


def test_data_change_that_changes_no_judged_file_executes_nothing(repo):
    repo.build()
    with (repo.data / "articles" / "art23.txt").open("a", encoding="utf-8") as fh:
        fh.write("其他内容照旧。\n")
    assert repo.build() == []
    assert repo.report.judged  # the package is still validated and judged as a whole
    assert repo.books  # ... and the book's data download carries the new text


def test_invalid_data_change_is_refused_before_anything_runs(repo):
    repo.build()
    before = tree_hash(repo.root / "book", repo.layout.judged, repo.layout.toc)
    edit(repo.data / "inputs.csv", "302.1", "abc")
    with pytest.raises(InputError, match="inputs.csv"):
        repo.build()
    assert repo.executed == [] and repo.books == []
    assert tree_hash(repo.root / "book", repo.layout.judged, repo.layout.toc) == before


def test_chapter_that_loses_its_statistics_is_dropped_from_the_edition_and_the_toc(repo):
    repo.build()
    rd = page_of(repo, "rd")
    assert (repo.root / rd).is_file() and rd.removesuffix(".ipynb") in repo.toc()
    repo.rewrite_data([c for c in CLAIMS if c["claim_id"] != "2022-rd"])
    readers = set(repo.readers(2022)) | set(repo.readers("book"))  # the book's file lists every figure too
    before = repo.judged(2023)
    executed = repo.build()
    assert repo.judged(2023) == before, "2023's judged file holds 2022's figure"
    assert rd not in executed
    assert executed == sorted(readers - {rd})
    assert not (repo.root / rd).exists(), "the page of a chapter with nothing to check is still published"
    assert rd.removesuffix(".ipynb") not in repo.toc()
    assert repo.edition() == sorted(Path(p).name for p in PAGES_2022 if p != rd)
    assert repo.books
    assert repo.build() == []  # and it stays dropped

    repo.rewrite_data(CLAIMS)  # the statistic is back: so is the page
    assert rd in repo.build()
    assert (repo.root / rd).is_file() and rd.removesuffix(".ipynb") in repo.toc()


# ---- published copies ---------------------------------------------------------------------------
def test_deleted_published_page_is_executed_again(repo):
    repo.build()
    target = page_of(repo, "ip")
    (repo.root / target).unlink()
    assert repo.build() == [target]
    assert repo.report.reasons == {target: "published copy missing"}
    assert repo.edition() == sorted(Path(p).name for p in PAGES_2022)  # the skipped ones were carried over


@pytest.mark.parametrize("target", [INDEX, CROSS])
def test_deleted_landing_page_or_cross_year_chapter_is_executed_again(repo, target):
    repo.build()
    (repo.root / target).unlink()
    assert repo.build() == [target]


def test_edited_published_page_is_executed_again(repo):
    repo.build()
    target = page_of(repo, "rd")
    edit(repo.root / target, "2022", "1999")
    assert repo.build() == [target]
    assert repo.report.reasons == {target: "published copy differs from the last build's"}


def test_force_executes_everything(repo):
    repo.build()
    assert repo.build(force=True) == repo.all()
    assert repo.report.judged and repo.books


def test_missing_or_corrupt_manifest_executes_everything(repo):
    repo.build()
    every = repo.all()
    repo.layout.manifest.write_text("{not json", encoding="utf-8")
    assert repo.build() == every
    repo.layout.manifest.unlink()
    assert repo.build() == every


def test_failed_execution_records_nothing_and_keeps_the_edition(repo, monkeypatch):
    repo.build()
    before = tree_hash(*published(repo.root, "2022"))
    requote(repo, "2022-a", "今年专利120件")
    readers = repo.readers(2022)
    good = runner.execute

    def failing(job):
        if job.target.name == "00_overview.ipynb":
            raise runner.BuildError("00_overview.ipynb: cell 3 failed: boom")
        return good(job)

    monkeypatch.setattr(runner, "execute", failing)
    with pytest.raises(runner.BuildError, match="00_overview"):
        repo.build()
    assert tree_hash(*published(repo.root, "2022")) == before
    assert [p.name for p in repo.layout.editions.glob(".*")] == []
    monkeypatch.setattr(runner, "execute", good)
    assert repo.build() == readers


def test_unknown_reads_execute_again(repo):
    repo.build()
    manifest = Manifest.read(repo.layout.manifest)
    manifest.notebooks[page_of(repo, "ip")]["reads"] = None
    manifest.write()
    assert repo.build() == [page_of(repo, "ip")]


def test_judged_stage_runs_again_when_a_judged_file_is_gone_or_edited(repo):
    repo.build()
    for year in (2023, 2022):
        before = repo.judged(year)
        path = repo.layout.judged / f"{year}.json"
        path.unlink() if year == 2023 else path.write_text("{}", encoding="utf-8")
        assert repo.build() == []  # written again as it was, so no page reads anything new
        assert repo.report.judged and repo.judged(year) == before


# ---- the book -----------------------------------------------------------------------------------
def test_book_source_change_rebuilds_the_book_only(repo):
    repo.build()
    (repo.root / "book" / "methods.md").write_text("# 方法(修订)\n", encoding="utf-8")
    assert repo.build() == []
    assert repo.books and repo.report.book_reason == "its sources changed"
    assert not repo.report.judged
    assert repo.build() == [] and repo.books == []


@pytest.mark.parametrize("path", ["_config.yml", "book/_static/factcheck.css"])
def test_config_and_static_changes_rebuild_the_book(repo, path):
    repo.build()
    target = repo.root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    before = target.read_text(encoding="utf-8") if target.exists() else ""
    target.write_text(before + "\n# changed\n" if path.endswith(".yml") else "/* changed */\n", encoding="utf-8")
    assert repo.build() == [] and repo.books


def test_the_toc_is_written_by_the_build(repo):
    repo.build()
    toc = repo.toc()
    repo.layout.toc.write_text(toc.replace("book/editions/2022/00_overview", "book/elsewhere"), encoding="utf-8")
    assert repo.build() == []
    assert repo.toc() == toc, "a hand-edited _toc.yml was not rewritten from the published editions"


def test_missing_html_rebuilds_the_book(repo):
    repo.build()
    (repo.layout.html / "index.html").unlink()
    assert repo.build() == [] and repo.books
    assert repo.report.book_reason == "no book in _build/html"


def test_no_book_build_leaves_the_book_for_the_next_build(repo):
    repo.build(book=False)
    assert repo.books == []
    assert repo.build() == [] and repo.books


# ---- parallelism --------------------------------------------------------------------------------
def test_jobs_run_in_parallel_bounded_by_the_cores(tmp_path, monkeypatch):
    running, peak = [0], [0]
    lock = threading.Lock()

    def slow(job):
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        job.started = time.perf_counter()
        time.sleep(0.1)
        job.ended = time.perf_counter()
        with lock:
            running[0] -= 1
        return job

    monkeypatch.setattr(runner, "execute", slow)
    jobs = [runner.Job(tmp_path / f"{i}.ipynb", tmp_path / "t", tmp_path / "s", {}) for i in range(6)]
    workers = runner.run_jobs(jobs, workers=64)
    assert workers == min(runner.cores(), 6)
    assert peak[0] == workers == runner.peak_parallel(jobs)
    assert runner.run_jobs(jobs, workers=1) == 1


def test_skipped_jobs_are_not_run(tmp_path, monkeypatch):
    monkeypatch.setattr(runner, "execute", lambda job: pytest.fail("executed a skipped job"))
    jobs = [runner.Job(tmp_path / "a.ipynb", tmp_path / "t", tmp_path / "s", {}, skipped=True)]
    assert runner.run_jobs(jobs, workers=2) == 0


# ---- what is read, and what the judged stage writes ---------------------------------------------
def test_loading_notes_every_file_read(make_package, tmp_path):
    from factcheck.load import load, reads

    root = make_package(tmp_path, claims=[{"indicator": "patents", "value": "120", "quote": "专利120件"}])
    ds = load(root)
    noted = set(reads())
    assert {(root / f"{t}.csv").resolve() for t in ("claims", "sources", "inputs", "indicators")} <= noted
    _ = ds.articles["art"]
    assert (root / "articles" / "art.txt").resolve() in reads()


def test_reading_a_judged_file_notes_it(make_package, tmp_path):
    from factcheck.edition import Edition
    from factcheck.judged import stage as judge
    from factcheck.load import reads

    root = make_package(tmp_path, claims=CLAIMS, sources=SOURCES, articles=articles(CLAIMS))
    out = tmp_path / "judged"
    assert judge(root, out) == {2022: True, 2023: True}
    edition = Edition.read(out, 2023)
    assert edition.published_chapters() == ["ip"]
    assert (out / "2023.json").resolve() in reads()


def test_judged_files_are_written_only_when_their_content_changes(make_package, tmp_path):
    from factcheck.judged import stage as judge

    root = make_package(tmp_path, claims=CLAIMS, sources=SOURCES, articles=articles(CLAIMS))
    out = tmp_path / "judged"
    judge(root, out)
    stamps = {p.name: p.stat().st_mtime_ns for p in out.glob("*.json")}
    time.sleep(0.01)
    assert judge(root, out) == {2022: False, 2023: False}
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.json")} == stamps


def test_tidy_takes_the_reads_out_of_the_trace_cell(tmp_path):
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell("year = 2022", metadata={"tags": ["injected-parameters"]})
    trace = nbformat.v4.new_code_cell(runner.TRACE_SOURCE, metadata={"tags": ["remove-cell", runner.TRACE_TAG]})
    report = {"package": str(tmp_path / "factcheck"), "reads": ["/d/a.json"]}
    trace.outputs = [nbformat.v4.new_output("stream", text=runner.TRACE_PREFIX + json.dumps(report) + "\n")]
    nb.cells = [params, nbformat.v4.new_markdown_cell("# {{chapter_title}}({{year}}年版)"), trace]
    path = tmp_path / "x.ipynb"
    nbformat.write(nb, path)
    assert runner.tidy(path, year=2022, title="研发*投入") == report
    out = nbformat.read(path, as_version=4)
    assert len(out.cells) == 2 and out.cells[1].source == r"# 研发\*投入(2022年版)"
    assert out.cells[0].id == "injected-parameters" and "remove-cell" in out.cells[0].metadata.tags


def test_reads_are_not_trusted_from_another_package_or_without_a_report(tmp_path):
    job = runner.Job(tmp_path / "a.ipynb", tmp_path / "t", tmp_path / "s", {}, package=tmp_path / "factcheck")
    assert runner._trusted_reads(job, {"package": str(tmp_path / "factcheck"), "reads": ["/d/a.json"]}) == [
        Path("/d/a.json")]
    assert runner._trusted_reads(job, {"package": None, "reads": []}) == []  # imported no factcheck
    assert runner._trusted_reads(job, {"package": "/elsewhere/factcheck", "reads": ["/d/a.json"]}) is None
    assert runner._trusted_reads(job, {"package": str(tmp_path / "factcheck"), "reads": None}) is None
    assert runner._trusted_reads(job, None) is None


def test_manifest_survives_a_round_trip(tmp_path):
    m = Manifest(tmp_path / "m.json")
    m.book = "k"
    m.write()
    assert Manifest.read(tmp_path / "m.json").book == "k"
    assert Manifest.read(tmp_path / "none.json").notebooks == {}


# ---- on the real book ---------------------------------------------------------------------------
@pytest.fixture
def built(tmp_path_factory, tmp_path) -> Path:
    """A private copy of the session's real book."""
    return copy_tree(reference_build(tmp_path_factory), tmp_path / "repo")


@pytest.mark.slow
def test_no_op_build_does_nothing_and_imports_neither_pandas_nor_papermill(built):
    # The copy is at another path than the build it was made from, and the judged stage notes the data
    # folder by its absolute path: a first build judges again (to the same files) and executes nothing.
    settle = fake_build(built, execute="real", book="real")
    assert "error" not in settle, settle
    assert settle["executed"] == [] and not settle["book_built"]
    before = tree_hash(*published(built), built / "_build" / "judged", built / "_build" / "manifest.json")
    report = fake_build(built, execute="real", book="real")
    assert "error" not in report, report
    assert report["executed"] == [] and len(report["skipped"]) > 5
    assert not report["judged"], "the judged stage ran on a no-op build"
    assert not report["book_built"]
    heavy = sorted({m.split(".")[0] for m in report["modules"]} & {"pandas", "papermill", "nbclient", "altair"})
    assert heavy == [], f"a no-op build imported {heavy}"
    assert "factcheck.validate" not in report["modules"]  # nothing was validated or judged
    assert tree_hash(*published(built), built / "_build" / "judged", built / "_build" / "manifest.json") == before


@pytest.mark.slow
def test_chapters_yml_change_executes_the_pages_that_read_it(built):
    """Every page of an edition and the landing page read ``book/chapters.yml`` (titles, introductions,
    charts, links); the cross-year chapter does not. The judged files do not change (they name chapters
    by id), and the new title reaches the toc."""
    path = built / "book" / "chapters.yml"
    first = chapters.chapters(path)[0]
    text = path.read_text(encoding="utf-8")
    assert text.count(f"title: {first.title}\n") == 1
    path.write_text(text.replace(f"title: {first.title}\n", f"title: {first.title}(修订)\n"), encoding="utf-8")
    judged = tree_hash(built / "_build" / "judged")
    report = fake_build(built)
    assert "error" not in report, report
    edition = sorted(f"book/editions/{YEAR}/{p.name}" for p in (built / "book" / "editions" / YEAR).glob("*.ipynb"))
    assert report["executed"] == sorted([*edition, INDEX])
    assert CROSS in report["skipped"]
    assert set(report["reasons"].values()) == {"data file book/chapters.yml changed"}
    assert tree_hash(built / "_build" / "judged") == judged
    assert f"{first.title}(修订)" in (built / "_toc.yml").read_text(encoding="utf-8")
    assert report["book_built"]


@pytest.mark.slow
def test_a_real_kernel_reports_the_files_it_read(make_package, tmp_path):
    """One real execution: the trace cell works in a kernel, which runs in the staging folder, and the
    build process keeps its working directory."""
    from factcheck.judged import stage as judge

    root = make_package(tmp_path, claims=CLAIMS, sources=SOURCES, articles=articles(CLAIMS))
    judge(root, tmp_path / "judged")
    src = tmp_path / "nb.ipynb"
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                            "language": "python"}})
    nb.cells = [nbformat.v4.new_code_cell("year = 2022\nchapter = 'ip'\njudged_dir = 'judged'",
                                          metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell("from factcheck.edition import Edition\nfrom factcheck.chapters import get\n"
                                          "edition = Edition.read(judged_dir, year)\ntitle = get(chapter).title\n"
                                          "open('here.txt', 'w').write('x')")]
    nbformat.write(nb, src)
    staging = tmp_path / "out" / "nb.ipynb"
    cwd = os.getcwd()
    import factcheck

    package = Path(factcheck.__file__).parent
    params = {"year": 2023, "chapter": "ip", "judged_dir": str(tmp_path / "judged")}
    job = runner.execute(runner.Job(src, staging, staging, params, package=package))
    assert os.getcwd() == cwd
    assert (tmp_path / "out" / "here.txt").exists()  # the kernel ran in the staging folder
    assert job.reads is not None, "the kernel's report of what it read was not trusted"
    assert [p.name for p in job.reads][:2] == ["2023.json", "chapters.yml"]
    modules = {p.name for p in job.reads[2:]}
    assert {"edition.py", "chapters.py", "load.py"} <= modules
    assert not modules & {"engine.py", "diagnose.py", "wording.py", "formula.py", "validate.py"}
    assert [c for c in nbformat.read(staging, as_version=4).cells if runner.TRACE_TAG in c.metadata.get("tags", [])] == []


def test_another_edition_whose_judged_file_changed_is_published_again(repo):
    """A data change reaches 2023's verdicts while 2022 is built: 2023's pages run again too, so no page keeps
    verdicts its downloads no longer have; 2022's judged file holds no 2023 figure, so its pages do not."""
    repo.build(2022)
    repo.build(2023)
    assert repo.build(2022) == []
    before = repo.judged(2023)
    with (repo.data / "inputs.csv").open(encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    row = {"indicator": "patents", "geography": "江门高新区", "period": "2023", "value": "130", "qualifier": "=",
           "unit": "件", "source_id": "stats", "quote": "专利130件"}
    with (repo.data / "inputs.csv").open("a", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerow([row.get(h, "") for h in header])
    before_2022 = repo.judged(2022)
    executed = repo.build(2022)
    assert repo.judged(2023) != before and repo.judged(2022) == before_2022
    assert set(PAGES_2023) <= set(executed), executed
    assert not set(PAGES_2022) & set(executed)
    assert repo.build(2022) == []


# ---- committed pages the build did not write ------------------------------------------------------
@pytest.mark.parametrize("manifest", [True, False], ids=["with the manifest", "a fresh clone"])
def test_another_editions_page_that_is_not_its_template_is_executed_again(repo, manifest):
    """A Markdown cell added to a committed page of an edition not being built (its judged file unchanged) is
    not published as committed: the edition is executed again, with a manifest or without (a fresh clone)."""
    repo.build(2022)
    repo.build(2023)
    page = repo.root / PAGES_2023[0]
    nb = nbformat.read(page, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("<script>alert(1)</script>"))
    nbformat.write(nb, page)
    if not manifest:
        repo.layout.manifest.unlink()
    executed = repo.build(2022)
    assert PAGES_2023[0] in executed, executed
    assert "<script>" not in page.read_text(encoding="utf-8")


def test_another_editions_page_edited_in_its_outputs_is_executed_again(repo):
    """The same cells, another output: the manifest knows the file it wrote."""
    repo.build(2022)
    repo.build(2023)
    page = repo.root / PAGES_2023[0]
    nb = nbformat.read(page, as_version=4)
    code = next(c for c in nb.cells if c.cell_type == "code" and "injected-parameters" not in c.metadata.get("tags", []))
    code.outputs = [nbformat.v4.new_output("display_data", data={"text/html": "<b>数字有误</b>"})]
    nbformat.write(nb, page)
    assert PAGES_2023[0] in repo.build(2022)
    assert "数字有误" not in page.read_text(encoding="utf-8")


def test_an_edition_folder_the_data_has_no_claims_for_is_removed(repo):
    """A copied edition (1999) and an edition whose claims were deleted (2023) leave the book and its
    navigation; nothing is published that no judged file stands behind."""
    repo.build(2022)
    repo.build(2023)
    shutil.copytree(repo.root / "book" / "editions" / "2023", repo.root / "book" / "editions" / "1999")
    repo.build(2022)
    assert not (repo.root / "book" / "editions" / "1999").exists()
    assert "editions/1999" not in repo.toc()
    repo.rewrite_data([c for c in repo.claims if not c["claim_id"].startswith("2023")])
    repo.build(2022)
    assert not (repo.root / "book" / "editions" / "2023").exists()
    assert "editions/2023" not in repo.toc() and (repo.root / "book" / "editions" / "2022").is_dir()
