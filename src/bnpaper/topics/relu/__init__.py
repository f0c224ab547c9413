"""ReLU after BN against the plain ReLU neuron (chapter *ReLU*), computation only.

The standard ReLU neuron φ_w(x̄) = ReLU(⟨w, x̄⟩) has loss C(w), the BN-ReLU neuron
φ̂_w(x̄) = ReLU(BN(⟨w, x̄⟩)) has loss Ĉ(w); both come from :mod:`bnpaper.core.model` with
``activation="relu"``. For d = 2 the lines where a pre-activation is 0 cut the weight plane
into *sectors*, cones with apex 0 on which every ReLU is the identity or 0, so the loss is
one smooth formula there and the optima are found exactly, sector by sector:

- :mod:`.sectors`: the sectors, the smooth piece of a loss on each, exact signs;
- :mod:`.standard`: the exact global minimum of C (a convex quadratic on each sector);
- :mod:`.critical`: the exact critical rays of the scale-invariant Ĉ (roots of dĈ/dθ on
  each sector, and the kinks between sectors), ∇Ĉ, and the lemma's distance to its minima;
- :mod:`.numeric`: the independent numeric checks (an angular grid refined by
  golden-section search, a grid search, JAX autodiff, the distance in float64);
- :mod:`.examples`: the small teacher set the chapter makes itself.
"""
