"""Helpers for the slow and fault tests: throw-away copies of the repository, the real CLI, tree hashes.

The build always works on the repository its ``factcheck`` package was imported from (see
``factcheck.publish.layout.ROOT``), so every command here runs with ``PYTHONPATH`` pointing at the copy:
the copy's own package (and, through the inherited environment, the notebooks' kernels) is used, and
the real repository is never written.

The repository is edited while the tests run, so every copy of a test run comes from one snapshot of
its sources taken at the start (:func:`snapshot`): the two real builds compare like with like.

A real book is built once per test run (:func:`reference_build`) and shared, also across pytest-xdist
workers, through a folder next to the session's temp folders guarded by a file lock. Tests never build
in the shared copy itself: they copy it first (:func:`copy_tree`). A second real build, at another
path, with another hash seed and without network, is :func:`rebuilt` (determinism and offline tests).

Where the kernels are not the point, :func:`fake_build` runs the real build machinery in a copy with
the notebook executions (and optionally the book) replaced by fakes that report what the real kernels
read last time (the copy's ``_build/manifest.json``): it shows what a build *would* execute, in a second.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
YEAR = "2022"
IGNORE = shutil.ignore_patterns(".git", ".venv", "__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis",
                                ".ipynb_checkpoints", "node_modules", "*.pyc", ".done")
BUILD_TIMEOUT = 900


def copy_repo(dst: Path, *, src: Path = REPO, with_build: bool = False) -> Path:
    """Copy the sources (not ``_build`` unless ``with_build``) of ``src`` to ``dst``."""
    def ignore(folder: str, names: list[str]) -> set[str]:
        skip = set(IGNORE(folder, names))
        if not with_build and Path(folder).resolve() == src.resolve():
            skip.add("_build")
        return skip

    shutil.copytree(src, dst, ignore=ignore, symlinks=True)
    return dst


def copy_tree(src: Path, dst: Path) -> Path:
    """A full copy of a built repository (sources, editions and ``_build``)."""
    return copy_repo(dst, src=src, with_build=True)


def env_for(root: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(root) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    for key in [k for k in env if k.startswith(("PYTEST_", "COV_"))]:
        del env[key]
    env.update(extra)
    return env


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "factcheck", *args]


def run_cli(root: Path, *args: str, timeout: float = BUILD_TIMEOUT, prefix: tuple[str, ...] = (),
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """``python -m factcheck ARGS`` in the copy ``root``, as a user would run it there."""
    return subprocess.run([*prefix, *command(*args)], cwd=root, env=env_for(root, **(env or {})),
                          capture_output=True, text=True, timeout=timeout)


def start_cli(root: Path, *args: str, log: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    """Start ``python -m factcheck ARGS`` in ``root`` without waiting; its output goes to ``log``."""
    with log.open("w", encoding="utf-8") as fh:
        return subprocess.Popen(command(*args), cwd=root, env=env_for(root, **(env or {})), stdout=fh,
                                stderr=subprocess.STDOUT, text=True)


def error_lines(result: subprocess.CompletedProcess) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("error: ")]


def tree_hash(*paths: Path) -> str:
    """One digest of every file (relative name and bytes) under ``paths``; a missing path counts too."""
    h = hashlib.sha256()
    for top in paths:
        h.update(f"\0{top.name}\0".encode())
        if not top.exists():
            h.update(b"<missing>")
            continue
        files = [top] if top.is_file() else sorted(p for p in top.rglob("*") if p.is_file())
        for f in files:
            h.update(str(f.relative_to(top.parent)).encode())
            h.update(hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()


def published(root: Path, year: str = YEAR) -> tuple[Path, ...]:
    """What a build publishes: the book, the edition, the pages every build executes (the landing page,
    the cross-year chapter, the about page: ``book/*.ipynb``) and the toc."""
    pages = sorted(p for p in (root / "book").glob("*.ipynb") if not p.name.startswith("."))
    return (root / "_build" / "html", root / "book" / "editions" / year, *pages, root / "_toc.yml")


def leftovers(root: Path) -> list[str]:
    """Traces of an unfinished build: hidden staging/previous folders and files (``.2022.staging``,
    ``.2022.previous``, ``.index.staging.ipynb``, ``.cross_year.ipynb.previous``), half-written files
    (``._toc.yml.tmp``, ``*.tmp`` in ``_build``), ``_build/next`` or ``_build/html.old``."""
    found = [p for p in (root / "book" / "editions").glob(".*")]
    found += [p for p in (root / "book").glob(".*")]
    found += [p for p in root.glob("._toc.yml*")]
    found += [p for p in (root / "_build").glob("*") if p.name in ("next", "html.old")]
    found += [p for p in (root / "_build").glob("*.tmp")]
    found += [p for p in (root / "_build" / "judged").glob(".*.tmp")]
    return sorted(str(p.relative_to(root)) for p in found)


@contextlib.contextmanager
def locked(path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def shared_dir(tmp_path_factory) -> Path:
    """A folder shared by every xdist worker of this test run (the session's own temp folder without xdist)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def once(tmp_path_factory, name: str, make) -> Path:
    """``make(folder)`` once per test run, whatever the number of workers; re-raise its failure everywhere."""
    folder = shared_dir(tmp_path_factory) / name
    with locked(folder.with_suffix(".lock")):
        failed = folder.with_suffix(".failed")
        if failed.exists():
            raise RuntimeError(failed.read_text(encoding="utf-8"))
        if not (folder / ".done").exists():
            shutil.rmtree(folder, ignore_errors=True)
            try:
                make(folder)
            except BaseException as exc:
                failed.write_text(f"{name} failed: {exc}", encoding="utf-8")
                raise
            (folder / ".done").write_text("ok", encoding="utf-8")
    return folder


def build_ok(root: Path, *extra: str, prefix: tuple[str, ...] = (), env: dict[str, str] | None = None
             ) -> subprocess.CompletedProcess:
    result = run_cli(root, "build", "--year", YEAR, *extra, prefix=prefix, env=env)
    if result.returncode != 0:
        raise AssertionError(f"build failed with {result.returncode}:\n{result.stderr[-4000:]}")
    return result


def snapshot(tmp_path_factory) -> Path:
    """The repository's sources (no ``_build``) as they were when the test run first asked; do not modify.
    Every copy of the run comes from here, so edits made meanwhile to the repository do not reach it."""
    return once(tmp_path_factory, "sources", copy_repo)


def make_reference(folder: Path, *, src: Path = REPO) -> None:
    copy_repo(folder, src=src)
    build_ok(folder, env={"PYTHONHASHSEED": "1"})


def reference_build(tmp_path_factory) -> Path:
    """A copy of the repository with a real book built for 2022 (the last good book); do not modify."""
    src = snapshot(tmp_path_factory)
    return once(tmp_path_factory, "reference-build", lambda folder: make_reference(folder, src=src))


MARKED = ("overview.ipynb", "index.ipynb")  # templates: book/editions/2022/00_overview and book/index
MARKER = "FAULT-TEST-MARKER"


def add_cells(template: Path, *cells: dict) -> None:
    nb = json.loads(template.read_text(encoding="utf-8"))
    nb["cells"].extend(cells)
    template.write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")


def marked_build(tmp_path_factory, name: str) -> Path:
    """A copy of :func:`reference_build` whose overview and landing-page templates carry :data:`MARKER`: a build
    there executes just those two pages and builds the book anew (a published half-build would show the
    marker). For the fault tests; copy it before building in it."""
    root = copy_tree(reference_build(tmp_path_factory), tmp_path_factory.mktemp(name) / "base")
    for template in MARKED:
        add_cells(root / "notebooks" / template,
                  {"cell_type": "markdown", "id": "fault-marker", "metadata": {}, "source": MARKER})
    return root


def unmarked(root: Path) -> list[str]:
    """The pages of the marked templates (executed notebook and HTML) that do not show :data:`MARKER`."""
    pages = (f"book/editions/{YEAR}/00_overview", "book/index")
    files = [root / f"{page}.ipynb" for page in pages] + [root / "_build" / "html" / f"{page}.html" for page in pages]
    return [str(f.relative_to(root)) for f in files if not f.is_file() or MARKER not in f.read_text(encoding="utf-8")]


def wait_for(predicate, proc: subprocess.Popen, timeout: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        if proc.poll() is not None:
            raise AssertionError(f"the build ended ({proc.returncode}) before {what}:\n"
                                 f"{log.read_text(encoding='utf-8')[-3000:]}")
        time.sleep(0.05)
    proc.kill()
    proc.wait()
    raise AssertionError(f"timed out waiting for {what}")


# ---- a second build, without network ------------------------------------------------------------
LOOPBACK_UP = """
import fcntl, os, socket, struct, sys
SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
flags = struct.unpack("16sH", fcntl.ioctl(s, SIOCGIFFLAGS, struct.pack("16sH", b"lo", 0))[:18])[1]
fcntl.ioctl(s, SIOCSIFFLAGS, struct.pack("16sH", b"lo", flags | IFF_UP))
os.execv(sys.argv[1], sys.argv[1:])
"""
"""Run inside ``unshare -n``: bring up the loopback interface (the PDF's server and ipykernel's own pipe
use 127.0.0.1; a new network namespace starts with ``lo`` down), then exec the command. Only ``lo``:
no route leads out."""

PROBE = """
import socket
for host, port in (("1.1.1.1", 53), ("8.8.8.8", 53), ("pypi.org", 443)):
    try:
        socket.create_connection((host, port), timeout=3).close()
        print("NETWORK", host)
        break
    except OSError:
        pass
else:
    print("NO NETWORK")
"""


def offline_prefix() -> tuple[tuple[str, ...], str]:
    """The command prefix that runs a program without network, and ``""``; or ``()`` and why not.

    ``unshare -n`` needs root; ``unshare -rn`` (a user namespace, mapped to root) works without it
    where the kernel allows unprivileged user namespaces.
    """
    unshare = shutil.which("unshare")
    if not unshare:
        return (), "unshare (util-linux) is not installed"
    reasons = []
    for flags in (("-n",), ("-r", "-n")):
        prefix = (unshare, *flags, sys.executable, "-c", LOOPBACK_UP)
        try:
            probe = subprocess.run([*prefix, sys.executable, "-c", PROBE], capture_output=True, text=True,
                                   timeout=60)
        except (OSError, subprocess.TimeoutExpired) as exc:
            reasons.append(f"unshare {' '.join(flags)}: {exc}")
            continue
        if probe.returncode != 0:
            reasons.append(f"unshare {' '.join(flags)}: {probe.stderr.strip()[-200:]}")
        elif probe.stdout.strip() != "NO NETWORK":
            reasons.append(f"unshare {' '.join(flags)} still reaches the network: {probe.stdout.strip()}")
        else:
            return prefix, ""
    return (), "no network namespace on this machine (" + "; ".join(reasons) + ")"


def make_rebuilt(folder: Path, *, src: Path = REPO) -> None:
    """A fresh copy of the repository built a second time: without network when the machine allows
    (``.offline`` says how it ran), with another hash seed than the reference build."""
    copy_repo(folder, src=src)
    prefix, why_not = offline_prefix()
    (folder / ".offline").write_text("yes" if prefix else f"no: {why_not}", encoding="utf-8")
    build_ok(folder, prefix=prefix, env={"PYTHONHASHSEED": "2"})


def rebuilt(tmp_path_factory) -> Path:
    """The sources of :func:`reference_build` built again at another path, with another hash seed and
    (where the machine allows) without network; do not modify."""
    src = snapshot(tmp_path_factory)
    return once(tmp_path_factory, "rebuilt", lambda folder: make_rebuilt(folder, src=src))


# ---- a build with fake executions ---------------------------------------------------------------
FAKE_DRIVER = r"""
import json, shutil, sys, time
from pathlib import Path

from factcheck.publish import runner
from factcheck.publish.manifest import Manifest, rel, unrel

opts = json.loads(sys.argv[1])
layout = runner.Layout()
recorded = Manifest.read(layout.manifest).notebooks
executed, books = [], []


def what_it_read(job):
    rec = recorded.get(rel(job.target, layout.root))
    if rec and rec.get("reads") is not None:  # what the real kernel read the last time
        return [unrel(name, layout.root) for name in rec["reads"]]
    judged = (job.staging.parent / job.parameters["judged_dir"]).resolve()
    if job.target.name == "cross_year.ipynb":
        return sorted(judged.glob("*.json"))
    if job.target.name == "about.ipynb":
        return [judged / "book.json"]
    return [judged / f"{job.parameters['year']}.json", layout.book / "chapters.yml"]


def fake_execute(job):
    job.started = time.perf_counter()
    job.staging.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(job.target if job.target.is_file() else job.source, job.staging)
    job.reads = what_it_read(job)
    executed.append(rel(job.target, layout.root))
    job.ended = time.perf_counter()
    return job


def fake_build_book(layout, data_dir):
    books.append(str(data_dir))
    return {}


if opts["execute"] == "fake":
    runner.execute = fake_execute
if opts["book"] == "fake":
    runner.build_book = fake_build_book
try:
    report = runner.build(opts["year"], opts["data"], workers=2, book=opts["book"] != "none")
except Exception as exc:
    print("FAKE-BUILD " + json.dumps({"error": f"{type(exc).__name__}: {exc}"}, ensure_ascii=False))
    sys.exit(3)
print("FAKE-BUILD " + json.dumps({
    "executed": sorted(report.executed), "skipped": sorted(report.skipped), "reasons": report.reasons,
    "judged": report.judged, "book_built": report.book_built, "book_reason": report.book_reason,
    "seconds": report.seconds, "fake_executed": sorted(executed),
    "modules": sorted(m for m in sys.modules if not m.startswith("_")),
}, ensure_ascii=False))
"""


def fake_build(root: Path, year: str = YEAR, *, data: str = "data", execute: str = "fake", book: str = "fake",
               env: dict[str, str] | None = None) -> dict:
    """Run ``factcheck.publish.runner.build`` in the copy ``root``, in a fresh process (the copy's package).

    ``execute="fake"`` replaces each notebook execution by a copy of the published notebook (or of its
    template when there is none) that reports the files the real kernel read last time, as the copy's
    manifest recorded them; ``"real"`` runs the kernels. ``book``: ``"fake"`` (only noted), ``"real"``
    or ``"none"`` (``--no-book``). Returns the build report as a dict (``executed``, ``skipped``,
    ``reasons``, ``judged``, ``book_built``, ``book_reason``, ``seconds``, ``modules``: every module the
    process imported), or ``{"error": ...}`` when the build raised.
    """
    opts = {"year": year, "data": data, "execute": execute, "book": book}
    result = subprocess.run([sys.executable, "-c", FAKE_DRIVER, json.dumps(opts)], cwd=root,
                            env=env_for(root, **(env or {})), capture_output=True, text=True, timeout=BUILD_TIMEOUT)
    lines = [line for line in result.stdout.splitlines() if line.startswith("FAKE-BUILD ")]
    if not lines:
        raise AssertionError(f"the build did not report ({result.returncode}):\n{result.stderr[-4000:]}")
    out = json.loads(lines[-1][len("FAKE-BUILD "):])
    out["stderr"] = result.stderr
    return out
