"""The guide model per cell, and both step 3 products run on a small dossier."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import rasterio

from alliantie.contract.names import GUIDE_MODELS, SUITABILITY
from alliantie.dossier import load_dossier, run_dossier
from alliantie.knowledge.guide_models import GuideModels
from alliantie.method.baseinfo.classes import codes
from alliantie.method.baseinfo.knowledge import LandscapeRules
from alliantie.method.vista.guide_models.analysis import model_codes, with_city
from alliantie.method.vista.suitability.knowledge import SuitabilityRules

MODELS = GuideModels.load()
LANDSCAPE = codes(LandscapeRules.load().type)
CODE = {m.id: m.code for m in MODELS.models}


def test_open_water_takes_the_model_of_the_landscape_around_it() -> None:
    landscape = np.full((20, 20), LANDSCAPE["veenweide"], dtype=np.uint8)
    landscape[:, 12:] = LANDSCAPE["dekzand"]
    landscape[8:11, 2:5] = LANDSCAPE["water"]
    landscape[0, 0] = 0
    out = model_codes(landscape, LANDSCAPE, MODELS)
    assert (out[8:11, 2:5] == CODE["veen"]).all()
    assert (out[:, 12:] == CODE["dekzand"]).all()
    assert out[0, 0] == 0


def test_the_city_model_needs_a_dense_and_large_enough_area() -> None:
    zones = np.full((100, 100), CODE["dekzand"], dtype=np.uint8)
    share = np.zeros((100, 100), dtype=np.float32)
    share[10:50, 10:50] = 0.9  # 16 ha at 10 m cells: a town centre
    share[80:83, 80:83] = 0.9  # a dense farmyard: too small
    share[60:70, 10:50] = 0.3  # not dense enough
    out = with_city(zones, share, MODELS, 100.0)
    assert (out[10:50, 10:50] == CODE["stad"]).all()
    assert (out[80:83, 80:83] == CODE["dekzand"]).all()
    assert (out[60:70, 10:50] == CODE["dekzand"]).all()


def test_both_products_run_and_write_what_the_report_reads(minimal_dossier: Path) -> None:
    dossier = load_dossier(minimal_dossier)
    run_dossier(dossier, products=[GUIDE_MODELS, SUITABILITY])
    guide = dossier.products_dir / GUIDE_MODELS
    with rasterio.open(guide / "guide_models.tif") as src:
        values = set(np.unique(src.read(1)).tolist())
    assert values - {0} and values <= {0, *CODE.values()}
    tables = json.loads((guide / "tables.json").read_text(encoding="utf-8"))["tables"]
    assert tables[0]["id"] == "guide_models_overview" and len(tables) >= 3
    suit = dossier.products_dir / SUITABILITY
    for group in SuitabilityRules.load().groups:
        with rasterio.open(suit / f"suitability_{group.id}.tif") as src:
            assert src.dtypes[0] == "uint8"
            assert set(np.unique(src.read(1)).tolist()) <= set(range(6))
    maps = json.loads((suit / "maps.json").read_text(encoding="utf-8"))["maps"]
    assert 1 <= len(maps) <= 4
    assert all(entry["label"]["nl"] for m in maps for entry in m["layers"][1]["legend"])
    assert (suit / "suitability.png").exists()
