"""The export of a workshop into its dossier: ``inputs/sketches.gpkg`` (with QGIS styles) and ``inputs/moves.csv``.

``sketches.gpkg`` holds, in the dossier's CRS:

* layer ``sketches``: every sketch (points, lines and polygons in one layer, as
  ``alliantie evaluate`` and the dossier's ``[inputs] sketch`` read it) with the
  columns ``measure``, ``level``, ``comment``, ``width_m``, ``count``,
  ``sketch_id``, ``author_name``, ``discipline``, ``created_at`` and ``syntheses``
  (the names of the syntheses the sketch belongs to, joined by ``"; "``);
* one layer per synthesis, ``synthesis_<name>``, with its sketches only, so a
  synthesis is evaluated on its own with ``alliantie evaluate ... --layer``.

Each layer has a QGIS style in ``layer_styles``: categorized by ``measure``, one
colour per catalogue measure, a fill, line or marker symbol after the measure's
geometry kind (QGIS splits a mixed layer by geometry type; each part draws the
categories of its kind), and the same as an SLD 1.1 style in ``styleSLD`` (one rule per measure, filtered
on ``measure``) for clients that read SLD. The file is written atomically and reproducibly
(:func:`alliantie.io.vector.write_vector_layers`). The move log goes to
``moves.csv`` beside it (one row per move; nested values as JSON).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import re
import sqlite3
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely
import shapely.geometry

from alliantie.dossier import load_dossier
from alliantie.errors import AlliantieError, InputDataError
from alliantie.i18n import translate
from alliantie.io.atomic import atomic_file
from alliantie.io.styles import QGIS_VERSION, hex_rgb
from alliantie.io.vector import write_vector_layers
from alliantie.knowledge.measures import MeasureCatalogue

SKETCHES_FILE = "sketches.gpkg"
MOVES_FILE = "moves.csv"
SKETCH_LAYER = "sketches"
SYNTHESIS_PREFIX = "synthesis_"
COLUMNS = ("measure", "level", "comment", "width_m", "count", "sketch_id", "author_name", "discipline",
           "created_at", "syntheses")
#: Colours of the measures in catalogue order (a qualitative palette of 20, repeated): Tableau 20.
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
           "#17becf", "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94", "#f7b6d2", "#c7c7c7",
           "#dbdb8d", "#9edae5")
SYMBOL = {"polygon": "fill", "building": "fill", "line": "line", "point": "marker"}


@dataclass(frozen=True)
class Export:
    """What :func:`export_workshop` wrote."""

    gpkg: Path
    moves: Path | None
    layers: tuple[str, ...]  #: the layers of the GeoPackage: ``sketches`` and one per synthesis
    count: int  #: sketches written


def export_workshop(dossier_file: Path, sketches: Sequence[Mapping[str, Any]],
                    moves: Sequence[Mapping[str, Any]] | None = None, *, language: str = "nl") -> Export:
    """Write ``sketches`` (GeoJSON Features in EPSG:4326) to ``inputs/sketches.gpkg`` and ``moves`` to ``moves.csv``.

    A sketch is ``{"id"?, "geometry": GeoJSON, "properties": {measure, level, comment, width_m, count,
    author_name, discipline, created_at, syntheses: [names]}}``. ``language`` names the measures in the style.
    """
    dossier = load_dossier(dossier_file)
    catalogue = MeasureCatalogue.load(dossier.knowledge_override(MeasureCatalogue.FILE))
    frame = sketch_frame(sketches, dossier.config.crs)
    layers: list[tuple[str, gpd.GeoDataFrame, str | None, str | None]] = []
    qml = measure_style(catalogue, language)
    layers.append((SKETCH_LAYER, frame, "Unknown", qml))
    for name, layer in synthesis_layers(frame).items():
        layers.append((name, layer, "Unknown", qml))
    folder = dossier.root / "inputs"
    gpkg = folder / SKETCHES_FILE
    with atomic_file(gpkg) as tmp:
        write_vector_layers(tmp, layers)
        with contextlib.closing(sqlite3.connect(tmp)) as con, con:  # the same style as SLD, for other clients
            for name, *_ in layers:
                con.execute("UPDATE layer_styles SET styleSLD = ? WHERE f_table_name = ?",
                            (measure_sld(catalogue, language, name), name))
    moves_path = None
    if moves is not None:
        moves_path = folder / MOVES_FILE
        with atomic_file(moves_path) as tmp:
            tmp.write_text(moves_csv(moves), encoding="utf-8")
    return Export(gpkg=gpkg, moves=moves_path, layers=tuple(name for name, *_ in layers), count=len(frame))


def sketch_frame(sketches: Sequence[Mapping[str, Any]], crs: str) -> gpd.GeoDataFrame:
    """The sketches as a GeoDataFrame in ``crs`` with :data:`COLUMNS` (NaN sizes where not given)."""
    rows: list[dict[str, Any]] = []
    shapes: list[shapely.Geometry] = []
    for i, feature in enumerate(sketches):
        props = dict(feature.get("properties") or {})
        sid = str(feature.get("id", props.get("id", i + 1)))
        try:
            shape = shapely.geometry.shape(feature["geometry"])
        except (KeyError, TypeError, ValueError, AttributeError, IndexError, shapely.errors.ShapelyError):
            raise InputDataError("web_indicators.errors.geometry",
                                 sketch=translate("web_indicators.sketch_label", None, id=sid)) from None
        shapes.append(shape)
        names = props.get("syntheses") or []
        rows.append({
            "measure": str(props.get("measure") or ""), "level": str(props.get("level") or ""),
            "comment": str(props.get("comment") or ""), "width_m": _float(props.get("width_m")),
            "count": _float(props.get("count")), "sketch_id": sid,
            "author_name": str(props.get("author_name") or ""), "discipline": str(props.get("discipline") or ""),
            "created_at": str(props.get("created_at") or ""),
            "syntheses": "; ".join(str(n) for n in names) if not isinstance(names, str) else names,
        })
    frame = gpd.GeoDataFrame(rows, columns=list(COLUMNS), geometry=shapes, crs="EPSG:4326")
    return frame.to_crs(crs)


def synthesis_layers(frame: gpd.GeoDataFrame) -> dict[str, gpd.GeoDataFrame]:
    """One frame per synthesis named in the ``syntheses`` column, keyed by its layer name."""
    names: list[str] = []
    for value in frame["syntheses"]:
        names += [n for n in (p.strip() for p in str(value).split(";")) if n and n not in names]
    out: dict[str, gpd.GeoDataFrame] = {}
    for name in names:
        member = frame["syntheses"].map(lambda v, n=name: n in [p.strip() for p in str(v).split(";")])
        layer = layer_name(name, set(out))
        out[layer] = frame[member.to_numpy(dtype=bool)].reset_index(drop=True)
    return out


def layer_name(synthesis: str, taken: set[str]) -> str:
    """``synthesis_<name>`` in lower case ASCII letters, digits and underscores, unique among ``taken``."""
    slug = re.sub(r"[^a-z0-9]+", "_", synthesis.lower()).strip("_") or "unnamed"
    name, n = f"{SYNTHESIS_PREFIX}{slug}", 2
    while name in taken:
        name, n = f"{SYNTHESIS_PREFIX}{slug}_{n}", n + 1
    return name


def measure_style(catalogue: MeasureCatalogue, language: str) -> str:
    """A QGIS style categorized by ``measure``: per measure a symbol of its geometry kind in its colour."""
    root = ET.Element("qgis", {"version": QGIS_VERSION, "styleCategories": "Symbology"})
    renderer = ET.SubElement(root, "renderer-v2", {"type": "categorizedSymbol", "attr": "measure",
                                                   "symbollevels": "0", "enableorderby": "0", "forceraster": "0"})
    categories = ET.SubElement(renderer, "categories")
    symbols = ET.SubElement(renderer, "symbols")
    for i, measure in enumerate(catalogue.measures):
        label = measure.name.nl if language == "nl" else measure.name.en
        ET.SubElement(categories, "category", {"value": measure.id, "symbol": str(i), "label": label,
                                               "render": "true"})
        _symbol(symbols, str(i), SYMBOL[measure.geometry], PALETTE[i % len(PALETTE)])
    ET.indent(root)
    return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + ET.tostring(root, encoding="unicode")


SLD = "http://www.opengis.net/sld"
SE = "http://www.opengis.net/se"
OGC = "http://www.opengis.net/ogc"


def measure_sld(catalogue: MeasureCatalogue, language: str, layer: str) -> str:
    """The style of :func:`measure_style` as an OGC SLD 1.1 document: a rule per measure, filtered on
    ``measure``, with a polygon, line or point symbolizer after its geometry kind, in the same colour."""
    ET.register_namespace("", SLD)
    ET.register_namespace("se", SE)
    ET.register_namespace("ogc", OGC)
    root = ET.Element(f"{{{SLD}}}StyledLayerDescriptor", {"version": "1.1.0"})
    named = ET.SubElement(root, f"{{{SLD}}}NamedLayer")
    ET.SubElement(named, f"{{{SE}}}Name").text = layer
    user = ET.SubElement(named, f"{{{SLD}}}UserStyle")
    ET.SubElement(user, f"{{{SE}}}Name").text = layer
    feature_style = ET.SubElement(user, f"{{{SE}}}FeatureTypeStyle")
    for i, measure in enumerate(catalogue.measures):
        color = PALETTE[i % len(PALETTE)]
        rule = ET.SubElement(feature_style, f"{{{SE}}}Rule")
        ET.SubElement(rule, f"{{{SE}}}Name").text = measure.id
        title = ET.SubElement(ET.SubElement(rule, f"{{{SE}}}Description"), f"{{{SE}}}Title")
        title.text = measure.name.nl if language == "nl" else measure.name.en
        equal = ET.SubElement(ET.SubElement(rule, f"{{{OGC}}}Filter"), f"{{{OGC}}}PropertyIsEqualTo")
        ET.SubElement(equal, f"{{{OGC}}}PropertyName").text = "measure"
        ET.SubElement(equal, f"{{{OGC}}}Literal").text = measure.id
        kind = SYMBOL[measure.geometry]
        if kind == "fill":
            symbolizer = ET.SubElement(rule, f"{{{SE}}}PolygonSymbolizer")
            _sld_params(ET.SubElement(symbolizer, f"{{{SE}}}Fill"), {"fill": color, "fill-opacity": "0.55"})
            _sld_params(ET.SubElement(symbolizer, f"{{{SE}}}Stroke"), {"stroke": color, "stroke-width": "0.5"})
        elif kind == "line":
            symbolizer = ET.SubElement(rule, f"{{{SE}}}LineSymbolizer")
            _sld_params(ET.SubElement(symbolizer, f"{{{SE}}}Stroke"), {"stroke": color, "stroke-width": "1.2"})
        else:
            graphic = ET.SubElement(ET.SubElement(rule, f"{{{SE}}}PointSymbolizer"), f"{{{SE}}}Graphic")
            mark = ET.SubElement(graphic, f"{{{SE}}}Mark")
            ET.SubElement(mark, f"{{{SE}}}WellKnownName").text = "circle"
            _sld_params(ET.SubElement(mark, f"{{{SE}}}Fill"), {"fill": color})
            _sld_params(ET.SubElement(mark, f"{{{SE}}}Stroke"), {"stroke": "#282828", "stroke-width": "0.5"})
            ET.SubElement(graphic, f"{{{SE}}}Size").text = "3"
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True)


def _sld_params(parent: ET.Element, values: dict[str, str]) -> None:
    for name, value in values.items():
        ET.SubElement(parent, f"{{{SE}}}SvgParameter", {"name": name}).text = value


def _symbol(parent: ET.Element, name: str, kind: str, color: str) -> None:
    symbol = ET.SubElement(parent, "symbol", {"type": kind, "name": name, "alpha": "1", "clip_to_extent": "1",
                                              "force_rhr": "0"})
    layer_class = {"fill": "SimpleFill", "line": "SimpleLine", "marker": "SimpleMarker"}[kind]
    layer = ET.SubElement(symbol, "layer", {"class": layer_class, "enabled": "1", "pass": "0", "locked": "0"})
    options = ET.SubElement(layer, "Option", {"type": "Map"})
    r, g, b = hex_rgb(color)
    values = {
        "fill": {"color": f"{r},{g},{b},140", "outline_color": f"{r},{g},{b},255", "outline_width": "0.5",
                 "style": "solid"},
        "line": {"line_color": f"{r},{g},{b},255", "line_width": "1.2", "line_style": "solid"},
        "marker": {"color": f"{r},{g},{b},255", "outline_color": "40,40,40,255", "size": "3", "name": "circle"},
    }[kind]
    for key, value in values.items():
        ET.SubElement(options, "Option", {"name": key, "value": value, "type": "QString"})


def moves_csv(moves: Sequence[Mapping[str, Any]]) -> str:
    """The move log as CSV text: the keys of the moves as columns (first seen first), nested values as JSON."""
    columns: list[str] = []
    for move in moves:
        columns += [str(k) for k in move if str(k) not in columns]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for move in moves:
        writer.writerow({str(k): _cell(v) for k, v in move.items()})
    return out.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return str(value)


def _float(value: Any) -> float:
    if value is None or value == "":
        return math.nan
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def workshop_input(dossier_file: Path, gpkg: Path) -> dict[str, Any]:
    """Whether the dossier reads ``gpkg`` as its ``workshop`` input (the inspiration maps of step 4 use it after
    the next ``alliantie run``), and the ``[inputs]`` line to add when it does not."""
    line = f'workshop = {{ path = "inputs/{gpkg.name}", layer = "{SKETCH_LAYER}" }}'
    try:
        ref = load_dossier(dossier_file).input_file("workshop")
    except AlliantieError:  # a dossier that does not load now says so on its next run; the export stands
        ref = None
    in_dossier = ref is not None and Path(ref.path).resolve() == gpkg.resolve()
    return {"in_dossier": in_dossier, "workshop_line": None if in_dossier else line}
