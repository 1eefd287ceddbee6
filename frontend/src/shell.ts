// The frame of every page: the header with the app's name, the two parts (atlas, workshop) and the language
// switch; the skip link; a place for error messages.
import { button, clear, h } from "./dom";
import { lang, loadLanguage, t, type Lang } from "./i18n";

let onLanguage: () => void = () => {};

export function setLanguageHandler(handler: () => void): void {
  onLanguage = handler;
}

export function renderHeader(active: "atlas" | "workshop", dossierName: string): void {
  const top = document.getElementById("top");
  if (!top) return;
  clear(top);
  top.className = "topbar";
  const skip = document.querySelector<HTMLAnchorElement>("a.skip");
  if (skip) skip.textContent = t("web.ui.nav.skip");
  const nav = h("nav", { "aria-label": t("web.ui.nav.label") },
    h("a", { href: "#/atlas", class: "navlink", "aria-current": active === "atlas" ? "page" : undefined },
      t("web.ui.nav.atlas")),
    h("a", { href: "#/workshop", class: "navlink", "aria-current": active === "workshop" ? "page" : undefined },
      t("web.ui.nav.workshop")));
  const langs = h("div", { class: "langs", role: "group", "aria-label": t("web.ui.nav.language") });
  const names: Array<[Lang, string]> = [["nl", "web.ui.nav.lang_nl"], ["en", "web.ui.nav.lang_en"]];
  for (const [code, key] of names) {
    langs.appendChild(button(t(key), () => void switchLanguage(code),
      { class: "lang", "aria-pressed": String(lang() === code), lang: code }));
  }
  top.append(
    h("div", { class: "brand" }, h("span", { class: "app" }, t("web.ui.app.name")),
      h("span", { class: "dossier" }, dossierName)),
    nav, langs);
  document.title = `${t("web.ui.app.name")} · ${dossierName}`;
}

async function switchLanguage(code: Lang): Promise<void> {
  if (code === lang()) return;
  try {
    await loadLanguage(code);
  } catch (error) {
    showError(String(error));
    return;
  }
  onLanguage();
}

/** A message the user must see (role=alert): failed requests, refused actions. */
export function showError(message: string): void {
  let box = document.getElementById("alert");
  if (!box) {
    box = h("div", { id: "alert", role: "alert", class: "alert" });
    document.body.appendChild(box);
  }
  clear(box);
  const close = button(t("web.ui.common.close"), () => box?.remove(), { class: "alert-close" });
  box.append(h("p", {}, message), close);
}

export function clearError(): void {
  document.getElementById("alert")?.remove();
}
