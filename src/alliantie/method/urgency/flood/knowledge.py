"""The fixed numbers of the flood product: knowledge file ``flood.toml``, typed, each table with its unit and source.

The LIWO depth classes (*maximale overstromingsdiepte*), the storey height of the
national map of dry storeys (*droge verdiepingen*), the ground-floor height for
buildings without a floor level, the severity bounds, and how residents are
spread over buildings. A dossier may replace the file (``[knowledge] flood``);
:meth:`FloodKnowledge.from_toml` checks it and says what is wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from alliantie.errors import ConfigError
from alliantie.knowledge.model import validation_details

KNOWLEDGE = "flood"


class _Table(BaseModel):
    """A table of the knowledge file: its numbers with their unit and source."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    unit: str = Field(description="unit of the numbers of the table")
    source: str = Field(description="publication or 'alliantie estimate: ...'")


class DepthClasses(_Table):
    """``[depth_classes]``: the LIWO flood depth classes and their colours."""

    upper_m: tuple[float, ...] = Field(min_length=1, description="upper bound (m) of every class but the last")
    colors: tuple[str, ...] = Field(description="colour of every class, one more than upper_m")


class Storey(_Table):
    """``[storey]``: the height of one storey (LIWO *droge verdiepingen*)."""

    height_m: float = Field(description="m per storey")


class Floor(_Table):
    """``[floor]``: the ground floor above the surrounding ground, for buildings without ``floor_level_m``."""

    height_m: float = Field(description="m above the lowest ground at the footprint")


class Severity(_Table):
    """``[severity]``: 1 low below ``moderate_from_m``, 2 moderate up to ``high_from_m``, 3 high from there."""

    moderate_from_m: float = Field(description="m water depth from which the severity is moderate")
    high_from_m: float = Field(description="m water depth from which the severity is high")


class Residents(_Table):
    """``[residents]``: residents per building (a rule without numbers: the neighbourhood's residents spread)."""


class FloodKnowledge(BaseModel):
    """Contents of knowledge file ``flood.toml`` (units and sources there)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = ""
    depth_classes: DepthClasses
    storey: Storey
    floor: Floor
    severity: Severity
    residents: Residents

    @model_validator(mode="after")
    def _consistent(self) -> FloodKnowledge:
        upper = self.depth_classes.upper_m
        if (len(self.depth_classes.colors) != len(upper) + 1 or list(upper) != sorted(upper) or upper[0] <= 0
                or not 0 < self.severity.moderate_from_m < self.severity.high_from_m
                or self.storey.height_m <= 0):
            raise ValueError("depth classes must increase from above 0 with one colour more than bounds; "
                             "0 < moderate_from_m < high_from_m; storey height > 0")
        return self

    @classmethod
    def from_toml(cls, data: Mapping[str, Any], path: str = f"{KNOWLEDGE}.toml") -> FloodKnowledge:
        """The knowledge from the parsed file; a ConfigError naming ``path`` and the problem when it is not valid."""
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise ConfigError("flood.errors.knowledge", path=path, detail=validation_details(exc)) from None
