"""HTML for the pages: claim cards, the fact-check table, summaries. Every text from data is escaped here.

Pages show only what a judged file holds (:class:`factcheck.judged.Edition`). Every string that comes
from data goes through :func:`esc` (HTML text and attributes) and every address through :func:`safe_url`
(only ``http`` and ``https``; anything else is shown as text, not linked). Nothing is passed to Markdown.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from . import chapters
from .edition import Book, Edition, when
from .vocabulary import (
    BY_CODE,
    CODES,
    CONFIDENCE,
    COPY_KINDS,
    KINDS,
    LOW_TIER,
    SUPPORT,
    TARGET_COUNTED,
    TIERS,
    VERDICTS,
    WEAK_STATE,
    badge_style,
    card_style,
    counted,
)
from .words import listing, qty, typeset


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def safe_url(url: object) -> str | None:
    """``url`` when it is an absolute http(s) address with a host, else None (never linked)."""
    text = str(url or "").strip()
    if not text or any(c in text for c in "\"'<>\\ \t\r\n") or len(text) > 2000:
        return None
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    return text if parts.scheme in ("http", "https") and parts.netloc else None


def link(url: object, text: str) -> str:
    href = safe_url(url)
    return f'<a href="{esc(href)}" rel="nofollow noopener noreferrer">{esc(text)}</a>' if href else esc(text)


def json_for_script(data: object) -> str:
    """JSON safe inside ``<script>``: ``<``, ``>`` and ``&`` (and the line separators) escaped."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


class Html(str):
    """HTML that IPython displays as such (and a notebook stores as ``text/html``)."""

    def _repr_html_(self) -> str:
        return str(self)


# ---- small pieces -------------------------------------------------------------------------------
def badge(j: dict) -> str:
    code = j["verdict"]
    v = BY_CODE[code]
    return (f'<span class="verdict" data-verdict="{esc(code)}" style="{badge_style(code)}" '
            f'title="{esc(v.meaning)}">{esc(j["label"])}</span>')


def quote(j: dict) -> str:
    """The quote with the checked figure marked, at its offset (not wherever the text first occurs)."""
    q, at, fig = j["quote"], j["figure_offset"], j["figure"]
    return f"{esc(q[:at])}<mark>{esc(fig)}</mark>{esc(q[at + len(fig):])}"


def claimed(j: dict) -> str:
    """The figure as the article states it, in words: ``超过15.7亿元``, ``135.71%``."""
    if not any(ch.isdigit() for ch in j["figure"]):  # 三分之二, 首位: as printed
        return j["figure"]
    return qty(j["value"], j["decimals"], j["qualifier"], j["unit"])


def search_terms(j: dict) -> str:
    """The figure as a word of its own, for the book's search (the quote runs it into its unit: 135.71%)."""
    return f'<span class="search-terms" hidden> {esc(j["figure"])} {esc(claimed(j))} </span>'


def count_words(counts: dict[str, int]) -> str:
    """``3个数字有误，1个与独立来源的数据相符，44个是无从重算的基础数字`` in the vocabulary's order."""
    parts = [counted(c, counts[c]) for c in CODES if counts.get(c)]
    return "，".join(parts) if parts else "没有要核查的数字"


# ---- sources: originals linked first, a doubtful copy named but never linked ---------------------
def _host(url: str) -> str:
    return urlsplit(url).hostname or url


def appeared(s: dict) -> str:
    """Where and when an article appeared, and what of it was not found: ``2023年刊出（具体日期、版面、原文网址未找到）``."""
    date = when(s["published"])
    missing = [what for what, known in (("具体日期", s["published"].count("-") == 2), ("版面", bool(s["placement"])),
                                        ("原文网址", bool(safe_url(s["url"]) or safe_url(s["copy_url"])))) if not known]
    head = f"{date}刊出" if date else "刊出日期未找到"
    place = f"，见于{s['placement']}" if s["placement"] else ""
    return head + place + (f"（{'、'.join(missing)}未找到）" if missing else "")


def source_item(s: dict, *, article: bool = False) -> str:
    """One source as a list item. The original publisher's page is linked; a copy is linked only when it is a
    named repost (tier 1–2): a mirror, aggregator, encyclopedia or machine page (tier 3–4) is named by its host,
    as text, with a warning."""
    low = s["tier"] >= LOW_TIER
    original, copy = safe_url(s["url"]), safe_url(s["copy_url"])
    title = f"{s['publisher']}《{s['title']}》"
    # a tier 3–4 source's own address (no separate original) is the doubtful page itself: never a link
    parts = [link(original, title) if original and (copy or not low) else esc(title)]
    if article:
        parts.append(f"，{esc(appeared(s))}")
    elif s["published"]:
        parts.append(f"（{esc(when(s['published']))}）")
    kind = COPY_KINDS.get(s["copy_kind"], "网页")
    doubtful = copy if copy and low else original if original and low and not copy else None
    if doubtful:
        parts.append(f' <span class="copy-warning">注意：读自{esc(kind)} <span class="host">{esc(_host(doubtful))}</span>，'
                     "不是原发布者的网站，内容可能被改动，本书不给链接</span>")
    elif copy:
        parts.append(" 读自" + link(copy, "这份" + kind))
    elif low:
        parts.append(f' <span class="copy-warning">注意：{esc(TIERS[s["tier"]])}，网址未记录，未能复核</span>')
    elif not original and not article:
        parts.append(" 网址未记录")
    role = "被核查的文章" if article else TIERS.get(s["tier"], "")
    read = f"，读取于{s['accessed']}" if s["accessed"] else ""
    return f"<li>{''.join(parts)}<span class=\"tier\">（{esc(role + read)}）</span></li>"


def sources_html(edition: Edition, ids: Iterable[str], article: str = "") -> str:
    items = "".join(source_item(edition.sources[sid], article=sid == article) for sid in ids)
    return f'<ul class="claim-sources">{items}</ul>'


def asked(s: dict) -> str:
    """Whether the article's publisher was asked (``asked`` in sources.csv), in words: ``尚未询问`` when not."""
    whom = typeset("、".join(dict.fromkeys(x for x in (s["publisher"], s["origin"]) if x)))
    return s["asked"] or f"尚未询问（本书还没有就此联系{whom}）"


def settle(edition: Edition, j: dict) -> str:
    """For a figure found wrong: what would settle it (the inputs not found; the printed figures the publisher
    or the body they come from could check) and whether they were asked."""
    from .words import qty

    s = edition.sources[j["source_id"]]
    printed = [claimed(j)]
    missing: list[str] = []
    for r in j.get("readings", []):
        missing += r.get("missing", [])
        printed += [qty(u["value"], u["decimals"], u["qualifier"], u["unit"]) for u in r.get("used", [])
                    if u.get("claim_id") and u.get("source_id") == j["source_id"]]
    printed = list(dict.fromkeys(printed))
    whom = typeset(f"{s['publisher']}（刊发者）" if s["origin"] in ("", s["publisher"])
                   else f"{s['origin']}（数字的出处）或{s['publisher']}（刊发者）")
    check = f"请{whom}核对{'和'.join(printed)}"
    ways = [f"找到{'、'.join(dict.fromkeys(missing))}的公布数字", check] if missing else [check]
    return f'<p class="claim-settle">怎样能定案：{esc("；或".join(ways))}。是否问过：{esc(asked(s))}。</p>'


def source_block(edition: Edition, j: dict) -> str:
    """A card's sources; for a figure found wrong, also what would settle it and whether the publisher was asked."""
    extra = settle(edition, j) if j["verdict"] == "inconsistent" else ""
    return (f'<div class="claim-sources-block"><span>来源：</span>{sources_html(edition, j["sources"], j["source_id"])}'
            f"{extra}</div>")


def article_card(edition: Edition) -> Html:
    """The checked article(s) of an edition: where and when it appeared, the text the book checks, its
    transcription artefacts, and whether its publisher was asked about what the book finds wrong."""
    items = []
    for sid in edition.doc["articles"]:
        s = edition.sources[sid]
        original = safe_url(s["url"]) or (safe_url(s["copy_url"]) if s["tier"] < LOW_TIER else None)
        head = link(original, f"{s['publisher']}《{s['title']}》") if original else esc(f"{s['publisher']}《{s['title']}》")
        scope = "全文" if s["text_scope"] == "full" else "公开页面可见的片段（全文未能取得）"
        lines = [f"{esc(appeared(s))}。",
                 f"本书核查的文本：{esc(scope)}，逐字存于本书数据包。",
                 f"转录瑕疵：{esc(typeset(s['artefacts']))}。" if s["artefacts"] else "转录瑕疵：未记录。",
                 f"就本书认为有误的数字向刊发者求证：{esc(asked(s))}。" if edition.doc["counts"].get("inconsistent")
                 else f"向刊发者求证：本版没有发现{WEAK_STATE['inconsistent']}的数字，无需求证。"]
        items.append(f'<div class="article-card"><p class="article-head">{head}</p>'
                     f'<ul>{"".join(f"<li>{x}</li>" for x in lines)}</ul></div>')
    return Html("".join(items))


def inquiries(book: Book) -> Html:
    """For each checked article, newest edition first: how many of its figures the book finds wrong, and whether
    its publisher was asked."""
    items = []
    for e in book.editions:
        bad = e["counts"].get("inconsistent", 0)
        for sid in e["articles"]:
            said = (f"{bad}个{BY_CODE['inconsistent'].label}；{asked(book.sources[sid])}" if bad
                    else f"没有发现{WEAK_STATE['inconsistent']}的数字，无需求证")
            items.append(f"<li><b>{esc(e['title'])}</b>：{esc(said)}。</li>")
    return Html(f'<ul class="inquiries">{"".join(items)}</ul>')


# ---- a claim ------------------------------------------------------------------------------------
DETAILS = "展开：怎么算的"
CANDIDATES_HEAD = "可能的解释（按所需假设由少到多排列，只供核对，不改动结论）："


def card(edition: Edition, j: dict, *, heading: str = "h3") -> str:
    """One claim: verdict, the quote with the number marked, why, then 怎么算的 (open on request), sources."""
    what = j.get("indicator_name") or chapters.get(j["chapter"]).title
    if j.get("indicator_name") and j.get("geography"):  # whose figure, and the year it describes
        what = f"{j['geography']}{j['period']}年{what}" if j.get("period") else f"{j['geography']}{what}"
    steps = "".join(f"<li>{esc(s)}</li>" for s in j["steps"])
    candidates = "".join(f"<li>{esc(c)}</li>" for c in j["candidates"])
    candidates_html = (f'<p class="candidates-head">{CANDIDATES_HEAD}</p>'
                       f'<ol class="candidates">{candidates}</ol>') if j["candidates"] else ""
    repeats = "".join(f"<li>“{esc(r)}”</li>" for r in j.get("repeats", []))
    repeats_html = f'<p>文中另一处也写到这个数字：</p><ul class="repeats">{repeats}</ul>' if repeats else ""
    return (
        f'<article class="claim-card" id="claim-{esc(j["claim_id"])}" data-verdict="{esc(j["verdict"])}" '
        f'data-chapter="{esc(j["chapter"])}" style="{card_style(j["verdict"])}">'
        f'<{heading} class="claim-head">{badge(j)} <span class="claimed">{esc(claimed(j))}</span>'
        f'<span class="claim-what">{esc(typeset(what))}</span></{heading}>'
        f'<blockquote class="claim-quote">“{quote(j)}”</blockquote>{search_terms(j)}'
        f'<p class="claim-why">{esc(j["why"])}</p>{corrected(j)}'
        f'<details class="claim-details"><summary>{DETAILS}</summary><p class="print-only steps-head">怎么算的</p>'
        f'<ul class="steps">{steps}</ul>{candidates_html}{repeats_html}'
        f'<p class="claim-id">编号 {esc(j["claim_id"])}</p></details>'
        f"{source_block(edition, j)}"
        "</article>"
    )


def corrected(j: dict) -> str:
    """The claim's corrections, oldest first: 更正：结论原为……，现为……。why（date）"""
    return "".join(f'<p class="claim-correction"><strong>更正：</strong>结论原为“{esc(c["before_label"])}”，现为“{esc(c["after_label"])}”。'
                   f'{esc(c["why"])}（{esc(c["date"])}）</p>' for c in j.get("corrections", []))


def ordered(claims: list[dict]) -> list[dict]:
    """Errors first, then the vocabulary's order; the article's order within a verdict."""
    rank = {c: i for i, c in enumerate(CODES)}
    return sorted(claims, key=lambda j: rank[j["verdict"]])


def cards(edition: Edition, claims: list[dict]) -> Html:
    if not claims:
        return Html('<p class="empty">本章没有要核查的统计数字。</p>')
    return Html('<div class="claim-cards">' + "".join(card(edition, j) for j in ordered(claims)) + "</div>")


# ---- the fact-check table -----------------------------------------------------------------------
COLUMNS = ("结论", "原文", "理由", "章节")


def table(edition: Edition, claims: list[dict], table_id: str = "claims") -> Html:
    """Every claim, a row each, errors first; below ~700 px each row is a card (see factcheck.css)."""
    titles = {c.id: c.title for c in chapters.chapters()}
    rows = []
    for j in ordered(claims):
        cells = [badge(j), f"“{quote(j)}”",
                 f'{esc(j["why"])}{corrected(j)}<details class="claim-details"><summary>{DETAILS}</summary>'
                 f'<ul class="steps">{"".join(f"<li>{esc(s)}</li>" for s in j["steps"])}</ul>'
                 + (f'<ol class="candidates">{"".join(f"<li>{esc(c)}</li>" for c in j["candidates"])}</ol>'
                    if j["candidates"] else "")
                 + f'{sources_html(edition, j["sources"], j["source_id"])}</details>',
                 esc(titles.get(j["chapter"], j["chapter"]))]
        tds = "".join(f'<td data-label="{esc(col)}">{cell}</td>' for col, cell in zip(COLUMNS, cells, strict=True))
        rows.append(f'<tr id="claim-{esc(j["claim_id"])}" data-verdict="{esc(j["verdict"])}" '
                    f'data-chapter="{esc(j["chapter"])}">{tds}</tr>')
    head = "".join(f"<th scope=\"col\">{esc(c)}</th>" for c in COLUMNS)
    return Html(f'<p class="print-only">打印版中，每个数字的核查见前面各章。</p>'
                f'<table class="claims" id="{esc(table_id)}"><thead><tr>{head}</tr></thead>'
                f"<tbody>{''.join(rows)}</tbody></table>")


def filters(edition: Edition, table_id: str = "claims") -> Html:
    """Verdict, chapter and text filters for the fact-check table (book/_static/factcheck.js)."""
    present = {j["verdict"] for j in edition.claims}
    verdicts = "".join(f'<option value="{esc(c)}">{esc(BY_CODE[c].label)}</option>' for c in CODES if c in present)
    chapter_options = "".join(f'<option value="{esc(c.id)}">{esc(c.title)}</option>' for c in chapters.chapters()
                              if c.id in edition.published_chapters())
    return Html(
        f'<form class="claim-filter" data-table="{esc(table_id)}" role="search" aria-label="筛选核查结果">'
        f'<label>结论 <select name="verdict"><option value="">全部</option>{verdicts}</select></label> '
        f'<label>章节 <select name="chapter"><option value="">全部</option>{chapter_options}</select></label> '
        '<label>搜索 <input type="search" name="q" placeholder="原文中的字词或数字"></label> '
        '<output name="shown" aria-live="polite"></output></form>')


def register(edition: Edition) -> Html:
    """The numbers of the article that are not statistics (names, ordinals, awards, dates): kept, not checked."""
    items = edition.register()
    if not items:
        return Html("")
    lis = "".join(f"<li>“{quote(r)}”<span class=\"kind\">（{esc(KINDS.get(r['kind'], r['kind']))}"
                  + (f"；{esc(typeset(r['note']))}" if r.get("note") else "") + "）</span></li>" for r in items)
    return Html(f'<details class="register"><summary>文中另有{len(items)}个数字不是统计数字（名称、序数、奖项、日期），'
                f"不作核查</summary><ul>{lis}</ul></details>")


# ---- summaries ----------------------------------------------------------------------------------
def paragraph(text: str) -> Html:
    return Html(f"<p>{esc(text)}</p>")


def articles_text(edition: Edition) -> str:
    parts = []
    for sid in edition.doc["articles"]:
        s = edition.sources[sid]
        notes = "，".join(n for n in (when(s["published"]), "" if s["text_scope"] == "full" else "只取得片段") if n)
        parts.append(f"{s['publisher']}《{s['title']}》" + (f"（{notes}）" if notes else ""))
    return "、".join(parts)


def summary(edition: Edition, chapter: str | None = None) -> Html:
    counts = edition.chapter_counts(chapter) if chapter else edition.counts
    where = "本章" if chapter else "本版"
    return paragraph(f"{where}核查{counts['total']}个统计数字：{count_words(counts)}。")


def _what(edition: Edition, j: dict) -> str:
    """A figure named in a list: ``参评国家高新区数量169个`` (a fraction as printed: ``三分之二``)."""
    name = j.get("indicator_name") or chapters.get(j["chapter"]).title
    figure = j["figure"] if "分之" in j["figure"] else qty(j["value"], j["decimals"], j["qualifier"], j["unit"])
    return typeset(f"{name}{figure}")


def _wrong_figure(j: dict) -> str:
    """What an error's line leads with: the figure most likely wrong, or the figures that cannot all hold."""
    c = j.get("culprit")
    if c and c["confidence"] == "unknown":
        return listing([qty(x["value"], x["decimals"], x["qualifier"], x["unit"]) for x in c["suspects"]]) + \
            "不能同时成立，无法判断哪一个有误"
    if c and c["claim_id"] != j["claim_id"]:
        wrong = next(x for x in c["suspects"] if x["claim_id"] == c["claim_id"])
        return f"{CONFIDENCE[c['confidence']]}有误：{qty(wrong['value'], wrong['decimals'], wrong['qualifier'], wrong['unit'])}"
    sure = CONFIDENCE[c["confidence"]] if c else ""
    return f"{sure}有误：{claimed(j)}"


def errors_list(edition: Edition, page: str = "") -> Html:
    """The inconsistent claims, each leading with the figure most likely wrong, a link to its row on the
    fact-check page, and why."""
    bad = [j for j in edition.claims if j["verdict"] == "inconsistent"]
    if not bad:
        return paragraph("本版没有发现有误的数字。")
    target = page or chapters.factcheck_page() + ".html"
    items = "".join(f'<li><p class="error-figure"><b>{esc(_wrong_figure(j))}</b></p>'
                    f'<a class="error-quote" href="{esc(target)}#claim-{esc(j["claim_id"])}">“{quote(j)}”</a>'
                    f"<p>{esc(j['why'])}</p></li>" for j in bad)
    return Html(f'<ul class="errors">{items}</ul>')


def legend() -> Html:
    rows = "".join(f'<li><span class="verdict" data-verdict="{esc(v.code)}" style="{badge_style(v.code)}">'
                   f"{esc(v.label)}</span>：{esc(v.meaning)}</li>" for v in BY_CODE.values())
    return Html(f'<ul class="verdict-legend">{rows}</ul>')


SENTENCE = re.compile(r"[^。！？]+[。！？]?")


def intro(edition: Edition, chapter: str) -> Html:
    """A chapter's introduction (book/chapters.yml: the edition's own, else the chapter's) with its {year} and
    {figure:…} filled in; a sentence naming a figure the edition does not have is left out (its words were
    written around the figure), never printed with 未找到 in its place. Nothing when no sentence is left."""
    kept = []
    for sentence in SENTENCE.findall(chapters.get(chapter).intro_for(edition.year)):
        named = [(m.group(2), m.group(3)) for m in chapters.PLACEHOLDER.finditer(sentence) if m.group(2)]
        if all(edition.figures(indicator, place, edition.year) for indicator, place in named):
            kept.append(chapters.PLACEHOLDER.sub(lambda m: str(edition.year) if m.group(1) == "year"
                                                 else edition.figure_text(m.group(2), m.group(3)), sentence))
    return paragraph(typeset("".join(kept))) if kept else Html("")


def downloads(edition: Edition, root: str) -> Html:
    """The edition's verdict table, its PDF and the data package (added to the built book by the export step)."""
    from .downloads import name, pdf_name

    return Html(f'<p class="downloads"><a href="{esc(root)}_downloads/{esc(name(edition.year))}" download>'
                f"下载本版核查结果（CSV，可用Excel打开）</a> · "
                f'<a href="{esc(root)}_downloads/{esc(pdf_name(edition.year))}">下载本版PDF（可打印）</a> · '
                f'<a href="{esc(root)}_downloads/jiangmen-factcheck-data.zip" download>下载全部数据（ZIP）</a></p>')


# ---- the landing page and the overview ----------------------------------------------------------
def findings(edition: Edition) -> Html:
    """What the edition's article got right and wrong, in plain lines, every one from the judgements the
    cards show: the counts, the errors (naming the figure most likely wrong), what holds and on what
    evidence, what could not be checked and which data were missing, and the targets."""
    c = edition.counts
    others = len(edition.register())
    extra = f"（另有{others}个数字是名称、序数、奖项或日期，不作核查）" if others else ""
    root = ""
    out = [paragraph(f"{articles_text(edition)}列出{c['total']}个统计数字{extra}。本书逐一追溯、重算：{count_words(c)}。")]
    if c["inconsistent"]:
        out.append(Html(f"<p><b>有误的{c['inconsistent']}个数字</b>：每一个都附有算式和可能的解释。</p>"))
        out.append(errors_list(edition, page=_page_of(edition)))
    else:
        out.append(paragraph("本版没有发现有误的数字。"))
    holds = [(code, [j for j in edition.claims if j["verdict"] == code]) for code in SUPPORT]
    holds = [(code, js) for code, js in holds if js]
    if holds:
        items = "".join(
            f'<li><span class="verdict" data-verdict="{esc(code)}" style="{badge_style(code)}">{esc(BY_CODE[code].label)}</span> '
            f"{esc(counted(code, len(js)))}：{_figure_links(edition, js, root)}。</li>" for code, js in holds)
        out.append(Html(f"<p><b>站得住的数字</b>：按证据由强到弱。</p><ul class=\"holds\">{items}</ul>"))
    else:
        out.append(paragraph("本版没有一个数字得到外部数据或文章自身算术的支持。"))
    if c["unverifiable"]:
        out.append(paragraph(_unverifiable_text(edition)))
    targets = [j for j in edition.claims if j["verdict"] == "target"]
    if targets:
        statuses = [j["target"]["status"] for j in targets]
        parts = "，".join(TARGET_COUNTED[st].format(n=statuses.count(st)) for st in TARGET_COUNTED if st in statuses)
        out.append(paragraph(f"文中有{len(targets)}个规划目标：{parts}。"))
    if c["stated"]:
        out.append(paragraph(f"其余{c['stated']}个是文章给出的基础数字，无从重算，本书也没有找到别的来源给出同一数字。"))
    return Html("".join(out))


def _figure_links(edition: Edition, claims: list[dict], root: str) -> str:
    return "、".join(f'<a href="{esc(_card_link(edition, j, root))}">{esc(_what(edition, j))}</a>' for j in claims)


def _unverifiable_text(edition: Edition) -> str:
    """Why the unverifiable figures could not be checked, grouped by what was missing (from the data)."""
    names = edition.doc["indicators"]
    groups: dict[str, int] = {}
    for j in edition.claims:
        if j["verdict"] != "unverifiable":
            continue
        groups[_missing_reason(j, names)] = groups.get(_missing_reason(j, names), 0) + 1
    ranked = sorted(groups.items(), key=lambda kv: -kv[1])
    parts = "；".join(f"{n}个{reason}" for reason, n in ranked)
    return (f"无法核实的{sum(groups.values())}个数字：{parts}。找不到不等于没有公布；每张卡片的“展开”写明查过哪里。")


def _missing_reason(j: dict, names: dict) -> str:
    """One short reason an unverifiable figure could not be checked: what was missing, or why the check
    does not count."""
    r = j["readings"][j.get("decisive", 0)] if j.get("readings") else None
    if j.get("culprit"):
        return "与一个很可能有误的数字不能同时成立"
    if j.get("vacuous") or (r and r.get("loose")):
        return "的核对不可能不通过（不算支持）"
    if r and r.get("weak"):
        return "依据的数字本身有误或无法核实"
    if r and r.get("left_out"):
        return "缺部分年份的数字"
    refs = (r or {}).get("missing_refs") or []
    if refs:
        ref = refs[0]
        name = names.get(ref["indicator"], {}).get("name_zh", ref["indicator"])
        if ref["indicator"] == "city_rank":
            return f"缺各县（市、区）{name}"
        return typeset(f"缺{ref['geography']}的{name}")
    return "缺核对所需的数据"


def _page_of(edition: Edition) -> str:
    return f"editions/{edition.year}/{chapters.factcheck_page()}.html"


def _card_link(edition: Edition, j: dict, root: str) -> str:
    return f"{root}editions/{edition.year}/{chapters.get(j['chapter']).page}.html#claim-{j['claim_id']}"


def featured(edition: Edition, root: str = "") -> Html:
    """The figures readers ask about (``featured`` in claims.csv): verdict, quote, why, and a link to the card."""
    chosen = [j for j in edition.claims if j.get("featured")]
    if not chosen:
        return paragraph("本版没有标出重点数字。")
    items = "".join(
        f'<li class="featured-claim">{badge(j)} “{quote(j)}”<p>{esc(j["why"])}</p>'
        f'<a href="{esc(_card_link(edition, j, root))}">看这个数字的核查</a></li>' for j in chosen)
    return Html(f'<ul class="featured">{items}</ul>')


def overview_lead(edition: Edition) -> Html:
    c = edition.counts
    scope = "" if edition.doc["full"] else "本版只取得文章的片段，所以只核查这些片段里的数字。"
    total = f"共{c['total']}个统计数字：{count_words(c)}。"
    return Html(f"<p>本版核查{esc(articles_text(edition))}。{esc(scope)}</p><p>{esc(total)}</p>")


def chapter_links(edition: Edition) -> Html:
    items = []
    for cid in edition.published_chapters():
        ch = chapters.get(cid)
        items.append(f'<li><a href="{esc(ch.page)}.html">{esc(ch.title)}</a>：'
                     f"{esc(count_words(edition.chapter_counts(cid)))}</li>")
    items.append(f'<li><a href="{esc(chapters.factcheck_page())}.html">逐条核查</a>：全部数字，可筛选、可下载</li>')
    return Html(f'<ul class="chapter-links">{"".join(items)}</ul>')


def book_downloads(book: Book) -> Html:
    """Each edition's PDF and verdict table, newest first, then the data package."""
    from .downloads import name, pdf_name

    editions = "".join(
        f'<li>{esc(e["year"])}年版：<a href="../_downloads/{esc(pdf_name(e["year"]))}">PDF</a>（可打印，含全部图表与'
        f'中文字体，带页码） · <a href="../_downloads/{esc(name(e["year"]))}" download>核查结果（CSV）</a>'
        "（可用Excel直接打开）</li>" for e in book.editions)
    return Html(f'<ul class="book-downloads">{editions}'
                '<li><a href="../_downloads/jiangmen-factcheck-data.zip" download>数据包（ZIP）</a>：全部数据表、文章原文、'
                "各版核查结果和说明。</li><li>每张图表下方都有它的数据（CSV）和图片（SVG）。</li></ul>")


def _state(e: dict) -> str:
    """What an edition checks, in words: the whole article or the excerpts found, and whether it is a draft."""
    scope = "核查全文" if e["full"] else "只取得片段，核查其中的数字"
    return scope + (f"；草稿：{e['drafts']}行登记尚待人工核对" if e["drafts"] else "")


def _article_line(s: dict) -> str:
    """An article in a line: its name, where and when it appeared (``南方日报；南方+客户端，2024年2月18日刊出``)."""
    date = when(s["published"])
    appeared_text = "，".join(x for x in (s["placement"], f"{date}刊出" if date else "刊出日期未找到") if x)
    return f"{s.get('short_title') or s['publisher'] + '《' + s['title'] + '》'}（{appeared_text}）"


def editions_list(book: Book) -> Html:
    """Every edition, newest first: the year its figures describe, the article it checks (where and when it
    appeared), what of it is checked (the whole text, excerpts; a draft), and what the check found."""
    items = []
    for e in book.editions:
        c = e["counts"]
        found = (f"{c['total']}个统计数字，{counted('inconsistent', c['inconsistent'])}" if c.get("inconsistent")
                 else f"{c['total']}个统计数字，没有发现有误的")
        articles = "、".join(_article_line(book.sources[sid]) for sid in e["articles"])
        items.append(f'<li class="edition-item"><a href="editions/{esc(e["year"])}/00_overview.html">'
                     f'<b>{esc(e["year"])}年版</b></a>：{esc(typeset(articles))}。{esc(_state(e))}；{esc(found)}。</li>')
    return Html(f'<ul class="editions">{"".join(items)}</ul>')


# ---- about the book -----------------------------------------------------------------------------
def checked_when(book: Book) -> Html:
    """When the figures were taken: the sources' access dates, oldest and newest."""
    dates = sorted({s["accessed"] for s in book.sources.values() if s["accessed"]})
    if not dates:
        return Html("")
    span_text = dates[0] if dates[0] == dates[-1] else f"{dates[0]}至{dates[-1]}"
    return paragraph(f"本书引用的数字于{span_text}取得；每张卡片的来源后注明读取日期。数字以读取时的页面为准，"
                     "之后原页面如有改动，以更正记录为准。")


def searches(book: Book) -> Html:
    """What could not be found, and where it was looked for (``searches.csv``)."""
    rows = book.searches
    if not rows:
        return paragraph("没有记录查找未果的数据。")
    names = book.doc["indicators"]
    items = []
    for s in rows:
        name = names.get(s["indicator"], {}).get("name_zh", s["indicator"])
        what = f"{s['geography']}{s['period']}年{name}"
        found = {"nothing": "未找到", "unpublished": "来源说明未公布", "near-miss": "只找到相近的数字"}[s["result"]]
        note = f"；最接近的是：{typeset(s['note'])}" if s["note"] else ""
        items.append(f"<li><b>{esc(typeset(what))}</b>：{esc(found)}。查过：{esc(typeset(s['searched']))}（{esc(s['date'])}）"
                     f"{esc(note)}</li>")
    return Html(f'<ul class="searches">{"".join(items)}</ul>')


def corrections(book: Book) -> Html:
    """The corrections log (``corrections.csv``): every change to a verdict after it was published, newest first."""
    rows = book.corrections
    if not rows:
        return paragraph("尚无更正。")
    columns = ("日期", "版本", "数字", "结论", "原因")
    head = "".join(f'<th scope="col">{esc(c)}</th>' for c in columns)
    body = "".join(
        "<tr>" + "".join(f'<td data-label="{esc(col)}">{esc(cell)}</td>' for col, cell in zip(columns, (
            c["date"], f'{c["edition"]}年版', c["what"], f'原为“{c["before_label"]}”，现为“{c["after_label"]}”', c["why"]),
            strict=True)) + "</tr>" for c in rows)
    current = {v.label for v in VERDICTS}
    retired = sorted({c["before_label"] for c in rows if c["before_label"] and c["before_label"] not in current})
    note = (paragraph(f"{'、'.join(f'“{x}”' for x in retired)}是本书以前用过、现已不用的结论名称；"
                      "现在每个结论的含义见“方法与数据”。") if retired else "")
    return Html(f"<table class=\"claims corrections\"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{note}")


# ---- drafts ---------------------------------------------------------------------------------------
def draft_notice(edition: Edition) -> Html | None:
    """At the top of every page of an edition with rows that await review: it is a draft, and how many
    (nothing, not even an empty output, for a reviewed edition)."""
    if not edition.drafts:
        return None
    return Html(f'<div class="draft-notice" role="note"><p><strong>草稿</strong>：本版有{edition.drafts}行登记由程序拟定、'
                "尚待人工核对，其中的数字、单位和结论都可能改变。</p></div>")
