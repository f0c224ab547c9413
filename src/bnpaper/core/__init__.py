"""The core: what every chapter's mathematics is built from, and knows no chapter.

``namespace`` (one formula for sympy, numpy and JAX), ``checks`` (bad input gets a clear
error), ``data`` (learning sets), ``model`` (the neuron, BN, the losses C and Ĉ), ``exact``
(sympy calculus), ``autodiff`` (JAX gradients), ``linalg`` (the two least-squares fits, the
BN minima of a linear neuron), ``geometry`` (angles, directions, grids), ``statistics``
(confidence intervals), ``text`` (numbers as short text).
"""
