// The planner's and leader's week per unit (tablet): who is on which day, and a shift added in two taps.
// Every save is checked by the working-time rules on the server; a breach comes back in words, and a
// leader may let it stand by giving a reason (kept on the shift and in the audit log).
import { useEffect, useRef, useState } from "preact/hooks";
import { api, type Me } from "../api";
import { feltSync } from "../data";
import { t } from "../i18n";
import { errorText, useLoad } from "./hooks";
import { Page, Status } from "./Layout";
import { str } from "./records";
import { kindName, signedHours, type Absence } from "./planText";
import { addDays, dayName, findingText, isoWeek, mondayOf, rulesOf, shiftTime } from "./shiftText";
import { UnitPicker, usePlanUnit } from "./UnitPicker";

interface ShiftType {
  id: number;
  name: string;
  start: string;
  end: string;
  break_minutes: number;
  competences: string[];
}

interface Week {
  unit: { id: number; name: string };
  first: string;
  people: { id: number; name: string }[];
  shifts: ({ id: string; owner_id: number } & Record<string, unknown>)[];
  open: ({ id: string; state: string; offered: number[] } & Record<string, unknown>)[];
  balances: Record<string, Balance>;
  /** The people's absences in the week (backend shifts.absences.out). */
  absences?: Absence[];
}

/** A person's standing in the normperiode, in minutes (backend worktime.norm). */
interface Balance {
  first: string;
  last: string;
  balance: number;
  /** Worked and credited so far less the norm of the days before today (service.balances), as in the 12-week view. */
  balance_so_far?: number;
  projected: number;
  band: number;
  outside_band: boolean;
}

interface Draft {
  id: string;
  employee: number;
  name: string;
  date: string;
  type: string;
  start: string;
  end: string;
  break_minutes: number;
  reason: string;
  open: boolean;
  /** An existing shift being changed (same id: the save replaces it). */
  existing?: boolean;
}

function ShiftForm(props: { unit: number; types: ShiftType[]; draft: Draft; leader: boolean; done: (message: string) => void; cancel: () => void }) {
  const [d, setD] = useState(props.draft);
  const [error, setError] = useState("");
  const [refused, setRefused] = useState(false);
  const [busy, setBusy] = useState(false);
  // The form opens above the week: on a phone (or a tablet scrolled down) the "+" pressed is far below
  // it, so bring it into view and put the focus on its title, or the "+" seems to do nothing (user test).
  const title = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    title.current?.focus();
    title.current?.scrollIntoView({ block: "start" });
  }, []);

  function pick(name: string) {
    const type = props.types.find((x) => x.name === name);
    setD({ ...d, type: name, ...(type ? { start: type.start, end: type.end, break_minutes: type.break_minutes } : {}) });
  }

  async function save(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError("");
    try {
      const type = props.types.find((x) => x.name === d.type);
      if (d.open) {
        const offered = await api.post<{ offered: number[] }>("/api/shifts/open", {
          id: d.id,
          unit: props.unit,
          date: d.date,
          start: d.start,
          end: d.end,
          break_minutes: d.break_minutes,
          shift_type: d.type,
          competences: type?.competences ?? [],
        });
        props.done(t("sh_offeredTo", { count: offered.offered.length }));
        return;
      }
      await api.post("/api/shifts", {
        id: d.id,
        employee: d.employee,
        unit: props.unit,
        date: d.date,
        start: d.start,
        end: d.end,
        break_minutes: d.break_minutes,
        shift_type: d.type,
        competences: type?.competences ?? [],
        override_reason: d.reason.trim() || null,
      });
      props.done("");
    } catch (err) {
      setError(errorText(err));
      setRefused(true);
    } finally {
      setBusy(false);
    }
  }

  // Removing a shift breaks no rule: it goes through sync like any deletion (offline too).
  async function remove() {
    setBusy(true);
    try {
      await feltSync.remove("shift", d.id);
      await feltSync.syncNow();
      props.done(t("sh_deleted"));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="card" onSubmit={save} aria-labelledby="sh-form-title">
      <h2 id="sh-form-title" ref={title} tabIndex={-1}>
        {d.open
          ? t("sh_newOpen", { day: dayName(d.date) })
          : t(d.existing ? "sh_editFor" : "sh_newFor", { name: d.name, day: dayName(d.date) })}
      </h2>
      <label>
        {t("sh_type")}
        <select value={d.type} onChange={(e) => pick((e.target as HTMLSelectElement).value)}>
          <option value="">{t("sh_customType")}</option>
          {props.types.map((x) => (
            <option key={x.id} value={x.name}>
              {x.name} {x.start}–{x.end}
            </option>
          ))}
        </select>
      </label>
      <div class="row">
        <label>
          {t("sh_start")}
          <input type="time" required value={d.start} onInput={(e) => setD({ ...d, start: (e.target as HTMLInputElement).value })} />
        </label>
        <label>
          {t("sh_end")}
          <input type="time" required value={d.end} onInput={(e) => setD({ ...d, end: (e.target as HTMLInputElement).value })} />
        </label>
        <label>
          {t("sh_break")}
          <input
            type="number"
            min={0}
            max={240}
            inputMode="numeric"
            value={d.break_minutes}
            onInput={(e) => setD({ ...d, break_minutes: Number((e.target as HTMLInputElement).value) || 0 })}
          />
        </label>
      </div>
      {error && (
        <p class="error" role="alert" data-testid="shift-refusal">
          {error}
        </p>
      )}
      {refused && props.leader && (
        <label>
          {t("sh_overrideReason")}
          <textarea value={d.reason} maxLength={500} onInput={(e) => setD({ ...d, reason: (e.target as HTMLTextAreaElement).value })} />
        </label>
      )}
      <div class="row">
        <button type="submit" class="btn btn-primary btn-big" disabled={busy}>
          {d.reason.trim() ? t("sh_saveOverride") : t("sh_save")}
        </button>
        {d.existing && (
          <button type="button" class="btn" disabled={busy} onClick={() => void remove()}>
            {t("sh_delete")}
          </button>
        )}
        <button type="button" class="btn" onClick={props.cancel}>
          {t("sh_cancel")}
        </button>
      </div>
    </form>
  );
}

export function ShiftWeek({ me }: { me: Me }) {
  const { units, unit, setUnit } = usePlanUnit(me);
  const [monday, setMonday] = useState(() => mondayOf(feltSync.fields.today()));
  const [draft, setDraft] = useState<Draft | null>(null);
  const [notice, setNotice] = useState("");
  const week = useLoad(() => api.get<Week>(`/api/shifts/units/${unit}/week?week=${isoWeek(monday)}`), [unit, monday]);
  const types = useLoad(() => api.get<ShiftType[]>(`/api/shifts/units/${unit}/types`), [unit]);
  const leader = me.roles.some((g) => g.role === "leader");
  const days = [0, 1, 2, 3, 4, 5, 6].map((n) => addDays(monday, n));

  return (
    <Page title={t("sh_plan")} back>
      <UnitPicker units={units} value={unit} onChange={setUnit} />
      <div class="row month-nav">
        <button type="button" class="btn btn-small" aria-label={t("sh_prevWeek")} onClick={() => setMonday(addDays(monday, -7))}>
          ←
        </button>
        <h2 class="month-name" aria-live="polite">
          {t("sh_week", { week: isoWeek(monday).slice(6) })} · {week.data?.unit.name ?? ""}
        </h2>
        <button type="button" class="btn btn-small" aria-label={t("sh_nextWeek")} onClick={() => setMonday(addDays(monday, 7))}>
          →
        </button>
      </div>
      <Status loading={week.loading && !week.data} error={week.error} onRetry={week.reload} />
      <p class="row">
        <a class="btn" href="#/vagtplan-12">
          {t("sp_twelveTitle")}
        </a>
        <a class="btn" href="#/grundplan">
          {t("sp_basePlanTitle")}
        </a>
        <a class="btn" href="#/vagtplan-personer">
          {t("sp_peopleTitle")}
        </a>
      </p>
      {notice && (
        <p role="status" data-testid="plan-notice">
          {notice}
        </p>
      )}
      {draft && (
        <ShiftForm
          key={draft.id} // another "+" while the form is open starts a new form for that person and day
          unit={unit}
          types={types.data ?? []}
          draft={draft}
          leader={leader}
          done={(message) => {
            setNotice(message);
            setDraft(null);
            week.reload();
          }}
          cancel={() => setDraft(null)}
        />
      )}
      {week.data && (
        <div class="table-wrap">
          <table class="shift-week" data-testid="shift-week">
            <thead>
              <tr>
                <th scope="col">{t("sh_person")}</th>
                {days.map((day) => (
                  <th scope="col" key={day}>
                    {dayName(day)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {week.data.people.map((p) => (
                <tr key={p.id}>
                  <th scope="row">
                    {p.name}
                    {week.data!.balances[String(p.id)] && (
                      <span class={`balance ${week.data!.balances[String(p.id)].outside_band ? "error" : "muted"}`}>
                        {t("sh_balance", {
                          now: signedHours(week.data!.balances[String(p.id)].balance_so_far ?? week.data!.balances[String(p.id)].balance),
                          end: signedHours(week.data!.balances[String(p.id)].projected),
                          band: signedHours(week.data!.balances[String(p.id)].band).replace("+", "±"),
                        })}
                      </span>
                    )}
                  </th>
                  {days.map((day) => {
                    const here = week.data!.shifts.filter((s) => s.owner_id === p.id && s.date === day);
                    const away = (week.data!.absences ?? []).filter((a) => a.employee === p.id && a.first <= day && day <= a.last);
                    return (
                      <td key={day}>
                        {away.map((a) => (
                          <p key={a.id} class="muted" data-testid="week-absence">
                            {kindName(a)}
                          </p>
                        ))}
                        {here.map((s) => {
                          const { findings, override } = rulesOf(s);
                          return (
                            <p key={s.id} class={findings.length && !override ? "error" : ""}>
                              <button
                                type="button"
                                class="link-button"
                                onClick={() =>
                                  setDraft({
                                    id: s.id,
                                    employee: p.id,
                                    name: p.name,
                                    date: day,
                                    type: str(s.shift_type),
                                    start: str(s.start),
                                    end: str(s.end),
                                    break_minutes: Number(s.break_minutes) || 0,
                                    reason: "",
                                    open: false,
                                    existing: true,
                                  })
                                }
                              >
                                <strong>{str(s.shift_type)}</strong> {shiftTime(s)}
                              </button>
                              {override && <span class="muted"> · {t("sh_overriddenShort")}</span>}
                              {findings.length > 0 && !override && <span> · {findings.map(findingText).join(" ")}</span>}
                            </p>
                          );
                        })}
                        <button
                          type="button"
                          class="btn btn-small"
                          aria-label={t("sh_addFor", { name: p.name, day: dayName(day) })}
                          onClick={() =>
                            setDraft({ id: feltSync.newId(), employee: p.id, name: p.name, date: day, type: "", start: "07:00", end: "15:00", break_minutes: 30, reason: "", open: false })
                          }
                        >
                          +
                        </button>
                      </td>
                    );
                  })}
                </tr>
              ))}
              <tr>
                <th scope="row">{t("sh_openTitle")}</th>
                {days.map((day) => (
                  <td key={day}>
                    {week.data!.open
                      .filter((s) => s.date === day)
                      .map((s) => (
                        <p key={s.id}>
                          <strong>{str(s.shift_type)}</strong> {shiftTime(s)} ·{" "}
                          {s.state === "taken" ? t("sh_takenBy", { name: str((s.taken as { by_name?: string } | undefined)?.by_name) }) : t("sh_offeredTo", { count: s.offered.length })}
                        </p>
                      ))}
                    <button
                      type="button"
                      class="btn btn-small"
                      aria-label={t("sh_addOpen", { day: dayName(day) })}
                      onClick={() => setDraft({ id: feltSync.newId(), employee: 0, name: "", date: day, type: "", start: "07:00", end: "15:00", break_minutes: 30, reason: "", open: true })}
                    >
                      +
                    </button>
                  </td>
                ))}
              </tr>
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}
