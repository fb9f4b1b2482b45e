// The technician's list on the phone (offline too, through sync): the tasks assigned to them or their team,
// today's (due today or overdue) first, then the later ones, soonest due first, with the room, what is
// wrong, the property office's note; start, photograph the fix, mark done.
import { useState } from "preact/hooks";
import { feltSync, type LocalRecord } from "../data";
import { t } from "../i18n";
import { Page } from "./Layout";
import { showDate, str, useRecords } from "./records";
import { carriedText, categoryText, daysLeft, placeOf, REPORT, stateText, urgencyText } from "./facilityText";
import { useMyTeams } from "./facilityPlanning";
import { ReportPhotos } from "./FacilityMerge";
import type { ScreenProps } from "./workflows";

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

export function FacilityTasks({ me }: ScreenProps) {
  const rows = useRecords(REPORT) ?? [];
  // Mine: assigned to me, or to a team I am on (the list of my teams is kept on the phone for offline use).
  const teams = useMyTeams();
  const teamName = (id: unknown) => teams.find((x) => x.id === Number(id))?.name;
  const mine = rows
    .filter((r) => Number(r.fields.assignee) === Number(me.id) || (r.fields.team != null && !!teamName(r.fields.team)))
    .filter((r) => r.state === "planned" || r.state === "in_progress")
    .sort((a, b) => str(a.fields.due).localeCompare(str(b.fields.due)));
  const today = mine.filter((r) => (daysLeft(r.fields.due) ?? 1) <= 0);
  const later = mine.filter((r) => !today.includes(r));
  const group = (rows: LocalRecord[], title: string, id: string) =>
    rows.length > 0 && (
      <section aria-labelledby={id}>
        <h2 id={id}>{title}</h2>
        <ul class="cards">
          {rows.map((r) => (
            <li key={r.id} class="card">
              <Task r={r} team={teamName(r.fields.team)} />
            </li>
          ))}
        </ul>
      </section>
    );
  return (
    <Page title={t("fa_tasksTitle")} back>
      {!mine.length && <p>{t("fa_noTasks")}</p>}
      {group(today, t("ft_today", { n: today.length }), "ft-today")}
      {group(later, t("ft_later", { n: later.length }), "ft-later")}
    </Page>
  );
}

function Task({ r, team }: { r: LocalRecord; team?: string }) {
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const fixes = strings(r.fields.fix_photos);
  const d = daysLeft(r.fields.due);
  const id = r.id.slice(0, 8);
  // Steps not yet sent (offline in a basement): start, photograph and finish can all wait on the phone,
  // in order; only a finished task is out of the technician's hands.
  const started = r.state === "in_progress" || r.transitions.includes("start");
  const finished = r.transitions.includes("finish");

  async function addFix(files: FileList | null) {
    if (!files?.length) return;
    setBusy(true);
    try {
      const added: string[] = [];
      for (const file of Array.from(files).slice(0, 4 - fixes.length)) added.push(await feltSync.addPhoto(file));
      await feltSync.put(REPORT, r.id, { fix_photos: [...fixes, ...added] });
    } catch {
      setError(t("errorGeneric"));
    } finally {
      setBusy(false);
    }
  }

  async function finish() {
    if (!fixes.length) return setError(t("fa_needFixPhoto"));
    await feltSync.transition(REPORT, r.id, "finish");
  }

  return (
    <>
      <h3>{`${placeOf(r).room ?? ""} · ${placeOf(r).building ?? ""}`}</h3>
      <p>
        {categoryText(r.fields.category)} · {urgencyText(r.fields.urgency)} · <strong>{stateText(r.state)}</strong>
      </p>
      <p>{str(r.fields.text)}</p>
      <ReportPhotos id={r.id} />
      <p>
        {t("fa_due", { date: showDate(r.fields.due) })}
        {d !== null && d < 0 && <> <span class="mark">{t("fa_overdue")}</span></>}
        {d === 0 && <> <span class="mark">{t("ft_dueToday")}</span></>}
        {carriedText(r) && <> <span class="mark">{carriedText(r)}</span></>}
      </p>
      {team && <p class="muted">{t("fa_teamTask", { team })}</p>}
      {str(r.fields.internal_note) && <p class="note">{str(r.fields.internal_note)}</p>}
      {r.transitions.length > 0 && <p class="muted">{t("fa_sending")}</p>}
      {!finished && (
        <div class="stack">
          {!started && (
            <button type="button" class="btn btn-big" onClick={() => void feltSync.transition(REPORT, r.id, "start")}>
              {t("fa_start")}
            </button>
          )}
          <div class="field">
            <label for={`fix-${id}`}>{fixes.length ? t("fa_fixMore", { n: fixes.length }) : t("fa_fixPhoto")}</label>
            <input
              id={`fix-${id}`}
              type="file"
              accept="image/*"
              capture="environment"
              disabled={busy || fixes.length >= 4}
              onChange={(e) => void addFix(e.currentTarget.files)}
            />
          </div>
          <div role="alert">{error && <p class="error">{error}</p>}</div>
          <button type="button" class="btn btn-primary btn-big" disabled={busy} onClick={() => void finish()}>
            {t("fa_finish")}
          </button>
        </div>
      )}
    </>
  );
}
