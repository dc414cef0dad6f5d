"""What the last successful build was made from, by content hash: ``_build/manifest.json``.

The runner re-executes a notebook only when one of its inputs changed since the build that produced its
published copy:

* its template (``notebooks/overview|chapter|factcheck|index|cross_year|about.ipynb``),
* its parameters (``year``, ``chapter``, ``judged_dir``),
* the files it actually read: its judged files (its edition's; the book's for the pages that list every
  edition) and ``book/chapters.yml`` (each executed notebook reports them, see :func:`factcheck.load.reads`;
  a judged file is rewritten only when its content changes), and the ``factcheck`` modules its kernel
  imported (the pages import no engine code),
* what it runs on: ``requirements.txt`` and the Python version,

or when its published copy (``book/editions/<year>/*.ipynb``, ``book/index.ipynb``,
``book/cross_year.ipynb``) is missing or is not the copy that build wrote. The book is rebuilt only when
one of its sources (``_config.yml``, ``_toc.yml``, everything under ``book/``), the package code or the data
folder (its files go into the downloads) changed, or ``_build/html`` is missing. The judged stage is skipped when none of the data files it read
changed and the judged files are there.

This module is on the no-op path of ``make book``: it imports nothing heavier than ``hashlib`` and ``json``.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterable
from pathlib import Path

from ..edition import BOOK_FILE
from ..files import regular_files

VERSION = 2


# ---- hashing ------------------------------------------------------------------------------------
def sha_file(path: Path) -> str | None:
    """The SHA-256 of a file's content, or ``None`` when there is no such file."""
    try:
        with open(path, "rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None


class Hasher:
    """``sha_file`` memoised for one build (a data file is read by many notebooks)."""

    def __init__(self) -> None:
        self._seen: dict[Path, str | None] = {}

    def __call__(self, path: Path) -> str | None:
        if path not in self._seen:
            self._seen[path] = sha_file(path)
        return self._seen[path]


def sha_of(items: Iterable[tuple[str, str | None]]) -> str:
    h = hashlib.sha256()
    for name, digest in items:
        h.update(f"{name}\0{digest}\n".encode())
    return h.hexdigest()


def code_hash(package: Path, root: Path) -> str:
    """The package code (``factcheck/**.py``) and what it runs on (pinned requirements, Python version)."""
    files = sorted(package.rglob("*.py"))
    items = [(f"factcheck/{p.relative_to(package).as_posix()}", sha_file(p)) for p in files]
    items.append(("requirements.txt", sha_file(root / "requirements.txt")))
    items.append(("python", f"{sys.version_info.major}.{sys.version_info.minor}"))
    return sha_of(items)


def env_hash(root: Path) -> str:
    """What a page's kernel runs on besides the code it imports: the pinned requirements, the Python version.

    A page is keyed on this and on the files it read, its imported ``factcheck`` modules among them (the
    kernel reports them), so a change to the engine re-executes a page only through its judged file."""
    return sha_of([("requirements.txt", sha_file(root / "requirements.txt")),
                   ("python", f"{sys.version_info.major}.{sys.version_info.minor}")])


def book_sources(root: Path) -> list[Path]:
    """Every file the book is built from besides the package code: config, toc, all of ``book/``.

    Leftovers of an interrupted build (``book/editions/.2022.staging``, ``book/.x.previous``) and
    checkpoints are not sources.
    """
    out = [root / "_config.yml", root / "_toc.yml"]
    book = root / "book"
    for path in regular_files(book):
        parts = path.relative_to(book).parts
        if not any(p.startswith(".") or p == "__pycache__" for p in parts):
            out.append(path)
    return out


def book_hash(root: Path, code: str, data_dir: Path | None = None, repository: str = "") -> str:
    """The book's sources, the code, the data folder (its files go into the downloads) and the repository the
    pages name."""
    data = regular_files(Path(data_dir)) if data_dir else []
    return sha_of([("code", code), ("repository", repository), *((rel(p, root), sha_file(p)) for p in book_sources(root)),
                   *((f"data:{p.relative_to(data_dir).as_posix()}", sha_file(p)) for p in data)])


def rel(path: Path, root: Path) -> str:
    """``path`` as the manifest stores it: relative to the repository when inside it, else absolute."""
    path = Path(os.path.abspath(path))
    try:
        return path.relative_to(Path(os.path.abspath(root))).as_posix()
    except ValueError:
        return str(path)


def unrel(name: str, root: Path) -> Path:
    p = Path(name)
    return p if p.is_absolute() else root / p


# ---- the manifest -------------------------------------------------------------------------------
class Manifest:
    """``_build/manifest.json``: one record per published notebook, the validation, the book."""

    def __init__(self, path: Path, data: dict | None = None) -> None:
        self.path = path
        self.data = data if data and data.get("version") == VERSION else {"version": VERSION}
        self.data.setdefault("notebooks", {})
        self._written = json.dumps(self.data, sort_keys=True)

    @classmethod
    def read(cls, path: Path) -> Manifest:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = None
        return cls(path, data if isinstance(data, dict) else None)

    @property
    def notebooks(self) -> dict[str, dict]:
        return self.data["notebooks"]

    def write(self) -> None:
        """Write atomically, and only when something changed."""
        text = json.dumps(self.data, sort_keys=True)
        if text == self._written and self.path.exists():
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(json.dumps(self.data, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                       encoding="utf-8")
        os.replace(tmp, self.path)
        self._written = text

    # ---- the judged stage ----------------------------------------------------------------------
    def judged_years(self, data_dir: Path, code: str, outputs: Path, sha: Hasher) -> list[int] | None:
        """The editions of the last judged stage, if the files it read and the files it wrote are unchanged."""
        rec = self.data.get("judged")
        if not rec or rec.get("code") != code or rec.get("data_dir") != os.path.abspath(data_dir):
            return None
        for name, digest in rec.get("files", {}).items():
            if sha(unrel(name, data_dir)) != digest:
                return None
        for name, digest in rec.get("outputs", {}).items():
            if sha(outputs / name) != digest:
                return None
        return list(rec.get("years", []))

    def record_judged(self, data_dir: Path, code: str, files: Iterable[Path], years: list[int], outputs: Path,
                      sha: Hasher) -> None:
        self.data["judged"] = {
            "data_dir": os.path.abspath(data_dir), "code": code, "years": sorted(years),
            "files": {rel(p, data_dir): sha(Path(os.path.abspath(p))) for p in files},
            "outputs": {name: sha(outputs / name) for name in [*(f"{y}.json" for y in years), BOOK_FILE]},
        }

    # ---- notebooks -----------------------------------------------------------------------------
    def stale(self, *, target: str, source: str, source_sha: str | None, parameters: dict, code: str,
              root: Path, sha: Hasher) -> str | None:
        """Why the notebook published at ``target`` must be executed again, or ``None`` if it need not be."""
        rec = self.notebooks.get(target)
        if rec is None:
            return "not built before"
        if rec.get("code") != code:
            return "requirements or Python changed"
        if rec.get("source") != source or rec.get("source_sha") != source_sha:
            return "notebook source changed"
        if rec.get("parameters") != parameters:
            return "parameters changed"
        reads = rec.get("reads")
        if reads is None:
            return "the data files it read are unknown"
        for name, digest in reads.items():
            now = sha(unrel(name, root))
            if now != digest:
                return f"data file {name} {'deleted' if now is None else 'changed'}"
        now = sha(unrel(target, root))
        if now is None:
            return "published copy missing"
        if now != rec.get("output_sha"):
            return "published copy differs from the last build's"
        return None

    def edited(self, target: str, output_sha: str | None) -> bool:
        """Whether the page at ``target`` is not the file the last build recorded writing (unknown: not edited)."""
        rec = self.notebooks.get(target)
        return rec is not None and rec.get("output_sha") != output_sha

    def record_notebook(self, *, target: str, source: str, source_sha: str | None, parameters: dict,
                        code: str, reads: dict[str, str | None] | None, output_sha: str | None,
                        seconds: float) -> None:
        self.notebooks[target] = {
            "source": source, "source_sha": source_sha, "parameters": parameters, "code": code,
            "reads": reads, "output_sha": output_sha, "seconds": round(seconds, 2),
        }

    def seconds(self, target: str) -> float:
        return float(self.notebooks.get(target, {}).get("seconds", 0.0))

    # ---- the book ------------------------------------------------------------------------------
    @property
    def book(self) -> str | None:
        return self.data.get("book")

    @book.setter
    def book(self, key: str) -> None:
        self.data["book"] = key
