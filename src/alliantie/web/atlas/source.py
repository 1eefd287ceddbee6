"""The dossier behind the atlas: loaded when first asked for, again when ``dossier.toml`` changes."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import pyproj

from alliantie.climate.scenarios import ClimateScenario, dossier_scenarios
from alliantie.dossier.config import Dossier, load_dossier
from alliantie.errors import AlliantieError
from alliantie.web.atlas.errors import DossierMissingError


@dataclass(frozen=True)
class Loaded:
    """A loaded dossier with what every route needs of it."""

    dossier: Dossier
    scenarios: tuple[ClimateScenario, ...]
    to_lonlat: pyproj.Transformer

    @property
    def scenario_ids(self) -> list[str]:
        return [s.id for s in self.scenarios]

    def lonlat_box(self, bounds: tuple[float, float, float, float]) -> list[float]:
        """``(xmin, ymin, xmax, ymax)`` in the dossier CRS as ``[w, s, e, n]`` in EPSG:4326 (edges densified)."""
        w, s, e, n = self.to_lonlat.transform_bounds(*bounds, densify_pts=21)
        return [round(v, 6) for v in (w, s, e, n)]


class DossierSource:
    """The dossier file the server was started with."""

    def __init__(self, dossier_file: Path) -> None:
        self.dossier_file = Path(dossier_file)
        self._lock = threading.Lock()
        self._loaded: Loaded | None = None
        self._mtime: int | None = None

    @property
    def toml_path(self) -> Path:
        return self.dossier_file / "dossier.toml" if self.dossier_file.is_dir() else self.dossier_file

    def get(self) -> Loaded:
        """The dossier, loaded (again when its file changed); :class:`DossierMissingError` when it cannot be."""
        path = self.toml_path
        try:
            mtime = path.stat().st_mtime_ns
        except OSError as exc:
            raise DossierMissingError(dossier=str(path), detail=exc.strerror or str(exc)) from None
        with self._lock:
            if self._loaded is None or mtime != self._mtime:
                try:
                    dossier = load_dossier(path)
                except AlliantieError as exc:
                    raise DossierMissingError(dossier=str(path), detail=exc) from None
                scenarios = dossier_scenarios(dossier.config.scenarios.model_dump())
                to_lonlat = pyproj.Transformer.from_crs(dossier.config.crs, "EPSG:4326", always_xy=True)
                self._loaded = Loaded(dossier=dossier, scenarios=tuple(scenarios), to_lonlat=to_lonlat)
                self._mtime = mtime
            return self._loaded

    def products_dir(self) -> Path:
        return self.get().dossier.products_dir

    def scenario_ids(self) -> list[str]:
        return self.get().scenario_ids
