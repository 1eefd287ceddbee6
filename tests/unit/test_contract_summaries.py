"""The typed summaries read and write the files their products wrote before (same JSON, field for field)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from alliantie.contract.spec import Text
from alliantie.contract.summaries import (
    FloodCase,
    FloodMode,
    FloodSummary,
    PluvialSummary,
    read_summary,
    write_summary,
)

FLOOD = {
    "mode": "breach", "breach_xy": [154938.7, 464898.9], "entry_xy": [154925.0, 464895.0],
    "cases": [{"scenario": "current", "river_level_m": 0.75, "rise_m": 0.0, "volume_m3": 1894.0,
               "capacity_m3": 1894.0, "volume_limited": False, "max_depth_m": 0.622, "buildings_flooded": 0,
               "buildings_no_dry_floor": 0}],
    "notes": [{"nl": "let op", "en": "note"}],
}


def test_flood_summary_round_trip(tmp_path: Path) -> None:
    (tmp_path / "summary.json").write_text(json.dumps(FLOOD), encoding="utf-8")
    summary = read_summary(tmp_path, FloodSummary)
    assert summary is not None and summary.mode is FloodMode.BREACH and summary.has_flood
    assert summary.notes == [Text(nl="let op", en="note")]
    out = tmp_path / "again"
    out.mkdir()
    write_summary(out, summary)
    assert json.loads((out / "summary.json").read_text(encoding="utf-8")) == FLOOD


def test_no_flood_and_missing_file(tmp_path: Path) -> None:
    assert read_summary(tmp_path, FloodSummary) is None
    none = FloodSummary(mode=FloodMode.NONE, cases=[], notes=[])
    assert not none.has_flood
    write_summary(tmp_path, none)
    assert read_summary(tmp_path, FloodSummary) == none


def test_unknown_fields_and_modes_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValidationError):
        FloodSummary.model_validate({**FLOOD, "mode": "tsunami"})
    with pytest.raises(ValidationError):
        FloodCase.model_validate({**FLOOD["cases"][0], "extra": 1})


def test_pluvial_summary_finds_a_case() -> None:
    case = {"id": "t100_current", "event": "t100", "scenario": "current", "year": None, "delta_t_c": 0.0,
            "rain_mm": 70.0, "label": {"nl": "70 mm", "en": "70 mm"}, "rain_m3": 5.0, "outflow_m3": 4.0,
            "stored_bluespots_m3": 1.0, "buildings_facade": 3, "buildings_above_floor": 1, "seconds": 0.1}
    summary = PluvialSummary.model_validate({"cases": [case], "bluespots": 2, "neighbourhoods": [], "seconds": {}})
    found = summary.case("t100_current")
    assert found is not None and found.buildings_above_floor == 1
    assert summary.case("t1000_current") is None


def test_pluvial_summary_reads_old_timings_and_writes_none(tmp_path: Path) -> None:
    """Computing times made two runs differ: old files with them stay readable, new files leave them out."""
    case = {"id": "t100_current", "event": "t100", "scenario": "current", "year": None, "delta_t_c": 0.0,
            "rain_mm": 70.0, "label": {"nl": "70 mm", "en": "70 mm"}, "rain_m3": 5.0, "outflow_m3": 4.0,
            "stored_bluespots_m3": 1.0, "buildings_facade": 3, "buildings_above_floor": 1}
    old = PluvialSummary.model_validate({"cases": [{**case, "seconds": 0.1}], "bluespots": 2, "neighbourhoods": [],
                                         "seconds": {"fill": 1.5}})
    assert old.seconds == {"fill": 1.5} and old.cases[0].seconds == 0.1
    new = PluvialSummary.model_validate({"cases": [case], "bluespots": 2, "neighbourhoods": []})
    assert new.seconds is None and new.cases[0].seconds is None
    for summary in (old, new):
        write_summary(tmp_path, summary)
        data = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
        assert "seconds" not in data and all("seconds" not in c for c in data["cases"])
