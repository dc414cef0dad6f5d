"""The verdicts, and every word, colour and rating that goes with them: the one place they are written.

The scale says what was checked, from the strongest support to none:

* ``reproduced`` 独立数据相符: an independent source gives the figure, or recomputes it;
* ``consistent`` 相符但非独立: agrees with outside data that is not all independent of the article;
* ``internal`` 文内自洽: only the article's own arithmetic holds (53 − 50 = 3, counting its own list);
* ``unverifiable`` 无法核实: an input is missing (the sentence says which), or the check could not have
  failed (no other printed figure would have been judged wrong), so it is no support;
* ``stated`` 只是陈述: a base figure, nothing to recompute;
* ``target`` 规划目标: a plan, judged at its due date (:data:`TARGET_STATUS`);
* ``inconsistent`` 数字有误: the errors.

Machine codes stay in the data (``verdict`` in the judged files and the CSVs); readers see the plain
labels. The CSS, legends, charts, tables, counts in sentences and ClaimReview all take their words and
colours from here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Verdict:
    code: str
    label: str  # what a lay reader sees on the badge
    meaning: str  # one line: what it means
    counted: str  # a count of them in a sentence: "{n}个数字有误"
    colour: str  # for charts (on white)
    background: str  # for the badge
    ink: str  # badge text
    rating: int | None  # schema.org ClaimReview ratingValue, 1 (contradicted) to 5 (confirmed by independent
    # data); None: nothing was judged (a base figure, a plan), so no ClaimReview is published
    support: bool = False  # the check supports the figure (it could have failed, and did not)


VERDICTS: tuple[Verdict, ...] = (
    Verdict("inconsistent", "数字有误", "重算的结果，或这个数字推出来的另一个数字，与文章自己的其他数字或公开来源矛盾",
            "{n}个数字有误", "#b2182b", "#fed7d7", "#742a2a", 1),
    Verdict("reproduced", "独立数据相符", "与文章无关的独立来源给出同一数字，或用独立来源的数据重算，结果与文章一致",
            "{n}个与独立来源的数据相符", "#1b7837", "#c6f6d5", "#1a202c", 5, True),
    Verdict("consistent", "相符但非独立", "与外部数据相符，但所用数据并非都独立于文章：有文章自己的数字、与文章同出一源的报道、"
            "估计数或相邻年份的数字，结论写明是哪一种", "{n}个与外部数据相符但来源并非都独立", "#5aae61", "#e6fffa",
            "#1a202c", 4, True),
    Verdict("internal", "文内自洽", "只有文章自己的数字互相算得通（例如53减50等于3，或数出文中列举的项数）；没有外部数据可比，不等于核实",
            "{n}个只是文章自己的数字互相算得通", "#a6dba0", "#f0fff4", "#1a202c", 3, True),
    Verdict("unverifiable", "无法核实", "核对所需的数据没有找到（写明缺什么、查过哪里），或者这项核对不可能不通过，不能算作支持",
            "{n}个无法核实", "#e08214", "#feebc8", "#1a202c", 3),
    Verdict("stated", "只是陈述", "文章给出的基础数字，无从重算；另有来源给出时注明是否独立",
            "{n}个是无从重算的基础数字", "#8c8c8c", "#edf2f7", "#1a202c", None),
    Verdict("target", "规划目标", "计划要达到的数字，到期时与当年的实际值比较",
            "{n}个是规划目标", "#2b6cb0", "#bee3f8", "#1a202c", None),
)
BY_CODE = {v.code: v for v in VERDICTS}
CODES = tuple(v.code for v in VERDICTS)
"""Codes in the order every table, legend and stack uses: the errors first."""
SUPPORT = tuple(v.code for v in VERDICTS if v.support)
"""The verdicts of a check that held: strongest first."""
REVIEWED = tuple(v.code for v in VERDICTS if v.rating is not None)
"""The verdicts a ClaimReview is published for: a figure that was checked, not a base figure or a plan."""
BEST, WORST = 5, 1

TARGET_STATUS = {
    "met": "已达成",
    "missed": "未达成",
    "not_due": "尚未到期",
    "no_date": "未定期限",
    "not_found": "到期年份的实际值未找到",
}
"""How a target stands against the actual figure of its due year (see :mod:`factcheck.engine`)."""

TARGET_COUNTED = {
    "met": "{n}个到期已达成",
    "missed": "{n}个到期未达成",
    "not_due": "{n}个尚未到期",
    "no_date": "{n}个文章没有给出期限",
    "not_found": "{n}个到期年份的实际值未找到",
}
"""A count of targets of one status in a sentence."""

WEAK_STATE = {"inconsistent": "有误", "unverifiable": "无法核实"}
"""What a figure a check rests on is, as a predicate in a sentence (``但15.53件/万人本身无法核实``): never the label
as a noun (``本身数字有误``)."""

CONFIDENCE = {"likely": "很可能", "possible": "可能", "unknown": "无法判断"}
"""How sure a diagnosis is of which printed figure is the wrong one (see :mod:`factcheck.diagnose`)."""

KINDS = {
    "statistic": "统计数字",
    "name": "名称中的数字",
    "ordinal": "序数",
    "award": "奖项或等级",
    "date": "日期或年份",
}
"""What a number in an article is. Only statistics get a verdict."""

TIERS = {
    1: "一手来源",
    2: "有署名的转载",
    3: "镜像、聚合或百科转载",
    4: "机器生成、机器翻译或匿名网页",
}
"""Source tiers: 1 statistics bureaus, government sites, the newspapers themselves; then copies."""
LOW_TIER = 3
"""Sources of this tier or lower are named as such in every verdict that rests on them."""

COPY_KINDS = {"mirror": "镜像", "repost": "转载", "encyclopedia": "百科", "translation": "译文", "machine": "机器生成页面"}


NO_VERDICT = "不再核查"
"""What a correction says a verdict became when the claim no longer gets one (removed, or not a statistic)."""


def label(code: str) -> str:
    return BY_CODE[code].label


def counted(code: str, n: int) -> str:
    """A count of one verdict in a sentence: ``3个数字有误``, ``45个是无从重算的基础数字``."""
    return BY_CODE[code].counted.format(n=n)


def badge_style(code: str) -> str:
    """Inline CSS custom properties for a verdict badge: the stylesheet holds no colours of its own."""
    v = BY_CODE[code]
    return f"--verdict-bg:{v.background};--verdict-ink:{v.ink};--verdict-mark:{v.colour}"


def card_style(code: str) -> str:
    """The mark colour of a claim card, from the same vocabulary."""
    return f"--card-mark:{BY_CODE[code].colour}"
