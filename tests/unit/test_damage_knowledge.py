"""The knowledge files of the damage engine, the climate scenarios and the stresstest, read through their models.

Each packaged file fits its model; a replacement (``[knowledge]`` in ``dossier.toml``) that lacks a unit or a
source, or gives a number as text, is a ConfigError that names the file and the field.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest

from alliantie.climate.scenarios import ClimateTable, KnmiScenariosFile
from alliantie.damage.depth_damage import PluvialDamageFile, class_map, load_damage_table
from alliantie.damage.drought import DroughtDamageFile
from alliantie.damage.flood import FloodDamageFile, load_flood_curves
from alliantie.damage.heat import HeatDamageFile
from alliantie.damage.npv import EconomicsFile
from alliantie.dossier.registry import ProductContext
from alliantie.errors import ConfigError
from alliantie.knowledge import knowledge_file, load_knowledge
from alliantie.method.stresstest.rules import StresstestKnowledge
from alliantie.method.urgency.damage.knowledge import load_damage_knowledge
from alliantie.parameters.damage import DamageParameters

Reader = Callable[[dict[str, Any], str], Any]

READERS: dict[str, Reader] = {
    "economics": EconomicsFile.from_toml,
    "damage_pluvial": PluvialDamageFile.from_toml,
    "damage_flood": FloodDamageFile.from_toml,
    "damage_heat": HeatDamageFile.from_toml,
    "damage_drought": DroughtDamageFile.from_toml,
    "knmi_scenarios": KnmiScenariosFile.from_toml,
    "stresstest": StresstestKnowledge.from_toml,
}

#: (file, where, what is done there, the field the message names): ``None`` deletes the key, a value replaces it.
BROKEN: list[tuple[str, tuple[str | int, ...], Any, str]] = [
    ("economics", ("discount_rate", 0, "unit"), None, "discount_rate.0.unit"),
    ("economics", ("cpi", 3, "source"), None, "cpi.3.source"),
    ("economics", ("cpi_change", 1, "percent"), "2.7", "cpi_change.1.percent"),
    ("economics", ("discount_rate", 1, "rate_percent"), "3 %", "discount_rate.1.rate_percent"),
    ("damage_pluvial", ("table", "unit"), None, "table.unit"),
    ("damage_pluvial", ("table", "depth_unit"), None, "table.depth_unit"),
    ("damage_pluvial", ("class", 4, "source"), None, "class.4.source"),
    ("damage_pluvial", ("class", 1, "direct_unit"), "EUR/m3", "class.1.direct_unit"),
    ("damage_pluvial", ("class", 1, "direct"), ["163", "271", "380"], "class.1.direct.0"),
    ("damage_pluvial", ("defaults", "month"), "september", "defaults.month"),
    ("damage_pluvial", ("lgn", 0, "source"), " ", "lgn.0.source"),
    ("damage_flood", ("table", "unit"), None, "table.unit"),
    ("damage_flood", ("class", 0, "source"), None, "class.0.source"),
    ("damage_flood", ("class", 2, "max_damage_eur_m2"), "934.93", "class.2.max_damage_eur_m2"),
    ("damage_flood", ("wss_building", 0, "wss"), "2", "wss_building.0.wss"),
    ("damage_heat", ("mortality", "unit"), None, "mortality.unit"),
    ("damage_heat", ("value_of_statistical_life", "source"), None, "value_of_statistical_life.source"),
    ("damage_heat", ("labour", "hours_per_worker", "unit"), None, "labour.hours_per_worker.unit"),
    ("damage_heat", ("incident", "excess_deaths_per_resident"), "2.3e-5", "incident.excess_deaths_per_resident"),
    ("damage_heat", ("value_of_life_year", "price_year"), 2013.0, "value_of_life_year.price_year"),
    ("damage_drought", ("item", 0, "unit"), None, "item.0.unit"),
    ("damage_drought", ("item", 1, "source"), "", "item.1.source"),
    ("damage_drought", ("item", 2, "mean"), "113.46", "item.2.mean"),
    ("damage_drought", ("item", 0, "derivation", "years"), "32", "item.0.derivation.years"),
    ("knmi_scenarios", ("variable", 0, "unit"), None, "variable.0.unit"),
    ("knmi_scenarios", ("set", "KNMI'23", "source"), None, "set.KNMI'23.source"),
    ("knmi_scenarios", ("value", 0, "value"), "10.5", "value.0.value"),
    ("knmi_scenarios", ("value", 0, "horizon"), "2050", "value.0.horizon"),
    ("stresstest", ("area_share", "unit"), None, "area_share.unit"),
    ("stresstest", ("rule", 2, "source"), None, "rule.2.source"),
    ("stresstest", ("theme", 0, "moderate"), "1", "theme.0.moderate"),
    ("stresstest", ("focus", "count"), 3.0, "focus.count"),
]


def _broken(name: str, where: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    data = copy.deepcopy(load_knowledge(name))
    node: Any = data
    for part in where[:-1]:
        node = node[part]
    if value is None:
        del node[where[-1]]
    else:
        node[where[-1]] = value
    return data


@pytest.mark.parametrize("name", list(READERS))
def test_the_packaged_files_fit_their_models(name: str) -> None:
    READERS[name](load_knowledge(name), f"{name}.toml")


@pytest.mark.parametrize(("name", "where", "value", "field"), BROKEN,
                         ids=[f"{n}:{f}" for n, _w, _v, f in BROKEN])
def test_a_replacement_without_unit_or_source_or_with_a_wrong_type_names_file_and_field(
        name: str, where: tuple[str | int, ...], value: Any, field: str) -> None:
    path = f"dossier/eigen_{name}.toml"
    with pytest.raises(ConfigError) as err:
        READERS[name](_broken(name, where, value), path)
    assert err.value.key == "errors.knowledge_invalid"
    message = err.value.message("en")
    assert message.startswith(f"{path}: the knowledge file is not valid")
    assert f"- {field}: " in message, message
    assert "[knowledge] in dossier.toml" in message
    assert "kennisbestand" in err.value.message("nl")


def test_unknown_keys_are_refused() -> None:
    data = copy.deepcopy(load_knowledge("damage_heat"))
    data["mortality"]["lowest"] = 1e-7  # a typo of a key would otherwise be ignored silently
    with pytest.raises(ConfigError) as err:
        HeatDamageFile.from_toml(data)
    assert "mortality.lowest: Extra inputs are not permitted" in str(err.value)


def test_checks_across_a_file_name_the_row() -> None:
    pluvial = copy.deepcopy(load_knowledge("damage_pluvial"))
    pluvial["class"][1]["depth_factor"] = [0.0, 1.0]
    with pytest.raises(ConfigError, match="class 2: depth_factor must hold 5 values"):
        load_damage_table(pluvial)
    pluvial = copy.deepcopy(load_knowledge("damage_pluvial"))
    pluvial["lgn"][0]["wss"] = 999
    with pytest.raises(ConfigError, match=r"\[\[lgn\]\] names WSS class\(es\) 999"):
        class_map(pluvial)
    pluvial = copy.deepcopy(load_knowledge("damage_pluvial"))
    pluvial["table"]["depth_m"] = [0.0, 0.3, 0.1, 0.5, 1.0]
    with pytest.raises(ConfigError, match=r"table\.depth_m: Value error, the nodes must increase"):
        load_damage_table(pluvial)
    economics = copy.deepcopy(load_knowledge("economics"))
    economics["cpi"].append(dict(economics["cpi"][0]))
    with pytest.raises(ConfigError, match="each year once; repeated: 2000"):
        EconomicsFile.from_toml(economics)
    flood = copy.deepcopy(load_knowledge("damage_flood"))
    flood["wss_building"][0]["curve"] = "castle"
    with pytest.raises(ConfigError, match="castle"):
        load_flood_curves(flood)
    heat = copy.deepcopy(load_knowledge("damage_heat"))
    del heat["labour"]["hours_per_worker"]
    with pytest.raises(ConfigError, match="valued labour needs hours_per_worker"):
        HeatDamageFile.from_toml(heat)
    heat["labour"]["valued"] = False  # labour not valued: its tables may be left out
    assert HeatDamageFile.from_toml(heat).labour is not None
    stresstest = copy.deepcopy(load_knowledge("stresstest"))
    stresstest["theme"].append(dict(stresstest["theme"][0]))
    with pytest.raises(ConfigError, match="one \\[\\[theme\\]\\] per theme; repeated: flood"):
        StresstestKnowledge.from_toml(stresstest)


def test_climate_table_reads_the_model_or_the_parsed_file() -> None:
    raw = load_knowledge("knmi_scenarios")
    model = KnmiScenariosFile.from_toml(raw)
    assert ClimateTable(model).sources() == ClimateTable(raw).sources()
    with pytest.raises(ConfigError) as err:
        ClimateTable(_broken("knmi_scenarios", ("variable", 2, "unit"), 5), "eigen.toml")
    assert "eigen.toml" in str(err.value) and "variable.2.unit: Input should be a valid string" in str(err.value)


def test_the_damage_product_names_the_dossiers_replacement(tmp_path: Path) -> None:
    """A dossier replaces damage_heat.toml with a copy that lost a unit: the error names that copy and the field."""
    packaged = knowledge_file("damage_heat").read_text(encoding="utf-8")
    line = 'unit = "excess deaths per resident per heat-wave day"\n'
    assert line in packaged
    own = tmp_path / "eigen_damage_heat.toml"
    own.write_text(packaged.replace(line, ""), encoding="utf-8")
    overrides = {"damage_heat": own}
    dossier = SimpleNamespace(knowledge_override=overrides.get)
    ctx = cast(ProductContext, SimpleNamespace(
        dossier=dossier, knowledge=lambda name: load_knowledge(name, overrides.get(name))))
    with pytest.raises(ConfigError) as err:
        load_damage_knowledge(ctx, DamageParameters())
    message = err.value.message("en")
    assert str(own) in message and "mortality.unit: Field required" in message
    overrides.clear()  # the packaged files: every model read once, the discount preset chosen
    knowledge = load_damage_knowledge(ctx, DamageParameters(discount_rate="rate_2015"))
    assert knowledge.discount.rate == pytest.approx(0.03)
    assert knowledge.heat.mortality.unit and knowledge.drought.item[0].source
    assert knowledge.climate.periods["KNMI'23"] == "1991-2020"
