"""Incremental builds: which notebooks are executed again, and when the book is rebuilt.

A small repository is laid out in a temporary folder (three tiny notebooks, a ``factcheck/`` whose code is
hashed, a real data package from ``make_package``) and the runner's ``execute`` is replaced by a fake that
writes the executed notebook and reports the data files a real one would read. So these tests exercise
the planning, the manifest, the staged swap and the book decision without starting kernels; one test
(marked slow) executes a real notebook to check that a kernel reports what it read.
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
import pytest

from factcheck import runner
from factcheck.manifest import Manifest, sha_file

# Which data files each fake notebook "reads", relative to the data folder. An edition notebook reads
# the article text of its own year only; the cross-year notebook reads no article.
ARTICLE = {2022: "articles/art.txt", 2023: "articles/art23.txt"}
READS = {
    "01_text.ipynb": lambda year: ["sources.csv", "claims.csv", ARTICLE[year]],
    "02_inputs.ipynb": lambda year: ["inputs.csv", "indicators.csv"],
    "cross_year.ipynb": lambda year: ["claims.csv", "indicators.csv"],
}


KERNEL = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}


def notebook(extra: str = "") -> str:
    nb = nbformat.v4.new_notebook(metadata=KERNEL)
    nb.cells = [
        nbformat.v4.new_code_cell("year = 2022\ndata_dir = 'data'", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(f"x = 1{extra}"),
    ]
    return nbformat.writes(nb)


@pytest.fixture
def repo(tmp_path, make_package, monkeypatch):
    """A small repository; returns a namespace with ``build(year)`` and the list of executed notebooks."""
    root = tmp_path / "repo"
    (root / "notebooks").mkdir(parents=True)
    for name in READS:
        (root / "notebooks" / name).write_text(notebook(), encoding="utf-8")
    (root / "factcheck").mkdir()
    (root / "factcheck" / "engine.py").write_text("RULE = 1\n", encoding="utf-8")
    (root / "book" / "editions").mkdir(parents=True)
    (root / "book" / "methods.md").write_text("# 方法\n", encoding="utf-8")
    (root / "_config.yml").write_text("title: t\n", encoding="utf-8")
    (root / "_toc.yml").write_text("root: book/index\n", encoding="utf-8")
    data = make_package(
        root,
        claims=[{"claim_id": "2022-a", "indicator": "patents", "value": "120", "quote": "专利120件"},
                {"claim_id": "2023-a", "year": 2023, "indicator": "patents", "value": "130",
                 "quote": "专利130件", "source_id": "art23"}],
        inputs=[{"indicator": "gdp", "geography": "江海区", "period": 2022, "value": "302.1"}],
        sources=[{"source_id": "art23", "publisher": "测试晚报", "title": "另一篇", "published": "2024",
                  "url": "", "covers": "2023", "accessed": "2026-11-25", "text_file": "articles/art23.txt",
                  "note": ""}],
        articles={"art23": "专利130件\n"},
    )
    executed: list[str] = []
    lock = threading.Lock()

    def fake_execute(job: runner.Job) -> runner.Job:
        year = job.parameters["year"]
        job.staging.parent.mkdir(parents=True, exist_ok=True)
        nb = nbformat.reads(job.source.read_text(encoding="utf-8"), as_version=4)
        nb.cells[1].outputs = [nbformat.v4.new_output("stream", text=f"year {year}\n")]
        nbformat.write(nb, job.staging)
        if job.source.name == "02_inputs.ipynb":  # writes a file beside itself, as 08_factcheck does
            (job.staging.parent / "out.csv").write_text(f"{year}\n", encoding="utf-8")
        job.reads = [(data / f).resolve() for f in READS[job.source.name](year)]
        with lock:  # the cross-year chapter is one notebook whatever the edition
            executed.append(job.source.name if job.source.name == "cross_year.ipynb" else f"{year}/{job.source.name}")
        return job

    books: list[int] = []

    def fake_build_book(layout: runner.Layout) -> None:
        layout.html.mkdir(parents=True, exist_ok=True)
        (layout.html / "index.html").write_text("<html></html>", encoding="utf-8")
        books.append(1)

    monkeypatch.setattr(runner, "execute", fake_execute)
    monkeypatch.setattr(runner, "build_book", fake_build_book)
    layout = runner.Layout(root)

    class Repo:
        pass

    r = Repo()
    r.root, r.data, r.layout, r.executed, r.books = root, data, layout, executed, books

    def build(year: int = 2022, **kw) -> list[str]:
        executed.clear()
        books.clear()
        r.report = runner.build(year, data, layout=layout, workers=2, **kw)
        return sorted(executed)

    r.build = build
    return r


ALL_2022 = ["2022/01_text.ipynb", "2022/02_inputs.ipynb", "cross_year.ipynb"]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


# ---- which notebooks run ------------------------------------------------------------------------
def test_first_build_executes_everything_and_records_what_each_notebook_read(repo):
    assert repo.build() == ALL_2022
    m = json.loads((repo.root / "_build" / "manifest.json").read_text(encoding="utf-8"))
    reads = m["notebooks"]["book/editions/2022/01_text.ipynb"]["reads"]
    assert sorted(reads) == ["pkg1/articles/art.txt", "pkg1/claims.csv", "pkg1/sources.csv"]
    assert sorted(m["notebooks"]["book/cross_year.ipynb"]["reads"]) == ["pkg1/claims.csv", "pkg1/indicators.csv"]
    assert m["outputs"] == {"book/editions/2022/out.csv": sha_file(repo.root / "book/editions/2022/out.csv")}


def test_nothing_changed_executes_nothing_and_keeps_the_book(repo):
    repo.build()
    assert repo.books == [1]
    before = {p: p.read_bytes() for p in (repo.root / "book").rglob("*.ipynb")}
    assert repo.build() == []
    assert repo.report.skipped == ["book/editions/2022/01_text.ipynb", "book/editions/2022/02_inputs.ipynb",
                                   "book/cross_year.ipynb"]
    assert repo.books == [] and not repo.report.book_built
    assert not repo.report.validated  # the data files are unchanged since the last validation
    assert {p: p.read_bytes() for p in (repo.root / "book").rglob("*.ipynb")} == before


def test_package_code_change_executes_everything(repo):
    repo.build()
    (repo.root / "factcheck" / "engine.py").write_text("RULE = 2\n", encoding="utf-8")
    assert repo.build() == ALL_2022
    assert set(repo.report.reasons.values()) == {"package code changed"}
    assert repo.report.validated and repo.books == [1]


def test_new_package_module_executes_everything(repo):
    repo.build()
    (repo.root / "factcheck" / "extra.py").write_text("", encoding="utf-8")
    assert repo.build() == ALL_2022


def test_notebook_source_change_executes_only_that_notebook(repo):
    repo.build()
    edit(repo.root / "notebooks" / "02_inputs.ipynb", "x = 1", "x = 2")
    assert repo.build() == ["2022/02_inputs.ipynb"]
    assert repo.report.reasons == {"book/editions/2022/02_inputs.ipynb": "notebook source changed"}
    assert not repo.report.validated


def test_year_change_executes_only_the_new_edition(repo):
    repo.build(2022)
    # the cross-year chapter is parameterised with the latest year whatever edition is built
    assert repo.build(2023) == ["2023/01_text.ipynb", "2023/02_inputs.ipynb"]
    assert repo.build(2022) == []  # back to 2022: its edition is still current
    assert (repo.root / "book/editions/2023/01_text.ipynb").exists()


def test_year_parameter_change_executes_again(repo):
    """A new latest year changes the cross-year chapter's ``year`` parameter."""
    repo.build(2022)
    header = (repo.data / "claims.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    row = {"claim_id": "2024-a", "year": "2024", "chapter": "ip", "source_id": "art", "quote": "专利140件",
           "figure": "140", "value": "140", "qualifier": "=", "unit": "件", "indicator": "patents",
           "geography": "江门高新区", "period": "2024", "check": "stated"}
    with (repo.data / "claims.csv").open("a", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerow([row.get(h, "") for h in header])
    with (repo.data / "articles" / "art.txt").open("a", encoding="utf-8") as fh:
        fh.write("专利140件\n")
    assert repo.build(2022) == ["2022/01_text.ipynb", "cross_year.ipynb"]  # 02_inputs reads neither file
    assert repo.report.reasons["book/cross_year.ipynb"] == "parameters changed"


def test_data_dir_parameter_change_executes_everything(repo):
    repo.build(2022)
    moved = repo.root / "data-elsewhere"
    shutil.copytree(repo.data, moved)
    repo.report = runner.build(2022, moved, layout=repo.layout, workers=2)
    assert set(repo.report.reasons.values()) == {"parameters changed"}
    assert len(repo.report.executed) == 3


def test_data_file_change_executes_only_the_notebooks_that_read_it(repo):
    repo.build()
    edit(repo.data / "inputs.csv", "302.1", "302.2")
    assert repo.build() == ["2022/02_inputs.ipynb"]
    assert repo.report.reasons == {"book/editions/2022/02_inputs.ipynb": "data file pkg1/inputs.csv changed"}
    assert repo.report.validated

    with (repo.data / "articles" / "art.txt").open("a", encoding="utf-8") as fh:
        fh.write("又一句。\n")
    assert repo.build() == ["2022/01_text.ipynb"]

    edit(repo.data / "claims.csv", "专利120件", "专利 120件")  # quote and article must still agree
    edit(repo.data / "articles" / "art.txt", "专利120件", "专利 120件")
    assert repo.build() == ["2022/01_text.ipynb", "cross_year.ipynb"]


def test_another_editions_article_changes_no_notebook(repo):
    repo.build()
    with (repo.data / "articles" / "art23.txt").open("a", encoding="utf-8") as fh:
        fh.write("又一句。\n")
    assert repo.build() == []
    assert repo.report.validated  # the package is still checked as a whole
    assert repo.books == []


def test_invalid_data_change_is_refused_before_anything_runs(repo):
    repo.build()
    edit(repo.data / "inputs.csv", "302.1", "abc")
    with pytest.raises(runner.InputError):
        repo.build()
    assert repo.executed == []


def test_deleted_published_notebook_is_executed_again(repo):
    repo.build()
    (repo.root / "book/editions/2022/01_text.ipynb").unlink()
    assert repo.build() == ["2022/01_text.ipynb"]
    assert repo.report.reasons == {"book/editions/2022/01_text.ipynb": "published copy missing"}
    for name in ("01_text.ipynb", "02_inputs.ipynb", "out.csv"):  # the skipped ones were carried over
        assert (repo.root / "book/editions/2022" / name).exists()


def test_deleted_cross_year_chapter_is_executed_again(repo):
    repo.build()
    (repo.root / "book/cross_year.ipynb").unlink()
    assert repo.build() == ["cross_year.ipynb"]


def test_edited_published_notebook_is_executed_again(repo):
    repo.build()
    edit(repo.root / "book/editions/2022/02_inputs.ipynb", "year 2022", "year 1999")
    assert repo.build() == ["2022/02_inputs.ipynb"]


def test_deleted_output_file_executes_its_edition_again(repo):
    repo.build()
    (repo.root / "book/editions/2022/out.csv").unlink()
    assert repo.build() == ["2022/01_text.ipynb", "2022/02_inputs.ipynb"]
    assert (repo.root / "book/editions/2022/out.csv").exists()


def test_force_executes_everything(repo):
    repo.build()
    assert repo.build(force=True) == ALL_2022
    assert repo.books == [1]


def test_missing_or_corrupt_manifest_executes_everything(repo):
    repo.build()
    (repo.root / "_build" / "manifest.json").write_text("{not json", encoding="utf-8")
    assert repo.build() == ALL_2022
    (repo.root / "_build" / "manifest.json").unlink()
    assert repo.build() == ALL_2022


def test_failed_execution_records_nothing(repo, monkeypatch):
    repo.build()
    edit(repo.data / "inputs.csv", "302.1", "302.2")
    good = runner.execute

    def failing(job):
        raise runner.InputError("boom", file=str(job.source))

    monkeypatch.setattr(runner, "execute", failing)
    with pytest.raises(runner.InputError):
        repo.build()
    monkeypatch.setattr(runner, "execute", good)
    assert repo.build() == ["2022/02_inputs.ipynb"]


# ---- the book -----------------------------------------------------------------------------------
def test_book_source_change_rebuilds_the_book_only(repo):
    repo.build()
    (repo.root / "book" / "methods.md").write_text("# 方法(修订)\n", encoding="utf-8")
    assert repo.build() == []
    assert repo.books == [1] and repo.report.book_reason == "its sources changed"
    assert repo.build() == [] and repo.books == []


@pytest.mark.parametrize("path", ["_config.yml", "_toc.yml", "book/_static/site.css"])
def test_config_toc_and_static_changes_rebuild_the_book(repo, path):
    repo.build()
    (repo.root / path).parent.mkdir(parents=True, exist_ok=True)
    (repo.root / path).write_text("changed\n", encoding="utf-8")
    assert repo.build() == [] and repo.books == [1]


def test_missing_html_rebuilds_the_book(repo):
    repo.build()
    (repo.layout.html / "index.html").unlink()
    assert repo.build() == [] and repo.books == [1]
    assert repo.report.book_reason == "no book in _build/html"


def test_no_book_build_leaves_the_book_for_the_next_build(repo):
    repo.build(book=False)
    assert repo.books == []
    assert repo.build() == [] and repo.books == [1]


def test_identical_outputs_after_a_data_change_do_not_rebuild_the_book(repo):
    repo.build()
    # another edition's article: validated again, no notebook read it, so the book's sources are unchanged
    with (repo.data / "articles" / "art23.txt").open("a", encoding="utf-8") as fh:
        fh.write("x\n")
    repo.build()
    assert repo.books == []


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


# ---- what a notebook reads ----------------------------------------------------------------------
def test_light_load_reads_the_tables_and_no_article(make_package, tmp_path):
    from factcheck import data

    root = make_package(tmp_path, claims=[{"indicator": "patents", "value": "120", "quote": "专利120件"}])
    data.forget_reads()
    ds = data.load(root, validate=False)
    assert sorted(p.name for p in data.reads()) == ["claims.csv", "indicators.csv", "inputs.csv", "sources.csv"]
    ds.trace_quotes(2022)
    assert (root / "articles" / "art.txt").resolve() in data.reads()
    assert (root / "articles" / "art.txt") in ds.files_read


def test_edition_reads_only_its_own_articles(make_package, tmp_path):
    from factcheck import data
    from factcheck.edition import Edition

    root = make_package(
        tmp_path,
        claims=[{"indicator": "patents", "value": "120", "quote": "专利120件"},
                {"year": 2023, "indicator": "patents", "value": "130", "quote": "专利130件", "source_id": "b"}],
        sources=[{"source_id": "b", "publisher": "乙报", "title": "乙", "published": "2024", "url": "",
                  "covers": "", "accessed": "2026-11-25", "text_file": "articles/b.txt", "note": ""}],
        articles={"b": "专利130件"},
    )
    data.forget_reads()
    Edition.open(root, 2023)
    names = sorted(p.name for p in data.reads())
    assert "b.txt" in names and "art.txt" not in names and "datapackage.json" not in names


def test_validating_load_reads_everything(make_package, tmp_path):
    from factcheck import data

    root = make_package(tmp_path, claims=[{"indicator": "patents", "value": "120", "quote": "专利120件"}])
    ds = data.load(root)
    assert sorted(p.name for p in ds.files_read) == ["art.txt", "claims.csv", "datapackage.json",
                                                     "indicators.csv", "inputs.csv", "sources.csv"]


def test_light_edition_still_refuses_a_quote_missing_from_its_article(make_package, tmp_path):
    from factcheck.edition import Edition

    root = make_package(tmp_path, claims=[{"indicator": "patents", "value": "120", "quote": "专利120件"}],
                        article="别的内容")
    with pytest.raises(runner.InputError, match="quote is not found verbatim"):
        Edition.open(root, 2022)


def test_tidy_takes_the_reads_out_of_the_trace_cell(tmp_path):
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell("year = 2022", metadata={"tags": ["injected-parameters"]})
    trace = nbformat.v4.new_code_cell(runner.TRACE_SOURCE, metadata={"tags": ["remove-cell", runner.TRACE_TAG]})
    report = {"package": str(tmp_path / "factcheck"), "reads": ["/d/a.csv"]}
    trace.outputs = [nbformat.v4.new_output("stream", text=runner.TRACE_PREFIX + json.dumps(report) + "\n")]
    nb.cells = [params, nbformat.v4.new_markdown_cell("# {{year}}"), trace]
    path = tmp_path / "x.ipynb"
    nbformat.write(nb, path)
    assert runner.tidy(path, year=2022) == report
    out = nbformat.read(path, as_version=4)
    assert len(out.cells) == 2 and out.cells[1].source == "# 2022"
    assert out.cells[0].id == "injected-parameters" and "remove-cell" in out.cells[0].metadata.tags


def test_reads_are_not_trusted_from_another_package_or_without_a_report(tmp_path):
    job = runner.Job(tmp_path / "a.ipynb", tmp_path / "t", tmp_path / "s", {}, package=tmp_path / "factcheck")
    assert runner._trusted_reads(job, {"package": str(tmp_path / "factcheck"), "reads": ["/d/a.csv"]}) == [
        Path("/d/a.csv")]
    assert runner._trusted_reads(job, {"package": None, "reads": []}) == []  # imported no factcheck
    assert runner._trusted_reads(job, {"package": "/elsewhere/factcheck", "reads": ["/d/a.csv"]}) is None
    assert runner._trusted_reads(job, {"package": str(tmp_path / "factcheck"), "reads": None}) is None
    assert runner._trusted_reads(job, None) is None


def test_unknown_reads_execute_again(repo, monkeypatch):
    repo.build()
    manifest = Manifest.read(repo.layout.manifest)
    manifest.notebooks["book/editions/2022/01_text.ipynb"]["reads"] = None
    manifest.write()
    assert repo.build() == ["2022/01_text.ipynb"]


def test_manifest_survives_a_round_trip(tmp_path):
    m = Manifest(tmp_path / "m.json")
    m.book = "k"
    m.write()
    assert Manifest.read(tmp_path / "m.json").book == "k"
    assert Manifest.read(tmp_path / "none.json").notebooks == {}


@pytest.mark.slow
def test_a_real_kernel_reports_the_files_it_read(make_package, tmp_path):
    """One real execution: the trace cell works in a kernel, and the process keeps its directory."""
    root = make_package(tmp_path, claims=[{"indicator": "patents", "value": "120", "quote": "专利120件"}])
    src = tmp_path / "nb.ipynb"
    nb = nbformat.v4.new_notebook(metadata=KERNEL)
    nb.cells = [nbformat.v4.new_code_cell("year = 2022\ndata_dir = 'data'", metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell("from factcheck.data import load\nds = load(data_dir, validate=False)\n"
                                          "open('here.txt', 'w').write('x')")]
    nbformat.write(nb, src)
    staging = tmp_path / "out" / "nb.ipynb"
    cwd = os.getcwd()
    import factcheck

    package = Path(factcheck.__file__).parent
    job = runner.execute(runner.Job(src, staging, staging, {"year": 2022, "data_dir": str(root)}, package=package))
    assert os.getcwd() == cwd
    assert (tmp_path / "out" / "here.txt").exists()  # the kernel ran in the staging folder
    assert sorted(p.name for p in job.reads) == ["claims.csv", "indicators.csv", "inputs.csv", "sources.csv"]
    assert [c for c in nbformat.read(staging, as_version=4).cells if runner.TRACE_TAG in c.metadata.get("tags", [])] == []
