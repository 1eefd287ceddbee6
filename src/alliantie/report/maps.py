"""Cartography: a :class:`~alliantie.contract.spec.MapSpec` drawn as a PNG.

Each map gets its layers in order (classes, continuous values with a colour
bar, hillshade, vector layers), the study-area boundary with the outside
dimmed, a legend in the report language below the map, a scale bar with a round
length, a north arrow, RD coordinates in km along the frame and a title.
Rasters are read decimated (from the COG overviews) to about
:data:`MAX_PIXELS` across so that a map renders in a fraction of a second.

Matplotlib is used through its object API with the Agg canvas: no global
state, no display needed.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import rasterio
import rasterio.errors
from matplotlib import colormaps
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.cm import ScalarMappable
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize, to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrow, Patch, PathPatch, Rectangle
from matplotlib.path import Path as MplPath
from PIL import Image as PILImage
from shapely.geometry import Polygon, box
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

from alliantie.cartography import ramps  # noqa: F401  (registers alliantie_* colour ramps)
from alliantie.contract.spec import Layer, MapSpec
from alliantie.errors import ReportError
from alliantie.i18n import translate
from alliantie.io.atomic import atomic_file

#: Longest side, in pixels, at which rasters are read for display.
MAX_PIXELS = 1200
#: Width of a map figure in inches (fits the A4 text width) and its resolution.
FIG_WIDTH_IN = 7.0
DPI = 170
#: Tallest map frame in inches (tall areas get a narrower frame).
MAX_MAP_HEIGHT_IN = 7.2

_LEGEND_ROW_IN = 0.2
_COLORBAR_IN = 0.62
_TITLE_IN = 0.42
_NICE_LENGTHS_M = (50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000, 25000, 50000)

FolderOf = Callable[[str], Path]


@dataclass(frozen=True)
class ColorBar:
    cmap: str
    vmin: float
    vmax: float
    label: str


def nice_scale_length(width_m: float) -> float:
    """A round scale-bar length of about a fifth of the map width (m)."""
    target = width_m / 5.0
    fitting = [n for n in _NICE_LENGTHS_M if n <= target]
    return float(fitting[-1] if fitting else _NICE_LENGTHS_M[0])


def _read_band(path: Path, map_id: str, max_pixels: int = MAX_PIXELS
               ) -> tuple[np.ndarray, tuple[float, float, float, float], float | None]:
    """The first band of ``path`` decimated to at most ``max_pixels`` across, its bounds and nodata."""
    try:
        with rasterio.open(path) as ds:
            factor = max(1, math.ceil(max(ds.width, ds.height) / max_pixels))
            shape = (max(1, ds.height // factor), max(1, ds.width // factor))
            data = ds.read(1, out_shape=shape)
            bounds = (ds.bounds.left, ds.bounds.right, ds.bounds.bottom, ds.bounds.top)
            return data, bounds, ds.nodata
    except rasterio.errors.RasterioIOError as exc:
        raise ReportError("report.errors.layer_unreadable", map=map_id, path=str(path), detail=str(exc)) from None


def _classes_rgba(data: np.ndarray, layer: Layer, nodata: float | None) -> np.ndarray:
    """RGBA image of integer classes: legend colours, transparent elsewhere."""
    values = np.array([int(e.value) for e in layer.legend], dtype=np.int64)
    colors = np.array([to_rgba(e.color, layer.alpha) for e in layer.legend], dtype=np.float32)
    order = np.argsort(values)
    values, colors = values[order], colors[order]
    flat = np.nan_to_num(data.astype(np.float64), nan=-1).astype(np.int64)
    idx = np.clip(np.searchsorted(values, flat), 0, len(values) - 1)
    rgba = colors[idx]
    hit = values[idx] == flat
    if nodata is not None and not np.isnan(nodata):
        hit &= flat != int(nodata)
    rgba[~hit] = 0.0
    return rgba


def _over(top: np.ndarray, bottom: np.ndarray) -> np.ndarray:
    """``top`` alpha-composited over ``bottom`` (both straight RGBA float arrays)."""
    a_top = top[..., 3:4]
    a_bot = bottom[..., 3:4] * (1.0 - a_top)
    alpha = a_top + a_bot
    rgb = (top[..., :3] * a_top + bottom[..., :3] * a_bot) / np.where(alpha > 0, alpha, 1.0)
    return np.concatenate([rgb, alpha], axis=-1)


@dataclass
class _RasterStack:
    """Raster layers composited in numpy into one image (one imshow per run of rasters)."""

    rgba: np.ndarray | None = None
    extent: tuple[float, float, float, float] | None = None

    def add(self, ax: Axes, rgba: np.ndarray, extent: tuple[float, float, float, float], zorder: int) -> None:
        if self.rgba is not None and (self.rgba.shape != rgba.shape or self.extent != extent):
            self.flush(ax, zorder)
        self.rgba = rgba if self.rgba is None else _over(rgba, self.rgba)
        self.extent = extent

    def flush(self, ax: Axes, zorder: int) -> None:
        if self.rgba is not None and self.extent is not None:
            ax.imshow(np.clip(self.rgba, 0, 1), extent=self.extent, interpolation="nearest", zorder=zorder)
        self.rgba, self.extent = None, None


def _raster_rgba(path: Path, layer: Layer, map_id: str, language: str, handles: list[Artist],
                 colorbars: list[ColorBar]) -> tuple[np.ndarray, tuple[float, float, float, float]]:
    """One raster layer as a straight RGBA image, with its legend entries or colour bar."""
    data, extent, nodata = _read_band(path, map_id)
    if layer.type == "raster_classes":
        handles.extend(Patch(facecolor=e.color, edgecolor="#555555", linewidth=0.4,
                             label=e.label.get(language)) for e in layer.legend)
        return _classes_rgba(data, layer, nodata), extent
    values = data.astype(np.float32)
    if nodata is not None and not np.isnan(nodata):
        values[data == nodata] = np.nan
    valid = np.isfinite(values)
    if layer.type == "raster_hillshade":
        grey = np.clip(np.nan_to_num(values) / 255.0, 0, 1)
        rgba = np.stack([grey, grey, grey, np.where(valid, layer.alpha, 0.0)], axis=-1)
        return rgba.astype(np.float32), extent
    finite = values[valid]
    lo = layer.vmin if layer.vmin is not None else (float(np.percentile(finite, 2)) if finite.size else 0.0)
    hi = layer.vmax if layer.vmax is not None else (float(np.percentile(finite, 98)) if finite.size else 1.0)
    if hi <= lo:
        hi = lo + 1.0
    cmap = layer.cmap or "viridis"
    rgba = colormaps[cmap](np.clip((np.nan_to_num(values, nan=lo) - lo) / (hi - lo), 0, 1)).astype(np.float32)
    rgba[..., 3] = np.where(valid, layer.alpha, 0.0)
    label = layer.label.get(language) if layer.label else Path(layer.file).stem
    if layer.unit:
        label = f"{label} ({layer.unit})"
    colorbars.append(ColorBar(cmap=cmap, vmin=lo, vmax=hi, label=label))
    return rgba, extent


def _draw_vector(ax: Axes, path: Path, layer: Layer, map_id: str, language: str,
                 handles: list[Artist], clip: tuple[float, float, float, float], zorder: int) -> None:
    import pyogrio
    import pyogrio.errors

    try:
        gdf = pyogrio.read_dataframe(path, layer=layer.layer, bbox=clip)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise ReportError("report.errors.layer_unreadable", map=map_id, path=str(path),
                          detail=str(exc).strip()) from None
    gdf = gdf[~(gdf.geometry.isna() | gdf.geometry.is_empty)]
    kinds = set(gdf.geometry.geom_type) if len(gdf) else set()
    is_line = bool(kinds) and kinds <= {"LineString", "MultiLineString"}
    is_point = bool(kinds) and kinds <= {"Point", "MultiPoint"}

    # filled polygons get a thin edge; unfilled ones (alpha 0) are outlines drawn with the layer's width
    edge = layer.linewidth if layer.alpha == 0 else min(layer.linewidth, 0.6)

    def handle(color: str, label: str) -> Artist:
        if is_line:
            return Line2D([], [], color=color, linewidth=max(layer.linewidth, 1.2), label=label)
        if is_point:
            return Line2D([], [], color=color, marker="o", linestyle="", label=label)
        return Patch(facecolor=to_rgba(color, layer.alpha), edgecolor=color, linewidth=edge, label=label)

    def draw(frame: Any, color: str) -> None:
        geoms = [g for g in frame.geometry.values if g is not None and not g.is_empty]
        if not geoms:
            return
        if is_line:
            ax.add_collection(LineCollection(_line_coords(geoms), colors=color, linewidths=layer.linewidth,
                                             zorder=zorder, capstyle="round"))
        elif is_point:
            xy = np.array([(p.x, p.y) for g in geoms for p in getattr(g, "geoms", [g])])
            ax.scatter(xy[:, 0], xy[:, 1], s=14, color=color, zorder=zorder)
        else:
            # one compound path per colour: fast, and overlaps do not darken
            ax.add_artist(PathPatch(_polygon_path(geoms), facecolor=to_rgba(color, layer.alpha),
                                   edgecolor=color, linewidth=edge, zorder=zorder))

    if layer.column and layer.legend and layer.column in gdf.columns:
        keys = gdf[layer.column].astype(str)
        for entry in layer.legend:
            draw(gdf[keys == str(entry.value)], entry.color)
            handles.append(handle(entry.color, entry.label.get(language)))
    else:
        color = layer.color or "#333333"
        draw(gdf, color)
        if layer.label is not None:
            handles.append(handle(color, layer.label.get(language)))


def _polygon_path(geoms: BaseGeometry | list[BaseGeometry]) -> MplPath:
    """One matplotlib path of all polygons in ``geoms``, holes included (rings oriented for nonzero fill)."""
    verts: list[np.ndarray] = []
    codes: list[np.ndarray] = []
    stack = list(geoms) if isinstance(geoms, list) else [geoms]
    while stack:
        geom = stack.pop()
        if hasattr(geom, "geoms"):
            stack.extend(geom.geoms)
            continue
        if not isinstance(geom, Polygon) or geom.is_empty:
            continue
        poly = orient(geom, 1.0)
        for ring in (poly.exterior, *poly.interiors):
            coords = np.asarray(ring.coords)[:, :2]
            ring_codes = np.full(len(coords), MplPath.LINETO, dtype=np.uint8)
            ring_codes[0] = MplPath.MOVETO
            ring_codes[-1] = MplPath.CLOSEPOLY
            verts.append(coords)
            codes.append(ring_codes)
    if not verts:
        return MplPath(np.zeros((1, 2)))
    return MplPath(np.concatenate(verts), np.concatenate(codes))


def _line_coords(geoms: list[BaseGeometry]) -> list[np.ndarray]:
    out: list[np.ndarray] = []
    stack = list(geoms)
    while stack:
        geom = stack.pop()
        if hasattr(geom, "geoms"):
            stack.extend(geom.geoms)
        elif geom.geom_type in ("LineString", "LinearRing") and not geom.is_empty:
            out.append(np.asarray(geom.coords)[:, :2])
    return out


def _draw_boundary(ax: Axes, boundary: BaseGeometry, extent: tuple[float, float, float, float]) -> None:
    xmin, ymin, xmax, ymax = extent
    outside = box(xmin, ymin, xmax, ymax).difference(boundary)
    if not outside.is_empty:
        ax.add_artist(PathPatch(_polygon_path(outside), facecolor=(1, 1, 1, 0.72), edgecolor="none", zorder=60))
    ax.add_artist(PathPatch(_polygon_path(boundary), facecolor="none", edgecolor="#1a1a1a",
                           linewidth=1.3, zorder=70))


def _draw_scale_bar(ax: Axes, extent: tuple[float, float, float, float], language: str) -> None:
    xmin, ymin, xmax, ymax = extent
    width, height = xmax - xmin, ymax - ymin
    length = nice_scale_length(width)
    x0 = xmin + 0.04 * width
    y0 = ymin + 0.045 * height
    bar_h = 0.012 * height
    ax.add_artist(Rectangle((x0 - 0.015 * width, y0 - 0.02 * height), length + 0.03 * width, 0.085 * height,
                           facecolor=(1, 1, 1, 0.85), edgecolor="none", zorder=80))
    half = length / 2
    ax.add_artist(Rectangle((x0, y0), half, bar_h, facecolor="#1a1a1a", edgecolor="#1a1a1a",
                           linewidth=0.6, zorder=90))
    ax.add_artist(Rectangle((x0 + half, y0), half, bar_h, facecolor="white", edgecolor="#1a1a1a",
                           linewidth=0.6, zorder=90))
    text = (translate("report.map.scale_km", language, n=f"{length / 1000:g}") if length >= 1000
            else translate("report.map.scale_m", language, n=f"{length:g}"))
    ax.text(x0 + length / 2, y0 + bar_h + 0.008 * height, text, ha="center", va="bottom",
            fontsize=7.5, zorder=90)


def _draw_north_arrow(ax: Axes, extent: tuple[float, float, float, float], language: str) -> None:
    xmin, ymin, xmax, ymax = extent
    width, height = xmax - xmin, ymax - ymin
    x = xmax - 0.05 * width
    y = ymax - 0.16 * height
    length = 0.08 * height
    ax.add_artist(Rectangle((x - 0.03 * width, y - 0.015 * height), 0.06 * width, 0.145 * height,
                           facecolor=(1, 1, 1, 0.85), edgecolor="none", zorder=80))
    ax.add_artist(FancyArrow(x, y, 0, length, width=0.008 * width, head_width=0.03 * width,
                            head_length=0.03 * height, length_includes_head=True,
                            facecolor="#1a1a1a", edgecolor="#1a1a1a", zorder=90))
    ax.text(x, y + length + 0.005 * height, translate("report.map.north", language), ha="center",
            va="bottom", fontsize=9, fontweight="bold", zorder=90)


#: Labels longer than this get a legend of one column, wrapped at this many characters.
_WRAP_LABEL = 110
#: Height of each further line of a wrapped legend label (7.5 pt text).
_WRAPPED_LINE_IN = 0.13


def _legend_columns(handles: list[Artist]) -> int:
    longest = max((len(str(h.get_label())) for h in handles), default=0)
    if longest > _WRAP_LABEL:
        return 1
    if longest > 38:
        return 2
    if longest > 24:
        return 3
    return 4


def _unique(handles: list[Artist]) -> list[Artist]:
    seen: set[str] = set()
    out: list[Artist] = []
    for h in handles:
        label = str(h.get_label())
        if label and label not in seen:
            seen.add(label)
            out.append(h)
    return out


def render_map(
    spec: MapSpec,
    folder: Path,
    out_path: Path,
    *,
    boundary: BaseGeometry,
    extent: tuple[float, float, float, float],
    language: str,
    folder_of: FolderOf | None = None,
    dpi: int = DPI,
) -> Path:
    """Draw ``spec`` (layers relative to ``folder``) as a PNG at ``out_path``.

    ``extent`` is (xmin, ymin, xmax, ymax) of the map frame in RD metres;
    ``folder_of`` finds the folder of another product for layers with ``product``.
    """
    xmin, ymin, xmax, ymax = extent
    aspect = (ymax - ymin) / (xmax - xmin)
    frame_w = FIG_WIDTH_IN - 0.75
    frame_h = frame_w * aspect
    if frame_h > MAX_MAP_HEIGHT_IN:
        frame_h = MAX_MAP_HEIGHT_IN
        frame_w = frame_h / aspect

    fig = Figure(dpi=dpi)
    FigureCanvasAgg(fig)
    # draw layers first (legend size depends on what they contribute)
    ax = fig.add_axes((0, 0, 1, 1))
    handles: list[Artist] = []
    colorbars: list[ColorBar] = []
    stack = _RasterStack()
    for zorder, layer in enumerate(spec.layers, start=1):
        base = folder if layer.product is None else (folder_of(layer.product) if folder_of else
                                                     folder.parent / layer.product)
        path = base / layer.file
        if not path.exists():
            raise ReportError("report.errors.layer_missing", map=spec.id, product=layer.product or folder.name,
                              path=str(path))
        if layer.type == "vector":
            stack.flush(ax, zorder)
            _draw_vector(ax, path, layer, spec.id, language, handles, extent, zorder)
        else:
            rgba, raster_extent = _raster_rgba(path, layer, spec.id, language, handles, colorbars)
            stack.add(ax, rgba, raster_extent, zorder)
    stack.flush(ax, len(spec.layers))
    _draw_boundary(ax, boundary, extent)
    handles.append(Line2D([], [], color="#1a1a1a", linewidth=1.3,
                          label=translate("report.map.boundary", language)))
    handles = _unique(handles)
    ncol = _legend_columns(handles)
    rows: float = math.ceil(len(handles) / ncol)
    if ncol == 1:  # long labels (e.g. the rules of a suitability class): wrapped, one entry under the other
        for h in handles:
            h.set_label(textwrap.fill(str(h.get_label()), _WRAP_LABEL, subsequent_indent="  "))
        extra_lines = sum(str(h.get_label()).count("\n") for h in handles)
        rows = len(handles) + extra_lines * _WRAPPED_LINE_IN / _LEGEND_ROW_IN
    legend_h = _LEGEND_ROW_IN * rows + 0.15
    bars_h = _COLORBAR_IN * len(colorbars)
    fig_h = _TITLE_IN + frame_h + 0.32 + bars_h + legend_h + 0.08
    fig.set_size_inches(FIG_WIDTH_IN, fig_h)

    # place the frame, colour bars and legend in inches from the top
    left_in = (FIG_WIDTH_IN - frame_w) / 2 + 0.1
    ax.set_position((left_in / FIG_WIDTH_IN, 1 - (_TITLE_IN + frame_h) / fig_h,
                     frame_w / FIG_WIDTH_IN, frame_h / fig_h))
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    ax.set_aspect("equal", adjustable="box")
    _draw_scale_bar(ax, extent, language)
    _draw_north_arrow(ax, extent, language)
    _km_ticks(ax, extent)
    ax.set_xlabel("")
    ax.set_ylabel("")
    for spine in ax.spines.values():
        spine.set_linewidth(0.6)
        spine.set_color("#444444")
    fig.text(0.5, 1 - 0.26 / fig_h, spec.title.get(language), ha="center", va="center",
             fontsize=12, fontweight="bold")

    top = _TITLE_IN + frame_h + 0.32
    for bar in colorbars:
        cax = fig.add_axes((0.2, 1 - (top + 0.16) / fig_h, 0.6, 0.13 / fig_h))
        cb = fig.colorbar(ScalarMappable(norm=Normalize(bar.vmin, bar.vmax), cmap=colormaps[bar.cmap]), cax=cax,
                          orientation="horizontal")
        cb.ax.tick_params(labelsize=7, length=2)
        cb.set_label(bar.label, fontsize=8)
        top += _COLORBAR_IN
    if handles:
        fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.04, 1 - top / fig_h),
                   ncol=ncol, fontsize=7.5, frameon=False, handlelength=1.6, handleheight=1.0,
                   columnspacing=1.2, borderaxespad=0.0, labelspacing=0.35)

    fig.set_facecolor("white")
    canvas = fig.canvas
    assert isinstance(canvas, FigureCanvasAgg)
    canvas.draw()
    rgb = np.asarray(canvas.buffer_rgba())[..., :3]
    with atomic_file(out_path) as tmp:
        # RGB at a moderate compression level: several times faster than matplotlib's RGBA PNG
        PILImage.fromarray(rgb).save(tmp, format="PNG", compress_level=3)
    return out_path


def _km_ticks(ax: Axes, extent: tuple[float, float, float, float]) -> None:
    xmin, ymin, xmax, ymax = extent
    step = nice_scale_length(max(xmax - xmin, ymax - ymin)) * 2
    xt = np.arange(math.ceil(xmin / step) * step, xmax + 1e-6, step)
    yt = np.arange(math.ceil(ymin / step) * step, ymax + 1e-6, step)
    ax.set_xticks(xt)
    ax.set_yticks(yt)
    ax.set_xticklabels([f"{v / 1000:g}" for v in xt])
    ax.set_yticklabels([f"{v / 1000:g}" for v in yt], rotation=90, va="center")
    ax.tick_params(labelsize=6.5, length=2.5, colors="#555555", pad=1.5)


def map_extent(grid_bounds: tuple[float, float, float, float], boundary: BaseGeometry,
               pad: float = 0.02) -> tuple[float, float, float, float]:
    """The frame of every map: the study area with a small margin, inside the grid."""
    bxmin, bymin, bxmax, bymax = boundary.bounds
    dx, dy = (bxmax - bxmin) * pad, (bymax - bymin) * pad
    gxmin, gymin, gxmax, gymax = grid_bounds
    return (max(gxmin, bxmin - dx), max(gymin, bymin - dy), min(gxmax, bxmax + dx), min(gymax, bymax + dy))
