"""The data package the code expects: every table, column, type and constraint, in one place.

``data/datapackage.json`` is generated from :func:`descriptor` (``python -m factcheck schema``) and a
validation compares a data folder's ``datapackage.json`` with it before reading anything: a field whose
type or constraints differ, a missing resource or a schema given by URL are refused by name, so the code
never runs on tables it does not understand. The CSVs are then checked against this schema, not against
whatever the folder's descriptor says.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

UNITS = ["亿元", "%", "倍", "件", "家", "人", "万人", "个", "项", "名", "位", "年", "万平方米", "吨", "件/万人", "届",
         "等", "条", "万元", "元", "亿美元", "万美元", "个百分点", "亩", "公顷", "平方米", "平方公里", "公里", "万吨", "台", "套",
         "次", "人次", "场", "所", "座", "批", "户", "篇", "款", "天"]
QUALIFIERS = ["=", ">", "≥", "<", "≤", "≈"]
QUALIFIER_WORDS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "=": ("exactly", ("达", "为", "有", "是"), ()),
    ">": ("more than", ("超过", "超", "逾", "突破", "高于", "多于"), ("余", "多")),
    "≥": ("at least", ("不少于", "不低于", "至少"), ("以上",)),
    "<": ("less than", ("不到", "不足", "低于", "少于"), ()),
    "≤": ("at most", ("不超过", "不高于", "至多"), ("以内", "以下", "强")),
    "≈": ("about, within 5 %", ("约", "近", "接近", "将近", "大约", "预计", "预估"), ("左右",)),
}
"""What each qualifier means and the article's words that give it: (meaning, words before the number, words
after it). ``N强`` of a ranking is ``≤ N`` (位); a target (力争, 争取) with no such word is ``≥``; no word is ``=``.
:mod:`factcheck.draft` reads qualifiers with these words."""
CLAIM_KINDS = ["statistic", "name", "ordinal", "award", "date"]
"""What a number printed in an article is. Only a ``statistic`` is checked; the others are kept in the
register with their kind and get no verdict (see :mod:`factcheck.vocabulary`)."""
CHECKS = ["stated", "formula", "target"]
MEASURES = ["stock", "flow"]
BASES = ["actual", "planned"]
"""What an indicator counts, so that a series never joins figures of another definition: a level at a date or an
amount over a period; what happened or what is planned. The words that give each away are in
:data:`factcheck.validate.DEFINITION_WORDS`."""
COPY_KINDS = ["", "mirror", "repost", "encyclopedia", "translation", "machine"]
TEXT_SCOPES = ["", "full", "excerpts"]
SEARCH_RESULTS = ["nothing", "unpublished", "near-miss"]
DRAFTED = "TODO"
"""How a corrections row drafted by the verdict diff starts its ``why``: validation refuses it until a person
writes the reason, so a draft never passes for an explanation."""
ID = r"^[a-z0-9][a-z0-9-]*$"
CLAIM_ID = r"^\d{4}-[a-z0-9-]+$"
DRAFT = "draft"
"""The ``review`` of a row proposed by ``python -m factcheck draft`` that no one has checked yet."""
REVIEW = ["", DRAFT]
YEAR = {"minimum": 1900, "maximum": 2100}


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    description: str
    required: bool = False
    constraints: dict = field(default_factory=dict)

    def spec(self) -> dict:
        constraints = dict(self.constraints)
        if self.required:
            constraints = {"required": True, **constraints}
        out = {"name": self.name, "type": self.type, "description": self.description}
        if constraints:
            out["constraints"] = constraints
        return out


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    description: str
    fields: list[Field]
    primary_key: list[str]
    foreign_keys: list[tuple[str, str, str]] = field(default_factory=list)  # column, table, column

    @property
    def path(self) -> str:
        return f"{self.name}.csv"

    @property
    def header(self) -> list[str]:
        return [f.name for f in self.fields]

    def spec(self) -> dict:
        schema: dict = {"primaryKey": self.primary_key}
        if self.foreign_keys:
            schema["foreignKeys"] = [{"fields": col, "reference": {"resource": table, "fields": ref}}
                                     for col, table, ref in self.foreign_keys]
        schema["fields"] = [f.spec() for f in self.fields]
        return {"name": self.name, "path": self.path, "title": self.title, "description": self.description,
                "schema": schema, "profile": "tabular-data-resource", "format": "csv", "encoding": "utf-8",
                "scheme": "file"}


NO_MARKUP = r"^[^<>]*$"
"""A text that becomes a heading (a publisher, a title): Sphinx puts headings into the search index unescaped, so
no < or > (refused by the schema with the field's description)."""


def _text(name: str, description: str, required: bool = False, **constraints) -> Field:
    return Field(name, "string", description, required, constraints)


def qualifier_description() -> str:
    """The qualifier column's description: every symbol with its meaning and words (from QUALIFIER_WORDS)."""
    parts = []
    for symbol, (meaning, before, after) in QUALIFIER_WORDS.items():
        words = [*before, *(f"…{w}" for w in after)]
        parts.append(f"{symbol} {meaning}" + (f" ({', '.join(words)})" if words else ""))
    return "; ".join(parts) + "; a target (力争, 争取) with no word: ≥; no word: ="


def _review() -> Field:
    return Field("review", "string", "draft: proposed by python -m factcheck draft, not yet reviewed; empty once a "
                                     "person has checked the row", constraints={"enum": REVIEW})


TABLES = [
    Table("sources", "来源登记", "Every publication a figure comes from: who published it, and the copy it was read from.", [
        _text("source_id", "Short id used by the other tables", True, unique=True, pattern=ID),
        _text("publisher", "The original publisher (statistics bureau, government, newspaper); no < or >", True,
              pattern=NO_MARKUP),
        _text("origin", "The body the figures come from (e.g. 国家统计局, or 江门高新区(江海区) for the zone's own "
                        "figures, whoever prints them): a source is independent of an article only when both its "
                        "publisher and its origin differ", True),
        _text("title", "Title of the publication; no < or >", True, pattern=NO_MARKUP),
        _text("published", "Publication date: YYYY, YYYY-MM or YYYY-MM-DD (empty if unknown)",
              pattern=r"^$|^\d{4}(-\d{2}(-\d{2})?)?$"),
        _text("url", "The original publisher's address (empty when not found)", pattern=r"^$|^https?://\S+$"),
        _text("copy_url", "Where the text was actually read, when not at the original address",
              pattern=r"^$|^https?://\S+$"),
        _text("copy_kind", "What that copy is: mirror, repost, encyclopedia, translation or machine (generated); "
                           "empty when read from the original", enum=COPY_KINDS),
        Field("tier", "integer", "1 primary (statistics bureau, government, the newspaper itself); 2 a named "
                                 "reputable repost; 3 a mirror, aggregator or encyclopedia copy; 4 a machine-generated, "
                                 "machine-translated or anonymous page", True, {"minimum": 1, "maximum": 4}),
        _text("covers", "What figures it covers, and for which period", True),
        Field("accessed", "date", "When the figures were taken", True),
        _text("text_file", "Stored text of an article whose claims are checked, relative to data/",
              pattern=r"^$|^articles/[A-Za-z0-9._-]+\.txt$"),
        _text("text_scope", "full when the stored text is the whole article, excerpts when only parts were found",
              enum=TEXT_SCOPES),
        _text("artefacts", "Transcription artefacts of the stored copy (doubled words, misread characters)"),
        _text("note", "Caveats"),
        _text("short_title", "How the book names a checked article in its navigation and headings, e.g. "
                             "江门日报2023年初报道 (empty: the publisher and the publication date); no < or >",
              pattern=NO_MARKUP),
        _text("placement", "Where in the publication a checked article appeared: page (版次), section or channel "
                           "(empty when not found)"),
        _text("asked", "Whether the publisher or the body the figures come from was asked about what the book "
                       "finds wrong: date, whom, how, and the reply (empty: not asked)"),
    ], ["source_id"]),
    Table("indicators", "指标字典", "What each indicator measures, its unit and bounds.", [
        _text("indicator", "Indicator id", True, unique=True, pattern=r"^[a-z][a-z0-9_]*$"),
        _text("name_zh", "Chinese label used in tables and charts", True),
        _text("unit", "The one unit every figure of this indicator uses", True, enum=UNITS),
        Field("whole", "boolean", "True for counts and ranks, which are whole numbers", True),
        Field("minimum", "number", "Smallest possible value (empty: none)"),
        Field("maximum", "number", "Largest possible value, e.g. 100 for a share (empty: none)"),
        _text("chapter", "Chapter that shows it (empty: none); see book/chapters.yml", pattern=r"^$|^[a-z][a-z0-9_]*$"),
        Field("headline", "boolean", "Shown in the chapter's table of headline figures", True),
        _text("description", "Definition and caveats"),
        _text("measure", "stock (a level at a date: 拥有, 累计, 年末) or flow (over a period: 新增, 全年, 当年); empty "
                         "when neither applies (a share, a rank)", enum=["", *MEASURES]),
        _text("basis", "actual (落地, 完成, 实现) or planned (计划, 签约, 意向, 目标); empty when the figures are actual "
                       "by nature", enum=["", *BASES]),
        _review(),
    ], ["indicator"]),
    Table("inputs", "外部输入数据", "Figures from outside the checked articles, one per row (tidy, long). The "
                                 "articles' own figures join this table from claims.csv.", [
        _text("indicator", "Indicator id", True),
        _text("geography", "Where: 江海区, 江门市, 全国 …", True),
        Field("period", "integer", "The year the value describes (not the year it was published); for a ranking, "
                                   "the evaluation year (年度)", True, YEAR),
        Field("value", "number", "The value as printed, with its printed decimals", True),
        Field("decimals", "integer", "Printed decimals when the value's text can't show them (empty: from the value)",
              constraints={"minimum": 0, "maximum": 6}),
        _text("qualifier", qualifier_description(), True, enum=QUALIFIERS),
        _text("unit", "Unit, the indicator's", True, enum=UNITS),
        _text("source_id", "Source id", True),
        _text("quote", "The source's words, verbatim; they must print the value (as printed, multiplied out by "
                       "万/亿, or in 人 for a value in 万人) unless derived is true. Empty only with the reason in note"),
        Field("derived", "boolean", "True when the value is not printed in the quote but worked out from the source "
                                    "(e.g. a rank beyond a published top 50); the note says how"),
        Field("converted", "boolean", "True when the quote was converted from traditional characters"),
        _text("period_note", "What the period means here (年末, 普查时点, which evaluation and its data year)"),
        _text("note", "Caveats"),
    ], ["indicator", "geography", "period", "source_id"],
        [("source_id", "sources", "source_id"), ("indicator", "indicators", "indicator")]),
    Table("claims", "文章中的数字", "Every number printed in a checked article: the statistics to check, and the "
                                "names, ordinals, awards and dates kept with their kind and not checked.", [
        _text("claim_id", "Edition year, then a short name", True, unique=True, pattern=CLAIM_ID),
        Field("year", "integer", "The edition: the year the article's figures describe", True, YEAR),
        _text("source_id", "The article", True),
        _text("chapter", "Chapter (see book/chapters.yml)", True, pattern=r"^[a-z][a-z0-9_]*$"),
        _text("kind", "statistic (checked), or name, ordinal, award, date (kept, not checked)", True,
              enum=CLAIM_KINDS),
        _text("quote", "The article's words around the figure, verbatim", True),
        _text("figure", "The figure as printed, a whole token of the quote", True),
        Field("value", "number", "What the figure states, in the unit (a statistic's is required)"),
        Field("decimals", "integer", "Printed decimals when the value's text can't show them (empty: from the value)",
              constraints={"minimum": 0, "maximum": 6}),
        _text("qualifier", qualifier_description() + " (empty: =)", enum=["", *QUALIFIERS]),
        _text("unit", "Unit, the indicator's", enum=["", *UNITS]),
        _text("indicator", "Indicator id (a statistic's is required)"),
        _text("geography", "Where the figure applies"),
        Field("period", "integer", "The year the figure describes", constraints=YEAR),
        Field("due", "integer", "A target's due year as the article gives it (empty: no date given)",
              constraints=YEAR),
        _text("check", "How a statistic is checked: stated, formula or target", enum=["", *CHECKS]),
        _text("formula", "Arithmetic over the bindings' names"),
        _text("bindings", "name=reference; … (see factcheck/bindings.py)"),
        Field("featured", "boolean", "Shown on the landing page: a figure readers ask about"),
        _text("note", "Caveats"),
        _review(),
    ], ["claim_id"], [("source_id", "sources", "source_id")]),
    Table("mentions", "数字登记", "Every numeric mention in a stored article that is not the printed figure of a "
                                "claim: a repeat of a claim, or a number left out, with the reason.", [
        _text("source_id", "The article", True),
        Field("offset", "integer", "Character offset of the mention in the stored text", True, {"minimum": 0}),
        _text("mention", "The mention as printed", True),
        _text("claim_id", "The claim it repeats (empty when left out)"),
        _text("reason", "Why it is left out (empty when it repeats a claim)"),
        _review(),
    ], ["source_id", "offset"], [("source_id", "sources", "source_id")]),
    Table("searches", "查找记录", "Searches for a figure that found nothing, so the next analyst does not repeat "
                                "them; or a source that states the figure is not published.", [
        _text("indicator", "Indicator id", True),
        _text("geography", "Where", True),
        Field("period", "integer", "The year looked for", True, YEAR),
        _text("result", "nothing (not found), unpublished (a source says so) or near-miss", True,
              enum=SEARCH_RESULTS),
        _text("searched", "What was searched: queries, sites, collections", True),
        Field("date", "date", "When", True),
        _text("source_id", "For unpublished: the source that says so"),
        _text("note", "The nearest thing found, caveats"),
    ], ["indicator", "geography", "period"], [("indicator", "indicators", "indicator")]),
    Table("corrections", "更正记录", "Every change to a verdict after its first publication, one row a change: the "
                                  "verdict diff (python -m factcheck diff REV) finds these changes and drafts the rows.", [
        Field("date", "date", "When the correction was published (not in the future)", True),
        Field("edition", "integer", "The edition of the claim: the year its id starts with", True, YEAR),
        _text("claim_id", "The claim whose verdict changed (it may since have been removed from claims.csv)", True,
              pattern=CLAIM_ID),
        _text("before", "The verdict published before: its code as the program at the base commit wrote it (the "
                        "verdict diff copies it; a code of that time need not be in today's vocabulary)", True,
              pattern=r"^[a-z][a-z_]*$"),
        _text("before_label", "The verdict before as readers saw it: its label at the base commit (the verdict diff "
                              "copies it from that commit's own judged files), e.g. 算得通", True),
        _text("after", "The verdict now, a verdict code; empty when the claim no longer gets one (removed, or not a "
                       "statistic)"),
        _text("what", "Which figure, in Chinese (the quote with the figure)", True),
        _text("why", "Why the verdict changed, in Chinese; a drafted row says TODO here and is refused until a person "
                     "writes the reason", True),
        _text("base", "The commit whose data gave the verdict before (the revision the verdict diff compared with)",
              True, pattern=r"^[0-9a-f]{40}$"),
    ], ["claim_id", "base"]),
]
BY_NAME = {t.name: t for t in TABLES}


def descriptor() -> dict:
    """The Frictionless descriptor of the data package, as ``data/datapackage.json`` holds it."""
    return {
        "name": "jiangmen-hightech-zone-factcheck",
        "title": "江门高新区新闻数字核查数据包",
        "description": "Numbers printed in news articles about the Jiangmen National High-tech Zone, the outside "
                       "figures that check them, their sources, the searches that found nothing, and the corrections of "
                       "published verdicts. The licence covers these tables, not the article texts in articles/: those "
                       "remain the copyright of their publishers and are kept verbatim only to verify their figures.",
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                      "title": "Creative Commons Attribution 4.0"}],
        "resources": [t.spec() for t in TABLES],
    }


def descriptor_text() -> str:
    return json.dumps(descriptor(), ensure_ascii=False, indent=1) + "\n"
