// The atlas (#/atlas): the dossier's saved maps by theme, switched with buttons for theme, map and climate
// scenario (the seed's trend viewer), with the legend and the map's own caption beside it.
import type { Map as MlMap } from "maplibre-gl";
import { button, clear, h } from "./dom";
import { t } from "./i18n";
import { legendOf } from "./legend";
import { addBoundary, addLayers, baseLayers, createMap, findMap, fitBox, removeLayers, scenariosOf, whenLoaded,
  type LayerGroup } from "./maps";
import { themeLabel } from "./themes";
import type { AtlasMap, Catalogue, Dossier, Level } from "./types";

interface AtlasState {
  theme: string;
  base: string;
  scenario: string | null;
  /** the map's centre and zoom, so the atlas drawn again (after a switch of language) shows the same place */
  view?: { center: [number, number]; zoom: number };
}

const STATE_KEY = "alliantie.atlas";

function loadState(): Partial<AtlasState> {
  try {
    return JSON.parse(sessionStorage.getItem(STATE_KEY) ?? "{}") as Partial<AtlasState>;
  } catch {
    return {};
  }
}

function themeIds(catalogue: Catalogue): string[] {
  const listed = catalogue.themes.map((theme) => (typeof theme === "string" ? theme : theme.id));
  const used = new Set(catalogue.maps.map((m) => m.theme));
  const ordered = listed.filter((id) => used.has(id));
  for (const id of used) if (!ordered.includes(id)) ordered.push(id);
  return ordered;
}

export async function renderAtlas(root: HTMLElement, dossier: Dossier, catalogue: Catalogue): Promise<() => void> {
  clear(root);
  root.className = "page atlas";
  const themes = themeIds(catalogue);
  const saved = loadState();
  const state: AtlasState = {
    theme: saved.theme && themes.includes(saved.theme) ? saved.theme : themes[0] ?? "",
    base: saved.base ?? "",
    scenario: saved.scenario ?? null,
  };
  const view = saved.view;
  if (view && Array.isArray(view.center) && view.center.length === 2 && view.center.every(Number.isFinite)
    && Number.isFinite(view.zoom)) state.view = { center: view.center, zoom: view.zoom };

  const themeBar = h("div", { class: "buttons wrap", role: "group", "aria-label": t("web.ui.atlas.themes") });
  const mapList = h("div", { class: "buttons column", role: "group", "aria-label": t("web.ui.atlas.maps") });
  const scenarioBar = h("div", { class: "buttons wrap", role: "group", "aria-label": t("web.ui.atlas.scenarios") });
  const zoomBar = h("div", { class: "buttons wrap", role: "group", "aria-label": t("web.ui.atlas.zoom") });
  const info = h("section", { class: "map-info", "aria-live": "polite" });
  const mapBox = h("div", { class: "map", id: "atlas-map" });

  const side = h("aside", { class: "panel side-left", "aria-label": t("web.ui.atlas.choose") },
    h("h1", {}, t("web.ui.atlas.title")),
    h("p", { class: "lead" }, t("web.ui.atlas.intro")),
    h("h2", {}, t("web.ui.atlas.themes")), themeBar,
    h("h2", {}, t("web.ui.atlas.maps")), mapList,
    h("h2", {}, t("web.ui.atlas.zoom")), zoomBar);
  const right = h("aside", { class: "panel side-right", "aria-label": t("web.ui.atlas.about") }, info);
  const mapTools = h("div", { class: "map-tools" }, h("span", { class: "map-tools-label" }, t("web.ui.atlas.scenarios")),
    scenarioBar);
  root.append(side, h("div", { class: "map-wrap" }, mapBox, mapTools), right);

  const map: MlMap = createMap(mapBox, dossier);
  await whenLoaded(map);
  addLayers(map, "base", baseLayers(catalogue), dossier.bounds, { base: true });
  addBoundary(map, dossier);
  let group: LayerGroup | null = null;
  if (state.view) map.jumpTo(state.view);
  map.on("moveend", () => {
    const c = map.getCenter();
    state.view = { center: [c.lng, c.lat], zoom: map.getZoom() };
    sessionStorage.setItem(STATE_KEY, JSON.stringify(state));
  });

  const levelKeys: Array<[Level | "all", string]> = [["all", "web.ui.level.all"], ["region", "web.ui.level.region"],
    ["town", "web.ui.level.town"], ["neighbourhood", "web.ui.level.neighbourhood"]];
  for (const [level, key] of levelKeys) {
    const label = level === "neighbourhood" && dossier.levels.neighbourhood?.name
      ? `${t(key)}: ${dossier.levels.neighbourhood.name}` : t(key);
    zoomBar.appendChild(button(label, () => fitBox(map, level === "all" ? dossier.bounds : dossier.levels[level]?.bbox)));
  }

  function familiesOf(theme: string): AtlasMap[] {
    const seen = new Set<string>();
    const out: AtlasMap[] = [];
    for (const m of catalogue.maps) {
      if (m.theme !== theme || seen.has(m.base)) continue;
      seen.add(m.base);
      out.push(findMap(catalogue, m.base, state.scenario) ?? m);
    }
    return out;
  }

  function show(): void {
    const families = familiesOf(state.theme);
    if (!families.some((m) => m.base === state.base)) state.base = families[0]?.base ?? "";
    const available = scenariosOf(catalogue, state.base);
    if (!available.includes(state.scenario)) {
      state.scenario = available.includes("current") ? "current" : available[0] ?? null;
    }
    sessionStorage.setItem(STATE_KEY, JSON.stringify(state));
    const current = findMap(catalogue, state.base, state.scenario);

    clear(themeBar);
    for (const theme of themes) {
      themeBar.appendChild(button(themeLabel(theme, catalogue), () => { state.theme = theme; show(); },
        { "aria-pressed": String(theme === state.theme), class: "toggle" }));
    }
    clear(mapList);
    for (const family of familiesOf(state.theme)) {
      mapList.appendChild(button(family.title, () => { state.base = family.base; show(); },
        { "aria-pressed": String(family.base === state.base), class: "toggle" }));
    }
    clear(scenarioBar);
    const staticMap = available.length === 1 && available[0] === null;
    if (staticMap) {
      scenarioBar.appendChild(h("p", { class: "hint" }, t("web.ui.atlas.no_scenarios")));
    } else {
      const entry = catalogue.themes.find((x) => typeof x !== "string" && x.id === state.theme);
      const ofTheme = entry && typeof entry !== "string" && entry.scenarios ? entry.scenarios : null;
      for (const scenario of dossier.scenarios.filter((s) => !ofTheme || ofTheme.includes(s.id))) {
        const has = available.includes(scenario.id);
        const b = button(scenario.label, () => { state.scenario = scenario.id; show(); },
          { "aria-pressed": String(scenario.id === state.scenario), class: "toggle", disabled: !has,
            title: has ? undefined : t("web.ui.atlas.scenario_missing") });
        scenarioBar.appendChild(b);
      }
    }

    removeLayers(map, group);
    group = null;
    clear(info);
    if (!current) {
      info.appendChild(h("p", {}, t("web.ui.atlas.empty")));
      return;
    }
    group = addLayers(map, `map-${current.id}`, current.layers.filter((l) => !/hillshade/.test(l.url)),
      dossier.bounds, { before: "boundary-halo" });
    info.append(h("h2", {}, current.title), legendOf(current), h("p", { class: "caption" }, current.description));
  }

  show();
  return () => map.remove();
}
