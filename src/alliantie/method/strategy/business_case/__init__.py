"""``strategy.business_case``: costs and benefits of the dossier's measure set per party and per place (step 5)."""
