// "Mine vagter": the employee's own shifts, a week at a time, from the records on the phone (offline too).
import { useState } from "preact/hooks";
import type { Me } from "../api";
import { feltSync } from "../data";
import { t } from "../i18n";
import { Page } from "./Layout";
import { locale, str, useRecords } from "./records";
import { addDays, dayName, findingText, mondayOf, rulesOf, shiftTime } from "./shiftText";

export const SHIFT = "shift";

export function MyShifts({ me }: { me: Me }) {
  const rows = useRecords(SHIFT);
  const [monday, setMonday] = useState(() => mondayOf(feltSync.fields.today()));
  const sunday = addDays(monday, 6);
  // Planners also hold their units' shifts on the device: "mine" are those about me.
  const mine = (rows ?? [])
    .filter((r) => String(r.owner_id) === String(me.id))
    .filter((r) => str(r.fields.date) >= monday && str(r.fields.date) <= sunday)
    .sort((a, b) => `${str(a.fields.date)} ${str(a.fields.start)}`.localeCompare(`${str(b.fields.date)} ${str(b.fields.start)}`));
  const hours = mine.reduce((n, r) => n + (Number((r.fields.clock as { paid_minutes?: number } | undefined)?.paid_minutes) || 0), 0) / 60;
  return (
    <Page title={t("sh_mine")} back>
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
