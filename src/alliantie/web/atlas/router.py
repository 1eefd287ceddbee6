"""The atlas's routes: the dossier and its levels, the catalogue of maps, raster tiles and vector layers.

``atlas_router(dossier_file)`` builds them for one dossier; nothing is read until the first request, so a
server starts at once and a dossier that is computed later is picked up (the catalogue follows ``maps.json``).
Errors are :mod:`alliantie.web.atlas.errors` classes; the app's error handler turns them into their
``status`` with ``{"detail": {"key", "message"}}``.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Query, Request, Response

from alliantie.i18n import Language, as_language
from alliantie.web.atlas.catalogue import AtlasLayer, Catalogue, CatalogueStore
from alliantie.web.atlas.errors import AtlasNotFoundError, DossierNotRunError
from alliantie.web.atlas.extents import dossier_payload
from alliantie.web.atlas.listing import maps_payload
from alliantie.web.atlas.render_queue import RenderQueue
from alliantie.web.atlas.source import DossierSource
from alliantie.web.atlas.tiles import TileRenderer
from alliantie.web.atlas.vectors import VectorRenderer

#: Browser cache of a tile or layer asked for with its current file version (``?v=``; a re-run changes it).
CACHE_VERSIONED = "public, max-age=86400"
#: ... and asked for without it.
CACHE_PLAIN = "public, max-age=300"
#: The catalogue and the dossier: asked again each time (they are small and follow a re-run).
CACHE_LISTS = "no-cache"


def language_of(request: Request, lang: str | None) -> Language:
    """``?lang=`` or else the ``Accept-Language`` header; Dutch by default."""
    return as_language(lang or request.headers.get("accept-language"))


class Atlas:
    """The state behind the routes: the dossier, the catalogue, the renderers and their caches."""

    def __init__(self, dossier_file: Path) -> None:
        self.source = DossierSource(dossier_file)
        self.catalogue_store = CatalogueStore(self.source.products_dir, self.source.scenario_ids)
        self.tiles = TileRenderer()
        self.renders = RenderQueue()
        self.vectors = VectorRenderer()
        self._dossier_cache: dict[tuple[Any, ...], dict[str, Any]] = {}
        self._lock = threading.Lock()

    def catalogue(self) -> Catalogue:
        """The catalogue; :class:`DossierNotRunError` when the dossier has no saved maps."""
        catalogue = self.catalogue_store.get()
        if not catalogue.maps:
            loaded = self.source.get()
            raise DossierNotRunError(dossier=str(loaded.dossier.toml_path), folder=str(loaded.dossier.products_dir))
        return catalogue

    def dossier(self, language: Language) -> dict[str, Any]:
        loaded = self.source.get()
        products = loaded.dossier.products_dir
        stamps: list[int | None] = []
        for path in (loaded.dossier.toml_path, products / "urgency.vulnerability" / "zones.gpkg",
                     products / "urgency.stresstest" / "summary.json"):
            try:
                stamps.append(path.stat().st_mtime_ns)
            except OSError:
                stamps.append(None)
        key = (language, id(loaded), *stamps)
        with self._lock:
            found = self._dossier_cache.get(key)
        if found is None:
            found = dossier_payload(loaded, language)
            with self._lock:
                self._dossier_cache = {key: found, **{k: v for k, v in self._dossier_cache.items()
                                                      if k[1:] == key[1:]}}
        return found

    def maps(self, language: Language) -> dict[str, Any]:
        catalogue = self.catalogue()
        loaded = self.source.get()
        return maps_payload(catalogue, loaded.scenarios, language, self.tiles.span, loaded.lonlat_box)

    def raster(self, product: str, file: str) -> AtlasLayer:
        catalogue = self.catalogue()
        if product not in catalogue.products:
            raise AtlasNotFoundError("web_atlas.errors.unknown_product", product=product)
        found = catalogue.rasters.get((product, file))
        if found is None:
            raise AtlasNotFoundError("web_atlas.errors.unknown_file", product=product, file=file)
        return found

    def vector(self, product: str, file: str, layer: str, column: str | None) -> AtlasLayer:
        catalogue = self.catalogue()
        if product not in catalogue.products:
            raise AtlasNotFoundError("web_atlas.errors.unknown_product", product=product)
        if column is not None:
            found = catalogue.vectors.get((product, file, layer, column))
        else:
            found = next((v for k, v in catalogue.vectors.items() if k[:3] == (product, file, layer)), None)
        if found is None:
            if not any(k[:2] == (product, file) for k in catalogue.vectors):
                raise AtlasNotFoundError("web_atlas.errors.unknown_file", product=product, file=file)
            raise AtlasNotFoundError("web_atlas.errors.unknown_layer", product=product, file=file, layer=layer,
                                     column=column or "")
        return found


def _entity_tags(header: str | None) -> set[str]:
    """The tags of an ``If-None-Match`` header (weak ones compare as strong: a tile is its bytes); ``*`` too."""
    tags = {tag.strip().removeprefix("W/") for tag in (header or "").split(",")}
    tags.discard("")
    return tags


def _cache_header(layer: AtlasLayer, version: str | None) -> str:
    return CACHE_VERSIONED if version == layer.version else CACHE_PLAIN


def atlas_router(dossier_file: Path) -> APIRouter:
    """The atlas's routes for the dossier ``dossier_file`` (``dossier.toml`` or its folder)."""
    atlas = Atlas(Path(dossier_file))
    router = APIRouter(tags=["atlas"])

    @router.get("/api/dossier", summary="The dossier: name, CRS, boundary, scenarios and the three levels")
    def get_dossier(request: Request, response: Response, lang: str | None = Query(None)) -> dict[str, Any]:
        response.headers["Cache-Control"] = CACHE_LISTS
        return atlas.dossier(language_of(request, lang))

    @router.get("/api/atlas/maps", summary="Every saved map: themes, scenarios, texts, layers and legends")
    def get_maps(request: Request, response: Response, lang: str | None = Query(None)) -> dict[str, Any]:
        response.headers["Cache-Control"] = CACHE_LISTS
        return atlas.maps(language_of(request, lang))

    @router.get("/api/atlas/tiles/{product}/{file}/{z}/{x}/{y}.png", summary="A WebMercator PNG tile of a map's raster",
                response_class=Response, responses={200: {"content": {"image/png": {}}}, 304: {}})
    async def get_tile(request: Request, product: str, file: str, z: int, x: int, y: int,
                       v: str | None = Query(None)) -> Response:
        # answered on the event loop when cached or unchanged (ETag); rendering goes to the render queue's own
        # threads, once per tile however many ask for it at the same time (render_queue.py)
        layer = atlas.raster(product, file)
        address = atlas.tiles.address(layer, z, x, y)
        headers = {"Cache-Control": _cache_header(layer, v), "ETag": atlas.tiles.etag(address)}
        asked = _entity_tags(request.headers.get("if-none-match"))
        if headers["ETag"] in asked or "*" in asked:
            return Response(status_code=304, headers=headers)
        png = atlas.tiles.cached(layer, z, x, y)
        if png is None:
            png = await atlas.renders.render(address, lambda: atlas.tiles.tile(layer, z, x, y))
        return Response(png, media_type="image/png", headers=headers)

    @router.get("/api/atlas/vectors/{product}/{file}/{layer}.geojson", summary="A map's vector layer as GeoJSON",
                response_class=Response, responses={200: {"content": {"application/geo+json": {}}}})
    def get_vector(request: Request, product: str, file: str, layer: str, column: str | None = Query(None),
                   lang: str | None = Query(None), v: str | None = Query(None)) -> Response:
        found = atlas.vector(product, file, layer, column)
        body = atlas.vectors.geojson(found, language_of(request, lang))
        return Response(body, media_type="application/geo+json", headers={"Cache-Control": _cache_header(found, v)})

    router.atlas = atlas  # type: ignore[attr-defined]  # the state, for tests and the benchmark
    return router
