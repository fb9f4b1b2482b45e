// The leader's one inbox: everything waiting for them, grouped by person and month. A month of trips, or
// of receipts drawn for review, is approved in one action; one record is rejected with a reason. The server
// decides each record by its own state machine and says why when it will not. How each record type groups,
// reads and is settled is its workflow's `inbox` entry (workflows.tsx); other types show state and actions.
import { useRef, useState } from "preact/hooks";
import { api, type Me } from "../api";
import type { ServerRecord } from "../data";
import { label, lang, t } from "../i18n";
import { errorText, useLoad } from "./hooks";
import { Page, Status } from "./Layout";
import { lineText } from "./mileageText";
import { monthName, str } from "./records";
import { recordKind } from "./workflows";

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
    const month = recordKind(item.record.type)?.inbox?.month(item.record.fields) ?? "";
    const key = `${item.record.type}|${item.record.owner_id}|${month}`;
    const title = [item.owner_name, label("type", item.record.type), month && monthName(month)].filter(Boolean).join(" · ");
    if (!out.has(key)) out.set(key, { key, type: item.record.type, title, items: [] });
    out.get(key)!.items.push(item);
  }
  return [...out.values()];
}

function Rejecting({ onDone, onCancel }: { onDone: (note: string) => Promise<void>; onCancel: () => void }) {
  const [note, setNote] = useState("");
  const [sending, setSending] = useState(false);
  const sent = useRef(false); // a double click's second event can come before the disabled button renders
  async function confirm() {
    if (sent.current) return;
    sent.current = true;
    setSending(true);
    try {
      await onDone(note.trim());
    } finally {
      sent.current = false;
      setSending(false);
    }
  }
  return (
    <div class="field">
      <label for="ib-reason">{t("ib_rejectReason")}</label>
      <textarea id="ib-reason" rows={2} required value={note} onInput={(e) => setNote(e.currentTarget.value)} />
      <div class="row">
        <button type="button" class="btn btn-primary" disabled={!note.trim() || sending} aria-busy={sending} onClick={() => void confirm()}>
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
          const kind = recordKind(g.type)?.inbox;
          const settleAll = g.items
            .filter((i) => kind && i.actions.includes(kind.all) && (!kind.ready || kind.ready(i.record.fields)))
            .map((i) => str(i.record.id));
          return (
            <section key={g.key} class="card inbox-group" aria-label={g.title}>
              <h2>{g.title}</h2>
              {kind && <p>{kind.sum(g.items.map((i) => i.record.fields))}</p>}
              <ul class="stack">
                {g.items.map((i) => {
                  const notes = kind?.notes?.(i.record.fields) ?? [];
                  const id = str(i.record.id);
                  const single = i.actions.filter((a) => a !== "reject" && (!kind || kind.each || a !== kind.all));
                  return (
                    <li key={id} class={`inbox-item${kind?.flagged?.(i.record.fields) ? " inbox-flagged" : ""}`}>
                      {kind ? (
                        <kind.Body fields={i.record.fields} />
                      ) : (
                        <p>{t("ib_other", { type: label("type", i.record.type), state: str(i.record.state) })}</p>
                      )}
                      {notes.map((n) => (
                        <p key={n.code} class="mark">
                          {lineText(n)}
                        </p>
                      ))}
                      {rejecting === id ? (
                        <Rejecting onCancel={() => setRejecting(null)} onDone={(note) => act(g.type, "reject", [id], note)} />
                      ) : (
                        <div class="row">
                          {single.map((a) => (
                            <button key={a} type="button" class="btn" disabled={busy} onClick={() => void act(g.type, a, [id])}>
                              {label("transition", a)}
                            </button>
                          ))}
                          {i.actions.includes("reject") && (
                            <button type="button" class="btn" disabled={busy} onClick={() => setRejecting(id)}>
                              {t("ib_reject")}
                            </button>
                          )}
                        </div>
                      )}
                    </li>
                  );
                })}
              </ul>
              {settleAll.length > (kind?.each ? 1 : 0) && (
                <button type="button" class="btn btn-primary btn-big" disabled={busy} onClick={() => void act(g.type, kind!.all, settleAll)}>
                  {t("ib_approveAll", { n: settleAll.length })}
                </button>
              )}
            </section>
          );
        })
      )}
    </Page>
  );
}
