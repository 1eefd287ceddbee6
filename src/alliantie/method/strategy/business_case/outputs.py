"""What ``strategy.business_case`` writes besides ``business_case.json``: the bar figure of costs and benefits per
party, the tables (parties, cost-bearer x beneficiary matrix, the range over scenarios, presets and horizons) and
the map of where the benefits land (``benefits.gpkg`` + ``maps.json``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import geopandas as gpd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from alliantie.contract.business_case import Case, Result
from alliantie.contract.layers import hillshade_layer
from alliantie.contract.spec import Cell, Column, Layer, LegendEntry, MapSpec, TableSpec, Text
from alliantie.contract.spec import catalogue_text as text
from alliantie.i18n import translate
from alliantie.io.styles import StyleClass, vector_categorized_qml, vector_single_qml
from alliantie.io.vector import write_vector_layers

THEME = "business_case"
FIGURE_FILE = "costs_benefits.png"
PLACES_FILE = "benefits.gpkg"
#: Colours of the cost items (reds) and the benefit items (greens and blues), in drawing order.
COST_COLORS = {"investment": "#a50f15", "replacement": "#ef3b2c", "maintenance": "#fc9272", "residual": "#fee0d2"}
#: The bars draw the investment and its replacements net of the residual value, so a bar is as long as the costs.
CAPITAL = "capital"
BAR_COST_COLORS = {CAPITAL: "#a50f15", "maintenance": "#fc9272", "loss": "#67000d"}
BENEFIT_COLORS = {"avoided_pluvial": "#08519c", "avoided_flood": "#3182bd", "avoided_drought": "#6baed6",
                  "avoided_heat": "#9ecae1", "sewer_storage": "#006d2c", "property_value": "#31a354",
                  "fine_dust": "#a1d99b"}
#: Classes of the benefit map: upper bounds as fractions of the largest neighbourhood's present value.
CLASS_COLORS = ("#e5f5e0", "#a1d99b", "#41ab5d", "#006d2c", "#00441b")


def scale(maximum: float) -> tuple[float, str]:
    """Divisor and unit for amounts up to ``maximum``."""
    if maximum >= 1e6:
        return 1e6, "mln EUR"
    if maximum >= 1e3:
        return 1e3, "k EUR"
    return 1.0, "EUR"


def item_label(item: str, names: Mapping[str, tuple[str, str]], language: str) -> str:
    if item in COST_COLORS or item in BAR_COST_COLORS:
        return translate(f"business_case.item.{item}", language)
    nl, en = names.get(item, (item, item))
    return en if language == "en" else nl


def bar_figure(case: Case, party_names: Mapping[str, tuple[str, str]], benefit_names: Mapping[str, tuple[str, str]],
               path: Path, language: str) -> bool:
    """Per party a bar of costs (stacked by item) and one of benefits (stacked by benefit), present values.

    Parties that neither pay nor gain are left out; returns False when none is left.
    """
    parties = [p for p, r in case.parties.items() if r.pv_costs_eur > 0 or r.pv_benefits_eur > 0]
    if not parties:
        return False
    top = max(max(case.parties[p].pv_costs_eur, case.parties[p].pv_benefits_eur) for p in parties)
    div, unit = scale(top)
    fig = Figure(figsize=(8.0, 1.6 + 0.75 * len(parties)), dpi=150)
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    seen: set[str] = set()

    def stack(y: float, items: Sequence[tuple[str, float, str]]) -> None:
        left = 0.0
        for item, value, color in items:
            if value <= 0:
                continue
            label = None if item in seen else item_label(item, benefit_names, language)
            seen.add(item)
            ax.barh(y, value / div, left=left, height=0.36, color=color, edgecolor="white", linewidth=0.4,
                    label=label)
            left += value / div

    for i, p in enumerate(parties):
        r = case.parties[p]
        items = r.items_eur
        capital = sum(items.get(k, 0.0) for k in ("investment", "replacement", "residual"))
        loss = -sum(v for k, v in items.items() if k not in COST_COLORS and v < 0)
        stack(i - 0.2, [(CAPITAL, capital, BAR_COST_COLORS[CAPITAL]),
                        ("maintenance", items.get("maintenance", 0.0), BAR_COST_COLORS["maintenance"]),
                        ("loss", loss, BAR_COST_COLORS["loss"])])
        benefits = [(k, v, BENEFIT_COLORS.get(k, "#74c476")) for k, v in items.items() if k not in COST_COLORS]
        stack(i + 0.2, sorted(benefits, key=lambda kv: list(BENEFIT_COLORS).index(kv[0])
                              if kv[0] in BENEFIT_COLORS else 99))
        ax.text(max(r.pv_costs_eur, r.pv_benefits_eur) / div, i, "  " + _npv_text(r, language),
                va="center", ha="left", fontsize=7, color="#333333")
    names = [party_names[p][1] if language == "en" else party_names[p][0] for p in parties]
    ax.set_yticks(range(len(parties)), names)
    ax.set_ylim(len(parties) - 0.4, -0.6)
    ax.set_xlim(0, top / div * 1.35)
    ax.set_xlabel(translate("business_case.figure.xlabel", language, unit=unit))
    ax.grid(axis="x", color="#dddddd")
    ax.set_axisbelow(True)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.5 / (1 + 0.3 * len(parties))), ncol=3, fontsize=7,
              frameon=False)
    fig.tight_layout()
    fig.savefig(path, bbox_inches="tight")
    return True


def _npv_text(r: Result, language: str) -> str:
    """The net present value in its own unit (a small party's in k EUR, not as 0.0 mln)."""
    div, unit = scale(abs(r.npv_eur))
    return translate("business_case.figure.npv", language, npv=f"{r.npv_eur / div:+,.1f}", unit=unit)


def _fraction(value: float | None, decimals: int = 2) -> float | None:
    return None if value is None else round(value, decimals)


#: The tables give amounts in thousands of euros (business_case.json keeps them in euros): seven columns of
#: millions to the euro do not fit an A4 page, and a director reads k EUR at a glance.
TABLE_UNIT = "k EUR"


def _k(value: float) -> int:
    return round(value / 1000)


def _row(name: Cell, r: Result) -> list[Cell]:
    # the payback year as text: a year is no amount (no thousands separator)
    return [name, _k(r.pv_costs_eur), _k(r.pv_benefits_eur), _k(r.npv_eur), _fraction(r.bcr),
            None if r.irr is None else round(100 * r.irr, 1), None if r.payback_year is None else str(r.payback_year)]


def scenario_name(scenario: str, language: str) -> str:
    """Today's climate in words, a future scenario by its id (Hd2050)."""
    return translate("damage_product.scenario.current", language) if scenario == "current" else scenario


def _columns(first: str) -> list[Column]:
    return [Column(label=text(first)), Column(label=text("business_case.col.pv_costs"), unit=TABLE_UNIT),
            Column(label=text("business_case.col.pv_benefits"), unit=TABLE_UNIT),
            Column(label=text("business_case.col.npv"), unit=TABLE_UNIT),
            Column(label=text("business_case.col.bcr"), decimals=2),
            Column(label=text("business_case.col.irr"), decimals=1, unit="%"),
            Column(label=text("business_case.col.payback"))]


def parties_table(case: Case, party_names: Mapping[str, tuple[str, str]], not_valued: Sequence[Text],
                  measure_set: str) -> TableSpec:
    """The headline case per party and in total."""
    rows = [_row(Text(nl=party_names[p][0], en=party_names[p][1]), r) for p, r in case.parties.items()
            if r.pv_costs_eur > 0 or r.pv_benefits_eur > 0]
    missing = Text(nl="; ".join(t.nl for t in not_valued), en="; ".join(t.en for t in not_valued))

    def describe(language: str) -> str:
        return translate("business_case.table.parties.description", language, measure_set=measure_set,
                         scenario=scenario_name(case.scenario, language), horizon=case.horizon_years,
                         rate=f"{100 * case.discount_rate:.2f}".replace(".", "," if language == "nl" else "."),
                         variant=translate(f"business_case.variant.{case.variant}", language))

    return TableSpec(
        id="business_case_parties", theme=THEME, title=text("business_case.table.parties.title"),
        description=Text(nl=describe("nl"), en=describe("en")),
        columns=_columns("business_case.col.party"), rows=rows,
        total=_row(text("business_case.total"), case.total),
        note=Text(nl=translate("business_case.table.parties.note", "nl", missing=missing.nl),
                  en=translate("business_case.table.parties.note", "en", missing=missing.en)))


def matrix_table(matrix: Mapping[str, Mapping[str, float]], party_names: Mapping[str, tuple[str, str]]) -> TableSpec:
    """Cost bearer (rows) x beneficiary (columns), present value of the benefits in EUR."""
    bearers = [c for c, row in matrix.items() if any(abs(v) > 0.5 for v in row.values())]
    gainers = [b for b in party_names if any(abs(matrix[c].get(b, 0.0)) > 0.5 for c in bearers)]
    columns = [Column(label=text("business_case.col.bearer"))]
    columns += [Column(label=Text(nl=party_names[b][0], en=party_names[b][1]), unit=TABLE_UNIT) for b in gainers]
    columns.append(Column(label=text("business_case.total"), unit=TABLE_UNIT))
    rows: list[list[Cell]] = []
    for c in bearers:
        values = [matrix[c].get(b, 0.0) for b in gainers]
        rows.append([Text(nl=party_names[c][0], en=party_names[c][1]), *[_k(v) for v in values],
                     _k(sum(matrix[c].values()))])
    total: list[Cell] = [text("business_case.total"),
                         *[_k(sum(matrix[c].get(b, 0.0) for c in bearers)) for b in gainers],
                         _k(sum(sum(matrix[c].values()) for c in bearers))]
    return TableSpec(id="business_case_matrix", theme=THEME, title=text("business_case.table.matrix.title"),
                     description=text("business_case.table.matrix.description"), columns=columns, rows=rows,
                     total=total)


def range_table(cases: Sequence[Case]) -> TableSpec:
    """The total of every case: scenario x variant x discount preset x horizon."""
    columns = [Column(label=text("business_case.col.scenario")), Column(label=text("business_case.col.variant")),
               Column(label=text("business_case.col.rate"), decimals=2, unit="%"),
               Column(label=text("business_case.col.horizon"), unit="yr"),
               *_columns("business_case.col.party")[1:]]
    rows: list[list[Cell]] = []
    for c in cases:
        rows.append([Text(nl=scenario_name(c.scenario, "nl"), en=scenario_name(c.scenario, "en")),
                     text(f"business_case.variant.{c.variant}"), round(100 * c.discount_rate, 2),
                     c.horizon_years, *_row("", c.total)[1:]])
    return TableSpec(id="business_case_range", theme=THEME, title=text("business_case.table.range.title"),
                     description=text("business_case.table.range.description"), columns=columns, rows=rows)


def places_table(areas: gpd.GeoDataFrame | None, keys: list[str], landed: Mapping[str, Mapping[str, float]],
                 outside: str) -> TableSpec | None:
    """Per neighbourhood (largest first) the present value of the benefits that land there, per resident where
    the neighbourhoods give residents, and what lands outside them. None without neighbourhoods."""
    if areas is None or areas.empty:
        return None
    names = list(areas["name"].astype(str)) if "name" in areas.columns else keys
    residents = list(areas["residents"]) if "residents" in areas.columns else [None] * len(keys)
    rows: list[list[Cell]] = []
    for key, name, people in sorted(zip(keys, names, residents, strict=True),
                                    key=lambda r: -sum(landed.get(r[0], {}).values())):
        value = sum(landed.get(key, {}).values())
        if value > 0.5:
            per = round(value / float(people), 2) if people else None
            rows.append([name, round(value), per])
    rest = sum(landed.get(outside, {}).values())
    if rest > 0.5:
        rows.append([text("business_case.table.places.outside"), round(rest), None])
    return TableSpec(id="business_case_places", theme=THEME, title=text("business_case.table.places.title"),
                     description=text("business_case.table.places.description"),
                     columns=[Column(label=text("business_case.col.place")),
                              Column(label=text("business_case.col.pv_benefits"), unit="EUR"),
                              Column(label=text("business_case.col.per_resident"), unit="EUR")],
                     rows=rows, total=[text("business_case.total"),
                                       round(sum(sum(r.values()) for r in landed.values())), None])


def benefit_classes(values: Sequence[float]) -> tuple[list[int], list[tuple[float, float]]]:
    """Class 1-5 of each value (0: no benefit) by equal steps up to the largest; and each class's bounds."""
    top = max([v for v in values if v > 0], default=0.0)
    if top <= 0:
        return [0] * len(values), []
    bounds = [(top * i / 5, top * (i + 1) / 5) for i in range(5)]
    classes = [0 if v <= 0 else min(5, int(v / top * 5 - 1e-9) + 1) for v in values]
    return classes, bounds


def write_places(folder: Path, areas: gpd.GeoDataFrame | None, keys: list[str],
                 landed: Mapping[str, Mapping[str, float]], points: gpd.GeoDataFrame, crs: object,
                 language: str) -> MapSpec | None:
    """``benefits.gpkg``: the neighbourhoods with the present value of the benefits that land there (in total and
    per party) and the measures as points with theirs; the map of ``maps.json``. None without neighbourhoods."""
    layers: list[tuple[str, gpd.GeoDataFrame, str | None, str | None]] = []
    spec_layers = [hillshade_layer(alpha=0.6)]
    if areas is not None and not areas.empty:
        frame = areas.copy()
        frame["key"] = keys
        frame["pv_benefits_eur"] = [round(sum(landed.get(k, {}).values()), 2) for k in keys]
        for party in sorted({p for row in landed.values() for p in row}):
            frame[f"pv_{party}_eur"] = [round(landed.get(k, {}).get(party, 0.0), 2) for k in keys]
        if "residents" in frame.columns:
            frame["pv_per_resident_eur"] = [round(v / r, 2) if r and r > 0 else None
                                            for v, r in zip(frame["pv_benefits_eur"], frame["residents"], strict=True)]
        classes, bounds = benefit_classes(list(frame["pv_benefits_eur"]))
        frame["benefit_class"] = classes
        div, unit = scale(bounds[-1][1] if bounds else 0.0)
        legend = [LegendEntry(value=0, color="#d9d9d9", label=text("business_case.map.none"))]
        legend += [LegendEntry(value=i + 1, color=CLASS_COLORS[i],
                               label=Text(nl=f"{lo / div:,.1f} - {hi / div:,.1f} {unit}",
                                          en=f"{lo / div:,.1f} - {hi / div:,.1f} {unit}"))
                   for i, (lo, hi) in enumerate(bounds)]
        style = [StyleClass(e.value, e.color, e.label.get(language)) for e in legend]
        layers.append(("neighbourhoods", gpd.GeoDataFrame(frame, geometry="geometry", crs=crs), None,
                       vector_categorized_qml("benefit_class", style, "polygon")))
        spec_layers.append(Layer(file=PLACES_FILE, type="vector", layer="neighbourhoods", column="benefit_class",
                                 legend=legend, alpha=0.75, linewidth=0.6))
    layers.append(("measures", points, "Point", vector_single_qml("#54278f", "point")))
    spec_layers.append(Layer(file=PLACES_FILE, type="vector", layer="measures", color="#54278f",
                             label=text("business_case.map.measures")))
    write_vector_layers(folder / PLACES_FILE, layers)
    if areas is None or areas.empty:
        return None
    return MapSpec(id="business_case_places", theme=THEME, title=text("business_case.map.title"),
                   description=text("business_case.map.description"), layers=spec_layers)
