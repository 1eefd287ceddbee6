"""Weerbericht van de toekomst (urgency.climate): cells, sentences from numbers, and the product files."""

from __future__ import annotations

import json
from pathlib import Path

from alliantie.climate import ClimateScenario, ClimateTable, dossier_scenarios
from alliantie.contract.spec import read_tables
from alliantie.dossier import load_dossier, run_dossier
from alliantie.method.urgency.weerbericht import (
    cell_text,
    format_number,
    sentences,
    short_source,
    tables,
    weerbericht_data,
)
from alliantie.testing.factories import write_minimal_dossier

KNOWLEDGE = {
    "set": {"KNMI'23": {"reference_period": "1991-2020", "horizons": [2050, 2100], "source": "test set"}},
    "variable": [
        {"id": "summer_days", "unit": "days per year", "change": "difference", "nl": "Zomerse dagen",
         "en": "Summer days"},
        {"id": "t_mean_year", "unit": "degC", "change": "difference", "nl": "Gemiddelde jaartemperatuur",
         "en": "Mean annual temperature"},
        {"id": "precip_hour_extreme", "unit": "mm", "change": "percent", "nl": "Extreme uurneerslag",
         "en": "Extreme hourly precipitation"},
        {"id": "sea_level", "unit": "cm", "change": "difference", "nl": "Zeespiegel", "en": "Sea level"},
    ],
    "value": [
        {"variable": "summer_days", "scenario": "reference", "value": 28.0, "source": "Paper A, table 1"},
        {"variable": "summer_days", "scenario": "Hd", "horizon": 2050, "value": 49.0, "source": "Paper A, table 1"},
        {"variable": "t_mean_year", "scenario": "reference", "value": 10.5, "source": "Paper B, p. 3"},
        {"variable": "t_mean_year", "scenario": "Hd", "horizon": 2050, "change": 1.7, "source": "Paper B, p. 3"},
        {"variable": "precip_hour_extreme", "scenario": "Hd", "horizon": 2050, "change": 12.0,
         "source": "Secondary: Krant C, 2023, 'title'"},
    ],
}
SCENARIOS = dossier_scenarios({"knmi": ["Ld", "Hd"], "horizons": [2050]})


def _table() -> ClimateTable:
    return ClimateTable(KNOWLEDGE)


def test_number_formatting() -> None:
    assert format_number(49.0, "nl") == "49"
    assert format_number(12.2, "nl") == "12,2"
    assert format_number(12.2, "en") == "12.2"
    assert format_number(1.7, "nl", signed=True) == "+1,7"
    assert format_number(-3.0, "en", signed=True) == "-3"
    assert short_source("Secondary: NOS Nieuws, 9 Oct 2023, on KNMI'23: x") == "NOS Nieuws"
    assert short_source("CBS StatLine table 80182ned (data KNMI), De Bilt") == "CBS StatLine table 80182ned"


def test_cells_show_level_change_and_no_data() -> None:
    table = _table()
    hd = ClimateScenario("Hd", 2050)
    ld = ClimateScenario("Ld", 2050)
    # 10.5 + 1.7 = 12.2 degC
    assert cell_text(table.get("t_mean_year", hd), "difference", "nl", is_current=False) == "12,2 (+1,7 °C)"
    assert cell_text(table.get("summer_days", hd), "difference", "en", is_current=False) == "49 (+21 d/yr)"
    # only a change: shown as change in %
    assert cell_text(table.get("precip_hour_extreme", hd), "percent", "nl", is_current=False) == "+12 %"
    assert cell_text(table.get("summer_days", ld), "difference", "nl", is_current=False) == "geen gegevens"
    assert cell_text(table.get("summer_days", ClimateScenario()), "difference", "en", is_current=True) == "28"


def test_sentences_come_from_the_numbers() -> None:
    table = _table()
    nl = sentences(table, SCENARIOS, "nl", variables=("t_mean_year", "summer_days", "precip_hour_extreme",
                                                      "sea_level"))
    assert "Rond 2050 telt De Bilt in het Hd-scenario 49 zomerse dagen per jaar, nu 28." in nl
    assert "Rond 2050 in het Hd-scenario: gemiddelde jaartemperatuur 12,2 °C (nu 10,5 °C)." in nl
    assert any(s.startswith("Rond 2050 in het Hd-scenario: extreme uurneerslag +12 %") for s in nl)
    missing_hd = [s for s in nl if s.startswith("Voor het Hd-scenario")]
    assert len(missing_hd) == 1 and "zeespiegel" in missing_hd[0] and "zomerse dagen" not in missing_hd[0]
    missing_ld = [s for s in nl if s.startswith("Voor het Ld-scenario")]
    assert len(missing_ld) == 1 and "zomerse dagen" in missing_ld[0]
    # A changed number changes the sentence: nothing is hard-coded.
    changed = json.loads(json.dumps(KNOWLEDGE))
    changed["value"][1]["value"] = 55.0
    en = sentences(ClimateTable(changed), SCENARIOS, "en", variables=("summer_days",))
    assert "Around 2050, De Bilt counts 55 summer days a year in the Hd scenario, against 28 today." in en
    # No numbers at all: a sentence says so.
    empty = {**KNOWLEDGE, "value": []}
    none = sentences(ClimateTable(empty), SCENARIOS, "nl", variables=("summer_days",))
    assert none[0].startswith("De kennisbank bevat nog geen scenariogetallen")


def test_data_and_tables_layout() -> None:
    table = _table()
    data = weerbericht_data(table, SCENARIOS, variables=("summer_days", "t_mean_year", "tropical_nights"))
    assert [v["id"] for v in data["variables"]] == ["summer_days", "t_mean_year"]  # unknown id skipped
    hd = data["variables"][1]["values"]["Hd2050"]
    assert hd["value"] == 12.2 and hd["change"] == 1.7 and hd["source"] == "Paper B, p. 3"
    assert data["variables"][0]["values"]["Ld2050"] is None
    assert {"variable": "summer_days", "scenario": "Ld2050"} in data["missing"]
    assert data["reference_period"] == "1991-2020" and data["sources"] == ["Paper A, table 1", "Paper B, p. 3"]
    main, spoken = tables(table, SCENARIOS)
    assert main.theme == "climate" and len(main.columns) == 2 + len(SCENARIOS)
    assert main.columns[2].label.nl == "Nu (1991-2020)"
    assert len(main.rows) == 4 and all(len(r) == len(main.columns) for r in main.rows)
    assert main.note is not None
    assert "De Bilt" in main.note.nl and "Zeespiegel (alle scenario's)" in main.note.nl
    assert "Paper A" in main.note.en and "Krant C" in main.note.en
    assert len(spoken.rows) >= 3 and len(spoken.columns) == 1


def test_product_on_a_tiny_dossier(tmp_path: Path) -> None:
    toml = write_minimal_dossier(tmp_path)
    text = toml.read_text(encoding="utf-8") + '\n[scenarios]\nknmi = ["Ld", "Hd"]\nhorizons = [2050, 2100]\n'
    toml.write_text(text, encoding="utf-8")
    dossier = load_dossier(toml)
    summary = run_dossier(dossier, products=["urgency.climate"])
    assert "urgency.climate" in summary.computed
    folder = dossier.products_dir / "urgency.climate"
    data = json.loads((folder / "weerbericht.json").read_text(encoding="utf-8"))
    assert [s["id"] for s in data["scenarios"]] == ["current", "Ld2050", "Hd2050", "Ld2100", "Hd2100"]
    by_id = {v["id"]: v for v in data["variables"]}
    assert by_id["summer_days"]["values"]["Hd2050"]["value"] == 50.0
    assert by_id["summer_days"]["values"]["current"]["value"] == 26.0
    assert {"variable": "tropical_nights", "scenario": "Ld2100"} in data["missing"]
    assert {"variable": "tropical_nights", "scenario": "Hd2100"} not in data["missing"]
    assert any("50 zomerse dagen" in s for s in data["sentences"]["nl"])
    tableset = read_tables(folder)
    assert [t.id for t in tableset.tables] == ["weerbericht", "weerbericht_sentences"]
    assert all(t.theme == "climate" for t in tableset.tables)
