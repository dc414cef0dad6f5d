"""The book's own sources ask Sphinx for nothing but pages, and the site is looked at before it is published.

The red team put ``.git/config`` and the build's environment into the site through ``book/methods.md``
(``{literalinclude}``, ``{include}``, raw HTML) and ``_config.yml`` (``html_extra_path``): each is refused
in one line before anything is built, and a site holding such a leak is never published.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from factcheck.errors import InputError
from factcheck.publish.audit import audit_site, check_config, check_markdown

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(("line", "why"), [
    ("```{literalinclude} ../.git/config\n```", "a MyST directive"),
    (":::{include} /proc/self/environ\n:::", "a MyST directive"),
    ("~~~{raw} html\n~~~", "a MyST directive"),
    ("见{download}`配置<../.git/config>`", "a MyST role"),
    ("<script>alert(1)</script>", "raw HTML"),
    ('<img src=x onerror="alert(2)">', "raw HTML"),
    ("[配置](../.git/config)", "a link to '../.git/config'"),
    ("![图](/proc/self/environ)", "a link to '/proc/self/environ'"),
    ("[x]: ../../.git/config", "a link to '../../.git/config'"),
])
def test_a_markdown_page_asks_for_nothing_but_markdown(tmp_path, line, why):
    page = tmp_path / "methods.md"
    page.write_text(f"# 方法\n\n正文。\n\n{line}\n", encoding="utf-8")
    with pytest.raises(InputError, match=why) as err:
        check_markdown(page)
    assert err.value.row == 5 and "\n" not in str(err.value)


def test_the_real_pages_and_config_pass():
    for page in (REPO / "book").glob("*.md"):
        check_markdown(page)
    check_config(REPO / "_config.yml")


@pytest.mark.parametrize(("edit", "why"), [
    (lambda t: t.replace("    language: zh_CN", "    language: zh_CN\n    html_extra_path: [\".git\"]"),
     "'sphinx.config.html_extra_path' is not a setting"),
    (lambda t: t.replace("    - factcheck.publish.sphinxext", "    - factcheck.publish.sphinxext\n    - evil"),
     "'sphinx.extra_extensions' must be exactly"),
    (lambda t: t.replace('    html_static_path: ["book/_static"]', '    html_static_path: ["/"]'),
     "'sphinx.config.html_static_path' must be"),
    (lambda t: t.replace('execute_notebooks: "off"', 'execute_notebooks: "force"'),
     "'execute.execute_notebooks' must stay off"),
    (lambda t: t.replace("  - data\n", ""), "'exclude_patterns' must keep excluding"),
    (lambda t: t.replace("<p>每个数字", "<p onmouseover=\"alert(1)\">每个数字"), "holds HTML that runs"),
    (lambda t: t + "\nlocal_extensions: {evil: .}\n", "'local_extensions' is not a setting"),
])
def test_a_config_that_would_read_run_or_publish_more_is_refused(tmp_path, edit, why):
    text = (REPO / "_config.yml").read_text(encoding="utf-8")
    changed = edit(text)
    assert changed != text, "the edit no longer applies to _config.yml"
    (tmp_path / "_config.yml").write_text(changed, encoding="utf-8")
    with pytest.raises(InputError, match=why):
        check_config(tmp_path / "_config.yml")


def _site(tmp_path: Path) -> Path:
    site = tmp_path / "html"
    (site / "_static").mkdir(parents=True)
    (site / "index.html").write_text("<p>江门高新区</p>", encoding="utf-8")
    return site


def test_a_clean_site_passes(tmp_path):
    audit_site(_site(tmp_path))


@pytest.mark.parametrize(("name", "content", "why"), [
    ("methods.html", "<pre>[core]\n\trepositoryformatversion = 0\n[remote \"origin\"]\n\turl = x</pre>", "git configuration"),
    ("_static/env.txt", "HOSTNAME=x\nPATH=/usr/bin\nHOME=/root\n", "environment dump"),
    ("config", "[core]", "a kind of file the book never makes"),
])
def test_a_site_with_a_leak_is_not_published(tmp_path, name, content, why):
    site = _site(tmp_path)
    (site / name).write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=why):
        audit_site(site)


def test_a_site_with_a_link_or_a_secret_is_not_published(tmp_path, monkeypatch):
    site = _site(tmp_path)
    (site / "_static" / "x.css").symlink_to("/etc/passwd")
    with pytest.raises(InputError, match="symbolic link"):
        audit_site(site)
    (site / "_static" / "x.css").unlink()
    monkeypatch.setenv("GITHUB_TOKEN", "ghs_0123456789abcdefghij")
    (site / "page.html").write_text("<p>ghs_0123456789abcdefghij</p>", encoding="utf-8")
    with pytest.raises(InputError, match="secret environment variable"):
        audit_site(site)
    shutil.rmtree(site)
    assert not os.path.exists(site)
