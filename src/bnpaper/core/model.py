"""The neuron, batch normalization and the two losses C and Ĉ (chapter *Definitions*).

Each formula is written once, over the array namespace of the weights (see
:mod:`bnpaper.core.namespace`): sympy for exact derivations, numpy for vectorized numerics,
jax.numpy for automatic differentiation. Weights ``w`` have shape (..., d), so a whole grid
of weight vectors is evaluated in one call; the batch axis is the last axis of z.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import sympy as sp

from bnpaper.core import checks
from bnpaper.core.data import LearningSet
from bnpaper.core.namespace import SYMPY, convert, is_jax, namespace_of

BN_INPUTS = "weights w, inputs x, gamma and beta"
Activation = Literal["identity", "relu", "tanh"]
ACTIVATIONS: tuple[str, ...] = ("identity", "relu", "tanh")


def activate(z: Any, activation: Activation, xp: Any) -> Any:
    """The activation g applied elementwise: identity, ReLU g(z) = max(z, 0), or tanh."""
    if activation == "identity":
        return z
    if activation == "relu":
        return xp.maximum(z, 0)
    if activation == "tanh":
        return xp.tanh(z)
    raise ValueError(f"unknown activation {activation!r}; expected one of {ACTIVATIONS}")


def _prepare(w: Any, data: LearningSet) -> tuple[Any, Any, Any, Any]:
    """The namespace of ``w`` and w, x, y converted to it, with shapes and values checked."""
    if not isinstance(data, LearningSet):
        raise TypeError(f"data has type {type(data).__name__}; expected a LearningSet "
                        "(bnpaper.make_learning_set(x, y) makes one)")
    xp = namespace_of(w)
    if xp is np:
        checks.check_array_like(w, "w", f"an array of shape (..., d) with d == {data.d}")
        checks.real_array(w, "w")
    checks.check_weights_shape(w, data.d)
    if xp is np:
        w = checks.finite_array(w, "w")
    return xp, convert(w, xp), convert(data.x, xp), convert(data.y, xp)


def _finite(value: Any, what: str, inputs: str = "weights w and inputs x") -> Any:
    """``value``; on the numeric path, ValueError (naming the inputs) for an overflowed inf/NaN.

    The public functions compute under :func:`bnpaper.core.checks.quiet_overflow`, so an overflow
    is reported once, here, not as a RuntimeWarning.
    """
    if isinstance(value, (np.ndarray, np.floating, float)) and np.asarray(value).dtype.kind == "f":
        checks.finite_result(value, what, inputs)
    return value


def pre_activations(w: Any, x: Any) -> Any:
    """z_m = ⟨w, x̄⁽ᵐ⁾⟩ for every sample m. w: (..., d), x: (M, d) → z: (..., M)."""
    return w @ x.T


def batch_mean(z: Any, xp: Any) -> Any:
    """μ = (1/M) Σₘ z_m over the batch (last) axis, kept as an axis of length 1."""
    return xp.sum(z, axis=-1, keepdims=True) / z.shape[-1]


def batch_std(z: Any, xp: Any, eps: float = 0.0, center: bool = True) -> Any:
    """σ = √((1/M) Σₘ (z_m − μ)² + ε), the population deviation (μ := 0 if not ``center``).

    Raises ValueError on the numeric path where σ = 0 (all pre-activations equal), and for
    ε < 0 or a non-finite ε.
    """
    if not is_jax(eps):
        checks.check_eps(eps)
    c = z - batch_mean(z, xp) if center else z
    var = xp.sum(c * c, axis=-1, keepdims=True) / z.shape[-1]
    if eps:  # skipped for eps = 0, so the exact path stays free of floats
        # a sympy ε (a symbol or an exact number) is kept as it is; a float becomes exact
        exact_eps = eps if isinstance(eps, sp.Basic) else sp.Rational(eps)
        var = var + (exact_eps if xp is SYMPY else eps)
    sigma = xp.sqrt(var)
    if xp is np:
        checks.finite_result(sigma, "σ(w)")
        checks.check_sigma(sigma, c)
    elif xp is SYMPY and any(s == 0 for s in np.ravel(sigma)):
        raise ValueError("σ(w) = 0: all pre-activations of the batch are equal, "
                         "so BN divides by zero; choose w ≠ 0 or eps > 0")
    return sigma


def batch_normalize(z: Any, xp: Any, gamma: Any = 1, beta: Any = 0, eps: float = 0.0,
                    center: bool = True) -> Any:
    """ẑ_m = γ (z_m − μ)/σ + β over the batch axis (Ioffe & Szegedy 2015).

    ``center=False`` drops the mean subtraction (ẑ_m = γ z_m/σ + β with σ the root mean
    square), the variant *Where the original proof fails* uses to show what the mean
    subtraction changes.
    Raises ValueError for a non-finite γ or β.
    """
    checks.check_affine(gamma, "gamma")
    checks.check_affine(beta, "beta")
    c = z - batch_mean(z, xp) if center else z
    return gamma * c / batch_std(z, xp, eps, center) + beta


def standard_output(w: Any, data: LearningSet, activation: Activation = "identity") -> Any:
    """φ_w(x̄⁽ᵐ⁾) = g(⟨w, x̄⁽ᵐ⁾⟩) for every sample. Shape (..., M)."""
    with checks.quiet_overflow():
        xp, w, x, _ = _prepare(w, data)
        return _finite(activate(pre_activations(w, x), activation, xp), "φ_w(x̄)")


def bn_output(w: Any, data: LearningSet, gamma: Any = 1, beta: Any = 0, eps: float = 0.0,
              activation: Activation = "identity", center: bool = True) -> Any:
    """φ̂_w(x̄⁽ᵐ⁾) = g(BN(⟨w, x̄⁽ᵐ⁾⟩)) with the batch = the whole learning set. Shape (..., M)."""
    with checks.quiet_overflow():
        xp, w, x, _ = _prepare(w, data)
        out = activate(batch_normalize(pre_activations(w, x), xp, gamma, beta, eps, center),
                       activation, xp)
        return _finite(out, "φ̂_w(x̄)", BN_INPUTS)


def squared_error(out: Any, y: Any, xp: Any) -> Any:
    """Σᵢ (out_i − ȳ⁽ⁱ⁾)² over the batch (last) axis: the loss of outputs ``out`` (..., M)."""
    r = out - y
    return xp.sum(r * r, axis=-1)  # over a 1-d object array: the bare sympy expression


def standard_loss(w: Any, data: LearningSet, activation: Activation = "identity") -> Any:
    """C(w) = Σᵢ (φ_w(x̄⁽ⁱ⁾) − ȳ⁽ⁱ⁾)². w: (..., d) → (...)."""
    with checks.quiet_overflow():
        xp, _, _, y = _prepare(w, data)
        return _finite(squared_error(standard_output(w, data, activation), y, xp), "C(w)",
                       "weights w, inputs x and labels y")


def bn_loss(w: Any, data: LearningSet, gamma: Any = 1, beta: Any = 0, eps: float = 0.0,
            activation: Activation = "identity", center: bool = True) -> Any:
    """Ĉ(w) = Σᵢ (φ̂_w(x̄⁽ⁱ⁾) − ȳ⁽ⁱ⁾)², γ = 1 and β = 0 unless given. w: (..., d) → (...)."""
    with checks.quiet_overflow():
        xp, _, _, y = _prepare(w, data)
        out = bn_output(w, data, gamma, beta, eps, activation, center)
        return _finite(squared_error(out, y, xp), "Ĉ(w)", BN_INPUTS + " and labels y")
