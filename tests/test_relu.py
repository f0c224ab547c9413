"""The ReLU chapter: each exact result against an independent numeric computation."""

import json
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest
import sympy as sp

from bnpaper.core import autodiff, exact, geometry, least_squares, model
from bnpaper.core.data import make_learning_set
from bnpaper.paper import counterexample, lemma
from bnpaper.presentation import plots
from bnpaper.presentation.figures import relu as relu_figures
from bnpaper.presentation.reports import relu as relu_reports
from bnpaper.topics.relu import critical, examples, numeric, sectors, standard

from .helpers import central_difference, random_weights

W_STAR = (sp.Integer(1), sp.Integer(3))


def reference_relu_loss(w, data):
    """C(w) for the ReLU neuron written out by hand (not bnpaper's code); w: (..., 2)."""
    x, y = data.x, data.y
    z = np.asarray(w, float) @ x.T
    return np.sum((np.maximum(z, 0) - y) ** 2, axis=-1)


def reference_bn_relu_loss(w, data):
    """Ĉ(w) for ReLU after BN written out with np.std (population, ddof=0); w: (..., 2)."""
    x, y = data.x, data.y
    z = np.asarray(w, float) @ x.T
    zhat = (z - z.mean(axis=-1, keepdims=True)) / z.std(axis=-1, keepdims=True)
    return np.sum((np.maximum(zhat, 0) - y) ** 2, axis=-1)


def circle(theta):
    return np.stack([np.cos(theta), np.sin(theta)], axis=-1)


@pytest.fixture(scope="module")
def rays(paper_set):
    return critical.bn_relu_critical_rays(paper_set)


@pytest.fixture(scope="module")
def minima(paper_set):
    return critical.bn_relu_minima(paper_set)


# --- the standard ReLU neuron ------------------------------------------------------------

def test_standard_relu_optimum_is_w_star_and_matches_a_grid_search(paper_set, paper_numeric):
    best = standard.standard_relu_minimum(paper_set)
    assert best.minimizers == (W_STAR,) and best.value == 12
    g = np.linspace(-10, 10, 2001)  # step 0.01, contains (1, 3)
    w = np.stack(np.meshgrid(g, g), axis=-1)
    values = reference_relu_loss(w, paper_numeric)
    k = np.unravel_index(values.argmin(), values.shape)
    np.testing.assert_allclose(w[k], [1, 3], atol=1e-9)
    assert values[k] == pytest.approx(12, abs=1e-9)


def test_standard_relu_optimum_beats_random_starts_refined_by_gradient_descent(paper_numeric):
    w = np.random.default_rng(7).uniform(-10, 10, size=(500, 2))
    for _ in range(3000):  # hand-written gradient of the hand-written loss, all starts at once
        z = w @ paper_numeric.x.T
        w = w - 0.01 * 2 * ((np.maximum(z, 0) - paper_numeric.y) * (z > 0)) @ paper_numeric.x
    final = reference_relu_loss(w, paper_numeric)
    assert final.min() >= 12 - 1e-9
    assert np.isclose(final, 12).any()  # and some starts do reach W*


def test_each_sector_minimum_is_attained_and_not_beaten_by_random_points_of_the_sector(
        paper_set, paper_numeric):
    normals = sectors.kink_normals(sectors.relu_arguments(paper_set, bn=False))
    x = np.array(normals, dtype=float)
    pts = np.random.default_rng(1).normal(size=(20_000, 2)) * 15
    pattern = pts @ x.T > 0
    values = reference_relu_loss(pts, paper_numeric)
    for m in standard.standard_relu_sector_minima(paper_set):
        point = np.array(exact.to_floats(m.point))
        assert reference_relu_loss(point, paper_numeric) == pytest.approx(float(m.value))
        inside = np.all(pattern == np.array(m.active), axis=1)
        assert inside.any()
        assert values[inside].min() >= float(m.value) - 1e-9


def test_c_relu_equals_the_linear_c_within_the_linear_region_radius_of_w_star(
        paper_set, paper_numeric):
    radius = standard.linear_region_radius(W_STAR, paper_set)
    assert radius == 2 * sp.sqrt(2)
    r = float(radius)
    rng = np.random.default_rng(2)
    d = rng.normal(size=(500, 2))
    pts = np.array([1.0, 3.0]) + d / np.linalg.norm(d, axis=1, keepdims=True) * (
        r * rng.uniform(0, 0.999, size=(500, 1)))
    x, y = paper_numeric.x, paper_numeric.y
    np.testing.assert_allclose(reference_relu_loss(pts, paper_numeric),
                               np.sum((pts @ x.T - y) ** 2, axis=-1), rtol=1e-12)
    # just beyond the radius, towards the nearest kink line ⟨w, (1, 1)⟩ = 0, they differ
    beyond = np.array([1.0, 3.0]) - np.array([1, 1]) / np.sqrt(2) * r * 1.01
    assert reference_relu_loss(beyond, paper_numeric) != pytest.approx(
        np.sum((beyond @ x.T - y) ** 2))


# --- the BN-ReLU neuron at W* ---------------------------------------------------------------

def test_exact_bn_relu_gradient_at_w_star_matches_jax_and_finite_differences(
        paper_set, paper_numeric):
    grad = np.array(exact.to_floats(critical.bn_relu_gradient_at(paper_set, W_STAR)))
    w = np.array([1.0, 3.0])
    jax_grad = autodiff.gradient_of(model.bn_loss, paper_numeric, activation="relu")
    np.testing.assert_allclose(grad, jax_grad(w), atol=1e-12)
    fd = central_difference(lambda v: reference_bn_relu_loss(v, paper_numeric), w)
    np.testing.assert_allclose(grad, fd, atol=1e-8)


def test_bn_relu_gradient_at_w_star_is_not_zero_and_orthogonal_to_w_star(paper_set):
    grad = critical.bn_relu_gradient_at(paper_set, W_STAR)
    assert min(abs(float(g)) for g in grad) > 0.1
    assert sp.simplify(grad[0] * W_STAR[0] + grad[1] * W_STAR[1]) == 0


def test_exact_bn_relu_gradient_matches_jax_at_random_smooth_points(paper_set, paper_numeric):
    jax_grad = autodiff.gradient_of(model.bn_loss, paper_numeric, activation="relu")
    for w in random_weights(8, seed=5):
        w = tuple(sp.Rational(round(c, 3)).limit_denominator(1000) for c in w)
        g = np.array(exact.to_floats(critical.bn_relu_gradient_at(paper_set, w)))
        np.testing.assert_allclose(g, jax_grad(np.array(w, dtype=float)), atol=1e-10)


def test_bn_relu_outputs_at_w_star_switch_off_two_of_three_samples(paper_set):
    out = critical.bn_relu_outputs_at(paper_set, W_STAR)
    assert out[:2] == [0, 0] and float(out[2]) == pytest.approx(11 / np.sqrt(74))


# --- the minima of the BN-ReLU loss -----------------------------------------------------------

def test_bn_relu_global_minimum_direction_matches_a_fine_angular_grid(paper_numeric, minima):
    theta = np.linspace(-np.pi, np.pi, 400_001)
    values = reference_bn_relu_loss(circle(theta), paper_numeric)
    best = minima[0]
    assert best.direction == (1, 0)
    assert abs(theta[values.argmin()]) < 2e-5
    assert float(best.value) == pytest.approx(values.min(), rel=1e-12)
    assert sp.expand(best.value) == 200 - 26 * sp.sqrt(2)


def test_every_exact_local_minimum_is_found_by_the_refined_angular_grid_and_back(paper_set, minima):
    angles, values = numeric.numeric_local_minima(paper_set)
    assert len(angles) == len(minima)
    for ray, a, v in zip(minima, angles, values, strict=True):
        # a minimum found from loss values alone is only located to ~√(float eps) in angle
        assert ray.angle == pytest.approx(a, abs=1e-6)
        assert float(ray.value) == pytest.approx(v, rel=1e-12)


def test_exact_local_minima_and_maxima_are_below_and_above_their_neighbours(paper_numeric, rays):
    for ray in rays:
        v = float(sp.N(ray.value, 20))
        side = reference_bn_relu_loss(circle(ray.angle + np.array([-1e-4, 1e-4])),
                                      paper_numeric)
        assert np.all(side > v) if ray.kind == "minimum" else np.all(side < v)


def test_smooth_critical_rays_have_zero_angular_derivative_by_finite_differences(
        paper_numeric, rays):
    smooth = [r for r in rays if not r.kink]
    assert any(not all(isinstance(c, sp.Rational) for c in r.direction) for r in smooth)
    for ray in smooth:
        f = lambda t: float(reference_bn_relu_loss(circle(t[0]), paper_numeric))  # noqa: E731
        assert central_difference(f, np.array([ray.angle]), h=1e-6)[0] == pytest.approx(
            0, abs=1e-7)


def test_kink_rays_are_where_a_normalized_pre_activation_is_zero(paper_numeric, rays):
    for ray in (r for r in rays if r.kink):
        w = np.array(exact.to_floats(ray.direction))
        assert np.min(np.abs(model.bn_output(w, paper_numeric))) < 1e-12


def test_bn_relu_loss_is_invariant_to_positive_rescaling(paper_numeric):
    w = random_weights(200, seed=8)
    base = model.bn_loss(w, paper_numeric, activation="relu")
    for c in (1e-3, 0.5, 7.0, 1e4):
        np.testing.assert_allclose(model.bn_loss(c * w, paper_numeric, activation="relu"), base,
                                   rtol=1e-12)
    np.testing.assert_allclose(reference_bn_relu_loss(w, paper_numeric), base, rtol=1e-12)


def test_bn_relu_outputs_have_a_zero_and_stay_below_sqrt_m_minus_1_on_random_sets(
        paper_set, paper_numeric):
    rng = np.random.default_rng(9)
    for m in (2, 3, 5, 8):
        data = make_learning_set(rng.normal(size=(m, 2)), rng.normal(size=m))
        out = model.bn_output(random_weights(300, seed=m), data, activation="relu")
        assert np.all((out == 0).sum(axis=-1) >= 1)
        assert out.max() <= np.sqrt(m - 1) + 1e-12
    assert numeric.bn_relu_output_range(paper_numeric)[0] == pytest.approx(np.sqrt(2), abs=1e-12)
    assert critical.bn_relu_outputs_at(paper_set, (1, 0)) == [0, 0, sp.sqrt(2)]


# --- Lemma 4.5 ---------------------------------------------------------------------------------

def test_lemma_fails_at_w_star_for_bn_relu_exactly_and_by_brute_force(minima):
    lhs = critical.lemma_lhs(W_STAR, [r.direction for r in minima])
    assert lhs == 9 and lemma.lemma_rhs(np.array([1, 3]), np.array([1, 3])) == 0
    t = np.linspace(0, 20, 200_001)[:, None]
    brute = min(np.min(np.sum((np.array([1.0, 3.0]) - t * np.array(exact.to_floats(r.direction)))
                              ** 2, axis=1)) for r in minima)
    assert brute == pytest.approx(9, rel=1e-9)


def test_numeric_lemma_lhs_matches_a_brute_force_distance_to_the_numeric_rays(paper_set):
    angles, _ = numeric.numeric_local_minima(paper_set)
    lhs = numeric.numeric_lemma_lhs((1.0, 3.0), angles)
    t = np.linspace(1e-9, 20, 200_001)
    brute = min(np.min(np.sum((np.array([1.0, 3.0]) - t[:, None] * geometry.unit_vectors(a))
                              ** 2, axis=1)) for a in angles)
    assert lhs == pytest.approx(brute, rel=1e-8) and lhs == pytest.approx(9, rel=1e-6)
    # a ray pointing away from W₀: the infimum ‖W₀‖² (t → 0)
    assert numeric.numeric_lemma_lhs((1.0, 3.0), [np.arctan2(-3, -1)]) == pytest.approx(10)


def test_numeric_lemma_lhs_rejects_bad_input():
    with pytest.raises(ValueError, match="two finite weights"):
        numeric.numeric_lemma_lhs((1.0, np.nan), [0.0])
    with pytest.raises(ValueError, match="no rays"):
        numeric.numeric_lemma_lhs((1.0, 3.0), [])


def test_relu_claims_reproduce_the_chapters_values(every_claim):
    by_key = {c.key: c for c in every_claim if c.key.startswith("relu-")}
    assert list(by_key) == ["relu-1", "relu-2", "relu-3", "relu-4"]
    assert by_key["relu-1"].reproduced == "((1, 3),), C = 12"
    assert by_key["relu-4"].reproduced.startswith("lhs = 9 (numeric rays: 9.0000)")


def test_chapter_says_what_its_two_examples_do_not_show():
    nb = json.loads((Path(__file__).resolve().parents[1] / "book" / "relu.ipynb").read_text())
    text = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert "Two\nexamples do not say" in text or "Two examples do not say" in text


# --- the teacher set -------------------------------------------------------------------------

def test_teacher_set_is_fitted_exactly_by_the_teacher_direction_and_only_there():
    data = examples.teacher_set()
    assert model.bn_loss(np.array([1, -2], dtype=object), data.exact(), activation="relu") == 0
    angles, values = numeric.numeric_local_minima(data)
    assert values[0] == pytest.approx(0, abs=1e-20) and values[1] > 0.1
    assert angles[0] == pytest.approx(np.arctan2(-2, 1), abs=1e-6)


def test_teacher_standard_relu_optimum_matches_a_grid_search_and_misses_the_teacher_ray():
    data = examples.teacher_set()
    best = standard.standard_relu_minimum(data)
    assert len(best.minimizers) == 1
    w = np.array(exact.to_floats(best.minimizers[0]))
    num = data.numeric()
    g = np.linspace(-1, 1, 1001)
    grid = np.stack(np.meshgrid(g, g), axis=-1)
    values = reference_relu_loss(grid, num)
    assert values.min() >= float(best.value) - 1e-12
    assert float(best.value) == pytest.approx(reference_relu_loss(w, num), rel=1e-12)
    lhs = critical.lemma_lhs(best.minimizers[0], [(1, -2)])
    assert lhs > 0 and float(lhs) == pytest.approx(
        float(lemma.distance_sq_to_ray(w, np.array([1.0, -2.0]))), rel=1e-9)


# --- errors -----------------------------------------------------------------------------------

def test_bn_relu_gradient_on_a_kink_raises(paper_set):
    with pytest.raises(ValueError, match="kink"):
        critical.bn_relu_gradient_at(paper_set, (3, -1))  # ⟨w, x̄⁽¹⁾ − mean⟩ = 0


def test_sector_analysis_rejects_other_dimensions_and_collinear_inputs():
    three_d = make_learning_set([[1, 0, 0], [0, 1, 0], [0, 0, 1]], [1, 2, 3])
    with pytest.raises(ValueError, match="d = 2"):
        critical.bn_relu_critical_rays(three_d)
    with pytest.raises(ValueError, match="d = 2"):
        standard.standard_relu_minimum(three_d)
    collinear = make_learning_set([[1, 1], [2, 2], [3, 3]], [1, 2, 3])
    with pytest.raises(ValueError, match="two different lines"):
        standard.standard_relu_minimum(collinear)


def test_bad_grid_and_set_parameters_raise(paper_set, paper_numeric):
    with pytest.raises(ValueError, match="n = 4"):
        numeric.angular_profile(paper_numeric, n=4)
    with pytest.raises(ValueError, match="n >= 2"):
        numeric.grid_minimum(model.standard_loss, paper_numeric, n=1)
    with pytest.raises(ValueError, match="m = 2"):
        examples.teacher_set(m=2)
    with pytest.raises(ValueError, match="no rays"):
        critical.lemma_lhs((1, 3), [])
    with pytest.raises(ValueError, match="expected all > 0"):
        standard.linear_region_radius((1, -3), paper_set)


# --- figures --------------------------------------------------------------------------

def test_figures_are_column_wide_with_titles_labels_and_legends(paper_set, rays, minima):
    figs = [relu_figures.relu_landscape_figure(paper_set, W_STAR, minima),
            relu_figures.relu_angle_figure(paper_set, rays, W_STAR,
                                           counterexample.bn_minima_direction(paper_set))]
    angles = figs[1].axes[0]
    angles.figure.canvas.draw()
    assert all(t.get_text().endswith("°") for t in angles.get_xticklabels())  # degrees
    for fig in figs:
        assert fig.get_figwidth() * plots.SCREEN_DPI == pytest.approx(plots.COLUMN_PX)
        for ax in fig.axes:
            if ax.get_label() == "<colorbar>":
                continue
            assert ax.get_title() and ax.get_xlabel()
        assert fig.legends or any(ax.get_legend() for ax in fig.axes)
        plt.close(fig)


def test_autodiff_agrees_with_the_exact_gradient_at_w_star_and_not_with_a_perturbed_one(
        paper_set):
    data = paper_set
    w_star = least_squares.standard_optimum(data)
    grad = critical.bn_relu_gradient_at(data, w_star)
    assert numeric.autodiff_agrees(data, w_star, grad)
    nudged = [grad[0] + 10 * numeric.AUTODIFF_TOL, grad[1]]
    assert not numeric.autodiff_agrees(data, w_star, nudged)
    assert numeric.autodiff_agrees(data, w_star, nudged, tol=100 * numeric.AUTODIFF_TOL)


# --------------------------------------------------------------------------- the tables


def test_the_sector_table_has_a_row_per_sector_with_its_exact_minimum(paper_set):
    minima = standard.standard_relu_sector_minima(paper_set)
    table = relu_reports.sector_minima_markdown(minima).splitlines()
    assert table[0].startswith("| samples switched on |") and len(table) == 2 + len(minima)
    for m, row in zip(minima, table[2:], strict=True):
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert cells[1] == f"${sp.latex(m.value)}$"
        assert cells[3] == ("inside" if m.interior else "on the boundary")
        on = [i + 1 for i, a in enumerate(m.active) if a]
        assert cells[0] == (", ".join(map(str, on)) or "none")


def test_the_extrema_table_has_a_row_per_ray_with_its_angle_in_degrees(rays):
    table = relu_reports.critical_rays_markdown(rays).splitlines()
    assert len(table) == 2 + len(rays)
    for r, row in zip(rays, table[2:], strict=True):
        kind, where, angle, value, _ = [c.strip() for c in row.strip("|").split("|")]
        assert (kind, where) == (r.kind, "kink" if r.kink else "smooth")
        # the angle from the direction itself, by atan2 (CriticalRay.angle is not used)
        expected = np.degrees(np.arctan2(float(r.direction[1]), float(r.direction[0])))
        assert float(angle.rstrip("°")) == pytest.approx(expected, abs=5e-5)
        assert float(value) == pytest.approx(float(r.value), abs=5e-7)
