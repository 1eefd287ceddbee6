"""OGC API Features (PDOK's BAG, BGT, CBS wijken en buurten): the features of a box, page by page.

Each collection is asked for ``/collections/<id>/items`` with the box in RD New (``bbox-crs``), answers in
RD New (``crs``), :data:`PAGE_SIZE` features a page, following the ``next`` links. Every page is one cached
answer, so a fetch that broke on page 40 of 60 resumes there: pages 1-39 are cache hits. Features that do not
touch the study area itself (only its box) are dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import geopandas as gpd
from shapely.geometry.base import BaseGeometry

from alliantie.fetch.http import Downloader, full_url
from alliantie.fetch.sources import UNSTATED, FeatureSource, Licence

RD_URI = "http://www.opengis.net/def/crs/EPSG/0/28992"
#: Features per page (PDOK's OGC APIs allow up to 1000).
PAGE_SIZE = 1000
#: At most this many pages per collection (a guard against a server that keeps sending ``next``).
MAX_PAGES = 10_000


@dataclass(frozen=True)
class Collection:
    """The features of one collection in the area, with the requests that gave them."""

    name: str
    frame: gpd.GeoDataFrame
    pages: int
    url: str
    hits: int


def service_licence(downloader: Downloader, source: FeatureSource) -> Licence:
    """The licence the service states (the ``license`` link of ``/collections``), or the source's default."""
    doc = downloader.json(f"{source.api}/collections", (("f", "json"),), what=f"{source.key}: collections")
    for link in doc.get("links", []) if isinstance(doc, dict) else []:
        if isinstance(link, dict) and link.get("rel") == "license":
            return Licence(str(link.get("title") or link.get("href")), str(link.get("href") or ""),
                           f"the license link of {source.api}/collections")
    return source.licence if source.licence is not UNSTATED else UNSTATED


def _next(page: dict[str, Any]) -> str | None:
    for link in page.get("links", []):
        if isinstance(link, dict) and link.get("rel") == "next" and link.get("href"):
            return str(link["href"])
    return None


def fetch_collection(downloader: Downloader, source: FeatureSource, collection: str,
                     bbox: tuple[float, float, float, float], area: BaseGeometry) -> Collection:
    """All features of ``collection`` in ``bbox`` (RD New) that touch ``area``, as one frame in EPSG:28992."""
    start = f"{source.api}/collections/{collection}/items"
    url: str | None = start
    params: tuple[tuple[str, str], ...] = (
        ("f", "json"), ("bbox", ",".join(f"{v:.2f}" for v in bbox)), ("bbox-crs", RD_URI), ("crs", RD_URI),
        ("limit", str(PAGE_SIZE)),
    )
    features: list[dict[str, Any]] = []
    first = full_url(start, params)
    seen: set[str] = set()
    hits = 0
    pages = 0
    while url is not None and pages < MAX_PAGES:
        what = f"{source.key}: {collection} page {pages + 1}"
        before = downloader.hits
        page = downloader.json(url, params, what=what)
        hits += downloader.hits - before
        features.extend(page.get("features", []))
        pages += 1
        seen.add(url)
        url, params = _next(page), ()  # a next link carries its own parameters
        if url in seen:  # a server sending a page again would loop for ever
            break
    frame = _frame(features)
    if len(frame):
        frame = frame[frame.intersects(area)].reset_index(drop=True)
    return Collection(name=collection, frame=frame, pages=pages, url=first, hits=hits)


def _frame(features: list[dict[str, Any]]) -> gpd.GeoDataFrame:
    if not features:
        return gpd.GeoDataFrame({"id": []}, geometry=[], crs="EPSG:28992")
    for feature in features:  # the feature's id as a column, so it survives the GeoPackage
        feature.setdefault("properties", {})
        if feature.get("id") is not None:
            feature["properties"].setdefault("feature_id", str(feature["id"]))
    frame = gpd.GeoDataFrame.from_features(features, crs="EPSG:28992")
    return frame
