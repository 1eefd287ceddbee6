"""The atlas of the web app: a dossier's saved products as a web map, nothing recomputed.

:func:`atlas_router` gives the routes (``/api/dossier``, ``/api/atlas/maps``, ``/api/atlas/tiles/...``,
``/api/atlas/vectors/...``); docs/web_atlas.md describes what they answer.
"""

from alliantie.web.atlas.router import atlas_router

__all__ = ["atlas_router"]
