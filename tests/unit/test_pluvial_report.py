"""The report shows step 1 (pluvial flooding): its maps in a section of their own and the counts per neighbourhood."""

from __future__ import annotations

import json

from alliantie.contract.spec import Layer, MapSpec, Text, write_maps
from alliantie.dossier import load_dossier
from alliantie.dossier.area import boundary_geometry, dossier_grid
from alliantie.report.context import load_context
from alliantie.report.html import render_html
from alliantie.report.view import make_view
from alliantie.testing.report_dossier import make_report_dossier


def _pluvial_product(folder):
    folder.mkdir(parents=True)
    (folder / "provenance.json").write_text(json.dumps({"product": "urgency.pluvial", "files": ["summary.json"]}))
    rows = []
    for case in ("t100_current", "t100_2050"):
        rows += [
            {"case": case, "code": "BU1", "name": "Binnenstad", "buildings_facade": 12, "buildings_above_floor": 3,
             "road_m_no_cars": 1500.0, "road_m_no_traffic": 250.0},
            {"case": case, "code": "", "name": "", "buildings_facade": 12, "buildings_above_floor": 3,
             "road_m_no_cars": 1500.0, "road_m_no_traffic": 250.0},
        ]
    summary = {
        "cases": [
            {"id": "t100_current", "rain_mm": 70.0, "label": {"nl": "70 mm, huidig klimaat", "en": "70 mm, today"}},
            {"id": "t100_2050", "rain_mm": 85.2, "label": {"nl": "70 mm, 2050", "en": "70 mm, 2050"}},
        ],
        "neighbourhoods": rows,
    }
    (folder / "summary.json").write_text(json.dumps(summary))
    write_maps(folder, [MapSpec(
        id="pluvial_bluespots", theme="pluvial", title=Text(nl="Blauwe plekken", en="Bluespots"),
        description=Text(nl="b", en="b"), layers=[Layer(file="flow_paths.tif", type="raster_classes")],
    )])


def test_step1_section_with_maps_and_counts(tmp_path) -> None:
    toml, dirs = make_report_dossier(tmp_path, language="nl")
    pluvial = tmp_path / "pluvial"
    _pluvial_product(pluvial)
    dirs = {**dirs, "urgency.pluvial": pluvial}
    dossier = load_dossier(toml)
    ctx = load_context(dossier, dirs, grid=dossier_grid(dossier), boundary=boundary_geometry(dossier))
    assert ctx.product("urgency.pluvial").step == 1  # from the registry
    assert [theme for theme, _ in ctx.maps_by_theme(1)] == ["pluvial"]
    assert "pluvial" not in [theme for theme, _ in ctx.maps_by_theme(2)]
    images = {("urgency.pluvial", "pluvial_bluespots"): _image()}
    view = make_view(ctx, images)
    assert [s.theme for s in view.step1_sections] == ["pluvial"]
    assert view.step1_sections[0].figures[0].number == 1  # step 1 comes first
    assert [t.title for t in view.pluvial_tables] == ["70 mm, huidig klimaat", "70 mm, 2050"]
    table = view.pluvial_tables[0]
    assert table.rows == [("Binnenstad", "12", "3", "1,50", "0,25")]
    assert table.total[0] == "Totaal"
    html = render_html(ctx, images)
    assert "Stap 1: Urgentie — wateroverlast" in html and "Binnenstad" in html
    assert html.index('id="step1"') < html.index('id="step2"')


def test_without_step1_products_the_numbering_is_unchanged(tmp_path) -> None:
    toml, dirs = make_report_dossier(tmp_path, language="en")
    dossier = load_dossier(toml)
    ctx = load_context(dossier, dirs, grid=dossier_grid(dossier), boundary=boundary_geometry(dossier))
    view = make_view(ctx, {})
    assert view.step1_sections == [] and view.pluvial_tables == []
    html = render_html(ctx, {})
    assert 'id="step1"' not in html and '<span class="num">3</span>' in html


def _image():
    from alliantie.report.build import MapImage

    return MapImage("urgency.pluvial", "pluvial_bluespots", "maps/pluvial_bluespots.png")
