"""WaterSchadeSchatter damage per cell and per building, against hand computations."""

import numpy as np
import pytest

from alliantie.damage import (
    DamageSettings,
    building_classes,
    class_map,
    coefficients,
    default_settings,
    expected_annual_damage,
    load_damage_table,
    object_damage,
    raster_damage,
    raster_risk,
)
from alliantie.errors import ConfigError, InputDataError
from alliantie.knowledge import load_knowledge


@pytest.fixture(scope="module")
def knowledge():
    return load_knowledge("damage_pluvial")


@pytest.fixture(scope="module")
def table(knowledge):
    return load_damage_table(knowledge)


def test_table_is_the_wss_table_at_price_level_2015(knowledge, table):
    assert table.price_year == 2015
    assert "prijspeil 2015" in table.source and "lizard-damage" in table.source
    assert len(table.classes) == 38
    res = table.classes[2]  # BAG residential
    assert res.nl == "Woonfunctie"
    assert res.direct_eur_m2 == (163.0, 271.0, 380.0)
    assert res.indirect_eur_m2_day == (5.0, 11.0, 16.0)
    assert res.depth_factor == (0.0, 0.1, 0.5, 1.0, 1.0)
    assert res.repair_factor == (0.0, 0.25, 1.0, 2.0, 5.0, 10.0)
    assert table.classes[15].direct_eur_m2 == pytest.approx((0.076, 0.076, 0.076))  # 760 EUR/ha
    assert table.classes[25].indirect_per_section and table.classes[25].indirect_eur_m2_day == (0.0, 0.0, 0.0)
    for row in knowledge["class"] + knowledge["lgn"]:
        assert row["source"]
    d = default_settings(knowledge)
    assert (d.month, d.duration_h, d.repair_days) == (9, 6.0, 5.0)


def test_2015_amounts_are_the_2010_amounts_plus_8_6_percent(table):
    # Nelen & Schuurmans (2017): most amounts +8.6 % against 2010; the 2010 WSS table (dt.cfg):
    # buildings 150/250/350 and 25/50/75 EUR/m2, indirect 40/80/120 and 5/10/15, terrain 700 EUR/ha,
    # recreation and urban grass 800/1000/1200 EUR/ha
    pairs = [
        (table.classes[2].direct_eur_m2, (150, 250, 350)),
        (table.classes[3].direct_eur_m2, (25, 50, 75)),
        (table.classes[4].indirect_eur_m2_day, (40, 80, 120)),
        (tuple(v * 1e4 for v in table.classes[15].direct_eur_m2), (700, 700, 700)),
        (tuple(v * 1e4 for v in table.classes[40].direct_eur_m2), (800, 1000, 1200)),
    ]
    for new, old in pairs:
        for a, b in zip(new, old, strict=True):
            assert a == pytest.approx(1.086 * b, abs=0.6)  # amounts rounded to whole euros


def test_every_lgn_class_of_the_demo_has_a_damage_class(knowledge, table):
    lgn = load_knowledge("lgn_classes")
    mapping = class_map(knowledge)
    assert {c["code"] for c in lgn["class"]} <= set(mapping)
    assert set(mapping.values()) <= set(table.classes)


def test_demo_building_functions_have_a_building_class(knowledge, table):
    mapping = building_classes(knowledge)
    assert set(mapping) == {"residential", "retail", "office", "industrial", "public", "agricultural"}
    assert mapping["residential"] == 2
    assert all(1 <= c <= 14 and c in table.classes for c in mapping.values())


def test_building_by_hand(table):
    # residential, 100 m2, mean amounts, 6 h, September, repair 5 days:
    # 0.03 m above floor: depth factor 0.1 + (0.03 - 0.01) / 0.04 * 0.4 = 0.3
    #   direct 271 * 0.3 * 1 * 1 * 100 = 8130; indirect 11 EUR/m2/day * 5 days * 100 = 5500
    coef = coefficients(table, DamageSettings())
    dmg = object_damage([0.03, 0.2, 0.0, np.nan], [2, 2, 2, 2], [100.0, 100.0, 100.0, 100.0], coef)
    assert dmg[:3].tolist() == pytest.approx([13630.0, 32600.0, 0.0])
    assert np.isnan(dmg[3])
    high = coefficients(table, DamageSettings(amount="high", repair_days=1.0))
    # 380 * 1.0 * 50 m2 + 16 * 1 day * 50 m2
    assert object_damage([0.5], [2], [50.0], high)[0] == pytest.approx(380 * 50 + 16 * 50)


def test_built_up_cell_by_hand(knowledge, table):
    # LGN 18 -> 15 residential terrain: 760 EUR/ha = 0.076 EUR/m2; duration factor at 6 h between
    # 1 h (0) and 12 h (1): 5/11; depth 0.03 m: factor 0.5; cell 10 m x 10 m
    coef = coefficients(table, DamageSettings(), class_map(knowledge))
    depth = np.array([[0.0, 0.03, 0.2, -0.2]])
    landuse = np.array([[18, 18, 18, 18]], dtype=np.int16)
    dmg = raster_damage(depth, landuse, coef, cell_area_m2=100.0)
    assert dmg[0].tolist() == pytest.approx([0.0, 0.076 * 5 / 11 * 0.5 * 100, 0.076 * 5 / 11 * 100, 0.0])


def test_season_and_duration_factors_of_grassland(knowledge, table):
    # LGN 1 -> 58 agricultural grass, 1094 EUR/ha mean; depth factor 1 above 0.01 m;
    # 3 days: duration factor 0.4; month factor January 0.3, September 1.0
    mapping = class_map(knowledge)
    depth = np.array([[0.1]])
    lu = np.array([[1]])
    sept = raster_damage(depth, lu, coefficients(table, DamageSettings(duration_h=72), mapping), cell_area_m2=1e4)
    jan = raster_damage(depth, lu, coefficients(table, DamageSettings(duration_h=72, month=1), mapping),
                        cell_area_m2=1e4)
    assert sept[0, 0] == pytest.approx(1094 * 0.4)
    assert jan[0, 0] == pytest.approx(1094 * 0.4 * 0.3)
    short = raster_damage(depth, lu, coefficients(table, DamageSettings(), mapping), cell_area_m2=1e4)
    assert short[0, 0] == 0.0  # 6 h of water on grass does no damage in the WSS


def test_price_factor_scales_everything(table):
    base = coefficients(table, DamageSettings())
    idx = coefficients(table, DamageSettings(price_factor=1.0924))
    a = object_damage([0.2], [2], [10.0], base)[0]
    b = object_damage([0.2], [2], [10.0], idx)[0]
    assert b == pytest.approx(1.0924 * a)


def test_nodata_and_unknown_classes(knowledge, table):
    coef = coefficients(table, DamageSettings(), class_map(knowledge))
    depth = np.array([[0.1, np.nan, 0.1]])
    lu = np.array([[18.0, 18.0, np.nan]], dtype=np.float32)  # float land use with NaN = no data
    dmg = raster_damage(depth, lu, coef, cell_area_m2=100.0)
    assert dmg[0, 0] > 0 and np.isnan(dmg[0, 1]) and np.isnan(dmg[0, 2])
    bad = np.array([[18, 77]], dtype=np.int32)
    with pytest.raises(InputDataError) as err:
        raster_damage(np.array([[0.1, 0.1]]), bad, coef, cell_area_m2=100.0)
    assert "77" in str(err.value)
    zero = raster_damage(np.array([[0.1, 0.1]]), bad, coef, cell_area_m2=100.0, unknown="zero")
    assert zero[0, 1] == 0.0
    with pytest.raises(ConfigError):
        coefficients(table, DamageSettings(), {1: 999})


def test_blocks_do_not_change_the_result(knowledge, table):
    rng = np.random.default_rng(3)
    codes = np.array(sorted(class_map(knowledge)))
    lu = rng.choice(codes, size=(37, 23)).astype(np.int16)
    depth = rng.uniform(-0.1, 0.5, size=(37, 23)).astype(np.float32)
    coef = coefficients(table, DamageSettings(), class_map(knowledge))
    a = raster_damage(depth, lu, coef, cell_area_m2=25.0, block_rows=1)
    b = raster_damage(depth, lu, coef, cell_area_m2=25.0, block_rows=1000)
    c = object_damage(depth, lu, 25.0, coef)
    assert np.array_equal(a, b)
    assert np.allclose(a, c)


def test_raster_risk_equals_the_ead_of_stacked_event_damages(knowledge, table):
    rng = np.random.default_rng(4)
    codes = np.array(sorted(class_map(knowledge)))
    lu = rng.choice(codes, size=(20, 30)).astype(np.int16)
    rps = [10.0, 100.0, 1000.0, 25.0]
    depths = [np.clip(rng.normal(0.05 * np.log10(t), 0.1, size=lu.shape), 0, None) for t in rps]
    depths[0][3, 4] = np.nan
    coef = coefficients(table, DamageSettings(), class_map(knowledge))
    stack = np.stack([raster_damage(d, lu, coef, cell_area_m2=100.0) for d in depths])
    for rule in ("trapezoid", "loglinear", "events"):
        risk = raster_risk(depths, rps, lu, coef, cell_area_m2=100.0, rule=rule, block_rows=7)
        expected = expected_annual_damage(stack, rps, rule)
        assert np.allclose(risk.ead, expected, equal_nan=True)
        assert np.isnan(risk.ead[3, 4])
        assert risk.event_totals == pytest.approx(np.nansum(stack, axis=(1, 2)))
        assert risk.ead_total == pytest.approx(float(np.nansum(expected)))
