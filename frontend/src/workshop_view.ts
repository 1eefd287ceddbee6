// What a participant has chosen on a workshop page (the scale level, the map view of each level, the selected
// sketch and synthesis, the vulnerability overlay on or off), kept per workshop in sessionStorage, so the page
// drawn again (after a switch of language, a visit to the atlas or a reload) shows the same place and selection.
import type { Level } from "./types";
import { LEVELS } from "./types";

export interface MapView {
  center: [number, number];
  zoom: number;
}

export interface WorkshopView {
  level: Level;
  map: MapView;
  views: Partial<Record<Level, MapView>>;
  selectedSketch: string | null;
  selectedSynthesis: string | null;
  overlayOn: boolean;
}

const key = (id: string): string => `alliantie.workshop_view.${id}`;

function isView(v: unknown): v is MapView {
  const x = v as MapView | null;
  return !!x && Array.isArray(x.center) && x.center.length === 2 && x.center.every(Number.isFinite)
    && Number.isFinite(x.zoom);
}

/** The view saved for workshop `id`, or null when there is none or it is not one we wrote. */
export function loadView(id: string): WorkshopView | null {
  try {
    const raw = JSON.parse(sessionStorage.getItem(key(id)) ?? "null") as Partial<WorkshopView> | null;
    if (!raw || !LEVELS.includes(raw.level as Level) || !isView(raw.map)) return null;
    const views: Partial<Record<Level, MapView>> = {};
    for (const lvl of LEVELS) if (isView(raw.views?.[lvl])) views[lvl] = raw.views?.[lvl];
    return {
      level: raw.level as Level, map: raw.map, views,
      selectedSketch: typeof raw.selectedSketch === "string" ? raw.selectedSketch : null,
      selectedSynthesis: typeof raw.selectedSynthesis === "string" ? raw.selectedSynthesis : null,
      overlayOn: raw.overlayOn !== false,
    };
  } catch {
    return null;
  }
}

export function saveView(id: string, view: WorkshopView): void {
  try {
    sessionStorage.setItem(key(id), JSON.stringify(view));
  } catch {
    /* storage full or refused: the page still works, it only forgets the view */
  }
}
