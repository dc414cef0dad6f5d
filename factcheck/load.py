"""Read a data package into typed records, indexed for look-up; nothing here judges or validates.

:func:`load` reads the CSV tables with the standard library (no pandas: the judged stage and the
no-op build stay light) into :class:`Dataset`. The cross-file rules and the schema checks live in
:mod:`factcheck.validate`, which runs once per build before anything reads the records.

Every data file a process reads is noted in :func:`reads`, so the build learns which files each executed
notebook depends on and re-executes only the notebooks that read a changed file.
"""

from __future__ import annotations

import csv
import functools
import io
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError, where
from .files import check_tree, read_bytes, refuse_links
from .numbers import NumberError, decimals_of, parse_decimal
from .params import check_data_dir
from .schema import BY_NAME

MAX_BYTES = 2_000_000
"""The largest data file or article text read (the real ones are under 50 KB): anything bigger is refused."""
MAX_ROWS = 5_000
"""The most rows a table may have (the real claims table has about 130): a bound on every check's time."""

_READS: dict[Path, None] = {}  # every data file this process has read, in first-read order


def reads() -> list[Path]:
    """The data files (absolute paths) this process has read so far, in first-read order."""
    return list(_READS)


def note_read(path: Path) -> None:
    _READS.setdefault(Path(path).resolve(), None)


INVISIBLE = frozenset(("Cf", "Zl", "Zp", "Co", "Cs", "Cn"))
"""Unicode categories refused in every data file and article: format characters (zero-width spaces and
joiners, bidirectional overrides and isolates, soft hyphens), line and paragraph separators, private-use,
surrogate and unassigned code points. Each makes a text read otherwise than it shows (a right-to-left
override turns 第53位 into 第35位 on screen; a zero-width space splits 16.28 into two numbers)."""


LOOKALIKE = ((0x2E80, 0x2EFF), (0x2F00, 0x2FDF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F))
"""CJK radicals, Kangxi radicals and compatibility ideographs: they show as ordinary characters (⼆⼗ as 二十,
U+F9D1 as 六) but are other code points, so a number written with them escapes the scanner and a name
written with them is another name."""


def invisible(text: str) -> tuple[int, str, str] | None:
    """The first character of ``text`` that reads otherwise than it shows: its offset, itself, and a phrase for
    the message (an invisible or bidirectional control character, or a look-alike of a common character)."""
    import unicodedata

    for offset, ch in enumerate(text):
        if ord(ch) <= 0x7F:
            continue
        if unicodedata.category(ch) in INVISIBLE:
            return offset, ch, "the invisible character"
        if any(lo <= ord(ch) <= hi for lo, hi in LOOKALIKE):
            return offset, ch, f"a look-alike of {unicodedata.normalize('NFKC', ch)},"
    return None


def describe_char(ch: str) -> str:
    import unicodedata

    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed')}"


def decode(data: bytes, path: Path) -> str:
    """UTF-8 text (a byte-order mark dropped) with no invisible or bidirectional control characters."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"is not UTF-8 text (byte 0x{data[exc.start]:02x} on line {line}); save it as UTF-8",
                         file=where(path)) from None
    found = invisible(text)
    if found:
        offset, ch, what = found
        line = text.count("\n", 0, offset) + 1
        raise InputError(f"line {line} holds {what} {describe_char(ch)}, which makes the text read otherwise than "
                         "it shows; delete or retype it", file=where(path))
    return text


def read_text(path: Path, *, root: Path | None = None, what: str = "file") -> str:
    """A UTF-8 text file within :data:`MAX_BYTES`, never through a symbolic link (none between ``root`` and
    it either), noted as read; bad input is one :class:`InputError`."""
    path = Path(path)
    text = decode(read_bytes(path, root=root, limit=MAX_BYTES, what=what), path)
    note_read(path)
    return text


def normal_key(text: str) -> str:
    """One spelling of a name: NFKC (full-width brackets and digits as ASCII), simplified characters (江門 and
    江門高新區 are 江门 and 江门高新区: a traditional spelling must not make a same-origin source independent),
    spaces trimmed and collapsed."""
    import unicodedata

    return " ".join(_simplified(unicodedata.normalize("NFKC", text)).split())


def _simplified(text: str) -> str:
    if text.isascii():
        return text
    from opencc import OpenCC

    return _converter(OpenCC).convert(text)


@functools.cache
def _converter(opencc):
    return opencc("t2s")


# ---- records ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Source:
    source_id: str
    publisher: str
    origin: str
    title: str
    published: str
    url: str
    copy_url: str
    copy_kind: str
    tier: int
    covers: str
    accessed: str
    text_file: str
    text_scope: str
    artefacts: str
    note: str
    row: int
    short_title: str
    placement: str
    asked: str


@dataclass(frozen=True)
class Indicator:
    indicator: str
    name_zh: str
    unit: str
    whole: bool
    minimum: float
    maximum: float
    chapter: str
    headline: bool
    description: str
    review: str = ""  # "draft" until a person has checked the row
    measure: str = ""  # stock, flow or empty
    basis: str = ""  # actual, planned or empty


@dataclass(frozen=True)
class Figure:
    """One figure: an outside input, or an article's statistic (``claim_id`` set)."""

    indicator: str
    geography: str
    period: int
    value: float
    decimals: int
    qualifier: str
    unit: str
    source_id: str
    quote: str
    converted: bool = False
    period_note: str = ""
    note: str = ""
    claim_id: str = ""
    row: int = 0
    derived: bool = False


@dataclass(frozen=True)
class Claim:
    claim_id: str
    year: int
    source_id: str
    chapter: str
    kind: str
    quote: str
    figure: str
    value: float | None
    decimals: int
    qualifier: str
    unit: str
    indicator: str
    geography: str
    period: int | None
    due: int | None
    check: str
    formula: str
    bindings: str
    featured: bool
    note: str
    row: int
    review: str = ""  # "draft" until a person has checked the row

    @property
    def statistic(self) -> bool:
        return self.kind == "statistic"

    def as_figure(self) -> Figure:
        return Figure(self.indicator, self.geography, int(self.period or self.year), float(self.value or 0),
                      self.decimals, self.qualifier, self.unit, self.source_id, self.quote, claim_id=self.claim_id,
                      row=self.row)


@dataclass(frozen=True)
class Mention:
    source_id: str
    offset: int
    mention: str
    claim_id: str
    reason: str
    row: int
    review: str = ""  # "draft" until a person has checked the row


@dataclass(frozen=True)
class Search:
    indicator: str
    geography: str
    period: int
    result: str
    searched: str
    date: str
    source_id: str
    note: str
    row: int


@dataclass(frozen=True)
class Correction:
    """A change to a published verdict: ``before`` (shown as ``before_label``) at commit ``base``, ``after`` now
    ("" when withdrawn)."""

    date: str
    edition: int
    claim_id: str
    before: str
    before_label: str  # the label readers saw at ``base``, in the words of that commit's program
    after: str
    what: str
    why: str
    base: str
    row: int


class Articles(Mapping):
    """The stored article texts by source id, each read (and noted) on first use."""

    def __init__(self, root: Path, sources: Mapping[str, Source]) -> None:
        self._root = root
        self._where = {s.source_id: (root / s.text_file, s.row) for s in sources.values() if s.text_file}
        self._sources_csv = root / "sources.csv"
        self._texts: dict[str, str] = {}

    def __getitem__(self, source_id: str) -> str:
        if source_id not in self._texts:
            path, row = self._where[source_id]
            refuse_links(path, self._root)
            if not path.exists() and not path.is_symlink():
                raise InputError(f"text file '{path.name}' of source '{source_id}' does not exist",
                                 file=where(self._sources_csv), row=row, column="text_file")
            self._texts[source_id] = read_text(path, root=self._root, what="article text")
        return self._texts[source_id]

    def __contains__(self, source_id: object) -> bool:
        return source_id in self._where

    def __iter__(self) -> Iterator[str]:
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)


@dataclass
class Dataset:
    """The tables of a data package, typed, with the look-ups the engine and the pages need."""

    root: Path
    sources: dict[str, Source]
    indicators: dict[str, Indicator]
    inputs: list[Figure]
    claims: dict[str, Claim]
    mentions: list[Mention]
    searches: list[Search]
    corrections: list[Correction]
    articles: Articles
    _index: dict[tuple[str, str, int], list[Figure]] = field(default_factory=dict, repr=False)
    _repeats: dict[str, list[Mention]] = field(default_factory=dict, repr=False)
    _searches: dict[tuple[str, str, int], Search] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        index: dict[tuple[str, str, int], list[Figure]] = defaultdict(list)
        for f in self.figures():
            index[(f.indicator, f.geography, f.period)].append(f)
        self._index = dict(index)
        repeats: dict[str, list[Mention]] = defaultdict(list)
        for m in self.mentions:
            if m.claim_id:
                repeats[m.claim_id].append(m)
        self._repeats = dict(repeats)
        self._searches = {(s.indicator, s.geography, s.period): s for s in self.searches}

    @property
    def years(self) -> list[int]:
        """Editions: the years that have claims."""
        return sorted({c.year for c in self.claims.values()})

    def require_year(self, year: int) -> None:
        if year not in self.years:
            raise InputError(f"no claims for year {year}; years available: {', '.join(map(str, self.years))}",
                             parameter="year")

    def claims_for(self, year: int) -> list[Claim]:
        return [c for c in self.claims.values() if c.year == year]

    def figures(self) -> list[Figure]:
        """Every figure: the outside inputs, then the statistics the articles print (typed once, in claims)."""
        stated = [c.as_figure() for c in self.claims.values()
                  if c.statistic and c.check in ("stated", "formula") and c.value is not None]
        return [*self.inputs, *stated]

    def figures_at(self, indicator: str, geography: str, period: int) -> list[Figure]:
        return self._index.get((indicator, geography, period), [])

    def figures_of(self, indicator: str) -> list[Figure]:
        return [f for key, fs in self._index.items() if key[0] == indicator for f in fs]

    def declared_files(self) -> list[str]:
        """The files of the data package, relative to its folder: the descriptor, the tables it declares and
        the article texts ``sources.csv`` names. Nothing else under the folder is read or published."""
        return declared(s.text_file for s in self.sources.values())

    def search_for(self, indicator: str, geography: str, period: int) -> Search | None:
        return self._searches.get((indicator, geography, period))

    def repeats_of(self, claim_id: str) -> list[Mention]:
        """The article's other mentions of a claim's figure (``mentions.csv`` rows naming the claim)."""
        return self._repeats.get(claim_id, [])


def declared(text_files: Iterable[str]) -> list[str]:
    from .schema import TABLES

    return ["datapackage.json", *(t.path for t in TABLES), *sorted({f for f in text_files if f})]


def declared_files(root: Path) -> list[str]:
    """:meth:`Dataset.declared_files` of a package validated before, read from ``sources.csv`` alone."""
    return declared(r["text_file"] for r in read_rows(root, "sources"))


def check_declared(root: Path, names: Iterable[str]) -> None:
    """Nothing under the data folder but the declared files: no link, pipe or device, no stray file."""
    check_tree(root, set(names).__contains__,
               how=" (the data package is datapackage.json, its tables and the article texts sources.csv names)")


# ---- reading ------------------------------------------------------------------------------------
def read_rows(root: Path, table: str) -> list[dict[str, str]]:
    """The rows of ``root/<table>.csv`` as dicts of text (header checked), each with its spreadsheet row."""
    path = root / f"{table}.csv"
    text = read_text(path, root=root)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        records = list(reader)
    except csv.Error as exc:
        raise InputError(f"malformed CSV: {exc}", file=where(path), row=reader.line_num) from None
    expected = BY_NAME[table].header
    if not records:
        raise InputError(f"is empty; its first line must be the header {','.join(expected)}", file=where(path))
    header = records[0]
    if header != expected:
        missing = [n for n in expected if n not in header]
        raise InputError(f"the header is not {','.join(expected)}" + (f" ('{missing[0]}' is missing)" if missing else ""),
                         file=where(path), row=1)
    if len(records) - 1 > MAX_ROWS:
        raise InputError(f"has {len(records) - 1:,} rows; tables over {MAX_ROWS:,} rows are refused", file=where(path))
    rows = []
    for number, record in enumerate(records[1:], start=2):
        if len(record) != len(header):
            raise InputError(f"has {len(record)} cells but the header has {len(header)} columns", file=where(path),
                             row=number)
        rows.append({**dict(zip(header, record, strict=True)), "_row": str(number)})
    return rows


class _Cells:
    """Typed access to one row's cells; a bad cell is an :class:`InputError` naming file, row and column."""

    def __init__(self, path: Path, row: dict[str, str]) -> None:
        self.path, self.cells, self.row = path, row, int(row["_row"])

    def text(self, column: str) -> str:
        return self.cells[column]

    def key(self, column: str) -> str:
        """A cell that identifies something (a publisher, an origin, a place, an indicator), compared with
        other rows: in Unicode normal form (NFKC: full-width brackets and digits as ASCII), its spaces trimmed
        and collapsed, so that 江门高新区（江海区） and 江门高新区(江海区) are one origin, and 江海区 with a
        trailing space is still 江海区."""
        return normal_key(self.cells[column])

    def fail(self, column: str, reason: str) -> InputError:
        return InputError(reason, file=where(self.path), row=self.row, column=column)

    def number(self, column: str) -> float | None:
        text = self.cells[column]
        if text == "":
            return None
        try:
            return parse_decimal(text)
        except NumberError as exc:
            raise self.fail(column, str(exc)) from None

    def integer(self, column: str) -> int | None:
        text = self.cells[column]
        if text == "":
            return None
        if not text.isascii() or not text.isdigit() or len(text) > 9:
            raise self.fail(column, f"'{text}' is not a whole number (digits 0-9)")
        return int(text)

    def boolean(self, column: str) -> bool:
        text = self.cells[column].lower()
        if text not in ("true", "false", ""):
            raise self.fail(column, f"'{self.cells[column]}' is not true or false")
        return text == "true"

    def decimals(self, value_column: str = "value") -> int:
        given = self.integer("decimals")
        return given if given is not None else decimals_of(self.cells[value_column])


def load(data_dir: str | Path) -> Dataset:
    """Read every table of ``data_dir``; article texts are read when first used."""
    root = check_data_dir(data_dir)

    def cells(table: str) -> list[_Cells]:
        return [_Cells(root / f"{table}.csv", r) for r in read_rows(root, table)]

    sources = {}
    for c in cells("sources"):
        sources[c.text("source_id")] = Source(
            c.text("source_id"), c.key("publisher"), c.key("origin"), c.text("title"), c.text("published"), c.text("url"),
            c.text("copy_url"), c.text("copy_kind"), c.integer("tier") or 0, c.text("covers"), c.text("accessed"),
            c.text("text_file"), c.text("text_scope"), c.text("artefacts"), c.text("note"), c.row,
            c.text("short_title"), c.text("placement"), c.text("asked"))
    indicators = {}
    for c in cells("indicators"):
        lo, hi = c.number("minimum"), c.number("maximum")
        indicators[c.key("indicator")] = Indicator(
            c.key("indicator"), c.text("name_zh"), c.text("unit"), c.boolean("whole"),
            -math.inf if lo is None else lo, math.inf if hi is None else hi, c.text("chapter"),
            c.boolean("headline"), c.text("description"), c.text("review"), c.text("measure"), c.text("basis"))
    inputs = []
    for c in cells("inputs"):
        value, period = c.number("value"), c.integer("period")
        if value is None:
            raise c.fail("value", "is empty, but a value is required")
        if period is None:
            raise c.fail("period", "is empty, but a period is required")
        inputs.append(Figure(
            c.key("indicator"), c.key("geography"), period, value, c.decimals(), c.text("qualifier") or "=",
            c.text("unit"), c.text("source_id"), c.text("quote"), c.boolean("converted"), c.text("period_note"),
            c.text("note"), row=c.row, derived=c.boolean("derived")))
    claims = {}
    for c in cells("claims"):
        year = c.integer("year")
        if year is None:
            raise c.fail("year", "is empty, but a year is required")
        claims[c.text("claim_id")] = Claim(
            c.text("claim_id"), year, c.text("source_id"), c.text("chapter"), c.text("kind"), c.text("quote"),
            c.text("figure"), c.number("value"), c.decimals() if c.text("value") else 0, c.text("qualifier") or "=",
            c.text("unit"), c.key("indicator"), c.key("geography"), c.integer("period"), c.integer("due"),
            c.text("check"), c.text("formula"), c.key("bindings"), c.boolean("featured"), c.text("note"), c.row,
            c.text("review"))
    mentions = [Mention(c.text("source_id"), c.integer("offset") or 0, c.text("mention"), c.text("claim_id"),
                        c.text("reason"), c.row, c.text("review")) for c in cells("mentions")]
    searches = [Search(c.key("indicator"), c.key("geography"), c.integer("period") or 0, c.text("result"),
                       c.text("searched"), c.text("date"), c.text("source_id"), c.text("note"), c.row)
                for c in cells("searches")]
    corrections = [Correction(c.text("date"), c.integer("edition") or 0, c.text("claim_id"), c.text("before"),
                              c.text("before_label"), c.text("after"), c.text("what"), c.text("why"), c.text("base"), c.row)
                   for c in cells("corrections")]
    return Dataset(root, sources, indicators, inputs, claims, mentions, searches, corrections,
                   Articles(root, sources))
