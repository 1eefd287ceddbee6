"""Vector inputs checked against the input table: geometry family, columns, numbers and ranges (issue 15).

Each case of the reliability review (13, 13b, 13d, 15, 15b, 16, 17a, 17b, 17c) through ``alliantie check``
(exit code 3, the file and the column named) and through the run's reader (``RunCache.vector``), and the
small demo's inputs, which must pass unchanged.
"""

from __future__ import annotations

import logging
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from click.testing import CliRunner
from shapely.geometry import box

from alliantie.cli.main import cli
from alliantie.demo.make import make_demo
from alliantie.dossier import load_dossier, run_dossier
from alliantie.dossier.config import input_specs
from alliantie.dossier.registry import RunCache
from alliantie.dossier.vector_checks import check_vector
from alliantie.errors import InputDataError
from alliantie.i18n import use_language
from alliantie.io.vector import write_vector
from alliantie.testing import small_grid, write_minimal_dossier


def _check(toml: Path):
    return CliRunner().invoke(cli, ["--lang", "en", "check", str(toml)])


def _cells(n: int) -> list:
    xmin, ymin, xmax, _ymax = small_grid().bounds
    step = (xmax - xmin) / (2 * n)
    return [box(xmin + 2 * i * step, ymin + 10, xmin + (2 * i + 1) * step, ymin + 60) for i in range(n)]


def _buildings(n: int = 6) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"id": range(1, n + 1), "year": [1930 + 10 * i for i in range(n)], "height_m": [6.0] * n,
         "function": ["residential"] * n, "floor_level_m": [9.0] * n, "foundation": ["shallow"] * n},
        geometry=_cells(n), crs=small_grid().crs,
    )


def _hoods(n: int = 3) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"code": [f"BU{i}" for i in range(n)], "name": [f"Buurt {i}" for i in range(n)],
         "residents": [100 * (i + 1) for i in range(n)], "share_65plus": [0.2] * n},
        geometry=_cells(n), crs=small_grid().crs,
    )


def _dossier(tmp_path: Path, *, buildings: gpd.GeoDataFrame | None = None,
             hoods: gpd.GeoDataFrame | None = None) -> Path:
    toml = write_minimal_dossier(tmp_path / "d")
    lines = []
    if buildings is not None:
        write_vector(toml.parent / "inputs" / "buildings.gpkg", buildings, layer="buildings")
        lines.append('buildings = { path = "inputs/buildings.gpkg", layer = "buildings" }')
    if hoods is not None:
        write_vector(toml.parent / "inputs" / "neighbourhoods.gpkg", hoods, layer="neighbourhoods")
        lines.append('neighbourhoods = { path = "inputs/neighbourhoods.gpkg", layer = "neighbourhoods" }')
    toml.write_text(toml.read_text().replace("[inputs]\n", "[inputs]\n" + "".join(f"{x}\n" for x in lines)))
    return toml


def _refused(toml: Path, *words: str) -> str:
    result = _check(toml)
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output
    for word in words:
        assert word in result.output, (word, result.output)
    return result.output


def _warnings(caplog: pytest.LogCaptureFixture, text: str) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING and text in r.getMessage()]


def test_valid_buildings_and_neighbourhoods_pass(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    toml = _dossier(tmp_path, buildings=_buildings(), hoods=_hoods())
    with caplog.at_level(logging.WARNING):
        result = _check(toml)
    assert result.exit_code == 0, result.output
    assert "buildings: 6 features" in result.output and "neighbourhoods: 3 features" in result.output
    assert not [r for r in caplog.records if r.name == "alliantie.dossier.vector_checks"]


def test_buildings_as_points_are_refused(tmp_path: Path) -> None:  # review case 16
    points = _buildings()
    points["geometry"] = points.geometry.centroid
    toml = _dossier(tmp_path, buildings=points)
    _refused(toml, "buildings.gpkg", "Point: 6", "polygons")
    with pytest.raises(InputDataError, match="Point: 6"):
        RunCache(load_dossier(toml)).vector("buildings")


def test_buildings_without_columns_warn_once_with_the_defaults(tmp_path: Path,
                                                               caplog: pytest.LogCaptureFixture) -> None:  # 13
    toml = _dossier(tmp_path, buildings=_buildings()[["geometry"]])
    with caplog.at_level(logging.WARNING):
        result = _check(toml)
    assert result.exit_code == 0, result.output
    found = _warnings(caplog, "buildings.gpkg")
    assert len(found) == 1
    assert "floor_level_m" in found[0] and "function" in found[0] and "default floor height" in found[0]
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        cache = RunCache(load_dossier(toml))
        cache.vector("buildings")
        cache.vector("buildings")  # read once per run: warned once
    assert len(_warnings(caplog, "buildings.gpkg")) == 1


def test_soil_without_soil_class_is_refused_by_check_and_run(tmp_path: Path) -> None:  # 13b
    toml = write_minimal_dossier(tmp_path / "d")
    soil = gpd.read_file(toml.parent / "inputs" / "soil.gpkg").rename(columns={"soil_class": "bodem"})
    write_vector(toml.parent / "inputs" / "soil.gpkg", soil, layer="soil")
    _refused(toml, "soil.gpkg", "'soil_class'", "Present: bodem")
    result = CliRunner().invoke(cli, ["--lang", "en", "run", str(toml), "--product", "baseinfo.soil"])
    assert result.exit_code == 3, result.output
    assert "soil.gpkg" in result.output and "Present: bodem" in result.output


def test_soil_with_geometry_only_says_so(tmp_path: Path) -> None:
    toml = write_minimal_dossier(tmp_path / "d")
    soil = gpd.read_file(toml.parent / "inputs" / "soil.gpkg")[["geometry"]]
    write_vector(toml.parent / "inputs" / "soil.gpkg", soil, layer="soil")
    output = _refused(toml, "soil.gpkg", "'soil_class'", "geometry only")
    assert "Present: ." not in output


def test_neighbourhoods_without_residents_warn(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:  # 13d
    toml = _dossier(tmp_path, hoods=_hoods().drop(columns="residents"))
    with caplog.at_level(logging.WARNING):
        result = _check(toml)
    assert result.exit_code == 0, result.output
    found = _warnings(caplog, "neighbourhoods.gpkg")
    assert len(found) == 1 and "residents" in found[0] and "0 residents" in found[0]


def test_null_geometries_are_dropped_and_counted(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:  # 15
    frame = _buildings(10)
    frame.loc[[1, 4, 7], "geometry"] = None
    toml = _dossier(tmp_path, buildings=frame)
    with caplog.at_level(logging.WARNING):
        result = _check(toml)
    assert result.exit_code == 0, result.output
    assert "buildings: 7 features" in result.output
    found = _warnings(caplog, "have no geometry")
    assert len(found) == 1 and "3 of the 10" in found[0] and "buildings.gpkg" in found[0]


def test_only_null_geometries_are_refused(tmp_path: Path) -> None:  # 15b
    frame = _buildings(4)
    frame["geometry"] = None
    frame = frame.set_geometry("geometry", crs=small_grid().crs)
    toml = _dossier(tmp_path, buildings=frame)
    _refused(toml, "buildings.gpkg", "none of the 4 features")


def test_negative_residents_are_refused(tmp_path: Path) -> None:  # 17a
    hoods = _hoods()
    hoods.loc[1, "residents"] = -50
    toml = _dossier(tmp_path, hoods=hoods)
    _refused(toml, "neighbourhoods.gpkg", "'residents'", "at least 0", "(row: value): 2: -50")
    with pytest.raises(InputDataError, match=r"residents.* 2: -50"):
        RunCache(load_dossier(toml)).vector("neighbourhoods")


def test_residents_as_text_are_refused(tmp_path: Path) -> None:  # 17b
    hoods = _hoods()
    hoods["residents"] = ["100", "veel", "1.234"]
    toml = _dossier(tmp_path, hoods=hoods)
    _refused(toml, "neighbourhoods.gpkg", "'residents'", "numbers", "'veel'")


def test_residents_as_text_stop_the_run_before_any_product_naming_file_and_column(tmp_path: Path) -> None:
    hoods = _hoods()
    hoods["residents"] = ["100", "veel", "300"]
    toml = _dossier(tmp_path, hoods=hoods)
    with pytest.raises(InputDataError) as caught:
        run_dossier(load_dossier(toml), products=["urgency.heat"])
    text = caught.value.message("en")
    assert "neighbourhoods.gpkg" in text and "'residents'" in text and "2: 'veel'" in text


def test_share_65plus_as_percent_is_refused_with_a_hint(tmp_path: Path) -> None:  # 17c
    hoods = _hoods()
    hoods["share_65plus"] = [25.0, 0.2, 0.3]
    toml = _dossier(tmp_path, hoods=hoods)
    _refused(toml, "neighbourhoods.gpkg", "'share_65plus'", "a fraction 0-1", "25 looks like a percent",
             "write 0.25")


def test_messages_in_dutch_name_file_and_column() -> None:
    hoods = _hoods()
    hoods["share_65plus"] = [25.0, 0.2, 0.3]
    with pytest.raises(InputDataError) as caught:
        check_vector(hoods, "buurten.gpkg", spec=input_specs()["neighbourhoods"])
    with use_language("nl"):
        text = str(caught.value)
    assert "buurten.gpkg" in text and "share_65plus" in text and "fractie 0-1" in text and "schrijf 0.25" in text


def test_empty_numbers_are_allowed() -> None:
    hoods = _hoods()
    hoods["residents"] = pd.array([100, None, 300], dtype="Int64")
    out = check_vector(hoods, "h.gpkg", spec=input_specs()["neighbourhoods"])
    assert len(out) == 3


def test_the_small_demos_inputs_pass_unchanged(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    folder = tmp_path / "demo"
    make_demo(folder, size="small", seed=7)
    dossier = load_dossier(folder / "dossier.toml")
    with caplog.at_level(logging.WARNING):
        for name, spec in input_specs().items():
            ref = dossier.input_file(name)
            if spec.kind != "vector" or ref is None:
                continue
            frame = gpd.read_file(ref.path, layer=ref.layer)
            checked = check_vector(frame, ref.path, spec=spec)
            pd.testing.assert_frame_equal(pd.DataFrame(checked), pd.DataFrame(frame))
    assert not [r for r in caplog.records if r.name == "alliantie.dossier.vector_checks"]
