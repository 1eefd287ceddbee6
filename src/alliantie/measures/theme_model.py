"""The shape every theme's effect model has (heat, drought, flood), so :func:`~alliantie.measures.evaluate.evaluate`
walks them alike.

A model holds its theme's baseline arrays and answers one question: the
expected annual damage per scenario (and its indicators) with a set of placed
measures; with none it must return its baseline exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from alliantie.measures.placement import Placement


@dataclass
class ThemeOutcome:
    """A theme with some measures in place."""

    #: scenario -> amount level (low/mean/high) -> EUR per year
    ead: dict[str, dict[str, float]]
    #: indicator -> scenario -> value (e.g. ``residents_cooled``: residents whose home gets cooler; counts are
    #: relative to the model's own baseline, 0 without measures)
    indicators: dict[str, dict[str, float]] = field(default_factory=dict)


class ThemeModel(Protocol):
    """A theme's effect model: ``outcome([])`` is the baseline."""

    theme: str

    def outcome(self, placements: Sequence[Placement]) -> ThemeOutcome: ...
