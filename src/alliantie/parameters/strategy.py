"""``strategy.toml``: the choices of the dossier owner that the strategy document (step 5) sets down.

The method leaves the content of a strategy to the parties ("de opzet van de strategie is maatwerk";
SKB 2014, step 5): the products give the facts (focus areas, maps, the programme's projects, the
business case), the owner writes the choices. Every part is optional; the document says, for a part
left empty, what to write here instead of inventing it. The file is an input of the dossier::

    [inputs]
    strategy = "strategy.toml"

Example (the demo ships a partly filled one)::

    [urgency]
    further_study = "Detailed stress test of Binnenstad (drought) before 2027 ..."

    [[urgency.policy]]
    document = "Gemeentelijk rioleringsplan 2022-2026"
    owner = "municipality"
    verdict = "adapt"                  # keep, adapt or new
    change = "storage of 60 mm per m2 of new paving"

    [policy]
    main_lines = ["Water is retained where it falls ...", "..."]
    inspiration_use = "Every neighbourhood plan starts from the Veerkracht map ..."

    [[policy.tasks]]
    task = "Retain water in the source areas of the brooks"
    scale = "region"                   # region, city or neighbourhood
    organisations = ["water_board", "province"]

    [[policy.responsibilities]]
    organisation = "water_board"
    responsible_for = ["storage in the rural area", "water quality"]

    [[policy.preconditions]]
    kind = "training"                  # training, information or other
    text = "A course on the analysewijzer for spatial planners"

    [implementation]
    cycle_start = 2026                 # first year of the two-year programme cycle
    cycle_years = 2

    [implementation.working_group]
    members = ["Municipality (spatial planning)", "Water board (area manager)"]
    tasks = "guides execution, monitoring and evaluation"

    [implementation.ambassador]
    name = "Alderman for the climate"
    role = "legitimises the working group's work, keeps the links with other parties"

    [[implementation.programme]]
    project = "Rioolvervanging Zuidwijk"   # a project of inputs/projects.gpkg (name or id)
    priority = 1
    action = "..."

    [monitoring]
    indicators = ["pluvial.buildings_above_floor_t100", "heat.residents_pet_extreme"]
    every_years = 2
    responsible = "working group"

A key this model does not know, a wrong type or an unknown choice is refused with the file and the key
named (:func:`load_strategy`).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from alliantie.errors import ConfigError
from alliantie.parameters.problems import explain_problem

Verdict = Literal["keep", "adapt", "new"]
Scale = Literal["region", "city", "neighbourhood"]
PreconditionKind = Literal["training", "information", "other"]


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PolicyItem(_Part):
    """A row of the policy scan: a current (or missing) policy document and what must happen to it."""

    document: str = Field(min_length=1, description="the policy or plan (title, years)")
    owner: str = Field("", description="the organisation that holds it")
    verdict: Verdict = Field(description="keep as it is, adapt, or make new")
    change: str = Field("", description="what must change (or why it can stay)")


class Urgency(_Part):
    further_study: str = Field("", description="the route for further study where severe effects are expected")
    policy: list[PolicyItem] = Field(default_factory=list, description="the policy scan")


class Task(_Part):
    """A task tied to the scale level where it can be taken up."""

    task: str = Field(min_length=1)
    scale: Scale
    organisations: list[str] = Field(default_factory=list, description="who takes it up")


class Responsibility(_Part):
    """What one organisation is responsible for (and when: "what is most effective, who does what")."""

    organisation: str = Field(min_length=1)
    responsible_for: list[str] = Field(min_length=1)
    when: str = Field("", description="the moment or phase, when it matters")


class Precondition(_Part):
    kind: PreconditionKind
    text: str = Field(min_length=1)


class Policy(_Part):
    main_lines: list[str] = Field(default_factory=list, description="clear choices on main lines")
    frameworks: list[str] = Field(default_factory=list,
                                  description="the policy and execution frameworks the choices are taken into")
    tasks: list[Task] = Field(default_factory=list)
    responsibilities: list[Responsibility] = Field(default_factory=list)
    inspiration_use: str = Field("", description="how the inspiration maps are used in neighbourhood developments")
    preconditions: list[Precondition] = Field(default_factory=list)


class WorkingGroup(_Part):
    members: list[str] = Field(min_length=1)
    tasks: str = Field("", description="what the working group does (guiding, monitoring, evaluation)")
    meets: str = Field("", description="how often it meets")


class Ambassador(_Part):
    name: str = Field(min_length=1, description="the administrator (a name or a function)")
    role: str = Field("", description="what the ambassador does")


class ProgrammeItem(_Part):
    """An action of the programme: a planned project to couple with (name or id) or an action of its own."""

    project: str = Field("", description="a project of inputs/projects.gpkg (its name or the meekoppelen id)")
    action: str = Field("", description="what is done")
    priority: int = Field(1, ge=1, le=9, description="1 highest")
    partner: str = Field("", description="the partner that carries it")
    year: int | None = Field(None, ge=2000, le=2150, description="the year it starts (a project's own year when empty)")

    @field_validator("action")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()


class Implementation(_Part):
    cycle_start: int | None = Field(None, ge=2000, le=2150, description="first year of the programme cycle")
    cycle_years: int = Field(2, ge=1, le=10, description="length of a cycle, years (the method: short, two years)")
    working_group: WorkingGroup | None = None
    ambassador: Ambassador | None = None
    programme: list[ProgrammeItem] = Field(default_factory=list)


class Monitoring(_Part):
    indicators: list[str] = Field(default_factory=list,
                                  description="step 1 indicators as '<theme>.<indicator id>' (theme.json)")
    every_years: int | None = Field(None, ge=1, le=10, description="how often they are measured again, years")
    responsible: str = Field("", description="who measures and reports")

    @field_validator("indicators")
    @classmethod
    def _dotted(cls, value: list[str]) -> list[str]:
        bad = [v for v in value if v.count(".") != 1 or not all(v.split("."))]
        if bad:
            raise ValueError(f"write each indicator as '<theme>.<indicator id>' (e.g. 'heat.residents_pet_extreme'),"
                             f" not {', '.join(map(repr, bad))}")
        return value


class StrategyFile(_Part):
    """The whole ``strategy.toml``: every part may be left out."""

    urgency: Urgency = Field(default_factory=Urgency)
    policy: Policy = Field(default_factory=Policy)
    implementation: Implementation = Field(default_factory=Implementation)
    monitoring: Monitoring = Field(default_factory=Monitoring)


def _details(exc: ValidationError) -> list[ConfigError]:
    """Every problem in the catalogue's words (an unknown key with the closest one, what a value should be)."""
    return [explain_problem(error, StrategyFile) for error in exc.errors()]


def parse_strategy(text: str, path: str | Path) -> StrategyFile:
    """``text`` (the content of ``path``) as a :class:`StrategyFile`; a :class:`ConfigError` naming the file."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("errors.strategy_syntax", path=str(path), detail=str(exc)) from None
    try:
        return StrategyFile.model_validate(data)
    except ValidationError as exc:
        raise ConfigError("errors.strategy_invalid", path=str(path), details=_details(exc)) from None


def load_strategy(path: str | Path) -> StrategyFile:
    """Read and validate the ``strategy.toml`` at ``path``."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ConfigError("errors.config_not_text", path=str(path)) from None
    except OSError as exc:
        raise ConfigError("errors.strategy_unreadable", path=str(path), detail=exc.strerror or str(exc)) from None
    return parse_strategy(text, path)


__all__ = [
    "Ambassador", "Implementation", "Monitoring", "Policy", "PolicyItem", "Precondition", "ProgrammeItem",
    "Responsibility", "StrategyFile", "Task", "Urgency", "WorkingGroup", "load_strategy", "parse_strategy",
]
