"""What the built book offers besides its pages, each made apart and redone only when its inputs changed.

:func:`finish` runs on the freshly built HTML in ``_build/next`` before it replaces ``_build/html``; any
failure here leaves the last good book untouched.

* **Charts.** Every ``<figure class="factcheck-chart">`` carries its Vega-Lite spec and its data: the
  data go to ``_static/charts/<chart id>.csv`` (UTF-8 with BOM, for Excel) and vl-convert draws the
  chart, with its title, subtitle and source written in and the Chinese glyphs it uses embedded (so it
  draws without the reader's fonts), as ``_static/charts/<chart id>.svg``; links go under the chart. The
  id is a hash of the spec, so ``_build/chart-svg/`` caches what was drawn before. The glyphs are cut from
  the CJK font once for all the charts drawn, then for each chart from that small font (the same bytes as
  cutting from the whole font, at a tenth of the cost).
* **Verdicts.** ``_downloads/verdicts-<year>.csv`` for every edition, from the judged files.
* **Data package.** The data folder, a README, and the verdict tables as one zip; each entry dated by the
  last commit that changed the file (or, outside git, the newest ``accessed`` date of the sources), so
  the same data give the same bytes and the dates mean something.
* **PDF**, one per edition (``_downloads/jiangmen-factcheck-<year>.pdf``): the edition's built pages joined
  into one page (:func:`print_page`: the same HTML the site publishes, no second Sphinx build), served on
  127.0.0.1, drawn by Debian's Chromium (in one process: half the memory of its usual dozen) with every
  request off 127.0.0.1 refused, every 展开 opened, printed as A4 with page numbers. Each is cached under
  ``_build/exports/`` by its inputs (the edition's pages and their titles, the static assets, the config,
  the publishing code), so a new or changed edition prints only its own. There is no PDF of the whole
  book: the editions' are what a reader prints, and one print of everything took the most memory of the
  build. ``FACTCHECK_PDF=off`` skips them (a developer without Chromium). A print that takes longer than
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
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from ..downloads import cell
from ..errors import BuildError, InputError
from ..files import regular_files
from ..params import seconds_from_env
from .browser import CHROMIUM_ARGS, guard_network, launch, serve, wait_for_charts
from .pages import PRINT_TITLE

CHART_DIR = "_static/charts"
DOWNLOADS = "_downloads"
DATA_ZIP = "jiangmen-factcheck-data.zip"
ZIP_ROOT = "jiangmen-factcheck-data"
FONT_FILE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
FONT_NAME = "Noto Sans CJK SC"
PDF_TIMEOUT = 120  # seconds; the print takes ~10 s here
PRINT_ARGS = [*CHROMIUM_ARGS, "--single-process", "--no-zygote"]
"""Chromium for the print: one process instead of a dozen (a browser, renderers, a GPU process, zygotes, each with
its own copy of much the same memory): about half the memory, the same PDF."""

FIGURE = re.compile(r'<figure class="factcheck-chart" data-chart="(chart-[0-9a-f]+)">')
SPEC_START = "var spec="
FOOTER = ('<div style="font-size:8px;width:100%;text-align:center;color:#555;"><span class="title"></span> · '
          '第 <span class="pageNumber"></span> 页，共 <span class="totalPages"></span> 页</div>')
"""Each page's foot: the document's title (the edition's, then the book's name) and its number."""
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


def _chars(svg: str) -> set[str]:
    """The characters an SVG's text draws, and those its numbers may need."""
    return {ch for text in re.findall(r">([^<]+)</text>", svg) for ch in text} | set("0123456789.,:;%-()")


def _subset(font: object, chars: str, *, woff: bool) -> bytes:
    """``font`` (a path or bytes) cut down to the glyphs of ``chars``; WOFF for an SVG, else an OpenType font to cut
    from again (every glyph name kept, so that cutting again gives what cutting the whole font gives)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    if isinstance(font, bytes):
        part = TTFont(io.BytesIO(font), lazy=True)
    else:  # read only what the subset needs of the collection
        part = TTFont(str(font), fontNumber=_font_number(), lazy=True)
    options = subset.Options()
    options.name_IDs = ["*"]
    if woff:
        options.flavor = "woff"
    else:
        options.notdef_outline = True
        options.glyph_names = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=chars)
    subsetter.subset(part)
    buffer = io.BytesIO()
    if woff:
        part.flavor = "woff"
    part.recalcTimestamp = False  # the font's "modified" stays the source's: the same chart, the same bytes
    part.save(buffer)
    return buffer.getvalue()


def glyph_pool(svgs: Iterable[str]) -> bytes:
    """The CJK font cut down to every character the SVGs draw: each chart's glyphs are then cut from this small
    font (:func:`embed_font`), not from the whole collection."""
    return _subset(FONT_FILE, "".join(sorted(set().union(*map(_chars, svgs)))), woff=False)


def embed_font(svg: str, pool: bytes | None = None) -> str:
    """Put the glyphs the SVG's text uses into it, as a WOFF web font: it draws without the reader's fonts.
    ``pool``: a :func:`glyph_pool` holding them (else they are cut from the whole font: the same bytes)."""
    woff = _subset(pool if pool is not None else FONT_FILE, "".join(sorted(_chars(svg))), woff=True)
    data = base64.b64encode(woff).decode("ascii")
    style = (f"<style>@font-face{{font-family:'{FONT_NAME}';src:url(data:font/woff;base64,{data}) format('woff');}}"
             "</style>")
    return re.sub(r"(<svg[^>]*>)", lambda m: m.group(1) + style, svg, count=1)


def _svgs(specs: dict[str, dict], cache: Path | None) -> dict[str, str]:
    """Every chart's SVG: from the cache when this spec was drawn before by this vl-convert, else drawn here, one
    after another (vl-convert's runtime is already up in this process: it wrote the vega bundle), the glyphs of
    all of them cut from the font once (:func:`glyph_pool`)."""
    import vl_convert

    from ..charts import VEGA_LITE_VERSION, export_spec

    code = hashlib.sha256(Path(__file__).read_bytes() + (Path(__file__).parent.parent / "charts.py").read_bytes())
    folder = cache / f"{vl_convert.__version__}-{VEGA_LITE_VERSION}-{code.hexdigest()[:12]}" if cache else None
    out = {cid: (folder / f"{cid}.svg").read_text(encoding="utf-8") for cid in specs
           if folder is not None and (folder / f"{cid}.svg").is_file()}
    drawn = {cid: vl_convert.vegalite_to_svg(export_spec(specs[cid]), vl_version=VEGA_LITE_VERSION)
             for cid in specs if cid not in out}
    pool = glyph_pool(drawn.values()) if drawn else b""
    for cid, svg in drawn.items():
        out[cid] = embed_font(svg, pool)
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
            tmp = folder / f"{cid}.tmp"
            tmp.write_text(out[cid], encoding="utf-8")
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


BD_ARTICLE = re.compile(r'<article class="bd-article"[^>]*>')
ARTICLE_TAG = re.compile(r"<(/?)article\b")
HEAD_ASSET = re.compile(r'<script [^>]*src="[^"]*"[^>]*></script>|<link [^>]*rel="stylesheet"[^>]*/>')
CHART_DOWNLOAD = re.compile(r'<p class="chart-download">.*?</p>', re.S)
PAGE_LINK = re.compile(r'href="([0-9]{2}_[a-z0-9_]+)\.html(#[^"]*)?"')
PRINT_TOC = re.compile(r'(<div id="jb-print-toc">.*?<ul[^>]*>).*?(</ul>)', re.S)
SHOWN_H1 = '<h1 style="display:block">'
"""A page's title after the first: the theme's print style hides the first title of a page (its print header repeats
it), which would hide every page's title but the overview's."""


def _article(text: str, page: Path) -> tuple[int, int]:
    """Where the content of a built page starts and ends: inside its ``<article class="bd-article">`` (whose
    claim cards are articles too, so the tags are counted)."""
    start = BD_ARTICLE.search(text)
    depth = 0
    for tag in ARTICLE_TAG.finditer(text, start.start()) if start else ():
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return start.end(), tag.start()
    raise BuildError(f"{page.name}: no whole <article class=\"bd-article\"> to print")


def print_page(html_dir: Path, year: int, stems: list[str]) -> Path:
    """The pages of an edition (``stems``, its overview first) as one page to print, next to them: the overview's
    page (its head, theme and scripts, with any script or stylesheet another page adds) holding the content of
    every page in turn, the chart download links left out (nothing to click on paper) and the links between the
    pages turned into links within the page; the printed contents (the theme's, which list the overview's
    sections) list the pages that follow. It is the very HTML the site publishes, so the PDF prints what a
    reader sees, and costs no second Sphinx build."""
    folder = html_dir / "book" / "editions" / str(year)
    texts = [(folder / f"{stem}.html").read_text(encoding="utf-8") for stem in stems]
    shell = texts[0]
    head_end = shell.index("</head>")
    assets = dict.fromkeys(HEAD_ASSET.findall(shell[:head_end]))
    extra = [tag for text in texts[1:] for tag in HEAD_ASSET.findall(text[:text.index("</head>")]) if tag not in assets]
    bodies = []
    for n, (stem, text) in enumerate(zip(stems, texts, strict=True)):
        start, end = _article(text, folder / f"{stem}.html")
        content = text[start:end] if n == 0 else text[start:end].replace("<h1>", SHOWN_H1, 1)
        bodies.append(f'<span id="page-{stem}"></span>{content}')

    def within(m: re.Match) -> str:
        return f'href="{m.group(2) or "#page-" + m.group(1)}"' if m.group(1) in stems else m.group(0)

    body = PAGE_LINK.sub(within, CHART_DOWNLOAD.sub("", "".join(bodies)))
    titles = [m.group(2) if (m := PRINT_TITLE.search(text)) else stem for stem, text in zip(stems, texts, strict=True)]
    contents = "".join(f'<li class="toc-h2 nav-item toc-entry"><a class="reference internal nav-link" '
                       f'href="#page-{stem}">{title}</a></li>' for stem, title in zip(stems[1:], titles[1:], strict=True))
    start, end = _article(shell, folder / f"{stems[0]}.html")
    head = PRINT_TOC.sub(lambda m: m.group(1) + contents + m.group(2), shell[head_end:start], count=1)
    out = folder / ".print.html"
    out.write_text(shell[:head_end] + "".join(dict.fromkeys(extra)) + head + body + shell[end:], encoding="utf-8")
    return out


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
    with serve(single, in_process=True) as base, launch(PRINT_ARGS) as browser:
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


def _pdf_key(root: Path, year: int) -> str:
    """What an edition's PDF is printed from: its pages as published (``book/editions/<year>/``) and their titles in
    the navigation, the static files, the config, the publishing code and what it runs on. Not the rest of the
    navigation, which the print leaves out: another edition added or changed prints no PDF but its own."""
    from . import toc
    from .layout import Layout

    code = sorted(Path(__file__).parent.glob("*.py"))
    parts = [_key(root / "book" / "editions" / str(year)), _key(root / "book" / "_static"), _key(root / "_config.yml"),
             _key(*code), _key(root / "requirements.txt") if (root / "requirements.txt").is_file() else "",
             f"{sys.version_info.major}.{sys.version_info.minor}", toc.edition_text(Layout(root), year)]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def edition_pdfs(root: Path, html_dir: Path, dest: Path, cache: Path) -> list[Path]:
    """Every edition's PDF in ``dest``: from ``cache`` when its inputs (:func:`_pdf_key`) are those of the cached
    copy, else printed from its :func:`print_page`."""
    from ..downloads import pdf_name

    editions = html_dir / "book" / "editions"
    kept, out = set(), []
    for folder in sorted(p for p in editions.iterdir() if re.fullmatch(r"[0-9]{4}", p.name)) if editions.is_dir() else []:
        year = int(folder.name)
        cached = cache / f"{_pdf_key(root, year)[:16]}-{pdf_name(year)}"
        kept.add(cached.name)
        if not cached.is_file():
            page = print_page(html_dir, year, sorted(p.stem for p in folder.glob("[0-9][0-9]_*.html")))
            try:
                print_pdf(html_dir, cached, page_path=page.relative_to(html_dir).as_posix())
            finally:
                page.unlink()
        out.append(dest / pdf_name(year))
        shutil.copy2(cached, out[-1])
    for old in cache.glob("*.pdf"):  # the PDFs of editions gone or changed
        if old.name not in kept:
            old.unlink()
    return out


def finish(root: Path, html_dir: Path, *, data_dir: Path, judged_dir: Path, cache: Path) -> dict[str, float]:
    """Add the chart files, the verdict CSVs, the data zip and the editions' PDFs to the book in ``html_dir``.

    Each is timed apart; the zip and each PDF are taken from ``cache`` when their inputs (the data and judged
    files; the edition's pages, the static files, the config and the code) are those of the cached copy. Returns
    the seconds of each.
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
    pdfs = []
    if pdf_wanted():
        t = time.perf_counter()
        pdfs = edition_pdfs(root, html_dir, downloads, cache / "exports")
        seconds["pdf"] = time.perf_counter() - t
    else:
        log("FACTCHECK_PDF=off: no PDF this time (the editions' PDF links are dead)")
    size = sum(p.stat().st_size for p in pdfs) // 1024
    log("exports: " + ", ".join(f"{k} {v:.1f} s" for k, v in seconds.items())
        + f" ({len(charts)} charts, {len(verdicts)} verdict tables{f', {len(pdfs)} PDFs {size} KB' if pdfs else ''})")
    return seconds
