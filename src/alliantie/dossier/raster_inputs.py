"""Raster inputs read as what they say they are: units, vertical datum and code list understood, or refused out loud.

A raster of ``[inputs]`` may declare what it is (``units``, ``datum``, ``codes``; which input takes which is
in the input table, :class:`~alliantie.dossier.config.InputSpec` ``declares``). :func:`read_input_raster`
reads it onto the dossier grid and

1. converts what was declared: a length in ``cm``, ``mm`` or ``dm`` to metres; groundwater given in m NAP
   to m below the surface (the DEM minus the level); land-use codes of another code list to alliantie's
   LGN classes (``landuse_codes.toml``, or the dossier's own ``mapping`` CSV for ``codes = "custom"``);
2. refuses what it cannot have been, when nothing was declared: elevations that only fit the Dutch range
   as centimetres (say), groundwater that follows the DEM the way a level in m NAP does, land-use codes
   that are not in the code list (a share of the study area above :data:`MAX_UNKNOWN_CODES`; fewer are a
   warning and become no data); each message names the file, what was found and what to write in
   ``dossier.toml``;
3. warns when the file's resolution is far from the dossier's and says how it is resampled;
4. then runs the checks at the door of :mod:`alliantie.dossier.raster_checks` (impossible values, coverage).

What it understood, assumed and converted is returned as a plain record (:class:`Reading`), which
``alliantie check`` prints, each product's ``provenance.json`` keeps (``input_checks``) and the report's
input table shows (:func:`alliantie.dossier.input_reading.describe`).
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import rasterio
import rasterio.errors

from alliantie.dossier.config import Dossier, InputFile, InputSpec, input_specs
from alliantie.dossier.input_reading import Reading
from alliantie.dossier.raster_checks import RasterCheck, check_raster
from alliantie.dossier.raster_onto_grid import fill_dem, read_onto_grid
from alliantie.errors import InputDataError
from alliantie.grid import Grid
from alliantie.i18n import translate
from alliantie.io.raster import RasterData, read_raster
from alliantie.knowledge.land_use import LanduseCodeLists, LgnClasses

log = logging.getLogger(__name__)

#: Metres per unit of the lengths a raster may be stored in.
UNIT_FACTORS = {"m": 1.0, "dm": 0.1, "cm": 0.01, "mm": 0.001}
#: Units tried, in this order, when undeclared values do not fit the plausible range in metres (AHN's
#: integer products are centimetres, so they come first).
OTHER_UNITS = ("cm", "mm", "dm")
#: Share of the study area's values outside the plausible range (read as metres) from which the unit is
#: questioned (alliantie estimate: the same bound as the door's refusal of impossible values).
SUSPECT_SHARE = 0.5
#: Share of those values that must fit the range in another unit before that unit is proposed (alliantie
#: estimate: a few per cent of outliers, spikes or sentinels, are left to the door's masking).
FIT_SHARE = 0.95
#: An integer elevation model whose median exceeds this (as metres) is taken for centimetres: only the
#: Vaalserberg corner of the Netherlands lies above 300 m NAP (alliantie estimate from AHN's range).
INTEGER_DEM_MEDIAN = 300.0
#: Share of the study area (cells with land use) whose codes are not in the declared list from which the
#: land use is refused (alliantie estimate: up to 5 % of unknown cells changes no theme visibly, more
#: would make the products describe gaps).
MAX_UNKNOWN_CODES = 0.05
#: A file whose cell size differs from the dossier's by more than this factor (either way) gets a warning
#: that says how it is resampled.
RESOLUTION_FACTOR = 4.0
#: Groundwater that follows the DEM like a level in m NAP: this share of cells with the DEM minus the value
#: between -0.5 and 5 m (a depth below the surface when read as a level; alliantie estimate) ...
NAP_NEAR_SHARE = 0.8
#: ... and a level that is either negative (above the surface when read as a depth) in this share of the
#: cells, or has a median deeper than :data:`NAP_DEEP_MEDIAN` metres.
NAP_NEGATIVE_SHARE = 0.2
NAP_DEEP_MEDIAN = 5.0


def read_input_raster(dossier: Dossier, name: str, grid: Grid, area: np.ndarray, *,
                      dem: Callable[[], RasterData] | None = None) -> tuple[RasterCheck, Reading]:
    """Input raster ``name`` on ``grid``, converted as declared, refused where it cannot be what it says.

    ``dem`` gives the DEM as read (in metres) for groundwater in m NAP and for the datum check.
    """
    spec = input_specs()[name]
    ref = dossier.input_file(name)
    if ref is None:  # pragma: no cover - callers read configured inputs only
        raise KeyError(name)
    what = f"inputs.{name}"
    reading = Reading(name=name)
    if name == "landuse" and ref.codes == "bgt":  # BGT land cover, rasterised into LGN classes
        return _bgt_landuse(dossier, ref, grid, area, reading), reading
    header = _header(ref.files[0])  # a set of tiles: the first tile's header stands for them all
    native, dtype = header.native, header.dtype
    # one file or tiles, onto the grid by a stated resampling
    onto = read_onto_grid(ref, grid, categorical=spec.categorical, target_crs=dossier.config.crs, label=what)
    data = onto.data
    reading.prepared.update(onto.notes)
    inside = area if np.any(area & data.valid) else np.ones_like(area)
    if "units" in spec.declares:
        plausible = spec.plausible
        if "datum" in spec.declares:
            if ref.datum == "NAP":  # levels: the unit is judged on the range of elevations, not of depths
                plausible = input_specs()["dem"].plausible
            elif ref.datum is None and ref.units is None and header.unit is None and dem is not None:
                _refuse_level(data, dem(), ref, name, inside, dossier.root)  # a level in m NAP is not a unit issue
        data = _units(data, ref, spec, reading, inside, dtype, header.unit, dossier.root, plausible)
    if "datum" in spec.declares:
        data = _datum(data, ref, reading, inside, dem, dossier.root)
    if "codes" in spec.declares:
        data = _codes(data, ref, reading, inside, dossier)
    if native is not None:
        reading.native_res, reading.grid_res = native, grid.res
        reading.resampling = str(onto.notes.get("resampling") or ("nearest" if spec.categorical else "bilinear"))
        factor = native / grid.res
        if factor > RESOLUTION_FACTOR or factor < 1 / RESOLUTION_FACTOR:
            log.warning(translate("errors.raster_resolution", None, path=ref.path, what=what,
                                  native=f"{native:g}", res=f"{grid.res:g}",
                                  method=translate(f"understood.resampling.{reading.resampling}", None)))
    found = check_raster(data, area, path=ref.path, what=what, plausible=spec.plausible, unit=spec.unit,
                         coverage_rule=spec.coverage_rule)
    if name == "dem":  # the enclosed gaps of an AHN DTM (buildings, water) filled for the pluvial engines
        filled = fill_dem(found.data, area, ref, grid)
        reading.prepared.update(filled.notes)
        found = replace(found, data=filled.data)
    return found, reading


def _bgt_landuse(dossier: Dossier, ref: InputFile, grid: Grid, area: np.ndarray, reading: Reading) -> RasterCheck:
    """Land use from a BGT GeoPackage (vector): each cell's majority LGN class, its paved share noted."""
    from alliantie.dossier.bgt_landuse import read_bgt_landuse  # geopandas: only for a BGT land use

    spec = input_specs()["landuse"]
    bgt = read_bgt_landuse(ref.path, grid, target_crs=dossier.config.crs)
    for warning in bgt.warnings:
        log.warning("%s", warning)
    reading.understood["codes"] = "bgt"
    reading.converted.append("codes")
    reading.bgt_layers = list(bgt.layers)
    reading.bgt_paved_share = bgt.mean_paved(area)
    reading.paved_share = bgt.paved_share
    log.info("%s", translate("schemas.bgt_read", None, name="landuse", layers=", ".join(bgt.layers),
                             paved=f"{100 * reading.bgt_paved_share:.0f}").strip())
    return check_raster(bgt.landuse, area, path=ref.path, what="inputs.landuse", plausible=spec.plausible,
                        unit=spec.unit, coverage_rule=spec.coverage_rule)


@dataclass(frozen=True)
class Header:
    """What the file says of itself: cell size (projected CRS only), data type, and a unit in its metadata."""

    native: float | None = None
    dtype: str = ""
    unit: str | None = None


#: Spellings of a length unit in a file's metadata (a ``units`` tag, GDAL's band unit type).
_UNIT_WORDS = {"m": "m", "metre": "m", "meter": "m", "metres": "m", "meters": "m", "dm": "dm", "cm": "cm",
               "centimetre": "cm", "centimeter": "cm", "centimetres": "cm", "centimeters": "cm", "mm": "mm",
               "millimetre": "mm", "millimeter": "mm"}


def _header(path: str) -> Header:
    """The file's header (nothing when it cannot be opened: the reader then reports the file)."""
    try:
        with rasterio.open(path) as ds:
            projected = ds.crs is not None and ds.crs.is_projected
            tags = {k.lower(): v for k, v in ds.tags().items()}
            written = [tags.get("units"), tags.get("unit"), ds.units[0] if ds.units else None]
            words = [str(w).strip().lower().split()[0] for w in written if w and str(w).strip()]
            unit = next((_UNIT_WORDS[w] for w in words if w in _UNIT_WORDS), None)
            return Header(float(abs(ds.res[0])) if projected else None, str(ds.dtypes[0]), unit)
    except rasterio.errors.RasterioIOError:
        return Header()


def _fmt(value: float) -> str:
    return f"{value:.4g}"


def _snippet(ref: InputFile, name: str, root: Path, **declared: str) -> str:
    """What to write in ``[inputs]``: ``name = { path = "...", key = "value" }`` (path relative to the dossier)."""
    path = Path(ref.path)
    shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
    parts = [f'path = "{shown}"', *(f'{k} = "{v}"' for k, v in declared.items())]
    return f"{name} = {{ {', '.join(parts)} }}"


def _units(data: RasterData, ref: InputFile, spec: InputSpec, reading: Reading, inside: np.ndarray,
           dtype: str, tagged: str | None, root: Path, plausible: tuple[float, float] | None) -> RasterData:
    """A length converted to metres as declared (or as the file's metadata says, when nothing is declared);
    undeclared values that only fit as another unit refused."""
    values = data.array[inside & data.valid]
    unit: str | None = ref.units
    if unit is None and tagged is not None:
        unit = tagged
        reading.sources["units"] = "tag"
    if unit is None:
        reading.assumed["units"] = "m"
        if values.size and plausible is not None:
            _refuse_other_unit(values, ref, spec, dtype, root, plausible)
            if np.issubdtype(np.dtype(dtype or "float32"), np.integer) and spec.name == "dem":
                log.warning(translate("errors.raster_units_integer", None, path=ref.path, what=f"inputs.{spec.name}",
                                      snippet=_snippet(ref, spec.name, root, units="cm")))
        return data
    reading.understood["units"] = unit
    if unit == "m":
        return data
    reading.converted.append("units")
    return replace(data, array=(data.array * np.float32(UNIT_FACTORS[unit])).astype(np.float32))


@dataclass(frozen=True)
class OtherUnit:
    """Values that fit the plausible range only in another unit: which, and what was found."""

    unit: str
    outside: float
    found_low: float
    found_high: float

    def fields(self, low: float, high: float) -> dict[str, str]:
        return dict(share=f"{100 * self.outside:.0f}", found_low=_fmt(self.found_low),
                    found_high=_fmt(self.found_high), low=_fmt(low), high=_fmt(high), suggest=self.unit)


def other_unit(values: np.ndarray, plausible: tuple[float, float], *, integer_dem: bool = False) -> OtherUnit | None:
    """The unit (cm, mm, dm) in which ``values`` (read as metres) fit ``plausible`` when they do not as metres.

    Questioned when at least :data:`SUSPECT_SHARE` of them lie outside the range, or for an integer
    elevation model (``integer_dem``) with a median above :data:`INTEGER_DEM_MEDIAN`; proposed when at
    least :data:`FIT_SHARE` fit in that unit. None when the values are fine as metres or fit no unit.
    """
    if not values.size:
        return None
    low, high = plausible
    outside = float(np.mean((values < low) | (values > high)))
    if outside < SUSPECT_SHARE and not (integer_dem and float(np.median(values)) > INTEGER_DEM_MEDIAN):
        return None
    for unit in OTHER_UNITS:
        scaled = values * UNIT_FACTORS[unit]
        if float(np.mean((scaled >= low) & (scaled <= high))) >= FIT_SHARE:
            return OtherUnit(unit, outside, float(np.percentile(values, 1)), float(np.percentile(values, 99)))
    return None


def _refuse_other_unit(values: np.ndarray, ref: InputFile, spec: InputSpec, dtype: str, root: Path,
                       plausible: tuple[float, float]) -> None:
    integer_dem = np.issubdtype(np.dtype(dtype or "float32"), np.integer) and spec.name == "dem"
    found = other_unit(values, plausible, integer_dem=integer_dem)
    if found is not None:
        raise InputDataError(
            "errors.raster_units_suspect", path=ref.path, what=f"inputs.{spec.name}", unit=spec.unit,
            snippet=_snippet(ref, spec.name, root, units=found.unit), **found.fields(*plausible))


def dem_in_metres(path: str | Path, units: str | None) -> tuple[RasterData, str]:
    """A DEM outside a dossier (``alliantie bluespots``) in metres on its own grid, and the unit it was read in.

    ``units`` as given on the command line, else the file's metadata; with neither, values that only fit
    the Dutch range in another unit are refused with the option to add (``--units cm``).
    """
    header = _header(str(path))
    data = read_raster(path, label="DEM")
    unit = units or header.unit
    if unit is None:
        plausible = input_specs()["dem"].plausible
        assert plausible is not None
        integer_dem = np.issubdtype(np.dtype(header.dtype or "float32"), np.integer)
        found = other_unit(data.array[data.valid], plausible, integer_dem=integer_dem)
        if found is not None:
            raise InputDataError("errors.dem_units_suspect_option", path=str(path), **found.fields(*plausible))
        return data, "m"
    if unit == "m":
        return data, unit
    return replace(data, array=(data.array * np.float32(UNIT_FACTORS[unit])).astype(np.float32)), unit


def _datum(data: RasterData, ref: InputFile, reading: Reading, inside: np.ndarray,
           dem: Callable[[], RasterData] | None, root: Path) -> RasterData:
    """Groundwater in m NAP as m below the surface (DEM minus level); an undeclared level refused."""
    name = reading.name
    if ref.datum == "surface":
        reading.understood["datum"] = "surface"
        return data
    if ref.datum is None:
        reading.assumed["datum"] = "surface"
        if dem is not None:
            _refuse_level(data, dem(), ref, name, inside, root)
        return data
    reading.understood["datum"] = "NAP"
    if dem is None:  # pragma: no cover - the callers always pass the DEM
        raise RuntimeError("groundwater in m NAP needs the DEM")
    surface = dem().array
    reading.converted.append("datum")
    return replace(data, array=(surface - data.array).astype(np.float32))


def _refuse_level(data: RasterData, dem: RasterData, ref: InputFile, name: str, inside: np.ndarray,
                  root: Path) -> None:
    both = inside & data.valid & dem.valid
    if not np.any(both):
        return
    level, surface = data.array[both], dem.array[both]
    depth = surface - level
    near = float(np.mean((depth >= -0.5) & (depth <= 5.0)))
    negative = float(np.mean(level < 0))
    median = float(np.median(level))
    if near >= NAP_NEAR_SHARE and (negative >= NAP_NEGATIVE_SHARE or median > NAP_DEEP_MEDIAN):
        raise InputDataError(
            "errors.groundwater_datum_suspect", path=ref.path, what=f"inputs.{name}", near=f"{100 * near:.0f}",
            negative=f"{100 * negative:.0f}", median=_fmt(median), snippet=_snippet(ref, name, root, datum="NAP"))


# ---- land-use codes ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CodeList:
    """A land-use code list: user code -> LGN class, and the codes that mean no data."""

    id: str
    lookup: dict[int, int]
    nodata: frozenset[int] = frozenset()


def own_classes(dossier: Dossier) -> LgnClasses:
    """The LGN classes of the dossier (its own ``lgn_classes.toml`` where it has one)."""
    return LgnClasses.load(dossier.knowledge_override("lgn_classes"))


def code_list(codes: str, dossier: Dossier, mapping: str | None = None) -> CodeList:
    """The code list ``codes`` of ``dossier``: ``lgn`` (identity), a list of ``landuse_codes.toml``, ``custom``."""
    classes = own_classes(dossier)
    if codes == "lgn":
        return CodeList("lgn", {c.code: c.code for c in classes.classes}, frozenset({0}))
    if codes == "custom":
        if mapping is None:  # pragma: no cover - the config refuses it
            raise ValueError('codes = "custom" needs a mapping')
        return CodeList("custom", read_mapping(Path(mapping), {c.code for c in classes.classes}), frozenset({0}))
    lists = LanduseCodeLists.load(dossier.knowledge_override("landuse_codes")).lists
    entry = lists[codes]
    return CodeList(codes, entry.lookup(), frozenset(entry.nodata))


def read_mapping(path: Path, known: set[int]) -> dict[int, int]:
    """A dossier's mapping CSV (columns ``code`` and ``lgn``; more columns, such as a name, are ignored)."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            sample = handle.read(4096)
            handle.seek(0)
            dialect = csv.Sniffer().sniff(sample, delimiters=",;\t") if sample.strip() else csv.excel
            rows = list(csv.DictReader(handle, dialect=dialect))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputDataError("errors.landuse_mapping_bad", path=str(path), row=0, detail=str(exc)) from None
    if not rows or not {"code", "lgn"} <= {str(k).strip().lower() for k in rows[0]}:
        raise InputDataError("errors.landuse_mapping_bad", path=str(path), row=1,
                             detail="columns 'code' and 'lgn' are needed")
    lookup: dict[int, int] = {}
    for number, row in enumerate(rows, start=2):
        clean = {str(k).strip().lower(): (v or "").strip() for k, v in row.items() if k is not None}
        try:
            code, lgn = int(clean["code"]), int(clean["lgn"])
        except ValueError:
            raise InputDataError("errors.landuse_mapping_bad", path=str(path), row=number,
                                 detail=f"'{clean['code']}', '{clean['lgn']}' are not whole numbers") from None
        if lgn not in known:
            classes = ", ".join(map(str, sorted(known)))
            raise InputDataError("errors.landuse_mapping_bad", path=str(path), row=number,
                                 detail=f"LGN class {lgn} is not in lgn_classes.toml ({classes})")
        if code in lookup and lookup[code] != lgn:
            raise InputDataError("errors.landuse_mapping_bad", path=str(path), row=number,
                                 detail=f"code {code} is mapped twice")
        lookup[code] = lgn
    return lookup


def _counts(data: RasterData, inside: np.ndarray) -> dict[int, int]:
    values, counts = np.unique(data.array[inside & data.valid], return_counts=True)
    return {int(v): int(c) for v, c in zip(values, counts, strict=True)}


def unknown_share(counts: dict[int, int], codes: CodeList) -> tuple[float, list[tuple[int, float]]]:
    """Share of the cells (no-data codes left out) whose code is not in ``codes``, and the unknown codes by share."""
    total = sum(c for v, c in counts.items() if v not in codes.nodata)
    unknown = {v: c for v, c in counts.items() if v not in codes.nodata and v not in codes.lookup}
    if not total:
        return 0.0, []
    ranked = sorted(((v, c / total) for v, c in unknown.items()), key=lambda item: -item[1])
    return sum(unknown.values()) / total, ranked


def fitting_lists(counts: dict[int, int], dossier: Dossier) -> list[str]:
    """The known code lists (``lgn`` and those of ``landuse_codes.toml``) that ``counts`` fit, best first."""
    fits: list[tuple[float, str]] = []
    lists = LanduseCodeLists.load(dossier.knowledge_override("landuse_codes")).lists
    for codes in ("lgn", *lists):
        share, _ = unknown_share(counts, code_list(codes, dossier))
        if share <= MAX_UNKNOWN_CODES:
            fits.append((share, codes))
    return [codes for _share, codes in sorted(fits)]


def _codes(data: RasterData, ref: InputFile, reading: Reading, inside: np.ndarray, dossier: Dossier) -> RasterData:
    """Land-use codes as LGN classes (uint8, 0 no data); codes outside the list refused or warned about."""
    name = reading.name
    codes = ref.codes or "lgn"
    (reading.understood if ref.codes else reading.assumed)["codes"] = codes
    table = code_list(codes, dossier, ref.mapping)
    counts = _counts(data, inside)
    share, ranked = unknown_share(counts, table)
    reading.unknown_codes_share = share
    if share > 0:
        examples = ", ".join(f"{v} ({100 * s:.1f}%)" for v, s in ranked[:8])
        fields = dict(path=ref.path, what=f"inputs.{name}", codes=codes, share=f"{100 * share:.1f}",
                      examples=examples)
        if share > MAX_UNKNOWN_CODES:
            fits = [c for c in fitting_lists(counts, dossier) if c != codes]
            if fits:
                hint = translate("errors.landuse_hint_list", None, lists=", ".join(f'"{c}"' for c in fits),
                                 snippet=_snippet(ref, name, dossier.root, codes=fits[0]))
            else:
                hint = translate("errors.landuse_hint_custom", None,
                                 snippet=_snippet(ref, name, dossier.root, codes="custom", mapping="mapping.csv"))
            raise InputDataError("errors.landuse_unknown_codes", **fields, maximum=f"{100 * MAX_UNKNOWN_CODES:.0f}",
                                 hint=hint)
        log.warning(translate("errors.landuse_unknown_codes_few", None, **fields))
    if codes != "lgn":
        reading.converted.append("codes")
    return replace(data, array=remap(data, table), nodata=0)


def remap(data: RasterData, table: CodeList) -> np.ndarray:
    """The codes of ``data`` as LGN classes (uint8); no data, no-data codes and unknown codes become 0."""
    out = np.zeros(data.array.shape, dtype=np.uint8)
    valid = data.valid
    values = data.array[valid].astype(np.int64)
    top = max([*table.lookup, int(values.max()) if values.size else 0, 0])
    lut = np.zeros(top + 1, dtype=np.uint8)
    for code, lgn in table.lookup.items():
        if code >= 0 and code not in table.nodata:
            lut[code] = lgn
    inside = values >= 0
    mapped = np.zeros(values.shape, dtype=np.uint8)
    mapped[inside] = lut[values[inside]]
    out[valid] = mapped
    return out
