"""The baseline the effect engine starts from: the arrays of the saved step 1 results, per theme.

Built by the step that knows the dossier (``method/vista/baseline.py``); a theme
left None is not evaluated (its effects are reported as not computed).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from alliantie.grid import Grid
from alliantie.knowledge.measures import MeasureCatalogue
from alliantie.measures.costs import Appraisal
from alliantie.measures.placement import BuildingLayer
from alliantie.measures.pluvial import PluvialBaseline
from alliantie.measures.theme_model import ThemeModel


@dataclass
class Baseline:
    """Everything :func:`alliantie.measures.evaluate.evaluate` reads."""

    grid: Grid
    catalogue: MeasureCatalogue
    buildings: BuildingLayer
    appraisal: Appraisal
    scenario_years: Mapping[str, int | None]  #: scenario id -> horizon year (None: today's climate)
    pluvial: PluvialBaseline | None = None
    #: the other themes' effect models (heat, drought, flood), by theme
    models: dict[str, ThemeModel] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def scenarios(self) -> tuple[str, ...]:
        return tuple(self.scenario_years)
