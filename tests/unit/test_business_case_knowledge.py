"""business_case.toml and [parameters.business_case]: shares sum to one, every measure has a payer, every benefit
a beneficiary, every number a source; a dossier's own shares replace the defaults and are checked the same way."""

from __future__ import annotations

import tomllib

import pytest
from pydantic import ValidationError

from alliantie.errors import ConfigError
from alliantie.knowledge import knowledge_file, load_knowledge
from alliantie.knowledge.measures import THEMES, MeasureCatalogue
from alliantie.method.strategy.business_case.knowledge import CO_BENEFITS, BusinessCaseKnowledge
from alliantie.parameters.business_case import PARTIES, BusinessCaseParameters


@pytest.fixture(scope="module")
def knowledge() -> BusinessCaseKnowledge:
    return BusinessCaseKnowledge.load()


def test_every_row_of_shares_sums_to_one(knowledge):
    rows = [r.shares for r in knowledge.cost_bearers] + [r.shares for r in knowledge.benefits]
    assert len(rows) > 20
    for shares in rows:
        assert sum(shares.values()) == pytest.approx(1.0, abs=1e-9)
        assert set(shares) <= set(PARTIES) and all(0 <= v <= 1 for v in shares.values())


def test_every_measure_has_a_payer_and_every_benefit_a_beneficiary(knowledge):
    catalogue = MeasureCatalogue.load()
    keys = {r.key for r in knowledge.cost_bearers}
    for m in catalogue.measures:
        assert m.id in keys or m.group in keys, f"no cost_bearer row for {m.id} (group {m.group})"
        assert sum(knowledge.cost_shares(m).values()) == pytest.approx(1.0)
    benefits = {r.id for r in knowledge.benefits}
    assert {f"avoided_{t}" for t in THEMES} | set(CO_BENEFITS) <= benefits
    # the groups the co-benefit values name exist in the catalogue
    groups = {m.group for m in catalogue.measures}
    named = {g for u in knowledge.property_value.uplift for g in u.groups}
    named |= {g for c in knowledge.fine_dust.capture for g in c.groups}
    assert named <= groups


def test_every_row_has_a_source_and_estimates_say_so(knowledge):
    for row in [*knowledge.cost_bearers, *knowledge.benefits]:
        if row.estimate:
            assert row.source.startswith("alliantie estimate"), row.source
    raw = tomllib.loads(knowledge_file("business_case").read_text(encoding="utf-8"))
    assert all("source" in r for r in raw["cost_bearer"] + raw["benefit"] + raw["not_valued"])
    assert knowledge.parties[0].nl == "Gemeente" and [p.id for p in knowledge.parties] == list(PARTIES)


def test_a_row_that_does_not_sum_to_one_is_refused():
    data = load_knowledge("business_case")
    data["benefit"][0]["shares"] = {"insurers": 0.5, "municipality": 0.4}
    with pytest.raises(ConfigError) as exc:
        BusinessCaseKnowledge.parse(data)
    assert "must add up to 1" in str(exc.value.params)


def test_the_dossier_replaces_and_checks_shares(knowledge):
    catalogue = MeasureCatalogue.load()
    wadi = catalogue.get("wadi")
    assert wadi is not None
    params = BusinessCaseParameters(cost_bearers={"wadi": {"municipality": 0.7, "water_board": 0.3}},
                                    beneficiaries={"avoided_pluvial": {"insurers": 1.0}})
    assert knowledge.cost_shares(wadi, params.cost_bearers) == {"municipality": 0.7, "water_board": 0.3}
    assert knowledge.cost_shares(wadi) == {"municipality": 1.0}
    assert knowledge.benefit_shares("avoided_pluvial", params.beneficiaries) == {"insurers": 1.0}
    with pytest.raises(ValidationError, match="must add up to 1"):
        BusinessCaseParameters(beneficiaries={"avoided_heat": {"insurers": 0.5}})
    with pytest.raises(ValidationError):
        BusinessCaseParameters(cost_bearers={"wadi": {"the_king": 1.0}})
    with pytest.raises(ValidationError, match="headline_horizon_years"):
        BusinessCaseParameters(horizons_years=[60])
    assert BusinessCaseParameters().discount_presets == ["standard", "rate_2015", "rate_2007"]
