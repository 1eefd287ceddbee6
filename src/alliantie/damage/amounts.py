"""An amount of damage with its range, unit, price year and sources: what every theme's damage function returns.

Each climate-effect theme has a damage function in ``alliantie.damage.<theme>``
that turns the theme product's saved indicators (``theme.json`` +
``indicators.csv``, see :mod:`alliantie.contract.theme`) into a
:class:`ThemeDamage`: per climate scenario the expected annual damage as a
low/mean/high :class:`DamageRange`, plus the damage of single incidents where
the theme has them. The damage product sums, discounts and ranges them.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DamageRange:
    """Low, mean and high amount in euro at ``price_year`` (per year for annual damage)."""

    low: float
    mean: float
    high: float
    price_year: int
    sources: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not (0 <= self.low <= self.mean <= self.high):
            raise ValueError(f"damage range must satisfy 0 <= low <= mean <= high, got {self.low}, {self.mean}, "
                             f"{self.high}")

    def scaled(self, factor: float, price_year: int | None = None) -> DamageRange:
        """The range times ``factor`` (e.g. a price-index factor to ``price_year``)."""
        return DamageRange(self.low * factor, self.mean * factor, self.high * factor,
                           self.price_year if price_year is None else price_year, self.sources)

    def __add__(self, other: DamageRange) -> DamageRange:
        if other.price_year != self.price_year:
            raise ValueError("add damage ranges at the same price year")
        return DamageRange(self.low + other.low, self.mean + other.mean, self.high + other.high, self.price_year,
                           tuple(dict.fromkeys((*self.sources, *other.sources))))


@dataclass(frozen=True)
class Incident:
    """The damage of one event (a storm, a breach, a heat wave) in one climate scenario."""

    id: str
    scenario: str
    label_nl: str
    label_en: str
    damage: DamageRange


@dataclass
class ThemeDamage:
    """A theme's damage: expected annual damage per scenario id, incidents, and what it leaves out."""

    theme: str
    annual: dict[str, DamageRange] = field(default_factory=dict)
    incidents: list[Incident] = field(default_factory=list)
    #: What the amounts include, in both languages (for the report's drivers line).
    basis_nl: str = ""
    basis_en: str = ""
    #: One sentence for the note under the table of annual damage (e.g. how heat counted lost labour), or "".
    note_nl: str = ""
    note_en: str = ""
    #: (item, scenario id) that could not be valued because a sourced number is missing.
    missing: list[tuple[str, str]] = field(default_factory=list)
