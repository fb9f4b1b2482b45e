// The leader's one inbox: everything waiting for them, grouped by person and month. A month of trips, or
// of receipts drawn for review, is approved in one action; one record is rejected with a reason. The server
// decides each record by its own state machine and says why when it will not.
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { api, type Me } from "../api";
import type { ServerRecord } from "../data";
import { label, lang, t } from "../i18n";
import { errorText, useLoad } from "./hooks";
import { Page, Status } from "./Layout";
import { calcOf, fmtKm, lineText } from "./mileageText";
import { ReceiptReview } from "./ReceiptReview";
import { fmtKr, monthName, monthOf, payrollMonth, showDate, str } from "./records";
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

type Fields = Item["record"]["fields"];

/** How a record type shows here: its month (to group by), its lines, a group's sum, and the step that settles
 * a whole group at once (`each`: also offered per record). Types not listed show their state and actions. */
const KINDS: Record<
  string,
  { month: (f: Fields) => string; Body: (p: { fields: Fields }) => ComponentChildren; sum: (items: Item[]) => string; all: string; each: boolean }
> = {
  trip: {
    month: (f) => monthOf(f.date),
    Body: TripLines,
    sum: (items) =>
      t("ib_total", {
        km: fmtKm(items.reduce((n, i) => n + (Number(i.record.fields.km) || 0), 0)),
        amount: fmtKr(items.reduce((n, i) => n + (Number(calcOf(i.record.fields).amount) || 0), 0)),
      }),
    all: "approve",
    each: false,
  },
  receipt: {
    month: payrollMonth,
    Body: ReceiptReview,
    sum: (items) => fmtKr(items.reduce((n, i) => n + (Number(i.record.fields.total) || 0), 0)),
    all: "sign_off",
    each: true,
  },
};

function TripLines({ fields }: { fields: Fields }) {
  const calc = calcOf(fields);
  return (
    <>
      <p>
        <strong>{showDate(fields.date)}</strong> · {str(fields.purpose)}
      </p>
      <p>
        {route(fields)} · {fmtKm(fields.km)} · {calc.amount ? fmtKr(calc.amount) : "–"}
      </p>
    </>
  );
}

function groups(items: Item[]): Group[] {
  const out = new Map<string, Group>();
  for (const item of items) {
    const month = KINDS[item.record.type]?.month(item.record.fields) ?? "";
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
      <textarea id="ib-reason" rows={2} required value={note} onInput={(e) => setNote(e.currentTarget.value)} />
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
          const kind = KINDS[g.type];
          const settleAll = g.items.filter((i) => kind && i.actions.includes(kind.all)).map((i) => str(i.record.id));
          return (
            <section key={g.key} class="card inbox-group" aria-label={g.title}>
              <h2>{g.title}</h2>
              {kind && <p>{kind.sum(g.items)}</p>}
              <ul class="stack">
                {g.items.map((i) => {
                  const calc = calcOf(i.record.fields);
                  const notes = [...(calc.flags ?? []), ...(calc.problems ?? []), ...(calc.error ? [calc.error] : [])];
                  const id = str(i.record.id);
                  const single = i.actions.filter((a) => a !== "reject" && (!kind || kind.each || a !== kind.all));
                  return (
                    <li key={id} class={`inbox-item${calc.leader_note ? " inbox-flagged" : ""}`}>
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
                        <Rejecting onCancel={() => setRejecting(null)} onDone={(note) => void act(g.type, "reject", [id], note)} />
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
