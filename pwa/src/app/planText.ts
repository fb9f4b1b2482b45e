// Laying the plan: the units a person plans, people's terms, absences and balances in words. Shared by the
// 12-week view, the base plan and the people-and-absences screens (and "Mine vagter" for absences).
import type { Me } from "../api";
import { lang, t } from "../i18n";
import { locale } from "./records";

/** The units the signed-in person plans or leads (one entry per unit). */
export function plannableUnits(me: Me): { id: number; name: string }[] {
  return me.roles
    .filter((g) => ["planner", "leader"].includes(g.role) && g.unit_id != null)
    .filter((g, i, all) => all.findIndex((x) => String(x.unit_id) === String(g.unit_id)) === i)
    .map((g) => ({ id: Number(g.unit_id), name: g.unit_name ?? "" }));
}

/** An absence as the server gives it (backend shifts.absences.out). */
export interface Absence {
  id: string;
  employee: number;
  unit: number;
  kind: string;
  kind_da: string;
  kind_en: string;
  first: string;
  last: string;
  note: string;
}

export const ABSENCE_KINDS = ["ferie", "sygdom", "omsorgsdag", "kursus"] as const;

export const kindName = (a: Pick<Absence, "kind_da" | "kind_en">): string => (lang === "en" ? a.kind_en : a.kind_da);

/** A person's standing in the normperiode, in minutes (backend service.balances). */
export interface PlanBalance {
  first: string;
  last: string;
  weekly_minutes: number;
  norm: number;
  balance_so_far: number;
  due_so_far: number;
  projected: number;
  band: number;
  outside_band: boolean;
}

/** "+3,5" / "−12" hours from minutes. */
export const signedHours = (minutes: number): string =>
  `${minutes > 0 ? "+" : minutes < 0 ? "−" : ""}${(Math.abs(minutes) / 60).toLocaleString(locale(), { maximumFractionDigits: 1 })}`;

/** "37" / "30,5" hours from minutes. */
export const plainHours = (minutes: number): string => (minutes / 60).toLocaleString(locale(), { maximumFractionDigits: 1 });

/** "1.12.2026" / "1/12/2026". */
export function shortDate(day: string): string {
  const [y, m, d] = day.split("-").map(Number);
  return lang === "en" ? `${d}/${m}/${y}` : `${d}.${m}.${y}`;
}

export const absenceSpan = (a: Absence): string =>
  a.first === a.last ? shortDate(a.first) : t("sp_span", { first: shortDate(a.first), last: shortDate(a.last) });
