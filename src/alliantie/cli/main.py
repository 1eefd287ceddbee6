"""The ``alliantie`` command: thin commands over the library.

Logging is configured here only; progress is rendered with a rich progress bar
from the runner's events; an :class:`~alliantie.errors.AlliantieError` becomes a
clear message and a non-zero exit code, never a traceback (``-v`` shows it).
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path
from typing import TextIO

import click
from rich.logging import RichHandler
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from alliantie import __version__
from alliantie.cli.assess import command as _assess
from alliantie.cli.batch import command as _batch
from alliantie.cli.bluespots import command as _bluespots
from alliantie.cli.common import _h, _t, err_console, handle_errors, out_console
from alliantie.cli.evaluate import command as _evaluate
from alliantie.cli.fetch import command as _fetch
from alliantie.cli.fill import command as _fill
from alliantie.cli.measures import command as _measures
from alliantie.cli.serve import command as _serve
from alliantie.cli.stresstest import command as _stresstest
from alliantie.i18n import LANGUAGES, set_language


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, help=_h("main"))
@click.version_option(__version__, prog_name="alliantie")
@click.option("-v", "--verbose", count=True, help=_h("verbose"))
@click.option("-q", "--quiet", is_flag=True, help=_h("quiet"))
@click.option(
    "--lang", type=click.Choice(LANGUAGES), default=None, envvar="ALLIANTIE_LANG",
    help=_h("lang"),
)
def cli(verbose: int, quiet: bool, lang: str | None) -> None:
    """alliantie: climate-adaptive spatial planning with the Natuurlijke Alliantie method."""
    set_language(lang)
    level = logging.WARNING if quiet else (logging.DEBUG if verbose > 1 else logging.INFO)
    logging.basicConfig(
        level=level, format="%(message)s", datefmt="[%X]",
        handlers=[RichHandler(console=err_console, show_path=verbose > 1, markup=False)],
    )
    for noisy in ("rasterio", "fiona", "pyogrio", "numba", "matplotlib", "PIL", "fontTools", "distributed", "numexpr"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))
    warnings.showwarning = _warning_to_debug_log


def _warning_to_debug_log(message: Warning | str, category: type[Warning], filename: str, lineno: int,
                          file: TextIO | None = None, line: str | None = None) -> None:
    """Python warnings of the libraries (rasterio's NotGeoreferencedWarning before a CRS message, review case 08)
    are not messages for a planner: they go to the debug log (``-vv``), not raw onto the console. Our own
    warnings are log records with a catalogue text."""
    logging.getLogger("alliantie.warnings").debug("%s:%d: %s: %s", filename, lineno, category.__name__, message)


@cli.command(help=_h("demo"))
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help=_h("demo_out"))
@click.option("--size", type=click.Choice(["small", "default"]), default="default", show_default=True,
              help=_h("demo_size"))
@click.option("--seed", type=int, default=2014, show_default=True, help=_h("demo_seed"))
@click.option("--run", "and_run", is_flag=True, help=_h("demo_run"))
@handle_errors
def demo(out: Path, size: str, seed: int, and_run: bool) -> None:
    """Write the synthetic Gelderse Vallei / Eem demo region as a dossier."""
    from alliantie.demo import make_demo

    with err_console.status(_t("cli.demo_making")):
        toml_path = make_demo(out, size=size, seed=seed)  # type: ignore[arg-type,unused-ignore]
    out_console.print(_t("cli.demo_written", path=str(toml_path)))
    if and_run:
        _run(toml_path, force=False, products=())


def _run(path: Path, force: bool, products: tuple[str, ...], no_wait: bool = False) -> None:
    from alliantie.dossier import RunEvent, load_dossier, run_dossier

    dossier = load_dossier(path)
    with Progress(
        TextColumn("{task.description}", markup=False), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(), console=err_console, transient=False,
    ) as progress:
        task = progress.add_task(_t("cli.run_products"), total=None)

        def on_event(event: RunEvent) -> None:
            if event.kind == "wait":
                progress.console.print(_t("cli.run_waiting"), highlight=False)
                return
            progress.update(task, total=event.total)
            if event.kind == "skip":
                progress.console.print(_t("cli.product_unchanged", name=event.product), highlight=False)
                progress.update(task, completed=event.index)
            elif event.kind == "start":
                progress.update(task, description=event.product, completed=event.index - 1)
            elif event.kind == "progress":
                progress.update(task, completed=event.index - 1 + event.fraction)
            elif event.kind == "done":
                progress.console.print(
                    _t("cli.product_done", name=event.product, seconds=f"{event.seconds:.1f}"), highlight=False
                )
                progress.update(task, completed=event.index)

        summary = run_dossier(dossier, products=list(products) or None, force=force, on_event=on_event,
                              wait=0 if no_wait else None)
        progress.update(task, description=_t("cli.run_products"))
    out_console.print(
        _t("cli.run_summary", computed=len(summary.computed), skipped=len(summary.skipped),
           report=str(dossier.report_dir / "index.html")),
        highlight=False,
    )


@cli.command(help=_h("run"))
@click.argument("dossier", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help=_h("run_force"))
@click.option("--product", "products", multiple=True, help=_h("run_product"))
@click.option("--no-wait", "no_wait", is_flag=True, help=_h("run_no_wait"))
@handle_errors
def run(dossier: Path, force: bool, products: tuple[str, ...], no_wait: bool) -> None:
    """Compute the products and the report of a dossier (DOSSIER: dossier.toml or its folder)."""
    _run(dossier, force, products, no_wait)


@cli.command(help=_h("check"))
@click.argument("dossier", type=click.Path(path_type=Path))
@handle_errors
def check(dossier: Path) -> None:
    """Validate dossier.toml and the input files without computing anything."""
    from alliantie.dossier import load_dossier
    from alliantie.dossier.inspect import check_inputs

    loaded = load_dossier(dossier)
    for line in check_inputs(loaded):
        out_console.print(line, highlight=False)
    out_console.print(_t("cli.check_ok", path=str(loaded.toml_path)))


@cli.command(name="products", help=_h("products"))
def list_products() -> None:
    """List the registered products and what they depend on."""
    from alliantie.dossier.registry import load_products, ordered

    load_products()
    for p in ordered():
        deps = ", ".join(p.depends) or "-"
        ins = ", ".join(p.inputs) or "-"
        out_console.print(Text.assemble((p.name, "bold"), f" (step {p.step})  inputs: {ins}  depends: {deps}"),
                          highlight=False)


cli.add_command(_batch)
cli.add_command(_assess)
cli.add_command(_bluespots)
cli.add_command(_evaluate)
cli.add_command(_fetch)
cli.add_command(_fill)
cli.add_command(_measures)
cli.add_command(_serve)
cli.add_command(_stresstest)


def main() -> None:
    cli(prog_name="alliantie")


if __name__ == "__main__":  # pragma: no cover
    main()
