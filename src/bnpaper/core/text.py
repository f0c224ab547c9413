"""Numbers as short text, the same on every machine: exact values, powers of ten (the claims'
and the tables' cells, the glued bounds)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import sympy as sp


def fmt_exact(v: Any) -> str:
    """An exact scalar or vector as text that does not depend on sympy's printer settings."""
    if np.ndim(v):
        return "(" + ", ".join(fmt_exact(c) for c in np.ravel(v)) + ")"
    return str(sp.nsimplify(v)) if isinstance(v, (sp.Basic, int)) else f"{float(v):.6g}"


def power_of_ten(bound: float, latex: bool = False) -> str:
    """A bound 10ᵏ (a tolerance, a rounding-noise bound) as short text, the same on every
    machine: ``"1e-9"`` for the verdict tables and the claims, ``"10^{-9}"`` with
    ``latex=True`` for the glued prose. Raises ValueError for a number that is not a power
    of ten."""
    exponent = round(math.log10(bound)) if math.isfinite(bound) and bound > 0 else None
    if exponent is None or not math.isclose(bound, 10.0 ** exponent, rel_tol=1e-12):
        raise ValueError(f"bound = {bound}; expected a power of ten")
    return f"10^{{{exponent}}}" if latex else f"1e{exponent}"


_MARKDOWN = "\\|*_`$"  # what Markdown (or myst's dollar maths) would read as markup


def escape_markdown(text: str) -> str:
    """``text`` as literal text in a Markdown table cell: ``a*b*c`` would be emphasis, a pipe
    a new column, a dollar sign maths."""
    for char in _MARKDOWN:
        text = text.replace(char, "\\" + char)
    return text
