"""Suitability rules on synthetic variables: every cell a class, ordered classes move the right way with groundwater."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from alliantie.knowledge.soil_classes import SoilClasses
from alliantie.method.baseinfo.classes import codes
from alliantie.method.baseinfo.knowledge import LandscapeRules, SeepageRules, StructureRules, VegetationGroups
from alliantie.method.vista.suitability.analysis import NO_CARRIER, classify_groups, most_telling
from alliantie.method.vista.suitability.knowledge import SuitabilityRules

RULES = SuitabilityRules.load()
CATS = {
    "main": codes(SoilClasses.load().main),
    "landscape": codes(LandscapeRules.load().type),
    "landuse": codes(VegetationGroups.load().group),
    "seepage": codes(SeepageRules.load().zone),
    "carrier": {NO_CARRIER: 0, **{c.kind: i for i, c in enumerate(StructureRules.load().carrier, start=1)}},
}
NUMERIC = ("ghg", "glg", "slope", "relief", "building", "built_share", "bluespot", "bluespot_distance",
           "stream_distance", "flood_depth", "wildfire")


def random_variables(shape: tuple[int, int], seed: int = 3) -> dict[str, np.ndarray]:
    """Every variable of the rules, drawn independently (all combinations occur on a large enough grid)."""
    rng = np.random.default_rng(seed)
    out = {name: rng.choice(list(lookup.values()), size=shape).astype(np.uint8) for name, lookup in CATS.items()}
    out.update({
        "ghg": rng.uniform(-0.1, 4.0, shape), "glg": rng.uniform(0.5, 5.0, shape), "slope": rng.uniform(0, 15, shape),
        "relief": rng.uniform(-2, 2, shape), "building": rng.integers(0, 2, shape).astype(float),
        "built_share": rng.uniform(0, 1, shape), "bluespot": rng.integers(0, 2, shape).astype(float),
        "bluespot_distance": rng.uniform(0, 200, shape), "stream_distance": rng.uniform(0, 800, shape),
        "flood_depth": rng.choice([0.0, 0.3, 1.2], shape), "wildfire": rng.uniform(0, 100, shape),
    })
    out["bluespot_distance"] = np.where(out["bluespot"] > 0, 0.0, out["bluespot_distance"])
    return {k: v.astype(np.float32) if k in NUMERIC else v for k, v in out.items()}


def test_every_group_gives_every_cell_a_class_in_0_to_5() -> None:
    variables = random_variables((120, 120))
    valid = np.ones((120, 120), dtype=bool)
    valid[:10] = False
    for result in classify_groups(RULES, variables, CATS, valid):
        assert result.classes.dtype == np.uint8
        assert set(np.unique(result.classes)) <= set(range(6)), result.group.id
        assert (result.fired[valid] >= 0).all(), f"{result.group.id}: a valid cell no rule decided"
        assert (result.classes[~valid] == 0).all()


def test_a_nan_groundwater_still_gets_a_class() -> None:
    variables = random_variables((30, 30))
    variables["ghg"][:] = np.nan
    for result in classify_groups(RULES, variables, CATS, np.ones((30, 30), dtype=bool)):
        assert (result.fired >= 0).all(), result.group.id


def _along_groundwater(group: str, depths: np.ndarray) -> np.ndarray:
    """Classes of ``group`` with every other variable drawn at random per row and the GHG rising along each row."""
    rows = 400
    variables = random_variables((rows, 1), seed=11)
    variables = {k: np.repeat(v, len(depths), axis=1) for k, v in variables.items()}
    variables["ghg"] = np.tile(depths.astype(np.float32), (rows, 1))
    (result,) = [r for r in classify_groups(RULES, variables, CATS, np.ones(variables["ghg"].shape, bool))
                 if r.group.id == group]
    return result.classes.astype(int)


@pytest.mark.parametrize("group", ["infiltration_surface", "unpaving"])
def test_deeper_groundwater_never_lowers_infiltration_suitability(group: str) -> None:
    classes = _along_groundwater(group, np.linspace(0.0, 4.0, 41))
    applicable = classes > 0
    # along a row only the GHG changes: where the group applies its class never drops
    assert (np.diff(np.where(applicable, classes, 0), axis=1)[applicable[:, 1:] & applicable[:, :-1]] >= 0).all()
    assert (classes[:, 0][applicable[:, 0]] <= classes[:, -1][applicable[:, -1]]).all()
    assert (np.diff(classes, axis=1) > 0).any()  # and it does respond


def test_shallower_groundwater_never_lowers_open_water_suitability() -> None:
    classes = _along_groundwater("open_water", np.linspace(0.0, 4.0, 41))
    assert (np.diff(classes, axis=1) <= 0).all()
    assert (np.diff(classes, axis=1) < 0).any()


def test_the_most_telling_groups_are_those_that_tell_apart() -> None:
    variables = random_variables((60, 60))
    valid = np.ones((60, 60), dtype=bool)
    results = classify_groups(RULES, variables, CATS, valid)
    shown = most_telling(results, valid, 4)
    assert len(shown) == 4
    uniform = [r for r in results if len(np.unique(r.classes)) == 1]
    assert not set(id(r) for r in uniform) & set(id(r) for r in shown)


def test_rule_texts_are_bilingual_and_sourced() -> None:
    for group, rule in itertools.chain.from_iterable(((g, r) for r in g.rule) for g in RULES.groups):
        assert rule.nl.strip() and rule.en.strip() and rule.source.strip(), f"{group.id}/{rule.id}"
