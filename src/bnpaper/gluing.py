"""Glue computed values into a chapter's prose (myst-nb ``glue``), in the forms the book uses.

Every number in the prose comes through here: exact values as LaTeX
(``{glue:md}`key:myst```; the ``:myst`` makes the role typeset the math), decimals as
Python floats (``{glue:text}`key:.4f```; NumPy scalars would print as ``np.float64(...)``,
MyST-NB #610), words as strings, figures with ``{glue:figure}``.
"""

from __future__ import annotations

from typing import Any

import sympy as sp
from IPython.display import Markdown, Math
from myst_nb import glue


def glue_math(key: str, value: Any, prefix: str = "") -> None:
    """Glue ``prefix`` + the exact value's LaTeX as inline math, for ``{glue:md}`key:myst```."""
    latex = sp.latex(tuple(value) if isinstance(value, list) else value)
    glue(key, Markdown(f"${prefix}{latex}$"), display=False)


def glue_equation(key: str, value: Any, prefix: str = "") -> None:
    """Glue ``prefix`` + the exact value's LaTeX as a display equation, for ``{glue:math}``."""
    latex = sp.latex(tuple(value) if isinstance(value, list) else value)
    glue(key, Math(prefix + latex), display=False)


def glue_number(key: str, value: Any) -> float:
    """Glue a number as a Python float, for ``{glue:text}`key:.4f```; returns the float."""
    number = float(sp.N(value, 30)) if isinstance(value, sp.Basic) else float(value)
    glue(key, number, display=False)
    return number


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
    import matplotlib.pyplot as plt

    glue(key, fig, display=False)
    plt.close(fig)
