"""Chapter *Where the original proof fails*: the corrected statements, tested on the
mathematics (and, for the wording the referee flagged, on the chapter's prose)."""

import json
from pathlib import Path

import numpy as np
import sympy as sp

from bnpaper.core import least_squares, model
from bnpaper.core.data import LearningSet
from bnpaper.core.namespace import to_exact
from bnpaper.paper import counterexample
from bnpaper.paper.counterexample import counterexample_set

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
