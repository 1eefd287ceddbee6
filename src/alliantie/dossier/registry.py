"""The product registry: every product of the method, with its declared dependencies.

A product is a pure function of dossier inputs, parameters, knowledge files and
upstream products. It declares all four, so the runner can compute a cache key
and recompute only what a change touches::

    @product(
        "baseinfo.relief",
        step=2,
        inputs=("dem",),
        parameters=("baseinfo.relief_radius_m",),
        knowledge=("baseinfo_rules",),
        depends=("baseinfo.elevation",),
    )
    def relief(ctx: ProductContext) -> None:
        dem = ctx.raster("dem")
        ctx.write_raster("relief.tif", ...)

The function writes its files through ``ctx`` into a temporary folder that the
runner moves into ``products/<name>/`` only when the function succeeds.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from alliantie.errors import ProductError
from alliantie.io.atomic import atomic_file

if TYPE_CHECKING:  # heavy or circular imports only for type checking; loaded lazily at run time
    import geopandas as gpd
    import numpy as np
    from shapely.geometry.base import BaseGeometry

    from alliantie.dossier.config import Dossier
    from alliantie.grid import Grid
    from alliantie.io.raster import RasterData

log = logging.getLogger(__name__)

#: Inputs read as categorical rasters (nearest-neighbour alignment, integer classes).
CATEGORICAL_INPUTS = frozenset({"landuse"})

ComputeFunction = Callable[["ProductContext"], None]


@cache
def code_hash(module_name: str) -> str:
    """SHA-256 of the sources a product's result depends on: its own package and the shared library.

    Part of a product's cache key, so changed code (a new release or a local
    edit) recomputes the products it touches, without importing that code. The
    shared part (:func:`library_hash`) covers the kernels the product modules
    call (hydrology, hazards, damage, climate, io, ...) and the i18n catalogue,
    whose texts end up in maps, styles and tables.
    """
    spec = importlib.util.find_spec(module_name)
    if spec is None or spec.origin is None:
        return "unknown"
    folder = Path(spec.origin).parent
    digest = hashlib.sha256(library_hash().encode())
    for path in sorted(folder.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


#: Sub-packages whose code cannot change a product's files (user interface, test data, the demo generator).
_NOT_LIBRARY = ("cli", "testing", "demo")
#: Report modules that only lay out saved products (the report product hashes its own package).
_REPORT_LAYOUT = frozenset({"build.py", "context.py", "html.py", "pdf.py", "view.py", "maps.py", "product.py"})


@cache
def library_hash() -> str:
    """SHA-256 of every Python source of the package (except :data:`_NOT_LIBRARY`) and of the i18n catalogue."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    paths = [p for p in root.rglob("*.py") if p.relative_to(root).parts[0] not in _NOT_LIBRARY
             and not (p.relative_to(root).parts[0] == "report" and p.name in _REPORT_LAYOUT)]
    paths += list((root / "i18n").glob("*.toml"))
    for path in sorted(paths):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


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


REGISTRY: dict[str, Product] = {}


def product(
    name: str,
    *,
    step: int,
    inputs: tuple[str, ...] = (),
    optional_inputs: tuple[str, ...] = (),
    parameters: tuple[str, ...] = (),
    knowledge: tuple[str, ...] = (),
    depends: tuple[str, ...] = (),
    folder: str | None = None,
    version: int = 1,
    title_key: str = "",
) -> Callable[[Callable[[ProductContext], None]], Callable[[ProductContext], None]]:
    """Register the decorated function as product ``name``."""

    def register(func: ComputeFunction) -> ComputeFunction:
        declare(
            name, func, step=step, inputs=inputs, optional_inputs=optional_inputs, parameters=parameters,
            knowledge=knowledge, depends=depends, folder=folder, version=version, title_key=title_key,
        )
        return func

    return register


def declare(
    name: str,
    compute: ComputeFunction | str,
    *,
    step: int,
    inputs: tuple[str, ...] = (),
    optional_inputs: tuple[str, ...] = (),
    parameters: tuple[str, ...] = (),
    knowledge: tuple[str, ...] = (),
    depends: tuple[str, ...] = (),
    folder: str | None = None,
    version: int = 1,
    title_key: str = "",
) -> Product:
    """Register product ``name`` computed by ``compute`` (a function or ``"module:function"``).

    Declaring with a ``"module:function"`` string keeps the registry light: the
    module is imported only when the product is computed.
    """
    new = Product(
        name=name, step=step, compute=compute, inputs=inputs, optional_inputs=optional_inputs,
        parameters=parameters, knowledge=knowledge, depends=depends, folder=folder,
        version=version, title_key=title_key or f"products.{name}",
    )
    old = REGISTRY.get(name)
    if old is not None and old.compute != compute:
        raise ValueError(f"product {name!r} registered twice")
    REGISTRY[name] = new
    return new


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
        from alliantie.io.raster import read_raster

        if name not in self._rasters:
            ref = self.dossier.input_file(name)
            if ref is None:
                raise ProductError("errors.input_not_configured", name=name)
            self._rasters[name] = read_raster(
                ref.path, grid=self.grid, categorical=name in CATEGORICAL_INPUTS,
                target_crs=self.dossier.config.crs, label=f"inputs.{name}",
            )
        return self._rasters[name]

    def vector(self, name: str) -> gpd.GeoDataFrame | None:
        from alliantie.io.vector import read_vector

        if name not in self._vectors:
            ref = self.dossier.input_file(name)
            if ref is None:
                return None
            self._vectors[name] = read_vector(
                ref.path, layer=ref.layer, target_crs=self.dossier.config.crs,
                bbox=self.grid.bounds, label=f"inputs.{name}",
            )
        return self._vectors[name].copy()


@dataclass
class ProductContext:
    """What a product function sees: its dossier, inputs, parameters and an output folder."""

    product: Product
    dossier: Dossier
    out_dir: Path
    cache: RunCache
    progress: Callable[[float], None] = field(default=lambda fraction: None)

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
        if dotted not in self.product.parameters:
            raise RuntimeError(f"product {self.product.name} did not declare parameter {dotted!r}")
        return parameter_value(self.dossier, dotted)

    def _check_input(self, name: str) -> None:
        if name not in self.product.inputs and name not in self.product.optional_inputs:
            raise RuntimeError(f"product {self.product.name} did not declare input {name!r}")

    def raster(self, name: str) -> RasterData:
        """Input raster ``name`` aligned on the dossier grid."""
        self._check_input(name)
        return self.cache.raster(name)

    def vector(self, name: str) -> gpd.GeoDataFrame | None:
        """Input layer ``name`` in the dossier CRS (None when optional and not configured)."""
        self._check_input(name)
        return self.cache.vector(name)

    def knowledge(self, name: str) -> dict[str, Any]:
        if name not in self.product.knowledge:
            raise RuntimeError(f"product {self.product.name} did not declare knowledge {name!r}")
        from alliantie.knowledge import load_knowledge

        return load_knowledge(name, override=self.dossier.knowledge_override(name))

    def upstream(self, name: str) -> Path:
        """Folder of the saved upstream product ``name``."""
        if name not in self.product.depends:
            raise RuntimeError(f"product {self.product.name} did not declare dependency {name!r}")
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


def ordered(names: list[str] | None = None) -> list[Product]:
    """Products in dependency order (all, or ``names`` and what they depend on)."""
    from graphlib import CycleError, TopologicalSorter

    wanted: set[str] = set()
    stack = list(names) if names is not None else list(REGISTRY)
    while stack:
        name = stack.pop()
        if name in wanted:
            continue
        if name not in REGISTRY:
            raise ProductError("errors.product_unknown", name=name, known=", ".join(sorted(REGISTRY)))
        wanted.add(name)
        stack.extend(REGISTRY[name].depends)
    sorter = TopologicalSorter({n: set(REGISTRY[n].depends) for n in sorted(wanted)})
    try:
        return [REGISTRY[n] for n in sorter.static_order()]
    except CycleError as exc:  # pragma: no cover - a programming error
        raise RuntimeError(f"products depend on each other in a cycle: {exc.args[1]}") from None
