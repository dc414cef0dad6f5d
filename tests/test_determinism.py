"""Determinism: the same inputs give the same verdicts and the same book.

* ``python -m factcheck verify --year 2022`` twice (in two processes with different hash seeds) writes
  byte-identical judged files and verdict tables.
* Two builds from the same inputs (the session's reference build, and a second build in a fresh copy
  at another path, with another hash seed and without network; see test_offline.py) give
  byte-identical judged files, executed pages (the edition, the landing page, the cross-year chapter,
  the about page), ``_toc.yml`` and ``_build/html`` (its chart SVGs and CSVs, verdict tables, data zip
  and PDF included), apart from the differences listed in :data:`ALLOWED`.

Allowed differences (build stamps), found by comparing two builds: **none**, except inside a PDF: Chromium's PDF
writer (Skia) does not always number its objects and split its Type 3 fonts the same way in two prints of the
same page (seen: 5465 and 5539 objects, pages identical), so a PDF is compared by what a reader gets: the
same number of pages, the same text on each, the same pixels at 20 dpi. Papermill used to give the
injected parameters cell a random id, which reached ``book/editions`` and ``_build/html/_sources``;
``runner.tidy`` now gives it a fixed id. Altair's random ``altair-viz-…`` ids do not occur in the
book (charts are embedded by ``factcheck.charts``); the search index, ``objects.inv`` and the
``_downloads/<hash>/`` folders are already stable across builds and paths. Should a future build
stamp appear (e.g. a date), list it here with a regular expression that masks it, and say why.
"""

from __future__ import annotations

import difflib
import filecmp
import re
import subprocess
import tempfile
from pathlib import Path

import pytest
from buildcopies import YEAR, rebuilt, reference_build, run_cli, snapshot

pytestmark = pytest.mark.slow

#: glob of a file under _build/html -> [(regex, replacement)] applied to both sides before comparing
ALLOWED: dict[str, list[tuple[str, str]]] = {}
EMBEDDED = re.compile(rb"base64,[A-Za-z0-9+/=]+")


def normalised(path: Path, rel: str) -> bytes:
    data = path.read_bytes()
    for pattern, rules in ALLOWED.items():
        if Path(rel).match(pattern):
            text = data.decode("utf-8")
            for regex, replacement in rules:
                text = re.sub(regex, replacement, text)
            data = text.encode("utf-8")
    return data


def pdf_difference(a: Path, b: Path) -> str | None:
    """How two PDFs differ for a reader (pages, text, pixels at 20 dpi), or None when they do not."""
    from browser.support import pdf_pages_text

    text_a, text_b = pdf_pages_text(a.read_bytes()), pdf_pages_text(b.read_bytes())
    if len(text_a) != len(text_b):
        return f"{len(text_a)} pages against {len(text_b)}"
    for n, (x, y) in enumerate(zip(text_a, text_b, strict=True), start=1):
        if x != y:
            return f"the text of page {n} differs"
    with tempfile.TemporaryDirectory() as tmp:
        for name, pdf in (("a", a), ("b", b)):
            subprocess.run(["pdftoppm", "-r", "20", "-gray", str(pdf), str(Path(tmp) / name)], check=True, timeout=300)
        for page in sorted(Path(tmp).glob("a-*.pgm")):
            if page.read_bytes() != (Path(tmp) / ("b" + page.name[1:])).read_bytes():
                return f"page {page.stem.split('-')[-1]} looks different"
    return None


def tree_differences(a: Path, b: Path) -> list[str]:
    files_a = {str(p.relative_to(a)) for p in a.rglob("*") if p.is_file()}
    files_b = {str(p.relative_to(b)) for p in b.rglob("*") if p.is_file()}
    problems = [f"only in the first build: {f}" for f in sorted(files_a - files_b)]
    problems += [f"only in the second build: {f}" for f in sorted(files_b - files_a)]
    for rel in sorted(files_a & files_b):
        if filecmp.cmp(a / rel, b / rel, shallow=False):
            continue
        if rel.endswith(".pdf"):
            why = pdf_difference(a / rel, b / rel)
            if why:
                problems.append(f"differs: {rel}: {why}")
            continue
        left, right = normalised(a / rel, rel), normalised(b / rel, rel)
        if left != right and EMBEDDED.sub(b"", left) == EMBEDDED.sub(b"", right):
            problems.append(f"differs: {rel}: only in embedded base64 data (a font or image stamped when made?)")
        elif left != right:
            diff = difflib.unified_diff(left.decode("utf-8", "replace").splitlines(),
                                        right.decode("utf-8", "replace").splitlines(), lineterm="", n=0)
            lines = [line if len(line) < 300 else line[:150] + " … " + line[-100:] for line in list(diff)[2:8]]
            problems.append(f"differs: {rel}\n" + "\n".join(lines))
    return problems


def test_verify_twice_gives_identical_verdicts(tmp_path_factory, tmp_path):
    root = snapshot(tmp_path_factory)
    outputs = []
    for seed in ("1", "2"):
        out, judged = tmp_path / f"run{seed}", tmp_path / f"judged{seed}"
        result = run_cli(root, "verify", "--year", YEAR, "--out", str(out), env={"PYTHONHASHSEED": seed}, timeout=300)
        assert result.returncode == 0, result.stderr
        tables = sorted(out.glob("*.csv"))
        assert [t.name for t in tables] == [f"verdicts-{YEAR}.csv"], tables
        result = run_cli(root, "judge", "--out", str(judged), env={"PYTHONHASHSEED": seed}, timeout=300)
        assert result.returncode == 0, result.stderr
        outputs.append((tables[0].read_bytes(), sorted((p.name, p.read_bytes()) for p in judged.glob("*.json"))))
    assert outputs[0] == outputs[1]
    assert outputs[0][0].count(b"\n") > 10
    assert [name for name, _ in outputs[0][1]] != []


def test_two_builds_give_identical_books(tmp_path_factory):
    first, second = reference_build(tmp_path_factory), rebuilt(tmp_path_factory)
    assert first.resolve() != second.resolve()
    problems = []
    for rel in ("_build/html", f"book/editions/{YEAR}", "_build/judged"):
        problems += tree_differences(first / rel, second / rel)
    pages = sorted({p.name for top in (first, second) for p in (top / "book").glob("*.ipynb")})
    assert {"index.ipynb", "cross_year.ipynb"} <= set(pages)
    for rel in [*(f"book/{name}" for name in pages), "_toc.yml"]:
        a, b = first / rel, second / rel
        if not (a.is_file() and b.is_file() and a.read_bytes() == b.read_bytes()):
            problems.append(f"differs: {rel}")
    assert not problems, "\n".join(problems[:20])
