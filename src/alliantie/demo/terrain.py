"""Elevation (m NAP) and groundwater (GHG, GLG in m below surface) of the demo region.

The elevation is the sum of a cover-sand plain sloping down to the north, low
cover-sand ridges (elongated noise), a push moraine in the west, a town ridge,
brook valleys cut into the plain, a peat-meadow polder below sea level in the
north and a diked river with its floodplain. Groundwater follows the landscape:
deep under the moraine, 0.4-1.5 m under the sand plain, at or above the surface
where the moraine's water seeps out at its foot, shallow in the polder.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import rasterio.features
import shapely

from alliantie.demo import layout as L
from alliantie.demo.fields import NoiseSource, chainage, line_field, sample, sigmoid, smoothstep
from alliantie.demo.layout import Frame

RIVER_LEVEL = -0.2  # m NAP, water level of the river / Randmeren
POLDER_FREEBOARD = 0.55  # m, ditch water level below the peat surface (drooglegging)


@dataclass
class Terrain:
    """The elevation and groundwater fields plus the zone weights the other layers use."""

    dem: np.ndarray
    ghg: np.ndarray
    glg: np.ndarray
    moraine: np.ndarray  # 0..1, push moraine
    moraine_height: np.ndarray  # m above the plain
    ridge: np.ndarray  # m, cover-sand ridge relief
    valley: np.ndarray  # 0..1, brook valley floor
    seepage: np.ndarray  # 0..1, seepage at the moraine foot
    polder: np.ndarray  # 0..1, peat polder
    floodplain: np.ndarray  # bool
    dike: np.ndarray  # bool
    water: np.ndarray  # bool, open water
    polder_depth: np.ndarray  # layout m north of the polder edge (negative south of it)
    river_distance: np.ndarray  # layout m to the river centre line
    stream_distance: np.ndarray  # layout m to the brook (Valleibeek) centre line
    river_chainage: np.ndarray  # layout m along the river of the nearest river point
    wet_spot: np.ndarray  # 0..1, the low wet site of the new district
    x: np.ndarray  # layout x of columns
    y: np.ndarray  # layout y of rows


def _burn(frame: Frame, geoms: list[shapely.Geometry]) -> np.ndarray:
    grid = frame.grid
    if not geoms:
        return np.zeros(grid.shape, dtype=bool)
    return rasterio.features.rasterize(
        [(g, 1) for g in geoms], out_shape=grid.shape, transform=grid.transform, fill=0,
        all_touched=False, dtype="uint8",
    ).astype(bool)


def _bed_levels(line: shapely.LineString, base: np.ndarray, frame: Frame, incision: float,
                floor_at_end: float | None = None) -> np.ndarray:
    """Bed level per vertex of a real-coordinate brook line: monotonic downstream."""
    coords = np.asarray(line.coords)
    ground = sample(base, frame.grid, coords[:, 0], coords[:, 1]).astype(np.float64)
    kernel = np.ones(15) / 15.0
    ground = np.convolve(np.pad(ground, 7, mode="edge"), kernel, mode="valid")
    bed = np.minimum.accumulate(ground) - incision
    if floor_at_end is not None:
        bed = np.maximum(bed, floor_at_end)
    return bed


def make_terrain(frame: Frame, noise: NoiseSource, water_lines: gpd.GeoDataFrame,
                 water_polys: gpd.GeoDataFrame) -> Terrain:
    grid = frame.grid
    s = frame.scale
    xs, ys = frame.layout_coords()
    X = xs[None, :]
    Y = ys[:, None]

    # --- cover-sand plain: 9 m NAP in the south to 2 m at the polder edge ---------------
    south = np.clip(1.0 - Y / 5500.0, 0.0, 1.0)
    plain = 2.0 + 7.0 * south + 1.2 * (X / L.LAYOUT_WIDTH) * south
    ridge = 1.7 * smoothstep(noise.field(550.0, scale_y=150.0), 0.25, 1.9)
    ridge = ridge + 0.5 * smoothstep(noise.field(250.0, scale_y=90.0), 0.5, 2.0)
    cx, cy = L.TOWN_CENTRE
    a = ((X - cx) + (Y - cy)) * np.float32(np.sqrt(0.5))
    b = (-(X - cx) + (Y - cy)) * np.float32(np.sqrt(0.5))
    ridge = ridge + 2.6 * np.exp(-((a / 1300.0) ** 2) - ((b / 420.0) ** 2))
    for vx, vy in L.VILLAGES.values():
        ridge = ridge + 1.3 * np.exp(-(((X - vx) ** 2 + (Y - vy) ** 2) / 600.0**2))
    wet = np.exp(-(((X - L.WET_SPOT[0]) ** 2 + (Y - L.WET_SPOT[1]) ** 2) / 500.0**2))
    undulation = 0.45 * noise.field(300.0)
    base = plain + ridge + undulation - 2.2 * wet

    # --- push moraine ----------------------------------------------------------------------
    crest_x = L.MORAINE_CREST_X0 + 300.0 * np.sin(Y / 2500.0)
    top = 48.0 - 8.0 * smoothstep(Y, 0.0, 4500.0) - 25.0 * smoothstep(Y, 4000.0, 8000.0)
    du = np.abs(X - crest_x)
    moraine = sigmoid((L.MORAINE_HALF_WIDTH - du) / L.MORAINE_FLANK)
    hills = 1.0 + 0.12 * noise.field(700.0) + 0.08 * noise.field(220.0)
    moraine_height = (top * moraine * hills).astype(np.float32)
    base = base + moraine_height

    # --- brook valleys: bed monotonic downstream, 1.5-3 m below the plain -------------------
    stream = frame.geom(L.STREAM)
    trib = frame.geom(L.TRIBUTARY)
    stream_bed = _bed_levels(stream, base, frame, incision=2.2)
    trib_end = float(stream_bed[-1])
    trib_bed = _bed_levels(trib, base, frame, incision=1.8, floor_at_end=trib_end)
    d_stream, bed_s = line_field([(stream, stream_bed)], grid)
    d_trib, bed_t = line_field([(trib, trib_bed)], grid)
    d_stream /= s
    d_trib /= s
    floor_s = bed_s + 1.0 + 2.8 * smoothstep(d_stream, 120.0, 380.0) + 80.0 * smoothstep(d_stream, 380.0, 1500.0)
    floor_t = bed_t + 1.0 + 2.2 * smoothstep(d_trib, 70.0, 260.0) + 80.0 * smoothstep(d_trib, 260.0, 1300.0)
    dem = np.minimum(base, np.minimum(floor_s, floor_t))
    valley = np.maximum(1.0 - smoothstep(d_stream, 120.0, 260.0), 1.0 - smoothstep(d_trib, 70.0, 180.0))
    # seepage where the brook runs along the moraine foot
    near_moraine = 1.0 - smoothstep(du, 2000.0, 2900.0)
    seepage = (valley * near_moraine).astype(np.float32)

    # --- peat-meadow polder -----------------------------------------------------------------
    polder_depth = Y - np.interp(X, L.POLDER_EDGE_X, L.POLDER_EDGE_Y).astype(np.float32)
    polder = sigmoid(polder_depth / 110.0) * (1.0 - smoothstep(moraine, 0.05, 0.5))
    peat = -0.7 - 1.0 * smoothstep(polder_depth, 0.0, 1400.0) + 0.3 * noise.field(600.0)
    peat = np.clip(peat, -2.1, -0.45)
    dem = dem * (1.0 - polder) + peat * polder

    # --- river, floodplain and dikes --------------------------------------------------------
    river_layout = L.RIVER
    river = frame.geom(river_layout)
    d_river, along = line_field([(river, chainage(river_layout))], grid)
    dike_base = max(L.DIKE_BASE_M, 3.0 * grid.res)
    half_fp = (L.FLOODPLAIN_HALF_WIDTH * s * smoothstep(along, 250.0, 900.0)).astype(np.float32)
    floodplain = (d_river < half_fp) & (along > 250.0)
    fp_surface = 1.8 - 1.0 * np.clip(d_river / np.maximum(half_fp, 1.0), 0, 1) + 0.25 * noise.field(200.0)
    dem = np.where(floodplain, np.clip(fp_surface, 0.5, 2.0), dem)
    centre = half_fp + dike_base / 2.0
    crest_half = 0.15 * dike_base
    dike_h = L.DIKE_CREST_M * (1.0 - np.clip((np.abs(d_river - centre) - crest_half)
                                             / (dike_base / 2.0 - crest_half), 0.0, 1.0))
    dike = (np.abs(d_river - centre) < dike_base / 2.0) & (along > 300.0)
    dem = np.where(dike, np.maximum(dem, dike_h), dem)

    # --- open water: water surface levels ------------------------------------------------------
    # only the wide polder ditches show at this resolution; field ditches stay vectors
    wide = water_lines[(water_lines["kind"] == "ditch") & (water_lines["width_m"] >= 2.0)]
    ditch = rasterio.features.rasterize(
        [(g, 1) for g in wide.geometry], out_shape=grid.shape, transform=grid.transform,
        fill=0, dtype="uint8").astype(bool) if len(wide) else np.zeros(grid.shape, bool)
    dem = np.where(ditch, dem - POLDER_FREEBOARD, dem)
    canal_lines = water_lines[water_lines["kind"] == "canal"]
    canal = _burn(frame, list(canal_lines.geometry.buffer(
        np.maximum(canal_lines["width_m"].to_numpy() / 2.0, grid.res / 2.0))))
    dem = np.where(canal, dem - 1.0, dem)
    water = ditch | canal
    stream_water = d_stream * s < max(L.STREAM_WIDTH_M / 2, grid.res * 0.5)
    trib_water = d_trib * s < max(L.TRIBUTARY_WIDTH_M / 2, grid.res * 0.5)
    dem = np.where(stream_water, bed_s + 0.3, dem)
    dem = np.where(trib_water & ~stream_water, bed_t + 0.3, dem)
    water |= stream_water | trib_water
    polys = _burn(frame, list(water_polys.geometry))
    river_like = water_polys["kind"].isin(["river", "floodplain_lake"]).to_numpy()
    river_mask = _burn(frame, list(water_polys.geometry[river_like]))
    dem = np.where(river_mask, RIVER_LEVEL, dem)
    other = polys & ~river_mask
    dem = np.where(other, dem - 0.8, dem)
    water |= polys

    ghg, glg = _groundwater(noise, dem, moraine, moraine_height, ridge, wet, valley, seepage,
                            polder, floodplain, dike, water, d_trib)
    return Terrain(
        dem=dem.astype(np.float32), ghg=ghg, glg=glg, moraine=moraine.astype(np.float32),
        moraine_height=moraine_height, ridge=ridge.astype(np.float32), valley=valley.astype(np.float32),
        seepage=seepage, polder=polder.astype(np.float32), floodplain=floodplain, dike=dike,
        water=water, polder_depth=polder_depth.astype(np.float32),
        river_distance=(d_river / s).astype(np.float32), stream_distance=d_stream.astype(np.float32),
        river_chainage=along.astype(np.float32),
        wet_spot=wet.astype(np.float32), x=xs, y=ys,
    )


def _groundwater(noise: NoiseSource, dem: np.ndarray, moraine: np.ndarray, moraine_height: np.ndarray,
                 ridge: np.ndarray, wet: np.ndarray, valley: np.ndarray, seepage: np.ndarray,
                 polder: np.ndarray, floodplain: np.ndarray, dike: np.ndarray, water: np.ndarray,
                 d_trib: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """GHG and GLG (m below surface) blended from zone values."""
    n1 = noise.field(300.0)
    n2 = noise.field(150.0)
    # sand plain: deeper under ridges, shallow in the low wet spot
    ghg = np.clip(0.55 + 0.3 * ridge + 0.12 * n1 - 0.3 * wet, 0.35, 1.6)
    amp = 0.95 + 0.15 * n2
    # moraine: groundwater far below the surface
    w = smoothstep(moraine, 0.05, 0.6)
    ghg_m = 1.2 + 0.3 * moraine_height
    ghg = ghg * (1 - w) + ghg_m * w
    amp = amp * (1 - w) + (1.4 + 0.04 * moraine_height) * w
    # brook valleys: shallow, seepage (water at or above the surface) at the moraine foot
    ghg_v = np.where(d_trib < 200.0, 0.22, 0.18) + 0.05 * n2 - 0.28 * seepage
    ghg = ghg * (1 - valley) + ghg_v * valley
    amp = amp * (1 - valley) + 0.6 * valley
    # peat polder: ditch levels keep the GHG at 0.2-0.4 m
    ghg_p = np.clip(0.3 + 0.05 * n1, 0.2, 0.4)
    ghg = ghg * (1 - polder) + ghg_p * polder
    amp = amp * (1 - polder) + (0.35 + 0.05 * n2) * polder
    # floodplain and dikes
    ghg = np.where(floodplain, np.clip(0.3 + 0.35 * (dem - 0.6), 0.25, 0.9), ghg)
    amp = np.where(floodplain, 1.0, amp)
    ghg = np.where(dike, np.maximum(ghg, dem + 0.3), ghg)
    amp = np.where(dike, 0.8, amp)
    ghg = np.where(water, 0.0, ghg)
    amp = np.where(water, 0.2, amp)
    glg = ghg + np.maximum(amp, 0.15)
    return ghg.astype(np.float32), glg.astype(np.float32)
