// How a substitute's entry reads: its pay basis (the server's calc: hours, minimum-time top-up, supplements,
// rate, amount) in the chosen language, its state in words, and the overlap check the phone makes before
// saving — the same rule and words as the server's (backend/features/substitutes/rules/overlap.py).
import type { Me } from "../api";
import { feltSync, type Fields, type LocalRecord } from "../data";
import { lang, t } from "../i18n";
import type { Line } from "./mileageText";
import { fmtKr, str } from "./records";

export const ENTRY = "substitute_entry";
export const EDITABLE = ["draft", "rejected"];

export interface Supplement {
  kind: string;
  da: string;
  en: string;
  hours: string;
  rate: string | null;
  unit: "percent" | "kr_per_hour";
  amount: string | null;
  unverified: boolean;
}

export interface PayBasis {
  unit_name?: string;
  hours?: string;
  top_up_hours?: string;
  top_up_rule?: { da: string; en: string } | null;
  paid_hours?: string;
  hourly_kr?: string | null;
  base_amount?: string | null;
  supplements?: Supplement[];
  amount?: string | null;
  problems?: Line[];
  /** The municipality's deadline for the entry's month: "Frist: 5. december kl. 16:00." or, when sent
   * after it, which payroll it goes to instead. */
  deadline?: { due: string; late: boolean; da: string; en: string };
  /** The right to monthly pay (or her choice of it), said to her, the secretary and payroll. */
  monthly_pay?: (Line & { status: "right" | "choice"; since: string }) | null;
}

export const payOf = (f: Fields): PayBasis => (f.calc && typeof f.calc === "object" ? (f.calc as PayBasis) : {});

const num = (v: unknown): string =>
  Number(v).toLocaleString(lang === "da" ? "da-DK" : "en-GB", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** "2,00 t" / "2.00 h". */
export const fmtHours = (v: unknown): string => `${num(v)} ${t("vk_h")}`;

/** The pay basis as lines to show: hours, top-up (and the rule that raised it), each supplement, rate, amount. */
export function payLines(f: Fields): string[] {
  const p = payOf(f);
  if (p.hours == null) return [];
  const lines = [t("vk_hours", { hours: fmtHours(p.hours) })];
  if (Number(p.top_up_hours) > 0) {
    lines.push(t("vk_topUp", { hours: fmtHours(p.top_up_hours) }) + (p.top_up_rule ? ` ${lang === "en" ? p.top_up_rule.en : p.top_up_rule.da}` : ""));
  }
  for (const s of p.supplements ?? []) {
    const rate = s.rate == null ? t("vk_rateMissing") : s.unit === "percent" ? `${s.rate.replace(".", lang === "da" ? "," : ".")} %` : `${fmtKr(s.rate)}/${t("vk_h")}`;
    lines.push(`${lang === "en" ? s.en : s.da}: ${fmtHours(s.hours)} × ${rate}${s.amount ? ` = ${fmtKr(s.amount)}` : ""}${s.unverified ? ` (${t("vk_unverified")})` : ""}`);
  }
  lines.push(p.hourly_kr ? t("vk_rate", { rate: fmtKr(p.hourly_kr) }) : t("vk_noRate"));
  return lines;
}

export const amountText = (f: Fields): string => {
  const p = payOf(f);
  return p.amount ? fmtKr(p.amount) : p.hours != null ? t("vk_noAmount") : t("vk_notCalculated");
};

export function entryState(r: LocalRecord): string {
  const state = r.transitions.length ? "sending" : (r.state ?? "draft");
  if (state === "draft" && r.fields.start && !r.fields.end) return t("vk_state_checkedIn");
  try {
    return t(`vk_state_${state}` as Parameters<typeof t>[0]);
  } catch {
    return state;
  }
}

/** Copenhagen's clock now, "HH:MM" (as the server reads entries' times). */
export function clockNow(now = new Date()): string {
  return new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Copenhagen", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(now);
}

const minutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const dayNo = (iso: string): number => Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / 60000;

/** [start, end) in minutes on one axis (wall clock; an end not after the start is the next day; while checked
 * in, 24 hours from the start, as on the server). Daylight saving shifts an hour at most; the server decides. */
function span(f: Fields): [number, number] | null {
  const date = str(f.date), start = str(f.start), end = str(f.end);
  if (!/^\d{4}-\d\d-\d\d$/.test(date) || !/^\d\d:\d\d$/.test(start)) return null;
  const from = dayNo(date) + minutes(start);
  if (!/^\d\d:\d\d$/.test(end)) return [from, from + 24 * 60];
  let to = dayNo(date) + minutes(end);
  if (to <= from) to += 24 * 60;
  return [from, to];
}

/** The unit's name from the person's grants (the units she is booked at), or her own unit's. */
export function unitName(me: Me, id: unknown): string {
  const grant = me.roles.find((g) => String(g.unit_id) === String(id));
  return grant?.unit_name ?? (me.unit && String(me.unit.id) === String(id ?? me.unit.id) ? me.unit.name : "?");
}

/** "Overlapper med din registrering på Nordskolen 24/11 08:00–12:00." when `f` overlaps another live entry. */
export function overlapProblem(me: Me, id: string, f: Fields, entries: LocalRecord[]): string | null {
  const mine = span(f);
  if (!mine) return null;
  for (const other of entries) {
    if (other.id === id || other.state === "rejected") continue;
    const theirs = span(other.fields);
    if (theirs && theirs[0] < mine[1] && mine[0] < theirs[1]) {
      const d = str(other.fields.date);
      const when = other.fields.end ? `${str(other.fields.start)}–${str(other.fields.end)}` : t("vk_from", { time: str(other.fields.start) });
      return t("vk_overlap", { unit: unitName(me, other.unit_id ?? other.fields.unit), day: `${Number(d.slice(8, 10))}/${Number(d.slice(5, 7))}`, when });
    }
  }
  return null;
}

/** Units she may register at: those she holds the substitute role on (where she is booked). */
export function bookedUnits(me: Me): { id: string; name: string }[] {
  const seen = new Map<string, string>();
  for (const g of me.roles) if (g.role === "substitute" && g.unit_id != null) seen.set(String(g.unit_id), g.unit_name ?? "?");
  return [...seen].map(([id, name]) => ({ id, name }));
}

export const today = (): string => feltSync.fields.today();

/** The municipality's next deadline among these entries' months that has not passed yet, in words. */
export function nextDeadline(rows: LocalRecord[], now = new Date()): string | null {
  const open = rows
    .map((r) => payOf(r.fields).deadline)
    .filter((d): d is NonNullable<PayBasis["deadline"]> => !!d && !d.late && new Date(d.due) > now)
    .sort((a, b) => a.due.localeCompare(b.due));
  return open.length ? (lang === "en" ? open[0].en : open[0].da) : null;
}
