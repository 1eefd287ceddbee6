"""What the product writes besides its tables: ``damage.json``, the range figure and the pluvial EAD map.

* ``damage.json`` (:class:`alliantie.contract.damage.DamageFile`): everything, laid out for a web viewer;
* ``range.png`` (FigureSpec ``damage_range``): horizontal bars per theme, the total NPV range,
  the extra of climate change and the mean-amount NPV of each scenario;
* ``ead_pluvial_current.tif`` + ``maps.json``: the pluvial EAD of today's climate, EUR/ha/year.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from alliantie.contract.damage import (
    Amount,
    DamageFile,
    Discount,
    DriverEntry,
    EventEntry,
    IncidentEntry,
    NpvEntry,
    RangeEntry,
    ThemeEntry,
)
from alliantie.contract.layers import hillshade_layer
from alliantie.contract.spec import Layer, MapSpec, Text
from alliantie.contract.spec import catalogue_text as text
from alliantie.damage.amounts import DamageRange, ThemeDamage
from alliantie.damage.npv import DiscountRate, RangeSummary
from alliantie.damage.pluvial import PluvialDamage
from alliantie.grid import Grid
from alliantie.i18n import translate
from alliantie.io.raster import write_raster
from alliantie.io.styles import raster_ramp_qml
from alliantie.method.urgency.damage.present_value import NO_RULE, ThemeNpv
from alliantie.method.urgency.damage.valuers import ThemeResult
from alliantie.method.urgency.damage.wording import conventions_text, theme_text
from alliantie.parameters.damage import DamageParameters

RANGE_FIGURE = "range.png"
EAD_RASTER = "ead_pluvial_current.tif"

# --------------------------------------------------------------------------- damage.json


def _amount(r: DamageRange) -> Amount:
    return Amount(low=round(r.low, 2), mean=round(r.mean, 2), high=round(r.high, 2), price_year=r.price_year)


def _range(s: RangeSummary | None) -> RangeEntry | None:
    if s is None:
        return None
    return RangeEntry(min=round(s.minimum, 2), max=round(s.maximum, 2), at_min=s.at_minimum, at_max=s.at_maximum,
                      main_driver=s.main_driver,
                      drivers=[DriverEntry(factor=d.factor, swing=round(d.swing, 2), low_level=d.low_level,
                                           high_level=d.high_level) for d in s.drivers])


def _sources(d: ThemeDamage) -> list[str]:
    ranges = [*d.annual.values(), *(i.damage for i in d.incidents)]
    return list(dict.fromkeys(src for v in ranges for src in v.sources))


def _incidents(d: ThemeDamage) -> list[IncidentEntry]:
    return [IncidentEntry(id=i.id, scenario=i.scenario, label=Text(nl=i.label_nl, en=i.label_en),
                          damage=_amount(i.damage)) for i in d.incidents]


def _npv(npv: ThemeNpv) -> list[NpvEntry]:
    return [NpvEntry(amount=a, rule=rule, scenario=s, total=round(v.total, 2), extra=round(v.extra, 2),
                     trend_total=round(v.trend_total, 2), trend_extra=round(v.trend_extra, 2))
            for (a, rule, s), v in npv.values.items()]


def _ead_by_rule(pluvial: PluvialDamage) -> dict[str, dict[str, dict[str, float]]]:
    return {sid: {rule: {a: round(v, 2) for a, v in amounts.items()} for rule, amounts in per_rule.items()}
            for sid, per_rule in pluvial.ead.items()}


def _events(pluvial: PluvialDamage) -> list[EventEntry]:
    return [EventEntry(event=c.event, scenario=c.scenario, return_period_years=c.return_period,
                       land={a: round(v, 2) for a, v in c.land.items()},
                       buildings={a: round(v, 2) for a, v in c.buildings.items()},
                       buildings_above_floor=c.buildings_above_floor) for c in pluvial.cases]


def _theme_entry(r: ThemeResult) -> ThemeEntry:
    """One theme: the damage function's result, the present values, the pluvial details (each where present)."""
    d, pluvial = r.damage, r.pluvial
    npv = r.npv if r.npv is not None and r.npv.values else None
    return ThemeEntry(
        status=r.status, title=theme_text(r.theme),
        basis=None if d is None else Text(nl=d.basis_nl, en=d.basis_en),
        sources=None if d is None else _sources(d),
        annual=None if d is None else {sid: _amount(v) for sid, v in d.annual.items()},
        incidents=None if d is None else _incidents(d),
        missing=None if d is None else list(d.missing),
        npv=None if npv is None else _npv(npv),
        range_extra=None if npv is None else _range(npv.extra),
        range_total=None if npv is None else _range(npv.total),
        current_only=None if npv is None else npv.current_only,
        rule=None if pluvial is None else pluvial.rule,
        ead_by_rule=None if pluvial is None else _ead_by_rule(pluvial),
        events=None if pluvial is None else _events(pluvial),
    )


def damage_file(results: Sequence[ThemeResult], params: DamageParameters, rate: DiscountRate) -> DamageFile:
    """Everything of the product, laid out for a web viewer (``damage.json``)."""
    return DamageFile(
        price_year=params.price_year, currency="EUR", start_year=params.start_year,
        horizon_year=params.horizon_year, trend_end_year=params.trend_end_year,
        discount=Discount(preset=rate.name, rate=rate.rate, source=rate.source),
        exposure_growth=params.exposure_growth,
        conventions=conventions_text(params, rate),
        themes={r.theme: _theme_entry(r) for r in results},
    )


# --------------------------------------------------------------------------- the range figure


def _scale(maximum: float) -> tuple[float, str]:
    if maximum >= 1e6:
        return 1e6, "mln EUR"
    if maximum >= 1e3:
        return 1e3, "k EUR"
    return 1.0, "EUR"


def range_figure(results: Sequence[ThemeResult], path: Path, language: str, params: DamageParameters) -> bool:
    """Horizontal range bars per theme: total NPV (min-max over the factorial), the extra of climate change, means.

    Themes without a value get a line of text saying why. Returns False when no theme has a value.
    """
    maxima = [r.npv.total.maximum for r in results if r.npv is not None and r.npv.total is not None]
    if not maxima:
        return False
    scale, unit = _scale(max(maxima))
    fig = Figure(figsize=(8.0, 1.4 + 0.55 * len(results)), dpi=150)
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    first = {"total": True, "extra": True, "mean": True}

    def label(kind: str) -> str | None:
        if first[kind]:
            first[kind] = False
            return translate(f"damage_product.figure.{kind}", language)
        return None

    for y, r in enumerate(results):
        npv = r.npv
        if npv is None or npv.total is None:
            ax.text(0.0, y, "  " + translate(f"damage_product.short.{r.status}", language), va="center", ha="left",
                    fontsize=7, color="#555555")
            continue
        ax.plot([npv.total.minimum / scale, npv.total.maximum / scale], [y, y], color="#9ecae1", linewidth=9,
                solid_capstyle="butt", label=label("total"))
        if npv.extra is not None and not npv.current_only:
            ax.plot([max(npv.extra.minimum, 0.0) / scale, max(npv.extra.maximum, 0.0) / scale], [y + 0.28, y + 0.28],
                    color="#cb181d", linewidth=4, solid_capstyle="butt", label=label("extra"))
        means = [v.total for (a, rule, _s), v in npv.values.items() if a == "mean" and rule in (params.rule, NO_RULE)]
        ax.plot([m / scale for m in means], [y] * len(means), "o", color="#08306b", markersize=3.5,
                label=label("mean"))
    ax.set_yticks(range(len(results)), [translate(f"damage_product.theme.{r.theme}", language) for r in results])
    ax.set_ylim(len(results) - 0.4, -0.6)
    ax.set_xlabel(translate("damage_product.figure.xlabel", language, unit=unit, price_year=params.price_year,
                            start=params.start_year, horizon=params.horizon_year))
    ax.set_xlim(left=0)
    ax.grid(axis="x", color="#dddddd")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.28), ncol=2, fontsize=7, frameon=False)
    fig.tight_layout()
    fig.savefig(path, bbox_inches="tight")  # the legend below the axes is part of the figure
    return True


# --------------------------------------------------------------------------- the pluvial EAD map


def write_ead_map(folder: Path, ead_map: np.ndarray, grid: Grid, params: DamageParameters) -> MapSpec:
    """``ead_pluvial_current.tif`` (EUR/ha/year, NaN where none, ramp to the 99th percentile) and its map."""
    vmax = float(np.nanpercentile(ead_map[ead_map > 0], 99)) if (ead_map > 0).any() else 1.0
    shown = np.where(ead_map > 0, ead_map, np.nan).astype(np.float32)
    write_raster(folder / EAD_RASTER, shown, grid,
                 qml=raster_ramp_qml([(0.0, "#ffffcc", "0"), (vmax / 2, "#fd8d3c", f"{vmax / 2:.0f}"),
                                      (vmax, "#800026", f"{vmax:.0f}")]),
                 description=f"expected annual damage of pluvial flooding today, EUR/ha/year, NaN where none "
                             f"(price level {params.price_year}, rule {params.rule})")
    return MapSpec(
        id="damage_pluvial_ead", theme="damage", title=text("damage_product.maps.ead.title"),
        description=text("damage_product.maps.ead.description", price_year=params.price_year),
        layers=[hillshade_layer(),
                Layer(file=EAD_RASTER, type="raster_continuous", cmap="YlOrRd", vmin=0.0, vmax=max(vmax, 1.0),
                      label=text("damage_product.maps.ead.legend", price_year=params.price_year))])
