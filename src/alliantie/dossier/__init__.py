"""The dossier: one folder per area with ``dossier.toml``, ``inputs/``, ``products/``, ``report/``."""

from alliantie.dossier.config import Dossier, DossierConfig, load_dossier
from alliantie.dossier.registry import REGISTRY, Product, ProductContext, load_products, product
from alliantie.dossier.run import RunEvent, RunSummary, run_dossier

__all__ = [
    "REGISTRY",
    "Dossier",
    "DossierConfig",
    "Product",
    "ProductContext",
    "RunEvent",
    "RunSummary",
    "load_dossier",
    "load_products",
    "product",
    "run_dossier",
]
