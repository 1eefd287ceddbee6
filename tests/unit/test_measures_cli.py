"""``alliantie measures``: the catalogue as a table or as JSON, filtered by theme and level."""

from __future__ import annotations

import json

from click.testing import CliRunner

from alliantie.cli.main import cli
from alliantie.knowledge.measures import MeasureCatalogue


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_the_table_lists_every_measure_in_the_chosen_language() -> None:
    catalogue = MeasureCatalogue.load()
    code, out = _run("--lang", "en", "measures")
    assert code == 0
    assert f"Measure catalogue: {len(catalogue.measures)} measures" in out
    for m in catalogue.measures:
        assert m.id in out
    assert "Rain garden" in out and "EUR 128/m2" in out and "EUR 11.3 M/km" in out
    code, out = _run("measures", "--lang", "nl", "--theme", "heat")
    assert code == 0 and "Regentuin" in out and "Maatregelencatalogus" in out and "hitte" in out


def test_json_holds_every_field_and_each_number_with_unit_and_source() -> None:
    code, out = _run("measures", "--format", "json")
    assert code == 0
    records = json.loads(out)
    assert len(records) == len(MeasureCatalogue.load().measures)
    wadi = next(r for r in records if r["id"] == "wadi")
    for key in ("id", "name", "themes", "levels", "geometry", "principles", "group", "investment", "maintenance",
                "lifetime", "effect"):
        assert key in wadi
    assert wadi["name"] == {"nl": "Wadi", "en": "Wadi (bioswale)"}
    storage = wadi["effect"]["storage_mm"]
    assert storage == {"value": 300.0, "unit": "mm", "source": storage["source"], "estimate": False}
    assert "BijE" in storage["source"]
    assert wadi["investment"]["unit"] == "EUR/m2" and wadi["investment"]["mean"] == 75.0
    for record in records:
        for name, number in record["effect"].items():
            if name in ("cool_place", "not_modelled"):
                continue
            assert set(number) == {"value", "unit", "source", "estimate"}
        assert set(record["lifetime"]) == {"value", "unit", "source", "estimate"}
    escape = next(r for r in records if r["id"] == "escape_routes")
    assert escape["effect"]["not_modelled"]["en"] and escape["default_width_m"]["unit"] == "m"


def test_filters_select_theme_and_level() -> None:
    code, out = _run("measures", "--format", "json", "--theme", "drought", "--level", "region")
    assert code == 0
    records = json.loads(out)
    assert records and all("drought" in r["themes"] and "region" in r["levels"] for r in records)
    ids = {r["id"] for r in records}
    assert "submerged_drainage" in ids and "green_roof" not in ids
    code, out = _run("measures", "--format", "json", "--theme", "flood", "--level", "neighbourhood")
    assert {r["id"] for r in json.loads(out)} == {"thresholds", "floodproofing"}


def test_an_unknown_theme_or_level_is_a_clear_error_not_a_traceback() -> None:
    result = CliRunner().invoke(cli, ["measures", "--theme", "tsunami"])
    assert result.exit_code == 2
    assert "Invalid value for '--theme'" in result.output and "flood" in result.output
    assert "Traceback" not in result.output
    result = CliRunner().invoke(cli, ["measures", "--level", "planet"])
    assert result.exit_code == 2 and "'--level'" in result.output


def test_help_names_the_options() -> None:
    code, out = _run("measures", "--help")
    assert code == 0 and "--theme" in out and "--format" in out
