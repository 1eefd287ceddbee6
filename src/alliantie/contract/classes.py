"""Class tables: the classes of a categorical raster as the knowledge files list them.

A class table is a list of TOML tables with at least ``id``, ``code`` (the
integer in the raster, 1..255; 0 is no data), ``nl``, ``en`` and ``color``.
Soil classes, groundwater steps, landscape types and vegetation groups are all
read this way (the rows of their knowledge models, :class:`ClassEntry`); the
base maps turn them into legends and styles.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

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


class ClassEntry(Protocol):
    """A row of a class table as a knowledge model reads it (``alliantie.knowledge.model.ClassRow``)."""

    @property
    def id(self) -> str: ...
    @property
    def code(self) -> int: ...
    @property
    def nl(self) -> str: ...
    @property
    def en(self) -> str: ...
    @property
    def color(self) -> str: ...


def class_table(entries: Sequence[ClassEntry]) -> list[ClassInfo]:
    """The classes of a class table; checks that ids and codes are unique and codes in 1..255."""
    out = [ClassInfo(id=e.id, code=e.code, nl=e.nl, en=e.en, color=e.color) for e in entries]
    ids = [c.id for c in out]
    codes = [c.code for c in out]
    if len(set(ids)) != len(ids) or len(set(codes)) != len(codes):
        raise ValueError(f"class table has duplicate ids or codes: {ids} / {codes}")
    if any(not 1 <= c <= 255 for c in codes):
        raise ValueError(f"class codes must be 1..255, got {codes}")
    return out
