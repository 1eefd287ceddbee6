// Drawing on the map with Terra Draw: one instance per workshop map, in "static" mode until a measure or the
// correction tool is chosen. Finished shapes are handed to the caller and cleared from Terra Draw once saved
// (the saved sketches are drawn by the workshop's own layers).
import type { Geometry } from "geojson";
import type { GeoJSONSource, Map as MlMap } from "maplibre-gl";
import {
  TerraDraw,
  TerraDrawLineStringMode,
  TerraDrawPointMode,
  TerraDrawPolygonMode,
  TerraDrawSelectMode,
} from "terra-draw";
import { TerraDrawMapLibreGLAdapter } from "terra-draw-maplibre-gl-adapter";

export type DrawKind = "polygon" | "linestring" | "point";

const COLOR = "#d1495b" as const;
const KEYED = "keyboard-draw";

export class Drawer {
  private draw: TerraDraw;
  private onDone: ((geometry: Geometry) => void) | null = null;
  private finishedAt = 0;
  private kind: DrawKind | null = null;
  /** Corners placed from the keyboard (the map centre each time), longitude/latitude. */
  private keyed: [number, number][] = [];

  constructor(private map: MlMap) {
    const editable = { feature: { draggable: true, coordinates: { draggable: true, midpoints: true, deletable: true } } };
    this.draw = new TerraDraw({
      adapter: new TerraDrawMapLibreGLAdapter({ map }),
      modes: [
        new TerraDrawPolygonMode({ styles: { fillColor: COLOR, outlineColor: COLOR, outlineWidth: 3, fillOpacity: 0.3,
          closingPointColor: COLOR, closingPointWidth: 8 } }),
        new TerraDrawLineStringMode({ styles: { lineStringColor: COLOR, lineStringWidth: 4 } }),
        new TerraDrawPointMode({ styles: { pointColor: COLOR, pointWidth: 9, pointOutlineColor: "#ffffff",
          pointOutlineWidth: 2 } }),
        new TerraDrawSelectMode({
          flags: { polygon: editable, linestring: editable, point: { feature: { draggable: true } } },
          styles: { selectedPolygonColor: COLOR, selectedPolygonOutlineColor: COLOR, selectedLineStringColor: COLOR,
            selectedPointColor: COLOR, selectionPointWidth: 9, midPointWidth: 6 },
        }),
      ],
    });
    this.draw.start();
    this.draw.on("finish", (id, context) => {
      if (context.action !== "draw" || !this.onDone) return;
      const feature = this.draw.getSnapshotFeature(id);
      if (!feature) return;
      const done = this.onDone;
      this.onDone = null;
      this.finishedAt = Date.now();
      this.draw.setMode("static");
      done(feature.geometry as Geometry);
    });
  }

  /** Start drawing one shape of `kind`; `done` gets its geometry when the user finishes it. */
  start(kind: DrawKind, done: (geometry: Geometry) => void): void {
    this.draw.clear();
    this.onDone = done;
    this.kind = kind;
    this.keyed = [];
    this.showKeyed();
    this.draw.setMode(kind);
  }

  /** Keyboard drawing: a corner (or the point) at the map centre; a point finishes at once. The corners so far. */
  addCentre(): number {
    if (!this.onDone || !this.kind) return 0;
    const c = this.map.getCenter();
    this.keyed.push([c.lng, c.lat]);
    this.showKeyed();
    if (this.kind === "point") this.finishKeyed();
    return this.keyed.length;
  }

  /** Keyboard drawing: the corners placed become the shape; false while there are too few for its kind. */
  finishKeyed(): boolean {
    const done = this.onDone;
    if (!done || !this.kind) return false;
    const pts = this.keyed;
    let geometry: Geometry;
    if (this.kind === "point" && pts.length >= 1) geometry = { type: "Point", coordinates: pts[0] };
    else if (this.kind === "linestring" && pts.length >= 2) geometry = { type: "LineString", coordinates: pts };
    else if (this.kind === "polygon" && pts.length >= 3) {
      geometry = { type: "Polygon", coordinates: [[...pts, pts[0]]] };
    } else return false;
    this.onDone = null;
    this.keyed = [];
    this.showKeyed();
    this.finishedAt = Date.now();
    this.draw.setMode("static");
    done(geometry);
    return true;
  }

  /** The fewest corners the current kind needs. */
  get cornersNeeded(): number {
    return this.kind === "polygon" ? 3 : this.kind === "linestring" ? 2 : 1;
  }

  private showKeyed(): void {
    const features: GeoJSON.Feature[] = this.keyed.map((c) => ({ type: "Feature", properties: {},
      geometry: { type: "Point", coordinates: c } }));
    if (this.keyed.length > 1) {
      features.push({ type: "Feature", properties: {}, geometry: { type: "LineString", coordinates: this.keyed } });
    }
    const data: GeoJSON.FeatureCollection = { type: "FeatureCollection", features };
    const source = this.map.getSource(KEYED) as GeoJSONSource | undefined;
    if (source) {
      source.setData(data);
      return;
    }
    if (!this.map.isStyleLoaded()) return;
    this.map.addSource(KEYED, { type: "geojson", data });
    this.map.addLayer({ id: `${KEYED}-line`, type: "line", source: KEYED, filter: ["==", ["geometry-type"], "LineString"],
      paint: { "line-color": COLOR, "line-width": 3, "line-dasharray": [2, 1] } });
    this.map.addLayer({ id: `${KEYED}-points`, type: "circle", source: KEYED, filter: ["==", ["geometry-type"], "Point"],
      paint: { "circle-color": COLOR, "circle-radius": 6, "circle-stroke-color": "#ffffff", "circle-stroke-width": 2 } });
  }

  /** Put `geometry` in edit mode (drag corners, add corners at the midpoints); returns false if it cannot. */
  edit(geometry: Geometry): boolean {
    const mode = geometry.type === "Polygon" ? "polygon" : geometry.type === "LineString" ? "linestring"
      : geometry.type === "Point" ? "point" : null;
    if (!mode) return false;
    this.draw.clear();
    this.onDone = null;
    const id = this.draw.getFeatureId();
    const result = this.draw.addFeatures([{ id, type: "Feature", geometry: geometry as never, properties: { mode } }]);
    if (!result[0]?.valid) return false;
    this.draw.setMode("select");
    this.draw.selectFeature(id);
    this.editing = id;
    return true;
  }

  private editing: string | number | null = null;

  /** The edited geometry (after `edit`), or null. */
  edited(): Geometry | null {
    if (this.editing === null) return null;
    const feature = this.draw.getSnapshotFeature(this.editing);
    return feature ? (feature.geometry as Geometry) : null;
  }

  stop(): void {
    this.onDone = null;
    this.editing = null;
    this.keyed = [];
    this.showKeyed();
    this.draw.setMode("static");
    this.draw.clear();
  }

  /** Drawing or editing (or just finished: the click that closed a shape is not a click on the map). */
  get active(): boolean {
    return this.draw.getMode() !== "static" || Date.now() - this.finishedAt < 500;
  }

  destroy(): void {
    try {
      this.draw.stop();
    } catch {
      /* the map may already be gone */
    }
  }
}
