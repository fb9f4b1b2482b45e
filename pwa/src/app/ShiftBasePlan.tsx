// The unit's base plan (grundplan) of N weeks: who is on which shift type on each weekday of each week,
// laid on a tablet; rolled out to the published plan over a date range. Rolling out twice makes nothing
// new; every rolled-out shift is checked by the working-time rules, and those refused are listed in words.
import { useEffect, useState } from "preact/hooks";
import { api, type Me } from "../api";
import { feltSync } from "../data";
import { t } from "../i18n";
import { errorText, useLoad } from "./hooks";
import { Page, Status } from "./Layout";
import { plannableUnits, shortDate } from "./planText";
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
const dayWord = (d: number): string => t(`sp_weekday${d}` as "sp_weekday0");

export function ShiftBasePlan({ me }: { me: Me }) {
  const units = plannableUnits(me);
  const [unit, setUnit] = useState(units.length ? units[0].id : 0);
  const people = useLoad(() => api.get<{ employee: number; name: string }[]>(`/api/shifts/units/${unit}/people`), [unit]);
  const types = useLoad(() => api.get<{ id: number; name: string; start: string; end: string }[]>(`/api/shifts/units/${unit}/types`), [unit]);
  const saved = useLoad(() => api.get<BasePlan | null>(`/api/shifts/units/${unit}/base-plan`), [unit]);
  const thisMonday = mondayOf(feltSync.fields.today());
  const [plan, setPlan] = useState<BasePlan>({ weeks: 8, anchor: thisMonday, slots: [] });
  const [week, setWeek] = useState(0);
  const [message, setMessage] = useState("");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const [first, setFirst] = useState(thisMonday);
  const [last, setLast] = useState(addDays(thisMonday, 12 * 7 - 1));
  const [result, setResult] = useState<Rollout | null>(null);

  useEffect(() => {
    if (saved.data) setPlan(saved.data);
    else if (saved.data === null) setPlan({ weeks: 8, anchor: thisMonday, slots: [] });
  }, [saved.data]);

  const typeOn = (employee: number, weekday: number): string =>
    plan.slots.find((s) => s.week === week && s.weekday === weekday && s.employee === employee)?.shift_type ?? "";

  function put(employee: number, weekday: number, shiftType: string) {
    const rest = plan.slots.filter((s) => !(s.week === week && s.weekday === weekday && s.employee === employee));
    setPlan({ ...plan, slots: shiftType ? [...rest, { week, weekday, employee, shift_type: shiftType }] : rest });
    setMessage("");
  }

  async function save(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError("");
    try {
      await api.put(`/api/shifts/units/${unit}/base-plan`, { ...plan, slots: plan.slots.filter((s) => s.week < plan.weeks) });
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
      {units.length > 1 && (
        <label>
          {t("sh_unit")}
          <select value={unit} onChange={(e) => setUnit(Number((e.target as HTMLSelectElement).value))}>
            {units.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </select>
        </label>
      )}
      <Status loading={(people.loading || saved.loading) && !people.data} error={people.error || saved.error} onRetry={saved.reload} />
      {error && (
        <p class="error" role="alert" data-testid="base-plan-error">
          {error}
        </p>
      )}
      <form class="card" onSubmit={save} aria-labelledby="sp-bp-title">
        <h2 id="sp-bp-title">{t("sp_basePlanLay")}</h2>
        <div class="row">
          <label>
            {t("sp_weeks")}
            <input
              type="number"
              min={1}
              max={26}
              inputMode="numeric"
              value={plan.weeks}
              onInput={(e) => setPlan({ ...plan, weeks: Math.max(1, Math.min(26, Number((e.target as HTMLInputElement).value) || 1)) })}
            />
          </label>
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
        <div class="table-wrap">
          <table class="plan-weeks" data-testid="base-plan">
            <caption>{t("sp_planWeek", { n: week + 1 })}</caption>
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
      <form class="card" onSubmit={rollOut} aria-labelledby="sp-ro-title">
        <h2 id="sp-ro-title">{t("sp_rollOutTitle")}</h2>
        <p class="muted">{t("sp_rollOutHint")}</p>
        <div class="row">
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
