"""The verdict diff: what a change to the data does to what the book publishes.

``python -m factcheck diff REV`` (``make diff BASE=REV``) judges the data folder as it is at the git
revision REV and as it is in the work tree, and lists every verdict, reason, claim, outside figure and
source that was added, removed or changed, as a table for reviewers (``--format markdown`` for a GitHub
job summary). A verdict published at REV that changed or vanished needs a row of ``corrections.csv``
added since REV that names it (claim, verdict before, verdict after): while one is missing the exit code
is 1, else 0 (2 for bad input). ``--write-corrections`` drafts the missing rows; their ``why`` says
:data:`factcheck.schema.DRAFTED`, which validation refuses until a person writes the reason.

Both sides are judged by this version of the program (:func:`factcheck.judged.stage`), so the diff shows
what the data change does; a change of the rules themselves shows in the re-published pages. The data at
REV come out of ``git archive`` into a temporary folder, regular files only (a link is refused, never
followed). The corrections log is no input to a verdict, so the log and the descriptor at REV are replaced
by empty ones of the work tree's schema: a log whose columns changed since REV does not stop the diff.
The revision is checked before git sees it (never through a shell; a name starting with ``-`` is refused)
and then used as the commit id git resolved it to.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import InputError, where
from .judged import stage
from .params import check_base, check_data_dir, check_format
from .schema import BY_NAME, DRAFTED, descriptor_text
from .vocabulary import KINDS, NO_VERDICT, label
from .words import qty

HEADINGS = ("版本", "编号", "项目", "变化", "之前", "现在", "更正")
NEEDS, CORRECTED = "需要更正", "已记入更正"
MAX_ARCHIVE = 50_000_000
"""The most bytes ``git archive`` may hand over for a data folder (the real one is under 1 MB)."""
GIT_TIMEOUT = 120


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
    """Write the data folder as it is at ``revision`` into ``dest``: regular files and folders only."""
    prefix = "" if revision.folder == PurePosixPath(".") else revision.folder.as_posix()
    what = f"read {prefix or 'the repository'} at {revision.short}"
    archive = _git(["archive", "--format=tar", revision.commit, "--", prefix or "."], revision.top, what)
    if len(archive) > MAX_ARCHIVE:
        raise InputError(f"{prefix}/ at {revision.short} is {len(archive):,} bytes; over {MAX_ARCHIVE:,} is refused",
                         parameter="base")
    dest.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(archive), mode="r:") as tar:
        for member in tar:
            path = PurePosixPath(member.name)
            inside = path.relative_to(prefix) if prefix and path.is_relative_to(prefix) else path
            if path.is_absolute() or ".." in path.parts or (prefix and not path.is_relative_to(prefix)):
                raise InputError(f"{member.name} at {revision.short} lies outside {prefix}/", parameter="base")
            target = dest.joinpath(*inside.parts)
            if member.isdir():
                target.mkdir(parents=True, exist_ok=True)
            elif member.isreg():
                target.parent.mkdir(parents=True, exist_ok=True)
                source = tar.extractfile(member)
                target.write_bytes(source.read() if source else b"")
            else:
                raise InputError(f"{member.name} at {revision.short} is a link or a special file; the data are "
                                 "read from regular files only", parameter="base")
    return dest


def read_log(path: Path) -> list[dict[str, str]]:
    """The rows of a corrections log as text, or none when it is missing or has other columns."""
    if not path.is_file() or path.is_symlink():
        return []
    try:
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
    except (UnicodeDecodeError, csv.Error):
        return []
    header = set(BY_NAME["corrections"].header)
    return [r for r in rows if header <= set(r)]


def judged(folder: Path, out: Path) -> dict[int, dict]:
    """Validate and judge the data ``folder`` into ``out``; the judged documents by edition."""
    stage(folder, out)
    return {int(p.stem): json.loads(p.read_text(encoding="utf-8")) for p in sorted(out.glob("[0-9][0-9][0-9][0-9].json"))}


def judge_revision(revision: Revision, tmp: Path) -> tuple[dict[int, dict], list[dict[str, str]]]:
    """The judged documents of the data at ``revision``, and its corrections log as text."""
    folder = extract(revision, tmp / "data")
    log = read_log(folder / "corrections.csv")
    (folder / "datapackage.json").write_text(descriptor_text(), encoding="utf-8")
    (folder / "corrections.csv").write_text(",".join(BY_NAME["corrections"].header) + "\n", encoding="utf-8")
    try:
        return judged(folder, tmp / "judged"), log
    except InputError as exc:
        shown = f"{revision.short}:{revision.folder.as_posix()}"
        file = (exc.file or "").replace(str(folder.resolve()), shown).replace(str(folder), shown) or None
        raise InputError(f"the data at {revision.short} do not pass this version's checks: {exc.reason}", file=file,
                         row=exc.row, column=exc.column, parameter=exc.parameter) from None


# ---- comparing ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Change:
    """One row of the table."""

    edition: str  # the edition year, or 全书 for the outside figures and the sources
    key: str  # a claim id, a source id, or indicator@place@year·source of an outside figure
    item: str  # 结论 理由 原文 登记 数字 来源
    change: str  # 新增 删除 改变 撤下
    before: str
    after: str
    correction: str = ""  # NEEDS or CORRECTED for a published verdict that changed or vanished


@dataclass(frozen=True)
class VerdictChange:
    """A verdict published at the base that changed or vanished (``after`` empty)."""

    edition: int
    claim_id: str
    before: str
    after: str
    what: str


def _claim_text(j: dict) -> str:
    return f"“{j['quote']}”中的{j['figure']}"


def _stated(j: dict) -> str:
    """A claim as printed and as typed: the figure, what it states, the quote."""
    typed = qty(j["value"], j["decimals"], j["qualifier"], j["unit"]) if j.get("value") is not None else ""
    return f"{_claim_text(j)}" + (f"（记作{typed}，{j.get('geography', '')}{j.get('period', '')}年）" if typed else "")


def _register_text(r: dict) -> str:
    return f"{KINDS.get(r['kind'], r['kind'])}：{_claim_text(r)}" + (f"（{r['note']}）" if r.get("note") else "")


SOURCE_FIELDS = {"publisher": "发布者", "origin": "数字出处", "title": "标题", "published": "发布日期", "url": "网址",
                 "copy_url": "副本网址", "copy_kind": "副本种类", "tier": "等级", "accessed": "读取日期",
                 "artefacts": "转录问题", "text_scope": "文本范围"}


def _source_text(s: dict) -> str:
    return f"{s['publisher']}《{s['title']}》" + (f"（{s['published']}）" if s.get("published") else "")


def _figure_key(f: dict) -> str:
    return f"{f['indicator']}@{f['geography']}@{f['period']}·{f['source_id']}"


def _figure_text(f: dict, indicators: dict) -> str:
    name = indicators.get(f["indicator"], {}).get("name_zh", f["indicator"])
    note = f"（{f['period_note']}）" if f.get("period_note") else ""
    return f"{f['geography']}{f['period']}年{name}：{qty(f['value'], f['decimals'], f['qualifier'], f['unit'])}{note}"


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
    """The claims of one edition: verdicts, reasons, quotes and figures, and the numbers kept unjudged."""
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
                rows.append(Change(ed, cid, "结论", "改变", label(b["verdict"]), label(a["verdict"])))
                verdicts.append(VerdictChange(year, cid, b["verdict"], a["verdict"], _claim_text(a)))
            if b["why"] != a["why"]:
                rows.append(Change(ed, cid, "理由", "改变", b["why"], a["why"]))
            if _stated(b) != _stated(a):
                rows.append(Change(ed, cid, "原文", "改变", _stated(b), _stated(a)))
        elif b:
            now = w_reg.get(cid)
            after = f"{NO_VERDICT}：" + (f"改为{KINDS.get(now['kind'], now['kind'])}" if now else "这个数字已删除")
            rows.append(Change(ed, cid, "结论", "撤下", f"{label(b['verdict'])}：{_stated(b)}", after))
            verdicts.append(VerdictChange(year, cid, b["verdict"], "", _claim_text(b)))
        else:
            was = b_reg.get(cid)
            before = f"不作核查（{KINDS.get(was['kind'], was['kind'])}）" if was else ""
            rows.append(Change(ed, cid, "结论", "新增", before, f"{label(a['verdict'])}：{_stated(a)}"))
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
                  lambda f: {k: v for k, v in f.items() if k != "verdict"})

    def source_fields(b: dict, a: dict) -> tuple[str, str]:
        changed = [k for k in SOURCE_FIELDS if b.get(k) != a.get(k)]
        return ("；".join(f"{SOURCE_FIELDS[k]}：{b.get(k) or '（空）'}" for k in changed),
                "；".join(f"{SOURCE_FIELDS[k]}：{a.get(k) or '（空）'}" for k in changed))

    b_src, w_src = _union(base.values(), "sources"), _union(work.values(), "sources")
    for sid in sorted(set(b_src) | set(w_src)):
        b, a = b_src.get(sid), w_src.get(sid)
        if b is None:
            rows.append(Change("全书", sid, "来源", "新增", "", _source_text(a)))
        elif a is None:
            rows.append(Change("全书", sid, "来源", "删除", _source_text(b), ""))
        elif b != a:
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


def _key(row: dict) -> tuple[str, str, str]:
    return row["claim_id"], row["before"], row["after"]


def missing_corrections(verdicts: list[VerdictChange], log: list[dict], base_log: list[dict]) -> list[VerdictChange]:
    """The verdict changes with no corrections row added since the base that names the claim, before and after."""
    old = {tuple(r.get(k, "") for k in BY_NAME["corrections"].header) for r in base_log}
    new = {_key(r) for r in log if tuple(str(r.get(k, "")) for k in BY_NAME["corrections"].header) not in old}
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
    if not rows:
        return f"与 {rev} 相比，结论、理由、原文、数字和来源都没有变化。"
    text = f"与 {rev} 相比共{len(rows)}处变化；已发布的结论有{len(verdicts)}个改变或撤下"
    if missing:
        return (text + f"，其中{len(missing)}个还没有更正记录：在 data/corrections.csv 为每个加一行"
                f"（python -m factcheck diff {rev.split(' ')[0]} --write-corrections 起草，再写明原因）。")
    return text + ("，都已记入更正。" if verdicts else "。")


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
             "after": v.after, "what": v.what, "why": f"{DRAFTED}：写明结论为什么改变（读者会在卡片上看到），再删去{DRAFTED}",
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
    log = next(iter(work.values()), {}).get("corrections", [])
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
