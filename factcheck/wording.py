"""Every sentence a reader sees about a verdict, from templates, in plain Chinese.

Input is a judged claim as the judged file stores it (a dict, see :mod:`factcheck.judged`) and the
edition's sources; output is plain text (escaping is the page's job, :mod:`factcheck.present`):

* :func:`label`: the verdict in words a lay reader understands (数字有误, 算得通, …);
* :func:`why`: one sentence saying why;
* :func:`steps`: the arithmetic, the other readings, what each input is and where it comes from, and
  what was searched and not found: the "how we computed it" a reader may open;
* :func:`candidates`: the candidate explanations of an error, best first.

No program names, claim ids, binding names or interval brackets: ranges read 在2.54到2.66之间, open ends
超过/不到, lists 甲、乙和丙. :func:`clean` is the check the tests run on every sentence.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from .vocabulary import BY_CODE, COPY_KINDS, KINDS, TARGET_STATUS
from .words import listing, number, qty, qty_text, span

RESULT = {"reproduced": "相符", "consistent": "算得通", "inconsistent": "不符", "unverifiable": "无法核实"}


def source_name(sources: Mapping[str, dict], source_id: str) -> str:
    s = sources.get(source_id)
    return s["publisher"] if s else ""


def _interval(d: dict | None) -> tuple:
    if not d:
        return (None, None, False, False)
    return (d.get("lo"), d.get("hi"), d.get("lo_open", False), d.get("hi_open", False))


# ---- the label ----------------------------------------------------------------------------------
def label(j: Mapping) -> str:
    """The plain verdict: ``数字有误``; a target with its status (``规划目标·已达成``); a name's kind."""
    if not j.get("verdict"):
        return KINDS.get(j.get("kind", ""), "未核查")
    text = BY_CODE[j["verdict"]].label
    if j["verdict"] == "target" and j.get("target"):
        text += "·" + TARGET_STATUS[j["target"]["status"]]
    return text


# ---- why: one sentence --------------------------------------------------------------------------
def why(j: Mapping, sources: Mapping[str, dict]) -> str:
    if not j.get("verdict"):
        return f"这是{KINDS.get(j.get('kind', ''), '名称')},不是统计数字,不作核查。"
    if j["verdict"] == "target":
        return _why_target(j, sources)
    if j.get("check") == "stated" or not j.get("readings"):
        return _why_stated(j, sources)
    return _why_formula(j, sources)


def _why_stated(j: Mapping, sources: Mapping[str, dict]) -> str:
    claimed = qty(j["value"], j["decimals"], j["qualifier"], j["unit"])
    against = [c for c in j.get("corroboration", []) if not c["agrees"]]
    if against:
        who = listing([f"{c['publisher']}给出的{qty_text(c['text'])}" for c in against])
        return f"文章的{claimed}与{who}矛盾。"
    agree = j.get("corroboration", [])
    parts = []
    for independent in (True, False):
        group = [c for c in agree if c["independent"] == independent]
        same = [c for c in group if c.get("same", True)]
        near = [c for c in group if not c.get("same", True)]
        source = "独立来源" if independent else ""
        if same:
            parts.append(f"{source}{listing([c['publisher'] for c in same])}给出相同的数字")
        if near:
            parts.append(f"{source}{listing([c['publisher'] for c in near])}给出的是"
                         f"{listing([qty_text(c['text']) for c in near])},与文章不矛盾")
        if group and not independent:
            parts[-1] += ",但与文章同出一源,不算独立佐证"
    if parts:
        return "无从重算;" + ";".join(parts) + "。"
    return "文章给出的基础数字,无从重算;本书也未找到其他来源给出同一数字。"


def _why_target(j: Mapping, sources: Mapping[str, dict]) -> str:
    t = j["target"]
    goal = qty(j["value"], j["decimals"], j["qualifier"], j["unit"])
    actuals = t.get("actuals", [])
    due = t.get("due")
    if t["status"] == "no_date":
        latest = actuals[-1] if actuals else None
        now = f"目前找到的最近实际值是{latest['period']}年的{qty_text(latest['text'])}。" if latest else "也未找到实际值。"
        return f"目标{goal},文章没有给出期限,无法判断是否达成;{now}"
    at_due = [a for a in actuals if a["period"] == due]
    if t["status"] in ("met", "missed", "unclear"):
        a = at_due[0]
        verdict = {"met": "已达成", "missed": "未达成", "unclear": "无法判断是否达成"}[t["status"]]
        return f"目标到{due}年{goal};{due}年实际{qty_text(a['text'])}({source_name(sources, a['source_id'])}),{verdict}。"
    earlier = [a for a in actuals if a["period"] < due]
    progress = (f"目前找到的最近实际值是{earlier[-1]['period']}年的{qty_text(earlier[-1]['text'])}"
                if earlier else "目前未找到实际值")
    if t["status"] == "not_due":
        return f"目标到{due}年{goal},尚未到期;{progress}。"
    return f"目标到{due}年{goal};{due}年的实际值未找到,无法判断是否达成;{progress}。"


def _reading(j: Mapping) -> dict:
    return j["readings"][j.get("decisive", 0)]


def _why_formula(j: Mapping, sources: Mapping[str, dict]) -> str:
    r = _reading(j)
    primary = j["readings"][0]
    claimed = qty(j["value"], j["decimals"], j["qualifier"], j["unit"])
    digits = max(j["decimals"], 2) + 1
    if r["weak"]:
        w = r["weak"][0]
        state = ("与文章的其他数字或公开数据矛盾" if w["verdict"] == "inconsistent" else "本身无法核实")
        return (f"与{w['what']}{qty_text(w['text'])}相符,但那个数字{state}(见它的核查),所以无法据此核实。")
    if j.get("condition"):
        c = j["condition"]
        other = (f"按{c['year']}年的{c['what']}重算为{_value(r, digits)}" if r.get("recomputed") is not None
                 else f"按{c['year']}年的{c['what']}推算")
        fits = "与文章一致" if _exact(r, j) else "计入舍入和估计的范围后与文章相容"
        first = _short(primary, j, digits)
        return (f"只有当它指{c['year']}年({c['what']}用{c['year']}年的数字)时才算得通:{other}{_estimates(r)},"
                f"{fits};{first}。")
    if r["status"] == "missing":
        return _why_missing(r)
    if r["status"] == "implied":
        return _why_implied(r, j)
    if _enumerated(r) and r["verdict"] == "inconsistent":
        items = next(u for u in r["used"] if u["kind"] == "items")
        return (f"文中只列出{number(items['value'], 0)}项,与所说的{claimed}对不上;是数字有误还是漏列了项目,"
                "需查原文件。")
    value = _value(r, digits)
    if r.get("tolerance"):
        stand = [u for u in r["used"] if u.get("stand_in")]
        what = listing([u["stands_for"] for u in stand])
        in_out = "在" if r["verdict"] != "inconsistent" else "超出"
        tail = "之内,算得通" if r["verdict"] != "inconsistent" else ",不符"
        return (f"{what}的数字未找到,用相邻年份({listing([str(u['period']) + '年' for u in stand])})的数字代替,"
                f"重算为{value},{in_out}代替所允许的±{number(r['tolerance'] * 100, 0)}%误差{tail}。"
                + (_pair(r, j) if r["verdict"] == "inconsistent" else ""))
    if r["verdict"] == "inconsistent":
        lo, hi, lo_open, hi_open = _interval(r.get("spread"))
        rounding = ""
        if lo is not None and hi is not None and number(lo, digits) != number(hi, digits):
            rounding = f",计入输入数字的舍入也只{span(lo, hi, lo_open, hi_open, digits)}"
        return f"重算为{value}{rounding},与文章的{claimed}不符。" + _pair(r, j)
    if r["left_out"]:
        return (f"已找到的数字都支持这一说法,但{listing(r['left_out'])}未找到,"
                "无法完整核实。")
    if r["verdict"] == "reproduced":
        return f"用独立来源的数据重算为{value},与文章的{claimed}一致。"
    reasons = _not_independent(r, sources)
    return f"重算为{value},与文章的{claimed}一致;{reasons}。"


def _value(r: Mapping, digits: int) -> str:
    """The recomputed number, with the side it is open to when an input is only a bound (超15.7亿元 …)."""
    if r.get("recomputed") is None:
        return "无意义"
    lo, hi, _, _ = _interval(r.get("spread"))
    text = number(r["recomputed"], digits)
    return f"不少于{text}" if hi is None and lo is not None else f"不超过{text}" if lo is None and hi is not None else text


def _exact(r: Mapping, j: Mapping) -> bool:
    return r.get("recomputed") is not None and number(r["recomputed"], j["decimals"]) == number(j["value"], j["decimals"])


def _enumerated(r: Mapping) -> bool:
    return any(u["kind"] == "items" for u in r["used"]) and len(r["used"]) == 1


def _pair(r: Mapping, j: Mapping) -> str:
    """For an error between two figures of the same article: either may be the wrong one."""
    own = [u for u in r["used"] if u["kind"] == "claim" and u["source_id"] == j["source_id"]]
    if not own:
        return ""
    others = listing([f"{u['what']}{qty(u['value'], u['decimals'], u['qualifier'], u['unit'])}" for u in own])
    return f"文章的{others}与这个数字不能同时成立,错的可能是其中任何一个。"


def _estimates(r: Mapping) -> str:
    """``(其中江海区2021年地区生产总值是预计数,按±5%计)`` when an input is an estimate."""
    shown = [u["what"] for u in r["used"] if u["qualifier"] == "≈"]
    if not shown:
        return ""
    from .precision import APPROX_TOLERANCE

    return f"(其中{listing(shown)}是预计数,按±{number(APPROX_TOLERANCE * 100, 0)}%计)"


def _short(r: Mapping, j: Mapping, digits: int) -> str:
    if r["status"] == "missing":
        return f"按文章所指年份,{listing(r['missing'])}未找到"
    if r.get("recomputed") is not None:
        return f"按文章所指年份重算则为{number(r['recomputed'], digits)},{RESULT[r['verdict']]}"
    return f"按文章所指年份则{RESULT[r['verdict']]}"


def _not_independent(r: Mapping, sources: Mapping[str, dict]) -> str:
    own = [u for u in r["used"] if u["kind"] in ("claim", "items", "constant") or not u["independent"]]
    estimates = [u for u in r["used"] if u["qualifier"] != "="]
    parts = []
    if own:
        names = listing([_used_name(u, sources) for u in own])
        parts.append(f"但{names}不是独立来源的数据")
    if estimates:
        approx = any(u["qualifier"] == "≈" for u in estimates)
        tolerance = "(预计数按±5%计)" if approx else ""
        parts.append(f"{listing([u['what'] for u in estimates])}只是{'估计数' if approx else '下限或上限'}{tolerance}")
    return ",".join(parts) if parts else "但不是全部输入都来自独立来源"


def _used_name(u: Mapping, sources: Mapping[str, dict]) -> str:
    if u["kind"] == "claim":
        return f"文章自己的{u['what']}"
    if u["kind"] == "items":
        return "文章自己的列举"
    if u["kind"] == "constant":
        return f"按文章推定的{number(u['value'], 4)}"
    return f"{u['what']}({source_name(sources, u['source_id'])})"


def _why_missing(r: Mapping) -> str:
    if r.get("bare"):
        return f"核对需要{r['missing'][0]},本书未找到;文章给出的正是这个数字,无从核对。"
    if len(r["missing"]) > 1:
        return f"核对需要{listing(r['missing'])},都未找到。"
    return f"核对需要{r['missing'][0]},本书未找到。"


def _why_implied(r: Mapping, j: Mapping) -> str:
    lo, hi, lo_open, hi_open = _interval(r.get("implied"))
    what, unit = r["implied_what"], r.get("implied_unit", "")
    if r["wholes"]:
        wholes = [f"{n}{unit}" for n in r["wholes"][:5]]
        shown = listing(wholes, "或") + ("等" if len(r["wholes"]) > 5 else "")
        if r.get("loose"):
            return (f"{what}未找到;按文章的数字它可以是{shown},这个范围总能容下整数,所以算不出矛盾,"
                    "也无法据此核实。")
        return f"{what}未找到;按文章的数字它应为{shown},是可能的整数,与文章相容。"
    if r["verdict"] == "inconsistent":
        return (f"{what}未找到;按文章的数字它{span(lo, hi, lo_open, hi_open, 3, unit)},"
                f"不是整数,而这是一个计数,所以文章的这几个数字不可能同时成立,错的可能是其中任何一个。")
    return f"{what}未找到;按文章的数字它{span(lo, hi, lo_open, hi_open, 2, unit)}。"


# ---- steps: how we computed it ------------------------------------------------------------------
def steps(j: Mapping, sources: Mapping[str, dict]) -> list[str]:
    """The sentences behind the verdict, for the reader who opens 怎么算的."""
    out: list[str] = []
    if not j.get("verdict"):
        return out
    readings = j.get("readings") or []
    digits = max(j["decimals"], 2) + 1
    dated = any(u["kind"] == "input" for r in readings for u in r["used"]) or any(r["missing"] for r in readings)
    for i, r in enumerate(readings):
        name = ("按文章所指年份" if dated else "算式") if r["primary"] else "另一种读法:" + listing(
            [f"{c['what']}{'用' if c['stand_in'] else '按'}{c['year']}年"
             + ("的数字代替" if c["stand_in"] else "") for c in r["changes"]])
        body = _reading_text(r, digits)
        mark = "(决定结论)" if i == j.get("decisive", 0) and len(readings) > 1 else ""
        out.append(f"{name}{mark}:{body}")
    decisive = readings[j.get("decisive", 0)] if readings else None
    if decisive:
        for u in decisive["used"]:
            out.append(_used_text(u, sources))
        for w in decisive["weak"]:
            out.append(f"所依据的{w['what']}{qty_text(w['text'])}本身的结论是“{BY_CODE[w['verdict']].label}”。")
    for c in j.get("corroboration", []):
        independent = "独立来源" if c["independent"] else "与文章同出一源,不算独立"
        agrees = "相符" if c["agrees"] else "矛盾"
        out.append(f"{c['publisher']}给出{qty_text(c['text'])},与文章{agrees}({independent})。")
    if j.get("target"):
        for a in j["target"].get("actuals", []):
            out.append(f"{a['period']}年实际{qty_text(a['text'])}({source_name(sources, a['source_id'])})。")
    for s in j.get("searched", []):
        out.append(_searched_text(s, sources))
    for sid in j.get("low_tier", []):
        s = sources.get(sid, {})
        kind = COPY_KINDS.get(s.get("copy_kind", ""), "转载")
        out.append(f"{s.get('publisher', '')}的数字是从{kind}读到的,可靠性较低;引用前应查对原文。")
    if j["verdict"] == "inconsistent":
        art = sources.get(j["source_id"], {})
        if art.get("artefacts"):
            out.append(f"核对依据的是本书存档的文章文本;这份文本有转录瑕疵({art['artefacts']})。")
    return out


def candidates(j: Mapping) -> list[str]:
    """The candidate explanations of an error, best first (they never change the verdict)."""
    found = [diagnosis(d, j) for d in j.get("diagnoses") or []]
    if not found and j.get("verdict") == "inconsistent" and j.get("check") == "formula":
        return ["未找到能让这个数字成立的常见读法。"]
    return found


def _reading_text(r: Mapping, digits: int) -> str:
    if r["status"] == "missing":
        return _why_missing(r)
    if r["status"] == "implied":
        return _why_implied(r, {})
    lo, hi, lo_open, hi_open = _interval(r.get("spread"))
    rounding = ""
    if lo is not None and hi is not None and number(lo, digits) != number(hi, digits):
        rounding = f"(计入输入数字的舍入,{span(lo, hi, lo_open, hi_open, digits)})"
    tolerance = f",允许±{number(r['tolerance'] * 100, 0)}%误差" if r.get("tolerance") else ""
    left = f";{listing(r['left_out'])}未找到,未计入" if r.get("left_out") else ""
    return f"{r['equation']}{rounding}{tolerance}{left},{RESULT[r['verdict']]}。"


def _used_text(u: Mapping, sources: Mapping[str, dict]) -> str:
    value = qty(u["value"], u["decimals"], u["qualifier"], u["unit"])
    if u["kind"] == "constant":
        return f"{number(u['value'], 4)}:按文章推定的常数。"
    if u["kind"] == "items":
        return f"{number(u['value'], 0)}:文中列举的项数({listing(u['items'])})。"
    if u["kind"] == "claim":
        return f"{value}:{u['what']},文章自己的数字。"
    s = sources.get(u["source_id"], {})
    who = s.get("publisher", "")
    independent = "独立来源" if u["independent"] else "与文章同出一源"
    stand = ",用作相邻年份的代替" if u.get("stand_in") else ""
    note = f"所指时期:{u['period_note']}。" if u.get("period_note") else ""
    return f"{value}:{u['what']},来自{who}({independent}{stand})。{note}"


def _searched_text(s: Mapping, sources: Mapping[str, dict]) -> str:
    if s.get("result") == "unpublished":
        who = source_name(sources, s.get("source_id", ""))
        return f"{s['what']}:{who}说明未公布。"
    where = f"查过:{s['searched']}" if s.get("searched") else "本书尚未记录查找过程"
    when = f"({s['date']})" if s.get("date") else ""
    note = f"最接近的是:{s['note']}" if s.get("note") else ""
    return f"{s['what']}未找到。{where}{when}。" + (f"{note}。" if note else "")


def diagnosis(d: Mapping, j: Mapping) -> str:
    """One candidate explanation in words."""
    kind = d["kind"]
    result = f"重算为{d['equation']}" if d.get("equation") else ""
    implied = d.get("implied")
    if kind == "period":
        return f"如果{d['what']}取{d['year']}年而不是{d['instead_of']}年:{result},就相符。"
    if kind == "swap":
        if implied and implied.get("wholes"):
            unit = implied.get("unit", "")
            shown = listing([f"{n}{unit}" for n in implied["wholes"][:3]], "或")
            return f"如果前后两期颠倒(文章的数其实是{d['second']},而{d['first']}应为{shown}),就相符。"
        return f"如果{d['first']}与{d['second']}前后颠倒:{result},就相符。"
    if kind == "base":
        words = "“增长到”误写成“增长了”" if d["reading"] == "to" else "“增长了”误写成“增长到”"
        return f"如果{words},即实为{d['value']}%:{result or '就相符'},就相符。".replace(",就相符,就相符", ",就相符")
    if kind == "enumeration":
        gap = abs(float(j.get("value") or 0) - d["listed"])
        more = "少" if float(j.get("value") or 0) > d["listed"] else "多"
        return (f"文中只列出{d['listed']}项,比所说的{d['claimed']}项{more}{number(gap, 0)}项;"
                "原计划可能确有漏列或多列的项目,需查原文件核对。")
    if kind == "misprint":
        shown = listing(d["candidates"][:6], "或") + ("等" if d["count"] > 6 else "")
        who = "文章的这个数字" if d["own"] else f"文章的{d['what']}"
        return (f"如果{who}“{d['printed']}”是误植(一个字符之差),原应为{shown}:共{d['count']}个这样的数"
                "能使算式成立。")
    if kind == "total":
        return f"如果所比的是{d['geography']}而不是{d['instead_of']}的{d['what']}:{result},就相符。"
    return ""


# ---- the check run on every sentence ------------------------------------------------------------
_PROGRAM = re.compile(r"[A-Za-z_]+[0-9]*\s*[=:]|[a-z]+_[a-z_]+|\b\d{4}-[a-z][a-z0-9-]+\b|∞|\[|\]|\b(?:Min|Max|Abs)\(")
_ASCII_WORD = re.compile(r"(?<![A-Za-z])[a-z][a-z0-9_]+|(?<![A-Za-z])[A-Z][a-z]+[A-Z]\w*")
_ONE_ENDED = re.compile(r"在[^到,;。]*之间")
_INTERVAL = re.compile(r"[()]\s*-?\d[\d.]*\s*,\s*-?[\d.]+\s*[()]|[（(][^()（）]*[（(]")


def clean(text: str, *, arithmetic: bool = False) -> str | None:
    """Why ``text`` is not fit for readers, or None when it is: program names, binding names, claim ids,
    interval notation ("(299.05, 300]"), parentheses in parentheses, doubled words or punctuation.
    ``arithmetic``: the text is an equation of 怎么算的, where a parenthesis may hold a number."""
    if _PROGRAM.search(text.replace("GDP", "")) or _ASCII_WORD.search(text):
        return f"program notation in: {text}"
    if _ONE_ENDED.search(text):
        return f"a range with one end in: {text}"
    if not arithmetic and _INTERVAL.search(text):
        return f"interval or nested parentheses in: {text}"
    for bad in ("。。", ",,", ";;", "::", "的的", "1. 1.", "None", "nan", "inf"):
        if bad in text:
            return f"{bad!r} in: {text}"
    return None
