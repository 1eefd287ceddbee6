"""A sketch evaluated on a dossier, written to a folder: what ``alliantie evaluate`` runs.

``effects.json`` (:mod:`alliantie.contract.effects`), ``effects_features.csv``
(one row per feature, the feature alone), ``effects_total.csv`` (per theme and
scenario) and, per scenario, the change of the water depth of the map storm
(``depth_change_<scenario>.tif``, m, negative where the measures lower the water; the full level only).
With ``overland_buffer_m`` the dynamic check runs too (:mod:`alliantie.measures.overland`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from alliantie.contract.effects import EffectsFile, write_effects
from alliantie.dossier.config import Dossier
from alliantie.io.atomic import atomic_file
from alliantie.io.raster import write_raster
from alliantie.io.vector import read_vector
from alliantie.measures.evaluate import Level, evaluate
from alliantie.measures.export import effects_file, overland_record
from alliantie.measures.overland import overland_effect
from alliantie.measures.placement import place
from alliantie.measures.sketch import Sketch
from alliantie.method.vista.baseline import dossier_baseline


@dataclass(frozen=True)
class Evaluation:
    effects: EffectsFile
    path: Path  #: the effects.json


def evaluate_sketch(dossier: Dossier, sketch_path: Path, out: Path, *, layer: str | None = None,
                    per_feature: bool = True, level: Level = "full", overland_buffer_m: float | None = None,
                    overland_return_periods: Sequence[float] | None = None) -> Evaluation:
    """Evaluate the sketch at ``sketch_path`` on ``dossier`` and write the files into ``out``.

    ``overland_buffer_m``: run the dynamic check too (windows grown by that margin); ``overland_return_periods``:
    its storms (default today's map storm; two or more give its EAD, the dynamic estimate)."""
    baseline = dossier_baseline(dossier)
    frame = read_vector(sketch_path, layer=layer, target_crs=baseline.grid.crs, label=sketch_path.name)
    sketch = Sketch.from_frame(frame, baseline.catalogue, label=str(sketch_path))
    effects = evaluate(baseline, sketch, per_feature=per_feature, level=level)
    data = effects_file(effects, baseline, str(sketch_path))
    if overland_buffer_m is not None and baseline.pluvial is not None:
        placements = [place(f, baseline.grid, baseline.buildings) for f in sketch.features]
        dynamic = overland_effect(baseline.pluvial, placements, buffer_m=overland_buffer_m,
                                  return_periods=overland_return_periods)
        if dynamic is not None:
            data = data.model_copy(update={"overland": overland_record(dynamic, overland_buffer_m)})
    out.mkdir(parents=True, exist_ok=True)
    path = write_effects(out, data)
    _write_csv(out / "effects_features.csv", _feature_rows(data))
    _write_csv(out / "effects_total.csv", _total_rows(data))
    for sid, before in effects.depths_before.items():
        after = effects.depths_after[sid]
        change = np.nan_to_num(after, nan=0.0) - np.nan_to_num(before, nan=0.0)
        change = np.where(np.isfinite(before) | np.isfinite(after), change, np.nan).astype(np.float32)
        write_raster(out / f"depth_change_{sid}.tif", change, baseline.grid, nodata=np.nan)
    return Evaluation(effects=data, path=path)


def _write_csv(path: Path, rows: list[dict[str, object]]) -> None:
    with atomic_file(path) as tmp:
        pd.DataFrame(rows).to_csv(tmp, index=False)


def _feature_rows(data: EffectsFile) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for f in data.features:
        row: dict[str, object] = {"id": f.id, "measure": f.measure, "name_nl": f.name.nl, "name_en": f.name.en,
                                  "label": f.label, "quantity": f.quantity, "unit": f.unit,
                                  "storage_m3": f.storage_m3, "investment_eur": f.investment_eur["mean"],
                                  "cost_pv_eur": f.cost_pv_eur["mean"]}
        for theme, per in f.avoided_ead_eur.items():
            for sid, value in per.items():
                row[f"avoided_ead_{theme}_{sid}"] = value
        for sid, n in f.buildings_kept_dry.items():
            row[f"kept_dry_{sid}"] = n
        rows.append(row)
    return rows


def _total_rows(data: EffectsFile) -> list[dict[str, object]]:
    t = data.total
    rows: list[dict[str, object]] = []
    for theme, per in t.avoided_ead_eur.items():
        for sid, levels in per.items():
            rows.append({"theme": theme, "scenario": sid, "ead_before_eur": t.ead_before_eur[theme][sid]["mean"],
                         "ead_after_eur": t.ead_after_eur[theme][sid]["mean"], "avoided_low": levels["low"],
                         "avoided_mean": levels["mean"], "avoided_high": levels["high"],
                         "avoided_pv_eur": t.avoided_pv_eur[theme].get(sid), "kept_dry": t.buildings_kept_dry.get(sid),
                         "newly_wet": t.buildings_newly_wet.get(sid)})
    return rows
