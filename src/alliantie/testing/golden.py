"""Fingerprints of a dossier's saved products, to prove a refactoring changed no result.

A fingerprint holds, per product file:

- GeoTIFF: shape, dtype, nodata count, sum, sum of squares, min, max and the
  values at 64 fixed cells of every band;
- GeoPackage: per layer the row count, the columns, per numeric column its sum
  and null count, per text column a digest of its sorted values, and the total
  area, length and bounds of the geometries;
- JSON (not ``provenance.json``, which records times and code hashes) and CSV:
  the whole parsed content;
- QGIS styles (``.qml``): a digest of the text.

:func:`compare` walks two fingerprints and lists every difference; numbers are
equal within a relative tolerance of 1e-7 (what floating-point summation order
may move, far below any change of method). Regenerate the golden set of the
tests with ``python -m alliantie.testing.golden DOSSIER OUT.json.gz`` only when
a result is *meant* to change, and say so in the commit.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import math
import sys
from pathlib import Path
from typing import Any

import numpy as np

SAMPLES = 64
REL_TOL = 1e-7
ABS_TOL = 1e-9
#: Files that record when and with which code a product was made, not what it holds.
SKIPPED = frozenset({"provenance.json"})
#: JSON keys that hold a run's timings (e.g. the seconds of each pluvial case), not its results.
TIMING_KEYS = frozenset({"seconds", "duration_s", "computed_at"})


def _raster(path: Path) -> dict[str, Any]:
    import rasterio

    with rasterio.open(path) as ds:
        data = ds.read(masked=True)
        bands = []
        rng = np.random.default_rng(0)
        h, w = data.shape[1:]
        rows, cols = rng.integers(0, h, SAMPLES), rng.integers(0, w, SAMPLES)
        for band in data:
            values = band.astype(np.float64)
            valid = values.compressed()
            finite = valid[np.isfinite(valid)]
            sample = [None if band.mask[r, c] else float(values[r, c]) for r, c in zip(rows, cols, strict=True)]
            bands.append({
                "masked": int(np.ma.count_masked(band)),
                "nonfinite": int(valid.size - finite.size),
                "sum": float(finite.sum()) if finite.size else 0.0,
                "sumsq": float((finite**2).sum()) if finite.size else 0.0,
                "min": float(finite.min()) if finite.size else None,
                "max": float(finite.max()) if finite.size else None,
                "sample": [v if v is None or math.isfinite(v) else str(v) for v in sample],
            })
        nodata = None if ds.nodata is None else repr(float(ds.nodata))
        return {"shape": list(data.shape), "dtype": str(ds.dtypes[0]), "nodata": nodata, "bands": bands}


def _digest(values: list[str]) -> str:
    return hashlib.sha256("\x1f".join(values).encode()).hexdigest()[:16]


def _vector(path: Path) -> dict[str, Any]:
    import pyogrio

    out: dict[str, Any] = {}
    for layer, _ in pyogrio.list_layers(path):
        if layer == "layer_styles":
            continue
        gdf = pyogrio.read_dataframe(path, layer=layer)
        columns: dict[str, Any] = {}
        for name in gdf.columns:
            if name == gdf.geometry.name:
                continue
            series = gdf[name]
            if series.dtype.kind in "biuf":
                columns[name] = {"sum": float(series.astype(float).sum()), "nulls": int(series.isna().sum())}
            else:
                columns[name] = {"digest": _digest(sorted(series.astype(str))), "nulls": int(series.isna().sum())}
        geoms = gdf.geometry
        out[layer] = {
            "rows": len(gdf),
            "columns": columns,
            "area": float(geoms.area.sum()),
            "length": float(geoms.length.sum()),
            "bounds": [float(v) for v in geoms.total_bounds] if len(gdf) else None,
        }
    return out


def _number(text: str) -> Any:
    try:
        return float(text)
    except ValueError:
        return text


def _table(path: Path) -> list[list[Any]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [[_number(cell) for cell in row] for row in csv.reader(handle)]


def fingerprint(products_dir: Path | str) -> dict[str, Any]:
    """The fingerprint of every product file under ``products_dir`` (keys relative to it)."""
    root = Path(products_dir)
    out: dict[str, Any] = {}
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.name in SKIPPED or path.name.startswith("."):
            continue
        key = path.relative_to(root).as_posix()
        suffix = path.suffix.lower()
        if suffix == ".tif":
            out[key] = _raster(path)
        elif suffix == ".gpkg":
            out[key] = _vector(path)
        elif suffix == ".json":
            out[key] = json.loads(path.read_text(encoding="utf-8"))
        elif suffix == ".csv":
            out[key] = _table(path)
        elif suffix == ".qml":
            out[key] = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    return out


def compare(expected: Any, actual: Any, where: str = "", limit: int = 40) -> list[str]:
    """Differences between two fingerprints (or parts of them), at most ``limit``."""
    found: list[str] = []

    def walk(a: Any, b: Any, at: str) -> None:
        if len(found) >= limit:
            return
        if isinstance(a, dict) and isinstance(b, dict):
            for key in sorted(set(a) | set(b), key=str):
                if key in TIMING_KEYS:
                    continue
                if key not in b:
                    found.append(f"{at}/{key}: missing")
                elif key not in a:
                    found.append(f"{at}/{key}: unexpected")
                else:
                    walk(a[key], b[key], f"{at}/{key}")
        elif isinstance(a, list) and isinstance(b, list):
            if len(a) != len(b):
                found.append(f"{at}: length {len(a)} != {len(b)}")
                return
            for i, (x, y) in enumerate(zip(a, b, strict=True)):
                walk(x, y, f"{at}[{i}]")
        elif isinstance(a, bool) or isinstance(b, bool) or not (
            isinstance(a, int | float) and isinstance(b, int | float)
        ):
            if a != b:
                found.append(f"{at}: {a!r} != {b!r}")
        elif not math.isclose(a, b, rel_tol=REL_TOL, abs_tol=ABS_TOL):
            found.append(f"{at}: {a!r} != {b!r}")

    walk(expected, actual, where)
    return found


def save(data: dict[str, Any], path: Path | str) -> None:
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        json.dump(data, handle, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def load(path: Path | str) -> dict[str, Any]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


if __name__ == "__main__":  # pragma: no cover - a maintenance command
    dossier, target = Path(sys.argv[1]), Path(sys.argv[2])
    save(fingerprint(dossier / "products"), target)
    print(f"golden fingerprint of {dossier} written to {target}")
