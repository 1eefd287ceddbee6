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
from alliantie.knowledge.model import Names
from alliantie.method.baseinfo.classes import codes
from alliantie.method.baseinfo.green import nature_codes
from alliantie.method.baseinfo.knowledge import (
    Analysewijzer,
    GroundwaterClasses,
    LandscapeRules,
    PresenceKey,
    SeepageRules,
    VegetationGroups,
)
from alliantie.method.baseinfo.output import upstream_raster, upstream_vector
from alliantie.method.baseinfo.structure import STRUCTURE_FILE, STRUCTURE_LAYER

LANDSCAPE, SEEPAGE, GREEN, GROUNDWATER, STRUCTURE = (
    "baseinfo.landscape", "baseinfo.seepage", "baseinfo.green", "baseinfo.groundwater",
    "baseinfo.structure_carriers",
)
LANGUAGES = ("nl", "en")


def _text(node: Names | None) -> bool:
    return node is not None and bool(node.nl) and bool(node.en)


def check_analysewijzer(data: Analysewijzer) -> list[str]:
    """Problems of an analysewijzer that fits its model (empty when complete): goals, ids, texts per goal.

    Its shape (layers, presence keys, a source) is the model's: :class:`.knowledge.Analysewijzer`.
    """
    problems: list[str] = []
    goal_ids = [g.id for g in data.goal]
    if len(goal_ids) != 6 or len(set(goal_ids)) != 6:
        problems.append(f"six distinct goals expected, found {goal_ids}")
    for goal in data.goal:
        if not _text(goal.label):
            problems.append(f"goal {goal.id!r}: label needs nl and en")
    if not data.element:
        problems.append("no [[element]] entries")
    seen: set[str] = set()
    for element in data.element:
        eid = element.id
        if not eid or eid in seen:
            problems.append(f"element id {eid!r} missing or repeated")
        seen.add(eid)
        if not _text(element.label):
            problems.append(f"element {eid}: label needs nl and en")
        for goal_id in goal_ids:
            if not _text(element.meaning.get(goal_id)):
                problems.append(f"element {eid}: meaning for goal {goal_id} needs nl and en")
    return problems


def presence_area(
    presence: Mapping[PresenceKey, list[str] | bool],
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
        if isinstance(value, bool):  # nature_network (the model allows a bool nowhere else)
            if key == "nature_network" and value:
                area += network_ha
        elif key in rasters:
            wanted = [lookups[key][v] for v in value if v in lookups[key]]
            cells |= np.isin(rasters[key], wanted)
        elif key == "structure":
            area += sum(structure_area.get(kind, 0.0) for kind in value)
    return area + float(cells.sum()) * cell_ha


def analysewijzer_rows(data: Analysewijzer, areas: Mapping[str, float]) -> dict[str, Any]:
    """The JSON document of the product."""
    goals = [
        {"id": g.id, "order": i + 1 if g.order is None else g.order, "label": g.label.model_dump(),
         "description": None if g.description is None else g.description.model_dump()}
        for i, g in enumerate(data.goal)
    ]
    elements = []
    for e in data.element:
        area = round(float(areas.get(e.id, 0.0)), 2)
        elements.append({
            "id": e.id, "label": e.label.model_dump(), "layer": e.layer, "present": area > 0.0, "area_ha": area,
            "meaning": {g.id: e.meaning[g.id].model_dump() for g in data.goal}, "presence": dict(e.presence),
        })
    return {"goals": goals, "elements": elements, "source": data.source}


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
    data = ctx.knowledge_model(Analysewijzer)
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
        "landscape": codes(ctx.knowledge_model(LandscapeRules).type),
        "seepage": codes(ctx.knowledge_model(SeepageRules).zone),
        "vegetation": codes(ctx.knowledge_model(VegetationGroups).group),
        "gt": codes(ctx.knowledge_model(GroundwaterClasses).classes),
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
        e.id: presence_area(e.presence, rasters, lookups, structure_area, network_ha, cell_ha) for e in data.element
    }
    doc = analysewijzer_rows(data, areas)
    ctx.write_json("analysewijzer.json", doc)
    ctx.write_text("analysewijzer.csv", to_csv(doc))
