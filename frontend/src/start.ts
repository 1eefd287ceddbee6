// Workshop start (#/workshop): a facilitator creates a workshop and gets the join code and the link to share;
// a participant opens that link (or pastes it here) and joins with name, organisation, discipline and role.
import { api, ApiError } from "./api";
import { button, clear, field, h, select } from "./dom";
import { lang, t } from "./i18n";
import { parseLink, saveSession, shareLink } from "./session";
import { showError } from "./shell";

interface Created {
  id: string;
  title: string;
  join_code: string;
  token: string;
  participant_id: string;
  role: string;
}

export function renderStart(root: HTMLElement): void {
  clear(root);
  root.className = "page start";
  const result = h("div", { class: "result", "aria-live": "polite" });

  const title = h("input", { type: "text", required: true, maxlength: 200, autocomplete: "off" });
  const name = h("input", { type: "text", maxlength: 100, autocomplete: "name" });
  const create = h("form", { class: "card", "aria-labelledby": "create-h" },
    h("h2", { id: "create-h" }, t("web.ui.start.create_title")),
    h("p", {}, t("web.ui.start.create_intro")),
    field(t("web.ui.start.title"), title, t("web.ui.start.title_hint")),
    field(t("web.ui.start.your_name"), name),
    h("button", { type: "submit", class: "primary" }, t("web.ui.start.create")),
    result);
  create.addEventListener("submit", (ev) => {
    ev.preventDefault();
    if (!title.value.trim()) {
      title.focus();
      return;
    }
    void (async () => {
      try {
        const made = await api<Created>("POST", "/api/workshops",
          { title: title.value.trim(), facilitator_name: name.value.trim() || undefined, language: lang() });
        saveSession(made.id, { token: made.token, participant_id: made.participant_id, role: made.role,
          name: name.value.trim() });
        const link = shareLink(made.id, made.join_code);
        const linkInput = h("input", { type: "text", readonly: true, value: link, class: "share" });
        clear(result);
        result.append(
          h("h3", {}, t("web.ui.start.created")),
          h("p", {}, t("web.ui.start.join_code")), h("p", { class: "code" }, made.join_code),
          field(t("web.ui.start.share_link"), linkInput, t("web.ui.start.share_hint")),
          h("div", { class: "buttons wrap" },
            button(t("web.ui.start.copy"), () => {
              linkInput.select();
              void navigator.clipboard?.writeText(link).catch(() => undefined);
            }),
            h("a", { href: `#/workshop/${encodeURIComponent(made.id)}`, class: "button primary" },
              t("web.ui.start.open"))));
      } catch (error) {
        showError(error instanceof ApiError ? error.message : String(error));
      }
    })();
  });

  const linkField = h("input", { type: "text", required: true, autocomplete: "off" });
  const join = h("div", { class: "card" },
    h("h2", {}, t("web.ui.start.join_title")),
    h("p", {}, t("web.ui.start.join_intro")),
    field(t("web.ui.start.link"), linkField, t("web.ui.start.link_hint")),
    button(t("web.ui.start.continue"), () => {
      const parsed = parseLink(linkField.value);
      if (!parsed) {
        showError(t("web.ui.start.bad_link"));
        linkField.focus();
        return;
      }
      window.location.hash = `#/workshop/${encodeURIComponent(parsed.id)}?code=${encodeURIComponent(parsed.code)}`;
    }, { class: "primary" }));

  root.append(h("div", { class: "start-grid" },
    h("h1", {}, t("web.ui.start.heading")),
    h("p", { class: "lead" }, t("web.ui.start.intro")),
    create, join));
}

/** The join form for one workshop (shown when this tab has no token for it). */
export function renderJoin(root: HTMLElement, id: string, code: string, onJoined: () => void): void {
  clear(root);
  root.className = "page start";
  const codeInput = h("input", { type: "text", required: true, value: code, autocomplete: "off",
    autocapitalize: "characters", spellcheck: "false" });
  const name = h("input", { type: "text", required: true, maxlength: 100, autocomplete: "name" });
  const organisation = h("input", { type: "text", maxlength: 200, autocomplete: "organization" });
  const discipline = select([
    ["soil", t("web.ui.discipline.soil")], ["water", t("web.ui.discipline.water")],
    ["green", t("web.ui.discipline.green")], ["planning", t("web.ui.discipline.planning")],
    ["other", t("web.ui.discipline.other")]], "planning");
  const role = h("fieldset", { class: "radios" }, h("legend", {}, t("web.ui.join.role")));
  const roles: Array<[string, string, string]> = [
    ["participant", "web.ui.role.participant", "web.ui.join.role_participant_hint"],
    ["observer", "web.ui.role.observer", "web.ui.join.role_observer_hint"]];
  for (const [value, key, hint] of roles) {
    const input = h("input", { type: "radio", name: "role", value, id: `role-${value}`, checked: value === "participant" });
    role.append(h("div", { class: "radio" }, input,
      h("label", { for: `role-${value}` }, h("strong", {}, t(key)), " ", h("span", { class: "hint" }, t(hint)))));
  }
  const form = h("form", { class: "card", "aria-labelledby": "join-h" },
    h("h2", { id: "join-h" }, t("web.ui.join.title")),
    h("p", {}, t("web.ui.join.intro")),
    field(t("web.ui.join.code"), codeInput),
    field(t("web.ui.join.name"), name),
    field(t("web.ui.join.organisation"), organisation),
    field(t("web.ui.join.discipline"), discipline),
    role,
    h("button", { type: "submit", class: "primary" }, t("web.ui.join.submit")));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    if (!name.value.trim()) {
      name.focus();
      return;
    }
    const chosen = form.querySelector<HTMLInputElement>("input[name=role]:checked")?.value ?? "participant";
    void (async () => {
      try {
        const joined = await api<{ participant_id: string; token: string; role: string }>(
          "POST", `/api/workshops/${encodeURIComponent(id)}/participants`,
          { join_code: codeInput.value.trim(), name: name.value.trim(), organisation: organisation.value.trim(),
            discipline: discipline.value, role: chosen });
        saveSession(id, { token: joined.token, participant_id: joined.participant_id, role: joined.role,
          name: name.value.trim() });
        onJoined();
      } catch (error) {
        showError(error instanceof ApiError && error.status === 403 ? t("web.ui.join.wrong_code")
          : error instanceof Error ? error.message : String(error));
      }
    })();
  });
  root.append(h("div", { class: "start-grid narrow" }, form));
  (code ? name : codeInput).focus();
}
