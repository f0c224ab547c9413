"""pytest configuration shared by the unit tests and nbval over book/*.ipynb."""

from __future__ import annotations

# Glued figures are stored as application/papermill.record/image/png and would be compared
# byte for byte; nbval already skips plain image/png for the same reason (nbval #185).
# Every text output, glued or printed, is still compared.
GLUED_IMAGES = ("application/papermill.record/image/png",)


def pytest_collectstart(collector):
    if hasattr(collector, "skip_compare"):
        collector.skip_compare += GLUED_IMAGES
