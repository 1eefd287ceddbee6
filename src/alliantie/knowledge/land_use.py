"""The knowledge file ``lgn_classes.toml``: the LGN land-use classes and the vegetation group of each.

LGN (*Landelijk Grondgebruiksbestand Nederland*) codes are the values of the
dossier input ``landuse.tif``. The group (a vegetation group of the green base
map, ``vegetation_groups.toml``) is how the themes read land use: the green base
map (``baseinfo.green``), the heat and drought properties, the runoff of pluvial
flooding and the town of the vulnerability map.
"""

from __future__ import annotations

from collections.abc import Collection

from pydantic import Field

from alliantie.knowledge.model import KnowledgeFile, KnowledgeModel


class LgnClass(KnowledgeModel):
    """A ``[[class]]`` row: an LGN code, its names and its vegetation group."""

    code: int = Field(ge=0, le=255, description="LGN code, the value in landuse.tif")
    nl: str
    en: str
    group: str = Field(description="vegetation group id of vegetation_groups.toml")


class LgnClasses(KnowledgeFile):
    """Contents of ``lgn_classes.toml`` (the source of the codes and of the grouping in ``source``)."""

    FILE = "lgn_classes"

    classes: list[LgnClass] = Field(alias="class", description="the LGN classes ([[class]])")

    def codes_in(self, groups: Collection[str]) -> list[int]:
        """LGN codes whose group is one of ``groups``, in file order."""
        return [c.code for c in self.classes if c.group in groups]
