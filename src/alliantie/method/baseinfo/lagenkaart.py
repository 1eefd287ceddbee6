"""Product ``baseinfo.lagenkaart``: the *lagenkaart* (layer map) of the Natuurlijke Alliantie.

The layer map explains how an area rests on its soil and water system: an
oblique stack of planes, from the bottom

1. *ondergrond* (subsurface): elevation as a relief colour ramp with hillshade;
2. *bodem* (soil): the soil classes of the soil base map;
3. *water*: seepage and infiltration zones with watercourses and water bodies;
4. *groen* (green): vegetation groups;
5. *structuurdragers* (structure carriers) over a light base.

After the Lagenkaart of Amersfoort in the SKB showcase report *De Natuurlijke
Alliantie* (2014). Colours come from each upstream product's ``maps.json``
legend, so the stack matches the base maps. Rasters are reduced to about
:data:`alliantie.cartography.frame.TARGET_WIDTH` cells across before drawing; vectors are burnt on a finer
grid and averaged down, which smooths their edges.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
from matplotlib import colormaps
from matplotlib.colors import LightSource, LinearSegmentedColormap, to_hex, to_rgba
from shapely.geometry.base import BaseGeometry

from alliantie.cartography import ramps  # noqa: F401  (registers alliantie_* colour ramps)
from alliantie.cartography.frame import Frame, block_mean, block_pick, burn, fill_nearest, over
from alliantie.cartography.layerstack import ColourRamp, LegendItem, Plane, draw_layer_stack, save_layer_stack
from alliantie.contract.names import ELEVATION, GREEN, SEEPAGE, SOIL, STRUCTURE, WATER
from alliantie.contract.spec import Layer, LegendEntry, read_maps
from alliantie.dossier.registry import ProductContext
from alliantie.errors import ProductError
from alliantie.grid import Grid
from alliantie.i18n import translate
from alliantie.io.raster import read_raster
from alliantie.io.vector import read_vector
from alliantie.method.baseinfo.products import LAGENKAART_DEPENDS

#: Classes shown in a plane's legend (the largest by area).
KEY_CLASSES = 4
#: Strength of the hillshade on the elevation plane (soft-light intensity offset; a style choice).
SHADE_STRENGTH = 0.3

DEPENDS = LAGENKAART_DEPENDS

#: Fallback relief ramp (low and wet blue-green to high and dry brown) when maps.json names none.
RELIEF_RAMP = LinearSegmentedColormap.from_list(
    "alliantie_relief", ["#2f7f8f", "#7fbf7b", "#d9e6a1", "#f3dc91", "#d8a35d", "#a8683c", "#7a4a2e"],
)
WATER_BLUE = "#2b6cb0"
BASE_LIGHT = "#e7e4dc"
STRUCTURE_FALLBACK = "#4c956c"
#: Drawn width (cells of the reduced grid) and opacity of watercourses by kind; a style choice.
COURSE_STYLE: dict[str, tuple[float, float]] = {
    "river": (2.6, 1.0), "canal": (1.8, 1.0), "stream": (1.5, 1.0), "ditch": (0.7, 0.55),
}


# --------------------------------------------------------------------------- legends from maps.json
def _file_of(folder: Path, name: str, product_name: str) -> Path:
    path = folder / name
    if not path.exists():
        raise ProductError("errors.product_missing", name=f"{product_name}/{name}", path=str(folder))
    return path


def find_layer(folder: Path, *, kind: str, files: Sequence[str] = (), layer: str | None = None) -> Layer | None:
    """The first layer of type ``kind`` in the product's maps.json (preferring ``files`` in order)."""
    layers = [lyr for spec in read_maps(folder) for lyr in spec.layers if lyr.type == kind and lyr.product is None]
    if layer is not None:
        layers = [lyr for lyr in layers if lyr.layer == layer]
    for name in files:
        for lyr in layers:
            if lyr.file == name:
                return lyr
    return layers[0] if layers and not files else None


def _palette(legend: Sequence[LegendEntry]) -> dict[int, tuple[float, float, float, float]]:
    out: dict[int, tuple[float, float, float, float]] = {}
    for entry in legend:
        try:
            out[int(entry.value)] = to_rgba(entry.color)
        except (TypeError, ValueError):
            continue
    return out


def colour_classes(classes: np.ndarray, legend: Sequence[LegendEntry], valid: np.ndarray) -> np.ndarray:
    """RGBA of integer ``classes`` with the legend colours; unknown or invalid cells transparent."""
    palette = _palette(legend)
    rgba = np.zeros((*classes.shape, 4), dtype=np.float32)
    for value, colour in palette.items():
        rgba[(classes == value) & valid] = colour
    return rgba


def key_classes(
    classes: np.ndarray, legend: Sequence[LegendEntry], valid: np.ndarray, language: str, n: int = KEY_CLASSES,
) -> list[LegendItem]:
    """The ``n`` largest classes present, in legend order."""
    values, counts = np.unique(classes[valid], return_counts=True)
    area = dict(zip(values.tolist(), counts.tolist(), strict=True))
    ranked = sorted(
        (e for e in legend if _int(e.value) in area), key=lambda e: -area[_int(e.value)],
    )[:n]
    keep = {e.value for e in ranked}
    return [LegendItem(e.color, e.label.get(language)) for e in legend if e.value in keep]


def _int(value: int | str) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --------------------------------------------------------------------------- the planes
@dataclass(frozen=True)
class Sources:
    """Folders of the saved upstream products."""

    elevation: Path
    soil: Path
    seepage: Path
    water: Path
    green: Path
    structure: Path


def _read_classes(folder: Path, name: str, product_name: str, frame: Frame) -> tuple[np.ndarray, np.ndarray]:
    data = read_raster(_file_of(folder, name, product_name), categorical=True, label=f"{product_name}/{name}",
                       target_crs=frame.grid.crs)
    nodata = int(data.nodata) if data.nodata is not None else -1
    classes = block_pick(data.array.astype(np.int32), frame, nodata)
    return classes, classes != nodata


def shade_intensity(shade: np.ndarray, valid: np.ndarray, strength: float = SHADE_STRENGTH) -> np.ndarray:
    """Hillshade as soft-light intensity: 0.5 on flat land, +-``strength`` at the steepest 2 %.

    Dutch terrain is flat, so the hillshade varies little; stretching it on its
    own spread makes valleys and ridges readable at any relief.
    """
    finite = np.isfinite(shade) & valid
    if not finite.any():
        return np.full(shade.shape, 0.5)
    centre = float(np.median(shade[finite]))
    deviation = np.nan_to_num(shade, nan=centre) - centre
    spread = float(np.percentile(np.abs(deviation[finite]), 98))
    if spread <= 0:
        return np.full(shade.shape, 0.5)
    return 0.5 + np.clip(deviation / spread, -1.0, 1.0) * strength


def subsurface_plane(folder: Path, frame: Frame, mask: np.ndarray, language: str) -> Plane:
    """Elevation as a relief colour ramp, shaded with the hillshade."""
    ramp_layer = find_layer(folder, kind="raster_continuous", files=("elevation.tif",))
    name = ramp_layer.file if ramp_layer else "elevation.tif"
    elev = block_mean(read_raster(_file_of(folder, name, ELEVATION), label=f"{ELEVATION}/{name}",
                                  target_crs=frame.grid.crs).array, frame)  # products in the dossier's CRS (25c)
    valid = np.isfinite(elev) & mask
    values = elev[valid]
    lo = ramp_layer.vmin if ramp_layer and ramp_layer.vmin is not None else None
    hi = ramp_layer.vmax if ramp_layer and ramp_layer.vmax is not None else None
    if lo is None or hi is None:
        p2, p98 = (np.percentile(values, [2, 98]) if values.size else (0.0, 1.0))
        lo = float(p2) if lo is None else lo
        hi = float(p98) if hi is None else hi
    hi = hi if hi > lo else lo + 1.0
    cmap_name = ramp_layer.cmap if ramp_layer is not None else None
    cmap = colormaps[cmap_name] if cmap_name is not None and cmap_name in colormaps else RELIEF_RAMP
    norm = np.clip((np.nan_to_num(elev, nan=lo) - lo) / (hi - lo), 0.0, 1.0)
    rgb = cmap(norm)[..., :3]

    if (folder / "hillshade.tif").exists():
        shade = block_mean(read_raster(folder / "hillshade.tif", target_crs=frame.grid.crs).array, frame) / 255.0
    else:
        filled = fill_nearest(elev)
        cell = frame.grid.res * frame.factor
        slope = np.hypot(*np.gradient(filled, cell))
        p95 = float(np.percentile(slope, 95)) if slope.size else 0.0
        exaggeration = float(np.clip(math.tan(math.radians(20)) / p95, 1.0, 50.0)) if p95 > 0 else 1.0
        shade = LightSource(azdeg=315, altdeg=45).hillshade(filled, vert_exag=exaggeration, dx=cell, dy=cell)
    intensity = shade_intensity(shade, valid)
    rgb = LightSource().blend_soft_light(rgb, intensity[..., None])
    rgba = np.concatenate([rgb, valid[..., None].astype(np.float64)], axis=2).astype(np.float32)
    ramp = ColourRamp(
        colors=[to_hex(cmap(v)) for v in np.linspace(0.0, 1.0, 9)],
        low=f"{lo:.0f}", high=f"{hi:.0f}", label=translate("lagenkaart.plane.subsurface.unit", language),
    )
    return Plane(
        label=translate("lagenkaart.plane.subsurface.label", language),
        caption=translate("lagenkaart.plane.subsurface.caption", language),
        image=rgba, ramp=ramp,
    )


def class_plane(
    folder: Path, product_name: str, files: Sequence[str], frame: Frame, mask: np.ndarray, language: str,
    plane: str,
) -> tuple[Plane, np.ndarray]:
    """A plane of integer classes coloured with the product's legend (soil, seepage, vegetation)."""
    layer = find_layer(folder, kind="raster_classes", files=files)
    name = layer.file if layer else files[0]
    legend = list(layer.legend) if layer else []
    classes, valid = _read_classes(folder, name, product_name, frame)
    valid &= mask
    rgba = colour_classes(classes, legend, valid)
    return (
        Plane(
            label=translate(f"lagenkaart.plane.{plane}.label", language),
            caption=translate(f"lagenkaart.plane.{plane}.caption", language),
            image=rgba, legend=key_classes(classes, legend, valid, language),
        ),
        rgba,
    )


def _vector_colour(layer: Layer | None, kind: str | None, default: str) -> str:
    if layer is None:
        return default
    for entry in layer.legend:
        if kind is not None and str(entry.value) == kind:
            return entry.color
    return layer.color or (layer.legend[0].color if layer.legend else default)


def water_plane(seepage: Path, water: Path, frame: Frame, mask: np.ndarray, language: str) -> Plane:
    """Seepage zones with water bodies and watercourses on top."""
    plane, rgba = class_plane(seepage, SEEPAGE, ("seepage.tif",), frame, mask, language, "water")
    gpkg = _file_of(water, "water.gpkg", WATER)
    bodies_layer = find_layer(water, kind="vector", layer="waterbodies")
    courses_layer = find_layer(water, kind="vector", layer="watercourses")
    cell = frame.grid.res * frame.factor
    shapes: list[tuple[BaseGeometry, tuple[float, float, float, float]]] = []
    bodies = read_vector(gpkg, layer="waterbodies", target_crs=frame.grid.crs, bbox=frame.grid.bounds)
    body_colour = _vector_colour(bodies_layer, None, WATER_BLUE)
    for geom, kind in zip(bodies.geometry, _kinds(bodies), strict=True):
        shapes.append((geom, to_rgba(_vector_colour(bodies_layer, kind, body_colour))))
    courses = read_vector(gpkg, layer="watercourses", target_crs=frame.grid.crs, bbox=frame.grid.bounds)
    kinds = _kinds(courses)
    widths = _widths(courses)
    course_colour = _vector_colour(courses_layer, None, WATER_BLUE)
    styles = [COURSE_STYLE.get(str(k), (1.0, 1.0)) for k in kinds]
    drawn = np.maximum(widths, np.array([w for w, _ in styles]) * cell)
    lines = courses.geometry.buffer(drawn / 2, quad_segs=4)
    # small watercourses first, so rivers are drawn over ditches
    for i in np.argsort([w for w, _ in styles], kind="stable"):
        colour = to_rgba(_vector_colour(courses_layer, kinds[i], course_colour), styles[i][1])
        shapes.append((lines.iloc[i], colour))
    vectors = burn(frame, shapes)
    vectors[~mask, 3] = 0.0
    image = over(vectors, rgba)
    legend = list(plane.legend)[:3]
    if len(courses):
        legend.append(LegendItem(course_colour, translate("lagenkaart.plane.water.watercourses", language), "line"))
    if len(bodies):
        legend.append(LegendItem(body_colour, translate("lagenkaart.plane.water.waterbodies", language)))
    return Plane(label=plane.label, caption=plane.caption, image=image, legend=legend)


def _kinds(gdf: gpd.GeoDataFrame) -> list[str | None]:
    """Column ``kind`` as strings (None where missing or when the column is absent)."""
    if "kind" not in gdf.columns:
        return [None] * len(gdf)
    return [None if v is None or v != v else str(v) for v in gdf["kind"].tolist()]


def _widths(gdf: gpd.GeoDataFrame) -> np.ndarray:
    """Column ``width_m`` in metres (0 where missing)."""
    if "width_m" not in gdf.columns:
        return np.zeros(len(gdf))
    return np.nan_to_num(np.asarray(gdf["width_m"], dtype=float), nan=0.0)


def structure_plane(folder: Path, frame: Frame, mask: np.ndarray, language: str) -> Plane:
    """Structure carriers by kind over a light base of the study area."""
    gpkg = _file_of(folder, "structure_carriers.gpkg", STRUCTURE)
    layer = find_layer(folder, kind="vector", layer="structure_carriers") or find_layer(folder, kind="vector")
    carriers = read_vector(gpkg, layer="structure_carriers", target_crs=frame.grid.crs, bbox=frame.grid.bounds)
    kinds = [k or "" for k in _kinds(carriers)]
    shapes = [
        (geom, to_rgba(_vector_colour(layer, kind, STRUCTURE_FALLBACK), 0.95))
        for geom, kind in zip(carriers.geometry, kinds, strict=True)
    ]
    base = np.zeros((*mask.shape, 4), dtype=np.float32)
    base[mask] = to_rgba(BASE_LIGHT)
    top = burn(frame, shapes)
    top[~mask, 3] = 0.0
    area: dict[str, float] = {}
    for geom, kind in zip(carriers.geometry, kinds, strict=True):
        area[kind] = area.get(kind, 0.0) + (geom.area if geom is not None else 0.0)
    legend_entries = list(layer.legend) if layer is not None else []
    ranked = sorted((e for e in legend_entries if str(e.value) in area), key=lambda e: -area[str(e.value)])
    keep = {str(e.value) for e in ranked[:KEY_CLASSES]}
    legend = [LegendItem(e.color, e.label.get(language)) for e in legend_entries if str(e.value) in keep]
    return Plane(
        label=translate("lagenkaart.plane.structure.label", language),
        caption=translate("lagenkaart.plane.structure.caption", language),
        image=over(top, base), legend=legend,
    )


def build_planes(sources: Sources, grid: Grid, mask: np.ndarray, language: str) -> list[Plane]:
    """The five planes, bottom to top, on the reduced frame of ``grid``."""
    frame = Frame.for_grid(grid)
    small_mask = block_mean(mask.astype(np.float32), frame) >= 0.5
    return [
        subsurface_plane(sources.elevation, frame, small_mask, language),
        class_plane(sources.soil, SOIL, ("soil_main.tif", "soil.tif"), frame, small_mask, language, "soil")[0],
        water_plane(sources.seepage, sources.water, frame, small_mask, language),
        class_plane(sources.green, GREEN, ("vegetation.tif",), frame, small_mask, language, "green")[0],
        structure_plane(sources.structure, frame, small_mask, language),
    ]


def render_lagenkaart(
    sources: Sources, grid: Grid, mask: np.ndarray, *, language: str, name: str, png: Path, svg: Path,
) -> list[Path]:
    """Draw the layer map of the saved upstream products to ``png`` and ``svg``."""
    planes = build_planes(sources, grid, mask, language)
    fig = draw_layer_stack(
        planes,
        title=translate("lagenkaart.title", language),
        subtitle=translate("lagenkaart.subtitle", language, name=name),
        north=translate("lagenkaart.north", language),
        note=translate("lagenkaart.note", language),
    )
    return save_layer_stack(fig, png, svg)


def lagenkaart(ctx: ProductContext) -> None:
    """The lagenkaart as ``lagenkaart.png`` and ``lagenkaart.svg``."""
    sources = Sources(*(ctx.upstream(name) for name in DEPENDS))
    render_lagenkaart(
        sources, ctx.grid, ctx.mask, language=str(ctx.param("language")), name=str(ctx.param("name")),
        png=ctx.path("lagenkaart.png"), svg=ctx.path("lagenkaart.svg"),
    )
