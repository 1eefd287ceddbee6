"""The five steps of the Natuurlijke Alliantie method as dossier products.

Importing :mod:`alliantie.method` registers every step's products in
:data:`alliantie.dossier.registry.REGISTRY`.
"""

from alliantie.method import (
    baseinfo,  # noqa: F401  (registers step 2 products)
    urgency,  # noqa: F401  (registers step 1 products)
)
