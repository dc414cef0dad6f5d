"""``make bench`` / ``python -m factcheck.bench``: how fast the build is, measured side by side.

Every measurement runs in a fresh copy of the repository in a temporary folder (no ``_build``, no
manifest), with ``PYTHONPATH`` pointing at that copy, so the kernels import the copied package:

a. cold build: ``python -m factcheck build`` (validation, parallel papermill, the book) against Jupyter
   Book's own execution (``execute_notebooks: force``) of the same notebooks with the same parameters,
   laid out where the book expects them (parameters injected, not executed), the other editions
   excluded from execution as the runner leaves them alone; both build the whole book with
   ``-W -n --keep-going``. The two alternate run by run;
b. a no-op rebuild: ``make book`` again (wall time, make and the Python start-up included);
c. one data file changed (``inputs.csv``, the edition's own article text, another edition's article
   text): which notebooks ran again, and how long ``make book`` took;
d. nbval on the published notebooks, serial and with pytest-xdist (``-n JOBS --dist loadfile``);
e. peak memory: the largest sum of the resident sets of the measured process and all its descendants,
   sampled every 50 ms.

Medians of ``--runs`` runs (3 by default), with the CPU seconds the process tree used (user + system, a
figure that another load on the machine barely changes, unlike wall time) and the load average. The cold
ratio is given both as the ratio of the medians and as the median of the per-run ratios (each run's two
builds run back to back). Prints a table and writes ``_build/bench.json``. Timings are reported, never
judged pass/fail: the machine may be shared.
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

from .runner import ROOT, Layout, cores, plan, tidy

IGNORE = shutil.ignore_patterns(".git", ".venv", "_build", ".pytest_cache", ".hypothesis", ".ruff_cache",
                                "node_modules", "__pycache__", ".ipynb_checkpoints", ".*.staging",
                                ".*.previous", ".*.staging.ipynb")
EXECUTED = re.compile(r"\[factcheck\] execute (\S+):")
PHASE = re.compile(r"(validate|execute \d+ notebook\(s\)|book) ([\d.]+) s")


@dataclass
class Run:
    seconds: float
    peak_mb: float
    returncode: int
    output: str
    cpu: float = 0.0  # user + system seconds of the process and its (waited-for) descendants

    @property
    def executed(self) -> list[str]:
        return sorted(EXECUTED.findall(self.output))

    @property
    def phases(self) -> dict[str, float]:
        """The runner's own split of its time (its last ``[factcheck] validate … s, …`` line)."""
        lines = [ln for ln in self.output.splitlines() if ln.startswith("[factcheck] validate ")]
        return {k.split()[0]: float(v) for k, v in PHASE.findall(lines[-1])} if lines else {}


# ---- measuring ----------------------------------------------------------------------------------
def measure(cmd: list[str], cwd: Path, env: dict[str, str]) -> Run:
    """Run ``cmd``; wall time and the peak summed RSS of its process tree."""
    import psutil

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = [0]
    done = threading.Event()

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
    return Run(seconds, peak[0] / 2**20, proc.returncode, output, cpu)


def checked(run: Run, what: str) -> Run:
    if run.returncode != 0:
        tail = "\n".join(run.output.splitlines()[-30:])
        raise SystemExit(f"bench: {what} failed (exit {run.returncode}):\n{tail}")
    return run


def fresh_copy(src: Path, parent: Path, name: str) -> Path:
    dest = parent / name
    shutil.copytree(src, dest, ignore=IGNORE, symlinks=True)
    return dest


def environment(copy: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(copy)  # the copy's package, also in the kernels
    env.pop("PYTHONHASHSEED", None)
    return env


# ---- (a) the two cold builds ----------------------------------------------------------------------
def ours_cold(copy: Path, year: int, jobs: int) -> Run:
    cmd = [sys.executable, "-m", "factcheck", "build", "--year", str(year), "--data", "data", "--jobs", str(jobs)]
    return checked(measure(cmd, copy, environment(copy)), "our cold build")


def prepare_jupyter_book(copy: Path, year: int) -> None:
    """Lay the parameterised notebooks out where the book expects them and switch on forced execution.

    The same notebooks and parameters as the runner's plan, injected by papermill without executing and
    tidied as the runner tidies them; the other editions keep their published copies and are excluded
    from execution, as the runner leaves them alone. Not timed.
    """
    import nbformat
    import papermill

    from .charts import write_vega_bundle
    from .data import load

    layout = Layout(copy)
    data = copy / "data"
    for job in plan(layout, year, data, latest=max(load(data).years)):
        job.target.parent.mkdir(parents=True, exist_ok=True)
        papermill.execute_notebook(str(job.source), str(job.target), parameters=job.parameters,
                                   prepare_only=True, kernel_name="python3", progress_bar=False)
        tidy(job.target, year=year)
        nb = nbformat.read(job.target, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
        nbformat.write(nb, job.target)
    write_vega_bundle(layout.book / "_static")
    others = [p.name for p in layout.editions.glob("*") if p.is_dir() and p.name != str(year)]
    config = (copy / "_config.yml").read_text(encoding="utf-8")
    execute = ("execute:\n  execute_notebooks: force\n  timeout: 600\n"
               + ("  exclude_patterns:\n" + "".join(f'    - "editions/{o}/*.ipynb"\n' for o in others)
                  if others else ""))
    config, n = re.subn(r"(?m)^execute:\n(?:[ \t]+.*\n)*", execute, config)
    if n != 1:
        raise SystemExit("bench: could not find the execute: section of _config.yml")
    (copy / "_config.yml").write_text(config, encoding="utf-8")


def jupyter_book_force(copy: Path) -> Run:
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    cmd = [str(jupyter_book), "build", str(copy), "--path-output", str(copy / "_build" / "jb"),
           "-W", "-n", "--keep-going"]
    return checked(measure(cmd, copy, environment(copy)), "Jupyter Book's forced execution")


# ---- (b, c) make book again ---------------------------------------------------------------------
def make_book(copy: Path, year: int, jobs: int) -> Run:
    """``make book`` in the copy, with this Python instead of the copy's own ``.venv`` (none is made)."""
    stamp = copy / "_build" / ".bench-installed"
    if not stamp.exists():
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.touch()  # newer than requirements.txt and pyproject.toml: make does no pip work
    cmd = ["make", "--no-print-directory", "-C", str(copy), "book", f"YEAR={year}", f"JOBS={jobs}",
           f"PY={sys.executable}", f"STAMP={stamp}"]
    return checked(measure(cmd, copy, environment(copy)), "make book")


def change_inputs(copy: Path) -> str:
    """Change one cell of ``data/inputs.csv`` that no figure depends on (a note), keeping it valid."""
    path = copy / "data" / "inputs.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    col = rows[0].index("note")
    rows[1][col] = (rows[1][col] + " (bench)").strip()
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return "data/inputs.csv"


def articles(copy: Path, year: int) -> tuple[str | None, str | None]:
    """The article text of ``year``'s edition, and one of another edition (``data/…`` paths)."""
    from .data import load

    ds = load(copy / "data")
    own = set(ds.claims_for(year)["source_id"])
    mine = other = None
    for sid, src in ds.sources.iterrows():
        if src["text_file"]:
            if sid in own and mine is None:
                mine = f"data/{src['text_file']}"
            elif sid not in own and other is None and sid in set(ds.claims["source_id"]):
                other = f"data/{src['text_file']}"
    return mine, other


def append_line(copy: Path, rel: str) -> str:
    with (copy / rel).open("a", encoding="utf-8") as fh:
        fh.write("\n")
    return rel


# ---- (d) nbval ----------------------------------------------------------------------------------
def nbval(copy: Path, workers: int) -> Run:
    cmd = [sys.executable, "-m", "pytest", "--nbval", "--nbval-current-env",
           "--nbval-sanitize-with", "tests/nbval_sanitize.cfg", "-p", "no:randomly", "-p", "no:cacheprovider",
           "-q", "book/editions", "book/cross_year.ipynb"]
    if workers > 1:
        cmd[3:3] = ["-n", str(workers), "--dist", "loadfile"]
    return checked(measure(cmd, copy, environment(copy)), f"nbval ({'serial' if workers <= 1 else workers})")


# ---- the report ---------------------------------------------------------------------------------
def median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def ratio(a: float, b: float) -> float:
    return a / b if b else float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m factcheck.bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--year", type=int, default=2022)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=cores())
    parser.add_argument("--no-nbval", action="store_true", help="skip (d)")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "bench.json")
    parser.add_argument("--keep", action="store_true", help="keep the temporary copies")
    args = parser.parse_args(argv)

    src = ROOT
    tmp = Path(tempfile.mkdtemp(prefix="factcheck-bench-"))
    rows: dict[str, list[Run]] = {}
    reran: dict[str, list[list[str]]] = {}
    files: dict[str, str] = {}
    load_before = os.getloadavg()

    def log(msg: str) -> None:
        print(f"[bench] {msg}", file=sys.stderr, flush=True)

    def note(key: str, run: Run) -> Run:
        rows.setdefault(key, []).append(run)
        log(f"{key}: {run.seconds:.2f} s (CPU {run.cpu:.1f} s, load {os.getloadavg()[0]:.1f}), peak {run.peak_mb:.0f} MB"
            + (f", executed {len(run.executed)}" if "change" in key or "no-op" in key else ""))
        return run

    try:
        for i in range(args.runs):
            ours_copy = fresh_copy(src, tmp, f"ours{i}")
            jb_copy = fresh_copy(src, tmp, f"jb{i}")
            prepare_jupyter_book(jb_copy, args.year)
            first, second = (("ours", "jb") if i % 2 == 0 else ("jb", "ours"))
            for which in (first, second):
                if which == "ours":
                    note("cold: ours (factcheck build)", ours_cold(ours_copy, args.year, args.jobs))
                else:
                    note("cold: Jupyter Book execute force", jupyter_book_force(jb_copy))
            shutil.rmtree(jb_copy, ignore_errors=True)
            note("no-op: make book", make_book(ours_copy, args.year, args.jobs))
            mine, other = articles(ours_copy, args.year)
            changes = [("inputs.csv", lambda c: change_inputs(c))]
            if mine:
                changes.append(("own article", lambda c, m=mine: append_line(c, m)))
            if other:
                changes.append(("other edition's article", lambda c, o=other: append_line(c, o)))
            for label, change in changes:
                files[label] = change(ours_copy)
                key = f"one file changed: {files[label]}"
                run = note(key, make_book(ours_copy, args.year, args.jobs))
                reran.setdefault(key, []).append(run.executed)
            if not args.no_nbval:
                note("nbval: serial", nbval(ours_copy, 1))
                note(f"nbval: -n {args.jobs} --dist loadfile", nbval(ours_copy, args.jobs))
            if not args.keep:
                shutil.rmtree(ours_copy, ignore_errors=True)
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)

    figures = {key: {"median_s": round(median([r.seconds for r in runs]), 2),
                     "runs_s": [round(r.seconds, 2) for r in runs],
                     "median_cpu_s": round(median([r.cpu for r in runs]), 1),
                     "peak_mb": round(max(r.peak_mb for r in runs), 1)} for key, runs in rows.items()}
    for key, runs in rows.items():
        phases = [r.phases for r in runs if r.phases]
        if phases:
            figures[key]["runner_phases_median_s"] = {
                k: round(median([p[k] for p in phases if k in p]), 2) for k in phases[0]}
    for key, lists in reran.items():
        figures[key]["executed"] = lists[-1]
        figures[key]["executed_same_every_run"] = all(x == lists[0] for x in lists)
    cold_ours = figures["cold: ours (factcheck build)"]["median_s"]
    cold_jb = figures["cold: Jupyter Book execute force"]["median_s"]
    paired = [ratio(a.seconds, b.seconds) for a, b in zip(rows["cold: ours (factcheck build)"],
                                                          rows["cold: Jupyter Book execute force"], strict=True)]
    ratios = {"cold ours / JB force": round(ratio(cold_ours, cold_jb), 3),
              "cold ours / JB force, median of per-run ratios": round(median(paired), 3),
              "cold ours / JB force, per run": [round(r, 3) for r in paired]}
    nb_keys = [k for k in figures if k.startswith("nbval")]
    if len(nb_keys) == 2:
        ratios["nbval parallel / serial"] = round(ratio(figures[nb_keys[1]]["median_s"], figures[nb_keys[0]]["median_s"]), 3)
    result = {
        "year": args.year, "runs": args.runs, "jobs": args.jobs, "cores": cores(), "python": sys.version.split()[0],
        "loadavg_before": [round(x, 2) for x in load_before], "loadavg_after": [round(x, 2) for x in os.getloadavg()],
        "measurements": figures, "ratios": ratios,
        "targets": {"cold ours / JB force": "<= 0.6", "no-op: make book": "< 2 s",
                    "one file changed": "re-executes only the notebooks that read it"},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    width = max(len(k) for k in figures)
    print(f"\nbench: year {args.year}, {args.runs} run(s), {args.jobs} job(s) on {cores()} core(s), "
          f"load average {load_before[0]:.1f} before, {os.getloadavg()[0]:.1f} after; medians")
    print(f"{'measurement'.ljust(width)}  {'median s':>9}  {'CPU s':>6}  {'peak MB':>8}  runs (s)")
    for key, f in figures.items():
        print(f"{key.ljust(width)}  {f['median_s']:9.2f}  {f['median_cpu_s']:6.1f}  {f['peak_mb']:8.0f}  "
              + " ".join(f"{s:.2f}" for s in f["runs_s"]))
        if "executed" in f:
            names = [Path(n).name for n in f["executed"]]
            print(f"{''.ljust(width)}  re-executed {len(names)}: {', '.join(names) or 'none'}")
        if "runner_phases_median_s" in f:
            print(f"{''.ljust(width)}  of which " + ", ".join(f"{k} {v:.2f} s" for k, v in f["runner_phases_median_s"].items()))
    for key, value in ratios.items():
        shown = " ".join(f"{v:.3f}" for v in value) if isinstance(value, list) else f"{value:9.3f}"
        print(f"{key.ljust(width)}  {shown}")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
