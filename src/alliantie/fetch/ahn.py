"""The AHN DTM from PDOK's WCS as GeoTIFF tiles: the 1 km squares that touch the study area, at 0.5 m.

One GetCoverage (WCS 1.0.0: ``COVERAGE=dtm_05m``, ``CRS=EPSG:28992``, ``BBOX``, ``RESX``/``RESY`` 0.5,
``FORMAT=GEOTIFF``) per square of :attr:`~alliantie.fetch.sources.CoverageSource.tile_m` metres on the RD
grid, so a tile is 2000 x 2000 cells (16 MB as float32) and a broken one is resumed or asked again alone.
The tiles form a folder that ``dem = { path = "inputs/fetched/ahn" }`` mosaics onto the dossier grid
(``io/mosaic.py``: averaged to the grid, gaps under buildings and water filled).
"""

from __future__ import annotations

import math
import shutil
from dataclasses import dataclass
from pathlib import Path

from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from alliantie.errors import FetchError
from alliantie.fetch.cache import request_key
from alliantie.fetch.http import Downloader
from alliantie.fetch.sources import CoverageSource
from alliantie.io.atomic import atomic_file


@dataclass(frozen=True)
class Tile:
    """One square of the RD grid: its lower-left corner and size, m."""

    x0: float
    y0: float
    size: float

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        return (self.x0, self.y0, self.x0 + self.size, self.y0 + self.size)

    @property
    def name(self) -> str:
        return f"{int(self.x0)}_{int(self.y0)}.tif"


def tiles_for(area: BaseGeometry, size: float) -> list[Tile]:
    """The squares of ``size`` m on the RD grid that touch ``area``, west to east, north to south."""
    xmin, ymin, xmax, ymax = area.bounds
    tiles = []
    for y in reversed(range(math.floor(ymin / size), math.ceil(ymax / size))):
        for x in range(math.floor(xmin / size), math.ceil(xmax / size)):
            tile = Tile(x * size, y * size, size)
            if area.intersects(box(*tile.bounds)):
                tiles.append(tile)
    return tiles


def coverage_params(source: CoverageSource, tile: Tile) -> tuple[tuple[str, str], ...]:
    """The GetCoverage request of one tile (WCS 1.0.0)."""
    return (
        ("SERVICE", "WCS"), ("VERSION", "1.0.0"), ("REQUEST", "GetCoverage"), ("COVERAGE", source.coverage),
        ("CRS", "EPSG:28992"), ("RESPONSE_CRS", "EPSG:28992"), ("BBOX", ",".join(f"{v:.0f}" for v in tile.bounds)),
        ("RESX", f"{source.res_m:g}"), ("RESY", f"{source.res_m:g}"), ("FORMAT", "GEOTIFF"),
    )


@dataclass(frozen=True)
class TileFile:
    path: Path
    url: str
    sha256: str
    retrieved: str
    last_modified: str | None
    hit: bool


def fetch_tiles(downloader: Downloader, source: CoverageSource, area: BaseGeometry, folder: Path) -> list[TileFile]:
    """Download the tiles touching ``area`` into ``folder`` (from the cache where it has them)."""
    folder.mkdir(parents=True, exist_ok=True)
    out: list[TileFile] = []
    for tile in tiles_for(area, source.tile_m):
        params = coverage_params(source, tile)
        fetched = downloader.fetch(source.url, params, what=f"ahn: {tile.name}")
        with fetched.path.open("rb") as handle:
            head = handle.read(400)
        if head[:4] not in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):  # a WCS exception report, not a TIFF
            downloader.cache.forget(request_key(source.url, params))
            raise FetchError("errors.fetch.not_tiff", what=f"ahn: {tile.name}", url=fetched.entry.url,
                             detail=head.decode("utf-8", "replace").strip()[:300])
        target = folder / tile.name
        with atomic_file(target) as tmp:
            shutil.copyfile(fetched.path, tmp)
        entry = fetched.entry
        out.append(TileFile(target, entry.url, entry.sha256, entry.retrieved, entry.last_modified, fetched.hit))
    return out
