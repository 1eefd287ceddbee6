"""Names the document shows for ids: parties (``water_board``) and themes (``pluvial``)."""

from __future__ import annotations

from alliantie.i18n import has_key, translate
from alliantie.method.strategy.document.sources import Sources


def theme_name(theme: str, language: str) -> str:
    key = f"strategy.theme.{theme}"
    return translate(key, language) if has_key(key) else theme


def party_name(party: str, language: str, sources: Sources) -> str:
    """A party id (``water_board``) as its name: the business case's name, the catalogue's, or the text as written."""
    if sources.business_case is not None:
        found = next((p for p in sources.business_case.parties if p.id == party), None)
        if found is not None:
            return found.name.nl if language == "nl" else found.name.en
    key = f"strategy.party.{party}"
    return translate(key, language) if has_key(key) else party
