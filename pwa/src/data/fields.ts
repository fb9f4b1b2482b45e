// Typed fields (docs/sync.md, "Typed fields"): what each field of a record type may hold, as the server
// publishes it at GET /api/sync/types. Forms use it to read what people type ("187,50", "1.234,50",
// "12,5 km") into the one canonical form the server keeps ("187.50", "12.5", "2026-11-30") and to refuse,
// at once and next to the field, what the server would refuse; the outbox uses it never to send the fields
// the server owns. Cached in the user's database so forms validate offline; a copy baked into the build
// serves until the first fetch. No DOM and no wording here (the page words the problems, app/fieldText.ts).
import builtIn from "./builtin-types.json";
import { notify, open } from "./bus";
import { request } from "./net";

export type Kind = "money" | "decimal" | "integer" | "date" | "text" | "choice" | "bool" | "list" | "blobs" | "object";

export interface FieldSpec {
  kind: Kind;
  label: { da: string; en: string };
  /** Decimal strings for money and decimal, numbers for integer. */
  min?: string | number;
  max?: string | number;
  /** Decimal places at most (money: always 2). */
  places?: number;
  max_length?: number;
  /** A regular expression the whole text must match (when not empty). */
  pattern?: string;
  choices?: string[];
  max_items?: number;
  /** A date lies within today − past_days … today + future_days (Danish calendar). */
  past_days?: number;
  future_days?: number;
  /** Written by the server only: never sent in a put. */
  server?: boolean;
}

export type TypeSpecs = Record<string, { fields: Record<string, FieldSpec> }>;

/** Why a value is refused; app/fieldText.ts words it with the field's label. */
export type Problem =
  | { code: "number" | "whole" | "date" | "pattern" | "choice" | "invalid" }
  | { code: "places"; places: number }
  | { code: "min" | "max" | "range"; min?: string; max?: string }
  | { code: "future" | "past"; days: number }
  | { code: "length" | "items"; max: number };

export type Parsed = { value: unknown; problem?: undefined } | { value?: undefined; problem: Problem };

/** The server's declarations as of this build (pwa/scripts/builtin_types.py writes them): used until the
 * first fetch, and when it never succeeds. */
export const BUILT_IN = builtIn as TypeSpecs;

// ---- numbers: what people type → the canonical decimal string ------------------------------------

/**
 * "187,50", "1.234,50", "1,234.50", " 187.50 ", "12,5 km", "187,- kr." → "187.50", "1234.50", "1234.50",
 * "187.50", "12.5", "187"; null when it is not a number. The last of "," and "." is the decimal mark; a
 * lone "." is one too ("12.5"), several are thousands ("1.234.567"), and so is a lone "." before three
 * digits where a field has fewer places ("1.234" kr. is 1234, as a Dane writes it; `places` says how many).
 * Exponents, NaN, Infinity: null.
 */
export function readNumber(input: string, places?: number): string | null {
  let s = input.replace(/[\s\u00a0\u202f]+/g, "").replace(/^(kr\.?|dkk)|(kr\.?|dkk|km)$/gi, "").replace(/,-$/, "");
  const sign = s.startsWith("-") || s.startsWith("−") ? "-" : "";
  if (sign) s = s.slice(1);
  const comma = s.lastIndexOf(",");
  const dot = s.lastIndexOf(".");
  if (comma >= 0 && dot >= 0) {
    const mark = comma > dot ? "," : ".";
    const thousands = mark === "," ? "." : ",";
    if (s.indexOf(mark) !== s.lastIndexOf(mark)) return null;
    s = s.split(thousands).join("").replace(mark, ".");
  } else if (places != null && places < 3 && /^\d{1,3}\.\d{3}$/.test(s)) {
    s = s.replace(".", "");
  } else if (comma >= 0 || (dot >= 0 && s.indexOf(".") !== dot)) {
    // One comma is the decimal mark; several commas or dots are thousands ("1,234,567", "1.234.567").
    const mark = comma >= 0 ? "," : ".";
    if (s.indexOf(mark) === s.lastIndexOf(mark)) s = s.replace(",", ".");
    else if (new RegExp(`^\\d{1,3}(\\${mark}\\d{3})+$`).test(s)) s = s.split(mark).join("");
    else return null;
  }
  const m = /^(\d*)(?:\.(\d*))?$/.exec(s);
  if (!m || !(m[1] + (m[2] ?? ""))) return null;
  const whole = m[1].replace(/^0+(?=\d)/, "") || "0";
  const frac = (m[2] ?? "").replace(/0+$/, "");
  return `${sign && (whole !== "0" || frac) ? "-" : ""}${whole}${frac ? `.${frac}` : ""}`;
}

const placesOf = (d: string): number => d.split(".")[1]?.length ?? 0;

/** Compares two canonical decimal strings exactly (no floating point). */
function compare(a: string, b: string): number {
  const p = Math.max(placesOf(a), placesOf(b));
  const scaled = (d: string) => {
    const [w, f = ""] = d.replace("-", "").split(".");
    const n = BigInt(w + f.padEnd(p, "0"));
    return d.startsWith("-") ? -n : n;
  };
  const x = scaled(a);
  const y = scaled(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function bounds(spec: FieldSpec, value: string): Problem | null {
  const min = spec.min == null ? undefined : readNumber(String(spec.min)) ?? undefined;
  const max = spec.max == null ? undefined : readNumber(String(spec.max)) ?? undefined;
  const low = min !== undefined && compare(value, min) < 0;
  const high = max !== undefined && compare(value, max) > 0;
  if (!low && !high) return null;
  const shown = { min: spec.min == null ? undefined : String(spec.min), max: spec.max == null ? undefined : String(spec.max) };
  return { code: shown.min !== undefined && shown.max !== undefined ? "range" : low ? "min" : "max", ...shown };
}

// ---- dates --------------------------------------------------------------------------------------

/** Today on the Danish calendar, "YYYY-MM-DD". */
export function danishToday(now = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Copenhagen", year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

const dayNumber = (iso: string): number => {
  const [y, m, d] = iso.split("-").map(Number);
  return Date.UTC(y, m - 1, d) / 86_400_000;
};

/** "2026-11-30", "30.11.2026", "30/11/2026", "30-11-2026" → "2026-11-30"; null when it is no real date. */
export function readDate(input: string): string | null {
  const s = input.trim();
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  const dk = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$/.exec(s);
  const [y, m, d] = iso ? [iso[1], iso[2], iso[3]] : dk ? [dk[3], dk[2], dk[1]] : [];
  if (!y || !m || !d) return null;
  const day = `${y}-${m.padStart(2, "0")}-${d.padStart(2, "0")}`;
  const noon = new Date(`${day}T12:00:00Z`);
  return !isNaN(noon.getTime()) && noon.toISOString().slice(0, 10) === day ? day : null;
}

// ---- one field ----------------------------------------------------------------------------------

/** The whole text matches (Python's fullmatch); a pattern this browser cannot read is left to the server. */
function matches(pattern: string, text: string): boolean {
  try {
    return new RegExp(`^(?:${pattern})$`).test(text);
  } catch {
    return true;
  }
}

/**
 * Checks a value already in its stored form (what a form is about to save). Empty (null, "") is always
 * allowed here: whether a field must be filled is the submit step's business (the server says why).
 */
export function check(spec: FieldSpec, value: unknown, today = danishToday()): Problem | null {
  if (value == null || value === "") return null;
  switch (spec.kind) {
    case "money":
    case "decimal": {
      const d = typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value) ? value : null;
      if (!d) return { code: "number" };
      const places = spec.kind === "money" ? 2 : spec.places;
      if (places != null && placesOf(d) > places) return { code: "places", places };
      return bounds(spec, d);
    }
    case "integer":
      if (typeof value !== "number" || !Number.isInteger(value)) return { code: "whole" };
      return bounds(spec, String(value));
    case "date": {
      if (typeof value !== "string" || readDate(value) !== value) return { code: "date" };
      const ahead = dayNumber(value) - dayNumber(today);
      if (spec.future_days != null && ahead > spec.future_days) return { code: "future", days: spec.future_days };
      if (spec.past_days != null && -ahead > spec.past_days) return { code: "past", days: spec.past_days };
      return null;
    }
    case "text":
      if (typeof value !== "string") return { code: "invalid" };
      if (spec.max_length != null && [...value].length > spec.max_length) return { code: "length", max: spec.max_length };
      return spec.pattern && !matches(spec.pattern, value) ? { code: "pattern" } : null;
    case "choice":
      return spec.choices?.includes(String(value)) ? null : { code: "choice" };
    case "list":
    case "blobs": {
      const items = Array.isArray(value) ? value : [value];
      if (spec.max_items != null && items.length > spec.max_items) return { code: "items", max: spec.max_items };
      if (spec.kind === "list" && spec.max_length != null)
        for (const item of items)
          if ([...String(item)].length > spec.max_length) return { code: "length", max: spec.max_length };
      return null;
    }
    default:
      return null;
  }
}

/**
 * What a person typed into a form field → the stored value, or the problem to show next to the field.
 * Blank is null (text: ""); text is trimmed; numbers and dates are read as people write them.
 */
export function parse(spec: FieldSpec, input: string, today = danishToday()): Parsed {
  const s = input.trim();
  if (spec.kind === "text") {
    const problem = check(spec, s, today);
    return problem ? { problem } : { value: s };
  }
  if (!s) return { value: null };
  let value: unknown = s;
  if (spec.kind === "money" || spec.kind === "decimal" || spec.kind === "integer") {
    const d = readNumber(s, spec.kind === "money" ? 2 : spec.kind === "integer" ? 0 : spec.places);
    if (d === null) return { problem: { code: spec.kind === "integer" ? "whole" : "number" } };
    if (spec.kind === "integer") {
      if (d.includes(".")) return { problem: { code: "whole" } };
      value = Number(d);
    } else if (spec.kind === "money") {
      if (placesOf(d) > 2) return { problem: { code: "places", places: 2 } };
      const [w, f = ""] = d.split(".");
      value = `${w}.${f.padEnd(2, "0")}`;
    } else value = d;
  } else if (spec.kind === "date") {
    const iso = readDate(s);
    if (!iso) return { problem: { code: "date" } };
    value = iso;
  }
  const problem = check(spec, value, today);
  return problem ? { problem } : { value };
}

/** The fields a put may carry: those the server owns are left out (they would be ignored anyway). */
export function withoutServerFields(specs: TypeSpecs, type: string, fields: Record<string, unknown>): Record<string, unknown> {
  const declared = specs[type]?.fields ?? {};
  return Object.fromEntries(Object.entries(fields).filter(([k]) => !declared[k]?.server));
}

// ---- the cache ----------------------------------------------------------------------------------

/** Where the user database's meta store keeps the fetched declarations. */
export const SPECS_KEY = "types";

/** The declarations this device last fetched (built-in until the first fetch). */
export async function specs(): Promise<TypeSpecs> {
  try {
    const { db } = await open();
    const stored = (await db.get("meta", SPECS_KEY)) as TypeSpecs | undefined;
    return stored ?? BUILT_IN;
  } catch {
    return BUILT_IN;
  }
}

/** Fetches the server's declarations and keeps them for offline use; false when that did not work. */
export async function refreshSpecs(): Promise<boolean> {
  try {
    const res = await request("GET", "/api/sync/types", { timeoutMs: 15_000 });
    const body = (await res.json()) as { types?: TypeSpecs };
    if (!body.types || typeof body.types !== "object") return false;
    const { db } = await open();
    await db.put("meta", body.types, SPECS_KEY);
    notify("status");
    return true;
  } catch {
    return false;
  }
}
