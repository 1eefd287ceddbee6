"""The atlas's errors: our error tree with a catalogue key (``web_atlas.errors.*``) and the HTTP status it means.

The one place that turns errors into HTTP answers (``alliantie.web.http_errors``) reads ``status``; the
body is ``{"detail": {"key": ..., "message": ...}}`` in the request's language.
"""

from __future__ import annotations

from alliantie.web.http_errors import WebError


class AtlasError(WebError):
    """Something the atlas cannot show; the subclasses say why and which HTTP status that is."""

    key = "web_atlas.errors.unreadable"
    status = 422


class AtlasNotFoundError(AtlasError):
    """A product, file, layer or column that no saved map names (never served, whatever the path says)."""

    key = "web_atlas.errors.unknown_file"
    status = 404


class AtlasRequestError(AtlasError):
    """A request the atlas cannot answer as asked (a tile address outside the tile grid)."""

    key = "web_atlas.errors.bad_tile"
    status = 400


class DossierNotRunError(AtlasError):
    """The dossier exists but has no saved maps yet: ``alliantie run`` first."""

    key = "web_atlas.errors.not_run"
    status = 409


class DossierMissingError(AtlasError):
    """The dossier file the server was started with is gone or unreadable."""

    key = "web_atlas.errors.no_dossier"
    status = 404
