// The offline records of one type (or one record), kept current by this tab, other tabs and sync; and the
// small formatting helpers the workflows' screens share (dates, kroner, months in words, a rejection's reason).
import { useEffect, useState } from "preact/hooks";
import { feltSync, type LocalRecord } from "../data";
import { lang } from "../i18n";

export const str = (v: unknown): string => (typeof v === "string" ? v : v == null ? "" : String(v));

export const locale = (): string => (lang === "da" ? "da-DK" : "en-GB");

/** "1234.5" → "1.234,50 kr." in Danish, "DKK 1,234.50" in English. */
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

/** The salary month that pays a record back ({"month": "YYYY-MM"}, written by the server), or "". */
export const payrollMonth = (fields: Record<string, unknown>): string =>
  str((fields.payroll as { month?: unknown } | undefined)?.month);

/** The reason the leader gave, when the record was rejected (kept as the note of its history step). */
export function rejection(r: LocalRecord): string | null {
  if (r.state !== "rejected") return null;
  const step = [...(r.server?.history ?? [])].reverse().find((h) => h.transition === "reject");
  return step?.note ?? null;
}

export function showDate(v: unknown): string {
  const s = str(v);
  const d = /^\d{4}-\d\d-\d\d$/.test(s) ? new Date(`${s}T12:00:00`) : null;
  if (!d || isNaN(d.getTime())) return s;
  return d.toLocaleDateString(locale(), { day: "numeric", month: "short", year: "numeric" });
}

/** The local records of one type, kept current (this tab, other tabs, sync). */
export function useRecords(type: string): LocalRecord[] | null {
  const [rows, setRows] = useState<LocalRecord[] | null>(null);
  useEffect(() => {
    let alive = true;
    const load = () => void feltSync.list(type).then((r) => alive && setRows(r), () => alive && setRows([]));
    load();
    const off = feltSync.subscribe(load);
    return () => {
      alive = false;
      off();
    };
  }, [type]);
  return rows;
}

export function useRecord(id: string): { rec: LocalRecord | undefined; loaded: boolean } {
  const [state, setState] = useState<{ rec: LocalRecord | undefined; loaded: boolean }>({ rec: undefined, loaded: false });
  useEffect(() => {
    let alive = true;
    const load = () =>
      void feltSync.get(id).then(
        (rec) => alive && setState({ rec, loaded: true }),
        () => alive && setState({ rec: undefined, loaded: true }),
      );
    load();
    const off = feltSync.subscribe(load);
    return () => {
      alive = false;
      off();
    };
  }, [id]);
  return state;
}

