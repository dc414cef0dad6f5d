"""Execute the notebooks with papermill and build the book aside, then swap it in.

Layout::

    notebooks/NN_*.ipynb           parameterised sources (thin)
    book/editions/<year>/*.ipynb   executed notebooks of each edition (published, checked by nbval)
    book/cross_year.ipynb          executed cross-year chapter
    _build/html                    the last good book

A build executes into ``book/editions/.<year>.staging`` (the same depth as the final folder, so the
relative ``data_dir`` parameter stays valid), swaps it in, builds the book into ``_build/next`` and only
then replaces ``_build/html``. A failure anywhere restores the previous edition and leaves the last good
book untouched; a killed build is recovered at the start of the next one.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .errors import InputError
from .guard import guarded, stop_orphans
from .params import PARAMETERS

ROOT = Path(__file__).resolve().parent.parent
CROSS_YEAR = "cross_year.ipynb"
STAMP_KEYS = ("papermill", "execution")


@dataclass
class Layout:
    root: Path = ROOT

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    @property
    def book(self) -> Path:
        return self.root / "book"

    @property
    def editions(self) -> Path:
        return self.book / "editions"

    @property
    def build(self) -> Path:
        return self.root / "_build"

    @property
    def html(self) -> Path:
        return self.build / "html"

    def chapter_sources(self) -> list[Path]:
        return sorted(p for p in self.notebooks.glob("[0-9][0-9]_*.ipynb"))


@dataclass
class Job:
    """One notebook to execute: where from, where to, with which parameters."""

    source: Path
    target: Path  # the final location
    staging: Path  # where it is executed
    parameters: dict
    skipped: bool = False
    seconds: float = 0.0


@dataclass
class BuildReport:
    executed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    seconds: float = 0.0
    book_built: bool = False


def log(message: str) -> None:
    print(f"[factcheck] {message}", file=sys.stderr, flush=True)


# ---- notebook checks ----------------------------------------------------------------------------
def check_notebook(path: Path) -> None:
    """A notebook must have a ``parameters`` cell that defines exactly the known parameters."""
    import papermill

    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as exc:  # noqa: BLE001 - any unreadable notebook is bad input
        raise InputError(f"not a readable notebook ({exc.__class__.__name__}: {exc})", file=_rel(path)) from None
    if not any("parameters" in c.get("metadata", {}).get("tags", []) for c in nb.cells):
        raise InputError("has no cell tagged 'parameters', so papermill could not set year and data_dir",
                         file=_rel(path))
    declared = set(papermill.inspect_notebook(str(path)))
    unknown = declared - set(PARAMETERS)
    if unknown:
        raise InputError(f"declares unknown parameter(s) {', '.join(sorted(unknown))}; "
                         f"the runner knows only {', '.join(PARAMETERS)}", file=_rel(path))
    missing = set(PARAMETERS) - declared
    if missing:
        raise InputError(f"its parameters cell does not define {', '.join(sorted(missing))}", file=_rel(path))


def _rel(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


# ---- execution ----------------------------------------------------------------------------------
def relative_data_dir(data_dir: Path, notebook_dir: Path) -> str:
    """``data_dir`` as the executed notebook will see it: relative when inside the repository."""
    data_dir = data_dir.resolve()
    try:
        data_dir.relative_to(ROOT)
    except ValueError:
        return str(data_dir)
    return os.path.relpath(data_dir, notebook_dir.resolve())


def execute(job: Job) -> Job:
    import papermill

    start = time.perf_counter()
    job.staging.parent.mkdir(parents=True, exist_ok=True)
    try:
        papermill.execute_notebook(
            str(job.source), str(job.staging), parameters=job.parameters,
            resources={"metadata": {"path": str(job.staging.parent)}},  # the kernel's cwd; papermill's cwd= chdirs
            progress_bar=False, kernel_name="python3", report_mode=False,
            # ipykernel 7 warns on every start that loopback TCP is unencrypted; keep its errors only
            extra_arguments=["--IPKernelApp.log_level=ERROR"],
        )
    except papermill.PapermillExecutionError as exc:
        raise InputError(f"failed in cell {exc.exec_count}: {exc.ename}: {exc.evalue}",
                         file=_rel(job.source)) from None
    except Exception as exc:  # noqa: BLE001 - a dead kernel or a timeout is reported by notebook
        raise InputError(f"could not be executed: {exc.__class__.__name__}: {exc}", file=_rel(job.source)) from None
    tidy(job.staging, year=job.parameters.get("year"))
    job.seconds = time.perf_counter() - start
    return job


def tidy(path: Path, *, year: int | None) -> None:
    """Hide the injected parameters, fill ``{{year}}`` in prose, and drop run stamps (determinism)."""
    nb = nbformat.read(path, as_version=4)
    for key in STAMP_KEYS:
        nb.metadata.pop(key, None)
    for cell in nb.cells:
        for key in STAMP_KEYS:
            cell.metadata.pop(key, None)
        tags = cell.metadata.get("tags", [])
        if "injected-parameters" in tags and "remove-cell" not in tags:
            cell.metadata["tags"] = [*tags, "remove-cell"]
        if "injected-parameters" in tags:
            cell["id"] = "injected-parameters"  # papermill draws a random id; keep builds identical
        if cell.cell_type == "markdown" and year is not None:
            cell.source = cell.source.replace("{{year}}", str(year))
    nbformat.write(nb, path)


def run_jobs(jobs: list[Job], workers: int) -> None:
    todo = [j for j in jobs if not j.skipped]
    if not todo:
        return
    workers = max(1, min(workers, len(todo)))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(execute, j) for j in todo]
        errors = []
        for f in futures:
            try:
                f.result()
            except InputError as exc:
                errors.append(exc)
        if errors:
            raise errors[0]


# ---- swapping -----------------------------------------------------------------------------------
def recover(layout: Layout) -> None:
    """Undo what a killed build left behind, so the next build starts clean."""
    stop_orphans(layout.build / "next")  # a killed build's jupyter-book may still be writing there
    for previous in layout.editions.glob(".*.previous") if layout.editions.is_dir() else []:
        final = previous.with_name(previous.name[1:].removesuffix(".previous"))
        if final.exists():
            shutil.rmtree(final)
        previous.rename(final)
        log(f"recovered {final.name} from an interrupted build")
    for pattern in (".*.staging", ".*.failed"):
        for leftover in layout.editions.glob(pattern) if layout.editions.is_dir() else []:
            shutil.rmtree(leftover, ignore_errors=True)
    for leftover in layout.book.glob(".*.staging.ipynb"):
        leftover.unlink()
    cross_prev = layout.book / f".{CROSS_YEAR}.previous"
    if cross_prev.exists():
        cross_prev.replace(layout.book / CROSS_YEAR)
    old = layout.build / "html.old"
    if old.exists():
        if not layout.html.exists():
            old.rename(layout.html)
        else:
            shutil.rmtree(old)
    shutil.rmtree(layout.build / "next", ignore_errors=True)


def swap_in(staged: Path, final: Path) -> Path | None:
    """Move ``staged`` to ``final``; return where the previous version waits (or None)."""
    previous = None
    if final.exists():
        previous = final.with_name("." + final.name + ".previous")
        final.rename(previous)
    staged.rename(final)
    return previous


def restore(final: Path, previous: Path | None) -> None:
    if final.exists():
        if final.is_dir():
            shutil.rmtree(final)
        else:
            final.unlink()
    if previous is not None and previous.exists():
        previous.rename(final)


def discard(previous: Path | None) -> None:
    if previous is None or not previous.exists():
        return
    if previous.is_dir():
        shutil.rmtree(previous)
    else:
        previous.unlink()


# ---- the book -----------------------------------------------------------------------------------
def build_book(layout: Layout) -> None:
    """``jupyter-book build`` strictly, into ``_build/next``; swap into ``_build/html`` on success."""
    from .charts import write_vega_bundle

    write_vega_bundle(layout.book / "_static")
    out = layout.build / "next"
    shutil.rmtree(out, ignore_errors=True)
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    cmd = [str(jupyter_book), "build", str(layout.root), "--path-output", str(out),
           "-W", "-n", "--keep-going"]
    result = subprocess.run(cmd, cwd=layout.root, capture_output=True, text=True)
    if result.returncode != 0:
        tail = "\n".join(line for line in (result.stdout + result.stderr).splitlines()
                         if "WARNING" in line or "ERROR" in line or "Error" in line)
        raise InputError(f"jupyter-book build failed (the last good book is kept):\n{tail or result.stdout[-3000:]}")
    built = out / "_build" / "html"
    postprocess_html(built)
    old = layout.build / "html.old"
    if layout.html.exists():
        layout.html.rename(old)
    built.rename(layout.html)
    shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)


THEBE_SCRIPT = re.compile(r'\s*<script>const THEBE_JS_URL = "[^"]*";[^<]*</script>')


def postprocess_html(html_dir: Path) -> None:
    """The one place built pages are adjusted: drop sphinx-thebe's unused CDN address.

    Jupyter Book 1 always loads sphinx-thebe, which writes ``THEBE_JS_URL`` (a CDN address) into every
    page, twice, although live code is switched off here. Removing it leaves no CDN address in the book
    and silences the theme's "already declared" console error.
    """
    for page in html_dir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        cleaned = THEBE_SCRIPT.sub("", text)
        if cleaned != text:
            page.write_text(cleaned, encoding="utf-8")


# ---- the whole build ----------------------------------------------------------------------------
def plan(layout: Layout, year: int, data_dir: Path, latest: int | None = None) -> list[Job]:
    """The notebooks to execute for ``year``; the cross-year chapter always highlights the latest year."""
    jobs = []
    edition = layout.editions / str(year)
    staging = layout.editions / f".{year}.staging"
    for src in layout.chapter_sources():
        params = {"year": year, "data_dir": relative_data_dir(data_dir, edition)}
        jobs.append(Job(src, edition / src.name, staging / src.name, params))
    cross_src = layout.notebooks / CROSS_YEAR
    if cross_src.exists():
        params = {"year": latest or year, "data_dir": relative_data_dir(data_dir, layout.book)}
        jobs.append(Job(cross_src, layout.book / CROSS_YEAR, layout.book / f".{CROSS_YEAR}.staging.ipynb", params))
    return jobs


@guarded  # one build at a time; SIGTERM restores and exits (see guard.py)
def build(year: object, data_dir: object, *, workers: int | None = None, layout: Layout | None = None,
          book: bool = True) -> BuildReport:
    from .data import load
    from .params import check_params

    layout = layout or Layout()
    start = time.perf_counter()
    year, data = check_params(year=year, data_dir=data_dir)
    recover(layout)
    ds = load(data)
    ds.require_year(year)
    sources = layout.chapter_sources() + [layout.notebooks / CROSS_YEAR]
    for nb in sources:
        check_notebook(nb)
    jobs = plan(layout, year, data, latest=max(ds.years))
    report = BuildReport()
    edition_dir = layout.editions / str(year)
    staging_dir = layout.editions / f".{year}.staging"
    moved: list[tuple[Path, Path | None]] = []
    try:
        run_jobs(jobs, workers or os.cpu_count() or 1)
        if staging_dir.exists():
            for extra in edition_dir.glob("*") if edition_dir.exists() else []:
                target = staging_dir / extra.name
                if not target.exists() and extra.suffix != ".ipynb":
                    shutil.copy2(extra, target)
            moved.append((edition_dir, swap_in(staging_dir, edition_dir)))
        for job in jobs:
            if job.target.parent == layout.book and job.staging.exists():
                moved.append((job.target, swap_in(job.staging, job.target)))
        report.executed = [str(j.target.relative_to(layout.root)) for j in jobs if not j.skipped]
        report.skipped = [str(j.target.relative_to(layout.root)) for j in jobs if j.skipped]
        if book:
            build_book(layout)
            report.book_built = True
    except BaseException:
        for final, previous in reversed(moved):
            restore(final, previous)
        recover(layout)  # and drop the staging folders of a failed build
        raise
    for _, previous in moved:
        discard(previous)
    report.seconds = time.perf_counter() - start
    return report


def published_years(layout: Layout | None = None) -> list[int]:
    layout = layout or Layout()
    return sorted(int(p.name) for p in layout.editions.glob("*") if re.fullmatch(r"\d{4}", p.name))
