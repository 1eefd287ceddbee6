// Drawing on the map with Terra Draw: one instance per workshop map, in "static" mode until a measure or the
// correction tool is chosen. Finished shapes are handed to the caller and cleared from Terra Draw once saved
// (the saved sketches are drawn by the workshop's own layers).
import type { Geometry } from "geojson";
import type { Map as MlMap } from "maplibre-gl";
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

export class Drawer {
  private draw: TerraDraw;
  private onDone: ((geometry: Geometry) => void) | null = null;
  private finishedAt = 0;

  constructor(map: MlMap) {
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
    this.draw.setMode(kind);
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
