"""reportlab building blocks shared by the report and one-page products: fonts, paragraph styles, tables.

* :mod:`~alliantie.typeset.fonts`: the DejaVu fonts shipped with matplotlib, registered once and embedded in
  every PDF, so every character of both languages prints;
* :mod:`~alliantie.typeset.styles`: the house colours and paragraph styles on those fonts;
* :mod:`~alliantie.typeset.tables`: the two table looks, the report's ruled table with an accent header and the
  compact banded table of a one-page product.

A low floor: it imports reportlab and matplotlib only, so the report (``alliantie.report``) and a product of
``alliantie.method`` (the stresstest-light page) can both use it.
"""
