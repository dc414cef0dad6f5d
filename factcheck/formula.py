"""Formulas over bound figures: parse safely, evaluate, bound by intervals, and solve for a missing input.

Formulas are arithmetic only (``+ - * / **``, parentheses, numbers, bound names, ``Min``/``Max``/``Abs``);
anything else is refused before sympy sees it.
"""

from __future__ import annotations

import ast
import functools
import itertools
import math
from collections.abc import Mapping, Sequence

import sympy

from .precision import Interval

FUNCTIONS = {"Min": sympy.Min, "Max": sympy.Max, "Abs": sympy.Abs}
_ALLOWED = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Constant, ast.Name, ast.Load, ast.Call,
            ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow, ast.USub, ast.UAdd)


class FormulaError(ValueError):
    pass


def parse_formula(text: str, names: Sequence[str]) -> sympy.Expr:
    """Parse ``text`` into a sympy expression whose free symbols are all in ``names``."""
    return _parse(text, tuple(sorted(names)))


@functools.lru_cache(maxsize=1024)
def _parse(text: str, names: tuple[str, ...]) -> sympy.Expr:
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError:
        raise FormulaError(f"formula '{text}' is not valid arithmetic") from None
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED):
            raise FormulaError(f"formula '{text}' uses {type(node).__name__}, which is not arithmetic")
        if isinstance(node, ast.Constant) and (isinstance(node.value, bool) or not isinstance(node.value, (int, float))):
            raise FormulaError(f"formula '{text}' contains a non-number constant")
        if isinstance(node, ast.Call) and not (isinstance(node.func, ast.Name) and node.func.id in FUNCTIONS):
            raise FormulaError(f"formula '{text}' calls something other than {', '.join(FUNCTIONS)}")
    used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} - set(FUNCTIONS)
    unbound = sorted(used - set(names))
    if unbound:
        raise FormulaError(f"formula '{text}' uses unbound name(s) {', '.join(unbound)}")
    local = {name: sympy.Symbol(name, positive=True) for name in names}
    local.update(FUNCTIONS)
    return sympy.sympify(text, locals=local, rational=False)


def drop_symbols(expr: sympy.Expr, names: Sequence[str]) -> sympy.Expr:
    """Leave optional, unpublished inputs out of ``Min``/``Max``; anywhere else they are an error."""
    gone = {sympy.Symbol(n, positive=True) for n in names}
    if not gone:
        return expr

    def prune(e: sympy.Expr) -> sympy.Expr:
        if isinstance(e, (sympy.Min, sympy.Max)):
            kept = [prune(a) for a in e.args if not (a.free_symbols & gone)]
            if not kept:
                raise FormulaError("every argument of Min/Max is unpublished")
            return type(e)(*kept)
        if e.args:
            return e.func(*[prune(a) for a in e.args])
        return e

    pruned = prune(expr)
    if pruned.free_symbols & gone:
        raise FormulaError("an optional input (marked ?) may only appear inside Min or Max")
    return pruned


def evaluate(expr: sympy.Expr, values: Mapping[str, float]) -> float:
    subs = {sympy.Symbol(k, positive=True): v for k, v in values.items()}
    return float(expr.evalf(subs=subs))


def _corners(intervals: Mapping[str, Interval]) -> list[dict[str, float]]:
    keys = list(intervals)
    return [dict(zip(keys, combo, strict=True)) for combo in itertools.product(*[(intervals[k].lo, intervals[k].hi) for k in keys])]


def bound(expr: sympy.Expr, intervals: Mapping[str, Interval]) -> Interval:
    """The range of ``expr`` over a box of inputs, from its corners (formulas here are monotone in each input)."""
    finite = {k: iv for k, iv in intervals.items()}
    results = []
    for corner in _corners(finite):
        try:
            results.append(evaluate(expr, {k: _finite(v) for k, v in corner.items()}))
        except (TypeError, ZeroDivisionError):
            continue
    results = [r for r in results if not math.isnan(r)]
    if not results:
        return Interval(-math.inf, math.inf)
    lo, hi = min(results), max(results)
    if any(math.isinf(iv.hi) for iv in intervals.values()):
        # an open-ended input makes the result open-ended on the side it pushes towards
        hi = math.inf if hi >= 1e11 else hi
        lo = -math.inf if lo <= -1e11 else lo
        lo = 0.0 if 0 < lo < 1e-9 else lo
    return Interval(lo, hi)


_BIG = 1e12


def _finite(x: float) -> float:
    if math.isinf(x):
        return _BIG if x > 0 else -_BIG
    return x


@functools.lru_cache(maxsize=512)
def _solution(expr: sympy.Expr, unknown: str) -> sympy.Expr | None:
    sym = sympy.Symbol(unknown, positive=True)
    y = sympy.Symbol("__target__", real=True)
    try:
        solutions = sympy.solve(sympy.Eq(expr, y), sym)
    except (NotImplementedError, TypeError):
        return None
    return solutions[0] if len(solutions) == 1 else None


def solve_for(expr: sympy.Expr, unknown: str, target: Interval, known: Mapping[str, Interval]) -> Interval | None:
    """The values of ``unknown`` that make ``expr`` land in ``target``, given the known inputs' intervals.

    Returns ``None`` where sympy finds no explicit positive solution (the implied value is then not shown).
    """
    solution = _solution(expr, unknown)
    if solution is None:
        return None
    y = sympy.Symbol("__target__", real=True)
    box = dict(known)
    box["__target__"] = target
    values: list[float] = []
    for corner in _corners(box):
        subs = {sympy.Symbol(k, positive=True): _finite(v) for k, v in corner.items() if k != "__target__"}
        subs[y] = _finite(corner["__target__"])
        try:
            val = float(solution.evalf(subs=subs))
        except (TypeError, ZeroDivisionError):
            continue
        if not math.isnan(val) and not math.isinf(val):
            values.append(val)
    if not values:
        return None
    lo, hi = min(values), max(values)
    lo = -math.inf if lo <= -1e11 else lo
    hi = math.inf if hi >= 1e11 else hi

    def reaches(x: float) -> bool:  # an end is open when it maps onto an open end of the target
        return math.isinf(x) or bound(expr, {**known, unknown: Interval.point(x)}).intersects(target)

    return Interval(lo, hi, lo_open=not reaches(lo), hi_open=not reaches(hi))


def show(text: str, values: Mapping[str, str]) -> str:
    """The formula with each symbol replaced by its value, for the reader: ``16.28 / 302.1 × 100``."""
    tree = ast.parse(text, mode="eval")

    class Sub(ast.NodeTransformer):
        def visit_Name(self, node: ast.Name) -> ast.AST:
            if node.id in values:
                return ast.Name(id=values[node.id], ctx=ast.Load())
            return node

    out = ast.unparse(Sub().visit(tree))
    return out.replace("*", "×").replace("/", "÷")
