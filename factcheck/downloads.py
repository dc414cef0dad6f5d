"""The verdict table readers download: one row per checked figure, in Chinese, that opens in Excel.

UTF-8 with a byte-order mark (Excel on Windows reads a CSV without one as the local code page and shows
the Chinese as garbage), named by edition (``verdicts-2022.csv``). Made from a judged file only. The names
of an edition's other download, its PDF (``jiangmen-factcheck-2022.pdf``, printed by
:mod:`factcheck.publish.export`), are here too: the pages link both.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from . import chapters
from .edition import Edition

COLUMNS = ["claim_id", "章节", "原文", "文章中的数字", "结论", "verdict", "理由", "怎么算的", "可能的解释", "来源"]


def name(year: int) -> str:
    return f"verdicts-{year}.csv"


PDF_PREFIX = "jiangmen-factcheck-"


def pdf_name(year: int) -> str:
    return f"{PDF_PREFIX}{year}.pdf"


def _sources(edition: Edition, j: dict) -> str:
    parts = []
    for sid in j["sources"]:
        s = edition.sources[sid]
        link = s["url"] or s["copy_url"]
        parts.append(f"{s['publisher']}《{s['title']}》" + (f" {link}" if link else ""))
    return ";".join(parts)


def cell(text: str) -> str:
    """A text cell Excel will not run as a formula (a leading = + - @ is quoted with an apostrophe)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def rows(edition: Edition) -> list[list[str]]:
    titles = {c.id: c.title for c in chapters.chapters()}
    out = []
    for j in edition.claims:
        candidates = [f"{n}. {c}" for n, c in enumerate(j["candidates"], start=1)]
        out.append([cell(text) for text in (
            j["claim_id"], titles.get(j["chapter"], j["chapter"]), j["quote"], j["figure"], j["label"], j["verdict"],
            j["why"], " ".join(j["steps"]), " ".join(candidates), _sources(edition, j))])
    return out


def csv_text(edition: Edition) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows(edition))
    return "\ufeff" + buffer.getvalue()


def write_csv(edition: Edition, folder: str | Path) -> Path:
    target = Path(folder) / name(edition.year)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_text(csv_text(edition), encoding="utf-8", newline="")
    os.replace(tmp, target)
    return target
