"""``urgency.pluvial/case_depths.npz``: the water depth of every pluvial case, for the damage product.

The pluvial product computes dozens of cases (an event series in every climate
scenario) but writes a GeoTIFF only for the few the report shows. The damage
product needs every case's depth: this file holds, per case id, the flat
indices (row-major on the dossier grid) of the cells with a shown depth and
that depth (m, float32); every other cell is dry (NaN). It is a zip of ``.npy``
arrays (``numpy.load`` reads it) with fixed timestamps, so two runs write the
same bytes.

With the 2-D engine (``[parameters.pluvial] engine = "overland"``) the product
also writes ``case_durations.npz`` in the same layout: per case the hours the
water stood at or above the display depth (``min_depth_m``) in each wet cell
(cells without a value: no duration known, the damage product then takes its
default duration). The damage product values the land use with these durations.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import numpy as np

from alliantie.io.atomic import atomic_file

DEPTHS_FILE = "case_depths.npz"
#: hours the water stood per case and cell (engine "overland" only)
DURATIONS_FILE = "case_durations.npz"
_EPOCH = (1980, 1, 1, 0, 0, 0)


def _member(archive: zipfile.ZipFile, name: str, array: np.ndarray) -> None:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    info = zipfile.ZipInfo(f"{name}.npy", date_time=_EPOCH)
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, buffer.getvalue())


def write_case_depths(folder: Path, depths: Iterable[tuple[str, np.ndarray]], shape: tuple[int, int],
                      filename: str = DEPTHS_FILE) -> Path:
    """Write the depth raster of each ``(case id, depth)`` (m, NaN or <= 0 dry) sparsely into ``folder``.

    ``filename``: :data:`DURATIONS_FILE` writes the durations (h, NaN or <= 0: none) the same way.
    """
    target = Path(folder) / filename
    with atomic_file(target) as tmp, zipfile.ZipFile(tmp, "w") as archive:
        _member(archive, "shape", np.asarray(shape, dtype=np.int64))
        for case_id, depth in depths:
            array = np.asarray(depth, dtype=np.float32)
            if array.shape != tuple(shape):
                raise ValueError(f"depth of case {case_id!r} does not have the grid's shape {shape}")
            flat = array.reshape(-1)
            with np.errstate(invalid="ignore"):
                cells = np.flatnonzero(np.isfinite(flat) & (flat > 0))
            _member(archive, f"cells_{case_id}", cells.astype(np.int64))
            _member(archive, f"depth_{case_id}", flat[cells])
    return target


class CaseDepths(Mapping[str, np.ndarray]):
    """The saved depths: ``depths[case_id]`` is the dense float32 raster (m, NaN dry) of a case."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        with np.load(self.path, allow_pickle=False) as data:
            self._arrays = {name: data[name] for name in data.files}
        self.shape = tuple(int(v) for v in self._arrays["shape"])
        self._ids = [name[len("cells_"):] for name in self._arrays if name.startswith("cells_")]

    def __getitem__(self, case_id: str) -> np.ndarray:
        if case_id not in self._ids:
            raise KeyError(case_id)
        out = np.full(self.shape[0] * self.shape[1], np.nan, dtype=np.float32)
        out[self._arrays[f"cells_{case_id}"]] = self._arrays[f"depth_{case_id}"]
        return out.reshape(self.shape)

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)


def read_case_depths(folder: Path, filename: str = DEPTHS_FILE) -> CaseDepths | None:
    """The saved depths of ``folder``; None when the product wrote none (an older edition).

    ``filename``: :data:`DURATIONS_FILE` reads the durations (h, NaN where none); None with the screening.
    """
    path = Path(folder) / filename
    return CaseDepths(path) if path.exists() else None
