"""Refuse anything invalid in a data package, naming file, row, column and reason, in one line.

:func:`validate` runs once per build (and by ``make validate``), before anything is judged:

1. the folder's ``datapackage.json`` must describe exactly the tables the code expects
   (:mod:`factcheck.schema`): a changed type, a missing table or a schema given by URL is refused;
2. each CSV is checked as text (UTF-8, quoting, header, row lengths), then against the expected schema
   with Frictionless (types, required cells, enums, patterns, keys);
3. the rules a schema can't express: every id resolves; a statistic's value is the number its figure
   prints, and the figure is a whole token of its quote, found verbatim in the stored article; units
   agree with the indicator; counts are whole; bindings resolve, have no cycle and check something other
   than the figure itself; every formula evaluates to a finite number; every numeric mention of every
   stored article is accounted for (:mod:`factcheck.mentions`); every correction names a change between
   two verdicts of a claim of its edition, dated no later than today, with a reason a person wrote.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import math
import re
from pathlib import Path

from . import chapters
from .bindings import Reference, parse_bindings
from .errors import InputError, where
from .formula import MAX_INPUTS, FormulaError, parse_formula
from .load import MAX_BYTES, MAX_ROWS, Claim, Correction, Dataset, load, note_read
from .numbers import decimals_of, figure_value, same_number, token_offsets
from .params import check_data_dir
from .register import unaccounted
from .schema import BY_NAME, DRAFTED, TABLES, descriptor
from .vocabulary import BY_CODE, CODES


def validate(data_dir: str | Path) -> Dataset:
    """Validate ``data_dir`` and return its records; raise :class:`InputError` on the first problem."""
    root = check_data_dir(data_dir)
    check_descriptor(root / "datapackage.json")
    for table in TABLES:
        check_csv_text(root / table.path, table.header)
    check_schema(root)
    ds = load(root)
    check_rules(ds)
    return ds


# ---- the descriptor -----------------------------------------------------------------------------
def check_descriptor(package: Path) -> None:
    """The folder's descriptor must match :func:`factcheck.schema.descriptor` resource by resource."""
    if not package.is_file():
        raise InputError("file is missing; a data folder needs its datapackage.json", file=where(package))
    if package.stat().st_size > MAX_BYTES:
        raise InputError(f"is over {MAX_BYTES:,} bytes", file=where(package))
    try:
        given = json.loads(package.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise InputError("is not UTF-8 text; save it as UTF-8", file=where(package)) from None
    except json.JSONDecodeError as exc:
        raise InputError(f"is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})",
                         file=where(package)) from None
    except RecursionError:
        raise InputError("is nested too deeply to be a data package", file=where(package)) from None
    note_read(package)
    if not isinstance(given, dict) or not isinstance(given.get("resources"), list):
        raise InputError("has no list of 'resources'", file=where(package))
    expected = {r["name"]: r for r in descriptor()["resources"]}
    resources = {r.get("name"): r for r in given["resources"] if isinstance(r, dict)}
    for name, want in expected.items():
        have = resources.get(name)
        if have is None:
            raise InputError(f"has no resource '{name}'; this program needs the tables "
                             f"{', '.join(expected)} (python -m factcheck schema writes the descriptor)",
                             file=where(package))
        if have.get("path") != want["path"]:
            raise InputError(f"resource '{name}' must have path '{want['path']}', not {have.get('path')!r}",
                             file=where(package))
        schema = have.get("schema")
        if not isinstance(schema, dict):
            raise InputError(f"resource '{name}' gives its schema as {type(schema).__name__}"
                             f"{' ' + repr(schema) if isinstance(schema, str) else ''}; the schema must be written "
                             "inline, as this program expects it", file=where(package))
        fields = {f.get("name"): f for f in schema.get("fields", []) if isinstance(f, dict)}
        for f in want["schema"]["fields"]:
            got = fields.get(f["name"])
            if got is None:
                raise InputError(f"resource '{name}' has no field '{f['name']}'", file=where(package))
            for key in ("type", "constraints"):
                if got.get(key, {} if key == "constraints" else None) != f.get(key, {} if key == "constraints" else None):
                    raise InputError(f"resource '{name}', field '{f['name']}': {key} {json.dumps(got.get(key), ensure_ascii=False)} "
                                     f"differs from the {key} this program expects "
                                     f"({json.dumps(f.get(key), ensure_ascii=False)})", file=where(package))
        extra = sorted(set(fields) - {f["name"] for f in want["schema"]["fields"]})
        if extra:
            raise InputError(f"resource '{name}' has field '{extra[0]}', which this program does not know",
                             file=where(package))
        for key in ("primaryKey", "foreignKeys"):
            if schema.get(key) != want["schema"].get(key):
                raise InputError(f"resource '{name}': {key} differs from what this program expects",
                                 file=where(package))


# ---- the CSVs as text ---------------------------------------------------------------------------
def check_csv_text(path: Path, expected: list[str]) -> None:
    """What Frictionless reports poorly: a missing or non-UTF-8 file, broken quoting, a bad header or row."""
    w = where(path)
    if not path.is_file():
        raise InputError("file is missing (datapackage.json lists it)", file=w)
    if path.stat().st_size > MAX_BYTES:
        raise InputError(f"is {path.stat().st_size:,} bytes; data files over {MAX_BYTES:,} bytes are refused", file=w)
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        row = len(list(csv.reader(io.StringIO(data[:line_start].decode("utf-8-sig", "replace"), newline="")))) + 1
        raise InputError(f"is not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8",
                         file=w, row=row) from None
    if not text.strip():
        raise InputError(f"is empty; its first line must be the header {','.join(expected)}", file=w)
    control = re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text)
    if control:
        row = text.count("\n", 0, control.start()) + 1
        raise InputError(f"contains a control character (0x{ord(control.group()):02x}); a damaged file?", file=w, row=row)
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
        raise InputError(f"malformed CSV: {reason}", file=w, row=len(rows) + 1) from None
    _check_header(rows[0], expected, w)
    if len(rows) - 1 > MAX_ROWS:
        raise InputError(f"has {len(rows) - 1:,} rows; tables over {MAX_ROWS:,} rows are refused", file=w)
    for number, record in enumerate(rows[1:], start=2):
        if not record:
            raise InputError("blank line; remove it", file=w, row=number)
        if len(record) > len(expected):
            raise InputError(f"has {len(record)} cells but the header has {len(expected)} columns "
                             "(an unquoted comma, or a cell too many?)", file=w, row=number)
        if len(record) < len(expected):
            raise InputError(f"has {len(record)} cells but the header has {len(expected)} columns "
                             f"(cells missing from '{expected[len(record)]}' on)", file=w, row=number,
                             column=expected[len(record)])


def _check_header(header: list[str], expected: list[str], w: str) -> None:
    if header == expected:
        return
    for name in header:
        if header.count(name) > 1:
            raise InputError("appears twice in the header", file=w, row=1, column=name)
    missing = [n for n in expected if n not in header]
    extra = [n for n in header if n not in expected]
    if len(missing) == 1 and len(extra) == 1:
        raise InputError(f"is missing from the header, which has '{extra[0]}' instead (renamed?)",
                         file=w, row=1, column=missing[0])
    if missing:
        raise InputError(f"is missing from the header (expected: {','.join(expected)})", file=w, row=1,
                         column=missing[0])
    if extra:
        raise InputError("is not a column of this table", file=w, row=1, column=extra[0])
    raise InputError(f"the columns are out of order; expected: {','.join(expected)}", file=w, row=1)


# ---- Frictionless, with the expected schema -----------------------------------------------------
_TYPE_NAMES = {
    "number": "a number (digits and one decimal point; no units, spaces or thousands separators)",
    "integer": "a whole number",
    "date": "a date (YYYY-MM-DD)",
    "boolean": "true or false",
}


def check_schema(root: Path) -> None:
    from frictionless import FrictionlessException, Package, system

    try:
        with system.use_context(trusted=False):
            report = Package(descriptor(), basepath=str(root)).validate()
    except FrictionlessException as exc:
        raise InputError(f"not a valid data package: {exc.error.note or exc.error.message}",
                         file=where(root / "datapackage.json")) from None
    if report.valid:
        return
    for task in report.tasks:
        for error in task.errors:
            table = BY_NAME.get(task.name)
            schema = table.spec()["schema"] if table else {}
            raise InputError(_explain(error, schema, root), file=where(root / (task.place or "")),
                             row=getattr(error, "row_number", None), column=_error_column(error))
    raise InputError("not a valid data package", file=where(root / "datapackage.json"))


def _error_column(error: object) -> str | None:
    names = getattr(error, "field_names", None)
    return names[0] if names else getattr(error, "field_name", None)


def _explain(error: object, schema: dict, root: Path) -> str:
    """One plain sentence for a Frictionless error: what the cell holds and what was expected."""
    fields = {f.get("name"): f for f in schema.get("fields", [])}
    kind = getattr(error, "type", "")
    cell = str(getattr(error, "cell", ""))[:80]
    note = getattr(error, "note", "") or ""
    fld = fields.get(getattr(error, "field_name", None) or "", {})
    position = re.search(r"position (\d+)", note)
    if kind == "type-error":
        wanted = _TYPE_NAMES.get(fld.get("type", ""), fld.get("type", "the declared type"))
        return f"'{cell}' is not {wanted}"
    if kind == "constraint-error":
        constraints = fld.get("constraints", {})
        name = re.search(r'constraint "(\w+)"', note)
        name = name.group(1) if name else ""
        if name == "required":
            return "is empty, but a value is required"
        if name == "enum":
            allowed = ", ".join(str(v) if v != "" else "(empty)" for v in constraints.get("enum", []))
            reason = f"'{cell}' is not one of {allowed}"
            if fld.get("name") == "unit":
                reason += _unit_hint(error, schema, root)
            return reason
        if name in ("minimum", "maximum"):
            word = "below the minimum" if name == "minimum" else "above the maximum"
            return f"{cell} is {word} {constraints.get(name)}"
        if name == "pattern":
            return f"'{cell}' does not have the required form ({fld.get('description', '')})"
        return f"'{cell}' breaks the constraint {note}"
    if kind in ("unique-error", "primary-key"):
        row = f"row {position.group(1)}" if position else "another row"
        key = schema.get("primaryKey", [])
        return f"duplicate: {row} has the same {', '.join(key) if kind == 'primary-key' else fld.get('name', 'value')}"
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


# ---- cross-file rules ---------------------------------------------------------------------------
def check_rules(ds: Dataset) -> None:
    inputs_csv = where(ds.root / "inputs.csv")
    for f in ds.inputs:
        def fail(column: str, reason: str, row: int = f.row) -> InputError:
            return InputError(reason, file=inputs_csv, row=row, column=column)

        if f.source_id not in ds.sources:
            raise fail("source_id", f"unknown source '{f.source_id}' (not in sources.csv)")
        _check_figure(ds, f.indicator, f.unit, f.value, f.qualifier, fail)
        text = ds.articles[f.source_id] if f.source_id in ds.articles else None
        if text is not None and f.quote and f.quote not in text:
            raise fail("quote", f"quote is not found verbatim in source '{f.source_id}'")
    _check_claims(ds)
    _check_register(ds)
    _check_corrections(ds)


def _check_figure(ds: Dataset, indicator: str, unit: str, value: float, qualifier: str, fail) -> None:
    if indicator not in ds.indicators:
        raise fail("indicator", f"unknown indicator '{indicator}' (not in indicators.csv)")
    ind = ds.indicators[indicator]
    if unit != ind.unit:
        raise fail("unit", f"unit '{unit}' does not match the unit of indicator '{indicator}' ({ind.unit}); "
                           f"give the value in {ind.unit}")
    if value < ind.minimum:
        raise fail("value", f"{value:g} is below the minimum {ind.minimum:g} of '{indicator}'")
    if value > ind.maximum:
        raise fail("value", f"{value:g} is above the maximum {ind.maximum:g} of '{indicator}'")
    if ind.whole and qualifier == "=" and value != int(value):
        raise fail("value", f"{value:g} is not a whole number, but '{indicator}' counts things")


def _check_claims(ds: Dataset) -> None:
    w = where(ds.root / "claims.csv")
    known_chapters = chapters.ids()
    for c in ds.claims.values():
        def fail(column: str, reason: str, c: Claim = c) -> InputError:
            return InputError(reason, file=w, row=c.row, column=column)

        if not c.claim_id.startswith(f"{c.year}-"):
            raise fail("year", f"is {c.year}, but claim id '{c.claim_id}' says edition {c.claim_id[:4]}; ids start "
                               "with their edition year")
        if c.source_id not in ds.articles:
            raise fail("source_id", f"source '{c.source_id}' has no stored text, so the quote cannot be traced")
        if c.chapter not in known_chapters:
            raise fail("chapter", f"'{c.chapter}' is not a chapter of book/chapters.yml ({', '.join(known_chapters)})")
        offsets = token_offsets(c.figure, c.quote)
        if not offsets:
            raise fail("figure", f"figure '{c.figure}' does not occur in the quote as a whole number")
        if len(offsets) > 1:
            raise fail("figure", f"figure '{c.figure}' occurs {len(offsets)} times in the quote; shorten the quote "
                                 "so that it occurs once")
        if c.quote not in ds.articles[c.source_id]:
            raise fail("quote", f"quote is not found verbatim in source '{c.source_id}'")
        if not c.statistic:
            for column in ("value", "check", "formula", "bindings", "due"):
                if getattr(c, column) not in (None, ""):
                    raise fail(column, f"a {c.kind} is kept in the register, not checked: leave {column} empty")
            continue
        for column in ("indicator", "unit", "geography", "check"):
            if not getattr(c, column):
                raise fail(column, "is empty, but a statistic needs it")
        if c.value is None:
            raise fail("value", "is empty, but a statistic needs the value its figure prints")
        if c.period is None:
            raise fail("period", "is empty, but a statistic needs the year it describes")
        _check_figure(ds, c.indicator, c.unit, c.value, c.qualifier, fail)
        printed = figure_value(c.figure, c.unit)
        if printed is None:
            raise fail("figure", f"figure '{c.figure}' prints no number; a statistic's figure must (or give the "
                                 "claim another kind)")
        shown = _arabic(c.figure)
        if shown is not None and c.decimals != decimals_of(shown):
            column = "decimals" if ds_decimals_given(ds, c) else "value"
            raise fail(column, f"'{c.value:.{c.decimals}f}' has {c.decimals} decimal(s), but the figure "
                               f"'{c.figure}' prints {decimals_of(shown)}")
        if not same_number(printed, c.value, c.decimals):
            raise fail("value", f"{_show(c.value, c.decimals)} is not the number the figure '{c.figure}' prints "
                                f"({_show(printed, c.decimals)})")
        if c.due is not None and c.check != "target":
            raise fail("due", "only a target has a due year")
        _check_bindings(ds, c, fail)
    _check_repeats(ds, w)
    _check_cycles(ds, w)
    for c in ds.claims.values():
        if c.statistic and c.check == "formula":
            _check_evaluates(ds, c, w)


_ARABIC_FIGURE = re.compile(r"第?([0-9]+(?:\.[0-9]+)?)[^0-9]*")


def _arabic(figure: str) -> str | None:
    """The Arabic number a figure prints (``135.71`` of ``135.71%``), or None for Chinese numerals and words."""
    m = _ARABIC_FIGURE.fullmatch(figure.strip())
    return m.group(1) if m else None


def ds_decimals_given(ds: Dataset, c: Claim) -> bool:
    """Whether the claims.csv row gives decimals explicitly (else they come from the value's text)."""
    from .load import read_rows

    for row in read_rows(ds.root, "claims"):
        if row["claim_id"] == c.claim_id:
            return bool(row["decimals"])
    return False


def _show(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}"


def _check_bindings(ds: Dataset, c: Claim, fail) -> None:
    try:
        refs = parse_bindings(c.bindings)
    except ValueError as exc:
        raise fail("bindings", str(exc)) from None
    for ref in refs:
        _check_reference(ds, ref, c, fail)
    if c.check == "stated" and (c.formula or refs):
        raise fail("formula", "a 'stated' claim has nothing to recompute; remove the formula and bindings or use "
                              "'formula'")
    if c.check == "formula":
        if not c.formula:
            raise fail("formula", "check 'formula' needs a formula")
        if len(refs) > MAX_INPUTS:
            raise fail("bindings", f"binds {len(refs)} names; a formula may use at most {MAX_INPUTS} inputs")
        try:
            formula = parse_formula(c.formula, [r.name for r in refs])
            optional = [r.name for r in refs if r.optional]
            if optional and len(optional) < len(refs):
                formula.without(optional)
        except FormulaError as exc:
            raise fail("formula", str(exc)) from None
        if all(r.kind == "constant" for r in refs):
            raise fail("bindings", "every binding is a constant, so the figure would be checked against numbers "
                                   "taken from itself; bind a claim, an input or an enumeration, or give the claim "
                                   "another kind")
    if c.check == "target":
        if not refs or any(r.kind != "input" for r in refs):
            raise fail("bindings", "a target needs 'actual=indicator@geography@periods' bindings only")
        if c.formula:
            raise fail("formula", "a target is compared with actual figures; remove the formula")


def _check_reference(ds: Dataset, ref: Reference, c: Claim, fail) -> None:
    if ref.kind == "claim":
        other = ds.claims.get(ref.target)
        if other is None:
            raise fail("bindings", f"binding '{ref.name}' names unknown claim '{ref.target}'")
        if ref.target == c.claim_id:
            raise fail("bindings", f"binding '{ref.name}' refers to the claim itself")
        if not other.statistic:
            raise fail("bindings", f"binding '{ref.name}' names '{ref.target}', a {other.kind}, not a statistic")
    if ref.kind == "input" and ref.target not in ds.indicators:
        raise fail("bindings", f"binding '{ref.name}' names unknown indicator '{ref.target}'")
    if ref.kind == "items" and ref.target not in ds.articles[c.source_id]:
        raise fail("bindings", f"enumeration of binding '{ref.name}' is not found verbatim in the article")


def _check_repeats(ds: Dataset, w: str) -> None:
    """One figure of one article is one claim: a repeat is a mention of it, never a second claim."""
    seen: dict[tuple, Claim] = {}
    for c in ds.claims.values():
        if not c.statistic or c.check == "target":
            continue
        key = (c.source_id, c.indicator, c.geography, c.period)
        if key in seen:
            first = seen[key]
            raise InputError(f"'{c.claim_id}' is the same figure of the same article as '{first.claim_id}' (row "
                             f"{first.row}); keep one claim and register the repeat in mentions.csv", file=w,
                             row=c.row, column="claim_id")
        seen[key] = c


def _check_cycles(ds: Dataset, w: str) -> None:
    """A claim may use other claims, but never, through them, itself."""
    uses = {c.claim_id: [r.target for r in parse_bindings(c.bindings) if r.kind == "claim"]
            for c in ds.claims.values() if c.statistic}
    state: dict[str, int] = {}  # 1 on the path, 2 done

    def visit(cid: str, path: list[str]) -> None:
        state[cid] = 1
        for nxt in uses.get(cid, []):
            if state.get(nxt) == 1:
                loop = [*path[path.index(nxt):], nxt] if nxt in path else [cid, nxt]
                first = ds.claims[loop[0]]
                raise InputError(f"bindings go round in a circle: {' → '.join(loop)}", file=w, row=first.row,
                                 column="bindings")
            if state.get(nxt) is None:
                visit(nxt, [*path, nxt])
        state[cid] = 2

    for cid in sorted(uses):
        if state.get(cid) is None:
            visit(cid, [cid])


def _check_evaluates(ds: Dataset, c: Claim, w: str) -> None:
    """Evaluate the formula once with the first figure of each binding: a division by zero is bad input."""
    refs = parse_bindings(c.bindings)
    values: dict[str, float] = {}
    for ref in refs:
        if ref.kind == "constant":
            values[ref.name] = float(ref.constant or 0)
        elif ref.kind == "items":
            values[ref.name] = float(len(ref.items()))
        elif ref.kind == "claim":
            values[ref.name] = float(ds.claims[ref.target].value or 0)
        else:
            found = ds.figures_at(ref.target, ref.geography, ref.periods[0].year)
            if not found:
                return  # a missing input: nothing to evaluate
            values[ref.name] = found[0].value
    result = parse_formula(c.formula, [r.name for r in refs]).value(values)
    if not math.isfinite(result):
        shown = ", ".join(f"{k}={v:g}" for k, v in values.items())
        raise InputError(f"formula '{c.formula}' gives no finite number with its inputs ({shown}): a division by "
                         "zero?", file=w, row=c.row, column="formula")


def _check_register(ds: Dataset) -> None:
    """The mentions register and the searches refer to things that exist."""
    w = where(ds.root / "mentions.csv")
    for m in ds.mentions:
        if m.source_id not in ds.articles:
            raise InputError(f"source '{m.source_id}' has no stored text", file=w, row=m.row, column="source_id")
        text = ds.articles[m.source_id]
        if text[m.offset:m.offset + len(m.mention)] != m.mention:
            raise InputError(f"'{m.mention}' is not at offset {m.offset} of the stored text of '{m.source_id}' "
                             "(re-run python -m factcheck mentions)", file=w, row=m.row, column="offset")
        if bool(m.claim_id) == bool(m.reason):
            raise InputError("give either the claim it repeats or the reason it is left out", file=w, row=m.row,
                             column="reason")
        if m.claim_id and m.claim_id not in ds.claims:
            raise InputError(f"unknown claim '{m.claim_id}'", file=w, row=m.row, column="claim_id")
    for source_id in ds.articles:
        missing = unaccounted(ds, source_id)
        if missing:
            m = missing[0]
            raise InputError(f"the number '{m.text}' at offset {m.offset} of '{source_id}' is neither a claim nor "
                             f"in the register ({len(missing)} such); add a claim or a mentions.csv row with the reason "
                             "(python -m factcheck mentions lists them)", file=w)
    s_w = where(ds.root / "searches.csv")
    for s in ds.searches:
        if s.result == "unpublished" and s.source_id not in ds.sources:
            raise InputError("an 'unpublished' result needs the source that says so", file=s_w, row=s.row,
                             column="source_id")


def _check_corrections(ds: Dataset) -> None:
    """Each correction names a claim of its edition and a change between two verdicts, with a reason a person
    wrote; whether the latest one matches the verdict now is checked where verdicts are known (factcheck.judged)."""
    w = where(ds.root / "corrections.csv")
    today = datetime.date.today()
    for c in ds.corrections:
        def fail(column: str, reason: str, c: Correction = c) -> InputError:
            return InputError(reason, file=w, row=c.row, column=column)

        if datetime.date.fromisoformat(c.date) > today:
            raise fail("date", f"{c.date} is in the future; a correction is dated the day it is published")
        if not c.claim_id.startswith(f"{c.edition}-"):
            raise fail("edition", f"is {c.edition}, but claim id '{c.claim_id}' says edition {c.claim_id[:4]}")
        for column, code in (("before", c.before), ("after", c.after)):
            if code not in BY_CODE and (column == "before" or code):
                raise fail(column, f"'{code}' is not a verdict code ({', '.join(CODES)})"
                                   + (", or empty when the claim no longer gets a verdict" if column == "after" else ""))
        if c.before == c.after:
            raise fail("after", f"is the verdict before ('{c.before}'): a correction changes the verdict")
        claim = ds.claims.get(c.claim_id)
        if claim is None and c.after:
            raise fail("after", f"claim '{c.claim_id}' is not in claims.csv, so it has no verdict now: leave after "
                                "empty (its verdict was withdrawn)")
        if claim is not None and not claim.statistic and c.after:
            raise fail("after", f"claim '{c.claim_id}' is now a {claim.kind}, which gets no verdict: leave after empty")
        if claim is not None and claim.statistic and not c.after:
            raise fail("after", f"claim '{c.claim_id}' is a statistic and has a verdict: give it")
        for column in ("what", "why"):
            if getattr(c, column).lstrip().upper().startswith(DRAFTED):
                raise fail(column, f"a drafted correction: replace the {DRAFTED} with what a reader should know "
                                   "(why the verdict changed)" if column == "why" else
                           f"a drafted correction: replace the {DRAFTED} with the figure corrected")
