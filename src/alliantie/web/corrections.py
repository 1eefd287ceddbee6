"""Expert corrections of the vulnerability map drawn in the browser, appended to the dossier's corrections layer.

The layer is the one :mod:`alliantie.contract.corrections` reads (the dossier's
``[inputs] corrections``, else ``inputs/corrections.gpkg``, layer ``corrections``):
polygons in the dossier's CRS with ``theme``, ``action``, ``level``, ``scenario``,
``reason``, ``author`` and ``date`` (ISO text). A correction is checked by that
module's own :func:`~alliantie.contract.corrections.validate_corrections` before
anything is written, so the browser gets the same message as ``alliantie check``.
Append-only: the old file is copied, the row appended to the copy and the copy
renamed into place (:func:`alliantie.io.atomic.atomic_file`); the older rows, the
other layers and their styles stay byte for byte. One lock serialises appends
within the server.
"""

from __future__ import annotations

import datetime as dt
import shutil
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import pyogrio
import shapely
import shapely.errors
import shapely.geometry

from alliantie.climate import dossier_scenarios
from alliantie.contract.corrections import validate_corrections
from alliantie.dossier import load_dossier
from alliantie.dossier.config import Dossier
from alliantie.dossier.registry import parameter_value
from alliantie.errors import InputDataError
from alliantie.io.atomic import atomic_file

CORRECTIONS_FILE = "inputs/corrections.gpkg"
CORRECTIONS_LAYER = "corrections"
#: The columns in the order the demo's layer has them.
COLUMNS = ("theme", "action", "level", "scenario", "reason", "author", "date")

_LOCK = threading.Lock()


@dataclass(frozen=True)
class Appended:
    """Where the correction went: the file, its layer, the new row's 1-based number, and whether the dossier
    reads that file (``[inputs] corrections``; if not, a re-run does not apply it until it is configured)."""

    path: Path
    layer: str
    row: int
    configured: bool


def corrections_target(dossier: Dossier) -> tuple[Path, str, bool]:
    """The corrections file and layer of ``dossier`` (its configured input, else the default) and whether it is
    configured."""
    ref = dossier.input_file("corrections")
    if ref is not None:
        return Path(ref.path), ref.layer or CORRECTIONS_LAYER, True
    return dossier.root / CORRECTIONS_FILE, CORRECTIONS_LAYER, False


def append_correction(dossier_file: Path, geometry: Mapping[str, Any], *, theme: str, action: str, reason: str,
                      author: str, date: dt.date | str | None = None, level: int | None = None,
                      scenario: str | None = None) -> Appended:
    """Append one correction (``geometry``: a GeoJSON Polygon or MultiPolygon in EPSG:4326) to the dossier's layer.

    ``date`` defaults to today. Raises :class:`~alliantie.errors.InputDataError` with the contract's
    message when a value is wrong; nothing is written then.
    """
    dossier = load_dossier(dossier_file)
    crs = dossier.config.crs
    try:
        shape = shapely.geometry.shape(dict(geometry))
    except (KeyError, TypeError, ValueError, AttributeError, IndexError, shapely.errors.ShapelyError):
        raise InputDataError("vulnerability.errors.geometry", row=1, kind="-") from None
    if not shapely.is_valid(shape):
        shape = shapely.make_valid(shape)
    when = dt.date.today() if date is None else date
    row = {"theme": theme, "action": action, "level": level, "scenario": scenario or None, "reason": reason,
           "author": author, "date": when.isoformat() if isinstance(when, dt.date) else str(when)}
    frame = gpd.GeoDataFrame([row], columns=list(COLUMNS), geometry=[shape], crs="EPSG:4326").to_crs(crs)
    path, layer, configured = corrections_target(dossier)
    scenarios = [s.id for s in dossier_scenarios(parameter_value(dossier, "scenarios"))]
    with _LOCK:
        count = _rows(path, layer)
        frame["_row"] = count + 1
        try:
            checked = validate_corrections(frame, path=str(path), scenario_ids=scenarios)[0]
        except InputDataError as exc:  # the contract's problems, said for the form instead of for QGIS
            if exc.key != "vulnerability.errors.corrections_invalid":
                raise
            raise InputDataError("web_indicators.errors.correction_invalid", count=exc.params["count"],
                                 details=exc.params["details"]) from None
        out = gpd.GeoDataFrame({
            "theme": [checked.theme], "action": [checked.action],
            "level": [checked.level], "scenario": [checked.scenario], "reason": [checked.reason],
            "author": [checked.author], "date": [checked.date.isoformat()],
        }, geometry=[checked.geometry], crs=crs)
        if checked.geometry.geom_type == "Polygon" and count and _geometry_type(path, layer) == "MultiPolygon":
            out = out.set_geometry(shapely.multipolygons([checked.geometry]), crs=crs)
        with atomic_file(path) as tmp:
            if path.exists():
                shutil.copy2(path, tmp)
            _write(out, tmp, layer, append=_has_layer(path, layer))
    return Appended(path=path, layer=layer, row=count + 1, configured=configured)


def _has_layer(path: Path, layer: str) -> bool:
    return path.exists() and layer in [name for name, _kind in pyogrio.list_layers(path)]


def _rows(path: Path, layer: str) -> int:
    """Rows in the layer now (0 when there is no file or layer)."""
    if not _has_layer(path, layer):
        return 0
    return int(pyogrio.read_info(path, layer=layer)["features"])


def _geometry_type(path: Path, layer: str) -> str:
    return str(pyogrio.read_info(path, layer=layer)["geometry_type"])


def _write(frame: gpd.GeoDataFrame, path: Path, layer: str, *, append: bool) -> None:
    if append:
        fields = set(pyogrio.read_info(path, layer=layer)["fields"])
        frame = frame[[c for c in frame.columns if c in fields or c == frame.geometry.name]]
        pyogrio.write_dataframe(frame, path, layer=layer, driver="GPKG", append=True)
    else:
        pyogrio.write_dataframe(frame, path, layer=layer, driver="GPKG", geometry_type="MultiPolygon"
                                if frame.geometry.iloc[0].geom_type == "MultiPolygon" else "Polygon")
