"""The executable *afwegingskader*: an initiative checked against the rules the dossier adopts
(``alliantie assess``, ``POST /api/assess``)."""
