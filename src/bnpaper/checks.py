"""Input checks shared by every module: bad input gets a clear error, never a silent NaN."""

from __future__ import annotations

from typing import Any

import numpy as np

SIGMA_RTOL = 1e-12
"""σ(w) below this fraction of max |z| counts as zero: the pre-activations are all equal
up to rounding, and (z − μ)/σ would be noise amplified to O(1)."""


def finite_array(a: Any, name: str) -> np.ndarray:
    """``a`` as a float64 array; raises if it holds NaN or ±inf."""
    arr = np.asarray(a, dtype=float)
    if not np.all(np.isfinite(arr)):
        bad = np.argwhere(~np.isfinite(arr))[0]
        raise ValueError(f"{name} has a non-finite entry at index {tuple(int(i) for i in bad)}:"
                         f" {arr[tuple(bad)]}; expected finite numbers")
    return arr


def check_weights_shape(w: Any, d: int, name: str = "w") -> None:
    """Raise unless ``w`` has shape (..., d)."""
    shape = np.shape(w)
    if len(shape) == 0 or shape[-1] != d:
        raise ValueError(f"{name} has shape {shape}; expected (..., d) with d == {d}"
                         " (one weight per input feature)")


def check_learning_set(x: Any, y: Any) -> None:
    """Raise unless x has shape (M, d), y has shape (M,), and M >= 2."""
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
