"""The step 2 knowledge files are complete: sources, class tables, the analysewijzer, texts."""

from __future__ import annotations

from typing import Any

import pytest

from alliantie.contract.classes import class_table
from alliantie.i18n import has_key
from alliantie.knowledge import load_knowledge
from alliantie.method.baseinfo.analysewijzer import PRESENCE_KEYS, check_analysewijzer

STEP2 = (
    "soil_classes", "groundwater_classes", "seepage_rules", "lgn_classes", "vegetation_groups",
    "water_kinds", "landscape_rules", "structure_rules", "analysewijzer",
)
GOALS = ("lokaal_leven", "veiligheid", "uitbreiding_areaal", "gezondheid", "groei_intensivering",
         "beheren_bewaren")


@pytest.mark.parametrize("name", STEP2)
def test_every_file_has_a_source(name: str) -> None:
    data = load_knowledge(name)
    assert isinstance(data.get("source"), str) and len(data["source"]) > 20


@pytest.mark.parametrize("name", ["groundwater_classes", "seepage_rules", "landscape_rules", "structure_rules"])
def test_value_bearing_tables_have_a_unit(name: str) -> None:
    assert load_knowledge(name).get("unit")


@pytest.mark.parametrize(
    ("name", "table"),
    [("soil_classes", "class"), ("soil_classes", "main"), ("groundwater_classes", "class"),
     ("seepage_rules", "zone"), ("vegetation_groups", "group"), ("landscape_rules", "type"),
     ("water_kinds", "watercourse"), ("water_kinds", "waterbody")],
)
def test_class_tables_are_valid(name: str, table: str) -> None:
    classes = class_table(load_knowledge(name)[table])
    assert classes and all(c.color.startswith("#") and len(c.color) == 7 for c in classes)


def test_soil_classes_cover_the_input_contract() -> None:
    data = load_knowledge("soil_classes")
    ids = {c["id"]: c["main"] for c in data["class"]}
    assert ids == {
        "podzol": "sand", "eerd": "sand", "zand": "sand", "zeeklei": "clay", "rivierklei": "clay",
        "oude_klei": "clay", "veen": "peat", "moerig": "peat", "leem": "loam", "bebouwd": "built",
        "water": "water",
    }


def test_lgn_codes_of_the_contract_have_a_group() -> None:
    contract = {1, 2, 3, 4, 5, 6, 9, 11, 12, 16, 18, 19, 20, 22, 23, 25, 26, 28, 36, 37, 41, 42, 43, 45, 61}
    data = load_knowledge("lgn_classes")
    groups = {g["id"] for g in load_knowledge("vegetation_groups")["group"]}
    assert {c["code"] for c in data["class"]} == contract
    assert all(c["group"] in groups and c["nl"] and c["en"] for c in data["class"])


def _labelled(node: Any) -> bool:
    return isinstance(node, dict) and bool(node.get("nl")) and bool(node.get("en"))


def test_analysewijzer_is_complete() -> None:
    data = load_knowledge("analysewijzer")
    assert check_analysewijzer(data) == []
    assert tuple(g["id"] for g in data["goal"]) == GOALS
    layers = {e["layer"] for e in data["element"]}
    assert layers == {"soil", "water", "green"}
    for element in data["element"]:
        assert _labelled(element["label"])
        assert set(element["meaning"]) == set(GOALS), element["id"]
        assert all(_labelled(element["meaning"][g]) for g in GOALS), element["id"]
        assert element["presence"] and set(element["presence"]) <= set(PRESENCE_KEYS)


def test_analysewijzer_presence_names_exist() -> None:
    data = load_knowledge("analysewijzer")
    known = {
        "landscape": {t["id"] for t in load_knowledge("landscape_rules")["type"]},
        "seepage": {z["id"] for z in load_knowledge("seepage_rules")["zone"]},
        "vegetation": {g["id"] for g in load_knowledge("vegetation_groups")["group"]},
        "gt": {c["id"] for c in load_knowledge("groundwater_classes")["class"]},
        "structure": {c["kind"] for c in load_knowledge("structure_rules")["carrier"]},
    }
    for element in data["element"]:
        for key, values in element["presence"].items():
            if key in known:
                assert set(values) <= known[key], (element["id"], key)


def test_incomplete_analysewijzer_is_reported() -> None:
    data = load_knowledge("analysewijzer")
    data["element"][0]["meaning"].pop("veiligheid")
    data["element"][1]["meaning"]["gezondheid"] = {"nl": "alleen Nederlands"}
    problems = check_analysewijzer(data)
    assert len(problems) == 2 and "veiligheid" in problems[0] and "gezondheid" in problems[1]


def test_rules_and_carriers_have_texts() -> None:
    for rule in load_knowledge("landscape_rules")["rule"] + load_knowledge("seepage_rules")["rule"]:
        assert rule["id"] and rule["nl"] and rule["en"]
    for carrier in load_knowledge("structure_rules")["carrier"]:
        assert carrier["description_nl"] and carrier["description_en"] and carrier["components"]


@pytest.mark.parametrize(
    "key",
    [f"products.baseinfo.{p}" for p in ("elevation", "soil", "groundwater", "seepage", "water", "green",
                                        "landscape", "structure_carriers", "analysewijzer")]
    + [f"baseinfo.maps.{m}.{part}" for m in ("elevation", "relief", "soil_main", "soil_classes", "gt", "ghg",
                                             "seepage", "water", "vegetation", "nature", "landscape",
                                             "structure_carriers") for part in ("title", "description")],
)
def test_catalogue_keys(key: str) -> None:
    assert has_key(key)
