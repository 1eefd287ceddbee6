"""The two table looks: the report's ruled table and the compact banded table of a one-page product."""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.platypus import LongTable, Table, TableStyle

from alliantie.typeset.styles import ACCENT, BAND, LINE, MUTED


def ruled_table(rows: list[list[Any]], widths: list[float], *, header: bool = True,
                extra: list[tuple[Any, ...]] | None = None, long: bool = False) -> Table:
    """A left-aligned table with a thin rule under every row and (``header``) an accent header row repeated on
    every page; ``long`` for a table that runs over pages; ``extra`` table-style commands come last."""
    kind = LongTable if long else Table
    table = kind(rows, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
    style: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, LINE),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), ACCENT))
    table.setStyle(TableStyle(style + (extra or [])))
    return table


def banded_table(rows: list[list[Any]], widths: list[float], extra: list[tuple[Any, ...]] | None = None) -> Table:
    """A compact table (a one-page product): a rule under the header row, banded rows, tight padding;
    ``extra`` table-style commands come last."""
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, MUTED),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, BAND]),
        ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 1.2), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.2),
        *(extra or []),
    ]))
    return table


__all__ = ["banded_table", "ruled_table"]
