"""Reading the saved products for the report: tables, analysewijzer, clear errors."""

from __future__ import annotations

import shutil

import pytest

from alliantie.contract.names import LAGENKAART, LANDSCAPE, STRUCTURE
from alliantie.dossier import load_dossier
from alliantie.dossier.area import boundary_geometry, dossier_grid
from alliantie.errors import ProductError, ReportError
from alliantie.report.blocks import Matrix
from alliantie.report.context import load_context
from alliantie.report.formatting import number
from alliantie.report.product_sections import carrier_table, lagenkaart_files, landscape_table
from alliantie.report.view import make_view
from alliantie.testing.report_dossier import BOUNDS, RES, make_report_dossier


def _context(toml, dirs):
    dossier = load_dossier(toml)
    return load_context(dossier, dirs, grid=dossier_grid(dossier), boundary=boundary_geometry(dossier))


def test_context_reads_products_tables_and_maps(tmp_path) -> None:
    ctx = _context(*make_report_dossier(tmp_path, language="en"))
    assert [p.name for p in ctx.products][:2] == ["baseinfo.elevation", "baseinfo.soil"]
    themes = [theme for theme, _ in ctx.maps_by_theme()]
    assert themes == ["soil", "water", "landscape", "structure"]
    # landscape: the raster is split in two halves of the grid
    landscape = landscape_table(ctx.product(LANDSCAPE), "en")
    grid_ha = (BOUNDS[2] - BOUNDS[0]) * (BOUNDS[3] - BOUNDS[1]) / 1e4
    total = sum(r.area_ha for r in landscape)
    assert abs(total - grid_ha) < 2 * RES * (BOUNDS[2] - BOUNDS[0]) / 1e4
    assert {r.label for r in landscape} == {"Cover sand landscape", "Stream valley"}
    assert abs(sum(r.share for r in landscape) - 1) < 1e-9
    # carriers: largest first, kinds labelled from the map legend, English descriptions
    carriers = carrier_table(ctx.product(STRUCTURE), "en")
    assert [c.name for c in carriers] == ["Eemdal", "Dekzandrug"]
    assert carriers[0].kind == "Stream valley"
    assert carriers[0].description == "The valley of the Eem."
    lagenkaart = lagenkaart_files(ctx.product(LAGENKAART))
    assert len(lagenkaart) == 1 and lagenkaart[0].source.exists()
    assert 4.0 < ctx.area_km2 < 7.2


def test_view_marks_absent_elements_and_orders_layers(tmp_path) -> None:
    ctx = _context(*make_report_dossier(tmp_path, language="nl"))
    matrix = make_view(ctx, {}).first(Matrix)
    assert matrix is not None
    assert matrix.goals[0] == "Lokaal leven" and len(matrix.goals) == 6
    assert [row.layer for row in matrix.rows] == ["Bodem", "Water", "Groen"]
    heath = matrix.rows[-1]
    assert not heath.present and heath.note == "niet aanwezig"
    assert heath.cells[-1] == "Beschermde natuur." and heath.cells[0] == ""
    assert matrix.rows[0].note == "300 ha"


@pytest.mark.parametrize(("language", "text"), [("nl", "1.234,5"), ("en", "1,234.5")])
def test_numbers_follow_the_language(language: str, text: str) -> None:
    assert number(1234.5, language, 1) == text


def test_missing_product_names_the_product(tmp_path) -> None:
    toml, dirs = make_report_dossier(tmp_path)
    shutil.rmtree(dirs["baseinfo.water"])
    with pytest.raises(ProductError) as info:
        _context(toml, dirs)
    assert info.value.key == "errors.product_missing"
    assert "baseinfo.water" in str(info.value)


def test_broken_maps_json_is_a_report_error(tmp_path) -> None:
    toml, dirs = make_report_dossier(tmp_path)
    (dirs["baseinfo.soil"] / "maps.json").write_text('{"maps": [{"id": 1}]}', encoding="utf-8")
    with pytest.raises(ReportError) as info:
        _context(toml, dirs)
    assert info.value.key == "report.errors.bad_json"
    assert "maps.json" in str(info.value)


def test_typed_parameter_sections_are_listed_field_by_field() -> None:
    """Provenance keeps a typed [parameters.*] section as a dict; the report lists it as dotted lines."""
    from alliantie.report.view import _parameter_lines

    lines = _parameter_lines({"language": "nl", "scenarios": {"knmi": ["Hd"]}, "flood": {"breach_x": 1.5, "a": None}})
    assert lines == ["language = nl", "scenarios = {'knmi': ['Hd']}", "flood.breach_x = 1.5", "flood.a = None"]
