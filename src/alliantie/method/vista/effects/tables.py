"""The tables of ``vista.effects``: the effect of each measure alone, the sketch per theme and climate, or a
sentence that the dossier has no sketch."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from alliantie.contract.effects import EffectsFile, FeatureRecord
from alliantie.contract.spec import Cell, Column, TableSpec, Text, catalogue_text
from alliantie.i18n import translate
from alliantie.method.urgency.damage.wording import scenario_label, scenario_text, theme_text

THEME = "effects"
CURRENT = "current"
#: The units a feature's size is counted in (its cost unit without ``EUR/``), each with a catalogue text.
UNITS = ("m2", "ha", "m", "km", "piece", "building", "m3")

text = catalogue_text


def _amount(value: float, language: str) -> str:
    """A euro amount without decimals, with the thousands separator of ``language``."""
    return _number(value, language)


def _per_language(key: str, nl: dict[str, object], en: dict[str, object]) -> Text:
    """Catalogue text ``key`` with parameters that differ per language (names, formatted numbers)."""
    return Text(nl=translate(key, "nl", **nl), en=translate(key, "en", **en))


def worst_scenario(data: EffectsFile) -> str:
    """The future scenario with the highest expected annual damage before the measures (today's climate if none)."""
    future = [s for s in data.scenarios if s != CURRENT]
    if not future:
        return CURRENT

    def before(sid: str) -> float:
        return sum(per[sid]["mean"] for per in data.total.ead_before_eur.values() if sid in per)

    return max(future, key=before)


def _size(quantity: float, unit: str) -> Text:
    """A feature's size in the unit of its cost (``EUR/m2`` -> ``m²``), formatted per language."""
    base = unit.removeprefix("EUR/").removesuffix("/yr")
    name = text(f"effects.product.unit.{base}") if base in UNITS else Text(nl=base, en=base)
    decimals = 0 if quantity >= 10 or base in ("piece", "building") else (1 if quantity >= 1 else 2)
    return Text(nl=f"{_number(quantity, 'nl', decimals)} {name.nl}",
                en=f"{_number(quantity, 'en', decimals)} {name.en}")


def _number(value: float, language: str, decimals: int = 0) -> str:
    out = f"{value:,.{decimals}f}"
    return out.replace(",", "\x00").replace(".", ",").replace("\x00", ".") if language == "nl" else out


def _names(features: Sequence[FeatureRecord]) -> list[Text]:
    """The measure's name; numbered where the sketch has it more than once ("Wadi 2")."""
    counts: dict[str, int] = {}
    for f in features:
        counts[f.measure] = counts.get(f.measure, 0) + 1
    seen: dict[str, int] = {}
    out = []
    for f in features:
        seen[f.measure] = seen.get(f.measure, 0) + 1
        suffix = f" {seen[f.measure]}" if counts[f.measure] > 1 else ""
        out.append(Text(nl=f"{f.name.nl}{suffix}", en=f"{f.name.en}{suffix}"))
    return out


def _eur(value: float | None) -> float | None:
    """A euro amount for a table of whole euros: -0.4 is shown as 0, not "-0"."""
    return None if value is None else (0.0 if abs(value) < 0.5 else value)


def _k(value: float) -> float:
    return value / 1000.0


def no_sketch_table() -> TableSpec:
    """One sentence: there is no sketch, and how to give one."""
    return TableSpec(id="effects_none", theme=THEME, title=text("effects.product.none.title"),
                     columns=[Column(label=text("effects.product.none.column"))],
                     rows=[[text("effects.product.none.text")]])


def _avoided_columns(worst: str) -> list[Column]:
    """Avoided EAD today and in ``worst``, all evaluated themes together (the totals table splits them)."""
    columns = [Column(label=text("effects.product.col.avoided_today"))]
    if worst != CURRENT:
        columns.append(Column(label=_per_language("effects.product.col.avoided_worst",
                                                  {"scenario": scenario_label(worst, "nl")},
                                                  {"scenario": scenario_label(worst, "en")})))
    return columns


def _sum(values: Iterable[float | None]) -> float | None:
    """The sum of the known values (None when none is known)."""
    known = [v for v in values if v is not None]
    return float(sum(known)) if known else None


def feature_table(data: EffectsFile, evaluated_alone: int, cells: int = 0, *, fast_alone: bool = False) -> TableSpec:
    """Per feature (alone against the baseline): size, storage, buildings kept dry, avoided EAD per theme today
    and in the worst scenario, investment and cost PV; the total row is the sketch as a whole.

    ``evaluated_alone``: how many features (the first ones) were evaluated alone; the others have only their
    size and costs (the note says so, with the grid's ``cells``).
    """
    worst = worst_scenario(data)
    themes = list(data.themes_evaluated)
    # one text column (the measure with its size): the report gives the numbers the rest of the width
    columns = [Column(label=text("effects.product.col.measure")), Column(label=text("effects.product.col.storage")),
               Column(label=text("effects.product.col.kept_dry")),
               *_avoided_columns(worst),
               Column(label=text("effects.product.col.investment"), decimals=1),
               Column(label=text("effects.product.col.cost_pv"), decimals=1)]
    scenarios = [CURRENT] + ([worst] if worst != CURRENT else [])
    rows: list[list[Cell]] = []
    for i, (f, name) in enumerate(zip(data.features, _names(data.features), strict=True)):
        alone = i < evaluated_alone
        size = _size(f.quantity, f.unit)
        row: list[Cell] = [Text(nl=f"{name.nl} ({size.nl})", en=f"{name.en} ({size.en})"), f.storage_m3,
                           f.buildings_kept_dry.get(CURRENT) if alone else None]
        row += [_eur(_sum(f.avoided_ead_eur.get(theme, {}).get(sid) for theme in themes)) if alone else None
                for sid in scenarios]
        row += [_k(f.investment_eur["mean"]), _k(f.cost_pv_eur["mean"])]
        rows.append(row)
    t = data.total
    total: list[Cell] = [text("effects.product.features.together"), t.storage_m3,
                         t.buildings_kept_dry.get(CURRENT)]
    total += [_eur(_sum(t.avoided_ead_eur[theme][sid]["mean"] if sid in t.avoided_ead_eur[theme] else None
                        for theme in themes)) for sid in scenarios]
    total += [_k(t.investment_eur["mean"]), _k(t.cost_pv_eur["mean"])]
    names = [theme_text(th) for th in themes]
    return TableSpec(
        id="effects_features", theme=THEME, title=text("effects.product.features.title"),
        description=_per_language(
            "effects.product.features.description",
            {"worst": scenario_label(worst, "nl"), "start": data.start_year, "horizon": data.horizon_year,
             "themes": ", ".join(n.nl.lower() for n in names) or "-"},
            {"worst": scenario_label(worst, "en"), "start": data.start_year, "horizon": data.horizon_year,
             "themes": ", ".join(n.en.lower() for n in names) or "-"}),
        columns=columns, rows=rows, total=total, note=_feature_note(data, evaluated_alone, cells, fast_alone),
    )


def _feature_note(data: EffectsFile, evaluated_alone: int, cells: int, fast_alone: bool = False) -> Text:
    parts = [text("effects.product.features.note", price_year=data.price_year)]
    if fast_alone:
        parts.append(_per_language("effects.product.features.fast_alone", {"cells": _number(cells, "nl")},
                                   {"cells": _number(cells, "en")}))
    partly = _partly(data.features)
    if partly.nl:
        parts.append(_per_language("effects.product.features.partly", {"measures": partly.nl},
                                   {"measures": partly.en}))
    if evaluated_alone < len(data.features):
        key = "effects.product.features.capped" if evaluated_alone else "effects.product.features.whole_only"
        parts.append(_per_language(key,
                                   {"count": evaluated_alone, "total": len(data.features),
                                    "cells": _number(cells, "nl")},
                                   {"count": evaluated_alone, "total": len(data.features),
                                    "cells": _number(cells, "en")}))
    return Text(nl=" ".join(p.nl for p in parts), en=" ".join(p.en for p in parts))


def _partly(features: Sequence[FeatureRecord]) -> Text:
    """The measures with a part the engine does not model, each once: "name (what is not modelled)"."""
    seen: dict[str, FeatureRecord] = {}
    for f in features:
        if f.not_modelled is not None:
            seen.setdefault(f.measure, f)
    nl = "; ".join(f"{f.name.nl} ({f.not_modelled.nl.rstrip('.')})" for f in seen.values() if f.not_modelled)
    en = "; ".join(f"{f.name.en} ({f.not_modelled.en.rstrip('.')})" for f in seen.values() if f.not_modelled)
    return Text(nl=nl, en=en)


def totals_table(data: EffectsFile) -> TableSpec:
    """Per theme and scenario, all measures together: EAD before, after, avoided, avoided PV, buildings kept dry;
    the note gives the total cost as present value with its range and the themes not evaluated."""
    t = data.total
    rows: list[list[Cell]] = []
    for theme in data.themes_evaluated:
        for sid in data.scenarios:
            if sid not in t.ead_before_eur[theme] or sid not in t.ead_after_eur[theme]:
                continue
            name, climate = theme_text(theme), scenario_text(sid)
            rows.append([Text(nl=f"{name.nl}, {climate.nl}", en=f"{name.en}, {climate.en}"),
                         _eur(t.ead_before_eur[theme][sid]["mean"]),
                         _eur(t.ead_after_eur[theme][sid]["mean"]), _eur(t.avoided_ead_eur[theme][sid]["mean"]),
                         _eur(t.avoided_pv_eur[theme].get(sid)),
                         t.buildings_kept_dry.get(sid) if theme == "pluvial" else None])
    return TableSpec(
        id="effects_totals", theme=THEME, title=text("effects.product.totals.title"),
        description=text("effects.product.totals.description", start=data.start_year, horizon=data.horizon_year),
        columns=[Column(label=text("effects.product.col.theme")),
                 Column(label=text("effects.product.col.before")), Column(label=text("effects.product.col.after")),
                 Column(label=text("effects.product.col.avoided")),
                 Column(label=text("effects.product.col.avoided_pv")),
                 Column(label=text("effects.product.col.kept_dry"))],
        rows=rows, note=_totals_note(data),
    )


def _totals_note(data: EffectsFile) -> Text:
    t = data.total
    rate = f"{100 * data.discount_rate:g}"
    common = {"start": data.start_year, "horizon": data.horizon_year, "price_year": data.price_year}
    amounts = {"cost": t.cost_pv_eur["mean"], "low": t.cost_pv_eur["low"], "high": t.cost_pv_eur["high"],
               "investment": t.investment_eur["mean"]}
    costs = _per_language(
        "effects.product.totals.costs",
        {**common, "rate": rate.replace(".", ","), **{k: _amount(v, "nl") for k, v in amounts.items()}},
        {**common, "rate": rate, **{k: _amount(v, "en") for k, v in amounts.items()}})
    if data.themes_not_evaluated:
        names = [theme_text(th) for th in data.themes_not_evaluated]
        missing = _per_language("effects.product.totals.not_evaluated",
                                {"themes": ", ".join(n.nl.lower() for n in names)},
                                {"themes": ", ".join(n.en.lower() for n in names)})
    else:
        missing = text("effects.product.totals.all_evaluated")
    return Text(nl=f"{costs.nl} {missing.nl}", en=f"{costs.en} {missing.en}")
