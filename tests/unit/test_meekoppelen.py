"""strategy.meekoppelen: the knowledge file's factors and windows applied, features inside and outside projects,
the coupling chance, the contract file and the outputs (synthetic projects; the demo run is in test_demo_pipeline)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
import shapely
from shapely.geometry import LineString, Point, box

from alliantie.contract.meekoppelen import MeekoppelenFile, read_meekoppelen, write_meekoppelen
from alliantie.errors import ConfigError
from alliantie.knowledge import knowledge_file
from alliantie.knowledge.measures import MeasureCatalogue
from alliantie.method.strategy.meekoppelen.analysis import (
    MeasureFeature,
    Project,
    ProjectShares,
    analyse,
    chance_class,
    overlap_share,
    vulnerable_shares,
)
from alliantie.method.strategy.meekoppelen.knowledge import MeekoppelenRules
from alliantie.method.strategy.meekoppelen.outputs import draw_timeline, factor_table, project_table

RULES = MeekoppelenRules.load()
CATALOGUE = {m.id: m for m in MeasureCatalogue.load().measures}
REFERENCE = 2025


def _raw() -> dict[str, Any]:
    return tomllib.loads(knowledge_file("meekoppelen").read_text(encoding="utf-8"))


def _sewer(year: int = 2030, geometry: shapely.Geometry | None = None, pid: str = "1") -> Project:
    return Project(id=pid, name="Riool", kind="sewer_replacement", owner="municipality", year=year,
                   geometry=box(0, 0, 100, 100) if geometry is None else geometry)


def _shares(suitable: float = 0.5, pluvial: float = 0.4) -> ProjectShares:
    groups = {CATALOGUE[m].group for k in RULES.kinds for m in k.measures()}
    return ProjectShares(suitable=dict.fromkeys(groups, suitable),
                         vulnerable={"flood": 0.0, "pluvial": pluvial, "drought": 0.0, "heat": 0.0})


def _wadi(geometry: shapely.Geometry, fid: str = "1:wadi", investment: float = 10_000.0) -> MeasureFeature:
    return MeasureFeature(id=fid, measure="wadi", geometry=geometry, investment_eur=investment,
                          avoided_ead_eur=120.0)


def test_every_coupled_measure_is_in_the_catalogue_and_every_estimate_says_so() -> None:
    for kind in RULES.kinds:
        assert kind.measures(), kind.id
        assert set(kind.measures()) <= set(CATALOGUE), kind.id
        for c in kind.coupling:
            assert 0 < c.factor.value <= 1
            assert c.factor.estimate == ("alliantie estimate" in c.factor.source), kind.id
        for number in (kind.design_window, kind.duration):
            assert number.estimate == ("alliantie estimate" in number.source), kind.id


def test_the_demo_kinds_are_all_known() -> None:
    demo_kinds = {"housing", "road_maintenance", "sewer_replacement", "dike_reinforcement", "nature_development",
                  "stream_restoration", "business_park"}
    assert demo_kinds <= {k.id for k in RULES.kinds}


@pytest.mark.parametrize("breakage", ["factor_above_one", "no_source", "unknown_key", "text_for_number"])
def test_a_broken_file_is_refused(breakage: str, tmp_path: Path) -> None:
    data = _raw()
    factor = data["kind"][0]["coupling"][0]["factor"]
    if breakage == "factor_above_one":
        factor["value"] = 1.5
    elif breakage == "no_source":
        del factor["source"]
    elif breakage == "unknown_key":
        data["kind"][0]["colour"] = "red"
    else:
        data["kind"][0]["design_window"]["value"] = "two"
    with pytest.raises(ConfigError):
        MeekoppelenRules.parse(data, tmp_path / "meekoppelen.toml")


def test_the_factor_of_the_knowledge_file_is_applied_to_a_feature_inside() -> None:
    """Meekoppelen lowers the cost where the source says it does: by the file's factor, and by nothing else."""
    feature = _wadi(box(10, 10, 30, 30))
    result = analyse([_sewer()], {"1": _shares()}, [feature], RULES, CATALOGUE, REFERENCE)
    record = result.projects[0]
    factor = RULES.kind("sewer_replacement").factor("wadi")
    assert factor is not None and factor.value < 1
    assert record.features == ["1:wadi"]
    assert record.investment_alone_eur == 10_000.0
    assert record.investment_together_eur == pytest.approx(10_000.0 * factor.value)
    assert record.investment_together_eur < record.investment_alone_eur
    assert record.avoided_ead_eur == 120.0
    [coupling] = result.couplings
    assert (coupling.feature_id, coupling.project_id, coupling.year) == ("1:wadi", "1", 2030)
    assert coupling.investment_factor == factor.value
    assert "riool.net" in coupling.source


def test_a_changed_factor_changes_the_cost_together(tmp_path: Path) -> None:
    data = _raw()
    for kind in data["kind"]:
        if kind["id"] == "sewer_replacement":
            kind["coupling"][0]["factor"]["value"] = 0.25
    rules = MeekoppelenRules.parse(data, tmp_path / "meekoppelen.toml")
    result = analyse([_sewer()], {"1": _shares()}, [_wadi(box(10, 10, 30, 30))], rules, CATALOGUE, REFERENCE)
    assert result.projects[0].investment_together_eur == pytest.approx(2_500.0)


def test_a_feature_outside_gets_no_coupling() -> None:
    outside = _wadi(box(200, 200, 220, 220))
    mostly_outside = _wadi(box(90, 10, 130, 30), fid="2:wadi")  # a quarter inside
    result = analyse([_sewer()], {"1": _shares()}, [outside, mostly_outside], RULES, CATALOGUE, REFERENCE)
    assert result.couplings == []
    assert result.projects[0].features == []
    assert result.projects[0].investment_together_eur == result.projects[0].investment_alone_eur == 0.0


def test_a_measure_the_kind_does_not_couple_costs_the_same() -> None:
    dike = MeasureFeature(id="1:dike_reinforcement", measure="dike_reinforcement",
                          geometry=LineString([(10, 50), (90, 50)]), investment_eur=1e6, avoided_ead_eur=1.0)
    result = analyse([_sewer()], {"1": _shares()}, [dike], RULES, CATALOGUE, REFERENCE)
    assert result.couplings == []
    assert result.projects[0].features == ["1:dike_reinforcement"]
    assert result.projects[0].investment_together_eur == result.projects[0].investment_alone_eur == 1e6


def test_windows_follow_the_knowledge_file_and_a_passed_window_couples_nothing() -> None:
    kind = RULES.kind("sewer_replacement")
    assert kind is not None
    lead, duration = round(kind.design_window.value), round(kind.duration.value)
    result = analyse([_sewer(year=2030)], {"1": _shares()}, [], RULES, CATALOGUE, REFERENCE)
    record = result.projects[0]
    assert (record.window_start, record.window_end) == (2030 - lead, 2030 + duration - 1)
    assert not record.window_passed

    # decided by the reference year at the latest: still open; one year later than that: passed
    just_open = REFERENCE + lead
    feature = _wadi(box(10, 10, 30, 30))
    open_ = analyse([_sewer(year=just_open)], {"1": _shares()}, [feature], RULES, CATALOGUE, REFERENCE)
    assert len(open_.couplings) == 1 and not open_.projects[0].window_passed
    closed = analyse([_sewer(year=just_open - 1)], {"1": _shares()}, [feature], RULES, CATALOGUE, REFERENCE)
    assert closed.couplings == [] and closed.projects[0].window_passed
    assert closed.projects[0].investment_together_eur == closed.projects[0].investment_alone_eur
    assert closed.chance_class["1"] == "passed"


def test_a_feature_in_two_projects_goes_with_the_one_it_overlaps_most() -> None:
    a, b = _sewer(geometry=box(0, 0, 100, 100), pid="a"), _sewer(geometry=box(0, 0, 100, 100), pid="b", year=2029)
    c = _sewer(geometry=box(15, 0, 100, 100), pid="c", year=2028)
    feature = _wadi(box(10, 10, 30, 30))
    shares = {"a": _shares(), "b": _shares(), "c": _shares()}
    result = analyse([a, b, c], shares, [feature], RULES, CATALOGUE, REFERENCE)
    # a and b hold all of it, c three quarters: the earlier of a and b (b, 2029) takes it, once
    assert [(x.project_id, x.year) for x in result.couplings] == [("b", 2029)]
    records = {r.id: r for r in result.projects}
    assert records["b"].features == ["1:wadi"] and records["a"].features == records["c"].features == []
    assert records["b"].investment_together_eur < records["b"].investment_alone_eur == 10_000.0
    assert records["a"].investment_alone_eur == records["c"].investment_alone_eur == 0.0


def test_fitting_measures_need_suitable_area_and_the_chance_rises_with_need_and_suitability() -> None:
    none = analyse([_sewer()], {"1": _shares(suitable=0.0)}, [], RULES, CATALOGUE, REFERENCE)
    assert none.projects[0].fitting == [] and none.chance_class["1"] == "none"
    chances = []
    for suitable, pluvial in [(0.2, 0.1), (0.4, 0.1), (0.4, 0.5), (0.9, 0.9)]:
        r = analyse([_sewer()], {"1": _shares(suitable, pluvial)}, [], RULES, CATALOGUE, REFERENCE)
        assert {f.measure for f in r.projects[0].fitting} == set(RULES.kind("sewer_replacement").measures())
        chances.append(r.projects[0].chance)
    assert chances == sorted(chances) and chances[0] < chances[-1]
    assert chance_class(chances[-1], True, False, RULES) == "high"
    assert chance_class(0.0, True, False, RULES) == "low"


def test_overlap_share_of_polygons_lines_and_points() -> None:
    project = box(0, 0, 100, 100)
    assert overlap_share(box(50, 0, 150, 100), project) == pytest.approx(0.5)
    assert overlap_share(LineString([(50, 50), (150, 50)]), project) == pytest.approx(0.5)
    assert overlap_share(shapely.MultiPoint([(10, 10), (200, 200)]), project) == pytest.approx(0.5)
    assert overlap_share(Point(500, 500), project) == 0.0


def test_vulnerable_shares_use_the_town_map_inside_its_extent() -> None:
    project = box(0, 0, 100, 100)
    region = {"pluvial": box(0, 0, 100, 50), "heat": None}
    town = {"pluvial": box(0, 0, 100, 100), "heat": box(0, 0, 10, 100)}
    without_town = vulnerable_shares(project, ["pluvial", "heat"], region, town, None)
    assert without_town == {"pluvial": pytest.approx(0.5), "heat": 0.0}
    half_town = vulnerable_shares(project, ["pluvial", "heat"], region, town, box(0, 0, 50, 100))
    # left half from the town map (all pluvial, a fifth heat), right half from the region map (half pluvial)
    assert half_town["pluvial"] == pytest.approx(0.75)
    assert half_town["heat"] == pytest.approx(0.1)


def test_the_file_round_trips_and_the_empty_file_is_valid(tmp_path: Path) -> None:
    empty = MeekoppelenFile(price_year=2024, measure_set="", projects=[], couplings=[], reference_year=REFERENCE)
    write_meekoppelen(tmp_path, empty)
    assert read_meekoppelen(tmp_path) == empty
    result = analyse([_sewer()], {"1": _shares()}, [_wadi(box(10, 10, 30, 30))], RULES, CATALOGUE, REFERENCE)
    full = MeekoppelenFile(price_year=2024, measure_set="s", projects=result.projects, couplings=result.couplings,
                           reference_year=REFERENCE)
    write_meekoppelen(tmp_path, full)
    assert read_meekoppelen(tmp_path) == full


def test_tables_and_timeline(tmp_path: Path) -> None:
    projects = [_sewer(year=2030), _sewer(year=2026, pid="2"),
                Project(id="3", name="Onbekend", kind="tunnel", owner="", year=2031, geometry=box(0, 0, 5, 5))]
    shares = {"1": _shares(), "2": _shares(), "3": _shares()}
    result = analyse(projects, shares, [_wadi(box(10, 10, 30, 30))], RULES, CATALOGUE, REFERENCE)
    data = MeekoppelenFile(price_year=2024, measure_set="s", projects=result.projects, couplings=result.couplings,
                           reference_year=REFERENCE)
    table = project_table(data, RULES, result.chance_class)
    assert len(table.rows) == 3 and table.total is not None
    assert "tunnel" in str(table.rows[-1][5])  # a kind the file does not know is named
    assert table.total[-3] == 10_000.0  # the wadi lies in both projects and counts once, in the one it couples with
    assert len(factor_table(RULES).rows) == sum(len(k.coupling) for k in RULES.kinds)
    path = draw_timeline(data.projects, RULES, REFERENCE, tmp_path / "timeline.png", "nl", dpi=60)
    assert path.stat().st_size > 1000


def test_a_measure_in_place_fits_its_works_without_suitable_area() -> None:
    """The dike being reinforced is the place of a dike reinforcement, whatever the compartment-dike suitability."""
    dike = Project(id="d", name="Dijk", kind="dike_reinforcement", owner="water_board", year=2032,
                   geometry=LineString([(0, 0), (1000, 0)]).buffer(40))
    shares = ProjectShares(suitable=dict.fromkeys(_shares().suitable, 0.0),
                           vulnerable={"flood": 0.3, "pluvial": 0.0, "drought": 0.0, "heat": 0.0})
    feature = MeasureFeature(id="1:dike_reinforcement", measure="dike_reinforcement",
                             geometry=LineString([(100, 0), (900, 0)]), investment_eur=1e6, avoided_ead_eur=5.0)
    result = analyse([dike], {"d": shares}, [feature], RULES, CATALOGUE, REFERENCE)
    record = result.projects[0]
    assert [f.measure for f in record.fitting] == ["dike_reinforcement"]
    assert record.chance == pytest.approx(0.3)  # in place: the whole area counts, times the flood share
    factor = RULES.kind("dike_reinforcement").factor("dike_reinforcement")
    assert record.investment_together_eur == pytest.approx(1e6 * factor.value)


def test_projects_are_read_with_their_ids_and_a_row_without_year_is_left_out() -> None:
    import geopandas as gpd

    from alliantie.method.strategy.meekoppelen.product import read_projects

    frame = gpd.GeoDataFrame({"name": ["A", "B", "C"], "kind": ["housing", "housing", "housing"],
                              "year": [2030.0, None, 2031.0], "owner": ["developer", None, None]},
                             geometry=[box(0, 0, 10, 10), box(0, 0, 10, 10), box(0, 0, 10, 10)], crs="EPSG:28992")
    projects = read_projects(frame)
    assert [(p.id, p.year, p.owner) for p in projects] == [("1", 2030, "developer"), ("3", 2031, "")]
    result = analyse(projects, {p.id: _shares() for p in projects}, [], RULES, CATALOGUE, REFERENCE)
    assert result.projects[1].owner == RULES.kind("housing").owners[0]  # a missing owner: the kind's usual one
