"""The strategy document (``strategy.document``, step 5): Urgency, Policy, Implementation, as HTML and PDF.

Made from the owner's ``strategy.toml`` (:mod:`alliantie.parameters.strategy`) and the saved products: the
stress test's focus areas, the vulnerability map, the damage, the inspiration maps, the afwegingskader's rules,
meekoppelen and the business case. A part the owner has not written or a product that was not computed is
named in the document with what to write or compute, never filled in.

* :mod:`.sources`: what it reads, each through its contract;
* :mod:`.urgency`, :mod:`.policy`, :mod:`.implementation`: the three chapters as data (:mod:`.model`);
* :mod:`.document`: the whole document; :mod:`.html` and :mod:`.pdf`: the writers; :mod:`.product`.
"""
