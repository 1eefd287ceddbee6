"""``alliantie fetch``: what to download for a dossier, where it goes, and what it says about it.

:func:`fetch_datasets` needs only the dossier's ``boundary`` (and ``crs``): a new dossier can be fetched
before its other inputs exist. Everything lands in ``inputs/fetched/``; ``fetched.json`` there records per
dataset each file, the request it came from, its SHA-256, the licence and the dates (retrieved, and the
server's ``Last-Modified`` where it sent one). :func:`config_lines` gives the ``[inputs]`` lines for
``dossier.toml``; :mod:`alliantie.fetch.toml_edit` writes them when asked.
"""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx
from shapely.geometry.base import BaseGeometry

from alliantie import __version__
from alliantie.errors import ConfigError, FetchError
from alliantie.fetch import sources
from alliantie.fetch.ahn import fetch_tiles
from alliantie.fetch.bro import fetch_soil_map
from alliantie.fetch.cache import Cache, file_sha256
from alliantie.fetch.features import fetch_collection, service_licence
from alliantie.fetch.http import Downloader
from alliantie.io.atomic import atomic_file
from alliantie.io.vector import read_vector, write_vector_layers

#: The datasets ``alliantie fetch`` knows, in the order it fetches them.
DATASETS = ("ahn", "bag", "bgt", "bro", "cbs", "lgn")
FETCHED = Path("inputs") / "fetched"
CACHE = Path(".cache") / "fetch"
PROVENANCE = "fetched.json"
USER_AGENT = f"alliantie/{__version__} (alliantie fetch; open-source climate-adaptation planning)"


@dataclass
class DatasetRecord:
    """What was fetched for one dataset (one entry of ``fetched.json``)."""

    dataset: str
    title: str
    endpoint: str
    licence: dict[str, str]
    files: list[dict[str, Any]] = field(default_factory=list)
    #: ``input = value`` lines for ``[inputs]`` of dossier.toml
    inputs: dict[str, str] = field(default_factory=dict)
    note: str = ""


@dataclass
class FetchReport:
    records: list[DatasetRecord]
    downloaded_bytes: int
    cache_hits: int
    skipped: list[str]


def dossier_area(toml_path: Path) -> tuple[BaseGeometry, Path]:
    """The study area of the dossier at ``toml_path`` (its ``boundary``, in EPSG:28992) and its folder."""
    if toml_path.is_dir():
        toml_path = toml_path / "dossier.toml"
    try:
        data = tomllib.loads(toml_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError("errors.config_not_found", path=str(toml_path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("errors.config_toml_syntax", path=str(toml_path), detail=str(exc)) from None
    ref = data.get("boundary")
    path, layer = (ref, None) if isinstance(ref, str) else (
        (ref.get("path"), ref.get("layer")) if isinstance(ref, dict) else (None, None))
    if not isinstance(path, str):
        raise ConfigError("errors.fetch.no_boundary", path=str(toml_path))
    root = toml_path.parent.resolve()
    frame = read_vector(root / path, layer=layer if isinstance(layer, str) else None, target_crs="EPSG:28992",
                        label="boundary")
    polygons = frame[frame.geometry.geom_type.isin(["Polygon", "MultiPolygon"])]
    if polygons.empty:
        raise ConfigError("errors.fetch.no_boundary", path=str(toml_path))
    return polygons.geometry.union_all(), root


def _client() -> httpx.Client:
    return httpx.Client(timeout=httpx.Timeout(60.0, connect=20.0), follow_redirects=True,
                        headers={"User-Agent": USER_AGENT})


def fetch_datasets(toml_path: Path, datasets: Iterable[str], *, client: httpx.Client | None = None,
                   progress: Any = None, refresh: bool = False, cbs_year: int = 2024,
                   backoff_s: float | None = None) -> FetchReport:
    """Download ``datasets`` for the dossier's area into ``inputs/fetched/`` and record them in ``fetched.json``."""
    area, root = dossier_area(toml_path)
    out = root / FETCHED
    out.mkdir(parents=True, exist_ok=True)
    own_client = client is None
    http = client or _client()
    downloader = Downloader(Cache(root / CACHE), http, progress=progress, refresh=refresh, backoff_s=backoff_s)
    records: list[DatasetRecord] = []
    skipped: list[str] = []
    try:
        for name in DATASETS:
            if name not in datasets:
                continue
            if name == "lgn":
                skipped.append(name)
                continue
            records.append(_fetch_one(name, downloader, area, root, out, cbs_year))
    finally:
        if own_client:
            http.close()
    _write_provenance(out / PROVENANCE, records)
    return FetchReport(records, downloader.downloaded_bytes, downloader.hits, skipped)


def _rel(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def _fetch_one(name: str, downloader: Downloader, area: BaseGeometry, root: Path, out: Path,
               cbs_year: int) -> DatasetRecord:
    if name == "ahn":
        src = sources.AHN
        tiles = fetch_tiles(downloader, src, area, out / src.folder)
        record = DatasetRecord(name, src.title, src.url, asdict(src.licence),
                               inputs={src.input: f'{{ path = "{_rel(out / src.folder, root)}" }}'})
        record.files = [{"path": _rel(t.path, root), "url": t.url, "sha256": t.sha256, "retrieved": t.retrieved,
                         "last_modified": t.last_modified} for t in tiles]
        return record
    if name == "bro":
        bro = sources.BRO
        target = out / bro.file
        fetched = fetch_soil_map(downloader, bro, area, target)
        record = DatasetRecord(name, bro.title, bro.url, asdict(bro.licence),
                               inputs={bro.input: f'{{ path = "{_rel(target, root)}", layer = "{bro.layer}" }}'},
                               note="soil: the BRO soil-unit codes (soilunit_code) are read into soil classes "
                                    "by the national schemas (national_schemas.toml, [bro_soil])")
        record.files = [{"path": _rel(target, root), "url": fetched.entry.url, "sha256": file_sha256(target),
                         "source_sha256": fetched.entry.sha256, "retrieved": fetched.entry.retrieved,
                         "last_modified": fetched.entry.last_modified}]
        return record
    source = {"bag": sources.BAG, "bgt": sources.BGT, "cbs": sources.cbs(cbs_year)}[name]
    licence = service_licence(downloader, source)
    bbox = area.bounds
    layers = []
    requests = []
    for collection in source.collections:
        got = fetch_collection(downloader, source, collection, bbox, area)
        layers.append((collection, got.frame, "Polygon" if got.frame.empty else None, None))
        requests.append({"collection": collection, "url": got.url, "pages": got.pages, "features": len(got.frame),
                         "pages_from_cache": got.hits})
    target = out / source.file
    write_vector_layers(target, layers)
    lines = {inp: f'{{ path = "{_rel(target, root)}", layer = "{layer}" }}' for inp, layer in source.inputs}
    if source.landuse_codes:  # the BGT's land cover as land use (dossier/bgt_landuse.py)
        lines["landuse"] = f'{{ path = "{_rel(target, root)}", codes = "{source.landuse_codes}" }}'
    record = DatasetRecord(name, source.title, source.api, asdict(licence), inputs=lines)
    record.files = [{"path": _rel(target, root), "sha256": file_sha256(target),
                     "retrieved": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "requests": requests}]
    return record


def _write_provenance(path: Path, records: list[DatasetRecord]) -> None:
    """Merge ``records`` into ``fetched.json`` (a dataset fetched again replaces its entry)."""
    saved: dict[str, Any] = {}
    if path.exists():
        try:
            saved = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            saved = {}
    for record in records:
        saved[record.dataset] = asdict(record)
    with atomic_file(path) as tmp:
        tmp.write_text(json.dumps(saved, indent=2, ensure_ascii=False), encoding="utf-8")


def config_lines(report: FetchReport) -> list[str]:
    """The ``[inputs]`` lines for what was fetched (``name = { path = ..., layer = ... }``)."""
    return [f"{name} = {value}" for record in report.records for name, value in record.inputs.items()]


def ensure_known(datasets: Iterable[str]) -> None:
    unknown = sorted(set(datasets) - set(DATASETS))
    if unknown:
        raise FetchError("errors.fetch.unknown", names=", ".join(unknown), known=", ".join(DATASETS))
