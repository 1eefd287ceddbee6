"""The report shows the tables and figures products offer in ``tables.json``, in HTML and PDF."""

from __future__ import annotations

import json

import pytest

from alliantie.contract.spec import Column, FigureSpec, TableSpec, Text, write_tables
from alliantie.dossier import load_dossier
from alliantie.dossier.area import boundary_geometry, dossier_grid
from alliantie.errors import ReportError
from alliantie.report.blocks import CountTable, ProvenanceBlock, ProvenanceList, SourceList
from alliantie.report.build import build_report
from alliantie.report.context import load_context
from alliantie.report.html import render_html
from alliantie.report.images import MapImage, figure_key
from alliantie.report.view import cell_text, make_view, table_view
from alliantie.testing.report_dossier import make_report_dossier

LONG_ROWS = 90


def _t(nl: str, en: str) -> Text:
    return Text(nl=nl, en=en)


def _provenance(folder, name: str) -> None:
    (folder / "provenance.json").write_text(json.dumps({"product": name, "files": []}), encoding="utf-8")


def _heat_product(folder):
    """A step 1 theme with tables only (no maps)."""
    folder.mkdir(parents=True)
    _provenance(folder, "urgency.heat")
    table = TableSpec(
        id="heat_pet", theme="heat", title=_t("Gevoelstemperatuur per buurt", "Felt temperature per neighbourhood"),
        description=_t("Gemiddelde PET op een hete middag.", "Mean PET on a hot afternoon."),
        columns=[Column(label=_t("Buurt", "Neighbourhood")),
                 Column(label=_t("PET huidig", "PET today"), decimals=1, unit="°C"),
                 Column(label=_t("Inwoners", "Residents"), decimals=0)],
        rows=[[_t("Binnenstad", "City centre"), 1234.56, 5600], ["Eemkwartier", None, 1200]],
        total=[_t("Totaal", "Total"), 35.25, 6800],
        note=_t("Bron: testgegevens.", "Source: test data."),
    )
    write_tables(folder, [table])


def _trend_product(folder):
    """A step 1 product with a drawn figure and a long table that must break across PDF pages."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    folder.mkdir(parents=True)
    _provenance(folder, "urgency.trend")
    fig = Figure(figsize=(6, 4), dpi=60)
    FigureCanvasAgg(fig)
    fig.add_subplot().plot([0, 1, 2], [1, 3, 2])
    fig.savefig(folder / "trend.png")
    rows = [[f"Buurt {i:03d}", float(i) / 3, i * 10.0] for i in range(LONG_ROWS)]
    table = TableSpec(
        id="trend_long", theme="trend", title=_t("Lange tabel", "Long table"),
        columns=[Column(label=_t("Buurt", "Neighbourhood")), Column(label=_t("Aandeel", "Share"), decimals=2,
                                                                     unit="%"),
                 Column(label=_t("Oppervlakte", "Area"), decimals=0, unit="ha")],
        rows=rows, total=["Σ", 1.0, 2.0],
    )
    write_tables(folder, [table], [FigureSpec(id="trend", theme="trend", title=_t("Trends", "Trends"),
                                              description=_t("Thema's × scenario's.", "Themes × scenarios."),
                                              file="trend.png")])


def _context(tmp_path, language="nl"):
    toml, dirs = make_report_dossier(tmp_path, language=language)
    _heat_product(tmp_path / "heat")
    _trend_product(tmp_path / "trend")
    dirs = {**dirs, "urgency.heat": tmp_path / "heat", "urgency.trend": tmp_path / "trend"}
    steps = {"urgency.heat": 1, "urgency.trend": 1}
    dossier = load_dossier(toml)
    grid, boundary = dossier_grid(dossier), boundary_geometry(dossier)
    return dossier, dirs, steps, load_context(dossier, dirs, grid=grid, boundary=boundary, steps=steps)


def test_cells_are_formatted_in_the_report_language() -> None:
    column = Column(label=_t("Aandeel", "Share"), decimals=1, unit="%")
    assert cell_text(1234.56, column, "nl") == "1.234,6"
    assert cell_text(1234.56, column, "en") == "1,234.6"
    assert cell_text(7, column, "nl") == "7,0"
    assert cell_text(None, column, "nl") == "–"
    assert cell_text(float("nan"), column, "en") == "–"
    assert cell_text(_t("ja", "yes"), column, "en") == "yes"
    assert cell_text("BU01", column, "en") == "BU01"


def test_table_view_pads_rows_and_puts_units_in_headings() -> None:
    spec = TableSpec(id="x", theme="heat", title=_t("T", "T"),
                     columns=[Column(label=_t("Naam", "Name")), Column(label=_t("Dagen", "Days"), unit="d/j")],
                     rows=[["a"], ["b", 3, "extra"]])
    view = table_view(spec, "nl", 4)
    assert view.headings == ["Naam", "Dagen (d/j)"]
    assert view.rows == [["a", "–"], ["b", "3"]]
    assert view.numeric == [False, True]
    assert view.total is None and view.number == 4
    # a column with no numbers at all is still a number column unless it holds text
    empty = TableSpec(id="y", theme="trend", title=_t("T", "T"),
                      columns=[Column(label=_t("Naam", "Name")), Column(label=_t("A", "A")),
                               Column(label=_t("B", "B"))],
                      rows=[["a", None, ""], ["b", None, "x"]], total=[_t("Totaal", "Total"), None, None])
    assert table_view(empty, "en", 1).numeric == [False, True, False]


def test_view_has_sections_for_themes_with_only_tables(tmp_path) -> None:
    _, _, _, ctx = _context(tmp_path)
    images = {("urgency.trend", figure_key("trend")): MapImage("urgency.trend", "trend", "maps/figure_trend.png")}
    view = make_view(ctx, images)
    step1 = view.section("step1")
    assert [s.theme for s in step1.sections] == ["heat", "trend"]  # report order, maps or not
    heat = step1.sections[0]
    assert heat.figures == [] and heat.drawn == []
    table = heat.tables[0]
    assert table.number == 1 and table.title == "Gevoelstemperatuur per buurt"
    assert table.headings == ["Buurt", "PET huidig (°C)", "Inwoners"]
    assert table.rows[0] == ["Binnenstad", "1.234,6", "5.600"]
    assert table.rows[1] == ["Eemkwartier", "–", "1.200"]
    assert table.total == ["Totaal", "35,2", "6.800"]  # 35.25 rounds half to even in Python formatting
    assert table.note == "Bron: testgegevens."
    trend = step1.sections[1]
    assert trend.drawn[0].number == 1 and trend.drawn[0].file == "maps/figure_trend.png"
    assert trend.tables[0].number == 2
    # the general step 1 heading once themes other than pluvial flooding are present
    assert step1.heading == "Stap 1: Urgentie"
    html = render_html(view)
    assert "Tabel 1. Gevoelstemperatuur per buurt" in html and "Figuur 1. Trends." in html
    assert "<th>Buurt</th>" in html and '<td class="n">1.234,6</td>' in html
    assert html.index('id="theme-heat"') < html.index('id="theme-trend"') < html.index('id="step2"')


def test_english_report_translates_text_cells(tmp_path) -> None:
    _, _, _, ctx = _context(tmp_path, language="en")
    view = make_view(ctx, {})
    step1 = view.section("step1")
    table = step1.sections[0].tables[0]
    assert table.rows[0] == ["City centre", "1,234.6", "5,600"]
    assert table.total == ["Total", "35.2", "6,800"]
    assert step1.heading == "Step 1: Urgency"


def test_broken_tables_json_names_the_file(tmp_path) -> None:
    toml, dirs = make_report_dossier(tmp_path)
    (dirs["baseinfo.soil"] / "tables.json").write_text('{"tables": [{"id": 1}]}', encoding="utf-8")
    dossier = load_dossier(toml)
    with pytest.raises(ReportError) as info:
        load_context(dossier, dirs, grid=dossier_grid(dossier), boundary=boundary_geometry(dossier))
    assert "tables.json" in str(info.value)


def test_html_and_pdf_show_figures_and_long_tables(tmp_path) -> None:
    pypdfium2 = pytest.importorskip("pypdfium2")
    dossier, dirs, steps, _ = _context(tmp_path / "d")
    out = tmp_path / "report"
    out.mkdir()
    result = build_report(dossier, out, dirs, grid=dossier_grid(dossier), boundary=boundary_geometry(dossier),
                          steps=steps)
    figure = result.maps[("urgency.trend", "figure:trend")]
    assert (out / figure.file).exists()
    html = (out / "index.html").read_text(encoding="utf-8")
    assert f'src="{figure.file}"' in html and "Buurt 089" in html
    pdf = pypdfium2.PdfDocument(str(out / "report.pdf"))
    texts = [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    with_rows = [i for i, text in enumerate(texts) if "Buurt 0" in text]
    assert len(with_rows) >= 2  # the long table runs over pages
    for i in with_rows:  # and repeats its heading on every page
        assert "Aandeel (%)" in texts[i]
    assert any("Tabel 1. Gevoelstemperatuur per buurt" in text for text in texts)
    assert any("Figuur 1. Trends." in text for text in texts)
    assert "Buurt 089" in texts[with_rows[-1]] and "Σ" in texts[with_rows[-1]]


def test_pluvial_generic_tables_replace_the_count_tables(tmp_path) -> None:
    from test_pluvial_report import _pluvial_product

    toml, dirs = make_report_dossier(tmp_path, language="nl")
    pluvial = tmp_path / "pluvial"
    _pluvial_product(pluvial)  # summary.json with counts: the special tables
    dossier = load_dossier(toml)
    dirs = {**dirs, "urgency.pluvial": pluvial}
    ctx = load_context(dossier, dirs, grid=dossier_grid(dossier), boundary=boundary_geometry(dossier))
    view = make_view(ctx, {})
    counts = view.section("pluvial-counts").all(CountTable)
    assert len(counts) == 2 and view.section("step1").heading == "Stap 1: Urgentie — wateroverlast"
    write_tables(pluvial, [TableSpec(id="counts_t100", theme="pluvial", title=_t("70 mm", "70 mm"),
                                     columns=[Column(label=_t("Buurt", "Neighbourhood"))], rows=[["Binnenstad"]])])
    ctx = load_context(dossier, dirs, grid=dossier_grid(dossier), boundary=boundary_geometry(dossier))
    view = make_view(ctx, {})
    assert view.first(CountTable) is None and view.section("pluvial-counts") is None
    assert [t.title for t in view.section("step1").sections[0].tables] == ["70 mm"]
    assert "Stap 1: Urgentie — wateroverlast" in render_html(view)


def test_knowledge_sources_are_listed_once_for_the_whole_report(tmp_path) -> None:
    toml, dirs = make_report_dossier(tmp_path, language="nl")
    for name in ("baseinfo.soil", "baseinfo.water"):
        path = dirs[name] / "provenance.json"
        record = json.loads(path.read_text(encoding="utf-8"))
        record["knowledge_sources"] = {"knmi_scenarios": ["KNMI (2023)", f"bron {name}"], "soil_classes": ["S"]}
        path.write_text(json.dumps(record), encoding="utf-8")
    dossier = load_dossier(toml)
    ctx = load_context(dossier, dirs, grid=dossier_grid(dossier), boundary=boundary_geometry(dossier))
    view = make_view(ctx, {})
    sources = dict(view.first(SourceList).files)
    assert sources["knmi_scenarios"] == ["KNMI (2023)", "bron baseinfo.soil", "bron baseinfo.water"]
    assert sources["soil_classes"] == ["S"]
    assert list(sources) == ["baseinfo_rules", "knmi_scenarios", "soil_classes"]  # files by name
    soil = next(b for b in view.first(ProvenanceList).blocks if b.name == "baseinfo.soil")
    assert isinstance(soil, ProvenanceBlock)
    assert dict(soil.rows)["Kennisbronnen"] == "knmi_scenarios (2), soil_classes (1)"
    html = render_html(view)
    assert html.count("bron baseinfo.water") == 1
