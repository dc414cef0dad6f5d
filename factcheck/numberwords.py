"""What the words around a printed number say: its kind, unit, qualifier and the thing it counts.

:func:`read_number` reads one mention of :func:`factcheck.mentions.scan` in its article, with general
rules of Chinese news writing (no answers of any article):

* **kind**: a year or a month is a ``date`` (a duration too: 30年, 一年多, except N年以来, which is
  measured); 1+6 and a short quoted phrase of numerals (“六大工程”, “十四五”) a ``name``; 一等奖, 十佳, 前三甲
  an ``award``; 第二年, 首个, 首批, 党的二十大, 十届 an ``ordinal``; a place in a ranking (第53位, 排名第一,
  全市第一, 首位) and anything else with a unit a ``statistic`` (its unit 位 for a place);
* **unit**: the word after the number (亿元, 万平方米, 家, 个, 件, 人 …, the schema's units), with 万/亿
  folded into the figure when no unit starts with them (3万家 is 30000 家); 名 and 位 count people when
  a word for people is near (10名高层次人才), places otherwise (仅差三名); 每万人口…件 is 件/万人;
  N大 and N级 count things (个); 三分之二 is a share (%);
* **qualifier**: the words of :data:`factcheck.schema.QUALIFIER_WORDS` right before or after the
  number (超, 近, 约, 以上, 余 …), 预计/约 anywhere before it in the clause, ``≤`` for N强 of a ranking;
* **label**: the words of the phrase that holds the number (split at 、 和 及 与), which name what it
  counts; for ``A、B分别达X、Y`` the i-th item before 分别.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from dataclasses import dataclass

from .mentions import Mention
from .numbers import WORDS, figure_value
from .schema import QUALIFIER_WORDS, UNITS

CLAUSE_BREAKS = "。！？；，!?;,\n\r:：… \u3000"
SENTENCE_BREAKS = "。！？；!?;\n\r"
PHRASE_BREAKS = CLAUSE_BREAKS + "、和及与"
COUNT_UNITS = {"件", "家", "人", "个", "项", "名", "位", "届", "等", "条", "台", "套", "次", "人次", "场", "所", "座",
               "批", "户", "篇", "款"}
PEOPLE = ("人才", "专家", "院士", "博士", "硕士", "代表", "学生", "教师", "职工", "企业家", "青年", "干部", "员工",
          "人员", "创业者", "海归", "留学")
_UNIT_WORDS = sorted((u for u in UNITS if u not in ("%", "件/万人")), key=len, reverse=True)
ABBREVIATIONS = {"高企": "高新技术企业", "规上": "规模以上"}
"""Short forms of news writing, spelt out in labels and in the names of indicators before they are compared."""
_CLASSIFIERS = {"大": "个", "级": "个", "类": "个", "种": "个"}  # 六大工程, 三级招商队伍: how many
_INSTITUTION = "院局厂处团"  # 航天科工二院: a numeral in an institution's name
_RANK_BEFORE = re.compile(r"(?:排名|排|居|位列|名列|列|全市|全省|全国|全区|全县)(?:的)?$")
_CONGRESS_AFTER = re.compile(r"^大(?:精神|报告|代表|以来|胜利|会议|召开|期间)")
_MEETING = re.compile(r"[零一二三四五六七八九十百]+届[零一二三四五六七八九十百]+次[^\s,，。;；、]{0,4}?(?:全会|会议|大会)")
_BEFORE_WORDS = sorted(((w, q) for q, (_, before, _a) in QUALIFIER_WORDS.items() if q != "=" for w in before),
                       key=lambda x: len(x[0]), reverse=True)
_AFTER_WORDS = sorted(((w, q) for q, (_, _b, after) in QUALIFIER_WORDS.items() for w in after),
                      key=lambda x: len(x[0]), reverse=True)


@dataclass(frozen=True)
class Reading:
    """What the words around one mention say."""

    kind: str  # statistic, name, ordinal, award, date
    figure: str  # the figure as a claim writes it (the mention, or a longer token)
    figure_offset: int
    unit: str = ""
    qualifier: str = ""  # "" when no word gives one
    value: float | None = None
    value_text: str = ""
    label: str = ""  # the words naming what it counts
    context: str = ""  # its clause
    part_of: str = ""  # the name it is part of when it is no figure of its own (十届四次全会: 四)


# ---- text helpers --------------------------------------------------------------------------------
@functools.lru_cache(maxsize=8)
def _break_positions(text: str, breaks: str) -> list[int]:
    return [i for i, ch in enumerate(text) if ch in breaks]


def _bounds(text: str, offset: int, length: int, breaks: str) -> tuple[int, int]:
    """From the break before ``offset`` to the first break after ``offset + length`` (400 characters at most
    either way: a clause is never longer)."""
    positions = _break_positions(text, breaks)
    i = bisect.bisect_left(positions, offset)
    start = positions[i - 1] + 1 if i and positions[i - 1] >= offset - 400 else max(0, offset - 400)
    j = bisect.bisect_left(positions, offset + length)
    stop = positions[j] if j < len(positions) and positions[j] <= offset + length + 400 else min(
        len(text), offset + length + 400)
    return start, stop


def clause_bounds(text: str, offset: int, length: int = 1) -> tuple[int, int]:
    """Start and end of the clause around ``text[offset:offset + length]`` (between , ; : 。 and line ends)."""
    return _bounds(text, offset, length, CLAUSE_BREAKS)


def phrase_bounds(text: str, offset: int, length: int = 1) -> tuple[int, int]:
    """The clause narrowed to the phrase: also between 、 和 及 与."""
    return _bounds(text, offset, length, PHRASE_BREAKS)


def sentence_bounds(text: str, offset: int) -> tuple[int, int]:
    return _bounds(text, offset, 1, SENTENCE_BREAKS)


@functools.lru_cache(maxsize=8192)
def bigrams(text: str) -> frozenset[str]:
    """The pairs of neighbouring Chinese characters (and Latin words) of a text: what names share."""
    han = [ch for ch in text if "\u4e00" <= ch <= "\u9fff" or ch.isalpha() and ch.isascii()]
    return frozenset(a + b for a, b in zip(han, han[1:], strict=False))


@functools.lru_cache(maxsize=4096)
def spell_out(text: str) -> str:
    for short, full in ABBREVIATIONS.items():
        text = text.replace(short, full)
    return text


def dice(a: frozenset[str], b: frozenset[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


@functools.lru_cache(maxsize=4)
def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Every “…” (and "…", '…') span, quotes included."""
    return [m.span() for m in re.finditer(r"“[^”\n]{1,60}”|\"[^\"\n]{1,60}\"|'[^'\n]{1,60}'", text)]


def name_spans(text: str) -> list[tuple[int, int, str]]:
    """Every 《title》 of the text and every later occurrence of its words without the brackets (the longest
    tail of the title, six characters or more): a number in a name is no figure."""
    titles = {m.group(1) for m in re.finditer(r"《([^》\n]{2,80})》", text)}
    spans = []
    for title in titles:
        for m in re.finditer(re.escape(f"《{title}》"), text):
            spans.append((m.start(), m.end(), title))
        for cut in range(0, max(len(title) - 5, 0)):
            tail = title[cut:]
            found = [m.start() for m in re.finditer(re.escape(tail), text)]
            covered = [s for s in found if not any(a <= s < b for a, b, _ in spans)]
            for s in covered:
                spans.append((s, s + len(tail), title))
    return spans


def fold_year(text: str) -> int | None:
    """The year of a printed date when it is only a year (2022年, 2022年度), else None."""
    m = re.fullmatch(r"([12][0-9]{3})年度?", unicodedata.normalize("NFKC", text))
    return int(m.group(1)) if m else None


# ---- one mention ---------------------------------------------------------------------------------
def read_number(text: str, m: Mention, mentions: list[Mention]) -> Reading:
    """Read one mention in its article (rules: module docstring)."""
    start, stop = clause_bounds(text, m.offset, len(m.text))
    end = m.offset + len(m.text)
    before, after = text[start:m.offset], text[end:stop]
    context = text[start:stop].strip()
    label = _label(text, m, mentions, start, stop)
    base = {"figure": m.text, "figure_offset": m.offset, "label": label, "context": context}

    if m.kind in ("date", "range"):
        return Reading("date", **base)
    if m.kind == "compound":
        return Reading("name", **base)
    quoted = _short_quote(text, m)
    if m.kind == "ordinal":
        if m.text in WORDS or (m.text.startswith("第") and (after[:1] in ("位", "名") or _RANK_BEFORE.search(before))):
            return _statistic(m, "位", "", base)
        return Reading("ordinal", **base)
    if m.kind == "chinese":
        meeting = next((x for x in _MEETING.finditer(text[start:stop]) if x.start() + start < m.offset), None)
        if meeting and m.offset < meeting.end() + start and before.endswith("届"):
            return Reading("name", **base, part_of=meeting.group())
        if m.value is None:
            return Reading("name", **base)
        if quoted:
            return Reading("name", **{**base, "figure": quoted[0], "figure_offset": quoted[1]})
        if re.match(r"等(?:奖|资助|次)?|佳|强", after) or (before.endswith("前") and after.startswith("甲")):
            return Reading("award", **base)
        if before.endswith("党的") or _CONGRESS_AFTER.match(after) or after.startswith("届"):
            return Reading("ordinal", **base)
        if after[:1] and after[0] in _INSTITUTION and before[-1:] and "\u4e00" <= before[-1] <= "\u9fff":
            return Reading("name", **base, part_of=before[-4:] + m.text + after[0])
        if m.text == "亿":  # 超亿元项目: a threshold in a category's name
            return Reading("name", **base)
    if m.kind == "approx" and re.search("年|月|天|周|小时", m.text):
        return Reading("date", **base)
    unit, figure = _unit(m, before, after)
    if unit == "年" and not re.match(r"[余多]?年(?:以来|来)", after):
        return Reading("date", **base)  # 30年磨一剑: a span of time, kept as a date
    if not unit:
        return Reading("statistic", **base)  # no unit: the drafter keeps it as a name for review
    qualifier = _qualifier(m, before, after, figure)
    return _statistic(m, unit, qualifier, {**base, "figure": figure})


def _statistic(m: Mention, unit: str, qualifier: str, base: dict) -> Reading:
    figure = base["figure"]
    value = figure_value(figure, unit)
    if value is None:
        return Reading("statistic", **base, unit=unit, qualifier=qualifier)
    digits = re.match(r"第?([0-9]+(?:\.[0-9]+)?)", unicodedata.normalize("NFKC", figure))
    if digits and figure_value(digits.group(1), unit) == value:
        value_text = digits.group(1)
    elif value == int(value):
        value_text = str(int(value))
    else:
        value_text = f"{value:.4f}".rstrip("0").rstrip(".")
    return Reading("statistic", **base, unit=unit, qualifier=qualifier, value=float(value_text), value_text=value_text)


def _short_quote(text: str, m: Mention) -> tuple[str, int] | None:
    """The words of a short quoted phrase holding the mention (“六大工程”), with their offset."""
    for start, stop in quoted_spans(text):
        if start < m.offset and m.offset + len(m.text) < stop and stop - start <= 14:
            return text[start + 1:stop - 1], start + 1
    return None


def _unit(m: Mention, before: str, after: str) -> tuple[str, str]:
    """The unit after the number and the figure as a claim writes it (the mention, or with 万 folded in)."""
    figure = m.text
    if m.kind == "fraction":
        return "%", figure
    if re.search("[%％]$", figure):
        return "%", figure
    rest = after
    if m.kind == "number" and re.match("[余多]", rest):
        rest = rest[1:]
    if re.search(r"每万(?:人口|人)", before) and rest.startswith("件"):
        return "件/万人", figure
    if m.kind == "chinese" and re.search("[万亿]$", m.text):
        return ("亿元" if m.text.endswith("亿") else "万元"), figure  # 千亿级的产业: an amount of money
    for word in _UNIT_WORDS:
        if rest.startswith(word):
            return _people(word, before, rest[len(word):]), figure
    multiplier = re.match(r"[万亿]", rest)
    if multiplier and m.kind == "number":
        for word in _UNIT_WORDS:
            if rest[1:].startswith(word):
                return _people(word, before, rest[1 + len(word):]), figure + multiplier.group()
    if rest.startswith("强"):
        return "位", figure  # 50强: a place in a ranking
    if m.kind == "chinese" and rest[:1] in _CLASSIFIERS:
        return _CLASSIFIERS[rest[0]], figure
    return "", figure


def _people(word: str, before: str, after: str) -> str:
    """名 and 位 count people when a word for people is near; a place in a ranking otherwise."""
    if word not in ("名", "位"):
        return word
    near = before[-12:] + after[:6]
    return "人" if any(p in near for p in PEOPLE) else word


def _qualifier(m: Mention, before: str, after: str, figure: str) -> str:
    head = before.rstrip()
    for word, symbol in _BEFORE_WORDS:
        if head.endswith(word):
            return symbol
    if m.kind == "approx":
        return "≈" if re.match("近|上", m.text) else ">"
    rest = after
    for word in _UNIT_WORDS:  # past the unit: 90%以上, 10家左右
        if rest.startswith(word):
            rest = rest[len(word):]
            break
    rest = re.sub(r"^[万亿]", "", rest)
    if m.kind == "number" and re.match("[余多]", after):
        return ">"
    for word, symbol in _AFTER_WORDS:
        if rest.startswith(word) or (word == "强" and after.startswith("强")):
            return symbol
    if re.match("级", rest) and m.kind == "chinese" and re.search("[百千万亿]$", m.text):
        return "≥"  # 千亿级: of that order
    if re.search("预计|预估|约", head):
        return "≈"
    return ""


def _label(text: str, m: Mention, mentions: list[Mention], start: int, stop: int) -> str:
    """The words naming what the number counts: its phrase, or the matching item before 分别."""
    clause = text[start:stop]
    split = clause.find("分别")
    if split >= 0 and m.offset > start + split:
        after_split = [x for x in mentions if start + split < x.offset < stop]
        items = [i for i in re.split("、", clause[:split]) if i.strip()]
        index = next((i for i, x in enumerate(after_split) if x.offset == m.offset), -1)
        if 0 <= index < len(items):
            return items[index]
    lo, hi = _bounds(text, m.offset, len(m.text), PHRASE_BREAKS)
    lo, hi = max(lo, start), min(hi, stop)
    label = _blanked(text, lo, hi, mentions)
    if len(bigrams(label)) < 2 or _RELATION.match(label.strip()):  # 同比增长11.61%: what grew is said before
        sentence_start = sentence_bounds(text, m.offset)[0]
        if start - 1 > sentence_start:
            before = clause_bounds(text, start - 2, 1)[0]
            label = _blanked(text, max(before, sentence_start), start - 1, mentions) + " " + label
    return label


_RELATION = re.compile(r"^(?:同比|比上年|较上年|占|为|是|达|居|均|增长|下降)")


def _blanked(text: str, lo: int, hi: int, mentions: list[Mention]) -> str:
    """``text[lo:hi]`` with every number blanked: the number says nothing of what is counted (``mentions``
    sorted by offset, as :func:`factcheck.mentions.scan` gives them)."""
    words = list(text[lo:hi])
    first = bisect.bisect_left([x.offset for x in mentions], lo - 60)
    for x in mentions[first:]:
        if x.offset >= hi:
            break
        for i in range(max(x.offset, lo), min(x.offset + len(x.text), hi)):
            words[i - lo] = " "
    return "".join(words)


def name_of(label: str) -> str:
    """A label made a name for a new indicator: without the blanked numbers and their units, and without the
    verbs around a figure (新增高新技术企业   家 → 新增高新技术企业)."""
    units = "|".join(map(re.escape, [*_UNIT_WORDS, *_CLASSIFIERS]))
    name = re.sub(rf"\s+(?:{units})?", "", label)
    name = re.sub(r"^(?:这里|其中|目前|仅|共|累计)+", "", name)
    return re.sub(r"(?:突破|超过|达到|达|为|有|是|超|约|近|逾|共|合计|的)+$", "", name).strip("“”\"' ")
