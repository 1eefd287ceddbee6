"""Small hand-made elevation models with known answers, for hydrology tests."""

from __future__ import annotations

import numpy as np


def two_bowls() -> np.ndarray:
    """Bowl A (3x3 at 10 m) and bowl B (3x3 at 5 m) joined by a channel at 12 m; walls 20 m."""
    dem = np.full((7, 13), 20.0)
    dem[2:5, 2:5] = 10.0
    dem[2:5, 8:11] = 5.0
    dem[3, 5:8] = 12.0
    return dem
