"""``assess_router(dossier_file)``: ``POST /api/assess``, the afwegingskader for an initiative drawn in the browser.

The body is a GeoJSON FeatureCollection in EPSG:4326 (RFC 7946, as the web app sends every geometry): polygons
with the optional properties of an initiative (``name``, ``function``, ``dwellings``, ``new_paving_m2``,
``storage_mm``, ``emptying_h``, ``infiltration_share``, ``green_share``). The answer is ``assessment.json``
(:class:`alliantie.contract.assessment.AssessmentFile`), the same as ``alliantie assess --out`` writes, from the
dossier's saved products (nothing is computed). Refusals are the library's errors, answered by
:mod:`alliantie.web.http_errors`: 422 for a body that is not a FeatureCollection of polygons in the study area,
503 when the products were not computed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import geopandas as gpd
from fastapi import APIRouter, Body

from alliantie.dossier import load_dossier
from alliantie.dossier.area import boundary_geometry
from alliantie.method.strategy.assessment.framework import assess_initiatives
from alliantie.method.strategy.assessment.initiatives import initiatives_from_frame
from alliantie.web.http_errors import Invalid

#: Most features one request may hold (a plan is a handful of polygons).
MAX_FEATURES = 200
#: How the body is named in messages.
LABEL = "GeoJSON"


def _frame(body: Any) -> gpd.GeoDataFrame:
    """The body as a GeoDataFrame in EPSG:4326, or a 422 that says what a FeatureCollection needs."""
    if not isinstance(body, dict) or body.get("type") != "FeatureCollection" or not isinstance(
            body.get("features"), list):
        raise Invalid("assessment.errors.not_feature_collection")
    features = body["features"]
    if not features:
        raise Invalid("assessment.errors.no_polygons", path=LABEL, found="-")
    if len(features) > MAX_FEATURES:
        raise Invalid("assessment.errors.too_many", count=len(features), most=MAX_FEATURES)
    try:
        return gpd.GeoDataFrame.from_features(features, crs="EPSG:4326")
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise Invalid("assessment.errors.bad_geojson", detail=str(exc)[:200]) from None


def assess_router(dossier_file: Path) -> APIRouter:
    """The route of the afwegingskader for the dossier ``dossier_file``."""
    router = APIRouter(tags=["assessment"])

    @router.post("/api/assess", summary="Check an initiative (GeoJSON polygons, EPSG:4326) against the dossier's "
                                        "afwegingskader")
    def assess(body: Annotated[Any, Body()]) -> dict[str, Any]:
        dossier = load_dossier(dossier_file)
        frame = _frame(body).to_crs(dossier.config.crs)
        initiatives = initiatives_from_frame(frame, label=LABEL, area=boundary_geometry(dossier),
                                             crs=dossier.config.crs)
        return assess_initiatives(dossier, initiatives, source="web").model_dump(mode="json")

    return router


__all__ = ["MAX_FEATURES", "assess_router"]
