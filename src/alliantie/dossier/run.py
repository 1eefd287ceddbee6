"""Running a dossier: compute what changed, skip what did not, record provenance."""

from __future__ import annotations

import datetime as dt
import errno
import json
import logging
import os
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from filelock import FileLock, Timeout

from alliantie import __version__
from alliantie.contract.names import FLOOD
from alliantie.dossier.breach_check import check_breach_point
from alliantie.dossier.config import Dossier, InputFile, input_specs
from alliantie.dossier.inspect import preflight
from alliantie.dossier.interrupt import interrupt_guard, interrupted, raise_if_interrupted
from alliantie.dossier.preparation import preparation
from alliantie.dossier.provenance import (
    PROVENANCE_FILE,
    FileHasher,
    cache_key,
    output_files,
    outputs_intact,
    path_for_record,
    read_provenance,
)
from alliantie.dossier.registry import (
    Product,
    ProductContext,
    RunCache,
    code_hash,
    load_products,
    ordered,
    parameter_section,
    parameter_value,
)
from alliantie.dossier.resources import check_memory
from alliantie.errors import AlliantieError, ProductError, RunBusyError, storage_error, storage_errors
from alliantie.io.atomic import atomic_dir, atomic_file, remove_stale_temporaries

log = logging.getLogger(__name__)

HASH_INDEX = ".hashes.json"
#: The lock a run holds on its dossier (in ``products/``): one run at a time computes there.
LOCK_FILE = ".run.lock"


@dataclass(frozen=True)
class RunEvent:
    """A progress event: a product starts, is skipped, advances or finishes."""

    kind: Literal["wait", "start", "skip", "progress", "done"]
    product: str
    index: int
    total: int
    fraction: float = 0.0
    seconds: float = 0.0


@dataclass
class RunSummary:
    computed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)


def _describe(
    product: Product, dossier: Dossier, hasher: FileHasher, upstream_keys: dict[str, str]
) -> dict[str, Any]:
    """Everything the product is a function of (the part of provenance that makes its key)."""
    from alliantie.knowledge import knowledge_file

    inputs: dict[str, Any] = {}
    for name in (*product.inputs, *product.optional_inputs):
        ref = dossier.input_file(name)
        if ref is None:
            inputs[name] = None
            continue
        path = Path(ref.path)
        inputs[name] = {
            "path": path_for_record(path, dossier.root),
            "layer": ref.layer,
            "sha256": hasher.tiles(ref.files) if ref.tiled else hasher.dataset(path),
            **_declared(ref, dossier, hasher),
        }
        prepared = preparation(ref, name)
        if prepared is not None:  # resampling rule, tiles, gap filling: their version and the input's own choices
            inputs[name]["preparation"] = prepared
        if ref.columns:  # the dossier's attribute map decides what the products read (issue 14)
            inputs[name]["columns"] = dict(sorted(ref.columns.items()))
        if input_specs()[name].columns:  # the national schemas decide how its columns are read
            schemas = knowledge_file("national_schemas", override=dossier.knowledge_override("national_schemas"))
            inputs[name]["national_schemas_sha256"] = hasher.file(schemas)
    boundary = dossier.input_file("boundary")
    inputs["boundary"] = (
        None if boundary is None
        else {"path": path_for_record(boundary.path, dossier.root), "sha256": hasher.dataset(Path(boundary.path))}
    )
    knowledge: dict[str, Any] = {}
    for name in product.knowledge:
        path = knowledge_file(name, override=dossier.knowledge_override(name))
        knowledge[name] = {"file": path_for_record(path, dossier.root), "sha256": hasher.file(path)}
    return {
        "product": product.name,
        "product_version": product.version,
        "alliantie": __version__,
        "code_sha256": code_hash(product.module),
        "grid": {"crs": dossier.config.crs, "resolution": dossier.config.resolution},
        "inputs": inputs,
        "parameters": {
            **{p: parameter_value(dossier, p) for p in product.parameters},
            **{
                section: getattr(dossier.config.parameters, section).model_dump(mode="json")
                for section in map(parameter_section, product.params)
            },
        },
        "knowledge": knowledge,
        "depends": {
            **{d: upstream_keys[d] for d in product.depends},
            **{d: upstream_keys.get(d) for d in product.optional_depends},
        },
    }


def _declared(ref: InputFile, dossier: Dossier, hasher: FileHasher) -> dict[str, Any]:
    """What a raster declares about itself, and the files its reading then depends on (part of the key).

    Groundwater in m NAP is read with the DEM, land use of another code list through ``landuse_codes.toml``
    (or the dossier's mapping CSV), so a change of either recomputes the products that read it.
    """
    from alliantie.knowledge import knowledge_file

    declared: dict[str, Any] = dict(ref.declared())
    if ref.datum == "NAP":
        dem = dossier.input_file("dem")
        declared["dem_sha256"] = hasher.dataset(Path(dem.path)) if dem is not None else None
    if ref.mapping:
        declared["mapping_sha256"] = hasher.file(Path(ref.mapping))
    elif ref.codes == "bgt":  # BGT land cover through bgt_landuse.toml
        table = knowledge_file("bgt_landuse", override=dossier.knowledge_override("bgt_landuse"))
        declared["codes_sha256"] = hasher.file(table)
    elif ref.codes and ref.codes != "lgn":
        table = knowledge_file("landuse_codes", override=dossier.knowledge_override("landuse_codes"))
        declared["codes_sha256"] = hasher.file(table)
    if ref.codes:  # every code list is read into the classes of lgn_classes.toml
        classes = knowledge_file("lgn_classes", override=dossier.knowledge_override("lgn_classes"))
        declared["classes_sha256"] = hasher.file(classes)
    return declared


def _progress_callback(
    emit: Callable[[RunEvent], None], name: str, index: int, total: int
) -> Callable[[float], None]:
    def report(fraction: float) -> None:
        emit(RunEvent("progress", name, index, total, fraction=fraction))

    return report


def run_dossier(
    dossier: Dossier,
    *,
    products: list[str] | None = None,
    force: bool = False,
    exclude: frozenset[str] | set[str] = frozenset(),
    on_event: Callable[[RunEvent], None] | None = None,
    wait: float | None = None,
) -> RunSummary:
    """Compute the products of ``dossier`` in dependency order, skipping unchanged ones.

    A product is skipped when its saved ``provenance.json`` has the same key and
    its files are intact. A product is computed into a temporary folder that
    replaces ``products/<name>/`` only on success: a failure leaves the previous
    version (or nothing), never a partial product.

    ``exclude`` names products this run does not compute; products that declare
    them as optional dependencies read them as absent (the stresstest-light
    without groundwater excludes drought).

    One run at a time works on a dossier: a second run waits for the lock in
    ``products/.run.lock`` (a ``"wait"`` event tells the caller), at most
    ``wait`` seconds when given (0: not at all), and then raises
    :class:`~alliantie.errors.RunBusyError`. After waiting it finds the first
    run's products fresh and skips them.
    """
    emit = on_event or (lambda event: None)
    # a folder that cannot be written or a full disk ends the run with a StorageError naming the folder; the atomic
    # writes leave the previous product (or none), at worst a .name.tmp-* sibling that the next run removes
    with storage_errors(dossier.products_dir):
        dossier.products_dir.mkdir(parents=True, exist_ok=True)
        lock = FileLock(dossier.products_dir / LOCK_FILE)
        try:
            lock.acquire(timeout=0)
        except Timeout:
            emit(RunEvent("wait", "", 0, 0))
            try:
                lock.acquire(timeout=-1 if wait is None else wait)
            except Timeout:
                raise RunBusyError(path=str(dossier.root)) from None
        try:
            with interrupt_guard():
                summary = _run_locked(dossier, products=products, force=force, exclude=exclude, emit=emit)
                raise_if_interrupted()  # a Ctrl-C swallowed after the last product still ends as interrupted
                return summary
        finally:
            lock.release()


def _run_locked(
    dossier: Dossier,
    *,
    products: list[str] | None,
    force: bool,
    exclude: frozenset[str] | set[str],
    emit: Callable[[RunEvent], None],
) -> RunSummary:
    from alliantie.knowledge import knowledge_sources

    load_products()
    absent = frozenset(exclude)
    remove_stale_temporaries(dossier.products_dir)
    remove_stale_temporaries(dossier.root)
    hasher = FileHasher(dossier.products_dir / HASH_INDEX)
    cache = RunCache(dossier)
    summary = RunSummary()
    plan = ordered(products, exclude=absent)
    keys: dict[str, str] = {}
    descriptions: dict[str, dict[str, Any]] = {}
    todo: set[str] = set()
    try:
        # keys first (cheap: hashes of files, parameters, knowledge), so only what must be computed is opened
        for product in plan:
            described = _describe(product, dossier, hasher, keys)
            keys[product.name] = cache_key(described)
            descriptions[product.name] = described
            folder = product.output_dir(dossier)
            saved = read_provenance(folder)
            fresh = (saved is not None and saved.get("key") == keys[product.name]
                     and outputs_intact(folder, saved, hasher))
            if force or not fresh:
                todo.add(product.name)
        if todo:
            needed = {n for p in plan if p.name in todo for n in (*p.inputs, *p.optional_inputs)}
            preflight(dossier, {"boundary"} | needed)
            check_memory(cache.grid, path=str(dossier.toml_path))
            if "dem" in needed:
                dem = cache.raster("dem")  # read once for all products; refuses one that does not cover the area
                if FLOOD in todo and dossier.input_file("flood_depth") is None:
                    check_breach_point(dossier.config.parameters.flood, cache.grid, dem.valid)
        for index, product in enumerate(plan, start=1):
            raise_if_interrupted()
            described, key = descriptions[product.name], keys[product.name]
            folder = product.output_dir(dossier)
            if product.name not in todo:
                summary.skipped.append(product.name)
                emit(RunEvent("skip", product.name, index, len(plan)))
                continue
            emit(RunEvent("start", product.name, index, len(plan)))
            started = time.perf_counter()
            with atomic_dir(folder) as tmp:
                ctx = ProductContext(
                    product=product, dossier=dossier, out_dir=tmp, cache=cache,
                    progress=_progress_callback(emit, product.name, index, len(plan)),
                    absent=absent,
                )
                try:
                    product.function()(ctx)
                    raise_if_interrupted()  # a Ctrl-C swallowed inside the product still ends the run
                except AlliantieError:
                    if interrupted():
                        raise KeyboardInterrupt from None
                    raise
                except OSError as exc:
                    if interrupted():
                        raise KeyboardInterrupt from exc
                    translated = _write_error(exc, tmp)
                    if translated is None:
                        log.debug("product %s failed:\n%s", product.name, traceback.format_exc())
                        raise ProductError(
                            "errors.product_failed", name=product.name, detail=f"{type(exc).__name__}: {exc}"
                        ) from exc
                    raise translated from exc
                except Exception as exc:
                    if interrupted():  # an error raised by the interruption, not a failing product
                        raise KeyboardInterrupt from exc
                    log.debug("product %s failed:\n%s", product.name, traceback.format_exc())
                    raise ProductError(
                        "errors.product_failed", name=product.name, detail=f"{type(exc).__name__}: {exc}"
                    ) from exc
                seconds = time.perf_counter() - started
                record = {
                    **described,
                    "key": key,
                    "computed_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    "duration_s": round(seconds, 3),
                    "knowledge_sources": {
                        k: knowledge_sources(k, dossier.knowledge_override(k)) for k in product.knowledge
                    },
                    "files": output_files(tmp),
                }
                checks = {n: cache.door[n] for n in (*product.inputs, *product.optional_inputs) if n in cache.door}
                if checks:  # what the door found in the rasters this product read (the report's input table)
                    record["input_checks"] = checks
                readings = {n: cache.readings[n] for n in (*product.inputs, *product.optional_inputs)
                            if n in cache.readings}
                if readings:  # how vector inputs were understood: attribute map, national schema, what changed
                    record["input_readings"] = readings
                with atomic_file(tmp / PROVENANCE_FILE) as prov_tmp:
                    prov_tmp.write_text(json.dumps(record, indent=2, ensure_ascii=False), encoding="utf-8")
            summary.computed.append(product.name)
            summary.seconds[product.name] = seconds
            emit(RunEvent("done", product.name, index, len(plan), seconds=seconds))
    finally:
        # the index only saves re-reading inputs next time: failing to save it never masks the run's own error
        # nor fails a finished run
        try:
            hasher.save()
        except OSError as exc:
            log.warning("%s", storage_error(exc, dossier.products_dir) or exc)
    return summary


def _write_error(exc: OSError, out_dir: Path) -> AlliantieError | None:
    """The storage error of a product's failed write, or None when ``exc`` is another OS error (say, reading).

    A full or read-only disk is always a write; a permission error only when it concerns the product's own folder.
    """
    if exc.errno in (errno.EACCES, errno.EPERM):
        failing = Path(os.fsdecode(exc.filename)) if exc.filename is not None else None
        if failing is None or not failing.is_relative_to(out_dir):
            return None
    return storage_error(exc, out_dir.parent)
