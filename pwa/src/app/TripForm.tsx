// One trip: logged in seconds (saved places, remembered km, a round-trip switch, "same as last time"),
// saved on the phone and synced later. The server's calculation arrives with the next pull: what the trip
// pays, at which rate and why, and any note for the leader.
import { useEffect, useRef, useState } from "preact/hooks";
import type { Me } from "../api";
import { feltSync, type Fields, type LocalRecord } from "../data";
import { t } from "../i18n";
import { useDraft } from "./draft";
import { go } from "./hooks";
import { Page } from "./Layout";
import { dateWindow, parsedText, problemText, useFieldSpecs } from "./fieldText";
import { calcOf, lineText, showKmInput } from "./mileageText";
import { PLACE } from "./Places";
import { fmtKr, monthName, payrollMonth, rejection, showDate, str, useRecord, useRecords } from "./records";
import { SENDABLE, TRIP, tripState } from "./Trips";

interface Form {
  date: string;
  purpose: string;
  from_place: string;
  stops: string[];
  to_place: string;
  km: string;
  round_trip: boolean;
  vehicle: "car" | "bicycle";
  own_vehicle: boolean;
  /** "HH:MM" or "": when it set off and arrived (an arrival before the departure is the next day). */
  start_time: string;
  end_time: string;
}

const today = (): string => feltSync.fields.today();

/** The form's fields the server declares limits for: checked as they are left, and again on saving. */
const CHECKED = ["date", "purpose", "from_place", "to_place", "km"] as const;
type Checked = (typeof CHECKED)[number];

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

function fromFields(f: Fields): Form {
  return {
    date: str(f.date) || today(),
    purpose: str(f.purpose),
    from_place: str(f.from_place),
    stops: Array.isArray(f.stops) ? (f.stops as string[]) : [],
    to_place: str(f.to_place),
    km: showKmInput(f.km),
    round_trip: !!f.round_trip,
    vehicle: f.vehicle === "bicycle" ? "bicycle" : "car",
    own_vehicle: !!f.own_vehicle,
    start_time: str(f.start_time),
    end_time: str(f.end_time),
  };
}

/** The day after `day` ("2025-12-31" → "2026-01-01"). */
const nextDay = (day: string): string => new Date(Date.parse(`${day}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** What the form says of a trip across midnight ("" when it is not one): its km are split by the driving
 * time on the server (backend/features/mileage/rules/midnight.py), each share at its own day's rate. */
function midnightNote(f: Form): string {
  if (!f.date || !f.start_time || !f.end_time || f.end_time >= f.start_time || f.end_time === "00:00") return "";
  const next = nextDay(f.date);
  return next.slice(0, 4) !== f.date.slice(0, 4)
    ? t("km_overNewYear", { year: next.slice(0, 4), before: f.date.slice(0, 4) })
    : t("km_overMidnight", { day: showDate(next) });
}

const latestFirst = (rows: LocalRecord[]) =>
  [...rows].sort((a, b) => str(b.fields.date).localeCompare(str(a.fields.date)) || str(b.updated_at).localeCompare(str(a.updated_at)));

export function TripForm({ me, id }: { me: Me; id: string }) {
  const { rec, loaded } = useRecord(id);
  const trips = latestFirst((useRecords(TRIP) ?? []).filter((r) => r.id !== id));
  const places = useRecords(PLACE) ?? [];
  const [form, setForm] = useState<Form | null>(null);
  const [error, setError] = useState("");
  const [problems, setProblems] = useState<Partial<Record<Checked | "stops" | "own_vehicle", string>>>({});
  const spec = useFieldSpecs(TRIP);
  // A new trip keeps what is typed on the phone until it is saved (a reload or restart loses nothing).
  const draft = useDraft<Form>(loaded && !rec ? "trip" : null);
  const [restored, setRestored] = useState(false);
  const opened = useRef<Form | null>(null);

  /** A field's value as the server keeps it ("12,5 km" → "12.5"), or why it is refused (said next to it). */
  const read = (name: Checked, raw: string) =>
    spec[name] ? feltSync.fields.parse(spec[name], raw) : { value: raw.trim() };
  const problemOf = (name: Checked, raw: string) => (spec[name] ? parsedText(spec[name], read(name, raw)) : "");
  const problemsOf = (f: Form) => Object.fromEntries(CHECKED.map((n) => [n, problemOf(n, f[n])]));

  const blank = () => fromFields({ own_vehicle: trips[0]?.fields.own_vehicle ?? false });
  useEffect(() => {
    if (!loaded || form || !draft.loaded) return;
    const kept = !rec && draft.kept ? { ...blank(), ...draft.kept } : null;
    const start = kept ?? (rec ? fromFields(rec.fields) : blank());
    opened.current = start;
    setRestored(!!kept);
    setForm(start);
    // A trip saved before its values were checked here (e.g. 99,999 km) says at once what to correct.
    if (rec && SENDABLE.includes(rec.state ?? "draft") && !rec.transitions.length) setProblems(problemsOf(start));
  }, [loaded, draft.loaded]);

  useEffect(() => {
    if (form && !rec && form !== opened.current) draft.keep(form);
  }, [form]);

  const state = rec?.state ?? "draft";
  const editable = SENDABLE.includes(state) && !rec?.transitions.length;
  const homes = places.filter((p) => p.fields.kind === "home").map((p) => str(p.fields.name));
  const suggestions = [
    ...places.map((p) => str(p.fields.name)),
    ...(me.unit ? [me.unit.name] : []),
    ...trips.flatMap((r) => [str(r.fields.from_place), ...((r.fields.stops as string[]) ?? []), str(r.fields.to_place)]),
  ].filter((s, i, all) => s && all.indexOf(s) === i);

  if (!loaded || !form) return <Page title={t("km_title")} back><p class="muted">{t("loading")}</p></Page>;

  const set = (patch: Partial<Form>) => setForm({ ...form, ...patch });

  /** Leaving a field says at once what is wrong with it; once said, it is re-checked as the person types. */
  const judge = (name: Checked, raw: string) => setProblems((p) => ({ ...p, [name]: problemOf(name, raw) }));
  const retype = (name: Checked, raw: string) => problems[name] && judge(name, raw);
  const stopsProblem = (stops: string[]) => {
    const p = spec.stops && feltSync.fields.check(spec.stops, stops);
    return p ? problemText(spec.stops, p) : "";
  };

  /** A route driven before remembers its km (when none is typed yet). */
  function remember(next: Form): Form {
    if (next.km) return next;
    const before = trips.find(
      (r) => same(str(r.fields.from_place), next.from_place) && same(str(r.fields.to_place), next.to_place) && next.to_place,
    );
    return before ? { ...next, km: showKmInput(before.fields.km), round_trip: !!before.fields.round_trip } : next;
  }

  function sameAsLast() {
    const last = trips[0];
    if (last) setForm({ ...fromFields(last.fields), date: form!.date });
  }

  function roundTrip(on: boolean) {
    const km = feltSync.fields.readNumber(form!.km);
    const changed = km ? String(on ? Number(km) * 2 : Number(km) / 2) : null;
    set({ round_trip: on, km: changed ? showKmInput(changed) : form!.km });
  }

  async function save(e: Event) {
    e.preventDefault();
    const f = form!;
    const missing = [
      !f.date && t("km_date"),
      !f.purpose.trim() && t("km_purpose"),
      !f.from_place.trim() && t("km_from"),
      !f.to_place.trim() && t("km_to"),
      !f.km.trim() && t("km_km"),
    ].filter(Boolean);
    if (missing.length) return setError(t("km_missing", { list: missing.join(", ") }));
    // Nothing the server would refuse is saved: each refused field says why, and focus goes to the first.
    const stops = f.stops.map((s) => s.trim()).filter(Boolean);
    const found: Partial<Record<Checked | "stops" | "own_vehicle", string>> = {
      ...problemsOf(f),
      stops: stopsProblem(stops),
    };
    const wrong = CHECKED.find((n) => found[n]);
    // Tax-free only in one's own vehicle: said here, not found out later when sending is refused.
    if (!f.own_vehicle) found.own_vehicle = t("km_ownMissing");
    setProblems(found);
    if (wrong || found.stops || found.own_vehicle) {
      setError("");
      document.getElementById(`km-${wrong ?? (found.stops ? "stop-0" : "own_vehicle")}`)?.focus();
      return;
    }
    const canonical = Object.fromEntries(CHECKED.map((n) => [n, read(n, f[n]).value])) as Record<Checked, unknown>;
    const [from, to] = [str(canonical.from_place), str(canonical.to_place)];
    const home = (place: string) => homes.some((h) => same(h, place));
    const startsHome = home(from);
    const endsHome = home(to);
    const fields: Fields = {
      ...f,
      ...canonical,
      stops,
      starts_at_home: startsHome,
      ends_at_home: endsHome,
      workplace: startsHome && !endsHome ? to : endsHome && !startsHome ? from : null,
      start_time: f.start_time || null,
      end_time: f.end_time || null,
    };
    try {
      await feltSync.put(TRIP, id, fields);
      await draft.clear();
      go("koersel");
    } catch {
      setError(t("errorGeneric"));
    }
  }

  async function remove() {
    if (!confirm(t("km_deleteConfirm"))) return;
    if (rec) await feltSync.remove(TRIP, id);
    go("koersel");
  }

  async function startAgain() {
    await draft.clear();
    const start = blank();
    opened.current = start;
    setRestored(false);
    setProblems({});
    setForm(start);
  }

  const calc = calcOf(rec?.fields ?? {});
  const why = rec ? rejection(rec) : null;
  const blocking = [...(calc.problems ?? []), ...(calc.error ? [calc.error] : [])];
  const paidIn = rec ? payrollMonth(rec.fields) : "";
  /** A refused value's reason, right under its field (and read out with it: aria-describedby). */
  const problem = (name: Checked | "stops" | "own_vehicle") =>
    problems[name] ? (
      <span class="errors" id={`km-${name}-err`}>
        {problems[name]}
      </span>
    ) : null;
  const described = (name: Checked, hint?: string) => ({
    "aria-describedby": [hint, problems[name] && `km-${name}-err`].filter(Boolean).join(" ") || undefined,
    "aria-invalid": problems[name] ? true : undefined,
  });
  /** The props that check a text field as it is left, and again as it is typed once refused. */
  const checked = (name: Checked) => ({
    onInput: (e: Event) => {
      const v = (e.currentTarget as HTMLInputElement).value;
      set({ [name]: v });
      retype(name, v);
    },
    onChange: (e: Event) => judge(name, (e.currentTarget as HTMLInputElement).value),
  });
  const dates = dateWindow(spec.date);
  const place = (name: "from_place" | "to_place", label: string) => (
    <div class="field">
      <label for={`km-${name}`}>{label}</label>
      <input
        id={`km-${name}`}
        type="text"
        list="km-places"
        autocomplete="off"
        value={form[name]}
        disabled={!editable}
        {...described(name, "km-place-hint")}
        onInput={(e) => {
          set({ [name]: e.currentTarget.value });
          retype(name, e.currentTarget.value);
        }}
        onChange={(e) => {
          setForm(remember({ ...form, [name]: e.currentTarget.value }));
          judge(name, e.currentTarget.value);
        }}
      />
      {problem(name)}
    </div>
  );

  return (
    <Page title={rec ? t("km_title") : t("km_newTitle")}>
      <a class="back" href="#/koersel">
        ← {t("km_backToList")}
      </a>
      {rec && (
        <p>
          {t("km_status")} <span class={`badge badge-${rec.transitions.length ? "sending" : state}`}>{tripState(rec)}</span>
          {paidIn && <> · {t("km_paidIn", { month: monthName(paidIn) })}</>}
        </p>
      )}
      {why && <p class="error">{t("km_rejectedBecause", { reason: why })}</p>}
      {blocking.length > 0 && (
        <div class="error" role="alert">
          {blocking.map((l) => (
            <p key={l.code}>{lineText(l)}</p>
          ))}
        </div>
      )}
      {restored && (
        <p class="note" role="status">
          {t("km_draftKept")}{" "}
          <button type="button" class="btn btn-small" onClick={() => void startAgain()}>
            {t("km_draftDiscard")}
          </button>
        </p>
      )}
      {editable && !rec && trips.length > 0 && (
        <button type="button" class="btn" onClick={sameAsLast}>
          {t("km_sameAsLast")}
        </button>
      )}
      <form onSubmit={(e) => void save(e)} noValidate>
        <datalist id="km-places">
          {suggestions.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
        <div class="field">
          <label for="km-date">{t("km_date")}</label>
          <input
            id="km-date"
            type="date"
            value={form.date}
            min={dates.min}
            max={dates.max ?? today()}
            disabled={!editable}
            {...described("date")}
            {...checked("date")}
          />
          {problem("date")}
        </div>
        <div class="field">
          <label for="km-purpose">{t("km_purpose")}</label>
          <span class="muted" id="km-purpose-hint">
            {t("km_purposeHint")}
          </span>
          <input
            id="km-purpose"
            type="text"
            value={form.purpose}
            disabled={!editable}
            {...described("purpose", "km-purpose-hint")}
            {...checked("purpose")}
          />
          {problem("purpose")}
        </div>
        <p class="muted" id="km-place-hint">
          {t("km_placeHint")}
        </p>
        {place("from_place", t("km_from"))}
        {form.stops.map((s, i) => (
          <div class="field" key={i}>
            <label for={`km-stop-${i}`}>{t("km_stop", { n: i + 1 })}</label>
            <div class="row">
              <input
                id={`km-stop-${i}`}
                type="text"
                list="km-places"
                value={s}
                disabled={!editable}
                onInput={(e) => set({ stops: form.stops.map((x, j) => (j === i ? e.currentTarget.value : x)) })}
              />
              {editable && (
                <button type="button" class="btn btn-small" onClick={() => set({ stops: form.stops.filter((_, j) => j !== i) })}>
                  {t("km_removeStop", { n: i + 1 })}
                </button>
              )}
            </div>
          </div>
        ))}
        {problem("stops")}
        {editable && (
          <button type="button" class="btn btn-small" onClick={() => set({ stops: [...form.stops, ""] })}>
            {t("km_addStop")}
          </button>
        )}
        {place("to_place", t("km_to"))}
        <div class="field">
          <label for="km-km">{t("km_km")}</label>
          <span class="muted" id="km-km-hint">
            {t("km_kmHint")}
          </span>
          <input
            id="km-km"
            type="text"
            inputMode="decimal"
            autocomplete="off"
            value={form.km}
            disabled={!editable}
            {...described("km", "km-km-hint")}
            {...checked("km")}
          />
          {problem("km")}
        </div>
        <label class="check">
          <input type="checkbox" checked={form.round_trip} disabled={!editable} onChange={(e) => roundTrip(e.currentTarget.checked)} />
          {t("km_roundTrip")}
        </label>
        <fieldset class="field">
          <legend class="label">{t("km_vehicle")}</legend>
          {(["car", "bicycle"] as const).map((v) => (
            <label class="check" key={v}>
              <input type="radio" name="vehicle" checked={form.vehicle === v} disabled={!editable} onChange={() => set({ vehicle: v })} />
              {t(v === "car" ? "km_car" : "km_bicycle")}
            </label>
          ))}
        </fieldset>
        <div class="row">
          <div class="field">
            <label for="km-start_time">{t("km_startTime")}</label>
            <input
              id="km-start_time"
              type="time"
              value={form.start_time}
              disabled={!editable}
              aria-describedby="km-time-hint"
              onInput={(e) => set({ start_time: e.currentTarget.value })}
            />
          </div>
          <div class="field">
            <label for="km-end_time">{t("km_endTime")}</label>
            <input
              id="km-end_time"
              type="time"
              value={form.end_time}
              disabled={!editable}
              aria-describedby="km-time-hint"
              onInput={(e) => set({ end_time: e.currentTarget.value })}
            />
          </div>
        </div>
        <p class="muted" id="km-time-hint">
          {t("km_timeHint")}
        </p>
        <div role="status">{midnightNote(form) && <p class="note">{midnightNote(form)}</p>}</div>
        <label class="check">
          <input
            id="km-own_vehicle"
            type="checkbox"
            checked={form.own_vehicle}
            disabled={!editable}
            aria-invalid={problems.own_vehicle ? true : undefined}
            aria-describedby={problems.own_vehicle ? "km-own_vehicle-err" : undefined}
            onChange={(e) => {
              set({ own_vehicle: e.currentTarget.checked });
              setProblems((p) => ({ ...p, own_vehicle: e.currentTarget.checked ? "" : t("km_ownMissing") }));
            }}
          />
          {t("km_own")}
        </label>
        {problem("own_vehicle")}
        <div role="alert">{error && <p class="error">{error}</p>}</div>
        {editable && (
          <button type="submit" class="btn btn-primary btn-big">
            {t("km_save")}
          </button>
        )}
      </form>
      {calc.explanation && (
        <section aria-labelledby="km-why">
          <h2 id="km-why">{t("km_why")}</h2>
          {calc.flags?.map((l) => (
            <p key={l.code} class="note">
              {lineText(l)}
            </p>
          ))}
          <ul>
            {calc.explanation.map((l, i) => (
              <li key={i}>{lineText(l)}</li>
            ))}
          </ul>
          {calc.amount && (
            <p>
              <strong>{fmtKr(calc.amount)}</strong>
            </p>
          )}
        </section>
      )}
      {editable && rec && (
        <button type="button" class="btn" onClick={() => void remove()}>
          {t("km_delete")}
        </button>
      )}
    </Page>
  );
}
