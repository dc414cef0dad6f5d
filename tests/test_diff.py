"""The verdict diff on a synthetic history, and the corrections log it keeps honest.

Each test makes a git repository in a temporary folder holding a copy of the project's program and its
``data/``, commits it (the published state), edits the data (or the program) as a contributor would,
commits again, and runs ``python -m factcheck diff`` (its entry point, in this process) against the first
commit, which is judged by its own program: a one-digit typo that flips a verdict fails until a
corrections row names the change; a change of the rules that flips verdicts fails the same way, and each
side's verdicts are shown in its own words; a claim that stops being a statistic fails the same way; a
changed wording and a new source are reported and pass; a revision whose program cannot judge is one line.
Verdict codes are never written here: they come from judging the data (and labels from the judged files).

Every row of the real ``data/corrections.csv`` must name a change the diff can see: at the row's base
commit, judged by that commit's own program, the claim had the verdict ``before`` under the label
``before_label``, and the latest row of a claim gives its verdict now.
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

from factcheck import cli, present
from factcheck.diff import compare, judge_revision, resolve
from factcheck.edition import Book, Edition
from factcheck.errors import InputError
from factcheck.judged import stage
from factcheck.schema import DRAFTED
from factcheck.vocabulary import CODES, NO_VERDICT, VERDICTS, label

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


PROGRAM = ("factcheck", "book/chapters.yml", "_config.yml", "pyproject.toml")
"""What the program reads besides the data: the package, the chapters, the book's settings."""


def install_program(repo: Path) -> None:
    """This work tree's program into the synthetic repository (replacing whatever is there)."""
    for name in PROGRAM:
        target = repo / name
        if (REPO / name).is_dir():
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(REPO / name, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(REPO / name, target)


@pytest.fixture
def history(tmp_path) -> tuple[Path, str]:
    """A repository whose first commit holds the project's program and data, as first published (an empty
    corrections log: the project's rows name commits of its own history): (its data folder, that commit)."""
    repo = tmp_path / "repo"
    shutil.copytree(REPO / "data", repo / "data", symlinks=True)
    log = repo / "data" / "corrections.csv"
    log.write_text(log.read_text(encoding="utf-8").splitlines(keepends=True)[0], encoding="utf-8")
    install_program(repo)
    git(repo, "init", "-q", "-b", "main")
    return repo / "data", commit(repo, "published")


def patch(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{path.name} changed: '{old}' is not in it once; pick another rule change"
    path.write_text(text.replace(old, new), encoding="utf-8")


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
    return {j["claim_id"]: j["verdict"] for p in tmp.glob("[0-9][0-9][0-9][0-9].json")
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
    assert rows[0]["before_label"] == label(before), "the label readers saw at the base (the same program here)"
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
    row = {"date": "2026-01-02", "edition": "2022", "claim_id": FLIPPED, "before": other,
           "before_label": label(other), "after": after, "what": "那个数字", "why": "原因", "base": base}
    append(data / "corrections.csv", row)
    code, out, _ = diff(capsys, data, base)
    assert code == 1 and "需要更正" in out, "a row with another verdict before is not this change's correction"


def test_a_change_of_the_rules_is_judged_by_each_sides_program(history, capsys, tmp_path):
    """Published under an older rule (an agreement among the article's own figures counted as agreeing with
    outside data, and that verdict was called 算得通); the work tree's rule tells them apart. The data do not
    change: only judging the base with its own program shows the flipped verdicts, in each side's words."""
    data, _ = history
    repo = data.parent
    patch(repo / "factcheck" / "engine.py", 'return "consistent" if outside else "internal"', 'return "consistent"')
    patch(repo / "factcheck" / "vocabulary.py", 'Verdict("consistent", "相符但非独立",', 'Verdict("consistent", "算得通",')
    base = commit(repo, "published under the old rule")
    install_program(repo)
    commit(repo, "the article's own arithmetic is told apart")

    internal = sorted(c for c, v in verdicts(data, tmp_path / "now").items() if v == "internal")
    assert internal, "no claim is judged internal now: pick another rule change for this test"
    code, out, _ = diff(capsys, data, base, "--write-corrections")
    assert code == 1, out
    rows = list(csv.DictReader((data / "corrections.csv").open(encoding="utf-8")))
    assert sorted(r["claim_id"] for r in rows) == internal, out
    assert {(r["before"], r["before_label"], r["after"], r["base"]) for r in rows} == {
        ("consistent", "算得通", "internal", base)}, "the code and the words of the base's own program"
    table = _table(out)
    flipped = {c[1]: c for c in table if c[2] == "结论"}
    assert set(flipped) == set(internal), out
    assert all(c[4:7] == ["算得通", label("internal"), "需要更正"] for c in flipped.values()), out
    renamed = [c for c in table if c[2] == "结论用语"]  # still consistent: the same verdict in today's words
    assert renamed and all(c[4:7] == ["算得通", label("consistent"), ""] for c in renamed), out
    assert f"另有{len(renamed)}个结论没有改变，只是换了说法" in out, out

    edit(data, "corrections.csv", lambda r: True, why="只有文章自己的数字互相算得通，没有外部数据可比。")
    code, out, _ = diff(capsys, data, base)
    assert code == 0 and "都已记入更正" in out and "需要更正" not in out, out
    commit(repo, "corrected")
    assert_log_is_true(data, tmp_path / "log")


def test_a_field_an_older_program_lacked_is_no_change():
    """A source field the base's program did not write reads as empty, so only a filled one is a change."""
    old = {2022: {"sources": {"s": {"publisher": "甲", "title": "乙"}}}}
    same = {2022: {"sources": {"s": {"publisher": "甲", "title": "乙", "asked": "", "placement": None}}}}
    named = {2022: {"sources": {"s": {"publisher": "甲", "title": "乙", "short_title": "甲的报道"}}}}
    assert compare(old, same) == ([], [])
    (row,), _ = compare(old, named)
    assert (row.item, row.change, row.before, row.after) == ("来源", "改变", "简称：（空）", "简称：甲的报道"), row


@pytest.mark.parametrize(("main", "says"), [
    ('import sys\nsys.exit("factcheck: error: argument command: invalid choice: \'judge\'")\n',
     "(exit code 1): factcheck: error: argument command: invalid choice: 'judge'"),
    (None, "has no factcheck package with a command line"),
])
def test_a_revision_whose_program_cannot_judge_is_one_line(history, capsys, main, says):
    """A revision too old to judge (no judge command, or no package): one line and exit 2, never judged by today's
    rules instead (that would hide the changes of the rules)."""
    data, _ = history
    if main is None:
        shutil.rmtree(data.parent / "factcheck")
    else:
        (data.parent / "factcheck" / "__main__.py").write_text(main, encoding="utf-8")
    old = commit(data.parent, "an older program")
    code, out, err = diff(capsys, data, old)
    assert code == 2 and not out and len(errors(err)) == 1, err
    assert errors(err)[0].startswith("error: parameter 'base': ") and says in err and old[:10] in err, err


def test_a_vanished_claim_fails_until_a_correction_names_it(history, capsys, tmp_path):
    data, base = history
    edit(data, "claims.csv", lambda r: r["claim_id"] == GONE, kind="name", value="", check="")
    commit(data.parent, "not a statistic")

    code, out, _ = diff(capsys, data, base, "--write-corrections")
    assert code == 1, out
    (row,) = csv.DictReader((data / "corrections.csv").open(encoding="utf-8"))
    assert row["claim_id"] == GONE and row["before"] in CODES and row["after"] == "", row
    assert row["before_label"] == label(row["before"]), row
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
    title = "|[链接](https://example.org)![图](https://example.org/a.png)@someone"  # a title may hold no <>
    edit(data, "sources.csv", lambda r: r["source_id"] == "ycwb-2022", title=title,
         artefacts="<img src=x onerror=alert(1)>")
    code, out, _ = diff(capsys, data, base, "--format", "markdown")
    assert code == 0, out
    assert "img src" in out and "<img" not in out and not re.search(r"(?<!\\)[\[\]!]", out) and "\\@someone" in out, out
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
    assert errors(err)[0].startswith(f"error: parameter 'base': the program at {bad[:10]} could not judge the data "
                                     "of that revision (exit code 2): data/claims.csv, row"), err


# ---- the corrections log ------------------------------------------------------------------------
def _row(**cells: str) -> dict:
    row = {"date": "2026-01-02", "edition": "2022", "claim_id": FLIPPED, "before": CODES[0],
           "before_label": label(CODES[0]), "after": CODES[1], "what": "那个数字", "why": "原因", "base": "0" * 40}
    return {**row, **cells}


@pytest.mark.parametrize(("cells", "column", "says"), [
    ({"date": "2999-01-01"}, "date", "is in the future"),
    ({"edition": "2023"}, "edition", "says edition 2022"),
    ({"before": "数字有误"}, "before", "does not have the required form"),
    ({"before_label": ""}, "before_label", "is required"),
    ({"after": "right"}, "after", "'right' is not a verdict code"),
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
    """Every corrections row names a change the diff sees: at the row's base commit, judged by that commit's own
    program, the claim had the verdict ``before`` under the label ``before_label``; and the latest row of each
    claim gives the verdict it has now (the judged stage refuses otherwise)."""
    rows = list(csv.DictReader((data / "corrections.csv").open(encoding="utf-8")))
    at: dict[str, dict[str, tuple[str, str]]] = {}
    for r in rows:
        if r["base"] not in at:
            try:
                revision = resolve(r["base"], data)
            except InputError as exc:
                pytest.fail(f"corrections.csv: the base of {r['claim_id']} is not a commit of this history (a "
                            f"shallow clone? fetch-depth: 0): {exc}")
            docs, _ = judge_revision(revision, tmp / r["base"])
            at[r["base"]] = {j["claim_id"]: (j["verdict"], j["label"]) for doc in docs.values() for j in doc["claims"]}
        was = at[r["base"]].get(r["claim_id"], ("not judged", ""))
        assert was == (r["before"], r["before_label"]), (
            f"corrections.csv: {r['claim_id']} was {was} at {r['base'][:10]}, not "
            f"{(r['before'], r['before_label'])} as the row says")
    stage(data, tmp / "now")


def test_every_real_correction_names_a_change_the_diff_sees(tmp_path):
    """The project's own log: the check the synthetic history passes."""
    assert_log_is_true(REPO / "data", tmp_path)


def test_a_corrected_card_shows_its_correction(tmp_path):
    """Each claim of the project's log shows, on its card, the verdict readers saw and the one now, with the
    reason and the date; the about page's log lists every row."""
    rows = list(csv.DictReader((REPO / "data" / "corrections.csv").open(encoding="utf-8")))
    if not rows:
        pytest.skip("the corrections log is empty")
    stage(REPO / "data", tmp_path)
    for r in rows:
        edition = Edition.read(tmp_path, int(r["edition"]))
        j = next(c for c in edition.claims if c["claim_id"] == r["claim_id"])
        after = label(r["after"]) if r["after"] else NO_VERDICT
        html = present.card(edition, j)
        assert f"<strong>更正：</strong>结论原为“{present.esc(r['before_label'])}”，现为“{present.esc(after)}”。" in html, html
        assert present.esc(r["why"]) in html and r["date"] in html, html
        log = str(present.corrections(Book.read(tmp_path)))
        assert present.esc(r["what"]) in log and present.esc(r["why"]) in log, r
        row = str(present.table(edition, [j]))
        assert f"结论原为“{present.esc(r['before_label'])}”" in row, "the fact-check table hides the correction"
        if r["before_label"] not in {v.label for v in VERDICTS}:
            assert f"“{present.esc(r['before_label'])}”是本书以前用过、现已不用的结论名称" in log, log


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
