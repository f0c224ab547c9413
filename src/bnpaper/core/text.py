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


def power_of_ten_text(tol: float) -> str:
    """A tolerance 10ᵏ as short plain text for tables and claims: 1e-9 → ``"1e-9"``."""
    exponent = round(math.log10(tol)) if math.isfinite(tol) and tol > 0 else None
    if exponent is None or not math.isclose(tol, 10.0 ** exponent, rel_tol=1e-12):
        raise ValueError(f"tol = {tol}; expected a power of ten")
    return f"1e{exponent}"


def latex_power_of_ten(bound: float) -> str:
    """``1e-9`` → ``10^{-9}``; other bounds in LaTeX's ``a \\times 10^{k}`` form."""
    if not (math.isfinite(bound) and bound > 0):
        raise ValueError(f"a bound must be finite and positive, got {bound}")
    mantissa, exponent = f"{bound:e}".split("e")
    mantissa = mantissa.rstrip("0").rstrip(".")
    power = f"10^{{{int(exponent)}}}"
    return power if mantissa == "1" else f"{mantissa} \\times {power}"
