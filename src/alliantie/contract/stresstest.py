"""Typed ``urgency.stresstest/summary.json``: the stresstest-light verdict per theme, machine-readable.

The model mirrors the file the product writes, field for field (the layout of
the files saved so far). ``alliantie stresstest`` reads it to say which themes
were assessed; anything else that wants the verdict reads it with
:func:`read_stresstest_summary`, never as a dict.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from alliantie.contract.names import Theme
from alliantie.contract.spec import Text
from alliantie.contract.summaries import SUMMARY_FILE, read_summary, write_summary

#: The one-page summary of the product (also copied next to ``dossier.toml`` by ``alliantie stresstest``).
PDF_FILE = "stresstest.pdf"


class _Summary(BaseModel):
    # a NaN is written as NaN (as json.dumps did), not as null
    model_config = ConfigDict(extra="forbid", frozen=True, ser_json_inf_nan="constants")


class Light(StrEnum):
    """The traffic light of a theme."""

    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"


#: The lights by level (0 low, 1 moderate, 2 high, as :mod:`alliantie.method.stresstest.rules` counts them).
LIGHTS: tuple[Light, Light, Light] = (Light.LOW, Light.MODERATE, Light.HIGH)


class PlaceValue(_Summary):
    """A neighbourhood (``code`` "" = the whole study area) with the value of an indicator."""

    code: str
    name: str
    value: float


class FiredRule(_Summary):
    """A rule for a detailed stress test that fired, and where (largest value first)."""

    indicator: str
    minimum: float = Field(description="value from which the rule fires (unit of the indicator)")
    places: list[PlaceValue]


class ThemeVerdict(_Summary):
    """The verdict on one theme, or why it was not assessed."""

    assessed: bool
    reason: str | None = Field(description="i18n key of why the theme was not assessed; None when assessed")
    indicator: str | None = Field(description="the key indicator (id in the theme's theme.json)")
    scenario: str | None = Field(description="the reference scenario; None when not assessed")
    share_moderate_high: float | None = Field(description="share of the area in severity class 2-3 (fraction)")
    key_current: float | None = Field(description="study-area total of the key indicator today")
    key_reference: float | None = Field(description="study-area total of the key indicator, reference scenario")
    light: Light | None
    focus: list[PlaceValue] = Field(description="the neighbourhoods with the highest key indicator")
    detail: list[FiredRule] = Field(description="the rules that ask for a detailed stress test")
    sentence: Text = Field(description="the sentence on a detailed stress test")


class DamageRange(_Summary):
    """One theme of product ``urgency.damage``: present-value ranges to the horizon (EUR), or its status."""

    theme: str
    status: str
    total: tuple[float, float] | None = Field(description="(low, high) present value of all damage")
    extra: tuple[float, float] | None = Field(description="(low, high) present value of the climate-change part")


class DamageRanges(_Summary):
    """What the stresstest-light took from ``damage.json``."""

    price_year: int | None
    rows: list[DamageRange]


class StresstestSummary(_Summary):
    """``urgency.stresstest/summary.json``."""

    name: str = Field(description="the dossier name")
    themes: dict[Theme, ThemeVerdict]
    notes: list[Text] = Field(description="notes on data and assumptions")
    damage: DamageRanges | None = Field(description="None when the damage product was not computed")
    inputs: list[str] = Field(description="the dossier inputs that were given (placeholders left out)")


def write_stresstest_summary(folder: Path, summary: StresstestSummary) -> Path:
    """Write ``summary`` as ``folder/summary.json``."""
    return write_summary(folder, summary, SUMMARY_FILE)


def read_stresstest_summary(folder: Path) -> StresstestSummary | None:
    """The ``summary.json`` of a saved ``urgency.stresstest``; None when the file does not exist."""
    return read_summary(folder, StresstestSummary, SUMMARY_FILE)


__all__ = [
    "LIGHTS", "PDF_FILE", "DamageRange", "DamageRanges", "FiredRule", "Light", "PlaceValue", "StresstestSummary",
    "ThemeVerdict", "read_stresstest_summary", "write_stresstest_summary",
]
