"""What the reading of an input understood, assumed and converted, as a record and in words.

:func:`alliantie.dossier.raster_inputs.read_input_raster` fills a :class:`Reading`; its record is kept in
each product's ``provenance.json`` (``input_checks``), ``alliantie check`` prints :func:`describe` of it and
the report's input table shows :func:`status` (used, converted, defaulted, missing) and :func:`describe`.
Light on purpose (no numpy, no GDAL): the report reads it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from alliantie.i18n import translate


@dataclass
class Reading:
    """What the reading of one raster understood (declared), assumed (not declared) and converted."""

    name: str
    understood: dict[str, str] = field(default_factory=dict)
    #: where an understood value came from when not from dossier.toml (``"tag"``: the file's own metadata)
    sources: dict[str, str] = field(default_factory=dict)
    assumed: dict[str, str] = field(default_factory=dict)
    converted: list[str] = field(default_factory=list)
    unknown_codes_share: float | None = None
    native_res: float | None = None
    grid_res: float | None = None
    resampling: str = ""
    #: land use read from a BGT GeoPackage (``codes = "bgt"``): its layers and the study area's mean paved share
    bgt_layers: list[str] = field(default_factory=list)
    bgt_paved_share: float | None = None
    #: land use from the BGT: the paved share of each cell (0-1, NaN where no BGT feature reaches); not recorded
    paved_share: np.ndarray | None = field(default=None, repr=False, compare=False)
    #: how the file came onto the grid (``dossier/raster_onto_grid.py``): resampling, tiles used, the DEM's gaps
    prepared: dict[str, float | int | str] = field(default_factory=dict)

    def record(self) -> dict[str, Any]:
        """The reading as JSON-ready values (kept in ``provenance.json`` ``input_checks``)."""
        out: dict[str, Any] = {"understood": dict(self.understood), "assumed": dict(self.assumed),
                               "converted": list(self.converted), **self.prepared}
        if self.sources:
            out["sources"] = dict(self.sources)
        if self.unknown_codes_share is not None:
            out["unknown_codes_share"] = round(self.unknown_codes_share, 4)
        if self.native_res is not None:
            out["native_res"] = round(self.native_res, 3)
            out["grid_res"] = self.grid_res
            out["resampling"] = self.resampling
        if self.bgt_paved_share is not None:
            out["bgt_layers"] = list(self.bgt_layers)
            out["bgt_paved_share"] = round(self.bgt_paved_share, 4)
        return out


def describe(record: dict[str, Any], language: str | None) -> list[str]:
    """What a raster's reading understood, assumed and converted, one phrase each (for check and the report)."""
    understood = record.get("understood") or {}
    assumed = record.get("assumed") or {}
    sources = record.get("sources") or {}
    converted = set(record.get("converted") or [])
    phrases: list[str] = []
    for key in ("units", "datum", "codes"):
        for source, value in (("declared", understood.get(key)), ("assumed", assumed.get(key))):
            if value:
                state = "converted" if key in converted else source
                said = sources.get(key, source) if source == "declared" else source
                phrases.append(translate(f"understood.{key}.{state}", language, value=value,
                                         declared=translate(f"understood.{said}", language)))
    share = record.get("unknown_codes_share")
    if isinstance(share, int | float) and share > 0:
        phrases.append(translate("understood.unknown_codes", language, share=f"{100 * share:.1f}"))
    native, res = record.get("native_res"), record.get("grid_res")
    if isinstance(native, int | float) and isinstance(res, int | float) and abs(native - res) <= 1e-6 * res:
        phrases.append(translate("understood.resolution_same", language, native=f"{native:g}"))
    elif isinstance(native, int | float):
        phrases.append(translate("understood.resolution", language, native=f"{native:g}",
                                 method=translate(f"understood.resampling.{record.get('resampling') or 'bilinear'}",
                                                  language)))
    return phrases


def status(record: dict[str, Any] | None) -> str:
    """``converted`` when the reading converted something, ``defaulted`` when it assumed what was not declared
    (or, for a vector, filled columns with defaults), else ``used``."""
    if not record:
        return "used"
    if record.get("converted"):
        return "converted"
    if record.get("assumed") or record.get("defaulted"):
        return "defaulted"
    return "used"
