"""The two landscapes: gradient fields, angle-only dependence of Ĉ, and the exact angle facts."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
import sympy as sp

from bnpaper.core import autodiff, exact, geometry, model
from bnpaper.core.data import LearningSet, make_learning_set
from bnpaper.core.namespace import to_exact
from bnpaper.presentation.figures import landscape as figures
from bnpaper.topics import landscape

from .helpers import central_difference, random_weights, reference_bn_loss


@pytest.fixture(scope="module")
def facts(paper_set):
    return landscape.landscape_facts(paper_set)


@pytest.mark.parametrize("loss", [model.standard_loss, model.bn_loss], ids=["C", "C_hat"])
def test_gradient_field_matches_autodiff_pointwise(loss, paper_set, paper_numeric):
    w = random_weights(40, seed=11)
    field = landscape.gradient_field(loss, paper_set)(w)
    jax_grad = autodiff.gradient_of(loss, paper_numeric)
    assert field.shape == w.shape
    for wi, gi in zip(w, field, strict=True):
        np.testing.assert_allclose(gi, jax_grad(wi), rtol=1e-10, atol=1e-10)


def test_gradient_field_keeps_the_grid_shape_and_matches_finite_differences(paper_set,
                                                                            paper_numeric):
    grid = random_weights(30, seed=12)[:24].reshape(4, 6, 2)
    field = landscape.gradient_field(model.bn_loss, paper_set)(grid)
    assert field.shape == (4, 6, 2)
    f = lambda w: reference_bn_loss(w, paper_numeric.x, paper_numeric.y)  # noqa: E731
    np.testing.assert_allclose(field[2, 3], central_difference(f, grid[2, 3], h=1e-6), atol=1e-6)


def test_bn_gradient_field_is_tangent_to_circles_and_c_field_is_not(paper_set):
    w = random_weights(200, seed=13)
    bn = landscape.gradient_field(model.bn_loss, paper_set)(w)
    c = landscape.gradient_field(model.standard_loss, paper_set)(w)
    np.testing.assert_allclose(np.sum(bn * w, axis=-1), 0, atol=1e-10)
    assert np.abs(np.sum(c * w, axis=-1)).max() > 1


def test_gradient_field_raises_at_w_zero_instead_of_returning_nan(paper_set):
    field = landscape.gradient_field(model.bn_loss, paper_set)
    with pytest.raises(ValueError, match="σ\\(w\\) = 0"):
        field(np.array([[1.0, 2.0], [0.0, 0.0]]))


def test_gradient_field_rejects_wrong_shape_and_non_finite_weights(paper_set):
    field = landscape.gradient_field(model.standard_loss, paper_set)
    with pytest.raises(ValueError, match="shape"):
        field(np.ones(3))
    with pytest.raises(ValueError, match="non-finite"):
        field(np.array([np.nan, 1.0]))


def test_bn_loss_is_the_same_on_circles_of_every_radius(paper_set):
    theta = np.linspace(-np.pi, np.pi, 1001)
    unit = landscape.bn_loss_on_circle(paper_set, theta)
    for r in (1e-3, 0.1, 7.0, 1e4):
        np.testing.assert_allclose(landscape.bn_loss_on_circle(paper_set, theta, r), unit,
                                   rtol=1e-12)


def test_radial_derivative_is_exactly_zero_for_bn_and_not_for_c(paper_set):
    assert landscape.radial_derivative(paper_set) == 0
    assert landscape.radial_derivative(paper_set, model.standard_loss) != 0


def test_radial_derivative_needs_two_weights():
    data3 = make_learning_set([[1, 0, 2], [0, 1, 1], [1, 1, 0]], [1, 2, 3])
    with pytest.raises(ValueError, match="d = 2"):
        landscape.radial_derivative(data3)


def test_polar_angle_is_exact_for_sympy_and_agrees_with_arctan2():
    for w in [(1, 3), (5, 3), (-5, -3), (3, -1), (-2, 0), (0, 7)]:
        exact_angle = geometry.polar_angle(to_exact(w))
        assert isinstance(exact_angle, sp.Basic) and not exact_angle.atoms(sp.Float)
        assert float(exact_angle) == pytest.approx(np.arctan2(w[1], w[0]), abs=1e-15)
    np.testing.assert_allclose(geometry.polar_angle(np.array([[1.0, 1.0], [-1.0, 0.0]])),
                               [np.pi / 4, np.pi])


@pytest.mark.parametrize("w", [(0, 0), (0.0, 0.0)])
def test_polar_angle_of_zero_vector_raises(w):
    with pytest.raises(ValueError, match="no angle"):
        geometry.polar_angle(to_exact(w) if isinstance(w[0], int) else np.array(w))


def test_unit_vectors_reject_non_positive_radius():
    with pytest.raises(ValueError, match="radius must be > 0"):
        geometry.unit_vectors(np.zeros(3), 0.0)


def test_angles_of_minima_and_maxima_are_the_extremes_on_a_fine_angular_grid(facts, paper_set,
                                                                             paper_numeric):
    theta = np.linspace(-np.pi, np.pi, 400_001)
    values = landscape.bn_loss_on_circle(paper_set, theta)
    assert theta[values.argmin()] == pytest.approx(float(facts.theta_min), abs=1e-4)
    assert theta[values.argmax()] == pytest.approx(float(facts.theta_max), abs=1e-4)
    assert values.min() == pytest.approx(float(facts.c_hat_min), rel=1e-12)
    assert values.max() == pytest.approx(float(facts.c_hat_max), rel=1e-12)
    assert float(facts.c_hat_w_star) == pytest.approx(
        reference_bn_loss(np.array([1.0, 3.0]), paper_numeric.x, paper_numeric.y), rel=1e-14)


def test_descent_at_w_star_matches_autodiff_and_is_perpendicular_to_w_star(facts, paper_numeric):
    w_star = np.array(exact.to_floats(facts.w_star))
    descent = np.array(exact.to_floats(facts.descent))
    np.testing.assert_allclose(descent, -autodiff.gradient_of(model.bn_loss, paper_numeric)(w_star),
                               atol=1e-14)
    assert facts.descent_dot_w_star == 0
    assert np.dot(descent, w_star) == pytest.approx(0, abs=1e-14)
    assert float(facts.theta_descent) == pytest.approx(np.arctan2(descent[1], descent[0]))
    assert float(facts.theta_descent) == pytest.approx(float(facts.theta_w_star) - np.pi / 2)


def test_slope_at_w_star_is_the_derivative_of_the_angle_profile(facts, paper_set):
    t = float(facts.theta_w_star)
    h = 1e-5
    fd = (landscape.bn_loss_on_circle(paper_set, t + h)
          - landscape.bn_loss_on_circle(paper_set, t - h))
    assert float(facts.slope_at_w_star) == pytest.approx(float(fd) / (2 * h), rel=1e-8)


def test_a_small_descent_step_turns_w_star_towards_the_minima_and_lowers_c_hat(facts,
                                                                              paper_numeric):
    w_star = np.array(exact.to_floats(facts.w_star))
    step = w_star + 1e-3 * np.array(exact.to_floats(facts.descent))
    before, after = (abs(np.arctan2(w[1], w[0]) - float(facts.theta_min)) for w in (w_star, step))
    assert after < before
    assert model.bn_loss(step, paper_numeric) < model.bn_loss(w_star, paper_numeric)
    assert facts.descent_turn == "clockwise" and facts.descent_turns_towards_minima


def test_turn_to_minima_is_the_difference_of_the_two_angles(facts):
    assert float(facts.turn_to_minima) == pytest.approx(
        float(facts.theta_min) - float(facts.theta_w_star), abs=1e-15)
    assert -np.pi < float(facts.turn_to_minima) < 0


def test_figures_have_titles_labels_and_legends(facts, paper_set):
    figs = [figures.landscapes_figure(paper_set, facts, n=40, n_arrows=6),
            figures.angle_profile_figure(paper_set, facts, n=91)]
    for fig in figs:
        main = [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]
        assert all(ax.get_title() for ax in main)
        assert main[0].get_xlabel() and main[0].get_ylabel()
        assert main[0].get_legend() is not None
        plt.close(fig)


def test_facts_of_a_set_whose_w_star_is_a_bn_minimum_have_no_descent_direction(paper_set):
    """Labels ȳ + 6 (intercept 0): W* = (5, 3) lies on the ray of minima, ∇Ĉ(W*) = 0."""
    shifted = LearningSet(paper_set.x, to_exact((8, 11, 19)))
    facts = landscape.landscape_facts(shifted)
    assert facts.descent == (0, 0) and facts.theta_descent is None
    assert facts.descent_turn == "not at all" and not facts.descent_turns_towards_minima
    assert facts.c_hat_w_star == facts.c_hat_min
