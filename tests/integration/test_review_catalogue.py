"""The reliability review's catalogue of bad input as tests (issue 15, item 6).

``../shared/research/reliability_review.md`` tried 107 cases of bad input,
faults and concurrency on the CLI. Each case here carries the review's id in
its test id and asserts the review's criteria: the exit code, a message that
names the file or key and says what to do, no traceback, and nothing written
for a refused run. ``check`` is used where the review's point is the refusal
(``check`` and ``run`` share the door, so ``check`` refusing means ``run`` does
too; the tests named below run both where the two once disagreed).

Covered elsewhere (not repeated here):

- 01 DEM without CRS, fake GeoPackage, 19 unknown key: test_cli_errors.py
- 04, 04b, 05 empty or non-overlapping DEM, 05b/06 partial coverage: test_dem_coverage.py
- 07, 07b impossible DEM values: test_raster_checks.py
- 05b breach point without elevation, 31d-like breach outside the grid: test_breach_check.py
- 13, 13b, 13d, 15, 15b, 16, 17a, 17b, 17c vector checks: test_vector_checks.py
- 30 grid too large for the memory: test_memory_guard.py
- 32a-32e read-only, full disk, immutable folder (simulated with monkeypatch), 09b DEM path a folder,
  36c fill on a truncated GeoTIFF, 36e fill into a read-only folder: test_storage_errors.py
- 33R and 43/44 reproducible bytes and a cache that trusts content: test_reproducible.py (and the unit
  tests of the hasher)
- 34a, 34b, 34d concurrent runs: test_run_lock.py
- 37 Ctrl-C: test_interrupt.py
- 41, 42, 46 Rich markup in paths: test_cli_markup.py
- 35e, 35i stresstest refusals: test_stresstest.py; 38b bluespots bad rain: test_bluespots_cli.py

Slow tests elsewhere: 33a-33e kill -9 during a product (test_kill.py); 21e and 24c, full runs of a passing
case (test_review_full_runs.py).

Not tested, and why: 32b/32c with a real read-only bind mount or a 4 MB tmpfs (need root; simulated in
test_storage_errors.py), 02/27/38g reprojection and 14/26b repaired geometries (passing cases whose behaviour
the unit tests of io/raster and io/vector pin down).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import rasterio
from click.testing import CliRunner, Result
from shapely.geometry import LineString, Polygon, box

from alliantie.cli.main import cli
from alliantie.dossier import load_dossier
from alliantie.io.raster import write_raster
from alliantie.testing import small_grid, write_minimal_dossier

Change = Callable[[Path], None]


def _invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, ["--lang", "en", *args])


def _text(result: Result) -> str:
    return " ".join(result.output.split())


def _nothing_written(root: Path) -> bool:
    products = root / "products"
    return not products.exists() or not any(p.is_dir() for p in products.iterdir())


def _clean(result: Result) -> None:
    assert "Traceback" not in result.output
    assert "Warning:" not in result.output  # no raw Python warning before the message (08, 35b)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)


def _replace(old: str, new: str) -> Change:
    def change(toml: Path) -> None:
        text = toml.read_text(encoding="utf-8")
        assert old in text, old
        toml.write_text(text.replace(old, new, 1), encoding="utf-8")
    return change


def _append(extra: str) -> Change:
    def change(toml: Path) -> None:
        toml.write_text(toml.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return change


def _bytes(data: bytes) -> Change:
    def change(toml: Path) -> None:
        toml.write_bytes(data)
    return change


# --- dossier.toml: exit 2, the key named, nothing computed -------------------------------------------------

CONFIG_CASES = [
    pytest.param(_replace('name = "Testgebied"', 'name = "Testgebied'), ["dossier.toml", "line"],
                 id="18-toml-syntax-error"),
    pytest.param(_bytes(bytes(range(256)) * 4), ["dossier.toml", "TOML"], id="18b-binary-garbage"),
    pytest.param(_replace("resolution", "resolutoin"), ["resolutoin", "resolution"], id="19-unknown-key"),
    pytest.param(_append("\n[parameters.flood]\nriver_levl_m = 3.0\n"), ["river_levl_m", "river_level_m"],
                 id="19b-unknown-nested-key"),
    pytest.param(_replace("resolution = 10.0", 'resolution = "five"'), ["resolution", "five"],
                 id="20-resolution-text"),
    pytest.param(_replace("resolution = 10.0", "resolution = 0"), ["resolution", "greater than 0"],
                 id="21a-resolution-zero"),
    pytest.param(_replace("resolution = 10.0", "resolution = -5"), ["resolution", "greater than 0"],
                 id="21b-resolution-negative"),
    pytest.param(_replace("resolution = 10.0", "resolution = nan"), ["resolution", "finite number"],
                 id="21c-resolution-nan"),
    pytest.param(_replace("resolution = 10.0", "resolution = inf"), ["resolution", "finite number"],
                 id="21d-resolution-inf"),
    pytest.param(_replace('ghg = "inputs/ghg.tif"', 'ghg = "inputs/nope.tif"'), ["inputs.ghg", "nope.tif"],
                 id="22-missing-input-file"),
    pytest.param(_append('\n[scenarios]\nknmi = ["Xx"]\n'), ["Xx", "'Ld'", "'Hn'"], id="24-unknown-scenario"),
    pytest.param(_append("\n[scenarios]\nhorizons = [1990]\n"), ["1990", "2025-2150"], id="24b-horizon-1990"),
    pytest.param(_replace("resolution = 10.0", 'resolution = 10.0\nlanguage = "fr"'), ["language", "'nl'"],
                 id="25-language-fr"),
    pytest.param(_replace("resolution = 10.0", 'resolution = 10.0\ncrs = "EPSG:4326"'), ["EPSG:4326", "EPSG:28992"],
                 id="25b-crs-geographic"),
    pytest.param(_replace('name = "Testgebied"', 'name = ""'), ["name", "at least 1 character"],
                 id="31b-empty-name"),
    pytest.param(_bytes(b""), ["name", "inputs"], id="39d-empty-dossier-toml"),
    pytest.param(_replace('name = "Testgebied"', 'name = "\\u0000\\u007f\\n"'), ["name", "no printable characters"],
                 id="new-name-of-control-characters-only"),
]


@pytest.mark.parametrize(("change", "expected"), CONFIG_CASES)
def test_config_cases_are_refused_naming_the_key(tmp_path: Path, change: Change, expected: list[str]) -> None:
    toml = write_minimal_dossier(tmp_path / "d")
    change(toml)
    result = _invoke("check", str(toml))
    assert result.exit_code == 2, result.output
    text = _text(result)
    assert all(word in text for word in expected), (expected, text)
    _clean(result)
    assert _nothing_written(toml.parent)


def test_39b_a_dossier_that_does_not_exist(tmp_path: Path) -> None:
    result = _invoke("run", str(tmp_path / "nowhere"))
    assert result.exit_code == 2, result.output
    assert "alliantie demo --out" in _text(result)
    _clean(result)
    assert not (tmp_path / "nowhere").exists()


def test_39c_a_geotiff_given_as_the_dossier(tmp_path: Path) -> None:
    toml = write_minimal_dossier(tmp_path / "d")
    result = _invoke("run", str(toml.parent / "inputs" / "dem.tif"))
    assert result.exit_code == 2, result.output
    assert "dem.tif" in _text(result) and "TOML" in _text(result)
    _clean(result)
    assert _nothing_written(toml.parent)


def test_39a_an_unknown_product_lists_the_products(tmp_path: Path) -> None:
    toml = write_minimal_dossier(tmp_path / "d")
    result = _invoke("run", str(toml), "--product", "urgency.tsunami")
    assert result.exit_code == 4, result.output
    assert "urgency.tsunami" in _text(result) and "urgency.flood" in _text(result)
    _clean(result)
    assert _nothing_written(toml.parent)


def test_31c_control_characters_leave_the_name(tmp_path: Path) -> None:
    """NUL bytes of the name reached report/index.html; now the name is cleaned when the dossier is read."""
    toml = write_minimal_dossier(tmp_path / "d")
    long = "<b>Wijk</b> 😀 " * 70  # about 1,000 characters
    _replace('name = "Testgebied"', f'name = "{long}\\u0000a\\u0007b\\nc\\u007f"')(toml)
    result = _invoke("check", str(toml))
    assert result.exit_code == 0, result.output
    name = load_dossier(toml).config.name
    assert name.endswith("ab c") and name.startswith("<b>Wijk</b> 😀")
    assert not any(ord(ch) < 32 or 127 <= ord(ch) < 160 for ch in name)


def test_31_31c_the_name_in_the_report_is_escaped_and_without_control_characters(tmp_path: Path) -> None:
    """31: HTML in the name is escaped; 31c: NUL bytes of the name reached report/index.html."""
    from alliantie.report.build import make_report
    from alliantie.testing.report_dossier import make_report_dossier

    toml, dirs = make_report_dossier(tmp_path / "r", language="en")
    _replace('name = "Testgebied Eem"', 'name = "<script>alert(1)</script>\\u0000 Eem\\u0000\\u007f"')(toml)
    folder = make_report(load_dossier(toml), dirs).folder
    html = (folder / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Eem" in html
    assert "<script>alert(1)" not in html and "\x00" not in html and "\x7f" not in html


# --- raster inputs: exit 3, the file named, nothing computed ------------------------------------------------

def _truncate(size: int) -> Change:
    def change(path: Path) -> None:
        with path.open("r+b") as fh:
            fh.truncate(size)
    return change


def _png(path: Path) -> None:
    from PIL import Image

    png = path.with_suffix(".png")
    Image.fromarray(np.zeros((20, 20), np.uint8)).save(png)
    png.replace(path)


def _write(data: bytes) -> Change:
    def change(path: Path) -> None:
        path.write_bytes(data)
    return change


RASTER_CASES = [
    pytest.param(_truncate(2048), ["dem.tif", "not a readable raster file", "Export it again"],
                 id="03-truncated-geotiff-2kb"),
    pytest.param(_png, ["dem.tif", "CRS"], id="08-png-renamed-tif"),
    pytest.param(_write(b""), ["dem.tif", "not a readable raster file"], id="09-empty-file"),
    pytest.param(_write(b"not a raster\n" * 50), ["dem.tif", "not a readable raster file"], id="23-text-as-dem"),
]


@pytest.mark.parametrize(("change", "expected"), RASTER_CASES)
def test_raster_cases_are_refused_naming_the_file(tmp_path: Path, change: Change, expected: list[str]) -> None:
    toml = write_minimal_dossier(tmp_path / "d")
    change(toml.parent / "inputs" / "dem.tif")
    result = _invoke("check", str(toml))
    assert result.exit_code == 3, result.output
    text = _text(result)
    assert all(word in text for word in expected), (expected, text)
    _clean(result)
    assert _nothing_written(toml.parent)


def test_08_no_raw_python_warning_before_the_message(tmp_path: Path) -> None:
    """In a real process (pytest's own warning capture hides them from CliRunner): rasterio's
    NotGeoreferencedWarning was printed, two raw lines, before the CRS message."""
    import os
    import subprocess
    import sys

    toml = write_minimal_dossier(tmp_path / "d")
    _png(toml.parent / "inputs" / "dem.tif")
    env = {**os.environ, "ALLIANTIE_LANG": "en", "PYTHONWARNINGS": "default"}
    done = subprocess.run([sys.executable, "-m", "alliantie.cli.main", "check", str(toml)],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 3, done.stderr
    assert "dem.tif" in done.stderr and "CRS" in done.stderr
    assert "Warning" not in done.stderr and "Traceback" not in done.stderr, done.stderr


def test_03b_a_half_truncated_dem_stops_the_run_before_anything_is_half_written(tmp_path: Path) -> None:
    toml = write_minimal_dossier(tmp_path / "d")
    dem = toml.parent / "inputs" / "dem.tif"
    _truncate(dem.stat().st_size // 2)(dem)
    result = _invoke("run", str(toml), "--product", "baseinfo.elevation")
    assert result.exit_code == 3, result.output
    assert "dem.tif" in _text(result)
    _clean(result)
    assert not (toml.parent / "products" / "baseinfo.elevation").exists()
    assert not [p for p in (toml.parent / "products").glob(".*") if ".tmp-" in p.name]


def test_23_a_system_file_as_dem_is_refused_without_showing_its_content(tmp_path: Path) -> None:
    toml = write_minimal_dossier(tmp_path / "d")
    _replace('dem = "inputs/dem.tif"', 'dem = "../../../../../../../../etc/passwd"')(toml)
    result = _invoke("check", str(toml))
    assert result.exit_code in (2, 3), result.output
    assert "passwd" in _text(result) and "root:" not in result.output
    _clean(result)


# --- vector inputs: exit 3, the file named and what to do ---------------------------------------------------

def _soil_layer(toml: Path) -> Path:
    return toml.parent / "inputs" / "soil.gpkg"


def _boundary(toml: Path) -> Path:
    return toml.parent / "inputs" / "boundary.gpkg"


def _rewrite_boundary(make: Callable[[tuple[float, float, float, float]], list]) -> Change:
    def change(toml: Path) -> None:
        path = _boundary(toml)
        old = gpd.read_file(path)
        new = gpd.GeoDataFrame(geometry=make(tuple(old.total_bounds)), crs=old.crs)
        path.unlink()
        new.to_file(path)
    return change


def _soil_without_crs(toml: Path) -> None:
    path = _soil_layer(toml)
    frame = gpd.read_file(path, layer="soil")
    path.unlink()
    frame.set_crs(None, allow_override=True).to_file(path, layer="soil")


def _centre_square(side: float) -> Callable[[tuple[float, float, float, float]], list]:
    def make(b: tuple[float, float, float, float]) -> list:
        x, y = (b[0] + b[2]) / 2, (b[1] + b[3]) / 2
        return [box(x, y, x + side, y + side)]
    return make


VECTOR_CASES = [
    pytest.param(lambda t: _soil_layer(t).write_bytes(b"this is text, not a GeoPackage\n" * 20),
                 ["soil.gpkg", "not a readable vector file", "QGIS"], id="10-text-as-geopackage"),
    pytest.param(_replace('layer = "soil"', 'layer = "gebouwen"'),
                 ["soil.gpkg", "has no layer 'gebouwen'", "Layers present: soil", "dossier.toml"],
                 id="11b-wrong-layer-name"),
    pytest.param(_soil_without_crs, ["soil.gpkg", "no coordinate reference system", "Assign"],
                 id="12-vector-without-crs"),
    pytest.param(_rewrite_boundary(lambda b: []), ["boundary.gpkg", "holds no polygons"],
                 id="26a-boundary-without-features"),
    pytest.param(_rewrite_boundary(lambda b: [Polygon([(b[0], b[1]), (b[2], b[1]), (b[0], b[1])])]),
                 ["boundary.gpkg"], id="26c-zero-area-boundary"),
    pytest.param(_rewrite_boundary(_centre_square(3.0)),
                 ["boundary.gpkg", "smaller than one grid cell (10 x 10 m)", "resolution"],
                 id="26d-boundary-smaller-than-a-cell"),
    pytest.param(_rewrite_boundary(lambda b: [LineString([(b[0], b[1]), (b[2], b[3])])]),
                 ["boundary.gpkg", "holds no polygons"], id="26e-boundary-as-a-line"),
    pytest.param(_replace("[inputs]\n", '[inputs]\ncorrections = { path = "inputs/soil.gpkg", layer = "fixes" }\n'),
                 ["soil.gpkg", "has no layer 'fixes'", "Layers present: soil"], id="new-corrections-wrong-layer-name"),
]


@pytest.mark.parametrize(("change", "expected"), VECTOR_CASES)
@pytest.mark.parametrize("command", ["check", "run"])
def test_vector_cases_are_refused_naming_the_file(tmp_path: Path, change: Change, expected: list[str],
                                                  command: str) -> None:
    toml = write_minimal_dossier(tmp_path / "d")
    change(toml)
    result = _invoke(command, str(toml))
    assert result.exit_code == 3, result.output
    text = _text(result)
    assert all(word in text for word in expected), (expected, text)
    _clean(result)
    assert _nothing_written(toml.parent)


# --- the breach point in a dossier of another CRS ----------------------------------------------------------

FLOOD = "\n[parameters.flood]\nbreach_x = {x}\nbreach_y = {y}\nriver_level_m = 5.0\n"


@pytest.mark.parametrize(("crs", "x", "y", "words"), [
    pytest.param("EPSG:32631", 155100.0, 463150.0, ["(155100, 463150)", "EPSG:32631"], id="25c-crs-utm-31n"),
    pytest.param("EPSG:28992", 955100.0, 463150.0, ["(955100, 463150)", "EPSG:28992"], id="31d-breach-800-km-away"),
])
def test_a_breach_point_outside_the_grid_is_refused_by_check(tmp_path: Path, crs: str, x: float, y: float,
                                                             words: list[str]) -> None:
    """25c: the dossier in UTM 31N with the breach point in RD metres; the message names the dossier's CRS
    (it once hard-coded 'RD New') and keeps its '[parameters.flood]' prefix (once eaten as Rich markup)."""
    toml = write_minimal_dossier(tmp_path / "d")
    _replace("resolution = 10.0", f'resolution = 10.0\ncrs = "{crs}"')(toml)
    _append(FLOOD.format(x=x, y=y))(toml)
    result = _invoke("check", str(toml))
    assert result.exit_code == 2, result.output
    text = _text(result)
    assert "[parameters.flood]" in text and "outside the dossier grid" in text
    assert all(word in text for word in words), text
    assert "RD New" not in text
    _clean(result)


@pytest.mark.slow
def test_25c_a_dossier_in_utm_runs_to_the_report(tmp_path: Path) -> None:
    """Without a breach point a dossier in EPSG:32631 runs; the layer map once failed with a shape mismatch."""
    toml = write_minimal_dossier(tmp_path / "d")
    _replace("resolution = 10.0", 'resolution = 10.0\ncrs = "EPSG:32631"')(toml)
    result = _invoke("run", str(toml), "--product", "baseinfo.lagenkaart")
    assert result.exit_code == 0, result.output
    _clean(result)


# --- the other commands: fill, bluespots, stresstest --------------------------------------------------------

def _dem(path: Path, *, empty: bool = False) -> Path:
    rng = np.random.default_rng(7)
    data = np.full((30, 40), -9999.0, np.float32) if empty else (rng.random((30, 40)) * 3).astype(np.float32)
    write_raster(path, data, small_grid(40, 30, 5.0), nodata=-9999.0)
    return path


def test_36f_fill_on_a_text_file(tmp_path: Path) -> None:
    src = tmp_path / "dem.tif"
    src.write_text("not a raster\n" * 20)
    result = _invoke("fill", str(src), str(tmp_path / "out.tif"))
    assert result.exit_code == 3, result.output
    assert "dem.tif is not a readable raster file" in _text(result)
    _clean(result)
    assert not (tmp_path / "out.tif").exists()


def test_36g_fill_with_a_folder_as_output(tmp_path: Path) -> None:
    src = _dem(tmp_path / "dem.tif")
    result = _invoke("fill", str(src), str(tmp_path))
    assert result.exit_code == 2, result.output
    _clean(result)


@pytest.mark.parametrize(("args", "code", "words"), [
    pytest.param(["--rain-mm", "nan"], 2, ["--rain-mm"], id="38e-rain-nan"),
    pytest.param(["--buildings", "TEXT"], 3, ["buildings.gpkg", "not a readable vector file"],
                 id="38d-buildings-a-text-file"),
])
def test_bluespots_options_are_refused(tmp_path: Path, args: list[str], code: int, words: list[str]) -> None:
    src = _dem(tmp_path / "dem.tif")
    text_file = tmp_path / "buildings.gpkg"
    text_file.write_text("not a vector file\n" * 20)
    args = [str(text_file) if a == "TEXT" else a for a in args]
    result = _invoke("bluespots", str(src), "--out", str(tmp_path / "out"), *args)
    assert result.exit_code == code, result.output
    assert all(word in _text(result) for word in words), _text(result)
    _clean(result)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("case", ["38c-text-file", "38f-all-nodata"])
def test_bluespots_refuses_a_dem_it_cannot_use(tmp_path: Path, case: str) -> None:
    src = tmp_path / "dem.tif"
    if case.startswith("38c"):
        src.write_text("not a raster\n" * 20)
        expected = "not a readable raster file"
    else:
        _dem(src, empty=True)
        expected = "has no cell with data"
    result = _invoke("bluespots", str(src), "--out", str(tmp_path / "out"))
    assert result.exit_code == 3, result.output
    assert "dem.tif" in _text(result) and expected in _text(result)
    _clean(result)
    assert not (tmp_path / "out").exists()  # no "0 bluespots" products (38f)


def test_35a_35b_stresstest_refuses_a_text_or_png_dem(tmp_path: Path) -> None:
    toml = write_minimal_dossier(tmp_path / "d")
    inputs = toml.parent / "inputs"
    buildings = tmp_path / "buildings.gpkg"
    with rasterio.open(inputs / "dem.tif") as ds:
        x0, y0, _, _ = ds.bounds
    gpd.GeoDataFrame(geometry=[box(x0 + 10, y0 + 10, x0 + 30, y0 + 30)], crs="EPSG:28992").to_file(buildings)
    for change, words in ((_write(b"text\n" * 50), ["--dem", "not a readable raster file"]),
                          (_png, ["--dem", "CRS"])):
        dem = tmp_path / "dem.tif"
        dem.write_bytes(b"")
        change(dem)
        out = tmp_path / "out"
        result = _invoke("stresstest", "--dem", str(dem), "--landuse", str(inputs / "landuse.tif"),
                         "--buildings", str(buildings), "--out", str(out))
        assert result.exit_code == 3, result.output
        assert all(word in _text(result) for word in words), _text(result)
        _clean(result)
        assert not (out / "dossier.toml").exists()


def test_35j_stresstest_name_with_a_del_character_gives_a_readable_dossier(tmp_path: Path) -> None:
    """The dossier.toml the stresstest writes could not be read back ('Illegal character \\x7f')."""
    from alliantie.method.stresstest.minimal import StresstestFiles
    from alliantie.method.stresstest.minimal import write_minimal_dossier as write_stresstest_dossier

    toml = write_minimal_dossier(tmp_path / "d")
    inputs = toml.parent / "inputs"
    buildings = tmp_path / "buildings.gpkg"
    with rasterio.open(inputs / "dem.tif") as ds:
        x0, y0, _, _ = ds.bounds
    gpd.GeoDataFrame(geometry=[box(x0 + 10, y0 + 10, x0 + 30, y0 + 30)], crs="EPSG:28992").to_file(buildings)
    files = StresstestFiles(dem=inputs / "dem.tif", landuse=inputs / "landuse.tif", buildings=buildings)
    written = write_stresstest_dossier(files, tmp_path / "st", name="Wijk\x7f \x00Noord\n")
    assert load_dossier(written).config.name == "Wijk Noord"
    result = _invoke("check", str(written))
    assert result.exit_code == 0, result.output
    _clean(result)


def test_every_case_id_starts_with_the_reviews_number() -> None:
    """A guard on this file: every parametrized case id starts with the review's case number (or 'new-' for a
    case the review did not try), once."""
    ids = [p.id for p in CONFIG_CASES + RASTER_CASES + VECTOR_CASES]
    assert all(i is not None and (i[:2].isdigit() or i.startswith("new-")) for i in ids)
    assert len(set(ids)) == len(ids)
