// The property office's planning (desktop and tablet): technician teams and their members, recurring tasks
// (every N days/weeks/months/years in a building or room; the server makes each occurrence as a task), and the
// municipality's categories (add, rename, retire: a retired one stays on the reports that carry it).
import { useEffect, useState } from "preact/hooks";
import { api } from "../api";
import { lang, t } from "../i18n";
import { errorText } from "./hooks";
import { Page, Status } from "./Layout";
import { type CategoryRow, type Team, useCategories, useTeams, useTechnicians } from "./facilityPlanning";
import { showDate } from "./records";
import type { ScreenProps } from "./workflows";

interface Building {
  id: number;
  name: string;
  rooms: { id: number; name: string }[];
}
interface Schedule {
  id: number;
  building_id: number;
  room_id: number | null;
  title: string;
  category: string;
  every: number;
  unit: Unit;
  start: string;
  team_id: number | null;
  assignee: number | null;
  active: boolean;
}
const UNITS = ["days", "weeks", "months", "years"] as const;
type Unit = (typeof UNITS)[number];

export function FacilityPlanning(_: ScreenProps) {
  const [error, setError] = useState("");
  const [message, setMessage] = useState("");
  const report = (e: unknown) => (setMessage(""), setError(typeof e === "string" ? e : errorText(e)));
  const said = (m: string) => (setError(""), setMessage(m));
  return (
    <Page title={t("fa_planningTitle")} back>
      <p>
        <a href="#/ejendom">{t("fa_triageTitle")}</a>
      </p>
      <Status error={error} />
      <p role="status">{message}</p>
      <Teams onError={report} onSaved={said} />
      <Recurring onError={report} onSaved={said} />
      <Categories onError={report} onSaved={said} />
    </Page>
  );
}

interface Feedback {
  onError: (e: unknown) => void;
  onSaved: (m: string) => void;
}

function Teams({ onError, onSaved }: Feedback) {
  const people = useTechnicians();
  const [teams, keep] = useTeams();
  const [editing, setEditing] = useState<Team | null>(null);
  const [name, setName] = useState("");
  const [members, setMembers] = useState<number[]>([]);
  const open = (x: Team | null) => (setEditing(x), setName(x?.name ?? ""), setMembers(x?.members ?? []));

  async function save(e: Event) {
    e.preventDefault();
    if (!name.trim()) return onError(t("fa_teamNameNeeded"));
    try {
      const saved = await api.put<Team>("/api/facility/teams", { id: editing?.id ?? null, name: name.trim(), members, active: true });
      keep([...teams.filter((x) => x.id !== saved.id), saved].sort((a, b) => a.name.localeCompare(b.name)));
      onSaved(t("fa_teamSaved", { name: saved.name }));
      open(null);
    } catch (err) {
      onError(err);
    }
  }

  const who = (ids: number[]) => ids.map((i) => people.find((p) => p.id === i)?.name ?? String(i)).join(", ") || t("fa_noMembers");
  return (
    <section aria-labelledby="fa-teams">
      <h2 id="fa-teams">{t("fa_teams")}</h2>
      <ul class="cards">
        {teams.map((x) => (
          <li key={x.id} class="card">
            <p>
              <strong>{x.name}</strong>
            </p>
            <p>{who(x.members)}</p>
            <button type="button" class="btn" onClick={() => open(x)}>
              {t("fa_edit")}
            </button>
          </li>
        ))}
      </ul>
      <form onSubmit={(e) => void save(e)} noValidate class="card">
        <h3>{editing ? t("fa_editTeam", { name: editing.name }) : t("fa_newTeam")}</h3>
        <div class="field">
          <label for="fa-team-name">{t("fa_teamName")}</label>
          <input id="fa-team-name" value={name} maxLength={120} onInput={(e) => setName(e.currentTarget.value)} />
        </div>
        <fieldset>
          <legend>{t("fa_members")}</legend>
          {people.map((p) => (
            <label key={p.id} class="check">
              <input
                type="checkbox"
                checked={members.includes(p.id)}
                onChange={(e) => setMembers(e.currentTarget.checked ? [...members, p.id] : members.filter((m) => m !== p.id))}
              />{" "}
              {p.name}
            </label>
          ))}
        </fieldset>
        <button type="submit" class="btn btn-primary">
          {t("fa_saveTeam")}
        </button>
      </form>
    </section>
  );
}

const everyText = (s: Pick<Schedule, "every" | "unit">) => t("fa_everyText", { n: s.every, unit: t(`fa_unit_${s.unit}`) });

function Recurring({ onError, onSaved }: Feedback) {
  const people = useTechnicians();
  const [teams] = useTeams();
  const [cats] = useCategories();
  const [buildings, setBuildings] = useState<Building[]>([]);
  const [list, setList] = useState<Schedule[]>([]);
  const [form, setForm] = useState({ building: "", room: "", title: "", category: "", every: "1", unit: "years" as Unit, start: "", team: "", assignee: "" });
  const set = (k: keyof typeof form) => (e: { currentTarget: { value: string } }) => setForm({ ...form, [k]: e.currentTarget.value });
  useEffect(() => {
    api.get<Building[]>("/api/facility/buildings").then(setBuildings, onError);
    api.get<Schedule[]>("/api/facility/recurring").then(setList, onError);
  }, []);
  const building = buildings.find((b) => b.id === Number(form.building));
  const where = (s: Schedule) => {
    const b = buildings.find((x) => x.id === s.building_id);
    return [b?.rooms.find((r) => r.id === s.room_id)?.name, b?.name].filter(Boolean).join(" · ");
  };
  const holder = (s: Schedule) =>
    teams.find((x) => x.id === s.team_id)?.name ?? people.find((p) => p.id === s.assignee)?.name ?? t("fa_nobody");

  async function save(e: Event) {
    e.preventDefault();
    if (!form.building || !form.title.trim() || !form.category || !form.start) return onError(t("fa_recurringNeeded"));
    try {
      const saved = await api.put<Schedule>("/api/facility/recurring", {
        building_id: Number(form.building),
        room_id: form.room ? Number(form.room) : null,
        title: form.title.trim(),
        category: form.category,
        every: Number(form.every),
        unit: form.unit,
        start: form.start,
        team_id: form.team ? Number(form.team) : null,
        assignee: form.assignee ? Number(form.assignee) : null,
      });
      setList([...list.filter((s) => s.id !== saved.id), saved]);
      onSaved(t("fa_recurringSaved", { title: saved.title }));
    } catch (err) {
      onError(err);
    }
  }

  return (
    <section aria-labelledby="fa-recurring">
      <h2 id="fa-recurring">{t("fa_recurring")}</h2>
      <p class="muted">{t("fa_recurringHint")}</p>
      <ul class="cards">
        {list.map((s) => (
          <li key={s.id} class="card">
            <p>
              <strong>{s.title}</strong> · {where(s)}
            </p>
            <p>
              {everyText(s)} · {t("fa_from", { date: showDate(s.start) })} · {holder(s)}
            </p>
          </li>
        ))}
      </ul>
      <form onSubmit={(e) => void save(e)} noValidate class="card">
        <h3>{t("fa_newRecurring")}</h3>
        <div class="field">
          <label for="fa-r-title">{t("fa_recurringTitle")}</label>
          <input id="fa-r-title" value={form.title} maxLength={200} onInput={set("title")} />
        </div>
        <div class="field">
          <label for="fa-r-building">{t("fa_building")}</label>
          <select id="fa-r-building" value={form.building} onChange={set("building")}>
            <option value="">{t("fa_choose")}</option>
            {buildings.map((b) => (
              <option key={b.id} value={String(b.id)}>
                {b.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="fa-r-room">{t("fa_roomOptional")}</label>
          <select id="fa-r-room" value={form.room} onChange={set("room")}>
            <option value="">{t("fa_wholeBuilding")}</option>
            {(building?.rooms ?? []).map((r) => (
              <option key={r.id} value={String(r.id)}>
                {r.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="fa-r-category">{t("fa_categoryShort")}</label>
          <select id="fa-r-category" value={form.category} onChange={set("category")}>
            <option value="">{t("fa_choose")}</option>
            {cats
              .filter((c) => !c.retired)
              .map((c) => (
                <option key={c.key} value={c.key}>
                  {lang === "en" ? c.en : c.da}
                </option>
              ))}
          </select>
        </div>
        <div class="field">
          <label for="fa-r-every">{t("fa_every")}</label>
          <input id="fa-r-every" type="number" min={1} max={1000} inputMode="numeric" value={form.every} onInput={set("every")} />
        </div>
        <div class="field">
          <label for="fa-r-unit">{t("fa_unit")}</label>
          <select id="fa-r-unit" value={form.unit} onChange={set("unit")}>
            {UNITS.map((u) => (
              <option key={u} value={u}>
                {t(`fa_unit_${u}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="fa-r-start">{t("fa_firstDue")}</label>
          <input id="fa-r-start" type="date" value={form.start} onInput={set("start")} />
        </div>
        <div class="field">
          <label for="fa-r-team">{t("fa_team")}</label>
          <select id="fa-r-team" value={form.team} onChange={set("team")}>
            <option value="">{t("fa_choose")}</option>
            {teams.map((x) => (
              <option key={x.id} value={String(x.id)}>
                {x.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="fa-r-tech">{t("fa_technician")}</label>
          <select id="fa-r-tech" value={form.assignee} onChange={set("assignee")}>
            <option value="">{t("fa_choose")}</option>
            {people.map((p) => (
              <option key={p.id} value={String(p.id)}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="btn btn-primary">
          {t("fa_saveRecurring")}
        </button>
      </form>
    </section>
  );
}

function Categories({ onError, onSaved }: Feedback) {
  const [cats, keep] = useCategories();
  const [da, setDa] = useState("");
  const [en, setEn] = useState("");

  async function put(c: CategoryRow) {
    try {
      keep(await api.put<CategoryRow[]>("/api/facility/categories", c));
      onSaved(t("fa_categorySaved", { name: lang === "en" ? c.en : c.da }));
    } catch (err) {
      onError(err);
    }
  }

  function add(e: Event) {
    e.preventDefault();
    if (!da.trim() || !en.trim()) return onError(t("fa_categoryNeeded"));
    const key =
      da
        .trim()
        .toLowerCase()
        .replace(/æ/g, "ae")
        .replace(/ø/g, "oe")
        .replace(/å/g, "aa")
        .replace(/[^a-z0-9]+/g, "_")
        .replace(/^_|_$/g, "")
        .slice(0, 40) || "category";
    void put({ key, da: da.trim(), en: en.trim(), retired: false }).then(() => (setDa(""), setEn("")));
  }

  return (
    <section aria-labelledby="fa-categories">
      <h2 id="fa-categories">{t("fa_categories")}</h2>
      <p class="muted">{t("fa_categoriesHint")}</p>
      <ul class="cards">
        {cats.map((c) => (
          <li key={c.key} class="card">
            <p>
              <strong>{lang === "en" ? c.en : c.da}</strong> {c.retired && <span class="mark">{t("fa_retired")}</span>}
            </p>
            <button type="button" class="btn" onClick={() => void put({ ...c, retired: !c.retired })}>
              {c.retired ? t("fa_restore") : t("fa_retire")}
            </button>
          </li>
        ))}
      </ul>
      <form onSubmit={add} noValidate class="card">
        <h3>{t("fa_newCategory")}</h3>
        <div class="field">
          <label for="fa-c-da">{t("fa_nameDa")}</label>
          <input id="fa-c-da" value={da} maxLength={80} onInput={(e) => setDa(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="fa-c-en">{t("fa_nameEn")}</label>
          <input id="fa-c-en" value={en} maxLength={80} onInput={(e) => setEn(e.currentTarget.value)} />
        </div>
        <button type="submit" class="btn btn-primary">
          {t("fa_addCategory")}
        </button>
      </form>
    </section>
  );
}
