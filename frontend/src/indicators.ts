// The indicators panel: one table, columns for the whole workshop, the selected synthesis and the selected
// sketch; rows for buildings kept dry, water stored, residents cooled, avoided damage per theme, investment and
// maintenance, and the level of each column (the fast estimate, or the dynamic check that replaced it). The
// panel is a polite live region, so a screen reader hears when the numbers change.
import { clear, h } from "./dom";
import { formatEuroShort, formatNumber, formatTime, t } from "./i18n";
import { themeLabel } from "./themes";
import type { IndicatorState, Indicators } from "./types";

export interface Column {
  label: string;
  values: Indicators | null | undefined;
  error?: string | null;
}

type Row = [string, (ind: Indicators) => string | null];

const dash = "–";

function rows(columns: Column[]): Row[] {
  const list: Row[] = [
    [t("web.ui.ind.level"), (i) => (i.level == null ? null : i.level === "dynamic"
      ? t("web.ui.ind.level_dynamic", { time: i.level_computed_at ? formatTime(i.level_computed_at) : dash })
      : t("web.ui.ind.level_fast"))],
    [t("web.ui.ind.buildings_kept_dry"), (i) => (i.buildings_kept_dry == null ? null : formatNumber(i.buildings_kept_dry))],
    [t("web.ui.ind.water_stored"), (i) => (i.water_stored_m3 == null ? null : `${formatNumber(i.water_stored_m3)}\u00a0m³`)],
    [t("web.ui.ind.storage_capacity"),
      (i) => (i.storage_capacity_m3 == null ? null : `${formatNumber(i.storage_capacity_m3)}\u00a0m³`)],
    [t("web.ui.ind.residents_cooled"), (i) => (i.residents_cooled == null ? null : formatNumber(i.residents_cooled))],
  ];
  const themes = new Set<string>();
  for (const column of columns) {
    for (const theme of Object.keys(column.values?.avoided_damage_eur_per_year ?? {})) themes.add(theme);
  }
  for (const theme of themes) {
    // the dynamic check's storm series replaces the fast estimate per theme when it is done: the row says so
    // when every column shows the dynamic figure, otherwise each dynamic figure carries the mark
    const valued = columns.filter((c) => c.values?.avoided_damage_eur_per_year?.[theme] != null);
    const dynamic = (i: Indicators) => i.avoided_damage_level?.[theme] === "dynamic";
    const allDynamic = valued.length > 0 && valued.every((c) => c.values != null && dynamic(c.values));
    const key = allDynamic ? "web.ui.ind.avoided_damage_dynamic" : "web.ui.ind.avoided_damage";
    list.push([t(key, { theme: themeLabel(theme) }), (i) => {
      const value = i.avoided_damage_eur_per_year?.[theme];
      if (value == null) return null;
      return !allDynamic && dynamic(i) ? `${formatEuroShort(value)}\u00a0${t("web.ui.ind.dynamic_mark")}`
        : formatEuroShort(value);
    }]);
  }
  list.push([t("web.ui.ind.investment"), (i) => (i.investment_eur == null ? null : formatEuroShort(i.investment_eur))]);
  list.push([t("web.ui.ind.maintenance"), (i) => (i.maintenance_eur_per_year == null ? null
    : formatEuroShort(i.maintenance_eur_per_year))]);
  return list;
}

export function renderIndicators(box: HTMLElement, state: IndicatorState | null, columns: Column[]): void {
  clear(box);
  const status = state?.status ?? "computing";
  const statusText = status === "ready"
    ? (state?.computed_at ? t("web.ui.ind.ready_at", { time: formatTime(state.computed_at) }) : t("web.ui.ind.ready"))
    : status === "unavailable" ? t("web.ui.ind.unavailable") : status === "failed" ? t("web.ui.ind.failed")
      : t("web.ui.ind.computing");
  box.appendChild(h("p", { class: `ind-status ${status}` }, statusText));
  const shown = columns.filter((c) => c.values !== undefined || c.error);
  if (shown.length === 0) {
    box.appendChild(h("p", { class: "hint" }, t("web.ui.ind.none")));
    return;
  }
  const table = h("table", { class: "indicators" });
  table.appendChild(h("caption", { class: "visually-hidden" }, t("web.ui.ind.caption")));
  const head = h("tr", {}, h("th", { scope: "col" }, t("web.ui.ind.indicator")));
  for (const column of shown) head.appendChild(h("th", { scope: "col" }, column.label));
  table.appendChild(h("thead", {}, head));
  const body = h("tbody");
  for (const [label, value] of rows(shown)) {
    const tr = h("tr", {}, h("th", { scope: "row" }, label));
    for (const column of shown) tr.appendChild(h("td", {}, column.values ? value(column.values) ?? dash : dash));
    body.appendChild(tr);
  }
  table.appendChild(body);
  box.appendChild(h("div", { class: "table-scroll" }, table));
  if (shown.some((c) => c.values?.approximate)) box.appendChild(h("p", { class: "hint" }, t("web.ui.ind.approximate")));
  for (const column of shown) {
    if (column.error) box.appendChild(h("p", { class: "warning" }, `${column.label}: ${column.error}`));
  }
}
