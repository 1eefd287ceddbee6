"""Hydrology engines on elevation models: depression filling, D8 flow, flow accumulation,
the depression hierarchy and fill-spill-merge, in memory (numba kernels) and tiled (Dask).

Functions take numpy arrays (with an explicit ``nodata``) or xarray DataArrays
(georeferencing kept) and know nothing of dossiers or steps. Nodata cells are
outlets: water that reaches them leaves the model (AHN has no data over open
water, which is where rain goes).

Names are loaded on first use, so importing this package stays cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "fill_depressions": "alliantie.hydrology.api",
    "flow_directions": "alliantie.hydrology.api",
    "flow_accumulation": "alliantie.hydrology.api",
    "depression_hierarchy": "alliantie.hydrology.depressions",
    "fill_spill_merge": "alliantie.hydrology.fsm",
    "fill_depressions_tiled": "alliantie.hydrology.tiled",
    "fill_geotiff_tiled": "alliantie.hydrology.tiled",
}

__all__ = [
    "depression_hierarchy",
    "fill_depressions",
    "fill_depressions_tiled",
    "fill_geotiff_tiled",
    "fill_spill_merge",
    "flow_accumulation",
    "flow_directions",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'alliantie.hydrology' has no attribute {name!r}")
