"""Presentation: the book's figures (``plots`` and one figure module per topic), tables and
``gluing`` (numbers into the prose). Computes nothing of its own."""
