"""Chromium on 127.0.0.1, as the PDF print and the browser tests drive it: Debian's browser under
Playwright (never a downloaded one), with the flags that keep it from reaching out, every request off
127.0.0.1 refused, and a local server for the built book.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from ..errors import InputError

CHROMIUM = os.environ.get("FACTCHECK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
CHARTS_DRAWN_JS = """() => {
  const figs = document.querySelectorAll('figure.factcheck-chart').length;
  const drawn = document.querySelectorAll('figure.factcheck-chart div[data-drawn="1"] svg').length;
  return drawn >= figs;
}"""


def listening_socket() -> socket.socket:
    """A TCP socket on 127.0.0.1, bound to a port the system chose and already listening: no other process
    can take the port between choosing it and serving on it (as it could with a port picked, closed and
    bound again)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind(("127.0.0.1", 0))
        sock.listen(64)
    except OSError:
        sock.close()
        raise
    return sock


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def _server(directory: Path | str, sock: socket.socket) -> http.server.ThreadingHTTPServer:
    """An HTTP server for ``directory`` on the listening socket ``sock``."""
    handler = functools.partial(_Quiet, directory=str(directory))
    server = http.server.ThreadingHTTPServer(sock.getsockname(), handler, bind_and_activate=False)
    server.socket.close()
    server.socket = sock
    server.daemon_threads = True
    return server


def serve_inherited(fd: int, directory: str) -> None:  # pragma: no cover - runs in the server process
    """The server process of :func:`serve`: serve ``directory`` on the listening socket it inherited."""
    _server(directory, socket.socket(fileno=fd)).serve_forever()


SERVER_PROCESS = "import sys; from factcheck.publish.browser import serve_inherited; serve_inherited(int(sys.argv[1]), sys.argv[2])"


def die_with_parent() -> None:  # pragma: no cover - runs in the child
    """Linux: the child (a server, the print) ends when the process that started it dies, even by SIGKILL."""
    import ctypes
    import signal

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@contextlib.contextmanager
def serve(directory: Path, *, timeout: float = 10.0, in_process: bool = False) -> Iterator[str]:
    """``http.server`` in a process of its own on a :func:`listening_socket` it inherits; yields the base
    URL (ending in ``/``).

    ``in_process``: the same server in a thread of this process (the build uses it, so nothing outlives
    a killed build).
    """
    if in_process:
        with _serve_in_thread(Path(directory)) as base:
            yield base
        return
    sock = listening_socket()
    port = sock.getsockname()[1]
    try:
        proc = subprocess.Popen([sys.executable, "-c", SERVER_PROCESS, str(sock.fileno()), str(directory)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, pass_fds=(sock.fileno(),),
                                preexec_fn=die_with_parent)
    finally:
        sock.close()  # the server process holds it now
    try:
        _wait_until_served(proc, port, timeout)
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_until_served(proc: subprocess.Popen, port: int, timeout: float) -> None:
    """Until the server answers (the socket queues connections from the start; the process takes a moment)."""
    import http.client

    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"the server on 127.0.0.1:{port} exited with {proc.returncode}")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=max(0.1, deadline - time.monotonic()))
        try:
            connection.request("HEAD", "/")
            connection.getresponse()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"no answer on 127.0.0.1:{port} within {timeout:.0f} s") from None
            time.sleep(0.05)
        finally:
            connection.close()


@contextlib.contextmanager
def _serve_in_thread(directory: Path) -> Iterator[str]:
    import threading

    server = _server(directory, listening_socket())
    thread = threading.Thread(target=server.serve_forever, name="factcheck-print-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def chromium_missing() -> str | None:
    """Why Chromium can't run here (None when it can)."""
    if not Path(CHROMIUM).is_file():
        return f"{CHROMIUM} not found: install Debian's chromium and fonts-noto-cjk (make system-deps)"
    return None


def chinese_font_missing() -> str | None:
    """Why Chromium would print Chinese as boxes here (None when a CJK font is installed)."""
    if shutil.which("fc-list"):
        found = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout.strip()
    else:
        found = next((str(p) for p in Path("/usr/share/fonts").rglob("*CJK*")), "") if Path("/usr/share/fonts").is_dir() else ""
    return None if found else "no Chinese font installed: install Debian's fonts-noto-cjk (make system-deps)"


@contextlib.contextmanager
def launch(args: list[str] = CHROMIUM_ARGS):
    """Debian's Chromium under Playwright, with the flags that keep it from reaching out (``args``: those and more)."""
    from playwright.sync_api import sync_playwright

    why = chromium_missing()
    if why:
        raise InputError(why)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=args)
        try:
            yield browser
        finally:
            browser.close()


def stop_tree(proc: subprocess.Popen) -> None:
    """Kill ``proc`` and every process it started (Playwright's driver, Chromium and its helpers)."""
    import psutil

    try:
        victims = [psutil.Process(proc.pid)]
        victims += victims[0].children(recursive=True)
    except psutil.Error:
        victims = []
    for victim in victims:
        with contextlib.suppress(psutil.Error):
            victim.kill()
    psutil.wait_procs(victims, timeout=5)
    proc.kill()
    proc.wait()


def guard_network(page, base: str, refused: list[str]) -> None:
    """Let the page fetch from ``base`` (and data:/blob: URLs) only; record and abort everything else."""
    def handle(route) -> None:
        url = route.request.url
        if url.startswith(base) or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            refused.append(url)
            route.abort()

    page.route("**/*", handle)


def wait_for_charts(page, timeout_ms: int = 30_000) -> None:
    page.wait_for_function(CHARTS_DRAWN_JS, timeout=timeout_ms)
