"""The demo generator's building blocks: noise, distance fields, footprints, terrain invariants."""

import numpy as np
import pytest
from shapely.geometry import LineString

from alliantie.demo import layout as L
from alliantie.demo import soil, terrain, town, water
from alliantie.demo.fields import NoiseSource, line_field, smoothstep
from alliantie.demo.layout import Frame
from alliantie.demo.placement import Style, along_streets, drop_conflicts
from alliantie.grid import Grid


def test_noise_is_seeded_standardised_and_smooth():
    a = NoiseSource(5, (40, 50), (80, 100)).field(300.0)
    b = NoiseSource(5, (40, 50), (80, 100)).field(300.0)
    c = NoiseSource(6, (40, 50), (80, 100)).field(300.0)
    assert a.shape == (80, 100) and a.dtype == np.float32
    assert np.array_equal(a, b) and not np.array_equal(a, c)
    assert abs(float(a.mean())) < 0.2 and 0.6 < float(a.std()) < 1.2
    # neighbouring cells differ far less than the field varies
    assert float(np.abs(np.diff(a, axis=1)).mean()) < 0.1 * float(a.std())


def test_smoothstep_limits():
    x = np.array([-1.0, 0.0, 0.5, 1.0, 2.0], dtype=np.float32)
    assert np.allclose(smoothstep(x, 0.0, 1.0), [0.0, 0.0, 0.5, 1.0, 1.0])


def test_line_field_distance_and_carried_value():
    grid = Grid.from_bounds((0, 0, 100, 100), 1.0)
    line = LineString([(10, 50), (90, 50)])
    dist, value = line_field([(line, np.array([1.0, 3.0]))], grid)
    row = 50 - 20  # y = 70 -> 20 m from the line (rows count from the top)
    assert dist[row - 1, 50] == pytest.approx(20.5, abs=1.0)
    assert value[row, 50] == pytest.approx(2.0)


def test_footprints_line_street_without_overlap():
    rng = np.random.default_rng(1)
    street = LineString([(0, 0), (200, 0)])
    style = Style(frontage=(5.0, 6.0), depth=(9.0, 10.0), gap=(0.0, 0.0), setback=(5.0, 6.0))
    fp = along_streets([street], style, rng)
    polys = fp.polygons()
    assert len(polys) > 50
    # both sides, outside the street, oriented along it
    ys = fp.cy
    assert (ys > 5).any() and (ys < -5).any() and (np.abs(ys) >= 9.0).all()
    assert np.allclose(fp.angle, 0.0)
    keep = drop_conflicts(polys, [street.buffer(3.0)])
    assert keep.all()
    # a duplicate is dropped, the original kept
    dup = np.concatenate([polys[:1], polys[:1]])
    assert drop_conflicts(dup, []).tolist() == [True, False]


@pytest.fixture(scope="module")
def small_terrain():
    frame = Frame(L.SIZES["small"])
    noise = NoiseSource(2014, (160, 200), frame.grid.shape)
    the_town = town.make_town(frame)
    lines = water.watercourses(frame, the_town.districts.union_all())
    polys = water.waterbodies(frame)
    t = terrain.make_terrain(frame, noise, lines, polys)
    return frame, noise, t


def test_terrain_landscape_elements(small_terrain):
    frame, _, t = small_terrain
    assert t.dem.shape == frame.grid.shape == (320, 400)
    assert float(t.dem[t.moraine > 0.9].max()) > 30.0  # moraine top
    assert float(np.median(t.dem[t.polder > 0.95])) < 0.0  # polder below sea level
    assert float(t.dem[t.dike].max()) > 3.5  # dike crest
    assert bool((t.glg >= t.ghg).all())
    assert float(np.median(t.ghg[(t.valley > 0.9) & ~t.water])) < 0.3
    assert float(t.ghg[t.seepage > 0.7].min()) < 0.05  # water at the surface at the moraine foot
    assert float(np.median(t.glg[t.moraine > 0.9])) > 3.0
    fp = t.floodplain & ~t.water
    assert 0.5 <= float(np.median(t.dem[fp])) <= 2.0


def test_geology_follows_landscape(small_terrain):
    frame, noise, t = small_terrain
    geo = soil.geology(frame, noise, t)
    names = {v: k for k, v in soil.CODE.items()}

    def main_class(mask):
        values, counts = np.unique(geo[mask], return_counts=True)
        return names[int(values[np.argmax(counts)])]

    assert main_class(t.moraine > 0.9) == "podzol"
    assert main_class((t.polder > 0.95) & (t.river_distance > 1500)) == "veen"
    assert main_class(t.floodplain) == "rivierklei"
    assert main_class((t.valley > 0.9) & (t.seepage < 0.1) & ~t.water) in {"moerig", "veen"}
