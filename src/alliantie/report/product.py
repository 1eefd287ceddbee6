"""The ``report`` product: the dossier report made from the saved products of steps 1 and 2.

Products are registered by import, so this module imports :mod:`alliantie.method`
first and then depends on every registered product of steps 1 and 2: a new
base map or urgency product joins the report without a change here. The runner computes the report into a
temporary folder that replaces ``report/`` only on success.
"""

from __future__ import annotations

import alliantie.method  # noqa: F401  (registers the step products first)
from alliantie.dossier.registry import REGISTRY, ProductContext, product

#: Steps whose products the report shows.
REPORT_STEPS = (1, 2)
#: Every registered product of those steps, in registration order.
REPORT_DEPENDS: tuple[str, ...] = tuple(name for name, p in REGISTRY.items() if p.step in REPORT_STEPS)


@product(
    "report",
    step=0,
    folder="report",
    depends=REPORT_DEPENDS,
    parameters=("language", "name"),
    title_key="report.product_title",
)
def report(ctx: ProductContext) -> None:
    """Write ``index.html``, ``report.pdf``, ``style.css`` and ``maps/*.png``."""
    from alliantie.report.build import build_report  # heavy (matplotlib, reportlab): only when computed

    dirs = {name: ctx.upstream(name) for name in ctx.product.depends}
    steps = {name: REGISTRY[name].step for name in dirs}
    build_report(ctx.dossier, ctx.out_dir, dirs, grid=ctx.grid, boundary=ctx.area, steps=steps)
