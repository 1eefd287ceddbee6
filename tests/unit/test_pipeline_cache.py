"""Registry, cache and provenance: skip what is unchanged, recompute only dependents, never half-write."""

import json
import os

import numpy as np
import pytest

from alliantie.dossier import REGISTRY, load_dossier, product, run_dossier
from alliantie.errors import ProductError
from alliantie.io.atomic import atomic_dir, atomic_file

CALLS: list[str] = []


@pytest.fixture()
def test_products():
    names = ["t.relief", "t.summary", "t.landuse", "t.broken"]

    @product("t.relief", step=2, inputs=("dem",), parameters=("baseinfo.relief_radius_m",))
    def relief(ctx):
        CALLS.append("t.relief")
        dem = ctx.raster("dem").array
        radius = ctx.param("baseinfo.relief_radius_m")
        ctx.write_raster("relief.tif", (dem - np.nanmean(dem)).astype(np.float32) * 0 + radius)

    @product("t.summary", step=2, depends=("t.relief",))
    def summary(ctx):
        CALLS.append("t.summary")
        import rasterio

        with rasterio.open(ctx.upstream("t.relief") / "relief.tif") as ds:
            ctx.write_json("summary.json", {"max": float(ds.read(1).max())})

    @product("t.landuse", step=2, inputs=("landuse",))
    def landuse(ctx):
        CALLS.append("t.landuse")
        ctx.write_json("classes.json", sorted(int(v) for v in np.unique(ctx.raster("landuse").array)))

    @product("t.broken", step=2, inputs=("dem",))
    def broken(ctx):
        ctx.write_json("partial.json", {"half": True})
        raise ValueError("kernel exploded")

    yield
    for name in names:
        REGISTRY.pop(name, None)
    CALLS.clear()


WANTED = ["t.summary", "t.landuse"]


def test_skip_and_invalidate(minimal_dossier, test_products):
    dossier = load_dossier(minimal_dossier)
    first = run_dossier(dossier, products=WANTED)
    assert sorted(first.computed) == ["t.landuse", "t.relief", "t.summary"]
    assert first.skipped == []
    summary = json.loads((dossier.products_dir / "t.summary" / "summary.json").read_text())
    assert summary["max"] == 250.0

    CALLS.clear()
    second = run_dossier(load_dossier(minimal_dossier), products=WANTED)
    assert second.computed == [] and sorted(second.skipped) == ["t.landuse", "t.relief", "t.summary"]
    assert CALLS == []

    # one parameter changes: only the product that declares it and its dependents
    minimal_dossier.write_text(
        minimal_dossier.read_text() + "\n[parameters.baseinfo]\nrelief_radius_m = 100\n", encoding="utf-8"
    )
    third = run_dossier(load_dossier(minimal_dossier), products=WANTED)
    assert third.computed == ["t.relief", "t.summary"]
    assert third.skipped == ["t.landuse"]
    summary = json.loads((dossier.products_dir / "t.summary" / "summary.json").read_text())
    assert summary["max"] == 100.0


def test_touch_without_change_is_skipped_content_change_is_not(minimal_dossier, test_products):
    dossier = load_dossier(minimal_dossier)
    run_dossier(dossier, products=WANTED)
    dem = dossier.root / "inputs" / "dem.tif"
    os.utime(dem, ns=(dem.stat().st_atime_ns, dem.stat().st_mtime_ns + 5_000_000_000))
    assert run_dossier(dossier, products=WANTED).computed == []

    from alliantie.io import read_raster, write_raster

    data = read_raster(dem)
    write_raster(dem, data.array + 1, data.grid, nodata=-9999.0)
    again = run_dossier(dossier, products=WANTED)
    assert again.computed == ["t.relief", "t.summary"]


def test_provenance_record(minimal_dossier, test_products):
    dossier = load_dossier(minimal_dossier)
    run_dossier(dossier, products=["t.relief"])
    record = json.loads((dossier.products_dir / "t.relief" / "provenance.json").read_text())
    assert record["product"] == "t.relief"
    assert record["parameters"] == {"baseinfo.relief_radius_m": 250.0}
    assert record["inputs"]["dem"]["path"] == "inputs/dem.tif"
    assert len(record["inputs"]["dem"]["sha256"]) == 64
    assert "relief.tif" in record["files"]
    assert record["alliantie"]
    assert len(record["key"]) == 64


def test_deleted_output_is_recomputed(minimal_dossier, test_products):
    dossier = load_dossier(minimal_dossier)
    run_dossier(dossier, products=["t.relief"])
    (dossier.products_dir / "t.relief" / "relief.tif").unlink()
    assert run_dossier(dossier, products=["t.relief"]).computed == ["t.relief"]


def test_failure_leaves_no_partial_product(minimal_dossier, test_products):
    dossier = load_dossier(minimal_dossier)
    with pytest.raises(ProductError) as info:
        run_dossier(dossier, products=["t.broken"])
    assert "t.broken" in str(info.value) and "kernel exploded" in str(info.value)
    assert not (dossier.products_dir / "t.broken").exists()
    leftovers = [p.name for p in dossier.products_dir.iterdir() if p.name.startswith(".t.broken")]
    assert leftovers == []


def test_failure_keeps_previous_version(tmp_path):
    target = tmp_path / "prod"
    with atomic_dir(target) as tmp:
        (tmp / "a.txt").write_text("v1")
    with pytest.raises(RuntimeError), atomic_dir(target) as tmp:
        (tmp / "a.txt").write_text("v2-partial")
        raise RuntimeError("crash")
    assert (target / "a.txt").read_text() == "v1"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["prod"]


def test_atomic_file_failure_leaves_nothing(tmp_path):
    with pytest.raises(RuntimeError), atomic_file(tmp_path / "x.json") as tmp:
        tmp.write_text("partial")
        raise RuntimeError("crash")
    assert list(tmp_path.iterdir()) == []


def test_code_hash_follows_the_imports_of_the_product_module() -> None:
    """A product's code hash covers the modules it imports (engines too), not unrelated steps or the CLI."""
    from alliantie.dossier.registry import code_files, code_hash, load_products

    registry = load_products()
    files = {p.relative_to(p.parents[len(p.parts) - 1 - p.parts.index("alliantie")]).as_posix()
             for p in code_files(registry["urgency.heat"].module)}
    assert "alliantie/hazards/heat/pet.py" in files  # the engine it calls
    assert "alliantie/raster/focal.py" in files  # and the raster operations under it
    assert "alliantie/contract/theme.py" in files
    assert not any(f.startswith(("alliantie/cli/", "alliantie/testing/", "alliantie/demo/")) for f in files)
    assert "alliantie/method/urgency/trend/product.py" not in files  # another product's code
    assert code_hash(registry["urgency.heat"].module) != code_hash(registry["urgency.trend"].module)
    assert code_hash("alliantie.cli.main") == "unknown"


def test_every_package_is_either_library_or_not() -> None:
    """A new top-level package must be put on the code-hash allow-list or explicitly left off it."""
    from pathlib import Path

    import alliantie
    from alliantie.dossier.registry import LIBRARY_PACKAGES, NOT_LIBRARY

    root = Path(alliantie.__file__).parent
    names = {p.stem for p in root.glob("*.py")} | {p.name for p in root.iterdir() if (p / "__init__.py").exists()}
    assert not LIBRARY_PACKAGES & NOT_LIBRARY
    assert names <= LIBRARY_PACKAGES | NOT_LIBRARY, sorted(names - LIBRARY_PACKAGES - NOT_LIBRARY)


def test_a_same_size_same_time_replacement_and_a_corrupted_product_are_recomputed(tmp_path) -> None:
    """The cache trusts content: size and time are only a shortcut (issue 15 item 5)."""
    import os

    from alliantie.dossier import load_dossier, run_dossier
    from alliantie.testing import write_minimal_dossier

    dossier = load_dossier(write_minimal_dossier(tmp_path / "d"))
    assert run_dossier(dossier, products=["baseinfo.elevation"]).computed == ["baseinfo.elevation"]
    assert run_dossier(dossier, products=["baseinfo.elevation"]).computed == []
    # an input replaced by a file of the same size, with the old modification time put back
    dem = dossier.root / "inputs" / "dem.tif"
    stat = dem.stat()
    data = bytearray(dem.read_bytes())
    data[-1] ^= 0x01  # one bit of the last tile's data
    dem.write_bytes(bytes(data))
    os.utime(dem, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert dem.stat().st_size == stat.st_size and dem.stat().st_mtime_ns == stat.st_mtime_ns
    assert run_dossier(dossier, products=["baseinfo.elevation"]).computed == ["baseinfo.elevation"]
    # a product file corrupted in place, same size, old time
    tif = dossier.products_dir / "baseinfo.elevation" / "elevation.tif"
    stat = tif.stat()
    data = bytearray(tif.read_bytes())
    data[len(data) // 2] ^= 0xFF
    tif.write_bytes(bytes(data))
    os.utime(tif, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert run_dossier(dossier, products=["baseinfo.elevation"]).computed == ["baseinfo.elevation"]
    assert run_dossier(dossier, products=["baseinfo.elevation"]).computed == []
