"""The catalogue of the atlas: every map that a saved product declares in its ``maps.json``, nothing recomputed.

A product folder under ``products/`` with a ``maps.json`` contributes its maps; a layer's file lives in that
product or in the product its ``product`` names. Only files that exist are kept (a map left with nothing but
hillshade is dropped), and only the files and GeoPackage layers named here are ever served: the catalogue is
the allow-list of the tile and vector routes. A file named in several maps is drawn in the style of the first
(in the order of the product folders and of their ``maps.json``), with the legends of all merged by value.

The catalogue is read again when a ``maps.json`` changes (a re-run), checked at most every
:data:`REFRESH_SECONDS`.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyogrio
import pyogrio.errors
from pydantic import ValidationError

from alliantie.contract.spec import MAPS_FILE, Layer, LegendEntry, MapSpec, read_maps

log = logging.getLogger(__name__)

#: How often (s) the products folder is looked at again for new or changed ``maps.json`` files.
REFRESH_SECONDS = 2.0

#: Key of a raster file: (product, file); of a vector layer: (product, file, layer, column).
RasterKey = tuple[str, str]
VectorKey = tuple[str, str, str, str | None]


@dataclass(frozen=True)
class AtlasLayer:
    """One layer of a map, its file found: the spec, the product folder holding the file, its version."""

    spec: Layer
    product: str
    path: Path
    version: str
    geometry: str | None = None  # vectors: polygon, line or point


@dataclass(frozen=True)
class AtlasMap:
    """One map of the catalogue: the product's spec, the scenario read from its id, its layers found."""

    product: str
    spec: MapSpec
    scenario: str | None
    base: str
    layers: tuple[AtlasLayer, ...]


@dataclass(frozen=True)
class Catalogue:
    """Every map that can be shown, and the allow-list of files and layers (with the style to draw them in)."""

    maps: tuple[AtlasMap, ...]
    rasters: dict[RasterKey, AtlasLayer] = field(default_factory=dict)
    vectors: dict[VectorKey, AtlasLayer] = field(default_factory=dict)

    @property
    def products(self) -> set[str]:
        """Every product a served file lives in."""
        return {key[0] for key in self.rasters} | {key[0] for key in self.vectors}


def split_scenario(map_id: str, scenario_ids: Sequence[str]) -> tuple[str, str | None]:
    """``(base, scenario)`` of a map id: the scenario is an id suffix ``_<scenario>`` (``heat_pet_Hd2100``).

    >>> split_scenario("heat_pet_Hd2100", ["current", "Hd2100"])
    ('heat_pet', 'Hd2100')
    >>> split_scenario("heat_uhi", ["current", "Hd2100"])
    ('heat_uhi', None)
    """
    for scenario in sorted(scenario_ids, key=len, reverse=True):
        suffix = f"_{scenario}"
        if map_id.endswith(suffix) and len(map_id) > len(suffix):
            return map_id[: -len(suffix)], scenario
    return map_id, None


def _plain_name(name: str) -> bool:
    """True for a file or folder name without a path in it (nothing to climb out of the products folder with)."""
    return bool(name) and name not in (".", "..") and "/" not in name and "\\" not in name and "\x00" not in name


def _version(path: Path) -> str | None:
    try:
        return format(path.stat().st_mtime_ns, "x")
    except OSError:
        return None


def _geometry_kind(path: Path, layer: str) -> str | None:
    """polygon, line or point: the geometry type of a GeoPackage layer (None when it cannot be read)."""
    try:
        kind = str(pyogrio.read_info(path, layer=layer).get("geometry_type") or "")
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, OSError):
        return None
    kind = kind.lower()
    return "line" if "line" in kind else "point" if "point" in kind else "polygon" if "polygon" in kind else None


def _merged(first: AtlasLayer, spec: Layer) -> AtlasLayer:
    """``first`` with the legend entries of ``spec`` that it lacks (matched by value) added."""
    known = {str(e.value) for e in first.spec.legend}
    extra: list[LegendEntry] = [e for e in spec.legend if str(e.value) not in known]
    if not extra:
        return first
    merged = first.spec.model_copy(update={"legend": [*first.spec.legend, *extra]})
    return AtlasLayer(spec=merged, product=first.product, path=first.path, version=first.version,
                      geometry=first.geometry)


def _product_maps(products_dir: Path) -> list[tuple[str, list[MapSpec]]]:
    out: list[tuple[str, list[MapSpec]]] = []
    for folder in sorted(p for p in products_dir.iterdir() if p.is_dir() and (p / MAPS_FILE).is_file()):
        if folder.name.startswith((".", "_")):
            continue
        try:
            out.append((folder.name, read_maps(folder)))
        except (ValidationError, json.JSONDecodeError, OSError, UnicodeDecodeError) as exc:
            log.warning("%s/%s cannot be read, its maps are left out of the atlas: %s", folder.name, MAPS_FILE, exc)
    return out


def load_catalogue(products_dir: Path, scenario_ids: Sequence[str]) -> Catalogue:
    """The catalogue of the saved products in ``products_dir`` (empty when there are none)."""
    if not products_dir.is_dir():
        return Catalogue(maps=())
    maps: list[AtlasMap] = []
    rasters: dict[RasterKey, AtlasLayer] = {}
    vectors: dict[VectorKey, AtlasLayer] = {}
    for product, specs in _product_maps(products_dir):
        for spec in specs:
            layers: list[AtlasLayer] = []
            for layer in spec.layers:
                owner = layer.product or product
                if not (_plain_name(owner) and _plain_name(layer.file)):
                    log.warning("map %s of %s names a file outside a product folder (%s/%s); left out",
                                spec.id, product, owner, layer.file)
                    continue
                path = products_dir / owner / layer.file
                version = _version(path)
                if version is None:
                    continue
                if layer.type == "vector":
                    if not layer.layer:
                        continue
                    key: VectorKey = (owner, layer.file, layer.layer, layer.column)
                    found = vectors.get(key)
                    if found is None:
                        found = AtlasLayer(layer, owner, path, version, _geometry_kind(path, layer.layer))
                        vectors[key] = found
                    else:
                        vectors[key] = _merged(found, layer)
                    atlas_layer = AtlasLayer(layer, owner, path, version, found.geometry)
                else:
                    rkey: RasterKey = (owner, layer.file)
                    rasters[rkey] = _merged(rasters[rkey], layer) if rkey in rasters else AtlasLayer(
                        layer, owner, path, version)
                    atlas_layer = AtlasLayer(layer, owner, path, version)
                layers.append(atlas_layer)
            if not any(a.spec.type != "raster_hillshade" for a in layers):
                continue
            base, scenario = split_scenario(spec.id, scenario_ids)
            maps.append(AtlasMap(product=product, spec=spec, scenario=scenario, base=base, layers=tuple(layers)))
    return Catalogue(maps=tuple(maps), rasters=rasters, vectors=vectors)


class CatalogueStore:
    """The catalogue of one products folder, read once and again only when a ``maps.json`` changed."""

    def __init__(self, products_dir: Callable[[], Path], scenario_ids: Callable[[], Sequence[str]],
                 refresh_seconds: float = REFRESH_SECONDS) -> None:
        self._products_dir = products_dir
        self._scenario_ids = scenario_ids
        self._refresh = refresh_seconds
        self._lock = threading.Lock()
        self._catalogue: Catalogue | None = None
        self._signature: tuple[object, ...] | None = None
        self._checked = 0.0

    def _signature_now(self, products_dir: Path) -> tuple[object, ...]:
        if not products_dir.is_dir():
            return ()
        out: list[object] = []
        for maps in sorted(products_dir.glob(f"*/{MAPS_FILE}")):
            out.append((maps.parent.name, _version(maps)))
        return (tuple(self._scenario_ids()), *out)

    def get(self) -> Catalogue:
        """The catalogue, read again when the products changed since it was last read."""
        with self._lock:
            now = time.monotonic()
            if self._catalogue is not None and now - self._checked < self._refresh:
                return self._catalogue
            products_dir = self._products_dir()
            signature = self._signature_now(products_dir)
            if self._catalogue is None or signature != self._signature:
                self._catalogue = load_catalogue(products_dir, self._scenario_ids())
                self._signature = signature
            self._checked = now
            return self._catalogue
