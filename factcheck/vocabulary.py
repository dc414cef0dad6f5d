"""The verdicts, and every word, colour and rating that goes with them: the one place they are written.

Machine codes stay in the data (``verdict`` in the judged files and the CSVs); readers see the plain
labels. The CSS, legends, charts, tables and ClaimReview all take their words and colours from here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Verdict:
    code: str
    label: str  # what a lay reader sees
    meaning: str  # one line: what it means
    colour: str  # for charts (on white)
    background: str  # for the badge
    ink: str  # badge text
    rating: int  # schema.org ClaimReview ratingValue, 1 (contradicted) to 5 (independently reproduced)


VERDICTS: tuple[Verdict, ...] = (
    Verdict("inconsistent", "数字有误", "重算结果或它隐含的数字,与文章自己的其他数字或公开来源矛盾",
            "#b2182b", "#fed7d7", "#742a2a", 1),
    Verdict("reproduced", "重算相符", "每一个输入都来自另一家独立来源,重算结果与文章一致(按所印精度)",
            "#1b7837", "#c6f6d5", "#1a202c", 5),
    Verdict("consistent", "算得通", "与文章的其他数字或公开数据相容,但没有全部由独立来源重算",
            "#5aae61", "#e6fffa", "#1a202c", 4),
    Verdict("unverifiable", "无法核实", "核对所需的数据没有找到;写明缺什么、查过哪里",
            "#e08214", "#feebc8", "#1a202c", 3),
    Verdict("stated", "只是陈述", "文章给出的基础数字,无从重算;另有来源重复时注明是否独立",
            "#8c8c8c", "#edf2f7", "#1a202c", 3),
    Verdict("target", "规划目标", "计划要达到的数字,到期时与当年的实际值比较",
            "#2b6cb0", "#bee3f8", "#1a202c", 3),
)
BY_CODE = {v.code: v for v in VERDICTS}
CODES = tuple(v.code for v in VERDICTS)
"""Codes in the order every table, legend and stack uses: the errors first."""
BEST, WORST = 5, 1

TARGET_STATUS = {
    "met": "已达成",
    "missed": "未达成",
    "not_due": "尚未到期",
    "no_date": "未定期限",
    "not_found": "到期年份的实际值未找到",
}
"""How a target stands against the actual figure of its due year (see :mod:`factcheck.engine`)."""

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


def badge_style(code: str) -> str:
    """Inline CSS custom properties for a verdict badge: the stylesheet holds no colours of its own."""
    v = BY_CODE[code]
    return f"--verdict-bg:{v.background};--verdict-ink:{v.ink};--verdict-mark:{v.colour}"
