"""A full disk or a read-only folder: the build stops with one line, exit 2, and the last good book stays.

Exit 2, not 1: nothing is wrong with this program, the user must free space or fix permissions (as with a
missing Chromium). The line names the path and the cause; ``_build/html`` (only ever replaced whole) and
the published editions are byte-identical afterwards, and nothing of the stopped build is left over.

The tests run as root, where ``chmod`` stops no write, so the failures are made two ways:

* **simulated**, always: the build runs in a copy of a built repository with Python's file operations
  patched (:data:`FAULT_DRIVER`) to fail for paths under one folder, as a full disk (``ENOSPC`` on every
  file opened for writing) or a read-only folder (``EROFS``/``EACCES`` on writing, creating, renaming
  and removing) would: ``_build`` read-only (the lock is the first write), ``_build/html`` read-only
  (the swap at the very end), no space for an executed page or for the new book's files, and no space for
  the build's record (``_build/manifest.json``, written last: the new book is then whole and published);
  ``judge`` and ``verify``, which write under ``_build`` too, stop in one line as well;
* **for real**, where the machine allows a mount namespace (``unshare -m``, or ``-rm`` without root):
  ``_build`` bind-mounted read-only, and ``_build`` on a tmpfs with 2 MB to spare, which jupyter-book
  (a subprocess no patch reaches) fills.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from buildcopies import YEAR, copy_repo, copy_tree, env_for, leftovers, marked_build, published, tree_hash, unmarked

pytestmark = pytest.mark.slow

NO_PDF = {"FACTCHECK_PDF": "off"}

FAULT_DRIVER = r"""
import builtins, errno, io, json, os, sys

spec = json.loads(sys.argv[1])
code = getattr(errno, spec["errno"])
targets = [os.path.abspath(t) for t in spec["under"]]


def hit(path):
    if not isinstance(path, (str, bytes, os.PathLike)):
        return False  # a file descriptor
    p = os.path.abspath(os.fsdecode(path))
    return any(p == t or p.startswith(t + os.sep) for t in targets)


def fail(path):
    raise OSError(code, os.strerror(code), os.fsdecode(path))


real_open = io.open


def fake_open(file, mode="r", *args, **kwargs):
    if any(c in mode for c in "wax+") and hit(file):
        fail(file)
    return real_open(file, mode, *args, **kwargs)


builtins.open = io.open = fake_open
if spec["read_only"]:  # nor may anything there be created, renamed or removed
    for name in ("mkdir", "rename", "replace", "unlink", "remove", "rmdir"):
        def fake(path, *args, _real=getattr(os, name), **kwargs):
            if hit(path) or (args and hit(args[0])):
                fail(path)
            return _real(path, *args, **kwargs)
        setattr(os, name, fake)

from factcheck.cli import main

sys.exit(main(sys.argv[2:]))
"""


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    return marked_build(tmp_path_factory, "write-failures")


def run_with_fault(root: Path, under: str, errno: str, *args: str, read_only: bool) -> subprocess.CompletedProcess:
    """``python -m factcheck ARGS`` in ``root`` with every write under ``root/under`` failing with ``errno``."""
    spec = {"under": [str(root / under)], "errno": errno, "read_only": read_only}
    return subprocess.run([sys.executable, "-c", FAULT_DRIVER, json.dumps(spec), *args], cwd=root,
                          env=env_for(root, **NO_PDF), capture_output=True, text=True, timeout=600)


def build_with_fault(root: Path, under: str, errno: str, *, read_only: bool) -> subprocess.CompletedProcess:
    return run_with_fault(root, under, errno, "build", "--year", YEAR, "--jobs", "2", read_only=read_only)


def one_error_line(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 2, result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    errors = [line for line in result.stderr.splitlines() if line.startswith(("error:", "internal error:"))]
    assert len(errors) == 1, result.stderr[-3000:]
    return errors[0]


# (what, the folder that fails, errno, read-only?, the path the line names, its cause)
SIMULATED = [
    pytest.param("_build", "EROFS", True, "_build/.lock", "Read-only file system", id="read-only-_build"),
    pytest.param("_build/html", "EACCES", True, "_build/html", "Permission denied", id="read-only-_build-html"),
    pytest.param(f"book/editions/.{YEAR}.staging", "ENOSPC", False, f"book/editions/.{YEAR}.staging/00_overview.ipynb",
                 "No space left on device", id="full-disk-executed-page"),
    pytest.param("_build/next", "ENOSPC", False, "_build/next/", "No space left on device", id="full-disk-new-book"),
]


@pytest.mark.parametrize(("under", "errno", "read_only", "path", "cause"), SIMULATED)
def test_a_simulated_write_failure_stops_the_build_in_one_line(base, tmp_path, under, errno, read_only, path, cause):
    root = copy_tree(base, tmp_path / "repo")
    before = tree_hash(*published(root))
    line = one_error_line(build_with_fault(root, under, errno, read_only=read_only))
    assert line.startswith(f"error: {path}") and cause in line and "last good book is kept" in line, line
    assert leftovers(root) == []
    assert tree_hash(*published(root)) == before, "the last good book or edition changed"


def test_no_space_for_the_build_record_leaves_the_new_book_whole(base, tmp_path):
    """``_build/manifest.json`` is written after the new book and edition are in place: they stay, whole and
    agreeing with each other; without the record the next build executes them again, then records them."""
    root = copy_tree(base, tmp_path / "repo")
    line = one_error_line(build_with_fault(root, "_build/manifest.json.tmp", "ENOSPC", read_only=False))
    assert line.startswith("error: _build/manifest.json.tmp") and "No space left on device" in line, line
    assert leftovers(root) == []
    assert unmarked(root) == [], "the new pages are not all published"


@pytest.mark.parametrize(("args", "under", "errno", "read_only", "path", "cause"), [
    (("judge",), "_build", "EROFS", True, "_build:", "Read-only file system"),
    (("verify", "--year", YEAR), "_build", "EROFS", True, "_build/verdicts:", "Read-only file system"),
    (("verify", "--year", YEAR), "_build/verdicts", "ENOSPC", False, "_build/verdicts/", "No space left on device"),
])
def test_judge_and_verify_stop_in_one_line_too(tmp_path, args, under, errno, read_only, path, cause):
    root = copy_repo(tmp_path / "repo")  # a fresh clone: no _build yet
    line = one_error_line(run_with_fault(root, under, errno, *args, read_only=read_only))
    assert line.startswith(f"error: {path}") and cause in line and "left whole" in line, line


# ---- for real, in a mount namespace ---------------------------------------------------------------
def mount_namespace() -> tuple[tuple[str, ...], str]:
    """The prefix that runs a command in a mount namespace of its own, and ``""``; or ``()`` and why not."""
    unshare = shutil.which("unshare")
    if not unshare:
        return (), "unshare (util-linux) is not installed"
    reasons = []
    for flags in (("-m",), ("-r", "-m")):
        try:
            probe = subprocess.run([unshare, *flags, "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"],
                                   capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired) as exc:
            reasons.append(f"unshare {' '.join(flags)}: {exc}")
            continue
        if probe.returncode == 0:
            return (unshare, *flags), ""
        reasons.append(f"unshare {' '.join(flags)}: {probe.stderr.strip()[-200:]}")
    return (), "no mount namespace here (" + "; ".join(reasons) + ")"


# Runs inside the namespace: mount, build, then report what the build left (the mount ends with the namespace).
IN_NAMESPACE = r"""
set -u
root=$1; how=$2
case $how in
  read-only) mount --bind "$root/_build" "$root/_build" && mount -o remount,bind,ro "$root/_build" ;;
  full) kb=$(( $(du -sk "$root/_build" | cut -f1) + 2048 ))
        cp -a "$root/_build" "$root/../_build.orig" &&
        mount -t tmpfs -o size=${kb}k tmpfs "$root/_build" && cp -a "$root/../_build.orig/." "$root/_build/" ;;
esac || { echo "MOUNT FAILED" >&2; exit 99; }
cd "$root"
"$PYTHON" -m factcheck build --year "$YEAR" --jobs 2
echo "EXIT $?" >&2
"$PYTHON" -c 'import json, sys; sys.path.insert(0, sys.argv[1]); import buildcopies as b; from pathlib import Path; r = Path(sys.argv[2]); print("STATE " + json.dumps({"published": b.tree_hash(*b.published(r)), "leftovers": b.leftovers(r)}))' "$TESTS" "$root"
"""


@pytest.mark.parametrize(("how", "cause"), [("read-only", "Read-only file system"), ("full", "No space left on device")])
def test_a_real_write_failure_stops_the_build_in_one_line(base, tmp_path, how, cause):
    prefix, why_not = mount_namespace()
    if not prefix:
        pytest.skip(f"cannot mount here: {why_not}")
    root = copy_tree(base, tmp_path / "repo")
    before = tree_hash(*published(root))
    env = env_for(root, **NO_PDF, PYTHON=sys.executable, YEAR=YEAR, TESTS=str(Path(__file__).parent))
    result = subprocess.run([*prefix, "bash", "-c", IN_NAMESPACE, "in-namespace", str(root), how], env=env,
                            capture_output=True, text=True, timeout=600)
    assert "MOUNT FAILED" not in result.stderr, result.stderr
    assert "EXIT 2" in result.stderr, result.stderr[-3000:]
    build_output = result.stderr.split("EXIT 2")[0]
    assert "Traceback" not in build_output, build_output[-3000:]
    errors = [line for line in build_output.splitlines() if line.startswith(("error:", "internal error:"))]
    assert len(errors) == 1 and cause in errors[0] and "_build" in errors[0], build_output[-3000:]
    state = json.loads(next(line for line in result.stdout.splitlines() if line.startswith("STATE "))[6:])
    assert state["leftovers"] == []
    assert state["published"] == before, "the last good book or edition changed"
