"""Interrupted and stuck builds: the last good book and edition stay intact, and the next build works.

Each scenario copies a repository that holds a real book (built once per session), starts
``python -m factcheck build --year 2022`` there and signals the build process alone (not its process
group: its kernels, jupyter-book and Chromium get no signal of their own) at one of these moments:

* ``staging``: ``book/editions/.2022.staging`` exists and a kernel is executing a page into it;
* ``jupyter-book``: the pages are swapped in and ``jupyter-book build`` is running;
* ``pdf`` (SIGKILL only): the book is built and Chromium prints the PDF (the export step).

SIGTERM must be handled: the kernels and jupyter-book are stopped, the last good edition and landing
page are put back, one ``error:`` line is printed and the exit code is 143, with nothing left over.
SIGKILL cannot be handled: ``_build/html`` is still intact at once (it is only ever replaced whole), and
the next start (``recover()``) puts the edition and the landing page back, removes the leftovers and
ends the orphaned jupyter-book; nothing of the killed build (kernels, Chromium) goes on running. That
next start is shown twice: a build with an empty data folder (it recovers, then refuses the data, so
the recovered state can be inspected) and then (after a kill during jupyter-book) a real build, which
must succeed and publish the new pages.

To keep the scenarios short only two pages run again: the copy's overview and landing-page templates
get a marker (so a published half-build would be visible); every other page is up to date.

A page whose cell hangs is stopped after ``FACTCHECK_CELL_TIMEOUT`` seconds, a PDF print after
``FACTCHECK_PDF_TIMEOUT`` seconds: one line naming the page or the print, exit 1, the kernel or Chromium
gone, and the last good book byte-identical.
"""

from __future__ import annotations

import signal
import time
from pathlib import Path

import psutil
import pytest
from buildcopies import (
    YEAR,
    add_cells,
    copy_tree,
    leftovers,
    marked_build,
    published,
    run_cli,
    start_cli,
    tree_hash,
    unmarked,
    wait_for,
)

pytestmark = pytest.mark.slow

NO_PDF = {"FACTCHECK_PDF": "off"}  # the follow-up builds need no new PDF; saves ~10 s each


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    return marked_build(tmp_path_factory, "interrupt")


def processes_in(root: Path) -> list[str]:
    """Processes (kernels, jupyter-book, Chromium) still working in ``root``: their directory is inside it."""
    found = []
    for proc in psutil.process_iter(["pid", "cwd", "cmdline"]):
        cwd = proc.info.get("cwd") or ""
        if cwd == str(root) or cwd.startswith(str(root) + "/"):
            found.append(f"{proc.info['pid']}: {' '.join(proc.info.get('cmdline') or [])[:120]}")
    return found


def child_running(proc, name: str) -> bool:
    try:
        return any(name in " ".join(c.cmdline()) for c in psutil.Process(proc.pid).children(recursive=True))
    except psutil.Error:
        return False


def executing_into_staging(root: Path, proc):
    staging = root / "book" / "editions" / f".{YEAR}.staging"
    return lambda: staging.is_dir() and child_running(proc, "ipykernel")


def jupyter_book_running(proc):
    return lambda: child_running(proc, "jupyter-book")


def gone(procs: list[psutil.Process], timeout: float) -> list[int]:
    """The pids among ``procs`` still alive after ``timeout`` seconds (zombies count as gone)."""
    deadline = time.monotonic() + timeout
    while True:
        alive = []
        for p in procs:
            try:
                if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                    alive.append(p.pid)
            except psutil.Error:
                pass
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.2)


def chromium_running(proc):
    return lambda: child_running(proc, "chromium")


SCENARIOS = [pytest.param(sig, moment, id=f"{sig.name}-{moment}")
             for sig in (signal.SIGTERM, signal.SIGKILL) for moment in ("staging", "jupyter-book")]
SCENARIOS.append(pytest.param(signal.SIGKILL, "pdf", id="SIGKILL-pdf"))  # Chromium printing: no orphan browser


@pytest.mark.parametrize(("sig", "moment"), SCENARIOS)
def test_killed_build(base, tmp_path, sig, moment):
    root = copy_tree(base, tmp_path / "repo")
    before = tree_hash(*published(root))
    html_before = tree_hash(root / "_build" / "html")
    log = tmp_path / "build.log"
    proc = start_cli(root, "build", "--year", YEAR, "--jobs", "2", log=log)
    try:
        if moment == "staging":
            wait_for(executing_into_staging(root, proc), proc, 300, "a kernel executing into the staging folder",
                     log)
        elif moment == "jupyter-book":
            wait_for(jupyter_book_running(proc), proc, 600, "jupyter-book", log)
            wait_for((root / "_build" / "next").exists, proc, 60, "jupyter-book writing _build/next", log)
        else:
            wait_for(chromium_running(proc), proc, 600, "Chromium printing the PDF", log)
        children = psutil.Process(proc.pid).children(recursive=True)  # kernels, jupyter-book or Chromium
        assert proc.poll() is None, "the build ended before it could be killed"
        proc.send_signal(sig)
        proc.wait(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    output = log.read_text(encoding="utf-8")

    if sig == signal.SIGTERM:
        assert proc.returncode == 128 + signal.SIGTERM, output[-3000:]
        errors = [line for line in output.splitlines() if line.startswith("error: ")]
        assert len(errors) == 1 and "interrupted by SIGTERM" in errors[0], output[-3000:]
        assert "Traceback" not in output
        assert gone(children, 10) == [], "the build left kernels or jupyter-book running"
        assert leftovers(root) == []
        assert tree_hash(*published(root)) == before
        return

    assert proc.returncode == -signal.SIGKILL
    assert tree_hash(root / "_build" / "html") == html_before, "a killed build changed _build/html"
    assert leftovers(root), "expected the traces of a killed build"
    # The next start recovers: here it then stops at the (empty) data folder, so its work can be inspected.
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run_cli(root, "build", "--year", YEAR, "--data", str(empty), timeout=120)
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert result.returncode == 2 and len(errors) == 1 and str(empty) in errors[0], result.stderr
    assert gone(children, 10) == [], "kernels, jupyter-book or Chromium of the killed build are still running"
    assert processes_in(root) == []
    assert leftovers(root) == []
    assert tree_hash(*published(root)) == before, "recover() did not restore the last good edition"
    if moment == "jupyter-book":
        # and a real next build succeeds without any manual clean-up, publishing the new edition whole
        pages = sorted(p.name for p in (root / "book" / "editions" / YEAR).glob("*.ipynb"))
        result = run_cli(root, "build", "--year", YEAR, "--jobs", "2", timeout=900, env=NO_PDF)
        assert result.returncode == 0, result.stderr[-3000:]
        assert leftovers(root) == []
        assert unmarked(root) == [], "the new pages are not all published"
        assert sorted(p.name for p in (root / "book" / "editions" / YEAR).glob("*.ipynb")) == pages


def test_second_build_is_refused_while_one_runs(base, tmp_path):
    """Two builds of one repository at once would tear down each other's staging: the second is refused."""
    root = copy_tree(base, tmp_path / "repo")
    before = tree_hash(*published(root))
    log = tmp_path / "build.log"
    proc = start_cli(root, "build", "--year", YEAR, "--jobs", "2", log=log)
    try:
        wait_for(executing_into_staging(root, proc), proc, 300, "a kernel executing into the staging folder",
                 log)
        result = run_cli(root, "build", "--year", YEAR, timeout=120)
        assert result.returncode == 2, result.stderr
        assert "another build of this repository is running" in result.stderr
        assert (root / "book" / "editions" / f".{YEAR}.staging").is_dir(), "the second build removed the staging"
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=120)
    assert proc.returncode == 128 + signal.SIGTERM
    assert tree_hash(*published(root)) == before


def test_hanging_cell_is_stopped_after_the_cell_timeout(base, tmp_path):
    """A cell that never ends: the build stops it after FACTCHECK_CELL_TIMEOUT seconds, says which page in
    one line, exits 1 and leaves the last good book as it was."""
    root = copy_tree(base, tmp_path / "repo")
    add_cells(root / "notebooks" / "overview.ipynb",
              {"cell_type": "code", "id": "hang", "metadata": {}, "execution_count": None, "outputs": [],
               "source": "import time\ntime.sleep(600)"})
    before = tree_hash(*published(root))
    # the cell sleeps 600 s: a build that did not stop it would outlive run_cli's 300 s (no timing asserted)
    result = run_cli(root, "build", "--year", YEAR, "--jobs", "2", timeout=300, env={"FACTCHECK_CELL_TIMEOUT": "3"})
    assert result.returncode == 1, result.stderr[-3000:]
    errors = [line for line in result.stderr.splitlines() if line.startswith(("error:", "internal error:"))]
    assert len(errors) == 1, result.stderr[-3000:]
    assert "00_overview" in errors[0] and "FACTCHECK_CELL_TIMEOUT" in errors[0], errors[0]
    assert "Traceback" not in result.stderr
    assert processes_in(root) == [], "a kernel of the stopped build is still running"
    assert leftovers(root) == []
    assert tree_hash(*published(root)) == before


def test_a_print_longer_than_the_pdf_timeout_is_stopped(base, tmp_path):
    """The PDF print has a time limit of its own (FACTCHECK_PDF_TIMEOUT): past it, Chromium is killed, one line
    names the step, exit 1, and the last good book, edition and PDF stay as they were."""
    root = copy_tree(base, tmp_path / "repo")  # its marked templates change the book, so the PDF is printed anew
    before = tree_hash(*published(root))
    result = run_cli(root, "build", "--year", YEAR, "--jobs", "2", timeout=300, env={"FACTCHECK_PDF_TIMEOUT": "0.5"})
    assert result.returncode == 1, result.stderr[-3000:]
    errors = [line for line in result.stderr.splitlines() if line.startswith(("error:", "internal error:"))]
    assert len(errors) == 1, result.stderr[-3000:]
    assert "PDF print" in errors[0] and "FACTCHECK_PDF_TIMEOUT" in errors[0] and "0.5 s" in errors[0], errors[0]
    assert "Traceback" not in result.stderr
    assert processes_in(root) == [], "Chromium (or a kernel) of the stopped build is still running"
    assert leftovers(root) == []
    assert not list((root / "_build" / "exports").glob("*.tmp")), "a half-printed PDF was left"
    assert tree_hash(*published(root)) == before
