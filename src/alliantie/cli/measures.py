"""``alliantie measures [--theme T] [--level L] [--format table|json] [--lang nl|en]``: the measure catalogue.

The table is for reading; the JSON is the catalogue as data: a list of measures
with ``id``, ``name`` {nl, en}, ``themes``, ``levels``, ``geometry``,
``principles``, ``group``, ``investment``, ``maintenance``, ``lifetime`` and
``effect``, each number with its unit, source and whether it is our estimate.
"""

from __future__ import annotations

import json
from typing import Any

import click
from rich import box
from rich.console import Console
from rich.table import Table

from alliantie.cli.common import _h, handle_errors, out_console
from alliantie.i18n import LANGUAGES, current_language, translate
from alliantie.knowledge.measures import LEVELS, THEMES, CostRange, Measure, MeasureCatalogue, Sourced

#: Width of the table when the output is not a terminal (a pipe, a file, a test).
_PIPE_WIDTH = 160


@click.command("measures", help=_h("measures"))
@click.option("--theme", type=click.Choice(THEMES), default=None, help=_h("measures_theme"))
@click.option("--level", type=click.Choice(LEVELS), default=None, help=_h("measures_level"))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help=_h("measures_format"))
@click.option("--lang", "language", type=click.Choice(LANGUAGES), default=None, help=_h("measures_lang"))
@handle_errors
def measures(theme: str | None, level: str | None, fmt: str, language: str | None) -> None:
    """List the measures of the catalogue, optionally of one theme and level."""
    selected = MeasureCatalogue.load().select(theme=theme, level=level)
    if fmt == "json":
        click.echo(json.dumps([measure_record(m) for m in selected], ensure_ascii=False, indent=2))
        return
    lang = language or current_language()
    if not selected:
        out_console.print(translate("measures.table.none", lang), highlight=False)
        return
    # a terminal gets its own width; a pipe, a file or a test one line per measure
    console = out_console if out_console.is_terminal else Console(markup=False, width=_PIPE_WIDTH)
    console.print(measure_table(selected, lang), highlight=False)
    console.print(translate("measures.table.footnote", lang), highlight=False)


def measure_table(selected: list[Measure], lang: str) -> Table:
    """The measures as a table in language ``lang``: id, name, themes, levels, geometry, mean investment, lifetime."""
    def t(key: str, **params: Any) -> str:
        return translate(f"measures.table.{key}", lang, **params)

    table = Table(title=t("title", count=len(selected)), title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    widest_id = max(len(m.id) for m in selected)
    table.add_column(t("id"), no_wrap=True, min_width=widest_id)
    for column in ("name", "themes", "levels", "geometry", "investment", "lifetime"):
        table.add_column(t(column), justify="right" if column in ("investment", "lifetime") else "left",
                         overflow="fold")
    for m in selected:
        table.add_row(
            m.id,
            getattr(m.name, lang),
            ", ".join(translate(f"measures.themes.{theme}", lang) for theme in m.themes),
            ", ".join(translate(f"measures.levels.{level}", lang) for level in m.levels),
            translate(f"measures.geometry.{m.geometry}", lang),
            _money(m.investment) + (t("estimate") if m.investment.estimate else ""),
            t("years", years=f"{m.lifetime.years:g}") + (t("estimate") if m.lifetime.estimate else ""),
        )
    return table


def _money(cost: CostRange) -> str:
    """The mean cost with its unit: ``EUR 75/m2``, ``EUR 3.5/m2``, ``EUR 11.3 M/km``."""
    per = cost.unit.removeprefix("EUR")
    value = cost.mean
    if value >= 1e6:
        return f"EUR {value / 1e6:.1f} M{per}"
    shown = f"{value:,.0f}".replace(",", " ") if value >= 100 else f"{value:.2f}".rstrip("0").rstrip(".")
    return f"EUR {shown}{per}"


def _number(value: Sourced) -> dict[str, Any]:
    return {"value": value.value, "unit": value.unit, "source": value.source, "estimate": value.estimate}


def _cost(cost: CostRange) -> dict[str, Any]:
    return {"unit": cost.unit, "price_year": cost.price_year, "low": cost.low, "mean": cost.mean, "high": cost.high,
            "source": cost.source, "estimate": cost.estimate}


def measure_record(m: Measure) -> dict[str, Any]:
    """One measure as plain data for JSON: every number with its unit, source and estimate flag."""
    effect: dict[str, Any] = {name: _number(value) for name, value in m.effect.parameters().items()}
    if m.effect.cool_place:
        effect["cool_place"] = True
    if m.effect.not_modelled is not None:
        effect["not_modelled"] = m.effect.not_modelled.model_dump()
    record: dict[str, Any] = {
        "id": m.id,
        "name": m.name.model_dump(),
        "description": m.description.model_dump(),
        "themes": list(m.themes),
        "levels": list(m.levels),
        "geometry": m.geometry,
        "principles": list(m.principles),
        "climate_principle": m.climate_principle,
        "group": m.group,
        "investment": _cost(m.investment),
        "maintenance": _cost(m.maintenance),
        "lifetime": {"value": m.lifetime.years, "unit": "yr", "source": m.lifetime.source,
                     "estimate": m.lifetime.estimate},
        "effect": effect,
    }
    if m.default_width_m is not None:
        record["default_width_m"] = _number(m.default_width_m)
    return record


#: The command, typed for the group in :mod:`alliantie.cli.main`.
command: click.Command = measures
