"""``alliantie evaluate DOSSIER SKETCH.gpkg --out DIR``: what a sketch of measures does (step 3's effect engine)."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from alliantie.cli.common import _h, _t, err_console, handle_errors, out_console
from alliantie.errors import storage_errors
from alliantie.i18n import current_language


def _eur(value: float) -> str:
    """A whole amount with the thousands separator of the message language."""
    text = f"{value:,.0f}"
    return text.replace(",", ".") if current_language() == "nl" else text


def _return_periods(text: str | None) -> list[float] | None:
    """``--overland-storms 10,100,1000`` as return periods (years)."""
    if text is None:
        return None
    try:
        values = [float(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise click.BadParameter(text, param_hint="--overland-storms") from None
    if not values or any(v <= 0 for v in values):
        raise click.BadParameter(text, param_hint="--overland-storms")
    return values


@click.command("evaluate", help=_h("evaluate"))
@click.argument("dossier_path", metavar="DOSSIER", type=click.Path(exists=True, path_type=Path))
@click.argument("sketch", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), required=True, help=_h("ev_out"))
@click.option("--layer", type=str, default=None, help=_h("ev_layer"))
@click.option("--level", type=click.Choice(["full", "fast"]), default="full", show_default=True, help=_h("ev_level"))
@click.option("--overland", "overland", is_flag=True, help=_h("ev_overland"))
@click.option("--overland-buffer-m", "buffer_m", type=click.FloatRange(min=50, max=5000), default=400.0,
              show_default=True, help=_h("ev_overland_buffer"))
@click.option("--overland-storms", "storms", type=str, default=None, metavar="T,T,...", help=_h("ev_overland_storms"))
@handle_errors
def evaluate_command(dossier_path: Path, sketch: Path, out: Path, layer: str | None, level: str, overland: bool,
                     buffer_m: float, storms: str | None) -> None:
    """Evaluate SKETCH on the dossier and write ``effects.json``, a table per feature and the depth change."""
    from alliantie.dossier import load_dossier
    from alliantie.method.vista.evaluation import evaluate_sketch

    return_periods = _return_periods(storms)
    dossier = load_dossier(dossier_path)
    with err_console.status(_t("effects.cli.running")), storage_errors(out.absolute()):
        result = evaluate_sketch(dossier, sketch, out, layer=layer, level=level,  # type: ignore[arg-type]
                                 overland_buffer_m=buffer_m if overland or storms else None,
                                 overland_return_periods=return_periods)
    data = result.effects
    total = data.total
    avoided = Table(title=_t("effects.cli.title", count=len(data.features)), title_justify="left")
    avoided.add_column(_t("effects.cli.theme"))
    for sid in data.scenarios:
        avoided.add_column(sid, justify="right")
    for theme in data.themes_evaluated:
        per = total.avoided_ead_eur.get(theme, {})
        values = (_eur(per.get(sid, {}).get("mean", 0.0)) for sid in data.scenarios)
        avoided.add_row(_t(f"report.themes.{theme}"), *values)
    pv = {t: total.avoided_pv_eur.get(t, {}) for t in data.themes_evaluated}
    avoided.add_row(_t("effects.cli.pv_total"),
                    *(_eur(sum(pv[t].get(sid, 0.0) for t in pv)) for sid in data.scenarios))
    out_console.print(avoided)
    if data.pluvial_product_engine == "overland" and "pluvial" in data.themes_evaluated:
        out_console.print(_t("effects.cli.screening_of_2d"), highlight=False)
    counts = Table(title=_t("effects.cli.indicators"), title_justify="left")
    counts.add_column(_t("effects.cli.indicator"))
    for sid in data.scenarios:
        counts.add_column(sid, justify="right")
    counts.add_row(_t("effects.cli.kept_dry"), *(str(total.buildings_kept_dry.get(sid, 0)) for sid in data.scenarios))
    counts.add_row(_t("effects.cli.roads"), *(
        _eur(total.roads_flooded_before_m.get(sid, 0.0) - total.roads_flooded_after_m.get(sid, 0.0))
        for sid in data.scenarios))
    if total.residents_cooled is not None:
        cooled = total.residents_cooled
        counts.add_row(_t("effects.cli.cooled"), *(str(cooled.get(sid, 0)) for sid in data.scenarios))
    out_console.print(counts)
    if data.overland is not None:
        o = data.overland
        out_console.print(_t("effects.cli.overland", storm=o.storm, windows=o.windows,
                             cells=o.window_cells, counted=o.buildings_counted,
                             before=o.buildings_above_floor_before, after=o.buildings_above_floor_after,
                             kept=o.buildings_kept_dry, wet=o.buildings_newly_wet, seconds=o.seconds,
                             facade_before=o.buildings_wet_facade_before, facade_after=o.buildings_wet_facade_after,
                             roads_before=_eur(o.roads_impassable_before_m),
                             roads_after=_eur(o.roads_impassable_after_m),
                             damage_before=_eur(o.damage_before_eur or 0.0),
                             damage_after=_eur(o.damage_after_eur or 0.0)),
                          highlight=False)
        if o.avoided_ead_eur is not None:
            out_console.print(_t("effects.cli.overland_ead", periods=", ".join(f"{t:g}" for t in o.return_periods),
                                 before=_eur(o.ead_before_eur or 0.0), after=_eur(o.ead_after_eur or 0.0),
                                 avoided=_eur(o.avoided_ead_eur)), highlight=False)
    out_console.print(_t("effects.cli.summary", storage=_eur(total.storage_m3),
                         investment=_eur(total.investment_eur["mean"]), cost=_eur(total.cost_pv_eur["mean"]),
                         low=_eur(total.cost_pv_eur["low"]), high=_eur(total.cost_pv_eur["high"]),
                         start=data.start_year, horizon=data.horizon_year, price_year=data.price_year),
                      highlight=False)
    if data.themes_not_evaluated:
        out_console.print(_t("effects.cli.not_evaluated",
                             themes=", ".join(_t(f"report.themes.{t}") for t in data.themes_not_evaluated)),
                          highlight=False)
    out_console.print(_t("effects.cli.written", path=str(result.path)), highlight=False)


#: The command, typed for the group in :mod:`alliantie.cli.main`.
command: click.Command = evaluate_command
