// The leader's one inbox: everything waiting for them, grouped by person and month. A month of trips is
// approved in one action; one trip is rejected with a reason. The server decides each record by its own
// state machine and says why when it will not.
import { useState } from "preact/hooks";
import { api, type Me } from "../api";
import type { ServerRecord } from "../data";
import { label, lang, t } from "../i18n";
import { errorText, useLoad } from "./hooks";
import { Page, Status } from "./Layout";
import { calcOf, fmtKm, fmtKr, lineText, monthName, monthOf } from "./mileageText";
import { showDate, str } from "./records";
import { route } from "./Trips";

interface Item {
  record: ServerRecord & { fields: Record<string, unknown> };
  owner_name: string;
  employee_number: string | null;
  actions: string[];
}

interface Result {
  n: number;
  status: string;
  reason?: string;
  reason_en?: string;
}

interface Group {
  key: string;
  type: string;
  title: string;
  items: Item[];
}

function groups(items: Item[]): Group[] {
  const out = new Map<string, Group>();
  for (const item of items) {
    const month = item.record.type === "trip" ? monthOf(item.record.fields.date) : "";
    const key = `${item.record.type}|${item.record.owner_id}|${month}`;
    const title = [item.owner_name, label("type", item.record.type), month && monthName(month)].filter(Boolean).join(" · ");
    if (!out.has(key)) out.set(key, { key, type: item.record.type, title, items: [] });
    out.get(key)!.items.push(item);
  }
  return [...out.values()];
}

function Rejecting({ onDone, onCancel }: { onDone: (note: string) => void; onCancel: () => void }) {
  const [note, setNote] = useState("");
  return (
    <div class="field">
      <label for="ib-reason">{t("ib_rejectReason")}</label>
      <textarea id="ib-reason" rows={2} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
      <div class="row">
        <button type="button" class="btn btn-primary" disabled={!note.trim()} onClick={() => onDone(note.trim())}>
          {t("ib_rejectConfirm")}
        </button>
        <button type="button" class="btn" onClick={onCancel}>
          {t("ib_cancel")}
        </button>
      </div>
    </div>
  );
}

export function Inbox({ me }: { me: Me }) {
  const inbox = useLoad(() => api.get<Item[]>("/api/inbox"), []);
  const [rejecting, setRejecting] = useState<string | null>(null);
  const [message, setMessage] = useState("");
  const [busy, setBusy] = useState(false);

  async function act(type: string, transition: string, ids: string[], note?: string) {
    setBusy(true);
    try {
      const results = await api.post<Result[]>(`/api/inbox/${type}/${transition}`, { ids, note });
      const refused = results.filter((r) => r.status !== "applied");
      const done = results.length - refused.length;
      setMessage(
        [
          transition === "reject" ? (done ? t("ib_rejected") : "") : t("ib_done", { n: done }),
          ...refused.map((r) => t("ib_refused", { reason: (lang === "en" && r.reason_en) || r.reason || "" })),
        ]
          .filter(Boolean)
          .join(" "),
      );
      setRejecting(null);
      inbox.reload();
    } catch (e) {
      setMessage(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  const cutoff = me.municipality.payroll_cutoff_day ?? 18;
  return (
    <Page title={t("ib_title")} back>
      <p class="note">{t("ib_cutoff", { day: cutoff })}</p>
      <p role="status">{message}</p>
      {inbox.loading && !inbox.data ? (
        <p class="muted">{t("loading")}</p>
      ) : inbox.error ? (
        <Status error={inbox.error} onRetry={inbox.reload} />
      ) : !inbox.data?.length ? (
        <p>{t("ib_none")}</p>
      ) : (
        groups(inbox.data).map((g) => {
          const approvable = g.items.filter((i) => i.actions.includes("approve")).map((i) => str(i.record.id));
          const total = g.items.reduce((n, i) => n + (Number(calcOf(i.record.fields).amount) || 0), 0);
          const km = g.items.reduce((n, i) => n + (Number(i.record.fields.km) || 0), 0);
          return (
            <section key={g.key} class="card inbox-group" aria-label={g.title}>
              <h2>{g.title}</h2>
              {g.type === "trip" && <p>{t("ib_total", { km: fmtKm(km), amount: fmtKr(total) })}</p>}
              <ul class="stack">
                {g.items.map((i) => {
                  const calc = calcOf(i.record.fields);
                  const notes = [...(calc.flags ?? []), ...(calc.problems ?? []), ...(calc.error ? [calc.error] : [])];
                  const id = str(i.record.id);
                  return (
                    <li key={id} class={`inbox-item${calc.leader_note ? " inbox-flagged" : ""}`}>
                      {g.type === "trip" ? (
                        <>
                          <p>
                            <strong>{showDate(i.record.fields.date)}</strong> · {str(i.record.fields.purpose)}
                          </p>
                          <p>
                            {route(i.record.fields)} · {fmtKm(i.record.fields.km)} · {calc.amount ? fmtKr(calc.amount) : "–"}
                          </p>
                        </>
                      ) : (
                        <p>{t("ib_other", { type: label("type", i.record.type), state: str(i.record.state) })}</p>
                      )}
                      {notes.map((n) => (
                        <p key={n.code} class="mark">
                          {lineText(n)}
                        </p>
                      ))}
                      {rejecting === id ? (
                        <Rejecting onCancel={() => setRejecting(null)} onDone={(note) => void act(g.type, "reject", [id], note)} />
                      ) : (
                        <div class="row">
                          {i.actions.includes("reject") && (
                            <button type="button" class="btn btn-small" disabled={busy} onClick={() => setRejecting(id)}>
                              {t("ib_reject")}
                            </button>
                          )}
                          {g.type !== "trip" &&
                            i.actions
                              .filter((a) => a !== "reject")
                              .map((a) => (
                                <button key={a} type="button" class="btn btn-small" disabled={busy} onClick={() => void act(g.type, a, [id])}>
                                  {label("transition", a)}
                                </button>
                              ))}
                        </div>
                      )}
                    </li>
                  );
                })}
              </ul>
              {g.type === "trip" && approvable.length > 0 && (
                <button type="button" class="btn btn-primary btn-big" disabled={busy} onClick={() => void act(g.type, "approve", approvable)}>
                  {t("ib_approveAll", { n: approvable.length })}
                </button>
              )}
            </section>
          );
        })
      )}
    </Page>
  );
}
