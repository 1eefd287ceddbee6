"""The whole strategy document in one language: the title lines and the three chapters."""

from __future__ import annotations

from alliantie.method.strategy.document.implementation import implementation_chapter
from alliantie.method.strategy.document.model import Document, t
from alliantie.method.strategy.document.policy import policy_chapter
from alliantie.method.strategy.document.sources import Sources
from alliantie.method.strategy.document.urgency import urgency_chapter


def make_document(sources: Sources, language: str, name: str) -> Document:
    """The document of dossier ``name`` from ``sources`` in ``language``."""
    configured = sources.strategy_path or t("no_strategy_file", language)
    facts = [(t("fact.area", language), name), (t("fact.strategy_file", language), configured)]
    document = Document(language=language, title=t("title", language), name=name, subtitle=t("subtitle", language),
                        facts=facts)
    document.chapters = [urgency_chapter(sources, language), policy_chapter(sources, language),
                         implementation_chapter(sources, language)]
    return document
