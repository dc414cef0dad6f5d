"""Draw the picture a shared link shows (og:image): ``book/_static/share.png``, 1200 × 630.

The book's title and what it does, drawn by Debian's Chromium with the Noto CJK font, so the PNG holds the
glyphs and needs no font where it is shown. Run it again when the title changes::

    .venv/bin/python tools/share_image.py
"""

from __future__ import annotations

import html
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from factcheck.publish.browser import launch  # noqa: E402
from factcheck.publish.sphinxext import SHARE_IMAGE, SHARE_IMAGE_SIZE  # noqa: E402

TITLE = "江门高新区新闻数字核查"
LINE = "报道里的每一个数字：追溯来源，重新计算，说明它站不站得住"
FOOT = "原文 · 算式 · 来源 · 数据，全部公开"


def page() -> str:
    width, height = SHARE_IMAGE_SIZE
    return f"""<!doctype html><html lang="zh-CN"><meta charset="utf-8"><style>
      body {{ margin:0; width:{width}px; height:{height}px; background:#fff; font-family:'Noto Sans CJK SC',sans-serif;
             display:flex; flex-direction:column; justify-content:center; padding:0 80px; box-sizing:border-box;
             border-top:18px solid #2b6cb0; color:#1a202c; }}
      h1 {{ font-size:76px; margin:0 0 28px; font-weight:700; }}
      p {{ font-size:34px; margin:0 0 48px; color:#2d3748; }}
      div {{ font-size:28px; color:#2b6cb0; border-top:3px solid #e2e8f0; padding-top:28px; }}
    </style><body><h1>{html.escape(TITLE)}</h1><p>{html.escape(LINE)}</p><div>{html.escape(FOOT)}</div></body></html>"""


def main() -> None:
    out = ROOT / "book" / SHARE_IMAGE
    width, height = SHARE_IMAGE_SIZE
    with launch() as browser:
        tab = browser.new_page(viewport={"width": width, "height": height})
        tab.set_content(page(), wait_until="load")
        tab.evaluate("() => document.fonts.ready.then(() => true)")
        tab.screenshot(path=str(out), clip={"x": 0, "y": 0, "width": width, "height": height})
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
