"""The dossier's choices for the executable *afwegingskader*, read from ``[parameters.assessment]``.

Which rules of ``assessment_rules.toml`` the dossier adopts and with which thresholds. Each chosen number
is checked against the rule's own range (``min`` .. ``max`` of the knowledge file) when an initiative is
assessed (:func:`alliantie.method.strategy.assessment.knowledge.apply_choices`): the knowledge file may be
the dossier's own, so the range is known only then.

.. code-block:: toml

    [parameters.assessment]
    thresholds = { storage_maatlat = 60.0, cool_place = 250.0 }   # in each rule's unit
    applies_above = { storage_local = 4000.0 }                      # m2 of new paving
    skip = ["infiltration_share"]                                   # rules the dossier does not adopt
"""

from __future__ import annotations

import math

from pydantic import BaseModel, ConfigDict, Field, field_validator


class AssessmentParameters(BaseModel):
    """Rule choices of the dossier's afwegingskader."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    thresholds: dict[str, float] = Field(
        default_factory=dict,
        description="rule id -> threshold in the rule's unit, within the rule's range (assessment_rules.toml "
                    "min..max). Source: the dossier's own policy; default: the knowledge file's value.")
    applies_above: dict[str, float] = Field(
        default_factory=dict,
        description="rule id -> the value of the rule's condition (e.g. m2 of new paving above which the water "
                    "board's storage rule applies), within applies_min..applies_max.")
    skip: list[str] = Field(
        default_factory=list, description="rule ids the dossier does not adopt (they are left out of the verdict)")

    @field_validator("thresholds", "applies_above")
    @classmethod
    def _finite(cls, values: dict[str, float]) -> dict[str, float]:
        bad = [k for k, v in values.items() if not math.isfinite(v)]
        if bad:
            raise ValueError(f"not a finite number: {', '.join(bad)}")
        return values
