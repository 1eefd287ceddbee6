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

from alliantie.errors import ConfigError

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


def _float(row: Mapping[str, Any], key: str) -> float | None:
    value = row.get(key)
    return None if value is None else float(value)


class ClimateTable:
    """The scenario tables of ``knmi_scenarios.toml``, checked on reading (see the module docs)."""

    def __init__(self, knowledge: Mapping[str, Any], path: str = f"{KNOWLEDGE}.toml") -> None:
        self.path = path
        self.variables: dict[str, Variable] = {}
        self.periods: dict[str, str] = {
            str(name): str(meta.get("reference_period", "")) for name, meta in (knowledge.get("set") or {}).items()
        }
        for row in knowledge.get("variable", []):
            try:
                var = Variable(id=str(row["id"]), unit=str(row["unit"]), change=row.get("change", "difference"),
                               nl=str(row.get("nl", row["id"])), en=str(row.get("en", row["id"])))
            except KeyError as exc:
                raise ConfigError("climate.errors.bad_variable", path=path, variable=str(row.get("id", "?")),
                                  key=str(exc.args[0])) from None
            if var.change not in ("difference", "percent"):
                raise ConfigError("climate.errors.bad_variable", path=path, variable=var.id, key="change")
            self.variables[var.id] = var
        self._rows: dict[tuple[str, str, str, int | None], Mapping[str, Any]] = {}
        for row in knowledge.get("value", []):
            self._check_row(row)
            horizon = row.get("horizon")
            key = (str(row["variable"]), str(row.get("set", DEFAULT_SET)), str(row["scenario"]),
                   None if horizon is None else int(horizon))
            if key in self._rows:
                raise ConfigError("climate.errors.duplicate", path=path, variable=key[0], scenario=key[2],
                                  horizon=str(key[3] or ""))
            self._rows[key] = row

    def _check_row(self, row: Mapping[str, Any]) -> None:
        variable = str(row.get("variable", "?"))
        scenario = str(row.get("scenario", "?"))
        where = {"path": self.path, "variable": variable, "scenario": scenario,
                 "horizon": str(row.get("horizon", ""))}
        if variable not in self.variables:
            raise ConfigError("climate.errors.unknown_variable", **where)
        set_name = str(row.get("set", DEFAULT_SET))
        if set_name not in SETS or (scenario != REFERENCE and scenario not in SETS[set_name]):
            raise ConfigError("climate.errors.unknown_scenario", set=set_name, **where)
        if scenario != REFERENCE and row.get("horizon") is None:
            raise ConfigError("climate.errors.no_horizon", **where)
        if not str(row.get("source") or "").strip():
            raise ConfigError("climate.errors.no_source", **where)
        if row.get("value") is None and row.get("change") is None:
            raise ConfigError("climate.errors.no_number", **where)

    # --- lookups ----------------------------------------------------------------------------------

    def reference(self, variable: str, set_name: str = DEFAULT_SET) -> ClimateValue | None:
        """The level of ``variable`` in the reference period of ``set_name`` (None when not sourced)."""
        row = self._rows.get((variable, set_name, REFERENCE, None))
        if row is None:
            return None
        value = _float(row, "value")
        return ClimateValue(variable=variable, set=set_name, scenario=REFERENCE, horizon=None, value=value,
                            change=0.0, unit=self.variables[variable].unit, source=str(row["source"]),
                            low=_float(row, "low"), high=_float(row, "high"))

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
        value, change = _float(row, "value"), _float(row, "change")
        if value is None and change is not None and ref_value is not None:
            value = ref_value + change if var.change == "difference" else ref_value * (1.0 + change / 100.0)
        if change is None and value is not None and ref_value is not None:
            if var.change == "difference":
                change = value - ref_value
            elif ref_value != 0:
                change = 100.0 * (value / ref_value - 1.0)
        source = str(row["source"])
        return ClimateValue(variable=variable, set=scenario.set, scenario=str(scenario.name),
                            horizon=scenario.horizon, value=value, change=change, unit=var.unit, source=source,
                            low=_float(row, "low"), high=_float(row, "high"))

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
            source = str(row["source"])
            if source not in out:
                out.append(source)
        return out


def load_climate_table(knowledge: Mapping[str, Any] | None = None) -> ClimateTable:
    """The table of knowledge file ``knmi_scenarios.toml`` (or of ``knowledge`` already read)."""
    if knowledge is None:
        from alliantie.knowledge import load_knowledge

        knowledge = load_knowledge(KNOWLEDGE)
    return ClimateTable(knowledge)


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
