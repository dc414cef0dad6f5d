"""Command line: ``python -m factcheck validate|verify|build``. Bad input exits 2 with one clear line."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .errors import InputError


def _validate(args: argparse.Namespace) -> int:
    from .data import load

    ds = load(args.data)
    print(f"data OK: {len(ds.claims)} claims in editions {', '.join(map(str, ds.years))}, "
          f"{len(ds.inputs)} outside inputs, {len(ds.sources)} sources")
    return 0


def _verify(args: argparse.Namespace) -> int:
    from .data import load
    from .engine import judge_year, verdict_table
    from .params import check_params

    year, data = check_params(year=args.year, data_dir=args.data)
    ds = load(data)
    table = verdict_table(judge_year(ds, year))
    out = Path(args.out) / f"{year}.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    table.to_csv(tmp, index=False, encoding="utf-8")
    tmp.replace(out)
    counts = table["verdict"].value_counts().to_dict()
    print(f"wrote {out}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    return 0


def _build(args: argparse.Namespace) -> int:
    from .runner import build

    report = build(args.year, args.data, workers=args.jobs, book=not args.no_book, force=args.force)
    book = "built" if report.book_built else "not built" if args.no_book else "up to date"
    print(f"executed {len(report.executed)} notebook(s), skipped {len(report.skipped)} unchanged, "
          f"book {book} in {report.seconds:.1f} s")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="factcheck", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("validate", help="validate the data package")
    p.add_argument("--data", default="data")
    p.set_defaults(func=_validate)
    p = sub.add_parser("verify", help="write _build/verdicts/YEAR.csv")
    p.add_argument("--year", required=True)
    p.add_argument("--data", default="data")
    p.add_argument("--out", default="_build/verdicts")
    p.set_defaults(func=_verify)
    p = sub.add_parser("build", help="execute the notebooks for YEAR and build the book")
    p.add_argument("--year", required=True)
    p.add_argument("--data", default="data")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    p.add_argument("--no-book", action="store_true", help="execute the notebooks only")
    p.add_argument("--force", action="store_true",
                   help="execute every notebook and rebuild the book even if nothing changed")
    p.set_defaults(func=_build)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
