"""``alliantie assess`` on the small demo (seed 7): the demo's three example initiatives get the right verdicts
with their numbers, the verdict renders on one page, and bad input is refused with a clear message."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
from click.testing import CliRunner, Result
from shapely.geometry import Point, box

from alliantie.cli.main import cli
from alliantie.contract.names import STRUCTURE
from alliantie.dossier import load_dossier, run_dossier
from alliantie.dossier.area import boundary_geometry
from alliantie.testing import write_minimal_dossier
from alliantie.testing.web_demo import shared_demo


def _invoke(*args: str, lang: str = "en") -> Result:
    return CliRunner().invoke(cli, ["--lang", lang, *args])


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    """A copy of the shared small demo with the structure carriers computed too (the assessment reads them)."""
    source = shared_demo(tmp_path_factory.getbasetemp()).parent
    target = tmp_path_factory.mktemp("assess") / "demo"
    shutil.copytree(source, target)
    run_dossier(load_dossier(target / "dossier.toml"), products=[STRUCTURE])
    return target


def _pages(pdf: Path) -> int:
    try:
        import pypdfium2
    except ImportError:
        return len(re.findall(rb"/Type /Page[^s]", pdf.read_bytes()))
    return len(pypdfium2.PdfDocument(str(pdf)))


def test_the_demo_initiatives_get_the_right_verdicts(demo, tmp_path):
    out = tmp_path / "verdict"
    result = _invoke("assess", str(demo), str(demo / "inputs" / "initiatives.gpkg"), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    data = json.loads((out / "assessment.json").read_text(encoding="utf-8"))
    by_name = {i["name"]: i for i in data["initiatives"]}
    assert [by_name[n]["status"] for n in ("Bouwplan Oost", "Bouwplan Zuidoost", "Bouwplan Laagte")] == [
        "pass", "fail", "fail"]
    rules = {name: {r["id"]: r for r in item["rules"]} for name, item in by_name.items()}
    # fails on storage, with the number, and on nothing else
    storage = rules["Bouwplan Zuidoost"]
    assert {i for i, r in storage.items() if r["status"] != "pass"} == {"storage_maatlat", "storage_local"}
    assert storage["storage_maatlat"]["value"] == 25.0 and storage["storage_maatlat"]["threshold"] == 50.0
    reason = storage["storage_maatlat"]["reason"]["en"]
    assert "25 mm" in reason and "50 mm" in reason
    # in a bluespot
    low = rules["Bouwplan Laagte"]
    assert low["bluespot"]["status"] == "fail" and low["bluespot"]["value"] > 0.5
    assert {i for i, r in low.items() if r["status"] != "pass"} <= {"bluespot", "wet_spot"}
    # the passing plan passes on measured numbers, not on missing ones
    good = rules["Bouwplan Oost"]
    assert all(r["status"] == "pass" for r in good.values())
    assert good["cool_place"]["value"] is not None and good["cool_place"]["value"] <= 300.0
    assert "Bouwplan Zuidoost" in result.output and "fail" in result.output
    html = (out / "verdict.html").read_text(encoding="utf-8")
    assert "Bouwplan Laagte" in html and "voldoet niet" in html  # the dossier's language (nl) by default
    assert _pages(out / "verdict.pdf") == 1


def test_the_verdict_in_english_and_rule_choices_of_the_dossier(demo, tmp_path):
    own = tmp_path / "own"
    shutil.copytree(demo, own, ignore=shutil.ignore_patterns("report"))
    toml = own / "dossier.toml"
    choices = '\n[parameters.assessment]\nthresholds = { storage_maatlat = 70.0 }\nskip = ["storage_local"]\n'
    toml.write_text(toml.read_text(encoding="utf-8") + choices, encoding="utf-8")
    out = tmp_path / "en"
    result = _invoke("assess", str(own), str(own / "inputs" / "initiatives.gpkg"), "--out", str(out),
                     "--language", "en")
    assert result.exit_code == 0, result.output
    data = json.loads((out / "assessment.json").read_text(encoding="utf-8"))
    oost = next(i for i in data["initiatives"] if i["name"] == "Bouwplan Oost")
    maatlat = next(r for r in oost["rules"] if r["id"] == "storage_maatlat")
    assert maatlat["status"] == "fail" and maatlat["threshold"] == 70.0  # 60 mm is no longer enough
    assert all(r["id"] != "storage_local" for r in oost["rules"])
    assert "Assessment framework" in (out / "verdict.html").read_text(encoding="utf-8")


def test_a_choice_outside_the_allowed_range_is_refused(demo, tmp_path):
    own = tmp_path / "own"
    shutil.copytree(demo, own, ignore=shutil.ignore_patterns("report"))
    toml = own / "dossier.toml"
    choices = "\n[parameters.assessment]\nthresholds = { storage_maatlat = 20.0 }\n"
    toml.write_text(toml.read_text(encoding="utf-8") + choices, encoding="utf-8")
    result = _invoke("assess", str(own), str(own / "inputs" / "initiatives.gpkg"), "--out", str(tmp_path / "o"))
    assert result.exit_code == 2, result.output
    assert "storage_maatlat" in result.output and "40" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "o").exists()


def _write(frame: gpd.GeoDataFrame, path: Path) -> Path:
    frame.to_file(path, layer="initiatives", driver="GPKG")
    return path


@pytest.mark.parametrize("case", ["text", "geojson", "points", "no_crs", "wrong_crs", "bad_share"])
def test_bad_initiatives_are_refused_with_a_clear_message(demo, tmp_path, case):
    inside = box(155170, 464080, 155270, 464160)
    if case == "text":
        path = tmp_path / "plan.gpkg"
        path.write_text("not a geopackage", encoding="utf-8")
        words = ["GeoPackage"]
    elif case == "geojson":
        path = tmp_path / "plan.geojson"
        gpd.GeoDataFrame({"name": ["a"]}, geometry=[inside], crs="EPSG:28992").to_file(path, driver="GeoJSON")
        words = ["GeoPackage"]
    elif case == "points":
        path = _write(gpd.GeoDataFrame({"name": ["a"]}, geometry=[Point(155200, 464100)], crs="EPSG:28992"),
                      tmp_path / "plan.gpkg")
        words = ["no polygons", "Point"]
    elif case == "no_crs":
        path = tmp_path / "plan.gpkg"
        pyogrio.write_dataframe(gpd.GeoDataFrame({"name": ["a"]}, geometry=[inside]), path, layer="initiatives")
        words = ["coordinate reference system"]
    elif case == "wrong_crs":  # RD coordinates written as if they were longitude/latitude
        path = _write(gpd.GeoDataFrame({"name": ["a"]}, geometry=[box(5.38, 52.15, 5.39, 52.16)], crs="EPSG:28992"),
                      tmp_path / "plan.gpkg")
        words = ["outside the dossier's study area", "CRS"]
    else:
        path = _write(gpd.GeoDataFrame({"name": ["a"], "green_share": [40.0]}, geometry=[inside], crs="EPSG:28992"),
                      tmp_path / "plan.gpkg")
        words = ["green_share", "0.3 for 30 %"]
    result = _invoke("assess", str(demo), str(path), "--out", str(tmp_path / "out"))
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output
    for word in words:
        assert word in result.output
    assert not (tmp_path / "out").exists()


def test_products_not_computed_tell_to_run_first(tmp_path):
    toml = write_minimal_dossier(tmp_path / "d")
    dossier = load_dossier(toml)
    minx, miny, _, _ = boundary_geometry(dossier).bounds
    plan = _write(gpd.GeoDataFrame({"name": ["a"]}, geometry=[box(minx + 10, miny + 10, minx + 60, miny + 60)],
                                   crs=dossier.config.crs), tmp_path / "p.gpkg")
    for lang, words in (("en", ["alliantie run", "not been computed"]), ("nl", ["alliantie run", "nog niet berekend"])):
        result = _invoke("assess", str(toml), str(plan), lang=lang)
        assert result.exit_code == 4, result.output
        assert "Traceback" not in result.output
        for word in words:
            assert word in result.output
