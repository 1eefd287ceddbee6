// The shapes of the server's answers (docs/web.md, "The API").
import type { Feature, FeatureCollection, Geometry } from "geojson";

export type Level = "region" | "town" | "neighbourhood";
export const LEVELS: Level[] = ["region", "town", "neighbourhood"];
export type BBox = [number, number, number, number];

export interface Dossier {
  name: string;
  crs: string;
  bounds: BBox;
  boundary: FeatureCollection | Feature | Geometry;
  scenarios: Array<{ id: string; label: string }>;
  levels: Record<Level, { bbox: BBox; name?: string }>;
}

export interface LegendItem {
  color: string;
  label: string;
}

export interface Ramp {
  colors: string[];
  vmin: number;
  vmax: number;
  unit?: string | null;
  label?: string | null;
}

export interface MapLayer {
  kind: "raster" | "vector";
  url: string;
  opacity?: number;
  legend?: LegendItem[];
  ramp?: Ramp | null;
}

export interface AtlasMap {
  id: string;
  product: string;
  theme: string;
  scenario: string | null;
  base: string;
  title: string;
  description: string;
  layers: MapLayer[];
}

export type Theme = string | { id: string; title?: string; label?: string; name?: string; scenarios?: string[] };

export interface Catalogue {
  themes: Theme[];
  maps: AtlasMap[];
}

export interface PaletteMeasure {
  id: string;
  name: string;
  geometry: "polygon" | "line" | "point" | "building";
  themes?: string[];
  principle?: string | null;
  priority?: number | string | null;
  goal?: { code?: string; name: string } | null;
  description?: string;
  default_width_m?: number | null;
}

export interface Palette {
  landscape?: { id?: string; code?: string; name: string } | string | null;
  guide_model?: { id: string; name: string } | null;
  measures: PaletteMeasure[];
}

export interface SketchProps {
  measure: string;
  level: Level;
  comment?: string | null;
  width_m?: number | null;
  count?: number | null;
  author_id?: string;
  author_name?: string;
  discipline?: string;
  created_at?: string;
  updated_at?: string;
}

export type Sketch = Feature<Geometry, SketchProps> & { id: string };

export interface Participant {
  id: string;
  name: string;
  organisation?: string;
  discipline?: string;
  role: string;
}

export interface Synthesis {
  id: string;
  name: string;
  kind: "veerkracht" | "regionale_economie" | "free" | string;
  sketch_ids: string[];
}

export interface Workshop {
  id: string;
  title: string;
  join_code?: string | null;
  me: Participant;
  participants: Participant[];
  syntheses: Synthesis[];
}

export interface Indicators {
  buildings_kept_dry?: number;
  water_stored_m3?: number;
  storage_capacity_m3?: number;
  residents_cooled?: number | null;
  avoided_damage_eur_per_year?: Record<string, number>;
  /** per theme: "fast", or "dynamic" once the dynamic check's storm series replaced the avoided damage */
  avoided_damage_level?: Record<string, "fast" | "dynamic" | string>;
  investment_eur?: number;
  maintenance_eur_per_year?: number;
  approximate?: boolean;
  /** "fast": the fast estimate; "dynamic": the 2-D dynamic check replaced its pluvial numbers */
  level?: "fast" | "dynamic" | string;
  level_computed_at?: string | null;
}

export interface IndicatorState {
  status: "ready" | "computing" | "unavailable" | string;
  total?: Indicators | null;
  syntheses?: Record<string, Indicators>;
  sketches?: Record<string, Indicators>;
  computed_at?: string | null;
  errors?: Record<string, string> | null;
}

export interface Session {
  token: string;
  participant_id: string;
  role: "facilitator" | "participant" | "observer" | string;
  name?: string;
}
