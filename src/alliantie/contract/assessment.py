"""Typed ``assessment.json`` of ``alliantie assess`` (and ``POST /api/assess``): an initiative checked against
the dossier's *afwegingskader*.

Per initiative (a polygon of the GeoPackage) every adopted rule with its ``status`` (``pass``, ``fail`` or
``maatwerk``: a custom judgement is needed, e.g. because an attribute was not given), the measured ``value``
(None when not known), the ``threshold`` and ``unit``, and the ``reason`` in Dutch and English; the overall
status of an initiative is the worst of its rules (fail, then maatwerk, then pass).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from alliantie.io.atomic import atomic_file

ASSESSMENT_FILE = "assessment.json"

Status = Literal["pass", "fail", "maatwerk"]
#: Order of severity: the overall status is the last of these any rule has.
STATUS_ORDER: tuple[Status, ...] = ("pass", "maatwerk", "fail")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Model):
    nl: str
    en: str

    def get(self, language: str) -> str:
        return self.en if language == "en" else self.nl


class RuleInfo(_Model):
    """A rule as the dossier adopts it (threshold after ``[parameters.assessment]``)."""

    id: str
    theme: str
    name: Text
    metric: str
    comparison: Literal["at_least", "at_most"]
    threshold: float
    unit: str
    scope: Literal["plot", "area"]
    source: str


class RuleResult(_Model):
    id: str
    theme: str
    status: Status
    value: float | None  #: the measured or given value (unit of the rule); None when not known
    threshold: float
    unit: str
    reason: Text


class InitiativeResult(_Model):
    id: str  #: the feature's ``name`` or ``id`` attribute, else its position (1-based)
    name: str
    area_m2: float = Field(ge=0)
    attributes: dict[str, str | float | None]  #: the optional attributes as given (None: not given)
    status: Status
    rules: list[RuleResult]


class AssessmentFile(_Model):
    dossier: str  #: the dossier's name
    source: str  #: the initiative file (or "web")
    rules: list[RuleInfo]
    initiatives: list[InitiativeResult]


def overall(statuses: list[Status]) -> Status:
    """The worst status of ``statuses`` (pass for none)."""
    return max(statuses, key=STATUS_ORDER.index, default="pass")


def write_assessment(folder: Path, data: AssessmentFile) -> Path:
    """Write ``assessment.json`` into ``folder`` (atomically)."""
    target = Path(folder) / ASSESSMENT_FILE
    with atomic_file(target) as tmp:
        tmp.write_text(data.model_dump_json(indent=1) + "\n", encoding="utf-8")
    return target


def read_assessment(folder: Path) -> AssessmentFile:
    """The ``assessment.json`` of ``folder``."""
    return AssessmentFile.model_validate_json((Path(folder) / ASSESSMENT_FILE).read_text(encoding="utf-8"))
