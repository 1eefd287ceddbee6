"""Typed ``meekoppelen.json`` of ``strategy.meekoppelen``: adaptation coupled to planned works.

For each planned project (``inputs/projects.gpkg``: name, kind, year, owner) the measures that fit
there, the year window in which they can go along with the works, the extra cost of doing them together
versus alone, and the avoided damage of the measures of the dossier's set that fall inside it. The
business case reads :attr:`MeekoppelenFile.couplings` to cost its "with meekoppelen" variant: a coupled
feature is invested in the project's year at ``investment_factor`` times its cost alone.
Amounts in euro at ``price_year``.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from alliantie.io.atomic import atomic_file

MEEKOPPELEN_FILE = "meekoppelen.json"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Name(_Model):
    nl: str
    en: str


class FittingMeasure(_Model):
    """A catalogue measure that fits a project: suitable there and coupled to its kind of works."""

    measure: str  #: catalogue id
    name: Name
    suitable_share: float = Field(ge=0.0, le=1.0)  #: share of the project area where the measure is suitable
    investment_factor: float = Field(gt=0.0)  #: cost together / cost alone (1.0: no saving known)
    source: str  #: where the factor comes from (knowledge file row)


class ProjectRecord(_Model):
    id: str
    name: str
    kind: str  #: project kind (housing, road_maintenance, sewer_replacement, ...)
    owner: str  #: party that carries the works (municipality, water_board, province, ...)
    year: int  #: year the works start
    window_start: int  #: first year a measure can still be designed into the works
    window_end: int  #: last year (the works' completion)
    area_m2: float
    #: theme -> share of the project area in the vulnerability map's severe classes (0..1)
    vulnerable_share: dict[str, float]
    fitting: list[FittingMeasure]
    #: ids of the features of the dossier's measure set inside the project
    features: list[str]
    investment_alone_eur: float  #: those features' investment done on their own (mean amount)
    investment_together_eur: float  #: the same done with the works
    avoided_ead_eur: float  #: those features' avoided expected annual damage, all themes (mean, today)
    #: the design window closed before the reference year (the damage appraisal's start): nothing couples
    window_passed: bool = False
    #: coupling chance: largest suitable share x severe share over the fitting measures (0..1)
    chance: float = Field(0.0, ge=0.0, le=1.0)


class Coupling(_Model):
    """One feature of the measure set done together with a project."""

    feature_id: str
    measure: str
    project_id: str
    year: int  #: the year the investment is made when coupled
    investment_factor: float = Field(gt=0.0)
    source: str


class MeekoppelenFile(_Model):
    price_year: int
    measure_set: str  #: the sketch or synthesis the features come from ("" when none)
    reference_year: int = 0  #: the year a design window must still be open in (0: not given)
    projects: list[ProjectRecord]
    couplings: list[Coupling]


def write_meekoppelen(folder: Path, data: MeekoppelenFile) -> Path:
    """Write ``meekoppelen.json`` into ``folder`` (atomically)."""
    target = Path(folder) / MEEKOPPELEN_FILE
    with atomic_file(target) as tmp:
        tmp.write_text(data.model_dump_json(indent=1) + "\n", encoding="utf-8")
    return target


def read_meekoppelen(folder: Path) -> MeekoppelenFile:
    """The ``meekoppelen.json`` of ``folder``."""
    return MeekoppelenFile.model_validate_json((Path(folder) / MEEKOPPELEN_FILE).read_text(encoding="utf-8"))
