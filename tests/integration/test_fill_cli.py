"""``alliantie fill``: a GeoTIFF filled window by window equals the in-memory fill; clear errors."""

import numpy as np
import rasterio
from click.testing import CliRunner

from alliantie.cli.main import cli
from alliantie.hydrology import fill_depressions
from alliantie.io.raster import write_raster
from alliantie.testing import small_grid


def _invoke(*args: str):
    return CliRunner().invoke(cli, ["--lang", "en", *args])


def test_fill_command_equals_in_memory_fill(tmp_path):
    rng = np.random.default_rng(5)
    grid = small_grid(150, 130, 5.0)
    dem = (rng.random((130, 150)) * 3 + np.linspace(0, 2, 150)[None, :]).astype(np.float32)
    dem[40:45, 60:70] = np.nan  # interior nodata: an outlet
    src = tmp_path / "dem.tif"
    write_raster(src, dem, grid)
    out = tmp_path / "out" / "filled.tif"
    result = _invoke("fill", str(src), str(out), "--tile", "64", "--workers", "2")
    assert result.exit_code == 0, result.output
    assert "million cells" in result.output
    with rasterio.open(out) as ds:
        filled = ds.read(1)
        assert ds.crs.to_epsg() == 28992
    expected = fill_depressions(dem)
    np.testing.assert_array_equal(np.isnan(filled), np.isnan(expected))
    np.testing.assert_array_equal(filled[~np.isnan(filled)], expected[~np.isnan(expected)])
    assert not list(out.parent.glob(".*tmp*"))  # no temporary left behind


def test_fill_command_missing_file_is_a_clear_error(tmp_path):
    result = _invoke("fill", str(tmp_path / "nope.tif"), str(tmp_path / "out.tif"))
    assert result.exit_code == 3
    assert "does not exist" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out.tif").exists()
