"""Issue 10, item 3: damage that follows the water. The small demo (seed 7) with ``[parameters.pluvial]
engine = "overland"``: every storm of the KNMI'23 series in every scenario runs through the 2-D engine, and the
damage product reads its depths and durations.

The fast tests coarsen the demo's grid to 40 m cells (100 x 80 cells; about 25 s of CPU per run): the 10 m grid
takes 20-40 s per storm and 34 storms (the slow test, ``-m slow``). The coarse run is the session's
``coarse_overland_run`` (``conftest.py``), which ``test_measures_overland_product.py`` reads too."""

import itertools
import shutil

import pytest
from click.testing import CliRunner

from alliantie.cli.main import cli

SCENARIOS = ("current", "Ln2050", "Hd2050", "Ln2100", "Hd2100")


def _invoke(*args: str):
    result = CliRunner().invoke(cli, ["--lang", "en", *args])
    assert result.exit_code == 0, result.output
    return result


def _dossier(folder, resolution: float | None, extra: str):
    toml = folder / "dossier.toml"
    text = toml.read_text(encoding="utf-8")
    if resolution is not None:
        text = text.replace("resolution = 10.0 ", f"resolution = {resolution:g} ")
        assert f"resolution = {resolution:g} " in text
    toml.write_text(text + "\n[parameters.pluvial]\nengine = \"overland\"\n" + extra, encoding="utf-8")
    return toml


def _runs(tmp_path_factory, resolution: float | None):
    base = tmp_path_factory.mktemp("overland") / "demo"
    _invoke("demo", "--out", str(base), "--size", "small", "--seed", "7")
    storage = base.parent / "storage"
    shutil.copytree(base, storage)
    _invoke("run", str(_dossier(base, resolution, "")), "--product", "urgency.damage")
    _invoke("run", str(_dossier(storage, resolution, "extra_storage_mm = 20.0\n")), "--product", "urgency.damage")
    return base, storage


@pytest.fixture(scope="module")
def coarse(coarse_overland_run, tmp_path_factory):
    """The session's coarse run, and a copy of it with 20 mm of extra storage run again (the products the storage
    changes are computed anew, the rest found up to date: the same files as a run of its own from the clean demo)."""
    storage = tmp_path_factory.mktemp("overland") / "storage"
    shutil.copytree(coarse_overland_run, storage)
    toml = storage / "dossier.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "extra_storage_mm = 20.0\n", encoding="utf-8")
    _invoke("run", str(toml), "--product", "urgency.damage")
    return coarse_overland_run, storage


def _damage(folder):
    from alliantie.contract.damage import read_damage

    damage = read_damage(folder / "products" / "urgency.damage")
    assert damage is not None
    return damage.themes["pluvial"]


def _overland(folder):
    from alliantie.contract.summaries import OVERLAND_FILE, PluvialOverlandSummary, read_summary

    summary = read_summary(folder / "products" / "urgency.pluvial", PluvialOverlandSummary, OVERLAND_FILE)
    assert summary is not None
    return summary


def _check_series(folder):
    pluvial = _damage(folder)
    for sid in SCENARIOS:
        events = sorted((e for e in pluvial.events if e.scenario == sid), key=lambda e: e.return_period_years)
        assert len(events) == 8 and events[0].return_period_years == 2 and events[-1].return_period_years == 1000
        total = [e.land["mean"] + e.buildings["mean"] for e in events]
        wet = [e.buildings_above_floor for e in events]
        assert all(b >= a for a, b in itertools.pairwise(total)), (sid, total)
        assert all(b >= a for a, b in itertools.pairwise(wet)), (sid, wet)
        assert total[-1] > total[0] and wet[-1] > wet[0], sid
    annual = {sid: pluvial.annual[sid].mean for sid in SCENARIOS}
    assert annual["current"] < annual["Ln2050"] < annual["Hd2050"] < annual["Hd2100"]
    assert annual["Ln2050"] == pytest.approx(annual["Ln2100"])
    summary = _overland(folder)
    for sid in SCENARIOS:
        cases = [c for c in summary.cases if c.id.startswith("rp") and c.id.endswith(f"_{sid}")]
        assert len(cases) == 8
        for field in ("wet_cells", "buildings_above_floor", "road_km_no_cars", "road_km_hours"):
            values = [getattr(c, field) for c in cases]
            assert all(b >= a for a, b in itertools.pairwise(values)), (sid, field, values)
            assert values[-1] > values[0], (sid, field, values)
    for c in summary.cases:
        assert abs(c.balance_error) < 1e-9, c.id
        assert c.road_km_impassable <= c.road_km_no_cars + 1e-9
    # the product's counts of buildings above floor are the damage product's
    counts = {(c.id.rsplit("_", 1)[0], c.id.rsplit("_", 1)[1]): c.buildings_above_floor for c in summary.cases}
    for e in pluvial.events:
        assert e.buildings_above_floor == counts[(e.event, e.scenario)], (e.event, e.scenario)


def _check_storage(base, storage):
    before, after = _damage(base), _damage(storage)
    for sid in SCENARIOS:
        assert after.annual[sid].mean < before.annual[sid].mean, sid
    for e_after in after.events:
        e_before = next(e for e in before.events if (e.event, e.scenario) == (e_after.event, e_after.scenario))
        assert e_after.buildings_above_floor <= e_before.buildings_above_floor


def test_damage_follows_the_2d_water_over_the_series(coarse):
    _check_series(coarse[0])


def test_storage_lowers_the_2d_damage(coarse):
    _check_storage(*coarse)


def test_the_2d_engine_writes_durations_and_the_damage_says_so(coarse):
    from alliantie.contract.pluvial_depths import DURATIONS_FILE, read_case_depths

    folder = coarse[0] / "products" / "urgency.pluvial"
    depths, durations = read_case_depths(folder), read_case_depths(folder, DURATIONS_FILE)
    assert depths is not None and durations is not None and set(durations) == set(depths)
    basis = _damage(coarse[0]).basis
    assert basis is not None and "2-D" in basis.en and "2-D" in basis.nl


@pytest.mark.slow
def test_damage_follows_the_2d_water_on_the_10m_demo(tmp_path_factory):
    base, storage = _runs(tmp_path_factory, None)
    _check_series(base)
    _check_storage(base, storage)
