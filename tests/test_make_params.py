"""The Makefile's parameters (YEAR, DATA, SOURCE) carry text, never commands.

``make validate DATA='$(shell touch …)'``, ``make verify YEAR='$$(touch …)'`` and friends must run nothing:
the program gets the text, refuses it in one line naming the parameter, exits 2, and make reports
``make: *** [Makefile:N: target] Error 2``.

Each case runs ``make`` in a copy of the repository's sources whose ``.venv`` is a folder of symlinks to
this repository's virtual environment with a fresh ``.venv/.installed``, so make finds the environment
set up; ``-o .venv/.installed`` makes doubly sure make never runs ``python -m venv`` or ``pip`` into the
shared environment. Targets are the ones that need nothing else (validate, judge, verify, diff, draft).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from buildcopies import REPO, copy_repo

MAKE = shutil.which("make")
pytestmark = pytest.mark.skipif(MAKE is None, reason="make is not installed")
STAMP = ".venv/.installed"


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    root = copy_repo(tmp_path_factory.mktemp("make") / "repo")
    venv = root / ".venv"
    venv.mkdir()
    for entry in (REPO / ".venv").iterdir():
        if entry.name != ".installed":
            (venv / entry.name).symlink_to(entry)
    (venv / ".installed").touch()  # newer than requirements.txt and pyproject.toml: nothing to install
    return root


def make(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("MAKE", "MFLAGS", "FACTCHECK_", "PYTEST_")) and k not in ("YEAR", "DATA", "SOURCE")}
    return subprocess.run([MAKE, "--no-print-directory", "-o", STAMP, *args], cwd=root, env=env,
                          capture_output=True, text=True, timeout=120)


def files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if ".venv" not in p.parts}


# target, variable, value (``{mark}`` is a file that must never be created), how the program's line starts
YEAR_LINE = "error: parameter 'year': must be a four-digit year such as 2022, not '"
CASES = [
    ("validate", "DATA", "$(shell touch {mark})", "error: parameter 'data_dir': folder $(shell touch {mark}) does not"),
    ("judge", "DATA", "$(shell touch {mark})", "error: parameter 'data_dir': folder $(shell touch {mark}) does not"),
    ("verify", "YEAR", "$$(touch {mark})", YEAR_LINE + "$$(touch "),
    ("verify", "YEAR", '"; touch {mark}; echo "', YEAR_LINE + '"; touch '),
    ("verify", "YEAR", "`touch {mark}`", YEAR_LINE + "`touch "),
    ("verify", "YEAR", "$(shell touch {mark})", YEAR_LINE + "$(shell touch "),
    ("verify", "YEAR", "2022; touch {mark}", YEAR_LINE + "2022; touch "),
    ("verify", "DATA", "data$$(touch {mark})", "error: parameter 'data_dir': folder data$$(touch {mark}) does not"),
    ("diff", "BASE", "$(shell touch {mark})", "error: parameter 'base': '$(shell touch "),
    ("diff", "BASE", "`touch {mark}`", "error: parameter 'base': '`touch "),
    ("diff", "BASE", "--output={mark}", "error: parameter 'base': '--output="),
    ("diff", "FORMAT", "$(shell touch {mark})", "error: parameter 'format': must be one of text, markdown"),
    ("draft", "SOURCE", "$(shell touch {mark})", "error: parameter 'source': '$(shell touch {mark})' is not a source with a stored text"),
    ("draft", "SOURCE", "`touch {mark}`", "error: parameter 'source': '`touch {mark}`' is not a source with a stored text"),
    ("draft", "YEAR", "$$(touch {mark})", YEAR_LINE + "$$(touch "),
]


@pytest.mark.parametrize(("target", "variable", "value", "line"), CASES,
                         ids=[f"{t}-{v}-{i}" for i, (t, v, _, _) in enumerate(CASES)])
def test_a_parameter_is_text_not_a_command(repo, tmp_path, target, variable, value, line):
    mark = tmp_path / "pwned"
    before = files(repo)
    result = make(repo, target, f"{variable}={value.format(mark=mark)}")
    assert not mark.exists(), f"make {target} {variable}={value!r} ran a command: {mark} was created"
    assert files(repo) == before, f"files created in the repository: {files(repo) - before}"
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    errors = [x for x in result.stderr.splitlines() if x.startswith(("error:", "internal error:"))]
    assert len(errors) == 1 and errors[0].startswith(line.format(mark=mark)), result.stderr
    assert re.search(rf"^make: \*\*\* \[Makefile:\d+: (?:{target}|params)\] Error 2$", result.stderr, re.M), result.stderr


def test_a_relative_touch_creates_nothing_in_the_repository(repo):
    """The literal ``touch x`` forms of the brief, relative to where the recipe runs."""
    before = files(repo)
    for variable, value in (("YEAR", "$$(touch x)"), ("YEAR", '"; touch x; echo "'), ("YEAR", "`touch x`"),
                            ("DATA", "$(shell touch x)"), ("YEAR", "$(shell touch x)")):
        result = make(repo, "verify", f"{variable}={value}")
        assert result.returncode == 2, result.stderr
        assert not (repo / "x").exists(), f"{variable}={value!r} created x"
    assert files(repo) == before


def test_good_parameters_still_work(repo):
    result = make(repo, "validate", "DATA=data")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].startswith("data OK"), result.stdout


# target, variable, value, the one error line's start: each refused before anything runs
REFUSED = [
    ("serve", "PORT", "²", "error: parameter 'port': must be a port number from 1 to 65535, not '²'"),
    ("serve", "PORT", "٨٠٨٠", "error: parameter 'port': must be a port number from 1 to 65535, not '٨٠٨٠'"),
    ("serve", "PORT", "99999", "error: parameter 'port': must be a port number from 1 to 65535"),
    ("unit", "JOBS", "abc", "error: parameter 'jobs': must be a whole number from 1 to"),
    ("unit", "JOBS", "0", "error: parameter 'jobs': must be a whole number from 1 to"),
    ("unit", "JOBS", "-1", "error: parameter 'jobs': must be a whole number from 1 to"),
    ("nbval", "JOBS", "٨", "error: parameter 'jobs': must be a whole number from 1 to"),
    ("validate", "DATA", "da\nta", "error: parameter 'data_dir': must be a folder path on one line"),
    ("diff", "BASE", "--output=x", "error: parameter 'base': '--output=x' starts with '-'"),
    ("diff", "BASE", "", "error: parameter 'base': give a git revision to compare with"),
    ("diff", "FORMAT", "html", "error: parameter 'format': must be one of text, markdown, not 'html'"),
]


@pytest.mark.parametrize(("target", "variable", "value", "line"), REFUSED,
                         ids=[f"{t}-{v}-{i}" for i, (t, v, _, _) in enumerate(REFUSED)])
def test_a_bad_port_jobs_or_data_is_one_line(repo, target, variable, value, line):
    before = files(repo)
    result = make(repo, target, f"{variable}={value}")
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "usage:" not in result.stderr, result.stderr
    errors = [x for x in result.stderr.splitlines() if x.startswith(("error:", "internal error:"))]
    assert len(errors) == 1 and errors[0].startswith(line), result.stderr
    assert files(repo) == before
