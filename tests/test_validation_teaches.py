"""Validation that teaches: every problem at once, grouped by file, each with its fix (issue 16)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from factcheck import cli

REPO = Path(__file__).resolve().parent.parent


def _edit(path: Path, edit) -> None:
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    edit(rows)
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def test_every_problem_at_once_grouped_by_file_with_the_row_to_add(tmp_path, capfd):
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)

    def inputs(rows):
        header = rows[0]
        for r in rows[1:]:
            if r[0] == "incubators_nat_prov":
                r[header.index("value")] = "8"
            if r[0] == "national_platforms":
                r[header.index("value")] = "7"
    _edit(data / "inputs.csv", inputs)
    _edit(data / "claims.csv", lambda rows: rows[5].__setitem__(rows[0].index("chapter"), "nochapter"))
    with (data / "articles" / "jmrb-2023-hightech-zone.txt").open("a", encoding="utf-8") as fh:
        fh.write("又有77家。\n")
    capfd.readouterr()
    assert cli.main(["validate", "--data", str(data)]) == 2
    lines = capfd.readouterr().err.splitlines()
    assert len(lines) == 3 and all(line.startswith("error: ") for line in lines), lines
    assert [line.split(":")[1].strip().split(",")[0] for line in lines] == [
        f"{data}/inputs.csv", f"{data}/inputs.csv", f"{data}/claims.csv"]
    assert "row 35, column 'value': 8 is not a number its quote prints" in lines[0]
    assert "row 37, column 'value': 7 is not a number its quote prints" in lines[1]
    assert "'nochapter' is not a chapter of book/chapters.yml" in lines[2]
    # once the claims are valid, the article's unregistered number is named with the row to add
    _edit(data / "claims.csv", lambda rows: rows[5].__setitem__(rows[0].index("chapter"), "ranking"))
    assert cli.main(["validate", "--data", str(data)]) == 2
    lines = capfd.readouterr().err.splitlines()
    assert lines[-1].endswith("add a claim, or this row with the reason: jmrb-2023,5545,77,,<why it is left out>")


def test_an_unknown_indicator_is_told_the_row_to_add(tmp_path, capfd):
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    _edit(data / "inputs.csv", lambda rows: rows[1].__setitem__(0, "brand_new_indicator"))
    capfd.readouterr()
    assert cli.main(["validate", "--data", str(data)]) == 2
    err = capfd.readouterr().err
    assert "unknown indicator 'brand_new_indicator' (not in indicators.csv); add its row: brand_new_indicator," in err


def test_a_figure_of_another_definition_cannot_join_a_series(make_package, tmp_path, capfd):
    """落地 555亿元 and 计划 900亿元 are not one series: a figure whose own words say planned is refused from an
    indicator defined as actual, and a 新增 count from a stock indicator."""
    from factcheck.errors import InputError
    from factcheck.validate import validate

    indicators = [{"indicator": "landed", "name_zh": "落地项目投资额", "unit": "亿元", "basis": "actual"},
                  {"indicator": "firms", "name_zh": "高新技术企业（存量）", "unit": "家", "whole": "true",
                   "measure": "stock"}]
    ok = make_package(tmp_path, indicators=indicators, claims=[
        {"claim_id": "2022-a", "indicator": "landed", "value": "555", "quote": "555亿元项目落地生根"},
        {"claim_id": "2022-b", "indicator": "firms", "value": "700", "quote": "拥有高新技术企业700家"}])
    validate(ok)
    for quote, indicator, value, said in (("计划投资900亿元", "landed", "900", "the quote says 计划"),
                                          ("新增高新技术企业120家", "firms", "120", "the quote says 新增")):
        root = make_package(tmp_path, indicators=indicators, claims=[
            {"claim_id": "2025-x", "year": "2025", "indicator": indicator, "value": value, "quote": quote}])
        try:
            validate(root)
        except InputError as exc:
            assert said in str(exc) and "give the figure an indicator of its own definition" in str(exc), exc
        else:
            raise AssertionError(f"{quote} joined the series of {indicator}")
