"""The whole report from a hand-made dossier: HTML and PDF in Dutch and English, atomic on failure."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from alliantie.dossier import load_dossier
from alliantie.errors import ReportError
from alliantie.report.build import make_report
from alliantie.testing.report_dossier import make_report_dossier

HEADINGS = {
    "nl": ["Invoergegevens", "Stap 2: Basisinformatie", "Analysewijzer", "Lagenkaart",
           "Landschapstypen", "Overzicht van de structuurdragers", "Bijlage: herkomst van de producten"],
    "en": ["Input data", "Step 2: Base information", "Analysis guide", "Layer map", "Landscape types",
           "The structure carriers listed", "Appendix: provenance of the products"],
}


@pytest.fixture(scope="module", params=["nl", "en"])
def report(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    language = request.param
    toml, dirs = make_report_dossier(tmp_path_factory.mktemp(f"report-{language}"), language=language)
    result = make_report(load_dossier(toml), dirs)
    return language, result.folder, dirs


def test_html_is_in_the_dossier_language_and_self_contained(report) -> None:
    language, folder, _ = report
    html = (folder / "index.html").read_text(encoding="utf-8")
    for heading in HEADINGS[language]:
        assert heading in html
    other = "en" if language == "nl" else "nl"
    assert HEADINGS[other][0] not in html
    assert f'<html lang="{language}">' in html
    assert "Testgebied Eem" in html
    assert "http://" not in html and "https://" not in html
    for src in re.findall(r'(?:src|href)="([^"#]+)"', html):
        assert (folder / src).exists(), src
    assert (folder / "style.css").exists()
    assert (folder / "maps" / "lagenkaart.png").exists()
    assert len(list((folder / "maps").glob("*.png"))) == 6


def test_pdf_has_several_pages(report) -> None:
    _, folder, _ = report
    data = (folder / "report.pdf").read_bytes()
    assert data.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", data))
    assert pages > 1


def test_failure_keeps_the_previous_report(tmp_path: Path) -> None:
    toml, dirs = make_report_dossier(tmp_path, language="en")
    dossier = load_dossier(toml)
    make_report(dossier, dirs)
    before = sorted(p.name for p in dossier.report_dir.rglob("*"))
    (dirs["baseinfo.water"] / "water.gpkg").unlink()
    with pytest.raises(ReportError):
        make_report(dossier, dirs)
    assert sorted(p.name for p in dossier.report_dir.rglob("*")) == before
    leftovers = [p.name for p in dossier.root.iterdir() if p.name.startswith(".report")]
    assert leftovers == []


def test_failure_without_previous_report_writes_nothing(tmp_path: Path) -> None:
    toml, dirs = make_report_dossier(tmp_path)
    (dirs["baseinfo.soil"] / "soil.tif").unlink()
    with pytest.raises(ReportError):
        make_report(load_dossier(toml), dirs)
    assert not (tmp_path / "report").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".report")] == []
