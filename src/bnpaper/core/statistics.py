"""Statistics of sampled checks: the confidence level, normal quantiles, Wilson intervals for a
share k/n (chapters *Where the lemma fails*, *How often, on random data*, *Deep and non-linear
networks*)."""

from __future__ import annotations

from statistics import NormalDist
from typing import Any

import numpy as np

CONFIDENCE = 0.95
"""Default level of the confidence intervals (here and in *How often, on random data*)."""


def z_value(level: float = CONFIDENCE) -> float:
    """The standard normal quantile z with P(|Z| ≤ z) = level (1.96 for 95 %)."""
    if not 0 < level < 1:
        raise ValueError(f"level = {level}; expected a probability in (0, 1)")
    return NormalDist().inv_cdf((1 + level) / 2)


def wilson_interval(successes: Any, trials: Any, level: float = CONFIDENCE) -> tuple[Any, Any]:
    """Wilson score interval for a binomial proportion k/n at confidence ``level``.

    Vectorized: counts of any (broadcastable) shapes give arrays of that shape; two scalar
    counts give two floats.
    """
    k, n = np.asarray(successes, dtype=float), np.asarray(trials, dtype=float)
    if np.any(n < 1) or np.any((k < 0) | (k > n)):
        raise ValueError(f"expected counts 0 ≤ k ≤ n and n ≥ 1 (k successes of n trials); "
                         f"got {successes} of {trials}")
    z = z_value(level)
    p = k / n
    denom = 1 + z**2 / n
    center = (p + z**2 / (2 * n)) / denom
    half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
    low, high = center - half, center + half
    return (float(low), float(high)) if low.ndim == 0 else (low, high)


def share_bound_text(successes: int, trials: int, level: float = CONFIDENCE) -> str:
    """``k of n`` with the Wilson upper bound on the share at ``level``, as the claims print a
    sampled count: ``"0 of 2072 (95 % upper bound on the share 1.8e-03)"``."""
    if trials == 0:  # nothing sampled: no share, so no bound (a claim's check then fails)
        return "0 of 0"
    _, high = wilson_interval(successes, trials, level)
    return f"{successes} of {trials} ({100 * level:.0f} % upper bound on the share {high:.1e})"
