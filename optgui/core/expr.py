"""Typed functions: a safe parser from text to sympy, and fast numeric evaluation.

The text a student types never reaches Python's code evaluation or sympy's
string parser (both run arbitrary code). It is checked by a small tokenizer,
parsed with :mod:`ast`, walked against a whitelist, and the sympy expression
is built node by node. Sizes are bounded at every node, and constants made
with the functions below (``abs(1)``, ``log(2)``) are printed without sympy's
numeric ordering (see :class:`_QuickOrder`), so no input of at most 200
characters makes sympy work for long (grammar-generated inputs: < 0.3 s; see
tests/core/test_expr_speed.py). A caller that must answer in time passes a
``time_limit`` and a ``stop`` callback (see :func:`parse_function`).

sympy's exp, sin, tanh, Abs … are replaced by small classes that only know
their derivative (sympy's answer assumption queries that can take minutes),
and numbers are computed by :class:`_Program`, a numpy evaluator over the
expression graph, instead of ``lambdify`` (whose printer hits the same
queries, and which generates code). At a single point the same operations run
on Python floats, with numpy's exact numbers (see :class:`_FloatPlan`).
Use ``value``/``gradient``/``hessian``, not sympy's lambdify on ``f.expr``::

    f = parse_function("x^4 + 0.8*y^4 - x*y", ["x", "y"])
    f.value([1, 2]), f.gradient([1, 2]), f.hessian([1, 2])
"""

from __future__ import annotations

import ast
import keyword
import math
import operator
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import numpy as np
import sympy
from sympy import Add, Mul
from sympy.core.exprtools import decompose_power
from sympy.printing.latex import LatexPrinter
from sympy.printing.str import StrPrinter

#: Longest formula accepted (characters, after stripping spaces at the ends).
MAX_LENGTH = 200
#: Most AST nodes and deepest nesting accepted.
MAX_NODES = 200
MAX_DEPTH = 30
#: Largest exponent allowed on a non-constant base, e.g. ``x^100``.
MAX_EXPONENT = 100
#: Most function calls inside each other, e.g. sin(exp(x)) is 2.
MAX_NESTING = 8
#: Tallest tower of powers with variables in the exponent, e.g. x^(x^x) is 2.
MAX_TOWER = 3
#: Largest number of decimal digits any number may reach (≈ 1e300).
MAX_DIGITS = 300.0
#: Largest derivative formulas (tree nodes, all entries together) kept for display and use.
MAX_GRADIENT_SIZE = 1500
MAX_HESSIAN_SIZE = 6000
#: Formulas longer than this (tree nodes) are not printed: nobody could read them.
MAX_SHOWN_SIZE = 400
TOO_LONG_TEXT = "(too long to show)"
#: The verdict on a function that takes longer than ``parse_function``'s time limit.
TOO_SLOW = "this function is too complicated to differentiate quickly"

FUNCTION_NAMES = (
    "exp",
    "log",
    "ln",
    "sqrt",
    "sin",
    "cos",
    "tan",
    "tanh",
    "abs",
    "sigmoid",
)
CONSTANT_NAMES = ("pi", "e")
_FUNCTION_LIST = ", ".join(FUNCTION_NAMES)

_TOKEN = re.compile(
    r"(?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)"
    r"|(?P<name>[A-Za-z_][A-Za-z_0-9]*)"
    r"|(?P<op>\*\*|//|[-+*/(),.])"
    r"|(?P<space>\s+)"
    r"|(?P<other>.)"
)

_UNICODE_HINTS = {
    "−": "use the ordinary minus sign -",
    "–": "use the ordinary minus sign -",
    "×": "write * for multiplication",
    "·": "write * for multiplication",
    "÷": "write / for division",
    "²": "write x^2, not x²",
    "³": "write x^3, not x³",
    "π": "write pi",
    "√": "write sqrt(x)",
}

_CHAR_HINTS = {
    "=": "'=' is not allowed: type only the formula, e.g. x^2 + y^2",
    "[": "'[' is not allowed: use ( and ) for grouping",
    "]": "']' is not allowed: use ( and ) for grouping",
    "{": "'{' is not allowed: use ( and ) for grouping",
    "}": "'}' is not allowed: use ( and ) for grouping",
    ".": "'.' is not allowed",
}


class _Elementary(sympy.Function):
    """A function of one real argument, known to sympy only through its derivative.

    sympy's own exp, sin, tanh … answer assumption queries (is it real? positive?)
    by analysing their argument, which can take minutes on nested formulas, and
    its Abs assumes complex numbers. These classes have no such rules: sympy
    differentiates and prints them, and nothing else.
    """

    nargs = 1
    text_name = ""
    latex_name = ""

    def _sympystr(self, printer: Any) -> str:
        return f"{self.text_name}({printer._print(self.args[0])})"

    def _latex(self, printer: Any, exp: str | None = None) -> str:
        arg = printer._print(self.args[0])
        if exp is None:
            return rf"{self.latex_name}{{\left({arg} \right)}}"
        return rf"{self.latex_name}^{{{exp}}}{{\left({arg} \right)}}"


class Exp(_Elementary):
    """e^u."""

    text_name = "exp"

    def fdiff(self, argindex: int = 1) -> Any:
        return self

    def _latex(self, printer: Any, exp: str | None = None) -> str:
        tex = f"e^{{{printer._print(self.args[0])}}}"
        return tex if exp is None else rf"\left({tex}\right)^{{{exp}}}"


class Log(_Elementary):
    """ln u (natural logarithm)."""

    text_name = "log"
    latex_name = r"\ln"

    def fdiff(self, argindex: int = 1) -> Any:
        return 1 / self.args[0]


class Sin(_Elementary):
    text_name = "sin"
    latex_name = r"\sin"

    def fdiff(self, argindex: int = 1) -> Any:
        return Cos(self.args[0])


class Cos(_Elementary):
    text_name = "cos"
    latex_name = r"\cos"

    def fdiff(self, argindex: int = 1) -> Any:
        return -Sin(self.args[0])


class Tan(_Elementary):
    text_name = "tan"
    latex_name = r"\tan"

    def fdiff(self, argindex: int = 1) -> Any:
        return 1 + Tan(self.args[0]) ** 2


class Tanh(_Elementary):
    text_name = "tanh"
    latex_name = r"\tanh"

    def fdiff(self, argindex: int = 1) -> Any:
        return 1 - Tanh(self.args[0]) ** 2


class Sigmoid(_Elementary):
    """σ(u) = 1/(1 + e^(−u)), with σ' = σ(1 − σ) as the curriculum derives it."""

    text_name = "sigmoid"
    latex_name = r"\sigma"

    def fdiff(self, argindex: int = 1) -> Any:
        return self * (1 - self)


class AbsValue(_Elementary):
    """|u| for real u, with derivative sign(u)."""

    text_name = "abs"

    def fdiff(self, argindex: int = 1) -> Any:
        return SignValue(self.args[0])

    def _latex(self, printer: Any, exp: str | None = None) -> str:
        tex = rf"\left|{printer._print(self.args[0])}\right|"
        return tex if exp is None else rf"{tex}^{{{exp}}}"


class SignValue(_Elementary):
    """sign(u); its derivative is 0 wherever it is defined."""

    text_name = "sign"
    latex_name = r"\operatorname{sign}"

    def fdiff(self, argindex: int = 1) -> Any:
        return sympy.Integer(0)


def _sigmoid(u: Any) -> Any:
    with np.errstate(all="ignore"):
        return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(u, dtype=float)))


_BUILDERS: dict[str, type[_Elementary]] = {
    "exp": Exp,
    "log": Log,
    "ln": Log,
    "sin": Sin,
    "cos": Cos,
    "tan": Tan,
    "tanh": Tanh,
    "sigmoid": Sigmoid,
    "abs": AbsValue,
}


class ExpressionError(ValueError):
    """A typed function cannot be used; the message says why in plain words."""


class ParseStopped(Exception):
    """``parse_function`` gave up because its ``stop`` callback asked it to (no verdict)."""


class _Work:
    """The caller's limits on one parse: a stop callback and a time limit, checked often.

    Checks sit between sympy's steps (each AST node built, each derivative, every
    few dozen derivative nodes counted, each formula printed), and no single step
    of an input of at most 200 characters takes more than about 0.15 s, so a parse
    ends that soon after its limit or its stop.
    """

    def __init__(self, time_limit: float | None, stop: Callable[[], bool] | None):
        self.end = None if time_limit is None else time.perf_counter() + time_limit
        self.stop = stop

    def check(self) -> None:
        if self.stop is not None and self.stop():
            raise ParseStopped
        if self.end is not None and time.perf_counter() > self.end:
            raise ExpressionError(TOO_SLOW)

    def done(self, value: Any) -> Any:
        """``value``, once the limits are checked (after a step that made it)."""
        self.check()
        return value


@dataclass(frozen=True)
class DomainViolation:
    """Why a point is outside a function's domain.

    ``name`` is the operation whose rule is broken ("log", "ln", "sqrt",
    "division" or "power"); ``reason`` is a sentence for the student.
    """

    name: str
    reason: str


@dataclass(frozen=True)
class _Constraint:
    """A domain rule found in the typed formula: which operation, on which sub-expressions."""

    kind: str  # "log" (name ln or log), "sqrt", "division", "power"
    name: str
    args: tuple[Any, ...]  # sympy sub-expressions (argument; or base and exponent)
    label: str = ""  # text of the denominator, for messages


@dataclass(frozen=True)
class Function:
    """A parsed function of ``variables`` with exact derivatives and numeric evaluation.

    ``text`` is the formula as typed, with spaces tidied and ``**`` written ``^``.
    Immutable and safe to share between threads; pickling re-parses ``text``.
    """

    text: str
    variables: tuple[str, ...]
    expr: Any
    latex: str
    gradient_expr: tuple[Any, ...]
    gradient_text: tuple[str, ...]
    gradient_latex: tuple[str, ...]
    hessian_expr: tuple[tuple[Any, ...], ...]
    hessian_text: tuple[tuple[str, ...], ...]
    hessian_latex: tuple[tuple[str, ...], ...]
    _value_fn: _Program = field(repr=False, compare=False)
    _gradient_fn: _Program = field(repr=False, compare=False)
    _hessian_fn: _Program = field(repr=False, compare=False)
    _derivatives_fn: _Program = field(repr=False, compare=False)  # f, ∇f, H row by row
    _constraints: tuple[_Constraint, ...] = field(repr=False, compare=False)
    _domain_fn: _Program | None = field(repr=False, compare=False)

    def __str__(self) -> str:
        return self.text

    def __reduce__(self) -> tuple[Any, ...]:
        return (parse_function, (self.text, self.variables))

    @property
    def n(self) -> int:
        """Number of variables."""
        return len(self.variables)

    def _arguments(self, point: Any) -> tuple[list[np.ndarray], tuple[int, ...]]:
        n = len(self.variables)
        if n == 1 and np.ndim(point) == 0:
            point = [point]
        if len(point) != n:
            raise ValueError(f"expected {n} coordinates ({', '.join(self.variables)})")
        arrays = [np.asarray(p, dtype=float) for p in point]
        shape = np.broadcast_shapes(*(a.shape for a in arrays))
        return arrays, shape

    def value(self, point: Any) -> Any:
        """f at ``point``: a float, or an array shaped like the coordinate arrays of a grid."""
        single = self._at_point(self._value_fn, point)
        if single is not None:
            return single[0]
        arrays, shape = self._arguments(point)
        result = _full(self._value_fn(arrays)[0], shape)
        return float(result) if shape == () else result

    def gradient(self, point: Any) -> np.ndarray:
        """∇f at ``point``: shape (n,), or (n, *grid shape) for grids."""
        single = self._at_point(self._gradient_fn, point)
        if single is not None:
            return np.array(single)
        arrays, shape = self._arguments(point)
        parts = self._gradient_fn(arrays)
        return np.stack([_full(p, shape) for p in parts])

    def hessian(self, point: Any) -> np.ndarray:
        """H at ``point``: shape (n, n), or (n, n, *grid shape) for grids."""
        n = len(self.variables)
        single = self._at_point(self._hessian_fn, point)
        if single is not None:
            return np.array(single).reshape(n, n)
        arrays, shape = self._arguments(point)
        parts = self._hessian_fn(arrays)
        return np.stack([_full(p, shape) for p in parts]).reshape((n, n, *shape))

    def derivatives(self, point: Any) -> tuple[float, np.ndarray, np.ndarray]:
        """f, ∇f and H at a single point; one pass over shared parts when all are finite."""
        single = self._at_point(self._derivatives_fn, point)
        if single is None:
            return self.value(point), self.gradient(point), self.hessian(point)
        n = len(self.variables)
        return single[0], np.array(single[1 : n + 1]), np.array(single[n + 1 :]).reshape(n, n)

    def derivative_floats(self, coords: Sequence[float]) -> Sequence[float] | None:
        """f, ∇f and H row by row at the point ``coords`` (n floats), in one pass, as floats.

        None where the float path cannot promise numpy's numbers (one of them is inf
        or nan, or a step such as log(−1), exp(800) or 1/0 fails): :meth:`derivatives`
        then gives numpy's.
        """
        return self._derivatives_fn.at_point(coords)

    def _at_point(self, program: _Program, point: Any) -> Sequence[float] | None:
        coords = _coordinates(point, len(self.variables))
        return None if coords is None else program.at_point(coords)

    def domain_violation(self, point: Sequence[float] | float) -> DomainViolation | None:
        """The first broken domain rule at ``point`` (innermost first), or None."""
        if self._domain_fn is None:
            return None
        values = self._at_point(self._domain_fn, point)
        if values is None:
            arrays, shape = self._arguments(point)
            if shape != ():
                raise ValueError("domain checks take a single point, not a grid")
            values = [float(v) for v in self._domain_fn(arrays)]
        i = 0
        for c in self._constraints:
            args = values[i : i + len(c.args)]
            i += len(c.args)
            if any(map(math.isnan, args)):
                continue
            reason = _broken_rule(c, args)
            if reason is not None:
                return DomainViolation(c.name, reason)
        return None

    def domain_problem(self, point: Sequence[float] | float) -> str | None:
        """A sentence saying why ``point`` is outside the domain, or None when it is inside."""
        violation = self.domain_violation(point)
        return None if violation is None else violation.reason


def second_partial(
    function: Function, i: int, j: int
) -> tuple[str, str, Callable[[Sequence[float]], float]]:
    """∂/∂x_j of ∂f/∂x_i, differentiated in that order: its text, its LaTeX and its value
    at a point (a function of the point).

    :func:`parse_function` differentiates each mixed pair once (f_xy) and mirrors it;
    this takes either order on its own, so a lesson can show f_xy = f_yx computed twice.
    """
    symbols = [sympy.Symbol(v) for v in function.variables]
    e = sympy.diff(function.gradient_expr[i], symbols[j])
    program = _Program([e], symbols)
    return _text(e), _latex(e), lambda p: float(program([np.asarray(float(v)) for v in p])[0])


def _fmt(v: float) -> str:
    return f"{v + 0.0:.6g}"


def _broken_rule(c: _Constraint, args: Sequence[float]) -> str | None:
    if c.kind == "log":
        (u,) = args
        return None if u > 0 else f"{c.name} needs a positive number, got {_fmt(u)}"
    if c.kind == "sqrt":
        (u,) = args
        return None if u >= 0 else f"sqrt needs a number ≥ 0, got {_fmt(u)}"
    if c.kind == "division":
        (d,) = args
        return None if d != 0 else f"division by zero: {c.label} is 0"
    base, exponent = args
    if base == 0 and exponent < 0:
        return f"division by zero: 0 to the power {_fmt(exponent)}"
    if base < 0 and math.isfinite(exponent) and exponent != round(exponent):
        return (
            "a negative number to a fractional power is not a real number: "
            f"({_fmt(base)})^{_fmt(exponent)}"
        )
    return None


class _Program:
    """Numeric evaluation of sympy expressions without generating code.

    The expressions' distinct sub-expressions are put in evaluation order once;
    a call runs them as numpy operations (shared parts computed once), under
    ``np.errstate(all="ignore")``. This replaces ``sympy.lambdify``, whose code
    printer asks sympy's assumption system questions that can take seconds.
    """

    def __init__(self, exprs: Sequence[Any], symbols: Sequence[Any]):
        self._slots: dict[Any, int] = {}
        self._ops: list[tuple[Callable[..., Any] | None, tuple[int, ...], Any]] = []
        self._symbols = {s: i for i, s in enumerate(symbols)}
        self.outputs = tuple(self._add(e) for e in exprs)
        #: ``at_point(coords)``: the outputs at one point as floats, or None (see _FloatPlan).
        self.at_point = _FloatPlan(self._ops, self.outputs, len(symbols))

    def _add(self, root: Any) -> int:
        stack = [(root, False)]
        while stack:
            e, ready = stack.pop()
            if e in self._slots:
                continue
            if not ready:
                stack.append((e, True))
                stack.extend((a, False) for a in reversed(e.args) if a not in self._slots)
                continue
            self._slots[e] = len(self._ops)
            self._ops.append(self._op(e))
        return self._slots[root]

    def _op(self, e: Any) -> tuple[Callable[..., Any] | None, tuple[int, ...], Any]:
        if e in self._symbols:
            return None, (), ("symbol", self._symbols[e])
        if e.is_Number or e.is_NumberSymbol:
            return None, (), ("constant", np.float64(float(e)))
        args = tuple(self._slots[a] for a in e.args)
        if e.is_Add:
            return _sum, args, None
        if e.is_Mul:
            return _product, args, None
        if e.is_Pow:
            exponent = e.exp
            if exponent == -1:
                return np.reciprocal, args[:1], None
            if exponent == sympy.S.Half:
                return np.sqrt, args[:1], None
            if exponent == 2:
                return np.square, args[:1], None
            return np.power, args, None
        func = _NUMPY_FUNCTIONS.get(type(e))
        if func is None or len(args) != 1:
            raise ExpressionError(f"cannot compute {type(e).__name__} numerically")
        return func, args, None

    def __call__(self, arrays: Sequence[np.ndarray]) -> list[Any]:
        values: list[Any] = []
        with np.errstate(all="ignore"):
            for func, args, data in self._ops:
                if func is None:
                    kind, item = data
                    values.append(arrays[item] if kind == "symbol" else item)
                else:
                    values.append(func(*(values[i] for i in args)))
        return [values[i] for i in self.outputs]


def _sum(*terms: Any) -> Any:
    total = terms[0]
    for t in terms[1:]:
        total = total + t
    return total


def _product(*factors: Any) -> Any:
    total = factors[0]
    for f in factors[1:]:
        total = total * f
    return total


_NUMPY_FUNCTIONS: dict[type, Callable[..., Any]] = {
    sympy.exp: np.exp,
    sympy.log: np.log,
    sympy.sin: np.sin,
    sympy.cos: np.cos,
    sympy.tan: np.tan,
    sympy.tanh: np.tanh,
    Exp: np.exp,
    Log: np.log,
    Sin: np.sin,
    Cos: np.cos,
    Tan: np.tan,
    Tanh: np.tanh,
    Sigmoid: _sigmoid,
    AbsValue: np.abs,
    SignValue: np.sign,
}


_INF = math.inf
#: Largest size a power may reach on the float path (numpy's pow may round just past it).
_POWER_LIMIT = 1e300


def _guarded(ufunc: Callable[..., Any], low: float, high: float) -> Callable[[float], float]:
    """``ufunc`` on a float in (low, high), where it sets no warning flag; else ValueError.

    numpy's exp, log, tanh … (SIMD) can differ from :mod:`math` in the last bit, so the
    float path still calls numpy, on a float (2–3× cheaper than on an array).
    """

    def run(u: float) -> float:
        if low < u < high:
            return float(ufunc(u))
        raise ValueError("outside the quiet range")

    return run


def _float_power(base: float, exponent: float) -> float:
    size = math.pow(base, exponent)  # ValueError, OverflowError where numpy gives nan or inf
    if abs(size) < _POWER_LIMIT and abs(base) < _INF and abs(exponent) < _INF:
        return float(np.power(base, exponent))
    raise OverflowError("too big for the float path")


def _float_sign(u: float) -> float:
    if u > 0:
        return 1.0
    if u < 0:
        return -1.0
    if u == 0:
        return 0.0
    raise ValueError("sign of nan")


_float_tanh = _guarded(np.tanh, -_INF, _INF)


def _float_sigmoid(u: float) -> float:
    return 0.5 * (1.0 + _float_tanh(0.5 * u))


#: Float versions of the one-argument operations of :class:`_Program`.
_FLOAT_FUNCTIONS: dict[Callable[..., Any], Callable[[float], float]] = {
    np.exp: _guarded(np.exp, -700.0, 700.0),
    np.log: _guarded(np.log, 0.0, _INF),
    np.sin: _guarded(np.sin, -_INF, _INF),
    np.cos: _guarded(np.cos, -_INF, _INF),
    np.tan: _guarded(np.tan, -_INF, _INF),
    np.tanh: _float_tanh,
    _sigmoid: _float_sigmoid,
    np.sqrt: math.sqrt,  # correctly rounded, as numpy's; ValueError below 0
    np.abs: abs,
    np.sign: _float_sign,
}


class _FloatPlan:
    """A :class:`_Program`'s operations on Python floats, for a single point.

    Sums and products become chains of two-term additions and multiplications in
    the same order, so IEEE arithmetic gives numpy's bits; Python raises where
    numpy would divide by zero. A term −1·u of a sum is subtracted instead
    (a + (−1·u) and (−1·u) + b are a − u and b − u exactly). Values sit in one
    list: the n coordinates, the constants, then one result per step. numpy is
    only called where it raises no overflow, division or invalid flag, so nothing
    warns under numpy's default error state (which ignores underflow).
    """

    def __init__(
        self, ops: Sequence[tuple[Any, tuple[int, ...], Any]], outputs: Sequence[int], n: int
    ):
        self.constants = [1.0]  # the 1 of 1/u
        self.steps: list[tuple[Callable[..., float], int, int]] = []
        self._where: dict[int, int] = {}  # _Program slot -> index in the values list
        self._negated: dict[int, int] = {}  # slot of −1·u, not computed unless needed -> u
        for slot, (func, _, data) in enumerate(ops):
            if func is None and data[0] == "symbol":
                self._where[slot] = data[1]
            elif func is None:
                self._where[slot] = n + len(self.constants)
                self.constants.append(float(data[1]))
        self._next = n + len(self.constants)
        for slot, (func, args, _) in enumerate(ops):
            if func is _product and len(args) == 2 and ops[args[0]][2] == ("constant", -1.0):
                self._negated[slot] = self._index(args[1])
            elif func is _sum:
                self._where[slot] = self._sum(list(args))
            elif func is not None:
                self._where[slot] = self._operation(func, [self._index(a) for a in args], n)
        picked = [self._index(i) for i in outputs]
        if len(picked) == 1:  # a one-item list, not the bare float
            picked = [slice(picked[0], picked[0] + 1)]
        self.pick = operator.itemgetter(*picked)

    def _index(self, slot: int) -> int:
        if slot not in self._where:  # −1·u used other than as a term of a sum
            self._where[slot] = self._step(operator.neg, self._negated[slot], -1)
        return self._where[slot]

    def _sum(self, terms: list[int]) -> int:
        negated = self._negated
        if terms[0] in negated and len(terms) > 1 and terms[1] not in negated:
            total = self._step(operator.sub, self._index(terms[1]), negated[terms[0]])
            terms = terms[2:]
        else:
            total = self._index(terms[0])
            terms = terms[1:]
        for t in terms:
            if t in negated:
                total = self._step(operator.sub, total, negated[t])
            else:
                total = self._step(operator.add, total, self._index(t))
        return total

    def _operation(self, func: Callable[..., Any], args: list[int], one: int) -> int:
        if func is _product:
            total = args[0]
            for a in args[1:]:
                total = self._step(operator.mul, total, a)
            return total
        if func is np.reciprocal:
            return self._step(operator.truediv, one, args[0])
        if func is np.square:
            return self._step(operator.mul, args[0], args[0])
        if func is np.power:
            return self._step(_float_power, *args)
        return self._step(_FLOAT_FUNCTIONS[func], args[0], -1)

    def _step(self, func: Callable[..., float], a: int, b: int) -> int:
        self.steps.append((func, a, b))
        self._next += 1
        return self._next - 1

    def __call__(self, coords: Sequence[float]) -> Sequence[float] | None:
        """The outputs at one point, as floats bitwise equal to numpy's, or None.

        None when an output is inf or nan or a step cannot promise numpy's exact
        answer quietly (log of 0, exp of 800, 1/0 …): the numpy program then decides.
        """
        values = [*coords, *self.constants]
        put = values.append
        try:
            for func, a, b in self.steps:
                put(func(values[a]) if b < 0 else func(values[a], values[b]))
        except (ArithmeticError, ValueError):  # ZeroDivisionError, OverflowError, …
            return None
        out = self.pick(values)
        return out if math.isfinite(sum(out)) else None  # (an overflowing sum: None too)


def _coordinates(point: Any, n: int) -> list[float] | None:
    """A single point's n coordinates as floats, or None for grids and anything unusual."""
    if type(point) is np.ndarray:
        if point.dtype.char != "d":
            return None
        if point.shape == (n,):
            return point.tolist()
        return [point.item()] if n == 1 and point.ndim == 0 else None
    if isinstance(point, (float, int)):
        point = (point,)
    elif type(point) is not list and type(point) is not tuple:
        return None
    try:
        coords = [float(p) for p in point if isinstance(p, (float, int))]
    except OverflowError:  # an int too big for a float
        return None
    return coords if len(coords) == n == len(point) else None


def _full(v: Any, shape: tuple[int, ...]) -> np.ndarray:
    """A float array of ``shape`` from a scalar or array result (sympy #5642)."""
    a = np.asarray(v)
    if np.iscomplexobj(a):
        a = np.where(a.imag == 0, a.real, np.nan)
    a = a.astype(float, copy=False)
    return np.array(np.broadcast_to(a, shape), dtype=float)


# ---------------------------------------------------------------- parsing


def parse_function(
    text: str,
    variables: Sequence[str],
    *,
    time_limit: float | None = None,
    stop: Callable[[], bool] | None = None,
) -> Function:
    """Parse ``text`` as a function of ``variables``; raise :class:`ExpressionError` if unfit.

    Accepted: numbers, the variables, ``pi``, ``e``, ``+ - * / ^ **``, parentheses
    and the functions exp, log (= ln), sqrt, sin, cos, tan, tanh, abs, sigmoid
    (one argument each).

    Every input of at most 200 characters is bounded in size at each step, and
    takes well under a second. ``time_limit`` (seconds) makes one that takes
    longer an :class:`ExpressionError` (:data:`TOO_SLOW`); the default has no
    limit, so the verdict never depends on the machine. ``stop`` is called now
    and then, and when it returns True the parse gives up with
    :class:`ParseStopped` (used to drop a parse nobody waits for).
    """
    work = _Work(time_limit, stop)
    variables = _check_variables(variables)
    if not isinstance(text, str):
        raise ExpressionError("the function must be text")
    text = text.strip()
    if not text:
        raise ExpressionError("the function is empty")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"too long: at most {MAX_LENGTH} characters")
    text = text.replace("^", "**")
    tokens = _scan(text, variables)
    tree = _parse(text)
    builder = _Builder(variables, work)
    expr = builder.build(tree)
    symbols = builder.symbols
    budget = _SizeBudget(MAX_GRADIENT_SIZE, work)
    gradient = tuple(budget.take(sympy.diff(work.done(expr), s)) for s in symbols)
    budget = _SizeBudget(MAX_HESSIAN_SIZE, work)
    n = len(symbols)
    rows: list[list[Any]] = [[None] * n for _ in range(n)]
    for i in range(n):
        for j in range(i, n):
            work.check()
            rows[i][j] = rows[j][i] = budget.take(sympy.diff(gradient[i], symbols[j]))
    hessian = tuple(tuple(r) for r in rows)
    for e in (expr, *gradient, *(h for r in hessian for h in r)):
        work.check()
        _check_finished(e)

    def texts(entries: Sequence[Any]) -> tuple[str, ...]:
        return tuple(work.done(_text(e)) for e in entries)

    def latexes(entries: Sequence[Any]) -> tuple[str, ...]:
        return tuple(work.done(_latex(e)) for e in entries)

    def program(entries: Sequence[Any]) -> _Program:
        work.check()
        return _Program(entries, symbols)

    constraints = tuple(builder.constraints)
    domain_args = [a for c in constraints for a in c.args]
    return Function(
        text=_tidy(tokens),
        variables=variables,
        expr=expr,
        latex=latexes([expr])[0],
        gradient_expr=gradient,
        gradient_text=texts(gradient),
        gradient_latex=latexes(gradient),
        hessian_expr=hessian,
        hessian_text=tuple(texts(r) for r in hessian),
        hessian_latex=tuple(latexes(r) for r in hessian),
        _value_fn=program([expr]),
        _gradient_fn=program(gradient),
        _hessian_fn=program([h for r in hessian for h in r]),
        _derivatives_fn=program([expr, *gradient, *(h for r in hessian for h in r)]),
        _constraints=constraints,
        _domain_fn=program(domain_args) if domain_args else None,
    )


def _check_variables(variables: Sequence[str]) -> tuple[str, ...]:
    if isinstance(variables, str):
        variables = (variables,)
    variables = tuple(variables)
    if not variables or len(set(variables)) != len(variables):
        raise ValueError("variables must be distinct names, at least one")
    for v in variables:
        if (
            not re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", v)
            or keyword.iskeyword(v)
            or v in FUNCTION_NAMES
            or v in CONSTANT_NAMES
        ):
            raise ValueError(f"{v!r} cannot be a variable name")
    return variables


def _uses(variables: tuple[str, ...]) -> str:
    if len(variables) == 1:
        return f"this tab uses {variables[0]}"
    return f"this tab uses {', '.join(variables[:-1])} and {variables[-1]}"


def _split_names(name: str, known: Sequence[str]) -> list[str] | None:
    """Split ``name`` into known names (longest first), e.g. 'xy' → ['x', 'y']."""
    if not name:
        return []
    for k in sorted(known, key=len, reverse=True):
        if name.startswith(k):
            rest = _split_names(name[len(k) :], known)
            if rest is not None:
                return [k, *rest]
    return None


def _scan(text: str, variables: tuple[str, ...]) -> list[tuple[str, str]]:
    """Tokenize and catch, in student words, everything that is easy to explain early."""
    if "\n" in text or "\r" in text:
        raise ExpressionError("write the function on one line")
    for ch in text:
        if not ch.isascii():
            hint = _UNICODE_HINTS.get(ch)
            raise ExpressionError(
                f"'{ch}' is not allowed: {hint}" if hint else f"'{ch}' is not allowed"
            )
    tokens = [(m.lastgroup or "", m.group()) for m in _TOKEN.finditer(text)]
    names = [v for kind, v in tokens if kind == "name"]
    for v in names:
        if v.startswith("_"):
            raise ExpressionError(f"'{v}' is not allowed")
    if any(kind == "other" and v in "'\"" for kind, v in tokens):
        raise ExpressionError("text in quotes is not allowed")
    for (k1, v1), (k2, v2) in pairwise(tokens):
        if k1 == "num" and (v2 == "." or (k2 == "num" and v2.startswith("."))):
            bad = re.match(r"[\d.eE]+", text[text.index(v1 + v2) :])
            raise ExpressionError(f"'{bad.group() if bad else v1 + v2}' is not a number")
    calls: list[str] = []  # for each open '(', the name just before it
    previous = ""
    for i, (kind, v) in enumerate(tokens):
        if kind == "other":
            following = tokens[i + 1][1] if i + 1 < len(tokens) else ""
            if v in "<>!" or (v == "=" and following == "="):
                raise ExpressionError("comparisons are not allowed")
            if v == "=" and calls:
                name = calls[-1] if calls[-1] in FUNCTION_NAMES else "sin"
                raise ExpressionError(f"keyword arguments are not allowed: write {name}(x)")
            raise ExpressionError(_CHAR_HINTS.get(v, f"'{v}' is not allowed"))
        if kind == "op" and v == ".":
            raise ExpressionError(_CHAR_HINTS["."])
        if v == "(":
            calls.append(previous)
        elif v == ")" and calls:
            calls.pop()
        if kind != "space":
            previous = v
    known = (*variables, *CONSTANT_NAMES)
    solid = [t for t in tokens if t[0] != "space"]
    for i, (kind, v) in enumerate(solid):
        if kind != "name":
            continue
        if keyword.iskeyword(v):
            raise ExpressionError(f"'{v}' is not allowed")
        if v in FUNCTION_NAMES or v in known:
            continue
        parts = _split_names(v, known)
        if parts and len(parts) > 1:
            raise ExpressionError(f"write {'*'.join(parts)}, not {v}")
        for f in FUNCTION_NAMES:
            rest = v[len(f) :]
            if v.startswith(f) and _split_names(rest, known):
                raise ExpressionError(f"write {f}({rest}), not {v}")
        if i + 1 < len(solid) and solid[i + 1][1] == "(":
            raise ExpressionError(f"unknown function '{v}': use {_FUNCTION_LIST}")
        raise ExpressionError(f"unknown name '{v}': {_uses(variables)}")
    depth = 0
    for _, v in solid:
        if v == "(":
            depth += 1
            if depth > MAX_DEPTH:
                raise ExpressionError("too many nested parentheses")
        elif v == ")":
            depth -= 1
            if depth < 0:
                raise ExpressionError("a ')' has no matching '('")
    if depth > 0:
        raise ExpressionError("a '(' has no matching ')'")
    _check_implicit(tokens)
    return tokens


def _check_implicit(tokens: list[tuple[str, str]]) -> None:
    """Catch implicit multiplication such as 2x, 2(x+1), x y, (x)(y), sin x."""
    solid = [(i, k, v) for i, (k, v) in enumerate(tokens) if k != "space"]
    for (i, k1, v1), (j, k2, v2) in pairwise(solid):
        gap = " " if j > i + 1 else ""
        if k1 == "name" and v1 in FUNCTION_NAMES:
            if v2 == "(":
                continue
            if k2 in ("name", "num"):
                raise ExpressionError(f"write {v1}({v2}), not {v1}{gap}{v2}")
            raise ExpressionError(f"{v1} is a function: write {v1}(x)")
        left = k1 in ("num", "name") or v1 == ")"
        right = k2 in ("num", "name") or v2 == "("
        if left and right:
            a = "(…)" if v1 == ")" else v1
            b = "(…)" if v2 == "(" else v2
            raise ExpressionError(f"write {a}*{b}, not {a}{gap}{b}")


def _tidy(tokens: list[tuple[str, str]]) -> str:
    """The typed text with runs of spaces made single and ``**`` shown as ``^``."""
    out = "".join(" " if k == "space" else ("^" if v == "**" else v) for k, v in tokens)
    return out.strip()


def _parse(text: str) -> ast.Expression:
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as err:
        offset = max((err.offset or 1) - 1, 0)
        if offset >= len(text.rstrip()) or text.rstrip()[-1] in "+-*/(":
            raise ExpressionError("the formula is incomplete") from None
        near = text[offset : offset + 10]
        raise ExpressionError(f"cannot read the formula near '{near}'") from None
    except (MemoryError, RecursionError, ValueError):
        raise ExpressionError("cannot read the formula: it is nested too deeply") from None
    for count, _ in enumerate(ast.walk(tree), 1):
        if count > MAX_NODES:
            raise ExpressionError("too long: the formula has too many parts")
    return tree


_NODE_MESSAGES: dict[type, str] = {
    ast.Attribute: "'.' is not allowed",
    ast.Subscript: "'[' is not allowed",
    ast.Lambda: "'lambda' is not allowed",
    ast.ListComp: "comprehensions are not allowed",
    ast.SetComp: "comprehensions are not allowed",
    ast.DictComp: "comprehensions are not allowed",
    ast.GeneratorExp: "comprehensions are not allowed",
    ast.Compare: "comparisons are not allowed",
    ast.BoolOp: "'and' and 'or' are not allowed",
    ast.IfExp: "'if' is not allowed",
    ast.Tuple: "',' is not allowed: a function has one value",
    ast.List: "'[' is not allowed",
    ast.Dict: "'{' is not allowed",
    ast.Set: "'{' is not allowed",
    ast.Starred: "'*' is not allowed here",
    ast.JoinedStr: "text in quotes is not allowed",
    ast.NamedExpr: "':=' is not allowed",
    ast.Await: "'await' is not allowed",
    ast.Yield: "'yield' is not allowed",
    ast.YieldFrom: "'yield' is not allowed",
    ast.Slice: "':' is not allowed",
}

_BINOP_MESSAGES: dict[type, str] = {
    ast.FloorDiv: "'//' is not allowed: use / for division",
    ast.Mod: "'%' is not allowed",
    ast.MatMult: "'@' is not allowed",
    ast.BitXor: "'^' is not allowed here",
    ast.BitAnd: "'&' is not allowed",
    ast.BitOr: "'|' is not allowed",
    ast.LShift: "'<<' is not allowed",
    ast.RShift: "'>>' is not allowed",
}

_LOG10_2 = math.log10(2.0)


def _digits(number: Any) -> float:
    """Decimal digits (log10 of size) needed to write a sympy number exactly."""
    if number.is_Rational:
        p, q = abs(int(number.p)), int(number.q)
        return max(p.bit_length(), q.bit_length()) * _LOG10_2
    v = abs(float(number))
    return abs(math.log10(v)) if v > 0 and math.isfinite(v) else 0.0


_TOO_BIG = "numbers this big are not allowed"


class _Builder:
    """Walks a checked AST and builds the sympy expression with bounded sizes.

    Each node yields (expression, value, digits): the float value when the node
    is a constant (else None) and an upper bound on the digits any number in it
    can have after sympy's automatic arithmetic.
    """

    def __init__(self, variables: tuple[str, ...], work: _Work):
        self.variables = variables
        self.work = work
        # No assumptions on the symbols: with real=True, sympy's printers query
        # signs through numeric evaluation and take seconds on nested formulas.
        self.symbols = [sympy.Symbol(v) for v in variables]
        self.names = dict(zip(variables, self.symbols, strict=True))
        self.constraints: list[_Constraint] = []

    def build(self, tree: ast.Expression) -> Any:
        if self.nesting(tree.body) > MAX_NESTING:
            raise ExpressionError(
                f"functions nested too deeply: at most {MAX_NESTING} inside each other"
            )
        if self.tower(tree.body) > MAX_TOWER:
            raise ExpressionError(
                f"powers of powers with variables in the exponent: at most {MAX_TOWER} levels"
            )
        expr, _, _ = self.node(tree.body, 1)
        return expr

    def nesting(self, node: ast.AST) -> int:
        """How many function calls sit inside each other, e.g. sin(exp(x)) is 2."""
        below = max((self.nesting(c) for c in ast.iter_child_nodes(node)), default=0)
        return below + 1 if isinstance(node, ast.Call) else below

    def tower(self, node: ast.AST) -> int:
        """Height of the tallest tower of powers with a variable in the exponent."""
        below = max((self.tower(c) for c in ast.iter_child_nodes(node)), default=0)
        if (
            isinstance(node, ast.BinOp)
            and isinstance(node.op, ast.Pow)
            and any(isinstance(n, ast.Name) and n.id in self.names for n in ast.walk(node.right))
        ):
            return 1 + below
        return below

    def node(self, node: ast.AST, depth: int) -> tuple[Any, float | None, float]:
        self.work.check()
        if depth > MAX_DEPTH:
            raise ExpressionError("the formula is nested too deeply")
        if isinstance(node, ast.Constant):
            return self.constant(node.value)
        if isinstance(node, ast.Name):
            return self.name(node.id)
        if isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, (ast.USub, ast.UAdd)):
                word = "not" if isinstance(node.op, ast.Not) else "~"
                raise ExpressionError(f"'{word}' is not allowed")
            e, v, d = self.node(node.operand, depth + 1)
            if isinstance(node.op, ast.UAdd):
                return e, v, d
            return -e, (None if v is None else -v), d
        if isinstance(node, ast.BinOp):
            return self.binop(node, depth)
        if isinstance(node, ast.Call):
            return self.call(node, depth)
        message = _NODE_MESSAGES.get(type(node))
        raise ExpressionError(message or "this kind of formula is not allowed")

    def constant(self, value: Any) -> tuple[Any, float | None, float]:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            if isinstance(value, (str, bytes)):
                raise ExpressionError("text in quotes is not allowed")
            if isinstance(value, complex):
                raise ExpressionError("complex numbers are not allowed")
            raise ExpressionError(f"'{value!r}' is not allowed")
        if isinstance(value, int):
            if value.bit_length() * _LOG10_2 > MAX_DIGITS:
                raise ExpressionError(_TOO_BIG)
            e = sympy.Integer(value)
        else:
            if not math.isfinite(value) or (value != 0 and abs(value) > 10**MAX_DIGITS):
                raise ExpressionError(_TOO_BIG)
            e = sympy.Float(value)
        return e, float(value), _digits(e)

    def name(self, name: str) -> tuple[Any, float | None, float]:
        if name in self.names:
            return self.names[name], None, 0.0
        if name == "pi":
            return sympy.pi, math.pi, 1.0
        if name == "e":
            return sympy.E, math.e, 1.0
        if name in FUNCTION_NAMES:
            raise ExpressionError(f"{name} is a function: write {name}(x)")
        if name.startswith("_") or keyword.iskeyword(name):
            raise ExpressionError(f"'{name}' is not allowed")
        raise ExpressionError(f"unknown name '{name}': {_uses(self.variables)}")

    @staticmethod
    def _checked(value: float | None) -> float | None:
        if value is not None and (not math.isfinite(value) or abs(value) > 10**MAX_DIGITS):
            raise ExpressionError(_TOO_BIG)
        return value

    def binop(self, node: ast.BinOp, depth: int) -> tuple[Any, float | None, float]:
        op = node.op
        if type(op) in _BINOP_MESSAGES:
            raise ExpressionError(_BINOP_MESSAGES[type(op)])
        a, va, da = self.node(node.left, depth + 1)
        b, vb, db = self.node(node.right, depth + 1)
        if isinstance(op, (ast.Add, ast.Sub)):
            digits = max(da, db) + _LOG10_2
            if digits > MAX_DIGITS:
                raise ExpressionError(_TOO_BIG)
            value = (
                None
                if va is None or vb is None
                else (va + vb if isinstance(op, ast.Add) else va - vb)
            )
            return (a + b if isinstance(op, ast.Add) else a - b), self._checked(value), digits
        if isinstance(op, (ast.Mult, ast.Div)):
            digits = da + db
            if digits > MAX_DIGITS:
                raise ExpressionError(_TOO_BIG)
            if isinstance(op, ast.Mult):
                value = None if va is None or vb is None else va * vb
                return a * b, self._checked(value), digits
            if vb is not None and vb == 0:
                raise ExpressionError("division by zero")
            if vb is None:
                self.constraints.append(_Constraint("division", "division", (b,), _text(b)))
            value = None if va is None or vb is None else va / vb
            return a / b, self._checked(value), digits
        if isinstance(op, ast.Pow):
            return self.power(a, va, da, b, vb, db)
        raise ExpressionError("this operation is not allowed")

    def power(
        self, a: Any, va: float | None, da: float, b: Any, vb: float | None, db: float
    ) -> tuple[Any, float | None, float]:
        if vb is None:
            # Symbolic exponent: sympy keeps the power as it is.
            if a is sympy.E:
                return Exp(b), None, db
            if va is None or va <= 0:
                self.constraints.append(_Constraint("power", "power", (a, b)))
            return sympy.Pow(a, b), None, max(da, db)
        if va is None and abs(vb) > MAX_EXPONENT:
            raise ExpressionError(
                f"exponents this big are not allowed: at most {MAX_EXPONENT} on a variable"
            )
        digits = abs(vb) * max(da, _LOG10_2 if va is None else 0.0) + db
        if va is not None:
            if va == 0 and vb < 0:
                raise ExpressionError("division by zero: 0 to a negative power")
            if va < 0 and vb != round(vb):
                raise ExpressionError(
                    "a negative number to a fractional power is not a real number"
                )
            if va not in (0.0, 1.0, -1.0):
                digits = max(digits, abs(vb * math.log10(abs(va))))
        if digits > MAX_DIGITS:
            raise ExpressionError(_TOO_BIG)
        value = None
        if va is not None:
            try:
                value = float(va**vb)
            except (OverflowError, ZeroDivisionError):
                raise ExpressionError(_TOO_BIG) from None
        else:
            if vb < 0:
                self.constraints.append(_Constraint("division", "division", (a,), _text(a)))
            if vb != round(vb):
                self.constraints.append(_Constraint("power", "power", (a, b)))
        return sympy.Pow(a, b), self._checked(value), digits

    def call(self, node: ast.Call, depth: int) -> tuple[Any, float | None, float]:
        func = node.func
        if not isinstance(func, ast.Name):
            raise ExpressionError(_NODE_MESSAGES.get(type(func), "only named functions"))
        name = func.id
        if name not in FUNCTION_NAMES:
            if name in self.names or name in CONSTANT_NAMES:
                raise ExpressionError(f"write {name}*(…), not {name}(…)")
            raise ExpressionError(f"unknown function '{name}': use {_FUNCTION_LIST}")
        if node.keywords:
            raise ExpressionError(f"keyword arguments are not allowed: write {name}(x)")
        if any(isinstance(a, ast.Starred) for a in node.args):
            raise ExpressionError("'*' is not allowed here")
        if len(node.args) != 1:
            raise ExpressionError(f"functions take one argument: {name}(x)")
        u, v, d = self.node(node.args[0], depth + 1)
        value: float | None = None
        if name in ("log", "ln"):
            if v is not None and v <= 0:
                raise ExpressionError(f"{name} needs a positive number, got {_fmt(v)}")
            if v is None:
                self.constraints.append(_Constraint("log", name, (u,)))
            value = None if v is None else math.log(v)
            return Log(u), value, d
        if name == "sqrt":
            if v is not None and v < 0:
                raise ExpressionError(f"sqrt needs a number ≥ 0, got {_fmt(v)}")
            if v is None:
                self.constraints.append(_Constraint("sqrt", name, (u,)))
            value = None if v is None else math.sqrt(v)
            return sympy.sqrt(u), value, d
        if v is not None:
            try:
                value = {
                    "exp": math.exp,
                    "sin": math.sin,
                    "cos": math.cos,
                    "tan": math.tan,
                    "tanh": math.tanh,
                    "abs": abs,
                    "sigmoid": lambda t: 1.0 / (1.0 + math.exp(-t)) if t > -700 else 0.0,
                }[name](v)
            except OverflowError:
                raise ExpressionError(_TOO_BIG) from None
        return _BUILDERS[name](u), self._checked(value), d


def _check_finished(e: Any) -> None:
    if e.has(sympy.zoo, sympy.nan):
        raise ExpressionError("division by zero: a denominator is always 0")
    if e.has(sympy.oo, -sympy.oo):
        raise ExpressionError(_TOO_BIG)
    if e.has(sympy.I):
        raise ExpressionError("this function is not a real number")
    for number in e.atoms(sympy.Number):
        if _digits(number) > MAX_DIGITS + 10:
            raise ExpressionError(_TOO_BIG)


class _SizeBudget:
    """Refuses derivatives, as soon as they are made, once together they get too long.

    Each derivative costs about as much time as its size, and the next one is
    made from it, so stopping early keeps every input well under a second.
    """

    def __init__(self, limit: int, work: _Work):
        self.left = limit
        self.work = work

    def take(self, e: Any) -> Any:
        for _ in sympy.preorder_traversal(e):
            self.left -= 1
            if self.left % 64 == 0:
                self.work.check()
            if self.left < 0:
                raise ExpressionError(
                    "this function is too complicated: its derivatives are too long to use"
                )
        return e


def _small(e: Any) -> bool:
    return all(count <= MAX_SHOWN_SIZE for count, _ in enumerate(sympy.preorder_traversal(e), 1))


def _opaque(e: Any) -> bool:
    """Whether ``e`` holds a constant made with one of the functions above, e.g. ``log(2)``."""
    return any(not f.free_symbols for f in e.atoms(_Elementary))


class _QuickOrder:
    """Printer mix-in for formulas with constants such as ``log(2)`` or ``abs(1)``.

    sympy's printers order the terms of a sum by the numeric value of their
    constant factors (``complex()``), and sort factors by keys that do the same
    inside. It cannot evaluate the functions above, so it expands such
    constants symbolically (``as_real_imag``) instead: seconds for
    ``log(abs(1) + (e+pi)^10)``. This printer evaluates nothing: sums are in
    descending powers of the variables (x first, then y, then z) with constants
    last, products and ties in sympy's internal order.
    """

    def __init__(self, e: Any, settings: dict[str, Any]):
        super().__init__({**settings, "order": "none"})
        self.variables = sorted(e.free_symbols, key=str)

    def _degrees(self, term: Any) -> tuple[tuple[int, ...], bool]:
        powers = dict(decompose_power(f) for f in Mul.make_args(term) if f.is_commutative)
        return tuple(powers.get(v, 0) for v in self.variables), not term.is_number

    def _print_Add(self, expr: Any, order: Any = None) -> str:  # noqa: N802 - sympy API
        terms = sorted(expr.args, key=self._degrees, reverse=True)  # (stable)
        return super()._print_Add(Add._from_args(terms), order)


class _QuickStr(_QuickOrder, StrPrinter):
    pass


class _QuickLatex(_QuickOrder, LatexPrinter):
    pass


def _text(e: Any) -> str:
    """Plain text of a formula (``^`` for powers), or a note when it is too long to read."""
    if not _small(e):
        return TOO_LONG_TEXT
    if _opaque(e):
        return _QuickStr(e, {"full_prec": False}).doprint(e).replace("**", "^")
    return sympy.sstr(e, full_prec=False).replace("**", "^")


def _latex(e: Any) -> str:
    """LaTeX of a formula, or a note when it is too long to read."""
    if not _small(e):
        return r"\text{" + TOO_LONG_TEXT + "}"
    if _opaque(e):
        return _QuickLatex(e, {}).doprint(e)
    return sympy.latex(e)
