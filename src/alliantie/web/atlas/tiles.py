"""Raster tiles of the saved GeoTIFFs: WebMercator PNG tiles read with rio-tiler, in the products' own styles.

A tile is read from the file's dataset through a :class:`~rasterio.vrt.WarpedVRT` on exactly that tile's grid
(EPSG:3857, 256 x 256, bounds from rio-tiler's WebMercatorQuad) and rio-tiler's low-level
:func:`rio_tiler.reader.read` (nodata to mask). This is what ``Reader.tile`` does, less the two PROJ set-ups it
makes on every call (the whole file's warped extent and the tile test): for Amersfoort / RD New they cost some
40 ms each, GDAL's cached transformation a few. Datasets stay open in a small pool per file, each lent to one
thread at a time. Rendered tiles are kept in a bounded LRU keyed by the file's modification time, so a re-run
is served fresh. A tile outside the data is an empty transparent PNG (status 200): MapLibre draws nothing.
"""


from __future__ import annotations

import hashlib
import io
import math
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import rasterio
import rasterio.errors
from morecantile import Tile
from PIL import Image
from rasterio.enums import Resampling
from rasterio.io import DatasetReader
from rasterio.transform import from_bounds
from rasterio.vrt import WarpedVRT
from rasterio.warp import transform_bounds
from rio_tiler.constants import WEB_MERCATOR_TMS
from rio_tiler.errors import RioTilerError
from rio_tiler.reader import read

from alliantie.web.atlas.catalogue import AtlasLayer
from alliantie.web.atlas.errors import AtlasError, AtlasNotFoundError, AtlasRequestError
from alliantie.web.atlas.lru import ByteLRU
from alliantie.web.atlas.styles import ValueRange, cmap_name, rgba_classes, rgba_continuous, rgba_hillshade, value_range

TILE_SIZE = 256
#: Deepest zoom level served (about 2 cm per pixel: far below any product's cell).
MAX_ZOOM = 22
#: Memory for rendered tiles (bytes).
TILE_CACHE_BYTES = 128 * 1024 * 1024
#: Datasets kept open per file when no thread reads it (more are opened while more threads read it at once).
IDLE_DATASETS = 8
#: Longest side of the sample a missing vmin/vmax is taken from.
SAMPLE_PIXELS = 512


def _png(rgba: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(rgba, "RGBA").save(buffer, format="PNG", compress_level=3)
    return buffer.getvalue()


#: The transparent tile sent outside the data.
EMPTY_PNG = _png(np.zeros((TILE_SIZE, TILE_SIZE, 4), dtype=np.uint8))


class _Pool:
    """Open datasets of one file version, each lent to one thread at a time (GDAL datasets are not shared)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._idle: list[DatasetReader] = []
        self._lock = threading.Lock()
        self.bounds: tuple[float, float, float, float] | None = None  # the data's box in EPSG:3857

    @contextmanager
    def dataset(self) -> Iterator[DatasetReader]:
        with self._lock:
            ds = self._idle.pop() if self._idle else None
        if ds is None:
            ds = rasterio.open(self.path)
        try:
            yield ds
        finally:
            with self._lock:
                if len(self._idle) < IDLE_DATASETS:
                    self._idle.append(ds)
                    ds = None
            if ds is not None:
                ds.close()

    def close(self) -> None:
        with self._lock:
            for ds in self._idle:
                ds.close()
            self._idle.clear()


class TileRenderer:
    """PNG tiles of the atlas's raster layers, cached."""

    def __init__(self, max_bytes: int = TILE_CACHE_BYTES) -> None:
        self.cache = ByteLRU(max_bytes)
        self._pools: dict[tuple[str, str], _Pool] = {}
        self._pools_lock = threading.Lock()
        self._ranges: dict[tuple[str, str], ValueRange] = {}
        self._ranges_lock = threading.Lock()

    @staticmethod
    def check_address(z: int, x: int, y: int) -> None:
        """Refuse a tile that is not in the WebMercator tile grid."""
        top = 2**z - 1 if 0 <= z <= MAX_ZOOM else 0
        if not (0 <= z <= MAX_ZOOM and 0 <= x <= top and 0 <= y <= top):
            raise AtlasRequestError("web_atlas.errors.bad_tile", z=z, x=x, y=y, top=top, max_zoom=MAX_ZOOM)

    def tile(self, layer: AtlasLayer, z: int, x: int, y: int) -> bytes:
        """The PNG of tile ``z/x/y`` of ``layer``'s file (an empty transparent PNG outside its data)."""
        cached = self.cached(layer, z, x, y)
        if cached is not None:
            return cached
        version, key = self._key(layer, z, x, y)
        png = self._render(layer, version, z, x, y)
        self.cache.put(key, png)
        return png

    def cached(self, layer: AtlasLayer, z: int, x: int, y: int) -> bytes | None:
        """The PNG of the tile when it is in the cache (cheap: the server answers it without a worker thread)."""
        return self.cache.get(self._key(layer, z, x, y)[1])

    def address(self, layer: AtlasLayer, z: int, x: int, y: int) -> tuple[object, ...]:
        """What the tile's PNG depends on (file, its modification time, the catalogue's version, the layer's
        style, z/x/y): the key of the cache and of a render under way; a 400 for an address outside the grid,
        404 for a missing file."""
        return self._key(layer, z, x, y)[1]

    @staticmethod
    def etag(address: tuple[object, ...]) -> str:
        """The HTTP entity tag of the tile at ``address`` (it changes when the file is written again)."""
        return '"' + hashlib.blake2b(repr(address).encode(), digest_size=8).hexdigest() + '"'

    def _key(self, layer: AtlasLayer, z: int, x: int, y: int) -> tuple[str, tuple[object, ...]]:
        self.check_address(z, x, y)
        try:
            version = format(layer.path.stat().st_mtime_ns, "x")
        except OSError:
            raise AtlasNotFoundError("web_atlas.errors.file_missing", product=layer.product,
                                     file=layer.spec.file) from None
        # the style (legend colours, ramp, vmin/vmax, alpha) too: a product's maps.json may change its style
        # without writing the raster again, and the tile and its ETag must change with it
        style = hashlib.blake2b(layer.spec.model_dump_json().encode(), digest_size=8).hexdigest()
        return version, (str(layer.path), version, layer.version, style, z, x, y)

    def _pool(self, path: Path, version: str) -> _Pool:
        key = (str(path), version)
        with self._pools_lock:
            pool = self._pools.get(key)
            if pool is None:
                for stale in [k for k in self._pools if k[0] == key[0]]:  # an older version of the file
                    self._pools.pop(stale).close()
                pool = self._pools[key] = _Pool(path)
        return pool

    def span(self, layer: AtlasLayer) -> ValueRange:
        """What a continuous layer is drawn between: the spec's vmin/vmax, a missing one from the data."""
        if layer.spec.vmin is not None and layer.spec.vmax is not None:
            return value_range(layer.spec)
        key = (str(layer.path), layer.version)
        with self._ranges_lock:
            found = self._ranges.get(key)
        if found is None:
            try:
                with rasterio.open(layer.path) as ds:
                    factor = max(1, math.ceil(max(ds.width, ds.height) / SAMPLE_PIXELS))
                    shape = (max(1, ds.height // factor), max(1, ds.width // factor))
                    sample = ds.read(1, out_shape=shape, masked=True).astype(np.float64).filled(np.nan)
            except (rasterio.errors.RasterioError, OSError) as exc:
                raise AtlasError("web_atlas.errors.unreadable", path=f"{layer.product}/{layer.spec.file}",
                                 detail=str(exc).strip()) from None
            found = value_range(layer.spec, sample)
            with self._ranges_lock:
                self._ranges[key] = found
        return found

    def _render(self, layer: AtlasLayer, version: str, z: int, x: int, y: int) -> bytes:
        kind = layer.spec.type
        resampling = Resampling.nearest if kind == "raster_classes" else Resampling.bilinear
        left, bottom, right, top = WEB_MERCATOR_TMS.xy_bounds(Tile(x, y, z))
        pool = self._pool(layer.path, version)
        try:
            with pool.dataset() as ds:
                if pool.bounds is None:
                    pool.bounds = transform_bounds(ds.crs, WEB_MERCATOR_TMS.rasterio_crs, *ds.bounds)
                xmin, ymin, xmax, ymax = pool.bounds
                if left >= xmax or right <= xmin or bottom >= ymax or top <= ymin:
                    return EMPTY_PNG
                grid = from_bounds(left, bottom, right, top, TILE_SIZE, TILE_SIZE)
                with WarpedVRT(ds, crs=WEB_MERCATOR_TMS.rasterio_crs, transform=grid, width=TILE_SIZE,
                               height=TILE_SIZE, resampling=resampling) as vrt:
                    image = read(vrt, indexes=1)
        except (rasterio.errors.RasterioError, RioTilerError, OSError) as exc:
            raise AtlasError("web_atlas.errors.unreadable", path=f"{layer.product}/{layer.spec.file}",
                             detail=str(exc).strip()) from None
        data = np.ma.getdata(image.array)[0]
        valid = ~np.ma.getmaskarray(image.array)[0] & np.isfinite(data)
        if not valid.any():
            return EMPTY_PNG
        if kind == "raster_classes":
            rgba = rgba_classes(data, valid, layer.spec)
        elif kind == "raster_hillshade":
            rgba = rgba_hillshade(data, valid)
        else:
            rgba = rgba_continuous(data, valid, cmap_name(layer.spec), self.span(layer))
        if not rgba[..., 3].any():
            return EMPTY_PNG
        return _png(rgba)
