"""The fonts of every PDF: DejaVu Sans (regular, bold, oblique), the TrueType files shipped with matplotlib."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from matplotlib import get_data_path
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_ITALIC = "DejaVuSans-Oblique"


@cache
def register_fonts() -> None:
    """Register the three fonts and their family with reportlab (once per process); a PDF embeds what it uses."""
    folder = Path(get_data_path()) / "fonts" / "ttf"
    for name, file in ((FONT, "DejaVuSans.ttf"), (FONT_BOLD, "DejaVuSans-Bold.ttf"),
                       (FONT_ITALIC, "DejaVuSans-Oblique.ttf")):
        pdfmetrics.registerFont(TTFont(name, str(folder / file)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC,
                                  boldItalic=FONT_BOLD)


__all__ = ["FONT", "FONT_BOLD", "FONT_ITALIC", "register_fonts"]
