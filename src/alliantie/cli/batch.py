"""``alliantie batch DOSSIERS... [--scheduler ADDRESS]``: many dossiers at once on Dask distributed."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import click
from rich.table import Table

from alliantie.cli.common import _h, _t, handle_errors, out_console
from alliantie.errors import ConfigError, storage_errors
from alliantie.io.atomic import atomic_file


@click.command("batch", help=_h("batch"))
@click.argument("dossiers", nargs=-1, type=click.Path(path_type=Path))
@click.option("--scheduler", type=str, default=None, help=_h("batch_scheduler"))
@click.option("--workers", type=click.IntRange(min=1, max=512), default=None, help=_h("batch_workers"))
@click.option("--product", "products", multiple=True, help=_h("batch_product"))
@click.option("--summary", "summary_csv", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help=_h("batch_summary"))
@handle_errors
def batch(dossiers: tuple[Path, ...], scheduler: str | None, workers: int | None, products: tuple[str, ...],
          summary_csv: Path | None) -> None:
    """Run many dossiers on Dask distributed and print a table per dossier."""
    from alliantie.dossier.batch import ProductOutcome, run_batch

    if not dossiers:
        raise ConfigError("batch.no_dossiers")
    if scheduler is None:
        out_console.print(_t("batch.starting_local", count=len(dossiers), workers=workers or os.cpu_count() or 1),
                          highlight=False)
    else:
        out_console.print(_t("batch.starting_remote", count=len(dossiers), address=scheduler), highlight=False)

    def progress(outcome: ProductOutcome) -> None:
        out_console.print(_t("batch.progress", status=_t(f"batch.status_{outcome.status}"), product=outcome.product,
                             dossier=outcome.dossier, seconds=f"{outcome.seconds:.1f}"), highlight=False)

    summary = run_batch(list(dossiers), scheduler=scheduler, workers=workers, products=list(products) or None,
                        on_outcome=progress)
    table = Table(*(_t(f"batch.col_{c}") for c in ("dossier", "area", "cells", "computed", "unchanged", "failed",
                                                    "blocked", "seconds", "memory")))
    for d in summary.dossiers:
        table.add_row(d.name or d.path, f"{d.area_km2:.2f}", f"{d.cells:,}", str(d.count("computed")),
                      str(d.count("unchanged")), str(d.count("failed")), str(d.count("blocked")),
                      f"{d.seconds:.1f}", f"{d.peak_memory_mb:.0f}")
    out_console.print(table)
    for d in summary.dossiers:
        if d.first_error:
            out_console.print(f"{_t('batch.col_error')} ({d.name or d.path}): {d.first_error}", highlight=False,
                              soft_wrap=True)
    ok = sum(1 for d in summary.dossiers if d.ok)
    out_console.print(_t("batch.summary", seconds=f"{summary.wall_seconds:.1f}", workers=summary.workers, ok=ok,
                         count=len(summary.dossiers), area=f"{summary.area_km2:.2f}"), highlight=False)
    per_km2 = summary.seconds_per_km2()
    if per_km2 is not None:
        out_console.print(_t("batch.per_km2", value=f"{per_km2:.1f}"), highlight=False)
    if summary_csv is not None:
        with storage_errors(summary_csv.absolute().parent), atomic_file(summary_csv) as tmp, \
                tmp.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["dossier", "name", "area_km2", "cells", "product", "status", "seconds",
                             "peak_memory_mb", "message"])
            for d in summary.dossiers:
                if d.error:
                    writer.writerow([d.path, d.name, "", "", "", "failed", "", "", d.error])
                for p in d.products:
                    writer.writerow([d.path, d.name, f"{d.area_km2:.4f}", d.cells, p.product, p.status,
                                     f"{p.seconds:.3f}", f"{p.peak_memory_mb:.0f}", p.message])
        out_console.print(_t("batch.summary_written", path=str(summary_csv)), highlight=False)
    if not summary.ok:
        raise SystemExit(1)


#: The command, typed for the group in :mod:`alliantie.cli.main`.
command: click.Command = batch
