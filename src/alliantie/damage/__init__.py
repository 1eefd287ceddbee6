"""Damage and risk: expected annual damage, the damage path and its present value, raster damage.

Public API (see ``docs/damage.md``):

* :func:`expected_annual_damage` (rules ``"trapezoid"`` WaterSchadeSchatter, the default;
  ``"loglinear"`` Delft-FIAT; ``"events"`` CLIMADA), :func:`ead_weights`, :func:`ead_by_rule`;
* :func:`damage_path`, :func:`discount_factors`, :func:`present_value`, :func:`price_index_factor`,
  :func:`discount_presets`, :func:`sensitivity_range` (the NPV range and what drives it), with
  ``economics.toml`` read into :class:`EconomicsFile`;
* :func:`load_damage_table`, :func:`coefficients`, :func:`raster_damage`, :func:`raster_risk`,
  :func:`object_damage` (STOWA WaterSchadeSchatter damage per cell or per building), with
  ``damage_pluvial.toml`` read into :class:`PluvialDamageFile`.
"""

from alliantie.damage.depth_damage import (
    AMOUNTS,
    Coefficients,
    DamageClass,
    DamageSettings,
    DamageTable,
    PluvialDamageFile,
    RasterRisk,
    building_classes,
    class_map,
    coefficients,
    default_settings,
    load_damage_table,
    object_damage,
    raster_damage,
    raster_risk,
)
from alliantie.damage.npv import (
    DamagePath,
    DiscountRate,
    Driver,
    EconomicsFile,
    RangeSummary,
    consumer_price_index,
    damage_path,
    default_discount_rate,
    discount_factors,
    discount_presets,
    discount_rate,
    present_value,
    price_index_factor,
    sensitivity_range,
)
from alliantie.damage.risk import DEFAULT_RULE, RULES, Rule, ead_by_rule, ead_weights, expected_annual_damage

__all__ = [
    "AMOUNTS",
    "DEFAULT_RULE",
    "RULES",
    "Coefficients",
    "DamageClass",
    "DamagePath",
    "DamageSettings",
    "DamageTable",
    "DiscountRate",
    "Driver",
    "EconomicsFile",
    "PluvialDamageFile",
    "RangeSummary",
    "RasterRisk",
    "Rule",
    "building_classes",
    "class_map",
    "coefficients",
    "consumer_price_index",
    "damage_path",
    "default_discount_rate",
    "default_settings",
    "discount_factors",
    "discount_presets",
    "discount_rate",
    "ead_by_rule",
    "ead_weights",
    "expected_annual_damage",
    "load_damage_table",
    "object_damage",
    "present_value",
    "price_index_factor",
    "raster_damage",
    "raster_risk",
    "sensitivity_range",
]
