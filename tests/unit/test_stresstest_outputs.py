"""The stresstest-light's summary.json (typed, same JSON as before), its verdict tables and its one-page PDF."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from pydantic import ValidationError

from alliantie.contract.spec import Text
from alliantie.contract.stresstest import (
    Light,
    StresstestSummary,
    ThemeVerdict,
    read_stresstest_summary,
    write_stresstest_summary,
)
from alliantie.contract.theme import IndicatorValue, ThemeSummary
from alliantie.knowledge import load_knowledge
from alliantie.method.stresstest.damage_ranges import DamageRow, DamageSummary
from alliantie.method.stresstest.outputs import count_rows, damage_text, summary, theme_table
from alliantie.method.stresstest.page import build_pdf
from alliantie.method.stresstest.rules import StresstestKnowledge
from alliantie.method.stresstest.verdict import Stresstest, ThemeData, build

KNOWLEDGE = StresstestKnowledge.from_toml(load_knowledge("stresstest"))

NOT_ASSESSED = {
    "assessed": False, "reason": "stresstest.reason.no_groundwater", "indicator": None, "scenario": None,
    "share_moderate_high": None, "key_current": None, "key_reference": None, "light": None, "focus": [],
    "detail": [], "sentence": {"nl": "niet beoordeeld", "en": "not assessed"},
}
#: The layout of summary.json as the product wrote it before the typed model (a shortened demo file).
SUMMARY = {
    "name": "Vallei en Eem (demo)",
    "themes": {
        "flood": {**NOT_ASSESSED, "reason": "stresstest.reason.no_flood_scenario"},
        "pluvial": {
            "assessed": True, "reason": None, "indicator": "buildings_above_floor_t100", "scenario": "Hd2050",
            "share_moderate_high": 2.3771414082185702e-05, "key_current": 5.0, "key_reference": 6.0,
            "light": "moderate",
            "focus": [{"code": "BU09990001", "name": "Singelkwartier", "value": 5.0}],
            "detail": [{"indicator": "buildings_above_floor_t100", "minimum": 5.0,
                        "places": [{"code": "BU09990001", "name": "Singelkwartier", "value": 5.0}]}],
            "sentence": {"nl": "Een gedetailleerde stresstest is nodig", "en": "A detailed stress test is needed"},
        },
        "drought": NOT_ASSESSED,
        "heat": {**NOT_ASSESSED, "reason": "stresstest.reason.not_computed"},
    },
    "notes": [{"nl": "bodem aangenomen", "en": "soil assumed"}],
    "damage": {"price_year": 2024, "rows": [
        {"theme": "flood", "status": "valued", "total": [4.77, 4.99], "extra": [0.0, 0.0]},
        {"theme": "heat", "status": "no_data", "total": None, "extra": None}]},
    "inputs": ["dem", "landuse", "buildings"],
}


def test_summary_round_trip_keeps_the_file(tmp_path: Path) -> None:
    (tmp_path / "summary.json").write_text(json.dumps(SUMMARY, ensure_ascii=False), encoding="utf-8")
    read = read_stresstest_summary(tmp_path)
    assert read is not None and read.themes["pluvial"].light is Light.MODERATE
    assert [t for t, v in read.themes.items() if v.assessed] == ["pluvial"]
    out = tmp_path / "again"
    out.mkdir()
    write_stresstest_summary(out, read)
    assert json.loads((out / "summary.json").read_text(encoding="utf-8")) == SUMMARY
    assert read_stresstest_summary(tmp_path / "absent") is None


def test_summary_keeps_nan_and_refuses_unknown_fields(tmp_path: Path) -> None:
    verdict = ThemeVerdict.model_validate({**NOT_ASSESSED, "key_current": math.nan})
    model = StresstestSummary(name="x", themes={"heat": verdict}, notes=[], damage=None, inputs=[])
    write_stresstest_summary(tmp_path, model)
    assert "NaN" in (tmp_path / "summary.json").read_text(encoding="utf-8")  # as json.dumps wrote it
    again = read_stresstest_summary(tmp_path)
    assert again is not None and math.isnan(again.themes["heat"].key_current or 0.0)
    with pytest.raises(ValidationError):
        ThemeVerdict.model_validate({**NOT_ASSESSED, "colour": "red"})
    with pytest.raises(ValidationError):
        ThemeVerdict.model_validate({**NOT_ASSESSED, "light": "purple"})


def _result() -> Stresstest:
    theme = ThemeSummary(theme="pluvial", title=Text(nl="W", en="P"), scenarios=["current", "Hd2050"],
                         classes={k: Text(nl=k, en=k) for k in "123"})
    values = [IndicatorValue(s, code, name, ind, v)
              for s, factor in (("current", 0.0), ("Hd2050", 1.0))
              for code, name, count in (("A", "Aa", 7.0), ("B", "Bee", 1.0), ("", "", 8.0))
              for ind, v in (("buildings_above_floor_t100", factor * count), ("road_km_no_traffic_t100", 0.25))]
    result = build("X", {"pluvial": ThemeData(theme, values, None), "drought": "stresstest.reason.no_groundwater"},
                   KNOWLEDGE, [("A", "Aa"), ("B", "Bee")])
    return result


def test_summary_from_the_verdict() -> None:
    result = _result()
    model = summary(result)
    data = json.loads(model.model_dump_json())
    assert list(data["themes"]) == ["flood", "pluvial", "drought", "heat"]
    pluvial = data["themes"]["pluvial"]
    assert pluvial["scenario"] == "Hd2050" and pluvial["key_reference"] == 8.0 and pluvial["key_current"] == 0.0
    assert pluvial["light"] == "moderate" and pluvial["share_moderate_high"] is None
    assert pluvial["focus"] == [{"code": "A", "name": "Aa", "value": 7.0}, {"code": "B", "name": "Bee", "value": 1.0}]
    assert pluvial["detail"] == [{"indicator": "buildings_above_floor_t100", "minimum": 3.5,
                                  "places": [{"code": "A", "name": "Aa", "value": 7.0}]},
                                 {"indicator": "road_km_no_traffic_t100", "minimum": 0.125,  # half of A's 0.25 km
                                  "places": [{"code": "A", "name": "Aa", "value": 0.25},
                                             {"code": "B", "name": "Bee", "value": 0.25}]}]
    assert data["themes"]["drought"]["reason"] == "stresstest.reason.no_groundwater"
    assert data["themes"]["drought"]["scenario"] is None and data["themes"]["drought"]["indicator"] is None
    assert data["damage"] is None and data["name"] == "X"


def test_tables_and_damage_cells() -> None:
    result = _result()
    rows, total = count_rows(result)
    assert rows[0][:2] == [7.0, 0.25] and total[0] == 8.0 and total[2] is None  # flood not assessed
    table = theme_table(result)
    assert [len(r) for r in table.rows] == [8] * 4 and table.rows[1][-1] is None  # no damage product
    result.damage = DamageSummary(
        price_year=2024, rate=0.0225, start_year=2025, horizon_year=2050,
        rows=[DamageRow("pluvial", Text(nl="W", en="P"), "valued", total=(24079.7, 507.84))])
    cell = damage_text(result, "pluvial")
    assert cell is not None and cell.en == "€\u00a024,000 – €\u00a0508"
    assert damage_text(result, "heat") is None


def test_the_page_is_one_pdf_page_without_map_or_damage(tmp_path: Path) -> None:
    result = _result()
    target = build_pdf(result, None, tmp_path / "stresstest.pdf", "nl")
    data = target.read_bytes()
    assert data.startswith(b"%PDF") and data.count(b"/Type /Page") - data.count(b"/Type /Pages") == 1
    assert b"DejaVuSans" in data  # the kit's fonts, embedded
