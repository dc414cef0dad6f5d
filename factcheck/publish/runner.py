"""The whole build: judge, execute the pages with papermill, build the book aside, then swap it in.

1. **Judge** (:func:`factcheck.judged.stage`): validate the data package once and write
   ``_build/judged/<year>.json`` for every edition and ``_build/judged/book.json``; skipped when none of the
   files it read changed. An edition's file holds only what its pages show, so a change to one edition
   (or a new one) rewrites no other edition's file.
2. **Execute** the pages of ``year`` (its overview, each chapter with something to check, its fact-check
   page), the pages of any other edition whose judged file changed, and the pages that list every edition
   (the landing page, which also presents the latest full edition; the cross-year chapter; the about page),
   each a papermill run of a template in ``notebooks/``. Only pages whose template, parameters or read files
   (the judged files, ``book/chapters.yml``, the ``factcheck`` modules the kernel imported) changed run again
   (:mod:`.manifest`), in parallel, one kernel a core, into ``book/editions/.<year>.staging``; the staging
   folder then replaces the edition.
3. **Navigate**: ``_toc.yml`` is written from what is published (:mod:`.toc`).
4. **Book**: ``jupyter-book build -W -n --keep-going`` into ``_build/next``, the pages adjusted
   (:mod:`.pages`), the downloads added (:mod:`.export`), then ``_build/html`` replaced.

A failure anywhere restores the previous edition and leaves the last good book untouched; a killed build
is recovered at the start of the next (:mod:`.guard`). With nothing changed a build imports neither
pandas nor papermill and takes well under a second.
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

from .. import chapters
from ..edition import edition_title
from ..errors import BuildError, InputError, cannot_write, environment_cause
from ..params import PARAMETERS, check_data_dir, check_year, cores, seconds_from_env
from . import kernels, toc
from .audit import audit_site
from .guard import guarded, stop_orphans
from .layout import ABOUT, CROSS_YEAR, INDEX, Layout
from .manifest import Hasher, Manifest, book_hash, code_hash, env_hash, rel, sha_file
from .published import mismatch
from .sphinxext import is_placeholder, repository_of

STAMP_KEYS = ("papermill", "execution")
TEMPLATE_PARAMETERS = {"overview": {"year", "judged_dir"}, "chapter": {"year", "chapter", "judged_dir"},
                       "factcheck": {"year", "judged_dir"}, INDEX: {"year", "judged_dir"}, CROSS_YEAR: {"judged_dir"},
                       ABOUT: {"judged_dir"}}
"""The parameters the runner passes each template (``notebooks/<name>.ipynb``): an edition's pages name their
year; the landing page the edition it presents; the cross-year chapter and the about page none (they show every
edition)."""
CELL_TIMEOUT = 300
"""Seconds a notebook cell may run before the build stops, naming the notebook (``FACTCHECK_CELL_TIMEOUT``)."""


@dataclass
class Job:
    """One page to execute: from which template, to where, with which parameters."""

    source: Path
    target: Path  # the final location
    staging: Path  # where it is executed
    parameters: dict
    title: str = ""  # filled into the page's heading ({{chapter_title}})
    skipped: bool = False
    seconds: float = 0.0
    reason: str = "not built before"
    source_sha: str | None = None
    package: Path | None = None
    reads: list[Path] | None = None
    started: float = 0.0
    ended: float = 0.0
    cell_timeout: float = CELL_TIMEOUT


@dataclass
class BuildReport:
    executed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    judged: bool = False  # False when the data files were unchanged since the last judged stage
    book_built: bool = False
    book_reason: str = ""
    workers: int = 0
    peak_parallel: int = 0
    phases: dict[str, float] = field(default_factory=dict)  # seconds: judge, execute, book, exports


def log(message: str) -> None:
    print(f"[factcheck] {message}", file=sys.stderr, flush=True)


# ---- notebook checks ----------------------------------------------------------------------------
def check_notebook(path: Path, expected: set[str]) -> None:
    """A template must have a ``parameters`` cell defining exactly the parameters the runner passes."""
    import nbformat
    import papermill

    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as exc:  # noqa: BLE001 - any unreadable notebook is bad input
        raise InputError(f"not a readable notebook ({exc.__class__.__name__}: {exc})", file=rel(path, Path.cwd())) from None
    if not any("parameters" in c.get("metadata", {}).get("tags", []) for c in nb.cells):
        raise InputError("has no cell tagged 'parameters', so papermill could not set its parameters",
                         file=rel(path, Path.cwd()))
    declared = set(papermill.inspect_notebook(str(path)))
    unknown = declared - set(PARAMETERS)
    if unknown:
        raise InputError(f"declares unknown parameter(s) {', '.join(sorted(unknown))}; the runner knows only "
                         f"{', '.join(PARAMETERS)}", file=rel(path, Path.cwd()))
    missing = expected - declared
    if missing:
        raise InputError(f"its parameters cell does not define {', '.join(sorted(missing))}", file=rel(path, Path.cwd()))


# ---- execution ----------------------------------------------------------------------------------
TRACE_TAG = "factcheck-reads"
TRACE_PREFIX = "factcheck-reads: "
# Appended to every notebook the runner executes, removed again from the executed copy by ``tidy``: the
# kernel reports which files it read (factcheck.load notes every file it opens) and which factcheck it
# imported.
TRACE_SOURCE = f"""import json as _json, sys as _sys
_fc, _load = _sys.modules.get("factcheck"), _sys.modules.get("factcheck.load")
print({TRACE_PREFIX!r} + _json.dumps({{
    "package": list(_fc.__path__)[0] if _fc else None,
    "reads": ([str(p) for p in _load.reads()] if hasattr(_load, "reads") else None) if _load else [],
    "modules": sorted(getattr(m, "__file__", None) or "" for n, m in list(_sys.modules.items())
                      if n == "factcheck" or n.startswith("factcheck.")),
}}))"""


def execute(job: Job) -> Job:
    """Execute ``job``'s template into its staging path with papermill; a full disk or a read-only folder is
    one line (:func:`factcheck.errors.cannot_write`), a failing cell or a dead kernel a :class:`BuildError`."""
    try:
        return _execute(job)
    except OSError as exc:
        raise cannot_write(exc, job.staging) or exc from None


def _execute(job: Job) -> Job:
    import nbformat
    import papermill

    job.started = time.perf_counter()
    job.staging.parent.mkdir(parents=True, exist_ok=True)
    nb = nbformat.read(job.source, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(TRACE_SOURCE, metadata={"tags": ["remove-cell", TRACE_TAG]}))
    try:
        # The kernel's working directory comes from ``resources``, not from papermill's ``cwd=``, which
        # changes the working directory of the whole process and so races between threads. The kernel
        # talks over Unix sockets of its own, not over TCP ports another process could take.
        papermill.execute_notebook(
            nb, str(job.staging), parameters=job.parameters,
            resources={"metadata": {"path": str(job.staging.parent)}},
            progress_bar=False, kernel_name="python3", report_mode=False, request_save_on_cell_execute=False,
            execution_timeout=job.cell_timeout, shutdown_kernel="immediate",
            extra_arguments=["--IPKernelApp.log_level=ERROR"], kernel_manager_class=kernels.kernel_manager(),
        )
    except papermill.PapermillExecutionError as exc:
        message = f"{job.target.name}: cell {exc.exec_count} failed: {exc.ename}: {exc.evalue}"
        if exc.ename == "InputError":
            raise InputError(f"{exc.evalue}") from None
        raise BuildError(message) from None
    except Exception as exc:  # noqa: BLE001 - a dead kernel or a timeout, said by notebook
        if isinstance(exc, OSError) and cannot_write(exc, job.staging):  # a full disk, a read-only folder
            raise cannot_write(exc, job.staging) from None
        if "Timeout" in type(exc).__name__ or "timed out" in str(exc).lower():
            raise BuildError(f"{job.target.name}: a cell ran longer than {job.cell_timeout:g} s "
                             "(FACTCHECK_CELL_TIMEOUT); stopped") from None
        raise BuildError(f"{job.target.name} could not be executed: {type(exc).__name__}: {exc}") from None
    edition_page = job.staging.parent.name.startswith(".") and job.staging.parent.name.endswith(".staging")
    year = job.parameters.get("year")  # the edition a page presents (none: the cross-year and about pages)
    judged_file = job.staging.parent / job.parameters["judged_dir"] / f"{year}.json" if year else None
    judged = sha_file(judged_file) if edition_page and judged_file else None
    edition = edition_title(json.loads(judged_file.read_text(encoding="utf-8"))) if judged else ""
    job.reads = _trusted_reads(job, tidy(job.staging, year=year, title=job.title, judged=judged, edition=edition))
    job.ended = time.perf_counter()
    job.seconds = job.ended - job.started
    return job


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~$])")


def tidy(path: Path, *, year: int | None, title: str = "", judged: str | None = None, edition: str = "") -> dict | None:
    """Hide the injected parameters, fill ``{{year}}``, ``{{chapter_title}}`` and ``{{edition_title}}`` (the
    article and the year its figures describe, :func:`factcheck.edition.edition_title`; escaped) into the headings,
    drop run stamps (determinism), note the hash of the judged file the page shows (``judged``), remove the
    trace cell and return what it reported."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    for key in STAMP_KEYS:
        nb.metadata.pop(key, None)
    if judged:
        nb.metadata["factcheck"] = {"judged_sha256": judged}
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
        if cell.cell_type == "markdown":
            if year is not None:
                cell.source = cell.source.replace("{{year}}", str(int(year)))
            cell.source = cell.source.replace("{{chapter_title}}", _MARKDOWN_SPECIAL.sub(r"\\\1", title))
            cell.source = cell.source.replace("{{edition_title}}", _MARKDOWN_SPECIAL.sub(r"\\\1", edition))
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
    """The files the kernel read, or None (unknown: executed again next time) when it did not say, or
    imported another ``factcheck`` than the one whose code the manifest hashes."""
    if not trace or trace.get("reads") is None:
        log(f"{job.target.name}: the kernel did not report the files it read; it will run every build")
        return None
    package = trace.get("package")
    if package and job.package and Path(package).resolve() != job.package.resolve():
        log(f"{job.target.name}: the kernel imported factcheck from {package}, not {job.package}; "
            "it will run every build")
        return None
    return [Path(p) for p in [*trace["reads"], *trace.get("modules", [])] if p]


def run_jobs(jobs: list[Job], workers: int | None = None) -> int:
    """Execute the jobs not skipped, in parallel (at most ``workers``, at most the cores), longest first.

    On the first failure the jobs not yet started are cancelled and the first failing job's error (in plan
    order) is raised. Returns the number of workers used.
    """
    todo = [j for j in jobs if not j.skipped]
    if not todo:
        return 0
    workers = max(1, min(workers or cores(), cores(), len(todo)))
    order = sorted(todo, key=lambda j: -j.seconds)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {id(j): pool.submit(execute, j) for j in order}
        errors: list[Exception] = []
        for job in todo:
            try:
                futures[id(job)].result()
            except CancelledError:
                continue
            except (InputError, BuildError) as exc:
                errors.append(exc)
                for f in futures.values():
                    f.cancel()
        if errors:
            raise errors[0]
    return workers


def peak_parallel(jobs: list[Job]) -> int:
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
    for name in (CROSS_YEAR, INDEX, ABOUT):
        prev = layout.book / f".{name}.ipynb.previous"
        if prev.exists():
            prev.replace(layout.book / f"{name}.ipynb")
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
def build_book(layout: Layout, data_dir: Path) -> dict[str, float]:
    """``jupyter-book build`` strictly into ``_build/next``, the downloads added, then swapped into place."""
    from ..charts import write_vega_bundle
    from .export import finish
    from .pages import postprocess_html

    write_vega_bundle(layout.book / "_static")
    out = layout.build / "next"
    shutil.rmtree(out, ignore_errors=True)
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    cmd = [str(jupyter_book), "build", str(layout.root), "--path-output", str(out), "-W", "-n", "--keep-going"]
    t = time.perf_counter()
    result = subprocess.run(cmd, cwd=layout.root, capture_output=True, text=True)
    if result.returncode != 0:
        cause = environment_cause(result.stdout + result.stderr)
        if cause:  # a full disk, a read-only folder: the user's to fix
            raise InputError(f"jupyter-book could not write its output: {cause}; the build stopped and the last "
                             "good book is kept", file=rel(out, Path.cwd()))
        tail = "; ".join(line.strip() for line in (result.stdout + result.stderr).splitlines()
                         if "WARNING" in line or "ERROR" in line or "Error" in line)
        raise BuildError(f"jupyter-book build failed (the last good book is kept): {tail or result.stdout[-2000:]}")
    seconds = {"book": time.perf_counter() - t}
    built = out / "_build" / "html"
    postprocess_html(built)
    seconds.update(finish(layout.root, built, data_dir=data_dir, judged_dir=layout.judged, cache=layout.build))
    audit_site(built)  # the last look before the site replaces the last good one
    old = layout.build / "html.old"
    if layout.html.exists():
        layout.html.rename(old)
    built.rename(layout.html)
    shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    return seconds


# ---- planning -----------------------------------------------------------------------------------
def _relative(path: Path, start: Path) -> str:
    return os.path.relpath(path.resolve(), start.resolve())


def edition_pages(layout: Layout, year: int, published: list[str]) -> list[Job]:
    """An edition's pages: its overview, each chapter with something to check, its fact-check page."""
    jobs = []
    edition = layout.editions / str(year)
    staging = layout.editions / f".{year}.staging"
    judged = _relative(layout.judged, edition)
    pages = [("overview", "00_overview", {}), *[("chapter", chapters.get(c).page, {"chapter": c}) for c in published],
             ("factcheck", chapters.factcheck_page(), {})]
    for template, name, extra in pages:
        title = chapters.get(extra["chapter"]).title if extra else ""
        jobs.append(Job(layout.template(template), edition / f"{name}.ipynb", staging / f"{name}.ipynb",
                        {"year": year, **extra, "judged_dir": judged}, title=title))
    return jobs


def plan(layout: Layout, year: int, index_year: int, published: list[str], manifest: Manifest | None = None,
         code: str | None = None, others: dict[int, list[str]] | None = None) -> list[Job]:
    """The pages to execute: ``year``'s edition (and those of ``others``: year → published chapters), and the pages
    that list every edition: the landing page (presenting ``index_year``'s edition too), the cross-year chapter,
    the about page. Each job is marked skipped when ``manifest`` shows none of its inputs changed."""
    jobs = edition_pages(layout, year, published)
    for other, its_chapters in sorted((others or {}).items()):
        jobs += edition_pages(layout, other, its_chapters)
    book_judged = _relative(layout.judged, layout.book)
    for name, params in ((INDEX, {"year": index_year}), (CROSS_YEAR, {}), (ABOUT, {})):
        jobs.append(Job(layout.template(name), layout.book / f"{name}.ipynb", layout.book / f".{name}.staging.ipynb",
                        {**params, "judged_dir": book_judged}))
    sha = Hasher()
    for job in jobs:
        job.source_sha = sha(job.source)
        job.package = layout.package
    if manifest is not None:
        code = code or env_hash(layout.root)
        for job in jobs:
            target = rel(job.target, layout.root)
            reason = manifest.stale(target=target, source=rel(job.source, layout.root), source_sha=job.source_sha,
                                    parameters=job.parameters, code=code, root=layout.root, sha=sha)
            job.skipped = reason is None
            job.reason = reason or ""
            job.seconds = manifest.seconds(target)
    return jobs


def judge_stage(layout: Layout, data: Path, manifest: Manifest, code: str) -> tuple[bool, list[int]]:
    """Validate and judge, unless none of the files the last judged stage read or wrote changed."""
    years = manifest.judged_years(data, code, layout.judged, Hasher())
    if years is not None:
        return False, years
    from ..judged import stage
    from ..load import reads

    before = set(reads())
    changed = stage(data, layout.judged)
    files = [p for p in reads() if p not in before or p.is_relative_to(data.resolve())]
    manifest.record_judged(data, code, files, sorted(changed), layout.judged, Hasher())
    return True, sorted(changed)


def _published(layout: Layout, year: int) -> list[str]:
    from ..edition import Edition

    return Edition.read(layout.judged, year).published_chapters()


def shown_judged(page: Path) -> str | None:
    """The hash of the judged file a published page was executed from (None when it does not say)."""
    try:
        return json.loads(page.read_text(encoding="utf-8"))["metadata"]["factcheck"]["judged_sha256"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def stale_editions(layout: Layout, year: int, years: list[int], manifest: Manifest | None = None) -> dict[int, list[str]]:
    """The other published editions to execute again with ``year``'s: year → chapters to publish. An edition is
    executed again when its pages no longer show its judged file (a data or engine change reached them), when
    a page is missing or extra, and when a committed page is not what its template gives (:mod:`.published`)
    or is not the file the last build wrote; so no page of the book keeps verdicts its downloads no longer
    have, or anything the build did not write."""
    out = {}
    for other in toc.published_years(layout):
        if other == year or other not in years:
            continue
        current = sha_file(layout.judged / f"{other}.json")
        published = _published(layout, other)
        jobs = edition_pages(layout, other, published)
        folder = layout.editions / str(other)
        existing = {p.name for p in folder.glob("*.ipynb")}
        if existing != {j.target.name for j in jobs} or any(
                shown_judged(j.target) != current or mismatch(j.target, j.source, j.parameters)
                or (manifest is not None and manifest.edited(rel(j.target, layout.root), sha_file(j.target)))
                for j in jobs):
            out[other] = published
    return out


def unjudged_editions(layout: Layout, years: list[int]) -> list[Path]:
    """The edition folders of years the data has no claims for (a deleted edition, a copied folder): removed
    from the book by the build, so that nothing is published that no judged file stands behind."""
    if not layout.editions.is_dir():
        return []
    return sorted(p for p in layout.editions.iterdir()
                  if re.fullmatch(r"[0-9]{4}", p.name) and int(p.name) not in years)


def inside(path: Path, folder: Path) -> None:
    """Refuse to write ``path`` unless it lies in ``folder`` (no '..', no link on the way out)."""
    import os.path

    real = Path(os.path.abspath(path))
    if ".." in Path(path).parts or not real.is_relative_to(Path(os.path.abspath(folder))):
        raise InputError(f"would be written outside {rel(folder, Path.cwd())}; refused", file=str(path))


def check_data_files(data: Path) -> None:
    """Nothing under the data folder but its declared regular files. The validation checks it whenever the judged
    stage runs; a skipped stage (the data as validated last time) gets this check alone, so that a link or a stray
    file added since is refused all the same."""
    from ..load import check_declared, declared_files

    check_declared(data, declared_files(data))


# ---- the whole build ----------------------------------------------------------------------------
@guarded(recover)  # one build at a time; SIGTERM restores and exits (see guard.py)
def build(year: object, data_dir: object, *, workers: int | None = None, layout: Layout | None = None,
          book: bool = True, force: bool = False) -> BuildReport:
    """Judge, execute what changed (``force``: everything), swap it in, rebuild the book if needed."""
    layout = layout or Layout()
    start = time.perf_counter()
    year, data = check_year(year), check_data_dir(data_dir)
    cell_timeout = seconds_from_env("FACTCHECK_CELL_TIMEOUT", CELL_TIMEOUT)
    repository = repository_of(layout.root)  # checked now: FACTCHECK_REPOSITORY is a parameter too
    recover(layout)
    layout.check_book()  # before anything is read or published
    manifest = Manifest(layout.manifest) if force else Manifest.read(layout.manifest)
    code = code_hash(layout.package, layout.root)
    report = BuildReport()
    t = time.perf_counter()
    report.judged, years = judge_stage(layout, data, manifest, code)
    if not report.judged:
        check_data_files(data)
    report.phases["judge"] = time.perf_counter() - t
    if year not in years:
        raise InputError(f"no claims for year {year}; years available: {', '.join(map(str, years))}",
                         parameter="year")
    published_years = sorted(set(toc.published_years(layout)) | {year})
    index_year = toc.latest_full(layout, [y for y in published_years if y in years])
    env = env_hash(layout.root)
    others = stale_editions(layout, year, years, manifest)
    for other in others:
        log(f"edition {other}: its judged file changed or its pages are not what the build wrote; executed again too")
    unjudged = unjudged_editions(layout, years)
    for folder in unjudged:
        log(f"edition {folder.name}: the data has no claims for it; its pages are removed from the book")
    jobs = plan(layout, year, index_year, _published(layout, year), manifest=manifest, code=env, others=others)
    todo = [j for j in jobs if not j.skipped]
    for job in jobs:
        job.cell_timeout = cell_timeout
        inside(job.target, layout.book)
        inside(job.staging, layout.book)
    for template in {j.source for j in todo}:
        check_notebook(template, TEMPLATE_PARAMETERS[template.stem])
    for job in todo:
        log(f"execute {rel(job.target, layout.root)}: {job.reason}")
    moved: list[tuple[Path, Path | None]] = []
    try:
        t = time.perf_counter()
        report.workers = run_jobs(jobs, workers)
        report.phases["execute"] = time.perf_counter() - t
        report.peak_parallel = peak_parallel(jobs)
        for edition_year in [year, *sorted(others)]:
            edition_dir = layout.editions / str(edition_year)
            staging_dir = layout.editions / f".{edition_year}.staging"
            wanted = {j.target.name for j in jobs if j.target.parent == edition_dir}
            stale = {p.name for p in edition_dir.glob("*.ipynb")} - wanted if edition_dir.is_dir() else set()
            if staging_dir.exists() or stale:
                # The staged folder becomes the edition: carry over the published pages that were not executed;
                # pages no longer published (a chapter with nothing left to check) are dropped.
                staging_dir.mkdir(parents=True, exist_ok=True)
                for name in wanted:
                    if not (staging_dir / name).exists() and (edition_dir / name).is_file():
                        shutil.copy2(edition_dir / name, staging_dir / name)
                moved.append((edition_dir, swap_in(staging_dir, edition_dir)))
        for job in jobs:
            if job.target.parent == layout.book and job.staging.exists():
                moved.append((job.target, swap_in(job.staging, job.target)))
        for folder in unjudged:
            previous = folder.with_name(f".{folder.name}.previous")
            folder.rename(previous)
            moved.append((folder, previous))
        toc.write(layout)
        report.executed = [rel(j.target, layout.root) for j in todo]
        report.skipped = [rel(j.target, layout.root) for j in jobs if j.skipped]
        report.reasons = {rel(j.target, layout.root): j.reason for j in todo}
        if book:
            key = book_hash(layout.root, code, data, repository)
            if not (layout.html / "index.html").is_file():
                report.book_reason = "no book in _build/html"
            elif manifest.book != key:
                report.book_reason = "its sources changed"
            if report.book_reason:
                log(f"build the book: {report.book_reason}")
                if is_placeholder(repository):
                    log("repository.url in _config.yml is still a placeholder: the book's links for reporting an "
                        "error lead nowhere until it names the real repository")
                report.phases.update(build_book(layout, data))
                report.book_built = True
                manifest.book = book_hash(layout.root, code, data, repository)  # build_book may have written _static
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
            target=rel(job.target, layout.root), source=rel(job.source, layout.root), source_sha=job.source_sha,
            parameters=job.parameters, code=env,
            reads=None if job.reads is None else {rel(p, layout.root): sha(p) for p in job.reads},
            output_sha=sha(job.target), seconds=job.seconds)
    manifest.write()
    report.seconds = time.perf_counter() - start
    if todo or report.book_built or report.judged:
        log(", ".join(f"{k} {v:.1f} s" for k, v in report.phases.items())
            + (f"; {len(todo)} notebook(s) on {report.workers} worker(s), at most {report.peak_parallel} at once"
               if todo else ""))
    return report
