"""What a product's key must know of how a raster input is prepared, beyond the content of its files.

``dossier/`` is not hashed as product code (it is in ``NOT_LIBRARY``), so the preparation of raster inputs
(``dossier/raster_onto_grid.py``: the resampling rule, tiles, the DEM's gap filling) carries its own version here,
bumped when that preparation changes, and the input's own choices (``resampling``, ``fill_gaps``).
"""

from __future__ import annotations

from alliantie.dossier.config import InputFile, input_specs

#: Bump when the preparation of raster inputs changes what the products see.
PREPARATION_VERSION = 1


def preparation(ref: InputFile | None, name: str) -> dict[str, str | int | bool | None] | None:
    """The record of how raster input ``name`` is prepared (None for a vector or an absent input)."""
    if ref is None or name not in input_specs() or input_specs()[name].kind != "raster":
        return None
    return {"version": PREPARATION_VERSION, "resampling": ref.resampling,
            "fill_gaps": ref.fill_gaps if name == "dem" else None}
