"""bnpaper: the mathematics and numerics of the executable edition of *Batch normalization
does not improve initialization* (Dannemann & Junike, arXiv:2502.17913).

In layers, dependencies pointing down only (CONTRIBUTING.md has the map):

- ``core``: the neuron, BN and the losses, one formula for sympy, numpy and JAX, exact
  calculus, autodiff, input checks, learning sets, least squares, geometry, statistics;
- ``paper``: the published facts, Lemma 4.5 and the counterexample's derivation;
- ``topics``: one module (or subpackage) per topic of the book's follow-up and beyond parts;
- ``presentation``: figures, tables and glue; ``claims``: every claim, re-derived;
- ``__main__``: ``python -m bnpaper verify``.
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
