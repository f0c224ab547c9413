"""The core's statistics of sampled checks: Wilson intervals and the counts the claims print."""

import numpy as np
import pytest
from scipy import stats  # a declared test dependency: an independent Wilson interval

from bnpaper.core import statistics


def test_wilson_interval_agrees_with_scipy():
    for k, n in [(0, 10), (3, 10), (306_794, 1_000_000), (50, 50)]:
        ci = stats.binomtest(k, n).proportion_ci(0.95, method="wilson")
        np.testing.assert_allclose(statistics.wilson_interval(k, n), (ci.low, ci.high),
                                   atol=1e-12)


def test_wilson_interval_refuses_impossible_counts_and_levels():
    with pytest.raises(ValueError, match="successes"):
        statistics.wilson_interval(5, 3)
    with pytest.raises(ValueError, match="level"):
        statistics.wilson_interval(1, 3, level=1.5)


def test_a_sampled_count_is_printed_with_its_upper_bound():
    high = stats.binomtest(0, 2072).proportion_ci(0.95, method="wilson").high
    assert statistics.share_bound_text(0, 2072) == \
        f"0 of 2072 (95 % upper bound on the share {high:.1e})"
    assert statistics.share_bound_text(0, 0) == "0 of 0"
