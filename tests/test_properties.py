"""Property-based tests (Hypothesis) of the public API of the core modules: whatever the
shapes and values — NaN and ±inf in any argument, negative or non-finite ε, γ, β, huge or
tiny numbers — a function returns finite numbers or raises a ValueError/TypeError that names
the argument, never a NaN.

Deterministic (``derandomize=True``), bounded (``max_examples``), and writes no example
database into the repository. ``HYPOTHESIS_PROFILE=thorough`` runs more examples.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from bnpaper.core import autodiff, exact, model
from bnpaper.core.data import LearningSet, make_learning_set
from bnpaper.core.namespace import to_exact
from bnpaper.paper import lemma

ANY_FLOAT = st.floats(allow_nan=True, allow_infinity=True, width=64)
NON_FINITE = st.sampled_from([float("nan"), float("inf"), float("-inf")])
MODERATE = st.floats(-1e6, 1e6, allow_nan=False)
ARGUMENT = re.compile(r"(?<!\w)(w|x|y|gamma|beta|eps|W0|W\*|direction|σ\(w\)|M = \d+)(?!\w)")
"""An argument named as a word of its own: "w has shape …" names w, "with" and "when" do not."""


def test_an_error_names_an_argument_only_as_a_word_of_its_own():
    assert ARGUMENT.search("w has shape (3,); expected (..., 2)")
    assert ARGUMENT.search("W* = 0 (Xᵀy = 0)") and ARGUMENT.search("σ(w) = 0 at this w")
    for words in ("with a shape", "when it overflows", "was not finite", "the xs"):
        assert not ARGUMENT.search(words), words


def arrays(shape, elements=ANY_FLOAT):
    return hnp.arrays(np.float64, shape, elements=elements)


@st.composite
def learning_sets(draw, elements=ANY_FLOAT):
    m = draw(st.integers(1, 4))
    d = draw(st.integers(1, 3))
    x = draw(arrays((m, d), elements))
    y_len = draw(st.sampled_from([m, m, m, m + 1]))
    return x, draw(arrays((y_len,), elements))


def weights(d, elements=ANY_FLOAT):
    lead = st.lists(st.integers(1, 3), max_size=2).map(tuple)
    return lead.flatmap(lambda s: arrays((*s, d), elements))


def finite_or_clear_error(call):
    """Call; the result must be finite, or the error a ValueError/TypeError naming an argument."""
    try:
        value = call()
    except (ValueError, TypeError) as err:
        assert ARGUMENT.search(str(err)), f"the error names no argument: {err!r}"
        return None
    assert np.all(np.isfinite(np.asarray(value, dtype=float))), f"a non-finite result {value}"
    return value


@given(learning_sets(), st.data(), st.sampled_from(model.ACTIVATIONS),
       st.one_of(ANY_FLOAT, st.just(1.0)), st.one_of(ANY_FLOAT, st.just(0.0)),
       st.one_of(ANY_FLOAT, st.just(0.0)))
def test_every_loss_and_output_is_finite_or_a_clear_error(xy, data, activation, gamma, beta,
                                                          eps):
    try:
        learning_set = make_learning_set(*xy)
    except (ValueError, TypeError) as err:
        assert ARGUMENT.search(str(err)), err
        return
    d = learning_set.d
    w = data.draw(st.one_of(weights(d), weights(data.draw(st.integers(1, 3)))))
    finite_or_clear_error(lambda: model.standard_loss(w, learning_set, activation))
    finite_or_clear_error(lambda: model.standard_output(w, learning_set, activation))
    finite_or_clear_error(lambda: model.bn_loss(w, learning_set, gamma, beta, eps, activation))
    finite_or_clear_error(lambda: model.bn_output(w, learning_set, gamma, beta, eps, activation))


@st.composite
def valid_problem(draw):
    m = draw(st.integers(2, 4))
    d = draw(st.integers(1, 3))
    x = draw(arrays((m, d), MODERATE))
    y = draw(arrays((m,), MODERATE))
    w = draw(weights(d, MODERATE))
    return x, y, w


@given(valid_problem(), st.sampled_from(["x", "y", "w", "gamma", "beta", "eps"]), NON_FINITE,
       st.data())
def test_a_non_finite_value_in_any_argument_is_a_value_error_naming_it(problem, where, bad,
                                                                       data):
    x, y, w = (a.copy() for a in problem)
    kwargs = {"gamma": 1.0, "beta": 0.0, "eps": 0.0}
    if where in kwargs:
        kwargs[where] = bad
    else:
        arr = {"x": x, "y": y, "w": w}[where]
        arr[tuple(data.draw(st.integers(0, n - 1)) for n in arr.shape)] = bad
    with pytest.raises(ValueError, match=rf"^{where}\b"):
        model.bn_loss(w, make_learning_set(x, y), **kwargs)


@given(valid_problem(), st.one_of(st.floats(max_value=-1e-300), NON_FINITE))
def test_a_negative_or_non_finite_eps_is_a_value_error_naming_eps(problem, eps):
    x, y, w = problem
    data = make_learning_set(x, y)
    for f in (model.bn_loss, model.bn_output):
        with pytest.raises(ValueError, match=r"^eps\b"):
            f(w, data, eps=eps)
    with pytest.raises(ValueError, match=r"^eps\b"):
        model.batch_std(np.asarray(x)[:, 0], np, eps=eps)


@given(valid_problem(), st.sampled_from(["gamma", "beta"]), NON_FINITE)
def test_a_non_finite_gamma_or_beta_is_a_value_error_naming_it(problem, name, bad):
    x, y, w = problem
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        model.bn_output(w, make_learning_set(x, y), **{name: bad})
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        model.batch_normalize(np.array([1.0, 2.0]), np, **{name: bad})


NOT_NUMBERS = st.sampled_from(["ab", "1", b"12", None, {"w": 1}, {1, 2}, [1 + 2j, 1.0],
                               ["a", "b"], [[1.0], [1.0, 2.0]]])


@given(NOT_NUMBERS, valid_problem())
def test_something_that_is_not_numbers_is_a_type_error_naming_the_argument(bad, problem):
    x, y, w = problem
    data = make_learning_set(x, y)
    for f in (model.bn_loss, model.standard_loss, model.bn_output):
        with pytest.raises(TypeError, match=r"^w\b"):
            f(bad, data)
    for name in ("gamma", "beta", "eps"):
        with pytest.raises(TypeError, match=rf"^{name}\b"):
            model.bn_loss(w, data, **{name: bad})
    with pytest.raises(TypeError, match=r"^x\b"):
        make_learning_set(bad, y)
    with pytest.raises(TypeError, match=r"^data\b"):
        model.bn_loss(w, (x, y))


def test_a_string_for_w_is_a_type_error_not_a_shape_error():
    data = make_learning_set([[1, 1], [1, 2], [2, 3]], [2, 5, 13])
    with pytest.raises(TypeError, match=r"^w has type str"):
        model.bn_loss("1, 3", data)


@given(st.integers(1, 3).flatmap(lambda d: st.tuples(weights(d), arrays((d,)), arrays((d,)))))
def test_lemma_functions_are_finite_or_a_clear_error(points):
    w0, w_star, v = points
    finite_or_clear_error(lambda: lemma.lemma_rhs(w0, w_star))
    finite_or_clear_error(lambda: lemma.distance_sq_to_line(w0, v))
    finite_or_clear_error(lambda: lemma.distance_sq_to_ray(w0, v))
    lhs = finite_or_clear_error(lambda: lemma.check_lemma(w0, w_star, v).lhs)
    assert lhs is None or np.all(lhs >= -1e-9 * max(1.0, float(np.max(np.abs(w0)))) ** 2)


@given(st.sampled_from(["W0", "W*", "direction"]), NON_FINITE)
def test_lemma_names_the_point_that_is_not_finite(where, bad):
    points = {"W0": np.array([1.0, 3.0]), "W*": np.array([1.0, 3.0]),
              "direction": np.array([5.0, 3.0])}
    points[where][1] = bad
    fn = lemma.lemma_rhs if where != "direction" else lemma.distance_sq_to_ray
    args = (points["W0"], points["W*"] if where != "direction" else points["direction"])
    with pytest.raises(ValueError, match=rf"^{re.escape(where)} "):
        fn(*args)
    with pytest.raises(TypeError, match=r"^W0\b"):
        lemma.distance_sq_to_line("W0", points["direction"])


@given(st.lists(st.one_of(MODERATE, NON_FINITE), min_size=1, max_size=4))
def test_to_exact_is_exact_for_finite_floats_and_refuses_the_rest(values):
    if all(np.isfinite(values)):
        assert [float(v) for v in to_exact(values)] == values
    else:
        with pytest.raises(ValueError, match="finite"):
            to_exact(values)


@given(st.one_of(st.integers(-3, 0), st.just("2"), st.just(2.0), st.just(True)))
def test_weight_symbols_needs_a_positive_int_d(d):
    with pytest.raises((ValueError, TypeError), match=r"^d\b"):
        exact.weight_symbols(d)


@settings(max_examples=15)
@given(arrays((2,), ANY_FLOAT))
def test_autodiff_gradient_is_finite_or_a_clear_error(w):
    data = LearningSet(np.array([[1.0, 1.0], [1.0, 2.0], [2.0, 3.0]]), np.array([2.0, 5.0, 13.0]))
    finite_or_clear_error(lambda: autodiff.gradient_of(model.bn_loss, data)(w))


def test_power_of_ten_is_short_in_both_forms_and_refuses_other_numbers():
    from bnpaper.core.text import power_of_ten

    tols = (1e-9, 1e-12, 1e-4, 1.0, 100.0)
    assert [power_of_ten(t) for t in tols] == ["1e-9", "1e-12", "1e-4", "1e0", "1e2"]
    assert [power_of_ten(t, latex=True) for t in tols] == [
        "10^{-9}", "10^{-12}", "10^{-4}", "10^{0}", "10^{2}"]
    for bad in (2e-9, 0.0, -1e-9, float("nan"), float("inf")):
        for latex in (False, True):
            with pytest.raises(ValueError, match="power of ten"):
                power_of_ten(bad, latex)


def test_aligned_table_right_aligns_each_column_and_refuses_ragged_rows():
    from bnpaper.presentation.tables import aligned_table

    assert aligned_table([("a", "bb"), (True, 3)], (4, 3)) == "   a  bb\nTrue   3"
    with pytest.raises(ValueError, match="2 cells; expected 3"):
        aligned_table([("a", "b")], (1, 1, 1))
