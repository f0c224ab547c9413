"""pytest configuration shared by the unit tests and nbval over book/*.ipynb.

The notebook passes themselves are ordinary nbval runs, each in its own environment, started
by ``python -m tests.portability run PASS`` (see that module and the Makefile).
"""

# Glued figures are stored as application/papermill.record/image/png and would be compared
# byte for byte; nbval already skips plain image/png for the same reason (nbval #185).
# Every text output, glued or printed, is still compared.
GLUED_IMAGES = ("application/papermill.record/image/png",)


def pytest_collectstart(collector):
    """nbval's documented way to skip an output type ("Skipping certain output types")."""
    if getattr(collector, "path", None) and collector.path.suffix == ".ipynb":
        collector.skip_compare += GLUED_IMAGES
