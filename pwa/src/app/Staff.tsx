import { useState } from "preact/hooks";
import { api, type Me, type StaffMember, type Unit } from "../api";
import { grantText, t } from "../i18n";
import { useLoad } from "./hooks";
import { Page, Status } from "./Layout";

/** The units whose staff I may see (the server decides), indented below their nearest listed parent. */
export function withDepth(units: Unit[]): { unit: Unit; depth: number }[] {
  const depth = new Map<string, number>();
  return units.map((unit) => {
    // The server lists units in tree order, so a parent's depth is known before its children's.
    const parent = unit.parent_id == null ? undefined : depth.get(String(unit.parent_id));
    const d = parent === undefined ? 0 : parent + 1;
    depth.set(String(unit.id), d);
    return { unit, depth: d };
  });
}

function StaffList({ unit }: { unit: Unit }) {
  const staff = useLoad(() => api.get<StaffMember[]>(`/api/units/${encodeURIComponent(unit.id)}/staff`), [unit.id]);
  return (
    <section aria-labelledby="staff-title">
      <h2 id="staff-title">{t("staffIn", { unit: unit.name })}</h2>
      <Status loading={staff.loading} error={staff.error} onRetry={staff.reload} />
      {staff.data && !staff.data.length && <p>{t("noStaff")}</p>}
      <ul class="cards">
        {staff.data?.map((p) => (
          <li key={p.id} class="card">
            <p class="person-name">{p.name}</p>
            {p.roles && p.roles.length > 0 && (
              <ul class="plain">
                {p.roles.map((r) => (
                  <li key={`${r.role}-${r.unit_id}`}>{grantText(r)}</li>
                ))}
              </ul>
            )}
            {p.email && (
              <p>
                <a href={`mailto:${p.email}`}>{p.email}</a>
              </p>
            )}
            {p.employee_number && (
              <p class="muted">
                {t("employeeNumber")}: {p.employee_number}
              </p>
            )}
            {p.active === false && <p class="muted">{t("inactive")}</p>}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function Staff({ me }: { me: Me }) {
  const units = useLoad(() => api.get<Unit[]>("/api/units?access=view_staff"), []);
  const mine = units.data ? withDepth(units.data) : [];
  const [chosen, setChosen] = useState<string | null>(null);
  // Start with my own unit when I may see it, else the first: the list shows at once, no extra step.
  const unit =
    mine.find((m) => String(m.unit.id) === chosen)?.unit ??
    mine.find((m) => String(m.unit.id) === String(me.unit?.id))?.unit ??
    mine[0]?.unit;
  return (
    <Page title={t("area_staff")} back>
      <Status loading={units.loading} error={units.error} onRetry={units.reload} />
      {units.data && !mine.length && <p>{t("noUnits")}</p>}
      {mine.length > 1 && (
        <div class="field">
          <label for="unit">{t("chooseUnit")}</label>
          <select id="unit" value={String(unit?.id)} onChange={(e) => setChosen(e.currentTarget.value)}>
            {mine.map(({ unit: u, depth }) => (
              <option key={u.id} value={String(u.id)}>
                {"\u2003".repeat(depth)}
                {u.name}
              </option>
            ))}
          </select>
        </div>
      )}
      {unit && <StaffList unit={unit} />}
    </Page>
  );
}
