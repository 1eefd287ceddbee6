"""Where the benefits land: the dwellings near a green or water measure (property value) and the share of each
feature's benefits that falls in each neighbourhood.

A feature's benefits land where it lies (a polygon by area, a line by length, a point where it stands), except
the property value, which lands at the dwellings that gain it. What lies outside every neighbourhood is counted
as ``outside``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import geopandas as gpd
import shapely

from alliantie.knowledge.measures import MeasureCatalogue
from alliantie.method.strategy.business_case.knowledge import PropertyValue

OUTSIDE = "outside"


@dataclass(frozen=True)
class PropertyGain:
    """The property value each feature brings (EUR, once) and the dwellings it lands at."""

    #: feature id -> EUR
    per_feature: dict[str, float] = field(default_factory=dict)
    #: feature id -> index of the dwellings (rows of the buildings frame) -> EUR
    dwellings: dict[str, dict[int, float]] = field(default_factory=dict)
    #: dwellings that gain, in all
    count: int = 0


def property_gain(features: gpd.GeoDataFrame, measure_of: Mapping[str, str], buildings: gpd.GeoDataFrame | None,
                  catalogue: MeasureCatalogue, rule: PropertyValue, value_per_dwelling: float) -> PropertyGain:
    """Each dwelling within ``rule.distance_m`` of a feature whose group has an uplift gains its largest uplift
    once (no stacking); the gain is split equally over the features that give that uplift.

    ``features`` has a column ``id`` and the features' geometry; ``measure_of`` maps feature id to measure id.
    """
    if buildings is None or buildings.empty or features.empty or "function" not in buildings.columns:
        return PropertyGain()
    homes = buildings[buildings["function"].astype(str).isin(rule.residential)]
    if homes.empty:
        return PropertyGain()
    shares: list[tuple[str, float]] = []
    for fid in features["id"]:
        m = catalogue.get(measure_of.get(str(fid), ""))
        shares.append((str(fid), rule.share(m.group) if m is not None else 0.0))
    geoms = features.geometry.values
    best: dict[int, tuple[float, list[str]]] = {}
    tree = shapely.STRtree(homes.geometry.values)
    for (fid, share), geom in zip(shares, geoms, strict=True):
        if share <= 0 or geom is None:
            continue
        for pos in tree.query(geom, predicate="dwithin", distance=rule.distance_m):
            idx = int(homes.index[int(pos)])
            held = best.get(idx)
            if held is None or share > held[0]:
                best[idx] = (share, [fid])
            elif share == held[0]:
                held[1].append(fid)
    per_feature: dict[str, float] = {}
    dwellings: dict[str, dict[int, float]] = {}
    for idx, (share, fids) in best.items():
        amount = share * value_per_dwelling / len(fids)
        for fid in fids:
            per_feature[fid] = per_feature.get(fid, 0.0) + amount
            dwellings.setdefault(fid, {})[idx] = amount
    return PropertyGain(per_feature=per_feature, dwellings=dwellings, count=len(best))


def _size(geom: shapely.Geometry) -> float:
    """How much of a geometry there is: points counted, lines by length, polygons by area."""
    if geom.is_empty:
        return 0.0
    if geom.geom_type in ("Point", "MultiPoint"):
        return float(shapely.get_num_geometries(geom))
    if geom.geom_type in ("LineString", "MultiLineString"):
        return float(geom.length)
    return float(geom.area)


def _weights(geom: shapely.Geometry | None, areas: gpd.GeoDataFrame, keys: list[str]) -> dict[str, float]:
    """The share of ``geom`` in each area (by area, length or count), the rest ``outside``."""
    whole = 0.0 if geom is None else _size(geom)
    if geom is None or whole <= 0:
        return {OUTSIDE: 1.0}
    out: dict[str, float] = {}
    for key, area in zip(keys, areas.geometry.values, strict=True):
        part = _size(shapely.intersection(geom, area))
        if part > 0:
            out[key] = out.get(key, 0.0) + part / whole
    rest = 1.0 - sum(out.values())
    if rest > 1e-9:
        out[OUTSIDE] = rest
    return out


def land(features: gpd.GeoDataFrame, areas: gpd.GeoDataFrame | None, keys: list[str],
         item_values: Mapping[str, Mapping[str, float]], item_party: Mapping[str, Mapping[str, float]],
         gain: PropertyGain, buildings: gpd.GeoDataFrame | None) -> dict[str, dict[str, float]]:
    """Area key (or ``outside``) -> party -> present value of the benefits that land there (EUR).

    ``item_values`` is feature id -> benefit item -> present value; ``item_party`` benefit item -> party -> share.
    """
    out: dict[str, dict[str, float]] = {}

    def add(key: str, item: str, value: float) -> None:
        row = out.setdefault(key, {})
        for party, share in item_party.get(item, {}).items():
            row[party] = row.get(party, 0.0) + share * value

    home_area: dict[int, str] = {}
    if buildings is not None and areas is not None and not areas.empty:
        idx = [i for d in gain.dwellings.values() for i in d]
        if idx:
            points = buildings.loc[sorted(set(idx))].geometry.representative_point()
            tree = shapely.STRtree(areas.geometry.values)
            for i, p in zip(points.index, points.values, strict=True):
                hits = tree.query(p, predicate="within")
                home_area[int(i)] = keys[int(hits[0])] if hits.size else OUTSIDE
    geoms = dict(zip(features["id"].astype(str), features.geometry.values, strict=True))
    for fid, items in item_values.items():
        weights = _weights(geoms.get(fid), areas, keys) if areas is not None and not areas.empty else {OUTSIDE: 1.0}
        for item, value in items.items():
            dwellings = gain.dwellings.get(fid, {})
            if item == "property_value" and dwellings:
                total = sum(dwellings.values())
                for i, amount in dwellings.items():
                    add(home_area.get(i, OUTSIDE), item, value * amount / total)
                continue
            for key, w in weights.items():
                add(key, item, value * w)
    return out

