"""pytest configuration shared by the unit tests and nbval over book/*.ipynb.

The plugin ``tests/portability.py`` adds ``--other-cpus`` (nbval re-run under other CPUs'
numeric kernels, and in the Binder environment), skips the byte-for-byte comparison of glued
figures, and keeps each notebook's cells together under pytest-xdist.
"""

pytest_plugins = ["tests.portability"]
