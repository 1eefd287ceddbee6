"""The product's tables (``tables.json``, theme ``damage``).

(1) ``damage_npv_central``: per theme the central estimate (mean amounts, the default rule) of the
extra damage of climate change and of the total (NPV to the horizon) with its spread over the climate
scenarios, or why the theme is not valued; (2) ``damage_npv_range``: the outer bounds over every
combination of amounts x rules x scenarios (not a probability range) and what drives them;
(3) ``damage_ead``: the EAD per theme and climate; (4) ``damage_pluvial_rules``: the pluvial EAD
under each integration rule; (5) ``damage_sensitivity``: lines kept apart from the range (heat deaths
at the value of a statistical life); (6) ``damage_incidents``: the damage of single events.
"""

from __future__ import annotations

from collections.abc import Sequence

from alliantie.contract.spec import Cell, Column, TableSpec, Text
from alliantie.contract.spec import catalogue_text as text
from alliantie.damage.npv import DiscountRate
from alliantie.damage.pluvial import PluvialDamage
from alliantie.damage.risk import RULES
from alliantie.i18n import translate
from alliantie.method.urgency.damage.present_value import NO_RULE, ThemeNpv
from alliantie.method.urgency.damage.valuers import ThemeResult
from alliantie.method.urgency.damage.wording import (
    conventions_text,
    driver_text,
    missing_note,
    scenario_text,
    theme_text,
)
from alliantie.parameters.damage import DamageParameters


def central_spread(npv: ThemeNpv, rule: str) -> dict[str, tuple[float, str, float, str]] | None:
    """The central estimate's spread over the scenarios: ``{"total"|"extra": (lowest, its scenario, highest, its
    scenario)}`` of the NPVs with mean amounts and the default ``rule`` (themes without rules: their one level).

    None when the theme has no such NPV.
    """
    central = {s: v for (a, r, s), v in npv.values.items() if a == "mean" and r in (rule, NO_RULE)}
    if not central:
        return None
    out: dict[str, tuple[float, str, float, str]] = {}
    for part in ("total", "extra"):
        ordered = sorted(central, key=lambda sid: (getattr(central[sid], part), sid))
        low, high = ordered[0], ordered[-1]
        out[part] = (getattr(central[low], part), low, getattr(central[high], part), high)
    return out


def _central_table(results: Sequence[ThemeResult], params: DamageParameters, rate: DiscountRate,
                   eur: str) -> TableSpec:
    rows: list[list[Cell]] = []
    for r in results:
        spread = None if r.npv is None else central_spread(r.npv, params.rule)
        if r.npv is None or spread is None:
            rows.append([theme_text(r.theme), None, None, None, None, text(f"damage_product.status.{r.status}")])
            continue
        total_low, low_sid, total_high, high_sid = spread["total"]
        extra_low, _, extra_high, _ = spread["extra"]
        if r.npv.current_only:
            which = text("damage_product.central.current_only")
            rows.append([theme_text(r.theme), None, None, total_low, total_high, which])
            continue
        which = Text(nl=translate("damage_product.central.scenarios", "nl", low=scenario_text(low_sid).nl,
                                  high=scenario_text(high_sid).nl),
                     en=translate("damage_product.central.scenarios", "en", low=scenario_text(low_sid).en,
                                  high=scenario_text(high_sid).en))
        rows.append([theme_text(r.theme), extra_low, extra_high, total_low, total_high, which])
    return TableSpec(
        id="damage_npv_central", theme="damage", title=text("damage_product.tables.central.title",
                                                            horizon=params.horizon_year),
        description=text("damage_product.tables.central.description"),
        columns=[Column(label=text("damage_product.tables.theme")),
                 Column(label=text("damage_product.tables.central.extra_low"), unit=eur),
                 Column(label=text("damage_product.tables.central.extra_high"), unit=eur),
                 Column(label=text("damage_product.tables.central.total_low"), unit=eur),
                 Column(label=text("damage_product.tables.central.total_high"), unit=eur),
                 Column(label=text("damage_product.tables.central.scenarios"))],
        rows=rows, note=conventions_text(params, rate))


def _sensitivity_table(results: Sequence[ThemeResult], scenarios: Sequence[str], eur: str) -> TableSpec | None:
    rows: list[list[Cell]] = []
    for r in results:
        for line, per_scenario in r.sensitivity.items():
            for sid in scenarios:
                v = per_scenario.get(sid)
                if v is not None:
                    rows.append([theme_text(r.theme), text(f"damage_product.sensitivity.{line}"),
                                 scenario_text(sid), v.low, v.mean, v.high])
    if not rows:
        return None
    return _lines_table("sensitivity", "damage_product.tables.sensitivity.line", "damage_product.amount_year",
                        rows, eur)


def _lines_table(name: str, line_label: str, amount: str, rows: list[list[Cell]], eur: str) -> TableSpec:
    """Table ``damage_<name>``: theme, a line (``line_label``), scenario, and the low, mean and high ``amount``."""
    key = f"damage_product.tables.{name}"
    return TableSpec(
        id=f"damage_{name}", theme="damage", title=text(f"{key}.title"), description=text(f"{key}.description"),
        columns=[Column(label=text("damage_product.tables.theme")), Column(label=text(line_label)),
                 Column(label=text("damage_product.tables.scenario")),
                 *(Column(label=text(f"{amount}.{level}"), unit=eur) for level in ("low", "mean", "high"))],
        rows=rows, note=text(f"{key}.note"))


def _range_table(results: Sequence[ThemeResult], params: DamageParameters, rate: DiscountRate,
                 eur: str) -> TableSpec:
    rows: list[list[Cell]] = []
    for r in results:
        npv = r.npv
        if npv is None or npv.extra is None or npv.total is None:
            rows.append([theme_text(r.theme), None, None, None, None, text(f"damage_product.status.{r.status}")])
            continue
        what = driver_text(npv.extra if not npv.current_only else npv.total)
        if npv.current_only:
            what = Text(nl=f"{what.nl} {translate('damage_product.driver.current_only', 'nl')}",
                        en=f"{what.en} {translate('damage_product.driver.current_only', 'en')}")
        extra_min: Cell = None if npv.current_only else npv.extra.minimum
        extra_max: Cell = None if npv.current_only else npv.extra.maximum
        rows.append([theme_text(r.theme), extra_min, extra_max, npv.total.minimum, npv.total.maximum, what])
    return TableSpec(
        id="damage_npv_range", theme="damage", title=text("damage_product.tables.range.title",
                                                          horizon=params.horizon_year),
        description=text("damage_product.tables.range.description"),
        columns=[Column(label=text("damage_product.tables.theme")),
                 Column(label=text("damage_product.tables.extra_low"), unit=eur),
                 Column(label=text("damage_product.tables.extra_high"), unit=eur),
                 Column(label=text("damage_product.tables.total_low"), unit=eur),
                 Column(label=text("damage_product.tables.total_high"), unit=eur),
                 Column(label=text("damage_product.tables.driver"))],
        rows=rows, note=conventions_text(params, rate))


def _ead_table(results: Sequence[ThemeResult], params: DamageParameters, scenarios: Sequence[str],
               eur: str) -> TableSpec:
    ead_rows: list[list[Cell]] = []
    for r in results:
        if r.damage is None or not r.damage.annual:
            continue
        for sid in scenarios:
            v = r.damage.annual.get(sid)
            if v is not None:
                ead_rows.append([theme_text(r.theme), scenario_text(sid), v.low, v.mean, v.high])
    valued = [r.damage for r in results if r.damage is not None and r.damage.annual]
    note = missing_note(valued)
    lines = {lang: " ".join(s for s in [getattr(d, f"note_{lang}") for d in valued]
                            + ([note.get(lang)] if note is not None else []) if s)
             for lang in ("nl", "en")}  # how a theme counted (heat: the labour rule), then what is missing
    note = Text(nl=lines["nl"], en=lines["en"]) if lines["nl"] or lines["en"] else None
    return TableSpec(
        id="damage_ead", theme="damage", title=text("damage_product.tables.ead.title"),
        description=text("damage_product.tables.ead.description",
                         rule_nl=translate(f"damage_product.rule.{params.rule}", "nl"),
                         rule_en=translate(f"damage_product.rule.{params.rule}", "en")),
        columns=[Column(label=text("damage_product.tables.theme")),
                 Column(label=text("damage_product.tables.scenario")),
                 Column(label=text("damage_product.amount_year.low"), unit=eur),
                 Column(label=text("damage_product.amount_year.mean"), unit=eur),
                 Column(label=text("damage_product.amount_year.high"), unit=eur)],
        rows=ead_rows, note=note)


def _rules_table(pluvial: PluvialDamage, eur: str) -> TableSpec:
    rule_rows: list[list[Cell]] = []
    for sid, per_rule in pluvial.ead.items():
        base = per_rule[pluvial.rule]["mean"]
        row: list[Cell] = [scenario_text(sid)]
        row.extend(per_rule[rule]["mean"] for rule in RULES)
        others = [per_rule[rule]["mean"] for rule in RULES if rule != pluvial.rule]
        for other in (min(others), max(others)):
            diff = None if base <= 0 else 100.0 * (other - base) / base
            row.append(None if diff is None else (0.0 if abs(diff) < 0.5 else diff))
        rule_rows.append(row)
    return TableSpec(
        id="damage_pluvial_rules", theme="damage", title=text("damage_product.tables.rules.title"),
        description=text("damage_product.tables.rules.description"),
        columns=[Column(label=text("damage_product.tables.scenario")),
                 *[Column(label=text(f"damage_product.rule_short.{rule}"), unit=f"{eur}/a") for rule in RULES],
                 Column(label=text("damage_product.tables.rules.min_diff"), decimals=0, unit="%"),
                 Column(label=text("damage_product.tables.rules.max_diff"), decimals=0, unit="%")],
        rows=rule_rows)


def _incident_table(results: Sequence[ThemeResult], eur: str) -> TableSpec:
    incident_rows: list[list[Cell]] = []
    for r in results:
        if r.damage is None:
            continue
        for i in r.damage.incidents:
            incident_rows.append([theme_text(r.theme), Text(nl=i.label_nl, en=i.label_en), scenario_text(i.scenario),
                                  i.damage.low, i.damage.mean, i.damage.high])
    return _lines_table("incidents", "damage_product.tables.incident", "damage_product.amount", incident_rows, eur)


def tables(results: Sequence[ThemeResult], params: DamageParameters, rate: DiscountRate,
           scenarios: Sequence[str]) -> list[TableSpec]:
    """The central NPV per theme, the outer bounds, EAD per theme x scenario, the pluvial rules, the sensitivity
    lines (where any) and the incidents."""
    eur = f"EUR {params.price_year}"
    out = [_central_table(results, params, rate, eur), _range_table(results, params, rate, eur),
           _ead_table(results, params, scenarios, eur)]
    pluvial = next((r.pluvial for r in results if r.pluvial is not None), None)
    if pluvial is not None and pluvial.ead:
        out.append(_rules_table(pluvial, eur))
    sensitivity = _sensitivity_table(results, scenarios, eur)
    if sensitivity is not None:
        out.append(sensitivity)
    out.append(_incident_table(results, eur))
    return out
