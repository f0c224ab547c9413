"""Chapter *Where the original proof fails*: the corrected statements, tested on the
mathematics (and, for the wording the referee flagged, on the chapter's prose)."""

import json
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest
import sympy as sp

from bnpaper.core import least_squares, model
from bnpaper.core.data import LearningSet
from bnpaper.core.namespace import to_exact
from bnpaper.paper import counterexample
from bnpaper.paper.counterexample import counterexample_set
from bnpaper.presentation.figures import paper as figures

CHAPTER = Path(__file__).resolve().parents[1] / "book" / "proof_error.ipynb"


def markdown_of(path: Path) -> str:
    cells = json.loads(path.read_text())["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def test_parallel_slopes_of_different_length_occur_with_a_non_zero_intercept():
    """Regression: 'the directions coincide only when the best intercept is zero' is false.

    Labels (0, 0, 1) on the paper's inputs: the fit with intercept has intercept −1, yet W*
    is a positive multiple (1/3) of its slope, and W* is a minimum of Ĉ (∇Ĉ(W*) = 0).
    Computed here with plain sympy least squares and the exact gradient of model.bn_loss.
    """
    data = LearningSet(counterexample_set().x, to_exact([0, 0, 1]))
    x, y = sp.Matrix(data.x.tolist()), sp.Matrix(list(data.y))
    w_star = (x.T * x).solve(x.T * y)
    design = x.row_join(sp.ones(3, 1))
    *slope, intercept = (design.T * design).solve(design.T * y)
    assert intercept == -1 and list(w_star) == [sp.Rational(1, 3), 0] and slope == [1, 0]
    assert w_star[0] * slope[1] - w_star[1] * slope[0] == 0  # parallel
    assert w_star.dot(sp.Matrix(slope)) > 0  # same direction, different length
    w1, w2 = sp.symbols("w1 w2", real=True)
    loss = model.bn_loss(np.array([w1, w2], dtype=object), data)
    grad = [sp.simplify(sp.diff(loss, s).subs({w1: w_star[0], w2: w_star[1]})) for s in (w1, w2)]
    assert grad == [0, 0]


def test_on_the_paper_set_the_bn_minima_are_the_slope_with_intercept_not_w_star():
    data = counterexample_set()
    assert tuple(counterexample.bn_minima_direction(data)) == (5, 3)
    *slope, intercept = least_squares.standard_optimum(data.with_intercept())
    assert tuple(slope) == (5, 3) and intercept == -6
    assert tuple(least_squares.standard_optimum(data)) == (1, 3)


def test_chapter_states_the_general_criterion_and_that_the_failing_step_is_reconstructed():
    text = markdown_of(CHAPTER)
    assert "coincide only when the best intercept is zero" not in text
    assert "prop-w-star-vs-bn" in text and "positive multiple" in text
    assert "reconstruct" in text and "not quoted" in text
    assert "our reading" in text.lower()


def test_the_centering_figure_puts_each_curve_s_minimum_at_its_marked_direction(paper_set):
    """The figure of this chapter: Ĉ with and without the mean subtraction, each minimum
    marked at its direction, (5, 3) and W* = (1, 3) (the latter found by the chapter)."""
    v_uncentered = counterexample.bn_minima_direction(paper_set, center=False)
    fig = figures.centering_figure(paper_set, (1, 3), (5, 3), v_uncentered)
    (ax,) = fig.axes
    curves, marks = ax.lines[:2], [line.get_xdata()[0] for line in ax.lines[2:]]
    assert marks == pytest.approx([np.degrees(np.arctan2(3, 1)), np.degrees(np.arctan2(3, 5)),
                                   np.degrees(np.arctan2(*map(float, v_uncentered[::-1])))])
    for curve, mark in zip(curves, marks[1:], strict=True):
        assert curve.get_xdata()[np.argmin(curve.get_ydata())] == pytest.approx(mark, abs=0.25)
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel() and ax.get_legend()
    plt.close(fig)


@pytest.mark.parametrize("name", ["counterexample", "bn_outputs", "lemma_geometry"])
def test_the_other_paper_chapters_figures_have_titles_labels_legends_and_mark_w_star(
        name, paper_set):
    w_star = (1, 3)
    fig = {"counterexample": lambda: figures.counterexample_figure(
               paper_set, w_star, (5, 3), counterexample.bn_gradient_at(paper_set, w_star)),
           "bn_outputs": lambda: figures.bn_outputs_figure(paper_set, w_star),
           "lemma_geometry": lambda: figures.lemma_geometry_figure(w_star, (3, 1))}[name]()
    axes = [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]
    for ax in axes:
        assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel() and ax.get_legend()
    points = {(float(line.get_xdata()[0]), float(line.get_ydata()[0]))
              for ax in axes for line in ax.lines if len(line.get_xdata()) == 1}
    directions = {float(line.get_xdata()[0]) for ax in axes for line in ax.lines}
    assert (1.0, 3.0) in points or np.degrees(np.arctan2(3, 1)) in directions
    plt.close(fig)
