"""``alliantie fetch`` against recorded answers of the PDOK services (httpx.MockTransport; no network)."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import httpx
import numpy as np
import pytest
import rasterio
from click.testing import CliRunner
from shapely.geometry import box

from alliantie.errors import FetchError
from alliantie.fetch import run as fetch_run
from alliantie.fetch.ahn import tiles_for
from alliantie.fetch.run import config_lines, fetch_datasets
from alliantie.fetch.toml_edit import set_inputs

DATA = Path(__file__).resolve().parents[1] / "data" / "fetch"
AREA = box(244000, 443000, 244400, 443300)


class BrokenStream(httpx.SyncByteStream):
    """An answer whose connection breaks after ``keep`` bytes."""

    def __init__(self, data: bytes, keep: int) -> None:
        self.data, self.keep = data, keep

    def __iter__(self) -> Iterator[bytes]:
        yield self.data[: self.keep]
        raise httpx.ReadError("connection reset by peer")


class FakePdok:
    """PDOK as the fixtures record it; ``fail`` maps a path to the failures to give before answering."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.fail: dict[str, list[str]] = {}

    def _file(self, name: str) -> bytes:
        return (DATA / name).read_bytes()

    def _answer(self, request: httpx.Request, body: bytes, content_type: str) -> httpx.Response:
        failures = self.fail.get(request.url.path, [])
        if failures:
            kind = failures.pop(0)
            if kind == "500":
                return httpx.Response(500, content=b"Internal Server Error")
            if kind == "break":
                return httpx.Response(200, headers={"content-length": str(len(body)), "content-type": content_type,
                                                    "accept-ranges": "bytes"},
                                      stream=BrokenStream(body, len(body) // 3))
        ranged = request.headers.get("range")
        if ranged:
            start = int(ranged.removeprefix("bytes=").split("-")[0])
            return httpx.Response(206, content=body[start:], headers={
                "content-type": content_type, "content-range": f"bytes {start}-{len(body) - 1}/{len(body)}",
                "last-modified": "Mon, 20 Apr 2026 00:00:00 GMT"})
        return httpx.Response(200, content=body, headers={"content-type": content_type,
                                                          "last-modified": "Mon, 20 Apr 2026 00:00:00 GMT"})

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path, query = request.url.path, request.url.params
        if path == "/kadaster/bag/ogc/v2/collections":
            return self._answer(request, self._file("bag_collections.json"), "application/json")
        if path == "/kadaster/bag/ogc/v2/collections/pand/items":
            page = "bag_pand_page2.json" if query.get("cursor") == "AAB2" else "bag_pand_page1.json"
            return self._answer(request, self._file(page), "application/geo+json")
        if path == "/cbs/wijken-en-buurten-2024/ogc/v1/collections":
            return self._answer(request, self._file("cbs_collections.json"), "application/json")
        if path == "/cbs/wijken-en-buurten-2024/ogc/v1/collections/buurten/items":
            return self._answer(request, self._file("cbs_buurten_page1.json"), "application/geo+json")
        if path == "/lv/bgt/ogc/v1/collections":
            return self._answer(request, b'{"links": [], "collections": []}', "application/json")
        if path.startswith("/lv/bgt/ogc/v1/collections/"):
            recorded = DATA / f"bgt_{path.split('/')[-2]}_page1.json"
            body = recorded.read_bytes() if recorded.exists() else \
                b'{"type": "FeatureCollection", "features": [], "links": []}'
            return self._answer(request, body, "application/geo+json")
        if path == "/rws/ahn/wcs/v1_0":
            if query.get("COVERAGE") != "dtm_05m":
                return self._answer(request, self._file("wcs_exception.xml"), "application/vnd.ogc.se_xml")
            return self._answer(request, self._file("ahn_dtm_244000_443000.tif"), "image/tiff")
        if path == "/bzk/bro-bodemkaart/atom/downloads/BRO_DownloadBodemkaart.gpkg":
            return self._answer(request, self._file("bro_bodemkaart_sample.gpkg"), "application/geopackage+sqlite3")
        return httpx.Response(404, content=b"Not Found")


@pytest.fixture()
def pdok() -> FakePdok:
    return FakePdok()


@pytest.fixture()
def dossier(tmp_path: Path) -> Path:
    """A new dossier: a boundary and the lines of a config, none of the input files yet."""
    root = tmp_path / "winterswijk"
    (root / "inputs").mkdir(parents=True)
    gpd.GeoDataFrame({"name": ["test"]}, geometry=[AREA], crs="EPSG:28992").to_file(
        root / "inputs" / "boundary.gpkg", layer="boundary")
    toml = root / "dossier.toml"
    toml.write_text('name = "Winterswijk"\nresolution = 5.0\n'
                    'boundary = { path = "inputs/boundary.gpkg", layer = "boundary" }  # study area\n\n'
                    '[inputs]\n# elevation\ndem = "inputs/dem.tif"\nsoil = "inputs/soil.gpkg"\n'
                    'ghg = "inputs/ghg.tif"\nglg = "inputs/glg.tif"\nlanduse = "inputs/landuse.tif"\n\n'
                    '[scenarios]\nknmi = ["Hd"]\n', encoding="utf-8")
    return toml


def _fetch(toml: Path, pdok: FakePdok, *names: str, **kwargs):
    with httpx.Client(transport=httpx.MockTransport(pdok)) as client:
        return fetch_datasets(toml, set(names), client=client, backoff_s=0.0, **kwargs)


def test_bag_pages_licence_and_cache_hit(dossier, pdok):
    report = _fetch(dossier, pdok, "bag")
    root = dossier.parent
    frame = gpd.read_file(root / "inputs" / "fetched" / "bag.gpkg", layer="pand")
    assert sorted(frame["bouwjaar"]) == [1931, 1965, 1978, 2005]  # both pages, the year under its BAG name
    items = [r for r in pdok.requests if r.url.path.endswith("/items")]
    assert len(items) == 2 and items[0].url.params["bbox-crs"].endswith("/EPSG/0/28992")
    assert items[0].url.params["bbox"] == "244000.00,443000.00,244400.00,443300.00"
    record = json.loads((root / "inputs" / "fetched" / "fetched.json").read_text())["bag"]
    assert record["licence"]["name"] == "Public Domain Mark 1.0"  # as the service's license link says
    assert record["files"][0]["requests"][0]["pages"] == 2 and record["files"][0]["retrieved"]
    assert config_lines(report) == ['buildings = { path = "inputs/fetched/bag.gpkg", layer = "pand" }']
    assert report.downloaded_bytes > 0 and report.cache_hits == 0
    asked = len(pdok.requests)
    again = _fetch(dossier, pdok, "bag")
    assert len(pdok.requests) == asked  # every answer from the cache: no request at all
    assert again.downloaded_bytes == 0 and again.cache_hits == 3
    assert gpd.read_file(root / "inputs" / "fetched" / "bag.gpkg", layer="pand").shape == frame.shape
    refreshed = _fetch(dossier, pdok, "bag", refresh=True)
    assert refreshed.cache_hits == 0 and len(pdok.requests) == asked + 3


def test_cache_is_content_addressed(dossier, pdok):
    _fetch(dossier, pdok, "bag")
    blobs = sorted((dossier.parent / ".cache" / "fetch" / "blobs").iterdir())
    import hashlib

    for blob in blobs:
        assert hashlib.sha256(blob.read_bytes()).hexdigest() == blob.name
    index = json.loads((dossier.parent / ".cache" / "fetch" / "index.json").read_text())
    assert {e["sha256"] for e in index.values()} == {b.name for b in blobs}


def test_broken_tile_download_resumes_with_range(dossier, pdok):
    pdok.fail["/rws/ahn/wcs/v1_0"] = ["break"]
    report = _fetch(dossier, pdok, "ahn")
    wcs = [r for r in pdok.requests if r.url.path == "/rws/ahn/wcs/v1_0"]
    assert len(wcs) == 2  # the broken answer, then the rest of it
    size = (DATA / "ahn_dtm_244000_443000.tif").stat().st_size
    assert "range" not in wcs[0].headers and wcs[1].headers["range"] == f"bytes={size // 3}-"
    tile = dossier.parent / "inputs" / "fetched" / "ahn" / "244000_443000.tif"
    assert tile.read_bytes() == (DATA / "ahn_dtm_244000_443000.tif").read_bytes()  # whole, byte for byte
    params = wcs[0].url.params
    assert (params["COVERAGE"], params["BBOX"], params["RESX"], params["CRS"]) == (
        "dtm_05m", "244000,443000,245000,444000", "0.5", "EPSG:28992")
    record = report.records[0]
    assert record.licence["name"] == "CC0 1.0" and record.files[0]["last_modified"].startswith("Mon, 20 Apr 2026")
    assert config_lines(report) == ['dem = { path = "inputs/fetched/ahn" }']
    with rasterio.open(tile) as ds:
        assert ds.crs.to_epsg() == 28992 and np.isclose(ds.read(1)[0, 0], 34.0)
    # the folder is what `dem = { path = "inputs/fetched/ahn" }` mosaics: PDOK's nodata becomes a gap, not a hill
    from alliantie.grid import Grid
    from alliantie.io.mosaic import read_tiles

    mosaic = read_tiles([str(tile)], Grid.from_bounds(AREA.bounds, 50.0, "EPSG:28992"))
    values = mosaic.data.array
    assert np.isnan(values).sum() == 0 and values.max() < 40.0  # the nodata block lies outside this area
    whole = read_tiles([str(tile)], Grid.from_bounds((244000, 443000, 245000, 444000), 50.0, "EPSG:28992"))
    assert np.isnan(whole.data.array).sum() == 6 and np.nanmax(whole.data.array) < 40.0


def test_paged_download_resumes_per_page(dossier, pdok):
    pdok.fail["/kadaster/bag/ogc/v2/collections/pand/items"] = ["ok"] + ["500"] * 5  # page 1 answers, page 2 fails
    with pytest.raises(FetchError) as caught:
        _fetch(dossier, pdok, "bag")
    message = caught.value.message("en")
    assert "bag: pand page 2" in message and "after 5 tries" in message and "HTTP 500" in message
    assert "resumes where it stopped" in message
    page1 = [r for r in pdok.requests if r.url.path.endswith("/items") and "cursor" not in r.url.params]
    assert len(page1) == 1
    _fetch(dossier, pdok, "bag")  # the service is back
    page1 = [r for r in pdok.requests if r.url.path.endswith("/items") and "cursor" not in r.url.params]
    assert len(page1) == 1  # page 1 came from the cache; only page 2 was asked again
    assert len(gpd.read_file(dossier.parent / "inputs" / "fetched" / "bag.gpkg", layer="pand")) == 4


def test_404_is_a_clear_message(dossier, pdok):
    with pytest.raises(FetchError) as caught:
        _fetch(dossier, pdok, "cbs", cbs_year=2019)  # no such API in the recorded service
    message = caught.value.message("en")
    assert "refused https://api.pdok.nl/cbs/wijken-en-buurten-2019/ogc/v1/collections?f=json with HTTP 404" in message
    assert len(pdok.requests) == 1  # a 404 is not tried again


def test_wcs_exception_is_reported_not_cached(dossier, pdok, monkeypatch):
    from alliantie.fetch import sources

    monkeypatch.setattr(sources, "AHN", sources.CoverageSource(**{**sources.AHN.__dict__, "coverage": "dtm_5m"}))
    with pytest.raises(FetchError, match="MAXSIZE=4000"):
        _fetch(dossier, pdok, "ahn")
    index = json.loads((dossier.parent / ".cache" / "fetch" / "index.json").read_text())
    assert index == {}  # the exception report is not kept as if it were the tile


def test_cbs_bgt_and_soil_map(dossier, pdok):
    pdok.fail["/bzk/bro-bodemkaart/atom/downloads/BRO_DownloadBodemkaart.gpkg"] = ["break"]
    report = _fetch(dossier, pdok, "cbs", "bgt", "bro", "lgn")
    fetched = dossier.parent / "inputs" / "fetched"
    buurten = gpd.read_file(fetched / "cbs_wijken_buurten_2024.gpkg", layer="buurten")
    assert buurten["aantal_inwoners"].tolist() == [2310]
    soil = gpd.read_file(fetched / "bro_bodemkaart.gpkg", layer="soilarea")
    assert sorted(soil["maparea_id"]) == [101, 102]  # the far map area is clipped away
    assert dict(zip(soil["maparea_id"], soil["soilunit_code"], strict=True)) == {101: "Hn21", 102: "zEZ23"}
    assert {r.dataset: r.licence["name"] for r in report.records} == {
        "bgt": "as stated by the service", "bro": "as stated by the service", "cbs": "CC BY 4.0"}
    assert report.skipped == ["lgn"]
    assert set(gpd.list_layers(fetched / "bgt.gpkg")["name"]) == {
        "pand", "wegdeel", "waterdeel", "begroeidterreindeel", "onbegroeidterreindeel"}
    assert config_lines(report) == [
        'waterbodies = { path = "inputs/fetched/bgt.gpkg", layer = "waterdeel" }',
        'landuse = { path = "inputs/fetched/bgt.gpkg", codes = "bgt" }',
        'soil = { path = "inputs/fetched/bro_bodemkaart.gpkg", layer = "soilarea" }',
        'neighbourhoods = { path = "inputs/fetched/cbs_wijken_buurten_2024.gpkg", layer = "buurten" }']


def test_write_config_keeps_the_rest(dossier):
    before = dossier.read_text()
    backup = set_inputs(dossier, ['dem = { path = "inputs/fetched/ahn" }',
                                  'buildings = { path = "inputs/fetched/bag.gpkg", layer = "pand" }'])
    assert backup.read_text() == before
    data = tomllib.loads(dossier.read_text())
    assert data["inputs"]["dem"] == {"path": "inputs/fetched/ahn"}
    assert data["inputs"]["buildings"]["layer"] == "pand" and data["inputs"]["soil"] == "inputs/soil.gpkg"
    assert data["scenarios"]["knmi"] == ["Hd"] and "# elevation" in dossier.read_text()


def test_tiles_touch_the_area_only():
    area = box(0, 0, 2500, 900).union(box(0, 900, 400, 2100))  # an L
    names = [t.name for t in tiles_for(area, 1000.0)]
    assert names == ["0_2000.tif", "0_1000.tif", "0_0.tif", "1000_0.tif", "2000_0.tif"]


def test_cli_prints_lines_and_writes_config(dossier, pdok, monkeypatch):
    from alliantie.cli.main import cli

    monkeypatch.setattr(fetch_run, "_client", lambda: httpx.Client(transport=httpx.MockTransport(pdok)))
    result = CliRunner().invoke(cli, ["--lang", "en", "fetch", str(dossier.parent), "--bag", "--lgn"])
    assert result.exit_code == 0, result.output
    assert "bag: BAG panden (Kadaster): 1 file(s), licence Public Domain Mark 1.0" in result.output
    assert "LGN is open data since 2023" in result.output and "registration" in result.output
    assert 'buildings = { path = "inputs/fetched/bag.gpkg", layer = "pand" }' in result.output
    assert "buildings" not in tomllib.loads(dossier.read_text())["inputs"]  # printed only
    result = CliRunner().invoke(cli, ["--lang", "en", "fetch", str(dossier), "--bag", "--write-config"])
    assert result.exit_code == 0, result.output
    assert "0.0 MB downloaded, 3 answers from the cache" in result.output
    assert tomllib.loads(dossier.read_text())["inputs"]["buildings"]["path"] == "inputs/fetched/bag.gpkg"
    pdok.fail["/kadaster/bag/ogc/v2/collections"] = ["500"] * 5
    monkeypatch.setattr("alliantie.fetch.http.BACKOFF_S", 0.0)
    result = CliRunner().invoke(cli, ["--lang", "en", "fetch", str(dossier), "--bag", "--refresh"])
    assert result.exit_code == 8 and "Traceback" not in result.output
    assert "gave no complete answer after 5 tries (HTTP 500 Internal Server Error)" in result.output


def test_the_fetched_files_are_read_as_the_inputs_they_stand_for(dossier, pdok):
    """What fetch writes is understood by the dossier's readers: the BGT as land use (LGN classes, the ended road
    left out), the BAG's bouwjaar as year, the CBS residents, the BRO soil codes as soil classes."""
    from alliantie.dossier import load_dossier
    from alliantie.dossier.bgt_landuse import read_bgt_landuse
    from alliantie.dossier.registry import RunCache
    from alliantie.grid import Grid
    from alliantie.io.raster import write_raster

    report = _fetch(dossier, pdok, "bag", "bgt", "bro", "cbs", "ahn")
    set_inputs(dossier, config_lines(report))
    grid = Grid.from_bounds((244000.0, 443000.0, 244400.0, 443300.0), 10.0, "EPSG:28992")
    for name, depth in (("ghg", 0.6), ("glg", 1.6)):  # groundwater is not fetched: the dossier's own files
        write_raster(dossier.parent / "inputs" / f"{name}.tif", np.full(grid.shape, depth, np.float32), grid)
    loaded = load_dossier(dossier)
    landuse = read_bgt_landuse(loaded.input_file("landuse").path, grid, target_crs="EPSG:28992")

    def cell(x: float, y: float) -> int:
        return int(landuse.landuse.array[int((443300 - y) // 10), int((x - 244000) // 10)])

    assert cell(244275, 443045) == 18  # the building
    assert cell(244075, 443225) == 16  # the pond
    assert cell(244300, 443125) == 18 and landuse.paved_share[((443300 - 443125) // 10), 30] == 1.0  # road
    assert cell(244100, 443105) == cell(244100, 443050)  # the ended road is not there: grass on both sides
    assert set(landuse.layers) >= {"pand", "wegdeel", "waterdeel", "begroeidterreindeel"}
    cache = RunCache(loaded)
    assert sorted(cache.vector("buildings")["year"]) == [1931, 1965, 1978, 2005]
    assert cache.vector("neighbourhoods")["residents"].tolist() == [2310]
    assert cache.vector("soil")["soil_class"].notna().all()
