"""Vector layers of the saved GeoPackages as GeoJSON (EPSG:4326, RFC 7946) for the browser.

Each feature keeps only what the map needs: the styling column (as ``_value``), ``_color`` and ``_label``
from the map's legend (or its one colour and label), and a ``name``, ``code`` or ``label`` where the layer
has one, so MapLibre paints ``['get', '_color']``. Features whose value the legend does not know are left
out, as the report leaves them out. Coordinates are rounded to 1e-6 degree (about 0.1 m). Answers are kept in
a bounded LRU keyed by the file's modification time and the language.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pyogrio
import pyogrio.errors
import shapely

from alliantie.i18n import Language
from alliantie.web.atlas.catalogue import AtlasLayer
from alliantie.web.atlas.errors import AtlasError, AtlasNotFoundError
from alliantie.web.atlas.lru import ByteLRU

#: Decimals of a coordinate in degrees (1e-6 degree is about 0.1 m).
DECIMALS = 6
#: Memory for GeoJSON answers (bytes).
VECTOR_CACHE_BYTES = 96 * 1024 * 1024
#: Colour of a layer without a legend or colour of its own (as the report draws it).
DEFAULT_COLOR = "#333333"
#: Columns kept beside the styling column when a layer has them.
NAME_COLUMNS = ("name", "code")


def _text(value: Any) -> Any:
    """A cell as JSON: numbers and text as they are, missing values as null."""
    if value is None:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value if isinstance(value, (str, int, float, bool)) else str(value)


def _key(value: Any) -> str:
    """A cell as the legend compares it: ``2.0`` matches the legend value ``2``."""
    value = _text(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


class VectorRenderer:
    """GeoJSON of the atlas's vector layers, cached."""

    def __init__(self, max_bytes: int = VECTOR_CACHE_BYTES) -> None:
        self.cache = ByteLRU(max_bytes)

    def geojson(self, layer: AtlasLayer, language: Language) -> bytes:
        """The FeatureCollection of ``layer`` in ``language`` (labels of the legend), as UTF-8 JSON."""
        try:
            version = format(layer.path.stat().st_mtime_ns, "x")
        except OSError:
            raise AtlasNotFoundError("web_atlas.errors.file_missing", product=layer.product,
                                     file=layer.spec.file) from None
        key = (str(layer.path), version, layer.version, layer.spec.layer, layer.spec.column, language)
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        body = self._render(layer, language)
        self.cache.put(key, body)
        return body

    def _render(self, layer: AtlasLayer, language: Language) -> bytes:
        spec = layer.spec
        try:
            fields = set(pyogrio.read_info(layer.path, layer=spec.layer)["fields"])
            label_column = f"label_{language}"
            wanted = [c for c in (spec.column, *NAME_COLUMNS, label_column) if c and c in fields]
            frame = pyogrio.read_dataframe(layer.path, layer=spec.layer, columns=list(dict.fromkeys(wanted)))
        except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, OSError) as exc:
            raise AtlasError("web_atlas.errors.unreadable", path=f"{layer.product}/{spec.file}",
                             detail=str(exc).strip()) from None
        frame = frame[~(frame.geometry.isna() | frame.geometry.is_empty)]
        if frame.crs is not None and len(frame):
            frame = frame.to_crs(4326)
        styled = bool(spec.column and spec.legend and spec.column in frame.columns)
        legend = {str(e.value): (e.color, e.label.get(language)) for e in spec.legend}
        default = (spec.color or DEFAULT_COLOR, spec.label.get(language) if spec.label else "")
        geometries = shapely.transform(frame.geometry.values, lambda xy: np.round(xy, DECIMALS))
        texts = shapely.to_geojson(geometries)
        features: list[str] = []
        records = frame.drop(columns=frame.geometry.name).to_dict("records")
        for record, geometry in zip(records, texts, strict=True):
            if styled:
                value = record.get(spec.column or "")
                style = legend.get(_key(value))
                if style is None:
                    continue
            else:
                value, style = None, default
            properties: dict[str, Any] = {"_color": style[0], "_label": style[1], "_value": _text(value)}
            for column in NAME_COLUMNS:
                if column in record:
                    properties[column] = _text(record[column])
            if label_column in record:
                properties["label"] = _text(record[label_column])
            if spec.column and spec.column in record:
                properties[spec.column] = _text(record[spec.column])
            features.append(f'{{"type":"Feature","properties":{json.dumps(properties, ensure_ascii=False)},'
                            f'"geometry":{geometry}}}')
        return ('{"type":"FeatureCollection","features":[' + ",".join(features) + "]}").encode("utf-8")
