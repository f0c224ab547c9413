"""Deep and non-linear networks with stacked BN layers (chapter *Deep and non-linear networks*,
the paper's open questions 1 and 2).

A network with L hidden layers of ``width`` units and activation g, on inputs x̄ ∈ ℝᵈ:

    standard:  f_W(x̄) = vᵀ g(W_L ⋯ g(W_1 x̄)) + b,
    BN:        f̂_W(x̄) = vᵀ g(BN(W_L ⋯ g(BN(W_1 x̄)))) + b,

BN per hidden unit over the batch (the whole learning set), γ = 1, β = 0 fixed, using
:func:`bnpaper.model.batch_normalize` (the one definition of BN). Hidden layers have no bias:
in the BN network a bias before BN is cancelled by the mean subtraction, and both networks
must share one parameter vector W = (W_1, …, W_L, v, b), flattened to shape (P,). The output
layer keeps its bias b, which plays the part of β (and v that of γ) at the output.

Losses are plain sums, as in the paper: C(W) = Σᵢ (f_W(x̄⁽ⁱ⁾) − ȳ⁽ⁱ⁾)², Ĉ(W) likewise with f̂_W.
The forward pass is generic over numpy (checked) and jax.numpy (training, autodiff).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from . import checks, general, lemma, model
from .data import LearningSet, make_learning_set
from .namespace import convert, namespace_of


@dataclass(frozen=True)
class Architecture:
    """Layer sizes and activation: ``depth`` = L ≥ 1 hidden layers of ``width`` units on ℝᵈ."""

    d: int
    width: int
    depth: int
    activation: model.Activation = "identity"

    def __post_init__(self) -> None:
        for name in ("d", "width", "depth"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} = {value!r}; expected an integer >= 1 (a network needs"
                                 " at least one hidden layer of at least one unit on ℝᵈ, d >= 1)")
        if self.activation not in model.ACTIVATIONS:
            raise ValueError(f"unknown activation {self.activation!r}; expected one of "
                             f"{model.ACTIVATIONS}")

    @property
    def shapes(self) -> tuple[tuple[int, ...], ...]:
        """Shapes of W_1 (width, d), W_2 … W_L (width, width), v (width,), b ()."""
        hidden = [(self.width, self.d)] + [(self.width, self.width)] * (self.depth - 1)
        return (*hidden, (self.width,), ())

    @property
    def n_params(self) -> int:
        """P, the length of the flat parameter vector W."""
        return sum(math.prod(s) for s in self.shapes)

    def unpack(self, w: Any) -> tuple[list[Any], Any, Any]:
        """Split W of shape (P,) into ([W_1, …, W_L], v, b) (numpy or jax arrays)."""
        checks.check_weights_shape(w, self.n_params, "W")
        if np.ndim(w) != 1:
            raise ValueError(f"W has shape {np.shape(w)}; expected ({self.n_params},)")
        parts = [w[sl].reshape(shape) for sl, shape in zip(self.slices(), self.shapes,
                                                            strict=True)]
        return parts[:-2], parts[-2], parts[-1]

    def slices(self) -> list[slice]:
        """Slices of the flat W holding W_1, …, W_L, v, b, in this order."""
        ends = np.cumsum([0] + [math.prod(s) for s in self.shapes])
        return [slice(int(a), int(b)) for a, b in zip(ends[:-1], ends[1:], strict=True)]

    def hidden_row_slices(self) -> list[slice]:
        """Slices of W holding W_1, …, W_L (each reshaped to rows = one unit's weights)."""
        return self.slices()[:-2]


def _prepare(w: Any, arch: Architecture, x: Any, bn: bool) -> tuple[Any, Any, Any]:
    xp = namespace_of(w)
    if np.ndim(x) != 2 or np.shape(x)[1] != arch.d:
        raise ValueError(f"x has shape {np.shape(x)}; expected (M, d) with d == {arch.d}")
    if bn and np.shape(x)[0] < 2:
        raise ValueError(f"the batch has M = {np.shape(x)[0]} sample(s); the BN network needs"
                         " M >= 2 (σ of a single sample is 0)")
    if xp is np:
        w = checks.finite_array(w, "W")
    return xp, convert(w, xp), convert(x, xp)


def _identity(z: Any) -> Any:
    return z


def _stack(w: Any, arch: Architecture, x: Any, normalize: Any, g: Any) -> tuple[list[Any], Any]:
    """The layer stack, written once: z_l = N(W_l h_{l−1}), h_l = g(z_l), h_0 = xᵀ, output
    vᵀ h_L + b. N is BN or the identity. Returns ([z_1, …, z_L] each (width, M), f (M,)).

    The batch axis is the last one, the axis :func:`bnpaper.model.batch_normalize` reduces
    over, so BN acts per unit over the batch.
    """
    mats, v, b = arch.unpack(w)
    h, zs = x.T, []
    for mat in mats:
        z = normalize(mat @ h)
        zs.append(z)
        h = g(z)
    return zs, v @ h + b


def _numeric_bn(xp: Any) -> Any:
    """BN with γ = 1, β = 0 (:func:`bnpaper.model.batch_normalize`), naming the layer on error."""
    layer = itertools.count(1)  # _stack calls normalize once per layer, in order

    def normalize(z: Any) -> Any:
        n = next(layer)
        try:
            return model.batch_normalize(z, xp)
        except ValueError as err:  # σ = 0 is detected on the numpy path: say which layer
            raise ValueError(f"hidden layer {n}: {err}") from err

    return normalize


def _forward(w: Any, arch: Architecture, x: Any, bn: bool) -> tuple[list[Any], Any]:
    xp, w, x = _prepare(w, arch, x, bn)
    normalize = _numeric_bn(xp) if bn else _identity
    return _stack(w, arch, x, normalize, lambda z: model.activate(z, arch.activation, xp))


def hidden_pre_activations(w: Any, arch: Architecture, x: Any, bn: bool) -> list[Any]:
    """The pre-activations of each hidden layer (after BN if ``bn``), each (width, M)."""
    return _forward(w, arch, x, bn)[0]


def network_output(w: Any, arch: Architecture, x: Any, bn: bool = False) -> Any:
    """f_W(x̄⁽ᵐ⁾) (``bn=False``) or f̂_W(x̄⁽ᵐ⁾) (``bn=True``) for every row of x (M, d) → (M,)."""
    return _forward(w, arch, x, bn)[1]


def loss(w: Any, arch: Architecture, data: LearningSet, bn: bool = False) -> Any:
    """C(W) (``bn=False``) or Ĉ(W) (``bn=True``): Σᵢ (f(x̄⁽ⁱ⁾) − ȳ⁽ⁱ⁾)². W (P,) → scalar."""
    xp = namespace_of(w)
    out = network_output(w, arch, data.x, bn)
    return model.squared_error(out, convert(data.y, xp), xp)


def standard_loss(w: Any, arch: Architecture, data: LearningSet) -> Any:
    """C(W), the loss of the standard network."""
    return loss(w, arch, data, bn=False)


def bn_loss(w: Any, arch: Architecture, data: LearningSet) -> Any:
    """Ĉ(W), the loss of the BN network (γ = 1, β = 0 in every BN layer)."""
    return loss(w, arch, data, bn=True)


# ---------------------------------------------------------------- the learning set

def make_regression_set(M: int = 16, d: int = 2, seed: int = 0,  # noqa: N803 - paper's M
                        noise: float = 0.1, shift: float = 1.5) -> LearningSet:
    """A small non-linear regression set: x̄ ~ N(shift·1, I) (non-zero mean), labels
    ȳ = sin(x̄₁) + x̄₂²/4 + noise·ε (the x̄₂ term only if d ≥ 2), ε ~ N(0, 1)."""
    if M < 2:
        raise ValueError(f"M = {M}; the BN network needs a batch of M >= 2 samples")
    rng = np.random.default_rng(seed)
    x = shift + rng.normal(size=(M, d))
    y = np.sin(x[:, 0]) + (x[:, 1] ** 2 / 4 if d >= 2 else 0) + noise * rng.normal(size=M)
    return make_learning_set(x, y)


def init_weights(arch: Architecture, seed: int, n: int = 1) -> np.ndarray:
    """n initializations W₀, shape (n, P): each weight matrix N(0, 1/fan_in), v too, b = 0."""
    rng = np.random.default_rng(seed)
    parts = []
    for shape in arch.shapes:
        fan_in = shape[-1] if len(shape) == 2 else arch.width
        size = math.prod(shape)
        scale = 0.0 if shape == () else 1 / np.sqrt(fan_in)
        parts.append(scale * rng.normal(size=(n, size)))
    return np.concatenate(parts, axis=1)


# ---------------------------------------------------------------- training (JAX)

@dataclass(frozen=True)
class Optimizer:
    """Full-batch, deterministic Levenberg–Marquardt: ``steps`` iterations of
    W ← W − (2JᵀJ + λI)⁻¹ ∇C(W), J the Jacobian of the outputs f(x̄⁽ᵐ⁾) with respect to W
    (2JᵀJ is the Gauss–Newton part of the Hessian of the sum of squares). A step is accepted
    only if the loss does not increase; λ starts at ``lam0``, shrinks 3× after a success and
    grows 4× after a failure (large λ: short gradient steps; small λ: Gauss–Newton)."""

    steps: int = 300
    lam0: float = 1.0
    tol: float = 1e-6
    """‖∇‖ below which an end point counts as stationary."""

    def __post_init__(self) -> None:
        if self.steps < 0 or self.lam0 <= 0 or self.tol <= 0:
            raise ValueError(f"{self}: expected steps >= 0, lam0 > 0 and tol > 0")


@dataclass(frozen=True)
class TrainResult:
    """End points of training, one row per initialization."""

    w: np.ndarray
    """The final parameters, (n, P)."""
    loss: np.ndarray
    """The loss there, (n,)."""
    grad_norm: np.ndarray
    """‖∇loss‖ there, (n,): a stationary point if below the tolerance, nothing more."""
    start_grad_norm: np.ndarray
    """‖∇loss‖ at the initialization, (n,)."""


SOLVER_DEPTH = 3
"""Networks of depth ≤ SOLVER_DEPTH share one compiled solver (see :func:`_traced_network`)."""


def _padded(arch: Architecture) -> Architecture:
    """The architecture the solver is compiled for: the same d and width, depth ≥ SOLVER_DEPTH."""
    return Architecture(arch.d, arch.width, max(arch.depth, SOLVER_DEPTH))


def _embed(w: np.ndarray, arch: Architecture, big: Architecture) -> np.ndarray:
    """W (n, P) of ``arch`` as parameters of the deeper ``big``: W_1 … W_L, v, b in their
    slots, zeros in the slots of the layers that are skipped. → (n, P_big)."""
    out = np.zeros((len(w), big.n_params))
    large = big.slices()
    for a, b in zip(arch.slices(), large[:arch.depth] + large[-2:], strict=True):
        out[:, b] = w[:, a]
    return out


def _extract(w: np.ndarray, arch: Architecture, big: Architecture) -> np.ndarray:
    """The inverse of :func:`_embed`. (n, P_big) → (n, P)."""
    large = big.slices()
    return np.concatenate([w[:, b] for b in large[:arch.depth] + large[-2:]], axis=1)


def _traced_network(w: Any, big: Architecture, x: Any, act: Any, bn: Any, depth: Any) -> Any:
    """f or f̂ (M,) through :func:`_stack`, with the activation (an index into
    ``model.ACTIVATIONS``), BN on/off and the depth L ≤ big.depth as traced arguments, so one
    compiled function serves every network of a given width (compiling is what costs time).

    Layers l > L are skipped exactly: W_l is replaced by the identity and BN and g by the
    identity, so h_l = h_{l−1}. lax.cond and lax.switch run only the branch taken, so an
    unused BN (which might divide by σ = 0) never runs.
    """
    from .autodiff import jax_x64

    jax = jax_x64()
    jnp, lax = jax.numpy, jax.lax
    layer_of = np.concatenate([np.full(sl.stop - sl.start, i + 1) for i, sl in
                               enumerate(big.hidden_row_slices())] + [np.zeros(big.width + 1)])
    identity = np.concatenate([np.zeros(big.width * big.d)]
                              + [np.eye(big.width).ravel()] * (big.depth - 1)
                              + [np.zeros(big.width + 1)])
    w = jnp.where((layer_of <= depth) | (layer_of == 0), w, identity)
    branches = [lambda z, a=a: model.activate(z, a, jnp) for a in model.ACTIVATIONS]
    calls = {"normalize": 0, "g": 0}

    def active(kind: str) -> Any:  # the Python loop in _stack calls each once per layer
        calls[kind] += 1
        return calls[kind] <= depth

    def normalize(z: Any) -> Any:
        return lax.cond(active("normalize") & bn, lambda z: model.batch_normalize(z, jnp),
                        _identity, z)

    def g(z: Any) -> Any:
        return lax.cond(active("g"), lambda z: lax.switch(act, branches, z), _identity, z)

    return _stack(w, big, x, normalize, g)[1]


def _traced_loss(w: Any, big: Architecture, x: Any, y: Any, *flags: Any) -> Any:
    from .autodiff import jax_x64

    return model.squared_error(_traced_network(w, big, x, *flags), y, jax_x64().numpy)


@cache
def _solver(big: Architecture) -> Any:
    """solve(W₀ (P_big,), x, y, act, bn, depth, steps, λ₀) → (W, loss, ‖∇‖ at W, ‖∇‖ at W₀),
    jit-compiled once for all depths ≤ big.depth, activations and BN on/off."""
    from .autodiff import jax_x64

    jax = jax_x64()
    jnp = jax.numpy
    grad = jax.grad(_traced_loss)
    jac = jax.jacfwd(_traced_network)

    def solve(w0: Any, x: Any, y: Any, act: Any, bn: Any, depth: Any, steps: Any,
              lam0: Any) -> Any:
        flags = (act, bn, depth)

        def step(_: Any, state: Any) -> Any:
            w, lam, c = state
            j = jac(w, big, x, *flags)
            trial = w - jnp.linalg.solve(2 * j.T @ j + lam * jnp.eye(w.size),
                                         grad(w, big, x, y, *flags))
            ct = _traced_loss(trial, big, x, y, *flags)
            ok = ct <= c  # False for NaN: a singular system is simply rejected
            lam = jnp.clip(jnp.where(ok, lam / 3, lam * 4), 1e-15, 1e30)
            return jnp.where(ok, trial, w), lam, jnp.where(ok, ct, c)

        init = (w0, lam0, _traced_loss(w0, big, x, y, *flags))
        w, _, c = jax.lax.fori_loop(0, steps, step, init)
        return (w, c, jnp.linalg.norm(grad(w, big, x, y, *flags)),
                jnp.linalg.norm(grad(w0, big, x, y, *flags)))

    return jax.jit(solve)


def train(arch: Architecture, data: LearningSet, w0: Any, bn: bool = False,
          opt: Optimizer = Optimizer()) -> TrainResult:
    """Train the standard (``bn=False``) or BN network from each row of W₀ (n, P)."""
    w0 = checks.finite_array(np.atleast_2d(w0), "W0")
    checks.check_weights_shape(w0, arch.n_params, "W0")
    data = data.numeric()
    if data.d != arch.d:
        raise ValueError(f"the learning set has d = {data.d}; the architecture expects {arch.d}")
    big = _padded(arch)
    solve = _solver(big)
    flags = (model.ACTIVATIONS.index(arch.activation), bn, arch.depth, opt.steps, opt.lam0)
    rows = [solve(w, data.x, data.y, *flags) for w in _embed(w0, arch, big)]
    w, c, g, g0 = (np.array([np.asarray(r[i]) for r in rows]) for i in range(4))
    return TrainResult(_extract(w, arch, big), c, g, g0)


def gradient_norm(arch: Architecture, data: LearningSet, w: Any, bn: bool) -> np.ndarray:
    """‖∇C(W)‖ or ‖∇Ĉ(W)‖ by JAX autodiff, for each row of W (n, P) → (n,)."""
    return train(arch, data, w, bn, Optimizer(steps=0)).grad_norm


def gradients(arch: Architecture, data: LearningSet, w: Any, bn: bool) -> np.ndarray:
    """∇C(W) or ∇Ĉ(W) by JAX reverse-mode autodiff of :func:`loss` itself (not of the
    solver's traced network). W (P,) → (P,)."""
    from .autodiff import gradient

    return gradient(loss, arch, data.numeric(), bn)(checks.finite_array(w, "W"))


KINK_TOL = 1e-5
"""|z| below this counts as on a ReLU kink (end points on a kink have |z| ~ 1e-15 here)."""


def end_status(arch: Architecture, data: LearningSet, w: Any, grad_norm: float, bn: bool,
               tol: float) -> str:
    """How training ended at W: "stationary" (‖∇‖ < tol); "kink" (ReLU: a hidden
    pre-activation of some sample is 0 to KINK_TOL, where the loss has no gradient); else
    "not stationary" (still moving, or stalled, when the steps ran out)."""
    if grad_norm < tol:
        return "stationary"
    if arch.activation == "relu":
        zs = hidden_pre_activations(w, arch, data.x, bn)
        if min(float(np.min(np.abs(z))) for z in zs) < KINK_TOL:
            return "kink"
    return "not stationary"


def output_weight_growth(arch: Architecture, data: LearningSet, w0: Any, bn: bool,
                         steps: tuple[int, ...]) -> list[tuple[int, float, float, float]]:
    """Train from W₀ (P,) for each number of steps: [(steps, loss, ‖∇‖, ‖v‖)], to see whether
    an end point that is not stationary is converging slowly or drifting off to infinity."""
    v_slice = arch.slices()[-2]
    out = []
    for n in steps:
        res = train(arch, data, w0, bn, Optimizer(steps=n))
        out.append((n, float(res.loss[0]), float(res.grad_norm[0]),
                    float(np.linalg.norm(res.w[0][v_slice]))))
    return out


# ---------------------------------------------------------------- distances, Lemma 4.5

def scale_orbit_distance_sq(w0: Any, w_hat: Any, arch: Architecture) -> np.ndarray:
    """Squared distance from W₀ to {Ŵ with each hidden unit's weight row scaled by its own
    c_j > 0} (an infimum where ⟨row of W₀, row of Ŵ⟩ ≤ 0). W₀, Ŵ: (..., P) → (...).

    BN per unit makes f̂ invariant under these rescalings, so if Ŵ is an optimum of Ĉ, so is
    every point of the set, and this is an upper bound on the distance to the closest optimum.
    """
    w0, w_hat = np.asarray(w0, float), np.asarray(w_hat, float)
    total = np.zeros(np.broadcast_shapes(w0.shape, w_hat.shape)[:-1])
    rest = np.ones(arch.n_params, dtype=bool)
    for sl, shape in zip(arch.hidden_row_slices(), arch.shapes, strict=False):
        rows0 = w0[..., sl].reshape(*w0.shape[:-1], *shape)
        rows = w_hat[..., sl].reshape(*w_hat.shape[:-1], *shape)
        total = total + lemma.distance_sq_to_ray(rows0, rows).sum(axis=-1)
        rest[sl] = False
    diff = w0[..., rest] - w_hat[..., rest]
    return total + np.sum(diff * diff, axis=-1)


# ---------------------------------------------------------------- the experiment

@dataclass(frozen=True)
class DeepRun:
    """One architecture and seed: W* trained from a random W₀, and what BN makes of it."""

    depth: int
    activation: str
    seed: int
    c_star: float
    """C(W*) at the end W* of training the standard network from W₀."""
    grad_c_star: float
    """‖∇C(W*)‖."""
    status_star: str
    """How that training ended (:func:`end_status`)."""
    norm_w_star: float
    """‖W*‖."""
    grad_bn_at_w_star: float
    """(a) ‖∇Ĉ(W*)‖: zero if W* were a stationary point of the BN network."""
    c_hat_at_w_star: float
    """Ĉ(W*)."""
    c_hat_from_star: float
    """(b) Ĉ(Ŵ*) at the end Ŵ* of training the BN network from W₀ = W*."""
    grad_bn_from_star: float
    """‖∇Ĉ(Ŵ*)‖ there."""
    status_bn_from_star: str
    """How that training ended."""
    move: float
    """‖Ŵ* − W*‖."""
    move_orbit: float
    """Distance from W* to the rescalings of Ŵ* (:func:`scale_orbit_distance_sq`), ≤ move."""
    inner: float
    """(c) ⟨W₀, W*⟩ at the random W₀ (Lemma 4.5 assumes it > 0)."""
    lhs: float
    """Squared distance from W₀ to the rescalings of the BN end point trained from W₀."""
    rhs: float
    """Lemma 4.5's right-hand side at W₀, with the W* trained from W₀."""
    status_bn_from_w0: str
    """How the BN training from W₀ ended."""

    @property
    def relative_move(self) -> float:
        """‖Ŵ* − W*‖ / ‖W*‖."""
        return self.move / self.norm_w_star

    @property
    def usable_a(self) -> bool:
        """W* is a stationary point of C (to the tolerance): (a) and (b) are about an optimum."""
        return self.status_star == "stationary"

    @property
    def usable_c(self) -> bool:
        """Both trainings from W₀ ended stationary and ⟨W₀, W*⟩ > 0: (c) can be judged."""
        return (self.usable_a and self.status_bn_from_w0 == "stationary" and self.inner > 0)


def run_architecture(arch: Architecture, data: LearningSet, seeds: tuple[int, ...],
                     opt: Optimizer = Optimizer()) -> list[DeepRun]:
    """For each seed: W₀ = :func:`init_weights`, W* = standard training from W₀; (a) ∇Ĉ(W*);
    (b) BN training from W*; (c) BN training from W₀ and both sides of Lemma 4.5 at W₀."""
    w0 = np.concatenate([init_weights(arch, s) for s in seeds])
    std = train(arch, data, w0, bn=False, opt=opt)
    bn = train(arch, data, np.concatenate([std.w, w0]), bn=True, opt=opt)
    n = len(seeds)
    lhs = scale_orbit_distance_sq(w0, bn.w[n:], arch)
    orbit = np.sqrt(scale_orbit_distance_sq(std.w, bn.w[:n], arch))

    def status(w: np.ndarray, g: float, is_bn: bool) -> str:
        return end_status(arch, data, w, g, is_bn, opt.tol)

    return [DeepRun(
        arch.depth, arch.activation, s, float(std.loss[i]), float(std.grad_norm[i]),
        status(std.w[i], std.grad_norm[i], False), float(np.linalg.norm(std.w[i])),
        float(bn.start_grad_norm[i]), float(bn_loss(std.w[i], arch, data)),
        float(bn.loss[i]), float(bn.grad_norm[i]), status(bn.w[i], bn.grad_norm[i], True),
        float(np.linalg.norm(bn.w[i] - std.w[i])), float(orbit[i]), float(w0[i] @ std.w[i]),
        float(lhs[i]), float(lemma.lemma_rhs(w0[i], std.w[i])),
        status(bn.w[n + i], bn.grad_norm[n + i], True))
        for i, s in enumerate(seeds)]


def run_grid(data: LearningSet, depths: tuple[int, ...] = (1, 2, 3),
             activations: tuple[str, ...] = model.ACTIVATIONS, seeds: tuple[int, ...] = (0, 1, 2),
             width: int = 4, opt: Optimizer = Optimizer()) -> list[DeepRun]:
    """:func:`run_architecture` for every depth and activation, in that order."""
    return [run for depth in depths for act in activations
            for run in run_architecture(Architecture(data.d, width, depth, act), data, seeds,
                                        opt)]


_STATUS = {"stationary": "S", "kink": "K", "not stationary": "N"}


def _gnorm(g: float, tol: float) -> str:
    # a gradient below the tolerance is rounding noise: print the bound, not the noise
    return f"{'<' + format(tol, '.0e'):>8}" if g < tol else f"{g:8.1e}"


def format_table_ab(runs: list[DeepRun], tol: float = Optimizer().tol) -> str:
    """(a) and (b), one line per run, fixed formats. Status: S stationary, K kink, N not."""
    head = (f"{'L':>1} {'g':<8} {'seed':>4} | {'C(W*)':>7} {'|dC|':>8} st | {'|dC^(W*)|':>9} "
            f"{'C^(W*)':>8} | {'C^(W^*)':>7} {'|dC^|':>8} st {'|W^*-W*|':>8} {'rel':>5}")
    lines = [head, "-" * len(head)]
    for r in runs:
        lines.append(
            f"{r.depth:>1} {r.activation:<8} {r.seed:>4} | {r.c_star:7.4f} "
            f"{_gnorm(r.grad_c_star, tol)} {_STATUS[r.status_star]:>2} | "
            f"{r.grad_bn_at_w_star:9.3g} {r.c_hat_at_w_star:8.3g} | {r.c_hat_from_star:7.4f} "
            f"{_gnorm(r.grad_bn_from_star, tol)} {_STATUS[r.status_bn_from_star]:>2} "
            f"{r.move:8.3f} {r.relative_move:5.2f}")
    return "\n".join(lines)


def format_table_c(runs: list[DeepRun]) -> str:
    """(c) Lemma 4.5 at the random W₀, one line per run, fixed formats."""
    head = (f"{'L':>1} {'g':<8} {'seed':>4} | {'<W0,W*>':>8} {'lhs':>8} {'rhs':>8} "
            f"{'st(C)':>5} {'st(C^)':>6} | verdict")
    lines = [head, "-" * len(head)]
    for r in runs:
        verdict = ("n/a" if not r.usable_c else "lhs <= rhs" if r.lhs <= r.rhs
                   else "lhs > rhs")
        lines.append(
            f"{r.depth:>1} {r.activation:<8} {r.seed:>4} | {r.inner:8.3f} {r.lhs:8.3f} "
            f"{r.rhs:8.3f} {_STATUS[r.status_star]:>5} {_STATUS[r.status_bn_from_w0]:>6} | "
            f"{verdict}")
    return "\n".join(lines)


@dataclass(frozen=True)
class DeepSummary:
    """The chapter's numbers, over all runs of :func:`run_grid`."""

    n_runs: int
    n_stationary_star: int
    """Runs whose W* is a stationary point of C (to the tolerance): (a) and (b) apply."""
    min_grad_bn: float
    """min ‖∇Ĉ(W*)‖ over those runs."""
    max_grad_c: float
    """max ‖∇C(W*)‖ over those runs."""
    n_bn_stationary_from_star: int
    """Of those, runs whose BN training from W* ended stationary."""
    min_rel_move: float
    """min ‖Ŵ* − W*‖/‖W*‖ over those (stationary W*, stationary Ŵ*)."""
    max_rel_move: float
    """max of the same."""
    n_judged_c: int
    """Runs where (c) can be judged (:attr:`DeepRun.usable_c`)."""
    n_lhs_greater: int
    """Of those, runs with lhs > rhs: the optimum training found is farther than allowed."""
    status_counts: dict[tuple[str, str], int]
    """(activation, status) → count, over all end points of training (three per run)."""
    without_stationary_star: tuple[tuple[int, str], ...]
    """(depth, activation) of the architectures where no seed gave a stationary W*."""


def summarize(runs: list[DeepRun]) -> DeepSummary:
    """Counts and extremes of :func:`run_grid`'s runs, for the prose."""
    a = [r for r in runs if r.usable_a]
    b = [r for r in a if r.status_bn_from_star == "stationary"]
    c = [r for r in runs if r.usable_c]
    counts: dict[tuple[str, str], int] = {}
    for r in runs:
        for st in (r.status_star, r.status_bn_from_star, r.status_bn_from_w0):
            counts[(r.activation, st)] = counts.get((r.activation, st), 0) + 1
    configs = dict.fromkeys((r.depth, r.activation) for r in runs)
    missing = tuple(k for k in configs if not any((r.depth, r.activation) == k for r in a))
    return DeepSummary(len(runs), len(a), min(r.grad_bn_at_w_star for r in a),
                       max(r.grad_c_star for r in a), len(b),
                       min(r.relative_move for r in b), max(r.relative_move for r in b),
                       len(c), sum(r.lhs > r.rhs for r in c), counts, missing)


# ---------------------------------------------------------------- an exact optimum (identity)

def least_squares_with_intercept(data: LearningSet) -> tuple[np.ndarray, float, float]:
    """(a, b, C): the least-squares affine fit ȳ ≈ ⟨a, x̄⟩ + b and its loss Σ residual².

    a = v̂ and b = b̂ of :func:`bnpaper.general.linear_fits` (the slope with intercept); the
    residual ⟨a, x̄⟩ + b − ȳ equals Xc a − yc since b = ȳ − ⟨x̄, a⟩ (means over the batch)."""
    data = data.numeric()
    fits = general.linear_fits(data)
    xc, yc = general.centered(data.x, data.y)
    r = xc @ fits.v_hat - yc
    return fits.v_hat, float(fits.intercept), float(r @ r)


def linear_optimum(arch: Architecture, data: LearningSet, w0: Any) -> np.ndarray:
    """A global minimum W* of C for the identity activation, without training: keep W₀'s
    hidden layers A = W_L ⋯ W_1, set v to the least-norm solution of Aᵀv = a and b = b from
    :func:`least_squares_with_intercept` (needs A of rank d). W₀ (P,) → W* (P,)."""
    if arch.activation != "identity":
        raise ValueError(f"activation {arch.activation!r}: the closed form needs 'identity'")
    w = np.array(w0, dtype=float)
    mats, _, _ = arch.unpack(w)
    prod = np.linalg.multi_dot([*mats[::-1], np.eye(arch.d)])
    if np.linalg.matrix_rank(prod) < arch.d:
        raise ValueError(f"W_L⋯W_1 has rank < d = {arch.d}: it cannot carry the fit")
    a, b, _ = least_squares_with_intercept(data)
    v_slice, b_slice = arch.slices()[-2:]
    w[v_slice] = np.linalg.lstsq(prod.T, a, rcond=None)[0]
    w[b_slice] = b
    return w


# ---------------------------------------------------------------- figure, claims

_MARKERS = {"identity": "o", "relu": "s", "tanh": "^"}


def _x(r: DeepRun) -> float:
    # depth on the axis, activations side by side, seeds slightly apart
    return r.depth + 0.25 * (model.ACTIVATIONS.index(r.activation) - 1) + 0.05 * (r.seed - 1)


def deep_figure(runs: list[DeepRun], tol: float = Optimizer().tol) -> Any:
    """(a) ‖∇Ĉ(W*)‖ and ‖∇C(W*)‖ at stationary W*; (b) ‖Ŵ* − W*‖/‖W*‖ after BN training
    from W*; (c) Lemma 4.5's lhs against rhs at the random W₀. Filled markers: the end point
    of BN training is stationary; open: it is not (kink or not stationary)."""
    import matplotlib.pyplot as plt

    from .plots import OKABE_ITO

    colours = dict(zip(model.ACTIVATIONS, (OKABE_ITO["blue"], OKABE_ITO["vermillion"],
                                           OKABE_ITO["green"]), strict=True))
    fig, axes = plt.subplots(1, 3, figsize=(13, 4.2))
    for r in runs:
        col, mk = colours[r.activation], _MARKERS[r.activation]
        if r.usable_a:
            axes[0].plot(_x(r), r.grad_bn_at_w_star, mk, color=col, ms=7)
            axes[0].plot(_x(r), max(r.grad_c_star, 1e-16), mk, color=col, ms=7, mfc="none")
            filled = col if r.status_bn_from_star == "stationary" else "none"
            axes[1].plot(_x(r), r.relative_move, mk, color=col, mfc=filled, ms=7)
        if r.inner > 0:
            filled = col if r.usable_c else "none"
            axes[2].plot(r.rhs, r.lhs, mk, color=col, mfc=filled, ms=7)
    axes[0].axhline(tol, color="grey", ls=":", lw=1)
    axes[0].text(0.6, tol * 3, f"tolerance {tol:.0e}", color="grey", fontsize=8)
    axes[0].set(yscale="log", ylabel="gradient norm at $W^*$",
                title=r"(a) $\|\nabla\hat C(W^*)\|$ (filled) vs $\|\nabla C(W^*)\|$ (open)")
    axes[1].set(ylabel=r"$\|\hat W^* - W^*\| \,/\, \|W^*\|$", ylim=(0, None),
                title=r"(b) BN training from $W_0 = W^*$ moves away")
    for ax in axes[:2]:
        ax.set(xticks=[1, 2, 3], xlim=(0.5, 3.5), xlabel="hidden layers $L$")
    hi = max(max(r.lhs, r.rhs) for r in runs if r.inner > 0) * 1.1
    axes[2].plot([1e-2, hi], [1e-2, hi], color="grey", lw=1, label="lhs = rhs")
    axes[2].set(xscale="log", yscale="log", xlabel="rhs (distance² to the line through $W^*$)",
                ylabel=r"lhs (distance² to the BN end point)",
                title=r"(c) Lemma 4.5 at random $W_0$ (filled: judged)")
    for act in model.ACTIVATIONS:
        axes[2].plot([], [], _MARKERS[act], color=colours[act], label=act)
    axes[2].legend(loc="upper left", title="activation $g$")
    return fig


def claims() -> list:
    """The chapter's main claim on one deep linear network whose optimum W* is exact (no
    training): W* is not a stationary point of the BN network, so Lemma 4.5 fails at W₀ = W*."""
    from .claims import Claim

    data = make_regression_set()
    arch = Architecture(data.d, 4, 2, "identity")
    w_star = linear_optimum(arch, data, init_weights(arch, 0)[0])
    g_std = float(np.linalg.norm(gradients(arch, data, w_star, bn=False)))
    g_bn = float(np.linalg.norm(gradients(arch, data, w_star, bn=True)))
    rhs = float(lemma.lemma_rhs(w_star, w_star))
    tol = Optimizer().tol
    return [
        Claim("book-deep-1", "a global minimum W* of C for a network with 2 hidden layers of "
              "width 4 (identity, BN after each) is not a stationary point of Ĉ",
              "book, Deep and non-linear networks", "—",
              # ‖∇C(W*)‖ is rounding noise: report the bound it meets, not its digits
              f"‖∇C(W*)‖ < {tol:.0e}, ‖∇Ĉ(W*)‖ = {g_bn:.2f}",
              "closed-form W* (least squares with intercept), JAX autodiff",
              g_std < tol and g_bn > 1e6 * tol),
        Claim("book-deep-2", "Lemma 4.5 fails at W₀ = W* for that network: rhs = 0 but W* is "
              "not an optimum of Ĉ", "book, Deep and non-linear networks", "—",
              f"rhs = {rhs:.1f}, ‖∇Ĉ(W*)‖ = {g_bn:.2f} ≠ 0", "lemma_rhs; JAX autodiff",
              rhs == 0 and g_bn > 1e6 * tol),
    ]
