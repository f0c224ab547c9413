"""Distances to the BN optima (chapter *What is true instead*): each part of the proposition
against brute-force search and direct evaluation of Lemma 4.5."""

import dataclasses
import json
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest
import sympy as sp

from bnpaper.core import geometry, least_squares
from bnpaper.paper import lemma
from bnpaper.paper.counterexample import counterexample_set
from bnpaper.presentation import plots
from bnpaper.presentation.figures import distances as figures
from bnpaper.presentation.reports import distances as reports
from bnpaper.topics import distances

PAPER = counterexample_set()


def brute_distance_sq(p, v):
    t = np.linspace(0, 30, 300_001)  # the closed ray: the infimum over t > 0 includes t → 0
    return np.min(np.sum((p - t[:, None] * v / np.linalg.norm(v)) ** 2, axis=1))


def test_distance_to_bn_minima_matches_a_brute_force_search():
    v = np.asarray(least_squares.linear_fits(PAPER).v_hat, dtype=float)
    for p in np.random.default_rng(1).normal(scale=3, size=(30, 2)):
        expected = brute_distance_sq(p, v)
        assert lemma.distance_sq_to_ray(p, v) == pytest.approx(expected, abs=1e-6)
        assert distances.brute_force_distance_sq(p, v)[0] == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize("d", [2, 3, 5])
def test_lemma_with_a_bn_optimum_in_place_of_w_star_holds_with_equality(d):
    rng = np.random.default_rng(d)
    v = rng.normal(size=d)
    for _ in range(50):
        big_v = rng.uniform(0.1, 10) * v  # any point of the ray of BN minima
        w0 = rng.normal(scale=3, size=d)
        if w0 @ big_v <= 0:
            continue
        assert lemma.lemma_rhs(w0, big_v) == pytest.approx(brute_distance_sq(w0, v), abs=1e-5)


@pytest.mark.parametrize("d", [2, 3, 5])
def test_lemma_gap_and_angle_criterion_match_a_direct_evaluation(d):
    rng = np.random.default_rng(10 + d)
    w_star, v_hat = rng.normal(size=d), rng.normal(size=d)
    w0 = rng.normal(size=(5000, d))
    check = lemma.check_lemma(w0, w_star, v_hat)
    np.testing.assert_allclose(lemma.lemma_gap(w0, w_star, v_hat), check.lhs - check.rhs,
                               atol=1e-10)
    direct = np.where(w0 @ w_star > 0, np.where(check.lhs <= check.rhs, 1, 2), 0)
    np.testing.assert_array_equal(lemma.lemma_region(w0, w_star, v_hat), direct)


@pytest.mark.parametrize("v_hat", [(5.0, 3.0), (-5.0, 1.0)])  # α < π/2 and α > π/2
def test_distance_bound_with_delta_holds_and_is_attained(v_hat):
    w_star, v_hat = np.array([1.0, 3.0]), np.array(v_hat)
    delta = distances.distance_w_star_to_bn_minima(w_star, v_hat)
    alpha = geometry.angle(w_star, v_hat)
    expected = np.linalg.norm(w_star) * (np.sin(alpha) if alpha <= np.pi / 2 else 1.0)
    assert delta == pytest.approx(expected, rel=1e-12)
    w0 = np.random.default_rng(2).normal(scale=4, size=(5000, 2))
    dist = np.sqrt(lemma.distance_sq_to_ray(w0, v_hat))
    assert np.all(dist <= np.linalg.norm(w0 - w_star, axis=1) + delta + 1e-12)
    closest = max(w_star @ v_hat, 0) * v_hat / (v_hat @ v_hat)
    for s in (0.5, 2.0, 10.0):  # the sharp case: W₀ = W* + s (W* − Π W*)
        p = w_star + s * (w_star - closest)
        assert np.sqrt(lemma.distance_sq_to_ray(p, v_hat)) == pytest.approx(
            np.linalg.norm(p - w_star) + delta, rel=1e-12)


def test_bn_optimum_closer_matches_comparing_brute_force_distances():
    w_star = np.array([1.0, 3.0])
    v = np.asarray(least_squares.linear_fits(PAPER).v_hat, dtype=float)
    w0 = np.random.default_rng(3).normal(scale=3, size=(200, 2))
    brute = np.array([brute_distance_sq(p, v) for p in w0])
    direct = brute < np.sum((w0 - w_star) ** 2, axis=1)
    np.testing.assert_array_equal(distances.bn_optimum_closer(w0, w_star, v), direct)


def test_every_check_of_the_distance_proposition_passes_on_the_paper_set():
    fits = least_squares.linear_fits(PAPER)
    good = distances.check_distance_facts(fits.w_star, fits.v_hat, n=5000)
    assert good.criterion_mismatches == 0 and good.bound_slack >= 0
    assert good.distance_error < 1e-5 and good.corrected_error < 1e-9
    assert good.sharp_error < 1e-9 and good.closer_mismatches == 0
    assert good.verdicts() == (True,) * len(distances.VERDICT_NAMES)


GOOD_CHECKS = distances.DistanceChecks(10, 0.0, 0.0, 0, 0.0, 0.0, 0)


@pytest.mark.parametrize(("field", "bad", "column"), [
    ("distance_error", 2e-5, 0), ("corrected_error", 2e-9, 1), ("criterion_mismatches", 1, 2),
    ("bound_slack", -1e-12, 3), ("sharp_error", 2e-9, 4), ("closer_mismatches", 1, 5)])
def test_each_verdict_fails_on_its_own_check_alone(field, bad, column):
    verdicts = dataclasses.replace(GOOD_CHECKS, **{field: bad}).verdicts()
    assert [i for i, ok in enumerate(verdicts) if not ok] == [column]


def markdown_cells(line):
    """The cells of one row of a Markdown table."""
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def test_the_verdict_table_has_a_row_per_case_and_says_whether_all_passed(monkeypatch):
    fits = least_squares.linear_fits(PAPER)
    table, all_ok = reports.verdict_table({"paper": (fits.w_star, fits.v_hat)}, n=2000)
    header, rule, row = table.splitlines()
    assert markdown_cells(header) == ["case", *distances.VERDICT_NAMES]
    assert set(rule) <= set("|:- ") and markdown_cells(row) == ["paper"] + ["pass"] * 6
    assert all_ok
    bad = dataclasses.replace(GOOD_CHECKS, closer_mismatches=3)
    monkeypatch.setattr(reports, "check_distance_facts", lambda *a, **k: bad)
    table, all_ok = reports.verdict_table({"a": (1, 2), "b": (3, 4)})
    assert not all_ok and markdown_cells(table.splitlines()[3]) == ["b"] + ["pass"] * 5 + ["fail"]


def test_closer_share_tends_to_one_for_small_and_to_one_minus_alpha_over_two_pi_for_large_w0():
    fits = least_squares.linear_fits(PAPER)
    share = distances.closer_share(fits.w_star, fits.v_hat, [1e-3, 1e4], n=400_000)
    alpha = geometry.angle(fits.w_star, fits.v_hat)
    assert share[0] == 1.0
    assert share[1] == pytest.approx(1 - alpha / (2 * np.pi), abs=3e-3)


def test_zero_directions_raise():
    with pytest.raises(ValueError, match="zero vector"):
        distances.distance_w_star_to_bn_minima(np.ones(2), np.zeros(2))
    with pytest.raises(ValueError, match="W\\* is the zero vector"):
        lemma.lemma_region(np.ones((3, 2)), np.zeros(2), np.ones(2))
    with pytest.raises(ValueError, match="v̂ is the zero vector"):
        lemma.lemma_gap(np.ones((3, 2)), np.ones(2), np.zeros(2))
    with pytest.raises(ValueError, match="v̂ is the zero vector"):
        distances.bn_optimum_closer(np.ones((3, 2)), np.ones(2), np.zeros(2))


def test_a_wrong_criterion_or_delta_shows_in_the_checks():
    fits = least_squares.linear_fits(PAPER)
    swapped = distances.check_distance_facts(
        fits.w_star, fits.v_hat, n=2000, region=lambda w0, ws, vh: lemma.lemma_region(w0, vh, ws))
    assert swapped.criterion_mismatches > 0
    small = distances.check_distance_facts(
        fits.w_star, fits.v_hat, n=2000,
        delta_of=lambda ws, vh: 0.9 * distances.distance_w_star_to_bn_minima(ws, vh))
    assert small.bound_slack < 0 and small.sharp_error > 0.1


def test_lemma_regions_figure_is_column_wide_with_titles_labels_and_legends():
    fits = least_squares.linear_fits(PAPER)
    fig = figures.lemma_regions_figure(fits.w_star, fits.v_hat)
    assert fig.get_figwidth() * plots.SCREEN_DPI == pytest.approx(plots.COLUMN_PX)
    assert len(fig.axes) == 2
    for ax in fig.axes:
        assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
        assert ax.get_legend() is not None
    plt.close(fig)


def test_part_3_difference_at_two_u_minus_v_is_minus_three_times_one_minus_cos():
    """What is true instead, proof of part 3: at W₀ = 2u − v, ⟨W₀, v⟩ − ⟨W₀, u⟩ = −3(1 − cos α)."""
    a = sp.symbols("alpha", positive=True)
    u, v = sp.Matrix([1, 0]), sp.Matrix([sp.cos(a), sp.sin(a)])
    w0 = 2 * u - v
    assert sp.simplify(w0.dot(v) - w0.dot(u) + 3 * (1 - sp.cos(a))) == 0
    assert sp.simplify(w0.dot(u) - (2 - sp.cos(a))) == 0
    for alpha in np.linspace(1e-3, np.pi, 7):  # the lemma fails there (LHS > RHS)
        uu, vv = np.array([1.0, 0.0]), np.array([np.cos(alpha), np.sin(alpha)])
        assert lemma.lemma_gap(2 * uu - vv, uu, vv) > 0


def test_what_is_true_prose_has_the_corrected_constant_and_the_scope():
    nb = json.loads((Path(__file__).resolve().parents[1] / "book/what_is_true.ipynb")
                    .read_text())
    text = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert "-3(1 - \\cos\\alpha)" in text
    assert "sec-scope-table" in text and "no bias input" in text


