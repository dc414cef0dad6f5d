"""Notebook parameters, checked before anything runs: a wrong type or value is refused by name."""

from __future__ import annotations

import re
from pathlib import Path

from .errors import InputError

PARAMETERS = {"year": "the edition year, e.g. 2022", "data_dir": "the data folder, e.g. data"}


def check_params(*, year: object, data_dir: object) -> tuple[int, Path]:
    if isinstance(year, bool) or not isinstance(year, (int, str)):
        raise InputError(f"must be a whole year such as 2022, not {year!r}", parameter="year")
    text = str(year).strip()
    if not re.fullmatch(r"[0-9]{4}", text):
        raise InputError(f"must be a four-digit year such as 2022, not {year!r}", parameter="year")
    if not isinstance(data_dir, (str, Path)) or not str(data_dir).strip():
        raise InputError(f"must be a folder path, not {data_dir!r}", parameter="data_dir")
    path = Path(data_dir)
    if not path.is_dir():
        raise InputError(f"folder {path} does not exist", parameter="data_dir")
    return int(text), path
