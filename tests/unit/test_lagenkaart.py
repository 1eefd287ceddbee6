"""The lagenkaart: the oblique layer stack (pure rendering) and the product built from saved base maps."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
from PIL import Image
from shapely.geometry import LineString, box

from alliantie.cartography.frame import Frame, block_mean, block_pick, block_rgba
from alliantie.cartography.layerstack import LegendItem, Plane, as_rgba, draw_layer_stack, save_layer_stack
from alliantie.contract.spec import Layer, LegendEntry, MapSpec, Text, write_maps
from alliantie.io.raster import write_raster
from alliantie.io.vector import write_vector
from alliantie.method.baseinfo.lagenkaart import Sources, build_planes, render_lagenkaart
from alliantie.testing.factories import small_grid


def _image(rows: int, cols: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    img = np.ones((rows, cols, 4), dtype=np.float32)
    img[..., :3] = rng.random((1, 1, 3))
    img[: rows // 2, : cols // 2, :3] = rng.random(3)
    return img


def _labels_y(fig) -> list[float]:
    ax = fig.axes[0]
    texts = {t.get_gid(): t for t in ax.texts if str(t.get_gid()).startswith("plane-label-")}
    return [texts[f"plane-label-{i}"].get_position()[1] for i in range(len(texts))]


# --------------------------------------------------------------------------- layerstack
def test_png_and_svg_written_with_size(tmp_path: Path) -> None:
    planes = [Plane(f"plane {i}", _image(40, 50, i), legend=[LegendItem("#336699", "class")]) for i in range(3)]
    fig = draw_layer_stack(planes, title="Stack", subtitle="sub", note="note")
    png, svg = tmp_path / "s.png", tmp_path / "s.svg"
    assert save_layer_stack(fig, png, svg) == [png, svg]
    with Image.open(png) as im:
        assert im.size[0] == 1600
        assert 800 < im.size[1] < 2400
        assert im.info["dpi"][0] == pytest.approx(160, abs=1)
    text = svg.read_text(encoding="utf-8")
    assert "<svg" in text
    root = ET.fromstring(text)
    assert root.tag.endswith("svg")
    ids = {el.get("id") for el in root.iter()}
    assert {"plane-image-0", "plane-image-2", "plane-label-1"} <= ids
    # the planes stay unsampled images with their affine transform in the SVG
    images = [el for el in root.iter() if el.tag.endswith("image")]
    assert len(images) >= 3
    assert any("matrix" in (el.get("transform") or "") for el in images)


def test_planes_ordered_bottom_to_top() -> None:
    planes = [("bottom", _image(30, 30, 1)), ("middle", _image(30, 30, 2)), ("top", _image(30, 30, 3))]
    fig = draw_layer_stack(planes)
    ys = _labels_y(fig)
    assert ys == sorted(ys) and len(set(ys)) == 3
    images = [im for im in fig.axes[0].get_images() if str(im.get_gid()).startswith("plane-image-")]
    z = {im.get_gid(): im.get_zorder() for im in images}
    assert z["plane-image-0"] < z["plane-image-1"] < z["plane-image-2"]
    labels = {t.get_gid(): t.get_text() for t in fig.axes[0].texts}
    assert labels["plane-label-0"] == "bottom" and labels["plane-label-2"] == "top"


def test_nan_and_uint8_become_transparent_rgba() -> None:
    img = np.full((4, 5, 4), 0.5, dtype=np.float32)
    img[0, 0, 0] = np.nan
    out = as_rgba(img)
    assert out[0, 0, 3] == 0.0 and not np.isnan(out).any()
    assert out[1, 1, 3] == pytest.approx(0.5)
    rgb = np.full((2, 2, 3), 255, dtype=np.uint8)
    assert np.allclose(as_rgba(rgb), 1.0)
    with pytest.raises(ValueError):
        as_rgba(np.zeros((3, 3)))
    with pytest.raises(ValueError):
        draw_layer_stack([])


def test_nodata_plane_renders(tmp_path: Path) -> None:
    img = _image(30, 40, 5)
    img[:, :20] = np.nan   # half the plane without data
    fig = draw_layer_stack([("a", img), ("b", np.full((30, 40, 4), np.nan))])
    save_layer_stack(fig, png=tmp_path / "n.png")
    with Image.open(tmp_path / "n.png") as im:
        assert im.size[0] == 1600


# --------------------------------------------------------------------------- reducing rasters
def test_block_reductions() -> None:
    grid = small_grid(width=7, height=5, res=10.0)
    frame = Frame(grid, 2)
    assert frame.shape == (3, 4)
    a = np.arange(35, dtype=np.float32).reshape(5, 7)
    a[0, 0] = np.nan
    mean = block_mean(a, frame)
    assert mean.shape == (3, 4)
    assert mean[0, 0] == pytest.approx(np.nanmean([np.nan, 1, 7, 8]))
    assert mean[2, 3] == pytest.approx(34.0)      # edge block with one cell
    picked = block_pick(np.arange(35).reshape(5, 7), frame, -1)
    assert picked.shape == (3, 4) and picked[0, 0] == 8 and picked[2, 3] == -1
    rgba = np.zeros((4, 4, 4), dtype=np.float32)
    rgba[0, 0] = (1.0, 0.0, 0.0, 1.0)
    out = block_rgba(rgba, 2)
    assert out[0, 0, 3] == pytest.approx(0.25)
    assert out[0, 0, 0] == pytest.approx(1.0)      # colour kept, only coverage averaged
    assert out[1, 1, 3] == 0.0


# --------------------------------------------------------------------------- the product from saved base maps
def _t(s: str) -> Text:
    return Text(nl=s, en=s.upper())


def _fake_products(root: Path, width: int = 80, height: int = 60) -> tuple[Sources, np.ndarray]:
    grid = small_grid(width=width, height=height, res=10.0)
    yy, xx = np.mgrid[0:height, 0:width]
    names = ["elevation", "soil", "seepage", "water", "green", "structure"]
    folders = {n: root / n for n in names}
    for f in folders.values():
        f.mkdir(parents=True)
    elev = (2.0 + 0.1 * xx + np.sin(yy / 6.0)).astype(np.float32)
    elev[:5, :5] = np.nan
    write_raster(folders["elevation"] / "elevation.tif", elev, grid)
    write_maps(folders["elevation"], [MapSpec(id="e", title=_t("e"), description=_t("e"), theme="soil", layers=[
        Layer(file="elevation.tif", type="raster_continuous", cmap="terrain", vmin=2.0, vmax=12.0, unit="m NAP"),
    ])])

    def classes(folder: str, file: str, array: np.ndarray, colours: list[str]) -> None:
        write_raster(folders[folder] / file, array.astype(np.uint8), grid, nodata=0)
        legend = [LegendEntry(value=i + 1, color=c, label=_t(f"{file}-{i + 1}")) for i, c in enumerate(colours)]
        write_maps(folders[folder], [MapSpec(id=folder, title=_t(folder), description=_t(folder), theme="soil",
                                             layers=[Layer(file=file, type="raster_classes", legend=legend)])])

    classes("soil", "soil_main.tif", 1 + (xx > width // 2) + (yy > height // 2), ["#f2d37a", "#8cc084", "#9b6fa8"])
    classes("seepage", "seepage.tif", 1 + (xx * 3 // width), ["#e8c07d", "#eeeeee", "#5b9bd5"])
    classes("green", "vegetation.tif", 1 + (yy * 5 // height), ["#3f8f3a", "#1f5f3b", "#b07cb8", "#5fb8a6", "#cde6a0"])

    x0, y0, x1, y1 = grid.bounds
    courses = gpd.GeoDataFrame(
        {"kind": ["stream", "ditch"], "name": ["Beek", "Sloot"], "width_m": [6.0, 2.0]},
        geometry=[LineString([(x0, y0 + 200), (x1, y0 + 400)]), LineString([(x0 + 300, y0), (x0 + 300, y1)])],
        crs=grid.crs,
    )
    bodies = gpd.GeoDataFrame({"kind": ["lake"], "name": ["Plas"]},
                              geometry=[box(x0 + 500, y0 + 100, x0 + 600, y0 + 200)], crs=grid.crs)
    courses.to_file(folders["water"] / "water.gpkg", layer="watercourses", driver="GPKG")
    bodies.to_file(folders["water"] / "water.gpkg", layer="waterbodies", driver="GPKG")
    write_maps(folders["water"], [MapSpec(id="w", title=_t("w"), description=_t("w"), theme="water", layers=[
        Layer(file="water.gpkg", type="vector", layer="waterbodies", color="#1f78b4", label=_t("water")),
        Layer(file="water.gpkg", type="vector", layer="watercourses", column="kind", legend=[
            LegendEntry(value="stream", color="#08519c", label=_t("stream")),
            LegendEntry(value="ditch", color="#6baed6", label=_t("ditch")),
        ]),
    ])])
    carriers = gpd.GeoDataFrame(
        {"kind": ["stream_valley", "ridge"], "name": ["dal", "rug"]},
        geometry=[box(x0, y0, x0 + 300, y1), box(x0 + 500, y0 + 300, x1, y1)], crs=grid.crs,
    )
    write_vector(folders["structure"] / "structure_carriers.gpkg", carriers, layer="structure_carriers")
    write_maps(folders["structure"], [MapSpec(id="s", title=_t("s"), description=_t("s"), theme="structure", layers=[
        Layer(file="structure_carriers.gpkg", type="vector", layer="structure_carriers", column="kind", legend=[
            LegendEntry(value="stream_valley", color="#2b83ba", label=_t("Beekdal")),
            LegendEntry(value="ridge", color="#d7a04b", label=_t("Rug")),
            LegendEntry(value="absent", color="#000000", label=_t("Afwezig")),
        ]),
    ])])
    mask = np.ones(grid.shape, dtype=bool)
    mask[:, -4:] = False
    sources = Sources(*(folders[n] for n in names))
    return sources, mask


def test_planes_from_saved_products(tmp_path: Path) -> None:
    sources, mask = _fake_products(tmp_path)
    grid = small_grid(width=80, height=60, res=10.0)
    planes = build_planes(sources, grid, mask, "nl")
    assert [p.label for p in planes] == ["Ondergrond", "Bodem", "Water", "Groen", "Structuurdragers"]
    for plane in planes:
        assert plane.image.shape == (60, 80, 4)
        assert plane.image[:, -1, 3].max() == 0.0          # outside the study area: transparent
    assert planes[0].image[0, 0, 3] == 0.0                # elevation nodata: transparent
    soil = planes[1].image
    assert np.allclose(soil[5, 5, :3], [0xF2 / 255, 0xD3 / 255, 0x7A / 255], atol=1e-3)  # legend colour
    water = planes[2]
    assert any(item.kind == "line" for item in water.legend)
    # the stream is drawn over the seepage zones: some cells carry the stream colour
    stream = np.array([0x08, 0x51, 0x9C]) / 255
    assert (np.abs(water.image[..., :3] - stream).sum(axis=2) < 0.05).any()
    assert len(planes[3].legend) == 4                     # only the largest classes
    carrier_labels = [item.label for item in planes[4].legend]
    assert carrier_labels == ["Beekdal", "Rug"]           # absent kinds are left out


def test_render_in_english(tmp_path: Path) -> None:
    sources, mask = _fake_products(tmp_path / "p")
    grid = small_grid(width=80, height=60, res=10.0)
    png, svg = tmp_path / "lagenkaart.png", tmp_path / "lagenkaart.svg"
    render_lagenkaart(sources, grid, mask, language="en", name="Test area", png=png, svg=svg)
    assert png.stat().st_size > 10_000
    text = svg.read_text(encoding="utf-8")
    assert "Subsurface" in text and "Structure carriers" in text and "Test area" in text
    ET.fromstring(text)


def test_product_registered_and_runs_on_a_dossier(minimal_dossier: Path) -> None:
    from alliantie.dossier import load_dossier, load_products, run_dossier

    REGISTRY = load_products()

    spec = REGISTRY["baseinfo.lagenkaart"]
    assert set(spec.depends) == {
        "baseinfo.elevation", "baseinfo.soil", "baseinfo.seepage", "baseinfo.water", "baseinfo.green",
        "baseinfo.structure_carriers",
    }
    assert "language" in spec.parameters
    dossier = load_dossier(minimal_dossier)
    run_dossier(dossier, products=["baseinfo.lagenkaart"])
    folder = dossier.products_dir / "baseinfo.lagenkaart"
    with Image.open(folder / "lagenkaart.png") as im:
        assert im.size[0] == 1600
    assert "Ondergrond" in (folder / "lagenkaart.svg").read_text(encoding="utf-8")
