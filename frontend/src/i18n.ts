// Every text the browser shows comes from the catalogue (src/alliantie/i18n/web.toml, keys under `web.`),
// fetched from the server at start and when the language changes. Keys are written out in full in the code
// (never built from pieces), so tests/web/test_static_bundle.py can check that each one exists.

export type Lang = "nl" | "en";

const STORAGE_KEY = "alliantie.lang";
let strings: Record<string, string> = {};
let current: Lang = readStoredLang();

function readStoredLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === "en" ? "en" : "nl";
  } catch {
    return "nl";
  }
}

export function lang(): Lang {
  return current;
}

export async function loadLanguage(next: Lang): Promise<void> {
  const response = await fetch(`/api/i18n/${next}`, { headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(`i18n ${response.status}`);
  const data = (await response.json()) as Record<string, string>;
  const table: Record<string, string> = {};
  for (const [key, text] of Object.entries(data)) {
    table[key] = text;
    if (!key.startsWith("web.")) table[`web.${key}`] = text;
  }
  strings = table;
  current = next;
  document.documentElement.lang = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    /* private mode: the choice lasts for this page only */
  }
}

/** The text of `key` with `{name}` placeholders filled in; the key itself if the catalogue lacks it. */
export function t(key: string, params: Record<string, string | number> = {}): string {
  const text = strings[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function formatNumber(value: number, digits = 0): string {
  return new Intl.NumberFormat(current === "en" ? "en-GB" : "nl-NL", {
    maximumFractionDigits: digits,
    minimumFractionDigits: 0,
  }).format(value);
}

export function formatEuro(value: number): string {
  return new Intl.NumberFormat(current === "en" ? "en-GB" : "nl-NL", {
    style: "currency",
    currency: "EUR",
    maximumFractionDigits: 0,
  }).format(value);
}

/** Euros in a narrow table column: whole euros below a million, above it three digits with the language's
 *  abbreviation (€ 71,7 mln / €71.7M): the indicators are estimates, and the panel holds three columns. */
export function formatEuroShort(value: number): string {
  if (Math.abs(value) < 1_000_000) return formatEuro(value);
  return new Intl.NumberFormat(current === "en" ? "en-GB" : "nl-NL", {
    style: "currency",
    currency: "EUR",
    notation: "compact",
    maximumSignificantDigits: 3,
  }).format(value);
}

export function formatTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(current === "en" ? "en-GB" : "nl-NL", {
    hour: "2-digit",
    minute: "2-digit",
    day: "numeric",
    month: "short",
  }).format(date);
}
