"""bnpaper: the mathematics and numerics of the executable edition of *Batch normalization
does not improve initialization* (Dannemann & Junike, arXiv:2502.17913).

Modules, each named for what it holds (its docstring names the chapter that uses it):

- the paper: ``paper`` (the published facts), ``data`` (learning sets), ``namespace`` (one
  formula for sympy, numpy and JAX), ``model`` (neuron, BN, the losses C and Ĉ), ``exact``
  (sympy calculus), ``counterexample`` (the paper's derivation), ``lemma`` (Lemma 4.5 and
  distances), ``autodiff`` (JAX gradients), ``plots`` (figures), ``gluing`` (numbers into
  the prose), ``checks`` (input errors);
- follow-up checks: ``landscape``, ``failure``, ``affine`` (learned γ and β), ``relu`` and
  ``sectors``, ``minibatch`` (mini-batches and ε);
- beyond the paper: ``general`` (any linear neuron), ``scope`` (where the lemma holds: a
  bias input, M ≤ d, rank-deficient inputs) and ``minimizer``, ``random_sets``,
  ``distances`` (what is true instead), ``deep`` and ``deep_experiment``;
- ``claims`` and ``__main__`` (``python -m bnpaper verify``).
"""

from bnpaper.core.data import LearningSet, make_learning_set
from bnpaper.core.model import (
    batch_mean,
    batch_normalize,
    batch_std,
    bn_loss,
    bn_output,
    standard_loss,
)
from bnpaper.paper.counterexample import counterexample_set

__all__ = [
    "LearningSet",
    "batch_mean",
    "batch_normalize",
    "batch_std",
    "bn_loss",
    "bn_output",
    "counterexample_set",
    "make_learning_set",
    "standard_loss",
]
__version__ = "0.1.0"
