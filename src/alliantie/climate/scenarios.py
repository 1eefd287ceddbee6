"""KNMI climate scenarios: the published numbers and the dossier's choice of scenarios.

Knowledge file ``knmi_scenarios.toml`` holds, per scenario set (KNMI'23,
KNMI'14), a list of variables (unit, how a change is expressed) and a list of
values. A value row names its variable, set, scenario (``"reference"`` for the
reference period) and horizon, and gives the absolute ``value`` or the
``change`` against the reference (in the variable's unit for ``difference``
variables, in % for ``percent`` variables), optionally a ``low``/``high``
range, and always a ``source``. A row without a source is refused when the
file is read. A number nobody could source is simply absent: :meth:`ClimateTable.get`
returns None and :meth:`ClimateTable.missing` lists it, so a product reports
it as missing instead of guessing.

A dossier's ``[scenarios]`` (``knmi = ["Ld", "Hd"]``, ``horizons = [2050,
2100]``) becomes today's climate plus one :class:`ClimateScenario` per
scenario and horizon; their ids (``current``, ``Ld2050``, ...) name the files
of every step 1 product.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field

from alliantie.errors import ConfigError
from alliantie.knowledge import load_knowledge
from alliantie.knowledge.model import KnowledgeModel, NonBlank, parse_knowledge

#: Id of today's climate (the reference period of the scenario set).
CURRENT = "current"
#: Scenario row name of the reference period in the knowledge file.
REFERENCE = "reference"
#: The scenario sets and their scenario names.
SETS: dict[str, tuple[str, ...]] = {
    "KNMI'23": ("Ld", "Ln", "Md", "Mn", "Hd", "Hn"),
    "KNMI'14": ("GL", "GH", "WL", "WH"),
}
DEFAULT_SET = "KNMI'23"
KNOWLEDGE = "knmi_scenarios"


@dataclass(frozen=True)
class ClimateScenario:
    """Today's climate (``name`` None) or a named scenario of a set around a horizon year."""

    name: str | None = None
    horizon: int | None = None
    set: str = DEFAULT_SET

    @property
    def id(self) -> str:
        """``current`` or name + horizon, e.g. ``Hd2050`` (safe in file names)."""
        if self.name is None:
            return CURRENT
        return f"{self.name}{self.horizon}"

    @property
    def is_current(self) -> bool:
        return self.name is None

    def label(self, language: str) -> str:
        """A short label for maps and tables: "huidig klimaat" or "KNMI'23 Hd, 2050"."""
        if self.name is None:
            return "huidig klimaat" if language == "nl" else "today's climate"
        return f"{self.set} {self.name}, {self.horizon}"


@dataclass(frozen=True)
class Variable:
    """A climate variable of a scenario set."""

    id: str
    unit: str
    change: Literal["difference", "percent"]
    nl: str
    en: str

    def label(self, language: str) -> str:
        return self.en if language == "en" else self.nl


@dataclass(frozen=True)
class ClimateValue:
    """One sourced number: the level of ``variable`` in a scenario and its change against the reference.

    ``value`` is the absolute level (None when only a change is published and
    the reference is missing); ``change`` the difference to the reference (in
    the unit, or in % for percent variables; 0 for the reference itself; None
    when only a level is published and the reference is missing). ``low`` and
    ``high`` bound a published range of the level.
    """

    variable: str
    set: str
    scenario: str
    horizon: int | None
    value: float | None
    change: float | None
    unit: str
    source: str
    low: float | None = None
    high: float | None = None


# --- the knowledge file ----------------------------------------------------------------------------




class ScenarioSet(KnowledgeModel):
    """``[set."<name>"]``: a scenario set's reference period and horizons, and its publication."""

    reference_period: str = Field(description="years of the reference, e.g. 1991-2020")
    horizons: list[int] = Field(description="the horizon years of the set")
    source: NonBlank


class VariableRow(KnowledgeModel):
    """``[[variable]]``: a climate variable, its unit and how a change is expressed."""

    id: str = Field(min_length=1)
    unit: NonBlank
    change: Literal["difference", "percent"] = Field(
        "difference", description="difference: a change in the unit (the default); percent: a change in %")
    nl: str | None = Field(None, description="Dutch label (default: the id)")
    en: str | None = Field(None, description="English label (default: the id)")
    definition: str = ""


class ValueRow(KnowledgeModel):
    """``[[value]]``: one published number; checked further by :class:`ClimateTable` (variable, scenario, source)."""

    variable: str
    set: str = DEFAULT_SET
    scenario: str = Field(description='"reference" or a scenario name of the set')
    horizon: int | None = None
    value: float | None = Field(None, description="absolute level, in the variable's unit")
    change: float | None = Field(None, description="change against the reference (unit, or % for percent)")
    low: float | None = None
    high: float | None = None
    source: str = ""


class KnmiScenariosFile(KnowledgeModel):
    """Knowledge file ``knmi_scenarios.toml``: the scenario sets, the variables and the sourced values."""

    title: str = ""
    set: dict[str, ScenarioSet] = Field(default_factory=dict)
    variable: list[VariableRow] = Field(default_factory=list)
    value: list[ValueRow] = Field(default_factory=list)

    @classmethod
    def from_toml(cls, data: Mapping[str, Any], path: str = f"{KNOWLEDGE}.toml") -> KnmiScenariosFile:
        """The parsed file as its model; a ConfigError naming ``path`` and the wrong fields when it does not fit."""
        return parse_knowledge(cls, data, path)


class ClimateTable:
    """The scenario tables of ``knmi_scenarios.toml``, checked on reading (see the module docs)."""

    def __init__(self, knowledge: KnmiScenariosFile | Mapping[str, Any], path: str = f"{KNOWLEDGE}.toml") -> None:
        self.path = path
        file = knowledge if isinstance(knowledge, KnmiScenariosFile) else KnmiScenariosFile.from_toml(knowledge, path)
        self.variables: dict[str, Variable] = {}
        self.periods: dict[str, str] = {name: meta.reference_period for name, meta in file.set.items()}
        for var in file.variable:
            self.variables[var.id] = Variable(id=var.id, unit=var.unit, change=var.change,
                                              nl=var.id if var.nl is None else var.nl,
                                              en=var.id if var.en is None else var.en)
        self._rows: dict[tuple[str, str, str, int | None], ValueRow] = {}
        for row in file.value:
            self._check_row(row)
            key = (row.variable, row.set, row.scenario, row.horizon)
            if key in self._rows:
                raise ConfigError("climate.errors.duplicate", path=path, variable=key[0], scenario=key[2],
                                  horizon=str(key[3] or ""))
            self._rows[key] = row

    def _check_row(self, row: ValueRow) -> None:
        where = {"path": self.path, "variable": row.variable, "scenario": row.scenario,
                 "horizon": "" if row.horizon is None else str(row.horizon)}
        if row.variable not in self.variables:
            raise ConfigError("climate.errors.unknown_variable", **where)
        if row.set not in SETS or (row.scenario != REFERENCE and row.scenario not in SETS[row.set]):
            raise ConfigError("climate.errors.unknown_scenario", set=row.set, **where)
        if row.scenario != REFERENCE and row.horizon is None:
            raise ConfigError("climate.errors.no_horizon", **where)
        if not row.source.strip():
            raise ConfigError("climate.errors.no_source", **where)
        if row.value is None and row.change is None:
            raise ConfigError("climate.errors.no_number", **where)

    # --- lookups ----------------------------------------------------------------------------------

    def reference(self, variable: str, set_name: str = DEFAULT_SET) -> ClimateValue | None:
        """The level of ``variable`` in the reference period of ``set_name`` (None when not sourced)."""
        row = self._rows.get((variable, set_name, REFERENCE, None))
        if row is None:
            return None
        return ClimateValue(variable=variable, set=set_name, scenario=REFERENCE, horizon=None, value=row.value,
                            change=0.0, unit=self.variables[variable].unit, source=row.source,
                            low=row.low, high=row.high)

    def get(self, variable: str, scenario: ClimateScenario) -> ClimateValue | None:
        """The sourced number of ``variable`` in ``scenario`` (today's climate: the reference), or None."""
        if variable not in self.variables:
            raise KeyError(f"unknown climate variable {variable!r}")
        if scenario.is_current:
            return self.reference(variable, scenario.set)
        row = self._rows.get((variable, scenario.set, str(scenario.name), scenario.horizon))
        if row is None:
            return None
        var = self.variables[variable]
        ref = self.reference(variable, scenario.set)
        ref_value = ref.value if ref is not None else None
        value, change = row.value, row.change
        if value is None and change is not None and ref_value is not None:
            value = ref_value + change if var.change == "difference" else ref_value * (1.0 + change / 100.0)
        if change is None and value is not None and ref_value is not None:
            if var.change == "difference":
                change = value - ref_value
            elif ref_value != 0:
                change = 100.0 * (value / ref_value - 1.0)
        return ClimateValue(variable=variable, set=scenario.set, scenario=str(scenario.name),
                            horizon=scenario.horizon, value=value, change=change, unit=var.unit, source=row.source,
                            low=row.low, high=row.high)

    def level(self, variable: str, scenario: ClimateScenario) -> float | None:
        """The absolute level of ``variable`` in ``scenario`` (None when not sourced)."""
        found = self.get(variable, scenario)
        return None if found is None else found.value

    def change(self, variable: str, scenario: ClimateScenario) -> float | None:
        """The change of ``variable`` in ``scenario`` against the reference (0 for today's climate)."""
        if scenario.is_current:
            return 0.0
        found = self.get(variable, scenario)
        return None if found is None else found.change

    def missing(self, variables: Iterable[str], scenarios: Iterable[ClimateScenario]) -> list[tuple[str, str]]:
        """(variable, scenario id) pairs without a sourced number, for reporting."""
        scenario_list = list(scenarios)
        return [(v, s.id) for v in variables for s in scenario_list if self.get(v, s) is None]

    def sources(self) -> list[str]:
        """Every distinct source, in order of the file."""
        out: list[str] = []
        for row in self._rows.values():
            source = row.source
            if source not in out:
                out.append(source)
        return out


def load_climate_table(knowledge: KnmiScenariosFile | Mapping[str, Any] | None = None,
                       path: str = f"{KNOWLEDGE}.toml") -> ClimateTable:
    """The table of knowledge file ``knmi_scenarios.toml`` (or of ``knowledge`` already read; ``path`` names it)."""
    return ClimateTable(load_knowledge(KNOWLEDGE) if knowledge is None else knowledge, path)


def dossier_scenarios(
    scenarios: Mapping[str, Any] | None, *, include_current: bool = True, set_name: str = DEFAULT_SET
) -> list[ClimateScenario]:
    """Today's climate and every ``knmi`` scenario at every horizon of a dossier's ``[scenarios]``.

    ``scenarios`` is the dumped ``[scenarios]`` table (``ctx.param("scenarios")``),
    e.g. ``{"knmi": ["Ld", "Hd"], "horizons": [2050, 2100]}``; order: horizon, then scenario.

    >>> [s.id for s in dossier_scenarios({"knmi": ["Ld", "Hd"], "horizons": [2050, 2100]})]
    ['current', 'Ld2050', 'Hd2050', 'Ld2100', 'Hd2100']
    """
    names: Sequence[str] = list((scenarios or {}).get("knmi", ()))
    horizons: Sequence[int] = list((scenarios or {}).get("horizons", ()))
    out = [ClimateScenario(set=set_name)] if include_current else []
    out += [ClimateScenario(name=str(n), horizon=int(h), set=set_name) for h in horizons for n in names]
    return out


def scenario_by_id(scenarios: Iterable[ClimateScenario], scenario_id: str) -> ClimateScenario:
    """The scenario with ``scenario_id`` among ``scenarios`` (KeyError when absent)."""
    for s in scenarios:
        if s.id == scenario_id:
            return s
    raise KeyError(scenario_id)
