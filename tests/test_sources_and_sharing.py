"""How a source is shown (originals linked, doubtful copies named but never linked), what settles an error
and whether its publisher was asked, how an edition is named, what a shared link says, and the theme's
interface in Chinese: each rule on small inputs, without a book or a browser."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docutils import nodes

from factcheck import present
from factcheck.edition import Book, Edition, edition_title, when
from factcheck.publish import pages, sphinxext


def source(**kw) -> dict:
    base = {"publisher": "某报", "origin": "某区", "title": "某文", "published": "2023-02-01", "url": "", "copy_url": "",
            "copy_kind": "", "tier": 1, "accessed": "2026-11-25", "artefacts": "", "text_scope": "", "short_title": "",
            "placement": "", "asked": ""}
    return {**base, **kw}


def links(html: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)"', html)


# ---- sources -------------------------------------------------------------------------------------------
def test_an_original_is_linked():
    html = present.source_item(source(url="https://www.gov.cn/a.html"))
    assert links(html) == ["https://www.gov.cn/a.html"] and "copy-warning" not in html


@pytest.mark.parametrize("tier, kind", [(3, "mirror"), (3, "encyclopedia"), (4, "machine")])
def test_a_doubtful_copy_is_named_by_its_host_and_never_linked(tier, kind):
    html = present.source_item(source(url="https://www.gov.cn/a.html", copy_url="https://a06588.vip/x/1.html",
                                      copy_kind=kind, tier=tier))
    assert links(html) == ["https://www.gov.cn/a.html"], "the original first, the copy not at all"
    assert re.search(r'class="copy-warning">注意：读自.+<span class="host">a06588\.vip</span>.*本书不给链接', html)
    alone = present.source_item(source(copy_url="https://twwiki.net/wiki/x.html", copy_kind=kind, tier=tier))
    assert not links(alone) and "twwiki.net" in alone and "copy-warning" in alone


def test_a_doubtful_page_given_as_its_own_address_is_not_linked_either():
    html = present.source_item(source(url="https://bkwk.cn/article/x.html", tier=4))
    assert not links(html) and '<span class="host">bkwk.cn</span>' in html


def test_a_named_repost_is_linked_after_the_original():
    html = present.source_item(source(url="https://www.stats.gov.cn/a", copy_url="https://keji.rednet.cn/b",
                                      copy_kind="repost", tier=2))
    assert links(html) == ["https://www.stats.gov.cn/a", "https://keji.rednet.cn/b"]


def test_a_doubtful_source_without_an_address_still_carries_a_warning():
    assert "copy-warning" in present.source_item(source(tier=4))


def test_the_checked_article_says_when_and_where_it_appeared_and_what_was_not_found():
    html = present.source_item(source(published="2023"), article=True)
    assert "2023年刊出（具体日期、版面、原文网址未找到）" in html and "被核查的文章" in html
    html = present.source_item(source(url="https://static.nfapp.southcn.com/c.html", placement="南方日报；南方+客户端"),
                               article=True)
    assert "2023年2月1日刊出，见于南方日报；南方+客户端" in html and "未找到" not in html


def test_text_from_data_is_escaped_in_a_source():
    html = present.source_item(source(title="<script>x</script>", copy_url="https://a.vip/<b>", tier=3))
    assert "<script>" not in html and "<b>" not in html


# ---- what settles an error, and whether the publisher was asked -------------------------------------
def edition(asked: str = "") -> Edition:
    j = {"claim_id": "2022-x", "verdict": "inconsistent", "source_id": "art", "figure": "15.53", "value": 15.53,
         "decimals": 2, "qualifier": "=", "unit": "件/万人", "sources": ["art"],
         "readings": [{"missing": ["江海区2022年常住人口"],
                       "used": [{"claim_id": "2022-hv", "source_id": "art", "value": 52.0, "decimals": 0,
                                 "qualifier": "=", "unit": "件"},
                                {"claim_id": "", "source_id": "census", "value": 36.4694, "decimals": 4,
                                 "qualifier": "=", "unit": "万人"}]}]}
    doc = {"year": 2022, "full": True, "articles": ["art"], "claims": [j], "counts": {"inconsistent": 1},
           "sources": {"art": source(publisher="江门日报", origin="江门高新区(江海区)", asked=asked)}}
    return Edition(doc, Path("2022.json"))


def test_an_error_says_what_would_settle_it_and_that_nobody_asked_yet():
    e = edition()
    text = present.settle(e, e.claims[0])
    assert "怎样能定案：找到江海区2022年常住人口的公布数字；或请江门高新区（江海区）（数字的出处）或江门日报（刊发者）核对" in text
    assert "15.53件/万人和52件" in text and "36.4694" not in text, "only the article's own figures are the publisher's"
    assert "是否问过：尚未询问" in text


def test_an_answer_recorded_in_the_data_is_shown_instead():
    e = edition(asked="2026-12-01 发邮件询问江门日报编辑部，尚未回复")
    assert "是否问过：2026-12-01 发邮件询问江门日报编辑部，尚未回复。" in present.settle(e, e.claims[0])
    book = Book({"editions": [{"year": 2022, "title": e.title, "articles": ["art"], "full": True, "drafts": 0,
                               "counts": e.counts}], "sources": e.sources}, Path("book.json"))
    assert "尚未回复" in present.inquiries(book)


def test_only_an_error_carries_the_settle_line():
    e = edition()
    assert "claim-settle" in present.source_block(e, e.claims[0])
    assert "claim-settle" not in present.source_block(e, {**e.claims[0], "verdict": "consistent"})


# ---- edition names --------------------------------------------------------------------------------------
@pytest.mark.parametrize("published, text", [("2023", "2023年"), ("2024-02", "2024年2月"), ("2024-02-18", "2024年2月18日"),
                                             ("", "")])
def test_a_publication_date_reads_as_chinese(published, text):
    assert when(published) == text


def test_an_edition_is_named_by_its_article_and_the_year_its_figures_describe():
    doc = {"year": 2022, "full": True, "articles": ["a"], "sources": {"a": source(short_title="江门日报2023年初报道")}}
    assert edition_title(doc) == "江门日报2023年初报道（2022年数据）"
    doc = {"year": 2023, "full": False, "articles": ["a"], "sources": {"a": source(publisher="南方日报")}}
    assert edition_title(doc) == "南方日报2023年2月1日（2023年数据，片段）"


# ---- sharing and the repository ------------------------------------------------------------------------
def test_the_repository_gives_the_issues_and_the_book_address():
    assert sphinxext.issues_url("https://github.com/Owner/book/") == "https://github.com/Owner/book/issues"
    assert sphinxext.pages_url("https://github.com/Owner/book") == "https://owner.github.io/book/"
    assert sphinxext.pages_url("https://example.org/jiangmen-factcheck") == ""
    assert sphinxext.is_placeholder("https://example.org/jiangmen-factcheck") and sphinxext.is_placeholder("")
    assert not sphinxext.is_placeholder("https://github.com/Owner/book")


def test_the_config_names_one_repository():
    root = Path(__file__).resolve().parents[1]
    assert sphinxext.repository_of(root).startswith("https://")


def doctree(*parts: nodes.Node) -> nodes.document:
    from docutils.frontend import get_default_settings
    from docutils.utils import new_document

    doc = new_document("page", get_default_settings())
    doc.extend(parts)
    return doc


def test_a_description_reads_paragraphs_of_markdown_and_of_html_outputs():
    tree = doctree(nodes.title(text="标题"), nodes.paragraph(text="第一段。"),
                   nodes.raw("", '<p>本版核查<b>80</b>个数字。<span class="search-terms" hidden> 80 </span></p>'
                                 '<p class="downloads">下载</p><figure><p>图表来源</p></figure>', format="html"))
    assert sphinxext.description(tree, limit=150) == "第一段。本版核查80个数字。"


def test_a_long_description_ends_at_a_sentence():
    text = "一句话，说得很长很长。" * 30
    out = sphinxext.description(doctree(nodes.paragraph(text=text)), limit=60)
    assert len(out) <= 60 and out.endswith("。")


def test_a_description_keeps_the_point_of_its_second_paragraph():
    """An overview: the article's name, then its findings; one character more must not drop the findings."""
    name = "本版核查江门日报《" + "名" * 48 + "》（2023年）。"
    findings = "共80个统计数字：3个数字有误，" + "1个无法核实，" * 12 + "9个是规划目标。"
    out = sphinxext.description(doctree(nodes.paragraph(text=name), nodes.paragraph(text=findings)), limit=150)
    assert len(out) <= 150 and out.startswith(name) and "共80个统计数字：3个数字有误" in out and out.endswith("…"), out


def test_share_tags_escape_what_they_quote():
    tags = sphinxext.share_tags(title='"><script>', site="书", text="<b>", page_url="", image_url="../_static/share.png",
                                home=False)
    assert "<script>" not in tags and "<b>" not in tags and 'property="og:image" content="../_static/share.png"' in tags
    assert "og:url" not in tags


# ---- the theme in Chinese --------------------------------------------------------------------------------
def test_the_themes_english_is_replaced(tmp_path):
    page = tmp_path / "p.html"
    page.write_text('<input placeholder="Search this book..." aria-label="Search this book..."/>'
                    '<nav aria-label="Main"></nav><button title="Toggle primary sidebar"></button>'
                    '<a class="headerlink" title="Link to this heading">#</a>'
                    '<p class="copyright">\n      © Copyright 2026 江门高新区数字核查项目.\n      <br/>\n</p>', encoding="utf-8")
    pages.postprocess_html(tmp_path)
    out = page.read_text(encoding="utf-8")
    assert not re.search(r"Search this|Main|Toggle|Link to|Copyright", out), out
    assert "© 2026 江门高新区数字核查项目" in out


def test_the_publishing_workflow_names_the_real_repository(tmp_path, monkeypatch):
    """FACTCHECK_REPOSITORY (set by the workflow from GitHub's context) wins over a placeholder repository.url;
    anything but an https address is refused as a parameter."""
    from factcheck.errors import InputError

    (tmp_path / "_config.yml").write_text("repository:\n  url: https://example.org/x\n", encoding="utf-8")
    monkeypatch.delenv("FACTCHECK_REPOSITORY", raising=False)
    assert sphinxext.repository_of(tmp_path) == "https://example.org/x"
    monkeypatch.setenv("FACTCHECK_REPOSITORY", "https://github.com/owner/repo")
    assert sphinxext.repository_of(tmp_path) == "https://github.com/owner/repo"
    assert sphinxext.pages_url(sphinxext.repository_of(tmp_path)) == "https://owner.github.io/repo/"
    for bad in ("javascript:alert(1)", "http://github.com/o/r", "https://github.com/o/r\"><script>", "https://example.org/x"):
        monkeypatch.setenv("FACTCHECK_REPOSITORY", bad)
        with pytest.raises(InputError, match="parameter 'FACTCHECK_REPOSITORY'"):
            sphinxext.repository_of(tmp_path)


def test_the_claimreview_addresses_are_the_published_ones(tmp_path):
    """The pages hold a reserved address until the book is built; then the book's address (its GitHub Pages
    address in CI) or, unknown, a reference relative to each page: never example.org, never .invalid."""
    from factcheck.claimreview import PUBLISHED_AT

    page = tmp_path / "book" / "editions" / "2022" / "08_factcheck.html"
    page.parent.mkdir(parents=True)
    body = f'<script type="application/ld+json">{{"url": "{PUBLISHED_AT}book/editions/2022/08_factcheck.html"}}</script>'
    page.write_text(body, encoding="utf-8")
    assert sphinxext.publish_addresses(tmp_path, "") == 1
    assert '"url": "../../../book/editions/2022/08_factcheck.html"' in page.read_text(encoding="utf-8")
    page.write_text(body, encoding="utf-8")
    sphinxext.publish_addresses(tmp_path, "https://owner.github.io/repo")
    assert '"url": "https://owner.github.io/repo/book/editions/2022/08_factcheck.html"' in page.read_text(encoding="utf-8")
