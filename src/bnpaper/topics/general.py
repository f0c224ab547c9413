"""Theory for one linear neuron with BN on any learning set (chapter *A general answer for
one linear neuron*).

Notation (γ = 1, β = 0, the batch is the whole set): inputs X of shape (M, d), labels y of
shape (M,), means x̄ = Xᵀ1/M and ȳ, centred data Xc = X − 1x̄ᵀ and yc = y − ȳ1. Then

    ẑ(w) = √M Xc w / ‖Xc w‖,   Ĉ(w) = ‖y‖² + M − 2√M ⟨Xc w, yc⟩ / ‖Xc w‖

(:mod:`bnpaper.core.bn_closed_form`), so the minima of Ĉ are the w with Xc w a positive
multiple of the projection of yc onto the column space of Xc: the ray t·v̂, t > 0, with
v̂ = (XcᵀXc)⁻¹Xcᵀyc the least-squares slope *with* intercept, while W* = (XᵀX)⁻¹Xᵀy is the
slope *without* one (both: :func:`bnpaper.core.least_squares.linear_fits`). This module
gives the verdict on W* (the proposition), the chapter's example sets, and a scan of
:func:`bnpaper.core.model.bn_loss` over directions. :mod:`bnpaper.topics.minimizer` checks
the proposition numerically; :mod:`bnpaper.topics.distances` builds on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from bnpaper.core import geometry, model
from bnpaper.core.data import LearningSet
from bnpaper.core.least_squares import learning_arrays, linear_fits
from bnpaper.core.namespace import is_exact, to_exact
from bnpaper.paper.counterexample import counterexample_set

PARALLEL_TOL = 1e-9
"""On float data, W* and v̂ count as parallel when sin ∠(W*, v̂) is below this."""

EXAMPLE_LABELS = {"positive multiple": (0, 0, 1), "negative multiple": (2, 2, 1)}
"""Labels for the paper's inputs with x̄ ∥ Xcᵀyc, so that W* ∥ v̂ although the mean residual is
not zero (found by a search over small integer labels): W* = v̂/3 and W* = −v̂."""


@dataclass(frozen=True)
class WStarVerdict:
    """What W* is for the BN loss Ĉ."""

    kind: str
    """"minimum", "maximum" or "not stationary"."""
    multiple: Any
    """λ with W* = λ v̂ when W* ∥ v̂, else None."""
    angle: float
    """∠(W*, v̂) in radians (0 for a minimum, π for a maximum)."""


def classify_w_star(data: LearningSet) -> WStarVerdict:
    """Whether W* is a stationary point of Ĉ, and which kind (the proposition).

    W* is stationary iff W* = λ v̂; a global minimum iff λ > 0, a global maximum iff λ < 0.
    Exact on exact data; on floats, parallel means sin ∠ < :data:`PARALLEL_TOL`.
    Requires full-rank X and Xc, v̂ ≠ 0 and W* ≠ 0 (else ValueError).
    """
    fits = linear_fits(data)
    w, v = fits.w_star, fits.v_hat
    if all(c == 0 for c in v):
        raise ValueError("v̂ = 0 (Xcᵀyc = 0): Ĉ is constant, every w is a minimum")
    if all(c == 0 for c in w):
        raise ValueError("W* = 0 (Xᵀy = 0): σ(W*) = 0, so Ĉ is undefined at W*")
    alpha = float(geometry.angle(w, v))
    if is_exact(w):
        parallel = all(sp.simplify(w[i] * v[j] - w[j] * v[i]) == 0
                       for i in range(data.d) for j in range(i))
    else:
        parallel = bool(np.sin(alpha) < PARALLEL_TOL)
    if not parallel:
        return WStarVerdict("not stationary", None, alpha)
    multiple = np.dot(w, v) / np.dot(v, v)
    return WStarVerdict("minimum" if multiple > 0 else "maximum", multiple, alpha)


def example_sets() -> dict[str, LearningSet]:
    """The chapter's learning sets, exact: the paper's, and variants where W* ∥ v̂.

    "paper": the counterexample; "centred inputs": its inputs minus x̄ (so x̄ = 0);
    "labels minus intercept": labels y − b̂ (so r̄ = 0); and the two sets of
    :data:`EXAMPLE_LABELS` on the paper's inputs.
    """
    paper = counterexample_set()
    x = paper.x
    sets = {"paper": paper,
            "centred inputs": LearningSet(x - x.sum(axis=0) / paper.M, paper.y),
            "labels minus intercept": LearningSet(x, paper.y - linear_fits(paper).intercept)}
    for name, labels in EXAMPLE_LABELS.items():
        sets[name] = LearningSet(x, to_exact(labels))
    return sets


def scan_minima(x: Any, y: Any, v_hat: Any, n_angles: int = 3600) -> tuple[int, int]:
    """For S learning sets with d = 2: (sets whose only local minimum of Ĉ on a grid of
    ``n_angles`` directions lies within one grid step of the expected direction v̂, S).

    Ĉ is evaluated by :func:`bnpaper.core.model.bn_loss` (no closed form); a grid point is a
    local minimum when it is below both neighbours on the circle. x: (S, M, 2), y: (S, M),
    v_hat: (S, 2), e.g. the slopes with intercept of :func:`bnpaper.core.least_squares.slopes`.
    """
    xs, ys = learning_arrays(x, y)
    if xs.ndim != 3 or xs.shape[-1] != 2:
        raise ValueError(f"x has shape {xs.shape}; expected (S, M, 2)")
    v_hat = np.asarray(v_hat, dtype=float)
    if v_hat.shape != (xs.shape[0], 2):
        raise ValueError(f"v_hat has shape {v_hat.shape}; expected ({xs.shape[0]}, 2)")
    theta = np.linspace(-np.pi, np.pi, n_angles, endpoint=False)
    circle = geometry.unit_vectors(theta)
    step = 2 * np.pi / n_angles
    good = 0
    for a, b, v in zip(xs, ys, v_hat, strict=True):
        loss = model.bn_loss(circle, LearningSet(a, b))
        minima = np.flatnonzero((loss < np.roll(loss, 1)) & (loss < np.roll(loss, -1)))
        good += len(minima) == 1 and float(geometry.angle(circle[minima[0]], v)) <= step
    return good, len(xs)
