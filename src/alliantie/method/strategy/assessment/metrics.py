"""The numbers the afwegingskader measures on an initiative polygon, read from the dossier's SAVED products.

Nothing is computed anew: each metric reads one product folder (``products/<name>/``) as the run left it.

* ``bluespot_share``: share of the polygon inside the bluespots of ``urgency.pluvial`` (``bluespots.gpkg``),
  with the storage those parts of the bluespots hold (m3);
* ``wet_share``: share of the polygon's cells with at least ``[measure] wet_depth_m`` of water at the standard
  storm (``depth_t100_current.tif``: 70 mm in 2 hours; else the map storm ``depth_rp100_current.tif``);
* ``flood_depth_m``: largest water depth on the polygon after the breach of ``urgency.flood``, over its
  scenarios (``depth_<scenario>.tif``); 0 when less than ``min_covered_share`` of it floods;
* ``cool_distance_m``: largest distance from the polygon's cells to a cool place (``urgency.heat``
  ``distance_cool_m.tif``);
* ``subsidence_60y_cm``: mean peat subsidence on the polygon's peat cells over ``[measure] years``, the worst
  scenario of ``urgency.drought`` (``subsidence_<scenario>.tif`` holds cm over the years of its ``years`` tag);
  0 when less than ``min_covered_share`` of the polygon is subsiding peat;
* ``carrier_share``: share of the polygon on the green and blue structure carriers (``[carriers] kinds``) of
  ``baseinfo.structure_carriers``, with their names.

A metric whose product was not computed comes back with ``missing`` set to the product's name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pyogrio
import rasterio
import rasterio.features
import rasterio.windows
from affine import Affine
from shapely.geometry.base import BaseGeometry

from alliantie.contract.names import DROUGHT, FLOOD, HEAT, PLUVIAL, STRUCTURE
from alliantie.method.strategy.assessment.knowledge import AssessmentRules

#: The product each metric reads.
METRIC_PRODUCT = {
    "bluespot_share": PLUVIAL, "wet_share": PLUVIAL, "flood_depth_m": FLOOD, "cool_distance_m": HEAT,
    "subsidence_60y_cm": DROUGHT, "carrier_share": STRUCTURE,
}


@dataclass(frozen=True)
class Measured:
    """A metric of one polygon: its value (None when unknown), details for the reason, or the missing product."""

    value: float | None
    details: dict[str, Any] = field(default_factory=dict)
    missing: str | None = None  #: the product that was not computed


def cells(path: Path, geometry: BaseGeometry) -> np.ndarray:
    """The float values of the raster at ``path`` whose cell centres lie in ``geometry`` (every touched cell for a
    polygon smaller than a cell); an empty array when the polygon lies outside the raster."""
    with rasterio.open(path) as ds:
        left, bottom, right, top = geometry.bounds
        window = rasterio.windows.from_bounds(left, bottom, right, top, transform=ds.transform)
        window = window.round_offsets(op="floor").round_lengths(op="ceil")
        if not _overlaps(window, ds.width, ds.height):
            return np.empty(0, dtype=np.float64)
        window = window.intersection(rasterio.windows.Window(0, 0, ds.width, ds.height))
        data = ds.read(1, window=window).astype(np.float64)
        if ds.nodata is not None and not np.isnan(ds.nodata):
            data[data == ds.nodata] = np.nan
        transform = ds.transform @ Affine.translation(window.col_off, window.row_off)
    shape = data.shape
    inside = rasterio.features.geometry_mask([geometry], out_shape=shape, transform=transform, invert=True)
    if not inside.any():
        inside = rasterio.features.geometry_mask([geometry], out_shape=shape, transform=transform, invert=True,
                                                 all_touched=True)
    return np.asarray(data[inside], dtype=np.float64)


def _overlaps(window: rasterio.windows.Window, width: int, height: int) -> bool:
    return bool(window.col_off < width and window.row_off < height and window.col_off + window.width > 0
                and window.row_off + window.height > 0)


def _scenario_files(folder: Path, prefix: str) -> list[tuple[str, Path]]:
    """``(scenario, path)`` of the files ``<prefix>_<scenario>.tif`` (the class rasters ``<prefix>_class_*`` left
    out)."""
    found = [(path.stem[len(prefix) + 1:], path) for path in sorted(folder.glob(f"{prefix}_*.tif"))]
    return [(scenario, path) for scenario, path in found if not scenario.startswith("class")]


def _layer(path: Path, layer: str) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(pyogrio.read_dataframe(path, layer=layer))


class ProductReader:
    """Reads the metrics of polygons from the saved products under ``products_dir``; vector layers once."""

    def __init__(self, products_dir: Path, rules: AssessmentRules) -> None:
        self.products_dir = Path(products_dir)
        self.rules = rules
        self._layers: dict[tuple[str, str], gpd.GeoDataFrame] = {}

    def folder(self, product: str) -> Path:
        return self.products_dir / product

    def computed(self, product: str) -> bool:
        """Whether the run left the product behind (its ``provenance.json`` is written last)."""
        return (self.folder(product) / "provenance.json").exists()

    def measure(self, metric: str, geometry: BaseGeometry) -> Measured:
        product = METRIC_PRODUCT[metric]
        if not self.computed(product):
            return Measured(None, missing=product)
        method: Callable[[BaseGeometry], Measured] = getattr(self, f"_{metric}")
        return method(geometry)

    def _vector(self, product: str, file: str, layer: str) -> gpd.GeoDataFrame | None:
        key = (product, layer)
        if key not in self._layers:
            path = self.folder(product) / file
            if not path.exists():
                return None
            self._layers[key] = _layer(path, layer)
        return self._layers[key]

    def _share_in(self, frame: gpd.GeoDataFrame, geometry: BaseGeometry) -> tuple[float, gpd.GeoDataFrame]:
        """Share of ``geometry`` covered by ``frame`` and the rows of ``frame`` it overlaps."""
        area = geometry.area
        if area <= 0 or frame.empty:
            return 0.0, frame.iloc[0:0]
        hits = frame[frame.geometry.intersects(geometry)]
        if hits.empty:
            return 0.0, hits
        covered = hits.geometry.union_all().intersection(geometry).area
        return float(min(1.0, covered / area)), hits

    # --- the metrics ---------------------------------------------------------------------------------------------

    def _bluespot_share(self, geometry: BaseGeometry) -> Measured:
        spots = self._vector(PLUVIAL, "bluespots.gpkg", "bluespots")
        if spots is None:
            return Measured(None, missing=PLUVIAL)
        share, hits = self._share_in(spots, geometry)
        lost = 0.0
        for _, row in hits.iterrows():
            spot_area = row.geometry.area
            if spot_area > 0:
                lost += float(row["capacity_m3"]) * row.geometry.intersection(geometry).area / spot_area
        deepest = float(hits["max_depth_m"].max()) if len(hits) else 0.0
        return Measured(share, {"storage_m3": lost, "count": len(hits), "depth_m": deepest})

    def _wet_share(self, geometry: BaseGeometry) -> Measured:
        folder = self.folder(PLUVIAL)
        path = next((p for p in (folder / "depth_t100_current.tif", folder / "depth_rp100_current.tif")
                     if p.exists()), None)
        if path is None:
            return Measured(None, missing=PLUVIAL)
        values = cells(path, geometry)
        if values.size == 0:
            return Measured(None, {"outside": True})
        with rasterio.open(path) as ds:
            rain = ds.tags().get("rain_mm", "")
        depth = np.nan_to_num(values, nan=0.0)
        share = float(np.mean(depth >= self.rules.measure.wet_depth_m))
        return Measured(share, {"depth_m": float(depth.max()), "storm": path.stem.removeprefix("depth_"),
                                "rain_mm": rain, "wet_depth_m": self.rules.measure.wet_depth_m})

    def _flood_depth_m(self, geometry: BaseGeometry) -> Measured:
        files = _scenario_files(self.folder(FLOOD), "depth")
        if not files:
            return Measured(None, missing=FLOOD)
        worst, worst_scenario, worst_share = 0.0, files[0][0], 0.0
        for scenario, path in files:
            values = cells(path, geometry)
            if values.size == 0:
                continue
            depth = np.nan_to_num(values, nan=0.0)
            share = float(np.mean(depth > 0))
            deepest = float(depth.max()) if share >= self.rules.measure.min_covered_share else 0.0
            if deepest > worst:
                worst, worst_scenario, worst_share = deepest, scenario, share
        return Measured(worst, {"scenario": worst_scenario, "flooded_share": worst_share})

    def _cool_distance_m(self, geometry: BaseGeometry) -> Measured:
        path = self.folder(HEAT) / "distance_cool_m.tif"
        if not path.exists():
            return Measured(None, missing=HEAT)
        values = cells(path, geometry)
        values = values[np.isfinite(values)]
        if values.size == 0:
            return Measured(None, {"outside": True})
        return Measured(float(values.max()), {"mean_m": float(values.mean())})

    def _subsidence_60y_cm(self, geometry: BaseGeometry) -> Measured:
        years = self.rules.measure.years
        worst, worst_scenario, peat_share = 0.0, "", 0.0
        files = _scenario_files(self.folder(DROUGHT), "subsidence")
        if not files:
            return Measured(None, missing=DROUGHT)
        for scenario, path in files:
            with rasterio.open(path) as ds:
                span = float(ds.tags().get("years", "0") or 0)
            values = cells(path, geometry)
            if values.size == 0 or span <= 0:
                continue
            peat = np.isfinite(values)
            share = float(np.mean(peat))
            if share < self.rules.measure.min_covered_share:
                continue
            cm = float(np.mean(values[peat])) * years / span
            if cm > worst:
                worst, worst_scenario, peat_share = cm, scenario, share
        return Measured(worst, {"scenario": worst_scenario, "peat_share": peat_share, "years": years,
                                "rate_mm_per_year": 10.0 * worst / years})

    def _carrier_share(self, geometry: BaseGeometry) -> Measured:
        carriers = self._vector(STRUCTURE, "structure_carriers.gpkg", "structure_carriers")
        if carriers is None:
            return Measured(None, missing=STRUCTURE)
        kept = carriers[carriers["kind"].isin(self.rules.carriers.kinds)]
        share, hits = self._share_in(kept, geometry)
        names = sorted(str(n) for n in hits["name"]) if len(hits) else []
        return Measured(share, {"names": names})


__all__ = ["METRIC_PRODUCT", "Measured", "ProductReader", "cells"]
