// The offline records of one type (or one record), kept current by this tab, other tabs and sync; and the
// small formatting helpers the workflows' screens share.
import { useEffect, useState } from "preact/hooks";
import { feltSync, type LocalRecord } from "../data";
import { lang } from "../i18n";

export const str = (v: unknown): string => (typeof v === "string" ? v : v == null ? "" : String(v));

export function showDate(v: unknown): string {
  const s = str(v);
  const d = /^\d{4}-\d\d-\d\d$/.test(s) ? new Date(`${s}T12:00:00`) : null;
  if (!d || isNaN(d.getTime())) return s;
  return d.toLocaleDateString(lang === "da" ? "da-DK" : "en-GB", { day: "numeric", month: "short", year: "numeric" });
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

