"""The knowledge file ``assessment_rules.toml``: the rules of the executable *afwegingskader*.

A :class:`Rule` compares one metric of an initiative polygon (an attribute it gives, or a number measured on
the dossier's saved products) with a threshold: ``at_least`` or ``at_most``. Each rule keeps its unit, scope
(plot or area), source and the range ``min`` .. ``max`` a dossier may choose for the threshold
(``[parameters.assessment]``, :func:`apply_choices`).
"""

from __future__ import annotations

from typing import Literal, Self

from pydantic import Field, field_validator, model_validator

from alliantie.errors import ConfigError
from alliantie.knowledge.model import KnowledgeFile, KnowledgeModel, NonBlank, SourcedTable, unique
from alliantie.parameters.assessment import AssessmentParameters

#: Metrics read from the initiative's attributes (a missing one makes the rule "maatwerk: not given").
ATTRIBUTE_METRICS = frozenset({"storage_mm", "emptying_h", "infiltration_share", "green_share"})
#: Metrics measured on the dossier's saved products (:mod:`.metrics`).
PRODUCT_METRICS = frozenset({"bluespot_share", "wet_share", "flood_depth_m", "cool_distance_m",
                             "subsidence_60y_cm", "carrier_share"})
#: Attributes that decide whether a rule applies (``applies_metric``).
CONDITION_METRICS = frozenset({"new_paving_m2", "dwellings"})


class Rule(KnowledgeModel):
    """A ``[[rule]]``."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    theme: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="pluvial, drought, flood, heat, structure")
    metric: str
    comparison: Literal["at_least", "at_most"]
    on_exceed: Literal["fail", "maatwerk"]
    threshold: float
    unit: NonBlank
    scope: Literal["plot", "area"]
    min: float = Field(description="smallest threshold a dossier may choose (unit)")
    max: float = Field(description="largest threshold a dossier may choose (unit)")
    applies_metric: str | None = Field(None, description="attribute that decides whether the rule applies")
    applies_above: float | None = Field(None, description="the rule applies when applies_metric exceeds this")
    applies_unit: str | None = None
    applies_min: float | None = None
    applies_max: float | None = None
    applies_functions: bool = Field(False, description="the rule holds only for the vulnerable functions")
    nl: NonBlank
    en: NonBlank
    source: NonBlank

    @field_validator("metric")
    @classmethod
    def _known_metric(cls, value: str) -> str:
        known = ATTRIBUTE_METRICS | PRODUCT_METRICS
        if value not in known:
            raise ValueError(f"unknown metric {value!r}; known: {', '.join(sorted(known))}")
        return value

    @model_validator(mode="after")
    def _ranges(self) -> Self:
        if not self.min <= self.threshold <= self.max:
            raise ValueError(f"rule {self.id!r}: threshold {self.threshold} outside its range {self.min}..{self.max}")
        conditional = (self.applies_metric, self.applies_above, self.applies_unit, self.applies_min,
                       self.applies_max)
        if any(v is not None for v in conditional):
            if any(v is None for v in conditional):
                raise ValueError(f"rule {self.id!r}: applies_metric, applies_above, applies_unit, applies_min and "
                                 "applies_max go together")
            assert self.applies_above is not None and self.applies_min is not None and self.applies_max is not None
            if self.applies_metric not in CONDITION_METRICS:
                raise ValueError(f"rule {self.id!r}: applies_metric must be one of {sorted(CONDITION_METRICS)}")
            if not self.applies_min <= self.applies_above <= self.applies_max:
                raise ValueError(f"rule {self.id!r}: applies_above outside applies_min..applies_max")
        return self

    def name(self, language: str) -> str:
        return self.en if language == "en" else self.nl


class Carriers(KnowledgeModel):
    """``[carriers]``: the structure-carrier kinds rule ``structure_carriers`` counts."""

    kinds: list[str] = Field(min_length=1)
    source: NonBlank


class Vulnerable(KnowledgeModel):
    """``[vulnerable]``: the functions that count as vulnerable where a breach floods deep."""

    functions: list[str] = Field(min_length=1)
    source: NonBlank


class Measure(SourcedTable):
    """``[measure]``: what the product metrics are measured on."""

    wet_depth_m: float = Field(gt=0, description="m of water that makes a cell wet at the standard storm")
    min_covered_share: float = Field(ge=0, le=1, description="share of the plan below which a cover is an edge")
    years: float = Field(gt=0, description="years over which subsidence is summed")


class AssessmentRules(KnowledgeFile):
    """Contents of ``assessment_rules.toml``."""

    FILE = "assessment_rules"

    rules: list[Rule] = Field(alias="rule", min_length=1)
    carriers: Carriers
    vulnerable: Vulnerable
    measure: Measure

    @field_validator("rules")
    @classmethod
    def _unique(cls, rules: list[Rule]) -> list[Rule]:
        return unique(rules, [r.id for r in rules], "rule id")

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)


def apply_choices(rules: AssessmentRules, choices: AssessmentParameters) -> list[Rule]:
    """The rules the dossier adopts, with its chosen thresholds; a ConfigError for an unknown rule or a choice
    outside the rule's range (naming the rule, the value and the range)."""
    known = {r.id: r for r in rules.rules}
    problems: list[ConfigError] = []
    for rule_id in [*choices.thresholds, *choices.applies_above, *choices.skip]:
        if rule_id not in known:
            problems.append(ConfigError("assessment.errors.unknown_rule", rule=rule_id,
                                        known=", ".join(known)))
    for rule_id, value in choices.thresholds.items():
        r = known.get(rule_id)
        if r is not None and not r.min <= value <= r.max:
            problems.append(ConfigError("assessment.errors.threshold_range", rule=rule_id, value=value,
                                        low=r.min, high=r.max, unit=r.unit))
    for rule_id, value in choices.applies_above.items():
        r = known.get(rule_id)
        if r is None:
            continue
        if r.applies_min is None or r.applies_max is None:
            problems.append(ConfigError("assessment.errors.no_condition", rule=rule_id))
        elif not r.applies_min <= value <= r.applies_max:
            problems.append(ConfigError("assessment.errors.threshold_range", rule=rule_id, value=value,
                                        low=r.applies_min, high=r.applies_max, unit=r.applies_unit or ""))
    if problems:
        raise ConfigError("assessment.errors.choices", problems=problems)
    adopted: list[Rule] = []
    for r in rules.rules:
        if r.id in choices.skip:
            continue
        update: dict[str, float] = {}
        if r.id in choices.thresholds:
            update["threshold"] = choices.thresholds[r.id]
        if r.id in choices.applies_above:
            update["applies_above"] = choices.applies_above[r.id]
        adopted.append(r.model_copy(update=update) if update else r)
    return adopted


__all__ = ["ATTRIBUTE_METRICS", "PRODUCT_METRICS", "AssessmentRules", "Carriers", "Measure", "Rule",
           "Vulnerable", "apply_choices"]
