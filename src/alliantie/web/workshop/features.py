"""Stored objects as JSON: a sketch as a GeoJSON Feature, a synthesis, a participant, a move."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from shapely.geometry import mapping

from alliantie.web.store.models import Move, Participant, Sketch, Synthesis


def iso(value: datetime | None) -> str | None:
    """UTC time as ISO 8601 with ``Z`` (SQLite gives naive datetimes back: they are UTC)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def plain(geojson: Any) -> Any:
    """Shapely's mapping() uses tuples; JSON has lists."""
    if isinstance(geojson, dict):
        return {k: plain(v) for k, v in geojson.items()}
    if isinstance(geojson, list | tuple):
        return [plain(v) for v in geojson]
    return geojson


def sketch_feature(sketch: Sketch, *, author: Participant | None = None,
                   geometry: dict[str, Any] | None = None) -> dict[str, Any]:
    """``author`` and ``geometry`` (GeoJSON): given when known, else read from ``sketch``."""
    author = author or sketch.author
    return {
        "type": "Feature",
        "id": sketch.id,
        "geometry": geometry if geometry is not None else plain(mapping(sketch.geometry)),
        "properties": {
            "measure": sketch.measure,
            "level": sketch.level,
            "comment": sketch.comment,
            "width_m": sketch.width_m,
            "count": sketch.count,
            "author_id": sketch.author_id,
            "author_name": author.name,
            "discipline": author.discipline,
            "created_at": iso(sketch.created_at),
            "updated_at": iso(sketch.updated_at),
        },
    }


def sketch_state(sketch: Sketch, *, geometry: dict[str, Any] | None = None) -> dict[str, Any]:
    """What a move records of a sketch (before/after) and what undo restores."""
    return {
        "geometry": geometry if geometry is not None else plain(mapping(sketch.geometry)),
        "measure": sketch.measure,
        "level": sketch.level,
        "comment": sketch.comment,
        "width_m": sketch.width_m,
        "count": sketch.count,
        "deleted": sketch.deleted_at is not None,
    }


def synthesis_json(synthesis: Synthesis) -> dict[str, Any]:
    return {
        "id": synthesis.id,
        "kind": synthesis.kind,
        "name": synthesis.name,
        "sketch_ids": [s.id for s in synthesis.sketches if s.deleted_at is None],
        "created_at": iso(synthesis.created_at),
    }


def participant_json(participant: Participant) -> dict[str, Any]:
    return {
        "id": participant.id,
        "name": participant.name,
        "organisation": participant.organisation,
        "discipline": participant.discipline,
        "role": participant.role,
        "joined_at": iso(participant.joined_at),
    }


def move_json(move: Move) -> dict[str, Any]:
    return {
        "id": move.id,
        "at": iso(move.at),
        "participant_id": move.participant_id,
        "participant_name": move.participant.name,
        "action": move.action,
        "target_kind": move.target_kind,
        "target_id": move.target_id,
        "before": move.before,
        "after": move.after,
        "undone": move.undone,
    }
