"""The two table looks: the report's ruled table and the compact banded table of a one-page product."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Literal

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


#: Where a cell stands in :func:`rows_with_total`: the header row, a body row, the total row.
RowKind = Literal["head", "body", "total"]


def rows_with_total(headings: Sequence[str], rows: Sequence[Sequence[str]], total: Sequence[str] | None,
                    numeric: Sequence[bool], cell: Callable[[str, RowKind, bool], Any]
                    ) -> tuple[list[list[Any]], list[tuple[Any, ...]]]:
    """The rows of a table with a header and an optional bold total under a black rule, each cell made by
    ``cell(text, kind, numeric)``; and the style commands the total needs (for :func:`ruled_table`'s ``extra``)."""
    out = [[cell(h, "head", n) for h, n in zip(headings, numeric, strict=True)]]
    out += [[cell(c, "body", n) for c, n in zip(row, numeric, strict=True)] for row in rows]
    extra: list[tuple[Any, ...]] = []
    if total is not None:
        out.append([cell(c, "total", n) for c, n in zip(total, numeric, strict=True)])
        extra.append(("LINEABOVE", (0, -1), (-1, -1), 1.0, colors.black))
    return out, extra


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


__all__ = ["RowKind", "banded_table", "rows_with_total", "ruled_table"]
