"""Array namespaces: one formula serves exact sympy, numpy and jax.numpy.

Every formula of the book (chapter *Definitions*) is written once, over a namespace
``xp`` that supplies ``sum``, ``sqrt``, ``maximum``, ``tanh`` and ``where``. Which namespace a
call uses is decided by the weights it is given:

- a sympy expression or a numpy array of ``dtype=object`` → :data:`SYMPY` (exact rationals
  and radicals, for derivations);
- a JAX array or tracer → ``jax.numpy`` (automatic differentiation, jit);
- anything else → ``numpy`` with ``float64`` (vectorized numerics: grids, sweeps).
"""

from __future__ import annotations

import math
from types import SimpleNamespace
from typing import Any

import numpy as np
import sympy as sp


def _sqrt(a: Any) -> np.ndarray:
    return np.vectorize(sp.sqrt, otypes=[object])(a)


def _maximum(a: Any, b: Any) -> np.ndarray:
    return np.vectorize(sp.Max, otypes=[object])(a, b)


def _tanh(a: Any) -> np.ndarray:
    return np.vectorize(sp.tanh, otypes=[object])(a)


SYMPY = SimpleNamespace(
    name="sympy",
    sum=np.sum,  # np.add.reduce on an object array adds the sympy expressions exactly
    sqrt=_sqrt,  # elementwise over object arrays of sympy expressions
    maximum=_maximum,
    tanh=_tanh,
    where=np.where,  # truth values of sympy booleans, as numpy reads them
)
"""The exact namespace: numpy object arrays whose entries are sympy expressions."""


def is_jax(a: Any) -> bool:
    """True for a JAX array or tracer (checked by module name, so JAX is imported lazily)."""
    return type(a).__module__.split(".")[0] in ("jax", "jaxlib")


def is_exact(a: Any) -> bool:
    """True for a sympy expression or a numpy object array (the exact path)."""
    if isinstance(a, sp.Basic):
        return True
    if isinstance(a, np.ndarray):
        return a.dtype == object
    if isinstance(a, (list, tuple)):
        return any(is_exact(v) for v in a)
    return False


def namespace_of(w: Any) -> Any:
    """The namespace for weights ``w``: SYMPY, jax.numpy or numpy (see the module docstring)."""
    if is_jax(w):
        import jax.numpy as jnp  # JAX is heavy; w is a JAX array, so it is loaded already

        return jnp
    if is_exact(w):
        return SYMPY
    return np


def _exact_number(v: Any) -> Any:
    if isinstance(v, float):
        if not math.isfinite(v):
            raise ValueError(f"to_exact got {v}; exact arithmetic needs finite numbers")
        return sp.Rational(v)
    return sp.sympify(v)


def to_exact(a: Any) -> np.ndarray:
    """An object array of exact sympy numbers (floats become the rationals they store).

    Raises ValueError for NaN or ±inf.
    """
    return np.vectorize(_exact_number, otypes=[object])(np.asarray(a, dtype=object))


def convert(a: Any, xp: Any) -> Any:
    """``a`` as an array of namespace ``xp``: exact objects, jax arrays or float64 numpy."""
    if xp is SYMPY:
        return to_exact(a)
    if xp is np:
        return np.asarray(a, dtype=float)
    return xp.asarray(np.asarray(a, dtype=float)) if not is_jax(a) else a

