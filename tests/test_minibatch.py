"""Mini-batches and ε (bnpaper.topics.minibatch): each exact result against independent numerics."""

import re

import matplotlib.pyplot as plt
import numpy as np
import pytest
import sympy as sp
from scipy.optimize import minimize

from bnpaper.core import autodiff, exact, least_squares, model
from bnpaper.core.data import make_learning_set
from bnpaper.paper import counterexample
from bnpaper.presentation import plots
from bnpaper.presentation.figures import minibatch as minibatch_figures
from bnpaper.topics.minibatch import epsilon, pairs

from .helpers import central_difference, random_weights, reference_bn_loss

W_STAR = np.array([1.0, 3.0])
PAIRS = [(0, 1), (0, 2), (1, 2)]


@pytest.fixture(scope="module")
def data(paper_numeric):
    """The paper's learning set in float64 (the session's ``paper_numeric``)."""
    return paper_numeric


def reference_pair_loss(w, data):
    """Ĉ₂ written out from the hand-written full-batch reference, pair by pair."""
    return np.mean([reference_bn_loss(w, data.x[list(p)], data.y[list(p)]) for p in PAIRS])


def reference_eps_loss(w, eps, data):
    """Ĉ_ε written out with np.var (population): not bnpaper's code."""
    z = data.x @ w
    return float(np.sum(((z - z.mean()) / np.sqrt(np.var(z) + eps) - data.y) ** 2))


# --------------------------------------------------------------------------- batch sizes


def test_batches_of_two_are_the_three_pairs():
    assert pairs.batches(3, 2) == tuple(PAIRS)


def test_batch_size_m_is_the_full_batch_loss(data):
    w = random_weights(10, seed=12)
    np.testing.assert_allclose(pairs.minibatch_loss(w, data, 3), model.bn_loss(w, data),
                               rtol=1e-14)


@pytest.mark.parametrize("size, match", [
    (1, "2 <= batch_size <= M = 3"), (4, "2 <= batch_size <= M = 3"), (0, "2 <= batch_size"),
    (2.0, "not an integer"), ("2", "not an integer"), (True, "not an integer"),
])
def test_bad_batch_size_raises_a_clear_error(data, size, match):
    with pytest.raises(ValueError, match=match):
        pairs.minibatch_loss(W_STAR, data, size)


def test_numpy_integer_batch_size_is_accepted(data):
    assert pairs.minibatch_loss(W_STAR, data, np.int64(2)) == pytest.approx(
        reference_pair_loss(W_STAR, data), rel=1e-14)


# --------------------------------------------------------------------------- batches of two


def test_pair_loss_matches_a_hand_written_average_over_pairs(data):
    for w in random_weights(30, seed=13):
        assert pairs.minibatch_loss(w, data, 2) == pytest.approx(reference_pair_loss(w, data),
                                                                     rel=1e-12)


def test_bn_of_a_pair_outputs_the_sign_of_the_difference(paper_set, data):
    assert pairs.pair_sign_defect(paper_set) == [0] * 6
    for w in random_weights(30, seed=14):
        for i, j in PAIRS:
            out = model.bn_output(w, data.subset([i, j]))
            s = np.sign(data.x[i] @ w - data.x[j] @ w)
            np.testing.assert_allclose(out, [s, -s], atol=1e-12)


def test_bn_of_a_pair_ignores_the_size_of_w(data):
    for w in random_weights(10, seed=15):
        for c in (1e-3, 1.0, 1e3):
            assert pairs.minibatch_loss(c * w, data, 2) == pytest.approx(
                pairs.minibatch_loss(w, data, 2), rel=1e-13)


def test_pair_loss_has_zero_gradient_off_the_sigma_zero_lines(data):
    grad = autodiff.gradient_of(pairs.minibatch_loss, data, 2)
    f = lambda v: pairs.minibatch_loss(v, data, 2)  # noqa: E731
    x, y = np.asarray(data.x, float), np.asarray(data.y, float)
    for w in random_weights(20, seed=16):
        # The exact gradient is 0; autodiff's terms ∂(z − μ)/σ cancel only to rounding, which
        # scales with ‖x‖/σ_B(w) and the labels: a bound for any correct kernel, not this CPU's
        sigma = min(abs(x[i] @ w - x[j] @ w) / 2 for i, j in PAIRS)
        noise = 64 * np.finfo(float).eps * np.abs(y).sum() * np.abs(x).max() / sigma
        np.testing.assert_allclose(grad(w), 0, atol=noise)
        np.testing.assert_allclose(central_difference(f, w, h=1e-7), 0, atol=1e-6)


@pytest.mark.parametrize("w, pair", [((1.0, 0.0), "(0, 1)"), ((2.0, -1.0), "(0, 2)"),
                                     ((1.0, -1.0), "(1, 2)")])
def test_sigma_zero_lines_raise_a_clear_error_naming_the_batch(paper_set, data, w, pair):
    with pytest.raises(ValueError, match=re.escape(f"mini-batch {pair}: σ(w) = 0")):
        pairs.minibatch_loss(np.array(w), data, 2)
    with pytest.raises(ValueError, match="σ = 0 line"):
        pairs.cone_containing(pairs.pair_cones(paper_set), w)


def test_cone_values_match_the_sign_rule_and_random_points_inside(paper_set, data):
    rng = np.random.default_rng(17)
    cones = pairs.pair_cones(paper_set)
    assert len(cones) == 6
    assert len({s.order for s in cones}) == 6, "each cone is one ordering of z"
    for s in cones:
        rep = np.asarray(s.representative, dtype=float)
        z = data.x @ rep
        by_hand = np.mean([(np.sign(z[i] - z[j]) - data.y[i]) ** 2
                           + (np.sign(z[j] - z[i]) - data.y[j]) ** 2 for i, j in PAIRS])
        assert float(s.value) == pytest.approx(by_hand, rel=1e-14)
        lo, hi = (np.asarray(v, float) / np.linalg.norm(np.asarray(v, float)) for v in (s.lo, s.hi))
        for a in rng.uniform(0.01, 0.99, size=5):
            w = (a * lo + (1 - a) * hi) * rng.uniform(0.1, 10)
            assert s.contains(w)
            assert pairs.minibatch_loss(w, data, 2) == pytest.approx(float(s.value), rel=1e-12)


def test_w_star_lies_in_the_cone_of_least_pair_loss_where_z_is_ordered_like_y(paper_set, data):
    cones = pairs.pair_cones(paper_set)
    best = min(cones, key=lambda s: s.value)
    assert pairs.cone_containing(cones, (1, 3)) == best
    assert best.order == tuple(int(k) for k in np.argsort(data.y))
    grid = np.stack(np.meshgrid(np.linspace(-5, 5, 61) + 0.013, np.linspace(-5, 5, 61) + 0.007),
                    axis=-1)
    assert pairs.minibatch_loss(grid, data, 2).min() == pytest.approx(float(best.value))


# --------------------------------------------------------------------------- ε > 0


def test_eps_loss_matches_a_hand_written_implementation(data):
    for w in random_weights(10, seed=18):
        for eps in (1e-5, 1.0):
            assert model.bn_loss(w, data, eps=eps) == pytest.approx(
                reference_eps_loss(w, eps, data), rel=1e-12)


def test_eps_loss_is_not_scale_invariant_but_rescaling_w_rescales_eps(paper_set, data):
    assert epsilon.scale_defect(paper_set) == 0
    for w in random_weights(10, seed=19):
        for c in (0.1, 3.0):
            assert model.bn_loss(c * w, data, eps=1.0) == pytest.approx(
                model.bn_loss(w, data, eps=1.0 / c**2), rel=1e-12)
            assert abs(model.bn_loss(c * w, data, eps=1.0) - model.bn_loss(w, data, eps=1.0)) > 1e-3


def test_eps_loss_tends_to_the_eps_zero_loss_as_w_grows(data):
    for w in random_weights(10, seed=20):
        gaps = [abs(model.bn_loss(c * w, data, eps=1.0) - model.bn_loss(w, data))
                for c in (1e2, 1e4, 1e6)]
        assert gaps[0] > gaps[1] > gaps[2] and gaps[2] < 1e-7


def test_eps_loss_at_zero_is_the_squared_norm_of_the_labels(data):
    assert model.bn_loss(np.zeros(2), data, eps=1.0) == pytest.approx(data.y @ data.y, rel=1e-15)


def test_bn_with_eps_is_the_shrink_factor_times_bn_without(data):
    w = random_weights(10, seed=21)
    t = epsilon.shrink_factor(w, data, 0.5)
    assert np.all((t > 0) & (t < 1))
    np.testing.assert_allclose(model.bn_output(w, data, eps=0.5),
                               t[:, None] * model.bn_output(w, data), rtol=1e-13)


@pytest.mark.parametrize("eps", [epsilon.PYTORCH_EPS, sp.Rational(1, 10), sp.Integer(1),
                                 sp.Integer(10)])
def test_exact_eps_gradient_at_w_star_matches_jax_and_is_not_zero(paper_set, data, eps):
    loss = exact.loss_expr(model.bn_loss, paper_set, eps=eps)
    grad = exact.to_floats(exact.at(exact.gradient(loss), (1, 3)))
    auto = autodiff.gradient_of(model.bn_loss, data, eps=float(eps))
    np.testing.assert_allclose(grad, auto(W_STAR), atol=1e-12)
    fd = central_difference(lambda w: reference_eps_loss(w, float(eps), data), W_STAR)
    np.testing.assert_allclose(grad, fd, atol=1e-8)
    assert np.hypot(*grad) > 0.01


def test_best_gamma_is_the_root_mean_explained_sum_of_squares(paper_set, data):
    design = np.column_stack([data.x, np.ones(data.M)])
    fit = design @ np.linalg.lstsq(design, data.y, rcond=None)[0]
    explained = np.sum((fit - data.y.mean()) ** 2)
    assert float(epsilon.best_gamma(paper_set)) == pytest.approx(np.sqrt(explained / data.M),
                                                               rel=1e-14)


def test_eps_loss_has_no_minimum_its_infimum_is_the_eps_zero_minimum(paper_set, data):
    result = epsilon.eps_minimum(paper_set, 1)
    assert not result.exists and result.point is None
    ray_min = next(r.value for r in counterexample.bn_stationary_rays(paper_set)
                   if r.kind == "minimum")
    assert sp.simplify(result.infimum - ray_min) == 0
    path = epsilon.descent(paper_set, W_STAR, 1.0, steps=3000, lr=0.1)
    norms = np.linalg.norm(path, axis=1)
    losses = model.bn_loss(path, data, eps=1.0)
    assert np.all(np.diff(norms) > 0), "‖w‖ grows at every step"
    assert np.all(np.diff(losses) < 0) and np.all(losses > float(result.infimum))
    grid = np.stack(np.meshgrid(np.linspace(-30, 30, 301), np.linspace(-30, 30, 301)), axis=-1)
    assert model.bn_loss(grid, data, eps=1.0).min() > float(result.infimum)


def test_eps_minimum_for_small_labels_matches_numerical_optimization(paper_set):
    small = epsilon.scaled_labels(paper_set, sp.Rational(1, 10))
    num = small.numeric()
    for eps in (sp.Rational(1, 10), sp.Integer(1)):
        result = epsilon.eps_minimum(small, eps)
        assert result.exists
        point = np.array(exact.to_floats(result.point))
        for w0 in ([1.0, 3.0], [-2.0, 1.0], [0.5, -0.5]):
            res = minimize(lambda w, e=float(eps): model.bn_loss(w, num, eps=e), x0=w0,
                           method="BFGS", options={"gtol": 1e-11})
            np.testing.assert_allclose(res.x, point, atol=1e-5)
            assert res.fun == pytest.approx(float(result.infimum), abs=1e-10)


def test_eps_gradient_at_zero_is_minus_two_centred_inputs_times_labels_over_root_eps(data):
    xc = data.x - data.x.mean(axis=0)
    for eps in (0.25, 1.0):
        np.testing.assert_allclose(autodiff.gradient_of(model.bn_loss, data, eps=eps)(np.zeros(2)),
                                   -2 * xc.T @ data.y / np.sqrt(eps), rtol=1e-12)


def test_pairs_with_eps_stay_above_the_best_cone_value_and_approach_it_far_out(paper_set, data):
    best = float(min(s.value for s in pairs.pair_cones(paper_set)))
    grid = np.stack(np.meshgrid(np.linspace(-40, 40, 201), np.linspace(-40, 40, 201)), axis=-1)
    assert pairs.minibatch_loss(grid, data, 2, eps=1.0).min() > best
    far = [pairs.minibatch_loss(r * W_STAR, data, 2, eps=1.0) - best for r in (1, 1e2, 1e4)]
    assert far[0] > far[1] > far[2] > 0 and far[2] < 1e-6


def test_eps_minimum_rejects_non_positive_eps(paper_set):
    with pytest.raises(ValueError, match="eps > 0"):
        epsilon.eps_minimum(paper_set, 0)


def test_pairs_with_eps_have_a_nonzero_gradient_at_w_star_that_pushes_w_outward(paper_set, data):
    eps = epsilon.PYTORCH_EPS
    losses = [exact.loss_expr(model.bn_loss, paper_set.subset(p), eps=eps) for p in PAIRS]
    grad = exact.to_floats(exact.at(exact.gradient(sum(losses) / 3), (1, 3)))
    jax_grad = autodiff.gradient_of(pairs.minibatch_loss, data, 2, eps=float(eps))(W_STAR)
    np.testing.assert_allclose(grad, jax_grad, rtol=1e-9)
    assert np.hypot(*grad) > 0 and np.dot(grad, W_STAR) < 0


def test_descent_rejects_bad_input(paper_set):
    with pytest.raises(ValueError, match="finite weights"):
        epsilon.descent(paper_set, [1.0, np.inf], 1.0)
    with pytest.raises(ValueError, match="positive integer"):
        epsilon.descent(paper_set, [1.0, 3.0], 1.0, steps=0)
    with pytest.raises(ValueError, match="2 <= batch_size"):
        epsilon.descent(paper_set, [1.0, 3.0], 1.0, batch_size=1)


def test_cones_need_two_dimensional_inputs():
    with pytest.raises(ValueError, match="d = 2"):
        pairs.pair_cones(make_learning_set([[1, 0, 0], [0, 1, 0], [0, 0, 1]], [1, 2, 3]))


# --------------------------------------------------------------------------- corrected statements


def test_descent_direction_of_pairs_with_eps_at_w_star_is_not_parallel_to_w_star(paper_set, data):
    """Regression: a descent step on Ĉ_{2,ε} at W* *does* turn w (−∇ is not parallel to W*)."""
    grad = epsilon.pairs_eps_gradient(paper_set, (1, 3), epsilon.PYTORCH_EPS)
    cross = sp.radsimp(1 * grad[1] - 3 * grad[0])  # W* × ∇Ĉ_{2,ε}(W*)
    assert sp.N(cross, 30) != 0 and float(cross) > 0  # −∇ is clockwise of W*: it turns w clockwise
    assert float(-(1 * grad[0] + 3 * grad[1])) > 0  # and has an outward component
    jax_grad = autodiff.gradient_of(pairs.minibatch_loss, data, 2, eps=1e-5)(W_STAR)
    np.testing.assert_allclose(exact.to_floats(grad), jax_grad, rtol=1e-9)


def test_eps_loss_falls_strictly_along_the_ray_of_minima_towards_the_eps_zero_minimum(
        paper_set, data):
    ray = epsilon.ray_descent(paper_set, epsilon.PYTORCH_EPS)
    assert ray.direction == (5, 3) and ray.stationary_radii == () and ray.strictly_decreasing
    c_hat_min = next(r.value for r in counterexample.bn_stationary_rays(paper_set)
                     if r.kind == "minimum")
    assert sp.simplify(ray.limit - c_hat_min) == 0
    # independently, in floats: sampled values fall and stay above the limit
    v = np.array([5.0, 3.0]) / np.hypot(5, 3)
    radii = np.geomspace(1e-4, 1e4, 300)
    values = np.array([reference_eps_loss(r * v, 1e-5, data) for r in radii])
    assert np.all(np.diff(values) < 0) and np.all(values > float(c_hat_min))


def test_ray_descent_finds_the_minimizer_when_gamma_bar_is_below_one(paper_set):
    small = epsilon.scaled_labels(paper_set, sp.Rational(1, 10))
    ray = epsilon.ray_descent(small, epsilon.PYTORCH_EPS)
    point = epsilon.eps_minimum(small, epsilon.PYTORCH_EPS).point
    assert len(ray.stationary_radii) == 1 and not ray.strictly_decreasing
    assert sp.simplify(ray.stationary_radii[0] - sp.sqrt(sum(c**2 for c in point))) == 0


def test_no_disc_holds_a_minimizer_of_the_eps_loss_on_the_paper_set_but_one_does_for_small_labels(
        paper_set):
    assert [r for r, _ in epsilon.disc_minima(paper_set, 1e-5)] == [1.0, 10.0, 100.0]
    small = epsilon.scaled_labels(paper_set, sp.Rational(1, 10))
    assert all(r < 1.0 for r, _ in epsilon.disc_minima(small, 1e-5))


def test_no_minimum_check_is_true_on_the_paper_set_and_false_when_a_minimum_exists(paper_set):
    assert epsilon.no_minimum_check(paper_set, epsilon.PYTORCH_EPS).holds
    small = epsilon.scaled_labels(paper_set, sp.Rational(1, 10))
    check = epsilon.no_minimum_check(small, epsilon.PYTORCH_EPS)
    assert not check.holds and not check.on_boundary


def test_eps_minimum_checks_the_propositions_hypotheses():
    collinear = make_learning_set([[1, 2], [2, 4], [3, 6]], [1, 2, 4])  # X_c of rank 1
    with pytest.raises(ValueError, match="rank 1 < d = 2"):
        epsilon.eps_minimum(collinear, 1)
    constant = make_learning_set([[1, 1], [1, 2], [2, 3]], [4, 4, 4])  # X_cᵀȳ = 0
    with pytest.raises(ValueError, match="X_cᵀȳ = 0"):
        epsilon.eps_minimum(constant, 1)


def test_small_labels_lemma_fails_at_their_w_star_because_the_single_minimizer_is_elsewhere(
        paper_set):
    small = epsilon.scaled_labels(paper_set, sp.Rational(1, 10))
    point = epsilon.eps_minimum(small, 1).point
    w_star = least_squares.standard_optimum(small)
    gap = sum((a - b) ** 2 for a, b in zip(point, w_star, strict=True))
    assert float(gap) > 0.1  # lhs = ‖W* − Ŵ*‖² > 0 = rhs at W₀ = W*


@pytest.mark.parametrize("kwargs, match", [
    ({"eps": 0.0}, "eps > 0"), ({"eps": 1e-5, "radii": (1.0, -1.0)}, "radii"),
    ({"eps": 1e-5, "n_angles": 2}, "at least 4"),
])
def test_disc_minima_rejects_bad_input(paper_set, kwargs, match):
    with pytest.raises(ValueError, match=match):
        epsilon.disc_minima(paper_set, **kwargs)


def test_ray_descent_rejects_non_positive_eps(paper_set):
    with pytest.raises(ValueError, match="eps > 0"):
        epsilon.ray_descent(paper_set, 0)


# --------------------------------------------------------------------------- figures


def test_figures_are_column_wide_with_titles_labels_and_legends(paper_set):
    cones = pairs.pair_cones(paper_set)
    path = epsilon.descent(paper_set, W_STAR, 1.0, steps=5, lr=0.1)
    figs = [minibatch_figures.pairs_figure(paper_set, cones, (1, 3), (5, 3)),
            minibatch_figures.eps_figure(paper_set, [1e-5, 1.0], (5, 3), 187.0, path, 1.0)]
    for fig in figs:
        assert fig.get_figwidth() * plots.SCREEN_DPI == pytest.approx(plots.COLUMN_PX)
        axes = [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]
        assert all(ax.get_title() and ax.get_xlabel() and ax.get_ylabel() for ax in axes)
        assert all(ax.get_legend() for ax in axes)
        plt.close(fig)
    labels = [t.get_text() for t in figs[0].axes[0].texts]
    assert sorted(labels) == sorted(str(c.value) for c in cones), "each cone's value printed"
    legend = [t.get_text() for t in figs[1].axes[0].get_legend().get_texts()]
    assert r"$\varepsilon = 10^{-5}$" in legend and r"$\varepsilon = 1$" in legend


def test_no_minimum_check_names_which_part_fails(paper_set):
    """Followed along another ray than the ε = 0 minima's, Ĉ_ε tends to a larger value."""
    check = epsilon.no_minimum_check(paper_set, epsilon.PYTORCH_EPS, direction=(1, 3))
    assert check.ray.direction == (1, 3) and not check.tends_to_minimum and not check.holds
    assert check.on_boundary  # the discs do not depend on the ray


def test_pair_sign_defect_uses_the_pair_output_it_is_given(paper_set):
    halved = lambda data, i, j: tuple(v / 2 for v in pairs.pair_output_expr(data, i, j))  # noqa: E731
    assert any(d != 0 for d in pairs.pair_sign_defect(paper_set, halved))
