"""A dossier can bring its own analysewijzer; only the analysewijzer (and the report) follow the change."""

import json
from pathlib import Path

import pytest

from alliantie.dossier import load_dossier, run_dossier
from alliantie.errors import ConfigError
from alliantie.knowledge import knowledge_file

ORIGINAL = "Droge, hoge woonplek"


def test_dossier_analysewijzer_override(minimal_dossier):
    products = ["baseinfo.analysewijzer"]
    first = run_dossier(load_dossier(minimal_dossier), products=products)
    assert "baseinfo.analysewijzer" in first.computed

    text = Path(knowledge_file("analysewijzer")).read_text(encoding="utf-8")
    assert ORIGINAL in text
    own = minimal_dossier.parent / "eigen_analysewijzer.toml"
    own.write_text(text.replace(ORIGINAL, "Eigen tekst van de regio"), encoding="utf-8")
    minimal_dossier.write_text(
        minimal_dossier.read_text(encoding="utf-8") + '\n[knowledge]\nanalysewijzer = "eigen_analysewijzer.toml"\n',
        encoding="utf-8",
    )
    second = run_dossier(load_dossier(minimal_dossier), products=products)
    assert second.computed == ["baseinfo.analysewijzer"]
    folder = minimal_dossier.parent / "products" / "baseinfo.analysewijzer"
    data = json.loads((folder / "analysewijzer.json").read_text(encoding="utf-8"))
    texts = json.dumps(data, ensure_ascii=False)
    assert "Eigen tekst van de regio" in texts and ORIGINAL not in texts
    record = json.loads((folder / "provenance.json").read_text(encoding="utf-8"))
    assert record["knowledge"]["analysewijzer"]["file"] == "eigen_analysewijzer.toml"


def test_dossier_analysewijzer_that_does_not_fit_names_the_file_and_the_field(minimal_dossier):
    """The dossier's own analysewijzer is read by the knowledge model: a wrong entry stops the product, naming both."""
    text = Path(knowledge_file("analysewijzer")).read_text(encoding="utf-8")
    own = minimal_dossier.parent / "eigen_analysewijzer.toml"
    own.write_text(text.replace('id = "veen"\nlayer = "soil"', 'id = "veen"\nlayer = "bodem"', 1), encoding="utf-8")
    minimal_dossier.write_text(
        minimal_dossier.read_text(encoding="utf-8") + '\n[knowledge]\nanalysewijzer = "eigen_analysewijzer.toml"\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as info:
        run_dossier(load_dossier(minimal_dossier), products=["baseinfo.analysewijzer"])
    message = info.value.message("en")
    assert info.value.key == "errors.knowledge_invalid"
    assert "eigen_analysewijzer.toml" in message and "element.2.layer: Input should be 'soil', 'water' or 'green'" \
        in message
