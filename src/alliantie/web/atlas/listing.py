"""The catalogue as the browser reads it (``GET /api/atlas/maps``): themes in the order of the method, each map
with its scenario, texts in one language, and its layers with URL, opacity, legend and colour ramp.

Themes come in the order a workshop walks through them: step 1 (the vulnerability map first, then flood,
pluvial, heat, drought, damage, the stress test), then the base information of step 2, then step 3; a theme
the order does not know comes after the known ones of its step. ``themes[*].scenarios`` lists the scenarios
its maps exist for (in the dossier's order) so the browser can offer themes x scenarios as buttons, as the
trend viewer does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlencode

from alliantie.climate.scenarios import ClimateScenario
from alliantie.contract.spec import LegendEntry
from alliantie.i18n import Language, has_key, translate
from alliantie.web.atlas.catalogue import AtlasLayer, AtlasMap, Catalogue
from alliantie.web.atlas.styles import ValueRange, cmap_name, ramp_colors

#: The steps of the method by the first part of a product's name.
STEP_OF_PREFIX = {"urgency": 1, "baseinfo": 2, "vista": 3}
#: The order of the known themes within each step.
THEME_ORDER: dict[int, tuple[str, ...]] = {
    1: ("vulnerability", "flood", "pluvial", "heat", "drought", "damage", "stresstest", "climate", "trend"),
    2: ("soil", "water", "green", "landscape", "structure", "other"),
    3: ("guide_models", "suitability", "effects"),
}
#: Where the routes live (the browser asks these, relative to the server's root).
TILE_PATH = "/api/atlas/tiles"
VECTOR_PATH = "/api/atlas/vectors"

SpanOf = Callable[[AtlasLayer], ValueRange]
BoxOf = Callable[[tuple[float, float, float, float]], list[float]]


def step_of(product: str) -> int:
    """The step of the method a product belongs to (4 for one outside the known steps)."""
    return STEP_OF_PREFIX.get(product.split(".", 1)[0], 4)


def theme_title(theme: str, language: Language) -> str:
    key = f"report.themes.{theme}"
    return translate(key, language) if has_key(key) else theme.replace("_", " ")


def _legend(entries: list[LegendEntry], language: Language) -> list[dict[str, Any]]:
    return [{"value": e.value, "color": e.color, "label": e.label.get(language)} for e in entries]


def tile_url(layer: AtlasLayer) -> str:
    """The tile URL template of a raster layer (``{z}/{x}/{y}`` for MapLibre), its file version appended."""
    return (f"{TILE_PATH}/{quote(layer.product)}/{quote(layer.spec.file)}/{{z}}/{{x}}/{{y}}.png"
            f"?v={layer.version}")


def vector_url(layer: AtlasLayer, language: Language) -> str:
    """The GeoJSON URL of a vector layer: the styling column, the language and the file version as query."""
    query = {"column": layer.spec.column} if layer.spec.column else {}
    query |= {"lang": language, "v": layer.version}
    return (f"{VECTOR_PATH}/{quote(layer.product)}/{quote(layer.spec.file)}/{quote(layer.spec.layer or '')}"
            f".geojson?{urlencode(query)}")


def layer_payload(layer: AtlasLayer, title: str, language: Language, span_of: SpanOf) -> dict[str, Any]:
    spec = layer.spec
    out: dict[str, Any] = {
        "kind": "vector" if spec.type == "vector" else "raster",
        "type": spec.type,
        "product": layer.product,
        "file": spec.file,
        "opacity": spec.alpha,
        "legend": _legend(spec.legend, language),
    }
    if spec.type == "vector":
        out["url"] = vector_url(layer, language)
        out |= {"layer": spec.layer, "column": spec.column, "geometry": layer.geometry,
                "outline": spec.alpha == 0.0, "line_width": spec.linewidth}
        if not spec.legend and spec.label is not None:
            out["legend"] = [{"value": None, "color": spec.color, "label": spec.label.get(language)}]
    else:
        out["url"] = tile_url(layer)
    if spec.type == "raster_continuous":
        span = span_of(layer)
        out["ramp"] = {"colors": ramp_colors(cmap_name(spec)), "vmin": span.vmin, "vmax": span.vmax,
                       "unit": spec.unit, "label": spec.label.get(language) if spec.label else title}
    return out


def map_payload(item: AtlasMap, language: Language, span_of: SpanOf, box_of: BoxOf) -> dict[str, Any]:
    title = item.spec.title.get(language)
    return {
        "id": item.spec.id,
        "product": item.product,
        "theme": item.spec.theme,
        "step": step_of(item.product),
        "scenario": item.scenario,
        "base": item.base,
        "title": title,
        "description": item.spec.description.get(language),
        "extent": box_of(item.spec.extent) if item.spec.extent else None,
        "layers": [layer_payload(layer, title, language, span_of) for layer in item.layers],
    }


def _theme_key(theme: str, step: int, first_seen: dict[str, int]) -> tuple[int, int, int]:
    known = THEME_ORDER.get(step, ())
    return (step, known.index(theme) if theme in known else len(known), first_seen[theme])


def maps_payload(catalogue: Catalogue, scenarios: tuple[ClimateScenario, ...], language: Language,
                 span_of: SpanOf, box_of: BoxOf) -> dict[str, Any]:
    """``{"scenarios": [...], "themes": [...], "maps": [...]}`` of the catalogue in ``language``."""
    first_seen: dict[str, int] = {}
    step: dict[str, int] = {}
    for n, item in enumerate(catalogue.maps):
        first_seen.setdefault(item.spec.theme, n)
        step.setdefault(item.spec.theme, step_of(item.product))
    themes = sorted(first_seen, key=lambda t: _theme_key(t, step[t], first_seen))
    order = {t: i for i, t in enumerate(themes)}
    maps = sorted(catalogue.maps, key=lambda m: order[m.spec.theme])  # stable: the products' own order within
    scenario_order = [s.id for s in scenarios]
    theme_items = []
    for theme in themes:
        own = [m for m in maps if m.spec.theme == theme]
        present = {m.scenario for m in own if m.scenario}
        theme_items.append({
            "id": theme,
            "title": theme_title(theme, language),
            "step": step[theme],
            "scenarios": [s for s in scenario_order if s in present],
            "bases": list(dict.fromkeys(m.base for m in own)),
            "maps": [m.spec.id for m in own],
        })
    return {
        "scenarios": [{"id": s.id, "label": s.label(language)} for s in scenarios],
        "themes": theme_items,
        "maps": [map_payload(m, language, span_of, box_of) for m in maps],
    }
