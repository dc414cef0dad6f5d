"""Apply the bad-input cases of ``cases.yaml`` to a copy of the real data package or repository.

Each case is one small edit of otherwise good input, and the error it must produce. The edits are
described, not stored as broken copies, so the corpus follows the real data as it grows: a ``where``
picks a row by its key, and ``{row}`` in the expected message becomes that row's number as a
spreadsheet counts it (header = row 1).

Data edits (``data:``, a list; each names a ``file`` of the data folder):

``set: {column: text}`` + ``where: {column: text}``
    change cells of the first row matching ``where`` (``{row}`` = that row);
``duplicate: {column: text}``
    append a copy of the first matching row (``{row}`` = the copy's row, ``{original}`` = the row copied);
``append: "raw csv line"``
    add a line at the end (``{row}`` = its row);
``replace: [old, new]``
    replace the first occurrence of ``old`` in the file's text (``{row}`` = its line);
``rename_column: [old, new]`` / ``drop_column: name``
    edit the header (and, for a drop, every row);
``encode: gbk``
    re-encode the file; ``write: text`` replace it; ``delete: true`` remove it.

Parameter cases (``params: {year: …, data_dir: …}``) call the build with those values. Notebook cases
(``notebook: {file, op}``) edit one notebook source; see :func:`edit_notebook` for the ops.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
CASES_FILE = HERE / "cases.yaml"


def load_cases() -> list[dict]:
    cases = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))
    ids = [c["id"] for c in cases]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ValueError(f"duplicate case ids in {CASES_FILE.name}: {dupes}")
    for c in cases:
        kinds = [k for k in ("data", "params", "notebook") if k in c]
        if len(kinds) != 1 or "expect" not in c or "why" not in c:
            raise ValueError(f"case {c['id']}: needs 'why', 'expect' and exactly one of data/params/notebook")
    return cases


def expected(case: dict, marks: dict[str, int] | None = None) -> list[str]:
    """The substrings the message must contain, with ``{row}`` and ``{original}`` filled in."""
    exp = case["expect"]
    exp = [exp] if isinstance(exp, str) else list(exp)
    for key, value in (marks or {}).items():
        exp = [e.replace("{" + key + "}", str(value)) for e in exp]
    return exp


# ---- data edits ---------------------------------------------------------------------------------
def _read_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def _write_rows(path: Path, rows: list[list[str]]) -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def _find(rows: list[list[str]], where: dict, path: Path) -> int:
    header = rows[0]
    for i, r in enumerate(rows[1:], start=1):
        if all(r[header.index(k)] == str(v) for k, v in where.items()):
            return i
    raise LookupError(f"{path.name}: no row matches {where}; update the case to the current data")


def edit_data(root: Path, edits: list[dict]) -> dict[str, int]:
    """Apply ``edits`` to the data folder ``root`` in place; return ``{row}`` (and ``{original}``)."""
    marks: dict[str, int] = {}
    for e in edits:
        path = root / e["file"]
        if "set" in e:
            rows = _read_rows(path)
            i = _find(rows, e["where"], path)
            for col, text in e["set"].items():
                rows[i][rows[0].index(col)] = str(text)
            _write_rows(path, rows)
            marks["row"] = i + 1
        elif "duplicate" in e:
            rows = _read_rows(path)
            i = _find(rows, e["duplicate"], path)
            rows.append(list(rows[i]))
            _write_rows(path, rows)
            marks["row"], marks["original"] = len(rows), i + 1
        elif "append" in e:
            text = path.read_text(encoding="utf-8")
            text = text if text.endswith("\n") else text + "\n"
            path.write_text(text + e["append"] + "\n", encoding="utf-8")
            marks["row"] = len(text.splitlines()) + 1
        elif "replace" in e:
            old, new = e["replace"]
            text = path.read_text(encoding="utf-8")
            if old not in text:
                raise LookupError(f"{path.name}: {old!r} not found; update the case to the current data")
            marks["row"] = text[: text.index(old)].count("\n") + 1
            path.write_text(text.replace(old, new, 1), encoding="utf-8")
        elif "rename_column" in e:
            old, new = e["rename_column"]
            rows = _read_rows(path)
            rows[0][rows[0].index(old)] = new
            _write_rows(path, rows)
        elif "drop_column" in e:
            rows = _read_rows(path)
            j = rows[0].index(e["drop_column"])
            _write_rows(path, [r[:j] + r[j + 1:] for r in rows])
        elif "encode" in e:
            path.write_bytes(path.read_text(encoding="utf-8").encode(e["encode"]))
        elif "write" in e:
            path.write_text(e["write"], encoding="utf-8")
        elif e.get("delete"):
            path.unlink()
        else:
            raise ValueError(f"unknown data edit {e}")
    return marks


def copy_data(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst


# ---- notebook edits -----------------------------------------------------------------------------
def edit_notebook(path: Path, op: str) -> None:
    """Break one notebook source in place.

    ``untag_parameters``: no cell is tagged ``parameters``; ``unknown_parameter``: the parameters cell
    also sets ``colour``; ``drop_data_dir``: the parameters cell no longer sets ``data_dir``;
    ``not_json``: the file is not a notebook; ``raise``/``exit``/``sigkill``: a code cell halfway
    through raises ZeroDivisionError / calls ``os._exit(1)`` / kills its own kernel with SIGKILL.
    """
    if op == "not_json":
        path.write_text('{"cells": [', encoding="utf-8")
        return
    nb = json.loads(path.read_text(encoding="utf-8"))
    params = next(c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", []))
    if op == "untag_parameters":
        params["metadata"]["tags"].remove("parameters")
    elif op == "unknown_parameter":
        params["source"] = "".join(params["source"]).rstrip("\n") + "\ncolour = \"red\"\n"
    elif op == "drop_data_dir":
        params["source"] = "".join(line for line in "".join(params["source"]).splitlines(keepends=True)
                                   if not line.startswith("data_dir"))
    elif op in ("raise", "exit", "sigkill"):
        code = {"raise": "ratio = 1 / 0",
                "exit": "import os\nos._exit(1)",
                "sigkill": "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"}[op]
        cell = {"cell_type": "code", "execution_count": None, "id": "broken-cell", "metadata": {},
                "outputs": [], "source": code}
        nb["cells"].insert(len(nb["cells"]) // 2, cell)
    else:
        raise ValueError(f"unknown notebook op {op!r}")
    path.write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")
