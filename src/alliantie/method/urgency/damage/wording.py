"""The product's words: scenario labels, what drives a range, what could not be valued (Dutch and English)."""

from __future__ import annotations

from collections.abc import Sequence

from alliantie.contract.spec import Text
from alliantie.contract.spec import catalogue_text as text
from alliantie.damage.amounts import ThemeDamage
from alliantie.damage.npv import DiscountRate, RangeSummary
from alliantie.i18n import has_key, translate
from alliantie.method.urgency.damage.present_value import CURRENT, NO_RULE
from alliantie.parameters.damage import DamageParameters

LANGUAGES = ("nl", "en")


def scenario_label(sid: str, language: str) -> str:
    """A scenario id in words: today's climate translated, a future scenario by its id (``Hd2050``)."""
    if sid == CURRENT:
        return translate("damage_product.scenario.current", language)
    return sid


def scenario_text(sid: str) -> Text:
    return Text(nl=scenario_label(sid, "nl"), en=scenario_label(sid, "en"))


def theme_text(theme: str) -> Text:
    return text(f"damage_product.theme.{theme}")


def conventions_text(params: DamageParameters, rate: DiscountRate) -> Text:
    """The conventions sentence: the years of the present value, the discount rate, the price level."""
    rate_s = f"{100 * rate.rate:g}"
    return text("damage_product.conventions", start=params.start_year, horizon=params.horizon_year,
                rate=rate_s, rate_nl=rate_s.replace(".", ","), price_year=params.price_year)


def _level_text(factor: str, level: str) -> Text:
    if factor == "scenario":
        return scenario_text(level)
    if factor == "amount":
        return text(f"damage_product.amount.{level}")
    return text(f"damage_product.rule.{level}") if level != NO_RULE else Text(nl=level, en=level)


def driver_text(summary: RangeSummary) -> Text:
    """What drives the range, in words: the factor with the largest swing and its low and high levels."""
    moving = [d for d in summary.drivers if d.swing > 0]
    if not moving:
        return text("damage_product.driver.none")
    d = moving[0]
    low, high = _level_text(d.factor, d.low_level), _level_text(d.factor, d.high_level)
    key = "damage_product.driver.main_amount" if d.factor == "amount" else "damage_product.driver.main"
    parts = {lang: translate(key, lang, factor=translate(f"damage_product.factor.{d.factor}", lang),
                             low=low.get(lang), high=high.get(lang)) for lang in LANGUAGES}
    if len(moving) > 1:
        nxt = moving[1]
        for lang in LANGUAGES:
            parts[lang] += " " + translate("damage_product.driver.next", lang,
                                           factor=translate(f"damage_product.factor.{nxt.factor}", lang))
    return Text(nl=parts["nl"], en=parts["en"])


def missing_note(damages: Sequence[ThemeDamage]) -> Text | None:
    """What could not be valued per theme, item and climate (never guessed), as one sentence; None when complete."""
    parts: dict[str, list[str]] = {"nl": [], "en": []}
    for damage in damages:
        items: dict[str, list[str]] = {}
        for item, sid in damage.missing:
            items.setdefault(item, []).append(sid)
        for item, sids in items.items():
            for lang in LANGUAGES:
                key = f"damage_product.missing.{item}"
                name = translate(key, lang) if has_key(key) else item.replace("_", " ")
                where = ", ".join(scenario_label(s, lang) for s in sids)
                parts[lang].append(f"{translate(f'damage_product.theme.{damage.theme}', lang)}: {name} ({where})")
    if not parts["nl"]:
        return None
    return Text(nl=translate("damage_product.tables.ead.missing", "nl", items="; ".join(parts["nl"])),
                en=translate("damage_product.tables.ead.missing", "en", items="; ".join(parts["en"])))
