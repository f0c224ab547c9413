"""A framework's own batch-normalization layer as an independent oracle for ``bnpaper``.

Flax's ``nnx.BatchNorm`` (flax 0.12, on the JAX the project pins) in training mode
(``use_running_average=False``: batch statistics; the biased variance (1/M) Σ (z − μ)²) with
its ε set explicitly to ours (its default is 1e-5; ours is 0). ``use_fast_variance=False``
makes it compute the variance as the mean of squared deviations, as the book defines it
(its default, E[z²] − E[z]², is the same quantity computed with more cancellation). The
gradients are ``jax.grad`` of the Flax computation; ``bnpaper``'s are its exact sympy
gradient (counterexample) or ``jax.grad`` of its own formula (:mod:`bnpaper.core.autodiff`).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from flax import nnx  # pinned in the test extra: a missing oracle fails, it is not skipped

from bnpaper.core import autodiff, exact, model
from bnpaper.core.data import make_learning_set
from bnpaper.paper import counterexample
from bnpaper.paper import facts as paper
from bnpaper.topics import deep


@pytest.fixture(autouse=True, scope="module")
def x64():
    """bnpaper's JAX settings (float64 on the CPU), made when the first test runs, not at
    import (tests/conftest.py points the persistent cache into the session first)."""
    autodiff.jax_x64()

ACTIVATIONS = {"identity": lambda z: z, "relu": nnx.relu, "tanh": jnp.tanh}


def flax_bn(features: int, eps: float) -> nnx.BatchNorm:
    """Flax's BN layer in training mode, γ = 1, β = 0, float64, with ε = ``eps``."""
    bn = nnx.BatchNorm(features, use_running_average=False, epsilon=eps,
                       use_fast_variance=False, use_scale=False, use_bias=False,
                       dtype=jnp.float64, param_dtype=jnp.float64, rngs=nnx.Rngs(0))
    # Flax stores its running averages (updated in training mode, used only in inference
    # mode) in float32 whatever param_dtype says; float64 ones avoid a mixed-precision update.
    bn.mean = nnx.BatchStat(jnp.zeros(features, jnp.float64))
    bn.var = nnx.BatchStat(jnp.ones(features, jnp.float64))
    return bn


def flax_neuron_output(w, x, eps=0.0, activation="identity"):
    """φ̂_w(x̄⁽ᵐ⁾) = g(BN(⟨w, x̄⁽ᵐ⁾⟩)) with Flax's BN over the batch (rows of x)."""
    z = jnp.asarray(x) @ w
    return ACTIVATIONS[activation](flax_bn(1, eps)(z[:, None])[:, 0])


def flax_neuron_loss(w, x, y, eps=0.0, activation="identity"):
    r = flax_neuron_output(w, x, eps, activation) - jnp.asarray(y)
    return jnp.sum(r * r)


def xy(data):
    """(x, y) of a learning set, the arguments of the Flax functions."""
    return data.x, data.y


def flax_gradient(w, x, y, eps=0.0, activation="identity"):
    grad = jax.grad(flax_neuron_loss)(jnp.asarray(w, dtype=jnp.float64), x, y, eps, activation)
    return np.asarray(grad)


def random_problems(n, seed):
    """n random learning sets (M from 2 to 8, d from 1 to 4) with a random w each."""
    rng = np.random.default_rng(seed)
    for _ in range(n):
        m, d = rng.integers(2, 9), rng.integers(1, 5)
        yield (make_learning_set(rng.normal(size=(m, d)), rng.normal(size=m) * 3),
               rng.normal(size=d))


def test_flax_bn_gives_the_counterexample_loss_and_gradient_at_w_star(paper_numeric, paper_set):
    w = np.array(paper.W_STAR, float)
    exact_loss = float(exact.at(exact.loss_expr(model.bn_loss, paper_set), paper.W_STAR))
    exact_grad = np.array(exact.to_floats(counterexample.bn_gradient_at(paper_set, paper.W_STAR)))
    assert float(flax_neuron_loss(w, *xy(paper_numeric))) == pytest.approx(exact_loss, rel=1e-13)
    np.testing.assert_allclose(flax_gradient(w, *xy(paper_numeric)), exact_grad, rtol=1e-12)
    assert tuple(np.round(flax_gradient(w, *xy(paper_numeric)), paper.GRADIENT_DECIMALS)) \
        == paper.GRADIENT_AT_W_STAR


def test_flax_bn_gradient_vanishes_on_the_ray_of_bn_minima(paper_numeric):
    for t in (0.5, 1.0, 4.0):
        np.testing.assert_allclose(flax_gradient(t * np.array([5.0, 3.0]), *xy(paper_numeric)), 0,
                                   atol=1e-12)


@pytest.mark.parametrize("activation", ["identity", "relu"])
def test_bn_output_and_gradient_match_flax_on_random_learning_sets(activation):
    for data, w in random_problems(12, seed=11):
        np.testing.assert_allclose(model.bn_output(w, data, activation=activation),
                                   flax_neuron_output(w, data.x, activation=activation),
                                   rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(
            autodiff.gradient_of(model.bn_loss, data, activation=activation)(w),
            flax_gradient(w, data.x, data.y, activation=activation), rtol=1e-9, atol=1e-10)


@pytest.mark.parametrize("eps", [1e-5, 1e-3, 0.5])
def test_eps_matches_flax_when_set_explicitly(eps, paper_numeric):
    for data, w in [(paper_numeric, np.array(paper.W_STAR, float)), *random_problems(6, seed=12)]:
        np.testing.assert_allclose(model.bn_output(w, data, eps=eps),
                                   flax_neuron_output(w, data.x, eps), rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(autodiff.gradient_of(model.bn_loss, data, eps=eps)(w),
                                   flax_gradient(w, data.x, data.y, eps), rtol=1e-9,
                                   atol=1e-10)


def test_flax_default_eps_is_not_the_book_bn(paper_numeric):
    # nnx.BatchNorm's default ε = 1e-5 shifts the counterexample's outputs by ~1e-6:
    # matching it needs ε set on one side or the other.
    assert nnx.BatchNorm(1, rngs=nnx.Rngs(0)).epsilon == 1e-5
    w = np.array(paper.W_STAR, float)
    flax_out = flax_neuron_output(w, paper_numeric.x, eps=1e-5)
    gap = np.max(np.abs(model.bn_output(w, paper_numeric) - flax_out))
    assert gap > 1e-7


def test_relu_after_bn_matches_flax_at_w_star_and_on_the_minima_ray(paper_numeric):
    for w in (np.array(paper.W_STAR, float), np.array([5.0, 3.0]), np.array([-1.0, 2.0])):
        np.testing.assert_allclose(model.bn_loss(w, paper_numeric, activation="relu"),
                                   flax_neuron_loss(w, *xy(paper_numeric), activation="relu"),
                                   rtol=1e-13)
        grad = autodiff.gradient_of(model.bn_loss, paper_numeric, activation="relu")
        np.testing.assert_allclose(grad(w),
                                   flax_gradient(w, *xy(paper_numeric), activation="relu"),
                                   rtol=1e-10, atol=1e-12)


class FlaxDeepNet(nnx.Module):
    """The deep network of :mod:`bnpaper.topics.deep` built from Flax layers: Linear (no bias),
    BatchNorm (training mode, γ = 1, β = 0, ε = 0) if ``bn``, the activation; a Linear output
    layer with bias. Its kernels are set from ``bnpaper``'s flat W."""

    def __init__(self, arch: deep.Architecture, w: np.ndarray, bn: bool):
        mats, v, b = arch.unpack(np.asarray(w, float))
        rngs = nnx.Rngs(0)
        self.hidden = nnx.List()
        for mat in mats:
            lin = nnx.Linear(mat.shape[1], mat.shape[0], use_bias=False,
                             param_dtype=jnp.float64, rngs=rngs)
            lin.kernel[...] = jnp.asarray(mat.T)  # flax computes h @ kernel
            self.hidden.append(lin)
        self.norms = nnx.List([flax_bn(arch.width, 0.0) for _ in mats]) if bn else None
        self.out = nnx.Linear(arch.width, 1, param_dtype=jnp.float64, rngs=rngs)
        self.out.kernel[...] = jnp.asarray(v[:, None])
        self.out.bias[...] = jnp.asarray([b])
        self.g = ACTIVATIONS[arch.activation]

    def __call__(self, x):
        h = jnp.asarray(x)
        for i, lin in enumerate(self.hidden):
            z = lin(h)
            h = self.g(self.norms[i](z) if self.norms is not None else z)
        return self.out(h)[:, 0]


@pytest.mark.parametrize("activation", ["identity", "relu", "tanh"])
@pytest.mark.parametrize("depth", [1, 2, 3])
def test_deep_network_forward_pass_matches_a_flax_network(activation, depth):
    rng = np.random.default_rng(depth)
    x = rng.normal(size=(7, 2))
    arch = deep.Architecture(d=2, width=3, depth=depth, activation=activation)
    for w in rng.normal(size=(3, arch.n_params)):
        for bn in (False, True):
            np.testing.assert_allclose(deep.network_output(w, arch, x, bn=bn),
                                       FlaxDeepNet(arch, w, bn)(x), rtol=1e-11, atol=1e-12)


def test_deep_bn_loss_gradient_matches_a_flax_network():
    rng = np.random.default_rng(5)
    data = make_learning_set(rng.normal(size=(6, 2)), rng.normal(size=6))
    arch = deep.Architecture(d=2, width=3, depth=2, activation="tanh")
    w = rng.normal(size=arch.n_params)

    def flax_loss(wj):
        mats_v_b = [wj[s] for s in arch.slices()]
        net = FlaxDeepNet(arch, np.zeros(arch.n_params), bn=True)
        for lin, m, shape in zip(net.hidden, mats_v_b, arch.shapes, strict=False):
            lin.kernel[...] = m.reshape(shape).T
        net.out.kernel[...] = mats_v_b[-2][:, None]
        net.out.bias[...] = mats_v_b[-1].reshape(1)
        r = net(data.x) - data.y
        return jnp.sum(r * r)

    expected = np.asarray(jax.grad(flax_loss)(jnp.asarray(w)))
    got = autodiff.gradient_of(deep.loss, arch, data, bn=True)(w)
    np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-10)
