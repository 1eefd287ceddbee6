"""The product registry: every product of the method, with its declared dependencies.

A product is a pure function of dossier inputs, parameters, knowledge files and
upstream products. It declares all four, so the runner can compute a cache key
and recompute only what a change touches::

    HEAT = declare(
        "urgency.heat", "alliantie.method.urgency.heat.product:heat",
        step=1,
        inputs=("dem", "landuse"),
        parameters=("language", "scenarios"),
        params=(HeatParameters,),          # the whole [parameters.heat] section, typed
        knowledge=("heat",),
        depends=("baseinfo.elevation",),
    )

    def heat(ctx: ProductContext) -> None:
        params = ctx.params(HeatParameters)  # a HeatParameters, not a dict
        dem = ctx.raster("dem")
        ctx.write_raster("uhi.tif", ...)

The function writes its files through ``ctx`` into a temporary folder that the
runner moves into ``products/<name>/`` only when the function succeeds.

Products are registered by :func:`load_products`, which imports the declaration
modules listed in :data:`PRODUCT_MODULES` (each has ``products(known)``
returning its products) in that order. Importing a module registers nothing.
"""

from __future__ import annotations

import ast
import hashlib
import importlib
import importlib.util
import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel

from alliantie.dossier.config import Dossier, Parameters, input_specs
from alliantie.errors import ProductError
from alliantie.io.atomic import atomic_file
from alliantie.knowledge.model import KnowledgeFile

if TYPE_CHECKING:  # heavy or circular imports only for type checking; loaded lazily at run time
    import geopandas as gpd
    import numpy as np
    from shapely.geometry.base import BaseGeometry

    from alliantie.grid import Grid
    from alliantie.io.raster import RasterData

log = logging.getLogger(__name__)

ComputeFunction = Callable[["ProductContext"], None]
Params = TypeVar("Params", bound=BaseModel)
Knowledge = TypeVar("Knowledge", bound=KnowledgeFile)

#: The modules that declare the method's products, in load order. Each has a function
#: ``products(known: Mapping[str, Product]) -> Iterable[Product]`` (``known``: what earlier modules
#: declared, for a product such as the report that depends on every product of some steps).
#: A new step adds its declarations module here: one line.
PRODUCT_MODULES: tuple[str, ...] = (
    "alliantie.method.baseinfo.products",
    "alliantie.method.urgency.products",
    "alliantie.method.vista.products",
    "alliantie.method.inspiration.products",
    "alliantie.method.strategy.products",
    "alliantie.report.product",
)


#: The packages whose code can change what a product computes or writes: the steps, the engines, the
#: contract floor, the cartography and typesetting kits, the readers and writers, the report. An allow-list: a user
#: interface (``cli/``, ``web/``), the demo generator and the test factories never enter a product's
#: code hash, so editing them recomputes nothing.
LIBRARY_PACKAGES = frozenset({
    "cartography", "climate", "contract", "damage", "errors", "grid", "hazards", "hydrology", "i18n", "io",
    "knowledge", "measures", "method", "parameters", "raster", "report", "soil", "typeset",
})
#: The rest of the package: user interfaces, the demo generator, test factories. Every top-level package or
#: module is in exactly one of the two sets (tested), so a new one needs a decision.
NOT_LIBRARY = frozenset({"__init__", "cli", "demo", "dossier", "fetch", "testing", "web"})
_PACKAGE_ROOT = Path(__file__).resolve().parent.parent


@cache
def _module_file(dotted: str) -> Path | None:
    """The source file of module ``alliantie.<...>`` (a package's ``__init__.py``), without importing it."""
    parts = dotted.split(".")[1:]
    if not parts or parts[0] not in LIBRARY_PACKAGES:
        return None
    base = _PACKAGE_ROOT.joinpath(*parts)
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


#: A line that starts an import statement (at any indentation: imports inside functions count too).
_IMPORT_START = re.compile(r"^[ \t]*(?:from[ \t]+\.*[\w.]*[ \t]+import\b|import[ \t]+\w)")


def _import_statements(source: str) -> str:
    """The import statements of ``source``, each dedented onto its own lines (cheaper to parse than the file)."""
    lines = source.splitlines()
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if not _IMPORT_START.match(line):
            continue
        statement = [line.strip()]
        if "(" in line and ")" not in line:  # a parenthesised list of names over several lines
            while i < len(lines) and ")" not in lines[i - 1]:
                statement.append(lines[i].strip())
                i += 1
        while statement[-1].endswith("\\") and i < len(lines):
            statement.append(lines[i].strip())
            i += 1
        out.append(" ".join(part.rstrip("\\") for part in statement).split("#", 1)[0])
    return "\n".join(out)


@cache
def _imported_modules(path: Path, dotted: str) -> frozenset[str]:
    """Dotted names of the ``alliantie`` modules that ``path`` imports (also inside functions)."""
    found: set[str] = set()
    package = dotted if path.name == "__init__.py" else dotted.rpartition(".")[0]
    try:
        tree = ast.parse(_import_statements(path.read_text(encoding="utf-8")), filename=str(path))
    except SyntaxError:  # pragma: no cover - an odd line that looks like an import: read the whole file
        tree = ast.parse(path.read_bytes(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("alliantie."))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            if base == "alliantie" or base.startswith("alliantie."):
                found.add(base)
                found.update(f"{base}.{alias.name}" for alias in node.names)  # submodules imported by name
    return frozenset(found)


def code_files(module_name: str) -> list[Path]:
    """The source files module ``module_name`` runs: itself and, in turn, every library module it imports.

    Found by reading the ``import`` statements (also those inside functions),
    without importing anything; only modules of :data:`LIBRARY_PACKAGES` count.
    """
    start = _module_file(module_name)
    if start is None:
        return []
    seen: dict[Path, str] = {}
    stack = [(start, module_name)]
    while stack:
        path, dotted = stack.pop()
        if path in seen:
            continue
        seen[path] = dotted
        for name in _imported_modules(path, dotted):
            target = _module_file(name)
            if target is not None and target not in seen:
                stack.append((target, name))
        parent = dotted.rpartition(".")[0]  # importing a module runs its package's __init__ first
        init = _module_file(parent) if parent.count(".") >= 1 else None
        if init is not None and init not in seen:
            stack.append((init, parent))
    return sorted(seen)


@cache
def code_hash(module_name: str) -> str:
    """SHA-256 of the sources a product's result depends on (:func:`code_files`) and of the i18n catalogue.

    Part of a product's cache key, so changed code (a new release or a local
    edit) recomputes the products it touches, and only those. The catalogue's
    texts end up in maps, styles and tables, so it is always included.
    """
    files = code_files(module_name)
    if not files:
        return "unknown"
    paths = files + sorted((_PACKAGE_ROOT / "i18n").glob("*.toml"))
    digest = hashlib.sha256()
    for path in paths:
        digest.update(str(path.relative_to(_PACKAGE_ROOT)).encode())
        digest.update(_file_digest(path))
    return digest.hexdigest()


@cache
def _file_digest(path: Path) -> bytes:
    """SHA-256 of one source file (read once per process)."""
    return hashlib.sha256(path.read_bytes()).digest()


@dataclass(frozen=True)
class Product:
    """A registered product: what it needs and how to compute it."""

    name: str
    step: int
    compute: ComputeFunction | str
    inputs: tuple[str, ...] = ()
    parameters: tuple[str, ...] = ()
    knowledge: tuple[str, ...] = ()
    depends: tuple[str, ...] = ()
    optional_inputs: tuple[str, ...] = ()
    #: Upstream products used when the run computes them, read as absent when it excludes them.
    optional_depends: tuple[str, ...] = ()
    #: Typed parameter sections (``[parameters.<section>]`` models) the product reads with ``ctx.params``.
    params: tuple[type[BaseModel], ...] = ()
    folder: str | None = None
    version: int = 1
    title_key: str = ""

    @property
    def module(self) -> str:
        """The module holding the product's function."""
        if isinstance(self.compute, str):
            return self.compute.split(":", 1)[0]
        return str(self.compute.__module__)

    def function(self) -> ComputeFunction:
        """The product's function (imported on first use when declared as ``"module:function"``)."""
        if isinstance(self.compute, str):
            module, _, attr = self.compute.partition(":")
            func: ComputeFunction = getattr(importlib.import_module(module), attr)
            return func
        return self.compute

    def output_dir(self, dossier: Dossier) -> Path:
        if self.folder is not None:
            return dossier.root / self.folder
        return dossier.products_dir / self.name


#: The registered products, filled by :func:`load_products` (and by :func:`product` in tests).
REGISTRY: dict[str, Product] = {}


def product(
    name: str,
    *,
    step: int,
    inputs: tuple[str, ...] = (),
    optional_inputs: tuple[str, ...] = (),
    parameters: tuple[str, ...] = (),
    params: tuple[type[BaseModel], ...] = (),
    knowledge: tuple[str, ...] = (),
    depends: tuple[str, ...] = (),
    optional_depends: tuple[str, ...] = (),
    folder: str | None = None,
    version: int = 1,
    title_key: str = "",
) -> Callable[[Callable[[ProductContext], None]], Callable[[ProductContext], None]]:
    """Declare the decorated function as product ``name`` and register it at once (tests, scripts)."""

    def decorate(func: ComputeFunction) -> ComputeFunction:
        load_products()  # the method's products (and the report's dependencies) first, without this one
        register(declare(
            name, func, step=step, inputs=inputs, optional_inputs=optional_inputs, parameters=parameters,
            params=params, knowledge=knowledge, depends=depends, optional_depends=optional_depends, folder=folder,
            version=version, title_key=title_key,
        ))
        return func

    return decorate


def declare(
    name: str,
    compute: ComputeFunction | str,
    *,
    step: int,
    inputs: tuple[str, ...] = (),
    optional_inputs: tuple[str, ...] = (),
    parameters: tuple[str, ...] = (),
    params: tuple[type[BaseModel], ...] = (),
    knowledge: tuple[str, ...] = (),
    depends: tuple[str, ...] = (),
    optional_depends: tuple[str, ...] = (),
    folder: str | None = None,
    version: int = 1,
    title_key: str = "",
) -> Product:
    """Product ``name`` computed by ``compute`` (a function or ``"module:function"``); registers nothing.

    Declaring with a ``"module:function"`` string keeps the registry light: the
    module is imported only when the product is computed.
    """
    return Product(
        name=name, step=step, compute=compute, inputs=inputs, optional_inputs=optional_inputs,
        parameters=parameters, params=params, knowledge=knowledge, depends=depends,
        optional_depends=optional_depends, folder=folder, version=version,
        title_key=title_key or f"products.{name}",
    )


def register(new: Product) -> Product:
    """Add ``new`` to :data:`REGISTRY` (again is fine; another product under the same name is an error)."""
    old = REGISTRY.get(new.name)
    if old is not None and old.compute != new.compute:
        raise ValueError(f"product {new.name!r} registered twice")
    REGISTRY[new.name] = new
    return new


def load_products() -> dict[str, Product]:
    """Register the products of :data:`PRODUCT_MODULES` (once) and return the registry."""
    _load_declarations()
    return REGISTRY


@cache
def _load_declarations() -> None:
    for module_name in PRODUCT_MODULES:
        module = importlib.import_module(module_name)
        for declared in module.products(dict(REGISTRY)):
            register(declared)


def parameter_section(model: type[BaseModel]) -> str:
    """The ``[parameters.<section>]`` of ``dossier.toml`` whose model is ``model``."""
    for name, info in Parameters.model_fields.items():
        if info.annotation is model:
            return name
    raise ValueError(f"{model.__name__} is not a [parameters] section of dossier.toml")


def parameter_value(dossier: Dossier, dotted: str) -> Any:
    """The value of a declared parameter: ``"baseinfo.relief_radius_m"`` or a top-level key."""
    config = dossier.config
    if "." not in dotted:
        value = getattr(config, dotted)
    else:
        section, key = dotted.split(".", 1)
        value = getattr(getattr(config.parameters, section), key)
    return value.model_dump() if hasattr(value, "model_dump") else value


class RunCache:
    """Things read once per run and shared by products (aligned inputs, grid, area)."""

    def __init__(self, dossier: Dossier) -> None:
        self.dossier = dossier
        self._grid: Grid | None = None
        self._area: BaseGeometry | None = None
        self._mask: np.ndarray | None = None
        self._rasters: dict[str, RasterData] = {}
        self._vectors: dict[str, gpd.GeoDataFrame] = {}
        #: what the checks at the door found per raster input read in this run (coverage, impossible cells)
        self.door: dict[str, dict[str, Any]] = {}
        #: how each vector input read in this run was understood (attribute map, national schema, counts)
        self.readings: dict[str, dict[str, object]] = {}
        #: per raster input whose file gives it (the BGT as land use): the paved share of each cell
        self._paved: dict[str, np.ndarray] = {}

    @property
    def grid(self) -> Grid:
        if self._grid is None:
            from alliantie.dossier.area import dossier_grid

            self._grid = dossier_grid(self.dossier)
        return self._grid

    @property
    def area(self) -> BaseGeometry:
        if self._area is None:
            from alliantie.dossier.area import boundary_geometry

            self._area = boundary_geometry(self.dossier)
        return self._area

    @property
    def mask(self) -> np.ndarray:
        if self._mask is None:
            from alliantie.dossier.area import area_mask

            self._mask = area_mask(self.grid, self.area)
        return self._mask

    def raster(self, name: str) -> RasterData:
        if name not in self._rasters:
            ref = self.dossier.input_file(name)
            if ref is None:
                raise ProductError("errors.input_not_configured", name=name)
            from alliantie.dossier.raster_inputs import read_input_raster

            # converted as declared (units, datum, code list, a BGT land cover) or refused where it cannot be
            # what it says; impossible values become no data; a required raster that does not cover the study
            # area is refused
            found, reading = read_input_raster(self.dossier, name, self.grid, self.mask,
                                               dem=lambda: self.raster("dem"))
            self._rasters[name] = found.data
            self.door[name] = {"coverage": round(found.coverage, 4), "implausible_cells": found.implausible_cells,
                               **reading.record()}
            if reading.paved_share is not None:
                self._paved[name] = reading.paved_share
        return self._rasters[name]

    def paved_share(self, name: str = "landuse") -> np.ndarray | None:
        """The paved share (0-1, NaN where unknown) per cell that raster input ``name`` gives of itself (a BGT
        land use does: ``codes = "bgt"``); None when its classes alone say how much is paved."""
        self.raster(name)
        return self._paved.get(name)

    def vector(self, name: str) -> gpd.GeoDataFrame | None:
        from alliantie.dossier.vector_checks import vector_check  # geopandas: only when a vector is read
        from alliantie.dossier.vector_schemas import Reading
        from alliantie.io.vector import read_vector
        from alliantie.knowledge.national_schemas import NationalSchemas

        if name not in self._vectors:
            ref = self.dossier.input_file(name)
            if ref is None:
                return None
            reading = Reading()
            schemas = NationalSchemas.load(self.dossier.knowledge_override(NationalSchemas.FILE))
            check = vector_check(input_specs()[name], columns=ref.columns, reading=reading, knowledge=schemas)
            self._vectors[name] = read_vector(
                ref.path, layer=ref.layer, target_crs=self.dossier.config.crs,
                bbox=self.grid.bounds, label=f"inputs.{name}", check=check,
            )
            for note in reading.notes:  # what was understood and assumed, once per run (issue 14)
                log.info("%s", note)
            for warning in reading.warnings:
                log.warning("%s", warning)
            if reading.schema is not None or reading.columns or reading.counts:
                self.readings[name] = reading.record()
        return self._vectors[name].copy()


@dataclass
class ProductContext:
    """What a product function sees: its dossier, inputs, parameters and an output folder."""

    product: Product
    dossier: Dossier
    out_dir: Path
    cache: RunCache
    progress: Callable[[float], None] = field(default=lambda fraction: None)
    #: Optional upstream products this run does not compute (read as absent by :meth:`optional_upstream`).
    absent: frozenset[str] = frozenset()

    @property
    def grid(self) -> Grid:
        return self.cache.grid

    @property
    def area(self) -> BaseGeometry:
        """The study area polygon."""
        return self.cache.area

    @property
    def mask(self) -> np.ndarray:
        """True for cells inside the study area."""
        return self.cache.mask

    @property
    def language(self) -> str:
        """The dossier language; a product that uses it (labels, styles) must declare ``"language"``."""
        return str(self.param("language"))

    def param(self, dotted: str) -> Any:
        """One declared parameter (``"language"``, ``"baseinfo.relief_radius_m"``), as a plain value."""
        if dotted not in self.product.parameters:
            raise RuntimeError(f"product {self.product.name} did not declare parameter {dotted!r}")
        return parameter_value(self.dossier, dotted)

    def params(self, model: type[Params]) -> Params:
        """The dossier's typed ``[parameters.*]`` section ``model`` (declared with ``params=``)."""
        if model not in self.product.params:
            raise RuntimeError(f"product {self.product.name} did not declare parameters {model.__name__}")
        value = getattr(self.dossier.config.parameters, parameter_section(model))
        if not isinstance(value, model):  # pragma: no cover - a programming error
            raise TypeError(f"[parameters.{parameter_section(model)}] is not a {model.__name__}")
        return value

    def _check_input(self, name: str) -> None:
        if name not in self.product.inputs and name not in self.product.optional_inputs:
            raise RuntimeError(f"product {self.product.name} did not declare input {name!r}")

    def raster(self, name: str) -> RasterData:
        """Input raster ``name`` aligned on the dossier grid."""
        self._check_input(name)
        return self.cache.raster(name)

    def paved_share(self, name: str = "landuse") -> np.ndarray | None:
        """The paved share per cell that input raster ``name`` gives of itself (BGT land use), else None."""
        self._check_input(name)
        return self.cache.paved_share(name)

    def vector(self, name: str) -> gpd.GeoDataFrame | None:
        """Input layer ``name`` in the dossier CRS (None when optional and not configured)."""
        self._check_input(name)
        return self.cache.vector(name)

    def knowledge(self, name: str) -> dict[str, Any]:
        """Declared knowledge file ``name`` (the dossier's own when it has one), as parsed TOML."""
        self._check_knowledge(name)
        from alliantie.knowledge import load_knowledge

        return load_knowledge(name, override=self.dossier.knowledge_override(name))

    def knowledge_path(self, name: str) -> str:
        """The file declared knowledge ``name`` is read from (the dossier's own when it has one), for messages."""
        self._check_knowledge(name)
        from alliantie.knowledge import knowledge_file

        return str(knowledge_file(name, override=self.dossier.knowledge_override(name)))

    def knowledge_model(self, model: type[Knowledge]) -> Knowledge:
        """Declared knowledge file ``model.FILE`` (the dossier's own when it has one), read into its typed ``model``.

        A file that does not fit is a ConfigError naming the file and the wrong fields.
        """
        self._check_knowledge(model.FILE)
        return model.load(self.dossier.knowledge_override(model.FILE))

    def _check_knowledge(self, name: str) -> None:
        if name not in self.product.knowledge:
            raise RuntimeError(f"product {self.product.name} did not declare knowledge {name!r}")

    def upstream(self, name: str) -> Path:
        """Folder of the saved upstream product ``name``."""
        if name not in self.product.depends:
            raise RuntimeError(f"product {self.product.name} did not declare dependency {name!r}")
        return REGISTRY[name].output_dir(self.dossier)

    def optional_upstream(self, name: str) -> Path | None:
        """Folder of the optional upstream product ``name``; None when this run does not compute it."""
        if name not in self.product.optional_depends:
            raise RuntimeError(f"product {self.product.name} did not declare optional dependency {name!r}")
        if name in self.absent or name not in REGISTRY:
            return None
        return REGISTRY[name].output_dir(self.dossier)

    # writers: all into the temporary output folder
    def path(self, filename: str) -> Path:
        return self.out_dir / filename

    def write_raster(self, filename: str, array: np.ndarray, **kwargs: Any) -> Path:
        from alliantie.io.raster import write_raster

        return write_raster(self.out_dir / filename, array, self.grid, **kwargs)

    def write_vector(self, filename: str, gdf: gpd.GeoDataFrame, *, layer: str, qml: str | None = None) -> Path:
        from alliantie.io.vector import write_vector

        return write_vector(self.out_dir / filename, gdf, layer=layer, qml=qml)

    def write_json(self, filename: str, data: Any) -> Path:
        target = self.out_dir / filename
        with atomic_file(target) as tmp:
            tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
        return target

    def write_text(self, filename: str, text: str) -> Path:
        target = self.out_dir / filename
        with atomic_file(target) as tmp:
            tmp.write_text(text, encoding="utf-8")
        return target


def ordered(names: list[str] | None = None, *, exclude: frozenset[str] = frozenset()) -> list[Product]:
    """Products in dependency order (all, or ``names`` and what they depend on).

    Optional dependencies come along unless they are in ``exclude``; a product in
    ``exclude`` that another needs as a required dependency is an error.
    """
    from graphlib import CycleError, TopologicalSorter

    wanted: set[str] = set()
    stack = [n for n in (names if names is not None else list(REGISTRY)) if names is not None or n not in exclude]
    while stack:
        name = stack.pop()
        if name in wanted:
            continue
        if name not in REGISTRY:
            raise ProductError("errors.product_unknown", name=name, known=", ".join(sorted(REGISTRY)))
        wanted.add(name)
        stack.extend(REGISTRY[name].depends)
        stack.extend(d for d in REGISTRY[name].optional_depends if d not in exclude and d in REGISTRY)
    if excluded_needed := sorted(wanted & exclude):
        raise ProductError("errors.product_excluded", names=", ".join(excluded_needed))
    graph = {n: set(REGISTRY[n].depends) | (set(REGISTRY[n].optional_depends) & wanted) for n in sorted(wanted)}
    sorter = TopologicalSorter(graph)
    try:
        return [REGISTRY[n] for n in sorter.static_order()]
    except CycleError as exc:  # pragma: no cover - a programming error
        raise RuntimeError(f"products depend on each other in a cycle: {exc.args[1]}") from None
