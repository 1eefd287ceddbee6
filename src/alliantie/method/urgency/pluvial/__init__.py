"""Pluvial flooding (*wateroverlast*, step 1 *Urgentie*): cloudbursts (*wolkbreuken*) on the elevation model.

The standard events of the Klimaateffectatlas (70 and 140 mm in 2 hours,
``rain_events.toml``) are scaled to each climate scenario of the dossier by
about 14 % per degree of summer warming (:mod:`.events`). Per cell the runoff
is the rain minus infiltration on the unpaved part and sewer capacity on the
paved part (:mod:`.runoff`, ``infiltration.toml``, typed in :mod:`.knowledge`).
The hydrology engine routes it over the DEM with raised buildings
(fill-spill-merge, D8 flow paths); :mod:`.analysis` turns the result into
bluespots (*blauwe plekken*), water depths, flow paths, buildings with water
against the facade (*gevel*) or above floor level (*vloerpeil*) and impassable
roads, :mod:`.counts` into counts per neighbourhood (*buurt*). :mod:`.outputs`
writes the files, ``summary.json`` and maps, :mod:`.tables` the severity
rasters, indicators and tables of the theme. :mod:`.product` is the dossier
product ``urgency.pluvial``; :mod:`.standalone` serves ``alliantie bluespots``
outside a dossier.
"""
