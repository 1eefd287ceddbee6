"""Trend view (*trendweergave*, step 1 *Urgentie*): every climate-effect theme in every climate scenario, side by side.

The four theme products (flood, pluvial, drought, heat) each leave severity
rasters (classes 0-3 per scenario) and per-neighbourhood indicators behind
(:mod:`alliantie.contract.theme`). This product only reads them and lays
them out for comparison; it computes no science of its own:

* ``trend.json`` (:class:`TrendData`): the scenarios, the themes with their
  indicators (labels, units), the indicator values per neighbourhood and
  scenario, per theme × scenario the severity raster as a path relative to
  this folder (``../urgency.heat/severity_Hd2050.tif``) and the area share per
  severity class, for the study area and per neighbourhood. A web viewer can
  switch theme and scenario from this file alone.
* ``trend.png``: small multiples, rows = themes, columns = scenarios, each a
  small severity map in the shared colours of :data:`alliantie.contract.theme.SEVERITY_COLORS`.
* ``tables.json``: the share of the area with moderate or high severity per
  theme × scenario, and per theme its key indicator (the first the theme
  lists) per neighbourhood × scenario.

A theme that was not computed, or a scenario for which a theme had no sourced
climate number (``ThemeSummary.missing``), is shown as "no data", never guessed.
A theme that writes ``current`` only (it does not change with the climate in
its computation) shows today's map in every scenario, marked as such.

:func:`.collect.collect` reads the theme folders into :class:`.data.TrendData`,
:mod:`.figures` draws the small multiples, :mod:`.outputs` writes the files and
tables, :func:`.product.trend` is the dossier product.
"""
