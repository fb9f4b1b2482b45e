// The property office's board (ejendomskontoret; desktop and tablet): new reports by building, urgent and
// oldest first; assign each to a technician with a priority and a due date (offline too: sync), or reject
// with a reason; then the planned and running work with its deadlines (overdue, due this week); last the
// recently closed reports (done with the photo of the fix, or rejected with the reason).
import { useState } from "preact/hooks";
import { api } from "../api";
import type { LocalRecord } from "../data";
import { feltSync } from "../data";
import { t } from "../i18n";
import { errorText } from "./hooks";
import { Page } from "./Layout";
import { showDate, str, useRecords } from "./records";
import { carriedText, categoryText, daysLeft, isRecurring, isRepeat, placeOf, REPORT, stateText, URGENT_FIRST, urgencyText } from "./facilityText";
import { FacilityDeadlines } from "./FacilityDeadlines";
import { type Person, type Team, useTeams, useTechnicians } from "./facilityPlanning";
import type { ScreenProps } from "./workflows";
import { MergeInto, ReportPhotos } from "./FacilityMerge";

/** How many of the latest closed reports the board shows. */
const CLOSED_SHOWN = 10;

const byBuilding = (rows: LocalRecord[]): [string, LocalRecord[]][] => {
  const groups = new Map<string, LocalRecord[]>();
  for (const r of rows) groups.set(placeOf(r).building ?? "", [...(groups.get(placeOf(r).building ?? "") ?? []), r]);
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b));
};

export function FacilityTriage(_: ScreenProps) {
  const rows = useRecords(REPORT) ?? [];
  const people = useTechnicians();
  const [teams] = useTeams();
  const [place, setPlace] = useState("");
  const [urgencyFilter, setUrgencyFilter] = useState("");
  const [newestFirst, setNewestFirst] = useState(false);
  const name = (id: unknown) =>
    id == null ? "" : (people.find((p) => p.id === Number(id))?.name ?? str(id));
  const holder = (r: LocalRecord) =>
    [teams.find((x) => x.id === Number(r.fields.team))?.name, name(r.fields.assignee)].filter(Boolean).join(" · ");
  const age = (a: LocalRecord, b: LocalRecord) => str(a.updated_at).localeCompare(str(b.updated_at)) * (newestFirst ? -1 : 1);
  const buildings = [...new Set(rows.map((r) => placeOf(r).building ?? ""))].filter(Boolean).sort();
  const fresh = rows
    .filter((r) => r.state === "received" && !r.transitions.length)
    .filter((r) => (!place || placeOf(r).building === place) && (!urgencyFilter || str(r.fields.urgency) === urgencyFilter))
    .sort((a, b) => (URGENT_FIRST[str(a.fields.urgency)] ?? 1) - (URGENT_FIRST[str(b.fields.urgency)] ?? 1) || age(a, b));
  const running = rows
    .filter((r) => r.state === "planned" || r.state === "in_progress" || r.transitions.length)
    .sort((a, b) => str(a.fields.due).localeCompare(str(b.fields.due)));
  const closed = rows
    .filter((r) => (r.state === "done" || r.state === "rejected") && !r.transitions.length)
    .sort((a, b) => str(b.updated_at).localeCompare(str(a.updated_at)))
    .slice(0, CLOSED_SHOWN);
  const overdue = running.filter((r) => (daysLeft(r.fields.due) ?? 1) < 0).length;
  const thisWeek = running.filter((r) => {
    const d = daysLeft(r.fields.due);
    return d !== null && d >= 0 && d <= 7;
  }).length;

  return (
    <Page title={t("fa_triageTitle")} back>
      <p>
        <a href="#/ejendom/bygninger">{t("fa_buildingsTitle")}</a> · <a href="#/ejendom/planlaegning">{t("fa_planningTitle")}</a>
      </p>
      <fieldset class="fa-filters">
        <legend>{t("fa_filter")}</legend>
        <div class="field">
          <label for="fa-f-building">{t("fa_building")}</label>
          <select id="fa-f-building" value={place} onChange={(e) => setPlace(e.currentTarget.value)}>
            <option value="">{t("fa_all")}</option>
            {buildings.map((b) => (
              <option key={b} value={b}>
                {b}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="fa-f-urgency">{t("fa_urgencyShort")}</label>
          <select id="fa-f-urgency" value={urgencyFilter} onChange={(e) => setUrgencyFilter(e.currentTarget.value)}>
            <option value="">{t("fa_all")}</option>
            {(["urgent", "normal", "low"] as const).map((u) => (
              <option key={u} value={u}>
                {urgencyText(u)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="fa-f-age">{t("fa_age")}</label>
          <select id="fa-f-age" value={newestFirst ? "new" : "old"} onChange={(e) => setNewestFirst(e.currentTarget.value === "new")}>
            <option value="old">{t("fa_oldestFirst")}</option>
            <option value="new">{t("fa_newestFirst")}</option>
          </select>
        </div>
      </fieldset>
      <h2>{t("fa_new", { n: fresh.length })}</h2>
      {!fresh.length && <p>{t("fa_noneNew")}</p>}
      {byBuilding(fresh).map(([building, list]) => (
        <section key={building} aria-label={building}>
          <h3>{building}</h3>
          <ul class="cards">
            {list.map((r) => (
              <li key={r.id} class="card">
                <NewReport r={r} people={people} teams={teams} others={[...fresh, ...running]} />
              </li>
            ))}
          </ul>
        </section>
      ))}
      <h2>{t("fa_running")}</h2>
      <p>{t("fa_deadlines", { overdue, week: thisWeek })}</p>
      <FacilityDeadlines running={running} teams={teams} people={people} />
      <ul class="cards">
        {running.map((r) => {
          const d = daysLeft(r.fields.due);
          return (
            <li key={r.id} class="card">
              <p>
                <strong>{`${placeOf(r).room ?? ""} · ${placeOf(r).building ?? ""}`}</strong> · {categoryText(r.fields.category)}
              </p>
              <p>
                {stateText(r.state)} · {holder(r)} · {t("fa_due", { date: showDate(r.fields.due) })}
                {d !== null && d < 0 && <> <span class="mark">{t("fa_overdue")}</span></>}
                {carriedText(r) && <> <span class="mark">{carriedText(r)}</span></>}
                {isRecurring(r) && <span class="muted"> · {t("fa_recurringTag")}</span>}
              </p>
            </li>
          );
        })}
      </ul>
      <section aria-labelledby="ft-closed">
        <h2 id="ft-closed">{t("ft_closed", { n: closed.length })}</h2>
        {!closed.length && <p>{t("ft_noneClosed")}</p>}
        <ul class="cards">
          {closed.map((r) => (
            <li key={r.id} class="card">
              <p>
                <strong>{`${placeOf(r).room ?? ""} · ${placeOf(r).building ?? ""}`}</strong> · {categoryText(r.fields.category)}
              </p>
              <p>{str(r.fields.text)}</p>
              <p>
                <strong>{stateText(r.state)}</strong> · {showDate(str(r.updated_at).slice(0, 10))}
                {holder(r) && ` · ${holder(r)}`}
              </p>
              {r.state === "rejected" && closedReason(r) && <p>{t("fa_reason", { reason: closedReason(r) })}</p>}
              {r.state === "done" && <ReportPhotos id={r.id} />}
            </li>
          ))}
        </ul>
      </section>
    </Page>
  );
}

/** A rejected report's reason: the note of its last rejection step (what its reporter was told). */
const closedReason = (r: LocalRecord): string =>
  str([...(r.server?.history ?? [])].reverse().find((h) => h.state === "rejected")?.note);

function NewReport({ r, people, teams, others }: { r: LocalRecord; people: Person[]; teams: Team[]; others: LocalRecord[] }) {
  const [assignee, setAssignee] = useState("");
  const [team, setTeam] = useState("");
  const [due, setDue] = useState("");
  const [priority, setPriority] = useState("normal");
  const [note, setNote] = useState("");
  const [reason, setReason] = useState("");
  const [rejecting, setRejecting] = useState(false);
  const [error, setError] = useState("");
  const id = r.id.slice(0, 8);

  async function plan(e: Event) {
    e.preventDefault();
    if ((!assignee && !team) || !due) return setError(t("fa_needPlan"));
    await feltSync.put(REPORT, r.id, {
      assignee: assignee ? Number(assignee) : null,
      team: team ? Number(team) : null,
      due,
      priority,
      internal_note: note.trim(),
    });
    await feltSync.transition(REPORT, r.id, "plan");
  }

  async function reject() {
    if (!reason.trim()) return setError(t("fa_needReason"));
    try {
      await api.post(`/api/inbox/${REPORT}/reject`, { ids: [r.id], note: reason.trim() });
      await feltSync.syncNow();
    } catch (e) {
      setError(errorText(e));
    }
  }

  return (
    <>
      <p>
        <strong>{placeOf(r).room}</strong> · {categoryText(r.fields.category)} · {urgencyText(r.fields.urgency)}
        {isRepeat(r) && <> <span class="mark">{t("fa_repeat")}</span></>}
      </p>
      <p>{str(r.fields.text)}</p>
      <ReportPhotos id={r.id} />
      <MergeInto r={r} others={others} />
      <p class="muted">{t("fa_reportedAt", { date: showDate(str(r.updated_at).slice(0, 10)) })}</p>
      <form onSubmit={(e) => void plan(e)} noValidate>
        <div class="field">
          <label for={`tech-${id}`}>{t("fa_technician")}</label>
          <select id={`tech-${id}`} value={assignee} onChange={(e) => setAssignee(e.currentTarget.value)}>
            <option value="">{t("fa_choose")}</option>
            {people.map((p) => (
              <option key={p.id} value={String(p.id)}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for={`team-${id}`}>{t("fa_team")}</label>
          <select id={`team-${id}`} value={team} onChange={(e) => setTeam(e.currentTarget.value)}>
            <option value="">{t("fa_choose")}</option>
            {teams
              .filter((x) => x.active)
              .map((x) => (
                <option key={x.id} value={String(x.id)}>
                  {x.name}
                </option>
              ))}
          </select>
        </div>
        <div class="field">
          <label for={`due-${id}`}>{t("fa_dueLabel")}</label>
          <input id={`due-${id}`} type="date" value={due} onInput={(e) => setDue(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for={`prio-${id}`}>{t("fa_priority")}</label>
          <select id={`prio-${id}`} value={priority} onChange={(e) => setPriority(e.currentTarget.value)}>
            {(["high", "normal", "low"] as const).map((p) => (
              <option key={p} value={p}>
                {t(`fa_priority_${p}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for={`note-${id}`}>{t("fa_internalNote")}</label>
          <textarea id={`note-${id}`} rows={2} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
        </div>
        <div role="alert">{error && <p class="error">{error}</p>}</div>
        <button type="submit" class="btn btn-primary">
          {t("fa_plan")}
        </button>
        {rejecting ? (
          <div class="field">
            <label for={`reason-${id}`}>{t("fa_rejectReason")}</label>
            <textarea id={`reason-${id}`} rows={2} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
            <button type="button" class="btn" onClick={() => void reject()}>
              {t("fa_rejectConfirm")}
            </button>
          </div>
        ) : (
          <button type="button" class="btn" onClick={() => setRejecting(true)}>
            {t("fa_reject")}
          </button>
        )}
      </form>
    </>
  );
}
