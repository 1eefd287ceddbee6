"""A dossier's own version of any knowledge file (``[knowledge]``) is read through the same typed model."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from alliantie.dossier import load_dossier, run_dossier
from alliantie.errors import ConfigError
from alliantie.knowledge import knowledge_file
from alliantie.testing import write_minimal_dossier


def _without_first_source(name: str) -> str:
    """The shipped file ``name`` with the first ``source = ...`` line of a table removed."""
    lines = knowledge_file(name).read_text(encoding="utf-8").splitlines()
    in_table = False
    for i, line in enumerate(lines):
        in_table = in_table or line.startswith("[")
        if in_table and line.startswith("source"):
            del lines[i]
            break
    text = "\n".join(lines) + "\n"
    tomllib.loads(text)  # still valid TOML
    return text


def test_every_knowledge_file_can_be_replaced_and_a_missing_one_is_named(tmp_path: Path) -> None:
    toml = write_minimal_dossier(tmp_path / "d", extra_toml='[knowledge]\nheat = "my_heat.toml"\n')
    with pytest.raises(ConfigError) as err:
        load_dossier(toml)
    assert "knowledge.heat" in err.value.message("en") and "my_heat.toml" in err.value.message("en")
    toml.write_text(toml.read_text().replace('heat = "my_heat.toml"', 'hat = "my_heat.toml"'))
    with pytest.raises(ConfigError) as err:
        load_dossier(toml)
    assert "heat" in err.value.message("en")  # the key it probably meant


@pytest.mark.parametrize(
    ("name", "product"),
    [("heat", "urgency.heat"), ("flood", "urgency.flood"), ("rain_events", "urgency.pluvial"),
     ("drought", "urgency.drought"), ("knmi_scenarios", "urgency.climate"), ("economics", "urgency.damage")],
)
def test_an_override_without_a_source_stops_the_run_naming_the_file(tmp_path: Path, name: str, product: str) -> None:
    folder = tmp_path / "d"
    toml = write_minimal_dossier(folder, extra_toml=f'[knowledge]\n{name} = "own_{name}.toml"\n')
    (folder / f"own_{name}.toml").write_text(_without_first_source(name), encoding="utf-8")
    dossier = load_dossier(toml)
    with pytest.raises(ConfigError) as err:
        run_dossier(dossier, products=[product])
    message = err.value.message("en")
    assert f"own_{name}.toml" in message and "source" in message
    assert not (dossier.products_dir / product).exists()
