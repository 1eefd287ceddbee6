"""``baseinfo.analysewijzer``: the analysis guide matrix of structure elements x societal goals.

The knowledge file ``analysewijzer.toml`` (or the dossier's own, ``[knowledge]
analysewijzer``) lists the six goals and, per structure element of the soil,
water and green base maps, its meaning for each goal. This product adds, from
the other step 2 products of the dossier, whether each element is present and
its area.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import Any

import numpy as np

from alliantie.dossier.registry import ProductContext
from alliantie.errors import ConfigError
from alliantie.method.baseinfo.green import nature_codes
from alliantie.method.baseinfo.output import upstream_raster, upstream_vector
from alliantie.method.baseinfo.structure import STRUCTURE_FILE, STRUCTURE_LAYER

LANDSCAPE, SEEPAGE, GREEN, GROUNDWATER, STRUCTURE = (
    "baseinfo.landscape", "baseinfo.seepage", "baseinfo.green", "baseinfo.groundwater",
    "baseinfo.structure_carriers",
)
LAYERS = ("soil", "water", "green")
PRESENCE_KEYS = ("landscape", "seepage", "vegetation", "gt", "structure", "nature_network")
LANGUAGES = ("nl", "en")


def _text(node: Any) -> bool:
    return isinstance(node, Mapping) and all(isinstance(node.get(lang), str) and node[lang] for lang in LANGUAGES)


def check_analysewijzer(data: Mapping[str, Any], path: str = "analysewijzer.toml") -> list[str]:
    """Problems of an analysewijzer file (empty when complete)."""
    problems: list[str] = []
    goals = data.get("goal", [])
    goal_ids = [str(g.get("id", "")) for g in goals]
    if len(goal_ids) != 6 or len(set(goal_ids)) != 6:
        problems.append(f"six distinct goals expected, found {goal_ids}")
    for goal in goals:
        if not _text(goal.get("label")):
            problems.append(f"goal {goal.get('id')!r}: label needs nl and en")
    elements = data.get("element", [])
    if not elements:
        problems.append("no [[element]] entries")
    seen: set[str] = set()
    for element in elements:
        eid = str(element.get("id", ""))
        if not eid or eid in seen:
            problems.append(f"element id {eid!r} missing or repeated")
        seen.add(eid)
        if element.get("layer") not in LAYERS:
            problems.append(f"element {eid}: layer must be one of {LAYERS}")
        if not _text(element.get("label")):
            problems.append(f"element {eid}: label needs nl and en")
        meaning = element.get("meaning", {})
        for goal in goal_ids:
            if not _text(meaning.get(goal)):
                problems.append(f"element {eid}: meaning for goal {goal} needs nl and en")
        presence = element.get("presence", {})
        unknown = set(presence) - set(PRESENCE_KEYS)
        if unknown:
            problems.append(f"element {eid}: unknown presence key(s) {sorted(unknown)}; use {PRESENCE_KEYS}")
    if "source" not in data:
        problems.append("a 'source' is missing")
    return problems


def _codes(entries: list[Mapping[str, Any]], key: str = "id") -> dict[str, int]:
    return {str(e[key]): int(e["code"]) for e in entries}


def presence_area(
    presence: Mapping[str, Any],
    rasters: Mapping[str, np.ndarray],
    lookups: Mapping[str, Mapping[str, int]],
    structure_area: Mapping[str, float],
    network_ha: float,
    cell_ha: float,
) -> float:
    """Area (ha) of an element in the dossier, the union of its presence criteria."""
    shape = next(iter(rasters.values())).shape
    cells = np.zeros(shape, dtype=bool)
    area = 0.0
    for key, value in presence.items():
        if key in rasters:
            wanted = [lookups[key][v] for v in value if v in lookups[key]]
            cells |= np.isin(rasters[key], wanted)
        elif key == "structure":
            area += sum(structure_area.get(kind, 0.0) for kind in value)
        elif key == "nature_network" and value:
            area += network_ha
    return area + float(cells.sum()) * cell_ha


def analysewijzer_rows(data: Mapping[str, Any], areas: Mapping[str, float]) -> dict[str, Any]:
    """The JSON document of the product."""
    goals = [
        {"id": g["id"], "order": g.get("order", i + 1), "label": g["label"], "description": g.get("description")}
        for i, g in enumerate(data["goal"])
    ]
    elements = []
    for e in data["element"]:
        area = round(float(areas.get(e["id"], 0.0)), 2)
        elements.append({
            "id": e["id"], "label": e["label"], "layer": e["layer"], "present": area > 0.0, "area_ha": area,
            "meaning": {g["id"]: e["meaning"][g["id"]] for g in goals}, "presence": e.get("presence", {}),
        })
    return {"goals": goals, "elements": elements, "source": data.get("source", "")}


def to_csv(doc: Mapping[str, Any]) -> str:
    """One row per element; the meaning per goal in Dutch and English columns."""
    goals = [g["id"] for g in doc["goals"]]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["id", "layer", "label_nl", "label_en", "present", "area_ha",
                     *[f"{g}_{lang}" for g in goals for lang in LANGUAGES]])
    for e in doc["elements"]:
        writer.writerow([e["id"], e["layer"], e["label"]["nl"], e["label"]["en"], int(e["present"]), e["area_ha"],
                         *[e["meaning"][g][lang] for g in goals for lang in LANGUAGES]])
    return buffer.getvalue()


def analysewijzer(ctx: ProductContext) -> None:
    """analysewijzer.json and analysewijzer.csv with presence and area per element."""
    data = ctx.knowledge("analysewijzer")
    override = ctx.dossier.knowledge_override("analysewijzer")
    problems = check_analysewijzer(data)
    if problems:
        raise ConfigError(
            "baseinfo.errors.analysewijzer_incomplete",
            path=str(override or "analysewijzer.toml"), details="\n  - ".join(problems),
        )
    rasters = {
        "landscape": upstream_raster(ctx, LANDSCAPE, "landscape.tif", categorical=True),
        "seepage": upstream_raster(ctx, SEEPAGE, "seepage.tif", categorical=True),
        "vegetation": upstream_raster(ctx, GREEN, "vegetation.tif", categorical=True),
        "gt": upstream_raster(ctx, GROUNDWATER, "gt.tif", categorical=True),
    }
    lookups = {
        "landscape": _codes(ctx.knowledge("landscape_rules")["type"]),
        "seepage": _codes(ctx.knowledge("seepage_rules")["zone"]),
        "vegetation": _codes(ctx.knowledge("vegetation_groups")["group"]),
        "gt": _codes(ctx.knowledge("groundwater_classes")["class"]),
    }
    carriers = upstream_vector(ctx, STRUCTURE, STRUCTURE_FILE, STRUCTURE_LAYER)
    structure_area = carriers.groupby("kind")["area_ha"].sum().to_dict() if not carriers.empty else {}
    nature = upstream_vector(ctx, GREEN, "nature.gpkg", "nature")
    network_ha = 0.0
    if not nature.empty:
        network = nature[nature["network"].astype(bool)]
        network_ha = float(network.geometry.union_all().area / 1e4) if not network.empty else 0.0
    assert set(nature_codes())  # nature kinds are the contract of baseinfo.green
    cell_ha = ctx.grid.cell_area / 1e4
    areas = {
        e["id"]: presence_area(e.get("presence", {}), rasters, lookups, structure_area, network_ha, cell_ha)
        for e in data["element"]
    }
    doc = analysewijzer_rows(data, areas)
    ctx.write_json("analysewijzer.json", doc)
    ctx.write_text("analysewijzer.csv", to_csv(doc))
