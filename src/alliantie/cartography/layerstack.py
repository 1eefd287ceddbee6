"""An oblique stack of map planes: the picture of a *lagenkaart* (layer map).

Each plane is an RGBA image of the same area, drawn as a slanted slab: the
image is squashed vertically and sheared to the right with a matplotlib
:class:`~matplotlib.transforms.Affine2D`, so the same figure renders to PNG and
to SVG (where every plane stays one embedded image with a transform matrix).
Planes are stacked bottom to top in the order given, each with its name at the
left and a small legend at the right; the figure has a title and a north arrow
that follows the slant.

Pure rendering: no files are read here and nothing about the method is known.
Transparent pixels (alpha 0, or NaN in a float image) let the plane's paper
colour show through.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.patches import FancyArrow, Polygon, Rectangle
from matplotlib.transforms import Affine2D, Transform


@dataclass(frozen=True)
class LegendItem:
    """One legend entry: a coloured square (``patch``) or a line symbol (``line``)."""

    color: str
    label: str
    kind: Literal["patch", "line"] = "patch"


@dataclass(frozen=True)
class ColourRamp:
    """A continuous legend: a small colour bar from ``low`` to ``high``."""

    colors: Sequence[str]
    low: str
    high: str
    label: str = ""


@dataclass(frozen=True)
class Plane:
    """One plane of the stack: a name, an RGBA image (north up) and its legend."""

    label: str
    image: np.ndarray
    caption: str = ""
    legend: Sequence[LegendItem] = ()
    ramp: ColourRamp | None = None


@dataclass(frozen=True)
class StackStyle:
    """Geometry and look of the stack (lengths in plane widths, sizes in points)."""

    width_px: int = 1600
    dpi: int = 160
    squash: float = 0.42          # vertical foreshortening of a plane
    shear_deg: float = 42.0       # slant of the plane's sides
    spacing: float = 1.16         # vertical distance between planes, in projected plane heights
    thickness: float = 0.014      # slab thickness
    label_width: float = 0.56     # room at the left for the plane names
    legend_width: float = 0.52    # room at the right for the legends
    title_height: float = 0.20
    footer_height: float = 0.07
    paper: str = "#f4f1ea"        # plane colour under transparent pixels
    edge: str = "#59606b"
    side_front: str = "#b9b2a5"
    side_right: str = "#9d968a"
    text: str = "#1f2933"
    muted: str = "#5f6b76"
    accent: str = "#2c6e8f"
    title_size: float = 19.0
    subtitle_size: float = 10.5
    label_size: float = 12.5
    caption_size: float = 8.6
    legend_size: float = 8.4
    max_legend_items: int = 5
    legend_chars: int = 24          # legend labels wrap after this many characters
    font_family: Sequence[str] = field(default=("DejaVu Sans",))


def as_rgba(image: np.ndarray) -> np.ndarray:
    """``image`` as float RGBA in 0..1, with NaN (or nodata) pixels fully transparent.

    Accepts (rows, cols, 3|4) arrays of floats in 0..1 or of uint8 in 0..255.
    """
    arr = np.asarray(image)
    if arr.ndim != 3 or arr.shape[2] not in (3, 4):
        raise ValueError(f"expected an RGB(A) image of shape (rows, cols, 3|4), got {arr.shape}")
    rgba = arr.astype(np.float32)
    if np.issubdtype(arr.dtype, np.integer):
        rgba /= 255.0
    if rgba.shape[2] == 3:
        rgba = np.concatenate([rgba, np.ones((*rgba.shape[:2], 1), np.float32)], axis=2)
    invalid = np.isnan(rgba).any(axis=2)
    rgba = np.clip(np.nan_to_num(rgba, nan=0.0), 0.0, 1.0)
    rgba[invalid] = 0.0
    return rgba


def _on_paper(rgba: np.ndarray, paper: str) -> np.ndarray:
    """Give fully transparent pixels the paper colour, so smoothing leaves no dark fringe."""
    out = rgba.copy()
    out[out[..., 3] == 0.0, :3] = to_rgba(paper)[:3]
    return out


@dataclass(frozen=True)
class _Geometry:
    """Where plane ``i`` lies on the page (data units: a plane is 1 wide)."""

    aspect: float      # rows / cols of the area
    squash: float
    shear: float       # horizontal offset of the back edge relative to the front
    height: float      # projected height of a plane
    step: float        # vertical distance between planes

    def transform(self, index: int) -> Affine2D:
        """Plane coordinates (x 0..1 west-east, y 0..aspect south-north) to the page."""
        skew = math.degrees(math.atan2(self.shear, self.height))
        return Affine2D().scale(1.0, self.squash).skew_deg(skew, 0.0).translate(0.0, index * self.step)

    def corners(self, index: int) -> np.ndarray:
        """Front-left, front-right, back-right, back-left corners on the page."""
        y0 = index * self.step
        return np.array([
            (0.0, y0), (1.0, y0), (1.0 + self.shear, y0 + self.height), (self.shear, y0 + self.height),
        ])


def _geometry(aspect: float, style: StackStyle) -> _Geometry:
    height = aspect * style.squash
    shear = height * math.tan(math.radians(style.shear_deg))
    return _Geometry(aspect, style.squash, shear, height, height * style.spacing)


def draw_layer_stack(
    planes: Sequence[Plane | tuple[str, np.ndarray]],
    *,
    title: str = "",
    subtitle: str = "",
    north: str = "N",
    note: str = "",
    style: StackStyle | None = None,
) -> Figure:
    """A figure with ``planes`` stacked bottom (first) to top (last).

    Plane names are ``Text`` artists with gid ``plane-label-<i>`` (``i`` from
    the bottom), images have gid ``plane-image-<i>``; the SVG keeps these ids.
    """
    st = style or StackStyle()
    items = [p if isinstance(p, Plane) else Plane(label=p[0], image=p[1]) for p in planes]
    if not items:
        raise ValueError("a layer stack needs at least one plane")
    images = [_on_paper(as_rgba(p.image), st.paper) for p in items]
    rows, cols = images[0].shape[:2]
    geo = _geometry(rows / cols, st)
    n = len(items)

    x_min = -st.label_width
    x_max = 1.0 + geo.shear + st.legend_width
    y_min = -st.thickness - st.footer_height
    y_max = (n - 1) * geo.step + geo.height + st.title_height
    width_in = st.width_px / st.dpi
    height_in = width_in * (y_max - y_min) / (x_max - x_min)
    fig = Figure(figsize=(width_in, height_in), dpi=st.dpi, facecolor="white")
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    ax.set_xlim(x_min, x_max)
    ax.set_ylim(y_min, y_max)
    ax.set_aspect("equal")
    ax.set_axis_off()
    unit_pt = width_in * 72.0 / (x_max - x_min)   # points per data unit
    font: dict[str, Any] = {"family": list(st.font_family)}

    _draw_connectors(ax, geo, n, st)
    for i, (plane, rgba) in enumerate(zip(items, images, strict=True)):
        base = 10 * (i + 1)
        _draw_slab(ax, geo, i, st, base)
        image: AxesImage = ax.imshow(
            rgba, extent=(0.0, 1.0, 0.0, geo.aspect), origin="upper",
            interpolation="antialiased", zorder=base + 3,
            transform=geo.transform(i) + ax.transData,
        )
        image.set_gid(f"plane-image-{i}")
        ax.add_patch(Polygon(geo.corners(i), closed=True, fill=False, edgecolor=st.edge,
                             linewidth=0.8, zorder=base + 4, joinstyle="round"))
        _draw_label(ax, geo, i, plane, st, font)
        _draw_legend(ax, geo, i, plane, st, font, unit_pt)

    top = (n - 1) * geo.step + geo.height
    if title:
        ax.text(x_min + 0.04, y_max - 0.05, title, ha="left", va="top", fontsize=st.title_size,
                fontweight="bold", color=st.text, gid="stack-title", **font)
    if subtitle:
        ax.text(x_min + 0.04, y_max - 0.05 - st.title_size * 1.55 / unit_pt, subtitle, ha="left",
                va="top", fontsize=st.subtitle_size, color=st.muted, **font)
    _draw_north(ax, geo, n - 1, north, st, font, anchor=(x_max - 0.16, top + st.title_height * 0.22))
    if note:
        ax.text(x_min + 0.04, y_min + 0.02, note, ha="left", va="bottom", fontsize=st.caption_size * 0.95,
                color=st.muted, **font)
    return fig


def _draw_connectors(ax: Axes, geo: _Geometry, n: int, st: StackStyle) -> None:
    """Thin dashed lines joining the visible corners of consecutive planes."""
    for i in range(n - 1):
        lower, upper = geo.corners(i), geo.corners(i + 1)
        for corner in (0, 1, 2):
            ax.plot(
                [lower[corner, 0], upper[corner, 0]], [lower[corner, 1] - st.thickness, upper[corner, 1]],
                color=st.edge, linewidth=0.6, linestyle=(0, (2.5, 2.5)), alpha=0.55, zorder=1,
            )


def _draw_slab(ax: Axes, geo: _Geometry, i: int, st: StackStyle, base: int) -> None:
    """Shadow, paper and the two visible side faces of plane ``i``."""
    c = geo.corners(i)
    t = st.thickness
    shadow = c + np.array([0.018, -0.030])
    ax.add_patch(Polygon(shadow, closed=True, facecolor="#000000", alpha=0.10,
                         edgecolor="none", zorder=base))
    front = [c[0], c[1], c[1] - (0, t), c[0] - (0, t)]
    right = [c[1], c[2], c[2] - (0, t), c[1] - (0, t)]
    for face, colour in ((front, st.side_front), (right, st.side_right)):
        ax.add_patch(Polygon(np.array(face), closed=True, facecolor=colour,
                             edgecolor=st.edge, linewidth=0.5, zorder=base + 1))
    ax.add_patch(Polygon(c, closed=True, facecolor=st.paper, edgecolor="none",
                         zorder=base + 2))


def _draw_label(ax: Axes, geo: _Geometry, i: int, plane: Plane, st: StackStyle, font: dict[str, Any]) -> None:
    """Number, name and caption at the left, with a leader to the plane's left edge."""
    c = geo.corners(i)
    mid_y = i * geo.step + geo.height * 0.5
    edge_x = geo.shear * 0.5
    x_text = -st.label_width + 0.06
    ax.plot([-0.05, edge_x], [mid_y, mid_y], color=st.edge, linewidth=0.6,
            alpha=0.8, zorder=2)
    ax.plot([edge_x], [mid_y], marker="o", markersize=3.2, color=st.edge, zorder=60)
    ax.text(x_text - 0.035, mid_y, str(i + 1), ha="center", va="center", fontsize=st.label_size * 0.8,
            fontweight="bold", color="white", zorder=61,
            bbox={"boxstyle": "circle,pad=0.28", "facecolor": st.accent, "edgecolor": "none"}, **font)
    ax.text(x_text, mid_y + 0.004, plane.label, ha="left", va="bottom", fontsize=st.label_size,
            fontweight="bold", color=st.text, zorder=61, gid=f"plane-label-{i}", **font)
    if plane.caption:
        ax.text(x_text, mid_y - 0.008, plane.caption, ha="left", va="top", fontsize=st.caption_size,
                color=st.muted, zorder=61, linespacing=1.25, **font)
    del c


def _draw_legend(
    ax: Axes, geo: _Geometry, i: int, plane: Plane, st: StackStyle, font: dict[str, Any], unit_pt: float,
) -> None:
    """Up to ``max_legend_items`` entries (or a colour ramp) right of plane ``i``."""
    entries = list(plane.legend)[: st.max_legend_items]
    if not entries and plane.ramp is None:
        return
    line = st.legend_size * 1.75 / unit_pt          # line height in data units
    wrapped = st.legend_size * 1.2 / unit_pt        # extra height of a wrapped text line
    box = st.legend_size * 1.05 / unit_pt
    x0 = 1.0 + geo.shear + 0.05
    labels = [textwrap.fill(e.label, st.legend_chars, break_on_hyphens=False) for e in entries]
    extra = [label.count("\n") * wrapped for label in labels]
    height = (len(entries) + (2 if plane.ramp is not None else 0) - 1) * line + sum(extra)
    mid_y = i * geo.step + geo.height * 0.55
    y = mid_y + height / 2
    if plane.ramp is not None:
        ramp = plane.ramp
        colours = np.array([to_rgba(c) for c in ramp.colors])[None, :, :]
        bar_w = 0.17
        ax.imshow(colours, extent=(x0, x0 + bar_w, y - box / 2, y + box / 2), aspect="auto",
                  interpolation="bilinear", zorder=70)
        ax.add_patch(Rectangle((x0, y - box / 2), bar_w, box, fill=False, edgecolor=st.edge,
                               linewidth=0.5, zorder=71))
        ax.text(x0 + bar_w + 0.015, y, ramp.label, ha="left", va="center", fontsize=st.legend_size,
                color=st.text, zorder=71, **font)
        y -= line * 0.85
        for x, text, ha in ((x0, ramp.low, "left"), (x0 + bar_w, ramp.high, "right")):
            ax.text(x, y, text, ha=ha, va="center", fontsize=st.legend_size * 0.92,
                    color=st.muted, zorder=71, **font)
        y -= line * 1.15
    for entry, label, more in zip(entries, labels, extra, strict=True):
        y -= more / 2
        if entry.kind == "line":
            ax.plot([x0, x0 + box * 1.6], [y, y], color=entry.color, linewidth=2.2,
                    solid_capstyle="round", zorder=71)
        else:
            ax.add_patch(Rectangle((x0, y - box / 2), box * 1.6, box, facecolor=entry.color,
                                   edgecolor=st.edge, linewidth=0.4, zorder=71))
        ax.text(x0 + box * 1.6 + 0.015, y, label, ha="left", va="center", fontsize=st.legend_size,
                color=st.text, zorder=71, linespacing=1.15, **font)
        y -= line + more / 2


def _draw_north(
    ax: Axes, geo: _Geometry, i: int, north: str, st: StackStyle, font: dict[str, Any],
    anchor: tuple[float, float],
) -> None:
    """An arrow pointing to north on the slanted planes."""
    transform: Transform = geo.transform(i)
    origin = transform.transform((0.0, 0.0))
    tip = transform.transform((0.0, 1.0))
    direction = (tip - origin) / np.hypot(*(tip - origin))
    length = 0.11
    x0 = anchor[0] - direction[0] * length / 2
    y0 = anchor[1] - direction[1] * length / 2
    ax.add_patch(FancyArrow(x0, y0, direction[0] * length, direction[1] * length,
                            width=0.010, head_width=0.034, head_length=0.034, length_includes_head=True,
                            facecolor=st.text, edgecolor="none", zorder=80))
    ax.text(x0 + direction[0] * (length + 0.03), y0 + direction[1] * (length + 0.03), north,
            ha="center", va="center", fontsize=st.label_size, fontweight="bold", color=st.text,
            zorder=80, gid="north-arrow", **font)


#: Salt of the ids matplotlib gives SVG elements (clip paths, images); fixed, so equal figures give equal files.
SVG_HASH_SALT = "alliantie"


def save_layer_stack(fig: Figure, png: Path | None = None, svg: Path | None = None) -> list[Path]:
    """Write the figure as PNG (at the figure's dpi) and/or SVG; returns the paths written.

    In the SVG each plane is one embedded image with its affine transform
    (no resampling), so a designer can still pull the planes apart. Both files
    are reproducible: no date in them, the same figure gives the same bytes.
    """
    written: list[Path] = []
    if png is not None:
        fig.savefig(png, format="png", dpi=fig.dpi, facecolor=fig.get_facecolor())
        written.append(png)
    if svg is not None:
        planes = [im for im in fig.axes[0].get_images() if str(im.get_gid()).startswith("plane-image-")]
        for im in planes:
            im.set_interpolation("none")
        try:
            # reproducible SVG: no creation date, and element ids hashed with a fixed salt instead of a random one
            with rc_context({"svg.hashsalt": SVG_HASH_SALT}):
                fig.savefig(svg, format="svg", dpi=fig.dpi, facecolor=fig.get_facecolor(), metadata={"Date": None})
        finally:
            for im in planes:
                im.set_interpolation("antialiased")
        written.append(svg)
    return written
