"""The step 2 knowledge files are complete: sources, class tables, the analysewijzer, texts."""

from __future__ import annotations

from pathlib import Path

import pytest

from alliantie.contract.classes import class_table
from alliantie.errors import ConfigError
from alliantie.i18n import has_key
from alliantie.knowledge import knowledge_file, load_knowledge
from alliantie.knowledge.land_use import LgnClasses
from alliantie.knowledge.model import KnowledgeFile, Names
from alliantie.knowledge.soil_classes import SoilClasses
from alliantie.method.baseinfo.analysewijzer import check_analysewijzer
from alliantie.method.baseinfo.knowledge import (
    PRESENCE_KEYS,
    Analysewijzer,
    GroundwaterClasses,
    LandscapeRules,
    SeepageRules,
    StructureRules,
    VegetationGroups,
    WaterKinds,
)

MODELS: dict[str, type[KnowledgeFile]] = {
    m.FILE: m for m in (SoilClasses, GroundwaterClasses, SeepageRules, LgnClasses, VegetationGroups, WaterKinds,
                        LandscapeRules, StructureRules, Analysewijzer)
}
STEP2 = tuple(MODELS)
UNITS = ("groundwater_classes", "seepage_rules", "landscape_rules", "structure_rules")
GOALS = ("lokaal_leven", "veiligheid", "uitbreiding_areaal", "gezondheid", "groei_intensivering",
         "beheren_bewaren")


@pytest.mark.parametrize("name", STEP2)
def test_every_file_has_a_source(name: str) -> None:
    data = load_knowledge(name)
    assert isinstance(data.get("source"), str) and len(data["source"]) > 20
    assert MODELS[name].load().source == data["source"]


@pytest.mark.parametrize("name", UNITS)
def test_value_bearing_tables_have_a_unit(name: str) -> None:
    assert load_knowledge(name).get("unit")
    assert MODELS[name].load().model_dump()["unit"] == load_knowledge(name)["unit"]


@pytest.mark.parametrize(("name", "field"), [(n, "source") for n in STEP2] + [(n, "unit") for n in UNITS])
def test_every_table_keeps_its_unit_and_source(name: str, field: str) -> None:
    """A file without its source (or, for numbers, its unit) does not fit its model: the error names both."""
    data = load_knowledge(name)
    del data[field]
    with pytest.raises(ConfigError) as info:
        MODELS[name].parse(data, path=f"eigen_{name}.toml")
    message = info.value.message("en")
    assert info.value.key == "errors.knowledge_invalid"
    assert f"eigen_{name}.toml" in message and f"{field}: Field required" in message


@pytest.mark.parametrize(
    ("model", "table"),
    [(SoilClasses, "classes"), (SoilClasses, "main"), (GroundwaterClasses, "classes"), (SeepageRules, "zone"),
     (VegetationGroups, "group"), (LandscapeRules, "type"), (WaterKinds, "watercourse"), (WaterKinds, "waterbody")],
)
def test_class_tables_are_valid(model: type[KnowledgeFile], table: str) -> None:
    classes = class_table(getattr(model.load(), table))
    assert classes and all(c.color.startswith("#") and len(c.color) == 7 for c in classes)


def test_soil_classes_cover_the_input_contract() -> None:
    assert SoilClasses.load().main_of() == {
        "podzol": "sand", "eerd": "sand", "zand": "sand", "zeeklei": "clay", "rivierklei": "clay",
        "oude_klei": "clay", "veen": "peat", "moerig": "peat", "leem": "loam", "bebouwd": "built",
        "water": "water",
    }


def test_lgn_codes_of_the_contract_have_a_group() -> None:
    contract = {1, 2, 3, 4, 5, 6, 9, 11, 12, 16, 18, 19, 20, 22, 23, 25, 26, 28, 36, 37, 41, 42, 43, 45, 61}
    data = LgnClasses.load()
    groups = {g.id for g in VegetationGroups.load().group}
    assert {c.code for c in data.classes} == contract
    assert all(c.group in groups and c.nl and c.en for c in data.classes)


def _labelled(node: Names | None) -> bool:
    return node is not None and bool(node.nl) and bool(node.en)


def test_analysewijzer_is_complete() -> None:
    data = Analysewijzer.load()
    assert check_analysewijzer(data) == []
    assert tuple(g.id for g in data.goal) == GOALS
    layers = {e.layer for e in data.element}
    assert layers == {"soil", "water", "green"}
    for element in data.element:
        assert _labelled(element.label)
        assert set(element.meaning) == set(GOALS), element.id
        assert all(_labelled(element.meaning[g]) for g in GOALS), element.id
        assert element.presence and set(element.presence) <= set(PRESENCE_KEYS)


def test_analysewijzer_presence_names_exist() -> None:
    data = Analysewijzer.load()
    known = {
        "landscape": {t.id for t in LandscapeRules.load().type},
        "seepage": {z.id for z in SeepageRules.load().zone},
        "vegetation": {g.id for g in VegetationGroups.load().group},
        "gt": {c.id for c in GroundwaterClasses.load().classes},
        "structure": {c.kind for c in StructureRules.load().carrier},
    }
    for element in data.element:
        for key, values in element.presence.items():
            if key in known:
                assert isinstance(values, list) and set(values) <= known[key], (element.id, key)


def test_incomplete_analysewijzer_is_reported() -> None:
    data = load_knowledge("analysewijzer")
    data["element"][0]["meaning"].pop("veiligheid")
    data["element"][1]["meaning"]["gezondheid"] = {"nl": "alleen Nederlands", "en": ""}
    problems = check_analysewijzer(Analysewijzer.parse(data))
    assert len(problems) == 2 and "veiligheid" in problems[0] and "gezondheid" in problems[1]


@pytest.mark.parametrize(
    ("model", "old", "new", "field"),
    [
        # a class table: a colour that is no colour, a code twice
        (WaterKinds, 'color = "#9ecae1"', 'color = "blue"', "waterbody.1.color"),
        (VegetationGroups, 'id = "forest_coniferous"\ncode = 2', 'id = "forest_coniferous"\ncode = 1',
         "group: Value error, class table has duplicate code 1"),
        # a rule table: a number as text, an unknown kind of condition, a limit that is no parameter, no class
        (GroundwaterClasses, "when = { glg_max = 0.50 }", 'when = { glg_max = "0.5" }', "class.0.when"),
        (LandscapeRules, "height_above_low_min = 8.0", "height_above_low_between = 8.0", "rule.2.when"),
        (StructureRules, 'close_m = "{corridor_buffer_m}"', 'close_m = "corridor_buffer_m"', "carrier.3.close_m"),
        (SeepageRules, 'id = "K1"\nclass = ', 'id = "K1"\nklasse = ', "rule.0.class: Field required"),
        # the analysewijzer: an unknown layer, a presence nobody can find, a meaning without English
        (Analysewijzer, 'id = "veen"\nlayer = "soil"', 'id = "veen"\nlayer = "lucht"', "element.2.layer"),
        (Analysewijzer, 'presence = { landscape = ["stuwwal"] }', 'presence = { bodem = ["stuwwal"] }',
         "element.0.presence.bodem"),
        (Analysewijzer, 'gezondheid = { nl = "Goede infiltratie; kwetsbaar voor uitspoeling van nitraat.", '
                        'en = "Good infiltration; vulnerable to nitrate leaching." }',
         'gezondheid = { nl = "alleen Nederlands" }', "element.1.meaning.gezondheid.en: Field required"),
        # the shared files: an LGN code as text, a soil class of an unknown main class
        (LgnClasses, 'code = 1\nnl = "Agrarisch gras"', 'code = "1"\nnl = "Agrarisch gras"', "class.0.code"),
        (SoilClasses, 'id = "podzol"\ncode = 1\nmain = "sand"', 'id = "podzol"\ncode = 1\nmain = "lava"',
         "class: Value error, unknown main classes ['lava']"),
    ],
)
def test_a_dossier_file_that_does_not_fit_names_the_file_and_the_field(
    tmp_path: Path, model: type[KnowledgeFile], old: str, new: str, field: str
) -> None:
    """A dossier's own knowledge file (``[knowledge]``) is read by the same model, and refused with file and field."""
    text = knowledge_file(model.FILE).read_text(encoding="utf-8")
    assert old in text
    own = tmp_path / f"eigen_{model.FILE}.toml"
    own.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        model.load(own)
    message = info.value.message("en")
    assert info.value.key == "errors.knowledge_invalid"
    assert message.startswith(f"{own}: the knowledge file is not valid") and field in message, message
    assert model.load(knowledge_file(model.FILE)) == model.load()  # the shipped file fits


def test_rules_and_carriers_have_texts() -> None:
    for rule in LandscapeRules.load().rule + SeepageRules.load().rule:
        assert rule.id and rule.nl and rule.en
    for carrier in StructureRules.load().carrier:
        assert carrier.description_nl and carrier.description_en and carrier.components


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
