"""What the book's pages say about themselves: who to tell about an error, and what a shared link shows.

A Sphinx extension (``_config.yml``: ``sphinx: extra_extensions``), so the HTML book and the single page the
PDF is printed from get the same:

* **One repository address.** ``repository.url`` in ``_config.yml`` is the only place it is written. The
  footer's ``{issues}`` and the ``{report}`` role of a page (``{report}`本书代码仓库```) become links to its
  Issues; where the book is read (``html.baseurl``) defaults to the GitHub Pages address of a GitHub
  repository, where ``.github/workflows/ci.yml`` publishes it.
* **Sharing.** Every page gets a ``description`` and Open Graph tags (title, description, image, site name,
  address when the base address is known): a link pasted into WeChat or a chat shows what the page says.
  The description is the page's first paragraphs, taken from its Markdown and from its HTML outputs alike
  (sphinxext-opengraph reads only the former, and the pages are mostly outputs).
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from docutils import nodes

SHARE_IMAGE = "_static/share.png"
SHARE_IMAGE_SIZE = (1200, 630)
DESCRIPTION_CHARS = 150
PLACEHOLDER_HOSTS = ("example.org", "example.com", "example.net")


# ---- the repository and the book's address ----------------------------------------------------------
def issues_url(repository: str) -> str:
    """Where readers report an error: the repository's Issues (GitHub's layout), or the address itself."""
    repository = repository.strip().rstrip("/")
    return f"{repository}/issues" if repository else ""


def pages_url(repository: str) -> str:
    """The GitHub Pages address of a ``https://github.com/OWNER/REPO`` repository, else ""."""
    m = re.fullmatch(r"https://github\.com/([A-Za-z0-9-]+)/([A-Za-z0-9._-]+?)(?:\.git)?/?", repository.strip())
    return f"https://{m.group(1).lower()}.github.io/{m.group(2)}/" if m else ""


def is_placeholder(repository: str) -> bool:
    """True when ``repository.url`` is unset or still the placeholder (a reserved example domain)."""
    host = urlsplit(repository.strip()).hostname or ""
    return not host or host in PLACEHOLDER_HOSTS or host.endswith(tuple("." + h for h in PLACEHOLDER_HOSTS))


REPOSITORY_ENV = "FACTCHECK_REPOSITORY"
"""Set by the publishing workflow to the repository it runs in (``github.server_url``/``github.repository``), so
the published book names its real repository whatever ``repository.url`` still says."""


def repository_override() -> str:
    """The repository named by :data:`REPOSITORY_ENV` ("" when unset); anything but an https address refused."""
    import os

    from ..errors import InputError

    value = os.environ.get(REPOSITORY_ENV, "")
    if value and (not re.fullmatch(r"https://[A-Za-z0-9.-]+(?::[0-9]+)?(?:/[A-Za-z0-9._~-]+)*/?", value)
                  or is_placeholder(value)):
        raise InputError(f"must be the repository's https address, not {value[:80]!r}", parameter=REPOSITORY_ENV)
    return value


def repository_of(root) -> str:
    """The book's repository: :data:`REPOSITORY_ENV` when set, else ``repository.url`` of the book's
    ``_config.yml`` in ``root`` ("" when absent or unreadable)."""
    if repository_override():
        return repository_override()
    import yaml

    try:
        doc = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return ""
    repository = doc.get("repository") if isinstance(doc, dict) else None
    url = repository.get("url") if isinstance(repository, dict) else ""
    return url if isinstance(url, str) else ""


def _configure(app, config) -> None:
    theme = config.html_theme_options
    if repository_override():
        theme["repository_url"] = repository_override()
    repository = str(theme.get("repository_url") or "")
    config.factcheck_issues_url = "" if is_placeholder(repository) else issues_url(repository)
    if repository and not re.search(r"github|gitlab|bitbucket", repository):
        # sphinx-book-theme refuses a repository on any other host unless told how to build its (here unused)
        # edit and source buttons' addresses
        theme.setdefault("repository_provider", "github")
    if not config.html_baseurl:
        config.html_baseurl = pages_url(repository)
    footer = theme.get("extra_footer")
    if isinstance(footer, str):
        if config.factcheck_issues_url:
            footer = footer.replace("{issues}", html.escape(config.factcheck_issues_url, quote=True))
        else:  # no address yet: the words stay, with no link leading nowhere
            footer = re.sub(r'<a href="\{issues\}">(.*?)</a>', r"\1（仓库地址尚未设置）", footer)
        theme["extra_footer"] = footer


def report_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{report}`文字```: a link to the repository's Issues, where readers report an error."""
    url = inliner.document.settings.env.config.factcheck_issues_url
    if not url:  # the repository's address is not set yet: no link that leads nowhere
        return [nodes.inline(rawtext, f"{text}（仓库地址尚未设置）", classes=["report-error"])], []
    return [nodes.reference(rawtext, text, refuri=url, classes=["report-error"])], []


# ---- the description of a page ---------------------------------------------------------------------
class _Paragraphs(HTMLParser):
    """The text of each ``<p>`` of an HTML output, leaving out hidden and print-only elements."""

    SKIP_CLASSES = {"search-terms", "print-only", "downloads", "book-downloads"}
    VOID = {"br", "img", "input", "meta", "link", "hr", "wbr", "source"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self._stack: list[tuple[str, bool]] = []  # (tag, skipped)
        self._text: list[str] | None = None

    def _skipping(self) -> bool:
        return any(skip for _, skip in self._stack)

    def handle_starttag(self, tag, attrs) -> None:
        if tag in self.VOID:
            return
        a = dict(attrs)
        classes = set((a.get("class") or "").split())
        skip = "hidden" in a or bool(classes & self.SKIP_CLASSES) or tag in ("script", "style", "details", "table", "figure", "form")
        self._stack.append((tag, skip))
        if tag == "p" and self._text is None and not self._skipping():
            self._text = []

    def handle_endtag(self, tag) -> None:
        if tag in self.VOID:
            return
        while self._stack:
            open_tag, _ = self._stack.pop()
            if open_tag == tag:
                break
        if tag == "p" and self._text is not None:
            text = re.sub(r"\s+", " ", "".join(self._text)).strip()
            if text:
                self.paragraphs.append(text)
            self._text = None

    def handle_data(self, data) -> None:
        if self._text is not None and not self._skipping():
            self._text.append(data)


def paragraphs(doctree: nodes.Node) -> list[str]:
    """The page's paragraphs in order: Markdown paragraphs and the ``<p>`` of its HTML outputs."""
    out: list[str] = []
    for node in doctree.findall(lambda n: isinstance(n, (nodes.paragraph, nodes.raw))):
        if isinstance(node, nodes.raw):
            if "html" in node.get("format", "").split():
                parser = _Paragraphs()
                parser.feed(node.astext())
                out += parser.paragraphs
        elif not isinstance(node.parent, (nodes.list_item, nodes.entry, nodes.admonition)):
            text = re.sub(r"\s+", " ", node.astext()).strip()
            if text:
                out.append(text)
    return out


def description(doctree: nodes.Node, limit: int = DESCRIPTION_CHARS) -> str:
    """The first paragraphs, whole sentences up to ``limit`` characters (one cut sentence ends in …)."""
    text, last = "", 0
    for p in paragraphs(doctree):
        last = len(text)  # where the last paragraph taken starts
        text = f"{text}{p}" if text else p
        if len(text) >= limit // 2:
            break
    if len(text) <= limit:
        return text
    cut = text[:limit]
    end = max(cut.rfind("。"), cut.rfind("；"), cut.rfind("！"), cut.rfind("？"))
    if end >= max(limit // 3, last):  # whole sentences, the last paragraph's first one included
        return cut[: end + 1]
    pause = max(cut.rfind("，", last), cut.rfind("："))  # else the last paragraph up to a pause: its point stays
    return cut[:pause] + "…" if pause > last else cut[: limit - 1] + "…"


def share_tags(*, title: str, site: str, text: str, page_url: str, image_url: str, home: bool) -> str:
    """The ``<meta>`` tags of a page, escaped."""
    tags = [("name", "description", text),
            ("property", "og:title", title), ("property", "og:description", text),
            ("property", "og:type", "website" if home else "article"), ("property", "og:site_name", site),
            ("property", "og:locale", "zh_CN"), ("property", "og:image", image_url),
            ("property", "og:image:width", str(SHARE_IMAGE_SIZE[0])),
            ("property", "og:image:height", str(SHARE_IMAGE_SIZE[1])),
            ("property", "og:image:alt", site), ("name", "twitter:card", "summary_large_image")]
    if page_url:
        tags.append(("property", "og:url", page_url))
    return "".join(f'<meta {kind}="{html.escape(key, quote=True)}" content="{html.escape(value, quote=True)}" />\n'
                   for kind, key, value in tags if value)


def _page_context(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    if doctree is None:
        return
    config = app.config
    base = config.html_baseurl
    if base and not base.endswith("/"):
        base += "/"
    target = app.builder.get_target_uri(pagename)
    site = config.html_title or config.project
    home = pagename == config.root_doc
    title = re.sub(r"<[^>]+>", "", html.unescape(context.get("title") or "")).strip() or site
    image = f"{base}{SHARE_IMAGE}" if base else context["pathto"](SHARE_IMAGE, 1)
    context["metatags"] = context.get("metatags", "") + share_tags(
        title=title if home or title == site else f"{title} · {site}", site=site, text=description(doctree),
        page_url=f"{base}{target}" if base else "", image_url=image, home=home)


def publish_addresses(outdir: Path, base: str) -> int:
    """Put the book's address where the pages (the ClaimReview JSON-LD) hold :data:`~factcheck.claimreview.
    PUBLISHED_AT`: ``base`` when the book's address is known, else the way from each page to the book's root (a
    relative reference). Returns how many pages changed."""
    from ..claimreview import PUBLISHED_AT

    changed = 0
    for page in sorted(outdir.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        if PUBLISHED_AT not in text:
            continue
        root = base.rstrip("/") + "/" if base else "../" * (len(page.relative_to(outdir).parts) - 1) or "./"
        page.write_text(text.replace(PUBLISHED_AT, root), encoding="utf-8")
        changed += 1
    return changed


def _build_finished(app, exception) -> None:
    if exception is None and app.builder.format == "html":
        publish_addresses(Path(app.outdir), app.config.html_baseurl or "")


def _no_file_insertion(app) -> None:
    """No page may pull a file of the machine into the book: ``include``, ``literalinclude``, ``raw :file:`` and
    ``csv-table :file:`` are refused (a warning, which the strict build turns into a failure), and so is the raw
    directive. The Markdown pages are checked before the build too (:mod:`factcheck.publish.audit`)."""
    app.env.settings["file_insertion_enabled"] = False
    app.env.settings["raw_enabled"] = False


def setup(app):
    app.add_config_value("factcheck_issues_url", "", "env")
    app.connect("builder-inited", _no_file_insertion)
    app.connect("config-inited", _configure)
    app.connect("build-finished", _build_finished)
    app.add_role("report", report_role)
    app.connect("html-page-context", _page_context)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
