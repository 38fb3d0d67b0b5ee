"""The one number formatter of optgui: every number a student reads goes through :func:`fmt`."""

from __future__ import annotations

import math


def fmt(value: float | None, digits: int = 6) -> str:
    """``value`` with ``digits`` significant digits and a typographic minus.

    Exponents appear below 1e-4 and from 1e7; NaN reads "undefined", infinities
    "∞" and "−∞", None nothing, and −0 reads 0.
    """
    if value is None:
        return ""
    value = float(value)
    if math.isnan(value):
        return "undefined"
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    if value == 0:
        return "0"
    if 1e-4 <= abs(value) < 1e7:
        text = f"{value:.{digits}g}"
        if "e" in text:  # 20000 to 4 digits: "20000", not "2e+04"
            text = f"{float(text):.0f}"
    else:
        text = f"{value:.{max(1, digits - 2)}e}"
    return text.replace("-", "−")


def short(value: float | None, digits: int = 4) -> str:
    """:func:`fmt` without trailing zeros in a power of ten: 0.1, 100, 5e−07, 1.4e+20."""
    text = fmt(value, digits)
    if "e" in text:
        mantissa, exponent = text.split("e")
        if "." in mantissa:
            mantissa = mantissa.rstrip("0").rstrip(".")
        text = f"{mantissa}e{exponent}"
    return text


def paren(value: float | None, digits: int = 4) -> str:
    """:func:`fmt` for a number inside a formula: negative numbers in parentheses."""
    text = fmt(value, digits)
    return f"({text})" if text.startswith("−") else text
