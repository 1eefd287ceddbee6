"""The stresstest-light (step 1, *Urgentie*): a one-page first indication of climate urgency per theme.

* :mod:`~alliantie.method.stresstest.rules`: traffic lights, focus areas, rules for a detailed stress test;
* :mod:`~alliantie.method.stresstest.product`: product ``urgency.stresstest`` (tables, map, ``summary.json``);
* :mod:`~alliantie.method.stresstest.page`: the one-page ``stresstest.pdf``;
* :mod:`~alliantie.method.stresstest.minimal`: a minimal dossier from a few files (``alliantie stresstest``).
"""
