"""Weerbericht van de toekomst (step 1, product ``urgency.climate``): the KNMI scenario numbers of a dossier.

For today's climate and every scenario of the dossier's ``[scenarios]`` the
product lays out the published numbers of knowledge file ``knmi_scenarios.toml``
(temperature, summer and tropical days, precipitation, heavy rain, deficit, sea
level): level, change against the reference period, unit and source. A number
nobody could source is shown as "no data" and listed as missing, never guessed.
A few sentences are generated from the numbers with the templates of
``i18n/weerbericht.toml``.

Files: ``weerbericht.json`` (the numbers, for a web viewer) and ``tables.json``
(the table and the sentences, for the report). The numbers are national or De
Bilt values; a correction for the dossier's location is future work.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from alliantie.climate import dossier_scenarios, load_climate_table
from alliantie.climate.scenarios import ClimateScenario, ClimateTable, ClimateValue
from alliantie.contract.spec import Column, TableSpec, Text, write_tables
from alliantie.contract.spec import catalogue_text as text
from alliantie.dossier.registry import ProductContext
from alliantie.i18n import translate

#: The variables of the Weerbericht, in table order (ids of ``knmi_scenarios.toml``).
VARIABLES: tuple[str, ...] = (
    "t_mean_year", "t_mean_summer", "t_mean_winter", "summer_days", "tropical_days", "tropical_nights",
    "precip_year", "precip_summer", "precip_winter", "precip_hour_extreme", "precip_day_extreme",
    "precip_deficit_mean", "precip_deficit_10y", "sea_level",
)
#: Variables that get a sentence per scenario, in sentence order.
HEADLINE: tuple[str, ...] = (
    "t_mean_year", "summer_days", "tropical_days", "tropical_nights", "precip_hour_extreme",
    "precip_deficit_10y", "sea_level",
)
#: Variables counted in days per year (sentence "telt De Bilt ... per jaar").
DAY_COUNTS = frozenset({"summer_days", "tropical_days", "tropical_nights"})
#: Units as shown in tables and sentences.
UNIT_TEXT = {"degC": "°C", "days per year": "d/j", "mm": "mm", "cm": "cm"}
UNIT_TEXT_EN = {"degC": "°C", "days per year": "d/yr", "mm": "mm", "cm": "cm"}

JSON_FILE = "weerbericht.json"
LANGUAGES = ("nl", "en")


# --- formatting ------------------------------------------------------------------------------------

def format_number(value: float, language: str, *, signed: bool = False, one_decimal: bool = False) -> str:
    """``value`` with at most one decimal (none for whole numbers unless ``one_decimal``), decimal comma in Dutch."""
    rounded = round(value, 1)
    whole = abs(rounded - round(rounded)) < 1e-9 and not one_decimal
    body = f"{abs(rounded):.0f}" if whole else f"{abs(rounded):.1f}"
    if language == "nl":
        body = body.replace(".", ",")
    sign = "-" if rounded < 0 else ("+" if signed and rounded > 0 else ("±" if signed else ""))
    return f"{sign}{body}"


def unit_text(unit: str, language: str) -> str:
    table = UNIT_TEXT_EN if language == "en" else UNIT_TEXT
    return table.get(unit, unit)


def format_change(found: ClimateValue, change_kind: str, language: str) -> str:
    """The change of ``found`` with its unit: ``+1,2 °C`` or ``+9 %``."""
    assert found.change is not None
    unit = "%" if change_kind == "percent" else unit_text(found.unit, language)
    degrees = found.unit == "degC" and change_kind != "percent"
    return f"{format_number(found.change, language, signed=True, one_decimal=degrees)} {unit}"


def cell_text(found: ClimateValue | None, change_kind: str, language: str, *, is_current: bool) -> str:
    """One table cell: ``level (change)``, the level or the change alone, or "no data"."""
    if found is None:
        return translate("weerbericht.table.no_data", language)
    level = None if found.value is None else format_number(found.value, language)
    if is_current or found.change is None:
        return level if level is not None else translate("weerbericht.table.no_data", language)
    change = format_change(found, change_kind, language)
    return change if level is None else f"{level} ({change})"


def short_source(source: str) -> str:
    """The publisher or publication of a source string: its first part, before a comma, quote, bracket or ``;``.

    >>> short_source("Secondary: NOS Nieuws, 9 Oct 2023, on KNMI'23: ...")
    'NOS Nieuws'
    """
    body = source.removeprefix("Secondary:").strip()
    return re.split(r",|;|\s'|\s\(|:", body, maxsplit=1)[0].strip()


def _first_lower(label: str) -> str:
    return label[:1].lower() + label[1:]


# --- the content -----------------------------------------------------------------------------------

def weerbericht_data(
    table: ClimateTable, scenarios: Sequence[ClimateScenario], variables: Sequence[str] = VARIABLES
) -> dict[str, Any]:
    """The numbers per variable and scenario with unit and source, and what is missing (``weerbericht.json``)."""
    known = [v for v in variables if v in table.variables]
    set_name = scenarios[0].set if scenarios else "KNMI'23"
    rows = []
    for var_id in known:
        var = table.variables[var_id]
        values: dict[str, Any] = {}
        for scenario in scenarios:
            found = table.get(var_id, scenario)
            values[scenario.id] = None if found is None else {
                "value": found.value, "change": found.change, "low": found.low, "high": found.high,
                "source": found.source,
            }
        rows.append({"id": var_id, "unit": var.unit, "change": var.change,
                     "label": {"nl": var.label("nl"), "en": var.label("en")}, "values": values})
    missing = table.missing(known, scenarios)
    return {
        "set": set_name,
        "reference_period": table.periods.get(set_name, ""),
        "location": "De Bilt / Nederland",
        "local_correction": False,
        "scenarios": [{"id": s.id, "name": s.name, "horizon": s.horizon, "set": s.set,
                       "label": {lang: s.label(lang) for lang in LANGUAGES}} for s in scenarios],
        "variables": rows,
        "missing": [{"variable": v, "scenario": s} for v, s in missing],
        "sources": _sources(table, known, scenarios),
    }


def _sources(table: ClimateTable, variables: Sequence[str], scenarios: Sequence[ClimateScenario]) -> list[str]:
    out: list[str] = []
    for var_id in variables:
        for scenario in scenarios:
            found = table.get(var_id, scenario)
            if found is not None and found.source not in out:
                out.append(found.source)
    return out


def sentences(
    table: ClimateTable, scenarios: Sequence[ClimateScenario], language: str, variables: Sequence[str] = HEADLINE
) -> list[str]:
    """Sentences generated from the numbers: one per scenario and headline variable with a number,
    one per scenario listing the headline variables without one."""
    known = [v for v in variables if v in table.variables]
    out: list[str] = []
    current = [s for s in scenarios if s.is_current]
    future = [s for s in scenarios if not s.is_current]
    period = table.periods.get(scenarios[0].set, "") if scenarios else ""
    if current and not future:
        for var_id in known:
            ref = table.get(var_id, current[0])
            if ref is not None and ref.value is not None and var_id in DAY_COUNTS:
                out.append(translate("weerbericht.sentences.today", language, period=period,
                                     value=format_number(ref.value, language),
                                     label=_first_lower(table.variables[var_id].label(language))))
    found_any = False
    for scenario in future:
        absent: list[str] = []
        for var_id in known:
            sentence = _sentence(table, var_id, scenario, language, period)
            if sentence is None:
                absent.append(_first_lower(table.variables[var_id].label(language)))
            else:
                found_any = True
                out.append(sentence)
        if absent:
            out.append(translate("weerbericht.sentences.missing", language, scenario=str(scenario.name),
                                 horizon=str(scenario.horizon), labels=", ".join(absent)))
    if future and not found_any:
        out.insert(0, translate("weerbericht.sentences.none", language))
    return out


def _sentence(table: ClimateTable, var_id: str, scenario: ClimateScenario, language: str, period: str) -> str | None:
    found = table.get(var_id, scenario)
    if found is None:
        return None
    var = table.variables[var_id]
    reference = table.reference(var_id, scenario.set)
    ref_value = None if reference is None else reference.value
    common = {"horizon": str(scenario.horizon), "scenario": str(scenario.name),
              "label": _first_lower(var.label(language))}
    if found.value is not None:
        value = format_number(found.value, language)
        if var_id in DAY_COUNTS:
            if ref_value is not None:
                return translate("weerbericht.sentences.days_now", language, value=value,
                                 reference=format_number(ref_value, language), **common)
            return translate("weerbericht.sentences.days", language, value=value, **common)
        unit = unit_text(var.unit, language)
        if ref_value is not None:
            return translate("weerbericht.sentences.level_now", language, value=value, unit=unit,
                             reference=format_number(ref_value, language), **common)
        return translate("weerbericht.sentences.level", language, value=value, unit=unit, **common)
    if found.change is not None:
        return translate("weerbericht.sentences.change", language, period=period,
                         change=format_change(found, var.change, language), **common)
    return None


def tables(table: ClimateTable, scenarios: Sequence[ClimateScenario]) -> list[TableSpec]:
    """The Weerbericht table (a row per variable, columns today + each scenario) and the sentences table."""
    set_name = scenarios[0].set if scenarios else "KNMI'23"
    period = table.periods.get(set_name, "")
    known = [v for v in VARIABLES if v in table.variables]
    columns = [Column(label=text("weerbericht.table.variable")), Column(label=text("weerbericht.table.unit"))]
    for scenario in scenarios:
        if scenario.is_current:
            columns.append(Column(label=text("weerbericht.table.today", period=period)))
        else:
            columns.append(Column(label=Text(nl=scenario.label("nl"), en=scenario.label("en"))))
    rows: list[list[Any]] = []
    for var_id in known:
        var = table.variables[var_id]
        row: list[Any] = [Text(nl=var.label("nl"), en=var.label("en")),
                          Text(nl=unit_text(var.unit, "nl"), en=unit_text(var.unit, "en"))]
        for scenario in scenarios:
            found = table.get(var_id, scenario)
            row.append(Text(**{lang: cell_text(found, var.change, lang, is_current=scenario.is_current)
                               for lang in LANGUAGES}))
        rows.append(row)
    note = Text(**{lang: _note(table, known, scenarios, lang) for lang in LANGUAGES})
    main = TableSpec(
        id="weerbericht", theme="climate", title=text("weerbericht.table.title", set=set_name),
        description=text("weerbericht.table.description", period=period), columns=columns, rows=rows, note=note,
    )
    lines = {lang: sentences(table, scenarios, lang) for lang in LANGUAGES}
    sentence_rows: list[list[Any]] = [[Text(nl=nl, en=en)] for nl, en in zip(lines["nl"], lines["en"], strict=True)]
    spoken = TableSpec(
        id="weerbericht_sentences", theme="climate", title=text("weerbericht.sentences.title"),
        columns=[Column(label=text("weerbericht.sentences.column"))], rows=sentence_rows,
    )
    return [main, spoken]


def _note(table: ClimateTable, variables: Sequence[str], scenarios: Sequence[ClimateScenario], language: str) -> str:
    missing = table.missing(variables, scenarios)
    if missing:
        by_var: dict[str, list[str]] = {}
        for var_id, scenario_id in missing:
            by_var.setdefault(var_id, []).append(scenario_id)
        items = []
        for var_id, ids in by_var.items():
            label = table.variables[var_id].label(language)
            where = translate("weerbericht.table.all_scenarios", language) if len(ids) == len(scenarios) \
                else ", ".join(ids)
            items.append(f"{label} ({where})")
        missing_text = translate("weerbericht.table.missing", language, items="; ".join(items))
    else:
        missing_text = translate("weerbericht.table.missing_none", language)
    shorts: list[str] = []
    for source in _sources(table, variables, scenarios):
        short = short_source(source)
        if short not in shorts:
            shorts.append(short)
    return translate("weerbericht.table.note", language, missing=missing_text, sources="; ".join(shorts) or "-")


# --- the product -----------------------------------------------------------------------------------

def weerbericht(ctx: ProductContext) -> None:
    """Write ``weerbericht.json`` and ``tables.json`` for the dossier's climate scenarios."""
    table = load_climate_table(ctx.knowledge("knmi_scenarios"), ctx.knowledge_path("knmi_scenarios"))
    scenarios = dossier_scenarios(ctx.param("scenarios"))
    data = weerbericht_data(table, scenarios)
    data["sentences"] = {lang: sentences(table, scenarios, lang) for lang in LANGUAGES}
    data["language"] = ctx.language
    ctx.write_json(JSON_FILE, data)
    write_tables(ctx.out_dir, tables(table, scenarios))
