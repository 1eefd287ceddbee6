"""The legend of the inspiration maps: system-level goals, not loose measures.

The seed's lessons ask for a legend of goals that refer on to measures (§6.2). A
measure belongs to the goal of its first water principle (catalogue field
``principles``: infiltrate, retain, circulate, drain; the catalogue lists the
measure's main principle first); a measure without a water principle (heat,
flood safety) belongs to its climate principle (``climate_principle``: prevent,
spatial prevention, limit the consequences). Seven goals in a fixed order, each
with its colour; a legend entry names the goal and the measures under it.
"""

from __future__ import annotations

from collections.abc import Iterable

from alliantie.contract.spec import Text, catalogue_text
from alliantie.knowledge.measures import Measure

#: The goals in legend order: the four water principles, then the three climate principles.
GOALS: tuple[str, ...] = ("water.infiltrate", "water.retain", "water.circulate", "water.drain",
                          "climate.prevent", "climate.spatial_prevention", "climate.limit_consequences")
#: Colour per goal: water in earth-to-blue hues (ColorBrewer), climate in green, purple, red.
GOAL_COLORS: dict[str, str] = {
    "water.infiltrate": "#d95f0e", "water.retain": "#2171b5", "water.circulate": "#41b6c4",
    "water.drain": "#08306b", "climate.prevent": "#238b45", "climate.spatial_prevention": "#7a0177",
    "climate.limit_consequences": "#cb181d",
}


def goal_of(measure: Measure) -> str:
    """The goal a measure is drawn under: its first water principle, else its climate principle."""
    if measure.principles:
        return f"water.{measure.principles[0]}"
    return f"climate.{measure.climate_principle}"


def goal_name(goal: str) -> Text:
    """'Water: retain' / 'Climate: prevent' in both languages."""
    return catalogue_text(f"inspiration.goal.{goal}")


def measure_name(measure: Measure, language: str) -> str:
    """The measure's name in ``language``, first letter lower case (for lists after a goal)."""
    label = measure.name.en if language == "en" else measure.name.nl
    return label[:1].lower() + label[1:]


def legend_label(goal: str, measures: Iterable[Measure]) -> Text:
    """'<goal>: measure; measure' with each measure once, in order of appearance."""
    seen: dict[str, Measure] = {}
    for m in measures:
        seen.setdefault(m.id, m)
    name = goal_name(goal)
    nl = "; ".join(measure_name(m, "nl") for m in seen.values())
    en = "; ".join(measure_name(m, "en") for m in seen.values())
    return Text(nl=f"{name.nl}: {nl}" if nl else name.nl, en=f"{name.en}: {en}" if en else name.en)


def ordered(goals: Iterable[str]) -> list[str]:
    """The goals present, in legend order."""
    present = set(goals)
    return [g for g in GOALS if g in present]
