"""What the palette shows at a point: the landscape type, its guide model and the measures in the model's order.

The landscape type is read from the saved ``baseinfo.landscape`` product
(``landscape.tif``) and the guide model from the saved ``vista.guide_models``
product (``guide_models.tif``: the landscape's model, or the city model where the
product found the land densely built), so the palette says what the maps say.
The measures come first from the model's legend (``guide_models.toml`` goals) on
the level drawn at, ordered by the model's priority of the four water principles
(then legend order), each with the goal's principle; then every other catalogue
measure of that level. Guide-model levels per workshop level: region -> the
region and the soil-and-subsurface goals; town and neighbourhood -> the town goals
(the guide models merge the neighbourhood into the town).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyproj
import rasterio

from alliantie.contract.names import GUIDE_MODELS, LANDSCAPE
from alliantie.dossier import load_dossier, load_products
from alliantie.dossier.registry import REGISTRY
from alliantie.errors import InputDataError
from alliantie.grid import Grid
from alliantie.knowledge.guide_models import GuideLevel, GuideModel, GuideModels
from alliantie.knowledge.measures import LEVELS, Measure, MeasureCatalogue
from alliantie.method.baseinfo.knowledge import LandscapeRules

#: The guide-model levels whose goals the palette shows first, per workshop level.
GUIDE_LEVELS: dict[str, tuple[GuideLevel, ...]] = {
    "region": ("region", "soil"), "town": ("town",), "neighbourhood": ("town",)}


@dataclass(frozen=True)
class ClassRaster:
    values: np.ndarray
    grid: Grid

    @classmethod
    def read(cls, path: Path) -> ClassRaster:
        if not path.exists():
            raise InputDataError("web_indicators.errors.no_product", path=str(path))
        with rasterio.open(path) as ds:
            grid = Grid(width=ds.width, height=ds.height, transform=ds.transform, crs=ds.crs.to_string())
            return cls(ds.read(1), grid)

    def at(self, x: float, y: float) -> int:
        """The class code at (x, y) in the raster's CRS (0 outside)."""
        col, row = ~self.grid.transform @ (x, y)
        r, c = int(np.floor(row)), int(np.floor(col))
        if 0 <= r < self.grid.height and 0 <= c < self.grid.width:
            return int(self.values[r, c])
        return 0


def measure_record(measure: Measure, language: str) -> dict[str, Any]:
    """A catalogue measure as the palette lists it."""
    return {
        "id": measure.id, "name": _name(measure.name, language), "description": _name(measure.description, language),
        "geometry": measure.geometry, "themes": list(measure.themes), "levels": list(measure.levels),
        "principles": list(measure.principles), "climate_principle": measure.climate_principle,
        "cost_unit": measure.investment.unit, "maintenance_unit": measure.maintenance.unit,
        "default_width_m": measure.default_width_m.value if measure.default_width_m else None,
    }


def _name(names: Any, language: str) -> str:
    return str(names.en if language == "en" else names.nl)


class Palette:
    """The palette of one dossier; the rasters and knowledge are read on first use."""

    def __init__(self, dossier_file: Path) -> None:
        self.dossier_file = Path(dossier_file)
        self._lock = threading.Lock()
        self._loaded = False

    def _load(self) -> None:
        with self._lock:
            if self._loaded:
                return
            load_products()
            dossier = load_dossier(self.dossier_file)
            self.catalogue = MeasureCatalogue.load(dossier.knowledge_override(MeasureCatalogue.FILE))
            self.models = GuideModels.load(dossier.knowledge_override(GuideModels.FILE))
            self.types = LandscapeRules.load(dossier.knowledge_override(LandscapeRules.FILE)).type
            self.landscape = ClassRaster.read(REGISTRY[LANDSCAPE].output_dir(dossier) / "landscape.tif")
            self.guide = ClassRaster.read(REGISTRY[GUIDE_MODELS].output_dir(dossier) / "guide_models.tif")
            self.to_grid = pyproj.Transformer.from_crs("EPSG:4326", self.landscape.grid.crs, always_xy=True)
            self._loaded = True

    def measures(self, level: str | None, language: str) -> list[dict[str, Any]]:
        """The catalogue (measures of ``level`` only when given), in catalogue order."""
        self._load()
        return [measure_record(m, language) for m in self.catalogue.measures if level is None or level in m.levels]

    def at(self, lon: float, lat: float, level: str | None, language: str) -> dict[str, Any]:
        """Landscape, guide model and ordered measures at (lon, lat); InputDataError outside the dossier."""
        self._load()
        x, y = self.to_grid.transform(lon, lat)
        code = self.landscape.at(x, y) if np.isfinite(x) and np.isfinite(y) else 0
        if code == 0:
            raise InputDataError("web_indicators.errors.outside", lon=f"{lon:.5f}", lat=f"{lat:.5f}")
        kind = next((t for t in self.types if t.code == code), None)
        model = next((m for m in self.models.models if m.code == self.guide.at(x, y)), None)
        return {
            "landscape": None if kind is None else {"id": kind.id, "code": kind.code, "name": _name(kind, language)},
            "guide_model": None if model is None else {"id": model.id, "name": _name(model.name, language)},
            "level": level,
            "measures": self.ordered(model, level, language),
        }

    def ordered(self, model: GuideModel | None, level: str | None, language: str) -> list[dict[str, Any]]:
        """The model's legend measures for ``level`` by priority, then the rest of the level's catalogue."""
        fits = [m for m in self.catalogue.measures if level is None or level in m.levels]
        by_id = {m.id: m for m in fits}
        out: list[dict[str, Any]] = []
        seen: set[str] = set()
        if model is not None:
            levels: Sequence[GuideLevel] = GUIDE_LEVELS[level] if level else ("soil", "region", "town")
            goals = [g for g in model.goal if g.level in levels]
            goals.sort(key=lambda g: (model.order.index(g.principle), levels.index(g.level)))
            for goal in goals:
                for mid in goal.measures:
                    if mid in by_id and mid not in seen:
                        seen.add(mid)
                        out.append({**_short(by_id[mid], language), "principle": goal.principle,
                                    "priority": len(out) + 1, "goal": {"code": goal.code,
                                                                        "name": goal.en if language == "en"
                                                                        else goal.nl}})
        out += [{**_short(m, language), "principle": None, "priority": None, "goal": None}
                for m in fits if m.id not in seen]
        return out


def _short(measure: Measure, language: str) -> dict[str, Any]:
    return {"id": measure.id, "name": _name(measure.name, language), "geometry": measure.geometry,
            "themes": list(measure.themes), "cost_unit": measure.investment.unit}


def check_level(level: str | None) -> str | None:
    """``level`` when it is a workshop level (or None); InputDataError otherwise."""
    if level is not None and level not in LEVELS:
        raise InputDataError("web_indicators.errors.level", value=level, known=", ".join(LEVELS))
    return level
