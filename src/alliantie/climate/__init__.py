"""Climate scenarios as data: the KNMI'23 (and legacy KNMI'14) tables and the dossier's scenarios.

:mod:`alliantie.climate.scenarios` reads knowledge file ``knmi_scenarios.toml``
into a :class:`~alliantie.climate.scenarios.ClimateTable` (every number with its
source; a number nobody could source is absent and reported as missing) and
turns the dossier's ``[scenarios]`` into
:class:`~alliantie.climate.scenarios.ClimateScenario` objects that every
step 1 product shares (ids ``current``, ``Ld2050``, ``Hd2100``, ...).
"""

from alliantie.climate.scenarios import (
    CURRENT,
    ClimateScenario,
    ClimateTable,
    ClimateValue,
    Variable,
    dossier_scenarios,
    load_climate_table,
)

__all__ = [
    "CURRENT",
    "ClimateScenario",
    "ClimateTable",
    "ClimateValue",
    "Variable",
    "dossier_scenarios",
    "load_climate_table",
]
