"""How lessons write math: subscript digits and the LaTeX pieces of formulas with numbers.

Plain strings, no Qt: :mod:`optgui.gui.mathtext` typesets them. Numbers go
through :func:`optgui.core.format.fmt`, the app's one formatter.
"""

from __future__ import annotations

from collections.abc import Sequence

from optgui.core.format import fmt

_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def subscript(k: int) -> str:
    """k as Unicode subscript digits (x₁₂)."""
    return str(k).translate(_SUBSCRIPTS)


def tex_number(value: float, digits: int = 4) -> str:
    """A number for a formula: ``digits`` significant digits, powers of ten as ×10ⁿ."""
    text = fmt(value, digits).replace("−", "-")
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = rf"{mantissa}\times 10^{{{int(exponent)}}}"
    return text


def tex_column(entries: Sequence[str]) -> str:
    """A column of a bracketed matrix for matplotlib's mathtext (no matrix environments)."""
    if len(entries) == 1:
        return entries[0]
    return r"\genfrac{}{}{0}{0}{" + entries[0] + "}{" + tex_column(entries[1:]) + "}"


def tex_matrix(rows: Sequence[Sequence[str]]) -> str:
    """A matrix in square brackets, given its entries row by row (LaTeX for mathtext)."""
    columns = list(zip(*rows, strict=True))
    return r"\left[" + r"\quad ".join(tex_column(c) for c in columns) + r"\right]"


def tex_symbol(name: str) -> str:
    """A name of the app as LaTeX: 'w11' → 'w_{11}', 'ŷ' → '\\hat{y}', 'z' → 'z'."""
    if name == "ŷ":
        return r"\hat{y}"
    head, digits = name[:1], name[1:]
    return f"{head}_{{{digits}}}" if digits else head


def html_symbol(name: str) -> str:
    """'w11' → 'w<sub>11</sub>'."""
    head, digits = name[:1], name[1:]
    return f"{head}<sub>{digits}</sub>" if digits and name != "ŷ" else name
