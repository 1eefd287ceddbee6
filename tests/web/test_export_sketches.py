"""The export: inputs/sketches.gpkg in the dossier CRS with styles, read back by the engine, and moves.csv."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3

import geopandas as gpd
import pyogrio
import pytest
import shapely
import shapely.geometry

from alliantie.dossier import load_dossier
from alliantie.io.vector import read_vector
from alliantie.knowledge.measures import MeasureCatalogue
from alliantie.measures.sketch import Sketch
from alliantie.method.vista.evaluation import evaluate_sketch
from alliantie.testing.web_demo import shared_demo
from alliantie.web.export import SKETCH_LAYER, export_workshop, layer_name, moves_csv


@pytest.fixture(scope="module")
def dossier_file(tmp_path_factory):
    """A copy of the shared demo (the export writes into the dossier's inputs)."""
    source = shared_demo(tmp_path_factory.getbasetemp()).parent
    target = tmp_path_factory.mktemp("export") / "demo"
    shutil.copytree(source, target)
    return target / "dossier.toml"


def _features(dossier_file):
    """The demo's example sketch as the API sends it: GeoJSON Features in EPSG:4326 with the workshop's properties."""
    frame = pyogrio.read_dataframe(dossier_file.parent / "inputs" / "example_sketch.gpkg").to_crs("EPSG:4326")
    out = []
    for i, row in enumerate(frame.itertuples(index=False)):
        out.append({"type": "Feature", "id": f"k{i}", "geometry": json.loads(json.dumps(
            shapely.geometry.mapping(row.geometry))), "properties": {
            "measure": row.measure, "level": row.level, "comment": row.comment, "width_m": None, "count": None,
            "author_name": "Anna <b>de Vries</b>", "discipline": "water",
            "created_at": f"2026-03-0{1 + i % 9}T10:00:00Z",
            "syntheses": ["Veerkracht"] if i % 2 else ["Veerkracht", "Regionale economie"]}})
    return out


def test_export_is_read_back_by_the_engine_and_evaluated(dossier_file, tmp_path):
    features = _features(dossier_file)
    moves = [{"id": 1, "at": "2026-03-01T10:00:00Z", "who": "Anna", "action": "create", "sketch_id": "k0",
              "before": None, "after": {"measure": "wadi"}},
             {"id": 2, "at": "2026-03-01T10:01:00Z", "who": "Bram", "action": "delete", "sketch_id": "k1",
              "before": {"measure": "wadi", "comment": "a, \"quoted\"\nline"}, "after": None}]
    result = export_workshop(dossier_file, features, moves, language="en")
    dossier = load_dossier(dossier_file)
    assert result.gpkg == dossier.root / "inputs" / "sketches.gpkg" and result.count == len(features)
    assert result.layers == (SKETCH_LAYER, "synthesis_veerkracht", "synthesis_regionale_economie")
    assert pyogrio.read_info(result.gpkg, layer=SKETCH_LAYER)["crs"] == dossier.config.crs
    catalogue = MeasureCatalogue.load()
    frame = read_vector(result.gpkg, layer=SKETCH_LAYER, target_crs=dossier.config.crs)
    sketch = Sketch.from_frame(frame, catalogue, label="sketches.gpkg")
    assert [f.measure.id for f in sketch.features] == [f["properties"]["measure"] for f in features]
    assert frame["author_name"].iloc[0] == "Anna <b>de Vries</b>"  # kept as text, escaped where it is shown
    original = gpd.GeoSeries([shapely.geometry.shape(f["geometry"]) for f in features], crs=4326).to_crs(
        dossier.config.crs)
    assert frame.geometry.area.sum() == pytest.approx(original.area.sum(), rel=1e-6)
    # one layer per synthesis, with its sketches only
    every = read_vector(result.gpkg, layer="synthesis_veerkracht", target_crs=dossier.config.crs)
    some = read_vector(result.gpkg, layer="synthesis_regionale_economie", target_crs=dossier.config.crs)
    assert len(every) == len(features) and len(some) == (len(features) + 1) // 2
    # the style rows: one per layer, categorized by measure
    with sqlite3.connect(result.gpkg) as con:
        styles = dict(con.execute("SELECT f_table_name, styleQML FROM layer_styles").fetchall())
    assert set(styles) == set(result.layers)
    assert 'attr="measure"' in styles[SKETCH_LAYER] and 'value="wadi"' in styles[SKETCH_LAYER]
    assert 'type="line"' in styles[SKETCH_LAYER] and 'type="fill"' in styles[SKETCH_LAYER]
    # the engine evaluates the exported file as `alliantie evaluate` does
    evaluation = evaluate_sketch(dossier, result.gpkg, tmp_path / "eval", layer=SKETCH_LAYER, level="fast")
    assert len(evaluation.effects.features) == len(features)
    assert evaluation.effects.total.storage_m3 > 0
    # the move log
    assert result.moves is not None
    rows = list(csv.DictReader(io.StringIO(result.moves.read_text(encoding="utf-8"))))
    assert [r["action"] for r in rows] == ["create", "delete"]
    assert json.loads(rows[1]["before"])["comment"] == "a, \"quoted\"\nline"
    assert rows[0]["before"] == ""


def test_export_of_nothing_and_a_second_export_replaces_the_first(dossier_file):
    export_workshop(dossier_file, _features(dossier_file)[:2])
    result = export_workshop(dossier_file, [])
    assert result.count == 0 and result.layers == (SKETCH_LAYER,) and result.moves is None
    assert pyogrio.read_info(result.gpkg, layer=SKETCH_LAYER)["features"] == 0
    assert [name for name, _ in pyogrio.list_layers(result.gpkg) if name.startswith("synthesis_")] == []


#: The columns of the ``layer_styles`` table as QGIS writes and reads it (QgsOgrProvider, the GeoPackage
#: extension of the OGC style tables): QGIS finds a layer's default style by these names.
LAYER_STYLES_COLUMNS = {"f_table_catalog", "f_table_schema", "f_table_name", "f_geometry_column", "styleName",
                        "styleQML", "styleSLD", "useAsDefault", "description", "owner", "ui", "update_time"}
SE = "{http://www.opengis.net/se}"
OGC = "{http://www.opengis.net/ogc}"


def test_the_styles_are_what_qgis_reads(dossier_file):
    """Without QGIS: the layer_styles table has QGIS's columns, one default style per layer on its geometry
    column; the QML parses, is categorized by measure with a category of the right symbol type for every
    measure present; the SLD parses and has a rule of the same colour per measure."""
    import xml.etree.ElementTree as ET

    features = _features(dossier_file)
    result = export_workshop(dossier_file, features, language="nl")
    catalogue = MeasureCatalogue.load()
    present = {f["properties"]["measure"] for f in features}
    assert len(present) >= 2
    with sqlite3.connect(result.gpkg) as con:
        columns = {row[1] for row in con.execute("PRAGMA table_info(layer_styles)")}
        assert columns >= LAYER_STYLES_COLUMNS
        con.row_factory = sqlite3.Row
        rows = con.execute("SELECT * FROM layer_styles").fetchall()
        geometry_columns = dict(con.execute("SELECT table_name, column_name FROM gpkg_geometry_columns"))
        contents = {r[0] for r in con.execute("SELECT table_name FROM gpkg_contents")}
    assert sorted(r["f_table_name"] for r in rows) == sorted(result.layers)
    assert "layer_styles" in contents  # registered as an attributes table, as the GeoPackage wants
    kinds = {"polygon": "fill", "building": "fill", "line": "line", "point": "marker"}
    for row in rows:
        assert row["useAsDefault"] == 1 and row["styleName"]
        assert row["f_geometry_column"] == geometry_columns[row["f_table_name"]]
        qml = ET.fromstring(row["styleQML"].split("\n", 1)[1])  # after the DOCTYPE line
        assert qml.tag == "qgis"
        renderer = qml.find("renderer-v2")
        assert renderer is not None and renderer.get("type") == "categorizedSymbol"
        assert renderer.get("attr") == "measure"
        symbols = {s.get("name"): s for s in renderer.iter("symbol")}
        categories = {c.get("value"): c for c in renderer.find("categories")}
        assert set(categories) == {m.id for m in catalogue.measures}
        for measure_id in present:
            measure = catalogue.get(measure_id)
            symbol = symbols[categories[measure_id].get("symbol")]
            assert symbol.get("type") == kinds[measure.geometry], measure_id
            assert categories[measure_id].get("label") == measure.name.nl
        sld = ET.fromstring(row["styleSLD"].encode())
        assert sld.tag == "{http://www.opengis.net/sld}StyledLayerDescriptor" and sld.get("version") == "1.1.0"
        assert sld.find(f".//{SE}Name").text == row["f_table_name"]
        rules = {r.find(f"{SE}Name").text: r for r in sld.iter(f"{SE}Rule")}
        assert set(rules) == set(categories)
        for measure_id in present:
            rule = rules[measure_id]
            assert rule.find(f"{OGC}Filter/{OGC}PropertyIsEqualTo/{OGC}PropertyName").text == "measure"
            assert rule.find(f"{OGC}Filter/{OGC}PropertyIsEqualTo/{OGC}Literal").text == measure_id
            symbolizer = {"fill": "PolygonSymbolizer", "line": "LineSymbolizer", "marker": "PointSymbolizer"}
            assert rule.find(SE + symbolizer[kinds[catalogue.get(measure_id).geometry]]) is not None
            qml_colour = next(o.get("value") for o in symbols[categories[measure_id].get("symbol")].iter("Option")
                              if o.get("name") in ("color", "line_color"))
            sld_colour = next(p.text for p in rule.iter(f"{SE}SvgParameter") if p.get("name") in ("fill", "stroke"))
            r, g, b = (int(v) for v in qml_colour.split(",")[:3])
            assert sld_colour == f"#{r:02x}{g:02x}{b:02x}"


def test_layer_names_and_the_csv_of_no_moves():
    assert layer_name("Regionale economie!", set()) == "synthesis_regionale_economie"
    assert layer_name("Ré", {"synthesis_r"}) == "synthesis_r_2"
    assert layer_name("???", set()) == "synthesis_unnamed"
    assert moves_csv([]) == "\n"
