"""What the explorer of book/explore.md must show, computed by the package ``bnpaper``.

tests/site/test_explorer.py compares every readout of the page (plain JavaScript, float64)
with :func:`readouts` here. The reference is exact: the decimal numbers of the page's state
become sympy rationals, and bnpaper's own exact paths compute W* (solving ∇C = 0 from
``model.standard_loss``), ∇Ĉ(W*) (differentiating ``model.bn_loss``, not the closed form the
page uses; to 30 digits), Ĉ(W₀), the BN minima (``bn_minima``) and both sides of Lemma 4.5
(``lemma.check_lemma``, ``distance_sq_to_ray``, ``lemma_rhs``). Every bnpaper import of the
explorer's tests is in this file, here at the top, so a move of the package's modules is
re-pointed in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import sympy as sp

from bnpaper import counterexample_set, make_learning_set
from bnpaper.core import exact, model
from bnpaper.core.least_squares import bn_minima, centered, linear_fits, standard_optimum
from bnpaper.paper.lemma import (
    LemmaCheck,
    check_lemma,
    distance_sq_to_line,
    distance_sq_to_ray,
    lemma_rhs,
)

KEYS = ("wstar", "grad", "direction", "closest", "lhs", "rhs", "holds", "loss")
"""The readouts of the page: element ``explorer-<key>`` with its value in ``data-value``."""


@dataclass(frozen=True)
class State:
    """A state of the explorer as the decimal strings of its URL fragment."""

    x: tuple[tuple[str, str], ...]
    y: tuple[str, ...]
    w0: tuple[str, str]

    @property
    def fragment(self) -> str:
        """``#x=X11,X12;X21,X22;...&y=Y1,Y2,...&w0=A,B``, the page's state in its URL."""
        return ("#x=" + ";".join(",".join(r) for r in self.x) + "&y=" + ",".join(self.y)
                + "&w0=" + ",".join(self.w0))

    @classmethod
    def from_fragment(cls, fragment: str) -> State:
        fields = dict(part.split("=") for part in fragment.lstrip("#").split("&"))
        return cls(tuple(tuple(r.split(",")) for r in fields["x"].split(";")),
                   tuple(fields["y"].split(",")), tuple(fields["w0"].split(",")))


def _rationals(values: Any) -> np.ndarray:
    return np.array([[sp.Rational(v) for v in row] for row in values], dtype=object)


def paper_state() -> State:
    """The paper's set (bnpaper's counterexample_set, its labels derived) with W₀ = W*."""
    data = counterexample_set()
    text = [[str(sp.nsimplify(v)) for v in row] for row in np.asarray(data.x)]
    w_star = linear_fits(data).w_star
    return State(tuple(tuple(r) for r in text), tuple(str(sp.nsimplify(v)) for v in data.y),
                 tuple(str(sp.nsimplify(v)) for v in w_star))


def _floats(v: Any) -> list[float]:
    return [float(c) for c in v]


def _sigma_zero(w: np.ndarray, data: Any) -> bool:
    """σ(w) = 0, as model.bn_loss finds it (it refuses to divide by zero)."""
    try:
        model.bn_loss(w, data)
    except ValueError:
        return True
    return False


def _gradient_at(data: Any, w: np.ndarray) -> list[float]:
    """∇Ĉ(w) from differentiating model.bn_loss exactly (exact.gradient), evaluated at the
    exact point to 30 digits (exact.at's simplification is slow for M = 8 random rationals)."""
    point = dict(zip(exact.weight_symbols(data.d), w, strict=True))
    grad = exact.gradient(exact.loss_expr(model.bn_loss, data), data.d)
    return [float(sp.N(g.subs(point), 30)) for g in grad]


@cache
def readouts(state: State) -> dict[str, Any]:
    """Every readout of the page for ``state``, from bnpaper, exact and then as floats;
    ``None`` where the page must say that the quantity does not exist. Also ``gap`` (lhs − rhs)
    and ``scale`` (‖W₀‖²), with which the test tells a clear verdict from an equality."""
    x, y = _rationals(state.x), _rationals([state.y])[0]
    w0 = _rationals([state.w0])[0]
    data = make_learning_set(x, y)
    out: dict[str, Any] = dict.fromkeys(KEYS)
    out["scale"] = float(w0 @ w0)
    try:
        w_star = np.array(standard_optimum(data), dtype=object)
    except ValueError:  # no unique minimizer of C
        w_star = None
    if w_star is not None:
        out["wstar"] = _floats(w_star)
        if not _sigma_zero(w_star, data):
            out["grad"] = _gradient_at(data, w_star)
    if not _sigma_zero(w0, data):
        out["loss"] = float(model.bn_loss(w0, data))
    try:
        minima = bn_minima(data)
    except ValueError:  # Xc = 0: σ(w) = 0 everywhere, no minimum
        minima = None
    lhs = closest = None
    if minima is not None and minima.kind == "ray":
        v = minima.direction
        out["direction"] = _floats(v / sp.sqrt(v @ v))
        lhs = distance_sq_to_ray(w0, v)
        if w0 @ v > 0:  # the closest point of the ray; else none is (the infimum at t → 0)
            closest = (w0 @ v) / (v @ v) * v
            assert (w0 - closest) @ (w0 - closest) == lhs  # it is at the package's distance
    elif minima is not None and minima.kind == "half-space":
        # rank Xc = 1: the global minima are the open half-plane ⟨Xc w, yc⟩ > 0, which is
        # ⟨w, v̂⟩ > 0 (v̂ = Xc⁺yc is a positive multiple of Xcᵀyc); its edge is ker Xc
        v = minima.direction
        xc, yc = centered(data.x, data.y)
        c = yc @ xc
        assert v[0] * c[1] - v[1] * c[0] == 0 and v @ c > 0
        if w0 @ v > 0:
            closest, lhs = w0, sp.Integer(0)
        else:
            lhs = distance_sq_to_line(w0, np.array([-v[1], v[0]], dtype=object))
    elif minima is not None:  # "constant": every w with σ(w) > 0 is a minimum
        lhs = sp.Integer(0)
        closest = None if _sigma_zero(w0, data) else w0
    if lhs is not None:
        out["lhs"] = float(lhs)
    if closest is not None:
        out["closest"] = _floats(closest)
    if w_star is not None and any(c != 0 for c in w_star):
        rhs = lemma_rhs(w0, w_star)
        out["rhs"] = float(rhs)
        if lhs is not None and w0 @ w_star > 0:  # the lemma speaks only of these W₀
            if minima.kind == "ray":
                check = check_lemma(w0, w_star, minima.direction)
                assert check.lhs == lhs and check.rhs == rhs
            else:
                check = LemmaCheck(lhs, rhs)
            out["holds"] = check.holds
            out["gap"] = float(lhs - rhs)
    return out
