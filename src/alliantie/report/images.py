"""The report's pictures as files: where they go and how the writers find them.

:func:`alliantie.report.build.render_maps` writes every map, copies every
product-drawn figure and every file a section builder asks for into
``maps/`` and hands the view a dict ``(product, key) -> MapImage``.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Folder of the pictures inside the report folder.
MAPS_DIR = "maps"
#: The copy of the lagenkaart of ``baseinfo.lagenkaart``.
LAGENKAART_FILE = "lagenkaart.png"


@dataclass(frozen=True)
class MapImage:
    """A rendered map: which product and spec, and its PNG relative to the report folder."""

    product: str
    map_id: str
    file: str


def figure_key(figure_id: str) -> str:
    """Key of a product-drawn figure in the images dict (beside the map ids of the same product)."""
    return f"figure:{figure_id}"
