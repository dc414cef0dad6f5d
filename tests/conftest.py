"""Shared fixtures: build small, hand-made data packages whose verdicts are known.

The main helper is the ``make_package`` fixture::

    def test_something(make_package, judge, tmp_path):
        root = make_package(
            tmp_path,
            claims=[
                {"claim_id": "2022-rd", "indicator": "rd_expenditure", "value": "16.28",
                 "quote": "研发经费16.28亿元"},
                {"claim_id": "2022-intensity", "indicator": "rd_intensity", "value": "5.39",
                 "formula": "rd / gdp * 100",
                 "bindings": "rd=claim:2022-rd; gdp=gdp@江海区@2022"},
            ],
            inputs=[{"indicator": "gdp", "geography": "江海区", "period": 2022, "value": "302.1"}],
        )
        assert judge(root, "2022-intensity")["verdict"] == "consistent"  # the article's own 16.28

What ``make_package(tmp_path, claims=..., inputs=..., indicators=..., sources=..., article=...)`` does:

* creates a fresh folder under ``tmp_path`` (``pkg1``, ``pkg2``, … so a test may build several) and
  copies the *current* ``data/datapackage.json`` into it, so the schemas are always the project's own;
* writes ``sources.csv``, ``indicators.csv``, ``inputs.csv`` and ``claims.csv`` whose headers are the
  field names of the copied schema (so the fixture follows schema changes);
* writes the article text file(s) and returns the folder (a :class:`pathlib.Path`), ready for
  ``factcheck.validate.validate``.

Rows are dicts; every value is written with ``str()`` (``None`` → empty cell). Pass numbers as
**strings** whenever the printed precision matters: ``"5.70"`` has two decimals, ``5.7`` only one.
Missing cells are filled with sensible defaults:

claims
    ``year`` 2022 · ``source_id`` ``"art"`` (the article) · ``qualifier`` ``=`` · ``geography``
    ``江门高新区`` · ``period`` = ``year`` · ``unit`` and ``chapter`` from the indicator ·
    ``figure`` = ``value`` · ``quote`` = ``figure`` · ``check`` ``formula`` when a formula is given,
    else ``stated`` · everything else empty. ``claim_id`` defaults to ``{year}-c{n}``.
inputs
    ``source_id`` ``"stats"`` (an outside source, independent of the article) · ``qualifier`` ``=`` ·
    ``geography`` ``江门高新区`` · ``period`` 2022 · ``unit`` from the indicator · the rest empty.
indicators
    :data:`DEFAULT_INDICATORS` (``patents``, ``patents_growth``, ``rd_expenditure``, ``gdp``,
    ``rd_intensity``, ``share``, ``multiple``, ``population``, ``per10k``, ``rank``, ``areas``,
    ``enterprises``, ``event_year``). Rows you pass are *added*, replacing a default of the same id;
    missing cells default to ``whole=false``, no bounds, chapter ``rd``, ``headline=false``.
sources
    :data:`DEFAULT_SOURCES`: ``art`` (测试日报, the checked article, ``articles/art.txt``), ``stats``
    (统计局, no text file) and ``other`` (另一家报纸, no text file). Rows you pass are added or
    replace a default of the same id.

Article text: by default every source with a ``text_file`` gets a file holding every quote of the
claims and inputs sourced to it (one per line), so quotes are always found; for the default ``art``
that is ``articles/art.txt``. Pass ``article="..."`` to write exactly that text for ``art`` instead
(e.g. to test a quote that is *not* in the article), and ``articles={"art2": "..."}`` to give the
text of any source (written to its ``text_file``, or to ``articles/<id>.txt`` when it has none).
To test a missing text file, delete it from the returned folder.

For bad-input tests:

* ``defaults=False`` drops the default indicators and sources, so only your rows are written;
* ``fill=False`` writes rows exactly as given (missing cells stay empty, no derived defaults);
* ``headers={"claims": [...]}`` overrides a file's header (to drop, rename or add a column; keys of
  rows that are not in the header are otherwise rejected, to catch typos);
* ``raw={"claims.csv": "text"}`` writes a file verbatim after everything else;
* ``datapackage=callable`` receives the parsed ``datapackage.json`` dict and may edit it in place.

Every number of an article that is not a claim's figure is registered in ``mentions.csv`` with a reason
(``register=False`` leaves them out; ``mentions=[...]`` adds rows of your own).

Two more fixtures use a package: ``load_package(root)`` → the validated :class:`factcheck.load.Dataset`
and ``judge(root, claim_id)`` → the claim as the judged file holds it (a dict). All three are
session-scoped plain callables, so module-scoped fixtures may use them too (with
``tmp_path_factory.mktemp(...)`` as the folder).
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
REAL_DATA = REPO / "data"

RESOURCES = ("sources", "indicators", "inputs", "claims", "mentions", "searches", "corrections")

ARTICLE_SOURCE = "art"
"""The id of the default checked article."""

DEFAULT_SOURCES: list[dict] = [
    {"source_id": "art", "publisher": "测试日报", "origin": "测试区", "title": "测试文章", "published": "2023",
     "url": "", "copy_url": "", "copy_kind": "", "tier": "1", "covers": "被核查的文章", "accessed": "2026-11-25",
     "text_file": "articles/art.txt", "text_scope": "full", "artefacts": "", "note": ""},
    {"source_id": "stats", "publisher": "统计局", "origin": "统计局", "title": "统计公报", "published": "2023",
     "url": "https://example.org/stats", "copy_url": "", "copy_kind": "", "tier": "1", "covers": "外部统计数据",
     "accessed": "2026-11-25", "text_file": "", "text_scope": "", "artefacts": "", "note": ""},
    {"source_id": "other", "publisher": "另一家报纸", "origin": "另一家报纸", "title": "另一篇报道", "published": "2023",
     "url": "", "copy_url": "", "copy_kind": "", "tier": "2", "covers": "另一来源", "accessed": "2026-11-25",
     "text_file": "", "text_scope": "", "artefacts": "", "note": ""},
]

#: id, name_zh, unit, whole, minimum, maximum, chapter
DEFAULT_INDICATORS: list[dict] = [
    {"indicator": i, "name_zh": n, "unit": u, "whole": w, "minimum": lo, "maximum": hi, "chapter": ch,
     "headline": "false", "description": ""}
    for i, n, u, w, lo, hi, ch in [
        ("patents", "专利授权量", "件", "true", "0", "", "ip"),
        ("patents_growth", "专利授权量同比增长", "%", "false", "-100", "", "ip"),
        ("rd_expenditure", "研发经费支出", "亿元", "false", "0", "", "rd"),
        ("gdp", "地区生产总值", "亿元", "false", "0", "", "rd"),
        ("rd_intensity", "研发投入强度", "%", "false", "0", "100", "rd"),
        ("share", "占全市比重", "%", "false", "0", "100", "ip"),
        ("multiple", "为全国平均的倍数", "倍", "false", "0", "", "ip"),
        ("population", "常住人口", "万人", "false", "0", "", "ip"),
        ("per10k", "每万人口拥有量", "件/万人", "false", "0", "", "ip"),
        ("rank", "综合排名", "位", "true", "1", "", "ranking"),
        ("areas", "领域数", "个", "true", "1", "", "ranking"),
        ("enterprises", "高新技术企业", "家", "true", "0", "", "enterprises"),
        ("event_year", "事件年份", "年", "true", "1900", "2100", "ranking"),
    ]
]


def _text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def _merge(defaults: list[dict], given: Iterable[dict], key: str) -> list[dict]:
    rows = {d[key]: dict(d) for d in defaults}
    for g in given:
        rows[g[key]] = {**rows.get(g[key], {}), **g}
    return list(rows.values())


def _fill_claim(row: dict, n: int, indicators: dict[str, dict]) -> dict:
    r = dict(row)
    year = int(r.get("year", 2022))
    r.setdefault("year", year)
    r.setdefault("claim_id", f"{year}-c{n}")
    r.setdefault("source_id", ARTICLE_SOURCE)
    ind = indicators.get(r.get("indicator", ""), {})
    r.setdefault("chapter", ind.get("chapter") or "rd")
    r.setdefault("unit", ind.get("unit", ""))
    r.setdefault("figure", _text(r.get("value", "")))
    r.setdefault("quote", _text(r["figure"]))
    r.setdefault("qualifier", "=")
    r.setdefault("geography", "江门高新区")
    r.setdefault("kind", "statistic")
    if r["kind"] == "statistic":
        r.setdefault("period", year)
        r.setdefault("check", "target" if r.get("due") else "formula" if r.get("formula") else "stated")
    else:
        for column in ("unit", "geography", "qualifier"):
            r.pop(column, None)
    return r


def _fill_input(row: dict, indicators: dict[str, dict]) -> dict:
    r = dict(row)
    ind = indicators.get(r.get("indicator", ""), {})
    r.setdefault("geography", "江门高新区")
    r.setdefault("period", 2022)
    r.setdefault("qualifier", "=")
    r.setdefault("unit", ind.get("unit", ""))
    r.setdefault("source_id", "stats")
    if r.get("value") not in (None, ""):
        r.setdefault("quote", f"数值为{_text(r['value'])}{r['unit']}")  # an input's quote prints its value
    return r


def _fill_indicator(row: dict) -> dict:
    r = dict(row)
    r.setdefault("name_zh", r.get("indicator", ""))
    r.setdefault("whole", "false")
    r.setdefault("chapter", "rd")
    r.setdefault("headline", "false")
    return r


def _write_csv(path: Path, header: list[str], rows: list[dict]) -> None:
    for r in rows:
        unknown = sorted(set(r) - set(header))
        if unknown:
            raise ValueError(f"{path.name}: column(s) {unknown} are not in the header {header} "
                             "(pass headers={...} to add them)")
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            w.writerow([_text(r.get(col)) for col in header])


def build_package(
    tmp_path: Path,
    claims: Iterable[dict] = (),
    inputs: Iterable[dict] = (),
    indicators: Iterable[dict] = (),
    sources: Iterable[dict] = (),
    article: str | None = None,
    *,
    articles: dict[str, str] | None = None,
    defaults: bool = True,
    fill: bool = True,
    headers: dict[str, list[str]] | None = None,
    raw: dict[str, str] | None = None,
    datapackage: Callable[[dict], None] | None = None,
    mentions: Iterable[dict] = (),
    register: bool = True,
) -> Path:
    """Write a small data package under ``tmp_path`` and return its folder (see the module docstring)."""
    tmp_path = Path(tmp_path)
    n = 1
    while (tmp_path / f"pkg{n}").exists():
        n += 1
    root = tmp_path / f"pkg{n}"
    (root / "articles").mkdir(parents=True)

    package = json.loads((REAL_DATA / "datapackage.json").read_text(encoding="utf-8"))
    if datapackage is not None:
        datapackage(package)
    (root / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False, indent=1), encoding="utf-8")
    schema_header = {res["name"]: [f["name"] for f in res["schema"]["fields"]] for res in package["resources"]}
    header = {name: list((headers or {}).get(name, schema_header.get(name, []))) for name in RESOURCES}

    indicator_rows = _merge(DEFAULT_INDICATORS if defaults else [], indicators, "indicator")
    source_rows = _merge(DEFAULT_SOURCES if defaults else [], sources, "source_id")
    claim_rows, input_rows = list(claims), list(inputs)
    if fill:
        indicator_rows = [_fill_indicator(r) for r in indicator_rows]
        by_id = {r["indicator"]: r for r in indicator_rows}
        claim_rows = [_fill_claim(r, i, by_id) for i, r in enumerate(claim_rows, start=1)]
        input_rows = [_fill_input(r, by_id) for r in input_rows]

    _write_csv(root / "sources.csv", header["sources"], source_rows)
    _write_csv(root / "indicators.csv", header["indicators"], indicator_rows)
    _write_csv(root / "inputs.csv", header["inputs"], input_rows)
    _write_csv(root / "claims.csv", header["claims"], claim_rows)
    _write_csv(root / "mentions.csv", header["mentions"], list(mentions))
    _write_csv(root / "searches.csv", header["searches"], [])
    _write_csv(root / "corrections.csv", header["corrections"], [])

    texts = dict(articles or {})
    if article is not None:
        texts[ARTICLE_SOURCE] = article
    text_files = {r.get("source_id"): r.get("text_file") for r in source_rows}
    for sid, rel in text_files.items():
        if rel and sid not in texts:  # every stored text defaults to the quotes sourced to it
            quotes = [_text(r.get("quote")) for r in claim_rows + input_rows
                      if r.get("source_id") == sid and r.get("quote")]
            texts[sid] = "测试文章。\n" + "\n".join(quotes) + "\n"
    for sid, text in texts.items():
        rel = text_files.get(sid) or f"articles/{sid}.txt"
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")

    if fill and register:
        _register_mentions(root, header["mentions"])
    for name, text in (raw or {}).items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def _register_mentions(root: Path, header: list[str]) -> None:
    """Every number of a test article that is not a claim's figure goes to mentions.csv, with a reason,
    so a package is valid unless a test means otherwise (``register=False``)."""
    from factcheck.errors import InputError
    from factcheck.load import load
    from factcheck.register import unaccounted

    try:
        ds = load(root)
    except InputError:
        return  # a package meant to be bad: the test sees the error itself
    rows = [{"source_id": sid, "offset": m.offset, "mention": m.text, "reason": "测试文本中的其他数字"}
            for sid in ds.articles for m in unaccounted(ds, sid)]
    if rows:
        existing = list(csv.DictReader((root / "mentions.csv").open(encoding="utf-8")))
        _write_csv(root / "mentions.csv", header, existing + rows)


@pytest.fixture(name="make_package", scope="session")
def make_package_fixture():
    """``make_package(tmp_path, claims=[...], inputs=[...], indicators=[...], sources=[...], article=...)``."""
    return build_package


@pytest.fixture(scope="session")
def load_package():
    """``load_package(root)``: validate the package at ``root`` and return its records."""
    from factcheck.validate import validate

    return validate


@pytest.fixture(scope="session")
def judge():
    """``judge(root, claim_id)``: validate the package at ``root``, judge its editions as the judged stage
    does, and return that claim as the judged file holds it (a dict with ``verdict``, ``label``, ``why``,
    ``steps``, ``candidates``, ``readings`` …; a name, ordinal, award or date comes from the register)."""
    from factcheck.judged import edition, judge_all
    from factcheck.validate import validate

    def _judge(root: Path, claim_id: str) -> dict:
        ds = validate(root)
        doc = edition(ds, judge_all(ds), ds.claims[claim_id].year)
        for j in doc["claims"] + doc["register"]:
            if j["claim_id"] == claim_id:
                return j
        raise KeyError(claim_id)

    return _judge


@pytest.fixture(scope="session", autouse=True)
def _second_worker_builds_ahead(request, tmp_path_factory):
    """With xdist workers running the slow tests, the first worker's first test builds the shared reference
    book; the others would wait for it. They build the other shared books meanwhile: the second the rebuild
    the determinism and offline tests compare, a third the hostile book."""
    slow = any(item.get_closest_marker("slow") or item.get_closest_marker("browser")
               for item in request.session.items)
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if slow and worker == "gw1":
        from buildcopies import rebuilt

        rebuilt(tmp_path_factory)
    elif slow and worker == "gw2":  # with a third worker: the hostile book
        from browser.test_hostile import make_hostile
        from buildcopies import once

        once(tmp_path_factory, "hostile-build", make_hostile)


@pytest.fixture(scope="session")
def repo_judged(tmp_path_factory) -> Path:
    """The project's own data package, validated and judged once per session into a folder of its own (read it,
    do not change it)."""
    from factcheck.judged import write_all
    from factcheck.validate import validate

    out = tmp_path_factory.mktemp("repo-judged")
    write_all(validate(Path(__file__).resolve().parent.parent / "data"), out)
    return out
