"""The strategy document as data, in one language: chapters, parts and their blocks; the writers lay it out.

A block is a paragraph (``missing`` marks what the owner or a product has yet to supply), a bullet list or
a table of formatted cells. Numbers are formatted here, with a decimal comma and a point between thousands
in Dutch.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from alliantie.i18n import translate


@dataclass(frozen=True)
class Para:
    text: str
    #: True: says what is missing and what to do (set apart in both writers)
    missing: bool = False


@dataclass(frozen=True)
class Bullets:
    items: list[str]


@dataclass(frozen=True)
class Table:
    headings: list[str]
    rows: list[list[str]]
    #: per column: numbers (set right-aligned)
    numeric: list[bool]
    total: list[str] | None = None
    caption: str = ""


Block = Para | Bullets | Table


@dataclass
class Part:
    """A part of a chapter (e.g. "Policy scan") with its blocks."""

    id: str
    heading: str
    blocks: list[Block] = field(default_factory=list)

    @property
    def missing(self) -> bool:
        return any(isinstance(b, Para) and b.missing for b in self.blocks)


@dataclass
class Chapter:
    id: str
    number: int
    heading: str
    intro: str
    parts: list[Part] = field(default_factory=list)


@dataclass
class Document:
    language: str
    title: str
    name: str
    subtitle: str
    #: (label, value) lines under the title
    facts: list[tuple[str, str]]
    chapters: list[Chapter] = field(default_factory=list)

    def part(self, part_id: str) -> Part | None:
        return next((p for c in self.chapters for p in c.parts if p.id == part_id), None)

    @property
    def missing_parts(self) -> list[str]:
        """The ids of the parts that say something is missing."""
        return [p.id for c in self.chapters for p in c.parts if p.missing]


def t(key: str, language: str, **params: Any) -> str:
    """The catalogue text ``strategy.doc.<key>``."""
    return translate(f"strategy.doc.{key}", language, **params)


def number(value: float | None, language: str, decimals: int = 0) -> str:
    """``value`` with thousands separators (Dutch: 1.234,5; English: 1,234.5); "–" for None or NaN."""
    if value is None or not math.isfinite(value):
        return "–"
    text = f"{value:,.{decimals}f}"
    if language == "nl":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def euro(value: float | None, language: str) -> str:
    """An amount in whole euros: "€ 1.234.567"."""
    return "–" if value is None or not math.isfinite(value) else f"€ {number(value, language)}"


def percent(fraction: float | None, language: str, decimals: int = 1) -> str:
    return "–" if fraction is None or not math.isfinite(fraction) else f"{number(100 * fraction, language, decimals)} %"


__all__ = ["Block", "Bullets", "Chapter", "Document", "Para", "Part", "Table", "euro", "number", "percent", "t"]
