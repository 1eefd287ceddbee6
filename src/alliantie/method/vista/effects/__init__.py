"""``vista.effects``: the dossier's sketch of measures (input ``sketch``) through the effect engine."""
