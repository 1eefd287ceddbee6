"""``vista.suitability``: per measure group an ordinal suitability class per cell, and the rule that decided it."""
