"""The report shows step 1 (pluvial flooding): its maps in a section of their own and the counts per neighbourhood."""

from __future__ import annotations

import json

import pytest

from alliantie.contract.spec import Layer, MapSpec, Text, write_maps
from alliantie.contract.summaries import PluvialCase, PluvialNeighbourhood, PluvialSummary, write_summary
from alliantie.dossier import load_dossier
from alliantie.dossier.area import boundary_geometry, dossier_grid
from alliantie.errors import ReportError
from alliantie.i18n import translate
from alliantie.report.blocks import CountTable
from alliantie.report.context import load_context
from alliantie.report.html import render_html
from alliantie.report.images import MapImage
from alliantie.report.view import make_view
from alliantie.testing.report_dossier import make_report_dossier

CASES = (("t100_current", None, 0.0, 70.0, "70 mm, huidig klimaat", "70 mm, today"),
         ("t100_2050", 2050, 1.5, 85.2, "70 mm, 2050", "70 mm, 2050"))


def _pluvial_product(folder, engine: str | None = None):
    """A saved pluvial product from before ``tables.json``: its counts only in ``summary.json``.

    ``engine``: the ``[parameters.pluvial] engine`` its provenance records (none recorded without it).
    """
    folder.mkdir(parents=True)
    provenance = {"product": "urgency.pluvial", "files": ["summary.json"]}
    if engine is not None:
        provenance["parameters"] = {"pluvial": {"engine": engine, "overland_after_h": 1.0}}
    (folder / "provenance.json").write_text(json.dumps(provenance))
    cases, rows = [], []
    for case, year, warming, rain, label_nl, label_en in CASES:
        scenario = "current" if year is None else f"Hd{year}"
        cases.append(PluvialCase(
            id=case, event="t100", scenario=scenario, year=year, delta_t_c=warming, rain_mm=rain,
            label=Text(nl=label_nl, en=label_en), rain_m3=1.0, outflow_m3=0.5, stored_bluespots_m3=0.5,
            buildings_facade=12, buildings_above_floor=3, seconds=0.1))
        for code, name in (("BU1", "Binnenstad"), ("", "")):
            rows.append(PluvialNeighbourhood(
                case=case, event="t100", scenario=scenario, rain_mm=rain, code=code, name=name,
                buildings_facade=12, buildings_above_floor=3, road_m_no_cars=1500.0, road_m_no_traffic=250.0))
    write_summary(folder, PluvialSummary(cases=cases, bluespots=4, neighbourhoods=rows, seconds={"fill": 0.1}))
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
    step1 = view.section("step1")
    assert [s.theme for s in step1.sections] == ["pluvial", "pluvial"]  # the maps, then the counts
    assert step1.sections[0].figures[0].number == 1  # step 1 comes first
    assert step1.number == "3" and [s.number for s in step1.sections] == ["3.1", "3.2"]
    counts = view.section("pluvial-counts").all(CountTable)
    assert [t.title for t in counts] == ["70 mm, huidig klimaat", "70 mm, 2050"]
    table = counts[0]
    assert table.rows == [("Binnenstad", "12", "3", "1,50", "0,25")]
    assert table.total[0] == "Totaal"
    html = render_html(view)
    assert "Stap 1: Urgentie — wateroverlast" in html and "Binnenstad" in html
    assert html.index('id="step1"') < html.index('id="step2"')


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("engine", [None, "screening", "overland"])
def test_step1_intro_names_the_engine_that_computed_the_storms(tmp_path, engine, language) -> None:
    """The chapter intro of a pluvial-only step 1 follows ``[parameters.pluvial] engine`` of the saved product."""
    toml, dirs = make_report_dossier(tmp_path, language=language)
    pluvial = tmp_path / "pluvial"
    _pluvial_product(pluvial, engine)
    dossier = load_dossier(toml)
    ctx = load_context(dossier, {**dirs, "urgency.pluvial": pluvial}, grid=dossier_grid(dossier),
                       boundary=boundary_geometry(dossier))
    step1 = make_view(ctx, {("urgency.pluvial", "pluvial_bluespots"): _image()}).section("step1")
    intro = step1.blocks[0].text
    flow_2d = "2-D-stroming" if language == "nl" else "2-D flow"
    if engine == "overland":
        assert intro == translate("report.step1.intro_overland", language)
        assert flow_2d in intro and "in time" in translate("report.step1.intro_overland", "en")
        assert "Everything was computed with fill-spill-merge" not in intro
    else:  # the screening, also for a product saved before the engine was recorded
        assert intro == translate("report.step1.intro", language)
        assert flow_2d not in intro and "fill-spill-merge" in intro


def test_a_summary_that_does_not_fit_names_the_file(tmp_path) -> None:
    toml, dirs = make_report_dossier(tmp_path, language="nl")
    pluvial = tmp_path / "pluvial"
    _pluvial_product(pluvial)
    (pluvial / "summary.json").write_text('{"cases": [{"id": "t100_current"}]}', encoding="utf-8")
    dossier = load_dossier(toml)
    ctx = load_context(dossier, {**dirs, "urgency.pluvial": pluvial}, grid=dossier_grid(dossier),
                       boundary=boundary_geometry(dossier))
    with pytest.raises(ReportError) as info:
        make_view(ctx, {})
    assert info.value.key == "report.errors.bad_json" and "summary.json" in str(info.value)


def test_without_step1_products_the_numbering_is_unchanged(tmp_path) -> None:
    toml, dirs = make_report_dossier(tmp_path, language="en")
    dossier = load_dossier(toml)
    ctx = load_context(dossier, dirs, grid=dossier_grid(dossier), boundary=boundary_geometry(dossier))
    view = make_view(ctx, {})
    assert view.section("step1") is None and view.first(CountTable) is None
    assert view.section("step2").number == "3"
    html = render_html(view)
    assert 'id="step1"' not in html and '<span class="num">3</span>' in html


def _image():
    return MapImage("urgency.pluvial", "pluvial_bluespots", "maps/pluvial_bluespots.png")
