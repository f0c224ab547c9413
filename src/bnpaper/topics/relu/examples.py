"""A small teacher set the ReLU chapter makes itself (chapter *ReLU*): labels a BN-ReLU
neuron fits exactly."""

from __future__ import annotations

import numpy as np
import sympy as sp

from bnpaper.core import model
from bnpaper.core.data import LearningSet
from bnpaper.core.namespace import to_exact


def teacher_set(seed: int = 0, m: int = 6, teacher: tuple[int, int] = (1, -2),
                low: int = -3, high: int = 3) -> LearningSet:
    """M = m integer inputs drawn with ``np.random.default_rng(seed)`` and labels a BN-ReLU
    neuron fits exactly: ȳ⁽ⁱ⁾ = ReLU(BN(⟨v, x̄⁽ⁱ⁾⟩)), v = ``teacher``. Exact entries."""
    if m < 3:
        raise ValueError(f"m = {m}; expected m >= 3 samples")
    if low >= high:
        raise ValueError(f"low = {low} >= high = {high}; expected an interval of integers")
    x = np.random.default_rng(seed).integers(low, high + 1, size=(m, 2))
    if np.linalg.matrix_rank(x - x.mean(axis=0)) < 2:
        raise ValueError(f"seed {seed}: the centred inputs do not span the plane; pick another")
    inputs = LearningSet(to_exact(x), to_exact(np.zeros(m, dtype=int)))
    labels = model.bn_output(to_exact(teacher), inputs, activation="relu")
    return LearningSet(inputs.x, np.array([sp.radsimp(v) for v in labels], dtype=object))

