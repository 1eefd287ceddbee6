"""The public services ``alliantie fetch`` downloads from: endpoints, collections, licences.

Endpoints as PDOK publishes them (checked 2026): the OGC API Features of the BAG
(``api.pdok.nl/kadaster/bag/ogc/v2``), BGT (``api.pdok.nl/lv/bgt/ogc/v1``) and CBS wijken en buurten
(``api.pdok.nl/cbs/wijken-en-buurten-<year>/ogc/v1``), the AHN WCS (``service.pdok.nl/rws/ahn/wcs/v1_0``,
coverage ``dtm_05m``) and the BRO Bodemkaart download (``service.pdok.nl/bzk/bro-bodemkaart/atom``). The
licence written into the provenance is the one the service states (the ``license`` link of an OGC API's
``/collections``) when it states one; otherwise the default below, with where it comes from.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Licence:
    """A licence as recorded in the provenance: its name, its text's address and who says so."""

    name: str
    url: str
    source: str


@dataclass(frozen=True)
class FeatureSource:
    """An OGC API Features service and the collections fetched from it, each into a layer of one GeoPackage."""

    key: str
    title: str
    api: str
    collections: tuple[str, ...]
    file: str
    licence: Licence
    #: ``(input of dossier.toml, collection)`` pairs: the lines printed for ``[inputs]``
    inputs: tuple[tuple[str, str], ...] = ()
    #: the whole file as the dossier's land use, read with this code list (``landuse = { path, codes }``)
    landuse_codes: str | None = None


@dataclass(frozen=True)
class CoverageSource:
    """A WCS coverage fetched as GeoTIFF tiles of ``tile_m`` metres at ``res_m`` (a folder of tiles)."""

    key: str
    title: str
    url: str
    coverage: str
    res_m: float
    tile_m: float
    folder: str
    licence: Licence
    input: str


@dataclass(frozen=True)
class FileSource:
    """A national file downloaded whole (resumable), then clipped to the area into a GeoPackage layer."""

    key: str
    title: str
    url: str
    layer: str
    file: str
    licence: Licence
    input: str


PDM = Licence("Public Domain Mark 1.0", "https://creativecommons.org/publicdomain/mark/1.0/deed.nl",
              "the license link of api.pdok.nl/kadaster/bag/ogc/v2/collections (PDOK, 2026)")
CC0 = Licence("CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/deed.nl",
              "AHN: open data, CC0 (AHN / PDOK dataset page); not read from the WCS itself")
CC_BY = Licence("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/deed.nl",
                "CBS open data: CC BY 4.0, cite 'CBS' (license link of api.pdok.nl/cbs/... collections)")
UNSTATED = Licence("as stated by the service", "https://www.pdok.nl",
                   "not stated in the response; see the dataset's page on pdok.nl (not verified here)")

BAG = FeatureSource(
    key="bag", title="BAG panden (Kadaster)", api="https://api.pdok.nl/kadaster/bag/ogc/v2",
    collections=("pand",), file="bag.gpkg", licence=PDM, inputs=(("buildings", "pand"),),
)
BGT = FeatureSource(
    key="bgt", title="BGT (Basisregistratie Grootschalige Topografie)", api="https://api.pdok.nl/lv/bgt/ogc/v1",
    collections=("pand", "wegdeel", "waterdeel", "begroeidterreindeel", "onbegroeidterreindeel"),
    file="bgt.gpkg", licence=UNSTATED, inputs=(("waterbodies", "waterdeel"),), landuse_codes="bgt",
)


def cbs(year: int) -> FeatureSource:
    """CBS wijken en buurten of ``year`` (one API per year on PDOK)."""
    return FeatureSource(
        key="cbs", title=f"CBS wijken en buurten {year}", api=f"https://api.pdok.nl/cbs/wijken-en-buurten-{year}/ogc/v1",
        collections=("buurten",), file=f"cbs_wijken_buurten_{year}.gpkg", licence=CC_BY,
        inputs=(("neighbourhoods", "buurten"),),
    )


AHN = CoverageSource(
    key="ahn", title="AHN DTM 0.5 m (maaiveld)", url="https://service.pdok.nl/rws/ahn/wcs/v1_0",
    coverage="dtm_05m", res_m=0.5, tile_m=1000.0, folder="ahn", licence=CC0, input="dem",
)
BRO = FileSource(
    key="bro", title="BRO Bodemkaart (SGM)",
    url="https://service.pdok.nl/bzk/bro-bodemkaart/atom/downloads/BRO_DownloadBodemkaart.gpkg",
    layer="soilarea", file="bro_bodemkaart.gpkg", licence=UNSTATED, input="soil",
)
#: LGN: open data since 2023, but downloaded from the WUR website after registration; no public address.
LGN_PAGE = ("https://www.wur.nl/nl/onderzoek-resultaten/onderzoeksinstituten/environmental-research/"
            "faciliteiten-producten/kaarten-en-gis-bestanden/landelijk-grondgebruik-nederland.htm")
