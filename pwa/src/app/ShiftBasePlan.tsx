// The unit's base plan (grundplan) of N weeks: who is on which shift type on each weekday of each week,
// laid on a tablet; rolled out to the published plan over a date range. Rolling out twice makes nothing
// new; every rolled-out shift is checked by the working-time rules, and those refused are listed in words.
import { useEffect, useState } from "preact/hooks";
import { api, type Me } from "../api";
import { feltSync } from "../data";
import { t } from "../i18n";
import { errorText, useLoad } from "./hooks";
import { Page, Status } from "./Layout";
import { shortDate } from "./planText";
import { UnitPicker, usePlanUnit } from "./UnitPicker";
import { addDays, findingText, mondayOf, type Finding } from "./shiftText";

interface Slot {
  week: number;
  weekday: number;
  employee: number;
  shift_type: string;
}

interface BasePlan {
  weeks: number;
  anchor: string;
  slots: Slot[];
}

interface Rollout {
  created: number;
  existing: number;
  refused: { date: string; employee: number; name: string; shift_type: string; findings: Finding[] }[];
}

const WEEKDAYS = [0, 1, 2, 3, 4, 5, 6];
/** The base plan's length in weeks (backend worktime.base_plan.MAX_WEEKS). */
const MIN_WEEKS = 1;
const MAX_WEEKS = 26;

/** The number of weeks typed, or null when it is not a whole number from MIN_WEEKS to MAX_WEEKS. */
function readWeeks(text: string): number | null {
  const n = /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
  return Number.isInteger(n) && n >= MIN_WEEKS && n <= MAX_WEEKS ? n : null;
}
const dayWord = (d: number): string => t(`sp_weekday${d}` as "sp_weekday0");

export function ShiftBasePlan({ me }: { me: Me }) {
  const { units, unit, setUnit } = usePlanUnit(me);
  const people = useLoad(() => api.get<{ employee: number; name: string }[]>(`/api/shifts/units/${unit}/people`), [unit]);
  const types = useLoad(() => api.get<{ id: number; name: string; start: string; end: string }[]>(`/api/shifts/units/${unit}/types`), [unit]);
  const saved = useLoad(() => api.get<BasePlan | null>(`/api/shifts/units/${unit}/base-plan`), [unit]);
  const thisMonday = mondayOf(feltSync.fields.today());
  const [plan, setPlan] = useState<BasePlan>({ weeks: 8, anchor: thisMonday, slots: [] });
  // What is typed in "Antal uger" stays as typed; it is read on leaving the field and on saving.
  const [weeksText, setWeeksText] = useState("8");
  const [weeksError, setWeeksError] = useState("");
  const [week, setWeek] = useState(0);
  const [message, setMessage] = useState("");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const [first, setFirst] = useState(thisMonday);
  const [last, setLast] = useState(addDays(thisMonday, 12 * 7 - 1));
  const [result, setResult] = useState<Rollout | null>(null);

  useEffect(() => {
    const next = saved.data ?? (saved.data === null ? { weeks: 8, anchor: thisMonday, slots: [] } : undefined);
    if (!next) return;
    setPlan(next);
    setWeeksText(String(next.weeks));
    setWeeksError("");
  }, [saved.data]);

  const typeOn = (employee: number, weekday: number): string =>
    plan.slots.find((s) => s.week === week && s.weekday === weekday && s.employee === employee)?.shift_type ?? "";

  function put(employee: number, weekday: number, shiftType: string) {
    const rest = plan.slots.filter((s) => !(s.week === week && s.weekday === weekday && s.employee === employee));
    setPlan({ ...plan, slots: shiftType ? [...rest, { week, weekday, employee, shift_type: shiftType }] : rest });
    setMessage("");
  }

  /** Reads the typed weeks: the number, or null with the reason shown by the field. */
  function checkWeeks(): number | null {
    const weeks = readWeeks(weeksText);
    const typed = weeksText.trim();
    const range = { min: MIN_WEEKS, max: MAX_WEEKS };
    setWeeksError(weeks != null ? "" : typed ? t("su_weeksInvalid", { ...range, typed }) : t("su_weeksEmpty", range));
    if (weeks != null && weeks !== plan.weeks) {
      setPlan({ ...plan, weeks });
      if (week >= weeks) setWeek(weeks - 1);
    }
    return weeks;
  }

  async function save(e: Event) {
    e.preventDefault();
    const weeks = checkWeeks();
    if (weeks == null) {
      document.getElementById("sp-bp-weeks")?.focus();
      return;
    }
    setBusy(true);
    setError("");
    try {
      await api.put(`/api/shifts/units/${unit}/base-plan`, { ...plan, weeks, slots: plan.slots.filter((s) => s.week < weeks) });
      setMessage(t("sp_basePlanSaved"));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  async function rollOut(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError("");
    setResult(null);
    try {
      setResult(await api.post<Rollout>(`/api/shifts/units/${unit}/base-plan/rollout`, { first, last }));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Page title={t("sp_basePlanTitle")} back>
      <UnitPicker units={units} value={unit} onChange={setUnit} />
      <Status loading={(people.loading && !people.data) || (saved.loading && saved.data === undefined)} error={people.error || saved.error} onRetry={saved.reload} />
      {error && (
        <p class="error" role="alert" data-testid="base-plan-error">
          {error}
        </p>
      )}
      {/* Shown once the saved plan is here, so nothing typed is replaced by it arriving late. */}
      {saved.data !== undefined && (
        <form class="card" onSubmit={save} aria-labelledby="sp-bp-title">
          <h2 id="sp-bp-title">{t("sp_basePlanLay")}</h2>
          <div class="row plan-fields">
            <div class="field">
              <label for="sp-bp-weeks">{t("sp_weeks")}</label>
              <input
                id="sp-bp-weeks"
                type="text"
                inputMode="numeric"
                autoComplete="off"
                value={weeksText}
                aria-invalid={weeksError ? true : undefined}
                aria-describedby={weeksError ? "sp-bp-weeks-error" : undefined}
                onInput={(e) => {
                  const typed = (e.target as HTMLInputElement).value;
                  setWeeksText(typed);
                  // Once refused, the reason follows the typing and goes as soon as the number is right.
                  if (weeksError && readWeeks(typed) != null) setWeeksError("");
                }}
                onBlur={checkWeeks}
              />
              {weeksError && (
                <span id="sp-bp-weeks-error" class="errors" role="alert" data-testid="weeks-error">
                  {weeksError}
                </span>
              )}
            </div>
            <label>
              {t("sp_anchor")}
              <input type="date" value={plan.anchor} onInput={(e) => setPlan({ ...plan, anchor: mondayOf((e.target as HTMLInputElement).value || thisMonday) })} />
            </label>
            <label>
              {t("sp_showWeek")}
              <select value={week} onChange={(e) => setWeek(Number((e.target as HTMLSelectElement).value))}>
                {Array.from({ length: plan.weeks }, (_, w) => (
                  <option key={w} value={w}>
                    {t("sp_planWeek", { n: w + 1 })}
                  </option>
                ))}
              </select>
            </label>
          </div>
          {/* Focusable so a keyboard can scroll it sideways on a phone (WCAG 2.1.1). */}
          <div class="table-wrap" tabIndex={0} role="region" aria-labelledby="sp-bp-caption">
            <table class="plan-weeks base-plan" data-testid="base-plan">
              <caption id="sp-bp-caption">{t("sp_planWeek", { n: week + 1 })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("sh_person")}</th>
                  {WEEKDAYS.map((d) => (
                    <th scope="col" key={d}>
                      {dayWord(d)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {(people.data ?? []).map((p) => (
                  <tr key={p.employee}>
                    <th scope="row">{p.name}</th>
                    {WEEKDAYS.map((d) => (
                      <td key={d}>
                        <select
                          aria-label={t("sp_slotLabel", { name: p.name, day: dayWord(d), n: week + 1 })}
                          value={typeOn(p.employee, d)}
                          onChange={(e) => put(p.employee, d, (e.target as HTMLSelectElement).value)}
                        >
                          <option value="">–</option>
                          {(types.data ?? []).map((x) => (
                            <option key={x.id} value={x.name}>
                              {x.name}
                            </option>
                          ))}
                        </select>
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {message && <p role="status">{message}</p>}
          <button type="submit" class="btn btn-primary btn-big" disabled={busy}>
            {t("sp_basePlanSave")}
          </button>
        </form>
      )}
      <form class="card" onSubmit={rollOut} aria-labelledby="sp-ro-title">
        <h2 id="sp-ro-title">{t("sp_rollOutTitle")}</h2>
        <p class="muted">{t("sp_rollOutHint")}</p>
        <div class="row plan-fields">
          <label>
            {t("sp_from")}
            <input type="date" required value={first} onInput={(e) => setFirst((e.target as HTMLInputElement).value)} />
          </label>
          <label>
            {t("sp_to")}
            <input type="date" required value={last} onInput={(e) => setLast((e.target as HTMLInputElement).value)} />
          </label>
        </div>
        <button type="submit" class="btn btn-primary btn-big" disabled={busy}>
          {t("sp_rollOut")}
        </button>
        {result && (
          <div role="status" data-testid="rollout-result">
            <p>{t("sp_rolledOut", { created: result.created, existing: result.existing, refused: result.refused.length })}</p>
            {result.refused.length > 0 && (
              <ul>
                {result.refused.map((r) => (
                  <li key={`${r.date}/${r.employee}/${r.shift_type}`}>
                    {shortDate(r.date)} · {r.name} · {r.shift_type}: {r.findings.map(findingText).join(" ")}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
      </form>
    </Page>
  );
}
