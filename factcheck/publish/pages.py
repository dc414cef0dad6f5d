"""The one place built pages are adjusted after Jupyter Book wrote them.

* sphinx-thebe writes ``THEBE_JS_URL`` (a CDN address) into every page, twice, although live code is
  off: removed, so no CDN address is left in the book and the theme's "already declared" error is gone;
* two theme buttons get accessible names that match what they show (axe finds no serious violation);
* the theme's print header (which repeats the page title unescaped) is escaped again, and the sidebar's
  fold toggles get a name;
* Font Awesome's 1.5 MB script (redundant with the theme's icon webfont) goes, and so do the vega
  bundle and sphinx-design's assets on pages that don't use them (every page under the 2 MB budget);
* the page source links (``_sources``) are not published (``html_show_sourcelink: false``), and no
  page keeps an absolute path of the machine that built it;
* the theme's interface speaks Chinese: ``language: zh_CN`` translates most of it, :data:`THEME_WORDS` the
  rest (the search field, the sidebar toggles, the heading links, the print button, the copyright line).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

THEBE_SCRIPT = re.compile(r'\s*<script>const THEBE_JS_URL = "[^"]*";[^<]*</script>')
# The theme's search field buttons show "搜索 Ctrl+K" but are named "搜索" (axe: label-content-name-mismatch):
# without the aria-label their name is their visible text.
SEARCH_FIELD_LABEL = re.compile(r'(<button class="btn search-button-field search-button__button[^"]*"[^>]*?)'
                                r' aria-label="[^"]*"')
# The colour-mode button is named in English, and Font Awesome turns its icons' titles into SVG <title>s
# that count as text inside it: name it in Chinese, drop the icons' titles and hide the icons.
THEME_SWITCH_LABEL = ('aria-label="Color mode" data-bs-title="Color mode"', 'aria-label="颜色模式" data-bs-title="颜色模式"')
THEME_SWITCH_ICON = re.compile(r'<i class="theme-switch ([^"]*)" data-mode="(\w+)"\s+title="[^"]*"></i>')
# Weight: the theme loads Font Awesome's 1.5 MB SVG-icon script on every page although its CSS already
# draws the same icons from the webfont; and a page without charts needs no vega bundle (0.9 MB).
FONTAWESOME_JS = re.compile(r'\s*<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>')
VEGA_BUNDLE_JS = re.compile(r'\s*<script src="[^"]*_static/vega-bundle\.js[^"]*"></script>')
# sphinx-design (always loaded by Jupyter Book) adds its CSS and tab script to pages using none of it.
SPHINX_DESIGN = re.compile(r'\s*<link rel="stylesheet" type="text/css" href="[^"]*_static/sphinx-design\.min\.css[^"]*" />'
                           r'|\s*<script data-sd-tabs-storage-prefix="[^"]*" src="[^"]*_static/design-tabs\.js[^"]*"></script>')


# The theme's download menu offers the page's source from _sources/, which is not published (html_copy_source
# is off: a source can carry paths of the building machine); Jupyter Book 1 does not pass the switch through.
SOURCE_DOWNLOAD = re.compile(r'\s*<li><a href="[^"]*_sources/[^"]*"[^>]*btn-download-source-button.*?</a>\s*</li>', re.S)


# The theme's print header repeats the page title without escaping it: escape it again (chapter titles are
# refused with markup anyway, see factcheck.chapters).
PRINT_TITLE = re.compile(r'(<div id="jb-print-docs-body" class="onlyprint">\s*<h1>)(.*?)(</h1>)', re.S)
# The sidebar's fold toggles hold only an icon marked presentational: give them a name.
NAV_TOGGLE = '<summary><span class="toctree-toggle" role="presentation">'
NAV_TOGGLE_NAMED = '<summary aria-label="展开或收起本版各章"><span class="toctree-toggle" role="presentation">'


# What zh_CN leaves in English (or in Traditional Chinese) in pydata-sphinx-theme 0.17 and sphinx-book-theme 1.3.
THEME_WORDS = (
    ('placeholder="Search this book..."', 'placeholder="搜索本书……"'),
    ('aria-label="Search this book..."', 'aria-label="搜索本书"'),
    ('aria-label="Main"', 'aria-label="全书目录"'),
    ('aria-label="Page"', 'aria-label="本页目录"'),
    ('title="Toggle primary sidebar"', 'title="显示或隐藏全书目录"'),
    ('title="Toggle secondary sidebar"', 'title="显示或隐藏本页目录"'),
    ('title="Link to this heading"', 'title="本节的链接"'),
    ('title="列印成 PDF"', 'title="打印本页（可存为PDF）"'),
    ('<span class="btn__text-container">.pdf</span>', '<span class="btn__text-container">打印本页</span>'),
    ("let toggleHintShow = 'Click to show';", "let toggleHintShow = '点击展开';"),
    ("let toggleHintHide = 'Click to hide';", "let toggleHintHide = '点击收起';"),
)
COPYRIGHT = re.compile(r"©\s*Copyright\s+([^<]*?)\.?\s*(?=<br/>|</p>)")


def escape_search_index(html_dir: Path) -> None:
    """Sphinx keeps headings unescaped in ``searchindex.js`` and its search page writes them into ``innerHTML``:
    a title from data holding markup would run there. The data refuse < and > in titles; this escapes them too."""
    index = html_dir / "searchindex.js"
    if index.is_file():
        text = index.read_text(encoding="utf-8")
        escaped = text.replace("<", "&lt;").replace(">", "&gt;")
        if escaped != text:
            index.write_text(escaped, encoding="utf-8")


def postprocess_html(html_dir: Path) -> None:
    """Apply the adjustments of the module docstring to every page under ``html_dir``."""
    escape_search_index(html_dir)
    for page in html_dir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        cleaned = SEARCH_FIELD_LABEL.sub(r"\1", THEBE_SCRIPT.sub("", text))
        cleaned = THEME_SWITCH_ICON.sub(r'<i aria-hidden="true" class="theme-switch \1" data-mode="\2"></i>',
                                        cleaned.replace(*THEME_SWITCH_LABEL))
        cleaned = FONTAWESOME_JS.sub("", SOURCE_DOWNLOAD.sub("", cleaned))
        cleaned = PRINT_TITLE.sub(lambda m: m.group(1) + html.escape(html.unescape(m.group(2))) + m.group(3), cleaned)
        cleaned = cleaned.replace(NAV_TOGGLE, NAV_TOGGLE_NAMED)
        for english, chinese in THEME_WORDS:
            cleaned = cleaned.replace(english, chinese)
        cleaned = COPYRIGHT.sub(lambda m: f"© {m.group(1)}", cleaned)
        if 'class="factcheck-chart"' not in cleaned:
            cleaned = VEGA_BUNDLE_JS.sub("", cleaned)
        if not re.search(r'class="[^"]*\bsd-', cleaned):
            cleaned = SPHINX_DESIGN.sub("", cleaned)
        if cleaned != text:
            page.write_text(cleaned, encoding="utf-8")
