"""What the strategy document reads: the owner's ``strategy.toml`` and the saved products, each through its contract.

:class:`Sources` holds one field per source, None where the dossier has no such file or the run did not
compute the product; the document says so rather than filling the gap. Nothing here computes a number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from alliantie.contract.business_case import BUSINESS_CASE_FILE, BusinessCaseFile, read_business_case
from alliantie.contract.damage import DamageFile, read_damage
from alliantie.contract.meekoppelen import MEEKOPPELEN_FILE, MeekoppelenFile, read_meekoppelen
from alliantie.contract.spec import MapSpec, read_maps
from alliantie.contract.stresstest import StresstestSummary, read_stresstest_summary
from alliantie.contract.theme import IndicatorValue, ThemeSummary, read_theme
from alliantie.errors import ProductError
from alliantie.method.strategy.assessment.knowledge import Rule
from alliantie.parameters.strategy import StrategyFile

#: The vulnerability product's summary file.
VULNERABILITY_FILE = "vulnerability.json"


class _View(BaseModel):
    """A read-only view on part of a file another product owns: only the fields the document uses."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class VulnerabilityScenario(_View):
    id: str
    #: theme -> severity class ("1", "2", "3") -> hectares
    area_ha: dict[str, dict[str, float]]


class VulnerabilityView(_View):
    """The part of ``urgency.vulnerability/vulnerability.json`` the document shows: area per class and scenario."""

    future_scenario: str
    scenarios: list[VulnerabilityScenario]


@dataclass(frozen=True)
class ThemeData:
    """A climate-effect theme of step 1: ``theme.json`` and its indicators."""

    summary: ThemeSummary
    values: list[IndicatorValue]

    def total(self, indicator: str, scenario: str = "current") -> float | None:
        """The study-area total (``code`` "") of ``indicator`` in ``scenario``."""
        return next((v.value for v in self.values
                     if v.indicator == indicator and v.scenario == scenario and v.code == ""), None)


@dataclass(frozen=True)
class InspirationMaps:
    """The maps one inspiration product offers (titles and descriptions from its ``maps.json``)."""

    product: str
    maps: list[MapSpec]


@dataclass
class Sources:
    """Everything the document can show; None (or empty) where it is absent."""

    strategy: StrategyFile | None = None
    #: the path of strategy.toml as dossier.toml names it ("" when not configured)
    strategy_path: str = ""
    stresstest: StresstestSummary | None = None
    vulnerability: VulnerabilityView | None = None
    damage: DamageFile | None = None
    themes: dict[str, ThemeData] = field(default_factory=dict)
    #: product name -> its maps (None: the product was not computed)
    inspiration: dict[str, InspirationMaps | None] = field(default_factory=dict)
    meekoppelen: MeekoppelenFile | None = None
    business_case: BusinessCaseFile | None = None
    #: the afwegingskader's rules (None: this version has no rules file)
    #: the afwegingskader's rules as the dossier adopts them (its thresholds applied, its skipped rules left out)
    assessment_rules: list[Rule] | None = None
    assessment_file: str = ""


def _bad(path: Path, exc: Exception) -> ProductError:
    return ProductError("errors.strategy_bad_product_file", path=str(path), detail=str(exc).splitlines()[0])


def read_vulnerability(folder: Path | None) -> VulnerabilityView | None:
    if folder is None or not (folder / VULNERABILITY_FILE).exists():
        return None
    path = folder / VULNERABILITY_FILE
    try:
        return VulnerabilityView.model_validate_json(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise _bad(path, exc) from None


def read_theme_data(folder: Path | None) -> ThemeData | None:
    if folder is None:
        return None
    found = read_theme(folder)
    return ThemeData(summary=found[0], values=found[1]) if found is not None else None


def read_inspiration(name: str, folder: Path | None) -> InspirationMaps | None:
    if folder is None or not folder.exists():
        return None
    try:
        return InspirationMaps(product=name, maps=read_maps(folder))
    except ValueError as exc:
        raise _bad(folder / "maps.json", exc) from None


def read_optional_meekoppelen(folder: Path | None) -> MeekoppelenFile | None:
    if folder is None or not (folder / MEEKOPPELEN_FILE).exists():
        return None
    try:
        return read_meekoppelen(folder)
    except ValueError as exc:
        raise _bad(folder / MEEKOPPELEN_FILE, exc) from None


def read_optional_business_case(folder: Path | None) -> BusinessCaseFile | None:
    if folder is None or not (folder / BUSINESS_CASE_FILE).exists():
        return None
    try:
        return read_business_case(folder)
    except ValueError as exc:
        raise _bad(folder / BUSINESS_CASE_FILE, exc) from None


def read_optional_stresstest(folder: Path | None) -> StresstestSummary | None:
    return read_stresstest_summary(folder) if folder is not None else None


def read_optional_damage(folder: Path | None) -> DamageFile | None:
    return read_damage(folder) if folder is not None else None


__all__ = [
    "InspirationMaps", "Sources", "ThemeData", "VulnerabilityView", "read_inspiration", "read_optional_business_case",
    "read_optional_damage", "read_optional_meekoppelen", "read_optional_stresstest", "read_theme_data",
    "read_vulnerability",
]
