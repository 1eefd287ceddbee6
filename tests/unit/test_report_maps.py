"""Cartography of the report: a MapSpec becomes a PNG of the expected size and colours."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from alliantie.contract.spec import Layer, MapSpec, Text, read_maps
from alliantie.dossier import load_dossier
from alliantie.dossier.area import boundary_geometry, dossier_grid
from alliantie.errors import ReportError
from alliantie.report.maps import DPI, FIG_WIDTH_IN, map_extent, nice_scale_length, render_map
from alliantie.testing.report_dossier import make_report_dossier


@pytest.fixture(scope="module")
def dossier(tmp_path_factory: pytest.TempPathFactory):
    toml, dirs = make_report_dossier(tmp_path_factory.mktemp("maps"))
    loaded = load_dossier(toml)
    return loaded, dirs


@pytest.mark.parametrize(("width_m", "expected"), [(10_000, 2000), (3_000, 500), (900, 100), (60_000, 10_000)])
def test_scale_bar_length_is_round_and_about_a_fifth(width_m: float, expected: float) -> None:
    assert nice_scale_length(width_m) == expected


def test_landscape_map_has_expected_size_and_legend_colours(dossier, tmp_path) -> None:
    loaded, dirs = dossier
    boundary = boundary_geometry(loaded)
    extent = map_extent(dossier_grid(loaded).bounds, boundary)
    spec = read_maps(dirs["baseinfo.landscape"])[0]
    out = render_map(spec, dirs["baseinfo.landscape"], tmp_path / "landscape.png", boundary=boundary,
                     extent=extent, language="en")
    image = np.asarray(Image.open(out).convert("RGB"))
    assert image.shape[1] == round(FIG_WIDTH_IN * DPI)
    assert image.shape[0] > image.shape[1] * 0.7  # map frame plus title and legend
    colours = {tuple(c) for c in image.reshape(-1, 3)[:: 7]}
    assert (0xE6, 0xC3, 0x6A) in colours  # cover sand landscape, drawn opaque
    assert (0x7F, 0xA3, 0x6B) in colours  # stream valley


def test_layer_of_another_product_is_found(dossier, tmp_path) -> None:
    loaded, dirs = dossier
    boundary = boundary_geometry(loaded)
    spec = read_maps(dirs["baseinfo.structure_carriers"])[0]
    out = render_map(spec, dirs["baseinfo.structure_carriers"], tmp_path / "s.png", boundary=boundary,
                     extent=boundary.bounds, language="nl", folder_of=lambda name: dirs[name])
    assert out.exists() and out.stat().st_size > 10_000


def test_missing_layer_file_is_a_clear_error_and_leaves_no_png(dossier, tmp_path) -> None:
    loaded, dirs = dossier
    boundary = boundary_geometry(loaded)
    spec = MapSpec(id="broken", title=Text(nl="x", en="x"), description=Text(nl="x", en="x"), theme="other",
                   layers=[Layer(file="nothing.tif", type="raster_continuous")])
    with pytest.raises(ReportError) as info:
        render_map(spec, dirs["baseinfo.soil"], tmp_path / "broken.png", boundary=boundary,
                   extent=boundary.bounds, language="en")
    assert info.value.key == "report.errors.layer_missing"
    assert "nothing.tif" in str(info.value)
    assert not (tmp_path / "broken.png").exists()
