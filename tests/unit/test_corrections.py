"""Expert corrections: validation, the actions, date order, supersession, history and the demo layer."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely

from alliantie.contract import corrections as cc
from alliantie.contract.theme import SEVERITY_NODATA
from alliantie.demo.corrections import corrections_frame, write_corrections
from alliantie.demo.layout import SIZES, Frame
from alliantie.errors import InputDataError
from alliantie.grid import RD_NEW, Grid
from alliantie.io.vector import write_vector
from alliantie.method.urgency.vulnerability import corrections as cr

SCENARIOS = ["current", "Ld2050", "Hd2050"]
# 10 x 10 cells of 10 m
GRID = Grid.from_bounds((0.0, 0.0, 100.0, 100.0), 10.0, RD_NEW)


def _frame(rows: list[dict[str, object]], geoms: list[shapely.Geometry] | None = None) -> gpd.GeoDataFrame:
    geoms = geoms or [shapely.box(0, 0, 50, 50)] * len(rows)
    return gpd.GeoDataFrame(rows, geometry=geoms, crs=RD_NEW)


def _row(**kw: object) -> dict[str, object]:
    base: dict[str, object] = {"theme": "pluvial", "action": "raise", "reason": "seen in 2024", "author": "A",
                               "date": "2026-01-01"}
    base.update(kw)
    return base


def _correction(row: int, theme: str, action: str, date: str, geom: shapely.Geometry, level: int | None = None,
                scenario: str | None = None) -> cc.Correction:
    return cc.Correction(row=row, theme=theme, action=action, reason="r", author="a",
                         date=dt.date.fromisoformat(date), geometry=geom, level=level, scenario=scenario)


def test_validate_accepts_good_rows_and_sorts_by_date() -> None:
    frame = _frame([_row(date="2026-03-01"), _row(theme="ALL", action="Remove", date=dt.date(2025, 5, 4),
                                                  level=None, scenario="Hd2050")])
    got = cc.validate_corrections(frame, path="c.gpkg", scenario_ids=SCENARIOS)
    assert [c.row for c in got] == [2, 1]  # the 2025 row first
    assert got[0].theme == "all" and got[0].action == "remove" and got[0].scenario == "Hd2050"
    assert got[0].themes == ("flood", "pluvial", "drought", "heat")
    assert got[1].date == dt.date(2026, 3, 1) and got[1].level is None


def test_validate_collects_every_problem_with_file_and_row() -> None:
    frame = _frame([
        _row(),
        _row(theme="storm"),
        _row(action="double"),
        _row(reason="  ", author=None),
        _row(date="14-03-2026"),
        _row(level=5),
        _row(scenario="Xx2200"),
    ])
    with pytest.raises(InputDataError) as err:
        cc.validate_corrections(frame, path="/d/corrections.gpkg", scenario_ids=SCENARIOS)
    message = err.value.message("en")
    assert message.startswith("/d/corrections.gpkg: 7 problem(s)")
    for expected in ("row 2: unknown effect 'storm'", "row 3: unknown action 'double'",
                     "row 4: column reason is empty", "row 4: column author is empty",
                     "row 5: '14-03-2026' is not a date", "row 6: level '5' must be a class",
                     "row 7: unknown scenario 'Xx2200'"):
        assert expected in message
    assert "row 1" not in message
    assert "rij 2: onbekend effect 'storm'" in err.value.message("nl")


def test_validate_names_missing_columns() -> None:
    frame = gpd.GeoDataFrame({"theme": ["heat"], "action": ["remove"]}, geometry=[shapely.box(0, 0, 1, 1)],
                             crs=RD_NEW)
    with pytest.raises(InputDataError) as err:
        cc.validate_corrections(frame, path="c.gpkg", scenario_ids=SCENARIOS)
    assert err.value.key == "errors.vector_columns"
    assert "reason, author, date" in err.value.message("en")


def test_validate_refuses_lines() -> None:
    frame = _frame([_row()], [shapely.LineString([(0, 0), (10, 10)])])
    with pytest.raises(InputDataError, match="row 1: the geometry \\(LineString\\) is not an area"):
        cc.validate_corrections(frame, path="c.gpkg", scenario_ids=SCENARIOS)


@pytest.mark.parametrize(("action", "level", "expected"), [
    ("raise", None, [1, 2, 3, 3]),
    ("raise", 2, [2, 2, 2, 2]),  # a level sets the level
    ("lower", None, [0, 0, 1, 2]),
    ("lower", 1, [1, 1, 1, 1]),
    ("confirm", None, [0, 1, 2, 3]),
    ("confirm", 2, [2, 2, 2, 2]),
    ("remove", None, [0, 0, 0, 0]),
    ("remove", 3, [0, 0, 0, 0]),
])
def test_apply_action(action: str, level: int | None, expected: list[int]) -> None:
    computed = np.array([0, 1, 2, 3], dtype=np.uint8)
    assert cr.apply_action(computed, action, level).tolist() == expected


def _stack(value: int = 1) -> np.ndarray:
    return np.full((4, *GRID.shape), value, dtype=np.uint8)


def test_later_correction_supersedes_and_works_on_the_computed_classes() -> None:
    west = shapely.box(0, 0, 60, 100)  # columns 0-5
    east = shapely.box(30, 0, 100, 100)  # columns 3-9
    cs = [_correction(1, "pluvial", "raise", "2025-01-01", west),
          _correction(2, "pluvial", "lower", "2026-01-01", east)]
    masks = cr.correction_masks(cs, GRID)
    effects = {c.row: cr.CorrectionEffect() for c in cs}
    out = cr.apply_corrections(_stack(1), cs, masks, "current", effects)
    pluvial = out.stack[1]
    assert (pluvial[:, :3] == 2).all()  # raised
    assert (pluvial[:, 3:] == 0).all()  # lowered from the computed 1, not from the raised 2
    assert (out.stack[[0, 2, 3]] == 1).all()  # other themes untouched
    assert out.checked.all()
    assert effects[1].status == cr.PARTLY_SUPERSEDED and effects[1].superseded_by == {2}
    assert effects[1].covered_cells == 60 and effects[1].owned_cells == 30
    assert effects[1].transitions == {(1, 2): 30}
    assert effects[2].status == cr.ACTIVE and effects[2].transitions == {(1, 0): 70}
    assert effects[2].changed_cells == 70


def test_date_order_not_file_order_decides() -> None:
    box = shapely.box(0, 0, 100, 100)
    # row 1 is the later correction: it wins although it comes first in the file
    cs = [_correction(2, "heat", "remove", "2025-06-01", box), _correction(1, "heat", "raise", "2026-06-01", box)]
    effects = {c.row: cr.CorrectionEffect() for c in cs}
    out = cr.apply_corrections(_stack(1), cs, cr.correction_masks(cs, GRID), "current", effects)
    assert (out.stack[3] == 2).all()
    assert effects[2].status == cr.SUPERSEDED and effects[2].superseded_by == {1}


def test_all_themes_scenario_only_and_outside_the_area() -> None:
    box = shapely.box(0, 0, 20, 20)  # 4 cells
    cs = [_correction(1, "all", "remove", "2025-01-01", box, scenario="Hd2050"),
          _correction(2, "drought", "confirm", "2025-02-01", shapely.box(500, 500, 600, 600))]
    masks = cr.correction_masks(cs, GRID)
    effects = {c.row: cr.CorrectionEffect() for c in cs}
    today = cr.apply_corrections(_stack(2), cs, masks, "current", effects)
    assert (today.stack == 2).all() and not today.checked.any()
    future = cr.apply_corrections(_stack(2), cs, masks, "Hd2050", effects)
    assert int((future.stack == 0).sum()) == 4 * 4
    assert effects[1].transitions == {(2, 0): 16}  # counted in its own scenario, four themes
    assert effects[2].status == cr.OUTSIDE


def test_cells_outside_the_area_are_never_changed() -> None:
    stack = _stack(1)
    stack[:, :, :5] = SEVERITY_NODATA
    cs = [_correction(1, "flood", "raise", "2025-01-01", shapely.box(0, 0, 100, 100))]
    out = cr.apply_corrections(stack, cs, cr.correction_masks(cs, GRID), "current")
    assert (out.stack[0, :, :5] == SEVERITY_NODATA).all() and (out.stack[0, :, 5:] == 2).all()


def test_transitions_text() -> None:
    text = cr.transitions_text({(2, 3): 40, (1, 2): 10, (3, 3): 99}, 100.0)
    assert text == "2→3: 0.40 ha; 1→2: 0.10 ha"
    assert cr.transitions_text({(2, 3): 40}, 100.0, decimal=",") == "2→3: 0,40 ha"
    assert cr.transitions_text({}, 100.0) == ""


def test_read_file_repairs_a_bowtie_and_reports_rows(tmp_path: Path) -> None:
    bowtie = shapely.Polygon([(0, 0), (50, 50), (50, 0), (0, 50)])  # self-intersecting
    assert not bowtie.is_valid
    frame = _frame([_row(), _row(action="lower")], [bowtie, shapely.box(0, 0, 30, 30)])
    path = write_vector(tmp_path / "c.gpkg", frame, layer="corrections")
    got = cc.read_corrections_file(path, layer="corrections", target_crs=RD_NEW, scenario_ids=SCENARIOS)
    assert [c.row for c in got] == [1, 2]
    assert got[0].geometry.is_valid and got[0].geometry.area == pytest.approx(1250.0)
    bad = _frame([_row(), _row(author="")])
    path = write_vector(tmp_path / "bad.gpkg", bad, layer="corrections")
    with pytest.raises(InputDataError, match="row 2: column author is empty"):
        cc.read_corrections_file(path, layer="corrections", target_crs=RD_NEW, scenario_ids=SCENARIOS)
    with pytest.raises(InputDataError, match="does not exist"):
        cc.read_corrections_file(tmp_path / "none.gpkg", layer=None, target_crs=RD_NEW, scenario_ids=SCENARIOS)


@pytest.mark.parametrize("size", ["small", "default"])
def test_demo_corrections_are_valid_and_inside_the_demo(size: str, tmp_path: Path) -> None:
    frame = Frame(SIZES[size])
    demo = corrections_frame(frame)
    assert 2 <= len(demo) <= 5
    got = cc.validate_corrections(demo, path="demo", scenario_ids=SCENARIOS)
    assert {c.action for c in got} == {"raise", "remove", "confirm", "lower"}
    extent = shapely.box(*frame.grid.bounds)
    assert all(extent.contains(c.geometry) and c.geometry.area > 4 * frame.grid.cell_area for c in got)
    # the sewer engineer's correction lies inside the water board's: it supersedes part of it
    first, last = got[0], got[-1]
    assert first.theme == last.theme == "pluvial" and first.geometry.intersection(last.geometry).area > 0
    path = write_corrections(tmp_path / "corrections.gpkg", "small" if size == "small" else "default")
    again = cc.read_corrections_file(path, layer="corrections", target_crs=RD_NEW, scenario_ids=SCENARIOS)
    assert [c.row for c in again] == [1, 2, 3, 4]


def test_dates_stored_as_dates_in_the_geopackage(tmp_path: Path) -> None:
    frame = _frame([_row(), _row(theme="heat")])
    frame["date"] = np.array(["2026-03-14", "2025-12-01"], dtype="datetime64[ns]")
    path = write_vector(tmp_path / "dates.gpkg", frame, layer="corrections")
    got = cc.read_corrections_file(path, layer="corrections", target_crs=RD_NEW, scenario_ids=SCENARIOS)
    assert [(c.row, c.date) for c in got] == [(2, dt.date(2025, 12, 1)), (1, dt.date(2026, 3, 14))]
