"""The files of ``vista.effects`` besides ``effects.json``: the sketch as a styled GeoPackage, the change of the
water depth in today's map storm (GeoTIFF + QML) and the two maps of ``maps.json``."""

from __future__ import annotations

import math
from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import shapely

from alliantie.contract.effects import EffectsFile
from alliantie.contract.layers import hillshade_layer
from alliantie.contract.spec import Layer, LegendEntry, MapSpec, Text, catalogue_text, write_maps
from alliantie.dossier.registry import ProductContext
from alliantie.io.styles import StyleClass, raster_ramp_qml, vector_categorized_qml
from alliantie.io.vector import write_vector_layers
from alliantie.measures.sketch import Feature
from alliantie.method.vista.effects.tables import THEME

text = catalogue_text

SKETCH_FILE = "sketch.gpkg"
#: Layer of the GeoPackage per geometry family (a layer holds one family, so QGIS and the maps draw it alike).
FAMILIES: dict[str, tuple[str, ...]] = {
    "polygons": ("Polygon", "MultiPolygon"),
    "lines": ("LineString", "MultiLineString"),
    "points": ("Point", "MultiPoint"),
}
_STYLE_GEOMETRY = {"polygons": "polygon", "lines": "line", "points": "point"}
#: Colour per climate theme of a measure (its first theme), the hues of the vulnerability map's strong classes.
THEME_COLORS = {"flood": "#08519c", "pluvial": "#238b45", "drought": "#a63603", "heat": "#b2182b"}
#: Colours of the measures on the report's maps, one per measure in sketch order (a qualitative palette,
#: ColorBrewer Set1 and Dark2, told apart on a grey hillshade).
MEASURE_COLORS = ("#e41a1c", "#377eb8", "#4daf4a", "#984ea3", "#ff7f00", "#a65628", "#f781bf", "#1b9e77",
                  "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#666666")
#: Changes of the water depth smaller than this (m) are no change (no data in the raster).
MIN_CHANGE_M = 0.001
#: Smallest half-width (m) of the zoomed map of the depth change, and the margin around the changed cells.
MIN_HALF_WIDTH_M = 400.0
MARGIN = 0.25


def change_file(scenario: str) -> str:
    return f"depth_change_{scenario}.tif"


def layer_name(family: str) -> str:
    return f"sketch_{family}"


def _family(geometry: shapely.Geometry) -> str:
    kind = geometry.geom_type
    return next((f for f, kinds in FAMILIES.items() if kind in kinds), "polygons")


def measure_colors(features: Sequence[Feature]) -> dict[str, str]:
    """A colour per measure id, in order of first appearance in the sketch (the palette repeats beyond 14)."""
    out: dict[str, str] = {}
    for f in features:
        out.setdefault(f.measure.id, MEASURE_COLORS[len(out) % len(MEASURE_COLORS)])
    return out


def write_sketch(ctx: ProductContext, features: Sequence[Feature], data: EffectsFile) -> list[str]:
    """``sketch.gpkg``: one layer per geometry family, with the measure's name as label and its first theme's
    colour; returns the families written."""
    language = ctx.language
    records = {r.id: r for r in data.features}
    rows = []
    for f in features:
        r = records[f.id]
        rows.append({
            "id": f.id, "measure": f.measure.id, "name": f.measure.name.en if language == "en" else f.measure.name.nl,
            "theme": f.measure.themes[0], "comment": f.label, "quantity": r.quantity,
            "quantity_unit": r.unit.removeprefix("EUR/"),
            "storage_m3": r.storage_m3, "kept_dry_current": r.buildings_kept_dry.get("current"),
            "investment_eur": r.investment_eur["mean"], "cost_pv_eur": r.cost_pv_eur["mean"],
            "family": _family(f.geometry), "geometry": f.geometry,
        })
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs=ctx.grid.crs)
    themes = [th for th in THEME_COLORS if th in set(frame["theme"])]
    layers = []
    families = [fam for fam in FAMILIES if (frame["family"] == fam).any()]
    for fam in families:
        part = frame[frame["family"] == fam].drop(columns="family").reset_index(drop=True)
        classes = [StyleClass(th, THEME_COLORS[th], text(f"damage_product.theme.{th}").get(language))
                   for th in themes]
        layers.append((layer_name(fam), part, None,
                       vector_categorized_qml("theme", classes, _STYLE_GEOMETRY[fam], label_field="name")))
    write_vector_layers(ctx.path(SKETCH_FILE), layers)
    return families


def depth_change(before: np.ndarray, after: np.ndarray) -> np.ndarray:
    """Water depth after minus before (m), no data where neither is wet or the change is below 1 mm."""
    change = np.nan_to_num(after, nan=0.0) - np.nan_to_num(before, nan=0.0)
    wet = np.isfinite(before) | np.isfinite(after)
    return np.where(wet & (np.abs(change) >= MIN_CHANGE_M), change, np.nan).astype(np.float32)


def change_span(change: np.ndarray) -> float:
    """Half the range of the colour ramp (m): the 98th percentile of the absolute change, rounded up to 5 cm."""
    finite = np.abs(change[np.isfinite(change)])
    if not finite.size:
        return 0.05
    return max(0.05, math.ceil(float(np.percentile(finite, 98)) / 0.05) * 0.05)


def write_change(ctx: ProductContext, scenario: str, change: np.ndarray, span: float) -> str:
    """``depth_change_<scenario>.tif`` with a diverging style: blue where the water drops, red where it rises."""
    drops, rises = text("effects.product.map.drops").get(ctx.language), text("effects.product.map.rises").get(
        ctx.language)
    ctx.write_raster(change_file(scenario), change, description="water depth after minus before, m",
                     qml=raster_ramp_qml([(-span, "#2166ac", f"-{span:.2f} m ({drops})"), (0.0, "#f7f7f7", "0 m"),
                                          (span, "#b2182b", f"+{span:.2f} m ({rises})")]))
    return change_file(scenario)


def changed_extent(change: np.ndarray, ctx: ProductContext) -> tuple[float, float, float, float] | None:
    """A frame around the cells whose depth changes (with a margin, at least 800 m wide); None when none does."""
    rows, cols = np.nonzero(np.isfinite(change))
    if not rows.size:
        return None
    t, res = ctx.grid.transform, ctx.grid.res
    xmin, xmax = t.c + cols.min() * res, t.c + (cols.max() + 1) * res
    ymax, ymin = t.f - rows.min() * res, t.f - (rows.max() + 1) * res
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
    half = max(MIN_HALF_WIDTH_M, (1 + MARGIN) * max(xmax - xmin, ymax - ymin) / 2)
    gx0, gy0, gx1, gy1 = ctx.grid.bounds
    return (max(gx0, cx - half), max(gy0, cy - half), min(gx1, cx + half), min(gy1, cy + half))


def _sketch_layers(features: Sequence[Feature], families: Sequence[str], colors: dict[str, str],
                   extent: tuple[float, float, float, float] | None = None) -> list[Layer]:
    """The sketch's layers, each with the legend entries of the measures it holds (within ``extent``)."""
    frame = shapely.box(*extent) if extent is not None else None
    layers = []
    for fam in families:
        seen: dict[str, Feature] = {}
        for f in features:
            if _family(f.geometry) == fam and (frame is None or shapely.intersects(frame, f.geometry)):
                seen.setdefault(f.measure.id, f)
        if not seen:
            continue
        legend = [LegendEntry(value=mid, color=colors[mid], label=Text(nl=f.measure.name.nl, en=f.measure.name.en))
                  for mid, f in seen.items()]
        layers.append(Layer(file=SKETCH_FILE, type="vector", layer=layer_name(fam), column="measure", legend=legend,
                            alpha=0.35, linewidth=1.6 if fam == "lines" else 0.9))
    return layers


def write_map_specs(ctx: ProductContext, features: Sequence[Feature], families: Sequence[str],
                    change: tuple[str, float, tuple[float, float, float, float] | None] | None,
                    storm: str) -> None:
    """``maps.json``: the sketch over the relief with the depth change, and the depth change zoomed in."""
    colors = measure_colors(features)
    sketch = _sketch_layers(features, families, colors)
    raster: list[Layer] = []
    if change is not None:
        file, span, _ = change
        raster = [Layer(file=file, type="raster_continuous", cmap="RdBu_r", vmin=-span, vmax=span, unit="m",
                        label=text("effects.product.map.change_label"))]
    maps = [MapSpec(id="effects_sketch", theme=THEME, title=text("effects.product.map.sketch_title"),
                    description=text("effects.product.map.sketch_description", storm=storm),
                    layers=[hillshade_layer(alpha=0.6), *raster, *sketch])]
    if change is not None and change[2] is not None:
        outline = [layer.model_copy(update={"alpha": 0.0})
                   for layer in _sketch_layers(features, families, colors, change[2])]
        maps.append(MapSpec(id="effects_depth_change", theme=THEME, title=text("effects.product.map.change_title"),
                            description=text("effects.product.map.change_description", storm=storm),
                            layers=[hillshade_layer(alpha=0.6), *raster, *outline], extent=change[2]))
    write_maps(ctx.out_dir, maps)
