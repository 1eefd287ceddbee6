"""The ``report`` product: the dossier report made from the saved products of the method's steps.

Declared last by :func:`alliantie.dossier.registry.load_products`, it depends on
every product of the method's steps declared before it: a new product joins the
report without a change here, and a new step gets a chapter of its own
(:func:`alliantie.contract.sections.step_chapter`, or one declared in
:data:`alliantie.contract.sections.REPORT_SECTIONS`). The runner computes the
report into a temporary folder that replaces ``report/`` only on success.
"""

from __future__ import annotations

from collections.abc import Mapping

from alliantie.contract.names import REPORT
from alliantie.dossier.registry import REGISTRY, Product, ProductContext, declare


def report_depends(known: Mapping[str, Product]) -> tuple[str, ...]:
    """The products the report reads: every product of a method step (1-5), in declaration order."""
    return tuple(name for name, p in known.items() if p.step >= 1)


def products(known: Mapping[str, Product]) -> list[Product]:
    """The report, depending on every product of the report's steps in ``known``."""
    return [declare(
        REPORT, report,
        step=0,
        folder="report",
        depends=report_depends(known),
        parameters=("language", "name"),
        title_key="report.product_title",
    )]


def report(ctx: ProductContext) -> None:
    """Write ``index.html``, ``report.pdf``, ``style.css`` and ``maps/*.png``."""
    from alliantie.report.build import build_report  # heavy (matplotlib, reportlab): only when computed

    dirs = {name: ctx.upstream(name) for name in ctx.product.depends}
    steps = {name: REGISTRY[name].step for name in dirs}
    build_report(ctx.dossier, ctx.out_dir, dirs, grid=ctx.grid, boundary=ctx.area, steps=steps)
