"""The report's chapters are declared as data; a new chapter needs no change in the writers."""

from __future__ import annotations

import json

import pytest

from alliantie.contract.names import THEMES
from alliantie.contract.sections import (
    REPORT_SECTIONS,
    REPORT_THEMES,
    ProductSection,
    SectionDecl,
    StepThemes,
    report_sections,
    report_steps,
    step_chapter,
)
from alliantie.contract.spec import Column, TableSpec, Text, write_tables
from alliantie.dossier import load_dossier
from alliantie.dossier.area import boundary_geometry, dossier_grid
from alliantie.i18n import has_key, translate
from alliantie.report.context import load_context
from alliantie.report.html import render_html
from alliantie.report.pdf import write_pdf
from alliantie.report.product_sections import PRODUCT_SECTIONS
from alliantie.report.view import make_view
from alliantie.testing.report_dossier import make_report_dossier


def test_every_theme_has_its_place_in_the_report() -> None:
    assert len(set(REPORT_THEMES)) == len(REPORT_THEMES)
    for theme in REPORT_THEMES:
        assert has_key(f"report.themes.{theme}"), theme
    effects = [theme for theme in REPORT_THEMES if theme in THEMES]
    assert tuple(effects) == THEMES  # the climate effects in the order of the contract's names


def test_declarations_are_consistent() -> None:
    ids = [s.id for s in REPORT_SECTIONS]
    assert len(set(ids)) == len(ids)
    assert len({s.order for s in REPORT_SECTIONS}) == len(REPORT_SECTIONS)
    for section in REPORT_SECTIONS:
        for block in section.blocks:
            if isinstance(block, ProductSection):
                assert block.product in PRODUCT_SECTIONS, block.product
    assert report_steps() == (1, 2, 4, 5)  # steps 4 and 5 declared; step 3 gets step_chapter
    assert [s.id for s in report_sections()][-1] == "provenance"


def _step3_product(folder, theme: str = "other") -> None:
    folder.mkdir(parents=True)
    (folder / "provenance.json").write_text(json.dumps({"product": "measures.catalogue", "files": []}))
    write_tables(folder, [TableSpec(
        id="measures", theme=theme, title=Text(nl="Maatregelen", en="Measures"),
        columns=[Column(label=Text(nl="Maatregel", en="Measure")), Column(label=Text(nl="Kosten", en="Cost"))],
        rows=[["Wadi", 1200.0]],
    )])


def test_a_new_step_is_a_declaration(tmp_path) -> None:
    """A step-3 chapter: one declaration; view, HTML template and PDF writer stay as they are."""
    toml, dirs = make_report_dossier(tmp_path / "d", language="nl")
    _step3_product(tmp_path / "measures")
    dirs = {**dirs, "measures.catalogue": tmp_path / "measures"}
    dossier = load_dossier(toml)
    ctx = load_context(dossier, dirs, grid=dossier_grid(dossier), boundary=boundary_geometry(dossier),
                       steps={"measures.catalogue": 3})
    step3 = SectionDecl(id="step3", order=45, heading=Text(nl="Stap 3: Maatregelen", en="Step 3: Measures"),
                        intro=Text(nl="Wat te doen.", en="What to do."), blocks=(StepThemes(steps=(3,)),),
                        optional=True, page="new")
    sections = (*REPORT_SECTIONS, step3)
    assert report_steps(sections) == (1, 2, 3, 4, 5)
    view = make_view(ctx, {}, sections)
    assert [(s.id, s.number) for s in view.sections] == [
        ("intro", "1"), ("inputs", "2"), ("step2", "3"), ("step3", "4"), ("analysewijzer", "5"),
        ("lagenkaart", "6"), ("landscape", "7"), ("carriers", "8"), ("provenance", "")]
    chapter = view.section("step3")
    assert [(s.number, s.heading) for s in chapter.sections] == [("4.1", "Overige kaarten")]
    assert chapter.sections[0].tables[0].rows == [["Wadi", "1.200"]]
    html = render_html(view)
    assert '<span class="num">4</span>Stap 3: Maatregelen' in html and "Tabel 1. Maatregelen" in html
    assert html.index('id="step2"') < html.index('id="step3"') < html.index('id="analysewijzer"')
    out = tmp_path / "report"
    out.mkdir()
    assert write_pdf(view, out).stat().st_size > 0
    # without step-3 products the optional chapter is left out and the numbers close up
    assert make_view(load_context(dossier, {k: v for k, v in dirs.items() if k != "measures.catalogue"},
                                  grid=dossier_grid(dossier), boundary=boundary_geometry(dossier)),
                     {}, sections).section("analysewijzer").number == "4"


def test_a_new_step_without_a_declaration_gets_its_own_chapter(tmp_path) -> None:
    """Step 3 products and nothing else: a chapter after step 2's, with the step's own new theme."""
    toml, dirs = make_report_dossier(tmp_path / "d", language="en")
    _step3_product(tmp_path / "measures", theme="measures")
    dirs = {**dirs, "measures.catalogue": tmp_path / "measures"}
    dossier = load_dossier(toml)
    ctx = load_context(dossier, dirs, grid=dossier_grid(dossier), boundary=boundary_geometry(dossier),
                       steps={"measures.catalogue": 3})
    assert [s.id for s in report_sections(steps=(1, 2, 3))][-4:] == ["step3", "step4", "step5", "provenance"]
    assert step_chapter(3).heading == "report.step3.heading"  # the step's catalogue file (vista.toml) brings it
    assert step_chapter(6).heading == Text(nl="Stap 6", en="Step 6")  # no catalogue entry
    view = make_view(ctx, {})
    ids = [s.id for s in view.sections]
    assert ids.index("carriers") < ids.index("step3") < ids.index("provenance")
    chapter = view.section("step3")
    assert chapter.heading == translate("report.step3.heading", "en")
    assert chapter.sections[0].tables[0].rows == [["Wadi", "1,200"]]
    assert report_sections(steps=(1, 2)) == report_sections()  # nothing extra without step 3 products
    assert view.section("step4") is None and view.section("step5") is None  # no step 4/5 products: left out


def _strategy_product(folder) -> None:
    from alliantie.contract.strategy_document import DocumentPart, DocumentSummary, write_document_summary

    folder.mkdir(parents=True)
    (folder / "provenance.json").write_text(json.dumps({"product": "strategy.document", "files": []}))
    (folder / "strategy.pdf").write_bytes(b"%PDF-1.4 test")
    (folder / "strategy.html").write_text("<html></html>", encoding="utf-8")
    write_document_summary(folder, DocumentSummary(language="nl", files=["strategy.html", "strategy.pdf"], parts=[
        DocumentPart(id="policy_scan", chapter="urgency", missing=False),
        DocumentPart(id="ambassador", chapter="implementation", missing=True)]))


def test_the_step5_chapter_links_the_strategy_document(tmp_path) -> None:
    """Issue 13, done when: the demo report links the strategy document; the chapter is left out without it."""
    from alliantie.report.build import copy_product_files

    toml, dirs = make_report_dossier(tmp_path / "d", language="nl")
    _strategy_product(tmp_path / "doc")
    dossier = load_dossier(toml)
    ctx = load_context(dossier, {**dirs, "strategy.document": tmp_path / "doc"}, grid=dossier_grid(dossier),
                       boundary=boundary_geometry(dossier), steps={"strategy.document": 5})
    out = tmp_path / "report"
    (out / "maps").mkdir(parents=True)
    images = copy_product_files(ctx, out / "maps")
    assert (out / "maps" / "strategy.pdf").read_bytes() == b"%PDF-1.4 test"
    view = make_view(ctx, images)
    chapter = view.section("step5")
    assert chapter is not None and chapter.heading == translate("report.step5.heading", "nl")
    html = render_html(view)
    assert '<a href="maps/strategy.pdf">' in html and '<a href="maps/strategy.html">' in html
    assert "1 van de 2 onderdelen" in html
    assert write_pdf(view, out).stat().st_size > 0
    # the document not computed: the chapter (nothing but text) is left out
    assert make_view(ctx, {}).section("step5") is None


def test_no_import_cycle_in_the_report() -> None:
    grimp = pytest.importorskip("grimp")
    graph = grimp.build_graph("alliantie")
    modules = sorted(m for m in graph.modules if m.startswith("alliantie.report."))
    cycles = [(a, b) for a in modules for b in modules
              if a < b and graph.chain_exists(a, b) and graph.chain_exists(b, a)]
    assert cycles == []
