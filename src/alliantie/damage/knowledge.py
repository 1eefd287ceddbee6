"""The base of the damage engine's knowledge models: strict tables that keep their unit and source.

Every knowledge file the engine reads has one pydantic model family beside the
module that uses it: ``economics.toml`` in :mod:`~alliantie.damage.npv`,
``damage_pluvial.toml`` in :mod:`~alliantie.damage.depth_damage`,
``damage_flood.toml`` in :mod:`~alliantie.damage.flood`, ``damage_heat.toml`` in
:mod:`~alliantie.damage.heat` and ``damage_drought.toml`` in
:mod:`~alliantie.damage.drought`. A table is strict (no text for a number, no
number for a text, no unknown keys) and keeps the ``unit`` and ``source`` the
file gives it. :func:`parse_knowledge` reads a parsed file into its model once;
a file that does not fit, the packaged one or a dossier's replacement
(``[knowledge]`` in ``dossier.toml``), is a :class:`~alliantie.errors.ConfigError`
that names the file and every wrong field.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from alliantie.errors import ConfigError

#: A text that says something (not empty, not only spaces): a unit or a source.
NonBlank = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Table(BaseModel):
    """A table of a knowledge file: strict types, no unknown keys, read-only."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class SourcedTable(Table):
    """A table with numbers: their unit and where they come from."""

    unit: NonBlank = Field(description="unit of the numbers of the table")
    source: NonBlank = Field(description="publication, or 'alliantie estimate: <reasoning>'")


Model = TypeVar("Model", bound=BaseModel)
Rows = TypeVar("Rows", bound=Sequence[Any])


def unique(rows: Rows, keys: Sequence[Any], what: str) -> Rows:
    """``rows`` when their ``keys`` are unique (for a field validator), else a ValueError naming the repeated ones."""
    repeated = sorted({k for k in keys if list(keys).count(k) > 1}, key=str)
    if repeated:
        raise ValueError(f"each {what} once; repeated: {', '.join(map(str, repeated))}")
    return rows


def parse_knowledge(model: type[Model], data: Mapping[str, Any] | Model, path: str) -> Model:
    """``data`` (a parsed knowledge file) as ``model``; a ConfigError naming ``path`` and the wrong fields."""
    if isinstance(data, model):
        return data
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ConfigError("errors.knowledge_invalid", path=path, details=validation_details(exc)) from None


def validation_details(exc: ValidationError) -> str:
    """Every problem of a validation error on its own line: ``where: what``."""
    return "\n  - ".join(
        f"{'.'.join(str(part) for part in error['loc']) or '(file)'}: {error['msg']}" for error in exc.errors()
    )
