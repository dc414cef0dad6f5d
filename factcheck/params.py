"""Parameters, checked before anything runs: a wrong type or value is refused by name, never evaluated."""

from __future__ import annotations

import re
from pathlib import Path

from .errors import InputError

PARAMETERS = {
    "year": "the edition year, e.g. 2022",
    "chapter": "a chapter id of book/chapters.yml (chapter pages only)",
    "judged_dir": "the folder of the judged files, e.g. ../../../_build/judged",
}


def check_year(year: object) -> int:
    if isinstance(year, bool) or not isinstance(year, (int, str)):
        raise InputError(f"must be a whole year such as 2022, not {year!r}", parameter="year")
    text = str(year)
    if not re.fullmatch(r"[0-9]{4}", text):
        raise InputError(f"must be a four-digit year such as 2022, not {text[:40]!r}", parameter="year")
    return int(text)


def check_data_dir(data_dir: object) -> Path:
    if not isinstance(data_dir, (str, Path)) or not str(data_dir).strip():
        raise InputError(f"must be a folder path, not {data_dir!r}", parameter="data_dir")
    path = Path(data_dir)
    if not path.exists():
        raise InputError(f"folder {path} does not exist", parameter="data_dir")
    if not path.is_dir():
        raise InputError(f"{path} is a file, not a data folder", parameter="data_dir")
    return path


def check_judged_dir(judged_dir: object) -> Path:
    if not isinstance(judged_dir, (str, Path)) or not str(judged_dir).strip():
        raise InputError(f"must be a folder path, not {judged_dir!r}", parameter="judged_dir")
    path = Path(judged_dir)
    if not path.is_dir():
        raise InputError(f"folder {path} does not exist; run python -m factcheck judge first", parameter="judged_dir")
    return path
