"""Each exact result of chapter 4 against an independent numeric method."""

import numpy as np
import pytest
import sympy as sp

from bnpaper.core import autodiff, exact, least_squares, model
from bnpaper.core.data import make_learning_set
from bnpaper.core.namespace import to_exact
from bnpaper.paper import counterexample, lemma
from bnpaper.paper import facts as paper
from bnpaper.paper.counterexample import counterexample_set

from .helpers import central_difference, random_weights, reference_bn_loss

EXACT = counterexample_set()
DATA = EXACT.numeric()


def test_recovered_labels_make_the_published_w_star_the_least_squares_fit():
    w_star, *_ = np.linalg.lstsq(DATA.x, DATA.y, rcond=None)
    np.testing.assert_allclose(w_star, paper.W_STAR, atol=1e-12)


def test_recovered_labels_make_the_published_line_stationary_for_bn():
    a, b = paper.BN_MINIMA_LINE
    f = lambda w: reference_bn_loss(w, DATA.x, DATA.y)  # noqa: E731
    for t in (0.5, 1.0, 7.0):
        np.testing.assert_allclose(central_difference(f, t * np.array([-b, a], float)), 0,
                                   atol=1e-8)


def test_recovered_labels_are_the_only_ones():
    # Linear system of the two facts: X^T y = X^T X W* and J(v)^T y = 0 (3 equations, 3 labels).
    x = DATA.x
    v = np.array([5.0, 3.0])
    jac = np.array([central_difference(lambda w, i=i: model.bn_output(w, DATA)[i], v)
                    for i in range(3)])
    system = np.vstack([x.T, jac[:, 0]])
    assert np.linalg.matrix_rank(system) == 3
    rhs = np.concatenate([x.T @ x @ np.array(paper.W_STAR, float), [0.0]])
    np.testing.assert_allclose(np.linalg.solve(system, rhs), DATA.y, atol=1e-6)


def test_standard_optimum_is_the_published_w_star():
    assert least_squares.standard_optimum(EXACT) == tuple(sp.Integer(v) for v in paper.W_STAR)


def test_exact_gradient_at_w_star_matches_finite_differences_and_jax():
    grad = np.array(exact.to_floats(counterexample.bn_gradient_at(EXACT, paper.W_STAR)))
    w = np.array(paper.W_STAR, float)
    fd = central_difference(lambda v: reference_bn_loss(v, DATA.x, DATA.y), w)
    np.testing.assert_allclose(grad, fd, atol=1e-9)
    np.testing.assert_allclose(grad, autodiff.gradient_of(model.bn_loss, DATA)(w), atol=1e-12)


def test_exact_gradient_rounds_to_the_published_value_and_is_not_zero():
    grad = exact.to_floats(counterexample.bn_gradient_at(EXACT, paper.W_STAR))
    assert tuple(round(g, paper.GRADIENT_DECIMALS) for g in grad) == paper.GRADIENT_AT_W_STAR
    assert min(abs(g) for g in grad) > 0.1


def test_symbolic_gradient_matches_jax_and_finite_differences_at_random_points():
    grad_expr = exact.gradient(exact.loss_expr(model.bn_loss, EXACT))
    symbols = list(exact.weight_symbols(2))
    grad_fn = sp.lambdify(symbols, grad_expr, modules="mpmath")
    jax_grad = autodiff.gradient_of(model.bn_loss, DATA)
    for w in random_weights(20, seed=3):
        symbolic = np.array([float(g) for g in grad_fn(*w)])
        np.testing.assert_allclose(symbolic, jax_grad(w), atol=1e-9)
        fd = central_difference(lambda v: reference_bn_loss(v, DATA.x, DATA.y), w, h=1e-6)
        np.testing.assert_allclose(symbolic, fd, atol=1e-9 * max(1, np.abs(symbolic).max()) * 1e3)


def test_bn_gradient_is_orthogonal_to_w():
    jax_grad = autodiff.gradient_of(model.bn_loss, DATA)
    for w in random_weights(50, seed=4):
        assert np.dot(jax_grad(w), w) == pytest.approx(0, abs=1e-10)


def test_bn_stationary_rays_are_the_published_line():
    rays = counterexample.bn_stationary_rays(EXACT)
    kinds = {r.kind: r.direction for r in rays}
    assert set(kinds) == {"minimum", "maximum"}
    a, b = paper.BN_MINIMA_LINE
    v_min, v_max = (np.array(exact.to_floats(kinds[k])) for k in ("minimum", "maximum"))
    assert a * v_min[0] + b * v_min[1] == 0 and v_min[0] > 0
    np.testing.assert_allclose(v_max / np.linalg.norm(v_max), -v_min / np.linalg.norm(v_min))


def test_bn_minimum_ray_is_the_minimum_over_a_fine_angular_grid():
    theta = np.linspace(-np.pi, np.pi, 200_001)
    values = model.bn_loss(np.stack([np.cos(theta), np.sin(theta)], axis=-1), DATA)
    best = np.array([np.cos(theta[values.argmin()]), np.sin(theta[values.argmin()])])
    v = np.array(exact.to_floats(counterexample.bn_minima_direction(EXACT)))
    np.testing.assert_allclose(best, v / np.linalg.norm(v), atol=1e-4)
    ray = next(r for r in counterexample.bn_stationary_rays(EXACT) if r.kind == "minimum")
    assert float(ray.value) == pytest.approx(values.min(), rel=1e-10)


def test_lemma_at_w_star_fails_exactly_and_numerically():
    check = counterexample.lemma_at_optimum(EXACT)
    assert check.rhs == 0 and check.lhs > 0 and not check.holds
    # Independently: the squared distance from W* to the ray t(5, 3) by brute force over t.
    t = np.linspace(0, 5, 500_001)
    dist = np.min(np.sum((np.array(paper.W_STAR) - t[:, None] * [5, 3]) ** 2, axis=1))
    assert float(check.lhs) == pytest.approx(dist, rel=1e-9)


def test_lemma_check_numeric_path_agrees_with_exact():
    check = lemma.check_lemma(np.array([1.0, 3.0]), np.array([1.0, 3.0]), np.array([5.0, 3.0]))
    exact_check = counterexample.lemma_at_optimum(EXACT)
    assert check.lhs == pytest.approx(float(exact_check.lhs), rel=1e-14)
    assert check.rhs == pytest.approx(0, abs=1e-12)


def test_stationarity_checks_agree_exactly_and_numerically():
    c_hat = exact.loss_expr(model.bn_loss, EXACT)
    c_std = exact.loss_expr(model.standard_loss, EXACT)
    assert exact.is_stationary(c_std, paper.W_STAR)
    assert not exact.is_stationary(c_hat, paper.W_STAR)
    assert exact.is_stationary(c_hat, (5, 3)) and exact.is_stationary(c_hat, (10, 6))
    assert autodiff.gradient_vanishes(model.standard_loss, np.array([1.0, 3.0]), DATA)
    assert not autodiff.gradient_vanishes(model.bn_loss, np.array([1.0, 3.0]), DATA)
    assert autodiff.gradient_vanishes(model.bn_loss, np.array([5.0, 3.0]), DATA)
    with pytest.raises(ValueError, match="positive tolerance"):
        autodiff.gradient_vanishes(model.bn_loss, np.array([5.0, 3.0]), DATA, atol=0)


def test_standard_optimum_solves_the_normal_equations_in_three_dimensions():
    x = np.array([[1, 0, 2], [0, 1, 1], [1, 1, 0], [2, 1, 1]])
    y = np.array([1, 2, 4, 3])

    data = make_learning_set(to_exact(x), to_exact(y))
    w = least_squares.standard_optimum(data)
    assert len(w) == 3 and all(isinstance(v, sp.Rational) for v in w)
    np.testing.assert_allclose([float(v) for v in w], np.linalg.lstsq(x, y, rcond=None)[0],
                               rtol=1e-12)


def test_bn_stationary_rays_refuse_d_other_than_two():

    data = make_learning_set(to_exact([[1, 0, 2], [0, 1, 1], [1, 1, 0]]), to_exact([1, 2, 4]))
    with pytest.raises(ValueError, match="handles d = 2; the data have d = 3"):
        counterexample.bn_stationary_rays(data)


def test_lemma_at_optimum_is_simplified_exact():
    check = counterexample.lemma_at_optimum(EXACT)
    assert check.lhs == sp.Rational(72, 17) and check.rhs == 0
    assert isinstance(check.lhs, sp.Rational)


def test_rescaling_and_euler_defects_by_hand():
    w1, w2 = exact.weight_symbols(2)
    c = sp.Symbol("c", positive=True)
    f = w1**2 + 3 * w1 * w2  # homogeneous of degree 2
    assert sp.simplify(exact.rescaling_defect(f) - (c**2 - 1) * f) == 0
    assert sp.simplify(exact.euler_defect(f) - 2 * f) == 0
    assert exact.rescaling_defect(w1 / w2) == 0 and exact.euler_defect(w1 / w2) == 0
    g = exact.weight_symbols(3)
    assert sp.simplify(exact.euler_defect(g[2] ** 3, 3) - 3 * g[2] ** 3) == 0
    assert sp.simplify(exact.rescaling_defect(g[2], 3) - (c - 1) * g[2]) == 0
    # on the counterexample: Ĉ is scale invariant, C is not
    assert exact.rescaling_defect(exact.loss_expr(model.bn_loss, EXACT)) == 0
    assert exact.rescaling_defect(exact.loss_expr(model.standard_loss, EXACT)) != 0


def test_standard_optimum_solves_for_the_weights_only_and_refuses_a_rank_deficient_x():
    a = sp.Symbol("a", real=True)
    x = to_exact([[1, 0], [0, 1], [1, 1]])
    w = least_squares.standard_optimum(make_learning_set(x, np.array([a, 0, 0], dtype=object)))
    assert sp.simplify(w[0] - 2 * a / 3) == 0 and sp.simplify(w[1] + a / 3) == 0
    collinear = make_learning_set(to_exact([[1, 2], [2, 4], [3, 6]]), to_exact([1, 2, 4]))
    with pytest.raises(ValueError, match=r"^∇C\(w\) = 0 has no unique solution: \["):
        least_squares.standard_optimum(collinear)


def test_bn_minima_direction_passes_center_on():
    for center in (True, False):
        rays = counterexample.bn_stationary_rays(EXACT, center=center)
        (v,) = [r.direction for r in rays if r.kind == "minimum"]
        assert counterexample.bn_minima_direction(EXACT, center=center) == v
    assert counterexample.bn_minima_direction(EXACT, center=False) != \
        counterexample.bn_minima_direction(EXACT)


def test_the_defects_scale_only_the_first_d_weights():
    w = exact.weight_symbols(3)
    assert exact.rescaling_defect(w[2]) == 0 and exact.euler_defect(w[2]) == 0
    assert exact.euler_defect(w[2], 3) == w[2]


def test_zero_labels_leave_no_ray_of_bn_minima():
    # ȳ = 0: Ĉ(w) = Σ ẑ_m² = M everywhere, so ∇Ĉ = 0 and there is no isolated ray of minima.
    data = make_learning_set(EXACT.x, to_exact([0, 0, 0]))
    assert counterexample.bn_stationary_rays(data) == []
    with pytest.raises(ValueError, match="^expected one ray of BN minima, found 0$"):
        counterexample.bn_minima_direction(data)


def test_gradient_and_stationarity_in_three_dimensions():
    data = make_learning_set(to_exact([[1, 0, 2], [0, 1, 1], [1, 1, 0]]), to_exact([1, 2, 4]))
    grad = counterexample.bn_gradient_at(data, (1, 1, 1))
    assert len(grad) == 3
    w = np.array([1.0, 1.0, 1.0])
    np.testing.assert_allclose(exact.to_floats(grad),
                               autodiff.gradient_of(model.bn_loss, data.numeric())(w), atol=1e-12)
    w1, w2, w3 = exact.weight_symbols(3)
    assert exact.is_stationary(w1**2 + w2**2 + w3**2, (0, 0, 0))
    assert not exact.is_stationary(w1**2 + w2**2 + (w3 - 1) ** 2, (0, 0, 0))


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), float("-inf"), sp.zoo])
def test_exact_at_refuses_a_non_finite_point(bad):
    w1, w2 = exact.weight_symbols(2)
    with pytest.raises(ValueError, match=r"^point = \(1, .*\) has a non-finite coordinate$"):
        exact.at(w1 + w2, (1, bad))


def test_to_floats_rounds_the_exact_value_once():
    # 15 significant digits would give 0.333333333333333, not the double nearest 1/3
    assert exact.to_floats([sp.Rational(1, 3), sp.sqrt(2)]) == (1 / 3, 2**0.5)


def test_curvature_across_a_degenerate_ray_raises():
    w1, w2 = exact.weight_symbols(2)
    with pytest.raises(ValueError, match=r"^degenerate stationary ray \(1, 0\): zero curvature"):
        exact.curvature_across(w2**4, (1, 0))
    assert exact.curvature_across(w2**2, (1, 0)) == 2


def test_a_non_linear_stationary_set_raises():
    w1, w2 = exact.weight_symbols(2)
    f = (w1**2 - 2 * w2**2) ** 2 / (w1**2 + w2**2) ** 2  # stationary on w₁² = 2w₂²
    with pytest.raises(ValueError, match=r"^unexpected non-linear stationary set"):
        exact.stationary_lines(f)


def test_bn_stationary_rays_are_exactly_plus_and_minus_the_published_direction():
    assert [r.direction for r in counterexample.bn_stationary_rays(EXACT)] == [(5, 3), (-5, -3)]


def test_the_published_ray_holds_minima_by_its_curvature_against_a_second_difference():
    # tᵀH t across the ray at v = (5, 3), t ⊥ v; compared with a numerical second difference
    # of the reference loss along t (no sympy Hessian involved).
    curvature = counterexample.minima_curvature(EXACT)
    assert curvature == 1734 * sp.sqrt(194) / 9409 and curvature > 0
    v, t, h = np.array([5.0, 3.0]), np.array([-3.0, 5.0]), 1e-3
    loss = [reference_bn_loss(v + s * h * t, DATA.x, DATA.y) for s in (1, 0, -1)]
    assert (loss[0] - 2 * loss[1] + loss[2]) / h**2 == pytest.approx(float(curvature), rel=1e-5)


def test_lemma_at_optimum_uses_the_w_star_and_ray_it_is_given():
    given = counterexample.lemma_at_optimum(EXACT, (1, 3), (5, 3))
    assert (given.lhs, given.rhs) == (sp.Rational(72, 17), 0)
    on_ray = counterexample.lemma_at_optimum(EXACT, (5, 3), (5, 3))
    assert on_ray.lhs == 0 and on_ray.rhs == 0
    other = counterexample.lemma_at_optimum(EXACT, (1, 3), (1, 0))
    assert other.lhs == 9 and other.rhs == 0
