"""Make the dossier report: maps as PNG, ``index.html`` and ``report.pdf``.

:func:`build_report` writes into a folder it is given (the runner's temporary
folder, which replaces ``report/`` only on success); :func:`make_report` does
the same for a dossier outside the runner, atomically.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import shutil
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from shapely.geometry.base import BaseGeometry

from alliantie.contract.names import REPORT
from alliantie.dossier.area import boundary_geometry, dossier_grid
from alliantie.dossier.config import Dossier
from alliantie.dossier.registry import load_products
from alliantie.errors import ReportError
from alliantie.grid import Grid
from alliantie.io.atomic import atomic_dir
from alliantie.report.context import ReportContext, load_context
from alliantie.report.html import write_html
from alliantie.report.images import MAPS_DIR, MapImage, figure_key
from alliantie.report.maps import map_extent, render_map
from alliantie.report.pdf import write_pdf
from alliantie.report.product_sections import PRODUCT_SECTIONS
from alliantie.report.view import make_view

log = logging.getLogger(__name__)


@dataclass
class ReportResult:
    folder: Path
    maps: dict[tuple[str, str], MapImage] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def _file_stem(map_id: str, used: set[str], product: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", map_id).strip("._") or "map"
    if stem in used:
        stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{product}.{map_id}")
    used.add(stem)
    return stem


def copy_figures(context: ReportContext, target: Path, used: set[str]) -> dict[tuple[str, str], MapImage]:
    """Copy every product-drawn figure (``tables.json``) into ``target``; keys ``(product, figure_key(id))``."""
    images: dict[tuple[str, str], MapImage] = {}
    for content in context.sections():
        for record, figure in content.figures:
            source = record.folder / figure.file
            if not source.exists():
                raise ReportError("report.errors.figure_missing", figure=figure.id, product=record.name,
                                  path=str(source))
            stem = _file_stem(f"figure_{figure.id}", used, record.name)
            suffix = source.suffix.lower() or ".png"
            shutil.copyfile(source, target / f"{stem}{suffix}")
            images[(record.name, figure_key(figure.id))] = MapImage(record.name, figure.id,
                                                                    f"{MAPS_DIR}/{stem}{suffix}")
    return images


def copy_product_files(context: ReportContext, target: Path) -> dict[tuple[str, str], MapImage]:
    """Copy the files the section builders show (the lagenkaart); keys ``(product, file key)``."""
    images: dict[tuple[str, str], MapImage] = {}
    for name, builder in PRODUCT_SECTIONS.items():
        record = context.product(name)
        for file in builder.files(record) if record is not None else []:
            shutil.copyfile(file.source, target / file.name)
            images[(name, file.key)] = MapImage(name, file.key, f"{MAPS_DIR}/{file.name}")
    return images


def render_maps(context: ReportContext, out_dir: Path) -> dict[tuple[str, str], MapImage]:
    """Every map of every product as ``maps/<id>.png``, the product-drawn figures and the files of the section
    builders (the lagenkaart copy)."""
    target = out_dir / MAPS_DIR
    target.mkdir(parents=True, exist_ok=True)
    extent = map_extent(context.grid.bounds, context.boundary)
    images: dict[tuple[str, str], MapImage] = {}
    used: set[str] = set()
    for _theme, items in context.maps_by_theme():
        for record, spec in items:
            stem = _file_stem(spec.id, used, record.name)
            render_map(spec, record.folder, target / f"{stem}.png", boundary=context.boundary,
                       extent=spec.extent or extent,
                       language=context.language, folder_of=context.folder_of)
            images[(record.name, spec.id)] = MapImage(record.name, spec.id, f"{MAPS_DIR}/{stem}.png")
    images.update(copy_figures(context, target, used))
    images.update(copy_product_files(context, target))
    return images


def build_report(
    dossier: Dossier,
    out_dir: Path,
    product_dirs: Mapping[str, Path],
    *,
    grid: Grid,
    boundary: BaseGeometry,
    steps: Mapping[str, int] | None = None,
    date: dt.date | None = None,
) -> ReportResult:
    """Write the report of ``dossier`` into ``out_dir`` from the saved products in ``product_dirs``."""
    result = ReportResult(folder=out_dir)
    started = time.perf_counter()
    context = load_context(dossier, product_dirs, grid=grid, boundary=boundary, steps=steps, date=date)
    result.seconds["context"] = time.perf_counter() - started
    started = time.perf_counter()
    result.maps = render_maps(context, out_dir)
    result.seconds["maps"] = time.perf_counter() - started
    started = time.perf_counter()
    view = make_view(context, result.maps)
    result.seconds["view"] = time.perf_counter() - started
    started = time.perf_counter()
    write_html(view, out_dir)
    result.seconds["html"] = time.perf_counter() - started
    started = time.perf_counter()
    write_pdf(view, out_dir)
    result.seconds["pdf"] = time.perf_counter() - started
    log.info("report: %s", ", ".join(f"{k} {v:.1f} s" for k, v in result.seconds.items()))
    return result


def report_products(dossier: Dossier) -> dict[str, Path]:
    """The products the report reads (the report product's dependencies: every product of the report's steps)
    and their folders."""
    registry = load_products()
    return {name: registry[name].output_dir(dossier) for name in registry[REPORT].depends}


def make_report(dossier: Dossier, product_dirs: Mapping[str, Path] | None = None,
                date: dt.date | None = None) -> ReportResult:
    """Write ``report/`` of ``dossier`` from its saved products; on failure the old report stays."""
    dirs = dict(product_dirs) if product_dirs is not None else report_products(dossier)
    with atomic_dir(dossier.report_dir) as tmp:
        result = build_report(dossier, tmp, dirs, grid=dossier_grid(dossier),
                              boundary=boundary_geometry(dossier), date=date)
    result.folder = dossier.report_dir
    return result
