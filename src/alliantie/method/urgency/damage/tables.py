"""The product's tables (``tables.json``, theme ``damage``).

(1) ``damage_npv_range``: per theme the extra damage of climate change and the total (NPV to the
horizon, lowest and highest) and what drives the range, or why the theme is not valued;
(2) ``damage_ead``: the EAD per theme and climate; (3) ``damage_pluvial_rules``: the pluvial EAD
under each integration rule; (4) ``damage_incidents``: the damage of single events.
"""

from __future__ import annotations

from collections.abc import Sequence

from alliantie.contract.spec import Cell, Column, TableSpec, Text
from alliantie.contract.spec import catalogue_text as text
from alliantie.damage.npv import DiscountRate
from alliantie.damage.pluvial import PluvialDamage
from alliantie.damage.risk import RULES
from alliantie.i18n import translate
from alliantie.method.urgency.damage.valuers import ThemeResult
from alliantie.method.urgency.damage.wording import (
    conventions_text,
    driver_text,
    missing_note,
    scenario_text,
    theme_text,
)
from alliantie.parameters.damage import DamageParameters


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
    note = missing_note([r.damage for r in results if r.damage is not None and r.damage.annual])
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
    return TableSpec(
        id="damage_incidents", theme="damage", title=text("damage_product.tables.incidents.title"),
        description=text("damage_product.tables.incidents.description"),
        columns=[Column(label=text("damage_product.tables.theme")),
                 Column(label=text("damage_product.tables.incident")),
                 Column(label=text("damage_product.tables.scenario")),
                 Column(label=text("damage_product.amount.low"), unit=eur),
                 Column(label=text("damage_product.amount.mean"), unit=eur),
                 Column(label=text("damage_product.amount.high"), unit=eur)],
        rows=incident_rows, note=text("damage_product.tables.incidents.note"))


def tables(results: Sequence[ThemeResult], params: DamageParameters, rate: DiscountRate,
           scenarios: Sequence[str]) -> list[TableSpec]:
    """(1) the NPV range per theme, (2) EAD per theme x scenario, (3) pluvial rule sensitivity, (4) incidents."""
    eur = f"EUR {params.price_year}"
    out = [_range_table(results, params, rate, eur), _ead_table(results, params, scenarios, eur)]
    pluvial = next((r.pluvial for r in results if r.pluvial is not None), None)
    if pluvial is not None and pluvial.ead:
        out.append(_rules_table(pluvial, eur))
    out.append(_incident_table(results, eur))
    return out
