"""The knowledge file ``national_schemas.toml``: national Dutch vector schemas recognised by their column names.

A schema (BAG, CBS wijk- en buurtkaart) says which columns of a national file become which of the columns
the products read, with the factor from the file's unit to ours; the file also holds the BAG status and
gebruiksdoel rules, the CBS secrecy threshold and the plausibility of the mapped values
(:mod:`alliantie.dossier.vector_schemas` applies them).
"""

from __future__ import annotations

from pydantic import Field

from alliantie.knowledge.model import KnowledgeFile, KnowledgeModel, NonBlank, SourcedTable


class SchemaColumn(KnowledgeModel):
    """``[[schema.column]]``: one of our columns and the file's candidates for it."""

    target: str = Field(min_length=1, description="our column (buildings.year, neighbourhoods.residents, ...)")
    candidates: list[str] = Field(min_length=1, description="the file's column names, in order of preference")
    scale: float = Field(gt=0, description="factor from the file's unit to ours")
    unit: NonBlank
    source: NonBlank


class Schema(KnowledgeModel):
    """``[[schema]]``: a national dataset, recognised when the file has one of ``detect``."""

    id: str = Field(min_length=1)
    input: str = Field(min_length=1, description="the dossier input it fits ([inputs] key)")
    nl: str
    en: str
    detect: list[str] = Field(min_length=1)
    source: NonBlank
    columns: list[SchemaColumn] = Field(alias="column", min_length=1)


class CbsMissing(SourcedTable):
    """``[cbs_missing]``: CBS secrecy and missing codes (numbers at or below ``threshold``)."""

    threshold: float


class BagStatus(KnowledgeModel):
    """``[bag_status]``: the BAG pand statuses dropped (no building stands) and kept."""

    candidates: list[str] = Field(min_length=1)
    drop: list[str]
    keep: list[str]
    source: NonBlank


class BagUse(KnowledgeModel):
    """``[bag_use]``: BAG gebruiksdoel -> our use class, and which class wins in a mixed pand."""

    priority: list[str]
    map: dict[str, str]
    sources: dict[str, NonBlank]
    source: NonBlank


class Plausible(SourcedTable):
    """``[plausible]``: construction years outside ``year_min``..``year_max`` are placeholders."""

    year_min: float
    year_max: float


class MostlyEmpty(SourcedTable):
    """``[mostly_empty]``: the share of empty values above which a column is reported."""

    share: float = Field(gt=0, le=1)


class BroSoil(KnowledgeModel):
    """``[bro_soil]``: the BRO Bodemkaart soil code (its columns) -> a class id of ``soil_classes.toml``."""

    candidates: list[str] = Field(min_length=1)
    prefix: dict[str, str] = Field(description="leading capitals of the code -> soil class id")
    sources: dict[str, NonBlank]
    source: NonBlank

    def soil_class(self, code: str) -> str | None:
        """Our soil class of BRO code ``code`` (``kHn21``, ``Hn21/Hd21``, ``WATER``), or None when unknown."""
        main = code.strip().split("/")[0].lstrip("abcdefghijklmnopqrstuvwxyz")
        capitals = ""
        for char in main:
            if not char.isupper():
                break
            capitals += char
        for length in range(len(capitals), 0, -1):
            if capitals[:length] in self.prefix:
                return self.prefix[capitals[:length]]
        return None


class NationalSchemas(KnowledgeFile):
    """Contents of ``national_schemas.toml``."""

    FILE = "national_schemas"

    schemas: list[Schema] = Field(alias="schema")
    cbs_missing: CbsMissing
    bag_status: BagStatus
    bag_use: BagUse
    plausible: Plausible
    mostly_empty: MostlyEmpty
    bro_soil: BroSoil

    def for_input(self, name: str) -> list[Schema]:
        """The schemas of dossier input ``name``, in file order."""
        return [s for s in self.schemas if s.input == name]
