"""The knowledge files the damage product reads, parsed once.

Seven files: ``damage_pluvial.toml`` (the STOWA WaterSchadeSchatter table, the LGN and
building-function class maps), ``damage_flood.toml`` (the JRC breach curves),
``economics.toml`` (discount-rate presets, CBS price index), ``rain_events.toml``
(return periods and labels of the cloudbursts), ``damage_heat.toml`` and
``damage_drought.toml`` (read by :mod:`alliantie.damage.heat` / ``.drought``, with the
dossier's ``economics`` and ``knmi_scenarios``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from alliantie.damage.depth_damage import KNOWLEDGE as PLUVIAL_KNOWLEDGE
from alliantie.damage.depth_damage import DamageTable, load_damage_table
from alliantie.damage.drought import KNOWLEDGE as DROUGHT_KNOWLEDGE
from alliantie.damage.flood import KNOWLEDGE as FLOOD_KNOWLEDGE
from alliantie.damage.flood import FloodCurves, load_flood_curves
from alliantie.damage.heat import KNOWLEDGE as HEAT_KNOWLEDGE
from alliantie.damage.npv import KNOWLEDGE as ECONOMICS_KNOWLEDGE
from alliantie.damage.npv import DiscountRate, discount_presets
from alliantie.dossier.registry import ProductContext
from alliantie.parameters.damage import DamageParameters

RAIN_EVENTS_KNOWLEDGE = "rain_events"
KNMI_SCENARIOS_KNOWLEDGE = "knmi_scenarios"


class RainEvent(BaseModel):
    """One standard cloudburst of ``rain_events.toml`` (``[[event]]``), as far as the damage product reads it."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str
    rain_mm: float = Field(description="rain depth in today's climate, mm")
    duration_h: float = Field(description="duration, h")
    return_period_years: float = Field(description="return period in today's climate, years (the EAD needs it)")
    unit: str = ""
    nl: str | None = None
    en: str | None = None
    source: str = ""

    @property
    def labels(self) -> tuple[str, str]:
        """The (nl, en) label; the id where none is given."""
        return (self.nl if self.nl is not None else self.id, self.en if self.en is not None else self.id)


class RainEvents(BaseModel):
    """``rain_events.toml``: the events (the climate scaling is the pluvial product's business)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    event: list[RainEvent] = []

    @property
    def return_periods(self) -> dict[str, float]:
        """Event id -> return period, years."""
        return {e.id: e.return_period_years for e in self.event}

    @property
    def labels(self) -> dict[str, tuple[str, str]]:
        """Event id -> (nl, en) label."""
        return {e.id: e.labels for e in self.event}


@dataclass(frozen=True)
class DamageKnowledge:
    """The parsed knowledge of the product (a dossier's replacements included)."""

    #: ``economics.toml`` as parsed TOML (:mod:`alliantie.damage.npv` reads the price index from it)
    economics: dict[str, Any]
    #: the chosen discount-rate preset of ``economics.toml``
    discount: DiscountRate
    #: ``damage_pluvial.toml`` as parsed TOML (the class maps and event defaults are read from it)
    pluvial: dict[str, Any]
    #: the WaterSchadeSchatter table of ``damage_pluvial.toml``
    table: DamageTable
    #: the breach curves of ``damage_flood.toml``
    flood_curves: FloodCurves
    rain_events: RainEvents
    #: ``damage_heat.toml`` with the dossier's ``economics`` and ``knmi_scenarios`` under those keys
    heat: dict[str, Any]
    #: ``damage_drought.toml`` likewise
    drought: dict[str, Any]


def load_damage_knowledge(ctx: ProductContext, params: DamageParameters) -> DamageKnowledge:
    """Read and parse the seven knowledge files of the product."""
    economics = ctx.knowledge(ECONOMICS_KNOWLEDGE)
    pluvial = ctx.knowledge(PLUVIAL_KNOWLEDGE)
    scenarios = ctx.knowledge(KNMI_SCENARIOS_KNOWLEDGE)

    def with_context(name: str) -> dict[str, Any]:  # the dossier's own versions of the files they read too
        return {**ctx.knowledge(name), "economics": economics, "knmi_scenarios": scenarios}

    return DamageKnowledge(
        economics=economics,
        discount=discount_presets(economics)[params.discount_rate],
        pluvial=pluvial,
        table=load_damage_table(pluvial),
        flood_curves=load_flood_curves(ctx.knowledge(FLOOD_KNOWLEDGE)),
        rain_events=RainEvents.model_validate(ctx.knowledge(RAIN_EVENTS_KNOWLEDGE)),
        heat=with_context(HEAT_KNOWLEDGE),
        drought=with_context(DROUGHT_KNOWLEDGE),
    )
