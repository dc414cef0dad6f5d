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
import io
import json
import math
import re
from datetime import date
from pathlib import Path

from . import chapters
from .bindings import Reference, parse_bindings
from .errors import InputError, InputErrors, Problems, where
from .files import read_bytes
from .formula import MAX_INPUTS, FormulaError, parse_formula
from .load import (
    MAX_BYTES,
    MAX_ROWS,
    Claim,
    Correction,
    Dataset,
    Figure,
    check_declared,
    decode,
    describe_char,
    invisible,
    load,
    note_read,
)
from .numbers import decimals_of, figure_value, same_number, token_offsets
from .params import check_data_dir
from .quotes import printed_numbers, quote_prints
from .register import unaccounted
from .schema import BY_NAME, DRAFTED, TABLES, descriptor
from .vocabulary import BY_CODE, CODES

FORMULA_START = re.compile(r"[=+\-@\t]")
PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")
"""A cell a spreadsheet would run (=, +, -, @ or a tab first) unless it is a plain number: the data zip's tables
are opened in Excel as they are, so such a text is refused (the verdict and chart tables are quoted instead)."""
MAX_PROBLEMS = 100
"""The most problems of one kind listed at once (a wholly wrong file would print thousands)."""


def validate(data_dir: str | Path) -> Dataset:
    """Validate ``data_dir`` and return its records; raise every problem of a stage at once (an
    :class:`InputError`, or :class:`InputErrors` grouped by file): the files as text, then the schema, then
    the rules."""
    root = check_data_dir(data_dir)
    check_descriptor(root / "datapackage.json")  # it names the tables: without it nothing else can be read
    problems = Problems()
    for table in TABLES:
        with problems.item():
            check_csv_text(root / table.path, table.header)
    problems.done()
    check_schema(root)
    ds = load(root)
    check_rules(ds)
    check_files(ds)
    return ds


def check_files(ds: Dataset) -> None:
    """Nothing under the data folder but what the package declares: no link, pipe or device, no stray file."""
    check_declared(ds.root, ds.declared_files())


# ---- the descriptor -----------------------------------------------------------------------------
def check_descriptor(package: Path) -> None:
    """The folder's descriptor must match :func:`factcheck.schema.descriptor` resource by resource."""
    if not package.exists() and not package.is_symlink():
        raise InputError("file is missing; a data folder needs its datapackage.json", file=where(package))
    try:
        given = json.loads(decode(read_bytes(package, root=package.parent, limit=MAX_BYTES), package))
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
    extra = [str(n) for n in resources if n not in expected] + [""] * (len(given["resources"]) - len(resources))
    if extra:
        raise InputError(f"declares the resource {extra[0]!r}, which this program does not know; the package is "
                         f"the tables {', '.join(expected)} (python -m factcheck schema writes the descriptor)",
                         file=where(package))
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
    if not path.exists() and not path.is_symlink():
        raise InputError("file is missing (datapackage.json lists it)", file=w)
    data = read_bytes(path, root=path.parent, limit=MAX_BYTES)
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
        for column, cell in zip(expected, record, strict=True):
            if len(cell) > 1 and FORMULA_START.match(cell) and not PLAIN_NUMBER.fullmatch(cell) and (
                    column != "formula" or cell[0] in "=@"):  # a formula may open with a minus sign
                raise InputError(f"starts with {cell[0]!r}, which a spreadsheet runs as a formula when the data zip's "
                                 "table is opened; begin the cell otherwise (a word, or a full-width sign)", file=w,
                                 row=number, column=column)
            found = invisible(cell)
            if found:
                raise InputError(f"holds {found[2]} {describe_char(found[1])} at position {found[0] + 1}, which makes "
                                 "the text read otherwise than it shows; delete or retype it", file=w, row=number,
                                 column=column)


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
    problems = Problems()
    seen: set[tuple] = set()
    for task in report.tasks:
        for error in task.errors[:MAX_PROBLEMS]:
            key = (task.name, getattr(error, "row_number", None))
            if key in seen and key[1] is not None:
                continue  # one line a row: a duplicate id is both a unique and a primary-key error
            seen.add(key)
            table = BY_NAME.get(task.name)
            schema = table.spec()["schema"] if table else {}
            problems.errors.append(InputError(_explain(error, schema, root), file=where(root / (task.place or "")),
                                              row=getattr(error, "row_number", None), column=_error_column(error)))
    problems.done()
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
                hint = _unit_hint(error, schema, root)
                reason += hint if hint and f"measured in {cell}," not in hint else (
                    "; a unit the book does not know yet: add it to UNITS in factcheck/schema.py, then run "
                    "python -m factcheck schema --write")
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
        return f"unknown {names[0]} '{cells[0]}' (not in {target}.csv)" + row_to_add(target, str(cells[0]))
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
    """The rules across files, every row checked: each row's first problem is reported, all rows at once."""
    problems = Problems()
    for source_id in ds.articles:  # an article that cannot be read fails every row that quotes it: say it once
        with problems.item():
            ds.articles[source_id]
    problems.done()
    for f in ds.inputs:
        with problems.item():
            _check_input(ds, f)
    before = len(problems.errors)
    _check_claims(ds, problems)
    _check_register(ds, problems, claims_valid=len(problems.errors) == before)
    _check_dates(ds, problems)
    for c in ds.corrections:
        with problems.item():
            _check_correction(ds, c)
    problems.done()


def _check_input(ds: Dataset, f: Figure) -> None:
    def fail(column: str, reason: str, row: int = f.row) -> InputError:
        return InputError(reason, file=where(ds.root / "inputs.csv"), row=row, column=column)

    if f.source_id not in ds.sources:
        raise fail("source_id", f"unknown source '{f.source_id}' (not in sources.csv)" + row_to_add("sources", f.source_id))
    _check_figure(ds, f.indicator, f.unit, f.value, f.qualifier, fail)
    _check_definition(ds, f.indicator, f.quote, fail)
    text = ds.articles[f.source_id] if f.source_id in ds.articles else None
    if text is not None and f.quote and f.quote not in text:
        raise fail("quote", f"quote is not found verbatim in source '{f.source_id}'")
    _check_quote(f, fail)


def _check_dates(ds: Dataset, problems: Problems, today: date | None = None) -> None:
    """Dates that exist, none in the future, and nothing read before it was published."""
    today = today or date.today()
    for s in ds.sources.values():
        with problems.item():
            _check_source_dates(ds, s, today)
    for table, rows in (("searches", ds.searches), ("corrections", ds.corrections)):
        w = where(ds.root / f"{table}.csv")
        for r in rows:
            with problems.item():
                _date(r.date, w, r.row, "date", today)


def _check_source_dates(ds: Dataset, s, today: date) -> None:
    s_w = where(ds.root / "sources.csv")
    accessed = _date(s.accessed, s_w, s.row, "accessed", today)
    if s.published:
        parts = [int(x) for x in s.published.split("-")]
        try:
            start = date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
        except ValueError:
            raise InputError(f"'{s.published}' is not a date that exists (YYYY, YYYY-MM or YYYY-MM-DD)", file=s_w,
                             row=s.row, column="published") from None
        if start > today:
            raise InputError(f"'{s.published}' is in the future", file=s_w, row=s.row, column="published")
        if accessed is not None and start > accessed:
            raise InputError(f"'{s.published}' is after the date it was read ({s.accessed}): a source is read "
                             "on or after it is published", file=s_w, row=s.row, column="published")


def _date(text: str, w: str, row: int, column: str, today: date) -> date | None:
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise InputError(f"'{text}' is not a date that exists (YYYY-MM-DD)", file=w, row=row, column=column) from None
    if day > today:
        raise InputError(f"{text} is in the future (today is {today.isoformat()})", file=w, row=row, column=column)
    return day


def _check_quote(f: Figure, fail) -> None:
    """An input's value is one of the numbers its own quote prints, or says why not."""
    if f.derived:
        if not quote_prints(f.note, f.value, f.unit, f.decimals):
            raise fail("note", f"a derived value needs the note to say how it was worked out, with the value "
                               f"{f.value:g} itself (the cards print the note)")
        return
    if not f.quote:
        if not f.note:
            raise fail("quote", "is empty: give the source's words that print the value, or say in note why there "
                                "are none")
        return
    if not quote_prints(f.quote, f.value, f.unit, f.decimals):
        found = ", ".join(sorted({_plain_number(n) for n in printed_numbers(f.quote)})[:6]) or "no number"
        raise fail("value", f"{f.value:g} is not a number its quote prints (the quote has {found}): fix the "
                            "typo, or set derived to true and say in note how the value was worked out")


def _plain_number(n) -> str:
    text = format(n.normalize(), "f")
    return text


def row_to_add(table: str, key: str, unit: str = "") -> str:
    """The row an analyst adds for an id another table names, its other cells as <placeholders> (schema order)."""
    spec = BY_NAME.get(table)
    if spec is None:
        return ""
    cells = [key if i == 0 else (unit if f.name == "unit" and unit else f"<{f.name}>") for i, f in enumerate(spec.fields)]
    return f"; add its row: {','.join(cells)}"


DEFINITION_WORDS = {
    "stock": ("累计", "总量", "拥有", "共有", "存量", "年末", "总数"),
    "flow": ("新增", "全年", "当年", "同比", "新培育", "新引进"),
    "actual": ("落地", "完成", "实现", "实际", "到位", "建成", "投产"),
    "planned": ("计划", "拟", "签约", "意向", "目标", "力争", "争取"),
}
"""The words that give away what a figure counts (see :data:`factcheck.schema.MEASURES` and ``BASES``)."""
OPPOSITE = {"stock": "flow", "flow": "stock", "actual": "planned", "planned": "actual"}
DEFINITION_ZH = {"stock": "某一时点的存量", "flow": "一段时间内的流量", "actual": "实际落地的数字", "planned": "计划或签约的数字"}


def _check_definition(ds: Dataset, indicator: str, quote: str, fail) -> None:
    """A figure whose own words say it counts something else than its indicator is refused: joining the
    indicator's series, it would be compared with figures of another definition (落地 555亿元 with 计划 900亿元)."""
    ind = ds.indicators.get(indicator)
    if ind is None:
        return
    for column, declared in (("measure", ind.measure), ("basis", ind.basis)):
        if not declared:
            continue
        other = OPPOSITE[declared]
        said = [w for w in DEFINITION_WORDS[other] if w in quote]
        if said and not any(w in quote for w in DEFINITION_WORDS[declared]):
            raise fail("indicator", f"the quote says {said[0]} ({DEFINITION_ZH[other]}), but indicator '{indicator}' "
                                    f"counts {DEFINITION_ZH[declared]} ({column} {declared} in indicators.csv); give "
                                    f"the figure an indicator of its own definition ({column} {other})")


def _check_figure(ds: Dataset, indicator: str, unit: str, value: float, qualifier: str, fail) -> None:
    if indicator not in ds.indicators:
        raise fail("indicator", f"unknown indicator '{indicator}' (not in indicators.csv)"
                                + row_to_add("indicators", indicator, unit))
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


def _check_claims(ds: Dataset, problems: Problems) -> None:
    w = where(ds.root / "claims.csv")
    before = len(problems.errors)
    for c in ds.claims.values():
        with problems.item():
            _check_claim(ds, c, w)
    if len(problems.errors) > before:
        return  # the checks across claims read every claim's bindings: only once each claim is valid
    with problems.item():
        _check_repeats(ds, w)
    with problems.item():
        _check_cycles(ds, w)
    for c in ds.claims.values():
        if c.statistic and c.check == "formula":
            with problems.item():
                _check_evaluates(ds, c, w)


def _check_claim(ds: Dataset, c: Claim, w: str) -> None:
    known_chapters = chapters.ids()

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
        return
    for column in ("indicator", "unit", "geography", "check"):
        if not getattr(c, column):
            raise fail(column, "is empty, but a statistic needs it")
    if c.value is None:
        raise fail("value", "is empty, but a statistic needs the value its figure prints")
    if c.period is None:
        raise fail("period", "is empty, but a statistic needs the year it describes")
    _check_figure(ds, c.indicator, c.unit, c.value, c.qualifier, fail)
    if c.check != "target":  # a plan is compared with the actual series of its indicator by design
        _check_definition(ds, c.indicator, c.quote, fail)
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


def _check_register(ds: Dataset, problems: Problems, *, claims_valid: bool = True) -> None:
    """The mentions register and the searches refer to things that exist."""
    w = where(ds.root / "mentions.csv")
    before = len(problems.errors)
    for m in ds.mentions:
        with problems.item():
            _check_mention(ds, m, w)
    if claims_valid and len(problems.errors) == before:  # the accounting reads every claim's figure and mention
        for source_id in ds.articles:
            with problems.item():
                _check_accounted(ds, source_id, w)
    s_w = where(ds.root / "searches.csv")
    for s in ds.searches:
        if s.result == "unpublished" and s.source_id not in ds.sources:
            problems.errors.append(InputError("an 'unpublished' result needs the source that says so", file=s_w,
                                              row=s.row, column="source_id"))


def _check_mention(ds: Dataset, m, w: str) -> None:
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


def _check_accounted(ds: Dataset, source_id: str, w: str) -> None:
    """Every number of the article is a claim's figure or a row of mentions.csv: each one missing is a line
    with the row to add (or ``python -m factcheck draft`` proposes them)."""
    missing = unaccounted(ds, source_id)
    errors = []
    for m in missing[:MAX_PROBLEMS]:
        shown = f"'{m.text}'" if len(m.text) <= 20 else f"'{m.text[:20]}…' ({len(m.text):,} characters)"
        row = f"{source_id},{m.offset},{m.text if len(m.text) <= 20 else '…'},,<why it is left out>"
        errors.append(InputError(f"the number {shown} at offset {m.offset} of '{source_id}' is neither a claim nor "
                                 f"in the register; add a claim, or this row with the reason: {row}", file=w))
    if errors:
        raise InputErrors(errors) if len(errors) > 1 else errors[0]


def _check_correction(ds: Dataset, c: Correction) -> None:
    """A correction names a claim of its edition and a change between two verdicts, with a reason a person
    wrote (its date is checked with the others'); whether the latest one matches the verdict now is checked where
    verdicts are known (factcheck.judged)."""
    w = where(ds.root / "corrections.csv")

    def fail(column: str, reason: str, c: Correction = c) -> InputError:
        return InputError(reason, file=w, row=c.row, column=column)

    if not c.claim_id.startswith(f"{c.edition}-"):
        raise fail("edition", f"is {c.edition}, but claim id '{c.claim_id}' says edition {c.claim_id[:4]}")
    # ``before`` is the code of the program at ``base`` (its form is checked by the schema; whether the claim had it
    # there is the verdict diff's to see); ``after`` is today's, so a code of today's vocabulary
    if c.after and c.after not in BY_CODE:
        raise fail("after", f"'{c.after}' is not a verdict code ({', '.join(CODES)}), or empty when the claim no "
                            "longer gets a verdict")
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


# ---- what validation reports without refusing -----------------------------------------------------
def notes(ds: Dataset) -> list[str]:
    """What is valid but probably not meant: an input no claim reads (a typo in its period or place?), a
    binding to a period that has neither an input nor a search record (the claim silently turns 无法核实)."""
    read: set[tuple[str, str, int]] = set()
    out: list[str] = []
    c_w = where(ds.root / "claims.csv")
    for c in ds.claims.values():
        if not c.statistic:
            continue
        read.add((c.indicator, c.geography, int(c.period or c.year)))
        for ref in parse_bindings(c.bindings):
            if ref.kind != "input":
                continue
            for number, period in enumerate(ref.periods):
                key = (ref.target, ref.geography, period.year)
                read.add(key)
                needed = (period.year == c.due) if c.check == "target" else number == 0  # a target: its due year
                if needed and not ds.figures_at(*key) and ds.search_for(*key) is None and not ref.optional:
                    out.append(f"{c_w}, row {c.row}, column 'bindings': '{ref.name}' needs {ref.target} of "
                               f"{ref.geography} for {period.year}, which neither inputs.csv nor searches.csv has; "
                               f"add the figure to inputs.csv, or what you searched to searches.csv: "
                               f"{ref.target},{ref.geography},{period.year},nothing,<what was searched>,"
                               f"{date.today().isoformat()},,")
    drawn = {(c.indicator, place) for ch in chapters.chapters() for c in ch.charts for place in c.places}
    pairs = {(i, g) for i, g, _ in read} | drawn
    unread = [f for f in ds.inputs
              if (f.indicator, f.geography) not in pairs and f.indicator not in chapters.CHART_INDICATORS]
    if unread:
        what = "、".join(dict.fromkeys(f"{f.indicator}@{f.geography}" for f in unread))
        out.append(f"{where(ds.root / 'inputs.csv')}, rows {', '.join(str(f.row) for f in unread)}: no claim reads "
                   f"and no chart draws {what}; if a claim should, check the place and period it binds")
    return out
