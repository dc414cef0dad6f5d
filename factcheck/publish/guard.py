"""Faults around a build: one build at a time, a graceful stop on SIGTERM, no orphans after SIGKILL.

* :func:`guarded` wraps :func:`factcheck.publish.runner.build`. It holds an exclusive lock on
  ``_build/.lock`` for the whole build (the operating system drops it when the process dies, even by
  SIGKILL), so a second build of the same repository stops at once with a clear message instead of
  tearing down the first one's staging folders.
* While the build runs, SIGTERM, SIGINT (except inside IPython) and SIGHUP stop it gracefully: the kernels and jupyter-book
  are stopped, :func:`factcheck.publish.runner.recover` puts the last good edition back and removes the
  staging folders, one ``error:`` line is printed and the process exits with ``128 + signal``.
  ``_build/html`` is only ever replaced by a finished book, so it needs nothing.
* A build killed by SIGKILL cannot clean up: its kernels notice and exit by themselves, but a running
  ``jupyter-book`` goes on writing into ``_build/next``. :func:`stop_orphans` (called by ``recover``
  at the start of the next build, under the lock) ends it first.
* A full disk, a read-only ``_build`` or a folder the user may not write stops the build like bad input:
  the build's own clean-up restores the last good edition (``_build/html`` is only ever replaced whole),
  and :func:`factcheck.errors.cannot_write` turns the error into one line naming the path and the cause,
  exit 2: the fix is the user's (free space, permissions), not a bug of this program.
"""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from ..errors import InputError, cannot_write
from .layout import Layout

SIGNALS = ("SIGTERM", "SIGINT", "SIGHUP")


@contextlib.contextmanager
def build_lock(build_dir: Path) -> Iterator[None]:
    """Hold ``build_dir/.lock`` exclusively, or refuse: another build of this repository is running."""
    import fcntl

    build_dir.mkdir(parents=True, exist_ok=True)
    lock = build_dir / ".lock"
    fh = lock.open("a+", encoding="utf-8")
    try:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "unknown"
            raise InputError(f"another build of this repository is running (pid {holder}); wait for it to end",
                             file=str(lock)) from None
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        try:
            yield
        finally:
            fh.seek(0)
            fh.truncate()
            fh.flush()
            fcntl.flock(fh, fcntl.LOCK_UN)
    finally:
        fh.close()


def stop_children(timeout: float = 3.0) -> int:
    """Terminate this process's children and their children (kernels, jupyter-book); return how many."""
    try:
        import psutil
    except ImportError:  # pragma: no cover - psutil comes with ipykernel
        return 0
    try:
        children = psutil.Process().children(recursive=True)
    except psutil.Error:
        return 0
    for child in children:
        with contextlib.suppress(psutil.Error):
            child.terminate()
    _, alive = psutil.wait_procs(children, timeout=timeout)
    for child in alive:
        with contextlib.suppress(psutil.Error):
            child.kill()
    return len(children)


def stop_orphans(out: Path) -> int:
    """End ``jupyter-book`` processes left writing into ``out`` by a killed build; return how many.

    Call only while holding the build lock: then no live build of this repository owns them.
    """
    try:
        import psutil
    except ImportError:  # pragma: no cover
        return 0
    target = str(out.resolve())
    found = []
    for proc in psutil.process_iter(["pid", "cmdline"]):
        cmdline = proc.info.get("cmdline") or []
        if proc.pid == os.getpid() or not any("jupyter-book" in part for part in cmdline):
            continue
        if any(os.path.normpath(part) == target for part in cmdline):
            found.append(proc)
    for proc in found:
        with contextlib.suppress(psutil.Error):
            proc.kill()
    psutil.wait_procs(found, timeout=5)
    return len(found)


@contextlib.contextmanager
def interruptible(cleanup: Callable[[], None]) -> Iterator[None]:
    """Turn SIGTERM/SIGINT/SIGHUP into: stop the children, ``cleanup()``, one error line, exit 128+signal."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, _frame: object) -> None:
        name = signal.Signals(signum).name
        for sig in SIGNALS:  # a second signal must not interrupt the clean-up
            with contextlib.suppress(ValueError, OSError):
                signal.signal(getattr(signal, sig), signal.SIG_IGN)
        stopped = stop_children()
        try:
            cleanup()
            outcome = "the last good edition and book are kept"
        except BaseException as exc:  # noqa: BLE001 - report, the next build's recover() finishes the job
            outcome = f"clean-up failed ({exc}); the next build will recover"
        print(f"error: build interrupted by {name} (stopped {stopped} child process(es)); {outcome}",
              file=sys.stderr, flush=True)
        os._exit(128 + signum)

    previous = {}
    for sig in SIGNALS:
        if sig == "SIGINT" and _in_ipython():
            continue  # there SIGINT means "interrupt the cell", not "end the process"
        number = getattr(signal, sig, None)
        if number is not None:
            previous[number] = signal.signal(number, handler)
    try:
        yield
    finally:
        for number, old in previous.items():
            signal.signal(number, old)


def _in_ipython() -> bool:
    ipython = sys.modules.get("IPython")
    return bool(ipython and getattr(ipython, "get_ipython", lambda: None)() is not None)


def guarded(recover: Callable[[Layout], None]) -> Callable[[Callable], Callable]:
    """Decorate a build: the build lock and graceful interruption (then ``recover(layout)``) around it; a
    full disk or a read-only path (:func:`factcheck.errors.cannot_write`) as one line."""

    def decorate(build: Callable) -> Callable:
        @functools.wraps(build)
        def wrapper(*args, **kwargs):
            layout = kwargs.get("layout") or Layout()
            try:
                with build_lock(layout.build), interruptible(lambda: recover(layout)):
                    return build(*args, **kwargs)
            except OSError as exc:
                problem = cannot_write(exc, layout.build)
                if problem is None:
                    raise
                raise problem from None

        return wrapper

    return decorate
