"""``alliantie fetch DOSSIER [--ahn --bag --bgt --bro --cbs --lgn]``: national open data for the dossier's area."""

from __future__ import annotations

from pathlib import Path

import click
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn

from alliantie.cli.common import _h, _t, err_console, handle_errors, out_console


@click.command("fetch", help=_h("fetch"))
@click.argument("dossier", type=click.Path(path_type=Path))
@click.option("--ahn", is_flag=True, help=_h("fetch_ahn"))
@click.option("--bag", is_flag=True, help=_h("fetch_bag"))
@click.option("--bgt", is_flag=True, help=_h("fetch_bgt"))
@click.option("--bro", is_flag=True, help=_h("fetch_bro"))
@click.option("--cbs", is_flag=True, help=_h("fetch_cbs"))
@click.option("--lgn", is_flag=True, help=_h("fetch_lgn"))
@click.option("--cbs-year", type=click.IntRange(2021, 2100), default=2024, show_default=True,
              help=_h("fetch_cbs_year"))
@click.option("--refresh", is_flag=True, help=_h("fetch_refresh"))
@click.option("--write-config", is_flag=True, help=_h("fetch_write_config"))
@handle_errors
def fetch(dossier: Path, ahn: bool, bag: bool, bgt: bool, bro: bool, cbs: bool, lgn: bool, cbs_year: int,
          refresh: bool, write_config: bool) -> None:
    """Download the national datasets for the dossier's boundary; print (or write) the lines for dossier.toml."""
    from alliantie.fetch.run import DATASETS, config_lines, fetch_datasets
    from alliantie.fetch.sources import LGN_PAGE
    from alliantie.fetch.toml_edit import set_inputs

    chosen = {name for name, flag in zip(DATASETS, (ahn, bag, bgt, bro, cbs, lgn), strict=True) if flag}
    chosen = chosen or set(DATASETS)  # no flag: everything
    toml_path = dossier / "dossier.toml" if dossier.is_dir() else dossier
    with Progress(TextColumn("{task.description}", markup=False), BarColumn(), DownloadColumn(),
                  TimeElapsedColumn(), console=err_console, transient=True) as bar:
        task = bar.add_task(_t("fetch.starting"), total=None)

        def progress(what: str, done: int, total: int | None) -> None:
            bar.update(task, description=what, completed=done, total=total)

        report = fetch_datasets(toml_path, chosen, progress=progress, refresh=refresh, cbs_year=cbs_year)
    for record in report.records:
        out_console.print(_t("fetch.done", dataset=record.dataset, title=record.title, files=len(record.files),
                             licence=record.licence["name"]), highlight=False)
        if record.note:
            out_console.print(f"  {record.note}", highlight=False)
    if "lgn" in report.skipped:
        out_console.print(_t("fetch.lgn_not_public", page=LGN_PAGE), highlight=False)
    out_console.print(_t("fetch.summary", mb=f"{report.downloaded_bytes / 1e6:.1f}", hits=report.cache_hits),
                      highlight=False)
    lines = config_lines(report)
    if not lines:
        return
    if write_config:
        backup = set_inputs(toml_path, lines)
        out_console.print(_t("fetch.config_written", path=str(toml_path), backup=str(backup)), highlight=False)
    else:
        out_console.print(_t("fetch.config_lines", path=str(toml_path)), highlight=False)
    for line in lines:
        out_console.print(f"  {line}", highlight=False)


command = fetch
