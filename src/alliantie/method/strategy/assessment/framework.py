"""The afwegingskader as one function: a dossier's adopted rules on initiatives, from its saved products.

:func:`assess_initiatives` is what ``alliantie assess`` and ``POST /api/assess`` run: it reads the rules
(``assessment_rules.toml``, or the dossier's own through ``[knowledge]``), applies the dossier's choices
(``[parameters.assessment]``: thresholds within each rule's range, conditions, skipped rules), measures every
initiative on the saved products (:mod:`.metrics`) and evaluates the rules (:mod:`.rules`). It computes no
product; when none of the products it reads was computed it stops and says to run ``alliantie run``.
"""

from __future__ import annotations

from pathlib import Path

from alliantie.contract.assessment import AssessmentFile, RuleInfo, Text
from alliantie.dossier.area import boundary_geometry
from alliantie.dossier.config import Dossier
from alliantie.errors import ProductError
from alliantie.method.strategy.assessment.initiatives import read_initiative_file
from alliantie.method.strategy.assessment.knowledge import PRODUCT_METRICS, AssessmentRules, Rule, apply_choices
from alliantie.method.strategy.assessment.metrics import METRIC_PRODUCT, ProductReader
from alliantie.method.strategy.assessment.rules import Initiative, assess


def dossier_rules(dossier: Dossier) -> tuple[AssessmentRules, list[Rule]]:
    """The rules file of ``dossier`` and the rules it adopts (its choices applied and checked)."""
    rules = AssessmentRules.load(dossier.knowledge_override(AssessmentRules.FILE))
    return rules, apply_choices(rules, dossier.config.parameters.assessment)


def assess_initiatives(dossier: Dossier, initiatives: list[Initiative], source: str) -> AssessmentFile:
    """The verdict on every initiative (already read and checked, in the dossier's CRS)."""
    knowledge, adopted = dossier_rules(dossier)
    reader = ProductReader(dossier.products_dir, knowledge)
    needed = sorted({METRIC_PRODUCT[r.metric] for r in adopted if r.metric in PRODUCT_METRICS})
    if needed and not any(reader.computed(p) for p in needed):
        raise ProductError("assessment.errors.not_computed", dossier=str(dossier.toml_path),
                           products=", ".join(needed))
    vulnerable = frozenset(knowledge.vulnerable.functions)
    results = []
    for initiative in initiatives:
        measured = {r.metric: reader.measure(r.metric, initiative.geometry)
                    for r in adopted if r.metric in PRODUCT_METRICS}
        results.append(assess(initiative, adopted, measured, vulnerable))
    infos = [RuleInfo(id=r.id, theme=r.theme, name=Text(nl=r.nl, en=r.en), metric=r.metric,
                      comparison=r.comparison, threshold=r.threshold, unit=r.unit, scope=r.scope, source=r.source)
             for r in adopted]
    return AssessmentFile(dossier=dossier.config.name, source=source, rules=infos, initiatives=results)


def assess_file(dossier: Dossier, path: Path, layer: str | None = None) -> AssessmentFile:
    """The verdict on the initiatives of the GeoPackage at ``path``."""
    initiatives = read_initiative_file(path, crs=dossier.config.crs, area=boundary_geometry(dossier), layer=layer)
    return assess_initiatives(dossier, initiatives, source=str(path))


__all__ = ["assess_file", "assess_initiatives", "dossier_rules"]
