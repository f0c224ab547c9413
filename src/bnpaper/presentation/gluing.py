"""Glue computed values into a chapter's prose (myst-nb ``glue``), in the forms the book uses.

Every number in the prose comes through here: exact values as LaTeX
(``{glue:md}`key:myst```; the ``:myst`` makes the role typeset the math), decimals as
text already rounded to the digits the prose shows (``{glue:text}`key```, so the stored
output is the same on every CPU), rounding noise as a bound (``< 10^{-9}``), words as
strings, figures with ``{glue:figure}``.
"""

from __future__ import annotations

import math
from typing import Any

import matplotlib.pyplot as plt
import sympy as sp
from IPython.display import Markdown, Math
from myst_nb import glue

from bnpaper.core.text import power_of_ten


def glue_math(key: str, value: Any, prefix: str = "") -> None:
    """Glue ``prefix`` + the exact value's LaTeX as inline math, for ``{glue:md}`key:myst```."""
    latex = sp.latex(tuple(value) if isinstance(value, list) else value)
    glue(key, Markdown(f"${prefix}{latex}$"), display=False)


def glue_equation(key: str, value: Any, prefix: str = "") -> None:
    """Glue ``prefix`` + the exact value's LaTeX as a display equation, for ``{glue:math}``."""
    latex = sp.latex(tuple(value) if isinstance(value, list) else value)
    glue(key, Math(prefix + latex), display=False)


def glue_decimal(key: str, value: Any, fmt: str = ".4f") -> str:
    """Glue a number as text already rounded to ``fmt``, for ``{glue:text}`key```.

    The book's output policy: a float reaches an output only at the precision the prose
    shows, so the stored output is the same on every CPU (nbval compares it as text).
    Returns the glued string.
    """
    number = float(sp.N(value, 30)) if isinstance(value, sp.Basic) else float(value)
    if not math.isfinite(number):
        raise ValueError(f"glue_decimal({key!r}) got a non-finite value {number}")
    text = format(number, fmt)
    if text.lstrip("-").strip("0.") == "" and text.startswith("-"):
        text = text[1:]  # "-0.0000" is rounding noise of a zero: show "0.0000"
    glue(key, text, display=False)
    return text


def glue_bound(key: str, value: Any, bound: float) -> str:
    """Glue ``< bound`` for a quantity that is rounding noise (a gradient at an optimum,
    a residual, the gap between two methods), for ``{glue:md}`key:myst```.

    ``bound`` is a power of ten (:func:`bnpaper.core.text.power_of_ten`). Raises if
    ``|value| >= bound``: the chapter then fails instead of printing a false bound.
    Returns the glued LaTeX.
    """
    number = abs(float(sp.N(value, 30)) if isinstance(value, sp.Basic) else float(value))
    if not number < bound:  # also catches NaN
        raise ValueError(f"glue_bound({key!r}): |value| = {number:.3e} is not below {bound:g}")
    latex = f"< {power_of_ten(bound, latex=True)}"
    glue(key, Markdown(f"${latex}$"), display=False)
    return latex


def glue_int(key: str, value: Any) -> int:
    """Glue a whole number (a count, an exact integer) as a Python int."""
    number = int(value)
    if number != value:
        raise ValueError(f"glue_int({key!r}) got a non-integer value {value}")
    glue(key, number, display=False)
    return number


def glue_text(key: str, value: str) -> None:
    """Glue a word or phrase decided by a computation (e.g. "holds" / "fails")."""
    glue(key, str(value), display=False)


def glue_markdown(key: str, text: str) -> None:
    """Glue a block of Markdown (e.g. a table), for ```{glue:md} key``` with ``:format: myst``."""
    glue(key, Markdown(text), display=False)


def glue_figure(key: str, fig: Any) -> None:
    """Glue a matplotlib figure for ``{glue:figure}`` and close it (no duplicate display)."""
    glue(key, fig, display=False)
    plt.close(fig)
