"""Chromium on 127.0.0.1, as the PDF print and the browser tests drive it: Debian's browser under
Playwright (never a downloaded one), with the flags that keep it from reaching out, every request off
127.0.0.1 refused, and a local server for the built book.
"""

from __future__ import annotations

import contextlib
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


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    """Linux: the server ends when the process that started it dies, even by SIGKILL."""
    import ctypes
    import signal

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@contextlib.contextmanager
def serve(directory: Path, *, timeout: float = 10.0, in_process: bool = False) -> Iterator[str]:
    """``python -m http.server`` on 127.0.0.1 and a free port; yields the base URL (ending in ``/``).

    ``in_process``: the same server in a thread of this process (the build uses it, so nothing outlives
    a killed build).
    """
    if in_process:
        with _serve_in_thread(Path(directory)) as base:
            yield base
        return
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", str(port), "--directory", str(directory)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=_die_with_parent,
    )
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"http.server exited with {proc.returncode}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"http.server did not listen on 127.0.0.1:{port}") from None
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextlib.contextmanager
def _serve_in_thread(directory: Path) -> Iterator[str]:
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
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
def launch():
    """Debian's Chromium under Playwright, with the flags that keep it from reaching out."""
    from playwright.sync_api import sync_playwright

    why = chromium_missing()
    if why:
        raise InputError(why)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


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
