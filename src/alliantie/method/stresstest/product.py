"""Product ``urgency.stresstest``: the stresstest-light summary of the four climate-effect themes.

Reads only what the theme products saved (``theme.json``, ``indicators.csv``,
``severity_<scenario>.tif``, see :mod:`alliantie.contract.theme`), the
damage product's range table when it exists, and the neighbourhoods; writes

* ``summary.json``: per theme the verdict (light, reference scenario, focus areas,
  fired rules) or why it was not assessed; the notes on data and assumptions;
* ``tables.json`` (theme "stresstest"): the verdict per theme and the counts per
  neighbourhood; ``maps.json``: the highest severity with the neighbourhoods that
  need a detailed stress test (``severity_max.tif``, ``focus.gpkg``);
* ``stresstest.pdf``: the same on one A4 page (:mod:`alliantie.method.stresstest.page`).

A theme is *not assessed* when its product is missing, when drought has no
groundwater data (GHG without any valid cell: the placeholder that ``alliantie
stresstest`` writes when none is given) or when flood had neither a breach nor
a flood-depth map.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from alliantie.contract.spec import Cell, Column, Layer, LegendEntry, MapSpec, TableSpec, Text
from alliantie.contract.spec import catalogue_text as text
from alliantie.contract.theme import (
    SEVERITY_COLORS,
    SEVERITY_LABELS,
    SEVERITY_NODATA,
    THEMES,
    IndicatorValue,
    ThemeSummary,
    read_severity,
    read_theme,
)
from alliantie.i18n import translate
from alliantie.io.styles import StyleClass, hex_rgb, raster_paletted_qml
from alliantie.method.stresstest.rules import (
    HIGH,
    LIGHT_COLORS,
    LOW,
    MODERATE,
    StresstestKnowledge,
    ThemeAssessment,
    assess,
    severity_share,
)

PDF_FILE = "stresstest.pdf"
SUMMARY_FILE = "summary.json"
DAMAGE = "urgency.damage"
ELEVATION = "baseinfo.elevation"

#: Columns of the per-neighbourhood table: (column key, theme, indicator, decimals).
COUNT_COLUMNS: tuple[tuple[str, str, str, int], ...] = (
    ("water_floor", "pluvial", "buildings_above_floor_t100", 0),
    ("roads", "pluvial", "road_km_no_traffic_t100", 1),
    ("flooded", "flood", "buildings_flooded", 0),
    ("heat_residents", "heat", "residents_pet_extreme", 0),
    ("heat_over65", "heat", "over65_pet_extreme", 0),
    ("foundation", "drought", "buildings_foundation_risk", 0),
)
COUNT_UNITS = {"roads": "km"}


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


# --- verdict --------------------------------------------------------------------------------------------------------

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


def indicator_label(indicator: str, language: str, data: ThemeData | None = None) -> str:
    """Short catalogue label of an indicator (``stresstest.rule_labels``), else the theme's own label, else the id."""
    from alliantie.i18n import has_key

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
                                 minimum=_number(trigger.rule.minimum, language), values=values))
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
        from math import floor, log10

        value = round(value, -(floor(log10(value)) - 1))
    return "€\u00a0" + format_number(value, 0, language)


def format_span(span: tuple[float, float] | None, language: str) -> str:
    """"€ low – € high", or a dash."""
    if span is None:
        return "–"
    return f"{format_money(span[0], language)} – {format_money(span[1], language)}"


def damage_text(result: Stresstest, theme: str) -> Text | None:
    """The theme's present-value damage range (or its status) for the theme table; None without damage product."""
    if result.damage is None:
        return None
    from alliantie.i18n import has_key

    for row in result.damage.rows:
        if row.theme == theme:
            if row.total is not None:
                return Text(nl=format_span(row.total, "nl"), en=format_span(row.total, "en"))
            key = f"stresstest.damage.status.{row.status}"
            return text(key) if has_key(key) else Text(nl=row.status, en=row.status)
    return None


def light_text(assessment: ThemeAssessment) -> Text:
    if not assessment.assessed or assessment.light is None:
        return text("stresstest.lights.none")
    return text(f"stresstest.lights.{assessment.light}")


# --- tables and maps ------------------------------------------------------------------------------------------------

def theme_table(result: Stresstest) -> TableSpec:
    """The verdict per theme."""
    rows: list[list[Cell]] = []
    for theme in THEMES:
        a = result.assessments[theme]
        focus = ", ".join(p.name for p in a.focus) if a.assessed else ""
        rows.append([
            text(f"report.themes.{theme}"), light_text(a),
            a.key_current if a.assessed else None, a.key_reference if a.assessed else None,
            None if a.share is None else 100 * a.share,
            focus,
            Text(nl=sentence(a, "nl", result.data.get(theme)), en=sentence(a, "en", result.data.get(theme))),
            damage_text(result, theme),
        ])
    notes = [reference_note(result), *result.notes]
    notes.append(text("stresstest.notes.damage_see") if result.damage is not None
                 else text("stresstest.notes.damage_missing"))
    return TableSpec(
        id="stresstest_themes", theme="stresstest", title=text("stresstest.tables.themes.title"),
        description=text("stresstest.tables.themes.description"),
        columns=[
            Column(label=text("stresstest.columns.theme")), Column(label=text("stresstest.columns.light")),
            Column(label=_prefixed("key", "today"), decimals=0), Column(label=_prefixed("key", "reference"),
                                                                           decimals=0),
            Column(label=text("stresstest.columns.share"), decimals=1, unit="%"),
            Column(label=text("stresstest.columns.focus")), Column(label=text("stresstest.columns.detail")),
            Column(label=text("stresstest.damage.column")),
        ],
        rows=rows,
        note=Text(nl=" ".join(n.nl for n in notes), en=" ".join(n.en for n in notes)),
    )


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


def _prefixed(first: str, second: str) -> Text:
    a, b = text(f"stresstest.columns.{first}"), text(f"stresstest.columns.{second}")
    return Text(nl=f"{a.nl}: {b.nl.lower()}", en=f"{a.en}: {b.en.lower()}")


def count_rows(result: Stresstest) -> tuple[list[list[float | None]], list[float | None]]:
    """Per neighbourhood and for the study area: the values of :data:`COUNT_COLUMNS` (None: not assessed)."""
    rows = [[result.value(theme, code, ind) for _, theme, ind, _ in COUNT_COLUMNS]
            for code, _ in result.neighbourhoods]
    total = [result.value(theme, "", ind) for _, theme, ind, _ in COUNT_COLUMNS]
    return rows, total


def count_table(result: Stresstest) -> TableSpec:
    """The counts per neighbourhood (each theme in its reference scenario)."""
    rows, total = count_rows(result)
    refs = reference_note(result)
    return TableSpec(
        id="stresstest_counts", theme="stresstest", title=text("stresstest.tables.counts.title"),
        description=text("stresstest.tables.counts.description"),
        columns=[Column(label=text("stresstest.columns.neighbourhood"))] + [
            Column(label=text(f"stresstest.columns.{key}"), decimals=dec, unit=COUNT_UNITS.get(key, ""))
            for key, _, _, dec in COUNT_COLUMNS],
        rows=[[name, *row] for (_, name), row in zip(result.neighbourhoods, rows, strict=True)],
        total=[text("stresstest.columns.total"), *total],
        note=Text(nl=f"{refs.nl} {translate('stresstest.tables.counts.note', 'nl')}",
                  en=f"{refs.en} {translate('stresstest.tables.counts.note', 'en')}"),
    )


def highest_severity(result: Stresstest, mask: np.ndarray) -> np.ndarray:
    """Per cell the highest severity class over the assessed themes (255 outside the area)."""
    out = np.zeros(mask.shape, dtype=np.uint8)
    for theme, found in result.data.items():
        if found.severity is None or not result.assessments[theme].assessed:
            continue
        sev = np.where(found.severity == SEVERITY_NODATA, 0, found.severity).astype(np.uint8)
        np.maximum(out, sev, out=out)
    out[~mask] = SEVERITY_NODATA
    return out


def themes_needing_detail(result: Stresstest) -> dict[str, int]:
    """Neighbourhood name -> number of themes whose rules ask for a detailed stress test there."""
    counts: dict[str, int] = {}
    for a in result.assessments.values():
        for place in a.detail_places:
            counts[place] = counts.get(place, 0) + 1
    return counts


#: Outline colours of the focus neighbourhoods by number of themes (blues: they stand out on the orange severity).
FOCUS_COLORS = {1: "#6baed6", 2: "#2171b5", 3: "#08519c", 4: "#08306b"}


def focus_map(hillshade: bool, counts: Sequence[int]) -> MapSpec:
    """The map of the highest severity and the neighbourhoods that need a detailed stress test.

    ``counts``: the numbers of themes (1-4) that occur in ``focus.gpkg``; empty = no focus layer.
    """
    layers: list[Layer] = [Layer(
        file="severity_max.tif", type="raster_classes",
        legend=[LegendEntry(value=k, color=c, label=Text(nl=SEVERITY_LABELS[k].split(" / ")[0],
                                                         en=SEVERITY_LABELS[k].split(" / ")[1]))
                for k, c in SEVERITY_COLORS.items()],
    )]
    if hillshade:
        from alliantie.method.baseinfo.output import hillshade_layer

        layers.append(hillshade_layer())
    if counts:
        layers.append(Layer(
            file="focus.gpkg", layer="focus", type="vector", column="themes", alpha=0.0, linewidth=2.2,
            legend=[LegendEntry(value=k, color=c, label=text("stresstest.maps.focus.themes", count=k))
                    for k, c in FOCUS_COLORS.items() if k in counts],
        ))
    return MapSpec(id="stresstest_focus", title=text("stresstest.maps.focus.title"),
                   description=text("stresstest.maps.focus.description"), theme="stresstest", layers=layers)


def summary_json(result: Stresstest) -> dict[str, Any]:
    """``summary.json``: the verdict, machine-readable."""
    themes: dict[str, Any] = {}
    for theme, a in result.assessments.items():
        themes[theme] = {
            "assessed": a.assessed, "reason": a.reason, "indicator": a.indicator or None,
            "scenario": a.scenario if a.assessed else None,
            "share_moderate_high": a.share, "key_current": a.key_current, "key_reference": a.key_reference,
            "light": None if a.light is None else ("low", "moderate", "high")[a.light],
            "focus": [{"code": p.code, "name": p.name, "value": p.value} for p in a.focus],
            "detail": [{"indicator": t.rule.indicator, "minimum": t.rule.minimum,
                        "places": [{"code": p.code, "name": p.name, "value": p.value} for p in t.places]}
                       for t in a.triggers],
            "sentence": {"nl": sentence(a, "nl", result.data.get(theme)),
                         "en": sentence(a, "en", result.data.get(theme))},
        }
    return {"name": result.name, "themes": themes, "notes": [n.model_dump() for n in result.notes],
            "damage": None if result.damage is None else {
                "price_year": result.damage.price_year, "rows": [
                    {"theme": r.theme, "status": r.status, "total": r.total, "extra": r.extra}
                    for r in result.damage.rows]},
            "inputs": result.inputs}


# --- the product ----------------------------------------------------------------------------------------------------

def _theme_data(ctx: Any, theme: str) -> ThemeData | str:
    """The saved outputs of theme product ``urgency.<theme>``, or the i18n key of why it is not assessed."""
    name = f"urgency.{theme}"
    if name not in ctx.product.depends and name not in ctx.product.optional_depends:
        return "stresstest.reason.not_computed"
    if theme == "drought" and not _has_groundwater(ctx):
        return "stresstest.reason.no_groundwater"
    folder = ctx.upstream(name) if name in ctx.product.depends else ctx.optional_upstream(name)
    found = read_theme(folder) if folder is not None and folder.exists() else None
    if found is None:
        return "stresstest.reason.not_computed"
    if theme == "flood":
        summary_path = folder / "summary.json"
        if summary_path.exists() and json.loads(summary_path.read_text(encoding="utf-8")).get("mode") == "none":
            return "stresstest.reason.no_flood_scenario"
    summary, values = found
    return ThemeData(summary=summary, values=values, severity=None)


def _has_groundwater(ctx: Any) -> bool:
    """True when the GHG input has a valid cell inside the study area."""
    if ctx.dossier.input_file("ghg") is None:
        return False
    data = ctx.raster("ghg")
    return bool((data.valid & ctx.mask).any())


@dataclass(frozen=True)
class DamageRow:
    """One theme of the damage product: present-value ranges to the horizon and the largest incident (EUR)."""

    theme: str
    title: Text
    status: str
    total: tuple[float, float] | None = None
    extra: tuple[float, float] | None = None
    incident: tuple[Text, float, float, float] | None = None


@dataclass(frozen=True)
class DamageSummary:
    """What the page shows of ``damage.json``."""

    price_year: int | None
    rate: float | None
    start_year: int | None
    horizon_year: int | None
    rows: list[DamageRow]


def read_damage(folder: Path) -> DamageSummary | None:
    """The ranges of ``damage.json`` of product ``urgency.damage`` (None when absent or unreadable)."""
    path = folder / "damage.json"
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        rows: list[DamageRow] = []
        for theme, entry in data.get("themes", {}).items():
            title = entry.get("title") or {"nl": theme, "en": theme}

            def span(key: str, entry: dict[str, Any] = entry) -> tuple[float, float] | None:
                found = entry.get(key)
                return None if not found else (float(found["min"]), float(found["max"]))

            incident = None
            incidents = entry.get("incidents") or []
            if incidents:
                worst = max(incidents, key=lambda i: float(i["damage"]["mean"]))
                dmg = worst["damage"]
                incident = (Text(**worst["label"]), float(dmg["low"]), float(dmg["mean"]), float(dmg["high"]))
            rows.append(DamageRow(theme=str(theme), title=Text(**title), status=str(entry.get("status", "")),
                                  total=span("range_total"), extra=span("range_extra"), incident=incident))
        discount = data.get("discount") or {}
        return DamageSummary(
            price_year=data.get("price_year"), rate=discount.get("rate"), start_year=data.get("start_year"),
            horizon_year=data.get("horizon_year"), rows=rows,
        )
    except (KeyError, TypeError, ValueError):
        return None


def _damage(ctx: Any) -> DamageSummary | None:
    if DAMAGE not in ctx.product.depends:
        return None
    return read_damage(ctx.upstream(DAMAGE))


def stresstest(ctx: Any) -> None:
    """Product function of ``urgency.stresstest``."""
    from alliantie.method.stresstest.page import write_page

    knowledge = StresstestKnowledge.from_dict(ctx.knowledge("stresstest"))
    themes: dict[str, ThemeData | str] = {t: _theme_data(ctx, t) for t in THEMES}
    hoods = ctx.vector("neighbourhoods")
    neighbourhoods: list[tuple[str, str]] = []
    if hoods is not None and len(hoods):
        codes = hoods["code"].astype(str).tolist() if "code" in hoods else [str(i) for i in range(len(hoods))]
        names = hoods["name"].astype(str).tolist() if "name" in hoods else codes
        neighbourhoods = list(zip(codes, names, strict=True))
    result = build(str(ctx.param("name")), _with_severity(ctx, themes, knowledge), knowledge, neighbourhoods)
    result.notes = _notes(ctx, hoods)
    result.damage = _damage(ctx)
    placeholders = ({"soil"} if _soil_missing(ctx) else set()) | (set() if _has_groundwater(ctx) else {"ghg", "glg"})
    result.inputs = [n for n in ("dem", "landuse", "soil", "ghg", "glg", "buildings", "roads", "neighbourhoods",
                                 "flood_depth") if ctx.dossier.input_file(n) is not None and n not in placeholders]
    ctx.progress(0.4)
    severity = highest_severity(result, ctx.mask)
    ctx.write_raster("severity_max.tif", severity, nodata=SEVERITY_NODATA,
                     colormap={k: (*hex_rgb(c), 255) for k, c in SEVERITY_COLORS.items()},
                     qml=raster_paletted_qml([StyleClass(k, c, SEVERITY_LABELS[k])
                                              for k, c in SEVERITY_COLORS.items()]),
                     description="highest severity class 0-3 over the assessed themes")
    counts: list[int] = []
    if hoods is not None and len(hoods) > 0:
        counts = _write_focus(ctx, hoods, result)
    from alliantie.contract.spec import write_maps, write_tables

    hillshade = ELEVATION in ctx.product.depends and ctx.upstream(ELEVATION).joinpath("hillshade.tif").exists()
    spec = focus_map(hillshade, counts)
    write_maps(ctx.out_dir, [spec])
    tables = [theme_table(result)]
    if neighbourhoods:
        tables.append(count_table(result))
    write_tables(ctx.out_dir, tables)
    ctx.write_json(SUMMARY_FILE, summary_json(result))
    ctx.progress(0.6)
    write_page(ctx, result, spec)


def _with_severity(ctx: Any, themes: dict[str, ThemeData | str],
                   knowledge: StresstestKnowledge) -> dict[str, ThemeData | str]:
    """Attach each assessed theme's severity raster of its reference scenario."""
    from alliantie.method.stresstest.rules import reference_scenario

    out: dict[str, ThemeData | str] = {}
    for theme, found in themes.items():
        if isinstance(found, str):
            out[theme] = found
            continue
        scenario = reference_scenario(found.summary, found.values, knowledge.themes[theme].indicator)
        name = f"urgency.{theme}"
        folder = ctx.upstream(name) if name in ctx.product.depends else ctx.optional_upstream(name)
        if folder is None:  # pragma: no cover - _theme_data found it
            out[theme] = "stresstest.reason.not_computed"
            continue
        severity = read_severity(folder, scenario)
        out[theme] = ThemeData(summary=found.summary, values=found.values, severity=severity)
    return out


def _soil_missing(ctx: Any) -> bool:
    """True when the soil input has no polygon (the placeholder of ``alliantie stresstest``)."""
    soil = ctx.vector("soil")
    return soil is None or not len(soil)


def _notes(ctx: Any, hoods: Any) -> list[Text]:
    notes: list[Text] = []
    if _soil_missing(ctx):
        notes.append(text("stresstest.notes.soil_assumed"))
    if hoods is None or not len(hoods):
        notes.append(text("stresstest.notes.no_neighbourhoods"))
    if ctx.dossier.input_file("roads") is None:
        notes.append(text("stresstest.notes.no_roads"))
    if ctx.dossier.input_file("buildings") is None:
        notes.append(text("stresstest.notes.no_buildings"))
    return notes


def _write_focus(ctx: Any, hoods: Any, result: Stresstest) -> list[int]:
    """``focus.gpkg``: the neighbourhoods where at least one theme needs a detailed stress test; the counts present."""
    from alliantie.io.styles import StyleClass, vector_categorized_qml
    from alliantie.io.vector import write_vector_layers

    counts = themes_needing_detail(result)
    frame = hoods[["geometry"]].copy()
    names = [n for _, n in result.neighbourhoods]
    frame["code"] = [c for c, _ in result.neighbourhoods]
    frame["name"] = names
    frame["themes"] = [counts.get(n, 0) for n in names]
    for theme in THEMES:
        a = result.assessments[theme]
        frame[f"detail_{theme}"] = [int(n in a.detail_places) for n in names]
    frame["themes"] = np.minimum(frame["themes"], 4)
    frame = frame[frame["themes"] > 0].reset_index(drop=True)
    qml = vector_categorized_qml("themes", [StyleClass(k, c, f"{k}") for k, c in FOCUS_COLORS.items()],
                                 geometry="polygon")
    write_vector_layers(ctx.path("focus.gpkg"), [("focus", frame, "MultiPolygon", qml)])
    return sorted({int(v) for v in frame["themes"]})


__all__ = [
    "COUNT_COLUMNS",
    "HIGH",
    "LIGHT_COLORS",
    "LOW",
    "MODERATE",
    "PDF_FILE",
    "DamageRow",
    "DamageSummary",
    "Stresstest",
    "ThemeData",
    "build",
    "count_rows",
    "count_table",
    "damage_text",
    "focus_map",
    "format_money",
    "format_number",
    "format_span",
    "highest_severity",
    "indicator_label",
    "read_damage",
    "sentence",
    "stresstest",
    "summary_json",
    "theme_table",
    "themes_needing_detail",
]
