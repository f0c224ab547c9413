"""The closed forms of the BN loss Ĉ of one linear neuron and of its gradient (γ = 1, β = 0,
the batch is the whole set), derived in the chapter *A general answer for one linear neuron*:

    Ĉ(w) = ‖y‖² + M − 2√M ⟨Xc w, yc⟩ / ‖Xc w‖,
    ∇Ĉ(w) = −(2√M/‖Xc w‖) Xcᵀ(yc − ⟨e, yc⟩e),   e = Xc w/‖Xc w‖,

with Xc, yc the centred data (:meth:`bnpaper.core.data.LearningSet.centered`). They are derived
formulas, checked against :func:`bnpaper.core.model.bn_loss` in the tests; the general
chapter and the random-sets chapter both use them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy as sp

from bnpaper.core.data import LearningSet
from bnpaper.core.namespace import SYMPY, convert, namespace_of


def _root_m(m: int, xp: Any) -> Any:
    return sp.sqrt(m) if xp is SYMPY else np.sqrt(m)


def _projection_terms(w: Any, xc: Any, yc: Any, xp: Any) -> tuple[Any, Any, Any]:
    """c = Xc w (..., M), ‖c‖ and ⟨c, yc⟩ (...)."""
    c = (xc @ w[..., :, None])[..., 0]
    norm = xp.sqrt(xp.sum(c * c, axis=-1))
    if xp is np and np.any(norm == 0):
        raise ValueError("Xc w = 0, i.e. σ(w) = 0: Ĉ is undefined there (w in the null "
                         "space of Xc, e.g. w = 0)")
    return c, norm, xp.sum(c * yc, axis=-1)


def _expand(v: Any, xp: Any) -> Any:
    """v[..., None]; sympy scalars (0-d results of object arrays) become arrays first."""
    return np.asarray(v, dtype=object)[..., None] if xp is SYMPY else v[..., None]


def bn_loss_closed_form(w: Any, data: LearningSet) -> Any:
    """Ĉ(w) = ‖y‖² + M − 2√M ⟨Xc w, yc⟩/‖Xc w‖. w: (..., d) → (...)."""
    xp = namespace_of(w)
    xc, yc = (convert(a, xp) for a in data.centered())
    y = convert(data.y, xp)
    _, norm, inner = _projection_terms(convert(w, xp), xc, yc, xp)
    return xp.sum(y * y) + data.M - 2 * _root_m(data.M, xp) * inner / norm


def bn_gradient_arrays(w: Any, xc: Any, yc: Any) -> Any:
    """∇Ĉ(w) = −(2√M/‖Xc w‖) Xcᵀ(yc − ⟨e, yc⟩e), e = Xc w/‖Xc w‖ (float or sympy), from the
    centred data (Xc, yc) already at hand.

    w: (..., d), xc: (..., M, d), yc: (..., M), broadcast over leading axes → (..., d).
    """
    xp = namespace_of(w) if namespace_of(w) is not np else namespace_of(xc)
    w, xc, yc = (convert(a, xp) for a in (w, xc, yc))
    c, norm, inner = _projection_terms(w, xc, yc, xp)
    residual = yc - _expand(inner / norm**2, xp) * c
    scale = _expand(2 * _root_m(xc.shape[-2], xp) / norm, xp)
    return -scale * (residual[..., None, :] @ xc)[..., 0, :]


def bn_gradient_closed_form(w: Any, data: LearningSet) -> Any:
    """∇Ĉ(w) for one learning set, from :func:`bn_gradient_arrays`. w: (..., d) → (..., d)."""
    xc, yc = data.centered()
    return bn_gradient_arrays(w, xc, yc)
