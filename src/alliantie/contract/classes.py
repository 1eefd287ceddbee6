"""Class tables: the classes of a categorical raster as the knowledge files list them.

A class table is a list of TOML tables with at least ``id``, ``code`` (the
integer in the raster, 1..255; 0 is no data), ``nl``, ``en`` and ``color``.
Soil classes, groundwater steps, landscape types and vegetation groups are all
read this way; the base maps turn them into legends and styles.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from alliantie.contract.spec import Text


@dataclass(frozen=True)
class ClassInfo:
    """One class of a categorical base map."""

    id: str
    code: int
    nl: str
    en: str
    color: str

    @property
    def text(self) -> Text:
        return Text(nl=self.nl, en=self.en)

    def label(self, language: str) -> str:
        return self.en if language == "en" else self.nl


def class_table(entries: Sequence[Mapping[str, Any]]) -> list[ClassInfo]:
    """Typed view of a class table; checks that ids and codes are unique and codes in 1..255."""
    out = [
        ClassInfo(id=str(e["id"]), code=int(e["code"]), nl=str(e["nl"]), en=str(e["en"]), color=str(e["color"]))
        for e in entries
    ]
    ids = [c.id for c in out]
    codes = [c.code for c in out]
    if len(set(ids)) != len(ids) or len(set(codes)) != len(codes):
        raise ValueError(f"class table has duplicate ids or codes: {ids} / {codes}")
    if any(not 1 <= c <= 255 for c in codes):
        raise ValueError(f"class codes must be 1..255, got {codes}")
    return out
