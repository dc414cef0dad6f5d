"""Every numeric mention in a Chinese news text, with its character offset.

"Every number in an article is accounted for": :func:`scan` lists each mention so that a test can fail
when one is neither a registered claim nor ignored with a reason (see :mod:`factcheck.register`);
``python -m factcheck mentions`` lists them for an analyst registering a new article.

The scanner is pure rules (no jieba: its POS tags were noisier on the real articles, e.g. 一路, 一场 and
首个 come out as numerals while 十佳 and 二等 do not), deterministic and one pass from left to right:

* words in which a numeral character is not a number (一流, 进一步, 之一, 十分, …) are blanked first,
  see :data:`STOP_WORDS` and :data:`STOP_PATTERNS`;
* then one regular expression finds, at each position, the first kind that fits, in the order
  year range, date, range, compound, approx, number, ordinal, fraction, Chinese approx, Chinese numeral.

Decisions worth knowing:

* A mention is the number as printed, without its unit or classifier: ``16.28`` in 16.28亿元 (the 亿
  is the unit, not a separate mention), ``三`` in 三名, ``六`` in 六大工程, ``十`` and ``四`` in 十届四次,
  ``两`` and ``一`` in 两中心一基地, ``第二`` in 第二年, ``第53`` in 第53位. A bare 亿 (超亿元) is a mention.
* 首 before a classifier is an ordinal worth 1, the classifier included: ``首个``, ``首批``, ``首季度``,
  ``首家``, ``首位`` (:data:`FIRST_CLASSIFIERS`); 首 in other words (首先, 首选, 首都, 首次) is no number.
* Qualifiers 超, 近, 约, 以上 are not part of a mention (近80 gives ``80``), except before a bare unit
  numeral, which is a vague approximation: ``近百``, ``上千``, ``数十``, ``几十``.
* Approximations keep their suffix: ``120余``, ``10多``, ``十几``, and with a time unit ``一年多``, ``一个多月``.
* Values are those of the printed number, units and % left aside (``5.71%`` -> 5.71, ``120余`` -> 120,
  ``近百`` -> 100, ``千亿`` -> 1e11); fractions are ratios (三分之二 -> 2/3, 百分之五十 -> 0.5).
  No value: ranges, dates, compounds, ``数十``/``几十`` and names that are no single number (``十四五``).
* Not reported: enumeration markers (一是, 二是, 其一) at the start of a clause, which number a list
  rather than state a figure; the indefinite article 一个/一场/一张/… (一个多月 is kept); rate
  denominators 每万/每千/每百 (每万人口15.53件 reports 15.53); idioms such as 一个时期, 一步一个脚印,
  三位一体 and 第一时间. In 五维一体 only 一体 is an idiom: ``五`` is reported.
* Digits inside Latin words or URLs are reported too; the editorial header of a stored article is the
  caller's business.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .numbers import parse_chinese_number

KINDS = ("number", "chinese", "fraction", "approx", "range", "date", "ordinal", "compound", "other_script")

# Words whose numeral characters are no numbers: idioms, adverbs, "one of", "this/each/next one", and
# common words that merely contain 零/百/十 (零部件, 百姓, 十分). Curated on news and government reports;
# a numeral that counts something (六大工程, 三级, 十佳, 二十大, 前三甲) is deliberately not here.
STOP_WORDS = (
    "一流", "统一", "进一步", "一体化", "一体", "一批", "一大批", "一系列", "一些", "一直", "一起", "一道",
    "一方面", "一个时期", "一个个", "唯一", "单一", "同一", "专一", "一一", "这一", "那一",
    "下一", "一下", "新一代", "一步一个脚印", "三位一体", "一站式", "一揽子", "一线", "一手", "一举",
    "第一时间", "一路", "一带", "一切", "一定", "一旦", "一致", "一般", "一律", "一贯", "一度", "一同",
    "一再", "一向", "一边", "一面", "一侧", "一心", "一以贯之", "一如既往", "一盘棋", "一把手", "一网通办",
    "一键", "一齐", "一并", "一概", "一味", "一跃", "一改", "一员", "一环", "一部分", "一连串",
    "一样", "一条龙", "一次性", "一年四季", "不拘一格", "磨一剑", "一目了然", "独一无二",
    "数一数二", "九牛一毛", "三令五申", "五湖四海", "四面八方", "四通八达", "七上八下", "乱七八糟",
    "千方百计", "千家万户", "千军万马", "成千上万", "成百上千", "万众", "万物", "万家灯火", "百姓", "百货",
    "百度", "百科", "百花齐放", "百舸争流", "十全十美", "十足", "两侧", "两岸", "两旁", "零部件", "零件",
    "零售", "零星", "零距离", "零碳",
)
_NUMERAL_CHARS = "零〇一二两三四五六七八九十百千万亿"
_NOT_IN_NUMBER = f"(?<![{_NUMERAL_CHARS}第0-9０-９])"  # so 三十一个 keeps 三十一, 第一批 keeps 第一
STOP_PATTERNS = (
    _NOT_IN_NUMBER + r"一[个场张种番股片份段](?!多?(?:月|小时|星期))",  # indefinite article: 一个重要信号, 一场峰会
    _NOT_IN_NUMBER + r"十分(?!之)",  # "very", unless 十分之一; 二十分钟 is a number
    r"(?<!分)之一",  # "one of", unless 三分之一
    r"每[一百千万亿]",  # "each", and rate denominators: 每万人口
    r"(?:^|(?<=[\s。！？；：，、,!?;:…]))(?:[一二三四五六七八九十]+是|其[一二三四五六七八九十])",  # list markers
)
_STOP = re.compile(
    "|".join([*((_NOT_IN_NUMBER if w[0] in _NUMERAL_CHARS else "") + re.escape(w)
                for w in sorted(STOP_WORDS, key=len, reverse=True)), *STOP_PATTERNS]),
    re.MULTILINE,
)

_D = "[0-9０-９]"
_NUM = rf"{_D}+(?:[.．]{_D}+)?"
_PCT = "[%％‰]"
_CN = f"[{_NUMERAL_CHARS}]"
_MULT = "[十百千万亿]"  # after an Arabic number these are its unit (16.28亿): consumed, not reported
_YEAR = rf"[12１２]{_D}{{3}}(?!{_D})"
_SEP = "[—–\\-~～至到]"
_APPROX = "(?:(?:年|天|周|小时|个月)[多余]|个[多余](?:月|小时|星期)|[多余])"
FIRST_CLASSIFIERS = ("季度", "个", "批", "家", "位", "届", "款", "台", "套", "座", "例", "单", "笔", "条", "项", "期")
"""After 首 these make an ordinal (首个, 首批, 首季度 …); 首次 and 首轮 are adverbs more often than figures."""
_FIRST = "首(?:" + "|".join(FIRST_CLASSIFIERS) + ")"
_KIND_PATTERNS = (
    ("range", rf"{_YEAR}年?{_SEP}{_YEAR}年?"),
    ("date", rf"{_YEAR}年(?:{_D}{{1,2}}月(?:{_D}{{1,2}}[日号])?|[底初末度])?|{_YEAR}[-/.]{_D}{{1,2}}[-/.]{_D}{{1,2}}"
             rf"(?!{_D})|[〇零一二三四五六七八九]{{4}}年|{_D}{{1,2}}月(?:{_D}{{1,2}}[日号])?"),
    ("range", rf"{_NUM}{_PCT}?{_SEP}{_NUM}{_PCT}?|{_CN}+[至到~～—–]{_CN}+"),
    ("compound", rf"{_NUM}(?:[+＋]{_NUM})+"),
    ("approx", rf"{_NUM}(?:{_MULT}+[余多]|{_APPROX})"),  # 120余, 2年多, 1.5万余
    ("number", rf"{_NUM}{_PCT}?"),
    ("ordinal", rf"第(?:{_NUM}|{_CN}+)|{_FIRST}"),
    ("fraction", rf"{_CN}+分之{_CN}+"),
    ("approx", rf"(?:近|(?<!以)上|数|几){_MULT}+|{_CN}+(?:{_APPROX}|几)"),
    ("chinese", rf"{_CN}+"),
)
_SCAN = re.compile("|".join(f"(?P<{kind}{i}>{pattern})" + (f"{_MULT}*" if i in (2, 4, 5) else "")  # 16.28亿: 亿 is a unit
                            for i, (kind, pattern) in enumerate(_KIND_PATTERNS)))
_BREAKS = "。！？；，!?;,\n\r"


@dataclass(frozen=True)
class Mention:
    """One numeric mention: where it starts, how it is printed, what kind it is and its value if any."""

    offset: int  # character offset of the mention's first character in the text
    text: str  # exactly as printed: text[offset:offset + len(text)] == text
    kind: str  # one of KINDS
    value: float | None  # see the module docstring; None for ranges, dates, compounds and names


def _value(kind: str, text: str) -> float | None:
    if kind in ("range", "date", "compound"):
        return None
    if kind == "ordinal":
        return 1.0 if text[0] == "首" else parse_chinese_number(text[1:])
    if kind == "approx":
        if text[0] in "数几":
            return None
        text = re.sub(rf"^近|^上|{_APPROX}$|几$", "", text)  # 近百 -> 百, 一年多 -> 一, 120余 -> 120
    return parse_chinese_number(text.rstrip("%％‰"))


def scan(text: str) -> list[Mention]:
    """Every numeric mention of ``text``, sorted by offset and non-overlapping (rules: module docstring)."""
    masked = _STOP.sub(lambda m: "\0" * len(m.group()), text)
    mentions = []
    for match in _SCAN.finditer(masked):
        group = match.lastgroup or ""
        kind = group.rstrip("0123456789")
        start, end = match.span(group)
        mentions.append(Mention(start, text[start:end], kind, _value(kind, text[start:end])))
    return sorted([*mentions, *_other_scripts(text)], key=lambda m: m.offset)


# Numerals the rules above do not read: other scripts' digits (١٢٣, ๑๒๓), mathematical and circled digits
# (𝟏𝟐𝟑, ⑤), superscripts (²), Roman numerals (Ⅻ) and the Chinese financial numerals (壹贰叁) that no common
# word uses. Each run is a
# mention of its own (kind ``other_script``), so it must be registered like any number: a text cannot slip
# a number past the register by writing it in another script.
FINANCIAL = "壹贰貳叁柒捌玖佰仟廿卅卌"  # not 伍 陆 拾 肆 参: 队伍, 大陆, 收拾, 放肆, 参加
_READ = set("0123456789０１２３４５６７８９〇")


def _foreign(ch: str) -> bool:
    import unicodedata

    if ch in _READ:
        return False
    if ch in FINANCIAL:
        return True
    return ord(ch) > 0x7F and unicodedata.category(ch) in ("Nd", "Nl", "No")


def _other_scripts(text: str) -> list[Mention]:
    out, start = [], None
    for i, ch in enumerate([*text, ""]):
        if ch and _foreign(ch):
            start = i if start is None else start
        elif start is not None:
            out.append(Mention(start, text[start:i], "other_script", None))
            start = None
    return out


def context(text: str, offset: int, length: int) -> str:
    """The clause around ``text[offset:offset + length]``: from the previous break (。!?;, or a line end,
    full or half width) to the next, stripped; used to quote a mention."""
    if offset < 0 or length < 0 or offset + length > len(text):
        raise ValueError(f"span {offset}+{length} is outside a text of {len(text)} characters")
    window = 400  # a clause is never longer: the search stays local however long the text
    lo = max(0, offset - window)
    start = max(text.rfind(b, lo, offset) for b in _BREAKS)
    start = start + 1 if start >= 0 else lo
    hi = min(len(text), offset + length + window)
    ends = [i for i in (text.find(b, offset + length, hi) for b in _BREAKS) if i >= 0]
    return text[start : min(ends, default=hi)].strip()
