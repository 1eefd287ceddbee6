"""Attribute maps and national schemas of vector inputs (issue 14): BAG, CBS, the dossier's own map, plausibility."""

from __future__ import annotations

import logging
from collections import defaultdict
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import box

from alliantie.dossier import load_dossier
from alliantie.dossier.config import input_specs
from alliantie.dossier.inspect import check_inputs
from alliantie.dossier.registry import RunCache
from alliantie.dossier.vector_checks import vector_check
from alliantie.dossier.vector_schemas import Reading, apply_schema, recognise
from alliantie.errors import ConfigError, InputDataError
from alliantie.i18n import use_language
from alliantie.io.vector import write_vector, write_vector_layers
from alliantie.knowledge.national_schemas import NationalSchemas
from alliantie.testing import small_grid, write_minimal_dossier

SCHEMAS = NationalSchemas.load()
BUILDING_TARGETS = tuple(c.name for c in input_specs()["buildings"].columns)
HOOD_TARGETS = tuple(c.name for c in input_specs()["neighbourhoods"].columns)


def _frame(n: int, **columns: object) -> gpd.GeoDataFrame:
    xmin, ymin, _xmax, _ymax = small_grid().bounds
    geoms = [box(xmin + 20 * i, ymin + 10, xmin + 20 * i + 10, ymin + 20) for i in range(n)]
    return gpd.GeoDataFrame(dict(columns), geometry=geoms, crs=small_grid().crs)


def _bag(n: int = 4, **extra: object) -> gpd.GeoDataFrame:
    return _frame(n, identificatie=[f"04761000000{i:05d}" for i in range(n)],
                  bouwjaar=[1900 + 20 * i for i in range(n)],
                  pandstatus=["Pand in gebruik"] * n, Vloerpeil_50=[0.3 + 0.1 * i for i in range(n)],
                  Vloerpeil_25=[0.2 + 0.1 * i for i in range(n)], **extra)


def _apply(gdf: gpd.GeoDataFrame, name: str = "buildings", columns: dict[str, str] | None = None,
           path: str = "b.gpkg") -> tuple[gpd.GeoDataFrame, Reading]:
    targets = BUILDING_TARGETS if name == "buildings" else HOOD_TARGETS
    with use_language("en"):
        return apply_schema(gdf, path, name=name, columns=columns, knowledge=SCHEMAS, targets=targets)


def _texts(values: pd.Series) -> list[str | None]:
    return [v if isinstance(v, str) else None for v in values.tolist()]


def test_bag_is_recognised_by_bouwjaar_and_its_floor_levels_are_used() -> None:
    out, reading = _apply(_bag())
    assert reading.schema == "bag"
    assert reading.columns == {"year": "bouwjaar", "floor_level_m": "Vloerpeil_50"}
    np.testing.assert_allclose(out["year"], [1900, 1920, 1940, 1960])
    np.testing.assert_allclose(out["floor_level_m"], [0.3, 0.4, 0.5, 0.6])  # m NAP, as our floor_level_m: no change
    assert "BAG buildings recognised: bouwjaar -> year, Vloerpeil_50 -> floor_level_m" in reading.notes[0]


def test_the_dossiers_own_map_wins_and_a_file_column_under_our_name_is_kept() -> None:
    out, reading = _apply(_bag(), columns={"floor_level_m": "Vloerpeil_25"})
    np.testing.assert_allclose(out["floor_level_m"], [0.2, 0.3, 0.4, 0.5])
    assert reading.columns["floor_level_m"] == "Vloerpeil_25"
    own = _bag(year=[2000, 2001, 2002, 2003])
    out, reading = _apply(own)
    np.testing.assert_allclose(out["year"], [2000, 2001, 2002, 2003])  # not replaced by bouwjaar
    assert "year" not in reading.columns


def test_a_mapped_column_the_file_lacks_is_refused_naming_the_columns_it_has() -> None:
    with pytest.raises(InputDataError) as err:
        _apply(_bag(), columns={"year": "bouw_jaar"})
    message = err.value.message("en")
    assert "bouw_jaar" in message and "b.gpkg" in message and "bouwjaar, pandstatus" in message


def test_unknown_target_of_a_column_map_is_refused_listing_the_allowed_ones(tmp_path: Path) -> None:
    toml = write_minimal_dossier(tmp_path / "d")
    write_vector(tmp_path / "d" / "inputs" / "b.gpkg", _bag(), layer="b")
    toml.write_text(toml.read_text() + 'buildings = { path = "inputs/b.gpkg", columns = { bouwjaar = "year" } }\n')
    with pytest.raises(ConfigError) as err:
        load_dossier(toml)
    message = err.value.message("en")
    assert "bouwjaar" in message and "year, height_m, function, floor_level_m, foundation" in message


def test_bag_panden_that_do_not_stand_are_dropped_and_counted() -> None:
    gdf = _bag(5)
    gdf["pandstatus"] = ["Pand in gebruik", "Pand gesloopt", "Bouwvergunning verleend", "Verbouwing pand",
                         "Pand in gebruik (niet ingemeten)"]
    out, reading = _apply(gdf)
    assert len(out) == 3 and reading.counts["status_dropped"] == 2
    assert any("2 of the 5 buildings" in w and "'Pand gesloopt': 1" in w for w in reading.warnings)


def test_bag_gebruiksdoel_becomes_our_use_class_homes_first() -> None:
    uses = ["woonfunctie", "winkelfunctie,woonfunctie", "kantoorfunctie", "overige gebruiksfunctie"]
    gdf = _bag(4, gebruiksdoel=uses)
    out, reading = _apply(gdf)
    assert _texts(out["function"]) == ["residential", "residential", "office", None]
    assert any("'overige gebruiksfunctie'" in w for w in reading.warnings)


def test_gebruiksdoel_of_the_verblijfsobjecten_in_the_same_geopackage(tmp_path: Path) -> None:
    path = tmp_path / "bag.gpkg"
    panden = _bag(3)
    vbo = _frame(4, pandidentificatie=[panden["identificatie"][0], panden["identificatie"][0],
                                       panden["identificatie"][1], "elsewhere"],
                 gebruiksdoel=["winkelfunctie", "woonfunctie", "industriefunctie", "woonfunctie"])
    write_vector_layers(path, [("pand", panden, None, None), ("verblijfsobject", vbo, None, None)])
    assert [str(layer) for layer, _ in pyogrio.list_layers(path)] == ["pand", "verblijfsobject"]
    out, reading = _apply(panden, path=str(path))
    assert _texts(out["function"]) == ["residential", "industrial", None]
    assert reading.columns["function"] == "verblijfsobject.gebruiksdoel"


def test_placeholder_years_count_as_unknown() -> None:
    gdf = _bag(4)
    gdf["bouwjaar"] = [1005, 1930, 9999, 1980]
    out, reading = _apply(gdf)
    assert out["year"].isna().tolist() == [False, False, True, False]  # 1005 is a possible year (>= 1000)
    assert reading.counts["year_placeholders"] == 1


def _cbs(new: bool = True) -> gpd.GeoDataFrame:
    if new:
        return _frame(4, buurtcode=["BU01", "BU02", "BU03", "BU04"], buurtnaam=["A", "B", "C", "D"],
                      aantal_inwoners=[1200, -99999999, 35, 800],
                      percentage_personen_65_jaar_en_ouder=[20.0, -99999999.0, -99997.0, 31.0])
    return _frame(2, BU_CODE=["BU01", "BU02"], BU_NAAM=["A", "B"], AANT_INW=[1200, 640], P_65_EO_JR=[25, 10])


def test_cbs_secrecy_codes_are_missing_never_numbers_and_percentages_become_fractions() -> None:
    out, reading = _apply(_cbs(), name="neighbourhoods")
    assert reading.schema == "cbs"
    assert out["residents"].isna().tolist() == [False, True, False, False]
    np.testing.assert_allclose(out["share_65plus"], [0.2, np.nan, np.nan, 0.31])
    assert reading.counts == {"secrecy:aantal_inwoners": 1, "secrecy:percentage_personen_65_jaar_en_ouder": 2}
    assert any("2 of the 4 values are CBS secrecy codes" in w for w in reading.warnings)
    assert out["code"].tolist() == ["BU01", "BU02", "BU03", "BU04"]


def test_cbs_wijk_en_buurtkaart_up_to_2021_is_recognised_too() -> None:
    out, reading = _apply(_cbs(new=False), name="neighbourhoods")
    assert reading.columns == {"code": "BU_CODE", "name": "BU_NAAM", "residents": "AANT_INW",
                               "share_65plus": "P_65_EO_JR"}
    np.testing.assert_allclose(out["share_65plus"], [0.25, 0.10])


def test_secrecy_codes_in_our_own_residents_column_are_missing_too() -> None:
    out, reading = _apply(_frame(2, code=["a", "b"], residents=[10.0, -99999999.0]), name="neighbourhoods")
    assert reading.schema is None and out["residents"].isna().tolist() == [False, True]


def test_a_file_of_another_schema_is_not_recognised() -> None:
    assert recognise("buildings", ["fid", "hoogte", "naam"], SCHEMAS) is None
    out, reading = _apply(_frame(2, hoogte=[3.0, 4.0]))
    assert reading.schema is None and reading.notes == [] and "year" not in out.columns


def test_a_mostly_empty_column_is_reported_with_its_share_and_default(caplog: pytest.LogCaptureFixture) -> None:
    gdf = _frame(5, year=[1950.0, np.nan, np.nan, np.nan, 1970.0])
    reading = Reading()
    with use_language("en"):
        vector_check(input_specs()["buildings"], reading=reading)(gdf, "b.gpkg")
    assert any("column 'year' is 60% empty" in w and "construction year unknown" in w for w in reading.warnings)
    with use_language("en"), caplog.at_level(logging.WARNING):
        vector_check(input_specs()["buildings"])(_frame(5, year=[1950.0, 1951.0, np.nan, 1960.0, 1970.0]), "b")
    assert "empty" not in caplog.text


def test_check_and_the_run_say_what_was_recognised(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    toml = write_minimal_dossier(tmp_path / "d")
    write_vector(tmp_path / "d" / "inputs" / "bag.gpkg", _bag(), layer="panden")
    write_vector(tmp_path / "d" / "inputs" / "cbs.gpkg", _cbs(), layer="buurten")
    toml.write_text(toml.read_text() + 'buildings = "inputs/bag.gpkg"\nneighbourhoods = "inputs/cbs.gpkg"\n')
    dossier = load_dossier(toml)
    with use_language("en"):
        lines = "\n".join(check_inputs(dossier))
    assert "BAG buildings recognised: bouwjaar -> year" in lines
    assert "CBS district and neighbourhood map recognised" in lines and "CBS secrecy codes" in lines
    cache = RunCache(dossier)
    with use_language("en"), caplog.at_level(logging.INFO):
        buildings = cache.vector("buildings")
    assert buildings is not None and "BAG buildings recognised" in caplog.text
    assert cache.readings["buildings"]["columns"] == {"year": "bouwjaar", "floor_level_m": "Vloerpeil_50"}


def test_the_column_map_is_part_of_the_cache_key(tmp_path: Path) -> None:
    from alliantie.dossier.provenance import FileHasher
    from alliantie.dossier.registry import load_products
    from alliantie.dossier.run import _describe

    toml = write_minimal_dossier(tmp_path / "d")
    write_vector(tmp_path / "d" / "inputs" / "bag.gpkg", _bag(), layer="panden")
    base = toml.read_text()
    product = next(p for p in load_products().values() if "buildings" in (*p.inputs, *p.optional_inputs))
    described = []
    for columns in ("", ', columns = { floor_level_m = "Vloerpeil_25" }'):
        toml.write_text(base + f'buildings = {{ path = "inputs/bag.gpkg"{columns} }}\n')
        record = _describe(product, load_dossier(toml), FileHasher(None), defaultdict(str))
        described.append(record["inputs"]["buildings"])
    assert "columns" not in described[0] and described[1]["columns"] == {"floor_level_m": "Vloerpeil_25"}


def test_national_schemas_name_a_unit_and_source_for_every_column() -> None:
    for schema in SCHEMAS.schemas:
        for column in schema.columns:
            assert column.unit and column.source
    assert set(SCHEMAS.bag_use.map) == set(SCHEMAS.bag_use.sources)
    assert set(SCHEMAS.bag_use.map.values()) <= set(SCHEMAS.bag_use.priority)
    assert pd.Series(SCHEMAS.bag_status.drop).isin(SCHEMAS.bag_status.keep).sum() == 0


def test_bro_bodemkaart_codes_become_our_soil_classes() -> None:
    codes = ["kHn21", "Hn21/Hd21", "zEZ21", "pZg23", "aVz", "iWp", "Mn35A", "Rn67C", "KT", "Ln5", "WATER"]
    with use_language("en"):
        out, reading = apply_schema(_frame(len(codes), first_soilcode=codes, soilcode=codes), "bro.gpkg",
                                    name="soil", columns=None, knowledge=SCHEMAS, targets=("soil_class",))
    assert out["soil_class"].tolist() == ["podzol", "podzol", "eerd", "zand", "veen", "moerig", "zeeklei",
                                          "rivierklei", "oude_klei", "leem", "water"]
    assert reading.schema == "bro" and reading.columns == {"soil_class": "first_soilcode"}
    assert "BRO Bodemkaart recognised: soil code first_soilcode -> soil_class" in reading.notes[0]


def test_an_unknown_bro_code_is_named_and_then_refused_by_the_soil_check() -> None:
    from alliantie.knowledge.soil_classes import SoilClasses
    from alliantie.soil import classify_soil

    with use_language("en"):
        out, reading = apply_schema(_frame(2, soilcode=["Hn21", "AEm5"]), "bro.gpkg", name="soil",
                                    columns=None, knowledge=SCHEMAS, targets=("soil_class",))
    assert any("'AEm5'" in w for w in reading.warnings)
    with pytest.raises(InputDataError) as err:
        classify_soil(out, SoilClasses.load(), path="bro.gpkg")
    assert "aem5" in err.value.message("en").lower()
