"""Deep and non-linear networks with stacked BN layers: definitions, reductions to the paper's
neuron, gradients, training and the chapter's claims."""

import numpy as np
import pytest

from bnpaper.core import exact, least_squares, model
from bnpaper.core.autodiff import jax_x64
from bnpaper.core.data import make_learning_set
from bnpaper.core.namespace import to_exact
from bnpaper.paper import counterexample
from bnpaper.paper.counterexample import counterexample_set
from bnpaper.topics import deep

from .helpers import central_difference

DATA = deep.make_regression_set()
PAPER = counterexample_set()


def random_w(arch, seed=0):
    return deep.init_weights(arch, seed)[0] + 0.3  # b ≠ 0 too


def reference_output(w, arch, x, bn):
    """The deep network written out with np.std, layer by layer: not bnpaper's code."""
    g = {"identity": lambda z: z, "relu": lambda z: np.maximum(z, 0), "tanh": np.tanh}
    sizes = [arch.width * arch.d] + [arch.width**2] * (arch.depth - 1)
    h, start = x, 0
    for size in sizes:
        mat = w[start:start + size].reshape(arch.width, -1)
        start += size
        z = h @ mat.T  # (M, width)
        if bn:
            z = (z - z.mean(axis=0)) / z.std(axis=0)
        h = g[arch.activation](z)
    return h @ w[start:start + arch.width] + w[-1]


@pytest.mark.parametrize("activation", model.ACTIVATIONS)
def test_every_bn_layer_has_zero_mean_and_unit_population_variance_per_unit(activation):
    arch = deep.Architecture(2, 4, 3, activation)
    for z in deep.hidden_pre_activations(random_w(arch), arch, DATA.x, bn=True):
        assert z.shape == (4, DATA.M)
        np.testing.assert_allclose(z.mean(axis=1), 0, atol=1e-13)
        np.testing.assert_allclose(z.var(axis=1), 1, rtol=1e-12)


@pytest.mark.parametrize("activation", model.ACTIVATIONS)
@pytest.mark.parametrize("bn", [False, True])
def test_network_matches_an_independent_implementation(activation, bn):
    for depth in (1, 2, 3):
        arch = deep.Architecture(2, 4, depth, activation)
        w = random_w(arch, seed=depth)
        np.testing.assert_allclose(deep.network_output(w, arch, DATA.x, bn),
                                   reference_output(w, arch, DATA.x, bn), rtol=1e-12)


@pytest.mark.parametrize("activation", model.ACTIVATIONS)
def test_one_unit_bn_network_is_the_papers_neuron_with_output_weight_and_bias(activation):
    # f̂ = v·g(BN(⟨w, x̄⟩)) + b; for g = identity, v and b are exactly γ and β of the neuron.
    arch = deep.Architecture(2, 1, 1, activation)
    data = PAPER.numeric()
    for w, v, b in [((1.0, 3.0), 1.0, 0.0), ((0.4, -2.0), -1.7, 0.6), ((5.0, 3.0), 2.0, -3.0)]:
        out = deep.network_output(np.array([*w, v, b]), arch, data.x, bn=True)
        neuron = model.bn_output(np.array(w), data, activation=activation)
        np.testing.assert_allclose(out, v * neuron + b, rtol=1e-13, atol=1e-13)
        if activation == "identity":
            np.testing.assert_allclose(out, model.bn_output(np.array(w), data, gamma=v, beta=b),
                                       rtol=1e-13, atol=1e-13)


def test_one_unit_networks_reproduce_the_papers_losses_exactly():
    arch = deep.Architecture(2, 1, 1, "identity")
    for w in [(1, 3), (5, 3), (2, -7)]:
        params = to_exact([*w, 1, 0])
        assert deep.bn_loss(params, arch, PAPER) == model.bn_loss(to_exact(w), PAPER)
        assert deep.standard_loss(params, arch, PAPER) == model.standard_loss(to_exact(w), PAPER)


def test_one_unit_bn_gradient_at_w_star_is_the_papers_gradient():
    arch = deep.Architecture(2, 1, 1, "identity")
    w_star = least_squares.standard_optimum(PAPER)
    paper_grad = exact.to_floats(counterexample.bn_gradient_at(PAPER, w_star))
    grad = deep.gradients(arch, PAPER, np.array([*exact.to_floats(w_star), 1.0, 0.0]), bn=True)
    np.testing.assert_allclose(grad[:2], paper_grad, rtol=1e-12)
    # ∂Ĉ/∂v = Σ BN(z)(BN(z) − y) and ∂Ĉ/∂b = Σ 2(BN(z) − y) = −2 Σ y: not zero either
    assert grad[3] == pytest.approx(-2 * float(np.sum(PAPER.numeric().y)), rel=1e-12)


@pytest.mark.parametrize("activation", model.ACTIVATIONS)
@pytest.mark.parametrize("bn", [False, True])
def test_jax_gradients_match_central_differences(activation, bn):
    arch = deep.Architecture(2, 4, 2, activation)
    w = random_w(arch, seed=5)
    grad = deep.gradients(arch, DATA, w, bn)
    fd = central_difference(lambda v: deep.loss(v, arch, DATA, bn), w, h=1e-6)
    np.testing.assert_allclose(grad, fd, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("depth", [1, 2, 3])
@pytest.mark.parametrize("bn", [False, True])
def test_the_compiled_solver_computes_the_same_loss_and_gradient(depth, bn):
    # the solver runs every depth <= 3 through one padded network; it must agree exactly
    jax_x64()
    for activation, width in zip(model.ACTIVATIONS, (4, 2, 3), strict=True):
        arch = deep.Architecture(2, width, depth, activation)  # widths < 4 are embedded too
        w = deep.init_weights(arch, 3, n=2)
        res = deep.train(arch, DATA, w, bn, deep.Optimizer(steps=0))
        for i in range(2):
            assert res.loss[i] == pytest.approx(deep.loss(w[i], arch, DATA, bn), rel=1e-12)
            assert res.grad_norm[i] == pytest.approx(
                np.linalg.norm(deep.gradients(arch, DATA, w[i], bn)), rel=1e-10)


@pytest.mark.parametrize("width", [1, 2, 4])
def test_embedding_into_the_solvers_network_and_back_is_the_identity(width):
    arch = deep.Architecture(2, width, 1, "tanh")
    big = deep._padded(arch)
    w = deep.init_weights(arch, 0, n=3) + 0.1
    np.testing.assert_array_equal(deep._extract(deep._embed(w, arch, big), arch, big), w)


@pytest.mark.parametrize("activation", ["identity", "tanh"])
def test_trained_w_star_is_a_stationary_point_of_c(activation):
    arch = deep.Architecture(2, 4, 3, activation)
    res = deep.train(arch, DATA, deep.init_weights(arch, 1))
    assert res.grad_norm[0] < deep.Optimizer().tol
    assert np.linalg.norm(deep.gradients(arch, DATA, res.w[0], bn=False)) < deep.Optimizer().tol
    start = np.linalg.norm(deep.gradients(arch, DATA, deep.init_weights(arch, 1)[0], False))
    assert start > 1.0  # training did something


def test_identity_networks_train_to_the_least_squares_fit_with_intercept():
    _, _, c_ls = deep.least_squares_with_intercept(DATA)
    design = np.column_stack([DATA.x, np.ones(DATA.M)])
    r = design @ np.linalg.solve(design.T @ design, design.T @ DATA.y) - DATA.y
    assert c_ls == pytest.approx(r @ r, rel=1e-12)  # normal equations, independently
    for depth in (1, 2, 3):
        arch = deep.Architecture(2, 4, depth, "identity")
        for bn in (False, True):
            res = deep.train(arch, DATA, deep.init_weights(arch, 0), bn)
            assert res.loss[0] == pytest.approx(c_ls, rel=1e-9)


def test_closed_form_linear_optimum_is_stationary_for_c_but_not_for_c_hat():
    arch = deep.Architecture(2, 4, 2, "identity")
    w_star = deep.linear_optimum(arch, DATA, deep.init_weights(arch, 0)[0])
    assert np.linalg.norm(deep.gradients(arch, DATA, w_star, bn=False)) < 1e-9
    assert np.linalg.norm(deep.gradients(arch, DATA, w_star, bn=True)) > 1.0
    with pytest.raises(ValueError, match="needs 'identity'"):
        deep.linear_optimum(deep.Architecture(2, 4, 2, "tanh"), DATA, w_star)


def test_bn_loss_is_invariant_to_rescaling_each_hidden_unit():
    arch = deep.Architecture(2, 4, 3, "tanh")
    w = random_w(arch)
    scaled = w.copy()
    c = np.random.default_rng(0).uniform(0.1, 10, size=4 * arch.depth)
    for k, sl in enumerate(arch.hidden_row_slices()):
        rows = scaled[sl].reshape(arch.shapes[k])
        scaled[sl] = (rows * c[4 * k:4 * k + 4, None]).ravel()
    assert deep.bn_loss(scaled, arch, DATA) == pytest.approx(deep.bn_loss(w, arch, DATA),
                                                             rel=1e-12)
    assert deep.scale_orbit_distance_sq(scaled, w, arch) == pytest.approx(0, abs=1e-12)


def test_scale_orbit_distance_is_the_minimum_over_positive_rescalings():
    arch = deep.Architecture(2, 2, 1, "identity")  # rows (2,), (2,); then v (2,), b
    rng = np.random.default_rng(1)
    w0, w_hat = rng.normal(size=7), rng.normal(size=7)
    w_hat[:2] = -w0[:2] + 0.1 * rng.normal(size=2)  # first row nearly opposite: c → 0
    cs = np.linspace(1e-6, 5, 20001)
    brute = 0.0
    for k in range(2):
        r0, r = w0[2 * k:2 * k + 2], w_hat[2 * k:2 * k + 2]
        brute += np.min(np.sum((cs[:, None] * r - r0) ** 2, axis=1))
    brute += np.sum((w0[4:] - w_hat[4:]) ** 2)
    assert deep.scale_orbit_distance_sq(w0, w_hat, arch) == pytest.approx(brute, abs=1e-5)
    assert deep.scale_orbit_distance_sq(w0, w_hat, arch) <= np.sum((w0 - w_hat) ** 2)


def test_end_status_detects_a_relu_kink():
    arch = deep.Architecture(2, 1, 1, "relu")
    x1 = DATA.x[0]
    w = np.array([x1[1], -x1[0], 1.0, 0.0])  # ⟨w, x̄⁽¹⁾⟩ = 0 exactly
    assert deep.end_status(arch, DATA, w, 0.5, False, 1e-6) == "kink"
    assert deep.end_status(arch, DATA, w, 1e-9, False, 1e-6) == "stationary"
    tanh = deep.Architecture(2, 1, 1, "tanh")
    assert deep.end_status(tanh, DATA, w, 0.5, False, 1e-6) == "not stationary"


@pytest.mark.parametrize("kwargs, match", [
    (dict(d=2, width=4, depth=0), "depth = 0"),
    (dict(d=2, width=0, depth=1), "width = 0"),
    (dict(d=2, width=4, depth=1.5), "depth = 1.5"),
    (dict(d=2, width=4, depth=2, activation="sigmoid"), "unknown activation 'sigmoid'"),
])
def test_bad_architectures_raise_clear_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        deep.Architecture(**kwargs)


def test_bn_network_rejects_a_batch_of_one_sample():
    arch = deep.Architecture(2, 4, 2, "relu")
    w = random_w(arch)
    deep.network_output(w, arch, DATA.x[:1], bn=False)  # the standard network is fine
    with pytest.raises(ValueError, match="M = 1 sample"):
        deep.network_output(w, arch, DATA.x[:1], bn=True)
    with pytest.raises(ValueError, match="M >= 2"):
        deep.make_regression_set(M=1)


def test_bad_weights_and_inputs_raise_clear_errors():
    arch = deep.Architecture(2, 4, 2, "tanh")
    w = random_w(arch)
    with pytest.raises(ValueError, match=r"W has shape \(5,\)"):
        deep.network_output(np.ones(5), arch, DATA.x)
    with pytest.raises(ValueError, match="non-finite"):
        deep.network_output(np.where(np.arange(w.size) == 3, np.nan, w), arch, DATA.x)
    with pytest.raises(ValueError, match=r"x has shape \(16, 3\)"):
        deep.network_output(w, arch, np.ones((16, 3)))
    three_d = make_learning_set(np.ones((4, 3)) + np.eye(4, 3), np.arange(4.0))
    with pytest.raises(ValueError, match="d = 3"):
        deep.train(arch, three_d, w)
    with pytest.raises(ValueError, match="steps >= 0"):
        deep.Optimizer(steps=-1)


def test_sigma_zero_in_a_bn_layer_names_the_layer():
    arch = deep.Architecture(2, 4, 2, "tanh")
    w = random_w(arch)
    start = arch.hidden_row_slices()[1].start
    w[start:start + 4] = 0.0  # the first unit of layer 2 gets z ≡ 0
    with pytest.raises(ValueError, match=r"hidden layer 2: σ\(w\) = 0"):
        deep.bn_loss(w, arch, DATA)
    assert np.isfinite(deep.standard_loss(w, arch, DATA))




def test_training_is_deterministic_and_rows_are_independent():
    archs = [deep.Architecture(2, 4, 2, "tanh"), deep.Architecture(2, 2, 3, "relu")]
    w0 = [deep.init_weights(a, 7)[0] for a in archs]
    together = deep.train_many(archs, DATA, w0)
    for arch, w, res in zip(archs, w0, together, strict=True):
        alone = deep.train(arch, DATA, w[None])
        np.testing.assert_allclose(alone.w, res.w, rtol=1e-6, atol=1e-8)
    again = deep.train_many(archs, DATA, w0)
    for a, b in zip(together, again, strict=True):
        np.testing.assert_array_equal(a.w, b.w)
    assert not np.array_equal(deep.init_weights(archs[0], 7), deep.init_weights(archs[0], 8))


def test_forward_takes_weights_per_layer_and_matches_the_flat_network():
    arch = deep.Architecture(2, 3, 3, "relu")
    w = random_w(arch, seed=2)
    mats, v, b = arch.unpack(w)
    for bn in (False, True):
        np.testing.assert_array_equal(deep.forward(DATA.x, mats, v, b, "relu", bn),
                                      deep.network_output(w, arch, DATA.x, bn))
        np.testing.assert_allclose(deep.forward(DATA.x, mats, v, b, "relu", bn),
                                   reference_output(w, arch, DATA.x, bn), rtol=1e-12)
    with pytest.raises(ValueError, match=r"W_2 has shape \(2, 3\)"):
        deep.forward(DATA.x, [mats[0], mats[1][:2]], v, b)


# ------------------------------------------------------- output layer, profile gradient


def numpy_profile_loss(theta, arch, data):
    """P̂(θ) written out: the BN network's last hidden layer, then the normal equations of
    the affine fit (np.linalg.solve on the Gram matrix, not lstsq): not bnpaper's code."""
    w = np.concatenate([theta, np.zeros(arch.width + 1)])
    h = reference_features(w, arch, data.x)
    design = np.column_stack([h, np.ones(data.M)])
    coef = np.linalg.solve(design.T @ design, design.T @ data.y)
    r = design @ coef - data.y
    return r @ r


def reference_features(w, arch, x):
    g = {"identity": lambda z: z, "relu": lambda z: np.maximum(z, 0), "tanh": np.tanh}
    h, start = x, 0
    for size in [arch.width * arch.d] + [arch.width**2] * (arch.depth - 1):
        z = h @ w[start:start + size].reshape(arch.width, -1).T
        start += size
        h = g[arch.activation]((z - z.mean(axis=0)) / z.std(axis=0))
    return h


@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_profile_gradient_equals_finite_differences_of_an_independent_profile_loss(
        activation):
    arch = deep.Architecture(2, 3, 2, activation)
    w = random_w(arch, seed=4)
    n_hidden = arch.slices()[-2].start
    split = deep.split_output(arch, DATA, w)
    fd = central_difference(lambda t: numpy_profile_loss(t, arch, DATA), w[:n_hidden], h=1e-6)
    np.testing.assert_allclose(split.grad_profile[0], fd, rtol=1e-5, atol=1e-6)
    assert split.profile_norm[0] > 0.1  # a case where it is not zero
    assert split.profile_loss[0] == pytest.approx(numpy_profile_loss(w[:n_hidden], arch, DATA),
                                                  rel=1e-10)
    assert deep.profile_loss(w, arch, DATA) == pytest.approx(split.profile_loss[0], rel=1e-10)
    np.testing.assert_allclose(split.grad_output_at_fit, 0, atol=1e-9)  # normal equations


def test_profile_gradient_ignores_the_points_own_output_layer():
    arch = deep.Architecture(2, 4, 2, "tanh")
    w = random_w(arch, seed=1)
    other = w.copy()
    other[arch.slices()[-2].start:] = np.arange(5.0)
    a, b = deep.split_output(arch, DATA, np.stack([w, other])).grad_profile
    np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)
    fitted = deep.with_best_output(w, arch, DATA)
    n_hidden = arch.slices()[-2].start
    np.testing.assert_allclose(deep.gradients(arch, DATA, fitted, bn=True)[:n_hidden], a,
                               rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("width", [2, 4])
def test_identity_networks_of_width_at_least_d_have_zero_profile_gradient(width):
    # h_L spans the centred inputs, so the best (v, b) give the least-squares fit itself
    arch = deep.Architecture(2, width, 3, "identity")
    split = deep.split_output(arch, DATA, deep.init_weights(arch, 0, n=3))
    assert np.all(split.profile_norm < 1e-9)
    np.testing.assert_allclose(split.profile_loss, deep.least_squares_with_intercept(DATA)[2],
                               rtol=1e-10)
    # a single unit (width 1 < d) is the paper's neuron with learned γ = v, β = b: not zero
    one = deep.Architecture(2, 1, 1, "identity")
    assert deep.split_output(one, DATA, deep.init_weights(one, 0)).profile_norm[0] > 0.1


def test_bias_gradient_of_identity_bn_networks_is_2m_times_the_bias_gap():
    # Σₘ f̂ = M·b (each BN output has mean 0), so ∂Ĉ/∂b = 2M(b − mean(ȳ)) at every W
    for depth in (1, 3):
        arch = deep.Architecture(2, 4, depth, "identity")
        for w in deep.init_weights(arch, depth, n=3) + 0.4:
            grad = deep.gradients(arch, DATA, w, bn=True)
            assert grad[-1] == pytest.approx(2 * DATA.M * (w[-1] - DATA.y.mean()), rel=1e-10)
        w_star = deep.linear_optimum(arch, DATA, deep.init_weights(arch, 0)[0])
        assert deep.bias_gap_bound(w_star, arch, DATA) == pytest.approx(
            (w_star[-1] - DATA.y.mean()) ** 2)
        assert deep.bias_gap_bound(w_star, arch, DATA) > 1.0
        trained = deep.train(arch, DATA, w_star[None], bn=True)
        assert trained.grad_norm[0] < 1e-6 and trained.w[0, -1] == pytest.approx(DATA.y.mean())


# ------------------------------------------------------- second order, degenerate runs


def test_second_order_check_detects_a_saddle():
    # W = 0 hidden, v = 0, b = mean(ȳ): ∇C = 0, but C has a saddle (the W_1–v cross terms)
    arch = deep.Architecture(2, 2, 1, "identity")
    w = np.zeros(arch.n_params)
    w[-1] = DATA.y.mean()
    split = deep.split_output(arch, DATA, w)
    assert np.linalg.norm(split.grad_c[0]) < 1e-12
    ev = split.hessian_eigenvalues()
    assert ev[0, 0] < -1.0 and not deep.second_order_ok(ev)[0]
    # an exact global minimum passes; synthetic spectra
    w_star = deep.linear_optimum(arch, DATA, deep.init_weights(arch, 0)[0])
    assert deep.second_order_ok(deep.split_output(arch, DATA, w_star).hessian_eigenvalues())[0]
    np.testing.assert_array_equal(
        deep.second_order_ok([[-1e-12, 0.0, 5.0], [-1e-3, 0.0, 5.0]]), [True, False])


def test_hessian_matches_finite_differences_of_the_gradient():
    arch = deep.Architecture(2, 2, 2, "tanh")
    w = random_w(arch, seed=3)
    hess = deep.split_output(arch, DATA, w).hessian_c[0]
    grad = deep.gradient_function(arch, DATA, bn=False)
    fd = np.array([central_difference(lambda v, i=i: grad(v)[i], w, h=1e-5)
                   for i in range(w.size)])
    np.testing.assert_allclose(hess, fd, rtol=1e-5, atol=1e-5)


def test_degeneracy_detects_dead_layers_constant_networks_and_undefined_bn():
    arch = deep.Architecture(2, 3, 2, "relu")
    w = random_w(arch, seed=0)
    assert deep.degeneracy(w, arch, DATA) == ""
    dead = w.copy()
    sl = arch.slices()[1]
    dead[sl] = -1.0  # h_1 >= 0, so every unit of layer 2 has z <= 0: a dead ReLU layer
    assert deep.degeneracy(dead, arch, DATA) == "constant layer 2"
    flat = w.copy()
    flat[arch.slices()[-2]] = 0.0  # v = 0
    assert deep.degeneracy(flat, arch, DATA) == "constant network"
    zero_row = w.copy()
    zero_row[:2] = 0.0  # unit 1 of layer 1 has z ≡ 0: BN divides by σ = 0
    assert deep.degeneracy(zero_row, arch, DATA).startswith("constant layer") is False
    assert deep.degeneracy(zero_row, arch, DATA) == "BN undefined in layer 1"


def test_claims_hold_and_name_their_evidence():
    claims = deep.claims()
    assert [c.key for c in claims] == [f"book-deep-{i}" for i in (1, 2, 3, 4)]
    assert all(c.holds for c in claims)
    assert all(c.evidence is not None for c in claims)


def test_the_chapter_states_what_was_measured_not_the_old_phrases():
    import json
    from pathlib import Path

    nb = json.loads((Path(__file__).parents[1] / "book" / "deep_networks.ipynb").read_text())
    prose = " ".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert "many orders of magnitude" not in prose and "as in the paper" not in prose
    assert "profile gradient" in prose and "second-order" in prose
    assert "{prf:ref}`prop-deep-profile-zero`" in prose


def test_bn_kink_detects_a_bn_output_exactly_at_zero():
    from bnpaper.topics import deep_experiment as dx

    arch = deep.Architecture(2, 3, 1, "relu")
    w = random_w(arch, seed=0)
    assert not dx.bn_kink(w, arch, DATA, "")
    u = DATA.x[0] - DATA.x.mean(axis=0)
    w[:2] = (u[1], -u[0])  # unit 1: ⟨w, x̄⁽¹⁾ − mean⟩ = 0, so its BN output at sample 1 is 0
    assert dx.bn_kink(w, arch, DATA, "")
    assert not dx.bn_kink(w, deep.Architecture(2, 3, 1, "tanh"), DATA, "")


def test_run_counts_counts_each_kind_of_end_once():
    from types import SimpleNamespace

    from bnpaper.topics import deep_experiment as dx

    def run(status="stationary", degenerate="", usable=True, bn_kink=False, data="regression",
            activation="tanh", width=2):
        return SimpleNamespace(status=status, degenerate=degenerate, usable=usable,
                               bn_kink=bn_kink, data=data, activation=activation, width=width)

    runs = [run(), run(status="kink", usable=False, activation="relu"),
            run(degenerate="constant layer 1", usable=False, activation="relu"),
            run(status="not stationary", usable=False, data="paper"),
            run(bn_kink=True, usable=False, width=4)]
    counts = dx.run_counts(runs, [SimpleNamespace(n_saddle=2), SimpleNamespace(n_saddle=1)])
    assert counts == {"n_runs": 5, "n_usable": 1, "n_degenerate": 1, "n_const_layer_relu": 1,
                      "n_tanh2_stat": 1, "n_not_stationary": 1, "n_kink": 1,
                      "n_stationary": 3, "n_saddle": 3, "n_bn_kink": 1}
