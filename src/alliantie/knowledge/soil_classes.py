"""The knowledge file ``soil_classes.toml``: the soil classes of the dossier input and their main classes.

The ``[[class]]`` rows are the values of column ``soil_class`` of ``soil.gpkg``
(after the main divisions of the *Bodemkaart van Nederland* 1:50 000); each
belongs to a ``[[main]]`` class (sand, clay, peat, loam, built, water). Read by
the soil base map (``baseinfo.soil``), the landscape rules, pluvial runoff and
drought, through :mod:`alliantie.soil`.
"""

from __future__ import annotations

from pydantic import Field, ValidationInfo, field_validator

from alliantie.knowledge.model import ClassRow, KnowledgeFile, unique_classes


class SoilClass(ClassRow):
    """A ``[[class]]`` row: a soil class (code in ``soil.tif``) and its main class."""

    main: str = Field(description="id of a [[main]] class")


class SoilClasses(KnowledgeFile):
    """Contents of ``soil_classes.toml``."""

    FILE = "soil_classes"

    main: list[ClassRow] = Field(min_length=1, description="main soil classes (code in soil_main.tif)")
    classes: list[SoilClass] = Field(alias="class", min_length=1, description="soil classes (code in soil.tif)")

    @field_validator("main", "classes")
    @classmethod
    def _unique(cls, rows: list[ClassRow]) -> list[ClassRow]:
        return unique_classes(rows)

    @field_validator("classes")
    @classmethod
    def _known_mains(cls, rows: list[SoilClass], info: ValidationInfo) -> list[SoilClass]:
        if "main" in info.data:  # else [[main]] is wrong itself and said so
            known = [m.id for m in info.data["main"]]
            unknown = sorted({c.main for c in rows} - set(known))
            if unknown:
                raise ValueError(f"unknown main classes {unknown} (known: {known})")
        return rows

    def main_of(self) -> dict[str, str]:
        """Soil class id -> main class id."""
        return {c.id: c.main for c in self.classes}
