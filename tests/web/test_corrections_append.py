"""Expert corrections from the browser: appended to the corrections layer the pipeline reads, history kept."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import pyogrio
import pytest
import shapely
import shapely.geometry

from alliantie.contract.corrections import read_corrections_file
from alliantie.demo import make_demo
from alliantie.dossier import load_dossier
from alliantie.errors import InputDataError
from alliantie.web.corrections import append_correction

SCENARIOS = ["current", "Ln_2050", "Hd_2050", "Ln_2100", "Hd_2100"]


@pytest.fixture()
def demo(tmp_path):
    return make_demo(tmp_path / "demo", size="small", seed=7)


def _zone(x=154000.0, y=463000.0, size=200.0):
    shape = gpd.GeoSeries([shapely.box(x, y, x + size, y + size)], crs=28992).to_crs(4326).iloc[0]
    return shapely.geometry.mapping(shape)


def _read(path):
    return read_corrections_file(path, layer="corrections", target_crs="EPSG:28992", scenario_ids=SCENARIOS)


def test_appended_row_is_read_by_the_contract_and_older_rows_stay(demo):
    path = load_dossier(demo).root / "inputs" / "corrections.gpkg"
    before = pyogrio.read_dataframe(path)
    result = append_correction(demo, _zone(), theme="pluvial", action="raise", reason="Kelders liepen vol in 2024",
                               author="M. de Wit (waterschap)", date=dt.date(2026, 3, 20), level=3,
                               scenario="current")
    assert result.path == path and result.row == len(before) + 1 and result.configured
    rows = _read(path)
    assert len(rows) == len(before) + 1
    new = next(c for c in rows if c.row == result.row)
    assert (new.theme, new.action, new.level, new.scenario, new.date) == ("pluvial", "raise", 3, "current",
                                                                        dt.date(2026, 3, 20))
    assert new.geometry.area == pytest.approx(200.0 * 200.0, rel=1e-3)
    after = pyogrio.read_dataframe(path)
    old = after.iloc[: len(before)].reset_index(drop=True)
    assert old.drop(columns="geometry").equals(before.drop(columns="geometry"))
    assert old.geometry.geom_equals_exact(before.geometry, tolerance=0.0).all()
    # a second one without level and scenario: every scenario, the date of today
    second = append_correction(demo, _zone(155000.0), theme="all", action="confirm", reason="gezien", author="J")
    assert second.row == result.row + 1
    last = next(c for c in _read(path) if c.row == second.row)
    assert last.level is None and last.scenario is None and last.date == dt.date.today()


def test_bad_values_are_refused_with_the_contracts_messages_and_nothing_written(demo):
    path = load_dossier(demo).root / "inputs" / "corrections.gpkg"
    size = path.stat().st_size
    count = len(pyogrio.read_dataframe(path))
    with pytest.raises(InputDataError) as info:
        append_correction(demo, _zone(), theme="hail", action="raise", reason=" ", author="A", level=5,
                          scenario="Xx_2050")
    text = info.value.message("en")
    for part in ("unknown effect 'hail'", "column reason is empty", "level '5'", "unknown scenario 'Xx_2050'"):
        assert part in text
    assert text.startswith("The correction was not saved") and "QGIS" not in text  # said for the form
    line = {"type": "LineString", "coordinates": [[5.38, 52.15], [5.39, 52.16]]}
    with pytest.raises(InputDataError, match="not an area"):
        append_correction(demo, line, theme="heat", action="lower", reason="r", author="A")
    with pytest.raises(InputDataError):
        append_correction(demo, {"type": "Polygon"}, theme="heat", action="lower", reason="r", author="A")
    assert len(pyogrio.read_dataframe(path)) == count and path.stat().st_size == size


def test_a_dossier_without_corrections_gets_a_new_layer(demo):
    toml = load_dossier(demo).toml_path
    text = toml.read_text(encoding="utf-8")
    toml.write_text("\n".join(line for line in text.splitlines() if not line.startswith("corrections =")) + "\n",
                    encoding="utf-8")
    (toml.parent / "inputs" / "corrections.gpkg").unlink()
    result = append_correction(toml, _zone(), theme="heat", action="remove", reason="park", author="A")
    assert not result.configured and result.row == 1
    assert [c.theme for c in _read(result.path)] == ["heat"]
