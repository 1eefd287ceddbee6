"""The checks of a sketch's content: a known measure, a geometry of the measure's kind, valid, not too large,
inside the dossier's study area.

The boundary is read once from the dossier's inputs (the first sketch pays for it), buffered by
:data:`TOLERANCE_M` in the dossier's CRS and transformed to EPSG:4326; the measure catalogue is the dossier's
(its ``[knowledge]`` override, else the built-in one).
"""

from __future__ import annotations

import math
import threading
from functools import cached_property
from pathlib import Path
from typing import Any

import shapely
from pyproj import Transformer
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from alliantie.dossier.area import boundary_geometry
from alliantie.dossier.config import Dossier, load_dossier
from alliantie.knowledge.measures import Measure, MeasureCatalogue
from alliantie.measures.sketch import ACCEPTED
from alliantie.web.http_errors import Invalid
from alliantie.web.workshop.schemas import MAX_VERTICES

#: How far outside the study area a sketch may reach (a line drawn along the border), m.
TOLERANCE_M = 50.0


class SketchValidator:
    def __init__(self, dossier_file: Path) -> None:
        self.dossier_file = dossier_file
        self._lock = threading.Lock()

    @cached_property
    def dossier(self) -> Dossier:
        return load_dossier(self.dossier_file)

    @cached_property
    def catalogue(self) -> MeasureCatalogue:
        return MeasureCatalogue.load(self.dossier.knowledge_override(MeasureCatalogue.FILE))

    @cached_property
    def area(self) -> BaseGeometry:
        """The study area plus the tolerance, in EPSG:4326, prepared for fast tests."""
        with self._lock:
            local = boundary_geometry(self.dossier).buffer(TOLERANCE_M)
            to_wgs84 = Transformer.from_crs(self.dossier.config.crs, "EPSG:4326", always_xy=True)
            area = shapely.transform(local, to_wgs84.transform, interleaved=False)
            shapely.prepare(area)
            return area

    def prepare(self) -> None:
        """Read the dossier, the catalogue and the study area now (the server does so when it starts)."""
        _ = self.catalogue, self.area

    def measure(self, measure_id: str) -> Measure:
        measure = self.catalogue.get(measure_id)
        if measure is None:
            raise Invalid("web_api.errors.unknown_measure", measure=measure_id[:64])
        return measure

    def geometry(self, geojson: dict[str, Any], measure: Measure) -> BaseGeometry:
        """The shapely geometry of ``geojson`` after every check, else :class:`Invalid` saying what is wrong."""
        kind = geojson.get("type", "")
        if kind not in ACCEPTED[measure.geometry]:
            raise Invalid("web_api.errors.wrong_geometry", measure=measure.id, found=kind,
                          expected=", ".join(ACCEPTED[measure.geometry]))
        _check_numbers(geojson.get("coordinates"), MAX_VERTICES)
        try:
            geom = shape(geojson)
        except (ValueError, TypeError, AttributeError, IndexError, shapely.errors.ShapelyError):
            raise Invalid("web_api.errors.bad_geometry", detail=kind) from None
        if geom.is_empty:
            raise Invalid("web_api.errors.empty_geometry")
        count = shapely.get_num_coordinates(geom)
        if count > MAX_VERTICES:
            raise Invalid("web_api.errors.too_many_vertices", count=count, limit=MAX_VERTICES)
        if not geom.is_valid:
            raise Invalid("web_api.errors.invalid_geometry", reason=shapely.is_valid_reason(geom))
        minx, miny, maxx, maxy = geom.bounds
        if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
            raise Invalid("web_api.errors.not_lonlat")
        if not self.area.contains(geom):
            raise Invalid("web_api.errors.outside", name=self.dossier.config.name)
        return geom


def _check_numbers(node: Any, limit: int) -> None:
    """The nesting holds only finite numbers and not more than ``limit`` positions (checked before shapely)."""
    stack, positions = [node], 0
    while stack:
        item = stack.pop()
        if not isinstance(item, list):
            raise Invalid("web_api.errors.bad_geometry", detail="coordinates")
        if item and all(isinstance(v, int | float) and not isinstance(v, bool) for v in item):
            if len(item) not in (2, 3) or not all(math.isfinite(v) for v in item):
                raise Invalid("web_api.errors.bad_geometry", detail="position")
            positions += 1
            if positions > limit:
                raise Invalid("web_api.errors.too_many_vertices", count=f">{limit}", limit=limit)
        else:
            stack.extend(item)
