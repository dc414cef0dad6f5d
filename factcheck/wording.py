"""Every sentence a reader sees about a verdict, from templates, in plain Chinese.

Input is a judged claim as the judged file stores it (a dict, see :mod:`factcheck.judged`) and the
edition's sources; output is plain text (escaping is the page's job, :mod:`factcheck.present`):

* :func:`label`: the verdict in words a lay reader understands (数字有误, 文内自洽, …);
* :func:`why`: one sentence saying why, naming the figure most likely wrong when a diagnosis can tell;
* :func:`steps`: the arithmetic, the other readings, what each input is and where it comes from, and
  what was searched and not found: the "how we computed it" a reader may open;
* :func:`candidates`: the candidate explanations of an error, best first.

Chinese prose takes full-width punctuation (，；：（）); our own notes from data are typeset to match
(:func:`factcheck.words.typeset`). No program names, claim ids, binding names or interval brackets:
ranges read 在2.54到2.66之间, open ends 超过/不到, lists 甲、乙和丙. :func:`clean` is the check the tests
run on every sentence.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from .vocabulary import BY_CODE, CONFIDENCE, COPY_KINDS, KINDS, LOW_TIER, TARGET_STATUS, WEAK_STATE
from .words import (
    HALF_WIDTH_IN_ARITHMETIC,
    HALF_WIDTH_NEXT_TO_CHINESE,
    listing,
    number,
    qty,
    qty_text,
    share,
    span,
    typeset,
)

RESULT = {"reproduced": "与文章一致", "consistent": "与文章一致", "internal": "与文章一致",
          "inconsistent": "与文章不符", "unverifiable": "无法核实"}


def source_name(sources: Mapping[str, dict], source_id: str) -> str:
    s = sources.get(source_id)
    return s["publisher"] if s else ""


def _interval(d: dict | None) -> tuple:
    if not d:
        return (None, None, False, False)
    return (d.get("lo"), d.get("hi"), d.get("lo_open", False), d.get("hi_open", False))


def _claimed(j: Mapping) -> str:
    return qty(j["value"], j["decimals"], j["qualifier"], j["unit"])


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
        return f"这是{KINDS.get(j.get('kind', ''), '名称')}，不是统计数字，不作核查。"
    c = j.get("culprit")
    if c and c.get("claim_id") == j["claim_id"] and j.get("check") != "formula":
        return _why_culprit(j, c)
    if j["verdict"] == "target":
        return _why_target(j, sources)
    if j.get("check") == "stated" or not j.get("readings"):
        return _why_stated(j, sources)
    return _why_formula(j, sources)


def _why_stated(j: Mapping, sources: Mapping[str, dict]) -> str:
    claimed = _claimed(j)
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
        source = "与文章无关的" if independent else ""
        if same:
            parts.append(f"{source}{listing([c['publisher'] for c in same])}给出相同的数字"
                         + ("" if independent else "，但与文章同出一源，不算独立佐证"))
        if near:
            parts.append(f"{source}{listing([c['publisher'] for c in near])}给出的是"
                         f"{listing([qty_text(c['text']) for c in near])}，与文章不矛盾，但也证实不了它")
    if j["verdict"] in ("reproduced", "consistent"):
        return "；".join(parts) + "。"
    if not parts:
        parts = ["本书也未找到其他来源给出同一数字"]
    for c in j.get("conflicts", []):  # an error between it and another figure whose culprit is unknown
        parts.append(f"但它与文章的{c['what']}{c['text']}不能同时成立，两者至少有一个有误（见{c['text']}的核查）")
    return "文章给出的基础数字，无从重算；" + "；".join(parts) + "。"


def _why_target(j: Mapping, sources: Mapping[str, dict]) -> str:
    t = j["target"]
    goal = _claimed(j)
    actuals = t.get("actuals", [])
    due = t.get("due")
    if t["status"] == "no_date":
        latest = actuals[-1] if actuals else None
        now = f"目前找到的最近实际值是{latest['period']}年的{qty_text(latest['text'])}。" if latest else "也未找到实际值。"
        return f"目标{goal}，文章没有给出期限，无法判断是否达成；{now}"
    at_due = [a for a in actuals if a["period"] == due]
    if t["status"] in ("met", "missed", "unclear"):
        a = at_due[0]
        verdict = {"met": "已达成", "missed": "未达成", "unclear": "无法判断是否达成"}[t["status"]]
        return (f"目标到{due}年{goal}；{due}年实际{qty_text(a['text'])}（{source_name(sources, a['source_id'])}），"
                f"{verdict}。")
    earlier = [a for a in actuals if a["period"] < due]
    progress = (f"目前找到的最近实际值是{earlier[-1]['period']}年的{qty_text(earlier[-1]['text'])}"
                if earlier else "目前未找到实际值")
    if t["status"] == "not_due":
        return f"目标到{due}年{goal}，尚未到期；{progress}。"
    return f"目标到{due}年{goal}；{due}年的实际值未找到，无法判断是否达成；{progress}。"


def _reading(j: Mapping) -> dict:
    return j["readings"][j.get("decisive", 0)]


def _why_formula(j: Mapping, sources: Mapping[str, dict]) -> str:
    r = _reading(j)
    primary = j["readings"][0]
    claimed = _claimed(j)
    digits = max(j["decimals"], 2) + 1
    c = j.get("culprit")
    if c and c.get("claim_id") and c["claim_id"] != j["claim_id"] and j["verdict"] == "unverifiable":
        wrong = _suspect_text(c, c["claim_id"])
        return (f"{claimed}与文章的{wrong}不能同时成立；{CONFIDENCE[c['confidence']]}错的是{wrong}（见它的核查），"
                f"所以这里的{claimed}既不能据此判为有误，也无法核实。")
    if r["weak"]:
        w = r["weak"][0]
        text = qty_text(w["text"])
        return (f"与文章的{w['what']}{text}相符，但{text}本身{WEAK_STATE[w['verdict']]}（见它的核查），"
                "所以无法据此核实。")
    if j.get("vacuous"):
        return _why_vacuous(j, r)
    if j.get("condition"):
        cond = j["condition"]
        other = (f"按{cond['year']}年的{cond['what']}重算为{_value(r, digits)}" if r.get("recomputed") is not None
                 else f"按{cond['year']}年的{cond['what']}推算")
        fits = "与文章一致" if _exact(r, j) else "计入舍入和估计的范围后与文章相容"
        first = _short(primary, j, digits)
        return (f"只有当它指{cond['year']}年（{cond['what']}用{cond['year']}年的数字）时才算得通：{other}{_estimates(r)}，"
                f"{fits}；{first}。")
    if r["status"] == "missing":
        return _why_missing(r)
    if r["status"] == "implied":
        return _why_implied(r, j)
    if _enumerated(r):
        items = next(u for u in r["used"] if u["kind"] == "items")
        if r["verdict"] == "inconsistent":
            return (f"文中只列出{number(items['value'], 0)}项，与所说的{claimed}对不上；是数字有误还是漏列了项目，"
                    "需查原文件。")
        return (f"文中列举的正好是{number(items['value'], 0)}项（{listing(items['items'])}），与所说的{claimed}一致；"
                "这只是文章自己前后一致，没有外部数据可比。")
    value = _value(r, digits)
    if r.get("tolerance"):
        stand = [u for u in r["used"] if u.get("stand_in")]
        what = listing([u["stands_for"] for u in stand])
        years = listing([str(u["period"]) + "年" for u in stand])
        tolerance = number(r["tolerance"] * 100, 0)
        if r["verdict"] != "inconsistent":
            return (f"{what}的数字未找到，用相邻年份（{years}）的数字代替，重算为{value}，"
                    f"在代替所允许的±{tolerance}%误差之内，算得通。")
        return (f"{what}的数字未找到，用相邻年份（{years}）的数字代替，重算为{value}，"
                f"超出代替所允许的±{tolerance}%误差，与文章的{claimed}不符。" + _pair(r, j))
    if r["verdict"] == "inconsistent":
        lo, hi, lo_open, hi_open = _interval(r.get("spread"))
        rounding = ""
        if lo is not None and hi is not None and number(lo, digits) != number(hi, digits):
            rounding = f"，计入输入数字的舍入也只{span(lo, hi, lo_open, hi_open, digits)}"
        return f"重算为{value}{rounding}，与文章的{claimed}不符。" + _pair(r, j)
    if r["left_out"]:
        return f"已找到的数字都支持这一说法，但{listing(r['left_out'])}未找到，无法完整核实。"
    if r["verdict"] == "reproduced":
        return f"用独立来源的数据重算为{value}，与文章的{claimed}一致。"
    if r["verdict"] == "internal":
        own = listing([_used_name(u, sources) for u in r["used"]])
        return (f"重算为{value}，与文章的{claimed}一致；但用到的只是{own}，"
                "这只说明文章前后算得通，没有外部数据可比。")
    return f"重算为{value}，与文章的{claimed}一致；{_not_independent(r, sources)}。"


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


def _own(r: Mapping, j: Mapping) -> list[dict]:
    return [u for u in r["used"] if u.get("claim_id") and u["source_id"] == j["source_id"]]


def _pair(r: Mapping, j: Mapping) -> str:
    """For an error between figures of the same article: which is most likely wrong, or that either may be."""
    own = _own(r, j)
    if not own:
        return ""
    others = listing([f"{u['what']}{qty(u['value'], u['decimals'], u['qualifier'], u['unit'])}" for u in own])
    return f"文章的{others}与{_claimed(j)}不能同时成立，{_which(j, own)}。"


def _which(j: Mapping, own: list[dict]) -> str:
    """``很可能错的是52件：…`` · ``至少有一个有误，无法判断错的是135.71%还是28件``."""
    c = j.get("culprit")
    if not c or c["confidence"] == "unknown":
        figures = listing([_claimed(j)] + [qty(u["value"], u["decimals"], u["qualifier"], u["unit"]) for u in own], "还是")
        reasons = _reasons(c)
        return f"至少有一个有误，无法判断错的是{figures}" + (f"：{reasons}" if reasons else "")
    wrong = _suspect_text(c, c["claim_id"])
    return f"{CONFIDENCE[c['confidence']]}错的是{wrong}：{_reasons(c)}"


def _estimates(r: Mapping) -> str:
    """``（其中江海区2021年地区生产总值是预计数，按±5%计）`` when an input is an estimate."""
    shown = [u["what"] for u in r["used"] if u["qualifier"] == "≈"]
    if not shown:
        return ""
    from .precision import APPROX_TOLERANCE

    return f"（其中{listing(shown)}是预计数，按±{number(APPROX_TOLERANCE * 100, 0)}%计）"


def _short(r: Mapping, j: Mapping, digits: int) -> str:
    if r["status"] == "missing":
        return f"按文章所指年份，{listing(r['missing'])}未找到"
    if r.get("recomputed") is not None:
        return f"按文章所指年份重算则为{number(r['recomputed'], digits)}，{RESULT[r['verdict']]}"
    return f"按文章所指年份则{RESULT[r['verdict']]}"


def _not_independent(r: Mapping, sources: Mapping[str, dict]) -> str:
    own = [u for u in r["used"] if u["kind"] in ("claim", "items") or (u["kind"] == "input" and not u["independent"])]
    estimates = [u for u in r["used"] if u["qualifier"] != "=" and u["kind"] != "constant"]
    parts = []
    if own:
        parts.append(f"但{listing([_used_name(u, sources) for u in own])}不是独立来源的数据")
    if estimates:
        approx = any(u["qualifier"] == "≈" for u in estimates)
        tolerance = "（预计数按±5%计）" if approx else ""
        parts.append(f"{listing([u['what'] for u in estimates])}只是{'估计数' if approx else '下限或上限'}{tolerance}")
    return "，".join(parts) if parts else "但不是全部输入都来自独立来源"


def _used_name(u: Mapping, sources: Mapping[str, dict]) -> str:
    if u["kind"] == "claim":
        return f"文章自己的{u['what']}"
    if u["kind"] == "items":
        return "文章自己的列举"
    if u["kind"] == "constant":
        return f"按文章推定的{number(u['value'], 4)}"
    return f"{u['what']}（{source_name(sources, u['source_id'])}）"


def _why_missing(r: Mapping) -> str:
    if r.get("bare"):
        return f"核对需要{r['missing'][0]}，本书未找到；文章给出的正是这个数字，无从核对。"
    if len(r["missing"]) > 1:
        return f"核对需要{listing(r['missing'])}，都未找到。"
    return f"核对需要{r['missing'][0]}，本书未找到。"


def _wholes(r: Mapping) -> str:
    unit = r.get("implied_unit", "")
    shown = listing([f"{n}{unit}" for n in r["wholes"][:5]], "或")
    return shown + ("等" if len(r["wholes"]) > 5 else "")


def _why_implied(r: Mapping, j: Mapping) -> str:
    lo, hi, lo_open, hi_open = _interval(r.get("implied"))
    what, unit = r["implied_what"], r.get("implied_unit", "")
    if r["wholes"]:
        if r.get("loose"):
            return (f"{what}未找到；按文章的数字它可以是{_wholes(r)}，这个范围总能容下整数，"
                    "所以这项核对不可能不通过，不能算作支持，无法核实。")
        return (f"{what}未找到；按文章自己的数字，它应为{_wholes(r)}，是可能的整数：文章的几个数字互相算得通，"
                "但没有外部数据可比。")
    if r["verdict"] == "inconsistent":
        own = _own(r, j)
        which = f"；{_which(j, own)}" if own else ""
        return (f"{what}未找到；按文章的数字它{span(lo, hi, lo_open, hi_open, 3, unit)}，"
                f"不是整数，而这是一个计数，所以文章的这几个数字不可能同时成立{which}。")
    return f"{what}未找到；按文章的数字它{span(lo, hi, lo_open, hi_open, 2, unit)}，无从比对。"


def _why_vacuous(j: Mapping, r: Mapping) -> str:
    """A check that held but could not have failed: said plainly, with the figures tried."""
    unit = j["unit"] if j["unit"] not in ("位",) else ""
    tried = listing([f"{t}{unit}" for t in j["vacuous"]["tried"][:2]], "或")
    could = f"文章的数字印成{tried}，也一样算得通；这项核对不可能不通过，所以不能算作支持，无法核实。"
    if r["status"] == "implied":
        lo, hi, lo_open, hi_open = _interval(r.get("implied"))
        value = _wholes(r) if r["wholes"] else span(lo, hi, lo_open, hi_open, 2, r.get("implied_unit", ""))
        return f"{r['implied_what']}未找到；按文章的数字它应为{value}。但{could}"
    return f"重算为{_value(r, max(j['decimals'], 2) + 1)}，与文章的{_claimed(j)}一致；但{could}"


# ---- which figure is wrong ----------------------------------------------------------------------
def _suspect(c: Mapping, claim_id: str) -> dict:
    return next(s for s in c["suspects"] if s["claim_id"] == claim_id)


def _suspect_text(c: Mapping, claim_id: str) -> str:
    s = _suspect(c, claim_id)
    return qty(s["value"], s["decimals"], s["qualifier"], s["unit"])


def _series_reasons(c: Mapping | None) -> list[str]:
    """Each printed figure against the same indicator elsewhere: the first out of line, the others fitting."""
    parts = []
    for s in (c or {}).get("suspects", []):
        series = s.get("series")
        if not series:
            continue
        mine = qty(s["value"], s["decimals"], s["qualifier"], s["unit"])
        theirs = qty(series["value"], series["decimals"], series["qualifier"], series["unit"])
        if s["fit"] == "fits":
            parts.append(f"而{mine}与{series['period']}年的{theirs}{_difference(s['value'], series['value'])}")
        else:
            parts.append(f"{series['publisher']}报道的{series['period']}年数字是{theirs}，{mine}"
                         f"{share(s['value'], series['value'])}")
    return parts


def _difference(a: float, b: float) -> str:
    gap = abs(a - b) / b * 100
    return "相差不到1%" if gap < 1 else f"相差{number(gap, 0)}%"


def _other_reasons(c: Mapping | None) -> list[str]:
    """What the printed figures imply for the outside inputs, and a misprint that fits both."""
    if not c:
        return []
    parts = []
    printed = listing([qty(s["value"], s["decimals"], s["qualifier"], s["unit"]) for s in c["suspects"]])
    for i in c.get("implied", []):
        used = f"{number(i['used'], i['used_decimals'])}{i['unit']}"
        parts.append(f"按{printed}，{i['what']}只有约{number(i['value'], 2)}{i['unit']}，"
                     f"而{i['publisher']}给出的{i['used_what']}是{used}，前者{share(i['value'], i['used'])}。")
    for s in c["suspects"]:
        if s.get("fixes") and s.get("series"):
            fixes = listing([f"{f}{s['unit']}" for f in s["fixes"]], "或")
            theirs = qty(s["series"]["value"], s["series"]["decimals"], s["series"]["qualifier"], s["series"]["unit"])
            parts.append(f"{s['figure']}若原为{fixes}（差一个字符），算式就能成立，也与{theirs}相近。")
    return parts


def _reasons(c: Mapping | None) -> str:
    """Why a diagnosis names one printed figure rather than another, in a clause (more in 怎么算的)."""
    return "，".join(_series_reasons(c))


def _why_culprit(j: Mapping, c: Mapping) -> str:
    """The card of the figure a diagnosis names as the likely wrong one of a failing pair."""
    checked = _suspect(c, c["checked"])
    other = qty(checked["value"], checked["decimals"], checked["qualifier"], checked["unit"])
    mine = _claimed(j)
    reasons = _reasons(c)
    return (f"{mine}与文章的{checked['what']}{other}不能同时成立；{CONFIDENCE[c['confidence']]}错的是{mine}"
            + (f"：{reasons}。" if reasons else "。"))


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
        if _enumerated(r):
            items = next(u for u in r["used"] if u["kind"] == "items")
            out.append(f"数一数文中的列举：{number(items['value'], 0)}项，{RESULT[r['verdict']]}。")
            continue
        name = ("按文章所指年份" if dated else "重算") if r["primary"] else "另一种读法：" + listing(
            [f"{c['what']}{'用' if c['stand_in'] else '按'}{c['year']}年"
             + ("的数字代替" if c["stand_in"] else "") for c in r["changes"]])
        body = _reading_text(r, digits)
        mark = "（决定结论）" if i == j.get("decisive", 0) and len(readings) > 1 else ""
        out.append(f"{name}{mark}：{body}")
    decisive = readings[j.get("decisive", 0)] if readings else None
    if decisive:
        for u in decisive["used"]:
            out.append(_used_text(u, sources, j))
        for w in decisive["weak"]:
            out.append(f"所依据的{w['what']}{qty_text(w['text'])}本身的结论是“{BY_CODE[w['verdict']].label}”。")
    c = j.get("culprit")
    if c:
        checked = _suspect(c, c["checked"])
        other = qty(checked["value"], checked["decimals"], checked["qualifier"], checked["unit"])
        if c.get("equation") and c["checked"] != j["claim_id"]:
            out.append(f"与{checked['what']}的核对：{c['equation']}，与文章的{other}不符（见那个数字的核查）。")
        out += _series_steps(c) + _other_reasons(c)
    if j.get("vacuous"):
        tried = listing(j["vacuous"]["tried"][:6], "、")
        out.append(f"试过文章可能印出的其他数字（{tried}等，共{len(j['vacuous']['tried'])}个），"
                   "同样的核对没有一个会判为不符，所以这项核对不可能不通过。")
    for c in j.get("corroboration", []):
        independent = (("与文章无关，但可靠性较低" if c.get("tier", 0) >= LOW_TIER else "独立来源") if c["independent"]
                       else "与文章同出一源，不算独立")
        agrees = ("相同" if c.get("same", True) else "不矛盾") if c["agrees"] else "矛盾"
        out.append(f"{c['publisher']}给出{qty_text(c['text'])}，与文章{agrees}（{independent}）。")
    if j.get("target"):
        for a in j["target"].get("actuals", []):
            out.append(f"{a['period']}年实际{qty_text(a['text'])}（{source_name(sources, a['source_id'])}）。")
    for s in j.get("searched", []):
        out.append(_searched_text(s, sources))
    for sid in j.get("low_tier", []):
        s = sources.get(sid, {})
        kind = COPY_KINDS.get(s.get("copy_kind", ""), "转载")
        out.append(f"{s.get('publisher', '')}的数字是从{kind}读到的，可靠性较低；引用前应查对原文。")
    if j["verdict"] == "inconsistent":
        art = sources.get(j["source_id"], {})
        if art.get("artefacts"):
            out.append(f"核对依据的是本书存档的文章文本；这份文本有转录瑕疵（{typeset(art['artefacts'])}）。")
    return out


def _series_steps(c: Mapping) -> list[str]:
    """The figures each suspect was weighed against, one line each, with their sources."""
    out = []
    for s in c["suspects"]:
        series = s.get("series")
        mine = qty(s["value"], s["decimals"], s["qualifier"], s["unit"])
        if not series:
            out.append(f"{s['what']}{mine}：别处没有找到同一指标的数字可比。")
            continue
        theirs = qty(series["value"], series["decimals"], series["qualifier"], series["unit"])
        verdict = {"fits": "相近", "off": "相差太大，一年之内不大可能", "near": "有差距"}[s["fit"]]
        out.append(f"{s['what']}{mine}：{series['publisher']}报道的{series['period']}年数字是{theirs}，"
                   f"{mine}{share(s['value'], series['value'])}，{verdict}。")
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
        return _reading_implied(r)
    lo, hi, lo_open, hi_open = _interval(r.get("spread"))
    rounding = ""
    if lo is not None and hi is not None and number(lo, digits) != number(hi, digits):
        rounding = f"（计入输入数字的舍入，{span(lo, hi, lo_open, hi_open, digits)}）"
    tolerance = f"，允许±{number(r['tolerance'] * 100, 0)}%误差" if r.get("tolerance") else ""
    left = f"；{listing(r['left_out'])}未找到，未计入" if r.get("left_out") else ""
    return f"{r['equation']}{rounding}{tolerance}{left}，{RESULT[r['verdict']]}。"


def _reading_implied(r: Mapping) -> str:
    lo, hi, lo_open, hi_open = _interval(r.get("implied"))
    what, unit = r["implied_what"], r.get("implied_unit", "")
    if r["wholes"]:
        return f"{what}未找到；按文章的数字它应为{_wholes(r)}。"
    if r["verdict"] == "inconsistent":
        return f"{what}未找到；按文章的数字它{span(lo, hi, lo_open, hi_open, 3, unit)}，不是整数，与文章不符。"
    return f"{what}未找到；按文章的数字它{span(lo, hi, lo_open, hi_open, 2, unit)}。"


def _used_text(u: Mapping, sources: Mapping[str, dict], j: Mapping) -> str:
    value = qty(u["value"], u["decimals"], u["qualifier"], u["unit"])
    if u["kind"] == "constant":
        return f"{number(u['value'], 4)}：按文章推定的常数。"
    if u["kind"] == "items":
        return f"文中列举的{number(u['value'], 0)}项：{listing(u['items'])}。"
    if u["kind"] == "claim" and u["source_id"] == j["source_id"]:
        return f"{value}：{u['what']}，文章自己的数字。"
    s = sources.get(u["source_id"], {})
    who = s.get("publisher", "")
    low = s.get("tier", 0) >= LOW_TIER
    independent = ("与文章无关，但可靠性较低" if low else "独立来源") if u["independent"] else "与文章同出一源"
    stand = "，用作相邻年份的代替" if u.get("stand_in") else ""
    note = f"所指时期：{typeset(u['period_note'])}。" if u.get("period_note") else ""
    derived = f"来源没有印出这个数字，它是推算的：{typeset(u['derived'])}。" if u.get("derived") else ""
    return f"{value}：{u['what']}，来自{who}（{independent}{stand}）。{note}{derived}"


def _searched_text(s: Mapping, sources: Mapping[str, dict]) -> str:
    if s.get("result") == "unpublished":
        who = source_name(sources, s.get("source_id", ""))
        return f"{s['what']}：{who}说明未公布。"
    where = f"查过：{typeset(s['searched'])}" if s.get("searched") else "本书尚未记录查找过程"
    when = f"（{s['date']}）" if s.get("date") else ""
    note = f"最接近的是：{typeset(s['note'])}" if s.get("note") else ""
    return f"{s['what']}未找到。{where}{when}。" + (f"{note}。" if note else "")


def diagnosis(d: Mapping, j: Mapping) -> str:
    """One candidate explanation in words."""
    kind = d["kind"]
    result = f"重算为{d['equation']}" if d.get("equation") else ""
    implied = d.get("implied")
    if kind == "period":
        return f"如果{d['what']}取{d['year']}年而不是{d['instead_of']}年：{result}，就相符。"
    if kind == "swap":
        if implied and implied.get("wholes"):
            unit = implied.get("unit", "")
            shown = listing([f"{n}{unit}" for n in implied["wholes"][:3]], "或")
            return f"如果前后两期颠倒（文章的数其实是{d['second']}，而{d['first']}应为{shown}），就相符。"
        return f"如果{d['first']}与{d['second']}前后颠倒：{result}，就相符。"
    if kind == "base":
        words = "“增长到”误写成“增长了”" if d["reading"] == "to" else "“增长了”误写成“增长到”"
        return f"如果{words}，即实为{d['value']}%：{result}，就相符。" if result else f"如果{words}，即实为{d['value']}%，就相符。"
    if kind == "enumeration":
        gap = abs(float(j.get("value") or 0) - d["listed"])
        more = "少" if float(j.get("value") or 0) > d["listed"] else "多"
        return (f"文中只列出{d['listed']}项，比所说的{d['claimed']}项{more}{number(gap, 0)}项；"
                "原计划可能确有漏列或多列的项目，需查原文件核对。")
    if kind == "misprint":
        shown = listing(d["candidates"][:6], "或") + ("等" if d["count"] > 6 else "")
        who = "这个数字" if d["own"] or d.get("claim_id") == j.get("claim_id") else f"文章的{d['what']}"
        return (f"如果{who}“{d['printed']}”是误植（一个字符之差），原应为{shown}：共{d['count']}个这样的数"
                "能使算式成立。")
    if kind == "total":
        return f"如果所比的是{d['geography']}而不是{d['instead_of']}的{d['what']}：{result}，就相符。"
    return ""


# ---- the check run on every sentence ------------------------------------------------------------
_PROGRAM = re.compile(r"[A-Za-z_]+[0-9]*\s*[=:：]|[a-z]+_[a-z_]+|\b\d{4}-[a-z][a-z0-9-]+\b|∞|\[|\]|\b(?:Min|Max|Abs)\(")
_ASCII_WORD = re.compile(r"(?<![A-Za-z])[a-z][a-z0-9_]+|(?<![A-Za-z])[A-Z][a-z]+[A-Z]\w*")
_ONE_ENDED = re.compile(r"在[^到,;，；。]*之间")
_INTERVAL = re.compile(r"[()]\s*-?\d[\d.]*\s*,\s*-?[\d.]+\s*[()]|[（(][^()（）]*[（(]")
_LABEL_AS_NOUN = re.compile(r"\d+个(?:" + "|".join(re.escape(v.label) for v in BY_CODE.values()
                                                if v.code not in ("inconsistent", "unverifiable", "target")) + ")")
ENGINE_PHRASES = ("算式:", "算式：", "本身数字有误", "编号", "那个数字本身")
"""Phrases of an engine, not of an editor (a count of a label, an id, a formula announced as such)."""


def clean(text: str, *, arithmetic: bool = False) -> str | None:
    """Why ``text`` is not fit for readers, or None when it is: program names, binding names, claim ids,
    interval notation ("(299.05, 300]"), parentheses in parentheses, doubled words or punctuation,
    half-width , ; : ( ) next to a Chinese character, or an engine's phrase (``48个只是陈述``).
    ``arithmetic``: the text is an equation of 怎么算的, where a parenthesis may hold a number."""
    if _PROGRAM.search(text.replace("GDP", "")) or _ASCII_WORD.search(text):
        return f"program notation in: {text}"
    if _ONE_ENDED.search(text):
        return f"a range with one end in: {text}"
    if not arithmetic and _INTERVAL.search(text):
        return f"interval or nested parentheses in: {text}"
    if (HALF_WIDTH_IN_ARITHMETIC if arithmetic else HALF_WIDTH_NEXT_TO_CHINESE).search(text):
        return f"half-width punctuation next to Chinese in: {text}"
    if _LABEL_AS_NOUN.search(text) or any(p in text for p in ENGINE_PHRASES):
        return f"an engine's phrase in: {text}"
    for bad in ("。。", ",,", ";;", "::", "，，", "；；", "：：", "，。", "；。", "的的", "1. 1.", "None", "nan", "inf"):
        if bad in text:
            return f"{bad!r} in: {text}"
    return None
