"""Class tables of the knowledge files as legends, QGIS styles and GeoTIFF colour maps.

A class table is a list of TOML tables with at least ``id``, ``code`` (the
integer in the raster, 1..255; 0 is no data), ``nl``, ``en`` and ``color``
(read by the knowledge models as ``ClassRow``, turned into ``ClassInfo`` by
``contract.classes.class_table``).
"""

from __future__ import annotations

from collections.abc import Sequence

from alliantie.contract.classes import ClassEntry, ClassInfo
from alliantie.contract.spec import LegendEntry
from alliantie.io.styles import StyleClass


def codes(classes: Sequence[ClassEntry]) -> dict[str, int]:
    """Class id -> code (of :class:`ClassInfo` or of the rows of a class table)."""
    return {c.id: c.code for c in classes}


def by_id(classes: Sequence[ClassInfo]) -> dict[str, ClassInfo]:
    return {c.id: c for c in classes}


def legend(classes: Sequence[ClassInfo], present: set[int] | None = None) -> list[LegendEntry]:
    """Legend entries (only the codes in ``present`` when given)."""
    return [
        LegendEntry(value=c.code, color=c.color, label=c.text)
        for c in classes
        if present is None or c.code in present
    ]


def vector_legend(classes: Sequence[ClassInfo], present: set[str] | None = None) -> list[LegendEntry]:
    """Legend entries keyed by class id (for vector layers coloured by an id column)."""
    return [
        LegendEntry(value=c.id, color=c.color, label=c.text)
        for c in classes
        if present is None or c.id in present
    ]


def style_classes(classes: Sequence[ClassInfo], language: str, by: str = "code") -> list[StyleClass]:
    """QGIS style classes keyed by ``code`` (rasters) or ``id`` (vectors)."""
    return [StyleClass(c.code if by == "code" else c.id, c.color, c.label(language)) for c in classes]


def colormap(classes: Sequence[ClassInfo]) -> dict[int, tuple[int, int, int, int]]:
    """GeoTIFF colour table (code -> RGBA); code 0 (no data) transparent."""
    table: dict[int, tuple[int, int, int, int]] = {0: (0, 0, 0, 0)}
    for c in classes:
        h = c.color.lstrip("#")
        table[c.code] = (int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16), 255)
    return table
