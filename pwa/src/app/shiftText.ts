// Shift planning's words and week arithmetic, shared by "Mine vagter" and the planner's week.
import type { Fields } from "../data";
import { lang } from "../i18n";
import { str } from "./records";

export interface Finding {
  rule: string;
  da: string;
  en: string;
}

export interface Override {
  reason: string;
  by_name?: string;
  at?: string;
}

/** What the server's checks found on a shift at its last change, and a leader's override. */
export function rulesOf(f: Fields): { findings: Finding[]; override: Override | null } {
  const rules = (f.rules ?? {}) as { findings?: Finding[]; override?: Override | null };
  return { findings: rules.findings ?? [], override: rules.override ?? null };
}

export const findingText = (x: Finding): string => (lang === "en" ? x.en : x.da);

/** "07:00–15:00" and the real length when the server has placed it (a daylight-saving night is 7 or 9 h).
 * The length and its unit are held together by a no-break space: "(8 t)" never splits as "(8" / "t)" at 360 px. */
export function shiftTime(f: Fields): string {
  const minutes = Number((f.clock as { minutes?: number } | undefined)?.minutes);
  const length = (minutes / 60).toLocaleString(lang === "en" ? "en-GB" : "da-DK");
  const hours = isFinite(minutes) && minutes > 0 ? ` (${length}\u00a0${lang === "en" ? "h" : "t"})` : "";
  return `${str(f.start)}–${str(f.end)}${hours}`;
}

/** The Monday (YYYY-MM-DD) of the week holding `day`. */
export function mondayOf(day: string): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** ISO week "2026-W50" of a Monday. */
export function isoWeek(monday: string): string {
  const d = new Date(`${monday}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 3); // the week's Thursday decides its year
  const year = d.getUTCFullYear();
  const week = Math.ceil(((d.getTime() - Date.UTC(year, 0, 1, 12)) / 86400000 + 1) / 7);
  return `${year}-W${String(week).padStart(2, "0")}`;
}

/** "man. 8/12" / "Mon 8/12". */
export function dayName(day: string): string {
  const d = new Date(`${day}T12:00:00Z`);
  const names = lang === "en" ? ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] : ["man.", "tir.", "ons.", "tor.", "fre.", "lør.", "søn."];
  return `${names[(d.getUTCDay() + 6) % 7]} ${d.getUTCDate()}/${d.getUTCMonth() + 1}`;
}
