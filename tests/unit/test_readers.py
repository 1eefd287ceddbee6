"""Readers: path or open dataset, CRS handling, alignment, nodata, and bad input."""

import logging

import geopandas as gpd
import numpy as np
import pytest
import rasterio
from rasterio.io import MemoryFile
from shapely.geometry import Polygon, box

from alliantie.errors import CRSError, InputDataError
from alliantie.grid import Grid
from alliantie.i18n import use_language
from alliantie.io import read_raster, read_vector, write_raster, write_vector
from alliantie.testing import small_grid


def _profile(grid: Grid, crs=None, nodata=-9999.0, dtype="float32"):
    return {
        "driver": "GTiff", "width": grid.width, "height": grid.height, "count": 1,
        "dtype": dtype, "crs": crs, "transform": grid.transform, "nodata": nodata,
    }


def test_raster_round_trip_and_nodata(tmp_path):
    grid = small_grid()
    arr = np.arange(grid.width * grid.height, dtype=np.float32).reshape(grid.shape)
    arr[0, 0] = -9999.0
    path = write_raster(tmp_path / "a.tif", arr, grid, nodata=-9999.0)
    data = read_raster(path)
    assert data.crs == "EPSG:28992"
    assert np.isnan(data.array[0, 0])
    assert data.array[0, 1] == 1.0
    assert data.valid.sum() == arr.size - 1


def test_raster_from_open_dataset():
    grid = small_grid()
    arr = np.ones(grid.shape, dtype=np.float32)
    with MemoryFile() as mem, mem.open(**_profile(grid, crs="EPSG:28992")) as ds:
        ds.write(arr, 1)
    with MemoryFile() as mem:
        with mem.open(**_profile(grid, crs="EPSG:28992")) as ds:
            ds.write(arr * 3, 1)
        with mem.open() as ds:
            data = read_raster(ds)
    assert float(data.array.mean()) == 3.0


def test_raster_without_crs_is_refused(tmp_path):
    grid = small_grid()
    path = tmp_path / "dem_no_crs.tif"
    with rasterio.open(path, "w", **_profile(grid, crs=None)) as ds:
        ds.write(np.zeros(grid.shape, dtype=np.float32), 1)
    with pytest.raises(CRSError) as info:
        read_raster(path, label="inputs.dem")
    msg = str(info.value)
    assert "dem_no_crs.tif" in msg and "EPSG:28992" in msg and "CRS" in msg


def test_not_a_raster(tmp_path):
    path = tmp_path / "dem.tif"
    path.write_text("this is not a GeoTIFF")
    with pytest.raises(InputDataError) as info:
        read_raster(path)
    assert "dem.tif" in str(info.value) and "GeoTIFF" in str(info.value)


def test_missing_raster(tmp_path):
    with pytest.raises(InputDataError) as info:
        read_raster(tmp_path / "gone.tif", label="inputs.dem")
    assert "gone.tif" in str(info.value)


def test_raster_aligned_on_grid_and_reprojected(tmp_path, caplog):
    # a linear field x (in RD metres) written in UTM 31N must come back as x on the RD grid
    from pyproj import Transformer

    target = small_grid(width=40, height=30, res=10.0)
    to_utm = Transformer.from_crs("EPSG:28992", "EPSG:32631", always_xy=True)
    xmin, ymin, xmax, ymax = target.bounds
    ux, uy = to_utm.transform([xmin - 200, xmax + 200], [ymin - 200, ymax + 200])
    src = Grid.from_bounds((min(ux), min(uy), max(ux), max(uy)), 5.0, "EPSG:32631")
    back = Transformer.from_crs("EPSG:32631", "EPSG:28992", always_xy=True)
    xx, yy = np.meshgrid(src.x_coords(), src.y_coords())
    rd_x, _ = back.transform(xx, yy)
    write_raster(tmp_path / "utm.tif", rd_x.astype(np.float32), src, nodata=-9999.0)
    with caplog.at_level(logging.INFO):
        data = read_raster(tmp_path / "utm.tif", grid=target)
    assert "reprojecting" in caplog.text
    assert data.array.shape == target.shape
    expected = np.broadcast_to(target.x_coords(), target.shape)
    assert np.nanmax(np.abs(data.array - expected)) < 1.0  # bilinear on a linear field: < 1 m


def test_categorical_alignment_keeps_classes(tmp_path):
    src = small_grid(width=20, height=15, res=20.0)
    classes = np.where(np.arange(src.width)[None, :] < 10, 11, 36).astype(np.uint8)
    classes = np.broadcast_to(classes, src.shape).copy()
    write_raster(tmp_path / "lu.tif", classes, src, nodata=0)
    dst = small_grid(width=40, height=30, res=10.0)
    data = read_raster(tmp_path / "lu.tif", grid=dst, categorical=True)
    assert data.array.dtype == np.uint8
    assert set(np.unique(data.array)) == {11, 36}


def test_grid_outside_raster_gets_nodata(tmp_path):
    grid = small_grid(width=10, height=10)
    write_raster(tmp_path / "a.tif", np.ones(grid.shape, np.float32), grid)
    bigger = Grid.from_bounds((grid.bounds[0], grid.bounds[1], grid.bounds[2] + 100, grid.bounds[3]), grid.res)
    data = read_raster(tmp_path / "a.tif", grid=bigger)
    assert np.isnan(data.array[:, -5:]).all() and not np.isnan(data.array[:, :5]).any()


def _frame(crs="EPSG:28992"):
    return gpd.GeoDataFrame({"soil_class": ["veen"]}, geometry=[box(155000, 463000, 155100, 463100)], crs=crs)


@pytest.mark.parametrize("suffix,driver", [(".gpkg", "GPKG"), (".shp", "ESRI Shapefile"), (".geojson", "GeoJSON")])
def test_vector_formats(tmp_path, suffix, driver):
    path = tmp_path / f"soil{suffix}"
    _frame().to_file(path, driver=driver)
    gdf = read_vector(path)
    assert len(gdf) == 1 and gdf.crs.to_epsg() == 28992 and gdf.soil_class[0] == "veen"


def test_vector_reprojected_with_log(tmp_path, caplog):
    path = tmp_path / "wgs.geojson"
    _frame().to_crs("EPSG:4326").to_file(path, driver="GeoJSON")
    with caplog.at_level(logging.INFO), use_language("nl"):
        gdf = read_vector(path)
    assert "omgezet van EPSG:4326 naar EPSG:28992" in caplog.text  # the user's language (review case 02)
    with caplog.at_level(logging.INFO), use_language("en"):
        read_vector(path)
    assert "reprojecting from EPSG:4326" in caplog.text
    assert gdf.crs.to_epsg() == 28992
    assert abs(gdf.geometry.iloc[0].bounds[0] - 155000) < 0.5


def test_vector_from_geodataframe_without_crs_refused():
    with pytest.raises(CRSError) as info:
        read_vector(_frame(crs=None), label="inputs.soil")
    assert "inputs.soil" in str(info.value) and "EPSG:28992" in str(info.value)


def test_fake_geopackage(tmp_path):
    path = tmp_path / "soil.gpkg"
    path.write_bytes(b"PK\x03\x04 this is a zip file, not a GeoPackage")
    with pytest.raises(InputDataError) as info:
        read_vector(path, label="inputs.soil")
    msg = str(info.value)
    assert "soil.gpkg" in msg and "GeoPackage" in msg
    assert "Traceback" not in msg


def test_self_intersecting_polygon_repaired(tmp_path, caplog):
    bowtie = Polygon([(155000, 463000), (155100, 463100), (155100, 463000), (155000, 463100)])
    gdf = gpd.GeoDataFrame({"soil_class": ["zand"]}, geometry=[bowtie], crs="EPSG:28992")
    with caplog.at_level(logging.WARNING):
        out = read_vector(gdf, label="soil")
    assert "repaired" in caplog.text
    assert out.geometry.is_valid.all()
    assert out.geometry.iloc[0].area == pytest.approx(5000.0)


def test_required_columns(tmp_path):
    with pytest.raises(InputDataError) as info:
        read_vector(_frame(), required_columns=("soil_class", "residents"))
    assert "residents" in str(info.value)


def test_write_vector_embeds_qgis_style(tmp_path):
    import sqlite3

    from alliantie.io.styles import StyleClass, vector_categorized_qml

    qml = vector_categorized_qml("soil_class", [StyleClass("veen", "#8b5a2b", "Veen")], "polygon")
    path = write_vector(tmp_path / "s.gpkg", _frame(), layer="soil", qml=qml)
    con = sqlite3.connect(path)
    (name, style, default) = con.execute(
        "SELECT f_table_name, styleQML, useAsDefault FROM layer_styles"
    ).fetchone()
    con.close()
    assert name == "soil" and "categorizedSymbol" in style and default == 1
    assert read_vector(path, layer="soil").soil_class[0] == "veen"


def test_write_vector_is_reproducible(tmp_path):
    """Equal data and style give equal bytes: no current time in gpkg_contents or layer_styles."""
    import sqlite3
    import time

    from alliantie.io.styles import StyleClass, vector_categorized_qml
    from alliantie.io.vector import FIXED_TIMESTAMP

    qml = vector_categorized_qml("soil_class", [StyleClass("veen", "#8b5a2b", "Veen")], "polygon")
    first = write_vector(tmp_path / "a.gpkg", _frame(), layer="soil", qml=qml)
    time.sleep(1.1)  # a timestamp with seconds would differ now
    second = write_vector(tmp_path / "b.gpkg", _frame(), layer="soil", qml=qml)
    assert first.read_bytes() == second.read_bytes()
    con = sqlite3.connect(first)
    stamps = {row[0] for row in con.execute("SELECT last_change FROM gpkg_contents")}
    stamps |= {row[0] for row in con.execute("SELECT update_time FROM layer_styles")}
    con.close()
    assert stamps == {FIXED_TIMESTAMP}
