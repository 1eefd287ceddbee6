"""The rules of the stresstest-light: traffic lights, focus areas and where a detailed stress test is needed.

Pure functions over what the four theme products leave behind (``theme.json`` +
``indicators.csv``, :mod:`alliantie.contract.theme`) and the share of the
area in severity class 2-3. The thresholds live in knowledge file
``stresstest.toml`` (each with its unit and source); ``docs/stresstest.md``
explains them.

* **Reference scenario** of a theme: the worst scenario (highest study-area total
  of the key indicator) at the first horizon the theme computed; today's climate
  when the theme computed nothing else.
* **Traffic light** (0 low, 1 moderate, 2 high): the worst of the light from the
  area share (``[area_share]``) and the light from the key indicator's total
  (``[[theme]]``), both in the reference scenario.
* **Focus areas**: the ``[focus] count`` neighbourhoods with the highest key
  indicator (value above zero) in the reference scenario.
* **Detailed stress test**: every ``[[rule]]`` of the theme whose indicator reaches
  ``minimum`` in a neighbourhood (or in the study area when there are no
  neighbourhoods) in the reference scenario, and, for a rule with ``relative``,
  also that fraction of the highest neighbourhood value of the area.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import Field, field_validator

from alliantie.contract.theme import IndicatorValue, ThemeSummary
from alliantie.knowledge.model import KnowledgeModel, NonBlank, SourcedTable, parse_knowledge

LOW, MODERATE, HIGH = 0, 1, 2
#: Traffic-light colours (green, amber, red) and the grey of a theme that was not assessed.
LIGHT_COLORS = {LOW: "#2e9e44", MODERATE: "#f0a202", HIGH: "#d7301f"}
NOT_ASSESSED_COLOR = "#9aa3a8"
#: Code of the study-area total in ``indicators.csv``.
TOTAL = ""


KNOWLEDGE = "stresstest"


class AreaShare(SourcedTable):
    """``[area_share]``: the share of the area in severity class 2-3 that turns a light moderate / high."""

    moderate: float = Field(ge=0, le=1, description="share of the area (fraction) in severity 2-3: moderate")
    high: float = Field(ge=0, le=1, description="share of the area (fraction) in severity 2-3: high")


class ThemeLight(SourcedTable):
    """``[[theme]]``: key indicator of a theme and the study-area totals that turn its light moderate / high."""

    theme: str = Field(description="theme id (flood, pluvial, drought, heat)")
    indicator: str = Field(description="indicator id of the theme's theme.json")
    moderate: float = Field(ge=0, description="total (unit of the indicator) from which the light is moderate")
    high: float = Field(ge=0, description="total (unit of the indicator) from which the light is high")


class DetailRule(SourcedTable):
    """``[[rule]]``: a detailed stress test is needed where ``indicator`` reaches ``minimum`` in a neighbourhood."""

    theme: str = Field(description="theme id")
    indicator: str = Field(description="indicator id of the theme's theme.json")
    minimum: float = Field(ge=0, description="value per neighbourhood (unit) from which the rule fires")
    relative: float | None = Field(
        None, gt=0, le=1,
        description="fraction of the area's highest neighbourhood value that a neighbourhood must also reach: the "
        "rule then names where the problem concentrates, not every neighbourhood above the floor `minimum`")

    def threshold(self, values: Sequence[float]) -> float:
        """The value a neighbourhood must reach: ``minimum``, or ``relative`` x the highest of ``values`` if larger."""
        if self.relative is None or not values:
            return self.minimum
        return max(self.minimum, self.relative * max(values))


class Focus(SourcedTable):
    """``[focus]``: how many neighbourhoods are named as focus areas per theme."""

    count: int = Field(ge=1, le=20, description="neighbourhoods named as focus areas per theme")


class StresstestKnowledge(KnowledgeModel):
    """Contents of knowledge file ``stresstest.toml`` (units and sources there)."""

    title: str = ""
    source: NonBlank = Field(description="where the method and its thresholds come from")
    area_share: AreaShare
    theme: list[ThemeLight] = Field(description="key indicator and light thresholds per theme")
    rule: list[DetailRule] = Field(description="rules for a detailed stress test")
    focus: Focus

    @field_validator("theme")
    @classmethod
    def _one_light_per_theme(cls, rows: list[ThemeLight]) -> list[ThemeLight]:
        repeated = sorted({r.theme for r in rows if [x.theme for x in rows].count(r.theme) > 1})
        if repeated:
            raise ValueError(f"one [[theme]] per theme; repeated: {', '.join(repeated)}")
        return rows

    @property
    def themes(self) -> dict[str, ThemeLight]:
        """Key indicator and light thresholds by theme id."""
        return {row.theme: row for row in self.theme}

    @classmethod
    def from_toml(cls, data: Mapping[str, Any], path: str = f"{KNOWLEDGE}.toml") -> StresstestKnowledge:
        """The parsed file checked; a ConfigError naming ``path`` and the wrong fields when it does not fit."""
        return parse_knowledge(cls, data, path)


@dataclass(frozen=True)
class Place:
    """A neighbourhood (``code`` "" = the whole study area) with a value."""

    code: str
    name: str
    value: float


@dataclass(frozen=True)
class Trigger:
    """A rule that fired: where, the value, and the rule."""

    rule: DetailRule
    places: tuple[Place, ...]
    #: the value the places reached: the rule's minimum, or its relative bound when larger
    threshold: float = 0.0


@dataclass
class ThemeAssessment:
    """The stresstest-light verdict on one theme."""

    theme: str
    assessed: bool
    #: The key indicator (id in the theme's theme.json).
    indicator: str = ""
    #: i18n key saying why the theme was not assessed (None when assessed).
    reason: str | None = None
    scenario: str = "current"
    share: float | None = None
    key_current: float | None = None
    key_reference: float | None = None
    light: int | None = None
    focus: list[Place] = field(default_factory=list)
    triggers: list[Trigger] = field(default_factory=list)

    @property
    def detail_places(self) -> list[str]:
        """Names of the places where any rule fired, in order of first appearance."""
        names = [p.name for t in self.triggers for p in t.places]
        return list(dict.fromkeys(names))


def light_level(value: float | None, moderate: float, high: float) -> int:
    """0 low, 1 moderate (``value`` >= ``moderate``), 2 high (``value`` >= ``high``); low when unknown."""
    if value is None or value != value:  # NaN: no number
        return LOW
    if value >= high:
        return HIGH
    if value >= moderate:
        return MODERATE
    return LOW


def severity_share(severity: Any) -> float | None:
    """Share of the cells with a severity class (not 255) that are in class 2 or 3; None without any."""
    import numpy as np

    data = np.asarray(severity)
    inside = data != 255
    total = int(inside.sum())
    if total == 0:
        return None
    return float(((data == 2) | (data == 3)).sum() / total)


def value_table(values: Sequence[IndicatorValue]) -> dict[tuple[str, str, str], float]:
    """(scenario, code, indicator) -> value."""
    return {(v.scenario, v.code, v.indicator): v.value for v in values}


def reference_scenario(summary: ThemeSummary, values: Sequence[IndicatorValue], indicator: str) -> str:
    """The worst scenario (highest total of ``indicator``) at the first horizon of the theme; else ``current``."""
    table = value_table(values)
    future = [s for s in summary.scenarios if s != "current" and s[-4:].isdigit()]
    if not future:
        return "current"
    first = min(int(s[-4:]) for s in future)
    candidates = [s for s in future if int(s[-4:]) == first]
    # ties go to the later scenario: dossiers list the scenarios from mild to severe (Ln before Hd)
    return max(candidates, key=lambda s: (table.get((s, TOTAL, indicator), float("-inf")), candidates.index(s)))


def assess(
    summary: ThemeSummary,
    values: Sequence[IndicatorValue],
    knowledge: StresstestKnowledge,
    share: float | None,
    scenario: str | None = None,
) -> ThemeAssessment:
    """Light, focus areas and fired rules of one assessed theme.

    ``share`` is the share of the area in severity class 2-3 in ``scenario``
    (default: :func:`reference_scenario`); None when the theme wrote no severity.
    """
    theme = summary.theme
    key = knowledge.themes[theme]
    table = value_table(values)
    if scenario is None:
        scenario = reference_scenario(summary, values, key.indicator)
    names = {v.code: v.name for v in values if v.code != TOTAL}
    key_total = table.get((scenario, TOTAL, key.indicator))
    light = max(light_level(share, knowledge.area_share.moderate, knowledge.area_share.high),
                light_level(key_total, key.moderate, key.high))
    ranked = sorted(
        (Place(code, name, table[(scenario, code, key.indicator)]) for code, name in names.items()
         if (scenario, code, key.indicator) in table),
        key=lambda p: -p.value,
    )
    focus = [p for p in ranked if p.value > 0][: knowledge.focus.count]
    triggers: list[Trigger] = []
    for rule in knowledge.rule:
        if rule.theme != theme:
            continue
        codes = list(names) or [TOTAL]
        found = [table[(scenario, code, rule.indicator)] for code in names if (scenario, code, rule.indicator) in table]
        bound = rule.threshold(found)  # without neighbourhoods (found empty): the minimum
        hits = [Place(code, names.get(code, ""), table[(scenario, code, rule.indicator)]) for code in codes
                if table.get((scenario, code, rule.indicator), float("-inf")) >= bound]
        if hits:
            triggers.append(Trigger(rule, tuple(sorted(hits, key=lambda p: -p.value)), bound))
    return ThemeAssessment(
        theme=theme, assessed=True, indicator=key.indicator, scenario=scenario, share=share,
        key_current=table.get(("current", TOTAL, key.indicator)), key_reference=key_total,
        light=light, focus=focus, triggers=triggers,
    )


__all__ = [
    "HIGH", "LIGHT_COLORS", "LOW", "MODERATE", "NOT_ASSESSED_COLOR", "AreaShare", "DetailRule", "Focus", "Place",
    "StresstestKnowledge",
    "ThemeAssessment", "ThemeLight", "Trigger", "assess", "light_level", "reference_scenario", "severity_share",
    "value_table",
]
