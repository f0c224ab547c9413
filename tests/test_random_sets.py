"""Monte Carlo over random learning sets (chapter *How often, on random data*): the closed
form against independent integration and simulation, and the sampler's stated distribution."""

import json
import re
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest

from bnpaper.core import autodiff, geometry, least_squares, model
from bnpaper.core.data import LearningSet
from bnpaper.paper import lemma
from bnpaper.presentation import plots
from bnpaper.presentation.figures import random_sets as figures
from bnpaper.presentation.reports import random_sets as reports
from bnpaper.topics import random_sets


def share_by_angular_integration(alpha, n=400_000):
    """Lemma 4.5's failure share among ⟨W₀, u⟩ > 0, by evaluating the lemma on a fine
    grid of directions in the plane (no closed form)."""
    theta = (np.arange(n) + 0.5) * 2 * np.pi / n
    w0 = np.stack([np.cos(theta), np.sin(theta)], axis=-1)
    u, v = np.array([1.0, 0.0]), np.array([np.cos(alpha), np.sin(alpha)])
    check = lemma.check_lemma(w0, u, v)
    covered = w0 @ u > 0
    return np.sum(covered & (check.lhs > check.rhs)) / np.sum(covered)


@pytest.mark.parametrize("alpha", [1e-3, 0.3, 1.0, 2.0, 3.0, np.pi - 1e-3])
def test_admissible_share_equals_angular_integration_in_the_plane(alpha):
    assert random_sets.admissible_share(alpha) == pytest.approx(
        share_by_angular_integration(alpha), abs=1e-4)


def test_share_is_zero_when_w_star_lies_on_the_bn_ray_and_above_one_half_otherwise():
    assert random_sets.admissible_share(0.0) == 0
    assert np.all(random_sets.admissible_share(np.linspace(1e-6, np.pi, 50)) > 0.5)


def assert_share_matches_the_closed_form(w0, w_star, v_hat):
    """The share of admissible W₀ (⟨W₀, W*⟩ > 0) that violate the lemma is the closed-form
    failure fraction of the angle between W* and v̂, within 4 binomial standard deviations."""
    check = lemma.check_lemma(w0, w_star, v_hat)
    covered = w0 @ w_star > 0
    k, n = np.sum(covered & (check.lhs > check.rhs)), np.sum(covered)
    p = random_sets.admissible_share(geometry.angle(w_star, v_hat))
    assert abs(k - n * p) / np.sqrt(n * p * (1 - p)) < 4


@pytest.mark.parametrize("d", [2, 3, 5, 8])
def test_monte_carlo_share_matches_the_closed_form_in_every_dimension(d):
    rng = np.random.default_rng(d)
    w_star, v_hat = rng.normal(size=(2, d))
    w0 = rng.normal(size=(400_000, d))
    assert_share_matches_the_closed_form(w0, w_star, v_hat)


def test_pooled_z_is_small_for_the_right_formula_and_large_for_a_wrong_one():
    cell = random_sets.analyse_cell(3, 10, 200, 2000, seed=1)
    assert abs(random_sets.pooled_z(cell)) < 4
    wrong = random_sets.SizeCell(cell.d, cell.m, cell.alpha / 2, cell.rho,
                                 cell.covered, cell.fails, cell.excess)
    assert abs(random_sets.pooled_z(wrong)) > 10
    assert abs(random_sets.pooled_z(cell, lambda a: random_sets.admissible_share(a / 2))) > 10


def test_sampler_is_seeded_and_follows_the_stated_distribution():
    dist = random_sets.SetDistribution(input_mean=2.0, slope_std=1.0, offset=-1.5, noise=0.3)
    x, y = random_sets.sample_sets(4000, 50, 3, seed=7, dist=dist)
    again = random_sets.sample_sets(4000, 50, 3, seed=7, dist=dist)
    np.testing.assert_array_equal(x, again[0])
    assert x.mean() == pytest.approx(2.0, abs=0.01) and x.std() == pytest.approx(1.0, abs=0.01)
    # per set: an OLS fit with intercept recovers offset and noise level
    ones = np.ones((50, 1))
    fits = [np.linalg.lstsq(np.hstack([xi, ones]), yi, rcond=None) for xi, yi in zip(x, y,
                                                                                    strict=True)]
    assert np.mean([f[0][-1] for f in fits]) == pytest.approx(-1.5, abs=0.02)
    assert np.sqrt(np.mean([f[1][0] / 46 for f in fits])) == pytest.approx(0.3, abs=0.005)


def test_w_star_is_off_the_minima_by_a_margin_and_rho_matches_autodiff():
    cell = random_sets.analyse_cell(2, 5, 300, 10, seed=3)
    assert np.all(cell.rho > 1e-6) and np.median(np.degrees(cell.alpha)) > 5
    x, y = random_sets.sample_sets(300, 5, 2, seed=3)
    w_star, _ = least_squares.slopes(x, y)
    for i in range(0, 300, 60):
        data = LearningSet(x[i], y[i])
        grad = autodiff.gradient_of(model.bn_loss, data)(w_star[i])
        yc = y[i] - y[i].mean()
        rho = np.linalg.norm(w_star[i]) * np.linalg.norm(grad) / (2 * np.sqrt(5)
                                                                     * np.linalg.norm(yc))
        assert rho == pytest.approx(cell.rho[i], rel=1e-9)


@pytest.mark.parametrize(("d", "m"), [(3, 3), (5, 3), (5, 5), (8, 4)])
def test_with_m_le_d_w_star_is_stationary_and_the_lemma_never_fails(d, m):
    cell = random_sets.analyse_cell(d, m, 40, 500, seed=d + m)
    assert cell.underdetermined
    # W* is stationary: ρ is rounding, which grows with the conditioning of X (W* = X⁺y
    # carries a relative error of about ε·κ(X), and ρ measures Ĉ's gradient there against
    # the scale of X and y: about ε·κ(X)²). A bound for any correct kernel, not this
    # machine's last bits: one set here has κ(X) ≈ 1e5 and ρ ≈ 2e-7 on an AMD EPYC.
    x, _ = random_sets.sample_sets(40, m, d, seed=d + m)
    rounding = 8 * m * np.finfo(float).eps * np.linalg.cond(x) ** 2
    assert np.all(cell.rho < rounding), (cell.rho / rounding).max()
    assert cell.fails.sum() == 0 and cell.covered.sum() > 0
    with pytest.raises(ValueError, match="no z-score"):
        random_sets.pooled_z(cell)


def test_m_le_d_distance_and_closest_w_star_match_an_independent_recount():
    """Brute force: the closest interpolant by lstsq, the distance by a search over t and
    the null space coordinates (scipy), the lemma evaluated directly."""
    from scipy.optimize import minimize

    d, m, seed = 4, 3, 11
    x, y = random_sets.sample_sets(2, m, d, seed=seed)
    xc, yc = least_squares.centered(x, y)
    w0 = np.random.default_rng((seed, 1)).normal(size=(2, 50, d))
    lhs = random_sets.distance_sq_to_minima(w0, xc, yc)
    for s in range(2):
        v = np.linalg.lstsq(xc[s], yc[s], rcond=None)[0]
        null = np.linalg.svd(xc[s])[2][m - 1:]  # ker Xc, dimension d − (M − 1)
        for k in range(5):
            p = w0[s, k]

            def dist_sq(z, p=p, v=v, null=null):
                return np.sum((p - np.exp(z[0]) * v - z[1:] @ null) ** 2)

            best = min(minimize(dist_sq, np.r_[t, np.zeros(len(null))]).fun
                       for t in (-5.0, 0.0, 2.0))
            assert lhs[s, k] == pytest.approx(best, abs=1e-6)
            w_star = p + np.linalg.lstsq(x[s], y[s] - x[s] @ p, rcond=None)[0]
            np.testing.assert_allclose(x[s] @ w_star, y[s], atol=1e-10)
            if p @ w_star > 0:  # the lemma's hypothesis
                assert lemma.lemma_rhs(p, w_star) >= lhs[s, k] - 1e-9


def test_monte_carlo_counts_match_a_per_set_recount():
    cell = random_sets.analyse_cell(2, 10, 5, 500, seed=4)
    x, y = random_sets.sample_sets(5, 10, 2, seed=4)
    w_star, v_hat = least_squares.slopes(x, y)
    w0 = np.random.default_rng((4, 1)).normal(size=(5, 500, 2))
    for i in range(5):
        fails = [p @ w_star[i] > 0 and not lemma.check_lemma(p, w_star[i], v_hat[i]).holds
                 for p in w0[i]]
        assert cell.fails[i] == sum(fails)


def test_sweep_includes_m_le_d_and_summaries_have_fixed_formats():
    over, under = random_sets.split_grid((2, 3, 5), (3, 5, 10, 50))
    assert under == [(3, 3), (5, 3), (5, 5)] and len(over) == 9
    cells = random_sets.sweep(ds=(2, 3), ms=(3, 10), n_sets=20, n_init=100, seed=0)
    assert [(c.d, c.m) for c in cells] == [(2, 3), (2, 10), (3, 10), (3, 3)]
    table = reports.summary_markdown(cells)
    assert table.count("\n") == 2 + len(cells)
    assert "| (2, 3) | 0 of 20 |" in table
    assert "| (3, 3), M ≤ d | 20 of 20 | all < 1e-07 | not a ray | 0 of " in table
    header = table.splitlines()[0].strip("|").split("|")
    # accessibility: every header cell has words, not only math (which may read as empty)
    assert all(re.search(r"[A-Za-z]", re.sub(r"\$[^$]*\$", "", c)) for c in header)


def test_invalid_sizes_and_angles_raise():
    with pytest.raises(ValueError, match="M = 2: with M ≤ d"):
        random_sets.analyse_cell(3, 2, 5, 10, seed=0)
    with pytest.raises(ValueError, match="M = 1"):
        random_sets.sample_sets(5, 1, 1, seed=0)
    with pytest.raises(ValueError, match="n_sets = 0"):
        random_sets.sample_sets(0, 5, 2, seed=0)
    with pytest.raises(ValueError, match="d = 2.5"):
        random_sets.sample_sets(3, 5, 2.5, seed=0)
    with pytest.raises(ValueError, match="0 ≤ α ≤ π"):
        random_sets.admissible_share(-0.1)


def test_violations_are_at_most_four_sin_half_alpha_times_the_squared_norm():
    rng = np.random.default_rng(5)
    for alpha in (1e-3, 0.1, 1.0, 2.5):
        u, v = np.array([1.0, 0.0, 0.0]), np.array([np.cos(alpha), np.sin(alpha), 0.0])
        w0 = rng.normal(size=(20_000, 3))
        check = lemma.check_lemma(w0, u, v)
        excess = (check.lhs - check.rhs) / np.sum(w0 * w0, axis=1)
        covered = w0 @ u > 0
        assert excess[covered].max() <= 4 * np.sin(alpha / 2) + 1e-12


@pytest.mark.parametrize("d", [2, 3, 6])
def test_share_holds_for_any_rotation_invariant_law_not_only_gaussian(d):
    """The proof's argument: only the (uniform) direction of W₀ matters, so a heavy-tailed
    radius with a uniform direction gives the same share as a Gaussian."""
    rng = np.random.default_rng(10 + d)
    w_star, v_hat = rng.normal(size=(2, d))
    direction = rng.normal(size=(300_000, d))
    direction /= np.linalg.norm(direction, axis=1, keepdims=True)
    w0 = direction * rng.standard_cauchy(size=(300_000, 1)) ** 2  # any radius law
    assert_share_matches_the_closed_form(w0, w_star, v_hat)


def test_random_chapter_proof_uses_the_uniform_direction_and_includes_m_le_d():
    nb = json.loads((Path(__file__).resolve().parents[1] / "book/random_learning_sets.ipynb")
                    .read_text())
    text = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert "*The direction is uniform.*" in text and "The case $\\alpha = \\pi$" in text
    assert "need not be unique" in text  # said only to reject it as the reason
    assert "the conclusion reverses" in text.lower() or "conclusion reverses" in text


def test_random_bias_sets_make_w_star_a_bn_minimum_and_dropping_the_bias_breaks_it():
    x, y = random_sets.sample_sets(40, 7, 2, seed=3)
    check = random_sets.random_bias_check(x, y, n_init=400, seed=3)
    assert check.n_sets == 40 and check.max_rho < 1e-9
    assert check.fails == 0 and check.covered > 0
    assert check.sets_failing_without_bias == check.n_sets
    with pytest.raises(ValueError, match="M ≥ d \\+ 2"):
        random_sets.random_bias_check(*random_sets.sample_sets(5, 3, 2, seed=0))


def test_random_bias_check_uses_the_steps_it_is_given():
    x, y = random_sets.sample_sets(10, 7, 2, seed=3)
    far = random_sets.Steps(distance_sq=lambda w0, xc, yc: np.sum(w0 * w0, axis=-1) * 2)
    assert random_sets.random_bias_check(x, y, n_init=100, steps=far).fails > 0


def test_figures_have_titles_labels_and_legends():
    cells = random_sets.sweep(ds=(2, 3), ms=(3, 10), n_sets=20, n_init=100, seed=0)
    for fig in (figures.angle_figure(cells), figures.fraction_figure(cells)):
        for ax in fig.axes:
            assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
            assert ax.get_legend() is not None
        assert fig.get_size_inches()[0] == plots.figure_size()[0]  # the column's width
        plt.close(fig)
    assert len(figures.angle_figure(cells).axes[0].get_xticklabels()) == 3  # M ≥ d + 1 only
    plt.close("all")


# --------------------------------------------------------------------------- quantiles


def test_binomial_cdf_matches_the_sum_of_the_probabilities():
    from math import comb
    for n, p in ((10, 0.3), (100, 0.05), (300, 0.05)):
        cdf = random_sets.binomial_cdf(n, p)
        assert cdf.shape == (n + 1,) and cdf[-1] == pytest.approx(1, abs=1e-12)
        for k in (0, 1, 5, n // 2):
            exact = sum(comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(k + 1))
            assert cdf[k] == pytest.approx(exact, rel=1e-10)


def test_quantile_interval_uses_the_binomial_order_statistics():
    # n = 100, q = 5 %: P(B ≤ 0) = 0.006 ≤ 0.025 < P(B ≤ 1) = 0.037, so l = 1; P(B ≥ 11) =
    # 0.011 ≤ 0.025 < P(B ≥ 10) = 0.028, so u = 11
    est = random_sets.quantile_interval(np.arange(100, 0, -1.0))
    assert (est.n, est.estimate, est.low, est.high) == (100, 5.0, 1.0, 11.0)
    few = random_sets.quantile_interval([3.0, 1.0, 2.0])  # too few draws for a lower bound
    assert few.low == -np.inf and few.high == 2.0  # P(B ≥ 2) = 0.007: u = 2
    with pytest.raises(ValueError, match="0 < q < 1"):
        random_sets.quantile_interval([1.0, 2.0], q=1.0)


def test_quantile_interval_covers_the_true_quantile_at_least_at_its_level():
    """Distribution-free: exponential draws, whose 5 % quantile is −log(0.95)."""
    rng = np.random.default_rng(3)
    true = -np.log(0.95)
    hits = [(e.low <= true <= e.high)
            for e in (random_sets.quantile_interval(rng.exponential(size=300))
                      for _ in range(2000))]
    # coverage ≥ 95 % by construction; 2000 repetitions: 3 standard errors ≈ 1.5 %
    assert np.mean(hits) > 0.95 - 0.015


def test_summaries_carry_the_low_quantiles_of_rho_and_alpha_for_m_above_d():
    cells = random_sets.sweep(ds=(2, 3), ms=(3, 10), n_sets=100, n_init=50, seed=0)
    s = [random_sets.summarize(c) for c in cells]
    over = [x for x, c in zip(s, cells, strict=True) if not c.underdetermined]
    for x, c in zip(over, cells, strict=False):
        assert x.rho_quantile.n == 100 and x.rho_quantile.q == random_sets.QUANTILE
        assert x.rho_quantile.low <= x.rho_quantile.estimate <= x.rho_quantile.high
        assert x.rho_quantile.low == c.rho.min()  # n = 100: l = 1, the smallest
        assert x.alpha_quantile.estimate == pytest.approx(
            np.sort(np.degrees(c.alpha))[4])  # ⌈100 · 0.05⌉ = 5th smallest
    assert s[-1].rho_quantile is None and s[-1].alpha_quantile is None


def test_without_a_label_offset_noisy_labels_keep_w_star_off_the_bn_minima():
    """The referee's counterexample to 'labels without offset make W* a BN minimum': d = 3,
    M = 10, x ~ N(1, I), y = ⟨b, x⟩ + 0.5ε; only noise-free labels give r̄ = 0."""
    no_offset = random_sets.SetDistribution(offset=0.0)
    alpha = np.degrees(random_sets.sample_angles(1000, 10, 3, seed=0, dist=no_offset))
    assert 3 < np.median(alpha) < 5
    exact = random_sets.SetDistribution(offset=0.0, noise=0.0)
    assert np.degrees(random_sets.sample_angles(100, 10, 3, 0, exact)).max() < 1e-4


def test_book_random_1_states_its_sample_size_and_sizes():
    from bnpaper.claims import random_sets as claims
    claim = claims.claims(claims.Inputs(n_sets=120))[0]
    assert claim.key == "book-random-1" and claim.holds
    assert "120 sets per size (d, M) = (2, 3), (2, 10), (5, 10)" in claim.statement
    assert "5 % quantile of ρ" in claim.statement and "95 % confidence" in claim.statement
