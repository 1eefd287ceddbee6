"""What product ``urgency.stresstest`` writes: tables, the focus map and its files, ``summary.json``.

* ``tables.json`` (theme "stresstest"): the verdict per theme (:func:`theme_table`) and
  the counts per neighbourhood (:func:`count_table`);
* ``maps.json``: the highest severity over the assessed themes with the
  neighbourhoods that need a detailed stress test (:func:`focus_map`), drawn from
  ``severity_max.tif`` (:func:`write_severity`) and ``focus.gpkg`` (:func:`write_focus`);
* ``summary.json``: the verdict, machine-readable (:func:`summary`,
  :class:`~alliantie.contract.stresstest.StresstestSummary`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np

from alliantie.contract.layers import hillshade_layer
from alliantie.contract.names import THEMES, Theme
from alliantie.contract.spec import Cell, Column, Layer, LegendEntry, MapSpec, TableSpec, Text
from alliantie.contract.spec import catalogue_text as text
from alliantie.contract.stresstest import (
    LIGHTS,
    DamageRange,
    DamageRanges,
    FiredRule,
    PlaceValue,
    StresstestSummary,
    ThemeVerdict,
)
from alliantie.contract.theme import SEVERITY_COLORS, SEVERITY_LABELS, SEVERITY_NODATA
from alliantie.dossier.registry import ProductContext
from alliantie.i18n import has_key, translate
from alliantie.io.styles import StyleClass, hex_rgb, raster_paletted_qml, vector_categorized_qml
from alliantie.io.vector import write_vector_layers
from alliantie.method.stresstest.rules import Place
from alliantie.method.stresstest.verdict import (
    Stresstest,
    format_span,
    light_text,
    reference_note,
    sentence,
    themes_needing_detail,
)

SEVERITY_FILE = "severity_max.tif"
FOCUS_FILE = "focus.gpkg"

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

#: Outline colours of the focus neighbourhoods by number of themes (blues: they stand out on the orange severity).
FOCUS_COLORS = {1: "#6baed6", 2: "#2171b5", 3: "#08519c", 4: "#08306b"}


# --- tables ---------------------------------------------------------------------------------------------------------

def damage_text(result: Stresstest, theme: str) -> Text | None:
    """The theme's present-value damage range (or its status) for the theme table; None without damage product."""
    if result.damage is None:
        return None
    for row in result.damage.rows:
        if row.theme == theme:
            if row.total is not None:
                return Text(nl=format_span(row.total, "nl"), en=format_span(row.total, "en"))
            key = f"stresstest.damage.status.{row.status}"
            return text(key) if has_key(key) else Text(nl=row.status, en=row.status)
    return None


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


# --- the map --------------------------------------------------------------------------------------------------------

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


def write_severity(ctx: ProductContext, severity: np.ndarray) -> Path:
    """``severity_max.tif`` with its colours and QGIS style."""
    return ctx.write_raster(SEVERITY_FILE, severity, nodata=SEVERITY_NODATA,
                            colormap={k: (*hex_rgb(c), 255) for k, c in SEVERITY_COLORS.items()},
                            qml=raster_paletted_qml([StyleClass(k, c, SEVERITY_LABELS[k])
                                                     for k, c in SEVERITY_COLORS.items()]),
                            description="highest severity class 0-3 over the assessed themes")


def write_focus(ctx: ProductContext, hoods: gpd.GeoDataFrame, result: Stresstest) -> list[int]:
    """``focus.gpkg``: the neighbourhoods where at least one theme needs a detailed stress test; the counts present."""
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
    write_vector_layers(ctx.path(FOCUS_FILE), [("focus", frame, "MultiPolygon", qml)])
    return sorted({int(v) for v in frame["themes"]})


def focus_map(hillshade: bool, counts: Sequence[int]) -> MapSpec:
    """The map of the highest severity and the neighbourhoods that need a detailed stress test.

    ``counts``: the numbers of themes (1-4) that occur in ``focus.gpkg``; empty = no focus layer.
    """
    layers: list[Layer] = [Layer(
        file=SEVERITY_FILE, type="raster_classes",
        legend=[LegendEntry(value=k, color=c, label=Text(nl=SEVERITY_LABELS[k].split(" / ")[0],
                                                         en=SEVERITY_LABELS[k].split(" / ")[1]))
                for k, c in SEVERITY_COLORS.items()],
    )]
    if hillshade:
        layers.append(hillshade_layer())
    if counts:
        layers.append(Layer(
            file=FOCUS_FILE, layer="focus", type="vector", column="themes", alpha=0.0, linewidth=2.2,
            legend=[LegendEntry(value=k, color=c, label=text("stresstest.maps.focus.themes", count=k))
                    for k, c in FOCUS_COLORS.items() if k in counts],
        ))
    return MapSpec(id="stresstest_focus", title=text("stresstest.maps.focus.title"),
                   description=text("stresstest.maps.focus.description"), theme="stresstest", layers=layers)


# --- summary.json ---------------------------------------------------------------------------------------------------

def summary(result: Stresstest) -> StresstestSummary:
    """``summary.json``: the verdict, machine-readable."""
    themes: dict[Theme, ThemeVerdict] = {}
    for theme in THEMES:  # the order of result.assessments (build)
        a = result.assessments[theme]
        themes[theme] = ThemeVerdict(
            assessed=a.assessed, reason=a.reason, indicator=a.indicator or None,
            scenario=a.scenario if a.assessed else None,
            share_moderate_high=a.share, key_current=a.key_current, key_reference=a.key_reference,
            light=None if a.light is None else LIGHTS[a.light],
            focus=[_place(p) for p in a.focus],
            detail=[FiredRule(indicator=t.rule.indicator, minimum=t.threshold, places=[_place(p) for p in t.places])
                    for t in a.triggers],
            sentence=Text(nl=sentence(a, "nl", result.data.get(theme)), en=sentence(a, "en", result.data.get(theme))),
        )
    damage = None if result.damage is None else DamageRanges(
        price_year=result.damage.price_year,
        rows=[DamageRange(theme=r.theme, status=r.status, total=r.total, extra=r.extra) for r in result.damage.rows])
    return StresstestSummary(name=result.name, themes=themes, notes=result.notes, damage=damage, inputs=result.inputs)


def _place(place: Place) -> PlaceValue:
    return PlaceValue(code=place.code, name=place.name, value=place.value)


__all__ = [
    "COUNT_COLUMNS", "COUNT_UNITS", "FOCUS_COLORS", "count_rows", "count_table", "damage_text", "focus_map",
    "highest_severity", "summary", "theme_table", "write_focus", "write_severity",
]
