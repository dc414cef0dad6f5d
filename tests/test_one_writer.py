"""One writer at a time: ``judge`` and ``verify`` with other data while a build runs change nothing it publishes.

The red team ran ``make verify`` with other data during ``make book``: it rewrote ``_build/judged/2022.json``
under the running build, and a chapter page then said 算得通 while the fact-check page and the verdict CSV
said 数字有误. Now ``judge`` takes the build's lock (and is refused while a build holds it) and ``verify``
judges into a folder of its own: the book that comes out is byte for byte the one a quiet build makes.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from buildcopies import copy_tree, reference_build, run_cli, start_cli, tree_hash, wait_for

pytestmark = pytest.mark.slow
CLAIM = "2022-prov-incubators"


def other_data(repo: Path, dst: Path) -> Path:
    """The repository's data with the incubator total read as 8 (quote and value): the claim turns 数字有误."""
    shutil.copytree(repo / "data", dst)
    path = dst / "inputs.csv"
    text = path.read_text(encoding="utf-8")
    old = "创新创业孵化载体7家\",,true,截至2022年8月,"
    assert old in text and "incubators_nat_prov,江门高新区,2022,7," in text
    text = text.replace(old, old.replace("7家", "8家")).replace("incubators_nat_prov,江门高新区,2022,7,",
                                                                "incubators_nat_prov,江门高新区,2022,8,")
    path.write_text(text, encoding="utf-8")
    return dst


def verdict_in_csv(text: str, claim_id: str) -> str:
    rows = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    return next(r["verdict"] for r in rows if r["claim_id"] == claim_id)


def test_judge_and_verify_during_a_build_change_nothing_it_publishes(tmp_path_factory, tmp_path):
    repo = copy_tree(reference_build(tmp_path_factory), tmp_path / "repo")
    other = other_data(repo, tmp_path / "other")
    published = (repo / "_build" / "html", repo / "_build" / "judged", repo / "book")
    before = tree_hash(*published)
    quiet = verdict_in_csv((repo / "_build" / "html" / "_downloads" / "verdicts-2022.csv").read_text(encoding="utf-8-sig"),
                           CLAIM)
    assert quiet != "inconsistent"

    log = tmp_path / "build.log"
    build = start_cli(repo, "build", "--year", "2021", "--force", log=log)
    try:
        wait_for(lambda: (repo / "book" / "editions" / ".2021.staging").exists(), build, 600,
                 "the build executes its pages", log)
        refused = run_cli(repo, "judge", "--data", str(other), timeout=120)
        verified = run_cli(repo, "verify", "--year", "2022", "--data", str(other), timeout=120)
        assert build.poll() is None, "the build ended before judge and verify ran: no race was tested"
    finally:
        code = build.wait(timeout=900)
    assert code == 0, log.read_text(encoding="utf-8")[-3000:]

    assert refused.returncode == 2, refused.stderr
    assert refused.stderr.startswith("error: _build/.lock: another build of this repository is running"), \
        refused.stderr
    assert verified.returncode == 0, verified.stderr
    table = (repo / "_build" / "verdicts" / "verdicts-2022.csv").read_text(encoding="utf-8-sig")
    assert verdict_in_csv(table, CLAIM) == "inconsistent"  # verify used the other data, apart

    assert tree_hash(*published) == before, "the book, the judged files or the pages changed"
