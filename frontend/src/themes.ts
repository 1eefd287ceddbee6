// Names of themes (atlas themes, damage themes, correction themes). The catalogue's own label wins where the
// server sends one; otherwise the name comes from web.toml. Each key is written out (see i18n.ts).
import { t } from "./i18n";
import type { Catalogue } from "./types";

const THEME_KEYS: Record<string, string> = {
  soil: "web.ui.theme.soil",
  water: "web.ui.theme.water",
  green: "web.ui.theme.green",
  landscape: "web.ui.theme.landscape",
  structure: "web.ui.theme.structure",
  vulnerability: "web.ui.theme.vulnerability",
  flood: "web.ui.theme.flood",
  pluvial: "web.ui.theme.pluvial",
  drought: "web.ui.theme.drought",
  heat: "web.ui.theme.heat",
  damage: "web.ui.theme.damage",
  stresstest: "web.ui.theme.stresstest",
  guide_models: "web.ui.theme.guide_models",
  suitability: "web.ui.theme.suitability",
  effects: "web.ui.theme.effects",
  all: "web.ui.theme.all",
};

export function themeLabel(id: string, catalogue?: Catalogue): string {
  const entry = catalogue?.themes.find((theme) => typeof theme !== "string" && theme.id === id);
  if (entry && typeof entry !== "string") {
    const label = entry.title ?? entry.label ?? entry.name;
    if (label) return label;
  }
  const key = THEME_KEYS[id];
  return key ? t(key) : id;
}
