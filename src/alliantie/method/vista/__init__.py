"""Step 3, *Vergezicht* (vista): guide models per landscape zone, suitability of the measure groups,
and the effect engine's dossier baseline and evaluation (``baseline``, ``evaluation``)."""
