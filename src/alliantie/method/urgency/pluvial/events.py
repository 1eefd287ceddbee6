"""Rain events for pluvial flooding and their scaling to a warmer climate.

The standard events (``knowledge/data/rain_events.toml``) are today's; a
scenario multiplies the rain depth by ``(1 + rate) ** delta_t``, the scaling of
hourly rain extremes with temperature (about 14 % per degree C, Lenderink &
Van Meijgaard 2008), where ``delta_t`` is the scenario's temperature change:
the KNMI'23 change of the summer mean temperature of the dossier's scenarios
(:func:`climate_scenarios`), or a given number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from alliantie.climate import ClimateScenario, ClimateTable
from alliantie.errors import ConfigError
from alliantie.method.urgency.pluvial.knowledge import RainEventsKnowledge

#: Id of today's climate.
CURRENT = "current"


@dataclass(frozen=True)
class RainEvent:
    """A standard cloudburst: rain depth (mm) over a duration (h) in today's climate."""

    id: str
    rain_mm: float
    duration_h: float
    return_period_years: float | None
    nl: str
    en: str


@dataclass(frozen=True)
class Scenario:
    """A climate for the events: ``current`` (delta_t 0) or a future year with its temperature change.

    ``id`` is the climate scenario id (``current``, ``Hd2050``); ``name`` the
    scenario's label (``KNMI'23 Hd``), empty for today's climate.
    """

    id: str
    delta_t_c: float
    year: int | None = None
    name: str = ""


@dataclass(frozen=True)
class Case:
    """One computation: an event in a scenario, with its scaled rain depth."""

    event: RainEvent
    scenario: Scenario
    rain_mm: float

    @property
    def id(self) -> str:
        return f"{self.event.id}_{self.scenario.id}"


def rain_events(knowledge: RainEventsKnowledge) -> dict[str, RainEvent]:
    """The events of ``rain_events.toml`` by id."""
    out: dict[str, RainEvent] = {}
    for row in knowledge.event:
        out[row.id] = RainEvent(
            id=row.id, rain_mm=row.rain_mm, duration_h=row.duration_h, return_period_years=row.return_period_years,
            nl=row.id if row.nl is None else row.nl, en=row.id if row.en is None else row.en,
        )
    return out


def scaling_factor(delta_t_c: float, rate_per_degree: float) -> float:
    """Factor on today's rain depth for a temperature change ``delta_t_c`` (exponential scaling).

    >>> round(scaling_factor(1.0, 0.14), 4)
    1.14
    >>> round(scaling_factor(2.0, 0.14), 4)
    1.2996
    >>> scaling_factor(0.0, 0.14)
    1.0
    """
    if delta_t_c < 0:
        raise ValueError("delta_t_c must be >= 0")
    return float((1.0 + rate_per_degree) ** delta_t_c)


def scenarios(delta_t_2050_c: float | None) -> list[Scenario]:
    """Today's climate, and a 2050 scenario ``2050`` with a given temperature change (None: today only)."""
    out = [Scenario(CURRENT, 0.0)]
    if delta_t_2050_c is not None:
        out.append(Scenario("2050", float(delta_t_2050_c), 2050))
    return out


def climate_scenarios(
    table: ClimateTable, climates: Sequence[ClimateScenario], variable: str = "t_mean_summer"
) -> tuple[list[Scenario], list[tuple[str, str]]]:
    """Scenarios with the temperature change of ``variable`` from the KNMI table, and the (variable, id) missing.

    A scenario whose temperature change has no sourced number is left out and
    listed as missing (never guessed).
    """
    out: list[Scenario] = []
    missing: list[tuple[str, str]] = []
    for climate in climates:
        if climate.is_current:
            out.append(Scenario(CURRENT, 0.0))
            continue
        change = table.change(variable, climate)
        if change is None:
            missing.append((variable, climate.id))
            continue
        out.append(Scenario(climate.id, max(float(change), 0.0), climate.horizon, f"{climate.set} {climate.name}"))
    return out, missing


def cases(
    knowledge: RainEventsKnowledge, event_ids: Sequence[str], climates: Sequence[Scenario], *, label: str = "events"
) -> list[Case]:
    """Every event in every scenario, with the scaled rain depth (events in the order asked)."""
    events = rain_events(knowledge)
    unknown = [e for e in event_ids if e not in events]
    if unknown:
        raise ConfigError("pluvial.errors.unknown_event", key=label, unknown=", ".join(unknown),
                          known=", ".join(events))
    rate = knowledge.scaling.rate_per_degree
    return [
        Case(events[e], s, events[e].rain_mm * scaling_factor(s.delta_t_c, rate))
        for e in event_ids
        for s in climates
    ]


def custom_case(rain_mm: float, duration_h: float = 2.0) -> Case:
    """A single event of ``rain_mm`` in today's climate (the standalone ``bluespots`` command)."""
    mm = f"{rain_mm:g}"
    event = RainEvent(f"rain{mm.replace('.', '_')}mm", float(rain_mm), duration_h, None,
                      f"{mm} mm", f"{mm} mm")
    return Case(event, Scenario(CURRENT, 0.0), float(rain_mm))
