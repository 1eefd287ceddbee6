"""Colour ramps of alliantie, registered in matplotlib under ``alliantie_*`` names.

A :class:`~alliantie.contract.spec.Layer` names its ramp with ``cmap``: any
matplotlib colormap, or one of these. They are a cartographic choice of the
alliantie developers, not a published standard.
"""

from __future__ import annotations

from matplotlib import colormaps
from matplotlib.colors import LinearSegmentedColormap

#: Elevation without blue (blue reads as water on a map): low polder teal-green, plain green to
#: yellow, ridges tan, push-moraine tops brown to light; stops stretched towards the low end,
#: where most of the Netherlands lies.
ELEVATION_STOPS: tuple[tuple[float, str], ...] = (
    (0.0, "#5f9e8f"), (0.06, "#86b97c"), (0.18, "#c9dd8e"), (0.35, "#efe3a0"),
    (0.6, "#d2a167"), (0.85, "#94663f"), (1.0, "#efe9e1"),
)
ELEVATION = LinearSegmentedColormap.from_list("alliantie_elevation", list(ELEVATION_STOPS))


def register() -> None:
    """Make the ramps available by name (idempotent)."""
    for ramp in (ELEVATION,):
        if ramp.name not in colormaps:
            colormaps.register(ramp)


register()
