"""Dossiers on real Dutch files (``shared/realdata``): units, datum and code lists understood, or refused out loud.

Issue 14's silent misreadings, on the files they were found with: the Winterswijk AHN 5 m DTM in integer
centimetres NAP read as metres, the 't Hoekje groundwater in m NAP read as m below surface, its 3Di land use
read as LGN. Without declarations ``alliantie check`` refuses each with what to write; with them the
values come out in the units the products expect. The heavy runs of the step 1 and 2 products are
``slow``. The data live beside the repository (``/work/shared/realdata`` for ``/work/main``, or
``$ALLIANTIE_REALDATA``); CI clones only the project, so these tests skip there.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from alliantie.cli.main import cli
from alliantie.dossier.config import load_dossier
from alliantie.dossier.inspect import check_inputs
from alliantie.dossier.registry import RunCache, load_products
from alliantie.dossier.run import run_dossier
from alliantie.errors import InputDataError
from alliantie.io.raster import read_raster
from alliantie.testing.realdata import hoekje, realdata_root, winterswijk

REALDATA = realdata_root(Path(__file__))
pytestmark = pytest.mark.skipif(
    not (REALDATA / "winterswijk_achterhoek").exists() or not (REALDATA / "hhnk_thoekje_schagen").exists(),
    reason=f"real Dutch test data not found at {REALDATA} (CI clones only the project; set ALLIANTIE_REALDATA)",
)

#: Terrain of the Winterswijk folder, m NAP (its README: 22.7 to 54.9).
WINTERSWIJK_RANGE = (22.0, 56.0)


def _check_text(toml: Path) -> str:
    result = CliRunner().invoke(cli, ["--lang", "en", "check", str(toml)])
    return result.output if result.exit_code == 0 else f"exit {result.exit_code}: {result.output}"


# ---- fast: understood or refused -------------------------------------------------------------------------------

def test_winterswijk_ahn_in_centimetres_is_refused_without_units(tmp_path: Path) -> None:
    toml = winterswijk(tmp_path / "w", REALDATA, declare=False)
    with pytest.raises(InputDataError) as caught:
        check_inputs(load_dossier(toml))
    text = caught.value.message("en")
    assert "ahn_dtm_5m_cm_cut.tif" in text and 'units = "cm"' in text


def test_winterswijk_ahn_with_units_is_read_in_metres(tmp_path: Path) -> None:
    toml = winterswijk(tmp_path / "w", REALDATA)
    output = " ".join(_check_text(toml).split())
    assert "is valid" in output and "unit cm (declared), converted to m" in output
    cache = RunCache(load_dossier(toml))
    dem = cache.raster("dem").array
    low, high = WINTERSWIJK_RANGE
    assert low < np.nanmin(dem) and np.nanmax(dem) < high  # metres NAP, not centimetres
    assert cache.door["dem"]["converted"] == ["units"]


def test_winterswijk_merged_file_says_its_unit_itself(tmp_path: Path) -> None:
    toml = winterswijk(tmp_path / "w", REALDATA, declare=False, tagged=True)
    cache = RunCache(load_dossier(toml))
    dem = cache.raster("dem").array
    assert np.nanmax(dem) < WINTERSWIJK_RANGE[1]
    assert cache.door["dem"]["sources"] == {"units": "tag"}


def test_hoekje_groundwater_in_m_nap_and_3di_land_use_are_refused_without_declarations(tmp_path: Path) -> None:
    toml = hoekje(tmp_path / "h", REALDATA, declare=False, resolution=5.0)
    with pytest.raises(InputDataError) as caught:
        check_inputs(load_dossier(toml))
    assert "gwlvl_ghg.tif" in caught.value.message("en") and 'datum = "NAP"' in caught.value.message("en")
    text = toml.read_text(encoding="utf-8")  # declare the datum: the land use is the next to be refused
    text = re.sub(r'^(g[hl]g = \{ path = "[^"]+")', r'\1, datum = "NAP"', text, flags=re.MULTILINE)
    toml.write_text(text, encoding="utf-8")
    with pytest.raises(InputDataError) as caught:
        check_inputs(load_dossier(toml))
    message = caught.value.message("en")
    assert "landuse_threedi2019_hoekje.tif" in message and 'codes = "3di"' in message


def test_hoekje_with_declarations_is_understood(tmp_path: Path) -> None:
    toml = hoekje(tmp_path / "h", REALDATA, resolution=5.0)
    output = " ".join(_check_text(toml).split())
    assert "is valid" in output, output
    assert "level in m NAP (declared), converted to m below surface" in output
    assert "code list 3di (declared), translated to LGN classes" in output
    cache = RunCache(load_dossier(toml))
    inside = cache.mask
    ghg, glg = cache.raster("ghg").array[inside], cache.raster("glg").array[inside]
    # depths below the surface: the polder's GHG lies a few decimetres down, the GLG deeper
    assert 0.0 < np.nanmedian(ghg) < 1.5 and np.nanmedian(ghg) < np.nanmedian(glg) < 2.5
    landuse = cache.raster("landuse").array[inside]
    classes = set(np.unique(landuse).tolist())
    assert {1, 16, 18, 25} <= classes and classes <= {0, 1, 11, 16, 18, 25, 28, 45}
    assert cache.door["landuse"]["unknown_codes_share"] == 0.0


# ---- slow: steps 1 and 2 on the real areas ---------------------------------------------------------------------

def _steps_1_and_2() -> list[str]:
    return [name for name, product in load_products().items() if product.step in (1, 2)]


def _max(path: Path) -> float:
    return float(np.nanmax(read_raster(path).array))


@pytest.mark.slow
def test_winterswijk_steps_1_and_2_have_no_hundredfold_depths(tmp_path: Path) -> None:
    toml = winterswijk(tmp_path / "w", REALDATA)
    dossier = load_dossier(toml)
    summary = run_dossier(dossier, products=_steps_1_and_2())
    assert "urgency.pluvial" in summary.computed
    products = dossier.products_dir
    elevation = read_raster(products / "baseinfo.elevation" / "elevation.tif").array
    low, high = WINTERSWIJK_RANGE
    assert low < np.nanmin(elevation) and np.nanmax(elevation) < high
    # depths of pluvial flooding in a town on sandy slopes: decimetres, never the tens of metres of a cm DEM
    assert _max(products / "urgency.pluvial" / "depth_t100_current.tif") < 3.0
    checks = json.loads((products / "urgency.pluvial" / "provenance.json").read_text())["input_checks"]
    assert checks["dem"]["converted"] == ["units"]


@pytest.mark.slow
def test_hoekje_steps_1_and_2_use_the_converted_groundwater_and_land_use(tmp_path: Path) -> None:
    toml = hoekje(tmp_path / "h", REALDATA, resolution=5.0)
    dossier = load_dossier(toml)
    run_dossier(dossier, products=_steps_1_and_2())
    products = dossier.products_dir
    assert _max(products / "urgency.pluvial" / "depth_t100_current.tif") < 3.0
    provenance = json.loads((products / "urgency.drought" / "provenance.json").read_text())
    assert provenance["inputs"]["ghg"]["datum"] == "NAP" and provenance["inputs"]["landuse"]["codes"] == "3di"
    assert provenance["input_checks"]["ghg"]["converted"] == ["datum"]
    assert provenance["input_checks"]["landuse"]["converted"] == ["codes"]


SHEET = REALDATA / "winterswijk_achterhoek" / "ahn_5m_dtm_tiles" / "34HN2_CM.tif"  # int16 cm, no tag, 10% valid


def test_bluespots_refuses_an_ahn_map_sheet_in_centimetres(tmp_path: Path) -> None:
    """The command of the issue's first finding: an AHN sheet read as metres is refused with the option to add."""
    refused = CliRunner().invoke(cli, ["--lang", "en", "bluespots", str(SHEET), "--out", str(tmp_path / "a")])
    assert refused.exit_code == 3 and "--units cm" in " ".join(refused.output.split()), refused.output
    assert not (tmp_path / "a").exists()


@pytest.mark.slow
def test_bluespots_reads_an_ahn_map_sheet_with_units(tmp_path: Path) -> None:
    """Read as metres (before) the sheet stored 99,982 m3 of a 70 mm storm at depths up to 20.5 m; as cm 8,900 m3."""
    done = CliRunner().invoke(cli, ["--lang", "en", "bluespots", str(SHEET), "--units", "cm", "--out",
                                    str(tmp_path / "b")])
    assert done.exit_code == 0, done.output
    assert _max(tmp_path / "b" / "depth_rain70mm_current.tif") < 3.0  # decimetres, not tens of metres
    summary = json.loads((tmp_path / "b" / "summary.json").read_text())["cases"][0]
    assert summary["stored_bluespots_m3"] < 0.1 * summary["rain_m3"]
