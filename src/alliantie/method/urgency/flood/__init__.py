"""Flood safety (*waterveiligheid*, step 1 *Urgentie*): the water depth after a dike breach (*dijkdoorbraak*),
buildings and refuges.

Per climate scenario the river level (*rivierstand*, m NAP) floods the land behind
the dike from the breach point (kernels in :mod:`alliantie.hazards.flood`), or a
given flood depth map (LIWO *maximale overstromingsdiepte*) takes its place; then
per building whether its floor stays dry, whether an upper storey stays dry
(*droge verdieping*), and the nearest refuge (*vluchtplaats*) of each building
without a dry storey.

- :mod:`.knowledge`: knowledge file ``flood.toml`` typed (LIWO depth classes, storey, floor, severity);
- :mod:`.analysis`: scenario levels, the flood per scenario, the counts per neighbourhood;
- :mod:`.outputs`: depth rasters, LIWO depth classes, severity, ``flood.gpkg``, ``theme.json`` /
  ``indicators.csv``, ``summary.json``, the maps and tables;
- :mod:`.product`: the dossier product :func:`~.product.flood`.
"""
