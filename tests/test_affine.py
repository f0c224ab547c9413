"""Learned γ and β (bnpaper.topics.affine): each exact result against independent numerics."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
import sympy as sp
from scipy.optimize import minimize

from bnpaper.core import autodiff, exact, model
from bnpaper.presentation import plots
from bnpaper.presentation.figures import affine as affine_figures
from bnpaper.topics import affine

from .helpers import central_difference, random_weights

W_STAR = np.array([1.0, 3.0])


def normalized(w, data):
    """ẑ = (z − μ)/σ written out with np.std (population): not bnpaper's code."""
    z = data.x @ w
    return (z - z.mean()) / np.std(z)


def joint_loss(w, gamma, beta, data):
    return float(np.sum((gamma * normalized(w, data) + beta - data.y) ** 2))


def test_best_gamma_beta_are_the_least_squares_fit_of_y_on_zhat_and_one(paper_numeric):
    for w in random_weights(20, seed=5):
        design = np.column_stack([normalized(w, paper_numeric), np.ones(paper_numeric.M)])
        (g, b), *_ = np.linalg.lstsq(design, paper_numeric.y, rcond=None)
        gamma, beta = affine.optimal_gamma_beta(w, paper_numeric)
        assert gamma == pytest.approx(g, abs=1e-12)
        assert beta == pytest.approx(b, abs=1e-12)


def test_exact_solution_for_gamma_beta_matches_the_numeric_formula(paper_set, paper_numeric):
    gamma, beta = affine.solve_gamma_beta(paper_set)
    f = sp.lambdify(list(exact.weight_symbols(2)), gamma)
    assert beta == sp.Rational(20, 3)
    ws = random_weights(10, seed=6)
    np.testing.assert_allclose([f(*w) for w in ws], affine.optimal_gamma_beta(ws, paper_numeric)[0],
                               rtol=1e-12)


def test_profile_loss_equals_numerical_minimum_over_gamma_beta(paper_numeric):
    for w in random_weights(5, seed=7):
        res = minimize(lambda p, w=w: joint_loss(w, *p, paper_numeric), x0=[1.0, 0.0],
                       method="BFGS", options={"gtol": 1e-10})
        assert affine.profile_loss(w, paper_numeric) == pytest.approx(res.fun, abs=1e-8)


def test_profile_expression_equals_the_closed_form_and_the_numeric_profile(
        paper_set, paper_numeric):
    prof = affine.profile_expr(paper_set)
    assert sp.simplify(prof - affine.profile_closed_form(paper_set)) == 0
    f = sp.lambdify(list(exact.weight_symbols(2)), prof)
    ws = random_weights(20, seed=8)
    np.testing.assert_allclose([f(*w) for w in ws], affine.profile_loss(ws, paper_numeric),
                               atol=1e-10)


def test_profile_loss_is_zero_on_both_rays_of_3w1_eq_5w2(paper_numeric):
    for t in (-7.0, -0.3, 0.3, 7.0):
        value = affine.profile_loss(t * np.array([5.0, 3.0]), paper_numeric)
        assert value == pytest.approx(0, abs=1e-20)


def test_profile_minima_are_the_line_3w1_eq_5w2_and_maxima_have_gamma_zero(
        paper_set, paper_numeric):
    lines = {li.kind: li for li in affine.profile_stationary_lines(paper_set)}
    assert set(lines) == {"minimum", "maximum"}
    a, b = lines["minimum"].normal
    assert a * 5 + b * 3 == 0 and lines["minimum"].value == 0
    assert lines["maximum"].gamma == 0
    yc = paper_numeric.y - paper_numeric.y.mean()
    assert float(lines["maximum"].value) == pytest.approx(yc @ yc, rel=1e-14)


def test_numerical_minimization_of_the_profile_finds_the_line_from_any_start(paper_numeric):
    rng = np.random.default_rng(9)
    ends = []
    for w0 in rng.normal(size=(8, 2)) * 3:
        res = minimize(lambda w: affine.profile_loss(w, paper_numeric), x0=w0, method="Nelder-Mead",
                       options={"xatol": 1e-12, "fatol": 1e-16, "maxiter": 4000})
        assert res.fun < 1e-12
        assert res.x[1] / res.x[0] == pytest.approx(0.6, abs=1e-5)
        ends.append(np.sign(res.x[0]))
    assert set(ends) == {-1.0, 1.0}, "both rays are minima now"


def test_exact_gradients_at_w_star_match_jax_and_finite_differences(paper_set, paper_numeric):
    at = affine.gradient_at(paper_set, (1, 3))
    g, b = float(at.gamma), float(at.beta)
    jax_grad = autodiff.gradient_of(model.bn_loss, paper_numeric, gamma=g, beta=b)(W_STAR)
    np.testing.assert_allclose(exact.to_floats(at.joint), jax_grad, atol=1e-12)
    fd = central_difference(lambda w: affine.profile_loss(w, paper_numeric), W_STAR, h=1e-6)
    np.testing.assert_allclose(exact.to_floats(at.profile), fd, atol=1e-7)
    assert at.joint == at.profile
    assert min(abs(v) for v in exact.to_floats(at.joint)) > 0.5


def test_gradient_in_w_is_gamma_times_the_fixed_gradient(paper_set, paper_numeric):
    assert affine.gradient_identity_defect(paper_set) == [0, 0]
    fixed = autodiff.gradient_of(model.bn_loss, paper_numeric)
    rng = np.random.default_rng(10)
    for w in random_weights(10, seed=11):
        g, b = rng.normal(size=2) * 3
        joint = autodiff.gradient_of(model.bn_loss, paper_numeric, gamma=float(g), beta=float(b))(w)
        np.testing.assert_allclose(joint, g * fixed(w), atol=1e-11)


def test_no_gamma_beta_makes_w_star_stationary(paper_numeric):
    # ‖∇_(w,γ,β) Ĉ(W*, γ, β)‖² minimized numerically over (γ, β) stays well above zero.
    jax = autodiff.jax_x64()
    grad = jax.jit(jax.grad(lambda p: model.bn_loss(p[:2], paper_numeric, gamma=p[2], beta=p[3])))
    norm_sq = lambda gb: float(np.sum(np.asarray(grad(np.r_[W_STAR, gb])) ** 2))  # noqa: E731
    best = min(minimize(norm_sq, x0=x0, method="Nelder-Mead").fun
               for x0 in ([1.0, 0.0], [0.0, 6.0], [-3.0, 2.0], [5.0, 7.0]))
    assert best > 0.1


def test_gradient_descent_from_w_star_ends_on_the_line_with_zero_loss(paper_set, paper_numeric):
    inits = np.array([[1.0, 3.0, 1.0, 0.0], [-1.5, -3.0, 1.0, 0.0]])
    runs = affine.gradient_descent(paper_set, inits, steps=400, lr=0.05)
    np.testing.assert_allclose(runs.final_ratio, 0.6, atol=1e-6)
    assert np.all(runs.loss[:, -1] < 1e-10)
    assert runs.final[0, 2] > 0 > runs.final[1, 2], "the negative ray is reached with γ < 0"
    np.testing.assert_allclose(runs.final[:, 3], paper_numeric.y.mean(), atol=1e-9)
    np.testing.assert_allclose(np.abs(runs.final[:, 2]), float(sp.sqrt(194) / 3), rtol=1e-9)


def test_gradient_descent_losses_are_the_bn_loss_along_the_path(paper_set, paper_numeric):
    runs = affine.gradient_descent(paper_set, [[2.0, -1.0, 0.5, 1.0]], steps=5, lr=0.05)
    for theta, value in zip(runs.params[0], runs.loss[0], strict=True):
        by_hand = joint_loss(theta[:2], theta[2], theta[3], paper_numeric)
        assert value == pytest.approx(by_hand, rel=1e-12)


def test_frozen_affine_keeps_gamma_and_beta(paper_set):
    runs = affine.gradient_descent(paper_set, [[1.0, 3.0, 1.0, 0.0]], steps=10, learn_affine=False)
    np.testing.assert_array_equal(runs.params[0, :, 2:], [[1.0, 0.0]] * 11)


@pytest.mark.parametrize("kwargs, match", [
    ({"inits": [[1.0, 3.0]]}, "expected \\(runs, d \\+ 2\\)"),
    ({"inits": [[1.0, np.nan, 1.0, 0.0]]}, "non-finite"),
    ({"steps": 0}, "positive integer"),
    ({"steps": 2.5}, "positive integer"),
    ({"lr": -0.1}, "step size > 0"),
])
def test_gradient_descent_rejects_bad_input(paper_set, kwargs, match):
    args = {"inits": [[1.0, 3.0, 1.0, 0.0]], "steps": 5, "lr": 0.05} | kwargs
    with pytest.raises(ValueError, match=match):
        affine.gradient_descent(paper_set, **args)


def test_trajectory_figure_is_column_wide_with_a_title_labels_and_a_legend(paper_set):
    runs = affine.gradient_descent(paper_set, [[1.0, 3.0, 1.0, 0.0]], steps=5, lr=0.05)
    lines = affine.profile_stationary_lines(paper_set)
    fig = affine_figures.trajectory_figure(paper_set, runs, (1, 3), lines, fixed=runs)
    assert fig.get_figwidth() * plots.SCREEN_DPI == pytest.approx(plots.COLUMN_PX)
    ax = fig.axes[0]
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    labels = ax.get_legend_handles_labels()[1]
    assert r"$W^*$" in labels and any("frozen" in label for label in labels)
    plt.close(fig)
