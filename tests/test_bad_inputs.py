"""The bad-input corpus (tests/bad_inputs/cases.yaml): each case yields one clear line and changes nothing.

The contract, for every bad input: one line on stderr, ``error: <file>, row N, column 'c': <why>`` (or
``parameter 'x'``), exit code 2; exit 1 with a line starting ``internal error:`` only for a bug; no
traceback, no hang; the last good book and the published editions byte-for-byte as they were.

* Data and package cases run through the command line's entry point (``factcheck.cli.main``, in this
  process, for speed) as ``validate --data data`` (or the case's ``command``): the exit code, stdout and
  stderr as a user sees them, with a guard against hangs.
* Parameter cases run ``python -m factcheck judge`` as a separate process.
* Notebook cases run against the check the build makes of each template before executing it.
* The cases with ``build: true`` and every notebook case run once more through ``python -m factcheck
  build --year 2022`` in a copy of a repository holding a book built earlier in the session (the last good
  book, shared by the whole run): marked slow. ``build: true`` marks one case of each way input can fail
  (a malformed CSV, an article not in UTF-8, the descriptor, a missing folder, a quote, a unit, the engine, the
  register, a link, a path, a parameter): the build refuses data with the same validation before it writes
  anything, so the other data cases, run in-process above, need no build of their own.

Also here: a claims.csv of 39,000 rows under the size limit (slow), the exit code of a bug, and the
``mentions`` and ``schema`` commands. The Makefile's parameters are in tests/test_make_params.py.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bad_inputs.corpus import counts_by_kind, edit_notebook, expected, load_cases, make_input
from buildcopies import (
    REPO,
    YEAR,
    copy_tree,
    env_for,
    leftovers,
    published,
    reference_build,
    run_cli,
    tree_hash,
)

from factcheck import cli
from factcheck.errors import InputError

CASES = load_cases()
DATA_CASES = [c for c in CASES if "data" in c or "package" in c]
PARAM_CASES = [c for c in CASES if "params" in c]
NOTEBOOK_CASES = [c for c in CASES if "notebook" in c]
EXECUTING = {"raise", "exit", "sigkill"}  # notebook cases that fail only once a kernel runs them
CHECK_CASES = [c for c in NOTEBOOK_CASES if c["notebook"]["op"] not in EXECUTING]
BUILD_CASES = [c for c in CASES if c.get("build") or "notebook" in c]
HANG = 60  # seconds an in-process case may take before it counts as a hang

# What the brief asks the corpus to cover, by case id.
REQUIRED = {
    "malformed CSV": ["csv-unclosed-quote", "csv-extra-cell", "csv-missing-cells", "csv-not-utf8"],
    "missing, renamed or extra column": ["missing-column", "renamed-column", "extra-column", "extra-column-with-cells"],
    "text in a numeric column": ["text-in-numeric"],
    "duplicate id": ["duplicate-claim-id", "duplicate-input"],
    "quote not in the article": ["quote-not-in-article"],
    "unknown indicator in a claim or formula": ["claim-unknown-indicator", "binding-unknown-indicator",
                                                "formula-unknown-name"],
    "mismatched units": ["unit-wanyuan-for-yiyuan", "unit-persons-for-wanren"],
    "negative count": ["negative-count"],
    "share above 100 %": ["share-above-100"],
    "unknown or non-integer year": ["year-unknown", "year-not-integer", "claim-year-not-integer"],
    "parameter carrying code": ["year-with-code", "year-with-shell-command", "year-with-backticks"],
    "notebook without parameters cell or with an unknown parameter": ["notebook-no-parameters-cell",
                                                                       "notebook-unknown-parameter"],
    "notebook raising halfway": ["notebook-raises"],
    "kernel dying": ["kernel-exits", "kernel-killed"],
    "formulas": ["formula-power-tower-hidden", "formula-power-tower", "formula-5000-chars", "formula-nested-300",
                 "formula-name-as-exponent", "formula-import", "formula-min-without-arguments", "formula-lambda",
                 "formula-attribute", "formula-divides-by-zero", "bindings-cycle", "binding-to-itself"],
    "numbers": ["value-underscore", "value-full-width-digits", "value-arabic-indic-digits", "value-with-spaces",
                "value-400-digits", "value-exponent-1e3", "value-nan-lower", "value-infinity", "value-negative-zero",
                "value-not-the-printed-figure", "figure-inside-a-number", "figure-twice-in-quote",
                "fraction-value-short-of-its-decimals", "word-figure-wrong-value"],
    "files": ["article-not-utf8", "datapackage-no-resources", "datapackage-field-type-changed",
              "datapackage-schema-url", "missing-table-mentions", "claims-over-size-limit", "data-dir-is-a-file",
              "data-dir-missing"],
    "register": ["number-not-accounted-for", "mention-not-at-offset", "mention-claim-and-reason",
                 "mention-unknown-claim", "duplicate-statistic", "name-with-value", "date-with-formula",
                 "binding-to-a-name"],
}


def only_notes(err: str) -> bool:
    """Valid data: nothing on stderr but what validation notes without refusing (``note: …``)."""
    return all(line.startswith("note: ") for line in err.splitlines())


def ids(cases: list[dict]) -> list[str]:
    return [c["id"] for c in cases]


def test_corpus_covers_the_brief():
    known = set(ids(CASES))
    for what, needed in REQUIRED.items():
        assert set(needed) <= known, f"{what}: missing {set(needed) - known}"
    counts = counts_by_kind(CASES)
    assert all(counts.values()) and len(CASES) >= 100, counts


# ---- the one line -------------------------------------------------------------------------------
def assert_one_clear_line(stderr: str, case: dict, marks: dict | None = None, *, folder: str = "",
                          lines: list[str] | None = None) -> str:
    """Exactly one ``error:`` (exit 2) or ``internal error:`` (exit 1) line, located and worded as the case
    expects; no traceback. ``lines`` are the lines to look at (default: all of stderr)."""
    cid = case["id"]
    assert "Traceback" not in stderr, f"{cid}: a traceback:\n{stderr[-3000:]}"
    lead = "internal error: " if case.get("exit", 2) == 1 else "error: "
    lines = stderr.splitlines() if lines is None else lines
    found = [line for line in lines if line.startswith(("error: ", "internal error: "))]
    assert len(found) == 1, f"{cid}: expected one error line, got {found}\n{stderr[-3000:]}"
    line = found[0]
    first, *rest = expected(case, marks)
    where = folder if ("data" in case or "package" in case) and not first.startswith("parameter ") else ""
    assert line.startswith(lead + where + first), f"{cid}: expected the line to start with {lead + where + first!r}, got {line!r}"
    for part in rest:
        assert part in line, f"{cid}: expected {part!r} in {line!r}"
    for part in case.get("absent", []):
        assert part not in line, f"{cid}: {part!r} must not be in {line!r}"
    return line


class Hang(BaseException):
    """Raised by the alarm: not an ``Exception``, so the command line's catch-all does not take it."""


@contextlib.contextmanager
def no_hang(seconds: int = HANG):
    def alarm(signum, frame):
        raise Hang(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def run_main(argv: list[str], capfd) -> tuple[int, str, str]:
    """``python -m factcheck ARGV`` through its entry point in this process: exit code, stdout, stderr."""
    capfd.readouterr()
    try:
        with no_hang():
            code = cli.main(argv)
    except SystemExit as exc:  # argparse
        code = exc.code if isinstance(exc.code, int) else 2
    except Hang as exc:
        pytest.fail(f"factcheck {' '.join(argv)} hangs: {exc}")
    out, err = capfd.readouterr()
    return code, out, err


# ---- data and package cases: validate (or the case's command) -----------------------------------
@pytest.mark.parametrize("case", DATA_CASES, ids=ids(DATA_CASES))
def test_data_case(case, tmp_path, capfd, monkeypatch):
    monkeypatch.delenv("FACTCHECK_DEBUG", raising=False)
    marks = make_input(case, REPO / "data", tmp_path / "data")
    before = tree_hash(tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    command = [str(a) for a in case.get("command", ["validate"])]
    outputs = {"judge": ["--out", "judged"], "verify": ["--out", "verdicts"]}
    code, out, err = run_main([*command, "--data", "data", *outputs.get(command[0], [])], capfd)
    assert code == case.get("exit", 2), f"{case['id']}: exit {code}\nstdout: {out[-1000:]}\nstderr: {err[-3000:]}"
    assert len(err.splitlines()) == 1, f"{case['id']}: stderr is not one line:\n{err[-3000:]}"
    assert_one_clear_line(err, case, marks, folder="data/")
    assert tree_hash(tmp_path / "data") == before, f"{case['id']}: the data folder was written"
    written = [name for name in ("judged", "verdicts") if (tmp_path / name).exists()]
    assert not written, f"{case['id']}: {written} written from bad input"


# ---- parameter cases: a separate process --------------------------------------------------------
def cli_in(cwd: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """``python -m factcheck ARGS`` in ``cwd`` with this repository's package."""
    env = env_for(REPO)
    env.pop("FACTCHECK_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "factcheck", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)


def parameter_folder(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "data", tmp_path / "data")
    (tmp_path / "empty").mkdir()
    return tmp_path


@pytest.mark.parametrize("case", PARAM_CASES, ids=ids(PARAM_CASES))
def test_parameter_case(case, tmp_path):
    cwd = parameter_folder(tmp_path)
    params = {"year": YEAR, "data_dir": "data", **case["params"]}
    before = sorted(p.name for p in cwd.iterdir())
    result = cli_in(cwd, "judge", "--year", params["year"], "--data", params["data_dir"], "--out", "judged")
    assert result.returncode == case.get("exit", 2), f"{case['id']}: exit {result.returncode}\n{result.stderr[-3000:]}"
    assert len(result.stderr.splitlines()) == 1, f"{case['id']}: stderr is not one line:\n{result.stderr[-3000:]}"
    assert_one_clear_line(result.stderr, case)
    assert sorted(p.name for p in cwd.iterdir()) == before, f"{case['id']}: files were created"
    if case.get("creates_nothing"):
        assert not (cwd / case["creates_nothing"]).exists()


# ---- notebook cases: the check of each template before it runs ----------------------------------
def expected_parameters(template: str) -> set[str]:
    from factcheck.publish.runner import TEMPLATE_PARAMETERS

    return TEMPLATE_PARAMETERS[Path(template).stem]


@pytest.mark.parametrize("case", CHECK_CASES, ids=ids(CHECK_CASES))
def test_notebook_check_case(case, tmp_path, monkeypatch):
    from factcheck.publish.runner import check_notebook

    (tmp_path / "notebooks").mkdir()
    path = Path(shutil.copy(REPO / "notebooks" / case["notebook"]["file"], tmp_path / "notebooks"))
    edit_notebook(path, case["notebook"]["op"])
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError) as err:
        check_notebook(path, expected_parameters(path.name))
    assert_one_clear_line(f"error: {err.value}", case)


@pytest.mark.parametrize(("value", "decimals"), [("66.67", ""), ("66.6667", ""), ("66.6667", "4")])
def test_a_fraction_figure_takes_its_value_at_the_decimals_given(value, decimals, tmp_path, capfd, monkeypatch):
    """三分之二 (66.666…%) written at any number of decimals, correctly rounded, is the printed figure: the
    refusals of the corpus (66.66; 66.67 with decimals 4) are about the rounding, not the form."""
    case = {"id": "fraction", "why": "", "expect": "",
            "data": [{"file": "claims.csv", "where": {"claim_id": "2022-nat-incubators-share"},
                      "set": {"value": value, "decimals": decimals}}]}
    make_input(case, REPO / "data", tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    code, out, err = run_main(["validate", "--data", "data"], capfd)
    assert code == 0 and only_notes(err), err


def test_the_negative_zero_package_is_valid_with_zero(tmp_path, capfd, monkeypatch):
    """The control of value-negative-zero: the same package with 0 validates, so -0 is its only fault."""
    case = next(c for c in CASES if c["id"] == "value-negative-zero")
    claims = [{**c, "value": "0"} for c in case["package"]["claims"]]
    make_input({**case, "package": {**case["package"], "claims": claims}}, REPO / "data", tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    code, out, err = run_main(["validate", "--data", "data"], capfd)
    assert code == 0 and only_notes(err), err


def test_good_inputs_pass(tmp_path, capfd, monkeypatch):
    """The edits are the only fault: the untouched data validates, and the templates pass the check."""
    from factcheck.publish.runner import check_notebook

    shutil.copytree(REPO / "data", tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    code, out, err = run_main(["validate", "--data", "data"], capfd)
    assert code == 0 and out.startswith("data OK") and only_notes(err), (code, out, err)
    for nb in sorted((REPO / "notebooks").glob("*.ipynb")):
        check_notebook(nb, expected_parameters(nb.name))


# ---- through `build`, against the last good book ------------------------------------------------
@pytest.fixture(scope="session")
def last_good(tmp_path_factory) -> Path:
    return reference_build(tmp_path_factory)


@pytest.mark.slow
@pytest.mark.parametrize("case", BUILD_CASES, ids=ids(BUILD_CASES))
def test_case_through_build(case, last_good, tmp_path):
    root = copy_tree(last_good, tmp_path / "repo")
    before = tree_hash(*published(root))
    files_before = sorted(p.name for p in root.iterdir())
    args = ["build", "--year", YEAR]
    marks: dict = {}
    if "data" in case or "package" in case:
        shutil.move(str(root / "data"), str(tmp_path / "real-data"))
        marks = make_input(case, tmp_path / "real-data", root / "data")
    elif "params" in case:
        (root / "empty").mkdir()
        files_before.append("empty")
        files_before.sort()
        args = ["build", "--year", case["params"].get("year", YEAR), "--data", case["params"].get("data_dir", "data")]
    else:
        edit_notebook(root / "notebooks" / case["notebook"]["file"], case["notebook"]["op"])
    result = run_cli(root, *args, timeout=600, env={"FACTCHECK_DEBUG": ""})
    assert result.returncode == case.get("exit", 2), f"{case['id']}: exit {result.returncode}\n{result.stderr[-3000:]}"
    assert_one_clear_line(result.stderr, case, marks, folder="data/")
    assert tree_hash(*published(root)) == before, f"{case['id']}: the published book or edition changed"
    assert leftovers(root) == [], f"{case['id']}: a failed build left {leftovers(root)}"
    assert sorted(p.name for p in root.iterdir()) == files_before, f"{case['id']}: files were created"


# ---- a claims.csv of 39,000 rows under the size limit -------------------------------------------
def many_claims(folder: Path, n: int = 39_000) -> Path:
    """A package whose claims.csv holds ``n`` name claims (one per number of an article of ``n``
    numbers), just under :data:`factcheck.load.MAX_BYTES`."""
    from conftest import build_package

    from factcheck.load import MAX_BYTES

    numbers = [str(10_000 + i) for i in range(n)]
    source = {"source_id": "a", "publisher": "某报", "origin": "某报", "title": "长文", "tier": "1",
              "covers": "压力测试", "accessed": "2026-11-25", "text_file": "articles/a.txt"}
    root = build_package(folder, sources=[source], articles={"a": "、".join(numbers) + "\n"}, register=False)
    alphabet = "0123456789abcdefghijklmnopqrstuvwxyz"
    header = (root / "claims.csv").read_text(encoding="utf-8").splitlines()[0]
    width = len(header.split(","))
    lines = [header]
    for i, number in enumerate(numbers):
        short = "".join(alphabet[i // 36 ** k % 36] for k in (2, 1, 0))
        lines.append(",".join([f"2022-{short}", "2022", "a", "rd", "name", number, number] + [""] * (width - 7)))
    (root / "claims.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert (root / "claims.csv").stat().st_size < MAX_BYTES
    return root


@pytest.mark.slow
def test_many_claims_under_the_limit_are_refused_or_judged_in_linear_time(tmp_path):
    """39,000 rows within the size limit: refused in one line (a row limit), or validated and judged
    within a generous minute, not in the quadratic time that would hang a build."""
    root = many_claims(tmp_path)
    budget = 60.0
    start = time.monotonic()
    for args in (["validate", "--data", str(root)], ["judge", "--data", str(root), "--out", str(tmp_path / "j")]):
        left = budget - (time.monotonic() - start)
        try:
            result = cli_in(tmp_path, *args, timeout=max(left, 1))
        except subprocess.TimeoutExpired:
            pytest.fail(f"factcheck {args[0]} on 39,000 claims did not finish within {budget:.0f} s in all: the "
                        "checks are not linear in the number of claims and mentions")
        if result.returncode == 2:
            line = assert_one_clear_line(result.stderr, {"id": "many-claims", "expect": ""},
                                         lines=result.stderr.splitlines())
            assert "claims.csv" in line, line
            return
        assert result.returncode == 0, result.stderr[-3000:]
    assert time.monotonic() - start < budget


# ---- exit codes: a bug is exit 1 and one 'internal error:' line ---------------------------------
def test_a_bug_exits_1_with_one_internal_error_line(tmp_path, capfd, monkeypatch):
    import factcheck.validate

    def broken(*args, **kwargs):
        raise RuntimeError("simulated bug")

    monkeypatch.delenv("FACTCHECK_DEBUG", raising=False)
    monkeypatch.setattr(factcheck.validate, "validate", broken)
    shutil.copytree(REPO / "data", tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    for argv in (["validate", "--data", "data"], ["judge", "--data", "data", "--out", "judged"]):
        code, out, err = run_main(argv, capfd)
        assert code == 1, (argv, code, err)
        assert err.splitlines() == [err.strip()] and err.startswith("internal error: RuntimeError: simulated bug"), err
        assert "Traceback" not in err and out == ""
    assert not (tmp_path / "judged").exists()


def test_a_build_error_exits_1(capfd, monkeypatch):
    import factcheck.publish.runner
    from factcheck.errors import BuildError

    def broken(*args, **kwargs):
        raise BuildError("jupyter-book build failed (simulated)")

    monkeypatch.setattr(factcheck.publish.runner, "build", broken)
    code, out, err = run_main(["build", "--year", YEAR], capfd)
    assert code == 1 and err == "internal error: jupyter-book build failed (simulated)\n", (code, err)


BUG_SCRIPT = """
import sys
import factcheck.validate

def broken(*args, **kwargs):
    raise RuntimeError("simulated bug")

factcheck.validate.validate = broken
from factcheck.cli import main
sys.exit(main(["validate", "--data", "data"]))
"""


@pytest.mark.parametrize("debug", ["", "1"], ids=["plain", "FACTCHECK_DEBUG"])
def test_a_bug_in_a_real_process(tmp_path, debug):
    """The same, as a separate process: one line and exit 1; the traceback only with FACTCHECK_DEBUG=1."""
    shutil.copytree(REPO / "data", tmp_path / "data")
    env = env_for(REPO)
    env.pop("FACTCHECK_DEBUG", None)
    if debug:
        env["FACTCHECK_DEBUG"] = debug
    result = subprocess.run([sys.executable, "-c", BUG_SCRIPT], cwd=tmp_path, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 1, result.stderr
    if debug:
        assert "Traceback" in result.stderr and "RuntimeError: simulated bug" in result.stderr
    else:
        assert result.stderr.splitlines() == [
            "internal error: RuntimeError: simulated bug (a bug in factcheck, not in your data; FACTCHECK_DEBUG=1 "
            "shows where)"], result.stderr


def test_a_usage_error_exits_2():
    result = cli_in(REPO, "verify")
    assert result.returncode == 2 and "the following arguments are required: --year" in result.stderr
    assert "Traceback" not in result.stderr


# ---- the mentions and schema commands -----------------------------------------------------------
def test_mentions_lists_a_number_not_accounted_for(make_package, tmp_path):
    root = make_package(tmp_path, claims=[{"claim_id": "2022-rd", "indicator": "rd_expenditure", "value": "16.28",
                                           "quote": "研发经费16.28亿元"}],
                        article="测试文章。\n研发经费16.28亿元,新建实验室7个。\n", register=False)
    result = cli_in(tmp_path, "mentions", "--data", str(root))
    assert result.returncode == 0, result.stderr
    offset = (root / "articles" / "art.txt").read_text(encoding="utf-8").index("7个")
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    missing = [r for r in rows if r[4] == "NOT ACCOUNTED FOR"]
    assert [(r[0], r[1], r[3]) for r in missing] == [("art", str(offset), "7")], result.stdout
    assert any(r[3] == "16.28" and r[4] == "2022-rd" for r in rows), result.stdout
    assert result.stderr.strip() == "1 mention(s) not accounted for"
    validate = cli_in(tmp_path, "validate", "--data", str(root))
    assert validate.returncode == 2
    assert f"the number '7' at offset {offset} of 'art' is neither a claim nor in the register" in validate.stderr


def test_mentions_of_an_unknown_source_is_refused():
    result = cli_in(REPO, "mentions", "--source", "no-such-source")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith("error: parameter 'source': 'no-such-source' is not a source with a stored text")


def test_schema_prints_the_descriptor():
    from factcheck.schema import descriptor

    result = cli_in(REPO, "schema")
    assert result.returncode == 0 and result.stderr == ""
    assert json.loads(result.stdout) == descriptor()
    assert result.stdout == (REPO / "data" / "datapackage.json").read_text(encoding="utf-8"), \
        "data/datapackage.json is not what python -m factcheck schema writes"


def test_schema_write_refuses_a_missing_folder(tmp_path):
    result = cli_in(tmp_path, "schema", "--write", "--data", "nowhere")
    assert result.returncode == 2 and result.stderr.startswith("error: parameter 'data_dir': folder nowhere")
    assert not (tmp_path / "nowhere").exists()


@pytest.mark.parametrize("command", ["validate", "judge", "mentions"])
def test_no_data_folder_through_every_command(tmp_path, command):
    result = cli_in(tmp_path, command, "--data", str(tmp_path / "missing"))
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines() == [f"error: parameter 'data_dir': folder {tmp_path / 'missing'} does not exist"]
    assert os.listdir(tmp_path) == []
