"""HTML and glue for the notebooks: tables a journalist can scan, numbers that prose can quote."""

from __future__ import annotations

import html

import pandas as pd
from IPython.display import HTML, Markdown

from .edition import CHAPTERS, Edition
from .engine import VERDICT_ZH, Judgement

VERDICT_HELP = {
    "reproduced": "用独立来源的数据重算,按所印精度相等",
    "consistent": "无法独立重算,但与文中其他数字相容",
    "inconsistent": "重算结果或其隐含的数字与本文、其他数字或来源矛盾",
    "unverifiable": "所需数据未公布;说明中给出本文数字所隐含的数值",
    "stated": "基础数据,无可重算(有其他来源重复时注明)",
    "target": "规划目标,与已公布的实际值比较",
}


def glue_md(name: str, text: object) -> None:
    """Glue a piece of text for ``{glue:md}`name``` in the notebook's prose."""
    from myst_nb import glue

    glue(name, Markdown(str(text)), display=False)


def glue_counts(edition: Edition, chapter: str | None = None) -> dict[str, int]:
    counts = edition.counts(chapter)
    for key, n in counts.items():
        glue_md(f"n_{key}", n)
    glue_md("year", edition.year)
    return counts


def badge(verdict: str) -> str:
    return (f'<span class="verdict verdict-{verdict}" title="{html.escape(VERDICT_HELP[verdict])}">'
            f"{VERDICT_ZH[verdict]}</span>")


def _quote(j: Judgement) -> str:
    q = html.escape(j.quote)
    fig = html.escape(j.figure)
    return q.replace(fig, f"<mark>{fig}</mark>", 1)


def _details(j: Judgement) -> str:
    parts = [f"<p>{html.escape(j.explanation)}</p>"]
    if j.formula:
        parts.append(f"<p class='formula'>公式:<code>{html.escape(j.formula)}</code></p>")
    if j.diagnoses:
        items = "".join(
            f"<li><b>{d['rank']}. {html.escape(d['kind_zh'])}</b>:{html.escape(d['assumes'])}。"
            f"需要:{html.escape(d['requires'])}。<span class='result'>{html.escape(d['result'])}</span></li>"
            for d in j.diagnoses)
        parts.append(f"<div class='diagnoses'><p>可能的解释(按所需假设由少到多排列;仅供核对,不改动结论):</p>"
                     f"<ol>{items}</ol></div>")
    elif j.verdict == "inconsistent":
        parts.append("<p class='diagnoses'>未找到能使该数字成立的常见读法。</p>")
    return "".join(parts)


def claims_html(judgements: list[Judgement], *, table_id: str = "claims", chapter_column: bool = False) -> HTML:
    """A table of claims: the quote with the figure marked, the verdict, the recomputation and why."""
    head = "<th>编号</th>" + ("<th>章节</th>" if chapter_column else "") + \
        "<th>原文</th><th>本文数字</th><th>结论</th><th>重算</th><th>说明</th>"
    rows = []
    for j in judgements:
        chapter = f"<td>{html.escape(CHAPTERS[j.chapter])}</td>" if chapter_column else ""
        rows.append(
            f'<tr id="claim-{j.claim_id}" data-verdict="{j.verdict}" data-chapter="{j.chapter}">'
            f"<td><code>{j.claim_id}</code></td>{chapter}<td class='quote'>{_quote(j)}</td>"
            f"<td>{html.escape(j.claimed)}</td><td>{badge(j.verdict)}</td><td>{html.escape(j.recomputed)}</td>"
            f"<td class='why'>{_details(j)}</td></tr>")
    if not rows:
        return HTML("<p class='empty'>本年度没有属于本章的数字。</p>")
    # The wrapper scrolls sideways on narrow screens: focusable and named, so keyboard users can scroll it.
    return HTML(f'<div class="claims-wrap" tabindex="0" role="region" aria-label="逐条核查表">'
                f'<table class="claims" id="{table_id}"><thead><tr>{head}</tr></thead>'
                f"<tbody>{''.join(rows)}</tbody></table></div>")


def filter_controls(table_id: str = "claims") -> HTML:
    """Verdict, chapter and text filters for the fact-check table (book/_static/factcheck.js)."""
    verdicts = "".join(f'<option value="{v}">{VERDICT_ZH[v]}</option>' for v in VERDICT_ZH)
    chapters = "".join(f'<option value="{k}">{html.escape(v)}</option>' for k, v in CHAPTERS.items())
    return HTML(
        f'<form class="claim-filter" data-table="{table_id}" role="search" aria-label="筛选核查结果">'
        f'<label>结论 <select name="verdict"><option value="">全部</option>{verdicts}</select></label> '
        f'<label>章节 <select name="chapter"><option value="">全部</option>{chapters}</select></label> '
        '<label>搜索 <input type="search" name="q" placeholder="原文或编号"></label> '
        '<output name="shown" aria-live="polite"></output></form>')


def headline_html(table: pd.DataFrame) -> HTML:
    shown = table[["指标", "地域", "数值", "单位", "来源"]]
    return HTML(shown.to_html(index=False, classes="headline", escape=True, border=0))


def verdict_legend() -> Markdown:
    lines = [f"- **{VERDICT_ZH[v]}**(`{v}`):{VERDICT_HELP[v]}" for v in VERDICT_ZH]
    return Markdown("\n".join(lines))


def article_list(edition: Edition) -> str:
    """The checked articles as prose: publisher《title》(date)."""
    parts = []
    for _, s in edition.articles.iterrows():
        date = f"({s['published']})" if s["published"] else ""
        parts.append(f"{s['publisher']}《{s['title']}》{date}")
    return "、".join(parts)


def inconsistent_list(edition: Edition) -> Markdown:
    bad = [j for j in edition.judgements if j.verdict == "inconsistent"]
    if not bad:
        return Markdown("本年度没有判为不一致的数字。")
    # A link in a notebook's Markdown *output* is not resolved by the book builder: point at the built page.
    lines = [f"- [`{j.claim_id}`](08_factcheck.html#claim-{j.claim_id}) “{j.quote}”:{j.explanation}" for j in bad]
    return Markdown("\n".join(lines))
