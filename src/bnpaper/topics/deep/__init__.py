"""Deep and non-linear networks with stacked BN layers (chapter *Deep and non-linear
networks*, the paper's open questions 1 and 2), in layers:

- :mod:`.network`: :class:`Architecture`, the forward pass and the losses C and Ĉ, the
  regression set, the initializations W₀;
- :mod:`.padded`: the padded, masked network one compiled function runs for many networks;
- :mod:`.solver`: :class:`Optimizer` (Levenberg–Marquardt), :func:`train`, :func:`train_many`;
- :mod:`.analysis`: gradients, the output layer and the profile gradient
  (:func:`split_output`), second order, degeneracy, end status, the linear optimum W* and
  its output-bias gap;
- :mod:`.experiment`: the grid of runs (:func:`run_grid`), its summaries (:class:`GridCell`)
  and BN training from W₀ = W*.
"""

from bnpaper.topics.deep.analysis import OutputSplit, gradients, split_output
from bnpaper.topics.deep.experiment import GridCell, Run, cells, run_grid
from bnpaper.topics.deep.network import (
    Architecture,
    forward,
    init_weights,
    loss,
    make_regression_set,
    network_output,
)
from bnpaper.topics.deep.solver import Optimizer, TrainResult, train, train_many

__all__ = [
    "Architecture",
    "GridCell",
    "Optimizer",
    "OutputSplit",
    "Run",
    "TrainResult",
    "cells",
    "forward",
    "gradients",
    "init_weights",
    "loss",
    "make_regression_set",
    "network_output",
    "run_grid",
    "split_output",
    "train",
    "train_many",
]
