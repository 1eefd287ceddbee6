"""The knowledge file ``meekoppelen.toml``: per kind of planned works the measures that couple with it, the investment
factor (cost together / cost alone), the design window and the works' duration, and who carries such works."""

from __future__ import annotations

from typing import Self

from pydantic import Field, model_validator

from alliantie.knowledge.model import KnowledgeFile, KnowledgeModel, NonBlank, unique


class Number(KnowledgeModel):
    """A number with its unit and source; ``estimate`` marks our own estimate (the reasoning in ``source``)."""

    value: float
    unit: NonBlank
    source: NonBlank
    estimate: bool = False


class Thresholds(KnowledgeModel):
    """How the product reads the upstream maps and classes the coupling chance."""

    unit: NonBlank
    source: NonBlank
    suitable_class: Number
    severe_class: Number
    min_suitable_share: Number
    min_overlap_share: Number
    chance_medium: Number
    chance_high: Number

    @model_validator(mode="after")
    def _ranges(self) -> Self:
        for name in ("min_suitable_share", "min_overlap_share", "chance_medium", "chance_high"):
            if not 0.0 <= getattr(self, name).value <= 1.0:
                raise ValueError(f"{name} must lie in 0-1")
        if self.chance_medium.value > self.chance_high.value:
            raise ValueError("chance_medium must not exceed chance_high")
        return self


class Coupling(KnowledgeModel):
    """A ``[[kind.coupling]]``: measures built with the works at ``factor`` times their cost alone."""

    measures: list[str] = Field(min_length=1)
    factor: Number
    #: the works themselves are the measure's place (the dike being reinforced, the brook being restored): it fits
    #: without a share of suitable area, which for its group describes other places (compartment dikes, valleys)
    in_place: bool = False

    @model_validator(mode="after")
    def _factor(self) -> Self:
        if not 0.0 < self.factor.value <= 1.0:
            raise ValueError(f"factor {self.factor.value} must lie in (0, 1]: together never costs more here")
        return self


class Kind(KnowledgeModel):
    """A ``[[kind]]``: a kind of planned works (the ``kind`` column of ``inputs/projects.gpkg``)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    nl: NonBlank
    en: NonBlank
    owners: list[str] = Field(min_length=1, description="parties that usually carry such works, the first the usual")
    design_window: Number
    duration: Number
    coupling: list[Coupling] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.design_window.value < 0 or self.duration.value < 0:
            raise ValueError(f"kind {self.id!r}: design_window and duration must not be negative")
        ids = [m for c in self.coupling for m in c.measures]
        unique(ids, ids, f"measure of kind {self.id!r}")
        return self

    def factor(self, measure: str) -> Number | None:
        """The investment factor of ``measure`` with these works; None when it does not couple."""
        return next((c.factor for c in self.coupling if measure in c.measures), None)

    def in_place(self, measure: str) -> bool:
        """True when ``measure`` fits these works wherever they are (no suitable share needed)."""
        return any(c.in_place for c in self.coupling if measure in c.measures)

    def measures(self) -> list[str]:
        """The coupled measures, in file order."""
        return [m for c in self.coupling for m in c.measures]

    def window(self, year: int) -> tuple[int, int]:
        """(first, last) year of the window of works starting in ``year``: decide by the first, done by the last."""
        return year - round(self.design_window.value), year + max(0, round(self.duration.value) - 1)


class MeekoppelenRules(KnowledgeFile):
    """Contents of ``meekoppelen.toml``."""

    FILE = "meekoppelen"

    thresholds: Thresholds
    kinds: list[Kind] = Field(alias="kind", min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> Self:
        unique(self.kinds, [k.id for k in self.kinds], "kind id")
        return self

    def kind(self, kind_id: str) -> Kind | None:
        """The kind ``kind_id``; None when the file has none."""
        return next((k for k in self.kinds if k.id == kind_id), None)
