"""Input checks shared by every module: bad input gets a clear error, never a silent NaN."""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy as sp

from bnpaper.core.namespace import is_jax

SIGMA_RTOL = 1e-12
"""σ(w) below this fraction of max |z| counts as zero: the pre-activations are all equal
up to rounding, and (z − μ)/σ would be noise amplified to O(1)."""


NUMERIC_KINDS = "biuf"
"""numpy dtype kinds accepted as real numbers: bool, signed and unsigned integers, floats."""


def real_array(a: Any, name: str) -> np.ndarray:
    """``a`` as a numpy array of real numbers; TypeError naming ``name`` otherwise (a string,
    complex numbers, ``None``, a mapping …)."""
    try:
        arr = np.asarray(a)
    except (TypeError, ValueError) as err:  # e.g. a ragged nested list
        raise TypeError(f"{name} is not an array of real numbers ({err})") from None
    if arr.dtype.kind not in NUMERIC_KINDS:
        raise TypeError(f"{name} has type {type(a).__name__} (dtype {arr.dtype}); expected real"
                        " numbers (a float, an int or an array of them)")
    return arr


def finite_array(a: Any, name: str) -> np.ndarray:
    """``a`` as a float64 array; TypeError unless real numbers, ValueError if NaN or ±inf."""
    arr = real_array(a, name).astype(float)
    if not np.all(np.isfinite(arr)):
        bad = np.argwhere(~np.isfinite(arr))[0]
        raise ValueError(f"{name} has a non-finite entry at index {tuple(int(i) for i in bad)}:"
                         f" {arr[tuple(bad)]}; expected finite numbers")
    return arr


def finite_scalar(a: Any, name: str) -> float:
    """``a`` as a Python float; TypeError unless a real number, ValueError if NaN or ±inf."""
    arr = finite_array(a, name)
    if arr.ndim != 0:
        raise ValueError(f"{name} has shape {arr.shape}; expected a single number")
    return float(arr)


def check_eps(eps: Any) -> None:
    """Raise unless ε is a finite number ≥ 0 (or a sympy expression not known to be negative)."""
    if isinstance(eps, sp.Basic):
        if eps.has(sp.nan, sp.zoo, sp.oo, -sp.oo) or eps.is_negative:
            raise ValueError(f"eps = {eps}; expected ε ≥ 0 (finite)")
        return
    value = finite_scalar(eps, "eps")
    if value < 0:
        raise ValueError(f"eps = {value}; expected ε ≥ 0 (it is added to the variance)")


def check_affine(value: Any, name: str) -> None:
    """Raise unless γ or β (``name``) is finite real (numeric) or a finite sympy expression.

    JAX arrays and tracers (learned γ, β inside ``jax.grad``) are not inspected.
    """
    if is_jax(value):
        return
    if isinstance(value, sp.Basic) or (isinstance(value, np.ndarray) and value.dtype == object):
        if any(sp.sympify(v).has(sp.nan, sp.zoo, sp.oo, -sp.oo) for v in np.ravel(value)):
            raise ValueError(f"{name} = {value}; expected finite values")
        return
    finite_array(value, name)


def check_array_like(a: Any, name: str, expected: str) -> None:
    """TypeError naming ``name`` for a string, mapping, set or None where an array belongs."""
    if isinstance(a, (str, bytes, dict, set)) or a is None:
        raise TypeError(f"{name} has type {type(a).__name__}; expected {expected}")


def check_weights_shape(w: Any, d: int, name: str = "w") -> None:
    """Raise unless ``w`` has shape (..., d) (TypeError if ``w`` is not numbers at all)."""
    check_array_like(w, name, f"an array of shape (..., d) with d == {d}")
    try:
        shape = np.shape(w)
    except ValueError as err:  # a ragged nested list
        raise TypeError(f"{name} is not an array of shape (..., d) ({err})") from None
    if len(shape) == 0 or shape[-1] != d:
        raise ValueError(f"{name} has shape {shape}; expected (..., d) with d == {d}"
                         " (one weight per input feature)")


def check_learning_set(x: Any, y: Any) -> None:
    """Raise unless x has shape (M, d), y has shape (M,), and M >= 2."""
    check_array_like(x, "x", "an array of shape (M, d)")
    check_array_like(y, "y", "an array of shape (M,)")
    xs, ys = np.shape(x), np.shape(y)
    if len(xs) != 2:
        raise ValueError(f"x has shape {xs}; expected (M, d): one row per sample")
    if ys != (xs[0],):
        raise ValueError(f"y has shape {ys}; expected (M,) == ({xs[0]},), one label per row of x")
    if xs[0] < 2:
        raise ValueError(f"the batch has M = {xs[0]} sample(s); batch normalization needs M >= 2"
                         " (σ of a single sample is 0)")


def check_sigma(sigma: np.ndarray, z: np.ndarray) -> None:
    """Raise where σ(w) = 0, i.e. all pre-activations of the batch are equal."""
    scale = np.max(np.abs(z), axis=-1, keepdims=True)
    zero = sigma <= SIGMA_RTOL * scale
    if np.any(zero):
        idx = tuple(int(i) for i in np.argwhere(zero)[0][:-1])
        where = f" at grid index {idx}" if idx else ""
        raise ValueError(f"σ(w) = 0{where}: all pre-activations of the batch are equal "
                         f"(z = {np.round(z[idx], 12).tolist()}), so BN divides by zero. "
                         "Choose w with ⟨w, x̄⁽ⁱ⁾ − x̄⁽ʲ⁾⟩ ≠ 0 for some i, j (for example w ≠ 0),"
                         " or use eps > 0")


def finite_result(value: Any, what: str, inputs: str = "weights w and inputs x") -> Any:
    """``value`` unchanged if finite; else ValueError naming the ``inputs`` whose size made
    float64 overflow."""
    if not np.all(np.isfinite(value)):
        raise ValueError(f"{what} is not finite: float64 overflows for {inputs} this large"
                         " (squares beyond about 1e308); rescale them")
    return value


def quiet_overflow() -> Any:
    """A context where numpy does not warn on overflow: the caller checks its result with
    :func:`finite_result` and raises instead of warning."""
    return np.errstate(over="ignore", invalid="ignore")


