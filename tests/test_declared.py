"""Publish only what the data package declares, and only one reading of each text (issue 17).

The one-line refusals of bad data are in the corpus (tests/bad_inputs/cases.yaml, group ``publishing``);
here are the guarantees behind them: the zip holds the declared files and nothing else, a link is never
read, ``book/`` holds nothing undeclared, identifiers in another form are the same identifier, a quote's
numbers are read as an analyst reads them, and the parameters are refused in one line.
"""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

import pytest

from factcheck.errors import InputError
from factcheck.files import read_bytes
from factcheck.params import check_data_dir, check_jobs, check_port
from factcheck.quotes import quote_prints

REPO = Path(__file__).resolve().parent.parent


# ---- the data zip ----------------------------------------------------------------------------------
def test_the_zip_holds_the_declared_files_only(tmp_path):
    from factcheck.load import load
    from factcheck.publish.export import data_zip

    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    secret = tmp_path / "secret.txt"
    secret.write_text("TOKEN=ghp_do_not_publish", encoding="utf-8")
    (data / "stray.txt").write_text("not declared", encoding="utf-8")  # validation refuses it; the zip ignores it
    (data / "articles" / "x.txt").symlink_to(secret)
    dest = data_zip(data, [], tmp_path / "out" / "data.zip")
    with zipfile.ZipFile(dest) as zf:
        names = sorted(zf.namelist())
        content = b"".join(zf.read(n) for n in names)
    declared = sorted(f"jiangmen-factcheck-data/data/{p}" for p in load(data).declared_files())
    assert names == sorted(["jiangmen-factcheck-data/README.txt", *declared])
    assert b"ghp_do_not_publish" not in content and b"not declared" not in content


def test_the_zip_refuses_a_declared_file_that_is_a_link(tmp_path):
    from factcheck.publish.export import data_zip

    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    article = data / "articles" / "jmrb-2023-hightech-zone.txt"
    (tmp_path / "elsewhere.txt").write_bytes(article.read_bytes())
    article.unlink()
    article.symlink_to(tmp_path / "elsewhere.txt")
    with pytest.raises(InputError, match="is a symbolic link"):
        data_zip(data, [], tmp_path / "data.zip")
    assert not (tmp_path / "data.zip").exists()


# ---- reading files ---------------------------------------------------------------------------------
def test_read_bytes_never_follows_a_link_nor_reads_a_pipe(tmp_path):
    target = tmp_path / "target.txt"
    target.write_text("x", encoding="utf-8")
    (tmp_path / "link.txt").symlink_to(target)
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "folder").mkdir()
    (tmp_path / "linked").symlink_to(tmp_path / "folder")
    (tmp_path / "folder" / "inner.txt").write_text("y", encoding="utf-8")
    assert read_bytes(target, root=tmp_path, limit=10) == b"x"
    with pytest.raises(InputError, match="is a symbolic link"):
        read_bytes(tmp_path / "link.txt", root=tmp_path, limit=10)
    with pytest.raises(InputError, match="named pipe"):
        read_bytes(tmp_path / "pipe", root=tmp_path, limit=10)  # and returns at once: O_NONBLOCK
    with pytest.raises(InputError, match="linked: is a symbolic link"):
        read_bytes(tmp_path / "linked" / "inner.txt", root=tmp_path, limit=10)
    with pytest.raises(InputError, match="files over 0 bytes are refused"):
        read_bytes(tmp_path / "folder" / "inner.txt", root=tmp_path, limit=0)


# ---- book/ --------------------------------------------------------------------------------------
def _book_layout(tmp_path: Path):
    from factcheck.publish.layout import Layout

    root = tmp_path / "repo"
    shutil.copytree(REPO / "book", root / "book")
    shutil.copy2(REPO / "_config.yml", root / "_config.yml")
    return Layout(root)


def test_the_real_book_holds_only_declared_files():
    from factcheck.publish.layout import Layout

    Layout().check_book()


@pytest.mark.parametrize(("name", "make", "why"), [
    ("_static/x.css", lambda p: p.symlink_to("/etc/passwd"), "is a symbolic link"),
    ("_static/leak.txt", lambda p: p.write_text("secret", encoding="utf-8"), "is not declared"),
    ("_static/pipe", lambda p: os.mkfifo(p), "is a named pipe"),
    ("notes.md", lambda p: p.write_text("# draft", encoding="utf-8"), "is not declared"),
    ("editions/2022/99_x.ipynb", lambda p: p.symlink_to("../../../.git/config"), "is a symbolic link"),
])
def test_book_refuses_links_pipes_and_undeclared_files(tmp_path, name, make, why):
    layout = _book_layout(tmp_path)
    path = layout.book / name
    path.parent.mkdir(parents=True, exist_ok=True)
    make(path)
    with pytest.raises(InputError, match=why) as err:
        layout.check_book()
    assert str(err.value).startswith(f"{path}") or f"book/{name}" in str(err.value)
    assert "\n" not in str(err.value)


def test_book_ignores_what_a_build_keeps_for_itself(tmp_path):
    layout = _book_layout(tmp_path)
    (layout.book / "editions" / ".2022.staging").mkdir(parents=True)
    (layout.book / "editions" / ".2022.staging" / "00_overview.ipynb").write_text("{}", encoding="utf-8")
    (layout.book / ".index.staging.ipynb").write_text("{}", encoding="utf-8")
    (layout.book / ".ipynb_checkpoints").mkdir()
    (layout.book / ".ipynb_checkpoints" / "index-checkpoint.ipynb").write_text("{}", encoding="utf-8")
    layout.check_book()


# ---- one identifier, one reading -----------------------------------------------------------------
def test_a_place_with_a_trailing_space_is_the_same_place(make_package, judge, tmp_path):
    """A trailing space in an input's geography would turn the check into 未找到 and leave the input unused."""
    root = make_package(tmp_path, claims=[
        {"claim_id": "2022-i", "indicator": "rd_intensity", "value": "9.99", "quote": "占GDP比例达9.99%",
         "formula": "rd / gdp * 100", "bindings": "rd=rd_expenditure@江门高新区@2022; gdp=gdp@江海区@2022"}],
        inputs=[{"indicator": "gdp", "geography": "江海区 ", "value": "302.1"},
                {"indicator": "rd_expenditure", "value": "16.28", "source_id": "other"}])
    assert judge(root, "2022-i")["verdict"] == "inconsistent"


# ---- a quote's numbers ----------------------------------------------------------------------------
@pytest.mark.parametrize(("quote", "value", "unit", "prints"), [
    ("孵化载体7家", 7, "家", True),
    ("孵化载体7家", 8, "家", False),
    ("研发经费16.28亿元", 16.28, "亿元", True),
    ("研发经费162800万元", 16.28, "亿元", True),
    ("研发经费16.3亿元", 16.28, "亿元", False),
    ("常住人口364694人", 36.4694, "万人", True),
    ("常住人口364694人", 36.47, "万人", False),
    ("等六大国家级创新平台", 6, "个", True),
    ("占全市三分之二", 66.6667, "%", True),
    ("reached 7.5 patents per 10,000 people", 7.5, "件/万人", True),
    ("ranked 12th among the 169 Hi-tech Parks", 169, "个", True),
    ("在2.29-2.44之间", 2.44, "%", True),
    ("全国１６９家", 169, "个", True),
    ("2022年增长3%", 2022, "%", False),  # a date is no figure
])
def test_a_quote_prints_its_value(quote, value, unit, prints):
    assert quote_prints(quote, value, unit) is prints


# ---- parameters ---------------------------------------------------------------------------------
@pytest.mark.parametrize("jobs", ["abc", "0", "-1", "٨", "²", "1.5", " 2", "99999"])
def test_jobs_outside_one_to_a_few_times_the_cores_are_refused(jobs):
    with pytest.raises(InputError, match="parameter 'jobs': must be a whole number from 1 to"):
        check_jobs(jobs)


@pytest.mark.parametrize("port", ["²", "٨٠٨٠", "0", "65536", "80a", ""])
def test_ports_are_ascii_numbers_of_a_port(port):
    with pytest.raises(InputError, match="parameter 'port': must be a port number from 1 to 65535"):
        check_port(port)


def test_a_data_folder_on_two_lines_is_refused_in_one():
    with pytest.raises(InputError) as err:
        check_data_dir("da\nta")
    assert "\n" not in str(err.value) and "parameter 'data_dir'" in str(err.value)


def test_a_chapter_id_is_never_a_path(tmp_path):
    from factcheck import chapters

    path = tmp_path / "chapters.yml"
    path.write_text("chapters:\n  - id: x/../../../../../pwned\n    title: 标题\n    intro: 介绍\n", encoding="utf-8")
    with pytest.raises(InputError, match="must be lower-case letters, digits and _"):
        chapters.chapters.__wrapped__(path)


# ---- nothing vanishes unseen -----------------------------------------------------------------------
def test_a_verdict_that_vanishes_is_reported_until_a_correction_says_why(tmp_path, capfd, monkeypatch):
    """kind=name on 2022-pct-growth (an error) dropped it from every count with no correction."""
    import csv

    from factcheck import cli

    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    judged = tmp_path / "judged"
    assert cli.main(["judge", "--data", str(data), "--out", str(judged)]) == 0
    rows = list(csv.reader((data / "claims.csv").open(encoding="utf-8", newline="")))
    header = rows[0]
    for r in rows[1:]:
        if r[0] == "2022-pct-growth":
            r[header.index("kind")] = "name"
            for column in ("value", "decimals", "unit", "indicator", "geography", "period", "check", "formula",
                           "bindings"):
                r[header.index(column)] = ""
    with (data / "claims.csv").open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    capfd.readouterr()
    assert cli.main(["validate", "--data", str(data), "--judged", str(judged)]) == 0
    err = capfd.readouterr().err
    assert "2022-pct-growth had the verdict inconsistent in the last build and is now a name" in err


@pytest.mark.parametrize("value", ["abc", "0", "٨", "-5", "99999999"])
def test_a_bad_cell_timeout_is_one_line(tmp_path, capfd, monkeypatch, value):
    from factcheck import cli

    monkeypatch.setenv("FACTCHECK_CELL_TIMEOUT", value)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["build", "--year", "2022", "--data", str(REPO / "data")]) == 2
    err = capfd.readouterr().err
    assert err.startswith("error: parameter 'FACTCHECK_CELL_TIMEOUT':") and len(err.splitlines()) == 1, err


@pytest.mark.parametrize(("article_origin", "zone_origin", "gdp_place"), [
    ("测试区(江海区)", " 测试区（江海区） ", "江海区"),  # full-width brackets and spaces
    ("江门高新区(江海区)", "江門高新區(江海區)", "江海區"),  # a traditional spelling
], ids=["full-width-brackets", "traditional-spelling"])
def test_another_spelling_of_an_origin_is_the_same_origin(make_package, judge, tmp_path, article_origin, zone_origin,
                                                          gdp_place):
    """江门高新区（江海区）, 江门高新区(江海区) and 江門高新區(江海區) are one origin: another spelling must not make
    the zone's own figure independent."""
    article = {"source_id": "art", "origin": article_origin}
    zone = {"source_id": "zone", "publisher": "区政府", "origin": zone_origin, "title": "工作报告",
            "tier": "1", "covers": "c", "accessed": "2026-11-25"}
    root = make_package(tmp_path, sources=[article, zone], claims=[
        {"claim_id": "2022-i", "indicator": "rd_intensity", "value": "5.39", "quote": "占GDP比例达5.39%",
         "formula": "rd / gdp * 100", "bindings": "rd=rd_expenditure@江门高新区@2022; gdp=gdp@江海区@2022"}],
        inputs=[{"indicator": "gdp", "geography": gdp_place, "value": "302.1"},
                {"indicator": "rd_expenditure", "value": "16.28", "source_id": "zone"}])
    assert judge(root, "2022-i")["verdict"] == "consistent"


def test_the_search_index_holds_no_markup(tmp_path):
    from factcheck.publish.pages import escape_search_index

    (tmp_path / "searchindex.js").write_text('Search.setIndex({"titles":["<img src=x onerror=alert(2)>"]})',
                                             encoding="utf-8")
    escape_search_index(tmp_path)
    assert "<img" not in (tmp_path / "searchindex.js").read_text(encoding="utf-8")


def test_the_diff_summary_links_nothing():
    from factcheck.diff import md

    cell = md("见 www.evil.example 与 $x$、[点击](http://a.b) <b>粗</b>")
    assert "www." not in cell and "\\$x\\$" in cell and "<b>" not in cell and "\\](" in cell


def test_a_data_folder_that_is_a_link_is_refused(tmp_path):
    """Red team F14: the data are read from a folder, never through a link to one."""
    (tmp_path / "real").mkdir()
    (tmp_path / "data").symlink_to(tmp_path / "real")
    with pytest.raises(InputError) as err:
        check_data_dir(tmp_path / "data")
    assert err.value.parameter == "data_dir" and "symbolic link" in str(err.value)


def test_a_chapters_file_that_is_a_link_is_not_read(tmp_path):
    """Red team F14: book/chapters.yml is read without following a link (validate and judge read it before
    the build checks book/)."""
    from factcheck import chapters

    (tmp_path / "secret.yml").write_text("chapters: []\n", encoding="utf-8")
    (tmp_path / "chapters.yml").symlink_to(tmp_path / "secret.yml")
    with pytest.raises(InputError, match="symbolic link"):
        chapters.chapters.__wrapped__(tmp_path / "chapters.yml")
