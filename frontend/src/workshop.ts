// The workshop (#/workshop/{id}): three linked scale levels on one map (tabs; each keeps its own extent, the
// sketches of the other levels stay visible, dimmed), the palette of measures of the guide model under the map
// centre or the last click, drawing with Terra Draw, the sketches, the syntheses, the live indicators, the
// correction tool and the export. Live updates come as server-sent events.
import type { Feature, FeatureCollection, Geometry } from "geojson";
import * as maplibregl from "maplibre-gl";
import { type GeoJSONSource, type Map as MlMap } from "maplibre-gl";
import { api, ApiError, download } from "./api";
import { announce, append, button, clear, field, h, select } from "./dom";
import { Drawer, type DrawKind } from "./draw";
import { formatNumber, formatTime, t } from "./i18n";
import { renderIndicators, type Column } from "./indicators";
import { addBoundary, addLayers, baseLayers, createMap, findMap, fitBox, removeLayers, whenLoaded,
  type LayerGroup } from "./maps";
import { forgetSession, shareLink } from "./session";
import { clearError, showError } from "./shell";
import { themeLabel } from "./themes";
import type { Catalogue, Dossier, IndicatorState, Level, Palette, PaletteMeasure, Session, Sketch, Synthesis,
  Workshop } from "./types";
import { LEVELS } from "./types";
import { loadView, saveView, type MapView } from "./workshop_view";

const LEVEL_KEYS: Record<Level, string> = {
  region: "web.ui.level.region", town: "web.ui.level.town", neighbourhood: "web.ui.level.neighbourhood",
};
const LEVEL_HINTS: Record<Level, string> = {
  region: "web.ui.level.region_hint", town: "web.ui.level.town_hint", neighbourhood: "web.ui.level.neighbourhood_hint",
};
const DISCIPLINE_KEYS: Record<string, string> = {
  soil: "web.ui.discipline.soil", water: "web.ui.discipline.water", green: "web.ui.discipline.green",
  planning: "web.ui.discipline.planning", other: "web.ui.discipline.other",
};
const ROLE_KEYS: Record<string, string> = {
  facilitator: "web.ui.role.facilitator", participant: "web.ui.role.participant", observer: "web.ui.role.observer",
};
const GEOMETRY_KEYS: Record<string, string> = {
  polygon: "web.ui.geometry.polygon", line: "web.ui.geometry.line", point: "web.ui.geometry.point",
  building: "web.ui.geometry.building",
};
const DRAW_HINTS: Record<DrawKind, string> = {
  polygon: "web.ui.draw.hint_polygon", linestring: "web.ui.draw.hint_line", point: "web.ui.draw.hint_point",
};
const DISCIPLINE_COLORS: Record<string, string> = {
  soil: "#8c5a2b", water: "#1f78b4", green: "#33a02c", planning: "#6a3d9a", other: "#555555",
};
const CORRECTION_THEMES = ["flood", "pluvial", "drought", "heat", "all"];
const CORRECTION_ACTIONS: Array<[string, string]> = [
  ["raise", "web.ui.correction.raise"], ["lower", "web.ui.correction.lower"],
  ["confirm", "web.ui.correction.confirm"], ["remove", "web.ui.correction.remove"],
];
const CLASS_KEYS: Array<[string, string]> = [
  ["", "web.ui.correction.class_auto"], ["0", "web.ui.correction.class_0"], ["1", "web.ui.correction.class_1"],
  ["2", "web.ui.correction.class_2"], ["3", "web.ui.correction.class_3"],
];

function drawKind(geometry: PaletteMeasure["geometry"]): DrawKind {
  return geometry === "line" ? "linestring" : geometry === "point" ? "point" : "polygon";
}

function synthesisName(s: Synthesis): string {
  if (s.kind === "veerkracht") return t("web.ui.synthesis.veerkracht");
  if (s.kind === "regionale_economie") return t("web.ui.synthesis.regionale_economie");
  return s.name;
}

function bboxOf(geometry: Geometry): [number, number, number, number] | null {
  const xs: number[] = [];
  const ys: number[] = [];
  const walk = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === "number") {
      xs.push(c[0] as number);
      ys.push(c[1] as number);
    } else if (Array.isArray(c)) c.forEach(walk);
  };
  if ("coordinates" in geometry) walk(geometry.coordinates);
  if (xs.length === 0) return null;
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

export async function renderWorkshop(root: HTMLElement, id: string, dossier: Dossier, catalogue: Catalogue,
  session: Session): Promise<() => void> {
  const base = `/api/workshops/${encodeURIComponent(id)}`;
  const token = session.token;
  const call = <T,>(method: string, path: string, body?: unknown): Promise<T> => api<T>(method, `${base}${path}`, body, token);

  let workshop: Workshop;
  let sketches = new Map<string, Sketch>();
  try {
    workshop = await call<Workshop>("GET", "");
    const collection = await call<FeatureCollection>("GET", "/sketches");
    sketches = new Map(collection.features.map((f) => [String(f.id), { ...(f as Sketch), id: String(f.id) }]));
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
      forgetSession(id);
      window.location.reload();
    }
    throw error;
  }
  const me = workshop.me;
  const role = me.role || session.role;
  const canDraw = role !== "observer";
  const isFacilitator = role === "facilitator";
  let syntheses: Synthesis[] = workshop.syntheses ?? [];
  let indicators: IndicatorState | null = null;
  // the level, views and selection of this workshop as this tab last showed it (after a switch of language too)
  const kept = loadView(id);
  let level: Level = kept?.level ?? "region";
  const views: Partial<Record<Level, MapView>> = { ...kept?.views };
  let selectedSketch: string | null = kept?.selectedSketch && sketches.has(kept.selectedSketch)
    ? kept.selectedSketch : null;
  let selectedSynthesis: string | null = kept && (kept.selectedSynthesis === null
    || syntheses.some((s) => s.id === kept.selectedSynthesis)) ? kept.selectedSynthesis : syntheses[0]?.id ?? null;
  let palette: Palette | null = null;
  let palettePoint: [number, number] | null = null;
  const measureNames = new Map<string, string>();
  const measureGeometry = new Map<string, PaletteMeasure["geometry"]>();
  const defaultWidth = new Map<string, number>();

  // ---- layout -------------------------------------------------------------------------------------------
  clear(root);
  root.className = "page workshop";
  const tabs = h("div", { class: "tabs", role: "tablist", "aria-label": t("web.ui.ws.levels") });
  const levelHint = h("p", { class: "hint level-hint" });
  const barActions = h("div", { class: "buttons wrap bar-actions" });
  const bar = h("section", { class: "ws-bar", "aria-label": t("web.ui.ws.bar") },
    h("div", { class: "ws-title" }, h("h1", {}, workshop.title),
      h("p", { class: "me" }, t("web.ui.ws.me", { name: me.name, role: t(ROLE_KEYS[role] ?? "web.ui.role.participant") }))),
    h("div", { class: "ws-levels" }, tabs, levelHint), barActions);

  const paletteBox = h("section", { class: "palette", "aria-labelledby": "palette-h" });
  const drawBox = h("section", { class: "drawbox", hidden: true, "aria-live": "polite" });
  const correctionBox = h("section", { class: "correction" });
  const left = h("aside", { class: "panel side-left", "aria-label": t("web.ui.ws.tools") }, drawBox, paletteBox,
    correctionBox);

  const indicatorBox = h("div", { class: "ind-box", "aria-live": "polite", "aria-atomic": "false" });
  const sketchDetail = h("div", { class: "sketch-detail" });
  const sketchList = h("ul", { class: "sketch-list" });
  const sketchCount = h("span", { class: "count" });
  const synthesisBox = h("div", { class: "syntheses" });
  const participantsBox = h("details", { class: "participants" });
  const right = h("aside", { class: "panel side-right", "aria-label": t("web.ui.ws.results") },
    h("section", { "aria-labelledby": "ind-h" }, h("h2", { id: "ind-h" }, t("web.ui.ind.title")), indicatorBox),
    h("section", { "aria-labelledby": "sk-h" }, h("h2", { id: "sk-h" }, t("web.ui.sketch.title"), " ", sketchCount),
      sketchDetail, sketchList),
    h("section", { "aria-labelledby": "syn-h" }, h("h2", { id: "syn-h" }, t("web.ui.synthesis.title")), synthesisBox),
    participantsBox);
  const mapBox = h("div", { class: "map", id: "ws-map" });
  const connection = h("p", { class: "connection", role: "status" });
  root.append(bar, left, h("div", { class: "map-wrap" }, mapBox, connection), right);

  // ---- map ----------------------------------------------------------------------------------------------
  const map: MlMap = createMap(mapBox, dossier);
  await whenLoaded(map);
  addLayers(map, "base", baseLayers(catalogue), dossier.bounds, { base: true });
  let overlay: LayerGroup | null = null;
  let overlayOn = kept?.overlayOn ?? true;
  addBoundary(map, dossier);
  addSketchLayers(map);
  const drawer = new Drawer(map);
  let paletteMarker: maplibregl.Marker | null = null;

  function overlayFor(lvl: Level): string | null {
    const wanted = lvl === "region" ? "vulnerability_region" : "vulnerability_town";
    const m = findMap(catalogue, wanted, "current")
      ?? catalogue.maps.find((x) => x.theme === "vulnerability" && x.id.includes(lvl === "region" ? "region" : "town"));
    return m ? m.id : null;
  }

  function showOverlay(): void {
    removeLayers(map, overlay);
    overlay = null;
    if (!overlayOn) return;
    const mapId = overlayFor(level);
    const m = catalogue.maps.find((x) => x.id === mapId);
    if (!m) return;
    overlay = addLayers(map, "overlay", m.layers.filter((l) => !/hillshade/.test(l.url)), dossier.bounds,
      { before: "boundary-halo", opacity: 0.4 });
  }

  function addSketchLayers(m: MlMap): void {
    m.addSource("sketches", { type: "geojson", data: { type: "FeatureCollection", features: [] } });
    const color: maplibregl.ExpressionSpecification = ["match", ["get", "discipline"],
      "soil", DISCIPLINE_COLORS.soil, "water", DISCIPLINE_COLORS.water, "green", DISCIPLINE_COLORS.green,
      "planning", DISCIPLINE_COLORS.planning, DISCIPLINE_COLORS.other];
    const poly: maplibregl.FilterSpecification = ["==", ["geometry-type"], "Polygon"];
    const line: maplibregl.FilterSpecification = ["==", ["geometry-type"], "LineString"];
    const point: maplibregl.FilterSpecification = ["==", ["geometry-type"], "Point"];
    const active: maplibregl.ExpressionSpecification = ["==", ["get", "_active"], true];
    m.addLayer({ id: "sk-syn", type: "line", source: "sketches", filter: ["==", ["get", "_syn"], true],
      paint: { "line-color": "#f2b134", "line-width": 9, "line-opacity": 0.85 } });
    m.addLayer({ id: "sk-fill", type: "fill", source: "sketches", filter: poly,
      paint: { "fill-color": color, "fill-opacity": ["case", active, 0.4, 0.1] } });
    m.addLayer({ id: "sk-outline-context", type: "line", source: "sketches",
      filter: ["all", ["!=", ["geometry-type"], "Point"], ["!", active]],
      paint: { "line-color": color, "line-width": 2, "line-opacity": 0.45, "line-dasharray": [2, 2] } });
    m.addLayer({ id: "sk-outline", type: "line", source: "sketches", filter: ["all", poly, active],
      paint: { "line-color": color, "line-width": 2.5 } });
    m.addLayer({ id: "sk-line", type: "line", source: "sketches", filter: ["all", line, active],
      layout: { "line-cap": "round", "line-join": "round" }, paint: { "line-color": color, "line-width": 5 } });
    m.addLayer({ id: "sk-point", type: "circle", source: "sketches", filter: point,
      paint: { "circle-color": color, "circle-radius": ["case", active, 8, 5],
        "circle-opacity": ["case", active, 1, 0.4], "circle-stroke-color": "#ffffff", "circle-stroke-width": 2 } });
    m.addLayer({ id: "sk-selected", type: "line", source: "sketches", filter: ["==", ["get", "_sel"], true],
      paint: { "line-color": "#111111", "line-width": 3, "line-dasharray": [1, 1] } });
    m.addLayer({ id: "sk-selected-point", type: "circle", source: "sketches",
      filter: ["all", point, ["==", ["get", "_sel"], true]],
      paint: { "circle-radius": 12, "circle-color": "rgba(0,0,0,0)", "circle-stroke-color": "#111111",
        "circle-stroke-width": 3 } });
  }

  function currentSynthesis(): Synthesis | undefined {
    return syntheses.find((s) => s.id === selectedSynthesis);
  }

  function paintSketches(): void {
    const inSyn = new Set(currentSynthesis()?.sketch_ids ?? []);
    const features: Feature[] = [...sketches.values()].map((s) => ({
      type: "Feature", geometry: s.geometry,
      properties: { ...s.properties, sid: s.id, _active: s.properties.level === level, _sel: s.id === selectedSketch,
        _syn: inSyn.has(s.id) },
    }));
    (map.getSource("sketches") as GeoJSONSource | undefined)?.setData({ type: "FeatureCollection", features });
  }

  // ---- levels -------------------------------------------------------------------------------------------
  function currentView(): MapView {
    const c = map.getCenter();
    return { center: [c.lng, c.lat], zoom: map.getZoom() };
  }

  function remember(): void {
    saveView(id, { level, map: currentView(), views, selectedSketch, selectedSynthesis, overlayOn });
  }

  function renderTabs(): void {
    clear(tabs);
    for (const lvl of LEVELS) {
      const label = lvl === "neighbourhood" && dossier.levels.neighbourhood?.name
        ? `${t(LEVEL_KEYS[lvl])}: ${dossier.levels.neighbourhood.name}` : t(LEVEL_KEYS[lvl]);
      const count = [...sketches.values()].filter((s) => s.properties.level === lvl).length;
      const tab = button(`${label} (${count})`, () => setLevel(lvl), { role: "tab", class: "tab",
        "aria-selected": String(lvl === level), tabindex: lvl === level ? "0" : "-1", "aria-controls": "ws-map" });
      tab.addEventListener("keydown", (ev) => {
        const i = LEVELS.indexOf(lvl);
        if (ev.key === "ArrowRight" || ev.key === "ArrowLeft") {
          ev.preventDefault();
          const next = LEVELS[(i + (ev.key === "ArrowRight" ? 1 : LEVELS.length - 1)) % LEVELS.length];
          setLevel(next);
          tabs.querySelectorAll<HTMLButtonElement>("[role=tab]")[LEVELS.indexOf(next)]?.focus();
        }
      });
      tabs.appendChild(tab);
    }
    levelHint.textContent = t(LEVEL_HINTS[level]);
  }

  function setLevel(next: Level): void {
    if (next === level) return;
    views[level] = currentView();
    level = next;
    const view = views[next];
    if (view) map.jumpTo({ center: view.center, zoom: view.zoom });
    else fitBox(map, dossier.levels[next]?.bbox ?? dossier.bounds, false);
    palettePoint = null;
    paletteMarker?.remove();
    renderTabs();
    showOverlay();
    paintSketches();
    void loadPalette();
    announce(t("web.ui.ws.level_changed", { level: t(LEVEL_KEYS[next]) }));
  }

  // ---- palette ------------------------------------------------------------------------------------------
  let paletteRequest = 0;
  async function loadPalette(): Promise<void> {
    const [lon, lat] = palettePoint ?? [map.getCenter().lng, map.getCenter().lat];
    const request = ++paletteRequest;
    try {
      const result = await api<Palette>("GET",
        `/api/palette?lon=${lon.toFixed(6)}&lat=${lat.toFixed(6)}&level=${level}`);
      if (request !== paletteRequest) return;
      palette = result;
      for (const m of result.measures) {
        measureNames.set(m.id, m.name);
        measureGeometry.set(m.id, m.geometry);
      }
      paletteError = null;
    } catch (error) {
      if (request !== paletteRequest) return;
      palette = { measures: [], guide_model: null, landscape: null };
      paletteError = error instanceof Error ? error.message : String(error);
    }
    renderPalette();
    renderSketches();
  }
  let paletteError: string | null = null;

  function renderPalette(): void {
    clear(paletteBox);
    paletteBox.appendChild(h("h2", { id: "palette-h" }, t("web.ui.palette.title")));
    const guide = palette?.guide_model?.name;
    paletteBox.appendChild(h("p", { class: "guide" },
      guide ? t("web.ui.palette.guide_model", { name: guide }) : t("web.ui.palette.no_guide_model")));
    const landscape = palette?.landscape;
    if (landscape) {
      paletteBox.appendChild(h("p", { class: "hint" },
        t("web.ui.palette.landscape", { name: typeof landscape === "string" ? landscape : landscape.name })));
    }
    paletteBox.appendChild(h("p", { class: "hint" }, palettePoint ? t("web.ui.palette.at_click") : t("web.ui.palette.at_centre")));
    if (paletteError && (!palette || palette.measures.length === 0)) {
      paletteBox.appendChild(h("p", { class: "warning" }, paletteError));
      paletteError = null;
    }
    if (!canDraw) {
      paletteBox.appendChild(h("p", { class: "note" }, t("web.ui.palette.observer")));
    }
    const guided = (palette?.measures ?? []).filter((m) => m.goal);
    const others = (palette?.measures ?? []).filter((m) => !m.goal);
    if (guided.length > 0) {
      paletteBox.appendChild(h("h3", {}, t("web.ui.palette.guided")));
      paletteBox.appendChild(measureList(guided));
    }
    if (others.length > 0) {
      paletteBox.appendChild(h("h3", {}, guided.length > 0 ? t("web.ui.palette.others") : t("web.ui.palette.all")));
      paletteBox.appendChild(measureList(others));
    }
    if ((palette?.measures.length ?? 0) === 0) paletteBox.appendChild(h("p", { class: "hint" }, t("web.ui.palette.empty")));
  }

  function measureList(measures: PaletteMeasure[]): HTMLUListElement {
    const list = h("ul", { class: "measures" });
    for (const m of measures) {
      const meta = `${t(GEOMETRY_KEYS[m.geometry] ?? "web.ui.geometry.polygon")}${m.goal?.name ? ` · ${m.goal.name}` : ""}`;
      if (canDraw) {
        list.appendChild(h("li", {}, button("", () => startSketch(m), { class: "measure" })));
        const b = list.lastElementChild?.firstElementChild as HTMLButtonElement;
        append(b, h("span", { class: "m-name" }, m.name), h("span", { class: "m-meta" }, meta));
      } else {
        list.appendChild(h("li", { class: "measure static" }, h("span", { class: "m-name" }, m.name),
          h("span", { class: "m-meta" }, meta)));
      }
    }
    return list;
  }

  // ---- drawing ------------------------------------------------------------------------------------------
  function showDrawBox(...children: Array<Node | string>): void {
    clear(drawBox);
    append(drawBox, ...children);
    drawBox.hidden = false;
    paletteBox.hidden = true;
    correctionBox.hidden = true;
  }

  function hideDrawBox(): void {
    mapBox.classList.remove("drawing");
    clear(drawBox);
    drawBox.hidden = true;
    paletteBox.hidden = false;
    correctionBox.hidden = false;
  }

  function cancelDrawing(): void {
    drawer.stop();
    hideDrawBox();
    paletteBox.querySelector<HTMLButtonElement>("button.measure")?.focus();
  }

  function drawingHint(kind: DrawKind, title: string): void {
    const cancel = button(t("web.ui.common.cancel"), cancelDrawing, { class: "secondary" });
    // drawing without a mouse: move the map (arrow keys on the map, or drag) and place a corner at its centre
    const status = h("p", { class: "hint", "aria-live": "polite" });
    const corner = button(t(kind === "point" ? "web.ui.draw.key_point" : "web.ui.draw.key_corner"), () => {
      const n = drawer.addCentre();
      if (n > 0 && kind !== "point") status.textContent = t("web.ui.draw.key_count", { count: String(n) });
    }, { class: "secondary key-corner" });
    const finish = button(t("web.ui.draw.key_finish"), () => {
      if (!drawer.finishKeyed()) status.textContent = t("web.ui.draw.key_too_few", { count: String(drawer.cornersNeeded) });
    }, { class: "secondary key-finish" });
    const keys = h("div", { class: "buttons wrap", role: "group", "aria-label": t("web.ui.draw.key_group") },
      corner, ...(kind === "point" ? [] : [finish]));
    showDrawBox(h("h2", {}, title), h("p", { class: "instructions" }, t(DRAW_HINTS[kind])),
      h("p", { class: "hint" }, t("web.ui.draw.key_hint")), keys, status, cancel);
    mapBox.classList.add("drawing");
    cancel.focus();
  }

  function startSketch(measure: PaletteMeasure): void {
    clearError();
    const kind = drawKind(measure.geometry);
    drawingHint(kind, t("web.ui.draw.drawing", { measure: measure.name }));
    drawer.start(kind, (geometry) => sketchForm(measure, geometry));
  }

  function sketchForm(measure: PaletteMeasure, geometry: Geometry): void {
    mapBox.classList.remove("drawing");
    const comment = h("textarea", { rows: 4, maxlength: 2000 });
    const standard = defaultWidth.get(measure.id);
    const width = h("input", { type: "number", min: "0.1", step: "0.1", inputmode: "decimal",
      placeholder: standard ? t("web.ui.sketch.width_default", { width: formatNumber(standard, 1) }) : undefined });
    const count = h("input", { type: "number", min: "1", step: "1", value: "1", inputmode: "numeric" });
    const form = h("form", { class: "sketch-form" },
      h("h2", {}, t("web.ui.sketch.new", { measure: measure.name })),
      h("p", { class: "hint" }, t("web.ui.sketch.new_hint", { level: t(LEVEL_KEYS[level]) })),
      field(t("web.ui.sketch.comment"), comment, t("web.ui.sketch.comment_hint")),
      measure.geometry === "line" ? field(t("web.ui.sketch.width"), width, t("web.ui.sketch.width_hint")) : null,
      measure.geometry === "point" ? field(t("web.ui.sketch.count"), count) : null,
      h("div", { class: "buttons wrap" },
        h("button", { type: "submit", class: "primary" }, t("web.ui.sketch.save")),
        button(t("web.ui.common.cancel"), cancelDrawing, { class: "secondary" })));
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const properties: Record<string, unknown> = { measure: measure.id, level, comment: comment.value };
      if (measure.geometry === "line" && width.value) properties.width_m = Number(width.value);
      if (measure.geometry === "point" && count.value) properties.count = Number(count.value);
      void (async () => {
        try {
          const saved = await call<Sketch>("POST", "/sketches", { type: "Feature", geometry, properties });
          upsert({ ...saved, id: String(saved.id) });
          selectedSketch = String(saved.id);
          drawer.stop();
          hideDrawBox();
          refresh();
          announce(t("web.ui.sketch.saved", { measure: measure.name }));
        } catch (error) {
          showError(error instanceof Error ? error.message : String(error));
        }
      })();
    });
    showDrawBox(form);
    comment.focus();
  }

  function renderCorrectionTool(): void {
    clear(correctionBox);
    if (!canDraw) return;
    correctionBox.append(h("h2", {}, t("web.ui.correction.title")), h("p", { class: "hint" }, t("web.ui.correction.intro")),
      button(t("web.ui.correction.start"), () => {
        clearError();
        drawingHint("polygon", t("web.ui.correction.drawing"));
        drawer.start("polygon", (geometry) => correctionForm(geometry));
      }, { class: "secondary" }));
  }

  function correctionForm(geometry: Geometry): void {
    mapBox.classList.remove("drawing");
    const theme = select(CORRECTION_THEMES.map((x) => [x, themeLabel(x)]), "pluvial");
    const action = select(CORRECTION_ACTIONS.map(([v, k]) => [v, t(k)]), "raise");
    const cls = select(CLASS_KEYS.map(([v, k]) => [v, t(k)]), "");
    const scenario = select([["", t("web.ui.correction.all_scenarios")],
      ...dossier.scenarios.map((s): [string, string] => [s.id, s.label])], "");
    const reason = h("textarea", { rows: 4, maxlength: 2000, required: true });
    const form = h("form", { class: "sketch-form" },
      h("h2", {}, t("web.ui.correction.form_title")),
      field(t("web.ui.correction.theme"), theme),
      field(t("web.ui.correction.action"), action),
      field(t("web.ui.correction.class"), cls, t("web.ui.correction.class_hint")),
      field(t("web.ui.correction.scenario"), scenario),
      field(t("web.ui.correction.reason"), reason, t("web.ui.correction.reason_hint")),
      h("div", { class: "buttons wrap" },
        h("button", { type: "submit", class: "primary" }, t("web.ui.correction.save")),
        button(t("web.ui.common.cancel"), cancelDrawing, { class: "secondary" })));
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      if (!reason.value.trim()) {
        reason.focus();
        return;
      }
      const properties: Record<string, unknown> = { theme: theme.value, action: action.value, reason: reason.value.trim() };
      if (cls.value !== "") properties.level = Number(cls.value);
      if (scenario.value) properties.scenario = scenario.value;
      void (async () => {
        try {
          await call("POST", "/corrections", { type: "Feature", geometry, properties });
          drawer.stop();
          hideDrawBox();
          announce(t("web.ui.correction.saved"));
          correctionBox.appendChild(h("p", { class: "ok", role: "status" }, t("web.ui.correction.saved")));
        } catch (error) {
          showError(error instanceof Error ? error.message : String(error));
        }
      })();
    });
    showDrawBox(form);
    theme.focus();
  }

  // ---- sketches -----------------------------------------------------------------------------------------
  function upsert(feature: Sketch): void {
    sketches.set(String(feature.id), { ...feature, id: String(feature.id) });
  }

  function measureName(mid: string): string {
    return measureNames.get(mid) ?? mid;
  }

  function mayEdit(s: Sketch): boolean {
    return canDraw && (isFacilitator || s.properties.author_id === me.id);
  }

  function describe(s: Sketch): string {
    const p = s.properties;
    const who = p.author_name ?? "";
    const discipline = p.discipline ? t(DISCIPLINE_KEYS[p.discipline] ?? "web.ui.discipline.other") : "";
    return t("web.ui.sketch.line", { measure: measureName(p.measure), author: who, discipline,
      level: t(LEVEL_KEYS[p.level] ?? "web.ui.level.region") });
  }

  function renderSketches(): void {
    clear(sketchList);
    const all = [...sketches.values()].sort((a, b) => (b.properties.created_at ?? "").localeCompare(a.properties.created_at ?? ""));
    sketchCount.textContent = `(${all.length})`;
    if (all.length === 0) sketchList.appendChild(h("li", { class: "hint" }, t("web.ui.sketch.none")));
    for (const s of all) {
      const swatch = h("span", { class: "swatch", "aria-hidden": "true" });
      swatch.style.background = DISCIPLINE_COLORS[s.properties.discipline ?? "other"] ?? DISCIPLINE_COLORS.other;
      const b = button("", () => selectSketch(s.id, true), { class: "sketch-item",
        "aria-pressed": String(s.id === selectedSketch) });
      append(b, swatch, h("span", { class: "s-main" }, describe(s)),
        s.properties.comment ? h("span", { class: "s-comment" }, s.properties.comment) : null);
      sketchList.appendChild(h("li", { class: s.properties.level === level ? "" : "context" }, b));
    }
    renderDetail();
  }

  function selectSketch(sid: string | null, zoom = false): void {
    selectedSketch = sid;
    const s = sid ? sketches.get(sid) : undefined;
    if (s && zoom) {
      if (s.properties.level !== level) setLevel(s.properties.level);
      const box = bboxOf(s.geometry);
      if (box) {
        const point = box[0] === box[2] && box[1] === box[3];
        if (point) map.easeTo({ center: [box[0], box[1]], zoom: Math.max(map.getZoom(), 15) });
        else map.fitBounds([[box[0], box[1]], [box[2], box[3]]], { padding: 80, maxZoom: 17 });
      }
    }
    paintSketches();
    renderSketches();
    renderIndicatorPanel();
    renderSyntheses();
    if (sid) void loadIndicators();
  }

  function renderDetail(): void {
    clear(sketchDetail);
    const s = selectedSketch ? sketches.get(selectedSketch) : undefined;
    if (!s) return;
    const p = s.properties;
    const facts = h("dl", { class: "facts" });
    const fact = (k: string, v: string | null | undefined): void => {
      if (v === null || v === undefined || v === "") return;
      facts.append(h("dt", {}, t(k)), h("dd", {}, v));
    };
    fact("web.ui.sketch.measure", measureName(p.measure));
    fact("web.ui.sketch.author", p.author_name);
    fact("web.ui.sketch.level", t(LEVEL_KEYS[p.level] ?? "web.ui.level.region"));
    fact("web.ui.sketch.width", p.width_m == null ? null : `${formatNumber(p.width_m, 1)} m`);
    fact("web.ui.sketch.count", p.count == null ? null : formatNumber(p.count, 0));
    fact("web.ui.sketch.created", p.created_at ? formatTime(p.created_at) : null);
    fact("web.ui.sketch.comment", p.comment);
    const actions = h("div", { class: "buttons wrap" });
    if (mayEdit(s)) {
      actions.append(
        button(t("web.ui.sketch.edit_comment"), () => editComment(s)),
        button(t("web.ui.sketch.edit_shape"), () => editShape(s),
          { disabled: !["Polygon", "LineString", "Point"].includes(s.geometry.type) }),
        button(t("web.ui.sketch.delete"), () => void deleteSketch(s), { class: "danger" }));
    }
    actions.append(button(t("web.ui.common.deselect"), () => selectSketch(null), { class: "secondary" }));
    sketchDetail.append(h("h3", {}, t("web.ui.sketch.selected")), facts, actions);
  }

  function editComment(s: Sketch): void {
    const comment = h("textarea", { rows: 4, maxlength: 2000 });
    comment.value = s.properties.comment ?? "";
    const kind = measureGeometry.get(s.properties.measure)
      ?? (s.geometry.type.includes("Line") ? "line" : s.geometry.type.includes("Point") ? "point" : "polygon");
    const width = h("input", { type: "number", min: "0.1", step: "0.1", value: s.properties.width_m ?? "" });
    const count = h("input", { type: "number", min: "1", step: "1", value: s.properties.count ?? "" });
    const form = h("form", { class: "sketch-form" },
      h("h3", {}, t("web.ui.sketch.edit_comment")),
      field(t("web.ui.sketch.comment"), comment),
      kind === "line" ? field(t("web.ui.sketch.width"), width) : null,
      kind === "point" ? field(t("web.ui.sketch.count"), count) : null,
      h("div", { class: "buttons wrap" },
        h("button", { type: "submit", class: "primary" }, t("web.ui.sketch.save")),
        button(t("web.ui.common.cancel"), () => renderDetail(), { class: "secondary" })));
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const properties: Record<string, unknown> = { comment: comment.value };
      if (kind === "line" && width.value) properties.width_m = Number(width.value);
      if (kind === "point" && count.value) properties.count = Number(count.value);
      void patch(s, { properties });
    });
    clear(sketchDetail);
    sketchDetail.appendChild(form);
    comment.focus();
  }

  function editShape(s: Sketch): void {
    if (s.properties.level !== level) setLevel(s.properties.level);
    if (!drawer.edit(s.geometry)) {
      showError(t("web.ui.sketch.cannot_edit_shape"));
      return;
    }
    const save = button(t("web.ui.sketch.save_shape"), () => {
      const geometry = drawer.edited();
      drawer.stop();
      hideDrawBox();
      if (geometry) void patch(s, { geometry });
    }, { class: "primary" });
    showDrawBox(h("h2", {}, t("web.ui.sketch.edit_shape")), h("p", { class: "instructions" }, t("web.ui.draw.hint_edit")),
      h("div", { class: "buttons wrap" }, save, button(t("web.ui.common.cancel"), cancelDrawing, { class: "secondary" })));
    save.focus();
  }

  async function patch(s: Sketch, body: { geometry?: Geometry; properties?: Record<string, unknown> }): Promise<void> {
    try {
      const updated = await call<Sketch>("PATCH", `/sketches/${encodeURIComponent(s.id)}`, body);
      upsert({ ...updated, id: String(updated.id ?? s.id) });
      refresh();
      announce(t("web.ui.sketch.updated"));
    } catch (error) {
      showError(error instanceof Error ? error.message : String(error));
    }
  }

  async function deleteSketch(s: Sketch): Promise<void> {
    if (!window.confirm(t("web.ui.sketch.confirm_delete", { measure: measureName(s.properties.measure) }))) return;
    try {
      await call("DELETE", `/sketches/${encodeURIComponent(s.id)}`);
      sketches.delete(s.id);
      selectedSketch = null;
      refresh();
      announce(t("web.ui.sketch.deleted"));
    } catch (error) {
      showError(error instanceof Error ? error.message : String(error));
    }
  }

  async function undo(): Promise<void> {
    try {
      await call("POST", "/undo");
      await reloadSketches();
      announce(t("web.ui.ws.undone"));
    } catch (error) {
      showError(error instanceof Error ? error.message : String(error));
    }
  }

  async function reloadSketches(): Promise<void> {
    const collection = await call<FeatureCollection>("GET", "/sketches");
    sketches = new Map(collection.features.map((f) => [String(f.id), { ...(f as Sketch), id: String(f.id) }]));
    if (selectedSketch && !sketches.has(selectedSketch)) selectedSketch = null;
    refresh();
  }

  // ---- syntheses ----------------------------------------------------------------------------------------
  function renderSyntheses(): void {
    clear(synthesisBox);
    const list = h("ul", { class: "synthesis-list" });
    for (const s of syntheses) {
      const b = button("", () => {
        selectedSynthesis = s.id === selectedSynthesis ? null : s.id;
        paintSketches();
        renderSyntheses();
        renderIndicatorPanel();
      }, { class: "toggle synthesis", "aria-pressed": String(s.id === selectedSynthesis) });
      append(b, h("span", {}, synthesisName(s)),
        h("span", { class: "count" }, t("web.ui.synthesis.count", { count: s.sketch_ids.length })));
      list.appendChild(h("li", {}, b));
    }
    synthesisBox.appendChild(list);
    const current = currentSynthesis();
    const sel = selectedSketch ? sketches.get(selectedSketch) : undefined;
    if (current && canDraw) {
      if (sel) {
        const inside = current.sketch_ids.includes(sel.id);
        synthesisBox.appendChild(button(
          inside ? t("web.ui.synthesis.remove", { name: synthesisName(current) })
            : t("web.ui.synthesis.add", { name: synthesisName(current) }),
          () => void setMembers(current, inside ? current.sketch_ids.filter((x) => x !== sel.id)
            : [...current.sketch_ids, sel.id]), { class: inside ? "secondary" : "primary" }));
      } else {
        synthesisBox.appendChild(h("p", { class: "hint" }, t("web.ui.synthesis.select_sketch")));
      }
    }
    if (canDraw) {
      const name = h("input", { type: "text", maxlength: 200 });
      const form = h("form", { class: "inline-form" }, field(t("web.ui.synthesis.new_name"), name),
        h("button", { type: "submit" }, t("web.ui.synthesis.create")));
      form.addEventListener("submit", (ev) => {
        ev.preventDefault();
        if (!name.value.trim()) {
          name.focus();
          return;
        }
        void (async () => {
          try {
            const made = await call<Synthesis>("POST", "/syntheses", { name: name.value.trim(), kind: "free", sketch_ids: [] });
            syntheses = [...syntheses.filter((x) => x.id !== made.id), { ...made, sketch_ids: made.sketch_ids ?? [] }];
            selectedSynthesis = made.id;
            renderSyntheses();
            renderIndicatorPanel();
          } catch (error) {
            showError(error instanceof Error ? error.message : String(error));
          }
        })();
      });
      synthesisBox.appendChild(form);
    }
  }

  async function setMembers(s: Synthesis, ids: string[]): Promise<void> {
    try {
      const updated = await call<Synthesis>("PUT", `/syntheses/${encodeURIComponent(s.id)}`, { sketch_ids: ids });
      syntheses = syntheses.map((x) => (x.id === s.id ? { ...x, ...(updated ?? {}), sketch_ids: updated?.sketch_ids ?? ids } : x));
      paintSketches();
      renderSyntheses();
      renderIndicatorPanel();
    } catch (error) {
      showError(error instanceof Error ? error.message : String(error));
    }
  }

  async function reloadSyntheses(): Promise<void> {
    const result = await call<Synthesis[] | { syntheses: Synthesis[] }>("GET", "/syntheses");
    syntheses = Array.isArray(result) ? result : result.syntheses;
    if (selectedSynthesis && !syntheses.some((s) => s.id === selectedSynthesis)) selectedSynthesis = null;
    paintSketches();
    renderSyntheses();
    renderIndicatorPanel();
  }

  // ---- indicators ---------------------------------------------------------------------------------------
  function renderIndicatorPanel(): void {
    const columns: Column[] = [{ label: t("web.ui.ind.workshop"), values: indicators?.total ?? null }];
    const syn = currentSynthesis();
    if (syn) columns.push({ label: synthesisName(syn), values: indicators?.syntheses?.[syn.id] ?? null });
    const sk = selectedSketch ? sketches.get(selectedSketch) : undefined;
    if (sk) {
      columns.push({ label: t("web.ui.ind.sketch", { measure: measureName(sk.properties.measure) }),
        values: indicators?.sketches?.[sk.id] ?? null, error: indicators?.errors?.[sk.id] ?? null });
    }
    renderIndicators(indicatorBox, indicators, columns);
  }

  async function loadIndicators(): Promise<void> {
    // the whole and the syntheses, and the selected sketch's own numbers (the event carries no per-sketch values)
    try {
      const query = selectedSketch ? `/indicators?sketch=${encodeURIComponent(selectedSketch)}` : "/indicators";
      indicators = await call<IndicatorState>("GET", query);
    } catch {
      indicators = { status: "unavailable" };
    }
    renderIndicatorPanel();
  }

  // ---- participants, bar --------------------------------------------------------------------------------
  function renderParticipants(): void {
    clear(participantsBox);
    participantsBox.appendChild(h("summary", {}, t("web.ui.ws.participants", { count: workshop.participants.length })));
    const list = h("ul", { class: "people" });
    for (const p of workshop.participants) {
      const parts = [p.name, p.organisation, p.discipline ? t(DISCIPLINE_KEYS[p.discipline] ?? "web.ui.discipline.other") : "",
        t(ROLE_KEYS[p.role] ?? "web.ui.role.participant")].filter(Boolean);
      list.appendChild(h("li", {}, parts.join(" · ")));
    }
    participantsBox.appendChild(list);
  }

  function renderBar(): void {
    clear(barActions);
    if (canDraw) barActions.appendChild(button(t("web.ui.ws.undo"), () => void undo(), { title: t("web.ui.ws.undo_hint") }));
    const overlayToggle = button(t("web.ui.ws.vulnerability"), () => {
      overlayOn = !overlayOn;
      overlayToggle.setAttribute("aria-pressed", String(overlayOn));
      showOverlay();
    }, { class: "toggle", "aria-pressed": String(overlayOn) });
    barActions.appendChild(overlayToggle);
    if (isFacilitator) {
      if (workshop.join_code) {
        const code = workshop.join_code;
        barActions.appendChild(button(t("web.ui.ws.share", { code }), () => {
          const link = shareLink(id, code);
          void navigator.clipboard?.writeText(link).then(() => announce(t("web.ui.ws.copied")), () => window.prompt(t("web.ui.start.share_link"), link));
        }, { class: "secondary" }));
      }
      barActions.appendChild(button(t("web.ui.ws.export"), () => void exportWorkshop(), { class: "primary" }));
      barActions.appendChild(button(t("web.ui.ws.moves"), () =>
        void download(`${base}/moves.csv`, "moves.csv", token).catch((e: Error) => showError(e.message))));
    }
  }

  async function exportWorkshop(): Promise<void> {
    try {
      const done = await call<{ in_dossier?: boolean; workshop_line?: string | null }>("POST", "/export");
      announce(t("web.ui.ws.exported"));
      // the next step: the dossier reads the file (run it again) or needs the line that names it
      const next = done?.in_dossier
        ? t("web.ui.ws.exported_run")
        : t("web.ui.ws.exported_add", { line: done?.workshop_line ?? "" });
      showDrawBox(h("h2", {}, t("web.ui.ws.export")), h("p", { role: "status" }, t("web.ui.ws.exported")),
        h("p", { class: "hint" }, next),
        h("div", { class: "buttons wrap" },
          button(t("web.ui.ws.download_gpkg"), () =>
            void download(`${base}/export.gpkg`, "sketches.gpkg", token).catch((e: Error) => showError(e.message)),
          { class: "primary" }),
          button(t("web.ui.common.close"), hideDrawBox, { class: "secondary" })));
    } catch (error) {
      showError(error instanceof Error ? error.message : String(error));
    }
  }

  function refresh(): void {
    renderTabs();
    paintSketches();
    renderSketches();
    renderSyntheses();
    renderIndicatorPanel();
  }

  // ---- map interaction ----------------------------------------------------------------------------------
  const sketchLayers = ["sk-fill", "sk-line", "sk-point", "sk-outline", "sk-outline-context"];
  map.on("click", (ev) => {
    if (drawer.active) return;
    const hits = map.queryRenderedFeatures(ev.point, { layers: sketchLayers.filter((l) => map.getLayer(l)) });
    const activeHit = hits.find((f) => f.properties?._active === true) ?? hits[0];
    if (activeHit?.properties?.sid) {
      selectSketch(String(activeHit.properties.sid));
      sketchDetail.scrollIntoView({ block: "nearest", behavior: "smooth" });
      return;
    }
    palettePoint = [ev.lngLat.lng, ev.lngLat.lat];
    paletteMarker?.remove();
    const el = h("div", { class: "palette-marker", "aria-hidden": "true" });
    paletteMarker = new maplibregl.Marker({ element: el }).setLngLat(ev.lngLat).addTo(map);
    void loadPalette();
  });
  map.on("mousemove", (ev) => {
    if (drawer.active) return;
    const hits = map.queryRenderedFeatures(ev.point, { layers: sketchLayers.filter((l) => map.getLayer(l)) });
    map.getCanvas().style.cursor = hits.length > 0 ? "pointer" : "";
  });
  let moveTimer = 0;
  map.on("moveend", () => {
    if (palettePoint) return;
    window.clearTimeout(moveTimer);
    moveTimer = window.setTimeout(() => void loadPalette(), 400);
  });
  const onKey = (ev: KeyboardEvent): void => {
    if (ev.key === "Escape" && drawer.active) cancelDrawing();
  };
  document.addEventListener("keydown", onKey);

  // ---- live updates -------------------------------------------------------------------------------------
  const events = new EventSource(`${base}/events?token=${encodeURIComponent(token)}`);
  let lost = false;
  events.addEventListener("open", () => {
    connection.textContent = "";
    connection.className = "connection";
    if (lost) {
      lost = false;
      void reloadSketches().catch(() => undefined);
      void reloadSyntheses().catch(() => undefined);
      void loadIndicators();
    }
  });
  events.addEventListener("error", () => {
    lost = true;
    connection.textContent = t("web.ui.ws.connection_lost");
    connection.className = "connection lost";
  });
  events.addEventListener("sketch", (ev) => {
    const data = JSON.parse((ev as MessageEvent<string>).data) as { action: string; feature: Sketch };
    const feature = data.feature;
    const sid = String(feature?.id ?? "");
    if (!sid) return;
    if (/delet|remov/.test(data.action)) {
      sketches.delete(sid);
      if (selectedSketch === sid) selectedSketch = null;
    } else {
      const known = sketches.has(sid);
      upsert(feature);
      if (!known && feature.properties?.author_id !== me.id) {
        announce(t("web.ui.sketch.announce_new", { measure: measureName(feature.properties.measure),
          author: feature.properties.author_name ?? "" }));
      }
    }
    refresh();
  });
  events.addEventListener("synthesis", () => void reloadSyntheses().catch(() => undefined));
  events.addEventListener("participant", () => {
    void call<Workshop>("GET", "").then((w) => {
      workshop = w;
      renderParticipants();
    }).catch(() => undefined);
  });
  events.addEventListener("indicators", (ev) => {
    try {
      const data = JSON.parse((ev as MessageEvent<string>).data) as IndicatorState;
      if (data && typeof data === "object" && "status" in data) {
        indicators = { ...data, sketches: indicators?.sketches ?? {} };
        renderIndicatorPanel();
        if (selectedSketch) void loadIndicators();
        return;
      }
    } catch {
      /* fall through: ask for them */
    }
    void loadIndicators();
  });

  // ---- start --------------------------------------------------------------------------------------------
  void api<unknown>("GET", "/api/measures").then((result) => {
    const list = (Array.isArray(result) ? result : (result as { measures?: PaletteMeasure[] }).measures ?? []) as PaletteMeasure[];
    for (const m of list) {
      if (!measureNames.has(m.id)) measureNames.set(m.id, m.name);
      if (!measureGeometry.has(m.id)) measureGeometry.set(m.id, m.geometry);
      if (m.default_width_m) defaultWidth.set(m.id, m.default_width_m);
    }
    renderSketches();
  }).catch(() => undefined);
  if (kept) map.jumpTo({ center: kept.map.center, zoom: kept.map.zoom });
  else fitBox(map, dossier.levels.region?.bbox ?? dossier.bounds, false);
  renderTabs();
  renderBar();
  showOverlay();
  renderCorrectionTool();
  renderParticipants();
  refresh();
  void loadPalette();
  void loadIndicators();

  window.addEventListener("pagehide", remember);

  return () => {
    remember();
    window.removeEventListener("pagehide", remember);
    events.close();
    document.removeEventListener("keydown", onKey);
    drawer.destroy();
    map.remove();
  };
}
