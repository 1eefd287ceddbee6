// The token of each workshop this browser tab has joined, in sessionStorage (one key per workshop), so two
// tabs can take part as two people and closing the tab forgets the token.
import type { Session } from "./types";

const key = (id: string): string => `alliantie.workshop.${id}`;

export function getSession(id: string): Session | null {
  try {
    const raw = sessionStorage.getItem(key(id));
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

export function saveSession(id: string, session: Session): void {
  sessionStorage.setItem(key(id), JSON.stringify(session));
}

export function forgetSession(id: string): void {
  sessionStorage.removeItem(key(id));
}

export function shareLink(id: string, code: string): string {
  const base = `${window.location.origin}${window.location.pathname}`;
  return `${base}#/workshop/${encodeURIComponent(id)}?code=${encodeURIComponent(code)}`;
}

/** Workshop id and join code from a shared link (or from "id code" typed by hand). */
export function parseLink(text: string): { id: string; code: string } | null {
  const trimmed = text.trim();
  const match = /#\/workshop\/([^/?#\s]+)\?code=([^&\s]+)/.exec(trimmed);
  if (match) return { id: decodeURIComponent(match[1]), code: decodeURIComponent(match[2]) };
  return null;
}
