"""Mini-batches: the loss over all batches of b samples, and for b = 2 the cones on which it is
constant (chapter *Mini-batches and ε*)."""

from __future__ import annotations

import itertools
import numbers
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from bnpaper.core import exact, model
from bnpaper.core.data import LearningSet
from bnpaper.core.namespace import to_exact


def check_batch_size(batch_size: Any, M: int) -> int:
    """``batch_size`` as an int, or a ValueError unless it is an integer with 2 ≤ b ≤ M."""
    if isinstance(batch_size, bool) or not isinstance(batch_size, numbers.Integral):
        raise ValueError(f"batch_size = {batch_size!r} is not an integer; expected an integer"
                         f" 2 <= batch_size <= M = {M}")
    if not 2 <= batch_size <= M:
        raise ValueError(f"batch_size = {batch_size}; expected 2 <= batch_size <= M = {M}"
                         " (BN needs two samples, and a batch cannot exceed the learning set)")
    return int(batch_size)


def batches(M: int, batch_size: int) -> tuple[tuple[int, ...], ...]:
    """All C(M, b) mini-batches of b distinct samples, as tuples of row indices."""
    return tuple(itertools.combinations(range(M), check_batch_size(batch_size, M)))


def minibatch_loss(w: Any, data: LearningSet, batch_size: int, eps: Any = 0.0) -> Any:
    """Ĉ_b(w) = (1/#batches) Σ_B Σ_{i∈B} (BN_B(z)_i − ȳ⁽ⁱ⁾)², over all batches of b samples.

    BN_B normalizes with the batch's own μ_B(w), σ_B(w) (and ε). b = M is the paper's Ĉ.
    w: (..., d) → (...); numpy, sympy or JAX. Raises on a σ_B = 0 line, naming the batch.
    """
    all_batches = batches(data.M, batch_size)
    total = 0
    for batch in all_batches:
        try:
            total = total + model.bn_loss(w, data.subset(batch), eps=eps)
        except ValueError as err:
            raise ValueError(f"mini-batch {batch}: {err}") from err
    return total / len(all_batches)


def pair_output_expr(data: LearningSet, i: int, j: int) -> tuple[sp.Expr, sp.Expr]:
    """The exact BN output (ẑ_i, ẑ_j) of the batch {i, j} (ε = 0), in w₁, …, w_d."""
    out = model.bn_output(exact.weight_symbols(data.d), data.exact().subset([i, j]))
    return sp.simplify(out[0]), sp.simplify(out[1])


def pair_sign_defect(data: LearningSet,
                     pair_output: Callable[[LearningSet, int, int], tuple] = pair_output_expr
                     ) -> list[sp.Expr]:
    """ẑ_i·|δ| − δ and ẑ_j·|δ| + δ for every pair, δ = ⟨w, x̄⁽ⁱ⁾ − x̄⁽ʲ⁾⟩, simplified: all zero.

    For two samples μ = (z_i + z_j)/2 and σ = |z_i − z_j|/2, so ẑ_i = δ/|δ| = sign δ = −ẑ_j
    wherever δ ≠ 0 (on δ = 0, σ = 0 and BN is undefined). ``pair_output`` gives the BN
    output of a pair (default :func:`pair_output_expr`).
    """
    w = exact.weight_symbols(data.d)
    ex = data.exact()
    out = []
    for i, j in batches(data.M, 2):
        delta = sp.expand(sum(w * (ex.x[i] - ex.x[j])))
        zi, zj = pair_output(data, i, j)
        out += [sp.simplify(zi * sp.Abs(delta) - delta), sp.simplify(zj * sp.Abs(delta) + delta)]
    return out


def sigma_zero_lines(data: LearningSet) -> list[tuple[tuple[int, int], tuple]]:
    """For each pair (i, j): the normal n = x̄⁽ⁱ⁾ − x̄⁽ʲ⁾ of the line ⟨w, n⟩ = 0 where σ_{ij} = 0."""
    ex = data.exact()
    return [((i, j), tuple(ex.x[i] - ex.x[j])) for i, j in batches(data.M, 2)]


@dataclass(frozen=True)
class PairCone:
    """An open cone of the w-plane between two consecutive σ = 0 rays, where Ĉ₂ is constant.

    (Not the ReLU chapter's sectors, which lie between the lines where a ReLU switches.)
    """

    lo: tuple
    """The boundary ray the cone starts from (counter-clockwise), exact."""
    hi: tuple
    """The boundary ray it ends at."""
    representative: tuple
    """An exact point strictly inside the cone."""
    order: tuple[int, ...]
    """Sample indices sorted by pre-activation z = ⟨w, x̄⟩, ascending, inside the cone."""
    value: sp.Expr
    """Ĉ₂ on the whole cone, exact."""

    def contains(self, w: Any) -> bool:
        """True if w lies strictly inside the cone (exact or float w)."""
        lo, hi = (np.asarray(v, dtype=float) for v in (self.lo, self.hi))
        w = np.asarray(w, dtype=float)
        cross = lambda a, b: a[0] * b[1] - a[1] * b[0]  # noqa: E731
        if cross(lo, hi) > 0:
            return bool(cross(lo, w) > 0 and cross(w, hi) > 0)
        return bool(cross(lo, w) > 0)  # a half plane (only one σ = 0 line)


def _boundary_rays(data: LearningSet) -> list[tuple]:
    """The rays of the σ = 0 lines, one pair ±(−n₂, n₁) per distinct line, sorted by angle."""
    rays: list[tuple] = []
    for _, (a, b) in sigma_zero_lines(data):
        if a == 0 and b == 0:
            raise ValueError("two samples have equal inputs: σ = 0 for that pair at every w")
        if any(a * r[0] + b * r[1] == 0 for r in rays):
            continue  # the same line as an earlier pair
        rays += [(-b, a), (b, -a)]
    return sorted(rays, key=lambda r: float(sp.atan2(r[1], r[0]) % (2 * sp.pi)))


def pair_cones(data: LearningSet) -> list[PairCone]:
    """The open cones on which Ĉ₂ (batches of two, ε = 0) is constant, with exact values. d = 2."""
    if data.d != 2:
        raise ValueError(f"pair_cones handles d = 2; the data have d = {data.d}")
    ex = data.exact()
    rays = _boundary_rays(data)
    cones = []
    for lo, hi in zip(rays, rays[1:] + rays[:1], strict=True):
        inside = lo[0] * hi[1] - lo[1] * hi[0] > 0
        rep = (lo[0] + hi[0], lo[1] + hi[1]) if inside else (-lo[1], lo[0])
        z = ex.x @ np.array(rep, dtype=object)
        order = tuple(int(k) for k in sorted(range(data.M), key=lambda k: z[k]))
        value = sp.simplify(minibatch_loss(to_exact(rep), ex, 2))
        cones.append(PairCone(lo, hi, rep, order, value))
    return cones


def cone_containing(cones: list[PairCone], w: Any) -> PairCone:
    """The cone that contains w; raises on a σ = 0 line, where Ĉ₂ is undefined."""
    for cone in cones:
        if cone.contains(w):
            return cone
    raise ValueError(f"w = {tuple(w)} lies on a σ = 0 line: a pair has equal pre-activations,"
                     " so Ĉ₂ is undefined there")
