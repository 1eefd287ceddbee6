"""``dossier.toml``: typed, validated configuration of one area.

Example::

    name = "Vallei en Eem (demo)"
    language = "nl"            # report language: nl (default) or en
    crs = "EPSG:28992"
    resolution = 5.0           # cell size of the dossier grid, m
    boundary = "inputs/boundary.gpkg"

    [inputs]
    dem = "inputs/dem.tif"                              # elevation, m NAP
    soil = { path = "inputs/soil.gpkg", layer = "soil" }
    ...

    [scenarios]
    knmi = ["Ln", "Hd"]
    horizons = [2050, 2100]

    [parameters.baseinfo]
    relief_radius_m = 250

Unknown keys, wrong types and missing files are reported as
:class:`~alliantie.errors.ConfigError` naming the key, the file and what is expected.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    JsonValue,
    ValidationError,
    ValidationInfo,
    create_model,
    field_validator,
    model_validator,
)

from alliantie.errors import ConfigError
from alliantie.grid import RD_NEW
from alliantie.knowledge import available
from alliantie.parameters.assessment import AssessmentParameters
from alliantie.parameters.baseinfo import BaseInfoParameters
from alliantie.parameters.business_case import BusinessCaseParameters
from alliantie.parameters.damage import DamageParameters
from alliantie.parameters.drought import DroughtParameters
from alliantie.parameters.flood import FloodParameters
from alliantie.parameters.heat import HeatParameters
from alliantie.parameters.pluvial import PluvialParameters
from alliantie.parameters.problems import explain_problem
from alliantie.parameters.vulnerability import VulnerabilityParameters

#: KNMI'23 scenario names (KNMI 2023, "KNMI'23 klimaatscenario's voor Nederland").
KNMI23_SCENARIOS = ("Ld", "Ln", "Md", "Mn", "Hd", "Hn")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


#: How a raster is resampled onto the dossier grid (``resampling = ...`` of an input): GDAL's methods by name.
Resampling = Literal["nearest", "bilinear", "cubic", "average", "mode", "min", "max", "med"]
#: Suffixes of the raster tiles a folder input is made of (AHN map sheets: ``*.tif``).
TILE_SUFFIXES = (".tif", ".tiff")


#: Units of a length a raster may be stored in (elevations, groundwater depths and levels, flood depths).
LengthUnit = Literal["m", "dm", "cm", "mm"]
#: Vertical reference of a groundwater raster: a level in m NAP, or a depth below the surface.
Datum = Literal["NAP", "surface"]
#: What a raster input may declare about itself (see :func:`_input` ``declares``).
Declaration = Literal["units", "datum", "codes"]


@cache
def code_lists() -> tuple[str, ...]:
    """Every value ``codes`` may take: ``lgn`` (alliantie's own LGN classes, lgn_classes.toml; the default),
    the lists of ``knowledge/data/landuse_codes.toml``, ``custom`` (the dossier's own ``mapping`` CSV) and
    ``bgt`` (a BGT GeoPackage of land cover, rasterised into LGN classes by ``dossier/bgt_landuse.py``)."""
    from alliantie.knowledge.land_use import LanduseCodeLists

    return ("lgn", *LanduseCodeLists.load().lists, "custom", "bgt")


class InputFile(_Strict):
    """A file of the dossier, optionally a layer of it (GeoPackage), and what a raster says it is.

    ``units``: the unit of an elevation, groundwater or flood-depth raster (default metres); ``datum``:
    groundwater as a level in m NAP (converted to m below surface with the DEM) or as a depth below the
    surface (default); ``codes``: the code list of a land-use raster (default ``lgn``), with ``mapping`` (a
    CSV ``code,lgn``) for ``custom``. Which input may declare what is validated by :class:`Inputs`.

    A raster may also be a set of tiles (AHN map sheets as users download them): ``path`` a folder of
    GeoTIFFs or ``paths`` a list of them, mosaicked onto the dossier grid on the fly (``io/mosaic.py``).
    ``resampling`` states how the raster is resampled onto the grid (default: ``average`` where its cells
    are at least twice as fine as the grid, else ``bilinear``; ``nearest`` for classes); ``fill_gaps``
    (the DEM only, default on) fills the enclosed gaps of an AHN DTM (buildings, water) before the products
    see it (``raster/gaps.py``).
    """

    path: str
    layer: str | None = None
    units: LengthUnit | None = None
    datum: Datum | None = None
    #: land use: the code list of the file (``lgn``, a list of landuse_codes.toml, ``custom``); ``"bgt"``
    #: reads a BGT GeoPackage (vector) and rasterises it into LGN classes (``dossier/bgt_landuse.py``)
    codes: str | None = None
    mapping: str | None = None
    #: vector inputs: our column -> the file's column (``columns = { year = "bouwjaar" }``); checked against the
    #: input's columns (:meth:`Inputs._column_maps`), applied where the vector is read (``dossier/vector_schemas.py``)
    columns: dict[str, str] | None = None
    #: a raster as tiles: their list (``paths = [...]``), or those of a folder ``path`` (see :meth:`Dossier.input_file`)
    paths: tuple[str, ...] | None = None
    resampling: Resampling | None = None
    fill_gaps: bool = True

    @field_validator("codes")
    @classmethod
    def _codes(cls, value: str | None) -> str | None:
        if value is not None and value not in code_lists():
            raise ValueError(f"unknown code list '{value}'; known: {', '.join(code_lists())}")
        return value

    @model_validator(mode="after")
    def _mapping(self) -> InputFile:
        if self.codes == "custom" and not self.mapping:
            raise ValueError('codes = "custom" needs mapping = "<file>.csv" (columns code,lgn)')
        if self.mapping and self.codes != "custom":
            raise ValueError('mapping is read only with codes = "custom"')
        return self

    def declared(self) -> dict[str, str]:
        """The declarations this reference makes (``units``, ``datum``, ``codes``), by name."""
        return {k: v for k, v in (("units", self.units), ("datum", self.datum), ("codes", self.codes)) if v}

    @model_validator(mode="before")
    @classmethod
    def _tiles(cls, data: Any) -> Any:
        """``{ paths = [...] }`` without ``path``: the tiles' list is the input (``path`` is their first tile)."""
        if isinstance(data, dict) and "path" in data and "paths" in data:
            raise ValueError("give 'path' (a file, or a folder of tiles) or 'paths' (a list of tiles), not both")
        if isinstance(data, dict) and "path" not in data and isinstance(data.get("paths"), list | tuple):
            tiles = data["paths"]
            if not tiles:
                raise ValueError("'paths' lists no tiles")
            return {**data, "path": tiles[0]}
        return data

    @property
    def tiled(self) -> bool:
        """True when the input is a list of tiles or a folder of them (resolved: see :meth:`Dossier.input_file`)."""
        return self.paths is not None

    @property
    def files(self) -> tuple[str, ...]:
        """The file(s) of the input: its tiles, or its one file."""
        return self.paths if self.paths is not None else (self.path,)


InputRef = str | InputFile
#: raster and vector inputs are aligned on the grid; a document (``strategy.toml``) is read as it is
InputKind = Literal["raster", "vector", "document"]


GeometryFamily = Literal["polygon", "line", "point"]
ColumnKind = Literal["number", "text"]


@dataclass(frozen=True)
class ColumnSpec:
    """A column an input vector layer is expected to have (checked by :mod:`alliantie.dossier.vector_checks`).

    ``number`` columns must hold numbers (empty cells allowed), within ``minimum``..``maximum`` where given;
    ``fraction`` marks a share 0-1 (a value such as 25 is taken for a percent). A missing optional
    column is reported once with the default the products use instead.
    """

    name: str
    kind: ColumnKind
    required: bool = False
    minimum: float | None = None
    maximum: float | None = None
    fraction: bool = False


def _column(name: str, kind: ColumnKind, *, required: bool = False, minimum: float | None = None,
            maximum: float | None = None, fraction: bool = False) -> dict[str, JsonValue]:
    """One expected column of a vector input, as stored in the field's schema extra (see :class:`ColumnSpec`)."""
    return {"name": name, "kind": kind, "required": required, "minimum": minimum, "maximum": maximum,
            "fraction": fraction}


def _input(description: str, *, kind: InputKind, required: bool = False, categorical: bool = False,
           geometry: GeometryFamily | None = None, columns: tuple[dict[str, JsonValue], ...] = (),
           plausible: tuple[float, float] | None = None, unit: str = "", refuse_uncovered: bool = True,
           declares: tuple[Declaration, ...] = ()) -> Any:
    """A field of :class:`Inputs` carrying its row of the input table (see :func:`input_specs`).

    For a vector input, ``geometry`` is the expected geometry family and ``columns`` the expected columns
    (made with :func:`_column`). For a raster, ``plausible`` is the range of values that can be data, in
    ``unit``; values outside it are treated as no data (:mod:`alliantie.dossier.raster_checks`). A required
    raster that covers too little of the study area is refused unless ``refuse_uncovered`` is False (then a
    warning names the share and the products report what they could not assess). ``declares`` says what
    the raster may declare about itself in ``dossier.toml`` (``units``, ``datum``, ``codes``).
    """
    extra: dict[str, JsonValue] = {"kind": kind, "categorical": categorical, "geometry": geometry,
                                   "columns": list(columns), "unit": unit,
                                   "plausible": None if plausible is None else [plausible[0], plausible[1]],
                                   "refuse_uncovered": refuse_uncovered, "declares": list(declares)}
    if required:
        return Field(description=description, json_schema_extra=extra)
    return Field(None, description=description, json_schema_extra=extra)


#: The columns of the buildings layer the products read (all optional; absent = the default of each).
_BUILDING_COLUMNS = (
    _column("year", "number"), _column("height_m", "number", minimum=0.0), _column("function", "text"),
    # floor levels in m NAP: the Dutch range of the DEM (-10 to 350 m NAP, see Inputs); outside it, a placeholder
    _column("floor_level_m", "number", minimum=-10.0, maximum=350.0), _column("foundation", "text"),
)
#: The columns of the neighbourhoods layer the products read (all optional).
_NEIGHBOURHOOD_COLUMNS = (
    _column("code", "text"), _column("name", "text"), _column("residents", "number", minimum=0.0),
    _column("share_65plus", "number", minimum=0.0, maximum=1.0, fraction=True),
)

#: The columns of the planned projects the products read (strategy.meekoppelen; docs/meekoppelen.md).
_PROJECT_COLUMNS = (
    _column("kind", "text", required=True), _column("year", "number", required=True, minimum=1900.0, maximum=2200.0),
    _column("name", "text"), _column("owner", "text"),
)


class Inputs(_Strict):
    """The input data of a dossier; paths are relative to the dossier folder.

    Each field is one row of the input table (:func:`input_specs`): its kind
    (raster, vector or a document such as ``strategy.toml``), whether a raster holds classes (aligned by nearest
    neighbour) and a description. Config validation, raster alignment,
    ``alliantie check`` and the docs all read that table.
    """

    # Plausible ranges: the Netherlands lies between -6.8 m NAP (Zuidplaspolder) and 322.4 m NAP (Vaalserberg)
    # (Rijkswaterstaat / AHN); -10 to 350 m leaves a margin (alliantie estimate). Groundwater depths: a few
    # decimetres above surface (inundated) to a few tens of metres below (Veluwe push moraines); -5 to 100 m
    # (alliantie estimate). Breach depths: 0 to 30 m (deepest Dutch polders lie about 7 m below sea level;
    # alliantie estimate with a wide margin). Values outside are sentinels (1e30, -3.4e38, -9999), not data.
    dem: InputRef = _input("elevation model, GeoTIFF, m NAP", kind="raster", required=True,
                           plausible=(-10.0, 350.0), unit="m NAP", declares=("units",))
    soil: InputRef = _input("soil map, polygons with a main soil class column 'soil_class'", kind="vector",
                            required=True, geometry="polygon", columns=(_column("soil_class", "text", required=True),))
    ghg: InputRef = _input("mean highest groundwater level (GHG), GeoTIFF, m below surface", kind="raster",
                           required=True, plausible=(-5.0, 100.0), unit="m below surface",
                           refuse_uncovered=False, declares=("units", "datum"))
    glg: InputRef = _input("mean lowest groundwater level (GLG), GeoTIFF, m below surface", kind="raster",
                           required=True, plausible=(-5.0, 100.0), unit="m below surface",
                           refuse_uncovered=False, declares=("units", "datum"))
    landuse: InputRef = _input("land use, GeoTIFF with LGN-style class codes", kind="raster", required=True,
                               categorical=True, declares=("codes",))
    watercourses: InputRef | None = _input("water courses, lines", kind="vector", geometry="line")
    waterbodies: InputRef | None = _input("water bodies, polygons", kind="vector", geometry="polygon")
    nature: InputRef | None = _input("nature / green network, polygons", kind="vector", geometry="polygon")
    buildings: InputRef | None = _input("buildings, polygons", kind="vector", geometry="polygon",
                                        columns=_BUILDING_COLUMNS)
    roads: InputRef | None = _input("roads, lines", kind="vector", geometry="line")
    railways: InputRef | None = _input("railways, lines", kind="vector", geometry="line")
    neighbourhoods: InputRef | None = _input("neighbourhoods, polygons with residents", kind="vector",
                                             geometry="polygon", columns=_NEIGHBOURHOOD_COLUMNS)
    projects: InputRef | None = _input("planned projects, polygons (read by strategy.meekoppelen)", kind="vector",
                                       geometry="polygon", columns=_PROJECT_COLUMNS)
    flood_depth: InputRef | None = _input(
        "external flood depth after a breach (LIWO-like), GeoTIFF, m above ground; replaces the computed breach "
        "inundation", kind="raster", plausible=(0.0, 30.0), unit="m", declares=("units",))
    corrections: InputRef | None = _input(
        "expert corrections of the vulnerability map, polygons with theme, action, reason, author and date",
        kind="vector", geometry="polygon")
    sketch: InputRef | None = _input(
        "a sketch of measures (step 3): features of any geometry with a column 'measure' holding a catalogue id "
        "(`alliantie measures`); evaluated by vista.effects", kind="vector",
        columns=(_column("measure", "text", required=True),))
    workshop: InputRef | None = _input(
        "the web workshop's export inputs/sketches.gpkg (step 4): layer 'sketches' (column 'measure', and "
        "'syntheses' naming the syntheses of each sketch) and a layer synthesis_<name> per synthesis; the "
        "inspiration maps read synthesis_veerkracht and synthesis_regionale_economie", kind="vector",
        columns=(_column("measure", "text", required=True), _column("syntheses", "text")))
    strategy: InputRef | None = _input(
        "the owner's strategy choices (step 5): strategy.toml with policy scan, main lines, tasks, responsibilities, "
        "working group, programme and monitoring; read by strategy.document", kind="document")

    @field_validator("*", mode="after")
    @classmethod
    def _declarations(cls, value: Any, info: ValidationInfo) -> Any:
        """A raster declares only what applies to it (``units`` for a DEM, ``codes`` for land use, ...)."""
        if isinstance(value, InputFile) and info.field_name is not None:
            extra = cls.model_fields[info.field_name].json_schema_extra
            allowed = _list(extra.get("declares")) if isinstance(extra, dict) else []
            wrong = [k for k in value.declared() if k not in allowed]
            if wrong:
                takes = ", ".join(str(a) for a in allowed) or "none"
                raise ValueError(f"{', '.join(wrong)} does not apply to this input (it takes: {takes})")
        return value

    @model_validator(mode="after")
    def _column_maps(self) -> Inputs:
        """An attribute map names only columns of its input (``columns = { year = ... }`` on buildings)."""
        for name in type(self).model_fields:
            ref = getattr(self, name)
            if not isinstance(ref, InputFile) or ref.columns is None:
                continue
            allowed = [str(c["name"]) for c in _schema_columns(name)]
            unknown = [target for target in ref.columns if target not in allowed]
            if unknown:
                raise ValueError(
                    f"inputs.{name}.columns: unknown column(s) {', '.join(unknown)}; "
                    f"{name} takes {', '.join(allowed) if allowed else 'no attribute map'}"
                )
            empty = [target for target, source in ref.columns.items() if not source.strip()]
            if empty:
                raise ValueError(f"inputs.{name}.columns: no column of the file given for {', '.join(empty)}")
        return self


def _schema_columns(name: str) -> list[dict[str, JsonValue]]:
    """The expected columns of input ``name`` as declared with :func:`_column` (empty for rasters)."""
    extra = Inputs.model_fields[name].json_schema_extra
    columns = extra.get("columns") if isinstance(extra, dict) else None
    return [c for c in columns if isinstance(c, dict)] if isinstance(columns, list) else []


@dataclass(frozen=True)
class InputSpec:
    """One row of the input table: an input of ``[inputs]`` and what kind of data it is."""

    name: str
    kind: InputKind
    required: bool
    categorical: bool
    description: str
    geometry: GeometryFamily | None = None
    columns: tuple[ColumnSpec, ...] = ()
    #: raster only: the range of values that can be data (in ``unit``); outside it, no data
    plausible: tuple[float, float] | None = None
    unit: str = ""
    #: raster only: refuse the run when a required raster covers too little of the study area
    refuse_uncovered: bool = False
    #: raster only: what the raster may declare about itself in dossier.toml (units, datum, codes)
    declares: tuple[str, ...] = ()

    @property
    def coverage_rule(self) -> Literal["refuse", "warn", "none"]:
        """How a raster that does not cover the study area is answered (see ``dossier/raster_checks.py``)."""
        if not self.required:
            return "none"
        return "refuse" if self.refuse_uncovered else "warn"


@cache
def input_specs() -> dict[str, InputSpec]:
    """The input table, read from :class:`Inputs` (name -> :class:`InputSpec`, in declaration order)."""
    specs: dict[str, InputSpec] = {}
    for name, info in Inputs.model_fields.items():
        extra = info.json_schema_extra
        if not isinstance(extra, dict):  # pragma: no cover - every field is made by _input
            raise TypeError(f"input {name!r} is not declared with _input()")
        specs[name] = InputSpec(
            name=name, kind=_kind(extra["kind"]), required=info.is_required(),
            categorical=bool(extra["categorical"]), description=info.description or "",
            geometry=_family(extra["geometry"]), columns=tuple(_column_spec(c) for c in _list(extra["columns"])),
            plausible=_range(extra["plausible"]), unit=str(extra["unit"] or ""),
            refuse_uncovered=info.is_required() and extra["refuse_uncovered"] is True,
            declares=tuple(str(d) for d in _list(extra["declares"])),
        )
    return specs


_FAMILIES: dict[str, GeometryFamily] = {"polygon": "polygon", "line": "line", "point": "point"}
_KINDS: dict[str, InputKind] = {"raster": "raster", "vector": "vector", "document": "document"}


def _kind(value: JsonValue) -> InputKind:
    return _KINDS.get(value, "vector") if isinstance(value, str) else "vector"


def _family(value: JsonValue) -> GeometryFamily | None:
    return _FAMILIES.get(value) if isinstance(value, str) else None


def _list(value: JsonValue) -> list[JsonValue]:
    return value if isinstance(value, list) else []


def _range(value: JsonValue) -> tuple[float, float] | None:
    if isinstance(value, list) and len(value) == 2:
        low, high = _number(value[0]), _number(value[1])
        if low is not None and high is not None:
            return (low, high)
    return None


def _number(value: JsonValue) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def _column_spec(value: JsonValue) -> ColumnSpec:
    if not isinstance(value, dict):  # pragma: no cover - every column is made by _column
        raise TypeError(f"column {value!r} is not declared with _column()")
    return ColumnSpec(
        name=str(value["name"]), kind="number" if value["kind"] == "number" else "text",
        required=bool(value["required"]), minimum=_number(value["minimum"]), maximum=_number(value["maximum"]),
        fraction=bool(value["fraction"]),
    )


KnmiScenario = Literal["Ld", "Ln", "Md", "Mn", "Hd", "Hn"]


def _default_scenarios() -> list[KnmiScenario]:
    return ["Ln", "Hd"]


class Scenarios(_Strict):
    knmi: list[KnmiScenario] = Field(default_factory=_default_scenarios, description="KNMI'23 scenarios")
    horizons: list[int] = Field(default_factory=lambda: [2050, 2100], description="years")

    @field_validator("horizons")
    @classmethod
    def _horizons(cls, value: list[int]) -> list[int]:
        for year in value:
            if not 2025 <= year <= 2150:
                raise ValueError(f"horizon {year} is outside 2025-2150")
        return value


class Parameters(_Strict):
    baseinfo: BaseInfoParameters = Field(default_factory=BaseInfoParameters)
    pluvial: PluvialParameters = Field(default_factory=PluvialParameters)
    heat: HeatParameters = Field(default_factory=HeatParameters)
    drought: DroughtParameters = Field(default_factory=DroughtParameters)
    flood: FloodParameters = Field(default_factory=FloodParameters)
    vulnerability: VulnerabilityParameters = Field(default_factory=VulnerabilityParameters)
    damage: DamageParameters = Field(default_factory=DamageParameters)
    business_case: BusinessCaseParameters = Field(default_factory=BusinessCaseParameters)
    assessment: AssessmentParameters = Field(default_factory=AssessmentParameters)


#: The dossier's own versions of knowledge files: ``[knowledge]`` takes one key per file of
#: ``knowledge/data`` (``analysewijzer = "my_analysewijzer.toml"``, ``heat = "..."``), a path relative to
#: the dossier. A product reads the override through the same typed model as the shipped file, so one
#: that does not fit is refused with the file and the field named.
_OVERRIDES: dict[str, Any] = {
    name: (str | None, Field(None, description=f"the dossier's own {name}.toml")) for name in available()
}
KnowledgeOverrides: type[BaseModel] = create_model(
    "KnowledgeOverrides",
    __config__=ConfigDict(extra="forbid", frozen=True),
    __doc__="Dossier-specific versions of knowledge files (paths relative to the dossier).",
    **_OVERRIDES,
)


#: C0 and C1 control characters and DEL (Unicode category Cc).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_BREAKS = re.compile("[\t\n\r\v\f]+")


class DossierConfig(_Strict):
    name: str = Field(min_length=1)
    language: Literal["nl", "en"] = "nl"
    crs: str = RD_NEW
    resolution: float = Field(5.0, gt=0, le=1000, allow_inf_nan=False, description="cell size, m")
    boundary: InputRef | None = Field(None, description="study area polygon(s); default: DEM extent")
    inputs: Inputs
    scenarios: Scenarios = Field(default_factory=Scenarios)
    parameters: Parameters = Field(default_factory=Parameters)
    knowledge: KnowledgeOverrides = Field(default_factory=KnowledgeOverrides)

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        """Control characters (NUL, DEL, line breaks) removed: the name goes into HTML, PDF and file titles (31c)."""
        cleaned = _CONTROL.sub("", _BREAKS.sub(" ", value)).strip()
        if not cleaned:
            raise ValueError("the name has no printable characters")
        return cleaned

    @field_validator("boundary")
    @classmethod
    def _boundary(cls, value: InputRef | None) -> InputRef | None:
        if isinstance(value, InputFile) and value.declared():
            raise ValueError(f"{', '.join(value.declared())} does not apply to the boundary")
        return value

    @field_validator("crs")
    @classmethod
    def _crs(cls, value: str) -> str:
        from pyproj import CRS
        from pyproj.exceptions import CRSError as PyprojCRSError

        try:
            crs = CRS.from_user_input(value)
        except PyprojCRSError:
            raise ValueError(f"'{value}' is not a coordinate reference system") from None
        if not crs.is_projected:
            raise ValueError(f"'{value}' is not a projected CRS in metres (use EPSG:28992)")
        return value


@dataclass(frozen=True)
class Dossier:
    """A loaded, validated dossier: config plus its folder."""

    config: DossierConfig
    root: Path
    toml_path: Path

    @property
    def inputs_dir(self) -> Path:
        return self.root / "inputs"

    @property
    def products_dir(self) -> Path:
        return self.root / "products"

    @property
    def report_dir(self) -> Path:
        return self.root / "report"

    @property
    def language(self) -> str:
        return self.config.language

    def input_file(self, name: str) -> InputFile | None:
        """The configured file of input ``name`` (path made absolute), or None."""
        ref = getattr(self.config.inputs, name) if name != "boundary" else self.config.boundary
        if ref is None:
            return None
        if isinstance(ref, str):
            ref = InputFile(path=ref)
        path = (self.root / ref.path).resolve()
        tiles: tuple[str, ...] | None = None
        if ref.paths is not None:
            tiles = tuple(str((self.root / p).resolve()) for p in ref.paths)
        elif path.is_dir() and name in Inputs.model_fields and input_specs()[name].kind == "raster":
            tiles = folder_tiles(path)  # a folder of tiles (AHN map sheets)
        mapping = str((self.root / ref.mapping).resolve()) if ref.mapping else None
        return ref.model_copy(update={"path": str(path), "paths": tiles, "mapping": mapping})

    def knowledge_override(self, name: str) -> Path | None:
        value = getattr(self.config.knowledge, name, None)
        return (self.root / value).resolve() if value else None


def folder_tiles(folder: Path) -> tuple[str, ...]:
    """The GeoTIFF tiles directly in ``folder``, sorted by name (other files, such as an index, are ignored)."""
    return tuple(str(p) for p in sorted(folder.iterdir()) if p.is_file() and p.suffix.lower() in TILE_SUFFIXES)


def load_config(path: Path) -> DossierConfig:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError("errors.config_not_found", path=str(path)) from None
    except UnicodeDecodeError:
        raise ConfigError("errors.config_not_text", path=str(path)) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("errors.config_toml_syntax", path=str(path), detail=str(exc)) from None
    try:
        return DossierConfig.model_validate(data)
    except ValidationError as exc:
        # pydantic reports a union input (str | InputFile) once per member; keep one line each
        problems: list[ConfigError] = []
        for error in exc.errors():
            if "str" in error["loc"] and isinstance(error.get("input"), dict):
                continue  # a table given for a file reference: its own errors say what is wrong, not 'not a text'
            problem = explain_problem(error, DossierConfig)
            if all(str(problem) != str(p) for p in problems):
                problems.append(problem)
        raise ConfigError("errors.config_invalid", path=str(path), details=problems) from None


def load_dossier(path: str | Path) -> Dossier:
    """Load and validate ``dossier.toml`` (or the folder holding it); check that input files exist and are files."""
    toml_path = Path(path)
    if toml_path.is_dir():
        toml_path = toml_path / "dossier.toml"
    config = load_config(toml_path)
    dossier = Dossier(config=config, root=toml_path.parent.resolve(), toml_path=toml_path.resolve())
    missing: list[ConfigError] = []
    names = [*Inputs.model_fields, "boundary"]
    for name in names:
        ref = dossier.input_file(name)
        if ref is None:
            continue
        key = "boundary" if name == "boundary" else f"inputs.{name}"
        if ref.tiled and Path(ref.path).is_dir() and not ref.files:  # a folder of tiles without one GeoTIFF
            missing.append(ConfigError("errors.config_folder_no_tiles", key=key, file=ref.path))
        for file in ref.files:
            if not Path(file).exists():
                missing.append(ConfigError("errors.config_file_missing", key=key, file=file))
            elif Path(file).is_dir():  # refused here, before a run would try to hash a folder
                missing.append(ConfigError("errors.config_file_is_folder", key=key, file=file))
        if ref.mapping and not Path(ref.mapping).is_file():
            missing.append(ConfigError("errors.config_file_missing", key=f"{key}.mapping", file=ref.mapping))
    for name in KnowledgeOverrides.model_fields:
        override = dossier.knowledge_override(name)
        if override is not None and not override.exists():
            missing.append(ConfigError("errors.config_file_missing", key=f"knowledge.{name}", file=str(override)))
        elif override is not None and override.is_dir():
            missing.append(ConfigError("errors.config_file_is_folder", key=f"knowledge.{name}", file=str(override)))
    if missing:
        raise ConfigError("errors.config_invalid", path=str(toml_path), details=missing)
    return dossier
