"""The house colours and the paragraph styles on the house fonts."""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle

from alliantie.typeset.fonts import FONT, FONT_BOLD, FONT_ITALIC, register_fonts

#: Headings, header rows, the title of a page.
ACCENT = colors.HexColor("#2f6b3a")
#: Footers, notes, the rule under a compact table's header.
MUTED = colors.HexColor("#5b6770")
#: The rules between table rows and above the footer.
LINE = colors.HexColor("#d5dadd")
#: Every other row of a banded table; group rows.
BAND = colors.HexColor("#f3f6f3")
#: Text of something that is absent (a grey cell).
ABSENT = colors.HexColor("#9aa3a8")


def paragraph_style(name: str, *, size: float, leading: float, bold: bool = False, italic: bool = False,
                    parent: ParagraphStyle | None = None, **attributes: Any) -> ParagraphStyle:
    """A paragraph style on the house fonts (registered first, so a PDF can name them)."""
    register_fonts()
    font = FONT_BOLD if bold else FONT_ITALIC if italic else FONT
    return ParagraphStyle(name, parent=parent, fontName=font, fontSize=size, leading=leading, **attributes)


__all__ = ["ABSENT", "ACCENT", "BAND", "LINE", "MUTED", "paragraph_style"]
