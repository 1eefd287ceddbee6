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


class LanduseCode(KnowledgeModel):
    """A code of a land-use code list: the value in the user's raster, its name, and the LGN class it is read as."""

    code: int = Field(ge=0, le=65535, description="the value in the user's land-use raster")
    name: str = Field(min_length=1, description="the name of the code in its own legend (Dutch)")
    lgn: int = Field(ge=1, le=255, description="the LGN class of lgn_classes.toml this code is read as")


class LanduseCodeList(KnowledgeModel):
    """``[lists.<id>]``: a land-use code list with the source of its codes and the reasoning of its mapping."""

    nl: str = Field(min_length=1)
    en: str = Field(min_length=1)
    source: str = Field(min_length=1, description="where the codes and names come from")
    mapping: str = Field(min_length=1, description="why each code is read as its LGN class")
    nodata: list[int] = Field(default_factory=list, description="codes that mean no data in this list")
    codes: list[LanduseCode]

    def lookup(self) -> dict[int, int]:
        """User code -> LGN class."""
        return {c.code: c.lgn for c in self.codes}


class LanduseCodeLists(KnowledgeFile):
    """Contents of ``landuse_codes.toml``: the land-use code lists a dossier may declare (``codes = "<id>"``)."""

    FILE = "landuse_codes"

    lists: dict[str, LanduseCodeList]
