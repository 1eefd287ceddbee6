"""Numbers, dates and product texts in the report language (Dutch decimal comma, month names)."""

from __future__ import annotations

import datetime as dt
from typing import Any


def number(value: float, language: str, decimals: int = 0) -> str:
    """``value`` with thousands separators: 1.234,5 in Dutch, 1,234.5 in English."""
    text = f"{value:,.{decimals}f}"
    if language == "nl":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def long_date(day: dt.date, language: str) -> str:
    months_nl = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
                 "september", "oktober", "november", "december")
    months_en = ("January", "February", "March", "April", "May", "June", "July", "August",
                 "September", "October", "November", "December")
    months = months_nl if language == "nl" else months_en
    return f"{day.day} {months[day.month - 1]} {day.year}"


def bilingual(value: Any, language: str) -> str:
    """A bilingual value from a product JSON: ``{"nl": .., "en": ..}`` or a plain string."""
    if isinstance(value, dict):
        return str(value.get(language) or value.get("nl") or value.get("en") or "")
    return "" if value is None else str(value)
