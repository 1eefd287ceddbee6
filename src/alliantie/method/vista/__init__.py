"""Step 3, *Vergezicht* (vista): the guide model per landscape zone and the suitability of the measure groups."""
