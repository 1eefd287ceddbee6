"""The demo's example workshop (``inputs/sketches.gpkg``): two syntheses of a sketch workshop, a dozen sketches each.

Written in the format of the web workshop's export (``web/export.py``): layer
``sketches`` with every sketch and the columns ``measure``, ``level``,
``comment``, ``width_m``, ``count``, ``sketch_id``, ``author_name``,
``discipline``, ``created_at`` and ``syntheses`` (names joined by ``"; "``),
and one layer per synthesis, ``synthesis_veerkracht`` and
``synthesis_regionale_economie``. The export embeds a QGIS style per layer from
the catalogue; the demo writes the data only.

What the two tables drew on the demo region (positions in the layout frame, as
:mod:`alliantie.demo.sketch` places its sketch, so both demo sizes get the same
workshop): *Veerkracht* keeps water in the brook's source area and valley,
lowers the fire danger on the moraine, raises the ditch level in the peat polder
and stores rain in the town; *Regionale economie* uses the seepage at the
moraine foot, wet crops in the polder, a lake for heat from surface water beside
the new district and rainwater as process water on the business park. The
river landscape and the sea-clay north stay unsketched, so the inspiration maps
fill them from the guide models.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import shapely.ops
from shapely.geometry import LineString, Point, box
from shapely.geometry.base import BaseGeometry

from alliantie.demo import layout as L
from alliantie.demo.layout import Frame
from alliantie.grid import RD_NEW
from alliantie.io.vector import write_vector_layers

FILE = "sketches.gpkg"
VEERKRACHT = "veerkracht"
ECONOMIE = "regionale_economie"
COLUMNS = ("measure", "level", "comment", "width_m", "count", "sketch_id", "author_name", "discipline",
           "created_at", "syntheses")

# (measure, level, comment, author, discipline, layout geometry)
_Row = tuple[str, str, str, str, str, BaseGeometry]

_VEERKRACHT: list[_Row] = [
    ("conifer_to_broadleaf", "region", "loofbos op de stuwwal: minder brandgevaar, meer grondwater", "Ilse",
     "groen", box(400, 4500, 1400, 5600)),
    ("firebreaks", "region", "brandgang tussen het bos en de dorpsrand", "Ilse", "groen",
     LineString([(2150, 2900), (2250, 4600)])),
    ("marsh_cushions", "region", "moeraskussens in het brongebied van de Valleibeek", "Joost", "water",
     box(3250, 250, 3800, 850)),
    ("brook_restoration", "region", "de beek weer laten meanderen door het beekdal", "Joost", "water",
     shapely.ops.substring(L.STREAM, 2100.0, 3400.0)),
    ("soil_organic_matter", "region", "organische stof op de dekzandakkers: de bodem als spons", "Fatima",
     "landbouw", box(7600, 500, 8700, 1150)),
    ("retention_area", "town", "waterberging in het dal van de zijbeek", "Joost", "water",
     Point(7600, 2750).buffer(180)),
    ("green_corridor", "town", "groene verbinding langs de zijbeek naar de stad", "Ilse", "groen",
     shapely.ops.substring(L.TRIBUTARY, 2000.0, 4200.0)),
    ("wadi", "neighbourhood", "wadi in de groenstrook van de Oostwijk", "Pieter", "stad",
     Point(6100, 4480).buffer(45)),
    ("water_square", "neighbourhood", "waterplein op het marktplein", "Pieter", "stad",
     box(5190, 4150, 5270, 4220)),
    ("park", "neighbourhood", "park in de Westwijk als koele plek en berging", "Pieter", "stad",
     Point(4300, 4450).buffer(120)),
    ("retention_pond", "neighbourhood", "waterbuffer aan de rand van Waterrijk", "Joost", "water",
     Point(6700, 5000).buffer(90)),
    ("raised_ditch_level", "region", "hoger slootpeil tegen bodemdaling in de oostelijke polder", "Fatima",
     "landbouw", box(5800, 6400, 7000, 7300)),
]

_ECONOMIE: list[_Row] = [
    ("seepage_use", "region", "kwelwater aan de voet van de stuwwal als schoon proceswater", "Marco", "economie",
     box(3000, 1500, 3450, 2300)),
    ("extra_open_water", "town", "plas bij Waterrijk: warmte uit oppervlaktewater (TEO) voor de wijk", "Marco",
     "energie", Point(7000, 5250).buffer(80)),
    ("urban_wetland", "town", "helofytenfilter bij het bedrijventerrein: zuiveren en koelwater", "Sanne",
     "water", Point(7500, 4350).buffer(70)),
    ("raised_ditch_level", "region", "lisdoddeteelt (natte teelt) bij een hoger peil", "Fatima", "landbouw",
     box(3000, 6900, 3700, 7600)),
    ("weir_level_management", "region", "stuwen: water vasthouden voor beregening in droge zomers", "Fatima",
     "landbouw", box(8600, 2700, 9400, 3200)),
    ("green_roof", "neighbourhood", "daktuinen voor stadslandbouw op de bedrijfshallen", "Sanne", "economie",
     box(6800, 3700, 7200, 4000)),
    ("blue_green_roof", "neighbourhood", "retentiedaken in de binnenstad: minder rioolkosten", "Pieter", "stad",
     box(5350, 4350, 5450, 4450)),
    ("rainwater_tank", "neighbourhood", "regenwater als proceswater voor de wasstraat", "Sanne", "economie",
     Point(7300, 3900)),
    ("tiny_forest", "neighbourhood", "voedselbos bij de school in de Zuidwijk", "Pieter", "stad",
     Point(5200, 3700).buffer(40)),
    ("park", "town", "stadsrandpark met pluktuin aan de westkant", "Ilse", "groen",
     Point(3700, 4300).buffer(110)),
    ("retention_area", "region", "piekberging op boerenland als betaalde blauwe dienst", "Fatima", "landbouw",
     box(6000, 2300, 6500, 2700)),
    ("submerged_drainage", "region", "onderwaterdrainage: langer weiden, minder bodemdaling", "Fatima", "landbouw",
     box(7500, 6000, 8300, 6700)),
]

#: Sketches that both tables put in their synthesis (index in _VEERKRACHT).
_SHARED = (4, 11)


def workshop_frames(frame: Frame) -> dict[str, gpd.GeoDataFrame]:
    """The layers of the example ``sketches.gpkg``: ``sketches`` and one per synthesis (in real coordinates)."""
    rows: list[dict[str, object]] = []
    shapes: list[BaseGeometry] = []
    sid = 0
    for synthesis, table in ((VEERKRACHT, _VEERKRACHT), (ECONOMIE, _ECONOMIE)):
        for i, (measure, level, comment, author, discipline, geometry) in enumerate(table):
            sid += 1
            names = [synthesis] + ([ECONOMIE] if synthesis == VEERKRACHT and i in _SHARED else [])
            rows.append({
                "measure": measure, "level": level, "comment": comment, "width_m": float("nan"),
                "count": 1.0 if geometry.geom_type == "Point" else float("nan"), "sketch_id": str(sid),
                "author_name": author, "discipline": discipline,
                # fixed times: the same demo gives the same file
                "created_at": f"2026-03-12T{9 + sid // 6:02d}:{(sid * 7) % 60:02d}:00+01:00",
                "syntheses": "; ".join(names),
            })
            shapes.append(frame.geom(geometry))
    sketches = gpd.GeoDataFrame(rows, columns=list(COLUMNS), geometry=shapes, crs=RD_NEW)
    out = {"sketches": sketches}
    for name in (VEERKRACHT, ECONOMIE):
        member = sketches["syntheses"].map(lambda v, n=name: n in [p.strip() for p in str(v).split(";")])
        out[f"synthesis_{name}"] = sketches[member.to_numpy(dtype=bool)].reset_index(drop=True)
    return out


def write_workshop(path: Path, frame: Frame) -> Path:
    """Write the example workshop export to ``path`` (``inputs/sketches.gpkg``)."""
    layers = [(name, layer, "Unknown", None) for name, layer in workshop_frames(frame).items()]
    return write_vector_layers(path, layers)
