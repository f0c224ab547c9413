"""Mini-batches and ε: BN as practical layers compute it (chapter *Mini-batches and ε*),
computation only.

The paper normalizes over the whole learning set with ε = 0. Here:

- :mod:`.pairs`: the mini-batch loss Ĉ_b(w) = mean over all batches B of b samples of
  Σ_{i∈B} (BN_B(z)_i − ȳ⁽ⁱ⁾)², each term :func:`bnpaper.core.model.bn_loss` on
  ``data.subset(B)``; for b = 2 the BN output of a pair is ±1, the sign of z_i − z_j, so Ĉ₂
  is constant on the cones between the lines ⟨w, x̄⁽ⁱ⁾ − x̄⁽ʲ⁾⟩ = 0 (where σ_B = 0 and BN is
  undefined);
- :mod:`.epsilon`: ε > 0 under the square root, σ_ε = √(σ² + ε): then BN_ε = t(w)·BN with
  t(w) = σ(w)/√(σ(w)² + ε) ∈ (0, 1), i.e. Ĉ_ε(w) = Ĉ(w, γ = t(w), β = 0), which links this
  chapter to the chapter *Learned γ and β*; where Ĉ_ε has a minimum, and the independent
  check that on the paper's set it has none.
"""
