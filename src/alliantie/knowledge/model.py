"""The base of the typed knowledge files: strict pydantic models that name the file and the field when one is wrong.

A knowledge file is read into a :class:`KnowledgeFile` (its ``FILE`` says which
one): strict types (no text for a number, no number for a text), no unknown keys,
and its ``source`` (and, where the file carries numbers, its ``unit``) kept as
fields. A file that does not fit, the shipped one or a dossier's own
(``[knowledge]`` in ``dossier.toml``), is a :class:`~alliantie.errors.ConfigError`
that names the file and every wrong field::

    rules = LandscapeRules.load(override)          # or ctx.knowledge_model(LandscapeRules) in a product

:class:`ClassRow` is the row of a class table (``id``, ``code``, ``nl``, ``en``,
``color``): the classes of a categorical raster as the base maps draw them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any, ClassVar, Self, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from alliantie.errors import ConfigError
from alliantie.knowledge import knowledge_file, load_knowledge

#: A text that says something (not empty, not only spaces): a unit or a source.
NonBlank = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class KnowledgeModel(BaseModel):
    """A table of a knowledge file: strict, no unknown keys, read-only."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class SourcedTable(KnowledgeModel):
    """A table with numbers: their unit and where they come from."""

    unit: NonBlank = Field(description="unit of the numbers of the table")
    source: NonBlank = Field(description="publication, or 'alliantie estimate: <reasoning>'")


class KnowledgeFile(KnowledgeModel):
    """A whole knowledge file: ``FILE`` is its name in ``knowledge/data`` (without ``.toml``)."""

    FILE: ClassVar[str]

    title: str = ""
    source: str = Field(min_length=1, description="publication, or 'alliantie estimate: <reasoning>'")

    @classmethod
    def parse(cls, data: Mapping[str, Any], path: str | Path | None = None) -> Self:
        """The parsed file ``data`` as this model; else a ConfigError naming ``path`` and each wrong field."""
        return parse_knowledge(cls, data, path or f"{cls.FILE}.toml")

    @classmethod
    def load(cls, override: Path | None = None) -> Self:
        """The shipped file ``FILE``, or the dossier's own ``override``, read and checked."""
        return cls.parse(load_knowledge(cls.FILE, override), knowledge_file(cls.FILE, override))


Model = TypeVar("Model", bound=BaseModel)
Rows = TypeVar("Rows", bound=Sequence[Any])


def parse_knowledge(model: type[Model], data: Mapping[str, Any] | Model, path: str | Path) -> Model:
    """``data`` (a parsed knowledge file) as ``model``; a ConfigError naming ``path`` and the wrong fields."""
    if isinstance(data, model):
        return data
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ConfigError("errors.knowledge_invalid", path=str(path), details=validation_details(exc)) from None


def unique(rows: Rows, keys: Sequence[Any], what: str) -> Rows:
    """``rows`` when their ``keys`` are unique (for a field validator), else a ValueError naming the repeated ones."""
    repeated = sorted({k for k in keys if list(keys).count(k) > 1}, key=str)
    if repeated:
        raise ValueError(f"each {what} once; repeated: {', '.join(map(str, repeated))}")
    return rows


def validation_details(exc: ValidationError) -> str:
    """Every problem of a validation error on its own line: ``where: what``."""
    return "\n  - ".join(
        f"{'.'.join(str(part) for part in error['loc']) or '(file)'}: {error['msg']}" for error in exc.errors()
    )


class Names(KnowledgeModel):
    """A name or text in Dutch and English."""

    nl: str
    en: str


class ClassRow(KnowledgeModel):
    """A row of a class table: a class of a categorical raster (code 0 is no data)."""

    id: str = Field(min_length=1)
    code: int = Field(ge=1, le=255, description="the value in the raster")
    nl: str
    en: str
    color: str = Field(pattern=r"^#[0-9a-fA-F]{6}$", description="map colour, #rrggbb")


Row = TypeVar("Row", bound=ClassRow)


def unique_classes(rows: list[Row]) -> list[Row]:
    """``rows`` when their ids and codes are unique (a field validator of a class table)."""
    ids = [r.id for r in rows]
    codes = [r.code for r in rows]
    repeated = [f"id {i!r}" for i in sorted(set(ids)) if ids.count(i) > 1]
    repeated += [f"code {c}" for c in sorted(set(codes)) if codes.count(c) > 1]
    if repeated:
        raise ValueError(f"class table has duplicate {', '.join(repeated)}")
    return rows
