// The app's entry: loads the catalogue's texts, the dossier and the map catalogue, then shows the page of the
// hash route: #/atlas, #/workshop (start), #/workshop/{id}[?code=...].
import "maplibre-gl/dist/maplibre-gl.css";
import "./styles.css";
import { api } from "./api";
import { renderAtlas } from "./atlas";
import { clear, h } from "./dom";
import { lang, loadLanguage, t } from "./i18n";
import { getSession } from "./session";
import { clearError, renderHeader, setLanguageHandler, showError } from "./shell";
import { renderJoin, renderStart } from "./start";
import type { Catalogue, Dossier } from "./types";
import { renderWorkshop } from "./workshop";

let dossier: Dossier | null = null;
let catalogue: Catalogue | null = null;
let cleanup: (() => void) | null = null;
let generation = 0;

async function loadData(): Promise<void> {
  [dossier, catalogue] = await Promise.all([
    api<Dossier>("GET", "/api/dossier"),
    api<Catalogue>("GET", "/api/atlas/maps"),
  ]);
}

function parseRoute(): { page: "atlas" | "start" | "workshop"; id?: string; code?: string } {
  const hash = window.location.hash.replace(/^#/, "");
  const [path, query] = hash.split("?");
  const parts = path.split("/").filter(Boolean);
  if (parts[0] === "workshop" && parts[1]) {
    const code = new URLSearchParams(query ?? "").get("code") ?? "";
    return { page: "workshop", id: decodeURIComponent(parts[1]), code };
  }
  if (parts[0] === "workshop") return { page: "start" };
  return { page: "atlas" };
}

async function route(): Promise<void> {
  const mine = ++generation;
  cleanup?.();
  cleanup = null;
  const main = document.getElementById("main");
  if (!main || !dossier || !catalogue) return;
  const r = parseRoute();
  clearError();
  renderHeader(r.page === "atlas" ? "atlas" : "workshop", dossier.name);
  try {
    if (r.page === "atlas") {
      const done = await renderAtlas(main, dossier, catalogue);
      if (mine === generation) cleanup = done;
      else done();
    } else if (r.page === "start") {
      renderStart(main);
    } else if (r.id) {
      const session = getSession(r.id);
      if (!session) {
        renderJoin(main, r.id, r.code ?? "", () => {
          window.location.hash = `#/workshop/${encodeURIComponent(r.id ?? "")}`;
        });
        return;
      }
      clear(main);
      main.appendChild(h("p", { class: "loading" }, t("web.ui.common.loading")));
      const done = await renderWorkshop(main, r.id, dossier, catalogue, session);
      if (mine === generation) cleanup = done;
      else done();
    }
  } catch (error) {
    showError(error instanceof Error ? error.message : String(error));
  }
}

async function start(): Promise<void> {
  const main = document.getElementById("main");
  try {
    await loadLanguage(lang());
    await loadData();
  } catch (error) {
    if (main) {
      clear(main);
      main.appendChild(h("p", { class: "alert", role: "alert" },
        `${t("web.ui.error.start")} (${error instanceof Error ? error.message : String(error)})`));
    }
    return;
  }
  setLanguageHandler(() => {
    void loadData().then(route).catch((error: Error) => showError(error.message));
  });
  window.addEventListener("hashchange", () => void route());
  if (!window.location.hash) window.location.replace("#/atlas");
  await route();
}

void start();
