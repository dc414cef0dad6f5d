"""What the book's own sources may ask Sphinx to do, and a last look at the site before it is published.

The data are checked by :mod:`factcheck.validate`; the book's hand-written files are code of another kind:
MyST Markdown can include any file of the machine (``{literalinclude} ../.git/config``), pass raw HTML
(``<script>``), copy a linked local file into the site (``[x](../../.git/config)``), and ``_config.yml``
can add a folder to the site (``html_extra_path``) or load an extension. So, before every build:

* :func:`check_markdown`: a page of ``book/`` in Markdown uses plain Markdown only: no directive, no role,
  no raw HTML, no link or image to a local file (links are ``http(s)://`` addresses or ``#anchors``);
* :func:`check_config`: ``_config.yml`` keeps the keys and values this book is built with where they decide
  what is read, run or published (extensions, static and extra paths, execution, excluded folders), and no
  HTML it holds (the footer) carries a script.

And after the build, before ``_build/html`` is replaced, :func:`audit_site` refuses a site holding a link, a
file of a kind the book never makes, or a text that only a leak could put there (a git config, an
environment dump, the value of a secret environment variable).
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from ..errors import InputError, where

# ---- Markdown pages -------------------------------------------------------------------------------
DIRECTIVE = re.compile(r"^\s*(?:`{3,}|~{3,}|:{3,})\s*\{")
ROLE = re.compile(r"\{[A-Za-z0-9_.:+-]+\}`")
RAW_HTML = re.compile(r"<[A-Za-z!/?]")
LINK = re.compile(r"\]\(\s*<?([^)\s>]*)")
REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+)")
SAFE_TARGET = re.compile(r"(?:https?://[^\s]+|#[\w-]*)")


def check_markdown(path: Path) -> None:
    """Refuse a Markdown page that asks for more than text, tables, emphasis and web links (one line, its row)."""
    w = where(path)
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if DIRECTIVE.match(line):
            raise InputError("a MyST directive: the book's pages are plain Markdown (a directive can include any "
                             "file of the machine)", file=w, row=number)
        if ROLE.search(line):
            raise InputError("a MyST role: the book's pages are plain Markdown", file=w, row=number)
        if RAW_HTML.search(line.replace("`<`", "")):
            raise InputError("raw HTML (or an autolink in <…>): the book's pages are plain Markdown; write a web "
                             "link as [text](https://…)", file=w, row=number)
        for target in [*LINK.findall(line), *(m.group(1) for m in [REFERENCE.match(line)] if m)]:
            if not SAFE_TARGET.fullmatch(target):
                raise InputError(f"a link to '{target[:60]}': links go to web addresses (https://…) or anchors "
                                 "(#…), never to a file (Sphinx would copy it into the site)", file=w, row=number)


# ---- _config.yml ----------------------------------------------------------------------------------
TOP_KEYS = {"title", "author", "copyright", "logo", "only_build_toc_files", "exclude_patterns", "execute",
            "repository", "html", "launch_buttons", "parse", "sphinx"}
EXTENSIONS = ["factcheck.publish.sphinxext"]
SPHINX_KEYS = {"language", "html_static_path", "html_css_files", "html_js_files", "html_show_sourcelink",
               "html_copy_source", "html_search_options", "html_context", "html_last_updated_fmt", "nb_merge_streams",
               "smartquotes", "suppress_warnings", "html_baseurl"}
MYST_EXTENSIONS = {"colon_fence", "dollarmath", "substitution"}
EXCLUDED = {"_build", ".venv", "notebooks", "tests", "data", "factcheck", ".*", "node_modules"}
UNSAFE_HTML = re.compile(r"<\s*(?:script|iframe|object|embed|style|link|meta|form|base)\b|\son[a-z]+\s*=|javascript:",
                         re.IGNORECASE)


def check_config(path: Path) -> None:
    """Refuse a ``_config.yml`` that would read, run or publish more than this book does (one line)."""
    import yaml

    w = where(path)
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InputError(f"cannot be read as YAML: {str(exc).splitlines()[0]}", file=w) from None
    if not isinstance(doc, dict):
        raise InputError("must be a mapping of settings", file=w)

    def refuse(key: str, why: str) -> InputError:
        return InputError(f"'{key}' {why}", file=w)

    for key in doc:
        if key not in TOP_KEYS:
            raise refuse(str(key), f"is not a setting this book uses ({', '.join(sorted(TOP_KEYS))})")
    if (doc.get("execute") or {}).get("execute_notebooks", "off") != "off":
        raise refuse("execute.execute_notebooks", "must stay off: the pages are executed by the build, from the data")
    if not EXCLUDED <= set(doc.get("exclude_patterns") or []):
        raise refuse("exclude_patterns", f"must keep excluding {', '.join(sorted(EXCLUDED))}")
    myst = set(((doc.get("parse") or {}).get("myst_enable_extensions")) or [])
    if not myst <= MYST_EXTENSIONS:
        raise refuse("parse.myst_enable_extensions", f"may name only {', '.join(sorted(MYST_EXTENSIONS))}")
    sphinx = doc.get("sphinx") or {}
    if set(sphinx) - {"extra_extensions", "config"}:
        raise refuse("sphinx", "may hold only extra_extensions and config")
    if list(sphinx.get("extra_extensions") or []) != EXTENSIONS:
        raise refuse("sphinx.extra_extensions", f"must be exactly {EXTENSIONS}: an extension runs code at build time")
    config = sphinx.get("config") or {}
    for key in config:
        if key not in SPHINX_KEYS:
            raise refuse(f"sphinx.config.{key}", "is not a setting this book uses (html_extra_path, for one, would "
                                                 "publish a folder as it is)")
    if config.get("html_static_path", ["book/_static"]) != ["book/_static"]:
        raise refuse("sphinx.config.html_static_path", "must be [book/_static], whose files are declared")
    for key, value in _strings(doc):
        if UNSAFE_HTML.search(value):
            raise refuse(key, "holds HTML that runs or loads something (a script, an event handler, a frame)")


def _strings(value: object, key: str = "") -> list[tuple[str, str]]:
    if isinstance(value, str):
        return [(key, value)]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in _strings(v, f"{key}.{k}" if key else str(k))]
    if isinstance(value, list):
        return [s for i, v in enumerate(value) for s in _strings(v, f"{key}[{i}]")]
    return []


# ---- the built site -------------------------------------------------------------------------------
SITE_SUFFIXES = {".html", ".js", ".css", ".svg", ".csv", ".zip", ".pdf", ".png", ".woff", ".woff2", ".ttf", ".eot",
                 ".ico", ".inv", ".txt", ".json", ".gif", ".jpg", ".map", ".nojekyll", ".buildinfo", ".xml", ".po", ".mo"}
"""The kinds of file a built book holds (the theme ships its translations as .po and .mo)."""
TEXT_SUFFIXES = {".html", ".js", ".css", ".svg", ".csv", ".txt", ".json", ".xml"}
LEAKS = (re.compile(r"\[core\]\s+repositoryformatversion"), re.compile(r"\[remote \"[^\"]+\"\]\s+url ="),
         re.compile(r"extraheader\s*=\s*AUTHORIZATION"), re.compile(r"(?:^|\0|\n)(?:PATH|HOME)=/[^\n\0]*(?:\0|\n)[A-Z_]+="),
         re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"))
SECRET_NAME = re.compile(r"TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|PRIVATE|API_?KEY", re.IGNORECASE)


def audit_site(site: Path) -> None:
    """Refuse to publish a site with a link, an unexpected kind of file, or a leaked secret (one line)."""
    secrets = [v.encode() for k, v in os.environ.items() if SECRET_NAME.search(k) and len(v) >= 12]
    for path in sorted(site.rglob("*")):
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            raise InputError("is a symbolic link in the built site; nothing is published", file=where(path))
        if stat.S_ISDIR(info.st_mode):
            if path.name == ".git":
                raise InputError("is a git folder in the built site; nothing is published", file=where(path))
            continue
        suffix = path.suffix.lower() or path.name.lower()
        if suffix not in SITE_SUFFIXES:
            raise InputError(f"is a kind of file the book never makes ({suffix}); nothing is published",
                             file=where(path))
        data = path.read_bytes()
        text = data.decode("utf-8", "replace") if suffix in TEXT_SUFFIXES else ""
        for pattern in LEAKS:
            if text and pattern.search(text):
                raise InputError("holds what looks like a git configuration, an environment dump or a private key; "
                                 "nothing is published", file=where(path))
        if any(s in data for s in secrets):
            raise InputError("holds the value of a secret environment variable; nothing is published",
                             file=where(path))
