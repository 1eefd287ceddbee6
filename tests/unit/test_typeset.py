"""The typesetting kit: fonts registered once, styles on them, the two table looks."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import LongTable

from alliantie.typeset.fonts import FONT, FONT_BOLD, FONT_ITALIC, register_fonts
from alliantie.typeset.styles import ACCENT, BAND, LINE, MUTED, paragraph_style
from alliantie.typeset.tables import banded_table, ruled_table


def test_fonts_and_styles() -> None:
    register_fonts()
    register_fonts()  # once per process
    assert {FONT, FONT_BOLD, FONT_ITALIC} <= set(pdfmetrics.getRegisteredFontNames())
    body = paragraph_style("body", size=9.5, leading=13.5, spaceAfter=5)
    assert (body.fontName, body.fontSize, body.leading, body.spaceAfter) == (FONT, 9.5, 13.5, 5)
    head = paragraph_style("h", parent=body, size=12, leading=16, bold=True, textColor=ACCENT)
    assert head.fontName == FONT_BOLD and head.spaceAfter == 5 and head.textColor == ACCENT
    assert paragraph_style("i", size=8, leading=10, italic=True).fontName == FONT_ITALIC


def test_ruled_table_of_the_report() -> None:
    rows = [["a", "b"], ["1", "2"], ["3", "4"]]
    table = ruled_table(rows, [10.0, 20.0], extra=[("LINEABOVE", (0, -1), (-1, -1), 1.0, colors.black)])
    assert table.repeatRows == 1 and table.hAlign == "LEFT"
    assert ("BACKGROUND", (0, 0), (-1, 0), ACCENT) in table._bkgrndcmds
    lines = [tuple(c[:5]) for c in table._linecmds]
    assert ("LINEBELOW", (0, 0), (-1, -1), 0.4, LINE) in lines
    assert lines[-1] == ("LINEABOVE", (0, -1), (-1, -1), 1.0, colors.black)  # extra commands come last
    plain = ruled_table(rows, [10.0, 20.0], header=False, long=True)
    assert isinstance(plain, LongTable) and plain.repeatRows == 0 and not plain._bkgrndcmds


def test_banded_table_of_a_one_page_product() -> None:
    table = banded_table([["a"], ["1"], ["2"]], [10.0])
    assert table.repeatRows == 1 and table.hAlign == "CENTER"
    assert ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, BAND]) in table._bkgrndcmds
    assert ("LINEBELOW", (0, 0), (-1, 0), 0.6, MUTED) in [tuple(c[:5]) for c in table._linecmds]
