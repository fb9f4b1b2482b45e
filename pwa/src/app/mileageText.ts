// How mileage figures read: km and kroner the way each language writes them, months in words, and the
// server's explanation lines ({code, da, en}) in the chosen language.
import { lang } from "../i18n";

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

const locale = () => (lang === "da" ? "da-DK" : "en-GB");

export const lineText = (l: Line): string => (lang === "en" ? l.en : l.da);

export function fmtKm(v: unknown): string {
  const n = Number(v);
  return `${isFinite(n) ? n.toLocaleString(locale(), { maximumFractionDigits: 1 }) : "–"} km`;
}

export function fmtKr(v: unknown): string {
  const n = Number(v);
  const text = (isFinite(n) ? n : 0).toLocaleString(locale(), { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return lang === "da" ? `${text} kr.` : `DKK ${text}`;
}

/** "2026-11" → "november 2026". */
export function monthName(ym: string): string {
  const d = new Date(`${ym}-15T12:00:00`);
  return isNaN(d.getTime()) ? ym : d.toLocaleDateString(locale(), { month: "long", year: "numeric" });
}

export const monthOf = (isoDate: unknown): string => String(isoDate ?? "").slice(0, 7);

/** What a person typed ("12,5", "12.5", "12") as the decimal string the server keeps; null if not a number. */
export function parseKm(input: string): string | null {
  const s = input.trim().replace(/\s|km/gi, "").replace(",", ".");
  return /^\d+(\.\d+)?$/.test(s) ? String(Number(s)) : null;
}

export const showKmInput = (v: unknown): string => (v == null ? "" : lang === "da" ? String(v).replace(".", ",") : String(v));

export const calcOf = (fields: Record<string, unknown>): Calc => (fields.calc && typeof fields.calc === "object" ? (fields.calc as Calc) : {});
