"""Interrupted builds: a killed build leaves the last good book and edition intact, and the next one works.

Each scenario copies a repository that holds a real book (built once per session), starts
``python -m factcheck build --year 2022`` there and signals the build process alone (not its process
group: its kernels and jupyter-book get no signal of their own) at one of two moments:

* ``staging``: ``book/editions/.2022.staging`` exists and a kernel is executing a notebook into it;
* ``jupyter-book``: the notebooks are swapped in and ``jupyter-book build`` is running.

SIGTERM must be handled: the kernels and jupyter-book are stopped, the last good edition is put back,
one ``error:`` line is printed and the exit code is 143, with nothing left over. SIGKILL cannot be
handled: ``_build/html`` is still intact at once (it is only ever replaced whole), and the next start
(``recover()``) puts the edition back, removes the leftovers and ends the orphaned jupyter-book. That
next start is shown twice: a build with an empty data folder (it recovers, then refuses the data, so
the recovered state can be inspected) and then a real build, which must succeed.

To keep the scenarios short the copy keeps one chapter notebook, with a marker added so that a
published half-build would be visible, and a cross-year notebook (the build requires one) cut down to
its parameters cell and a title.
"""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path

import psutil
import pytest
from buildcopies import YEAR, copy_tree, leftovers, published, reference_build, run_cli, start_cli, tree_hash, wait_for

pytestmark = pytest.mark.slow

KEEP = "01_ranking.ipynb"
MARKER = "INTERRUPT-TEST-MARKER"


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    root = copy_tree(reference_build(tmp_path_factory), tmp_path_factory.mktemp("interrupt") / "base")
    for nb in (root / "notebooks").glob("[0-9][0-9]_*.ipynb"):
        if nb.name != KEEP:
            nb.unlink()
    path = root / "notebooks" / KEEP
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["cells"].append({"cell_type": "markdown", "id": "interrupt-marker", "metadata": {}, "source": MARKER})
    path.write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")
    path = root / "notebooks" / "cross_year.ipynb"  # required by the build; its parameters cell is enough
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["cells"] = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    nb["cells"].append({"cell_type": "markdown", "id": "title", "metadata": {}, "source": "# 跨年比较(测试)"})
    path.write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")
    return root


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


@pytest.mark.parametrize("moment", ["staging", "jupyter-book"])
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
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
        else:
            wait_for(jupyter_book_running(proc), proc, 600, "jupyter-book", log)
            wait_for((root / "_build" / "next").exists, proc, 60, "jupyter-book writing _build/next", log)
        children = psutil.Process(proc.pid).children(recursive=True)  # kernels or jupyter-book
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
    assert result.returncode == 2 and "datapackage.json: file is missing" in result.stderr, result.stderr
    assert gone(children, 10) == [], "kernels or jupyter-book of the killed build are still running"
    assert leftovers(root) == []
    assert tree_hash(*published(root)) == before, "recover() did not restore the last good edition"
    if moment == "jupyter-book":
        # and a real next build succeeds without any manual clean-up, publishing the new edition whole
        result = run_cli(root, "build", "--year", YEAR, "--jobs", "2", timeout=900)
        assert result.returncode == 0, result.stderr[-3000:]
        assert leftovers(root) == []
        page = root / "_build" / "html" / "book" / "editions" / YEAR / KEEP.replace(".ipynb", ".html")
        assert MARKER in page.read_text(encoding="utf-8")
        assert MARKER in (root / "book" / "editions" / YEAR / KEEP).read_text(encoding="utf-8")
        assert sorted(p.name for p in (root / "book" / "editions" / YEAR).glob("*.ipynb")) == [KEEP]


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
