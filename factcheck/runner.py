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

Builds are incremental (:mod:`factcheck.manifest`, ``_build/manifest.json``): a notebook is executed only
when its source, its parameters, the data files it read or the package code changed, or its published
copy is missing; the book is rebuilt only when one of its sources changed. Notebooks run in parallel, one
kernel each, as many at a time as the machine has cores. With nothing changed a build imports neither
pandas nor papermill.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import CancelledError, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .guard import guarded, stop_orphans
from .manifest import NAME as MANIFEST_NAME
from .manifest import Hasher, Manifest, book_hash, code_hash, rel
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

    @property
    def manifest(self) -> Path:
        return self.build / MANIFEST_NAME

    @property
    def package(self) -> Path:
        """The package the kernels import: the repository's own ``factcheck/``."""
        own = self.root / "factcheck"
        return own if own.is_dir() else Path(__file__).resolve().parent

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
    reason: str = "not built before"  # why it is executed (see Manifest.stale)
    source_sha: str | None = None  # the source as planned
    package: Path | None = None  # the factcheck package whose code is hashed; the kernel must import it
    reads: list[Path] | None = None  # the data files the executed notebook read (absolute)
    started: float = 0.0  # time.perf_counter() at start and end of execution
    ended: float = 0.0


@dataclass
class BuildReport:
    executed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)  # executed notebook → why
    seconds: float = 0.0
    book_built: bool = False
    book_reason: str = ""  # why the book was (re)built, or "" when it was up to date or not asked for
    validated: bool = False  # False when the data files were unchanged since the last validation
    workers: int = 0
    peak_parallel: int = 0  # the most notebooks that were executing at the same time
    phases: dict[str, float] = field(default_factory=dict)  # seconds: validate, execute, book


def log(message: str) -> None:
    print(f"[factcheck] {message}", file=sys.stderr, flush=True)


# ---- notebook checks ----------------------------------------------------------------------------
def check_notebook(path: Path) -> None:
    """A notebook must have a ``parameters`` cell that defines exactly the known parameters."""
    import nbformat
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
def relative_data_dir(data_dir: Path, notebook_dir: Path, root: Path = ROOT) -> str:
    """``data_dir`` as the executed notebook will see it: relative when inside the repository."""
    data_dir = data_dir.resolve()
    try:
        data_dir.relative_to(root.resolve())
    except ValueError:
        return str(data_dir)
    return os.path.relpath(data_dir, notebook_dir.resolve())


TRACE_TAG = "factcheck-reads"
TRACE_PREFIX = "factcheck-reads: "
# Appended to every notebook the runner executes, removed again from the executed copy by ``tidy``: the
# kernel reports which data files it read (``factcheck.data`` notes every file it opens; a notebook that
# never imported it read none) and which ``factcheck`` it imported.
TRACE_SOURCE = f"""import json as _json, sys as _sys
_fc, _data = _sys.modules.get("factcheck"), _sys.modules.get("factcheck.data")
print({TRACE_PREFIX!r} + _json.dumps({{
    "package": list(_fc.__path__)[0] if _fc else None,
    "reads": ([str(p) for p in _data.reads()] if hasattr(_data, "reads") else None) if _data else [],
}}))"""


def execute(job: Job) -> Job:
    import nbformat
    import papermill

    job.started = time.perf_counter()
    job.staging.parent.mkdir(parents=True, exist_ok=True)
    nb = nbformat.read(job.source, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(TRACE_SOURCE, metadata={"tags": ["remove-cell", TRACE_TAG]}))
    try:
        # The kernel's working directory comes from ``resources``, not from papermill's ``cwd=``, which
        # changes the working directory of the whole process and so races between threads.
        papermill.execute_notebook(
            nb, str(job.staging), parameters=job.parameters,
            resources={"metadata": {"path": str(job.staging.parent)}},
            progress_bar=False, kernel_name="python3", report_mode=False, request_save_on_cell_execute=False,
            # every output has arrived when the last cell replies: no graceful kernel shutdown to wait for
            shutdown_kernel="immediate",
            # ipykernel 7 warns on every start that loopback TCP is unencrypted; keep its errors only
            extra_arguments=["--IPKernelApp.log_level=ERROR"],
        )
    except papermill.PapermillExecutionError as exc:
        raise InputError(f"failed in cell {exc.exec_count}: {exc.ename}: {exc.evalue}",
                         file=_rel(job.source)) from None
    except Exception as exc:  # noqa: BLE001 - a dead kernel or a timeout is reported by notebook
        raise InputError(f"could not be executed: {exc.__class__.__name__}: {exc}", file=_rel(job.source)) from None
    job.reads = _trusted_reads(job, tidy(job.staging, year=job.parameters.get("year")))
    job.ended = time.perf_counter()
    job.seconds = job.ended - job.started
    return job


def tidy(path: Path, *, year: int | None) -> dict | None:
    """Hide the injected parameters, fill ``{{year}}`` in prose, and drop run stamps (determinism).

    Also removes the runner's trace cell and returns what it reported (``None`` without one).
    """
    import nbformat

    nb = nbformat.read(path, as_version=4)
    for key in STAMP_KEYS:
        nb.metadata.pop(key, None)
    reads = None
    cells = []
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if TRACE_TAG in tags:
            reads = _reported_reads(cell)
            continue
        cells.append(cell)
        for key in STAMP_KEYS:
            cell.metadata.pop(key, None)
        if "injected-parameters" in tags:
            cell["id"] = "injected-parameters"  # papermill draws a random id on every run
            if "remove-cell" not in tags:
                cell.metadata["tags"] = [*tags, "remove-cell"]
        if cell.cell_type == "markdown" and year is not None:
            cell.source = cell.source.replace("{{year}}", str(year))
    nb.cells = cells
    nbformat.write(nb, path)
    return reads


def _reported_reads(cell) -> dict | None:
    for out in cell.get("outputs", []):
        for line in out.get("text", "").splitlines():
            if line.startswith(TRACE_PREFIX):
                return json.loads(line[len(TRACE_PREFIX):])
    return None


def _trusted_reads(job: Job, trace: dict | None) -> list[Path] | None:
    """The data files the kernel read, or ``None`` (unknown: executed again next time) when it did not
    say, or when it imported another ``factcheck`` than the one whose code the manifest hashes."""
    if not trace or trace.get("reads") is None:
        log(f"{_rel(job.source)}: the kernel did not report the data files it read; it will run every build")
        return None
    package = trace.get("package")
    if package and job.package and Path(package).resolve() != job.package.resolve():
        log(f"{_rel(job.source)}: the kernel imported factcheck from {package}, not {job.package}; "
            "it will run every build")
        return None
    return [Path(p) for p in trace["reads"]]


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def run_jobs(jobs: list[Job], workers: int | None = None) -> int:
    """Execute the jobs not skipped, in parallel, at most ``workers`` (at most the cores) at a time.

    The longest (by the last build's time) start first. On the first failure the jobs not yet started
    are cancelled and the error of the first failing job (in plan order) is raised. Returns the number
    of workers used.
    """
    todo = [j for j in jobs if not j.skipped]
    if not todo:
        return 0
    workers = max(1, min(workers or cores(), cores(), len(todo)))
    order = sorted(todo, key=lambda j: -j.seconds)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {id(j): pool.submit(execute, j) for j in order}
        errors = []
        for job in todo:
            try:
                futures[id(job)].result()
            except CancelledError:
                continue
            except InputError as exc:
                errors.append(exc)
                for f in futures.values():
                    f.cancel()
        if errors:
            raise errors[0]
    return workers


def peak_parallel(jobs: list[Job]) -> int:
    """The most jobs that were executing at the same moment."""
    events = sorted([(j.started, 1) for j in jobs if j.ended] + [(j.ended, -1) for j in jobs if j.ended])
    peak = now = 0
    for _, step in events:
        now += step
        peak = max(peak, now)
    return peak


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
def build_book(layout: Layout, data_dir: Path | None = None) -> None:
    """``jupyter-book build`` strictly, into ``_build/next``; swap into ``_build/html`` on success.

    Before the swap, :func:`factcheck.export.finish` adds the chart SVGs, the data package zip (of
    ``data_dir``, default ``data/``) and the printable PDF; a failure there also keeps the last good book.
    """
    from .charts import write_vega_bundle
    from .export import finish

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
    finish(layout.root, built, data_dir=data_dir, work=out, cache=layout.build / "chart-svg")
    old = layout.build / "html.old"
    if layout.html.exists():
        layout.html.rename(old)
    built.rename(layout.html)
    shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)


THEBE_SCRIPT = re.compile(r'\s*<script>const THEBE_JS_URL = "[^"]*";[^<]*</script>')
# The theme's search field buttons show "搜索 Ctrl+K" but are named "搜索" (axe: label-content-name-mismatch):
# without the aria-label their name is their visible text.
SEARCH_FIELD_LABEL = re.compile(r'(<button class="btn search-button-field search-button__button[^"]*"[^>]*?)'
                                r' aria-label="[^"]*"')
# The colour-mode button is named in English, and Font Awesome turns its icons' titles into SVG <title>s
# that count as text inside it: name it in Chinese, drop the icons' titles and hide the icons.
THEME_SWITCH_LABEL = ('aria-label="Color mode" data-bs-title="Color mode"', 'aria-label="颜色模式" data-bs-title="颜色模式"')
THEME_SWITCH_ICON = re.compile(r'<i class="theme-switch ([^"]*)" data-mode="(\w+)"\s+title="[^"]*"></i>')
# Weight: the theme loads Font Awesome's 1.5 MB SVG-icon script on every page although its CSS already
# draws the same icons from the webfont; and a page without charts needs no vega bundle (0.9 MB).
FONTAWESOME_JS = re.compile(r'\s*<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>')
VEGA_BUNDLE_JS = re.compile(r'\s*<script src="[^"]*_static/vega-bundle\.js[^"]*"></script>')
# sphinx-design (always loaded by Jupyter Book) adds its CSS and tab script to pages using none of it.
SPHINX_DESIGN = re.compile(r'\s*<link rel="stylesheet" type="text/css" href="[^"]*_static/sphinx-design\.min\.css[^"]*" />'
                           r'|\s*<script data-sd-tabs-storage-prefix="[^"]*" src="[^"]*_static/design-tabs\.js[^"]*"></script>')


def postprocess_html(html_dir: Path) -> None:
    """The one place built pages are adjusted: drop sphinx-thebe's unused CDN address; fix theme a11y.

    Jupyter Book 1 always loads sphinx-thebe, which writes ``THEBE_JS_URL`` (a CDN address) into every
    page, twice, although live code is switched off here. Removing it leaves no CDN address in the book
    and silences the theme's "already declared" console error. Two theme buttons get accessible names
    that match what they show (see ``tests/browser``: axe finds no serious or critical violations).
    Font Awesome's script (1.5 MB, redundant with the theme's icon webfont) goes, and so do the vega
    bundle and sphinx-design's assets on pages that don't use them, so every page stays under the 2 MB
    budget of ``tests/browser``.
    """
    for page in html_dir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        cleaned = SEARCH_FIELD_LABEL.sub(r"\1", THEBE_SCRIPT.sub("", text))
        cleaned = THEME_SWITCH_ICON.sub(r'<i aria-hidden="true" class="theme-switch \1" data-mode="\2"></i>',
                                        cleaned.replace(*THEME_SWITCH_LABEL))
        cleaned = FONTAWESOME_JS.sub("", cleaned)
        if 'class="factcheck-chart"' not in cleaned:
            cleaned = VEGA_BUNDLE_JS.sub("", cleaned)
        if not re.search(r'class="[^"]*\bsd-', cleaned):
            cleaned = SPHINX_DESIGN.sub("", cleaned)
        if cleaned != text:
            page.write_text(cleaned, encoding="utf-8")


# ---- the whole build ----------------------------------------------------------------------------
def plan(layout: Layout, year: int, data_dir: Path, latest: int | None = None, manifest: Manifest | None = None,
         code: str | None = None) -> list[Job]:
    """The notebooks to execute for ``year``; the cross-year chapter always highlights the latest year.

    Each job is marked skipped when ``manifest`` shows that none of its inputs changed (without a
    manifest, every job runs).
    """
    jobs = []
    edition = layout.editions / str(year)
    staging = layout.editions / f".{year}.staging"
    for src in layout.chapter_sources():
        params = {"year": year, "data_dir": relative_data_dir(data_dir, edition, layout.root)}
        jobs.append(Job(src, edition / src.name, staging / src.name, params))
    cross_src = layout.notebooks / CROSS_YEAR
    if cross_src.exists():
        params = {"year": latest or year, "data_dir": relative_data_dir(data_dir, layout.book, layout.root)}
        jobs.append(Job(cross_src, layout.book / CROSS_YEAR, layout.book / f".{CROSS_YEAR}.staging.ipynb", params))
    sha = Hasher()
    for job in jobs:
        job.source_sha = sha(job.source)
        job.package = layout.package
    if manifest is not None:
        code = code or code_hash(layout.package, layout.root)
        for job in jobs:
            target = rel(job.target, layout.root)
            reason = manifest.stale(target=target, source=rel(job.source, layout.root),
                                    source_sha=job.source_sha, parameters=job.parameters, code=code,
                                    root=layout.root, sha=sha)
            job.skipped = reason is None
            job.reason = reason or ""
            job.seconds = manifest.seconds(target)
    return jobs


def _validate(layout: Layout, data: Path, year: int, manifest: Manifest, code: str) -> tuple[bool, list[int]]:
    """Validate the whole data package, unless none of the files the last validation read changed.

    Returns whether it validated, and the years that have claims. Either way an unknown year is refused.
    """
    years = manifest.validated_years(data, code, Hasher())
    if years is not None and year in years:
        return False, years
    from .data import load

    ds = load(data)
    ds.require_year(year)
    manifest.record_validation(data, code, ds.files_read, ds.years, Hasher())
    return True, ds.years


@guarded  # one build at a time; SIGTERM restores and exits (see guard.py)
def build(year: object, data_dir: object, *, workers: int | None = None, layout: Layout | None = None,
          book: bool = True, force: bool = False) -> BuildReport:
    """Validate, execute what changed (``force``: everything), swap it in, rebuild the book if needed."""
    from .params import check_params

    layout = layout or Layout()
    start = time.perf_counter()
    year, data = check_params(year=year, data_dir=data_dir)
    recover(layout)
    manifest = Manifest.read(layout.manifest)
    if force:
        manifest = Manifest(layout.manifest)
    code = code_hash(layout.package, layout.root)
    report = BuildReport()
    t = time.perf_counter()
    report.validated, years = _validate(layout, data, year, manifest, code)
    report.phases["validate"] = time.perf_counter() - t
    jobs = plan(layout, year, data, latest=max(years), manifest=manifest, code=code)
    todo = [j for j in jobs if not j.skipped]
    for nb in layout.chapter_sources() + [layout.notebooks / CROSS_YEAR]:
        if not nb.exists() or any(j.source == nb for j in todo):
            check_notebook(nb)
    for job in todo:
        log(f"execute {rel(job.target, layout.root)}: {job.reason}")
    edition_dir = layout.editions / str(year)
    staging_dir = layout.editions / f".{year}.staging"
    moved: list[tuple[Path, Path | None]] = []
    try:
        t = time.perf_counter()
        report.workers = run_jobs(jobs, workers)
        report.phases["execute"] = time.perf_counter() - t
        report.peak_parallel = peak_parallel(jobs)
        if staging_dir.exists():
            # The staged folder becomes the edition: carry over the published copies of the notebooks
            # that were not executed, and the files beside them that no executed notebook rewrote.
            keep = {j.target.name for j in jobs if j.skipped and j.target.parent == edition_dir}
            for extra in edition_dir.glob("*") if edition_dir.exists() else []:
                target = staging_dir / extra.name
                if not target.exists() and extra.is_file() and (extra.suffix != ".ipynb" or extra.name in keep):
                    shutil.copy2(extra, target)
            moved.append((edition_dir, swap_in(staging_dir, edition_dir)))
        for job in jobs:
            if job.target.parent == layout.book and job.staging.exists():
                moved.append((job.target, swap_in(job.staging, job.target)))
        report.executed = [rel(j.target, layout.root) for j in todo]
        report.skipped = [rel(j.target, layout.root) for j in jobs if j.skipped]
        report.reasons = {rel(j.target, layout.root): j.reason for j in todo}
        if book:
            key = book_hash(layout.root, code)
            if not (layout.html / "index.html").is_file():
                report.book_reason = "no book in _build/html"
            elif manifest.book != key:
                report.book_reason = "its sources changed"
            if report.book_reason:
                log(f"build the book: {report.book_reason}")
                t = time.perf_counter()
                build_book(layout)
                report.phases["book"] = time.perf_counter() - t
                report.book_built = True
                manifest.book = book_hash(layout.root, code)  # build_book may have written _static
    except BaseException:
        for final, previous in reversed(moved):
            restore(final, previous)
        recover(layout)  # and drop the staging folders of a failed build
        raise
    for _, previous in moved:
        discard(previous)
    sha = Hasher()
    for job in todo:
        manifest.record_notebook(
            target=rel(job.target, layout.root), source=rel(job.source, layout.root),
            source_sha=job.source_sha, parameters=job.parameters, code=code,
            reads=None if job.reads is None else {rel(p, layout.root): sha(p) for p in job.reads},
            output_sha=sha(job.target), seconds=job.seconds)
    if any(j.target.parent == edition_dir for j in todo):
        manifest.record_outputs(edition_dir, layout.root, sha)
    manifest.write()
    report.seconds = time.perf_counter() - start
    if todo or report.book_built:
        log(f"validate {report.phases['validate']:.1f} s"
            + (f", execute {len(todo)} notebook(s) {report.phases['execute']:.1f} s on {report.workers} "
               f"worker(s) (at most {report.peak_parallel} at once)" if todo else "")
            + (f", book {report.phases['book']:.1f} s" if report.book_built else ""))
    return report


def published_years(layout: Layout | None = None) -> list[int]:
    layout = layout or Layout()
    return sorted(int(p.name) for p in layout.editions.glob("*") if re.fullmatch(r"\d{4}", p.name))
