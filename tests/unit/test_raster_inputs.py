"""Raster inputs that say what they are (units, datum, code list): converted where read, refused out loud otherwise.

Small synthetic rasters on the minimal dossier (``alliantie.testing.write_minimal_dossier``): a DEM sloping
from 10 m NAP, groundwater 0-3 m below surface, land use LGN 11 and 1.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import numpy as np
import pytest
import rasterio

from alliantie.dossier.config import load_dossier
from alliantie.dossier.input_reading import describe, status
from alliantie.dossier.inspect import check_inputs
from alliantie.dossier.raster_inputs import MAX_UNKNOWN_CODES, read_mapping
from alliantie.dossier.registry import RunCache
from alliantie.errors import ConfigError, InputDataError
from alliantie.grid import Grid
from alliantie.io.raster import read_raster, write_raster
from alliantie.testing import write_minimal_dossier


def _dossier(tmp_path: Path) -> Path:
    return write_minimal_dossier(tmp_path / "d")


def _rewrite(path: Path, array: np.ndarray, *, nodata: float | int | None = None, tags: dict[str, str] | None = None,
             res: float | None = None) -> None:
    """Replace raster ``path`` with ``array`` on its own footprint (optionally at another cell size)."""
    with rasterio.open(path) as ds:
        left, bottom, right, top = ds.bounds
        crs = ds.crs.to_string()
    grid = Grid.from_bounds((left, bottom, right, top), res or (right - left) / array.shape[1])
    assert grid.shape == array.shape, (grid.shape, array.shape)
    write_raster(path, array, Grid(crs, grid.transform, grid.width, grid.height), nodata=nodata, tags=tags)


def _declare(toml: Path, name: str, **declared: str) -> None:
    """Write ``name = { path = ..., key = "value" }`` for an input of the minimal dossier."""
    text = toml.read_text(encoding="utf-8")
    extra = ", ".join(f'{k} = "{v}"' for k, v in declared.items())
    text = re.sub(rf'^{name} = "([^"]+)"$', rf'{name} = {{ path = "\1", {extra} }}', text, flags=re.MULTILINE)
    toml.write_text(text, encoding="utf-8")


def _array(toml: Path, name: str) -> np.ndarray:
    return read_raster(toml.parent / "inputs" / f"{name}.tif").array


def _read(toml: Path, name: str) -> tuple[np.ndarray, dict]:
    cache = RunCache(load_dossier(toml))
    return cache.raster(name).array, cache.door[name]


# ---- units -------------------------------------------------------------------------------------------------

def test_a_dem_in_centimetres_without_a_declaration_is_refused_with_what_to_write(tmp_path: Path) -> None:
    toml = _dossier(tmp_path)
    dem = _array(toml, "dem")
    _rewrite(toml.parent / "inputs" / "dem.tif", np.round(dem * 100).astype(np.int16), nodata=-9999)
    with pytest.raises(InputDataError) as caught:
        check_inputs(load_dossier(toml))
    text = caught.value.message("en")
    assert "dem.tif" in text and "as cm they fit" in text
    assert 'dem = { path = "inputs/dem.tif", units = "cm" }' in text


def test_declared_centimetres_are_converted_to_metres(tmp_path: Path) -> None:
    toml = _dossier(tmp_path)
    dem = _array(toml, "dem")
    _rewrite(toml.parent / "inputs" / "dem.tif", np.round(dem * 100).astype(np.int16), nodata=-9999)
    _declare(toml, "dem", units="cm")
    array, record = _read(toml, "dem")
    assert np.nanmax(np.abs(array - dem)) < 0.006  # whole centimetres, bilinear on the same grid
    assert record["understood"] == {"units": "cm"} and record["converted"] == ["units"]
    assert status(record) == "converted"
    assert any("converted to m" in p for p in describe(record, "en"))


@pytest.mark.parametrize(("unit", "factor"), [("mm", 1000.0), ("dm", 10.0)])
def test_millimetres_and_decimetres_are_converted(tmp_path: Path, unit: str, factor: float) -> None:
    toml = _dossier(tmp_path)
    dem = _array(toml, "dem")
    _rewrite(toml.parent / "inputs" / "dem.tif", (dem * factor).astype(np.float32), nodata=-9999.0)
    _declare(toml, "dem", units=unit)
    array, _record = _read(toml, "dem")
    assert np.allclose(array, dem, atol=1e-3)


def test_an_integer_dem_with_a_median_above_300_is_taken_for_centimetres(tmp_path: Path) -> None:
    """310-340 would be possible as metres (the range goes to 350 m), but not for a whole integer DEM in NL."""
    toml = _dossier(tmp_path)
    dem = _array(toml, "dem")
    _rewrite(toml.parent / "inputs" / "dem.tif", (310 + 3 * dem).astype(np.int16), nodata=-9999)
    with pytest.raises(InputDataError, match=r'units = "cm"'):
        check_inputs(load_dossier(toml))


def test_an_integer_dem_in_the_metre_range_is_read_as_metres_with_a_warning(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    toml = _dossier(tmp_path)
    dem = _array(toml, "dem")
    _rewrite(toml.parent / "inputs" / "dem.tif", np.round(dem).astype(np.int16), nodata=-9999)
    with caplog.at_level(logging.WARNING):
        array, record = _read(toml, "dem")
    assert record["assumed"] == {"units": "m"} and status(record) == "defaulted"
    assert np.nanmax(array) <= 11
    assert any("whole numbers" in r.getMessage() and 'units = "cm"' in r.getMessage() for r in caplog.records)


def test_a_units_tag_in_the_file_is_understood(tmp_path: Path) -> None:
    toml = _dossier(tmp_path)
    dem = _array(toml, "dem")
    _rewrite(toml.parent / "inputs" / "dem.tif", np.round(dem * 100).astype(np.int16), nodata=-9999,
             tags={"units": "cm NAP"})
    array, record = _read(toml, "dem")
    assert np.nanmax(np.abs(array - dem)) < 0.006
    assert record["understood"] == {"units": "cm"} and record["sources"] == {"units": "tag"}
    assert any("from the file's metadata" in p for p in describe(record, "en"))


def test_groundwater_in_centimetres_is_converted(tmp_path: Path) -> None:
    toml = _dossier(tmp_path)
    ghg = _array(toml, "ghg")
    _rewrite(toml.parent / "inputs" / "ghg.tif", (ghg * 100).astype(np.float32), nodata=-9999.0)
    _declare(toml, "ghg", units="cm")
    array, record = _read(toml, "ghg")
    assert np.allclose(array, ghg, atol=1e-4) and record["converted"] == ["units"]


# ---- vertical datum ----------------------------------------------------------------------------------------

def _levels_nap(toml: Path, offset: float = 10.5) -> tuple[np.ndarray, np.ndarray]:
    """GHG as a level in m NAP in a polder below sea level: the DEM lowered by ``offset``, minus the depth."""
    dem, ghg = _array(toml, "dem"), _array(toml, "ghg")
    _rewrite(toml.parent / "inputs" / "dem.tif", (dem - offset).astype(np.float32), nodata=-9999.0)
    _rewrite(toml.parent / "inputs" / "ghg.tif", (dem - offset - ghg).astype(np.float32), nodata=-9999.0)
    return dem - offset, ghg


def test_groundwater_levels_in_m_nap_without_a_declaration_are_refused(tmp_path: Path) -> None:
    toml = _dossier(tmp_path)
    _levels_nap(toml)
    with pytest.raises(InputDataError) as caught:
        check_inputs(load_dossier(toml))
    text = caught.value.message("en")
    assert "ghg.tif" in text and 'ghg = { path = "inputs/ghg.tif", datum = "NAP" }' in text


def test_groundwater_levels_declared_in_m_nap_become_depths_below_the_dem(tmp_path: Path) -> None:
    toml = _dossier(tmp_path)
    _dem, ghg = _levels_nap(toml)
    _declare(toml, "ghg", datum="NAP")
    array, record = _read(toml, "ghg")
    assert np.allclose(array, ghg, atol=1e-4)  # the depths the levels were made from
    assert record["understood"] == {"datum": "NAP"} and "datum" in record["converted"]


def test_depths_below_surface_are_not_taken_for_levels(tmp_path: Path) -> None:
    toml = _dossier(tmp_path)  # depths 0-3 m on a DEM of about 10-2 m NAP: nothing to refuse
    array, record = _read(toml, "ghg")
    assert record["assumed"] == {"units": "m", "datum": "surface"}
    assert np.allclose(array, _array(toml, "ghg"))


def test_declared_surface_datum_skips_the_level_check(tmp_path: Path) -> None:
    toml = _dossier(tmp_path)
    levels = _array(toml, "dem") - 5.0 - _array(toml, "ghg")  # about -3 to 3: possible as depths too
    _levels_nap(toml, offset=5.0)
    assert np.nanmin(levels) > -5
    with pytest.raises(InputDataError, match='datum = "NAP"'):
        check_inputs(load_dossier(toml))
    _declare(toml, "ghg", datum="surface")
    record = _read(toml, "ghg")[1]  # the user says these are depths: read as such
    assert record["understood"] == {"datum": "surface"}


# ---- land-use codes ----------------------------------------------------------------------------------------

def _landuse(toml: Path, codes: np.ndarray, *, dtype: str = "uint16", nodata: int = 0, res: float | None = None
             ) -> None:
    _rewrite(toml.parent / "inputs" / "landuse.tif", codes.astype(dtype), nodata=nodata, res=res)


def _lgn2020_codes(shape: tuple[int, int]) -> np.ndarray:
    """Greenhouses (8), salt water (17), solar-free LGN2020 codes and a shrub class above 255 (323)."""
    codes = np.full(shape, 1, dtype=np.int64)
    codes[:, : shape[1] // 4] = 8
    codes[: shape[0] // 3, :] = 17
    codes[-2:, :] = 323
    return codes


def test_land_use_in_another_code_list_is_refused_and_the_fitting_list_named(tmp_path: Path) -> None:
    toml = _dossier(tmp_path)
    _landuse(toml, _lgn2020_codes(_array(toml, "landuse").shape))
    with pytest.raises(InputDataError) as caught:
        check_inputs(load_dossier(toml))
    text = caught.value.message("en")
    assert 'code list "lgn"' in text and "17 (" in text
    assert 'landuse = { path = "inputs/landuse.tif", codes = "lgn2020" }' in text


def test_a_declared_lgn2020_raster_is_translated_to_lgn_classes(tmp_path: Path) -> None:
    toml = _dossier(tmp_path)
    codes = _lgn2020_codes(_array(toml, "landuse").shape)
    _landuse(toml, codes)
    _declare(toml, "landuse", codes="lgn2020")
    array, record = _read(toml, "landuse")
    assert array.dtype == np.uint8
    assert np.all(array[codes == 17] == 16) and np.all(array[codes == 8] == 26) and np.all(array[codes == 323] == 45)
    assert np.all(array[codes == 1] == 1)
    assert record["understood"] == {"codes": "lgn2020"} and record["converted"] == ["codes"]


def test_a_few_unknown_codes_are_a_warning_and_become_no_data(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    toml = _dossier(tmp_path)
    codes = _array(toml, "landuse").astype(np.int64)
    codes[0, :3] = 99  # 3 of 1200 cells: 0.25 %, below the refusal share
    _landuse(toml, codes, dtype="uint8")
    with caplog.at_level(logging.WARNING):
        array, record = _read(toml, "landuse")
    assert 0 < record["unknown_codes_share"] < MAX_UNKNOWN_CODES
    assert np.all(array[0, :3] == 0) and np.all(array[1:] > 0)
    assert any("99 (" in r.getMessage() and "no data" in r.getMessage() for r in caplog.records)


def test_the_3di_code_list_reads_the_hhnk_codes(tmp_path: Path) -> None:
    toml = _dossier(tmp_path)
    shape = _array(toml, "landuse").shape
    codes = np.full(shape, 157, dtype=np.int64)  # farmland
    codes[:, :5] = 51  # water
    codes[:3, :] = 2  # buildings
    codes[-1, -1] = 0  # no data in that list
    _landuse(toml, codes, dtype="uint8", nodata=255)
    _declare(toml, "landuse", codes="3di")
    array, _record = _read(toml, "landuse")
    assert np.all(array[3:, 5:-1] == 1) and np.all(array[3:, :5] == 16) and np.all(array[:3] == 18)
    assert array[-1, -1] == 0


def test_a_custom_mapping_is_read_and_checked(tmp_path: Path) -> None:
    toml = _dossier(tmp_path)
    shape = _array(toml, "landuse").shape
    codes = np.full(shape, 300, dtype=np.int64)
    codes[:, :10] = 7
    _landuse(toml, codes)
    (toml.parent / "mapping.csv").write_text("code;lgn;name\n300;11;our forest\n7;18;our houses\n", encoding="utf-8")
    custom = 'landuse = { path = "inputs/landuse.tif", codes = "custom", mapping = "mapping.csv" }'
    text = toml.read_text(encoding="utf-8").replace('landuse = "inputs/landuse.tif"', custom)
    toml.write_text(text, encoding="utf-8")
    array, record = _read(toml, "landuse")
    assert np.all(array[:, :10] == 18) and np.all(array[:, 10:] == 11)
    assert record["understood"] == {"codes": "custom"}


def test_a_mapping_to_a_class_alliantie_does_not_know_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "mapping.csv"
    bad.write_text("code,lgn\n5,7\n", encoding="utf-8")
    with pytest.raises(InputDataError, match=r"line 2.*LGN class 7"):
        read_mapping(bad, {1, 11, 18})
    bad.write_text("their_code,class\n5,7\n", encoding="utf-8")
    with pytest.raises(InputDataError, match="columns 'code' and 'lgn'"):
        read_mapping(bad, {1, 11, 18})


# ---- resolution ----------------------------------------------------------------------------------------------

def test_a_resolution_far_from_the_dossier_is_warned_about_with_the_method(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    toml = _dossier(tmp_path)  # dossier 10 m; a land use of 2 m is 5 times finer
    height, width = _array(toml, "landuse").shape
    fine = np.kron(_array(toml, "landuse"), np.ones((5, 5))).astype(np.int64)
    assert fine.shape == (height * 5, width * 5)
    _landuse(toml, fine, dtype="uint8", res=2.0)
    with caplog.at_level(logging.WARNING):
        record = _read(toml, "landuse")[1]
    assert record["native_res"] == 2.0 and record["resampling"] == "nearest"
    assert any("cells of 2 m" in r.getMessage() and "nearest neighbour" in r.getMessage() for r in caplog.records)


# ---- the config ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("line", "expected"), [
    ('dem = { path = "inputs/dem.tif", codes = "lgn2020" }', "inputs.dem"),
    ('landuse = { path = "inputs/landuse.tif", units = "cm" }', "inputs.landuse"),
    ('landuse = { path = "inputs/landuse.tif", codes = "lgn1999" }', "unknown code list 'lgn1999'"),
    ('landuse = { path = "inputs/landuse.tif", codes = "custom" }', "needs mapping"),
    ('dem = { path = "inputs/dem.tif", units = "inch" }', "inputs.dem.units"),
    ('ghg = { path = "inputs/ghg.tif", datum = "TAW" }', "inputs.ghg.datum"),
])
def test_declarations_are_validated_with_the_rest_of_the_config(tmp_path: Path, line: str, expected: str) -> None:
    toml = _dossier(tmp_path)
    name = line.split(" ")[0]
    text = re.sub(rf"^{name} = .*$", line, toml.read_text(encoding="utf-8"), flags=re.MULTILINE)
    toml.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_dossier(toml)
    assert expected in caught.value.message("en")


def test_a_missing_mapping_file_is_named(tmp_path: Path) -> None:
    toml = _dossier(tmp_path)
    custom = 'landuse = { path = "inputs/landuse.tif", codes = "custom", mapping = "m.csv" }'
    text = toml.read_text(encoding="utf-8").replace('landuse = "inputs/landuse.tif"', custom)
    toml.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"inputs\.landuse\.mapping"):
        load_dossier(toml)


def test_check_prints_what_each_raster_was_read_as(tmp_path: Path) -> None:
    toml = _dossier(tmp_path)
    lines = check_inputs(load_dossier(toml))
    text = "\n".join(lines)
    assert "unit m (assumed, not declared)" in text and "depth below surface (assumed" in text
    assert "code list lgn" in text


# ---- alliantie bluespots (a DEM outside a dossier) ---------------------------------------------------------------

def test_bluespots_refuses_a_dem_in_centimetres_and_reads_it_with_units(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from alliantie.cli.main import cli

    toml = _dossier(tmp_path)
    dem = toml.parent / "inputs" / "dem.tif"
    _rewrite(dem, np.round(_array(toml, "dem") * 100).astype(np.int16), nodata=-9999)
    refused = CliRunner().invoke(cli, ["--lang", "en", "bluespots", str(dem), "--out", str(tmp_path / "b")])
    assert refused.exit_code == 3 and "--units cm" in " ".join(refused.output.split()), refused.output
    done = CliRunner().invoke(cli, ["--lang", "en", "bluespots", str(dem), "--units", "cm", "--out",
                                    str(tmp_path / "b")])
    assert done.exit_code == 0, done.output
