"""Step 3, *Vergezicht* (vista): guide models, suitability and the effect of measures."""
