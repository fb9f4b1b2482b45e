// Stand-ins (stedfortrædere): a leader names someone to decide for them over a date range (a holiday). New
// items then wait for the stand-in, who decides "on behalf of" the leader, never about their own items. Once a
// period has started only its end date can change; before that it can be withdrawn (the server's rules).
import { useState } from "preact/hooks";
import { api, type Me } from "../api";
import { t } from "../i18n";
import { errorText, useLoad } from "./hooks";
import { keptGet } from "./kept";
import { Status } from "./Layout";
import { showDate } from "./records";

interface Period {
  id: number;
  unit_name: string;
  leader_id: number;
  leader_name: string;
  stand_in_id: number;
  stand_in_name: string;
  starts: string;
  ends: string;
  started: boolean;
  active: boolean;
}

interface Person {
  id: number;
  name: string;
  unit_name: string | null;
}

function EndDate({ p, onSaved }: { p: Period; onSaved: (m: string) => void }) {
  const [ends, setEnds] = useState(p.ends);
  const [busy, setBusy] = useState(false);
  async function save() {
    setBusy(true);
    try {
      await api.put(`/api/stand-ins/${p.id}`, { ends });
      onSaved(t("si_saved"));
    } catch (e) {
      onSaved(errorText(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div class="row si-end">
      <div class="field">
        <label for={`si-end-${p.id}`}>{t("si_ends")}</label>
        <input id={`si-end-${p.id}`} type="date" value={ends} onInput={(e) => setEnds(e.currentTarget.value)} />
      </div>
      <button type="button" class="btn" disabled={busy || !ends || ends === p.ends} onClick={() => void save()}>
        {t("si_saveEnd")}
      </button>
    </div>
  );
}

export function StandIns({ me }: { me: Me }) {
  const isLeader = me.roles.some((g) => g.role === "leader");
  // Kept with the inbox's list, so that the form still offers its people when the inbox is opened offline.
  const periods = useLoad(async () => (await keptGet<Period[]>("/api/stand-ins", `felt.inbox.standIns.v1.${me.id}`)).data, []);
  const people = useLoad(
    async () => (isLeader ? (await keptGet<Person[]>("/api/stand-ins/candidates", `felt.inbox.standInPeople.v1.${me.id}`)).data : []),
    [isLeader],
  );
  const [who, setWho] = useState("");
  const [starts, setStarts] = useState("");
  const [ends, setEnds] = useState("");
  const [message, setMessage] = useState("");
  const [busy, setBusy] = useState(false);
  const mine = periods.data?.filter((p) => p.leader_id === Number(me.id)) ?? [];
  const forOthers = periods.data?.filter((p) => p.stand_in_id === Number(me.id)) ?? [];
  if (!isLeader && !forOthers.length) return null;

  const done = (m: string) => {
    setMessage(m);
    periods.reload();
  };
  async function create(e: Event) {
    e.preventDefault();
    setBusy(true);
    try {
      await api.post("/api/stand-ins", { stand_in_id: Number(who), starts, ends });
      setWho("");
      setStarts("");
      setEnds("");
      done(t("si_created"));
    } catch (err) {
      setMessage(errorText(err));
    } finally {
      setBusy(false);
    }
  }
  async function withdraw(p: Period) {
    try {
      await api.delete(`/api/stand-ins/${p.id}`);
      done(t("si_withdrawn"));
    } catch (err) {
      setMessage(errorText(err));
    }
  }

  return (
    <section class="stand-ins" aria-labelledby="si-title">
      <h2 id="si-title">{t("si_title")}</h2>
      <p class="note">{t("si_intro")}</p>
      <p role="status">{message}</p>
      {periods.error && <Status error={periods.error} onRetry={periods.reload} />}
      {forOthers.map((p) => (
        <p key={`o${p.id}`} class="mark">
          {t("si_youStandIn", { name: p.leader_name, from: showDate(p.starts), to: showDate(p.ends) })}
        </p>
      ))}
      {mine.length > 0 && (
        <ul class="stack">
          {mine.map((p) => (
            <li key={p.id} class="card">
              <p>
                <strong>{p.stand_in_name}</strong> · {p.unit_name} · {showDate(p.starts)}–{showDate(p.ends)}
                {p.active && ` · ${t("si_active")}`}
              </p>
              {p.started && <p class="muted">{t("si_startedNote")}</p>}
              <EndDate p={p} onSaved={done} />
              {!p.started && (
                <button type="button" class="btn" onClick={() => void withdraw(p)}>
                  {t("si_withdraw")}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {isLeader && (
        <form class="card" onSubmit={(e) => void create(e)}>
          <div class="field">
            <label for="si-who">{t("si_who")}</label>
            <select id="si-who" required value={who} onChange={(e) => setWho(e.currentTarget.value)}>
              <option value="">{t("si_choose")}</option>
              {(people.data ?? []).map((p) => (
                <option key={p.id} value={String(p.id)}>
                  {p.unit_name ? `${p.name} (${p.unit_name})` : p.name}
                </option>
              ))}
            </select>
          </div>
          <div class="row">
            <div class="field">
              <label for="si-from">{t("si_starts")}</label>
              <input id="si-from" type="date" required value={starts} onInput={(e) => setStarts(e.currentTarget.value)} />
            </div>
            <div class="field">
              <label for="si-to">{t("si_ends")}</label>
              <input id="si-to" type="date" required value={ends} onInput={(e) => setEnds(e.currentTarget.value)} />
            </div>
          </div>
          <button type="submit" class="btn btn-primary" disabled={busy || !who || !starts || !ends}>
            {t("si_create")}
          </button>
        </form>
      )}
    </section>
  );
}
