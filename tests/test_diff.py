"""The verdict diff on a synthetic history, and the corrections log it keeps honest.

Each test makes a git repository in a temporary folder holding a copy of the project's ``data/``,
commits it (the published state), edits the data as a contributor would, commits again, and runs
``python -m factcheck diff`` (its entry point, in this process) against the first commit: a one-digit
typo that flips a verdict fails until a corrections row names the change; a claim that stops being a
statistic fails the same way; a changed wording and a new source are reported and pass. Verdict codes
are never written here: they come from judging the data (and labels from factcheck.vocabulary).

Every row of the real ``data/corrections.csv`` must name a change the diff can see: at the row's base
commit the claim had the verdict ``before``, and the latest row of a claim gives its verdict now.
"""

from __future__ import annotations

import csv
import datetime
import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from factcheck import cli
from factcheck.diff import judge_revision, resolve
from factcheck.errors import InputError
from factcheck.judged import stage
from factcheck.schema import DRAFTED
from factcheck.vocabulary import CODES, NO_VERDICT, label

REPO = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")



def flip(data: Path) -> None:
    """A one-digit typo (7 → 8 national and provincial incubators, in the value and in its quote, as when the
    source is misread) that contradicts the article's 3 provincial ones."""
    path = data / "inputs.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    hit = [r for r in rows if r["indicator"] == "incubators_nat_prov" and "载体7家" in r["quote"]]
    assert len(hit) == 1, "the project's data changed: pick another typo for this test"
    hit[0].update(value="8", quote=hit[0]["quote"].replace("载体7家", "载体8家"))
    write(path, rows)


FLIPPED = "2022-prov-incubators"
GONE = "2022-zones"  # a stated statistic nothing else binds to


def git(repo: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    done = subprocess.run(["git", "-c", "user.name=test", "-c", "user.email=test@example.org", "-c",
                           "commit.gpgsign=false", *args], cwd=repo, env=env, capture_output=True, text=True,
                          check=True, timeout=60)
    return done.stdout.strip()


def commit(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD")


@pytest.fixture(autouse=True)
def _own_repository(monkeypatch):
    """git finds the synthetic repository from its folder, even when the tests run inside a git hook."""
    for name in [k for k in os.environ if k.startswith("GIT_")]:
        monkeypatch.delenv(name)


@pytest.fixture
def history(tmp_path) -> tuple[Path, str]:
    """A repository whose first commit holds the project's data: (its data folder, that commit)."""
    repo = tmp_path / "repo"
    shutil.copytree(REPO / "data", repo / "data", symlinks=True)
    git(repo, "init", "-q", "-b", "main")
    return repo / "data", commit(repo, "published")


def edit(data: Path, table: str, match: Callable[[dict], bool], **cells: str) -> None:
    """Set ``cells`` in the rows of ``table`` that ``match`` (at least one), keeping the file's layout."""
    path = data / table
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    hit = [r for r in rows if match(r)]
    assert hit, f"no row of {table} to edit: the project's data changed, update this test"
    for r in hit:
        r.update(cells)
    write(path, rows)


def write(path: Path, rows: list[dict]) -> None:
    header = next(csv.reader(path.open(encoding="utf-8", newline="")))
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, header, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def append(path: Path, row: dict) -> None:
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    write(path, [*rows, row])


def diff(capsys, data: Path, rev: str, *flags: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = cli.main(["diff", "--data", str(data), *flags, "--", rev])
    out, err = capsys.readouterr()
    return code, out, err


def verdicts(data: Path, tmp: Path) -> dict[str, str]:
    stage(data, tmp)
    return {j["claim_id"]: j["verdict"] for p in tmp.glob("*.json")
            for j in json.loads(p.read_text(encoding="utf-8"))["claims"]}


def errors(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith(("error:", "internal error:"))]


# ---- the synthetic history ----------------------------------------------------------------------
def test_a_flipped_verdict_fails_until_a_correction_names_it(history, capsys, tmp_path):
    data, base = history
    flip(data)
    commit(data.parent, "typo")

    code, out, _ = diff(capsys, data, base, "--write-corrections")
    assert code == 1, out
    rows = list(csv.DictReader((data / "corrections.csv").open(encoding="utf-8")))
    assert len(rows) == 1, f"one drafted row expected: {rows}"
    before, after = rows[0]["before"], rows[0]["after"]
    assert (rows[0]["claim_id"], rows[0]["base"], rows[0]["edition"]) == (FLIPPED, base, FLIPPED[:4])
    assert before in CODES and after in CODES and before != after, rows
    assert rows[0]["date"] == datetime.date.today().isoformat() and rows[0]["why"].startswith(DRAFTED)
    line = next(x for x in out.splitlines() if FLIPPED in x and "结论" in x)
    assert label(before) in line and label(after) in line and "需要更正" in line, out
    assert "7家" in out and "8家" in out, "the changed figure is not listed"

    code, _, err = diff(capsys, data, base)
    assert code == 2 and len(errors(err)) == 1, "a drafted row is no correction yet"
    assert "corrections.csv, row 2, column 'why': a drafted correction" in errors(err)[0], err

    edit(data, "corrections.csv", lambda r: True, why="重新核对来源：合计是8家。")
    code, out, _ = diff(capsys, data, base)
    assert code == 0, out
    assert "已记入更正" in out and "需要更正" not in out

    commit(data.parent, "corrected")
    assert_log_is_true(data, tmp_path / "log")  # judged apart from the diff: before at the base, after now


def test_a_correction_must_name_the_change_it_corrects(history, capsys, tmp_path):
    data, base = history
    before = verdicts(data, tmp_path / "before")[FLIPPED]
    flip(data)
    after = verdicts(data, tmp_path / "after")[FLIPPED]
    other = next(c for c in CODES if c not in (before, after))
    row = {"date": "2026-01-02", "edition": "2022", "claim_id": FLIPPED, "before": other, "after": after,
           "what": "那个数字", "why": "原因", "base": base}
    append(data / "corrections.csv", row)
    code, out, _ = diff(capsys, data, base)
    assert code == 1 and "需要更正" in out, "a row with another verdict before is not this change's correction"


def test_a_vanished_claim_fails_until_a_correction_names_it(history, capsys, tmp_path):
    data, base = history
    edit(data, "claims.csv", lambda r: r["claim_id"] == GONE, kind="name", value="", check="")
    commit(data.parent, "not a statistic")

    code, out, _ = diff(capsys, data, base, "--write-corrections")
    assert code == 1, out
    (row,) = csv.DictReader((data / "corrections.csv").open(encoding="utf-8"))
    assert row["claim_id"] == GONE and row["before"] in CODES and row["after"] == "", row
    line = next(x for x in out.splitlines() if GONE in x)
    assert "撤下" in line and label(row["before"]) in line and NO_VERDICT in line and "需要更正" in line, out

    edit(data, "corrections.csv", lambda r: True, why="169是国家高新区的总数，不是要核查的统计数字。")
    code, out, _ = diff(capsys, data, base)
    assert code == 0, out
    commit(data.parent, "corrected")
    assert_log_is_true(data, tmp_path / "log")


def test_a_changed_wording_is_reported_and_passes(history, capsys):
    data, base = history
    edit(data, "sources.csv", lambda r: r["source_id"] == "ycwb-2022", publisher="羊城晚报社")
    commit(data.parent, "publisher's full name")
    code, out, _ = diff(capsys, data, base)
    assert code == 0, out
    items = {(cells[2], cells[3]) for cells in _table(out)}
    assert ("理由", "改变") in items and ("来源", "改变") in items, out
    assert "羊城晚报社" in out and "需要更正" not in out and "结论" not in {i for i, _ in items}


def test_a_new_source_is_reported_and_passes(history, capsys):
    data, base = history
    append(data / "sources.csv", {"source_id": "test-yearbook", "publisher": "测试统计局", "origin": "测试统计局",
                                  "title": "测试年鉴", "published": "2011", "url": "https://example.org/yearbook",
                                  "tier": "1", "covers": "江海区2010年地区生产总值", "accessed": "2026-11-25"})
    append(data / "inputs.csv", {"indicator": "gdp", "geography": "江海区", "period": "2010", "value": "100.5",
                                 "qualifier": "=", "unit": "亿元", "source_id": "test-yearbook",
                                 "quote": "实现地区生产总值100.5亿元"})
    commit(data.parent, "a new source")
    code, out, _ = diff(capsys, data, base)
    assert code == 0, out
    rows = _table(out)
    assert any(c[1] == "test-yearbook" and c[2:4] == ["来源", "新增"] and "测试统计局《测试年鉴》" in c[5] for c in rows), out
    assert any(c[2:4] == ["数字", "新增"] and "100.5亿元" in c[5] for c in rows), out


def test_no_change_says_so(history, capsys):
    data, base = history
    code, out, _ = diff(capsys, data, base)
    assert code == 0 and "都没有变化" in out, out


def test_markdown_keeps_data_as_text(history, capsys):
    data, base = history
    title = "<img src=x onerror=alert(1)>|[链接](https://example.org)![图](https://example.org/a.png)@someone"
    edit(data, "sources.csv", lambda r: r["source_id"] == "ycwb-2022", title=title)
    code, out, _ = diff(capsys, data, base, "--format", "markdown")
    assert code == 0, out
    assert "<img" not in out and not re.search(r"(?<!\\)[\[\]!]", out) and "\\@someone" in out, out
    rows = [x for x in out.splitlines() if x.startswith("| ")]
    assert rows and all(_cells(x) == len(rows[0].split("|")) - 2 for x in rows), "a data '|' split a table cell"


# ---- the revision -------------------------------------------------------------------------------
@pytest.mark.parametrize("rev", ["--output=/tmp/x", "-p", "main; touch x", "$(touch x)", "", "main\nHEAD"])
def test_a_revision_is_a_name_never_an_option_or_a_command(history, capsys, rev):
    data, _ = history
    code, out, err = diff(capsys, data, rev)
    assert code == 2 and not out and len(errors(err)) == 1 and "parameter 'base'" in errors(err)[0], err
    assert not (data.parent / "x").exists()


def test_an_unknown_revision_is_one_line(history, capsys):
    data, _ = history
    code, _, err = diff(capsys, data, "no-such-branch")
    assert code == 2 and errors(err) == [
        "error: parameter 'base': git could not find the revision 'no-such-branch' (not a branch, tag or commit of "
        "this repository)"], err


def test_a_link_in_the_data_at_the_revision_is_refused(history, capsys):
    data, _ = history
    (data / "articles" / "elsewhere.txt").symlink_to("/etc/hostname")
    linked = commit(data.parent, "a link")
    code, _, err = diff(capsys, data, linked)
    assert code == 2 and len(errors(err)) == 1 and "articles/elsewhere.txt" in err and "link" in err, err


def test_the_data_at_the_revision_are_named_when_bad(history, capsys):
    data, _ = history
    edit(data, "claims.csv", lambda r: r["claim_id"] == FLIPPED, value="x")
    bad = commit(data.parent, "bad")
    edit(data, "claims.csv", lambda r: r["claim_id"] == FLIPPED, value="3")
    code, _, err = diff(capsys, data, bad)
    assert code == 2 and len(errors(err)) == 1, err
    assert f"error: {bad[:10]}:data/claims.csv, row" in err and "the data at" in err, err


# ---- the corrections log ------------------------------------------------------------------------
def _row(**cells: str) -> dict:
    row = {"date": "2026-01-02", "edition": "2022", "claim_id": FLIPPED, "before": CODES[0], "after": CODES[1],
           "what": "那个数字", "why": "原因", "base": "0" * 40}
    return {**row, **cells}


@pytest.mark.parametrize(("cells", "column", "says"), [
    ({"date": "2999-01-01"}, "date", "is in the future"),
    ({"edition": "2023"}, "edition", "says edition 2022"),
    ({"before": "right"}, "before", "'right' is not a verdict code"),
    ({"after": CODES[0]}, "after", "a correction changes the verdict"),
    ({"claim_id": "2022-no-such-claim"}, "after", "is not in claims.csv"),
    ({"claim_id": FLIPPED, "after": ""}, "after", "is a statistic and has a verdict"),
    ({"why": f"{DRAFTED}：写明原因"}, "why", "a drafted correction"),
    ({"base": "main"}, "base", "does not have the required form"),
])
def test_a_bad_correction_is_one_line(history, capsys, cells, column, says):
    data, _ = history
    append(data / "corrections.csv", _row(**cells))
    code = cli.main(["validate", "--data", str(data)])
    err = capsys.readouterr().err
    assert code == 2 and len(errors(err)) == 1, err
    assert f"corrections.csv, row 2, column '{column}'" in err and says in err, err


def test_the_latest_correction_gives_the_verdict_now(history, capsys, tmp_path):
    data, _ = history
    now = verdicts(data, tmp_path / "now")[FLIPPED]
    others = [c for c in CODES if c != now]
    append(data / "corrections.csv", _row(before=others[0], after=others[1]))
    code = cli.main(["judge", "--data", str(data), "--out", str(tmp_path / "judged")])
    err = capsys.readouterr().err
    assert code == 2 and len(errors(err)) == 1 and "the latest correction of" in err, err


def assert_log_is_true(data: Path, tmp: Path) -> None:
    """Every corrections row names a change the diff sees: the claim had the verdict ``before`` at the row's base
    commit, and the latest row of each claim gives the verdict it has now (the judged stage refuses otherwise)."""
    rows = list(csv.DictReader((data / "corrections.csv").open(encoding="utf-8")))
    at: dict[str, dict[str, str]] = {}
    for r in rows:
        if r["base"] not in at:
            try:
                revision = resolve(r["base"], data)
            except InputError as exc:
                pytest.fail(f"corrections.csv: the base of {r['claim_id']} is not a commit of this history (a "
                            f"shallow clone? fetch-depth: 0): {exc}")
            docs, _ = judge_revision(revision, tmp / r["base"])
            at[r["base"]] = {j["claim_id"]: j["verdict"] for doc in docs.values() for j in doc["claims"]}
        was = at[r["base"]].get(r["claim_id"], "not judged")
        assert was == r["before"], (f"corrections.csv: {r['claim_id']} was '{was}' at {r['base'][:10]}, not "
                                    f"'{r['before']}' as the row says")
    stage(data, tmp / "now")


def test_every_real_correction_names_a_change_the_diff_sees(tmp_path):
    """The project's own log (empty until a published verdict changes): the check the synthetic history passes."""
    assert_log_is_true(REPO / "data", tmp_path)


# ---- helpers for reading the text table ---------------------------------------------------------
def _table(out: str) -> list[list[str]]:
    """The rows of the text table, each cell's lines joined (a wrapped cell spans lines)."""
    rows: list[list[str]] = []
    current: list[str] | None = None
    for line in out.splitlines():
        if line.startswith("│"):
            cells = [c.strip() for c in line.strip("│").split("│")]
            current = cells if current is None else [a + b for a, b in zip(current, cells, strict=True)]
        elif current is not None:
            rows.append(current)
            current = None
    return rows[1:]  # not the heading


def _cells(line: str) -> int:
    """The cells of a Markdown table row: '|' not escaped by a backslash."""
    count, escaped = 0, False
    for ch in line:
        if ch == "|" and not escaped:
            count += 1
        escaped = ch == "\\" and not escaped
    return count - 1
