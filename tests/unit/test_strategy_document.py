"""The strategy document (strategy.document): strategy.toml is validated with the file named; with nothing at hand
every part says what is missing; with a full strategy.toml and the contract files of the other step 4/5 products it
shows their numbers; HTML and PDF are written."""

from __future__ import annotations

from pathlib import Path

import pytest

from alliantie.contract.business_case import BusinessCaseFile, Case, Name, Party, Result, write_business_case
from alliantie.contract.meekoppelen import (
    Coupling,
    FittingMeasure,
    MeekoppelenFile,
    ProjectRecord,
    write_meekoppelen,
)
from alliantie.contract.meekoppelen import Name as MName
from alliantie.contract.spec import Text
from alliantie.contract.stresstest import Light, PlaceValue, StresstestSummary, ThemeVerdict, write_stresstest_summary
from alliantie.contract.theme import IndicatorInfo, IndicatorValue, ThemeSummary, write_theme
from alliantie.demo.strategy import STRATEGY_TOML
from alliantie.errors import ConfigError
from alliantie.method.strategy.assessment.knowledge import AssessmentRules, apply_choices
from alliantie.method.strategy.document.document import make_document
from alliantie.method.strategy.document.html import render_html
from alliantie.method.strategy.document.implementation import Cycle
from alliantie.method.strategy.document.pdf import write_pdf
from alliantie.method.strategy.document.sources import (
    Sources,
    read_optional_business_case,
    read_optional_meekoppelen,
    read_optional_stresstest,
    read_theme_data,
)
from alliantie.parameters.assessment import AssessmentParameters
from alliantie.parameters.strategy import load_strategy, parse_strategy

ALL_PARTS = {"focus", "further_study", "policy_scan", "main_lines", "tasks", "responsibilities", "inspiration",
             "afwegingskader", "preconditions", "working_group", "ambassador", "programme", "monitoring",
             "business_case"}

FULL_TOML = STRATEGY_TOML + """
[implementation.ambassador]
name = "Wethouder klimaat"
role = "legitimeert de werkgroep"
"""


# --- strategy.toml --------------------------------------------------------------------------------


def test_the_demo_strategy_file_is_valid():
    strategy = parse_strategy(STRATEGY_TOML, "strategy.toml")
    assert [i.verdict for i in strategy.urgency.policy] == ["adapt", "keep", "new"]
    assert strategy.implementation.cycle_start == 2026 and strategy.implementation.cycle_years == 2
    assert strategy.implementation.ambassador is None  # left empty on purpose


@pytest.mark.parametrize(("text", "expected"), [
    ('[[urgency.policy]]\ndocument = "GRP"\nverdict = "maybe"\n', "urgency.policy.0.verdict"),
    ('[policy]\nmain_line = ["x"]\n', "policy.main_line"),
    ('[monitoring]\nindicators = ["heat"]\n', "<theme>.<indicator id>"),
    ('[[policy.tasks]]\ntask = "x"\nscale = "planet"\n', "policy.tasks.0.scale"),
])
def test_a_wrong_strategy_file_is_refused_with_the_file_and_the_key(text, expected, tmp_path):
    path = tmp_path / "strategy.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_strategy(path)
    message = info.value.message("en")
    assert str(path) in message and expected in message


def test_a_toml_syntax_error_names_the_file(tmp_path):
    path = tmp_path / "strategy.toml"
    path.write_text("[policy\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"strategy\.toml"):
        load_strategy(path)


# --- the contract files of the other products, written and read back through their contracts ----------------


def _result(costs: float, benefits: float, payback: int | None) -> Result:
    return Result(pv_costs_eur=costs, pv_benefits_eur=benefits, npv_eur=benefits - costs,
                  bcr=benefits / costs if costs else None, irr=0.061 if payback else None, payback_year=payback)


def _case(variant: str, scale: float) -> Case:
    parties = {"municipality": _result(1_200_000 * scale, 900_000, 2041),
               "water_board": _result(400_000 * scale, 650_000, 2035)}
    total = _result(sum(p.pv_costs_eur for p in parties.values()), sum(p.pv_benefits_eur for p in parties.values()),
                    2039)
    return Case(discount="standard", discount_rate=0.0225, horizon_years=30, variant=variant,  # type: ignore[arg-type]
                scenario="Hd2050", parties=parties, total=total)


def write_contract_files(root: Path) -> dict[str, Path]:
    folders = {name: root / name for name in ("bc", "mk", "st", "pluvial")}
    for folder in folders.values():
        folder.mkdir()
    headline = _case("meekoppelen", 0.8)
    write_business_case(folders["bc"], BusinessCaseFile(
        measure_set="inputs/example_sketch.gpkg", price_year=2024, start_year=2025,
        parties=[Party(id="municipality", name=Name(nl="Gemeente", en="Municipality")),
                 Party(id="water_board", name=Name(nl="Waterschap", en="Water board"))],
        cases=[headline, _case("alone", 1.0)], headline=headline,
        matrix_eur={"municipality": {"municipality": 900_000.0}},
        not_valued=[Name(nl="Biodiversiteit", en="Biodiversity")]))
    fitting = FittingMeasure(measure="wadi", name=MName(nl="Wadi", en="Swale"), suitable_share=0.6,
                             investment_factor=0.7, source="costs.toml, meekoppelen")
    write_meekoppelen(folders["mk"], MeekoppelenFile(price_year=2024, measure_set="example_sketch", projects=[
        ProjectRecord(id="p3", name="Rioolvervanging Zuidwijk", kind="sewer_replacement", owner="municipality",
                      year=2027, window_start=2025, window_end=2027, area_m2=2.0e5,
                      vulnerable_share={"pluvial": 0.2}, fitting=[fitting], features=["f1"],
                      investment_alone_eur=100_000.0, investment_together_eur=70_000.0, avoided_ead_eur=4_500.0),
        ProjectRecord(id="p8", name="Renovatie Westwijk", kind="housing", owner="housing_corporation",
                      year=2032, window_start=2030, window_end=2032, area_m2=3.0e5,
                      vulnerable_share={"heat": 0.4}, fitting=[fitting], features=[],
                      investment_alone_eur=0.0, investment_together_eur=0.0, avoided_ead_eur=0.0),
    ], couplings=[Coupling(feature_id="f1", measure="wadi", project_id="p3", year=2027, investment_factor=0.7,
                           source="costs.toml")]))
    verdict = ThemeVerdict(
        assessed=True, reason=None, indicator="buildings_above_floor_t100", scenario="Hd2050",
        share_moderate_high=0.007, key_current=4.0, key_reference=6.0, light=Light.MODERATE,
        focus=[PlaceValue(code="BU1", name="Singelkwartier", value=4.0)], detail=[],
        sentence=Text(nl="Geen gedetailleerde stresstest nodig.", en="No detailed stress test needed."))
    write_stresstest_summary(folders["st"], StresstestSummary(
        name="demo", themes={"pluvial": verdict}, notes=[], damage=None, inputs=[]))
    write_theme(folders["pluvial"], ThemeSummary(
        theme="pluvial", title=Text(nl="Wateroverlast", en="Pluvial flooding"), scenarios=["current", "Hd2050"],
        classes={"1": Text(nl="a", en="a"), "2": Text(nl="b", en="b"), "3": Text(nl="c", en="c")},
        indicators=[IndicatorInfo(id="buildings_above_floor_t100", unit="",
                                  label=Text(nl="Gebouwen met water boven vloerpeil", en="Buildings flooded"))]),
        [IndicatorValue("current", "", "", "buildings_above_floor_t100", 4.0),
         IndicatorValue("Hd2050", "", "", "buildings_above_floor_t100", 6.0)])
    return folders


def full_sources(root: Path) -> Sources:
    folders = write_contract_files(root)
    sources = Sources(
        strategy=parse_strategy(FULL_TOML, "strategy.toml"), strategy_path="strategy.toml",
        stresstest=read_optional_stresstest(folders["st"]),
        meekoppelen=read_optional_meekoppelen(folders["mk"]),
        business_case=read_optional_business_case(folders["bc"]),
        assessment_rules=apply_choices(AssessmentRules.load(),
                                       AssessmentParameters(thresholds={"storage_maatlat": 60.0})),
        assessment_file="assessment_rules.toml",
    )
    data = read_theme_data(folders["pluvial"])
    assert data is not None
    sources.themes["pluvial"] = data
    return sources


# --- the document -------------------------------------------------------------------------------------


def test_with_nothing_at_hand_every_part_says_what_is_missing(tmp_path):
    document = make_document(Sources(), "nl", "Leeg gebied")
    assert {p.id for c in document.chapters for p in c.parts} == ALL_PARTS
    assert [c.id for c in document.chapters] == ["urgency", "policy", "implementation"]
    assert set(document.missing_parts) == ALL_PARTS
    html = render_html(document)
    for said in ("strategy.toml", "strategy.business_case", "strategy.meekoppelen", "urgency.stresstest",
                 "inspiration.veerkracht", "assessment_rules.toml", "[implementation.working_group]"):
        assert said in html, said
    assert html.count('class="missing"') >= len(ALL_PARTS)
    pdf = write_pdf(document, tmp_path / "strategy.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") >= 4


def test_a_full_strategy_file_and_the_products_fill_every_part_with_their_numbers(tmp_path):
    sources = full_sources(tmp_path)
    document = make_document(sources, "nl", "Vallei en Eem (demo)")
    missing = set(document.missing_parts)
    # what the demo's strategy.toml leaves open on purpose, and the products this test does not give
    assert missing == {"focus", "inspiration", "tasks", "preconditions", "main_lines", "programme", "monitoring"}
    html = render_html(document)
    # the business case per party and in total (headline: coupled with the works)
    assert "€ 960.000" in html and "€ -60.000" in html  # municipality: costs 1.2 M x 0.8, NPV 900k - 960k
    assert "€ 1.550.000" in html and "€ 1.280.000" in html  # total benefits and costs
    assert "los uitgevoerd" in html and "€ 0" not in html.split("Ter vergelijking")[0][-10:]
    assert "Biodiversiteit" in html
    # the programme: the sewer replacement first (priority 1, cycle 1: 2026-2027), Westwijk in cycle 3 (later)
    programme = document.part("programme")
    assert programme is not None
    table = next(b for b in programme.blocks if getattr(b, "headings", None) and "Prio" in b.headings)
    assert table.rows[0][:2] == ["1", "Rioolvervanging Zuidwijk"] and table.rows[0][4] == "1: 2026–2027"
    westwijk = next(r for r in table.rows if r[1] == "Renovatie Westwijk")
    assert westwijk[4] == "later (vanaf 2030)"
    assert "€ 30.000" in html  # what coupling the sewer replacement saves
    # monitoring: the chosen indicator with its baseline (4) and future value (6, Hd2050)
    assert "Gebouwen met water boven vloerpeil" in html and "6 (Hd2050)" in html
    # the afwegingskader's rule and the policy scan
    assert "Berging op eigen terrein (landelijke maatlat)" in html and "≥ 60 mm" in html  # the dossier's, in Dutch
    assert "aanpassen" in html and "nieuw" in html
    assert "Wethouder klimaat" in html
    pdf = write_pdf(document, tmp_path / "strategy.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")


def test_the_english_document(tmp_path):
    html = render_html(make_document(full_sources(tmp_path), "en", "Vallei"))
    assert "Urgency" in html and "Policy" in html and "Implementation" in html
    assert "€ 1,550,000" in html and "coupled with planned works" in html


@pytest.mark.parametrize(("start", "window", "expected"), [
    (2026, (2025, 2027), "1: 2026–2027"),  # window still open at the start: decide in the first cycle
    (2026, (2028, 2030), "2: 2028–2029"),
    (2026, (2030, 2032), "later (vanaf 2030)"),
    (2026, (2020, 2024), "venster voorbij"),
])
def test_the_cycle_a_coupling_is_decided_in(start, window, expected):
    project = ProjectRecord(id="p", name="p", kind="housing", owner="municipality", year=window[1],
                            window_start=window[0], window_end=window[1], area_m2=1.0, vulnerable_share={},
                            fitting=[], features=[], investment_alone_eur=0.0, investment_together_eur=0.0,
                            avoided_ead_eur=0.0)
    cycle = Cycle(start, 2)
    assert cycle.label(cycle.year_of(project), "nl") == expected


def test_a_broken_strategy_file_stops_the_run_before_anything_is_computed(tmp_path):
    from alliantie.dossier import load_dossier
    from alliantie.dossier.config import input_specs
    from alliantie.dossier.inspect import preflight
    from alliantie.testing.report_dossier import make_report_dossier

    assert input_specs()["strategy"].kind == "document"
    toml, _dirs = make_report_dossier(tmp_path / "d", language="nl")
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace("[inputs]\n", '[inputs]\nstrategy = "strategy.toml"\n', 1), encoding="utf-8")
    (toml.parent / "strategy.toml").write_text(STRATEGY_TOML, encoding="utf-8")
    dossier = load_dossier(toml)
    preflight(dossier, {"strategy"})  # the demo's file passes
    (toml.parent / "strategy.toml").write_text('[monitoring]\nevery_years = "often"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        preflight(dossier, {"strategy"})
    assert "monitoring.every_years" in info.value.message("nl") and "strategy.toml" in info.value.message("nl")
    assert "verwacht een geheel getal" in info.value.message("nl")  # in the catalogue's words, not pydantic's
    (toml.parent / "strategy.toml").write_text('[monitorng]\nevery_years = 2\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        preflight(dossier, {"strategy"})
    assert "onbekende sleutel 'monitorng'; bedoelde u 'monitoring'?" in info.value.message("nl")


def test_the_afwegingskader_is_the_one_the_dossier_adopts():
    """The document lists the rules of assessment_rules.toml with the dossier's own thresholds, without the
    rules it skips, by their names in the document's language."""
    rules = AssessmentRules.load()
    adopted = apply_choices(rules, AssessmentParameters(thresholds={"storage_maatlat": 60.0},
                                                        skip=[rules.rules[-1].id]))
    assert len(adopted) == len(rules.rules) - 1
    document = make_document(Sources(assessment_rules=adopted, assessment_file="assessment_rules.toml"), "en", "X")
    html = render_html(document)
    assert rules.rules[0].en in html and "≥ 60 mm" in html and rules.rules[-1].en not in html
