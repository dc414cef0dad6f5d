"""The verdict diff: what a change to the data or to the program does to what the book publishes.

``python -m factcheck diff REV`` (``make diff BASE=REV``) compares the verdicts published at the git revision
REV with those of the work tree, and lists every verdict, reason, claim, outside figure and source that was
added, removed or changed, as a table for reviewers (``--format markdown`` for a GitHub job summary). A
verdict published at REV that changed or vanished needs a row of ``corrections.csv`` added since REV that
names it (claim, verdict before, verdict after): while one is missing the exit code is 1, else 0 (2 for bad
input). ``--write-corrections`` drafts the missing rows; their ``why`` says :data:`factcheck.schema.DRAFTED`,
which validation refuses until a person writes the reason.

Each side is judged by its own program, as its readers saw it: REV's whole tree comes out of ``git archive``
into a temporary folder (regular files only: a link is refused, never followed), and REV's own
``python -m factcheck judge`` judges REV's own data there, in a subprocess (an argument list, no shell; this
interpreter; ``PYTHONPATH`` and the working folder set to that tree; a time limit). The work tree is judged by
this program. So a change of the rules (the engine, the wording, the scale) that flips a published verdict
shows like a change of the data, and data whose schema has changed since REV are still judged. Each side's
verdicts are shown in its own words (the ``label`` of its judged claims): a code of REV's program is never
looked up in today's vocabulary, which may not have it. A revision whose program cannot judge its data (too
old to have the ``judge`` command, or failing) is one line and exit 2: judging it with today's program instead
would hide exactly the changes of the rules this diff is for.

The revision is checked before git sees it (never through a shell; a name starting with ``-`` is refused) and
then used as the commit id git resolved it to.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import InputError, where
from .judged import stage
from .params import check_base, check_data_dir, check_format
from .schema import BY_NAME, DRAFTED
from .vocabulary import NO_VERDICT
from .words import qty

HEADINGS = ("版本", "编号", "项目", "变化", "之前", "现在", "更正")
NEEDS, CORRECTED = "需要更正", "已记入更正"
MAX_ARCHIVE = 200_000_000
"""The most bytes ``git archive`` may hand over for a revision's tree (the real one is under 3 MB)."""
GIT_TIMEOUT = 120
JUDGE_TIMEOUT = 300
"""The seconds a revision's own program may take to judge its data (it takes a few)."""


# ---- the revision and its data ------------------------------------------------------------------
def _git(args: list[str], cwd: Path, what: str) -> bytes:
    """Run git with an argument list (no shell) and return its output; a failure is one InputError line."""
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=GIT_TIMEOUT, check=False)
    except FileNotFoundError:
        raise InputError("git is not installed; the verdict diff needs it", parameter="base") from None
    except subprocess.TimeoutExpired:
        raise InputError(f"git took over {GIT_TIMEOUT} s to {what}", parameter="base") from None
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InputError(f"git could not {what}" + (f": {reason[-1]}" if reason else ""), parameter="base")
    return done.stdout


@dataclass(frozen=True)
class Revision:
    name: str  # as given
    commit: str  # the commit id git resolved it to
    top: Path  # the repository's work tree
    folder: PurePosixPath  # the data folder, relative to ``top``

    @property
    def short(self) -> str:
        return f"{self.name} ({self.commit[:10]})" if self.name != self.commit else self.commit[:10]


def resolve(rev: str, data: Path) -> Revision:
    """The commit ``rev`` names in the repository that holds ``data``, and where ``data`` sits in it."""
    rev = check_base(rev)
    data = check_data_dir(data)
    top = Path(_git(["rev-parse", "--show-toplevel"], data, f"find the git repository of {where(data)}")
               .decode("utf-8", "replace").strip())
    try:
        folder = PurePosixPath(data.resolve().relative_to(top.resolve()).as_posix())
    except ValueError:
        raise InputError(f"{where(data)} is not inside the git repository {top}", parameter="data_dir") from None
    commit = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"], top,
                  f"find the revision '{rev}' (not a branch, tag or commit of this repository)")
    return Revision(rev, commit.decode("ascii", "replace").strip(), top, folder)


def extract(revision: Revision, dest: Path) -> Path:
    """Write the repository's whole tree as it is at ``revision`` into ``dest``: regular files and folders only."""
    archive = _git(["archive", "--format=tar", revision.commit], revision.top, f"read the tree at {revision.short}")
    if len(archive) > MAX_ARCHIVE:
        raise InputError(f"the tree at {revision.short} is {len(archive):,} bytes; over {MAX_ARCHIVE:,} is refused",
                         parameter="base")
    dest.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(archive), mode="r:") as tar:
        for member in tar:
            path = PurePosixPath(member.name)
            if path.is_absolute() or ".." in path.parts:
                raise InputError(f"{member.name} at {revision.short} lies outside the repository", parameter="base")
            target = dest.joinpath(*path.parts)
            if member.isdir():
                target.mkdir(parents=True, exist_ok=True)
            elif member.isreg():
                target.parent.mkdir(parents=True, exist_ok=True)
                source = tar.extractfile(member)
                target.write_bytes(source.read() if source else b"")
            else:
                raise InputError(f"{member.name} at {revision.short} is a link or a special file; the program and "
                                 "the data are read from regular files only", parameter="base")
    return dest


LOG_KEY = ("date", "claim_id", "before", "after", "base")
"""The columns that tell one corrections row from another, in every version of the log that has rows of changes."""


def read_log(path: Path) -> list[dict[str, str]]:
    """The rows of a corrections log as text, or none when it is missing or its rows name no change."""
    if not path.is_file() or path.is_symlink():
        return []
    try:
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
    except (UnicodeDecodeError, csv.Error):
        return []
    return [r for r in rows if set(LOG_KEY) <= set(r)]


def _documents(out: Path) -> dict[int, dict]:
    return {int(p.stem): json.loads(p.read_text(encoding="utf-8")) for p in sorted(out.glob("[0-9][0-9][0-9][0-9].json"))}


def judged(folder: Path, out: Path) -> dict[int, dict]:
    """Validate and judge the data ``folder`` with this program into ``out``; the judged documents by edition."""
    stage(folder, out)
    return _documents(out)


def judge_revision(revision: Revision, tmp: Path) -> tuple[dict[int, dict], list[dict[str, str]]]:
    """The judged documents of the data at ``revision`` as that revision's own program judges them, and its
    corrections log as text."""
    tree = extract(revision, tmp / "tree")
    log = read_log(tree.joinpath(*revision.folder.parts) / "corrections.csv")
    package = tree / "factcheck"
    if not ((package / "__init__.py").is_file() and (package / "__main__.py").is_file()):
        # without it Python would find this program instead, and judge REV's data by today's rules
        raise InputError(f"{revision.short} has no factcheck package with a command line: its own program cannot "
                         "judge its data", parameter="base")
    out = tmp / "judged"
    command = [sys.executable, "-m", "factcheck", "judge", "--data", revision.folder.as_posix(), "--out", str(out)]
    env = {**os.environ, "PYTHONPATH": str(tree)}
    failed = f"the program at {revision.short} could not judge the data of that revision"
    try:
        done = subprocess.run(command, cwd=tree, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                              timeout=JUDGE_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise InputError(f"{failed} in {JUDGE_TIMEOUT} s", parameter="base") from None
    if done.returncode != 0:
        lines = [x.strip() for x in done.stderr.decode("utf-8", "replace").splitlines() if x.strip()]
        last = (lines[-1].removeprefix("error: ").replace(f"{tree}/", "") if lines else "it printed nothing")[:500]
        raise InputError(f"{failed} (exit code {done.returncode}): {last}", parameter="base")
    try:
        docs = _documents(out)
    except (ValueError, OSError) as exc:
        raise InputError(f"{failed}: its judged files cannot be read ({exc})", parameter="base") from None
    if not docs:
        raise InputError(f"{failed}: it wrote no judged file", parameter="base")
    return docs, log


# ---- comparing ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Change:
    """One row of the table."""

    edition: str  # the edition year, or 全书 for the outside figures and the sources
    key: str  # a claim id, a source id, or indicator@place@year·source of an outside figure
    item: str  # 结论 结论用语 理由 原文 登记 数字 来源
    change: str  # 新增 删除 改变 撤下
    before: str
    after: str
    correction: str = ""  # NEEDS or CORRECTED for a published verdict that changed or vanished


@dataclass(frozen=True)
class VerdictChange:
    """A verdict published at the base that changed or vanished (``after`` empty), each side's code and label."""

    edition: int
    claim_id: str
    before: str
    before_label: str
    after: str
    what: str


def _label(j: dict) -> str:
    """A judged claim's verdict in the words of the program that judged it (its code when it gave none)."""
    return str(j.get("label") or j["verdict"])


def _kind(r: dict) -> str:
    return str(r.get("kind_label") or r.get("kind", ""))


def _claim_text(j: dict) -> str:
    return f"“{j.get('quote', '')}”中的{j.get('figure', '')}"


def _stated(j: dict) -> str:
    """A claim as printed and as typed: the figure, what it states, the quote."""
    typed = (qty(j["value"], j.get("decimals"), j.get("qualifier", "="), j.get("unit", ""))
             if j.get("value") is not None else "")
    return f"{_claim_text(j)}" + (f"（记作{typed}，{j.get('geography', '')}{j.get('period', '')}年）" if typed else "")


def _register_text(r: dict) -> str:
    return f"{_kind(r)}：{_claim_text(r)}" + (f"（{r['note']}）" if r.get("note") else "")


SOURCE_FIELDS = {"publisher": "发布者", "origin": "数字出处", "title": "标题", "short_title": "简称",
                 "published": "发布日期", "placement": "版面", "url": "网址", "copy_url": "副本网址",
                 "copy_kind": "副本种类", "tier": "等级", "accessed": "读取日期", "artefacts": "转录问题",
                 "text_scope": "文本范围", "asked": "是否询问"}


def _source_text(s: dict) -> str:
    return f"{s.get('publisher', '')}《{s.get('title', '')}》" + (f"（{s['published']}）" if s.get("published") else "")


def _figure_key(f: dict) -> str:
    return f"{f['indicator']}@{f['geography']}@{f['period']}·{f['source_id']}"


def _figure_text(f: dict, indicators: dict) -> str:
    name = indicators.get(f["indicator"], {}).get("name_zh", f["indicator"])
    note = f"（{f['period_note']}）" if f.get("period_note") else ""
    value = qty(f["value"], f.get("decimals"), f.get("qualifier", "="), f.get("unit", ""))
    return f"{f['geography']}{f['period']}年{name}：{value}{note}"


def _pairs(before: dict, after: dict, item: str, edition: str, text: Callable[[dict], str],
           compare: Callable[[dict], object] | None = None) -> list[Change]:
    """Added, removed and changed entries of two dicts keyed alike."""
    compare = compare or text
    out = []
    for key in sorted(set(before) | set(after)):
        b, a = before.get(key), after.get(key)
        if b is None:
            out.append(Change(edition, key, item, "新增", "", text(a)))
        elif a is None:
            out.append(Change(edition, key, item, "删除", text(b), ""))
        elif compare(b) != compare(a):
            out.append(Change(edition, key, item, "改变", text(b), text(a)))
    return out


def _edition_changes(year: int, base: dict | None, work: dict | None) -> tuple[list[Change], list[VerdictChange]]:
    """The claims of one edition: verdicts, their words, reasons, quotes and figures, and the numbers kept unjudged."""
    ed = str(year)
    b_stats = {j["claim_id"]: j for j in (base or {}).get("claims", [])}
    w_stats = {j["claim_id"]: j for j in (work or {}).get("claims", [])}
    b_reg = {r["claim_id"]: r for r in (base or {}).get("register", [])}
    w_reg = {r["claim_id"]: r for r in (work or {}).get("register", [])}
    rows: list[Change] = []
    verdicts: list[VerdictChange] = []
    for cid in sorted(set(b_stats) | set(w_stats)):
        b, a = b_stats.get(cid), w_stats.get(cid)
        if b and a:
            if b["verdict"] != a["verdict"]:
                rows.append(Change(ed, cid, "结论", "改变", _label(b), _label(a)))
                verdicts.append(VerdictChange(year, cid, b["verdict"], _label(b), a["verdict"], _claim_text(a)))
            elif _label(b) != _label(a):  # the same verdict in other words: no correction, but readers see it
                rows.append(Change(ed, cid, "结论用语", "改变", _label(b), _label(a)))
            if b.get("why") != a.get("why"):
                rows.append(Change(ed, cid, "理由", "改变", b.get("why", ""), a.get("why", "")))
            if _stated(b) != _stated(a):
                rows.append(Change(ed, cid, "原文", "改变", _stated(b), _stated(a)))
        elif b:
            now = w_reg.get(cid)
            after = f"{NO_VERDICT}：" + (f"改为{_kind(now)}" if now else "这个数字已删除")
            rows.append(Change(ed, cid, "结论", "撤下", f"{_label(b)}：{_stated(b)}", after))
            verdicts.append(VerdictChange(year, cid, b["verdict"], _label(b), "", _claim_text(b)))
        elif a:
            was = b_reg.get(cid)
            before = f"不作核查（{_kind(was)}）" if was else ""
            rows.append(Change(ed, cid, "结论", "新增", before, f"{_label(a)}：{_stated(a)}"))
    moved = set(b_stats) | set(w_stats)  # a number that became or stopped being a statistic: its verdict row says so
    rows += _pairs({k: v for k, v in b_reg.items() if k not in moved}, {k: v for k, v in w_reg.items() if k not in moved},
                   "登记", ed, _register_text)
    return rows, verdicts


def _union(docs: Iterable[dict], field: str) -> dict:
    out: dict = {}
    for doc in docs:
        out.update(doc.get(field, {}))
    return out


def _book_changes(base: dict[int, dict], work: dict[int, dict]) -> list[Change]:
    """The outside figures and the sources, which every edition shares."""
    def figures(docs: dict[int, dict]) -> dict[str, dict]:
        return {_figure_key(f): f for doc in docs.values() for f in doc.get("figures", []) if not f.get("claim_id")}

    indicators = {**_union(base.values(), "indicators"), **_union(work.values(), "indicators")}
    rows = _pairs(figures(base), figures(work), "数字", "全书", lambda f: _figure_text(f, indicators),
                  lambda f: {k: v for k, v in f.items() if k not in ("verdict", "describes")})

    def filled(s: dict) -> dict:
        """A source's fields that say something: a field an older program did not have is an empty one."""
        return {k: v for k, v in s.items() if v not in ("", None)}

    def source_fields(b: dict, a: dict) -> tuple[str, str]:
        b, a = filled(b), filled(a)
        changed = [k for k in [*SOURCE_FIELDS, *sorted((set(b) | set(a)) - set(SOURCE_FIELDS))] if b.get(k) != a.get(k)]
        return ("；".join(f"{SOURCE_FIELDS.get(k, k)}：{b.get(k, '（空）')}" for k in changed),
                "；".join(f"{SOURCE_FIELDS.get(k, k)}：{a.get(k, '（空）')}" for k in changed))

    b_src, w_src = _union(base.values(), "sources"), _union(work.values(), "sources")
    for sid in sorted(set(b_src) | set(w_src)):
        b, a = b_src.get(sid), w_src.get(sid)
        if b is None:
            rows.append(Change("全书", sid, "来源", "新增", "", _source_text(a)))
        elif a is None:
            rows.append(Change("全书", sid, "来源", "删除", _source_text(b), ""))
        elif filled(b) != filled(a):
            rows.append(Change("全书", sid, "来源", "改变", *source_fields(b, a)))
    return rows


def compare(base: dict[int, dict], work: dict[int, dict]) -> tuple[list[Change], list[VerdictChange]]:
    """Every change between two sets of judged documents, and the published verdicts among them."""
    rows: list[Change] = []
    verdicts: list[VerdictChange] = []
    for year in sorted(set(base) | set(work)):
        r, v = _edition_changes(year, base.get(year), work.get(year))
        rows += r
        verdicts += v
    return rows + _book_changes(base, work), verdicts


def missing_corrections(verdicts: list[VerdictChange], log: list[dict], base_log: list[dict]) -> list[VerdictChange]:
    """The verdict changes with no corrections row added since the base that names the claim, before and after."""
    old = {tuple(str(r.get(k, "")) for k in LOG_KEY) for r in base_log}
    new = {(r["claim_id"], r["before"], r["after"]) for r in log
           if tuple(str(r.get(k, "")) for k in LOG_KEY) not in old}
    return [v for v in verdicts if (v.claim_id, v.before, v.after) not in new]


def mark(rows: list[Change], verdicts: list[VerdictChange], missing: list[VerdictChange]) -> list[Change]:
    """The verdict rows marked as needing a correction, or as corrected."""
    needs = {v.claim_id for v in missing}
    changed = {v.claim_id for v in verdicts}
    return [Change(r.edition, r.key, r.item, r.change, r.before, r.after,
                   (NEEDS if r.key in needs else CORRECTED) if r.item == "结论" and r.key in changed else "")
            for r in rows]


# ---- output -------------------------------------------------------------------------------------
def summary(rows: list[Change], verdicts: list[VerdictChange], missing: list[VerdictChange], rev: str) -> str:
    judged_by = f"（{rev} 的数据由那个版本自己的程序判断，工作区的由现在的程序判断。）"
    if not rows:
        return f"与 {rev} 相比，结论、理由、原文、数字和来源都没有变化。" + judged_by
    text = f"与 {rev} 相比共{len(rows)}处变化；已发布的结论有{len(verdicts)}个改变或撤下"
    if missing:
        text += (f"，其中{len(missing)}个还没有更正记录：在 data/corrections.csv 为每个加一行"
                 f"（python -m factcheck diff {rev.split(' ')[0]} --write-corrections 起草，再写明原因）。")
    else:
        text += "，都已记入更正。" if verdicts else "。"
    renamed = sum(r.item == "结论用语" for r in rows)
    if renamed:
        text += f"另有{renamed}个结论没有改变，只是换了说法，不算更正。"
    return text + judged_by


def render_text(rows: list[Change], note: str) -> str:
    from tabulate import tabulate

    if not rows:
        return note + "\n"
    cells = [[r.edition, r.key, r.item, r.change, r.before, r.after, r.correction] for r in rows]
    table = tabulate(cells, headers=HEADINGS, tablefmt="simple_grid", disable_numparse=True,
                     maxcolwidths=[None, 28, None, None, 36, 36, None])
    return f"{table}\n{note}\n"


_MARKDOWN_SPECIAL = str.maketrans({c: f"\\{c}" for c in "\\`*_[]|~!@#:$"} | {
    "<": "&lt;", ">": "&gt;", "&": "&amp;", "\n": " ", "\r": " "})


def md(text: str) -> str:
    """Text from data as one Markdown table cell: no markup, no link or image (not even a bare www. address), no
    math, no HTML, no line break."""
    return re.sub(r"(?i)(www)\.", r"\1&#46;", text.translate(_MARKDOWN_SPECIAL))


def render_markdown(rows: list[Change], note: str, rev: str) -> str:
    out = [f"### 结论对比：{md(rev)} 与工作区", ""]
    if rows:
        out += ["| " + " | ".join(HEADINGS) + " |", "|" + "---|" * len(HEADINGS)]
        out += ["| " + " | ".join([*(md(c) for c in (r.edition, r.key, r.item, r.change, r.before, r.after)),
                                   f"**{md(r.correction)}**" if r.correction == NEEDS else md(r.correction)]) + " |"
                for r in rows]
        out.append("")
    out.append(md(note))
    return "\n".join(out) + "\n"


# ---- drafting corrections -----------------------------------------------------------------------
def draft(missing: list[VerdictChange], commit: str, today: datetime.date) -> list[dict[str, str]]:
    return [{"date": today.isoformat(), "edition": str(v.edition), "claim_id": v.claim_id, "before": v.before,
             "before_label": v.before_label, "after": v.after, "what": v.what, "why": f"{DRAFTED}：写明结论为什么改变（读者会在卡片上看到），再删去{DRAFTED}",
             "base": commit} for v in missing]


def append_rows(path: Path, rows: list[dict[str, str]]) -> None:
    """Append rows to the corrections log, as the other rows are written (a link is refused)."""
    if path.is_symlink() or not path.is_file():
        raise InputError("is not a regular file; the drafted rows are written only into one", file=where(path))
    text = path.read_text(encoding="utf-8-sig")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for r in rows:
        writer.writerow([r[k] for k in BY_NAME["corrections"].header])
    with path.open("a", encoding="utf-8", newline="") as fh:
        fh.write(("" if not text or text.endswith("\n") else "\n") + buffer.getvalue())


# ---- the command --------------------------------------------------------------------------------
def run(rev: str, data: str | Path, fmt: str = "text", write: bool = False) -> tuple[int, str]:
    """The exit code and the report: 1 while a published verdict changed without a correction, else 0."""
    fmt = check_format(fmt)
    folder = check_data_dir(data)
    revision = resolve(rev, folder)
    with tempfile.TemporaryDirectory(prefix="factcheck-diff-") as tmp:
        base, base_log = judge_revision(revision, Path(tmp) / "base")
        work = judged(folder, Path(tmp) / "work")
    log = read_log(folder / "corrections.csv")  # validated with the work's data: every edition's rows
    rows, verdicts = compare(base, work)
    missing = missing_corrections(verdicts, log, base_log)
    note = summary(rows, verdicts, missing, revision.short)
    if write and missing:
        target = folder / "corrections.csv"
        append_rows(target, draft(missing, revision.commit, datetime.date.today()))
        note += (f"\n已在 {where(target)} 起草{len(missing)}行：逐行写明原因（why），删去{DRAFTED}；"
                 "在此之前校验不会通过。")
    report = render_markdown(mark(rows, verdicts, missing), note, revision.short) if fmt == "markdown" \
        else render_text(mark(rows, verdicts, missing), note)
    return (1 if missing else 0), report
