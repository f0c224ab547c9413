"""The neuron, BN and the losses: values, invariances, and clear errors on bad input."""

import numpy as np
import pytest
import sympy as sp

import bnpaper
from bnpaper.core import model
from bnpaper.core.data import make_learning_set
from bnpaper.core.namespace import to_exact

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


def test_numeric_learning_set_holds_float64_copies_of_the_exact_values():
    exact_set = bnpaper.counterexample_set()
    numeric = exact_set.numeric()
    assert numeric.x.dtype == np.float64 and numeric.y.dtype == np.float64
    np.testing.assert_array_equal(numeric.x, [[1, 1], [1, 2], [2, 3]])
    np.testing.assert_array_equal(numeric.y, [2, 5, 13])
    assert (numeric.M, numeric.d) == (3, 2)


def test_make_learning_set_keeps_sympy_numbers_exact():
    data = make_learning_set([[1, sp.Rational(1, 3)], [1, 2]], [sp.sqrt(2), 5])
    assert data.x.dtype == object and data.y.dtype == object
    assert data.x[0, 1] == sp.Rational(1, 3) and data.y[0] == sp.sqrt(2)
    assert data.exact().x[1, 1] == 2 and data.numeric().y[0] == pytest.approx(2**0.5)
    numeric = make_learning_set([[1, 2], [3, 4]], [5, 6])
    assert numeric.x.dtype == np.float64 and numeric.y.dtype == np.float64


@pytest.mark.parametrize("name", ["x", "y"])
def test_make_learning_set_names_the_argument_that_is_not_numbers(name):
    good = {"x": [[1, 1], [1, 2]], "y": [1, 2]}
    shape = {"x": r"\(M, d\)", "y": r"\(M,\)"}[name]
    for bad in ("ab", None, [[1.0], [1.0, 2.0]]):
        message = rf"^{name} (has type|is not an array of shape {shape})"
        with pytest.raises(TypeError, match=message):
            make_learning_set(**{**good, name: bad})
    with pytest.raises(TypeError, match=rf"^{name} holds something that is not a number"):
        make_learning_set(**{**good, name: np.array([[{}] * 2] * 2 if name == "x" else [{}, 1],
                                                    dtype=object)})
    with pytest.raises(TypeError, match=rf"^{name} has type str; expected an array of shape "
                                        f"{shape}"):
        make_learning_set(**{**good, name: "12"})


def test_with_intercept_appends_a_feature_of_ones_exact_or_numeric():
    exact_set = bnpaper.counterexample_set().with_intercept()
    assert exact_set.d == 3 and exact_set.x.dtype == object
    assert [v for v in exact_set.x[:, 2]] == [1, 1, 1]
    assert isinstance(exact_set.x[0, 2], sp.Integer)
    numeric = DATA.with_intercept()
    assert numeric.x.shape == (3, 3)
    np.testing.assert_array_equal(numeric.x[:, 2], 1.0)
    np.testing.assert_array_equal(numeric.x[:, :2], DATA.x)
    np.testing.assert_array_equal(numeric.y, DATA.y)


def test_subset_keeps_the_chosen_rows_in_order():
    sub = DATA.subset([2, 0])
    np.testing.assert_array_equal(sub.x, [[2, 3], [1, 1]])
    np.testing.assert_array_equal(sub.y, [13, 2])
    assert DATA.subset(iter([0, 1])).M == 2


def test_the_exact_namespace_is_elementwise_and_exact():
    from bnpaper.core.namespace import SYMPY, convert, is_exact, namespace_of

    a = to_exact([4, 2, sp.Rational(1, 4)])
    assert list(SYMPY.sqrt(a)) == [2, sp.sqrt(2), sp.Rational(1, 2)]
    assert list(SYMPY.maximum(to_exact([-1, 3]), 0)) == [0, 3]
    assert list(SYMPY.tanh(to_exact([0, 1]))) == [0, sp.tanh(1)]
    assert list(SYMPY.where([True, False], a[:2], 0)) == [4, 0]
    assert namespace_of(a) is SYMPY and namespace_of([1.0, sp.Integer(2)]) is SYMPY
    assert namespace_of([1.0, 2.0]) is np and not is_exact([1.0, (2.0, 3.0)])
    assert is_exact([1.0, (2.0, sp.Integer(3))]) and is_exact(sp.Integer(1))
    assert convert([1, 2], np).dtype == np.float64
    assert convert([0.5], SYMPY)[0] == sp.Rational(1, 2)


def test_activations_and_their_names():
    z = np.array([-2.0, 0.0, 3.0])
    np.testing.assert_array_equal(model.activate(z, "identity", np), z)
    np.testing.assert_array_equal(model.activate(z, "relu", np), [0, 0, 3])
    np.testing.assert_allclose(model.activate(z, "tanh", np), np.tanh(z))
    assert model.ACTIVATIONS == ("identity", "relu", "tanh")
    with pytest.raises(ValueError, match=r"expected one of \('identity', 'relu', 'tanh'\)"):
        model.activate(z, "sigmoid", np)


def test_batch_statistics_by_hand():
    z = np.array([[1.0, 2.0, 6.0], [0.0, 0.0, 3.0]])
    np.testing.assert_allclose(model.batch_mean(z, np), [[3.0], [1.0]])
    np.testing.assert_allclose(model.batch_std(z, np), [[np.sqrt(14 / 3)], [np.sqrt(2)]])
    np.testing.assert_allclose(model.batch_std(z, np, eps=1.0), [[np.sqrt(17 / 3)], [np.sqrt(3)]])
    np.testing.assert_allclose(model.batch_std(z, np, center=False),
                               [[np.sqrt(41 / 3)], [np.sqrt(3)]])
    np.testing.assert_allclose(model.batch_normalize(z[:1], np, gamma=2.0, beta=1.0),
                               [2 * (z[0] - 3) / np.sqrt(14 / 3) + 1])
    assert model.squared_error(np.array([1.0, 2.0]), np.array([0.0, 4.0]), np) == 5.0


def test_exact_elementwise_functions_accept_empty_arrays():
    from bnpaper.core.namespace import SYMPY

    empty = np.array([], dtype=object)
    for f in (SYMPY.sqrt, SYMPY.tanh):
        assert f(empty).shape == (0,) and f(empty).dtype == object
    assert SYMPY.maximum(empty, empty).shape == (0,)


def test_an_exact_learning_set_refuses_what_sympy_cannot_read():
    with pytest.raises(TypeError, match=r"^y holds something that is not a number \("):
        make_learning_set([[1, 1], [1, 2]], np.array(["1 +", sp.Integer(2)], dtype=object))


def test_defaults_are_the_papers_bn_identity_gamma_one_beta_zero_eps_zero_centred():
    w = np.array([1.0, 3.0])
    z = DATA.x @ w
    np.testing.assert_array_equal(model.standard_output(w, DATA), z)
    assert model.standard_loss(w, DATA) == model.standard_loss(w, DATA, "identity")
    expected = (z - z.mean()) / z.std()
    np.testing.assert_allclose(model.bn_output(w, DATA), expected, rtol=1e-14)
    np.testing.assert_allclose(model.batch_normalize(z, np), expected, rtol=1e-14)
    assert model.batch_std(z, np) == pytest.approx(z.std(), rel=1e-15)
    assert model.bn_loss(w, DATA) == pytest.approx(np.sum((expected - DATA.y) ** 2), rel=1e-14)


def test_overflow_messages_name_the_quantity_and_its_inputs():
    w = np.array([1e308, 1e308])  # ⟨w, x̄⟩ ≥ 2e308 overflows
    with pytest.raises(ValueError, match=r"^φ_w\(x̄\) is not finite: float64 overflows for "
                                         r"weights w and inputs x this large"):
        model.standard_output(w, DATA)
    with pytest.raises(ValueError, match=r"^C\(w\) is not finite: float64 overflows for "
                                         r"weights w, inputs x and labels y this large"):
        model.standard_loss(np.array([1e160, 1e160]), DATA)


def test_exact_losses_on_a_grid_are_object_arrays_and_on_a_point_expressions():
    grid = model.bn_loss(to_exact([[1, 3], [5, 3]]), bnpaper.counterexample_set())
    assert isinstance(grid, np.ndarray) and grid.dtype == object and grid.shape == (2,)
    assert sp.simplify(grid[1] - (201 - 2 * sp.sqrt(194))) == 0
    point = model.bn_loss(to_exact([5, 3]), bnpaper.counterexample_set())
    assert isinstance(point, sp.Expr) and sp.simplify(point - grid[1]) == 0
    assert to_exact([]).dtype == object and to_exact([]).shape == (0,)


def test_learning_set_errors_name_x_and_y():
    with pytest.raises(ValueError, match=r"^x has a non-finite entry at index \(0, 1\)"):
        bnpaper.LearningSet(np.array([[1.0, np.nan], [1.0, 2.0]]), np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match=r"^y has a non-finite entry at index \(1,\)"):
        bnpaper.LearningSet(np.array([[1.0, 1.0], [1.0, 2.0]]), np.array([1.0, np.inf]))
    with pytest.raises(TypeError, match=r"^data has type tuple; expected a LearningSet \(bnpaper"
                                        r"\.make_learning_set\(x, y\) makes one\)$"):
        model.bn_loss(np.ones(2), (DATA.x, DATA.y))


def test_bn_overflow_and_sigma_messages():
    w = np.array([1.0, 3.0])
    inputs = "weights w, inputs x, gamma and beta"
    with pytest.raises(ValueError, match=rf"^φ̂_w\(x̄\) is not finite: float64 overflows for "
                                         rf"{inputs} this large"):
        model.bn_output(w, DATA, gamma=1e308, beta=1e308)
    with pytest.raises(ValueError, match=rf"^Ĉ\(w\) is not finite: float64 overflows for "
                                         rf"{inputs} and labels y this large"):
        model.bn_loss(w, DATA, beta=1e200)
    with pytest.raises(ValueError, match=r"^σ\(w\) is not finite: float64 overflows"):
        model.bn_loss(np.array([1e200, -1e200]), DATA)
    with pytest.raises(ValueError, match=r"^σ\(w\) = 0: all pre-activations of the batch are "
                                         r"equal, so BN divides by zero; choose w ≠ 0 or eps > 0$"):
        model.bn_loss(to_exact([0, 0]), bnpaper.counterexample_set())


def test_a_symbolic_eps_stays_symbolic_on_the_exact_path():
    e = sp.Symbol("epsilon", positive=True)
    sigma = model.batch_std(to_exact([1, 2, 3]), model.SYMPY, eps=e)[0]
    assert sp.simplify(sigma - sp.sqrt(sp.Rational(2, 3) + e)) == 0


def test_weight_symbols_are_real_and_start_at_d_one():
    from bnpaper.core import exact

    (w1,) = exact.weight_symbols(1)
    assert w1.is_real and str(w1) == "w1" and exact.weight_symbols(3).dtype == object
    with pytest.raises(TypeError, match=r"^d has type str; expected a positive int$"):
        exact.weight_symbols("2")


def test_jax_arrays_are_recognised():
    from bnpaper.core import autodiff
    from bnpaper.core.namespace import is_jax

    jnp = autodiff.jax_x64().numpy
    assert is_jax(jnp.zeros(2)) and not is_jax(np.zeros(2)) and not is_jax(1.0)
    assert model.bn_loss(jnp.array([1.0, 3.0]), DATA) == pytest.approx(model.bn_loss(
        np.array([1.0, 3.0]), DATA), rel=1e-14)


def test_a_learning_set_keeps_its_derived_forms_read_only_and_centred_like_the_formula():
    data = bnpaper.counterexample_set()
    assert data.numeric() is data.numeric() and data.exact() is data.exact()
    xc, yc = data.centered()
    assert data.centered()[0] is xc  # centred once, not again by every function it meets
    assert xc.dtype == object and all(s == 0 for s in xc.sum(axis=0)) and sum(yc) == 0
    assert [list(r) for r in xc] == [[v - sum(data.x[:, j]) / 3 for j, v in enumerate(r)]
                                      for r in data.x]
    nxc, nyc = data.numeric().centered()
    np.testing.assert_allclose(nxc, np.asarray(xc, float), atol=1e-15)
    with pytest.raises(ValueError, match="read-only"):
        nxc[0, 0] = 1.0
    with pytest.raises(ValueError, match="read-only"):
        data.numeric().x[0, 0] = 1.0


def test_the_numeric_form_of_an_integer_set_is_float64():
    data = make_learning_set([[1, 1], [1, 2], [2, 3]], [2, 5, 13])
    numeric = data.numeric()
    assert numeric.x.dtype == np.float64 and numeric.y.dtype == np.float64
    xc, yc = numeric.centered()
    assert xc.dtype == np.float64 and yc.dtype == np.float64
    np.testing.assert_array_equal(yc, [2 - 20 / 3, 5 - 20 / 3, 13 - 20 / 3])
