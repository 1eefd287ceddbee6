"""One storey height in the knowledge base (issue 10 item 8): flood's dry storeys and heat's residents per storey."""

from __future__ import annotations

from alliantie.knowledge import load_knowledge


def test_flood_and_heat_use_the_same_sourced_storey_height() -> None:
    flood = load_knowledge("flood")["storey"]
    heat = load_knowledge("heat")["exposure"]
    assert flood["height_m"] == heat["storey_height_m"] == 2.65
    assert "Rijkswaterstaat" in flood["source"] and "Rijkswaterstaat" in heat["source"]
