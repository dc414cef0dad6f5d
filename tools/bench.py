"""``make bench``: how fast the build is, each figure against a floor or a peer measured in the same run.

a. judging: validating the data package, judging one edition (diagnoses included) in-process, and the
   whole judged stage (every edition, files written); medians of several runs;
b. the notebook execution phase of a cold build against its floor: papermill executing as many notebooks
   that only import the same packages, on the same kernel and the same number of workers;
c. the cold build (``python -m factcheck build`` in a fresh copy) against Jupyter Book's own execution of
   the same pages (``execute_notebooks: force``): whole, with every export (chart files, verdict tables, data
   zip, the editions' PDFs), and like for like, without the exports, which Jupyter Book does not make;
c2. adding an edition, against the cold build: in a copy of the built book, an article of a new year is stored
   and its source named (not timed), then ``python -m factcheck draft --write`` proposes its rows and
   ``python -m factcheck build`` builds its edition (timed, together);
d. a rebuild after a change to ``book/methods.md``: the book is rebuilt, the data zip and the chart SVGs come
   from the cache, the PDF is printed again (its input changed);
e. the no-op ``make book``, and one data change (a note of ``inputs.csv``, which no page shows);
f. nbval on the published pages with pytest-xdist;
g. peak memory of each process tree (sampled every 50 ms): the execution alone (``build --no-book``: the
   judged stage and the pages) against Jupyter Book's whole build, and the whole build with its PDFs.

Every build runs in a fresh copy of the repository (no ``_build``), its kernels importing the copy's
package. Medians of ``--runs`` runs; the two cold builds alternate. Prints a table and writes
``_build/bench.json``. Timings are reported, never judged pass or fail: the machine may be shared.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from factcheck.params import cores  # noqa: E402
from factcheck.publish.layout import Layout  # noqa: E402
from factcheck.publish.runner import plan, tidy  # noqa: E402

IGNORE = shutil.ignore_patterns(".git", ".venv", "_build", ".pytest_cache", ".hypothesis", ".ruff_cache",
                                "node_modules", "__pycache__", ".ipynb_checkpoints", ".*.staging",
                                ".*.previous", ".*.staging.ipynb")
PHASE = re.compile(r"(judge|execute|book|charts|verdicts|zip|pdf) ([\d.]+) s")
EXPORTS = ("charts", "verdicts", "zip", "pdf")
FLOOR_SOURCE = """from IPython.display import display
import altair
from factcheck import charts, claimreview, crossyear, figures, present
from factcheck.edition import Edition
"""


@dataclass
class Run:
    seconds: float
    peak_mb: float
    returncode: int
    output: str
    cpu: float = 0.0

    @property
    def phases(self) -> dict[str, float]:
        lines = [ln for ln in self.output.splitlines() if ln.startswith("[factcheck] judge ")]
        return {k: float(v) for k, v in PHASE.findall(lines[-1])} if lines else {}

    @property
    def executed(self) -> int:
        return len(re.findall(r"\[factcheck\] execute ", self.output))


def measure(cmd: list[str], cwd: Path, env: dict[str, str]) -> Run:
    """Run ``cmd``: wall time, CPU time and the peak summed RSS of its process tree."""
    import psutil

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak, done = [0], threading.Event()

    def sample() -> None:
        try:
            root = psutil.Process(proc.pid)
        except psutil.Error:
            return
        while not done.is_set():
            total = 0
            try:
                procs = [root, *root.children(recursive=True)]
            except psutil.Error:
                procs = []
            for p in procs:
                try:
                    total += p.memory_info().rss
                except psutil.Error:
                    pass
            peak[0] = max(peak[0], total)
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = proc.communicate()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    run = Run(seconds, peak[0] / 2**20, proc.returncode, output, cpu)
    if run.returncode != 0:
        raise SystemExit(f"bench: {' '.join(cmd[:4])} failed ({run.returncode}):\n" + "\n".join(output.splitlines()[-20:]))
    return run


def fresh_copy(parent: Path, name: str) -> Path:
    dest = parent / name
    shutil.copytree(ROOT, dest, ignore=IGNORE, symlinks=True)
    return dest


def environment(copy: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env["PYTHONPATH"] = str(copy)
    env.update(extra)
    return env


def log(text: str) -> None:
    print(f"[bench] {text}", file=sys.stderr, flush=True)


# ---- a. judging ---------------------------------------------------------------------------------
def judging(year: int, runs: int) -> dict[str, float]:
    from factcheck.engine import Judge
    from factcheck.judged import write_all
    from factcheck.validate import validate

    times: dict[str, list[float]] = {"validate": [], "judge one edition": [], "judged stage (every edition)": []}
    for _ in range(max(runs, 5)):
        t = time.perf_counter()
        ds = validate(ROOT / "data")
        times["validate"].append(time.perf_counter() - t)
        t = time.perf_counter()
        Judge(ds).judge_year(year)
        times["judge one edition"].append(time.perf_counter() - t)
        with tempfile.TemporaryDirectory() as out:
            t = time.perf_counter()
            write_all(ds, out)
            times["judged stage (every edition)"].append(time.perf_counter() - t)
    return {k: statistics.median(v) for k, v in times.items()}


# ---- b. the floor of execution ------------------------------------------------------------------
def floor(copy: Path, n: int, jobs: int) -> Run:
    """Execute ``n`` notebooks that only import the pages' packages, as the runner does (same workers)."""
    script = f"""
import nbformat, sys, time
from pathlib import Path
from factcheck.publish.runner import Job, run_jobs
src = Path({str(copy / "_build" / "floor.ipynb")!r})
nb = nbformat.v4.new_notebook(metadata={{"kernelspec": {{"name": "python3", "display_name": "Python 3", "language": "python"}}}})
nb.cells = [nbformat.v4.new_code_cell("year = 2022\\njudged_dir = 'x'", metadata={{"tags": ["parameters"]}}),
            nbformat.v4.new_code_cell({FLOOR_SOURCE!r})]
src.parent.mkdir(parents=True, exist_ok=True)
nbformat.write(nb, src)
jobs = [Job(src, src.parent / f"floor-{{i}}.ipynb", src.parent / f"floor-{{i}}.ipynb", {{"year": 2022, "judged_dir": "x"}})
        for i in range({n})]
t = time.perf_counter()
run_jobs(jobs, {jobs})
print(f"[factcheck] judge 0 s, execute {{time.perf_counter() - t:.2f}} s")
"""
    return measure([sys.executable, "-c", script], copy, environment(copy))


# ---- c. the two cold builds ---------------------------------------------------------------------
def ours_cold(copy: Path, year: int, jobs: int) -> Run:
    return measure([sys.executable, "-m", "factcheck", "build", "--year", str(year), "--jobs", str(jobs)], copy,
                   environment(copy))


def prepare_jupyter_book(copy: Path, year: int) -> None:
    """The same pages with the same parameters, laid out where the book expects them (injected by
    papermill, not executed, tidied as the runner tidies them), and Jupyter Book told to execute them.
    The judged files are written first (Jupyter Book's notebooks read them too). Not timed."""
    import nbformat
    import papermill

    from factcheck import chapters
    from factcheck.charts import write_vega_bundle
    from factcheck.edition import Edition
    from factcheck.judged import write_all
    from factcheck.publish import toc
    from factcheck.validate import validate

    layout = Layout(copy)
    ds = validate(copy / "data")
    write_all(ds, layout.judged)
    published = Edition.read(layout.judged, year).published_chapters()
    for job in plan(layout, year, year, published):
        job.target.parent.mkdir(parents=True, exist_ok=True)
        papermill.execute_notebook(str(job.source), str(job.target), parameters=job.parameters, prepare_only=True,
                                   kernel_name="python3", progress_bar=False)
        tidy(job.target, year=job.parameters.get("year"), title=chapters.get(job.parameters["chapter"]).title
             if "chapter" in job.parameters else "")
        nb = nbformat.read(job.target, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
        nbformat.write(nb, job.target)
    toc.write(layout)
    write_vega_bundle(layout.book / "_static")
    others = [p.name for p in layout.editions.glob("*") if p.is_dir() and p.name != str(year)]
    config = (copy / "_config.yml").read_text(encoding="utf-8")
    execute = ("execute:\n  execute_notebooks: force\n  timeout: 600\n"
               + ("  exclude_patterns:\n" + "".join(f'    - "editions/{o}/*.ipynb"\n' for o in others) if others else ""))
    config, n = re.subn(r"(?m)^execute:\n(?:[ \t]+.*\n)*", execute, config)
    if n != 1:
        raise SystemExit("bench: could not find the execute: section of _config.yml")
    (copy / "_config.yml").write_text(config, encoding="utf-8")


def jupyter_book_force(copy: Path) -> Run:
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    return measure([str(jupyter_book), "build", str(copy), "--path-output", str(copy / "_build" / "jb"), "-W", "-n",
                    "--keep-going"], copy, environment(copy))


# ---- c2. a new edition ---------------------------------------------------------------------------
NEW_YEAR = 2025
NEW_SOURCE = "bench-2026"
NEW_ARTICLE = "示例日报2026年报道:江门高新区2025年国家高新技术企业超750家,专利授权量3500件,同比增长10.00%。\n"


def store_article(copy: Path) -> None:
    """What an analyst does before the loop: the article's text in data/articles, its row in sources.csv."""
    (copy / "data" / "articles" / f"{NEW_SOURCE}.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    path = copy / "data" / "sources.csv"
    header = next(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    row = {"source_id": NEW_SOURCE, "publisher": "示例日报", "origin": "示例日报", "title": "测试用报道",
           "published": "2026-02-01", "url": "https://example.org/2026", "tier": "1", "covers": "2025年测试数据",
           "accessed": "2026-02-02", "text_file": f"articles/{NEW_SOURCE}.txt", "text_scope": "full"}
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([row.get(h, "") for h in header])
    with path.open("a", encoding="utf-8") as fh:
        fh.write(out.getvalue())


def add_edition(built: Path, jobs: int) -> Run:
    """``draft --write`` and ``build`` of the new edition in ``built`` (its article stored first, not timed): one
    run, the two commands' seconds added, the higher peak."""
    store_article(built)
    env = environment(built)
    draft = measure([sys.executable, "-m", "factcheck", "draft", "--write", "--source", NEW_SOURCE], built, env)
    build = measure([sys.executable, "-m", "factcheck", "build", "--year", str(NEW_YEAR), "--jobs", str(jobs)], built,
                    env)
    return Run(draft.seconds + build.seconds, max(draft.peak_mb, build.peak_mb), 0, draft.output + build.output,
               draft.cpu + build.cpu)


# ---- d, e. rebuilds ------------------------------------------------------------------------------
def make_book(copy: Path, year: int, jobs: int) -> Run:
    """``make book`` in the copy with this Python (the copy's .venv is never made)."""
    stamp = copy / "_build" / ".bench-installed"
    if not stamp.exists():
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.touch()
    return measure(["make", "--no-print-directory", "-C", str(copy), "book", f"YEAR={year}", f"JOBS={jobs}",
                    f"PY={sys.executable}", f"STAMP={stamp}"], copy, environment(copy))


def change_note(copy: Path) -> None:
    path = copy / "data" / "inputs.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    col = rows[0].index("note")
    rows[1][col] = (rows[1][col] + "(bench)").strip()
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def nbval(copy: Path, jobs: int) -> Run:
    cmd = [sys.executable, "-m", "pytest", "--nbval", "--nbval-current-env", "--nbval-sanitize-with",
           "tests/nbval_sanitize.cfg", "-p", "no:randomly", "-p", "no:cacheprovider", "-q", "-n", str(jobs),
           "--dist", "loadfile", "book/index.ipynb", "book/editions", "book/cross_year.ipynb"]
    return measure(cmd, copy, environment(copy))


# ---- the report ---------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tools/bench.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--year", type=int, default=2022)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=cores())
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "bench.json")
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="factcheck-bench-"))
    results: dict[str, list[Run]] = {}
    load = [os.getloadavg()[0]]

    def note(name: str, run: Run) -> Run:
        results.setdefault(name, []).append(run)
        log(f"{name}: {run.seconds:.2f} s (CPU {run.cpu:.1f} s, load {os.getloadavg()[0]:.1f}), "
            f"peak {run.peak_mb:.0f} MB" + (f", phases {run.phases}" if run.phases else ""))
        return run

    try:
        judged = judging(args.year, args.runs)
        log("judging: " + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in judged.items()))
        for i in range(args.runs):
            ours = fresh_copy(tmp, f"ours-{i}")
            jb = fresh_copy(tmp, f"jb-{i}")
            prepare_jupyter_book(jb, args.year)
            pair = [("cold: ours (factcheck build)", ours_cold, (ours, args.year, args.jobs)),
                    ("cold: Jupyter Book execute force", jupyter_book_force, (jb,))]
            for name, fn, fn_args in (pair if i % 2 == 0 else pair[::-1]):
                note(name, fn(*fn_args))
            cold = results["cold: ours (factcheck build)"][-1]
            n = cold.executed
            added = tmp / f"added-{i}"
            shutil.copytree(ours, added, symlinks=True)
            note("a new edition: draft and build", add_edition(added, args.jobs))
            shutil.rmtree(added, ignore_errors=True)
            pages = fresh_copy(tmp, f"pages-{i}")
            note("cold: ours, judge and execute only (build --no-book)", measure(
                [sys.executable, "-m", "factcheck", "build", "--year", str(args.year), "--jobs", str(args.jobs),
                 "--no-book"], pages, environment(pages)))
            shutil.rmtree(pages, ignore_errors=True)
            note("execution floor: papermill, imports only", floor(ours, n, args.jobs))
            note("no-op: make book", make_book(ours, args.year, args.jobs))
            with (ours / "book" / "methods.md").open("a", encoding="utf-8") as fh:
                fh.write("\n")
            note("book/methods.md changed: make book", make_book(ours, args.year, args.jobs))
            change_note(ours)
            note("a note of data/inputs.csv changed: make book", make_book(ours, args.year, args.jobs))
            note("nbval -n JOBS --dist loadfile", nbval(ours, args.jobs))
            shutil.rmtree(ours, ignore_errors=True)
            shutil.rmtree(jb, ignore_errors=True)
        load.append(os.getloadavg()[0])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    def med(name: str, key: str = "seconds") -> float:
        return statistics.median(getattr(r, key) for r in results[name])

    def phase(name: str, key: str) -> float:
        return statistics.median(r.phases.get(key, 0.0) for r in results[name])

    ours_name, jb_name = "cold: ours (factcheck build)", "cold: Jupyter Book execute force"
    ours_exports = [sum(r.phases.get(k, 0.0) for k in EXPORTS) for r in results[ours_name]]
    like = [r.seconds - e for r, e in zip(results[ours_name], ours_exports, strict=True)]
    per_run = [a / b.seconds for a, b in zip(like, results[jb_name], strict=True)]
    summary = {
        "judging_ms": {k: round(v * 1000, 1) for k, v in judged.items()},
        "cold_ours_s": med(ours_name), "cold_ours_without_exports_s": statistics.median(like),
        "cold_jupyter_book_s": med(jb_name),
        "cold_ratio_like_for_like": statistics.median(like) / med(jb_name),
        "cold_ratio_with_exports": med(ours_name) / med(jb_name),
        "add_edition_s": med("a new edition: draft and build"),
        "add_edition_over_cold": med("a new edition: draft and build") / med(ours_name),
        "add_edition_executed": statistics.median(r.executed for r in results["a new edition: draft and build"]),
        "cold_ratio_per_run": per_run,
        "phases_s": {k: phase(ours_name, k) for k in ("judge", "execute", "book", *EXPORTS)},
        "execute_s": phase(ours_name, "execute"), "floor_execute_s": phase("execution floor: papermill, imports only",
                                                                          "execute"),
        "peak_mb": {name: med(name, "peak_mb") for name in results},
        "medians_s": {name: med(name) for name in results},
        "rebuild_after_methods_change_phases_s": {k: phase("book/methods.md changed: make book", k)
                                                  for k in ("book", *EXPORTS)},
        "executed_after_note_change": statistics.median(r.executed for r in results[
            "a note of data/inputs.csv changed: make book"]),
        "load_average": load, "jobs": args.jobs, "runs": args.runs, "year": args.year,
    }
    summary["execute_over_floor"] = summary["execute_s"] / summary["floor_execute_s"]
    print(f"\nbench: year {args.year}, {args.runs} run(s), {args.jobs} job(s); medians")
    for name in results:
        print(f"  {name:55} {med(name):8.2f} s  CPU {med(name, 'cpu'):6.1f} s  peak {med(name, 'peak_mb'):6.0f} MB")
    print("  judging: " + ", ".join(f"{k} {v:.0f} ms" for k, v in summary["judging_ms"].items()))
    print(f"  execution phase {summary['execute_s']:.2f} s vs floor {summary['floor_execute_s']:.2f} s: "
          f"{summary['execute_over_floor']:.2f}x")
    print(f"  cold build with every export {summary['cold_ours_s']:.2f} s vs Jupyter Book "
          f"{summary['cold_jupyter_book_s']:.2f} s: {summary['cold_ratio_with_exports']:.2f}x")
    print(f"  cold build without exports {summary['cold_ours_without_exports_s']:.2f} s vs Jupyter Book "
          f"{summary['cold_jupyter_book_s']:.2f} s: {summary['cold_ratio_like_for_like']:.2f}x "
          f"(per run {' '.join(f'{r:.2f}' for r in per_run)})")
    print(f"  a new edition (draft and build) {summary['add_edition_s']:.2f} s vs the cold build "
          f"{summary['cold_ours_s']:.2f} s: {summary['add_edition_over_cold']:.2f}x "
          f"({summary['add_edition_executed']:.0f} pages executed)")
    print("  cold build phases: " + ", ".join(f"{k} {v:.1f} s" for k, v in summary["phases_s"].items()))
    print("  after book/methods.md changed: " + ", ".join(
        f"{k} {v:.1f} s" for k, v in summary["rebuild_after_methods_change_phases_s"].items()))
    print(f"  pages re-executed after an inputs.csv note changed: {summary['executed_after_note_change']:.0f}")
    print(f"  peak memory: execution (build --no-book) {summary['peak_mb']['cold: ours, judge and execute only (build --no-book)']:.0f} MB"
          f" vs Jupyter Book {summary['peak_mb'][jb_name]:.0f} MB; our whole build {summary['peak_mb'][ours_name]:.0f} MB"
          " (with the editions' PDFs)")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(summary, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
