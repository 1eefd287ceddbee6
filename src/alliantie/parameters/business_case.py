"""Parameters of the business case (step 5, ``strategy.business_case``), read from ``[parameters.business_case]``.

The amounts and the default shares live in the knowledge file ``business_case.toml``; the discount presets in
``economics.toml``. Start year and price level are those of ``vista.effects`` (the damage product's).

Example::

    [parameters.business_case]
    discount_presets = ["standard", "rate_2015", "rate_2007"]   # every case is computed at each preset
    horizons_years = [30, 60]
    headline_discount = "standard"
    headline_horizon_years = 30
    headline_scenario = "current"
    # the dossier's own shares (each sums to one), by measure or group id and by benefit id:
    cost_bearers = { wadi = { municipality = 0.7, water_board = 0.3 } }
    beneficiaries = { avoided_pluvial = { insurers = 0.4, owners_residents = 0.4, municipality = 0.2 } }
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from alliantie.parameters.damage import DiscountPreset

#: The parties of the business case, in report order.
PartyId = Literal["municipality", "water_board", "province", "owners_residents", "housing_corporations",
                  "businesses", "insurers"]
PARTIES: tuple[PartyId, ...] = ("municipality", "water_board", "province", "owners_residents",
                                "housing_corporations", "businesses", "insurers")
#: How far a row of shares may be from one (rounded shares such as 0.572 + 0.285 + 0.143).
SHARE_TOLERANCE = 1e-6

Shares = dict[PartyId, float]
#: Every case is computed at these presets of economics.toml unless the dossier chooses.
DEFAULT_PRESETS: tuple[DiscountPreset, ...] = ("standard", "rate_2015", "rate_2007")


def check_shares(shares: Mapping[Any, float]) -> None:
    """A ValueError unless ``shares`` are fractions in [0, 1] that sum to one."""
    if not shares:
        raise ValueError("give at least one party's share")
    bad = [p for p, v in shares.items() if not (0.0 <= v <= 1.0) or not math.isfinite(v)]
    if bad:
        raise ValueError(f"each share must lie between 0 and 1; not so for {', '.join(bad)}")
    total = sum(shares.values())
    if abs(total - 1.0) > SHARE_TOLERANCE:
        raise ValueError(f"the shares must add up to 1; these add up to {total:g}")


class BusinessCaseParameters(BaseModel):
    """Tunable choices of the business case."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    discount_presets: list[DiscountPreset] = Field(
        default_factory=lambda: list(DEFAULT_PRESETS), min_length=1,
        description="discount-rate presets of economics.toml at which every case is computed: 'standard' 2.25 "
        "%/year (Rapport werkgroep discontovoet 2020, the Dutch MKBA rate since 2021), the older 'rate_2015' 3 % "
        "and 'rate_2007' 5.5 % as sensitivity",
    )
    horizons_years: list[int] = Field(
        default_factory=lambda: [30, 60], min_length=1,
        description="appraisal horizons, years after the start year: 30 (TEEB Stad, MRA 2024) and 60 (HvA 2016 "
        "'Voor hetzelfde geld klimaatbestendig', the maatlat's subsidence costs)",
    )
    headline_discount: DiscountPreset = Field(
        "standard", description="the preset of the case the report and the strategy show first")
    headline_horizon_years: int = Field(30, description="the horizon of the headline case, years")
    headline_scenario: str = Field(
        "current", description="the climate scenario of the headline case ('current' is today's climate: the lower "
        "bound; the scenario range is in the tables)")
    headline_variant: Literal["alone", "meekoppelen"] = Field(
        "meekoppelen", description="the variant of the headline case: 'meekoppelen' (measures done with planned "
        "works where strategy.meekoppelen couples them) or 'alone'; without couplings the headline is 'alone'")
    cost_bearers: dict[str, dict[PartyId, float]] = Field(
        default_factory=dict, description="the dossier's own cost shares by measure or group id (each sums to one); "
        "they replace the rows of business_case.toml")
    beneficiaries: dict[str, dict[PartyId, float]] = Field(
        default_factory=dict, description="the dossier's own benefit shares by benefit id (avoided_pluvial, "
        "avoided_heat, avoided_drought, avoided_flood, sewer_storage, property_value, fine_dust; each sums to one)")

    @field_validator("horizons_years")
    @classmethod
    def _horizons(cls, value: list[int]) -> list[int]:
        if any(not 1 <= h <= 100 for h in value) or len(set(value)) != len(value):
            raise ValueError("horizons are distinct whole years between 1 and 100")
        return value

    @field_validator("cost_bearers", "beneficiaries")
    @classmethod
    def _sum_one(cls, value: dict[str, dict[PartyId, float]]) -> dict[str, dict[PartyId, float]]:
        for key, shares in value.items():
            try:
                check_shares(shares)
            except ValueError as exc:
                raise ValueError(f"{key}: {exc}") from None
        return value

    @model_validator(mode="after")
    def _headline(self) -> Self:
        if self.headline_discount not in self.discount_presets:
            raise ValueError("headline_discount must be one of discount_presets")
        if self.headline_horizon_years not in self.horizons_years:
            raise ValueError("headline_horizon_years must be one of horizons_years")
        return self
