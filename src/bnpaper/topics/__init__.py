"""One module or subpackage per topic of the book's follow-up and beyond parts, computation
only (figures are in :mod:`bnpaper.presentation`, claims in :mod:`bnpaper.claims`).

Follow-up checks: ``landscape``, ``failure`` (where the lemma fails), ``affine`` (learned γ
and β), ``relu`` (``sectors``, ``standard``, ``critical``, ``numeric``, ``examples``),
``minibatch`` (``pairs``, ``epsilon``). Beyond the paper: ``general`` (any linear neuron)
with ``minimizer``, ``scope``, ``random_sets``, ``distances`` (what is true instead),
``deep`` (``network``, ``padded``, ``solver``, ``analysis``, ``experiment``). No topic
imports another.
"""
