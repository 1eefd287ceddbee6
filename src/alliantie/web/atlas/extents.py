"""The dossier for the browser (``GET /api/dossier``): name, CRS, boundary and the extents of the three levels.

* ``region``: the box of the study area (the dossier's boundary).
* ``town``: the box of the town as the vulnerability map draws it (layer ``town_extent`` of
  ``urgency.vulnerability/zones.gpkg``: the neighbourhoods that are mostly built-up land use); without it the
  box of all neighbourhoods (input ``neighbourhoods``); without those the region. ``source`` says which.
* ``neighbourhood``: the neighbourhood the stress test names for the most themes (the focus lists of
  ``urgency.stresstest/summary.json``), ties broken by the buildings at risk in those lists (the themes whose key
  indicator counts buildings); without a stress test the largest neighbourhood; without neighbourhoods the
  town. ``rule`` says which.

All boxes are ``[w, s, e, n]`` in EPSG:4326; the boundary is GeoJSON in EPSG:4326, simplified to half a cell
and rounded to 1e-6 degree.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from typing import Any

import geopandas as gpd
import numpy as np
import pyogrio
import pyogrio.errors
import shapely
from pydantic import ValidationError
from shapely.geometry.base import BaseGeometry

from alliantie.contract.names import STRESSTEST, VULNERABILITY
from alliantie.contract.stresstest import read_stresstest_summary
from alliantie.dossier.area import boundary_geometry
from alliantie.errors import AlliantieError
from alliantie.i18n import Language
from alliantie.web.atlas.errors import DossierMissingError
from alliantie.web.atlas.source import Loaded

log = logging.getLogger(__name__)

#: The file and layer of the town outline the vulnerability product saves.
TOWN_FILE, TOWN_LAYER = "zones.gpkg", "town_extent"


def _lonlat(loaded: Loaded, geometry: BaseGeometry) -> BaseGeometry:
    def project(xy: np.ndarray) -> np.ndarray:
        lon, lat = loaded.to_lonlat.transform(xy[:, 0], xy[:, 1])
        return np.round(np.column_stack([lon, lat]), 6)

    return shapely.transform(geometry, project)


def _box(loaded: Loaded, frame: gpd.GeoDataFrame) -> list[float]:
    frame = frame if frame.crs is None else frame.to_crs(loaded.dossier.config.crs)
    xmin, ymin, xmax, ymax = (float(v) for v in frame.total_bounds)
    return loaded.lonlat_box((xmin, ymin, xmax, ymax))


def _read(path: Any, layer: str | None) -> gpd.GeoDataFrame | None:
    try:
        frame = pyogrio.read_dataframe(path, layer=layer)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, OSError) as exc:
        log.warning("%s (%s) cannot be read for the atlas levels: %s", path, layer, exc)
        return None
    frame = frame[~(frame.geometry.isna() | frame.geometry.is_empty)]
    return frame if len(frame) else None


def _neighbourhoods(loaded: Loaded) -> gpd.GeoDataFrame | None:
    ref = loaded.dossier.input_file("neighbourhoods")
    if ref is None:
        return None
    frame = _read(ref.path, ref.layer)
    if frame is not None and frame.crs is not None:
        frame = frame.to_crs(loaded.dossier.config.crs)
    return frame


def _town(loaded: Loaded, neighbourhoods: gpd.GeoDataFrame | None, region: list[float]) -> dict[str, Any]:
    path = loaded.dossier.products_dir / VULNERABILITY / TOWN_FILE
    town = _read(path, TOWN_LAYER) if path.is_file() else None
    if town is not None:
        return {"bbox": _box(loaded, town), "source": "vulnerability_town_extent"}
    if neighbourhoods is not None:
        return {"bbox": _box(loaded, neighbourhoods), "source": "neighbourhoods"}
    return {"bbox": region, "source": "region"}


def _focus_choice(loaded: Loaded) -> tuple[str, str] | None:
    """(code, name) of the neighbourhood the stress test names for the most themes, or None."""
    try:
        summary = read_stresstest_summary(loaded.dossier.products_dir / STRESSTEST)
    except (ValidationError, ValueError, OSError) as exc:
        log.warning("the stress test summary cannot be read for the atlas levels: %s", exc)
        return None
    if summary is None:
        return None
    themes: Counter[str] = Counter()
    buildings: Counter[str] = Counter()
    names: dict[str, str] = {}
    for verdict in summary.themes.values():
        counts_buildings = (verdict.indicator or "").startswith("buildings")
        for place in {p.code: p for p in verdict.focus if p.code}.values():
            themes[place.code] += 1
            names.setdefault(place.code, place.name)
            if counts_buildings:
                buildings[place.code] += int(place.value)
    if not themes:
        return None
    order = list(names)
    code = max(order, key=lambda c: (themes[c], buildings[c], -order.index(c)))
    return code, names[code]


def _neighbourhood(loaded: Loaded, neighbourhoods: gpd.GeoDataFrame | None,
                   town: dict[str, Any]) -> dict[str, Any]:
    choice = _focus_choice(loaded)
    if choice is not None:
        code, name = choice
        for frame in (neighbourhoods, _read(loaded.dossier.products_dir / STRESSTEST / "focus.gpkg", "focus")):
            if frame is not None and "code" in frame.columns:
                hit = frame[frame["code"].astype(str) == code]
                if len(hit):
                    return {"bbox": _box(loaded, hit), "name": name, "code": code, "rule": "stresstest_focus"}
    if neighbourhoods is not None:
        largest = neighbourhoods.iloc[[int(np.argmax(neighbourhoods.geometry.area.to_numpy()))]]
        row = largest.iloc[0]
        return {"bbox": _box(loaded, largest), "name": str(row["name"]) if "name" in largest.columns else None,
                "code": str(row["code"]) if "code" in largest.columns else None, "rule": "largest"}
    return {"bbox": town["bbox"], "name": None, "code": None, "rule": "town"}


def dossier_payload(loaded: Loaded, language: Language) -> dict[str, Any]:
    """``{name, crs, bounds, boundary, scenarios, levels}`` of the dossier (see the module text)."""
    dossier = loaded.dossier
    try:
        area = boundary_geometry(dossier)
    except AlliantieError as exc:
        raise DossierMissingError(dossier=str(dossier.toml_path), detail=exc) from None
    simplified = shapely.simplify(area, dossier.config.resolution / 2, preserve_topology=True)
    boundary = _lonlat(loaded, simplified)
    region = loaded.lonlat_box(tuple(float(v) for v in area.bounds))  # type: ignore[arg-type]
    neighbourhoods = _neighbourhoods(loaded)
    town = _town(loaded, neighbourhoods, region)
    return {
        "name": dossier.config.name,
        "crs": dossier.config.crs,
        "bounds": region,
        "boundary": json.loads(shapely.to_geojson(boundary)),
        "scenarios": [{"id": s.id, "label": s.label(language)} for s in loaded.scenarios],
        "levels": {
            "region": {"bbox": region},
            "town": town,
            "neighbourhood": _neighbourhood(loaded, neighbourhoods, town),
        },
    }
