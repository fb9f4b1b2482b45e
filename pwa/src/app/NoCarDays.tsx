// Days at a workplace reached without the car (bus, bike, on foot): they count towards the 60-day rule
// (skat.dk) though nothing is paid for them. Marked in two taps — today and the last workplace are filled
// in — saved on the phone, synced later; the server counts them with the trips.
import { useState } from "preact/hooks";
import { feltSync } from "../data";
import { t } from "../i18n";
import { dateWindow, parsedText, useFieldSpecs } from "./fieldText";
import { Page } from "./Layout";
import { PLACE } from "./Places";
import { showDate, str, useRecords } from "./records";
import { TRIP } from "./Trips";

export const NO_CAR_DAY = "no_car_day";

export function NoCarDays() {
  const days = [...(useRecords(NO_CAR_DAY) ?? [])].sort((a, b) => str(b.fields.date).localeCompare(str(a.fields.date)));
  const places = useRecords(PLACE) ?? [];
  const trips = useRecords(TRIP) ?? [];
  const spec = useFieldSpecs(NO_CAR_DAY);
  const [date, setDate] = useState(feltSync.fields.today());
  const [workplace, setWorkplace] = useState<string | null>(null);
  const [message, setMessage] = useState("");
  const [error, setError] = useState("");
  const suggestions = [
    ...days.map((d) => str(d.fields.workplace)),
    ...places.filter((p) => p.fields.kind !== "home").map((p) => str(p.fields.name)),
    ...trips.map((r) => str(r.fields.workplace)),
  ].filter((s, i, all) => s && all.indexOf(s) === i);
  const shown = workplace ?? suggestions[0] ?? "";

  async function mark(e: Event) {
    e.preventDefault();
    const place = shown.trim();
    const dateProblem = spec.date ? parsedText(spec.date, feltSync.fields.parse(spec.date, date)) : "";
    if (!place) return setError(t("km_noCarMissing"));
    if (dateProblem) return setError(dateProblem);
    // A day counts once however often it is marked: a second mark of the same day and place adds nothing.
    const same = (d: (typeof days)[number]) => str(d.fields.date) === date && str(d.fields.workplace).toLowerCase() === place.toLowerCase();
    if (!days.some(same)) await feltSync.put(NO_CAR_DAY, feltSync.newId(), { date, workplace: place });
    setError("");
    setMessage(t("km_noCarSaved"));
  }

  const dates = dateWindow(spec.date);
  return (
    <Page title={t("km_noCarTitle")}>
      <a class="back" href="#/koersel">
        ← {t("km_backToList")}
      </a>
      <p>{t("km_noCarIntro")}</p>
      <form class="card" onSubmit={(e) => void mark(e)} noValidate>
        <datalist id="nc-places">
          {suggestions.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
        <div class="field">
          <label for="nc-date">{t("km_date")}</label>
          <input id="nc-date" type="date" value={date} min={dates.min} max={dates.max} onInput={(e) => setDate(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="nc-workplace">{t("km_noCarWorkplace")}</label>
          <input id="nc-workplace" type="text" list="nc-places" autocomplete="off" value={shown} onInput={(e) => setWorkplace(e.currentTarget.value)} />
        </div>
        <div role="alert">{error && <p class="error">{error}</p>}</div>
        <button type="submit" class="btn btn-primary btn-big">
          {t("km_noCarSave")}
        </button>
        <p role="status">{message}</p>
      </form>
      {!days.length ? (
        <p>{t("km_noCarNone")}</p>
      ) : (
        <ul class="cards">
          {days.map((d) => (
            <li key={d.id} class="card row">
              <span>
                {showDate(d.fields.date)} · {str(d.fields.workplace)}
              </span>
              <button type="button" class="btn btn-small" onClick={() => void feltSync.remove(NO_CAR_DAY, d.id)}>
                {t("km_noCarRemove", { date: showDate(d.fields.date), place: str(d.fields.workplace) })}
              </button>
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}
