"""Chapter 1 of the strategy document, *Urgentie*: where severe effects are expected, the route for further study,
and the policy scan (current policy: keep, adapt or new)."""

from __future__ import annotations

from alliantie.contract.names import STRESSTEST, THEMES, VULNERABILITY
from alliantie.contract.stresstest import StresstestSummary
from alliantie.method.strategy.document.model import Block, Bullets, Chapter, Para, Part, Table, euro, number, t
from alliantie.method.strategy.document.names import party_name, theme_name
from alliantie.method.strategy.document.sources import Sources


def _indicator_label(sources: Sources, theme: str, indicator: str | None, language: str) -> str:
    data = sources.themes.get(theme)
    if data is not None and indicator:
        info = next((i for i in data.summary.indicators if i.id == indicator), None)
        if info is not None:
            return info.label.get(language)
    return indicator or "–"


def focus_areas(sources: Sources, language: str) -> list[Block]:
    """Per theme the stress test's light, its key indicator today and in the reference scenario, the focus areas."""
    summary: StresstestSummary | None = sources.stresstest
    if summary is None:
        return [Para(t("missing_product", language, product=STRESSTEST), missing=True)]
    rows: list[list[str]] = []
    sentences: list[str] = []
    for theme in THEMES:
        verdict = summary.themes.get(theme)
        if verdict is None:
            continue
        if not verdict.assessed:
            rows.append([theme_name(theme, language), t("not_assessed", language), "–", "–", "–", "–"])
            continue
        focus = ", ".join(f"{p.name or p.code} ({number(p.value, language)})" for p in verdict.focus) or "–"
        light = t(f"light.{verdict.light.value}", language) if verdict.light is not None else "–"
        rows.append([theme_name(theme, language), light,
                     _indicator_label(sources, theme, verdict.indicator, language),
                     number(verdict.key_current, language), number(verdict.key_reference, language), focus])
        if verdict.detail:
            sentences.append(f"{theme_name(theme, language)}: {verdict.sentence.get(language)}")
    blocks: list[Block] = [Para(t("focus_intro", language)), Table(
        headings=[t("col.theme", language), t("col.light", language), t("col.indicator", language),
                  t("col.today", language), t("col.reference", language), t("col.focus", language)],
        rows=rows, numeric=[False, False, False, True, True, False])]
    if sentences:
        blocks += [Para(t("detail_intro", language)), Bullets(sentences)]
    return blocks


def severe_area(sources: Sources, language: str) -> list[Block]:
    """Hectares in the vulnerability map's high class per theme, today and in the future scenario."""
    view = sources.vulnerability
    if view is None:
        return [Para(t("missing_product", language, product=VULNERABILITY), missing=True)]
    by_id = {s.id: s for s in view.scenarios}
    today, future = by_id.get("current"), by_id.get(view.future_scenario)
    rows = []
    for theme in THEMES:
        now = today.area_ha.get(theme, {}).get("3") if today is not None else None
        later = future.area_ha.get(theme, {}).get("3") if future is not None else None
        if now is None and later is None:
            continue
        rows.append([theme_name(theme, language), number(now, language, 1), number(later, language, 1)])
    return [Para(t("severe_intro", language, scenario=view.future_scenario)), Table(
        headings=[t("col.theme", language), t("col.high_today_ha", language),
                  t("col.high_future_ha", language, scenario=view.future_scenario)],
        rows=rows, numeric=[False, True, True])]


def annual_damage(sources: Sources, language: str) -> list[Block]:
    """Expected annual damage per valued theme today (the costs of doing nothing), from step 1."""
    damage = sources.damage
    if damage is None:
        return []
    rows = []
    for theme, entry in damage.themes.items():
        today = (entry.annual or {}).get("current")
        if today is None:
            continue
        rows.append([theme_name(theme, language), euro(today.low, language), euro(today.mean, language),
                     euro(today.high, language)])
    if not rows:
        return []
    return [Para(t("damage_intro", language, year=damage.price_year)), Table(
        headings=[t("col.theme", language), t("col.low", language), t("col.mean", language), t("col.high", language)],
        rows=rows, numeric=[False, True, True, True])]


def further_study(sources: Sources, language: str) -> list[Block]:
    text = sources.strategy.urgency.further_study.strip() if sources.strategy is not None else ""
    if not text:
        return [Para(t("missing.further_study", language), missing=True)]
    return [Para(text)]


def policy_scan(sources: Sources, language: str) -> list[Block]:
    items = sources.strategy.urgency.policy if sources.strategy is not None else []
    if not items:
        return [Para(t("missing.policy_scan", language), missing=True)]
    rows = [[i.document, party_name(i.owner, language, sources) if i.owner else "–",
             t(f"verdict.{i.verdict}", language), i.change or "–"] for i in items]
    counts = {v: sum(1 for i in items if i.verdict == v) for v in ("keep", "adapt", "new")}
    return [Para(t("policy_scan_intro", language, keep=counts["keep"], adapt=counts["adapt"], new=counts["new"])),
            Table(headings=[t("col.document", language), t("col.owner", language), t("col.verdict", language),
                            t("col.change", language)], rows=rows, numeric=[False] * 4)]


def urgency_chapter(sources: Sources, language: str) -> Chapter:
    return Chapter(id="urgency", number=1, heading=t("urgency.heading", language),
                   intro=t("urgency.intro", language), parts=[
                       Part("focus", t("urgency.focus", language),
                            [*focus_areas(sources, language), *severe_area(sources, language),
                             *annual_damage(sources, language)]),
                       Part("further_study", t("urgency.further_study", language), further_study(sources, language)),
                       Part("policy_scan", t("urgency.policy_scan", language), policy_scan(sources, language)),
                   ])
