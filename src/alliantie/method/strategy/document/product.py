"""The product ``strategy.document``: ``strategy.html`` and ``strategy.pdf`` in the dossier language, and
``document.json`` (which parts say that something is missing)."""

from __future__ import annotations

from pathlib import Path

from alliantie.contract.names import (
    BUSINESS_CASE,
    DAMAGE,
    MEEKOPPELEN,
    STRESSTEST,
    THEME_PRODUCT,
    VULNERABILITY,
)
from alliantie.contract.strategy_document import DocumentPart, DocumentSummary, write_document_summary
from alliantie.dossier.provenance import path_for_record
from alliantie.dossier.registry import ProductContext
from alliantie.method.strategy.assessment.framework import dossier_rules
from alliantie.method.strategy.document.document import make_document
from alliantie.method.strategy.document.html import HTML_FILE, render_html
from alliantie.method.strategy.document.pdf import PDF_FILE, write_pdf
from alliantie.method.strategy.document.policy import INSPIRATION_PRODUCTS
from alliantie.method.strategy.document.sources import (
    Sources,
    read_inspiration,
    read_optional_business_case,
    read_optional_damage,
    read_optional_meekoppelen,
    read_optional_stresstest,
    read_theme_data,
    read_vulnerability,
)
from alliantie.parameters.strategy import load_strategy

#: The knowledge file of the afwegingskader (``alliantie assess``); read when this version ships it.
ASSESSMENT_RULES = "assessment_rules"


def gather(ctx: ProductContext) -> Sources:
    """Everything the document shows, from the dossier's strategy.toml and the saved products."""
    ref = ctx.dossier.input_file("strategy")
    sources = Sources(
        strategy=load_strategy(ref.path) if ref is not None else None,
        strategy_path=path_for_record(ref.path, ctx.dossier.root) if ref is not None else "",
        stresstest=read_optional_stresstest(ctx.optional_upstream(STRESSTEST)),
        vulnerability=read_vulnerability(ctx.optional_upstream(VULNERABILITY)),
        damage=read_optional_damage(ctx.optional_upstream(DAMAGE)),
        meekoppelen=read_optional_meekoppelen(ctx.optional_upstream(MEEKOPPELEN)),
        business_case=read_optional_business_case(ctx.optional_upstream(BUSINESS_CASE)),
    )
    for theme, name in THEME_PRODUCT.items():
        data = read_theme_data(ctx.optional_upstream(name))
        if data is not None:
            sources.themes[theme] = data
    for name in INSPIRATION_PRODUCTS:
        sources.inspiration[name] = read_inspiration(name, ctx.optional_upstream(name))
    if ASSESSMENT_RULES in ctx.product.knowledge:
        path = Path(ctx.knowledge_path(ASSESSMENT_RULES))
        sources.assessment_rules = dossier_rules(ctx.dossier)[1]  # its thresholds applied, skipped rules out
        override = ctx.dossier.knowledge_override(ASSESSMENT_RULES)
        sources.assessment_file = path_for_record(path, ctx.dossier.root) if override is not None else path.name
    return sources


def strategy_document(ctx: ProductContext) -> None:
    """Write ``strategy.html``, ``strategy.pdf`` and ``document.json``."""
    document = make_document(gather(ctx), ctx.language, str(ctx.param("name")))
    ctx.write_text(HTML_FILE, render_html(document))
    write_pdf(document, ctx.path(PDF_FILE))
    write_document_summary(ctx.out_dir, DocumentSummary(
        language=document.language, files=[HTML_FILE, PDF_FILE],
        parts=[DocumentPart(id=p.id, chapter=c.id, missing=p.missing) for c in document.chapters for p in c.parts],
    ))
