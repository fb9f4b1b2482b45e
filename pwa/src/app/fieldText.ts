// The typed fields (data/fields.ts) on a form: the server's declarations for a record type, kept current,
// and a refused value's reason in words, next to the field: "Antal km skal være mellem 0,1 og 2.000."
import { useEffect, useState } from "preact/hooks";
import { feltSync, type FieldSpec, type Parsed, type Problem, type TypeSpecs } from "../data";
import { lang, t } from "../i18n";
import { fmtKr, locale } from "./records";

/** "2000" → "2.000", "0.1" → "0,1" (in English "2,000", "0.1"). */
function number(v: string | undefined): string {
  const places = (v ?? "").split(".")[1]?.length ?? 0;
  return Number(v).toLocaleString(locale(), { minimumFractionDigits: places, maximumFractionDigits: places });
}

/** A bound as people read it: "0,01 kr.", "2.000", "0,1". */
const amount = (spec: FieldSpec, v: string | undefined): string => (spec.kind === "money" ? fmtKr(v) : number(v));

/** Why a value is refused, as a sentence ("Beløb skal være mindst 0,01 kr." — one full stop, not two). */
export const problemText = (spec: FieldSpec, p: Problem): string => sentence(spec, p).replace(/\.\.$/, ".");

function sentence(spec: FieldSpec, p: Problem): string {
  const field = spec.label[lang] || spec.label.da;
  switch (p.code) {
    case "number":
      return t("fe_number", { field, example: number(spec.kind === "money" ? "187.50" : "12.5") });
    case "places":
      return p.places === 1 ? t("fe_places1", { field }) : t("fe_places", { field, places: p.places });
    case "min":
    case "max":
    case "range":
      return t(`fe_${p.code}`, { field, min: amount(spec, p.min), max: amount(spec, p.max) });
    case "future":
      return p.days ? t("fe_futureDays", { field, days: p.days }) : t("fe_future", { field });
    case "past":
      return p.days >= 365 ? t("fe_pastYears", { field, years: Math.floor(p.days / 365) }) : t("fe_pastDays", { field, days: p.days });
    case "length":
    case "items":
      return t(`fe_${p.code}`, { field, max: p.max });
    default:
      return t(`fe_${p.code}`, { field });
  }
}

/** A parse result's problem in words ("" when the value is fine). */
export const parsedText = (spec: FieldSpec, r: Parsed): string => (r.problem ? problemText(spec, r.problem) : "");

/** The window a date field allows, for <input type="date"> min and max. */
export function dateWindow(spec: FieldSpec | undefined): { min?: string; max?: string } {
  const today = feltSync.fields.today();
  const shift = (days: number) => new Date(Date.parse(`${today}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  return {
    min: spec?.past_days != null ? shift(-spec.past_days) : undefined,
    max: spec?.future_days != null ? shift(spec.future_days) : undefined,
  };
}

/** The declared fields of a record type (the device's cached copy; the built-in one until the first fetch). */
export function useFieldSpecs(type: string): Record<string, FieldSpec> {
  const [specs, setSpecs] = useState<TypeSpecs>(feltSync.fields.BUILT_IN);
  useEffect(() => {
    let alive = true;
    const load = () => void feltSync.fields.specs().then((s) => alive && setSpecs(s));
    load();
    const off = feltSync.subscribe((kind) => kind !== "local" && load()); // a fresh copy arrives as "status"
    return () => {
      alive = false;
      off();
    };
  }, [type]);
  return specs[type]?.fields ?? {};
}
