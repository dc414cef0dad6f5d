"""What the built book offers besides its pages: chart SVGs, the data package as a zip, a printable PDF.

All three are made from the freshly built HTML in ``_build/next`` by :func:`finish`, which
``runner.build_book`` calls before it swaps the new book into ``_build/html``; any failure here leaves the
last good book untouched.

* **Chart SVGs.** Every ``<figure class="factcheck-chart">`` carries its Vega-Lite spec; vl-convert draws
  it as ``_static/charts/<chart id>.svg`` (the id is a hash of the spec, so the file name is stable and
  a cache in ``_build/chart-svg/`` skips charts already drawn) and a download link goes under the chart.
* **Data package.** The data folder the build used (``data/``, or ``make book DATA=…``: read from the
  cross-year chapter's injected parameters) with ``datapackage.json``, the CSVs and ``articles/``, as one
  zip with fixed entry timestamps and modes: the same data give the same bytes. Linked from
  ``book/methods.md``.
* **PDF.** The book is built once more as a single page (``--builder singlehtml``, reusing the doctrees),
  served on 127.0.0.1, drawn by Debian's Chromium (never a downloaded browser) with every request that
  would leave 127.0.0.1 refused, and printed with ``page.pdf()`` once every chart is drawn. Chinese text
  needs ``fonts-noto-cjk``. Linked from ``book/index.md``. ``FACTCHECK_PDF=off`` skips it (a developer
  without Chromium; the book's PDF link is then dead, and the browser tests say so).

The browser helpers (:func:`serve`, :func:`launch`, :func:`guard_network`) are shared with
``tests/browser``, so the build and the tests drive Chromium the same way.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

from .errors import InputError

CHART_DIR = "_static/charts"
DOWNLOADS = "_downloads"
PDF_NAME = "book.pdf"
DATA_ZIP = "jiangmen-factcheck-data.zip"
ZIP_ROOT = "jiangmen-factcheck-data"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can carry: no build time leaks in

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

FIGURE = re.compile(r'<figure class="factcheck-chart" data-chart="(chart-[0-9a-f]+)">')
SPEC_START = "var spec="
MATHJAX = re.compile(r'\s*<script>window\.MathJax = [^<]*</script>|\s*<script [^>]*src="https://[^"]*mathjax[^"]*"></script>')


def log(message: str) -> None:
    print(f"[factcheck] {message}", file=sys.stderr, flush=True)


# ---- chart SVGs ---------------------------------------------------------------------------------
def _page_label(rel: Path) -> str:
    """``book/editions/2022/04_ip.html`` → ``2022-04_ip``; ``book/cross_year.html`` → ``cross_year``."""
    parts = [p for p in rel.with_suffix("").parts if p not in ("book", "editions")]
    return "-".join(parts) or "index"


def _svg_for(spec: dict, chart_id: str, cache: Path | None) -> str:
    """The chart's SVG (vl-convert), from the cache when this spec was drawn before by this vl-convert."""
    import vl_convert

    from .charts import to_svg

    cached = cache / vl_convert.__version__ / f"{chart_id}.svg" if cache else None
    if cached is not None and cached.is_file():
        return cached.read_text(encoding="utf-8")
    svg = to_svg(spec)
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(".tmp")
        tmp.write_text(svg, encoding="utf-8")
        tmp.replace(cached)
    return svg


def chart_svgs(html_dir: Path, cache: Path | None = None) -> list[Path]:
    """Write every chart of the built book as SVG and put a download link under it; return the files."""
    html_dir = Path(html_dir)
    out_dir = html_dir / CHART_DIR
    decoder = json.JSONDecoder()
    written: dict[str, Path] = {}
    for page in sorted(html_dir.rglob("*.html")):
        rel = page.relative_to(html_dir)
        if rel.parts[0].startswith("_"):
            continue
        text = page.read_text(encoding="utf-8")
        pieces, pos, n = [], 0, 0
        for m in FIGURE.finditer(text):
            chart_id = m.group(1)
            close = text.find("</figcaption>", m.end())
            start = text.find(SPEC_START, m.end())
            if close < 0 or start < 0 or 'class="chart-download"' in text[m.end():start]:
                continue
            n += 1
            try:
                spec, _ = decoder.raw_decode(text, start + len(SPEC_START))
            except json.JSONDecodeError as exc:
                raise InputError(f"chart {chart_id} on {rel}: its spec does not parse ({exc})") from None
            if chart_id not in written:
                target = out_dir / f"{chart_id}.svg"
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(_svg_for(spec, chart_id, cache), encoding="utf-8")
                written[chart_id] = target
            href = Path(os.path.relpath(html_dir, page.parent)).as_posix() + f"/{CHART_DIR}/{chart_id}.svg"
            name = f"{_page_label(rel)}-{n}.svg"
            link = (f'<p class="chart-download"><a href="{href}" download="{name}" type="image/svg+xml">'
                    f"下载此图(SVG)</a></p>")
            end = close + len("</figcaption>")
            pieces += [text[pos:end], link]
            pos = end
        if pieces:
            page.write_text("".join(pieces) + text[pos:], encoding="utf-8")
    return sorted(written.values())


# ---- data package -------------------------------------------------------------------------------
def data_zip(data_dir: Path, dest: Path) -> Path:
    """``data_dir`` as one zip: every file but hidden ones, sorted, with fixed timestamps and modes."""
    data_dir = Path(data_dir)
    if not (data_dir / "datapackage.json").is_file():
        raise InputError("has no datapackage.json, so there is no data package to offer", file=str(data_dir))
    files = sorted(p for p in data_dir.rglob("*")
                   if p.is_file() and not any(part.startswith((".", "__")) for part in p.relative_to(data_dir).parts))
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".tmp")
    with zipfile.ZipFile(tmp, "w") as zf:
        for path in files:
            info = zipfile.ZipInfo(f"{ZIP_ROOT}/{path.relative_to(data_dir).as_posix()}", date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # unix, whatever machine builds it
            info.external_attr = 0o100644 << 16
            zf.writestr(info, path.read_bytes(), compresslevel=9)
    tmp.replace(dest)
    return dest


# ---- a browser on 127.0.0.1 ---------------------------------------------------------------------
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
        return f"{CHROMIUM} not found: install Debian's chromium and fonts-noto-cjk (make browser-deps)"
    return None


def chinese_font_missing() -> str | None:
    """Why Chromium would print Chinese as boxes here (None when a CJK font is installed)."""
    if shutil.which("fc-list"):
        found = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout.strip()
    else:
        found = next((str(p) for p in Path("/usr/share/fonts").rglob("*CJK*")), "") if Path("/usr/share/fonts").is_dir() else ""
    return None if found else "no Chinese font installed: install Debian's fonts-noto-cjk (make browser-deps)"


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


# ---- the PDF ------------------------------------------------------------------------------------
def pdf_wanted() -> bool:
    return os.environ.get("FACTCHECK_PDF", "on").lower() not in ("off", "0", "no", "false")


def build_singlehtml(root: Path, out: Path) -> Path:
    """``jupyter-book build --builder singlehtml`` into ``out`` (sharing the HTML build's doctrees)."""
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    cmd = [str(jupyter_book), "build", str(root), "--path-output", str(out), "--builder", "singlehtml",
           "-W", "-n", "--keep-going"]
    result = subprocess.run(cmd, cwd=root, capture_output=True, text=True)
    if result.returncode != 0:
        tail = "\n".join(line for line in (result.stdout + result.stderr).splitlines()
                         if "WARNING" in line or "ERROR" in line or "Error" in line)
        raise InputError(f"the single-page build for the PDF failed:\n{tail or result.stdout[-3000:]}")
    single = out / "_build" / "singlehtml"
    # The root document is book/index, so Sphinx writes the page to book/index.html but links its
    # assets as if it sat at the top (``_static/…``): put it there, over Jupyter Book's redirect.
    page = single / "book" / "index.html"
    if page.is_file():
        page.replace(single / "index.html")
    from .runner import postprocess_html

    postprocess_html(single)
    # A single page counts as "having equations" when any document might (MyST-NB notebooks do), so
    # Sphinx links MathJax from its CDN. The book has no math: drop it. Were there math, the link
    # stays and the print's network guard stops the build, naming the address.
    text = (single / "index.html").read_text(encoding="utf-8")
    if 'class="math' not in text:
        text = MATHJAX.sub("", text)
        (single / "index.html").write_text(text, encoding="utf-8")
    return single


def print_pdf(single: Path, dest: Path, *, page_path: str = "index.html") -> Path:
    """Open the single-page book on 127.0.0.1, wait for every chart, print it as A4 PDF into ``dest``."""
    why = chinese_font_missing()
    if why:
        raise InputError(f"the PDF would print Chinese as boxes: {why}")
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".tmp")
    refused: list[str] = []
    errors: list[str] = []
    with serve(single, in_process=True) as base, launch() as browser:
        context = browser.new_context(locale="zh-CN", timezone_id="UTC", viewport={"width": 1000, "height": 1400})
        page = context.new_page()
        guard_network(page, base, refused)
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "chart error" in m.text else None)
        page.goto(base + page_path, wait_until="load")
        try:
            wait_for_charts(page)
        except Exception:  # noqa: BLE001 - reported with what is known
            raise InputError(f"the print edition's charts were not all drawn: {'; '.join(errors) or 'timeout'}") from None
        # Links into the temporary server (downloads, other pages) mean nothing on paper and would put
        # its random port into the PDF; links within the page and to other sites stay.
        page.evaluate("""base => document.querySelectorAll('a[href]').forEach(a => {
            if (!a.getAttribute('href').startsWith('#') && a.href.startsWith(base)) { a.removeAttribute('href'); }
        })""", base)
        page.emulate_media(media="print")
        page.pdf(path=str(tmp), format="A4", print_background=True, outline=True, tagged=True,
                 margin={"top": "16mm", "bottom": "16mm", "left": "14mm", "right": "14mm"})
        context.close()
    if refused:
        tmp.unlink(missing_ok=True)
        raise InputError("the print edition asked for addresses off this machine: " + ", ".join(sorted(set(refused))))
    tmp.write_bytes(stable_node_ids(fixed_dates(tmp.read_bytes())))
    tmp.replace(dest)
    return dest


PDF_DATE = re.compile(rb"/(CreationDate|ModDate) \((D:[^)]*)\)")
FIXED_DATE = b"D:19800101000000+00'00'"


def fixed_dates(pdf: bytes) -> bytes:
    """Chromium stamps the PDF with the time of printing; put a fixed date of the same length in its place
    (the cross-reference offsets stay valid), so the same book prints to the same bytes."""
    def fix(m: re.Match) -> bytes:
        old = m.group(2)
        new = FIXED_DATE if len(FIXED_DATE) == len(old) else (b"D:19800101000000Z" + b"0" * len(old))[: len(old)]
        return b"/" + m.group(1) + b" (" + new + b")"

    return PDF_DATE.sub(fix, pdf)


NODE_ID = re.compile(rb"\(node(\d{8})\)")


def stable_node_ids(pdf: bytes) -> bytes:
    """The tagged PDF names its structure elements after Blink's DOM node ids (``(node00001231)``), which
    shift when the page happens to create one more node while loading. Number them by rank instead: the
    same length (offsets stay valid) and the same order (the ID name tree stays sorted)."""
    ranks = {n: i for i, n in enumerate(sorted(set(NODE_ID.findall(pdf))), start=1)}
    return NODE_ID.sub(lambda m: b"(node%08d)" % ranks[m.group(1)], pdf)


# ---- all of it ----------------------------------------------------------------------------------
def built_data_dir(book: Path) -> Path | None:
    """The data folder the last build used: the ``data_dir`` papermill injected into the cross-year
    chapter (executed on every build), resolved from ``book/``; None when it can't be read."""
    import ast

    import nbformat

    try:
        nb = nbformat.read(Path(book) / "cross_year.ipynb", as_version=4)
    except (OSError, ValueError):
        return None
    for cell in nb.cells:
        if "injected-parameters" not in cell.metadata.get("tags", []):
            continue
        for node in ast.parse(cell.source).body:
            if (isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "data_dir" for t in node.targets)
                    and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)):
                found = (Path(book) / node.value.value).resolve()
                return found if (found / "datapackage.json").is_file() else None
    return None


def finish(root: Path, html_dir: Path, *, data_dir: Path | None = None, work: Path | None = None,
           cache: Path | None = None) -> dict[str, object]:
    """Add the chart SVGs, the data zip and the PDF to the freshly built book in ``html_dir``."""
    root, html_dir = Path(root), Path(html_dir)
    start = time.perf_counter()
    svgs = chart_svgs(html_dir, cache)
    data_dir = data_dir or built_data_dir(root / "book") or root / "data"
    zipped = data_zip(data_dir, html_dir / DOWNLOADS / DATA_ZIP)
    report: dict[str, object] = {"svgs": svgs, "zip": zipped, "pdf": None}
    if pdf_wanted():
        single = build_singlehtml(root, work or html_dir.parent.parent)
        try:
            report["pdf"] = print_pdf(single, html_dir / DOWNLOADS / PDF_NAME)
        except InputError:
            raise
        except Exception as exc:  # noqa: BLE001 - Playwright's errors, said in one line
            raise InputError(f"printing the PDF failed: {exc.__class__.__name__}: {str(exc).splitlines()[0]}") from None
        shutil.rmtree(single, ignore_errors=True)
    else:
        log("FACTCHECK_PDF=off: no PDF this time (the book's PDF link is dead)")
    log(f"exports: {len(svgs)} chart SVGs, {zipped.name}, "
        f"{'PDF ' + str(Path(report['pdf']).stat().st_size // 1024) + ' KB' if report['pdf'] else 'no PDF'} "
        f"in {time.perf_counter() - start:.1f} s")
    return report
