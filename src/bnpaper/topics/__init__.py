"""One module per topic of the book's follow-up and beyond parts, computation only.

Follow-up checks: ``landscape``, ``failure`` (where the lemma fails), ``affine`` (learned γ
and β), ``relu`` with ``sectors``, ``minibatch`` (mini-batches and ε). Beyond the paper:
``general`` (any linear neuron) with ``minimizer``, ``scope``, ``random_sets``,
``distances`` (what is true instead), ``deep`` (deep and non-linear networks).
"""
