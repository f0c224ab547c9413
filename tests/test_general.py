"""The general linear neuron (chapter *A general answer for one linear neuron*): each
proposition against independent numerics."""

import dataclasses

import matplotlib.pyplot as plt
import numpy as np
import pytest
import sympy as sp

from bnpaper.core import autodiff, bn_closed_form, exact, geometry, least_squares, model
from bnpaper.core.data import LearningSet, make_learning_set
from bnpaper.core.namespace import to_exact
from bnpaper.paper import counterexample
from bnpaper.paper.counterexample import counterexample_set
from bnpaper.presentation import plots
from bnpaper.presentation.figures import general as figures
from bnpaper.presentation.reports import general as reports
from bnpaper.presentation.reports import minimizer as minimizer_reports
from bnpaper.topics import general, minimizer, scope

from .helpers import central_difference, reference_bn_loss

PAPER = counterexample_set()


def random_set(seed, m=10, d=3):
    rng = np.random.default_rng(seed)
    x = 1.0 + rng.normal(size=(m, d))
    return make_learning_set(x, x @ rng.normal(size=d) + 1.0 + 0.5 * rng.normal(size=m))


def lstsq_slopes(data):
    """W* and v̂ by numpy's least squares, v̂ from an explicit intercept column."""
    x, y = data.x, data.y
    w_star = np.linalg.lstsq(x, y, rcond=None)[0]
    with_one = np.linalg.lstsq(np.column_stack([x, np.ones(len(y))]), y, rcond=None)[0]
    return w_star, with_one[:-1], with_one[-1]


# --------------------------------------------------------------------------- identity


@pytest.mark.parametrize("seed", range(4))
def test_closed_form_loss_equals_the_model_bn_loss(seed):
    data = random_set(seed, m=5 + seed, d=2 + seed)
    w = np.random.default_rng(seed + 10).normal(size=(50, data.d))
    np.testing.assert_allclose(bn_closed_form.bn_loss_closed_form(w, data), model.bn_loss(w, data),
                               rtol=1e-12)
    np.testing.assert_allclose(bn_closed_form.bn_loss_closed_form(w[0], data),
                               reference_bn_loss(w[0], data.x, data.y), rtol=1e-12)


def test_closed_form_loss_is_an_exact_identity_on_the_paper_set():
    w = exact.weight_symbols(2)
    difference = model.bn_loss(w, PAPER) - bn_closed_form.bn_loss_closed_form(w, PAPER)
    assert sp.simplify(sp.sympify(difference)) == 0


@pytest.mark.parametrize("seed", range(3))
def test_closed_form_gradient_matches_autodiff_and_finite_differences(seed):
    data = random_set(seed, m=8, d=3)
    grad = autodiff.gradient_of(model.bn_loss, data)
    for w in np.random.default_rng(seed).normal(size=(5, 3)):
        closed = bn_closed_form.bn_gradient_closed_form(w, data)
        np.testing.assert_allclose(closed, grad(w), atol=1e-10)
        fd = central_difference(lambda v: reference_bn_loss(v, data.x, data.y), w)
        np.testing.assert_allclose(closed, fd, atol=1e-6)


def test_closed_form_gradient_at_w_star_is_the_published_exact_value():
    grad = bn_closed_form.bn_gradient_closed_form(to_exact((1, 3)), PAPER)
    expected = counterexample.bn_gradient_at(PAPER, (1, 3))
    assert all(sp.simplify(g - e) == 0 for g, e in zip(grad, expected, strict=True))


# --------------------------------------------------------------------------- the two fits


@pytest.mark.parametrize("seed", range(4))
def test_slopes_are_the_least_squares_fits_without_and_with_intercept(seed):
    data = random_set(seed, m=6 + 3 * seed, d=2 + seed)
    w_star, v_hat = least_squares.slopes(data.x, data.y)
    ref_w, ref_v, ref_b = lstsq_slopes(data)
    np.testing.assert_allclose(w_star, ref_w, atol=1e-10)
    np.testing.assert_allclose(v_hat, ref_v, atol=1e-10)
    assert least_squares.linear_fits(data).intercept == pytest.approx(ref_b, abs=1e-10)


def test_slopes_are_vectorized_over_stacked_sets():
    sets = [random_set(s, m=7, d=3) for s in range(5)]
    w_star, v_hat = least_squares.slopes(np.stack([s.x for s in sets]),
                                         np.stack([s.y for s in sets]))
    for i, s in enumerate(sets):
        np.testing.assert_allclose(w_star[i], lstsq_slopes(s)[0], atol=1e-10)
        np.testing.assert_allclose(v_hat[i], lstsq_slopes(s)[1], atol=1e-10)


def test_paper_set_has_v_hat_5_3_parallel_to_the_derived_minima_ray():
    fits = least_squares.linear_fits(PAPER)
    assert tuple(fits.v_hat) == (5, 3)
    ray = counterexample.bn_minima_direction(PAPER)  # from the stationary set of Ĉ (sympy)
    assert fits.v_hat[0] * ray[1] - fits.v_hat[1] * ray[0] == 0 and ray[0] * 5 > 0


@pytest.mark.parametrize("seed", range(5))
def test_w_star_minus_v_hat_is_m_rbar_times_gram_inverse_of_mean_input(seed):
    data = random_set(seed, m=9, d=2 + seed % 3)
    ref_w, ref_v, _ = lstsq_slopes(data)
    fits = least_squares.linear_fits(data)
    np.testing.assert_allclose(ref_w - ref_v, fits.shift, atol=1e-9)
    assert fits.mean_residual == pytest.approx(np.mean(data.y - data.x @ ref_w), abs=1e-12)


def test_gram_and_moment_decompositions_hold_symbolically():
    # The proof's two identities: XᵀX = XcᵀXc + M x̄x̄ᵀ and Xᵀy = Xcᵀyc + M ȳ x̄.
    m, d = 4, 3
    x = sp.Matrix(m, d, sp.symbols(f"x1:{m * d + 1}"))
    y = sp.Matrix(sp.symbols(f"y1:{m + 1}"))
    xc, yc = (sp.Matrix(a) for a in least_squares.centered(np.array(x.tolist(), dtype=object),
                                                     np.array(list(y), dtype=object)))
    x_bar, y_bar = x.T * sp.ones(m, 1) / m, sum(y) / m
    assert sp.expand(x.T * x - xc.T * xc - m * x_bar * x_bar.T) == sp.zeros(d, d)
    assert sp.expand(x.T * y - xc.T * yc - m * y_bar * x_bar) == sp.zeros(d, 1)


# --------------------------------------------------------------------------- minima


@pytest.mark.parametrize("d", [2, 3, 5])
def test_numerical_minimization_from_random_starts_ends_on_the_ray_of_v_hat(d):
    rng = np.random.default_rng(d)
    x = 1.0 + rng.normal(size=(4, 12, d))
    y = np.einsum("smd,sd->sm", x, rng.normal(size=(4, d))) + 1.0 + 0.5 * rng.normal(size=(4, 12))
    found = minimizer.minimize_bn_loss(x, y, rng.normal(size=(4, 16, d)))
    _, v_hat = least_squares.slopes(x, y)
    assert np.degrees(geometry.angle(found.w, v_hat[:, None, :])).max() < 1e-4
    for i in range(4):
        minima = least_squares.bn_minima(LearningSet(x[i], y[i]))
        np.testing.assert_allclose(found.loss[i], minima.value, rtol=1e-12)
    assert found.grad_norm.max() < 1e-6


def test_brute_force_over_angles_finds_one_local_minimum_at_v_hat_and_one_maximum():
    theta = np.linspace(-np.pi, np.pi, 20_000, endpoint=False)
    circle = np.stack([np.cos(theta), np.sin(theta)], axis=-1)
    for seed in range(10):
        data = random_set(seed, m=3 + seed, d=2)
        loss = model.bn_loss(circle, data)
        is_min = (loss < np.roll(loss, 1)) & (loss < np.roll(loss, -1))
        is_max = (loss > np.roll(loss, 1)) & (loss > np.roll(loss, -1))
        assert is_min.sum() == 1 and is_max.sum() == 1
        v = least_squares.linear_fits(data).v_hat
        assert np.degrees(geometry.angle(circle[is_min][0], v)) < 0.02
        assert np.degrees(geometry.angle(circle[is_max][0], -v)) < 0.02


def test_constant_input_column_gives_a_ray_plus_the_null_space():
    x = np.column_stack([PAPER.x, np.ones(3, dtype=int)])
    data = LearningSet(to_exact(x), PAPER.y)
    minima = least_squares.bn_minima(data)
    assert minima.kind == "ray plus null space" and minima.rank == 2
    assert tuple(minima.direction) == (5, 3, 0)
    assert [tuple(n) for n in minima.null_space] == [(0, 0, 1)]
    num = data.numeric()
    along = np.array([[5.0, 3.0, s] for s in (-7.0, 0.0, 2.5, 40.0)])
    np.testing.assert_allclose(model.bn_loss(along, num), float(minima.value), rtol=1e-12)
    with pytest.raises(ValueError, match="σ\\(w\\) = 0"):
        model.bn_loss(np.array([0.0, 0.0, 1.0]), num)
    with pytest.raises(ValueError, match="Xc has rank 2 < d = 3"):
        least_squares.slopes(data.x, data.y)


def test_labels_uncorrelated_with_inputs_make_the_bn_loss_constant():
    data = LearningSet(PAPER.x, to_exact((4, 4, 4)))
    assert least_squares.bn_minima(data).kind == "constant"
    w = np.random.default_rng(0).normal(size=(20, 2))
    np.testing.assert_allclose(model.bn_loss(w, data.numeric()), 16 * 3 + 3, rtol=1e-12)


def test_rank_one_inputs_give_two_values_on_two_half_spaces():
    data = make_learning_set([[1.0], [1.0], [2.0]], [2.0, 5.0, 13.0])
    assert least_squares.bn_minima(data).kind == "half-space"
    values = model.bn_loss(np.array([[-3.0], [-0.1], [0.2], [5.0]]), data)
    assert values[0] == pytest.approx(values[1]) and values[2] == pytest.approx(values[3])
    assert values[2] < values[0]


# --------------------------------------------------------------------------- W* versus v̂


@pytest.mark.parametrize("name", ["paper", "centred inputs", "labels minus intercept",
                                  "positive multiple", "negative multiple"])
def test_verdict_on_w_star_agrees_with_the_exact_gradient_and_the_loss_values(name):
    data = general.example_sets()[name]
    verdict = general.classify_w_star(data)
    w_star = least_squares.linear_fits(data).w_star
    grad = exact.at(exact.gradient(exact.loss_expr(model.bn_loss, data)), tuple(w_star))
    assert (verdict.kind != "not stationary") == all(g == 0 for g in grad)
    theta = np.linspace(-np.pi, np.pi, 4000)
    values = model.bn_loss(np.stack([np.cos(theta), np.sin(theta)], -1), data.numeric())
    at_w_star = float(model.bn_loss(np.asarray(w_star, dtype=float), data.numeric()))
    if verdict.kind == "minimum":
        assert at_w_star <= values.min() + 1e-12
    elif verdict.kind == "maximum":
        assert at_w_star >= values.max() - 1e-12
    else:
        assert values.min() + 1e-6 < at_w_star < values.max() - 1e-6


def test_paper_set_w_star_is_not_stationary_and_the_examples_are():
    kinds = {k: general.classify_w_star(s).kind for k, s in general.example_sets().items()}
    assert kinds == {"paper": "not stationary", "centred inputs": "minimum",
                     "labels minus intercept": "minimum", "positive multiple": "minimum",
                     "negative multiple": "maximum"}
    assert general.classify_w_star(general.example_sets()["negative multiple"]).multiple == -1


def test_parallel_condition_is_rbar_zero_or_mean_input_parallel_to_covariance():
    for name, data in general.example_sets().items():
        fits = least_squares.linear_fits(data)
        cross = fits.x_bar[0] * fits.covariance[1] - fits.x_bar[1] * fits.covariance[0]
        condition = fits.mean_residual == 0 or cross == 0
        assert condition == (general.classify_w_star(data).kind != "not stationary"), name


# --------------------------------------------------------------------------- bad input


def test_bad_input_raises_clear_errors():
    with pytest.raises(ValueError, match="M >= 2"):
        least_squares.slopes(np.ones((1, 2)), np.ones(1))
    with pytest.raises(ValueError, match="one label per sample"):
        least_squares.slopes(np.ones((3, 2)), np.ones(4))
    with pytest.raises(ValueError, match="X has rank 2 < d = 3"):
        least_squares.slopes(np.random.default_rng(0).normal(size=(2, 3)), np.ones(2))
    with pytest.raises(ValueError, match="Xc has rank 1 < d = 2"):  # x₂ = x₁ − 1: X is fine
        least_squares.slopes(np.array([[1.0, 0.0], [2.0, 1.0], [3.0, 2.0]]),
                             np.array([1.0, 2.0, 4.0]))
    with pytest.raises(ValueError, match="W\\* = 0"):
        general.classify_w_star(LearningSet(PAPER.x, to_exact((1, 1, -1))))
    with pytest.raises(ValueError, match="Ĉ is constant"):
        general.classify_w_star(LearningSet(PAPER.x, to_exact((4, 4, 4))))
    with pytest.raises(ValueError, match="undefined everywhere"):
        least_squares.bn_minima(make_learning_set([[1.0, 2.0], [1.0, 2.0]], [0.0, 1.0]))
    with pytest.raises(ValueError, match="σ\\(w\\) = 0"):
        bn_closed_form.bn_loss_closed_form(np.zeros(2), PAPER.numeric())
    with pytest.raises(ValueError, match="a start is w = 0"):
        minimizer.minimize_bn_loss(PAPER.numeric().x[None], PAPER.numeric().y[None],
                                 np.zeros((1, 2, 2)))
    with pytest.raises(ValueError, match="starts has shape"):
        minimizer.minimize_bn_loss(PAPER.numeric().x[None], PAPER.numeric().y[None],
                                   np.ones((2, 2)))
    with pytest.raises(ValueError, match="angle to a zero vector"):
        geometry.angle(np.zeros(2), np.ones(2))


def test_scan_finds_one_local_minimum_at_v_hat_on_random_full_rank_sets():
    rng = np.random.default_rng(7)
    x, y = 1.0 + rng.normal(size=(15, 6, 2)), rng.normal(size=(15, 6))
    assert general.scan_minima(x, y, least_squares.slopes(x, y)[1]) == (15, 15)
    with pytest.raises(ValueError, match="expected \\(S, M, 2\\)"):
        general.scan_minima(x[..., :1], y, least_squares.slopes(x, y)[1])
    with pytest.raises(ValueError, match="v_hat has shape"):
        general.scan_minima(x, y, least_squares.slopes(x, y)[1][:3])


def test_scan_rejects_a_wrong_v_hat():
    """The scan finds the minimum off a direction that is not v̂, e.g. the slope W* without
    intercept."""
    rng = np.random.default_rng(8)
    x, y = 1.0 + rng.normal(size=(10, 6, 2)), rng.normal(size=(10, 6)) + 2.0
    w_star, _ = least_squares.slopes(x, y)
    assert general.scan_minima(x, y, w_star) == (0, 10)


def test_the_example_table_shows_the_fits_and_the_verdict_of_each_set():
    sets = general.example_sets()
    lines = reports.example_markdown({k: sets[k] for k in ("paper", "negative multiple")}
                                     ).splitlines()
    assert len(lines) == 4 and lines[1] == "|---" * 9 + "|"
    paper = [c.strip() for c in lines[2].strip("|").split("|")]
    assert paper[0] == "paper: $(2, 5, 13)$" and paper[4:6] == ["$(1, 3)$", "$(5, 3)$"]
    assert paper[3] == r"$- \frac{2}{3}$" and paper[-1] == "not stationary"
    assert paper[6] == paper[7] == "$(-4, 0)$"  # W* − v̂ = M r̄ (XcᵀXc)⁻¹x̄
    assert lines[3].endswith("| a maximum, λ = -1 |")


def test_loss_by_angle_figure_has_a_panel_per_set_with_titles_labels_and_a_legend():
    sets = general.example_sets()
    fig = figures.loss_by_angle_figure({"paper": sets["paper"], "neg": sets["negative multiple"]})
    assert len(fig.axes) == 2 and fig.legends
    assert "is not stationary" in fig.axes[0].get_title()
    assert "a maximum" in fig.axes[1].get_title()
    assert all(ax.get_xlabel() for ax in fig.axes) and fig.axes[0].get_ylabel()
    # drawn at the column's width, angles in degrees
    assert fig.get_size_inches()[0] == plots.figure_size()[0]
    fig.canvas.draw()
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert "90°" in labels and all(label.endswith("°") for label in labels)
    plt.close(fig)
    three = figures.loss_by_angle_figure({k: sets[k] for k in list(sets)[:3]})
    assert len(three.axes) == 4 and three.axes[3].get_legend() is not None  # the free panel
    plt.close(three)


GOOD_AGREEMENT = minimizer.MinimaAgreement(8, 0.0, 0.0, 0.0)


@pytest.mark.parametrize(("field", "bad", "column"), [
    ("max_angle_deg", 2e-4, 0), ("max_loss_gap", 2e-12, 1), ("max_grad", 2e-4, 2)])
def test_each_agreement_verdict_fails_on_its_own_check_alone(field, bad, column):
    verdicts = dataclasses.replace(GOOD_AGREEMENT, **{field: bad}).verdicts()
    assert [i for i, ok in enumerate(verdicts) if not ok] == [column]


def test_the_agreement_table_names_its_tolerances_and_says_whether_all_passed():
    table, ok = minimizer_reports.agreement_table({(2, 3): GOOD_AGREEMENT})
    header, row = table.splitlines()
    assert "rel. gap < 1e-12" in header and "|grad| < 1e-4" in header
    assert row.split() == ["(2,", "3)", "8", "True", "True", "True"] and ok
    bad = dataclasses.replace(GOOD_AGREEMENT, max_grad=1.0)
    table, ok = minimizer_reports.agreement_table({(2, 3): GOOD_AGREEMENT, (5, 10): bad})
    assert not ok and table.splitlines()[2].split()[-1] == "False"


def test_numerical_minima_agree_with_the_closed_form_on_random_sets():
    x, y = 1.0 + np.random.default_rng(4).normal(size=(2, 5, 2)), np.arange(10.0).reshape(2, 5)
    starts = np.random.default_rng(5).normal(size=(2, 4, 2))
    assert all(minimizer.minima_agreement(x, y, starts).verdicts())


def test_the_bias_table_shows_w_star_as_the_fit_with_intercept_and_a_zero_gradient():
    """The paper's set with a bias input: W* = (v̂, b̂) = (5, 3, −6), residual 0, the minima a
    ray plus the bias weight's line, ∇Ĉ(W*) = 0; each from the package's derivations, the
    table only shows them."""
    data = scope.with_bias(counterexample_set())
    w = least_squares.least_norm_standard_optimum(data)
    fits = least_squares.linear_fits(LearningSet(data.x[:, :-1], data.y))
    minima = least_squares.bn_minima(data)
    grad = scope.exact_bn_gradient(data, w)
    table = reports.bias_markdown({"paper + bias": data},
                                  {"paper + bias": (w, fits, minima, grad)}).splitlines()
    assert len(table) == 3 and table[0].count("|") == 7
    cells = [c.strip() for c in table[2].strip("|").split("|")]
    assert cells[1] == cells[2] == "$(5, 3, -6)$"
    assert cells[3] == "$(0, 0, 0)$" and cells[5] == "$(0, 0, 0)$"
    assert cells[4] == r"ray plus null space: $t\,(5, 3, 0) + s\,(0, 0, 1)$"
