"""The stresstest-light (step 1, *Urgentie*): a one-page first indication of climate urgency per theme.

* :mod:`~alliantie.method.stresstest.rules`: traffic lights, focus areas, rules for a detailed stress test;
* :mod:`~alliantie.method.stresstest.verdict`: the verdict on every theme from the theme files, and its wording;
* :mod:`~alliantie.method.stresstest.inputs`: reading the theme products, the flood and damage summaries, the
  dossier inputs (:mod:`~alliantie.method.stresstest.damage_ranges`: what the page shows of ``damage.json``);
* :mod:`~alliantie.method.stresstest.outputs`: tables, the focus map and its files, ``summary.json``;
* :mod:`~alliantie.method.stresstest.page`: the one-page ``stresstest.pdf``;
* :mod:`~alliantie.method.stresstest.product`: product ``urgency.stresstest``, the short product function;
* :mod:`~alliantie.method.stresstest.minimal`: a minimal dossier from a few files (``alliantie stresstest``).
"""
