"""The stresstest-light verdict from what the theme products saved, and its wording.

:func:`build` applies the rules of :mod:`alliantie.method.stresstest.rules` to
every theme (``theme.json``, ``indicators.csv`` and the severity raster of its
reference scenario, see :mod:`alliantie.contract.theme`) and collects the
result in :class:`Stresstest`, which the tables, the map, ``summary.json`` and
the page show. :func:`sentence` words the verdict on a detailed stress test;
the ``format_*`` functions write numbers and euro amounts in the language's
notation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from math import floor, log10

import numpy as np

from alliantie.contract.names import THEMES
from alliantie.contract.spec import Text
from alliantie.contract.spec import catalogue_text as text
from alliantie.contract.theme import IndicatorValue, ThemeSummary
from alliantie.i18n import has_key, translate
from alliantie.method.stresstest.damage_ranges import DamageSummary
from alliantie.method.stresstest.rules import StresstestKnowledge, ThemeAssessment, assess, severity_share


@dataclass
class ThemeData:
    """What one theme product left behind (None when not assessed)."""

    summary: ThemeSummary
    values: list[IndicatorValue]
    severity: np.ndarray | None


@dataclass
class Stresstest:
    """Everything the page and the tables show."""

    name: str
    assessments: dict[str, ThemeAssessment]
    data: dict[str, ThemeData]
    #: (code, name) of every neighbourhood, in input order.
    neighbourhoods: list[tuple[str, str]]
    notes: list[Text] = field(default_factory=list)
    #: The damage product's ranges, when computed.
    damage: DamageSummary | None = None
    inputs: list[str] = field(default_factory=list)

    def value(self, theme: str, code: str, indicator: str) -> float | None:
        """An indicator of an assessed theme in its reference scenario (None when not assessed or absent)."""
        found = self.data.get(theme)
        assessment = self.assessments[theme]
        if found is None or not assessment.assessed:
            return None
        for v in found.values:
            if v.scenario == assessment.scenario and v.code == code and v.indicator == indicator:
                return v.value
        return None


def build(
    name: str,
    themes: dict[str, ThemeData | str],
    knowledge: StresstestKnowledge,
    neighbourhoods: list[tuple[str, str]],
) -> Stresstest:
    """The verdict on every theme; ``themes`` maps a theme id to its data or to the i18n key of why it is absent.

    A theme's :attr:`ThemeData.severity` is its severity raster in the reference scenario
    (:func:`~alliantie.method.stresstest.rules.reference_scenario`).
    """
    assessments: dict[str, ThemeAssessment] = {}
    data: dict[str, ThemeData] = {}
    for theme in THEMES:
        found = themes.get(theme, "stresstest.reason.not_computed")
        if isinstance(found, str):
            assessments[theme] = ThemeAssessment(theme=theme, assessed=False, reason=found)
            continue
        data[theme] = found
        share = None if found.severity is None else severity_share(found.severity)
        assessments[theme] = assess(found.summary, found.values, knowledge, share)
    return Stresstest(name=name, assessments=assessments, data=data, neighbourhoods=neighbourhoods)


def themes_needing_detail(result: Stresstest) -> dict[str, int]:
    """Neighbourhood name -> number of themes whose rules ask for a detailed stress test there."""
    counts: dict[str, int] = {}
    for a in result.assessments.values():
        for place in a.detail_places:
            counts[place] = counts.get(place, 0) + 1
    return counts


# --- wording --------------------------------------------------------------------------------------------------------

def indicator_label(indicator: str, language: str, data: ThemeData | None = None) -> str:
    """Short catalogue label of an indicator (``stresstest.rule_labels``), else the theme's own label, else the id."""
    if has_key(f"stresstest.rule_labels.{indicator}"):
        return translate(f"stresstest.rule_labels.{indicator}", language)
    if data is not None:
        for info in data.summary.indicators:
            if info.id == indicator:
                return info.label.get(language)
    return indicator


def sentence(assessment: ThemeAssessment, language: str, data: ThemeData | None = None) -> str:
    """"A detailed stress test is needed for ... because ..." (or that none is needed / why not assessed)."""
    if not assessment.assessed:
        return translate(assessment.reason or "stresstest.reason.not_computed", language)
    if not assessment.triggers:
        return translate("stresstest.sentence.not_needed", language)
    area = translate("stresstest.sentence.study_area", language)
    places = [n or area for n in assessment.detail_places]
    reasons: list[str] = []
    for trigger in assessment.triggers:
        label = indicator_label(trigger.rule.indicator, language, data)
        values = ", ".join(f"{p.name} {_number(p.value, language)}" if p.code else _number(p.value, language)
                           for p in trigger.places[:4])
        if len(trigger.places) > 4:
            values += ", …"
        reasons.append(translate("stresstest.sentence.reason", language, label=label,
                                 minimum=_number(trigger.threshold, language), values=values))
    return translate("stresstest.sentence.needed", language, places=_join(places, language),
                     reasons=translate("stresstest.sentence.and", language).join(reasons))


def _join(items: list[str], language: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + translate("stresstest.sentence.and", language) + items[-1]


def _number(value: float, language: str) -> str:
    """A count as an integer, a length with one decimal, in the language's notation."""
    rounded = round(value)
    out = f"{rounded:,.0f}" if abs(value - rounded) < 1e-9 or abs(value) >= 10 else f"{value:,.1f}"
    if language == "nl":
        out = out.replace(",", "_").replace(".", ",").replace("_", ".")
    return out


def format_number(value: float | None, decimals: int, language: str) -> str:
    """A number with thousands separators in the language's notation; a dash for None."""
    if value is None:
        return "–"
    out = f"{value:,.{decimals}f}"
    if language == "nl":
        out = out.replace(",", "_").replace(".", ",").replace("_", ".")
    return out


def format_money(value: float, language: str) -> str:
    """Euro, rounded to two significant digits from 1000 on (the ranges are indications)."""
    if value >= 1000:
        value = round(value, -(floor(log10(value)) - 1))
    return "€\u00a0" + format_number(value, 0, language)


def format_span(span: tuple[float, float] | None, language: str) -> str:
    """"€ low – € high", or a dash."""
    if span is None:
        return "–"
    return f"{format_money(span[0], language)} – {format_money(span[1], language)}"


def light_text(assessment: ThemeAssessment) -> Text:
    """The traffic light in words ("not assessed" without one)."""
    if not assessment.assessed or assessment.light is None:
        return text("stresstest.lights.none")
    return text(f"stresstest.lights.{assessment.light}")


def scenario_label(scenario: str, language: str) -> str:
    """"today" for ``current``, else the scenario id (e.g. ``Hd2050``)."""
    return translate("stresstest.columns.today", language).lower() if scenario == "current" else scenario


def reference_note(result: Stresstest) -> Text:
    """"Reference scenarios: pluvial flooding Hd2050, ..." for the assessed themes."""
    def line(language: str) -> str:
        refs = ", ".join(f"{translate(f'report.themes.{t}', language)} {scenario_label(a.scenario, language)}"
                         for t, a in result.assessments.items() if a.assessed)
        return translate("stresstest.notes.references", language, scenarios=refs or "–")

    return Text(nl=line("nl"), en=line("en"))


__all__ = [
    "Stresstest", "ThemeData", "build", "format_money", "format_number", "format_span", "indicator_label",
    "light_text", "reference_note", "scenario_label", "sentence", "themes_needing_detail",
]
