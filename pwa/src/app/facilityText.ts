// Facility reports' shared words and shapes for the signed-in screens (triage, tasks, buildings).
import type { LocalRecord } from "../data";
import { t } from "../i18n";
import { str } from "./records";
import { keptCategoryName } from "./facilityPlanning";

export const REPORT = "facility_report";
const CATEGORIES = ["electricity", "plumbing", "heating", "doors_windows", "cleaning", "inventory", "outdoor", "other"] as const;
type Category = (typeof CATEGORIES)[number];
const STATES = ["received", "planned", "in_progress", "done", "rejected"] as const;
type State = (typeof STATES)[number];
const URGENCIES = ["low", "normal", "urgent"] as const;
type Urgency = (typeof URGENCIES)[number];

export const categoryText = (key: unknown): string =>
  keptCategoryName(str(key)) ?? (CATEGORIES.includes(str(key) as Category) ? t(`fa_cat_${str(key) as Category}`) : str(key));
export const stateText = (key: unknown): string =>
  STATES.includes(str(key) as State) ? t(`fa_state_${str(key) as State}`) : str(key);
export const urgencyText = (key: unknown): string =>
  URGENCIES.includes(str(key) as Urgency) ? t(`fa_urgency_${str(key) as Urgency}`) : str(key);

export interface Place {
  building?: string;
  room?: string;
}
export const placeOf = (r: LocalRecord): Place => (r.fields.place as Place | undefined) ?? {};
export const isRepeat = (r: LocalRecord): boolean => !!(r.fields.repeat_of as { id?: string } | undefined)?.id;

/** Days from today to a "YYYY-MM-DD" due date (negative: overdue); null without one. */
export function daysLeft(due: unknown, today = new Date()): number | null {
  const s = str(due);
  if (!/^\d{4}-\d\d-\d\d$/.test(s)) return null;
  const start = Date.UTC(today.getFullYear(), today.getMonth(), today.getDate());
  return Math.round((Date.parse(`${s}T00:00:00Z`) - start) / 86_400_000);
}

export const URGENT_FIRST: Record<string, number> = { urgent: 0, normal: 1, low: 2 };

/** "overført fra 2026" when an unfinished task was carried over from an earlier year (recurring.py). */
export const carriedText = (r: LocalRecord): string | null =>
  typeof r.fields.carried_from === "number" ? t("fa_carried", { year: r.fields.carried_from }) : null;
export const isRecurring = (r: LocalRecord): boolean => !!(r.fields.recurring as { schedule_id?: number } | undefined)?.schedule_id;
