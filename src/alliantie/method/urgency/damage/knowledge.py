"""The knowledge files the damage product reads, each parsed once into its model.

Seven files: ``damage_pluvial.toml`` (the STOWA WaterSchadeSchatter table, the LGN and
building-function class maps), ``damage_flood.toml`` (the JRC breach curves),
``economics.toml`` (discount-rate presets, CBS price index), ``rain_events.toml``
(return periods and labels of the cloudbursts), ``damage_heat.toml`` and
``damage_drought.toml`` (read by :mod:`alliantie.damage.heat` / ``.drought``), and
``knmi_scenarios.toml`` (the heat days per scenario). Each is the dossier's
replacement where it has one (``[knowledge]`` in ``dossier.toml``); a file that does
not fit its model is a ConfigError naming that file and the wrong fields.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from alliantie.climate.scenarios import KNOWLEDGE as KNMI_SCENARIOS_KNOWLEDGE
from alliantie.climate.scenarios import ClimateTable
from alliantie.damage.depth_damage import KNOWLEDGE as PLUVIAL_KNOWLEDGE
from alliantie.damage.depth_damage import DamageTable, PluvialDamageFile, load_damage_table
from alliantie.damage.drought import KNOWLEDGE as DROUGHT_KNOWLEDGE
from alliantie.damage.drought import DroughtDamageFile
from alliantie.damage.flood import KNOWLEDGE as FLOOD_KNOWLEDGE
from alliantie.damage.flood import FloodCurves, load_flood_curves
from alliantie.damage.heat import KNOWLEDGE as HEAT_KNOWLEDGE
from alliantie.damage.heat import HeatDamageFile
from alliantie.damage.npv import KNOWLEDGE as ECONOMICS_KNOWLEDGE
from alliantie.damage.npv import DiscountRate, EconomicsFile, discount_rate
from alliantie.dossier.registry import ProductContext
from alliantie.knowledge import knowledge_file
from alliantie.parameters.damage import DamageParameters

RAIN_EVENTS_KNOWLEDGE = "rain_events"


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

    #: ``economics.toml`` (the price index; :mod:`alliantie.damage.npv`)
    economics: EconomicsFile
    #: the chosen discount-rate preset of ``economics.toml``
    discount: DiscountRate
    #: ``damage_pluvial.toml`` (the class maps and event defaults are read from it)
    pluvial: PluvialDamageFile
    #: the WaterSchadeSchatter table of ``damage_pluvial.toml``
    table: DamageTable
    #: the breach curves of ``damage_flood.toml``
    flood_curves: FloodCurves
    rain_events: RainEvents
    #: ``damage_heat.toml``
    heat: HeatDamageFile
    #: ``damage_drought.toml``
    drought: DroughtDamageFile
    #: ``knmi_scenarios.toml``: the heat days per scenario
    climate: ClimateTable


def load_damage_knowledge(ctx: ProductContext, params: DamageParameters) -> DamageKnowledge:
    """Read and parse the seven knowledge files of the product."""

    def path(name: str) -> str:  # the file a ConfigError names: the dossier's replacement or the packaged file
        return str(knowledge_file(name, ctx.dossier.knowledge_override(name)))

    economics = EconomicsFile.from_toml(ctx.knowledge(ECONOMICS_KNOWLEDGE), path(ECONOMICS_KNOWLEDGE))
    pluvial = PluvialDamageFile.from_toml(ctx.knowledge(PLUVIAL_KNOWLEDGE), path(PLUVIAL_KNOWLEDGE))
    return DamageKnowledge(
        economics=economics,
        discount=discount_rate(economics, params.discount_rate),
        pluvial=pluvial,
        table=load_damage_table(pluvial),
        flood_curves=load_flood_curves(ctx.knowledge(FLOOD_KNOWLEDGE), path(FLOOD_KNOWLEDGE)),
        rain_events=RainEvents.model_validate(ctx.knowledge(RAIN_EVENTS_KNOWLEDGE)),
        heat=HeatDamageFile.from_toml(ctx.knowledge(HEAT_KNOWLEDGE), path(HEAT_KNOWLEDGE)),
        drought=DroughtDamageFile.from_toml(ctx.knowledge(DROUGHT_KNOWLEDGE), path(DROUGHT_KNOWLEDGE)),
        climate=ClimateTable(ctx.knowledge(KNMI_SCENARIOS_KNOWLEDGE), path(KNMI_SCENARIOS_KNOWLEDGE)),
    )
