"""Expert corrections of the demo's vulnerability map: a few plausible polygons from the demo's own layout.

The corrections are placed in layout coordinates (see :mod:`alliantie.demo.layout`)
and mapped onto the grid of each demo size, so they land on the same streets
and parks in the small and the default demo. They show every part of the
workflow: a water-board specialist raises pluvial flooding in a wet street of
the new district, a municipal ecologist removes heat stress in the town park,
a forester confirms drought on the push moraine, and a later correction of the
sewer engineer replaces part of the first one (kept in the history as
superseded). People and events are invented.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import LineString, Point

from alliantie.demo import layout as L
from alliantie.demo.layout import SIZES, DemoSizeName, Frame
from alliantie.grid import RD_NEW
from alliantie.io.vector import write_vector

LAYER = "corrections"
FILE = "corrections.gpkg"


def corrections_frame(frame: Frame) -> gpd.GeoDataFrame:
    """The demo corrections in real coordinates of ``frame`` (columns of the corrections layer)."""
    wx, wy = L.WET_SPOT
    wet_street = LineString([(wx - 260.0, wy - 90.0), (wx + 220.0, wy + 70.0)]).buffer(45.0)
    sewer_part = shapely.box(wx - 20.0, wy - 120.0, wx + 260.0, wy + 120.0).intersection(wet_street)
    park = Point(5650.0, 4150.0).buffer(110.0)  # "Stadspark" of demo.town.PARKS_LAYOUT
    moraine = shapely.box(L.MORAINE_CREST_X0 - 450.0, 2400.0, L.MORAINE_CREST_X0 + 450.0, 3600.0)
    rows = [
        ("pluvial", "raise", 3, "",
         "Bij de wolkbreuk van 18 juni 2024 stond hier tot 30 cm water op straat en liepen drie kelders vol; "
         "het gemaal kan de piek niet aan.",
         "M. de Wit (waterschap, stedelijk water)", "2025-11-04", wet_street),
        ("heat", "remove", None, "",
         "Hittewandeling juli 2025: het Stadspark is 's middags 3-4 °C koeler dan de straten eromheen "
         "(oude bomen met brede kronen, vijver); geen hittestress.",
         "J. Bakker (gemeente, groen en ecologie)", "2026-01-20", park),
        ("drought", "confirm", None, "",
         "Bevestigd: de bossen op de stuwwal hadden droogteschade in 2018, 2020 en 2022 (sterfte van fijnspar "
         "en beuk).",
         "A. Jansen (boswachter, Utrechts Landschap)", "2026-02-10", moraine),
        ("pluvial", "lower", 2, "",
         "Oostelijk deel: riool in 2025 vergroot en een wadi aangelegd; blijft matig, niet meer ernstig.",
         "R. Visser (gemeente, riolering)", "2026-03-02", sewer_part),
    ]
    theme, action, level, scenario, reason, author, date, geoms = zip(*rows, strict=True)
    return gpd.GeoDataFrame(
        {"theme": list(theme), "action": list(action),
         "level": pd.array(list(level), dtype="Int64"),
         "scenario": list(scenario), "reason": list(reason), "author": list(author), "date": list(date)},
        geometry=[frame.geom(g) for g in geoms], crs=RD_NEW)


def write_corrections(path: str | Path, size: DemoSizeName = "default") -> Path:
    """Write the demo corrections for demo ``size`` as GeoPackage ``path`` (layer ``corrections``)."""
    return write_vector(path, corrections_frame(Frame(SIZES[size])), layer=LAYER)
