"""The BRO Bodemkaart: PDOK's national GeoPackage, downloaded once (resumable), clipped to the area.

PDOK offers the soil map as one national file (atom download); a feature API to ask for a box was not found.
The file goes into the cache like every download (a broken connection resumes by HTTP Range) and its
``soilarea`` polygons that touch the study area are written into ``inputs/fetched/bro_bodemkaart.gpkg``.
The soil-unit codes of the map (``soilarea_soilunit``) are joined where the file has that table.
"""

from __future__ import annotations

import sqlite3
import warnings
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
from shapely.geometry.base import BaseGeometry

from alliantie.errors import FetchError
from alliantie.fetch.http import Downloader, Fetched
from alliantie.fetch.sources import FileSource
from alliantie.io.vector import write_vector


def fetch_soil_map(downloader: Downloader, source: FileSource, area: BaseGeometry, target: Path) -> Fetched:
    """Download the national file (or take it from the cache) and write the area's polygons to ``target``."""
    fetched = downloader.fetch(source.url, what=f"{source.key}: {Path(source.url).name}")
    try:
        with warnings.catch_warnings():  # the cache names files by their hash, without the .gpkg extension
            warnings.filterwarnings("ignore", message=".*non conformant file extension", category=RuntimeWarning)
            frame = pyogrio.read_dataframe(fetched.path, layer=source.layer, bbox=area.bounds)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise FetchError("errors.fetch.not_gpkg", what=source.key, url=fetched.entry.url, detail=str(exc)) from None
    frame = frame[frame.intersects(area)].reset_index(drop=True)
    frame = _join_units(fetched.path, frame)
    write_vector(target, gpd.GeoDataFrame(frame, geometry="geometry", crs=frame.crs), layer=source.layer)
    return fetched


def _join_units(path: Path, frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The first soil unit of each map area (``soilarea_soilunit``), where the file has that table."""
    if "maparea_id" not in frame.columns:
        return frame
    with sqlite3.connect(path) as con:
        tables = {row[0] for row in con.execute("select name from sqlite_master where type='table'")}
        if "soilarea_soilunit" not in tables:
            return frame
        units = pd.read_sql("select * from soilarea_soilunit", con)
    if not {"maparea_id", "soilunit_code"} <= set(units.columns):
        return frame
    first = units.drop_duplicates("maparea_id")[["maparea_id", "soilunit_code"]]
    return frame.merge(first, on="maparea_id", how="left")
