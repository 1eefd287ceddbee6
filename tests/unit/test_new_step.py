"""A product of a new step needs its own files plus one line: its declarations module in PRODUCT_MODULES."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from alliantie.dossier import load_dossier, run_dossier
from alliantie.dossier import registry as reg
from alliantie.testing import write_minimal_dossier

DECLARATIONS = '''
from alliantie.dossier.registry import declare

VISTA = "vista.guide_model"


def products(known):
    return [declare(VISTA, "vistastep.guide_model:guide_model", step=3, inputs=("dem",),
                    parameters=("language",), depends=("baseinfo.elevation",))]
'''

PRODUCT = '''
import numpy as np

from alliantie.contract.spec import Text, TableSpec, Column, write_tables
from alliantie.dossier.registry import ProductContext


def guide_model(ctx: ProductContext) -> None:
    dem = ctx.raster("dem").array
    ctx.write_raster("guide.tif", (dem > np.nanmedian(dem)).astype(np.uint8), nodata=255)
    write_tables(ctx.out_dir, [TableSpec(id="guide", theme="vista", title=Text(nl="Gidsmodel", en="Guide model"),
                                         columns=[Column(label=Text(nl="Deel", en="Part"))], rows=[["hoog"]])])
'''


@pytest.fixture()
def step3(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    package = tmp_path / "plugins" / "vistastep"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "products.py").write_text(textwrap.dedent(DECLARATIONS))
    (package / "guide_model.py").write_text(textwrap.dedent(PRODUCT))
    monkeypatch.syspath_prepend(str(tmp_path / "plugins"))
    before = dict(reg.REGISTRY)
    # the one line: the step's declarations module, before the report
    modules = list(reg.PRODUCT_MODULES)
    monkeypatch.setattr(reg, "PRODUCT_MODULES", (*modules[:-1], "vistastep.products", modules[-1]))
    reg.REGISTRY.clear()
    reg._load_declarations.cache_clear()
    yield
    monkeypatch.setattr(reg, "PRODUCT_MODULES", tuple(modules))
    reg.REGISTRY.clear()
    reg.REGISTRY.update(before)
    reg._load_declarations.cache_clear()
    reg._load_declarations()  # declared again, as before the plugin
    for name in [m for m in sys.modules if m.startswith("vistastep")]:
        del sys.modules[name]


def test_a_new_step_joins_the_registry_the_run_and_the_report(step3, tmp_path: Path) -> None:
    registry = reg.load_products()
    assert registry["vista.guide_model"].step == 3
    assert "vista.guide_model" in registry["report"].depends
    dossier = load_dossier(write_minimal_dossier(tmp_path / "d"))
    summary = run_dossier(dossier, products=["vista.guide_model"])
    assert summary.computed == ["baseinfo.elevation", "vista.guide_model"]
    assert (dossier.products_dir / "vista.guide_model" / "guide.tif").exists()
    run_dossier(dossier, products=["report"])
    html = (dossier.report_dir / "index.html").read_text(encoding="utf-8")
    assert 'id="step3"' in html and "Gidsmodel" in html
