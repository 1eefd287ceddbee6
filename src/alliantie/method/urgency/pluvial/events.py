"""Rain events for pluvial flooding: an event series from the KNMI'23 statistics, and the standard stress-test maps.

Two kinds of event (:class:`RainEvent.kind`):

* ``series``: a design storm of ``duration_h`` hours for each return period of
  the series (2 ... 1000 years) in today's climate and in every scenario of the
  dossier, its depth from the KNMI'23 extreme-rain statistics
  (:class:`alliantie.climate.design_storms.DesignStorms`: the scenario's own
  column of the statistics, not a rule of thumb). The damage product integrates
  these into the expected annual damage.
* ``stress``: the events of the national stress-test maps of the
  Klimaateffectatlas (70 and 140 mm in 2 hours, ``rain_events.toml``), today
  only: the standard maps, shown as such, not part of the annual damage.

A scenario for which the statistics have no number (an M scenario without its
warming, a horizon other than 2050 and 2100) is left out and listed as missing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from alliantie.climate import ClimateScenario
from alliantie.climate.design_storms import DesignStorms
from alliantie.errors import ConfigError
from alliantie.method.urgency.pluvial.knowledge import RainEventsKnowledge

#: Id of today's climate.
CURRENT = "current"
EventKind = Literal["series", "stress"]
SERIES: EventKind = "series"
STRESS: EventKind = "stress"
#: What a scenario without a number of the statistics is missing (the (variable, scenario) pairs of theme.json).
MISSING_VARIABLE = "rain_statistics"


@dataclass(frozen=True)
class RainEvent:
    """A cloudburst: its depth (mm) over a duration (h) in today's climate and how often it is exceeded."""

    id: str
    rain_mm: float
    duration_h: float
    return_period_years: float | None
    nl: str
    en: str
    kind: EventKind = STRESS


@dataclass(frozen=True)
class Scenario:
    """A climate: ``current`` or a KNMI'23 scenario around a horizon year.

    ``id`` is the climate scenario id (``current``, ``Hd2050``); ``name`` the
    scenario's label (``KNMI'23 Hd``), empty for today's climate.
    """

    id: str
    year: int | None = None
    name: str = ""


@dataclass(frozen=True)
class Case:
    """One computation: an event in a scenario, with its rain depth there.

    ``shown``: its depth raster is written and drawn (the report's cases); every
    case is valued and counted.
    """

    event: RainEvent
    scenario: Scenario
    rain_mm: float
    shown: bool = False

    @property
    def id(self) -> str:
        return f"{self.event.id}_{self.scenario.id}"


def series_event_id(return_period_years: float) -> str:
    """Id of the series event of a return period: ``rp100``, ``rp2_5`` (safe in file and column names)."""
    return "rp" + f"{return_period_years:g}".replace(".", "_")


def rain_events(knowledge: RainEventsKnowledge) -> dict[str, RainEvent]:
    """The stress-test events of ``rain_events.toml`` by id."""
    out: dict[str, RainEvent] = {}
    for row in knowledge.event:
        out[row.id] = RainEvent(
            id=row.id, rain_mm=row.rain_mm, duration_h=row.duration_h, return_period_years=row.return_period_years,
            nl=row.id if row.nl is None else row.nl, en=row.id if row.en is None else row.en, kind=STRESS,
        )
    return out


def to_scenario(climate: ClimateScenario) -> Scenario:
    """The pluvial :class:`Scenario` of a dossier climate scenario."""
    if climate.is_current:
        return Scenario(CURRENT)
    return Scenario(climate.id, climate.horizon, f"{climate.set} {climate.name}")


def series_cases(
    storms: DesignStorms, return_periods: Sequence[float], duration_h: float,
    climates: Sequence[ClimateScenario], *, shown_return_period: float | None = None,
) -> tuple[list[Case], list[tuple[str, str]]]:
    """The design storm of every return period in every scenario, and the (variable, scenario) pairs missing.

    Ordered by scenario, then return period (frequent to rare). The case of
    ``shown_return_period`` is marked ``shown`` in every scenario.
    """
    events = []
    for t in return_periods:
        depth = storms.depth_mm(t, duration_h)
        assert depth is not None  # today's climate always has a column
        events.append(RainEvent(
            id=series_event_id(t), rain_mm=depth, duration_h=duration_h, return_period_years=float(t),
            nl=f"bui van {duration_h:g} uur, eens per {t:g} jaar", en=f"{duration_h:g}-hour storm, once in {t:g} years",
            kind=SERIES,
        ))
    out: list[Case] = []
    missing: list[tuple[str, str]] = []
    for climate in climates:
        depths = [storms.depth_mm(t, duration_h, climate) for t in return_periods]
        if any(d is None for d in depths):
            missing.append((MISSING_VARIABLE, climate.id))
            continue
        scenario = to_scenario(climate)
        for event, depth in zip(events, depths, strict=True):
            assert depth is not None
            out.append(Case(event, scenario, float(depth),
                            shown=shown_return_period is not None and event.return_period_years == shown_return_period))
    return out, missing


def stress_cases(knowledge: RainEventsKnowledge, event_ids: Sequence[str], *,
                 label: str = "parameters.pluvial.events") -> list[Case]:
    """The stress-test events asked for, in today's climate only (their depth as published), all shown."""
    events = rain_events(knowledge)
    unknown = [e for e in event_ids if e not in events]
    if unknown:
        raise ConfigError("pluvial.errors.unknown_event", key=label, unknown=", ".join(unknown),
                          known=", ".join(events))
    return [Case(events[e], Scenario(CURRENT), events[e].rain_mm, shown=True) for e in event_ids]


def custom_case(rain_mm: float, duration_h: float = 2.0) -> Case:
    """A single event of ``rain_mm`` in today's climate (the standalone ``bluespots`` command)."""
    mm = f"{rain_mm:g}"
    event = RainEvent(f"rain{mm.replace('.', '_')}mm", float(rain_mm), duration_h, None,
                      f"{mm} mm", f"{mm} mm")
    return Case(event, Scenario(CURRENT), float(rain_mm), shown=True)
