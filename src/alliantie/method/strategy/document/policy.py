"""Chapter 2 of the strategy document, *Beleid*: main lines, tasks per scale level, who is responsible for what,
how the inspiration maps are used, the afwegingskader and the preconditions."""

from __future__ import annotations

from alliantie.contract.names import INSPIRATION_ECONOMIE, INSPIRATION_GEBIED, INSPIRATION_VEERKRACHT
from alliantie.method.strategy.assessment.rules import display
from alliantie.method.strategy.document.model import Block, Bullets, Chapter, Para, Part, Table, t
from alliantie.method.strategy.document.names import party_name, theme_name
from alliantie.method.strategy.document.sources import Sources

#: The inspiration products in the order the document names them.
INSPIRATION_PRODUCTS = (INSPIRATION_VEERKRACHT, INSPIRATION_ECONOMIE, INSPIRATION_GEBIED)
SCALES = ("region", "city", "neighbourhood")


def main_lines(sources: Sources, language: str) -> list[Block]:
    policy = sources.strategy.policy if sources.strategy is not None else None
    if policy is None or not policy.main_lines:
        return [Para(t("missing.main_lines", language), missing=True)]
    blocks: list[Block] = [Bullets(list(policy.main_lines))]
    if policy.frameworks:
        blocks += [Para(t("frameworks_intro", language)), Bullets(list(policy.frameworks))]
    else:
        blocks.append(Para(t("missing.frameworks", language), missing=True))
    return blocks


def tasks(sources: Sources, language: str) -> list[Block]:
    items = sources.strategy.policy.tasks if sources.strategy is not None else []
    if not items:
        return [Para(t("missing.tasks", language), missing=True)]
    rows = []
    for scale in SCALES:
        for task in (i for i in items if i.scale == scale):
            who = ", ".join(party_name(o, language, sources) for o in task.organisations) or "–"
            rows.append([t(f"scale.{scale}", language), task.task, who])
    absent = [t(f"scale.{s}", language) for s in SCALES if not any(i.scale == s for i in items)]
    blocks: list[Block] = [Table(headings=[t("col.scale", language), t("col.task", language),
                                           t("col.organisations", language)], rows=rows, numeric=[False] * 3)]
    if absent:
        blocks.append(Para(t("missing.scales", language, scales=", ".join(absent)), missing=True))
    return blocks


def responsibilities(sources: Sources, language: str) -> list[Block]:
    items = sources.strategy.policy.responsibilities if sources.strategy is not None else []
    if not items:
        return [Para(t("missing.responsibilities", language), missing=True)]
    rows = [[party_name(r.organisation, language, sources), "; ".join(r.responsible_for), r.when or "–"]
            for r in items]
    return [Para(t("responsibilities_intro", language)),
            Table(headings=[t("col.organisation", language), t("col.responsible_for", language),
                            t("col.when", language)], rows=rows, numeric=[False] * 3)]


def inspiration(sources: Sources, language: str) -> list[Block]:
    """The maps the inspiration products offer (by title) and the owner's route for using them."""
    blocks: list[Block] = []
    listed: list[str] = []
    for name in INSPIRATION_PRODUCTS:
        found = sources.inspiration.get(name)
        if found is None:
            blocks.append(Para(t("missing_product", language, product=name), missing=True))
            continue
        listed += [f"{m.title.get(language)}: {m.description.get(language)}" for m in found.maps]
    if listed:
        blocks.insert(0, Bullets(listed))
        blocks.insert(0, Para(t("inspiration_intro", language)))
    use = sources.strategy.policy.inspiration_use.strip() if sources.strategy is not None else ""
    blocks.append(Para(use) if use else Para(t("missing.inspiration_use", language), missing=True))
    return blocks


def afwegingskader(sources: Sources, language: str) -> list[Block]:
    """The rules an initiative is checked against (``alliantie assess``), from the knowledge file."""
    if sources.assessment_rules is None:
        return [Para(t("missing.assessment_rules", language), missing=True)]
    if not sources.assessment_rules:
        return [Para(t("assessment_empty", language, file=sources.assessment_file), missing=True)]
    rows = []
    for rule in sources.assessment_rules:
        comparison = "≥" if rule.comparison == "at_least" else "≤"
        rows.append([theme_name(rule.theme, language), rule.name(language),
                     f"{comparison} {display(rule.unit, rule.threshold, language)}", rule.source])
    return [Para(t("assessment_intro", language, count=len(rows))),
            Table(headings=[t("col.theme", language), t("col.rule", language), t("col.threshold", language),
                            t("col.source", language)], rows=rows, numeric=[False, False, True, False])]


def preconditions(sources: Sources, language: str) -> list[Block]:
    items = sources.strategy.policy.preconditions if sources.strategy is not None else []
    if not items:
        return [Para(t("missing.preconditions", language), missing=True)]
    blocks: list[Block] = [Bullets([f"{t(f'precondition.{p.kind}', language)}: {p.text}" for p in items])]
    kinds = {p.kind for p in items}
    absent = [t(f"precondition.{k}", language) for k in ("training", "information") if k not in kinds]
    if absent:
        blocks.append(Para(t("missing.precondition_kinds", language, kinds=", ".join(absent)), missing=True))
    return blocks


def policy_chapter(sources: Sources, language: str) -> Chapter:
    return Chapter(id="policy", number=2, heading=t("policy.heading", language), intro=t("policy.intro", language),
                   parts=[
                       Part("main_lines", t("policy.main_lines", language), main_lines(sources, language)),
                       Part("tasks", t("policy.tasks", language), tasks(sources, language)),
                       Part("responsibilities", t("policy.responsibilities", language),
                            responsibilities(sources, language)),
                       Part("inspiration", t("policy.inspiration", language), inspiration(sources, language)),
                       Part("afwegingskader", t("policy.afwegingskader", language), afwegingskader(sources, language)),
                       Part("preconditions", t("policy.preconditions", language), preconditions(sources, language)),
                   ])
