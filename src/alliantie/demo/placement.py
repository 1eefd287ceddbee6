"""Street grids and building footprints placed along streets (vectorised per street segment)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import LineString, MultiLineString
from shapely.geometry.base import BaseGeometry


@dataclass(frozen=True)
class Style:
    """How buildings line a street: sizes in real metres."""

    frontage: tuple[float, float]
    depth: tuple[float, float]
    gap: tuple[float, float]  # gap between neighbours
    setback: tuple[float, float]  # from the street centre line to the facade
    block_break: float = 0.0  # probability of a wider gap (end of a terraced row)
    block_gap: float = 6.0


@dataclass
class Footprints:
    """Rectangles: centre, size along / across the street, direction of the street."""

    cx: np.ndarray
    cy: np.ndarray
    width: np.ndarray  # along the street
    depth: np.ndarray  # across the street
    angle: np.ndarray  # radians, direction of the street

    def __len__(self) -> int:
        return len(self.cx)

    def polygons(self) -> np.ndarray:
        c, s = np.cos(self.angle), np.sin(self.angle)
        hw, hd = self.width / 2, self.depth / 2
        corners = []
        for a, b in ((-1, -1), (1, -1), (1, 1), (-1, 1), (-1, -1)):
            corners.append(np.column_stack([self.cx + a * hw * c - b * hd * s,
                                            self.cy + a * hw * s + b * hd * c]))
        return shapely.polygons(np.stack(corners, axis=1))

    def subset(self, keep: np.ndarray) -> Footprints:
        return Footprints(self.cx[keep], self.cy[keep], self.width[keep], self.depth[keep],
                          self.angle[keep])

    @staticmethod
    def concat(parts: Sequence[Footprints]) -> Footprints:
        if not parts:
            e = np.zeros(0)
            return Footprints(e, e, e, e, e)
        return Footprints(*(np.concatenate([getattr(p, f) for p in parts])
                            for f in ("cx", "cy", "width", "depth", "angle")))


def segments(lines: Sequence[BaseGeometry]) -> np.ndarray:
    """All straight segments of ``lines`` as an (n, 4) array x0, y0, x1, y1."""
    out = []
    for line in lines:
        parts = line.geoms if isinstance(line, MultiLineString) else [line]
        for part in parts:
            c = np.asarray(part.coords)
            if len(c) >= 2:
                out.append(np.column_stack([c[:-1], c[1:]]))
    return np.concatenate(out) if out else np.zeros((0, 4))


def along_streets(lines: Sequence[BaseGeometry], style: Style, rng: np.random.Generator,
                  both_sides: bool = True) -> Footprints:
    """Rectangles lining both sides of every straight segment of ``lines``."""
    parts: list[Footprints] = []
    for x0, y0, x1, y1 in segments(lines):
        length = float(np.hypot(x1 - x0, y1 - y0))
        if length < style.frontage[0] * 2:
            continue
        angle = float(np.arctan2(y1 - y0, x1 - x0))
        d = np.array([np.cos(angle), np.sin(angle)])
        nrm = np.array([-d[1], d[0]])
        for side in ((-1.0, 1.0) if both_sides else (1.0,)):
            n_max = int(length / max(style.frontage[0], 1.0)) + 2
            w = rng.uniform(*style.frontage, n_max)
            g = rng.uniform(*style.gap, n_max)
            if style.block_break > 0:
                g = np.where(rng.random(n_max) < style.block_break, style.block_gap, g)
            dep = rng.uniform(*style.depth, n_max)
            setback = rng.uniform(*style.setback, n_max)
            start = np.cumsum(np.concatenate([[rng.uniform(0, 4.0)], (w + g)[:-1]]))
            keep = start + w < length - 4.0
            if not keep.any():
                continue
            pos = start[keep] + w[keep] / 2
            off = side * (setback[keep] + dep[keep] / 2)
            cx = x0 + d[0] * pos + nrm[0] * off
            cy = y0 + d[1] * pos + nrm[1] * off
            parts.append(Footprints(cx, cy, w[keep], dep[keep], np.full(keep.sum(), angle)))
    return Footprints.concat(parts)


def parallel_streets(area: BaseGeometry, angle_deg: float, spacing: float,
                     offset: float = 0.0) -> list[LineString]:
    """Straight parallel streets across ``area`` (clipped), ``angle_deg`` from east."""
    cx, cy = area.centroid.coords[0]
    minx, miny, maxx, maxy = area.bounds
    reach = float(np.hypot(maxx - minx, maxy - miny))
    a = np.deg2rad(angle_deg)
    d = np.array([np.cos(a), np.sin(a)])
    n = np.array([-d[1], d[0]])
    lines = []
    for o in np.arange(-reach / 2 + offset, reach / 2, spacing):
        p = np.array([cx, cy]) + n * o
        lines.append(LineString([p - d * reach, p + d * reach]))
    clipped = shapely.intersection(np.array(lines, dtype=object), area)
    out: list[LineString] = []
    for g in clipped:
        if isinstance(g, LineString) and not g.is_empty:
            out.append(g)
        elif isinstance(g, MultiLineString):
            out.extend(p for p in g.geoms if not p.is_empty)
    return [g for g in out if g.length > 30.0]


def drop_conflicts(polys: np.ndarray, obstacles: Sequence[BaseGeometry]) -> np.ndarray:
    """Boolean keep-mask: no overlap with ``obstacles`` nor with an earlier footprint."""
    keep = np.ones(len(polys), dtype=bool)
    if len(polys) == 0:
        return keep
    # shrink a little so that neighbours in a terraced row (shared walls) do not count
    polys = shapely.buffer(polys, -0.25, join_style="mitre")
    tree = shapely.STRtree(polys)
    if obstacles:
        hit = tree.query(np.array(obstacles, dtype=object), predicate="intersects")[1]
        keep[np.unique(hit)] = False
    a, b = tree.query(polys, predicate="intersects")
    pairs = (a < b) & keep[a] & keep[b]
    for i, j in zip(a[pairs], b[pairs], strict=True):
        if keep[i] and keep[j]:
            keep[j] = False
    return keep
