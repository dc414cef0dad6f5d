"""A new year needs data only: an edition for a year that exists only in a temporary data folder builds."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

ARTICLE = "示例日报2031年报道:江门高新区2030年国家高新技术企业超750家,专利授权量3500件,同比增长10.00%。\n"


def _append(path: Path, row: dict) -> None:
    with path.open(encoding="utf-8") as f:
        header = next(csv.reader(f))
    with path.open("a", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerow([row.get(h, "") for h in header])


def make_year_2030(data: Path) -> None:
    (data / "articles" / "example-2031.txt").write_text(ARTICLE, encoding="utf-8")
    _append(data / "sources.csv", {
        "source_id": "example-2031", "publisher": "示例日报", "title": "测试用报道", "published": "2031-02-01",
        "url": "https://example.org/2031", "covers": "2030年测试数据", "accessed": "2031-02-02",
        "text_file": "articles/example-2031.txt"})
    base = {"year": "2030", "source_id": "example-2031", "geography": "江门高新区", "period": "2030"}
    _append(data / "claims.csv", {**base, "claim_id": "2030-hte", "chapter": "enterprises",
                                  "quote": "国家高新技术企业超750家", "figure": "750", "value": "750",
                                  "qualifier": ">", "unit": "家", "indicator": "high_tech_enterprises",
                                  "check": "stated"})
    _append(data / "claims.csv", {**base, "claim_id": "2030-granted", "chapter": "ip",
                                  "quote": "专利授权量3500件", "figure": "3500", "value": "3500", "qualifier": "=",
                                  "unit": "件", "indicator": "patents_granted", "check": "stated"})
    _append(data / "claims.csv", {**base, "claim_id": "2030-granted-growth", "chapter": "ip",
                                  "quote": "专利授权量3500件,同比增长10.00%", "figure": "10.00", "value": "10.00",
                                  "qualifier": "=", "unit": "%", "indicator": "patents_granted_growth",
                                  "check": "formula", "formula": "(cur / prev - 1) * 100",
                                  "bindings": "cur=claim:2030-granted; prev=patents_granted@江门高新区@2029"})


@pytest.fixture(scope="module")
def repo_copy(tmp_path_factory) -> Path:
    """A copy of the repository with an extra year in its own data folder outside the repository."""
    tmp = tmp_path_factory.mktemp("edition")
    repo = tmp / "repo"
    ignore = shutil.ignore_patterns(".venv", "_build", ".git", ".pytest_cache", "node_modules", "__pycache__")
    shutil.copytree(ROOT, repo, ignore=ignore)
    data = tmp / "my-data"
    shutil.copytree(ROOT / "data", data)
    make_year_2030(data)
    return repo


def test_verdicts_for_a_year_that_only_exists_in_a_temporary_folder(repo_copy: Path) -> None:
    from factcheck.data import load
    from factcheck.engine import judge_year

    ds = load(repo_copy.parent / "my-data")
    verdicts = {j.claim_id: j.verdict for j in judge_year(ds, 2030)}
    # 3500 / 1.1000 = 3181.8: no whole base gives 10.00 % (3181 gives 10.03 %, 3182 gives 9.99 %)
    assert verdicts == {"2030-hte": "stated", "2030-granted": "stated", "2030-granted-growth": "inconsistent"}


@pytest.mark.slow
def test_book_builds_for_a_new_year_without_code_changes(repo_copy: Path) -> None:
    env_python = sys.executable
    cmd = [env_python, "-m", "factcheck", "build", "--year", "2030", "--data", str(repo_copy.parent / "my-data")]
    result = subprocess.run(cmd, cwd=repo_copy, capture_output=True, text=True,
                            env={**_env(), "PYTHONPATH": str(repo_copy)})
    assert result.returncode == 0, result.stderr[-3000:]
    page = repo_copy / "_build" / "html" / "book" / "editions" / "2030" / "08_factcheck.html"
    text = page.read_text(encoding="utf-8")
    assert "2030-granted-growth" in text and "不一致" in text
    ip = (repo_copy / "_build" / "html" / "book" / "editions" / "2030" / "04_ip.html").read_text(encoding="utf-8")
    assert "未公布" in ip  # PCT, valid invention patents … are not in the 2030 data


def test_unknown_year_fails_at_once_listing_the_years(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "factcheck", "build", "--year", "1999"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert "no claims for year 1999" in result.stderr
    assert "2021, 2022, 2023" in result.stderr


def _env() -> dict:
    import os

    return dict(os.environ)
