"""Where Lemma 4.5 fails: the closed-form wedge and fraction against numerics."""

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import pytest
import sympy as sp

from bnpaper.core import geometry, least_squares
from bnpaper.core.namespace import to_exact
from bnpaper.paper import counterexample, lemma
from bnpaper.presentation import plots
from bnpaper.presentation.figures import failure as figures
from bnpaper.presentation.reports import failure as failure_reports
from bnpaper.topics import failure


@dataclass(frozen=True)
class Pair:
    """W* and the direction v of the ray of BN minima, exact and as floats."""

    w_star: np.ndarray
    v: np.ndarray

    @property
    def w_star_f(self) -> np.ndarray:
        return self.w_star.astype(float)

    @property
    def v_f(self) -> np.ndarray:
        return self.v.astype(float)


@pytest.fixture(scope="module")
def paper(paper_set) -> Pair:
    """The paper's W* = (1, 3) and v = (5, 3)."""
    return Pair(to_exact(least_squares.standard_optimum(paper_set)),
                to_exact(counterexample.bn_minima_direction(paper_set)))


def alpha_by_arccos(a, b):
    """∠(a, b) from the cosine: an independent formula for the angle between two vectors."""
    return np.arccos(np.clip(a @ b / np.linalg.norm(a) / np.linalg.norm(b), -1, 1))


def random_pairs(n, seed):
    rng = np.random.default_rng(seed)
    return [(rng.normal(size=2), rng.normal(size=2)) for _ in range(n)]


def test_exact_fraction_is_exact_and_equals_the_arccos_formula(paper):
    for among, denominator in (("all", 4), ("admissible", 2)):
        share = failure.failure_fraction(paper.w_star, paper.v, among)
        assert isinstance(share, sp.Basic) and not share.atoms(sp.Float)
        expected = (np.pi + alpha_by_arccos(paper.w_star_f, paper.v_f)) / (denominator * np.pi)
        assert float(share) == pytest.approx(expected, rel=1e-14)


def test_exact_angle_between_is_atan_of_cross_over_dot(paper):
    alpha = geometry.plane_angle(paper.w_star, paper.v)
    assert sp.simplify(sp.tan(alpha) - sp.Rational(6, 7)) == 0  # |1·3 − 3·5| / (1·5 + 3·3)


@pytest.mark.parametrize("among", ["all", "admissible"])
def test_fraction_matches_a_fine_angular_grid_for_the_counterexample(among, paper):
    n = 1_000_000
    grid = failure.grid_failure_fraction(paper.w_star_f, paper.v_f, n, among)
    # each wedge edge misclassifies at most one grid cell
    exact_share = float(failure.failure_fraction(paper.w_star, paper.v, among))
    assert grid == pytest.approx(exact_share, abs=4 / n)


@pytest.mark.parametrize(("w_star", "v"), random_pairs(12, seed=21))
def test_fraction_matches_a_fine_angular_grid_for_random_pairs(w_star, v):
    n = 200_000
    for among in ("all", "admissible"):
        assert failure.grid_failure_fraction(w_star, v, n, among) == pytest.approx(
            failure.failure_fraction(w_star, v, among), abs=6 / n)


def test_failure_mask_of_the_lemma_is_the_closed_form_wedge_on_a_grid(paper):
    w = np.random.default_rng(22).uniform(-5, 5, size=(200_000, 2))
    u = paper.w_star_f / np.linalg.norm(paper.w_star_f)
    vhat = paper.v_f / np.linalg.norm(paper.v_f)
    clear = (np.abs(w @ u) > 1e-9) & (np.abs(w @ (vhat - u)) > 1e-9)  # off the edges
    swept = failure.lemma_sweep(w, paper.w_star_f, paper.v_f).fails
    closed = failure.fails_closed_form(w, paper.w_star_f, paper.v_f)
    assert np.array_equal(swept[clear], closed[clear])
    assert 0.2 < closed.mean() < 0.4


def test_lhs_equals_rhs_exactly_on_both_wedge_edges(paper):
    for edge in failure.wedge_edges(paper.w_star, paper.v):
        check = lemma.check_lemma(edge, paper.w_star, paper.v)
        assert sp.simplify(check.lhs - check.rhs) == 0


def test_wedge_edge_vectors_point_at_the_wedge_angles(paper):
    wedge = failure.failure_wedge(paper.w_star, paper.v)
    start, end = failure.wedge_edges(paper.w_star, paper.v)
    assert float(sp.atan2(start[1], start[0])) == pytest.approx(float(wedge.start), abs=1e-14)
    assert float(sp.atan2(end[1], end[0])) == pytest.approx(float(wedge.end), abs=1e-14)
    assert sp.simplify(wedge.opening - (sp.pi + wedge.alpha) / 2) == 0


def test_lemma_fails_just_inside_the_wedge_and_holds_just_outside(paper):
    wedge = failure.failure_wedge(paper.w_star_f, paper.v_f)
    eps = 1e-6
    theta = np.array([wedge.start + eps, wedge.end - eps, wedge.start - eps, wedge.end + eps])
    s = failure.lemma_sweep(geometry.unit_vectors(theta), paper.w_star_f, paper.v_f)
    assert s.fails.tolist() == [True, True, False, False]
    assert s.admissible.tolist() == [True, True, True, False]
    assert s.lhs[2] <= s.rhs[2]


def test_w_star_itself_lies_in_the_wedge(paper):
    wedge = failure.failure_wedge(paper.w_star, paper.v)
    assert wedge.start < sp.atan2(paper.w_star[1], paper.w_star[0]) < wedge.end


@pytest.mark.parametrize(("among", "seed"), [("all", 0), ("admissible", 0), ("all", 7)])
def test_monte_carlo_interval_contains_the_exact_fraction(among, seed, paper):
    mc = failure.monte_carlo_failure(paper.w_star_f, paper.v_f, n=400_000, seed=seed, among=among)
    exact_share = float(failure.failure_fraction(paper.w_star, paper.v, among))
    assert mc.contains(exact_share)
    assert mc.high - mc.low < 0.01


def test_monte_carlo_is_reproducible_for_a_seed_and_varies_across_seeds(paper):
    a, b, c = (failure.monte_carlo_failure(paper.w_star_f, paper.v_f, n=10_000, seed=s)
               for s in (3, 3, 4))
    assert a == b and a.failures != c.failures


def test_rhs_of_the_lemma_is_the_squared_distance_to_the_line_symbolically():
    assert failure.rhs_projection_identity() == 0


def test_no_failures_when_the_minima_lie_on_the_ray_of_w_star():
    assert failure.failure_fraction(to_exact((1, 3)), to_exact((2, 6))) == 0
    with pytest.raises(ValueError, match="no wedge"):
        failure.wedge_edges(to_exact((1, 3)), to_exact((2, 6)))


def test_every_admissible_initialization_fails_when_the_minima_point_away_from_w_star():
    assert failure.failure_fraction(to_exact((1, 3)), to_exact((-1, -3)), "admissible") == 1
    assert failure.grid_failure_fraction([1.0, 3.0], [-1.0, -3.0], 10_000, "admissible") == 1


@pytest.mark.parametrize(("w_star", "v"),
                         [((1, 3), (-1, -3)), ((2, -1), (-4, 2)), ((0, 1), (0, -5))])
def test_at_alpha_pi_there_is_no_bisector_and_the_wedge_is_the_whole_half_plane(w_star, v):
    """Regression: u + v̂ = 0 at α = π, so the bisector edge is undefined; the code says so
    and the wedge is the admissible half-plane, bounded by the normal of W* on both sides."""
    ws, vv = to_exact(w_star), to_exact(v)
    with pytest.raises(ValueError, match="α = π.*bisector .*undefined"):
        failure.bisector(ws, vv)
    with pytest.raises(ValueError, match="α = π"):
        failure.bisector(np.asarray(w_star, float), np.asarray(v, float))
    wedge = failure.failure_wedge(ws, vv)
    assert wedge.alpha == sp.pi and wedge.opening == sp.pi
    first, second = failure.wedge_edges(ws, vv)
    assert all(sp.simplify(a + b) == 0 for a, b in zip(first, second, strict=True))
    assert sp.simplify(first @ ws) == 0  # both edges lie on the line ⟨W₀, W*⟩ = 0
    # every admissible W₀ fails, by the lemma's two sides (not the closed form)
    w0 = np.random.default_rng(5).normal(size=(2000, 2))
    s = failure.lemma_sweep(w0, np.asarray(w_star, float), np.asarray(v, float))
    assert np.all(s.fails == s.admissible)


def test_bisector_is_u_plus_v_hat_below_alpha_pi():
    b = failure.bisector(to_exact((1, 3)), to_exact((5, 3)))
    expected = to_exact((1, 3)) / sp.sqrt(10) + to_exact((5, 3)) / sp.sqrt(34)
    assert all(sp.simplify(a - e) == 0 for a, e in zip(b, expected, strict=True))


@pytest.mark.parametrize(("w_star", "v"), random_pairs(20, seed=23))
def test_more_than_half_of_admissible_initializations_fail_whenever_alpha_is_positive(w_star, v):
    assert 0.5 < failure.failure_fraction(w_star, v, "admissible") <= 1


@pytest.mark.parametrize(("w_star", "v"), random_pairs(5, seed=24))
def test_fraction_is_invariant_under_rotation_reflection_and_scaling(w_star, v):
    phi = 1.234
    rot = np.array([[np.cos(phi), -np.sin(phi)], [np.sin(phi), np.cos(phi)]])
    flip = np.diag([1.0, -1.0])
    base = failure.failure_fraction(w_star, v)
    for m in (rot, flip, 3.5 * np.eye(2)):
        assert failure.failure_fraction(m @ w_star, m @ v) == pytest.approx(base, rel=1e-13)


@pytest.mark.parametrize(("w_star", "v", "match"), [
    ((0.0, 0.0), (5.0, 3.0), "W\\* is the zero vector"),
    ((1.0, 3.0), (0, 0), "v is the zero vector"),
    ((1.0, 3.0, 2.0), (5.0, 3.0), "W\\* has shape"),
    ((1.0, np.nan), (5.0, 3.0), "non-finite"),
    ((sp.Symbol("a"), 3), (5, 3), "not symbols"),
])
def test_bad_directions_raise(w_star, v, match):
    with pytest.raises(ValueError, match=match):
        failure.failure_fraction(w_star, v)


def test_bad_counts_and_options_raise(paper):
    with pytest.raises(ValueError, match="among"):
        failure.failure_fraction(paper.w_star_f, paper.v_f, "some")
    with pytest.raises(ValueError, match="at least one"):
        failure.monte_carlo_failure(paper.w_star_f, paper.v_f, n=0)
    with pytest.raises(ValueError, match="at least one"):
        failure.grid_failure_fraction(paper.w_star_f, paper.v_f, n=0)


def test_failure_figure_is_column_wide_with_titles_labels_and_legends(paper):
    fig = figures.failure_figure(paper.w_star_f, paper.v_f, n=40)
    assert fig.get_figwidth() * plots.SCREEN_DPI == pytest.approx(plots.COLUMN_PX)
    assert fig.axes[1].get_xticklabels()[0].get_text().endswith("°")  # degrees
    for ax in fig.axes:
        assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
        assert ax.get_legend() is not None
    plt.close(fig)


@pytest.mark.parametrize(("w_star", "v"), random_pairs(6, seed=25))
def test_lemma_verdict_and_closed_form_agree_off_the_edges_for_random_pairs(w_star, v):
    w = np.random.default_rng(26).normal(size=(50_000, 2))
    compared, mismatches = failure.closed_form_mismatches(w, w_star, v)
    assert mismatches == 0 and compared > 49_000


# --------------------------------------------------------------------------- the tables


def test_the_wedge_table_gives_each_angle_exactly_and_in_degrees(paper):
    wedge = failure.failure_wedge(paper.w_star, paper.v)
    share_all = failure.failure_fraction(paper.w_star, paper.v, "all")
    share_adm = failure.failure_fraction(paper.w_star, paper.v, "admissible")
    table = failure_reports.wedge_markdown(wedge, share_all, share_adm).splitlines()
    cells = [[c.strip() for c in row.strip("|").split("|")] for row in table[2:]]
    assert len(cells) == 6
    for (_, exact_cell, decimal), x in zip(cells[:4], (wedge.alpha, wedge.start, wedge.end,
                                                         wedge.opening), strict=True):
        assert exact_cell == f"${sp.latex(x)}$"
        assert float(decimal.rstrip("°")) == pytest.approx(np.degrees(float(x)), abs=0.05)
    assert [float(c[2]) for c in cells[4:]] == pytest.approx(
        [float(share_all), float(share_adm)], abs=5e-5)


def test_the_monte_carlo_table_refuses_estimates_at_different_levels(paper):
    a = failure.monte_carlo_failure(paper.w_star_f, paper.v_f, n=1000, seed=0)
    b = failure.monte_carlo_failure(paper.w_star_f, paper.v_f, n=1000, seed=0, level=0.99)
    table = failure_reports.monte_carlo_markdown({"all": a}, {"all": 0.3}).splitlines()
    assert "95% interval" in table[0] and f"{a.failures} of {a.trials}" in table[2]
    with pytest.raises(ValueError, match="different confidence levels"):
        failure_reports.monte_carlo_markdown({"all": a, "admissible": b},
                                             {"all": 0.3, "admissible": 0.6})
