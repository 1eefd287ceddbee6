"""The KNMI scenario table: the real knowledge file and the loader's checks."""

from __future__ import annotations

from typing import Any

import pytest

from alliantie.climate import ClimateScenario, ClimateTable, dossier_scenarios, load_climate_table
from alliantie.climate.scenarios import SETS
from alliantie.errors import ConfigError
from alliantie.knowledge import load_knowledge

#: The variable ids other products code against (brief_common, scenarios.py).
REQUIRED = {
    "t_mean_year", "t_mean_summer", "t_mean_winter", "summer_days", "tropical_days", "tropical_nights",
    "precip_year", "precip_summer", "precip_winter", "precip_deficit_mean", "precip_deficit_10y",
    "precip_hour_extreme", "precip_day_extreme", "sea_level",
}


#: File stem (csvdata-11juni/langjarig-<stem>_racmo_interp_variabiliteit.csv) of each KNMI'23 climate variable.
STEMS = {
    "t_mean_year": "tas_mean-ANN", "t_mean_summer": "tas_mean-JJA", "t_mean_winter": "tas_mean-DJF",
    "summer_days": "zomerdagen-ANN", "tropical_days": "tropdagen-ANN", "tropical_nights": "tropnachten-ANN",
    "precip_year": "pr_sum-ANN", "precip_summer": "pr_sum-JJA", "precip_winter": "pr_sum-DJF",
    "precip_deficit_mean": "neerslagtekort-ANN", "precip_deficit_10y": "neerslagtekort-t10-ANN",
}
#: The two KNMI'23 scenarios the data hold per variable (gekozen_scenarios.csv; sea level per emission level).
PAIRS = {
    "t_mean_year": ("Hd", "Ln"), "t_mean_summer": ("Hd", "Ln"), "t_mean_winter": ("Hn", "Ld"),
    "summer_days": ("Hd", "Ln"), "tropical_days": ("Hd", "Ln"), "tropical_nights": ("Hd", "Ln"),
    "precip_year": ("Hn", "Hd"), "precip_summer": ("Ln", "Hd"), "precip_winter": ("Hn", "Ld"),
    "precip_deficit_mean": ("Hd", "Ln"), "precip_deficit_10y": ("Hd", "Ln"),
    "sea_level": ("Ld", "Ln", "Hd", "Hn"),
}


def _all_scenarios(table: ClimateTable) -> list[ClimateScenario]:
    out = []
    for set_name, names in SETS.items():
        horizons = (2050, 2100, 2150) if set_name == "KNMI'23" else (2050, 2085)
        out += [ClimateScenario(name=n, horizon=h, set=set_name) for n in names for h in horizons]
    return out


def test_real_file_loads_with_every_variable_and_source() -> None:
    raw = load_knowledge("knmi_scenarios")
    table = load_climate_table(raw)
    assert set(table.variables) >= REQUIRED
    assert table.periods == {"KNMI'23": "1991-2020", "KNMI'14": "1981-2010"}
    assert raw["value"], "the file holds numbers"
    for row in raw["value"]:
        assert len(str(row["source"]).strip()) > 30, row
        assert row["variable"] in REQUIRED
    for var in raw["variable"]:
        assert var["unit"] and var["change"] in ("difference", "percent") and var["nl"] and var["en"]
    assert len(table.sources()) >= 5


def test_knmi23_rows_come_from_the_one_source() -> None:
    """Every KNMI'23 number is read from the klimaatstatistieken data: grid point 574 or the sea-level file."""
    raw = load_knowledge("knmi_scenarios")
    rows = [r for r in raw["value"] if r.get("set", "KNMI'23") == "KNMI'23"]
    assert len(rows) >= 60
    for row in rows:
        source = str(row["source"])
        assert "github.com/Climate-Adaptation-Services/knmi-statistieken-data" in source, row
        assert "Secondary" not in source, row
        if row["variable"] == "sea_level":
            assert "zeespiegelstijging.csv" in source and "change" in row and "value" not in row, row
        else:
            assert "point 574" in source and "De Bilt" in source and "commit" in source, row
            assert f"langjarig-{STEMS[row['variable']]}_racmo" in source, row


def test_each_number_sits_under_the_scenario_the_data_name() -> None:
    """hoog/laag -> scenario per gekozen_scenarios.csv: only these (variable, scenario) pairs exist for KNMI'23."""
    raw = load_knowledge("knmi_scenarios")
    found: dict[str, set[tuple[str, int]]] = {}
    for row in raw["value"]:
        if row.get("set", "KNMI'23") == "KNMI'23" and row["scenario"] != "reference":
            found.setdefault(row["variable"], set()).add((row["scenario"], int(row["horizon"])))
    for variable, names in PAIRS.items():
        assert found.get(variable) == {(n, h) for n in names for h in (2050, 2100)}, variable
    assert set(found) == set(PAIRS)


def test_reference_values_are_plausible() -> None:
    table = load_climate_table()
    now23 = ClimateScenario(set="KNMI'23")
    now14 = ClimateScenario(set="KNMI'14")
    # KNMI'23 grid point 574 near De Bilt, 1991-2020: 26.0 summer days, 10.48 degC a year (ref columns);
    # KNMI'14 De Bilt 1981-2010 normals: 26 summer days, 10.1 degC.
    assert table.level("summer_days", now23) == 26.0
    assert table.level("t_mean_year", now23) == pytest.approx(10.5)
    assert 20 <= (table.level("summer_days", now14) or 0) <= 35
    assert 2 <= (table.level("tropical_days", now23) or 0) <= 8
    assert 9.0 <= (table.level("t_mean_year", now14) or 0) <= 11.5
    for now in (now23, now14):
        assert (table.level("t_mean_winter", now) or 0) < (table.level("t_mean_year", now) or 0) \
            < (table.level("t_mean_summer", now) or 0)
    assert 0 < (table.level("tropical_nights", now23) or 0) < 2
    assert 150 <= (table.level("precip_deficit_10y", now23) or 0) <= 350
    assert (table.level("precip_deficit_mean", now23) or 0) < (table.level("precip_deficit_10y", now23) or 0)
    # The two seasons hold less than the year: 255 (summer) + 235 (winter) < 896 mm.
    assert (table.level("precip_summer", now23) or 0) + (table.level("precip_winter", now23) or 0) \
        < (table.level("precip_year", now23) or 0)
    assert table.change("summer_days", now23) == 0.0


def test_grid_point_agrees_with_knmis_de_bilt_numbers() -> None:
    """Point 574 against the De Bilt numbers KNMI published with KNMI'23 (NOS Nieuws, 9 Oct 2023: 28 summer days
    now, about 40 in the low-emission scenarios, 49 around 2050 and 89 around 2100 with high emissions)."""
    table = load_climate_table()
    published = {ClimateScenario(): 28, ClimateScenario("Ln", 2050): 40, ClimateScenario("Hd", 2050): 49,
                 ClimateScenario("Hd", 2100): 89}
    for scenario, days in published.items():
        assert abs((table.level("summer_days", scenario) or 0) - days) <= 3, scenario.id


def test_changes_have_the_sign_knmi_states() -> None:
    """Warmer in every scenario, drier summers (deficit up, summer rain down), sea level rising."""
    table = load_climate_table()
    warm = ("t_mean_year", "t_mean_summer", "t_mean_winter", "summer_days", "tropical_days", "tropical_nights")
    drier = ("precip_deficit_mean", "precip_deficit_10y")
    checked = 0
    for scenario in _all_scenarios(table):
        for var in (*warm, *drier, "sea_level"):
            change = table.change(var, scenario)
            if change is not None:
                assert change > 0, (var, scenario.id, change)
                checked += 1
        summer = table.change("precip_summer", scenario)
        if summer is not None:
            assert summer < 0, (scenario.id, summer)
            checked += 1
    assert checked >= 40
    # Higher emissions, more summer days; later horizon under H, more again.
    hd50 = table.level("summer_days", ClimateScenario("Hd", 2050))
    hd00 = table.level("summer_days", ClimateScenario("Hd", 2100))
    ln50 = table.level("summer_days", ClimateScenario("Ln", 2050))
    assert ln50 is not None and hd50 is not None and hd00 is not None
    assert ln50 < hd50 < hd00
    # The change follows from the level and the reference: 50 - 26 = 24 summer days; 22.6 - 17.4 = 5.2 degC.
    assert table.change("summer_days", ClimateScenario("Hd", 2050)) == pytest.approx(24.0)
    assert table.change("t_mean_summer", ClimateScenario("Hd", 2100)) == pytest.approx(5.2)
    # Summer rain Hd 2100: 179 / 255 - 1 = -29.8 % (the viewer's metadata: -29 % nationally).
    assert table.change("precip_summer", ClimateScenario("Hd", 2100)) == pytest.approx(-29.8, abs=0.05)


def test_hd_2050_summer_is_warmer_than_today() -> None:
    table = load_climate_table()
    hd = table.get("t_mean_summer", ClimateScenario("Hd", 2050))
    ref = table.reference("t_mean_summer")
    assert hd is not None and ref is not None and hd.value is not None and ref.value is not None
    assert hd.value > ref.value
    assert hd.value == pytest.approx(19.5) and hd.low == pytest.approx(18.2) and hd.high == pytest.approx(20.7)


def test_demo_scenarios_have_the_heat_and_drought_numbers() -> None:
    """The demo's [scenarios] (Ln and Hd at 2050 and 2100) find every number heat and drought need."""
    table = load_climate_table()
    scenarios = dossier_scenarios({"knmi": ["Ln", "Hd"], "horizons": [2050, 2100]})
    needed = ["t_mean_summer", "tropical_nights", "summer_days", "tropical_days", "precip_deficit_mean",
              "precip_deficit_10y", "precip_summer", "t_mean_year", "sea_level"]
    assert table.missing(needed, scenarios[1:]) == []
    # Low-emission numbers do not change after 2050 in the data; high-emission ones grow.
    for var in needed:
        ln50, ln00 = (table.get(var, ClimateScenario("Ln", h)) for h in (2050, 2100))
        hd50, hd00 = (table.get(var, ClimateScenario("Hd", h)) for h in (2050, 2100))
        assert ln50 is not None and ln00 is not None and hd50 is not None and hd00 is not None
        if var != "sea_level":
            assert ln50.value == ln00.value, var
        assert abs(hd00.change or 0) > abs(hd50.change or 0), var


def test_sea_level_rises_more_with_high_emissions_and_later() -> None:
    table = load_climate_table()
    rise = {s: table.change("sea_level", ClimateScenario(s[:2], int(s[2:])))
            for s in ("Ld2050", "Ln2050", "Hd2050", "Hn2050", "Ld2100", "Ln2100", "Hd2100", "Hn2100")}
    # zeespiegelstijging.csv: L 24 / 44 cm, H 27 / 82 cm (2050 / 2100); d and n alike.
    assert rise == {"Ld2050": 24.0, "Ln2050": 24.0, "Hd2050": 27.0, "Hn2050": 27.0,
                    "Ld2100": 44.0, "Ln2100": 44.0, "Hd2100": 82.0, "Hn2100": 82.0}
    ld00 = table.get("sea_level", ClimateScenario("Ld", 2100))
    assert ld00 is not None and (ld00.low, ld00.high) == (26.0, 73.0)
    assert ld00.value is None  # only a change: there is no reference level of the sea


def test_missing_lists_what_is_absent() -> None:
    table = load_climate_table()
    scenarios = dossier_scenarios({"knmi": ["Ld", "Hd"], "horizons": [2050, 2100]})
    missing = table.missing(["summer_days", "t_mean_winter", "precip_hour_extreme", "sea_level"], scenarios)
    # Summer days: the data hold Ln and Hd, not Ld.
    assert ("summer_days", "Hd2050") not in missing
    assert ("summer_days", "Ld2050") in missing and ("summer_days", "Ld2100") in missing
    # Winter temperature: the data hold Ld and Hn, not Hd.
    assert ("t_mean_winter", "Ld2100") not in missing
    assert ("t_mean_winter", "Hd2050") in missing
    # Hourly extremes: the source names no scenario, so nothing at all (not even today).
    assert {("precip_hour_extreme", s.id) for s in scenarios} <= set(missing)
    assert ("sea_level", "Ld2100") not in missing
    assert table.get("precip_day_extreme", scenarios[1]) is None
    assert table.level("t_mean_winter", ClimateScenario("Hd", 2100)) is None


def _table(**row: Any) -> ClimateTable:
    knowledge = {
        "set": {"KNMI'23": {"reference_period": "1991-2020", "horizons": [2050, 2100], "source": "test set"}},
        "variable": [
            {"id": "summer_days", "unit": "days per year", "change": "difference", "nl": "Zomerse dagen",
             "en": "Summer days"},
            {"id": "precip_winter", "unit": "mm", "change": "percent", "nl": "Winterneerslag",
             "en": "Winter precipitation"},
        ],
        "value": [
            {"variable": "summer_days", "scenario": "reference", "value": 28.0, "source": "test A"},
            {"variable": "precip_winter", "scenario": "reference", "value": 200.0, "source": "test B"},
            {"variable": "precip_winter", "scenario": "Hn", "horizon": 2100, "change": 20.0, "source": "test C"},
            row,
        ],
    }
    return ClimateTable(knowledge)


def test_loader_refuses_a_row_without_source() -> None:
    with pytest.raises(ConfigError) as err:
        _table(variable="summer_days", scenario="Hd", horizon=2050, value=49.0)
    assert err.value.key == "climate.errors.no_source"
    with pytest.raises(ConfigError):
        _table(variable="summer_days", scenario="Hd", horizon=2050, value=49.0, source="   ")


def test_loader_refuses_other_bad_rows() -> None:
    cases = [
        ({"variable": "nope", "scenario": "Hd", "horizon": 2050, "value": 1.0, "source": "s"},
         "climate.errors.unknown_variable"),
        ({"variable": "summer_days", "scenario": "WH", "horizon": 2050, "value": 1.0, "source": "s"},
         "climate.errors.unknown_scenario"),
        ({"variable": "summer_days", "scenario": "Hd", "value": 1.0, "source": "s"}, "climate.errors.no_horizon"),
        ({"variable": "summer_days", "scenario": "Hd", "horizon": 2050, "source": "s"}, "climate.errors.no_number"),
        ({"variable": "summer_days", "scenario": "reference", "value": 1.0, "source": "s"},
         "climate.errors.duplicate"),
    ]
    for row, key in cases:
        with pytest.raises(ConfigError) as err:
            _table(**row)
        assert err.value.key == key, row


def test_percent_change_gives_the_level() -> None:
    table = _table(variable="summer_days", scenario="Hd", horizon=2050, value=49.0, source="test D")
    hn = ClimateScenario("Hn", 2100)
    assert table.level("precip_winter", hn) == pytest.approx(240.0)  # 200 mm * (1 + 20 %)
    hd = ClimateScenario("Hd", 2050)
    assert table.change("summer_days", hd) == pytest.approx(21.0)
    assert table.get("summer_days", hd).source == "test D"  # type: ignore[union-attr]
    assert table.missing(["summer_days", "precip_winter"], [hd, hn]) == [("summer_days", "Hn2100"),
                                                                          ("precip_winter", "Hd2050")]


def _knmi14_rows() -> list[dict[str, Any]]:
    return [row for row in load_knowledge("knmi_scenarios")["value"] if row.get("set") == "KNMI'14"]


def test_every_knmi14_row_names_its_publication_and_where_it_was_read() -> None:
    rows = _knmi14_rows()
    assert len(rows) >= 12
    for row in rows:
        source = str(row["source"])
        assert "http" in source or "github.com" in source, row  # where it was read
        named = ("WR 2014-01", "CBS StatLine", "scenarioIndices", "Weeronline")
        assert any(name in source for name in named), row
        # A number read in a news site says so (docs/climate.md, "How to add a number").
        assert ("Weeronline" not in source) or source.startswith("Secondary:"), row
        assert row["scenario"] == "reference" or row["scenario"] in SETS["KNMI'14"], row
        assert row["scenario"] == "reference" or row["horizon"] in (2050, 2085), row


def test_knmi14_reference_levels_are_the_tables_numbers() -> None:
    """KNMI WR 2014-01 Table 4.1, column 1981-2010: 10.1 / 3.4 / 17.0 degC; 851 / 211 / 224 mm (national
    means); 15.1 mm hourly maximum and 44 mm daily once in 10 years (summer); deficit 144 mm (scenarioIndices)."""
    table = load_climate_table()
    now = ClimateScenario(set="KNMI'14")
    expected = {"t_mean_year": 10.1, "t_mean_winter": 3.4, "t_mean_summer": 17.0, "precip_year": 851.0,
                "precip_winter": 211.0, "precip_summer": 224.0, "precip_hour_extreme": 15.1,
                "precip_day_extreme": 44.0, "precip_deficit_mean": 144.0, "summer_days": 26.0, "tropical_days": 4.0}
    for var, level in expected.items():
        assert table.level(var, now) == pytest.approx(level), var
    # The two seasons hold about half of the national year: 211 + 224 = 435 of 851 mm.
    assert 0.4 < (211.0 + 224.0) / 851.0 < 0.6
    # The KNMI'14 reference is its own: the KNMI'23 grid point (1991-2020) is warmer and wetter.
    now23 = ClimateScenario(set="KNMI'23")
    assert (table.level("t_mean_year", now23) or 0) > (table.level("t_mean_year", now) or 0)
    assert (table.level("precip_year", now23) or 0) > (table.level("precip_year", now) or 0)


def test_knmi14_scenario_numbers_have_the_known_sign() -> None:
    """Every KNMI'14 scenario row (so far only WH 2085 tropical days, 21 against 4 now) is a warming."""
    table = load_climate_table()
    wh85 = ClimateScenario("WH", 2085, set="KNMI'14")
    assert table.change("tropical_days", wh85) == pytest.approx(17.0)  # 21 - 4
    scenarios = [ClimateScenario(n, h, set="KNMI'14") for n in SETS["KNMI'14"] for h in (2050, 2085)]
    warm = ("t_mean_year", "t_mean_summer", "t_mean_winter", "summer_days", "tropical_days", "tropical_nights",
            "precip_deficit_mean", "precip_deficit_10y", "precip_winter", "precip_hour_extreme", "sea_level")
    for scenario in scenarios:
        for var in warm:  # KNMI'14: warmer, wetter winters, heavier showers, drier in every scenario
            change = table.change(var, scenario)
            assert change is None or change > 0, (var, scenario.id, change)
    # Numbers nobody could read stay missing, e.g. GL 2050 summer temperature and sea level around 2085.
    missing = table.missing(["t_mean_summer", "sea_level"], scenarios)
    assert ("t_mean_summer", "GL2050") in missing and ("sea_level", "WH2085") in missing
