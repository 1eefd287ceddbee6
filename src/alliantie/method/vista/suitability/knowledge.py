"""The knowledge file ``suitability_rules.toml``: five classes and, per measure group, the ordered rules.

A rule is a rule of the step 2 engine (:mod:`alliantie.method.baseinfo.rules`)
with a ``source``; its class is a class id of ``[[class]]`` or ``none`` (code 0:
not applicable here). Each group ends with a rule without conditions, so every
cell of the study area gets a class.
"""

from __future__ import annotations

from typing import Self

from pydantic import Field, field_validator, model_validator

from alliantie.knowledge.model import ClassRow, KnowledgeFile, KnowledgeModel, NonBlank, unique, unique_classes
from alliantie.method.baseinfo.knowledge import Rule

#: The class of a rule that leaves the cell out (code 0): not applicable here.
NONE = "none"


class SuitabilityRule(Rule):
    """A ``[[group.rule]]``: a rule of the step 2 engine with its source."""

    source: NonBlank


class Number(KnowledgeModel):
    """A number with its unit and source."""

    value: float
    unit: NonBlank
    source: NonBlank


class Group(KnowledgeModel):
    """A ``[[group]]``: a measure group (the ``group`` of measures in ``measures.toml``) and its rules."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    nl: NonBlank
    en: NonBlank
    rule: list[SuitabilityRule] = Field(min_length=1)

    @model_validator(mode="after")
    def _ends_with_all(self) -> Self:
        if self.rule[-1].when:
            raise ValueError(f"group {self.id!r}: the last rule must have no conditions (it takes every cell left)")
        unique(self.rule, [r.id for r in self.rule], f"rule id of group {self.id!r}")
        return self


class SuitabilityRules(KnowledgeFile):
    """Contents of ``suitability_rules.toml``."""

    FILE = "suitability_rules"

    unit: NonBlank
    built_radius_m: Number
    classes: list[ClassRow] = Field(alias="class", min_length=1)
    groups: list[Group] = Field(alias="group", min_length=1)

    _unique = field_validator("classes")(unique_classes)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        unique(self.groups, [g.id for g in self.groups], "group id")
        known = {c.id for c in self.classes} | {NONE}
        wrong = sorted({f"{g.id}/{r.id}: {r.class_name}" for g in self.groups for r in g.rule
                        if r.class_name not in known})
        if wrong:
            raise ValueError(f"unknown class(es) {wrong} (known: {sorted(known)})")
        ids = [r.id for g in self.groups for r in g.rule]
        unique(ids, ids, "rule id")
        if self.built_radius_m.value <= 0:
            raise ValueError("built_radius_m must be positive")
        return self

    def codes(self) -> dict[str, int]:
        """Class id -> code, with ``none`` as 0."""
        return {NONE: 0, **{c.id: c.code for c in self.classes}}

    def group(self, group_id: str) -> Group:
        """The group ``group_id`` (KeyError when there is none)."""
        for g in self.groups:
            if g.id == group_id:
                return g
        raise KeyError(group_id)
