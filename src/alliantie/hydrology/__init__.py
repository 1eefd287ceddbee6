"""Hydrology engines on elevation models: depression filling, D8 flow, flow accumulation,
the depression hierarchy, fill-spill-merge and 2-D overland flow, in memory (numba kernels) and tiled (Dask).

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
    "overland_flow": "alliantie.hydrology.overland",
    "OverlandResult": "alliantie.hydrology.overland",
    "fill_depressions_tiled": "alliantie.hydrology.tiled",
    "fill_geotiff_tiled": "alliantie.hydrology.tiled",
}

__all__ = [
    "OverlandResult",
    "depression_hierarchy",
    "fill_depressions",
    "fill_depressions_tiled",
    "fill_geotiff_tiled",
    "fill_spill_merge",
    "flow_accumulation",
    "flow_directions",
    "overland_flow",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'alliantie.hydrology' has no attribute {name!r}")
