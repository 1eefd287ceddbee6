// The map: MapLibre with a style built here (no glyphs, no sprite, no tiles from the internet). The base map is
// made of the atlas's own layers: the hillshade of the dossier's elevation, its water, roads and buildings.
import * as maplibregl from "maplibre-gl";
import { type LayerSpecification, type Map as MlMap, type SourceSpecification } from "maplibre-gl";
import { absoluteUrl } from "./api";
import { t } from "./i18n";
import type { AtlasMap, BBox, Catalogue, Dossier, MapLayer } from "./types";

maplibregl.setWorkerUrl(new URL("./maplibre-gl-worker.js", import.meta.url).href);

const BACKGROUND = "#f3f1eb";

export function createMap(container: HTMLElement, dossier: Dossier): MlMap {
  const map = new maplibregl.Map({
    container,
    style: { version: 8, sources: {}, layers: [{ id: "background", type: "background", paint: { "background-color": BACKGROUND } }] },
    bounds: dossier.bounds,
    fitBoundsOptions: { padding: 20 },
    attributionControl: false,
    maxZoom: 19,
    dragRotate: false,
    pitchWithRotate: false,
    cooperativeGestures: false,
  });
  map.touchZoomRotate.disableRotation();
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), "top-right");
  map.addControl(new maplibregl.ScaleControl({ unit: "metric" }), "bottom-left");
  const canvas = map.getCanvas();
  canvas.setAttribute("aria-label", t("web.ui.map.label", { name: dossier.name }));
  return map;
}

export function whenLoaded(map: MlMap): Promise<void> {
  return new Promise((resolve) => {
    if (map.loaded()) resolve();
    else map.once("load", () => resolve());
  });
}

/** The layers of the base map, picked from the catalogue (first match of each kind). */
export function baseLayers(catalogue: Catalogue): MapLayer[] {
  const all = catalogue.maps.flatMap((m) => m.layers);
  const picked: MapLayer[] = [];
  const hillshade = all.find((l) => l.kind === "raster" && /hillshade/.test(l.url));
  if (hillshade) picked.push({ ...hillshade, opacity: 0.45 });
  const water = catalogue.maps.find((m) => m.base === "water" || m.id === "water");
  if (water) picked.push(...water.layers.filter((l) => l.kind === "vector"));
  for (const name of ["roads", "buildings"]) {
    const layer = all.find((l) => l.kind === "vector" && new RegExp(`/${name}\\.geojson`).test(l.url));
    if (layer) picked.push({ ...layer, legend: [] });
  }
  return picked;
}

export interface LayerGroup {
  sources: string[];
  layers: string[];
}

/** Add the layers of one atlas map (or of the base map) under `prefix`, below `before` if given. */
export function addLayers(map: MlMap, prefix: string, layers: MapLayer[], bounds: BBox, options: {
  before?: string; base?: boolean; opacity?: number;
} = {}): LayerGroup {
  const group: LayerGroup = { sources: [], layers: [] };
  layers.forEach((layer, index) => {
    const sourceId = `${prefix}-${index}`;
    const opacity = (layer.opacity ?? 1) * (options.opacity ?? 1);
    let source: SourceSpecification;
    const specs: LayerSpecification[] = [];
    if (layer.kind === "raster") {
      source = { type: "raster", tiles: [absoluteUrl(layer.url)], tileSize: 256, bounds, maxzoom: 18 };
      specs.push({ id: `${sourceId}-raster`, type: "raster", source: sourceId,
        paint: { "raster-opacity": opacity, "raster-resampling": "nearest", "raster-fade-duration": 0 } });
    } else {
      source = { type: "geojson", data: absoluteUrl(layer.url) };
      const grey = options.base && /roads|buildings/.test(layer.url);
      const color: maplibregl.ExpressionSpecification | string = grey
        ? (/buildings/.test(layer.url) ? "#b9b2a6" : "#ffffff")
        : ["coalesce", ["get", "_color"], "#777777"];
      specs.push({ id: `${sourceId}-fill`, type: "fill", source: sourceId,
        filter: ["==", ["geometry-type"], "Polygon"],
        paint: { "fill-color": color, "fill-opacity": opacity * (grey ? 0.9 : 0.75) } });
      specs.push({ id: `${sourceId}-outline`, type: "line", source: sourceId,
        filter: ["==", ["geometry-type"], "Polygon"],
        paint: { "line-color": grey ? "#8f877a" : color, "line-width": 0.6, "line-opacity": opacity } });
      specs.push({ id: `${sourceId}-line`, type: "line", source: sourceId,
        filter: ["==", ["geometry-type"], "LineString"],
        layout: { "line-cap": "round", "line-join": "round" },
        paint: { "line-color": grey ? "#ffffff" : color, "line-opacity": opacity,
          "line-width": ["interpolate", ["linear"], ["zoom"], 10, grey ? 1 : 1.2, 16, grey ? 5 : 3] } });
      if (grey && /roads/.test(layer.url)) {
        specs.unshift({ id: `${sourceId}-casing`, type: "line", source: sourceId,
          filter: ["==", ["geometry-type"], "LineString"],
          layout: { "line-cap": "round", "line-join": "round" },
          paint: { "line-color": "#b0a99c", "line-width": ["interpolate", ["linear"], ["zoom"], 10, 2, 16, 7] } });
      }
      specs.push({ id: `${sourceId}-point`, type: "circle", source: sourceId,
        filter: ["==", ["geometry-type"], "Point"],
        paint: { "circle-color": color, "circle-radius": 5, "circle-stroke-color": "#333333",
          "circle-stroke-width": 1, "circle-opacity": opacity } });
    }
    map.addSource(sourceId, source);
    group.sources.push(sourceId);
    for (const spec of specs) {
      map.addLayer(spec, options.before && map.getLayer(options.before) ? options.before : undefined);
      group.layers.push(spec.id);
    }
  });
  return group;
}

export function removeLayers(map: MlMap, group: LayerGroup | null): void {
  if (!group) return;
  for (const id of group.layers) if (map.getLayer(id)) map.removeLayer(id);
  for (const id of group.sources) if (map.getSource(id)) map.removeSource(id);
}

/** The dossier boundary as a dark outline on top. */
export function addBoundary(map: MlMap, dossier: Dossier): void {
  const data = dossier.boundary as GeoJSON.GeoJSON;
  map.addSource("boundary", { type: "geojson", data });
  map.addLayer({ id: "boundary-halo", type: "line", source: "boundary",
    paint: { "line-color": "#ffffff", "line-width": 5, "line-opacity": 0.8 } });
  map.addLayer({ id: "boundary", type: "line", source: "boundary",
    paint: { "line-color": "#202020", "line-width": 2, "line-dasharray": [3, 2] } });
}

export function fitBox(map: MlMap, bbox: BBox | undefined, animate = true): void {
  if (!bbox) return;
  map.fitBounds([[bbox[0], bbox[1]], [bbox[2], bbox[3]]], { padding: 30, animate });
}

/** The scenario buttons the atlas offers for the map family `base` (maps of one base differ only in scenario). */
export function scenariosOf(catalogue: Catalogue, base: string): Array<string | null> {
  return catalogue.maps.filter((m) => m.base === base).map((m) => m.scenario);
}

export function findMap(catalogue: Catalogue, base: string, scenario: string | null): AtlasMap | undefined {
  const family = catalogue.maps.filter((m) => m.base === base);
  return family.find((m) => m.scenario === scenario) ?? family.find((m) => m.scenario === null) ?? family[0];
}
