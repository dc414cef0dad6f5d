"""Apply the bad-input cases of ``cases.yaml`` to a copy of the real data package, a small package or a
copy of the repository.

Each case is one small edit of otherwise good input, and the one error line it must produce. The edits
are described, not stored as broken copies, so the corpus follows the real data as it grows: a ``where``
picks a row by its key, and ``{row}`` in the expected message becomes that row's number as a
spreadsheet counts it (header = row 1).

``cases.yaml`` maps a kind (files, columns, cells, …) to its cases; :func:`load_cases` gives them as one
list, each with its ``kind``. A case has an ``id``, a ``why``, an ``expect`` and one input:

``data: [edit, …]``
    edits of a copy of the real ``data/`` folder (the edits are below);
``package: {claims: […], inputs: […], article: …, …}``
    a small package written by ``conftest.build_package`` (the ``make_package`` fixture; keys are its
    keyword arguments), optionally followed by ``data:`` edits;
``params: {year: …, data_dir: …}``
    the command line with those parameters (``judge``; ``build`` for the build cases);
``notebook: {file, op}``
    one template of ``notebooks/`` broken, see :func:`edit_notebook`.

``expect`` is a string or a list of strings. The first is where the line must start after ``error: ``
(or ``internal error: ``): for a data or package case the data folder (``data/``) is put in front of it;
the others must occur anywhere in the line. ``absent`` lists strings that must not occur. ``exit`` is
the exit code (2, bad input, unless said). ``command`` is the command for data and package cases
(``[validate]`` unless said; ``judge`` and ``verify`` get their output folders, which must not be
written). ``creates_nothing: x`` (parameter cases) names a file a command smuggled into a parameter would
create. ``build: true`` runs the case once more through ``python -m factcheck build`` in a copy of the
repository with a built book (slow), which must leave the book as it was.

Data edits (``data:``, a list; each names a ``file`` of the data folder):

``set: {column: text}`` + ``where: {column: text}``
    change cells of the first row matching ``where`` (``{row}`` = that row); a text may be
    ``{repeat: [[text, times], …]}``, the concatenation of each text repeated;
``duplicate: {column: text}`` (+ ``set:``)
    append a copy of the first matching row, with ``set`` applied to the copy (``{row}`` = the copy's
    row, ``{original}`` = the row copied);
``delete_row: {column: text}``
    remove the first matching row (``{row}`` = the row it was);
``append: "raw csv line"``
    add a line at the end (``{row}`` = its row);
``replace: [old, new]``
    replace the first occurrence of ``old`` in the file's text (``{row}`` = its line);
``rename_column: [old, new]`` / ``drop_column: name`` / ``add_column: [name, text]``
    edit the header (and, for a drop or an add, every row);
``grow_over_limit: true``
    append copies of the last row (fresh ids) until the file is exactly one byte over
    ``factcheck.load.MAX_BYTES`` (``{size}`` and ``{limit}``: the sizes as the message writes them);
``descriptor: {resource, field, key, value}``, ``{set: {key: value}}`` or ``{drop_resource: name}``
    edit ``datapackage.json``: a field's ``key`` (e.g. its type), a resource's ``key`` (without
    ``field``; e.g. its schema), a top-level key, or leave a resource out;
``encode: gbk``
    re-encode the file; ``write: text`` replace it; ``write_bytes: [old, new]`` replace bytes given as
    Python escapes; ``delete: true`` remove it.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import re
import shutil
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
CASES_FILE = HERE / "cases.yaml"
INPUTS = ("data", "package", "params", "notebook")


def load_cases() -> list[dict]:
    groups = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))
    if not isinstance(groups, dict):
        raise ValueError(f"{CASES_FILE.name}: the top level must map each kind to its cases")
    cases = []
    for kind, members in groups.items():
        for c in members:
            cases.append({**c, "kind": kind})
    ids = [c["id"] for c in cases]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ValueError(f"duplicate case ids in {CASES_FILE.name}: {dupes}")
    for c in cases:
        given = [k for k in INPUTS if k in c]
        ok = given in (["data"], ["package"], ["data", "package"], ["params"], ["notebook"])
        if not ok or "expect" not in c or "why" not in c:
            raise ValueError(f"case {c['id']}: needs 'why', 'expect' and one input (data and/or package, params "
                             "or notebook)")
    return cases


def counts_by_kind(cases: list[dict]) -> dict[str, int]:
    out: dict[str, int] = {}
    for c in cases:
        out[c["kind"]] = out.get(c["kind"], 0) + 1
    return out


def expected(case: dict, marks: dict[str, object] | None = None) -> list[str]:
    """The strings the line must contain, with ``{row}``, ``{original}``, ``{size}`` … filled in."""
    exp = case["expect"]
    exp = [exp] if isinstance(exp, str) else list(exp)
    for key, value in (marks or {}).items():
        exp = [e.replace("{" + key + "}", str(value)) for e in exp]
    return exp


# ---- data edits ---------------------------------------------------------------------------------
def _read_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def _csv_text(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def _write_rows(path: Path, rows: list[list[str]]) -> None:
    path.write_text(_csv_text(rows), encoding="utf-8")


def _find(rows: list[list[str]], where: dict, path: Path) -> int:
    header = rows[0]
    for i, r in enumerate(rows[1:], start=1):
        if all(r[header.index(k)] == str(v) for k, v in where.items()):
            return i
    raise LookupError(f"{path.name}: no row matches {where}; update the case to the current data")


def cell_text(value: object) -> str:
    """A cell as the case gives it: text, or ``{repeat: [[text, times], …]}``."""
    if isinstance(value, dict) and "repeat" in value:
        return "".join(str(text) * int(times) for text, times in value["repeat"])
    return str(value)


def _set(rows: list[list[str]], i: int, cells: dict) -> None:
    for col, text in cells.items():
        rows[i][rows[0].index(col)] = cell_text(text)


def _grow_over_limit(path: Path) -> dict[str, str]:
    from factcheck.load import MAX_BYTES

    rows = _read_rows(path)
    template = rows[-1]
    size = len(_csv_text(rows).encode("utf-8"))
    n = 0
    while True:
        row = list(template)
        row[0] = f"{template[0]}-copy{n}"
        line = len(_csv_text([row]).encode("utf-8"))
        if size + line > MAX_BYTES + 1 - 200:
            break
        rows.append(row)
        size += line
        n += 1
    last = list(template)
    last[0] = f"{template[0]}-last"
    note = len(last) - 1  # pad the last cell (a note) so that the file ends one byte over the limit
    last[note] = ""
    last[note] = "x" * (MAX_BYTES + 1 - size - len(_csv_text([last]).encode("utf-8")))
    rows.append(last)
    _write_rows(path, rows)
    assert path.stat().st_size == MAX_BYTES + 1, path.stat().st_size
    return {"size": f"{MAX_BYTES + 1:,}", "limit": f"{MAX_BYTES:,}"}


def _edit_descriptor(path: Path, spec: dict) -> None:
    package = json.loads(path.read_text(encoding="utf-8"))
    if "append_resource" in spec:
        package["resources"].append(spec["append_resource"])
    elif "drop_resource" in spec:
        package["resources"] = [r for r in package["resources"] if r["name"] != spec["drop_resource"]]
    elif "resource" not in spec:
        package.update(spec["set"])
    else:
        resource = next(r for r in package["resources"] if r["name"] == spec["resource"])
        if "field" in spec:
            target = next(f for f in resource["schema"]["fields"] if f["name"] == spec["field"])
        else:
            target = resource
        if spec.get("value", "") is None:
            target.pop(spec["key"], None)
        else:
            target[spec["key"]] = spec["value"]
    path.write_text(json.dumps(package, ensure_ascii=False, indent=1), encoding="utf-8")


def edit_data(root: Path, edits: list[dict]) -> dict[str, object]:
    """Apply ``edits`` to the data folder ``root`` in place; return ``{row}`` (and ``{original}`` …)."""
    marks: dict[str, object] = {}
    for e in edits:
        path = root / e["file"]
        if "duplicate" in e:
            rows = _read_rows(path)
            i = _find(rows, e["duplicate"], path)
            rows.append(list(rows[i]))
            _set(rows, len(rows) - 1, e.get("set", {}))
            _write_rows(path, rows)
            marks["row"], marks["original"] = len(rows), i + 1
        elif "set" in e:
            rows = _read_rows(path)
            i = _find(rows, e["where"], path)
            _set(rows, i, e["set"])
            _write_rows(path, rows)
            marks["row"] = i + 1
        elif "delete_row" in e:
            rows = _read_rows(path)
            i = _find(rows, e["delete_row"], path)
            del rows[i]
            _write_rows(path, rows)
            marks["row"] = i + 1
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
        elif "add_column" in e:
            name, text = e["add_column"]
            rows = _read_rows(path)
            _write_rows(path, [rows[0] + [name]] + [r + [str(text)] for r in rows[1:]])
        elif "grow_over_limit" in e:
            marks.update(_grow_over_limit(path))
        elif "descriptor" in e:
            _edit_descriptor(path, e["descriptor"])
        elif "encode" in e:
            path.write_bytes(path.read_text(encoding="utf-8").encode(e["encode"]))
        elif "write_bytes" in e:
            old, new = (codecs.escape_decode(s.encode("utf-8"))[0] for s in e["write_bytes"])
            data = path.read_bytes()
            if old not in data:
                raise LookupError(f"{path.name}: {old!r} not found; update the case to the current data")
            marks["row"] = data[: data.index(old)].count(b"\n") + 1
            path.write_bytes(data.replace(old, new, 1))
        elif "write" in e:
            path.write_text(cell_text(e["write"]), encoding="utf-8")
        elif "symlink" in e:  # the file (or folder) becomes a link to the target, which need not exist
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            elif path.exists() or path.is_symlink():
                path.unlink()
            path.symlink_to(e["symlink"])
        elif "move_and_link" in e:  # the real file moves next to it and the declared name links to it
            moved = path.with_name(e["move_and_link"])
            path.rename(moved)
            path.symlink_to(moved.name)
        elif "mkfifo" in e:
            if path.exists():
                path.unlink()
            os.mkfifo(path)
        elif "append_text" in e:  # raw text at the end of a file (an article), ``{repeat: …}`` allowed
            with path.open("a", encoding="utf-8") as fh:
                fh.write(cell_text(e["append_text"]))
        elif e.get("delete"):
            path.unlink()
        else:
            raise ValueError(f"unknown data edit {e}")
    return marks


def make_input(case: dict, real_data: Path, dst: Path) -> dict[str, object]:
    """Write the case's data folder at ``dst`` (a copy of ``real_data`` or a small package) and edit it."""
    if "package" in case:
        from conftest import build_package

        work = dst.parent / f".{dst.name}-build"
        built = build_package(work, **case["package"])
        shutil.move(str(built), str(dst))
        shutil.rmtree(work)
    else:
        shutil.copytree(real_data, dst)
    return edit_data(dst, case.get("data", []))


# ---- notebook edits -----------------------------------------------------------------------------
def edit_notebook(path: Path, op: str) -> None:
    """Break one notebook template in place.

    ``untag_parameters``: no cell is tagged ``parameters``; ``unknown_parameter``: the parameters cell
    also sets ``colour``; ``drop_judged_dir``: the parameters cell no longer sets ``judged_dir``;
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
    elif op == "drop_judged_dir":
        params["source"] = "".join(line for line in "".join(params["source"]).splitlines(keepends=True)
                                   if not re.match(r"judged_dir\s*=", line))
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
