// The unit's 12 weeks for planners and leaders (fits a tablet; a phone scrolls the table, not the page): who is on
// each day, who is absent, the days where a shift type lacks people or a competence, and each person's
// balance against the norm so far and projected to the end of the normperiode.
import { useState } from "preact/hooks";
import { api, type Me } from "../api";
import { feltSync } from "../data";
import { lang, t } from "../i18n";
import { useLoad } from "./hooks";
import { Page, Status } from "./Layout";
import { kindName, plainHours, signedHours, type PlanBalance } from "./planText";
import { UnitPicker, usePlanUnit } from "./UnitPicker";
import { addDays, dayName, isoWeek, mondayOf } from "./shiftText";

interface Gap {
  shift_type: string;
  needed: number;
  on: number;
  open: number;
  lacking: string[];
}

interface Day {
  date: string;
  /** A public holiday's [Danish, English] name. */
  holiday: [string, string] | null;
  on: { employee: number; shift_type: string; start: string; end: string; findings: number }[];
  absent: { employee: number; kind: string; kind_da: string; kind_en: string }[];
  gaps: Gap[];
}

interface Plan {
  unit: { id: number; name: string };
  first: string;
  last: string;
  people: { id: number; name: string; weekly_minutes: number; competences: string[] }[];
  days: Day[];
  balances: Record<string, PlanBalance>;
}

const holidayName = (names: [string, string]): string => (lang === "en" ? names[1] : names[0]);

const gapText = (g: Gap): string[] => [
  ...(g.on < g.needed ? [t("sp_gapPeople", { type: g.shift_type, missing: g.needed - g.on })] : []),
  ...(g.lacking.length ? [t("sp_gapCompetence", { type: g.shift_type, what: g.lacking.join(", ") })] : []),
];

function counts(day: Day): string[] {
  const by: Record<string, number> = {};
  for (const o of day.on) by[o.shift_type || "–"] = (by[o.shift_type || "–"] ?? 0) + 1;
  return Object.entries(by).map(([type, n]) => `${type} ${n}`);
}

function DayDetail({ day, names }: { day: Day; names: Map<number, string> }) {
  return (
    <section class="card" aria-labelledby="sp-day-title" data-testid="plan-day">
      <h2 id="sp-day-title">
        {dayName(day.date)}
        {day.holiday ? ` · ${holidayName(day.holiday)}` : ""}
      </h2>
      {day.on.length ? (
        <ul>
          {day.on.map((o, i) => (
            <li key={i}>
              {names.get(o.employee) ?? o.employee}: <strong>{o.shift_type}</strong> {o.start}–{o.end}
              {o.findings > 0 && <span class="error"> · {t("sp_ruleNote")}</span>}
            </li>
          ))}
        </ul>
      ) : (
        <p>{t("sp_nobodyOn")}</p>
      )}
      {day.absent.map((a, i) => (
        <p key={`a${i}`} class="muted">
          {t("sp_absentPerson", { name: names.get(a.employee) ?? String(a.employee), kind: kindName(a) })}
        </p>
      ))}
      {day.gaps.flatMap(gapText).map((text, i) => (
        <p key={`g${i}`} class="error">
          {text}
        </p>
      ))}
    </section>
  );
}

export function ShiftTwelveWeeks({ me }: { me: Me }) {
  const { units, unit, setUnit } = usePlanUnit(me);
  const [start, setStart] = useState(() => mondayOf(feltSync.fields.today()));
  const [picked, setPicked] = useState<string>("");
  const plan = useLoad(() => api.get<Plan>(`/api/shifts/units/${unit}/plan?start=${start}`), [unit, start]);
  const names = new Map((plan.data?.people ?? []).map((p) => [p.id, p.name]));
  const weeks = plan.data ? Array.from({ length: 12 }, (_, w) => plan.data!.days.slice(w * 7, w * 7 + 7)) : [];
  const chosen = plan.data?.days.find((d) => d.date === picked);

  return (
    <Page title={t("sp_twelveTitle")} back>
      <UnitPicker units={units} value={unit} onChange={setUnit} />
      <p class="row">
        <a class="btn" href="#/vagtplan">
          {t("sh_plan")}
        </a>
        <a class="btn" href="#/grundplan">
          {t("sp_basePlanTitle")}
        </a>
        <a class="btn" href="#/vagtplan-personer">
          {t("sp_peopleTitle")}
        </a>
      </p>
      <div class="row month-nav">
        <button type="button" class="btn btn-small" aria-label={t("sp_earlier")} onClick={() => setStart(addDays(start, -28))}>
          ←
        </button>
        <h2 class="month-name" aria-live="polite">
          {t("sp_fromWeek", { week: isoWeek(start).slice(6), last: isoWeek(addDays(start, 77)).slice(6) })} · {plan.data?.unit.name ?? ""}
        </h2>
        <button type="button" class="btn btn-small" aria-label={t("sp_later")} onClick={() => setStart(addDays(start, 28))}>
          →
        </button>
      </div>
      <Status loading={plan.loading && !plan.data} error={plan.error} onRetry={plan.reload} />
      {chosen && <DayDetail day={chosen} names={names} />}
      {plan.data && (
        <>
          {/* Focusable so a keyboard can scroll it sideways on a phone (WCAG 2.1.1). */}
          <div class="table-wrap" tabIndex={0} role="region" aria-labelledby="sp-weeks-caption" data-testid="plan-weeks-frame">
            <table class="plan-weeks plan-twelve" data-testid="plan-weeks">
              <caption id="sp-weeks-caption">{t("sp_weeksCaption")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("sp_weekCol")}</th>
                  {weeks[0].map((d) => (
                    <th scope="col" key={d.date}>
                      {dayName(d.date).split(" ")[0]}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {weeks.map((days) => (
                  <tr key={days[0].date}>
                    <th scope="row">{t("sh_week", { week: isoWeek(days[0].date).slice(6) })}</th>
                    {days.map((d) => {
                      const gaps = d.gaps.flatMap(gapText);
                      return (
                        <td key={d.date} class={gaps.length ? "gap" : ""} data-date={d.date}>
                          <button
                            type="button"
                            class="link-button"
                            aria-pressed={picked === d.date}
                            aria-label={t("sp_dayLabel", { day: dayName(d.date), on: d.on.length, gaps: gaps.length })}
                            onClick={() => setPicked(picked === d.date ? "" : d.date)}
                          >
                            {dayName(d.date).split(" ")[1]}
                          </button>
                          {d.holiday && <span class="muted"> {holidayName(d.holiday)}</span>}
                          {counts(d).map((c) => (
                            <span key={c} class="plan-count">
                              {c}
                            </span>
                          ))}
                          {d.absent.length > 0 && <span class="plan-count muted">{t("sp_absentCount", { count: d.absent.length })}</span>}
                          {gaps.map((g) => (
                            <span key={g} class="plan-count error">
                              {g}
                            </span>
                          ))}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h2 id="sp-balances-title">{t("sp_balancesTitle")}</h2>
          {/* Focusable so a keyboard can scroll it sideways on a phone (WCAG 2.1.1). */}
          <div class="table-wrap" tabIndex={0} role="region" aria-labelledby="sp-balances-title">
            <table class="plan-balances" data-testid="plan-balances">
              <thead>
                <tr>
                  <th scope="col">{t("sh_person")}</th>
                  <th scope="col">{t("sp_weeklyHours")}</th>
                  <th scope="col">{t("sp_soFar")}</th>
                  <th scope="col">{t("sp_atEnd")}</th>
                </tr>
              </thead>
              <tbody>
                {plan.data.people
                  .filter((p) => plan.data!.balances[String(p.id)])
                  .map((p) => {
                    const b = plan.data!.balances[String(p.id)];
                    return (
                      <tr key={p.id} class={b.outside_band ? "error" : ""}>
                        <th scope="row">{p.name}</th>
                        <td>{plainHours(p.weekly_minutes)}</td>
                        <td>{signedHours(b.balance_so_far)}</td>
                        <td>
                          {signedHours(b.projected)} {t("sp_band", { band: plainHours(b.band) })}
                        </td>
                      </tr>
                    );
                  })}
              </tbody>
            </table>
          </div>
        </>
      )}
    </Page>
  );
}
