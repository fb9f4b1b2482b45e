// The overview of deadlines (desktop and tablet): the planned and running tasks counted per building and per
// team (and per technician working alone) as overdue, due within a week, later, or without a due date.
import type { LocalRecord } from "../data";
import { t } from "../i18n";
import { daysLeft, placeOf } from "./facilityText";
import type { Person, Team } from "./facilityPlanning";

type Bucket = "overdue" | "week" | "later" | "none";

/** Which column a due date falls in: overdue (before today), within 7 days, later, or none. */
export function bucketOf(due: unknown, today = new Date()): Bucket {
  const d = daysLeft(due, today);
  return d === null ? "none" : d < 0 ? "overdue" : d <= 7 ? "week" : "later";
}

function count(rows: LocalRecord[], key: (r: LocalRecord) => string): [string, Record<Bucket, number>][] {
  const out = new Map<string, Record<Bucket, number>>();
  for (const r of rows) {
    const k = key(r);
    const c = out.get(k) ?? { overdue: 0, week: 0, later: 0, none: 0 };
    c[bucketOf(r.fields.due)] += 1;
    out.set(k, c);
  }
  return [...out.entries()].sort(([a], [b]) => a.localeCompare(b));
}

function Table({ caption, head, rows, testid }: { caption: string; head: string; rows: [string, Record<Bucket, number>][]; testid: string }) {
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label={caption}>
      <table class="fa-overview" data-testid={testid}>
        <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{head}</th>
          <th scope="col">{t("fa_overdue")}</th>
          <th scope="col">{t("fa_thisWeek")}</th>
          <th scope="col">{t("fa_later")}</th>
          <th scope="col">{t("fa_noDue")}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([name, c]) => (
          <tr key={name}>
            <th scope="row">{name}</th>
            <td class={c.overdue ? "mark" : undefined}>{c.overdue}</td>
            <td>{c.week}</td>
            <td>{c.later}</td>
            <td>{c.none}</td>
          </tr>
        ))}
      </tbody>
      </table>
    </div>
  );
}

export function FacilityDeadlines({ running, teams, people }: { running: LocalRecord[]; teams: Team[]; people: Person[] }) {
  const teamName = (id: unknown) => teams.find((x) => x.id === Number(id))?.name;
  const personName = (id: unknown) => people.find((p) => p.id === Number(id))?.name ?? String(id);
  const holder = (r: LocalRecord) =>
    r.fields.team != null ? (teamName(r.fields.team) ?? t("fa_team")) : r.fields.assignee != null ? personName(r.fields.assignee) : t("fa_nobody");
  return (
    <div class="fa-deadlines">
      <Table caption={t("fa_perBuilding")} head={t("fa_building")} rows={count(running, (r) => placeOf(r).building ?? "")} testid="fa-per-building" />
      <Table caption={t("fa_perTeam")} head={t("fa_teamOrTechnician")} rows={count(running, holder)} testid="fa-per-team" />
    </div>
  );
}
