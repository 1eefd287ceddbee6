"""``vista.guide_models``: the applicable guide model (gidsmodel) per landscape zone, and the city where it is dense."""
