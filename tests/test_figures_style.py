"""The book's figure style (bnpaper.presentation.plots): figures exactly the column wide,
colour bars as tall as their plot, round levels and ticks, angles in degrees."""

from __future__ import annotations

import io

import matplotlib
import numpy as np
import pytest
from PIL import Image

from bnpaper.presentation import plots

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def style():
    with matplotlib.rc_context():
        plots.use_style()
        yield
    matplotlib.pyplot.close("all")


def test_a_figure_png_is_twice_the_column_wide_whatever_its_content():
    fig, ax = plots.column_figure(aspect=0.5)
    ax.set_ylabel("a label far to the left " * 3)  # a tight crop would change the width
    png = Image.open(io.BytesIO(plots.figure_png(fig)))
    assert png.size == (2 * plots.COLUMN_PX, plots.COLUMN_PX)
    assert png.mode == "P"  # a palette image, a third of the bytes


def test_panels_narrower_than_the_minimum_must_be_stacked():
    with pytest.raises(ValueError, match="stack them in rows"):
        plots.column_figure(1, 3)
    fig, axes = plots.column_figure(3, 1)
    assert len(axes) == 3


def test_a_colour_bar_is_exactly_as_tall_as_an_equal_aspect_plot():
    # a figure as tall as wide: the square plot is narrower than the figure and shorter than
    # its box, the height fig.colorbar(ax=ax) gives a bar (648 px against the plot's 495)
    fig, ax = plots.column_figure(aspect=1.0)
    w1, w2 = np.meshgrid(np.linspace(-1, 1, 20), np.linspace(-1, 1, 20))
    cs = ax.contourf(w1, w2, w1 ** 2 + w2 ** 2 + 1, levels=plots.contour_levels([1, 3]))
    bar = plots.colorbar(fig, cs, ax, label="C")
    ax.set_aspect("equal")
    fig.canvas.draw()
    plot, bar_box = ax.get_window_extent(), bar.ax.get_window_extent()
    assert bar_box.height == pytest.approx(plot.height, abs=1)
    assert bar_box.y0 == pytest.approx(plot.y0, abs=1)


def test_levels_and_ticks_are_round_values_evenly_spaced():
    levels = plots.contour_levels([173.14, 228.86], 12)
    assert np.allclose(np.diff(levels), 5) and levels[0] == 170 and levels[-1] == 230
    logs = plots.contour_levels([12.0, 1900.0], log=True)
    assert list(logs) == [10, 20, 50, 100, 200, 500, 1000, 2000]
    graded = plots.graded_levels([173.14, 228.86], 0.5, 2)
    assert list(graded[:6]) == [173, 173.5, 174, 174.5, 175, 180]


def test_angles_are_labelled_in_degrees():
    fig, ax = plots.column_figure()
    plots.degree_axis(ax)
    fig.canvas.draw()
    labels = [t.get_text() for t, v in zip(ax.get_xticklabels(), ax.get_xticks(), strict=True)
              if -180 <= v <= 180]
    assert labels == ["\u2212180°", "\u221290°", "0°", "90°", "180°"]
    assert plots.degrees((1, 1)) == pytest.approx(45)


def test_a_legend_below_the_axes_is_outside_the_data():
    fig, ax = plots.column_figure()
    ax.plot([0, 1], [0, 1], label="a line")
    ax.set_xlabel("x")
    legend = plots.legend_below(ax)
    fig.canvas.draw()
    assert legend.get_window_extent().y1 < ax.xaxis.label.get_window_extent().y0
