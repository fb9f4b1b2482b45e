import { da, type Dict } from "./da";
import { en } from "./en";

export type Lang = "da" | "en";
type TextKey = { [K in keyof Dict]: Dict[K] extends string ? K : never }[keyof Dict];

const dicts: Record<Lang, Dict> = { da, en };
const STORAGE_KEY = "felt.lang";

// One module-level language: the App re-renders the whole tree when it changes.
export let lang: Lang = localStorage.getItem(STORAGE_KEY) === "en" ? "en" : "da";

export function setLang(next: Lang): void {
  lang = next;
  localStorage.setItem(STORAGE_KEY, next);
  applyLang();
}

/** Keeps <html lang> right so screen readers pronounce the text in the right language. */
export function applyLang(): void {
  document.documentElement.lang = lang;
}

export function t(key: TextKey, vars: Record<string, string | number> = {}): string {
  return dicts[lang][key].replace(/\{(\w+)\}/g, (_, v: string) => String(vars[v] ?? ""));
}

export function paragraphs(key: "statementBody"): string[] {
  return dicts[lang][key];
}

/** API keys (roles, audit actions, table names) in plain words; an unknown key is shown as it is. */
export function label(kind: "role" | "action" | "entity" | "type" | "field" | "transition", key: string): string {
  const text = (dicts[lang] as unknown as Record<string, unknown>)[`${kind}_${key}`];
  return typeof text === "string" ? text : key;
}

export const roleName = (role: string): string => label("role", role);

/** A role grant as "Leder – Nordskolen". */
export const grantText = (g: { role: string; unit_name: string | null }): string =>
  g.unit_name ? `${roleName(g.role)} – ${g.unit_name}` : roleName(g.role);

export function formatDateTime(iso: string): string {
  // The server may send naive UTC timestamps; read them as UTC, not local time.
  const d = new Date(/(?:[zZ]|[+-]\d\d:?\d\d)$/.test(iso) ? iso : `${iso}Z`);
  if (isNaN(d.getTime())) return iso;
  return d.toLocaleString(lang === "da" ? "da-DK" : "en-GB", { dateStyle: "medium", timeStyle: "short" });
}
