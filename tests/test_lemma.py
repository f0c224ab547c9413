"""Lemma 4.5's two sides and the distances to lines and rays."""

import numpy as np
import pytest
import sympy as sp

from bnpaper.core.namespace import to_exact
from bnpaper.paper import lemma

from .helpers import random_weights


def brute_distance_sq(p, u, t):
    return np.min(np.sum((p - t[:, None] * u) ** 2, axis=1))


@pytest.mark.parametrize("seed", range(3))
def test_distance_to_ray_and_line_match_brute_force(seed):
    rng = np.random.default_rng(seed)
    u = rng.normal(size=2)
    t = np.linspace(-20, 20, 400_001)
    for p in rng.normal(size=(10, 2)):
        assert lemma.distance_sq_to_line(p, u) == pytest.approx(brute_distance_sq(p, u, t),
                                                                abs=1e-6)
        assert lemma.distance_sq_to_ray(p, u) == pytest.approx(
            brute_distance_sq(p, u, t[t >= 0]), abs=1e-6)


def test_rhs_is_the_squared_distance_to_the_line_through_w_star():
    w_star = np.array([1.0, 3.0])
    w0 = random_weights(100, seed=5)
    np.testing.assert_allclose(lemma.lemma_rhs(w0, w_star),
                               lemma.distance_sq_to_line(w0, w_star), atol=1e-12)


def test_rhs_vanishes_at_w0_equal_w_star_exactly():
    assert lemma.lemma_rhs(to_exact((1, 3)), to_exact((1, 3))) == 0


def test_lemma_holds_with_equality_when_the_bn_optima_contain_the_ray_of_w_star():
    w_star = np.array([1.0, 3.0])
    w0 = random_weights(50, seed=6)
    w0 = w0[w0 @ w_star > 0]
    check = lemma.check_lemma(w0, w_star, w_star)
    np.testing.assert_allclose(check.lhs, check.rhs, atol=1e-12)


def test_zero_direction_raises():
    with pytest.raises(ValueError, match="zero vector"):
        lemma.distance_sq_to_ray(np.ones(2), np.zeros(2))
    with pytest.raises(ValueError, match="W\\* is the zero vector"):
        lemma.lemma_rhs(np.ones(2), np.zeros(2))


def test_mismatched_shapes_raise():
    with pytest.raises(ValueError, match="direction has shape"):
        lemma.distance_sq_to_line(np.ones(2), np.ones(3))


def test_non_finite_points_raise():
    with pytest.raises(ValueError, match="non-finite"):
        lemma.lemma_rhs(np.array([np.nan, 1.0]), np.ones(2))


def test_lemma_check_is_vectorized_over_a_grid_of_initializations():
    w0 = np.array([[1.0, 3.0], [5.0, 3.0]])
    check = lemma.check_lemma(w0, np.array([1.0, 3.0]), np.array([5.0, 3.0]))
    assert check.holds.tolist() == [False, True]


def test_scalar_point_raises():
    with pytest.raises(ValueError, match="W0 is a scalar"):
        lemma.lemma_rhs(1.0, np.ones(2))


def test_a_mismatched_w_star_is_named_in_the_error():
    with pytest.raises(ValueError, match=r"W\* has shape \(3,\)"):
        lemma.lemma_rhs(np.ones(2), np.ones(3))


def test_distance_to_a_line_needs_a_direction():
    with pytest.raises(ValueError, match="^direction is the zero vector"):
        lemma.distance_sq_to_line(np.array([1.0, 2.0]), np.zeros(2))
    with pytest.raises(ValueError, match="^direction is the zero vector"):
        lemma.distance_sq_to_line(to_exact([1, 2]), to_exact([0, 0]))


def test_distance_to_a_ray_needs_a_direction_and_names_it():
    with pytest.raises(ValueError, match="^direction is the zero vector"):
        lemma.distance_sq_to_ray(np.array([1.0, 2.0]), np.zeros(2))


def test_the_exact_path_works_on_a_grid_of_points():
    d = lemma.distance_sq_to_ray(to_exact([[1, 3], [-5, -3]]), to_exact([5, 3]))
    assert list(d) == [sp.Rational(72, 17), 34] and d.dtype == object


def test_overflow_in_the_lemma_names_the_points():
    with pytest.raises(ValueError, match=r"^the result is not finite: float64 overflows for "
                                         r"points \(W0, W\*, direction\) this large"):
        lemma.lemma_rhs(np.array([1e200, 1.0]), np.array([1.0, 3.0]))


def test_lemma_errors_name_the_point_and_what_was_expected():
    shape = r"expected a point of shape \(\.\.\., d\)$"
    with pytest.raises(ValueError, match=r"^W0 is a scalar; " + shape):
        lemma.lemma_rhs(1.0, np.array([1.0, 3.0]))
    with pytest.raises(TypeError, match=r"^W0 has type str; " + shape):
        lemma.lemma_rhs("1, 3", np.array([1.0, 3.0]))
    with pytest.raises(TypeError, match=r"^W0 has type list"):
        lemma.lemma_rhs([1 + 2j, 1.0], np.array([1.0, 3.0]))
    with pytest.raises(TypeError, match=r"^W\* has type list"):
        lemma.lemma_rhs(np.array([1.0, 3.0]), [1 + 2j, 1.0])
