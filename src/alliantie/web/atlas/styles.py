"""The products' own styles turned into pixels: legend colours for classes, a matplotlib ramp for values, grey
for hillshade; and the colour ramp the browser shows beside a continuous layer.

Pixels outside the data (nodata, NaN, a class the legend does not know) are transparent; everything else is
opaque: a layer's ``alpha`` is its opacity in the browser (MapLibre's ``raster-opacity``), so one tile serves
every map that shows the file.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from matplotlib import colormaps
from matplotlib.colors import to_hex, to_rgba

from alliantie.cartography import ramps  # noqa: F401  (registers the alliantie_* ramps by name)
from alliantie.contract.spec import Layer

#: Number of colours of the ramp shown in the browser's colour bar.
RAMP_STOPS = 11
#: The ramp used when a layer names none (as the report does).
DEFAULT_CMAP = "viridis"


@dataclass(frozen=True)
class ValueRange:
    """What a continuous layer is drawn between."""

    vmin: float
    vmax: float


def cmap_name(layer: Layer) -> str:
    """The layer's matplotlib colormap, or the default one when it names none or an unknown one."""
    return layer.cmap if layer.cmap and layer.cmap in colormaps else DEFAULT_CMAP


def ramp_colors(name: str, stops: int = RAMP_STOPS) -> list[str]:
    """``stops`` colours sampled evenly from colormap ``name``, as ``#rrggbb``."""
    cmap = colormaps[name]
    return [to_hex(cmap(i / (stops - 1))) for i in range(stops)]


def value_range(layer: Layer, sample: np.ndarray | None = None) -> ValueRange:
    """``vmin``/``vmax`` of the spec; a missing one from the 2nd/98th percentile of ``sample`` (as the report)."""
    finite = sample[np.isfinite(sample)] if sample is not None else np.empty(0)
    lo = layer.vmin if layer.vmin is not None else (float(np.percentile(finite, 2)) if finite.size else 0.0)
    hi = layer.vmax if layer.vmax is not None else (float(np.percentile(finite, 98)) if finite.size else 1.0)
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        hi = lo + 1.0 if math.isfinite(lo) else 1.0
        lo = lo if math.isfinite(lo) else 0.0
    return ValueRange(lo, hi)


def rgba_classes(data: np.ndarray, valid: np.ndarray, layer: Layer) -> np.ndarray:
    """Integer classes as RGBA (uint8, rows x cols x 4): legend colours, transparent where no entry fits."""
    out = np.zeros((*data.shape, 4), dtype=np.uint8)
    entries = [(int(e.value), e.color) for e in layer.legend if _is_int(e.value)]
    if not entries:
        return out
    entries.sort()
    values = np.array([v for v, _ in entries], dtype=np.int64)
    colors = np.array([[round(c * 255) for c in to_rgba(color)] for _, color in entries], dtype=np.uint8)
    if data.dtype == np.uint8:  # the usual class raster: one look-up table of 256 colours
        lut = np.zeros((256, 4), dtype=np.uint8)
        for value, color in zip(values, colors, strict=True):
            if 0 <= value <= 255:
                lut[value] = color
        out = lut[data]
        out[~valid] = 0
        return out
    flat = np.where(valid, np.nan_to_num(data.astype(np.float64), nan=-1.0), -1.0)
    classes = np.rint(flat).astype(np.int64)
    idx = np.clip(np.searchsorted(values, classes), 0, len(values) - 1)
    hit = valid & (values[idx] == classes)
    out[hit] = colors[idx[hit]]
    return out


def rgba_continuous(data: np.ndarray, valid: np.ndarray, name: str, span: ValueRange) -> np.ndarray:
    """Values as RGBA through colormap ``name`` between ``span.vmin`` and ``span.vmax`` (clipped at both ends)."""
    lut = (colormaps[name](np.linspace(0.0, 1.0, 256)) * 255).round().astype(np.uint8)
    scaled = (np.nan_to_num(data.astype(np.float64), nan=span.vmin) - span.vmin) / (span.vmax - span.vmin)
    idx = np.clip(np.rint(scaled * 255), 0, 255).astype(np.int64)
    out = lut[idx]
    out[..., 3] = np.where(valid, 255, 0)
    return out


def rgba_hillshade(data: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """Hillshade (0-255) as grey RGBA, transparent outside the data."""
    grey = np.clip(np.nan_to_num(data.astype(np.float64)), 0, 255).astype(np.uint8)
    return np.stack([grey, grey, grey, np.where(valid, 255, 0).astype(np.uint8)], axis=-1)


def _is_int(value: int | str) -> bool:
    try:
        int(value)
    except (TypeError, ValueError):
        return False
    return True
