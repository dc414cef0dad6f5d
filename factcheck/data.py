"""Load the data package and refuse anything invalid, naming file, row, column and reason.

Two layers of checks run on a validating load (``load(data_dir)``, what the runner and the command line
do once per build before anything is executed):

1. the Frictionless schemas of ``datapackage.json`` (types, required fields, primary keys, allowed
   units and qualifiers);
2. the cross-file rules that a schema cannot express: every id resolves, units agree with the
   indicator's unit, counts are whole and non-negative, shares stay within 100 %, every quote is found
   verbatim in its stored article, every formula is bound.

A notebook loads with ``validate=False``: the tables are read and typed, the checks are not repeated, and
an article's text is read only when something asks for it (an edition traces its own quotes, see
:meth:`Dataset.trace_quotes`; the cross-year chapter reads no article). Every data file a process reads is
noted in :func:`reads`, so the runner learns which files each executed notebook depends on and re-executes
only the notebooks that read a changed file.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .bindings import Reference, parse_bindings
from .errors import InputError
from .precision import decimals_of

RESOURCES = ("sources", "indicators", "inputs", "claims")

_READS: dict[Path, None] = {}  # every data file this process has read, in first-read order


def reads() -> list[Path]:
    """The data files (absolute paths) this process has read so far, by any load, in first-read order."""
    return list(_READS)


def forget_reads() -> None:
    _READS.clear()


def _note(path: Path, files: list[Path] | None = None) -> None:
    _READS.setdefault(path.resolve(), None)
    if files is not None and path not in files:
        files.append(path)


class Articles(Mapping):
    """The stored article texts by source id, each read from disk (and noted) on first use.

    ``source_id in articles`` and iterating need no file; a missing text file is reported, as bad input,
    when its text is asked for.
    """

    def __init__(self, root: Path, sources: pd.DataFrame, files: list[Path]) -> None:
        self._where = {
            src["source_id"]: (root / src["text_file"], src["text_file"], int(src["_row"]))
            for _, src in sources.iterrows() if src["text_file"]
        }
        self._sources_csv = root / "sources.csv"
        self._files = files
        self._texts: dict[str, str] = {}

    def __getitem__(self, source_id: str) -> str:
        if source_id not in self._texts:
            path, text_file, row = self._where[source_id]
            if not path.is_file():
                raise InputError(f"text file '{text_file}' of source '{source_id}' does not exist",
                                 file=_rel(self._sources_csv), row=row, column="text_file")
            self._texts[source_id] = path.read_text(encoding="utf-8")
            _note(path, self._files)
        return self._texts[source_id]

    def __contains__(self, source_id: object) -> bool:
        return source_id in self._where

    def __iter__(self) -> Iterator[str]:
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)


@dataclass
class Dataset:
    """The validated tables, plus the files that were read to make them."""

    root: Path
    sources: pd.DataFrame
    indicators: pd.DataFrame
    inputs: pd.DataFrame
    claims: pd.DataFrame
    articles: Mapping[str, str]
    files_read: list[Path] = field(default_factory=list)  # grows when an article is first read

    @property
    def years(self) -> list[int]:
        """Editions: the years that have claims."""
        return sorted(int(y) for y in self.claims["year"].unique())

    def require_year(self, year: int) -> None:
        if year not in self.years:
            raise InputError(
                f"no claims for year {year}; years available: {', '.join(map(str, self.years))}",
                parameter="year",
            )

    def claims_for(self, year: int) -> pd.DataFrame:
        return self.claims[self.claims["year"] == year]

    def trace_quotes(self, year: int) -> None:
        """Find every quote of ``year``'s claims verbatim in its stored article.

        Reads only the article texts of that year's sources (what a validating load checks for every
        year); an edition does this so that it depends on the texts it quotes, and on no other.
        """
        where = _rel(self.root / "claims.csv")
        for _, c in self.claims_for(year).iterrows():
            row = int(c["_row"])
            if c["source_id"] not in self.articles:
                raise InputError(f"source '{c['source_id']}' has no stored text, so the quote cannot be traced",
                                 file=where, row=row, column="source_id")
            if c["quote"] and c["quote"] not in self.articles[c["source_id"]]:
                raise InputError(f"quote is not found verbatim in source '{c['source_id']}'",
                                 file=where, row=row, column="quote")

    def indicator(self, indicator: str) -> pd.Series:
        return self.indicators.loc[indicator]

    def source(self, source_id: str) -> pd.Series:
        return self.sources.loc[source_id]

    def all_inputs(self) -> pd.DataFrame:
        """The long table of every figure: outside inputs plus the figures the articles state.

        An article's figure enters this table from its claim (so it is typed once, in ``claims.csv``),
        sourced to the article, with its qualifier (超 → ``>``).
        """
        stated = self.claims[self.claims["check"].isin(["stated", "formula"])]
        from_articles = pd.DataFrame(
            {
                "indicator": stated["indicator"],
                "geography": stated["geography"],
                "period": stated["period"],
                "value": stated["value"],
                "decimals": stated["decimals"],
                "qualifier": stated["qualifier"],
                "unit": stated["unit"],
                "source_id": stated["source_id"],
                "quote": stated["quote"],
                "period_note": "",
                "note": "claim " + stated["claim_id"],
            }
        )
        cols = list(from_articles.columns)
        return pd.concat([self.inputs[cols], from_articles], ignore_index=True)


def load(data_dir: str | Path, *, validate: bool = True) -> Dataset:
    """Read ``data_dir``; raise :class:`InputError` on the first problem.

    ``validate=True`` (the default) checks the schemas and the cross-file rules and reads every article
    text. ``validate=False`` is for notebooks, which the runner executes only after a validating load of
    the same files: it reads and types the four tables and leaves the article texts unread until used.
    """
    root = Path(data_dir)
    package = root / "datapackage.json"
    if not root.is_dir():
        raise InputError(f"data folder {root} does not exist", parameter="data_dir")
    files: list[Path] = []
    if validate:
        if not package.is_file():
            raise InputError("file is missing; a data folder needs its datapackage.json (the schemas every run "
                             "validates)", file=_rel(package))
        _validate_schemas(package)
        _note(package, files)
    tables = {name: _read(root / f"{name}.csv", files) for name in RESOURCES}
    sources = tables["sources"].set_index("source_id", drop=False)
    indicators = tables["indicators"].set_index("indicator", drop=False)
    articles = Articles(root, sources, files)
    if validate:
        for source_id in articles:
            articles[source_id]
    ds = Dataset(
        root=root,
        sources=sources,
        indicators=_typed_indicators(indicators),
        inputs=_typed_figures(tables["inputs"], root / "inputs.csv"),
        claims=_typed_figures(tables["claims"], root / "claims.csv"),
        articles=articles,
        files_read=files,
    )
    if validate:
        _cross_check(ds)
    return ds


def _rel(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _validate_schemas(package: Path) -> None:
    """Check the files as text first (JSON, UTF-8, CSV syntax, header), then the Frictionless schemas."""
    from frictionless import FrictionlessException, Package, system

    descriptor = _read_descriptor(package)
    root = package.parent
    for resource in descriptor.get("resources", []):
        _check_csv_file(root, resource)
    try:
        with system.use_context(trusted=True):
            report = Package(str(package)).validate()
    except FrictionlessException as exc:
        raise InputError(f"not a valid data package: {exc.error.note or exc.error.message}",
                         file=_rel(package)) from None
    if report.valid:
        return
    schemas = {res.get("name"): res.get("schema", {}) for res in descriptor.get("resources", [])}
    for task in report.tasks:
        for error in task.errors:
            where = _rel(root / task.place) if task.place else _rel(package)
            schema = schemas.get(task.name, {})
            raise InputError(_explain(error, schema, root), file=where,
                             row=getattr(error, "row_number", None), column=_error_column(error))
    error = report.errors[0] if report.errors else None
    raise InputError(f"not a valid data package: {error.message if error else 'unknown problem'}",
                     file=_rel(package))


def _read_descriptor(package: Path) -> dict:
    try:
        descriptor = json.loads(package.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise InputError("is not UTF-8 text; save it as UTF-8", file=_rel(package)) from None
    except json.JSONDecodeError as exc:
        raise InputError(f"is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})",
                         file=_rel(package)) from None
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        raise InputError("has no list of 'resources'", file=_rel(package))
    return descriptor


def _check_csv_file(root: Path, resource: dict) -> None:
    """What Frictionless reports poorly: a missing or non-UTF-8 file, broken quoting, a bad header or row."""
    if not isinstance(resource, dict) or not isinstance(resource.get("path"), str):
        return
    path = root / resource["path"]
    where = _rel(path)
    if not path.is_file():
        raise InputError(f"file is missing (datapackage.json lists it as resource '{resource.get('name')}')",
                         file=where)
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        row = len(list(csv.reader(io.StringIO(data[:line_start].decode("utf-8-sig"), newline="")))) + 1
        raise InputError(f"is not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8",
                         file=where, row=row) from None
    expected = [f.get("name") for f in resource.get("schema", {}).get("fields", [])]
    if not text.strip():
        raise InputError(f"is empty; its first line must be the header {','.join(expected)}", file=where)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[list[str]] = []
    try:
        for record in reader:
            rows.append(record)
    except csv.Error as exc:
        reason = str(exc)
        if reason == "unexpected end of data":
            reason = 'a quoted cell that starts in this row is never closed (a closing " is missing)'
        elif "expected after" in reason:
            reason = ('a quoted cell that starts in this row goes on past the end of the cell '
                      '(a " is missing, or a " inside a quoted cell is not doubled as "")')
        raise InputError(f"malformed CSV: {reason}", file=where, row=len(rows) + 1) from None
    header = rows[0]
    _check_header(header, expected, where)
    for number, record in enumerate(rows[1:], start=2):
        if not record:
            raise InputError("blank line; remove it", file=where, row=number)
        if len(record) > len(header):
            raise InputError(f"has {len(record)} cells but the header has {len(header)} columns "
                             "(an unquoted comma, or a cell too many?)", file=where, row=number)
        if len(record) < len(header):
            raise InputError(f"has {len(record)} cells but the header has {len(header)} columns "
                             f"(cells missing from '{header[len(record)]}' on)", file=where, row=number,
                             column=header[len(record)])


def _check_header(header: list[str], expected: list[str], where: str) -> None:
    if not expected or header == expected:
        return
    for name in header:
        if header.count(name) > 1:
            raise InputError("appears twice in the header", file=where, row=1, column=name)
    missing = [n for n in expected if n not in header]
    extra = [n for n in header if n not in expected]
    if len(missing) == 1 and len(extra) == 1:
        raise InputError(f"is missing from the header, which has '{extra[0]}' instead (renamed?)",
                         file=where, row=1, column=missing[0])
    if missing:
        raise InputError(f"is missing from the header (expected: {','.join(expected)})",
                         file=where, row=1, column=missing[0])
    if extra:
        raise InputError("is not a column of this table's schema in datapackage.json", file=where, row=1,
                         column=extra[0])
    raise InputError(f"the columns are out of order; expected: {','.join(expected)}", file=where, row=1)


_TYPE_NAMES = {
    "number": "a number (digits and one decimal point; no units, spaces or thousands separators)",
    "integer": "a whole number",
    "date": "a date (YYYY-MM-DD)",
    "boolean": "true or false",
}


def _error_column(error: object) -> str | None:
    names = getattr(error, "field_names", None)
    if names:
        return names[0]
    return getattr(error, "field_name", None)


def _explain(error: object, schema: dict, root: Path) -> str:
    """One plain sentence for a Frictionless error: what the cell holds and what was expected."""
    fields = {f.get("name"): f for f in schema.get("fields", [])}
    kind = getattr(error, "type", "")
    cell = getattr(error, "cell", "")
    note = getattr(error, "note", "") or ""
    field = fields.get(getattr(error, "field_name", None) or "", {})
    position = re.search(r"position (\d+)", note)
    if kind == "type-error":
        wanted = _TYPE_NAMES.get(field.get("type", ""), field.get("type", "the declared type"))
        return f"'{cell}' is not {wanted}"
    if kind == "constraint-error":
        constraints = field.get("constraints", {})
        name = re.search(r'constraint "(\w+)"', note)
        name = name.group(1) if name else ""
        if name == "required":
            return "is empty, but a value is required"
        if name == "enum":
            allowed = ", ".join(str(v) if v != "" else "(empty)" for v in constraints.get("enum", []))
            reason = f"'{cell}' is not one of {allowed}"
            if field.get("name") == "unit":
                reason += _unit_hint(error, schema, root)
            return reason
        if name in ("minimum", "maximum"):
            word = "below the minimum" if name == "minimum" else "above the maximum"
            return f"{cell} is {word} {constraints.get(name)}"
        if name == "pattern":
            description = field.get("description", "")
            return f"'{cell}' does not have the required form ({description}; pattern {constraints.get('pattern')})"
        return f"'{cell}' breaks the constraint {note}"
    if kind == "unique-error":
        row = f"row {position.group(1)}" if position else "another row"
        return f"'{cell}' is a duplicate: {row} has the same {getattr(error, 'field_name', 'value')}"
    if kind == "primary-key":
        row = f"row {position.group(1)}" if position else "another row"
        key = schema.get("primaryKey", [])
        key = [key] if isinstance(key, str) else list(key)
        header = [f.get("name") for f in schema.get("fields", [])]
        cells = getattr(error, "cells", []) or []
        values = [cells[header.index(k)] for k in key if k in header and header.index(k) < len(cells)]
        if key and len(values) == len(key):
            return f"duplicate row: {row} has the same {', '.join(key)} ({', '.join(values)})"
        return f"duplicate row: {row} has the same primary key"
    if kind == "foreign-key":
        names = getattr(error, "field_names", []) or ["value"]
        cells = getattr(error, "field_cells", []) or [""]
        target = getattr(error, "reference_name", "") or "the referenced table"
        return f"unknown {names[0]} '{cells[0]}' (not in {target}.csv)"
    if kind == "blank-row":
        return "blank row; remove it"
    return f"{getattr(error, 'title', 'error')}: {note}".rstrip(": ")


def _unit_hint(error: object, schema: dict, root: Path) -> str:
    """For a unit the package does not use (万元), say which unit the row's indicator is kept in."""
    header = [f.get("name") for f in schema.get("fields", [])]
    cells = getattr(error, "cells", None) or []
    if "indicator" not in header or header.index("indicator") >= len(cells):
        return ""
    indicator = cells[header.index("indicator")]
    try:
        with (root / "indicators.csv").open(encoding="utf-8-sig", newline="") as fh:
            units = {r.get("indicator"): r.get("unit") for r in csv.DictReader(fh)}
    except (OSError, UnicodeDecodeError, csv.Error):
        return ""
    unit = units.get(indicator)
    return f"; indicator '{indicator}' is measured in {unit}, so give the value in {unit}" if unit else ""


def _read(path: Path, files: list[Path]) -> pd.DataFrame:
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    _note(path, files)
    df["_row"] = range(2, len(df) + 2)
    return df


def _typed_indicators(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    df["whole"] = df["whole"].str.lower().isin(["true", "1", "yes"])
    for col in ("minimum", "maximum"):
        df[col] = [float(v) if v != "" else (-math.inf if col == "minimum" else math.inf) for v in df[col]]
    return df


def _typed_figures(df: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Numbers keep the precision they were printed with: ``decimals`` comes from the text of ``value``."""
    df = df.copy()
    decimals = []
    for text, given, row in zip(df["value"], df.get("decimals", [""] * len(df)), df["_row"], strict=True):
        try:
            decimals.append(int(given) if given != "" else decimals_of(text))
        except ValueError as exc:
            raise InputError(str(exc), file=_rel(path), row=int(row), column="value") from None
    df["decimals"] = decimals
    df["value"] = df["value"].astype(float)
    df["period"] = df["period"].astype(int)
    if "year" in df:
        df["year"] = df["year"].astype(int)
    df["qualifier"] = df["qualifier"].replace("", "=")
    return df


def _cross_check(ds: Dataset) -> None:
    root = ds.root
    for table, name in ((ds.inputs, "inputs.csv"), (ds.claims, "claims.csv")):
        where = _rel(root / name)
        for _, r in table.iterrows():
            row = int(r["_row"])
            if r["source_id"] not in ds.sources.index:
                raise InputError(f"unknown source '{r['source_id']}' (not in sources.csv)",
                                 file=where, row=row, column="source_id")
            if r["indicator"] not in ds.indicators.index:
                raise InputError(f"unknown indicator '{r['indicator']}' (not in indicators.csv)",
                                 file=where, row=row, column="indicator")
            ind = ds.indicators.loc[r["indicator"]]
            if r["unit"] != ind["unit"]:
                raise InputError(
                    f"unit '{r['unit']}' does not match the unit of indicator '{r['indicator']}' "
                    f"({ind['unit']}); give the value in {ind['unit']}", file=where, row=row, column="unit")
            value = r["value"]
            if not math.isfinite(value):
                raise InputError(f"'{value}' is not a finite number", file=where, row=row, column="value")
            if value < ind["minimum"]:
                raise InputError(f"{value:g} is below the minimum {ind['minimum']:g} of '{r['indicator']}'",
                                 file=where, row=row, column="value")
            if value > ind["maximum"]:
                raise InputError(f"{value:g} is above the maximum {ind['maximum']:g} of '{r['indicator']}'",
                                 file=where, row=row, column="value")
            if ind["whole"] and r["qualifier"] == "=" and value != int(value):
                raise InputError(f"{value:g} is not a whole number, but '{r['indicator']}' counts things",
                                 file=where, row=row, column="value")
            text = ds.articles.get(r["source_id"])
            if text is not None and r["quote"] and r["quote"] not in text:
                raise InputError(f"quote is not found verbatim in source '{r['source_id']}'",
                                 file=where, row=row, column="quote")
    _check_claims(ds)


def _check_claims(ds: Dataset) -> None:
    where = _rel(ds.root / "claims.csv")
    ids = set(ds.claims["claim_id"])
    for _, c in ds.claims.iterrows():
        row = int(c["_row"])
        if not str(c["claim_id"]).startswith(f"{c['year']}-"):
            raise InputError(f"is {c['year']}, but claim id '{c['claim_id']}' says edition "
                             f"{str(c['claim_id'])[:4]}; ids start with their edition year",
                             file=where, row=row, column="year")
        if c["source_id"] not in ds.articles:
            raise InputError(f"source '{c['source_id']}' has no stored text, so the quote cannot be traced",
                             file=where, row=row, column="source_id")
        if c["figure"] not in c["quote"]:
            raise InputError(f"figure '{c['figure']}' does not occur in the quote", file=where, row=row,
                             column="figure")
        try:
            refs = parse_bindings(c["bindings"])
        except ValueError as exc:
            raise InputError(str(exc), file=where, row=row, column="bindings") from None
        for ref in refs:
            _check_reference(ds, ref, ids, c, where, row)
        if c["check"] == "stated" and c["formula"]:
            raise InputError("a 'stated' claim has nothing to recompute; remove the formula or use 'formula'",
                             file=where, row=row, column="formula")
        if c["check"] == "formula":
            if not c["formula"]:
                raise InputError("check 'formula' needs a formula", file=where, row=row, column="formula")
            from .formula import FormulaError, drop_symbols, parse_formula

            try:
                expr = parse_formula(c["formula"], [r.name for r in refs])
                optional = [r.name for r in refs if r.optional]
                if optional and len(optional) < len(refs):
                    drop_symbols(expr, optional)
            except FormulaError as exc:
                raise InputError(str(exc), file=where, row=row, column="formula") from None
            except (TypeError, ValueError, SyntaxError) as exc:
                raise InputError(f"formula '{c['formula']}' cannot be used: {exc}", file=where, row=row,
                                 column="formula") from None
        if c["check"] == "target" and not refs:
            raise InputError("a target needs an 'actual=indicator@geography@periods' binding",
                             file=where, row=row, column="bindings")


def _check_reference(ds: Dataset, ref: Reference, ids: set[str], claim: pd.Series, where: str, row: int) -> None:
    if ref.kind == "claim" and ref.target not in ids:
        raise InputError(f"binding '{ref.name}' names unknown claim '{ref.target}'", file=where, row=row,
                         column="bindings")
    if ref.kind == "claim" and ref.target == claim["claim_id"]:
        raise InputError(f"binding '{ref.name}' refers to the claim itself", file=where, row=row, column="bindings")
    if ref.kind == "input" and ref.target not in ds.indicators.index:
        raise InputError(f"binding '{ref.name}' names unknown indicator '{ref.target}'", file=where, row=row,
                         column="bindings")
    if ref.kind == "items":
        text = ds.articles.get(claim["source_id"], "")
        if ref.target not in text:
            raise InputError(f"enumeration of binding '{ref.name}' is not found verbatim in the article",
                             file=where, row=row, column="bindings")
