"""Typed ``business_case.json`` of ``strategy.business_case``: what each party invests and what it saves.

For a set of measures (the dossier's sketch or a workshop synthesis): costs (investment, maintenance,
replacement within the horizon) and benefits (avoided damage per theme from the effect engine, sourced
co-benefits), each allocated to the parties that pay or gain. One :class:`Case` per discount preset x
horizon x variant (``alone`` or ``meekoppelen``) x scenario; per party and in total the present values,
net present value, benefit-cost ratio, internal rate of return and payback year. Amounts in euro at
``price_year``, discounted to ``start_year``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from alliantie.io.atomic import atomic_file

BUSINESS_CASE_FILE = "business_case.json"

Variant = Literal["alone", "meekoppelen"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Name(_Model):
    nl: str
    en: str


class Result(_Model):
    """Present values and the indicators derived from them, for one party or the total."""

    pv_costs_eur: float = Field(ge=0.0)
    pv_benefits_eur: float = Field(ge=0.0)
    npv_eur: float
    bcr: float | None  #: benefits / costs; None when the party bears no cost
    irr: float | None  #: internal rate of return (fraction per year); None when it does not exist
    payback_year: int | None  #: first calendar year the discounted cumulative net turns positive; None: never
    #: present value per item: "investment", "maintenance", "replacement", "avoided_<theme>", "<co-benefit id>"
    items_eur: dict[str, float] = {}


class Case(_Model):
    discount: str  #: discount preset name (economics.toml)
    discount_rate: float  #: fraction per year, real
    horizon_years: int
    variant: Variant
    scenario: str  #: the scenario of the avoided damage ("today", "Ln2050", ...)
    parties: dict[str, Result]  #: party id -> result
    total: Result


class Party(_Model):
    id: str  #: municipality, water_board, province, owners_residents, housing_corporations, businesses, insurers
    name: Name


class BusinessCaseFile(_Model):
    measure_set: str  #: the sketch, synthesis or inspiration map the measures come from
    price_year: int
    start_year: int
    parties: list[Party]
    cases: list[Case]
    #: the case the report and the strategy show first
    headline: Case
    #: cost bearer -> beneficiary -> EUR (present value, headline case)
    matrix_eur: dict[str, dict[str, float]]
    #: effects not valued in euros, named (nl/en), with why
    not_valued: list[Name]


def write_business_case(folder: Path, data: BusinessCaseFile) -> Path:
    """Write ``business_case.json`` into ``folder`` (atomically)."""
    target = Path(folder) / BUSINESS_CASE_FILE
    with atomic_file(target) as tmp:
        tmp.write_text(data.model_dump_json(indent=1) + "\n", encoding="utf-8")
    return target


def read_business_case(folder: Path) -> BusinessCaseFile:
    """The ``business_case.json`` of ``folder``."""
    return BusinessCaseFile.model_validate_json((Path(folder) / BUSINESS_CASE_FILE).read_text(encoding="utf-8"))
