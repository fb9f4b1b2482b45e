// The workflows this app knows, in one table: each one's screens (routes), home tiles, record types, and how
// the inbox and the attention screen show its records. App, Home, Inbox and Attention read this table;
// adding a workflow is one entry here plus its own screen files (README: "Adding a workflow").
import type { ComponentChildren, ComponentType } from "preact";
import type { Me } from "../api";
import type { Fields } from "../data";
import { t } from "../i18n";
import { MileageAdmin } from "./MileageAdmin";
import { MyShifts } from "./MyShifts";
import { calcOf, fmtKm, type Line } from "./mileageText";
import { Places } from "./Places";
import { NoCarDays } from "./NoCarDays";
import { FacilityBuildings } from "./FacilityBuildings";
import { FacilityPlanning } from "./FacilityPlanning";
import { FacilityReceipt } from "./FacilityReceipt";
import { FacilityReport } from "./FacilityReport";
import { FacilityTasks } from "./FacilityTasks";
import { FacilityTriage } from "./FacilityTriage";
import { ReceiptReview } from "./ReceiptReview";
import { ReceiptEdit, ReceiptList } from "./Receipts";
import { ShiftApproval, WeekReview } from "./ShiftApproval";
import { ShiftWeek } from "./ShiftWeek";
import { ShiftBasePlan } from "./ShiftBasePlan";
import { ShiftPeople } from "./ShiftPeople";
import { ShiftTwelveWeeks } from "./ShiftTwelveWeeks";
import { fmtKr, monthOf, payrollMonth } from "./records";
import { CheckinCodes, EntryForm, EntryList, EntryReview } from "./Substitutes";
import { CodeSignIn } from "./CodeSignIn";
import { SubstituteInvitations } from "./SubstituteInvitations";
import { SubstitutesAdmin } from "./SubstitutesAdmin";
import { fmtHours, payOf } from "./substitutesText";
import { TripForm } from "./TripForm";
import { TripList } from "./Trips";
import { TripReview } from "./TripReview";

type TextKey = Parameters<typeof t>[0];

/** What a screen is given: the signed-in person, and the record id when its path has ":id". */
export interface ScreenProps {
  me: Me;
  id: string;
}

export interface Route {
  /** "#/" path; ":id" stands for a record id (a UUID), e.g. "koersel/:id". */
  path: string;
  Screen: ComponentType<ScreenProps>;
  /** Only for people whose me.areas has this area (absent: everyone signed in). */
  area?: string;
}

/** A screen for people who need not be logged in (a room's QR code, a reporter's private link): ":key"
 * stands for a code or secret (base64url), ":id" for a record id. */
export interface OpenRoute {
  path: string;
  Screen: ComponentType<{ params: string[] }>;
}

export interface Tile {
  route: string;
  label: TextKey;
  hint: TextKey;
  /** Only for people whose me.areas has this area (absent: everyone signed in, e.g. every employee's receipts). */
  area?: string;
}

/** How the leader's inbox shows one record type: the month it groups by, each record's lines, a group's sum,
 * the step that settles a whole group at once (`each`: also offered per record), and notes to point out. */
export interface InboxKind {
  month: (f: Fields) => string;
  Body: ComponentType<{ fields: Fields }>;
  sum: (fields: Fields[]) => ComponentChildren;
  all: string;
  each: boolean;
  notes?: (f: Fields) => Line[];
  /** Marked for the leader's eye. */
  flagged?: (f: Fields) => boolean;
  /** Settled by the group's one action only when true (rule-clean); the others are decided one by one. */
  ready?: (f: Fields) => boolean;
}

export interface RecordKind {
  /** The sync record type (its label is the i18n key `type_<type>`). */
  type: string;
  inbox?: InboxKind;
  /** The attention screen's heading after the type's label (default: the record's `title` field). */
  title?: (f: Fields) => unknown;
}

export interface Workflow {
  key: string;
  routes: Route[];
  tiles: Tile[];
  types: RecordKind[];
  /** Screens open without log-in. */
  open?: OpenRoute[];
}

const total = (rows: Fields[], pick: (f: Fields) => unknown): number => rows.reduce((n, f) => n + (Number(pick(f)) || 0), 0);

export const WORKFLOWS: Workflow[] = [
  {
    key: "receipts",
    routes: [
      { path: "udlaeg", Screen: ReceiptList },
      { path: "udlaeg/:id", Screen: ReceiptEdit },
    ],
    tiles: [{ route: "udlaeg", label: "area_receipts", hint: "area_receipts_hint" }],
    types: [
      {
        type: "receipt",
        inbox: {
          month: payrollMonth,
          Body: ReceiptReview,
          sum: (rows) => fmtKr(total(rows, (f) => f.total)),
          all: "sign_off",
          each: true,
        },
      },
    ],
  },
  {
    key: "mileage",
    routes: [
      { path: "koersel", Screen: TripList },
      { path: "koersel/steder", Screen: Places },
      { path: "koersel/dage", Screen: NoCarDays },
      { path: "koersel/:id", Screen: TripForm },
      { path: "admin/koersel", Screen: MileageAdmin, area: "admin" },
    ],
    tiles: [{ route: "koersel", label: "area_mileage", hint: "area_mileage_hint" }],
    types: [
      {
        type: "trip",
        inbox: {
          month: (f) => monthOf(f.date),
          Body: TripReview,
          sum: (rows) =>
            t("ib_total", { km: fmtKm(total(rows, (f) => f.km)), amount: fmtKr(total(rows, (f) => calcOf(f).amount)) }),
          all: "approve",
          each: false,
          notes: (f) => {
            const calc = calcOf(f);
            return [...(calc.flags ?? []), ...(calc.problems ?? []), ...(calc.error ? [calc.error] : [])];
          },
          flagged: (f) => !!calcOf(f).leader_note,
        },
      },
      { type: "place" },
    ],
  },
  {
    key: "facility",
    routes: [
      { path: "ejendom", Screen: FacilityTriage, area: "facility_triage" },
      { path: "ejendom/bygninger", Screen: FacilityBuildings, area: "facility_triage" },
      { path: "ejendom/planlaegning", Screen: FacilityPlanning, area: "facility_triage" },
      { path: "admin/bygninger", Screen: FacilityBuildings, area: "admin" },
      { path: "opgaver", Screen: FacilityTasks, area: "facility_tasks" },
    ],
    tiles: [
      { route: "ejendom", label: "area_facility_triage", hint: "area_facility_triage_hint", area: "facility_triage" },
      { route: "opgaver", label: "area_facility_tasks", hint: "area_facility_tasks_hint", area: "facility_tasks" },
    ],
    types: [{ type: "facility_report", title: (f) => f.text }],
    open: [
      { path: "meld/:key", Screen: FacilityReport },
      { path: "kvittering/:id/:key", Screen: FacilityReceipt },
      { path: "kvittering/:id", Screen: FacilityReceipt },
    ],
  },
  {
    key: "substitutes",
    routes: [
      { path: "vikar", Screen: EntryList, area: "substitutes" },
      { path: "vikar/:id", Screen: EntryForm, area: "substitutes" },
      { path: "vikar/koder", Screen: CheckinCodes, area: "substitute_codes" },
      { path: "vikar/inviter", Screen: SubstituteInvitations, area: "substitute_codes" },
      { path: "admin/vikar", Screen: SubstitutesAdmin, area: "admin" },
    ],
    tiles: [
      { route: "vikar", label: "area_substitutes", hint: "area_substitutes_hint", area: "substitutes" },
      { route: "vikar/koder", label: "area_substitute_codes", hint: "area_substitute_codes_hint", area: "substitute_codes" },
      { route: "vikar/inviter", label: "area_substitute_invitations", hint: "area_substitute_invitations_hint", area: "substitute_codes" },
    ],
    open: [{ path: "kode", Screen: CodeSignIn }],
    types: [
      {
        type: "substitute_entry",
        inbox: {
          month: (f) => monthOf(f.date),
          Body: EntryReview,
          sum: (rows) =>
            t("vk_total", {
              hours: fmtHours(total(rows, (f) => payOf(f).paid_hours)),
              amount: fmtKr(total(rows, (f) => payOf(f).amount)),
            }),
          all: "approve",
          each: true,
          notes: (f) => payOf(f).problems ?? [],
          flagged: (f) => !!payOf(f).problems?.length,
          ready: (f) => !payOf(f).problems?.length && !!payOf(f).amount,
        },
      },
    ],
  },
  {
    key: "shifts",
    routes: [
      { path: "vagter", Screen: MyShifts },
      { path: "vagtplan", Screen: ShiftWeek, area: "shifts_plan" },
      { path: "vagtplan-12", Screen: ShiftTwelveWeeks, area: "shifts_plan" },
      { path: "grundplan", Screen: ShiftBasePlan, area: "shifts_plan" },
      { path: "vagtplan-personer", Screen: ShiftPeople, area: "shifts_plan" },
      { path: "vagtplan/godkend/:id", Screen: ShiftApproval, area: "shifts_plan" },
    ],
    tiles: [
      { route: "vagter", label: "area_shifts", hint: "area_shifts_hint" },
      { route: "vagtplan", label: "area_shiftPlan", hint: "area_shiftPlan_hint", area: "shifts_plan" },
      { route: "vagtplan-12", label: "area_shiftTwelve", hint: "area_shiftTwelve_hint", area: "shifts_plan" },
    ],
    types: [
      { type: "shift", title: (f) => `${String(f.date ?? "")} ${String(f.start ?? "")}–${String(f.end ?? "")}` },
      { type: "open_shift", title: (f) => `${String(f.date ?? "")} ${String(f.start ?? "")}–${String(f.end ?? "")}` },
      {
        type: "swap",
        title: (f) => {
          const s = (f.summary ?? {}) as Record<string, unknown>;
          const taker = (f.taker ?? {}) as Record<string, unknown>;
          return `${String(s.date ?? "")} ${String(s.start ?? "")}–${String(s.end ?? "")} → ${String(taker.name ?? "")}`;
        },
      },
      {
        type: "shift_week",
        title: (f) => t("sa_title", { week: String((f.week as { number?: number } | undefined)?.number ?? ""), unit: String((f.unit as { name?: string } | undefined)?.name ?? "") }),
        inbox: {
          month: (f) => monthOf((f.week as { first?: string } | undefined)?.first),
          Body: WeekReview,
          sum: (rows) => t("sa_sum", { n: total(rows, (f) => (f.count as { changes?: number } | undefined)?.changes) }),
          all: "approve",
          each: true,
          ready: () => false, // decided on its own, after the list: never in "Godkend alle"
        },
      },
    ],
  },
];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** An invited outsider (signed in with a code) gets only the screens of her areas, none meant for everyone. */
const allowed = (me: Me, area?: string): boolean => (area ? me.areas.includes(area) : !me.invited);

/** The workflow screen for a "#/" path, with the record id its ":id" matched; null when none is. */
export function findRoute(path: string, me: Me): { Screen: ComponentType<ScreenProps>; id: string } | null {
  const parts = path.split("/");
  for (const r of WORKFLOWS.flatMap((w) => w.routes)) {
    const want = r.path.split("/");
    if (want.length !== parts.length || !allowed(me, r.area)) continue;
    let id = "";
    const ok = want.every((w, i) => (w === ":id" ? UUID.test(parts[i]) && (id = parts[i]) : w === parts[i]));
    if (ok) return { Screen: r.Screen, id };
  }
  return null;
}

const KEY = /^[A-Za-z0-9_-]{16,80}$/;

/** The open screen (no log-in needed) for a "#/" path, with its ":id"/":key" parts in order; null when none is. */
export function findOpenRoute(path: string): { Screen: ComponentType<{ params: string[] }>; params: string[] } | null {
  const parts = path.split("/");
  for (const r of WORKFLOWS.flatMap((w) => w.open ?? [])) {
    const want = r.path.split("/");
    if (want.length !== parts.length) continue;
    const params: string[] = [];
    const ok = want.every((w, i) =>
      w === ":id" || w === ":key" ? (w === ":id" ? UUID : KEY).test(parts[i]) && params.push(parts[i]) > 0 : w === parts[i],
    );
    if (ok) return { Screen: r.Screen, params };
  }
  return null;
}

export const tilesFor = (me: Me): Tile[] => WORKFLOWS.flatMap((w) => w.tiles).filter((tile) => allowed(me, tile.area));

/** A record type's entry in the table (undefined for types no workflow here declares, e.g. a test's). */
export const recordKind = (type: string): RecordKind | undefined =>
  WORKFLOWS.flatMap((w) => w.types).find((k) => k.type === type);
