// The employee's trips (kørsel) per month: what each pays and why, the month's and the year's totals, and
// one button that sends the month for approval. Everything reads the offline records, so it works offline.
import { useState } from "preact/hooks";
import { feltSync, type LocalRecord } from "../data";
import { t } from "../i18n";
import { go } from "./hooks";
import { Page } from "./Layout";
import { calcOf, fmtKm, lineText } from "./mileageText";
import { fmtKr, monthName, monthOf, rejection, showDate, str, useRecords } from "./records";

export const TRIP = "trip";
export const SENDABLE = ["draft", "rejected"];
/** Written by earlier server versions; no payroll month is closed to a trip any more, so it blocks nothing. */
const STALE = ["date_closed_month"];

/** The server's notes on a trip that still apply (a missing rate blocks; flags only inform the leader). */
function blockingOf(r: LocalRecord) {
  const calc = calcOf(r.fields);
  return [...(calc.problems ?? []).filter((p) => !STALE.includes(p.code)), ...(calc.error ? [calc.error] : [])];
}

/** Why sending this trip cannot succeed yet — what the server's submit checks, as far as the phone can
 * know — or null. "Send måneden" offers only trips without one; the card of the others says what to do. */
export function sendProblem(r: LocalRecord, today: string): string | null {
  const f = r.fields;
  const blocking = blockingOf(r);
  if (blocking.length) return blocking.map(lineText).join(" ");
  const missing = [
    !str(f.date) && t("km_date"),
    !str(f.purpose).trim() && t("km_purpose"),
    !str(f.from_place).trim() && t("km_from"),
    !str(f.to_place).trim() && t("km_to"),
    !(Number(f.km) > 0) && t("km_km"),
  ].filter(Boolean);
  if (missing.length) return t("km_missing", { list: missing.join(", ") });
  if (str(f.date) > today) return t("km_notYet");
  if (f.own_vehicle !== true) return t("km_confirmOwn");
  return null;
}

// The month on the Danish calendar, as the trip form's date and the server count it (not UTC's: at
// 00:30 on 1 December it is December).
const thisMonth = (): string => feltSync.fields.today().slice(0, 7);

function shiftMonth(ym: string, by: number): string {
  const [y, m] = ym.split("-").map(Number);
  const d = new Date(Date.UTC(y, m - 1 + by, 1));
  return d.toISOString().slice(0, 7);
}

export function tripState(r: LocalRecord): string {
  const state = r.transitions.length ? "sending" : (r.state ?? "draft");
  try {
    return t(`km_state_${state}` as Parameters<typeof t>[0]);
  } catch {
    return state;
  }
}

export const route = (f: Record<string, unknown>): string =>
  [str(f.from_place), ...((f.stops as string[] | undefined) ?? []), str(f.to_place)].filter(Boolean).join(" → ");

const sum = (rows: LocalRecord[], pick: (r: LocalRecord) => unknown): number =>
  rows.reduce((n, r) => n + (Number(pick(r)) || 0), 0);

export function TripList() {
  const rows = useRecords(TRIP);
  const noCarDays = useRecords("no_car_day") ?? [];
  const [month, setMonth] = useState(thisMonth);
  const all = rows ?? [];
  const inMonth = all
    .filter((r) => monthOf(r.fields.date) === month)
    .sort((a, b) => str(b.fields.date).localeCompare(str(a.fields.date)));
  const year = month.slice(0, 4);
  const noCarInMonth = noCarDays.filter((d) => monthOf(d.fields.date) === month).length;
  const yearKm = sum(all.filter((r) => monthOf(r.fields.date).startsWith(year)), (r) => r.fields.km);
  const today = feltSync.fields.today(); // the Danish calendar, as the form and the server count it
  const unsent = inMonth.filter((r) => SENDABLE.includes(r.state ?? "draft") && !r.transitions.length);
  const sendable = unsent.filter((r) => !sendProblem(r, today));
  const heldBack = unsent.length - sendable.length;
  // Said only while a submission is still in the outbox: gone once sent (or refused).
  const sending = inMonth.some((r) => r.transitions.includes("submit"));

  async function submitMonth() {
    for (const r of sendable) await feltSync.transition(TRIP, r.id, "submit");
  }

  return (
    <Page title={t("km_listTitle")} back>
      <button type="button" class="btn btn-primary btn-big" onClick={() => go(`koersel/${feltSync.newId()}`)}>
        {t("km_new")}
      </button>
      <div class="row month-nav">
        <button type="button" class="btn btn-small" aria-label={t("km_prevMonth")} onClick={() => setMonth(shiftMonth(month, -1))}>
          ←
        </button>
        <h2 class="month-name" aria-live="polite">
          {monthName(month)}
        </h2>
        <button type="button" class="btn btn-small" aria-label={t("km_nextMonth")} onClick={() => setMonth(shiftMonth(month, 1))}>
          →
        </button>
      </div>
      {rows == null ? (
        <p class="muted">{t("loading")}</p>
      ) : !inMonth.length ? (
        <p>{t("km_none")}</p>
      ) : (
        <ul class="cards">
          {inMonth.map((r) => {
            const calc = calcOf(r.fields);
            const notes = [...blockingOf(r), ...(calc.flags ?? [])];
            const why = rejection(r);
            // The server's own notes are listed below already; say only what they do not.
            const cannot = unsent.includes(r) && !blockingOf(r).length ? sendProblem(r, today) : null;
            return (
              <li key={r.id}>
                <a class="card rc-item" href={`#/koersel/${r.id}`}>
                  <span class="rc-merchant">{str(r.fields.purpose) || route(r.fields)}</span>
                  <span>
                    {showDate(r.fields.date)} · {fmtKm(r.fields.km)} · {calc.amount ? fmtKr(calc.amount) : t("km_notCalculated")}
                  </span>
                  <span class="muted">{route(r.fields)}</span>
                  <span class={`badge badge-${r.transitions.length ? "sending" : (r.state ?? "draft")}`}>{tripState(r)}</span>
                  {why && <span class="errors">{t("km_rejectedBecause", { reason: why })}</span>}
                  {cannot && <span class="errors">{t("km_cannotSend", { reason: cannot })}</span>}
                  {notes.map((n) => (
                    <span key={n.code} class="mark">
                      {lineText(n)}
                    </span>
                  ))}
                </a>
              </li>
            );
          })}
        </ul>
      )}
      <p>
        <strong>
          {t("km_monthTotal", { month: monthName(month), km: fmtKm(sum(inMonth, (r) => r.fields.km)), amount: fmtKr(sum(inMonth, (r) => calcOf(r.fields).amount)) })}
        </strong>
      </p>
      <p>{t("km_yearKm", { year, km: fmtKm(yearKm) })}</p>
      {noCarInMonth > 0 && <p>{t("km_noCarMonth", { month: monthName(month), n: noCarInMonth })}</p>}
      {sendable.length > 0 && (
        <button type="button" class="btn btn-primary btn-big" onClick={() => void submitMonth()}>
          {t("km_submitMonth", { n: sendable.length })}
        </button>
      )}
      {heldBack > 0 && <p class="mark">{t("km_heldBack", { n: heldBack })}</p>}
      <p role="status">{sending ? t("km_state_sending") : ""}</p>
      <ul class="stack">
        <li>
          <a class="btn" href="#/koersel/dage">
            {t("km_noCarLink")}
          </a>
        </li>
        <li>
          <a class="btn" href="#/koersel/steder">
            {t("km_places")}
          </a>
        </li>
        <li>
          <a class="btn" href={`/api/mileage/log.csv?year=${year}`} download>
            {t("km_download", { year })}
          </a>
        </li>
      </ul>
    </Page>
  );
}
