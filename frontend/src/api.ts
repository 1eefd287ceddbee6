// The server's JSON API (docs/web.md). Errors come back as {detail: {key, message}}: the message is shown.
import { lang, t } from "./i18n";

export class ApiError extends Error {
  constructor(public status: number, message: string, public key?: string) {
    super(message);
  }
}

export async function api<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json", "Accept-Language": lang() };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers.Authorization = `Bearer ${token}`;
  const sep = path.includes("?") ? "&" : "?";
  let response: Response;
  try {
    response = await fetch(`${path}${sep}lang=${lang()}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, t("web.ui.error.offline"));
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let data: unknown = undefined;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!response.ok) {
    throw new ApiError(response.status, errorMessage(data, response.status), errorKey(data));
  }
  return data as T;
}

function errorKey(data: unknown): string | undefined {
  const detail = (data as { detail?: { key?: string } } | undefined)?.detail;
  return typeof detail === "object" && detail !== null ? detail.key : undefined;
}

function errorMessage(data: unknown, status: number): string {
  const detail = (data as { detail?: unknown } | undefined)?.detail;
  if (typeof detail === "string") return detail;
  if (detail && typeof detail === "object" && "message" in detail) return String((detail as { message: unknown }).message);
  if (Array.isArray(detail) && detail.length > 0) {
    const first = detail[0] as { msg?: string };
    if (first.msg) return first.msg;
  }
  return t("web.ui.error.status", { status });
}

/** Download a file that needs the bearer token (a plain link cannot send it). */
export async function download(path: string, filename: string, token: string): Promise<void> {
  const response = await fetch(path, { headers: { Authorization: `Bearer ${token}` } });
  if (!response.ok) {
    let data: unknown;
    try {
      data = await response.json();
    } catch {
      data = undefined;
    }
    throw new ApiError(response.status, errorMessage(data, response.status), errorKey(data));
  }
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A URL the map's worker can fetch (absolute); tile templates keep their {z}/{x}/{y}. */
export function absoluteUrl(url: string): string {
  if (/^https?:/.test(url)) return url;
  if (url.startsWith("/")) return window.location.origin + url;
  return new URL(url, window.location.href).href.replace(/%7B/g, "{").replace(/%7D/g, "}");
}
