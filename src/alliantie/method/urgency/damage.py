"""Costs of doing nothing (issue 5): damage per theme, expected annual damage, the NPV range (CliCo), incidents.

The dossier product :func:`damage` reads the saved step 1 theme products and

* values pluvial flooding per case (event x scenario) with the STOWA
  WaterSchadeSchatter (:mod:`alliantie.damage.pluvial`): land use and buildings
  with water above floor level, the expected annual damage (EAD) per scenario
  with the selected integration rule and the others as a sensitivity line;
* values the dike breach of the flood product as an incident (buildings with the
  JRC depth-damage curves to 6 m, land use with the WSS table,
  :mod:`alliantie.damage.flood`) and, with a breach probability, as an annual damage;
* takes heat and drought from ``alliantie.damage.heat`` / ``.drought`` when those
  exist (otherwise "not valued yet");
* per theme and scenario discounts the damage path from ``start_year`` to the
  horizon (year 0 undiscounted), price-indexed to ``price_year``: the total and
  the extra damage of climate change (scenario - today's climate, as CliCo);
  and ranges it over low/mean/high amounts x integration rules x scenarios with
  what drives the range (:func:`alliantie.damage.sensitivity_range`).

Writes ``damage.json`` (everything, for a web viewer), ``tables.json`` with a
figure ``range.png``, and ``maps.json`` with the pluvial EAD map of today
(``ead_pluvial_current.tif``, EUR/ha/year). See ``docs/costs.md``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from alliantie.contract.spec import Cell, Column, FigureSpec, TableSpec, Text
from alliantie.contract.spec import catalogue_text as text
from alliantie.damage.amounts import DamageRange, ThemeDamage
from alliantie.damage.depth_damage import AMOUNTS, Coefficients
from alliantie.damage.npv import RangeSummary, damage_path, sensitivity_range
from alliantie.damage.pluvial import CaseDamage, FacadeRing, PluvialDamage, facade_ring
from alliantie.damage.risk import RULES
from alliantie.i18n import translate
from alliantie.parameters.damage import DamageParameters
from alliantie.parameters.pluvial import PluvialParameters

log = logging.getLogger(__name__)

#: Themes in report order.
THEMES = ("flood", "pluvial", "drought", "heat")
#: The rule level of themes without an integration rule (one level: the factor does not move the range).
NO_RULE = "-"
CURRENT = "current"
FACTORS = ("amount", "rule", "scenario")


# --------------------------------------------------------------------------- the NPV of one scenario


@dataclass(frozen=True)
class Npv:
    """Present values (EUR at the price year, discounted to ``start_year``) of one damage path."""

    total: float  #: sum of the discounted damage, start_year..horizon_year
    extra: float  #: the same minus today's climate kept constant (the cost of climate change)
    trend_total: float  #: the speculative years after horizon_year (trend only)
    trend_extra: float


def scenario_npv(ead_today: float, ead_scenario: float, scenario_year: int | None, params: DamageParameters,
                 rate: float) -> Npv:
    """Present value of the damage path of one scenario and of its extra over today's climate.

    The EAD runs linearly from ``ead_today`` in ``start_year`` to ``ead_scenario`` in
    ``scenario_year`` (today's climate: constant); years up to ``horizon_year`` count
    in ``total``/``extra``, later years up to ``trend_end_year`` are the speculative
    trend. A scenario year at or before the start year counts as reached at once.
    """
    start, horizon, end = params.start_year, params.horizon_year, params.trend_end_year
    if scenario_year is None:
        path = damage_path(ead_today, ead_today, start, horizon, rate=rate, end_year=end,
                           exposure_growth=params.exposure_growth)
    elif scenario_year <= start:
        path = damage_path(ead_scenario, ead_scenario, start, horizon, rate=rate, end_year=end,
                           exposure_growth=params.exposure_growth)
    else:
        path = damage_path(ead_today, ead_scenario, start, scenario_year, rate=rate,
                           end_year=max(end, scenario_year), exposure_growth=params.exposure_growth)
    base = damage_path(ead_today, ead_today, start, horizon, rate=rate, end_year=end,
                       exposure_growth=params.exposure_growth)
    firm = path.years <= horizon
    trend = (path.years > horizon) & (path.years <= end)
    base_firm = base.years <= horizon
    base_trend = base.years > horizon
    total = float(path.discounted[firm].sum())
    trend_total = float(path.discounted[trend].sum())
    return Npv(total=total, extra=total - float(base.discounted[base_firm].sum()), trend_total=trend_total,
               trend_extra=trend_total - float(base.discounted[base_trend].sum()))


@dataclass
class ThemeNpv:
    """The NPV of one theme per (amount, rule, scenario) and its ranges."""

    theme: str
    values: dict[tuple[str, str, str], Npv] = field(default_factory=dict)
    extra: RangeSummary | None = None
    total: RangeSummary | None = None
    #: True when no future scenario could be valued: the range is today's climate only.
    current_only: bool = False


def theme_npv(annual: Mapping[str, Mapping[str, Mapping[str, float]]], scenario_years: Mapping[str, int | None],
              params: DamageParameters, rate: float, theme: str) -> ThemeNpv:
    """NPV per amount x rule x scenario of ``annual[scenario][rule][amount]`` (EUR/year) and the ranges.

    Needs today's climate; the range runs over the future scenarios with a value
    (today's climate alone when there is none).
    """
    out = ThemeNpv(theme=theme)
    today = annual.get(CURRENT)
    if not today:
        return out
    future = [s for s in annual if s != CURRENT]
    scenarios = future or [CURRENT]
    out.current_only = not future
    for sid in scenarios:
        for rule, amounts in annual[sid].items():
            if rule not in today:
                continue
            for amount in AMOUNTS:
                out.values[(amount, rule, sid)] = scenario_npv(
                    float(today[rule][amount]), float(amounts[amount]), scenario_years.get(sid), params, rate)
    if out.values:
        out.extra = sensitivity_range({k: v.extra for k, v in out.values.items()}, FACTORS)
        out.total = sensitivity_range({k: v.total for k, v in out.values.items()}, FACTORS)
    return out


# --------------------------------------------------------------------------- the themes


@dataclass
class Buildings:
    """The buildings input prepared once: cell ids, WSS class, footprint area, floor level."""

    ids: np.ndarray
    count: int
    wss_class: np.ndarray
    floor_area_m2: np.ndarray
    floor_level_m: np.ndarray
    unmapped: list[str]
    ring: FacadeRing


def prepare_buildings(buildings: Any, grid: Any, dem: np.ndarray, knowledge: Mapping[str, Any],
                      floor_height_m: float) -> Buildings:
    """Building ids on the grid, WSS class of the function (unknown: WSS class 1, no damage), area, floor level."""
    from alliantie.damage.depth_damage import building_classes
    from alliantie.method.urgency.bluespots import building_ids, floor_levels

    if buildings is None or not len(buildings):
        empty = np.zeros(0)
        ids0 = np.zeros(grid.shape, np.int32)
        return Buildings(ids0, 0, np.zeros(0, np.int64), empty, empty, [], facade_ring(ids0, 0))
    frame = buildings.reset_index(drop=True)
    ids = building_ids(frame, grid)
    mapping = building_classes(knowledge)
    functions = frame["function"].astype(str) if "function" in frame.columns else None
    if functions is None:
        wss = np.ones(len(frame), dtype=np.int64)
        unmapped = ["(no column 'function')"]
    else:
        mapped = functions.map(mapping)
        unmapped = sorted(set(functions[mapped.isna()]))
        wss = mapped.fillna(1).to_numpy(dtype=np.int64)
    floor = floor_levels(frame, np.asarray(dem, dtype=np.float32), ids, floor_height_m)
    return Buildings(ids=ids, count=len(frame), wss_class=wss,
                     floor_area_m2=frame.geometry.area.to_numpy(dtype=np.float64),
                     floor_level_m=np.asarray(floor, dtype=np.float64), unmapped=unmapped,
                     ring=facade_ring(ids, len(frame)))


def _coefficients(table: Any, settings: Any, code_map: Mapping[int, int] | None) -> dict[str, Coefficients]:
    from alliantie.damage.depth_damage import coefficients

    return {a: coefficients(table, settings.model_copy(update={"amount": a}), code_map) for a in AMOUNTS}


def _read(path: Path, grid: Any) -> np.ndarray:
    from alliantie.io.raster import read_raster

    return np.asarray(read_raster(path, grid=grid, label=path.name).array, dtype=np.float32)


def value_pluvial(folder: Path, *, grid: Any, landuse: np.ndarray, ground: np.ndarray, area: np.ndarray,
                  buildings: Buildings, land_coef: Mapping[str, Coefficients],
                  building_coef: Mapping[str, Coefficients], rain_events: Mapping[str, Any],
                  params: DamageParameters, scenarios: Sequence[str], events: Sequence[str],
                  sources: tuple[str, ...]) -> tuple[PluvialDamage, np.ndarray | None]:
    """Damage per case of the saved pluvial product, the EAD per scenario, and today's EAD raster (EUR/ha/year)."""
    from alliantie.damage.pluvial import above_floor, annual_damage, case_damage
    from alliantie.damage.risk import ead_weights

    info = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    rp = {str(e["id"]): float(e["return_period_years"]) for e in rain_events.get("event", [])}
    labels = {str(e["id"]): (str(e.get("nl", e["id"])), str(e.get("en", e["id"])))
              for e in rain_events.get("event", [])}
    cases: list[CaseDamage] = []
    ead_map: np.ndarray | None = None
    weights: dict[str, float] = {}
    today = [c for c in info.get("cases", []) if c.get("scenario") == CURRENT and str(c.get("event")) in rp]
    if len(today) >= 1:
        w = ead_weights([rp[str(c["event"])] for c in today], params.rule)
        weights = {str(c["event"]): float(x) for c, x in zip(today, w, strict=True)}
    for c in info.get("cases", []):
        event, sid = str(c["event"]), str(c["scenario"])
        if event not in rp or event not in events or sid not in scenarios:
            continue
        depth = _read(folder / f"depth_{c['id']}.tif", grid)
        above = None
        if buildings.count:
            above = above_floor(depth, ground, buildings.ring, buildings.floor_level_m)
        case = case_damage(event, sid, rp[event], depth, landuse, land_coef, grid.cell_area,
                           water_above_floor=above, building_class=buildings.wss_class,
                           floor_area_m2=buildings.floor_area_m2, building_coef=building_coef, area=area)
        cases.append(case)
        if sid == CURRENT and event in weights:
            per_cell = _cell_damage(depth, landuse, land_coef["mean"], grid.cell_area, area, buildings, above,
                                    building_coef["mean"])
            ead_map = per_cell * weights[event] if ead_map is None else ead_map + per_cell * weights[event]
    result = annual_damage(cases, price_year=params.price_year, sources=sources, rule=params.rule,
                           incident_event=params.incident_event, event_labels=labels, scenarios=scenarios)
    result.theme.basis_nl = translate("damage_product.basis.pluvial", "nl")
    result.theme.basis_en = translate("damage_product.basis.pluvial", "en")
    if ead_map is not None:
        ead_map = np.where(area, ead_map / grid.cell_area * 1.0e4, np.nan).astype(np.float32)
    return result, ead_map


def _cell_damage(depth: np.ndarray, landuse: np.ndarray, coef: Coefficients, cell_area: float, area: np.ndarray,
                 buildings: Buildings, above: np.ndarray | None, building_coef: Coefficients) -> np.ndarray:
    """Damage (EUR) per cell of one event: land use, plus each building's damage spread over its footprint."""
    from alliantie.damage.depth_damage import object_damage
    from alliantie.damage.pluvial import land_damage

    flat = np.zeros(depth.size)
    idx, per_cell = land_damage(depth, landuse, coef, cell_area, area)
    flat[idx] = np.nan_to_num(per_cell, nan=0.0)
    out: np.ndarray = flat.reshape(depth.shape)
    if buildings.count and above is not None:
        wet = np.isfinite(above) & (above > 0)
        if wet.any():
            per_b = object_damage(np.where(wet, above, 0.0), buildings.wss_class, buildings.floor_area_m2,
                                  building_coef, unknown="zero")
            cells = np.bincount(buildings.ids.ravel(), minlength=buildings.count + 1)[1:]
            share = np.zeros(buildings.count + 1)
            share[1:] = np.where(cells > 0, np.nan_to_num(per_b) / np.maximum(cells, 1), 0.0)
            out += share[buildings.ids]
    return out


def value_flood(folder: Path, *, grid: Any, landuse: np.ndarray, ground: np.ndarray, area: np.ndarray,
                buildings: Buildings, land_coef: Mapping[str, Coefficients], curves: Any, curve_factor: float,
                params: DamageParameters, scenarios: Sequence[str], sources: tuple[str, ...]) -> ThemeDamage:
    """The breach of every scenario of the saved flood product as an incident; annual with a probability.

    Land use with the WSS table (``land_coef``), buildings with the breach curves
    (``curves``: :class:`alliantie.damage.flood.FloodCurves`, amounts times ``curve_factor``).
    """
    from alliantie.damage.flood import annual_damage, breach_case, water_above_floor

    summary = folder / "summary.json"
    info = json.loads(summary.read_text(encoding="utf-8")) if summary.exists() else {}
    breaches: list[CaseDamage] = []
    if info.get("mode") in ("breach", "external"):
        for c in info.get("cases", []):
            sid = str(c["scenario"])
            path = folder / f"depth_{sid}.tif"
            if sid not in scenarios or not path.exists():
                continue
            depth = _read(path, grid)
            above = None
            if buildings.count:
                above = water_above_floor(depth, ground, buildings.ids, buildings.count, buildings.floor_level_m)
                depth = np.where(buildings.ids > 0, np.float32(np.nan), depth)  # buildings count as objects
            breaches.append(breach_case(sid, depth, landuse, land_coef, grid.cell_area, above_floor=above,
                                        wss_class=buildings.wss_class, area_m2=buildings.floor_area_m2,
                                        curves=curves, price_factor=curve_factor, area=area))
    labels = {sid: (translate("damage_product.incident.breach", "nl", scenario=_scenario_label(sid, "nl")),
                    translate("damage_product.incident.breach", "en", scenario=_scenario_label(sid, "en")))
              for sid in scenarios}
    theme = annual_damage(breaches, price_year=params.price_year,
                          probability_per_year=params.breach_probability_per_year, scenarios=scenarios,
                          sources=sources, labels=labels)
    theme.basis_nl = translate("damage_product.basis.flood", "nl")
    theme.basis_en = translate("damage_product.basis.flood", "en")
    return theme


def value_other(theme: str, folder: Path, knowledge: Mapping[str, Any] | None,
                price_year: int) -> tuple[ThemeDamage | None, str]:
    """Heat or drought through ``alliantie.damage.<theme>.annual_damage``; (None, why) when it cannot be valued."""
    from alliantie.contract.theme import read_theme
    from alliantie.damage import drought as drought_damage
    from alliantie.damage import heat as heat_damage

    module = {"heat": heat_damage, "drought": drought_damage}.get(theme)
    if module is None or knowledge is None:
        return None, "not_valued"
    saved = read_theme(folder)
    if saved is None:
        return None, "no_data"
    summary, values = saved
    try:
        return module.annual_damage(summary, values, knowledge, price_year=price_year), "valued"
    except NotImplementedError:
        return None, "not_valued"


# --------------------------------------------------------------------------- labels


def _scenario_label(sid: str, language: str) -> str:
    if sid == CURRENT:
        return translate("damage_product.scenario.current", language)
    return sid


def _scenario_text(sid: str) -> Text:
    return Text(nl=_scenario_label(sid, "nl"), en=_scenario_label(sid, "en"))


def _level_text(factor: str, level: str) -> Text:
    if factor == "scenario":
        return _scenario_text(level)
    if factor == "amount":
        return text(f"damage_product.amount.{level}")
    return text(f"damage_product.rule.{level}") if level != NO_RULE else Text(nl=level, en=level)


def driver_text(summary: RangeSummary) -> Text:
    """What drives the range, in words: the factor with the largest swing and its low and high levels."""
    moving = [d for d in summary.drivers if d.swing > 0]
    if not moving:
        return text("damage_product.driver.none")
    d = moving[0]
    low, high = _level_text(d.factor, d.low_level), _level_text(d.factor, d.high_level)
    key = "damage_product.driver.main_amount" if d.factor == "amount" else "damage_product.driver.main"
    parts = {lang: translate(key, lang, factor=translate(f"damage_product.factor.{d.factor}", lang),
                             low=low.get(lang), high=high.get(lang)) for lang in ("nl", "en")}
    if len(moving) > 1:
        nxt = moving[1]
        for lang in ("nl", "en"):
            parts[lang] += " " + translate("damage_product.driver.next", lang,
                                           factor=translate(f"damage_product.factor.{nxt.factor}", lang))
    return Text(nl=parts["nl"], en=parts["en"])


# --------------------------------------------------------------------------- outputs


def _range_dict(r: DamageRange) -> dict[str, Any]:
    return {"low": round(r.low, 2), "mean": round(r.mean, 2), "high": round(r.high, 2), "price_year": r.price_year}


def _summary_dict(s: RangeSummary | None) -> dict[str, Any] | None:
    if s is None:
        return None
    return {"min": round(s.minimum, 2), "max": round(s.maximum, 2), "at_min": s.at_minimum, "at_max": s.at_maximum,
            "main_driver": s.main_driver,
            "drivers": [{"factor": d.factor, "swing": round(d.swing, 2), "low_level": d.low_level,
                         "high_level": d.high_level} for d in s.drivers]}


@dataclass
class ThemeResult:
    """One theme: its damage (None when not valued), status, per-rule EAD and the NPV."""

    theme: str
    status: str  #: "valued", "not_valued", "no_data", "no_probability"
    damage: ThemeDamage | None = None
    annual: dict[str, dict[str, dict[str, float]]] = field(default_factory=dict)  #: scenario -> rule -> amount
    npv: ThemeNpv | None = None


def annual_table(damage: ThemeDamage) -> dict[str, dict[str, dict[str, float]]]:
    """scenario -> rule -> amount -> EUR/year of a theme without integration rules."""
    return {sid: {NO_RULE: {"low": r.low, "mean": r.mean, "high": r.high}} for sid, r in damage.annual.items()}


def damage_json(results: Sequence[ThemeResult], params: DamageParameters, rate: Any,
                pluvial: PluvialDamage | None) -> dict[str, Any]:
    """Everything of the product, laid out for a web viewer."""
    themes: dict[str, Any] = {}
    for r in results:
        entry: dict[str, Any] = {"status": r.status, "title": text(f"damage_product.theme.{r.theme}").model_dump()}
        if r.damage is not None:
            d = r.damage
            entry["basis"] = {"nl": d.basis_nl, "en": d.basis_en}
            ranges = [*d.annual.values(), *(i.damage for i in d.incidents)]
            entry["sources"] = list(dict.fromkeys(src for v in ranges for src in v.sources))
            entry["annual"] = {sid: _range_dict(v) for sid, v in d.annual.items()}
            entry["incidents"] = [{"id": i.id, "scenario": i.scenario, "label": {"nl": i.label_nl, "en": i.label_en},
                                   "damage": _range_dict(i.damage)} for i in d.incidents]
            entry["missing"] = [list(m) for m in d.missing]
        if r.npv is not None and r.npv.values:
            entry["npv"] = [{"amount": a, "rule": rule, "scenario": s, "total": round(v.total, 2),
                             "extra": round(v.extra, 2), "trend_total": round(v.trend_total, 2),
                             "trend_extra": round(v.trend_extra, 2)} for (a, rule, s), v in r.npv.values.items()]
            entry["range_extra"] = _summary_dict(r.npv.extra)
            entry["range_total"] = _summary_dict(r.npv.total)
            entry["current_only"] = r.npv.current_only
        if r.theme == "pluvial" and pluvial is not None:
            entry["rule"] = pluvial.rule
            entry["ead_by_rule"] = {sid: {rule: {a: round(v, 2) for a, v in amounts.items()}
                                          for rule, amounts in per_rule.items()}
                                    for sid, per_rule in pluvial.ead.items()}
            entry["events"] = [{"event": c.event, "scenario": c.scenario, "return_period_years": c.return_period,
                                "land": {a: round(v, 2) for a, v in c.land.items()},
                                "buildings": {a: round(v, 2) for a, v in c.buildings.items()},
                                "buildings_above_floor": c.buildings_above_floor} for c in pluvial.cases]
        themes[r.theme] = entry
    return {
        "price_year": params.price_year, "currency": "EUR", "start_year": params.start_year,
        "horizon_year": params.horizon_year, "trend_end_year": params.trend_end_year,
        "discount": {"preset": rate.name, "rate": rate.rate, "source": rate.source},
        "exposure_growth": params.exposure_growth,
        "conventions": text("damage_product.conventions", start=params.start_year, horizon=params.horizon_year,
                            rate=f"{100 * rate.rate:g}", rate_nl=f"{100 * rate.rate:g}".replace(".", ","),
                            price_year=params.price_year).model_dump(),
        "themes": themes,
    }


def _status_text(r: ThemeResult) -> Text:
    return text(f"damage_product.status.{r.status}")


def missing_note(results: Sequence[ThemeResult]) -> Text | None:
    """What could not be valued per theme, item and climate (never guessed), as one sentence; None when complete."""
    from alliantie.i18n import has_key

    parts: dict[str, list[str]] = {"nl": [], "en": []}
    for r in results:
        assert r.damage is not None
        items: dict[str, list[str]] = {}
        for item, sid in r.damage.missing:
            items.setdefault(item, []).append(sid)
        for item, sids in items.items():
            for lang in ("nl", "en"):
                key = f"damage_product.missing.{item}"
                name = translate(key, lang) if has_key(key) else item.replace("_", " ")
                where = ", ".join(_scenario_label(s, lang) for s in sids)
                parts[lang].append(f"{translate(f'damage_product.theme.{r.theme}', lang)}: {name} ({where})")
    if not parts["nl"]:
        return None
    return Text(nl=translate("damage_product.tables.ead.missing", "nl", items="; ".join(parts["nl"])),
                en=translate("damage_product.tables.ead.missing", "en", items="; ".join(parts["en"])))


def tables(results: Sequence[ThemeResult], params: DamageParameters, rate: Any,
           pluvial: PluvialDamage | None, scenarios: Sequence[str]) -> list[TableSpec]:
    """(1) the NPV range per theme, (2) EAD per theme x scenario, (3) pluvial rule sensitivity, (4) incidents."""
    rate_s = f"{100 * rate.rate:g}"
    conventions = text("damage_product.conventions", start=params.start_year, horizon=params.horizon_year,
                       rate=rate_s, rate_nl=rate_s.replace(".", ","), price_year=params.price_year)
    eur = f"EUR {params.price_year}"
    rows: list[list[Cell]] = []
    for r in results:
        npv = r.npv
        if npv is None or npv.extra is None or npv.total is None:
            rows.append([text(f"damage_product.theme.{r.theme}"), None, None, None, None, _status_text(r)])
            continue
        what = driver_text(npv.extra if not npv.current_only else npv.total)
        if npv.current_only:
            what = Text(nl=f"{what.nl} {translate('damage_product.driver.current_only', 'nl')}",
                        en=f"{what.en} {translate('damage_product.driver.current_only', 'en')}")
        extra_min: Cell = None if npv.current_only else npv.extra.minimum
        extra_max: Cell = None if npv.current_only else npv.extra.maximum
        rows.append([text(f"damage_product.theme.{r.theme}"), extra_min, extra_max, npv.total.minimum,
                     npv.total.maximum, what])
    out = [TableSpec(
        id="damage_npv_range", theme="damage", title=text("damage_product.tables.range.title",
                                                          horizon=params.horizon_year),
        description=text("damage_product.tables.range.description"),
        columns=[Column(label=text("damage_product.tables.theme")),
                 Column(label=text("damage_product.tables.extra_low"), unit=eur),
                 Column(label=text("damage_product.tables.extra_high"), unit=eur),
                 Column(label=text("damage_product.tables.total_low"), unit=eur),
                 Column(label=text("damage_product.tables.total_high"), unit=eur),
                 Column(label=text("damage_product.tables.driver"))],
        rows=rows, note=conventions)]

    ead_rows: list[list[Cell]] = []
    for r in results:
        if r.damage is None or not r.damage.annual:
            continue
        for sid in scenarios:
            v = r.damage.annual.get(sid)
            if v is not None:
                ead_rows.append([text(f"damage_product.theme.{r.theme}"), _scenario_text(sid), v.low, v.mean,
                                 v.high])
    note = missing_note([r for r in results if r.damage is not None and r.damage.annual])
    out.append(TableSpec(
        id="damage_ead", theme="damage", title=text("damage_product.tables.ead.title"),
        description=text("damage_product.tables.ead.description",
                         rule_nl=translate(f"damage_product.rule.{params.rule}", "nl"),
                         rule_en=translate(f"damage_product.rule.{params.rule}", "en")),
        columns=[Column(label=text("damage_product.tables.theme")),
                 Column(label=text("damage_product.tables.scenario")),
                 Column(label=text("damage_product.amount_year.low"), unit=eur),
                 Column(label=text("damage_product.amount_year.mean"), unit=eur),
                 Column(label=text("damage_product.amount_year.high"), unit=eur)],
        rows=ead_rows, note=note))

    if pluvial is not None and pluvial.ead:
        rule_rows: list[list[Cell]] = []
        for sid, per_rule in pluvial.ead.items():
            base = per_rule[pluvial.rule]["mean"]
            row: list[Cell] = [_scenario_text(sid)]
            row.extend(per_rule[rule]["mean"] for rule in RULES)
            others = [per_rule[rule]["mean"] for rule in RULES if rule != pluvial.rule]
            for other in (min(others), max(others)):
                diff = None if base <= 0 else 100.0 * (other - base) / base
                row.append(None if diff is None else (0.0 if abs(diff) < 0.5 else diff))
            rule_rows.append(row)
        out.append(TableSpec(
            id="damage_pluvial_rules", theme="damage", title=text("damage_product.tables.rules.title"),
            description=text("damage_product.tables.rules.description"),
            columns=[Column(label=text("damage_product.tables.scenario")),
                     *[Column(label=text(f"damage_product.rule_short.{rule}"), unit=f"{eur}/a")
                       for rule in RULES],
                     Column(label=text("damage_product.tables.rules.min_diff"), decimals=0, unit="%"),
                     Column(label=text("damage_product.tables.rules.max_diff"), decimals=0, unit="%")],
            rows=rule_rows))

    incident_rows: list[list[Cell]] = []
    for r in results:
        if r.damage is None:
            continue
        for i in r.damage.incidents:
            incident_rows.append([text(f"damage_product.theme.{r.theme}"), Text(nl=i.label_nl, en=i.label_en),
                                  _scenario_text(i.scenario), i.damage.low, i.damage.mean, i.damage.high])
    out.append(TableSpec(
        id="damage_incidents", theme="damage", title=text("damage_product.tables.incidents.title"),
        description=text("damage_product.tables.incidents.description"),
        columns=[Column(label=text("damage_product.tables.theme")),
                 Column(label=text("damage_product.tables.incident")),
                 Column(label=text("damage_product.tables.scenario")),
                 Column(label=text("damage_product.amount.low"), unit=eur),
                 Column(label=text("damage_product.amount.mean"), unit=eur),
                 Column(label=text("damage_product.amount.high"), unit=eur)],
        rows=incident_rows, note=text("damage_product.tables.incidents.note")))
    return out


def range_figure(results: Sequence[ThemeResult], path: Path, language: str, params: DamageParameters) -> bool:
    """Horizontal range bars per theme: total NPV (min-max over the factorial), the extra of climate change, means.

    Themes without a value get a line of text saying why. Returns False when no theme has a value.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    maxima = [r.npv.total.maximum for r in results if r.npv is not None and r.npv.total is not None]
    if not maxima:
        return False
    scale, unit = _scale(max(maxima))
    fig, ax = plt.subplots(figsize=(8.0, 1.4 + 0.55 * len(results)), dpi=150)
    first = {"total": True, "extra": True, "mean": True}

    def label(kind: str) -> str | None:
        if first[kind]:
            first[kind] = False
            return translate(f"damage_product.figure.{kind}", language)
        return None

    for y, r in enumerate(results):
        npv = r.npv
        if npv is None or npv.total is None:
            ax.text(0.0, y, "  " + translate(f"damage_product.short.{r.status}", language), va="center", ha="left",
                    fontsize=7, color="#555555")
            continue
        ax.plot([npv.total.minimum / scale, npv.total.maximum / scale], [y, y], color="#9ecae1", linewidth=9,
                solid_capstyle="butt", label=label("total"))
        if npv.extra is not None and not npv.current_only:
            ax.plot([max(npv.extra.minimum, 0.0) / scale, max(npv.extra.maximum, 0.0) / scale], [y + 0.28, y + 0.28],
                    color="#cb181d", linewidth=4, solid_capstyle="butt", label=label("extra"))
        means = [v.total for (a, rule, _s), v in npv.values.items() if a == "mean" and rule in (params.rule, NO_RULE)]
        ax.plot([m / scale for m in means], [y] * len(means), "o", color="#08306b", markersize=3.5,
                label=label("mean"))
    ax.set_yticks(range(len(results)), [translate(f"damage_product.theme.{r.theme}", language) for r in results])
    ax.set_ylim(len(results) - 0.4, -0.6)
    ax.set_xlabel(translate("damage_product.figure.xlabel", language, unit=unit, price_year=params.price_year,
                            start=params.start_year, horizon=params.horizon_year))
    ax.set_xlim(left=0)
    ax.grid(axis="x", color="#dddddd")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.28), ncol=3, fontsize=7, frameon=False)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return True


def _scale(maximum: float) -> tuple[float, str]:
    if maximum >= 1e6:
        return 1e6, "mln EUR"
    if maximum >= 1e3:
        return 1e3, "k EUR"
    return 1.0, "EUR"


# --------------------------------------------------------------------------- the dossier product


def damage(ctx: Any) -> None:
    """Costs of doing nothing: damage per theme and scenario, EAD, the NPV range, incidents."""
    from alliantie.climate import dossier_scenarios
    from alliantie.contract.spec import Layer, MapSpec, write_maps, write_tables
    from alliantie.damage.depth_damage import class_map, default_settings, load_damage_table
    from alliantie.damage.npv import discount_presets, price_index_factor
    from alliantie.errors import ConfigError
    from alliantie.io.raster import write_raster
    from alliantie.io.styles import raster_ramp_qml
    from alliantie.method.baseinfo.output import hillshade_layer

    params = ctx.params(DamageParameters)
    pluvial_params = ctx.params(PluvialParameters)
    events = list(pluvial_params.events)
    if params.incident_event not in events:
        raise ConfigError("damage_product.errors.incident_event", value=params.incident_event,
                          events=", ".join(events))
    econ = ctx.knowledge("economics")
    presets = discount_presets(econ)
    rate = presets[params.discount_rate]
    knowledge = ctx.knowledge("damage_pluvial")
    table = load_damage_table(knowledge)
    factor = price_index_factor(table.price_year, params.price_year, econ)
    settings = default_settings(knowledge).model_copy(update={"price_factor": factor})
    lgn = class_map(knowledge)
    land_coef = _coefficients(table, settings, lgn)
    building_coef = _coefficients(table, settings, None)
    breach_settings = settings.model_copy(update={"duration_h": params.breach_duration_h})
    flood_land = _coefficients(table, breach_settings, lgn)
    from alliantie.damage.flood import KNOWLEDGE as FLOOD_KNOWLEDGE
    from alliantie.damage.flood import load_flood_curves

    flood_curves = load_flood_curves(ctx.knowledge(FLOOD_KNOWLEDGE))
    flood_factor = price_index_factor(flood_curves.price_year, params.price_year, econ)
    sources = (table.source,)

    scenario_list = dossier_scenarios(ctx.param("scenarios"))
    scenarios = [s.id for s in scenario_list]
    years = {s.id: s.horizon for s in scenario_list}
    grid = ctx.grid
    area = np.asarray(ctx.mask, dtype=bool)
    landuse = ctx.raster("landuse").array
    ground = ctx.raster("dem").array.astype(np.float32)
    buildings = prepare_buildings(ctx.vector("buildings"), grid, ground, knowledge,
                                  pluvial_params.floor_height_m)
    ctx.progress(0.1)

    pluvial, ead_map = value_pluvial(
        ctx.upstream("urgency.pluvial"), grid=grid, landuse=landuse, ground=ground, area=area, buildings=buildings,
        land_coef=land_coef, building_coef=building_coef, rain_events=ctx.knowledge("rain_events"), params=params,
        scenarios=scenarios, events=events, sources=sources)
    ctx.progress(0.6)
    flood = value_flood(ctx.upstream("urgency.flood"), grid=grid, landuse=landuse, ground=ground, area=area,
                        buildings=buildings, land_coef=flood_land, curves=flood_curves, curve_factor=flood_factor,
                        params=params, scenarios=scenarios, sources=(flood_curves.source, *sources))
    ctx.progress(0.8)

    results: list[ThemeResult] = []
    for theme in THEMES:
        if theme == "pluvial":
            r = ThemeResult(theme, "valued" if pluvial.theme.annual else "no_data", pluvial.theme, pluvial.ead)
        elif theme == "flood":
            if flood.annual:
                status = "valued"
            elif flood.incidents:
                status = "no_probability"
            else:
                status = "no_data"
            r = ThemeResult(theme, status, flood, annual_table(flood))
        else:
            name = f"damage_{theme}"
            k: dict[str, Any] | None = None
            if name in ctx.product.knowledge:  # the dossier's own versions of the files they read too
                k = {**ctx.knowledge(name), "economics": econ, "knmi_scenarios": ctx.knowledge("knmi_scenarios")}
            upstream = f"urgency.{theme}"
            saved = ctx.upstream(upstream) if upstream in ctx.product.depends else ctx.optional_upstream(upstream)
            dmg, status = (None, "no_data") if saved is None else value_other(theme, saved, k, params.price_year)
            r = ThemeResult(theme, status if dmg is None or dmg.annual else "no_data", dmg,
                            annual_table(dmg) if dmg is not None else {})
        if r.annual:
            r.npv = theme_npv(r.annual, years, params, rate.rate, theme)
        results.append(r)
        log.info("damage %s: %s", theme, r.status)

    folder: Path = ctx.out_dir
    figures: list[FigureSpec] = []
    if range_figure(results, folder / "range.png", ctx.language, params):
        figures.append(FigureSpec(id="damage_range", theme="damage", title=text("damage_product.figure.title",
                                                                                 horizon=params.horizon_year),
                                  description=text("damage_product.figure.description"), file="range.png"))
    write_tables(folder, tables(results, params, rate, pluvial, scenarios), figures)
    ctx.write_json("damage.json", damage_json(results, params, rate, pluvial))
    maps: list[MapSpec] = []
    if ead_map is not None:
        vmax = float(np.nanpercentile(ead_map[ead_map > 0], 99)) if (ead_map > 0).any() else 1.0
        shown = np.where(ead_map > 0, ead_map, np.nan).astype(np.float32)
        write_raster(folder / "ead_pluvial_current.tif", shown, grid,
                     qml=raster_ramp_qml([(0.0, "#ffffcc", "0"), (vmax / 2, "#fd8d3c", f"{vmax / 2:.0f}"),
                                          (vmax, "#800026", f"{vmax:.0f}")]),
                     description=f"expected annual damage of pluvial flooding today, EUR/ha/year, NaN where none "
                                 f"(price level {params.price_year}, rule {params.rule})")
        maps.append(MapSpec(
            id="damage_pluvial_ead", theme="damage", title=text("damage_product.maps.ead.title"),
            description=text("damage_product.maps.ead.description", price_year=params.price_year),
            layers=[hillshade_layer(),
                    Layer(file="ead_pluvial_current.tif", type="raster_continuous", cmap="YlOrRd", vmin=0.0,
                          vmax=max(vmax, 1.0),
                          label=text("damage_product.maps.ead.legend", price_year=params.price_year))]))
    write_maps(folder, maps)
    ctx.progress(1.0)


__all__ = ["Npv", "ThemeNpv", "damage", "scenario_npv", "theme_npv"]
