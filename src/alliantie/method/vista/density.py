"""How built-up the surroundings of a cell are: the share shared by the city test and the suitability rules."""

from __future__ import annotations

from collections.abc import Collection

import numpy as np

from alliantie.raster.focal import coarsening, focal_mean


def built_share(vegetation: np.ndarray, built_codes: Collection[int], valid: np.ndarray, res: float,
                radius_m: float) -> np.ndarray:
    """Share (0-1) of the valid cells within ``radius_m`` whose vegetation group is one of ``built_codes``.

    0 outside ``valid`` (and where no valid cell lies within the radius).
    """
    built = np.isin(vegetation, list(built_codes)).astype(np.float64)
    share = focal_mean(built, res, radius_m, valid=valid, coarsen=coarsening(res, radius_m))
    return np.where(valid & np.isfinite(share), np.clip(share, 0.0, 1.0), 0.0).astype(np.float32)
