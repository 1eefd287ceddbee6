"""The report is registered as a product that depends on every product of steps 1 to 5."""

from __future__ import annotations

from alliantie.dossier.registry import load_products
from alliantie.i18n import catalogue


def test_report_product_depends_on_all_products_of_the_steps() -> None:
    REGISTRY = load_products()
    report = REGISTRY["report"]
    assert report.step == 0 and report.folder == "report"
    assert report.parameters == ("language", "name")
    step2 = {name for name, p in REGISTRY.items() if p.step == 2}
    step1 = {name for name, p in REGISTRY.items() if p.step == 1}
    step3 = {name for name, p in REGISTRY.items() if p.step == 3}
    assert "urgency.pluvial" in step1
    assert {"vista.guide_models", "vista.suitability"} <= step3
    later = {name for name, p in REGISTRY.items() if p.step in (4, 5)}
    assert "strategy.document" in later
    assert set(report.depends) == step2 | step1 | step3 | later


def test_every_report_text_has_both_languages_and_no_empty_text() -> None:
    entries = {k: v for k, v in catalogue().items() if k.startswith("report.")}
    assert len(entries) > 80
    for key, texts in entries.items():
        assert texts["nl"].strip() and texts["en"].strip(), key
