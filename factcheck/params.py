"""Parameters, checked before anything runs: a wrong type or value is refused by name, never evaluated."""

from __future__ import annotations

import re
from pathlib import Path

from .errors import InputError

MAX_JOBS_PER_CORE = 4


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
    if any(not ch.isprintable() for ch in str(data_dir)):
        raise InputError(f"must be a folder path on one line, without control characters, not {str(data_dir)[:60]!r}",
                         parameter="data_dir")
    path = Path(data_dir)
    if path.is_symlink():
        raise InputError(f"{path} is a symbolic link; the data are read from the folder itself, never through a link",
                         parameter="data_dir")
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


def cores() -> int:
    import os

    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def check_jobs(jobs: object) -> int:
    """How many notebooks (or test workers) at once: a whole number from 1 to a few times the cores."""
    most = MAX_JOBS_PER_CORE * cores()
    text = str(jobs)
    if not re.fullmatch(r"[0-9]{1,4}", text) or not 1 <= int(text) <= most:
        raise InputError(f"must be a whole number from 1 to {most} ({MAX_JOBS_PER_CORE} times the {cores()} cores "
                         f"here), not {text[:20]!r}", parameter="jobs")
    return int(text)


def check_port(port: object) -> int:
    """A TCP port to serve on: 1 to 65535, in ASCII digits."""
    text = str(port)
    if not re.fullmatch(r"[0-9]{1,5}", text) or not 0 < int(text) < 65536:
        raise InputError(f"must be a port number from 1 to 65535, not {text[:20]!r}", parameter="port")
    return int(text)


FORMATS = ("text", "markdown")
"""How the verdict diff writes its table: for a terminal, or for a GitHub job summary."""


def check_base(rev: object) -> str:
    """A git revision name as text git may see: not empty, not an option, no spaces or control characters.
    Whether it names a commit is git's to say (:func:`factcheck.diff.resolve`)."""
    if not isinstance(rev, str) or not rev:
        raise InputError("give a git revision to compare with, such as main", parameter="base")
    if rev.startswith("-"):
        raise InputError(f"'{rev[:60]}' starts with '-'; a revision never does", parameter="base")
    if len(rev) > 200 or any(ch.isspace() or not ch.isprintable() for ch in rev):
        raise InputError(f"{rev[:60]!r} is not a git revision name (no spaces or control characters)",
                         parameter="base")
    return rev


def check_format(fmt: object) -> str:
    if fmt not in FORMATS:
        raise InputError(f"must be one of {', '.join(FORMATS)}, not {str(fmt)[:40]!r}", parameter="format")
    return str(fmt)


def seconds_from_env(name: str, default: float) -> float:
    """A time limit from the environment variable ``name`` (ASCII seconds, more than 0, less than a day)."""
    import os

    text = os.environ.get(name, "").strip() or str(default)
    seconds = float(text) if re.fullmatch(r"[0-9]{1,5}(\.[0-9]+)?", text) else -1.0  # ASCII digits only
    if not 0 < seconds < 86400:
        raise InputError(f"{text[:20]!r} is not a number of seconds (more than 0, less than a day)", parameter=name)
    return seconds
