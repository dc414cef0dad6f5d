"""Formulas over bound figures, compiled once to plain Python arithmetic.

A formula is arithmetic only: ``+ - * /``, parentheses, numbers, bound names, ``Min``/``Max``/``Abs``,
and ``**`` with a small whole-number literal as exponent. Anything else is refused before it is ever
evaluated, and so is a formula too long or too deeply nested to be a check of a printed figure
(:data:`MAX_LENGTH`, :data:`MAX_DEPTH`), or binding more than :data:`MAX_INPUTS` names (checked by
:mod:`factcheck.validate`): one evaluation takes time proportional to the formula's length and a bound at
most 2**12 of them, so no formula can hang a build. Nothing is expanded symbolically.

A bound is taken from the corners of the inputs' box, which is exact for the formulas of this book (each
monotone in each input: ratios, growth rates, shares, sums, minimums) but not for one that turns back
within the box (a division by a difference that can reach zero).

:class:`Formula` gives, for a claim's formula,

* :meth:`Formula.value`: the number it gives for given inputs;
* :meth:`Formula.bound`: the range it takes over a box of inputs, from the box's corners (the formulas
  here are monotone in each input);
* :meth:`Formula.solve`: the values of one missing input that make it land in a target interval, by
  inverting the formula along the path to that input (possible when the input occurs once, outside
  ``Min``/``Max``/``Abs``);
* :meth:`Formula.show`: the formula with the inputs' values written in, for the reader.
"""

from __future__ import annotations

import ast
import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from .precision import Interval

FUNCTIONS = ("Min", "Max", "Abs")
MAX_LENGTH = 400
"""Characters: the longest formula a claim may have."""
MAX_DEPTH = 12
"""Operators nested in one another: ``(a / b - 1) * 100`` has depth 3."""
MAX_INPUTS = 12
"""Names a formula may bind: its range is found from the 2**n corners of its inputs' box."""
MAX_EXPONENT = 4
"""The largest exponent ``**`` may take, as a whole-number literal."""
_BIG = 1e12
"""An open-ended input (``超80``) is evaluated at this value, and results beyond it read as unbounded."""


class FormulaError(ValueError):
    pass


Fn = Callable[[Mapping[str, float]], float]


@dataclass(frozen=True)
class Formula:
    """A parsed, checked formula; its names are the bindings it uses."""

    text: str
    tree: ast.expr
    names: frozenset[str]
    fn: Fn
    inverses: dict[str, Inverse | None] = field(default_factory=dict, compare=False, repr=False)
    """Each unknown's inverse, compiled on first use (a check is solved many times: readings, slips)."""

    def value(self, values: Mapping[str, float]) -> float:
        """The result, or ``nan`` where it is undefined (a division by zero)."""
        try:
            return float(self.fn(values))
        except (ZeroDivisionError, OverflowError, ValueError):
            return math.nan

    def bound(self, intervals: Mapping[str, Interval]) -> Interval:
        """The range over a box of inputs, from its corners; unbounded where an input is."""
        return _bound(self.fn, intervals)

    def solve(self, unknown: str, target: Interval, known: Mapping[str, Interval]) -> Interval | None:
        """The values of ``unknown`` that make the formula land in ``target``, given the known inputs.

        ``None`` when the formula can't be inverted for ``unknown`` (it occurs more than once, or inside
        ``Min``/``Max``/``Abs``) or no positive value does it.
        """
        if unknown not in self.inverses:
            self.inverses[unknown] = _inverse(self.tree, unknown)
        inverse = self.inverses[unknown]
        if inverse is None:
            return None
        values: list[float] = []
        box = dict(known)
        box["__target__"] = target
        for corner in _corners(box):
            try:
                val = inverse(corner["__target__"], {k: v for k, v in corner.items() if k != "__target__"})
            except (ZeroDivisionError, OverflowError, ValueError):
                continue
            if not math.isnan(val) and not math.isinf(val):
                values.append(val)
        if not values:
            return None
        lo, hi = min(values), max(values)
        lo = -math.inf if lo <= -_BIG / 10 else lo
        hi = math.inf if hi >= _BIG / 10 else hi

        def reaches(x: float) -> bool:  # an end is open when it maps onto an open end of the target
            return math.isinf(x) or self.bound({**known, unknown: Interval.point(x)}).intersects(target)

        return Interval(lo, hi, lo_open=not reaches(lo), hi_open=not reaches(hi))

    def show(self, values: Mapping[str, str]) -> str:
        """The formula with each name replaced by its value: ``16.28 ÷ 302.1 × 100``."""

        class Sub(ast.NodeTransformer):
            def visit_Name(self, node: ast.Name) -> ast.AST:
                if node.id in values:
                    return ast.Name(id=values[node.id], ctx=ast.Load())
                return node

        out = ast.unparse(Sub().visit(_copy(self.tree))).replace("*", "×").replace("/", "÷")
        return _functions_in_words(out)

    def without(self, names: Sequence[str]) -> Formula:
        """Leave optional, unpublished inputs out of ``Min``/``Max``; anywhere else they are an error."""
        gone = set(names)
        if not gone:
            return self

        class Prune(ast.NodeTransformer):
            def visit_Call(self, node: ast.Call) -> ast.AST:
                self.generic_visit(node)
                if node.func.id in ("Min", "Max"):  # type: ignore[attr-defined]
                    kept = [a for a in node.args if not (_names(a) & gone)]
                    if not kept:
                        raise FormulaError("every argument of Min/Max is unpublished")
                    node.args = kept
                return node

        tree = Prune().visit(_copy(self.tree))
        if _names(tree) & gone:
            raise FormulaError("an optional input (marked ?) may only appear inside Min or Max")
        return Formula(self.text, tree, frozenset(_names(tree)), _compile(tree))


FUNCTION_WORDS = {"Min": "最小值", "Max": "最大值", "Abs": "绝对值"}


def _functions_in_words(text: str) -> str:
    """``Min(64, 62, 60)`` → ``最小值（64，62，60）``: a Chinese word takes full-width brackets and commas."""
    out = text
    for name, word in FUNCTION_WORDS.items():
        while (at := out.find(name + "(")) >= 0:
            start = at + len(name)
            depth, end = 0, start
            for end in range(start, len(out)):
                depth += {"(": 1, ")": -1}.get(out[end], 0)
                if depth == 0:
                    break
            inner = out[start + 1:end]
            level, parts, current = 0, [], ""
            for ch in inner:
                level += {"(": 1, ")": -1}.get(ch, 0)
                if ch == "," and level == 0:
                    parts.append(current.strip())
                    current = ""
                else:
                    current += ch
            parts.append(current.strip())
            out = out[:at] + word + "（" + "，".join(parts) + "）" + out[end + 1:]
    return out


def parse_formula(text: str, names: Sequence[str]) -> Formula:
    """Parse and check ``text``; every name it uses must be in ``names``. Raises :class:`FormulaError`."""
    if not isinstance(text, str) or not text.strip():
        raise FormulaError("formula is empty")
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"formula is {len(text)} characters long; at most {MAX_LENGTH} are allowed")
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except SyntaxError:
        raise FormulaError(f"formula '{text}' is not valid arithmetic") from None
    except (RecursionError, MemoryError):
        raise FormulaError(f"formula is nested more than {MAX_DEPTH} levels deep") from None
    _check(tree, text, 0)
    unbound = sorted(_names(tree) - set(names))
    if unbound:
        raise FormulaError(f"formula '{text}' uses unbound name(s) {', '.join(unbound)}")
    return Formula(text, tree, frozenset(_names(tree)), _compile(tree))


# ---- checking -----------------------------------------------------------------------------------
_BINOPS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow)


def _check(node: ast.AST, text: str, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise FormulaError(f"formula is nested more than {MAX_DEPTH} levels deep")
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            raise FormulaError(f"formula '{text}' contains a non-number constant")
        if not math.isfinite(node.value) or abs(node.value) > _BIG:
            raise FormulaError(f"formula '{text}' contains the number {node.value!r}, which is too large")
        return
    if isinstance(node, ast.Name):
        if node.id in FUNCTIONS:
            raise FormulaError(f"formula '{text}' uses {node.id} without calling it")
        return
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        _check(node.operand, text, depth + 1)
        return
    if isinstance(node, ast.BinOp) and isinstance(node.op, _BINOPS):
        if isinstance(node.op, ast.Pow):
            exp = node.right
            if isinstance(exp, ast.UnaryOp) and isinstance(exp.op, ast.USub):
                exp = exp.operand
            ok = isinstance(exp, ast.Constant) and isinstance(exp.value, int) and not isinstance(exp.value, bool)
            if not ok or abs(exp.value) > MAX_EXPONENT:
                raise FormulaError(f"formula '{text}': an exponent must be a whole number from -{MAX_EXPONENT} "
                                   f"to {MAX_EXPONENT} written as a number")
        _check(node.left, text, depth + 1)
        _check(node.right, text, depth + 1)
        return
    if isinstance(node, ast.BinOp):
        raise FormulaError(f"formula '{text}' uses {type(node.op).__name__}, which is not arithmetic here")
    if isinstance(node, ast.Call):
        if not (isinstance(node.func, ast.Name) and node.func.id in FUNCTIONS):
            raise FormulaError(f"formula '{text}' calls something other than {', '.join(FUNCTIONS)}")
        if node.keywords:
            raise FormulaError(f"formula '{text}': {node.func.id} takes no keyword arguments")
        if not node.args or (node.func.id == "Abs" and len(node.args) != 1):
            raise FormulaError(f"formula '{text}': {node.func.id} needs {'one argument' if node.func.id == 'Abs' else 'arguments'}")
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                raise FormulaError(f"formula '{text}' uses Starred, which is not arithmetic")
            _check(arg, text, depth + 1)
        return
    raise FormulaError(f"formula '{text}' uses {type(node).__name__}, which is not arithmetic")


def _names(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and n.id not in FUNCTIONS}


def _copy(tree: ast.expr) -> ast.expr:
    return ast.parse(ast.unparse(tree), mode="eval").body


# ---- compiling ----------------------------------------------------------------------------------
def _compile(node: ast.AST) -> Fn:
    """A closure computing the node from a mapping of names to floats (no ``eval``)."""
    if isinstance(node, ast.Constant):
        c = float(node.value)
        return lambda env: c
    if isinstance(node, ast.Name):
        name = node.id
        return lambda env: env[name]
    if isinstance(node, ast.UnaryOp):
        inner = _compile(node.operand)
        if isinstance(node.op, ast.USub):
            return lambda env: -inner(env)
        return inner
    if isinstance(node, ast.BinOp):
        a, b = _compile(node.left), _compile(node.right)
        op = node.op
        if isinstance(op, ast.Add):
            return lambda env: a(env) + b(env)
        if isinstance(op, ast.Sub):
            return lambda env: a(env) - b(env)
        if isinstance(op, ast.Mult):
            return lambda env: a(env) * b(env)
        if isinstance(op, ast.Div):
            return lambda env: a(env) / b(env)
        return lambda env: math.pow(a(env), b(env))
    if isinstance(node, ast.Call):
        args = [_compile(x) for x in node.args]
        kind = node.func.id  # type: ignore[attr-defined]
        if kind == "Min":
            return lambda env: min(f(env) for f in args)
        if kind == "Max":
            return lambda env: max(f(env) for f in args)
        only = args[0]
        return lambda env: abs(only(env))
    raise FormulaError(f"cannot compile {type(node).__name__}")  # pragma: no cover - refused by _check


Inverse = Callable[[float, Mapping[str, float]], float]


def _inverse(tree: ast.expr, unknown: str) -> Inverse | None:
    """``g(y, known)`` with ``formula(known, unknown=g(y, known)) == y``, or None when not invertible."""
    if sum(1 for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == unknown) != 1:
        return None

    def walk(node: ast.expr, outer: Inverse) -> Inverse | None:
        # ``outer(y, env)`` is the value ``node`` must take for the whole formula to give y
        if isinstance(node, ast.Name):
            return outer if node.id == unknown else None
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.USub):
                return walk(node.operand, lambda y, env: -outer(y, env))
            return walk(node.operand, outer)
        if not isinstance(node, ast.BinOp):
            return None  # a constant, or Min/Max/Abs: not invertible here
        left_has = unknown in _names(node.left)
        step = _undo(node.op, left_has, outer, _compile(node.right if left_has else node.left))
        if step is None:
            return None
        return walk(node.left if left_has else node.right, step)

    return walk(tree, lambda y, env: y)


def _undo(op: ast.operator, left_has: bool, outer: Inverse, other: Fn) -> Inverse | None:
    """What the side holding the unknown must be, for ``side op other`` (or ``other op side``) to be outer."""
    def undo(y: float, env: Mapping[str, float]) -> float:
        need, known = outer(y, env), other(env)
        if isinstance(op, ast.Add):
            return need - known
        if isinstance(op, ast.Sub):
            return need + known if left_has else known - need
        if isinstance(op, ast.Mult):
            return need / known
        if isinstance(op, ast.Div):
            return need * known if left_has else known / need
        return math.pow(need, 1.0 / known)

    if isinstance(op, ast.Pow) and not left_has:
        return None  # an exponent is a literal (checked), never the unknown
    return undo if isinstance(op, (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow)) else None


# ---- bounding -----------------------------------------------------------------------------------
def _finite(x: float) -> float:
    if math.isinf(x):
        return _BIG if x > 0 else -_BIG
    return x


def _corners(intervals: Mapping[str, Interval]) -> list[dict[str, float]]:
    keys = list(intervals)
    ends = [(_finite(intervals[k].lo), _finite(intervals[k].hi)) for k in keys]
    return [dict(zip(keys, combo, strict=True)) for combo in itertools.product(*ends)]


def _bound(fn: Fn, intervals: Mapping[str, Interval]) -> Interval:
    results = []
    for corner in _corners(intervals):
        try:
            r = fn(corner)
        except (ZeroDivisionError, OverflowError, ValueError):
            continue
        if not math.isnan(r):
            results.append(r)
    if not results:
        return Interval(-math.inf, math.inf)
    lo, hi = min(results), max(results)
    if any(math.isinf(iv.hi) or math.isinf(iv.lo) for iv in intervals.values()):
        # an open-ended input makes the result open-ended on the side it pushes towards
        hi = math.inf if hi >= _BIG / 10 else hi
        lo = -math.inf if lo <= -_BIG / 10 else lo
        lo = 0.0 if 0 < lo < 1e-9 else lo
    return Interval(lo, hi)
