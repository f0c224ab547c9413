"""The neuron, BN and the losses: values, invariances, and clear errors on bad input."""

import numpy as np
import pytest
import sympy as sp

import bnpaper
from bnpaper import model
from bnpaper.data import make_learning_set
from bnpaper.namespace import to_exact

from .helpers import random_weights, reference_bn_loss

DATA = bnpaper.counterexample_set().numeric()


def test_standard_loss_by_hand_at_w_star_and_origin():
    # z = (4, 7, 11) at (1, 3): residuals (2, 2, −2); at 0 the loss is ‖ȳ‖².
    assert model.standard_loss(np.array([1.0, 3.0]), DATA) == pytest.approx(12.0, abs=1e-12)
    assert model.standard_loss(np.zeros(2), DATA) == pytest.approx(4 + 25 + 169, abs=1e-12)


def test_bn_loss_matches_an_independent_implementation():
    for w in random_weights(50):
        assert model.bn_loss(w, DATA) == pytest.approx(reference_bn_loss(w, DATA.x, DATA.y),
                                                       rel=1e-12)


def test_bn_output_has_zero_mean_and_unit_population_variance():
    out = model.bn_output(random_weights(20), DATA)
    np.testing.assert_allclose(out.mean(axis=-1), 0, atol=1e-12)
    np.testing.assert_allclose(out.var(axis=-1), 1, rtol=1e-12)


def test_gamma_and_beta_scale_and_shift_the_normalized_output():
    w = np.array([0.3, -1.2])
    base = model.bn_output(w, DATA)
    np.testing.assert_allclose(model.bn_output(w, DATA, gamma=2.5, beta=-1.0), 2.5 * base - 1.0)


def test_bn_loss_is_invariant_to_positive_rescaling():
    w = random_weights(100, seed=1)
    c = np.random.default_rng(2).uniform(0.01, 100, size=(len(w), 1))
    np.testing.assert_allclose(model.bn_loss(c * w, DATA), model.bn_loss(w, DATA), rtol=1e-11)


def test_bn_loss_is_vectorized_over_a_grid():
    grid = np.stack(np.meshgrid(np.linspace(0.5, 2, 4), np.linspace(-1, 3, 5)), axis=-1)
    values = model.bn_loss(grid, DATA)
    assert values.shape == (5, 4)
    assert values[2, 1] == pytest.approx(model.bn_loss(grid[2, 1], DATA), rel=1e-14)


def test_exact_and_numeric_paths_agree():
    exact = bnpaper.counterexample_set()
    for w in [(1, 3), (5, 3), (2, -7), (-1, 4)]:
        value = model.bn_loss(to_exact(w), exact)
        assert isinstance(value, sp.Expr)
        assert float(value) == pytest.approx(model.bn_loss(np.array(w, float), DATA), rel=1e-13)


def test_centering_off_gives_the_root_mean_square_normalization():
    w = np.array([1.0, 3.0])
    z = DATA.x @ w
    np.testing.assert_allclose(model.bn_output(w, DATA, center=False),
                               z / np.sqrt(np.mean(z**2)), rtol=1e-14)


def test_eps_enters_under_the_square_root():
    w = np.array([1.0, 3.0])
    z = DATA.x @ w
    expected = (z - z.mean()) / np.sqrt(z.var() + 0.5)
    np.testing.assert_allclose(model.bn_output(w, DATA, eps=0.5), expected, rtol=1e-14)


@pytest.mark.parametrize("w", [np.zeros(2), np.array([0.0, 0.0])])
def test_sigma_zero_raises_a_clear_error(w):
    with pytest.raises(ValueError, match=r"σ\(w\) = 0.*pre-activations .* equal"):
        model.bn_loss(w, DATA)


def test_sigma_zero_in_a_grid_names_the_grid_point():
    grid = np.array([[1.0, 3.0], [0.0, 0.0]])
    with pytest.raises(ValueError, match=r"σ\(w\) = 0 at grid index \(1,\)"):
        model.bn_loss(grid, DATA)


def test_sigma_zero_for_equal_pre_activations_other_than_zero():
    # x rows differ only along (1, −1): w = (1, 1) gives z = (3, 3, 3).
    data = make_learning_set([[1, 2], [2, 1], [0, 3]], [1, 2, 3])
    with pytest.raises(ValueError, match="σ"):
        model.bn_loss(np.array([1.0, 1.0]), data)


def test_sigma_zero_on_the_exact_path_raises():
    with pytest.raises(ValueError, match="σ"):
        model.bn_loss(to_exact((0, 0)), bnpaper.counterexample_set())


def test_eps_makes_sigma_zero_well_defined():
    assert np.isfinite(model.bn_loss(np.zeros(2), DATA, eps=1e-5))


@pytest.mark.parametrize("w", [np.array([1.0, 2.0, 3.0]), np.array(1.0), np.ones((4, 3))])
def test_wrong_weight_shape_raises(w):
    with pytest.raises(ValueError, match=r"w has shape .*expected \(\.\.\., d\) with d == 2"):
        model.bn_loss(w, DATA)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_weights_raise(bad):
    with pytest.raises(ValueError, match="w has a non-finite entry"):
        model.standard_loss(np.array([1.0, bad]), DATA)


def test_non_finite_data_raise():
    with pytest.raises(ValueError, match="x has a non-finite entry"):
        make_learning_set([[1, np.nan], [1, 2]], [1, 2])
    with pytest.raises(ValueError, match="y has a non-finite entry"):
        make_learning_set([[1, 1], [1, 2]], [1, np.inf])


def test_wrong_data_shapes_raise():
    with pytest.raises(ValueError, match=r"x has shape \(3,\); expected \(M, d\)"):
        make_learning_set([1, 2, 3], [1, 2, 3])
    with pytest.raises(ValueError, match=r"y has shape \(2,\); expected \(M,\) == \(3,\)"):
        make_learning_set([[1, 1], [1, 2], [2, 3]], [1, 2])


def test_a_batch_of_one_sample_raises():
    with pytest.raises(ValueError, match="M = 1 sample.*needs M >= 2"):
        make_learning_set([[1, 1]], [1])


def test_unknown_activation_raises():
    with pytest.raises(ValueError, match="unknown activation 'sigmoid'"):
        model.standard_loss(np.ones(2), DATA, activation="sigmoid")


def test_exact_path_stays_exact_without_floats():
    value = model.bn_loss(to_exact((1, 3)), bnpaper.counterexample_set())
    assert not value.atoms(sp.Float), f"a float entered the exact path: {value}"
    with_eps = model.bn_loss(to_exact((1, 3)), bnpaper.counterexample_set(), eps=0.5)
    assert not with_eps.atoms(sp.Float)
    assert float(with_eps) == pytest.approx(model.bn_loss(np.array([1.0, 3.0]), DATA, eps=0.5))


def test_a_negative_eps_raises_instead_of_returning_a_number():
    with pytest.raises(ValueError, match=r"^eps = -1.0; expected ε ≥ 0"):
        model.bn_loss(np.array([1.0, 3.0]), DATA, eps=-1.0)


def test_a_nan_gamma_raises_instead_of_returning_nan():
    with pytest.raises(ValueError, match=r"^gamma has a non-finite entry"):
        model.bn_loss(np.array([1.0, 3.0]), DATA, gamma=float("nan"))


def test_a_string_for_w_is_a_type_error_naming_w():
    with pytest.raises(TypeError, match=r"^w has type str; expected an array of shape"):
        model.bn_loss("1, 3", DATA)


def test_overflow_is_an_error_naming_the_inputs_not_an_inf_or_nan():
    with pytest.raises(ValueError, match="not finite: float64 overflows for weights w"):
        model.bn_loss(np.array([1e200, 1e200]), DATA)
    with pytest.raises(ValueError, match="C\\(w\\) is not finite"):
        model.standard_loss(np.array([1e200, 1e200]), DATA)
