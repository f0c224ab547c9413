"""Learning sets: the container every formula takes (the counterexample's own set is
:func:`bnpaper.paper.counterexample.counterexample_set`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from bnpaper.core import checks
from bnpaper.core.namespace import is_jax, to_exact


@dataclass(frozen=True)
class LearningSet:
    """Inputs x̄⁽ᵐ⁾ (rows of ``x``, shape (M, d)) and labels ȳ⁽ᵐ⁾ (``y``, shape (M,)).

    Entries may be floats (numeric) or sympy numbers (exact); :meth:`exact` and
    :meth:`numeric` convert.
    """

    x: np.ndarray
    y: np.ndarray

    def __post_init__(self) -> None:
        checks.check_learning_set(self.x, self.y)
        # JAX tracers (a set built inside jit/vmap) hold no values to check yet; their
        # concrete arrays are checked where they are made, before tracing.
        if not (_is_object(self.x) or _is_object(self.y) or is_jax(self.x) or is_jax(self.y)):
            checks.finite_array(self.x, "x")
            checks.finite_array(self.y, "y")

    @property
    def M(self) -> int:  # noqa: N802 - the paper's name for the batch size
        """Number of samples M."""
        return int(np.shape(self.x)[0])

    @property
    def d(self) -> int:
        """Number of input features d."""
        return int(np.shape(self.x)[1])

    def exact(self) -> LearningSet:
        """The same set with exact sympy entries (made once per set, then kept)."""
        return self._kept("exact", lambda: LearningSet(to_exact(self.x), to_exact(self.y)))

    def numeric(self) -> LearningSet:
        """The same set as float64 arrays (made once per set, then kept, read-only)."""
        return self._kept("numeric", lambda: LearningSet(_frozen(self.x, float),
                                                         _frozen(self.y, float)))

    def centered(self) -> tuple[np.ndarray, np.ndarray]:
        """(Xc, yc) = (X − 1x̄ᵀ, y − ȳ1): exact for an exact set, else float64 (made once per
        set, then kept, read-only), so the functions a set passes through do not centre it
        again and again."""
        def make() -> tuple[np.ndarray, np.ndarray]:
            x, y = (np.asarray(a) for a in (self.x, self.y))
            if not (_is_object(x) or _is_object(y)):
                x, y = x.astype(float), y.astype(float)
            xc, yc = x - x.sum(axis=0) / self.M, y - y.sum() / self.M
            return _frozen(xc), _frozen(yc)
        return self._kept("centered", make)

    def _kept(self, name: str, make: Any) -> Any:
        # A frozen set's derived forms never change: keep each in the instance's own
        # dictionary (dataclass(frozen=True) forbids attribute assignment, not this).
        kept = self.__dict__.setdefault("_derived", {})
        if name not in kept:
            kept[name] = make()
        return kept[name]

    def with_intercept(self) -> LearningSet:
        """The inputs with a constant feature 1 appended (x̄ ↦ (x̄, 1)): a bias as a weight."""
        ones = to_exact([[1]] * self.M) if _is_object(self.x) else np.ones((self.M, 1))
        return LearningSet(np.hstack([np.asarray(self.x), ones]), self.y)

    def subset(self, rows: Any) -> LearningSet:
        """The samples with the given row indices (a mini-batch)."""
        rows = list(rows)
        return LearningSet(np.asarray(self.x)[rows], np.asarray(self.y)[rows])


def _frozen(a: Any, dtype: Any = None) -> np.ndarray:
    """A read-only copy of ``a`` (as ``dtype``): a kept form cannot be changed by a caller."""
    out = np.array(a, dtype=dtype)
    out.setflags(write=False)
    return out


def _is_object(a: Any) -> bool:
    return isinstance(a, np.ndarray) and a.dtype == object


def make_learning_set(x: Any, y: Any) -> LearningSet:
    """A numeric learning set from nested sequences, with shapes and values checked (an exact
    one if either holds sympy numbers)."""
    xs, ys = _array(x, "x", "(M, d)"), _array(y, "y", "(M,)")
    if xs.dtype == object or ys.dtype == object:
        return LearningSet(_exact(xs, "x"), _exact(ys, "y"))
    return LearningSet(checks.finite_array(xs, "x"), checks.finite_array(ys, "y"))


def _array(a: Any, name: str, shape: str) -> np.ndarray:
    checks.check_array_like(a, name, f"an array of shape {shape}")
    try:
        return np.asarray(a)
    except ValueError as err:  # a ragged nested list
        raise TypeError(f"{name} is not an array of shape {shape} ({err})") from None


def _exact(a: np.ndarray, name: str) -> np.ndarray:
    try:
        out = to_exact(a)
    except (TypeError, ValueError, sp.SympifyError) as err:
        raise TypeError(f"{name} holds something that is not a number ({err})") from None
    if not all(isinstance(v, sp.Expr) for v in out.ravel()):
        raise TypeError(f"{name} holds something that is not a number: {a.ravel().tolist()}")
    return out
