"""What a point W of a deep network is (chapter *Deep and non-linear networks*): its
gradients, the output layer (v, b) separated from the hidden weights θ = (W_1, …, W_L) and
the profile gradient ∇_θ min_(v,b) Ĉ(θ, v, b) (:func:`split_output`), the Hessian of C for
the second-order check, degenerate points (dead layers, constant networks, undefined BN),
how training ended, the distance to the rescalings of a BN optimum, and, for the identity,
an exact optimum W* and the output-bias gap that keeps every BN optimum away from it.

The output layer (v, b) plays the part of γ and β in the learned-γ/β chapter.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import cache
from typing import Any

import numpy as np

from bnpaper.core import autodiff, checks, least_squares, model
from bnpaper.core.autodiff import jax_x64
from bnpaper.core.data import LearningSet
from bnpaper.paper import lemma
from bnpaper.topics.deep import padded
from bnpaper.topics.deep.network import (
    Architecture,
    hidden_outputs,
    hidden_pre_activations,
    layer_stack,
    loss,
    network_output,
    prepare,
)


def gradients(arch: Architecture, data: LearningSet, w: Any, bn: bool) -> np.ndarray:
    """∇C(W) (``bn=False``) or ∇Ĉ(W) (``bn=True``) at one W (P,) → (P,): JAX reverse-mode
    autodiff (:func:`bnpaper.core.autodiff.gradient_of`) of
    :func:`~bnpaper.topics.deep.network.loss` itself, not of the solver's padded network."""
    return autodiff.gradient_of(loss, arch, data.numeric(), bn)(w)


# ------------------------------------------------------ the output layer and second order

def output_fit(features: Any, y: Any) -> tuple[np.ndarray, float, float]:
    """(v*, b*, loss): the least-squares output layer for hidden features h (width, M) and
    labels ȳ (M,), i.e. argmin over (v, b) of Σₘ (vᵀh⁽ᵐ⁾ + b − ȳ⁽ᵐ⁾)², the least-norm
    solution when [hᵀ 1] has rank < width + 1 (the minimum value is the same)."""
    h = checks.finite_array(features, "features")
    y = checks.finite_array(y, "y")
    if h.ndim != 2 or y.shape != (h.shape[1],):
        raise ValueError(f"features have shape {h.shape} and y {y.shape}; expected "
                         "(width, M) and (M,)")
    design = np.column_stack([h.T, np.ones(h.shape[1])])
    coef = np.linalg.lstsq(design, y, rcond=None)[0]
    r = design @ coef - y
    return coef[:-1], float(coef[-1]), float(r @ r)


def with_best_output(w: Any, arch: Architecture, data: LearningSet,
                     bn: bool = True) -> np.ndarray:
    """W with (v, b) replaced by their best values for W's hidden weights θ = (W_1, …, W_L)
    (:func:`output_fit` on the features h_L of the BN network, or of the standard one).
    W (P,) → (P,)."""
    data = data.numeric()
    w = np.array(checks.finite_array(w, "W"), dtype=float)
    v, b, _ = output_fit(hidden_outputs(w, arch, data.x, bn), data.y)
    v_slice, b_slice = arch.slices()[-2:]
    w[v_slice], w[b_slice] = v, b
    return w


def best_output_loss(w: Any, arch: Architecture, data: LearningSet, bn: bool = True) -> float:
    """The loss with the best output layer for W's hidden weights θ: P̂(θ) = min over (v, b)
    of Ĉ(θ, v, b) (``bn=True``; C likewise with ``bn=False``); v and b of W are ignored.
    numpy, W (P,). (The learned-γ/β chapter's profile loss minimizes over γ, β of one neuron
    instead: for one unit and the identity, v and b are that γ and β.)"""
    data = data.numeric()
    return output_fit(hidden_outputs(w, arch, data.x, bn), data.y)[2]


@cache
def _analyser(big: Architecture) -> Any:
    """analyse(W (n, P_big), x, y, act, depth, width) → (∇C, ∇²C, ∇Ĉ, ∇Ĉ at the best
    (v, b), Ĉ, Ĉ at the best (v, b), the best (v, b)), vmapped over the rows of W, compiled
    once for all networks that fit in ``big``."""
    jax = jax_x64()
    jnp = jax.numpy
    loss_of = padded.traced_loss
    grad, hess = jax.grad(loss_of), jax.hessian(loss_of)
    out = slice(big.slices()[-2].start, big.n_params)

    def analyse(w: Any, x: Any, y: Any, act: Any, depth: Any, width: Any) -> Any:
        std, bn = (act, False, depth, width), (act, True, depth, width)
        h = padded.traced_stack(w, big, x, *bn)[0]  # rows j >= width are 0: lstsq gives v_j = 0
        design = jnp.concatenate([h.T, jnp.ones((x.shape[0], 1))], axis=1)
        coef = jnp.linalg.lstsq(design, y)[0]
        fitted = w.at[out].set(coef)
        return (grad(w, big, x, y, *std), hess(w, big, x, y, *std), grad(w, big, x, y, *bn),
                grad(fitted, big, x, y, *bn), loss_of(w, big, x, y, *bn),
                loss_of(fitted, big, x, y, *bn), coef)

    return jax.jit(jax.vmap(analyse, in_axes=(0, None, None, 0, 0, 0)),
                   compiler_options=padded.COMPILE_OPTIONS)


@dataclass(frozen=True)
class OutputSplit:
    """Gradients at points W (one row each) with the output layer (v, b) separated from the
    hidden weights θ = (W_1, …, W_L). (v, b) play the part of γ and β: the BN network's
    loss with the best output layer, P̂(θ) = min over (v, b) of Ĉ(θ, v, b), is the analogue
    of the learned-γ/β chapter's profile loss, and by the envelope theorem its gradient is
    ∇_θ Ĉ(θ, v*, b*)."""

    grad_c: np.ndarray
    """∇C(W), (n, P)."""
    hessian_c: np.ndarray
    """∇²C(W), (n, P, P)."""
    grad_bn: np.ndarray
    """∇Ĉ(W), (n, P): the raw gradient, all parameters, at W's own (v, b)."""
    grad_profile: np.ndarray
    """∇_θ P̂(θ), (n, P_hidden): the profile gradient in the hidden weights."""
    grad_output_at_fit: np.ndarray
    """∇_(v,b) Ĉ at the best (v, b), (n, width + 1): zero up to rounding (normal equations)."""
    bn_loss: np.ndarray
    """Ĉ(W), (n,)."""
    best_output_loss: np.ndarray
    """P̂(θ), Ĉ with the best output layer (:func:`best_output_loss`), (n,)."""
    output: np.ndarray
    """The best (v*, b*), (n, width + 1)."""
    n_hidden: int
    """P_hidden, the number of hidden weights."""

    @property
    def grad_bn_hidden(self) -> np.ndarray:
        """‖∇_θ Ĉ(W)‖ (at W's own (v, b)), (n,)."""
        return np.linalg.norm(self.grad_bn[:, :self.n_hidden], axis=1)

    @property
    def grad_bn_v(self) -> np.ndarray:
        """‖∂Ĉ/∂v (W)‖, (n,)."""
        return np.linalg.norm(self.grad_bn[:, self.n_hidden:-1], axis=1)

    @property
    def grad_bn_b(self) -> np.ndarray:
        """∂Ĉ/∂b (W), (n,) (signed)."""
        return self.grad_bn[:, -1]

    @property
    def profile_norm(self) -> np.ndarray:
        """‖∇_θ P̂(θ)‖, (n,)."""
        return np.linalg.norm(self.grad_profile, axis=1)

    def hessian_eigenvalues(self) -> np.ndarray:
        """The eigenvalues of ∇²C(W) in increasing order, (n, P)."""
        return np.linalg.eigvalsh(self.hessian_c)


def split_output(arch: Architecture, data: LearningSet, w: Any) -> OutputSplit:
    """:class:`OutputSplit` at each row of W (n, P), by JAX autodiff (jit, vmap)."""
    data = data.numeric()
    w = padded.check_points(arch, data, w, "W")
    parts = split_output_many([arch] * len(w), data, list(w))
    return OutputSplit(*(np.concatenate([getattr(p, f.name) for p in parts])
                         for f in fields(OutputSplit) if f.name != "n_hidden"),
                       parts[0].n_hidden)


def split_output_many(archs: list[Architecture], data: LearningSet,
                      w: list[Any]) -> list[OutputSplit]:
    """:class:`OutputSplit` at W = ``w[i]`` (P_i,) of network ``archs[i]`` for every i, in one
    compiled, vectorized call; one result (n = 1) per network."""
    data = data.numeric()
    big, start = padded.stacked(archs, data, w, "W")
    res = _analyser(big)(*padded.pad_rows(start)[:1], data.x, data.y,
                         *padded.pad_rows(*padded.arch_flags(archs)))
    g_c, h_c, g_bn, g_fit, c_bn, c_fit, coef = (np.asarray(r)[:len(archs)] for r in res)
    out = []
    for i, arch in enumerate(archs):
        idx = padded.slot_indices(arch, big)
        n_hidden = arch.n_hidden
        fit = g_fit[i:i + 1, idx]
        v_b = np.concatenate([coef[i:i + 1, :arch.width], coef[i:i + 1, -1:]], axis=1)
        out.append(OutputSplit(g_c[i:i + 1, idx], h_c[i:i + 1][:, idx][:, :, idx],
                               g_bn[i:i + 1, idx], fit[:, :n_hidden], fit[:, n_hidden:],
                               c_bn[i:i + 1], c_fit[i:i + 1], v_b, n_hidden))
    return out


HESSIAN_TOL = 1e-6
"""Relative tolerance of the second-order check: λ_min(∇²C) ≥ −HESSIAN_TOL·max(1, λ_max)."""


def second_order_ok(eigenvalues: Any, tol: float = HESSIAN_TOL) -> np.ndarray:
    """Whether ∇²C is positive semidefinite up to rounding: λ_min ≥ −tol·max(1, λ_max), per
    row of eigenvalues (n, P) sorted increasingly → (n,) bool. With a zero gradient this is
    the second-order *necessary* condition for a local minimum (not sufficient when some
    eigenvalues are 0, as the rescaling symmetries of a network make them)."""
    ev = np.atleast_2d(np.asarray(eigenvalues, dtype=float))
    return ev[:, 0] >= -tol * np.maximum(1.0, ev[:, -1])


# ------------------------------------------------------ degenerate points, kinks, end status

DEGENERATE_TOL = 1e-9
"""A batch deviation below this counts as zero in :func:`degeneracy`."""


def bn_input_deviations(w: Any, arch: Architecture, x: Any) -> list[np.ndarray]:
    """σ of each hidden unit's input to BN, W_l h_{l−1}, in the BN network at W, per layer
    (width,). BN is undefined where one is 0; the forward pass here continues with σ := 1
    there so that every layer can be inspected."""
    _, w, x = prepare(w, arch, x, bn=True)
    sigmas: dict[int, np.ndarray] = {}

    def normalize(layer: int, z: Any) -> Any:
        c = z - z.mean(axis=-1, keepdims=True)
        s = np.sqrt(np.mean(c * c, axis=-1, keepdims=True))
        sigmas[layer] = s[:, 0]
        return c / np.where(s > 0, s, 1.0)

    layer_stack(w, arch, x, normalize, lambda layer, z: model.activate(z, arch.activation, np))
    return [sigmas[layer] for layer in range(1, arch.depth + 1)]


def degeneracy(w: Any, arch: Architecture, data: LearningSet,
               tol: float = DEGENERATE_TOL) -> str:
    """Why W is a degenerate point for this chapter's question, or "" if it is not:

    - "constant layer l": every unit of hidden layer l of the standard network is constant
      over the batch (for ReLU: a dead layer), so f_W is constant;
    - "constant network": f_W(x̄⁽ᵐ⁾) is the same for every sample;
    - "BN undefined in layer l": some unit's input to BN has σ = 0, so f̂_W is undefined.

    All three are judged with batch deviations below ``tol``.
    """
    data = data.numeric()
    for layer, z in enumerate(hidden_pre_activations(w, arch, data.x, bn=False), start=1):
        h = model.activate(z, arch.activation, np)
        if np.max(np.std(h, axis=1)) < tol:
            return f"constant layer {layer}"
    if np.std(network_output(w, arch, data.x)) < tol:
        return "constant network"
    for layer, s in enumerate(bn_input_deviations(w, arch, data.x), start=1):
        if np.min(s) < tol:
            return f"BN undefined in layer {layer}"
    return ""


KINK_TOL = 1e-5
"""|z| below this counts as on a ReLU kink (end points on a kink have |z| ~ 1e-15 here)."""


def on_relu_kink(w: Any, arch: Architecture, x: Any, bn: bool) -> bool:
    """Whether some hidden pre-activation (after BN if ``bn``) of some sample is 0 to
    :data:`KINK_TOL`: for ReLU, a point where the loss may not be differentiable."""
    zs = hidden_pre_activations(w, arch, x, bn)
    return min(float(np.min(np.abs(z))) for z in zs) < KINK_TOL


def end_status(arch: Architecture, data: LearningSet, w: Any, grad_norm: float, bn: bool,
               tol: float) -> str:
    """How training ended at W: "stationary" (‖∇‖ < tol); "kink" (ReLU: a hidden
    pre-activation of some sample is 0 to KINK_TOL, where the loss has no gradient); else
    "not stationary" (still moving, or stalled, when the steps ran out)."""
    if grad_norm < tol:
        return "stationary"
    if arch.activation == "relu" and on_relu_kink(w, arch, data.x, bn):
        return "kink"
    return "not stationary"


def bn_kink(w: np.ndarray, arch: Architecture, data: LearningSet, degenerate: str) -> bool:
    """Whether the BN network at W has a ReLU kink: a BN output within KINK_TOL of 0
    (False for other activations and for degenerate W, where BN may be undefined)."""
    if arch.activation != "relu" or degenerate:
        return False
    return on_relu_kink(w, arch, data.x, bn=True)


# ---------------------------------------------------------------- distances, Lemma 4.5

def scale_orbit_distance_sq(w0: Any, w_hat: Any, arch: Architecture) -> np.ndarray:
    """Squared distance from W₀ to {Ŵ with each hidden unit's weight row scaled by its own
    c_j > 0} (an infimum where ⟨row of W₀, row of Ŵ⟩ ≤ 0). W₀, Ŵ: (..., P) → (...).

    BN per unit makes f̂ invariant under these rescalings, so if Ŵ is an optimum of Ĉ, so is
    every point of the set, and this is an upper bound on the distance to the closest optimum.
    """
    w0, w_hat = np.asarray(w0, float), np.asarray(w_hat, float)
    total = np.zeros(np.broadcast_shapes(w0.shape, w_hat.shape)[:-1])
    rest = np.ones(arch.n_params, dtype=bool)
    for sl, shape in zip(arch.hidden_row_slices(), arch.shapes, strict=False):
        rows0 = w0[..., sl].reshape(*w0.shape[:-1], *shape)
        rows = w_hat[..., sl].reshape(*w_hat.shape[:-1], *shape)
        total = total + lemma.distance_sq_to_ray(rows0, rows).sum(axis=-1)
        rest[sl] = False
    diff = w0[..., rest] - w_hat[..., rest]
    return total + np.sum(diff * diff, axis=-1)


# ---------------------------------------------------------------- an exact optimum (identity)

def least_squares_with_intercept(data: LearningSet) -> tuple[np.ndarray, float, float]:
    """(a, b, C): the least-squares affine fit ȳ ≈ ⟨a, x̄⟩ + b and its loss Σ residual².

    a = v̂ and b = b̂ of :func:`bnpaper.core.least_squares.linear_fits` (the slope with
    intercept); the residual ⟨a, x̄⟩ + b − ȳ equals Xc a − yc since b = ȳ − ⟨x̄, a⟩ (means
    over the batch)."""
    data = data.numeric()
    fits = least_squares.linear_fits(data)
    xc, yc = least_squares.centered(data.x, data.y)
    r = xc @ fits.v_hat - yc
    return fits.v_hat, float(fits.intercept), float(r @ r)


def linear_optimum(arch: Architecture, data: LearningSet, w0: Any) -> np.ndarray:
    """A global minimum W* of C for the identity activation, without training: keep W₀'s
    hidden layers A = W_L ⋯ W_1, set v to the least-norm solution of Aᵀv = a and b = b from
    :func:`least_squares_with_intercept` (needs A of rank d). W₀ (P,) → W* (P,)."""
    if arch.activation != "identity":
        raise ValueError(f"activation {arch.activation!r}: the closed form needs 'identity'")
    w = np.array(w0, dtype=float)
    mats, _, _ = arch.unpack(w)
    prod = np.linalg.multi_dot([*mats[::-1], np.eye(arch.d)])
    if np.linalg.matrix_rank(prod) < arch.d:
        raise ValueError(f"W_L⋯W_1 has rank < d = {arch.d}: it cannot carry the fit")
    a, b, _ = least_squares_with_intercept(data)
    v_slice, b_slice = arch.slices()[-2:]
    w[v_slice] = np.linalg.lstsq(prod.T, a, rcond=None)[0]
    w[b_slice] = b
    return w


def bias_gap_bound(w_star: Any, arch: Architecture, data: LearningSet) -> float:
    """(b* − mean(ȳ))², a lower bound on ‖W* − Ŵ‖² for every stationary point Ŵ of Ĉ when
    g = identity: each BN output has mean 0 over the batch and the identity keeps it, so
    Σₘ f̂(x̄⁽ᵐ⁾) = M·b and ∂Ĉ/∂b = 2M(b − mean(ȳ)), zero only at b = mean(ȳ)."""
    if arch.activation != "identity":
        raise ValueError(f"activation {arch.activation!r}: the bound needs 'identity'")
    b_star = float(np.asarray(w_star, dtype=float)[-1])
    return (b_star - float(np.mean(data.numeric().y))) ** 2
