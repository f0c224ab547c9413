"""What the paper publishes, as printed: the inputs, and the facts the book re-derives.

These are the *only* typed numbers of the counterexample. Everything else, the labels
included, is derived from them (chapter *The counterexample*) and compared with them (the
claims chapter).
"""

INPUTS = ((1, 1), (1, 2), (2, 3))
"""The inputs x̄⁽¹⁾, x̄⁽²⁾, x̄⁽³⁾ of Example 3.2."""

W_STAR = (1, 3)
"""The published optimum W* of the standard loss C."""

BN_MINIMA_LINE = (3, -5)
"""Coefficients (a, b) of the published line of BN minima a·w₁ + b·w₂ = 0, i.e. 3w₁ = 5w₂,
on the side w₁ > 0."""

GRADIENT_AT_W_STAR = (-0.34, 0.11)
"""The published ∇Ĉ(W*), printed to two decimals."""

GRADIENT_DECIMALS = 2
"""How many decimals the paper prints for ∇Ĉ(W*)."""
