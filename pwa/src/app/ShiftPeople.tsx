// People on the unit's rota, for its planners and leaders: each person's weekly hours (part time gives a
// pro-rata norm) and competences (a shift needing one is only given, offered or swapped to holders), and
// absences (ferie, sygdom, omsorgsdag, kursus) with the shifts they clash with, said in words.
import { useState } from "preact/hooks";
import { api, type Me } from "../api";
import { feltSync } from "../data";
import { lang, t } from "../i18n";
import { errorText, useLoad } from "./hooks";
import { Page, Status } from "./Layout";
import { ABSENCE_KINDS, absenceSpan, kindName, plainHours, type Absence } from "./planText";
import { UnitPicker, usePlanUnit } from "./UnitPicker";

interface Person {
  employee: number;
  name: string;
  weekly_minutes: number;
  competences: string[];
}

function PersonCard({ unit, person, saved }: { unit: number; person: Person; saved: () => void }) {
  const [hours, setHours] = useState(plainHours(person.weekly_minutes));
  const [held, setHeld] = useState(person.competences.join(", "));
  const [message, setMessage] = useState("");
  const [busy, setBusy] = useState(false);

  async function save(e: Event) {
    e.preventDefault();
    setBusy(true);
    setMessage("");
    try {
      await api.put(`/api/shifts/units/${unit}/people`, {
        employee: person.employee,
        weekly_minutes: Math.round(Number(hours.replace(",", ".")) * 60) || 0,
        competences: held.split(",").map((c) => c.trim()).filter(Boolean),
      });
      setMessage(t("sp_personSaved"));
      saved();
    } catch (err) {
      setMessage(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <li class="card">
      <form onSubmit={save} aria-label={person.name}>
        <p class="person-name">{person.name}</p>
        <div class="row plan-fields">
          <label>
            {t("sp_weeklyHours")}
            <input type="text" inputMode="decimal" value={hours} placeholder={t("sp_weeklyHoursHint")} onInput={(e) => setHours((e.target as HTMLInputElement).value)} />
          </label>
          <label>
            {t("sp_competences")}
            <input type="text" value={held} placeholder={t("sp_competencesHint")} onInput={(e) => setHeld((e.target as HTMLInputElement).value)} />
          </label>
        </div>
        {message && <p role="status">{message}</p>}
        <button type="submit" class="btn" disabled={busy}>
          {t("sp_personSave", { name: person.name })}
        </button>
      </form>
    </li>
  );
}

function AbsenceForm({ unit, people, saved }: { unit: number; people: Person[]; saved: () => void }) {
  const today = feltSync.fields.today();
  const [employee, setEmployee] = useState(people[0]?.employee ?? 0);
  const [kind, setKind] = useState<string>("ferie");
  const [first, setFirst] = useState(today);
  const [last, setLast] = useState(today);
  const [id, setId] = useState(() => feltSync.newId());
  const [messages, setMessages] = useState<string[]>([]);
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  async function save(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError("");
    setMessages([]);
    try {
      const done = await api.post<Absence & { clashes: { da: string; en: string; date: string }[] }>(`/api/shifts/units/${unit}/absences`, {
        id,
        employee: employee || people[0]?.employee,
        kind,
        first,
        last,
      });
      setMessages([t("sp_absenceSaved"), ...done.clashes.map((c) => t("sp_clash", { date: c.date, words: lang === "en" ? c.en : c.da }))]);
      setId(feltSync.newId());
      saved();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="card" onSubmit={save} aria-labelledby="sp-abs-title">
      <h2 id="sp-abs-title">{t("sp_absenceNew")}</h2>
      <div class="row plan-fields">
        <label>
          {t("sh_person")}
          <select value={employee} onChange={(e) => setEmployee(Number((e.target as HTMLSelectElement).value))}>
            {people.map((p) => (
              <option key={p.employee} value={p.employee}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("sp_absenceKind")}
          <select value={kind} onChange={(e) => setKind((e.target as HTMLSelectElement).value)}>
            {ABSENCE_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`sp_kind_${k}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("sp_from")}
          <input type="date" required value={first} onInput={(e) => setFirst((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          {t("sp_to")}
          <input type="date" required value={last} onInput={(e) => setLast((e.target as HTMLInputElement).value)} />
        </label>
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {messages.map((m) => (
        <p key={m} role="status" data-testid="absence-message">
          {m}
        </p>
      ))}
      <button type="submit" class="btn btn-primary btn-big" disabled={busy}>
        {t("sp_absenceSave")}
      </button>
    </form>
  );
}

export function ShiftPeople({ me }: { me: Me }) {
  const { units, unit, setUnit } = usePlanUnit(me);
  const people = useLoad(() => api.get<Person[]>(`/api/shifts/units/${unit}/people`), [unit]);
  const absences = useLoad(() => api.get<Absence[]>(`/api/shifts/units/${unit}/absences`), [unit]);
  const names = new Map((people.data ?? []).map((p) => [p.employee, p.name]));

  const [removeError, setRemoveError] = useState("");
  async function remove(id: string) {
    setRemoveError("");
    try {
      await api.delete(`/api/shifts/units/${unit}/absences/${id}`);
      absences.reload();
    } catch (err) {
      setRemoveError(errorText(err)); // e.g. offline: said in words, the absence stays listed
    }
  }

  return (
    <Page title={t("sp_peopleTitle")} back>
      <UnitPicker units={units} value={unit} onChange={setUnit} />
      <Status loading={people.loading && !people.data} error={people.error} onRetry={people.reload} />
      {people.data && <AbsenceForm key={unit} unit={unit} people={people.data} saved={absences.reload} />}
      <section aria-labelledby="sp-abslist-title">
        <h2 id="sp-abslist-title">{t("sp_absencesTitle")}</h2>
        {removeError && (
          <p class="error" role="alert">
            {removeError}
          </p>
        )}
        {absences.data && !absences.data.length && <p>{t("sp_noAbsences")}</p>}
        <ul class="cards" data-testid="absences">
          {(absences.data ?? []).map((a) => (
            <li key={a.id} class="card">
              <p class="person-name">
                {names.get(a.employee) ?? a.employee}: {kindName(a)}
              </p>
              <p>{absenceSpan(a)}</p>
              <button
                type="button"
                class="btn"
                aria-label={t("su_absenceDeleteFor", { name: names.get(a.employee) ?? String(a.employee), kind: kindName(a), span: absenceSpan(a) })}
                onClick={() => void remove(a.id)}
              >
                {t("sp_absenceDelete")}
              </button>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="sp-people-title">
        <h2 id="sp-people-title">{t("sp_termsTitle")}</h2>
        <ul class="cards" data-testid="shift-people">
          {(people.data ?? []).map((p) => (
            <PersonCard key={`${unit}/${p.employee}`} unit={unit} person={p} saved={people.reload} />
          ))}
        </ul>
      </section>
    </Page>
  );
}
