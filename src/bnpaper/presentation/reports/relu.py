"""The tables of the chapter *ReLU after BN*, as Markdown: the exact minimum of the standard
loss C on each sector of the plane, and the rays of local extrema of Ĉ round the circle."""

from __future__ import annotations

import numpy as np
import sympy as sp

from bnpaper.topics.relu.critical import CriticalRay
from bnpaper.topics.relu.standard import SectorMinimum


def _switched_on(active: tuple[bool, ...]) -> str:
    """The samples (numbered from 1) whose ReLU is on: "1, 3", or "" for none."""
    return ", ".join(str(i + 1) for i, on in enumerate(active) if on)


def sector_minima_markdown(minima: list[SectorMinimum]) -> str:
    """One row per sector: the samples switched on, min C (exact), a minimizer w (exact), and
    whether it lies inside the sector or on its boundary."""
    rows = [f"| {_switched_on(m.active) or 'none'} | ${sp.latex(m.value)}$ |"
            f" ${sp.latex(tuple(m.point))}$ |"
            f" {'inside' if m.interior else 'on the boundary'} |" for m in minima]
    return "\n".join(["| samples switched on | $\\min C$ | at $w$ | where |",
                      "| :-- | :-: | :-: | :-- |", *rows])


def critical_rays_markdown(rays: list[CriticalRay]) -> str:
    """One row per ray of local extrema of Ĉ: minimum or maximum, at a kink or a smooth point,
    the angle of its direction in degrees (4 decimals), Ĉ there (6 decimals) and the
    samples switched on."""
    rows = [f"| {r.kind} | {'kink' if r.kink else 'smooth'} |"
            f" {np.degrees(r.angle):.4f}° | {float(r.value):.6f} | {_switched_on(r.active)} |"
            for r in rays]
    return "\n".join(
        [r"| extremum | where | angle of $w$ | $\hat C$ | samples switched on |",
         "| :-- | :-- | --: | --: | :-- |", *rows])
