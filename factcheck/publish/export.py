"""What the built book offers besides its pages, each made apart and redone only when its inputs changed.

:func:`finish` runs on the freshly built HTML in ``_build/next`` before it replaces ``_build/html``; any
failure here leaves the last good book untouched.

* **Charts.** Every ``<figure class="factcheck-chart">`` carries its Vega-Lite spec and its data: the
  data go to ``_static/charts/<chart id>.csv`` (UTF-8 with BOM, for Excel) and vl-convert draws the
  chart, with its title, subtitle and source written in and the Chinese glyphs it uses embedded (so it
  draws without the reader's fonts), as ``_static/charts/<chart id>.svg``; links go under the chart. The
  id is a hash of the spec, so ``_build/chart-svg/`` caches what was drawn before.
* **Verdicts.** ``_downloads/verdicts-<year>.csv`` for every edition, from the judged files.
* **Data package.** The data folder, a README, and the verdict tables as one zip; each entry dated by the
  last commit that changed the file (or, outside git, the newest ``accessed`` date of the sources), so
  the same data give the same bytes and the dates mean something.
* **PDF.** The book as a single page (``--builder singlehtml``), served on 127.0.0.1, drawn by Debian's
  Chromium with every request off 127.0.0.1 refused, every 展开 opened, printed as A4 with page numbers.
  ``FACTCHECK_PDF=off`` skips it (a developer without Chromium). A print that takes longer than
  ``FACTCHECK_PDF_TIMEOUT`` seconds (default 120) is stopped: one line, exit 1, the last good book kept.
"""

from __future__ import annotations

import base64
import csv
import functools
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from ..downloads import cell
from ..errors import BuildError, InputError
from ..files import regular_files
from ..params import seconds_from_env
from .browser import guard_network, launch, serve, wait_for_charts
from .pages import postprocess_html

CHART_DIR = "_static/charts"
DOWNLOADS = "_downloads"
PDF_NAME = "book.pdf"
DATA_ZIP = "jiangmen-factcheck-data.zip"
ZIP_ROOT = "jiangmen-factcheck-data"
FONT_FILE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
FONT_NAME = "Noto Sans CJK SC"
PDF_TIMEOUT = 120  # seconds; the print takes ~10 s here

FIGURE = re.compile(r'<figure class="factcheck-chart" data-chart="(chart-[0-9a-f]+)">')
SPEC_START = "var spec="
MATHJAX = re.compile(r'\s*<script>window\.MathJax = [^<]*</script>|\s*<script [^>]*src="https://[^"]*mathjax[^"]*"></script>')
FOOTER = ('<div style="font-size:8px;width:100%;text-align:center;color:#555;">'
          '第 <span class="pageNumber"></span> 页,共 <span class="totalPages"></span> 页</div>')
PAGE_MARGIN_MM = {"top": 16, "bottom": 18, "left": 14, "right": 14}
"""The PDF's A4 margins; the page numbers print in the bottom one."""


def log(message: str) -> None:
    print(f"[factcheck] {message}", file=sys.stderr, flush=True)


# ---- charts -------------------------------------------------------------------------------------
def _page_label(rel: Path) -> str:
    """``book/editions/2022/04_ip.html`` → ``2022-04_ip``; ``book/cross_year.html`` → ``cross_year``."""
    parts = [p for p in rel.with_suffix("").parts if p not in ("book", "editions")]
    return "-".join(parts) or "index"


@functools.cache
def _font_number() -> int:
    """Which font of the collection is the Simplified Chinese one."""
    from fontTools.ttLib import TTCollection

    if not FONT_FILE.is_file():
        raise InputError(f"{FONT_FILE} not found: install Debian's fonts-noto-cjk (make system-deps)")
    for number, font in enumerate(TTCollection(str(FONT_FILE), lazy=True).fonts):
        if FONT_NAME in str(font["name"].getDebugName(1)):
            return number
    raise InputError(f"{FONT_FILE} has no {FONT_NAME}")


def embed_font(svg: str) -> str:
    """Put the glyphs the SVG's text uses into it, as a WOFF web font: it draws without the reader's fonts."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    chars = {ch for text in re.findall(r">([^<]+)</text>", svg) for ch in text} | set("0123456789.,:;%-()")
    part = TTFont(str(FONT_FILE), fontNumber=_font_number(), lazy=True)  # read only what the subset needs
    options = subset.Options()
    options.flavor = "woff"
    options.name_IDs = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(chars)))
    subsetter.subset(part)
    buffer = io.BytesIO()
    part.flavor = "woff"
    part.recalcTimestamp = False  # the font's "modified" stays the source's: the same chart, the same bytes
    part.save(buffer)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    style = (f"<style>@font-face{{font-family:'{FONT_NAME}';src:url(data:font/woff;base64,{data}) format('woff');}}"
             "</style>")
    return re.sub(r"(<svg[^>]*>)", lambda m: m.group(1) + style, svg, count=1)


def _draw(spec: dict) -> str:
    import vl_convert

    from ..charts import VEGA_LITE_VERSION, export_spec

    return embed_font(vl_convert.vegalite_to_svg(export_spec(spec), vl_version=VEGA_LITE_VERSION))


def _svgs(specs: dict[str, dict], cache: Path | None) -> dict[str, str]:
    """Every chart's SVG: from the cache when this spec was drawn before by this vl-convert, else drawn, the
    charts spread over the cores (vl-convert and the font subsetting each take a fraction of a second)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    import vl_convert

    from ..charts import VEGA_LITE_VERSION

    code = hashlib.sha256(Path(__file__).read_bytes() + (Path(__file__).parent.parent / "charts.py").read_bytes())
    folder = cache / f"{vl_convert.__version__}-{VEGA_LITE_VERSION}-{code.hexdigest()[:12]}" if cache else None
    out = {cid: (folder / f"{cid}.svg").read_text(encoding="utf-8") for cid in specs
           if folder is not None and (folder / f"{cid}.svg").is_file()}
    todo = [cid for cid in specs if cid not in out]
    if todo:
        workers = max(1, min(len(todo), os.cpu_count() or 1))
        # spawned, not forked: this process has threads, and vl-convert's JavaScript runtime may be running in
        # it (it wrote the vega bundle); neither survives a fork (a forked worker hangs)
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            for cid, svg in zip(todo, pool.map(_draw, [specs[c] for c in todo]), strict=True):
                out[cid] = svg
                if folder is not None:
                    folder.mkdir(parents=True, exist_ok=True)
                    tmp = folder / f"{cid}.tmp"
                    tmp.write_text(svg, encoding="utf-8")
                    tmp.replace(folder / f"{cid}.svg")
    return out


def csv_text(rows: list[dict]) -> str:
    """Rows as CSV that Excel opens: UTF-8 with a byte-order mark, CRLF line ends."""
    buffer = io.StringIO()
    columns = list(dict.fromkeys(k for r in rows for k in r))
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows([{k: cell(v) if isinstance(v, str) else v for k, v in r.items()} for r in rows])
    return "\ufeff" + buffer.getvalue()


def chart_files(html_dir: Path, cache: Path | None = None) -> list[Path]:
    """Write every chart's SVG and CSV and put links to them under the chart; return the files."""
    out_dir = html_dir / CHART_DIR
    decoder = json.JSONDecoder()
    written: dict[str, Path] = {}
    edits: list[tuple[Path, str, list[tuple[int, str]]]] = []
    specs: dict[str, dict] = {}
    for page in sorted(html_dir.rglob("*.html")):
        rel = page.relative_to(html_dir)
        if rel.parts[0].startswith("_"):
            continue
        text = page.read_text(encoding="utf-8")
        links_at: list[tuple[int, str]] = []
        n = 0
        for m in FIGURE.finditer(text):
            chart_id = m.group(1)
            start = text.find(SPEC_START, m.end())
            close = text.find("</figure>", m.end())
            if start < 0 or close < 0 or 'class="chart-download"' in text[m.end():close]:
                continue
            n += 1
            try:
                spec, _ = decoder.raw_decode(text, start + len(SPEC_START))
            except json.JSONDecodeError as exc:
                raise InputError(f"chart {chart_id} on {rel}: its spec does not parse ({exc})") from None
            specs.setdefault(chart_id, spec)
            base = Path(os.path.relpath(html_dir, page.parent)).as_posix() + f"/{CHART_DIR}/{chart_id}"
            name = f"{_page_label(rel)}-{n}"
            links_at.append((close, f'<p class="chart-download"><a href="{base}.csv" download="{name}.csv">下载数据（CSV）'
                                    f'</a> · <a href="{base}.svg" download="{name}.svg" type="image/svg+xml">'
                                    "下载此图（SVG）</a></p>"))
        if links_at:
            edits.append((page, text, links_at))
    for chart_id, svg in _svgs(specs, cache).items():
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / f"{chart_id}.svg").write_text(svg, encoding="utf-8")
        (out_dir / f"{chart_id}.csv").write_text(csv_text(specs[chart_id].get("usermeta", {}).get("data", [])),
                                                 encoding="utf-8", newline="")
        written[chart_id] = out_dir / f"{chart_id}.svg"
    for page, text, links_at in edits:
        pieces, pos = [], 0
        for at, links in links_at:
            pieces += [text[pos:at], links]
            pos = at
        page.write_text("".join(pieces) + text[pos:], encoding="utf-8")
    return sorted(written.values())


# ---- verdicts and the data package --------------------------------------------------------------
def verdict_csvs(judged_dir: Path, dest: Path) -> list[Path]:
    from ..downloads import write_csv
    from ..edition import Edition

    years = sorted(int(p.stem) for p in Path(judged_dir).glob("[0-9][0-9][0-9][0-9].json"))
    return [write_csv(Edition.read(judged_dir, y), dest) for y in years]


README = """江门高新区新闻数字核查:数据包
Jiangmen High-tech Zone figures, fact-checked: the data package

data/                 本书所用的全部数据(Frictionless 数据包,datapackage.json 描述每个表)
  claims.csv          被核查文章中的每一个数字:原文、数字、种类(统计数字或名称、序数、奖项、日期)、核查方式
  inputs.csv          外部输入:指标、地域、所指时期、数值、单位、来源、原文摘录
  sources.csv         来源:原发布者、读取的副本、可靠性等级(1 一手 … 4 机器生成或匿名)
  indicators.csv      指标字典;mentions.csv 文中每个数字的登记;searches.csv 查找未果的记录;corrections.csv 更正
  articles/           被核查文章的文本(逐字)
verdicts/             各版核查结果(UTF-8 带 BOM,可用 Excel 直接打开)
  列:claim_id 编号、章节、原文、文章中的数字、结论、verdict(机器代码)、理由、怎么算的、可能的解释、来源

结论:{verdicts}。“未找到”指本书查找过而没有找到,不等于未公布。
许可：本书自己的数据表、核查结果和说明以 CC BY 4.0 发布（署名：江门高新区数字核查项目）。
data/articles/ 里被核查的报道原文，版权属于各自的原刊发者（见 sources.csv 的 publisher 列），本书只为核查其中的
数字而逐字保存，不在 CC BY 许可之内；转载原文请征得原刊发者同意。
每个条目的日期是该文件最后一次修改（提交）的时间。
"""


def readme() -> str:
    """The zip's README, with the verdicts' words from :mod:`factcheck.vocabulary`."""
    from ..vocabulary import VERDICTS

    return README.format(verdicts="、".join(f"{v.label}({v.code})" for v in VERDICTS))


def _dates(data_dir: Path, files: list[Path]) -> dict[Path, tuple]:
    """Each file's date: its last commit when the folder is in git, else the newest ``accessed`` date."""
    fallback = (1980, 1, 1, 0, 0, 0)
    try:
        with (data_dir / "sources.csv").open(encoding="utf-8-sig", newline="") as fh:
            accessed = sorted(r.get("accessed", "") for r in csv.DictReader(fh) if r.get("accessed"))
        if accessed:
            y, m, d = (int(x) for x in accessed[-1].split("-"))
            fallback = (y, m, d, 0, 0, 0)
    except (OSError, ValueError, csv.Error):
        pass
    out = {}
    for path in files:
        try:
            stamp = subprocess.run(["git", "log", "-1", "--format=%ct", "--", path.name], cwd=path.parent,
                                   capture_output=True, text=True, timeout=20).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            stamp = ""
        if stamp.isdigit() and not _dirty(path):
            out[path] = datetime.fromtimestamp(int(stamp), tz=UTC).timetuple()[:6]
        else:
            out[path] = fallback
    return out


def _dirty(path: Path) -> bool:
    try:
        status = subprocess.run(["git", "status", "--porcelain", "--", path.name], cwd=path.parent,
                                capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.TimeoutExpired):
        return True
    return bool(status.strip())


def data_zip(data_dir: Path, verdicts: list[Path], dest: Path) -> Path:
    """The data package (only the files it declares, each a regular file read without following a link), a
    README and the verdict tables as one zip, sorted, with meaningful fixed dates."""
    from ..files import read_bytes
    from ..load import MAX_BYTES, load

    data_dir = Path(data_dir)
    if not (data_dir / "datapackage.json").is_file():
        raise InputError("has no datapackage.json, so there is no data package to offer", file=str(data_dir))
    files = [data_dir / rel for rel in load(data_dir).declared_files()]
    dates = _dates(data_dir, files)
    newest = max(dates.values(), default=(1980, 1, 1, 0, 0, 0))
    entries = [(f"data/{p.relative_to(data_dir).as_posix()}", read_bytes(p, root=data_dir, limit=MAX_BYTES), dates[p])
               for p in files]
    entries += [(f"verdicts/{v.name}", v.read_bytes(), newest) for v in verdicts]
    entries.insert(0, ("README.txt", readme().encode("utf-8"), newest))
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".tmp")
    with zipfile.ZipFile(tmp, "w") as zf:
        for name, content, date in entries:
            info = zipfile.ZipInfo(f"{ZIP_ROOT}/{name}", date_time=date)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            zf.writestr(info, content, compresslevel=9)
    tmp.replace(dest)
    return dest


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
    postprocess_html(single)
    # A single page counts as "having equations" when any document might (MyST-NB notebooks do), so
    # Sphinx links MathJax from its CDN. The book has no math: drop it. Were there math, the link stays
    # and the print's network guard stops the build, naming the address.
    text = (single / "index.html").read_text(encoding="utf-8")
    if 'class="math' not in text:
        (single / "index.html").write_text(MATHJAX.sub("", text), encoding="utf-8")
    return single


def pdf_timeout() -> float:
    """Seconds the print may take (``FACTCHECK_PDF_TIMEOUT``, default 120)."""
    return seconds_from_env("FACTCHECK_PDF_TIMEOUT", PDF_TIMEOUT)


PRINT_PROCESS = ("import sys; from factcheck.publish.export import print_here; "
                 "sys.exit(print_here(sys.argv[1], sys.argv[2], sys.argv[3]))")
PRINT_SAYS = "factcheck-print: "  # how the print process's one line of error starts (the rest is noise)


def print_pdf(single: Path, dest: Path, *, page_path: str = "index.html") -> Path:
    """Print the single-page book to ``dest`` (:func:`print_here`) in a process of its own, stopped with all it
    started (Playwright's driver, Chromium) when it takes longer than :func:`pdf_timeout`: a :class:`BuildError`."""
    from .browser import chinese_font_missing, die_with_parent, stop_tree

    why = chinese_font_missing()
    if why:
        raise InputError(f"the PDF would print Chinese as boxes: {why}")
    timeout = pdf_timeout()
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".tmp")
    package_root = str(Path(__file__).resolve().parents[2])  # the print imports this very factcheck
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")]))}
    proc = subprocess.Popen([sys.executable, "-c", PRINT_PROCESS, str(single), str(tmp), page_path], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, errors="replace",
                            preexec_fn=die_with_parent)
    try:
        _, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        stop_tree(proc)
        tmp.unlink(missing_ok=True)
        raise BuildError(f"the PDF print took longer than {timeout:g} s (FACTCHECK_PDF_TIMEOUT) and was stopped; "
                         "the last good book is kept") from None
    except BaseException:
        stop_tree(proc)
        tmp.unlink(missing_ok=True)
        raise
    if proc.returncode != 0:
        tmp.unlink(missing_ok=True)
        said = [line[len(PRINT_SAYS):] for line in stderr.splitlines() if line.startswith(PRINT_SAYS)]
        reason = said[-1] if said else f"the print process exited with {proc.returncode}"
        raise InputError(reason if proc.returncode == 2 else f"printing the PDF failed: {reason}")
    tmp.write_bytes(stable_node_ids(fixed_dates(tmp.read_bytes())))
    tmp.replace(dest)
    return dest


def print_here(single: str, tmp: str, page_path: str) -> int:  # pragma: no cover - runs in the print process
    """The print process: open the single-page book on 127.0.0.1, wait for every chart, print it as A4 PDF with
    page numbers into ``tmp``. Returns the exit code: 0, 2 (:class:`InputError`) or 1, after one line on stderr."""
    try:
        _print(Path(single), Path(tmp), page_path)
    except InputError as exc:
        print(PRINT_SAYS + str(exc).replace("\n", " "), file=sys.stderr, flush=True)
        return 2
    except Exception as exc:  # noqa: BLE001 - Playwright's errors, said in one line
        first = (str(exc).splitlines() or [""])[0]
        print(f"{PRINT_SAYS}{exc.__class__.__name__}: {first}", file=sys.stderr, flush=True)
        return 1
    return 0


def _print(single: Path, tmp: Path, page_path: str) -> None:
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
        # Links into the temporary server mean nothing on paper and would put its random port into the PDF;
        # every 展开 is opened, so the arithmetic is printed.
        page.evaluate("""base => {
            document.querySelectorAll('a[href]').forEach(a => {
                if (!a.getAttribute('href').startsWith('#') && a.href.startsWith(base)) { a.removeAttribute('href'); }
            });
            document.querySelectorAll('details').forEach(d => { d.open = true; });
        }""", base)
        page.emulate_media(media="print")
        page.pdf(path=str(tmp), format="A4", print_background=True, outline=True, tagged=True,
                 display_header_footer=True, header_template="<span></span>", footer_template=FOOTER,
                 margin={side: f"{mm}mm" for side, mm in PAGE_MARGIN_MM.items()})
        context.close()
    if refused:
        raise InputError("the print edition asked for addresses off this machine: " + ", ".join(sorted(set(refused))))


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
    """The tagged PDF names its structure elements after Blink's DOM node ids, which shift when the page
    happens to create one more node while loading: number them by rank instead (same length, same order)."""
    ranks = {n: i for i, n in enumerate(sorted(set(NODE_ID.findall(pdf))), start=1)}
    return NODE_ID.sub(lambda m: b"(node%08d)" % ranks[m.group(1)], pdf)


# ---- all of it ----------------------------------------------------------------------------------
def _key(*paths: Path) -> str:
    h = hashlib.sha256()
    for top in paths:
        files = [top] if top.is_file() else regular_files(top)
        for f in files:
            h.update(str(f.relative_to(top.parent)).encode() + b"\0" + hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()


def finish(root: Path, html_dir: Path, *, data_dir: Path, judged_dir: Path, work: Path, cache: Path,
           pdf_key: str) -> dict[str, float]:
    """Add the chart files, the verdict CSVs, the data zip and the PDF to the book in ``html_dir``.

    Each is timed apart; the zip and the PDF are taken from ``cache`` when their inputs (the data and
    judged files; the book's sources, ``pdf_key``) are those of the cached copy. Returns the seconds of each.
    """
    seconds: dict[str, float] = {}
    t = time.perf_counter()
    charts = chart_files(html_dir, cache / "chart-svg")
    seconds["charts"] = time.perf_counter() - t
    t = time.perf_counter()
    downloads = html_dir / DOWNLOADS
    verdicts = verdict_csvs(judged_dir, downloads)
    seconds["verdicts"] = time.perf_counter() - t
    t = time.perf_counter()
    zip_key = hashlib.sha256((_key(data_dir, judged_dir) + _key(Path(__file__))).encode()).hexdigest()
    cached_zip = cache / "exports" / f"{zip_key[:16]}-{DATA_ZIP}"
    if not cached_zip.is_file():
        for old in (cache / "exports").glob(f"*-{DATA_ZIP}"):
            old.unlink()
        data_zip(data_dir, verdicts, cached_zip)
    shutil.copy2(cached_zip, downloads / DATA_ZIP)
    seconds["zip"] = time.perf_counter() - t
    pdf = None
    if pdf_wanted():
        t = time.perf_counter()
        cached_pdf = cache / "exports" / f"{pdf_key[:16]}-{PDF_NAME}"
        if not cached_pdf.is_file():
            for old in (cache / "exports").glob(f"*-{PDF_NAME}"):
                old.unlink()
            single = build_singlehtml(root, work)
            try:
                print_pdf(single, cached_pdf)
            finally:
                shutil.rmtree(single, ignore_errors=True)
        pdf = downloads / PDF_NAME
        shutil.copy2(cached_pdf, pdf)
        seconds["pdf"] = time.perf_counter() - t
    else:
        log("FACTCHECK_PDF=off: no PDF this time (the book's PDF link is dead)")
    log("exports: " + ", ".join(f"{k} {v:.1f} s" for k, v in seconds.items())
        + f" ({len(charts)} charts, {len(verdicts)} verdict tables{', PDF ' + str(pdf.stat().st_size // 1024) + ' KB' if pdf else ''})")
    return seconds
