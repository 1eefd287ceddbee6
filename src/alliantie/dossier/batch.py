"""Many dossiers at once on Dask distributed: ``alliantie batch DOSSIERS... [--scheduler ADDRESS]``.

One task per product per dossier. A product's task waits for the tasks of the
products it depends on, and the tasks of one dossier run one after the other
(a dossier's run holds its lock, so two of its products at once would only make a
worker wait): dossiers run side by side, products in the method's order. Each
task is a normal run of that one product (:func:`~alliantie.dossier.run.run_dossier`
with ``products=[name]``): the same cache keys, the same atomic folders, so an
unchanged product is skipped and a batch can be started again after a failure.

A failure never stops the batch: the failing product is recorded with its message,
the products that need it are recorded as *blocked*, and every other dossier goes
on. A dossier whose ``dossier.toml`` cannot be read fails as a whole, before any
task is sent.
"""

from __future__ import annotations

import resource
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from alliantie.errors import AlliantieError, ConfigError
from alliantie.i18n import current_language, set_language, translate

if TYPE_CHECKING:
    from distributed import Client

Status = Literal["computed", "unchanged", "failed", "blocked"]


@dataclass(frozen=True)
class ProductOutcome:
    """What became of one product of one dossier."""

    dossier: str  #: path of the dossier.toml
    product: str
    status: Status
    seconds: float = 0.0  #: wall time of the task (0 for a blocked one)
    peak_memory_mb: float = 0.0  #: the worker process's peak resident memory after the task
    message: str = ""  #: the error (failed) or the product that failed upstream (blocked)


@dataclass
class DossierOutcome:
    """A dossier of the batch: its size and its products' outcomes."""

    path: str
    name: str = ""
    area_km2: float = 0.0
    cells: int = 0
    products: list[ProductOutcome] = field(default_factory=list)
    error: str = ""  #: the dossier could not be read (no product was run)

    def count(self, status: Status) -> int:
        return sum(1 for p in self.products if p.status == status)

    @property
    def ok(self) -> bool:
        return not self.error and self.count("failed") == 0 and self.count("blocked") == 0

    @property
    def seconds(self) -> float:
        return sum(p.seconds for p in self.products)

    @property
    def peak_memory_mb(self) -> float:
        return max((p.peak_memory_mb for p in self.products), default=0.0)

    @property
    def first_error(self) -> str:
        if self.error:
            return self.error
        return next((f"{p.product}: {p.message}" for p in self.products if p.status == "failed"), "")


@dataclass
class BatchSummary:
    dossiers: list[DossierOutcome]
    wall_seconds: float
    workers: int

    @property
    def ok(self) -> bool:
        return all(d.ok for d in self.dossiers)

    @property
    def area_km2(self) -> float:
        return sum(d.area_km2 for d in self.dossiers)

    def seconds_per_km2(self) -> float | None:
        """Task seconds (summed over workers) per km² of the dossiers whose products all ran."""
        done = [d for d in self.dossiers if d.ok and d.area_km2 > 0 and d.count("computed")]
        area = sum(d.area_km2 for d in done)
        return sum(d.seconds for d in done) / area if area else None


def _peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # kilobytes on Linux


def compute_product(toml: str, product: str, language: str, *upstream: ProductOutcome) -> ProductOutcome:
    """A worker's task: run one product of one dossier (its upstream products are done or failed).

    Never raises: a failure becomes a ``failed`` outcome with the message in ``language``.
    ``upstream`` holds the outcomes of the products it needs and of the dossier's previous task.
    """
    from alliantie.dossier import load_dossier
    from alliantie.dossier.registry import REGISTRY, load_products
    from alliantie.dossier.run import run_dossier

    load_products()
    needs = set(REGISTRY[product].depends) | set(REGISTRY[product].optional_depends)
    broken = sorted(u.product for u in upstream if u.product in needs and u.status in ("failed", "blocked"))
    if broken:
        return ProductOutcome(toml, product, "blocked",
                              message=translate("batch.blocked_by", language, names=", ".join(broken)))
    set_language(language)
    started = time.perf_counter()
    try:
        summary = run_dossier(load_dossier(toml), products=[product], wait=None)
    except AlliantieError as exc:
        return ProductOutcome(toml, product, "failed", time.perf_counter() - started, _peak_memory_mb(),
                              exc.message(language))
    except Exception as exc:  # a bug in a product: recorded for this dossier, the batch goes on
        return ProductOutcome(toml, product, "failed", time.perf_counter() - started, _peak_memory_mb(),
                              f"{type(exc).__name__}: {exc}")
    status: Status = "computed" if product in summary.computed else "unchanged"
    return ProductOutcome(toml, product, status, time.perf_counter() - started, _peak_memory_mb())


def _describe_dossier(path: Path, language: str) -> DossierOutcome:
    """Read a dossier (size and the products to run), or record why it cannot be read."""
    from alliantie.dossier import load_dossier
    from alliantie.dossier.registry import RunCache

    outcome = DossierOutcome(path=str(path))
    try:
        dossier = load_dossier(path)
        outcome.path = str(dossier.toml_path)
        outcome.name = dossier.config.name
        cache = RunCache(dossier)
        outcome.area_km2 = float(cache.area.area) / 1e6
        outcome.cells = int(cache.mask.sum())
    except AlliantieError as exc:
        outcome.error = exc.message(language)
        return outcome
    except Exception as exc:  # an unreadable boundary, say: this dossier fails, the batch goes on
        outcome.error = f"{type(exc).__name__}: {exc}"
        return outcome
    return outcome


#: Seconds to wait for the scheduler of ``--scheduler`` before saying it cannot be reached.
SCHEDULER_TIMEOUT_S = 10.0


def worker_environ() -> dict[str, Any]:
    """The environment Dask's nanny gives a new worker, without ``MALLOC_TRIM_THRESHOLD_``.

    Dask sets it (64 KiB) so that workers hand freed memory back to the system at once; that also fixes glibc's
    mmap threshold, so every large array a product allocates is mapped and unmapped again. Measured on the
    default demo (one worker): 129 s user and 53 s system time with it, 131 s and 12 s without; the tasks took
    160 s against 126 s, the worker's peak rose from 1.7 to 2.1 GB (docs/batch.md).
    The thread limits (``OMP_NUM_THREADS=1`` and the like) stay: a worker is one core.
    """
    import dask

    environ = dict(dask.config.get("distributed.nanny.pre-spawn-environ", default={}) or {})
    environ.pop("MALLOC_TRIM_THRESHOLD_", None)
    return environ


def run_batch(
    paths: Sequence[Path],
    *,
    scheduler: str | None = None,
    workers: int | None = None,
    products: list[str] | None = None,
    on_outcome: Callable[[ProductOutcome], None] | None = None,
    connect_timeout_s: float = SCHEDULER_TIMEOUT_S,
) -> BatchSummary:
    """Run the products of every dossier in ``paths`` on Dask distributed.

    ``scheduler``: the address of a running scheduler (``tcp://host:8786``); without it a
    LocalCluster of ``workers`` processes (one thread each; default: the CPU count) on
    loopback. ``products``: only these and what they need (default: all, the report
    included). ``on_outcome`` is called as each task finishes (a progress line).
    """
    import dask
    from distributed import Client, LocalCluster, as_completed

    from alliantie.dossier.registry import load_products, ordered

    language = current_language()
    load_products()
    plan = [p.name for p in ordered(products)]  # an unknown product name is refused before anything starts
    dossiers = [_describe_dossier(Path(path), language) for path in paths]
    started = time.perf_counter()
    cluster = None
    if scheduler is None:
        with dask.config.set({"distributed.nanny.pre-spawn-environ": worker_environ()}):
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                                   dashboard_address=None)
        client = Client(cluster)
    else:
        try:
            client = Client(scheduler, timeout=connect_timeout_s)
        except (OSError, TimeoutError, ValueError) as exc:  # nobody there, or not an address at all
            raise ConfigError("batch.scheduler_unreachable", address=scheduler, seconds=f"{connect_timeout_s:g}",
                              detail=str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from None
    try:
        n_workers = len(client.scheduler_info()["workers"])
        futures = _submit(client, dossiers, plan, language)
        by_path = {d.path: d for d in dossiers}
        for future in as_completed(futures):
            outcome = future.result()
            by_path[outcome.dossier].products.append(outcome)
            if on_outcome is not None:
                on_outcome(outcome)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    order = {name: i for i, name in enumerate(plan)}
    for d in dossiers:
        d.products.sort(key=lambda p: order[p.product])
    return BatchSummary(dossiers, time.perf_counter() - started, n_workers)


def _submit(client: Client, dossiers: list[DossierOutcome], plan: list[str], language: str) -> list[Any]:
    """One future per product per readable dossier, wired to its upstream products and the dossier's previous task."""
    from alliantie.dossier.registry import REGISTRY

    futures: list[Any] = []
    for index, dossier in enumerate(dossiers):
        if dossier.error:
            continue
        mine: dict[str, Any] = {}
        previous: Any = None
        for name in plan:
            product = REGISTRY[name]
            needs = [mine[d] for d in (*product.depends, *product.optional_depends) if d in mine]
            if previous is not None and all(previous is not n for n in needs):
                needs.append(previous)  # a dossier's tasks one after the other
            future = client.submit(compute_product, dossier.path, name, language, *needs,
                                   key=f"{name}-{index}", pure=False)
            mine[name] = future
            previous = future
            futures.append(future)
    return futures
