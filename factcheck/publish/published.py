"""Whether a committed page is what its template gives: the pages under ``book/`` are committed, so that a
reader of the repository sees them and nbval can re-execute them, but nothing in them may be trusted beyond
what the build itself would have written.

A published page matches its template (``notebooks/<name>.ipynb``) when it has the template's cells in the
template's order, each of the same kind, source and tags, plus one cell of injected parameters (only literal
assignments of the parameters the runner passes that page); its Markdown cells differ from the template's only
where ``{{year}}``, ``{{chapter_title}}`` and ``{{edition_title}}`` were filled with escaped text; no cell and
the notebook carry no metadata the build does not write. Outputs are not compared here: nbval re-executes the
pages and compares them (``make nbval``), and the build executes a page again whenever its judged file or code
changed.

The build executes again any edition with a page that does not match and removes an edition folder whose year
the data has no claims for (:mod:`.runner`); ``python -m factcheck pages --check`` refuses, before nbval runs
them, any page that does not match (so no committed code cell is ever executed)."""

from __future__ import annotations

import ast
import json
import os
import re
from pathlib import Path

from .. import chapters
from .layout import ABOUT, CROSS_YEAR, INDEX, Layout

INJECTED = "injected-parameters"
PLACEHOLDERS = ("{{year}}", "{{chapter_title}}", "{{edition_title}}")
_ESCAPED_TEXT = r"(?:[^\\`*_{}\[\]()#+\-.!<>|~$\n]|\\[\\`*_{}\[\]()#+\-.!<>|~$])*"
"""What a filled placeholder may hold: text whose Markdown characters are all escaped (as ``runner.tidy`` does)."""
CELL_KEYS = {"tags"}
NOTEBOOK_KEYS = {"factcheck", "kernelspec", "language_info"}


def page_of(layout: Layout, page: Path) -> tuple[Path, dict[str, object]] | None:
    """The template a published page is executed from and the parameters it must have been given (an
    ``int`` year for the landing page, which may present any edition); None for a file that is no page."""
    judged = os.path.relpath(layout.judged.resolve(), page.parent.resolve())
    name = page.stem
    if page.parent == layout.book and name in (INDEX, CROSS_YEAR, ABOUT):
        return layout.template(name), ({"year": int, "judged_dir": judged} if name == INDEX else {"judged_dir": judged})
    if page.parent.parent != layout.editions or not re.fullmatch(r"[0-9]{4}", page.parent.name):
        return None
    year = int(page.parent.name)
    if name == "00_overview":
        return layout.template("overview"), {"year": year, "judged_dir": judged}
    if name == chapters.factcheck_page():
        return layout.template("factcheck"), {"year": year, "judged_dir": judged}
    by_page = {c.page: c.id for c in chapters.chapters()}
    if name not in by_page:
        return None
    return layout.template("chapter"), {"year": year, "chapter": by_page[name], "judged_dir": judged}


def _tags(cell: dict) -> list[str]:
    return list((cell.get("metadata") or {}).get("tags") or [])


def _markdown_matches(page_source: str, template_source: str) -> bool:
    pattern = re.escape(template_source)
    for placeholder in PLACEHOLDERS:
        pattern = pattern.replace(re.escape(placeholder), _ESCAPED_TEXT)
    return re.fullmatch(pattern, page_source) is not None


def _injected(source: str, expected: dict[str, object]) -> str | None:
    """Why an injected-parameters cell is not the runner's (None when it is)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return "its injected parameters are not Python"
    given: dict[str, object] = {}
    for node in tree.body:
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)):
            return "its injected parameters cell does more than assign parameters"
        try:
            given[node.targets[0].id] = ast.literal_eval(node.value)
        except ValueError:
            return f"its injected parameter {node.targets[0].id} is not a plain value"
    if set(given) != set(expected):
        return f"its injected parameters are {', '.join(sorted(given)) or 'none'}, not {', '.join(sorted(expected))}"
    for key, want in expected.items():
        value = given[key]
        ok = (isinstance(value, int) and not isinstance(value, bool)) if want is int else value == want
        if not ok:
            return f"its injected parameter {key} is {value!r}, not {'a year' if want is int else repr(want)}"
    return None


def mismatch(page: Path, template: Path, expected: dict[str, object]) -> str | None:
    """Why ``page`` is not what ``template`` gives with the ``expected`` parameters (None when it is)."""
    try:
        nb = json.loads(page.read_text(encoding="utf-8"))
        tpl = json.loads(template.read_text(encoding="utf-8"))
        cells, wanted = list(nb["cells"]), list(tpl["cells"])
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError):
        return "it is not a readable notebook"
    if not isinstance(nb.get("metadata"), dict) or set(nb["metadata"]) - NOTEBOOK_KEYS:
        return "its notebook metadata holds more than the build writes"
    if nb["metadata"].get("kernelspec") != tpl.get("metadata", {}).get("kernelspec"):
        return "its kernel is not the template's"
    injected = [i for i, c in enumerate(cells) if isinstance(c, dict) and INJECTED in _tags(c)]
    if len(injected) != 1:
        return f"it has {len(injected)} cells of injected parameters, not 1"
    cell = cells.pop(injected[0])
    if cell.get("cell_type") != "code" or _tags(cell) != [INJECTED, "remove-cell"] or cell.get("outputs"):
        return "its injected parameters cell is not the runner's"
    why = _injected("".join(cell.get("source") or ""), expected)
    if why:
        return why
    if len(cells) != len(wanted):
        return f"it has {len(cells) + 1} cells; its template gives {len(wanted) + 1}"
    for n, (got, want) in enumerate(zip(cells, wanted, strict=True), start=1):
        if not isinstance(got, dict) or got.get("cell_type") != want.get("cell_type"):
            return f"cell {n} is not of its template's kind"
        if set(got.get("metadata") or {}) - CELL_KEYS or _tags(got) != _tags(want):
            return f"cell {n} has other tags or metadata than its template's"
        source, template_source = "".join(got.get("source") or ""), "".join(want.get("source") or "")
        same = _markdown_matches(source, template_source) if want["cell_type"] == "markdown" else \
            source == template_source
        if not same:
            return f"cell {n} is not its template's"
        if want["cell_type"] != "code" and (got.get("outputs") or got.get("attachments")):
            return f"cell {n} carries outputs or attachments"
    return None


def pages(layout: Layout) -> list[Path]:
    """Every published page under ``book/``: the landing, cross-year and about pages and every edition's."""
    found = [layout.book / f"{name}.ipynb" for name in (INDEX, CROSS_YEAR, ABOUT)]
    found = [p for p in found if p.is_file()]
    if layout.editions.is_dir():
        found += sorted(layout.editions.glob("[0-9][0-9][0-9][0-9]/*.ipynb"))
    return found


def problems(layout: Layout) -> list[str]:
    """Every published page that is not what the build would write, and every edition folder whose year has
    no judged file, one line each (file: why)."""
    out = []
    if layout.editions.is_dir():
        for folder in sorted(p for p in layout.editions.iterdir() if re.fullmatch(r"[0-9]{4}", p.name)):
            if not (layout.judged / f"{folder.name}.json").is_file():
                out.append(f"{rel(folder, layout)}: the data has no claims for {folder.name} (no judged file), so "
                           "no edition of it can be published; the build removes it")
    for page in pages(layout):
        if not (layout.judged / f"{page.parent.name}.json").is_file() and page.parent.parent == layout.editions:
            continue  # its folder is reported above
        found = page_of(layout, page)
        why = "it is no page of the book" if found is None else mismatch(page, *found)
        if why:
            out.append(f"{rel(page, layout)}: {why}; run make book to publish it again from its template")
    return out


def rel(path: Path, layout: Layout) -> str:
    try:
        return str(path.relative_to(layout.root))
    except ValueError:
        return str(path)
