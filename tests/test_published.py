"""A committed page is trusted only as far as it is what its template gives (factcheck.publish.published):
every published page of the repository matches; each way of adding to one is named, in one line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from factcheck import cli
from factcheck.publish import published
from factcheck.publish.layout import Layout

REPO = Path(__file__).resolve().parent.parent
LAYOUT = Layout(REPO)
PAGES = published.pages(LAYOUT)


def test_the_repository_has_pages():
    assert len(PAGES) >= 3 + 3, PAGES


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(REPO)))
def test_every_published_page_is_its_template(page):
    found = published.page_of(LAYOUT, page)
    assert found is not None, page
    assert published.mismatch(page, *found) is None


def _overview() -> tuple[dict, Path, dict]:
    page = next(p for p in PAGES if p.name == "00_overview.ipynb")
    template, expected = published.page_of(LAYOUT, page)
    return json.loads(page.read_text(encoding="utf-8")), template, expected


def _cell(kind: str, source: str, tags: list[str] | None = None) -> dict:
    cell = {"cell_type": kind, "metadata": {"tags": tags or []}, "source": source}
    if kind == "code":
        cell.update(outputs=[], execution_count=None)
    return cell


def _first(nb: dict, kind: str, skip_injected: bool = True) -> dict:
    return next(c for c in nb["cells"] if c["cell_type"] == kind
                and not (skip_injected and "injected-parameters" in c["metadata"].get("tags", [])))


def _injected(nb: dict) -> dict:
    return next(c for c in nb["cells"] if "injected-parameters" in c["metadata"].get("tags", []))


def add_markdown(nb):
    nb["cells"].append(_cell("markdown", "```{literalinclude} ../../../.git/config\n```"))


def add_code(nb):
    nb["cells"].insert(2, _cell("code", "import subprocess; subprocess.run(['id'])", ["remove-cell"]))


def edit_markdown(nb):
    md = [c for c in nb["cells"] if c["cell_type"] == "markdown"][1]
    md["source"] = "".join(md["source"]) + "\n<script>alert(1)</script>"


def title_markup(nb):
    _first(nb, "markdown")["source"] = "# [点我](javascript:alert(1))"


def ignore_output(nb):
    cell = [c for c in nb["cells"] if c["cell_type"] == "code"][-1]
    cell["metadata"]["tags"] = [*cell["metadata"].get("tags", []), "nbval-ignore-output"]


def edit_code(nb):
    cell = [c for c in nb["cells"] if c["cell_type"] == "code"][-1]
    cell["source"] = "".join(cell["source"]) + "\n__import__('os').system('id')"


def injected_code(nb):
    cell = _injected(nb)
    cell["source"] = "".join(cell["source"]) + "\nimport os"


def injected_year(nb):
    cell = _injected(nb)
    cell["source"] = "".join(cell["source"]).replace("year = ", "year = 1 + ")


def injected_folder(nb):
    cell = _injected(nb)
    cell["source"] = "".join(cell["source"]).replace("_build/judged", "data")


def cell_metadata(nb):
    _first(nb, "code")["metadata"]["jupyter"] = {"source_hidden": True}


def notebook_metadata(nb):
    nb["metadata"]["widgets"] = {"application/vnd.jupyter.widget-state+json": {}}


def other_kernel(nb):
    nb["metadata"]["kernelspec"] = {"name": "bash", "display_name": "Bash", "language": "bash"}


def markdown_attachment(nb):
    _first(nb, "markdown")["attachments"] = {"x.png": {"image/png": "AAAA"}}


@pytest.mark.parametrize(("change", "says"), [
    (add_markdown, "cells; its template gives"), (add_code, "cells; its template gives"),
    (edit_markdown, "is not its template's"), (title_markup, "is not its template's"),
    (ignore_output, "other tags or metadata"), (edit_code, "is not its template's"),
    (injected_code, "does more than assign"), (injected_year, "not a plain value"),
    (injected_folder, "injected parameter judged_dir"), (cell_metadata, "other tags or metadata"),
    (notebook_metadata, "notebook metadata"), (other_kernel, "kernel"), (markdown_attachment, "attachments"),
])
def test_each_addition_to_a_page_is_named(tmp_path, change, says):
    nb, template, expected = _overview()
    change(nb)
    page = tmp_path / "00_overview.ipynb"
    page.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    why = published.mismatch(page, template, expected)
    assert why and says in why, why


def test_the_check_before_nbval_names_each_page_and_a_folder_without_data(tmp_path, monkeypatch, capsys):
    """``python -m factcheck pages``: exit 2, one line a page or folder; nothing of the page runs."""
    root = tmp_path / "repo"
    shutil.copytree(REPO / "notebooks", root / "notebooks")
    shutil.copytree(REPO / "book", root / "book", ignore=shutil.ignore_patterns(".*"))
    layout = Layout(root)
    layout.judged.mkdir(parents=True)
    years = sorted(p.name for p in layout.editions.iterdir() if p.name.isdigit())
    for year in years:
        (layout.judged / f"{year}.json").write_text("{}", encoding="utf-8")
    shutil.copytree(layout.editions / years[-1], layout.editions / "1999")
    page = layout.editions / years[0] / "00_overview.ipynb"
    nb = json.loads(page.read_text(encoding="utf-8"))
    add_code(nb)
    page.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    assert published.problems(layout) == [
        "book/editions/1999: the data has no claims for 1999 (no judged file), so no edition of it can be "
        "published; the build removes it",
        f"book/editions/{years[0]}/00_overview.ipynb: it has {len(nb['cells'])} cells; its template gives "
        f"{len(nb['cells']) - 1}; run make book to publish it again from its template"]
    monkeypatch.setattr("factcheck.publish.layout.Layout", lambda: layout)
    assert cli.main(["pages"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and all(line.startswith("error: book/editions/") for line in err), err


def test_a_build_failure_quoting_a_tool_prints_no_terminal_codes(monkeypatch, capsys):
    """A tool's coloured output quoted in a failure reaches the reader as one plain line."""
    from factcheck.errors import BuildError

    def fail(args):
        raise BuildError("jupyter-book build failed: \x1b[91mWARNING: unknown directive\x1b[39;49;00m\r")

    monkeypatch.setattr(cli, "_pages", fail)
    assert cli.main(["pages"]) == 1
    err = capsys.readouterr().err
    assert err == "internal error: jupyter-book build failed: WARNING: unknown directive\n", repr(err)
