"""Theory for one linear neuron with BN on any learning set (chapter *A general answer for
one linear neuron*).

Notation (γ = 1, β = 0, the batch is the whole set): inputs X of shape (M, d), labels y of
shape (M,), means x̄ = Xᵀ1/M and ȳ, centred data Xc = X − 1x̄ᵀ and yc = y − ȳ1. Then

    ẑ(w) = √M Xc w / ‖Xc w‖,   Ĉ(w) = ‖y‖² + M − 2√M ⟨Xc w, yc⟩ / ‖Xc w‖,

so the minima of Ĉ are the w with Xc w a positive multiple of the projection of yc onto the
column space of Xc: the ray t·v̂, t > 0, with v̂ = (XcᵀXc)⁻¹Xcᵀyc the least-squares slope
*with* intercept, while W* = (XᵀX)⁻¹Xᵀy is the slope *without* one. This module computes
both (exactly on sympy data, in float64 on numeric data, stacked over many sets), the
closed forms of Ĉ and ∇Ĉ, the minima of Ĉ in every case, the verdict on W*, and the
chapter's figure. :mod:`bnpaper.minimizer` checks it numerically; :mod:`bnpaper.distances`
builds on it (chapter *What is true instead*).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from bnpaper.core import geometry, model
from bnpaper.core.data import LearningSet
from bnpaper.core.least_squares import centered, learning_arrays, linear_fits, slopes
from bnpaper.core.namespace import SYMPY, convert, is_exact, namespace_of, to_exact
from bnpaper.core.text import fmt_exact
from bnpaper.paper.counterexample import counterexample_set
from bnpaper.presentation import plots

PARALLEL_TOL = 1e-9
"""On float data, W* and v̂ count as parallel when sin ∠(W*, v̂) is below this."""

EXAMPLE_LABELS = {"positive multiple": (0, 0, 1), "negative multiple": (2, 2, 1)}
"""Labels for the paper's inputs with x̄ ∥ Xcᵀyc, so that W* ∥ v̂ although the mean residual is
not zero (found by a search over small integer labels): W* = v̂/3 and W* = −v̂."""


# --------------------------------------------------------------------------- linear algebra


# --------------------------------------------------------------------------- closed forms


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
    """Ĉ(w) = ‖y‖² + M − 2√M ⟨Xc w, yc⟩/‖Xc w‖, the chapter's identity. w: (..., d) → (...).

    A derived formula, checked against :func:`bnpaper.model.bn_loss` in the tests.
    """
    xp = namespace_of(w)
    xc, yc = (convert(a, xp) for a in centered(data.x, data.y))
    y = convert(data.y, xp)
    _, norm, inner = _projection_terms(convert(w, xp), xc, yc, xp)
    return xp.sum(y * y) + data.M - 2 * _root_m(data.M, xp) * inner / norm


def bn_gradient_arrays(w: Any, xc: Any, yc: Any) -> Any:
    """∇Ĉ(w) = −(2√M/‖Xc w‖) Xcᵀ(yc − ⟨e, yc⟩e), e = Xc w/‖Xc w‖ (derived; float or sympy).

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
    xc, yc = centered(data.x, data.y)
    return bn_gradient_arrays(w, xc, yc)


# --------------------------------------------------------------------------- the two fits


# --------------------------------------------------------------------------- BN minima


# --------------------------------------------------------------------------- W* versus Ŵ*


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


# --------------------------------------------------------------------------- printing


def example_rows(sets: dict[str, LearningSet]) -> list[str]:
    """One text line per learning set: x̄, Xcᵀyc, r̄, W*, v̂, W* − v̂, M r̄ (XcᵀXc)⁻¹x̄, verdict."""
    rows = []
    for name, data in sets.items():
        f, verdict = linear_fits(data), classify_w_star(data)
        lam = "" if verdict.multiple is None else f", λ = {fmt_exact(verdict.multiple)}"
        rows.append(f"{name}: y = {fmt_exact(data.y)}\n"
                    f"  x̄ = {fmt_exact(f.x_bar)}, Xcᵀyc = {fmt_exact(f.covariance)}, "
                    f"r̄ = {fmt_exact(f.mean_residual)}\n"
                    f"  W* = {fmt_exact(f.w_star)}, v̂ = {fmt_exact(f.v_hat)}, W* − v̂ = "
                    f"{fmt_exact(f.w_star - f.v_hat)}, M r̄ (XcᵀXc)⁻¹x̄ = {fmt_exact(f.shift)}\n"
                    f"  W* is {'' if verdict.multiple is None else 'a '}{verdict.kind}{lam}")
    return rows


# --------------------------------------------------------------------------- figures


def _theta(v: Any) -> float:
    v = np.asarray(v, dtype=float)
    return float(np.degrees(np.arctan2(v[1], v[0])))


def loss_by_angle_figure(sets: dict[str, LearningSet]) -> Any:
    """Ĉ(w) against the angle of w (Ĉ depends on nothing else), one panel per d = 2 set
    (titled by its key and the verdict on W*), with v̂ (minima), −v̂ (maxima) and W*."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(sets), figsize=(3.6 * len(sets), 4.0), sharey=False)
    theta, circle = geometry.unit_directions(1441)
    for ax, (title, data) in zip(np.atleast_1d(axes), sets.items(), strict=True):
        num = data.numeric()
        fits = linear_fits(num)
        ax.plot(np.degrees(theta), model.bn_loss(circle, num), color="black", lw=1.5,
                label=r"$\hat C(\cos\theta, \sin\theta)$")
        ax.axvline(_theta(fits.v_hat), color=plots.OKABE_ITO["orange"], lw=2.5,
                   label=r"$\hat v$: minima")
        ax.axvline(_theta(-fits.v_hat), color=plots.OKABE_ITO["sky"], lw=2, ls=":",
                   label=r"$-\hat v$: maxima")
        ax.plot(_theta(fits.w_star), model.bn_loss(fits.w_star, num), "o", ms=9,
                color=plots.OKABE_ITO["blue"], mec="black", label=r"$W^*$", zorder=5)
        kind = classify_w_star(data).kind
        verdict = "not a stationary point" if kind == "not stationary" else f"a {kind}"
        ax.set(xlabel=r"angle $\theta$ of $w$ (degrees)", xlim=(-180, 180),
               title=f"{title}\n$W^*$ is {verdict} of $\\hat C$",
               xticks=range(-180, 181, 90))
    np.atleast_1d(axes)[0].set_ylabel(r"$\hat C$")
    fig.legend(*np.atleast_1d(axes)[0].get_legend_handles_labels(), loc="outside lower center",
               ncol=4)
    return fig


# --------------------------------------------------------------------------- claims


def scan_minima(x: Any, y: Any, n_angles: int = 3600) -> tuple[int, int]:
    """For S learning sets with d = 2: (sets whose only local minimum of Ĉ on a grid of
    ``n_angles`` directions lies within one grid step of v̂, S).

    Ĉ is evaluated by :func:`bnpaper.model.bn_loss` (no closed form); a grid point is a
    local minimum when it is below both neighbours on the circle. x: (S, M, 2), y: (S, M).
    """
    xs, ys = learning_arrays(x, y)
    if xs.ndim != 3 or xs.shape[-1] != 2:
        raise ValueError(f"x has shape {xs.shape}; expected (S, M, 2)")
    theta = np.linspace(-np.pi, np.pi, n_angles, endpoint=False)
    circle = np.stack([np.cos(theta), np.sin(theta)], axis=-1)
    _, v_hat = slopes(xs, ys)
    step = 2 * np.pi / n_angles
    good = 0
    for a, b, v in zip(xs, ys, v_hat, strict=True):
        loss = model.bn_loss(circle, LearningSet(a, b))
        minima = np.flatnonzero((loss < np.roll(loss, 1)) & (loss < np.roll(loss, -1)))
        good += len(minima) == 1 and float(geometry.angle(circle[minima[0]], v)) <= step
    return good, len(xs)


def claims() -> list:
    """The chapter's main derived claims: exact (sympy) on the paper's set, and a scan of
    model.bn_loss over directions on many random sets."""
    from bnpaper.claims import Claim, Evidence
    from bnpaper.core import exact

    source = "book, A general answer for one linear neuron"
    sets = example_sets()
    paper_fits = linear_fits(sets["paper"])
    v = paper_fits.v_hat
    grad_v = exact.at(exact.gradient(exact.loss_expr(model.bn_loss, sets["paper"])), tuple(v))
    rng = np.random.default_rng(2026)
    sizes = (3, 5, 10)
    scanned = [scan_minima(1.0 + rng.normal(size=(40, m, 2)),
                           rng.normal(size=(40, m)) + 1.0) for m in sizes]
    good, total = sum(g for g, _ in scanned), sum(n for _, n in scanned)
    verdicts, agree = {}, True
    for name in ("paper", "labels minus intercept", "negative multiple"):
        data = sets[name]
        verdict = classify_w_star(data)
        grad = exact.at(exact.gradient(exact.loss_expr(model.bn_loss, data)),
                        tuple(linear_fits(data).w_star))
        agree &= (verdict.kind == "not stationary") == any(g != 0 for g in grad)
        verdicts[name] = verdict.kind
    relation = all(paper_fits.w_star == paper_fits.v_hat + paper_fits.shift)
    return [
        Claim("book-general-1", "if Xc has full column rank (M ≥ d + 1, no constant input), "
              "the local minima of Ĉ are exactly the ray t·v̂, t > 0, v̂ = (XcᵀXc)⁻¹Xcᵀyc the "
              "least-squares slope with intercept", source, "—",
              f"∇Ĉ(v̂) = {fmt_exact(grad_v)} exactly at v̂ = {fmt_exact(v)} (paper's set); "
              f"{good} of {total} random sets (d = 2, M = {', '.join(map(str, sizes))}): "
              "the only local minimum over 3600 directions is within one step of v̂",
              "exact gradient of model.bn_loss (sympy); scan of model.bn_loss over directions",
              all(g == 0 for g in grad_v) and good == total, Evidence.DERIVED),
        Claim("book-general-2", "W* − v̂ = M r̄ (XcᵀXc)⁻¹x̄; W* is stationary for Ĉ iff W* ∥ v̂ "
              "(minimum if λ > 0, maximum if λ < 0)", source, "—",
              f"paper: r̄ = {fmt_exact(paper_fits.mean_residual)}, W* {verdicts['paper']}; "
              f"y − b̂: {verdicts['labels minus intercept']}; "
              f"y = {EXAMPLE_LABELS['negative multiple']}: {verdicts['negative multiple']}",
              "exact (sympy): verdict vs exact gradient of model.bn_loss at W*",
              relation and agree and verdicts["paper"] == "not stationary", Evidence.DERIVED),
    ]
