// "Mine vagter": the employee's own shifts, a week at a time, from the records on the phone (offline too).
import { useState } from "preact/hooks";
import { api, type Me } from "../api";
import { feltSync, type LocalRecord } from "../data";
import { t } from "../i18n";
import { errorText, useOnline } from "./hooks";
import { Page } from "./Layout";
import { locale, str, useRecords } from "./records";
import { addDays, dayName, findingText, mondayOf, rulesOf, shiftTime } from "./shiftText";

export const SHIFT = "shift";
export const OPEN_SHIFT = "open_shift";

/** Open shifts (ledige vagter) offered to me: taking one needs the server (the first valid taker gets it). */
function OpenShifts({ rows }: { rows: LocalRecord[] }) {
  const online = useOnline();
  const [message, setMessage] = useState("");
  const [busy, setBusy] = useState("");
  if (!rows.length && !message) return null;

  async function take(id: string) {
    setBusy(id);
    setMessage("");
    try {
      await api.post("/api/shifts/open/take", { id });
      setMessage(t("sh_taken"));
      await feltSync.syncNow();
    } catch (err) {
      setMessage(errorText(err));
    } finally {
      setBusy("");
    }
  }

  return (
    <section aria-labelledby="sh-open-title">
      <h2 id="sh-open-title">{t("sh_openTitle")}</h2>
      {message && (
        <p role="status" data-testid="take-message">
          {message}
        </p>
      )}
      <ul class="cards" data-testid="open-shifts">
        {rows.map((r) => (
          <li key={r.id} class="card">
            <p class="person-name">
              {dayName(str(r.fields.date))} · {shiftTime(r.fields)}
            </p>
            <p>{str(r.fields.shift_type)}</p>
            {r.state === "open" ? (
              <button type="button" class="btn btn-primary btn-big" disabled={!online || busy === r.id} onClick={() => void take(r.id)}>
                {online ? t("sh_take") : t("sh_takeOffline")}
              </button>
            ) : (
              <p class="muted">{t("sh_goneToOther")}</p>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function MyShifts({ me }: { me: Me }) {
  const rows = useRecords(SHIFT);
  const open = useRecords(OPEN_SHIFT);
  const [monday, setMonday] = useState(() => mondayOf(feltSync.fields.today()));
  const sunday = addDays(monday, 6);
  // Planners also hold their units' shifts on the device: "mine" are those about me.
  const mine = (rows ?? [])
    .filter((r) => String(r.owner_id) === String(me.id))
    .filter((r) => str(r.fields.date) >= monday && str(r.fields.date) <= sunday)
    .sort((a, b) => `${str(a.fields.date)} ${str(a.fields.start)}`.localeCompare(`${str(b.fields.date)} ${str(b.fields.start)}`));
  const hours = mine.reduce((n, r) => n + (Number((r.fields.clock as { paid_minutes?: number } | undefined)?.paid_minutes) || 0), 0) / 60;
  const today = feltSync.fields.today();
  const offered = (open ?? [])
    .filter((r) => str(r.fields.date) >= today && !(r.state === "taken" && String((r.fields.taken as { by?: unknown } | undefined)?.by) === String(me.id)))
    .sort((a, b) => `${str(a.fields.date)} ${str(a.fields.start)}`.localeCompare(`${str(b.fields.date)} ${str(b.fields.start)}`));
  return (
    <Page title={t("sh_mine")} back>
      <OpenShifts rows={offered} />
      <div class="row month-nav">
        <button type="button" class="btn btn-small" aria-label={t("sh_prevWeek")} onClick={() => setMonday(addDays(monday, -7))}>
          ←
        </button>
        <h2 class="month-name" aria-live="polite">
          {dayName(monday)} – {dayName(sunday)}
        </h2>
        <button type="button" class="btn btn-small" aria-label={t("sh_nextWeek")} onClick={() => setMonday(addDays(monday, 7))}>
          →
        </button>
      </div>
      {rows == null ? (
        <p class="muted">{t("loading")}</p>
      ) : !mine.length ? (
        <p>{t("sh_noneThisWeek")}</p>
      ) : (
        <>
          <ul class="cards" data-testid="my-shifts">
            {mine.map((r) => {
              const { override } = rulesOf(r.fields);
              return (
                <li key={r.id} class="card">
                  <p class="person-name">
                    {dayName(str(r.fields.date))} · {shiftTime(r.fields)}
                  </p>
                  <p>{str(r.fields.shift_type)}</p>
                  {override && <p class="muted">{t("sh_overridden", { reason: override.reason })}</p>}
                  {!override && rulesOf(r.fields).findings.map((x) => <p class="muted">{findingText(x)}</p>)}
                </li>
              );
            })}
          </ul>
          <p>{t("sh_weekHours", { hours: hours.toLocaleString(locale()) })}</p>
        </>
      )}
    </Page>
  );
}
