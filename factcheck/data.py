"""Load the data package and refuse anything invalid, naming file, row, column and reason.

Two layers of checks run on every load:

1. the Frictionless schemas of ``datapackage.json`` (types, required fields, primary keys, allowed
   units and qualifiers);
2. the cross-file rules that a schema cannot express: every id resolves, units agree with the
   indicator's unit, counts are whole and non-negative, shares stay within 100 %, every quote is found
   verbatim in its stored article, every formula is bound.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .bindings import Reference, parse_bindings
from .errors import InputError
from .precision import decimals_of

RESOURCES = ("sources", "indicators", "inputs", "claims")


@dataclass
class Dataset:
    """The validated tables, plus the files that were read to make them."""

    root: Path
    sources: pd.DataFrame
    indicators: pd.DataFrame
    inputs: pd.DataFrame
    claims: pd.DataFrame
    articles: dict[str, str]
    files_read: list[Path] = field(default_factory=list)

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


def load(data_dir: str | Path) -> Dataset:
    """Read and validate ``data_dir``; raise :class:`InputError` on the first problem."""
    root = Path(data_dir)
    package = root / "datapackage.json"
    if not root.is_dir():
        raise InputError(f"data folder {root} does not exist", parameter="data_dir")
    if not package.is_file():
        raise InputError("missing datapackage.json (the schemas every run validates)", file=str(package))
    _validate_schemas(package)
    tables = {name: _read(root / f"{name}.csv") for name in RESOURCES}
    files = [package] + [root / f"{name}.csv" for name in RESOURCES]
    sources = tables["sources"].set_index("source_id", drop=False)
    indicators = tables["indicators"].set_index("indicator", drop=False)
    articles: dict[str, str] = {}
    for _, src in sources.iterrows():
        if src["text_file"]:
            path = root / src["text_file"]
            if not path.is_file():
                raise InputError(
                    f"text file '{src['text_file']}' of source '{src['source_id']}' does not exist",
                    file=_rel(root / "sources.csv"), row=int(src["_row"]), column="text_file",
                )
            articles[src["source_id"]] = path.read_text(encoding="utf-8")
            files.append(path)
    ds = Dataset(
        root=root,
        sources=sources,
        indicators=_typed_indicators(indicators),
        inputs=_typed_figures(tables["inputs"], root / "inputs.csv"),
        claims=_typed_figures(tables["claims"], root / "claims.csv"),
        articles=articles,
        files_read=files,
    )
    _cross_check(ds)
    return ds


def _rel(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _validate_schemas(package: Path) -> None:
    from frictionless import Package, system

    with system.use_context(trusted=True):
        report = Package(str(package)).validate()
    if report.valid:
        return
    for task in report.tasks:
        for error in task.errors:
            row = getattr(error, "row_number", None)
            column = getattr(error, "field_name", None)
            raise InputError(
                f"{error.title}: {error.note}", file=_rel(Path(task.place)) if task.place else str(package),
                row=row, column=column,
            )
    raise InputError(report.errors[0].message if report.errors else "invalid data package", file=str(package))


def _read(path: Path) -> pd.DataFrame:
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
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
                    f"({ind['unit']}); convert the value", file=where, row=row, column="unit")
            value = r["value"]
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
