"""``baseinfo.elevation``: elevation (m NAP), relief and hillshade of the study area."""

from __future__ import annotations

import numpy as np

from alliantie.cartography.ramps import ELEVATION_STOPS
from alliantie.contract.layers import hillshade_layer
from alliantie.contract.spec import Layer, MapSpec, write_maps
from alliantie.dossier.registry import ProductContext
from alliantie.io.styles import raster_ramp_qml
from alliantie.method.baseinfo import terrain
from alliantie.method.baseinfo.output import text


def masked_elevation(ctx: ProductContext) -> np.ndarray:
    """The DEM on the dossier grid, NaN outside the study area."""
    dem = ctx.raster("dem").array.astype(np.float32, copy=True)
    dem[~ctx.mask] = np.nan
    return dem


def _limits(values: np.ndarray, low: float = 2.0, high: float = 98.0) -> tuple[float, float]:
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return 0.0, 1.0
    lo, hi = (float(v) for v in np.percentile(finite[:: max(1, finite.size // 200_000)], [low, high]))
    return (lo, hi) if hi > lo else (lo - 0.5, lo + 0.5)


def elevation(ctx: ProductContext) -> None:
    """Elevation, relief (elevation minus the mean within ``relief_radius_m``) and hillshade."""
    res = ctx.grid.res
    dem = masked_elevation(ctx)
    rel = terrain.relief(dem, float(ctx.param("baseinfo.relief_radius_m")), res)
    shade = terrain.hillshade(dem, res)

    lo, hi = _limits(dem)
    span = max(abs(v) for v in _limits(rel)) or 1.0
    ctx.write_raster(
        "elevation.tif", dem, description="elevation (m NAP)",
        qml=raster_ramp_qml([
            (lo + f * (hi - lo), color, f"{lo + f * (hi - lo):.1f} m NAP")
            for f, color in ELEVATION_STOPS
        ]),
    )
    ctx.write_raster(
        "relief.tif", rel, description="relief (m relative to the local mean)",
        qml=raster_ramp_qml([(-span, "#2166ac", f"-{span:.1f} m"), (0.0, "#f7f7f7", "0 m"),
                             (span, "#b2182b", f"+{span:.1f} m")]),
    )
    ctx.write_raster(
        "hillshade.tif", shade, nodata=0, description="hillshade",
        qml=raster_ramp_qml([(1, "#000000", ""), (255, "#ffffff", "")]),
    )
    radius = ctx.param("baseinfo.relief_radius_m")
    write_maps(ctx.out_dir, [
        MapSpec(
            id="elevation", theme="soil",
            title=text("baseinfo.maps.elevation.title"),
            description=text("baseinfo.maps.elevation.description"),
            layers=[
                hillshade_layer(),
                Layer(file="elevation.tif", type="raster_continuous", cmap="alliantie_elevation",
                      vmin=round(lo, 1), vmax=round(hi, 1), unit="m NAP",
                      label=text("baseinfo.legend.elevation")),
            ],
        ),
        MapSpec(
            id="relief", theme="soil",
            title=text("baseinfo.maps.relief.title"),
            description=text("baseinfo.maps.relief.description", radius=f"{radius:g}"),
            layers=[
                hillshade_layer(),
                Layer(file="relief.tif", type="raster_continuous", cmap="RdBu_r",
                      vmin=-round(span, 1), vmax=round(span, 1), unit="m",
                      label=text("baseinfo.legend.relief")),
            ],
        ),
    ])
