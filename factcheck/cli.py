"""Command line: ``python -m factcheck validate|judge|verify|diff|mentions|draft|indicators|schema|build``.

Bad input exits 2 with one line (``error: …``); anything else is a bug and exits 1 with one line
(``internal error: …``; ``FACTCHECK_DEBUG=1`` shows the traceback). ``diff`` also exits 1, with its table
and no error line, while a published verdict changed without a correction.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from .errors import BuildError, InputError, cannot_write, where

EXIT_BAD_INPUT = 2
EXIT_BUG = 1


def _data(args: argparse.Namespace) -> Path:
    from .params import check_data_dir

    return check_data_dir(args.data)


def _validate(args: argparse.Namespace) -> int:
    from .validate import notes, validate

    ds = validate(_data(args))
    for line in [*notes(ds), *_vanished(ds, Path(args.judged))]:
        print(f"note: {line}", file=sys.stderr)
    from .publish.layout import Layout

    Layout().check_book()
    stats = sum(c.statistic for c in ds.claims.values())
    print(f"data OK: {stats} statistics and {len(ds.claims) - stats} other numbers in editions "
          f"{', '.join(map(str, ds.years))}, {len(ds.inputs)} outside inputs, {len(ds.sources)} sources")
    from .judged import drafts

    waiting = {year: n for year in ds.years if (n := drafts(ds, year))}
    if waiting:
        print("drafts await review (rows marked review=draft): "
              + ", ".join(f"{n} in edition {year}" for year, n in waiting.items()))
    return 0


def _vanished(ds, judged: Path) -> list[str]:
    """Verdicts of the last judged build whose claim is gone or no longer a statistic, with no corrections row:
    a published verdict must not vanish unseen (``python -m factcheck diff`` enforces it against a revision)."""
    from .edition import Edition

    corrected = {c.claim_id for c in ds.corrections}
    out = []
    for path in sorted(judged.glob("[0-9][0-9][0-9][0-9].json")) if judged.is_dir() else []:
        try:
            edition = Edition.read(judged, int(path.stem))
        except InputError:
            continue
        for j in edition.claims:
            claim = ds.claims.get(j["claim_id"])
            if (claim is None or not claim.statistic) and j["claim_id"] not in corrected:
                now = "is gone" if claim is None else f"is now a {claim.kind}, with no verdict"
                at = where(ds.root / "claims.csv") + (f", row {claim.row}" if claim else "")
                out.append(f"{at}: {j['claim_id']} had the verdict {j['verdict']} in the last build and {now}; "
                           "add a row to corrections.csv saying why")
    return out


def _judge(args: argparse.Namespace) -> int:
    from .params import check_year

    year = check_year(args.year) if args.year is not None else None
    from .edition import book_path, path_for
    from .judged import stage
    from .publish.guard import build_lock

    # The judged files are what a running build's pages read: one writer at a time. The lock is the build's
    # own (_build/.lock for the default _build/judged), so judge waits for no build and never writes under one.
    out = Path(args.out)
    changed = stage(_data(args), out, year, lock=lambda: build_lock(out.parent))
    for y, did in changed.items():
        print(f"{path_for(out, y)}: {'written' if did else 'unchanged'}")
    if changed.book is not None:
        print(f"{book_path(out)}: {'written' if changed.book else 'unchanged'}")
    return 0


def _verify(args: argparse.Namespace) -> int:
    import tempfile

    from .downloads import write_csv
    from .edition import Edition
    from .judged import stage
    from .params import check_year

    year = check_year(args.year)
    data = _data(args)
    # judged apart, in a folder of its own: a build running meanwhile keeps reading its own judged files
    with tempfile.TemporaryDirectory(prefix="factcheck-verify-") as judged:
        stage(data, Path(judged), year)
        edition = Edition.read(judged, year)
        path = write_csv(edition, args.out)
    counts = {k: v for k, v in edition.counts.items() if v and k != "total"}
    print(f"wrote {path}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return 0


def _diff(args: argparse.Namespace) -> int:
    from .diff import run

    code, report = run(args.rev, _data(args), args.format, args.write_corrections)
    sys.stdout.write(report)
    return code


def _mentions(args: argparse.Namespace) -> int:
    from .load import load
    from .register import accounting

    ds = load(_data(args))
    sources = [args.source] if args.source else list(ds.articles)
    missing = 0
    for sid in sources:
        if sid not in ds.articles:
            raise InputError(f"'{sid}' is not a source with a stored text ({', '.join(ds.articles)})",
                             parameter="source")
        for e in accounting(ds, sid):
            status = e.claim_id or (f"left out: {e.reason}" if e.reason else "NOT ACCOUNTED FOR")
            missing += not e.accounted
            print(f"{sid}\t{e.mention.offset}\t{e.mention.kind}\t{e.mention.text}\t{status}\t{e.context}")
    print(f"{missing} mention(s) not accounted for", file=sys.stderr)
    return 0


def _draft(args: argparse.Namespace) -> int:
    import time

    from .draft import csv_text, draft, write
    from .load import load
    from .params import check_year

    data = _data(args)
    ds = load(data)
    started = time.perf_counter()
    d = draft(ds, args.source, check_year(args.year) if args.year is not None else None)
    seconds = time.perf_counter() - started
    counts = f"{len(d.claims)} claim(s), {len(d.mentions)} mention(s), {len(d.indicators)} new indicator(s)"
    if not d.count:
        print(f"drafted 0 rows: every number of {d.source_id} is accounted for", file=sys.stderr)
        return 0
    if args.write:
        for path in write(d, data):
            print(f"appended to {path}")
        print(f"drafted {counts} for {d.source_id}, edition {d.year}, in {seconds:.2f} s, each marked "
              "review=draft: check them, empty their review cell, then make validate", file=sys.stderr)
        return 0
    for table, rows in (("indicators", d.indicators), ("claims", d.claims), ("mentions", d.mentions)):
        if rows:
            sys.stdout.write(f"# {table}.csv\n{csv_text(table, rows)}")
    print(f"drafted {counts} for {d.source_id}, edition {d.year}, in {seconds:.2f} s (--write appends them)",
          file=sys.stderr)
    return 0


def _indicators(args: argparse.Namespace) -> int:
    from .load import load

    ds = load(_data(args))
    print("indicator\tunit\tchapter\tname_zh\tdescription")
    for i in ds.indicators.values():
        draft = " (draft)" if i.review else ""
        print(f"{i.indicator}\t{i.unit}\t{i.chapter or '-'}\t{i.name_zh}{draft}\t{i.description}")
    return 0


def _schema(args: argparse.Namespace) -> int:
    from .schema import descriptor_text

    if args.write:
        target = _data(args) / "datapackage.json"
        target.write_text(descriptor_text(), encoding="utf-8")
        print(f"wrote {target}")
    else:
        sys.stdout.write(descriptor_text())
    return 0


def _build(args: argparse.Namespace) -> int:
    from .params import check_jobs
    from .publish.runner import build

    report = build(args.year, args.data, workers=check_jobs(args.jobs), book=not args.no_book, force=args.force)
    book = "built" if report.book_built else "not built" if args.no_book else "up to date"
    print(f"executed {len(report.executed)} notebook(s), skipped {len(report.skipped)} unchanged, "
          f"book {book} in {report.seconds:.1f} s")
    return 0


def _pages(args: argparse.Namespace) -> int:
    """Refuse any committed page that is not what the build would write (before nbval executes its cells)."""
    from .publish.layout import Layout
    from .publish.published import problems

    found = problems(Layout())
    for line in found:
        print(f"error: {line}", file=sys.stderr)
    if not found:
        print("the published pages are what their templates give")
    return EXIT_BAD_INPUT if found else 0


def _params(args: argparse.Namespace) -> int:
    from .params import check_base, check_data_dir, check_format, check_jobs, check_port, check_year

    for value, check in ((args.year, check_year), (args.data, check_data_dir), (args.jobs, check_jobs),
                         (args.port, check_port), (args.base, check_base), (args.format, check_format)):
        if value is not None:
            check(value)
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="factcheck", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    c = sub.add_parser("validate", help="validate the data package")
    c.add_argument("--data", default="data")
    c.add_argument("--judged", default="_build/judged", help="the last build's judged files, to report vanished verdicts")
    c.set_defaults(func=_validate)
    c = sub.add_parser("judge", help="validate and write _build/judged/YEAR.json for every edition (or --year)")
    c.add_argument("--year")
    c.add_argument("--data", default="data")
    c.add_argument("--out", default="_build/judged")
    c.set_defaults(func=_judge)
    c = sub.add_parser("verify", help="judge YEAR apart (not into _build/judged), write _build/verdicts/verdicts-YEAR.csv")
    c.add_argument("--year", required=True)
    c.add_argument("--data", default="data")
    c.add_argument("--out", default="_build/verdicts")
    c.set_defaults(func=_verify)
    c = sub.add_parser("diff", help="judge the data at git revision REV with REV's own program and the work tree with this "
                                    "one, and list what changed; exit 1 while a published verdict changed without a "
                                    "corrections row")
    c.add_argument("rev", metavar="REV", help="a branch, tag or commit, e.g. main")
    c.add_argument("--data", default="data")
    c.add_argument("--format", default="text", help="text (a table) or markdown (for a GitHub job summary)")
    c.add_argument("--write-corrections", action="store_true",
                   help="append a drafted row to corrections.csv for each verdict change that has none")
    c.set_defaults(func=_diff)
    c = sub.add_parser("mentions", help="list every number of the stored articles and what accounts for it")
    c.add_argument("--data", default="data")
    c.add_argument("--source", help="one source id (default: every stored article)")
    c.set_defaults(func=_mentions)
    c = sub.add_parser("draft", help="propose a claims.csv or mentions.csv row for every number of a stored article "
                                     "not yet accounted for (--write appends them, marked review=draft)")
    c.add_argument("--data", default="data")
    c.add_argument("--source", required=True, help="the source id of the stored article")
    c.add_argument("--year", help="the edition (default: the year the source covers, else its publication year)")
    c.add_argument("--write", action="store_true", help="append the rows to the data files")
    c.set_defaults(func=_draft)
    c = sub.add_parser("indicators", help="list the indicators with their unit, chapter, name and definition")
    c.add_argument("--data", default="data")
    c.set_defaults(func=_indicators)
    c = sub.add_parser("schema", help="print the data package descriptor the code expects (--write: into DATA)")
    c.add_argument("--data", default="data")
    c.add_argument("--write", action="store_true")
    c.set_defaults(func=_schema)
    c = sub.add_parser("params", help="check the Makefile's parameters (the ones given) and exit")
    for name in ("year", "data", "jobs", "port", "base", "format"):
        c.add_argument(f"--{name}")
    c.set_defaults(func=_params)
    c = sub.add_parser("pages", help="check that every committed page under book/ is what its template gives "
                                     "(run before nbval executes them)")
    c.set_defaults(func=_pages)
    c = sub.add_parser("build", help="judge, execute the notebooks for YEAR and build the book")
    c.add_argument("--year", required=True)
    c.add_argument("--data", default="data")
    c.add_argument("--jobs", default=str(os.cpu_count() or 1))
    c.add_argument("--no-book", action="store_true", help="execute the notebooks only")
    c.add_argument("--force", action="store_true", help="execute every notebook and rebuild the book")
    c.set_defaults(func=_build)
    return p


_CONTROL = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|[\x00-\x08\x0b-\x1f\x7f]")
"""Terminal colour codes and control characters (a tool's output quoted in a message): never printed."""


def _line(text: object) -> str:
    return _CONTROL.sub("", str(text))


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except InputError as exc:
        for problem in getattr(exc, "errors", [exc]):  # every problem at once, one line each, by file
            print(f"error: {_line(problem.message)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BuildError as exc:
        print(f"internal error: {_line(exc)}", file=sys.stderr)
        return EXIT_BUG
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader of our output went away (| head): nothing to report
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # noqa: BLE001 - a bug: one line, and the traceback on request
        problem = isinstance(exc, OSError) and cannot_write(exc, ".", "the command stopped, files already there are left whole")
        if problem:  # a full disk or a read-only _build (judge, verify): the user's to fix
            print(f"error: {problem.message}", file=sys.stderr)
            return EXIT_BAD_INPUT
        if os.environ.get("FACTCHECK_DEBUG"):
            raise
        print(f"internal error: {type(exc).__name__}: {exc} (a bug in factcheck, not in your data; "
              "FACTCHECK_DEBUG=1 shows where)", file=sys.stderr)
        return EXIT_BUG


if __name__ == "__main__":
    sys.exit(main())
