"""Mini-batches and ε (bnpaper.minibatch): each exact result against an independent method."""

import re

import numpy as np
import pytest
import sympy as sp
from scipy.optimize import minimize

from bnpaper.core import autodiff, exact, least_squares, model
from bnpaper.core.data import make_learning_set
from bnpaper.paper import counterexample
from bnpaper.paper.counterexample import counterexample_set
from bnpaper.topics import minibatch

from .helpers import central_difference, random_weights, reference_bn_loss

EXACT = counterexample_set()
DATA = EXACT.numeric()
W_STAR = np.array([1.0, 3.0])
PAIRS = [(0, 1), (0, 2), (1, 2)]


def reference_pair_loss(w):
    """Ĉ₂ written out from the hand-written full-batch reference, pair by pair."""
    return np.mean([reference_bn_loss(w, DATA.x[list(p)], DATA.y[list(p)]) for p in PAIRS])


def reference_eps_loss(w, eps):
    z = DATA.x @ w
    return float(np.sum(((z - z.mean()) / np.sqrt(np.var(z) + eps) - DATA.y) ** 2))


# --------------------------------------------------------------------------- batch sizes


def test_batches_of_two_are_the_three_pairs():
    assert minibatch.batches(3, 2) == tuple(PAIRS)


def test_batch_size_m_is_the_full_batch_loss():
    w = random_weights(10, seed=12)
    np.testing.assert_allclose(minibatch.minibatch_loss(w, DATA, 3), model.bn_loss(w, DATA),
                               rtol=1e-14)


@pytest.mark.parametrize("size, match", [
    (1, "2 <= batch_size <= M = 3"), (4, "2 <= batch_size <= M = 3"), (0, "2 <= batch_size"),
    (2.0, "not an integer"), ("2", "not an integer"), (True, "not an integer"),
])
def test_bad_batch_size_raises_a_clear_error(size, match):
    with pytest.raises(ValueError, match=match):
        minibatch.minibatch_loss(W_STAR, DATA, size)


def test_numpy_integer_batch_size_is_accepted():
    assert minibatch.minibatch_loss(W_STAR, DATA, np.int64(2)) == pytest.approx(
        reference_pair_loss(W_STAR), rel=1e-14)


# --------------------------------------------------------------------------- batches of two


def test_pair_loss_matches_a_hand_written_average_over_pairs():
    for w in random_weights(30, seed=13):
        assert minibatch.minibatch_loss(w, DATA, 2) == pytest.approx(reference_pair_loss(w),
                                                                     rel=1e-12)


def test_bn_of_a_pair_outputs_the_sign_of_the_difference():
    assert minibatch.pair_sign_defect(EXACT) == [0] * 6
    for w in random_weights(30, seed=14):
        for i, j in PAIRS:
            out = model.bn_output(w, DATA.subset([i, j]))
            s = np.sign(DATA.x[i] @ w - DATA.x[j] @ w)
            np.testing.assert_allclose(out, [s, -s], atol=1e-12)


def test_bn_of_a_pair_ignores_the_size_of_w():
    for w in random_weights(10, seed=15):
        for c in (1e-3, 1.0, 1e3):
            assert minibatch.minibatch_loss(c * w, DATA, 2) == pytest.approx(
                minibatch.minibatch_loss(w, DATA, 2), rel=1e-13)


def test_pair_loss_has_zero_gradient_off_the_sigma_zero_lines():
    grad = autodiff.gradient(minibatch.minibatch_loss, DATA, 2)
    f = lambda v: minibatch.minibatch_loss(v, DATA, 2)  # noqa: E731
    for w in random_weights(20, seed=16):
        np.testing.assert_allclose(grad(w), 0, atol=1e-12)
        np.testing.assert_allclose(central_difference(f, w, h=1e-7), 0, atol=1e-6)


@pytest.mark.parametrize("w, pair", [((1.0, 0.0), "(0, 1)"), ((2.0, -1.0), "(0, 2)"),
                                     ((1.0, -1.0), "(1, 2)")])
def test_sigma_zero_lines_raise_a_clear_error_naming_the_batch(w, pair):
    with pytest.raises(ValueError, match=re.escape(f"mini-batch {pair}: σ(w) = 0")):
        minibatch.minibatch_loss(np.array(w), DATA, 2)
    with pytest.raises(ValueError, match="σ = 0 line"):
        minibatch.sector_containing(minibatch.pair_sectors(EXACT), w)


def test_sector_values_match_the_sign_rule_and_random_points_inside():
    rng = np.random.default_rng(17)
    sectors = minibatch.pair_sectors(EXACT)
    assert len(sectors) == 6
    assert len({s.order for s in sectors}) == 6, "each cone is one ordering of z"
    for s in sectors:
        rep = np.asarray(s.representative, dtype=float)
        z = DATA.x @ rep
        by_hand = np.mean([(np.sign(z[i] - z[j]) - DATA.y[i]) ** 2
                           + (np.sign(z[j] - z[i]) - DATA.y[j]) ** 2 for i, j in PAIRS])
        assert float(s.value) == pytest.approx(by_hand, rel=1e-14)
        lo, hi = (np.asarray(v, float) / np.linalg.norm(np.asarray(v, float)) for v in (s.lo, s.hi))
        for a in rng.uniform(0.01, 0.99, size=5):
            w = (a * lo + (1 - a) * hi) * rng.uniform(0.1, 10)
            assert s.contains(w)
            assert minibatch.minibatch_loss(w, DATA, 2) == pytest.approx(float(s.value), rel=1e-12)


def test_w_star_lies_in_the_cone_of_least_pair_loss_where_z_is_ordered_like_y():
    sectors = minibatch.pair_sectors(EXACT)
    best = min(sectors, key=lambda s: s.value)
    assert minibatch.sector_containing(sectors, (1, 3)) == best
    assert best.order == tuple(int(k) for k in np.argsort(DATA.y))
    grid = np.stack(np.meshgrid(np.linspace(-5, 5, 61) + 0.013, np.linspace(-5, 5, 61) + 0.007),
                    axis=-1)
    assert minibatch.minibatch_loss(grid, DATA, 2).min() == pytest.approx(float(best.value))


# --------------------------------------------------------------------------- ε > 0


def test_eps_loss_matches_a_hand_written_implementation():
    for w in random_weights(10, seed=18):
        for eps in (1e-5, 1.0):
            assert model.bn_loss(w, DATA, eps=eps) == pytest.approx(reference_eps_loss(w, eps),
                                                                    rel=1e-12)


def test_eps_loss_is_not_scale_invariant_but_rescaling_w_rescales_eps():
    assert minibatch.scale_defect(EXACT) == 0
    for w in random_weights(10, seed=19):
        for c in (0.1, 3.0):
            assert model.bn_loss(c * w, DATA, eps=1.0) == pytest.approx(
                model.bn_loss(w, DATA, eps=1.0 / c**2), rel=1e-12)
            assert abs(model.bn_loss(c * w, DATA, eps=1.0) - model.bn_loss(w, DATA, eps=1.0)) > 1e-3


def test_eps_loss_tends_to_the_eps_zero_loss_as_w_grows():
    for w in random_weights(10, seed=20):
        gaps = [abs(model.bn_loss(c * w, DATA, eps=1.0) - model.bn_loss(w, DATA))
                for c in (1e2, 1e4, 1e6)]
        assert gaps[0] > gaps[1] > gaps[2] and gaps[2] < 1e-7


def test_eps_loss_at_zero_is_the_squared_norm_of_the_labels():
    assert model.bn_loss(np.zeros(2), DATA, eps=1.0) == pytest.approx(DATA.y @ DATA.y, rel=1e-15)


def test_bn_with_eps_is_the_shrink_factor_times_bn_without():
    w = random_weights(10, seed=21)
    t = minibatch.shrink_factor(w, DATA, 0.5)
    assert np.all((t > 0) & (t < 1))
    np.testing.assert_allclose(model.bn_output(w, DATA, eps=0.5),
                               t[:, None] * model.bn_output(w, DATA), rtol=1e-13)


@pytest.mark.parametrize("eps", [minibatch.PYTORCH_EPS, sp.Rational(1, 10), sp.Integer(1),
                                 sp.Integer(10)])
def test_exact_eps_gradient_at_w_star_matches_jax_and_is_not_zero(eps):
    grad = exact.to_floats(exact.at(exact.gradient(exact.loss_expr(model.bn_loss, EXACT, eps=eps)),
                                    (1, 3)))
    np.testing.assert_allclose(grad, autodiff.gradient(model.bn_loss, DATA, eps=float(eps))(W_STAR),
                               atol=1e-12)
    fd = central_difference(lambda w: reference_eps_loss(w, float(eps)), W_STAR)
    np.testing.assert_allclose(grad, fd, atol=1e-8)
    assert np.hypot(*grad) > 0.01


def test_best_gamma_is_the_root_mean_explained_sum_of_squares():
    design = np.column_stack([DATA.x, np.ones(DATA.M)])
    fit = design @ np.linalg.lstsq(design, DATA.y, rcond=None)[0]
    explained = np.sum((fit - DATA.y.mean()) ** 2)
    assert float(minibatch.best_gamma(EXACT)) == pytest.approx(np.sqrt(explained / DATA.M),
                                                               rel=1e-14)


def test_eps_loss_has_no_minimum_its_infimum_is_the_eps_zero_minimum():
    result = minibatch.eps_minimum(EXACT, 1)
    assert not result.exists and result.point is None
    ray_min = next(r.value for r in counterexample.bn_stationary_rays(EXACT) if r.kind == "minimum")
    assert sp.simplify(result.infimum - ray_min) == 0
    path = minibatch.descent(EXACT, W_STAR, 1.0, steps=3000, lr=0.1)
    norms = np.linalg.norm(path, axis=1)
    losses = model.bn_loss(path, DATA, eps=1.0)
    assert np.all(np.diff(norms) > 0), "‖w‖ grows at every step"
    assert np.all(np.diff(losses) < 0) and np.all(losses > float(result.infimum))
    grid = np.stack(np.meshgrid(np.linspace(-30, 30, 301), np.linspace(-30, 30, 301)), axis=-1)
    assert model.bn_loss(grid, DATA, eps=1.0).min() > float(result.infimum)


def test_eps_minimum_for_small_labels_matches_numerical_optimization():
    small = minibatch.scaled_labels(EXACT, sp.Rational(1, 10))
    num = small.numeric()
    for eps in (sp.Rational(1, 10), sp.Integer(1)):
        result = minibatch.eps_minimum(small, eps)
        assert result.exists
        point = np.array(exact.to_floats(result.point))
        for w0 in ([1.0, 3.0], [-2.0, 1.0], [0.5, -0.5]):
            res = minimize(lambda w, e=float(eps): model.bn_loss(w, num, eps=e), x0=w0,
                           method="BFGS", options={"gtol": 1e-11})
            np.testing.assert_allclose(res.x, point, atol=1e-5)
            assert res.fun == pytest.approx(float(result.infimum), abs=1e-10)


def test_eps_gradient_at_zero_is_minus_two_centred_inputs_times_labels_over_root_eps():
    xc = DATA.x - DATA.x.mean(axis=0)
    for eps in (0.25, 1.0):
        np.testing.assert_allclose(autodiff.gradient(model.bn_loss, DATA, eps=eps)(np.zeros(2)),
                                   -2 * xc.T @ DATA.y / np.sqrt(eps), rtol=1e-12)


def test_pairs_with_eps_stay_above_the_best_cone_value_and_approach_it_far_out():
    best = float(min(s.value for s in minibatch.pair_sectors(EXACT)))
    grid = np.stack(np.meshgrid(np.linspace(-40, 40, 201), np.linspace(-40, 40, 201)), axis=-1)
    assert minibatch.minibatch_loss(grid, DATA, 2, eps=1.0).min() > best
    far = [minibatch.minibatch_loss(r * W_STAR, DATA, 2, eps=1.0) - best for r in (1, 1e2, 1e4)]
    assert far[0] > far[1] > far[2] > 0 and far[2] < 1e-6


def test_eps_minimum_rejects_non_positive_eps():
    with pytest.raises(ValueError, match="eps > 0"):
        minibatch.eps_minimum(EXACT, 0)


def test_pairs_with_eps_have_a_nonzero_gradient_at_w_star_that_pushes_w_outward():
    eps = minibatch.PYTORCH_EPS
    pairs = [exact.loss_expr(model.bn_loss, EXACT.subset(p), eps=eps) for p in PAIRS]
    grad = exact.to_floats(exact.at(exact.gradient(sum(pairs) / 3), (1, 3)))
    jax_grad = autodiff.gradient(minibatch.minibatch_loss, DATA, 2, eps=float(eps))(W_STAR)
    np.testing.assert_allclose(grad, jax_grad, rtol=1e-9)
    assert np.hypot(*grad) > 0 and np.dot(grad, W_STAR) < 0


def test_descent_rejects_bad_input():
    with pytest.raises(ValueError, match="finite weights"):
        minibatch.descent(EXACT, [1.0, np.inf], 1.0)
    with pytest.raises(ValueError, match="positive integer"):
        minibatch.descent(EXACT, [1.0, 3.0], 1.0, steps=0)
    with pytest.raises(ValueError, match="2 <= batch_size"):
        minibatch.descent(EXACT, [1.0, 3.0], 1.0, batch_size=1)


def test_sectors_need_two_dimensional_inputs():
    with pytest.raises(ValueError, match="d = 2"):
        minibatch.pair_sectors(make_learning_set([[1, 0, 0], [0, 1, 0], [0, 0, 1]], [1, 2, 3]))


def test_claims_hold():
    assert all(c.holds for c in minibatch.claims())


# --------------------------------------------------------------------------- corrected statements


def test_descent_direction_of_pairs_with_eps_at_w_star_is_not_parallel_to_w_star():
    """Regression: a descent step on Ĉ_{2,ε} at W* *does* turn w (−∇ is not parallel to W*)."""
    grad = minibatch.pairs_eps_gradient(EXACT, (1, 3), minibatch.PYTORCH_EPS)
    cross = sp.radsimp(1 * grad[1] - 3 * grad[0])  # W* × ∇Ĉ_{2,ε}(W*)
    assert sp.N(cross, 30) != 0 and float(cross) > 0  # −∇ is clockwise of W*: it turns w clockwise
    assert float(-(1 * grad[0] + 3 * grad[1])) > 0  # and has an outward component
    jax_grad = autodiff.gradient(minibatch.minibatch_loss, DATA, 2, eps=1e-5)(W_STAR)
    np.testing.assert_allclose(exact.to_floats(grad), jax_grad, rtol=1e-9)


def test_eps_loss_falls_strictly_along_the_ray_of_minima_towards_the_eps_zero_minimum():
    ray = minibatch.ray_descent(EXACT, minibatch.PYTORCH_EPS)
    assert ray.direction == (5, 3) and ray.stationary_radii == () and ray.strictly_decreasing
    c_hat_min = next(r.value for r in counterexample.bn_stationary_rays(EXACT)
                     if r.kind == "minimum")
    assert sp.simplify(ray.limit - c_hat_min) == 0
    # independently, in floats: sampled values fall and stay above the limit
    v = np.array([5.0, 3.0]) / np.hypot(5, 3)
    radii = np.geomspace(1e-4, 1e4, 300)
    values = np.array([reference_eps_loss(r * v, 1e-5) for r in radii])
    assert np.all(np.diff(values) < 0) and np.all(values > float(c_hat_min))


def test_ray_descent_finds_the_minimizer_when_gamma_bar_is_below_one():
    small = minibatch.scaled_labels(EXACT, sp.Rational(1, 10))
    ray = minibatch.ray_descent(small, minibatch.PYTORCH_EPS)
    point = minibatch.eps_minimum(small, minibatch.PYTORCH_EPS).point
    assert len(ray.stationary_radii) == 1 and not ray.strictly_decreasing
    assert sp.simplify(ray.stationary_radii[0] - sp.sqrt(sum(c**2 for c in point))) == 0


def test_no_disc_holds_a_minimizer_of_the_eps_loss_on_the_paper_set_but_one_does_for_small_labels():
    assert [r for r, _ in minibatch.disc_minima(EXACT, 1e-5)] == [1.0, 10.0, 100.0]
    small = minibatch.scaled_labels(EXACT, sp.Rational(1, 10))
    assert all(r < 1.0 for r, _ in minibatch.disc_minima(small, 1e-5))


def test_no_minimum_check_is_true_on_the_paper_set_and_false_when_a_minimum_exists():
    assert minibatch.no_minimum_check(EXACT, minibatch.PYTORCH_EPS).holds
    small = minibatch.scaled_labels(EXACT, sp.Rational(1, 10))
    check = minibatch.no_minimum_check(small, minibatch.PYTORCH_EPS)
    assert not check.holds and not check.on_boundary


def test_eps_minimum_checks_the_propositions_hypotheses():
    collinear = make_learning_set([[1, 2], [2, 4], [3, 6]], [1, 2, 4])  # X_c of rank 1
    with pytest.raises(ValueError, match="rank 1 < d = 2"):
        minibatch.eps_minimum(collinear, 1)
    constant = make_learning_set([[1, 1], [1, 2], [2, 3]], [4, 4, 4])  # X_cᵀȳ = 0
    with pytest.raises(ValueError, match="X_cᵀȳ = 0"):
        minibatch.eps_minimum(constant, 1)


def test_small_labels_lemma_fails_at_their_w_star_because_the_single_minimizer_is_elsewhere():
    small = minibatch.scaled_labels(EXACT, sp.Rational(1, 10))
    point = minibatch.eps_minimum(small, 1).point
    w_star = least_squares.standard_optimum(small)
    gap = sum((a - b) ** 2 for a, b in zip(point, w_star, strict=True))
    assert float(gap) > 0.1  # lhs = ‖W* − Ŵ*‖² > 0 = rhs at W₀ = W*


@pytest.mark.parametrize("kwargs, match", [
    ({"eps": 0.0}, "eps > 0"), ({"eps": 1e-5, "radii": (1.0, -1.0)}, "radii"),
    ({"eps": 1e-5, "n_angles": 2}, "at least 4"),
])
def test_disc_minima_rejects_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        minibatch.disc_minima(EXACT, **kwargs)


def test_ray_descent_rejects_non_positive_eps():
    with pytest.raises(ValueError, match="eps > 0"):
        minibatch.ray_descent(EXACT, 0)
