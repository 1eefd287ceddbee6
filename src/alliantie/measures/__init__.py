"""The effect engine of step 3: what a set of measures does to every hazard and its damage.

Knows no dossier: a :class:`~alliantie.measures.baseline.Baseline` (arrays and
tables of the saved step 1 results, built by the step that knows the dossier)
and a :class:`~alliantie.measures.sketch.Sketch` (measures of the catalogue
placed as features) go in, :class:`~alliantie.measures.evaluate.Effects` come
out::

    effects = evaluate(baseline, sketch)

Modules, one job each: ``sketch`` (a GeoDataFrame checked against the
catalogue), ``placement`` (features onto the grid), ``pluvial`` (storage,
infiltration, paving and terrain in the runoff and fill-spill-merge; thresholds
on the buildings), ``drought`` (groundwater, subsidence, foundations, crops and
wildfire on the measures' cells), ``flood`` (breach probability after dike
works, dry floors after floodproofing), ``floodproof`` (the thresholds rule of
both), ``costs`` (investment, maintenance and replacement as
present value), ``evaluate`` (all themes, per feature and in total).
"""
