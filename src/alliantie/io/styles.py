"""QGIS styles (QML) for products, so outputs open in QGIS styled.

Rasters get a ``.qml`` sidecar (QGIS loads ``name.qml`` next to ``name.tif``
by default). GeoPackage layers get a row in the ``layer_styles`` table, which
QGIS reads as the layer's default style.
"""

from __future__ import annotations

import sqlite3
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

QGIS_VERSION = "3.28.0"


@dataclass(frozen=True)
class StyleClass:
    """One legend entry: a value, its colour (``#rrggbb``) and its label."""

    value: int | str
    color: str
    label: str


def hex_rgb(color: str) -> tuple[int, int, int]:
    """``"#rrggbb"`` as a tuple of three 0-255 integers (for GDAL colour tables)."""
    c = color.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def _hex_to_rgba(color: str, alpha: int = 255) -> str:
    c = color.lstrip("#")
    r, g, b = (int(c[i : i + 2], 16) for i in (0, 2, 4))
    return f"{r},{g},{b},{alpha}"


def _document(categories: str = "AllStyleCategories") -> ET.Element:
    return ET.Element("qgis", {"version": QGIS_VERSION, "styleCategories": categories})


def _serialise(root: ET.Element) -> str:
    ET.indent(root)
    return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + ET.tostring(
        root, encoding="unicode"
    )


def raster_paletted_qml(classes: Sequence[StyleClass]) -> str:
    """A paletted (unique values) raster style."""
    root = _document()
    pipe = ET.SubElement(root, "pipe")
    renderer = ET.SubElement(
        pipe,
        "rasterrenderer",
        {"type": "paletted", "band": "1", "opacity": "1", "alphaBand": "-1", "nodataColor": ""},
    )
    palette = ET.SubElement(renderer, "colorPalette")
    for cls in classes:
        ET.SubElement(
            palette,
            "paletteEntry",
            {"value": str(cls.value), "color": cls.color, "label": cls.label, "alpha": "255"},
        )
    return _serialise(root)


def raster_ramp_qml(stops: Sequence[tuple[float, str, str]], discrete: bool = False) -> str:
    """A single-band pseudocolour style from ``(value, colour, label)`` stops."""
    root = _document()
    pipe = ET.SubElement(root, "pipe")
    renderer = ET.SubElement(
        pipe,
        "rasterrenderer",
        {
            "type": "singlebandpseudocolor",
            "band": "1",
            "opacity": "1",
            "alphaBand": "-1",
            "classificationMin": repr(float(stops[0][0])),
            "classificationMax": repr(float(stops[-1][0])),
        },
    )
    shader = ET.SubElement(ET.SubElement(renderer, "rastershader"), "colorrampshader")
    shader.set("colorRampType", "DISCRETE" if discrete else "INTERPOLATED")
    shader.set("classificationMode", "1")
    shader.set("clip", "0")
    for value, color, label in stops:
        ET.SubElement(
            shader, "item", {"value": repr(float(value)), "color": color, "label": label, "alpha": "255"}
        )
    return _serialise(root)


def _symbol(parent: ET.Element, name: str, geometry: str, color: str) -> None:
    kind = {"polygon": "fill", "line": "line", "point": "marker"}[geometry]
    symbol = ET.SubElement(
        parent, "symbol", {"type": kind, "name": name, "alpha": "1", "clip_to_extent": "1", "force_rhr": "0"}
    )
    layer_class = {"fill": "SimpleFill", "line": "SimpleLine", "marker": "SimpleMarker"}[kind]
    layer = ET.SubElement(symbol, "layer", {"class": layer_class, "enabled": "1", "pass": "0", "locked": "0"})
    options = ET.SubElement(layer, "Option", {"type": "Map"})
    rgba = _hex_to_rgba(color)
    values = {
        "fill": {"color": rgba, "outline_color": "60,60,60,255", "outline_width": "0.2", "style": "solid"},
        "line": {"line_color": rgba, "line_width": "0.6", "line_style": "solid"},
        "marker": {"color": rgba, "outline_color": "60,60,60,255", "size": "2", "name": "circle"},
    }[kind]
    for key, value in values.items():
        ET.SubElement(options, "Option", {"name": key, "value": value, "type": "QString"})


def vector_categorized_qml(attribute: str, classes: Sequence[StyleClass], geometry: str,
                           label_field: str | None = None) -> str:
    """A categorized vector style on ``attribute``; ``geometry`` is polygon, line or point.

    With ``label_field`` every feature is labelled with that column (dark text on a white buffer).
    """
    root = _document("Symbology" if label_field is None else "Symbology|Labeling")
    renderer = ET.SubElement(
        root,
        "renderer-v2",
        {"type": "categorizedSymbol", "attr": attribute, "symbollevels": "0", "enableorderby": "0", "forceraster": "0"},
    )
    cats = ET.SubElement(renderer, "categories")
    symbols = ET.SubElement(renderer, "symbols")
    for i, cls in enumerate(classes):
        attrs = {"value": str(cls.value), "symbol": str(i), "label": cls.label, "render": "true"}
        ET.SubElement(cats, "category", attrs)
        _symbol(symbols, str(i), geometry, cls.color)
    if label_field is not None:
        _labels(root, label_field)
    return _serialise(root)


def _labels(root: ET.Element, field: str) -> None:
    """Simple labels from column ``field``."""
    root.set("labelsEnabled", "1")
    settings = ET.SubElement(ET.SubElement(root, "labeling", {"type": "simple"}), "settings")
    style = ET.SubElement(settings, "text-style", {
        "fieldName": field, "isExpression": "0", "fontSize": "8", "fontSizeUnit": "Point",
        "textColor": "30,30,30,255", "fontWeight": "50", "fontItalic": "0", "namedStyle": "Regular",
    })
    ET.SubElement(style, "text-buffer", {"bufferDraw": "1", "bufferSize": "0.8", "bufferSizeUnits": "MM",
                                         "bufferColor": "255,255,255,255", "bufferOpacity": "0.8"})
    ET.SubElement(settings, "rendering", {"obstacle": "1", "drawLabels": "1", "scaleVisibility": "0"})


def vector_single_qml(color: str, geometry: str) -> str:
    """A single-symbol vector style."""
    root = _document("Symbology")
    renderer = ET.SubElement(
        root, "renderer-v2", {"type": "singleSymbol", "symbollevels": "0", "enableorderby": "0", "forceraster": "0"}
    )
    _symbol(ET.SubElement(renderer, "symbols"), "0", geometry, color)
    return _serialise(root)


_LAYER_STYLES_DDL = """
CREATE TABLE IF NOT EXISTS layer_styles (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  f_table_catalog TEXT(256), f_table_schema TEXT(256), f_table_name TEXT(256),
  f_geometry_column TEXT(256), styleName TEXT(30), styleQML TEXT, styleSLD TEXT,
  useAsDefault BOOLEAN, description TEXT, owner TEXT(30), ui TEXT(30),
  update_time DATETIME DEFAULT CURRENT_TIMESTAMP
)
"""


def embed_gpkg_style(
    gpkg: str | Path, layer: str, qml: str, name: str = "alliantie", timestamp: str = "2000-01-01T00:00:00.000Z"
) -> None:
    """Store ``qml`` as the default QGIS style of ``layer`` inside the GeoPackage.

    ``timestamp`` is written as the style's ``update_time`` and as the ``last_change`` of the
    ``layer_styles`` table, so the same data and style give the same bytes.
    """
    con = sqlite3.connect(str(gpkg))
    try:
        con.execute(_LAYER_STYLES_DDL)
        geom_col = con.execute(
            "SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?", (layer,)
        ).fetchone()
        con.execute("DELETE FROM layer_styles WHERE f_table_name = ?", (layer,))
        con.execute(
            "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, "
            "f_geometry_column, styleName, styleQML, styleSLD, useAsDefault, description, owner, ui, update_time) "
            "VALUES ('', '', ?, ?, ?, ?, '', 1, ?, '', '', ?)",
            (layer, geom_col[0] if geom_col else "geom", name, qml, f"style for {layer}", timestamp),
        )
        # last_change explicitly: its column default is the current time, which would make two runs differ
        con.execute(
            "INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, description, last_change) "
            "VALUES ('layer_styles', 'attributes', 'layer_styles', 'QGIS layer styles', ?)",
            (timestamp,),
        )
        con.commit()
    finally:
        con.close()
