"""The stresstest-light: its rules by hand, ``alliantie stresstest`` on the small demo's files, and its errors."""

import csv
import json
import re

import numpy as np
import pytest
import rasterio
from click.testing import CliRunner
from rasterio.transform import from_origin

from alliantie.cli.main import cli
from alliantie.cli.stresstest import command
from alliantie.contract.spec import Text
from alliantie.contract.theme import IndicatorValue, ThemeSummary
from alliantie.knowledge import load_knowledge
from alliantie.method.stresstest.rules import (
    HIGH,
    LOW,
    MODERATE,
    StresstestKnowledge,
    assess,
    light_level,
    reference_scenario,
    severity_share,
)
from alliantie.method.stresstest.verdict import ThemeData, build, format_money, sentence

if "stresstest" not in cli.commands:  # until the lead registers the command in cli/main.py
    cli.add_command(command)

KNOWLEDGE = StresstestKnowledge.from_toml(load_knowledge("stresstest"))


def _invoke(*args: str):
    return CliRunner().invoke(cli, ["--lang", "en", *args])


def _pages(pdf_path) -> int:
    """Number of pages: pypdfium2 when installed (checks only), else the page objects in the file."""
    try:
        import pypdfium2
    except ImportError:
        return len(re.findall(rb"/Type\s*/Page[^s]", pdf_path.read_bytes()))
    return len(pypdfium2.PdfDocument(str(pdf_path)))


# --- the rules, by hand --------------------------------------------------------------------------------------------

def _pluvial(values: dict[tuple[str, str], float], scenarios=("current", "Ln2050", "Hd2050")):
    summary = ThemeSummary(theme="pluvial", title=Text(nl="W", en="P"), scenarios=list(scenarios),
                           classes={k: Text(nl=k, en=k) for k in "123"})
    names = {"A": "Aa", "B": "Bee", "C": "Cee", "D": "Dee", "": ""}
    rows = [IndicatorValue(s, code, names[code], ind, v) for (s, code), v in values.items()
            for ind in ("buildings_above_floor_t100",)]
    rows += [IndicatorValue(s, code, names[code], "road_km_no_traffic_t100", 0.0) for (s, code) in values]
    return summary, rows


def test_light_levels_and_shares():
    assert light_level(0, 1, 50) == LOW
    assert light_level(1, 1, 50) == MODERATE and light_level(49.9, 1, 50) == MODERATE
    assert light_level(50, 1, 50) == HIGH
    assert light_level(None, 1, 50) == LOW and light_level(float("nan"), 1, 50) == LOW
    # 2 of the 5 cells inside the area (255 outside) in class 2 or 3
    assert severity_share(np.array([[0, 1, 2], [3, 255, 255], [1, 255, 255]], np.uint8)) == pytest.approx(2 / 5)
    assert severity_share(np.full((2, 2), 255, np.uint8)) is None


def test_reference_scenario_is_the_worst_at_the_first_horizon_ties_to_the_later():
    summary, values = _pluvial({("current", ""): 1, ("Ln2050", ""): 4, ("Hd2050", ""): 3},
                               scenarios=("current", "Ln2050", "Hd2050", "Hd2100"))
    assert reference_scenario(summary, values, "buildings_above_floor_t100") == "Ln2050"
    summary, values = _pluvial({("current", ""): 1, ("Ln2050", ""): 4, ("Hd2050", ""): 4})
    assert reference_scenario(summary, values, "buildings_above_floor_t100") == "Hd2050"
    summary, values = _pluvial({("current", ""): 1}, scenarios=("current",))
    assert reference_scenario(summary, values, "buildings_above_floor_t100") == "current"


def test_assess_focus_areas_rules_and_sentence():
    # Hd2050 is the reference: A 7, B 5, C 2, D 0 buildings with water above floor level; 14 in the study area
    counts = {"A": 7, "B": 5, "C": 2, "D": 0}
    values = {("Hd2050", code): float(v) for code, v in counts.items()}
    values[("Hd2050", "")] = 14.0
    values.update({("current", code): 0.0 for code in [*counts, ""]})
    summary, rows = _pluvial(values)
    result = assess(summary, rows, KNOWLEDGE, share=0.01)
    assert result.scenario == "Hd2050" and result.key_reference == 14 and result.key_current == 0
    # the count light: 14 >= 1 (moderate) and < 50 (high); the area light: 1 % < 5 % (low)
    assert result.light == MODERATE
    assert [(p.name, p.value) for p in result.focus] == [("Aa", 7), ("Bee", 5), ("Cee", 2)]
    # rule: >= 1 building per neighbourhood and >= half of the worst neighbourhood (3.5) -> A and B, not C
    assert [(p.code, p.value) for t in result.triggers for p in t.places] == [("A", 7), ("B", 5)]
    assert result.triggers[0].threshold == pytest.approx(3.5)
    assert sentence(result, "en") == ("A detailed stress test is needed for Aa and Bee because buildings with water "
                                      "above floor level at 70 mm in 2 hours ≥ 3.5 (Aa 7, Bee 5).")
    # an area share of 20 % makes the light high
    assert assess(summary, rows, KNOWLEDGE, share=0.2).light == HIGH


def test_without_neighbourhoods_the_rules_hold_for_the_study_area():
    summary, rows = _pluvial({("current", ""): 3.0, ("Hd2050", ""): 60.0})
    result = assess(summary, rows, KNOWLEDGE, share=None)
    assert result.light == HIGH and result.focus == []  # 60 >= 50 buildings
    assert sentence(result, "nl") == ("Een gedetailleerde stresstest is nodig voor het studiegebied, omdat gebouwen "
                                      "met water boven vloerpeil bij 70 mm in 2 uur ≥ 1 (60).")


def test_build_marks_missing_themes_not_assessed():
    counts = {("current", ""): 0.0, ("Hd2050", ""): 0.0}
    summary, rows = _pluvial(counts)
    result = build("X", {"pluvial": ThemeData(summary, rows, None),
                         "drought": "stresstest.reason.no_groundwater"}, KNOWLEDGE, [])
    assert result.assessments["pluvial"].assessed and result.assessments["pluvial"].light == LOW
    assert not result.assessments["drought"].assessed
    assert sentence(result.assessments["drought"], "en") == "not assessed: no groundwater data (GHG/GLG)"
    assert sentence(result.assessments["heat"], "en") == "not computed"
    assert sentence(result.assessments["pluvial"], "en") == "By the rules no detailed stress test is needed."
    assert format_money(24079.7, "en") == "€\u00a024,000" and format_money(507.84, "en") == "€\u00a0508"


# --- the command on the small demo's files -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo_inputs(tmp_path_factory):
    from alliantie.demo import make_demo

    folder = tmp_path_factory.mktemp("stresstest_demo")
    make_demo(folder / "demo", size="small", seed=2014)
    return folder / "demo" / "inputs"


@pytest.fixture(scope="module")
def minimal_run(demo_inputs, tmp_path_factory):
    out = tmp_path_factory.mktemp("stresstest_out") / "area"
    i = demo_inputs
    result = _invoke("stresstest", "--dem", str(i / "dem.tif"), "--landuse", str(i / "landuse.tif"),
                     "--buildings", str(i / "buildings.gpkg"), "--neighbourhoods", str(i / "neighbourhoods.gpkg"),
                     "--roads", str(i / "roads.gpkg"), "--resolution", "40", "--out", str(out))
    assert result.exit_code == 0, result.output
    return out, result.output


def _indicators(folder, scenario):
    with (folder / "indicators.csv").open(encoding="utf-8", newline="") as handle:
        return {(r["code"], r["indicator"]): float(r["value"]) for r in csv.DictReader(handle)
                if r["scenario"] == scenario}


def test_minimal_command_writes_one_page_and_the_counts(minimal_run):
    out, output = minimal_run
    assert "stresstest.pdf" in output and "Drought" in output
    assert _pages(out / "stresstest.pdf") == 1
    product = out / "products" / "urgency.stresstest"
    assert _pages(product / "stresstest.pdf") == 1
    summary = json.loads((product / "summary.json").read_text(encoding="utf-8"))
    themes = summary["themes"]
    assert themes["drought"]["assessed"] is False and themes["drought"]["reason"] == "stresstest.reason.no_groundwater"
    assert themes["flood"]["reason"] == "stresstest.reason.no_flood_scenario"
    assert themes["pluvial"]["assessed"] and themes["heat"]["assessed"]
    assert "soil" not in summary["inputs"] and "ghg" not in summary["inputs"]
    # the counts table holds the theme products' numbers in each theme's reference scenario
    tables = {t["id"]: t for t in json.loads((product / "tables.json").read_text(encoding="utf-8"))["tables"]}
    counts = tables["stresstest_counts"]
    assert all(t == "stresstest" for t in (counts["theme"], tables["stresstest_themes"]["theme"]))
    pluvial = _indicators(out / "products" / "urgency.pluvial", themes["pluvial"]["scenario"])
    heat = _indicators(out / "products" / "urgency.heat", themes["heat"]["scenario"])
    assert counts["total"][1] == pluvial[("", "buildings_above_floor_t100")]
    assert counts["total"][2] == pytest.approx(pluvial[("", "road_km_no_traffic_t100")])
    assert counts["total"][4] == pytest.approx(heat[("", "residents_pet_extreme")])
    assert counts["total"][3] is None and counts["total"][6] is None  # flood and drought not assessed
    names = [row[0] for row in counts["rows"]]
    assert len(names) == 12 and "Binnenstad" in names
    binnenstad = counts["rows"][names.index("Binnenstad")]
    assert binnenstad[5] == pytest.approx(heat[("BU09990000", "over65_pet_extreme")])
    # the focus areas are the three neighbourhoods with the most residents in extreme heat
    ranked = sorted(((v, c) for (c, ind), v in heat.items() if ind == "residents_pet_extreme" and c and v > 0),
                    reverse=True)
    assert ranked and [f["code"] for f in themes["heat"]["focus"]] == [c for _, c in ranked[:3]]
    # the map and its files
    maps = json.loads((product / "maps.json").read_text(encoding="utf-8"))["maps"]
    assert maps[0]["theme"] == "stresstest" and (product / "focus.gpkg").exists()
    with rasterio.open(product / "severity_max.tif") as ds:
        assert set(np.unique(ds.read(1))) <= {0, 1, 2, 3, 255}


def test_minimal_dossier_marks_the_placeholders(minimal_run):
    out, _ = minimal_run
    toml = (out / "dossier.toml").read_text(encoding="utf-8")
    assert 'soil = "inputs/assumed_soil.gpkg"  # assumed: not given' in toml
    marker = json.loads((out / "stresstest.json").read_text(encoding="utf-8"))
    assert marker["assumed"] == ["soil", "ghg", "glg"] and marker["resolution"] == 40.0
    with rasterio.open(out / "inputs" / "assumed_ghg.tif") as ds:
        assert not ds.read_masks(1).any() and "ALLIANTIE_ASSUMED" in ds.tags()


def test_groundwater_later_assesses_drought_and_reuses_the_rest(minimal_run, demo_inputs):
    out, _ = minimal_run
    i = demo_inputs
    result = _invoke("stresstest", "--dem", str(i / "dem.tif"), "--landuse", str(i / "landuse.tif"),
                     "--buildings", str(i / "buildings.gpkg"), "--neighbourhoods", str(i / "neighbourhoods.gpkg"),
                     "--roads", str(i / "roads.gpkg"), "--ghg", str(i / "ghg.tif"), "--glg", str(i / "glg.tif"),
                     "--resolution", "40", "--out", str(out))
    assert result.exit_code == 0, result.output
    product = out / "products" / "urgency.stresstest"
    summary = json.loads((product / "summary.json").read_text(encoding="utf-8"))
    drought = summary["themes"]["drought"]
    assert drought["assessed"] and drought["light"] in {"low", "moderate", "high"}
    values = _indicators(out / "products" / "urgency.drought", drought["scenario"])
    counts = {t["id"]: t for t in json.loads((product / "tables.json").read_text())["tables"]}["stresstest_counts"]
    assert counts["total"][6] == values[("", "buildings_foundation_risk")]
    assert _pages(out / "stresstest.pdf") == 1
    assert json.loads((out / "stresstest.json").read_text())["assumed"] == ["soil"]


# --- errors a planner understands ----------------------------------------------------------------------------------

def test_dem_without_crs_exits_3_with_a_clear_message(tmp_path, demo_inputs):
    dem = tmp_path / "dem_nocrs.tif"
    with rasterio.open(dem, "w", driver="GTiff", width=10, height=10, count=1, dtype="float32",
                       transform=from_origin(150000, 465000, 10, 10)) as ds:
        ds.write(np.ones((1, 10, 10), np.float32))
    i = demo_inputs
    result = _invoke("stresstest", "--dem", str(dem), "--landuse", str(i / "landuse.tif"),
                     "--buildings", str(i / "buildings.gpkg"), "--out", str(tmp_path / "out"))
    assert result.exit_code == 3, result.output
    assert "no coordinate reference system" in result.output and "dem_nocrs.tif" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out" / "dossier.toml").exists()


def test_ghg_without_glg_and_a_foreign_dossier_are_refused(tmp_path, demo_inputs):
    i = demo_inputs
    base = ["stresstest", "--dem", str(i / "dem.tif"), "--landuse", str(i / "landuse.tif"),
            "--buildings", str(i / "buildings.gpkg")]
    result = _invoke(*base, "--ghg", str(i / "ghg.tif"), "--out", str(tmp_path / "a"))
    assert result.exit_code == 2 and "--glg" in result.output
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "dossier.toml").write_text('name = "mine"\n')
    result = _invoke(*base, "--out", str(tmp_path / "b"))
    assert result.exit_code == 2 and "empty folder" in result.output
