"""Chapter 3 of the strategy document, *Doorwerking*: working group, ambassador, the programme in a short cycle
(from meekoppelen), monitoring indicators with their baseline, and the business case per party."""

from __future__ import annotations

from dataclasses import dataclass

from alliantie.contract.business_case import Case
from alliantie.contract.meekoppelen import ProjectRecord
from alliantie.contract.names import BUSINESS_CASE, DAMAGE, MEEKOPPELEN, STRESSTEST, THEME_PRODUCT, THEMES
from alliantie.method.strategy.document.model import (
    Block,
    Bullets,
    Chapter,
    Para,
    Part,
    Table,
    euro,
    number,
    percent,
    t,
)
from alliantie.method.strategy.document.names import party_name, theme_name
from alliantie.method.strategy.document.sources import Sources
from alliantie.parameters.strategy import Implementation, ProgrammeItem

#: How many fitting measures the programme names per project.
MAX_MEASURES = 3


def working_group(sources: Sources, language: str) -> list[Block]:
    group = sources.strategy.implementation.working_group if sources.strategy is not None else None
    if group is None:
        return [Para(t("missing.working_group", language), missing=True)]
    blocks: list[Block] = [Para(t("working_group_members", language)), Bullets(list(group.members))]
    blocks.append(Para(group.tasks) if group.tasks else Para(t("missing.working_group_tasks", language), missing=True))
    if group.meets:
        blocks.append(Para(t("working_group_meets", language, meets=group.meets)))
    return blocks


def ambassador(sources: Sources, language: str) -> list[Block]:
    found = sources.strategy.implementation.ambassador if sources.strategy is not None else None
    if found is None:
        return [Para(t("missing.ambassador", language), missing=True)]
    return [Para(t("ambassador_text", language, name=found.name, role=found.role or t("ambassador_role", language)))]


@dataclass(frozen=True)
class Cycle:
    """The programme's cycles: ``years`` long from ``start`` (None: the owner has not set the start)."""

    start: int | None
    years: int

    def year_of(self, project: ProjectRecord) -> int | None:
        """The year the coupling with ``project`` must be decided: its window's start, or the cycle's start while
        the window is still open; None when the window closed before the programme starts."""
        if self.start is None:
            return project.window_start
        if project.window_end < self.start:
            return None
        return max(project.window_start, self.start)

    def label(self, year: int | None, language: str) -> str:
        if self.start is None:
            return "–"
        if year is None:
            return t("cycle.closed", language)
        index = (year - self.start) // self.years
        if index < 0:
            return t("cycle.closed", language)
        if index >= 2:
            return t("cycle.later", language, year=self.start + 2 * self.years)
        first = self.start + index * self.years
        return t("cycle.n", language, n=index + 1, first=first, last=first + self.years - 1)


def _match(item: ProgrammeItem, project: ProjectRecord) -> bool:
    wanted = item.project.strip().casefold()
    return bool(wanted) and wanted in (project.id.casefold(), project.name.casefold())


def programme(sources: Sources, language: str) -> list[Block]:
    """The actions in priority and cycle order: the planned projects to couple with, and the owner's own actions."""
    impl = sources.strategy.implementation if sources.strategy is not None else Implementation()
    cycle = Cycle(impl.cycle_start, impl.cycle_years)
    blocks: list[Block] = []
    if impl.cycle_start is None:
        blocks.append(Para(t("missing.cycle_start", language), missing=True))
    else:
        blocks.append(Para(t("cycle_intro", language, years=impl.cycle_years, start=impl.cycle_start)))
    data = sources.meekoppelen
    projects = data.projects if data is not None else []
    rows: list[tuple[tuple[int, int], list[str]]] = []
    for project in projects:
        item = next((i for i in impl.programme if _match(i, project)), None)
        year = cycle.year_of(project)
        priority = item.priority if item is not None else 9
        rows.append(((priority, year if year is not None else 9999), [
            str(item.priority) if item is not None else "–", project.name,
            party_name(project.owner, language, sources), f"{project.window_start}–{project.window_end}",
            cycle.label(year, language),
            (item.action if item is not None and item.action else t("action_couple", language)),
        ]))
    unknown = []
    for item in impl.programme:
        if item.project and any(_match(item, p) for p in projects):
            continue  # listed with its project above
        if item.project and data is not None:
            unknown.append(item.project)
            continue
        # an action of its own, or a project while meekoppelen is absent (listed as the owner wrote it)
        year = item.year
        rows.append(((item.priority, year if year is not None else 9999), [
            str(item.priority), item.project or t("own_action", language),
            party_name(item.partner, language, sources) if item.partner else "–",
            str(year) if year is not None else "–",
            cycle.label(year, language) if year is not None else "–", item.action or "–"]))
    if data is None:
        blocks.append(Para(t("missing_product", language, product=MEEKOPPELEN), missing=True))
    if not impl.programme:
        blocks.append(Para(t("missing.programme", language), missing=True))
    if unknown:
        blocks.append(Para(t("unknown_projects", language, names=", ".join(unknown)), missing=True))
    if rows:
        rows.sort(key=lambda r: r[0])
        blocks.append(Table(headings=[t("col.priority", language), t("col.project", language),
                                      t("col.owner", language), t("col.window", language), t("col.cycle", language),
                                      t("col.action", language)],
                            rows=[r for _key, r in rows], numeric=[True, False, False, False, False, False]))
    if projects:
        blocks += coupling_figures(projects, sources, language)
    return blocks


def coupling_figures(projects: list[ProjectRecord], sources: Sources, language: str) -> list[Block]:
    """Per project what fits there and what doing it together with the works saves (from meekoppelen.json)."""
    year = sources.meekoppelen.price_year if sources.meekoppelen is not None else 0
    rows = []
    for p in sorted(projects, key=lambda p: (p.year, p.name)):
        fitting = sorted(p.fitting, key=lambda f: -f.suitable_share)[:MAX_MEASURES]
        measures = ", ".join(f.name.nl if language == "nl" else f.name.en for f in fitting) or "–"
        rows.append([p.name, str(p.year), measures, euro(p.investment_alone_eur, language),
                     euro(p.investment_together_eur, language),
                     euro(p.investment_alone_eur - p.investment_together_eur, language),
                     euro(p.avoided_ead_eur, language)])
    total = [t("total", language), "", "", euro(sum(p.investment_alone_eur for p in projects), language),
             euro(sum(p.investment_together_eur for p in projects), language),
             euro(sum(p.investment_alone_eur - p.investment_together_eur for p in projects), language),
             euro(sum(p.avoided_ead_eur for p in projects), language)]
    return [Para(t("coupling_intro", language, year=year)),
            Table(headings=[t("col.project", language), t("col.year", language), t("col.measures", language),
                            t("col.alone", language), t("col.together", language), t("col.saving", language),
                            t("col.avoided_ead", language)],
                  rows=rows, numeric=[False, True, False, True, True, True, True], total=total)]


@dataclass(frozen=True)
class Indicator:
    theme: str
    id: str
    label: str
    unit: str
    baseline: float | None
    reference: float | None
    scenario: str
    product: str


def _candidates(sources: Sources, language: str) -> list[Indicator]:
    """The stress test's key indicator per theme and the expected annual damage per valued theme."""
    out: list[Indicator] = []
    if sources.stresstest is not None:
        for theme in THEMES:
            verdict = sources.stresstest.themes.get(theme)
            if verdict is not None and verdict.assessed and verdict.indicator:
                found = indicator(sources, theme, verdict.indicator, language, verdict.scenario or "current")
                if found is not None:
                    out.append(found)
    if sources.damage is not None:
        out += [found for theme in sources.damage.themes
                if (found := indicator(sources, "damage", theme, language, "")) is not None]
    return out


def indicator(sources: Sources, theme: str, indicator_id: str, language: str, scenario: str) -> Indicator | None:
    """One step 1 indicator with its baseline (today, study-area total); ``damage.<theme>``: expected annual damage."""
    if theme == "damage":
        entry = sources.damage.themes.get(indicator_id) if sources.damage is not None else None
        annual = (entry.annual or {}) if entry is not None else {}
        if "current" not in annual:
            return None
        return Indicator(theme, indicator_id, t("ead_label", language, theme=theme_name(indicator_id, language)),
                         "€/" + t("year", language), annual["current"].mean, None, "", DAMAGE)
    data = sources.themes.get(theme)
    if data is None:
        return None
    info = next((i for i in data.summary.indicators if i.id == indicator_id), None)
    if info is None:
        return None
    if not scenario and sources.stresstest is not None and theme in sources.stresstest.themes:
        scenario = sources.stresstest.themes[theme].scenario or ""
    reference = data.total(indicator_id, scenario) if scenario and scenario != "current" else None
    return Indicator(theme, indicator_id, info.label.get(language), info.unit, data.total(indicator_id),
                     reference, scenario if reference is not None else "", THEME_PRODUCT[theme])


def _decimals(value: float | None) -> int:
    """Whole numbers and large ones without decimals, the rest with one."""
    return 0 if value is None or abs(value) >= 100 or value == round(value) else 1


def _indicator_table(indicators: list[Indicator], language: str) -> Table:
    return Table(
        headings=[t("col.theme", language), t("col.indicator", language), t("col.unit", language),
                  t("col.baseline", language), t("col.reference", language), t("col.source_product", language)],
        rows=[[theme_name(i.theme, language) if i.theme != "damage" else theme_name(i.id, language), i.label,
               i.unit or "–", number(i.baseline, language, _decimals(i.baseline)),
               (f"{number(i.reference, language, _decimals(i.reference))} ({i.scenario})"
                if i.reference is not None else "–"), i.product] for i in indicators],
        numeric=[False, False, False, True, True, False])


def monitoring(sources: Sources, language: str) -> list[Block]:
    chosen = sources.strategy.monitoring if sources.strategy is not None else None
    blocks: list[Block] = []
    if chosen is None or not chosen.indicators:
        blocks.append(Para(t("missing.monitoring", language), missing=True))
        candidates = _candidates(sources, language)
        if candidates:
            blocks += [Para(t("monitoring_candidates", language)), _indicator_table(candidates, language)]
        else:
            blocks.append(Para(t("missing_product", language, product=STRESSTEST), missing=True))
        return blocks
    found: list[Indicator] = []
    unknown: list[str] = []
    for dotted in chosen.indicators:
        theme, indicator_id = dotted.split(".")
        item = indicator(sources, theme, indicator_id, language, "")
        if item is None:
            unknown.append(dotted)
        else:
            found.append(item)
    blocks.append(Para(t("monitoring_intro", language)))
    if found:
        blocks.append(_indicator_table(found, language))
    if unknown:
        blocks.append(Para(t("unknown_indicators", language, names=", ".join(unknown)), missing=True))
    if chosen.every_years is not None:
        blocks.append(Para(t("monitoring_every", language, years=chosen.every_years,
                             who=chosen.responsible or t("monitoring_who_missing", language))))
    else:
        blocks.append(Para(t("missing.monitoring_every", language), missing=True))
    return blocks


def _case_text(case: Case, language: str) -> str:
    return t("case_text", language, discount=case.discount, rate=percent(case.discount_rate, language, 2),
             horizon=case.horizon_years, variant=t(f"variant.{case.variant}", language), scenario=case.scenario)


def business_case(sources: Sources, language: str) -> list[Block]:
    """The headline case per party: present values, net present value, benefit-cost ratio, IRR, payback year."""
    data = sources.business_case
    if data is None:
        return [Para(t("missing_product", language, product=BUSINESS_CASE), missing=True)]
    case = data.headline
    rows = []
    for party in data.parties:
        result = case.parties.get(party.id)
        if result is None:
            continue
        rows.append([party.name.nl if language == "nl" else party.name.en, euro(result.pv_costs_eur, language),
                     euro(result.pv_benefits_eur, language), euro(result.npv_eur, language),
                     number(result.bcr, language, 2), percent(result.irr, language),
                     str(result.payback_year) if result.payback_year is not None else t("never", language)])
    total = case.total
    blocks: list[Block] = [
        Para(t("business_case_intro", language, measure_set=data.measure_set or "–", price_year=data.price_year,
               start_year=data.start_year) + " " + _case_text(case, language)),
        Table(headings=[t("col.party", language), t("col.pv_costs", language), t("col.pv_benefits", language),
                        t("col.npv", language), t("col.bcr", language), t("col.irr", language),
                        t("col.payback", language)],
              rows=rows, numeric=[False, True, True, True, True, True, True],
              total=[t("total", language), euro(total.pv_costs_eur, language), euro(total.pv_benefits_eur, language),
                     euro(total.npv_eur, language), number(total.bcr, language, 2), percent(total.irr, language),
                     str(total.payback_year) if total.payback_year is not None else t("never", language)]),
    ]
    other = next((c for c in data.cases if c.variant != case.variant and c.discount == case.discount
                  and c.horizon_years == case.horizon_years and c.scenario == case.scenario), None)
    if other is not None:
        blocks.append(Para(t("variant_compare", language, variant=t(f"variant.{other.variant}", language),
                             npv=euro(other.total.npv_eur, language), headline=euro(case.total.npv_eur, language))))
    if data.not_valued:
        blocks += [Para(t("not_valued", language)),
                   Bullets([n.nl if language == "nl" else n.en for n in data.not_valued])]
    return blocks


def implementation_chapter(sources: Sources, language: str) -> Chapter:
    return Chapter(id="implementation", number=3, heading=t("implementation.heading", language),
                   intro=t("implementation.intro", language), parts=[
                       Part("working_group", t("implementation.working_group", language),
                            working_group(sources, language)),
                       Part("ambassador", t("implementation.ambassador", language), ambassador(sources, language)),
                       Part("programme", t("implementation.programme", language), programme(sources, language)),
                       Part("monitoring", t("implementation.monitoring", language), monitoring(sources, language)),
                       Part("business_case", t("implementation.business_case", language),
                            business_case(sources, language)),
                   ])
