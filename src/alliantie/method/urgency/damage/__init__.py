"""Costs of doing nothing (issue 5, *kosten van niets doen*): damage per theme, expected annual damage, the NPV
range (CliCo), incidents.

The dossier product (:func:`.product.damage`) reads the saved step 1 theme products and

* values pluvial flooding (*wateroverlast*) per case (event x scenario) with the STOWA
  WaterSchadeSchatter (:mod:`alliantie.damage.pluvial`): land use and buildings
  with water above floor level, the expected annual damage (EAD, *verwachte jaarlijkse
  schade*) per scenario with the selected integration rule and the others as a sensitivity line;
* values the dike breach (*dijkdoorbraak*) of the flood product as an incident (buildings with the
  JRC depth-damage curves to 6 m, land use with the WSS table,
  :mod:`alliantie.damage.flood`) and, with a breach probability, as an annual damage;
* takes heat and drought from ``alliantie.damage.heat`` / ``.drought`` (drought is optional:
  without the drought product it has no data);
* per theme and scenario discounts the damage path from ``start_year`` to the
  horizon (year 0 undiscounted), price-indexed to ``price_year``: the total and
  the extra damage of climate change (scenario - today's climate, as CliCo);
  and ranges it over low/mean/high amounts x integration rules x scenarios with
  what drives the range (:func:`alliantie.damage.sensitivity_range`).

Modules: :mod:`.knowledge` (the knowledge files read once), :mod:`.inputs` (the
:class:`~.inputs.DamageInputs` bundle: knowledge, coefficients, grid, rasters,
buildings, parameters), :mod:`.valuers` (one valuer per theme, the ``VALUERS``
registry), :mod:`.present_value` (the NPV per scenario and its range),
:mod:`.wording` (labels and the driver sentence), :mod:`.tables` and
:mod:`.outputs` (figure, ``damage.json`` through :mod:`alliantie.contract.damage`,
the EAD raster and map), :mod:`.product`. See ``docs/costs.md``.
"""
