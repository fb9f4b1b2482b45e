// How mileage figures read: km the way each language writes it, and the server's explanation lines
// ({code, da, en}) in the chosen language. Kroner and months in words are shared: records.ts.
import { feltSync } from "../data";
import { lang } from "../i18n";
import { locale } from "./records";

export interface Line {
  code: string;
  da: string;
  en: string;
}

export interface Calc {
  amount?: string;
  payable_km?: string;
  rate_applied?: string;
  explanation?: Line[];
  flags?: Line[];
  problems?: Line[];
  error?: Line | null;
  leader_note?: boolean;
}

export const lineText = (l: Line): string => (lang === "en" ? l.en : l.da);

export function fmtKm(v: unknown): string {
  const n = Number(v);
  return `${isFinite(n) ? n.toLocaleString(locale(), { maximumFractionDigits: 1 }) : "–"} km`;
}

/** What a person typed ("12,5", "12.5", "12 km") as the decimal string the server keeps; null if it is not a
 * number or is negative. Read as every form reads numbers (data/fields.ts). */
export function parseKm(input: string): string | null {
  const d = feltSync.fields.readNumber(input);
  return d && !d.startsWith("-") ? d : null;
}

export const showKmInput = (v: unknown): string => (v == null ? "" : lang === "da" ? String(v).replace(".", ",") : String(v));

export const calcOf = (fields: Record<string, unknown>): Calc => (fields.calc && typeof fields.calc === "object" ? (fields.calc as Calc) : {});
