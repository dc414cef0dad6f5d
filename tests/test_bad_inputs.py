"""The bad-input corpus (tests/bad_inputs/cases.yaml): each case yields one clear error and changes nothing.

Every case runs in-process against the function that must refuse it (``factcheck.data.load``,
``check_params``, ``check_notebook``): one :class:`InputError` whose single-line message names the file,
row, column or parameter and says why. The cases marked ``cli: true`` and every notebook case also run through the real command line against a copy of the repository holding a book
built earlier in the session (the last good book): exit code 2, exactly one ``error:`` line, no
traceback, and ``_build/html``, ``book/editions/2022`` and ``book/cross_year.ipynb`` byte-for-byte as
they were, with no staging folder left behind.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from bad_inputs.corpus import edit_data, edit_notebook, expected, load_cases
from buildcopies import REPO, YEAR, copy_tree, error_lines, leftovers, published, reference_build, run_cli, tree_hash

from factcheck.data import load
from factcheck.errors import InputError
from factcheck.params import check_params

CASES = load_cases()
BY_KIND = {kind: [c for c in CASES if kind in c] for kind in ("data", "params", "notebook")}
EXECUTING = {"raise", "exit", "sigkill"}  # notebook cases that fail only once a kernel runs them

# What the issue asks the corpus to cover, by case id.
REQUIRED = {
    "malformed CSV": ["csv-unclosed-quote", "csv-extra-cell", "csv-missing-cells", "csv-not-utf8"],
    "missing or renamed column": ["missing-column", "renamed-column"],
    "text in a numeric column": ["text-in-numeric"],
    "duplicate id": ["duplicate-claim-id", "duplicate-input"],
    "quote not in the article": ["quote-not-in-article"],
    "unknown indicator in a claim or formula": ["claim-unknown-indicator", "binding-unknown-indicator",
                                                "formula-unknown-name"],
    "mismatched units": ["unit-wanyuan-for-yiyuan", "unit-persons-for-wanren"],
    "negative count": ["negative-count"],
    "share above 100 %": ["share-above-100"],
    "unknown or non-integer year": ["year-unknown", "year-not-integer", "claim-year-not-integer"],
    "parameter carrying code": ["year-with-code"],
    "notebook without parameters cell or with an unknown parameter": ["notebook-no-parameters-cell",
                                                                       "notebook-unknown-parameter"],
    "notebook raising halfway": ["notebook-raises"],
    "kernel dying": ["kernel-exits", "kernel-killed"],
}


def ids(cases: list[dict]) -> list[str]:
    return [c["id"] for c in cases]


def test_corpus_covers_the_issue():
    assert len(CASES) >= 25
    known = set(ids(CASES))
    for what, needed in REQUIRED.items():
        assert set(needed) <= known, f"{what}: missing {set(needed) - known}"


def assert_one_clear_line(message: str, case: dict, marks: dict[str, int] | None = None) -> None:
    assert "\n" not in message, f"{case['id']}: the message spans several lines: {message!r}"
    for part in expected(case, marks):
        assert part in message, f"{case['id']}: expected {part!r} in {message!r}"


# ---- in-process: every case ---------------------------------------------------------------------
@pytest.mark.parametrize("case", BY_KIND["data"], ids=ids(BY_KIND["data"]))
def test_data_case(case, tmp_path):
    root = shutil.copytree(REPO / "data", tmp_path / "data")
    marks = edit_data(root, case["data"])
    with pytest.raises(InputError) as err:
        load(root)
    assert_one_clear_line(str(err.value), case, marks)
    assert err.value.file and Path(err.value.file).name == Path(case["data"][-1]["file"]).name
    if "{row}" in str(case["expect"]):
        assert err.value.row == marks["row"]


@pytest.mark.parametrize("case", BY_KIND["params"], ids=ids(BY_KIND["params"]))
def test_parameter_case(case, monkeypatch):
    monkeypatch.chdir(REPO)
    params = {"year": YEAR, "data_dir": "data", **case["params"]}
    with pytest.raises(InputError) as err:
        year, data = check_params(**params)
        load(data).require_year(year)
    assert_one_clear_line(str(err.value), case)


@pytest.mark.parametrize("case", [c for c in BY_KIND["notebook"] if c["notebook"]["op"] not in EXECUTING],
                         ids=ids([c for c in BY_KIND["notebook"] if c["notebook"]["op"] not in EXECUTING]))
def test_notebook_check_case(case, tmp_path, monkeypatch):
    from factcheck.runner import check_notebook

    (tmp_path / "notebooks").mkdir()
    path = Path(shutil.copy(REPO / "notebooks" / case["notebook"]["file"], tmp_path / "notebooks"))
    edit_notebook(path, case["notebook"]["op"])
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError) as err:
        check_notebook(path)
    assert_one_clear_line(str(err.value), case)


def test_good_inputs_pass(tmp_path):
    """The edits are the only fault: the untouched copy loads, and its notebooks pass the check."""
    from factcheck.runner import check_notebook

    ds = load(shutil.copytree(REPO / "data", tmp_path / "data"))
    assert int(YEAR) in ds.years
    for nb in sorted((REPO / "notebooks").glob("*.ipynb")):
        check_notebook(nb)


# ---- through the real command line, against a built book ----------------------------------------
CLI_CASES = [c for c in CASES if c.get("cli") or "notebook" in c]


def bare_notebook(path: Path) -> None:
    """Keep only the parameters cell of a notebook."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["cells"] = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    path.write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")


@pytest.fixture(scope="session")
def last_good(tmp_path_factory) -> Path:
    return reference_build(tmp_path_factory)


@pytest.mark.slow
@pytest.mark.parametrize("case", CLI_CASES, ids=ids(CLI_CASES))
def test_case_through_cli(case, last_good, tmp_path):
    root = copy_tree(last_good, tmp_path / "repo")
    before = tree_hash(*published(root))
    args = ["build", "--year", YEAR]
    marks = {}
    if "data" in case:
        data = shutil.copytree(root / "data", tmp_path / "data")
        marks = edit_data(data, case["data"])
        args += ["--data", str(data)]
    elif "params" in case:
        args = ["build", "--year", case["params"].get("year", YEAR), "--data", case["params"].get("data_dir", "data")]
    else:
        edit_notebook(root / "notebooks" / case["notebook"]["file"], case["notebook"]["op"])
        if case["notebook"]["op"] in EXECUTING:
            # run_jobs waits for every notebook before it reports the first failure: keep only the broken
            # chapter, and make the cross-year notebook (which the build requires) a bare parameters cell,
            # so the case costs one notebook up to its broken cell.
            for nb in (root / "notebooks").glob("[0-9][0-9]_*.ipynb"):
                if nb.name != case["notebook"]["file"]:
                    nb.unlink()
            bare_notebook(root / "notebooks" / "cross_year.ipynb")
    result = run_cli(root, *args, timeout=600)
    lines = error_lines(result)
    assert result.returncode == 2, f"{case['id']}: exit {result.returncode}\n{result.stderr[-3000:]}"
    assert len(lines) == 1, f"{case['id']}: expected one error line, got {lines}\n{result.stderr[-3000:]}"
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    message = lines[0].removeprefix("error: ")
    assert_one_clear_line(message, case, marks)
    assert tree_hash(*published(root)) == before, f"{case['id']}: the published book or edition changed"
    assert leftovers(root) == [], f"{case['id']}: a failed build left {leftovers(root)}"
