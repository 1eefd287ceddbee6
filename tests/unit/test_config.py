"""dossier.toml validation: unknown keys, wrong types, missing files are reported clearly."""

from pathlib import Path

import pytest

from alliantie.dossier import load_dossier
from alliantie.errors import ConfigError


def _rewrite(toml: Path, old: str, new: str) -> None:
    text = toml.read_text(encoding="utf-8")
    assert old in text
    toml.write_text(text.replace(old, new), encoding="utf-8")


def test_minimal_dossier_loads(minimal_dossier):
    dossier = load_dossier(minimal_dossier)
    assert dossier.config.name == "Testgebied"
    assert dossier.config.language == "nl"
    assert dossier.config.parameters.baseinfo.relief_radius_m == 250.0
    assert Path(dossier.input_file("dem").path).name == "dem.tif"
    assert dossier.input_file("soil").layer == "soil"
    assert dossier.input_file("buildings") is None
    # loading the folder works as well as the file
    assert load_dossier(minimal_dossier.parent).toml_path == minimal_dossier.resolve()


def test_unknown_key_names_key_file_and_suggestion(minimal_dossier):
    _rewrite(minimal_dossier, 'resolution = 10.0', 'resolution = 10.0\nresolutoin = 5')
    with pytest.raises(ConfigError) as info:
        load_dossier(minimal_dossier)
    msg = str(info.value)
    assert "resolutoin" in msg
    assert "resolution" in msg  # the suggestion
    assert str(minimal_dossier) in msg


def test_unknown_parameter_key(minimal_dossier):
    minimal_dossier.write_text(
        minimal_dossier.read_text() + "\n[parameters.baseinfo]\nrelief_radus_m = 100\n", encoding="utf-8"
    )
    with pytest.raises(ConfigError) as info:
        load_dossier(minimal_dossier)
    assert "parameters.baseinfo.relief_radus_m" in str(info.value)
    assert "relief_radius_m" in str(info.value)


def test_wrong_type_is_reported_with_expected(minimal_dossier):
    _rewrite(minimal_dossier, "resolution = 10.0", 'resolution = "fine"')
    with pytest.raises(ConfigError) as info:
        load_dossier(minimal_dossier)
    msg = str(info.value)
    assert "'resolution'" in msg and "'fine'" in msg and "number" in msg


def test_missing_required_input(minimal_dossier):
    _rewrite(minimal_dossier, 'dem = "inputs/dem.tif"\n', "")
    with pytest.raises(ConfigError) as info:
        load_dossier(minimal_dossier)
    assert "inputs.dem" in str(info.value)
    assert "missing" in str(info.value)


def test_missing_file_is_named(minimal_dossier):
    _rewrite(minimal_dossier, "inputs/ghg.tif", "inputs/nope.tif")
    with pytest.raises(ConfigError) as info:
        load_dossier(minimal_dossier)
    assert "inputs.ghg" in str(info.value) and "nope.tif" in str(info.value)


def test_toml_syntax_error(minimal_dossier):
    _rewrite(minimal_dossier, 'name = "Testgebied"', 'name = "Testgebied')
    with pytest.raises(ConfigError) as info:
        load_dossier(minimal_dossier)
    assert "TOML" in str(info.value)


def test_bad_scenario_and_language(minimal_dossier):
    _rewrite(minimal_dossier, 'name = "Testgebied"', 'name = "Testgebied"\nlanguage = "de"')
    with pytest.raises(ConfigError) as info:
        load_dossier(minimal_dossier)
    assert "language" in str(info.value)


def test_geographic_crs_refused(minimal_dossier):
    _rewrite(minimal_dossier, 'name = "Testgebied"', 'name = "Testgebied"\ncrs = "EPSG:4326"')
    with pytest.raises(ConfigError) as info:
        load_dossier(minimal_dossier)
    assert "EPSG:28992" in str(info.value)


def test_missing_dossier_file(tmp_path):
    with pytest.raises(ConfigError) as info:
        load_dossier(tmp_path / "nothing.toml")
    assert "nothing.toml" in str(info.value)


def test_messages_in_dutch(minimal_dossier):
    _rewrite(minimal_dossier, 'resolution = 10.0', 'resolution = 10.0\nresolutoin = 5')
    with pytest.raises(ConfigError) as info:
        load_dossier(minimal_dossier)
    assert "onbekende sleutel" in info.value.message("nl")


def test_the_documented_dossier_example_is_valid():
    """docs/dossier.md shows every section of dossier.toml; its parameters and scenarios must validate."""
    import tomllib
    from pathlib import Path

    from alliantie.dossier.config import Parameters, Scenarios

    text = (Path(__file__).resolve().parents[2] / "docs" / "dossier.md").read_text(encoding="utf-8")
    example = tomllib.loads(text.split("```toml", 1)[1].split("```", 1)[0])
    Parameters.model_validate(example["parameters"])
    Scenarios.model_validate(example["scenarios"])
    assert {"dem", "landuse", "corrections", "flood_depth"} <= set(example["inputs"])


def test_one_input_table_feeds_config_check_and_docs() -> None:
    """Every input of ``[inputs]`` has a kind and a description, and docs/dossier.md lists every one."""
    from pathlib import Path

    from alliantie.dossier.config import Inputs, input_specs

    specs = input_specs()
    assert list(specs) == list(Inputs.model_fields)
    assert {n for n, s in specs.items() if s.required} == {"dem", "soil", "ghg", "glg", "landuse"}
    assert {n for n, s in specs.items() if s.categorical} == {"landuse"}
    assert {n for n, s in specs.items() if s.kind == "raster"} == {"dem", "ghg", "glg", "landuse", "flood_depth"}
    docs = (Path(__file__).parents[2] / "docs" / "dossier.md").read_text(encoding="utf-8")
    for name, spec in specs.items():
        assert spec.description, name
        assert f"\n{name} = " in docs, f"docs/dossier.md does not list input {name!r}"


@pytest.mark.parametrize(("old", "new", "nl", "en"), [
    ("resolution = 10.0", 'resolution = "fine"', "verwacht een getal", "expected a number"),
    ("resolution = 10.0", "resolution = -5", "moet groter zijn dan 0", "must be greater than 0"),
    ("resolution = 10.0", "resolution = nan", "verwacht een eindig getal", "expected a finite number"),
    ('name = "Testgebied"', 'name = "Testgebied"\nlanguage = "fr"', "verwacht een van 'nl', 'en'",
     "expected one of 'nl', 'en'"),
])
def test_what_a_value_should_be_is_said_in_the_users_language(minimal_dossier, old, new, nl, en):
    """Review cases 20, 21, 25: pydantic's English ("Input should be ...") no longer appears in a Dutch message."""
    _rewrite(minimal_dossier, old, new)
    with pytest.raises(ConfigError) as info:
        load_dossier(minimal_dossier)
    assert nl in info.value.message("nl") and "Input should" not in info.value.message("nl")
    assert en in info.value.message("en")
