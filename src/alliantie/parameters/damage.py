"""Parameters of the damage product (costs of doing nothing, issue 5), read from ``[parameters.damage]``.

Units are in the names; every default has its reasoning or source in the field
description (more in ``docs/costs.md``). The amounts themselves live in the
knowledge files ``damage_pluvial.toml`` (STOWA WaterSchadeSchatter) and
``economics.toml`` (discount rates, CBS price index).

Example::

    [parameters.damage]
    start_year = 2025
    price_year = 2024
    discount_rate = "standard"           # 2.25 %; "rate_2015" 3 %, "rate_2007" 5.5 %
    breach_probability_per_year = 3.3e-4   # the user's own number for this breach (a norm is no breach probability)
    evacuation_fraction = 0.0              # optional: share evacuated before the breach
    breach_rise_rate_m_per_h = 1.0         # optional: from a flood simulation of the breach
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

DiscountPreset = Literal["standard", "rate_2015", "rate_2007"]
EaRule = Literal["trapezoid", "loglinear", "events"]


class DamageParameters(BaseModel):
    """Tunable numbers of the damage product."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    start_year: int = Field(
        2025, ge=2000, le=2100,
        description="first year (year 0, undiscounted) of the damage path, calendar year. alliantie estimate: a "
        "fixed year keeps a dossier reproducible (the year of the run would change the answer every January); "
        "2025 is the first year of the KNMI'23 scenarios' horizons in the dossier configuration",
    )
    horizon_year: int = Field(
        2050, ge=2025, le=2150,
        description="last year of the net present value, calendar year (issue 5: the damage path from today to "
        "2050, as the CliCo tool); years after it are the speculative trend",
    )
    trend_end_year: int = Field(
        2100, ge=2025, le=2200,
        description="last year of the speculative trend after the horizon, calendar year (alliantie estimate: the "
        "last horizon of the KNMI'23 scenarios); 0 years of trend when equal to horizon_year",
    )
    discount_rate: DiscountPreset = Field(
        "standard",
        description="discount-rate preset of economics.toml: 'standard' 2.25 %/year (Rapport werkgroep "
        "discontovoet 2020), 'rate_2015' 3 %/year (Kamerbrief discontovoet 2015), 'rate_2007' 5.5 %/year (older "
        "WaterSchadeSchatter cost-benefit numbers)",
    )
    price_year: int = Field(
        2024, ge=2000, le=2100,
        description="price level of every amount in the report, calendar year; amounts are converted with the CBS "
        "consumer price index of economics.toml (alliantie estimate: 2024 is its latest full year)",
    )
    exposure_growth: float = Field(
        0.0, ge=-0.05, le=0.1,
        description="growth of the exposed value per year, fraction per year (0.01 = 1 %), applied to every "
        "year's damage from start_year (issue 5: optional; default 0 = today's exposure, climate change only)",
    )
    rule: EaRule = Field(
        "trapezoid",
        description="integration rule of the expected annual damage of pluvial flooding: 'trapezoid' (STOWA "
        "WaterSchadeSchatter, the default of issue 5), 'loglinear' (Delft-FIAT) or 'events' (CLIMADA); the others "
        "are reported as a sensitivity line",
    )
    incident_event: str = Field(
        "t1000",
        description="id of the rain event (rain_events.toml) whose damage in today's climate is reported as the "
        "pluvial incident cost (issue 5 item 4; default t1000, 140 mm in 2 hours)",
    )
    breach_duration_h: float = Field(
        72.0, gt=0, le=2000,
        description="duration of the inundation after a breach, h, for the WaterSchadeSchatter duration factor. "
        "alliantie estimate: a polder behind a breach stays wet for days to weeks (pumping out takes days); 72 h is "
        "the WSS node '3 dagen'. SSM2017 itself has no duration factor",
    )
    breach_probability_per_year: float | None = Field(
        None, gt=0, le=0.1,
        description="probability per year of the breach of the flood product, 1/year. Source: the user: the water "
        "board's or a flood-risk study's probability of this breach (a trajectory norm of Waterwet bijlage II, such "
        "as 1/3000 per year, bounds the flooding probability of a whole trajectory and is not the probability of "
        "this breach). The report says it is the user's number. None (default): the flood's annual damage and its "
        "net present value are not valued; the breach is reported as an incident",
    )

    evacuation_fraction: float | None = Field(
        None, ge=0, le=1,
        description="share of the residents evacuated before the breach, fraction (0-1), for the victims of the "
        "breach. Source: the user (the safety region's evacuation plan, or the evacuation fractions of a national "
        "study). None (default): the value of damage_flood.toml [evacuation] (0: no evacuation, the convention of "
        "the plaatsgebonden risico)",
    )
    breach_rise_rate_m_per_h: float | None = Field(
        None, gt=0, le=100,
        description="rise rate of the water after the breach, m/h, from a flood simulation of this breach (the "
        "static flood product has none). With it, Jonkman's rapidly-rising mortality function applies where the "
        "water is 2.1 m or deeper and the rate reaches 0.5 m/h; None (default): the remaining-zone function "
        "everywhere, a lower bound near the breach",
    )

    @model_validator(mode="after")
    def _years(self) -> DamageParameters:
        if not self.start_year < self.horizon_year <= self.trend_end_year:
            raise ValueError("give start_year < horizon_year <= trend_end_year")
        return self
