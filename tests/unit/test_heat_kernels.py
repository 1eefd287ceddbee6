"""Heat kernels (alliantie.hazards.heat) and the focal means of alliantie.raster against hand-computed answers."""

from __future__ import annotations

import math

import numpy as np
import pytest

from alliantie.hazards.heat import cooling, pet, sky_view
from alliantie.hazards.heat import heat_island as island
from alliantie.hazards.heat import radiation as rad
from alliantie.raster import focal

# --- Theeuwes et al. (2017) ---------------------------------------------------------------------


def test_theeuwes_reproduces_the_paper_equation_by_hand() -> None:
    # (2 - 0.6 - 0.2) * (0.2 * 10**3 / 2) ** 0.25 = 1.2 * 100 ** 0.25 = 1.2 * 3.16227766 = 3.79473319
    assert island.theeuwes_uhi_max(0.6, 0.2, 0.2, 10.0, 2.0) == pytest.approx(3.79473319, rel=1e-8)
    # the standard hot day of heat.toml: S = 290 / (1.2 * 1005) = 0.24046434 K m/s, DTR 13 K, U 3 m/s:
    # S * DTR^3 / U = 0.24046434 * 2197 / 3 = 176.10006; ^(1/4) = 3.64285; times (2 - 0.7 - 0.2) = 4.00713
    s = island.radiation_to_s(290.0, 1.2, 1005.0)
    assert s == pytest.approx(0.24046434, rel=1e-7)
    assert island.theeuwes_uhi_max(0.7, 0.2, s, 13.0, 3.0) == pytest.approx(4.00713, abs=2e-5)
    # open countryside full of vegetation: no heat island
    assert island.theeuwes_uhi_max(1.0, 1.0, s, 13.0, 3.0) == pytest.approx(0.0)


def test_theeuwes_broadcasts_and_propagates_nan() -> None:
    svf = np.array([[0.5, 1.0], [np.nan, 0.8]])
    out = island.theeuwes_uhi_max(svf, 0.0, 0.2, 10.0, 2.0)
    assert out.shape == (2, 2)
    assert out[0, 0] == pytest.approx(1.5 * 100 ** 0.25)
    assert out[0, 1] == pytest.approx(1.0 * 100 ** 0.25)
    assert np.isnan(out[1, 0])
    # stronger wind, smaller heat island: U ** (-1/4)
    assert island.theeuwes_uhi_max(0.5, 0.0, 0.2, 10.0, 8.0) == pytest.approx(out[0, 0] / math.sqrt(2.0))


@pytest.mark.parametrize(("svf", "fveg", "s", "dtr", "u"), [
    (1.2, 0.1, 0.2, 10.0, 2.0), (0.5, -0.1, 0.2, 10.0, 2.0), (0.5, 0.1, -0.2, 10.0, 2.0),
    (0.5, 0.1, 0.2, -1.0, 2.0), (0.5, 0.1, 0.2, 10.0, 0.0),
])
def test_theeuwes_rejects_values_out_of_range(svf: float, fveg: float, s: float, dtr: float, u: float) -> None:
    with pytest.raises(ValueError):
        island.theeuwes_uhi_max(svf, fveg, s, dtr, u)


# --- sky view factor ----------------------------------------------------------------------------

def test_svf_of_a_flat_plane_is_one() -> None:
    plane = np.full((40, 50), 3.0)
    assert np.allclose(sky_view.sky_view_factor(plane, 5.0, skip_below=0.0), 1.0)
    assert np.allclose(sky_view.sky_view_factor(plane, 5.0), 1.0)


@pytest.mark.parametrize(("height", "expected"), [(10.0, 0.4472136), (20.0, 0.2425356)])
def test_svf_at_the_bottom_of_a_long_street_canyon_matches_the_analytic_value(height: float, expected: float) -> None:
    res, width = 0.5, 10.0  # H/W = 1 and 2: SVF = cos(atan(2 H / W)) = 1 / sqrt(5) and 1 / sqrt(17)
    half = int(width / res / 2)  # the wall faces pass through the centres of the first wall cells
    rows, cols = 801, 2 * half + 1 + 2 * 40
    dsm = np.full((rows, cols), height)
    mid = cols // 2
    dsm[:, mid - half + 1:mid + half] = 0.0  # street floor
    svf = sky_view.sky_view_factor(dsm, res, directions=32, max_distance_m=200.0)
    assert sky_view.canyon_svf(height, width) == pytest.approx(expected, abs=1e-7)
    assert svf[rows // 2, mid] == pytest.approx(expected, abs=0.01)
    # on the roofs the sky is open
    assert svf[rows // 2, 5] == pytest.approx(1.0)


def test_svf_skipping_open_cells_changes_little() -> None:
    rng = np.random.default_rng(7)
    dsm = np.zeros((120, 120))
    for _ in range(25):  # scattered buildings on a flat plain
        r, c = rng.integers(5, 110, size=2)
        dsm[r:r + 6, c:c + 8] = rng.uniform(6, 15)
    full = sky_view.sky_view_factor(dsm, 2.0, skip_below=0.0)
    fast = sky_view.sky_view_factor(dsm, 2.0, skip_below=0.005)
    assert np.nanmax(np.abs(full - fast)) <= 0.005 + 1e-9
    assert (fast < 0.9).any()


def test_svf_nodata() -> None:
    dsm = np.zeros((10, 10))
    dsm[4, 4] = np.nan
    svf = sky_view.sky_view_factor(dsm, 1.0)
    assert np.isnan(svf[4, 4]) and np.isfinite(svf[0, 0])


# --- sun and shadows ----------------------------------------------------------------------------

def test_solar_position_at_noon_and_in_the_afternoon() -> None:
    # Cooper: declination on day 202 = 23.45 sin(360 * 486 / 365) = 20.44 deg; noon elevation 90 - 52.1 + 20.44
    elevation, azimuth = rad.solar_position(52.1, 202, 12.0)
    assert elevation == pytest.approx(58.34, abs=0.02)
    assert azimuth == pytest.approx(180.0, abs=0.01)
    elevation3, azimuth3 = rad.solar_position(52.1, 202, 15.0)
    assert elevation3 == pytest.approx(43.0, abs=0.3)  # hand: sin h = 0.2751 + 0.5758 cos 45 deg
    assert 230 < azimuth3 < 260  # south-west


def test_clear_sky_sun_in_the_zenith() -> None:
    sun = rad.clear_sky_sun(90.0, 0.7)
    assert sun.direct_wm2 == pytest.approx(1361.0 * 0.7)
    assert sun.diffuse_wm2 == pytest.approx(1361.0 * (0.271 - 0.294 * 0.7))
    assert sun.global_wm2 == pytest.approx(sun.direct_wm2 + sun.diffuse_wm2)
    assert rad.clear_sky_sun(-5.0, 0.7).direct_wm2 == 0.0


def test_cast_shadow_of_a_wall_has_the_length_of_its_height_at_45_degrees() -> None:
    dsm = np.zeros((60, 20))
    dsm[40, :] = 10.0  # an east-west wall, 10 m high; rows run south, the sun stands in the south
    shadow = rad.cast_shadow(dsm, 1.0, 45.0, 180.0)
    column = shadow[:, 10]
    assert column[31:40].all()  # 1-9 m north of the wall: shaded
    assert not column[:29].any()  # beyond 11 m: sunlit
    assert not column[41:].any()  # south of the wall: sunlit


def test_brutsaert_sky_emissivity_by_hand() -> None:
    # 20 degC, 50 %: e = 0.5 * 6.112 exp(17.67 * 20 / 263.5) = 11.685 hPa; 1.24 (11.685 / 293.15)^(1/7) = 0.7826
    assert rad.sky_emissivity_brutsaert(20.0, 50.0) == pytest.approx(0.7826, abs=5e-4)


# --- mean radiant temperature and PET -----------------------------------------------------------

def test_tmrt_equals_air_temperature_in_a_black_body_enclosure() -> None:
    dark = rad.Sun(0.0, 0.0, 45.0)
    for svf in (0.0, 0.5, 1.0):
        tmrt = rad.mean_radiant_temperature(30.0, np.array([svf]), np.array([1.0]), np.array([0.2]), dark,
                                           sky_emissivity=1.0, surface_emissivity=1.0, sunlit_surface_excess_k=0.0,
                                           shaded_surface_excess_k=0.0)
        assert tmrt[0] == pytest.approx(30.0, abs=1e-9)


def test_tmrt_in_the_sun_and_in_the_shade() -> None:
    sun = rad.Sun(800.0, 90.0, 50.0)
    kwargs = {"sky_emissivity": 0.83, "surface_emissivity": 0.95, "sunlit_surface_excess_k": 15.0,
              "shaded_surface_excess_k": 2.0}
    svf = np.array([1.0, 0.3])
    shade = np.array([0.0, 1.0])
    albedo = np.array([0.2, 0.2])
    tmrt = rad.mean_radiant_temperature(32.0, svf, shade, albedo, sun, **kwargs)
    assert 50.0 < tmrt[0] < 70.0  # open sun on a hot afternoon
    assert 28.0 < tmrt[1] < 36.0  # under trees: near air temperature
    short = rad.shortwave_absorbed(svf, shade, albedo, sun)
    fast = rad.mean_radiant_temperature_fast(32.0, short, svf, shade, **kwargs)
    assert np.allclose(fast, tmrt)
    # by hand for the sunlit cell: the flux is the sum of the parts
    flux = rad.absorbed_radiation(32.0, svf, shade, albedo, sun, **kwargs)
    assert rad.tmrt_from_flux(flux)[0] == pytest.approx(tmrt[0])
    assert rad.projection_factor(0.0) == pytest.approx(0.308)


def test_pet_table_reproduces_the_library_documented_example() -> None:
    # pythermalcomfort documents pet_steady(tdb=25, tr=25, v=0.1, rh=50, met=1.2, clo=0.5) = 24.67 (sitting,
    # 23-year-old man, 75 kg, 1.8 m); our wiring of the person must give the same number
    person = pet.Person(activity_w=1.2 * 58.2, clothing_clo=0.5, age=23, sex="male", weight_kg=75, height_m=1.8,
                       position="sitting")
    table = pet.pet_table(25.0, 50.0, [25.0, 35.0], [0.1, 1.0], person)
    assert table.pet_c[0, 0] == pytest.approx(24.67, abs=0.01)
    assert table.pet_c[1, 0] > table.pet_c[0, 0]  # more radiation, warmer
    assert table.pet_c[1, 1] < table.pet_c[1, 0]  # more wind, cooler
    # bilinear: at the nodes the table, in the middle the mean of the four corners
    out = pet.pet_lookup(table, np.array([25.0, 30.0, np.nan]), np.array([0.1, 0.55, 1.0]))
    assert out[0] == pytest.approx(table.pet_c[0, 0])
    assert out[1] == pytest.approx(table.pet_c.mean())
    assert np.isnan(out[2])
    with pytest.raises(ValueError):
        pet.pet_table(25.0, 50.0, [30.0, 25.0], [0.1, 1.0])


def test_classify_pet_in_the_klimaateffectatlas_classes() -> None:
    values = np.array([np.nan, 10.0, 23.0, 28.9, 35.0, 40.99, 41.0, 60.0])
    assert pet.classify(values, [23.0, 29.0, 35.0, 41.0]).tolist() == [0, 1, 2, 2, 4, 4, 5, 5]


# --- cooling ------------------------------------------------------------------------------------

def test_cooling_capacity_by_hand() -> None:
    assert cooling.cooling_capacity(np.array(1.0), np.array(0.2), np.array(0.5)) == pytest.approx(0.6 + 0.04 + 0.1)
    assert cooling.evapotranspiration_index(np.array([1.0, 0.5]), 5.0, 6.0).tolist() == pytest.approx([5 / 6, 2.5 / 6])
    with pytest.raises(ValueError):
        cooling.cooling_capacity(np.array(1.0), np.array(0.2), np.array(0.5), weights=(0.5, 0.2, 0.2))


def test_park_cooling_spreads_from_large_parks_only() -> None:
    res = 10.0
    cc = np.full((120, 120), 0.1)
    green = np.zeros((120, 120), dtype=bool)
    green[10:50, 10:50] = True  # 40 x 40 cells of 100 m2 = 16 ha park
    cc[green] = 0.8
    hm = cooling.park_cooling(cc, green, res, 450.0, 2.0)
    assert hm[30, 55] > hm[30, 65] > 0.1  # cooler near the park, less further away
    assert hm[30, 110] == pytest.approx(0.1)  # 600 m away: the park's share of the disc is too small
    assert hm[30, 30] == pytest.approx(0.8)  # inside the park its own capacity
    small = np.zeros_like(green)
    small[100:110, 100:110] = True  # 1 ha: too small to cool its surroundings
    cc2 = np.where(small, 0.8, 0.1)
    hm2 = cooling.park_cooling(cc2, small, res, 450.0, 2.0)
    assert hm2[105, 112] == pytest.approx(0.1)
    coarse = cooling.park_cooling(cc, green, res, 450.0, 2.0, coarsen=3)
    assert np.max(np.abs(coarse - hm)) < 0.02


def test_distance_to_cool_place_keeps_only_large_enough_places() -> None:
    cool = np.zeros((30, 30), dtype=bool)
    cool[10:13, 10:13] = True  # 9 cells of 100 m2 = 900 m2
    cool[25, 25] = True  # 100 m2: too small for 200 m2
    dist = cooling.distance_to_cool_place(cool, 10.0, 0.02)
    assert dist[11, 11] == 0.0
    assert dist[11, 17] == pytest.approx(50.0)  # five cells east of the patch edge
    assert dist[25, 25] > 0  # the small place does not count
    none = cooling.distance_to_cool_place(cool & False, 10.0, 0.02)
    assert np.isinf(none).all()


def test_focal_and_box_means() -> None:
    green = np.zeros((100, 100))
    green[:, 50:] = 1.0
    frac = island.vegetation_fraction(green, 5.0, 100.0)
    assert frac[50, 10] == pytest.approx(0.0)
    assert frac[50, 90] == pytest.approx(1.0)
    assert 0.4 < frac[50, 50] < 0.6
    coarse = island.vegetation_fraction(green, 5.0, 100.0, coarsen=4)
    assert np.max(np.abs(coarse - frac)) < 0.08
    values = np.arange(25.0).reshape(5, 5)
    valid = np.ones((5, 5), dtype=bool)
    valid[2, 2] = False
    box = focal.box_mean(values, 1.0, 1.0, valid)
    assert box[2, 2] == pytest.approx((values[1:4, 1:4].sum() - 12.0) / 8)
    assert focal.disc(1.0, 1.0).sum() == 5
