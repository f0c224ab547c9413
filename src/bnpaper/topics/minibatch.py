"""Mini-batches and ε: BN as practical layers compute it (chapter *Mini-batches and ε*).

The paper normalizes over the whole learning set with ε = 0. Here:

- the mini-batch loss Ĉ_b(w) = mean over all batches B of b samples of
  Σ_{i∈B} (BN_B(z)_i − ȳ⁽ⁱ⁾)², each term :func:`bnpaper.model.bn_loss` on ``data.subset(B)``;
  for b = 2 the BN output of a pair is ±1, the sign of z_i − z_j, so Ĉ₂ is constant on
  the cones between the lines ⟨w, x̄⁽ⁱ⁾ − x̄⁽ʲ⁾⟩ = 0 (where σ_B = 0 and BN is undefined);
- ε > 0 under the square root, σ_ε = √(σ² + ε): then BN_ε = t(w)·BN with
  t(w) = σ(w)/√(σ(w)² + ε) ∈ (0, 1), i.e. Ĉ_ε(w) = Ĉ(w, γ = t(w), β = 0), which links this
  chapter to :mod:`bnpaper.affine`.
"""

from __future__ import annotations

import itertools
import numbers
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from bnpaper.core import exact, geometry, model
from bnpaper.core.data import LearningSet
from bnpaper.core.namespace import SYMPY, convert, namespace_of, to_exact
from bnpaper.paper.counterexample import counterexample_set
from bnpaper.presentation import plots
from bnpaper.topics import affine

PYTORCH_EPS = sp.Rational(1, 10**5)
"""torch.nn.BatchNorm1d's default ε = 10⁻⁵, exact."""

# --------------------------------------------------------------------------- mini-batches


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


def pair_sign_defect(data: LearningSet) -> list[sp.Expr]:
    """ẑ_i·|δ| − δ and ẑ_j·|δ| + δ for every pair, δ = ⟨w, x̄⁽ⁱ⁾ − x̄⁽ʲ⁾⟩, simplified: all zero.

    For two samples μ = (z_i + z_j)/2 and σ = |z_i − z_j|/2, so ẑ_i = δ/|δ| = sign δ = −ẑ_j
    wherever δ ≠ 0 (on δ = 0, σ = 0 and BN is undefined).
    """
    w = exact.weight_symbols(data.d)
    ex = data.exact()
    out = []
    for i, j in batches(data.M, 2):
        delta = sp.expand(sum(w * (ex.x[i] - ex.x[j])))
        zi, zj = pair_output_expr(data, i, j)
        out += [sp.simplify(zi * sp.Abs(delta) - delta), sp.simplify(zj * sp.Abs(delta) + delta)]
    return out


def sigma_zero_lines(data: LearningSet) -> list[tuple[tuple[int, int], tuple]]:
    """For each pair (i, j): the normal n = x̄⁽ⁱ⁾ − x̄⁽ʲ⁾ of the line ⟨w, n⟩ = 0 where σ_{ij} = 0."""
    ex = data.exact()
    return [((i, j), tuple(ex.x[i] - ex.x[j])) for i, j in batches(data.M, 2)]


@dataclass(frozen=True)
class Sector:
    """An open cone of the w-plane between two consecutive σ = 0 rays, where Ĉ₂ is constant."""

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


def pair_sectors(data: LearningSet) -> list[Sector]:
    """The open cones on which Ĉ₂ (batches of two, ε = 0) is constant, with exact values. d = 2."""
    if data.d != 2:
        raise ValueError(f"pair_sectors handles d = 2; the data have d = {data.d}")
    ex = data.exact()
    rays = _boundary_rays(data)
    sectors = []
    for lo, hi in zip(rays, rays[1:] + rays[:1], strict=True):
        inside = lo[0] * hi[1] - lo[1] * hi[0] > 0
        rep = (lo[0] + hi[0], lo[1] + hi[1]) if inside else (-lo[1], lo[0])
        z = ex.x @ np.array(rep, dtype=object)
        order = tuple(int(k) for k in sorted(range(data.M), key=lambda k: z[k]))
        value = sp.simplify(minibatch_loss(to_exact(rep), ex, 2))
        sectors.append(Sector(lo, hi, rep, order, value))
    return sectors


def sector_containing(sectors: list[Sector], w: Any) -> Sector:
    """The cone that contains w; raises on a σ = 0 line, where Ĉ₂ is undefined."""
    for s in sectors:
        if s.contains(w):
            return s
    raise ValueError(f"w = {tuple(w)} lies on a σ = 0 line: a pair has equal pre-activations,"
                     " so Ĉ₂ is undefined there")


# --------------------------------------------------------------------------- ε > 0


def shrink_factor(w: Any, data: LearningSet, eps: Any) -> Any:
    """t(w) = σ(w)/√(σ(w)² + ε) ∈ (0, 1), with BN_ε = t(w)·BN. w: (..., d) → (...); σ(w) > 0."""
    xp = namespace_of(w)
    z = model.pre_activations(convert(w, xp), convert(data.x, xp))
    t = model.batch_std(z, xp) / model.batch_std(z, xp, eps=eps)
    return t[..., 0].item() if xp is SYMPY and t.ndim == 1 else t[..., 0]


def scale_defect(data: LearningSet) -> sp.Expr:
    """Ĉ_ε(c·w) − Ĉ_{ε/c²}(w) for symbols c, ε > 0, simplified: zero (so Ĉ_ε(cw) → Ĉ(w))."""
    c, e = sp.symbols("c epsilon", positive=True)
    loss = exact.loss_expr(model.bn_loss, data, eps=e)
    w = exact.weight_symbols(data.d)
    scaled = loss.subs({s: c * s for s in w}, simultaneous=True)
    return sp.simplify(scaled - loss.subs(e, e / c**2))


def best_gamma(data: LearningSet) -> sp.Expr:
    """γ̄ = max_w γ*(w), the largest best-fitting γ of any direction (:mod:`bnpaper.affine`).

    Attained on the line of minima of the profile loss, since profile = ‖y_c‖² − M γ*².
    """
    return sp.Abs(affine.minima_line(data).gamma)


@dataclass(frozen=True)
class EpsMinimum:
    """Where Ĉ_ε (batch = the whole set, ε > 0, γ = 1, β = 0) attains its infimum, if at all."""

    gamma_bar: sp.Expr
    """γ̄ = max_w γ*(w)."""
    exists: bool
    """True iff γ̄ < 1: then Ĉ_ε has exactly one minimizer (a point, not a ray)."""
    point: tuple | None
    """The minimizer, exact, or None."""
    infimum: sp.Expr
    """inf Ĉ_ε: ‖ȳ‖² − M γ̄² if γ̄ < 1, else min Ĉ (ε = 0), approached as ‖w‖ → ∞."""


def eps_minimum(data: LearningSet, eps: Any) -> EpsMinimum:
    """The minimizer of Ĉ_ε, derived from Ĉ_ε(w) = M t² − 2M t γ*(w) + ‖ȳ‖², t = t(w) < 1.

    On a ray the loss is a parabola in t with vertex t = γ*; a stationary point needs
    ∂γ*/∂(direction) = 0 (the direction v of the profile minima) and t = γ̄ < 1.
    The proposition's hypotheses are checked (ValueError otherwise): d = 2, X_c of full
    column rank (σ(u) > 0 in every direction u) and X_cᵀȳ ≠ 0.
    """
    ex = data.exact()
    eps = sp.nsimplify(eps)
    if not eps > 0:
        raise ValueError(f"eps = {eps}; expected eps > 0 (for eps = 0 see bnpaper.counterexample)")
    xc = sp.Matrix((ex.x - ex.x.sum(axis=0) / ex.M).tolist())
    if xc.rank() < ex.d:
        raise ValueError(f"the centred inputs X_c have rank {xc.rank()} < d = {ex.d}: σ(w) = 0 "
                         "for some direction w ≠ 0, outside the proposition's hypotheses")
    if all(c == 0 for c in xc.T * sp.Matrix(list(ex.y))):
        raise ValueError("X_cᵀȳ = 0: γ*(w) = 0 for every w, there is no ray of ε = 0 minima")
    line = affine.minima_line(ex)
    v = line.direction if line.gamma > 0 else tuple(-c for c in line.direction)
    gamma_bar = sp.Abs(line.gamma)
    y_sq = sum(ex.y * ex.y)
    if gamma_bar >= 1:
        return EpsMinimum(gamma_bar, False, None, sp.nsimplify(y_sq + ex.M - 2 * ex.M * gamma_bar))
    sigma_v = model.batch_std(ex.x @ np.array(v, dtype=object), SYMPY)[0]
    sigma = sp.sqrt(eps * gamma_bar**2 / (1 - gamma_bar**2))  # t = σ/√(σ² + ε) = γ̄
    point = tuple(sp.radsimp(sp.simplify(c * sigma / sigma_v)) for c in v)
    return EpsMinimum(gamma_bar, True, point, sp.nsimplify(y_sq - ex.M * gamma_bar**2))


@dataclass(frozen=True)
class RayDescent:
    """Ĉ_ε along the ray r·v̂ of the ε = 0 minima (r > 0), derived from model.bn_loss.

    An independent test of "no minimum": it uses neither γ̄ nor :func:`eps_minimum`.
    """

    direction: tuple
    """v̂, the direction of the ε = 0 minima (:func:`bnpaper.counterexample.bn_minima_direction`)."""
    stationary_radii: tuple
    """The roots r > 0 of dĈ_ε(r v̂)/dr, exact (none: no stationary point on the ray)."""
    slope_at_one: sp.Expr
    """dĈ_ε(r v̂)/dr at r = 1/‖v̂‖ (the unit vector), exact."""
    limit: sp.Expr
    """lim_{r→∞} Ĉ_ε(r v̂), exact."""

    @property
    def strictly_decreasing(self) -> bool:
        """No stationary radius and a negative slope: Ĉ_ε(r v̂) falls for every r > 0."""
        return not self.stationary_radii and bool(self.slope_at_one < 0)


def ray_descent(data: LearningSet, eps: Any) -> RayDescent:
    """Ĉ_ε(r v̂) as an exact function of r > 0: its stationary radii, slope and limit."""
    ex = data.exact()
    eps = sp.nsimplify(eps)
    if not eps > 0:
        raise ValueError(f"eps = {eps}; expected eps > 0")
    from bnpaper.paper.counterexample import bn_minima_direction

    v = to_exact(bn_minima_direction(ex))
    unit = v / sp.sqrt(sum(c * c for c in v))
    r = sp.Symbol("r", positive=True)
    f = sp.simplify(model.bn_loss(np.array([r * c for c in unit], dtype=object), ex, eps=eps))
    slope = sp.simplify(sp.diff(f, r))
    roots = tuple(sp.solve(sp.numer(sp.together(slope)), r))  # sympy squares out the roots
    return RayDescent(tuple(v), roots, sp.radsimp(slope.subs(r, 1)), sp.limit(f, r, sp.oo))


def disc_minima(data: LearningSet, eps: float, radii: tuple[float, ...] = (1.0, 10.0, 100.0),
                n_angles: int = 1440, n_radii: int = 200) -> list[tuple[float, float]]:
    """For each R: (‖w‖ at the smallest Ĉ_ε on a polar grid of the closed disc ‖w‖ ≤ R,
    that smallest value). A minimum of Ĉ_ε inside a disc would show as ‖w‖ < R.

    The grid: ``n_angles`` directions times ``n_radii`` radii from R·10⁻⁶ to R
    (geometric), and w = 0, float64.
    """
    if not (np.isfinite(eps) and eps > 0):
        raise ValueError(f"eps = {eps}; expected a finite eps > 0")
    if not radii or not all(np.isfinite(r) and r > 0 for r in radii):
        raise ValueError(f"radii = {radii}; expected finite radii R > 0")
    if n_angles < 4 or n_radii < 2:
        raise ValueError(f"n_angles = {n_angles}, n_radii = {n_radii}; expected at least 4 "
                         "angles and 2 radii")
    num = data.numeric()
    theta = np.linspace(-np.pi, np.pi, n_angles, endpoint=False)
    out = []
    for big_r in radii:
        rad = np.geomspace(big_r * 1e-6, big_r, n_radii)
        w = geometry.unit_vectors(theta[:, None], rad[None, :])
        values = model.bn_loss(w, num, eps=eps)
        k = np.unravel_index(np.argmin(values), values.shape)
        at_zero = float(np.sum(num.y**2))  # Ĉ_ε(0) = ‖ȳ‖²
        best = (float(rad[k[1]]), float(values[k])) if values[k] < at_zero else (0.0, at_zero)
        out.append(best)
    return out


def pairs_eps_gradient(data: LearningSet, w: Any, eps: Any) -> list[sp.Expr]:
    """∇Ĉ_{2,ε}(w), exact: the gradient of the mean of the pair losses with ε (sympy)."""
    ex = data.exact()
    eps = sp.nsimplify(eps)
    pairs = [exact.loss_expr(model.bn_loss, ex.subset(p), eps=eps) for p in batches(ex.M, 2)]
    return [sp.radsimp(g) for g in exact.at(exact.gradient(sum(pairs) / len(pairs), ex.d),
                                            to_exact(w))]


def scaled_labels(data: LearningSet, factor: Any) -> LearningSet:
    """The same inputs with labels ȳ·factor (exact): small labels make γ̄ < 1."""
    ex = data.exact()
    return LearningSet(ex.x, to_exact(ex.y * sp.nsimplify(factor)))


def descent(data: LearningSet, w0: Any, eps: float, steps: int = 2000, lr: float = 0.1,
            batch_size: int | None = None) -> np.ndarray:
    """Plain gradient descent w ← w − η ∇Ĉ_ε(w) (Ĉ_{b,ε} if ``batch_size``), JAX, float64.

    Returns the path, shape (steps + 1, d). Deterministic (no sampling: every batch, every step).
    """
    from bnpaper.core.autodiff import jax_x64

    data = data.numeric()
    b = data.M if batch_size is None else check_batch_size(batch_size, data.M)
    w0 = np.asarray(w0, dtype=float)
    if w0.shape != (data.d,) or not np.all(np.isfinite(w0)):
        raise ValueError(f"w0 = {w0.tolist()}; expected {data.d} finite weights")
    if isinstance(steps, bool) or not isinstance(steps, numbers.Integral) or steps < 1:
        raise ValueError(f"steps = {steps!r}; expected a positive integer")
    jax = jax_x64()
    grad = jax.grad(lambda w: minibatch_loss(w, data, b, eps=eps))

    def step(w: Any, _: Any) -> tuple[Any, Any]:
        w = w - lr * grad(w)
        return w, w

    _, path = jax.jit(lambda w: jax.lax.scan(step, w, None, length=steps))(jax.numpy.asarray(w0))
    return np.concatenate([w0[None], np.asarray(path)])


# --------------------------------------------------------------------------- figures


def _offset_grid(lim: float, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A grid shifted off every line through 0 with a rational slope (σ = 0 lines)."""
    w1, w2, w = geometry.weight_grid(lim, n)
    shift = lim / n * np.array([1 / np.pi, np.sqrt(2) / np.pi])  # irrational: off those lines
    return w1 + shift[0], w2 + shift[1], w + shift


def pairs_figure(data: LearningSet, sectors: list[Sector], w_star: Any, v_full: Any,
                 lim: float = 4.0) -> Any:
    """Ĉ₂ (batches of two, ε = 0) over the w-plane: constant on cones, undefined on σ = 0 lines.

    ``v_full`` is the direction of the full-batch BN minima, drawn for comparison.
    """
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap

    num = data.numeric()
    w1, w2, w = _offset_grid(lim, 400)
    values = minibatch_loss(w, num, 2)
    levels = np.array(sorted({float(s.value) for s in sectors}))
    idx = np.argmin(np.abs(values[..., None] - levels), axis=-1)  # which cone value, by rank
    cmap = ListedColormap(plt.get_cmap("Greys")(np.linspace(0.05, 0.6, len(levels))))
    fig, ax = plt.subplots(figsize=(6.0, 5.6))
    ax.pcolormesh(w1, w2, idx, cmap=cmap, shading="auto", vmin=-0.5, vmax=len(levels) - 0.5)
    for k, (pair, (a, b)) in enumerate(sigma_zero_lines(data)):
        d = np.array([-float(b), float(a)])
        d = d / np.abs(d).max() * lim
        ax.plot([-d[0], d[0]], [-d[1], d[1]], ls=(0, (4, 2)), lw=1.6,
                color=[plots.OKABE_ITO[c] for c in ("blue", "vermillion", "purple")][k % 3],
                label=rf"$\sigma = 0$: $z_{pair[0] + 1} = z_{pair[1] + 1}$")
    for s in sectors:
        r = np.asarray(s.representative, dtype=float)
        p = r / np.linalg.norm(r) * 0.72 * lim
        ax.text(*p, str(s.value), ha="center", va="center", fontsize=10,
                bbox={"boxstyle": "round", "fc": "white", "ec": "none", "alpha": 0.85})
    plots.draw_ray(ax, v_full, lim, color=plots.OKABE_ITO["orange"], lw=2.5,
                   label=r"full-batch BN minima ($3w_1 = 5w_2$)")
    ax.plot(*np.asarray(w_star, dtype=float), "*", color=plots.OKABE_ITO["yellow"], mec="black",
            ms=16, label=r"$W^*$", zorder=5)
    ax.set(xlabel=r"$w_1$", ylabel=r"$w_2$", aspect="equal", xlim=(-lim, lim), ylim=(-lim, lim),
           title=rf"Batches of two: $\hat C_2$ is constant on {len(sectors)} cones"
           " (values printed)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=2, framealpha=0.9)
    return fig


def _eps_latex(eps: float) -> str:
    """ε for a legend: 10^{k} for a power of ten below 1, else the plain number."""
    k = np.log10(eps)
    return f"10^{{{int(round(k))}}}" if k < 0 and np.isclose(k, round(k)) else f"{eps:g}"


def eps_figure(data: LearningSet, eps_values: list[float], direction: Any, c_hat_min: float,
               path: np.ndarray, path_eps: float, lim: float = 12.0) -> Any:
    """Two panels: (a) Ĉ_ε along the ray of the ε = 0 minima, against ‖w‖, per ε;
    (b) Ĉ_ε for ``path_eps`` over the plane, with a gradient-descent ``path`` from W*.

    ``c_hat_min`` is min Ĉ (ε = 0), the infimum every curve of (a) approaches.
    """
    import matplotlib.pyplot as plt

    num = data.numeric()
    ray = ", ".join(str(c) for c in direction)
    v = np.asarray(direction, dtype=float)
    v = v / np.linalg.norm(v)
    radii = np.geomspace(1e-3, 1e3, 400)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11.0, 4.8))
    colours = [plots.OKABE_ITO[k] for k in ("blue", "green", "vermillion", "purple", "sky")]
    for k, eps in enumerate(eps_values):
        ax1.plot(radii, model.bn_loss(radii[:, None] * v, num, eps=eps), color=colours[k % 5],
                 lw=2, label=rf"$\varepsilon = {_eps_latex(eps)}$")
    ax1.axhline(c_hat_min, color="black", ls="--", lw=1.2,
                label=r"$\min \hat C$ for $\varepsilon = 0$")
    ax1.axhline(float(np.sum(num.y**2)), color="grey", ls=":", lw=1.2,
                label=r"$\|\bar y\|^2 = \hat C_\varepsilon(0)$")
    ax1.set(xscale="log", xlabel=rf"$\|w\|$ along the ray through $({ray})$",
            ylabel=r"$\hat C_\varepsilon(w)$", title=r"(a) Along the ray of the $\varepsilon=0$"
            " minima: decreasing, no minimum")
    ax1.legend(loc="upper right", framealpha=0.9)
    w1, w2, w = geometry.weight_grid(lim)
    values = model.bn_loss(w, num, eps=path_eps)
    cs = ax2.contourf(w1, w2, values, levels=20, cmap="Greys")
    fig.colorbar(cs, ax=ax2, label=rf"$\hat C_\varepsilon(w)$, $\varepsilon = {path_eps:g}$")
    plots.draw_ray(ax2, v, lim, color=plots.OKABE_ITO["orange"], lw=2.5,
                   label=r"$\varepsilon = 0$ minima ($3w_1 = 5w_2$)")
    ax2.plot(path[:, 0], path[:, 1], color=plots.OKABE_ITO["blue"], lw=2,
             label=rf"gradient descent from $W^*$ ({len(path) - 1} steps)")
    ax2.plot(*path[-1], "s", color=plots.OKABE_ITO["blue"], mec="black", ms=7)
    ax2.plot(*path[0], "*", color=plots.OKABE_ITO["yellow"], mec="black", ms=16, label=r"$W^*$")
    ax2.set(xlabel=r"$w_1$", ylabel=r"$w_2$", aspect="equal", xlim=(-lim, lim), ylim=(-lim, lim),
            title=rf"(b) $\hat C_\varepsilon$, $\varepsilon = {path_eps:g}$: descent from $W^*$"
            r" runs off, $\|w\| \to \infty$")
    ax2.legend(loc="lower left", framealpha=0.9)
    return fig


# --------------------------------------------------------------------------- claims


DISC_RADII = (1.0, 10.0, 100.0)
"""The radii R of the discs ‖w‖ ≤ R that :func:`no_minimum_check` searches."""


@dataclass(frozen=True)
class NoMinimumCheck:
    """The independent test of "Ĉ_ε has no minimum" (:func:`no_minimum_check`)."""

    ray: RayDescent
    """Ĉ_ε along the ray of the ε = 0 minima."""
    discs: list[tuple[float, float]]
    """For each R of :data:`DISC_RADII`: (‖w‖ where the polar grid of the disc is smallest,
    that value)."""
    c_hat_min: sp.Expr
    """min Ĉ for ε = 0, from :func:`bnpaper.counterexample.bn_stationary_rays`."""

    @property
    def on_boundary(self) -> bool:
        """Every disc's smallest grid value lies on its boundary circle, above min Ĉ."""
        return all(r == big_r and value > float(self.c_hat_min)
                   for (r, value), big_r in zip(self.discs, DISC_RADII, strict=True))

    @property
    def holds(self) -> bool:
        """No minimum: strictly falling along the ray towards min Ĉ, and no disc holds one."""
        return bool(self.ray.strictly_decreasing
                    and sp.simplify(self.ray.limit - self.c_hat_min) == 0 and self.on_boundary)

    @property
    def summary(self) -> str:
        """What was found, for the claims table."""
        return (f"dĈ_ε(r·{self.ray.direction})/dr has {len(self.ray.stationary_radii)} roots "
                f"r > 0 and is {'< 0' if self.ray.slope_at_one < 0 else '>= 0'}; limit "
                f"{self.ray.limit}; disc minima at ‖w‖ = R: {self.on_boundary}")


def no_minimum_check(data: LearningSet, eps: Any) -> NoMinimumCheck:
    """Whether Ĉ_ε has no minimum, tested without γ̄ or :func:`eps_minimum`.

    Along the ray of the ε = 0 minima Ĉ_ε(r v̂) should have no stationary radius, fall for
    every r > 0 and tend to min Ĉ (ε = 0), so it is not attained there; and on a polar grid
    of each disc ‖w‖ ≤ R (:data:`DISC_RADII`) the smallest value should lie on the boundary
    and above min Ĉ, so that no disc holds a minimizer.
    """
    from bnpaper.paper.counterexample import bn_stationary_rays

    c_hat_min = next(r.value for r in bn_stationary_rays(data) if r.kind == "minimum")
    return NoMinimumCheck(ray_descent(data, eps), disc_minima(data, float(eps), DISC_RADII),
                          c_hat_min)


def claims() -> list:
    """The chapter's main derived facts, exact (sympy)."""
    from bnpaper.claims import Claim, Evidence
    from bnpaper.core.least_squares import standard_optimum

    data = counterexample_set()
    source = "book, Mini-batches and ε"
    w_star = standard_optimum(data)
    sectors = pair_sectors(data)
    best = min(sectors, key=lambda s: s.value)
    star_sector = sector_containing(sectors, w_star)
    grad_eps = exact.at(exact.gradient(exact.loss_expr(model.bn_loss, data, eps=PYTORCH_EPS)),
                        w_star)
    minimum = eps_minimum(data, PYTORCH_EPS)
    no_minimum = no_minimum_check(data, PYTORCH_EPS)
    return [
        Claim("minibatch-1", "for a batch of two samples BN outputs ±sign(z_i − z_j), so Ĉ₂ is"
              " piecewise constant with ∇Ĉ₂ = 0 off the σ = 0 lines", source, "—",
              f"{len(sectors)} cones, values {sorted({str(s.value) for s in sectors})}",
              "exact BN output of each pair (sympy)", all(d == 0 for d in pair_sign_defect(data)),
              Evidence.DERIVED),
        Claim("minibatch-2", "W* lies in the cone of smallest Ĉ₂: with batches of two W* is a"
              " (flat) global minimum", source, "—",
              f"Ĉ₂(W*) = {star_sector.value}; smallest cone value {best.value}",
              "exact value on every cone (sympy)", star_sector.value == best.value,
              Evidence.DERIVED),
        Claim("minibatch-3", "with ε = 10⁻⁵ (PyTorch) ∇Ĉ_ε(W*) ≠ 0: W* is not stationary",
              source, "—", f"({float(grad_eps[0]):.6f}, {float(grad_eps[1]):.6f})",
              "exact gradient with ε = 1/100000 (sympy)", any(g != 0 for g in grad_eps),
              Evidence.DERIVED),
        Claim("minibatch-4", "with ε = 10⁻⁵ Ĉ_ε has no minimum (so Lemma 4.5 has no Ŵ*: it is"
              " vacuous, not false); inf Ĉ_ε = min Ĉ (ε = 0), approached only as ‖w‖ → ∞ along"
              " (5, 3)", source, "—", f"{no_minimum.summary}; γ̄ = {minimum.gamma_bar}",
              "exact slope and limit of Ĉ_ε along the ray (sympy), polar grids of discs; not"
              " from γ̄", no_minimum.holds, Evidence.DERIVED),
    ]
