"""Where Lemma 4.5 holds for one linear neuron (chapter *A general answer for one linear
neuron*): the criterion, a bias input, M ≤ d, centred inputs and rank-deficient Xc, each
checked against independent numerics (least squares, autodiff, brute-force distances)."""

import json
import re
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

from bnpaper.core import autodiff, bn_closed_form, least_squares, model
from bnpaper.core.data import LearningSet, make_learning_set
from bnpaper.core.namespace import to_exact
from bnpaper.paper import lemma
from bnpaper.paper.counterexample import counterexample_set
from bnpaper.presentation.reports import scope as reports
from bnpaper.topics import scope

BOOK = Path(__file__).resolve().parents[1] / "book"


def random_data(seed, m, d, bias=False):
    rng = np.random.default_rng(seed)
    x = 1.0 + rng.normal(size=(m, d))
    y = x @ rng.normal(size=d) + 1.0 + 0.5 * rng.normal(size=m)
    if bias:
        x = np.column_stack([x, np.ones(m)])
    return make_learning_set(x, y)


def violations(data, w_star, n=4000, seed=0):
    """Random admissible W₀ violating the lemma, with the BN minima from scope."""
    return scope.lemma_failures(scope.minima_geometry(data), w_star, n, seed)[1]


# --------------------------------------------------------------------------- the identity


@pytest.mark.parametrize("seed", range(3))
def test_residual_identity_holds_for_any_data_and_weights(seed):
    rng = np.random.default_rng(seed)
    x, y = rng.normal(size=(6, 3)), rng.normal(size=6)
    big_w, w = rng.normal(size=3), rng.normal(size=3)
    assert abs(scope.residual_identity(x, y, big_w, w)) < 1e-10


def test_residual_identity_is_exact_for_symbolic_data():
    xs = np.array(sp.symbols("x1:9"), dtype=object).reshape(4, 2)
    ys = np.array(sp.symbols("y1:5"), dtype=object)
    big_w, w = (np.array(sp.symbols(f"{s}1:3"), dtype=object) for s in ("W", "w"))
    assert scope.residual_identity(xs, ys, big_w, w) == 0


@pytest.mark.parametrize("seed", range(3))
def test_w_star_is_projection_of_yc_iff_mean_residual_or_input_mean_is_zero(seed):
    data = random_data(seed, 8, 3)
    w_star = np.linalg.lstsq(data.x, data.y, rcond=None)[0]
    xc, yc = least_squares.centered(data.x, data.y)
    proj = xc @ np.linalg.lstsq(xc, yc, rcond=None)[0]
    assert np.linalg.norm(xc @ w_star - proj) > 1e-3  # r̄ ≠ 0 and x̄ ≠ 0: not the projection
    centred = make_learning_set(xc, data.y)  # x̄ = 0
    w_c = np.linalg.lstsq(centred.x, centred.y, rcond=None)[0]
    np.testing.assert_allclose(xc @ w_c, proj, atol=1e-10)


# --------------------------------------------------------------------------- a bias input


@pytest.mark.parametrize("seed", range(4))
def test_bias_neuron_w_star_is_slope_and_intercept_and_a_bn_minimum(seed):
    plain = random_data(seed, 6 + seed, 2 + seed % 2)
    data = scope.with_bias(plain)
    w_star = np.linalg.lstsq(data.x, data.y, rcond=None)[0]
    fits = least_squares.linear_fits(plain)
    np.testing.assert_allclose(w_star, [*fits.v_hat, fits.intercept], atol=1e-10)
    grad = autodiff.gradient_of(model.bn_loss, data)(w_star)
    assert np.linalg.norm(grad) < 1e-9
    assert violations(data, w_star) == 0
    # the same samples without the bias input: W* is off the minima and the lemma fails
    w_plain = np.linalg.lstsq(plain.x, plain.y, rcond=None)[0]
    assert np.linalg.norm(autodiff.gradient_of(model.bn_loss, plain)(w_plain)) > 1e-3
    assert violations(plain, w_plain) > 0


def test_bias_neuron_loss_does_not_depend_on_the_bias_weight():
    data = scope.with_bias(counterexample_set()).numeric()
    w = np.array([[5.0, 3.0, s] for s in (-7.0, 0.0, 40.0)])
    assert np.ptp(model.bn_loss(w, data)) < 1e-9


def test_paper_set_with_bias_has_exact_w_star_and_zero_gradient():
    data = scope.with_bias(counterexample_set())
    w_star = least_squares.least_norm_standard_optimum(data)
    assert list(w_star) == [5, 3, -6]
    assert scope.exact_bn_gradient(data, w_star) == [0, 0, 0]
    assert scope.bn_verdict(scope.minima_geometry(data), w_star).kind == "minimum"


# --------------------------------------------------------------------------- M ≤ d


@pytest.mark.parametrize(("m", "d"), [(3, 3), (3, 5), (4, 6)])
def test_every_interpolant_is_a_bn_minimum_when_m_le_d(m, d):
    data = random_data(m + d, m, d)
    rng = np.random.default_rng(d)
    pinv = np.linalg.pinv(data.x)
    for w0 in rng.normal(size=(5, d)):
        w_star = w0 + pinv @ (data.y - data.x @ w0)  # the minimizer of C closest to W₀
        np.testing.assert_allclose(data.x @ w_star, data.y, atol=1e-10)
        grad = bn_closed_form.bn_gradient_closed_form(w_star, data)
        assert np.linalg.norm(grad) * np.linalg.norm(w_star) < 1e-9
        assert violations(data, w_star, n=1000) == 0


def test_underdetermined_example_interpolates_exactly():
    data = scope.underdetermined_example()
    w_star = least_squares.least_norm_standard_optimum(data)
    assert data.M == data.d
    assert all(v == 0 for v in data.x @ w_star - data.y)
    assert scope.exact_bn_gradient(data, w_star) == [0, 0, 0]


# --------------------------------------------------------------------------- distances


@pytest.mark.parametrize("seed", range(3))
def test_distance_to_ray_plus_null_space_matches_brute_force(seed):
    data = scope.with_bias(random_data(seed, 7, 2))  # minima: t(v̂, 0) + s e₃
    v = np.array([*least_squares.linear_fits(LearningSet(data.x[:, :2], data.y)).v_hat, 0.0])
    rng = np.random.default_rng(seed)
    w0 = rng.normal(size=(50, 3)) * 3
    formula = scope.distance_sq_to_bn_minima(w0, scope.minima_geometry(data))
    t = np.linspace(1e-6, 20, 4001)
    for p, f in zip(w0, formula, strict=True):
        # the bias coordinate is free: the distance is the one to the ray in (w₁, w₂)
        ray = t[:, None] * v[None, :2]
        brute = np.min(np.sum((p[:2] - ray) ** 2, axis=-1))
        assert f == pytest.approx(brute, abs=1e-4)


def test_exact_distance_matches_float_distance():
    data = scope.with_bias(counterexample_set())
    w0 = np.array([[1, 2, 3], [-1, 4, 0]], dtype=object)
    geometry = scope.minima_geometry(data)
    exact_d = scope.distance_sq_to_bn_minima(w0, geometry)
    np.testing.assert_allclose([float(e) for e in exact_d],
                               scope.distance_sq_to_bn_minima(w0.astype(float), geometry))


def test_rank_one_every_point_is_a_flat_stationary_point():
    data = scope.scope_examples()["rank Xc = 1 < d"][1].numeric()
    grad = autodiff.gradient_of(model.bn_loss, data)
    for w in np.random.default_rng(0).normal(size=(10, 2)):
        assert np.linalg.norm(grad(w)) < 1e-9
    assert scope.distance_sq_to_bn_minima(np.ones(2), scope.minima_geometry(data)) == 0


# --------------------------------------------------------------------------- the table


def test_minima_geometry_centres_the_exact_set_once_for_the_verdict_and_the_distances():
    geometry = scope.minima_geometry(counterexample_set().numeric())
    assert geometry.data.x.dtype == object and geometry.rank == 2 and not geometry.flat
    assert list(geometry.pinv * geometry.yc) == [5, 3]  # v̂
    assert list(geometry.xc.T * sp.ones(3, 1)) == [0, 0]  # centred
    flat = scope.minima_geometry(scope.scope_examples()["rank Xc = 1 < d"][1])
    assert flat.rank == 1 and flat.flat


def test_scope_row_uses_the_steps_it_is_given():
    data = counterexample_set()
    row = scope.scope_row("r", "e", data, n=200,
                          verdict=lambda geometry, w: scope.BNVerdict("minimum", 1),
                          distance_sq=lambda w0, geometry: 0 * np.sum(np.asarray(w0), -1))
    assert row.verdict.kind == "minimum" and row.lhs_at_w_star == 0 and row.n_fail == 0
    assert not row.consistent  # the exact gradient at W* is not zero


def test_scope_table_rows_agree_with_the_criterion():
    rows = scope.scope_rows(n=4000)
    assert all(r.consistent for r in rows)
    assert [r.lemma_holds for r in rows] == scope.EXPECTED_HOLDS


def test_lemma_fails_for_every_admissible_w0_when_w_star_is_a_maximum():
    row = scope.scope_rows(n=2000)[1]
    assert row.verdict.kind == "maximum" and row.stationary
    assert row.n_fail == row.n_admissible > 0


def test_paper_row_lhs_at_w_star_is_72_over_17():
    row = scope.scope_rows(n=100)[0]
    assert row.lhs_at_w_star == sp.Rational(72, 17)
    assert not row.stationary


def test_scope_table_header_cells_all_have_text():
    header = reports.scope_markdown(scope.scope_rows(n=100)).splitlines()[0]
    cells = header.strip("|").split("|")
    # accessibility: every header cell has words, not only math (which may read as empty)
    assert all(re.search(r"[A-Za-z]", re.sub(r"\$[^$]*\$", "", c)) for c in cells)


def test_bn_verdict_rejects_w_with_zero_sigma():
    with pytest.raises(ValueError, match="σ"):
        scope.bn_verdict(scope.minima_geometry(scope.with_bias(counterexample_set())), [0, 0, 1])


# --------------------------------------------------------------------------- the arrow


def test_descent_direction_at_w_star_points_to_the_ray_of_minima():
    data = counterexample_set()
    fits = least_squares.linear_fits(data)
    geo = scope.descent_geometry(data, fits.w_star, fits.v_hat)
    assert geo.orthogonal and geo.step > 0 and geo.on_minima
    assert list(geo.point) == [sp.Rational(25, 7), sp.Rational(15, 7)]
    assert lemma.distance_sq_to_ray(np.asarray(geo.point, dtype=float),
                                    np.asarray(fits.v_hat, dtype=float)) < 1e-12


# --------------------------------------------------------------------------- claims


def markdown(name):
    cells = json.loads((BOOK / f"{name}.ipynb").read_text())["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def test_general_chapter_states_hypotheses_not_measure_zero_everywhere():
    text = markdown("general_linear_neuron")
    assert "flat to first order" in text
    for label in ("prop-lemma-criterion", "prop-mean-residual", "prop-bias-neuron",
                  "prop-underdetermined", "sec-scope-table"):
        assert label in text


def test_counterexample_caption_and_intro_state_direction_hypothesis_and_scope():
    caption = markdown("counterexample")
    assert "towards the ray of\nminima" in caption and "sec-scope-table" in caption
    intro = markdown("intro")
    assert "starting from any $W_0$\nwith $\\langle W_0, W^*\\rangle > 0$" in intro
    assert "## How to cite" in intro and "{cite:t}`dannemann2025`" in intro
    assert "version 0.1.0" in intro and "CITATION.cff" in intro


# --------------------------------------------------------------------------- a hidden bias


def test_scope_table_prints_lambda_only_where_xc_has_full_column_rank():
    rows = scope.scope_rows(n=100)
    lines = reports.scope_markdown(rows).splitlines()[2:]
    for row, line in zip(rows, lines, strict=True):
        assert ("λ =" in line) == (row.rank == row.d and row.verdict.multiple is not None)
    assert any("λ = -1" in line for line in lines)  # the full-rank maximum keeps its λ
    assert sum(r.rank < r.d for r in rows) >= 4  # M ≤ d, both bias rows, rank one


def test_the_rank_one_example_is_a_hidden_bias_2x1_minus_x2():
    regime, data = scope.scope_examples()["rank Xc = 1 < d"]
    assert scope.constant_combination(data) == (2, -1)
    assert regime.endswith("a hidden bias: 2x₁ − x₂ = 1")
    assert scope.constant_combination(counterexample_set()) is None
    assert scope.combination_text((-1, 3, 0, -2)) == "−x₁ + 3x₂ − 2x₄"


@pytest.mark.parametrize("seed", range(4))
def test_full_rank_x_with_rank_deficient_xc_has_one_in_its_column_space(seed):
    """X (M × d) of full column rank whose columns include a combination equal to 1: Xc is
    rank-deficient, Xc c = 0 for the c with Xc = 1, r̄ = 0 and W* is a global BN minimum; a
    generic X of full rank has 1 ∉ col X and Xc of full rank."""
    rng = np.random.default_rng(seed)
    m, d = 7, 3
    base = rng.integers(-3, 4, size=(m, d - 1))
    c = np.array([*rng.integers(1, 3, size=d - 1), 1])
    hidden = (1 - base @ c[:-1]) // c[-1]  # last column: ⟨c, x⟩ = 1 on every sample
    x = np.column_stack([base, hidden])
    assert np.linalg.matrix_rank(x) == d
    y = rng.integers(-5, 6, size=m)
    data = LearningSet(to_exact(x), to_exact(y))
    found = scope.constant_combination(data)
    assert found is not None
    assert list(sp.Matrix(x.tolist()) * sp.Matrix(found)) == [1] * m
    geometry = scope.minima_geometry(data)
    assert geometry.rank < d
    w_star = least_squares.least_norm_standard_optimum(data)
    assert sum(data.y) - sum(data.x @ w_star) == 0  # r̄ = 0
    assert scope.bn_verdict(geometry, w_star).kind in ("minimum", "flat minimum")
    assert all(g == 0 for g in scope.exact_bn_gradient(data, w_star))
    generic = LearningSet(to_exact(rng.integers(-3, 4, size=(m, d))), data.y)
    assert scope.constant_combination(generic) is None
    assert scope.minima_geometry(generic).rank == d
