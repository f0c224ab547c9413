"""Automatic differentiation with JAX (CPU, 64-bit floats): gradients of the book's losses.

Used by the tests as the independent check of the exact gradients, and by the chapters that
train (learned γ and β, ReLU, deep networks). JAX is imported on first use.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from bnpaper.core import checks


@cache
def jax_x64() -> Any:
    """The ``jax`` module with 64-bit floats enabled (must happen before any array exists)."""
    import jax  # heavy (seconds): only the chapters and tests that differentiate need it

    jax.config.update("jax_enable_x64", True)
    jax.config.update("jax_platforms", "cpu")
    # XLA's compiled code is kept on disk between kernels (JAX's persistent compilation
    # cache): every chapter still runs all of its computations, but the second and later
    # runs skip recompiling the same programs. BNPAPER_JAX_CACHE="" turns it off.
    cache = os.environ.get("BNPAPER_JAX_CACHE", str(Path.home() / ".cache" / "bnpaper-jax"))
    if cache:
        jax.config.update("jax_compilation_cache_dir", cache)
        jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.0)
        jax.config.update("jax_persistent_cache_min_entry_size_bytes", 0)
    return jax


def gradient_of(loss: Callable[..., Any], *args: Any, **kwargs: Any
                ) -> Callable[[Any], np.ndarray]:
    """w ↦ ∇_w loss(w, *args, **kwargs) by reverse-mode autodiff, jit-compiled, in float64.

    ``loss`` is any function of :mod:`bnpaper.core.model` (or built from them); it is traced with
    jax.numpy as its namespace. Accepts w of shape (d,).
    """
    jax = jax_x64()
    g = jax.jit(jax.grad(lambda w: loss(w, *args, **kwargs)))

    def grad(w: Any) -> np.ndarray:
        w = checks.finite_array(w, "w")
        out = np.asarray(g(jax.numpy.asarray(w)))
        if not np.all(np.isfinite(out)):
            raise ValueError(f"w = {w.tolist()}: the gradient is not finite there (σ(w) = 0, so"
                             " BN divides by zero, or float64 overflows)")
        return out

    return grad


def gradient_vanishes(loss: Callable[..., Any], w: Any, *args: Any, atol: float = 1e-9,
                      **kwargs: Any) -> bool:
    """Whether ‖∇_w loss(w, *args)‖ ≤ atol, by automatic differentiation in float64."""
    if not atol > 0:
        raise ValueError(f"atol = {atol}; expected a positive tolerance")
    return bool(np.linalg.norm(gradient_of(loss, *args, **kwargs)(w)) <= atol)
