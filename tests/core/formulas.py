"""Formulas generated from the grammar the parser accepts (hypothesis strategies).

    expr  := term (("+" | "-") term)*
    term  := power (("*" | "/") power)*
    power := unary (("^" | "**") unary)?
    unary := "-" unary | atom
    atom  := number | variable | "pi" | "e" | function "(" expr ")" | "(" expr ")"

Numbers include integers, decimals and scientific notation (1e-9, 2.5E3). The
strategies draw the grammar's choices, not characters, so almost every drawn
formula is well formed, and numbers and nesting are wild enough to reach the
parser's bounds. Nothing here is tuned to particular slow inputs.
"""

from __future__ import annotations

from hypothesis import strategies as st

from optgui.core.expr import FUNCTION_NAMES, MAX_LENGTH

_small = st.integers(0, 12).map(str)
_integers = _small | st.integers(0, 10**4).map(str)
_decimals = st.builds("{}.{}".format, st.integers(0, 99), st.integers(0, 999)) | st.sampled_from(
    [".5", "0.25", "1.", "3.14159"]
)
_scientific = st.builds(
    "{}{}{}".format,
    _integers | _decimals,
    st.sampled_from(["e", "E", "e-", "e+", "E-"]),
    st.integers(0, 12),
)
#: Mostly small integers (they keep sympy's arithmetic exact), some decimals and 1e-9s.
numbers = _small | _integers | _decimals | _scientific


def _joined(part: st.SearchStrategy[str], operators: list[str], most: int):
    """``part op part op …`` with 1 to ``most`` parts."""
    rest = st.lists(st.tuples(st.sampled_from(operators), part), max_size=most - 1)
    return st.builds(lambda first, more: first + "".join(o + p for o, p in more), part, rest)


def expressions(variables: tuple[str, ...] = ("x", "y")) -> st.SearchStrategy[str]:
    """Formula text in ``variables`` from the grammar above (any length)."""
    expr = st.deferred(lambda: _joined(term, ["+", "-", " + ", " - "], 4))
    call = st.builds("{}({})".format, st.sampled_from(FUNCTION_NAMES), expr)
    names = st.sampled_from([*variables, "pi", "e"])
    atom = numbers | names | names | call | expr.map("({})".format)
    unary = st.builds("{}{}".format, st.sampled_from(["", "", "", "-", "--"]), atom)
    power = unary | st.builds("{}{}{}".format, unary, st.sampled_from(["^", "**"]), unary)
    term = _joined(power, ["*", "/", " * ", "/"], 3)
    return expr


def formulas(variables: tuple[str, ...] = ("x", "y")) -> st.SearchStrategy[str]:
    """Formula text of at most :data:`MAX_LENGTH` characters."""
    return expressions(variables).filter(lambda text: len(text) <= MAX_LENGTH)
