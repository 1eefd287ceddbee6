"""The afwegingskader's verdict: each adopted rule evaluated on one initiative, pure (no files).

A rule passes when its metric meets the threshold (``at_least``: value >= threshold, ``at_most``: value <=
threshold); otherwise its status is the rule's ``on_exceed`` (``fail``, or ``maatwerk`` for a rule that asks
for a custom judgement). A rule is ``maatwerk`` with the reason "not given" when the initiative lacks the
attribute it needs (never a guess), and when the product it reads was not computed. A rule with a condition
(``applies_metric`` above ``applies_above``, the vulnerable functions, dwellings for a cool place) passes as
"not applicable" where the condition does not hold; storage rules do not apply without new paving.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from shapely.geometry.base import BaseGeometry

from alliantie.contract.assessment import InitiativeResult, RuleResult, Status, Text, overall
from alliantie.i18n import has_key, translate
from alliantie.method.strategy.assessment.knowledge import ATTRIBUTE_METRICS, Rule
from alliantie.method.strategy.assessment.metrics import Measured

#: The optional attributes of an initiative: numbers, and the text ``function``.
NUMBER_ATTRIBUTES = ("dwellings", "new_paving_m2", "storage_mm", "emptying_h", "infiltration_share", "green_share")
TEXT_ATTRIBUTES = ("function",)
#: Attributes that are shares (0-1).
SHARE_ATTRIBUTES = frozenset({"infiltration_share", "green_share"})


@dataclass(frozen=True)
class Initiative:
    """One polygon of an initiative with its optional attributes (None: not given)."""

    id: str
    name: str
    geometry: BaseGeometry
    attributes: Mapping[str, str | float | None]

    @property
    def area_m2(self) -> float:
        return float(self.geometry.area)

    def number(self, name: str) -> float | None:
        value = self.attributes.get(name)
        return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None

    def function(self) -> str | None:
        value = self.attributes.get("function")
        return value if isinstance(value, str) else None


def _text(key: str, **params: Any) -> Text:
    """A catalogue text in both languages; parameters that are callables get the language."""
    def render(language: str) -> str:
        values = {k: (v(language) if callable(v) else v) for k, v in params.items()}
        return translate(key, language, **values)

    return Text(nl=render("nl"), en=render("en"))


def number(value: float, language: str, decimals: int | None = None) -> str:
    """``value`` in the language's notation: whole from 10 on, else one decimal (or ``decimals``)."""
    if decimals is None:
        decimals = 0 if abs(value) >= 10 or float(value).is_integer() else (2 if abs(value) < 1 else 1)
    out = f"{value:,.{decimals}f}"
    if language == "nl":
        out = out.replace(",", "_").replace(".", ",").replace("_", ".")
    return out


def unit_symbol(unit: str) -> str:
    """The unit as a reader writes it after a number: ``%`` for a share, else the first word of the unit."""
    return "%" if unit.startswith("fraction") else unit.split()[0].rstrip(",")


def display(unit: str, value: float, language: str) -> str:
    """``value`` (in ``unit``) with its symbol, a share in per cent: ``60 mm``, ``3,8 %``."""
    symbol = unit_symbol(unit)
    if symbol == "%":
        return f"{number(100.0 * value, language)} %"
    return f"{number(value, language)} {symbol}"


def short_unit(rule: Rule) -> str:
    """:func:`unit_symbol` of a rule."""
    return unit_symbol(rule.unit)


def shown(rule: Rule, value: float) -> Any:
    """A value of ``rule`` as text per language (a callable of the language), with its unit."""
    return lambda language: display(rule.unit, value, language)


def _result(rule: Rule, status: Status, value: float | None, reason: Text) -> RuleResult:
    return RuleResult(id=rule.id, theme=rule.theme, status=status, value=value, threshold=rule.threshold,
                      unit=rule.unit, reason=reason)


def _not_given(rule: Rule, attribute: str) -> RuleResult:
    return _result(rule, "maatwerk", None, _text("assessment.reason.not_given", attribute=attribute))


def _compare(rule: Rule, value: float, details: Mapping[str, Any]) -> RuleResult:
    ok = value >= rule.threshold if rule.comparison == "at_least" else value <= rule.threshold
    status: Status = "pass" if ok else rule.on_exceed
    key = f"assessment.reason.{'meets' if ok else 'misses'}_{rule.comparison}"
    reason = _text(key, value=shown(rule, value), threshold=shown(rule, rule.threshold))
    detail = _detail(rule, details)
    if detail is not None:
        reason = Text(nl=f"{reason.nl} {detail.nl}", en=f"{reason.en} {detail.en}")
    if not ok:
        advice = f"assessment.advice.{rule.id}"
        if has_key(advice):
            more = _text(advice)
            reason = Text(nl=f"{reason.nl} {more.nl}", en=f"{reason.en} {more.en}")
    return _result(rule, status, value, reason)


def _detail(rule: Rule, details: Mapping[str, Any]) -> Text | None:
    """The metric's extra numbers as a sentence (bluespot storage, scenario, carrier names)."""
    m = rule.metric
    if m == "bluespot_share" and details.get("count"):
        one = details["count"] == 1
        return _text("assessment.detail.bluespot_one" if one else "assessment.detail.bluespot", count=details["count"],
                     storage=lambda lang: number(details["storage_m3"], lang, 0),
                     depth=lambda lang: number(details["depth_m"], lang, 2))
    if m == "wet_share" and "storm" in details:
        return _text("assessment.detail.wet", depth=lambda lang: number(details["wet_depth_m"], lang, 2),
                     deepest=lambda lang: number(details["depth_m"], lang, 2), storm=details["storm"],
                     rain=lambda lang: number(float(details["rain_mm"] or "nan"), lang, 0))
    if m == "flood_depth_m" and details.get("flooded_share"):
        return _text("assessment.detail.flood", scenario=details["scenario"],
                     share=lambda lang: number(100.0 * details["flooded_share"], lang, 0))
    if m == "subsidence_60y_cm" and details.get("peat_share"):
        return _text("assessment.detail.subsidence", scenario=details["scenario"],
                     share=lambda lang: number(100.0 * details["peat_share"], lang, 0),
                     rate=lambda lang: number(details["rate_mm_per_year"], lang, 1),
                     years=lambda lang: number(details["years"], lang, 0))
    if m == "carrier_share" and details.get("names"):
        key = "assessment.detail.carriers_one" if len(details["names"]) == 1 else "assessment.detail.carriers"
        return _text(key, names=", ".join(details["names"]))
    return None


def evaluate(rule: Rule, initiative: Initiative, measured: Measured | None,
             vulnerable: frozenset[str]) -> RuleResult:
    """The verdict of ``rule`` on ``initiative``; ``measured`` is the product metric (None for an attribute rule)."""
    paving = initiative.number("new_paving_m2")
    if rule.metric == "storage_mm" and paving is not None and paving <= 0:
        return _result(rule, "pass", None, _text("assessment.reason.no_paving"))
    if rule.applies_metric is not None:
        assert rule.applies_above is not None
        condition = initiative.number(rule.applies_metric)
        if condition is None:
            return _not_given(rule, rule.applies_metric)
        if condition <= rule.applies_above:
            return _result(rule, "pass", None, _text(
                "assessment.reason.below_condition", attribute=rule.applies_metric,
                value=lambda lang: number(condition, lang), limit=lambda lang: number(rule.applies_above or 0, lang)))
    if rule.metric == "cool_distance_m" and initiative.number("dwellings") == 0:
        return _result(rule, "pass", None, _text("assessment.reason.no_dwellings"))
    if rule.metric in ATTRIBUTE_METRICS:
        value = initiative.number(rule.metric)
        if value is None:
            return _not_given(rule, rule.metric)
        return _compare(rule, value, {})
    if measured is None or measured.missing is not None:
        product = measured.missing if measured is not None else "?"
        return _result(rule, "maatwerk", None, _text("assessment.reason.not_computed", product=product))
    if measured.value is None:
        return _result(rule, "maatwerk", None, _text("assessment.reason.no_data"))
    result = _compare(rule, measured.value, measured.details)
    if rule.applies_functions and result.status != "pass":
        function = initiative.function()
        if function is None:
            return _result(rule, "maatwerk", measured.value, Text(
                nl=f"{result.reason.nl} {translate('assessment.reason.function_not_given', 'nl')}",
                en=f"{result.reason.en} {translate('assessment.reason.function_not_given', 'en')}"))
        if function not in vulnerable:
            return _result(rule, "pass", measured.value, _text("assessment.reason.not_vulnerable",
                                                               function=function, value=shown(rule, measured.value)))
    return result


def assess(initiative: Initiative, rules: list[Rule], measured: Mapping[str, Measured],
           vulnerable: frozenset[str]) -> InitiativeResult:
    """Every rule on ``initiative`` (``measured``: product metric -> its value on the initiative)."""
    results = [evaluate(r, initiative, measured.get(r.metric), vulnerable) for r in rules]
    return InitiativeResult(id=initiative.id, name=initiative.name, area_m2=round(initiative.area_m2, 1),
                            attributes=dict(initiative.attributes), status=overall([r.status for r in results]),
                            rules=results)


def parse_number(value: object) -> float | None:
    """An attribute cell as a number: None for empty (None, NaN, blank text); a ValueError for other text."""
    if value is None:
        return None
    if isinstance(value, str):
        if not value.strip():
            return None
        number_ = float(value.replace(",", "."))
    else:
        number_ = float(value)  # type: ignore[arg-type]
    if math.isnan(number_):
        return None
    if not math.isfinite(number_):
        raise ValueError(value)
    return number_


__all__ = [
    "NUMBER_ATTRIBUTES",
    "SHARE_ATTRIBUTES",
    "TEXT_ATTRIBUTES",
    "Initiative",
    "assess",
    "display",
    "evaluate",
    "number",
    "parse_number",
    "short_unit",
    "shown",
    "unit_symbol",
]
