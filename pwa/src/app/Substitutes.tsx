// The substitute's hours (vikartimer) on the phone, offline too: check in at a unit and out again, or
// register afterwards (date, from, to, break, unit, what the cover was for). Every entry shows its state and
// its pay basis (hours, minimum-time top-up, supplements, rate, amount) as the server calculated it.
// An entry that overlaps another is refused here before it is saved, in the server's words.
import { useEffect, useState } from "preact/hooks";
import type { Me } from "../api";
import { feltSync, type Fields, type LocalRecord } from "../data";
import { lang, t } from "../i18n";
import { go } from "./hooks";
import { Page } from "./Layout";
import { parsedText, useFieldSpecs } from "./fieldText";
import { lineText } from "./mileageText";
import { rejection, showDate, str, useRecord, useRecords } from "./records";
import {
  amountText,
  bookedUnits,
  clockNow,
  EDITABLE,
  ENTRY,
  entryState,
  nextDeadline,
  overlapProblem,
  payLines,
  payOf,
  today,
  unitName,
} from "./substitutesText";

const newest = (rows: LocalRecord[]) =>
  [...rows].sort((a, b) => `${str(b.fields.date)} ${str(b.fields.start)}`.localeCompare(`${str(a.fields.date)} ${str(a.fields.start)}`));

function EntryCard({ me, r }: { me: Me; r: LocalRecord }) {
  const why = rejection(r);
  const pay = payOf(r.fields);
  return (
    <a class="card rc-item" href={`#/vikar/${r.id}`}>
      <span class="rc-merchant">
        {showDate(r.fields.date)} · {str(r.fields.start)}–{str(r.fields.end)} · {unitName(me, r.unit_id ?? r.fields.unit)}
      </span>
      <span class="muted">{str(r.fields.cover)}</span>
      <span class={`badge badge-${r.transitions.length ? "sending" : (r.state ?? "draft")}`}>{entryState(r)}</span>
      {payLines(r.fields).map((line) => (
        <span key={line}>{line}</span>
      ))}
      <strong>{amountText(r.fields)}</strong>
      {why && <span class="errors">{t("vk_rejectedBecause", { reason: why })}</span>}
      {pay.deadline?.late && <span class="mark">{lang === "en" ? pay.deadline.en : pay.deadline.da}</span>}
      {pay.monthly_pay && <span class="mark">{lineText(pay.monthly_pay)}</span>}
      {(pay.problems ?? []).map((p) => (
        <span key={p.code} class="mark">
          {lineText(p)}
        </span>
      ))}
    </a>
  );
}

/** The unit a scanned check-in code names (`/?vikar_enhed=<id>#/vikar`), or "". */
const scannedUnit = (): string => new URLSearchParams(location.search).get("vikar_enhed") ?? "";

export function EntryList({ me }: { me: Me }) {
  const rows = useRecords(ENTRY);
  const units = bookedUnits(me);
  const scanned = scannedUnit();
  const [unit, setUnit] = useState(units.find((u) => u.id === scanned)?.id ?? units[0]?.id ?? "");
  const notBooked = scanned && !units.some((u) => u.id === scanned);
  const [cover, setCover] = useState("");
  const [error, setError] = useState("");
  const all = newest(rows ?? []);
  const open = all.find((r) => (r.state ?? "draft") === "draft" && r.fields.start && !r.fields.end);
  const deadline = nextDeadline(all);

  async function checkIn(e: Event) {
    e.preventDefault();
    const id = feltSync.newId();
    const fields: Fields = { date: today(), start: clockNow(), cover: cover.trim(), ...(unit ? { unit: Number(unit) } : {}) };
    const problem = overlapProblem(me, id, fields, all);
    if (problem) return setError(problem);
    setError("");
    await feltSync.put(ENTRY, id, fields);
  }

  async function checkOut() {
    if (!open) return;
    const end = clockNow();
    if (end === str(open.fields.start)) return setError(t("vk_sameMinute"));
    if (!str(open.fields.cover).trim()) return go(`vikar/${open.id}`);
    await feltSync.put(ENTRY, open.id, { end });
    await feltSync.transition(ENTRY, open.id, "submit");
  }

  return (
    <Page title={t("vk_title")} back>
      {deadline && <p class="note">{deadline}</p>}
      {notBooked && <p class="errors">{t("vk_notBooked")}</p>}
      {open ? (
        <section class="card">
          <p aria-live="polite">
            <strong>{t("vk_checkedInAt", { unit: unitName(me, open.unit_id ?? open.fields.unit), time: str(open.fields.start) })}</strong>
          </p>
          <button type="button" class="btn btn-primary btn-big" onClick={() => void checkOut()}>
            {t("vk_checkOut")}
          </button>
          {error && (
            <p class="errors" role="alert">
              {error}
            </p>
          )}
        </section>
      ) : (
        <form class="card" onSubmit={(e) => void checkIn(e)}>
          {units.length > 1 && (
            <div class="field">
              <label for="vk-unit">{t("vk_unit")}</label>
              <select id="vk-unit" value={unit} onChange={(e) => setUnit(e.currentTarget.value)}>
                {units.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name}
                  </option>
                ))}
              </select>
            </div>
          )}
          <div class="field">
            <label for="vk-cover">{t("vk_cover")}</label>
            <input id="vk-cover" value={cover} maxLength={300} onInput={(e) => setCover(e.currentTarget.value)} />
          </div>
          <button type="submit" class="btn btn-primary btn-big">
            {unit ? t("vk_checkInAt", { unit: units.find((u) => u.id === unit)?.name ?? "" }) : t("vk_checkIn")}
          </button>
          {error && (
            <p class="errors" role="alert">
              {error}
            </p>
          )}
        </form>
      )}
      <button type="button" class="btn btn-big" onClick={() => go(`vikar/${feltSync.newId()}`)}>
        {t("vk_afterwards")}
      </button>
      <h2>{t("vk_entries")}</h2>
      {rows == null ? (
        <p class="muted">{t("loading")}</p>
      ) : !all.length ? (
        <p>{t("vk_none")}</p>
      ) : (
        <ul class="cards">
          {all.map((r) => (
            <li key={r.id}>
              <EntryCard me={me} r={r} />
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}

interface Form {
  date: string;
  start: string;
  end: string;
  break_minutes: string;
  unit: string;
  cover: string;
}

const CHECKED = ["date", "start", "end", "break_minutes", "cover"] as const;

export function EntryForm({ me, id }: { me: Me; id: string }) {
  const { rec, loaded } = useRecord(id);
  const entries = useRecords(ENTRY) ?? [];
  const spec = useFieldSpecs(ENTRY);
  const units = bookedUnits(me);
  const [form, setForm] = useState<Form | null>(null);
  const [error, setError] = useState("");

  useEffect(() => {
    if (!loaded || form) return;
    const f = rec?.fields ?? {};
    setForm({
      date: str(f.date) || today(),
      start: str(f.start),
      end: str(f.end),
      break_minutes: f.break_minutes == null ? "0" : String(f.break_minutes),
      unit: String(rec?.unit_id ?? f.unit ?? units[0]?.id ?? ""),
      cover: str(f.cover),
    });
  }, [loaded]);

  if (!loaded || !form) return <Page title={t("vk_entry")} back><p class="muted">{t("loading")}</p></Page>;
  const state = rec?.state ?? "draft";
  const editable = EDITABLE.includes(state) && !rec?.transitions.length;
  const set = (patch: Partial<Form>) => setForm({ ...form, ...patch });

  async function save(e: Event) {
    e.preventDefault();
    const values: Fields = {};
    for (const name of CHECKED) {
      const parsed = spec[name] ? feltSync.fields.parse(spec[name], form![name]) : { value: form![name].trim() };
      const problem = spec[name] ? parsedText(spec[name], parsed) : "";
      if (problem) return setError(problem);
      values[name] = "value" in parsed ? parsed.value : form![name];
    }
    const missing = [!form!.start && t("vk_start"), !form!.end && t("vk_end"), !form!.cover.trim() && t("vk_cover")].filter(Boolean);
    if (missing.length) return setError(t("vk_missing", { list: missing.join(", ") }));
    if (form!.unit) values.unit = Number(form!.unit);
    const overlap = overlapProblem(me, id, values, entries);
    if (overlap) return setError(overlap);
    setError("");
    await feltSync.put(ENTRY, id, values);
    await feltSync.transition(ENTRY, id, "submit");
    go("vikar");
  }

  const why = rec ? rejection(rec) : null;
  return (
    <Page title={t("vk_entry")} back>
      {rec && (
        <p>
          <span class={`badge badge-${state}`}>{entryState(rec)}</span>
        </p>
      )}
      {why && <p class="errors">{t("vk_rejectedBecause", { reason: why })}</p>}
      {rec && payLines(rec.fields).map((line) => <p key={line}>{line}</p>)}
      {rec && <p><strong>{amountText(rec.fields)}</strong></p>}
      <form onSubmit={(e) => void save(e)}>
        <fieldset disabled={!editable}>
          <div class="field">
            <label for="vk-date">{t("vk_date")}</label>
            <input id="vk-date" type="date" value={form.date} max={today()} onInput={(e) => set({ date: e.currentTarget.value })} />
          </div>
          <div class="row">
            <div class="field">
              <label for="vk-start">{t("vk_start")}</label>
              <input id="vk-start" type="time" value={form.start} onInput={(e) => set({ start: e.currentTarget.value })} />
            </div>
            <div class="field">
              <label for="vk-end">{t("vk_end")}</label>
              <input id="vk-end" type="time" value={form.end} onInput={(e) => set({ end: e.currentTarget.value })} />
            </div>
          </div>
          <div class="field">
            <label for="vk-break">{t("vk_break")}</label>
            <input id="vk-break" inputMode="numeric" value={form.break_minutes} onInput={(e) => set({ break_minutes: e.currentTarget.value })} />
          </div>
          {units.length > 0 && (
            <div class="field">
              <label for="vk-unit-f">{t("vk_unit")}</label>
              <select id="vk-unit-f" value={form.unit} onChange={(e) => set({ unit: e.currentTarget.value })}>
                {units.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name}
                  </option>
                ))}
              </select>
            </div>
          )}
          <div class="field">
            <label for="vk-cover-f">{t("vk_cover")}</label>
            <input id="vk-cover-f" value={form.cover} maxLength={300} onInput={(e) => set({ cover: e.currentTarget.value })} />
          </div>
          {error && (
            <p class="errors" role="alert">
              {error}
            </p>
          )}
          {editable && (
            <button type="submit" class="btn btn-primary btn-big">
              {t("vk_send")}
            </button>
          )}
        </fieldset>
      </form>
    </Page>
  );
}

/** An entry waiting for the secretary, as the inbox shows it: when, where, what for, and its pay basis. */
export function EntryReview({ fields }: { fields: Fields }) {
  const pay = payOf(fields);
  return (
    <>
      <p>
        <strong>{showDate(fields.date)}</strong> · {str(fields.start)}–{str(fields.end)} · {pay.unit_name ?? ""} · {str(fields.cover)}
      </p>
      {payLines(fields).map((line) => (
        <p key={line}>{line}</p>
      ))}
      <p>
        <strong>{amountText(fields)}</strong>
      </p>
      {pay.deadline?.late && <p class="mark">{lang === "en" ? pay.deadline.en : pay.deadline.da}</p>}
      {pay.monthly_pay && <p class="mark">{lineText(pay.monthly_pay)}</p>}
    </>
  );
}

/** The secretary's printable check-in codes: one QR code per unit she is secretary of. */
export function CheckinCodes({ me }: { me: Me }) {
  const units = new Map<string, string>();
  for (const g of me.roles) if (g.role === "secretary" && g.unit_id != null) units.set(String(g.unit_id), g.unit_name ?? "?");
  return (
    <Page title={t("vk_codesTitle")} back>
      <p>{t("vk_codesHint")}</p>
      <button type="button" class="btn btn-primary no-print" onClick={() => window.print()}>
        {t("vk_print")}
      </button>
      {[...units].map(([id, name]) => (
        <section key={id} class="card checkin-code" aria-label={name}>
          <h2>{t("vk_codeFor", { unit: name })}</h2>
          <img src={`/api/substitutes/units/${id}/checkin.svg`} alt={t("vk_codeAlt", { unit: name })} width={264} height={264} />
        </section>
      ))}
    </Page>
  );
}
